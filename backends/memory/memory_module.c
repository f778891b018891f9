/* The loadable-module entry point of the memory backend. */
#include "memory_private.h"

enum mapistore_error mapistore_backend_init(uint32_t core_abi_version);

enum mapistore_error mapistore_backend_init(uint32_t core_abi_version)
{
	if (core_abi_version < MAPISTORE_BACKEND_ABI_VERSION) {
		return MAPISTORE_ERR_BACKEND_REGISTER;   /* core older than us */
	}
	return mapistore_memory_backend_register();
}

/* The loadable-module entry point of the local backend. */
#include "local_private.h"

enum mapistore_error mapistore_backend_init(uint32_t core_abi_version);

enum mapistore_error mapistore_backend_init(uint32_t core_abi_version)
{
	if (core_abi_version < MAPISTORE_BACKEND_ABI_VERSION) {
		return MAPISTORE_ERR_BACKEND_REGISTER;
	}
	return mapistore_local_backend_register();
}

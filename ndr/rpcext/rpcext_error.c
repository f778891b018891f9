/*
 * OpenChange: names of the rpcext error codes (table-driven).
 */
#include <stddef.h>

#include "rpcext_error.h"

static const char *const rpcext_error_names[] = {
	[RPCEXT_OK] = "RPCEXT_OK",
	[RPCEXT_ERR_TRUNCATED] = "RPCEXT_ERR_TRUNCATED",
	[RPCEXT_ERR_BAD_VERSION] = "RPCEXT_ERR_BAD_VERSION",
	[RPCEXT_ERR_BAD_FLAGS] = "RPCEXT_ERR_BAD_FLAGS",
	[RPCEXT_ERR_TOO_LARGE] = "RPCEXT_ERR_TOO_LARGE",
	[RPCEXT_ERR_DECOMPRESSION] = "RPCEXT_ERR_DECOMPRESSION",
	[RPCEXT_ERR_SIZE_MISMATCH] = "RPCEXT_ERR_SIZE_MISMATCH",
	[RPCEXT_ERR_NO_LAST] = "RPCEXT_ERR_NO_LAST",
	[RPCEXT_ERR_TRAILING_DATA] = "RPCEXT_ERR_TRAILING_DATA",
	[RPCEXT_ERR_BAD_AUX] = "RPCEXT_ERR_BAD_AUX",
	[RPCEXT_ERR_NO_SPACE] = "RPCEXT_ERR_NO_SPACE",
	[RPCEXT_ERR_INVALID_PARAM] = "RPCEXT_ERR_INVALID_PARAM",
	[RPCEXT_ERR_NO_MEMORY] = "RPCEXT_ERR_NO_MEMORY",
};

const char *rpcext_error_name(enum rpcext_error err)
{
	size_t i = (size_t)err;

	if (i >= sizeof(rpcext_error_names) / sizeof(rpcext_error_names[0]) ||
	    rpcext_error_names[i] == NULL) {
		return "RPCEXT_ERR_<unknown>";
	}
	return rpcext_error_names[i];
}

/*
 * One table maps the store's closed error enum to text and to the MAPI
 * status codes of [MS-OXCDATA] 2.4 (2.4.1 "Common Error Codes",
 * 2.4.2 "Additional Error Codes").
 */
#include "mapistore_errors.h"

#include <stddef.h>

struct mapistore_error_row {
	enum mapistore_error err;
	const char *text;
	uint32_t mapi;
	const char *mapi_name;
};

static const struct mapistore_error_row error_table[] = {
	{ MAPISTORE_SUCCESS, "success", 0x00000000, "ecNone" },
	{ MAPISTORE_ERR_NO_MEMORY, "out of memory", 0x8007000E, "ecOutOfMemory" },
	{ MAPISTORE_ERR_INVALID_PARAMETER, "invalid parameter", 0x80070057, "ecInvalidParam" },
	{ MAPISTORE_ERR_NOT_FOUND, "not found", 0x8004010F, "ecNotFound" },
	{ MAPISTORE_ERR_NOT_SUPPORTED, "not supported", 0x80040102, "ecNotSupported" },
	{ MAPISTORE_ERR_NO_ACCESS, "access denied", 0x80070005, "ecAccessDenied" },
	{ MAPISTORE_ERR_EXISTS, "already exists", 0x80040604, "ecDuplicateName" },
	{ MAPISTORE_ERR_HAS_CHILDREN, "folder has subfolders", 0x80040609, "ecFolderHasChildren" },
	{ MAPISTORE_ERR_HAS_MESSAGES, "folder has messages", 0x8004060A, "ecFolderHasContents" },
	{ MAPISTORE_ERR_CORRUPTED, "stored data corrupted", 0x8004011B, "ecCorruptData" },
	{ MAPISTORE_ERR_DATABASE_UNAVAILABLE, "metadata database unavailable", 0x80040115, "ecNetwork" },
	{ MAPISTORE_ERR_DATABASE_OPS, "metadata database operation failed", 0x80004005, "ecError" },
	{ MAPISTORE_ERR_BACKEND_INIT, "backend initialisation failed", 0x80040605, "ecNotInitialized" },
	{ MAPISTORE_ERR_BACKEND_REGISTER, "backend registration refused", 0x80004005, "ecError" },
	{ MAPISTORE_ERR_CONTEXT_FAILED, "no backend for this URI", 0x8004010F, "ecNotFound" },
	{ MAPISTORE_ERR_TOO_BIG, "value too big", 0x80040305, "ecTooBig" },
	{ MAPISTORE_ERR_IO, "input/output error", 0x80004005, "ecError" },
	{ MAPISTORE_ERR_DENIED_LOGIN, "database login refused", 0x80040111, "ecLoginFailure" },
	{ MAPISTORE_ERR_OBJECT_DELETED, "object deleted", 0x8004010A, "ecObjectDeleted" },
	{ MAPISTORE_ERR_NOT_INITIALIZED, "not initialised", 0x80040605, "ecNotInitialized" },
};

static const struct mapistore_error_row *error_row(enum mapistore_error err)
{
	size_t i;

	for (i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++) {
		if (error_table[i].err == err) {
			return &error_table[i];
		}
	}
	return NULL;
}

const char *mapistore_errstr(enum mapistore_error err)
{
	const struct mapistore_error_row *row = error_row(err);

	return row != NULL ? row->text : "unknown mapistore error";
}

uint32_t mapistore_error_to_mapi(enum mapistore_error err)
{
	const struct mapistore_error_row *row = error_row(err);

	return row != NULL ? row->mapi : 0x80004005;
}

const char *mapistore_error_mapi_name(enum mapistore_error err)
{
	const struct mapistore_error_row *row = error_row(err);

	return row != NULL ? row->mapi_name : "ecError";
}

/**
 * @file mapistore_errors.h
 * @brief The closed error domain of the storage layer and its one mapping
 *        to MAPI status codes ([MS-OXCDATA] 2.4).
 *
 * Every function of the store and every backend hook returns an
 * enum mapistore_error. The server converts it to the wire with
 * mapistore_error_to_mapi() and nowhere else.
 */
#ifndef MAPISTORE_ERRORS_H
#define MAPISTORE_ERRORS_H

#include <stdint.h>

/** The closed set of storage-layer errors. Append only. */
enum mapistore_error {
	MAPISTORE_SUCCESS = 0,
	MAPISTORE_ERR_NO_MEMORY,       /**< allocation failed */
	MAPISTORE_ERR_INVALID_PARAMETER, /**< caller passed a bad argument */
	MAPISTORE_ERR_NOT_FOUND,       /**< object, property or row absent */
	MAPISTORE_ERR_NOT_SUPPORTED,   /**< hook not implemented by the backend */
	MAPISTORE_ERR_NO_ACCESS,       /**< permission denied */
	MAPISTORE_ERR_EXISTS,          /**< name or ID collision */
	MAPISTORE_ERR_HAS_CHILDREN,    /**< folder still has subfolders */
	MAPISTORE_ERR_HAS_MESSAGES,    /**< folder still has messages */
	MAPISTORE_ERR_CORRUPTED,       /**< stored data failed a consistency check */
	MAPISTORE_ERR_DATABASE_UNAVAILABLE, /**< metadata DB unreachable / lost */
	MAPISTORE_ERR_DATABASE_OPS,    /**< a metadata DB statement failed */
	MAPISTORE_ERR_BACKEND_INIT,    /**< backend could not be initialised */
	MAPISTORE_ERR_BACKEND_REGISTER, /**< ABI mismatch or duplicate name */
	MAPISTORE_ERR_CONTEXT_FAILED,  /**< no backend context for this URI */
	MAPISTORE_ERR_TOO_BIG,         /**< value exceeds a limit */
	MAPISTORE_ERR_IO,              /**< filesystem error */
	MAPISTORE_ERR_DENIED_LOGIN,    /**< wrong credentials for a DB server */
	MAPISTORE_ERR_OBJECT_DELETED,  /**< object was deleted under the handle */
	MAPISTORE_ERR_NOT_INITIALIZED, /**< object used before it was set up */
	MAPISTORE_ERR_MAX              /**< sentinel, not an error */
};

/**
 * A short constant English description of @p err ("not found", ...).
 * Never NULL; unknown values give "unknown mapistore error".
 */
const char *mapistore_errstr(enum mapistore_error err);

/**
 * The MAPI status code ([MS-OXCDATA] 2.4.1/2.4.2) the server puts on the
 * wire for @p err, e.g. MAPISTORE_ERR_NOT_FOUND -> ecNotFound 0x8004010F.
 * Unknown values map to ecError (0x80004005).
 */
uint32_t mapistore_error_to_mapi(enum mapistore_error err);

/** The spec's name of the code returned by mapistore_error_to_mapi(). */
const char *mapistore_error_mapi_name(enum mapistore_error err);

#endif /* MAPISTORE_ERRORS_H */

/**
 * @file mapistore_namedprops.h
 * @brief Named properties: (property set GUID, LID or name) <-> property
 *        ID, per mailbox as Exchange does ([MS-OXCPRPT] 3.1.5.x
 *        RopGetPropertyIdsFromNames / RopGetNamesFromPropertyIds,
 *        [MS-OXCDATA] 2.6.1 PropertyName).
 *
 * IDs are handed out from 0x8000 upwards per mailbox, never reused, up to
 * 0xFFFE. PS_MAPI names map to the LID itself ([MS-OXCPRPT] 3.2.5.x: a
 * PS_MAPI LID *is* the property ID) and are never stored.
 */
#ifndef MAPISTORE_NAMEDPROPS_H
#define MAPISTORE_NAMEDPROPS_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_errors.h"

struct mapistore_db;
struct mapistore_namedprops;

/** PropertyName Kind, [MS-OXCDATA] 2.6.1. */
enum mapistore_nameid_kind {
	MNID_ID = 0x00,
	MNID_STRING = 0x01,
};

#define MAPISTORE_NAMEDPROP_FIRST 0x8000
#define MAPISTORE_NAMEDPROP_LAST  0xFFFE
#define MAPISTORE_NAMEDPROP_MAX_NAME 1024  /**< bytes of UTF-8 */
#define PS_MAPI_GUID "00020328-0000-0000-c000-000000000046"

/** A property name. */
struct mapistore_nameid {
	const char *guid;    /**< "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", any case */
	enum mapistore_nameid_kind kind;
	uint32_t lid;        /**< MNID_ID */
	const char *name;    /**< MNID_STRING, UTF-8 */
};

/** A handle for @p mailbox on the migrated connection @p db (not owned). */
enum mapistore_error mapistore_namedprops_new(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *mailbox,
	struct mapistore_namedprops **np_r);

/**
 * Property ID of @p nameid. With @p create an unknown name gets the next
 * free ID (ERR_TOO_BIG when 0x8000..0xFFFE is used up); without it an
 * unknown name is ERR_NOT_FOUND.
 */
enum mapistore_error mapistore_namedprops_get_mapped_id(
	struct mapistore_namedprops *np, const struct mapistore_nameid *nameid,
	bool create, uint16_t *propid_r);

/** Name of @p propid (strings on @p mem_ctx). */
enum mapistore_error mapistore_namedprops_get_nameid(TALLOC_CTX *mem_ctx,
	struct mapistore_namedprops *np, uint16_t propid,
	struct mapistore_nameid **nameid_r);

/** Symbolic name of a well-known property set ("PSETID_Appointment"),
 *  or ERR_NOT_FOUND. */
enum mapistore_error mapistore_namedprops_set_name(TALLOC_CTX *mem_ctx,
	struct mapistore_namedprops *np, const char *guid, char **name_r);

#endif /* MAPISTORE_NAMEDPROPS_H */

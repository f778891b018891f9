/**
 * @file openchangedb_private.h
 * @brief Internal to openchangedb_*.c. Never installed.
 */
#ifndef OPENCHANGEDB_PRIVATE_H
#define OPENCHANGEDB_PRIVATE_H

#include "mapistore_db.h"
#include "openchangedb.h"

struct openchangedb_context {
	struct mapistore_db *db;
};

/** Wrap an existing, migrated connection (the context does not own it). */
enum mapistore_error openchangedb_from_db(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, struct openchangedb_context **ocdb_r);

/** A random (version 4) GUID in lower-case text form, on @p mem_ctx. */
char *openchangedb_random_guid(TALLOC_CTX *mem_ctx);

/** Mailbox row id of @p username (0 and success for NULL = public). */
enum mapistore_error openchangedb_mailbox_id(struct openchangedb_context *ocdb,
	const char *username, int64_t *id_r);

/** Run @p sql with @p params inside the caller's frame, no result. */
/** Run @p sql, whose two parameters are (mailbox ID of @p username, @p fid),
 *  for the per-folder lists (permissions, rules); rows on @p mem_ctx. */
enum mapistore_error openchangedb_folder_rows(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	const char *sql, struct mapistore_db_result **res_r);
/** A text cell as a talloc copy ("" for NULL); NULL only without memory. */
char *openchangedb_result_text(TALLOC_CTX *mem_ctx, const struct mapistore_db_result *res,
	uint32_t row, uint32_t col);
enum mapistore_error openchangedb_exec(struct openchangedb_context *ocdb,
	const char *sql, const struct mapistore_db_value *params, size_t count);

#endif /* OPENCHANGEDB_PRIVATE_H */

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
enum mapistore_error openchangedb_exec(struct openchangedb_context *ocdb,
	const char *sql, const struct mapistore_db_value *params, size_t count);

#endif /* OPENCHANGEDB_PRIVATE_H */

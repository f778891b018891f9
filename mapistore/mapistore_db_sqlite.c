/*
 * SQLite driver of the metadata store: one connection per mapistore
 * context (opened FULLMUTEX), WAL journal, a busy timeout instead of
 * immediate SQLITE_BUSY, and a cache of prepared statements keyed by the
 * SQL text's address (statements are string constants).
 */
#include "mapistore_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define SQLITE_STMT_CACHE 64

struct sqlite_cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct mapistore_db_sqlite {
	sqlite3 *handle;
	struct sqlite_cached_stmt cache[SQLITE_STMT_CACHE];
};

static void sqlite_set_error(struct mapistore_db *db, const char *what)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s: %s", what,
		 db->sqlite && db->sqlite->handle ?
		 sqlite3_errmsg(db->sqlite->handle) : "no handle");
}

static enum mapistore_error sqlite_map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return MAPISTORE_SUCCESS;
	case SQLITE_NOMEM:
		return MAPISTORE_ERR_NO_MEMORY;
	case SQLITE_CONSTRAINT:
		return MAPISTORE_ERR_EXISTS;
	case SQLITE_CANTOPEN:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return MAPISTORE_ERR_CORRUPTED;
	case SQLITE_TOOBIG:
		return MAPISTORE_ERR_TOO_BIG;
	case SQLITE_PERM:
	case SQLITE_READONLY:
		return MAPISTORE_ERR_NO_ACCESS;
	default:
		return MAPISTORE_ERR_DATABASE_OPS;
	}
}

static enum mapistore_error sqlite_connect(struct mapistore_db *db,
	const struct mapistore_db_params *params)
{
	struct mapistore_db_sqlite *s;
	int rc;

	s = talloc_zero(db, struct mapistore_db_sqlite);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	db->sqlite = s;
	rc = sqlite3_open_v2(params->path, &s->handle,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(db->errmsg, sizeof(db->errmsg),
			 "Cannot open the SQLite database %s: %s.",
			 params->path, sqlite3_errstr(rc));
		if (s->handle != NULL) {
			sqlite3_close(s->handle);
			s->handle = NULL;
		}
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	sqlite3_busy_timeout(s->handle, 10000);
	sqlite3_extended_result_codes(s->handle, 1);
	/* WAL lets readers run beside the writer; NORMAL sync is durable
	 * enough for metadata in WAL mode except for power loss, and the
	 * counters are never reused because they only move forward. */
	rc = sqlite3_exec(s->handle, "PRAGMA journal_mode=WAL; "
			  "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			  " PRAGMA cache_size=-16384;",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(db->errmsg, sizeof(db->errmsg),
			 "Cannot use the SQLite database %s: %s.",
			 params->path, sqlite3_errmsg(s->handle));
		sqlite3_close(s->handle);
		s->handle = NULL;
		return sqlite_map(rc) == MAPISTORE_ERR_CORRUPTED ?
			MAPISTORE_ERR_CORRUPTED : MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	return MAPISTORE_SUCCESS;
}

static void sqlite_close(struct mapistore_db *db)
{
	struct mapistore_db_sqlite *s = db->sqlite;
	size_t i;

	if (s == NULL || s->handle == NULL) {
		return;
	}
	for (i = 0; i < SQLITE_STMT_CACHE; i++) {
		if (s->cache[i].stmt != NULL) {
			sqlite3_finalize(s->cache[i].stmt);
			s->cache[i].stmt = NULL;
		}
	}
	sqlite3_close(s->handle);
	s->handle = NULL;
}

/* A cached statement for @sql, or a fresh one (then *cached is false). */
static int sqlite_prepare(struct mapistore_db_sqlite *s, const char *sql,
			  sqlite3_stmt **stmt_r, bool *cached)
{
	size_t slot = ((uintptr_t)sql >> 3) % SQLITE_STMT_CACHE;
	size_t i;
	int rc;

	for (i = 0; i < SQLITE_STMT_CACHE; i++) {
		struct sqlite_cached_stmt *c = &s->cache[(slot + i) % SQLITE_STMT_CACHE];

		if (c->sql == sql && c->stmt != NULL) {
			*stmt_r = c->stmt;
			*cached = true;
			return SQLITE_OK;
		}
		if (c->stmt == NULL) {
			rc = sqlite3_prepare_v2(s->handle, sql, -1, &c->stmt, NULL);
			if (rc != SQLITE_OK) {
				c->stmt = NULL;
				return rc;
			}
			c->sql = sql;
			*stmt_r = c->stmt;
			*cached = true;
			return SQLITE_OK;
		}
	}
	*cached = false;
	return sqlite3_prepare_v2(s->handle, sql, -1, stmt_r, NULL);
}

static enum mapistore_error sqlite_bind(sqlite3_stmt *stmt,
	const struct mapistore_db_value *params, size_t count)
{
	size_t i;
	int rc = SQLITE_OK;

	if (count != (size_t)sqlite3_bind_parameter_count(stmt)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < count && rc == SQLITE_OK; i++) {
		int idx = (int)i + 1;

		switch (params[i].type) {
		case MAPISTORE_DB_NULL:
			rc = sqlite3_bind_null(stmt, idx);
			break;
		case MAPISTORE_DB_INT64:
			rc = sqlite3_bind_int64(stmt, idx, params[i].i64);
			break;
		case MAPISTORE_DB_TEXT:
			rc = sqlite3_bind_text64(stmt, idx, (const char *)params[i].data,
						 params[i].length, SQLITE_STATIC, SQLITE_UTF8);
			break;
		case MAPISTORE_DB_BLOB:
			rc = sqlite3_bind_blob64(stmt, idx, params[i].data ? (const void *)params[i].data : (const void *)"",
						 params[i].length, SQLITE_STATIC);
			break;
		}
	}
	return sqlite_map(rc);
}

static enum mapistore_error sqlite_exec(struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r)
{
	struct mapistore_db_sqlite *s = db->sqlite;
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value *row = NULL;
	enum mapistore_error ret;
	sqlite3_stmt *stmt = NULL;
	bool cached = false;
	int rc, c;

	if (s == NULL || s->handle == NULL) {
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	rc = sqlite_prepare(s, sql, &stmt, &cached);
	if (rc != SQLITE_OK) {
		sqlite_set_error(db, "prepare failed");
		return sqlite_map(rc) == MAPISTORE_SUCCESS ? MAPISTORE_ERR_DATABASE_OPS : sqlite_map(rc);
	}
	ret = sqlite_bind(stmt, params, param_count);
	if (ret != MAPISTORE_SUCCESS) {
		sqlite_set_error(db, "bind failed");
		goto done;
	}
	if (res_r != NULL) {
		res = talloc_zero(mem_ctx, struct mapistore_db_result);
		if (res == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
		res->cols = (uint32_t)sqlite3_column_count(stmt);
		row = talloc_array(res, struct mapistore_db_value, res->cols ? res->cols : 1);
		if (row == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (res == NULL) {
			continue;
		}
		for (c = 0; c < (int)res->cols; c++) {
			memset(&row[c], 0, sizeof(row[c]));
			switch (sqlite3_column_type(stmt, c)) {
			case SQLITE_INTEGER:
				row[c].type = MAPISTORE_DB_INT64;
				row[c].i64 = sqlite3_column_int64(stmt, c);
				break;
			case SQLITE_NULL:
				row[c].type = MAPISTORE_DB_NULL;
				break;
			case SQLITE_BLOB:
				row[c].type = MAPISTORE_DB_BLOB;
				row[c].data = sqlite3_column_blob(stmt, c);
				row[c].length = (size_t)sqlite3_column_bytes(stmt, c);
				break;
			default:
				row[c].type = MAPISTORE_DB_TEXT;
				row[c].data = sqlite3_column_text(stmt, c);
				row[c].length = (size_t)sqlite3_column_bytes(stmt, c);
				break;
			}
		}
		ret = mapistore_db_result_add_row(res, row);
		if (ret != MAPISTORE_SUCCESS) {
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		sqlite_set_error(db, "statement failed");
		ret = sqlite_map(rc);
		if (ret == MAPISTORE_SUCCESS) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
		}
		goto done;
	}
	ret = MAPISTORE_SUCCESS;
	if (res != NULL) {
		res->affected = (uint64_t)sqlite3_changes(s->handle);
		TALLOC_FREE(row);
		*res_r = res;
		res = NULL;
	}
done:
	TALLOC_FREE(res);
	if (cached) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	} else {
		sqlite3_finalize(stmt);
	}
	return ret;
}

static enum mapistore_error sqlite_exec_simple(struct mapistore_db *db, const char *sql)
{
	int rc;

	if (db->sqlite == NULL || db->sqlite->handle == NULL) {
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	rc = sqlite3_exec(db->sqlite->handle, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite_set_error(db, "statement failed");
		return sqlite_map(rc) == MAPISTORE_SUCCESS ? MAPISTORE_ERR_DATABASE_OPS : sqlite_map(rc);
	}
	return MAPISTORE_SUCCESS;
}

const struct mapistore_db_driver_ops mapistore_db_sqlite_ops = {
	.connect = sqlite_connect,
	.exec = sqlite_exec,
	.exec_simple = sqlite_exec_simple,
	.close = sqlite_close,
};

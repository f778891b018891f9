/**
 * @file mapistore_db.h
 * @brief Internal: the relational metadata store's driver interface
 *        (SQLite and MariaDB) used by openchangedb, indexing and named
 *        properties. Never installed.
 *
 * Only prepared statements with bound parameters: mapistore_db_exec()
 * takes the SQL text (a string constant, '?' placeholders) and an array
 * of values; drivers cache the prepared statement keyed by the text.
 * A lost server connection is retried once (reconnect + re-prepare)
 * outside a transaction; inside one, or when the retry fails, the call
 * returns MAPISTORE_ERR_DATABASE_UNAVAILABLE. Never a crash.
 *
 * One connection is used by one thread at a time.
 */
#ifndef MAPISTORE_DB_H
#define MAPISTORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_errors.h"
#include "mapistore_types.h"

enum mapistore_db_type {
	MAPISTORE_DB_NULL = 0,
	MAPISTORE_DB_INT64,
	MAPISTORE_DB_TEXT,
	MAPISTORE_DB_BLOB,
};

/** One bound parameter or one result cell. */
struct mapistore_db_value {
	enum mapistore_db_type type;
	int64_t i64;
	const uint8_t *data;  /**< TEXT (NUL-terminated) or BLOB */
	size_t length;        /**< bytes, without the NUL for TEXT */
};

/** Rows of a query, every cell allocated on the result. */
struct mapistore_db_result {
	uint32_t rows;
	uint32_t cols;
	struct mapistore_db_value *cells; /**< rows * cols, row-major */
	uint64_t affected;   /**< rows changed by INSERT/UPDATE/DELETE */
};

enum mapistore_db_driver {
	MAPISTORE_DB_SQLITE = 1,
	MAPISTORE_DB_MYSQL = 2,
};

/** Parsed connection parameters ("mysql://u:p@h:port/db", a path, ...). */
struct mapistore_db_params {
	enum mapistore_db_driver driver;
	const char *path;      /**< sqlite: file path */
	const char *user;
	const char *password;  /**< never logged */
	const char *host;
	uint16_t port;         /**< 0 = default */
	const char *socket;    /**< unix socket path or NULL */
	const char *database;
};

struct mapistore_db;

/** Constructors: helpers for building parameter arrays. */
struct mapistore_db_value mapistore_db_int(int64_t v);
struct mapistore_db_value mapistore_db_text(const char *s);
struct mapistore_db_value mapistore_db_blob(const void *data, size_t length);
struct mapistore_db_value mapistore_db_null(void);

/**
 * Connect. The connection is allocated on @p mem_ctx and closed when freed.
 * @return DATABASE_UNAVAILABLE (cannot reach / open), DENIED_LOGIN (wrong
 *         credentials), INVALID_PARAMETER.
 *         @p errmsg_r (optional) gets one clear sentence, never the password.
 */
enum mapistore_error mapistore_db_connect(TALLOC_CTX *mem_ctx,
	const struct mapistore_db_params *params, struct mapistore_db **db_r,
	char **errmsg_r);

/** Which driver a connection uses. */
enum mapistore_db_driver mapistore_db_get_driver(const struct mapistore_db *db);

/**
 * Run one statement. @p res_r may be NULL when no rows are wanted;
 * otherwise the result is allocated on @p mem_ctx.
 */
enum mapistore_error mapistore_db_exec(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, TALLOC_CTX *mem_ctx,
	struct mapistore_db_result **res_r);

/**
 * Run a query whose answer is its first row: like mapistore_db_exec(),
 * but no row gives MAPISTORE_ERR_NOT_FOUND (and nothing allocated).
 * *@p res_r (at least one row) is allocated on @p mem_ctx.
 */
enum mapistore_error mapistore_db_exec_row(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, TALLOC_CTX *mem_ctx,
	struct mapistore_db_result **res_r);

/** Column 0 of the first row as an integer (mapistore_db_exec_row()). */
enum mapistore_error mapistore_db_query_int(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, int64_t *value_r);

/** Column 0 of the first row as text, copied onto @p mem_ctx
 *  (mapistore_db_exec_row()); a NULL value gives MAPISTORE_ERR_NO_MEMORY. */
enum mapistore_error mapistore_db_query_text(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	char **value_r);

/** Run a parameterless statement (DDL, BEGIN, ...), no result. */
enum mapistore_error mapistore_db_exec_simple(struct mapistore_db *db,
	const char *sql);

/** Transactions (not nestable). */
enum mapistore_error mapistore_db_begin(struct mapistore_db *db);
enum mapistore_error mapistore_db_commit(struct mapistore_db *db);
enum mapistore_error mapistore_db_rollback(struct mapistore_db *db);

/** The last error text of @p db (no password inside). Never NULL. */
const char *mapistore_db_errmsg(const struct mapistore_db *db);

/** Cell accessors; out-of-range or NULL cells read as 0 / NULL. */
int64_t mapistore_db_result_int(const struct mapistore_db_result *res,
	uint32_t row, uint32_t col);
const char *mapistore_db_result_text(const struct mapistore_db_result *res,
	uint32_t row, uint32_t col);
const struct mapistore_db_value *mapistore_db_result_cell(
	const struct mapistore_db_result *res, uint32_t row, uint32_t col);

/**
 * Parse a metadata-store location: "mysql://user:pass@host[:port]/db"
 * (percent-escapes decoded; "?socket=/path" accepted), "sqlite:///path"
 * or a plain absolute path (SQLite). Strings allocated on @p mem_ctx.
 * @return INVALID_PARAMETER with a sentence in @p errmsg_r (optional)
 *         that never contains the password.
 */
enum mapistore_error mapistore_db_parse_uri(TALLOC_CTX *mem_ctx,
	const char *uri, struct mapistore_db_params *params_r, char **errmsg_r);

/**
 * Bring the schema to the newest version (migrations in
 * mapistore/schema/), recording each in schema_version.
 */
enum mapistore_error mapistore_db_migrate(struct mapistore_db *db);

/** Newest schema version known to this build. */
uint32_t mapistore_db_schema_version(void);

/** Current schema version of @p db (0 when uninitialised). */
enum mapistore_error mapistore_db_get_version(struct mapistore_db *db,
	uint32_t *version_r);

/* Driver vtable, implemented by mapistore_db_sqlite.c / mapistore_db_mysql.c */
struct mapistore_db_driver_ops {
	/** Connect; on failure put one clear sentence in db->errmsg. */
	enum mapistore_error (*connect)(struct mapistore_db *db,
		const struct mapistore_db_params *params);
	enum mapistore_error (*exec)(struct mapistore_db *db, const char *sql,
		const struct mapistore_db_value *params, size_t param_count,
		TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r);
	enum mapistore_error (*exec_simple)(struct mapistore_db *db,
		const char *sql);
	void (*close)(struct mapistore_db *db);
};

/** Shared connection state (internal to the drivers). */
struct mapistore_db {
	const struct mapistore_db_driver_ops *ops;
	enum mapistore_db_driver driver;
	bool in_transaction;
	char errmsg[256];
	struct mapistore_db_params params; /**< copies, on the db */
	struct mapistore_db_sqlite *sqlite;
	struct mapistore_db_mysql *mysql;
};

extern const struct mapistore_db_driver_ops mapistore_db_sqlite_ops;
extern const struct mapistore_db_driver_ops mapistore_db_mysql_ops;

/** Result building helper for drivers: append a row, cells copied. */
enum mapistore_error mapistore_db_result_add_row(struct mapistore_db_result *res,
	const struct mapistore_db_value *cells);

#endif /* MAPISTORE_DB_H */

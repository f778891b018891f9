/*
 * Driver-independent part of the metadata store connection: dispatch to
 * the SQLite or MariaDB driver, transactions, result building.
 */
#include "mapistore_db.h"

#include <stdio.h>
#include <string.h>

struct mapistore_db_value mapistore_db_int(int64_t v)
{
	struct mapistore_db_value r = { .type = MAPISTORE_DB_INT64, .i64 = v };

	return r;
}

struct mapistore_db_value mapistore_db_text(const char *s)
{
	struct mapistore_db_value r = { .type = MAPISTORE_DB_NULL };

	if (s != NULL) {
		r.type = MAPISTORE_DB_TEXT;
		r.data = (const uint8_t *)s;
		r.length = strlen(s);
	}
	return r;
}

struct mapistore_db_value mapistore_db_blob(const void *data, size_t length)
{
	struct mapistore_db_value r = {
		.type = MAPISTORE_DB_BLOB, .data = data, .length = length
	};

	return r;
}

struct mapistore_db_value mapistore_db_null(void)
{
	struct mapistore_db_value r = { .type = MAPISTORE_DB_NULL };

	return r;
}

static int db_destructor(struct mapistore_db *db)
{
	if (db->ops != NULL) {
		db->ops->close(db);
	}
	return 0;
}

enum mapistore_error mapistore_db_connect(TALLOC_CTX *mem_ctx,
	const struct mapistore_db_params *params, struct mapistore_db **db_r,
	char **errmsg_r)
{
	struct mapistore_db *db;
	enum mapistore_error ret;

	if (params == NULL || db_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	db = talloc_zero(mem_ctx, struct mapistore_db);
	if (db == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	db->driver = params->driver;
	switch (params->driver) {
	case MAPISTORE_DB_SQLITE:
		db->ops = &mapistore_db_sqlite_ops;
		break;
	case MAPISTORE_DB_MYSQL:
		db->ops = &mapistore_db_mysql_ops;
		break;
	default:
		talloc_free(db);
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	db->params = *params;
	db->params.path = talloc_strdup(db, params->path ? params->path : "");
	db->params.user = talloc_strdup(db, params->user ? params->user : "");
	db->params.password = talloc_strdup(db, params->password ? params->password : "");
	db->params.host = talloc_strdup(db, params->host ? params->host : "");
	db->params.socket = params->socket ? talloc_strdup(db, params->socket) : NULL;
	db->params.database = talloc_strdup(db, params->database ? params->database : "");
	if (db->params.path == NULL || db->params.user == NULL ||
	    db->params.password == NULL || db->params.host == NULL ||
	    db->params.database == NULL ||
	    (params->socket != NULL && db->params.socket == NULL)) {
		talloc_free(db);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_set_destructor(db, db_destructor);
	ret = db->ops->connect(db, &db->params);
	if (ret != MAPISTORE_SUCCESS) {
		if (errmsg_r != NULL) {
			*errmsg_r = talloc_strdup(mem_ctx, db->errmsg);
		}
		talloc_free(db);
		return ret;
	}
	*db_r = db;
	return MAPISTORE_SUCCESS;
}

enum mapistore_db_driver mapistore_db_get_driver(const struct mapistore_db *db)
{
	return db->driver;
}

enum mapistore_error mapistore_db_exec(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, TALLOC_CTX *mem_ctx,
	struct mapistore_db_result **res_r)
{
	if (db == NULL || sql == NULL || (param_count > 0 && params == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return db->ops->exec(db, sql, params, param_count, mem_ctx, res_r);
}

enum mapistore_error mapistore_db_exec_row(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, TALLOC_CTX *mem_ctx,
	struct mapistore_db_result **res_r)
{
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	ret = mapistore_db_exec(db, sql, params, param_count, mem_ctx, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (res->rows == 0) {
		talloc_free(res);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	*res_r = res;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_db_query_int(struct mapistore_db *db,
	const char *sql, const struct mapistore_db_value *params,
	size_t param_count, int64_t *value_r)
{
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	ret = mapistore_db_exec_row(db, sql, params, param_count, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*value_r = mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_db_query_text(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	char **value_r)
{
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	char *value;

	ret = mapistore_db_exec_row(db, sql, params, param_count, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	value = talloc_strdup(mem_ctx, mapistore_db_result_text(res, 0, 0));
	talloc_free(res);
	if (value == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*value_r = value;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_db_exec_simple(struct mapistore_db *db,
	const char *sql)
{
	if (db == NULL || sql == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return db->ops->exec_simple(db, sql);
}

enum mapistore_error mapistore_db_begin(struct mapistore_db *db)
{
	enum mapistore_error ret;

	if (db->in_transaction) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* SQLite: take the write lock now so two connections cannot both
	 * read a counter and then deadlock upgrading. */
	ret = db->ops->exec_simple(db, db->driver == MAPISTORE_DB_SQLITE ?
				   "BEGIN IMMEDIATE" : "START TRANSACTION");
	if (ret == MAPISTORE_SUCCESS) {
		db->in_transaction = true;
	}
	return ret;
}

enum mapistore_error mapistore_db_commit(struct mapistore_db *db)
{
	enum mapistore_error ret;

	if (!db->in_transaction) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = db->ops->exec_simple(db, "COMMIT");
	if (ret != MAPISTORE_SUCCESS) {
		(void)db->ops->exec_simple(db, "ROLLBACK");
	}
	db->in_transaction = false;
	return ret;
}

enum mapistore_error mapistore_db_rollback(struct mapistore_db *db)
{
	enum mapistore_error ret;

	if (!db->in_transaction) {
		return MAPISTORE_SUCCESS;
	}
	ret = db->ops->exec_simple(db, "ROLLBACK");
	db->in_transaction = false;
	return ret;
}

const char *mapistore_db_errmsg(const struct mapistore_db *db)
{
	return db != NULL ? db->errmsg : "no database connection";
}

const struct mapistore_db_value *mapistore_db_result_cell(
	const struct mapistore_db_result *res, uint32_t row, uint32_t col)
{
	if (res == NULL || row >= res->rows || col >= res->cols) {
		return NULL;
	}
	return &res->cells[(size_t)row * res->cols + col];
}

int64_t mapistore_db_result_int(const struct mapistore_db_result *res,
	uint32_t row, uint32_t col)
{
	const struct mapistore_db_value *v = mapistore_db_result_cell(res, row, col);

	return (v != NULL && v->type == MAPISTORE_DB_INT64) ? v->i64 : 0;
}

const char *mapistore_db_result_text(const struct mapistore_db_result *res,
	uint32_t row, uint32_t col)
{
	const struct mapistore_db_value *v = mapistore_db_result_cell(res, row, col);

	if (v == NULL || (v->type != MAPISTORE_DB_TEXT && v->type != MAPISTORE_DB_BLOB)) {
		return NULL;
	}
	return (const char *)v->data;
}

enum mapistore_error mapistore_db_result_add_row(struct mapistore_db_result *res,
	const struct mapistore_db_value *cells)
{
	struct mapistore_db_value *grown;
	size_t have = talloc_array_length(res->cells);
	size_t need = ((size_t)res->rows + 1) * res->cols;
	uint32_t c;

	if (res->rows == UINT32_MAX) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	if (need > have) {
		size_t alloc = have < 16 ? 16 : have * 2;

		while (alloc < need) {
			alloc *= 2;
		}
		grown = talloc_realloc(res, res->cells, struct mapistore_db_value, alloc);
		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		res->cells = grown;
	}
	for (c = 0; c < res->cols; c++) {
		struct mapistore_db_value *dst = &res->cells[(size_t)res->rows * res->cols + c];

		*dst = cells[c];
		if (cells[c].type == MAPISTORE_DB_TEXT || cells[c].type == MAPISTORE_DB_BLOB) {
			/* always NUL-terminated so TEXT reads are safe */
			uint8_t *copy = talloc_size(res, cells[c].length + 1);

			if (copy == NULL) {
				return MAPISTORE_ERR_NO_MEMORY;
			}
			if (cells[c].length > 0) {
				memcpy(copy, cells[c].data, cells[c].length);
			}
			copy[cells[c].length] = '\0';
			dst->data = copy;
		}
	}
	res->rows++;
	return MAPISTORE_SUCCESS;
}

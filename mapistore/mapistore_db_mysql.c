/*
 * MariaDB driver of the metadata store (libmariadb): one connection per
 * mapistore context, prepared statements only (mysql_stmt_*), cached by
 * the SQL text's address. A lost connection outside a transaction is
 * re-established once and the statement re-prepared; otherwise the call
 * fails with MAPISTORE_ERR_DATABASE_UNAVAILABLE. Error texts come from
 * the server and never contain the password.
 */
#include "mapistore_db.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_MARIADB
#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#define MYSQL_STMT_CACHE 64
#define MYSQL_CELL_INITIAL 256

struct mysql_cached_stmt {
	const char *sql;
	MYSQL_STMT *stmt;
};

struct mapistore_db_mysql {
	MYSQL *handle;
	struct mysql_cached_stmt cache[MYSQL_STMT_CACHE];
};

static bool mysql_is_lost(unsigned int err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
	       err == ER_CONNECTION_KILLED || err == CR_CONNECTION_ERROR ||
	       err == CR_CONN_HOST_ERROR;
}

static enum mapistore_error mysql_map(unsigned int err)
{
	switch (err) {
	case 0:
		return MAPISTORE_SUCCESS;
	case ER_ACCESS_DENIED_ERROR:
	case ER_DBACCESS_DENIED_ERROR:
		return MAPISTORE_ERR_DENIED_LOGIN;
	case ER_DUP_ENTRY:
	case ER_DUP_KEY:
		return MAPISTORE_ERR_EXISTS;
	case ER_BAD_DB_ERROR:
	case CR_UNKNOWN_HOST:
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	case CR_OUT_OF_MEMORY:
		return MAPISTORE_ERR_NO_MEMORY;
	default:
		return mysql_is_lost(err) ? MAPISTORE_ERR_DATABASE_UNAVAILABLE
					  : MAPISTORE_ERR_DATABASE_OPS;
	}
}

static void mysql_set_error(struct mapistore_db *db, const char *what, const char *detail)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s: %s", what, detail);
}

static void mysql_drop(struct mapistore_db_mysql *m)
{
	size_t i;

	for (i = 0; i < MYSQL_STMT_CACHE; i++) {
		if (m->cache[i].stmt != NULL) {
			mysql_stmt_close(m->cache[i].stmt);
			m->cache[i].stmt = NULL;
			m->cache[i].sql = NULL;
		}
	}
	if (m->handle != NULL) {
		mysql_close(m->handle);
		m->handle = NULL;
	}
}

static enum mapistore_error mysql_open(struct mapistore_db *db)
{
	const struct mapistore_db_params *p = &db->params;
	struct mapistore_db_mysql *m = db->mysql;
	unsigned int timeout = 10;
	unsigned int err;

	m->handle = mysql_init(NULL);
	if (m->handle == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	mysql_options(m->handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m->handle, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(m->handle, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	mysql_options(m->handle, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* CLIENT_FOUND_ROWS: UPDATE reports matched rows, as SQLite does */
	if (mysql_real_connect(m->handle, p->host[0] ? p->host : NULL, p->user,
			       p->password, p->database, p->port,
			       p->socket, CLIENT_FOUND_ROWS) == NULL) {
		err = mysql_errno(m->handle);
		if (err == ER_ACCESS_DENIED_ERROR || err == ER_DBACCESS_DENIED_ERROR) {
			snprintf(db->errmsg, sizeof(db->errmsg),
				 "MariaDB refused the login of user %s to database %s "
				 "(wrong user or password).", p->user, p->database);
		} else if (err == ER_BAD_DB_ERROR) {
			snprintf(db->errmsg, sizeof(db->errmsg),
				 "MariaDB database %s does not exist.", p->database);
		} else {
			snprintf(db->errmsg, sizeof(db->errmsg),
				 "Cannot reach the MariaDB server at %s (port %u): %s",
				 p->socket ? p->socket : p->host, (unsigned)p->port,
				 mysql_error(m->handle));
		}
		mysql_close(m->handle);
		m->handle = NULL;
		return err == ER_ACCESS_DENIED_ERROR || err == ER_DBACCESS_DENIED_ERROR ?
			MAPISTORE_ERR_DENIED_LOGIN : MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error mysql_connect(struct mapistore_db *db,
	const struct mapistore_db_params *params)
{
	db->mysql = talloc_zero(db, struct mapistore_db_mysql);
	if (db->mysql == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	return mysql_open(db);
}

static void mysql_close_db(struct mapistore_db *db)
{
	if (db->mysql != NULL) {
		mysql_drop(db->mysql);
	}
}

static MYSQL_STMT *mysql_prepare(struct mapistore_db *db, const char *sql, bool *cached,
				 unsigned int *err_r)
{
	struct mapistore_db_mysql *m = db->mysql;
	size_t slot = ((uintptr_t)sql >> 3) % MYSQL_STMT_CACHE;
	MYSQL_STMT *stmt;
	size_t i;

	for (i = 0; i < MYSQL_STMT_CACHE; i++) {
		struct mysql_cached_stmt *c = &m->cache[(slot + i) % MYSQL_STMT_CACHE];

		if (c->sql == sql && c->stmt != NULL) {
			*cached = true;
			return c->stmt;
		}
		if (c->stmt == NULL) {
			break;
		}
	}
	stmt = mysql_stmt_init(m->handle);
	if (stmt == NULL) {
		*err_r = mysql_errno(m->handle);
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
		mysql_set_error(db, "prepare failed", mysql_stmt_error(stmt));
		*err_r = mysql_stmt_errno(stmt);
		mysql_stmt_close(stmt);
		return NULL;
	}
	*cached = false;
	for (i = 0; i < MYSQL_STMT_CACHE; i++) {
		struct mysql_cached_stmt *c = &m->cache[(slot + i) % MYSQL_STMT_CACHE];

		if (c->stmt == NULL) {
			c->sql = sql;
			c->stmt = stmt;
			*cached = true;
			break;
		}
	}
	return stmt;
}

static bool is_int_type(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT || t == MYSQL_TYPE_LONG ||
	       t == MYSQL_TYPE_LONGLONG || t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_YEAR;
}

static enum mapistore_error fetch_rows(struct mapistore_db *db, MYSQL_STMT *stmt,
	MYSQL_RES *meta, TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r)
{
	unsigned int ncols = mysql_num_fields(meta);
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	struct mapistore_db_result *res;
	struct mapistore_db_value *row;
	MYSQL_BIND *binds;
	unsigned long *lengths;
	my_bool *nulls;
	int64_t *ints;
	uint8_t **bufs;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	unsigned int c;
	int rc;

	res = talloc_zero(mem_ctx, struct mapistore_db_result);
	if (res == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	res->cols = ncols;
	row = talloc_zero_array(res, struct mapistore_db_value, ncols ? ncols : 1);
	binds = talloc_zero_array(res, MYSQL_BIND, ncols ? ncols : 1);
	lengths = talloc_zero_array(res, unsigned long, ncols ? ncols : 1);
	nulls = talloc_zero_array(res, my_bool, ncols ? ncols : 1);
	ints = talloc_zero_array(res, int64_t, ncols ? ncols : 1);
	bufs = talloc_zero_array(res, uint8_t *, ncols ? ncols : 1);
	if (row == NULL || binds == NULL || lengths == NULL || nulls == NULL ||
	    ints == NULL || bufs == NULL) {
		talloc_free(res);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (c = 0; c < ncols; c++) {
		binds[c].length = &lengths[c];
		binds[c].is_null = &nulls[c];
		if (is_int_type(fields[c].type)) {
			binds[c].buffer_type = MYSQL_TYPE_LONGLONG;
			binds[c].buffer = &ints[c];
		} else {
			bufs[c] = talloc_size(res, MYSQL_CELL_INITIAL);
			if (bufs[c] == NULL) {
				talloc_free(res);
				return MAPISTORE_ERR_NO_MEMORY;
			}
			binds[c].buffer_type = MYSQL_TYPE_BLOB;
			binds[c].buffer = bufs[c];
			binds[c].buffer_length = MYSQL_CELL_INITIAL;
		}
	}
	if (mysql_stmt_bind_result(stmt, binds) != 0) {
		mysql_set_error(db, "bind result failed", mysql_stmt_error(stmt));
		talloc_free(res);
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	while ((rc = mysql_stmt_fetch(stmt)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		for (c = 0; c < ncols; c++) {
			memset(&row[c], 0, sizeof(row[c]));
			if (nulls[c]) {
				row[c].type = MAPISTORE_DB_NULL;
				continue;
			}
			if (binds[c].buffer_type == MYSQL_TYPE_LONGLONG) {
				row[c].type = MAPISTORE_DB_INT64;
				row[c].i64 = ints[c];
				continue;
			}
			if (lengths[c] > MAPISTORE_MAX_VALUE_SIZE) {
				ret = MAPISTORE_ERR_TOO_BIG;
				break;
			}
			if (lengths[c] > binds[c].buffer_length) {
				/* fetch the whole cell into a bigger buffer */
				MYSQL_BIND big = binds[c];
				uint8_t *grown = talloc_realloc_size(res, bufs[c], lengths[c]);

				if (grown == NULL) {
					ret = MAPISTORE_ERR_NO_MEMORY;
					break;
				}
				bufs[c] = grown;
				big.buffer = grown;
				big.buffer_length = lengths[c];
				if (mysql_stmt_fetch_column(stmt, &big, c, 0) != 0) {
					mysql_set_error(db, "fetch column failed", mysql_stmt_error(stmt));
					ret = MAPISTORE_ERR_DATABASE_OPS;
					break;
				}
				/* later rows keep using the bigger buffer */
				binds[c].buffer = grown;
				binds[c].buffer_length = lengths[c];
				if (mysql_stmt_bind_result(stmt, binds) != 0) {
					ret = MAPISTORE_ERR_DATABASE_OPS;
					break;
				}
			}
			row[c].type = fields[c].charsetnr == 63 ? MAPISTORE_DB_BLOB : MAPISTORE_DB_TEXT;
			row[c].data = bufs[c];
			row[c].length = lengths[c];
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_db_result_add_row(res, row);
		}
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(res);
			return ret;
		}
	}
	if (rc != MYSQL_NO_DATA) {
		mysql_set_error(db, "fetch failed", mysql_stmt_error(stmt));
		ret = mysql_map(mysql_stmt_errno(stmt));
		talloc_free(res);
		return ret == MAPISTORE_SUCCESS ? MAPISTORE_ERR_DATABASE_OPS : ret;
	}
	for (c = 0; c < ncols; c++) {
		TALLOC_FREE(bufs[c]);
	}
	TALLOC_FREE(row);
	TALLOC_FREE(binds);
	TALLOC_FREE(lengths);
	TALLOC_FREE(nulls);
	TALLOC_FREE(ints);
	TALLOC_FREE(bufs);
	*res_r = res;
	return MAPISTORE_SUCCESS;
}

/* One attempt; *lost_r tells the caller a reconnect may help. */
static enum mapistore_error mysql_exec_once(struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r, bool *lost_r)
{
	struct mapistore_db_mysql *m = db->mysql;
	MYSQL_BIND *binds = NULL;
	unsigned long *lengths = NULL;
	MYSQL_RES *meta = NULL;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	MYSQL_STMT *stmt;
	bool cached = false;
	unsigned int err;
	size_t i;

	*lost_r = false;
	if (m->handle == NULL) {
		*lost_r = true;
		return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	err = 0;
	stmt = mysql_prepare(db, sql, &cached, &err);
	if (stmt == NULL) {
		*lost_r = mysql_is_lost(err);
		ret = mysql_map(err);
		return ret == MAPISTORE_SUCCESS ? MAPISTORE_ERR_DATABASE_OPS : ret;
	}
	if (param_count != mysql_stmt_param_count(stmt)) {
		ret = MAPISTORE_ERR_INVALID_PARAMETER;
		goto done;
	}
	if (param_count > 0) {
		binds = talloc_zero_array(NULL, MYSQL_BIND, param_count);
		lengths = talloc_zero_array(binds, unsigned long, param_count);
		if (binds == NULL || lengths == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
		for (i = 0; i < param_count; i++) {
			switch (params[i].type) {
			case MAPISTORE_DB_NULL:
				binds[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			case MAPISTORE_DB_INT64:
				binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
				binds[i].buffer = discard_const_p(int64_t, &params[i].i64);
				break;
			case MAPISTORE_DB_TEXT:
			case MAPISTORE_DB_BLOB:
				binds[i].buffer_type = params[i].type == MAPISTORE_DB_TEXT ?
					MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
				binds[i].buffer = discard_const_p(uint8_t, params[i].data);
				binds[i].buffer_length = params[i].length;
				lengths[i] = params[i].length;
				binds[i].length = &lengths[i];
				break;
			}
		}
		if (mysql_stmt_bind_param(stmt, binds) != 0) {
			mysql_set_error(db, "bind failed", mysql_stmt_error(stmt));
			ret = MAPISTORE_ERR_DATABASE_OPS;
			goto done;
		}
	}
	if (mysql_stmt_execute(stmt) != 0) {
		err = mysql_stmt_errno(stmt);
		*lost_r = mysql_is_lost(err);
		mysql_set_error(db, "statement failed", mysql_stmt_error(stmt));
		ret = mysql_map(err);
		if (ret == MAPISTORE_SUCCESS) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
		}
		goto done;
	}
	meta = mysql_stmt_result_metadata(stmt);
	if (meta != NULL) {
		ret = fetch_rows(db, stmt, meta, mem_ctx, res_r);
		if (ret == MAPISTORE_SUCCESS && res_r == NULL) {
			/* unreachable: fetch_rows always fills */
		}
		mysql_free_result(meta);
	} else if (res_r != NULL) {
		struct mapistore_db_result *res = talloc_zero(mem_ctx, struct mapistore_db_result);

		if (res == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
		res->affected = mysql_stmt_affected_rows(stmt);
		*res_r = res;
	}
done:
	talloc_free(binds);
	mysql_stmt_free_result(stmt);
	if (cached) {
		mysql_stmt_reset(stmt);
	} else {
		mysql_stmt_close(stmt);
	}
	return ret;
}

static enum mapistore_error mysql_exec(struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r)
{
	struct mapistore_db_result *tmp = NULL;
	struct mapistore_db_result **target = res_r;
	enum mapistore_error ret;
	bool lost = false;

	/* rows must always be drained; collect them on a scratch result
	 * when the caller does not want them */
	if (target == NULL) {
		target = &tmp;
	}
	ret = mysql_exec_once(db, sql, params, param_count, res_r ? mem_ctx : NULL,
			      target, &lost);
	if (ret != MAPISTORE_SUCCESS && lost && !db->in_transaction) {
		mysql_drop(db->mysql);
		ret = mysql_open(db);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mysql_exec_once(db, sql, params, param_count,
					      res_r ? mem_ctx : NULL, target, &lost);
		}
		if (ret != MAPISTORE_SUCCESS && lost) {
			ret = MAPISTORE_ERR_DATABASE_UNAVAILABLE;
		}
	} else if (ret != MAPISTORE_SUCCESS && lost) {
		/* inside a transaction the work is gone: tell the caller */
		mysql_drop(db->mysql);
		db->in_transaction = false;
		ret = MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	}
	TALLOC_FREE(tmp);
	return ret;
}

static enum mapistore_error mysql_exec_simple(struct mapistore_db *db, const char *sql)
{
	struct mapistore_db_mysql *m = db->mysql;
	unsigned int err;
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (m->handle == NULL && mysql_open(db) != MAPISTORE_SUCCESS) {
			return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
		}
		if (mysql_real_query(m->handle, sql, strlen(sql)) == 0) {
			MYSQL_RES *r = mysql_store_result(m->handle);

			if (r != NULL) {
				mysql_free_result(r);
			}
			return MAPISTORE_SUCCESS;
		}
		err = mysql_errno(m->handle);
		mysql_set_error(db, "statement failed", mysql_error(m->handle));
		if (!mysql_is_lost(err)) {
			return mysql_map(err) == MAPISTORE_SUCCESS ? MAPISTORE_ERR_DATABASE_OPS
								  : mysql_map(err);
		}
		mysql_drop(m);
		if (db->in_transaction && strcmp(sql, "START TRANSACTION") != 0) {
			db->in_transaction = false;
			return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
		}
	}
	return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
}

const struct mapistore_db_driver_ops mapistore_db_mysql_ops = {
	.connect = mysql_connect,
	.exec = mysql_exec,
	.exec_simple = mysql_exec_simple,
	.close = mysql_close_db,
};

#else /* !HAVE_MARIADB */

static enum mapistore_error mysql_unavailable(struct mapistore_db *db,
	const struct mapistore_db_params *params)
{
	snprintf(db->errmsg, sizeof(db->errmsg),
		 "This build has no MariaDB support (libmariadb-dev was missing).");
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error mysql_no_exec(struct mapistore_db *db, const char *sql,
	const struct mapistore_db_value *params, size_t param_count,
	TALLOC_CTX *mem_ctx, struct mapistore_db_result **res_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error mysql_no_simple(struct mapistore_db *db, const char *sql)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static void mysql_no_close(struct mapistore_db *db)
{
}

const struct mapistore_db_driver_ops mapistore_db_mysql_ops = {
	.connect = mysql_unavailable,
	.exec = mysql_no_exec,
	.exec_simple = mysql_no_simple,
	.close = mysql_no_close,
};

#endif /* HAVE_MARIADB */

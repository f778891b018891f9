/*
 * One migration runner for both drivers: applies the migrations of
 * schema/mapistore_schema.c newer than the version recorded in
 * schema_version, each in a transaction (MariaDB commits DDL implicitly,
 * so there a failed migration must be repaired by hand; the error says
 * which one).
 */
#include "mapistore_db.h"
#include "schema/mapistore_schema.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char sql_create_version[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" version BIGINT NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" applied BIGINT NOT NULL)";
static const char sql_get_version[] =
	"SELECT MAX(version) FROM schema_version";
static const char sql_add_version[] =
	"INSERT INTO schema_version (version, name, applied) VALUES (?, ?, ?)";

static const char mysql_table_options[] =
	" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

uint32_t mapistore_db_schema_version(void)
{
	size_t count;
	const struct mapistore_migration *m = mapistore_schema_migrations(&count);

	return count > 0 ? m[count - 1].version : 0;
}

enum mapistore_error mapistore_db_get_version(struct mapistore_db *db,
	uint32_t *version_r)
{
	TALLOC_CTX *frame = talloc_new(NULL);
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_exec(db, sql_get_version, NULL, 0, frame, &res);
	if (ret != MAPISTORE_SUCCESS) {
		/* no schema_version table: an empty database */
		talloc_free(frame);
		*version_r = 0;
		return db->driver == MAPISTORE_DB_SQLITE || ret == MAPISTORE_ERR_DATABASE_OPS ?
			MAPISTORE_SUCCESS : ret;
	}
	*version_r = (uint32_t)mapistore_db_result_int(res, 0, 0);
	talloc_free(frame);
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error run_statement(struct mapistore_db *db, const char *stmt)
{
	enum mapistore_error ret;
	char *sql;

	if (db->driver != MAPISTORE_DB_MYSQL || strncmp(stmt, "CREATE TABLE", 12) != 0) {
		return mapistore_db_exec_simple(db, stmt);
	}
	sql = talloc_asprintf(NULL, "%s%s", stmt, mysql_table_options);
	if (sql == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_exec_simple(db, sql);
	talloc_free(sql);
	return ret;
}

static enum mapistore_error apply_one(struct mapistore_db *db,
	const struct mapistore_migration *m)
{
	struct mapistore_db_value params[3];
	enum mapistore_error ret;
	uint32_t current = 0;
	size_t i;

	ret = mapistore_db_begin(db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* another process may have migrated while we waited for the lock */
	ret = mapistore_db_get_version(db, &current);
	if (ret != MAPISTORE_SUCCESS || current >= m->version) {
		mapistore_db_rollback(db);
		return ret;
	}
	for (i = 0; m->statements[i] != NULL; i++) {
		ret = run_statement(db, m->statements[i]);
		if (ret != MAPISTORE_SUCCESS) {
			char detail[160];
			int n;

			snprintf(detail, sizeof(detail), "%.159s", db->errmsg);
			mapistore_db_rollback(db);
			n = snprintf(db->errmsg, sizeof(db->errmsg),
				     "migration %.40s, statement %zu failed: %s",
				     m->name, i + 1, detail);
			(void)n;
			return ret;
		}
	}
	params[0] = mapistore_db_int(m->version);
	params[1] = mapistore_db_text(m->name);
	params[2] = mapistore_db_int((int64_t)time(NULL));
	ret = mapistore_db_exec(db, sql_add_version, params, 3, NULL, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(db);
		return ret;
	}
	return mapistore_db_commit(db);
}

enum mapistore_error mapistore_db_migrate(struct mapistore_db *db)
{
	const struct mapistore_migration *m;
	enum mapistore_error ret;
	uint32_t current = 0;
	size_t count, i;

	ret = mapistore_db_exec_simple(db, sql_create_version);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_db_get_version(db, &current);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	m = mapistore_schema_migrations(&count);
	if (current > m[count - 1].version) {
		snprintf(db->errmsg, sizeof(db->errmsg),
			 "The database schema (version %u) is newer than this "
			 "program (version %u).", current, m[count - 1].version);
		return MAPISTORE_ERR_CORRUPTED;
	}
	for (i = 0; i < count; i++) {
		if (m[i].version <= current) {
			continue;
		}
		ret = apply_one(db, &m[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

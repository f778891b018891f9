/*
 * Indexing on the metadata store. OpenChange walked every record to map
 * a URI back to its FMID; here the URI side is an index on a 64-bit hash
 * of the URI, confirmed by comparing the stored URI, so both directions
 * cost one B-tree lookup.
 */
#include "mapistore_indexing.h"
#include "mapistore_db.h"

#include <string.h>

struct mapistore_indexing {
	struct mapistore_db *db;
	char *username;
};

static const char sql_add[] =
	"INSERT INTO mstore_indexing (username, fmid, uri, uri_hash, soft_deleted)"
	" VALUES (?, ?, ?, ?, 0)";
static const char sql_update[] =
	"UPDATE mstore_indexing SET uri = ?, uri_hash = ? WHERE username = ? AND fmid = ?";
static const char sql_by_fmid[] =
	"SELECT uri, soft_deleted FROM mstore_indexing WHERE username = ? AND fmid = ?";
static const char sql_by_uri[] =
	"SELECT fmid, soft_deleted, uri FROM mstore_indexing"
	" WHERE username = ? AND uri_hash = ?";
static const char sql_soft[] =
	"UPDATE mstore_indexing SET soft_deleted = ? WHERE username = ? AND fmid = ?";
static const char sql_delete[] =
	"DELETE FROM mstore_indexing WHERE username = ? AND fmid = ?";
static const char sql_add_child[] =
	"INSERT INTO mstore_indexing (username, fmid, uri, uri_hash, soft_deleted, parent_fid,"
	" is_message) VALUES (?, ?, ?, ?, 0, ?, ?)";
static const char sql_parent[] =
	"SELECT parent_fid, is_message, soft_deleted FROM mstore_indexing"
	" WHERE username = ? AND fmid = ?";
static const char sql_set_parent[] =
	"UPDATE mstore_indexing SET parent_fid = ? WHERE username = ? AND fmid = ?";

int64_t mapistore_indexing_uri_hash(const char *uri)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *uri != '\0'; uri++) {
		h ^= (uint8_t)*uri;
		h *= 0x100000001b3ULL;
	}
	return (int64_t)h;
}

enum mapistore_error mapistore_indexing_new(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *username,
	struct mapistore_indexing **idx_r)
{
	struct mapistore_indexing *idx;

	if (db == NULL || username == NULL || idx_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	idx = talloc_zero(mem_ctx, struct mapistore_indexing);
	if (idx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	idx->db = db;
	idx->username = talloc_strdup(idx, username);
	if (idx->username == NULL) {
		talloc_free(idx);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*idx_r = idx;
	return MAPISTORE_SUCCESS;
}

static bool uri_ok(const char *uri)
{
	return uri != NULL && uri[0] != '\0' && strlen(uri) <= MAPISTORE_INDEXING_MAX_URI;
}

/* Add @fmid <-> @uri with @sql: its parameters are p[0..3] (mailbox,
 * FMID, URI, URI hash, filled here) and the caller's p[4..count-1]. */
static enum mapistore_error add_entry(struct mapistore_indexing *idx, uint64_t fmid,
	const char *uri, const char *sql, struct mapistore_db_value *p, size_t count)
{
	enum mapistore_error ret;
	uint64_t existing;

	if (fmid == 0 || !uri_ok(uri)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_indexing_get_fmid(idx, uri, &existing, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_EXISTS;
	}
	if (ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	p[0] = mapistore_db_text(idx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	p[2] = mapistore_db_text(uri);
	p[3] = mapistore_db_int(mapistore_indexing_uri_hash(uri));
	return mapistore_db_exec(idx->db, sql, p, count, NULL, NULL);
}

enum mapistore_error mapistore_indexing_add(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri)
{
	struct mapistore_db_value p[4];

	return add_entry(idx, fmid, uri, sql_add, p, 4);
}

enum mapistore_error mapistore_indexing_update(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[4];
	enum mapistore_error ret;

	if (!uri_ok(uri)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p[0] = mapistore_db_text(uri);
	p[1] = mapistore_db_int(mapistore_indexing_uri_hash(uri));
	p[2] = mapistore_db_text(idx->username);
	p[3] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec(idx->db, sql_update, p, 4, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = res->affected ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_FOUND;
	talloc_free(res);
	return ret;
}

enum mapistore_error mapistore_indexing_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_indexing *idx, uint64_t fmid, char **uri_r,
	bool *soft_deleted_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;

	p[0] = mapistore_db_text(idx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec_row(idx->db, sql_by_fmid, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*uri_r = talloc_strdup(mem_ctx, mapistore_db_result_text(res, 0, 0));
	if (soft_deleted_r != NULL) {
		*soft_deleted_r = mapistore_db_result_int(res, 0, 1) != 0;
	}
	talloc_free(res);
	return *uri_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

enum mapistore_error mapistore_indexing_get_fmid(struct mapistore_indexing *idx,
	const char *uri, uint64_t *fmid_r, bool *soft_deleted_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	uint32_t i;

	if (!uri_ok(uri)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p[0] = mapistore_db_text(idx->username);
	p[1] = mapistore_db_int(mapistore_indexing_uri_hash(uri));
	ret = mapistore_db_exec(idx->db, sql_by_uri, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = MAPISTORE_ERR_NOT_FOUND;
	for (i = 0; i < res->rows; i++) {   /* hash collisions: compare */
		const char *stored = mapistore_db_result_text(res, i, 2);

		if (stored != NULL && strcmp(stored, uri) == 0) {
			*fmid_r = (uint64_t)mapistore_db_result_int(res, i, 0);
			if (soft_deleted_r != NULL) {
				*soft_deleted_r = mapistore_db_result_int(res, i, 1) != 0;
			}
			ret = MAPISTORE_SUCCESS;
			break;
		}
	}
	talloc_free(res);
	return ret;
}

enum mapistore_error mapistore_indexing_set_soft_deleted(
	struct mapistore_indexing *idx, uint64_t fmid, bool soft_deleted)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[3];
	enum mapistore_error ret;

	p[0] = mapistore_db_int(soft_deleted ? 1 : 0);
	p[1] = mapistore_db_text(idx->username);
	p[2] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec(idx->db, sql_soft, p, 3, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* MariaDB counts only changed rows: re-setting the same state is
	 * not "not found", so check existence separately when 0. */
	if (res->affected == 0) {
		char *uri = NULL;

		talloc_free(res);
		ret = mapistore_indexing_get_uri(NULL, idx, fmid, &uri, NULL);
		talloc_free(uri);
		return ret;
	}
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_indexing_delete(struct mapistore_indexing *idx,
	uint64_t fmid)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;

	p[0] = mapistore_db_text(idx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec(idx->db, sql_delete, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = res->affected ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_FOUND;
	talloc_free(res);
	return ret;
}

enum mapistore_error mapistore_indexing_add_child(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri, uint64_t parent_fid, bool is_message)
{
	struct mapistore_db_value p[6];

	p[4] = mapistore_db_int((int64_t)parent_fid);
	p[5] = mapistore_db_int(is_message ? 1 : 0);
	return add_entry(idx, fmid, uri, sql_add_child, p, 6);
}

enum mapistore_error mapistore_indexing_get_parent(struct mapistore_indexing *idx,
	uint64_t fmid, uint64_t *parent_fid_r, bool *is_message_r, bool *soft_deleted_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;

	p[0] = mapistore_db_text(idx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec_row(idx->db, sql_parent, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (parent_fid_r != NULL) {
		*parent_fid_r = (uint64_t)mapistore_db_result_int(res, 0, 0);
	}
	if (is_message_r != NULL) {
		*is_message_r = mapistore_db_result_int(res, 0, 1) != 0;
	}
	if (soft_deleted_r != NULL) {
		*soft_deleted_r = mapistore_db_result_int(res, 0, 2) != 0;
	}
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_indexing_set_parent(struct mapistore_indexing *idx,
	uint64_t fmid, uint64_t parent_fid)
{
	struct mapistore_db_value p[3];

	p[0] = mapistore_db_int((int64_t)parent_fid);
	p[1] = mapistore_db_text(idx->username);
	p[2] = mapistore_db_int((int64_t)fmid);
	return mapistore_db_exec(idx->db, sql_set_parent, p, 3, NULL, NULL);
}

char *mapistore_indexing_message_uri(TALLOC_CTX *mem_ctx, const char *folder_uri, uint64_t mid)
{
	return talloc_asprintf(mem_ctx, "%s#msg-%016llx", folder_uri, (unsigned long long)mid);
}

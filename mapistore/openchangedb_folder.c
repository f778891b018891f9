/*
 * openchangedb folders (records, children, properties), receive folders
 * ([MS-OXCSTOR] 2.2.1.2 RopGetReceiveFolder / 2.2.1.3 RopSetReceiveFolder)
 * and per-user data ([MS-OXCSTOR] 2.2.1.12 / 2.2.1.13).
 */
#include "openchangedb_private.h"
#include "mapistore_props.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char sql_folder_add[] =
	"INSERT INTO ocdb_folders (fid, mailbox_id, parent_fid, system_idx, name,"
	" mapistore_uri, change_number) VALUES (?, ?, ?, ?, ?, ?, 0)";
static const char sql_folder_get[] =
	"SELECT fid, parent_fid, system_idx, name, mapistore_uri FROM ocdb_folders"
	" WHERE fid = ?";
static const char sql_folder_children[] =
	"SELECT fid FROM ocdb_folders WHERE mailbox_id = ? AND parent_fid = ?"
	" ORDER BY fid";
static const char sql_folder_mailbox[] =
	"SELECT mailbox_id FROM ocdb_folders WHERE fid = ?";
static const char sql_folder_by_name[] =
	"SELECT fid FROM ocdb_folders WHERE mailbox_id = ? AND parent_fid = ? AND name = ?";
static const char sql_folder_system[] =
	"SELECT fid FROM ocdb_folders WHERE mailbox_id = ? AND system_idx = ?";
static const char sql_folder_del[] =
	"DELETE FROM ocdb_folders WHERE fid = ?";
static const char sql_folder_del_props[] =
	"DELETE FROM ocdb_folder_properties WHERE fid = ?";
static const char sql_prop_del[] =
	"DELETE FROM ocdb_folder_properties WHERE fid = ? AND proptag = ?";
static const char sql_prop_add[] =
	"INSERT INTO ocdb_folder_properties (fid, proptag, value) VALUES (?, ?, ?)";
static const char sql_prop_get[] =
	"SELECT value FROM ocdb_folder_properties WHERE fid = ? AND proptag = ?";
static const char sql_receive_del[] =
	"DELETE FROM ocdb_receive_folders WHERE mailbox_id = ? AND message_class = ?";
static const char sql_receive_add[] =
	"INSERT INTO ocdb_receive_folders (mailbox_id, message_class, fid) VALUES (?, ?, ?)";
static const char sql_receive_all[] =
	"SELECT message_class, fid FROM ocdb_receive_folders WHERE mailbox_id = ?";
static const char sql_per_user_del[] =
	"DELETE FROM ocdb_per_user WHERE mailbox_id = ? AND long_term_id = ?";
static const char sql_per_user_add[] =
	"INSERT INTO ocdb_per_user (mailbox_id, long_term_id, data) VALUES (?, ?, ?)";
static const char sql_per_user_get[] =
	"SELECT data FROM ocdb_per_user WHERE mailbox_id = ? AND long_term_id = ?";

enum mapistore_error openchangedb_folder_create(struct openchangedb_context *ocdb,
	const char *username, uint64_t parent_fid, uint64_t fid,
	uint32_t system_idx, const char *name, const char *mapistore_uri)
{
	struct mapistore_db_value p[6];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	if (fid == 0 || name == NULL || strlen(name) > 255) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int((int64_t)fid);
	p[1] = mapistore_db_int(mailbox_id);
	p[2] = mapistore_db_int((int64_t)parent_fid);
	p[3] = mapistore_db_int(system_idx);
	p[4] = mapistore_db_text(name);
	p[5] = mapistore_db_text(mapistore_uri);
	return openchangedb_exec(ocdb, sql_folder_add, p, 6);
}

enum mapistore_error openchangedb_folder_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid,
	struct openchangedb_folder **folder_r)
{
	struct mapistore_db_value p = mapistore_db_int((int64_t)fid);
	struct mapistore_db_result *res = NULL;
	struct openchangedb_folder *f;
	enum mapistore_error ret;

	f = talloc_zero(mem_ctx, struct openchangedb_folder);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_exec_row(ocdb->db, sql_folder_get, &p, 1, f, &res);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret;
	}
	f->fid = (uint64_t)mapistore_db_result_int(res, 0, 0);
	f->parent_fid = (uint64_t)mapistore_db_result_int(res, 0, 1);
	f->system_idx = (uint32_t)mapistore_db_result_int(res, 0, 2);
	f->name = mapistore_db_result_text(res, 0, 3);
	f->mapistore_uri = mapistore_db_result_text(res, 0, 4);
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error folder_mailbox(struct openchangedb_context *ocdb,
	uint64_t fid, int64_t *mailbox_id_r)
{
	struct mapistore_db_value p = mapistore_db_int((int64_t)fid);
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	ret = mapistore_db_exec(ocdb->db, sql_folder_mailbox, &p, 1, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = res->rows ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_FOUND;
	*mailbox_id_r = mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	return ret;
}

enum mapistore_error openchangedb_folder_get_children(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid, uint64_t **fids_r,
	uint32_t *count_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint64_t *fids;
	uint32_t i;

	ret = folder_mailbox(ocdb, fid, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)fid);
	ret = mapistore_db_exec(ocdb->db, sql_folder_children, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	fids = talloc_array(mem_ctx, uint64_t, res->rows ? res->rows : 1);
	if (fids == NULL) {
		talloc_free(res);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < res->rows; i++) {
		fids[i] = (uint64_t)mapistore_db_result_int(res, i, 0);
	}
	*count_r = res->rows;
	*fids_r = fids;
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error openchangedb_folder_find_by_name(
	struct openchangedb_context *ocdb, uint64_t parent_fid, const char *name,
	uint64_t *fid_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	ret = folder_mailbox(ocdb, parent_fid, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)parent_fid);
	p[2] = mapistore_db_text(name);
	ret = mapistore_db_exec(ocdb->db, sql_folder_by_name, p, 3, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = res->rows ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_FOUND;
	*fid_r = (uint64_t)mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	return ret;
}

enum mapistore_error openchangedb_get_system_folder_id(
	struct openchangedb_context *ocdb, const char *username,
	uint32_t system_idx, uint64_t *fid_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int(system_idx);
	ret = mapistore_db_exec(ocdb->db, sql_folder_system, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = res->rows ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_FOUND;
	*fid_r = (uint64_t)mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	return ret;
}

enum mapistore_error openchangedb_get_logon_folder_ids(
	struct openchangedb_context *ocdb, const char *username, uint64_t fids_r[13])
{
	enum mapistore_error ret;
	uint32_t i;

	if (username == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* enum order OCDB_PRIVATE_ROOT..SHORTCUTS is the RopLogon order */
	for (i = 0; i < 13; i++) {
		ret = openchangedb_get_system_folder_id(ocdb, username,
							OCDB_PRIVATE_ROOT + i, &fids_r[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error openchangedb_folder_delete(struct openchangedb_context *ocdb,
	uint64_t fid)
{
	struct mapistore_db_value p = mapistore_db_int((int64_t)fid);
	enum mapistore_error ret;
	uint64_t *children = NULL;
	uint32_t count = 0;

	ret = openchangedb_folder_get_children(NULL, ocdb, fid, &children, &count);
	talloc_free(children);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (count > 0) {
		return MAPISTORE_ERR_HAS_CHILDREN;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_folder_del_props, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_folder_del, &p, 1);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

enum mapistore_error openchangedb_folder_set_properties(
	struct openchangedb_context *ocdb, uint64_t fid,
	const struct mapistore_property *props, uint32_t count)
{
	TALLOC_CTX *frame;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	bool own_tx = !ocdb->db->in_transaction;
	uint32_t i;

	if (count > MAPISTORE_MAX_PROPERTIES || (count > 0 && props == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	frame = talloc_new(NULL);
	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (own_tx) {
		ret = mapistore_db_begin(ocdb->db);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct mapistore_db_value p[3];
		struct mapistore_binary enc;

		ret = mapistore_property_encode(frame, &props[i], &enc);
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		p[0] = mapistore_db_int((int64_t)fid);
		p[1] = mapistore_db_int(props[i].proptag);
		p[2] = mapistore_db_blob(enc.data, enc.length);
		ret = openchangedb_exec(ocdb, sql_prop_del, p, 2);
		if (ret == MAPISTORE_SUCCESS) {
			ret = openchangedb_exec(ocdb, sql_prop_add, p, 3);
		}
	}
	if (own_tx) {
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_db_commit(ocdb->db);
		} else {
			mapistore_db_rollback(ocdb->db);
		}
	}
	talloc_free(frame);
	return ret;
}

enum mapistore_error openchangedb_folder_get_properties(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid, const uint32_t *proptags,
	uint32_t count, struct mapistore_property **props_r)
{
	struct mapistore_property *props;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	if (count > MAPISTORE_MAX_PROPERTIES || (count > 0 && proptags == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	props = talloc_zero_array(mem_ctx, struct mapistore_property, count ? count : 1);
	if (props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct mapistore_db_value p[2] = {
			mapistore_db_int((int64_t)fid), mapistore_db_int(proptags[i])
		};
		struct mapistore_db_result *res = NULL;
		const struct mapistore_db_value *cell;

		ret = mapistore_db_exec(ocdb->db, sql_prop_get, p, 2, NULL, &res);
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		cell = mapistore_db_result_cell(res, 0, 0);
		if (cell == NULL) {
			props[i] = mapistore_property_not_found(proptags[i]);
		} else {
			ret = mapistore_property_decode(props, cell->data, cell->length, &props[i]);
		}
		talloc_free(res);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(props);
		return ret;
	}
	*props_r = props;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error openchangedb_set_receive_folder(
	struct openchangedb_context *ocdb, const char *username,
	const char *message_class, uint64_t fid)
{
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	/* [MS-OXCSTOR] 2.2.1.3.1: at most 255 characters */
	if (message_class == NULL || strlen(message_class) > 255) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_text(message_class);
	p[2] = mapistore_db_int((int64_t)fid);
	ret = openchangedb_exec(ocdb, sql_receive_del, p, 2);
	if (ret != MAPISTORE_SUCCESS || fid == 0) {
		return ret;   /* FID 0 removes the entry (3.2.5.3) */
	}
	return openchangedb_exec(ocdb, sql_receive_add, p, 3);
}

/* True if @registered is a case-insensitive prefix of @cls ending at '.'
 * or at the end ("IPM" matches "IPM.Note", not "IPMX"). */
static bool class_prefix(const char *registered, const char *cls)
{
	size_t n = strlen(registered);

	if (n == 0) {
		return true;
	}
	return strncasecmp(registered, cls, n) == 0 && (cls[n] == '\0' || cls[n] == '.');
}

enum mapistore_error openchangedb_get_receive_folder(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const char *message_class, uint64_t *fid_r, char **explicit_class_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p;
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	int best = -1;
	size_t best_len = 0;
	uint32_t i;

	if (message_class == NULL || strlen(message_class) > 255) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p = mapistore_db_int(mailbox_id);
	ret = mapistore_db_exec(ocdb->db, sql_receive_all, &p, 1, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	for (i = 0; i < res->rows; i++) {
		const char *cls = mapistore_db_result_text(res, i, 0);

		if (cls != NULL && class_prefix(cls, message_class) &&
		    (best < 0 || strlen(cls) > best_len)) {
			best = (int)i;
			best_len = strlen(cls);
		}
	}
	if (best < 0) {
		talloc_free(res);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	*fid_r = (uint64_t)mapistore_db_result_int(res, (uint32_t)best, 1);
	if (explicit_class_r != NULL) {
		*explicit_class_r = talloc_strdup(mem_ctx,
			mapistore_db_result_text(res, (uint32_t)best, 0));
	}
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

static void ltid_hex(const uint8_t ltid[24], char out[49])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 24; i++) {
		out[2 * i] = hex[ltid[i] >> 4];
		out[2 * i + 1] = hex[ltid[i] & 0xF];
	}
	out[48] = '\0';
}

enum mapistore_error openchangedb_per_user_set(struct openchangedb_context *ocdb,
	const char *username, const uint8_t ltid[24], const uint8_t *data,
	size_t length)
{
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	char key[49];

	if (username == NULL || ltid == NULL || length > MAPISTORE_MAX_VALUE_SIZE ||
	    (length > 0 && data == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ltid_hex(ltid, key);
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_text(key);
	p[2] = mapistore_db_blob(data, length);
	ret = mapistore_db_begin(ocdb->db);
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_per_user_del, p, 2);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_per_user_add, p, 3);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

enum mapistore_error openchangedb_per_user_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const uint8_t ltid[24], struct mapistore_binary *data_r)
{
	struct mapistore_db_result *res = NULL;
	const struct mapistore_db_value *cell;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	char key[49];

	if (username == NULL || ltid == NULL || data_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ltid_hex(ltid, key);
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_text(key);
	ret = mapistore_db_exec(ocdb->db, sql_per_user_get, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	cell = mapistore_db_result_cell(res, 0, 0);
	if (cell == NULL) {
		talloc_free(res);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	data_r->length = cell->length;
	data_r->data = talloc_memdup(mem_ctx, cell->data, cell->length ? cell->length : 1);
	talloc_free(res);
	return data_r->data ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

/*
 * openchangedb: folder permission lists ([MS-OXCPERM] 2.2.1 "permissions
 * list", one row per member: PidTagMemberId, PidTagMemberName,
 * PidTagEntryId and PidTagMemberRights), stored per mailbox and folder in
 * ocdb_folder_acl (migration 004). Contract in openchangedb.h.
 *
 * FIDs of backend folders come from each mailbox's own GLOBCNT counter,
 * so the same FID can exist in two mailboxes: rows are keyed by mailbox
 * and FID. The public store is mailbox 0. Account names compare
 * case-insensitively (as Windows account names do).
 */
#include "openchangedb_private.h"

#include <string.h>

static const char sql_acl_list[] =
	"SELECT member_id, account, member_name, entry_id, rights"
	" FROM ocdb_folder_acl WHERE mailbox_id = ? AND fid = ?"
	" ORDER BY member_id";
static const char sql_acl_clear[] =
	"DELETE FROM ocdb_folder_acl WHERE mailbox_id = ? AND fid = ?";
static const char sql_acl_add[] =
	"INSERT INTO ocdb_folder_acl (mailbox_id, fid, member_id, account,"
	" member_name, entry_id, rights) VALUES (?, ?, ?, ?, ?, ?, ?)";
/* the member's own row first, else the Default member's ([MS-OXCPERM]
 * 3.2.5.1: a user without an entry gets the rights of the default user) */
static const char sql_acl_rights[] =
	"SELECT rights FROM ocdb_folder_acl WHERE mailbox_id = ? AND fid = ?"
	" AND ((member_id > 0 AND LOWER(account) = LOWER(?)) OR member_id = 0)"
	" ORDER BY member_id DESC";
static const char sql_acl_any[] =
	"SELECT COUNT(*) FROM ocdb_folder_acl WHERE mailbox_id = ?"
	" AND ((member_id > 0 AND LOWER(account) = LOWER(?)) OR member_id = 0)"
	" AND (rights & ?) != 0";

static const char sql_acl_forget_mailbox[] =
	"DELETE FROM ocdb_folder_acl WHERE mailbox_id = ?";
static const char sql_acl_forget_member[] =
	"DELETE FROM ocdb_folder_acl WHERE member_id > 0 AND LOWER(account) = LOWER(?)";

enum mapistore_error openchangedb_acl_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	struct openchangedb_acl_entry **entries_r, uint32_t *count_r)
{
	TALLOC_CTX *frame;
	struct mapistore_db_result *res = NULL;
	struct openchangedb_acl_entry *e;
	enum mapistore_error ret;
	uint32_t i;

	if (ocdb == NULL || entries_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	frame = talloc_new(NULL);
	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = openchangedb_folder_rows(frame, ocdb, username, fid, sql_acl_list, &res);
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	e = talloc_zero_array(mem_ctx, struct openchangedb_acl_entry, res->rows + 1);
	if (e == NULL) {
		ret = MAPISTORE_ERR_NO_MEMORY;
		goto done;
	}
	for (i = 0; i < res->rows; i++) {
		const struct mapistore_db_value *blob = mapistore_db_result_cell(res, i, 3);

		e[i].member_id = mapistore_db_result_int(res, i, 0);
		e[i].account = openchangedb_result_text(e, res, i, 1);
		e[i].name = openchangedb_result_text(e, res, i, 2);
		e[i].rights = (uint32_t)mapistore_db_result_int(res, i, 4);
		if (e[i].account == NULL || e[i].name == NULL) {
			talloc_free(e);
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
		if (blob != NULL && blob->type == MAPISTORE_DB_BLOB && blob->length > 0) {
			e[i].entry_id.data = talloc_memdup(e, blob->data, blob->length);
			if (e[i].entry_id.data == NULL) {
				talloc_free(e);
				ret = MAPISTORE_ERR_NO_MEMORY;
				goto done;
			}
			e[i].entry_id.length = blob->length;
		}
	}
	*entries_r = e;
	*count_r = res->rows;
done:
	talloc_free(frame);
	return ret;
}

enum mapistore_error openchangedb_acl_set(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid,
	const struct openchangedb_acl_entry *entries, uint32_t count)
{
	struct mapistore_db_value p[7];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint32_t i;

	if (ocdb == NULL || (count > 0 && entries == NULL) ||
	    count > OPENCHANGEDB_ACL_MAX_ENTRIES) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < count; i++) {
		if (entries[i].entry_id.length > MAPISTORE_MAX_VALUE_SIZE ||
		    (entries[i].member_id > 0 && (entries[i].account == NULL ||
						  entries[i].account[0] == '\0'))) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)fid);
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = openchangedb_exec(ocdb, sql_acl_clear, p, 2);
	for (i = 0; i < count && ret == MAPISTORE_SUCCESS; i++) {
		const struct openchangedb_acl_entry *e = &entries[i];

		p[2] = mapistore_db_int(e->member_id);
		p[3] = mapistore_db_text(e->account != NULL ? e->account : "");
		p[4] = mapistore_db_text(e->name != NULL ? e->name : "");
		/* an empty entry ID is an empty value, never NULL (NOT NULL) */
		p[5] = mapistore_db_blob(e->entry_id.length > 0 ? e->entry_id.data :
					 (const uint8_t *)"", e->entry_id.length);
		p[6] = mapistore_db_int(e->rights);
		ret = openchangedb_exec(ocdb, sql_acl_add, p, 7);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

enum mapistore_error openchangedb_acl_rights(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid, const char *account,
	uint32_t *rights_r)
{
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	int64_t mailbox_id = 0, rights = 0;

	if (ocdb == NULL || account == NULL || rights_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*rights_r = 0;
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)fid);
	p[2] = mapistore_db_text(account);
	ret = mapistore_db_query_int(ocdb->db, sql_acl_rights, p, 3, &rights);
	if (ret == MAPISTORE_SUCCESS) {
		*rights_r = (uint32_t)rights;
	}
	return ret;
}

enum mapistore_error openchangedb_acl_any(struct openchangedb_context *ocdb,
	const char *username, const char *account, uint32_t mask, bool *found_r)
{
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	int64_t mailbox_id = 0, n = 0;

	if (ocdb == NULL || account == NULL || found_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*found_r = false;
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_text(account);
	p[2] = mapistore_db_int(mask);
	ret = mapistore_db_query_int(ocdb->db, sql_acl_any, p, 3, &n);
	if (ret == MAPISTORE_SUCCESS) {
		*found_r = n > 0;
	}
	return ret;
}

enum mapistore_error openchangedb_acl_forget_user(struct openchangedb_context *ocdb,
	const char *username)
{
	struct mapistore_db_value p;
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	bool has_mailbox;

	if (ocdb == NULL || username == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	has_mailbox = ret == MAPISTORE_SUCCESS;
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (has_mailbox) {
		p = mapistore_db_int(mailbox_id);
		ret = openchangedb_exec(ocdb, sql_acl_forget_mailbox, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		p = mapistore_db_text(username);
		ret = openchangedb_exec(ocdb, sql_acl_forget_member, &p, 1);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

/*
 * Local backend: contexts, root folders and folder hooks ([MS-OXCFOLD]).
 * Folder rows carry their message counters, updated in the same
 * transaction as every insert/delete, so counts are O(1).
 */
#include "local_private.h"
#include "local_hooks.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sql_root_get[] = "SELECT fid FROM roots WHERE uri = ?";
static const char sql_root_add[] = "INSERT INTO roots (uri, fid) VALUES (?, ?)";
static const char sql_folder_add[] =
	"INSERT INTO folders (fid, parent_fid, name, cn, deleted, props) VALUES (?, ?, ?, ?, 0, ?)";
static const char sql_folder_get[] =
	"SELECT parent_fid, deleted, props, msg_count, fai_count, cn FROM folders WHERE fid = ?";
static const char sql_folder_props[] = "UPDATE folders SET props = ?, name = ? WHERE fid = ?";
static const char sql_folder_by_name[] =
	"SELECT fid FROM folders WHERE parent_fid = ? AND deleted = 0 AND name = ? COLLATE NOCASE";
static const char sql_folder_children[] =
	"SELECT fid FROM folders WHERE parent_fid = ? AND deleted = 0 ORDER BY fid";
static const char sql_folder_child_count[] =
	"SELECT COUNT(*) FROM folders WHERE parent_fid = ? AND deleted = 0";
static const char sql_folder_mark_deleted[] = "UPDATE folders SET deleted = 1, cn = ? WHERE fid = ?";
static const char sql_folder_move[] = "UPDATE folders SET parent_fid = ?, cn = ? WHERE fid = ?";
static const char sql_deleted_add[] =
	"INSERT INTO deleted (fid, fmid, cn, type) VALUES (?, ?, ?, ?)";
static const char sql_deleted_since[] =
	"SELECT fmid, cn FROM deleted WHERE fid = ? AND type = ?";
static const char sql_perm_clear[] = "DELETE FROM permissions WHERE fid = ?";
static const char sql_perm_add[] =
	"INSERT INTO permissions (fid, member_id, name, rights) VALUES (?, ?, ?, ?)";
static const char sql_perm_get[] =
	"SELECT member_id, name, rights FROM permissions WHERE fid = ? ORDER BY member_id";

enum mapistore_error local_folder_props(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t fid, struct mapistore_property_list *props_r, bool *deleted_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_get);
	enum mapistore_error ret;
	int rc;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? MAPISTORE_ERR_NOT_FOUND : local_sqlite_error(rc);
	}
	*deleted_r = sqlite3_column_int(st, 1) != 0;
	ret = mapistore_properties_decode(mem_ctx, sqlite3_column_blob(st, 2),
		(size_t)sqlite3_column_bytes(st, 2), &props_r->props, &props_r->count);
	sqlite3_reset(st);
	return ret;
}

enum mapistore_error local_folder_save_props(struct local_store *s, uint64_t fid,
	const struct mapistore_property_list *props)
{
	struct mapistore_binary enc;
	enum mapistore_error ret;
	sqlite3_stmt *st;
	int idx = mapistore_properties_find(props->props, props->count, PidTagDisplayName);

	ret = mapistore_properties_encode(NULL, props->props, props->count, &enc);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	st = local_stmt(s, sql_folder_props);
	if (st == NULL) {
		talloc_free(enc.data);
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_blob(st, 1, enc.data, (int)enc.length, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idx >= 0 ? props->props[idx].value.str : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)fid);
	ret = local_step_done(st);
	talloc_free(enc.data);
	return ret;
}

static enum mapistore_error child_count(struct local_store *s, uint64_t fid, uint32_t *n_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_child_count);

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	*n_r = (uint32_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return MAPISTORE_SUCCESS;
}

/* Row of a folder: parent, deleted, counters, cn. */
static enum mapistore_error folder_row(struct local_store *s, uint64_t fid, uint64_t *parent_r,
	bool *deleted_r, uint32_t *msgs_r, uint32_t *fai_r, uint64_t *cn_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_get);
	int rc;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? MAPISTORE_ERR_NOT_FOUND : local_sqlite_error(rc);
	}
	*parent_r = (uint64_t)sqlite3_column_int64(st, 0);
	*deleted_r = sqlite3_column_int(st, 1) != 0;
	*msgs_r = (uint32_t)sqlite3_column_int64(st, 3);
	*fai_r = (uint32_t)sqlite3_column_int64(st, 4);
	*cn_r = (uint64_t)sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_folder_computed(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t fid, struct mapistore_property **props_r, uint32_t *count_r)
{
	uint64_t parent = 0, cn = 0;
	uint32_t msgs = 0, fai = 0, children = 0;
	bool deleted = false;
	enum mapistore_error ret;

	ret = folder_row(s, fid, &parent, &deleted, &msgs, &fai, &cn);
	if (ret == MAPISTORE_SUCCESS) {
		ret = child_count(s, fid, &children);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	{
		struct mapistore_property c[] = {
			{ .proptag = PidTagFolderId, .value.i64 = (int64_t)fid },
			{ .proptag = PidTagParentFolderId, .value.i64 = (int64_t)parent },
			{ .proptag = PidTagChangeNumber, .value.i64 = (int64_t)cn },
			{ .proptag = PidTagContentCount, .value.i32 = (int32_t)msgs },
			{ .proptag = PidTagAssociatedContentCount, .value.i32 = (int32_t)fai },
			{ .proptag = PidTagFolderChildCount, .value.i32 = (int32_t)children },
			{ .proptag = PidTagSubfolders, .value.b = children > 0 },
		};

		*props_r = talloc_memdup(mem_ctx, c, sizeof(c));
		*count_r = sizeof(c) / sizeof(c[0]);
	}
	return *props_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

static enum mapistore_error insert_folder(struct local_store *s, uint64_t fid, uint64_t parent,
	const char *name, uint64_t cn, const struct mapistore_property *props, uint32_t count)
{
	struct mapistore_binary enc;
	enum mapistore_error ret;
	sqlite3_stmt *st;

	ret = mapistore_properties_encode(NULL, props, count, &enc);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	st = local_stmt(s, sql_folder_add);
	if (st == NULL) {
		talloc_free(enc.data);
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	sqlite3_bind_int64(st, 2, (int64_t)parent);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)cn);
	sqlite3_bind_blob(st, 5, enc.data, (int)enc.length, SQLITE_STATIC);
	ret = local_step_done(st);
	talloc_free(enc.data);
	return ret;
}

static struct mapistore_backend_folder *folder_handle(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, uint64_t fid)
{
	struct mapistore_backend_folder *f = talloc_zero(mem_ctx, struct mapistore_backend_folder);

	if (f != NULL) {
		f->ctx = ctx;
		f->fid = fid;
	}
	return f;
}

enum mapistore_error local_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	struct local_store *s = ctx->store;
	sqlite3_stmt *st = local_stmt(s, sql_root_get);
	struct mapistore_backend_folder *f;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint64_t existing = 0;
	bool found;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_text(st, 1, ctx->root_uri, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		existing = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (found && existing != fid) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (!found) {
		/* a context's root folder gets no PidTagDisplayName of its own:
		 * its name is the mailbox's (openchangedb: "Inbox", ...), as
		 * with the memory backend, not the backend URI */
		ret = local_begin(s);
		if (ret == MAPISTORE_SUCCESS) {
			ret = insert_folder(s, fid, 0, ctx->root_uri, 0, NULL, 0);
		}
		if (ret == MAPISTORE_SUCCESS) {
			st = local_stmt(s, sql_root_add);
			if (st == NULL) {
				ret = MAPISTORE_ERR_DATABASE_OPS;
			} else {
				sqlite3_bind_text(st, 1, ctx->root_uri, -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 2, (int64_t)fid);
				ret = local_step_done(st);
			}
		}
		ret = local_end(s, ret);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	ctx->root_fid = fid;
	f = folder_handle(mem_ctx, ctx, fid);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

/* True if @fid lies in the subtree of @ancestor (fid itself included). */
static bool in_subtree(struct local_store *s, uint64_t fid, uint64_t ancestor)
{
	uint64_t cur = fid, parent, cn;
	uint32_t a, b;
	bool deleted;
	int guard;

	for (guard = 0; guard < 10000 && cur != 0; guard++) {
		if (cur == ancestor) {
			return true;
		}
		if (folder_row(s, cur, &parent, &deleted, &a, &b, &cn) != MAPISTORE_SUCCESS) {
			return false;
		}
		cur = parent;
	}
	return false;
}

enum mapistore_error local_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	uint64_t p = 0, cn = 0;
	uint32_t a, b;
	bool deleted = false;
	struct mapistore_backend_folder *f;
	enum mapistore_error ret;

	ret = folder_row(parent->ctx->store, fid, &p, &deleted, &a, &b, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (fid == parent->fid || !in_subtree(parent->ctx->store, fid, parent->fid)) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	f = folder_handle(mem_ctx, parent->ctx, fid);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error name_taken(struct local_store *s, uint64_t parent, const char *name,
	uint64_t *fid_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_by_name);
	bool found;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)parent);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found && fid_r != NULL) {
		*fid_r = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return found ? MAPISTORE_ERR_EXISTS : MAPISTORE_SUCCESS;
}

static enum mapistore_error check_alive(struct mapistore_backend_folder *f)
{
	uint64_t p, cn;
	uint32_t a, b;
	bool deleted = false;
	enum mapistore_error ret = folder_row(f->ctx->store, f->fid, &p, &deleted, &a, &b, &cn);

	if (ret == MAPISTORE_SUCCESS && deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	return ret;
}

enum mapistore_error local_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid, uint64_t change_number,
	const struct mapistore_property *props, uint32_t prop_count,
	struct mapistore_backend_folder **folder_r)
{
	struct local_store *s = parent->ctx->store;
	struct mapistore_backend_folder *f;
	enum mapistore_error ret;
	int idx = mapistore_properties_find(props, prop_count, PidTagDisplayName);

	if (idx < 0 || props[idx].value.str == NULL || props[idx].value.str[0] == '\0') {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = local_begin(s);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = check_alive(parent);
	if (ret == MAPISTORE_SUCCESS) {
		ret = name_taken(s, parent->fid, props[idx].value.str, NULL);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = insert_folder(s, fid, parent->fid, props[idx].value.str, change_number,
				    props, prop_count);
	}
	ret = local_end(s, ret);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	f = folder_handle(mem_ctx, parent->ctx, fid);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error record_deleted(struct local_store *s, uint64_t fid, uint64_t fmid,
	uint64_t cn, enum mapistore_table_type type)
{
	sqlite3_stmt *st = local_stmt(s, sql_deleted_add);

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	sqlite3_bind_int64(st, 2, (int64_t)fmid);
	sqlite3_bind_int64(st, 3, (int64_t)cn);
	sqlite3_bind_int(st, 4, (int)type);
	return local_step_done(st);
}

/* Collect the live children of @fid. */
static enum mapistore_error children_of(TALLOC_CTX *mem_ctx, struct local_store *s, uint64_t fid,
	uint64_t **fids_r, uint32_t *count_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_children);
	uint64_t *fids = NULL;
	uint32_t n = 0;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t *grown = talloc_realloc(mem_ctx, fids, uint64_t, n + 1);

		if (grown == NULL) {
			sqlite3_reset(st);
			talloc_free(fids);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		fids = grown;
		fids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	*fids_r = fids;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* Inside a transaction: mark the subtree deleted and drop its messages
 * (their blobs are collected into @blobs for removal after commit). */
static enum mapistore_error delete_subtree(struct local_store *s, uint64_t fid, uint64_t cn,
	TALLOC_CTX *blobs_ctx, char ***blobs, uint32_t *blob_count, unsigned depth)
{
	uint64_t *children = NULL;
	uint32_t n = 0, i;
	enum mapistore_error ret;
	sqlite3_stmt *st;

	if (depth > 1000) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	ret = children_of(NULL, s, fid, &children, &n);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		ret = delete_subtree(s, children[i], cn, blobs_ctx, blobs, blob_count, depth + 1);
	}
	talloc_free(children);
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_delete_all_messages(s, fid, cn, false, blobs_ctx, blobs, blob_count);
	}
	if (ret == MAPISTORE_SUCCESS) {
		st = local_stmt(s, sql_folder_mark_deleted);
		if (st == NULL) {
			return MAPISTORE_ERR_DATABASE_OPS;
		}
		sqlite3_bind_int64(st, 1, (int64_t)cn);
		sqlite3_bind_int64(st, 2, (int64_t)fid);
		ret = local_step_done(st);
	}
	return ret;
}

enum mapistore_error local_folder_delete(struct mapistore_backend_folder *folder,
	uint8_t flags, uint64_t change_number)
{
	struct local_store *s = folder->ctx->store;
	uint64_t parent = 0, cn;
	uint32_t msgs = 0, fai = 0, children = 0, blob_count = 0;
	char **blobs = NULL;
	bool deleted = false;
	enum mapistore_error ret;

	if (folder->fid == folder->ctx->root_fid) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	ret = local_begin(s);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = folder_row(s, folder->fid, &parent, &deleted, &msgs, &fai, &cn);
	if (ret == MAPISTORE_SUCCESS && deleted) {
		ret = MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = child_count(s, folder->fid, &children);
	}
	if (ret == MAPISTORE_SUCCESS && children > 0 && !(flags & DEL_FOLDERS)) {
		ret = MAPISTORE_ERR_HAS_CHILDREN;
	}
	if (ret == MAPISTORE_SUCCESS && msgs + fai > 0 && !(flags & DEL_MESSAGES)) {
		ret = MAPISTORE_ERR_HAS_MESSAGES;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = delete_subtree(s, folder->fid, change_number, folder, &blobs, &blob_count, 0);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = record_deleted(s, parent, folder->fid, change_number, MAPISTORE_FOLDER_TABLE);
	}
	ret = local_end_remove_blobs(s, ret, blobs, blob_count);
	talloc_free(blobs);
	return ret;
}

enum mapistore_error local_folder_move(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, const char *new_name, uint64_t change_number)
{
	struct local_store *s = folder->ctx->store;
	struct mapistore_property_list p = { 0 };
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint64_t old_parent = 0, cn, other = 0;
	uint32_t a, b;
	bool deleted = false;
	enum mapistore_error ret;
	sqlite3_stmt *st;
	int idx;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (folder->fid == folder->ctx->root_fid) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_ACCESS;
	}
	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = folder_row(s, folder->fid, &old_parent, &deleted, &a, &b, &cn);
	}
	if (ret == MAPISTORE_SUCCESS && deleted) {
		ret = MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = check_alive(new_parent);
	}
	if (ret == MAPISTORE_SUCCESS && in_subtree(s, new_parent->fid, folder->fid)) {
		ret = MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_folder_props(tmp, s, folder->fid, &p, &deleted);
	}
	if (ret == MAPISTORE_SUCCESS && new_name != NULL) {
		struct mapistore_property dn = { .proptag = PidTagDisplayName,
			.value.str = discard_const_p(char, new_name) };

		ret = mapistore_property_list_set(tmp, &p, &dn, 1);
	}
	idx = mapistore_properties_find(p.props, p.count, PidTagDisplayName);
	if (ret == MAPISTORE_SUCCESS && idx >= 0 &&
	    name_taken(s, new_parent->fid, p.props[idx].value.str, &other) == MAPISTORE_ERR_EXISTS &&
	    other != folder->fid) {
		ret = MAPISTORE_ERR_EXISTS;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_folder_save_props(s, folder->fid, &p);
	}
	if (ret == MAPISTORE_SUCCESS) {
		st = local_stmt(s, sql_folder_move);
		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
		} else {
			sqlite3_bind_int64(st, 1, (int64_t)new_parent->fid);
			sqlite3_bind_int64(st, 2, (int64_t)change_number);
			sqlite3_bind_int64(st, 3, (int64_t)folder->fid);
			ret = local_step_done(st);
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = record_deleted(s, old_parent, folder->fid, change_number, MAPISTORE_FOLDER_TABLE);
	}
	ret = local_end(s, ret);
	talloc_free(tmp);
	return ret;
}

/* Inside a transaction: copy folder @src (and its messages, and with
 * @recursive its subtree) under @dst_parent as @fid. */
static enum mapistore_error copy_tree(struct local_store *s, uint64_t src, uint64_t dst_parent,
	uint64_t fid, const char *new_name, bool recursive,
	enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r), void *alloc_ctx,
	unsigned depth)
{
	struct mapistore_property_list p = { 0 };
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint64_t *children = NULL;
	uint32_t n = 0, i;
	bool deleted = false;
	enum mapistore_error ret;
	int idx;

	if (tmp == NULL || depth > 1000) {
		talloc_free(tmp);
		return tmp ? MAPISTORE_ERR_CORRUPTED : MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_folder_props(tmp, s, src, &p, &deleted);
	if (ret == MAPISTORE_SUCCESS && new_name != NULL) {
		struct mapistore_property dn = { .proptag = PidTagDisplayName,
			.value.str = discard_const_p(char, new_name) };

		ret = mapistore_property_list_set(tmp, &p, &dn, 1);
	}
	idx = mapistore_properties_find(p.props, p.count, PidTagDisplayName);
	if (ret == MAPISTORE_SUCCESS) {
		ret = insert_folder(s, fid, dst_parent, idx >= 0 ? p.props[idx].value.str : "",
				    0, p.props, p.count);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_copy_all_messages(s, src, fid, id_alloc, alloc_ctx);
	}
	if (ret == MAPISTORE_SUCCESS && recursive) {
		ret = children_of(tmp, s, src, &children, &n);
	}
	for (i = 0; recursive && ret == MAPISTORE_SUCCESS && i < n; i++) {
		uint64_t sub = 0;

		ret = id_alloc(alloc_ctx, &sub);
		if (ret == MAPISTORE_SUCCESS) {
			ret = copy_tree(s, children[i], fid, sub, NULL, true, id_alloc, alloc_ctx, depth + 1);
		}
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_folder_copy(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, uint64_t new_fid, const char *new_name,
	bool recursive, enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r),
	void *alloc_ctx)
{
	struct local_store *s = folder->ctx->store;
	struct mapistore_property_list p = { 0 };
	TALLOC_CTX *tmp = talloc_new(NULL);
	bool deleted = false;
	enum mapistore_error ret;
	const char *name = new_name;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = check_alive(folder);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = check_alive(new_parent);
	}
	if (ret == MAPISTORE_SUCCESS && recursive && in_subtree(s, new_parent->fid, folder->fid)) {
		ret = MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (ret == MAPISTORE_SUCCESS && name == NULL) {
		ret = local_folder_props(tmp, s, folder->fid, &p, &deleted);
		if (ret == MAPISTORE_SUCCESS) {
			int idx = mapistore_properties_find(p.props, p.count, PidTagDisplayName);

			name = idx >= 0 ? p.props[idx].value.str : "";
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = name_taken(s, new_parent->fid, name, NULL);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = copy_tree(s, folder->fid, new_parent->fid, new_fid, new_name, recursive,
				id_alloc, alloc_ctx, 0);
	}
	ret = local_end(s, ret);
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_folder_empty(struct mapistore_backend_folder *folder,
	bool delete_subfolders, uint64_t change_number)
{
	struct local_store *s = folder->ctx->store;
	uint64_t *children = NULL;
	uint32_t n = 0, i, blob_count = 0;
	char **blobs = NULL;
	enum mapistore_error ret;

	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = check_alive(folder);
	}
	if (ret == MAPISTORE_SUCCESS) {
		/* [MS-OXCFOLD] 3.2.5.9: normal messages only, FAI stay */
		ret = local_delete_all_messages(s, folder->fid, change_number, true, folder,
						&blobs, &blob_count);
	}
	if (ret == MAPISTORE_SUCCESS && delete_subfolders) {
		ret = children_of(folder, s, folder->fid, &children, &n);
	}
	for (i = 0; delete_subfolders && ret == MAPISTORE_SUCCESS && i < n; i++) {
		ret = delete_subtree(s, children[i], change_number, folder, &blobs, &blob_count, 0);
		if (ret == MAPISTORE_SUCCESS) {
			ret = record_deleted(s, folder->fid, children[i], change_number,
					     MAPISTORE_FOLDER_TABLE);
		}
	}
	talloc_free(children);
	ret = local_end_remove_blobs(s, ret, blobs, blob_count);
	talloc_free(blobs);
	return ret;
}

enum mapistore_error local_folder_get_child_count(struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type, uint32_t *count_r)
{
	uint64_t parent, cn;
	uint32_t msgs = 0, fai = 0;
	bool deleted = false;
	enum mapistore_error ret;
	struct mapistore_permission *perms = NULL;

	ret = folder_row(folder->ctx->store, folder->fid, &parent, &deleted, &msgs, &fai, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	switch (table_type) {
	case MAPISTORE_FOLDER_TABLE:
		return child_count(folder->ctx->store, folder->fid, count_r);
	case MAPISTORE_MESSAGE_TABLE:
		*count_r = msgs;
		return MAPISTORE_SUCCESS;
	case MAPISTORE_FAI_TABLE:
		*count_r = fai;
		return MAPISTORE_SUCCESS;
	case MAPISTORE_PERMISSIONS_TABLE:
		ret = local_folder_get_permissions(NULL, folder, &perms, count_r);
		talloc_free(perms);
		return ret;
	default:
		*count_r = 0;
		return MAPISTORE_SUCCESS;
	}
}

enum mapistore_error local_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	uint64_t since_cn, uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r)
{
	sqlite3_stmt *st = local_stmt(folder->ctx->store, sql_deleted_since);
	uint64_t *fmids = NULL, max_cn = since_cn;
	uint32_t n = 0;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	fmids = talloc_array(mem_ctx, uint64_t, 1);
	if (fmids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	sqlite3_bind_int64(st, 1, (int64_t)folder->fid);
	sqlite3_bind_int(st, 2, (int)table_type);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t cn = (uint64_t)sqlite3_column_int64(st, 1);
		uint64_t *grown;

		/* compare by GLOBCNT: the uint64 form is byte-swapped */
		if (mapistore_fmid_globcnt(cn) <= mapistore_fmid_globcnt(since_cn)) {
			continue;
		}
		grown = talloc_realloc(mem_ctx, fmids, uint64_t, n + 1);
		if (grown == NULL) {
			sqlite3_reset(st);
			talloc_free(fmids);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		fmids = grown;
		fmids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
		if (mapistore_fmid_globcnt(cn) > mapistore_fmid_globcnt(max_cn)) {
			max_cn = cn;
		}
	}
	sqlite3_reset(st);
	*fmids_r = fmids;
	*count_r = n;
	*cn_r = max_cn;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, struct mapistore_permission **perms_r,
	uint32_t *count_r)
{
	sqlite3_stmt *st = local_stmt(folder->ctx->store, sql_perm_get);
	struct mapistore_permission *p;
	uint32_t n = 0;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	p = talloc_zero_array(mem_ctx, struct mapistore_permission, 1);
	if (p == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	sqlite3_bind_int64(st, 1, (int64_t)folder->fid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct mapistore_permission *grown = talloc_realloc(mem_ctx, p,
			struct mapistore_permission, n + 1);

		if (grown == NULL) {
			sqlite3_reset(st);
			talloc_free(p);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		p = grown;
		p[n].member_id = sqlite3_column_int64(st, 0);
		p[n].name = talloc_strdup(p, (const char *)sqlite3_column_text(st, 1));
		p[n].rights = (uint32_t)sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_reset(st);
	*perms_r = p;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_folder_set_permissions(struct mapistore_backend_folder *folder,
	const struct mapistore_permission *perms, uint32_t count)
{
	struct local_store *s = folder->ctx->store;
	enum mapistore_error ret;
	sqlite3_stmt *st;
	uint32_t i;

	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = check_alive(folder);
	}
	if (ret == MAPISTORE_SUCCESS) {
		st = local_stmt(s, sql_perm_clear);
		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
		} else {
			sqlite3_bind_int64(st, 1, (int64_t)folder->fid);
			ret = local_step_done(st);
		}
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		st = local_stmt(s, sql_perm_add);
		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
			break;
		}
		sqlite3_bind_int64(st, 1, (int64_t)folder->fid);
		sqlite3_bind_int64(st, 2, perms[i].member_id);
		sqlite3_bind_text(st, 3, perms[i].name ? perms[i].name : "", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, perms[i].rights);
		ret = local_step_done(st);
	}
	ret = local_end(s, ret);
	return ret;
}

enum mapistore_error local_folder_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, char **uri_r)
{
	if (folder->fid == folder->ctx->root_fid) {
		*uri_r = talloc_strdup(mem_ctx, folder->ctx->root_uri);
	} else {
		*uri_r = talloc_asprintf(mem_ctx, "%s0x%016" PRIx64 "/", folder->ctx->root_uri,
					 folder->fid);
	}
	return *uri_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}


/*
 * Local backend messages ([MS-OXCMSG]). A handle edits a private working
 * copy (struct local_msg). message_save encodes it; content larger than
 * LOCAL_INLINE_MAX goes to a blob file that is durable before the one
 * SQLite transaction that references it commits. Old blobs are removed
 * only after that commit; a crash in between leaves an orphan blob that
 * local_fsck() collects, never a message pointing at missing data.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <string.h>

static const char sql_msg_get[] =
	"SELECT fid, fai, cn, props, content, content_blob, checksum FROM messages WHERE mid = ?";
static const char sql_msg_exists[] = "SELECT content_blob FROM messages WHERE mid = ?";
static const char sql_msg_insert[] =
	"INSERT INTO messages (mid, fid, fai, seq, cn, props, content, content_blob, checksum)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_msg_update[] =
	"UPDATE messages SET cn = ?, props = ?, content = ?, content_blob = ?, checksum = ?"
	" WHERE mid = ?";
static const char sql_msg_props[] = "UPDATE messages SET props = ? WHERE mid = ?";
static const char sql_msg_delete[] = "DELETE FROM messages WHERE mid = ?";
static const char sql_msg_of_folder[] =
	"SELECT mid, fai, content_blob FROM messages WHERE fid = ?";
static const char sql_count_add[] =
	"UPDATE folders SET msg_count = msg_count + ?, fai_count = fai_count + ? WHERE fid = ?";
static const char sql_folder_alive[] = "SELECT deleted FROM folders WHERE fid = ?";
static const char sql_deleted_add[] =
	"INSERT INTO deleted (fid, fmid, cn, type) VALUES (?, ?, ?, ?)";

enum mapistore_error local_message_load(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t mid, uint64_t *fid_r, bool *fai_r, uint64_t *cn_r, struct local_msg **m_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_msg_get);
	const uint8_t *content;
	uint8_t *blob = NULL;
	size_t clen;
	struct local_msg *m = NULL;
	enum mapistore_error ret;
	uint64_t sum;
	int rc;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)mid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? MAPISTORE_ERR_NOT_FOUND : local_sqlite_error(rc);
	}
	*fid_r = (uint64_t)sqlite3_column_int64(st, 0);
	*fai_r = sqlite3_column_int(st, 1) != 0;
	*cn_r = (uint64_t)sqlite3_column_int64(st, 2);
	sum = (uint64_t)sqlite3_column_int64(st, 6);
	content = sqlite3_column_blob(st, 4);
	clen = (size_t)sqlite3_column_bytes(st, 4);
	if (sqlite3_column_type(st, 5) == SQLITE_TEXT) {
		ret = local_blob_read(mem_ctx, s, (const char *)sqlite3_column_text(st, 5), &blob, &clen);
		if (ret != MAPISTORE_SUCCESS) {
			sqlite3_reset(st);
			return ret;
		}
		content = blob;
	}
	if (content == NULL || local_checksum(content, clen) != sum) {
		ret = MAPISTORE_ERR_CORRUPTED;
	} else {
		ret = local_msg_decode(mem_ctx, content, clen, false, &m);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_decode(m, sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3), &m->props.props, &m->props.count);
	}
	sqlite3_reset(st);
	talloc_free(blob);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	*m_r = m;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error folder_alive(struct local_store *s, uint64_t fid)
{
	sqlite3_stmt *st = local_stmt(s, sql_folder_alive);
	enum mapistore_error ret;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		ret = MAPISTORE_ERR_NOT_FOUND;
	} else {
		ret = sqlite3_column_int(st, 0) ? MAPISTORE_ERR_OBJECT_DELETED : MAPISTORE_SUCCESS;
	}
	sqlite3_reset(st);
	return ret;
}

static struct mapistore_backend_message *handle_new(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, uint64_t fid, uint64_t mid)
{
	struct mapistore_backend_message *h = talloc_zero(mem_ctx, struct mapistore_backend_message);

	if (h != NULL) {
		h->ctx = ctx;
		h->fid = fid;
		h->mid = mid;
	}
	return h;
}

enum mapistore_error local_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;
	enum mapistore_error ret;
	uint64_t fid = 0;

	h = handle_new(mem_ctx, folder->ctx, folder->fid, mid);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_message_load(h, folder->ctx->store, mid, &fid, &h->fai, &h->cn, &h->work);
	if (ret == MAPISTORE_SUCCESS && fid != folder->fid) {
		ret = MAPISTORE_ERR_NOT_FOUND;   /* exists, but in another folder */
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(h);
		return ret;
	}
	h->read_write = read_write;
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool associated,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;
	enum mapistore_error ret;

	if (mid == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = folder_alive(folder->ctx->store, folder->fid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	h = handle_new(mem_ctx, folder->ctx, folder->fid, mid);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->work = talloc_zero(h, struct local_msg);
	if (h->work == NULL) {
		talloc_free(h);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->fai = associated;
	h->read_write = true;
	h->is_new = true;
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error count_add(struct local_store *s, uint64_t fid, bool fai, int delta)
{
	sqlite3_stmt *st = local_stmt(s, sql_count_add);

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int(st, 1, fai ? 0 : delta);
	sqlite3_bind_int(st, 2, fai ? delta : 0);
	sqlite3_bind_int64(st, 3, (int64_t)fid);
	return local_step_done(st);
}

/* The blob name of a stored message ("" if inline); ERR_NOT_FOUND if none. */
static enum mapistore_error stored_blob(TALLOC_CTX *mem_ctx, struct local_store *s, uint64_t mid,
	char **blob_r)
{
	sqlite3_stmt *st = local_stmt(s, sql_msg_exists);
	enum mapistore_error ret = MAPISTORE_ERR_NOT_FOUND;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)mid);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*blob_r = talloc_strdup(mem_ctx, sqlite3_column_type(st, 0) == SQLITE_TEXT ?
					(const char *)sqlite3_column_text(st, 0) : "");
		ret = *blob_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	sqlite3_reset(st);
	return ret;
}

/* Write message @m as @mid into @fid (insert or update), inside a
 * transaction; @new_blob_r / @old_blob_r name files to clean up. */
static enum mapistore_error store_message(struct local_store *s, uint64_t fid, uint64_t mid,
	bool fai, uint64_t cn, const struct local_msg *m, bool must_be_new, TALLOC_CTX *mem_ctx,
	char **new_blob_r, char **old_blob_r)
{
	struct mapistore_binary props, content;
	enum mapistore_error ret;
	char blob[33] = "";
	char *old = NULL;
	sqlite3_stmt *st;
	bool exists;

	ret = mapistore_properties_encode(mem_ctx, m->props.props, m->props.count, &props);
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_msg_encode(mem_ctx, m, false, &content);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (content.length > LOCAL_INLINE_MAX) {
		ret = local_blob_write(s, content.data, content.length, blob);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
		*new_blob_r = talloc_strdup(mem_ctx, blob);
	}
	ret = stored_blob(mem_ctx, s, mid, &old);
	exists = ret == MAPISTORE_SUCCESS;
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	if (exists && must_be_new) {
		return MAPISTORE_ERR_EXISTS;
	}
	if (!exists && !must_be_new) {
		return MAPISTORE_ERR_OBJECT_DELETED;   /* deleted under the handle */
	}
	st = local_stmt(s, exists ? sql_msg_update : sql_msg_insert);
	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	if (exists) {
		sqlite3_bind_int64(st, 1, (int64_t)cn);
		sqlite3_bind_blob(st, 2, props.data, (int)props.length, SQLITE_STATIC);
		if (blob[0]) {
			sqlite3_bind_null(st, 3);
			sqlite3_bind_text(st, 4, blob, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_blob(st, 3, content.data, (int)content.length, SQLITE_STATIC);
			sqlite3_bind_null(st, 4);
		}
		sqlite3_bind_int64(st, 5, (int64_t)local_checksum(content.data, content.length));
		sqlite3_bind_int64(st, 6, (int64_t)mid);
		if (old != NULL && old[0] != '\0') {
			*old_blob_r = old;
		}
	} else {
		sqlite3_bind_int64(st, 1, (int64_t)mid);
		sqlite3_bind_int64(st, 2, (int64_t)fid);
		sqlite3_bind_int(st, 3, fai ? 1 : 0);
		sqlite3_bind_int64(st, 4, (int64_t)mapistore_fmid_globcnt(mid));
		sqlite3_bind_int64(st, 5, (int64_t)cn);
		sqlite3_bind_blob(st, 6, props.data, (int)props.length, SQLITE_STATIC);
		if (blob[0]) {
			sqlite3_bind_null(st, 7);
			sqlite3_bind_text(st, 8, blob, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_blob(st, 7, content.data, (int)content.length, SQLITE_STATIC);
			sqlite3_bind_null(st, 8);
		}
		sqlite3_bind_int64(st, 9, (int64_t)local_checksum(content.data, content.length));
	}
	ret = local_step_done(st);
	if (ret == MAPISTORE_SUCCESS && !exists) {
		ret = count_add(s, fid, fai, 1);
	}
	return ret;
}

enum mapistore_error local_message_save(struct mapistore_backend_message *msg,
	uint64_t change_number)
{
	struct local_store *s = msg->ctx->store;
	char *new_blob = NULL, *old_blob = NULL;
	TALLOC_CTX *tmp;
	enum mapistore_error ret;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (msg->parent_att != NULL) {
		struct local_msg *copy = NULL;

		/* embedded: saved into the parent's working copy */
		ret = local_msg_clone(msg->parent_att->data, msg->work, &copy);
		if (ret == MAPISTORE_SUCCESS) {
			talloc_free(msg->parent_att->data->embedded);
			msg->parent_att->data->embedded = copy;
		}
		return ret;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = folder_alive(s, msg->fid);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = store_message(s, msg->fid, msg->mid, msg->fai, change_number, msg->work,
				    msg->is_new, tmp, &new_blob, &old_blob);
	}
	ret = local_end(s, ret);
	if (ret == MAPISTORE_SUCCESS) {
		msg->is_new = false;
		msg->cn = change_number;
		if (old_blob != NULL) {
			local_blob_remove(s, old_blob);
		}
	} else if (new_blob != NULL) {
		local_blob_remove(s, new_blob);
	}
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error record_deleted(struct local_store *s, uint64_t fid, uint64_t fmid,
	uint64_t cn, bool fai)
{
	sqlite3_stmt *st = local_stmt(s, sql_deleted_add);

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	sqlite3_bind_int64(st, 2, (int64_t)fmid);
	sqlite3_bind_int64(st, 3, (int64_t)cn);
	sqlite3_bind_int(st, 4, fai ? MAPISTORE_FAI_TABLE : MAPISTORE_MESSAGE_TABLE);
	return local_step_done(st);
}

static enum mapistore_error add_blob(TALLOC_CTX *ctx, char ***blobs, uint32_t *count,
	const char *name)
{
	char **grown = talloc_realloc(ctx, *blobs, char *, *count + 1);

	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*blobs = grown;
	grown[*count] = talloc_strdup(grown, name);
	if (grown[*count] == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	(*count)++;
	return MAPISTORE_SUCCESS;
}

/* Inside a transaction: remove one message row. */
static enum mapistore_error remove_one(struct local_store *s, uint64_t fid, uint64_t mid,
	uint64_t cn, TALLOC_CTX *blobs_ctx, char ***blobs, uint32_t *blob_count)
{
	uint64_t mfid = 0, mcn = 0;
	bool fai = false;
	char *blob = NULL;
	enum mapistore_error ret;
	sqlite3_stmt *st;
	struct local_msg *m = NULL;

	/* read the row header only: a damaged body must still be deletable */
	st = local_stmt(s, sql_msg_get);
	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)mid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	mfid = (uint64_t)sqlite3_column_int64(st, 0);
	fai = sqlite3_column_int(st, 1) != 0;
	mcn = (uint64_t)sqlite3_column_int64(st, 2);
	if (sqlite3_column_type(st, 5) == SQLITE_TEXT) {
		blob = talloc_strdup(blobs_ctx, (const char *)sqlite3_column_text(st, 5));
	}
	sqlite3_reset(st);
	(void)mcn;
	(void)m;
	if (mfid != fid) {
		talloc_free(blob);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	st = local_stmt(s, sql_msg_delete);
	if (st == NULL) {
		talloc_free(blob);
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)mid);
	ret = local_step_done(st);
	if (ret == MAPISTORE_SUCCESS) {
		ret = count_add(s, fid, fai, -1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = record_deleted(s, fid, mid, cn, fai);
	}
	if (ret == MAPISTORE_SUCCESS && blob != NULL) {
		ret = add_blob(blobs_ctx, blobs, blob_count, blob);
	}
	talloc_free(blob);
	return ret;
}

enum mapistore_error local_delete_all_messages(struct local_store *s, uint64_t fid,
	uint64_t cn, bool normal_only, TALLOC_CTX *blobs_ctx, char ***blobs, uint32_t *blob_count)
{
	sqlite3_stmt *st = local_stmt(s, sql_msg_of_folder);
	uint64_t *mids = NULL;
	uint32_t n = 0, i;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t *grown;

		if (normal_only && sqlite3_column_int(st, 1) != 0) {
			continue;
		}
		grown = talloc_realloc(blobs_ctx, mids, uint64_t, n + 1);
		if (grown == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		mids = grown;
		mids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		ret = remove_one(s, fid, mids[i], cn, blobs_ctx, blobs, blob_count);
	}
	talloc_free(mids);
	return ret;
}

enum mapistore_error local_copy_all_messages(struct local_store *s, uint64_t src, uint64_t dst,
	enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r), void *alloc_ctx)
{
	sqlite3_stmt *st = local_stmt(s, sql_msg_of_folder);
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint64_t *mids = NULL;
	uint32_t n = 0, i;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (st == NULL || tmp == NULL) {
		talloc_free(tmp);
		return st ? MAPISTORE_ERR_NO_MEMORY : MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)src);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t *grown = talloc_realloc(tmp, mids, uint64_t, n + 1);

		if (grown == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		mids = grown;
		mids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		struct local_msg *m = NULL;
		char *nb = NULL, *ob = NULL;
		uint64_t fid, cn, new_mid = 0;
		bool fai;

		ret = local_message_load(tmp, s, mids[i], &fid, &fai, &cn, &m);
		if (ret == MAPISTORE_SUCCESS) {
			ret = id_alloc(alloc_ctx, &new_mid);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = store_message(s, dst, new_mid, fai, cn, m, true, tmp, &nb, &ob);
		}
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_folder_delete_messages(struct mapistore_backend_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard, uint64_t change_number)
{
	struct local_store *s = folder->ctx->store;
	char **blobs = NULL;
	uint32_t blob_count = 0, i;
	enum mapistore_error ret;

	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = folder_alive(s, folder->fid);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		ret = remove_one(s, folder->fid, mids[i], change_number, folder, &blobs, &blob_count);
		if (ret == MAPISTORE_ERR_NOT_FOUND) {
			ret = MAPISTORE_SUCCESS;   /* unknown MIDs are skipped */
		}
	}
	ret = local_end_remove_blobs(s, ret, blobs, blob_count);
	talloc_free(blobs);
	return ret;
}

enum mapistore_error local_folder_move_copy_messages(struct mapistore_backend_folder *dst,
	struct mapistore_backend_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy, uint64_t change_number)
{
	struct local_store *s = dst->ctx->store;
	TALLOC_CTX *tmp = talloc_new(NULL);
	char **blobs = NULL, **new_blobs = NULL;
	uint32_t blob_count = 0, new_count = 0, i;
	enum mapistore_error ret;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (src->ctx->store != s) {
		/* different contexts of one user: same file, but another
		 * connection; keep it simple and refuse */
		talloc_free(tmp);
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = folder_alive(s, dst->fid);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct local_msg *m = NULL;
		char *nb = NULL, *ob = NULL;
		uint64_t fid = 0, cn = 0;
		bool fai = false;

		ret = local_message_load(tmp, s, mids[i], &fid, &fai, &cn, &m);
		if (ret == MAPISTORE_SUCCESS && fid != src->fid) {
			ret = MAPISTORE_ERR_NOT_FOUND;
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = store_message(s, dst->fid, new_mids[i], fai, change_number, m, true, tmp,
					    &nb, &ob);
			if (nb != NULL && add_blob(tmp, &new_blobs, &new_count, nb) != MAPISTORE_SUCCESS) {
				ret = MAPISTORE_ERR_NO_MEMORY;
			}
		}
		if (ret == MAPISTORE_SUCCESS && !want_copy) {
			ret = remove_one(s, src->fid, mids[i], change_number, tmp, &blobs, &blob_count);
		}
	}
	ret = local_end_remove_blobs(s, ret, blobs, blob_count);
	for (i = 0; ret != MAPISTORE_SUCCESS && i < new_count; i++) {
		local_blob_remove(s, new_blobs[i]);
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r)
{
	struct local_msg *w = msg->work;
	enum mapistore_error ret;

	ret = mapistore_recipients_copy(mem_ctx, w->recipients, w->recipient_count, recipients_r);
	if (ret == MAPISTORE_SUCCESS) {
		*count_r = w->recipient_count;
	}
	return ret;
}

/* [MS-OXCMSG] 2.2.3.5: rows are matched by row_id; no properties removes one. */
enum mapistore_error local_message_modify_recipients(struct mapistore_backend_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count)
{
	struct local_msg *w = msg->work;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	return mapistore_recipients_modify(w, &w->recipients, &w->recipient_count,
					   LOCAL_MAX_RECIPIENTS, recipients, count);
}

static enum mapistore_error flags_update(TALLOC_CTX *owner, struct mapistore_property_list *p,
	uint32_t set, uint32_t clear)
{
	return mapistore_property_list_update_flags(owner, p, PidTagMessageFlags, set, clear);
}

enum mapistore_error local_message_set_read_flag(struct mapistore_backend_message *msg,
	uint8_t flags)
{
	uint32_t set = (flags & MSGFLAG_CLEAR_READ) ? 0 : mfRead;
	uint32_t clear = (flags & MSGFLAG_CLEAR_READ) ? mfRead : 0;
	struct local_store *s = msg->ctx->store;
	struct local_msg *stored = NULL;
	struct mapistore_binary enc;
	enum mapistore_error ret;
	uint64_t fid, cn;
	bool fai;
	sqlite3_stmt *st;

	ret = flags_update(msg->work, &msg->work->props, set, clear);
	if (ret != MAPISTORE_SUCCESS || msg->parent_att != NULL || msg->is_new) {
		return ret;
	}
	/* the read state is not part of a save ([MS-OXCMSG] 3.2.5.6):
	 * update the stored properties now */
	ret = local_begin(s);
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_message_load(msg, s, msg->mid, &fid, &fai, &cn, &stored);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = flags_update(stored, &stored->props, set, clear);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_encode(stored, stored->props.props, stored->props.count, &enc);
	}
	if (ret == MAPISTORE_SUCCESS) {
		st = local_stmt(s, sql_msg_props);
		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
		} else {
			sqlite3_bind_blob(st, 1, enc.data, (int)enc.length, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, (int64_t)msg->mid);
			ret = local_step_done(st);
		}
	}
	ret = local_end(s, ret);
	talloc_free(stored);
	return ret;
}

enum mapistore_error local_message_submit(struct mapistore_backend_message *msg, uint32_t flags)
{
	enum mapistore_error ret;

	if (msg->parent_att != NULL || !msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	/* no transport yet: mark submitted; a spooler picks it up later */
	ret = flags_update(msg->work, &msg->work->props, mfSubmitted, 0);
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_message_save(msg, msg->cn);
	}
	return ret;
}

static enum mapistore_error att_handle(TALLOC_CTX *mem_ctx, struct mapistore_backend_message *msg,
	struct local_att *data, struct mapistore_backend_attachment **att_r)
{
	struct mapistore_backend_attachment *a = talloc_zero(mem_ctx, struct mapistore_backend_attachment);

	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	a->msg = msg;
	a->data = data;
	*att_r = a;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_attachment **att_r,
	uint32_t *aid_r)
{
	struct local_msg *w = msg->work;
	struct local_att **grown, *a;
	enum mapistore_error ret;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (w->att_count >= LOCAL_MAX_ATTACHMENTS) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	grown = talloc_realloc(w, w->atts, struct local_att *, w->att_count + 1);
	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	w->atts = grown;
	a = talloc_zero(grown, struct local_att);
	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	a->aid = w->next_aid++;
	ret = att_handle(mem_ctx, msg, a, att_r);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(a);
		return ret;
	}
	grown[w->att_count++] = a;
	*aid_r = a->aid;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, uint32_t aid,
	struct mapistore_backend_attachment **att_r)
{
	uint32_t i;

	for (i = 0; i < msg->work->att_count; i++) {
		if (msg->work->atts[i]->aid == aid) {
			return att_handle(mem_ctx, msg, msg->work->atts[i], att_r);
		}
	}
	return MAPISTORE_ERR_NOT_FOUND;
}

enum mapistore_error local_message_delete_attachment(struct mapistore_backend_message *msg,
	uint32_t aid)
{
	struct local_msg *w = msg->work;
	uint32_t i;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	for (i = 0; i < w->att_count; i++) {
		if (w->atts[i]->aid == aid) {
			/* keep the data alive for open handles: park it on the message */
			talloc_steal(msg, w->atts[i]);
			memmove(&w->atts[i], &w->atts[i + 1], sizeof(w->atts[0]) * (w->att_count - i - 1));
			w->att_count--;
			return MAPISTORE_SUCCESS;
		}
	}
	return MAPISTORE_ERR_NOT_FOUND;
}

enum mapistore_error local_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_attachment *att, bool create,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;
	enum mapistore_error ret;

	if (!create && att->data->embedded == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	if (create && !att->msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	h = handle_new(mem_ctx, att->msg->ctx, 0, 0);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->parent_att = att;
	h->read_write = att->msg->read_write;
	if (!create) {
		ret = local_msg_clone(h, att->data->embedded, &h->work);
	} else {
		h->work = talloc_zero(h, struct local_msg);
		ret = h->work ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(h);
		return ret;
	}
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

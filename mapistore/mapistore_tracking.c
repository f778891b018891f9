/*
 * What each operation records for ICS ([MS-OXCFXICS] 2.2.1.2, 3.1.5.3):
 * the replica of the context, the tracking properties stamped on an
 * object (PidTagSourceKey, PidTagParentSourceKey, PidTagChangeKey,
 * PidTagPredecessorChangeList, PidTagLastModificationTime) and the rows
 * of mapistore_changes.c. Folder and message wrappers call these.
 */
#include "mapistore_private.h"
#include "mapistore_indexing.h"
#include "openchangedb.h"

#include <string.h>
#include <time.h>

/* Seconds from 1601-01-01 to 1970-01-01. */
#define FILETIME_UNIX_EPOCH 11644473600LL

int64_t mapistore_filetime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + FILETIME_UNIX_EPOCH) * 10000000LL + ts.tv_nsec / 100;
}

enum mapistore_error mapistore_track_replica(struct mapistore_context *ctx)
{
	struct openchangedb_mailbox *mbx = NULL;
	enum mapistore_error ret;
	char *guid = NULL;

	if (ctx->replica_known) {
		return MAPISTORE_SUCCESS;
	}
	ret = openchangedb_mailbox_get(ctx, ctx->ocdb, ctx->username, &mbx);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_guid_from_string(mbx->replica_guid, ctx->replica_guid);
		ctx->has_mailbox = true;
		talloc_free(mbx);
	} else if (ret == MAPISTORE_ERR_NOT_FOUND) {
		/* no mailbox: the server replica (public store, tests) */
		ret = openchangedb_replica_get_guid(ctx, ctx->ocdb, OPENCHANGEDB_SERVER_REPLID, &guid);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_guid_from_string(guid, ctx->replica_guid);
		}
		ctx->has_mailbox = false;
		talloc_free(guid);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ctx->replica_known = true;
	}
	return ret;
}

enum mapistore_error mapistore_changes_get_replica(struct mapistore_context *ctx,
	uint8_t guid_r[16], uint64_t *last_globcnt_r)
{
	enum mapistore_error ret;
	uint64_t probe = 0;

	if (ctx == NULL || guid_r == NULL || last_globcnt_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_track_replica(ctx);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	memcpy(guid_r, ctx->replica_guid, 16);
	/* the counter's current value: taking one costs one GLOBCNT, which
	 * is never reused anyway ([MS-OXCDATA] 2.2.1) */
	ret = mapistore_new_id(ctx, &probe);
	if (ret == MAPISTORE_SUCCESS) {
		*last_globcnt_r = mapistore_fmid_globcnt(probe);
	}
	return ret;
}

enum mapistore_error mapistore_track_source_key(struct mapistore_context *ctx, uint64_t fmid,
	uint8_t key[MAPISTORE_SOURCE_KEY_SIZE])
{
	enum mapistore_error ret = mapistore_track_replica(ctx);

	if (ret == MAPISTORE_SUCCESS) {
		mapistore_xid_make(ctx->replica_guid, mapistore_fmid_globcnt(fmid), key);
	}
	return ret;
}

enum mapistore_error mapistore_track_stamp(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fmid, uint64_t cn, const struct mapistore_binary *old_pcl,
	const struct mapistore_binary *client_ck, const struct mapistore_binary *client_pcl,
	uint64_t parent_fid, struct mapistore_change *c, struct mapistore_property *props_r,
	uint32_t *prop_count_r)
{
	struct mapistore_binary merged = { 0 }, mine = { 0 };
	enum mapistore_error ret;
	uint32_t n = 0;
	uint8_t *sk, *psk = NULL;

	ret = mapistore_track_replica(ctx);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	c->fmid = fmid;
	c->cn = mapistore_fmid_globcnt(cn);
	mapistore_xid_make(ctx->replica_guid, mapistore_fmid_globcnt(fmid), c->source_key);
	if (client_ck != NULL && client_ck->length >= 17 && client_ck->length <= 24) {
		/* an imported change keeps the client's change key (2.2.1.2.7) */
		memcpy(c->change_key, client_ck->data, client_ck->length);
		c->change_key_size = (uint8_t)client_ck->length;
	} else {
		mapistore_xid_make(ctx->replica_guid, c->cn, c->change_key);
		c->change_key_size = MAPISTORE_SOURCE_KEY_SIZE;
	}
	ret = mapistore_pcl_merge(mem_ctx, old_pcl, client_pcl, &merged);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_pcl_from_xid(mem_ctx, c->change_key, c->change_key_size, &mine);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_pcl_merge(mem_ctx, &merged, &mine, &c->pcl);
	}
	talloc_free(merged.data);
	talloc_free(mine.data);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	c->last_modified = mapistore_filetime_now();
	sk = talloc_memdup(mem_ctx, c->source_key, MAPISTORE_SOURCE_KEY_SIZE);
	if (parent_fid != 0) {
		psk = talloc_size(mem_ctx, MAPISTORE_SOURCE_KEY_SIZE);
		if (psk != NULL) {
			mapistore_xid_make(ctx->replica_guid, mapistore_fmid_globcnt(parent_fid), psk);
		}
	}
	if (sk == NULL || (parent_fid != 0 && psk == NULL)) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	props_r[n].proptag = PidTagSourceKey;
	props_r[n].value.bin.data = sk;
	props_r[n++].value.bin.length = MAPISTORE_SOURCE_KEY_SIZE;
	props_r[n].proptag = PidTagChangeKey;
	props_r[n].value.bin.data = c->change_key;
	props_r[n++].value.bin.length = c->change_key_size;
	props_r[n].proptag = PidTagPredecessorChangeList;
	props_r[n++].value.bin = c->pcl;
	props_r[n].proptag = PidTagLastModificationTime;
	props_r[n++].value.i64 = c->last_modified;
	if (psk != NULL) {
		props_r[n].proptag = PidTagParentSourceKey;
		props_r[n].value.bin.data = psk;
		props_r[n++].value.bin.length = MAPISTORE_SOURCE_KEY_SIZE;
	}
	*prop_count_r = n;
	return MAPISTORE_SUCCESS;
}

/* Everything tracked below @fid goes (rows only: no tombstones for the
 * contents of a deleted folder, the folder's own tombstone says it). */
static enum mapistore_error drop_tree(struct mapistore_context *ctx, uint64_t fid,
	unsigned depth)
{
	enum mapistore_error ret;
	uint64_t *fmids = NULL;
	int64_t *kinds = NULL;
	uint32_t n = 0, i;

	if (depth > 64) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	ret = mapistore_changes_children(NULL, ctx, fid, &fmids, &kinds, &n);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		if (kinds[i] == MAPISTORE_CHANGE_KIND_FOLDER) {
			ret = drop_tree(ctx, fmids[i], depth + 1);
		}
	}
	talloc_free(fmids);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_drop_children(ctx, fid);
	}
	return ret;
}

enum mapistore_error mapistore_track_folder_gone(struct mapistore_context *ctx, uint64_t fid,
	uint64_t parent_fid, bool hard)
{
	struct mapistore_tombstone t = { .fmid = fid, .parent_fid = parent_fid, .is_folder = true,
					 .hard = hard };
	struct mapistore_change *row = NULL;
	enum mapistore_error ret;
	uint64_t cn = 0;

	ret = mapistore_changes_load(NULL, ctx, fid, &row);
	if (ret == MAPISTORE_SUCCESS) {
		t.parent_fid = row->parent_fid;
		talloc_free(row);
	} else if (ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	ret = mapistore_new_id(ctx, &cn);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_source_key(ctx, fid, t.source_key);
	}
	if (ret == MAPISTORE_SUCCESS) {
		t.cn = mapistore_fmid_globcnt(cn);
		ret = drop_tree(ctx, fid, 0);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_bury(ctx, &t, 1);
	}
	return ret;
}

enum mapistore_error mapistore_track_new_folder(struct mapistore_folder *folder,
	uint64_t parent_fid, bool set_props)
{
	struct mapistore_context *ctx = folder->obj.ctx;
	struct mapistore_property props[5];
	struct mapistore_change c = { .is_folder = true, .parent_fid = parent_fid };
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint32_t n = 0;
	uint64_t cn = 0;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_new_id(ctx, &cn);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_stamp(tmp, ctx, folder->fid, cn, NULL, NULL, NULL, parent_fid,
					    &c, props, &n);
	}
	if (ret == MAPISTORE_SUCCESS && set_props) {
		ret = folder->obj.ops->properties_set(&folder->obj.bobj, props, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_put(ctx, &c);
	}
	talloc_free(tmp);
	return ret;
}

/* Size of a message as ICS reports it: the sum of its property values
 * (recipients and attachments are not counted). */
static uint64_t message_size(struct mapistore_message *m)
{
	const struct mapistore_backend_ops *ops = m->obj.ops;
	struct mapistore_property *props = NULL;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint32_t *tags = NULL, n = 0, i;
	uint64_t size = 0;

	if (tmp == NULL) {
		return 0;
	}
	if (ops->properties_list(tmp, &m->obj.bobj, &tags, &n) == MAPISTORE_SUCCESS &&
	    n <= MAPISTORE_MAX_PROPERTIES &&
	    ops->properties_get(tmp, &m->obj.bobj, tags, n, &props) == MAPISTORE_SUCCESS) {
		for (i = 0; i < n; i++) {
			if (!mapistore_property_is_error(&props[i])) {
				size += mapistore_property_size(&props[i]);
			}
		}
	}
	talloc_free(tmp);
	return size;
}

enum mapistore_error mapistore_track_message_save(struct mapistore_message *m, uint64_t cn,
	struct mapistore_change **old_r, bool *is_new_r)
{
	struct mapistore_context *ctx = m->obj.ctx;
	const struct mapistore_backend_ops *ops = m->obj.ops;
	struct mapistore_change *old = NULL, c = { .parent_fid = m->fid };
	struct mapistore_property props[5], *cur = NULL;
	uint32_t tags[3] = { PidTagPredecessorChangeList, 0x67AA000B, 0x0E070003 }, n = 0;
	struct mapistore_binary stored_pcl = { 0 };
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_changes_load(tmp, ctx, m->mid, &old);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		old = NULL;
		ret = MAPISTORE_SUCCESS;
	}
	/* without a row (first save, or a message the client gave a PCL),
	 * the stored PCL and flags come from the object */
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->properties_get(tmp, &m->obj.bobj, tags, 3, &cur);
	}
	if (ret == MAPISTORE_SUCCESS) {
		if (!mapistore_property_is_error(&cur[0])) {
			stored_pcl = cur[0].value.bin;
		}
		if (!m->fai_known) {
			m->fai = !mapistore_property_is_error(&cur[1]) && cur[1].value.b;
			m->fai_known = true;
		}
		c.fai = m->fai;
		c.read = !mapistore_property_is_error(&cur[2]) && (cur[2].value.i32 & 1);
		if (old != NULL) {
			c.read_cn = old->read_cn;
		}
		ret = mapistore_track_stamp(tmp, ctx, m->mid, cn, old ? &old->pcl : &stored_pcl,
			m->client_change_key.length ? &m->client_change_key : NULL,
			m->client_pcl.length ? &m->client_pcl : NULL, 0, &c, props, &n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->properties_set(&m->obj.bobj, props, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		c.message_size = message_size(m);
		/* the row first: after a crash before the backend commits, the
		 * row names a CN the object lacks (an extra download), never
		 * the reverse (a lost change) */
		ret = mapistore_changes_put(ctx, &c);
	}
	if (ret == MAPISTORE_SUCCESS) {
		*is_new_r = old == NULL;
		*old_r = old ? talloc_steal(NULL, old) : NULL;
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_track_bury_messages(struct mapistore_context *ctx, uint64_t fid,
	const uint64_t *mids, uint32_t count, bool hard)
{
	struct mapistore_tombstone *t;
	enum mapistore_error ret;
	uint64_t first = 0;
	uint32_t i;

	if (count == 0) {
		return MAPISTORE_SUCCESS;
	}
	t = talloc_zero_array(NULL, struct mapistore_tombstone, count);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	/* one CN per deletion: cursors over tombstones stay exact */
	ret = mapistore_new_ids(ctx, count, &first);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct mapistore_change *row = NULL;

		t[i].fmid = mids[i];
		t[i].parent_fid = fid;
		t[i].hard = hard;
		t[i].cn = mapistore_fmid_globcnt(first) + i;
		if (mapistore_changes_load(NULL, ctx, mids[i], &row) == MAPISTORE_SUCCESS) {
			t[i].fai = row->fai;
			talloc_free(row);
		}
		ret = mapistore_track_source_key(ctx, mids[i], t[i].source_key);
		if (ret == MAPISTORE_SUCCESS) {
			ret = hard ? mapistore_indexing_delete(ctx->indexing, mids[i])
				   : mapistore_indexing_set_soft_deleted(ctx->indexing, mids[i], true);
			if (ret == MAPISTORE_ERR_NOT_FOUND) {
				ret = MAPISTORE_SUCCESS;
			}
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_bury(ctx, t, count);
	}
	talloc_free(t);
	return ret;
}

/* Index message @mid of folder @fid (first save, move, copy). */
enum mapistore_error mapistore_track_index_message(struct mapistore_context *ctx,
	uint64_t fid, const char *folder_uri, uint64_t mid)
{
	enum mapistore_error ret;
	char *muri = mapistore_indexing_message_uri(NULL, folder_uri, mid);

	if (muri == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_indexing_add_child(ctx->indexing, mid, muri, fid, true);
	talloc_free(muri);
	return ret == MAPISTORE_ERR_EXISTS ? MAPISTORE_SUCCESS : ret;
}

enum mapistore_error mapistore_track_adopt_message(struct mapistore_folder *folder,
	uint64_t mid, const struct mapistore_binary *old_pcl)
{
	struct mapistore_context *ctx = folder->obj.ctx;
	const struct mapistore_backend_ops *ops = folder->obj.ops;
	struct mapistore_backend_message *bm = NULL;
	struct mapistore_change c = { .parent_fid = folder->fid };
	struct mapistore_property props[5], *cur = NULL;
	uint32_t tags[2] = { 0x67AA000B, 0x0E070003 }, n = 0;
	struct mapistore_message m;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint64_t cn = 0;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = ops->message_open(tmp, folder->b, mid, true, &bm);
	memset(&m, 0, sizeof(m));
	m.obj.ctx = ctx;
	m.obj.ops = ops;
	m.obj.bobj.kind = MAPISTORE_OBJECT_MESSAGE;
	m.obj.bobj.u.message = bm;
	m.b = bm;
	m.mid = mid;
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_new_id(ctx, &cn);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->properties_get(tmp, &m.obj.bobj, tags, 2, &cur);
	}
	if (ret == MAPISTORE_SUCCESS) {
		c.fai = !mapistore_property_is_error(&cur[0]) && cur[0].value.b;
		c.read = !mapistore_property_is_error(&cur[1]) && (cur[1].value.i32 & 1);
		ret = mapistore_track_stamp(tmp, ctx, mid, cn, old_pcl, NULL, NULL, 0, &c, props, &n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->properties_set(&m.obj.bobj, props, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		c.message_size = message_size(&m);
		ret = mapistore_changes_put(ctx, &c);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->message_save(bm, cn);
	}
	if (ret == MAPISTORE_SUCCESS) {
		char *uri = NULL;

		ret = ops->folder_get_uri(tmp, folder->b, &uri);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_track_index_message(ctx, folder->fid, uri, mid);
		}
	}
	talloc_free(tmp);
	return ret;
}

/* Rows (FMIDs) of a table of @folder. */
static enum mapistore_error table_fmids(TALLOC_CTX *mem_ctx, struct mapistore_folder *folder,
	enum mapistore_table_type type, uint64_t **fmids_r, uint32_t *count_r)
{
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t col = 0x67480014, total = 0, got = 0, i;   /* PidTagFolderId */
	enum mapistore_error ret;
	uint64_t *fmids;

	ret = mapistore_folder_open_table(mem_ctx, folder, type, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, &col, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(t, &total);
	}
	if (ret == MAPISTORE_SUCCESS && total > MAPISTORE_MAX_QUERY_ROWS) {
		ret = MAPISTORE_ERR_TOO_BIG;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(t, t, total, &rows, &got);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return ret;
	}
	fmids = talloc_array(mem_ctx, uint64_t, got + 1);
	for (i = 0; fmids != NULL && i < got; i++) {
		fmids[i] = rows[i].fmid;
	}
	talloc_free(t);
	if (fmids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*fmids_r = fmids;
	*count_r = got;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_track_copied_tree(struct mapistore_folder *copy, unsigned depth)
{
	static const enum mapistore_table_type contents[2] = { MAPISTORE_MESSAGE_TABLE,
							       MAPISTORE_FAI_TABLE };
	struct mapistore_context *ctx = copy->obj.ctx;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint64_t *fmids = NULL;
	uint32_t n = 0, i, k;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (depth > 64) {
		talloc_free(tmp);
		return MAPISTORE_ERR_TOO_BIG;
	}
	for (k = 0; ret == MAPISTORE_SUCCESS && k < 2; k++) {
		ret = table_fmids(tmp, copy, contents[k], &fmids, &n);
		for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
			ret = mapistore_track_adopt_message(copy, fmids[i], NULL);
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = table_fmids(tmp, copy, MAPISTORE_FOLDER_TABLE, &fmids, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		struct mapistore_folder *sub = NULL;
		char *uri = NULL;

		ret = mapistore_folder_open_child(tmp, copy, fmids[i], &sub);
		if (ret == MAPISTORE_SUCCESS) {
			ret = sub->obj.ops->folder_get_uri(tmp, sub->b, &uri);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_indexing_add_child(ctx->indexing, fmids[i], uri, copy->fid,
							   false);
			ret = ret == MAPISTORE_ERR_EXISTS ? MAPISTORE_SUCCESS : ret;
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_track_new_folder(sub, copy->fid, true);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_track_copied_tree(sub, depth + 1);
		}
	}
	talloc_free(tmp);
	return ret;
}

/*
 * One folder change ([MS-OXCFXICS] 3.1.5.3): a new CN from the mailbox
 * counter, the tracking properties stamped (merged with the previous
 * row's PCL, 2.2.1.2.8) and the row written. @folder NULL: a folder the
 * backend does not hold (openchangedb), nothing stamped on an object.
 */
static enum mapistore_error track_folder(struct mapistore_context *ctx,
	struct mapistore_folder *folder, uint64_t fid, uint64_t parent_fid,
	const struct mapistore_change *old)
{
	struct mapistore_change c = { .is_folder = true, .parent_fid = parent_fid };
	struct mapistore_property props[5];
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint32_t n = 0;
	uint64_t cn = 0;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_new_id(ctx, &cn);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_stamp(tmp, ctx, fid, cn, old ? &old->pcl : NULL, NULL,
					    NULL, parent_fid, &c, props, &n);
	}
	if (ret == MAPISTORE_SUCCESS && folder != NULL) {
		ret = folder->obj.ops->properties_set(&folder->obj.bobj, props, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_put(ctx, &c);
	}
	talloc_free(tmp);
	return ret;
}

/* The parent of openchangedb folder @fid (system folder, or the record
 * of a special folder attached to a backend root). */
static enum mapistore_error ocdb_parent(struct mapistore_context *ctx, uint64_t fid,
	uint64_t *parent_r)
{
	struct openchangedb_folder *rec = NULL;
	enum mapistore_error ret;

	if (ctx->ocdb == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	ret = openchangedb_folder_get(NULL, ctx->ocdb, fid, &rec);
	if (ret == MAPISTORE_SUCCESS) {
		*parent_r = rec->parent_fid;
		talloc_free(rec);
	}
	return ret;
}

enum mapistore_error mapistore_changes_track_folder(struct mapistore_context *ctx,
	uint64_t fid, uint64_t parent_fid)
{
	struct mapistore_change *old = NULL;
	enum mapistore_error ret;

	if (ctx == NULL || fid == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_changes_load(NULL, ctx, fid, &old);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		old = NULL;
		ret = MAPISTORE_SUCCESS;
	}
	if (ret == MAPISTORE_SUCCESS && parent_fid == 0) {
		/* openchangedb's record first: it is where such a folder lives */
		ret = ocdb_parent(ctx, fid, &parent_fid);
		if (ret == MAPISTORE_ERR_NOT_FOUND && old != NULL) {
			parent_fid = old->parent_fid;
			ret = MAPISTORE_SUCCESS;
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = track_folder(ctx, NULL, fid, parent_fid, old);
	}
	talloc_free(old);
	return ret;
}

enum mapistore_error mapistore_track_folder_change(struct mapistore_folder *folder,
	uint64_t parent_fid)
{
	struct mapistore_context *ctx = folder->obj.ctx;
	struct mapistore_change *old = NULL;
	enum mapistore_error ret;

	ret = mapistore_changes_load(NULL, ctx, folder->fid, &old);
	if (ret == MAPISTORE_ERR_NOT_FOUND && parent_fid == 0) {
		/* a backend root: tracked when openchangedb holds it (a
		 * special folder: its parent is a system folder), else not */
		ret = ocdb_parent(ctx, folder->fid, &parent_fid);
		if (ret == MAPISTORE_ERR_NOT_FOUND || (ret == MAPISTORE_SUCCESS &&
						       parent_fid == 0)) {
			return MAPISTORE_SUCCESS;
		}
	} else if (ret == MAPISTORE_ERR_NOT_FOUND) {
		old = NULL;
		ret = MAPISTORE_SUCCESS;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = track_folder(ctx, folder, folder->fid,
				   parent_fid ? parent_fid : old->parent_fid, old);
	}
	talloc_free(old);
	return ret;
}

enum mapistore_error mapistore_track_emptied(struct mapistore_folder *folder,
	bool delete_subfolders)
{
	struct mapistore_context *ctx = folder->obj.ctx;
	enum mapistore_error ret;
	uint64_t *fmids = NULL, *mids;
	int64_t *kinds = NULL;
	uint32_t n = 0, m = 0, i;

	ret = mapistore_changes_children(NULL, ctx, folder->fid, &fmids, &kinds, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	mids = talloc_array(fmids, uint64_t, n + 1);
	if (mids == NULL) {
		talloc_free(fmids);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		if (kinds[i] != MAPISTORE_CHANGE_KIND_FOLDER) {
			mids[m++] = fmids[i];
		}
	}
	/* RopEmptyFolder deletes normal messages (and subfolders) only;
	 * FAI messages stay ([MS-OXCFOLD] 2.2.1.9) when the backend keeps
	 * them: bury only what is really gone */
	ret = mapistore_track_bury_gone(folder, mids, m);
	for (i = 0; ret == MAPISTORE_SUCCESS && delete_subfolders && i < n; i++) {
		if (kinds[i] == MAPISTORE_CHANGE_KIND_FOLDER) {
			ret = mapistore_track_folder_gone(ctx, fmids[i], folder->fid, true);
			if (ret == MAPISTORE_SUCCESS) {
				ret = mapistore_indexing_delete(ctx->indexing, fmids[i]);
				ret = ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_SUCCESS : ret;
			}
		}
	}
	talloc_free(fmids);
	return ret;
}

enum mapistore_error mapistore_track_bury_gone(struct mapistore_folder *folder,
	const uint64_t *mids, uint32_t count)
{
	uint64_t *gone = talloc_array(NULL, uint64_t, count + 1);
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t n = 0, i;

	if (gone == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		struct mapistore_backend_message *bm = NULL;
		enum mapistore_error r = folder->obj.ops->message_open(gone, folder->b, mids[i],
								       false, &bm);

		if (r == MAPISTORE_ERR_NOT_FOUND || r == MAPISTORE_ERR_OBJECT_DELETED) {
			gone[n++] = mids[i];
		}
		talloc_free(bm);
	}
	ret = mapistore_track_bury_messages(folder->obj.ctx, folder->fid, gone, n, true);
	talloc_free(gone);
	return ret;
}

enum mapistore_error mapistore_track_moved(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy)
{
	struct mapistore_context *ctx = dst->obj.ctx;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct mapistore_change *old = NULL;

		if (!want_copy && mapistore_changes_load(NULL, ctx, mids[i], &old) !=
		    MAPISTORE_SUCCESS) {
			old = NULL;
		}
		/* a moved message keeps its history in the PCL; a copy is new */
		ret = mapistore_track_adopt_message(dst, new_mids[i], old ? &old->pcl : NULL);
		talloc_free(old);
	}
	if (ret == MAPISTORE_SUCCESS && !want_copy) {
		ret = mapistore_track_bury_messages(ctx, src->fid, mids, count, true);
	}
	return ret;
}

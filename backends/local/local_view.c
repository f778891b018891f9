/*
 * Native restrictions, sort orders and positioned reads of the local
 * backend's contents tables ([MS-OXCTABL] RopRestrict, RopSortTable,
 * RopSeekRow, RopSeekRowFractional, RopSeekRowBookmark).
 *
 * A table whose rows are restricted or sorted, or that is read at a
 * position other than right after its previous page, gets a view: one
 * indexed scan of the folder's messages (messages_folder index, creation
 * order) evaluates the restriction (mapistore_restriction_ctx, with the
 * message content for SubObjectRestrictions), sorts the survivors with
 * the same comparison as the core's emulation (missing values first,
 * ties in creation order) and writes (slot, pos) -> mid into a
 * connection-local temporary table keyed by position. Every later read,
 * seek or bookmark lookup is then one B-tree lookup: O(log n).
 *
 * A view is rebuilt when the store changed since it was built (an update
 * hook counts this connection's changes, PRAGMA data_version the
 * others'). Views live in LOCAL_VIEW_SLOTS slots per connection; the
 * least recently used is evicted, so no table needs a destructor that
 * touches the database.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <stdlib.h>
#include <string.h>

static const char sql_scan[] =
	"SELECT mid, cn, props FROM messages WHERE fid = ? AND fai = ? ORDER BY seq";
static const char sql_clear[] = "DELETE FROM temp.views WHERE slot = ?";
static const char sql_insert[] = "INSERT INTO temp.views (slot, pos, mid) VALUES (?, ?, ?)";
static const char sql_page[] =
	"SELECT mid FROM temp.views WHERE slot = ? AND pos >= ? ORDER BY pos LIMIT ?";
static const char sql_find[] = "SELECT pos FROM temp.views WHERE slot = ? AND mid = ?";
static const char sql_data_version[] = "PRAGMA data_version";

bool local_view_wanted(const struct mapistore_backend_table *t, uint32_t position)
{
	if (t->type != MAPISTORE_MESSAGE_TABLE && t->type != MAPISTORE_FAI_TABLE) {
		return false;
	}
	if (t->restriction != NULL || t->sort_count > 0) {
		return true;
	}
	/* natural order: sequential pages use the keyset path */
	return !(position == 0 || (t->cursor_valid && position == t->next_position));
}

void local_view_invalidate(struct mapistore_backend_table *t)
{
	t->view_built = false;
	t->cursor_valid = false;
}

static int64_t data_version(struct local_store *s)
{
	sqlite3_stmt *st = local_stmt(s, sql_data_version);
	int64_t v = -1;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
	}
	if (st != NULL) {
		sqlite3_reset(st);
	}
	return v;
}

static bool view_fresh(struct mapistore_backend_table *t)
{
	struct local_store *s = t->ctx->store;

	return t->view_built && s->views[t->view_slot].generation == t->view_generation &&
	       t->view_change_seq == s->change_seq && t->view_data_version == data_version(s);
}

/* One entry per message that passed the restriction. */
struct view_entry {
	uint64_t mid;
	uint32_t natural;
	struct mapistore_property *keys;   /* sort columns, NULL = missing */
	bool *present;
};

static __thread const struct mapistore_backend_table *sorting;

static int entry_compare(const void *a, const void *b)
{
	const struct view_entry *ea = a, *eb = b;
	uint32_t i;

	for (i = 0; i < sorting->sort_count; i++) {
		int c = 0;

		if (!ea->present[i] || !eb->present[i]) {
			c = (int)ea->present[i] - (int)eb->present[i];
		} else if (mapistore_property_compare(&ea->keys[i], &eb->keys[i], &c) !=
			   MAPISTORE_SUCCESS) {
			c = 0;
		}
		if (c != 0) {
			return sorting->sort[i].order == TABLE_SORT_DESCEND ? -c : c;
		}
	}
	return (ea->natural > eb->natural) - (ea->natural < eb->natural);
}

/* Subobject rows of a stored message for SubObjectRestrictions. */
static enum mapistore_error view_subobject(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct local_store *s = private_data;
	const uint64_t *mid = object;
	struct mapistore_row *rows;
	struct local_msg *m = NULL;
	enum mapistore_error ret;
	uint64_t fid = 0, cn = 0;
	uint32_t i, n;
	bool fai = false;

	ret = local_message_load(mem_ctx, s, *mid, &fid, &fai, &cn, &m);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	n = subobject == PidTagMessageRecipients ? m->recipient_count : m->att_count;
	rows = talloc_zero_array(m, struct mapistore_row, n ? n : 1);
	if (rows == NULL) {
		talloc_free(m);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		if (subobject == PidTagMessageRecipients) {
			rows[i].fmid = m->recipients[i].row_id;
			rows[i].count = m->recipients[i].count;
			rows[i].props = m->recipients[i].props;
		} else {
			struct mapistore_property *p = talloc_array(rows, struct mapistore_property,
				m->atts[i]->props.count + 1);

			if (p == NULL) {
				talloc_free(m);
				return MAPISTORE_ERR_NO_MEMORY;
			}
			memcpy(p, m->atts[i]->props.props,
			       sizeof(*p) * m->atts[i]->props.count);
			p[m->atts[i]->props.count].proptag = PidTagAttachNumber;
			p[m->atts[i]->props.count].value.i32 = (int32_t)m->atts[i]->aid;
			rows[i].fmid = m->atts[i]->aid;
			rows[i].count = m->atts[i]->props.count + 1;
			rows[i].props = p;
		}
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* Stored properties, then the computed ones (stored win, as in rows). */
static enum mapistore_error all_props(TALLOC_CTX *mem_ctx, const struct mapistore_backend_table *t,
	uint64_t mid, int64_t cn, const struct mapistore_property_list *p,
	struct mapistore_property **all_r, uint32_t *count_r)
{
	struct mapistore_property *all = talloc_array(mem_ctx, struct mapistore_property,
						      p->count + 4);

	if (all == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (p->count > 0) {
		memcpy(all, p->props, sizeof(*all) * p->count);
	}
	all[p->count].proptag = PidTagMid;
	all[p->count].value.i64 = (int64_t)mid;
	all[p->count + 1].proptag = PidTagFolderId;
	all[p->count + 1].value.i64 = (int64_t)t->fid;
	all[p->count + 2].proptag = PidTagChangeNumber;
	all[p->count + 2].value.i64 = cn;
	all[p->count + 3].proptag = PidTagAssociated;
	all[p->count + 3].value.b = t->type == MAPISTORE_FAI_TABLE;
	*all_r = all;
	*count_r = p->count + 4;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error keep_entry(TALLOC_CTX *mem_ctx, const struct mapistore_backend_table *t,
	struct view_entry *e, const struct mapistore_property *all, uint32_t count)
{
	uint32_t i;

	e->keys = talloc_zero_array(mem_ctx, struct mapistore_property, t->sort_count);
	e->present = talloc_zero_array(mem_ctx, bool, t->sort_count);
	if (e->keys == NULL || e->present == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < t->sort_count; i++) {
		int idx = mapistore_properties_find(all, count, t->sort[i].proptag);

		if (idx >= 0) {
			enum mapistore_error ret = mapistore_property_copy(mem_ctx, &e->keys[i],
									   &all[idx]);

			if (ret != MAPISTORE_SUCCESS) {
				return ret;
			}
			e->present[i] = true;
		}
	}
	return MAPISTORE_SUCCESS;
}

/* Scan the folder in creation order, keeping what the restriction passes. */
static enum mapistore_error scan(TALLOC_CTX *mem_ctx, struct mapistore_backend_table *t,
	struct view_entry **entries_r, uint32_t *count_r)
{
	struct local_store *s = t->ctx->store;
	struct mapistore_restriction_ctx *rctx = NULL;
	struct view_entry *entries = NULL;
	uint32_t n = 0, cap = 0;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	sqlite3_stmt *st;
	int rc;

	if (t->restriction != NULL) {
		ret = mapistore_restriction_ctx_new(mem_ctx, t->restriction, view_subobject, s, &rctx);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	st = local_stmt(s, sql_scan);
	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)t->fid);
	sqlite3_bind_int(st, 2, t->type == MAPISTORE_FAI_TABLE);
	while (ret == MAPISTORE_SUCCESS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		TALLOC_CTX *row_tmp = talloc_new(mem_ctx);
		struct mapistore_property *all = NULL;
		struct mapistore_property_list p = { 0 };
		uint64_t mid = (uint64_t)sqlite3_column_int64(st, 0);
		uint32_t all_count = 0;
		bool match = true;

		if (row_tmp == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		if (rctx != NULL || t->sort_count > 0) {
			ret = mapistore_properties_decode(row_tmp, sqlite3_column_blob(st, 2),
				(size_t)sqlite3_column_bytes(st, 2), &p.props, &p.count);
			if (ret == MAPISTORE_SUCCESS) {
				ret = all_props(row_tmp, t, mid, sqlite3_column_int64(st, 1), &p, &all,
						&all_count);
			}
		}
		if (ret == MAPISTORE_SUCCESS && rctx != NULL) {
			ret = mapistore_restriction_ctx_eval(rctx, all, all_count, &mid, &match);
		}
		if (ret == MAPISTORE_SUCCESS && match) {
			if (n == cap) {
				struct view_entry *grown;

				cap = cap ? cap * 2 : 256;
				grown = talloc_realloc(mem_ctx, entries, struct view_entry, cap);
				if (grown == NULL) {
					ret = MAPISTORE_ERR_NO_MEMORY;
				}
				entries = grown ? grown : entries;
			}
			if (ret == MAPISTORE_SUCCESS) {
				memset(&entries[n], 0, sizeof(entries[n]));
				entries[n].mid = mid;
				entries[n].natural = n;
				if (t->sort_count > 0) {
					ret = keep_entry(entries, t, &entries[n], all, all_count);
				}
				n++;
			}
		}
		talloc_free(row_tmp);
	}
	sqlite3_reset(st);
	talloc_free(rctx);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(entries);
		return ret;
	}
	*entries_r = entries;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* The slot to (re)use: this table's if still assigned, else the LRU. */
static uint32_t pick_slot(struct mapistore_backend_table *t)
{
	struct local_store *s = t->ctx->store;
	uint32_t i, best = 0;

	if (t->view_built && s->views[t->view_slot].generation == t->view_generation) {
		return t->view_slot;
	}
	for (i = 1; i < LOCAL_VIEW_SLOTS; i++) {
		if (s->views[i].last_used < s->views[best].last_used) {
			best = i;
		}
	}
	s->views[best].generation++;
	return best;
}

static enum mapistore_error write_view(struct local_store *s, uint32_t slot,
	const struct view_entry *entries, uint32_t n)
{
	bool own_tx = sqlite3_get_autocommit(s->db) != 0;
	enum mapistore_error ret;
	sqlite3_stmt *st;
	uint32_t i;

	if (own_tx && sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	st = local_stmt(s, sql_clear);
	if (st == NULL) {
		ret = MAPISTORE_ERR_DATABASE_OPS;
		goto done;
	}
	sqlite3_bind_int64(st, 1, slot);
	ret = local_step_done(st);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		st = local_stmt(s, sql_insert);
		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
			break;
		}
		sqlite3_bind_int64(st, 1, slot);
		sqlite3_bind_int64(st, 2, i);
		sqlite3_bind_int64(st, 3, (int64_t)entries[i].mid);
		ret = local_step_done(st);
	}
done:
	if (own_tx) {
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_commit(s);
		} else {
			local_rollback(s);
		}
	}
	return ret;
}

enum mapistore_error local_view_ensure(struct mapistore_backend_table *t)
{
	struct local_store *s = t->ctx->store;
	struct view_entry *entries = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *tmp;
	uint32_t n = 0, slot;

	if (view_fresh(t)) {
		s->views[t->view_slot].last_used = ++s->view_clock;
		return MAPISTORE_SUCCESS;
	}
	tmp = talloc_new(t);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = scan(tmp, t, &entries, &n);
	if (ret == MAPISTORE_SUCCESS && t->sort_count > 0 && n > 1) {
		sorting = t;
		qsort(entries, n, sizeof(entries[0]), entry_compare);
		sorting = NULL;
	}
	if (ret == MAPISTORE_SUCCESS) {
		slot = pick_slot(t);
		ret = write_view(s, slot, entries, n);
		if (ret == MAPISTORE_SUCCESS) {
			t->view_built = true;
			t->view_slot = slot;
			t->view_generation = s->views[slot].generation;
			t->view_change_seq = s->change_seq;
			t->view_data_version = data_version(s);
			t->view_count = n;
			s->views[slot].last_used = ++s->view_clock;
		} else {
			t->view_built = false;
		}
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_view_mids(TALLOC_CTX *mem_ctx, struct mapistore_backend_table *t,
	uint32_t position, uint32_t count, uint64_t **mids_r, uint32_t *count_r)
{
	struct local_store *s = t->ctx->store;
	enum mapistore_error ret = local_view_ensure(t);
	sqlite3_stmt *st;
	uint64_t *mids;
	uint32_t n = 0;

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	mids = talloc_array(mem_ctx, uint64_t, count ? count : 1);
	st = local_stmt(s, sql_page);
	if (mids == NULL || st == NULL) {
		talloc_free(mids);
		return mids == NULL ? MAPISTORE_ERR_NO_MEMORY : MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, t->view_slot);
	sqlite3_bind_int64(st, 2, position);
	sqlite3_bind_int64(st, 3, count);
	while (n < count && sqlite3_step(st) == SQLITE_ROW) {
		mids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	*mids_r = mids;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_view_find(struct mapistore_backend_table *t, uint64_t mid,
	uint32_t *position_r)
{
	struct local_store *s = t->ctx->store;
	enum mapistore_error ret = local_view_ensure(t);
	sqlite3_stmt *st;

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	st = local_stmt(s, sql_find);
	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, t->view_slot);
	sqlite3_bind_int64(st, 2, (int64_t)mid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	*position_r = (uint32_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return MAPISTORE_SUCCESS;
}

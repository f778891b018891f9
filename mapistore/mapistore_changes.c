/*
 * The change-tracking store (mstore_changes, mstore_tombstones; schema
 * migration 003) and the ICS download queries of mapistore_changes.h.
 *
 * "Not in CNSET, after the cursor" is answered gap by gap: for each gap
 * between the seen ranges, one indexed range query (username, folder,
 * kind, cn BETWEEN gap) in CN order with the remaining LIMIT. The cost is
 * O(log n) per gap plus O(log n) per item, independent of how many
 * unchanged objects the folder holds.
 */
#include "mapistore_private.h"
#include "mapistore_changes.h"

#include <stdlib.h>
#include <string.h>

#define CHANGE_COLS "fmid, parent_fid, kind, cn, read_cn, source_key, change_key, pcl," \
	" last_modified, message_size, read_flag"

static const char sql_get[] =
	"SELECT " CHANGE_COLS " FROM mstore_changes WHERE username = ? AND fmid = ?";
static const char sql_del[] =
	"DELETE FROM mstore_changes WHERE username = ? AND fmid = ?";
static const char sql_ins[] =
	"INSERT INTO mstore_changes (username, " CHANGE_COLS ")"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_set_read[] =
	"UPDATE mstore_changes SET read_flag = ?, read_cn = ? WHERE username = ? AND fmid = ?";
static const char sql_tomb_del[] =
	"DELETE FROM mstore_tombstones WHERE username = ? AND fmid = ?";
static const char sql_tomb_ins[] =
	"INSERT INTO mstore_tombstones (username, fmid, parent_fid, kind, cn, hard, source_key)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char sql_children[] =
	"SELECT fmid, kind FROM mstore_changes WHERE username = ? AND parent_fid = ?";
static const char sql_del_children[] =
	"DELETE FROM mstore_changes WHERE username = ? AND parent_fid = ?";
static const char sql_sync_msgs[] =
	"SELECT " CHANGE_COLS " FROM mstore_changes WHERE username = ? AND parent_fid = ?"
	" AND kind = ? AND cn >= ? AND cn <= ? ORDER BY cn LIMIT ?";
static const char sql_sync_read[] =
	"SELECT " CHANGE_COLS " FROM mstore_changes WHERE username = ? AND parent_fid = ?"
	" AND read_cn >= ? AND read_cn <= ? ORDER BY read_cn LIMIT ?";
static const char sql_sync_folders[] =
	"SELECT " CHANGE_COLS " FROM mstore_changes WHERE username = ? AND kind = 2"
	" AND cn >= ? AND cn <= ? ORDER BY cn LIMIT ?";
static const char sql_sync_tombs[] =
	"SELECT fmid, parent_fid, kind, cn, hard, source_key FROM mstore_tombstones"
	" WHERE username = ? AND parent_fid = ? AND cn >= ? AND cn <= ? ORDER BY cn LIMIT ?";
static const char sql_sync_folder_tombs[] =
	"SELECT fmid, parent_fid, kind, cn, hard, source_key FROM mstore_tombstones"
	" WHERE username = ? AND kind = 2 AND cn >= ? AND cn <= ? ORDER BY cn LIMIT ?";
static const char sql_folder_kids[] =
	"SELECT fmid FROM mstore_changes WHERE username = ? AND parent_fid = ? AND kind = 2";

static bool row_to_change(TALLOC_CTX *mem_ctx, const struct mapistore_db_result *res,
	uint32_t r, struct mapistore_change *c)
{
	const struct mapistore_db_value *sk = mapistore_db_result_cell(res, r, 5);
	const struct mapistore_db_value *ck = mapistore_db_result_cell(res, r, 6);
	const struct mapistore_db_value *pcl = mapistore_db_result_cell(res, r, 7);
	int64_t kind = mapistore_db_result_int(res, r, 2);

	memset(c, 0, sizeof(*c));
	if (sk == NULL || ck == NULL || pcl == NULL || sk->length != MAPISTORE_SOURCE_KEY_SIZE ||
	    ck->length < 17 || ck->length > 24) {
		return false;
	}
	c->fmid = (uint64_t)mapistore_db_result_int(res, r, 0);
	c->parent_fid = (uint64_t)mapistore_db_result_int(res, r, 1);
	c->is_folder = kind == MAPISTORE_CHANGE_KIND_FOLDER;
	c->fai = kind == MAPISTORE_CHANGE_KIND_FAI;
	c->cn = (uint64_t)mapistore_db_result_int(res, r, 3);
	c->read_cn = (uint64_t)mapistore_db_result_int(res, r, 4);
	memcpy(c->source_key, sk->data, MAPISTORE_SOURCE_KEY_SIZE);
	memcpy(c->change_key, ck->data, ck->length);
	c->change_key_size = (uint8_t)ck->length;
	c->pcl.length = pcl->length;
	c->pcl.data = pcl->length ? talloc_memdup(mem_ctx, pcl->data, pcl->length) : NULL;
	c->last_modified = mapistore_db_result_int(res, r, 8);
	c->message_size = (uint64_t)mapistore_db_result_int(res, r, 9);
	c->read = mapistore_db_result_int(res, r, 10) != 0;
	return pcl->length == 0 || c->pcl.data != NULL;
}

enum mapistore_error mapistore_changes_load(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fmid, struct mapistore_change **change_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	struct mapistore_change *c;
	enum mapistore_error ret;

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_exec_row(ctx->idx_db, sql_get, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	c = talloc_zero(mem_ctx, struct mapistore_change);
	if (c == NULL) {
		talloc_free(res);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (!row_to_change(c, res, 0, c)) {
		talloc_free(res);
		talloc_free(c);
		return MAPISTORE_ERR_CORRUPTED;
	}
	talloc_free(res);
	*change_r = c;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_changes_get(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fmid, struct mapistore_change **change_r)
{
	if (ctx == NULL || change_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_changes_load(mem_ctx, ctx, fmid, change_r);
}

/* Inside a transaction: replace the row of c->fmid. */
static enum mapistore_error put_row(struct mapistore_context *ctx,
	const struct mapistore_change *c)
{
	struct mapistore_db_value p[12];
	enum mapistore_error ret;

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)c->fmid);
	ret = mapistore_db_exec(ctx->idx_db, sql_del, p, 2, NULL, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[2] = mapistore_db_int((int64_t)c->parent_fid);
	p[3] = mapistore_db_int(c->is_folder ? MAPISTORE_CHANGE_KIND_FOLDER :
				c->fai ? MAPISTORE_CHANGE_KIND_FAI : MAPISTORE_CHANGE_KIND_MESSAGE);
	p[4] = mapistore_db_int((int64_t)c->cn);
	p[5] = mapistore_db_int((int64_t)c->read_cn);
	p[6] = mapistore_db_blob(c->source_key, MAPISTORE_SOURCE_KEY_SIZE);
	p[7] = mapistore_db_blob(c->change_key, c->change_key_size);
	p[8] = mapistore_db_blob(c->pcl.data ? c->pcl.data : (const uint8_t *)"", c->pcl.length);
	p[9] = mapistore_db_int(c->last_modified);
	p[10] = mapistore_db_int((int64_t)c->message_size);
	p[11] = mapistore_db_int(c->read ? 1 : 0);
	return mapistore_db_exec(ctx->idx_db, sql_ins, p, 12, NULL, NULL);
}

static enum mapistore_error finish(struct mapistore_context *ctx, enum mapistore_error ret)
{
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_commit(ctx->idx_db);
	} else {
		mapistore_db_rollback(ctx->idx_db);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_set_errmsg(ctx, "change tracking: %s (%s)", mapistore_errstr(ret),
				     mapistore_db_errmsg(ctx->idx_db));
	}
	return ret;
}

enum mapistore_error mapistore_changes_put(struct mapistore_context *ctx,
	const struct mapistore_change *c)
{
	struct mapistore_db_value p[2];
	enum mapistore_error ret = mapistore_db_begin(ctx->idx_db);

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = put_row(ctx, c);
	if (ret == MAPISTORE_SUCCESS) {
		/* an ID that lives again (a restored copy) is no longer deleted */
		p[0] = mapistore_db_text(ctx->username);
		p[1] = mapistore_db_int((int64_t)c->fmid);
		ret = mapistore_db_exec(ctx->idx_db, sql_tomb_del, p, 2, NULL, NULL);
	}
	return finish(ctx, ret);
}

enum mapistore_error mapistore_changes_forget(struct mapistore_context *ctx, uint64_t fmid)
{
	struct mapistore_db_value p[2];

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)fmid);
	return mapistore_db_exec(ctx->idx_db, sql_del, p, 2, NULL, NULL);
}

enum mapistore_error mapistore_changes_set_read(struct mapistore_context *ctx, uint64_t mid,
	bool read, uint64_t read_cn)
{
	struct mapistore_db_value p[4];

	p[0] = mapistore_db_int(read ? 1 : 0);
	p[1] = mapistore_db_int((int64_t)read_cn);
	p[2] = mapistore_db_text(ctx->username);
	p[3] = mapistore_db_int((int64_t)mid);
	return mapistore_db_exec(ctx->idx_db, sql_set_read, p, 4, NULL, NULL);
}

/* Inside a transaction: a tombstone replaces the change row. */
static enum mapistore_error tomb_row(struct mapistore_context *ctx,
	const struct mapistore_tombstone *t)
{
	struct mapistore_db_value p[7];
	enum mapistore_error ret;

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)t->fmid);
	ret = mapistore_db_exec(ctx->idx_db, sql_del, p, 2, NULL, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_exec(ctx->idx_db, sql_tomb_del, p, 2, NULL, NULL);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[2] = mapistore_db_int((int64_t)t->parent_fid);
	p[3] = mapistore_db_int(t->is_folder ? MAPISTORE_CHANGE_KIND_FOLDER :
				t->fai ? MAPISTORE_CHANGE_KIND_FAI : MAPISTORE_CHANGE_KIND_MESSAGE);
	p[4] = mapistore_db_int((int64_t)t->cn);
	p[5] = mapistore_db_int(t->hard ? 1 : 0);
	p[6] = mapistore_db_blob(t->source_key, MAPISTORE_SOURCE_KEY_SIZE);
	return mapistore_db_exec(ctx->idx_db, sql_tomb_ins, p, 7, NULL, NULL);
}

enum mapistore_error mapistore_changes_bury(struct mapistore_context *ctx,
	const struct mapistore_tombstone *tombs, uint32_t count)
{
	enum mapistore_error ret = mapistore_db_begin(ctx->idx_db);
	uint32_t i;

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		ret = tomb_row(ctx, &tombs[i]);
	}
	return finish(ctx, ret);
}

enum mapistore_error mapistore_changes_children(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, uint64_t **fmids_r, int64_t **kinds_r,
	uint32_t *count_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	uint64_t *fmids;
	int64_t *kinds;
	uint32_t i;

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)fid);
	ret = mapistore_db_exec(ctx->idx_db, sql_children, p, 2, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	fmids = talloc_array(mem_ctx, uint64_t, res->rows + 1);
	kinds = talloc_array(fmids, int64_t, res->rows + 1);
	if (fmids == NULL || kinds == NULL) {
		talloc_free(fmids);
		talloc_free(res);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < res->rows; i++) {
		fmids[i] = (uint64_t)mapistore_db_result_int(res, i, 0);
		kinds[i] = mapistore_db_result_int(res, i, 1);
	}
	*count_r = res->rows;
	talloc_free(res);
	*fmids_r = fmids;
	*kinds_r = kinds;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_changes_drop_children(struct mapistore_context *ctx,
	uint64_t fid)
{
	struct mapistore_db_value p[2];

	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)fid);
	return mapistore_db_exec(ctx->idx_db, sql_del_children, p, 2, NULL, NULL);
}

/* ---- "not in CNSET, after the cursor", gap by gap ---- */

static bool ranges_ok(const struct mapistore_globcnt_range *seen, uint32_t count)
{
	uint32_t i;

	if (count > MAPISTORE_CNSET_MAX_RANGES || (count > 0 && seen == NULL)) {
		return false;
	}
	for (i = 0; i < count; i++) {
		if (seen[i].first > seen[i].last || (i > 0 && seen[i].first <= seen[i - 1].last)) {
			return false;
		}
	}
	return true;
}

/* The next gap of @seen at or after @from: [*lo, *hi]; false when none. */
static bool next_gap(const struct mapistore_globcnt_range *seen, uint32_t count,
	uint64_t from, uint32_t *idx, uint64_t *lo, uint64_t *hi)
{
	while (from <= MAPISTORE_GLOBCNT_MAX) {
		while (*idx < count && seen[*idx].last < from) {
			(*idx)++;
		}
		if (*idx < count && seen[*idx].first <= from) {
			if (seen[*idx].last >= MAPISTORE_GLOBCNT_MAX) {
				return false;
			}
			from = seen[*idx].last + 1;
			continue;
		}
		*lo = from;
		*hi = *idx < count ? seen[*idx].first - 1 : MAPISTORE_GLOBCNT_MAX;
		return true;
	}
	return false;
}

/* One query shape: how to bind it and read its rows. */
struct sync_query {
	const char *sql;
	int64_t key[2];       /* parent_fid / kind, after the username */
	uint32_t key_count;
	bool tombstones;
	uint32_t cn_col;      /* column holding the CN the cursor follows */
	const uint64_t *only_parents;   /* hierarchy: keep rows whose parent is listed */
	uint32_t only_count;
};

static bool parent_listed(const struct sync_query *q, uint64_t parent)
{
	uint32_t i;

	for (i = 0; q->only_parents != NULL && i < q->only_count; i++) {
		if (q->only_parents[i] == parent) {
			return true;
		}
	}
	return q->only_parents == NULL;
}

static enum mapistore_error run_sync(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	const struct sync_query *q, const struct mapistore_globcnt_range *seen,
	uint32_t seen_count, uint64_t after, uint32_t max, void **items_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	size_t item_size = q->tombstones ? sizeof(struct mapistore_tombstone)
					 : sizeof(struct mapistore_change);
	uint8_t *items;
	uint32_t n = 0, idx = 0;
	uint64_t lo = 0, hi = 0, from = after + 1, cursor = after;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	bool more = false;

	if (ctx == NULL || items_r == NULL || count_r == NULL || next_r == NULL ||
	    max == 0 || max > MAPISTORE_SYNC_MAX_ITEMS || !ranges_ok(seen, seen_count) ||
	    after >= MAPISTORE_GLOBCNT_MAX) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	items = talloc_zero_size(mem_ctx, item_size * max);
	if (items == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	while (ret == MAPISTORE_SUCCESS && n < max &&
	       next_gap(seen, seen_count, from, &idx, &lo, &hi)) {
		struct mapistore_db_result *res = NULL;
		struct mapistore_db_value p[6];
		uint32_t np = 0, i, want = max - n;
		bool exhausted;

		p[np++] = mapistore_db_text(ctx->username);
		for (i = 0; i < q->key_count; i++) {
			p[np++] = mapistore_db_int(q->key[i]);
		}
		p[np++] = mapistore_db_int((int64_t)lo);
		p[np++] = mapistore_db_int((int64_t)hi);
		/* one more than wanted tells whether the answer is cut */
		p[np++] = mapistore_db_int((int64_t)want + 1);
		ret = mapistore_db_exec(ctx->idx_db, q->sql, p, np, NULL, &res);
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		for (i = 0; i < res->rows; i++) {
			uint64_t cn = (uint64_t)mapistore_db_result_int(res, i, q->cn_col);

			if (n == max) {
				more = true;
				break;
			}
			cursor = cn;
			if (q->tombstones) {
				struct mapistore_tombstone *t = (struct mapistore_tombstone *)items + n;
				const struct mapistore_db_value *sk = mapistore_db_result_cell(res, i, 5);

				t->fmid = (uint64_t)mapistore_db_result_int(res, i, 0);
				t->parent_fid = (uint64_t)mapistore_db_result_int(res, i, 1);
				if (!parent_listed(q, t->parent_fid)) {
					continue;
				}
				t->is_folder = mapistore_db_result_int(res, i, 2) == MAPISTORE_CHANGE_KIND_FOLDER;
				t->fai = mapistore_db_result_int(res, i, 2) == MAPISTORE_CHANGE_KIND_FAI;
				t->cn = cn;
				t->hard = mapistore_db_result_int(res, i, 4) != 0;
				if (sk != NULL && sk->length == MAPISTORE_SOURCE_KEY_SIZE) {
					memcpy(t->source_key, sk->data, MAPISTORE_SOURCE_KEY_SIZE);
				}
			} else {
				struct mapistore_change *c = (struct mapistore_change *)items + n;

				if (!row_to_change(items, res, i, c)) {
					ret = MAPISTORE_ERR_CORRUPTED;
					break;
				}
				if (!parent_listed(q, c->parent_fid)) {
					continue;
				}
			}
			n++;
		}
		exhausted = res->rows <= want;
		talloc_free(res);
		if (more || ret != MAPISTORE_SUCCESS) {
			break;
		}
		if (!exhausted) {
			/* filtered rows took room: continue inside this gap */
			from = cursor + 1;
		} else if (hi >= MAPISTORE_GLOBCNT_MAX) {
			break;
		} else {
			from = hi + 1;
		}
	}
	if (ret == MAPISTORE_SUCCESS && !more && n == max) {
		/* cut exactly at max: there may be more in a later gap */
		more = next_gap(seen, seen_count, cursor + 1, &idx, &lo, &hi);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(items);
		return ret;
	}
	*items_r = items;
	*count_r = n;
	*next_r = cursor;
	if (more_r != NULL) {
		*more_r = more;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_sync_messages(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, bool fai,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	struct sync_query q = { .sql = sql_sync_msgs, .key_count = 2, .cn_col = 3 };

	q.key[0] = (int64_t)fid;
	q.key[1] = fai ? MAPISTORE_CHANGE_KIND_FAI : MAPISTORE_CHANGE_KIND_MESSAGE;
	return run_sync(mem_ctx, ctx, &q, seen, seen_count, after, max, (void **)changes_r,
			count_r, next_r, more_r);
}

enum mapistore_error mapistore_sync_read_states(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid,
	const struct mapistore_globcnt_range *seen_read, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	struct sync_query q = { .sql = sql_sync_read, .key_count = 1, .cn_col = 4 };

	q.key[0] = (int64_t)fid;
	return run_sync(mem_ctx, ctx, &q, seen_read, seen_count, after, max,
			(void **)changes_r, count_r, next_r, more_r);
}

enum mapistore_error mapistore_sync_deletions(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_tombstone **tombs_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	struct sync_query q = { .sql = sql_sync_tombs, .key_count = 1, .tombstones = true,
				.cn_col = 3 };

	q.key[0] = (int64_t)fid;
	return run_sync(mem_ctx, ctx, &q, seen, seen_count, after, max, (void **)tombs_r,
			count_r, next_r, more_r);
}

/* The root and every live folder below it, from the tracked parents. */
static enum mapistore_error subtree(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t root, uint64_t **fids_r, uint32_t *count_r)
{
	uint64_t *fids = talloc_array(mem_ctx, uint64_t, 16);
	uint32_t n = 1, done = 0, cap = 16;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (fids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	fids[0] = root;
	while (ret == MAPISTORE_SUCCESS && done < n) {
		struct mapistore_db_result *res = NULL;
		struct mapistore_db_value p[2];
		uint32_t i;

		p[0] = mapistore_db_text(ctx->username);
		p[1] = mapistore_db_int((int64_t)fids[done++]);
		ret = mapistore_db_exec(ctx->idx_db, sql_folder_kids, p, 2, NULL, &res);
		for (i = 0; ret == MAPISTORE_SUCCESS && i < res->rows; i++) {
			if (n == cap) {
				uint64_t *grown = talloc_realloc(mem_ctx, fids, uint64_t, cap * 2);

				if (grown == NULL) {
					ret = MAPISTORE_ERR_NO_MEMORY;
					break;
				}
				fids = grown;
				cap *= 2;
			}
			fids[n++] = (uint64_t)mapistore_db_result_int(res, i, 0);
		}
		talloc_free(res);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(fids);
		return ret;
	}
	*fids_r = fids;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error sync_tree(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t root_fid, bool tombstones, const struct mapistore_globcnt_range *seen,
	uint32_t seen_count, uint64_t after, uint32_t max, void **items_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	struct sync_query q = { .sql = tombstones ? sql_sync_folder_tombs : sql_sync_folders,
				.tombstones = tombstones, .cn_col = 3 };
	enum mapistore_error ret;
	uint64_t *fids = NULL;
	uint32_t n = 0;

	if (ctx == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = subtree(NULL, ctx, root_fid, &fids, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	q.only_parents = fids;
	q.only_count = n;
	ret = run_sync(mem_ctx, ctx, &q, seen, seen_count, after, max, items_r, count_r,
		       next_r, more_r);
	talloc_free(fids);
	return ret;
}

enum mapistore_error mapistore_sync_hierarchy(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t root_fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	return sync_tree(mem_ctx, ctx, root_fid, false, seen, seen_count, after, max,
			 (void **)changes_r, count_r, next_r, more_r);
}

enum mapistore_error mapistore_sync_hierarchy_deletions(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t root_fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_tombstone **tombs_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r)
{
	return sync_tree(mem_ctx, ctx, root_fid, true, seen, seen_count, after, max,
			 (void **)tombs_r, count_r, next_r, more_r);
}

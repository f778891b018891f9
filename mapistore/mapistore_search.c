/*
 * Search folders ([MS-OXCFOLD] 3.2.5.4 RopSetSearchCriteria, 2.2.2.2.x):
 * evaluating a search criteria over the messages of a set of folders,
 * and the contents table of a search folder as a mapistore table over
 * the hits (mapistore.h, "search folders" block).
 *
 * The evaluation uses each searched folder's own contents table with the
 * restriction (natively, or the core's emulation): what RopRestrict would
 * keep is what the search finds. The table over the hits is a mapistore
 * table whose "backend" is this file: rows are read from each hit's
 * message; restriction, sort and bookmarks are the core's emulation.
 */
#include "mapistore_private.h"
#include "openchangedb.h"

#include <string.h>

/* [MS-OXPROPS] PidTagMid: the column the evaluation reads */
#define MAPISTORE_SEARCH_MID_TAG 0x674A0014

/* the state of a table over search hits (this file's backend table) */
struct mapistore_backend_table {
	struct mapistore_context *ctx;
	struct mapistore_search_hit *hits;
	uint32_t count;
	uint32_t *columns;
	uint32_t column_count;
	/* the folder of the last row read, kept open for the next */
	struct mapistore_folder *folder;
	uint64_t folder_fid;
};

/* what one evaluation carries */
struct search_run {
	TALLOC_CTX *mem_ctx;
	struct mapistore_context *ctx;
	const struct mapistore_restriction *res;
	bool recursive;
	uint64_t *seen;			/* folders visited */
	uint32_t seen_count;
	struct mapistore_search_hit *hits;
	uint32_t count;
};

static bool search_seen(struct search_run *r, uint64_t fid)
{
	uint32_t i;

	for (i = 0; i < r->seen_count; i++) {
		if (r->seen[i] == fid) {
			return true;
		}
	}
	return false;
}

/* the hits of one backend folder's normal messages */
static enum mapistore_error search_folder_hits(struct search_run *r,
	struct mapistore_folder *folder, uint64_t fid)
{
	static const uint32_t cols[] = { MAPISTORE_SEARCH_MID_TAG };
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	struct mapistore_search_hit *grown;
	enum mapistore_error ret;
	uint32_t n = 0, i;

	ret = mapistore_folder_open_table(r->mem_ctx, folder, MAPISTORE_MESSAGE_TABLE, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, cols, 1);
	}
	if (ret == MAPISTORE_SUCCESS && r->res != NULL) {
		ret = mapistore_table_restrict(t, r->res);
	}
	while (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(r->mem_ctx, t, 1000, &rows, &n);
		if (ret != MAPISTORE_SUCCESS || n == 0) {
			break;
		}
		if ((uint64_t)r->count + n > MAPISTORE_SEARCH_MAX_HITS) {
			ret = MAPISTORE_ERR_TOO_BIG;
			break;
		}
		grown = talloc_realloc(r->mem_ctx, r->hits, struct mapistore_search_hit,
				       r->count + n);
		if (grown == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		r->hits = grown;
		for (i = 0; i < n; i++) {
			r->hits[r->count].fid = fid;
			r->hits[r->count].mid = rows[i].fmid;
			r->count++;
		}
		TALLOC_FREE(rows);
	}
	talloc_free(rows);
	talloc_free(t);
	return ret;
}

/* the subfolders of @fid: a backend folder's hierarchy, else openchangedb's */
static enum mapistore_error search_children(struct search_run *r,
	struct mapistore_folder *folder, uint64_t fid, uint64_t **kids_r, uint32_t *count_r)
{
	static const uint32_t cols[] = { 0x67480014 };	/* PidTagFolderId */
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i;

	*kids_r = NULL;
	*count_r = 0;
	if (folder == NULL) {
		ret = openchangedb_folder_get_children(r->mem_ctx,
			mapistore_context_get_openchangedb(r->ctx), fid, kids_r, count_r);
		return ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_SUCCESS : ret;
	}
	ret = mapistore_folder_open_table(r->mem_ctx, folder, MAPISTORE_FOLDER_TABLE, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, cols, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(r->mem_ctx, t, MAPISTORE_SEARCH_MAX_FOLDERS,
						 &rows, &n);
	}
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		*kids_r = talloc_array(r->mem_ctx, uint64_t, n);
		if (*kids_r == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
		}
		for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
			(*kids_r)[i] = rows[i].fmid;
		}
		*count_r = ret == MAPISTORE_SUCCESS ? n : 0;
	}
	talloc_free(rows);
	talloc_free(t);
	return ret;
}

static enum mapistore_error search_walk(struct search_run *r, uint64_t fid, unsigned depth)
{
	struct mapistore_folder *folder = NULL;
	enum mapistore_error ret;
	uint64_t *kids = NULL, *grown;
	uint32_t n = 0, i;

	if (depth > MAPISTORE_SEARCH_MAX_DEPTH || search_seen(r, fid)) {
		return MAPISTORE_SUCCESS;
	}
	if (r->seen_count >= MAPISTORE_SEARCH_MAX_FOLDERS) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	grown = talloc_realloc(r->mem_ctx, r->seen, uint64_t, r->seen_count + 1);
	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	r->seen = grown;
	r->seen[r->seen_count++] = fid;
	/* an openchangedb-only folder holds no messages */
	ret = mapistore_folder_open(r->mem_ctx, r->ctx, fid, &folder);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		folder = NULL;
		ret = MAPISTORE_SUCCESS;
	}
	if (ret == MAPISTORE_SUCCESS && folder != NULL) {
		ret = search_folder_hits(r, folder, fid);
	}
	if (ret == MAPISTORE_SUCCESS && r->recursive) {
		ret = search_children(r, folder, fid, &kids, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		ret = search_walk(r, kids[i], depth + 1);
	}
	talloc_free(kids);
	talloc_free(folder);
	return ret;
}

enum mapistore_error mapistore_search_run(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	const uint64_t *fids, uint32_t fid_count, bool recursive,
	const struct mapistore_restriction *res, struct mapistore_search_hit **hits_r,
	uint32_t *count_r)
{
	struct search_run r = { .ctx = ctx, .res = res, .recursive = recursive };
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	if (ctx == NULL || hits_r == NULL || count_r == NULL ||
	    (fid_count > 0 && fids == NULL) || fid_count > MAPISTORE_SEARCH_MAX_FOLDERS) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	r.mem_ctx = talloc_new(NULL);
	if (r.mem_ctx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < fid_count; i++) {
		ret = search_walk(&r, fids[i], 0);
	}
	if (ret == MAPISTORE_SUCCESS) {
		*hits_r = r.count > 0 ? talloc_steal(mem_ctx, r.hits) : NULL;
		*count_r = r.count;
	}
	talloc_free(r.mem_ctx);
	return ret;
}

/* ---- the table over the hits ---- */

static enum mapistore_error search_table_set_columns(struct mapistore_backend_table *bt,
	const uint32_t *proptags, uint32_t count)
{
	uint32_t *cols = talloc_array(bt, uint32_t, count + 1);

	if (cols == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	memcpy(cols, proptags, count * sizeof(uint32_t));
	talloc_free(bt->columns);
	bt->columns = cols;
	bt->column_count = count;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error search_table_get_row_count(struct mapistore_backend_table *bt,
	uint32_t *count_r)
{
	*count_r = bt->count;
	return MAPISTORE_SUCCESS;
}

/* the columns of one hit; a message gone since the search gives
 * ecNotFound columns (the row keeps its place) */
static enum mapistore_error search_table_row(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *bt, const struct mapistore_search_hit *hit,
	struct mapistore_row *row)
{
	struct mapistore_message *msg = NULL;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	row->fmid = hit->mid;
	row->count = bt->column_count;
	if (bt->folder == NULL || bt->folder_fid != hit->fid) {
		TALLOC_FREE(bt->folder);
		ret = mapistore_folder_open(bt, bt->ctx, hit->fid, &bt->folder);
		bt->folder_fid = hit->fid;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_open(mem_ctx, bt->folder, hit->mid, false, &msg);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(mem_ctx, mapistore_message_object(msg),
					       bt->columns, bt->column_count, &row->props);
		talloc_free(msg);
		return ret;
	}
	if (ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	row->props = talloc_zero_array(mem_ctx, struct mapistore_property,
				       bt->column_count + 1);
	if (row->props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < bt->column_count; i++) {
		row->props[i] = mapistore_property_not_found(bt->columns[i]);
	}
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error search_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *bt, uint32_t position, uint32_t count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct mapistore_row *rows;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t n, i;

	*rows_r = NULL;
	*count_r = 0;
	if (position >= bt->count) {
		return MAPISTORE_SUCCESS;
	}
	n = bt->count - position < count ? bt->count - position : count;
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, n + 1);
	if (rows == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		ret = search_table_row(rows, bt, &bt->hits[position + i], &rows[i]);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(rows);
		return ret;
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* only the table hooks: restriction and sort are the core's (no caps) */
static const struct mapistore_backend_ops search_table_ops = {
	.abi_version = MAPISTORE_BACKEND_ABI_VERSION,
	.name = "search",
	.description = "contents table of a search folder",
	.capabilities = 0,
	.table_set_columns = search_table_set_columns,
	.table_get_row_count = search_table_get_row_count,
	.table_get_rows = search_table_get_rows,
};

enum mapistore_error mapistore_search_table(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fid, const struct mapistore_search_hit *hits, uint32_t count,
	struct mapistore_table **table_r)
{
	struct mapistore_table *t;
	struct mapistore_backend_table *bt;

	if (ctx == NULL || table_r == NULL || (count > 0 && hits == NULL) ||
	    count > MAPISTORE_SEARCH_MAX_HITS) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	t = talloc_zero(mem_ctx, struct mapistore_table);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	bt = talloc_zero(t, struct mapistore_backend_table);
	if (bt == NULL) {
		talloc_free(t);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	bt->ctx = ctx;
	bt->count = count;
	if (count > 0) {
		bt->hits = talloc_memdup(bt, hits, count * sizeof(*hits));
		if (bt->hits == NULL) {
			talloc_free(t);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	t->ctx = ctx;
	t->ops = &search_table_ops;
	t->b = bt;
	t->type = MAPISTORE_MESSAGE_TABLE;
	t->fid = fid;
	t->next_bookmark = 1;
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

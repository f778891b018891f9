/*
 * Tables ([MS-OXCTABL]): the core keeps the cursor and bookmarks, and
 * emulates restrictions and sort orders for backends that lack
 * MAPISTORE_CAP_TABLE_RESTRICT / _SORT by reading every row once (with
 * the extra columns the restriction and sort need), filtering with
 * mapistore_restriction_eval() and sorting stably.
 */
#include "mapistore_private.h"

#include <stdlib.h>
#include <string.h>

#define EMU_CHUNK 1000

static struct mapistore_table *table_new(TALLOC_CTX *mem_ctx, struct mapistore_object *owner,
	enum mapistore_table_type type)
{
	struct mapistore_table *t = talloc_zero(mem_ctx, struct mapistore_table);

	if (t == NULL) {
		return NULL;
	}
	t->ctx = owner->ctx;
	t->ops = owner->ops;
	t->type = type;
	t->next_bookmark = 1;
	return t;
}

enum mapistore_error mapistore_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_table **table_r)
{
	struct mapistore_table *t;
	enum mapistore_error ret;
	uint64_t t0;

	if (folder == NULL || table_r == NULL ||
	    (table_type != MAPISTORE_FOLDER_TABLE && table_type != MAPISTORE_MESSAGE_TABLE &&
	     table_type != MAPISTORE_FAI_TABLE && table_type != MAPISTORE_PERMISSIONS_TABLE &&
	     table_type != MAPISTORE_RULE_TABLE)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	t = table_new(mem_ctx, &folder->obj, table_type);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t->fid = folder->fid;
	t0 = mapistore_now_ns();
	ret = mapistore_trace(t->ctx, t->ops, "folder_open_table", t0,
		t->ops->folder_open_table(t, folder->b, table_type, &t->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return ret;
	}
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_table **table_r)
{
	struct mapistore_table *t;
	enum mapistore_error ret;
	uint64_t t0;

	if (msg == NULL || table_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	t = table_new(mem_ctx, &msg->obj, MAPISTORE_ATTACHMENT_TABLE);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(t->ctx, t->ops, "message_open_attachment_table", t0,
		t->ops->message_open_attachment_table(t, msg->b, &t->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return ret;
	}
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

static void emu_invalidate(struct mapistore_table *t)
{
	TALLOC_FREE(t->emu_rows);
	t->emu_count = 0;
	t->emu_valid = false;
	t->emulate = (t->restriction != NULL &&
		      (!(t->ops->capabilities & MAPISTORE_CAP_TABLE_RESTRICT) ||
		       t->declined_restrict)) ||
		     (t->sort_count > 0 &&
		      (!(t->ops->capabilities & MAPISTORE_CAP_TABLE_SORT) || t->declined_sort));
}

/* Columns pushed to the backend: the caller's, plus (when emulating)
 * the restriction's and sort order's. */
static enum mapistore_error push_columns(struct mapistore_table *t)
{
	uint32_t *cols = NULL, count = 0, i;
	enum mapistore_error ret;
	uint64_t t0;

	if (!t->emulate) {
		t0 = mapistore_now_ns();
		return mapistore_trace(t->ctx, t->ops, "table_set_columns", t0,
			t->ops->table_set_columns(t->b, t->columns, t->column_count));
	}
	cols = talloc_memdup(t, t->columns, sizeof(uint32_t) * (t->column_count ? t->column_count : 1));
	if (cols == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	count = t->column_count;
	if (t->restriction != NULL) {
		ret = mapistore_restriction_tags(t, t->restriction, &cols, &count);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(cols);
			return ret;
		}
	}
	for (i = 0; i < t->sort_count; i++) {
		uint32_t *grown = talloc_realloc(t, cols, uint32_t, count + 1);

		if (grown == NULL) {
			talloc_free(cols);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		cols = grown;
		cols[count++] = t->sort[i].proptag;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(t->ctx, t->ops, "table_set_columns", t0,
		t->ops->table_set_columns(t->b, cols, count));
	talloc_free(cols);
	return ret;
}

enum mapistore_error mapistore_table_set_columns(struct mapistore_table *table,
	const uint32_t *proptags, uint32_t count)
{
	uint32_t *cols;

	if (table == NULL || count == 0 || count > MAPISTORE_MAX_COLUMNS || proptags == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	cols = talloc_memdup(table, proptags, sizeof(uint32_t) * count);
	if (cols == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_free(table->columns);
	table->columns = cols;
	table->column_count = count;
	emu_invalidate(table);
	return push_columns(table);
}

enum mapistore_error mapistore_table_restrict(struct mapistore_table *table,
	const struct mapistore_restriction *res)
{
	struct mapistore_restriction *copy = NULL;
	enum mapistore_error ret;
	uint64_t t0;

	if (table == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (res != NULL) {
		ret = mapistore_restriction_copy(table, res, &copy);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	talloc_free(table->restriction);
	table->restriction = copy;
	table->position = 0;
	table->declined_restrict = false;
	if (table->ops->capabilities & MAPISTORE_CAP_TABLE_RESTRICT) {
		t0 = mapistore_now_ns();
		ret = mapistore_trace(table->ctx, table->ops, "table_set_restriction", t0,
			table->ops->table_set_restriction(table->b, copy));
		/* a backend may decline one table (kind or restriction): the
		 * core emulates it instead */
		if (ret == MAPISTORE_ERR_NOT_SUPPORTED && copy != NULL) {
			table->declined_restrict = true;
			(void)table->ops->table_set_restriction(table->b, NULL);
		} else if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	emu_invalidate(table);
	return table->columns ? push_columns(table) : MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_table_sort(struct mapistore_table *table,
	const struct mapistore_sort_order *order, uint32_t count)
{
	struct mapistore_sort_order *copy;
	enum mapistore_error ret;
	uint64_t t0;
	uint32_t i;

	if (table == NULL || count > MAPISTORE_MAX_COLUMNS || (count > 0 && order == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < count; i++) {
		if (order[i].order > TABLE_SORT_DESCEND) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	ret = mapistore_sort_order_replace(table, &table->sort, &table->sort_count, order, count);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	copy = table->sort;
	table->position = 0;
	table->declined_sort = false;
	if (table->ops->capabilities & MAPISTORE_CAP_TABLE_SORT) {
		t0 = mapistore_now_ns();
		ret = mapistore_trace(table->ctx, table->ops, "table_set_sort_order", t0,
			table->ops->table_set_sort_order(table->b, copy, count));
		if (ret == MAPISTORE_ERR_NOT_SUPPORTED && count > 0) {
			table->declined_sort = true;
			(void)table->ops->table_set_sort_order(table->b, NULL, 0);
		} else if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	emu_invalidate(table);
	return table->columns ? push_columns(table) : MAPISTORE_SUCCESS;
}

/* qsort has no context argument: sort an index array through a
 * thread-local pointer to the table being sorted. */
static __thread const struct mapistore_table *sort_table;

struct emu_entry {
	struct mapistore_row *row;
	uint32_t natural;
};

static const struct mapistore_property *row_prop(const struct mapistore_row *row,
	uint32_t proptag)
{
	int idx = mapistore_properties_find(row->props, row->count, proptag);

	return idx >= 0 ? &row->props[idx] : NULL;
}

static int emu_compare(const void *a, const void *b)
{
	const struct emu_entry *ea = a, *eb = b;
	uint32_t i;

	for (i = 0; i < sort_table->sort_count; i++) {
		const struct mapistore_property *pa = row_prop(ea->row, sort_table->sort[i].proptag);
		const struct mapistore_property *pb = row_prop(eb->row, sort_table->sort[i].proptag);
		int c = 0;

		/* missing values sort first in ascending order */
		if (pa == NULL || pb == NULL) {
			c = (pa != NULL) - (pb != NULL);
		} else if (mapistore_property_compare(pa, pb, &c) != MAPISTORE_SUCCESS) {
			c = 0;
		}
		if (c != 0) {
			return sort_table->sort[i].order == TABLE_SORT_DESCEND ? -c : c;
		}
	}
	return (ea->natural > eb->natural) - (ea->natural < eb->natural);
}

/* Subobject rows for the core's emulation: the row's message is opened
 * through its folder (recipients, or the attachment table's rows). */
struct emu_sub {
	struct mapistore_table *t;
	struct mapistore_folder *folder;
};

static enum mapistore_error emu_subobject(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct emu_sub *es = private_data;
	const struct mapistore_row *row = object;
	struct mapistore_message *msg = NULL;
	enum mapistore_error ret;

	*rows_r = NULL;
	*count_r = 0;
	if (row == NULL || (es->t->type != MAPISTORE_MESSAGE_TABLE &&
			    es->t->type != MAPISTORE_FAI_TABLE)) {
		return MAPISTORE_SUCCESS;
	}
	if (es->folder == NULL) {
		ret = mapistore_folder_open(es->t, es->t->ctx, es->t->fid, &es->folder);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	ret = mapistore_message_open(mem_ctx, es->folder, row->fmid, false, &msg);
	if (ret != MAPISTORE_SUCCESS) {
		return ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_SUCCESS : ret;
	}
	ret = mapistore_subobject_rows(mem_ctx, msg, subobject, proptags, tag_count,
				       rows_r, count_r);
	talloc_free(msg);
	return ret;
}

static enum mapistore_error emu_build(struct mapistore_table *t)
{
	struct mapistore_row *all = NULL, *chunk = NULL, *kept;
	struct mapistore_restriction_ctx *rctx = NULL;
	struct emu_sub es = { .t = t };
	struct emu_entry *entries;
	uint32_t total = 0, got = 0, pos = 0, n = 0, i;
	enum mapistore_error ret;
	uint64_t t0;

	ret = t->ops->table_get_row_count(t->b, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	all = talloc_zero_array(t, struct mapistore_row, total ? total : 1);
	if (all == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (t->restriction != NULL) {
		ret = mapistore_restriction_ctx_new(all, t->restriction, emu_subobject, &es, &rctx);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(all);
			return ret;
		}
	}
	while (pos < total) {
		t0 = mapistore_now_ns();
		ret = mapistore_trace(t->ctx, t->ops, "table_get_rows", t0,
			t->ops->table_get_rows(all, t->b, pos, EMU_CHUNK, &chunk, &got));
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(all);
			return ret;
		}
		for (i = 0; i < got && n < total; i++) {
			bool match = true;

			if (rctx != NULL) {
				ret = mapistore_restriction_ctx_eval(rctx, chunk[i].props,
								     chunk[i].count, &chunk[i],
								     &match);
				if (ret != MAPISTORE_SUCCESS) {
					talloc_free(es.folder);
					talloc_free(all);
					return ret;
				}
			}
			if (match) {
				all[n] = chunk[i];
				talloc_steal(all, chunk[i].props);
				n++;
			}
		}
		talloc_free(chunk);
		if (got == 0) {
			break;
		}
		pos += got;
	}
	TALLOC_FREE(es.folder);
	TALLOC_FREE(rctx);
	if (t->sort_count > 0 && n > 1) {
		entries = talloc_array(t, struct emu_entry, n);
		kept = talloc_array(t, struct mapistore_row, n);
		if (entries == NULL || kept == NULL) {
			talloc_free(entries);
			talloc_free(kept);
			talloc_free(all);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		for (i = 0; i < n; i++) {
			entries[i].row = &all[i];
			entries[i].natural = i;
		}
		sort_table = t;
		qsort(entries, n, sizeof(entries[0]), emu_compare);
		sort_table = NULL;
		for (i = 0; i < n; i++) {
			kept[i] = *entries[i].row;
			talloc_steal(kept, kept[i].props);
		}
		talloc_free(entries);
		talloc_free(all);
		all = kept;
	}
	t->emu_rows = all;
	t->emu_count = n;
	t->emu_valid = true;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error row_count(struct mapistore_table *t, uint32_t *count_r)
{
	enum mapistore_error ret;
	uint64_t t0;

	if (t->emulate) {
		if (!t->emu_valid) {
			ret = emu_build(t);
			if (ret != MAPISTORE_SUCCESS) {
				return ret;
			}
		}
		*count_r = t->emu_count;
		return MAPISTORE_SUCCESS;
	}
	t0 = mapistore_now_ns();
	return mapistore_trace(t->ctx, t->ops, "table_get_row_count", t0,
		t->ops->table_get_row_count(t->b, count_r));
}

enum mapistore_error mapistore_table_get_row_count(struct mapistore_table *table,
	uint32_t *count_r)
{
	if (table == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return row_count(table, count_r);
}

/* Project an emulated full row onto the caller's columns. */
static enum mapistore_error project_row(TALLOC_CTX *mem_ctx, const struct mapistore_table *t,
	const struct mapistore_row *src, struct mapistore_row *dst)
{
	uint32_t i;

	dst->fmid = src->fmid;
	dst->count = t->column_count;
	dst->props = talloc_array(mem_ctx, struct mapistore_property, t->column_count);
	if (dst->props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < t->column_count; i++) {
		const struct mapistore_property *p = &src->props[i];
		enum mapistore_error ret;

		/* the first column_count columns are the caller's, in order */
		if (i >= src->count) {
			dst->props[i] = mapistore_property_not_found(t->columns[i]);
			continue;
		}
		ret = mapistore_property_copy(dst->props, &dst->props[i], p);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_table_query_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_table *table, uint32_t count, struct mapistore_row **rows_r,
	uint32_t *count_r)
{
	struct mapistore_row *rows;
	enum mapistore_error ret;
	uint32_t total = 0, n, i;
	uint64_t t0;

	if (table == NULL || rows_r == NULL || count_r == NULL ||
	    count > MAPISTORE_MAX_QUERY_ROWS || table->columns == NULL) {
		return table && table->columns == NULL ? MAPISTORE_ERR_NOT_INITIALIZED
						       : MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (!table->emulate) {
		t0 = mapistore_now_ns();
		ret = mapistore_trace(table->ctx, table->ops, "table_get_rows", t0,
			table->ops->table_get_rows(mem_ctx, table->b, table->position, count,
						   rows_r, count_r));
		if (ret == MAPISTORE_SUCCESS) {
			table->position += *count_r;
		}
		return ret;
	}
	ret = row_count(table, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	n = table->position < total ? total - table->position : 0;
	n = n < count ? n : count;
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, n ? n : 1);
	if (rows == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		ret = project_row(rows, table, &table->emu_rows[table->position + i], &rows[i]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(rows);
			return ret;
		}
	}
	table->position += n;
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_table_seek_row(struct mapistore_table *table,
	int origin, int32_t offset, int32_t *moved_r)
{
	enum mapistore_error ret;
	uint32_t total = 0;
	int64_t base, target;

	if (table == NULL || moved_r == NULL || origin < MAPISTORE_SEEK_BEGINNING ||
	    origin > MAPISTORE_SEEK_END) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = row_count(table, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	base = origin == MAPISTORE_SEEK_BEGINNING ? 0 :
	       origin == MAPISTORE_SEEK_CURRENT ? (int64_t)table->position : (int64_t)total;
	if (base > total) {
		base = total;
	}
	target = base + offset;
	if (target < 0) {
		target = 0;
	}
	if (target > total) {
		target = total;
	}
	*moved_r = (int32_t)(target - base);
	table->position = (uint32_t)target;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_table_get_position(struct mapistore_table *table,
	uint32_t *numerator_r, uint32_t *denominator_r)
{
	enum mapistore_error ret;
	uint32_t total = 0;

	if (table == NULL || numerator_r == NULL || denominator_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = row_count(table, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*numerator_r = table->position < total ? table->position : total;
	*denominator_r = total;
	return MAPISTORE_SUCCESS;
}

/* FMID of the row at @position, or 0. */
static uint64_t fmid_at(struct mapistore_table *t, uint32_t position)
{
	struct mapistore_row *rows = NULL;
	uint32_t got = 0;
	uint64_t fmid = 0;

	if (t->emulate) {
		return position < t->emu_count ? t->emu_rows[position].fmid : 0;
	}
	if (t->ops->table_get_rows(t, t->b, position, 1, &rows, &got) == MAPISTORE_SUCCESS &&
	    got == 1) {
		fmid = rows[0].fmid;
	}
	talloc_free(rows);
	return fmid;
}

enum mapistore_error mapistore_table_create_bookmark(struct mapistore_table *table,
	uint32_t *bookmark_r)
{
	struct mapistore_bookmark *grown;
	enum mapistore_error ret;
	uint32_t total = 0;

	if (table == NULL || bookmark_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = row_count(table, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (table->bookmark_count >= MAPISTORE_MAX_QUERY_ROWS) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	grown = talloc_realloc(table, table->bookmarks, struct mapistore_bookmark,
			       table->bookmark_count + 1);
	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	table->bookmarks = grown;
	grown[table->bookmark_count].id = table->next_bookmark++;
	grown[table->bookmark_count].position = table->position;
	grown[table->bookmark_count].fmid = table->columns ? fmid_at(table, table->position) : 0;
	*bookmark_r = grown[table->bookmark_count].id;
	table->bookmark_count++;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_table_seek_bookmark(struct mapistore_table *table,
	uint32_t bookmark, int32_t offset, int32_t *moved_r)
{
	struct mapistore_bookmark *bm = NULL;
	uint32_t i, position;

	if (table == NULL || moved_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < table->bookmark_count; i++) {
		if (table->bookmarks[i].id == bookmark) {
			bm = &table->bookmarks[i];
		}
	}
	if (bm == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	position = bm->position;
	/* find the bookmarked row again where it moved, when we can */
	if (bm->fmid != 0 && table->emulate && table->emu_valid) {
		for (i = 0; i < table->emu_count; i++) {
			if (table->emu_rows[i].fmid == bm->fmid) {
				position = i;
				break;
			}
		}
	} else if (bm->fmid != 0 && !table->emulate &&
		   (table->ops->capabilities & MAPISTORE_CAP_TABLE_FIND)) {
		uint32_t found = 0;

		if (table->ops->table_find_row(table->b, bm->fmid, &found) == MAPISTORE_SUCCESS) {
			position = found;
		}
	}
	table->position = position;
	return mapistore_table_seek_row(table, MAPISTORE_SEEK_CURRENT, offset, moved_r);
}

enum mapistore_error mapistore_table_free_bookmark(struct mapistore_table *table,
	uint32_t bookmark)
{
	uint32_t i;

	if (table == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < table->bookmark_count; i++) {
		if (table->bookmarks[i].id == bookmark) {
			memmove(&table->bookmarks[i], &table->bookmarks[i + 1],
				sizeof(table->bookmarks[0]) * (table->bookmark_count - i - 1));
			table->bookmark_count--;
			return MAPISTORE_SUCCESS;
		}
	}
	return MAPISTORE_ERR_NOT_FOUND;
}

enum mapistore_error mapistore_table_seek_row_fractional(struct mapistore_table *table,
	uint32_t numerator, uint32_t denominator)
{
	enum mapistore_error ret;
	uint32_t total = 0;

	if (table == NULL || denominator == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = row_count(table, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (numerator >= denominator) {
		table->position = total;
	} else {
		table->position = (uint32_t)(((uint64_t)numerator * total) / denominator);
	}
	return MAPISTORE_SUCCESS;
}

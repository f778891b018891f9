/*
 * Memory backend tables ([MS-OXCTABL]): hierarchy, contents, FAI,
 * attachment and permission tables over the live data. Restrictions and
 * sort orders are applied natively with the core's helpers: each call
 * builds the view (O(n log n)), which is fine for a reference backend.
 */
#include "memory_private.h"

#include <stdlib.h>
#include <string.h>

struct view_entry {
	uint64_t fmid;
	uint32_t natural;
	struct mapistore_property *props;   /* stored + computed, shallow */
	uint32_t count;
};

enum mapistore_error memory_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_backend_table **table_r)
{
	struct mapistore_backend_table *t;

	if (folder->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (table_type == MAPISTORE_RULE_TABLE || table_type == MAPISTORE_ATTACHMENT_TABLE) {
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
	t = talloc_zero(mem_ctx, struct mapistore_backend_table);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t->ctx = folder->ctx;
	t->type = table_type;
	t->folder = folder->data;
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_table **table_r)
{
	struct mapistore_backend_table *t = talloc_zero(mem_ctx, struct mapistore_backend_table);

	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t->ctx = msg->ctx;
	t->type = MAPISTORE_ATTACHMENT_TABLE;
	t->msg = msg;
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_table_set_columns(struct mapistore_backend_table *table,
	const uint32_t *proptags, uint32_t count)
{
	return mapistore_proptags_replace(table, &table->columns, &table->column_count,
					  proptags, count);
}

static enum mapistore_error merge(TALLOC_CTX *mem_ctx, const struct mapistore_property_list *stored,
	const struct mapistore_property *computed, uint32_t computed_count,
	struct view_entry *e)
{
	e->count = stored->count + computed_count;
	e->props = talloc_array(mem_ctx, struct mapistore_property, e->count ? e->count : 1);
	if (e->props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (stored->count > 0) {
		memcpy(e->props, stored->props, sizeof(e->props[0]) * stored->count);
	}
	if (computed_count > 0) {
		memcpy(e->props + stored->count, computed, sizeof(e->props[0]) * computed_count);
	}
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error permission_entry(TALLOC_CTX *mem_ctx,
	const struct mapistore_permission *p, struct view_entry *e)
{
	struct mapistore_property props[3] = {
		{ .proptag = PidTagMemberId, .value.i64 = p->member_id },
		{ .proptag = PidTagMemberName, .value.str = discard_const_p(char, p->name ? p->name : "") },
		{ .proptag = PidTagMemberRights, .value.i32 = (int32_t)p->rights },
	};

	e->fmid = (uint64_t)p->member_id;
	e->count = 3;
	e->props = talloc_memdup(mem_ctx, props, sizeof(props));
	return e->props ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

enum mapistore_error memory_table_set_restriction(struct mapistore_backend_table *table,
	const struct mapistore_restriction *res)
{
	struct mapistore_restriction *copy = NULL;
	enum mapistore_error ret;

	if (res != NULL) {
		ret = mapistore_restriction_copy(table, res, &copy);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	talloc_free(table->res);
	table->res = copy;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_table_set_sort_order(struct mapistore_backend_table *table,
	const struct mapistore_sort_order *order, uint32_t count)
{
	return mapistore_sort_order_replace(table, &table->sort, &table->sort_count, order, count);
}

static __thread const struct mapistore_backend_table *sorting;

static int entry_compare(const void *a, const void *b)
{
	const struct view_entry *ea = a, *eb = b;
	uint32_t i;

	for (i = 0; i < sorting->sort_count; i++) {
		int ia = mapistore_properties_find(ea->props, ea->count, sorting->sort[i].proptag);
		int ib = mapistore_properties_find(eb->props, eb->count, sorting->sort[i].proptag);
		int c = 0;

		if (ia < 0 || ib < 0) {
			c = (ia >= 0) - (ib >= 0);
		} else if (mapistore_property_compare(&ea->props[ia], &eb->props[ib], &c) !=
			   MAPISTORE_SUCCESS) {
			c = 0;
		}
		if (c != 0) {
			return sorting->sort[i].order == TABLE_SORT_DESCEND ? -c : c;
		}
	}
	return (ea->natural > eb->natural) - (ea->natural < eb->natural);
}

/* Subobject rows ([MS-OXCDATA] 2.12.10) of the message of an entry:
 * recipients (with PidTagRowid, PidTagRecipientType) or attachments
 * (with PidTagAttachNumber). The rows borrow the stored values. */
static enum mapistore_error subobject_rows(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	const struct mapistore_backend_table *t = private_data;
	const struct view_entry *entry = object;
	struct memory_message *m = NULL;
	struct mapistore_row *rows;
	uint32_t i, n;

	*rows_r = NULL;
	*count_r = 0;
	for (i = 0; t->folder != NULL && i < t->folder->message_count; i++) {
		if (t->folder->messages[i]->mid == entry->fmid) {
			m = t->folder->messages[i];
		}
	}
	if (m == NULL) {
		return MAPISTORE_SUCCESS;
	}
	n = subobject == PidTagMessageRecipients ? m->recipient_count : m->attachment_count;
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, n ? n : 1);
	if (rows == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		const struct mapistore_property_list *src = NULL;
		struct mapistore_property extra[2];
		uint32_t extra_count, j;

		if (subobject == PidTagMessageRecipients) {
			extra[0].proptag = PidTagRowid;
			extra[0].value.i32 = (int32_t)m->recipients[i].row_id;
			extra[1].proptag = PidTagRecipientType;
			extra[1].value.i32 = (int32_t)m->recipients[i].type;
			extra_count = 2;
		} else {
			src = &m->attachments[i]->props;
			extra[0].proptag = PidTagAttachNumber;
			extra[0].value.i32 = (int32_t)m->attachments[i]->aid;
			extra_count = 1;
		}
		rows[i].count = (src ? src->count : m->recipients[i].count) + extra_count;
		rows[i].props = talloc_array(rows, struct mapistore_property, rows[i].count);
		if (rows[i].props == NULL) {
			talloc_free(rows);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		for (j = 0; j < rows[i].count - extra_count; j++) {
			rows[i].props[j] = src ? src->props[j] : m->recipients[i].props[j];
		}
		for (j = 0; j < extra_count; j++) {
			rows[i].props[rows[i].count - extra_count + j] = extra[j];
		}
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error filter_and_sort(const struct mapistore_backend_table *t,
	struct view_entry *e, uint32_t *n)
{
	struct mapistore_restriction_ctx *rctx = NULL;
	uint32_t i, kept = 0;

	if (t->res != NULL) {
		enum mapistore_error ret = mapistore_restriction_ctx_new(NULL, t->res, subobject_rows,
			discard_const_p(struct mapistore_backend_table, t), &rctx);

		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	for (i = 0; rctx != NULL && i < *n; i++) {
		bool match = false;
		enum mapistore_error ret = mapistore_restriction_ctx_eval(rctx, e[i].props,
									  e[i].count, &e[i], &match);

		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(rctx);
			return ret;
		}
		if (match) {
			e[kept++] = e[i];
		}
	}
	talloc_free(rctx);
	if (t->res != NULL) {
		*n = kept;
	}
	if (t->sort_count > 0 && *n > 1) {
		sorting = t;
		qsort(e, *n, sizeof(e[0]), entry_compare);
		sorting = NULL;
	}
	return MAPISTORE_SUCCESS;
}

/* The table's objects: natural order, then restriction and sort. */
static enum mapistore_error collect(TALLOC_CTX *mem_ctx, struct mapistore_backend_table *t,
	struct view_entry **entries_r, uint32_t *count_r)
{
	struct view_entry *e;
	struct mapistore_property *computed = NULL;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t n = 0, i, total, computed_count = 0;

	if (t->folder != NULL && t->folder->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	total = t->type == MAPISTORE_FOLDER_TABLE ? t->folder->child_count :
		t->type == MAPISTORE_ATTACHMENT_TABLE ? t->msg->work->attachment_count :
		t->type == MAPISTORE_PERMISSIONS_TABLE ? t->folder->perm_count :
		t->folder->message_count;
	e = talloc_zero_array(mem_ctx, struct view_entry, total ? total : 1);
	if (e == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < total; i++) {
		switch (t->type) {
		case MAPISTORE_FOLDER_TABLE: {
			struct memory_folder *c = t->folder->children[i];

			ret = memory_folder_computed(e, c, &computed, &computed_count);
			if (ret == MAPISTORE_SUCCESS) {
				e[n].fmid = c->fid;
				ret = merge(e, &c->props, computed, computed_count, &e[n++]);
			}
			break;
		}
		case MAPISTORE_MESSAGE_TABLE:
		case MAPISTORE_FAI_TABLE: {
			struct memory_message *m = t->folder->messages[i];

			if (m->fai != (t->type == MAPISTORE_FAI_TABLE)) {
				continue;
			}
			ret = memory_message_computed(e, m, t->folder->fid, &computed, &computed_count);
			if (ret == MAPISTORE_SUCCESS) {
				e[n].fmid = m->mid;
				ret = merge(e, &m->props, computed, computed_count, &e[n++]);
			}
			break;
		}
		case MAPISTORE_ATTACHMENT_TABLE: {
			struct memory_attachment *a = t->msg->work->attachments[i];
			struct mapistore_property num = { .proptag = PidTagAttachNumber,
							  .value.i32 = (int32_t)a->aid };

			e[n].fmid = a->aid;
			ret = merge(e, &a->props, &num, 1, &e[n++]);
			break;
		}
		case MAPISTORE_PERMISSIONS_TABLE:
			ret = permission_entry(e, &t->folder->perms[i], &e[n++]);
			break;
		default:
			ret = MAPISTORE_ERR_NOT_SUPPORTED;
			break;
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(e);
		return ret;
	}
	for (i = 0; i < n; i++) {
		e[i].natural = i;
	}
	ret = filter_and_sort(t, e, &n);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(e);
		return ret;
	}
	*entries_r = e;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_table_get_row_count(struct mapistore_backend_table *table,
	uint32_t *count_r)
{
	struct view_entry *e = NULL;
	enum mapistore_error ret = collect(NULL, table, &e, count_r);

	talloc_free(e);
	return ret;
}

enum mapistore_error memory_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *table, uint32_t position, uint32_t count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct view_entry *e = NULL;
	struct mapistore_row *rows;
	enum mapistore_error ret;
	uint32_t total = 0, n, i, j;

	if (table->columns == NULL) {
		return MAPISTORE_ERR_NOT_INITIALIZED;
	}
	ret = collect(NULL, table, &e, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	n = position < total ? total - position : 0;
	n = n < count ? n : count;
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, n ? n : 1);
	if (rows == NULL) {
		talloc_free(e);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		const struct view_entry *src = &e[position + i];

		rows[i].fmid = src->fmid;
		rows[i].count = table->column_count;
		rows[i].props = talloc_zero_array(rows, struct mapistore_property, table->column_count);
		if (rows[i].props == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		for (j = 0; ret == MAPISTORE_SUCCESS && j < table->column_count; j++) {
			int idx = mapistore_properties_find(src->props, src->count, table->columns[j]);

			if (idx < 0) {
				rows[i].props[j] = mapistore_property_not_found(table->columns[j]);
			} else {
				ret = mapistore_property_copy(rows[i].props, &rows[i].props[j],
							      &src->props[idx]);
			}
		}
	}
	talloc_free(e);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(rows);
		return ret;
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_table_find_row(struct mapistore_backend_table *table,
	uint64_t fmid, uint32_t *position_r)
{
	struct view_entry *e = NULL;
	enum mapistore_error ret;
	uint32_t total = 0, i;

	ret = collect(NULL, table, &e, &total);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = MAPISTORE_ERR_NOT_FOUND;
	for (i = 0; i < total; i++) {
		if (e[i].fmid == fmid) {
			*position_r = i;
			ret = MAPISTORE_SUCCESS;
			break;
		}
	}
	talloc_free(e);
	return ret;
}

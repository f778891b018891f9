/*
 * Local backend tables ([MS-OXCTABL]). Contents tables page in creation
 * order (the GLOBCNT of the MID, indexed with the folder): a request for
 * the row right after the previous page continues from the last key
 * ("seq > ?"), which is O(log n) per page whatever the folder size.
 * Restricted or sorted contents tables, random seeks and bookmarks go
 * through a materialised view (local_view.c): O(n) to build once, then
 * O(log n) per positioned read. Row counts of unrestricted tables come
 * from the folder row's counters. Hierarchy, attachment and permission
 * tables (small) decline restrictions and sorts: the core emulates them.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <string.h>

static const char sql_page_after[] =
	"SELECT mid, seq, cn, props FROM messages WHERE fid = ? AND fai = ? AND seq > ?"
	" ORDER BY seq LIMIT ?";
static const char sql_page_offset[] =
	"SELECT mid, seq, cn, props FROM messages WHERE fid = ? AND fai = ?"
	" ORDER BY seq LIMIT ? OFFSET ?";
static const char sql_msg_counts[] = "SELECT msg_count, fai_count FROM folders WHERE fid = ?";
static const char sql_row_by_mid[] =
	"SELECT mid, seq, cn, props FROM messages WHERE mid = ?";
static const char sql_children_page[] =
	"SELECT fid, props FROM folders WHERE parent_fid = ? AND deleted = 0 ORDER BY fid"
	" LIMIT ? OFFSET ?";
static const char sql_children_count[] =
	"SELECT COUNT(*) FROM folders WHERE parent_fid = ? AND deleted = 0";

enum mapistore_error local_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_backend_table **table_r)
{
	struct mapistore_backend_table *t;

	if (table_type == MAPISTORE_RULE_TABLE || table_type == MAPISTORE_ATTACHMENT_TABLE) {
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
	t = talloc_zero(mem_ctx, struct mapistore_backend_table);
	if (t == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t->ctx = folder->ctx;
	t->type = table_type;
	t->fid = folder->fid;
	*table_r = t;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_message_open_attachment_table(TALLOC_CTX *mem_ctx,
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

enum mapistore_error local_table_set_columns(struct mapistore_backend_table *table,
	const uint32_t *proptags, uint32_t count)
{
	return mapistore_proptags_replace(table, &table->columns, &table->column_count,
					  proptags, count);
}

static bool is_contents(const struct mapistore_backend_table *t)
{
	return t->type == MAPISTORE_MESSAGE_TABLE || t->type == MAPISTORE_FAI_TABLE;
}

/* Contents tables restrict natively; the others decline (the core then
 * emulates that table). */
enum mapistore_error local_table_set_restriction(struct mapistore_backend_table *table,
	const struct mapistore_restriction *res)
{
	struct mapistore_restriction *copy = NULL;
	enum mapistore_error ret;

	if (!is_contents(table)) {
		return res == NULL ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_SUPPORTED;
	}
	if (res != NULL) {
		ret = mapistore_restriction_copy(table, res, &copy);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	talloc_free(table->restriction);
	table->restriction = copy;
	local_view_invalidate(table);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_table_set_sort_order(struct mapistore_backend_table *table,
	const struct mapistore_sort_order *order, uint32_t count)
{
	enum mapistore_error ret;

	if (!is_contents(table)) {
		return count == 0 ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NOT_SUPPORTED;
	}
	ret = mapistore_sort_order_replace(table, &table->sort, &table->sort_count, order, count);
	if (ret == MAPISTORE_SUCCESS) {
		local_view_invalidate(table);
	}
	return ret;
}

static enum mapistore_error count_sql(struct local_store *s, const char *sql, uint64_t fid,
	int col, uint32_t *count_r)
{
	sqlite3_stmt *st = local_stmt(s, sql);

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)fid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	*count_r = (uint32_t)sqlite3_column_int64(st, col);
	sqlite3_reset(st);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_table_get_row_count(struct mapistore_backend_table *table,
	uint32_t *count_r)
{
	struct mapistore_permission *perms = NULL;
	struct mapistore_backend_folder f = { table->ctx, table->fid };
	enum mapistore_error ret;

	if (is_contents(table) && (table->restriction != NULL || table->sort_count > 0)) {
		ret = local_view_ensure(table);
		if (ret == MAPISTORE_SUCCESS) {
			*count_r = table->view_count;
		}
		return ret;
	}
	switch (table->type) {
	case MAPISTORE_MESSAGE_TABLE:
		return count_sql(table->ctx->store, sql_msg_counts, table->fid, 0, count_r);
	case MAPISTORE_FAI_TABLE:
		return count_sql(table->ctx->store, sql_msg_counts, table->fid, 1, count_r);
	case MAPISTORE_FOLDER_TABLE:
		return count_sql(table->ctx->store, sql_children_count, table->fid, 0, count_r);
	case MAPISTORE_ATTACHMENT_TABLE:
		*count_r = table->msg->work->att_count;
		return MAPISTORE_SUCCESS;
	case MAPISTORE_PERMISSIONS_TABLE:
		ret = local_folder_get_permissions(NULL, &f, &perms, count_r);
		talloc_free(perms);
		return ret;
	default:
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
}

/* Project stored + computed properties on the table's columns. */
static enum mapistore_error make_row(TALLOC_CTX *mem_ctx, const struct mapistore_backend_table *t,
	uint64_t fmid, const struct mapistore_property_list *p, const struct mapistore_property *computed,
	uint32_t computed_count, struct mapistore_row *row)
{
	row->fmid = fmid;
	row->count = t->column_count;
	return mapistore_property_list_row(mem_ctx, p, computed, computed_count, t->columns, t->column_count,
			       &row->props);
}

/* One contents row from a (mid, seq, cn, props) result row. */
static enum mapistore_error message_row(struct mapistore_backend_table *t, sqlite3_stmt *st,
	struct mapistore_row *rows, uint32_t n)
{
	uint64_t mid = (uint64_t)sqlite3_column_int64(st, 0);
	struct mapistore_property_list p = { 0 };
	struct mapistore_property computed[4] = {
		{ .proptag = PidTagMid, .value.i64 = (int64_t)mid },
		{ .proptag = PidTagFolderId, .value.i64 = (int64_t)t->fid },
		{ .proptag = PidTagChangeNumber, .value.i64 = sqlite3_column_int64(st, 2) },
		{ .proptag = PidTagAssociated, .value.b = t->type == MAPISTORE_FAI_TABLE },
	};
	enum mapistore_error ret;

	ret = mapistore_properties_decode(rows, sqlite3_column_blob(st, 3),
		(size_t)sqlite3_column_bytes(st, 3), &p.props, &p.count);
	if (ret == MAPISTORE_SUCCESS) {
		ret = make_row(rows, t, mid, &p, computed, 4, &rows[n]);
	}
	talloc_free(p.props);
	return ret;
}

/* Rows of the view at @position: positions from the view, rows by MID. */
static enum mapistore_error view_rows(struct mapistore_backend_table *t, uint32_t position,
	uint32_t count, struct mapistore_row *rows, uint32_t *n_r)
{
	enum mapistore_error ret;
	uint64_t *mids = NULL;
	uint32_t got = 0, n = 0, i;

	ret = local_view_mids(rows, t, position, count, &mids, &got);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < got; i++) {
		sqlite3_stmt *st = local_stmt(t->ctx->store, sql_row_by_mid);

		if (st == NULL) {
			ret = MAPISTORE_ERR_DATABASE_OPS;
			break;
		}
		sqlite3_bind_int64(st, 1, (int64_t)mids[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			ret = message_row(t, st, rows, n);
			n++;
		}
		sqlite3_reset(st);
	}
	talloc_free(mids);
	if (ret == MAPISTORE_SUCCESS) {
		t->cursor_valid = false;
		*n_r = n;
	}
	return ret;
}

static enum mapistore_error message_rows(TALLOC_CTX *mem_ctx, struct mapistore_backend_table *t,
	uint32_t position, uint32_t count, struct mapistore_row *rows, uint32_t *n_r)
{
	bool keyset = t->cursor_valid && position == t->next_position;
	sqlite3_stmt *st;

	if (local_view_wanted(t, position)) {
		return view_rows(t, position, count, rows, n_r);
	}
	st = local_stmt(t->ctx->store, keyset ? sql_page_after : sql_page_offset);
	uint32_t n = 0;
	uint64_t last_seq = 0;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	sqlite3_bind_int64(st, 1, (int64_t)t->fid);
	sqlite3_bind_int(st, 2, t->type == MAPISTORE_FAI_TABLE);
	if (keyset) {
		sqlite3_bind_int64(st, 3, (int64_t)t->next_after);
		sqlite3_bind_int64(st, 4, count);
	} else {
		sqlite3_bind_int64(st, 3, count);
		sqlite3_bind_int64(st, 4, position);
	}
	while (ret == MAPISTORE_SUCCESS && n < count && sqlite3_step(st) == SQLITE_ROW) {
		last_seq = (uint64_t)sqlite3_column_int64(st, 1);
		ret = message_row(t, st, rows, n);
		n++;
	}
	sqlite3_reset(st);
	if (ret == MAPISTORE_SUCCESS) {
		t->cursor_valid = n > 0;
		t->next_position = position + n;
		t->next_after = last_seq;
		*n_r = n;
	}
	return ret;
}

static enum mapistore_error folder_rows(struct mapistore_backend_table *t, uint32_t position,
	uint32_t count, struct mapistore_row *rows, uint32_t *n_r)
{
	sqlite3_stmt *st = local_stmt(t->ctx->store, sql_children_page);
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint64_t *fids = NULL;
	uint32_t n = 0, i;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	fids = talloc_array(rows, uint64_t, count ? count : 1);
	if (fids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	sqlite3_bind_int64(st, 1, (int64_t)t->fid);
	sqlite3_bind_int64(st, 2, count);
	sqlite3_bind_int64(st, 3, position);
	while (n < count && sqlite3_step(st) == SQLITE_ROW) {
		fids[n++] = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	/* statements are cached per text: finish the page before nesting */
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		struct mapistore_property *computed = NULL;
		struct mapistore_property_list p = { 0 };
		uint32_t cc = 0;
		bool deleted = false;

		ret = local_folder_props(rows, t->ctx->store, fids[i], &p, &deleted);
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_folder_computed(rows, t->ctx->store, fids[i], &computed, &cc);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = make_row(rows, t, fids[i], &p, computed, cc, &rows[i]);
		}
		talloc_free(p.props);
		talloc_free(computed);
	}
	talloc_free(fids);
	*n_r = n;
	return ret;
}

enum mapistore_error local_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *table, uint32_t position, uint32_t count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct mapistore_row *rows;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t n = 0, i;

	if (table->columns == NULL) {
		return MAPISTORE_ERR_NOT_INITIALIZED;
	}
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, count ? count : 1);
	if (rows == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	switch (table->type) {
	case MAPISTORE_MESSAGE_TABLE:
	case MAPISTORE_FAI_TABLE:
		ret = message_rows(mem_ctx, table, position, count, rows, &n);
		break;
	case MAPISTORE_FOLDER_TABLE:
		ret = folder_rows(table, position, count, rows, &n);
		break;
	case MAPISTORE_ATTACHMENT_TABLE: {
		struct local_msg *w = table->msg->work;

		for (i = position; ret == MAPISTORE_SUCCESS && i < w->att_count && n < count; i++) {
			struct mapistore_property num = { .proptag = PidTagAttachNumber,
							  .value.i32 = (int32_t)w->atts[i]->aid };

			ret = make_row(rows, table, w->atts[i]->aid, &w->atts[i]->props, &num, 1, &rows[n++]);
		}
		break;
	}
	case MAPISTORE_PERMISSIONS_TABLE: {
		struct mapistore_backend_folder f = { table->ctx, table->fid };
		struct mapistore_permission *perms = NULL;
		uint32_t total = 0;

		ret = local_folder_get_permissions(rows, &f, &perms, &total);
		for (i = position; ret == MAPISTORE_SUCCESS && i < total && n < count; i++) {
			struct mapistore_property c[3] = {
				{ .proptag = PidTagMemberId, .value.i64 = perms[i].member_id },
				{ .proptag = PidTagMemberName, .value.str = discard_const_p(char, perms[i].name) },
				{ .proptag = PidTagMemberRights, .value.i32 = (int32_t)perms[i].rights },
			};
			struct mapistore_property_list none = { 0 };

			ret = make_row(rows, table, (uint64_t)perms[i].member_id, &none, c, 3, &rows[n++]);
		}
		talloc_free(perms);
		break;
	}
	default:
		ret = MAPISTORE_ERR_NOT_SUPPORTED;
		break;
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(rows);
		return ret;
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_table_find_row(struct mapistore_backend_table *table,
	uint64_t fmid, uint32_t *position_r)
{
	if (!is_contents(table)) {
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
	return local_view_find(table, fmid, position_r);
}

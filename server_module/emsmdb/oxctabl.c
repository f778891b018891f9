/*
 * [MS-OXCTABL] Table Object Protocol: the table ROPs ([MS-OXCROPS] 2.2.5).
 *
 * A table is a backend table (mapistore: contents, FAI, hierarchy of a
 * backend folder; restrictions and sorting emulated by the core when the
 * backend lacks them) or, for the hierarchy of an openchangedb folder, a
 * list of FIDs with a cursor kept here.
 */
#include "oxctabl_ext.h"
#include "emsmdb_acl.h"
#include "emsmdb_computed.h"
#include "oxcfold_search.h"
#include "oxorule.h"
#include "emsmdb_notify.h"

#include <stdint.h>
#include <string.h>

/* [MS-OXCFOLD] 2.2.1.13.1 TableFlags */
#define TableFlags_Associated 0x02
#define TableFlags_Depth 0x04
#define TableFlags_NoNotifications 0x10	/* [MS-OXCFOLD] 2.2.1.13.1 */
/* [MS-OXCTABL] 2.2.2.1.3 TableStatus, 2.2.2.1.1 Origin / BOOKMARK_* */
#define TBLSTAT_COMPLETE 0x00
/* [MS-OXCTABL] 2.2.2.5 QueryRowsFlags */
#define QueryRowsFlags_NoAdvance 0x01
/* [MS-OXCDATA] 2.4.2 */
#define ecUnableToAbort 0x80040114

/* children of @fid (recursively with @depth) into t->fids */
static uint32_t emsmdb_table_collect(struct emsmdb_session *s,
				     struct emsmdb_table *t, uint64_t fid,
				     bool depth, unsigned level)
{
	uint64_t *kids = NULL;
	uint32_t n = 0, i, ec;

	if (level > 32) {
		return ecSuccess;
	}
	if (openchangedb_folder_get_children(t, s->ocdb, fid, &kids, &n) !=
	    MAPISTORE_SUCCESS) {
		return ecSuccess;
	}
	for (i = 0; i < n; i++) {
		uint64_t *fids = talloc_realloc(t, t->fids, uint64_t, t->count + 1);

		if (fids == NULL) {
			return ecMAPIOOM;
		}
		t->fids = fids;
		t->fids[t->count++] = kids[i];
		if (depth) {
			ec = emsmdb_table_collect(s, t, kids[i], true, level + 1);
			if (ec != ecSuccess) {
				return ec;
			}
		}
	}
	talloc_free(kids);
	return ecSuccess;
}

uint32_t emsmdb_table_new(struct emsmdb_rop_call *call,
			  enum emsmdb_table_kind kind, uint8_t TableFlags,
			  struct emsmdb_table **table_r)
{
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
						  struct emsmdb_folder);
	enum mapistore_table_type type;
	struct emsmdb_object *obj;
	struct emsmdb_table *t;
	enum mapistore_error ret;
	uint32_t ec;

	if (f == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_TABLE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	t = talloc_zero(obj, struct emsmdb_table);
	if (t == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = t;
	t->kind = kind;
	t->TableFlags = TableFlags;
	t->folder = f;
	*table_r = t;
	if (!(TableFlags & TableFlags_NoNotifications)) {
		/* [MS-OXCNOTIF] 3.1.4.3: open tables hear their folder change */
		struct emsmdb_logon *l = emsmdb_rop_logon(call);

		ec = emsmdb_notify_subscribe_table(call->session, obj, call->req->LogonId,
			l != NULL && l->is_private ? l->mailbox_owner : "",
			kind == EMSMDB_TABLE_HIERARCHY, f->fid);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	if (f->mf == NULL) {
		/* an openchangedb folder: its subfolders, and no messages */
		return kind == EMSMDB_TABLE_HIERARCHY ?
			emsmdb_table_collect(call->session, t, f->fid,
					     TableFlags & TableFlags_Depth, 0) :
			emsmdb_search_table_open(call, t);	/* search folders */
	}
	type = kind == EMSMDB_TABLE_HIERARCHY ? MAPISTORE_FOLDER_TABLE :
	       (TableFlags & TableFlags_Associated) ? MAPISTORE_FAI_TABLE :
						      MAPISTORE_MESSAGE_TABLE;
	ret = mapistore_folder_open_table(t, f->mf, type, &t->mt);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(t->mt, &t->count);
	}
	return emsmdb_ms_ec(ret);
}

static struct emsmdb_table *emsmdb_table_of(struct emsmdb_rop_call *call)
{
	return talloc_get_type(call->in->private_data, struct emsmdb_table);
}

/* [MS-OXCTABL] 2.2.2.2 RopSetColumns */
uint32_t oxctabl_RopSetColumns(struct emsmdb_rop_call *call)
{
	const struct RopSetColumns_req *req = &call->req->u.RopSetColumns;
	struct emsmdb_table *t = emsmdb_table_of(call);
	uint32_t *cols;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (req->PropertyTagCount == 0 ||
	    req->PropertyTagCount > MAPISTORE_MAX_COLUMNS) {
		return ecInvalidParam;
	}
	cols = talloc_memdup(t, req->PropertyTags,
			     req->PropertyTagCount * sizeof(uint32_t));
	if (cols == NULL) {
		return ecMAPIOOM;
	}
	if (t->mt != NULL) {
		enum mapistore_error ret = mapistore_table_set_columns(t->mt, cols,
							req->PropertyTagCount);

		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(cols);
			return emsmdb_ms_ec(ret);
		}
	}
	talloc_free(t->columns);
	t->columns = cols;
	t->column_count = req->PropertyTagCount;
	emsmdb_categ_invalidate(t, false);
	call->resp->u.RopSetColumns.TableStatus = TBLSTAT_COMPLETE;
	return ecSuccess;
}

/* the encoded size of one row (to stay within the response buffer) */
size_t oxctabl_row_size(TALLOC_CTX *mem_ctx, const struct PropertyRow *row)
{
	struct oxcdata_push push;
	size_t n;

	oxcdata_push_init(&push, mem_ctx);
	if (oxcdata_push_row(&push, row) != ROP_OK) {
		talloc_free(push.data);
		return SIZE_MAX;
	}
	n = push.size;
	talloc_free(push.data);
	return n;
}

uint32_t oxctabl_view_state(struct emsmdb_table *t, uint32_t *count_r,
			    uint32_t *cursor_r)
{
	uint32_t ec;

	if (t->categ != NULL) {
		ec = emsmdb_categ_refresh(t);
		if (ec != ecSuccess) {
			return ec;
		}
		emsmdb_categ_state(t, count_r, cursor_r);
		return ecSuccess;
	}
	if (t->mt != NULL) {
		return emsmdb_ms_ec(mapistore_table_get_position(t->mt, cursor_r,
								  count_r));
	}
	*count_r = t->count;
	*cursor_r = t->cursor < t->count ? t->cursor : t->count;
	return ecSuccess;
}

uint32_t oxctabl_view_seek(struct emsmdb_table *t, uint32_t pos)
{
	int32_t moved = 0;

	if (t->categ != NULL) {
		emsmdb_categ_seek(t, pos);
		return ecSuccess;
	}
	if (t->mt != NULL) {
		/* positions are below MAPISTORE_MAX_QUERY_ROWS-sized windows
		 * of a table whose count fits int32 in practice; clamp anyway */
		return emsmdb_ms_ec(mapistore_table_seek_row(t->mt,
			MAPISTORE_SEEK_BEGINNING, pos > INT32_MAX ? INT32_MAX : (int32_t)pos,
			&moved));
	}
	t->cursor = pos < t->count ? pos : t->count;
	return ecSuccess;
}

uint32_t emsmdb_fed_row(TALLOC_CTX *mem_ctx, const struct emsmdb_table *t, const void *entry,
			emsmdb_fed_column_fn column, struct mapistore_property **props_r)
{
	struct mapistore_property *props;
	uint32_t i;

	props = talloc_zero_array(mem_ctx, struct mapistore_property, t->column_count + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < t->column_count; i++) {
		if (entry == NULL) {
			props[i] = mapistore_property_not_found(t->columns[i]);
		} else {
			column(entry, t, t->columns[i], &props[i]);
		}
	}
	*props_r = props;
	return ecSuccess;
}

uint32_t oxctabl_view_rows(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			   uint32_t start, uint32_t n, struct PropertyRow **rows_r,
			   uint32_t *got_r)
{
	struct mapistore_row *mrows = NULL;
	struct PropertyRow *rows;
	uint32_t count = 0, cursor = 0, i, ec;

	*got_r = 0;
	ec = oxctabl_view_state(t, &count, &cursor);
	if (ec != ecSuccess) {
		return ec;
	}
	if (start > count) {
		start = count;
	}
	if (n > count - start) {
		n = count - start;
	}
	if (n > MAPISTORE_MAX_QUERY_ROWS) {
		n = MAPISTORE_MAX_QUERY_ROWS;
	}
	if (t->categ == NULL && t->mt != NULL) {
		ec = oxctabl_view_seek(t, start);
		if (ec == ecSuccess) {
			ec = emsmdb_ms_ec(mapistore_table_query_rows(call->mem_ctx,
				t->mt, n, &mrows, &n));
		}
		if (ec == ecSuccess) {	/* issue 7: computed columns */
			ec = emsmdb_computed_rows(call->session, call->mem_ctx, call->logon,
						  t, t->columns, t->column_count, mrows, n);
		}
		if (ec != ecSuccess) {
			return ec;
		}
	}
	rows = talloc_zero_array(call->mem_ctx, struct PropertyRow, n + 1);
	if (rows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		struct mapistore_property *props;

		if (t->categ != NULL) {
			ec = emsmdb_categ_row_props(call->mem_ctx, t, start + i,
						    t->columns, t->column_count, &props);
		} else if (t->mt != NULL) {
			props = mrows[i].props;
			ec = ecSuccess;
		} else if (t->kind == EMSMDB_TABLE_PERMISSIONS) {
			ec = emsmdb_acl_table_row(call, t, start + i, &props); /* oxcperm.c */
		} else if (t->kind == EMSMDB_TABLE_RULES) {
			ec = emsmdb_rules_table_row(call, t, start + i, &props); /* oxorule.c */
		} else {
			struct emsmdb_folder *f = NULL;

			ec = emsmdb_folder_open(call->session, call->mem_ctx,
						call->logon, t->fids[start + i], &f);
			if (ec == ecSuccess) {
				ec = emsmdb_folder_get_props(call->session,
					call->mem_ctx, call->logon, f, t->columns,
					t->column_count, &props);
			}
		}
		if (ec != ecSuccess) {
			return ec;
		}
		ec = emsmdb_props_to_row(call->mem_ctx, t->columns, t->column_count,
					 props, &rows[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	*rows_r = rows;
	*got_r = n;
	return ecSuccess;
}

/*
 * [MS-OXCTABL] 2.2.2.5 RopQueryRows, 3.2.5.5: forward reads return the
 * rows from the cursor on; backward reads (ForwardRead 0) the RowCount
 * rows before the cursor, in table order, and leave the cursor on the
 * first row returned. As many whole rows as fit the response are sent:
 * forward, the first ones; backward, the ones nearest the cursor.
 */
uint32_t oxctabl_RopQueryRows(struct emsmdb_rop_call *call)
{
	const struct RopQueryRows_req *req = &call->req->u.RopQueryRows;
	struct RopQueryRows_resp *resp = &call->resp->u.RopQueryRows;
	struct emsmdb_table *t = emsmdb_table_of(call);
	struct PropertyRow *rows = NULL;
	uint32_t got = 0, used = 0, count = 0, pos = 0, want, start, end, ec;
	bool forward = req->ForwardRead != 0;
	/* RopId, index, ReturnValue, Origin, RowCount */
	size_t room = call->space > 9 ? call->space - 9 : 0;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (t->columns == NULL) {
		/* [MS-OXCTABL] 3.2.5.5: columns must be set first */
		return ecNullObject;
	}
	ec = oxctabl_view_state(t, &count, &pos);
	if (ec != ecSuccess) {
		return ec;
	}
	/* a row takes at least a flag byte and a byte per column: never
	 * fetch more rows than the response could hold */
	want = req->RowCount;
	if (want > room / (1 + t->column_count) + 1) {
		want = room / (1 + t->column_count) + 1;
	}
	if (forward) {
		start = pos;
		want = want < count - pos ? want : count - pos;
	} else {
		want = want < pos ? want : pos;
		start = pos - want;
	}
	ec = oxctabl_view_rows(call, t, start, want, &rows, &got);
	if (ec != ecSuccess) {
		return ec;
	}
	/* as many rows as the response buffer holds ([MS-OXCTABL] 3.2.5.5) */
	while (used < got) {
		size_t n = oxctabl_row_size(call->mem_ctx,
					    &rows[forward ? used : got - 1 - used]);

		if (n > room) {
			break;
		}
		room -= n;
		used++;
	}
	if (used == 0 && got > 0) {
		oxctabl_view_seek(t, pos);
		return ecBufferTooSmall;
	}
	if (!forward) {
		rows += got - used;
		start += got - used;
	}
	end = forward ? start + used : start;
	ec = oxctabl_view_seek(t, (req->QueryRowsFlags & QueryRowsFlags_NoAdvance) ?
			       pos : end);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->Origin = forward ? (end >= count ? BOOKMARK_END : BOOKMARK_CURRENT) :
				 (end == 0 ? BOOKMARK_BEGINNING : BOOKMARK_CURRENT);
	resp->RowCount = (uint16_t)used;
	resp->RowData = rows;
	call->columns = t->columns;
	call->column_count = t->column_count;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.7 RopGetStatus: tables here are always complete */
uint32_t oxctabl_RopGetStatus(struct emsmdb_rop_call *call)
{
	call->resp->u.RopGetStatus.TableStatus = TBLSTAT_COMPLETE;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.6 RopAbort: nothing runs asynchronously */
uint32_t oxctabl_RopAbort(struct emsmdb_rop_call *call)
{
	call->resp->u.RopAbort.TableStatus = TBLSTAT_COMPLETE;
	return ecUnableToAbort;
}

/* [MS-OXCTABL] 2.2.2.8 RopQueryPosition */
uint32_t oxctabl_RopQueryPosition(struct emsmdb_rop_call *call)
{
	struct emsmdb_table *t = emsmdb_table_of(call);

	if (t == NULL) {
		return ecNotSupported;
	}
	return oxctabl_view_state(t, &call->resp->u.RopQueryPosition.Denominator,
				  &call->resp->u.RopQueryPosition.Numerator);
}

/* [MS-OXCTABL] 2.2.2.9 RopSeekRow, 3.2.5.7 */
uint32_t oxctabl_RopSeekRow(struct emsmdb_rop_call *call)
{
	const struct RopSeekRow_req *req = &call->req->u.RopSeekRow;
	struct RopSeekRow_resp *resp = &call->resp->u.RopSeekRow;
	struct emsmdb_table *t = emsmdb_table_of(call);
	int32_t want = (int32_t)req->RowCount, moved;
	uint32_t count = 0, pos = 0, ec;
	int64_t base, target;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (req->Origin > BOOKMARK_END) {
		return ecInvalidParam;
	}
	ec = oxctabl_view_state(t, &count, &pos);
	if (ec != ecSuccess) {
		return ec;
	}
	base = req->Origin == BOOKMARK_BEGINNING ? 0 :
	       req->Origin == BOOKMARK_CURRENT ? pos : count;
	target = base + want;
	if (target < 0) {
		target = 0;
	}
	if (target > count) {
		target = count;
	}
	moved = (int32_t)(target - base);
	ec = oxctabl_view_seek(t, (uint32_t)target);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->HasSoughtLess = moved != want;
	resp->RowsSought = req->WantRowMovedCount ? (uint32_t)moved : 0;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.15 RopResetTable: columns, restriction, sort, cursor */
uint32_t oxctabl_RopResetTable(struct emsmdb_rop_call *call)
{
	struct emsmdb_table *t = emsmdb_table_of(call);
	int32_t moved;

	if (t == NULL) {
		return ecNotSupported;
	}
	TALLOC_FREE(t->columns);
	TALLOC_FREE(t->categ);
	t->column_count = 0;
	t->cursor = 0;
	if (t->mt != NULL) {
		mapistore_table_restrict(t->mt, NULL);
		mapistore_table_sort(t->mt, NULL, 0);
		mapistore_table_seek_row(t->mt, MAPISTORE_SEEK_BEGINNING, 0, &moved);
	}
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.12 RopQueryColumnsAll: the columns rows can carry */
uint32_t oxctabl_RopQueryColumnsAll(struct emsmdb_rop_call *call)
{
	static const uint32_t hierarchy[] = {
		PidTagFolderId, PidTagParentFolderId, PidTagDisplayName,
		PidTagComment, PidTagContainerClass, PidTagContentCount,
		PidTagContentUnreadCount, PidTagSubfolders, PidTagFolderChildCount,
		PidTagFolderType, PidTagAccess, PidTagRights,
	};
	static const uint32_t contents[] = {
		PidTagMid, PidTagFolderId, PidTagSubject, PidTagMessageClass,
		PidTagMessageFlags, PidTagMessageSize, PidTagHasAttachments,
		PidTagCreationTime, PidTagLastModificationTime,
	};
	struct RopQueryColumnsAll_resp *resp = &call->resp->u.RopQueryColumnsAll;
	struct emsmdb_table *t = emsmdb_table_of(call);

	if (t == NULL) {
		return ecNotSupported;
	}
	if (t->kind == EMSMDB_TABLE_HIERARCHY) {
		resp->PropertyTagCount = sizeof(hierarchy) / sizeof(hierarchy[0]);
		resp->PropertyTags = (uint32_t *)(uintptr_t)hierarchy;
	} else {
		resp->PropertyTagCount = sizeof(contents) / sizeof(contents[0]);
		resp->PropertyTags = (uint32_t *)(uintptr_t)contents;
	}
	return ecSuccess;
}

/*
 * [MS-OXCTABL] Table Object Protocol: the table ROPs ([MS-OXCROPS] 2.2.5).
 *
 * A table is a backend table (mapistore: contents, FAI, hierarchy of a
 * backend folder; restrictions and sorting emulated by the core when the
 * backend lacks them) or, for the hierarchy of an openchangedb folder, a
 * list of FIDs with a cursor kept here.
 */
#include "emsmdb_oxc.h"

#include <stdint.h>
#include <string.h>

/* [MS-OXCFOLD] 2.2.1.13.1 TableFlags */
#define TableFlags_Associated 0x02
#define TableFlags_Depth 0x04
/* [MS-OXCTABL] 2.2.2.1.3 TableStatus, 2.2.2.1.1 Origin / BOOKMARK_* */
#define TBLSTAT_COMPLETE 0x00
#define BOOKMARK_BEGINNING 0x00
#define BOOKMARK_CURRENT 0x01
#define BOOKMARK_END 0x02
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
	if (f->mf == NULL) {
		/* an openchangedb folder: its subfolders, and no messages */
		return kind == EMSMDB_TABLE_HIERARCHY ?
			emsmdb_table_collect(call->session, t, f->fid,
					     TableFlags & TableFlags_Depth, 0) :
			ecSuccess;
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
	call->resp->u.RopSetColumns.TableStatus = TBLSTAT_COMPLETE;
	return ecSuccess;
}

/* the encoded size of one row (to stay within the response buffer) */
static size_t emsmdb_row_size(TALLOC_CTX *mem_ctx, const struct PropertyRow *row)
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

/* up to @want rows from the cursor; the cursor advances by *got_r */
static uint32_t emsmdb_table_fetch(struct emsmdb_rop_call *call,
				   struct emsmdb_table *t, uint32_t want,
				   struct PropertyRow **rows_r, uint32_t *got_r)
{
	struct mapistore_row *mrows = NULL;
	struct PropertyRow *rows;
	uint32_t n = 0, i, ec;

	*got_r = 0;
	if (t->mt != NULL) {
		enum mapistore_error ret = mapistore_table_query_rows(call->mem_ctx,
			t->mt, want, &mrows, &n);

		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
	} else {
		n = t->count - t->cursor < want ? t->count - t->cursor : want;
	}
	rows = talloc_zero_array(call->mem_ctx, struct PropertyRow, n + 1);
	if (rows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		struct mapistore_property *props;

		if (t->mt != NULL) {
			props = mrows[i].props;
		} else {
			struct emsmdb_folder *f = NULL;

			ec = emsmdb_folder_open(call->session, call->mem_ctx,
						call->logon, t->fids[t->cursor + i], &f);
			if (ec == ecSuccess) {
				ec = emsmdb_folder_get_props(call->session,
					call->mem_ctx, call->logon, f, t->columns,
					t->column_count, &props);
			}
			if (ec != ecSuccess) {
				return ec;
			}
		}
		ec = emsmdb_props_to_row(call->mem_ctx, t->columns, t->column_count,
					 props, &rows[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	if (t->mt == NULL) {
		t->cursor += n;
	}
	*rows_r = rows;
	*got_r = n;
	return ecSuccess;
}

/* move the cursor back by @n rows (rows fetched but not sent) */
static void emsmdb_table_unread(struct emsmdb_table *t, uint32_t n)
{
	int32_t moved;

	if (n == 0) {
		return;
	}
	if (t->mt != NULL) {
		mapistore_table_seek_row(t->mt, MAPISTORE_SEEK_CURRENT,
					 -(int32_t)n, &moved);
	} else {
		t->cursor -= n < t->cursor ? n : t->cursor;
	}
}

static uint32_t emsmdb_table_position(struct emsmdb_table *t, uint32_t *num_r,
				      uint32_t *den_r)
{
	if (t->mt != NULL) {
		return emsmdb_ms_ec(mapistore_table_get_position(t->mt, num_r, den_r));
	}
	*num_r = t->cursor;
	*den_r = t->count;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.5 RopQueryRows, forward reads */
uint32_t oxctabl_RopQueryRows(struct emsmdb_rop_call *call)
{
	const struct RopQueryRows_req *req = &call->req->u.RopQueryRows;
	struct RopQueryRows_resp *resp = &call->resp->u.RopQueryRows;
	struct emsmdb_table *t = emsmdb_table_of(call);
	struct PropertyRow *rows = NULL;
	uint32_t got = 0, used = 0, num = 0, den = 0, want, ec;
	/* RopId, index, ReturnValue, Origin, RowCount */
	size_t room = call->space > 9 ? call->space - 9 : 0;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (t->columns == NULL) {
		/* [MS-OXCTABL] 3.2.5.5: columns must be set first */
		return ecNullObject;
	}
	if (!req->ForwardRead) {
		return ecNotSupported;
	}
	/* a row takes at least a flag byte and a byte per column: never
	 * fetch more rows than the response could hold */
	want = req->RowCount;
	if (want > room / (1 + t->column_count) + 1) {
		want = room / (1 + t->column_count) + 1;
	}
	ec = emsmdb_table_fetch(call, t, want, &rows, &got);
	if (ec != ecSuccess) {
		return ec;
	}
	/* as many rows as the response buffer holds ([MS-OXCTABL] 3.2.5.5) */
	while (used < got) {
		size_t n = emsmdb_row_size(call->mem_ctx, &rows[used]);

		if (n > room) {
			break;
		}
		room -= n;
		used++;
	}
	if (used == 0 && got > 0) {
		emsmdb_table_unread(t, got);
		return ecBufferTooSmall;
	}
	emsmdb_table_unread(t, (req->QueryRowsFlags & QueryRowsFlags_NoAdvance) ?
			    got : got - used);
	ec = emsmdb_table_position(t, &num, &den);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->Origin = num >= den ? BOOKMARK_END :
		       num == 0 ? BOOKMARK_BEGINNING : BOOKMARK_CURRENT;
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
	return emsmdb_table_position(t, &call->resp->u.RopQueryPosition.Numerator,
				     &call->resp->u.RopQueryPosition.Denominator);
}

/* [MS-OXCTABL] 2.2.2.9 RopSeekRow */
uint32_t oxctabl_RopSeekRow(struct emsmdb_rop_call *call)
{
	const struct RopSeekRow_req *req = &call->req->u.RopSeekRow;
	struct RopSeekRow_resp *resp = &call->resp->u.RopSeekRow;
	struct emsmdb_table *t = emsmdb_table_of(call);
	int32_t want = (int32_t)req->RowCount, moved = 0;
	int64_t base, target;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (req->Origin > BOOKMARK_END) {
		return ecInvalidParam;
	}
	if (t->mt != NULL) {
		enum mapistore_error ret = mapistore_table_seek_row(t->mt,
			req->Origin, want, &moved);

		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
	} else {
		base = req->Origin == BOOKMARK_BEGINNING ? 0 :
		       req->Origin == BOOKMARK_CURRENT ? t->cursor : t->count;
		target = base + want;
		if (target < 0) {
			target = 0;
		}
		if (target > t->count) {
			target = t->count;
		}
		moved = (int32_t)(target - base);
		t->cursor = (uint32_t)target;
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

/*
 * [MS-OXCTABL] RopFindRow (2.2.2.14, 3.2.5.14) and RopSeekRowFractional
 * (2.2.2.11, 3.2.5.10) on any table view (flat backend table,
 * openchangedb hierarchy, categorized view).
 *
 * FindRow evaluates the restriction row by row from its origin with
 * mapistore's one-shot evaluator, reading the table's columns plus the
 * columns the restriction needs (a backend table gets that wider column
 * set for the search and its own back afterwards): O(n) rows read. A
 * SubObjectRestriction ([MS-OXCDATA] 2.12.10) on a contents table reads
 * PidTagMid too and opens each row's message for its recipients or
 * attachments; on other tables (no message behind a row) it answers
 * ecNotSupported rather than never matching.
 */
#include "oxctabl_ext.h"
#include "emsmdb_acl.h"
#include "oxorule.h"
#include "emsmdb_computed.h"

#include <string.h>

/* rows read per step of a search */
#define FIND_CHUNK 256
/* RopId, InputHandleIndex, ReturnValue, RowNoLongerVisible, HasRowData */
#define FIND_RESPONSE_HEAD 8

struct find_search {
	struct emsmdb_rop_call *call;
	struct emsmdb_table *t;
	uint32_t *tags;		/* the table's columns first, then the rest */
	uint32_t tag_count;
	int mid_idx;		/* PidTagMid in tags for SubObject; -1: none */
};

/* the table's columns followed by the restriction's other tags */
static uint32_t find_tags(struct find_search *fs,
			  const struct mapistore_restriction *res)
{
	uint32_t *rtags = NULL, rcount = 0, i, j, n;
	struct emsmdb_table *t = fs->t;
	bool sub = mapistore_restriction_has_subobject(res);

	if (mapistore_restriction_tags(fs->call->mem_ctx, res, &rtags, &rcount) !=
	    MAPISTORE_SUCCESS) {
		return ecInvalidParam;
	}
	if (sub) {
		/* each row's message is opened by its MID (contents tables) */
		if (t->mt == NULL || t->categ != NULL || t->folder == NULL ||
		    t->folder->mf == NULL) {
			return ecNotSupported;
		}
		rtags = talloc_realloc(fs->call->mem_ctx, rtags, uint32_t, rcount + 1);
		if (rtags == NULL) {
			return ecMAPIOOM;
		}
		rtags[rcount++] = PidTagMid;
	}
	if (rcount > MAPISTORE_MAX_COLUMNS) {
		return ecInvalidParam;
	}
	fs->tags = talloc_array(fs->call->mem_ctx, uint32_t,
				t->column_count + rcount + 1);
	if (fs->tags == NULL) {
		return ecMAPIOOM;
	}
	memcpy(fs->tags, t->columns, t->column_count * sizeof(uint32_t));
	n = t->column_count;
	fs->mid_idx = -1;
	for (i = 0; i < rcount; i++) {
		for (j = 0; j < n && fs->tags[j] != rtags[i]; j++) {
		}
		if (j == n) {
			fs->tags[n++] = rtags[i];
		}
	}
	if (n > MAPISTORE_MAX_COLUMNS) {
		return ecInvalidParam;
	}
	fs->tag_count = n;
	for (j = 0; sub && j < n; j++) {
		if (fs->tags[j] == PidTagMid) {
			fs->mid_idx = (int)j;
			break;
		}
	}
	return ecSuccess;
}

/* @res on one row; with a SubObjectRestriction, on the row's message */
static enum mapistore_error find_eval(struct find_search *fs, TALLOC_CTX *mem_ctx,
				      const struct mapistore_restriction *res,
				      const struct mapistore_property *props, bool *match_r)
{
	const struct mapistore_property *mid;
	struct mapistore_message *mm = NULL;
	enum mapistore_error ret;

	if (fs->mid_idx < 0) {
		return mapistore_restriction_eval(res, props, fs->tag_count, match_r);
	}
	mid = &props[fs->mid_idx];
	if (mid->proptag != PidTagMid ||
	    mapistore_message_open(mem_ctx, fs->t->folder->mf, (uint64_t)mid->value.i64, false,
				   &mm) != MAPISTORE_SUCCESS) {
		mm = NULL;	/* gone since: no subobject rows */
	}
	ret = mapistore_restriction_eval_message(res, props, fs->tag_count, mm, match_r);
	talloc_free(mm);
	return ret;
}

/* a permissions (oxcperm.c) or rules (oxorule.c) table's row: its
 * columns, nothing more */
static uint32_t find_fed_row(struct find_search *fs, TALLOC_CTX *mem_ctx,
			     uint32_t index, struct mapistore_property **props_r)
{
	struct mapistore_property *row = NULL, *props;
	uint32_t i, ec;

	ec = fs->t->kind == EMSMDB_TABLE_RULES ?
		emsmdb_rules_table_row(fs->call, fs->t, index, &row) :
		emsmdb_acl_table_row(fs->call, fs->t, index, &row);
	if (ec != ecSuccess) {
		return ec;
	}
	props = talloc_array(mem_ctx, struct mapistore_property, fs->tag_count + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < fs->tag_count; i++) {
		props[i] = i < fs->t->column_count ? row[i] :
			   mapistore_property_not_found(fs->tags[i]);
	}
	*props_r = props;
	return ecSuccess;
}

/* properties (fs->tags) of rows [first, first + n) of the view */
static uint32_t find_read(struct find_search *fs, TALLOC_CTX *mem_ctx,
			  uint32_t first, uint32_t n,
			  struct mapistore_property ***props_r, uint32_t *got_r)
{
	struct emsmdb_rop_call *call = fs->call;
	struct emsmdb_table *t = fs->t;
	struct mapistore_property **props;
	struct mapistore_row *mrows = NULL;
	uint32_t i, ec = ecSuccess;

	props = talloc_zero_array(mem_ctx, struct mapistore_property *, n + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	if (t->categ == NULL && t->mt != NULL) {
		ec = oxctabl_view_seek(t, first);
		if (ec == ecSuccess) {
			ec = emsmdb_ms_ec(mapistore_table_query_rows(mem_ctx, t->mt,
				n, &mrows, &n));
		}
		if (ec == ecSuccess) {
			/* computed columns, as RopQueryRows has them */
			ec = emsmdb_computed_rows(call->session, mem_ctx, call->logon,
						  t, fs->tags, fs->tag_count, mrows, n);
		}
		for (i = 0; ec == ecSuccess && i < n; i++) {
			/* the evaluator reads fs->tag_count values per row */
			if (mrows[i].count < fs->tag_count) {
				ec = ecError;
				break;
			}
			props[i] = mrows[i].props;
		}
	} else {
		for (i = 0; ec == ecSuccess && i < n; i++) {
			struct emsmdb_folder *f = NULL;

			if (t->categ != NULL) {
				ec = emsmdb_categ_row_props(mem_ctx, t, first + i,
					fs->tags, fs->tag_count, &props[i]);
				continue;
			}
			if (t->kind == EMSMDB_TABLE_PERMISSIONS || t->kind == EMSMDB_TABLE_RULES) {
				ec = find_fed_row(fs, mem_ctx, first + i, &props[i]);
				continue;
			}
			ec = emsmdb_folder_open(call->session, mem_ctx, call->logon,
						t->fids[first + i], &f);
			if (ec == ecSuccess) {
				ec = emsmdb_folder_get_props(call->session, mem_ctx,
					call->logon, f, fs->tags, fs->tag_count,
					&props[i]);
			}
		}
	}
	*props_r = props;
	*got_r = n;
	return ec;
}

/*
 * The first row matching @res from @start (inclusive) forward, or before
 * @start backward; *found_r = UINT32_MAX when none. @row_r gets its
 * properties (fs->tags).
 */
static uint32_t find_scan(struct find_search *fs,
			  const struct mapistore_restriction *res, uint32_t start,
			  uint32_t count, bool backward, uint32_t *found_r,
			  struct mapistore_property **row_r)
{
	uint32_t i = start, first, n, got, j, ec;

	*found_r = UINT32_MAX;
	while (backward ? i > 0 : i < count) {
		TALLOC_CTX *chunk = talloc_new(fs->call->mem_ctx);
		struct mapistore_property **props = NULL;

		if (chunk == NULL) {
			return ecMAPIOOM;
		}
		n = backward ? (i < FIND_CHUNK ? i : FIND_CHUNK) :
			       (count - i < FIND_CHUNK ? count - i : FIND_CHUNK);
		first = backward ? i - n : i;
		ec = find_read(fs, chunk, first, n, &props, &got);
		if (ec != ecSuccess || got == 0) {
			talloc_free(chunk);
			return ec;
		}
		for (j = 0; j < got; j++) {
			uint32_t k = backward ? got - 1 - j : j;
			bool match = false;

			if (find_eval(fs, chunk, res, props[k], &match) != MAPISTORE_SUCCESS) {
				talloc_free(chunk);
				return ecInvalidParam;
			}
			if (match) {
				/* the chunk stays (on the call's memory): the
				 * row's values may live anywhere in it */
				*found_r = first + k;
				*row_r = props[k];
				return ecSuccess;
			}
		}
		talloc_free(chunk);
		i = backward ? first : first + got;
	}
	return ecSuccess;
}

/* where the search starts ([MS-OXCTABL] 2.2.2.14.1 Origin, 3.2.5.14) */
static uint32_t find_origin(struct emsmdb_table *t,
			    const struct RopFindRow_req *req, uint32_t count,
			    uint32_t cursor, uint32_t *start_r, bool *gone_r)
{
	uint32_t bookmark, ec;
	int32_t moved = 0;

	*gone_r = false;
	switch (req->Origin) {
	case BOOKMARK_BEGINNING:
		*start_r = 0;
		return ecSuccess;
	case BOOKMARK_CURRENT:
		*start_r = cursor;
		return ecSuccess;
	case BOOKMARK_END:
		*start_r = count;
		return ecSuccess;
	case BOOKMARK_CUSTOM:
		break;
	default:
		return ecInvalidParam;
	}
	if (req->BookmarkSize != 4 || req->Bookmark == NULL) {
		return ecInvalidBookmark;
	}
	memcpy(&bookmark, req->Bookmark, 4);
	if (t->categ != NULL) {
		return emsmdb_categ_bookmark_find(t, bookmark, start_r, gone_r);
	}
	if (t->mt == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_ms_ec(mapistore_table_seek_bookmark(t->mt, bookmark, 0, &moved));
	if (ec == ecNotFound) {
		return ecInvalidBookmark;
	}
	if (ec != ecSuccess) {
		return ec;
	}
	return oxctabl_view_state(t, &count, start_r);
}

/* [MS-OXCTABL] 2.2.2.14 RopFindRow, 3.2.5.14 */
uint32_t oxctabl_RopFindRow(struct emsmdb_rop_call *call)
{
	const struct RopFindRow_req *req = &call->req->u.RopFindRow;
	struct RopFindRow_resp *resp = &call->resp->u.RopFindRow;
	struct emsmdb_table *t = talloc_get_type(call->in->private_data,
						 struct emsmdb_table);
	struct find_search fs = { .call = call, .t = t };
	struct mapistore_restriction *res;
	struct mapistore_property *found_props = NULL;
	uint32_t count = 0, cursor = 0, start = 0, found = UINT32_MAX, ec, ec2;
	bool gone = false, wide = false;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (t->columns == NULL) {
		/* 3.2.5.14: RopSetColumns comes first */
		return ecNullObject;
	}
	if ((req->FindRowFlags & ~FindRowFlags_Backward) != 0 ||
	    req->RestrictionData == NULL) {
		return ecInvalidParam;
	}
	res = talloc_zero(call->mem_ctx, struct mapistore_restriction);
	if (res == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_res_from_wire(call->mem_ctx, req->RestrictionData, 0, res);
	if (ec == ecSuccess) {
		ec = find_tags(&fs, res);
	}
	if (ec == ecSuccess) {
		ec = oxctabl_view_state(t, &count, &cursor);
	}
	if (ec == ecSuccess) {
		ec = find_origin(t, req, count, cursor, &start, &gone);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	if (start > count) {
		start = count;
	}
	if (t->categ == NULL && t->mt != NULL) {
		ec = emsmdb_ms_ec(mapistore_table_set_columns(t->mt, fs.tags,
							      fs.tag_count));
		wide = ec == ecSuccess;
	}
	if (ec == ecSuccess) {
		ec = find_scan(&fs, res, start, count,
			       (req->FindRowFlags & FindRowFlags_Backward) != 0,
			       &found, &found_props);
	}
	if (wide) {
		ec2 = emsmdb_ms_ec(mapistore_table_set_columns(t->mt, t->columns,
							       t->column_count));
		ec = ec != ecSuccess ? ec : ec2;
	}
	if (ec != ecSuccess) {
		oxctabl_view_seek(t, cursor);
		return ec;
	}
	if (found == UINT32_MAX) {
		/* the cursor is undefined then; ours stays where it was */
		oxctabl_view_seek(t, cursor);
		return ecNotFound;
	}
	ec = oxctabl_view_seek(t, found);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->RowNoLongerVisible = gone;
	resp->HasRowData = 0;
	ec = emsmdb_props_to_row(call->mem_ctx, t->columns, t->column_count,
				 found_props, &resp->RowData);
	if (ec != ecSuccess) {
		return ec;
	}
	/* the row goes back only when it fits the response */
	if (oxctabl_row_size(call->mem_ctx, &resp->RowData) <=
	    (call->space > FIND_RESPONSE_HEAD ? call->space - FIND_RESPONSE_HEAD : 0)) {
		resp->HasRowData = 1;
		call->columns = t->columns;
		call->column_count = t->column_count;
	}
	return ecSuccess;
}

/*
 * [MS-OXCTABL] 2.2.2.11 RopSeekRowFractional, 3.2.5.10: Numerator 0 is
 * the beginning (whatever the Denominator), Numerator >= Denominator the
 * end (so a Denominator of 0 with any other Numerator), else the row
 * nearest Numerator/Denominator of the rows.
 */
uint32_t oxctabl_RopSeekRowFractional(struct emsmdb_rop_call *call)
{
	const struct RopSeekRowFractional_req *req = &call->req->u.RopSeekRowFractional;
	struct emsmdb_table *t = talloc_get_type(call->in->private_data,
						 struct emsmdb_table);
	uint32_t count = 0, cursor = 0, pos, ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = oxctabl_view_state(t, &count, &cursor);
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->Numerator == 0) {
		pos = 0;
	} else if (req->Numerator >= req->Denominator) {
		pos = count;
	} else {
		/* rounded to the nearest row; 64-bit: no overflow */
		pos = (uint32_t)(((uint64_t)req->Numerator * count +
				  req->Denominator / 2) / req->Denominator);
	}
	return oxctabl_view_seek(t, pos);
}

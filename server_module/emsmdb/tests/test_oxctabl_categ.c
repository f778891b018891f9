/*
 * [MS-OXCTABL] categorized tables: RopSortTable with CategorizedCount and
 * ExpandedCount (3.2.5.2), RopExpandRow (2.2.2.17), RopCollapseRow
 * (2.2.2.18), RopGetCollapseState / RopSetCollapseState (2.2.2.19,
 * 2.2.2.20) and the other table ROPs on the categorized view, through the
 * dispatcher. The Inbox holds nine messages: IPM.A s0 s1, IPM.B s2 s3 s4,
 * IPM.C s5 s6 s7 s8; the collapse-state parser is also fed hostile blobs.
 */
#include "test_oxctabl_common.h"

#include <stdio.h>
#include <string.h>

/* the backend of the special folders in this run of the tests */
static const char *backend = "memory";

enum { C_CLASS, C_SUBJECT, C_INST, C_TYPE, C_DEPTH, C_COUNT, C_UNREAD, C_FLAGS };
static const uint32_t cols[] = {
	PidTagMessageClass, PidTagSubject, PidTagInstID, PidTagRowType,
	PidTagDepth, PidTagContentCount, PidTagContentUnreadCount,
	PidTagMessageFlags,
};
static const struct SortOrder orders[] = {
	{ .PropertyType = PtypString, .PropertyId = PidTagMessageClass >> 16 },
	{ .PropertyType = PtypString, .PropertyId = PidTagSubject >> 16 },
};

static struct tt_fixture *nine(void **state, const char *tag)
{
	static const char *const classes[] = { "IPM.C", "IPM.B", "IPM.A" };
	struct tt_fixture *f = tt_new(*state, tag, backend);
	char subject[8];
	int i;

	/* s8 first: the sort, not creation, orders the rows */
	for (i = 8; i >= 0; i--) {
		snprintf(subject, sizeof(subject), "s%d", i);
		tt_message(f, subject, classes[i < 2 ? 2 : i < 5 ? 1 : 0]);
	}
	tt_table(f, cols, sizeof(cols) / sizeof(cols[0]));
	return f;
}

static const char *str(const struct PropertyRow *row, int col)
{
	return row->Values[col].Flag == 0 ? row->Values[col].Value.u.str : NULL;
}

static uint32_t u32(const struct PropertyRow *row, int col)
{
	assert_int_equal(row->Values[col].Flag, 0);
	return row->Values[col].Value.u.l;
}

/*
 * The visible rows, "hX" a header of class X (with its row type), "s3"
 * a leaf: e.g. "hA+ s0 s1 hB- hC-".
 */
static void assert_view(struct tt_fixture *f, const char *want)
{
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	char got[256] = "", item[16];
	uint32_t rv, i;

	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, mem, true, 0, 100, &rv);
	assert_int_equal(rv, ecSuccess);
	for (i = 0; i < q->RowCount; i++) {
		const struct PropertyRow *row = &q->RowData[i];

		if (u32(row, C_TYPE) == TBL_LEAF_ROW) {
			assert_int_equal(u32(row, C_DEPTH), 1);
			assert_int_equal(row->Values[C_COUNT].Flag, 0x0A);
			snprintf(item, sizeof(item), "%s", str(row, C_SUBJECT));
		} else {
			assert_int_equal(u32(row, C_DEPTH), 0);
			/* the header carries its category value, no leaf's */
			assert_null(str(row, C_SUBJECT));
			assert_true(row->Values[C_INST].Value.u.d >> 63);
			snprintf(item, sizeof(item), "h%c%c", str(row, C_CLASS)[4],
				 u32(row, C_TYPE) == TBL_EXPANDED_CATEGORY ? '+' : '-');
		}
		if (i > 0) {
			strcat(got, " ");
		}
		strcat(got, item);
	}
	assert_string_equal(got, want);
	talloc_free(mem);
}

/* PidTagInstID of the header of class @cls ("IPM.B") */
static uint64_t header_id(struct tt_fixture *f, char cls)
{
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	uint64_t id = 0;
	uint32_t rv, i;

	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, mem, true, 0, 100, &rv);
	for (i = 0; i < q->RowCount; i++) {
		if (u32(&q->RowData[i], C_TYPE) != TBL_LEAF_ROW &&
		    str(&q->RowData[i], C_CLASS)[4] == cls) {
			id = q->RowData[i].Values[C_INST].Value.u.d;
		}
	}
	talloc_free(mem);
	assert_int_not_equal(id, 0);
	return id;
}

static uint32_t expand(struct tt_fixture *f, uint64_t id, uint16_t max,
		       uint32_t *expanded_r, uint16_t *rows_r, char *first_r)
{
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopExpandRow };
	struct rop_buffer *out;
	uint32_t rv;

	r.u.RopExpandRow.InputHandleIndex = 2;
	r.u.RopExpandRow.MaxRowCount = max;
	r.u.RopExpandRow.CategoryId = id;
	out = tt_run(f, mem, &r, 1);
	rv = tt_rv(&out->responses[0]);
	if (rv == ecSuccess) {
		*expanded_r = out->responses[0].u.RopExpandRow.ExpandedRowCount;
		*rows_r = out->responses[0].u.RopExpandRow.RowCount;
		if (*rows_r > 0) {
			strcpy(first_r, str(&out->responses[0].u.RopExpandRow.RowData[0],
					    C_SUBJECT));
		}
	}
	talloc_free(mem);
	return rv;
}

static uint32_t collapse(struct tt_fixture *f, uint64_t id, uint32_t *collapsed_r)
{
	struct rop_request r = { .RopId = RopCollapseRow };
	struct rop_buffer *out;
	uint32_t rv;

	r.u.RopCollapseRow.InputHandleIndex = 2;
	r.u.RopCollapseRow.CategoryId = id;
	out = tt_run(f, f, &r, 1);
	rv = tt_rv(&out->responses[0]);
	*collapsed_r = out->responses[0].u.RopCollapseRow.CollapsedRowCount;
	talloc_free(out);
	return rv;
}

static void test_categorized_rows(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-categ");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	uint32_t rv, num, den, i, unread;

	assert_int_equal(tt_sort(f, orders, 2, 1, 1), ecSuccess);
	assert_view(f, "hA+ s0 s1 hB+ s2 s3 s4 hC+ s5 s6 s7 s8");
	tt_position(f, &num, &den);
	assert_int_equal(num, 12);
	assert_int_equal(den, 12);
	/* counts on header rows; unread = leaves without mfRead */
	tt_seek(f, BOOKMARK_BEGINNING, 7);
	q = tt_query(f, mem, true, 0, 5, &rv);
	assert_int_equal(q->RowCount, 5);
	assert_int_equal(u32(&q->RowData[0], C_COUNT), 4);
	for (i = 1, unread = 0; i < 5; i++) {
		/* (a message without PidTagMessageFlags counts as read) */
		unread += q->RowData[i].Values[C_FLAGS].Flag == 0 &&
			  !(q->RowData[i].Values[C_FLAGS].Value.u.l & 0x01);
		/* a leaf's PidTagInstID is its MID */
		assert_false(q->RowData[i].Values[C_INST].Value.u.d >> 63);
	}
	assert_int_equal(u32(&q->RowData[0], C_UNREAD), unread);
	/* backward reads on the categorized view */
	q = tt_query(f, mem, false, 0, 3, &rv);
	assert_int_equal(q->RowCount, 3);
	assert_string_equal(str(&q->RowData[0], C_SUBJECT), "s6");
	assert_int_equal(q->Origin, BOOKMARK_CURRENT);
	/* the same sort with nothing expanded: headers only */
	assert_int_equal(tt_sort(f, orders, 2, 1, 0), ecSuccess);
	assert_view(f, "hA- hB- hC-");
	talloc_free(mem);
	tt_free(f);
}

static void test_expand_collapse(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-expand");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	uint32_t n = 0, rv, num, den;
	uint16_t rows = 0;
	char first[16] = "";
	uint64_t hb, ha, hc;

	assert_int_equal(tt_sort(f, orders, 2, 1, 0), ecSuccess);
	hb = header_id(f, 'B');
	assert_int_equal(expand(f, hb, 2, &n, &rows, first), ecSuccess);
	assert_int_equal(n, 3);
	assert_int_equal(rows, 2);
	assert_string_equal(first, "s2");
	assert_view(f, "hA- hB+ s2 s3 s4 hC-");
	assert_int_equal(expand(f, hb, 2, &n, &rows, first), ecNotCollapsed);
	assert_int_equal(expand(f, 0x1234, 2, &n, &rows, first), ecNotFound);
	/* MaxRowCount 0: rows counted, none sent */
	hc = header_id(f, 'C');
	assert_int_equal(expand(f, hc, 0, &n, &rows, first), ecSuccess);
	assert_int_equal(n, 4);
	assert_int_equal(rows, 0);
	/* the cursor stays on its row when rows above it come and go */
	ha = header_id(f, 'A');
	tt_seek(f, BOOKMARK_BEGINNING, 5);	/* hC */
	assert_int_equal(expand(f, ha, 10, &n, &rows, first), ecSuccess);
	tt_position(f, &num, &den);
	assert_int_equal(num, 7);
	assert_int_equal(den, 12);
	assert_int_equal(collapse(f, hb, &n), ecSuccess);
	assert_int_equal(n, 3);
	tt_position(f, &num, &den);
	assert_int_equal(num, 4);
	q = tt_query(f, mem, true, 0x01, 1, &rv);
	assert_int_equal(u32(&q->RowData[0], C_TYPE), TBL_EXPANDED_CATEGORY);
	assert_string_equal(str(&q->RowData[0], C_CLASS), "IPM.C");
	assert_int_equal(collapse(f, hb, &n), ecNotExpanded);
	assert_view(f, "hA+ s0 s1 hB- hC+ s5 s6 s7 s8");
	/* a cursor inside a collapsed category moves to the next row */
	tt_seek(f, BOOKMARK_BEGINNING, 6);	/* s6 */
	assert_int_equal(collapse(f, hc, &n), ecSuccess);
	tt_position(f, &num, &den);
	assert_int_equal(num, 5);
	assert_int_equal(den, 5);
	talloc_free(mem);
	tt_free(f);
}

/* RopSetColumns rebuilds the view: states, cursor and rows survive */
static void test_set_columns_rebuild(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-rebuild");
	struct rop_request r[2];
	struct rop_buffer *out;
	uint32_t n = 0, num, den;
	uint16_t rows = 0;
	char first[16] = "";

	assert_int_equal(tt_sort(f, orders, 2, 1, 0), ecSuccess);
	assert_view(f, "hA- hB- hC-");
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSetColumns;
	r[0].u.RopSetColumns.InputHandleIndex = 2;
	r[0].u.RopSetColumns.PropertyTagCount = sizeof(cols) / sizeof(cols[0]);
	r[0].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[1].RopId = RopExpandRow;
	r[1].u.RopExpandRow.InputHandleIndex = 2;
	r[1].u.RopExpandRow.MaxRowCount = 2;
	r[1].u.RopExpandRow.CategoryId = header_id(f, 'B');
	out = tt_run(f, f, r, 2);
	assert_int_equal(tt_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopExpandRow.ExpandedRowCount, 3);
	talloc_free(out);
	tt_seek(f, BOOKMARK_BEGINNING, 2);
	out = tt_run(f, f, r, 1);
	talloc_free(out);
	tt_position(f, &num, &den);
	assert_int_equal(num, 2);
	assert_int_equal(den, 6);
	assert_view(f, "hA- hB+ s2 s3 s4 hC-");
	assert_int_equal(expand(f, header_id(f, 'A'), 1, &n, &rows, first), ecSuccess);
	assert_string_equal(first, "s0");
	tt_free(f);
}

static void test_two_levels(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-two");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	uint32_t rv;

	/* class, then subject: second-level headers start collapsed */
	assert_int_equal(tt_sort(f, orders, 2, 2, 1), ecSuccess);
	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, mem, true, 0, 100, &rv);
	assert_int_equal(q->RowCount, 12);
	assert_int_equal(u32(&q->RowData[0], C_DEPTH), 0);
	assert_int_equal(u32(&q->RowData[1], C_DEPTH), 1);
	assert_int_equal(u32(&q->RowData[1], C_TYPE), TBL_COLLAPSED_CATEGORY);
	assert_string_equal(str(&q->RowData[1], C_SUBJECT), "s0");
	assert_string_equal(str(&q->RowData[1], C_CLASS), "IPM.A");
	assert_int_equal(u32(&q->RowData[1], C_COUNT), 1);
	talloc_free(mem);
	tt_free(f);
}

static void test_sort_errors(void **state)
{
	static const struct {
		uint16_t count, categorized, expanded;
		uint8_t index, order;	/* sort order @index gets Order @order */
		uint32_t rv;
	} cases[] = {
		{ 1, 2, 0, 1, 0, ecInvalidParam },
		{ 2, 1, 2, 1, 0, ecInvalidParam },
		{ 2, 2, 2, 1, 0, ecSuccess },
		{ 2, 1, 1, 1, 0x02, ecNotSupported },	/* Combine */
		{ 2, 1, 1, 1, 0x04, ecSuccess },	/* MaximumCategory */
		{ 2, 1, 1, 1, 0x08, ecSuccess },	/* MinimumCategory */
		{ 2, 1, 1, 1, 0x05, ecInvalidParam },	/* Maximum + Descend */
		{ 2, 1, 1, 1, 0x0C, ecInvalidParam },
		{ 2, 1, 1, 0, 0x04, ecInvalidParam },	/* not after a category */
		{ 2, 0, 0, 1, 0x04, ecInvalidParam },	/* no categories */
	};
	struct tt_fixture *f = nine(state, "tabl-sorterr");
	struct SortOrder o[2];
	uint32_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(o, orders, sizeof(o));
		o[cases[i].index].Order = cases[i].order;
		assert_int_equal(tt_sort(f, o, cases[i].count, cases[i].categorized,
					 cases[i].expanded), cases[i].rv);
	}
	/* no categories: Expand/Collapse do not apply */
	assert_int_equal(tt_sort(f, orders, 2, 0, 0), ecSuccess);
	assert_int_equal(collapse(f, 1, &n), ecNotSupported);
	tt_free(f);
}

/* categories ordered by an aggregate of their rows ([MS-OXCDATA] 2.13.1) */
static void test_aggregate(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-agg");
	struct RopQueryRows_resp *q;
	struct SortOrder o[3];
	uint32_t rv;

	/* by the largest subject, descending (the later order on Subject) */
	o[0] = orders[0];
	o[1] = orders[1];
	o[1].Order = 0x04;
	o[2] = orders[1];
	o[2].Order = 0x01;
	assert_int_equal(tt_sort(f, o, 3, 1, 1), ecSuccess);
	assert_view(f, "hC+ s8 s7 s6 s5 hB+ s4 s3 s2 hA+ s1 s0");
	/* by the smallest MID, ascending: the messages were created from s8
	 * down to s0, so C's rows are the oldest */
	o[1].PropertyType = PtypInteger64;
	o[1].PropertyId = PidTagMid >> 16;
	o[1].Order = 0x08;
	o[2].Order = 0x00;
	assert_int_equal(tt_sort(f, o, 3, 1, 1), ecSuccess);
	assert_view(f, "hC+ s5 s6 s7 s8 hB+ s2 s3 s4 hA+ s0 s1");
	/* two levels: the subject categories of each class by their
	 * largest MID, ascending: s1 (older) before s0 */
	o[1] = orders[1];
	o[2].PropertyType = PtypInteger64;
	o[2].PropertyId = PidTagMid >> 16;
	o[2].Order = 0x04;
	assert_int_equal(tt_sort(f, o, 3, 2, 2), ecSuccess);
	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, f, true, 0, 100, &rv);
	assert_int_equal(q->RowCount, 3 + 9 + 9);
	assert_int_equal(u32(&q->RowData[1], C_DEPTH), 1);
	assert_string_equal(str(&q->RowData[1], C_SUBJECT), "s1");
	assert_string_equal(str(&q->RowData[2], C_SUBJECT), "s1");
	assert_int_equal(u32(&q->RowData[2], C_TYPE), TBL_LEAF_ROW);
	assert_string_equal(str(&q->RowData[3], C_SUBJECT), "s0");
	assert_string_equal(str(&q->RowData[5], C_CLASS), "IPM.B");
	tt_free(f);
}

static struct rop_response *one(struct tt_fixture *f, TALLOC_CTX *mem,
				struct rop_request *r)
{
	return &tt_run(f, mem, r, 1)->responses[0];
}

static void test_collapse_state(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-state");
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopGetCollapseState };
	struct rop_response *resp;
	struct RopQueryRows_resp *q;
	uint8_t *blob, bm[4];
	uint16_t size;
	uint32_t n, rv, num, den;
	uint64_t hb, hc;

	assert_int_equal(tt_sort(f, orders, 2, 1, 1), ecSuccess);
	hb = header_id(f, 'B');
	hc = header_id(f, 'C');
	assert_int_equal(collapse(f, hb, &n), ecSuccess);
	r.u.RopGetCollapseState.InputHandleIndex = 2;
	r.u.RopGetCollapseState.RowId = hc;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	size = resp->u.RopGetCollapseState.CollapseStateSize;
	assert_int_equal(size, 28 + 9);
	blob = talloc_memdup(mem, resp->u.RopGetCollapseState.CollapseState, size);
	/* a new sort starts from ExpandedCount again */
	assert_int_equal(tt_sort(f, orders, 2, 1, 1), ecSuccess);
	assert_view(f, "hA+ s0 s1 hB+ s2 s3 s4 hC+ s5 s6 s7 s8");
	memset(&r, 0, sizeof(r));
	r.RopId = RopSetCollapseState;
	r.u.RopSetCollapseState.InputHandleIndex = 2;
	r.u.RopSetCollapseState.CollapseStateSize = size;
	r.u.RopSetCollapseState.CollapseState = blob;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopSetCollapseState.BookmarkSize, 4);
	memcpy(bm, resp->u.RopSetCollapseState.Bookmark, 4);
	assert_view(f, "hA+ s0 s1 hB- hC+ s5 s6 s7 s8");
	/* the bookmark names the row the state was taken at */
	memset(&r, 0, sizeof(r));
	r.RopId = RopSeekRowBookmark;
	r.u.RopSeekRowBookmark.InputHandleIndex = 2;
	r.u.RopSeekRowBookmark.BookmarkSize = 4;
	r.u.RopSeekRowBookmark.Bookmark = bm;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopSeekRowBookmark.RowNoLongerVisible, 0);
	tt_position(f, &num, &den);
	assert_int_equal(num, 4);
	assert_int_equal(den, 9);
	q = tt_query(f, mem, true, 0, 1, &rv);
	assert_string_equal(str(&q->RowData[0], C_CLASS), "IPM.C");
	/* a state taken at a row this table lacks: its bookmark names nothing */
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetCollapseState;
	r.u.RopGetCollapseState.InputHandleIndex = 2;
	r.u.RopGetCollapseState.RowId = 0x42;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	r.RopId = RopSetCollapseState;
	r.u.RopSetCollapseState.InputHandleIndex = 2;
	r.u.RopSetCollapseState.CollapseStateSize = resp->u.RopGetCollapseState.CollapseStateSize;
	r.u.RopSetCollapseState.CollapseState = resp->u.RopGetCollapseState.CollapseState;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	memcpy(bm, resp->u.RopSetCollapseState.Bookmark, 4);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSeekRowBookmark;
	r.u.RopSeekRowBookmark.InputHandleIndex = 2;
	r.u.RopSeekRowBookmark.BookmarkSize = 4;
	r.u.RopSeekRowBookmark.Bookmark = bm;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopSeekRowBookmark.RowNoLongerVisible, 1);
	/* the same state on another sort is refused */
	assert_int_equal(tt_sort(f, orders, 2, 1, 0), ecSuccess);
	r.RopId = RopSetCollapseState;
	r.u.RopSetCollapseState.InputHandleIndex = 2;
	r.u.RopSetCollapseState.CollapseStateSize = size;
	r.u.RopSetCollapseState.CollapseState = blob;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecInvalidParam);
	talloc_free(mem);
	tt_free(f);
}

/* a bookmark on a leaf whose category then collapses */
static void test_bookmark_hidden(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-bmhide");
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopCreateBookmark };
	struct rop_response *resp;
	struct Restriction res;
	uint8_t bm[4];
	uint32_t n, num, den;

	assert_int_equal(tt_sort(f, orders, 2, 1, 1), ecSuccess);
	tt_seek(f, BOOKMARK_BEGINNING, 5);	/* s3 */
	r.u.RopCreateBookmark.InputHandleIndex = 2;
	resp = one(f, mem, &r);
	memcpy(bm, resp->u.RopCreateBookmark.Bookmark, 4);
	assert_int_equal(collapse(f, header_id(f, 'B'), &n), ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSeekRowBookmark;
	r.u.RopSeekRowBookmark.InputHandleIndex = 2;
	r.u.RopSeekRowBookmark.BookmarkSize = 4;
	r.u.RopSeekRowBookmark.Bookmark = bm;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopSeekRowBookmark.RowNoLongerVisible, 1);
	tt_position(f, &num, &den);
	assert_int_equal(num, 4);	/* hC, the next visible row */
	/* FindRow from that bookmark: RowNoLongerVisible, search from hC */
	tt_res_string(&res, RELOP_GE, PidTagSubject, "s0");
	memset(&r, 0, sizeof(r));
	r.RopId = RopFindRow;
	r.u.RopFindRow.InputHandleIndex = 2;
	r.u.RopFindRow.RestrictionData = &res;
	r.u.RopFindRow.Origin = BOOKMARK_CUSTOM;
	r.u.RopFindRow.BookmarkSize = 4;
	r.u.RopFindRow.Bookmark = bm;
	resp = one(f, mem, &r);
	assert_int_equal(tt_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopFindRow.RowNoLongerVisible, 1);
	assert_string_equal(str(&resp->u.RopFindRow.RowData, C_SUBJECT), "s5");
	/* a hidden leaf is not found; backward from the end finds s1 */
	tt_res_string(&res, RELOP_EQ, PidTagSubject, "s3");
	r.u.RopFindRow.Origin = BOOKMARK_BEGINNING;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecNotFound);
	tt_res_string(&res, RELOP_LE, PidTagSubject, "s4");
	r.u.RopFindRow.Origin = BOOKMARK_END;
	r.u.RopFindRow.FindRowFlags = 1;
	resp = one(f, mem, &r);
	assert_string_equal(str(&resp->u.RopFindRow.RowData, C_SUBJECT), "s1");
	/* freed bookmarks are gone */
	memset(&r, 0, sizeof(r));
	r.RopId = RopFreeBookmark;
	r.u.RopFreeBookmark.InputHandleIndex = 2;
	r.u.RopFreeBookmark.BookmarkSize = 4;
	r.u.RopFreeBookmark.Bookmark = bm;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecSuccess);
	assert_int_equal(tt_rv(one(f, mem, &r)), ecInvalidBookmark);
	talloc_free(mem);
	tt_free(f);
}

/* the parser on hostile blobs; push -> parse round trip */
static void test_blob_parser(void **state)
{
	uint64_t ids[2] = { 0x8000000000000001ULL, 0x8000000000000002ULL };
	uint8_t states[2] = { 0, 1 };
	struct emsmdb_collapse_state st = {
		.categorized = 2, .expanded = 1, .sort_hash = 0xABCD1234,
		.row_id = 0x1122334455667788ULL, .row_instance = 3,
		.count = 2, .ids = ids, .is_expanded = states,
	}, *back = NULL;
	static const struct { size_t offset; uint8_t value; int size_delta; } bad[] = {
		{ 0, 'X', 0 },		/* magic */
		{ 4, 2, 0 },		/* version */
		{ 5, 1, 0 },		/* reserved */
		{ 6, 0, 0 },		/* CategorizedCount 0 */
		{ 6, 17, 0 },		/* more levels than we take */
		{ 8, 3, 0 },		/* ExpandedCount > CategorizedCount */
		{ 26, 3, 0 },		/* count says 3, two entries */
		{ 27, 0xFF, 0 },	/* count far beyond the bytes */
		{ 36, 2, 0 },		/* state neither 0 nor 1 */
		{ 0, 'O', -1 },		/* truncated */
		{ 0, 'O', 1 },		/* trailing byte */
	};
	uint8_t *data = NULL, copy[64];
	uint16_t size = 0;
	uint32_t i;

	assert_int_equal(emsmdb_collapse_state_push(*state, &st, &data, &size), ecSuccess);
	assert_int_equal(size, 28 + 18);
	assert_memory_equal(data, "OCCS\x01\x00\x02\x00\x01\x00", 10);
	assert_int_equal(emsmdb_collapse_state_parse(*state, data, size, &back), ecSuccess);
	assert_int_equal(back->count, 2);
	assert_int_equal(back->sort_hash, 0xABCD1234);
	assert_true(back->row_id == st.row_id);
	assert_int_equal(back->row_instance, 3);
	assert_true(back->ids[1] == ids[1]);
	assert_int_equal(back->is_expanded[1], 1);
	talloc_free(back);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(copy, 0, sizeof(copy));
		memcpy(copy, data, size);
		copy[bad[i].offset] = bad[i].value;
		back = NULL;
		assert_int_equal(emsmdb_collapse_state_parse(*state, copy,
			(size_t)(size + bad[i].size_delta), &back), ecInvalidParam);
		assert_null(back);
	}
	assert_int_equal(emsmdb_collapse_state_parse(*state, NULL, 0, &back), ecInvalidParam);
	assert_int_equal(emsmdb_collapse_state_parse(*state, data, 3, &back), ecInvalidParam);
	st.count = EMSMDB_COLLAPSE_MAX_ENTRIES + 1;
	assert_int_equal(emsmdb_collapse_state_push(*state, &st, &data, &size),
			 ecInvalidParam);
	talloc_free(data);
}

/* hostile blobs through RopSetCollapseState; a duplicate ID */
static void test_set_collapse_state_hostile(void **state)
{
	struct tt_fixture *f = nine(state, "tabl-hostile");
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopSetCollapseState };
	uint64_t ids[2] = { 5, 5 };
	uint8_t states[2] = { 0, 0 };
	struct emsmdb_collapse_state st = {
		.categorized = 1, .expanded = 1, .count = 2,
		.ids = ids, .is_expanded = states,
	};
	uint8_t junk[3] = { 1, 2, 3 }, *data;
	uint16_t size;

	assert_int_equal(tt_sort(f, orders, 2, 1, 1), ecSuccess);
	r.u.RopSetCollapseState.InputHandleIndex = 2;
	r.u.RopSetCollapseState.CollapseStateSize = 3;
	r.u.RopSetCollapseState.CollapseState = junk;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecInvalidParam);
	r.u.RopSetCollapseState.CollapseStateSize = 0;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecInvalidParam);
	/* well formed but for this sort's hash; then with it, a duplicate */
	assert_int_equal(emsmdb_collapse_state_push(mem, &st, &data, &size), ecSuccess);
	r.u.RopSetCollapseState.CollapseStateSize = size;
	r.u.RopSetCollapseState.CollapseState = data;
	assert_int_equal(tt_rv(one(f, mem, &r)), ecInvalidParam);
	assert_view(f, "hA+ s0 s1 hB+ s2 s3 s4 hC+ s5 s6 s7 s8");
	talloc_free(mem);
	tt_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_categorized_rows, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_expand_collapse, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_set_columns_rebuild, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_two_levels, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_sort_errors, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_aggregate, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_collapse_state, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_bookmark_hidden, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_blob_parser, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_set_collapse_state_hostile, oc_test_setup, oc_test_teardown),
	};

	int failed;

	/* every test on the memory backend, then on the local backend */
	backend = "memory";
	failed = cmocka_run_group_tests_name("memory", tests, NULL, NULL);
	backend = "local";
	failed += cmocka_run_group_tests_name("local", tests, NULL, NULL);
	return failed;
}

/*
 * [MS-OXCTABL] RopFindRow (2.2.2.14, 3.2.5.14), RopSeekRowFractional
 * (2.2.2.11, 3.2.5.10) and backward / NoAdvance RopQueryRows (3.2.5.5)
 * through the dispatcher on a memory-backend Inbox of ten messages
 * "m00".."m09" (subject ascending), every other one of class IPM.Note.
 */
#include "test_oxctabl_common.h"

#include <stdio.h>
#include <string.h>

/* the backend of the special folders in this run of the tests */
static const char *backend = "memory";

static const uint32_t cols[] = { PidTagSubject, PidTagMid };
static const struct SortOrder by_subject = {
	.PropertyType = PtypString, .PropertyId = PidTagSubject >> 16, .Order = 0 };

static struct tt_fixture *ten(void **state, const char *tag)
{
	struct tt_fixture *f = tt_new(*state, tag, backend);
	char subject[8];
	int i;

	/* created out of order: the sort decides */
	for (i = 9; i >= 0; i--) {
		snprintf(subject, sizeof(subject), "m%02d", (i * 7) % 10);
		tt_message(f, subject, ((i * 7) % 10) % 2 ? "IPM.Task" : "IPM.Note");
	}
	tt_table(f, cols, 2);
	assert_int_equal(tt_sort(f, &by_subject, 1, 0, 0), ecSuccess);
	return f;
}

static const char *subject_of(const struct PropertyRow *row)
{
	return row->Values[0].Value.u.str;
}

static void assert_rows(const struct RopQueryRows_resp *q, int first, int n)
{
	char want[8];
	int i;

	assert_int_equal(q->RowCount, n);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "m%02d", first + i);
		assert_string_equal(subject_of(&q->RowData[i]), want);
	}
}

static void test_backward_reads(void **state)
{
	struct tt_fixture *f = ten(state, "tabl-back");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *q;
	uint32_t rv, num, den;

	/* from the end: the three rows before the cursor, in table order */
	tt_seek(f, BOOKMARK_END, 0);
	q = tt_query(f, mem, false, 0, 3, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_rows(q, 7, 3);
	assert_int_equal(q->Origin, BOOKMARK_CURRENT);
	tt_position(f, &num, &den);
	assert_int_equal(num, 7);
	assert_int_equal(den, 10);
	/* NoAdvance: same rows, the cursor stays */
	q = tt_query(f, mem, false, 0x01, 2, &rv);
	assert_rows(q, 5, 2);
	tt_position(f, &num, &den);
	assert_int_equal(num, 7);
	/* more than there are: the seven left, and the beginning */
	q = tt_query(f, mem, false, 0, 50, &rv);
	assert_rows(q, 0, 7);
	assert_int_equal(q->Origin, BOOKMARK_BEGINNING);
	tt_position(f, &num, &den);
	assert_int_equal(num, 0);
	q = tt_query(f, mem, false, 0, 5, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_int_equal(q->RowCount, 0);
	assert_int_equal(q->Origin, BOOKMARK_BEGINNING);
	/* forward with NoAdvance, then forward to the end */
	q = tt_query(f, mem, true, 0x01, 4, &rv);
	assert_rows(q, 0, 4);
	assert_int_equal(q->Origin, BOOKMARK_CURRENT);
	tt_position(f, &num, &den);
	assert_int_equal(num, 0);
	q = tt_query(f, mem, true, 0, 100, &rv);
	assert_rows(q, 0, 10);
	assert_int_equal(q->Origin, BOOKMARK_END);
	talloc_free(mem);
	tt_free(f);
}

static void test_seek_fractional(void **state)
{
	static const struct { uint32_t num, den, pos; } cases[] = {
		{ 1, 2, 5 }, { 0, 0, 0 }, { 0, 7, 0 }, { 3, 0, 10 }, { 7, 7, 10 },
		{ 9, 4, 10 }, { 1, 3, 3 }, { 2, 3, 7 }, { 1, 0xFFFFFFFF, 0 },
		{ 0xFFFFFFFE, 0xFFFFFFFF, 10 },
	};
	struct tt_fixture *f = ten(state, "tabl-frac");
	uint32_t i, num, den;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rop_request r = { .RopId = RopSeekRowFractional };
		struct rop_buffer *out;

		tt_seek(f, BOOKMARK_BEGINNING, 4);
		r.u.RopSeekRowFractional.InputHandleIndex = 2;
		r.u.RopSeekRowFractional.Numerator = cases[i].num;
		r.u.RopSeekRowFractional.Denominator = cases[i].den;
		out = tt_run(f, f, &r, 1);
		assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
		talloc_free(out);
		tt_position(f, &num, &den);
		assert_int_equal(num, cases[i].pos);
		assert_int_equal(den, 10);
	}
	tt_free(f);
}

/* one RopFindRow on the table; the response on @mem */
static struct RopFindRow_resp *find(struct tt_fixture *f, TALLOC_CTX *mem,
				    uint8_t flags, struct Restriction *res,
				    uint8_t origin, const uint8_t *bm,
				    uint16_t bm_size, uint32_t *rv_r)
{
	struct rop_request r = { .RopId = RopFindRow };
	struct rop_buffer *out;

	r.u.RopFindRow.InputHandleIndex = 2;
	r.u.RopFindRow.FindRowFlags = flags;
	r.u.RopFindRow.RestrictionData = res;
	r.u.RopFindRow.Origin = origin;
	r.u.RopFindRow.BookmarkSize = bm_size;
	r.u.RopFindRow.Bookmark = (uint8_t *)(uintptr_t)bm;
	out = tt_run(f, mem, &r, 1);
	*rv_r = tt_rv(&out->responses[0]);
	return &out->responses[0].u.RopFindRow;
}

static void test_find_row(void **state)
{
	static const struct {
		uint8_t flags, relop, origin;
		int32_t seek;		/* cursor before, from the beginning */
		const char *value;
		uint32_t rv;
		const char *found;	/* and the cursor lands on it */
	} cases[] = {
		{ 0, RELOP_EQ, BOOKMARK_BEGINNING, 0, "m04", ecSuccess, "m04" },
		/* from the cursor, the cursor's row included */
		{ 0, RELOP_GE, BOOKMARK_CURRENT, 4, "m02", ecSuccess, "m04" },
		{ 0, RELOP_GE, BOOKMARK_CURRENT, 6, "m02", ecSuccess, "m06" },
		/* backward: from the row before the origin */
		{ 1, RELOP_LE, BOOKMARK_END, 0, "m03", ecSuccess, "m03" },
		{ 1, RELOP_GE, BOOKMARK_CURRENT, 6, "m02", ecSuccess, "m05" },
		{ 1, RELOP_LE, BOOKMARK_BEGINNING, 0, "m09", ecNotFound, NULL },
		{ 0, RELOP_EQ, BOOKMARK_END, 0, "m01", ecNotFound, NULL },
		{ 0, RELOP_EQ, BOOKMARK_BEGINNING, 0, "zz", ecNotFound, NULL },
		{ 0, RELOP_EQ, BOOKMARK_CURRENT, 5, "m04", ecNotFound, NULL },
		{ 2, RELOP_EQ, BOOKMARK_BEGINNING, 0, "m04", ecInvalidParam, NULL },
		{ 0, RELOP_EQ, 7, 0, "m04", ecInvalidParam, NULL },
	};
	struct tt_fixture *f = ten(state, "tabl-find");
	uint32_t i, rv, num, den;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TALLOC_CTX *mem = talloc_new(f);
		struct RopFindRow_resp *resp;
		struct Restriction res;

		tt_seek(f, BOOKMARK_BEGINNING, cases[i].seek);
		tt_res_string(&res, cases[i].relop, PidTagSubject, cases[i].value);
		resp = find(f, mem, cases[i].flags, &res, cases[i].origin, NULL, 0, &rv);
		assert_int_equal(rv, cases[i].rv);
		if (cases[i].found != NULL) {
			assert_int_equal(resp->RowNoLongerVisible, 0);
			assert_int_equal(resp->HasRowData, 1);
			assert_string_equal(subject_of(&resp->RowData), cases[i].found);
			tt_position(f, &num, &den);
			assert_int_equal(num, (uint32_t)(cases[i].found[2] - '0'));
		}
		talloc_free(mem);
	}
	tt_free(f);
}

/* give message @subject of the table (read with tt_query) one recipient */
static void add_recipient(struct tt_fixture *f, const struct RopQueryRows_resp *all,
			  const char *subject, const char *name)
{
	uint32_t i;

	for (i = 0; i < all->RowCount && strcmp(subject_of(&all->RowData[i]), subject); i++) {
	}
	assert_true(i < all->RowCount);
	emsmdb_test_add_recipient(f, f->s->mstore, f->inbox,
				  (uint64_t)all->RowData[i].Values[1].Value.u.d, name);
}

/* [MS-OXCDATA] 2.12.10 SubObjectRestriction on the recipients, 2.12.12
 * CountRestriction: FindRow reads each row's message; RopRestrict keeps
 * the messages with a matching recipient, Count the first n matches; a
 * table with no message behind its rows answers ecNotSupported. */
static void test_find_row_subobject(void **state)
{
	struct tt_fixture *f = ten(state, "tabl-findsub");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopQueryRows_resp *all, *q;
	struct RopFindRow_resp *resp;
	struct Restriction name, sub, count, bad;
	struct rop_request r = { .RopId = RopRestrict };
	struct rop_buffer *out;
	uint32_t rv, num, den;

	all = tt_query(f, mem, true, 0, 10, &rv);
	assert_int_equal(all->RowCount, 10);
	add_recipient(f, all, "m03", "Bob");
	add_recipient(f, all, "m07", "Bob");
	add_recipient(f, all, "m05", "Carol");
	tt_res_string(&name, RELOP_EQ, PidTagDisplayName, "Bob");
	memset(&sub, 0, sizeof(sub));
	sub.RestrictType = RES_SUBRESTRICTION;
	sub.u.SubObject.Subobject = PidTagMessageRecipients;
	sub.u.SubObject.Restriction = &name;

	tt_seek(f, BOOKMARK_BEGINNING, 0);
	resp = find(f, mem, 0, &sub, BOOKMARK_BEGINNING, NULL, 0, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&resp->RowData), "m03");
	tt_seek(f, BOOKMARK_BEGINNING, 4);
	resp = find(f, mem, 0, &sub, BOOKMARK_CURRENT, NULL, 0, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&resp->RowData), "m07");
	tt_position(f, &num, &den);
	assert_int_equal(num, 7);
	tt_seek(f, BOOKMARK_BEGINNING, 8);
	find(f, mem, 0, &sub, BOOKMARK_CURRENT, NULL, 0, &rv);
	assert_int_equal(rv, ecNotFound);

	/* RopRestrict: the two messages to Bob; then the first one only */
	r.u.RopRestrict.InputHandleIndex = 2;
	r.u.RopRestrict.RestrictionData = &sub;
	out = tt_run(f, mem, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, mem, true, 0, 10, &rv);
	assert_int_equal(q->RowCount, 2);
	assert_string_equal(subject_of(&q->RowData[0]), "m03");
	assert_string_equal(subject_of(&q->RowData[1]), "m07");
	memset(&count, 0, sizeof(count));
	count.RestrictType = RES_COUNT;
	count.u.Count.Count = 1;
	count.u.Count.SubRestriction = &sub;
	r.u.RopRestrict.RestrictionData = &count;
	out = tt_run(f, mem, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	tt_seek(f, BOOKMARK_BEGINNING, 0);
	q = tt_query(f, mem, true, 0, 10, &rv);
	assert_int_equal(q->RowCount, 1);

	/* a subobject that is neither recipients nor attachments */
	bad = sub;
	bad.u.SubObject.Subobject = PidTagSubject;
	r.u.RopRestrict.RestrictionData = &bad;
	out = tt_run(f, mem, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecInvalidParam);
	talloc_free(mem);
	tt_free(f);
}

/* a restriction on a column outside the column set; custom bookmarks */
static void test_find_row_bookmark(void **state)
{
	struct tt_fixture *f = ten(state, "tabl-findbm");
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopCreateBookmark };
	struct RopFindRow_resp *resp;
	struct rop_buffer *out;
	struct Restriction res;
	uint8_t bm[4], bad[4] = { 0x77, 0x77, 0, 0 };
	uint32_t rv, num, den;

	tt_seek(f, BOOKMARK_BEGINNING, 6);
	r.u.RopCreateBookmark.InputHandleIndex = 2;
	out = tt_run(f, mem, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	memcpy(bm, out->responses[0].u.RopCreateBookmark.Bookmark, 4);
	tt_seek(f, BOOKMARK_BEGINNING, 0);
	/* m06 is IPM.Note: found at the bookmark itself */
	tt_res_string(&res, RELOP_EQ, PidTagMessageClass, "IPM.Note");
	resp = find(f, mem, 0, &res, BOOKMARK_CUSTOM, bm, 4, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&resp->RowData), "m06");
	/* backward from the bookmark: m05 is a task, m04 a note */
	resp = find(f, mem, 1, &res, BOOKMARK_CUSTOM, bm, 4, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&resp->RowData), "m04");
	tt_position(f, &num, &den);
	assert_int_equal(num, 4);
	/* the table's own columns are back: QueryRows sees two columns */
	assert_int_equal(resp->RowData.ValueCount, 2);
	find(f, mem, 0, &res, BOOKMARK_CUSTOM, bad, 4, &rv);
	assert_int_equal(rv, ecInvalidBookmark);
	find(f, mem, 0, &res, BOOKMARK_CUSTOM, bm, 3, &rv);
	assert_int_equal(rv, ecInvalidBookmark);
	/* an Exist restriction on every row: the first row */
	memset(&res, 0, sizeof(res));
	res.RestrictType = RES_EXIST;
	res.u.Exist.PropTag = PidTagMessageClass;
	resp = find(f, mem, 0, &res, BOOKMARK_BEGINNING, NULL, 0, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&resp->RowData), "m00");
	talloc_free(mem);
	tt_free(f);
}

/* a found row that does not fit the response: no RowData, cursor moved */
static void test_find_row_no_room(void **state)
{
	struct tt_fixture *f = ten(state, "tabl-findroom");
	TALLOC_CTX *mem = talloc_new(f);
	struct RopFindRow_resp *resp;
	struct Restriction res;
	uint32_t rv, num, den;

	tt_res_string(&res, RELOP_EQ, PidTagSubject, "m07");
	/* RopSize 2, the response head 8, the handle table 32: no row */
	f->max_out = 2 + 8 + 4 * TT_HANDLES + 4;
	resp = find(f, mem, 0, &res, BOOKMARK_BEGINNING, NULL, 0, &rv);
	f->max_out = 0x8000;
	assert_int_equal(rv, ecSuccess);
	assert_int_equal(resp->HasRowData, 0);
	tt_position(f, &num, &den);
	assert_int_equal(num, 7);
	talloc_free(mem);
	tt_free(f);
}

/* FindRow before SetColumns; FindRow on a folder (not a table) */
static void test_find_row_errors(void **state)
{
	struct tt_fixture *f = tt_new(*state, "tabl-finderr", backend);
	struct rop_request r[2];
	struct Restriction res;
	struct rop_buffer *out;

	tt_message(f, "only", "IPM.Note");
	tt_res_string(&res, RELOP_EQ, PidTagSubject, "only");
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = 1;
	r[0].u.RopGetContentsTable.OutputHandleIndex = 2;
	r[1].RopId = RopFindRow;
	r[1].u.RopFindRow.InputHandleIndex = 2;
	r[1].u.RopFindRow.RestrictionData = &res;
	out = tt_run(f, f, r, 2);
	assert_int_equal(tt_rv(&out->responses[1]), ecNullObject);
	talloc_free(out);
	r[0] = r[1];
	r[0].u.RopFindRow.InputHandleIndex = 1;
	out = tt_run(f, f, r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecNotSupported);
	talloc_free(out);
	tt_free(f);
}

/* the same ROPs on an openchangedb folder's hierarchy table (FID list) */
static void test_hierarchy_table(void **state)
{
	static const uint32_t hcols[] = { PidTagDisplayName, PidTagFolderId };
	struct tt_fixture *f = tt_new(*state, "tabl-hier", backend);
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r[3];
	struct RopQueryRows_resp *q, *all;
	struct RopFindRow_resp *found;
	struct rop_buffer *out;
	struct Restriction res;
	uint32_t rv, num, den, n;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 3;
	r[0].u.RopOpenFolder.FolderId = f->root;
	r[1].RopId = RopGetHierarchyTable;
	r[1].u.RopGetHierarchyTable.InputHandleIndex = 3;
	r[1].u.RopGetHierarchyTable.OutputHandleIndex = 2;
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 2;
	r[2].u.RopSetColumns.PropertyTagCount = 2;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)hcols;
	out = tt_run(f, mem, r, 3);
	assert_int_equal(tt_rv(&out->responses[2]), ecSuccess);
	f->columns = hcols;
	f->column_count = 2;
	all = tt_query(f, mem, true, 0, 100, &rv);
	n = all->RowCount;
	assert_true(n >= 3);
	q = tt_query(f, mem, false, 0, 2, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_int_equal(q->RowCount, 2);
	assert_string_equal(subject_of(&q->RowData[0]), subject_of(&all->RowData[n - 2]));
	tt_position(f, &num, &den);
	assert_int_equal(num, n - 2);
	assert_int_equal(den, n);
	/* FindRow backward from the end on a name, then fractional seeks */
	tt_res_string(&res, RELOP_EQ, PidTagDisplayName, subject_of(&all->RowData[1]));
	found = find(f, mem, 1, &res, BOOKMARK_END, NULL, 0, &rv);
	assert_int_equal(rv, ecSuccess);
	assert_string_equal(subject_of(&found->RowData), subject_of(&all->RowData[1]));
	tt_position(f, &num, &den);
	assert_int_equal(num, 1);
	find(f, mem, 0, &res, BOOKMARK_CUSTOM, (const uint8_t *)"abcd", 4, &rv);
	assert_int_equal(rv, ecNotSupported);
	{
		/* no message behind a hierarchy row: a SubObjectRestriction
		 * cannot be evaluated ([MS-OXCDATA] 2.12.10) */
		struct Restriction sub = { .RestrictType = RES_SUBRESTRICTION };

		sub.u.SubObject.Subobject = PidTagMessageRecipients;
		sub.u.SubObject.Restriction = &res;
		find(f, mem, 0, &sub, BOOKMARK_BEGINNING, NULL, 0, &rv);
		assert_int_equal(rv, ecNotSupported);
	}
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSeekRowFractional;
	r[0].u.RopSeekRowFractional.InputHandleIndex = 2;
	r[0].u.RopSeekRowFractional.Numerator = 1;
	r[0].u.RopSeekRowFractional.Denominator = 1;
	out = tt_run(f, mem, r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	tt_position(f, &num, &den);
	assert_int_equal(num, n);
	talloc_free(mem);
	tt_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backward_reads, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_seek_fractional, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_find_row, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_find_row_subobject, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_find_row_bookmark, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_find_row_errors, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_find_row_no_room, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy_table, oc_test_setup, oc_test_teardown),
	};

	int failed;

	/* every test on the memory backend, then on the local backend */
	backend = "memory";
	failed = cmocka_run_group_tests_name("memory", tests, NULL, NULL);
	backend = "local";
	failed += cmocka_run_group_tests_name("local", tests, NULL, NULL);
	return failed;
}

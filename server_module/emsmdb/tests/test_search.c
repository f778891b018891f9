/*
 * Search folders (oxcfold_search.c, mapistore_search.c) through the
 * dispatcher on a real mapistore: RopCreateFolder with FOLDER_SEARCH
 * below Finder, RopSetSearchCriteria / RopGetSearchCriteria ([MS-OXCFOLD]
 * 2.2.1.4, 2.2.1.5), shallow and recursive scopes, criteria reused when a
 * call leaves them out, the contents table re-evaluated at each opening
 * (a new matching message appears), STOP_SEARCH, the SearchComplete
 * notification, computed columns of the rows (the message's own folder),
 * and the error paths.
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_computed.h"
#include "oxcfold_search.h"
#include "emsmdb_test_session.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 8
#define H_LOGON 0
#define H_INBOX 1
#define H_MSG 2
#define H_OTHER 3
#define H_TABLE 4
#define H_FINDER 5
#define H_SEARCH 6
#define H_SUB 7

/* [MS-OXCDATA] 2.12.4 ContentRestriction: FuzzyLevelLow FL_SUBSTRING,
 * FuzzyLevelHigh FL_IGNORECASE (the high word of FL_IGNORECASE) */
#define FuzzyLevelLow_SUBSTRING 0x0001
#define FuzzyLevelHigh_IGNORECASE 0x0001

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	struct emsmdb_test_rops rt;	/* round trips over handles[] */
	uint64_t fids[13];
	uint64_t sub_fid, search_fid;
};

/* round trips: emsmdb_test_session.h */
static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

static struct rop_response *run1(struct fixture *f, TALLOC_CTX *mem, struct rop_request *r,
				 uint32_t expect)
{
	struct rop_buffer *out = run(f, mem, r, 1);

	assert_true(out->count >= 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), expect);
	return &out->responses[0];
}

static void open_folder(struct fixture *f, uint8_t idx, uint64_t fid)
{
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, idx, fid);
}

static uint64_t create_folder(struct fixture *f, uint8_t in, uint8_t out, uint8_t type,
			      const char *name, uint32_t expect)
{
	struct rop_request r = { .RopId = RopCreateFolder };
	struct rop_response *resp;

	r.u.RopCreateFolder.InputHandleIndex = in;
	r.u.RopCreateFolder.OutputHandleIndex = out;
	r.u.RopCreateFolder.FolderType = type;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)name;
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	resp = run1(f, f, &r, expect);
	return expect == ecSuccess ? resp->u.RopCreateFolder.FolderId : 0;
}

/* a saved message with @subject in the folder open as @folder */
static uint64_t new_message(struct fixture *f, uint8_t folder, uint64_t fid,
			    const char *subject)
{
	struct emsmdb_test_message m = { .folder = folder, .msg = H_MSG, .response = H_OTHER,
					 .fid = fid, .subject = subject };

	return emsmdb_test_new_message(&f->rt, f, &m);
}

/* Inbox: "apple pie", "banana", "Apple tart"; Inbox/Sub: "apple juice";
 * a search folder "Apples" below Finder (FolderIds[10]) */
static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "search", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);

	open_folder(f, H_INBOX, f->fids[4]);
	new_message(f, H_INBOX, f->fids[4], "apple pie");
	new_message(f, H_INBOX, f->fids[4], "banana");
	new_message(f, H_INBOX, f->fids[4], "Apple tart");
	f->sub_fid = create_folder(f, H_INBOX, H_SUB, FOLDER_GENERIC, "Sub", ecSuccess);
	new_message(f, H_SUB, f->sub_fid, "apple juice");
	open_folder(f, H_FINDER, f->fids[10]);
	f->search_fid = create_folder(f, H_FINDER, H_SEARCH, FOLDER_SEARCH, "Apples",
				      ecSuccess);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static struct Restriction *subject_has(TALLOC_CTX *mem, const char *text)
{
	struct Restriction *res = talloc_zero(mem, struct Restriction);

	assert_non_null(res);
	res->RestrictType = 0x03;	/* RES_CONTENT */
	res->u.Content.FuzzyLevelLow = FuzzyLevelLow_SUBSTRING;
	res->u.Content.FuzzyLevelHigh = FuzzyLevelHigh_IGNORECASE;
	res->u.Content.PropertyTag = PidTagSubject;
	res->u.Content.TaggedValue.PropertyTag = PidTagSubject;
	res->u.Content.TaggedValue.Value.PropertyType = PtypString;
	res->u.Content.TaggedValue.Value.u.str = talloc_strdup(res, text);
	return res;
}

static struct rop_response *set_criteria(struct fixture *f, uint8_t idx,
					 struct Restriction *res, uint64_t *fids,
					 uint16_t nfids, uint32_t flags, uint32_t expect)
{
	struct rop_request r = { .RopId = RopSetSearchCriteria };

	r.u.RopSetSearchCriteria.InputHandleIndex = idx;
	r.u.RopSetSearchCriteria.RestrictionDataSize = res != NULL ? 1 : 0;
	r.u.RopSetSearchCriteria.RestrictionData = res;
	r.u.RopSetSearchCriteria.FolderIdCount = nfids;
	r.u.RopSetSearchCriteria.FolderIds = fids;
	r.u.RopSetSearchCriteria.SearchFlags = flags;
	return run1(f, f, &r, expect);
}

/* the subjects of the search folder's contents table, sorted by the
 * table's order, and a check of each row's computed columns */
static uint32_t search_rows(struct fixture *f, char subjects[][32], uint32_t max)
{
	static const uint32_t cols[] = { PidTagSubject, PidTagFolderId, PidTagParentEntryId,
					 PidTagMid };
	TALLOC_CTX *tmp = talloc_new(f);
	struct rop_request r[3];
	struct rop_buffer *out;
	uint32_t n, i;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = H_SEARCH;
	r[0].u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = H_TABLE;
	r[1].u.RopSetColumns.PropertyTagCount = 4;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = H_TABLE;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 100;
	out = run(f, tmp, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	n = out->responses[2].u.RopQueryRows.RowCount;
	assert_int_equal(out->responses[0].u.RopGetContentsTable.RowCount, n);
	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		const struct PropertyRow *row = &out->responses[2].u.RopQueryRows.RowData[i];
		uint64_t fid = row->Values[1].Value.u.d;

		snprintf(subjects[i], 32, "%s", row->Values[0].Value.u.str);
		/* the message's own folder, not the search folder */
		assert_true(fid == f->fids[4] || fid == f->sub_fid);
		assert_int_equal(row->Values[2].Value.u.bin.cb, EMSMDB_FOLDER_ENTRYID_SIZE);
		assert_int_not_equal(row->Values[3].Value.u.d, 0);
	}
	talloc_free(tmp);
	return n;
}

/* PidTagContentCount / PidTagContentUnreadCount of the search folder */
static uint32_t search_count(struct fixture *f, uint32_t tag)
{
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	TALLOC_CTX *tmp = talloc_new(f);
	const struct RowPropertyValue *v;
	uint32_t n;

	r.u.RopGetPropertiesSpecific.InputHandleIndex = H_SEARCH;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = 1;
	r.u.RopGetPropertiesSpecific.PropertyTags = &tag;
	v = run1(f, tmp, &r, ecSuccess)->u.RopGetPropertiesSpecific.RowData.Values;
	assert_int_equal(v[0].Flag, 0);
	n = v[0].Value.u.l;
	talloc_free(tmp);
	return n;
}

static bool has(char subjects[][32], uint32_t n, const char *s)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(subjects[i], s) == 0) {
			return true;
		}
	}
	return false;
}

static void test_search_shallow_recursive_current(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request g = { .RopId = RopGetSearchCriteria };
	const struct RopGetSearchCriteria_resp *gr;
	char subjects[8][32];
	uint32_t n;

	/* no criteria yet: an empty table, GetSearchCriteria not initialised */
	assert_int_equal(search_rows(f, subjects, 8), 0);
	g.u.RopGetSearchCriteria.InputHandleIndex = H_SEARCH;
	g.u.RopGetSearchCriteria.IncludeRestriction = 1;
	g.u.RopGetSearchCriteria.IncludeFolders = 1;
	run1(f, f, &g, ecNotInitialized);

	/* shallow: the Inbox only */
	set_criteria(f, H_SEARCH, subject_has(f, "apple"), &f->fids[4], 1,
		     RESTART_SEARCH | SHALLOW_SEARCH, ecSuccess);
	n = search_rows(f, subjects, 8);
	assert_int_equal(n, 2);
	assert_true(has(subjects, n, "apple pie"));
	assert_true(has(subjects, n, "Apple tart"));
	/* its counts are those of what it lists (all unread here) */
	assert_int_equal(search_count(f, PidTagContentCount), 2);
	assert_int_equal(search_count(f, PidTagContentUnreadCount), 2);

	gr = &run1(f, f, &g, ecSuccess)->u.RopGetSearchCriteria;
	assert_int_equal(gr->SearchFlags, SEARCH_RUNNING | SEARCH_COMPLETE);
	assert_int_equal(gr->FolderIdCount, 1);
	assert_int_equal(gr->FolderIds[0], f->fids[4]);
	assert_non_null(gr->RestrictionData);
	assert_int_equal(gr->RestrictionData->RestrictType, 0x03);
	assert_string_equal(gr->RestrictionData->u.Content.TaggedValue.Value.u.str, "apple");

	/* recursive, reusing restriction and folders (zero size and count) */
	set_criteria(f, H_SEARCH, NULL, NULL, 0, RECURSIVE_SEARCH, ecSuccess);
	n = search_rows(f, subjects, 8);
	assert_int_equal(n, 3);
	assert_true(has(subjects, n, "apple juice"));
	gr = &run1(f, f, &g, ecSuccess)->u.RopGetSearchCriteria;
	assert_int_equal(gr->SearchFlags, SEARCH_RUNNING | SEARCH_COMPLETE | SEARCH_RECURSIVE);

	/* the folder stays current: a new match shows at the next opening */
	new_message(f, H_INBOX, f->fids[4], "apple crumble");
	n = search_rows(f, subjects, 8);
	assert_int_equal(n, 4);
	assert_true(has(subjects, n, "apple crumble"));

	/* stopped: nothing listed, no longer running */
	set_criteria(f, H_SEARCH, NULL, NULL, 0, STOP_SEARCH, ecSuccess);
	assert_int_equal(search_rows(f, subjects, 8), 0);
	assert_int_equal(search_count(f, PidTagContentCount), 0);
	gr = &run1(f, f, &g, ecSuccess)->u.RopGetSearchCriteria;
	assert_int_equal(gr->SearchFlags & (SEARCH_RUNNING | SEARCH_COMPLETE), SEARCH_COMPLETE);
	fixture_free(f);
}

static void test_search_errors(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request g = { .RopId = RopGetSearchCriteria };
	uint64_t bogus = 0x0123456789AB0001ULL;

	/* not a search folder */
	set_criteria(f, H_INBOX, subject_has(f, "x"), &f->fids[4], 1, 0, ecNotSearchFolder);
	g.u.RopGetSearchCriteria.InputHandleIndex = H_INBOX;
	run1(f, f, &g, ecNotSearchFolder);
	/* the first call must name a restriction and folders */
	set_criteria(f, H_SEARCH, NULL, &f->fids[4], 1, 0, ecNotInitialized);
	set_criteria(f, H_SEARCH, subject_has(f, "x"), NULL, 0, 0, ecNotInitialized);
	/* flags that exclude each other */
	set_criteria(f, H_SEARCH, subject_has(f, "x"), &f->fids[4], 1,
		     STOP_SEARCH | RESTART_SEARCH, ecInvalidParam);
	set_criteria(f, H_SEARCH, subject_has(f, "x"), &f->fids[4], 1,
		     RECURSIVE_SEARCH | SHALLOW_SEARCH, ecInvalidParam);
	/* an unknown folder, the search folder itself */
	set_criteria(f, H_SEARCH, subject_has(f, "x"), &bogus, 1, 0, ecNotFound);
	set_criteria(f, H_SEARCH, subject_has(f, "x"), &f->search_fid, 1, 0, ecInvalidParam);
	/* search folders only below openchangedb folders; names are unique */
	create_folder(f, H_INBOX, H_OTHER, FOLDER_SEARCH, "S", ecNotSupported);
	create_folder(f, H_FINDER, H_OTHER, FOLDER_SEARCH, "apples", ecDuplicateName);
	create_folder(f, H_FINDER, H_OTHER, 0x03, "Odd", ecNotSupported);
	fixture_free(f);
}

/* the search folder's own properties; SearchComplete to a subscriber */
static void test_search_folder_props_and_notification(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t tags[] = { PidTagFolderType, PidTagDisplayName,
					 PidTagParentFolderId };
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_request sub = { .RopId = RopRegisterNotification };
	struct rop_request st;
	const struct RowPropertyValue *v;
	struct rop_buffer *out;
	bool complete = false;
	uint32_t i;

	r.u.RopGetPropertiesSpecific.InputHandleIndex = H_SEARCH;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = 3;
	r.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
	v = run1(f, f, &r, ecSuccess)->u.RopGetPropertiesSpecific.RowData.Values;
	assert_int_equal(v[0].Value.u.l, FOLDER_SEARCH);
	assert_string_equal(v[1].Value.u.str, "Apples");
	assert_int_equal(v[2].Value.u.d, f->fids[10]);

	sub.u.RopRegisterNotification.InputHandleIndex = H_LOGON;
	sub.u.RopRegisterNotification.OutputHandleIndex = H_OTHER;
	sub.u.RopRegisterNotification.NotificationTypes = fnevSearchComplete;
	sub.u.RopRegisterNotification.FolderId = f->search_fid;
	run1(f, f, &sub, ecSuccess);
	/* the subscriber is this session: the event rides on this buffer
	 * or, at the latest, on the next one */
	memset(&st, 0, sizeof(st));
	st.RopId = RopSetSearchCriteria;
	st.u.RopSetSearchCriteria.InputHandleIndex = H_SEARCH;
	st.u.RopSetSearchCriteria.RestrictionDataSize = 1;
	st.u.RopSetSearchCriteria.RestrictionData = subject_has(f, "apple");
	st.u.RopSetSearchCriteria.FolderIdCount = 1;
	st.u.RopSetSearchCriteria.FolderIds = &f->fids[4];
	out = run(f, f, &st, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	if (out->count == 1) {
		memset(&st, 0, sizeof(st));
		st.RopId = RopGetStoreState;
		out = run(f, f, &st, 1);
	}
	for (i = 1; i < out->count; i++) {
		const struct RopNotify_resp *n = &out->responses[i].u.RopNotify;

		assert_int_equal(out->responses[i].RopId, RopNotify);
		if ((n->NotificationData.NotificationFlags & NotificationType_Mask) ==
		    fnevSearchComplete) {
			complete = true;
			assert_int_equal(n->NotificationData.FolderId, f->search_fid);
		}
	}
	assert_true(complete);
	fixture_free(f);
}

/* the core's emulation sorts and restricts a search folder's table */
static void test_search_table_sort_restrict(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t cols[] = { PidTagSubject };
	struct SortOrder order = { .PropertyType = PtypString,
				   .PropertyId = PidTagSubject >> 16, .Order = 1 };
	struct rop_request r[5];
	struct rop_buffer *out;
	const struct RopQueryRows_resp *q;
	uint32_t i;

	set_criteria(f, H_SEARCH, subject_has(f, "apple"), &f->fids[4], 1,
		     RECURSIVE_SEARCH, ecSuccess);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = H_SEARCH;
	r[0].u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = H_TABLE;
	r[1].u.RopSetColumns.PropertyTagCount = 1;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopSortTable;
	r[2].u.RopSortTable.InputHandleIndex = H_TABLE;
	r[2].u.RopSortTable.SortOrderCount = 1;
	r[2].u.RopSortTable.SortOrders = &order;
	r[3].RopId = RopRestrict;
	r[3].u.RopRestrict.InputHandleIndex = H_TABLE;
	r[3].u.RopRestrict.RestrictionDataSize = 1;
	r[3].u.RopRestrict.RestrictionData = subject_has(f, "p");	/* all three */
	r[4].RopId = RopQueryRows;
	r[4].u.RopQueryRows.InputHandleIndex = H_TABLE;
	r[4].u.RopQueryRows.ForwardRead = 1;
	r[4].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	q = &out->responses[4].u.RopQueryRows;
	assert_int_equal(q->RowCount, 3);
	/* descending, case-insensitively: tart, pie, juice */
	assert_string_equal(q->RowData[0].Values[0].Value.u.str, "Apple tart");
	assert_string_equal(q->RowData[1].Values[0].Value.u.str, "apple pie");
	assert_string_equal(q->RowData[2].Values[0].Value.u.str, "apple juice");

	/* a restriction keeps what it matches (the columns again: the
	 * decoder of this buffer needs them) */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSetColumns;
	r[0].u.RopSetColumns.InputHandleIndex = H_TABLE;
	r[0].u.RopSetColumns.PropertyTagCount = 1;
	r[0].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[1].RopId = RopRestrict;
	r[1].u.RopRestrict.InputHandleIndex = H_TABLE;
	r[1].u.RopRestrict.RestrictionDataSize = 1;
	r[1].u.RopRestrict.RestrictionData = subject_has(f, "juice");
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = H_TABLE;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	q = &out->responses[2].u.RopQueryRows;
	assert_int_equal(q->RowCount, 1);
	assert_string_equal(q->RowData[0].Values[0].Value.u.str, "apple juice");
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_search_shallow_recursive_current,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_search_errors, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_search_table_sort_restrict, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_search_folder_props_and_notification,
						oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

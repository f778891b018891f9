/*
 * Handler tests through the dispatcher, on a real mapistore (SQLite
 * metadata in a temporary directory, the memory backend): RopLogon with
 * mailbox provisioning, folders and hierarchy tables, creating, saving,
 * listing and reading a message, and the error paths (wrong object type,
 * no columns, unknown folder, someone else's mailbox, released handles).
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "memory_private.h"
#include "emsmdb_notify.h"
#include "emsmdb_test_session.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[6];
	struct emsmdb_test_rops rt;	/* round trips: emsmdb_test_session.h */
};

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "oxc", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, 6);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* encode, execute, decode; the handle table is carried in f->handles */
static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

static void logon(struct fixture *f, TALLOC_CTX *mem, const char *dn,
		  uint32_t expect, uint64_t fids[13])
{
	struct rop_request r = { .RopId = RopLogon };
	struct rop_buffer *out;

	r.u.RopLogon.OutputHandleIndex = 0;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)(dn);
	r.u.RopLogon.EssdnSize = strlen(dn) + 1;
	out = run(f, mem, &r, 1);
	assert_int_equal(out->count, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), expect);
	if (expect == ecSuccess) {
		memcpy(fids, out->responses[0].u.RopLogon.FolderIds, 13 * 8);
		assert_int_equal(out->responses[0].u.RopLogon.ResponseFlags, 0x07);
	}
}

static void test_logon_and_hierarchy(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t cols[] = { PidTagFolderId, PidTagDisplayName,
					 PidTagParentFolderId };
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t fids[13], again[13];
	bool inbox = false, calendar = false;
	uint32_t i;

	logon(f, f, DN, ecSuccess, fids);
	for (i = 0; i < 13; i++) {
		assert_int_not_equal(fids[i], 0);
	}
	/* the second logon finds the same mailbox (no second provisioning) */
	logon(f, f, "/O=FIRST ORGANIZATION/ou=first administrative group"
	      "/cn=Recipients/cn=ALICE", ecSuccess, again);
	assert_memory_equal(fids, again, sizeof(fids));

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[0];
	r[1].RopId = RopGetHierarchyTable;
	r[1].u.RopGetHierarchyTable.InputHandleIndex = 1;
	r[1].u.RopGetHierarchyTable.OutputHandleIndex = 2;
	r[1].u.RopGetHierarchyTable.TableFlags = 0x04;	/* Depth */
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 2;
	r[2].u.RopSetColumns.PropertyTagCount = 3;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[3].RopId = RopQueryRows;
	r[3].u.RopQueryRows.InputHandleIndex = 2;
	r[3].u.RopQueryRows.ForwardRead = 1;
	r[3].u.RopQueryRows.RowCount = 100;
	out = run(f, f, r, 4);
	assert_int_equal(out->count, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_true(out->responses[1].u.RopGetHierarchyTable.RowCount >= 12);
	assert_int_equal(out->responses[3].u.RopQueryRows.RowCount,
			 out->responses[1].u.RopGetHierarchyTable.RowCount);
	assert_int_equal(out->responses[3].u.RopQueryRows.Origin, 2);
	for (i = 0; i < out->responses[3].u.RopQueryRows.RowCount; i++) {
		const struct PropertyRow *row = &out->responses[3].u.RopQueryRows.RowData[i];

		assert_int_equal(row->Values[0].Value.PropertyType, PtypInteger64);
		if (row->Values[1].Flag == 0 &&
		    strcmp(row->Values[1].Value.u.str, "Inbox") == 0) {
			inbox = true;
			assert_int_equal(row->Values[0].Value.u.d, fids[4]);
		}
		if (row->Values[1].Flag == 0 &&
		    strcmp(row->Values[1].Value.u.str, "Calendar") == 0) {
			calendar = true;
		}
	}
	assert_true(inbox);
	assert_true(calendar);
	fixture_free(f);
}

static void test_message_roundtrip(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t cols[] = { PidTagMid, PidTagSubject };
	struct TaggedPropertyValue subject;
	struct rop_request r[6];
	struct rop_buffer *out;
	uint64_t fids[13], mid;
	uint32_t i;

	logon(f, f, DN, ecSuccess, fids);
	/* create in the Inbox (FolderIds[4]), set the subject, save */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = fids[4];
	memset(&subject, 0, sizeof(subject));
	subject.PropertyTag = PidTagSubject;
	subject.Value.PropertyType = PtypString;
	subject.Value.u.str = (char *)(uintptr_t)("hello world");
	r[2].RopId = RopSetProperties;
	r[2].u.RopSetProperties.InputHandleIndex = 2;
	r[2].u.RopSetProperties.PropertyValueCount = 1;
	r[2].u.RopSetProperties.PropertyValues = &subject;
	r[3].RopId = RopSaveChangesMessage;
	r[3].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	r[3].u.RopSaveChangesMessage.InputHandleIndex = 2;
	r[3].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(f, f, r, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	mid = out->responses[3].u.RopSaveChangesMessage.MessageId;
	assert_int_not_equal(mid, 0);
	assert_int_equal(out->responses[3].u.RopSaveChangesMessage.InputHandleIndex, 2);

	/* the contents table lists it */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = 1;
	r[0].u.RopGetContentsTable.OutputHandleIndex = 3;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 3;
	r[1].u.RopSetColumns.PropertyTagCount = 2;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 3;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[0].u.RopGetContentsTable.RowCount, 1);
	assert_int_equal(out->responses[2].u.RopQueryRows.RowCount, 1);
	assert_int_equal(out->responses[2].u.RopQueryRows.RowData[0].Values[0].Value.u.d,
			 mid);
	assert_string_equal(out->responses[2].u.RopQueryRows.RowData[0].Values[1].Value.u.str,
			    "hello world");

	/* open it again and read the subject */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenMessage;
	r[0].u.RopOpenMessage.InputHandleIndex = 0;
	r[0].u.RopOpenMessage.OutputHandleIndex = 4;
	r[0].u.RopOpenMessage.CodePageId = 0x0FFF;
	r[0].u.RopOpenMessage.FolderId = fids[4];
	r[0].u.RopOpenMessage.MessageId = mid;
	r[1].RopId = RopGetPropertiesSpecific;
	r[1].u.RopGetPropertiesSpecific.InputHandleIndex = 4;
	r[1].u.RopGetPropertiesSpecific.WantUnicode = 1;
	r[1].u.RopGetPropertiesSpecific.PropertyTagCount = 2;
	r[1].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)cols;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[0].u.RopOpenMessage.NormalizedSubject.StringType, 0);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.d,
			 mid);
	assert_string_equal(out->responses[1].u.RopGetPropertiesSpecific.RowData.Values[1].Value.u.str,
			    "hello world");
	fixture_free(f);
}

static void test_error_paths(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r[3];
	struct rop_buffer *out;
	uint64_t fids[13];
	uint32_t logon_handle;

	/* another user's mailbox */
	logon(f, f, "/o=First Organization/ou=First Administrative Group"
	      "/cn=Recipients/cn=bob", ecLoginPerm, fids);
	assert_int_equal(f->handles[0], 0xFFFFFFFF);
	logon(f, f, DN, ecSuccess, fids);
	logon_handle = f->handles[0];

	memset(r, 0, sizeof(r));
	/* unknown folder; a table ROP on a logon; QueryRows without columns */
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = 0x0123456789ABCDEFULL;
	r[1].RopId = RopQueryRows;
	r[1].u.RopQueryRows.InputHandleIndex = 0;
	r[1].u.RopQueryRows.ForwardRead = 1;
	r[1].u.RopQueryRows.RowCount = 1;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecNotFound);
	assert_int_equal(f->handles[1], 0xFFFFFFFF);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecNotSupported);

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[0];
	r[1].RopId = RopGetHierarchyTable;
	r[1].u.RopGetHierarchyTable.InputHandleIndex = 1;
	r[1].u.RopGetHierarchyTable.OutputHandleIndex = 2;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 2;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 1;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecNullObject);

	/* release the logon: everything under it goes */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopRelease;
	r[0].u.RopRelease.InputHandleIndex = 0;
	r[1].RopId = RopGetHierarchyTable;
	r[1].u.RopGetHierarchyTable.InputHandleIndex = 1;
	r[1].u.RopGetHierarchyTable.OutputHandleIndex = 3;
	out = run(f, f, r, 2);
	assert_int_equal(out->count, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecNullObject);
	assert_null(emsmdb_handles_lookup(f->s->handles, logon_handle));
	assert_int_equal(emsmdb_handles_count(f->s->handles, EMSMDB_OBJECT_NONE), 0);
	fixture_free(f);
}

/* QueryRows returns only the rows that fit; the cursor stays on the first
 * row not sent, so reading on gives every row exactly once */
static void test_query_rows_fits_the_buffer(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t cols[] = { PidTagFolderId, PidTagDisplayName };
	struct rop_request r[3];
	struct rop_buffer *out;
	uint64_t fids[13], seen[64];
	uint32_t total, nseen = 0, i, j, n, calls = 0;

	logon(f, f, DN, ecSuccess, fids);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[0];
	r[1].RopId = RopGetHierarchyTable;
	r[1].u.RopGetHierarchyTable.InputHandleIndex = 1;
	r[1].u.RopGetHierarchyTable.OutputHandleIndex = 2;
	r[1].u.RopGetHierarchyTable.TableFlags = 0x04;
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 2;
	r[2].u.RopSetColumns.PropertyTagCount = 2;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	out = run(f, f, r, 3);
	total = out->responses[1].u.RopGetHierarchyTable.RowCount;
	assert_true(total > 10 && total < 64);

	f->rt.max_out = 200;
	f->rt.columns = cols;
	f->rt.column_count = 2;
	do {
		memset(r, 0, sizeof(r));
		r[0].RopId = RopQueryRows;
		r[0].u.RopQueryRows.InputHandleIndex = 2;
		r[0].u.RopQueryRows.ForwardRead = 1;
		r[0].u.RopQueryRows.RowCount = 1000;
		out = run(f, f, r, 1);
		assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
		n = out->responses[0].u.RopQueryRows.RowCount;
		assert_true(n < total);
		for (i = 0; i < n; i++) {
			uint64_t fid = out->responses[0].u.RopQueryRows.RowData[i].Values[0].Value.u.d;

			for (j = 0; j < nseen; j++) {
				assert_int_not_equal(seen[j], fid);
			}
			seen[nseen++] = fid;
		}
		calls++;
	} while (n > 0 && calls < 64);
	assert_int_equal(nseen, total);
	assert_true(calls > 2);
	f->rt.max_out = 0x8000;
	f->rt.columns = NULL;
	f->rt.column_count = 0;
	fixture_free(f);
}

/* three messages; sorted descending, restricted, and bookmarks */
static void test_sort_restrict_bookmarks(void **state)
{
	static const uint32_t cols[] = { PidTagSubject };
	static const char *const subjects[] = { "alpha", "charlie", "bravo" };
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue v;
	struct SortOrder order = { .PropertyType = PtypString,
				   .PropertyId = PidTagSubject >> 16, .Order = 1 };
	struct Restriction res;
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t fids[13];
	uint8_t bookmark[4];
	uint32_t i;

	logon(f, f, DN, ecSuccess, fids);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	run(f, f, r, 1);
	for (i = 0; i < 3; i++) {
		memset(r, 0, sizeof(r));
		memset(&v, 0, sizeof(v));
		v.PropertyTag = PidTagSubject;
		v.Value.PropertyType = PtypString;
		v.Value.u.str = (char *)(uintptr_t)subjects[i];
		r[0].RopId = RopCreateMessage;
		r[0].u.RopCreateMessage.InputHandleIndex = 1;
		r[0].u.RopCreateMessage.OutputHandleIndex = 2;
		r[0].u.RopCreateMessage.FolderId = fids[4];
		r[1].RopId = RopSetProperties;
		r[1].u.RopSetProperties.InputHandleIndex = 2;
		r[1].u.RopSetProperties.PropertyValueCount = 1;
		r[1].u.RopSetProperties.PropertyValues = &v;
		r[2].RopId = RopSaveChangesMessage;
		r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
		r[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
		r[3].RopId = RopRelease;
		r[3].u.RopRelease.InputHandleIndex = 2;
		out = run(f, f, r, 4);
		assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	}
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = 1;
	r[0].u.RopGetContentsTable.OutputHandleIndex = 2;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 2;
	r[1].u.RopSetColumns.PropertyTagCount = 1;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopSortTable;
	r[2].u.RopSortTable.InputHandleIndex = 2;
	r[2].u.RopSortTable.SortOrderCount = 1;
	r[2].u.RopSortTable.SortOrders = &order;
	r[3].RopId = RopQueryRows;
	r[3].u.RopQueryRows.InputHandleIndex = 2;
	r[3].u.RopQueryRows.ForwardRead = 1;
	r[3].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 4);
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	assert_int_equal(out->responses[3].u.RopQueryRows.RowCount, 3);
	assert_string_equal(out->responses[3].u.RopQueryRows.RowData[0].Values[0].Value.u.str, "charlie");
	assert_string_equal(out->responses[3].u.RopQueryRows.RowData[1].Values[0].Value.u.str, "bravo");
	assert_string_equal(out->responses[3].u.RopQueryRows.RowData[2].Values[0].Value.u.str, "alpha");

	/* bookmark the start, read two rows, come back */
	f->rt.columns = cols;
	f->rt.column_count = 1;
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSeekRow;
	r[0].u.RopSeekRow.InputHandleIndex = 2;
	r[0].u.RopSeekRow.Origin = 0;
	r[1].RopId = RopCreateBookmark;
	r[1].u.RopCreateBookmark.InputHandleIndex = 2;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 2;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 2;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopCreateBookmark.BookmarkSize, 4);
	memcpy(bookmark, out->responses[1].u.RopCreateBookmark.Bookmark, 4);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSeekRowBookmark;
	r[0].u.RopSeekRowBookmark.InputHandleIndex = 2;
	r[0].u.RopSeekRowBookmark.BookmarkSize = 4;
	r[0].u.RopSeekRowBookmark.Bookmark = bookmark;
	r[0].u.RopSeekRowBookmark.WantRowMovedCount = 1;
	r[1].RopId = RopQueryRows;
	r[1].u.RopQueryRows.InputHandleIndex = 2;
	r[1].u.RopQueryRows.ForwardRead = 1;
	r[1].u.RopQueryRows.RowCount = 1;
	r[2].RopId = RopFreeBookmark;
	r[2].u.RopFreeBookmark.InputHandleIndex = 2;
	r[2].u.RopFreeBookmark.BookmarkSize = 4;
	r[2].u.RopFreeBookmark.Bookmark = bookmark;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_string_equal(out->responses[1].u.RopQueryRows.RowData[0].Values[0].Value.u.str, "charlie");
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);

	/* restrict to subject == "bravo" */
	memset(&res, 0, sizeof(res));
	res.RestrictType = RES_PROPERTY;
	res.u.Property.RelOp = RELOP_EQ;
	res.u.Property.PropTag = PidTagSubject;
	res.u.Property.TaggedValue.PropertyTag = PidTagSubject;
	res.u.Property.TaggedValue.Value.PropertyType = PtypString;
	res.u.Property.TaggedValue.Value.u.str = (char *)(uintptr_t)"bravo";
	memset(r, 0, sizeof(r));
	r[0].RopId = RopRestrict;
	r[0].u.RopRestrict.InputHandleIndex = 2;
	r[0].u.RopRestrict.RestrictionData = &res;
	r[1].RopId = RopQueryRows;
	r[1].u.RopQueryRows.InputHandleIndex = 2;
	r[1].u.RopQueryRows.ForwardRead = 1;
	r[1].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopQueryRows.RowCount, 1);
	assert_string_equal(out->responses[1].u.RopQueryRows.RowData[0].Values[0].Value.u.str, "bravo");
	f->rt.columns = NULL;
	f->rt.column_count = 0;
	fixture_free(f);
}

/* RopModifyRecipients, RopOpenMessage's rows, RopReadRecipients,
 * RopRemoveAllRecipients ([MS-OXCMSG] 2.2.3.4-2.2.3.6) */
static void test_recipients(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct ModifyRecipientRow rows[2];
	struct RecipientRow rr[2];
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t fids[13], mid;
	uint32_t i;

	logon(f, f, DN, ecSuccess, fids);
	memset(rr, 0, sizeof(rr));
	rr[0].RecipientFlags = RecipientType_X500DN | RecipientFlags_D | RecipientFlags_U;
	rr[0].X500DN = (char *)(uintptr_t)"/o=First Organization/ou=First "
		"Administrative Group/cn=Recipients/cn=bob";
	rr[0].DisplayName = (char *)(uintptr_t)"Bob";
	rr[1].RecipientFlags = RecipientType_NoType | RecipientFlags_O |
		RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
	rr[1].AddressType = (char *)(uintptr_t)"SMTP";
	rr[1].EmailAddress = (char *)(uintptr_t)"carol@example.com";
	rr[1].DisplayName = (char *)(uintptr_t)"Carol";
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 2; i++) {
		rows[i].RowId = i;
		rows[i].RecipientType = i + 1;	/* To, Cc */
		rows[i].RecipientRow = &rr[i];
		rows[i].RecipientRowSize = 1;	/* non-zero: the codec sizes it */
	}
	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.OutputHandleIndex = 1;
	r[0].u.RopCreateMessage.FolderId = fids[4];
	r[1].RopId = RopModifyRecipients;
	r[1].u.RopModifyRecipients.InputHandleIndex = 1;
	r[1].u.RopModifyRecipients.RowCount = 2;
	r[1].u.RopModifyRecipients.RecipientRows = rows;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 2;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = 1;
	r[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(f, f, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	mid = out->responses[2].u.RopSaveChangesMessage.MessageId;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenMessage;
	r[0].u.RopOpenMessage.OutputHandleIndex = 3;
	r[0].u.RopOpenMessage.FolderId = fids[4];
	r[0].u.RopOpenMessage.MessageId = mid;
	r[0].u.RopOpenMessage.OpenModeFlags = 0x01;
	r[1].RopId = RopReadRecipients;
	r[1].u.RopReadRecipients.InputHandleIndex = 3;
	r[1].u.RopReadRecipients.RowId = 1;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[0].u.RopOpenMessage.RecipientCount, 2);
	assert_int_equal(out->responses[0].u.RopOpenMessage.RowCount, 2);
	assert_int_equal(out->responses[0].u.RopOpenMessage.RecipientRows[0].RecipientType, 1);
	assert_string_equal(out->responses[0].u.RopOpenMessage.RecipientRows[0].RecipientRow.X500DN,
			    rr[0].X500DN);
	assert_string_equal(out->responses[0].u.RopOpenMessage.RecipientRows[0].RecipientRow.DisplayName,
			    "Bob");
	assert_string_equal(out->responses[0].u.RopOpenMessage.RecipientRows[1].RecipientRow.EmailAddress,
			    "carol@example.com");
	assert_string_equal(out->responses[0].u.RopOpenMessage.RecipientRows[1].RecipientRow.AddressType,
			    "SMTP");
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopReadRecipients.RowCount, 1);
	assert_int_equal(out->responses[1].u.RopReadRecipients.RecipientRows[0].RowId, 1);
	assert_int_equal(out->responses[1].u.RopReadRecipients.RecipientRows[0].RecipientType, 2);
	assert_string_equal(out->responses[1].u.RopReadRecipients.RecipientRows[0].RecipientRow.DisplayName,
			    "Carol");

	memset(r, 0, sizeof(r));
	r[0].RopId = RopRemoveAllRecipients;
	r[0].u.RopRemoveAllRecipients.InputHandleIndex = 3;
	r[1].RopId = RopReadRecipients;
	r[1].u.RopReadRecipients.InputHandleIndex = 3;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecNotFound);
	fixture_free(f);
}

static unsigned woken;
static void count_wake(uint16_t cxr)
{
	woken++;
}

/* session A subscribes to its whole store; session B (same mailbox)
 * creates a message in the Inbox; A's next ROP buffer carries RopNotify
 * for ObjectCreated and NewMail ([MS-OXCNOTIF] 3.2.5.1) */
static void test_notifications(void **state)
{
	struct fixture *fa = fixture_new(*state), *fb;
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t fids[13], mid;
	bool created = false, newmail = false;
	uint32_t i, sub;

	fa->t.cfg.wake = count_wake;
	fb = talloc_zero(*state, struct fixture);
	*fb = *fa;
	fb->t.mcfg.private_data = &fb->t;
	fb->s = emsmdb_session_new(&fb->t.cfg);
	fb->rt.s = fb->s;
	fb->rt.handles = fb->handles;
	fb->s->account = talloc_strdup(fb->s, "alice");
	fb->s->user_dn = talloc_strdup(fb->s, DN);
	fb->s->display_name = talloc_strdup(fb->s, "Alice");
	fb->s->cxr = 2;
	fa->s->cxr = 1;

	logon(fa, fa, DN, ecSuccess, fids);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopRegisterNotification;
	r[0].u.RopRegisterNotification.OutputHandleIndex = 1;
	r[0].u.RopRegisterNotification.NotificationTypes =
		fnevNewMail | fnevObjectCreated | fnevObjectDeleted;
	r[0].u.RopRegisterNotification.WantWholeStore = 1;
	out = run(fa, fa, r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	sub = fa->handles[1];
	assert_int_not_equal(sub, 0xFFFFFFFF);
	assert_false(emsmdb_notify_pending(fa->s));

	logon(fb, fb, DN, ecSuccess, fids);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.FolderId = fids[4];
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
	out = run(fb, fb, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	mid = out->responses[2].u.RopSaveChangesMessage.MessageId;
	/* B has no subscription: nothing rides on its own response */
	assert_int_equal(out->count, 3);
	assert_true(emsmdb_notify_pending(fa->s));
	assert_int_equal(woken, 2);

	/* a buffer too small for any RopNotify carries RopPending with A's
	 * session index, and the events stay queued ([MS-OXCNOTIF] 3.1.5.7):
	 * the smallest output size that holds a second response */
	{
		size_t m;

		for (m = 48; m < 512; m++) {
			memset(r, 0, sizeof(r));
			r[0].RopId = RopGetStoreState;
			fa->rt.max_out = m;
			out = run(fa, fa, r, 1);
			if (out->count > 1) {
				break;
			}
		}
		fa->rt.max_out = 0;
		assert_int_equal(out->count, 2);
		assert_int_equal(out->responses[1].RopId, RopPending);
		assert_int_equal(out->responses[1].u.RopPending.SessionIndex, fa->s->cxr);
		assert_true(emsmdb_notify_pending(fa->s));
	}

	/* A's next buffer (a RopGetStoreState) brings the events */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetStoreState;
	out = run(fa, fa, r, 1);
	assert_int_equal(out->count, 3);
	for (i = 1; i < out->count; i++) {
		const struct RopNotify_resp *n = &out->responses[i].u.RopNotify;

		assert_int_equal(out->responses[i].RopId, RopNotify);
		assert_int_equal(n->NotificationHandle, sub);
		assert_int_equal(n->NotificationData.FolderId, fids[4]);
		assert_int_equal(n->NotificationData.MessageId, mid);
		switch (n->NotificationData.NotificationFlags & NotificationType_Mask) {
		case fnevObjectCreated:
			created = true;
			break;
		case fnevNewMail:
			newmail = true;
			assert_string_equal(n->NotificationData.MessageClass, "IPM.Note");
			break;
		}
	}
	assert_true(created);
	assert_true(newmail);
	assert_false(emsmdb_notify_pending(fa->s));

	/* released subscriptions hear nothing more */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopRelease;
	r[0].u.RopRelease.InputHandleIndex = 1;
	run(fa, fa, r, 1);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.InputHandleIndex = 1;
	r[0].u.RopCreateMessage.OutputHandleIndex = 2;
	r[0].u.RopCreateMessage.FolderId = fids[4];
	r[1].RopId = RopSaveChangesMessage;
	r[1].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	r[1].u.RopSaveChangesMessage.InputHandleIndex = 2;
	run(fb, fb, r, 2);
	assert_false(emsmdb_notify_pending(fa->s));

	/* an open contents table hears its folder change: one TableModified
	 * (TABLE_CHANGED) for two new messages ([MS-OXCNOTIF] 3.1.4.3) */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 2;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopGetContentsTable;
	r[1].u.RopGetContentsTable.InputHandleIndex = 2;
	r[1].u.RopGetContentsTable.OutputHandleIndex = 3;
	out = run(fa, fa, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	for (i = 0; i < 2; i++) {
		memset(r, 0, sizeof(r));
		r[0].RopId = RopCreateMessage;
		r[0].u.RopCreateMessage.InputHandleIndex = 1;
		r[0].u.RopCreateMessage.OutputHandleIndex = 2;
		r[0].u.RopCreateMessage.FolderId = fids[4];
		r[1].RopId = RopSaveChangesMessage;
		r[1].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
		r[1].u.RopSaveChangesMessage.InputHandleIndex = 2;
		run(fb, fb, r, 2);
	}
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetStoreState;
	out = run(fa, fa, r, 1);
	assert_int_equal(out->count, 2);
	assert_int_equal(out->responses[1].RopId, RopNotify);
	assert_int_equal(out->responses[1].u.RopNotify.NotificationHandle, fa->handles[3]);
	assert_int_equal(out->responses[1].u.RopNotify.NotificationData.NotificationFlags,
			 fnevTableModified);
	assert_int_equal(out->responses[1].u.RopNotify.NotificationData.TableEventType,
			 TableEventType_TableChanged);

	emsmdb_session_free(fb->s);
	talloc_free(fb);
	fixture_free(fa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_logon_and_hierarchy, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_message_roundtrip, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_error_paths, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_notifications, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_query_rows_fits_the_buffer, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_sort_restrict_bookmarks, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_recipients, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

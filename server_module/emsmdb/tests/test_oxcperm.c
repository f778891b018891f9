/*
 * Folder permissions ([MS-OXCPERM]) through the dispatcher: the permission
 * ROPs, and enforcement with a non-owner session: "bob" logs on to the
 * mailbox of "alice" as a delegate, on a real mapistore (SQLite metadata,
 * the local backend so that both sessions see the same messages). The
 * model and the storage are test_oxcperm_model.c's.
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN_PREFIX "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
#define ALICE_DN DN_PREFIX "alice"
#define BOB_DN DN_PREFIX "bob"
#define CAROL_DN DN_PREFIX "carol"
#define NHANDLES 8

/* RopLogon FolderIds indexes ([MS-OXCSTOR] 2.2.1.1.3) */
#define FID_ROOT 0
#define FID_INBOX 4
/* a test case not run */
#define SKIP 0xFFFFFFFFu

/* ---- sessions ---- */

struct client {
	struct emsmdb_session *s;
	uint32_t handles[NHANDLES];
};

struct fixture {
	struct emsmdb_test_session t;
	struct client alice, bob;
	uint64_t fids[13];		/* alice's logon FolderIds */
};

static const uint32_t *run_columns;
static uint32_t run_column_count;

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	ics_test_two_users_new(&f->t, "perm", ALICE_DN, BOB_DN, &f->alice.s, f->alice.handles,
			       &f->bob.s, f->bob.handles, NHANDLES);
	return f;
}

static void fixture_free(struct fixture *f)
{
	ics_test_two_users_free(&f->t, f->alice.s, f->bob.s);
	talloc_free(f);
}

/* encode, execute, decode (emsmdb_test_run); the handle table is carried
 * in c->handles */
static struct rop_buffer *run(struct client *c, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	struct emsmdb_test_rops rt = {
		.s = c->s, .handles = c->handles, .handle_count = NHANDLES,
		.columns = run_columns, .column_count = run_column_count,
	};
	struct rop_buffer *out = emsmdb_test_run(&rt, mem_ctx, reqs, n);

	/* plus the notifications open tables may bring (TableModified) */
	assert_true(out->count >= n);
	return out;
}

static uint32_t rv(const struct rop_response *r)
{
	return emsmdb_test_rv(r);
}

/* one ROP, its ReturnValue */
static uint32_t run1(struct client *c, TALLOC_CTX *mem, struct rop_request *r,
		     struct rop_response **resp_r)
{
	struct rop_buffer *out = run(c, mem, r, 1);

	if (resp_r != NULL) {
		*resp_r = &out->responses[0];
	}
	return rv(&out->responses[0]);
}

static uint32_t do_logon(struct client *c, TALLOC_CTX *mem, const char *dn,
			 uint8_t index, uint64_t fids[13], uint8_t *flags_r)
{
	struct rop_request r = { .RopId = RopLogon };
	struct rop_response *resp;
	uint32_t ec;

	r.LogonId = index;
	r.u.RopLogon.OutputHandleIndex = index;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)dn;
	r.u.RopLogon.EssdnSize = strlen(dn) + 1;
	ec = run1(c, mem, &r, &resp);
	if (ec == ecSuccess && fids != NULL) {
		memcpy(fids, resp->u.RopLogon.FolderIds, 13 * 8);
	}
	if (ec == ecSuccess && flags_r != NULL) {
		*flags_r = resp->u.RopLogon.ResponseFlags;
	}
	return ec;
}

static uint32_t open_folder(struct client *c, TALLOC_CTX *mem, uint8_t logon,
			    uint8_t in, uint8_t out, uint64_t fid)
{
	struct rop_request r = { .RopId = RopOpenFolder };

	r.LogonId = logon;
	r.u.RopOpenFolder.InputHandleIndex = in;
	r.u.RopOpenFolder.OutputHandleIndex = out;
	r.u.RopOpenFolder.FolderId = fid;
	return run1(c, mem, &r, NULL);
}

/* the entry ID of @dn as a TaggedPropertyValue */
static void eid_value(TALLOC_CTX *mem, const char *dn, struct TaggedPropertyValue *v)
{
	struct mapistore_binary eid = { 0, NULL };

	v->PropertyTag = PidTagEntryId;
	v->Value.PropertyType = PtypBinary;
	if (dn != NULL) {
		assert_int_equal(emsmdb_acl_entryid_from_dn(mem, dn, &eid), ecSuccess);
	}
	v->Value.u.bin.cb = (uint32_t)eid.length;
	v->Value.u.bin.lpb = eid.data;
}

static void rights_value(uint32_t rights, struct TaggedPropertyValue *v)
{
	v->PropertyTag = PidTagMemberRights;
	v->Value.PropertyType = PtypInteger32;
	v->Value.u.l = rights;
}

static void id_value(int64_t id, struct TaggedPropertyValue *v)
{
	v->PropertyTag = PidTagMemberId;
	v->Value.PropertyType = PtypInteger64;
	v->Value.u.d = (uint64_t)id;
}

/* RopModifyPermissions with one PermissionData on the folder at @index */
static uint32_t modify(struct client *c, TALLOC_CTX *mem, uint8_t logon, uint8_t index,
		       uint8_t ModifyFlags, uint8_t DataFlags,
		       struct TaggedPropertyValue *values, uint16_t nvalues)
{
	struct rop_request r = { .RopId = RopModifyPermissions };
	struct PermissionData pd;

	pd.PermissionDataFlags = DataFlags;
	pd.PropertyValueCount = nvalues;
	pd.PropertyValues = values;
	r.LogonId = logon;
	r.u.RopModifyPermissions.InputHandleIndex = index;
	r.u.RopModifyPermissions.ModifyFlags = ModifyFlags;
	r.u.RopModifyPermissions.ModifyCount = 1;
	r.u.RopModifyPermissions.PermissionsData = &pd;
	return run1(c, mem, &r, NULL);
}

/* grant @dn @rights on the folder at alice's @index */
static uint32_t grant(struct fixture *f, TALLOC_CTX *mem, uint8_t index,
		      const char *dn, uint32_t rights, uint8_t ModifyFlags)
{
	struct TaggedPropertyValue v[2];

	eid_value(mem, dn, &v[0]);
	rights_value(rights, &v[1]);
	return modify(&f->alice, mem, 0, index, ModifyFlags, 0x01, v, 2);
}

struct perm_row {
	int64_t id;
	char name[64];
	uint32_t rights;
	uint32_t eid_len;
};

/* the permissions table of the folder at @index: up to 8 rows */
static uint32_t read_table(struct client *c, TALLOC_CTX *mem, uint8_t logon,
			   uint8_t index, uint8_t TableFlags, struct perm_row *rows,
			   uint32_t *count_r)
{
	static const uint32_t cols[] = { PidTagMemberId, PidTagMemberName,
					 PidTagMemberRights, PidTagEntryId };
	struct rop_request r[3];
	struct rop_buffer *out;
	uint32_t i;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetPermissionsTable;
	r[0].LogonId = logon;
	r[0].u.RopGetPermissionsTable.InputHandleIndex = index;
	r[0].u.RopGetPermissionsTable.OutputHandleIndex = 7;
	r[0].u.RopGetPermissionsTable.TableFlags = TableFlags;
	r[1].RopId = RopSetColumns;
	r[1].LogonId = logon;
	r[1].u.RopSetColumns.InputHandleIndex = 7;
	r[1].u.RopSetColumns.PropertyTagCount = 4;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].LogonId = logon;
	r[2].u.RopQueryRows.InputHandleIndex = 7;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 8;
	run_columns = cols;
	run_column_count = 4;
	out = run(c, mem, r, 3);
	run_columns = NULL;
	run_column_count = 0;
	if (rv(&out->responses[0]) != ecSuccess) {
		return rv(&out->responses[0]);
	}
	assert_int_equal(rv(&out->responses[1]), ecSuccess);
	assert_int_equal(rv(&out->responses[2]), ecSuccess);
	*count_r = out->responses[2].u.RopQueryRows.RowCount;
	for (i = 0; i < *count_r && i < 8; i++) {
		const struct RowPropertyValue *v = out->responses[2].u.RopQueryRows.RowData[i].Values;

		rows[i].id = (int64_t)v[0].Value.u.d;
		snprintf(rows[i].name, sizeof(rows[i].name), "%s",
			 v[1].Value.u.str ? v[1].Value.u.str : "");
		rows[i].rights = v[2].Value.u.l;
		rows[i].eid_len = v[3].Value.u.bin.cb;
	}
	return ecSuccess;
}

/* alice and bob have mailboxes; alice has Inbox open at handle index 1 */
static void setup_mailboxes(struct fixture *f, TALLOC_CTX *mem)
{
	uint64_t bob_fids[13];
	uint8_t flags = 0;

	assert_int_equal(do_logon(&f->bob, mem, BOB_DN, 0, bob_fids, &flags), ecSuccess);
	assert_int_equal(flags, 0x07);	/* owner: Reserved | OwnerRight | SendAsRight */
	assert_int_equal(do_logon(&f->alice, mem, ALICE_DN, 0, f->fids, NULL), ecSuccess);
	assert_int_equal(open_folder(&f->alice, mem, 0, 0, 1, f->fids[FID_INBOX]),
			 ecSuccess);
}

/* ---- the permission ROPs ---- */

static void test_permissions_table(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue v[2];
	struct perm_row rows[8];
	uint32_t n = 0;

	setup_mailboxes(f, f);
	/* [MS-OXCPERM] 3.2.5.2: a new folder shows Anonymous and Default */
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0, rows, &n), ecSuccess);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, -1);
	assert_string_equal(rows[0].name, "Anonymous");
	assert_int_equal(rows[1].id, 0);
	assert_int_equal(rows[0].rights, 0);
	assert_int_equal(rows[1].rights, 0);
	assert_int_equal(rows[1].eid_len, 0);

	/* AddRow bob with FreeBusy bits but no IncludeFreeBusy: not kept */
	assert_int_equal(grant(f, f, 1, BOB_DN, EMSMDB_ACL_REVIEWER |
			       frightsFreeBusySimple, 0), ecSuccess);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0x02, rows, &n), ecSuccess);
	assert_int_equal(n, 3);
	assert_int_equal(rows[2].id, 1);
	assert_string_equal(rows[2].name, "Bob");
	assert_int_equal(rows[2].rights, EMSMDB_ACL_REVIEWER);
	assert_int_equal(rows[2].eid_len, 28 + strlen(BOB_DN) + 1);

	/* with IncludeFreeBusy they are; the table shows them only with its flag */
	assert_int_equal(grant(f, f, 1, BOB_DN, EMSMDB_ACL_REVIEWER |
			       frightsFreeBusyDetailed, 0x02), ecSuccess);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0x02, rows, &n), ecSuccess);
	assert_int_equal(n, 3);	/* the same member, updated */
	assert_int_equal(rows[2].rights, EMSMDB_ACL_REVIEWER | frightsFreeBusyDetailed);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0x00, rows, &n), ecSuccess);
	assert_int_equal(rows[2].rights, EMSMDB_ACL_REVIEWER);

	/* ModifyRow of the Default member by ID */
	id_value(0, &v[0]);
	rights_value(frightsVisible, &v[1]);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x02, v, 2), ecSuccess);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0, rows, &n), ecSuccess);
	assert_int_equal(rows[1].id, 0);
	assert_int_equal(rows[1].rights, frightsVisible);

	/* errors: unknown member, unknown user, malformed entry ID, missing
	 * values, unknown flags, ModifyRow with ReplaceRows */
	id_value(77, &v[0]);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x02, v, 2), ecNotFound);
	assert_int_equal(grant(f, f, 1, DN_PREFIX "nobody", frightsReadAny, 0), ecNotFound);
	v[0].PropertyTag = PidTagEntryId;
	v[0].Value.PropertyType = PtypBinary;
	v[0].Value.u.bin.cb = 5;
	v[0].Value.u.bin.lpb = (uint8_t *)(uintptr_t)"abcde";
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x01, v, 2), ecInvalidParam);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x01, v, 1), ecInvalidParam);
	id_value(1, &v[0]);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x08, v, 2), ecInvalidParam);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0x01, 0x02, v, 2), ecInvalidParam);

	/* ReplaceRows: bob goes, carol comes, Default stays */
	assert_int_equal(do_logon(&f->bob, f, BOB_DN, 0, NULL, NULL), ecSuccess);
	{
		struct client carol = { 0 };
		uint64_t fids[13];

		carol.s = emsmdb_session_new(&f->t.cfg);
		carol.s->account = talloc_strdup(carol.s, "carol");
		carol.s->user_dn = talloc_strdup(carol.s, CAROL_DN);
		carol.s->display_name = talloc_strdup(carol.s, "Carol");
		carol.s->cpid = 1252;
		memset(carol.handles, 0xFF, sizeof(carol.handles));
		assert_int_equal(do_logon(&carol, f, CAROL_DN, 0, fids, NULL), ecSuccess);
		emsmdb_session_free(carol.s);
	}
	assert_int_equal(grant(f, f, 1, CAROL_DN, frightsReadAny, 0x01), ecSuccess);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0, rows, &n), ecSuccess);
	assert_int_equal(n, 3);
	assert_int_equal(rows[1].rights, frightsVisible);
	assert_string_equal(rows[2].name, "Carol");
	assert_int_equal(rows[2].id, 1);

	/* RemoveRow */
	id_value(1, &v[0]);
	assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x04, v, 1), ecSuccess);
	assert_int_equal(read_table(&f->alice, f, 0, 1, 0, rows, &n), ecSuccess);
	assert_int_equal(n, 2);
	fixture_free(f);
}

/* PidTagRights / PidTagAccess / PidTagAccessLevel of the folder at @index */
static void folder_rights(struct client *c, TALLOC_CTX *mem, uint8_t logon,
			  uint8_t index, uint32_t out[3])
{
	static const uint32_t tags[] = { PidTagRights, PidTagAccess, PidTagAccessLevel };
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_response *resp;
	uint32_t i;

	r.LogonId = logon;
	r.u.RopGetPropertiesSpecific.InputHandleIndex = index;
	r.u.RopGetPropertiesSpecific.PropertySizeLimit = 0;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = 3;
	r.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
	run_columns = tags;
	run_column_count = 3;
	assert_int_equal(run1(c, mem, &r, &resp), ecSuccess);
	run_columns = NULL;
	run_column_count = 0;
	for (i = 0; i < 3; i++) {
		out[i] = resp->u.RopGetPropertiesSpecific.RowData.Values[i].Value.u.l;
	}
}

/* alice saves a message with @subject in the folder at @index; its MID */
static uint64_t save_message(struct client *c, TALLOC_CTX *mem, uint8_t logon,
			     uint8_t in, uint64_t fid, uint8_t out_index, uint32_t expect)
{
	struct rop_request r[2];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateMessage;
	r[0].LogonId = logon;
	r[0].u.RopCreateMessage.InputHandleIndex = in;
	r[0].u.RopCreateMessage.OutputHandleIndex = out_index;
	r[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[0].u.RopCreateMessage.FolderId = fid;
	r[1].RopId = RopSaveChangesMessage;
	r[1].LogonId = logon;
	r[1].u.RopSaveChangesMessage.ResponseHandleIndex = out_index;
	r[1].u.RopSaveChangesMessage.InputHandleIndex = out_index;
	r[1].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(c, mem, r, 2);
	assert_int_equal(rv(&out->responses[0]), expect);
	if (expect != ecSuccess) {
		return 0;
	}
	assert_int_equal(rv(&out->responses[1]), ecSuccess);
	return out->responses[1].u.RopSaveChangesMessage.MessageId;
}

static uint32_t open_message(struct client *c, TALLOC_CTX *mem, uint8_t logon,
			     uint8_t in, uint64_t fid, uint64_t mid)
{
	struct rop_request r = { .RopId = RopOpenMessage };

	r.LogonId = logon;
	r.u.RopOpenMessage.InputHandleIndex = in;
	r.u.RopOpenMessage.OutputHandleIndex = 6;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = fid;
	r.u.RopOpenMessage.OpenModeFlags = 0;
	r.u.RopOpenMessage.MessageId = mid;
	return run1(c, mem, &r, NULL);
}

static void test_delegate(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r;
	struct perm_row rows[8];
	uint64_t bob_view[13], mid, mids[1];
	uint32_t props[3], n = 0;
	uint8_t flags = 0;

	setup_mailboxes(f, f);
	mid = save_message(&f->alice, f, 0, 1, f->fids[FID_INBOX], 2, ecSuccess);
	assert_int_not_equal(mid, 0);
	/* the owner's rights are unchanged */
	folder_rights(&f->alice, f, 0, 1, props);
	assert_int_equal(props[0], 0x7FB);

	/* no rights anywhere: the logon is refused ([MS-OXCSTOR] 3.2.5.1.1) */
	assert_int_equal(do_logon(&f->bob, f, ALICE_DN, 1, NULL, NULL), ecLoginPerm);
	/* nor can one name a mailbox that does not exist, or a foreign DN */
	assert_int_equal(do_logon(&f->bob, f, DN_PREFIX "nobody", 1, NULL, NULL),
			 ecLoginPerm);
	assert_int_equal(do_logon(&f->bob, f, "/o=Other/cn=alice", 1, NULL, NULL),
			 ecLoginPerm);

	/* alice grants bob Reviewer on her Inbox */
	assert_int_equal(grant(f, f, 1, BOB_DN, EMSMDB_ACL_REVIEWER, 0), ecSuccess);
	assert_int_equal(do_logon(&f->bob, f, ALICE_DN, 1, bob_view, &flags), ecSuccess);
	assert_memory_equal(bob_view, f->fids, sizeof(bob_view));
	assert_int_equal(flags, 0x01);	/* neither OwnerRight nor SendAsRight */

	/* bob can open and read the Inbox */
	assert_int_equal(open_folder(&f->bob, f, 1, 1, 2, f->fids[FID_INBOX]), ecSuccess);
	folder_rights(&f->bob, f, 1, 2, props);
	assert_int_equal(props[0], EMSMDB_ACL_REVIEWER);
	assert_int_equal(props[1], 0x02);	/* read */
	assert_int_equal(props[2], 0);		/* read-only */
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetContentsTable;
	r.LogonId = 1;
	r.u.RopGetContentsTable.InputHandleIndex = 2;
	r.u.RopGetContentsTable.OutputHandleIndex = 3;
	{
		struct rop_response *resp;

		assert_int_equal(run1(&f->bob, f, &r, &resp), ecSuccess);
		assert_int_equal(resp->u.RopGetContentsTable.RowCount, 1);
	}
	assert_int_equal(open_message(&f->bob, f, 1, 2, f->fids[FID_INBOX], mid), ecSuccess);
	/* the permissions table is readable, not writable */
	assert_int_equal(read_table(&f->bob, f, 1, 2, 0, rows, &n), ecSuccess);
	assert_int_equal(n, 3);
	{
		struct TaggedPropertyValue v[2];

		id_value(1, &v[0]);
		rights_value(EMSMDB_ACL_OWNER_RIGHTS, &v[1]);
		assert_int_equal(modify(&f->bob, f, 1, 2, 0, 0x02, v, 2), ecAccessDenied);
	}
	/* ... but not create, delete, or make folders */
	assert_int_equal(save_message(&f->bob, f, 1, 2, f->fids[FID_INBOX], 4, ecAccessDenied), 0);
	memset(&r, 0, sizeof(r));
	r.RopId = RopDeleteMessages;
	r.LogonId = 1;
	r.u.RopDeleteMessages.InputHandleIndex = 2;
	r.u.RopDeleteMessages.MessageIdCount = 1;
	mids[0] = mid;
	r.u.RopDeleteMessages.MessageIds = mids;
	assert_int_equal(run1(&f->bob, f, &r, NULL), ecAccessDenied);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateFolder;
	r.LogonId = 1;
	r.u.RopCreateFolder.InputHandleIndex = 2;
	r.u.RopCreateFolder.OutputHandleIndex = 4;
	r.u.RopCreateFolder.FolderType = 1;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"sub";
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	assert_int_equal(run1(&f->bob, f, &r, NULL), ecAccessDenied);
	memset(&r, 0, sizeof(r));
	r.RopId = RopEmptyFolder;
	r.LogonId = 1;
	r.u.RopEmptyFolder.InputHandleIndex = 2;
	assert_int_equal(run1(&f->bob, f, &r, NULL), ecAccessDenied);

	/* a folder created below the Inbox starts with its list */
	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateFolder;
	r.u.RopCreateFolder.InputHandleIndex = 1;
	r.u.RopCreateFolder.OutputHandleIndex = 3;
	r.u.RopCreateFolder.FolderType = 1;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"kid";
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	{
		struct rop_response *resp;
		uint64_t kid;

		assert_int_equal(run1(&f->alice, f, &r, &resp), ecSuccess);
		kid = resp->u.RopCreateFolder.FolderId;
		assert_int_equal(open_folder(&f->bob, f, 1, 1, 4, kid), ecSuccess);
		folder_rights(&f->bob, f, 1, 4, props);
		assert_int_equal(props[0], EMSMDB_ACL_REVIEWER);
		/* deleted, its list goes with it */
		memset(&r, 0, sizeof(r));
		r.RopId = RopDeleteFolder;
		r.u.RopDeleteFolder.InputHandleIndex = 1;
		r.u.RopDeleteFolder.FolderId = kid;
		assert_int_equal(run1(&f->alice, f, &r, NULL), ecSuccess);
		{
			struct openchangedb_acl_entry *list = NULL;
			uint32_t count = 1;

			assert_int_equal(openchangedb_acl_get(f, f->alice.s->ocdb, "alice",
							      kid, &list, &count),
					 MAPISTORE_SUCCESS);
			assert_int_equal(count, 0);
		}
	}
	/* a folder without rights is refused (here the mailbox root) */
	assert_int_equal(open_folder(&f->bob, f, 1, 1, 4, f->fids[FID_ROOT]), ecAccessDenied);
	/* the message is still there for alice */
	assert_int_equal(open_message(&f->alice, f, 0, 1, f->fids[FID_INBOX], mid), ecSuccess);

	/* Author-like rights: bob creates, then edits and deletes his own */
	assert_int_equal(grant(f, f, 1, BOB_DN, EMSMDB_ACL_REVIEWER | frightsCreate |
			       frightsEditOwned | frightsDeleteOwned, 0), ecSuccess);
	{
		uint64_t own = save_message(&f->bob, f, 1, 2, f->fids[FID_INBOX], 4, ecSuccess);

		assert_int_not_equal(own, 0);
		mids[0] = own;
		memset(&r, 0, sizeof(r));
		r.RopId = RopDeleteMessages;
		r.LogonId = 1;
		r.u.RopDeleteMessages.InputHandleIndex = 2;
		r.u.RopDeleteMessages.MessageIdCount = 1;
		r.u.RopDeleteMessages.MessageIds = mids;
		assert_int_equal(run1(&f->bob, f, &r, NULL), ecSuccess);
		mids[0] = mid;		/* alice's: not his */
		assert_int_equal(run1(&f->bob, f, &r, NULL), ecAccessDenied);
	}

	/* alice revokes: bob's next access and his next logon are refused */
	{
		struct TaggedPropertyValue v[1];

		id_value(1, &v[0]);
		assert_int_equal(modify(&f->alice, f, 0, 1, 0, 0x04, v, 1), ecSuccess);
	}
	assert_int_equal(open_folder(&f->bob, f, 1, 1, 5, f->fids[FID_INBOX]), ecAccessDenied);
	assert_int_equal(do_logon(&f->bob, f, ALICE_DN, 1, NULL, NULL), ecLoginPerm);
	/* bob's own mailbox is untouched by all this */
	assert_int_equal(do_logon(&f->bob, f, BOB_DN, 0, bob_view, &flags), ecSuccess);
	assert_int_equal(flags, 0x07);
	fixture_free(f);
}

/*
 * Every enforced handler, for a delegate with frightsVisible only: what
 * needs no more succeeds, everything else answers ecAccessDenied.
 */
static void test_enforced(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue comment;
	static const uint32_t comment_tag = 0x3004001F;	/* PidTagComment */
	struct rop_request r;
	struct rop_response *resp;
	uint64_t mid, sub, mids[1];
	size_t i;
	enum {
		C_HIERARCHY, C_PERMTABLE, C_CONTENTS, C_OPENMSG, C_CREATEMSG,
		C_DELETE, C_HARDDELETE, C_EMPTY, C_MKDIR, C_RMDIR, C_SETPROPS,
		C_DELPROPS, C_COPY, C_SYNC_CONTENTS, C_FXCOPY, C_MODIFY,
		C_OPEN_SUB, C_SETRECEIVE, C_READFLAGS, C_MSGSTATUS, C_COPYTO,
		C_COPYPROPS, C_MOVEFOLDER, C_COPYFOLDER, C_FXDEST, C_COUNT
	};
	/* expect: with frightsVisible only; all: with every right on the
	 * Inbox (SKIP: destructive, or needs rights elsewhere) */
	static const struct {
		const char *what;
		uint32_t expect, all;
	} cases[C_COUNT] = {
		[C_HIERARCHY] = { "RopGetHierarchyTable", ecSuccess, ecSuccess },
		[C_PERMTABLE] = { "RopGetPermissionsTable", ecSuccess, ecSuccess },
		[C_CONTENTS] = { "RopGetContentsTable", ecAccessDenied, ecSuccess },
		[C_OPENMSG] = { "RopOpenMessage", ecAccessDenied, ecSuccess },
		[C_CREATEMSG] = { "RopCreateMessage", ecAccessDenied, ecSuccess },
		[C_DELETE] = { "RopDeleteMessages", ecAccessDenied, SKIP },
		[C_HARDDELETE] = { "RopHardDeleteMessages", ecAccessDenied, SKIP },
		[C_EMPTY] = { "RopEmptyFolder", ecAccessDenied, SKIP },
		[C_MKDIR] = { "RopCreateFolder", ecAccessDenied, ecSuccess },
		[C_RMDIR] = { "RopDeleteFolder", ecAccessDenied, ecAccessDenied },
		[C_SETPROPS] = { "RopSetProperties", ecAccessDenied, ecSuccess },
		[C_DELPROPS] = { "RopDeleteProperties", ecAccessDenied, ecSuccess },
		[C_COPY] = { "RopMoveCopyMessages", ecAccessDenied, ecSuccess },
		[C_SYNC_CONTENTS] = { "RopSynchronizationConfigure", ecAccessDenied, ecSuccess },
		[C_FXCOPY] = { "RopFastTransferSourceCopyMessages", ecAccessDenied, ecSuccess },
		[C_MODIFY] = { "RopModifyPermissions", ecAccessDenied, ecSuccess },
		[C_OPEN_SUB] = { "RopOpenFolder", ecAccessDenied, ecAccessDenied },
		[C_SETRECEIVE] = { "RopSetReceiveFolder", ecAccessDenied, ecAccessDenied },
		/* the dispatcher's table (emsmdb_acl_enter) */
		[C_READFLAGS] = { "RopSetReadFlags", ecAccessDenied, ecSuccess },
		[C_MSGSTATUS] = { "RopSetMessageStatus", ecAccessDenied, ecSuccess },
		[C_COPYTO] = { "RopCopyTo", ecAccessDenied, SKIP },
		[C_COPYPROPS] = { "RopCopyProperties", ecAccessDenied, SKIP },
		[C_MOVEFOLDER] = { "RopMoveFolder", ecAccessDenied, SKIP },
		[C_COPYFOLDER] = { "RopCopyFolder", ecAccessDenied, SKIP },
		[C_FXDEST] = { "RopFastTransferDestinationConfigure", ecAccessDenied, SKIP },
	};
	unsigned pass;

	setup_mailboxes(f, f);
	mid = save_message(&f->alice, f, 0, 1, f->fids[FID_INBOX], 2, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateFolder;
	r.u.RopCreateFolder.InputHandleIndex = 1;
	r.u.RopCreateFolder.OutputHandleIndex = 3;
	r.u.RopCreateFolder.FolderType = 1;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"sub";
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	assert_int_equal(run1(&f->alice, f, &r, &resp), ecSuccess);
	sub = resp->u.RopCreateFolder.FolderId;
	assert_int_equal(grant(f, f, 1, BOB_DN, frightsVisible, 0), ecSuccess);
	assert_int_equal(do_logon(&f->bob, f, ALICE_DN, 1, NULL, NULL), ecSuccess);
	comment.PropertyTag = comment_tag;
	comment.Value.PropertyType = PtypString;
	comment.Value.u.str = (char *)(uintptr_t)"x";
	mids[0] = mid;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			/* the same requests with every right on the Inbox: the refusals
			 * above were the permissions' */
			assert_int_equal(grant(f, f, 1, BOB_DN, EMSMDB_ACL_OWNER_RIGHTS, 0x02),
					 ecSuccess);
		}
		for (i = 0; i < C_COUNT; i++) {
			uint32_t got, expect = pass == 0 ? cases[i].expect : cases[i].all;

			if (expect == SKIP) {
				continue;
			}
			/* the Inbox at handle 2 of bob's delegate logon (LogonId 1) */
			assert_int_equal(open_folder(&f->bob, f, 1, 1, 2, f->fids[FID_INBOX]),
					 ecSuccess);
			memset(&r, 0, sizeof(r));
			r.LogonId = 1;
			switch (i) {
			case C_HIERARCHY:
				r.RopId = RopGetHierarchyTable;
				r.u.RopGetHierarchyTable.InputHandleIndex = 2;
				r.u.RopGetHierarchyTable.OutputHandleIndex = 3;
				break;
			case C_PERMTABLE:
				r.RopId = RopGetPermissionsTable;
				r.u.RopGetPermissionsTable.InputHandleIndex = 2;
				r.u.RopGetPermissionsTable.OutputHandleIndex = 3;
				break;
			case C_CONTENTS:
				r.RopId = RopGetContentsTable;
				r.u.RopGetContentsTable.InputHandleIndex = 2;
				r.u.RopGetContentsTable.OutputHandleIndex = 3;
				break;
			case C_OPENMSG:
				r.RopId = RopOpenMessage;
				r.u.RopOpenMessage.InputHandleIndex = 2;
				r.u.RopOpenMessage.OutputHandleIndex = 3;
				r.u.RopOpenMessage.CodePageId = 0x0FFF;
				r.u.RopOpenMessage.FolderId = f->fids[FID_INBOX];
				r.u.RopOpenMessage.MessageId = mid;
				break;
			case C_CREATEMSG:
				r.RopId = RopCreateMessage;
				r.u.RopCreateMessage.InputHandleIndex = 2;
				r.u.RopCreateMessage.OutputHandleIndex = 3;
				r.u.RopCreateMessage.CodePageId = 0x0FFF;
				r.u.RopCreateMessage.FolderId = f->fids[FID_INBOX];
				break;
			case C_DELETE:
				r.RopId = RopDeleteMessages;
				r.u.RopDeleteMessages.InputHandleIndex = 2;
				r.u.RopDeleteMessages.MessageIdCount = 1;
				r.u.RopDeleteMessages.MessageIds = mids;
				break;
			case C_HARDDELETE:
				r.RopId = RopHardDeleteMessages;
				r.u.RopHardDeleteMessages.InputHandleIndex = 2;
				r.u.RopHardDeleteMessages.MessageIdCount = 1;
				r.u.RopHardDeleteMessages.MessageIds = mids;
				break;
			case C_EMPTY:
				r.RopId = RopEmptyFolder;
				r.u.RopEmptyFolder.InputHandleIndex = 2;
				break;
			case C_MKDIR:
				r.RopId = RopCreateFolder;
				r.u.RopCreateFolder.InputHandleIndex = 2;
				r.u.RopCreateFolder.OutputHandleIndex = 3;
				r.u.RopCreateFolder.FolderType = 1;
				r.u.RopCreateFolder.UseUnicodeStrings = 1;
				r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"other";
				r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
				break;
			case C_RMDIR:
				r.RopId = RopDeleteFolder;
				r.u.RopDeleteFolder.InputHandleIndex = 2;
				r.u.RopDeleteFolder.FolderId = sub;
				break;
			case C_SETPROPS:
				r.RopId = RopSetProperties;
				r.u.RopSetProperties.InputHandleIndex = 2;
				r.u.RopSetProperties.PropertyValueCount = 1;
				r.u.RopSetProperties.PropertyValues = &comment;
				break;
			case C_DELPROPS:
				r.RopId = RopDeleteProperties;
				r.u.RopDeleteProperties.InputHandleIndex = 2;
				r.u.RopDeleteProperties.PropertyTagCount = 1;
				r.u.RopDeleteProperties.PropertyTags = (uint32_t *)(uintptr_t)&comment_tag;
				break;
			case C_COPY:
				r.RopId = RopMoveCopyMessages;
				r.u.RopMoveCopyMessages.SourceHandleIndex = 2;
				r.u.RopMoveCopyMessages.DestHandleIndex = 2;
				r.u.RopMoveCopyMessages.MessageIdCount = 1;
				r.u.RopMoveCopyMessages.MessageIds = mids;
				r.u.RopMoveCopyMessages.WantCopy = 1;
				break;
			case C_SYNC_CONTENTS:
				r.RopId = RopSynchronizationConfigure;
				r.u.RopSynchronizationConfigure.InputHandleIndex = 2;
				r.u.RopSynchronizationConfigure.OutputHandleIndex = 3;
				r.u.RopSynchronizationConfigure.SynchronizationType = 0x01;
				break;
			case C_FXCOPY:
				r.RopId = RopFastTransferSourceCopyMessages;
				r.u.RopFastTransferSourceCopyMessages.InputHandleIndex = 2;
				r.u.RopFastTransferSourceCopyMessages.OutputHandleIndex = 3;
				r.u.RopFastTransferSourceCopyMessages.MessageIdCount = 1;
				r.u.RopFastTransferSourceCopyMessages.MessageIds = mids;
				break;
			case C_MODIFY:
				r.RopId = RopModifyPermissions;
				r.u.RopModifyPermissions.InputHandleIndex = 2;
				break;
			case C_OPEN_SUB:
				r.RopId = RopOpenFolder;
				r.u.RopOpenFolder.InputHandleIndex = 2;
				r.u.RopOpenFolder.OutputHandleIndex = 3;
				r.u.RopOpenFolder.FolderId = sub;
				break;
			case C_SETRECEIVE:
				r.RopId = RopSetReceiveFolder;
				r.u.RopSetReceiveFolder.InputHandleIndex = 1;
				r.u.RopSetReceiveFolder.FolderId = f->fids[FID_INBOX];
				r.u.RopSetReceiveFolder.MessageClass = (char *)(uintptr_t)"IPM.Note";
				break;
			case C_READFLAGS:
				r.RopId = RopSetReadFlags;
				r.u.RopSetReadFlags.InputHandleIndex = 2;
				r.u.RopSetReadFlags.MessageIdCount = 1;
				r.u.RopSetReadFlags.MessageIds = mids;
				break;
			case C_MSGSTATUS:
				r.RopId = RopSetMessageStatus;
				r.u.RopSetMessageStatus.InputHandleIndex = 2;
				r.u.RopSetMessageStatus.MessageId = mid;
				r.u.RopSetMessageStatus.MessageStatusFlags = 0x1000;
				r.u.RopSetMessageStatus.MessageStatusMask = 0x1000;
				break;
			case C_COPYTO:
				r.RopId = RopCopyTo;
				r.u.RopCopyTo.SourceHandleIndex = 2;
				r.u.RopCopyTo.DestHandleIndex = 2;
				break;
			case C_COPYPROPS:
				r.RopId = RopCopyProperties;
				r.u.RopCopyProperties.SourceHandleIndex = 2;
				r.u.RopCopyProperties.DestHandleIndex = 2;
				r.u.RopCopyProperties.PropertyTagCount = 1;
				r.u.RopCopyProperties.PropertyTags = (uint32_t *)(uintptr_t)&comment_tag;
				break;
			case C_MOVEFOLDER:
				r.RopId = RopMoveFolder;
				r.u.RopMoveFolder.SourceHandleIndex = 2;
				r.u.RopMoveFolder.DestHandleIndex = 2;
				r.u.RopMoveFolder.UseUnicode = 1;
				r.u.RopMoveFolder.FolderId = sub;
				r.u.RopMoveFolder.NewFolderName = (char *)(uintptr_t)"moved";
				break;
			case C_COPYFOLDER:
				r.RopId = RopCopyFolder;
				r.u.RopCopyFolder.SourceHandleIndex = 2;
				r.u.RopCopyFolder.DestHandleIndex = 2;
				r.u.RopCopyFolder.UseUnicode = 1;
				r.u.RopCopyFolder.FolderId = sub;
				r.u.RopCopyFolder.NewFolderName = (char *)(uintptr_t)"copied";
				break;
			case C_FXDEST:
				r.RopId = RopFastTransferDestinationConfigure;
				r.u.RopFastTransferDestinationConfigure.InputHandleIndex = 2;
				r.u.RopFastTransferDestinationConfigure.OutputHandleIndex = 3;
				r.u.RopFastTransferDestinationConfigure.SourceOperation = 0x01;
				break;
			default:
				fail();
			}
			got = run1(&f->bob, f, &r, NULL);
			if (got != expect) {
				fail_msg("%s (pass %u): 0x%08x, expected 0x%08x", cases[i].what,
					 pass, got, expect);
			}
		}
	}
	/* nothing changed for the owner */
	assert_int_equal(open_message(&f->alice, f, 0, 1, f->fids[FID_INBOX], mid), ecSuccess);
	assert_int_equal(open_folder(&f->alice, f, 0, 0, 3, sub), ecSuccess);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_permissions_table, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_delegate, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_enforced, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

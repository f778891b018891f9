/*
 * Issue-7 copies through the dispatcher on a real mapistore (the memory
 * backend; each special folder is its own backend context, so moves
 * between the Inbox and Deleted Items take the generic tree copy):
 * RopMoveFolder / RopCopyFolder ([MS-OXCFOLD] 2.2.1.7, 2.2.1.8) and
 * RopCopyProperties / RopCopyTo ([MS-OXCPRPT] 2.2.10, 2.2.11).
 */
#include "test_oxc_copy_fixture.h"
#include "oxcmsg_attach.h"

#include <string.h>

#define PidTagBodyT 0x1000001F
#define DELETED_ITEMS 7
#define IPM_SUBTREE 3

static uint32_t move_copy(struct copy_fixture *f, uint16_t rop, uint8_t src, uint8_t dst,
			  uint64_t fid, const char *name, uint8_t recursive,
			  struct rop_response **resp_r)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = rop;
	if (rop == RopMoveFolder) {
		r.u.RopMoveFolder.SourceHandleIndex = src;
		r.u.RopMoveFolder.DestHandleIndex = dst;
		r.u.RopMoveFolder.WantAsynchronous = 1;
		r.u.RopMoveFolder.UseUnicode = 1;
		r.u.RopMoveFolder.FolderId = fid;
		r.u.RopMoveFolder.NewFolderName = (char *)(uintptr_t)name;
	} else {
		r.u.RopCopyFolder.SourceHandleIndex = src;
		r.u.RopCopyFolder.DestHandleIndex = dst;
		r.u.RopCopyFolder.WantRecursive = recursive;
		r.u.RopCopyFolder.UseUnicode = 1;
		r.u.RopCopyFolder.FolderId = fid;
		r.u.RopCopyFolder.NewFolderName = (char *)(uintptr_t)name;
	}
	return cf_one(f, &r, resp_r);
}

/* Inbox(1)/A(2)/B(3) with one message in A; Inbox/Dest(4) */
static uint64_t make_tree(struct copy_fixture *f, uint64_t *b_r, uint64_t *dest_r)
{
	uint64_t a;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	a = cf_create_folder(f, 1, "A", 2);
	*b_r = cf_create_folder(f, 2, "B", 3);
	cf_make_message(f, 2, a, "in A");
	*dest_r = cf_create_folder(f, 1, "Dest", 4);
	return a;
}

static void test_move_folder(void **state)
{
	struct copy_fixture *f = cf_new(*state, "mvf");
	struct oxcdata_binary *dest_key, *parent_key;
	struct rop_response *resp;
	uint64_t a, b, dest, moved, again;

	a = make_tree(f, &b, &dest);
	dest_key = cf_get_bin(f, f, 4, PidTagSourceKey);
	/* within one backend context: the FID stays */
	assert_int_equal(move_copy(f, RopMoveFolder, 1, 4, a, "A2", 0, &resp), ecSuccess);
	assert_int_equal(resp->u.RopMoveFolder.PartialCompletion, 0);
	assert_int_equal(cf_child(f, 1, "A"), 0);
	assert_int_equal(cf_child(f, 4, "A2"), a);
	cf_open_folder(f, a, 5);
	assert_int_equal(cf_child(f, 5, "B"), b);
	assert_int_equal(cf_count(f, 5, false), 1);
	assert_string_equal(cf_get_str(f, f, 5, PidTagDisplayName), "A2");
	/* ICS sees the folder under its new parent ([MS-OXCFXICS] 2.2.1.2.6
	 * PidTagParentSourceKey) */
	parent_key = cf_get_bin(f, f, 5, 0x65E10102 /* PidTagParentSourceKey */);
	assert_non_null(dest_key);
	assert_non_null(parent_key);
	assert_int_equal(parent_key->cb, dest_key->cb);
	assert_memory_equal(parent_key->lpb, dest_key->lpb, dest_key->cb);
	/* to another backend context (Deleted Items): the tree is recreated */
	cf_open_folder(f, f->fids[DELETED_ITEMS], 6);
	assert_int_equal(move_copy(f, RopMoveFolder, 4, 6, a, "A3", 0, NULL), ecSuccess);
	assert_int_equal(cf_child(f, 4, "A2"), 0);
	moved = cf_child(f, 6, "A3");
	assert_true(moved != 0);
	cf_open_folder(f, moved, 7);
	assert_int_equal(cf_count(f, 7, false), 1);
	assert_true(cf_child(f, 7, "B") != 0);
	/* and back */
	assert_int_equal(move_copy(f, RopMoveFolder, 6, 1, moved, "A", 0, NULL), ecSuccess);
	again = cf_child(f, 1, "A");
	assert_true(again != 0);
	assert_int_equal(cf_child(f, 6, "A3"), 0);
	cf_free(f);
}

/* [MS-OXCFOLD] 3.2.5.7 / 3.2.5.8 error paths, both ROPs */
static void test_move_folder_errors(void **state)
{
	struct copy_fixture *f = cf_new(*state, "mve");
	struct rop_response *resp;
	uint64_t a, b, dest;
	struct {
		const char *what;
		uint8_t src, dst;
		uint64_t fid;
		const char *name;
		uint32_t expect;
	} cases[9];
	size_t i, k;
	uint16_t rops[2] = { RopMoveFolder, RopCopyFolder };

	a = make_tree(f, &b, &dest);
	cf_open_folder(f, f->fids[IPM_SUBTREE], 5);
	cases[0] = (typeof(cases[0])){ "no destination", 1, 9, a, "X", ecDstNullObject };
	cases[1] = (typeof(cases[0])){ "not a child", 1, 4, b, "X", ecNotFound };
	cases[2] = (typeof(cases[0])){ "no such folder", 1, 4, a + 0x7770000, "X", ecNotFound };
	cases[3] = (typeof(cases[0])){ "special folder", 5, 4, f->fids[CF_INBOX], "X",
				       ecAccessDenied };
	cases[4] = (typeof(cases[0])){ "into itself", 1, 2, a, "X", ecFolderCycle };
	cases[5] = (typeof(cases[0])){ "into its subtree", 1, 3, a, "X", ecFolderCycle };
	cases[6] = (typeof(cases[0])){ "duplicate", 1, 1, a, "Dest", ecDuplicateName };
	cases[7] = (typeof(cases[0])){ "empty name", 1, 4, a, "", ecInvalidParam };
	cases[8] = (typeof(cases[0])){ "system destination", 1, 5, a, "X", ecNotSupported };
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			uint32_t ec = move_copy(f, rops[k], cases[i].src, cases[i].dst, cases[i].fid,
						cases[i].name, 1, &resp);

			if (ec != cases[i].expect) {
				fail_msg("%s (RopId 0x%02x): 0x%08x, expected 0x%08x", cases[i].what,
					 rops[k], ec, cases[i].expect);
			}
		}
		/* ecDstNullObject names the index ([MS-OXCROPS] 2.2.4.7.3) */
		assert_int_equal(move_copy(f, rops[k], 1, 9, a, "X", 1, &resp), ecDstNullObject);
		assert_int_equal(resp->u.RopMoveFolder.DestHandleIndex, 9);
	}
	/* nothing moved */
	assert_int_equal(cf_child(f, 1, "A"), a);
	cf_free(f);
}

static void test_copy_folder(void **state)
{
	struct copy_fixture *f = cf_new(*state, "cpf");
	uint64_t a, b, dest, c1, c2, c3;

	a = make_tree(f, &b, &dest);
	/* not recursive: the folder and its messages */
	assert_int_equal(move_copy(f, RopCopyFolder, 1, 4, a, "C1", 0, NULL), ecSuccess);
	c1 = cf_child(f, 4, "C1");
	assert_true(c1 != 0 && c1 != a);
	cf_open_folder(f, c1, 5);
	assert_int_equal(cf_count(f, 5, false), 1);
	assert_int_equal(cf_count(f, 5, true), 0);
	/* recursive, same parent under another name */
	assert_int_equal(move_copy(f, RopCopyFolder, 1, 1, a, "C2", 1, NULL), ecSuccess);
	c2 = cf_child(f, 1, "C2");
	cf_open_folder(f, c2, 6);
	assert_int_equal(cf_count(f, 6, false), 1);
	assert_true(cf_child(f, 6, "B") != 0 && cf_child(f, 6, "B") != b);
	/* recursive into another backend context */
	cf_open_folder(f, f->fids[DELETED_ITEMS], 7);
	assert_int_equal(move_copy(f, RopCopyFolder, 1, 7, a, "C3", 1, NULL), ecSuccess);
	c3 = cf_child(f, 7, "C3");
	cf_open_folder(f, c3, 8);
	assert_int_equal(cf_count(f, 8, false), 1);
	assert_true(cf_child(f, 8, "B") != 0);
	/* the source is untouched */
	assert_int_equal(cf_child(f, 1, "A"), a);
	assert_int_equal(cf_count(f, 2, false), 1);
	assert_int_equal(cf_child(f, 2, "B"), b);
	cf_free(f);
}

/* run @r, which may be followed by RopNotify responses; the first
 * notification's data in *nd_r (false if none) */
static bool run_notified(struct copy_fixture *f, struct rop_request *r,
			 struct NotificationData *nd_r)
{
	struct emsmdb_test_rops rt = { .s = f->s, .handles = f->handles,
				       .handle_count = CF_NHANDLES };
	struct rop_buffer *out = emsmdb_test_run(&rt, f, r, 1);
	uint32_t i;

	assert_int_equal(cf_rv(&out->responses[0]), ecSuccess);
	for (i = 1; i < out->count; i++) {
		if (out->responses[i].RopId == RopNotify) {
			*nd_r = out->responses[i].u.RopNotify.NotificationData;
			return true;
		}
	}
	return false;
}

/* [MS-OXCNOTIF] 2.2.1.4.1: ObjectMoved / ObjectCopied for the folder at
 * its new place */
static void test_move_copy_notify(void **state)
{
	struct copy_fixture *f = cf_new(*state, "mvn");
	struct NotificationData nd;
	struct rop_request r;
	uint64_t a, b, dest, copy;

	a = make_tree(f, &b, &dest);
	memset(&r, 0, sizeof(r));
	r.RopId = RopRegisterNotification;
	r.u.RopRegisterNotification.OutputHandleIndex = 10;
	r.u.RopRegisterNotification.NotificationTypes = fnevObjectMoved | fnevObjectCopied;
	r.u.RopRegisterNotification.WantWholeStore = 1;
	assert_int_equal(cf_one(f, &r, NULL), ecSuccess);

	memset(&r, 0, sizeof(r));
	r.RopId = RopMoveFolder;
	r.u.RopMoveFolder.SourceHandleIndex = 1;
	r.u.RopMoveFolder.DestHandleIndex = 4;
	r.u.RopMoveFolder.UseUnicode = 1;
	r.u.RopMoveFolder.FolderId = a;
	r.u.RopMoveFolder.NewFolderName = (char *)(uintptr_t)"A moved";
	assert_true(run_notified(f, &r, &nd));
	assert_int_equal(nd.NotificationFlags & NotificationType_Mask, fnevObjectMoved);
	assert_int_equal(nd.FolderId, a);
	assert_int_equal(nd.ParentFolderId, dest);

	memset(&r, 0, sizeof(r));
	r.RopId = RopCopyFolder;
	r.u.RopCopyFolder.SourceHandleIndex = 4;
	r.u.RopCopyFolder.DestHandleIndex = 1;
	r.u.RopCopyFolder.UseUnicode = 1;
	r.u.RopCopyFolder.FolderId = a;
	r.u.RopCopyFolder.NewFolderName = (char *)(uintptr_t)"A copied";
	assert_true(run_notified(f, &r, &nd));
	copy = cf_child(f, 1, "A copied");
	assert_int_equal(nd.NotificationFlags & NotificationType_Mask, fnevObjectCopied);
	assert_int_equal(nd.FolderId, copy);
	assert_int_equal(nd.ParentFolderId, f->fids[CF_INBOX]);
	cf_free(f);
}

static uint32_t copy_props(struct copy_fixture *f, uint8_t src, uint8_t dst, uint8_t flags,
			   uint32_t *tags, uint16_t n, struct rop_response **resp_r)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = RopCopyProperties;
	r.u.RopCopyProperties.SourceHandleIndex = src;
	r.u.RopCopyProperties.DestHandleIndex = dst;
	r.u.RopCopyProperties.CopyFlags = flags;
	r.u.RopCopyProperties.PropertyTagCount = n;
	r.u.RopCopyProperties.PropertyTags = tags;
	return cf_one(f, &r, resp_r);
}

static uint32_t copy_to(struct copy_fixture *f, uint8_t src, uint8_t dst, uint8_t flags,
			uint8_t sub, uint32_t *excluded, uint16_t n, struct rop_response **resp_r)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = RopCopyTo;
	r.u.RopCopyTo.SourceHandleIndex = src;
	r.u.RopCopyTo.DestHandleIndex = dst;
	r.u.RopCopyTo.WantSubObjects = sub;
	r.u.RopCopyTo.CopyFlags = flags;
	r.u.RopCopyTo.ExcludedTagCount = n;
	r.u.RopCopyTo.ExcludedTags = excluded;
	return cf_one(f, &r, resp_r);
}

/* [MS-OXCPRPT] 3.2.5.7 on messages: problems, NoOverwrite, Move */
static void test_copy_properties(void **state)
{
	struct copy_fixture *f = cf_new(*state, "cpp");
	uint32_t tags[4] = { PidTagSubject, PidTagMid, 0x6FF0001F, PidTagBodyT };
	const struct RopCopyProperties_resp *cp;
	struct rop_response *resp;
	uint64_t m1, m2;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	m1 = cf_make_message(f, 1, f->fids[CF_INBOX], "from one");
	m2 = cf_make_message(f, 1, f->fids[CF_INBOX], "two");
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x01, 2), ecSuccess);
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x01, 3), ecSuccess);
	assert_int_equal(cf_set_str(f, 2, PidTagBodyT, "body one"), ecSuccess);
	assert_int_equal(copy_props(f, 2, 3, 0, tags, 4, &resp), ecSuccess);
	cp = &resp->u.RopCopyProperties;
	assert_int_equal(cp->PropertyProblemCount, 2);
	assert_int_equal(cp->PropertyProblems[0].Index, 1);
	assert_int_equal(cp->PropertyProblems[0].PropertyTag, PidTagMid);
	assert_int_equal(cp->PropertyProblems[0].ErrorCode, ecAccessDenied);
	assert_int_equal(cp->PropertyProblems[1].Index, 2);
	assert_int_equal(cp->PropertyProblems[1].ErrorCode, ecNotFound);
	assert_string_equal(cf_get_str(f, f, 3, PidTagSubject), "from one");
	assert_string_equal(cf_get_str(f, f, 3, PidTagBodyT), "body one");
	/* NoOverwrite keeps what the destination has */
	assert_int_equal(cf_set_str(f, 3, PidTagSubject, "keep"), ecSuccess);
	assert_int_equal(copy_props(f, 2, 3, CopyFlags_NoOverwrite, tags, 1, NULL), ecSuccess);
	assert_string_equal(cf_get_str(f, f, 3, PidTagSubject), "keep");
	/* Move deletes from the source */
	assert_int_equal(copy_props(f, 2, 3, CopyFlags_Move, tags, 1, NULL), ecSuccess);
	assert_string_equal(cf_get_str(f, f, 3, PidTagSubject), "from one");
	assert_false(cf_has(f, 2, PidTagSubject));
	/* not persisted before RopSaveChangesMessage ([MS-OXCPRPT] 3.2.5.7) */
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x00, 4), ecSuccess);
	assert_string_equal(cf_get_str(f, f, 4, PidTagSubject), "two");
	cf_free(f);
}

/* the checks both ROPs share */
static void test_copy_errors(void **state)
{
	struct copy_fixture *f = cf_new(*state, "cpe");
	uint32_t tags[1] = { PidTagSubject };
	struct rop_response *resp;
	uint64_t m1;
	size_t k;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	m1 = cf_make_message(f, 1, f->fids[CF_INBOX], "x");
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x01, 2), ecSuccess);
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x00, 3), ecSuccess);
	cf_open_folder(f, f->fids[DELETED_ITEMS], 4);
	for (k = 0; k < 2; k++) {
		uint32_t ec[6];

		if (k == 0) {
			ec[0] = copy_props(f, 2, 9, 0, tags, 1, &resp);
			assert_int_equal(resp->u.RopCopyProperties.DestHandleIndex, 9);
			ec[1] = copy_props(f, 2, 1, 0, tags, 1, NULL);
			ec[2] = copy_props(f, 2, 2, 0x04, tags, 1, NULL);
			ec[3] = copy_props(f, 1, 4, CopyFlags_Move, tags, 1, NULL);
			ec[4] = copy_props(f, 2, 3, 0, tags, 1, NULL);
			ec[5] = copy_props(f, 3, 2, CopyFlags_Move, tags, 1, NULL);
		} else {
			ec[0] = copy_to(f, 2, 9, 0, 0, NULL, 0, &resp);
			assert_int_equal(resp->u.RopCopyTo.DestHandleIndex, 9);
			ec[1] = copy_to(f, 2, 1, 0, 0, NULL, 0, NULL);
			ec[2] = copy_to(f, 2, 2, 0x04, 0, NULL, 0, NULL);
			ec[3] = copy_to(f, 1, 4, CopyFlags_Move, 0, NULL, 0, NULL);
			ec[4] = copy_to(f, 2, 3, 0, 0, NULL, 0, NULL);
			ec[5] = copy_to(f, 3, 2, CopyFlags_Move, 0, NULL, 0, NULL);
		}
		assert_int_equal(ec[0], ecDstNullObject);	/* no destination */
		assert_int_equal(ec[1], ecNotSupported);	/* message -> folder */
		assert_int_equal(ec[2], ecInvalidParam);	/* unknown CopyFlags bit */
		assert_int_equal(ec[3], ecNotSupported);	/* Move on folders */
		assert_int_equal(ec[4], ecAccessDenied);	/* read-only destination */
		assert_int_equal(ec[5], ecAccessDenied);	/* Move from read-only */
	}
	cf_free(f);
}

/* a saved message in the Inbox with one file attachment */
static uint64_t make_attached(struct copy_fixture *f, const char *filename)
{
	struct rop_request r[4];
	struct rop_buffer *out;
	struct TaggedPropertyValue v[2];
	uint64_t mid = cf_make_message(f, 1, f->fids[CF_INBOX], "with attachment");
	uint32_t i;

	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], mid, 0x01, 12), ecSuccess);
	memset(r, 0, sizeof(r));
	memset(v, 0, sizeof(v));
	v[0].PropertyTag = PidTagAttachMethod;
	v[0].Value.PropertyType = PtypInteger32;
	v[0].Value.u.l = afByValue;
	v[1].PropertyTag = PidTagAttachFilename;
	v[1].Value.PropertyType = PtypString;
	v[1].Value.u.str = (char *)(uintptr_t)filename;
	r[0].RopId = RopCreateAttachment;
	r[0].u.RopCreateAttachment.InputHandleIndex = 12;
	r[0].u.RopCreateAttachment.OutputHandleIndex = 13;
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = 13;
	r[1].u.RopSetProperties.PropertyValueCount = 2;
	r[1].u.RopSetProperties.PropertyValues = v;
	r[2].RopId = RopSaveChangesAttachment;
	r[2].u.RopSaveChangesAttachment.ResponseHandleIndex = 12;
	r[2].u.RopSaveChangesAttachment.InputHandleIndex = 13;
	r[3].RopId = RopSaveChangesMessage;
	r[3].u.RopSaveChangesMessage.ResponseHandleIndex = 12;
	r[3].u.RopSaveChangesMessage.InputHandleIndex = 12;
	r[3].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = cf_run(f, f, r, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(cf_rv(&out->responses[i]), ecSuccess);
	}
	cf_release(f, 13);
	cf_release(f, 12);
	return mid;
}

static uint32_t attachment_count(struct copy_fixture *f, uint8_t index)
{
	static const uint32_t cols[1] = { PidTagAttachNumber };
	struct rop_request r[3];
	struct rop_buffer *out;
	uint32_t n;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetAttachmentTable;
	r[0].u.RopGetAttachmentTable.InputHandleIndex = index;
	r[0].u.RopGetAttachmentTable.OutputHandleIndex = 14;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 14;
	r[1].u.RopSetColumns.PropertyTagCount = 1;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 14;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 100;
	out = cf_run(f, f, r, 3);
	assert_int_equal(cf_rv(&out->responses[2]), ecSuccess);
	n = out->responses[2].u.RopQueryRows.RowCount;
	cf_release(f, 14);
	return n;
}

/* [MS-OXCPRPT] 3.2.5.8 on messages: excluded tags, attachments as
 * subobjects, persisted by the destination's save */
static void test_copy_to_message(void **state)
{
	static const struct {
		uint8_t sub;
		uint32_t excluded[2];
		uint16_t n;
		bool subject, attached;
	} cases[] = {
		{ 1, { 0 }, 0, true, true },
		{ 0, { 0 }, 0, true, false },
		{ 1, { PidTagMessageAttachments }, 1, true, false },
		{ 1, { PidTagSubject, PidTagMessageRecipients }, 2, false, true },
	};
	struct copy_fixture *f = cf_new(*state, "cpt");
	struct rop_request r;
	uint64_t m1, m2;
	size_t i;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	m1 = make_attached(f, "a.txt");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m2 = cf_make_message(f, 1, f->fids[CF_INBOX], "target");
		assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x00, 2), ecSuccess);
		assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x01, 3), ecSuccess);
		assert_int_equal(copy_to(f, 2, 3, 0, cases[i].sub,
					 (uint32_t *)(uintptr_t)cases[i].excluded, cases[i].n, NULL),
				 ecSuccess);
		memset(&r, 0, sizeof(r));
		r.RopId = RopSaveChangesMessage;
		r.u.RopSaveChangesMessage.ResponseHandleIndex = 3;
		r.u.RopSaveChangesMessage.InputHandleIndex = 3;
		r.u.RopSaveChangesMessage.SaveFlags = 0x02;
		assert_int_equal(cf_one(f, &r, NULL), ecSuccess);
		cf_release(f, 3);
		assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x00, 3), ecSuccess);
		assert_string_equal(cf_get_str(f, f, 3, PidTagSubject),
				    cases[i].subject ? "with attachment" : "target");
		assert_int_equal(attachment_count(f, 3), cases[i].attached ? 1 : 0);
		if (cases[i].attached) {
			assert_int_equal(cf_get_i32(f, 3, PidTagHasAttachments), 1);
			assert_int_equal(cf_get_i32(f, 3, PidTagMessageFlags) & mfHasAttach,
					 mfHasAttach);
		}
		cf_release(f, 3);
		cf_release(f, 2);
	}
	/* the source keeps its attachment */
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x00, 2), ecSuccess);
	assert_int_equal(attachment_count(f, 2), 1);
	cf_free(f);
}

/* recipients on a message opened read-write at @index ([MS-OXCMSG] 2.2.3.5) */
static void add_recipients(struct copy_fixture *f, uint8_t index, const char **names,
			   uint32_t n)
{
	struct ModifyRecipientRow rows[3];
	struct RecipientRow rr[3];
	struct rop_request r;
	uint32_t i;

	memset(rr, 0, sizeof(rr));
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < n; i++) {
		rr[i].RecipientFlags = RecipientType_NoType | RecipientFlags_O |
			RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
		rr[i].AddressType = (char *)(uintptr_t)"SMTP";
		rr[i].EmailAddress = (char *)(uintptr_t)"someone@example.com";
		rr[i].DisplayName = (char *)(uintptr_t)names[i];
		rows[i].RowId = i;
		rows[i].RecipientType = 1;	/* To */
		rows[i].RecipientRow = &rr[i];
		rows[i].RecipientRowSize = 1;	/* non-zero: the codec sizes it */
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopModifyRecipients;
	r.u.RopModifyRecipients.InputHandleIndex = index;
	r.u.RopModifyRecipients.RowCount = (uint16_t)n;
	r.u.RopModifyRecipients.RecipientRows = rows;
	assert_int_equal(cf_one(f, &r, NULL), ecSuccess);
}

/* the recipients' display names of the message at @index, by
 * RopReloadCachedInformation, joined with ',' */
static const char *recipient_names(struct copy_fixture *f, uint8_t index)
{
	const struct RopReloadCachedInformation_resp *rc;
	struct rop_response *resp;
	struct rop_request r;
	char *names = talloc_strdup(f, "");
	uint32_t i;

	memset(&r, 0, sizeof(r));
	r.RopId = RopReloadCachedInformation;
	r.u.RopReloadCachedInformation.InputHandleIndex = index;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	rc = &resp->u.RopReloadCachedInformation;
	assert_int_equal(rc->RecipientCount, rc->RowCount);
	for (i = 0; i < rc->RowCount; i++) {
		names = talloc_asprintf_append(names, "%s%s", i ? "," : "",
					       rc->RecipientRows[i].RecipientRow.DisplayName);
	}
	return names;
}

/* RopCopyTo's recipients replace the destination's (unless excluded) */
static void test_copy_to_recipients(void **state)
{
	static const char *from[2] = { "Bob", "Carol" };
	static const char *to[1] = { "Dave" };
	static const struct {
		uint32_t excluded;
		const char *expect;
	} cases[] = {
		{ 0, "Bob,Carol" },
		{ PidTagMessageRecipients, "Dave" },
	};
	struct copy_fixture *f = cf_new(*state, "ctr");
	struct rop_request r;
	uint32_t excl[1];
	uint64_t m1, m2;
	size_t i;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	m1 = cf_make_message(f, 1, f->fids[CF_INBOX], "to many");
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m1, 0x01, 2), ecSuccess);
	add_recipients(f, 2, from, 2);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m2 = cf_make_message(f, 1, f->fids[CF_INBOX], "to one");
		assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x01, 3), ecSuccess);
		add_recipients(f, 3, to, 1);
		excl[0] = cases[i].excluded;
		assert_int_equal(copy_to(f, 2, 3, 0, 1, excl, cases[i].excluded ? 1 : 0, NULL),
				 ecSuccess);
		memset(&r, 0, sizeof(r));
		r.RopId = RopSaveChangesMessage;
		r.u.RopSaveChangesMessage.ResponseHandleIndex = 3;
		r.u.RopSaveChangesMessage.InputHandleIndex = 3;
		r.u.RopSaveChangesMessage.SaveFlags = 0x02;
		assert_int_equal(cf_one(f, &r, NULL), ecSuccess);
		cf_release(f, 3);
		assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], m2, 0x00, 3), ecSuccess);
		assert_string_equal(recipient_names(f, 3), cases[i].expect);
		cf_release(f, 3);
	}
	/* the source keeps its own */
	assert_string_equal(recipient_names(f, 2), "Bob,Carol");
	cf_free(f);
}

/* [MS-OXCPRPT] 3.2.5.8 on folders: properties at once, subobjects */
static void test_copy_to_folder(void **state)
{
	struct copy_fixture *f = cf_new(*state, "ctf");
	uint32_t excl[1] = { PidTagContainerHierarchy };
	struct rop_response *resp;
	uint64_t a, b, dest;

	a = make_tree(f, &b, &dest);
	assert_true(a != 0 && b != 0 && dest != 0);
	assert_int_equal(cf_set_str(f, 2, PidTagComment, "about A"), ecSuccess);
	/* properties only */
	assert_int_equal(copy_to(f, 2, 4, 0, 0, NULL, 0, NULL), ecSuccess);
	assert_string_equal(cf_get_str(f, f, 4, PidTagComment), "about A");
	assert_string_equal(cf_get_str(f, f, 4, PidTagDisplayName), "Dest");
	assert_int_equal(cf_count(f, 4, false), 0);
	/* messages, not subfolders */
	assert_int_equal(copy_to(f, 2, 4, 0, 1, excl, 1, NULL), ecSuccess);
	assert_int_equal(cf_count(f, 4, false), 1);
	assert_int_equal(cf_count(f, 4, true), 0);
	/* everything; then again: B exists, reported as a problem */
	assert_int_equal(copy_to(f, 2, 4, 0, 1, NULL, 0, &resp), ecSuccess);
	assert_int_equal(resp->u.RopCopyTo.PropertyProblemCount, 0);
	assert_int_equal(cf_count(f, 4, false), 2);
	assert_true(cf_child(f, 4, "B") != 0);
	assert_int_equal(copy_to(f, 2, 4, 0, 1, NULL, 0, &resp), ecSuccess);
	assert_int_equal(resp->u.RopCopyTo.PropertyProblemCount, 1);
	assert_int_equal(resp->u.RopCopyTo.PropertyProblems[0].PropertyTag,
			 PidTagContainerHierarchy);
	assert_int_equal(resp->u.RopCopyTo.PropertyProblems[0].ErrorCode, ecDuplicateName);
	/* into its own subtree, or itself */
	assert_int_equal(copy_to(f, 2, 3, 0, 1, NULL, 0, NULL), ecFolderCycle);
	assert_int_equal(copy_to(f, 2, 2, 0, 1, NULL, 0, NULL), ecFolderCycle);
	cf_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_move_folder, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_move_folder_errors, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_move_copy_notify, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_folder, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_properties, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_errors, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_message, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_recipients, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_folder, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

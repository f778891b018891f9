/*
 * FastTransfer deletions through the dispatcher on a real mapistore:
 *
 * - MetaTagFXDelProp on a folder target of an upload ([MS-OXCFXICS]
 *   2.2.4.1.5.1, ics_dest*.c): PidTagContainerContents,
 *   PidTagFolderAssociatedContents and PidTagContainerHierarchy delete the
 *   target's existing messages / FAI messages / subfolders before the
 *   stream's are written; the deletions are tombstones an ICS download
 *   reports; a user without delete rights gets ecAccessDenied and nothing
 *   is deleted.
 * - the Move flag of the copy ROPs (3.2.5.8.1.1-3.2.5.8.1.4, ics_copy.c):
 *   accepted; only objects the user may delete are in the stream.
 *
 * Two users as test_oxcperm.c sets them up: alice owns the mailbox, bob
 * logs on to it as a delegate with the rights alice grants him.
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"
#include "ics.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN_PREFIX "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
#define ALICE_DN DN_PREFIX "alice"
#define BOB_DN DN_PREFIX "bob"
#define NH 8
#define H_FOLDER 1	/* the Inbox (alice: logon 0; bob: delegate logon 1) */
#define H_FX 2		/* a FastTransfer context (download or upload) */
#define H_MSG 3
#define H_OTHER 4
#define H_SYNC 5
#define H_SUB 6
#define FID_INBOX 4

struct client {
	struct emsmdb_session *s;
	uint32_t handles[NH];
	uint8_t logon;		/* LogonId / handle index of the logon to alice's mailbox */
};

struct fixture {
	struct emsmdb_test_session t;
	struct client alice, bob;
	uint64_t fids[13];	/* alice's FolderIds */
};

/* @c's round trips (emsmdb_test_session.h); LogonId is the caller's */
static struct emsmdb_test_rops client_rt(struct client *c)
{
	struct emsmdb_test_rops rt = { .s = c->s, .handles = c->handles, .handle_count = NH };

	return rt;
}

static struct rop_response *run1(struct client *c, TALLOC_CTX *mem, struct rop_request *r,
				 uint32_t expect)
{
	struct emsmdb_test_rops rt = client_rt(c);

	r->LogonId = c->logon;
	return emsmdb_test_run1(&rt, mem, r, expect);
}

static void logon(struct client *c, TALLOC_CTX *mem, const char *dn, uint8_t index,
		  uint64_t fids[13])
{
	struct rop_request r = { .RopId = RopLogon };
	struct rop_response *resp;

	c->logon = index;
	r.u.RopLogon.OutputHandleIndex = index;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)dn;
	r.u.RopLogon.EssdnSize = strlen(dn) + 1;
	resp = run1(c, mem, &r, ecSuccess);
	if (fids != NULL) {
		memcpy(fids, resp->u.RopLogon.FolderIds, 13 * sizeof(uint64_t));
	}
}

static void open_folder(struct client *c, TALLOC_CTX *mem, uint8_t in, uint8_t out,
			uint64_t fid)
{
	struct rop_request r = { .RopId = RopOpenFolder };

	r.u.RopOpenFolder.InputHandleIndex = in;
	r.u.RopOpenFolder.OutputHandleIndex = out;
	r.u.RopOpenFolder.FolderId = fid;
	run1(c, mem, &r, ecSuccess);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	ics_test_two_users_new(&f->t, "fxmove", ALICE_DN, BOB_DN, &f->alice.s, f->alice.handles,
			       &f->bob.s, f->bob.handles, NH);
	/* bob's mailbox first: a grant names an account that has one */
	logon(&f->bob, f, BOB_DN, 0, NULL);
	logon(&f->alice, f, ALICE_DN, 0, f->fids);
	open_folder(&f->alice, f, 0, H_FOLDER, f->fids[FID_INBOX]);
	return f;
}

static void fixture_free(struct fixture *f)
{
	ics_test_two_users_free(&f->t, f->alice.s, f->bob.s);
	talloc_free(f);
}

/* alice grants bob @rights on the folder at her handle @index */
static void grant(struct fixture *f, uint8_t index, uint32_t rights)
{
	struct rop_request r = { .RopId = RopModifyPermissions };
	struct TaggedPropertyValue v[2];
	struct mapistore_binary eid = { 0, NULL };
	struct PermissionData pd;
	TALLOC_CTX *tmp = talloc_new(f);

	assert_int_equal(emsmdb_acl_entryid_from_dn(tmp, BOB_DN, &eid), ecSuccess);
	v[0].PropertyTag = PidTagEntryId;
	v[0].Value.PropertyType = PtypBinary;
	v[0].Value.u.bin.cb = (uint32_t)eid.length;
	v[0].Value.u.bin.lpb = eid.data;
	v[1].PropertyTag = PidTagMemberRights;
	v[1].Value.PropertyType = PtypInteger32;
	v[1].Value.u.l = rights;
	pd.PermissionDataFlags = 0x01;	/* AddRow */
	pd.PropertyValueCount = 2;
	pd.PropertyValues = v;
	r.u.RopModifyPermissions.InputHandleIndex = index;
	r.u.RopModifyPermissions.ModifyCount = 1;
	r.u.RopModifyPermissions.PermissionsData = &pd;
	run1(&f->alice, tmp, &r, ecSuccess);
	talloc_free(tmp);
}

/* bob (his own mailbox at logon 0): alice's as a delegate (logon 1) with
 * her Inbox at H_FOLDER */
static void bob_delegate(struct fixture *f)
{
	logon(&f->bob, f, ALICE_DN, 1, NULL);
	open_folder(&f->bob, f, 1, H_FOLDER, f->fids[FID_INBOX]);
}

/* a saved message "@subject" (FAI when @fai) in folder @fid open at @c's @folder */
static uint64_t new_message(struct client *c, uint8_t folder, uint64_t fid,
			    const char *subject, bool fai)
{
	TALLOC_CTX *tmp = talloc_new(c->s);
	struct rop_request r = { .RopId = RopCreateMessage };
	struct emsmdb_test_rops rt = client_rt(c);

	r.u.RopCreateMessage.InputHandleIndex = folder;
	r.u.RopCreateMessage.OutputHandleIndex = H_MSG;
	r.u.RopCreateMessage.CodePageId = 0x0FFF;
	r.u.RopCreateMessage.FolderId = fid;
	r.u.RopCreateMessage.AssociatedFlag = fai ? 1 : 0;
	run1(c, tmp, &r, ecSuccess);
	talloc_free(tmp);
	/* on the message object: its own logon counts (emsmdb_rop_dispatch.c) */
	return ics_test_save_subject(&rt, H_MSG, H_OTHER, subject);
}

/* alice: subfolder @name of her Inbox, left open at H_SUB; its FID */
static uint64_t new_folder(struct fixture *f, const char *name)
{
	struct emsmdb_test_rops rt = client_rt(&f->alice);	/* LogonId 0 */

	return ics_test_new_folder(&rt, H_FOLDER, H_SUB, name);
}

/* messages (FAI when @fai) or subfolders (@folders) of @fid named @prefix*, read
 * straight from alice's mapistore */
static uint32_t count(struct fixture *f, uint64_t fid, enum mapistore_table_type type,
		      const char *prefix)
{
	uint32_t col = type == MAPISTORE_FOLDER_TABLE ? PidTagDisplayName : PidTagSubject;
	TALLOC_CTX *tmp = talloc_new(f);
	struct mapistore_folder *mf = NULL;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i, hits = 0;

	assert_int_equal(mapistore_folder_open(tmp, f->alice.s->mstore, fid, &mf),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open_table(tmp, mf, type, &t), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, &col, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(tmp, t, 10000, &rows, &n), MAPISTORE_SUCCESS);
	for (i = 0; i < n; i++) {
		if (!mapistore_property_is_error(&rows[i].props[0]) &&
		    strncmp(rows[i].props[0].value.str, prefix, strlen(prefix)) == 0) {
			hits++;
		}
	}
	talloc_free(tmp);
	return hits;
}

/* ---- streams ---- */

static void p_str(struct fxics_encoder *e, uint32_t tag, const char *s)
{
	struct PropertyValue v = { .PropertyType = PtypString };

	v.u.str = (char *)(uintptr_t)s;
	assert_int_equal(fxics_encoder_property(e, tag, NULL, &v), ROP_OK);
}

/* the stream described by @spec, one element per character:
 * 'C' / 'A' / 'H' MetaTagFXDelProp Contents / FAI / Hierarchy,
 * 'm' / 'a' a message / an FAI message "new <n>", 's' a subfolder "new sub",
 * 'p' the folder's propList (PidTagComment) */
static uint8_t *stream(TALLOC_CTX *mem, const char *spec, size_t *len_r)
{
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	const uint8_t *p = NULL;
	uint8_t *out;
	char subject[32];
	size_t len = 0;
	unsigned n = 0;

	assert_non_null(e);
	for (; *spec != '\0'; spec++) {
		static const struct { char c; uint32_t tag; } del[] = {
			{ 'C', FXICS_PidTagContainerContents },
			{ 'A', FXICS_PidTagFolderAssociatedContents },
			{ 'H', FXICS_PidTagContainerHierarchy },
		};
		size_t k;

		for (k = 0; k < 3; k++) {
			if (del[k].c == *spec) {
				assert_int_equal(fxics_encoder_meta_u32(e, MetaTagFXDelProp,
									del[k].tag), ROP_OK);
			}
		}
		if (*spec == 'm' || *spec == 'a') {
			snprintf(subject, sizeof(subject), "new %u", n++);
			assert_int_equal(fxics_encoder_marker(e, *spec == 'm' ? StartMessage :
							      StartFAIMsg), ROP_OK);
			p_str(e, PidTagSubject, subject);
			assert_int_equal(fxics_encoder_marker(e, EndMessage), ROP_OK);
		} else if (*spec == 's') {
			assert_int_equal(fxics_encoder_marker(e, StartSubFld), ROP_OK);
			p_str(e, PidTagDisplayName, "new sub");
			assert_int_equal(fxics_encoder_marker(e, EndFolder), ROP_OK);
		} else if (*spec == 'p') {
			p_str(e, PidTagComment, "uploaded");
		}
	}
	*len_r = fxics_encoder_pending(e);
	assert_int_equal(fxics_encoder_next_buffer(e, *len_r, &p, &len), ROP_OK);
	assert_int_equal(len, *len_r);
	out = talloc_memdup(mem, p, len);
	talloc_free(e);
	return out;
}

/* CopyTo destination on @c's Inbox, then @spec in one PutBuffer: its answer */
static void upload(struct client *c, const char *spec, uint32_t expect)
{
	TALLOC_CTX *tmp = talloc_new(c->s);
	struct rop_request r = { .RopId = RopFastTransferDestinationConfigure };
	size_t len = 0;
	uint8_t *data = stream(tmp, spec, &len);

	r.u.RopFastTransferDestinationConfigure.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferDestinationConfigure.OutputHandleIndex = H_FX;
	r.u.RopFastTransferDestinationConfigure.SourceOperation = SourceOperation_CopyTo;
	run1(c, tmp, &r, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferDestinationPutBuffer;
	r.u.RopFastTransferDestinationPutBuffer.InputHandleIndex = H_FX;
	r.u.RopFastTransferDestinationPutBuffer.TransferDataSize = (uint16_t)len;
	r.u.RopFastTransferDestinationPutBuffer.TransferData = data;
	run1(c, tmp, &r, expect);
	talloc_free(tmp);
}

/* the whole stream of the download context at @c's @idx, grammar-checked */
static void download(struct client *c, TALLOC_CTX *mem, uint8_t idx, enum fxics_root root,
		     struct fxics_atom **atoms_r, size_t *count_r)
{
	struct emsmdb_test_rops rt = client_rt(c);

	ics_test_download_atoms(&rt, mem, idx, root, atoms_r, count_r);
}

static size_t count_tag(const struct fxics_atom *atoms, size_t n, uint32_t tag)
{
	return ics_test_count_tag(atoms, n, tag);
}

/* ---- ICS: what a contents synchronization of the Inbox reports ---- */

struct sync_result {
	struct fxics_atom *atoms;
	size_t count;
	const struct fxics_atom *state[4];	/* Given, Seen, SeenFAI, Read */
	const struct fxics_atom *deleted;
};

static void contents_sync(struct fixture *f, TALLOC_CTX *mem, const struct sync_result *prev,
			  struct sync_result *out)
{
	struct emsmdb_test_rops rt = client_rt(&f->alice);	/* LogonId 0 */
	struct ics_test_sync c = {
		H_FOLDER, H_SYNC, SynchronizationType_Contents,
		SynchronizationFlags_Unicode | SynchronizationFlags_Normal |
		SynchronizationFlags_FAI | SynchronizationFlags_ReadState, 0, NULL
	};
	size_t i, k;

	ics_test_configure(&rt, &c, ecSuccess);
	if (prev != NULL) {
		ics_test_upload_state(&rt, H_SYNC, prev->state, 4);
	}
	memset(out, 0, sizeof(*out));
	download(&f->alice, mem, H_SYNC, FXICS_ROOT_CONTENTS_SYNC, &out->atoms, &out->count);
	for (i = 0; i < out->count; i++) {
		for (k = 0; k < 4; k++) {
			if (out->atoms[i].PropertyTag == ics_test_state_tags[k]) {
				out->state[k] = &out->atoms[i];
			}
		}
		if (out->atoms[i].PropertyTag == MetaTagIdsetDeleted) {
			out->deleted = &out->atoms[i];
		}
	}
}

static bool deleted_has(TALLOC_CTX *mem, const struct sync_result *s, uint64_t mid)
{
	struct IDSET *set = NULL;
	bool has;

	if (s->deleted == NULL) {
		return false;
	}
	assert_int_equal(idset_decode(mem, s->deleted->Value.u.bin.lpb, s->deleted->Value.u.bin.cb,
				      false, &set), ROP_OK);
	has = idset_contains_id(set, mid);
	talloc_free(set);
	return has;
}

/* ---- MetaTagFXDelProp on a folder target ---- */

#define INBOX(f) ((f)->fids[FID_INBOX])

/* a message of the Inbox made before an upload, whether the upload
 * deletes it (a deletion the incremental download reports), its MID */
struct old_message {
	const char *subject;
	bool fai;
	bool deleted;
	uint64_t mid;
};

/* alice's messages @m (@n of them) in the Inbox, then the initial
 * contents sync in @s1 */
static void old_messages_synced(struct fixture *f, struct old_message *m, size_t n,
				struct sync_result *s1)
{
	size_t i;

	for (i = 0; i < n; i++) {
		m[i].mid = new_message(&f->alice, H_FOLDER, INBOX(f), m[i].subject, m[i].fai);
	}
	contents_sync(f, f, NULL, s1);
}

/* the incremental download @s2 reports the deletion of exactly the
 * messages of @m (@n of them) the upload deletes */
static void assert_deletions(struct fixture *f, const struct sync_result *s2,
			     const struct old_message *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(deleted_has(f, s2, m[i].mid), m[i].deleted);
	}
}

/* Contents: the old normal messages go (tombstones ICS reports), the FAI
 * message stays, the stream's message is there */
static void test_delprop_contents(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct sync_result s1, s2;
	struct old_message old[] = {
		{ "old 1", false, true, 0 }, { "old 2", false, true, 0 },
		{ "old fai", true, false, 0 },
	};

	old_messages_synced(f, old, 3, &s1);
	assert_int_equal(count_tag(s1.atoms, s1.count, IncrSyncChg), 3);

	upload(&f->alice, "pCm", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "old"), 0);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "new 0"), 1);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FAI_TABLE, "old fai"), 1);

	/* the incremental download: both deletions, the new message only */
	contents_sync(f, f, &s1, &s2);
	assert_deletions(f, &s2, old, 3);
	assert_int_equal(count_tag(s2.atoms, s2.count, IncrSyncChg), 1);

	/* a second identical upload replaces "new 0" by a fresh "new 0" */
	upload(&f->alice, "Cm", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "new 0"), 1);
	fixture_free(f);
}

/* FAI: the old FAI messages go; an FAI message the stream wrote before the
 * FAI MetaTagFXDelProp stays */
static void test_delprop_fai(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct sync_result s1, s2;
	struct old_message old[] = {
		{ "old 1", false, true, 0 }, { "old fai 1", true, true, 0 },
		{ "old fai 2", true, true, 0 },
	};

	old_messages_synced(f, old, 3, &s1);

	upload(&f->alice, "pCaAa", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, ""), 0);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FAI_TABLE, "old"), 0);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FAI_TABLE, "new 0"), 1);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FAI_TABLE, "new 1"), 1);

	contents_sync(f, f, &s1, &s2);
	assert_deletions(f, &s2, old, 3);
	assert_int_equal(count_tag(s2.atoms, s2.count, IncrSyncChg), 2);
	fixture_free(f);
}

/* Hierarchy: the old subfolder (and its message) goes, soft-deleted; the
 * stream's subfolder is there */
static void test_delprop_hierarchy(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct mapistore_folder *mf = NULL;
	uint64_t sub;

	sub = new_folder(f, "old sub");
	(void)new_message(&f->alice, H_SUB, sub, "inside", false);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, "old sub"), 1);

	upload(&f->alice, "pCmHs", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, "old sub"), 0);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, "new sub"), 1);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "new 0"), 1);
	assert_int_equal(mapistore_folder_open(f, f->alice.s->mstore, sub, &mf),
			 MAPISTORE_ERR_OBJECT_DELETED);
	/* Hierarchy, nothing more: the "new sub" of the last upload goes too */
	upload(&f->alice, "H", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, ""), 0);
	fixture_free(f);
}

/* a delegate without delete rights: ecAccessDenied, nothing deleted, and
 * the stream stays failed; with frightsDeleteAny it works */
static void test_delprop_denied(void **state)
{
	struct fixture *f = fixture_new(*state);
	const uint32_t upload_rights = frightsOwner | frightsCreate | frightsCreateSubfolder |
		frightsReadAny | frightsVisible;

	(void)new_message(&f->alice, H_FOLDER, INBOX(f), "old 1", false);
	(void)new_folder(f, "old sub");	/* before the grant: no rights on it */
	grant(f, H_FOLDER, upload_rights);
	bob_delegate(f);

	upload(&f->bob, "pCm", ecAccessDenied);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "old 1"), 1);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "new"), 0);
	/* an empty set needs no right */
	upload(&f->bob, "pAa", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FAI_TABLE, "new 0"), 1);

	/* DeleteAny on the Inbox: messages yes; the subfolder needs Owner on it */
	grant(f, H_FOLDER, upload_rights | frightsDeleteAny);
	upload(&f->bob, "pHs", ecAccessDenied);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, "old sub"), 1);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_FOLDER_TABLE, "new sub"), 0);
	upload(&f->bob, "pCm", ecSuccess);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "old 1"), 0);
	assert_int_equal(count(f, INBOX(f), MAPISTORE_MESSAGE_TABLE, "new 0"), 1);
	fixture_free(f);
}

/* ---- the Move flag of the copy ROPs ---- */

/* RopFastTransferSourceCopyMessages of @mids by @c; the StartMessage count */
static size_t copy_messages(struct client *c, uint64_t *mids, uint16_t n, uint8_t flags)
{
	TALLOC_CTX *tmp = talloc_new(c->s);
	struct rop_request r = { .RopId = RopFastTransferSourceCopyMessages };
	struct fxics_atom *atoms = NULL;
	size_t count_atoms = 0, k;

	r.u.RopFastTransferSourceCopyMessages.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceCopyMessages.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyMessages.MessageIdCount = n;
	r.u.RopFastTransferSourceCopyMessages.MessageIds = mids;
	r.u.RopFastTransferSourceCopyMessages.CopyFlags = flags;
	r.u.RopFastTransferSourceCopyMessages.SendOptions = SendOptions_Unicode;
	run1(c, tmp, &r, ecSuccess);
	download(c, tmp, H_FX, FXICS_ROOT_MESSAGE_LIST, &atoms, &count_atoms);
	k = count_tag(atoms, count_atoms, StartMessage);
	talloc_free(tmp);
	return k;
}

static void test_move_copy_messages(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint64_t mids[3];

	mids[0] = new_message(&f->alice, H_FOLDER, INBOX(f), "a 1", false);
	mids[1] = new_message(&f->alice, H_FOLDER, INBOX(f), "a 2", false);
	/* the owner may delete everything */
	assert_int_equal(copy_messages(&f->alice, mids, 2, 0x01), 2);

	/* an Author-like delegate: his own message only */
	grant(f, H_FOLDER, frightsReadAny | frightsVisible | frightsCreate |
	      frightsEditOwned | frightsDeleteOwned);
	bob_delegate(f);
	mids[2] = new_message(&f->bob, H_FOLDER, INBOX(f), "b 1", false);
	assert_int_equal(copy_messages(&f->bob, mids, 3, 0x00), 3);
	assert_int_equal(copy_messages(&f->bob, mids, 3, 0x01), 1);
	/* read-only: nothing; DeleteAny: everything */
	grant(f, H_FOLDER, frightsReadAny | frightsVisible);
	assert_int_equal(copy_messages(&f->bob, mids, 3, 0x01), 0);
	grant(f, H_FOLDER, frightsReadAny | frightsVisible | frightsDeleteAny);
	assert_int_equal(copy_messages(&f->bob, mids, 3, 0x01), 3);
	fixture_free(f);
}

/* the copy ROP @r of @c (output at H_FX): its answer; when it succeeded,
 * the stream (on @mem) downloaded and grammar-checked as @root */
static uint32_t copy_source(struct client *c, TALLOC_CTX *mem, struct rop_request *r,
			   enum fxics_root root, struct fxics_atom **atoms_r, size_t *n_r)
{
	struct emsmdb_test_rops rt = client_rt(c);
	struct rop_buffer *out;
	uint32_t ec;

	r->LogonId = c->logon;
	out = emsmdb_test_run(&rt, mem, r, 1);
	ec = emsmdb_test_rv(&out->responses[0]);
	if (ec == ecSuccess) {
		download(c, mem, H_FX, root, atoms_r, n_r);
	}
	return ec;
}

/* the copy ROP @r of @c (output at H_FX, stream checked as @root): the
 * answer; the stream's messages and (@subfolders_r not NULL) subfolders
 * when it succeeded */
static uint32_t copy_count(struct client *c, struct rop_request *r, enum fxics_root root,
			   size_t *messages_r, size_t *subfolders_r)
{
	TALLOC_CTX *tmp = talloc_new(c->s);
	struct fxics_atom *atoms = NULL;
	size_t n = 0;
	uint32_t ec;

	ec = copy_source(c, tmp, r, root, &atoms, &n);
	if (ec == ecSuccess) {
		*messages_r = count_tag(atoms, n, StartMessage);
	}
	if (ec == ecSuccess && subfolders_r != NULL) {
		*subfolders_r = count_tag(atoms, n, StartSubFld);
	}
	talloc_free(tmp);
	return ec;
}

/* CopyTo (Level 0, nothing excluded) of the folder or message at @c's @in:
 * the answer; the stream's messages and subfolders when it succeeded */
static uint32_t copy_to(struct client *c, uint8_t in, uint32_t flags, enum fxics_root root,
			size_t *messages_r, size_t *subfolders_r)
{
	struct rop_request r = { .RopId = RopFastTransferSourceCopyTo };

	r.u.RopFastTransferSourceCopyTo.InputHandleIndex = in;
	r.u.RopFastTransferSourceCopyTo.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyTo.CopyFlags = flags;
	r.u.RopFastTransferSourceCopyTo.SendOptions = SendOptions_Unicode;
	return copy_count(c, &r, root, messages_r, subfolders_r);
}

static uint32_t copy_folder(struct client *c, uint8_t in, uint8_t flags, size_t *messages_r)
{
	struct rop_request r = { .RopId = RopFastTransferSourceCopyFolder };

	r.u.RopFastTransferSourceCopyFolder.InputHandleIndex = in;
	r.u.RopFastTransferSourceCopyFolder.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyFolder.CopyFlags = flags;
	r.u.RopFastTransferSourceCopyFolder.SendOptions = SendOptions_Unicode;
	return copy_count(c, &r, FXICS_ROOT_TOP_FOLDER, messages_r, NULL);
}

static void open_message(struct client *c, uint64_t fid, uint64_t mid)
{
	TALLOC_CTX *tmp = talloc_new(c->s);
	struct rop_request r = { .RopId = RopOpenMessage };

	r.u.RopOpenMessage.InputHandleIndex = H_FOLDER;
	r.u.RopOpenMessage.OutputHandleIndex = H_MSG;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = fid;
	r.u.RopOpenMessage.MessageId = mid;
	run1(c, tmp, &r, ecSuccess);
	talloc_free(tmp);
}

/* alice: an attachment of a new (unsaved) message, open at H_OTHER */
static void new_attachment(struct fixture *f)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct rop_request r = { .RopId = RopCreateMessage };

	r.u.RopCreateMessage.InputHandleIndex = H_FOLDER;
	r.u.RopCreateMessage.OutputHandleIndex = H_MSG;
	r.u.RopCreateMessage.CodePageId = 0x0FFF;
	r.u.RopCreateMessage.FolderId = INBOX(f);
	run1(&f->alice, tmp, &r, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateAttachment;
	r.u.RopCreateAttachment.InputHandleIndex = H_MSG;
	r.u.RopCreateAttachment.OutputHandleIndex = H_OTHER;
	run1(&f->alice, tmp, &r, ecSuccess);
	talloc_free(tmp);
}

static void test_move_copy_to_and_folder(void **state)
{
	struct fixture *f = fixture_new(*state);
	size_t msgs = 9, subs = 9;
	uint64_t mid, sub;

	mid = new_message(&f->alice, H_FOLDER, INBOX(f), "a 1", false);
	sub = new_folder(f, "s 1");	/* left open at H_SUB */
	(void)new_message(&f->alice, H_SUB, sub, "in s 1", false);

	/* the owner: everything, with or without Move */
	assert_int_equal(copy_to(&f->alice, H_FOLDER, 0x01, FXICS_ROOT_FOLDER_CONTENT,
				 &msgs, &subs), ecSuccess);
	assert_int_equal(msgs, 2);
	assert_int_equal(subs, 1);
	assert_int_equal(copy_folder(&f->alice, H_SUB, 0x01, &msgs), ecSuccess);
	assert_int_equal(msgs, 1);
	/* the Inbox is a special folder: it cannot be moved */
	assert_int_equal(copy_folder(&f->alice, H_FOLDER, 0x01 | 0x10, &msgs), ecAccessDenied);
	assert_int_equal(copy_folder(&f->alice, H_FOLDER, 0x10, &msgs), ecSuccess);
	assert_int_equal(msgs, 2);
	open_message(&f->alice, INBOX(f), mid);
	assert_int_equal(copy_to(&f->alice, H_MSG, 0x01, FXICS_ROOT_MESSAGE_CONTENT,
				 &msgs, &subs), ecSuccess);
	/* an attachment is no copy source here (the dispatcher's type check,
	 * before the handler's own "Move: folder or message only") */
	new_attachment(f);
	assert_int_equal(copy_to(&f->alice, H_OTHER, 0x01, FXICS_ROOT_ATTACHMENT_CONTENT,
				 &msgs, &subs), ecNotSupported);

	/* a read-only delegate (no rights on "s 1" at all) */
	grant(f, H_FOLDER, frightsReadAny | frightsVisible);
	bob_delegate(f);
	assert_int_equal(copy_to(&f->bob, H_FOLDER, 0x00, FXICS_ROOT_FOLDER_CONTENT,
				 &msgs, &subs), ecSuccess);
	assert_int_equal(msgs, 2);
	assert_int_equal(subs, 1);
	assert_int_equal(copy_to(&f->bob, H_FOLDER, 0x01, FXICS_ROOT_FOLDER_CONTENT,
				 &msgs, &subs), ecSuccess);
	assert_int_equal(msgs, 0);
	assert_int_equal(subs, 0);
	open_message(&f->bob, INBOX(f), mid);
	assert_int_equal(copy_to(&f->bob, H_MSG, 0x01, FXICS_ROOT_MESSAGE_CONTENT,
				 &msgs, &subs), ecAccessDenied);
	assert_int_equal(copy_to(&f->bob, H_MSG, 0x00, FXICS_ROOT_MESSAGE_CONTENT,
				 &msgs, &subs), ecSuccess);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delprop_contents, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_delprop_fai, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_delprop_hierarchy, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_delprop_denied, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_move_copy_messages, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_move_copy_to_and_folder, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

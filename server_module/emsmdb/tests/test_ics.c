/*
 * ICS and FastTransfer handlers through the dispatcher, on a real
 * mapistore (SQLite metadata in a temporary directory, memory backend):
 * contents and hierarchy downloads checked with ndr/fxics's grammar
 * validator, incremental syncs after adds, changes, deletions, moves and
 * read-state changes, state upload / GetTransferState round trips, a
 * transfer interrupted and resumed, buffer sizes, uploads through the
 * collector with conflict detection, local replica IDs, error paths.
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "memory_private.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 10
#define H_LOGON 0
#define H_FOLDER 1
#define H_SYNC 2
#define H_FX 3
#define H_MSG 4
#define H_OTHER 5
#define H_COLL 6
#define H_FOLDER2 7

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	uint64_t fids[13];
	struct emsmdb_test_rops rt;	/* round trips: emsmdb_test_session.h */
};

static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

/* one ROP, its ReturnValue checked */
static struct rop_response *run1(struct fixture *f, TALLOC_CTX *mem, struct rop_request *r,
				 uint32_t expect)
{
	return emsmdb_test_run1(&f->rt, mem, r, expect);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);
	struct rop_request r = { .RopId = RopLogon };
	struct rop_response *resp;

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "ics", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	r.u.RopLogon.OutputHandleIndex = H_LOGON;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)DN;
	r.u.RopLogon.EssdnSize = strlen(DN) + 1;
	resp = run1(f, f, &r, ecSuccess);
	memcpy(f->fids, resp->u.RopLogon.FolderIds, sizeof(f->fids));
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static void open_folder(struct fixture *f, uint8_t idx, uint64_t fid)
{
	struct rop_request r = { .RopId = RopOpenFolder };
	TALLOC_CTX *tmp = talloc_new(f);

	r.u.RopOpenFolder.InputHandleIndex = H_LOGON;
	r.u.RopOpenFolder.OutputHandleIndex = idx;
	r.u.RopOpenFolder.FolderId = fid;
	run1(f, tmp, &r, ecSuccess);
	talloc_free(tmp);
}

/* a saved message in the Inbox (open as H_FOLDER) with a subject */
static uint64_t new_message(struct fixture *f, const char *subject, bool fai,
			    size_t body_size)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct TaggedPropertyValue v[2];
	struct rop_request r[3];
	struct rop_buffer *out;
	char *body = NULL;
	uint32_t i;
	uint64_t mid;

	memset(r, 0, sizeof(r));
	memset(v, 0, sizeof(v));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.InputHandleIndex = H_FOLDER;
	r[0].u.RopCreateMessage.OutputHandleIndex = H_MSG;
	r[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[0].u.RopCreateMessage.FolderId = f->fids[4];
	r[0].u.RopCreateMessage.AssociatedFlag = fai;
	v[0].PropertyTag = PidTagSubject;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = (char *)(uintptr_t)subject;
	if (body_size > 0) {
		body = talloc_size(tmp, body_size + 1);
		for (i = 0; i < body_size; i++) {
			body[i] = (char)('a' + i % 26);
		}
		body[body_size] = '\0';
		v[1].PropertyTag = 0x1000001F;	/* PidTagBody */
		v[1].Value.PropertyType = PtypString;
		v[1].Value.u.str = body;
	}
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = H_MSG;
	r[1].u.RopSetProperties.PropertyValueCount = body_size > 0 ? 2 : 1;
	r[1].u.RopSetProperties.PropertyValues = v;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = H_OTHER;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = H_MSG;
	r[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(f, tmp, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	mid = out->responses[2].u.RopSaveChangesMessage.MessageId;
	talloc_free(tmp);
	return mid;
}

static void configure(struct fixture *f, uint8_t in, uint8_t type, uint16_t flags,
		      uint32_t extra, uint32_t expect)
{
	struct ics_test_sync c = { in, H_SYNC, type, flags, extra, NULL };

	ics_test_configure(&f->rt, &c, expect);
}

/*
 * GetBuffer on handle @idx until Done (or @max_calls), every buffer at
 * most @size bytes; the bytes are appended to *data (on @mem).
 */
static bool download(struct fixture *f, TALLOC_CTX *mem, uint8_t idx, uint16_t size,
		     uint16_t max_size, unsigned max_calls, uint8_t **data, size_t *len)
{
	struct rop_request r = { .RopId = RopFastTransferSourceGetBuffer };
	unsigned calls;

	for (calls = 0; calls < max_calls; calls++) {
		TALLOC_CTX *tmp = talloc_new(mem);
		struct rop_response *resp;
		const struct RopFastTransferSourceGetBuffer_resp *g;

		r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = idx;
		r.u.RopFastTransferSourceGetBuffer.BufferSize = size;
		r.u.RopFastTransferSourceGetBuffer.MaximumBufferSize = max_size;
		resp = run1(f, tmp, &r, ecSuccess);
		g = &resp->u.RopFastTransferSourceGetBuffer;
		assert_true(g->TransferBufferSize <= (size == 0xBABE ? max_size : size));
		assert_true(g->InProgressCount <= g->TotalStepCount);
		*data = talloc_realloc(mem, *data, uint8_t, *len + g->TransferBufferSize + 1);
		assert_non_null(*data);
		memcpy(*data + *len, g->TransferBuffer, g->TransferBufferSize);
		*len += g->TransferBufferSize;
		if (g->TransferStatus == TransferStatus_Done) {
			assert_int_equal(g->InProgressCount, g->TotalStepCount);
			talloc_free(tmp);
			return true;
		}
		assert_int_equal(g->TransferStatus, TransferStatus_Partial);
		talloc_free(tmp);
	}
	return false;
}

struct parsed {
	struct fxics_atom *atoms;
	size_t count;
	size_t changes;		/* IncrSyncChg */
	size_t deletions;	/* IncrSyncDel */
	size_t reads;		/* IncrSyncRead */
	const struct fxics_atom *state[4]; /* Given, Seen, SeenFAI, Read */
	const struct fxics_atom *deleted, *read, *unread;
};

static void parse(TALLOC_CTX *mem, const uint8_t *data, size_t len, enum fxics_root root,
		  struct parsed *p)
{
	size_t i, bad = 0;

	memset(p, 0, sizeof(*p));
	assert_int_equal(fxics_decode_all(mem, data, len, 1252, &p->atoms, &p->count), ROP_OK);
	assert_int_equal(fxics_grammar_validate(root, p->atoms, p->count, &bad), ROP_OK);
	for (i = 0; i < p->count; i++) {
		const struct fxics_atom *a = &p->atoms[i];

		switch (a->PropertyTag) {
		case IncrSyncChg: p->changes++; break;
		case IncrSyncDel: p->deletions++; break;
		case IncrSyncRead: p->reads++; break;
		case MetaTagIdsetGiven: p->state[0] = a; break;
		case MetaTagCnsetSeen: p->state[1] = a; break;
		case MetaTagCnsetSeenFAI: p->state[2] = a; break;
		case MetaTagCnsetRead: p->state[3] = a; break;
		case MetaTagIdsetDeleted: p->deleted = a; break;
		case MetaTagIdsetRead: p->read = a; break;
		case MetaTagIdsetUnread: p->unread = a; break;
		default: break;
		}
	}
}

/* upload the state atoms of @p into the synchronization context H_SYNC */
static void upload_state(struct fixture *f, const struct parsed *p, unsigned nprops)
{
	ics_test_upload_state(&f->rt, H_SYNC, p->state, nprops);
}

static bool idset_atom_has(TALLOC_CTX *mem, const struct fxics_atom *a, uint64_t id,
			   bool replguid)
{
	struct IDSET *set = NULL;
	bool has;

	if (a == NULL) {
		return false;
	}
	assert_int_equal(idset_decode(mem, a->Value.u.bin.lpb, a->Value.u.bin.cb, replguid,
				      &set), ROP_OK);
	if (replguid) {
		has = set->Count == 1 && globset_contains(set->Entries[0].Globset,
							  mapistore_fmid_globcnt(id));
	} else {
		has = idset_contains_id(set, id);
	}
	talloc_free(set);
	return has;
}

#define CONTENTS_FLAGS (SynchronizationFlags_Unicode | SynchronizationFlags_Normal | \
			SynchronizationFlags_FAI | SynchronizationFlags_ReadState | \
			SynchronizationFlags_Progress)
#define EXTRA_ALL (SynchronizationExtraFlags_Eid | SynchronizationExtraFlags_MessageSize | \
		   SynchronizationExtraFlags_Cn)


/* the message helpers (ics_test_util.h) act on the Inbox open at H_FOLDER */
static struct ics_test_place inbox(const struct fixture *f)
{
	struct ics_test_place p = { H_FOLDER, H_MSG, H_OTHER, f->fids[4] };

	return p;
}

static void set_read(struct fixture *f, uint64_t mid, bool read)
{
	struct ics_test_place p = inbox(f);

	ics_test_set_read(&f->rt, &p, mid, read);
}

static void modify_subject(struct fixture *f, uint64_t mid, const char *subject)
{
	struct ics_test_place p = inbox(f);

	ics_test_modify_subject(&f->rt, &p, mid, subject);
}

static void delete_message(struct fixture *f, uint64_t mid)
{
	ics_test_delete_message(&f->rt, H_FOLDER, mid);
}

/* a contents sync of the Inbox from state @prev (NULL: initial) */
static void contents_sync(struct fixture *f, TALLOC_CTX *mem, const struct parsed *prev,
			  uint16_t flags, uint16_t bufsize, struct parsed *p)
{
	uint8_t *data = NULL;
	size_t len = 0;

	configure(f, H_FOLDER, SynchronizationType_Contents, flags, EXTRA_ALL, ecSuccess);
	if (prev != NULL) {
		upload_state(f, prev, 4);
	}
	assert_true(download(f, mem, H_SYNC, bufsize, 0, 100000, &data, &len));
	parse(mem, data, len, FXICS_ROOT_CONTENTS_SYNC, p);
}

static void test_contents_initial_and_incremental(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct parsed p1, p2, p3;
	uint64_t m1, m2, m3, fai, m4;

	open_folder(f, H_FOLDER, f->fids[4]);
	m1 = new_message(f, "one", false, 0);
	m2 = new_message(f, "two", false, 100);
	m3 = new_message(f, "three", false, 0);
	fai = new_message(f, "view", true, 0);

	/* initial: everything, in small buffers */
	contents_sync(f, f, NULL, CONTENTS_FLAGS, 64, &p1);
	assert_int_equal(p1.changes, 4);
	assert_int_equal(p1.deletions, 0);
	assert_true(idset_atom_has(f, p1.state[0], m1, true));
	assert_true(idset_atom_has(f, p1.state[0], fai, true));
	assert_non_null(p1.state[1]);
	assert_non_null(p1.state[2]);
	assert_non_null(p1.state[3]);

	/* nothing changed: nothing sent */
	contents_sync(f, f, &p1, CONTENTS_FLAGS, 0x4000, &p2);
	assert_int_equal(p2.changes, 0);
	assert_int_equal(p2.deletions, 0);
	assert_int_equal(p2.reads, 0);

	/* a change, an add, a delete, a read-state change */
	modify_subject(f, m2, "two, edited");
	m4 = new_message(f, "four", false, 0);
	delete_message(f, m3);
	set_read(f, m1, true);
	contents_sync(f, f, &p2, CONTENTS_FLAGS, 0x4000, &p3);
	assert_int_equal(p3.changes, 2);
	assert_int_equal(p3.deletions, 1);
	assert_true(idset_atom_has(f, p3.deleted, m3, false));
	assert_int_equal(p3.reads, 1);
	assert_true(idset_atom_has(f, p3.read, m1, false));
	assert_true(idset_atom_has(f, p3.state[0], m4, true));
	assert_false(idset_atom_has(f, p3.state[0], m3, true));

	/* and then it is quiet again */
	contents_sync(f, f, &p3, CONTENTS_FLAGS, 0x4000, &p2);
	assert_int_equal(p2.changes + p2.deletions + p2.reads, 0);
	fixture_free(f);
}

static void test_fai_only_and_flags(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct parsed p;

	open_folder(f, H_FOLDER, f->fids[4]);
	new_message(f, "normal", false, 0);
	new_message(f, "assoc", true, 0);
	contents_sync(f, f, NULL, SynchronizationFlags_Unicode | SynchronizationFlags_FAI,
		      0x4000, &p);
	assert_int_equal(p.changes, 1);
	contents_sync(f, f, NULL, SynchronizationFlags_Unicode | SynchronizationFlags_Normal,
		      0x4000, &p);
	assert_int_equal(p.changes, 1);
	/* without Unicode strings go as PtypString8 */
	contents_sync(f, f, NULL, SynchronizationFlags_Normal, 0x4000, &p);
	for (size_t i = 0; i < p.count; i++) {
		assert_int_not_equal(OXCDATA_PROP_TYPE(p.atoms[i].PropertyTag), PtypString);
	}
	configure(f, H_FOLDER, 7, 0, 0, ecInvalidParam);
	configure(f, H_FOLDER, SynchronizationType_Contents, SynchronizationFlags_Reserved, 0,
		  ecInvalidParam);
	fixture_free(f);
}

/* a message too big for one ROP buffer, with an attachment, through
 * mapistore directly */
static uint64_t new_big_message(struct fixture *f, size_t body_size)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct mapistore_message *mm = NULL;
	static uint8_t blob[3000];
	uint64_t mid;
	char *body = talloc_size(tmp, body_size + 1);

	assert_non_null(body);
	memset(body, 'x', body_size);
	body[body_size] = '\0';
	mm = ics_test_message_new(tmp, f->s->mstore, f->fids[4], false, "big", body);
	/* the attachment where the backend takes one (not asserted) */
	(void)ics_test_attach_by_value(tmp, mm, blob, sizeof(blob), "blob.bin");
	assert_int_equal(mapistore_message_save(mm), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(mm);
	talloc_free(tmp);
	return mid;
}

static void test_large_message_split(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint8_t *data = NULL;
	size_t len = 0;
	struct parsed p;
	size_t i;
	bool found = false;

	open_folder(f, H_FOLDER, f->fids[4]);
	new_big_message(f, 200000);
	configure(f, H_FOLDER, SynchronizationType_Contents, CONTENTS_FLAGS, 0, ecSuccess);
	/* 0xBABE: the server chooses, at most MaximumBufferSize */
	assert_true(download(f, f, H_SYNC, 0xBABE, 4096, 1000, &data, &len));
	assert_true(len > 400000);
	parse(f, data, len, FXICS_ROOT_CONTENTS_SYNC, &p);
	for (i = 0; i < p.count; i++) {
		if (p.atoms[i].PropertyTag == 0x1000001F) {
			assert_int_equal(strlen(p.atoms[i].Value.u.str), 200000);
			found = true;
		}
	}
	assert_true(found);
	found = false;
	for (i = 0; i < p.count; i++) {
		found |= p.atoms[i].PropertyTag == NewAttach;
	}
	assert_true(found);
	fixture_free(f);
}

/* GetTransferState halfway, a new context from it: the rest only */
static void test_interrupted_resume(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { .RopId = RopSynchronizationGetTransferState };
	uint8_t *data = NULL, *sdata = NULL;
	size_t len = 0, slen = 0;
	struct parsed st, rest;
	unsigned i;

	open_folder(f, H_FOLDER, f->fids[4]);
	for (i = 0; i < 10; i++) {
		new_message(f, "m", false, 2000);
	}
	configure(f, H_FOLDER, SynchronizationType_Contents, CONTENTS_FLAGS, 0, ecSuccess);
	/* three buffers of 4 KiB: a few messages, not all */
	assert_false(download(f, f, H_SYNC, 4096, 0, 3, &data, &len));
	r.u.RopSynchronizationGetTransferState.InputHandleIndex = H_SYNC;
	r.u.RopSynchronizationGetTransferState.OutputHandleIndex = H_FX;
	run1(f, f, &r, ecSuccess);
	assert_true(download(f, f, H_FX, 0x8000, 0, 10, &sdata, &slen));
	parse(f, sdata, slen, FXICS_ROOT_STATE, &st);
	assert_non_null(st.state[0]);

	contents_sync(f, f, &st, CONTENTS_FLAGS, 0x4000, &rest);
	assert_true(rest.changes > 0);
	assert_true(rest.changes < 10);
	/* the client's given set plus the rest is everything */
	{
		struct IDSET *a = NULL, *b = NULL;

		assert_int_equal(idset_decode(f, st.state[0]->Value.u.bin.lpb,
					      st.state[0]->Value.u.bin.cb, true, &a), ROP_OK);
		assert_int_equal(idset_decode(f, rest.state[0]->Value.u.bin.lpb,
					      rest.state[0]->Value.u.bin.cb, true, &b), ROP_OK);
		assert_int_equal(globset_cardinality(a->Entries[0].Globset) + rest.changes, 10);
		assert_int_equal(globset_cardinality(b->Entries[0].Globset), 10);
	}
	fixture_free(f);
}

static void test_hierarchy(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { .RopId = RopCreateFolder };
	uint8_t *data = NULL;
	size_t len = 0;
	struct parsed p1, p2;

	open_folder(f, H_FOLDER2, f->fids[0]);
	configure(f, H_FOLDER2, SynchronizationType_Hierarchy,
		  SynchronizationFlags_Unicode, SynchronizationExtraFlags_Eid, ecSuccess);
	assert_true(download(f, f, H_SYNC, 512, 0, 10000, &data, &len));
	parse(f, data, len, FXICS_ROOT_HIERARCHY_SYNC, &p1);
	assert_true(p1.changes >= 10);
	assert_true(idset_atom_has(f, p1.state[0], f->fids[4], true) ||
		    p1.state[0] != NULL);

	/* a new folder below the Inbox: one folderChange next time */
	open_folder(f, H_FOLDER, f->fids[4]);
	r.u.RopCreateFolder.InputHandleIndex = H_FOLDER;
	r.u.RopCreateFolder.OutputHandleIndex = H_OTHER;
	r.u.RopCreateFolder.FolderType = 1;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"Projects";
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	run1(f, f, &r, ecSuccess);
	configure(f, H_FOLDER2, SynchronizationType_Hierarchy,
		  SynchronizationFlags_Unicode, 0, ecSuccess);
	upload_state(f, &p1, 2);
	data = NULL;
	len = 0;
	assert_true(download(f, f, H_SYNC, 0x4000, 0, 100, &data, &len));
	parse(f, data, len, FXICS_ROOT_HIERARCHY_SYNC, &p2);
	assert_int_equal(p2.changes, 1);
	fixture_free(f);
}

static void test_state_errors(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { 0 };
	static const uint8_t junk[] = { 0x01, 0x02, 0x03 };

	open_folder(f, H_FOLDER, f->fids[4]);
	configure(f, H_FOLDER, SynchronizationType_Contents, CONTENTS_FLAGS, 0, ecSuccess);
	r.RopId = RopSynchronizationUploadStateStreamContinue;
	r.u.RopSynchronizationUploadStateStreamContinue.InputHandleIndex = H_SYNC;
	r.u.RopSynchronizationUploadStateStreamContinue.StreamDataSize = 3;
	r.u.RopSynchronizationUploadStateStreamContinue.StreamData = (uint8_t *)(uintptr_t)junk;
	run1(f, f, &r, ecError);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamBegin;
	r.u.RopSynchronizationUploadStateStreamBegin.InputHandleIndex = H_SYNC;
	r.u.RopSynchronizationUploadStateStreamBegin.StateProperty = PidTagSubject;
	run1(f, f, &r, ecNotSupported);
	r.u.RopSynchronizationUploadStateStreamBegin.StateProperty = MetaTagCnsetSeen;
	r.u.RopSynchronizationUploadStateStreamBegin.TransferBufferSize = ICS_STATE_MAX_SIZE + 1;
	run1(f, f, &r, ecTooBig);
	r.u.RopSynchronizationUploadStateStreamBegin.TransferBufferSize = 3;
	run1(f, f, &r, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamContinue;
	r.u.RopSynchronizationUploadStateStreamContinue.InputHandleIndex = H_SYNC;
	r.u.RopSynchronizationUploadStateStreamContinue.StreamDataSize = 3;
	r.u.RopSynchronizationUploadStateStreamContinue.StreamData = (uint8_t *)(uintptr_t)junk;
	run1(f, f, &r, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamEnd;
	r.u.RopSynchronizationUploadStateStreamEnd.InputHandleIndex = H_SYNC;
	run1(f, f, &r, ecInvalidParam);
	/* GetBuffer on a folder, state ROPs on a folder */
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferSourceGetBuffer;
	r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceGetBuffer.BufferSize = 100;
	run1(f, f, &r, ecNotSupported);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamEnd;
	r.u.RopSynchronizationUploadStateStreamEnd.InputHandleIndex = H_FOLDER;
	run1(f, f, &r, ecNotSupported);
	fixture_free(f);
}


static const uint8_t client_guid[16] = { 0xC1, 0x1E, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					  10, 11, 12 };

/* a 22-byte XID / source key: @guid + GLOBCNT @g, high-order byte first */
static uint8_t *xid(TALLOC_CTX *mem, const uint8_t guid[16], uint64_t g)
{
	return ics_test_xid(mem, guid, g);
}

static void bin_prop(struct TaggedPropertyValue *v, uint32_t tag, uint8_t *data, uint32_t len)
{
	ics_test_bin_prop(v, tag, data, len);
}

/* RopSynchronizationImportMessageChange of @sk with change key @ck and
 * PCL @pcl (a serialized PCL) */
static uint32_t import_change(struct fixture *f, TALLOC_CTX *mem, uint8_t *sk, uint8_t *ck,
			      uint8_t *pcl, uint32_t pcl_len, uint8_t flags)
{
	struct rop_request r = { .RopId = RopSynchronizationImportMessageChange };
	struct TaggedPropertyValue *v = talloc_zero_array(mem, struct TaggedPropertyValue, 4);
	struct rop_buffer *out;

	ics_test_import_props(v, sk, ck, pcl, pcl_len);
	r.u.RopSynchronizationImportMessageChange.InputHandleIndex = H_COLL;
	r.u.RopSynchronizationImportMessageChange.OutputHandleIndex = H_MSG;
	r.u.RopSynchronizationImportMessageChange.ImportFlag = flags;
	r.u.RopSynchronizationImportMessageChange.PropertyValueCount = 4;
	r.u.RopSynchronizationImportMessageChange.PropertyValues = v;
	out = run(f, mem, &r, 1);
	if (emsmdb_test_rv(&out->responses[0]) == ecSuccess) {
		assert_int_equal(out->responses[0].u.RopSynchronizationImportMessageChange.MessageId, 0);
	}
	return emsmdb_test_rv(&out->responses[0]);
}

static void save_imported(struct fixture *f, TALLOC_CTX *mem, const char *subject)
{
	(void)ics_test_save_subject(&f->rt, H_MSG, H_OTHER, subject);
}

static void open_collector(struct fixture *f, uint8_t folder, bool contents)
{
	ics_test_open_collector(&f->rt, folder, H_COLL, contents);
}

static bool subject_synced(struct fixture *f, const struct parsed *p, const char *subject)
{
	size_t i;

	(void)f;
	for (i = 0; i < p->count; i++) {
		if (p->atoms[i].PropertyTag == PidTagSubject &&
		    strcmp(p->atoms[i].Value.u.str, subject) == 0) {
			return true;
		}
	}
	return false;
}

static void test_upload_messages(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct mapistore_change *row = NULL;
	uint8_t guid[16], pcl[2 * 23], *sk, *ck;
	struct parsed p;
	uint64_t last, m1, m2, m3;

	open_folder(f, H_FOLDER, f->fids[4]);
	m1 = new_message(f, "server one", false, 0);
	m2 = new_message(f, "server two", false, 0);
	m3 = new_message(f, "server three", false, 0);
	assert_int_equal(mapistore_changes_get_replica(f->s->mstore, guid, &last),
			 MAPISTORE_SUCCESS);
	open_collector(f, H_FOLDER, true);

	/* a new message from the client */
	sk = xid(f, client_guid, 100);
	ck = xid(f, client_guid, 101);
	pcl[0] = 22;
	memcpy(pcl + 1, ck, 22);
	assert_int_equal(import_change(f, f, sk, ck, pcl, 23, 0), ecSuccess);
	save_imported(f, f, "from the client");
	contents_sync(f, f, NULL, CONTENTS_FLAGS, 0x4000, &p);
	assert_int_equal(p.changes, 4);
	assert_true(subject_synced(f, &p, "from the client"));

	/* the server already has this version: ecSyncIgnore */
	assert_int_equal(mapistore_changes_get(f, f->s->mstore, m1, &row), MAPISTORE_SUCCESS);
	sk = xid(f, guid, mapistore_fmid_globcnt(m1));
	pcl[0] = row->change_key_size;
	memcpy(pcl + 1, row->change_key, row->change_key_size);
	assert_int_equal(import_change(f, f, sk, row->change_key, pcl, 23, 0), ecSyncIgnore);

	/* a client change that knows the server's: a plain update */
	ck = xid(f, client_guid, 200);
	pcl[23] = 22;
	memcpy(pcl + 24, ck, 22);
	assert_int_equal(import_change(f, f, sk, ck, pcl, 46, 0x40), ecSuccess);
	save_imported(f, f, "server one, edited by the client");

	/* a conflict: m2 changed on the server, the client's PCL lacks it */
	sk = xid(f, guid, mapistore_fmid_globcnt(m2));
	ck = xid(f, client_guid, 300);
	pcl[0] = 22;
	memcpy(pcl + 1, ck, 22);
	assert_int_equal(import_change(f, f, sk, ck, pcl, 23, 0x40), ecSyncConflict);
	/* without FailOnConflict the last writer wins */
	assert_int_equal(import_change(f, f, sk, ck, pcl, 23, 0), ecSuccess);
	save_imported(f, f, "client wins");
	talloc_free(row);
	assert_int_equal(mapistore_changes_get(f, f->s->mstore, m2, &row), MAPISTORE_SUCCESS);
	{
		bool has_client = false;

		/* the winner integrates the client's change and keeps the
		 * server's history: two namespaces in its PCL */
		assert_int_equal(mapistore_pcl_includes(&row->pcl, ck, 22, &has_client),
				 MAPISTORE_SUCCESS);
		assert_true(has_client);
		assert_true(row->pcl.length >= 46);
	}
	contents_sync(f, f, NULL, CONTENTS_FLAGS, 0x4000, &p);
	assert_true(subject_synced(f, &p, "client wins"));
	assert_true(subject_synced(f, &p, "server one, edited by the client"));

	/* read state and deletion */
	{
		struct rop_request r = { .RopId = RopSynchronizationImportReadStateChanges };
		struct MessageReadState rs = { .MessageIdSize = 22, .MarkAsRead = 1 };
		struct TaggedPropertyValue del = { .PropertyTag = 0x00001102 };
		struct oxcdata_binary b = { 22, NULL };

		rs.MessageId = xid(f, guid, mapistore_fmid_globcnt(m3));
		r.u.RopSynchronizationImportReadStateChanges.InputHandleIndex = H_COLL;
		r.u.RopSynchronizationImportReadStateChanges.MessageReadStateCount = 1;
		r.u.RopSynchronizationImportReadStateChanges.MessageReadStates = &rs;
		run1(f, f, &r, ecSuccess);
		talloc_free(row);
		assert_int_equal(mapistore_changes_get(f, f->s->mstore, m3, &row),
				 MAPISTORE_SUCCESS);
		assert_true(row->read);
		assert_true(row->read_cn != 0);

		b.lpb = xid(f, guid, mapistore_fmid_globcnt(m3));
		del.Value.PropertyType = 0x1102;
		del.Value.u.mv.Count = 1;
		del.Value.u.mv.v.bin = &b;
		memset(&r, 0, sizeof(r));
		r.RopId = RopSynchronizationImportDeletes;
		r.u.RopSynchronizationImportDeletes.InputHandleIndex = H_COLL;
		r.u.RopSynchronizationImportDeletes.ImportDeleteFlags = 0;
		r.u.RopSynchronizationImportDeletes.PropertyValueCount = 1;
		r.u.RopSynchronizationImportDeletes.PropertyValues = &del;
		run1(f, f, &r, ecSuccess);
		TALLOC_FREE(row);
		assert_int_equal(mapistore_changes_get(f, f->s->mstore, m3, &row),
				 MAPISTORE_ERR_NOT_FOUND);
		/* hierarchy deletes on a contents collector */
		r.u.RopSynchronizationImportDeletes.ImportDeleteFlags = 0x01;
		run1(f, f, &r, ecInvalidParam);
	}

	/* the collector's state: what was imported is seen */
	{
		struct rop_request r = { .RopId = RopSynchronizationGetTransferState };
		uint8_t *data = NULL;
		size_t len = 0;
		struct parsed st;

		r.u.RopSynchronizationGetTransferState.InputHandleIndex = H_COLL;
		r.u.RopSynchronizationGetTransferState.OutputHandleIndex = H_FX;
		run1(f, f, &r, ecSuccess);
		assert_true(download(f, f, H_FX, 0x4000, 0, 10, &data, &len));
		parse(f, data, len, FXICS_ROOT_STATE, &st);
		assert_null(st.state[0]);	/* no IdsetGiven on uploads */
		assert_non_null(st.state[1]);
		assert_non_null(st.state[3]);
		talloc_free(row);
		assert_int_equal(mapistore_changes_get(f, f->s->mstore, m2, &row),
				 MAPISTORE_SUCCESS);
		{
			struct IDSET *seen = NULL;

			assert_int_equal(idset_decode(f, st.state[1]->Value.u.bin.lpb,
						      st.state[1]->Value.u.bin.cb, true, &seen),
					 ROP_OK);
			/* m2 was saved as a conflict resolve message: its CN
			 * stays out, so this client downloads the versions and
			 * builds its own resolve message ([MS-OXCFXICS]
			 * 3.1.5.6.2.1) */
			assert_false(globset_contains(seen->Entries[0].Globset, row->cn));
		}
	}
	fixture_free(f);
}

static void test_upload_move_hierarchy_replica_ids(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { 0 };
	struct rop_response *resp;
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL;
	struct mapistore_property subj = { .proptag = PidTagSubject };
	uint8_t guid[16], first[6];
	uint64_t last, mid;
	struct parsed p;
	uint8_t *data = NULL;
	size_t len = 0;

	assert_int_equal(mapistore_changes_get_replica(f->s->mstore, guid, &last),
			 MAPISTORE_SUCCESS);
	/* a message in the Outbox, moved into the Inbox by the client */
	assert_int_equal(mapistore_folder_open(f, f->s->mstore, f->fids[5], &mf),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_create(f, mf, false, &mm), MAPISTORE_SUCCESS);
	subj.value.str = (char *)(uintptr_t)"moved";
	assert_int_equal(mapistore_properties_set(mapistore_message_object(mm), &subj, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(mm), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(mm);
	talloc_free(mm);
	talloc_free(mf);
	open_folder(f, H_FOLDER, f->fids[4]);
	open_collector(f, H_FOLDER, true);
	r.RopId = RopSynchronizationImportMessageMove;
	r.u.RopSynchronizationImportMessageMove.InputHandleIndex = H_COLL;
	r.u.RopSynchronizationImportMessageMove.SourceFolderIdSize = 22;
	r.u.RopSynchronizationImportMessageMove.SourceFolderId =
		xid(f, guid, mapistore_fmid_globcnt(f->fids[5]));
	r.u.RopSynchronizationImportMessageMove.SourceMessageIdSize = 22;
	r.u.RopSynchronizationImportMessageMove.SourceMessageId =
		xid(f, guid, mapistore_fmid_globcnt(mid));
	r.u.RopSynchronizationImportMessageMove.PredecessorChangeListSize = 0;
	r.u.RopSynchronizationImportMessageMove.DestinationMessageIdSize = 22;
	r.u.RopSynchronizationImportMessageMove.DestinationMessageId = xid(f, client_guid, 7);
	r.u.RopSynchronizationImportMessageMove.ChangeNumberSize = 22;
	r.u.RopSynchronizationImportMessageMove.ChangeNumber = xid(f, client_guid, 8);
	resp = run1(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopSynchronizationImportMessageMove.MessageId, 0);
	contents_sync(f, f, NULL, CONTENTS_FLAGS, 0x4000, &p);
	assert_true(subject_synced(f, &p, "moved"));
	/* the same move again: the source is gone */
	run1(f, f, &r, ecNotFound);

	/* a folder from the client, below the Inbox */
	open_collector(f, H_FOLDER, false);
	{
		struct TaggedPropertyValue hv[6];

		bin_prop(&hv[0], PidTagParentSourceKey, NULL, 0);
		bin_prop(&hv[1], PidTagSourceKey, xid(f, client_guid, 9), 22);
		memset(&hv[2], 0, sizeof(hv[2]));
		hv[2].PropertyTag = PidTagLastModificationTime;
		hv[2].Value.PropertyType = PtypTime;
		bin_prop(&hv[3], PidTagChangeKey, xid(f, client_guid, 10), 22);
		bin_prop(&hv[4], PidTagPredecessorChangeList, NULL, 0);
		memset(&hv[5], 0, sizeof(hv[5]));
		hv[5].PropertyTag = PidTagDisplayName;
		hv[5].Value.PropertyType = PtypString;
		hv[5].Value.u.str = (char *)(uintptr_t)"From Outlook";
		memset(&r, 0, sizeof(r));
		r.RopId = RopSynchronizationImportHierarchyChange;
		r.u.RopSynchronizationImportHierarchyChange.InputHandleIndex = H_COLL;
		r.u.RopSynchronizationImportHierarchyChange.HierarchyValueCount = 6;
		r.u.RopSynchronizationImportHierarchyChange.HierarchyValues = hv;
		run1(f, f, &r, ecSuccess);
	}
	configure(f, H_FOLDER, SynchronizationType_Hierarchy, SynchronizationFlags_Unicode, 0,
		  ecSuccess);
	assert_true(download(f, f, H_SYNC, 0x4000, 0, 100, &data, &len));
	parse(f, data, len, FXICS_ROOT_HIERARCHY_SYNC, &p);
	assert_int_equal(p.changes, 1);
	{
		bool named = false;

		for (size_t i = 0; i < p.count; i++) {
			named |= p.atoms[i].PropertyTag == PidTagDisplayName &&
				 strcmp(p.atoms[i].Value.u.str, "From Outlook") == 0;
		}
		assert_true(named);
	}

	/* RopGetLocalReplicaIds: disjoint ranges of the mailbox replica */
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetLocalReplicaIds;
	r.u.RopGetLocalReplicaIds.InputHandleIndex = H_LOGON;
	r.u.RopGetLocalReplicaIds.IdCount = 100;
	resp = run1(f, f, &r, ecSuccess);
	assert_memory_equal(resp->u.RopGetLocalReplicaIds.ReplGuid, guid, 16);
	memcpy(first, resp->u.RopGetLocalReplicaIds.GlobalCount, 6);
	resp = run1(f, f, &r, ecSuccess);
	{
		uint64_t a = 0, b = 0;

		for (int k = 0; k < 6; k++) {
			a = (a << 8) | first[k];
			b = (b << 8) | resp->u.RopGetLocalReplicaIds.GlobalCount[k];
		}
		assert_true(b >= a + 100);
	}
	r.u.RopGetLocalReplicaIds.IdCount = 0;
	run1(f, f, &r, ecInvalidParam);
	fixture_free(f);
}

/* download H_FX completely and validate it as @root */
static void fx_check(struct fixture *f, enum fxics_root root, struct parsed *p)
{
	uint8_t *data = NULL;
	size_t len = 0;

	assert_true(download(f, f, H_FX, 100, 0, 10000, &data, &len));
	parse(f, data, len, root, p);
}

static size_t count_tag(const struct parsed *p, uint32_t tag)
{
	size_t i, n = 0;

	for (i = 0; i < p->count; i++) {
		n += p->atoms[i].PropertyTag == tag;
	}
	return n;
}

static void test_fast_transfer_copy(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { 0 };
	struct parsed p;
	uint64_t mids[2];
	static const uint32_t subject_tag[] = { PidTagSubject };

	open_folder(f, H_FOLDER, f->fids[4]);
	mids[0] = new_message(f, "first", false, 10);
	mids[1] = new_message(f, "second", false, 0);
	new_big_message(f, 1000);

	/* CopyMessages: messageList */
	r.RopId = RopFastTransferSourceCopyMessages;
	r.u.RopFastTransferSourceCopyMessages.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceCopyMessages.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyMessages.MessageIdCount = 2;
	r.u.RopFastTransferSourceCopyMessages.MessageIds = mids;
	r.u.RopFastTransferSourceCopyMessages.SendOptions = SendOptions_Unicode;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_MESSAGE_LIST, &p);
	assert_int_equal(count_tag(&p, StartMessage), 2);
	assert_int_equal(count_tag(&p, PidTagSubject), 2);
	r.u.RopFastTransferSourceCopyMessages.CopyFlags = 0x01;	/* Move: the owner may */
	run1(f, f, &r, ecSuccess);				/* delete both */
	fx_check(f, FXICS_ROOT_MESSAGE_LIST, &p);
	assert_int_equal(count_tag(&p, StartMessage), 2);

	/* RopTellVersion on the context; not on a folder */
	memset(&r, 0, sizeof(r));
	r.RopId = RopTellVersion;
	r.u.RopTellVersion.InputHandleIndex = H_FX;
	r.u.RopTellVersion.Version[0] = 0x0E;
	run1(f, f, &r, ecSuccess);
	r.u.RopTellVersion.InputHandleIndex = H_FOLDER;
	run1(f, f, &r, ecNotSupported);

	/* CopyTo / CopyProperties of a message */
	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenMessage;
	r.u.RopOpenMessage.InputHandleIndex = H_FOLDER;
	r.u.RopOpenMessage.OutputHandleIndex = H_MSG;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = f->fids[4];
	r.u.RopOpenMessage.MessageId = mids[0];
	run1(f, f, &r, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferSourceCopyTo;
	r.u.RopFastTransferSourceCopyTo.InputHandleIndex = H_MSG;
	r.u.RopFastTransferSourceCopyTo.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyTo.SendOptions = SendOptions_Unicode;
	r.u.RopFastTransferSourceCopyTo.PropertyTagCount = 1;
	r.u.RopFastTransferSourceCopyTo.PropertyTags = (uint32_t *)(uintptr_t)subject_tag;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_MESSAGE_CONTENT, &p);
	assert_int_equal(count_tag(&p, PidTagSubject), 0);
	assert_int_equal(count_tag(&p, 0x1000001F), 1);
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferSourceCopyProperties;
	r.u.RopFastTransferSourceCopyProperties.InputHandleIndex = H_MSG;
	r.u.RopFastTransferSourceCopyProperties.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyProperties.SendOptions = SendOptions_Unicode;
	r.u.RopFastTransferSourceCopyProperties.PropertyTagCount = 1;
	r.u.RopFastTransferSourceCopyProperties.PropertyTags = (uint32_t *)(uintptr_t)subject_tag;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_MESSAGE_CONTENT, &p);
	assert_int_equal(p.count, 1);
	assert_int_equal(p.atoms[0].PropertyTag, PidTagSubject);

	/* CopyTo of the folder (folderContent) and CopyFolder (topFolder) */
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferSourceCopyTo;
	r.u.RopFastTransferSourceCopyTo.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceCopyTo.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyTo.SendOptions = SendOptions_Unicode;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_FOLDER_CONTENT, &p);
	assert_int_equal(count_tag(&p, StartMessage), 3);
	assert_int_equal(count_tag(&p, NewAttach), 1);
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferSourceCopyFolder;
	r.u.RopFastTransferSourceCopyFolder.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceCopyFolder.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyFolder.CopyFlags = 0x10;
	r.u.RopFastTransferSourceCopyFolder.SendOptions = SendOptions_Unicode;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_TOP_FOLDER, &p);
	assert_int_equal(count_tag(&p, StartMessage), 3);
	/* the whole mailbox from the root: system folders, subfolders */
	open_folder(f, H_FOLDER2, f->fids[0]);
	r.u.RopFastTransferSourceCopyFolder.InputHandleIndex = H_FOLDER2;
	run1(f, f, &r, ecSuccess);
	fx_check(f, FXICS_ROOT_TOP_FOLDER, &p);
	assert_true(count_tag(&p, StartSubFld) >= 10);
	assert_int_equal(count_tag(&p, StartMessage), 3);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contents_initial_and_incremental,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fai_only_and_flags, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_large_message_split, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_resume, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_state_errors, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_upload_messages, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_upload_move_hierarchy_replica_ids,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fast_transfer_copy, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Exact ICS checkpoints ([MS-OXCFXICS] 3.2.5.9.3.1
 * RopSynchronizationGetTransferState during a download): an incremental
 * contents sync (2.2.4.3.2: message changes, deletions, read-state
 * changes) and a hierarchy sync (2.2.4.3.3: folder changes, deletions)
 * are cut at every GetBuffer boundary; from each checkpoint a new
 * context resumes, and what the first part delivered completely plus
 * what the resumed part delivers must be exactly the changes of an
 * uninterrupted sync: nothing lost (a deletions or readStateChanges
 * element not yet fully taken is not in the checkpoint), nothing taken
 * completely sent again, and the same final state.
 * Through the dispatcher, on a real mapistore (memory backend).
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 10
#define H_LOGON 0
#define H_FOLDER 1	/* the Inbox */
#define H_SYNC 2	/* the interrupted context */
#define H_FX 3		/* a checkpoint's FastTransfer context */
#define H_MSG 4
#define H_OTHER 5
#define H_RESUME 6	/* a context resumed from a checkpoint */
#define H_ROOT 7	/* the mailbox root (hierarchy sync) */
#define H_SUB 8

#define CONTENTS_FLAGS (SynchronizationFlags_Unicode | SynchronizationFlags_Normal | \
			SynchronizationFlags_FAI | SynchronizationFlags_ReadState | \
			SynchronizationFlags_Progress)
#define HIERARCHY_FLAGS SynchronizationFlags_Unicode
/* cuts inside every element (a part that does not fit is asked again
 * with more room, see get_buffer) */
#define CUT_SIZE 4
#define MAX_CALLS 100000u

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	uint64_t fids[13];
	struct emsmdb_test_rops rt;
	struct Restriction *restriction;	/* of every contents Configure, NULL: none */
	struct ics_test_place inbox;	/* where the message helpers act */
};

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "icsckpt", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[4]);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_ROOT, f->fids[0]);
	f->inbox.folder = H_FOLDER;
	f->inbox.msg = H_MSG;
	f->inbox.response = H_OTHER;
	f->inbox.fid = f->fids[4];
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static void run_ok(struct fixture *f, struct rop_request *r)
{
	TALLOC_CTX *tmp = talloc_new(f);

	emsmdb_test_run1(&f->rt, tmp, r, ecSuccess);
	talloc_free(tmp);
}

static void release(struct fixture *f, uint8_t idx)
{
	ics_test_release(&f->rt, idx);
}

/* ---- the server's data ---- */

static uint64_t new_message(struct fixture *f, const char *subject, size_t body_size)
{
	struct TaggedPropertyValue body = { .PropertyTag = 0x1000001F }; /* PidTagBody */
	struct emsmdb_test_message m = {
		.folder = H_FOLDER, .msg = H_MSG, .response = H_OTHER,
		.fid = f->fids[4], .subject = subject,
	};
	char *text = talloc_size(f, body_size + 1);
	uint64_t mid;
	size_t i;

	assert_non_null(text);
	for (i = 0; i < body_size; i++) {
		text[i] = (char)('a' + i % 26);
	}
	text[body_size] = '\0';
	body.Value.PropertyType = PtypString;
	body.Value.u.str = text;
	m.more = &body;
	m.more_count = body_size > 0 ? 1 : 0;
	mid = emsmdb_test_new_message(&f->rt, f, &m);
	talloc_free(text);
	release(f, H_MSG);
	return mid;
}

/* the message helpers of ics_test_util.h, then the message released */
static void set_read(struct fixture *f, uint64_t mid, bool read)
{
	ics_test_set_read(&f->rt, &f->inbox, mid, read);
	release(f, H_MSG);
}

static void modify_subject(struct fixture *f, uint64_t mid, const char *subject)
{
	ics_test_modify_subject(&f->rt, &f->inbox, mid, subject);
	release(f, H_MSG);
}

/* a folder named @name below the folder open at @parent, left open at @out */
static uint64_t new_folder(struct fixture *f, uint8_t parent, uint8_t out, const char *name)
{
	return ics_test_new_folder(&f->rt, parent, out, name);
}

static void delete_folder(struct fixture *f, uint64_t fid)
{
	struct rop_request r = { .RopId = RopDeleteFolder };

	r.u.RopDeleteFolder.InputHandleIndex = H_FOLDER;
	r.u.RopDeleteFolder.DeleteFolderFlags = 0x05;	/* DEL_MESSAGES | DEL_FOLDERS */
	r.u.RopDeleteFolder.FolderId = fid;
	run_ok(f, &r);
}

/* ---- the client's side of a download ---- */

static void configure(struct fixture *f, uint8_t in, uint8_t out, uint8_t type)
{
	bool contents = type == SynchronizationType_Contents;
	struct ics_test_sync c = { in, out, type, contents ? CONTENTS_FLAGS : HIERARCHY_FLAGS,
				   SynchronizationExtraFlags_Eid,
				   contents ? f->restriction : NULL };

	ics_test_configure(&f->rt, &c, ecSuccess);
}

/*
 * One GetBuffer of at most @size bytes appended to *data; true when
 * Done. When @size cannot hold the next indivisible part
 * (ecBufferTooSmall, nothing taken) it is asked again with twice the size.
 */
static bool get_buffer(struct fixture *f, TALLOC_CTX *mem, uint8_t idx, uint16_t size,
		       uint8_t **data, size_t *len)
{
	struct rop_request r = { .RopId = RopFastTransferSourceGetBuffer };
	const struct RopFastTransferSourceGetBuffer_resp *g;
	TALLOC_CTX *tmp = talloc_new(mem);
	struct rop_buffer *out;
	bool done;

	r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = idx;
	for (;;) {
		r.u.RopFastTransferSourceGetBuffer.BufferSize = size;
		out = emsmdb_test_run(&f->rt, tmp, &r, 1);
		if (emsmdb_test_rv(&out->responses[0]) != ecBufferTooSmall) {
			break;
		}
		assert_true(size < 0x4000);
		size *= 2;
	}
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	g = &out->responses[0].u.RopFastTransferSourceGetBuffer;
	assert_true(g->TransferBufferSize <= size);
	*data = talloc_realloc(mem, *data, uint8_t, *len + g->TransferBufferSize + 1);
	assert_non_null(*data);
	memcpy(*data + *len, g->TransferBuffer, g->TransferBufferSize);
	*len += g->TransferBufferSize;
	done = g->TransferStatus == TransferStatus_Done;
	if (!done) {
		assert_int_equal(g->TransferStatus, TransferStatus_Partial);
		assert_true(g->TransferBufferSize > 0);
	}
	talloc_free(tmp);
	return done;
}

/* the whole stream of @idx, in @size-byte buffers */
static void download(struct fixture *f, TALLOC_CTX *mem, uint8_t idx, uint16_t size,
		     uint8_t **data, size_t *len)
{
	unsigned calls;

	*data = NULL;
	*len = 0;
	for (calls = 0; calls < MAX_CALLS; calls++) {
		if (get_buffer(f, mem, idx, size, data, len)) {
			return;
		}
	}
	fail_msg("stream of handle %u never ended", idx);
}

/* GetTransferState on @idx: the state element's bytes */
static void transfer_state(struct fixture *f, TALLOC_CTX *mem, uint8_t idx,
			   uint8_t **data, size_t *len)
{
	struct rop_request r = { .RopId = RopSynchronizationGetTransferState };

	r.u.RopSynchronizationGetTransferState.InputHandleIndex = idx;
	r.u.RopSynchronizationGetTransferState.OutputHandleIndex = H_FX;
	run_ok(f, &r);
	download(f, mem, H_FX, 0x4000, data, len);
	release(f, H_FX);
}

/* What a stream (or a prefix of it) delivered, by kind. */
struct delivered {
	struct IDSET *changes;	/* MIDs / FIDs of complete messageChange / folderChange */
	struct IDSET *deleted;	/* MetaTagIdsetDeleted */
	struct IDSET *out;	/* MetaTagIdsetNoLongerInScope */
	struct IDSET *read, *unread;
	const struct fxics_atom *state[4];	/* the state element, if complete */
	size_t dup;		/* changes delivered twice */
};

static struct IDSET *decode_ids(TALLOC_CTX *mem, const struct fxics_atom *a, bool replguid)
{
	struct IDSET *set = NULL;

	assert_int_equal(idset_decode(mem, a->Value.u.bin.lpb, a->Value.u.bin.cb, replguid,
				      &set), ROP_OK);
	return set;
}

static bool top_level(uint32_t tag)
{
	return tag == IncrSyncChg || tag == IncrSyncDel || tag == IncrSyncRead ||
		tag == IncrSyncStateBegin || tag == IncrSyncEnd ||
		tag == IncrSyncProgressMode || tag == IncrSyncProgressPerMsg;
}

/* one element (atoms [first, end)) counts as delivered */
static void element_take(TALLOC_CTX *mem, struct delivered *d, struct fxics_atom **atoms,
			 size_t first, size_t end)
{
	uint32_t kind = atoms[first]->PropertyTag;
	bool have_id = false;
	size_t i, s;

	for (i = first + 1; i < end; i++) {
		const struct fxics_atom *a = atoms[i];

		if (kind == IncrSyncChg && !have_id &&
		    (a->PropertyTag == PidTagMid || a->PropertyTag == PidTagFolderId)) {
			if (idset_contains_id(d->changes, a->Value.u.d)) {
				d->dup++;
			}
			assert_int_equal(idset_add_id(d->changes, a->Value.u.d), ROP_OK);
			have_id = true;
		}
		if (a->PropertyTag == MetaTagIdsetDeleted ||
		    a->PropertyTag == MetaTagIdsetNoLongerInScope ||
		    a->PropertyTag == MetaTagIdsetRead || a->PropertyTag == MetaTagIdsetUnread) {
			struct IDSET *dst = a->PropertyTag == MetaTagIdsetDeleted ? d->deleted :
				a->PropertyTag == MetaTagIdsetNoLongerInScope ? d->out :
				a->PropertyTag == MetaTagIdsetRead ? d->read : d->unread;

			assert_int_equal(idset_union(dst, decode_ids(mem, a, false)), ROP_OK);
		}
		for (s = 0; kind == IncrSyncStateBegin && s < 4; s++) {
			if (a->PropertyTag == ics_test_state_tags[s]) {
				d->state[s] = a;
			}
		}
	}
	assert_true(kind != IncrSyncChg || have_id);
}

/*
 * The elements of @data (a complete stream) whose last byte is among the
 * first @taken bytes, into @d (on @mem). The stream is checked against
 * the grammar of @root when @taken covers it all.
 */
static void delivered_of(TALLOC_CTX *mem, const uint8_t *data, size_t len, size_t taken,
			 enum fxics_root root, struct delivered *d)
{
	struct fxics_decoder *dec = fxics_decoder_new(mem, 1252, 0);
	struct fxics_atom **atoms = NULL, *flat = NULL;
	uint64_t *ends = NULL;
	size_t n = 0, i, first, bad = 0;

	memset(d, 0, sizeof(*d));
	d->changes = idset_new(mem, false);
	d->deleted = idset_new(mem, false);
	d->out = idset_new(mem, false);
	d->read = idset_new(mem, false);
	d->unread = idset_new(mem, false);
	assert_non_null(dec);
	assert_int_equal(fxics_decoder_feed(dec, data, len), ROP_OK);
	for (;;) {
		struct fxics_atom *a = NULL;

		assert_int_equal(fxics_decoder_next(dec, mem, &a), ROP_OK);
		if (a == NULL) {
			break;
		}
		atoms = talloc_realloc(mem, atoms, struct fxics_atom *, n + 1);
		ends = talloc_realloc(mem, ends, uint64_t, n + 1);
		assert_non_null(atoms);
		assert_non_null(ends);
		atoms[n] = a;
		ends[n++] = fxics_decoder_offset(dec);
	}
	assert_int_equal(fxics_decoder_finish(dec), ROP_OK);
	assert_true(n > 0);
	assert_int_equal(ends[n - 1], len);
	if (taken == len) {
		flat = talloc_array(mem, struct fxics_atom, n);
		assert_non_null(flat);
		for (i = 0; i < n; i++) {
			flat[i] = *atoms[i];
		}
		assert_int_equal(fxics_grammar_validate(root, flat, n, &bad), ROP_OK);
	}
	/* an element runs from its top-level marker to the next one */
	for (first = 0; first < n; first = i) {
		assert_true(top_level(atoms[first]->PropertyTag));
		for (i = first + 1; i < n && !top_level(atoms[i]->PropertyTag); i++) {
		}
		if (ends[i - 1] <= taken) {
			element_take(mem, d, atoms, first, i);
		}
	}
}

/* @a | @b equals @want (REPLID-form sets) */
static void assert_union(TALLOC_CTX *mem, const struct IDSET *a, const struct IDSET *b,
			 const struct IDSET *want, const char *what, size_t cut)
{
	struct IDSET *u = idset_new(mem, false);

	assert_non_null(u);
	assert_int_equal(idset_union(u, a), ROP_OK);
	assert_int_equal(idset_union(u, b), ROP_OK);
	if (!idset_equal(u, want)) {
		fail_msg("%s: the checkpoint after %zu bytes loses or adds some", what, cut);
	}
}

/* @a & @b is empty (REPLID-form sets) */
static void assert_disjoint(TALLOC_CTX *mem, const struct IDSET *a, const struct IDSET *b,
			    const char *what, size_t cut)
{
	struct IDSET *i = idset_new(mem, false);

	assert_non_null(i);
	assert_int_equal(idset_union(i, a), ROP_OK);
	assert_int_equal(idset_difference(i, b), ROP_OK);
	if (!idset_equal(i, a)) {
		fail_msg("%s: delivered whole before the checkpoint after %zu bytes and "
			 "sent again", what, cut);
	}
}

/* a whole sync of @type on the folder at @folder from state @from */
static void sync_from(struct fixture *f, TALLOC_CTX *mem, uint8_t folder, uint8_t type,
		      const struct delivered *from, uint16_t size, struct delivered *d)
{
	uint8_t *data = NULL;
	size_t len = 0;
	enum fxics_root root = type == SynchronizationType_Contents ?
		FXICS_ROOT_CONTENTS_SYNC : FXICS_ROOT_HIERARCHY_SYNC;

	configure(f, folder, H_RESUME, type);
	if (from != NULL) {
		ics_test_upload_state(&f->rt, H_RESUME, from->state,
				      type == SynchronizationType_Contents ? 4 : 2);
	}
	download(f, mem, H_RESUME, size, &data, &len);
	delivered_of(mem, data, len, len, root, d);
	release(f, H_RESUME);
}

/* the state element of a GetTransferState stream */
static void checkpoint_of(TALLOC_CTX *mem, const uint8_t *data, size_t len,
			  struct delivered *d)
{
	delivered_of(mem, data, len, len, FXICS_ROOT_STATE, d);
}

/* @a's state properties are byte-equal to @b's */
static void assert_same_state(const struct delivered *a, const struct delivered *b,
			      unsigned nprops, size_t cut)
{
	unsigned i;

	for (i = 0; i < nprops; i++) {
		assert_non_null(a->state[i]);
		assert_non_null(b->state[i]);
		if (!fxics_atom_equal(a->state[i], b->state[i])) {
			fail_msg("state property 0x%08x of the checkpoint after %zu bytes "
				 "differs", ics_test_state_tags[i], cut);
		}
	}
}

/*
 * The final state @got of a resumed sync against @want, the final state
 * of the uninterrupted one: the same IdsetGiven, and CNSETs that hold at
 * least @want's (each sync takes one more GLOBCNT for its snapshot, so
 * a later one claims a little more).
 */
static void assert_state_covers(TALLOC_CTX *mem, const struct delivered *got,
				const struct delivered *want, unsigned nprops, size_t cut)
{
	unsigned i;

	assert_same_state(got, want, 1, cut);
	for (i = 1; i < nprops; i++) {
		struct IDSET *g = decode_ids(mem, got->state[i], true);
		struct IDSET *w = decode_ids(mem, want->state[i], true);

		assert_int_equal(idset_difference(w, g), ROP_OK);
		if (w->Count > 0 && w->Entries[0].Globset->RangeCount > 0) {
			fail_msg("state property 0x%08x after resuming from the checkpoint "
				 "after %zu bytes lacks CNs", ics_test_state_tags[i], cut);
		}
	}
}

static bool nothing(const struct delivered *d)
{
	return d->changes->Count == 0 && d->deleted->Count == 0 && d->out->Count == 0 &&
		d->read->Count == 0 && d->unread->Count == 0;
}

/*
 * The incremental sync from @base on the folder at @folder, cut into
 * CUT_SIZE-byte buffers with a checkpoint before each and after the
 * last; each checkpoint resumed in a new context and checked against
 * @ref, the uninterrupted sync. @return the number of checkpoints.
 */
static size_t cut_everywhere(struct fixture *f, uint8_t folder, uint8_t type,
			     const struct delivered *base, const struct delivered *ref)
{
	enum fxics_root root = type == SynchronizationType_Contents ?
		FXICS_ROOT_CONTENTS_SYNC : FXICS_ROOT_HIERARCHY_SYNC;
	unsigned nprops = type == SynchronizationType_Contents ? 4 : 2;
	TALLOC_CTX *mem = talloc_new(f);
	uint8_t *data = NULL, **ckpt = NULL;
	size_t len = 0, *ckpt_len = NULL, *cut = NULL, n = 0, k;
	bool done = false;

	assert_non_null(mem);
	configure(f, folder, H_SYNC, type);
	ics_test_upload_state(&f->rt, H_SYNC, base->state, nprops);
	while (true) {
		ckpt = talloc_realloc(mem, ckpt, uint8_t *, n + 1);
		ckpt_len = talloc_realloc(mem, ckpt_len, size_t, n + 1);
		cut = talloc_realloc(mem, cut, size_t, n + 1);
		assert_non_null(ckpt);
		assert_non_null(ckpt_len);
		assert_non_null(cut);
		transfer_state(f, mem, H_SYNC, &ckpt[n], &ckpt_len[n]);
		cut[n++] = len;
		if (done) {
			break;
		}
		assert_true(n < MAX_CALLS);
		done = get_buffer(f, mem, H_SYNC, CUT_SIZE, &data, &len);
	}
	release(f, H_SYNC);
	for (k = 0; k < n; k++) {
		TALLOC_CTX *tmp = talloc_new(mem);
		struct delivered first, st, rest;

		delivered_of(tmp, data, len, cut[k], root, &first);
		checkpoint_of(tmp, ckpt[k], ckpt_len[k], &st);
		sync_from(f, tmp, folder, type, &st, 0x4000, &rest);
		assert_union(tmp, first.changes, rest.changes, ref->changes, "changes", cut[k]);
		assert_union(tmp, first.deleted, rest.deleted, ref->deleted, "deletions", cut[k]);
		assert_union(tmp, first.out, rest.out, ref->out, "no longer in scope", cut[k]);
		assert_union(tmp, first.read, rest.read, ref->read, "read", cut[k]);
		assert_union(tmp, first.unread, rest.unread, ref->unread, "unread", cut[k]);
		assert_disjoint(tmp, first.changes, rest.changes, "a change", cut[k]);
		assert_disjoint(tmp, first.deleted, rest.deleted, "a deletion", cut[k]);
		assert_disjoint(tmp, first.out, rest.out, "an out-of-scope message", cut[k]);
		assert_disjoint(tmp, first.read, rest.read, "a read state", cut[k]);
		assert_disjoint(tmp, first.unread, rest.unread, "an unread state", cut[k]);
		assert_state_covers(tmp, &rest, ref, nprops, cut[k]);
		/* and nothing is left for the next sync */
		sync_from(f, tmp, folder, type, &rest, 0x4000, &st);
		if (!nothing(&st)) {
			fail_msg("a sync after resuming from the checkpoint after %zu bytes "
				 "still has changes", cut[k]);
		}
		talloc_free(tmp);
	}
	/* the last checkpoint (after Done) is the stream's final state itself */
	{
		struct delivered st, whole;

		checkpoint_of(mem, ckpt[n - 1], ckpt_len[n - 1], &st);
		delivered_of(mem, data, len, len, root, &whole);
		assert_same_state(&st, &whole, nprops, len);
		assert_state_covers(mem, &whole, ref, nprops, len);
	}
	talloc_free(mem);
	return n;
}

static bool has(const struct IDSET *set, uint64_t id)
{
	return idset_contains_id(set, id);
}

static uint64_t cardinality(const struct IDSET *set)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < set->Count; i++) {
		n += globset_cardinality(set->Entries[i].Globset);
	}
	return n;
}

/* [MS-OXCFXICS] 2.2.4.3.2: changes, deletions, read and unread states */
static void test_contents_checkpoints(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct delivered base, ref;
	uint64_t m[9];
	unsigned i;
	size_t n;

	for (i = 0; i < 8; i++) {
		m[i] = new_message(f, "checkpoint", 150 + 40 * i);
	}
	set_read(f, m[5], true);
	sync_from(f, f, H_FOLDER, SynchronizationType_Contents, NULL, 0x4000, &base);
	assert_int_equal(cardinality(base.changes), 8);

	/* two deletions, two messages read, one unread, one change, one add */
	ics_test_delete_message(&f->rt, H_FOLDER, m[1]);
	ics_test_delete_message(&f->rt, H_FOLDER, m[3]);
	set_read(f, m[0], true);
	set_read(f, m[2], true);
	set_read(f, m[5], false);
	modify_subject(f, m[6], "edited");
	m[8] = new_message(f, "new", 300);

	sync_from(f, f, H_FOLDER, SynchronizationType_Contents, &base, 0x4000, &ref);
	assert_true(has(ref.changes, m[6]) && has(ref.changes, m[8]));
	assert_true(has(ref.deleted, m[1]) && has(ref.deleted, m[3]));
	assert_true(has(ref.read, m[0]) && has(ref.read, m[2]));
	assert_true(has(ref.unread, m[5]));
	assert_int_equal(cardinality(ref.changes), 2);
	assert_int_equal(cardinality(ref.deleted), 2);
	assert_int_equal(cardinality(ref.read), 2);
	assert_int_equal(cardinality(ref.unread), 1);

	n = cut_everywhere(f, H_FOLDER, SynchronizationType_Contents, &base, &ref);
	assert_true(n > 20);
	fixture_free(f);
}

/*
 * MetaTagIdsetNoLongerInScope (2.2.4.3.5, 3.2.5.9.1.3): a Configure
 * restriction (PidTagSubject == "in scope") that a renamed message no
 * longer matches, with a deletion and a new message in the same stream.
 */
static void test_out_of_scope_checkpoints(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct Restriction res;
	struct delivered base, ref;
	uint64_t m[6];
	unsigned i;

	memset(&res, 0, sizeof(res));
	res.RestrictType = RES_PROPERTY;
	res.u.Property.RelOp = RELOP_EQ;
	res.u.Property.PropTag = PidTagSubject;
	res.u.Property.TaggedValue.PropertyTag = PidTagSubject;
	res.u.Property.TaggedValue.Value.PropertyType = PtypString;
	res.u.Property.TaggedValue.Value.u.str = (char *)(uintptr_t)"in scope";
	f->restriction = &res;
	for (i = 0; i < 5; i++) {
		m[i] = new_message(f, "in scope", 100 + 30 * i);
	}
	sync_from(f, f, H_FOLDER, SynchronizationType_Contents, NULL, 0x4000, &base);
	assert_int_equal(cardinality(base.changes), 5);

	modify_subject(f, m[2], "out of scope");
	modify_subject(f, m[4], "out of scope");
	ics_test_delete_message(&f->rt, H_FOLDER, m[0]);
	m[5] = new_message(f, "in scope", 200);

	sync_from(f, f, H_FOLDER, SynchronizationType_Contents, &base, 0x4000, &ref);
	assert_true(has(ref.out, m[2]) && has(ref.out, m[4]));
	assert_int_equal(cardinality(ref.out), 2);
	assert_true(has(ref.deleted, m[0]));
	assert_int_equal(cardinality(ref.deleted), 1);
	assert_true(has(ref.changes, m[5]));
	assert_int_equal(cardinality(ref.changes), 1);

	assert_true(cut_everywhere(f, H_FOLDER, SynchronizationType_Contents, &base, &ref) > 20);
	fixture_free(f);
}

/* [MS-OXCFXICS] 2.2.4.3.3: added folders (one inside another), a deletion */
static void test_hierarchy_checkpoints(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct delivered base, ref;
	uint64_t gone, a, b, a1;
	size_t n;

	gone = new_folder(f, H_FOLDER, H_SUB, "Old");
	sync_from(f, f, H_ROOT, SynchronizationType_Hierarchy, NULL, 0x4000, &base);
	assert_true(has(base.changes, gone));

	a = new_folder(f, H_FOLDER, H_SUB, "Projects");
	a1 = new_folder(f, H_SUB, H_OTHER, "Projects 2027");	/* below Projects */
	b = new_folder(f, H_FOLDER, H_SUB, "Archive");
	delete_folder(f, gone);

	sync_from(f, f, H_ROOT, SynchronizationType_Hierarchy, &base, 0x4000, &ref);
	assert_true(has(ref.changes, a) && has(ref.changes, a1) && has(ref.changes, b));
	assert_true(has(ref.deleted, gone));

	n = cut_everywhere(f, H_ROOT, SynchronizationType_Hierarchy, &base, &ref);
	assert_true(n > 10);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contents_checkpoints, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_scope_checkpoints, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy_checkpoints, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Conflict resolution of RopSynchronizationImportMessageChange through
 * the dispatcher, on a real mapistore (SQLite metadata, memory backend):
 * [MS-OXCFXICS] 3.1.5.6.2 with the folder's PidTagResolveMethod
 * (2.2.1.4.1) absent (a conflict resolve message, 3.1.5.6.2.1, the winner
 * by 3.1.5.6.2.2) or RESOLVE_METHOD_LAST_WRITER_WINS, FAI messages (always
 * last writer wins), FailOnConflict, a plain update, a conflict against
 * an existing conflict resolve message, and the ICS download of the
 * result: each version as a messageChangeFull of its own (3.1.5.6.2.1),
 * then quiet; the uploader's collector state; checkpoints between the
 * versions (3.2.5.9.3.1).
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
#define H_FOLDER 1
#define H_SYNC 2
#define H_FX 3		/* a GetTransferState stream */
#define H_MSG 4
#define H_OTHER 5
#define H_COLL 6
#define H_RESUME 7	/* a download resumed from a checkpoint */

#define ImportFlag_Associated 0x10
#define ImportFlag_FailOnConflict 0x40
#define LMT_PAST 0x01C0000000000000ULL	/* older than any server save */
#define LMT_FUTURE 0x0300000000000000ULL	/* newer than any server save */

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	uint64_t fids[13];
	struct emsmdb_test_rops rt;
	uint8_t replguid[16];
};

static const uint8_t client_guid[16] = { 0xC1, 0x1E, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					  10, 11, 12 };
static const uint8_t other_guid[16] = { 0x0D, 0xDE, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					 10, 11, 12 };

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);
	uint64_t last = 0;

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "icsconflict", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[4]);
	assert_int_equal(mapistore_changes_get_replica(f->s->mstore, f->replguid, &last),
			 MAPISTORE_SUCCESS);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* cmocka setup: the test root (oc_test_setup) with a fixture below it in
 * *state; everything a test allocates on the fixture goes with it */
static int fixture_setup(void **state)
{
	if (oc_test_setup(state) != 0) {
		return -1;
	}
	*state = fixture_new(*state);
	return 0;
}

/* cmocka teardown: the fixture, then the leak check of the test root */
static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	*state = talloc_parent(f);
	fixture_free(f);
	return oc_test_teardown(state);
}

static uint8_t *xid(TALLOC_CTX *mem, const uint8_t guid[16], uint64_t g)
{
	return ics_test_xid(mem, guid, g);
}

/* a saved message of the Inbox, straight through mapistore (a change made
 * on the server); with @attach one afByValue attachment "server.txt" */
static uint64_t server_message(struct fixture *f, const char *subject, bool fai, bool attach)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct mapistore_message *mm = NULL;
	static uint8_t blob[100];
	uint64_t mid;

	mm = ics_test_message_new(tmp, f->s->mstore, f->fids[4], fai, subject,
				  "the server's body");
	if (attach) {
		assert_int_equal(ics_test_attach_by_value(tmp, mm, blob, sizeof(blob),
							  "server.txt"), MAPISTORE_SUCCESS);
	}
	assert_int_equal(mapistore_message_save(mm), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(mm);
	talloc_free(tmp);
	return mid;
}

static void open_collector(struct fixture *f)
{
	ics_test_open_collector(&f->rt, H_FOLDER, H_COLL, true);
}

/* RopSynchronizationImportMessageChange of @mid's source key with the
 * change key @ck and the PCL { @ck, @known } (@known NULL: only @ck) */
static uint32_t import_change(struct fixture *f, uint64_t mid, const uint8_t *ck,
			      const uint8_t *known, uint64_t lmt, uint8_t flags)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct rop_request r = { .RopId = RopSynchronizationImportMessageChange };
	struct TaggedPropertyValue v[4];
	uint8_t pcl[46];
	struct rop_buffer *out;
	uint32_t rv, pcl_len = 23;

	pcl[0] = 22;
	memcpy(pcl + 1, ck, 22);
	if (known != NULL) {
		pcl[23] = 22;
		memcpy(pcl + 24, known, 22);
		pcl_len = 46;
	}
	ics_test_import_props(v, xid(tmp, f->replguid, mapistore_fmid_globcnt(mid)), ck, pcl,
			      pcl_len);
	v[1].Value.u.d = lmt;	/* PidTagLastModificationTime */
	r.u.RopSynchronizationImportMessageChange.InputHandleIndex = H_COLL;
	r.u.RopSynchronizationImportMessageChange.OutputHandleIndex = H_MSG;
	r.u.RopSynchronizationImportMessageChange.ImportFlag = flags;
	r.u.RopSynchronizationImportMessageChange.PropertyValueCount = 4;
	r.u.RopSynchronizationImportMessageChange.PropertyValues = v;
	out = emsmdb_test_run(&f->rt, tmp, &r, 1);
	rv = emsmdb_test_rv(&out->responses[0]);
	talloc_free(tmp);
	return rv;
}

/* the client's version: its subject, then RopSaveChangesMessage */
static uint32_t save_imported(struct fixture *f, const char *subject)
{
	return ics_test_save_subject_rv(&f->rt, H_MSG, H_OTHER, subject, NULL);
}

/* PidTagResolveMethod on the Inbox, through RopSetProperties */
static void set_resolve_method(struct fixture *f, uint32_t method)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct TaggedPropertyValue v = { .PropertyTag = PidTagResolveMethod };
	struct rop_request r = { .RopId = RopSetProperties };
	struct mapistore_folder *mf = NULL;

	v.Value.PropertyType = PtypInteger32;
	v.Value.u.l = method;
	r.u.RopSetProperties.InputHandleIndex = H_FOLDER;
	r.u.RopSetProperties.PropertyValueCount = 1;
	r.u.RopSetProperties.PropertyValues = &v;
	emsmdb_test_run1(&f->rt, tmp, &r, ecSuccess);
	assert_int_equal(mapistore_folder_open(tmp, f->s->mstore, f->fids[4], &mf),
			 MAPISTORE_SUCCESS);
	assert_int_equal(ics_conflict_resolve_method(mf), method);
	talloc_free(tmp);
}

/* what the store holds for a message */
struct stored {
	char *subject;
	uint32_t status;
	uint32_t regular;		/* attachments not in conflict */
	uint32_t versions;		/* PidTagInConflict TRUE */
	char *version_subject[16];
	struct mapistore_binary version_ck[16];
	struct mapistore_binary version_pcl[16];
	int64_t version_lmt[16];
	uint32_t version_atts[16];	/* attachments of each version */
};

/* the version keys read back from an embedded message (NULL: not wanted) */
struct version_keys {
	struct mapistore_binary *ck, *pcl;
	int64_t *lmt;
};

static void read_props(TALLOC_CTX *mem, struct mapistore_message *mm, char **subject_r,
		       uint32_t *status_r, const struct version_keys *k)
{
	static const uint32_t tags[] = { PidTagSubject, PidTagMessageStatus, PidTagChangeKey,
					 PidTagPredecessorChangeList,
					 PidTagLastModificationTime };
	struct mapistore_property *p = NULL;

	assert_int_equal(mapistore_properties_get(mem, mapistore_message_object(mm), tags, 5, &p),
			 MAPISTORE_SUCCESS);
	*subject_r = mapistore_property_is_error(&p[0]) ? NULL : p[0].value.str;
	if (status_r != NULL) {
		*status_r = mapistore_property_is_error(&p[1]) ? 0 : (uint32_t)p[1].value.i32;
	}
	if (k == NULL) {
		return;
	}
	/* the keys stamped on each version when the resolve message was
	 * built: they survive the embedded message's save */
	assert_false(mapistore_property_is_error(&p[2]));
	assert_false(mapistore_property_is_error(&p[3]));
	assert_false(mapistore_property_is_error(&p[4]));
	*k->ck = p[2].value.bin;
	*k->pcl = p[3].value.bin;
	*k->lmt = p[4].value.i64;
}

static uint32_t count_attachments(TALLOC_CTX *mem, struct mapistore_message *mm)
{
	struct mapistore_row *rows = NULL;
	uint32_t n = 0;

	assert_int_equal(mapistore_subobject_rows(mem, mm, PidTagMessageAttachments, NULL, 0,
						  &rows, &n), MAPISTORE_SUCCESS);
	return n;
}

static void inspect(struct fixture *f, TALLOC_CTX *mem, uint64_t mid, struct stored *st)
{
	static const uint32_t cols[] = { PidTagInConflict, PidTagAttachMethod };
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL, *emb = NULL;
	struct mapistore_attachment *att = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i, aid;

	memset(st, 0, sizeof(*st));
	assert_int_equal(mapistore_folder_open(mem, f->s->mstore, f->fids[4], &mf),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(mem, mf, mid, false, &mm), MAPISTORE_SUCCESS);
	read_props(mem, mm, &st->subject, &st->status, NULL);
	assert_int_equal(mapistore_subobject_rows(mem, mm, PidTagMessageAttachments, cols, 2,
						  &rows, &n), MAPISTORE_SUCCESS);
	for (i = 0; i < n; i++) {
		assert_int_equal(rows[i].count, 3);
		aid = (uint32_t)rows[i].props[2].value.i32;
		if (mapistore_property_is_error(&rows[i].props[0]) || !rows[i].props[0].value.b) {
			st->regular++;
			continue;
		}
		assert_true(st->versions < 16);
		/* 3.1.5.6.2.1: each version is an embedded message */
		assert_int_equal(rows[i].props[1].value.i32, 5);
		assert_int_equal(mapistore_message_open_attachment(mem, mm, aid, &att),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_attachment_open_embedded(mem, att, false, &emb),
				 MAPISTORE_SUCCESS);
		{
			const struct version_keys k = { &st->version_ck[st->versions],
							&st->version_pcl[st->versions],
							&st->version_lmt[st->versions] };

			read_props(mem, emb, &st->version_subject[st->versions], NULL, &k);
		}
		st->version_atts[st->versions] = count_attachments(mem, emb);
		st->versions++;
	}
}

/* index of the version whose subject is @subject, -1 if none */
static int version_of(const struct stored *st, const char *subject)
{
	uint32_t i;

	for (i = 0; i < st->versions; i++) {
		if (st->version_subject[i] != NULL && strcmp(st->version_subject[i], subject) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* one messageChange of a download: its messageChangeHeader, the first
 * PidTagSubject of its body (the version's own) and where it ends */
struct change {
	struct oxcdata_binary sk, ck, pcl;
	uint64_t lmt;
	const char *subject;
	uint64_t end;			/* stream offset after its last byte */
};

/* a contents download of the Inbox (or a GetTransferState stream): the
 * number of messageChange elements, each of them, the number of
 * PidTagInConflict atoms and the state properties */
#define MAX_CHANGES 16
struct sync_result {
	size_t changes;
	size_t in_conflict;
	struct change change[MAX_CHANGES];
	struct fxics_atom state[4];
};

/* a top-level element of contentsSync starts (2.2.4.3.2) */
static bool top_level(uint32_t tag)
{
	return tag == IncrSyncChg || tag == IncrSyncProgressPerMsg ||
		tag == IncrSyncProgressMode || tag == IncrSyncDel || tag == IncrSyncRead ||
		tag == IncrSyncStateBegin || tag == IncrSyncEnd;
}

/* decode and grammar-check the whole stream @data as @root into @res */
static void parse_stream(TALLOC_CTX *mem, const uint8_t *data, size_t len, enum fxics_root root,
			 struct sync_result *res)
{
	struct fxics_decoder *dec = fxics_decoder_new(mem, 1252, 0);
	struct fxics_atom *flat = NULL, *a;
	struct change *c = NULL;
	bool header = false;
	size_t n = 0, bad = 0, k;

	memset(res, 0, sizeof(*res));
	assert_non_null(dec);
	assert_int_equal(fxics_decoder_feed(dec, data, len), ROP_OK);
	for (;;) {
		a = NULL;
		assert_int_equal(fxics_decoder_next(dec, mem, &a), ROP_OK);
		if (a == NULL) {
			break;
		}
		flat = talloc_realloc(mem, flat, struct fxics_atom, n + 1);
		assert_non_null(flat);
		flat[n++] = *a;
		if (top_level(a->PropertyTag)) {
			c = NULL;
		}
		if (a->PropertyTag == IncrSyncChg) {
			assert_true(res->changes < MAX_CHANGES);
			c = &res->change[res->changes++];
			header = true;
		} else if (a->PropertyTag == IncrSyncMessage) {
			header = false;
		} else if (a->PropertyTag == PidTagInConflict) {
			res->in_conflict++;
		}
		if (c != NULL && header) {
			if (a->PropertyTag == PidTagSourceKey) {
				c->sk = a->Value.u.bin;
			} else if (a->PropertyTag == PidTagChangeKey) {
				c->ck = a->Value.u.bin;
			} else if (a->PropertyTag == PidTagPredecessorChangeList) {
				c->pcl = a->Value.u.bin;
			} else if (a->PropertyTag == PidTagLastModificationTime) {
				c->lmt = a->Value.u.d;
			}
		}
		if (c != NULL && !header && c->subject == NULL && a->PropertyTag == PidTagSubject) {
			c->subject = a->Value.u.str;
		}
		if (c != NULL) {
			c->end = fxics_decoder_offset(dec);
		}
		for (k = 0; k < 4; k++) {
			if (a->PropertyTag == ics_test_state_tags[k]) {
				res->state[k] = *a;
			}
		}
	}
	assert_int_equal(fxics_decoder_finish(dec), ROP_OK);
	assert_int_equal(fxics_grammar_validate(root, flat, n, &bad), ROP_OK);
}

/* upload the four properties of @state into the context at @idx */
static void upload_state(struct fixture *f, uint8_t idx, const struct fxics_atom state[4])
{
	const struct fxics_atom *const p[4] = { &state[0], &state[1], &state[2], &state[3] };

	ics_test_upload_state(&f->rt, idx, p, 4);
}

/* RopSynchronizationConfigure of a contents sync of the Inbox into @idx,
 * from the state @prev (NULL: initial) */
static void configure(struct fixture *f, TALLOC_CTX *mem, uint8_t idx,
		      const struct sync_result *prev)
{
	struct ics_test_sync c = {
		H_FOLDER, idx, SynchronizationType_Contents,
		SynchronizationFlags_Unicode | SynchronizationFlags_Normal |
		SynchronizationFlags_FAI | SynchronizationFlags_Progress,
		SynchronizationExtraFlags_Eid | SynchronizationExtraFlags_Cn, NULL
	};

	ics_test_configure(&f->rt, &c, ecSuccess);
	if (prev != NULL) {
		upload_state(f, idx, prev->state);
	}
}

/* the whole stream of the context at @idx (0x4000-byte buffers, on
 * @mem), parsed as @root into @res */
static void download(struct fixture *f, TALLOC_CTX *mem, uint8_t idx, enum fxics_root root,
		     struct sync_result *res)
{
	uint8_t *data = NULL;
	size_t len = 0;

	ics_test_download_all(&f->rt, mem, idx, 0x4000, 1000, &data, &len);
	parse_stream(mem, data, len, root, res);
}

/* a contents download of the Inbox from the state @prev (NULL: initial) */
static void contents_sync(struct fixture *f, TALLOC_CTX *mem, const struct sync_result *prev,
			  struct sync_result *res)
{
	size_t k;

	configure(f, mem, H_SYNC, prev);
	download(f, mem, H_SYNC, FXICS_ROOT_CONTENTS_SYNC, res);
	for (k = 0; k < 4; k++) {
		assert_int_equal(res->state[k].PropertyTag, ics_test_state_tags[k]);
	}
}

/* RopSynchronizationGetTransferState of the context at @idx: its state */
static void transfer_state(struct fixture *f, TALLOC_CTX *mem, uint8_t idx,
			   struct sync_result *res)
{
	struct rop_request r = { .RopId = RopSynchronizationGetTransferState };

	r.u.RopSynchronizationGetTransferState.InputHandleIndex = idx;
	r.u.RopSynchronizationGetTransferState.OutputHandleIndex = H_FX;
	emsmdb_test_run1(&f->rt, mem, &r, ecSuccess);
	download(f, mem, H_FX, FXICS_ROOT_STATE, res);
}

/* CN @cn of this replica is in the CNSET state property @a */
static bool cnset_has(TALLOC_CTX *mem, const struct fxics_atom *a, uint64_t cn)
{
	struct IDSET *set = NULL;
	bool has;

	assert_int_equal(idset_decode(mem, a->Value.u.bin.lpb, a->Value.u.bin.cb, true, &set),
			 ROP_OK);
	has = set->Count > 0 && globset_contains(set->Entries[0].Globset, cn);
	talloc_free(set);
	return has;
}

/* the messageChanges of @res whose source key is @mid's: how many, and
 * the index of the one whose change key is @ck (-1: none) */
static size_t changes_of(struct fixture *f, const struct sync_result *res, uint64_t mid,
			 const uint8_t *ck, int *idx_r)
{
	uint8_t sk[22];
	size_t i, n = 0;

	mapistore_xid_make(f->replguid, mapistore_fmid_globcnt(mid), sk);
	*idx_r = -1;
	for (i = 0; i < res->changes; i++) {
		const struct change *c = &res->change[i];

		if (c->sk.cb != 22 || memcmp(c->sk.lpb, sk, 22) != 0) {
			continue;
		}
		n++;
		if (ck != NULL && c->ck.cb == 22 && memcmp(c->ck.lpb, ck, 22) == 0) {
			*idx_r = (int)i;
		}
	}
	return n;
}

/* @pcl (wire form) includes change key @key */
static bool wire_pcl_has(const struct oxcdata_binary *pcl, const uint8_t *key)
{
	struct mapistore_binary b = { .data = pcl->lpb, .length = pcl->cb };
	bool has = false;

	assert_int_equal(mapistore_pcl_includes(&b, key, 22, &has), MAPISTORE_SUCCESS);
	return has;
}

/* the row's PCL includes @key */
static bool pcl_has(struct fixture *f, uint64_t mid, const uint8_t *key)
{
	struct mapistore_change *row = NULL;
	bool has = false;

	assert_int_equal(mapistore_changes_get(f, f->s->mstore, mid, &row), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_pcl_includes(&row->pcl, key, 22, &has), MAPISTORE_SUCCESS);
	talloc_free(row);
	return has;
}

/* the change key of @mid's current version (22 bytes on @mem) */
static uint8_t *change_key(struct fixture *f, TALLOC_CTX *mem, uint64_t mid)
{
	struct mapistore_change *row = NULL;
	uint8_t *ck;

	assert_int_equal(mapistore_changes_get(f, f->s->mstore, mid, &row), MAPISTORE_SUCCESS);
	assert_int_equal(row->change_key_size, 22);
	ck = talloc_memdup(mem, row->change_key, 22);
	assert_non_null(ck);
	talloc_free(row);
	return ck;
}

/* ---- RESOLVE_METHOD_DEFAULT: a conflict resolve message ---- */

struct default_case {
	uint64_t client_lmt;
	bool client_wins;
};

static void run_default_case(void **state, const struct default_case *tc)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	struct sync_result s0, s1, s2;
	struct mapistore_change *row = NULL;
	struct stored st;
	uint8_t *server_ck, *ck = xid(mem, client_guid, 300), *new_ck;
	uint64_t mid, server_lmt;
	int sv, cv, dsv, dcv;

	mid = server_message(f, "server version", false, true);
	server_message(f, "bystander", false, false);
	contents_sync(f, mem, NULL, &s0);
	assert_int_equal(s0.changes, 2);
	server_ck = change_key(f, mem, mid);
	assert_int_equal(mapistore_changes_get(mem, f->s->mstore, mid, &row), MAPISTORE_SUCCESS);
	server_lmt = (uint64_t)row->last_modified;

	open_collector(f);
	/* the client's PCL lacks the server's change: a conflict */
	assert_int_equal(import_change(f, mid, ck, NULL, tc->client_lmt, 0), ecSuccess);
	assert_int_equal(save_imported(f, "client version"), ecSuccess);

	inspect(f, mem, mid, &st);
	/* 3.1.5.6.2.1: msInConflict, one PidTagInConflict attachment per
	 * version, the winner as content */
	assert_true((st.status & msInConflict) != 0);
	assert_int_equal(st.versions, 2);
	sv = version_of(&st, "server version");
	cv = version_of(&st, "client version");
	assert_true(sv >= 0 && cv >= 0);
	assert_int_equal(st.version_ck[sv].length, 22);
	assert_memory_equal(st.version_ck[sv].data, server_ck, 22);
	assert_int_equal(st.version_ck[cv].length, 22);
	assert_memory_equal(st.version_ck[cv].data, ck, 22);
	assert_int_equal(st.version_atts[sv], 1);	/* the server's attachment */
	assert_int_equal(st.version_atts[cv], 0);
	/* each version keeps its own modification time and PCL */
	assert_int_equal(st.version_lmt[sv], server_lmt);
	assert_int_equal(st.version_lmt[cv], tc->client_lmt);
	assert_memory_equal(st.version_pcl[sv].data, row->pcl.data, row->pcl.length);
	assert_int_equal(st.version_pcl[sv].length, row->pcl.length);
	assert_string_equal(st.subject, tc->client_wins ? "client version" : "server version");
	assert_int_equal(st.regular, tc->client_wins ? 0 : 1);

	/* a successor of both versions with a change key of this replica */
	new_ck = change_key(f, mem, mid);
	assert_memory_equal(new_ck, f->replguid, 16);
	assert_memory_not_equal(new_ck, server_ck, 22);
	assert_true(pcl_has(f, mid, ck));
	assert_true(pcl_has(f, mid, server_ck));
	assert_true(pcl_has(f, mid, new_ck));

	/* 3.1.5.6.2.1: the next download carries each version as a message
	 * of its own (same source key, the version's change key, PCL and
	 * modification time), never the resolve message; the one after is
	 * quiet */
	contents_sync(f, mem, &s0, &s1);
	assert_int_equal(s1.changes, 2);
	assert_int_equal(changes_of(f, &s1, mid, server_ck, &dsv), 2);
	assert_int_equal(changes_of(f, &s1, mid, ck, &dcv), 2);
	assert_true(dsv >= 0 && dcv >= 0);
	assert_int_equal(s1.in_conflict, 0);
	assert_string_equal(s1.change[dsv].subject, "server version");
	assert_string_equal(s1.change[dcv].subject, "client version");
	assert_int_equal(s1.change[dsv].lmt, server_lmt);
	assert_int_equal(s1.change[dcv].lmt, tc->client_lmt);
	/* conflicting PCLs: neither version knows the other */
	assert_true(wire_pcl_has(&s1.change[dsv].pcl, server_ck));
	assert_false(wire_pcl_has(&s1.change[dsv].pcl, ck));
	assert_true(wire_pcl_has(&s1.change[dcv].pcl, ck));
	assert_false(wire_pcl_has(&s1.change[dcv].pcl, server_ck));
	contents_sync(f, mem, &s1, &s2);
	assert_int_equal(s2.changes, 0);

	/* the client's change again: integrated now, no new conflict */
	assert_int_equal(import_change(f, mid, ck, NULL, tc->client_lmt, 0), ecSyncIgnore);
	/* an edit that knows the resolve message: a plain update */
	assert_int_equal(import_change(f, mid, xid(mem, client_guid, 301), new_ck,
				       LMT_FUTURE, 0), ecSuccess);
	assert_int_equal(save_imported(f, "resolved by the user"), ecSuccess);
	inspect(f, mem, mid, &st);
	assert_string_equal(st.subject, "resolved by the user");
	assert_int_equal(st.versions, 0);
}

static void test_default_client_wins(void **state)
{
	static const struct default_case tc = { LMT_FUTURE, true };

	run_default_case(state, &tc);
}

static void test_default_server_wins(void **state)
{
	static const struct default_case tc = { LMT_PAST, false };

	run_default_case(state, &tc);
}

/* a conflict against a conflict resolve message: every version stays */
static void test_third_version(void **state)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	struct stored st;
	uint64_t mid = server_message(f, "server version", false, false);

	open_collector(f);
	assert_int_equal(import_change(f, mid, xid(mem, client_guid, 300), NULL, LMT_PAST, 0),
			 ecSuccess);
	assert_int_equal(save_imported(f, "client version"), ecSuccess);
	assert_int_equal(import_change(f, mid, xid(mem, other_guid, 7), NULL, LMT_FUTURE, 0),
			 ecSuccess);
	assert_int_equal(save_imported(f, "other client version"), ecSuccess);
	inspect(f, mem, mid, &st);
	assert_true((st.status & msInConflict) != 0);
	assert_int_equal(st.versions, 3);
	assert_true(version_of(&st, "server version") >= 0);
	assert_true(version_of(&st, "client version") >= 0);
	assert_true(version_of(&st, "other client version") >= 0);
	assert_string_equal(st.subject, "other client version");
	assert_int_equal(st.regular, 0);
}

/* repeated conflicts: at most 16 versions, the oldest dropped */
static void test_version_bound(void **state)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	struct stored st;
	uint8_t guid[16];
	char subject[32];
	uint64_t mid = server_message(f, "server version", false, false);
	unsigned i;

	open_collector(f);
	memcpy(guid, client_guid, 16);
	for (i = 0; i < 17; i++) {
		guid[15] = (uint8_t)(0x40 + i);
		snprintf(subject, sizeof(subject), "client %u", i);
		assert_int_equal(import_change(f, mid, xid(mem, guid, 5), NULL, LMT_FUTURE, 0),
				 ecSuccess);
		assert_int_equal(save_imported(f, subject), ecSuccess);
	}
	inspect(f, mem, mid, &st);
	assert_int_equal(st.versions, 16);
	assert_string_equal(st.subject, "client 16");
	assert_true(version_of(&st, "client 16") >= 0);
	assert_true(version_of(&st, "client 1") >= 0);
	assert_int_equal(version_of(&st, "client 0"), -1);
	assert_int_equal(version_of(&st, "server version"), -1);
}

/* the situation of the version tests: a server message and a bystander
 * downloaded into @s0, then a conflicting import (through the collector
 * at H_COLL, with @s0 uploaded) saved as a conflict resolve
 * message; *@resolve_cn_r its CN, the client's change key in @ck */
static uint64_t conflict_after_sync(struct fixture *f, TALLOC_CTX *mem, struct sync_result *s0,
				    const uint8_t *ck, uint64_t *bystander_r,
				    uint64_t *resolve_cn_r)
{
	struct mapistore_change *row = NULL;
	uint64_t mid = server_message(f, "server version", false, true);

	*bystander_r = server_message(f, "bystander", false, false);
	contents_sync(f, mem, NULL, s0);
	open_collector(f);
	upload_state(f, H_COLL, s0->state);
	assert_int_equal(import_change(f, mid, ck, NULL, LMT_FUTURE, 0), ecSuccess);
	assert_int_equal(save_imported(f, "client version"), ecSuccess);
	assert_int_equal(mapistore_changes_get(mem, f->s->mstore, mid, &row), MAPISTORE_SUCCESS);
	*resolve_cn_r = row->cn;
	talloc_free(row);
	return mid;
}

/*
 * The uploader of the conflicting version gets the versions too: the
 * collector's state (GetTransferState on the upload context) leaves the
 * resolve message's CN out, while a plain import's CN is in.
 */
static void test_uploader_downloads_versions(void **state)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	uint8_t *ck = xid(mem, client_guid, 300), *by_ck;
	struct sync_result s0, col, next, after;
	struct mapistore_change *row = NULL;
	uint64_t mid, bystander, resolve_cn;
	int idx;

	mid = conflict_after_sync(f, mem, &s0, ck, &bystander, &resolve_cn);
	/* a plain update of the bystander through the same collector */
	by_ck = change_key(f, mem, bystander);
	assert_int_equal(import_change(f, bystander, xid(mem, client_guid, 301), by_ck,
				       LMT_FUTURE, 0), ecSuccess);
	assert_int_equal(save_imported(f, "bystander, edited"), ecSuccess);

	transfer_state(f, mem, H_COLL, &col);
	assert_int_equal(col.state[0].PropertyTag, 0);	/* no IdsetGiven (3.2.5.2.1) */
	assert_false(cnset_has(mem, &col.state[1], resolve_cn));
	assert_int_equal(mapistore_changes_get(mem, f->s->mstore, bystander, &row),
			 MAPISTORE_SUCCESS);
	assert_true(cnset_has(mem, &col.state[1], row->cn));
	/* the uploader's next download: its IdsetGiven, the collector's CNSETs */
	col.state[0] = s0.state[0];
	contents_sync(f, mem, &col, &next);
	assert_int_equal(next.changes, 2);
	assert_int_equal(changes_of(f, &next, mid, ck, &idx), 2);
	assert_true(idx >= 0);
	assert_string_equal(next.change[idx].subject, "client version");
	contents_sync(f, mem, &next, &after);
	assert_int_equal(after.changes, 0);
}

/*
 * [MS-OXCFXICS] 3.2.5.9.3.1 with the versions of a conflict resolve
 * message: the download is cut in buffers of a few bytes and a checkpoint
 * taken after each; one message is one item, so a checkpoint counts it
 * (its CN in CnsetSeen) only once the last byte of its last version is
 * taken, and a transfer resumed from a checkpoint between its versions
 * sends every version again.
 */
static void test_versions_checkpoints(void **state)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	uint8_t *ck = xid(mem, client_guid, 300), *data = NULL;
	struct sync_result s0, ref, cp, resumed, between = { 0 };
	uint64_t mid, bystander, resolve_cn, first_end, last_end;
	size_t len = 0, cuts = 0, inside = 0, i;
	bool done = false;
	int idx;

	mid = conflict_after_sync(f, mem, &s0, ck, &bystander, &resolve_cn);
	/* a new message after it: the stream goes on past the versions */
	server_message(f, "after the conflict", false, false);
	contents_sync(f, mem, &s0, &ref);
	assert_int_equal(ref.changes, 3);
	assert_int_equal(changes_of(f, &ref, mid, NULL, &idx), 2);
	first_end = UINT64_MAX;
	last_end = 0;
	for (i = 0; i < ref.changes; i++) {
		if (ref.change[i].subject != NULL &&
		    strcmp(ref.change[i].subject, "after the conflict") == 0) {
			continue;
		}
		first_end = ref.change[i].end < first_end ? ref.change[i].end : first_end;
		last_end = ref.change[i].end > last_end ? ref.change[i].end : last_end;
	}
	assert_true(first_end < last_end);

	configure(f, mem, H_SYNC, &s0);
	while (!done) {
		done = emsmdb_test_get_buffer(&f->rt, mem, H_SYNC, 4, &data, &len);
		transfer_state(f, mem, H_SYNC, &cp);
		cuts++;
		if (cnset_has(mem, &cp.state[1], resolve_cn) != (len >= last_end)) {
			fail_msg("checkpoint after %zu bytes (versions end at %llu): wrong",
				 len, (unsigned long long)last_end);
		}
		if (len >= first_end && len < last_end && inside++ == 0) {
			between = cp;
		}
		assert_true(cuts < 5000);
	}
	assert_true(inside > 0);
	/* resumed between the versions: both versions again */
	configure(f, mem, H_RESUME, &between);
	download(f, mem, H_RESUME, FXICS_ROOT_CONTENTS_SYNC, &resumed);
	assert_int_equal(changes_of(f, &resumed, mid, ck, &idx), 2);
	assert_true(idx >= 0);
	/* resumed from the final state: nothing */
	configure(f, mem, H_RESUME, &cp);
	download(f, mem, H_RESUME, FXICS_ROOT_CONTENTS_SYNC, &resumed);
	assert_int_equal(resumed.changes, 0);
}

/* only synchronization sends the versions (3.1.5.6.2.1): a FastTransfer
 * copy (RopFastTransferSourceCopyMessages) carries the resolve message
 * itself, with its PidTagInConflict attachments */
static void test_copy_sends_resolve_message(void **state)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopFastTransferSourceCopyMessages };
	struct sync_result s0, copy;
	uint64_t mid, bystander, resolve_cn;

	mid = conflict_after_sync(f, mem, &s0, xid(mem, client_guid, 300), &bystander,
				  &resolve_cn);
	r.u.RopFastTransferSourceCopyMessages.InputHandleIndex = H_FOLDER;
	r.u.RopFastTransferSourceCopyMessages.OutputHandleIndex = H_FX;
	r.u.RopFastTransferSourceCopyMessages.MessageIdCount = 1;
	r.u.RopFastTransferSourceCopyMessages.MessageIds = &mid;
	r.u.RopFastTransferSourceCopyMessages.SendOptions = SendOptions_Unicode;
	emsmdb_test_run1(&f->rt, mem, &r, ecSuccess);
	download(f, mem, H_FX, FXICS_ROOT_MESSAGE_LIST, &copy);
	assert_int_equal(copy.in_conflict, 2);
}

/* ---- last writer wins, FailOnConflict, and no conflict at all ---- */

/* an import of the client's change (change key XID 300) to a saved server
 * message, with no conflict resolve message as the result */
struct plain_case {
	const char *server_subject;
	bool fai, attach;
	bool last_writer_wins;	/* the folder's PidTagResolveMethod */
	bool knows_server;	/* the client's PCL has the server's change */
	uint64_t lmt;
	uint8_t flags;
	uint32_t import_ec;
	const char *client_subject;	/* saved after a successful import */
	const char *subject;	/* the message's after it all */
	bool replaced;		/* the import replaces the content: no attachment */
	bool client_ck;		/* the change key is the client's (else the server's) */
	bool pcl_has_server;	/* the PCL still has the server's change */
};

static void run_plain_case(void **state, const struct plain_case *tc)
{
	struct fixture *f = *state;
	TALLOC_CTX *mem = talloc_new(f);
	uint8_t *ck = xid(mem, client_guid, 300), *server_ck;
	struct stored st;
	uint64_t mid = server_message(f, tc->server_subject, tc->fai, tc->attach);

	server_ck = change_key(f, mem, mid);
	if (tc->last_writer_wins) {
		assert_int_equal(ics_conflict_resolve_method(NULL), RESOLVE_METHOD_DEFAULT);
		set_resolve_method(f, RESOLVE_METHOD_LAST_WRITER_WINS);
	}
	open_collector(f);
	assert_int_equal(import_change(f, mid, ck, tc->knows_server ? server_ck : NULL, tc->lmt,
				       tc->flags), tc->import_ec);
	if (tc->import_ec == ecSuccess) {
		assert_int_equal(save_imported(f, tc->client_subject), ecSuccess);
	}
	inspect(f, mem, mid, &st);
	assert_string_equal(st.subject, tc->subject);
	assert_int_equal(st.status & msInConflict, 0);
	assert_int_equal(st.versions, 0);
	if (tc->replaced) {
		assert_int_equal(st.regular, 0);
	}
	assert_memory_equal(change_key(f, mem, mid), tc->client_ck ? ck : server_ck, 22);
	if (tc->pcl_has_server) {
		assert_true(pcl_has(f, mid, server_ck));
	}
}

/* the folder asks for last writer wins: the client's version is older,
 * and still replaces the server's */
static void test_last_writer_wins_folder(void **state)
{
	static const struct plain_case tc = {
		.server_subject = "server version", .attach = true, .last_writer_wins = true,
		.lmt = LMT_PAST, .import_ec = ecSuccess, .client_subject = "client version",
		.subject = "client version", .replaced = true, .client_ck = true,
		.pcl_has_server = true,
	};

	run_plain_case(state, &tc);
}

/* an FAI message: always last writer wins */
static void test_fai_last_writer_wins(void **state)
{
	static const struct plain_case tc = {
		.server_subject = "server FAI", .fai = true, .lmt = LMT_PAST,
		.flags = ImportFlag_Associated, .import_ec = ecSuccess,
		.client_subject = "client FAI", .subject = "client FAI", .client_ck = true,
		.pcl_has_server = true,
	};

	run_plain_case(state, &tc);
}

/* FailOnConflict: ecSyncConflict, the server's version stays */
static void test_fail_on_conflict(void **state)
{
	static const struct plain_case tc = {
		.server_subject = "server version", .lmt = LMT_FUTURE,
		.flags = ImportFlag_FailOnConflict, .import_ec = ecSyncConflict,
		.subject = "server version",
	};

	run_plain_case(state, &tc);
}

/* the client's PCL knows the server's change: a plain update, even with
 * an older modification time */
static void test_no_conflict(void **state)
{
	static const struct plain_case tc = {
		.server_subject = "server version", .attach = true, .knows_server = true,
		.lmt = LMT_PAST, .import_ec = ecSuccess, .client_subject = "client edit",
		.subject = "client edit", .replaced = true, .client_ck = true,
	};

	run_plain_case(state, &tc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_client_wins, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_default_server_wins, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_third_version, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_version_bound, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_uploader_downloads_versions, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_versions_checkpoints, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_copy_sends_resolve_message, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_last_writer_wins_folder, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_fai_last_writer_wins, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_fail_on_conflict, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_conflict, fixture_setup,
						fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

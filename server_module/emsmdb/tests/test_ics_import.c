/*
 * Client IDs in the import ROPs, through the dispatcher on a real
 * mapistore (memory backend, SQLite metadata):
 * - RopSynchronizationImportMessageMove ([MS-OXCFXICS] 2.2.3.2.4.4,
 *   3.2.5.9.4.4) with a DestinationMessageId reserved by
 *   RopGetLocalReplicaIds: the moved message has exactly that MID and the
 *   client's source key, RopLongTermIdFromId agrees; a foreign one gives
 *   a server MID; an unreserved or used one of ours is refused and moves
 *   nothing;
 * - RopSetLocalReplicaMidsetDeleted (2.2.3.2.4.8, 3.3.5.8.13): a given-up
 *   ID is refused by ImportMessageChange and ImportMessageMove
 *   (ecObjectDeleted), its neighbours are not, also after the session and
 *   its mapistore context were closed and reopened; malformed ranges.
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
#define NH 8
#define H_LOGON 0
#define H_FOLDER 1
#define H_COLL 2
#define H_MSG 3
#define H_OTHER 4

#define ecDuplicateName 0x80040604

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	struct emsmdb_test_rops rt;
	uint64_t fids[13];
	uint8_t guid[16];	/* the mailbox's replica (REPLGUID) */
	uint64_t first;		/* first GLOBCNT reserved for the client */
};

static const uint8_t client_guid[16] = { 0xC1, 0x1E, 0x47, 0x1D, 1, 2, 3, 4, 5, 6, 7, 8,
					  9, 10, 11, 12 };

static struct rop_response *run1(struct fixture *f, TALLOC_CTX *mem, struct rop_request *r,
				 uint32_t expect)
{
	return emsmdb_test_run1(&f->rt, mem, r, expect);
}

static void logon(struct fixture *f)
{
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);
	struct rop_request r = { .RopId = RopGetLocalReplicaIds };
	struct rop_response *resp;
	TALLOC_CTX *tmp;
	unsigned k;

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "icsimport", DN);
	logon(f);
	tmp = talloc_new(f);
	r.u.RopGetLocalReplicaIds.InputHandleIndex = H_LOGON;
	r.u.RopGetLocalReplicaIds.IdCount = 100;
	resp = run1(f, tmp, &r, ecSuccess);
	memcpy(f->guid, resp->u.RopGetLocalReplicaIds.ReplGuid, 16);
	for (k = 0; k < 6; k++) {
		f->first = (f->first << 8) | resp->u.RopGetLocalReplicaIds.GlobalCount[k];
	}
	talloc_free(tmp);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* Close the session (and its mapistore context), open a new one on the
 * same private directory: only what is persistent is left. */
static void reopen(struct fixture *f)
{
	f->s = ics_test_session_reopen(&f->t, f->s, "alice", DN, "Alice");
	logon(f);
}

/* an XID of @guid and GLOBCNT @g (22 bytes, on @mem) */
static uint8_t *xid(TALLOC_CTX *mem, const uint8_t guid[16], uint64_t g)
{
	return ics_test_xid(mem, guid, g);
}

static void open_collector(struct fixture *f, uint64_t fid)
{
	TALLOC_CTX *tmp = talloc_new(f);

	emsmdb_test_open_folder(&f->rt, tmp, H_LOGON, H_FOLDER, fid);
	talloc_free(tmp);
	ics_test_open_collector(&f->rt, H_FOLDER, H_COLL, true);
}

/* a saved message @subject in folder @fid, made through mapistore: its MID */
static uint64_t make_message(struct fixture *f, uint64_t fid, const char *subject)
{
	return ics_test_store_message(f, f->s->mstore, fid, subject);
}

/* RopSynchronizationImportMessageMove of message @mid of folder @sfid into
 * the collector's folder, DestinationMessageId @dest (22 bytes) */
static void import_move(struct fixture *f, uint64_t sfid, uint64_t mid, const uint8_t *dest,
			uint32_t expect)
{
	struct rop_request r = { .RopId = RopSynchronizationImportMessageMove };
	struct RopSynchronizationImportMessageMove_req *q = &r.u.RopSynchronizationImportMessageMove;
	struct rop_response *resp;
	TALLOC_CTX *tmp = talloc_new(f);

	q->InputHandleIndex = H_COLL;
	q->SourceFolderIdSize = 22;
	q->SourceFolderId = xid(tmp, f->guid, mapistore_fmid_globcnt(sfid));
	q->SourceMessageIdSize = 22;
	q->SourceMessageId = xid(tmp, f->guid, mapistore_fmid_globcnt(mid));
	q->PredecessorChangeListSize = 0;
	q->DestinationMessageIdSize = 22;
	q->DestinationMessageId = (uint8_t *)(uintptr_t)dest;
	q->ChangeNumberSize = 22;
	q->ChangeNumber = xid(tmp, client_guid, 0x77);
	resp = run1(f, tmp, &r, expect);
	/* [MS-OXCROPS] 2.2.13.6.2: MessageId MUST be 0 */
	if (expect == ecSuccess) {
		assert_int_equal(resp->u.RopSynchronizationImportMessageMove.MessageId, 0);
	}
	talloc_free(tmp);
}

/* RopSynchronizationImportMessageChange of a new message with source key
 * @sk (the client's change key, a foreign XID) */
static void import_change(struct fixture *f, const uint8_t *sk, uint32_t expect)
{
	struct rop_request r;
	TALLOC_CTX *tmp = talloc_new(f);

	ics_test_import_change_new(tmp, &r, H_COLL, H_MSG, sk, client_guid, 0x99);
	run1(f, tmp, &r, expect);
	if (expect == ecSuccess) {
		memset(&r, 0, sizeof(r));
		r.RopId = RopSaveChangesMessage;
		r.u.RopSaveChangesMessage.ResponseHandleIndex = H_OTHER;
		r.u.RopSaveChangesMessage.InputHandleIndex = H_MSG;
		run1(f, tmp, &r, ecSuccess);
	}
	talloc_free(tmp);
}

/* RopSetLocalReplicaMidsetDeleted on the open folder: one range */
static void give_up(struct fixture *f, const uint8_t guid[16], uint64_t min, uint64_t max,
		    uint32_t expect)
{
	struct rop_request r = { .RopId = RopSetLocalReplicaMidsetDeleted };
	struct LongTermIdRange range;
	TALLOC_CTX *tmp = talloc_new(f);
	uint8_t *a = xid(tmp, guid, min), *b = xid(tmp, guid, max);

	memset(&range, 0, sizeof(range));
	memcpy(range.MinLongTermId.DatabaseGuid, a, 16);
	memcpy(range.MinLongTermId.GlobalCounter, a + 16, 6);
	memcpy(range.MaxLongTermId.DatabaseGuid, b, 16);
	memcpy(range.MaxLongTermId.GlobalCounter, b + 16, 6);
	r.u.RopSetLocalReplicaMidsetDeleted.InputHandleIndex = H_FOLDER;
	r.u.RopSetLocalReplicaMidsetDeleted.LongTermIdRangeCount = 1;
	r.u.RopSetLocalReplicaMidsetDeleted.LongTermIdRanges = &range;
	run1(f, tmp, &r, expect);
	talloc_free(tmp);
}

/* the parent folder of @mid, 0 when it has no live change row */
static uint64_t parent_of(struct fixture *f, uint64_t mid, uint8_t sk_r[22])
{
	struct mapistore_change *row = NULL;
	uint64_t parent;

	if (mapistore_changes_get(f, f->s->mstore, mid, &row) != MAPISTORE_SUCCESS) {
		return 0;
	}
	parent = row->parent_fid;
	if (sk_r != NULL) {
		memcpy(sk_r, row->source_key, 22);
	}
	talloc_free(row);
	return parent;
}

static void test_move_client_id(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint64_t outbox = f->fids[5], inbox = f->fids[4];
	uint64_t m1 = make_message(f, outbox, "moved with a client id");
	uint64_t m2 = make_message(f, outbox, "moved with a foreign id");
	uint64_t m3 = make_message(f, outbox, "not moved");
	uint64_t want = mapistore_fmid_make(1, f->first + 1);
	struct rop_request r = { .RopId = RopLongTermIdFromId };
	struct mapistore_change *ch = NULL;
	struct rop_response *resp;
	uint8_t *dest = xid(f, f->guid, f->first + 1), sk[22];
	uint64_t next = 0;
	uint32_t n = 0, i;
	bool more = false;

	open_collector(f, inbox);
	import_move(f, outbox, m1, dest, ecSuccess);
	/* the message is in the Inbox under the client's MID and source key */
	assert_int_equal(parent_of(f, want, sk), inbox);
	assert_memory_equal(sk, dest, 22);
	assert_int_equal(parent_of(f, m1, NULL), 0);	/* gone from the Outbox */
	{
		struct mapistore_folder *mf = NULL;
		struct mapistore_message *mm = NULL;
		struct mapistore_property *p = NULL;
		uint32_t tag = PidTagSubject;

		assert_int_equal(mapistore_folder_open(f, f->s->mstore, inbox, &mf),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_message_open(f, mf, want, false, &mm),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_get(f, mapistore_message_object(mm), &tag,
							  1, &p), MAPISTORE_SUCCESS);
		assert_string_equal(p[0].value.str, "moved with a client id");
		talloc_free(p);
		talloc_free(mm);
		talloc_free(mf);
	}
	/* RopLongTermIdFromId ([MS-OXCSTOR] 3.2.5.8) gives the same bytes */
	r.u.RopLongTermIdFromId.InputHandleIndex = H_LOGON;
	r.u.RopLongTermIdFromId.ObjectId = want;
	resp = run1(f, f, &r, ecSuccess);
	assert_memory_equal(resp->u.RopLongTermIdFromId.LongTermId.DatabaseGuid, dest, 16);
	assert_memory_equal(resp->u.RopLongTermIdFromId.LongTermId.GlobalCounter, dest + 16, 6);

	/* a foreign DestinationMessageId: a server MID outside the reservation */
	import_move(f, outbox, m2, xid(f, client_guid, 7), ecSuccess);
	assert_int_equal(parent_of(f, m2, NULL), 0);
	assert_int_equal(mapistore_sync_messages(f, f->s->mstore, inbox, false, NULL, 0, 0, 10,
						 &ch, &n, &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		uint64_t g = mapistore_fmid_globcnt(ch[i].fmid);

		assert_true(ch[i].fmid == want || g >= f->first + 100 || g < f->first);
	}
	talloc_free(ch);

	/* ours but never reserved, or already in use: refused, nothing moves */
	import_move(f, outbox, m3, xid(f, f->guid, f->first + 5000), ecInvalidParam);
	import_move(f, outbox, m3, dest, ecDuplicateName);
	import_move(f, outbox, m3, xid(f, f->guid, mapistore_fmid_globcnt(m3)),
		    ecInvalidParam);
	assert_int_equal(parent_of(f, m3, NULL), outbox);
	fixture_free(f);
}

static void test_given_up(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint64_t outbox = f->fids[5], inbox = f->fids[4];
	uint64_t m1 = make_message(f, outbox, "to move");
	uint64_t g = f->first;

	open_collector(f, inbox);
	/* malformed ranges: another replica, Min > Max, GLOBCNT 0 */
	give_up(f, client_guid, g + 10, g + 19, ecInvalidParam);
	give_up(f, f->guid, g + 19, g + 10, ecInvalidParam);
	give_up(f, f->guid, 0, g, ecInvalidParam);
	import_change(f, xid(f, f->guid, g + 12), ecSuccess);	/* nothing recorded */

	give_up(f, f->guid, g + 20, g + 29, ecSuccess);
	give_up(f, f->guid, g + 30, g + 30, ecSuccess);	/* merged with the one above */
	import_change(f, xid(f, f->guid, g + 20), ecObjectDeleted);
	import_change(f, xid(f, f->guid, g + 25), ecObjectDeleted);
	import_change(f, xid(f, f->guid, g + 30), ecObjectDeleted);
	import_move(f, outbox, m1, xid(f, f->guid, g + 29), ecObjectDeleted);
	assert_int_equal(parent_of(f, m1, NULL), outbox);
	import_change(f, xid(f, f->guid, g + 19), ecSuccess);
	assert_int_equal(parent_of(f, mapistore_fmid_make(1, g + 19), NULL), inbox);

	/* persistent: a new session and mapistore context refuse it too */
	reopen(f);
	open_collector(f, inbox);
	import_change(f, xid(f, f->guid, g + 21), ecObjectDeleted);
	import_change(f, xid(f, f->guid, g + 31), ecSuccess);
	assert_int_equal(parent_of(f, mapistore_fmid_make(1, g + 31), NULL), inbox);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_move_client_id, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_given_up, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

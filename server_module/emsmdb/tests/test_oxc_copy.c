/*
 * Issue-7 handlers through the dispatcher on a real mapistore (SQLite
 * metadata in a temporary directory, the memory backend): RopSetReadFlags
 * ([MS-OXCMSG] 2.2.3.10), RopSetMessageStatus / RopGetMessageStatus
 * (2.2.3.8, 2.2.3.9), RopReloadCachedInformation (2.2.3.4),
 * RopGetReceiveFolderTable / RopGetPerUserGuid ([MS-OXCSTOR] 2.2.1.4,
 * 2.2.1.11) and RopProgress ([MS-OXCPRPT] 3.2.5.20). Folder and property
 * copies are test_oxc_copy_move.c's.
 */
#include "test_oxc_copy_fixture.h"

#include <string.h>

#define PidTagSubjectPrefixT 0x003D001F
#define PidTagNormalizedSubjectT 0x0E1D001F

static uint32_t set_read_flags(struct copy_fixture *f, uint8_t flags, uint64_t *mids,
			       uint16_t n, uint8_t *partial_r)
{
	struct rop_request r;
	struct rop_response *resp;
	uint32_t ec;

	memset(&r, 0, sizeof(r));
	r.RopId = RopSetReadFlags;
	r.u.RopSetReadFlags.InputHandleIndex = 1;
	r.u.RopSetReadFlags.WantAsynchronous = 1;
	r.u.RopSetReadFlags.ReadFlags = flags;
	r.u.RopSetReadFlags.MessageIdCount = n;
	r.u.RopSetReadFlags.MessageIds = mids;
	ec = cf_one(f, &r, &resp);
	if (ec == ecSuccess) {
		*partial_r = resp->u.RopSetReadFlags.PartialCompletion;
	}
	return ec;
}

static uint32_t message_flags(struct copy_fixture *f, uint64_t mid)
{
	uint32_t v;

	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], mid, 0x00, 2), ecSuccess);
	v = cf_get_i32(f, 2, PidTagMessageFlags);
	cf_release(f, 2);
	return v;
}

/* [MS-OXCMSG] 2.2.3.10.1: each flag group's effect on mfRead */
static void test_set_read_flags(void **state)
{
	static const struct {
		uint8_t flags;
		uint32_t before;	/* mfRead before (set up with rfDefault / rfClearReadFlag) */
		uint32_t after;
	} cases[] = {
		{ rfDefault, 0, mfRead },
		{ rfSuppressReceipt, 0, mfRead },
		{ rfClearReadFlag | rfSuppressReceipt, mfRead, 0 },
		{ rfGenerateReceiptOnly, 0, 0 },
		{ rfGenerateReceiptOnly, mfRead, mfRead },
		{ rfClearNotifyRead, mfRead, mfRead },
		{ rfClearNotifyUnread, 0, 0 },
	};
	struct copy_fixture *f = cf_new(*state, "rdfl");
	uint64_t mids[4];
	uint8_t partial = 0xFF;
	size_t i, k;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	for (k = 0; k < 3; k++) {
		mids[k] = cf_make_message(f, 1, f->fids[CF_INBOX], "read me");
		assert_int_equal(message_flags(f, mids[k]) & mfRead, 0);
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(set_read_flags(f, cases[i].before ? rfDefault :
			rfClearReadFlag | rfSuppressReceipt, mids, 3, &partial), ecSuccess);
		assert_int_equal(set_read_flags(f, cases[i].flags, mids, 3, &partial),
				 ecSuccess);
		assert_int_equal(partial, 0);
		for (k = 0; k < 3; k++) {
			if ((message_flags(f, mids[k]) & mfRead) != cases[i].after) {
				fail_msg("case %zu: flags 0x%02x", i, cases[i].flags);
			}
		}
	}
	/* an unknown MID: the others are done, PartialCompletion says so */
	mids[3] = mids[2];
	mids[2] = 0x7777000000000001ULL;
	assert_int_equal(set_read_flags(f, rfClearReadFlag, mids, 4, &partial), ecSuccess);
	assert_int_equal(partial, 1);
	assert_int_equal(message_flags(f, mids[0]) & mfRead, 0);
	assert_int_equal(message_flags(f, mids[3]) & mfRead, 0);
	/* no MIDs: nothing to do */
	assert_int_equal(set_read_flags(f, rfDefault, mids, 0, &partial), ecSuccess);
	assert_int_equal(partial, 0);
	cf_free(f);
}

static uint32_t message_status(struct copy_fixture *f, uint16_t rop, uint64_t mid,
			       uint32_t flags, uint32_t mask, uint32_t *status_r)
{
	struct rop_request r;
	struct rop_response *resp;
	uint32_t ec;

	memset(&r, 0, sizeof(r));
	r.RopId = rop;
	if (rop == RopSetMessageStatus) {
		r.u.RopSetMessageStatus.InputHandleIndex = 1;
		r.u.RopSetMessageStatus.MessageId = mid;
		r.u.RopSetMessageStatus.MessageStatusFlags = flags;
		r.u.RopSetMessageStatus.MessageStatusMask = mask;
	} else {
		r.u.RopGetMessageStatus.InputHandleIndex = 1;
		r.u.RopGetMessageStatus.MessageId = mid;
	}
	ec = cf_one(f, &r, &resp);
	if (ec == ecSuccess) {
		*status_r = rop == RopSetMessageStatus ?
			resp->u.RopSetMessageStatus.MessageStatusFlags :
			resp->u.RopGetMessageStatus.MessageStatusFlags;
	}
	return ec;
}

/* [MS-OXCMSG] 2.2.3.8 / 2.2.3.9: new = (old & ~mask) | (flags & mask);
 * the set answers the old status */
static void test_message_status(void **state)
{
	static const struct {
		uint32_t flags, mask, old, now;
	} steps[] = {
		{ 0x00001000, 0x00001000, 0x00000000, 0x00001000 },	/* msInConflict */
		{ 0x00000FFF, 0x00000003, 0x00001000, 0x00001003 },	/* masked */
		{ 0x00000000, 0x00001001, 0x00001003, 0x00000002 },	/* clear some */
		{ 0xFFFFFFFF, 0x00000000, 0x00000002, 0x00000002 },	/* empty mask */
	};
	struct copy_fixture *f = cf_new(*state, "mst");
	uint32_t status = 0xDEADBEEF;
	uint64_t mid;
	size_t i;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	mid = cf_make_message(f, 1, f->fids[CF_INBOX], "status");
	assert_int_equal(message_status(f, RopGetMessageStatus, mid, 0, 0, &status), ecSuccess);
	assert_int_equal(status, 0);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(message_status(f, RopSetMessageStatus, mid, steps[i].flags,
						 steps[i].mask, &status), ecSuccess);
		assert_int_equal(status, steps[i].old);
		assert_int_equal(message_status(f, RopGetMessageStatus, mid, 0, 0, &status),
				 ecSuccess);
		assert_int_equal(status, steps[i].now);
	}
	/* persisted: another open sees it */
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], mid, 0x00, 2), ecSuccess);
	assert_int_equal(cf_get_i32(f, 2, PidTagMessageStatus), 0x00000002);
	cf_release(f, 2);
	/* no such message */
	assert_int_equal(message_status(f, RopGetMessageStatus, mid + 0x10000, 0, 0, &status),
			 ecNotFound);
	assert_int_equal(message_status(f, RopSetMessageStatus, mid + 0x10000, 1, 1, &status),
			 ecNotFound);
	cf_free(f);
}

/* [MS-OXCMSG] 2.2.3.4: the RopOpenMessage fields, read again */
static void test_reload_cached(void **state)
{
	struct copy_fixture *f = cf_new(*state, "rld");
	struct rop_request r;
	struct rop_response *resp;
	uint64_t mid;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	mid = cf_make_message(f, 1, f->fids[CF_INBOX], "reload");
	assert_int_equal(cf_open_message(f, f->fids[CF_INBOX], mid, 0x01, 2), ecSuccess);
	assert_int_equal(cf_set_str(f, 2, PidTagSubjectPrefixT, "RE: "), ecSuccess);
	assert_int_equal(cf_set_str(f, 2, PidTagNormalizedSubjectT, "the topic"), ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopReloadCachedInformation;
	r.u.RopReloadCachedInformation.InputHandleIndex = 2;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	assert_int_equal(resp->u.RopReloadCachedInformation.HasNamedProperties, 1);
	assert_int_equal(resp->u.RopReloadCachedInformation.SubjectPrefix.StringType, 4);
	assert_string_equal(resp->u.RopReloadCachedInformation.SubjectPrefix.String, "RE: ");
	assert_string_equal(resp->u.RopReloadCachedInformation.NormalizedSubject.String,
			    "the topic");
	assert_int_equal(resp->u.RopReloadCachedInformation.RecipientCount, 0);
	assert_int_equal(resp->u.RopReloadCachedInformation.RowCount, 0);
	/* on a folder: the dispatcher's type check */
	r.u.RopReloadCachedInformation.InputHandleIndex = 1;
	assert_int_equal(cf_one(f, &r, NULL), ecNotSupported);
	cf_free(f);
}

/* [MS-OXCSTOR] 2.2.1.4: the provisioned settings, then one more */
static void test_receive_folder_table(void **state)
{
	struct copy_fixture *f = cf_new(*state, "rcv");
	const struct RopGetReceiveFolderTable_resp *t;
	struct rop_request r;
	struct rop_response *resp;
	uint32_t i;
	bool seen_custom = false;

	memset(&r, 0, sizeof(r));
	r.RopId = RopGetReceiveFolderTable;
	r.u.RopGetReceiveFolderTable.InputHandleIndex = 0;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	t = &resp->u.RopGetReceiveFolderTable;
	/* "", "IPC", "IPM", "REPORT.IPM" ([MS-OXCSTOR] 3.2.5.2), class order */
	assert_int_equal(t->RowCount, 4);
	assert_int_equal(t->Rows[0].ValueCount, 3);
	assert_int_equal(t->Rows[0].Values[0].Value.u.d, f->fids[CF_INBOX]);
	assert_string_equal(t->Rows[0].Values[1].Value.u.str8.utf8, "");
	assert_string_equal(t->Rows[2].Values[1].Value.u.str8.utf8, "IPM");
	assert_int_equal(t->Rows[2].Values[0].Value.u.d, f->fids[CF_INBOX]);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSetReceiveFolder;
	r.u.RopSetReceiveFolder.InputHandleIndex = 0;
	r.u.RopSetReceiveFolder.FolderId = f->fids[5];
	r.u.RopSetReceiveFolder.MessageClass = (char *)(uintptr_t)"IPM.Note.Custom";
	assert_int_equal(cf_one(f, &r, NULL), ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetReceiveFolderTable;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	t = &resp->u.RopGetReceiveFolderTable;
	assert_int_equal(t->RowCount, 5);
	for (i = 0; i < t->RowCount; i++) {
		const struct RowPropertyValue *v = t->Rows[i].Values;

		if (strcmp(v[1].Value.u.str8.utf8, "IPM.Note.Custom") == 0) {
			assert_int_equal(v[0].Value.u.d, f->fids[5]);
			seen_custom = true;
		}
	}
	assert_true(seen_custom);
	cf_free(f);
}

/* [MS-OXCSTOR] 2.2.1.11: nothing cached -> ecNotFound; cached -> the GUID */
static void test_per_user_guid(void **state)
{
	static uint8_t data[4] = { 1, 2, 3, 4 };
	struct copy_fixture *f = cf_new(*state, "pug");
	struct LongTermID ltid;
	struct rop_request r;
	struct rop_response *resp;
	uint32_t i;

	memset(&ltid, 0, sizeof(ltid));
	for (i = 0; i < 16; i++) {
		ltid.DatabaseGuid[i] = (uint8_t)(0xA0 + i);
	}
	ltid.GlobalCounter[5] = 0x42;
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetPerUserGuid;
	r.u.RopGetPerUserGuid.LongTermId = ltid;
	assert_int_equal(cf_one(f, &r, NULL), ecNotFound);
	memset(&r, 0, sizeof(r));
	r.RopId = RopWritePerUserInformation;
	r.u.RopWritePerUserInformation.FolderId = ltid;
	r.u.RopWritePerUserInformation.HasFinished = 1;
	r.u.RopWritePerUserInformation.DataSize = sizeof(data);
	r.u.RopWritePerUserInformation.Data = data;
	assert_int_equal(cf_one(f, &r, NULL), ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetPerUserGuid;
	r.u.RopGetPerUserGuid.LongTermId = ltid;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	assert_memory_equal(resp->u.RopGetPerUserGuid.DatabaseGuid, ltid.DatabaseGuid, 16);
	cf_free(f);
}

/* [MS-OXCPRPT] 3.2.5.20: nothing is ever asynchronous here */
static void test_progress(void **state)
{
	struct copy_fixture *f = cf_new(*state, "prg");
	struct rop_request r;

	cf_open_folder(f, f->fids[CF_INBOX], 1);
	memset(&r, 0, sizeof(r));
	r.RopId = RopProgress;
	r.u.RopProgress.InputHandleIndex = 1;
	assert_int_equal(cf_one(f, &r, NULL), ecNotSupported);
	r.u.RopProgress.WantCancel = 1;
	assert_int_equal(cf_one(f, &r, NULL), ecNotSupported);
	/* an empty handle slot is still ecNullObject (the dispatcher's) */
	r.u.RopProgress.InputHandleIndex = 9;
	assert_int_equal(cf_one(f, &r, NULL), ecNullObject);
	cf_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_read_flags, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_message_status, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_reload_cached, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_receive_folder_table, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_per_user_guid, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_progress, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Computed properties (emsmdb_computed.c): entry IDs byte for byte
 * ([MS-OXCDATA] 2.2.4.1, 2.2.4.2, 2.2.4.3, 2.2.5.2) and their parser;
 * through the dispatcher on a real mapistore: the folder and message
 * identifiers a client reads, their round trip through
 * RopIdFromLongTermId, source / change keys and PCLs equal to those of an
 * ICS download of the same objects, PidTagContentUnreadCount before and
 * after RopSetMessageReadFlag, store properties of the logon, the same
 * values in contents table rows, and RopGetPropertiesList listing them.
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_computed.h"
#include "ics.h"
#include "emsmdb_test_session.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 8
#define H_LOGON 0
#define H_FOLDER 1
#define H_MSG 2
#define H_OTHER 3
#define H_TABLE 4
#define H_SYNC 5
#define H_ROOT 6

#define PidTagMessageFlags_ 0x0E070003
#define mfRead 0x01

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	struct emsmdb_test_rops rt;	/* round trips over handles[] */
	uint64_t fids[13];
	uint8_t MailboxGuid[16];
	uint8_t ReplGuid[16];
};

/* ---- entry IDs, no store ---- */

static const struct emsmdb_logon spec_logon = {
	.is_private = true,
	.ReplId = 1,
	.MailboxGuid = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
			 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F },
	.ReplGuid = { 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
		      0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F },
};

/* FID with REPLID 1 and GLOBCNT 0x000000000A0B: wire bytes 01 00 00 00 00 00 0A 0B */
#define SPEC_FID 0x0B0A000000000001ULL
#define SPEC_MID 0x3412000000000001ULL

static void test_folder_entryid_bytes(void **state)
{
	static const uint8_t expect[EMSMDB_FOLDER_ENTRYID_SIZE] = {
		0x00, 0x00, 0x00, 0x00,				/* Flags */
		0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,	/* ProviderUID */
		0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
		0x01, 0x00,					/* eitLTPrivateFolder */
		0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,	/* DatabaseGuid */
		0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
		0x00, 0x00, 0x00, 0x00, 0x0A, 0x0B,		/* GlobalCounter */
		0x00, 0x00,					/* Pad */
	};
	uint8_t eid[EMSMDB_FOLDER_ENTRYID_SIZE];
	struct emsmdb_entryid parsed;
	struct emsmdb_logon pub = spec_logon;

	(void)state;
	emsmdb_folder_entryid(&spec_logon, spec_logon.ReplGuid, SPEC_FID, eid);
	assert_memory_equal(eid, expect, sizeof(expect));
	assert_int_equal(emsmdb_entryid_parse(eid, sizeof(eid), &parsed), ecSuccess);
	assert_int_equal(parsed.Type, eitLTPrivateFolder);
	assert_memory_equal(parsed.ProviderUID, spec_logon.MailboxGuid, 16);
	assert_int_equal(emsmdb_entryid_id(1, parsed.FolderGlobalCounter), SPEC_FID);

	/* a public folder: the public store's ProviderUID, eitLTPublicFolder */
	pub.is_private = false;
	emsmdb_folder_entryid(&pub, pub.ReplGuid, SPEC_FID, eid);
	assert_int_equal(eid[4], 0x1A);
	assert_int_equal(eid[19], 0x5A);
	assert_int_equal(eid[20], 0x03);
}

static void test_message_entryid_bytes(void **state)
{
	uint8_t eid[EMSMDB_MESSAGE_ENTRYID_SIZE], expect[EMSMDB_MESSAGE_ENTRYID_SIZE];
	static const uint8_t fgc[6] = { 0, 0, 0, 0, 0x0A, 0x0B };
	static const uint8_t mgc[6] = { 0, 0, 0, 0, 0x12, 0x34 };
	struct emsmdb_entryid parsed;

	(void)state;
	memset(expect, 0, sizeof(expect));
	memcpy(expect + 4, spec_logon.MailboxGuid, 16);
	expect[20] = 0x07;				/* eitLTPrivateMessage */
	memcpy(expect + 22, spec_logon.ReplGuid, 16);
	memcpy(expect + 38, fgc, 6);
	memcpy(expect + 46, spec_logon.ReplGuid, 16);
	memcpy(expect + 62, mgc, 6);
	emsmdb_message_entryid(&spec_logon, spec_logon.ReplGuid, SPEC_FID,
			       spec_logon.ReplGuid, SPEC_MID, eid);
	assert_memory_equal(eid, expect, sizeof(expect));
	assert_int_equal(emsmdb_entryid_parse(eid, sizeof(eid), &parsed), ecSuccess);
	assert_int_equal(parsed.Type, eitLTPrivateMessage);
	assert_int_equal(emsmdb_entryid_id(1, parsed.FolderGlobalCounter), SPEC_FID);
	assert_int_equal(emsmdb_entryid_id(1, parsed.MessageGlobalCounter), SPEC_MID);
}

static void test_entryid_parse_errors(void **state)
{
	uint8_t f[EMSMDB_FOLDER_ENTRYID_SIZE], m[EMSMDB_MESSAGE_ENTRYID_SIZE];
	uint8_t bad[EMSMDB_MESSAGE_ENTRYID_SIZE];
	struct emsmdb_entryid parsed;
	const struct { const uint8_t *data; size_t len; size_t poke; uint8_t val; } cases[] = {
		{ f, 45, SIZE_MAX, 0 },		/* short */
		{ f, 0, SIZE_MAX, 0 },		/* empty */
		{ m, 71, SIZE_MAX, 0 },		/* long */
		{ f, sizeof(f), 0, 1 },		/* Flags not zero */
		{ f, sizeof(f), 44, 1 },	/* Pad not zero */
		{ f, sizeof(f), 20, 0x07 },	/* a message type in 46 bytes */
		{ m, sizeof(m), 20, 0x01 },	/* a folder type in 70 bytes */
		{ m, sizeof(m), 20, 0x05 },	/* eitLTWackyFolder: not ours */
		{ m, sizeof(m), 69, 1 },	/* the message's Pad */
	};
	size_t i;

	(void)state;
	emsmdb_folder_entryid(&spec_logon, spec_logon.ReplGuid, SPEC_FID, f);
	emsmdb_message_entryid(&spec_logon, spec_logon.ReplGuid, SPEC_FID,
			       spec_logon.ReplGuid, SPEC_MID, m);
	assert_int_equal(emsmdb_entryid_parse(NULL, 46, &parsed), ecInvalidParam);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(bad, cases[i].data, cases[i].data == f ? sizeof(f) : sizeof(m));
		if (cases[i].poke != SIZE_MAX) {
			bad[cases[i].poke] = cases[i].val;
		}
		assert_int_equal(emsmdb_entryid_parse(bad, cases[i].len, &parsed),
				 ecInvalidParam);
	}
}

static void test_store_and_ab_entryids(void **state)
{
	static const char server[] = "OCDC";
	static const char dn[] = "/o=Org/cn=alice";
	static const uint8_t head[60] = {
		0x00, 0x00, 0x00, 0x00,
		0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
		0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2,
		0x00, 0x00,
		'e', 'm', 's', 'm', 'd', 'b', '.', 'd', 'l', 'l', 0, 0, 0, 0,
		0x00, 0x00, 0x00, 0x00,
		0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD,
		0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A,
		0x0C, 0x00, 0x00, 0x00,
	};
	static const uint8_t ab_head[28] = {
		0x00, 0x00, 0x00, 0x00,
		0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
		0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct mapistore_binary b;
	struct emsmdb_logon pub = spec_logon;

	assert_int_equal(emsmdb_store_entryid(*state, &spec_logon, server, dn, &b), ecSuccess);
	assert_int_equal(b.length, 60 + sizeof(server) + sizeof(dn));
	assert_memory_equal(b.data, head, 60);
	assert_string_equal((const char *)b.data + 60, server);
	assert_string_equal((const char *)b.data + 60 + sizeof(server), dn);
	talloc_free(b.data);

	/* a public store: its wrapped UID and type, no MailboxDN */
	pub.is_private = false;
	assert_int_equal(emsmdb_store_entryid(*state, &pub, server, dn, &b), ecSuccess);
	assert_int_equal(b.length, 60 + sizeof(server));
	assert_int_equal(b.data[40], 0x1C);
	assert_int_equal(b.data[56], 0x06);
	talloc_free(b.data);

	assert_int_equal(emsmdb_ab_entryid(*state, dn, &b), ecSuccess);
	assert_int_equal(b.length, 28 + sizeof(dn));
	assert_memory_equal(b.data, ab_head, 28);
	assert_string_equal((const char *)b.data + 28, dn);
	talloc_free(b.data);
}

/* ---- through the dispatcher ---- */

/* round trips: emsmdb_test_session.h */
static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

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
	f->s = emsmdb_test_session_new(&f->t, "computed", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	r.u.RopLogon.OutputHandleIndex = H_LOGON;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)DN;
	r.u.RopLogon.EssdnSize = strlen(DN) + 1;
	resp = run1(f, f, &r, ecSuccess);
	memcpy(f->fids, resp->u.RopLogon.FolderIds, sizeof(f->fids));
	memcpy(f->MailboxGuid, resp->u.RopLogon.MailboxGuid, 16);
	memcpy(f->ReplGuid, resp->u.RopLogon.ReplGuid, 16);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static void open_folder(struct fixture *f, uint8_t idx, uint64_t fid)
{
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, idx, fid);
}

/* a saved message in the folder open as H_FOLDER, left open as H_MSG */
static uint64_t new_message(struct fixture *f, uint64_t fid, const char *subject,
			    uint32_t flags)
{
	struct TaggedPropertyValue v = { .PropertyTag = PidTagMessageFlags_ };
	struct emsmdb_test_message m = { .folder = H_FOLDER, .msg = H_MSG,
					 .response = H_OTHER, .fid = fid,
					 .subject = subject, .more = &v, .more_count = 1 };

	v.Value.PropertyType = PtypInteger32;
	v.Value.u.l = flags;
	return emsmdb_test_new_message(&f->rt, f, &m);
}

/* RopGetPropertiesSpecific on handle @idx; the row's values (on @mem) */
static struct RowPropertyValue *get_props(struct fixture *f, TALLOC_CTX *mem, uint8_t idx,
					  const uint32_t *tags, uint16_t count)
{
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_response *resp;

	r.u.RopGetPropertiesSpecific.InputHandleIndex = idx;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = count;
	r.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
	resp = run1(f, mem, &r, ecSuccess);
	assert_int_equal(resp->u.RopGetPropertiesSpecific.RowData.ValueCount, count);
	return resp->u.RopGetPropertiesSpecific.RowData.Values;
}

static void assert_bin(const struct RowPropertyValue *v, const uint8_t *data, uint32_t len)
{
	assert_int_equal(v->Flag, 0);
	assert_int_equal(v->Value.u.bin.cb, len);
	assert_memory_equal(v->Value.u.bin.lpb, data, len);
}

/* the folder's entry ID, source key, change key, PCL read back */
struct keys {
	uint8_t eid[EMSMDB_MESSAGE_ENTRYID_SIZE];
	uint32_t eid_len;
	uint8_t sk[22], ck[22];
	uint8_t pcl[64];
	uint32_t pcl_len;
};

static const uint32_t key_tags[] = {
	PidTagEntryId, PidTagSourceKey, PidTagChangeKey, PidTagPredecessorChangeList,
	PidTagRecordKey, PidTagChangeNumber,
};

static void read_keys(struct fixture *f, uint8_t idx, struct keys *k)
{
	TALLOC_CTX *tmp = talloc_new(f);
	struct RowPropertyValue *v = get_props(f, tmp, idx, key_tags, 6);
	uint32_t i;

	for (i = 0; i < 5; i++) {
		assert_int_equal(v[i].Flag, 0);
	}
	k->eid_len = v[0].Value.u.bin.cb;
	assert_true(k->eid_len == 46 || k->eid_len == 70);
	memcpy(k->eid, v[0].Value.u.bin.lpb, k->eid_len);
	assert_int_equal(v[1].Value.u.bin.cb, 22);
	memcpy(k->sk, v[1].Value.u.bin.lpb, 22);
	assert_int_equal(v[2].Value.u.bin.cb, 22);
	memcpy(k->ck, v[2].Value.u.bin.lpb, 22);
	k->pcl_len = v[3].Value.u.bin.cb;
	assert_true(k->pcl_len >= 23 && k->pcl_len <= sizeof(k->pcl));
	memcpy(k->pcl, v[3].Value.u.bin.lpb, k->pcl_len);
	/* PidTagRecordKey is the entry ID */
	assert_bin(&v[4], k->eid, k->eid_len);
	/* PidTagChangeNumber: the change key's GLOBCNT */
	assert_int_equal(v[5].Flag, 0);
	assert_int_equal(mapistore_fmid_globcnt(v[5].Value.u.d),
			 ((uint64_t)k->ck[16] << 40) | ((uint64_t)k->ck[17] << 32) |
			 ((uint64_t)k->ck[18] << 24) | ((uint64_t)k->ck[19] << 16) |
			 ((uint64_t)k->ck[20] << 8) | k->ck[21]);
	talloc_free(tmp);
}

/* the layout of a folder entry ID of this mailbox, and its round trip
 * through RopIdFromLongTermId ([MS-OXCSTOR] 2.2.1.9) */
static void check_folder_eid(struct fixture *f, const uint8_t *eid, uint64_t fid)
{
	struct rop_request r = { .RopId = RopIdFromLongTermId };
	struct rop_response *resp;
	struct emsmdb_entryid parsed;
	uint8_t gc[6];
	int i;

	for (i = 0; i < 6; i++) {
		gc[i] = (fid >> (16 + 8 * i)) & 0xFF;
	}
	assert_int_equal(emsmdb_entryid_parse(eid, 46, &parsed), ecSuccess);
	assert_int_equal(parsed.Type, eitLTPrivateFolder);
	assert_memory_equal(parsed.ProviderUID, f->MailboxGuid, 16);
	assert_memory_equal(parsed.FolderDatabaseGuid, f->ReplGuid, 16);
	assert_memory_equal(parsed.FolderGlobalCounter, gc, 6);

	r.u.RopIdFromLongTermId.InputHandleIndex = H_LOGON;
	memcpy(r.u.RopIdFromLongTermId.LongTermId.DatabaseGuid, eid + 22, 16);
	memcpy(r.u.RopIdFromLongTermId.LongTermId.GlobalCounter, eid + 38, 6);
	resp = run1(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopIdFromLongTermId.ObjectId, fid);
}

/* the source key of an ID of this mailbox: REPLGUID + GLOBCNT, MSB first */
static void check_source_key(struct fixture *f, const uint8_t *sk, uint64_t id)
{
	uint64_t g = mapistore_fmid_globcnt(id);
	int i;

	assert_memory_equal(sk, f->ReplGuid, 16);
	for (i = 0; i < 6; i++) {
		assert_int_equal(sk[16 + i], (g >> (8 * (5 - i))) & 0xFF);
	}
}

static void test_folder_identifiers(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t tags[] = {
		PidTagParentEntryId, PidTagParentSourceKey, PidTagFolderType,
		PidTagObjectType, PidTagStoreRecordKey, PidTagInstanceKey,
	};
	struct keys inbox, root;
	struct RowPropertyValue *v;
	uint32_t i;

	/* the Inbox (a special folder on the backend) and the IPM subtree
	 * (openchangedb only), each with its round trip */
	open_folder(f, H_FOLDER, f->fids[4]);
	read_keys(f, H_FOLDER, &inbox);
	assert_int_equal(inbox.eid_len, 46);
	check_folder_eid(f, inbox.eid, f->fids[4]);
	check_source_key(f, inbox.sk, f->fids[4]);
	open_folder(f, H_ROOT, f->fids[3]);
	read_keys(f, H_ROOT, &root);
	check_folder_eid(f, root.eid, f->fids[3]);
	check_source_key(f, root.sk, f->fids[3]);
	assert_memory_not_equal(root.eid, inbox.eid, 46);

	/* the Inbox's parent is the IPM subtree */
	v = get_props(f, f, H_FOLDER, tags, 6);
	assert_bin(&v[0], root.eid, 46);
	assert_bin(&v[1], root.sk, 22);
	assert_int_equal(v[2].Value.u.l, FOLDER_GENERIC);
	assert_int_equal(v[3].Value.u.l, 3);		/* MAPI_FOLDER */
	assert_bin(&v[4], f->MailboxGuid, 16);
	assert_int_equal(v[5].Value.u.bin.cb, 8);

	/* the mailbox root has no parent */
	open_folder(f, H_ROOT, f->fids[0]);
	v = get_props(f, f, H_ROOT, tags, 3);
	for (i = 0; i < 2; i++) {
		assert_int_equal(v[i].Flag, 0x0A);
		assert_int_equal(v[i].Value.u.l, ecNotFound);
	}
	assert_int_equal(v[2].Value.u.l, 0);		/* FOLDER_ROOT */
	fixture_free(f);
}

/* GetProps of a message: layout, parent, and the values ICS sends */
static void test_message_identifiers_match_ics(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t tags[] = {
		PidTagParentEntryId, PidTagParentSourceKey, PidTagMid, PidTagFolderId,
		PidTagMessageSize, PidTagMessageSizeExtended, PidTagLastModificationTime,
		PidTagCreationTime, PidTagSearchKey, PidTagObjectType,
	};
	struct rop_request r = { .RopId = RopSynchronizationConfigure };
	struct rop_request g = { .RopId = RopFastTransferSourceGetBuffer };
	const struct RopFastTransferSourceGetBuffer_resp *gb;
	struct keys folder, msg;
	struct RowPropertyValue *v;
	struct fxics_atom *atoms = NULL;
	size_t count = 0, i;
	uint64_t mid;
	bool seen_sk = false;

	open_folder(f, H_FOLDER, f->fids[4]);
	read_keys(f, H_FOLDER, &folder);
	mid = new_message(f, f->fids[4], "hello", 0);
	read_keys(f, H_MSG, &msg);
	assert_int_equal(msg.eid_len, 70);
	/* [MS-OXCDATA] 2.2.4.2: the folder's part, then the message's */
	assert_memory_equal(msg.eid + 4, f->MailboxGuid, 16);
	assert_int_equal(msg.eid[20], eitLTPrivateMessage);
	assert_memory_equal(msg.eid + 22, folder.eid + 22, 22);
	assert_memory_equal(msg.eid + 46, f->ReplGuid, 16);
	check_source_key(f, msg.sk, mid);

	v = get_props(f, f, H_MSG, tags, 10);
	assert_bin(&v[0], folder.eid, 46);
	assert_bin(&v[1], folder.sk, 22);
	assert_int_equal(v[2].Value.u.d, mid);
	assert_int_equal(v[3].Value.u.d, f->fids[4]);
	assert_int_equal(v[4].Flag, 0);
	assert_true(v[4].Value.u.l > 0);
	assert_int_equal(v[5].Value.u.d, v[4].Value.u.l);
	assert_int_equal(v[6].Flag, 0);
	assert_true(v[6].Value.u.d > 0);
	assert_int_equal(v[7].Flag, 0);
	assert_bin(&v[8], msg.sk, 22);
	assert_int_equal(v[9].Value.u.l, 5);		/* MAPI_MESSAGE */

	/* an ICS download of the Inbox carries the same keys */
	r.u.RopSynchronizationConfigure.InputHandleIndex = H_FOLDER;
	r.u.RopSynchronizationConfigure.OutputHandleIndex = H_SYNC;
	r.u.RopSynchronizationConfigure.SynchronizationType = SynchronizationType_Contents;
	r.u.RopSynchronizationConfigure.SendOptions = SendOptions_Unicode;
	r.u.RopSynchronizationConfigure.SynchronizationFlags =
		SynchronizationFlags_Unicode | SynchronizationFlags_Normal;
	run1(f, f, &r, ecSuccess);
	g.u.RopFastTransferSourceGetBuffer.InputHandleIndex = H_SYNC;
	g.u.RopFastTransferSourceGetBuffer.BufferSize = 0x4000;
	gb = &run1(f, f, &g, ecSuccess)->u.RopFastTransferSourceGetBuffer;
	assert_int_equal(gb->TransferStatus, TransferStatus_Done);
	assert_int_equal(fxics_decode_all(f, gb->TransferBuffer, gb->TransferBufferSize, 1252,
					  &atoms, &count), ROP_OK);
	for (i = 0; i < count; i++) {
		const struct PropertyValue *pv = &atoms[i].Value;

		switch (atoms[i].PropertyTag) {
		case PidTagSourceKey:
			assert_int_equal(pv->u.bin.cb, 22);
			assert_memory_equal(pv->u.bin.lpb, msg.sk, 22);
			seen_sk = true;
			break;
		case PidTagChangeKey:
			assert_int_equal(pv->u.bin.cb, 22);
			assert_memory_equal(pv->u.bin.lpb, msg.ck, 22);
			break;
		case PidTagPredecessorChangeList:
			assert_int_equal(pv->u.bin.cb, msg.pcl_len);
			assert_memory_equal(pv->u.bin.lpb, msg.pcl, msg.pcl_len);
			break;
		default:
			break;
		}
	}
	assert_true(seen_sk);
	fixture_free(f);
}

/* the folder keys equal those of an ICS hierarchy download (ics_hierarchy.c):
 * the Inbox (a special folder) and a backend subfolder of it */
static void test_folder_keys_match_ics(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { .RopId = RopCreateFolder };
	struct rop_request g = { .RopId = RopFastTransferSourceGetBuffer };
	const struct RopFastTransferSourceGetBuffer_resp *gb;
	struct keys inbox, sub;
	struct fxics_atom *atoms = NULL;
	const struct PropertyValue *sk = NULL, *ck = NULL, *pcl = NULL;
	uint8_t *data = NULL;
	size_t len = 0, count = 0, i;
	uint64_t sub_fid;
	unsigned calls, matched = 0;

	open_folder(f, H_FOLDER, f->fids[4]);
	r.u.RopCreateFolder.InputHandleIndex = H_FOLDER;
	r.u.RopCreateFolder.OutputHandleIndex = H_OTHER;
	r.u.RopCreateFolder.FolderType = FOLDER_GENERIC;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)"Projects";
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	sub_fid = run1(f, f, &r, ecSuccess)->u.RopCreateFolder.FolderId;
	read_keys(f, H_FOLDER, &inbox);
	read_keys(f, H_OTHER, &sub);
	check_source_key(f, sub.sk, sub_fid);

	open_folder(f, H_ROOT, f->fids[0]);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationConfigure;
	r.u.RopSynchronizationConfigure.InputHandleIndex = H_ROOT;
	r.u.RopSynchronizationConfigure.OutputHandleIndex = H_SYNC;
	r.u.RopSynchronizationConfigure.SynchronizationType = SynchronizationType_Hierarchy;
	r.u.RopSynchronizationConfigure.SendOptions = SendOptions_Unicode;
	r.u.RopSynchronizationConfigure.SynchronizationFlags = SynchronizationFlags_Unicode;
	r.u.RopSynchronizationConfigure.SynchronizationExtraFlags =
		SynchronizationExtraFlags_Eid;
	run1(f, f, &r, ecSuccess);
	g.u.RopFastTransferSourceGetBuffer.InputHandleIndex = H_SYNC;
	g.u.RopFastTransferSourceGetBuffer.BufferSize = 0x4000;
	for (calls = 0; calls < 100; calls++) {
		gb = &run1(f, f, &g, ecSuccess)->u.RopFastTransferSourceGetBuffer;
		data = talloc_realloc(f, data, uint8_t, len + gb->TransferBufferSize + 1);
		assert_non_null(data);
		memcpy(data + len, gb->TransferBuffer, gb->TransferBufferSize);
		len += gb->TransferBufferSize;
		if (gb->TransferStatus == TransferStatus_Done) {
			break;
		}
	}
	assert_int_equal(fxics_decode_all(f, data, len, 1252, &atoms, &count), ROP_OK);
	for (i = 0; i < count; i++) {
		const struct PropertyValue *pv = &atoms[i].Value;
		const struct keys *k;

		switch (atoms[i].PropertyTag) {
		case PidTagSourceKey:
			sk = pv;
			break;
		case PidTagChangeKey:
			ck = pv;
			break;
		case PidTagPredecessorChangeList:
			pcl = pv;
			break;
		case PidTagFolderId:
			if (pv->u.d != f->fids[4] && pv->u.d != sub_fid) {
				break;
			}
			k = pv->u.d == sub_fid ? &sub : &inbox;
			assert_non_null(sk);
			assert_non_null(ck);
			assert_non_null(pcl);
			assert_int_equal(sk->u.bin.cb, 22);
			assert_memory_equal(sk->u.bin.lpb, k->sk, 22);
			assert_int_equal(ck->u.bin.cb, 22);
			assert_memory_equal(ck->u.bin.lpb, k->ck, 22);
			assert_int_equal(pcl->u.bin.cb, k->pcl_len);
			assert_memory_equal(pcl->u.bin.lpb, k->pcl, k->pcl_len);
			matched++;
			break;
		default:
			break;
		}
	}
	assert_int_equal(matched, 2);
	fixture_free(f);
}

/* attachments: PidTagObjectType MAPI_ATTACH, PidTagRecordKey its number,
 * the store's properties */
static void test_attachment_properties(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t tags[] = { PidTagObjectType, PidTagRecordKey,
					 PidTagStoreRecordKey };
	static const uint8_t one[4] = { 1, 0, 0, 0 };
	struct rop_request r[2];
	struct rop_buffer *out;
	struct RowPropertyValue *v;

	open_folder(f, H_FOLDER, f->fids[4]);
	new_message(f, f->fids[4], "with attachments", 0);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateAttachment;
	r[0].u.RopCreateAttachment.InputHandleIndex = H_MSG;
	r[0].u.RopCreateAttachment.OutputHandleIndex = H_OTHER;
	r[1].RopId = RopCreateAttachment;
	r[1].u.RopCreateAttachment.InputHandleIndex = H_MSG;
	r[1].u.RopCreateAttachment.OutputHandleIndex = H_TABLE;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopCreateAttachment.AttachmentID, 1);
	v = get_props(f, f, H_TABLE, tags, 3);
	assert_int_equal(v[0].Value.u.l, 7);		/* MAPI_ATTACH */
	assert_bin(&v[1], one, 4);
	assert_bin(&v[2], f->MailboxGuid, 16);
	fixture_free(f);
}

static uint32_t unread_count(struct fixture *f)
{
	static const uint32_t tags[] = { PidTagContentUnreadCount, PidTagContentCount };
	TALLOC_CTX *tmp = talloc_new(f);
	struct RowPropertyValue *v = get_props(f, tmp, H_FOLDER, tags, 2);
	uint32_t n = v[0].Value.u.l;

	assert_int_equal(v[0].Flag, 0);
	assert_int_equal(v[1].Value.u.l, 3);
	talloc_free(tmp);
	return n;
}

/* [MS-OXCFOLD] 2.2.2.2.1.2: messages without mfRead */
static void test_unread_count(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { .RopId = RopSetMessageReadFlag };
	uint64_t unread;

	open_folder(f, H_FOLDER, f->fids[4]);
	unread = new_message(f, f->fids[4], "one", 0);
	new_message(f, f->fids[4], "two", mfRead);
	new_message(f, f->fids[4], "three", 0);
	assert_int_equal(unread_count(f), 2);

	/* read the newest (still open as H_MSG), then mark it unread again */
	r.u.RopSetMessageReadFlag.ResponseHandleIndex = H_OTHER;
	r.u.RopSetMessageReadFlag.InputHandleIndex = H_MSG;
	r.u.RopSetMessageReadFlag.ReadFlags = 0x00;
	run1(f, f, &r, ecSuccess);
	assert_int_equal(unread_count(f), 1);
	r.u.RopSetMessageReadFlag.ReadFlags = 0x04;	/* CLEAR_READ_FLAG */
	run1(f, f, &r, ecSuccess);
	assert_int_equal(unread_count(f), 2);
	(void)unread;
	fixture_free(f);
}

/* [MS-OXCSTOR] 2.2.2: what the logon answers */
static void test_logon_store_properties(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t tags[] = {
		PidTagStoreEntryId, PidTagEntryId, PidTagStoreRecordKey, PidTagRecordKey,
		PidTagStoreSupportMask, PidTagMailboxOwnerEntryId, PidTagObjectType,
		PidTagStoreState,
	};
	struct RowPropertyValue *v = get_props(f, f, H_LOGON, tags, 8);

	assert_int_equal(v[0].Flag, 0);
	assert_int_equal(v[0].Value.u.bin.cb, 60 + 5 + sizeof(DN));
	assert_int_equal(v[0].Value.u.bin.lpb[56], 0x0C);
	assert_string_equal((const char *)v[0].Value.u.bin.lpb + 60, "OCDC");
	assert_string_equal((const char *)v[0].Value.u.bin.lpb + 65, DN);
	assert_bin(&v[1], v[0].Value.u.bin.lpb, v[0].Value.u.bin.cb);
	assert_bin(&v[2], f->MailboxGuid, 16);
	assert_bin(&v[3], f->MailboxGuid, 16);
	/* STORE_ENTRYID_UNIQUE, STORE_SEARCH_OK, STORE_UNICODE_OK */
	assert_int_equal(v[4].Value.u.l & 0x00040005, 0x00040005);
	assert_int_equal(v[5].Value.u.bin.cb, 28 + sizeof(DN));
	assert_string_equal((const char *)v[5].Value.u.bin.lpb + 28, DN);
	assert_int_equal(v[6].Value.u.l, 1);		/* MAPI_STORE */
	assert_int_equal(v[7].Value.u.l, 0);
	fixture_free(f);
}

/* contents table rows carry the same computed values as GetProps */
static void test_table_rows_match_getprops(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t cols[] = {
		PidTagMid, PidTagEntryId, PidTagSourceKey, PidTagInstanceKey,
		PidTagParentEntryId, PidTagChangeKey,
	};
	struct rop_request r[3];
	struct rop_buffer *out;
	const struct PropertyRow *row;
	struct keys folder, msg;
	uint64_t mid;

	open_folder(f, H_FOLDER, f->fids[4]);
	read_keys(f, H_FOLDER, &folder);
	mid = new_message(f, f->fids[4], "row", 0);
	read_keys(f, H_MSG, &msg);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = H_FOLDER;
	r[0].u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = H_TABLE;
	r[1].u.RopSetColumns.PropertyTagCount = 6;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = H_TABLE;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	assert_int_equal(out->responses[2].u.RopQueryRows.RowCount, 1);
	row = &out->responses[2].u.RopQueryRows.RowData[0];
	assert_int_equal(row->Values[0].Value.u.d, mid);
	assert_bin(&row->Values[1], msg.eid, 70);
	assert_bin(&row->Values[2], msg.sk, 22);
	assert_int_equal(row->Values[3].Value.u.bin.cb, 8);
	assert_bin(&row->Values[4], folder.eid, 46);
	assert_bin(&row->Values[5], msg.ck, 22);
	fixture_free(f);
}

/* RopGetPropertiesList / All name the computed properties too */
static void test_properties_list(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r = { .RopId = RopGetPropertiesList };
	struct rop_request a = { .RopId = RopGetPropertiesAll };
	const struct RopGetPropertiesList_resp *l;
	const struct RopGetPropertiesAll_resp *all;
	bool eid = false, sk = false, count = false;
	uint32_t i;

	open_folder(f, H_FOLDER, f->fids[4]);
	new_message(f, f->fids[4], "list", 0);
	r.u.RopGetPropertiesList.InputHandleIndex = H_MSG;
	l = &run1(f, f, &r, ecSuccess)->u.RopGetPropertiesList;
	for (i = 0; i < l->PropertyTagCount; i++) {
		eid |= l->PropertyTags[i] == PidTagEntryId;
		sk |= l->PropertyTags[i] == PidTagSourceKey;
	}
	assert_true(eid && sk);

	a.u.RopGetPropertiesAll.InputHandleIndex = H_FOLDER;
	a.u.RopGetPropertiesAll.WantUnicode = 1;
	all = &run1(f, f, &a, ecSuccess)->u.RopGetPropertiesAll;
	eid = false;
	for (i = 0; i < all->PropertyValueCount; i++) {
		if (all->PropertyValues[i].PropertyTag == PidTagEntryId) {
			eid = all->PropertyValues[i].Value.u.bin.cb == 46;
		}
		if (all->PropertyValues[i].PropertyTag == PidTagContentCount) {
			count = all->PropertyValues[i].Value.u.l == 1;
		}
	}
	assert_true(eid && count);
	fixture_free(f);
}

/* [MS-OXCPRPT] 2.2.2.1 / 2.2.3.1 WantUnicode: 8-bit strings unless asked */
static void test_want_unicode(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint32_t unspecified[] = { 0x00370000 };	/* PidTagSubject */
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_request a = { .RopId = RopGetPropertiesAll };
	const struct RopGetPropertiesAll_resp *all;
	const struct RowPropertyValue *v;
	bool seen = false;
	uint32_t i, want;

	open_folder(f, H_FOLDER, f->fids[4]);
	new_message(f, f->fids[4], "caf\xc3\xa9", 0);
	for (want = 0; want < 2; want++) {
		r.u.RopGetPropertiesSpecific.InputHandleIndex = H_MSG;
		r.u.RopGetPropertiesSpecific.WantUnicode = (uint16_t)want;
		r.u.RopGetPropertiesSpecific.PropertyTagCount = 1;
		r.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)unspecified;
		v = run1(f, f, &r, ecSuccess)->u.RopGetPropertiesSpecific.RowData.Values;
		assert_int_equal(v[0].Value.PropertyType, want ? PtypString : PtypString8);
		assert_string_equal(want ? v[0].Value.u.str : v[0].Value.u.str8.utf8,
				    "caf\xc3\xa9");

		a.u.RopGetPropertiesAll.InputHandleIndex = H_MSG;
		a.u.RopGetPropertiesAll.WantUnicode = (uint16_t)want;
		all = &run1(f, f, &a, ecSuccess)->u.RopGetPropertiesAll;
		for (i = 0; i < all->PropertyValueCount; i++) {
			if ((all->PropertyValues[i].PropertyTag >> 16) == 0x0037) {
				assert_int_equal(all->PropertyValues[i].PropertyTag & 0xFFFF,
						 want ? PtypString : PtypString8);
				seen = true;
			}
		}
		assert_true(seen);
	}
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_folder_entryid_bytes, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_message_entryid_bytes, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_entryid_parse_errors, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_store_and_ab_entryids, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_folder_identifiers, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_message_identifiers_match_ics,
						oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_folder_keys_match_ics, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attachment_properties, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_unread_count, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_logon_store_properties, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table_rows_match_getprops, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_properties_list, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_want_unicode, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

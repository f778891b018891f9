/*
 * libFuzzer harness: conflict resolution of ICS uploads ([MS-OXCFXICS]
 * 3.1.5.6; ics_collector.c, ics_conflict.c and the RopSaveChangesMessage
 * hook) through the ROP encoder and the dispatcher, on a real mapistore
 * (temporary directory, memory backend).
 *
 * A new session of "alice" logs on (handle 0), opens the Inbox (1),
 * optionally sets its PidTagResolveMethod, saves one message there (3)
 * and opens a contents collector (2). The input then drives imports of
 * that message:
 *   byte 0   bit 0: the message is FAI; bit 1: set PidTagResolveMethod
 *   byte 1   the PidTagResolveMethod value
 *   then up to 4 rounds, each
 *     flags (1)  bit 0 ImportFlag Associated, bit 1 FailOnConflict,
 *                bit 2 the PCL also holds the server's current change key
 *                (no conflict), bit 3 release the message without saving
 *     PidTagLastModificationTime (8, little-endian)
 *     XidSize (1, 17 + value % 8), the change key (16 x 0xAA at its start
 *     becomes the mailbox replica GUID)
 *     PCL size (1), PCL bytes
 *     subject size (1), subject bytes (mapped to printable ASCII)
 * Then the invariants: a message with msInConflict in PidTagMessageStatus
 * has at least two PidTagInConflict attachments, each holding an
 * embedded message; a complete contents download of the Inbox decodes
 * and passes the [MS-OXCFXICS] 2.2.4.2 grammar, never carries a
 * PidTagMessageStatus with msInConflict (a resolve message is sent as its
 * versions, 3.1.5.6.2.1) and has a messageChange per version.
 * Violations abort().
 * Seeds: corpus/fuzz_ics_conflict (written by the unit test's cases).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 6
#define FUZZ_ROUNDS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static bool take(struct fuzz_in *in, size_t n, const uint8_t **out)
{
	if (in->left < n) {
		return false;
	}
	*out = in->p;
	in->p += n;
	in->left -= n;
	return true;
}

static uint32_t rv_of(const struct rop_response *r)
{
	uint32_t v;

	/* ReturnValue follows the RopId and the handle index ([MS-OXCROPS] 2.2) */
	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

static void bin_value(struct TaggedPropertyValue *v, uint32_t tag, uint8_t *data, size_t len)
{
	memset(v, 0, sizeof(*v));
	v->PropertyTag = tag;
	v->Value.PropertyType = PtypBinary;
	v->Value.u.bin.cb = (uint32_t)len;
	v->Value.u.bin.lpb = data;
}

static char *subject_of(TALLOC_CTX *mem, const uint8_t *b, size_t n)
{
	char *s = talloc_size(mem, n + 1);
	size_t i;

	if (s == NULL) {
		abort();
	}
	for (i = 0; i < n; i++) {
		s[i] = (char)(' ' + b[i] % 95);
	}
	s[n] = '\0';
	return s;
}

/* the prelude; returns the MID of the message */
static uint64_t prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles,
			uint64_t fids[13], uint8_t opts, uint32_t method)
{
	struct TaggedPropertyValue subj = { .PropertyTag = PidTagSubject };
	struct TaggedPropertyValue rm = { .PropertyTag = PidTagResolveMethod };
	struct rop_request r[6];
	struct rop_buffer *out;
	uint32_t i, k = 0;

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);
	subj.Value.PropertyType = PtypString;
	subj.Value.u.str = (char *)(uintptr_t)"server version";
	rm.Value.PropertyType = PtypInteger32;
	rm.Value.u.l = method;
	memset(r, 0, sizeof(r));
	fuzz_emsmdb_req_open_folder(&r[k++], 0, 1, fids[4]);
	if (opts & 0x02) {
		r[k].RopId = RopSetProperties;
		r[k].u.RopSetProperties.InputHandleIndex = 1;
		r[k].u.RopSetProperties.PropertyValueCount = 1;
		r[k++].u.RopSetProperties.PropertyValues = &rm;
	}
	fuzz_emsmdb_req_create_message(&r[k++], 1, 3, fids[4], (opts & 0x01) != 0);
	r[k].RopId = RopSetProperties;
	r[k].u.RopSetProperties.InputHandleIndex = 3;
	r[k].u.RopSetProperties.PropertyValueCount = 1;
	r[k++].u.RopSetProperties.PropertyValues = &subj;
	fuzz_emsmdb_req_save_message(&r[k++], 3, 3, 0x02);	/* KeepOpenReadWrite */
	fuzz_emsmdb_req_open_collector(&r[k++], 1, 2, true);
	out = fuzz_emsmdb_run(s, mem, NULL, r, k, handles, FUZZ_HANDLES);
	for (i = 0; i < k; i++) {
		if (out->count != k || rv_of(&out->responses[i]) != 0) {
			abort();	/* the prelude is the harness's own */
		}
	}
	return out->responses[k - 2].u.RopSaveChangesMessage.MessageId;
}

/* one import round; false when the input ran out */
static bool round_run(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles,
		      uint64_t mid, const uint8_t replguid[16], struct fuzz_in *in)
{
	struct TaggedPropertyValue v[4], subj = { .PropertyTag = PidTagSubject };
	struct mapistore_change *row = NULL;
	const uint8_t *flags, *lmt, *n, *ck, *pcl, *sub;
	struct rop_request r[2];
	struct rop_buffer *out;
	uint8_t *sk, *ckb, *pclb;
	size_t ck_len, pcl_len, extra = 0;
	uint64_t t = 0;
	unsigned k;

	if (!take(in, 1, &flags) || !take(in, 8, &lmt) || !take(in, 1, &n)) {
		return false;
	}
	ck_len = 17 + n[0] % 8;
	if (!take(in, ck_len, &ck) || !take(in, 1, &n)) {
		return false;
	}
	pcl_len = n[0];
	if (!take(in, pcl_len, &pcl) || !take(in, 1, &n) || !take(in, n[0], &sub)) {
		return false;
	}
	for (k = 0; k < 8; k++) {
		t |= (uint64_t)lmt[k] << (8 * k);
	}
	sk = talloc_size(mem, 22);
	ckb = talloc_memdup(mem, ck, ck_len);
	if (flags[0] & 0x04 &&
	    mapistore_changes_get(mem, s->mstore, mid, &row) == MAPISTORE_SUCCESS) {
		extra = 1 + (size_t)row->change_key_size;
	}
	pclb = talloc_size(mem, pcl_len + extra + 1);
	if (sk == NULL || ckb == NULL || pclb == NULL) {
		abort();
	}
	mapistore_xid_make(replguid, mapistore_fmid_globcnt(mid), sk);
	for (k = 0; k < 16 && ckb[k] == 0xAA; k++) {
	}
	if (k == 16) {
		memcpy(ckb, replguid, 16);
	}
	memcpy(pclb, pcl, pcl_len);
	if (extra > 0) {
		pclb[pcl_len] = row->change_key_size;
		memcpy(pclb + pcl_len + 1, row->change_key, row->change_key_size);
	}
	bin_value(&v[0], PidTagSourceKey, sk, 22);
	memset(&v[1], 0, sizeof(v[1]));
	v[1].PropertyTag = PidTagLastModificationTime;
	v[1].Value.PropertyType = PtypTime;
	v[1].Value.u.d = t;
	bin_value(&v[2], PidTagChangeKey, ckb, ck_len);
	bin_value(&v[3], PidTagPredecessorChangeList, pclb, pcl_len + extra);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSynchronizationImportMessageChange;
	r[0].u.RopSynchronizationImportMessageChange.InputHandleIndex = 2;
	r[0].u.RopSynchronizationImportMessageChange.OutputHandleIndex = 4;
	r[0].u.RopSynchronizationImportMessageChange.ImportFlag =
		((flags[0] & 0x01) ? 0x10 : 0) | ((flags[0] & 0x02) ? 0x40 : 0);
	r[0].u.RopSynchronizationImportMessageChange.PropertyValueCount = 4;
	r[0].u.RopSynchronizationImportMessageChange.PropertyValues = v;
	out = fuzz_emsmdb_run(s, mem, NULL, r, 1, handles, FUZZ_HANDLES);
	if (rv_of(&out->responses[0]) != 0) {
		return true;
	}
	memset(r, 0, sizeof(r));
	subj.Value.PropertyType = PtypString;
	subj.Value.u.str = subject_of(mem, sub, n[0]);
	r[0].RopId = RopSetProperties;
	r[0].u.RopSetProperties.InputHandleIndex = 4;
	r[0].u.RopSetProperties.PropertyValueCount = 1;
	r[0].u.RopSetProperties.PropertyValues = &subj;
	r[1].RopId = (flags[0] & 0x08) ? RopRelease : RopSaveChangesMessage;
	if (flags[0] & 0x08) {
		r[1].u.RopRelease.InputHandleIndex = 4;
	} else {
		r[1].u.RopSaveChangesMessage.ResponseHandleIndex = 4;
		r[1].u.RopSaveChangesMessage.InputHandleIndex = 4;
	}
	(void)fuzz_emsmdb_run(s, mem, NULL, r, 2, handles, FUZZ_HANDLES);
	return true;
}

/* 3.1.5.6.2.1: msInConflict -> at least two versions, each embedded;
 * how many (0: not a conflict resolve message) */
static uint32_t check_stored(struct emsmdb_session *s, TALLOC_CTX *mem, uint64_t fid,
			     uint64_t mid)
{
	static const uint32_t status_tag = PidTagMessageStatus;
	static const uint32_t cols[] = { PidTagInConflict };
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL, *emb = NULL;
	struct mapistore_attachment *att = NULL;
	struct mapistore_property *p = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i, versions = 0;

	if (mapistore_folder_open(mem, s->mstore, fid, &mf) != MAPISTORE_SUCCESS ||
	    mapistore_message_open(mem, mf, mid, false, &mm) != MAPISTORE_SUCCESS ||
	    mapistore_properties_get(mem, mapistore_message_object(mm), &status_tag, 1,
				     &p) != MAPISTORE_SUCCESS) {
		abort();	/* nothing deletes it */
	}
	if (mapistore_property_is_error(&p[0]) ||
	    ((uint32_t)p[0].value.i32 & msInConflict) == 0) {
		return 0;
	}
	if (mapistore_subobject_rows(mem, mm, PidTagMessageAttachments, cols, 1, &rows, &n) !=
	    MAPISTORE_SUCCESS) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (rows[i].count != 2 || mapistore_property_is_error(&rows[i].props[0]) ||
		    !rows[i].props[0].value.b) {
			continue;
		}
		if (mapistore_message_open_attachment(mem, mm, (uint32_t)rows[i].props[1].value.i32,
						      &att) != MAPISTORE_SUCCESS ||
		    mapistore_attachment_open_embedded(mem, att, false, &emb) !=
		    MAPISTORE_SUCCESS) {
			abort();
		}
		versions++;
	}
	if (versions < 2) {
		abort();
	}
	return versions;
}

/* a complete contents download of the Inbox must pass the grammar; a
 * conflict resolve message is never sent as such, each of its @versions
 * is a messageChange of its own (3.1.5.6.2.1) */
static void check_download(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles,
			   uint32_t versions)
{
	struct rop_request r = { .RopId = RopSynchronizationConfigure };
	struct fxics_atom *atoms = NULL;
	struct rop_buffer *out;
	uint8_t *data = NULL;
	size_t len = 0, count = 0, bad = 0, i, changes = 0;
	unsigned calls;

	r.u.RopSynchronizationConfigure.InputHandleIndex = 1;
	r.u.RopSynchronizationConfigure.OutputHandleIndex = 5;
	r.u.RopSynchronizationConfigure.SynchronizationType = SynchronizationType_Contents;
	r.u.RopSynchronizationConfigure.SendOptions = SendOptions_Unicode;
	r.u.RopSynchronizationConfigure.SynchronizationFlags = SynchronizationFlags_Unicode |
		SynchronizationFlags_Normal | SynchronizationFlags_FAI;
	out = fuzz_emsmdb_run(s, mem, NULL, &r, 1, handles, FUZZ_HANDLES);
	if (rv_of(&out->responses[0]) != 0) {
		abort();
	}
	for (calls = 0; calls < 64; calls++) {
		struct rop_request g = { .RopId = RopFastTransferSourceGetBuffer };
		const struct RopFastTransferSourceGetBuffer_resp *b;

		g.u.RopFastTransferSourceGetBuffer.InputHandleIndex = 5;
		g.u.RopFastTransferSourceGetBuffer.BufferSize = 0x4000;
		out = fuzz_emsmdb_run(s, mem, NULL, &g, 1, handles, FUZZ_HANDLES);
		if (rv_of(&out->responses[0]) != 0) {
			abort();
		}
		b = &out->responses[0].u.RopFastTransferSourceGetBuffer;
		data = talloc_realloc(mem, data, uint8_t, len + b->TransferBufferSize + 1);
		if (data == NULL) {
			abort();
		}
		memcpy(data + len, b->TransferBuffer, b->TransferBufferSize);
		len += b->TransferBufferSize;
		if (b->TransferStatus == TransferStatus_Done) {
			break;
		}
	}
	if (calls == 64) {
		return;	/* a long stream: not this harness's concern */
	}
	if (fxics_decode_all(mem, data, len, 1252, &atoms, &count) != ROP_OK ||
	    fxics_grammar_validate(FXICS_ROOT_CONTENTS_SYNC, atoms, count, &bad) != ROP_OK) {
		abort();
	}
	for (i = 0; i < count; i++) {
		changes += atoms[i].PropertyTag == IncrSyncChg ? 1 : 0;
		if (atoms[i].PropertyTag == PidTagMessageStatus &&
		    (atoms[i].Value.u.l & msInConflict) != 0) {
			abort();	/* the resolve message itself went out */
		}
	}
	if (changes < versions) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-conflict-XXXXXX", 64);
	uint32_t handles[FUZZ_HANDLES];
	struct emsmdb_session *s;
	struct fuzz_in in = { data, size };
	uint8_t replguid[16];
	uint64_t fids[13], mid, last = 0;
	unsigned rounds;
	TALLOC_CTX *mem;

	if (size < 2 || size > 0x8000) {
		return 0;
	}
	s = fuzz_emsmdb_run_begin(cfg, &mem, handles, FUZZ_HANDLES);
	mid = prelude(s, mem, handles, fids, data[0], data[1]);
	if (mapistore_changes_get_replica(s->mstore, replguid, &last) != MAPISTORE_SUCCESS) {
		abort();
	}
	in.p += 2;
	in.left -= 2;
	for (rounds = 0; rounds < FUZZ_ROUNDS && round_run(s, mem, handles, mid, replguid, &in);
	     rounds++) {
	}
	check_download(s, mem, handles, check_stored(s, mem, fids[4], mid));
	fuzz_emsmdb_run_end(s, mem);
	return 0;
}

/*
 * libFuzzer harness: the ICS state a client uploads
 * (RopSynchronizationUploadStateStreamBegin/Continue/End, [MS-OXCFXICS]
 * 2.2.3.2.2) and the download produced from it. One session of one user
 * (memory backend, SQLite metadata in a temporary directory) with a few
 * messages and a subfolder in the Inbox; each input configures a new
 * contents or hierarchy synchronization, uploads the input as one state
 * property in pieces, downloads the whole stream and requires it to be
 * valid for ndr/fxics's grammar validator whatever the state was.
 *
 * Input: byte 0 bits 0-1 the state property, bit 2 hierarchy, bit 3
 * "replace the first 16 bytes with the mailbox's replica GUID" (so
 * GLOBSETs reach the queries), bits 4-7 the piece size class; bytes 1-2
 * SynchronizationFlags; byte 3 the GetBuffer size class; the rest the
 * property's bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "memory_private.h"
#include "fuzz_emsmdb_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=fuzz"
#define NH 6

static struct emsmdb_session *fuzz_s;
static uint32_t fuzz_handles[NH];
static uint8_t fuzz_guid[16];

static void fuzz_cleanup(void)
{
	emsmdb_session_free(fuzz_s);
}

/* run @n requests; the ReturnValue of the last one */
static uint32_t fuzz_run(TALLOC_CTX *mem, struct rop_request *reqs, uint32_t n,
			 struct rop_buffer **out_r)
{
	struct rop_buffer *out = fuzz_emsmdb_run(fuzz_s, mem, NULL, reqs, n, fuzz_handles, NH);
	uint32_t v;

	if (out->count == 0) {
		return reqs[n - 1].RopId == RopRelease ? ecSuccess : ecError;
	}
	memcpy(&v, (const uint8_t *)&out->responses[out->count - 1].u + 4, 4);
	if (out_r != NULL) {
		*out_r = out;
	}
	return v;
}

static void fuzz_message(TALLOC_CTX *mem, uint64_t inbox, const char *subject, bool fai)
{
	struct TaggedPropertyValue v = { .PropertyTag = PidTagSubject };
	struct rop_request r[3];

	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.InputHandleIndex = 1;
	r[0].u.RopCreateMessage.OutputHandleIndex = 2;
	r[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[0].u.RopCreateMessage.FolderId = inbox;
	r[0].u.RopCreateMessage.AssociatedFlag = fai;
	v.Value.PropertyType = PtypString;
	v.Value.u.str = (char *)(uintptr_t)subject;
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = 2;
	r[1].u.RopSetProperties.PropertyValueCount = 1;
	r[1].u.RopSetProperties.PropertyValues = &v;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
	(void)fuzz_run(mem, r, 3, NULL);
}

static void fuzz_init(void)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct rop_request r[2];
	uint64_t fids[13], last = 0, inbox;

	fuzz_s = fuzz_emsmdb_session_new(fuzz_emsmdb_init("/tmp/fuzz-ics-XXXXXX", 0),
					 "fuzz", DN, "Fuzz");
	memset(fuzz_handles, 0xFF, sizeof(fuzz_handles));
	fuzz_emsmdb_logon(fuzz_s, mem, DN, fuzz_handles, NH, fids);
	inbox = fids[4];
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = inbox;
	if (fuzz_run(mem, r, 1, NULL) != ecSuccess) {
		abort();
	}
	fuzz_message(mem, inbox, "one", false);
	fuzz_message(mem, inbox, "two", false);
	fuzz_message(mem, inbox, "associated", true);
	if (mapistore_changes_get_replica(fuzz_s->mstore, fuzz_guid, &last) !=
	    MAPISTORE_SUCCESS) {
		abort();
	}
	talloc_free(mem);
	atexit(fuzz_cleanup);
}

static const uint32_t fuzz_props[4] = { MetaTagIdsetGiven, MetaTagCnsetSeen,
					MetaTagCnsetSeenFAI, MetaTagCnsetRead };
static const uint16_t fuzz_sizes[4] = { 4, 61, 1024, 0xBABE };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct rop_request r = { 0 };
	struct rop_buffer *out = NULL;
	uint8_t *state, *stream = NULL;
	size_t n, off, piece, len = 0, bad = 0, count = 0;
	struct fxics_atom *atoms = NULL;
	unsigned calls;
	uint32_t ec;

	if (fuzz_s == NULL) {
		fuzz_init();
	}
	if (size < 4 || size - 4 > 0x7000) {
		return 0;
	}
	mem = talloc_new(NULL);
	n = size - 4;
	state = talloc_zero_size(mem, n + 1);
	memcpy(state, data + 4, n);
	if ((data[0] & 0x08) && n >= 16) {
		memcpy(state, fuzz_guid, 16);
	}
	r.RopId = RopSynchronizationConfigure;
	r.u.RopSynchronizationConfigure.InputHandleIndex = 1;
	r.u.RopSynchronizationConfigure.OutputHandleIndex = 4;
	r.u.RopSynchronizationConfigure.SynchronizationType = (data[0] & 0x04) ? 2 : 1;
	r.u.RopSynchronizationConfigure.SynchronizationFlags =
		(uint16_t)((data[1] | (data[2] << 8)) & ~SynchronizationFlags_Reserved);
	r.u.RopSynchronizationConfigure.SynchronizationExtraFlags = data[3] & 0x0F;
	if (fuzz_run(mem, &r, 1, NULL) != ecSuccess) {
		abort();
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamBegin;
	r.u.RopSynchronizationUploadStateStreamBegin.InputHandleIndex = 4;
	r.u.RopSynchronizationUploadStateStreamBegin.StateProperty = fuzz_props[data[0] & 3];
	r.u.RopSynchronizationUploadStateStreamBegin.TransferBufferSize = (uint32_t)n;
	ec = fuzz_run(mem, &r, 1, NULL);
	piece = 1 + (size_t)(data[0] >> 4) * 97;
	for (off = 0; ec == ecSuccess && off < n; off += piece) {
		memset(&r, 0, sizeof(r));
		r.RopId = RopSynchronizationUploadStateStreamContinue;
		r.u.RopSynchronizationUploadStateStreamContinue.InputHandleIndex = 4;
		r.u.RopSynchronizationUploadStateStreamContinue.StreamDataSize =
			(uint32_t)(n - off < piece ? n - off : piece);
		r.u.RopSynchronizationUploadStateStreamContinue.StreamData = state + off;
		ec = fuzz_run(mem, &r, 1, NULL);
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationUploadStateStreamEnd;
	r.u.RopSynchronizationUploadStateStreamEnd.InputHandleIndex = 4;
	(void)fuzz_run(mem, &r, 1, NULL);

	/* whatever the state, the stream is a valid contentsSync/hierarchySync */
	for (calls = 0; calls < 10000; calls++) {
		const struct RopFastTransferSourceGetBuffer_resp *g;

		memset(&r, 0, sizeof(r));
		r.RopId = RopFastTransferSourceGetBuffer;
		r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = 4;
		r.u.RopFastTransferSourceGetBuffer.BufferSize = fuzz_sizes[data[3] >> 6];
		r.u.RopFastTransferSourceGetBuffer.MaximumBufferSize = 300;
		ec = fuzz_run(mem, &r, 1, &out);
		g = &out->responses[0].u.RopFastTransferSourceGetBuffer;
		if (ec != ecSuccess) {
			break;	/* e.g. a CNSET mapistore refuses (ecTooBig) */
		}
		stream = talloc_realloc(mem, stream, uint8_t, len + g->TransferBufferSize + 1);
		memcpy(stream + len, g->TransferBuffer, g->TransferBufferSize);
		len += g->TransferBufferSize;
		if (g->TransferStatus == TransferStatus_Done) {
			if (fxics_decode_all(mem, stream, len, 1252, &atoms, &count) != ROP_OK ||
			    fxics_grammar_validate((data[0] & 0x04) ? FXICS_ROOT_HIERARCHY_SYNC :
						   FXICS_ROOT_CONTENTS_SYNC, atoms, count,
						   &bad) != ROP_OK) {
				abort();
			}
			break;
		}
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopRelease;
	r.u.RopRelease.InputHandleIndex = 4;
	(void)fuzz_run(mem, &r, 1, NULL);
	talloc_free(mem);
	return 0;
}

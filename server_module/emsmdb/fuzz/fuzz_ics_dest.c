/*
 * libFuzzer harness: the FastTransfer destination ([MS-OXCFXICS]
 * 3.2.5.8.2, ics_dest*.c). One session of one user (memory backend,
 * SQLite metadata in a temporary directory); each input configures a new
 * destination on the Inbox (messageList, folderContent, topFolder) or on a
 * new unsaved message (messageContent) and puts the input's stream through
 * RopFastTransferDestinationPutBuffer / PutBufferExtended in pieces of
 * pseudo-random sizes. Checked: the server answers every call; a failed
 * put used at most the bytes given and answered TransferStatus Error;
 * errors are sticky. The Inbox is emptied every 64 inputs.
 *
 * Input: byte 0 bits 0-1 the root, bit 2 PutBufferExtended first, bits
 * 3-7 the piece size class; byte 1 the piece size seed; the rest the
 * stream.
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
static uint64_t fuzz_inbox;
static unsigned fuzz_runs;

static void fuzz_cleanup(void)
{
	emsmdb_session_free(fuzz_s);
}

/* run one request; its response (NULL for RopRelease) */
static struct rop_response *fuzz_run(TALLOC_CTX *mem, struct rop_request *req, uint32_t *rv_r)
{
	struct rop_buffer *out = fuzz_emsmdb_run(fuzz_s, mem, NULL, req, 1, fuzz_handles, NH);

	*rv_r = 0;
	if (out->count == 0) {
		return NULL;
	}
	memcpy(rv_r, (const uint8_t *)&out->responses[0].u + 4, 4);
	return &out->responses[0];
}

static void fuzz_init(void)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct rop_request r = { 0 };
	uint64_t fids[13];
	uint32_t rv = 0;

	fuzz_s = fuzz_emsmdb_session_new(fuzz_emsmdb_init("/tmp/fuzz-icsdest-XXXXXX", 0),
					 "fuzz", DN, "Fuzz");
	memset(fuzz_handles, 0xFF, sizeof(fuzz_handles));
	fuzz_emsmdb_logon(fuzz_s, mem, DN, fuzz_handles, NH, fids);
	fuzz_inbox = fids[4];
	r.RopId = RopOpenFolder;
	r.u.RopOpenFolder.OutputHandleIndex = 1;
	r.u.RopOpenFolder.FolderId = fuzz_inbox;
	if (fuzz_run(mem, &r, &rv) == NULL || rv != 0) {
		abort();
	}
	talloc_free(mem);
	atexit(fuzz_cleanup);
}

/* what the inputs left in the Inbox goes, so memory stays bounded */
static void fuzz_empty_inbox(void)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_folder *mf = NULL;

	if (mapistore_folder_open(mem, fuzz_s->mstore, fuzz_inbox, &mf) == MAPISTORE_SUCCESS) {
		(void)mapistore_folder_empty(mf, true);
	}
	talloc_free(mem);
}

static const uint8_t fuzz_ops[4] = { SourceOperation_CopyMessages, SourceOperation_CopyTo,
				     SourceOperation_CopyFolder, SourceOperation_CopyTo };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct rop_request r = { 0 };
	struct rop_response *resp;
	uint32_t rv = 0, first_error = 0, seed;
	uint8_t in = 1;
	size_t off, n, maxpiece;
	unsigned k = 0;
	bool ext;

	if (fuzz_s == NULL) {
		fuzz_init();
	}
	if (size < 2 || size - 2 > 0x40000) {
		return 0;
	}
	if (++fuzz_runs % 64 == 0) {
		fuzz_empty_inbox();
	}
	mem = talloc_new(NULL);
	if ((data[0] & 3) == 3) {
		/* messageContent onto a new message, never saved */
		r.RopId = RopCreateMessage;
		r.u.RopCreateMessage.InputHandleIndex = 1;
		r.u.RopCreateMessage.OutputHandleIndex = 2;
		r.u.RopCreateMessage.CodePageId = 0x0FFF;
		r.u.RopCreateMessage.FolderId = fuzz_inbox;
		if (fuzz_run(mem, &r, &rv) == NULL || rv != 0) {
			abort();
		}
		in = 2;
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferDestinationConfigure;
	r.u.RopFastTransferDestinationConfigure.InputHandleIndex = in;
	r.u.RopFastTransferDestinationConfigure.OutputHandleIndex = 3;
	r.u.RopFastTransferDestinationConfigure.SourceOperation = fuzz_ops[data[0] & 3];
	if (fuzz_run(mem, &r, &rv) == NULL || rv != 0) {
		abort();
	}
	ext = (data[0] & 4) != 0;
	maxpiece = (size_t)1 << ((data[0] >> 3) % 15);
	seed = data[1];
	for (off = 2; off < size || k == 0; off += n, k++) {
		uint16_t used, status;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 8) % maxpiece;
		if (n > size - off) {
			n = size - off;
		}
		if (n > 0x7000) {
			n = 0x7000;
		}
		memset(&r, 0, sizeof(r));
		r.RopId = ext ? RopFastTransferDestinationPutBufferExtended :
			RopFastTransferDestinationPutBuffer;
		r.u.RopFastTransferDestinationPutBuffer.InputHandleIndex = 3;
		r.u.RopFastTransferDestinationPutBuffer.TransferDataSize = (uint16_t)n;
		r.u.RopFastTransferDestinationPutBuffer.TransferData =
			(uint8_t *)(uintptr_t)(data + off);
		resp = fuzz_run(mem, &r, &rv);
		if (resp == NULL) {
			abort();
		}
		used = ext ? resp->u.RopFastTransferDestinationPutBufferExtended.BufferUsedSize :
			resp->u.RopFastTransferDestinationPutBuffer.BufferUsedSize;
		status = ext ? resp->u.RopFastTransferDestinationPutBufferExtended.TransferStatus :
			resp->u.RopFastTransferDestinationPutBuffer.TransferStatus;
		if (used > n || (rv != 0 && status != TransferStatus_Error) ||
		    (rv == 0 && used != n) || (first_error != 0 && rv != first_error)) {
			abort();
		}
		if (rv != 0 && first_error == 0) {
			first_error = rv;
		}
		ext = !ext;
		if (n == 0) {
			break;
		}
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopRelease;
	r.u.RopRelease.InputHandleIndex = 3;
	(void)fuzz_run(mem, &r, &rv);
	if (in == 2) {
		r.u.RopRelease.InputHandleIndex = 2;
		(void)fuzz_run(mem, &r, &rv);
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness: the [MS-OXCPRPT] stream and named-property handlers
 * (oxcprpt_stream.c, oxcprpt_named.c) through the ROP decoder and the
 * dispatcher, on a real mapistore (temporary directory, memory backend).
 *
 * Every input gets a new session that has run a fixed prelude: RopLogon
 * (handle 0), the Inbox (1), a new message (2), a PidTagBody stream
 * opened with Create holding "hello" (3) and a binary stream (4). The
 * input is then bytes 0-1 the output buffer size (little-endian, 0 for
 * 0x8000) and the rest a RopsList run with that handle table, so short
 * inputs reach the stream ROPs at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_oxcprpt.h"
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t fuzz_inbox;

static void fuzz_prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	static const uint8_t hello[] = { 'h', 0, 'e', 0, 'l', 0, 'l', 0, 'o', 0 };
	struct rop_request r[6];
	uint64_t fids[13];

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);
	fuzz_inbox = fids[4];

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fuzz_inbox;
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = fuzz_inbox;
	r[2].RopId = RopOpenStream;
	r[2].u.RopOpenStream.InputHandleIndex = 2;
	r[2].u.RopOpenStream.OutputHandleIndex = 3;
	r[2].u.RopOpenStream.PropertyTag = 0x1000001F;	/* PidTagBody */
	r[2].u.RopOpenStream.OpenModeFlags = OPENSTREAM_Create;
	r[3].RopId = RopWriteStream;
	r[3].u.RopWriteStream.InputHandleIndex = 3;
	r[3].u.RopWriteStream.DataSize = sizeof(hello);
	r[3].u.RopWriteStream.Data = (uint8_t *)(uintptr_t)hello;
	r[4].RopId = RopOpenStream;
	r[4].u.RopOpenStream.InputHandleIndex = 2;
	r[4].u.RopOpenStream.OutputHandleIndex = 4;
	r[4].u.RopOpenStream.PropertyTag = 0x10090102;	/* PidTagRtfCompressed */
	r[4].u.RopOpenStream.OpenModeFlags = OPENSTREAM_Create;
	(void)fuzz_emsmdb_run(s, mem, NULL, r, 5, handles, FUZZ_HANDLES);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-streams-XXXXXX", 64);

	fuzz_emsmdb_session_run(cfg, fuzz_prelude, FUZZ_HANDLES, data, size);
	return 0;
}

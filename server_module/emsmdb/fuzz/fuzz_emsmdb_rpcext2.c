/*
 * libFuzzer harness: EcDoRpcExt2 through the whole EMSMDB core
 * (emsmdb_rpcext2(): RPC_HEADER_EXT framing, XorMagic, LZ77, the ROP
 * decoder, the dispatcher and every handler, on a real mapistore in a
 * temporary directory with the memory backend).
 *
 * Input: byte 0 pulFlags (low 3 bits), bytes 1-2 *pcbOut (little-endian,
 * 0 for 0x8000), the rest rgbIn. Every input gets a new session of the
 * same user, so a RopLogon in the input provisions (once per process) and
 * reaches the folder, table, message and property handlers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "fuzz_emsmdb_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-XXXXXX", 64);
	struct emsmdb_rpcext2_io io;
	struct emsmdb_session *s;
	uint32_t ec;
	TALLOC_CTX *mem;

	if (size < 3) {
		return 0;
	}
	s = fuzz_emsmdb_session_new(cfg, "alice", FUZZ_EMSMDB_DN, "Alice");
	mem = talloc_new(NULL);
	if (mem == NULL) {
		abort();
	}
	memset(&io, 0, sizeof(io));
	io.pulFlags = data[0] & 0x07;
	io.cbOutMax = data[1] | (data[2] << 8);
	if (io.cbOutMax == 0) {
		io.cbOutMax = 0x8000;
	}
	io.rgbIn = data + 3;
	io.cbIn = size - 3;
	ec = emsmdb_rpcext2(s, mem, &io);
	if (getenv("EMSMDB_FUZZ_VERBOSE") != NULL) {
		size_t i;

		fprintf(stderr, "ec 0x%08x out %u:", ec, io.cbOut);
		for (i = 0; i < io.cbOut && i < 96; i++) {
			fprintf(stderr, " %02x", io.rgbOut[i]);
		}
		fprintf(stderr, "\n");
	}
	talloc_free(mem);
	emsmdb_session_free(s);
	return 0;
}

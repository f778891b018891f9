/*
 * libFuzzer harness: the ICS import ROPs with client IDs (ics_import.c,
 * ics_collector.c, mapistore_import.c, mapistore_move.c,
 * openchangedb_replica.c) through the ROP decoder and the dispatcher, on
 * a real mapistore (temporary directory, memory backend).
 *
 * A new session of "alice" runs a fixed prelude: RopLogon (handle 0), the
 * Inbox (1) with a contents collector (2), the Outbox (3) with a saved
 * message (5, its MID below), a hierarchy collector on the Inbox (4) and
 * RopGetLocalReplicaIds (64 IDs). The input is then run as a ROP buffer
 * (bytes 0-1 the output size, 0 for 0x8000, then the RopsList) after
 * these substitutions, so that short inputs name real objects:
 *   16 x 0xAA                  -> the mailbox's replica GUID
 *   BB BB BB BB hi lo          -> GLOBCNT (big-endian) first reserved + hi:lo
 *   6 x 0xCC                   -> GLOBCNT of the Outbox message
 *   6 x 0xDD                   -> GLOBCNT of the Outbox
 * Seeds: fuzz/make_import_seeds.py.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the prelude of the current input found */
static uint8_t replguid[16];
static uint64_t first_globcnt, message_globcnt, outbox_globcnt;

static void put_globcnt(uint8_t *p, uint64_t g)
{
	unsigned k;

	for (k = 0; k < 6; k++) {
		p[k] = (uint8_t)(g >> (8 * (5 - k)));
	}
}

static void prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	struct rop_request r[7];
	struct rop_buffer *out;
	uint64_t fids[13];
	unsigned k;

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);
	fuzz_emsmdb_req_open_folder(&r[0], 0, 1, fids[4]);
	fuzz_emsmdb_req_open_collector(&r[1], 1, 2, true);
	fuzz_emsmdb_req_open_folder(&r[2], 0, 3, fids[5]);
	fuzz_emsmdb_req_create_message(&r[3], 3, 5, fids[5], false);
	fuzz_emsmdb_req_save_message(&r[4], 5, 5, 0x02);	/* KeepOpenReadWrite */
	fuzz_emsmdb_req_open_collector(&r[5], 1, 4, false);
	memset(&r[6], 0, sizeof(r[6]));
	r[6].RopId = RopGetLocalReplicaIds;
	r[6].u.RopGetLocalReplicaIds.IdCount = 64;
	out = fuzz_emsmdb_run(s, mem, NULL, r, 7, handles, FUZZ_HANDLES);
	memcpy(replguid, out->responses[6].u.RopGetLocalReplicaIds.ReplGuid, 16);
	first_globcnt = 0;
	for (k = 0; k < 6; k++) {
		first_globcnt = (first_globcnt << 8) |
			out->responses[6].u.RopGetLocalReplicaIds.GlobalCount[k];
	}
	message_globcnt = mapistore_fmid_globcnt(out->responses[4].u.RopSaveChangesMessage.MessageId);
	outbox_globcnt = mapistore_fmid_globcnt(fids[5]);
}

static bool run_of(const uint8_t *p, size_t left, uint8_t byte, size_t n)
{
	size_t i;

	if (left < n) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (p[i] != byte) {
			return false;
		}
	}
	return true;
}

/* the substitutions of the header comment, in place */
static void substitute(uint8_t *buf, size_t size)
{
	size_t i = 0;

	while (i < size) {
		if (run_of(buf + i, size - i, 0xAA, 16)) {
			memcpy(buf + i, replguid, 16);
			i += 16;
		} else if (run_of(buf + i, size - i, 0xBB, 4) && size - i >= 6) {
			put_globcnt(buf + i, first_globcnt + ((uint64_t)buf[i + 4] << 8) + buf[i + 5]);
			i += 6;
		} else if (run_of(buf + i, size - i, 0xCC, 6)) {
			put_globcnt(buf + i, message_globcnt);
			i += 6;
		} else if (run_of(buf + i, size - i, 0xDD, 6)) {
			put_globcnt(buf + i, outbox_globcnt);
			i += 6;
		} else {
			i++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-import-XXXXXX", 64);

	fuzz_emsmdb_session_run_edit(cfg, prelude, substitute, FUZZ_HANDLES, data, size);
	return 0;
}

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
#include "memory_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static struct mapistore_config fuzz_mcfg;
static struct emsmdb_config fuzz_cfg;

static const char *fuzz_get(void *private_data, const char *key)
{
	return strcmp(key, "private dir") == 0 ? fuzz_dir : NULL;
}

static void fuzz_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot remove %s\n", fuzz_dir);
	}
}

static void fuzz_init(void)
{
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/emsmdb-fuzz-XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL) {
		abort();	/* harness setup, not input handling */
	}
	atexit(fuzz_cleanup);
	mapistore_set_log_level(-1);
	mapistore_memory_backend_register();
	fuzz_mcfg.get = fuzz_get;
	emsmdb_config_default(&fuzz_cfg);
	fuzz_cfg.netbios_name = "OCDC";
	fuzz_cfg.mapistore = &fuzz_mcfg;
	fuzz_cfg.default_backend = "memory";
	fuzz_cfg.limits.max_objects = 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emsmdb_rpcext2_io io;
	struct emsmdb_session *s;
	uint32_t ec;
	TALLOC_CTX *mem;

	if (fuzz_dir[0] == '\0') {
		fuzz_init();
	}
	if (size < 3) {
		return 0;
	}
	s = emsmdb_session_new(&fuzz_cfg);
	mem = talloc_new(NULL);
	if (s == NULL || mem == NULL) {
		abort();
	}
	s->account = talloc_strdup(s, "alice");
	s->user_dn = talloc_strdup(s, "/o=First Organization/ou=First "
				   "Administrative Group/cn=Recipients/cn=alice");
	s->display_name = talloc_strdup(s, "Alice");
	s->cpid = 1252;
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

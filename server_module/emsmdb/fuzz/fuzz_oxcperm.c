/*
 * libFuzzer harness: the [MS-OXCPERM] permission ROPs (oxcperm.c) and the
 * address-book entry ID parser (emsmdb_acl.c) through the ROP decoder and
 * the dispatcher, on a real mapistore (temporary directory, memory
 * backend).
 *
 * The whole input is first parsed as an entry ID (the DN, if any, must
 * encode back to the same prefix). Then a new session of "alice" runs a
 * fixed prelude: RopLogon (handle 0), the Inbox (1), its permissions
 * table (2). Bytes 0-1 are the output buffer size (little-endian, 0 for
 * 0x8000), the rest a RopsList run with that handle table: short inputs
 * reach RopModifyPermissions / RopGetPermissionsTable / RopQueryRows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the entry ID parser alone: a parsed DN encodes back to the input's
 * prefix, but for the Type field (bytes 24-27: any object type parses,
 * the encoder writes DT_MAILUSER) */
static void fuzz_entryid(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_binary eid = { 0, NULL };
	char *dn = NULL;

	if (mem == NULL) {
		abort();
	}
	if (emsmdb_acl_dn_from_entryid(mem, data, size, &dn) == ecSuccess) {
		if (dn == NULL ||
		    emsmdb_acl_entryid_from_dn(mem, dn, &eid) != ecSuccess ||
		    eid.length > size || memcmp(eid.data, data, 24) != 0 ||
		    memcmp(eid.data + 28, data + 28, eid.length - 28) != 0) {
			abort();	/* the parser and the encoder disagree */
		}
	}
	talloc_free(mem);
}

static void fuzz_prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	struct rop_request r[3];
	uint64_t fids[13];

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopGetPermissionsTable;
	r[1].u.RopGetPermissionsTable.InputHandleIndex = 1;
	r[1].u.RopGetPermissionsTable.OutputHandleIndex = 2;
	(void)fuzz_emsmdb_run(s, mem, NULL, r, 2, handles, FUZZ_HANDLES);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-perm-XXXXXX", 64);

	fuzz_entryid(data, size);
	fuzz_emsmdb_session_run(cfg, fuzz_prelude, FUZZ_HANDLES, data, size);
	return 0;
}

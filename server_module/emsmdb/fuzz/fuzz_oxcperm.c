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
#include "memory_private.h"

#define FUZZ_DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static struct mapistore_config fuzz_mcfg;
static struct emsmdb_config fuzz_cfg;

static const char *fuzz_get(void *private_data, const char *key)
{
	(void)private_data;
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
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/emsmdb-fuzz-perm-XXXXXX");
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

/* run @reqs (harness-built) with @handles; abort if they do not succeed */
static struct rop_buffer *fuzz_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				   struct rop_request *reqs, uint32_t n,
				   uint32_t *handles)
{
	struct rop_ctx ctx = { .codepage = 1252, .logon_private = true };
	struct rop_buffer in = { 0 }, *out = NULL;
	uint8_t *buf, *reply;
	size_t len, reply_len;

	in.count = n;
	in.requests = reqs;
	in.handle_count = FUZZ_HANDLES;
	in.ServerObjectHandleTable = handles;
	if (rop_buffer_encode_requests(mem, &in, &ctx, &buf, &len) != ROP_OK ||
	    emsmdb_rop_process(s, mem, buf, len, 0x8000, &reply, &reply_len) != 0 ||
	    rop_buffer_decode_responses(mem, reply, reply_len, &in, &ctx, &out) != ROP_OK) {
		abort();	/* the prelude is the harness's own */
	}
	memcpy(handles, out->ServerObjectHandleTable, FUZZ_HANDLES * 4);
	return out;
}

static void fuzz_prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	struct rop_request r[3];
	struct rop_buffer *out;
	uint64_t fids[13];

	memset(r, 0, sizeof(r));
	r[0].RopId = RopLogon;
	r[0].u.RopLogon.LogonFlags = 0x01;
	r[0].u.RopLogon.Essdn = (char *)(uintptr_t)FUZZ_DN;
	r[0].u.RopLogon.EssdnSize = strlen(FUZZ_DN) + 1;
	out = fuzz_run(s, mem, r, 1, handles);
	memcpy(fids, out->responses[0].u.RopLogon.FolderIds, sizeof(fids));

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopGetPermissionsTable;
	r[1].u.RopGetPermissionsTable.InputHandleIndex = 1;
	r[1].u.RopGetPermissionsTable.OutputHandleIndex = 2;
	(void)fuzz_run(s, mem, r, 2, handles);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t handles[FUZZ_HANDLES];
	struct emsmdb_session *s;
	size_t max_out, len;
	uint8_t *buf, *reply = NULL;
	size_t reply_len = 0;
	TALLOC_CTX *mem;

	if (fuzz_dir[0] == '\0') {
		fuzz_init();
	}
	fuzz_entryid(data, size);
	if (size < 2 || size > 0x8000) {
		return 0;
	}
	s = emsmdb_session_new(&fuzz_cfg);
	mem = talloc_new(NULL);
	if (s == NULL || mem == NULL) {
		abort();
	}
	s->account = talloc_strdup(s, "alice");
	s->user_dn = talloc_strdup(s, FUZZ_DN);
	s->display_name = talloc_strdup(s, "Alice");
	s->cpid = 1252;
	memset(handles, 0xFF, sizeof(handles));
	fuzz_prelude(s, mem, handles);

	/* RopSize, RopsList (the input), ServerObjectHandleTable */
	max_out = data[0] | (data[1] << 8);
	max_out = max_out == 0 ? 0x8000 : max_out;
	len = 2 + (size - 2) + sizeof(handles);
	buf = talloc_size(mem, len);
	if (buf == NULL) {
		abort();
	}
	buf[0] = (uint8_t)(size & 0xFF);
	buf[1] = (uint8_t)(size >> 8);
	memcpy(buf + 2, data + 2, size - 2);
	memcpy(buf + size, handles, sizeof(handles));
	(void)emsmdb_rop_process(s, mem, buf, len, max_out, &reply, &reply_len);
	if (reply != NULL && reply_len > max_out) {
		abort();	/* the dispatcher's contract */
	}
	talloc_free(mem);
	emsmdb_session_free(s);
	return 0;
}

/*
 * libFuzzer harness: the issue-7 handlers (oxcfold_move.c, oxcprpt_copy.c,
 * oxcmsg_status.c, oxcstor_ext.c; emsmdb_copy.h) through the ROP decoder
 * and the dispatcher, on a real mapistore (memory backend).
 *
 * Every input gets a fresh temporary directory (a copy of the metadata
 * store of a template whose mailbox was provisioned once) and a session
 * that has run a fixed prelude, so IDs are the same for every input:
 *   0 logon, 1 Inbox, 2 Inbox/A, 3 Inbox/A/B, 4 Deleted Items,
 *   5 message M1 in the Inbox (read-write, with a saved attachment),
 *   6 message M2 (read-write), 7 M1's attachment.
 * The input is then bytes 0-1 the output buffer size (little-endian, 0
 * for 0x8000) and the rest a RopsList run with that handle table.
 * With FUZZ_OXC_COPY_IDS set in the environment, the prelude's IDs are
 * printed (fuzz/make_copy_seeds.py writes the seeds with them), and each
 * reply in hex.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_copy.h"
#include "memory_private.h"
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_template[64];
static struct mapistore_config fuzz_mcfg;
static struct emsmdb_config fuzz_cfg;
static bool fuzz_ready;

static const char *fuzz_get(void *private_data, const char *key)
{
	(void)private_data;
	return strcmp(key, "private dir") == 0 ? fuzz_dir : NULL;
}

static void fuzz_rmdir(void)
{
	char cmd[128];

	if (fuzz_dir[0] == '\0') {
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot remove %s\n", fuzz_dir);
	}
	fuzz_dir[0] = '\0';
}

static void fuzz_rm_template(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_template);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot remove %s\n", fuzz_template);
	}
}

/* copy the template's metadata store into fuzz_dir */
static void fuzz_copy_template(void)
{
	char from[128], to[128];
	uint8_t buf[65536];
	FILE *in, *out;
	size_t n;

	snprintf(from, sizeof(from), "%s/openchange.db", fuzz_template);
	snprintf(to, sizeof(to), "%s/openchange.db", fuzz_dir);
	in = fopen(from, "rb");
	out = fopen(to, "wb");
	if (in == NULL || out == NULL) {
		abort();	/* harness setup */
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			abort();
		}
	}
	fclose(in);
	fclose(out);
}

static struct rop_buffer *fuzz_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				   struct rop_request *reqs, uint32_t n, uint32_t *handles);
static struct emsmdb_session *fuzz_session(void);

static void fuzz_init(void)
{
	struct emsmdb_session *s;
	uint32_t handles[FUZZ_HANDLES];
	uint64_t fids[13];
	TALLOC_CTX *mem;

	mapistore_set_log_level(-1);
	mapistore_memory_backend_register();
	fuzz_mcfg.get = fuzz_get;
	emsmdb_config_default(&fuzz_cfg);
	fuzz_cfg.netbios_name = "OCDC";
	fuzz_cfg.mapistore = &fuzz_mcfg;
	fuzz_cfg.default_backend = "memory";
	fuzz_cfg.limits.max_objects = 64;
	atexit(fuzz_rmdir);
	/* the template: a provisioned mailbox (RopLogon once) */
	snprintf(fuzz_template, sizeof(fuzz_template), "/tmp/emsmdb-fuzz-copyt-XXXXXX");
	if (mkdtemp(fuzz_template) == NULL) {
		abort();
	}
	atexit(fuzz_rm_template);
	memcpy(fuzz_dir, fuzz_template, sizeof(fuzz_dir));
	s = fuzz_session();
	mem = talloc_new(NULL);
	memset(handles, 0xFF, sizeof(handles));
	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);
	talloc_free(mem);
	emsmdb_session_free(s);
	fuzz_dir[0] = '\0';
	fuzz_ready = true;
}

static struct emsmdb_session *fuzz_session(void)
{
	return fuzz_emsmdb_session_new(&fuzz_cfg, "alice", FUZZ_EMSMDB_DN, "Alice");
}

/* run @reqs (harness-built) with @handles; abort unless all succeed */
static struct rop_buffer *fuzz_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				   struct rop_request *reqs, uint32_t n, uint32_t *handles)
{
	struct rop_buffer *out = fuzz_emsmdb_run(s, mem, NULL, reqs, n, handles, FUZZ_HANDLES);
	uint32_t i, rv;

	for (i = 0; i < out->count; i++) {
		memcpy(&rv, (const uint8_t *)&out->responses[i].u + 4, 4);
		if (rv != 0) {
			abort();
		}
	}
	return out;
}

static void fuzz_folder(struct rop_request *r, uint8_t in, uint8_t out, const char *name)
{
	r->RopId = RopCreateFolder;
	r->u.RopCreateFolder.InputHandleIndex = in;
	r->u.RopCreateFolder.OutputHandleIndex = out;
	r->u.RopCreateFolder.FolderType = 1;
	r->u.RopCreateFolder.UseUnicodeStrings = 1;
	r->u.RopCreateFolder.DisplayName = (char *)(uintptr_t)name;
	r->u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
}

static void fuzz_prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	struct TaggedPropertyValue v[2];
	struct rop_request r[12];
	struct rop_buffer *out;
	uint64_t fids[13];

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);

	memset(r, 0, sizeof(r));
	memset(v, 0, sizeof(v));
	v[0].PropertyTag = PidTagSubject;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = (char *)(uintptr_t)"fuzz";
	v[1].PropertyTag = 0x37050003;	/* PidTagAttachMethod */
	v[1].Value.PropertyType = PtypInteger32;
	v[1].Value.u.l = 1;
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	fuzz_folder(&r[1], 1, 2, "A");
	fuzz_folder(&r[2], 2, 3, "B");
	r[3].RopId = RopOpenFolder;
	r[3].u.RopOpenFolder.OutputHandleIndex = 4;
	r[3].u.RopOpenFolder.FolderId = fids[7];
	r[4].RopId = RopCreateMessage;
	r[4].u.RopCreateMessage.InputHandleIndex = 1;
	r[4].u.RopCreateMessage.OutputHandleIndex = 5;
	r[4].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[4].u.RopCreateMessage.FolderId = fids[4];
	r[5].RopId = RopSetProperties;
	r[5].u.RopSetProperties.InputHandleIndex = 5;
	r[5].u.RopSetProperties.PropertyValueCount = 1;
	r[5].u.RopSetProperties.PropertyValues = &v[0];
	r[6].RopId = RopCreateAttachment;
	r[6].u.RopCreateAttachment.InputHandleIndex = 5;
	r[6].u.RopCreateAttachment.OutputHandleIndex = 7;
	r[7].RopId = RopSetProperties;
	r[7].u.RopSetProperties.InputHandleIndex = 7;
	r[7].u.RopSetProperties.PropertyValueCount = 1;
	r[7].u.RopSetProperties.PropertyValues = &v[1];
	r[8].RopId = RopSaveChangesAttachment;
	r[8].u.RopSaveChangesAttachment.ResponseHandleIndex = 5;
	r[8].u.RopSaveChangesAttachment.InputHandleIndex = 7;
	r[9].RopId = RopSaveChangesMessage;
	r[9].u.RopSaveChangesMessage.ResponseHandleIndex = 5;
	r[9].u.RopSaveChangesMessage.InputHandleIndex = 5;
	r[9].u.RopSaveChangesMessage.SaveFlags = 0x02;	/* KeepOpenReadWrite */
	r[10] = r[4];
	r[10].u.RopCreateMessage.OutputHandleIndex = 6;
	r[11].RopId = RopSaveChangesMessage;
	r[11].u.RopSaveChangesMessage.ResponseHandleIndex = 6;
	r[11].u.RopSaveChangesMessage.InputHandleIndex = 6;
	r[11].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = fuzz_run(s, mem, r, 12, handles);
	if (getenv("FUZZ_OXC_COPY_IDS") != NULL) {
		printf("inbox=0x%016llx deleted=0x%016llx a=0x%016llx b=0x%016llx "
		       "m1=0x%016llx m2=0x%016llx\n", (unsigned long long)fids[4],
		       (unsigned long long)fids[7],
		       (unsigned long long)out->responses[1].u.RopCreateFolder.FolderId,
		       (unsigned long long)out->responses[2].u.RopCreateFolder.FolderId,
		       (unsigned long long)out->responses[9].u.RopSaveChangesMessage.MessageId,
		       (unsigned long long)out->responses[11].u.RopSaveChangesMessage.MessageId);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t handles[FUZZ_HANDLES];
	struct emsmdb_session *s;
	uint8_t *reply;
	size_t reply_len = 0;
	TALLOC_CTX *mem;

	if (!fuzz_ready) {
		fuzz_init();
	}
	if (size < 2 || size > 0x8000) {
		return 0;
	}
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/emsmdb-fuzz-copy-XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL) {
		abort();	/* harness setup, not input handling */
	}
	fuzz_copy_template();
	s = fuzz_session();
	mem = talloc_new(NULL);
	if (mem == NULL) {
		abort();
	}
	memset(handles, 0xFF, sizeof(handles));
	fuzz_prelude(s, mem, handles);

	reply = fuzz_emsmdb_run_input(s, mem, data, size, handles, FUZZ_HANDLES, &reply_len);
	if (getenv("FUZZ_OXC_COPY_IDS") != NULL && reply != NULL) {
		size_t i;

		printf("reply=");
		for (i = 0; i < reply_len; i++) {
			printf("%02x", reply[i]);
		}
		printf("\n");
	}
	talloc_free(mem);
	emsmdb_session_free(s);
	fuzz_rmdir();
	return 0;
}

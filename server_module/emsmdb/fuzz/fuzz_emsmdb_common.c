/*
 * Shared setup of the EMSMDB fuzz harnesses (fuzz_emsmdb_common.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_emsmdb_common.h"
#include "memory_private.h"

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

const struct emsmdb_config *fuzz_emsmdb_init(const char *tmpl, uint32_t max_objects)
{
	if (fuzz_dir[0] != '\0') {
		return &fuzz_cfg;
	}
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s", tmpl);
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
	if (max_objects != 0) {
		fuzz_cfg.limits.max_objects = max_objects;
	}
	return &fuzz_cfg;
}

const char *fuzz_emsmdb_dir(void)
{
	return fuzz_dir;
}

struct emsmdb_session *fuzz_emsmdb_session_new(const struct emsmdb_config *cfg,
					       const char *account, const char *dn,
					       const char *display_name)
{
	struct emsmdb_session *s = emsmdb_session_new(cfg);

	if (s == NULL) {
		abort();
	}
	s->account = talloc_strdup(s, account);
	s->user_dn = talloc_strdup(s, dn);
	s->display_name = talloc_strdup(s, display_name);
	s->cpid = 1252;
	return s;
}

struct rop_buffer *fuzz_emsmdb_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				   const struct rop_ctx *ctx, struct rop_request *reqs,
				   uint32_t n, uint32_t *handles, uint32_t handle_count)
{
	static const struct rop_ctx plain = { .codepage = 1252, .logon_private = true };
	struct rop_buffer in = { 0 }, *out = NULL;
	uint8_t *buf, *reply;
	size_t len, reply_len;

	if (ctx == NULL) {
		ctx = &plain;
	}
	in.count = n;
	in.requests = reqs;
	in.handle_count = handle_count;
	in.ServerObjectHandleTable = handles;
	if (rop_buffer_encode_requests(mem, &in, ctx, &buf, &len) != ROP_OK ||
	    emsmdb_rop_process(s, mem, buf, len, 0x8000, &reply, &reply_len) != 0 ||
	    rop_buffer_decode_responses(mem, reply, reply_len, &in, ctx, &out) != ROP_OK ||
	    out->handle_count != handle_count) {
		abort();	/* the prelude is the harness's own */
	}
	memcpy(handles, out->ServerObjectHandleTable, handle_count * sizeof(handles[0]));
	return out;
}

void fuzz_emsmdb_logon(struct emsmdb_session *s, TALLOC_CTX *mem, const char *dn,
		       uint32_t *handles, uint32_t handle_count, uint64_t fids[13])
{
	struct rop_request r;
	struct rop_buffer *out;
	uint32_t rv;

	memset(&r, 0, sizeof(r));
	r.RopId = RopLogon;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)dn;
	r.u.RopLogon.EssdnSize = (uint16_t)(strlen(dn) + 1);
	out = fuzz_emsmdb_run(s, mem, NULL, &r, 1, handles, handle_count);
	/* ReturnValue follows the RopId and the handle index ([MS-OXCROPS] 2.2) */
	memcpy(&rv, (const uint8_t *)&out->responses[0].u + 4, 4);
	if (out->count != 1 || rv != 0) {
		abort();
	}
	memcpy(fids, out->responses[0].u.RopLogon.FolderIds, 13 * sizeof(fids[0]));
}

uint8_t *fuzz_emsmdb_run_input(struct emsmdb_session *s, TALLOC_CTX *mem,
			       const uint8_t *data, size_t size, const uint32_t *handles,
			       uint32_t handle_count, size_t *reply_len_r)
{
	size_t tail = handle_count * sizeof(handles[0]);
	size_t max_out, len, reply_len = 0;
	uint8_t *buf, *reply = NULL;

	if (size < 2 || size > 0x8000) {
		abort();	/* the harness's own bound */
	}
	/* RopSize, RopsList (the input), ServerObjectHandleTable */
	max_out = data[0] | (data[1] << 8);
	max_out = max_out == 0 ? 0x8000 : max_out;
	len = size + tail;
	buf = talloc_size(mem, len);
	if (buf == NULL) {
		abort();
	}
	buf[0] = (uint8_t)(size & 0xFF);
	buf[1] = (uint8_t)(size >> 8);
	memcpy(buf + 2, data + 2, size - 2);
	memcpy(buf + size, handles, tail);
	(void)emsmdb_rop_process(s, mem, buf, len, max_out, &reply, &reply_len);
	if (reply != NULL && reply_len > max_out) {
		abort();	/* the dispatcher's contract */
	}
	if (reply_len_r != NULL) {
		*reply_len_r = reply_len;
	}
	return reply;
}

void fuzz_emsmdb_session_run(const struct emsmdb_config *cfg, fuzz_emsmdb_prelude_fn prelude,
			     uint32_t handle_count, const uint8_t *data, size_t size)
{
	uint32_t handles[FUZZ_EMSMDB_MAX_HANDLES];
	struct emsmdb_session *s;
	TALLOC_CTX *mem;

	if (size < 2 || size > 0x8000) {
		return;
	}
	if (handle_count > FUZZ_EMSMDB_MAX_HANDLES) {
		abort();	/* the harness's own bound */
	}
	s = fuzz_emsmdb_session_new(cfg, "alice", FUZZ_EMSMDB_DN, "Alice");
	mem = talloc_new(NULL);
	if (mem == NULL) {
		abort();
	}
	memset(handles, 0xFF, sizeof(handles));
	prelude(s, mem, handles);
	(void)fuzz_emsmdb_run_input(s, mem, data, size, handles, handle_count, NULL);
	talloc_free(mem);
	emsmdb_session_free(s);
}

struct emsmdb_session *fuzz_emsmdb_run_begin(const struct emsmdb_config *cfg,
					     TALLOC_CTX **mem_r, uint32_t *handles,
					     uint32_t handle_count)
{
	struct emsmdb_session *s = fuzz_emsmdb_session_new(cfg, "alice", FUZZ_EMSMDB_DN,
							   "Alice");

	*mem_r = talloc_new(NULL);
	if (*mem_r == NULL) {
		abort();	/* the harness's own allocation */
	}
	memset(handles, 0xFF, handle_count * sizeof(handles[0]));
	return s;
}

void fuzz_emsmdb_run_end(struct emsmdb_session *s, TALLOC_CTX *mem)
{
	talloc_free(mem);
	emsmdb_session_free(s);
}

void fuzz_emsmdb_session_run_edit(const struct emsmdb_config *cfg,
				  fuzz_emsmdb_prelude_fn prelude, fuzz_emsmdb_edit_fn edit,
				  uint32_t handle_count, const uint8_t *data, size_t size)
{
	uint32_t handles[FUZZ_EMSMDB_MAX_HANDLES];
	struct emsmdb_session *s;
	TALLOC_CTX *mem;
	uint8_t *buf;

	if (size < 2 || size > 0x8000) {
		return;
	}
	if (handle_count > FUZZ_EMSMDB_MAX_HANDLES) {
		abort();	/* the harness's own bound */
	}
	s = fuzz_emsmdb_run_begin(cfg, &mem, handles, handle_count);
	buf = talloc_memdup(mem, data, size);
	if (buf == NULL) {
		abort();
	}
	prelude(s, mem, handles);
	edit(buf, size);
	(void)fuzz_emsmdb_run_input(s, mem, buf, size, handles, handle_count, NULL);
	fuzz_emsmdb_run_end(s, mem);
}

void fuzz_emsmdb_req_open_folder(struct rop_request *r, uint8_t in, uint8_t out,
				 uint64_t fid)
{
	memset(r, 0, sizeof(*r));
	r->RopId = RopOpenFolder;
	r->u.RopOpenFolder.InputHandleIndex = in;
	r->u.RopOpenFolder.OutputHandleIndex = out;
	r->u.RopOpenFolder.FolderId = fid;
}

void fuzz_emsmdb_req_open_collector(struct rop_request *r, uint8_t in, uint8_t out,
				    bool contents)
{
	memset(r, 0, sizeof(*r));
	r->RopId = RopSynchronizationOpenCollector;
	r->u.RopSynchronizationOpenCollector.InputHandleIndex = in;
	r->u.RopSynchronizationOpenCollector.OutputHandleIndex = out;
	r->u.RopSynchronizationOpenCollector.IsContentsCollector = contents ? 1 : 0;
}

void fuzz_emsmdb_req_create_message(struct rop_request *r, uint8_t in, uint8_t out,
				    uint64_t fid, bool fai)
{
	memset(r, 0, sizeof(*r));
	r->RopId = RopCreateMessage;
	r->u.RopCreateMessage.InputHandleIndex = in;
	r->u.RopCreateMessage.OutputHandleIndex = out;
	r->u.RopCreateMessage.CodePageId = 0x0FFF;
	r->u.RopCreateMessage.FolderId = fid;
	r->u.RopCreateMessage.AssociatedFlag = fai ? 1 : 0;
}

void fuzz_emsmdb_req_save_message(struct rop_request *r, uint8_t in, uint8_t response,
				  uint8_t flags)
{
	memset(r, 0, sizeof(*r));
	r->RopId = RopSaveChangesMessage;
	r->u.RopSaveChangesMessage.ResponseHandleIndex = response;
	r->u.RopSaveChangesMessage.InputHandleIndex = in;
	r->u.RopSaveChangesMessage.SaveFlags = flags;
}

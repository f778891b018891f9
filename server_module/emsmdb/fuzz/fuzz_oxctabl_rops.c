/*
 * libFuzzer harness: the table ROPs of [MS-OXCTABL] (oxctabl*.c) through
 * the ROP decoder and the dispatcher, on a real mapistore (temporary
 * directory, memory backend), with a categorized table in place.
 *
 * Every input gets a new session that has run a fixed prelude: RopLogon
 * (handle 0), the Inbox (1) holding six messages in three classes, its
 * contents table (2) with columns (class, subject, PidTagInstID,
 * PidTagRowType, PidTagDepth) sorted by class (category, half of the
 * categories expanded) then subject, and a second, flat contents table
 * (3) sorted by subject. The input is then bytes 0-1 the output buffer
 * size (little-endian, 0 for 0x8000) and the rest a RopsList run with
 * that handle table: FindRow, ExpandRow, CollapseRow, the collapse
 * states, bookmarks and backward reads on both tables. Category IDs are
 * hashes no fuzzer guesses: the 8 bytes CA 7E CA 7E CA 7E CA 0N in the
 * input are replaced with the ID of category N (0..2) before the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "oxctabl_ext.h"
#include "memory_private.h"

#define FUZZ_DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static uint64_t fuzz_categ[3];
static struct mapistore_config fuzz_mcfg;
static struct emsmdb_config fuzz_cfg;

static const uint32_t fuzz_cols[] = {
	0x001A001F, 0x0037001F, 0x674D0014, 0x0FF50003, 0x30050003,
};
static const struct SortOrder fuzz_orders[] = {
	{ .PropertyType = 0x001F, .PropertyId = 0x001A },
	{ .PropertyType = 0x001F, .PropertyId = 0x0037 },
};

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
	snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/emsmdb-fuzz-tables-XXXXXX");
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

/* run @reqs (harness-built) with @handles; abort if they cannot run */
static void fuzz_run(struct emsmdb_session *s, TALLOC_CTX *mem, struct rop_request *reqs,
		     uint32_t n, uint32_t *handles, struct rop_buffer **out_r)
{
	struct rop_ctx ctx = { .codepage = 1252, .logon_private = true,
			       .columns = fuzz_cols, .column_count = 5 };
	struct rop_buffer in = { 0 };
	uint8_t *buf, *reply;
	size_t len, reply_len;

	in.count = n;
	in.requests = reqs;
	in.handle_count = FUZZ_HANDLES;
	in.ServerObjectHandleTable = handles;
	if (rop_buffer_encode_requests(mem, &in, &ctx, &buf, &len) != ROP_OK ||
	    emsmdb_rop_process(s, mem, buf, len, 0x8000, &reply, &reply_len) != 0 ||
	    rop_buffer_decode_responses(mem, reply, reply_len, &in, &ctx, out_r) != ROP_OK) {
		abort();	/* the prelude is the harness's own */
	}
	memcpy(handles, (*out_r)->ServerObjectHandleTable, FUZZ_HANDLES * 4);
}

/* a contents table of the Inbox at @handle, columns set, sorted */
static void fuzz_table(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles,
		       uint8_t handle, uint16_t count, uint16_t categorized)
{
	struct rop_request r[3];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = 1;
	r[0].u.RopGetContentsTable.OutputHandleIndex = handle;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = handle;
	r[1].u.RopSetColumns.PropertyTagCount = 5;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)fuzz_cols;
	r[2].RopId = RopSortTable;
	r[2].u.RopSortTable.InputHandleIndex = handle;
	r[2].u.RopSortTable.SortOrderCount = count;
	r[2].u.RopSortTable.CategorizedCount = categorized;
	r[2].u.RopSortTable.ExpandedCount = 0;
	r[2].u.RopSortTable.SortOrders = (struct SortOrder *)(uintptr_t)
		(count == 1 ? &fuzz_orders[1] : fuzz_orders);
	fuzz_run(s, mem, r, 3, handles, &out);
}

static void fuzz_prelude(struct emsmdb_session *s, TALLOC_CTX *mem, uint32_t *handles)
{
	static const char *const subjects[] = { "a1", "b1", "c1", "a2", "b2", "c2" };
	static const char *const classes[] = { "IPM.A", "IPM.B", "IPM.C" };
	struct TaggedPropertyValue v[2];
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t inbox;
	int i;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopLogon;
	r[0].u.RopLogon.LogonFlags = 0x01;
	r[0].u.RopLogon.Essdn = (char *)(uintptr_t)FUZZ_DN;
	r[0].u.RopLogon.EssdnSize = strlen(FUZZ_DN) + 1;
	fuzz_run(s, mem, r, 1, handles, &out);
	inbox = out->responses[0].u.RopLogon.FolderIds[4];
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = inbox;
	fuzz_run(s, mem, r, 1, handles, &out);
	for (i = 0; i < 6; i++) {
		memset(r, 0, sizeof(r));
		memset(v, 0, sizeof(v));
		v[0].PropertyTag = 0x0037001F;
		v[0].Value.PropertyType = 0x001F;
		v[0].Value.u.str = (char *)(uintptr_t)subjects[i];
		v[1].PropertyTag = 0x001A001F;
		v[1].Value.PropertyType = 0x001F;
		v[1].Value.u.str = (char *)(uintptr_t)classes[i % 3];
		r[0].RopId = RopCreateMessage;
		r[0].u.RopCreateMessage.InputHandleIndex = 1;
		r[0].u.RopCreateMessage.OutputHandleIndex = 4;
		r[0].u.RopCreateMessage.FolderId = inbox;
		r[1].RopId = RopSetProperties;
		r[1].u.RopSetProperties.InputHandleIndex = 4;
		r[1].u.RopSetProperties.PropertyValueCount = 2;
		r[1].u.RopSetProperties.PropertyValues = v;
		r[2].RopId = RopSaveChangesMessage;
		r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 5;
		r[2].u.RopSaveChangesMessage.InputHandleIndex = 4;
		r[3].RopId = RopRelease;
		r[3].u.RopRelease.InputHandleIndex = 4;
		fuzz_run(s, mem, r, 4, handles, &out);
	}
	fuzz_table(s, mem, handles, 2, 2, 1);
	fuzz_table(s, mem, handles, 3, 1, 0);
	/* the three collapsed headers: their IDs */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopQueryRows;
	r[0].u.RopQueryRows.InputHandleIndex = 2;
	r[0].u.RopQueryRows.ForwardRead = 1;
	r[0].u.RopQueryRows.RowCount = 10;
	r[1].RopId = RopSeekRow;
	r[1].u.RopSeekRow.InputHandleIndex = 2;
	fuzz_run(s, mem, r, 2, handles, &out);
	if (out->responses[0].u.RopQueryRows.RowCount != 3) {
		abort();
	}
	for (i = 0; i < 3; i++) {
		fuzz_categ[i] = out->responses[0].u.RopQueryRows.RowData[i].Values[2].Value.u.d;
	}
}

/* CA 7E CA 7E CA 7E CA 0N -> the ID of category N */
static void fuzz_ids(uint8_t *p, size_t size)
{
	static const uint8_t marker[7] = { 0xCA, 0x7E, 0xCA, 0x7E, 0xCA, 0x7E, 0xCA };
	size_t i;

	for (i = 0; i + 8 <= size; i++) {
		if (memcmp(p + i, marker, 7) == 0 && p[i + 7] < 3) {
			uint64_t id = fuzz_categ[p[i + 7]];
			int k;

			for (k = 0; k < 8; k++) {
				p[i + k] = (uint8_t)(id >> (8 * k));
			}
			i += 7;
		}
	}
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
	fuzz_ids(buf + 2, size - 2);
	memcpy(buf + size, handles, sizeof(handles));
	(void)emsmdb_rop_process(s, mem, buf, len, max_out, &reply, &reply_len);
	if (reply != NULL && reply_len > max_out) {
		abort();	/* the dispatcher's contract */
	}
	talloc_free(mem);
	emsmdb_session_free(s);
	return 0;
}

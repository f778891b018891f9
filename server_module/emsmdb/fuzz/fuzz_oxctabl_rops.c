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
#include "fuzz_emsmdb_common.h"

#define FUZZ_HANDLES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t fuzz_categ[3];

static const uint32_t fuzz_cols[] = {
	0x001A001F, 0x0037001F, 0x674D0014, 0x0FF50003, 0x30050003,
};
static const struct SortOrder fuzz_orders[] = {
	{ .PropertyType = 0x001F, .PropertyId = 0x001A },
	{ .PropertyType = 0x001F, .PropertyId = 0x0037 },
};

/* run @reqs (harness-built) with @handles, decoding rows with fuzz_cols */
static void fuzz_run(struct emsmdb_session *s, TALLOC_CTX *mem, struct rop_request *reqs,
		     uint32_t n, uint32_t *handles, struct rop_buffer **out_r)
{
	static const struct rop_ctx ctx = { .codepage = 1252, .logon_private = true,
					    .columns = fuzz_cols, .column_count = 5 };

	*out_r = fuzz_emsmdb_run(s, mem, &ctx, reqs, n, handles, FUZZ_HANDLES);
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
	uint64_t fids[13], inbox;
	int i;

	fuzz_emsmdb_logon(s, mem, FUZZ_EMSMDB_DN, handles, FUZZ_HANDLES, fids);
	inbox = fids[4];
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

/* the prelude runs before the input is read: fuzz_ids() needs its IDs */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emsmdb_config *cfg = fuzz_emsmdb_init("/tmp/emsmdb-fuzz-tables-XXXXXX", 64);
	uint32_t handles[FUZZ_HANDLES];
	struct emsmdb_session *s;
	uint8_t *in;
	TALLOC_CTX *mem;

	if (size < 2 || size > 0x8000) {
		return 0;
	}
	s = fuzz_emsmdb_session_new(cfg, "alice", FUZZ_EMSMDB_DN, "Alice");
	mem = talloc_new(NULL);
	if (mem == NULL) {
		abort();
	}
	memset(handles, 0xFF, sizeof(handles));
	fuzz_prelude(s, mem, handles);
	in = talloc_memdup(mem, data, size);
	if (in == NULL) {
		abort();
	}
	fuzz_ids(in + 2, size - 2);
	(void)fuzz_emsmdb_run_input(s, mem, in, size, handles, FUZZ_HANDLES, NULL);
	talloc_free(mem);
	emsmdb_session_free(s);
	return 0;
}

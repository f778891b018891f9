/*
 * The collapse-state blob of RopGetCollapseState / RopSetCollapseState
 * ([MS-OXCTABL] 2.2.2.19, 2.2.2.20: opaque to the client, defined by the
 * server). Ours, little-endian (doc/emsmdb-tables.md):
 *
 *   0  "OCCS"                magic
 *   4  u8  version           1
 *   5  u8  reserved          0
 *   6  u16 CategorizedCount  of the sort it was taken on
 *   8  u16 ExpandedCount
 *  10  u32 sort hash         emsmdb_categ_sort_hash()
 *  14  u64 RowId             the row to bookmark on restore
 *  22  u32 RowInstanceNumber
 *  26  u16 entry count       at most EMSMDB_COLLAPSE_MAX_ENTRIES
 *  28  entries: u64 category ID, u8 state (0 collapsed, 1 expanded)
 *
 * The size is exactly 28 + 9 * count. A blob comes from the client, so
 * the parser trusts nothing in it.
 */
#include "oxctabl_ext.h"

#include <string.h>

#define CS_MAGIC "OCCS"
#define CS_VERSION 1
#define CS_HEAD 28
#define CS_ENTRY 9

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | ((uint64_t)get32(p + 4) << 32);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

uint32_t emsmdb_collapse_state_parse(TALLOC_CTX *mem_ctx, const uint8_t *data,
				     size_t size,
				     struct emsmdb_collapse_state **state_r)
{
	struct emsmdb_collapse_state *st;
	uint32_t count, i;

	*state_r = NULL;
	if (data == NULL || size < CS_HEAD || memcmp(data, CS_MAGIC, 4) != 0 ||
	    data[4] != CS_VERSION || data[5] != 0) {
		return ecInvalidParam;
	}
	count = get16(data + 26);
	/* the count is bounded before it sizes anything, and must account
	 * for every byte */
	if (count > EMSMDB_COLLAPSE_MAX_ENTRIES ||
	    size != CS_HEAD + (size_t)count * CS_ENTRY) {
		return ecInvalidParam;
	}
	st = talloc_zero(mem_ctx, struct emsmdb_collapse_state);
	if (st == NULL) {
		return ecMAPIOOM;
	}
	st->categorized = get16(data + 6);
	st->expanded = get16(data + 8);
	st->sort_hash = get32(data + 10);
	st->row_id = get64(data + 14);
	st->row_instance = get32(data + 22);
	if (st->categorized == 0 || st->categorized > EMSMDB_CATEG_MAX_LEVELS ||
	    st->expanded > st->categorized) {
		talloc_free(st);
		return ecInvalidParam;
	}
	st->count = count;
	st->ids = talloc_array(st, uint64_t, count + 1);
	st->is_expanded = talloc_array(st, uint8_t, count + 1);
	if (st->ids == NULL || st->is_expanded == NULL) {
		talloc_free(st);
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *e = data + CS_HEAD + (size_t)i * CS_ENTRY;

		if (e[8] > 1) {
			talloc_free(st);
			return ecInvalidParam;
		}
		st->ids[i] = get64(e);
		st->is_expanded[i] = e[8];
	}
	*state_r = st;
	return ecSuccess;
}

uint32_t emsmdb_collapse_state_push(TALLOC_CTX *mem_ctx,
				    const struct emsmdb_collapse_state *state,
				    uint8_t **data_r, uint16_t *size_r)
{
	uint8_t *data;
	size_t size;
	uint32_t i;

	if (state->count > EMSMDB_COLLAPSE_MAX_ENTRIES) {
		return ecInvalidParam;
	}
	size = CS_HEAD + (size_t)state->count * CS_ENTRY;
	data = talloc_zero_array(mem_ctx, uint8_t, size);
	if (data == NULL) {
		return ecMAPIOOM;
	}
	memcpy(data, CS_MAGIC, 4);
	data[4] = CS_VERSION;
	put16(data + 6, state->categorized);
	put16(data + 8, state->expanded);
	put32(data + 10, state->sort_hash);
	put64(data + 14, state->row_id);
	put32(data + 22, state->row_instance);
	put16(data + 26, (uint16_t)state->count);
	for (i = 0; i < state->count; i++) {
		uint8_t *e = data + CS_HEAD + (size_t)i * CS_ENTRY;

		put64(e, state->ids[i]);
		e[8] = state->is_expanded[i] ? 1 : 0;
	}
	*data_r = data;
	*size_r = (uint16_t)size;
	return ecSuccess;
}

/*
 * libFuzzer harness: ROP output buffer decode with context derived from the
 * input: byte 0 = number of columns (0..15; 0 = no columns), then 2 bytes
 * per column selecting a property type from a table, byte n = logon kind,
 * then the buffer. A matching request buffer is not given, so responses are
 * decoded standalone; whatever decodes must re-encode.
 */
#include <stdlib.h>
#include <string.h>

#include "rop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t col_types[] = {
	PtypInteger16, PtypInteger32, PtypFloating64, PtypBoolean, PtypInteger64,
	PtypString8, PtypString, PtypTime, PtypGuid, PtypBinary, PtypUnspecified,
	PtypMultipleInteger32, PtypMultipleString, PtypMultipleBinary, PtypErrorCode,
	PtypServerId,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct rop_ctx ctx = { 0 };
	uint32_t cols[15];
	struct rop_buffer *b = NULL;
	size_t ncols, i, off;

	if (size < 2) {
		return 0;
	}
	ncols = data[0] % 16;
	off = 1 + 2 * ncols;
	if (size < off + 1) {
		return 0;
	}
	for (i = 0; i < ncols; i++) {
		cols[i] = ((uint32_t)data[1 + 2 * i] << 16) |
			  col_types[data[2 + 2 * i] % (sizeof(col_types) / sizeof(col_types[0]))];
	}
	if (ncols > 0) {
		ctx.columns = cols;
		ctx.column_count = (uint32_t)ncols;
	}
	ctx.logon_private = (data[off] & 1) != 0;
	off++;
	mem = talloc_new(NULL);
	if (rop_buffer_decode_responses(mem, data + off, size - off, NULL, &ctx, &b) == ROP_OK) {
		uint32_t n = 0;
		uint8_t *out = NULL;
		size_t len = 0;

		if (rop_buffer_encode_responses(mem, b, NULL, &ctx, 0, &out, &len, &n) != ROP_OK ||
		    n != b->count || len != size - off || memcmp(out, data + off, len) != 0) {
			abort();        /* decoded responses re-encode to the same bytes */
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness: ROP input buffer decode ([MS-OXCROPS] 2.2.1). Whatever
 * decodes must re-encode, and the re-encoding must decode to the same bytes
 * again (decode -> encode -> decode -> encode is stable). The first input
 * byte selects the logon kind used by logon-dependent requests.
 */
#include <stdlib.h>
#include <string.h>

#include "rop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct rop_ctx ctx = { 0 };
	struct rop_buffer *b = NULL, *b2 = NULL;
	uint8_t *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;

	if (size < 1 || mem == NULL) {
		talloc_free(mem);
		return 0;
	}
	ctx.logon_private = (data[0] & 1) != 0;
	if (rop_buffer_decode_requests(mem, data + 1, size - 1, &ctx, &b, NULL) != ROP_OK) {
		talloc_free(mem);
		return 0;
	}
	if (rop_buffer_encode_requests(mem, b, &ctx, &out, &len) != ROP_OK) {
		abort();        /* a decoded buffer must always re-encode */
	}
	if (rop_buffer_decode_requests(mem, out, len, &ctx, &b2, NULL) != ROP_OK ||
	    b2->count != b->count ||
	    rop_buffer_encode_requests(mem, b2, &ctx, &out2, &len2) != ROP_OK ||
	    len2 != len || memcmp(out, out2, len) != 0) {
		abort();
	}
	talloc_free(mem);
	return 0;
}

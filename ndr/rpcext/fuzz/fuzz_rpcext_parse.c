/*
 * libFuzzer harness: a whole rgbIn through rpcext_parse() (RPC_HEADER_EXT
 * chain, XorMagic, LZ77). Invariant checked: whatever parses, rebuilt
 * with rpcext_build() and parsed again, yields the same payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpcext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	struct rpcext_limits lim = { .max_total = 1 << 20 };
	struct rpcext_limits lim2 = { .max_in = 1 << 21, .max_total = 1 << 20 };
	struct rpcext_build_opts opts = { .compress = true, .xor_magic = true };
	uint8_t *flat = NULL, *wire = NULL, *flat2 = NULL;
	size_t flat_size = 0, wire_size = 0, flat2_size = 0;

	if (ctx == NULL) {
		return 0;
	}
	if (rpcext_parse_flat(ctx, data, size, &lim, &flat, &flat_size) == RPCEXT_OK) {
		if (rpcext_build(ctx, flat, flat_size, 0, 1 << 21, &opts, &wire,
				 &wire_size) != RPCEXT_OK ||
		    rpcext_parse_flat(ctx, wire, wire_size, &lim2, &flat2, &flat2_size)
		    != RPCEXT_OK ||
		    flat2_size != flat_size || memcmp(flat, flat2, flat_size) != 0) {
			abort();	/* the harness's own invariant, not input validation */
		}
	}
	talloc_free(ctx);
	return 0;
}

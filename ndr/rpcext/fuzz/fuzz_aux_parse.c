/*
 * libFuzzer harness: AUX blocks. The input is tried both as a whole
 * rgbAuxIn (RPC_HEADER_EXT + blocks) and as bare blocks. Whatever parses
 * is serialised again; if that succeeds, the result must parse.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rpcext_aux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reparse(TALLOC_CTX *ctx, const struct rpcext_aux_block *b, size_t num)
{
	struct rpcext_aux_block *b2 = NULL;
	uint8_t *wire = NULL;
	size_t wire_size = 0, num2 = 0;

	if (rpcext_aux_push(ctx, b, num, &wire, &wire_size) != RPCEXT_OK) {
		return;
	}
	if (rpcext_aux_parse(ctx, wire, wire_size, &b2, &num2) != RPCEXT_OK ||
	    num2 != num) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	struct rpcext_aux_block *b = NULL;
	size_t num = 0;

	if (ctx == NULL) {
		return 0;
	}
	if (rpcext_aux_in_parse(ctx, data, size, &b, &num) == RPCEXT_OK) {
		reparse(ctx, b, num);
	}
	if (rpcext_aux_parse(ctx, data, size, &b, &num) == RPCEXT_OK) {
		reparse(ctx, b, num);
	}
	talloc_free(ctx);
	return 0;
}

/*
 * libFuzzer harness: compress -> decompress must be the identity. The
 * first byte picks an output bound (full bound, or a fraction of the
 * input) so that the NO_SPACE paths run too; when compression succeeds
 * the result must fit the bound and decompress to the input exactly.
 * A mismatch aborts: the one place the harness itself asserts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpcext_lz77.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rpcext_lz77_ctx *lz77_ctx;	/* reused, as the server does */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bound, csize = 0;
	uint8_t *comp, *back;
	unsigned sel;
	enum rpcext_error err;

	if (size < 1) {
		return 0;
	}
	sel = data[0];
	data++;
	size--;
	if (lz77_ctx == NULL) {
		lz77_ctx = rpcext_lz77_ctx_new(NULL);
		if (lz77_ctx == NULL) {
			return 0;
		}
	}
	bound = rpcext_lz77_compress_bound(size);
	if (sel >= 128) {
		bound = (size * (sel - 128)) / 128;	/* 0 .. just under size */
	}
	comp = malloc(bound > 0 ? bound : 1);
	back = malloc(size > 0 ? size : 1);
	if (comp == NULL || back == NULL) {
		free(comp);
		free(back);
		return 0;
	}
	err = rpcext_lz77_compress(sel % 2 ? lz77_ctx : NULL, data, size, comp, bound,
				   &csize);
	if (err == RPCEXT_OK) {
		if (csize > bound ||
		    rpcext_lz77_decompress(comp, csize, back, size) != RPCEXT_OK ||
		    (size > 0 && memcmp(back, data, size) != 0)) {
			abort();
		}
	} else if (err != RPCEXT_ERR_NO_SPACE || sel < 128) {
		abort();	/* with the full bound compression never fails */
	}
	free(comp);
	free(back);
	return 0;
}

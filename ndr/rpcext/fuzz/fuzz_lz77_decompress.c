/*
 * libFuzzer harness: Plain LZ77 decompression alone. The first 4 bytes
 * (little-endian) are the expected size; sizes above 1 MiB are skipped
 * (not reduced, so the fuzzer keeps the small sizes of its seeds). The
 * output buffer is exactly that size so ASan sees any write past it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rpcext_lz77.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t expected;
	uint8_t *out;

	if (size < 4) {
		return 0;
	}
	expected = (uint32_t)data[0] | ((uint32_t)data[1] << 8) |
		   ((uint32_t)data[2] << 16) | ((uint32_t)data[3] << 24);
	if (expected > (1u << 20)) {
		return 0;
	}
	out = malloc(expected > 0 ? expected : 1);
	if (out == NULL) {
		return 0;
	}
	(void)rpcext_lz77_decompress(data + 4, size - 4, out, expected);
	free(out);
	return 0;
}

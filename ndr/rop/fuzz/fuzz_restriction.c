/*
 * libFuzzer harness: [MS-OXCDATA] 2.12 restriction decode (depth-limited),
 * with a byte-exact re-encoding check.
 */
#include <stdlib.h>
#include <string.h>

#include "oxcdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct Restriction *r = NULL;

	if (oxcdata_restriction_decode(mem, data, size, &r) == ROP_OK) {
		uint8_t *out = NULL;
		size_t len = 0;

		if (oxcdata_restriction_encode(mem, r, &out, &len) != ROP_OK || len != size ||
		    memcmp(out, data, size) != 0) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

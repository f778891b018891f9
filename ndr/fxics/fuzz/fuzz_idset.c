/*
 * libFuzzer harness: IDSET decode -> encode -> decode ([MS-OXCFXICS]
 * 2.2.2.4, 3.1.5.4). Byte 0 bit 0 selects the REPLGUID form. The second
 * decode must equal the first, and encoding it again must give the same
 * bytes (the encoder is deterministic on normalized sets).
 */
#include <stdlib.h>
#include <string.h>

#include "idset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct IDSET *a = NULL, *b = NULL;
	uint8_t *e1 = NULL, *e2 = NULL;
	size_t l1 = 0, l2 = 0;
	bool guid;

	if (size < 1) {
		return 0;
	}
	guid = (data[0] & 1) != 0;
	mem = talloc_new(NULL);
	if (idset_decode(mem, data + 1, size - 1, guid, &a) == ROP_OK) {
		if (idset_encode(mem, a, &e1, &l1) != ROP_OK ||
		    idset_decode(mem, e1, l1, guid, &b) != ROP_OK || !idset_equal(a, b) ||
		    idset_encode(mem, b, &e2, &l2) != ROP_OK || l1 != l2 ||
		    (l1 > 0 && memcmp(e1, e2, l1) != 0)) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

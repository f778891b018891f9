/*
 * libFuzzer harness: GLOBSET command stream decode ([MS-OXCFXICS] 2.2.2.6,
 * 3.1.5.4.3.2) with its bounded common byte stack; a decoded set must
 * survive encode -> decode unchanged and stay normalized.
 */
#include <stdlib.h>
#include <string.h>

#include "idset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct oxcdata_pull pull;
	struct GLOBSET *g = NULL, *h = NULL;

	oxcdata_pull_init(&pull, mem, data, size);
	if (globset_pull(&pull, mem, &g) == ROP_OK) {
		struct oxcdata_push push;
		uint32_t i;

		for (i = 1; i < g->RangeCount; i++) {
			if (g->Ranges[i - 1].High + 1 >= g->Ranges[i].Low) {
				abort();
			}
		}
		oxcdata_push_init(&push, mem);
		if (globset_push(&push, g) != ROP_OK) {
			abort();
		}
		oxcdata_pull_init(&pull, mem, push.data, push.size);
		if (globset_pull(&pull, mem, &h) != ROP_OK || !globset_equal(g, h) ||
		    pull.offset != push.size) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness: the collapse-state blob of RopSetCollapseState
 * ([MS-OXCTABL] 2.2.2.20; our format, oxctabl_categ_state.c). Any input
 * is parsed; whatever parses must encode back to exactly the same bytes
 * (the format has one encoding per state), else the harness aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oxctabl_ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct emsmdb_collapse_state *st = NULL;
	uint8_t *again = NULL;
	uint16_t again_size = 0;

	if (mem == NULL) {
		return 0;
	}
	if (emsmdb_collapse_state_parse(mem, data, size, &st) == ecSuccess) {
		if (st == NULL || st->count > EMSMDB_COLLAPSE_MAX_ENTRIES ||
		    emsmdb_collapse_state_push(mem, st, &again, &again_size) != ecSuccess ||
		    again_size != size || memcmp(again, data, size) != 0) {
			abort();
		}
	} else if (st != NULL) {
		abort();
	}
	talloc_free(mem);
	return 0;
}

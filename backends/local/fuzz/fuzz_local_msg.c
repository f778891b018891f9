/*
 * libFuzzer harness: the local backend's message content decoder
 * (local_msg_decode in local_store.c). First byte: 0 = content only,
 * 1 = with properties. What decodes must re-encode to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "local_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct local_msg *m = NULL;
	struct mapistore_binary enc;
	bool with_props;

	if (size < 1) {
		return 0;
	}
	with_props = data[0] & 1;
	mem = talloc_new(NULL);
	if (local_msg_decode(mem, data + 1, size - 1, with_props, &m) == MAPISTORE_SUCCESS) {
		if (local_msg_encode(mem, m, with_props, &enc) != MAPISTORE_SUCCESS ||
		    enc.length != size - 1 || memcmp(enc.data, data + 1, size - 1) != 0) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

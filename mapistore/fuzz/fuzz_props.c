/*
 * libFuzzer harness: the property-list decoder (mapistore_props_codec.c).
 * A list that decodes must encode back to the same bytes and decode to
 * equal values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapistore_props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_property *props = NULL, *again = NULL;
	struct mapistore_binary enc;
	uint32_t count = 0, count2 = 0, i;
	int cmp;

	if (mapistore_properties_decode(mem, data, size, &props, &count) == MAPISTORE_SUCCESS) {
		if (mapistore_properties_encode(mem, props, count, &enc) != MAPISTORE_SUCCESS ||
		    enc.length != size || memcmp(enc.data, data, size) != 0 ||
		    mapistore_properties_decode(mem, enc.data, enc.length, &again, &count2) !=
		    MAPISTORE_SUCCESS || count2 != count) {
			abort();
		}
		for (i = 0; i < count; i++) {
			if (MAPISTORE_PROP_TYPE(props[i].proptag) != PtypErrorCode &&
			    (mapistore_property_compare(&props[i], &again[i], &cmp) != MAPISTORE_SUCCESS ||
			     cmp != 0) &&
			    MAPISTORE_PROP_TYPE(props[i].proptag) != PtypFloating32 &&
			    MAPISTORE_PROP_TYPE(props[i].proptag) != PtypFloating64 &&
			    MAPISTORE_PROP_TYPE(props[i].proptag) != PtypFloatingTime &&
			    (MAPISTORE_PROP_TYPE(props[i].proptag) & PtypMultipleFlag) == 0) {
				abort();   /* NaN compares unequal to itself: skip floats */
			}
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness: property values and rows ([MS-OXCDATA] 2.11, 2.8).
 * Byte 0 selects the mode: 0 = TypedPropertyValue, 1 = TaggedPropertyValue,
 * 2 = PropertyRow whose columns are the next 1 + (byte 1 % 8) tags (4 bytes
 * each), 3 = RecipientRow over the same kind of column set. The remaining
 * bytes must be consumed exactly; decoded values must re-encode identically.
 */
#include <stdlib.h>
#include <string.h>

#include "rop.h"
#include "oxcdata_recipient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct PropertyValue v;
	struct TaggedPropertyValue tv;
	struct PropertyRow row;
	struct RecipientRow rrow;
	uint32_t cols[8];
	size_t ncols = 0, off = 1, i;
	enum rop_err err;
	uint8_t mode;

	if (size < 2) {
		return 0;
	}
	mode = data[0] % 4;
	if (mode >= 2) {
		ncols = 1 + data[1] % 8;
		off = 2 + 4 * ncols;
		if (size < off) {
			return 0;
		}
		for (i = 0; i < ncols; i++) {
			memcpy(&cols[i], data + 2 + 4 * i, 4);
		}
	}
	mem = talloc_new(NULL);
	oxcdata_pull_init(&pull, mem, data + off, size - off);
	oxcdata_push_init(&push, mem);
	switch (mode) {
	case 0:
		err = oxcdata_pull_typed_value(&pull, &v);
		if (err == ROP_OK && pull.offset == pull.size &&
		    oxcdata_push_typed_value(&push, &v) != ROP_OK) {
			abort();
		}
		break;
	case 1:
		err = oxcdata_pull_tagged_value(&pull, &tv);
		if (err == ROP_OK && pull.offset == pull.size &&
		    oxcdata_push_tagged_value(&push, &tv) != ROP_OK) {
			abort();
		}
		break;
	case 2:
		err = oxcdata_pull_row(&pull, cols, (uint32_t)ncols, &row);
		if (err == ROP_OK && pull.offset == pull.size &&
		    oxcdata_push_row(&push, &row) != ROP_OK) {
			abort();
		}
		break;
	default:
		err = oxcdata_pull_recipient_row(&pull, cols, (uint32_t)ncols, true, &rrow);
		if (err == ROP_OK && pull.offset == pull.size &&
		    oxcdata_push_recipient_row(&push, &rrow) != ROP_OK) {
			abort();
		}
		break;
	}
	if (err == ROP_OK && pull.offset == pull.size &&
	    (push.size != pull.size || memcmp(push.data, data + off, push.size) != 0)) {
		abort();
	}
	talloc_free(mem);
	return 0;
}

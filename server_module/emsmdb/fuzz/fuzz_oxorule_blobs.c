/*
 * libFuzzer harness: the decoders of the stored rule blobs (oxorule.h):
 * PidTagRuleCondition ([MS-OXCDATA] 2.12), PidTagRuleActions
 * ([MS-OXORULE] 2.2.5) and the OP_MOVE / OP_COPY ActionData
 * (2.2.5.1.2.1). Byte 0 chooses the decoder, the rest is the blob. A
 * decoded RuleAction must encode back to the same bytes (its encoding is
 * canonical); a decoded restriction must encode again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oxorule.h"
#include "oxcdata_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_actions(TALLOC_CTX *mem, const uint8_t *data, size_t size)
{
	struct RuleAction *act = NULL;
	struct PropertyValue v;
	struct oxcdata_push push;

	if (oxorule_actions_decode(mem, data, size, &act) != ROP_OK) {
		return;
	}
	memset(&v, 0, sizeof(v));
	v.PropertyType = PtypRuleAction;
	v.u.act = act;
	oxcdata_push_init(&push, mem);
	if (oxcdata_push_value(&push, &v) != ROP_OK || push.size != size ||
	    memcmp(push.data, data, size) != 0) {
		abort();	/* a fuzzing oracle, not a request path */
	}
}

static void fuzz_condition(TALLOC_CTX *mem, const uint8_t *data, size_t size)
{
	struct Restriction *res = NULL;
	uint8_t *out = NULL;
	size_t len = 0;

	if (oxorule_condition_decode(mem, data, size, &res) != ROP_OK) {
		return;
	}
	if (oxcdata_restriction_encode(mem, res, &out, &len) != ROP_OK) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	uint64_t fid = 0;

	if (size < 1) {
		return 0;
	}
	mem = talloc_new(NULL);
	if (mem == NULL) {
		return 0;
	}
	switch (data[0] % 3) {
	case 0:
		fuzz_condition(mem, data + 1, size - 1);
		break;
	case 1:
		fuzz_actions(mem, data + 1, size - 1);
		break;
	default:
		(void)oxorule_movecopy_fid(data + 1, (uint32_t)(size - 1), &fid);
		break;
	}
	talloc_free(mem);
	return 0;
}

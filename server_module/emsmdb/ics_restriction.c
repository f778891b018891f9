/*
 * The restriction of RopSynchronizationConfigure ([MS-OXCFXICS]
 * 2.2.3.2.1.1.1 RestrictionData, [MS-OXCDATA] 2.12) as a mapistore
 * restriction, evaluated on each changed message of a contents
 * synchronization (ics_contents.c, one mapistore_restriction_ctx per
 * download: Count restrictions count in listing order, SubObject
 * restrictions read the message's recipients / attachments) and on
 * delivered messages by the rules (oxorule_run.c).
 */
#include "ics.h"

uint32_t ics_restriction_from_wire(TALLOC_CTX *mem_ctx, const struct Restriction *in,
				   struct mapistore_restriction **out_r)
{
	struct mapistore_restriction *r = talloc_zero(mem_ctx, struct mapistore_restriction);
	uint32_t ec;

	*out_r = NULL;
	if (r == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_res_from_wire(r, in, 0, r);
	if (ec != ecSuccess) {
		talloc_free(r);
		return ec;
	}
	*out_r = r;
	return ecSuccess;
}

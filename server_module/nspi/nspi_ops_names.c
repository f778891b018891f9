/*
 * Named properties of the address book: NspiGetNamesFromIDs
 * ([MS-OXNSPI] 3.1.4.1.14) and NspiGetIDsFromNames (3.1.4.1.15).
 *
 * This address book defines no named properties (IDs 0x8000 and up).
 * What it can name are the ordinary properties: an ID below 0x8000 is
 * named in the PS_MAPI property set by the ID itself ([MS-OXCDATA]
 * 2.4.1: PS_MAPI names are the property IDs), and a PS_MAPI name maps
 * back to that ID with type PtypUnspecified. Anything else is unmapped.
 */
#include "nspi_private.h"

#include <string.h>

/* PS_MAPI {00020328-0000-0000-C000-000000000046}, [MS-OXPROPS] 1.3.2 */
static const uint8_t nspi_ps_mapi[16] = {
	0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
};

#define NSPI_NAMED_FIRST	0x8000	/* first named-property ID */

/* the PropertyName_r of one tag: PS_MAPI + ID, or no name (NULL GUID) */
static bool name_of_tag(TALLOC_CTX *mem_ctx, uint32_t tag,
			struct PropertyName_r *name)
{
	uint16_t id = NSPI_PROP_ID(tag);

	name->ulReserved = 0;
	if (id >= NSPI_NAMED_FIRST || id == 0) {
		name->lpguid = NULL;
		name->lID = 0;
		return true;
	}
	name->lpguid = talloc(mem_ctx, struct FlatUID_r);
	if (name->lpguid == NULL) {
		return false;
	}
	memcpy(name->lpguid->ab, nspi_ps_mapi, 16);
	name->lID = id;
	return true;
}

/* [MS-OXNSPI] 3.1.4.1.14 NspiGetNamesFromIDs (opnum 17) */
NTSTATUS nspi_op_NspiGetNamesFromIDs(struct mp_call *call, void *_r)
{
	struct NspiGetNamesFromIDs *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct PropertyNameSet_r *names;
	uint32_t n = r->in.pPropTags ? r->in.pPropTags->cValues : 0, i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppReturnedPropTags = NULL;
	*r->out.ppNames = NULL;
	if (!nspi_proptags_ok(r->in.pPropTags)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	/* all the tags of PS_MAPI: every property ID; not enumerated */
	if (r->in.pPropTags == NULL && r->in.lpguid != NULL &&
	    memcmp(r->in.lpguid->ab, nspi_ps_mapi, 16) == 0) {
		r->out.result = NSPI_NotSupported;
		return NT_STATUS_OK;
	}
	names = talloc_zero(call->mem_ctx, struct PropertyNameSet_r);
	if (names == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	names->aNames = talloc_zero_array(names, struct PropertyName_r,
					  n ? n : 1);
	if (names->aNames == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < n; i++) {
		if (!name_of_tag(names, r->in.pPropTags->aulPropTag[i],
				 &names->aNames[i])) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
	}
	names->cNames = n;
	/* the tags of the property set asked for: another set has none
	 * here; without a set, ppReturnedPropTags stays NULL */
	if (r->in.lpguid != NULL) {
		*r->out.ppReturnedPropTags = nspi_proptag_array(call->mem_ctx,
								NULL, 0);
		if (*r->out.ppReturnedPropTags == NULL) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
	}
	*r->out.ppNames = names;
	r->out.result = NSPI_Success;
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.15 NspiGetIDsFromNames (opnum 18) */
NTSTATUS nspi_op_NspiGetIDsFromNames(struct mp_call *call, void *_r)
{
	struct NspiGetIDsFromNames *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	uint32_t n = r->in.cPropNames, *tags, i, unmapped = 0;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppPropTags = NULL;
	if (n > NSPI_MAX_PROPTAGS) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	if (n > 0 && r->in.pNames == NULL) {
		r->out.result = NSPI_InvalidParameter;
		return NT_STATUS_OK;
	}
	tags = talloc_array(call->mem_ctx, uint32_t, n ? n : 1);
	if (tags == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	/* one tag per name, in order; an unmapped name is PtypErrorCode
	 * with ID 0 (no name is ever created: none are defined here) */
	for (i = 0; i < n; i++) {
		const struct PropertyName_r *p = r->in.pNames[i];

		if (p != NULL && p->lpguid != NULL &&
		    memcmp(p->lpguid->ab, nspi_ps_mapi, 16) == 0 &&
		    p->lID > 0 && p->lID < NSPI_NAMED_FIRST) {
			tags[i] = NSPI_PROP_TAG(p->lID, NSPI_PT_UNSPECIFIED);
			continue;
		}
		tags[i] = NSPI_PT_ERROR;
		unmapped++;
	}
	*r->out.ppPropTags = nspi_proptag_array(call->mem_ctx, tags, n);
	r->out.result = *r->out.ppPropTags == NULL ? NSPI_NotEnoughMemory :
		(unmapped ? NSPI_ErrorsReturned : NSPI_Success);
	return NT_STATUS_OK;
}

/*
 * [MS-OXCPRPT] named properties: RopGetPropertyIdsFromNames (2.2.12),
 * RopGetNamesFromPropertyIds (2.2.13), RopQueryNamedProperties (2.2.9),
 * over mapistore's per-mailbox map (mapistore_namedprops.h). The map is
 * the mailbox's, whatever object of it the ROP names (logon, folder,
 * message). Property ROPs need nothing more: IDs of 0x8000 and up are
 * stored and returned like any other tag.
 */
#include "emsmdb_oxcprpt.h"
#include "emsmdb_oxc.h"
#include "mapistore_namedprops.h"

#include <stdio.h>
#include <string.h>

/* [MS-OXCDATA] 2.6.1 PropertyName Kind */
#define PROPNAME_LID 0x00
#define PROPNAME_NAME 0x01
#define PROPNAME_NONE 0xFF

/* the 36-character form of a wire GUID ([MS-DTYP] 2.3.4.2) */
static void emsmdb_guid_format(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
		 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static struct mapistore_namedprops *emsmdb_namedprops(struct emsmdb_rop_call *call)
{
	return call->session->mstore != NULL ?
		mapistore_context_get_namedprops(call->session->mstore) : NULL;
}

/* UTF-16 code units of a UTF-8 string (4-byte sequences are pairs) */
static size_t emsmdb_utf16_units(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != 0; p++) {
		if ((*p & 0xC0) != 0x80) {
			n += (*p >= 0xF0) ? 2 : 1;
		}
	}
	return n;
}

/* mapistore's name -> the wire's; a name the wire cannot carry (NameSize
 * is one byte) is Kind 0xFF */
static void emsmdb_name_to_wire(const struct mapistore_nameid *in,
				struct PropertyName *out)
{
	memset(out, 0, sizeof(*out));
	out->Kind = PROPNAME_NONE;
	if (!emsmdb_guid_parse(in->guid, out->Guid)) {
		return;
	}
	if (in->kind == MNID_ID) {
		out->Kind = PROPNAME_LID;
		out->LID = in->lid;
		return;
	}
	if (in->name == NULL || emsmdb_utf16_units(in->name) * 2 + 2 > 0xFF) {
		memset(out->Guid, 0, sizeof(out->Guid));
		return;
	}
	out->Kind = PROPNAME_NAME;
	out->Name = (char *)(uintptr_t)in->name;
	out->NameSize = (uint8_t)(emsmdb_utf16_units(in->name) * 2 + 2);
}

/* Every mapped ID of the mailbox with its name (IDs are handed out from
 * 0x8000 upwards and never reused, so the first gap is the end). */
static uint32_t emsmdb_named_all(TALLOC_CTX *mem_ctx, struct mapistore_namedprops *np,
				 uint16_t **ids_r, struct mapistore_nameid ***names_r,
				 uint32_t *count_r)
{
	uint32_t n = 0, alloc = 16, id;
	uint16_t *ids = talloc_array(mem_ctx, uint16_t, alloc);
	struct mapistore_nameid **names = talloc_array(mem_ctx, struct mapistore_nameid *, alloc);
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (ids == NULL || names == NULL) {
		return ecMAPIOOM;
	}
	for (id = MAPISTORE_NAMEDPROP_FIRST; id <= MAPISTORE_NAMEDPROP_LAST; id++) {
		struct mapistore_nameid *nid = NULL;

		ret = mapistore_namedprops_get_nameid(names, np, (uint16_t)id, &nid);
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		if (n == alloc) {
			alloc *= 2;
			ids = talloc_realloc(mem_ctx, ids, uint16_t, alloc);
			names = talloc_realloc(mem_ctx, names, struct mapistore_nameid *, alloc);
			if (ids == NULL || names == NULL) {
				return ecMAPIOOM;
			}
		}
		ids[n] = (uint16_t)id;
		names[n] = nid;
		n++;
	}
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return emsmdb_ms_ec(ret);
	}
	*ids_r = ids;
	*names_r = names;
	*count_r = n;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.12 RopGetPropertyIdsFromNames: an unmappable name gets
 * ID 0 and the ROP ecWarnWithErrors (2.2.12.2); no names at all asks for
 * every registered ID. */
uint32_t oxcprpt_RopGetPropertyIdsFromNames(struct emsmdb_rop_call *call)
{
	const struct RopGetPropertyIdsFromNames_req *req =
		&call->req->u.RopGetPropertyIdsFromNames;
	struct RopGetPropertyIdsFromNames_resp *resp =
		&call->resp->u.RopGetPropertyIdsFromNames;
	struct mapistore_namedprops *np = emsmdb_namedprops(call);
	struct mapistore_nameid **all = NULL;
	bool create = (req->Flags & GETPROPIDS_Create) != 0;
	uint32_t i, n = 0, ec = ecSuccess;
	char guid[37];

	if (np == NULL) {
		return ecNotSupported;
	}
	if (req->PropertyNameCount == 0) {
		ec = emsmdb_named_all(call->mem_ctx, np, &resp->PropertyIds, &all, &n);
		resp->PropertyIdCount = (uint16_t)n;
		return ec;
	}
	resp->PropertyIds = talloc_zero_array(call->mem_ctx, uint16_t, req->PropertyNameCount);
	if (resp->PropertyIds == NULL) {
		return ecMAPIOOM;
	}
	resp->PropertyIdCount = req->PropertyNameCount;
	for (i = 0; i < req->PropertyNameCount; i++) {
		const struct PropertyName *pn = &req->PropertyNames[i];
		struct mapistore_nameid nid = { .guid = guid };
		enum mapistore_error ret;
		uint16_t id = 0;

		emsmdb_guid_format(pn->Guid, guid);
		if (pn->Kind == PROPNAME_LID) {
			nid.kind = MNID_ID;
			nid.lid = pn->LID;
		} else if (pn->Kind == PROPNAME_NAME && pn->Name != NULL &&
			   strcmp(guid, PS_MAPI_GUID) != 0) {
			nid.kind = MNID_STRING;
			nid.name = pn->Name;
		} else {
			ec = ecWarnWithErrors;
			continue;
		}
		ret = mapistore_namedprops_get_mapped_id(np, &nid, create, &id);
		switch (ret) {
		case MAPISTORE_SUCCESS:
			resp->PropertyIds[i] = id;
			break;
		case MAPISTORE_ERR_NOT_FOUND:		/* unknown, no create */
		case MAPISTORE_ERR_TOO_BIG:		/* 0x8000..0xFFFE used up */
		case MAPISTORE_ERR_INVALID_PARAMETER:	/* e.g. a name too long */
			ec = ecWarnWithErrors;
			break;
		default:
			return emsmdb_ms_ec(ret);
		}
	}
	return ec;
}

/* [MS-OXCPRPT] 2.2.13 RopGetNamesFromPropertyIds: IDs below 0x8000 are
 * PS_MAPI LIDs, unmapped IDs Kind 0xFF */
uint32_t oxcprpt_RopGetNamesFromPropertyIds(struct emsmdb_rop_call *call)
{
	const struct RopGetNamesFromPropertyIds_req *req =
		&call->req->u.RopGetNamesFromPropertyIds;
	struct RopGetNamesFromPropertyIds_resp *resp =
		&call->resp->u.RopGetNamesFromPropertyIds;
	struct mapistore_namedprops *np = emsmdb_namedprops(call);
	uint32_t i;

	if (np == NULL) {
		return ecNotSupported;
	}
	resp->PropertyNames = talloc_zero_array(call->mem_ctx, struct PropertyName,
						req->PropertyIdCount + 1);
	if (resp->PropertyNames == NULL) {
		return ecMAPIOOM;
	}
	resp->PropertyNameCount = req->PropertyIdCount;
	for (i = 0; i < req->PropertyIdCount; i++) {
		struct mapistore_nameid *nid = NULL;
		enum mapistore_error ret;

		ret = mapistore_namedprops_get_nameid(call->mem_ctx, np,
						      req->PropertyIds[i], &nid);
		if (ret == MAPISTORE_ERR_NOT_FOUND) {
			resp->PropertyNames[i].Kind = PROPNAME_NONE;
			continue;
		}
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		emsmdb_name_to_wire(nid, &resp->PropertyNames[i]);
	}
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.9, 3.2.5.6 RopQueryNamedProperties */
uint32_t oxcprpt_RopQueryNamedProperties(struct emsmdb_rop_call *call)
{
	const struct RopQueryNamedProperties_req *req =
		&call->req->u.RopQueryNamedProperties;
	struct RopQueryNamedProperties_resp *resp =
		&call->resp->u.RopQueryNamedProperties;
	struct mapistore_namedprops *np = emsmdb_namedprops(call);
	struct mapistore_nameid **names = NULL;
	uint16_t *ids = NULL;
	uint32_t i, n = 0, k = 0, ec;

	if (np == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_named_all(call->mem_ctx, np, &ids, &names, &n);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->PropertyIds = talloc_zero_array(call->mem_ctx, uint16_t, n + 1);
	resp->PropertyNames = talloc_zero_array(call->mem_ctx, struct PropertyName, n + 1);
	if (resp->PropertyIds == NULL || resp->PropertyNames == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		struct PropertyName pn;

		emsmdb_name_to_wire(names[i], &pn);
		/* invalid QueryFlags bits are ignored */
		if (pn.Kind == PROPNAME_NONE ||
		    ((req->QueryFlags & QUERYNAMED_NoStrings) && pn.Kind == PROPNAME_NAME) ||
		    ((req->QueryFlags & QUERYNAMED_NoIds) && pn.Kind == PROPNAME_LID) ||
		    (req->HasGuid && memcmp(pn.Guid, req->PropertyGuid, 16) != 0)) {
			continue;
		}
		resp->PropertyIds[k] = ids[i];
		resp->PropertyNames[k] = pn;
		k++;
	}
	resp->IdCount = (uint16_t)k;
	return ecSuccess;
}

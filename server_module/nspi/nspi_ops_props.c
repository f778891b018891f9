/*
 * Property operations of [MS-OXNSPI]: NspiGetProps, NspiGetPropList,
 * NspiQueryColumns, NspiDNToMId, NspiModProps, NspiModLinkAtt,
 * NspiDeleteEntries (named properties: nspi_ops_names.c).
 */
#include "nspi_private.h"

#include <string.h>

/* a string or multi-string type as the client's flags ask for it */
static uint32_t with_string_type(uint32_t tag, bool unicode)
{
	switch (NSPI_PROP_TYPE(tag)) {
	case NSPI_PT_UNICODE:
		return unicode ? tag : (tag & 0xFFFF0000) | NSPI_PT_STRING8;
	case NSPI_PT_MV_UNICODE:
		return unicode ? tag : (tag & 0xFFFF0000) | NSPI_PT_MV_STRING8;
	default:
		return tag;
	}
}

/* [MS-OXNSPI] 3.1.4.1.7 NspiGetProps (opnum 9) */
NTSTATUS nspi_op_NspiGetProps(struct mp_call *call, void *_r)
{
	struct NspiGetProps *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	bool eph = (r->in.dwFlags & NSPI_fEphID) != 0;
	uint32_t mid = r->in.pStat->CurrentRec, n_tags, i, n = 0;
	const uint32_t *tags;
	uint32_t *all = NULL;
	struct PropertyRowSet_r *rows = NULL;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppRows = NULL;
	if (!nspi_proptags_ok(r->in.pPropTags)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	if (nspi_mids_guid(s->mids, mid) == NULL) {
		/* not an object this session knows */
		r->out.result = NSPI_NotFound;
		return NT_STATUS_OK;
	}
	if (r->in.pPropTags != NULL) {
		tags = r->in.pPropTags->aulPropTag;
		n_tags = r->in.pPropTags->cValues;
	} else {
		/* all properties the object has ([MS-OXNSPI] 3.1.4.1.7) */
		size_t nt;
		const struct nspi_prop_map *map = nspi_prop_table(&nt);

		all = talloc_array(call->mem_ctx, uint32_t, nt);
		if (all == NULL) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
		for (i = 0; i < nt; i++) {
			if (NSPI_PROP_TYPE(map[i].tag) != NSPI_PT_OBJECT) {
				all[n++] = with_string_type(map[i].tag,
					r->in.pStat->CodePage == NSPI_CP_WINUNICODE);
			}
		}
		tags = all;
		n_tags = n;
	}
	r->out.result = nspi_rows_for_mids(call->mem_ctx, s, &mid, 1,
		r->in.pStat->ContainerID, eph, r->in.pStat->CodePage, tags,
		n_tags, &rows);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	*r->out.ppRows = &rows->aRow[0];
	if (all != NULL) {
		/* without a column list, only the values that exist */
		struct PropertyRow_r *row = &rows->aRow[0];

		for (i = 0, n = 0; i < row->cValues; i++) {
			if (NSPI_PROP_TYPE(row->lpProps[i].ulPropTag) != NSPI_PT_ERROR) {
				row->lpProps[n++] = row->lpProps[i];
			}
		}
		row->cValues = n;
		return NT_STATUS_OK;
	}
	for (i = 0; i < rows->aRow[0].cValues; i++) {
		if (NSPI_PROP_TYPE(rows->aRow[0].lpProps[i].ulPropTag) == NSPI_PT_ERROR) {
			r->out.result = NSPI_ErrorsReturned;
		}
	}
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.6 NspiGetPropList (opnum 8) */
NTSTATUS nspi_op_NspiGetPropList(struct mp_call *call, void *_r)
{
	struct NspiGetPropList *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	bool unicode = r->in.CodePage == NSPI_CP_WINUNICODE;
	const struct nspi_prop_map *map;
	struct nspi_entry *e;
	uint32_t *tags, *out, n = 0;
	size_t nt, i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppPropTags = NULL;
	map = nspi_prop_table(&nt);
	tags = talloc_array(call->mem_ctx, uint32_t, nt);
	out = talloc_array(call->mem_ctx, uint32_t, nt);
	if (tags == NULL || out == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < nt; i++) {
		tags[i] = map[i].tag;
	}
	e = nspi_dir_fetch(s, call->mem_ctx, &r->in.dwMId, 1, tags, nt);
	if (e == NULL || e->msg == NULL) {
		r->out.result = e ? NSPI_InvalidParameter : NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < nt; i++) {
		struct nspi_entry_ctx ectx = { s->server_guid, e->mid, false,
			e->legacy_dn, e->kind, 0, NULL, NULL };
		struct nspi_value v;

		if ((r->in.dwFlags & NSPI_fSkipObjects) &&
		    NSPI_PROP_TYPE(tags[i]) == NSPI_PT_OBJECT) {
			continue;
		}
		/* a DN-valued property exists when its attribute does */
		if (map[i].attr != NULL &&
		    (tags[i] == PidTagAddressBookManagerDistinguishedName ||
		     tags[i] == PidTagAddressBookHomeMessageDatabase)) {
			if (ldb_msg_find_element(e->msg, map[i].attr) != NULL) {
				out[n++] = with_string_type(tags[i], unicode);
			}
			continue;
		}
		if (nspi_prop_value(call->mem_ctx, e->msg, &ectx, tags[i], &v)) {
			out[n++] = with_string_type(tags[i], unicode);
		}
	}
	*r->out.ppPropTags = nspi_proptag_array(call->mem_ctx, out, n);
	r->out.result = *r->out.ppPropTags ? NSPI_Success : NSPI_NotEnoughMemory;
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.4 NspiQueryColumns (opnum 16) */
NTSTATUS nspi_op_NspiQueryColumns(struct mp_call *call, void *_r)
{
	struct NspiQueryColumns *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	bool unicode = (r->in.dwFlags & NSPI_NspiUnicodeProptypes) != 0;
	const struct nspi_prop_map *map;
	uint32_t *tags;
	size_t nt, i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	map = nspi_prop_table(&nt);
	tags = talloc_array(call->mem_ctx, uint32_t, nt);
	if (tags == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < nt; i++) {
		tags[i] = with_string_type(map[i].tag, unicode);
	}
	*r->out.ppColumns = nspi_proptag_array(call->mem_ctx, tags, nt);
	r->out.result = *r->out.ppColumns ? NSPI_Success : NSPI_NotEnoughMemory;
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.13 NspiDNToMId (opnum 7) */
NTSTATUS nspi_op_NspiDNToMId(struct mp_call *call, void *_r)
{
	struct NspiDNToMId *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	uint32_t *mids, i, n = r->in.pNames->Count;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppOutMIds = NULL;
	if (n > NSPI_MAX_NAMES) {
		r->out.result = NSPI_TableTooBig;
		return NT_STATUS_OK;
	}
	mids = talloc_zero_array(call->mem_ctx, uint32_t, n ? n : 1);
	if (mids == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < n; i++) {
		/* DNs are ASCII; read them as the session's code page */
		const char *dn = r->in.pNames->Strings[i] ?
			nspi_string8_from_ndr(mids, s->codepage,
					      r->in.pNames->Strings[i]) : NULL;

		mids[i] = nspi_dir_dn_to_mid(s, dn);
	}
	*r->out.ppOutMIds = nspi_proptag_array(call->mem_ctx, mids, n);
	r->out.result = *r->out.ppOutMIds ? NSPI_Success : NSPI_NotEnoughMemory;
	return NT_STATUS_OK;
}

/* one property of a NspiModProps row as an ldb modification */
static uint32_t mod_value(struct ldb_message *mods, uint32_t codepage,
			  const struct PropertyValue_r *pv)
{
	const struct nspi_prop_map *m = nspi_prop_lookup(pv->ulPropTag);
	struct ldb_message_element *el;
	const char *s;
	uint32_t i;

	if (m == NULL || !m->writable) {
		return NSPI_AccessDenied;
	}
	if (ldb_msg_add_empty(mods, m->attr, LDB_FLAG_MOD_REPLACE, &el) != LDB_SUCCESS) {
		return NSPI_NotEnoughMemory;
	}
	switch (NSPI_PROP_TYPE(pv->ulPropTag)) {
	case NSPI_PT_STRING8:
	case NSPI_PT_UNICODE:
		s = nspi_value_to_utf8(mods, codepage, pv);
		if (s == NULL || strlen(s) > NSPI_MAX_STRING) {
			return NSPI_InvalidParameter;
		}
		return ldb_msg_add_string(mods, m->attr, s) == LDB_SUCCESS ?
			NSPI_Success : NSPI_NotEnoughMemory;
	case NSPI_PT_MV_BINARY:
		if (NSPI_PROP_TYPE(m->tag) != NSPI_PT_MV_BINARY ||
		    pv->Value.MVbin.cValues > 64 ||
		    (pv->Value.MVbin.cValues > 0 && pv->Value.MVbin.lpbin == NULL)) {
			return NSPI_InvalidParameter;
		}
		for (i = 0; i < pv->Value.MVbin.cValues; i++) {
			struct ldb_val v = { pv->Value.MVbin.lpbin[i].lpb,
					     pv->Value.MVbin.lpbin[i].cb };

			if (v.data == NULL && v.length > 0) {
				return NSPI_InvalidParameter;
			}

			if (ldb_msg_add_value(mods, m->attr, &v, NULL) != LDB_SUCCESS) {
				return NSPI_NotEnoughMemory;
			}
		}
		return NSPI_Success;
	default:
		return NSPI_InvalidParameter;
	}
}

/* [MS-OXNSPI] 3.1.4.1.12 NspiModProps (opnum 11) */
NTSTATUS nspi_op_NspiModProps(struct mp_call *call, void *_r)
{
	struct NspiModProps *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct ldb_message *mods;
	uint32_t i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	if (r->in.pRow->cValues > NSPI_MAX_PROPTAGS ||
	    !nspi_proptags_ok(r->in.pPropTags)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	if (r->in.pRow->cValues > 0 && r->in.pRow->lpProps == NULL) {
		r->out.result = NSPI_InvalidParameter;
		return NT_STATUS_OK;
	}
	mods = ldb_msg_new(call->mem_ctx);
	if (mods == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < r->in.pRow->cValues; i++) {
		r->out.result = mod_value(mods, r->in.pStat->CodePage,
					  &r->in.pRow->lpProps[i]);
		if (r->out.result != NSPI_Success) {
			return NT_STATUS_OK;
		}
	}
	/* pPropTags: properties to remove */
	for (i = 0; r->in.pPropTags && i < r->in.pPropTags->cValues; i++) {
		const struct nspi_prop_map *m = nspi_prop_lookup(
			r->in.pPropTags->aulPropTag[i]);

		if (m == NULL || !m->writable) {
			r->out.result = NSPI_AccessDenied;
			return NT_STATUS_OK;
		}
		if (ldb_msg_find_element(mods, m->attr) == NULL &&
		    ldb_msg_add_empty(mods, m->attr, LDB_FLAG_MOD_DELETE,
				      NULL) != LDB_SUCCESS) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
	}
	if (mods->num_elements == 0) {
		r->out.result = NSPI_Success;
		return NT_STATUS_OK;
	}
	r->out.result = nspi_dir_modify(s, r->in.pStat->CurrentRec, mods);
	return NT_STATUS_OK;
}

/* the ldb DN of an entry ID's object, on @mem_ctx */
static const char *entryid_dn(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			      const struct Binary_r *b)
{
	struct nspi_entryid id;
	uint32_t mid;

	if (!nspi_entryid_parse(mem_ctx, b->lpb, b->cb, &id)) {
		return NULL;
	}
	mid = id.ephemeral ? id.mid : nspi_dir_dn_to_mid(s, id.dn);
	return mid ? nspi_dir_mid_dn(s, mem_ctx, mid) : NULL;
}

/* [MS-OXNSPI] 3.1.4.1.15 NspiModLinkAtt (opnum 14) */
NTSTATUS nspi_op_NspiModLinkAtt(struct mp_call *call, void *_r)
{
	struct NspiModLinkAtt *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	const char *attr;
	struct ldb_message *mods;
	uint32_t i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	switch (NSPI_PROP_ID(r->in.ulPropTag)) {
	case 0x8009: attr = "member"; break;		/* PidTagAddressBookMember */
	case 0x8015: attr = "publicDelegates"; break;	/* ...PublicDelegates */
	default:
		r->out.result = NSPI_NotSupported;
		return NT_STATUS_OK;
	}
	if (r->in.lpEntryIds->cValues > NSPI_MAX_NAMES) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	/* a unique pointer: NULL with a non-zero count is malformed */
	if (r->in.lpEntryIds->cValues > 0 && r->in.lpEntryIds->lpbin == NULL) {
		r->out.result = NSPI_InvalidParameter;
		return NT_STATUS_OK;
	}
	mods = ldb_msg_new(call->mem_ctx);
	if (mods == NULL || ldb_msg_add_empty(mods, attr,
		(r->in.dwFlags & NSPI_fDelete) ? LDB_FLAG_MOD_DELETE :
		LDB_FLAG_MOD_ADD, NULL) != LDB_SUCCESS) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < r->in.lpEntryIds->cValues; i++) {
		const char *dn = entryid_dn(s, mods, &r->in.lpEntryIds->lpbin[i]);

		if (dn == NULL) {
			r->out.result = NSPI_NotFound;
			return NT_STATUS_OK;
		}
		if (ldb_msg_add_string(mods, attr, dn) != LDB_SUCCESS) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
	}
	r->out.result = i == 0 ? NSPI_Success :
		nspi_dir_modify(s, r->in.dwMId, mods);
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.19 NspiDeleteEntries (opnum 15): no personal
 * distribution lists in this address book */
NTSTATUS nspi_op_NspiDeleteEntries(struct mp_call *call, void *_r)
{
	struct NspiDeleteEntries *r = _r;

	if (nspi_session_lookup(call, &r->in.hRpc) == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	r->out.result = NSPI_NotSupported;
	return NT_STATUS_OK;
}

/*
 * Model values as [MS-OXNSPI] 2.2.2 wire structures: PropertyValue_r,
 * PropertyRow_r, PropertyRowSet_r, PropertyTagArray_r, STAT.
 *
 * Rules applied here ([MS-OXNSPI] 3.1.4.1.7 / 3.1.4.1.8):
 *  - a column without a value is PtypErrorCode with NotFound (0x8004010F);
 *  - a string column comes back in the type asked for: PtypString as
 *    UTF-16 (Samba's NDR converts), PtypString8 in the STAT's code page
 *    (nspi_string8_to_ndr); PtypUnspecified gets PtypString;
 *  - multi-valued strings likewise.
 */
#include "nspi_private.h"

#include <string.h>

const uint32_t nspi_default_columns[] = {
	PidTagAddressBookContainerId, PidTagObjectType, PidTagDisplayType,
	PidTagDisplayName, PidTagPrimaryTelephoneNumber, PidTagDepartmentName,
	PidTagOfficeLocation,
};
const uint32_t nspi_n_default_columns = ARRAY_LEN(nspi_default_columns);

void nspi_stat_in(const struct STAT *w, struct nspi_stat *m)
{
	m->SortType = w->SortType;
	m->ContainerID = w->ContainerID;
	m->CurrentRec = w->CurrentRec;
	m->Delta = w->Delta;
	m->NumPos = w->NumPos;
	m->TotalRecs = w->TotalRecs;
	m->CodePage = w->CodePage;
	m->TemplateLocale = w->TemplateLocale;
	m->SortLocale = w->SortLocale;
}

void nspi_stat_out(const struct nspi_stat *m, struct STAT *w)
{
	w->SortType = m->SortType;
	w->ContainerID = m->ContainerID;
	w->CurrentRec = m->CurrentRec;
	w->Delta = m->Delta;
	w->NumPos = m->NumPos;
	w->TotalRecs = m->TotalRecs;
	w->CodePage = m->CodePage;
	w->TemplateLocale = m->TemplateLocale;
	w->SortLocale = m->SortLocale;
}

bool nspi_proptags_ok(const struct PropertyTagArray_r *tags)
{
	return tags == NULL ||
	       (tags->cValues <= NSPI_MAX_PROPTAGS &&
		(tags->cValues == 0 || tags->aulPropTag != NULL));
}

struct PropertyTagArray_r *nspi_proptag_array(TALLOC_CTX *mem_ctx,
					      const uint32_t *values,
					      uint32_t n)
{
	struct PropertyTagArray_r *a = talloc_zero(mem_ctx,
						   struct PropertyTagArray_r);

	if (a == NULL) {
		return NULL;
	}
	/* size_is(cValues + 1): one spare slot */
	a->aulPropTag = talloc_zero_array(a, uint32_t, n + 1);
	if (a->aulPropTag == NULL) {
		talloc_free(a);
		return NULL;
	}
	if (n > 0) {
		memcpy(a->aulPropTag, values, n * sizeof(uint32_t));
	}
	a->cValues = n;
	return a;
}

bool nspi_value_string(TALLOC_CTX *mem_ctx, uint32_t tag, uint32_t codepage,
		       const char *utf8, struct PropertyValue_r *pv)
{
	if (NSPI_PROP_TYPE(tag) == NSPI_PT_STRING8) {
		pv->ulPropTag = tag;
		pv->Value.lpszA = nspi_string8_to_ndr(mem_ctx, codepage, utf8);
		return pv->Value.lpszA != NULL;
	}
	pv->ulPropTag = (tag & 0xFFFF0000) | NSPI_PT_UNICODE;
	pv->Value.lpszW = talloc_strdup(mem_ctx, utf8);
	return pv->Value.lpszW != NULL;
}

const char *nspi_value_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			       const struct PropertyValue_r *pv)
{
	switch (NSPI_PROP_TYPE(pv->ulPropTag)) {
	case NSPI_PT_STRING8:
		return pv->Value.lpszA ?
			nspi_string8_from_ndr(mem_ctx, codepage, pv->Value.lpszA) :
			NULL;
	case NSPI_PT_UNICODE:
		return pv->Value.lpszW;
	default:
		return NULL;
	}
}

static void set_error(struct PropertyValue_r *pv, uint32_t tag, uint32_t err)
{
	pv->ulPropTag = (tag & 0xFFFF0000) | NSPI_PT_ERROR;
	pv->Value.err = err;
}

/* the wire value of @v for the requested @tag */
static bool to_wire(TALLOC_CTX *mem_ctx, uint32_t tag, uint32_t codepage,
		    const struct nspi_value *v, struct PropertyValue_r *pv)
{
	uint16_t type = NSPI_PROP_TYPE(v->tag);
	uint32_t i, n;

	switch (type) {
	case NSPI_PT_UNICODE:
		return nspi_value_string(mem_ctx, NSPI_PROP_TYPE(tag) ==
			NSPI_PT_STRING8 ? tag : v->tag, codepage, v->v.str, pv);
	case NSPI_PT_LONG:
		pv->ulPropTag = v->tag;
		pv->Value.l = (uint32_t)v->v.l;
		return true;
	case NSPI_PT_BOOLEAN:
		pv->ulPropTag = v->tag;
		pv->Value.b = v->v.b ? 1 : 0;
		return true;
	case NSPI_PT_OBJECT:
		pv->ulPropTag = v->tag;
		pv->Value.lReserved = 0;
		return true;
	case NSPI_PT_BINARY:
		if (v->v.bin.len > 2097152) {
			return false;
		}
		pv->ulPropTag = v->tag;
		pv->Value.bin.cb = (uint32_t)v->v.bin.len;
		pv->Value.bin.lpb = talloc_memdup(mem_ctx, v->v.bin.data,
						  v->v.bin.len ? v->v.bin.len : 1);
		return pv->Value.bin.lpb != NULL;
	case NSPI_PT_MV_UNICODE:
		n = v->v.mvstr.n;
		if (NSPI_PROP_TYPE(tag) == NSPI_PT_MV_STRING8) {
			pv->ulPropTag = (v->tag & 0xFFFF0000) | NSPI_PT_MV_STRING8;
			pv->Value.MVszA.cValues = n;
			pv->Value.MVszA.lppszA = talloc_array(mem_ctx, const char *,
							      n ? n : 1);
			for (i = 0; pv->Value.MVszA.lppszA != NULL && i < n; i++) {
				pv->Value.MVszA.lppszA[i] = nspi_string8_to_ndr(
					mem_ctx, codepage, v->v.mvstr.s[i]);
				if (pv->Value.MVszA.lppszA[i] == NULL) {
					return false;
				}
			}
			return pv->Value.MVszA.lppszA != NULL;
		}
		pv->ulPropTag = v->tag;
		pv->Value.MVszW.cValues = n;
		pv->Value.MVszW.lppszW = talloc_array(mem_ctx, const char *,
						      n ? n : 1);
		for (i = 0; pv->Value.MVszW.lppszW != NULL && i < n; i++) {
			pv->Value.MVszW.lppszW[i] = talloc_strdup(mem_ctx,
							v->v.mvstr.s[i]);
		}
		return pv->Value.MVszW.lppszW != NULL;
	case NSPI_PT_MV_BINARY:
		n = v->v.mvbin.n;
		pv->ulPropTag = v->tag;
		pv->Value.MVbin.cValues = n;
		pv->Value.MVbin.lpbin = talloc_zero_array(mem_ctx, struct Binary_r,
							  n ? n : 1);
		if (pv->Value.MVbin.lpbin == NULL) {
			return false;
		}
		for (i = 0; i < n; i++) {
			pv->Value.MVbin.lpbin[i].cb = (uint32_t)v->v.mvbin.len[i];
			pv->Value.MVbin.lpbin[i].lpb = talloc_memdup(mem_ctx,
				v->v.mvbin.data[i], v->v.mvbin.len[i] ?
				v->v.mvbin.len[i] : 1);
			if (pv->Value.MVbin.lpbin[i].lpb == NULL) {
				return false;
			}
		}
		return true;
	}
	return false;
}


static const char *entry_x500(void *priv, TALLOC_CTX *mem_ctx, const char *dn)
{
	const struct nspi_entry *e = priv;
	uint32_t i;

	for (i = 0; i < e->n_x500; i++) {
		if (strcasecmp(e->x500_from[i], dn) == 0) {
			return e->x500_to[i];
		}
	}
	return NULL;
}

bool nspi_row_fill(TALLOC_CTX *mem_ctx, struct nspi_session *s,
		   const struct nspi_entry *e, uint32_t container_id,
		   bool ephemeral, uint32_t codepage, const uint32_t *tags,
		   uint32_t n_tags, struct PropertyRow_r *row)
{
	struct nspi_entry_ctx ectx = { 0 };
	bool all = true;
	uint32_t i;

	row->Reserved = 0;
	row->cValues = n_tags;
	row->lpProps = talloc_zero_array(mem_ctx, struct PropertyValue_r,
					 n_tags ? n_tags : 1);
	if (row->lpProps == NULL) {
		return false;
	}
	ectx.server_guid = s->server_guid;
	ectx.mid = e->mid;
	ectx.ephemeral = ephemeral;
	ectx.legacy_dn = e->legacy_dn;
	ectx.kind = e->kind;
	ectx.container_id = container_id;
	ectx.x500_of = entry_x500;
	ectx.x500_priv = (void *)(uintptr_t)e;
	for (i = 0; i < n_tags; i++) {
		struct nspi_value v;

		if (e->msg == NULL ||
		    !nspi_prop_value(mem_ctx, e->msg, &ectx, tags[i], &v) ||
		    !to_wire(mem_ctx, tags[i], codepage, &v, &row->lpProps[i])) {
			set_error(&row->lpProps[i], tags[i], NSPI_NotFound);
			all = false;
		}
	}
	return all;
}

uint32_t nspi_rows_for_mids(TALLOC_CTX *mem_ctx, struct nspi_session *s,
			    const uint32_t *mids, uint32_t n,
			    uint32_t container_id, bool ephemeral,
			    uint32_t codepage, const uint32_t *tags,
			    uint32_t n_tags, struct PropertyRowSet_r **rows_r)
{
	struct PropertyRowSet_r *rows;
	struct nspi_entry *entries;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	uint32_t i;

	rows = talloc_zero(mem_ctx, struct PropertyRowSet_r);
	if (rows == NULL || tmp == NULL) {
		talloc_free(tmp);
		talloc_free(rows);
		return NSPI_NotEnoughMemory;
	}
	rows->aRow = talloc_zero_array(rows, struct PropertyRow_r, n ? n : 1);
	/* the directory's messages are scratch: values are copied */
	entries = nspi_dir_fetch(s, tmp, mids, n, tags, n_tags);
	if (rows->aRow == NULL || entries == NULL) {
		talloc_free(tmp);
		talloc_free(rows);
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < n; i++) {
		nspi_row_fill(rows, s, &entries[i], container_id, ephemeral,
			      codepage, tags, n_tags, &rows->aRow[i]);
		if (rows->aRow[i].lpProps == NULL) {
			talloc_free(tmp);
			talloc_free(rows);
			return NSPI_NotEnoughMemory;
		}
	}
	talloc_free(tmp);
	rows->cRows = n;
	*rows_r = rows;
	return NSPI_Success;
}

/*
 * Table operations on STAT-positioned containers ([MS-OXNSPI] 3.1.4.5):
 * NspiUpdateStat, NspiQueryRows, NspiSeekEntries, NspiCompareMIds, and the
 * hierarchy table of NspiGetSpecialTable.
 */
#include "nspi_private.h"

#include <string.h>

/* the sorted table a STAT names */
static uint32_t stat_table(struct nspi_session *s, const struct STAT *st,
			   struct nspi_table **t_r)
{
	struct nspi_container *c;
	uint32_t locale = st->SortLocale ? st->SortLocale : NSPI_DEFAULT_LOCALE;

	/* phonetic names are not kept apart: they sort as display names */
	if (st->SortType != NSPI_SortTypeDisplayName &&
	    st->SortType != NSPI_SortTypePhoneticDisplayName) {
		return NSPI_GeneralFailure;
	}
	c = nspi_container_find(s, st->ContainerID);
	if (c == NULL) {
		return NSPI_InvalidBookmark;
	}
	return nspi_dir_table(s, c, locale, t_r);
}

static void columns(const struct PropertyTagArray_r *tags, const uint32_t **t_r,
		    uint32_t *n_r)
{
	if (tags == NULL) {
		*t_r = nspi_default_columns;
		*n_r = nspi_n_default_columns;
		return;
	}
	*t_r = tags->aulPropTag;
	*n_r = tags->cValues;
}

/* [MS-OXNSPI] 3.1.4.1.4 NspiUpdateStat (opnum 2) */
NTSTATUS nspi_op_NspiUpdateStat(struct mp_call *call, void *_r)
{
	struct NspiUpdateStat *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct nspi_table *t;
	struct nspi_stat st, start;
	uint32_t pos, from;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	r->out.plDelta = r->in.plDelta;
	r->out.result = stat_table(s, r->in.pStat, &t);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	nspi_stat_in(r->in.pStat, &st);
	r->out.result = nspi_table_position(t, &st, &pos);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	start = st;
	start.Delta = 0;
	if (nspi_table_position(t, &start, &from) != NSPI_Success) {
		from = pos;
	}
	nspi_table_set_stat(t, pos, &st);
	nspi_stat_out(&st, r->out.pStat);
	if (r->out.plDelta != NULL) {
		*r->out.plDelta = (int32_t)pos - (int32_t)from;
	}
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.8 NspiQueryRows (opnum 3) */
NTSTATUS nspi_op_NspiQueryRows(struct mp_call *call, void *_r)
{
	struct NspiQueryRows *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	bool eph = (r->in.dwFlags & NSPI_fEphID) != 0;
	const uint32_t *tags, *mids;
	uint32_t n_tags, n, pos, i;
	struct nspi_table *t;
	struct nspi_stat st;
	uint32_t *page;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppRows = NULL;
	if (!nspi_proptags_ok(r->in.pPropTags)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	columns(r->in.pPropTags, &tags, &n_tags);
	if (r->in.lpETable != NULL) {
		/* an Explicit Table: the rows of the MIds given, in order */
		if (r->in.dwETableCount > NSPI_MAX_ROWS) {
			r->out.result = NSPI_TableTooBig;
			return NT_STATUS_OK;
		}
		r->out.result = nspi_rows_for_mids(call->mem_ctx, s,
			r->in.lpETable, r->in.dwETableCount,
			r->in.pStat->ContainerID, eph, r->in.pStat->CodePage,
			tags, n_tags, r->out.ppRows);
		return NT_STATUS_OK;
	}
	if (r->in.Count == 0) {
		r->out.result = NSPI_InvalidParameter;
		return NT_STATUS_OK;
	}
	r->out.result = stat_table(s, r->in.pStat, &t);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	nspi_stat_in(r->in.pStat, &st);
	r->out.result = nspi_table_position(t, &st, &pos);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	n = t->count - pos;
	if (n > r->in.Count) {
		n = r->in.Count;
	}
	if (n > NSPI_MAX_ROWS) {
		n = NSPI_MAX_ROWS;
	}
	page = talloc_array(call->mem_ctx, uint32_t, n ? n : 1);
	if (page == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < n; i++) {
		page[i] = t->rows[pos + i].mid;
	}
	mids = page;
	r->out.result = nspi_rows_for_mids(call->mem_ctx, s, mids, n,
		st.ContainerID, eph, st.CodePage, tags, n_tags, r->out.ppRows);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	/* the position moves past the rows read */
	nspi_table_set_stat(t, pos + n, &st);
	nspi_stat_out(&st, r->out.pStat);
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.9 NspiSeekEntries (opnum 4) */
NTSTATUS nspi_op_NspiSeekEntries(struct mp_call *call, void *_r)
{
	struct NspiSeekEntries *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	const uint32_t *tags;
	uint32_t n_tags, pos, locale;
	const char *target;
	struct nspi_table *t;
	struct nspi_stat st;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppRows = NULL;
	nspi_stat_in(r->in.pStat, &st);
	locale = st.SortLocale ? st.SortLocale : NSPI_DEFAULT_LOCALE;
	/* 3.1.4.1.9: only display-name order, only PidTagDisplayName targets */
	if (st.SortType != NSPI_SortTypeDisplayName ||
	    NSPI_PROP_ID(r->in.pTarget->ulPropTag) != NSPI_PROP_ID(PidTagDisplayName) ||
	    (target = nspi_value_to_utf8(call->mem_ctx, st.CodePage,
					 r->in.pTarget)) == NULL) {
		r->out.result = NSPI_GeneralFailure;
		return NT_STATUS_OK;
	}
	if (!nspi_proptags_ok(r->in.pPropTags) ||
	    !nspi_proptags_ok(r->in.lpETable)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	columns(r->in.pPropTags, &tags, &n_tags);
	if (r->in.lpETable != NULL) {
		/* an Explicit Table: the first of its rows not sorting below
		 * the target; the table is searched in the order given */
		struct nspi_entry *e;
		uint32_t tag = PidTagDisplayName, i;

		e = nspi_dir_fetch(s, call->mem_ctx, r->in.lpETable->aulPropTag,
				   r->in.lpETable->cValues, &tag, 1);
		if (e == NULL) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
		for (i = 0; i < r->in.lpETable->cValues; i++) {
			const char *name = e[i].msg ? ldb_msg_find_attr_as_string(
				e[i].msg, "displayName", NULL) : NULL;

			if (name != NULL &&
			    nspi_collate_primary(locale, name, target) >= 0) {
				break;
			}
		}
		if (i == r->in.lpETable->cValues) {
			r->out.result = NSPI_NotFound;
			return NT_STATUS_OK;
		}
		r->out.pStat->CurrentRec = r->in.lpETable->aulPropTag[i];
		r->out.pStat->NumPos = i;
		r->out.pStat->TotalRecs = r->in.lpETable->cValues;
		r->out.pStat->Delta = 0;
		r->out.result = r->in.pPropTags == NULL ? NSPI_Success :
			nspi_rows_for_mids(call->mem_ctx, s,
				&r->in.lpETable->aulPropTag[i], 1, st.ContainerID,
				false, st.CodePage, tags, n_tags, r->out.ppRows);
		return NT_STATUS_OK;
	}
	r->out.result = stat_table(s, r->in.pStat, &t);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	pos = nspi_table_seek(t, target);
	if (pos >= t->count) {
		r->out.result = NSPI_NotFound;
		return NT_STATUS_OK;
	}
	nspi_table_set_stat(t, pos, &st);
	nspi_stat_out(&st, r->out.pStat);
	/* with columns asked for: the row found */
	r->out.result = r->in.pPropTags == NULL ? NSPI_Success :
		nspi_rows_for_mids(call->mem_ctx, s, &t->rows[pos].mid, 1,
				   st.ContainerID, false, st.CodePage, tags,
				   n_tags, r->out.ppRows);
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.5 NspiCompareMIds (opnum 10) */
NTSTATUS nspi_op_NspiCompareMIds(struct mp_call *call, void *_r)
{
	struct NspiCompareMIds *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct nspi_table *t;
	int64_t a, b;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	r->out.plResult = talloc_zero(call->mem_ctx, int32_t);
	if (r->out.plResult == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	r->out.result = stat_table(s, r->in.pStat, &t);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	a = nspi_table_find(t, r->in.MId1);
	b = nspi_table_find(t, r->in.MId2);
	if (a < 0 || b < 0) {
		r->out.result = NSPI_GeneralFailure;
		return NT_STATUS_OK;
	}
	*r->out.plResult = a < b ? -1 : (a > b ? 1 : 0);
	return NT_STATUS_OK;
}

/* one row of the hierarchy table ([MS-OXOABK] 3.1.4.1) */
static bool hierarchy_row(TALLOC_CTX *mem_ctx, struct nspi_session *s,
			  const struct nspi_container *c, bool unicode,
			  uint32_t codepage, struct PropertyRow_r *row)
{
	struct PropertyValue_r *pv;
	uint8_t *eid;
	size_t len;
	uint32_t n = 0;

	pv = talloc_zero_array(mem_ctx, struct PropertyValue_r, 7);
	if (pv == NULL) {
		return false;
	}
	eid = nspi_entryid_permanent(pv, NSPI_DT_CONTAINER, c->x500, &len);
	if (eid == NULL) {
		return false;
	}
	pv[n].ulPropTag = PidTagEntryId;
	pv[n].Value.bin.cb = (uint32_t)len;
	pv[n++].Value.bin.lpb = eid;
	pv[n].ulPropTag = PidTagContainerFlags;
	pv[n++].Value.l = c->flags;
	pv[n].ulPropTag = PidTagDepth;
	pv[n++].Value.l = c->depth;
	pv[n].ulPropTag = PidTagAddressBookContainerId;
	pv[n++].Value.l = c->mid;
	if (!nspi_value_string(pv, unicode ? PidTagDisplayName :
			       (PidTagDisplayName & 0xFFFF0000) | NSPI_PT_STRING8,
			       codepage, c->name, &pv[n++])) {
		return false;
	}
	pv[n].ulPropTag = PidTagAddressBookIsMaster;
	pv[n++].Value.b = 0;
	if (c->depth > 0 && c->parent > 0) {
		const struct nspi_container *p = &s->containers[c->parent];

		eid = nspi_entryid_permanent(pv, NSPI_DT_CONTAINER, p->x500, &len);
		if (eid == NULL) {
			return false;
		}
		pv[n].ulPropTag = PidTagAddressBookParentEntryId;
		pv[n].Value.bin.cb = (uint32_t)len;
		pv[n++].Value.bin.lpb = eid;
	}
	row->cValues = n;
	row->lpProps = pv;
	return true;
}

/* [MS-OXNSPI] 3.1.4.1.3 NspiGetSpecialTable (opnum 12) */
NTSTATUS nspi_op_NspiGetSpecialTable(struct mp_call *call, void *_r)
{
	struct NspiGetSpecialTable *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	bool unicode = (r->in.dwFlags & NSPI_NspiUnicodeStrings) != 0;
	struct PropertyRowSet_r *rows;
	uint32_t i;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppRows = NULL;
	rows = talloc_zero(call->mem_ctx, struct PropertyRowSet_r);
	if (rows == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	if (r->in.dwFlags & NSPI_NspiAddressCreationTemplates) {
		/* [MS-OXOABKT] 2.2.1: the address creation table; lpVersion
		 * is only about the hierarchy table */
		r->out.result = nspi_creation_table(call, unicode,
			r->in.pStat->CodePage, r->out.ppRows);
		return NT_STATUS_OK;
	}
	r->out.result = nspi_dir_load_containers(s);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	rows->aRow = talloc_zero_array(rows, struct PropertyRow_r,
				       s->n_containers);
	if (rows->aRow == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < s->n_containers; i++) {
		if (!hierarchy_row(rows, s, &s->containers[i], unicode,
				   r->in.pStat->CodePage, &rows->aRow[i])) {
			r->out.result = NSPI_NotEnoughMemory;
			return NT_STATUS_OK;
		}
	}
	rows->cRows = s->n_containers;
	*r->out.lpVersion = s->hierarchy_version;
	*r->out.ppRows = rows;
	r->out.result = NSPI_Success;
	return NT_STATUS_OK;
}

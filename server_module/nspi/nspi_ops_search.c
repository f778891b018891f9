/*
 * Searching the address book: NspiGetMatches (restrictions and link
 * tables), NspiResortRestriction, NspiResolveNames / NspiResolveNamesW
 * (ambiguous name resolution, [MS-OXNSPI] 3.1.4.7).
 */
#include "nspi_private.h"

#include <string.h>

#define NSPI_MAX_RESORT	5000	/* MIds NspiResortRestriction will sort */

/* sort @mids in place by display name under @locale (fetches the names) */
static uint32_t sort_mids(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			  uint32_t *mids, uint32_t n, uint32_t locale)
{
	uint32_t tag = PidTagDisplayName, i;
	struct nspi_table t = { 0 };
	struct nspi_entry *e;

	if (n < 2) {
		return NSPI_Success;
	}
	e = nspi_dir_fetch(s, mem_ctx, mids, n, &tag, 1);
	t.rows = talloc_zero_array(mem_ctx, struct nspi_row, n);
	if (e == NULL || t.rows == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < n; i++) {
		t.rows[i].mid = mids[i];
		t.rows[i].display_name = e[i].msg ? ldb_msg_find_attr_as_string(
			e[i].msg, "displayName", ldb_msg_find_attr_as_string(
				e[i].msg, "name", "")) : "";
	}
	t.count = n;
	nspi_table_sort(&t, locale);
	for (i = 0; i < n; i++) {
		mids[i] = t.rows[i].mid;
	}
	return NSPI_Success;
}

static bool is_link_tag(uint32_t tag)
{
	switch (tag) {
	case PidTagAddressBookMember:
	case PidTagAddressBookPublicDelegates:
	case PidTagAddressBookReports:
	case PidTagAddressBookIsMemberOfDistributionList:
	case PidTagAddressBookManager:
		return true;
	default:
		return false;
	}
}

/* [MS-OXNSPI] 3.1.4.1.10 NspiGetMatches (opnum 5) */
NTSTATUS nspi_op_NspiGetMatches(struct mp_call *call, void *_r)
{
	struct NspiGetMatches *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct STAT *st = r->in.pStat;
	uint32_t locale = st->SortLocale ? st->SortLocale : NSPI_DEFAULT_LOCALE;
	uint32_t limit = r->in.ulRequested, *mids = NULL, n = 0, total = 0;
	const uint32_t *tags;
	uint32_t n_tags;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppOutMIds = NULL;
	*r->out.ppRows = NULL;
	if (st->SortType != NSPI_SortTypeDisplayName &&
	    st->SortType != NSPI_SortTypePhoneticDisplayName) {
		r->out.result = NSPI_GeneralFailure;
		return NT_STATUS_OK;
	}
	if (!nspi_proptags_ok(r->in.pPropTags)) {
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	if (limit > NSPI_MAX_ROWS) {
		limit = NSPI_MAX_ROWS;
	}
	if (is_link_tag(st->ContainerID)) {
		/* the objects linked from CurrentRec: members of a list,
		 * direct reports, ... (ContainerID holds the property) */
		r->out.result = nspi_dir_links(s, call->mem_ctx, st->CurrentRec,
			st->ContainerID, limit, &mids, &n);
		total = n;
	} else if (r->in.Filter != NULL) {
		struct nspi_container *c = nspi_container_find(s, st->ContainerID);
		struct ldb_parse_tree *tree = NULL;

		if (c == NULL) {
			r->out.result = NSPI_InvalidBookmark;
			return NT_STATUS_OK;
		}
		r->out.result = nspi_restriction_to_tree(call->mem_ctx,
			st->CodePage, r->in.Filter, &tree);
		if (r->out.result != NSPI_Success) {
			return NT_STATUS_OK;
		}
		r->out.result = nspi_dir_search(s, call->mem_ctx, c, tree, limit,
						&mids, &n, &total);
	} else {
		/* neither a restriction nor a link property */
		r->out.result = NSPI_TooComplex;
		return NT_STATUS_OK;
	}
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	/* more matches than the client can take */
	if (total > limit) {
		r->out.result = NSPI_TableTooBig;
		return NT_STATUS_OK;
	}
	r->out.result = sort_mids(s, call->mem_ctx, mids, n, locale);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	*r->out.ppOutMIds = nspi_proptag_array(call->mem_ctx, mids, n);
	if (*r->out.ppOutMIds == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	if (r->in.pPropTags != NULL) {
		tags = r->in.pPropTags->aulPropTag;
		n_tags = r->in.pPropTags->cValues;
		r->out.result = nspi_rows_for_mids(call->mem_ctx, s, mids, n,
			st->ContainerID, false, st->CodePage, tags, n_tags,
			r->out.ppRows);
	}
	/* the result is an Explicit Table, positioned at its start */
	r->out.pStat->CurrentRec = NSPI_MID_BEGINNING_OF_TABLE;
	r->out.pStat->NumPos = 0;
	r->out.pStat->TotalRecs = n;
	r->out.pStat->Delta = 0;
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.11 NspiResortRestriction (opnum 6) */
NTSTATUS nspi_op_NspiResortRestriction(struct mp_call *call, void *_r)
{
	struct NspiResortRestriction *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct STAT *st = r->in.pStat;
	uint32_t n = r->in.pInMIds->cValues, *mids, i, pos = 0;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	r->out.ppOutMIds = talloc_zero(call->mem_ctx, struct PropertyTagArray_r *);
	if (r->out.ppOutMIds == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	if (st->SortType != NSPI_SortTypeDisplayName &&
	    st->SortType != NSPI_SortTypePhoneticDisplayName) {
		r->out.result = NSPI_GeneralFailure;
		return NT_STATUS_OK;
	}
	if (n > NSPI_MAX_RESORT) {
		r->out.result = NSPI_TableTooBig;
		return NT_STATUS_OK;
	}
	/* only MIds this session issued; others are dropped */
	mids = talloc_array(call->mem_ctx, uint32_t, n ? n : 1);
	if (mids == NULL || r->in.pInMIds->aulPropTag == NULL) {
		r->out.result = mids ? NSPI_InvalidParameter : NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0, n = 0; i < r->in.pInMIds->cValues; i++) {
		if (nspi_mids_guid(s->mids, r->in.pInMIds->aulPropTag[i]) != NULL) {
			mids[n++] = r->in.pInMIds->aulPropTag[i];
		}
	}
	r->out.result = sort_mids(s, call->mem_ctx, mids, n,
		st->SortLocale ? st->SortLocale : NSPI_DEFAULT_LOCALE);
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	for (i = 0; i < n; i++) {
		if (mids[i] == st->CurrentRec) {
			pos = i;
		}
	}
	*r->out.ppOutMIds = nspi_proptag_array(call->mem_ctx, mids, n);
	r->out.result = *r->out.ppOutMIds ? NSPI_Success : NSPI_NotEnoughMemory;
	r->out.pStat->NumPos = pos;
	r->out.pStat->TotalRecs = n;
	r->out.pStat->Delta = 0;
	return NT_STATUS_OK;
}

/*
 * [MS-OXNSPI] 3.1.4.7 ANR over UTF-8 names: one MId per name (the object,
 * MID_UNRESOLVED or MID_AMBIGUOUS) and a row for each resolved one.
 */
static uint32_t resolve(struct mp_call *call, struct nspi_session *s,
			const struct STAT *st,
			const struct PropertyTagArray_r *pPropTags,
			const char **names, uint32_t count,
			struct PropertyTagArray_r **ppMIds,
			struct PropertyRowSet_r **ppRows)
{
	struct nspi_container *c;
	uint32_t *out, *found, n_found = 0, i, err;
	const uint32_t *tags = nspi_default_columns;
	uint32_t n_tags = nspi_n_default_columns;

	if (count > NSPI_MAX_NAMES) {
		return NSPI_TableTooBig;
	}
	if (!nspi_proptags_ok(pPropTags)) {
		return NSPI_TooComplex;
	}
	if (pPropTags != NULL) {
		tags = pPropTags->aulPropTag;
		n_tags = pPropTags->cValues;
	}
	c = nspi_container_find(s, st->ContainerID);
	if (c == NULL) {
		return NSPI_InvalidBookmark;
	}
	out = talloc_zero_array(call->mem_ctx, uint32_t, count ? count : 1);
	found = talloc_zero_array(call->mem_ctx, uint32_t, count ? count : 1);
	if (out == NULL || found == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < count; i++) {
		struct ldb_parse_tree *tree;
		uint32_t *mids = NULL, n = 0, total = 0;

		out[i] = NSPI_MID_UNRESOLVED;
		if (names[i] == NULL || names[i][0] == '\0' ||
		    strlen(names[i]) > NSPI_MAX_STRING) {
			continue;
		}
		tree = nspi_tree_anr(out, names[i]);
		if (tree == NULL) {
			return NSPI_NotEnoughMemory;
		}
		err = nspi_dir_search(s, out, c, tree, 1, &mids, &n, &total);
		if (err != NSPI_Success) {
			return err;
		}
		if (total > 1) {
			out[i] = NSPI_MID_AMBIGUOUS;
		} else if (n == 1) {
			out[i] = mids[0];
			found[n_found++] = mids[0];
		}
	}
	*ppMIds = nspi_proptag_array(call->mem_ctx, out, count);
	if (*ppMIds == NULL) {
		return NSPI_NotEnoughMemory;
	}
	return nspi_rows_for_mids(call->mem_ctx, s, found, n_found,
				  st->ContainerID, false, st->CodePage, tags,
				  n_tags, ppRows);
}

/* [MS-OXNSPI] 3.1.4.1.16 NspiResolveNames (opnum 19): 8-bit strings */
NTSTATUS nspi_op_NspiResolveNames(struct mp_call *call, void *_r)
{
	struct NspiResolveNames *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	uint32_t i, n = r->in.paStr->Count;
	const char **names;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppMIds = NULL;
	*r->out.ppRows = NULL;
	if (n > NSPI_MAX_NAMES) {
		r->out.result = NSPI_TableTooBig;
		return NT_STATUS_OK;
	}
	names = talloc_zero_array(call->mem_ctx, const char *, n ? n : 1);
	if (names == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	for (i = 0; i < n; i++) {
		names[i] = r->in.paStr->Strings[i] ? nspi_string8_from_ndr(names,
			r->in.pStat->CodePage, r->in.paStr->Strings[i]) : NULL;
	}
	r->out.result = resolve(call, s, r->in.pStat, r->in.pPropTags, names, n,
				r->out.ppMIds, r->out.ppRows);
	return NT_STATUS_OK;
}

/* [MS-OXNSPI] 3.1.4.1.17 NspiResolveNamesW (opnum 20): Unicode strings */
NTSTATUS nspi_op_NspiResolveNamesW(struct mp_call *call, void *_r)
{
	struct NspiResolveNamesW *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppMIds = NULL;
	*r->out.ppRows = NULL;
	r->out.result = resolve(call, s, r->in.pStat, r->in.pPropTags,
				r->in.paWStr->Strings, r->in.paWStr->Count,
				r->out.ppMIds, r->out.ppRows);
	return NT_STATUS_OK;
}

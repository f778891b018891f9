/*
 * The ICS state of a synchronization context ([MS-OXCFXICS] 2.2.1.1):
 * MetaTagIdsetGiven, MetaTagCnsetSeen, MetaTagCnsetSeenFAI and
 * MetaTagCnsetRead, uploaded with RopSynchronizationUploadStateStream*
 * (2.2.3.2.2, 3.2.5.9.2) and sent back in the stream's final state.
 * Every state IDSET is REPLGUID-based (2.2.1.1, 2.2.2.4.2).
 */
#include "ics.h"

#include <string.h>

/* MetaTagIdsetGiven with a PtypBinary tag: accepted as well (3.2.5.2.1) */
#define MetaTagIdsetGiven_Binary 0x40170102

struct ics_state *ics_state_new(TALLOC_CTX *mem_ctx)
{
	struct ics_state *st = talloc_zero(mem_ctx, struct ics_state);

	if (st == NULL) {
		return NULL;
	}
	st->IdsetGiven = idset_new(st, true);
	st->CnsetSeen = idset_new(st, true);
	st->CnsetSeenFAI = idset_new(st, true);
	st->CnsetRead = idset_new(st, true);
	if (st->IdsetGiven == NULL || st->CnsetSeen == NULL ||
	    st->CnsetSeenFAI == NULL || st->CnsetRead == NULL) {
		talloc_free(st);
		return NULL;
	}
	return st;
}

/* which member of the state @tag names, NULL for any other tag */
static struct IDSET **ics_state_slot(struct ics_state *st, uint32_t tag)
{
	switch (tag) {
	case MetaTagIdsetGiven:
	case MetaTagIdsetGiven_Binary:
		return &st->IdsetGiven;
	case MetaTagCnsetSeen:
		return &st->CnsetSeen;
	case MetaTagCnsetSeenFAI:
		return &st->CnsetSeenFAI;
	case MetaTagCnsetRead:
		return &st->CnsetRead;
	default:
		return NULL;
	}
}

/* [MS-OXCFXICS] 3.2.5.9.2.1 */
uint32_t ics_state_upload_begin(struct ics_state *st, uint32_t StateProperty,
				uint32_t size)
{
	if (ics_state_slot(st, StateProperty) == NULL) {
		return ecNotSupported;
	}
	if (st->upload_property != 0) {
		return ecError;
	}
	if (size > ICS_STATE_MAX_SIZE) {
		return ecTooBig;
	}
	st->upload_data = talloc_size(st, size > 0 ? size : 1);
	if (st->upload_data == NULL) {
		return ecMAPIOOM;
	}
	st->upload_property = StateProperty;
	st->upload_size = size;
	st->upload_used = 0;
	return ecSuccess;
}

static void ics_state_upload_reset(struct ics_state *st)
{
	TALLOC_FREE(st->upload_data);
	st->upload_property = 0;
	st->upload_size = 0;
	st->upload_used = 0;
}

/* [MS-OXCFXICS] 3.2.5.9.2.2 */
uint32_t ics_state_upload_continue(struct ics_state *st, const uint8_t *data,
				   uint32_t size)
{
	if (st->upload_property == 0) {
		return ecError;
	}
	if (size > st->upload_size - st->upload_used) {
		/* more than TransferBufferSize announced: the upload is void */
		ics_state_upload_reset(st);
		return ecError;
	}
	if (size > 0) {
		memcpy(st->upload_data + st->upload_used, data, size);
	}
	st->upload_used += size;
	return ecSuccess;
}

/* [MS-OXCFXICS] 3.2.5.9.2.3 */
uint32_t ics_state_upload_end(struct ics_state *st)
{
	struct IDSET **slot, *set = NULL;
	enum rop_err err;

	if (st->upload_property == 0) {
		return ecError;
	}
	slot = ics_state_slot(st, st->upload_property);
	err = idset_decode(st, st->upload_data, st->upload_used, true, &set);
	if (err != ROP_OK) {
		ics_state_upload_reset(st);
		return ecInvalidParam;
	}
	if (slot == &st->IdsetGiven) {
		st->given_uploaded = true;
	}
	talloc_free(*slot);
	*slot = set;
	ics_state_upload_reset(st);
	return ecSuccess;
}

static const struct IDSET_entry *ics_idset_entry(const struct IDSET *set,
						 const uint8_t replguid[16])
{
	uint32_t i;

	for (i = 0; set != NULL && i < set->Count; i++) {
		if (memcmp(set->Entries[i].REPLGUID, replguid, 16) == 0) {
			return &set->Entries[i];
		}
	}
	return NULL;
}

uint32_t ics_idset_ranges(TALLOC_CTX *mem_ctx, const struct IDSET *set,
			  const uint8_t replguid[16],
			  struct mapistore_globcnt_range **ranges_r,
			  uint32_t *count_r)
{
	const struct IDSET_entry *e = ics_idset_entry(set, replguid);
	struct mapistore_globcnt_range *r;
	uint32_t i, n;

	*ranges_r = NULL;
	*count_r = 0;
	if (e == NULL || e->Globset == NULL || e->Globset->RangeCount == 0) {
		return ecSuccess;
	}
	n = e->Globset->RangeCount;
	if (n > MAPISTORE_CNSET_MAX_RANGES) {
		/* mapistore bounds one query's CNSET */
		return ecTooBig;
	}
	r = talloc_array(mem_ctx, struct mapistore_globcnt_range, n);
	if (r == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		r[i].first = e->Globset->Ranges[i].Low;
		r[i].last = e->Globset->Ranges[i].High;
	}
	*ranges_r = r;
	*count_r = n;
	return ecSuccess;
}

uint32_t ics_idset_add(struct IDSET *set, const uint8_t replguid[16],
		       uint64_t low, uint64_t high)
{
	if (low == 0 || low > high) {
		/* GLOBCNT 0 is never handed out */
		low = low == 0 ? 1 : low;
		if (low > high) {
			return ecSuccess;
		}
	}
	return idset_add_range(set, 0, replguid, low, high) == ROP_OK ?
		ecSuccess : ecMAPIOOM;
}

struct IDSET *ics_idset_copy(TALLOC_CTX *mem_ctx, const struct IDSET *set)
{
	struct IDSET *copy = idset_new(mem_ctx, set->UsesREPLGUID);

	if (copy != NULL && idset_union(copy, set) != ROP_OK) {
		TALLOC_FREE(copy);
	}
	return copy;
}

bool ics_idset_has(const struct IDSET *set, const uint8_t replguid[16],
		   uint64_t globcnt)
{
	const struct IDSET_entry *e = ics_idset_entry(set, replguid);

	return e != NULL && e->Globset != NULL && globset_contains(e->Globset, globcnt);
}

uint32_t ics_proplist_add(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
			  uint32_t tag, const struct PropertyName *name,
			  const struct PropertyValue *v)
{
	struct fxics_atom *a;

	if (l->Count >= 0x100000) {
		return ecTooBig;
	}
	/* grow geometrically: the array's talloc size is its capacity */
	if (l->Atoms == NULL ||
	    talloc_array_length(l->Atoms) <= l->Count) {
		size_t cap = l->Atoms == NULL ? 16 : 2 * talloc_array_length(l->Atoms);

		a = talloc_realloc(mem_ctx, l->Atoms, struct fxics_atom, cap);
		if (a == NULL) {
			return ecMAPIOOM;
		}
		l->Atoms = a;
	}
	a = &l->Atoms[l->Count++];
	memset(a, 0, sizeof(*a));
	a->kind = fxics_is_metatag(tag) ? FXICS_ATOM_META : FXICS_ATOM_PROPERTY;
	a->PropertyTag = tag;
	a->Name = (struct PropertyName *)(uintptr_t)name;
	a->Value = *v;
	return ecSuccess;
}

uint32_t ics_proplist_add_idset(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
				uint32_t tag, const struct IDSET *set)
{
	struct PropertyValue v = { .PropertyType = PtypBinary };
	uint8_t *data = NULL;
	size_t len = 0;

	if (idset_encode(mem_ctx, set, &data, &len) != ROP_OK || len > UINT32_MAX) {
		return ecMAPIOOM;
	}
	v.u.bin.cb = (uint32_t)len;
	v.u.bin.lpb = data;
	return ics_proplist_add(mem_ctx, l, tag, NULL, &v);
}

uint32_t ics_proplist_add_state(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
				const struct IDSET *given, const struct IDSET *seen,
				const struct IDSET *seen_fai, const struct IDSET *read)
{
	const struct {
		uint32_t MetaTag;
		const struct IDSET *set;
	} props[] = {
		{ MetaTagIdsetGiven, given }, { MetaTagCnsetSeen, seen },
		{ MetaTagCnsetSeenFAI, seen_fai }, { MetaTagCnsetRead, read },
	};
	uint32_t ec = ecSuccess;
	size_t i;

	for (i = 0; i < sizeof(props) / sizeof(props[0]) && ec == ecSuccess; i++) {
		if (props[i].set != NULL) {
			ec = ics_proplist_add_idset(mem_ctx, l, props[i].MetaTag, props[i].set);
		}
	}
	return ec;
}

uint32_t ics_idset_remove(struct IDSET *set, const uint8_t replguid[16],
			  const struct IDSET *ids)
{
	struct IDSET *drop = idset_new(set, true);
	uint32_t i, j, ec = ecSuccess;

	if (drop == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; ids != NULL && i < ids->Count && ec == ecSuccess; i++) {
		const struct GLOBSET *g = ids->Entries[i].Globset;

		for (j = 0; g != NULL && j < g->RangeCount && ec == ecSuccess; j++) {
			ec = ics_idset_add(drop, replguid, g->Ranges[j].Low, g->Ranges[j].High);
		}
	}
	if (ec == ecSuccess && idset_difference(set, drop) != ROP_OK) {
		ec = ecMAPIOOM;
	}
	talloc_free(drop);
	return ec;
}

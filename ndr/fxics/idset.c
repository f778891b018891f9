/*
 * IDSET / CNSET ([MS-OXCFXICS] 2.2.2.4): REPLID-based (2.2.2.4.1) and
 * REPLGUID-based (2.2.2.4.2) serialization, each a sequence of REPLID or
 * REPLGUID + serialized GLOBSET in ascending order (3.1.5.4.2), and the set
 * operations ICS needs.
 */
#include <string.h>

#include "idset.h"

uint16_t fxics_id_replid(uint64_t id)
{
	return (uint16_t)(id & 0xFFFF);
}

uint64_t fxics_id_globcnt(uint64_t id)
{
	uint64_t g = 0;
	unsigned k;

	/* bytes 2..7 of the little-endian ID, high-order first */
	for (k = 2; k < 8; k++) {
		g = (g << 8) | ((id >> (8 * k)) & 0xFF);
	}
	return g;
}

uint64_t fxics_id_make(uint16_t replid, uint64_t globcnt)
{
	uint64_t id = replid;
	unsigned k;

	for (k = 0; k < 6; k++) {
		id |= ((globcnt >> (8 * (5 - k))) & 0xFF) << (8 * (k + 2));
	}
	return id;
}

struct IDSET *idset_new(TALLOC_CTX *mem_ctx, bool uses_replguid)
{
	struct IDSET *set = talloc_zero(mem_ctx, struct IDSET);

	if (set != NULL) {
		set->UsesREPLGUID = uses_replguid;
	}
	return set;
}

static int key_cmp(const struct IDSET *set, const struct IDSET_entry *e, uint16_t replid,
		   const uint8_t *replguid)
{
	if (set->UsesREPLGUID) {
		return memcmp(e->REPLGUID, replguid, 16);
	}
	return e->REPLID < replid ? -1 : (e->REPLID > replid);
}

static struct IDSET_entry *find(const struct IDSET *set, uint16_t replid,
				const uint8_t *replguid, uint32_t *pos_r)
{
	uint32_t lo = 0, hi = set->Count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(set, &set->Entries[mid], replid, replguid);

		if (c == 0) {
			*pos_r = mid;
			return &set->Entries[mid];
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	*pos_r = lo;
	return NULL;
}

struct IDSET_entry *idset_entry(struct IDSET *set, uint16_t replid, const uint8_t *replguid)
{
	static const uint8_t zero[16];
	struct IDSET_entry *e, *n;
	uint32_t pos;

	if (replguid == NULL) {
		replguid = zero;
	}
	e = find(set, replid, replguid, &pos);
	if (e != NULL) {
		return e;
	}
	if (set->Count == UINT32_MAX) {
		return NULL;
	}
	n = talloc_realloc(set, set->Entries, struct IDSET_entry, set->Count + 1);
	if (n == NULL) {
		return NULL;
	}
	set->Entries = n;
	memmove(&n[pos + 1], &n[pos], (set->Count - pos) * sizeof(n[0]));
	memset(&n[pos], 0, sizeof(n[pos]));
	n[pos].REPLID = set->UsesREPLGUID ? 0 : replid;
	if (set->UsesREPLGUID) {
		memcpy(n[pos].REPLGUID, replguid, 16);
	}
	n[pos].Globset = globset_new(set->Entries);
	if (n[pos].Globset == NULL) {
		memmove(&n[pos], &n[pos + 1], (set->Count - pos) * sizeof(n[0]));
		return NULL;
	}
	set->Count++;
	return &n[pos];
}

enum rop_err idset_add_range(struct IDSET *set, uint16_t replid, const uint8_t *replguid,
			     uint64_t low, uint64_t high)
{
	struct IDSET_entry *e = idset_entry(set, replid, replguid);

	return e == NULL ? ROP_ERR_NO_MEMORY : globset_add_range(e->Globset, low, high);
}

enum rop_err idset_add_id(struct IDSET *set, uint64_t id)
{
	uint64_t g = fxics_id_globcnt(id);

	if (set->UsesREPLGUID) {
		return ROP_ERR_CONTEXT;
	}
	return idset_add_range(set, fxics_id_replid(id), NULL, g, g);
}

bool idset_contains_id(const struct IDSET *set, uint64_t id)
{
	const struct IDSET_entry *e;
	uint32_t pos;

	if (set->UsesREPLGUID) {
		return false;
	}
	e = find(set, fxics_id_replid(id), NULL, &pos);
	return e != NULL && globset_contains(e->Globset, fxics_id_globcnt(id));
}

enum rop_err idset_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			  bool uses_replguid, struct IDSET **out)
{
	struct IDSET *set = idset_new(mem_ctx, uses_replguid);
	struct oxcdata_pull pull;
	enum rop_err err = ROP_OK;

	*out = NULL;
	if (set == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, set, data, len);
	while (err == ROP_OK && oxcdata_pull_remaining(&pull) > 0) {
		uint8_t guid[16] = { 0 };
		uint16_t replid = 0;
		struct GLOBSET *g = NULL;
		struct IDSET_entry *e;

		err = uses_replguid ? oxcdata_pull_bytes(&pull, guid, 16)
				    : oxcdata_pull_u16(&pull, &replid);
		if (err == ROP_OK) {
			err = globset_pull(&pull, set, &g);
		}
		if (err != ROP_OK) {
			break;
		}
		/* a repeated REPLID / REPLGUID is merged into the first */
		e = idset_entry(set, replid, guid);
		err = e == NULL ? ROP_ERR_NO_MEMORY : globset_union(e->Globset, g);
		talloc_free(g);
	}
	if (err != ROP_OK) {
		talloc_free(set);
		return err;
	}
	*out = set;
	return ROP_OK;
}

enum rop_err idset_encode(TALLOC_CTX *mem_ctx, const struct IDSET *set,
			  uint8_t **out, size_t *len_r)
{
	struct oxcdata_push push;
	enum rop_err err = ROP_OK;
	uint32_t i;

	*out = NULL;
	*len_r = 0;
	if (set->Count > 0 && set->Entries == NULL) {
		return ROP_ERR_INVALID;
	}
	oxcdata_push_init(&push, mem_ctx);
	for (i = 0; err == ROP_OK && i < set->Count; i++) {
		const struct IDSET_entry *e = &set->Entries[i];

		if (i > 0 && key_cmp(set, &set->Entries[i - 1], e->REPLID, e->REPLGUID) >= 0) {
			err = ROP_ERR_INVALID;  /* entries must be sorted and unique */
			break;
		}
		err = set->UsesREPLGUID ? oxcdata_push_bytes(&push, e->REPLGUID, 16)
					: oxcdata_push_u16(&push, e->REPLID);
		if (err == ROP_OK) {
			err = e->Globset != NULL ? globset_push(&push, e->Globset) : ROP_ERR_INVALID;
		}
	}
	if (err != ROP_OK) {
		talloc_free(push.data);
		return err;
	}
	*out = push.data;
	*len_r = push.size;
	return ROP_OK;
}

static enum rop_err combine(struct IDSET *dst, const struct IDSET *src, bool unite)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (dst->UsesREPLGUID != src->UsesREPLGUID) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < src->Count; i++) {
		const struct IDSET_entry *s = &src->Entries[i];
		struct IDSET_entry *d;
		uint32_t pos;

		if (unite) {
			d = idset_entry(dst, s->REPLID, s->REPLGUID);
			err = d == NULL ? ROP_ERR_NO_MEMORY : globset_union(d->Globset, s->Globset);
		} else {
			d = find(dst, s->REPLID, s->REPLGUID, &pos);
			if (d != NULL) {
				err = globset_difference(d->Globset, s->Globset);
			}
		}
	}
	return err;
}

enum rop_err idset_union(struct IDSET *dst, const struct IDSET *src)
{
	return combine(dst, src, true);
}

enum rop_err idset_difference(struct IDSET *dst, const struct IDSET *src)
{
	return combine(dst, src, false);
}

bool idset_equal(const struct IDSET *a, const struct IDSET *b)
{
	uint32_t i;

	if (a->UsesREPLGUID != b->UsesREPLGUID || a->Count != b->Count) {
		return false;
	}
	for (i = 0; i < a->Count; i++) {
		if (key_cmp(a, &a->Entries[i], b->Entries[i].REPLID, b->Entries[i].REPLGUID) != 0 ||
		    !globset_equal(a->Entries[i].Globset, b->Entries[i].Globset)) {
			return false;
		}
	}
	return true;
}

enum rop_err idset_convert(TALLOC_CTX *mem_ctx, const struct IDSET *in, bool to_replguid,
			   bool (*map)(void *priv, uint16_t *replid, uint8_t *replguid, bool to_guid),
			   void *priv, struct IDSET **out)
{
	struct IDSET *set = idset_new(mem_ctx, to_replguid);
	enum rop_err err = ROP_OK;
	uint32_t i;

	*out = NULL;
	if (set == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; err == ROP_OK && i < in->Count; i++) {
		uint16_t replid = in->Entries[i].REPLID;
		uint8_t guid[16];
		struct IDSET_entry *e;

		memcpy(guid, in->Entries[i].REPLGUID, 16);
		if (in->UsesREPLGUID != to_replguid && !map(priv, &replid, guid, to_replguid)) {
			err = ROP_ERR_CONTEXT;
			break;
		}
		e = idset_entry(set, replid, guid);
		err = e == NULL ? ROP_ERR_NO_MEMORY : globset_union(e->Globset, in->Entries[i].Globset);
	}
	if (err != ROP_OK) {
		talloc_free(set);
		return err;
	}
	*out = set;
	return ROP_OK;
}

/*
 * GLOBSET as a set of GLOBCNT ranges ([MS-OXCFXICS] 2.2.2.5, 2.2.2.6): the
 * in-memory set operations ICS needs (add range, merge adjacent ranges,
 * contains, union, difference). The wire form is in globset_wire.c.
 */
#include <stdlib.h>
#include <string.h>

#include "idset.h"

struct GLOBSET *globset_new(TALLOC_CTX *mem_ctx)
{
	return talloc_zero(mem_ctx, struct GLOBSET);
}

static enum rop_err reserve(struct GLOBSET *set, uint64_t n)
{
	struct GLOBCNT_range *r;
	uint64_t alloc;

	if (n <= set->alloc) {
		return ROP_OK;
	}
	if (n > UINT32_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	alloc = set->alloc ? set->alloc : 8;
	while (alloc < n) {
		alloc *= 2;
	}
	if (alloc > UINT32_MAX) {
		alloc = UINT32_MAX;
	}
	r = talloc_realloc(set, set->Ranges, struct GLOBCNT_range, (size_t)alloc);
	if (r == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	set->Ranges = r;
	set->alloc = (uint32_t)alloc;
	return ROP_OK;
}

/* first index whose range ends at or after value - 1 (could merge with value) */
static uint32_t lower_index(const struct GLOBSET *set, uint64_t value)
{
	uint32_t lo = 0, hi = set->RangeCount;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (set->Ranges[mid].High + 1 < value) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

enum rop_err globset_add_range(struct GLOBSET *set, uint64_t low, uint64_t high)
{
	uint32_t first, last;
	enum rop_err err;

	if (low > high || high > GLOBCNT_MAX) {
		return ROP_ERR_INVALID;
	}
	first = lower_index(set, low);
	last = first;
	/* ranges [first, last) touch or overlap [low, high] */
	while (last < set->RangeCount && set->Ranges[last].Low <= high + 1) {
		last++;
	}
	if (first == last) {
		err = reserve(set, (uint64_t)set->RangeCount + 1);
		if (err != ROP_OK) {
			return err;
		}
		memmove(&set->Ranges[first + 1], &set->Ranges[first],
			(set->RangeCount - first) * sizeof(set->Ranges[0]));
		set->Ranges[first] = (struct GLOBCNT_range) { low, high };
		set->RangeCount++;
		return ROP_OK;
	}
	if (set->Ranges[first].Low < low) {
		low = set->Ranges[first].Low;
	}
	if (set->Ranges[last - 1].High > high) {
		high = set->Ranges[last - 1].High;
	}
	set->Ranges[first] = (struct GLOBCNT_range) { low, high };
	memmove(&set->Ranges[first + 1], &set->Ranges[last],
		(set->RangeCount - last) * sizeof(set->Ranges[0]));
	set->RangeCount -= last - first - 1;
	return ROP_OK;
}

bool globset_contains(const struct GLOBSET *set, uint64_t value)
{
	uint32_t i = lower_index(set, value + 1);

	return i < set->RangeCount && set->Ranges[i].Low <= value && value <= set->Ranges[i].High;
}

uint64_t globset_cardinality(const struct GLOBSET *set)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i < set->RangeCount; i++) {
		n += set->Ranges[i].High - set->Ranges[i].Low + 1;
	}
	return n;
}

static int range_cmp(const void *a, const void *b)
{
	const struct GLOBCNT_range *x = a, *y = b;

	if (x->Low != y->Low) {
		return x->Low < y->Low ? -1 : 1;
	}
	return x->High < y->High ? -1 : (x->High > y->High);
}

void globset_normalize(struct GLOBSET *set)
{
	uint32_t i, o = 0;

	if (set->RangeCount < 2) {
		return;
	}
	qsort(set->Ranges, set->RangeCount, sizeof(set->Ranges[0]), range_cmp);
	for (i = 1; i < set->RangeCount; i++) {
		struct GLOBCNT_range *cur = &set->Ranges[o];

		if (set->Ranges[i].Low <= cur->High + 1) {
			if (set->Ranges[i].High > cur->High) {
				cur->High = set->Ranges[i].High;
			}
		} else {
			set->Ranges[++o] = set->Ranges[i];
		}
	}
	set->RangeCount = o + 1;
}

enum rop_err globset_union(struct GLOBSET *dst, const struct GLOBSET *src)
{
	enum rop_err err = reserve(dst, (uint64_t)dst->RangeCount + src->RangeCount);

	if (err != ROP_OK) {
		return err;
	}
	if (src->RangeCount > 0) {
		memcpy(&dst->Ranges[dst->RangeCount], src->Ranges,
		       src->RangeCount * sizeof(src->Ranges[0]));
	}
	dst->RangeCount += src->RangeCount;
	globset_normalize(dst);
	return ROP_OK;
}

enum rop_err globset_difference(struct GLOBSET *dst, const struct GLOBSET *src)
{
	struct GLOBCNT_range *out;
	uint32_t i, j = 0, n = 0;
	uint64_t cap = (uint64_t)dst->RangeCount + src->RangeCount + 1;

	if (dst->RangeCount == 0 || src->RangeCount == 0) {
		return ROP_OK;
	}
	/* each range of src splits at most one range of dst in two */
	if (cap > UINT32_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	out = talloc_array(dst, struct GLOBCNT_range, (size_t)cap);
	if (out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; i < dst->RangeCount; i++) {
		uint64_t low = dst->Ranges[i].Low, high = dst->Ranges[i].High;
		bool empty = false;

		while (j < src->RangeCount && src->Ranges[j].High < low) {
			j++;
		}
		for (uint32_t k = j; k < src->RangeCount && src->Ranges[k].Low <= high; k++) {
			if (src->Ranges[k].Low > low) {
				out[n++] = (struct GLOBCNT_range) { low, src->Ranges[k].Low - 1 };
			}
			if (src->Ranges[k].High >= high) {
				empty = true;
				break;
			}
			low = src->Ranges[k].High + 1;
		}
		if (!empty) {
			out[n++] = (struct GLOBCNT_range) { low, high };
		}
	}
	talloc_free(dst->Ranges);
	dst->Ranges = out;
	dst->RangeCount = n;
	dst->alloc = (uint32_t)cap;
	return ROP_OK;
}

bool globset_equal(const struct GLOBSET *a, const struct GLOBSET *b)
{
	return a->RangeCount == b->RangeCount &&
	       (a->RangeCount == 0 ||
		memcmp(a->Ranges, b->Ranges, a->RangeCount * sizeof(a->Ranges[0])) == 0);
}

/*
 * Aggregated category order ([MS-OXCDATA] 2.13.1 TABLE_SORT_MAXIMUM_CATEGORY
 * / TABLE_SORT_MINIMUM_CATEGORY; MAPI's SSortOrder: "sorted on the maximum
 * value of the column for the data rows in the categories specified by
 * the previous sort order"): the deepest categories are ordered, among
 * their siblings, by the largest (smallest) value of the aggregated
 * column in their rows, in the direction of a later sort order on the
 * same column (ascending without one); categories without a value come
 * last; ties keep their order. O(n) plus O(h log h) for h categories.
 */
#include "oxctabl_categ_private.h"

#include <string.h>

struct agg_sort {
	const struct emsmdb_categ *c;
	const struct mapistore_property **value;	/* per header index */
};

/* <0 when header @a comes before header @b */
static int agg_cmp(const struct agg_sort *as, uint32_t a, uint32_t b)
{
	const struct mapistore_property *va = as->value[a], *vb = as->value[b];
	int cmp = 0;

	if (va == NULL || vb == NULL) {
		return (va == NULL) - (vb == NULL);
	}
	if (mapistore_property_compare(va, vb, &cmp) != MAPISTORE_SUCCESS) {
		return 0;
	}
	return as->c->aggregate.descending ? -cmp : cmp;
}

/* stable bottom-up merge sort of @n header indices */
static uint32_t agg_merge_sort(TALLOC_CTX *mem_ctx, const struct agg_sort *as,
			       uint32_t *idx, uint32_t n)
{
	uint32_t *tmp = talloc_array(mem_ctx, uint32_t, n + 1);
	uint32_t width, lo, i, j, k, mid, hi;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (i = lo, j = mid, k = lo; k < hi; k++) {
				if (i < mid && (j >= hi || agg_cmp(as, idx[i], idx[j]) <= 0)) {
					tmp[k] = idx[i++];
				} else {
					tmp[k] = idx[j++];
				}
			}
		}
		memcpy(idx, tmp, n * sizeof(uint32_t));
	}
	talloc_free(tmp);
	return ecSuccess;
}

/* the aggregate of header @n: its leaves' largest (smallest) value */
static const struct mapistore_property *agg_value(const struct emsmdb_categ *c,
						  uint32_t n)
{
	const struct mapistore_property *best = NULL;
	uint32_t i;

	for (i = c->nodes[n].first_leaf;
	     i < c->nodes[n].first_leaf + c->nodes[n].leaf_count; i++) {
		const struct mapistore_property *p = &c->leaves[i].props[c->aggregate_index];
		int cmp = 0;

		if (mapistore_property_is_error(p)) {
			continue;
		}
		if (best == NULL ||
		    (mapistore_property_compare(p, best, &cmp) == MAPISTORE_SUCCESS &&
		     (c->aggregate.maximum ? cmp > 0 : cmp < 0))) {
			best = p;
		}
	}
	return best;
}

uint32_t emsmdb_categ_aggregate_order(struct emsmdb_categ *c)
{
	TALLOC_CTX *frame = talloc_new(c);
	struct agg_sort as = { .c = c };
	struct categ_leaf *leaves;
	uint32_t *deep, count = 0, n, run, i, k, out = 0, ec = ecSuccess;

	if (frame == NULL) {
		return ecMAPIOOM;
	}
	deep = talloc_array(frame, uint32_t, c->node_count + 1);
	as.value = talloc_zero_array(frame, const struct mapistore_property *,
				     c->node_count + 1);
	leaves = talloc_array(c->data, struct categ_leaf, c->leaf_count + 1);
	if (deep == NULL || as.value == NULL || leaves == NULL) {
		talloc_free(frame);
		return ecMAPIOOM;
	}
	/* the deepest headers in table order; siblings are consecutive */
	for (n = 0; n < c->node_count; n++) {
		if (c->nodes[n].level == c->categorized - 1u) {
			deep[count++] = n;
			as.value[n] = agg_value(c, n);
		}
	}
	for (run = 0; run < count && ec == ecSuccess; run = i) {
		for (i = run + 1; i < count &&
		     c->nodes[deep[i]].parent == c->nodes[deep[run]].parent; i++) {
		}
		ec = agg_merge_sort(frame, &as, deep + run, i - run);
	}
	for (k = 0; k < count && ec == ecSuccess; k++) {
		const struct categ_node *node = &c->nodes[deep[k]];

		memcpy(&leaves[out], &c->leaves[node->first_leaf],
		       node->leaf_count * sizeof(leaves[0]));
		out += node->leaf_count;
	}
	if (ec == ecSuccess && out == c->leaf_count) {
		talloc_free(c->leaves);
		c->leaves = leaves;
	} else {
		talloc_free(leaves);
		ec = ec != ecSuccess ? ec : ecError;
	}
	talloc_free(frame);
	return ec;
}

/*
 * [MS-OXCTABL] categorized tables (3.2.5.2; doc/emsmdb-tables.md): the
 * view of a contents table sorted by CategorizedCount category columns.
 *
 * The view is built in one pass over the table, which mapistore has
 * sorted by every sort order (category columns first), so the rows of one
 * category are adjacent: a header row ("node") opens wherever a category
 * value differs from the previous leaf's. Each row of the full (all
 * expanded) order has a key, increasing in that order; the visible rows
 * are the rows whose ancestors are all expanded, kept as an array sorted
 * by key, so "where is row X now" is a binary search.
 *
 * A category's ID (PidTagInstID of its header row) is a hash of its level
 * and the values of its path, so it is the same in every table with the
 * same sort and data: collapse states carry IDs (oxctabl_categ_state.c).
 * The expanded/collapsed state is the level's initial one (ExpandedCount)
 * except where an override says otherwise; overrides survive rebuilds.
 */
#include "oxctabl_categ_private.h"
#include "emsmdb_computed.h"

#include <stdlib.h>
#include <string.h>

uint32_t emsmdb_categ_set(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			  const struct mapistore_sort_order *order, uint16_t count,
			  uint16_t categorized, uint16_t expanded,
			  const struct emsmdb_categ_aggregate *aggregate)
{
	struct emsmdb_categ *c = talloc_zero(t, struct emsmdb_categ);

	if (c == NULL) {
		return ecMAPIOOM;
	}
	c->order = talloc_memdup(c, order, sizeof(*order) * count);
	if (c->order == NULL) {
		talloc_free(c);
		return ecMAPIOOM;
	}
	c->order_count = count;
	c->categorized = categorized;
	c->expanded = expanded;
	/* the table hangs below its logon, which outlives it */
	c->session = call->session;
	c->logon = call->logon;
	c->has_aggregate = aggregate != NULL;
	if (aggregate != NULL) {
		c->aggregate = *aggregate;
	}
	c->next_bookmark = 1;
	/* 3.2.5.2: the old view, bookmarks included, is gone */
	talloc_free(t->categ);
	t->categ = c;
	return ecSuccess;
}

void emsmdb_categ_invalidate(struct emsmdb_table *t, bool rewind)
{
	if (t->categ == NULL) {
		return;
	}
	t->categ->built = false;
	if (rewind) {
		/* key 0 is the first row of any view */
		t->categ->cursor = 0;
		t->categ->cursor_key = 0;
	}
}

uint32_t emsmdb_categ_sort_hash(struct emsmdb_table *t)
{
	const struct emsmdb_categ *c = t->categ;
	uint32_t h = 2166136261u, i;

	for (i = 0; c != NULL && i < c->order_count; i++) {
		uint32_t v[2] = { c->order[i].proptag, c->order[i].order };
		const uint8_t *p = (const uint8_t *)v;
		size_t k;

		for (k = 0; k < sizeof(v); k++) {
			h = (h ^ p[k]) * 16777619u;
		}
	}
	if (c != NULL && c->has_aggregate) {
		h = (h ^ c->aggregate.proptag) * 16777619u;
		h = (h ^ (c->aggregate.maximum ? 1u : 2u)) * 16777619u;
		h = (h ^ (c->aggregate.descending ? 1u : 2u)) * 16777619u;
	}
	return c != NULL ? h ^ c->categorized : h;
}

/* FNV-1a over @data, continuing from @h */
static uint64_t fnv64(uint64_t h, const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		h = (h ^ data[i]) * 0x100000001B3ULL;
	}
	return h;
}

bool emsmdb_categ_override_find(const struct emsmdb_categ *c, uint64_t id, bool *expanded_r)
{
	uint32_t lo = 0, hi = c->override_count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->overrides[mid].id == id) {
			*expanded_r = c->overrides[mid].expanded;
			return true;
		}
		if (c->overrides[mid].id < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return false;
}

/* the column index of @tag in the read columns, appended if missing */
static uint32_t read_col(struct emsmdb_categ *c, uint32_t tag, uint32_t *index_r)
{
	uint32_t i;

	for (i = 0; i < c->read_count; i++) {
		if (c->read_cols[i] == tag) {
			*index_r = i;
			return ecSuccess;
		}
	}
	c->read_cols = talloc_realloc(c, c->read_cols, uint32_t, c->read_count + 1);
	if (c->read_cols == NULL) {
		c->read_count = 0;
		return ecMAPIOOM;
	}
	c->read_cols[c->read_count] = tag;
	*index_r = c->read_count++;
	return ecSuccess;
}

/* every leaf of the table, in sort order, with the read columns */
static uint32_t load_leaves(struct emsmdb_table *t, struct emsmdb_categ *c)
{
	uint32_t total = 0, got = 0, i, ec;
	struct mapistore_row *rows = NULL;
	int32_t moved;

	ec = emsmdb_ms_ec(mapistore_table_get_row_count(t->mt, &total));
	if (ec != ecSuccess) {
		return ec;
	}
	c->leaves = talloc_zero_array(c->data, struct categ_leaf, total + 1);
	if (c->leaves == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_ms_ec(mapistore_table_seek_row(t->mt, MAPISTORE_SEEK_BEGINNING,
						   0, &moved));
	while (ec == ecSuccess && c->leaf_count < total) {
		ec = emsmdb_ms_ec(mapistore_table_query_rows(c->data, t->mt,
							     CATEG_CHUNK, &rows, &got));
		if (ec == ecSuccess) {
			/* columns the backend lacks, as RopQueryRows has them */
			ec = emsmdb_computed_rows(c->session, c->data, c->logon, t,
						  c->read_cols, c->read_count, rows, got);
		}
		if (ec != ecSuccess || got == 0) {
			break;
		}
		for (i = 0; i < got && c->leaf_count < total; i++) {
			if (rows[i].count < c->read_count) {
				return ecError;
			}
			c->leaves[c->leaf_count].mid = rows[i].fmid;
			c->leaves[c->leaf_count].props = rows[i].props;
			c->leaf_count++;
		}
	}
	return ec;
}

static bool same_value(const struct mapistore_property *a,
		       const struct mapistore_property *b)
{
	bool ea = mapistore_property_is_error(a), eb = mapistore_property_is_error(b);
	int cmp = 0;

	if (ea || eb) {
		return ea && eb;
	}
	return mapistore_property_compare(a, b, &cmp) == MAPISTORE_SUCCESS && cmp == 0;
}

/* the header rows: one per run of equal category values, per level */
static uint32_t build_nodes(struct emsmdb_categ *c)
{
	uint32_t open[EMSMDB_CATEG_MAX_LEVELS];
	uint64_t path[EMSMDB_CATEG_MAX_LEVELS + 1];
	uint32_t i, lvl, from;

	memset(open, 0, sizeof(open));
	c->nodes = talloc_zero_array(c->data, struct categ_node,
				     (size_t)c->leaf_count * c->categorized + 1);
	if (c->nodes == NULL) {
		return ecMAPIOOM;
	}
	path[0] = 0xCBF29CE484222325ULL;
	for (i = 0; i < c->leaf_count; i++) {
		struct categ_leaf *leaf = &c->leaves[i];

		for (from = 0; i > 0 && from < c->categorized; from++) {
			uint32_t k = c->categ_index[from];

			if (!same_value(&c->leaves[i - 1].props[k], &leaf->props[k])) {
				break;
			}
		}
		leaf->opens_first = c->node_count;
		for (lvl = from; lvl < c->categorized; lvl++) {
			struct categ_node *n = &c->nodes[c->node_count];
			struct mapistore_binary enc = { 0 };
			uint8_t l = (uint8_t)lvl;
			bool ex;

			if (mapistore_property_encode(c->data,
				&leaf->props[c->categ_index[lvl]], &enc) != MAPISTORE_SUCCESS) {
				return ecError;
			}
			path[lvl + 1] = fnv64(fnv64(path[lvl], &l, 1), enc.data, enc.length);
			talloc_free(enc.data);
			/* the top bit keeps category IDs apart from MIDs */
			n->id = path[lvl + 1] | 0x8000000000000000ULL;
			n->level = lvl;
			n->parent = lvl == 0 ? NO_NODE : open[lvl - 1];
			n->first_leaf = i;
			n->expanded = emsmdb_categ_override_find(c, n->id, &ex) ? ex : lvl < c->expanded;
			n->visible = n->parent == NO_NODE ||
				(c->nodes[n->parent].visible && c->nodes[n->parent].expanded);
			open[lvl] = c->node_count++;
		}
		leaf->opens_count = c->node_count - leaf->opens_first;
		leaf->node = open[c->categorized - 1];
		for (lvl = 0; lvl < c->categorized; lvl++) {
			const struct mapistore_property *f = &leaf->props[c->flags_index];

			c->nodes[open[lvl]].leaf_count++;
			if (f->proptag == PidTagMessageFlags && !(f->value.i32 & mfRead)) {
				c->nodes[open[lvl]].unread++;
			}
		}
	}
	return ecSuccess;
}

uint64_t emsmdb_categ_node_key(const struct emsmdb_categ *c, uint32_t n)
{
	return (uint64_t)c->nodes[n].first_leaf * (c->categorized + 1u) +
	       c->nodes[n].level;
}

uint64_t emsmdb_categ_leaf_key(const struct emsmdb_categ *c, uint32_t i)
{
	return (uint64_t)i * (c->categorized + 1u) + c->categorized;
}

/* the visible rows, after any change of an expanded state */
uint32_t emsmdb_categ_build_vrows(struct emsmdb_categ *c)
{
	uint32_t i, k;

	TALLOC_FREE(c->vrows);
	c->vrow_count = 0;
	c->vrows = talloc_array(c->data, struct categ_vrow,
				c->leaf_count + c->node_count + 1);
	if (c->vrows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < c->leaf_count; i++) {
		const struct categ_leaf *leaf = &c->leaves[i];

		for (k = leaf->opens_first; k < leaf->opens_first + leaf->opens_count; k++) {
			struct categ_node *n = &c->nodes[k];

			n->visible = n->parent == NO_NODE ||
				(c->nodes[n->parent].visible && c->nodes[n->parent].expanded);
			if (n->visible) {
				c->vrows[c->vrow_count++] = (struct categ_vrow){
					emsmdb_categ_node_key(c, k), k, true };
			}
		}
		if (c->nodes[leaf->node].visible && c->nodes[leaf->node].expanded) {
			c->vrows[c->vrow_count++] = (struct categ_vrow){
				emsmdb_categ_leaf_key(c, i), i, false };
		}
	}
	return ecSuccess;
}

/* the first visible row at or after @key */
uint32_t emsmdb_categ_lower_bound(const struct emsmdb_categ *c, uint64_t key)
{
	uint32_t lo = 0, hi = c->vrow_count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->vrows[mid].key < key) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

uint32_t emsmdb_categ_refresh(struct emsmdb_table *t)
{
	struct emsmdb_categ *c = t->categ;
	uint32_t i, ec, ec2;

	if (c->built) {
		return ecSuccess;
	}
	if (t->columns == NULL) {
		return ecNullObject;
	}
	/* leaves, nodes and visible rows all live on the generation's data */
	TALLOC_FREE(c->data);
	TALLOC_FREE(c->read_cols);
	c->leaves = NULL;
	c->nodes = NULL;
	c->vrows = NULL;
	c->leaf_count = c->node_count = c->vrow_count = 0;
	c->data = talloc_new(c);
	c->read_cols = talloc_memdup(c, t->columns, t->column_count * sizeof(uint32_t));
	if (c->data == NULL || c->read_cols == NULL) {
		return ecMAPIOOM;
	}
	c->read_count = t->column_count;
	for (i = 0; i < c->categorized; i++) {
		ec = read_col(c, c->order[i].proptag, &c->categ_index[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	ec = read_col(c, PidTagMessageFlags, &c->flags_index);
	if (ec == ecSuccess && c->has_aggregate) {
		ec = read_col(c, c->aggregate.proptag, &c->aggregate_index);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	/* the table reads the wider column set for this pass only */
	ec = emsmdb_ms_ec(mapistore_table_set_columns(t->mt, c->read_cols,
						      c->read_count));
	if (ec == ecSuccess) {
		ec = load_leaves(t, c);
		ec2 = emsmdb_ms_ec(mapistore_table_set_columns(t->mt, t->columns,
							       t->column_count));
		ec = ec != ecSuccess ? ec : ec2;
	}
	if (ec == ecSuccess) {
		ec = build_nodes(c);
	}
	if (ec == ecSuccess && c->has_aggregate && c->leaf_count > 1) {
		/* whole categories move: build the headers again */
		ec = emsmdb_categ_aggregate_order(c);
		TALLOC_FREE(c->nodes);
		c->node_count = 0;
		if (ec == ecSuccess) {
			ec = build_nodes(c);
		}
	}
	if (ec == ecSuccess) {
		ec = emsmdb_categ_build_vrows(c);
	}
	if (ec != ecSuccess) {
		c->leaf_count = c->node_count = c->vrow_count = 0;
		return ec;
	}
	c->gen++;
	c->built = true;
	c->cursor = emsmdb_categ_lower_bound(c, c->cursor_key);
	return ecSuccess;
}

void emsmdb_categ_state(struct emsmdb_table *t, uint32_t *count_r,
			uint32_t *cursor_r)
{
	*count_r = t->categ->vrow_count;
	*cursor_r = t->categ->cursor;
}

void emsmdb_categ_seek(struct emsmdb_table *t, uint32_t pos)
{
	struct emsmdb_categ *c = t->categ;

	c->cursor = pos < c->vrow_count ? pos : c->vrow_count;
	c->cursor_key = c->cursor < c->vrow_count ? c->vrows[c->cursor].key : END_KEY;
}

/* a computed column of row @v, or false */
static bool computed(TALLOC_CTX *mem_ctx, const struct emsmdb_categ *c,
		     const struct categ_vrow *v, uint32_t tag,
		     struct mapistore_property *out)
{
	const struct categ_node *n = v->header ? &c->nodes[v->index] : NULL;
	uint64_t inst = n != NULL ? n->id : c->leaves[v->index].mid;
	uint8_t *key;

	out->proptag = tag;
	switch (tag) {
	case PidTagInstID:
		out->value.i64 = (int64_t)inst;
		return true;
	case PidTagInstanceNum:
		out->value.i32 = 0;
		return true;
	case PidTagRowType:
		out->value.i32 = n == NULL ? TBL_LEAF_ROW : n->expanded ?
			TBL_EXPANDED_CATEGORY : TBL_COLLAPSED_CATEGORY;
		return true;
	case PidTagDepth:
		out->value.i32 = (int32_t)(n != NULL ? n->level : c->categorized);
		return true;
	case PidTagInstanceKey:
		key = talloc_array(mem_ctx, uint8_t, 8);
		if (key == NULL) {
			*out = mapistore_property_not_found(tag);
			return true;
		}
		memcpy(key, &inst, 8);
		out->value.bin.data = key;
		out->value.bin.length = 8;
		return true;
	case PidTagContentCount:
	case PidTagContentUnreadCount:
		if (n == NULL) {
			return false;
		}
		out->value.i32 = (int32_t)(tag == PidTagContentCount ? n->leaf_count :
									n->unread);
		return true;
	default:
		return false;
	}
}

uint32_t emsmdb_categ_row_props(TALLOC_CTX *mem_ctx, struct emsmdb_table *t,
				uint32_t index, const uint32_t *tags,
				uint32_t count, struct mapistore_property **props_r)
{
	const struct emsmdb_categ *c = t->categ;
	const struct categ_vrow *v;
	struct mapistore_property *props;
	uint32_t i, lvl;
	int k;

	if (index >= c->vrow_count) {
		return ecInvalidParam;
	}
	v = &c->vrows[index];
	props = talloc_array(mem_ctx, struct mapistore_property, count + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		if (computed(mem_ctx, c, v, tags[i], &props[i])) {
			continue;
		}
		props[i] = mapistore_property_not_found(tags[i]);
		if (!v->header) {
			k = mapistore_properties_find(c->leaves[v->index].props,
						      c->read_count, tags[i]);
			if (k >= 0) {
				props[i] = c->leaves[v->index].props[k];
			}
			continue;
		}
		/* a header row carries the values of its category path */
		for (lvl = 0; lvl <= c->nodes[v->index].level; lvl++) {
			const struct mapistore_property *p = &c->leaves[
				c->nodes[v->index].first_leaf].props[c->categ_index[lvl]];

			if ((c->order[lvl].proptag >> 16) == (tags[i] >> 16) &&
			    !mapistore_property_is_error(p)) {
				props[i] = *p;
			}
		}
	}
	*props_r = props;
	return ecSuccess;
}

/*
 * [MS-OXCTABL] the ROPs of categorized tables on the view that
 * oxctabl_categ.c builds: bookmarks, RopExpandRow (2.2.2.17),
 * RopCollapseRow (2.2.2.18), RopGetCollapseState (2.2.2.19),
 * RopSetCollapseState (2.2.2.20). doc/emsmdb-tables.md.
 */
#include "oxctabl_categ_private.h"

#include <stdlib.h>
#include <string.h>

/* ---- bookmarks ---- */

/* PidTagInstID and kind of visible row @pos */
static void vrow_identity(const struct emsmdb_categ *c, uint32_t pos,
			  uint64_t *inst_r, bool *header_r)
{
	const struct categ_vrow *v = &c->vrows[pos];

	*header_r = v->header;
	*inst_r = v->header ? c->nodes[v->index].id : c->leaves[v->index].mid;
}

/* the key of the row named (@inst, @header) in this generation */
static bool find_key(const struct emsmdb_categ *c, uint64_t inst, bool header,
		     uint64_t *key_r)
{
	uint32_t i;

	for (i = 0; header && i < c->node_count; i++) {
		if (c->nodes[i].id == inst) {
			*key_r = emsmdb_categ_node_key(c, i);
			return true;
		}
	}
	for (i = 0; !header && i < c->leaf_count; i++) {
		if (c->leaves[i].mid == inst) {
			*key_r = emsmdb_categ_leaf_key(c, i);
			return true;
		}
	}
	return false;
}

static uint32_t bookmark_add(struct emsmdb_categ *c, uint64_t key, uint64_t inst,
			     bool header, uint32_t *id_r)
{
	struct categ_bookmark *grown;

	if (c->bookmark_count >= CATEG_MAX_BOOKMARKS) {
		return ecTooBig;
	}
	grown = talloc_realloc(c, c->bookmarks, struct categ_bookmark,
			       c->bookmark_count + 1);
	if (grown == NULL) {
		return ecMAPIOOM;
	}
	c->bookmarks = grown;
	grown[c->bookmark_count] = (struct categ_bookmark){
		.id = c->next_bookmark++, .key = key, .inst = inst,
		.header = header, .gen = c->gen };
	*id_r = grown[c->bookmark_count++].id;
	return ecSuccess;
}

uint32_t emsmdb_categ_bookmark_create(struct emsmdb_table *t, uint32_t *id_r)
{
	struct emsmdb_categ *c = t->categ;
	uint64_t inst = 0;
	bool header = false;
	uint32_t ec = emsmdb_categ_refresh(t);

	if (ec != ecSuccess) {
		return ec;
	}
	if (c->cursor >= c->vrow_count) {
		return bookmark_add(c, END_KEY, 0, false, id_r);
	}
	vrow_identity(c, c->cursor, &inst, &header);
	return bookmark_add(c, c->vrows[c->cursor].key, inst, header, id_r);
}

uint32_t emsmdb_categ_bookmark_find(struct emsmdb_table *t, uint32_t id,
				    uint32_t *pos_r, bool *gone_r)
{
	struct emsmdb_categ *c = t->categ;
	struct categ_bookmark *bm = NULL;
	uint32_t i, ec = emsmdb_categ_refresh(t);

	if (ec != ecSuccess) {
		return ec;
	}
	for (i = 0; i < c->bookmark_count; i++) {
		if (c->bookmarks[i].id == id) {
			bm = &c->bookmarks[i];
		}
	}
	if (bm == NULL) {
		return ecInvalidBookmark;
	}
	*gone_r = bm->lost;
	if (!bm->lost && bm->key != END_KEY && bm->gen != c->gen) {
		/* the view was rebuilt: find the row again (O(n)) */
		*gone_r = !find_key(c, bm->inst, bm->header, &bm->key);
		bm->gen = c->gen;
	}
	*pos_r = emsmdb_categ_lower_bound(c, bm->key);
	if (bm->key != END_KEY &&
	    (*pos_r >= c->vrow_count || c->vrows[*pos_r].key != bm->key)) {
		/* 3.2.5.11: hidden (collapsed) or gone: the next row */
		*gone_r = true;
	}
	return ecSuccess;
}

uint32_t emsmdb_categ_bookmark_free(struct emsmdb_table *t, uint32_t id)
{
	struct emsmdb_categ *c = t->categ;
	uint32_t i;

	for (i = 0; i < c->bookmark_count; i++) {
		if (c->bookmarks[i].id == id) {
			memmove(&c->bookmarks[i], &c->bookmarks[i + 1],
				sizeof(c->bookmarks[0]) * (c->bookmark_count - i - 1));
			c->bookmark_count--;
			return ecSuccess;
		}
	}
	return ecInvalidBookmark;
}

/* ---- expand / collapse ---- */

static struct emsmdb_table *categ_table(struct emsmdb_rop_call *call)
{
	struct emsmdb_table *t = talloc_get_type(call->in->private_data,
						 struct emsmdb_table);

	return t != NULL && t->categ != NULL ? t : NULL;
}

/* record @id's state where it differs from its level's initial one */
static uint32_t override_set(struct emsmdb_categ *c, uint64_t id, uint32_t level,
			     bool expanded)
{
	bool initial = level < c->expanded;
	uint32_t lo = 0, hi = c->override_count;
	struct categ_override *grown;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->overrides[mid].id < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo < c->override_count && c->overrides[lo].id == id) {
		if (expanded == initial) {
			memmove(&c->overrides[lo], &c->overrides[lo + 1],
				sizeof(c->overrides[0]) * (c->override_count - lo - 1));
			c->override_count--;
		} else {
			c->overrides[lo].expanded = expanded;
		}
		return ecSuccess;
	}
	if (expanded == initial) {
		return ecSuccess;
	}
	grown = talloc_realloc(c, c->overrides, struct categ_override,
			       c->override_count + 1);
	if (grown == NULL) {
		return ecMAPIOOM;
	}
	c->overrides = grown;
	memmove(&grown[lo + 1], &grown[lo], sizeof(grown[0]) * (c->override_count - lo));
	grown[lo] = (struct categ_override){ id, expanded };
	c->override_count++;
	return ecSuccess;
}

/* the header row of category @id: O(number of categories) */
static uint32_t node_by_id(const struct emsmdb_categ *c, uint64_t id)
{
	uint32_t i;

	for (i = 0; i < c->node_count; i++) {
		if (c->nodes[i].id == id) {
			return i;
		}
	}
	return NO_NODE;
}

/* change category @n's state; the cursor stays on its row (or the next
 * visible one when its row is hidden) */
static uint32_t categ_toggle(struct emsmdb_categ *c, uint32_t n, bool expanded)
{
	uint64_t cursor_key = c->cursor < c->vrow_count ? c->vrows[c->cursor].key :
							  END_KEY;
	uint32_t ec = override_set(c, c->nodes[n].id, c->nodes[n].level, expanded);

	if (ec != ecSuccess) {
		return ec;
	}
	c->nodes[n].expanded = expanded;
	ec = emsmdb_categ_build_vrows(c);
	if (ec != ecSuccess) {
		return ec;
	}
	c->cursor = emsmdb_categ_lower_bound(c, cursor_key);
	c->cursor_key = cursor_key;
	return ecSuccess;
}

/*
 * [MS-OXCTABL] 2.2.2.17 RopExpandRow: ExpandedRowCount is the number of
 * rows that became visible, RowData the first MaxRowCount of them that
 * fit the response. Expanding an expanded category is ecNotCollapsed.
 */
uint32_t oxctabl_RopExpandRow(struct emsmdb_rop_call *call)
{
	const struct RopExpandRow_req *req = &call->req->u.RopExpandRow;
	struct RopExpandRow_resp *resp = &call->resp->u.RopExpandRow;
	struct emsmdb_table *t = categ_table(call);
	struct PropertyRow *rows = NULL;
	struct emsmdb_categ *c;
	uint32_t n, before, head, want, got = 0, used = 0, ec;
	/* RopId, index, ReturnValue, ExpandedRowCount, RowCount */
	size_t room = call->space > 12 ? call->space - 12 : 0;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_categ_refresh(t);
	if (ec != ecSuccess) {
		return ec;
	}
	c = t->categ;
	n = node_by_id(c, req->CategoryId);
	if (n == NO_NODE) {
		return ecNotFound;
	}
	if (c->nodes[n].expanded) {
		return ecNotCollapsed;
	}
	before = c->vrow_count;
	ec = categ_toggle(c, n, true);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->ExpandedRowCount = c->vrow_count - before;
	want = req->MaxRowCount < resp->ExpandedRowCount ? req->MaxRowCount :
							   resp->ExpandedRowCount;
	resp->RowCount = 0;
	if (want == 0) {
		return ecSuccess;
	}
	head = emsmdb_categ_lower_bound(c, emsmdb_categ_node_key(c, n));
	ec = oxctabl_view_rows(call, t, head + 1, want, &rows, &got);
	if (ec != ecSuccess) {
		return ec;
	}
	while (used < got) {
		size_t size = oxctabl_row_size(call->mem_ctx, &rows[used]);

		if (size > room) {
			break;
		}
		room -= size;
		used++;
	}
	resp->RowCount = (uint16_t)used;
	resp->RowData = rows;
	call->columns = t->columns;
	call->column_count = t->column_count;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.18 RopCollapseRow: CollapsedRowCount rows hidden */
uint32_t oxctabl_RopCollapseRow(struct emsmdb_rop_call *call)
{
	const struct RopCollapseRow_req *req = &call->req->u.RopCollapseRow;
	struct emsmdb_table *t = categ_table(call);
	struct emsmdb_categ *c;
	uint32_t n, before, ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_categ_refresh(t);
	if (ec != ecSuccess) {
		return ec;
	}
	c = t->categ;
	n = node_by_id(c, req->CategoryId);
	if (n == NO_NODE) {
		return ecNotFound;
	}
	if (!c->nodes[n].expanded) {
		return ecNotExpanded;
	}
	before = c->vrow_count;
	ec = categ_toggle(c, n, false);
	if (ec != ecSuccess) {
		return ec;
	}
	call->resp->u.RopCollapseRow.CollapsedRowCount = before - c->vrow_count;
	return ecSuccess;
}

/*
 * [MS-OXCTABL] 2.2.2.19 RopGetCollapseState: the categories whose state
 * is not their level's initial one, and the row (RowId = PidTagInstID,
 * RowInstanceNumber) a later RopSetCollapseState bookmarks.
 */
uint32_t oxctabl_RopGetCollapseState(struct emsmdb_rop_call *call)
{
	const struct RopGetCollapseState_req *req = &call->req->u.RopGetCollapseState;
	struct RopGetCollapseState_resp *resp = &call->resp->u.RopGetCollapseState;
	struct emsmdb_table *t = categ_table(call);
	struct emsmdb_collapse_state st = { 0 };
	struct emsmdb_categ *c;
	uint32_t i, ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_categ_refresh(t);
	if (ec != ecSuccess) {
		return ec;
	}
	c = t->categ;
	if (c->override_count > EMSMDB_COLLAPSE_MAX_ENTRIES) {
		return ecTooBig;
	}
	st.categorized = c->categorized;
	st.expanded = c->expanded;
	st.sort_hash = emsmdb_categ_sort_hash(t);
	st.row_id = req->RowId;
	st.row_instance = req->RowInstanceNumber;
	st.count = c->override_count;
	st.ids = talloc_array(call->mem_ctx, uint64_t, st.count + 1);
	st.is_expanded = talloc_array(call->mem_ctx, uint8_t, st.count + 1);
	if (st.ids == NULL || st.is_expanded == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < st.count; i++) {
		st.ids[i] = c->overrides[i].id;
		st.is_expanded[i] = c->overrides[i].expanded;
	}
	return emsmdb_collapse_state_push(call->mem_ctx, &st, &resp->CollapseState,
					  &resp->CollapseStateSize);
}

static int override_cmp(const void *a, const void *b)
{
	const struct categ_override *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * [MS-OXCTABL] 2.2.2.20 RopSetCollapseState: the blob's states replace
 * the table's (same sort required, else ecInvalidParam), and the
 * response bookmarks the row the state was taken at.
 */
uint32_t oxctabl_RopSetCollapseState(struct emsmdb_rop_call *call)
{
	const struct RopSetCollapseState_req *req = &call->req->u.RopSetCollapseState;
	struct RopSetCollapseState_resp *resp = &call->resp->u.RopSetCollapseState;
	struct emsmdb_table *t = categ_table(call);
	struct emsmdb_collapse_state *st = NULL;
	struct categ_override *ov;
	struct emsmdb_categ *c;
	uint64_t key = END_KEY, cursor_key;
	uint32_t i, n, id = 0, ec;
	bool found;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_collapse_state_parse(call->mem_ctx, req->CollapseState,
					 req->CollapseStateSize, &st);
	if (ec == ecSuccess) {
		ec = emsmdb_categ_refresh(t);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	c = t->categ;
	if (st->categorized != c->categorized || st->expanded != c->expanded ||
	    st->sort_hash != emsmdb_categ_sort_hash(t)) {
		return ecInvalidParam;
	}
	ov = talloc_array(c, struct categ_override, st->count + 1);
	if (ov == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < st->count; i++) {
		ov[i] = (struct categ_override){ st->ids[i], st->is_expanded[i] != 0 };
	}
	/* sorted; an ID twice is a malformed blob. Unknown IDs are kept:
	 * their categories may come back */
	qsort(ov, st->count, sizeof(ov[0]), override_cmp);
	for (i = 1; i < st->count; i++) {
		if (ov[i - 1].id == ov[i].id) {
			talloc_free(ov);
			return ecInvalidParam;
		}
	}
	TALLOC_FREE(c->overrides);
	c->overrides = ov;
	c->override_count = st->count;
	for (n = 0; n < c->node_count; n++) {
		bool ex;

		c->nodes[n].expanded = emsmdb_categ_override_find(c, c->nodes[n].id, &ex) ? ex :
				       c->nodes[n].level < c->expanded;
	}
	cursor_key = c->cursor < c->vrow_count ? c->vrows[c->cursor].key : END_KEY;
	ec = emsmdb_categ_build_vrows(c);
	if (ec != ecSuccess) {
		return ec;
	}
	c->cursor = emsmdb_categ_lower_bound(c, cursor_key);
	found = find_key(c, st->row_id, true, &key) ||
		find_key(c, st->row_id, false, &key);
	ec = bookmark_add(c, found ? key : 0, st->row_id,
			  found && node_by_id(c, st->row_id) != NO_NODE, &id);
	if (ec != ecSuccess) {
		return ec;
	}
	/* 2.2.2.20: taken on another table, the bookmark names nothing */
	c->bookmarks[c->bookmark_count - 1].lost = !found;
	resp->Bookmark = talloc_memdup(call->mem_ctx, &id, 4);
	if (resp->Bookmark == NULL) {
		return ecMAPIOOM;
	}
	resp->BookmarkSize = 4;
	return ecSuccess;
}

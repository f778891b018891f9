/*
 * [MS-OXCTABL] table ROPs beyond the flat cursor: RopFindRow,
 * RopSeekRowFractional, backward RopQueryRows, and categorized tables
 * (RopSortTable with CategorizedCount, RopExpandRow, RopCollapseRow,
 * RopGetCollapseState, RopSetCollapseState). doc/emsmdb-tables.md has the
 * model and the cost of each operation. Internal to server_module/emsmdb.
 *
 * Every table ROP sees one "view" of a table: a sequence of rows with a
 * cursor (0 .. count, count = after the last row). A flat table's view is
 * the mapistore table (or an openchangedb hierarchy's FID list); a
 * categorized table's view is the visible rows of its emsmdb_categ.
 */
#ifndef OXCTABL_EXT_H
#define OXCTABL_EXT_H

#include "emsmdb_oxc.h"

/* [MS-OXCTABL] 2.2.2.1.1 Origin values */
#define BOOKMARK_BEGINNING 0x00
#define BOOKMARK_CURRENT 0x01
#define BOOKMARK_END 0x02
/* [MS-OXCTABL] 2.2.2.14.1 Origin of RopFindRow: the Bookmark field names it */
#define BOOKMARK_CUSTOM 0x03
/* [MS-OXCTABL] 2.2.2.14.1 FindRowFlags */
#define FindRowFlags_Backward 0x01

/* [MS-OXCDATA] 2.4.1 / 2.4.2 codes of the table ROPs */
#define ecInvalidBookmark 0x80040405
#define ecNotExpanded 0x000004F7
#define ecNotCollapsed 0x000004F8
#define ecTooBig 0x80040305

/* [MS-OXPROPS] columns the categorized view computes */
#define PidTagRowType			0x0FF50003
#define PidTagDepth			0x30050003
#define PidTagInstanceKey		0x0FF60102
/* [MS-OXCTABL] 2.2.1.2 PidTagRowType values */
#define TBL_LEAF_ROW 0x00000001
#define TBL_EMPTY_CATEGORY 0x00000002
#define TBL_EXPANDED_CATEGORY 0x00000003
#define TBL_COLLAPSED_CATEGORY 0x00000004

/* ---- handlers ---- */

/* oxctabl_find.c */
uint32_t oxctabl_RopFindRow(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopSeekRowFractional(struct emsmdb_rop_call *call);
/* oxctabl_categ.c */
uint32_t oxctabl_RopExpandRow(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopCollapseRow(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopGetCollapseState(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopSetCollapseState(struct emsmdb_rop_call *call);

/* ---- the table's view (oxctabl.c) ---- */

/**
 * Row count and cursor of @t's view (categorized view built first if
 * needed). @return 0 or the MAPI error.
 */
uint32_t oxctabl_view_state(struct emsmdb_table *t, uint32_t *count_r,
			    uint32_t *cursor_r);

/** Move @t's cursor to @pos (clamped to the row count). */
uint32_t oxctabl_view_seek(struct emsmdb_table *t, uint32_t pos);

/**
 * Rows [@start, @start + @n) of @t's view in the table's columns, as
 * PropertyRows on @mem_ctx (*got_r may be less than @n at the end). The
 * cursor is left undefined: callers seek afterwards.
 */
uint32_t oxctabl_view_rows(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			   uint32_t start, uint32_t n, struct PropertyRow **rows_r,
			   uint32_t *got_r);

/** Encoded size of @row (SIZE_MAX if it cannot be encoded). */
size_t oxctabl_row_size(TALLOC_CTX *mem_ctx, const struct PropertyRow *row);

/* ---- categorized view (oxctabl_categ.c) ---- */

/** Most category columns (and so PidTagDepth values) accepted. */
#define EMSMDB_CATEG_MAX_LEVELS 16

/**
 * A TABLE_SORT_MAXIMUM_CATEGORY / MINIMUM_CATEGORY sort order
 * ([MS-OXCDATA] 2.13.1): the deepest categories are ordered (among their
 * siblings) by the largest / smallest value of @proptag in their rows.
 */
struct emsmdb_categ_aggregate {
	uint32_t proptag;
	bool maximum;		/* else the minimum */
	bool descending;	/* the categories' order */
};

/**
 * Make @t categorized by the first @categorized of the @count sort orders
 * @order ([MS-OXCTABL] 3.2.5.2), @expanded levels initially expanded,
 * by @call (whose session and logon compute columns the backend lacks),
 * the deepest categories ordered by @aggregate (NULL: by their values).
 * The view is built lazily (needs the columns). Replaces any previous
 * categorization; the caller has validated the counts.
 */
uint32_t emsmdb_categ_set(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			  const struct mapistore_sort_order *order, uint16_t count,
			  uint16_t categorized, uint16_t expanded,
			  const struct emsmdb_categ_aggregate *aggregate);

/**
 * The view must be rebuilt (columns or restriction changed); @rewind
 * moves the cursor to the beginning (RopRestrict, 3.2.5.3).
 */
void emsmdb_categ_invalidate(struct emsmdb_table *t, bool rewind);

/** Build (or rebuild) the view if needed. ecNullObject without columns. */
uint32_t emsmdb_categ_refresh(struct emsmdb_table *t);

/** Count / cursor / seek / rows of the view (see oxctabl_view_*). */
void emsmdb_categ_state(struct emsmdb_table *t, uint32_t *count_r,
			uint32_t *cursor_r);
void emsmdb_categ_seek(struct emsmdb_table *t, uint32_t pos);
/**
 * The visible row @index as properties for @tags (the table's columns
 * plus any the caller needs, e.g. a restriction's); @count values on
 * @mem_ctx, missing ones as PtypErrorCode ecNotFound.
 */
uint32_t emsmdb_categ_row_props(TALLOC_CTX *mem_ctx, struct emsmdb_table *t,
				uint32_t index, const uint32_t *tags,
				uint32_t count, struct mapistore_property **props_r);

/** Hash of the categorization (sort orders and counts) of @t. */
uint32_t emsmdb_categ_sort_hash(struct emsmdb_table *t);

/** Bookmarks of the categorized view (RopCreateBookmark & co.). */
uint32_t emsmdb_categ_bookmark_create(struct emsmdb_table *t, uint32_t *id_r);
/**
 * Position of bookmark @id: the row it names, or the next visible row
 * (*gone_r true) when that row is hidden or gone. ecInvalidBookmark for
 * an unknown bookmark.
 */
uint32_t emsmdb_categ_bookmark_find(struct emsmdb_table *t, uint32_t id,
				    uint32_t *pos_r, bool *gone_r);
uint32_t emsmdb_categ_bookmark_free(struct emsmdb_table *t, uint32_t id);

/* ---- the collapse-state blob (oxctabl_categ_state.c) ---- */

/** Most category entries one collapse state carries. */
#define EMSMDB_COLLAPSE_MAX_ENTRIES 4096

/**
 * A collapse state ([MS-OXCTABL] 2.2.2.19 / 2.2.2.20; the format is ours,
 * doc/emsmdb-tables.md): the categorization it was taken on, the row it
 * was taken at, and the categories whose state differs from the initial
 * one of their level.
 */
struct emsmdb_collapse_state {
	uint16_t categorized;
	uint16_t expanded;
	uint32_t sort_hash;	/* of the sort orders: a state fits one sort */
	uint64_t row_id;
	uint32_t row_instance;
	uint32_t count;
	uint64_t *ids;		/* category IDs (PidTagInstID of header rows) */
	uint8_t *is_expanded;	/* 0 collapsed, 1 expanded; same length */
};

/**
 * Parse a collapse-state blob from the wire. Every length is checked
 * against @size before use; the result is allocated on @mem_ctx.
 * @return 0, ecInvalidParam for anything malformed (bad magic, version,
 * counts, trailing bytes), ecMAPIOOM.
 */
uint32_t emsmdb_collapse_state_parse(TALLOC_CTX *mem_ctx, const uint8_t *data,
				     size_t size,
				     struct emsmdb_collapse_state **state_r);

/**
 * Encode @state (at most EMSMDB_COLLAPSE_MAX_ENTRIES entries, so the blob
 * fits a uint16_t size) on @mem_ctx. @return 0, ecInvalidParam, ecMAPIOOM.
 */
uint32_t emsmdb_collapse_state_push(TALLOC_CTX *mem_ctx,
				    const struct emsmdb_collapse_state *state,
				    uint8_t **data_r, uint16_t *size_r);

#endif /* OXCTABL_EXT_H */

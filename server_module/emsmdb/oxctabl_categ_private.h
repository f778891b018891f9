/*
 * The categorized view's internals (oxctabl_categ.c builds it,
 * oxctabl_categ_rops.c runs the ROPs on it; doc/emsmdb-tables.md).
 * Internal to those two files.
 */
#ifndef OXCTABL_CATEG_PRIVATE_H
#define OXCTABL_CATEG_PRIVATE_H

#include "oxctabl_ext.h"

#define NO_NODE UINT32_MAX
#define END_KEY UINT64_MAX
#define CATEG_CHUNK 1000
/* bookmarks per categorized table */
#define CATEG_MAX_BOOKMARKS 4096
/* [MS-OXCMSG] 2.2.1.6 mfRead */
#define mfRead 0x00000001

struct categ_leaf {
	uint64_t mid;
	struct mapistore_property *props;	/* c->read_cols, in order */
	uint32_t opens_first, opens_count;	/* nodes opened at this leaf */
	uint32_t node;				/* its deepest category */
};

struct categ_node {
	uint64_t id;
	uint32_t level, parent, first_leaf, leaf_count, unread;
	bool expanded, visible;
};

struct categ_vrow {
	uint64_t key;
	uint32_t index;		/* into nodes or leaves */
	bool header;
};

struct categ_override {
	uint64_t id;
	bool expanded;
};

struct categ_bookmark {
	uint32_t id;
	uint64_t key;		/* in generation gen */
	uint64_t inst;		/* PidTagInstID of the row, to find it again */
	bool header;
	bool lost;		/* names no row of this table (collapse state) */
	uint32_t gen;
};

struct emsmdb_categ {
	struct emsmdb_session *session;		/* for computed columns */
	struct emsmdb_object *logon;
	struct mapistore_sort_order *order;
	uint16_t order_count, categorized, expanded;
	bool has_aggregate;
	struct emsmdb_categ_aggregate aggregate;
	uint32_t *read_cols, read_count;
	uint32_t categ_index[EMSMDB_CATEG_MAX_LEVELS], flags_index, aggregate_index;
	bool built;
	uint32_t gen;
	TALLOC_CTX *data;	/* leaves, nodes, vrows of this generation */
	struct categ_leaf *leaves;
	uint32_t leaf_count;
	struct categ_node *nodes;
	uint32_t node_count;
	struct categ_vrow *vrows;
	uint32_t vrow_count;
	uint32_t cursor;
	uint64_t cursor_key;	/* kept across rebuilds */
	struct categ_override *overrides;	/* sorted by id */
	uint32_t override_count;
	struct categ_bookmark *bookmarks;
	uint32_t bookmark_count, next_bookmark;
};

/** The initial-state override of category @id, if any (binary search). */
bool emsmdb_categ_override_find(const struct emsmdb_categ *c, uint64_t id,
				bool *expanded_r);

/** Keys of header row @n / leaf @i in the fully expanded order. */
uint64_t emsmdb_categ_node_key(const struct emsmdb_categ *c, uint32_t n);
uint64_t emsmdb_categ_leaf_key(const struct emsmdb_categ *c, uint32_t i);

/** Recompute the visible rows from the expanded states (O(n)). */
uint32_t emsmdb_categ_build_vrows(struct emsmdb_categ *c);

/**
 * Reorder the leaves so that the deepest categories follow their
 * aggregate (c->aggregate) among their siblings; c->nodes must describe
 * the current leaves, and are stale afterwards (oxctabl_categ_aggregate.c).
 */
uint32_t emsmdb_categ_aggregate_order(struct emsmdb_categ *c);

/** The first visible row at or after @key (O(log v)). */
uint32_t emsmdb_categ_lower_bound(const struct emsmdb_categ *c, uint64_t key);

#endif /* OXCTABL_CATEG_PRIVATE_H */

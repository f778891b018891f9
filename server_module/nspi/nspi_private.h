/*
 * NSPI handlers ([MS-OXNSPI] 3.1.4.1) on Samba's sam.ldb: internal header.
 *
 *   nspi_iface.c     the operation table, the interface definition and the
 *                    decision on impacket's off-spec stubs (doc/nspi.md)
 *   nspi_session.c   NspiBind / NspiUnbind, context handles, the session
 *   nspi_dir_*.c     everything that touches sam.ldb: runs on the event
 *                    loop through mp_loop_call, one bounded piece at a time
 *                    (internals in nspi_dir_private.h); the fuzz harness
 *                    replaces them with fuzz/nspi_dir_fake*.c
 *   nspi_restrict.c  Restriction_r -> ldb parse tree (no string filters)
 *   nspi_wire.c      model values -> PropertyValue_r / rows, code pages
 *   nspi_ops_*.c     the handlers, one file per group of operations
 *                    (templates: nspi_ops_template.c over nspi_template.h)
 *
 * Threading: a session is used by one call at a time (calls of a
 * connection are serialized by the dispatcher, and a handle belongs to one
 * connection). Fields marked LOOP are only touched inside mp_loop_call.
 */
#ifndef NSPI_PRIVATE_H
#define NSPI_PRIVATE_H

#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "nspi_model.h"

#include <ldb.h>

#include "exchange_nsp.h"
#include "ndr_exchange_nsp.h"

#define NSPI_HANDLE_TYPE	1

/** One address book container: the GAL (index 0) or an address list. */
struct nspi_container {
	uint32_t mid;		/* container ID; 0 for the GAL */
	uint8_t guid[16];
	const char *ldb_dn;	/* NULL for the GAL */
	const char *name;	/* UTF-8 display name */
	const char *x500;	/* DN in entry IDs: "/" or "/guid=<hex>" */
	uint32_t depth;
	int32_t parent;		/* index of the parent, -1 at the top */
	uint32_t flags;		/* PidTagContainerFlags */
	const char *filter;	/* purportedSearch, or NULL */
	struct nspi_table *table;	/* rows, built on first use */
};

struct nspi_session {
	/* the bound user's session_info, the session's own copy: samdb keeps
	 * a pointer to it (and Samba's ldb_wrap cache keys on that pointer),
	 * so it must live exactly as long as samdb (nspi_session.c) */
	struct auth_session_info *session_info;
	/* LOOP: the directory opened as the bound user */
	struct ldb_context *samdb;
	const char *base_dn;		/* default naming context */
	const char *config_dn;
	uint8_t server_guid[16];	/* NTDS Settings objectGUID */
	uint32_t codepage;		/* from NspiBind's STAT */
	struct nspi_mids *mids;
	struct nspi_container *containers;
	uint32_t n_containers;
	uint32_t hierarchy_version;
};

/* ---- nspi_session.c --------------------------------------------------- */

/**
 * The session of @handle for this call, or NULL (the caller answers with a
 * fault: an invalid or foreign handle is a protocol error).
 */
struct nspi_session *nspi_session_lookup(struct mp_call *call,
					 const struct policy_handle *handle);

NTSTATUS nspi_op_NspiBind(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiUnbind(struct mp_call *call, void *r);

/* ---- nspi_dir_*.c: directory access (each call is one loop piece) ----- */

/** An object read from the directory. */
struct nspi_entry {
	uint32_t mid;
	struct ldb_message *msg;	/* NULL: not found / not readable */
	enum nspi_object_kind kind;
	const char *legacy_dn;
	/* X500 DNs of the DN-valued attributes asked for (manager, homeMDB) */
	const char **x500_from;
	const char **x500_to;
	uint32_t n_x500;
};

/**
 * Load the address book hierarchy (GAL + address lists under
 * "All Address Lists") into @s->containers if not yet done.
 */
uint32_t nspi_dir_load_containers(struct nspi_session *s);

/** The container with ID @container_id, or NULL. */
struct nspi_container *nspi_container_find(struct nspi_session *s,
					   uint32_t container_id);

/**
 * The rows of @c sorted for @sort_locale, built (page by page on the loop)
 * and sorted (on the worker) on first use.
 * @return NSPI_Success or an NSPI error code.
 */
uint32_t nspi_dir_table(struct nspi_session *s, struct nspi_container *c,
			uint32_t sort_locale, struct nspi_table **table_r);

/**
 * Read the objects @mids (count @n) with the attributes needed for @tags.
 * @return an array of @n entries on @mem_ctx (msg NULL for unknown MIds).
 */
struct nspi_entry *nspi_dir_fetch(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				  const uint32_t *mids, uint32_t n,
				  const uint32_t *tags, uint32_t n_tags);

/**
 * Search the address book objects of container @c (NULL: the GAL) that
 * match @tree (NULL: all), at most @limit. Found objects get MIds.
 * @return NSPI_Success, with *mids_r (on @mem_ctx) / *n_r and *total_r
 * (how many matched, counted up to @limit + 1).
 */
uint32_t nspi_dir_search(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			 struct nspi_container *c, struct ldb_parse_tree *tree,
			 uint32_t limit, uint32_t **mids_r, uint32_t *n_r,
			 uint32_t *total_r);

/**
 * The MId of the object with X500 DN @dn (legacyExchangeDN, the "/o=NT5"
 * form or an address list's "/guid=" form), 0 if none is visible.
 */
uint32_t nspi_dir_dn_to_mid(struct nspi_session *s, const char *dn);

/**
 * The MIds of the objects linked from @mid by the link attribute of
 * @proptag (member, directReports, memberOf, manager, publicDelegates) that
 * are in the address book, at most @limit.
 */
uint32_t nspi_dir_links(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			uint32_t mid, uint32_t proptag, uint32_t limit,
			uint32_t **mids_r, uint32_t *n_r);

/**
 * Change attributes of @mid as the bound user (AD's ACLs decide).
 * @mods: an ldb message with the DN filled in by this function.
 * @return NSPI_Success, NSPI_AccessDenied, NSPI_NotFound, ...
 */
uint32_t nspi_dir_modify(struct nspi_session *s, uint32_t mid,
			 struct ldb_message *mods);

/** The ldb DN (linearized) of @mid, on @mem_ctx, or NULL. */
const char *nspi_dir_mid_dn(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			    uint32_t mid);

/* ---- nspi_restrict.c ---------------------------------------------------- */

/**
 * Translate @res ([MS-OXNSPI] 2.2.2.26) into an ldb parse tree on
 * @mem_ctx. Values are copied into the tree as values, never into filter
 * text, so nothing a client sends is parsed as LDAP syntax.
 * @return NSPI_Success; NSPI_TooComplex for nesting or size beyond the
 * limits or a restriction type/property that cannot be searched;
 * NSPI_InvalidParameter for malformed input.
 */
uint32_t nspi_restriction_to_tree(TALLOC_CTX *mem_ctx, uint32_t codepage,
				  const struct Restriction_r *res,
				  struct ldb_parse_tree **tree_r);

/** An equality/ANR tree for one client string (ANR, [MS-OXNSPI] 3.1.4.7). */
struct ldb_parse_tree *nspi_tree_anr(TALLOC_CTX *mem_ctx, const char *utf8);

/* ---- nspi_wire.c -------------------------------------------------------- */

/**
 * Check a client's property tag array: NULL is allowed (defaults), a
 * count beyond NSPI_MAX_PROPTAGS is not.
 */
bool nspi_proptags_ok(const struct PropertyTagArray_r *tags);

/** A PropertyTagArray_r on @mem_ctx holding @n values. */
struct PropertyTagArray_r *nspi_proptag_array(TALLOC_CTX *mem_ctx,
					      const uint32_t *values,
					      uint32_t n);

/**
 * Fill @row with the columns @tags of @e ([MS-OXNSPI] 3.1.4.1.7/8 rules:
 * a missing value is PtypErrorCode NotFound; strings in the type asked
 * for, 8-bit ones in @codepage).
 * @return true if every column had a value.
 */
bool nspi_row_fill(TALLOC_CTX *mem_ctx, struct nspi_session *s,
		   const struct nspi_entry *e, uint32_t container_id,
		   bool ephemeral, uint32_t codepage, const uint32_t *tags,
		   uint32_t n_tags, struct PropertyRow_r *row);

/** Set @pv to a string in the type of @tag (String8 in @codepage). */
bool nspi_value_string(TALLOC_CTX *mem_ctx, uint32_t tag, uint32_t codepage,
		       const char *utf8, struct PropertyValue_r *pv);

/** Convert a client string value (String8 in @codepage or Unicode) to UTF-8. */
const char *nspi_value_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			       const struct PropertyValue_r *pv);

/**
 * Rows for @mids: fetch and fill. Unknown MIds give rows of NotFound
 * errors. @return NSPI_Success or NSPI_NotEnoughMemory.
 */
uint32_t nspi_rows_for_mids(TALLOC_CTX *mem_ctx, struct nspi_session *s,
			    const uint32_t *mids, uint32_t n,
			    uint32_t container_id, bool ephemeral,
			    uint32_t codepage, const uint32_t *tags,
			    uint32_t n_tags, struct PropertyRowSet_r **rows_r);

/** The default columns of NspiQueryRows/ResolveNames when none are asked. */
extern const uint32_t nspi_default_columns[];
extern const uint32_t nspi_n_default_columns;

/** STAT <-> model STAT */
void nspi_stat_in(const struct STAT *w, struct nspi_stat *m);
void nspi_stat_out(const struct nspi_stat *m, struct STAT *w);

/* ---- handlers ----------------------------------------------------------- */
/* nspi_ops_table.c */
NTSTATUS nspi_op_NspiUpdateStat(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiQueryRows(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiSeekEntries(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiCompareMIds(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiGetSpecialTable(struct mp_call *call, void *r);
/* nspi_ops_props.c, nspi_ops_names.c */
NTSTATUS nspi_op_NspiGetProps(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiGetPropList(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiQueryColumns(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiDNToMId(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiGetNamesFromIDs(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiGetIDsFromNames(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiModProps(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiModLinkAtt(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiDeleteEntries(struct mp_call *call, void *r);
/* nspi_ops_template.c */
NTSTATUS nspi_op_NspiGetTemplateInfo(struct mp_call *call, void *r);
/**
 * The address creation table ([MS-OXOABKT] 2.2.1): a row per creation
 * template, strings Unicode or in @codepage. @return NSPI_Success with
 * *@rows_r on call->mem_ctx, or an error.
 */
uint32_t nspi_creation_table(struct mp_call *call, bool unicode,
			     uint32_t codepage, struct PropertyRowSet_r **rows_r);
/* nspi_ops_search.c */
NTSTATUS nspi_op_NspiGetMatches(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiResortRestriction(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiResolveNames(struct mp_call *call, void *r);
NTSTATUS nspi_op_NspiResolveNamesW(struct mp_call *call, void *r);

/* nspi_ndr.c: the generated table with strict pulls for the three
 * operations impacket encodes off-spec (doc/nspi.md); filled when the
 * module is loaded (and by nspi_ndr_table()) */
extern struct ndr_interface_table nspi_table_def;
const struct ndr_interface_table *nspi_ndr_table(void);

/* an invalid context handle: [MS-RPCE] context mismatch fault */
#define NSPI_FAULT_CONTEXT_MISMATCH	0x1c00001a

#endif /* NSPI_PRIVATE_H */

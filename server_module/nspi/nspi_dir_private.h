/*
 * Internals shared by the directory files (nspi_dir_*.c), never used by
 * the handlers: they see only the nspi_dir_* contract of nspi_private.h.
 *
 *   nspi_dir_util.c        GAL filter, parse-tree helpers, classification,
 *                          the bounded search run on the loop
 *   nspi_dir_containers.c  hierarchy and container tables
 *   nspi_dir_fetch.c       reading objects (a page per loop visit)
 *   nspi_dir_links.c       link attributes, modifications
 *   nspi_dir_search.c      restriction searches, DN -> MId
 *
 * Functions marked LOOP run only inside mp_loop_call().
 */
#ifndef NSPI_DIR_PRIVATE_H
#define NSPI_DIR_PRIVATE_H

#include "nspi_private.h"

#define NSPI_DIR_PAGE	200	/* objects per loop piece */

/** The GAL membership filter (a constant, parsed; never client text). */
extern const char nspi_gal_filter[];

/** "xxxxxxxx-xxxx-..." text of a GUID in wire order, into @out. */
void nspi_dir_guid_text(const uint8_t g[16], char out[37]);

/** The "<GUID=...>" DN of @g, on @mem_ctx, or NULL. */
struct ldb_dn *nspi_dir_guid_dn(TALLOC_CTX *mem_ctx, struct ldb_context *ldb,
				const uint8_t g[16]);

/** (&(@a)(@b)) on @mem_ctx; either NULL gives the other. */
struct ldb_parse_tree *nspi_tree_and(TALLOC_CTX *mem_ctx,
				     struct ldb_parse_tree *a,
				     struct ldb_parse_tree *b);

/** (@attr=@value) on @mem_ctx, the value copied as a value. */
struct ldb_parse_tree *nspi_tree_equality(TALLOC_CTX *mem_ctx,
					  const char *attr, const char *value);

/** The filter of container @c (NULL or the GAL: the GAL filter). */
struct ldb_parse_tree *nspi_dir_container_tree(TALLOC_CTX *mem_ctx,
					       const struct nspi_container *c);

/** What kind of address book object @msg is (objectClass, homeMDB). */
enum nspi_object_kind nspi_dir_kind_of(const struct ldb_message *msg);

/** Copy @msg's objectGUID into @g. @return false if it has none. */
bool nspi_dir_msg_guid(const struct ldb_message *msg, uint8_t g[16]);

/** ldb error -> [MS-OXNSPI] 2.2.1.2 code (one table for the layer). */
uint32_t nspi_dir_ldb_error(int ret);

/** Parse 32 hex digits into @g. */
bool nspi_dir_parse_hex_guid(const char *hex, uint8_t g[16]);

/** A GUID as an array element. */
struct nspi_guid16 {
	uint8_t b[16];
};

/** Messages collected by a bounded search. */
struct nspi_collect {
	TALLOC_CTX *mem_ctx;
	struct ldb_message **msgs;
	uint32_t n;
	uint32_t limit;
	uint32_t total;		/* counted up to limit + 1 */
};

/** One search, run on the loop by nspi_dir_search_loop(). */
struct nspi_search_args {
	struct nspi_session *s;
	struct nspi_collect *c;
	struct ldb_dn *base;
	enum ldb_scope scope;
	struct ldb_parse_tree *tree;
	const char *const *attrs;
	int ret;
};

/**
 * LOOP: run @req on the session's samdb as an LDAP request of the bound
 * user would run: marked untrusted, so that Samba's acl_read module
 * applies AD's read permissions (objects the user cannot list are left
 * out, attributes they cannot read are removed, an attribute of the filter
 * they cannot read drops the object). Every request of the nspi_dir_*
 * files goes through here; none is made as system.
 * @return an ldb error code (the request's own result after ldb_wait).
 */
int nspi_dir_run(struct nspi_session *s, struct ldb_request *req);

/**
 * LOOP: a base search of @dn with @attrs through nspi_dir_run().
 * @msg_r: the object, on @mem_ctx, or NULL.
 * @return LDB_SUCCESS, LDB_ERR_NO_SUCH_OBJECT (also when the bound user
 * may not see it) or another ldb error.
 */
int nspi_dir_search_base(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			 struct ldb_dn *dn, const char *const *attrs,
			 struct ldb_message **msg_r);

/** LOOP: run the search @arg (struct nspi_search_args). */
void nspi_dir_search_loop(void *arg);

/**
 * One bounded search (at most @c->limit messages kept, @c->total counted
 * up to limit + 1) visiting the loop once; @base as a DN string.
 * @return an ldb error code.
 */
int nspi_dir_search_bounded(struct nspi_session *s, struct nspi_collect *c,
			    const char *base, enum ldb_scope scope,
			    struct ldb_parse_tree *tree,
			    const char *const *attrs);

/**
 * Read the objects @mids (count @n, MIds of this session) with @attrs
 * (must include objectGUID and objectClass), a page (NSPI_DIR_PAGE) per
 * visit to the loop and one ldb search per page ([MS-OXNSPI] 3.1.4.1.8).
 * @want_x500: also resolve the X500 DNs of manager and homeMDB.
 * @return an array of @n entries on @mem_ctx, in the order of @mids (msg
 * NULL for unknown MIds and objects the bound user cannot see), or NULL.
 */
struct nspi_entry *nspi_dir_read(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				 const uint32_t *mids, uint32_t n,
				 const char *const *attrs, bool want_x500);

#endif /* NSPI_DIR_PRIVATE_H */

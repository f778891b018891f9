/*
 * Reading objects as the bound user: the rows of NspiQueryRows, GetProps,
 * GetMatches, ResolveNames... Each visit to the event loop handles a page
 * of objects (links and modifications: nspi_dir_links.c).
 */
#include "nspi_dir_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- reading objects ------------------------------------------------------ */

/*
 * [MS-OXNSPI] 3.1.4.1.8 NspiQueryRows (and GetProps, GetMatches,
 * ResolveNames...): the rows of a page of MIds. A page (NSPI_DIR_PAGE
 * objects, one visit to the loop) is read with a few subtree searches
 * under the domain NC, each with a filter that is an OR of at most
 * NSPI_DIR_OR objectGUID equality nodes (a parse tree, the 16-byte values
 * as ldb values): ldb's GUID index answers each node without a scan, and
 * the search runs through Samba's whole module stack as the bound user,
 * so AD's ACLs apply exactly as for a base search. ldb re-checks every
 * candidate against the whole OR, so the cost per object grows with the
 * OR's width: hence several narrow ORs rather than one wide one. Objects
 * the searches do not return (address lists live in the configuration
 * NC, or the object went away) get a base search by <GUID=...> each.
 */

#define NSPI_DIR_OR	16	/* objectGUID nodes in one search's filter */
#define NSPI_DIR_TREES	((NSPI_DIR_PAGE + NSPI_DIR_OR - 1) / NSPI_DIR_OR)

struct nspi_fetch_args {
	struct nspi_session *s;
	TALLOC_CTX *mem_ctx;
	struct nspi_entry *entries;
	uint32_t n;
	const char *const *attrs;
	/* the ORs of the chunk's GUIDs, NSPI_DIR_OR entries each */
	struct ldb_parse_tree *trees[NSPI_DIR_TREES];
	uint32_t n_trees;
	bool want_x500;
	uint32_t found;
	uint64_t cpu_us;	/* the loop thread's CPU time for the piece */
	bool timing;		/* the debug level logs the timing line */
};

/* the X500 DN of the object at @dn (manager, homeMDB): loop */
static const char *x500_lookup(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			       const char *dn)
{
	static const char *const attrs[] = { "legacyExchangeDN", "objectGUID",
					     NULL };
	struct ldb_message *msg = NULL;

	if (nspi_dir_search_base(s, mem_ctx, ldb_dn_new(mem_ctx, s->samdb, dn),
				 attrs, &msg) != LDB_SUCCESS) {
		return NULL;
	}
	return nspi_legacy_dn(mem_ctx, msg);
}

/* hand @msg to every entry of the chunk naming its object (an explicit
 * table may name an object twice) */
static uint32_t fetch_assign(struct nspi_fetch_args *a, struct ldb_message *msg)
{
	uint8_t g[16];
	uint32_t mid, i, n = 0;

	if (!nspi_dir_msg_guid(msg, g) ||
	    (mid = nspi_mids_find(a->s->mids, g)) == 0) {
		return 0;
	}
	for (i = 0; i < a->n; i++) {
		struct nspi_entry *e = &a->entries[i];

		if (e->mid != mid || e->msg != NULL) {
			continue;
		}
		e->msg = msg;
		e->kind = nspi_dir_kind_of(msg);
		e->legacy_dn = nspi_legacy_dn(a->mem_ctx, msg);
		n++;
	}
	return n;
}

static int fetch_cb(struct ldb_request *req, struct ldb_reply *ares)
{
	struct nspi_fetch_args *a = req->context;

	if (ares == NULL) {
		return ldb_request_done(req, LDB_ERR_OPERATIONS_ERROR);
	}
	if (ares->error != LDB_SUCCESS) {
		int err = ares->error;

		talloc_free(ares);
		return ldb_request_done(req, err);
	}
	switch (ares->type) {
	case LDB_REPLY_ENTRY:
		a->found += fetch_assign(a, talloc_steal(a->mem_ctx,
							 ares->message));
		break;
	case LDB_REPLY_REFERRAL:
		break;
	case LDB_REPLY_DONE:
		talloc_free(ares);
		return ldb_request_done(req, LDB_SUCCESS);
	}
	talloc_free(ares);
	return LDB_SUCCESS;
}

/* LOOP: one search of the chunk */
static int fetch_batch(struct nspi_fetch_args *a, struct ldb_parse_tree *tree)
{
	TALLOC_CTX *tmp = talloc_new(a->mem_ctx);
	struct ldb_request *req = NULL;
	struct ldb_dn *base;
	int ret;

	base = tmp ? ldb_dn_new(tmp, a->s->samdb, a->s->base_dn) : NULL;
	if (base == NULL) {
		talloc_free(tmp);
		return LDB_ERR_OPERATIONS_ERROR;
	}
	ret = ldb_build_search_req_ex(&req, a->s->samdb, tmp, base,
		LDB_SCOPE_SUBTREE, tree, (const char **)a->attrs, NULL, a,
		fetch_cb, NULL);
	if (ret == LDB_SUCCESS) {
		ret = nspi_dir_run(a->s, req);
	}
	talloc_free(tmp);
	return ret;
}

/* LOOP: an object the batch did not return, by <GUID=...> */
static void fetch_one(struct nspi_fetch_args *a, struct nspi_entry *e)
{
	const uint8_t *g = nspi_mids_guid(a->s->mids, e->mid);
	struct ldb_message *msg = NULL;

	if (g == NULL ||
	    nspi_dir_search_base(a->s, a->mem_ctx,
				 nspi_dir_guid_dn(a->mem_ctx, a->s->samdb, g),
				 a->attrs, &msg) != LDB_SUCCESS) {
		return;
	}
	fetch_assign(a, msg);
}

/* LOOP: the X500 DNs of the chunk's manager / homeMDB values, each
 * distinct DN looked up once (a page's users mostly share one homeMDB) */
static void fetch_x500(struct nspi_fetch_args *a)
{
	static const char *const linked[] = { "manager", "homeMDB" };
	uint32_t i, j, k;

	for (i = 0; i < a->n; i++) {
		struct nspi_entry *e = &a->entries[i];

		if (e->msg == NULL || e->x500_from != NULL) {
			continue;
		}
		e->x500_from = talloc_zero_array(a->mem_ctx, const char *, 2);
		e->x500_to = talloc_zero_array(a->mem_ctx, const char *, 2);
		for (k = 0; e->x500_from && e->x500_to && k < 2; k++) {
			const char *dn = ldb_msg_find_attr_as_string(e->msg,
				linked[k], NULL);
			const char *x = NULL;

			if (dn == NULL) {
				continue;
			}
			/* seen earlier in this chunk? */
			for (j = 0; x == NULL && j < i; j++) {
				const struct nspi_entry *p = &a->entries[j];
				uint32_t m;

				for (m = 0; m < p->n_x500; m++) {
					if (strcasecmp(p->x500_from[m], dn) == 0) {
						x = p->x500_to[m];
						break;
					}
				}
			}
			if (x == NULL) {
				x = x500_lookup(a->s, a->mem_ctx, dn);
			}
			if (x == NULL) {
				continue;
			}
			e->x500_from[e->n_x500] = dn;
			e->x500_to[e->n_x500++] = x;
		}
	}
}

static void nspi_fetch_loop(void *arg)
{
	struct nspi_fetch_args *a = arg;
	uint32_t i, wanted = 0;
	uint64_t cpu0 = nspi_thread_cpu_us();

	for (i = 0; i < a->n; i++) {
		wanted += nspi_mids_guid(a->s->mids, a->entries[i].mid) != NULL;
	}
	a->found = 0;
	for (i = 0; i < a->n_trees; i++) {
		/* a failed search leaves its objects to fetch_one() */
		fetch_batch(a, a->trees[i]);
	}
	for (i = 0; a->found < wanted && i < a->n; i++) {
		if (a->entries[i].msg == NULL) {
			fetch_one(a, &a->entries[i]);
		}
	}
	if (a->want_x500) {
		fetch_x500(a);
	}
	a->cpu_us = nspi_thread_cpu_us() - cpu0;
	/* Samba's debug levels are read on the loop only */
	a->timing = CHECK_DEBUGLVLC(mp_dbgc, MP_LOG_DEBUG);
}

/* (|(objectGUID=g1)(objectGUID=g2)...) of the known MIds of @entries,
 * on @mem_ctx; NULL if none is known (or out of memory: the entries
 * are then read one by one) */
static struct ldb_parse_tree *guid_or_tree(TALLOC_CTX *mem_ctx,
					   const struct nspi_mids *mids,
					   const struct nspi_entry *entries,
					   uint32_t n)
{
	struct ldb_parse_tree *or = talloc_zero(mem_ctx, struct ldb_parse_tree);
	uint32_t i;

	if (or == NULL) {
		return NULL;
	}
	or->operation = LDB_OP_OR;
	or->u.list.elements = talloc_array(or, struct ldb_parse_tree *,
					   n ? n : 1);
	if (or->u.list.elements == NULL) {
		talloc_free(or);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *g = nspi_mids_guid(mids, entries[i].mid);
		struct ldb_parse_tree *eq;

		if (g == NULL) {
			continue;
		}
		eq = talloc_zero(or, struct ldb_parse_tree);
		if (eq == NULL) {
			talloc_free(or);
			return NULL;
		}
		eq->operation = LDB_OP_EQUALITY;
		eq->u.equality.attr = "objectGUID";
		eq->u.equality.value.data = talloc_memdup(eq, g, 16);
		eq->u.equality.value.length = 16;
		if (eq->u.equality.value.data == NULL) {
			talloc_free(or);
			return NULL;
		}
		or->u.list.elements[or->u.list.num_elements++] = eq;
	}
	if (or->u.list.num_elements == 0) {
		talloc_free(or);
		return NULL;
	}
	return or;
}

struct nspi_entry *nspi_dir_read(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				 const uint32_t *mids, uint32_t n,
				 const char *const *attrs, bool want_x500)
{
	struct nspi_fetch_args a = { .s = s, .mem_ctx = mem_ctx,
				     .attrs = attrs, .want_x500 = want_x500 };
	struct nspi_entry *entries = talloc_zero_array(mem_ctx, struct nspi_entry,
						       n ? n : 1);
	uint32_t i;

	if (entries == NULL) {
		return NULL;
	}
	for (i = 0; i < n; i++) {
		entries[i].mid = mids[i];
	}
	/* a page of objects per visit to the loop, a few searches each;
	 * the filters are built here, on the worker */
	for (i = 0; i < n; i += NSPI_DIR_PAGE) {
		uint64_t t0 = nspi_now_us(), t1;
		uint32_t k;

		a.entries = entries + i;
		a.n = n - i < NSPI_DIR_PAGE ? n - i : NSPI_DIR_PAGE;
		a.n_trees = 0;
		for (k = 0; k < a.n; k += NSPI_DIR_OR) {
			struct ldb_parse_tree *t = guid_or_tree(mem_ctx, s->mids,
				a.entries + k, a.n - k < NSPI_DIR_OR ?
				a.n - k : NSPI_DIR_OR);

			/* NULL: none known, or no memory (then fetch_one) */
			if (t != NULL) {
				a.trees[a.n_trees++] = t;
			}
		}
		t1 = nspi_now_us();
		mp_loop_call(nspi_fetch_loop, &a);
		for (k = 0; k < a.n_trees; k++) {
			talloc_free(a.trees[k]);
		}
		if (!a.timing) {
			continue;
		}
		mp_log(MP_LOG_DEBUG, "nspi: timing: read %u objects: filter %llu "
		       "us, loop %llu us (cpu %llu us), %u by %u searches", a.n,
		       (unsigned long long)(t1 - t0),
		       (unsigned long long)(nspi_now_us() - t1),
		       (unsigned long long)a.cpu_us, a.found, a.n_trees);
	}
	return entries;
}

struct nspi_entry *nspi_dir_fetch(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				  const uint32_t *mids, uint32_t n,
				  const uint32_t *tags, uint32_t n_tags)
{
	const char **attrs = nspi_prop_attrs(mem_ctx, tags, n_tags);
	bool want_x500 = false;
	uint32_t i;

	if (attrs == NULL) {
		return NULL;
	}
	for (i = 0; i < n_tags; i++) {
		uint16_t id = NSPI_PROP_ID(tags[i]);

		want_x500 |= id == NSPI_PROP_ID(PidTagAddressBookHomeMessageDatabase) ||
			id == NSPI_PROP_ID(PidTagAddressBookManagerDistinguishedName);
	}
	return nspi_dir_read(s, mem_ctx, mids, n, attrs, want_x500);
}

const char *nspi_dir_mid_dn(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			    uint32_t mid)
{
	struct nspi_entry *e = nspi_dir_fetch(s, mem_ctx, &mid, 1, NULL, 0);

	if (e == NULL || e->msg == NULL) {
		return NULL;
	}
	return ldb_dn_get_linearized(e->msg->dn);
}

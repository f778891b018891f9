/*
 * Link attributes (members, reports, manager, memberOf, delegates:
 * [MS-OXNSPI] 3.1.4.1.10 GetMatches with a link property as container) and
 * modifications (NspiModProps, NspiModLinkAtt) as the bound user. Each
 * visit to the event loop handles a bounded chunk of links.
 */
#include "nspi_dir_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	uint32_t proptag;
	const char *attr;
} nspi_link_attrs[] = {
	{ PidTagAddressBookMember, "member" },
	{ PidTagAddressBookReports, "directReports" },
	{ PidTagAddressBookIsMemberOfDistributionList, "memberOf" },
	{ PidTagAddressBookManager, "manager" },
	{ PidTagAddressBookPublicDelegates, "publicDelegates" },
};

struct nspi_links_args {
	struct nspi_session *s;
	TALLOC_CTX *mem_ctx;
	const char **dns;		/* in: n DNs */
	uint32_t n;
	struct nspi_guid16 *guids;	/* out: n_out GUIDs */
	uint32_t n_out;
};

/* the linked objects that are in the address book (loop; bounded) */
static void nspi_links_loop(void *arg)
{
	struct nspi_links_args *a = arg;
	static const char *const attrs[] = { "objectGUID", NULL };
	struct ldb_parse_tree *gal = ldb_parse_tree(a->mem_ctx, nspi_gal_filter);
	uint32_t i;

	a->n_out = 0;
	for (i = 0; gal != NULL && i < a->n; i++) {
		struct nspi_collect col = { 0 };
		struct nspi_search_args sa = { a->s, &col, NULL, LDB_SCOPE_BASE,
					       gal, attrs, 0 };

		col.mem_ctx = a->mem_ctx;
		col.limit = 1;
		col.msgs = talloc_array(a->mem_ctx, struct ldb_message *, 1);
		sa.base = ldb_dn_new(a->mem_ctx, a->s->samdb, a->dns[i]);
		if (col.msgs == NULL || sa.base == NULL) {
			continue;
		}
		nspi_dir_search_loop(&sa);
		if (sa.ret == LDB_SUCCESS && col.n == 1 &&
		    nspi_dir_msg_guid(col.msgs[0], a->guids[a->n_out].b)) {
			a->n_out++;
		}
	}
}

uint32_t nspi_dir_links(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			uint32_t mid, uint32_t proptag, uint32_t limit,
			uint32_t **mids_r, uint32_t *n_r)
{
	const uint32_t chunk = NSPI_DIR_PAGE / 4;
	const char *attr = NULL;
	uint32_t tags[1] = { proptag }, i, k, n = 0;
	struct nspi_entry *e;
	const struct ldb_message_element *el;
	struct nspi_links_args a = { s, mem_ctx, NULL, 0, NULL, 0 };
	uint32_t *mids;

	for (i = 0; i < ARRAY_LEN(nspi_link_attrs); i++) {
		if (NSPI_PROP_ID(nspi_link_attrs[i].proptag) == NSPI_PROP_ID(proptag)) {
			attr = nspi_link_attrs[i].attr;
		}
	}
	if (attr == NULL) {
		return NSPI_NotSupported;
	}
	e = nspi_dir_fetch(s, mem_ctx, &mid, 1, tags, 1);
	if (e == NULL) {
		return NSPI_NotEnoughMemory;
	}
	if (e->msg == NULL) {
		return NSPI_InvalidBookmark;
	}
	el = ldb_msg_find_element(e->msg, attr);
	mids = talloc_array(mem_ctx, uint32_t, limit ? limit : 1);
	a.dns = talloc_array(mem_ctx, const char *, chunk);
	a.guids = talloc_array(mem_ctx, struct nspi_guid16, chunk);
	if (mids == NULL || a.dns == NULL || a.guids == NULL) {
		return NSPI_NotEnoughMemory;
	}
	/* a chunk of links per visit to the loop, until @limit are found */
	for (i = 0; el != NULL && i < el->num_values && n < limit; i += chunk) {
		a.n = el->num_values - i < chunk ? el->num_values - i : chunk;
		for (k = 0; k < a.n; k++) {
			a.dns[k] = (const char *)el->values[i + k].data;
		}
		mp_loop_call(nspi_links_loop, &a);
		for (k = 0; k < a.n_out && n < limit; k++) {
			mids[n] = nspi_mids_get(s->mids, a.guids[k].b);
			n += mids[n] != 0;
		}
	}
	*mids_r = mids;
	*n_r = n;
	return NSPI_Success;
}

struct nspi_modify_args {
	struct nspi_session *s;
	struct ldb_message *mods;
	int ret;
};

static void nspi_modify_loop(void *arg)
{
	struct nspi_modify_args *a = arg;
	struct ldb_request *req = NULL;
	TALLOC_CTX *tmp = talloc_new(a->mods);

	if (tmp == NULL) {
		a->ret = LDB_ERR_OPERATIONS_ERROR;
		return;
	}
	/* what ldb_modify() does, with the request marked as the user's */
	a->ret = ldb_msg_sanity_check(a->s->samdb, a->mods);
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_build_mod_req(&req, a->s->samdb, tmp, a->mods,
			NULL, NULL, ldb_op_default_callback, NULL);
	}
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_transaction_start(a->s->samdb);
	}
	if (a->ret == LDB_SUCCESS) {
		a->ret = nspi_dir_run(a->s, req);
		if (a->ret == LDB_SUCCESS) {
			a->ret = ldb_transaction_commit(a->s->samdb);
		} else {
			ldb_transaction_cancel(a->s->samdb);
		}
	}
	talloc_free(tmp);
}

uint32_t nspi_dir_modify(struct nspi_session *s, uint32_t mid,
			 struct ldb_message *mods)
{
	struct nspi_modify_args a = { s, mods, 0 };
	const uint8_t *g = nspi_mids_guid(s->mids, mid);

	if (g == NULL) {
		return NSPI_InvalidParameter;
	}
	mods->dn = nspi_dir_guid_dn(mods, s->samdb, g);
	if (mods->dn == NULL) {
		return NSPI_NotEnoughMemory;
	}
	mp_loop_call(nspi_modify_loop, &a);
	return nspi_dir_ldb_error(a.ret);
}

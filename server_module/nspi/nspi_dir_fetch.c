/*
 * Reading and changing objects: NspiGetProps/QueryRows rows, link
 * attributes (members, reports, ...) and modifications as the bound user.
 * Each visit to the event loop handles a bounded chunk of objects.
 */
#include "nspi_dir_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- reading objects ------------------------------------------------------ */

struct nspi_fetch_args {
	struct nspi_session *s;
	TALLOC_CTX *mem_ctx;
	struct nspi_entry *entries;
	uint32_t n;
	const char **attrs;
	bool want_x500;
};

/* the X500 DN of the object at @dn (manager, homeMDB): loop */
static const char *x500_lookup(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			       const char *dn)
{
	static const char *const attrs[] = { "legacyExchangeDN", "objectGUID",
					     NULL };
	struct ldb_result *res = NULL;
	const char *x = NULL;

	if (ldb_search(s->samdb, mem_ctx, &res, ldb_dn_new(mem_ctx, s->samdb, dn),
		       LDB_SCOPE_BASE, attrs, NULL) == LDB_SUCCESS &&
	    res->count == 1) {
		x = nspi_legacy_dn(mem_ctx, res->msgs[0]);
	}
	return x;
}

static void nspi_fetch_loop(void *arg)
{
	struct nspi_fetch_args *a = arg;
	static const char *const linked[] = { "manager", "homeMDB" };
	uint32_t i, k;

	for (i = 0; i < a->n; i++) {
		struct nspi_entry *e = &a->entries[i];
		const uint8_t *g = nspi_mids_guid(a->s->mids, e->mid);
		struct ldb_result *res = NULL;

		if (g == NULL) {
			continue;
		}
		if (ldb_search(a->s->samdb, a->mem_ctx, &res,
			       nspi_dir_guid_dn(a->mem_ctx, a->s->samdb, g), LDB_SCOPE_BASE,
			       a->attrs, NULL) != LDB_SUCCESS || res->count != 1) {
			continue;
		}
		e->msg = res->msgs[0];
		e->kind = nspi_dir_kind_of(e->msg);
		e->legacy_dn = nspi_legacy_dn(a->mem_ctx, e->msg);
		if (!a->want_x500) {
			continue;
		}
		e->x500_from = talloc_array(a->mem_ctx, const char *, 2);
		e->x500_to = talloc_array(a->mem_ctx, const char *, 2);
		for (k = 0; e->x500_from && e->x500_to && k < 2; k++) {
			const char *dn = ldb_msg_find_attr_as_string(e->msg,
				linked[k], NULL);
			const char *x;

			if (dn == NULL ||
			    (x = x500_lookup(a->s, a->mem_ctx, dn)) == NULL) {
				continue;
			}
			e->x500_from[e->n_x500] = dn;
			e->x500_to[e->n_x500++] = x;
		}
	}
}

struct nspi_entry *nspi_dir_fetch(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				  const uint32_t *mids, uint32_t n,
				  const uint32_t *tags, uint32_t n_tags)
{
	struct nspi_fetch_args a = { s, mem_ctx, NULL, 0, NULL, false };
	struct nspi_entry *entries = talloc_zero_array(mem_ctx, struct nspi_entry,
						       n ? n : 1);
	uint32_t i;

	if (entries == NULL) {
		return NULL;
	}
	a.attrs = nspi_prop_attrs(mem_ctx, tags, n_tags);
	if (a.attrs == NULL) {
		return NULL;
	}
	for (i = 0; i < n_tags; i++) {
		uint16_t id = NSPI_PROP_ID(tags[i]);

		a.want_x500 |= id == NSPI_PROP_ID(PidTagAddressBookHomeMessageDatabase) ||
			id == NSPI_PROP_ID(PidTagAddressBookManagerDistinguishedName);
	}
	for (i = 0; i < n; i++) {
		entries[i].mid = mids[i];
	}
	/* a page of objects per visit to the loop */
	for (i = 0; i < n; i += NSPI_DIR_PAGE / 4) {
		a.entries = entries + i;
		a.n = n - i < NSPI_DIR_PAGE / 4 ? n - i : NSPI_DIR_PAGE / 4;
		mp_loop_call(nspi_fetch_loop, &a);
	}
	return entries;
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

struct nspi_guid16 {
	uint8_t b[16];
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

	a->ret = ldb_modify(a->s->samdb, a->mods);
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

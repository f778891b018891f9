/*
 * Searches: restrictions within a container ([MS-OXNSPI] 3.1.4.1.10) and
 * DN -> MId resolution ([MS-OXNSPI] 3.1.4.1.13).
 */
#include "nspi_dir_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

uint32_t nspi_dir_search(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			 struct nspi_container *c, struct ldb_parse_tree *tree,
			 uint32_t limit, uint32_t **mids_r, uint32_t *n_r,
			 uint32_t *total_r)
{
	static const char *const attrs[] = { "objectGUID", "objectClass", NULL };
	struct nspi_collect col = { 0 };
	struct ldb_parse_tree *full;
	uint32_t *mids, i, n = 0;
	int ret;

	col.mem_ctx = talloc_new(mem_ctx);
	if (col.mem_ctx == NULL) {
		return NSPI_NotEnoughMemory;
	}
	col.limit = limit;
	full = nspi_tree_and(col.mem_ctx, nspi_dir_container_tree(col.mem_ctx, c), tree);
	if (full == NULL) {
		talloc_free(col.mem_ctx);
		return NSPI_NotEnoughMemory;
	}
	ret = nspi_dir_search_bounded(s, &col, s->base_dn, LDB_SCOPE_SUBTREE, full, attrs);
	if (ret != LDB_SUCCESS) {
		talloc_free(col.mem_ctx);
		return nspi_dir_ldb_error(ret);
	}
	mids = talloc_array(mem_ctx, uint32_t, col.n ? col.n : 1);
	if (mids == NULL) {
		talloc_free(col.mem_ctx);
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < col.n; i++) {
		uint8_t g[16];

		if (nspi_dir_msg_guid(col.msgs[i], g) && nspi_dir_kind_of(col.msgs[i]) != NSPI_KIND_NONE) {
			mids[n] = nspi_mids_get(s->mids, g);
			n += mids[n] != 0;
		}
	}
	*mids_r = mids;
	*n_r = n;
	*total_r = col.total;
	talloc_free(col.mem_ctx);
	return NSPI_Success;
}

uint32_t nspi_dir_dn_to_mid(struct nspi_session *s, const char *dn)
{
	static const char nt5[] = "/o=NT5/ou=";
	TALLOC_CTX *tmp;
	struct nspi_collect col = { 0 };
	struct ldb_parse_tree *tree;
	uint8_t g[16];
	uint32_t i, mid = 0;
	const char *cn;

	if (dn == NULL || dn[0] != '/' || strlen(dn) > NSPI_MAX_STRING) {
		return 0;
	}
	/* an address list: "/guid=<hex>" */
	if (strncasecmp(dn, "/guid=", 6) == 0 && nspi_dir_parse_hex_guid(dn + 6, g)) {
		if (nspi_dir_load_containers(s) != NSPI_Success) {
			return 0;
		}
		for (i = 1; i < s->n_containers; i++) {
			if (memcmp(s->containers[i].guid, g, 16) == 0) {
				return s->containers[i].mid;
			}
		}
		return 0;
	}
	tmp = talloc_new(s);
	if (tmp == NULL) {
		return 0;
	}
	col.mem_ctx = tmp;
	col.limit = 2;
	/* an object without an Exchange DN: "/o=NT5/ou=<32 hex>/cn=<guid hex>" */
	if (strncasecmp(dn, nt5, sizeof(nt5) - 1) == 0 &&
	    (cn = strstr(dn, "/cn=")) != NULL && nspi_dir_parse_hex_guid(cn + 4, g)) {
		char txt[37];
		struct ldb_val v = { g, 16 };

		nspi_dir_guid_text(g, txt);
		tree = talloc_zero(tmp, struct ldb_parse_tree);
		if (tree != NULL) {
			tree->operation = LDB_OP_EQUALITY;
			tree->u.equality.attr = "objectGUID";
			tree->u.equality.value = v;
		}
	} else {
		tree = nspi_tree_equality(tmp, "legacyExchangeDN", dn);
	}
	tree = tree ? nspi_tree_and(tmp, ldb_parse_tree(tmp, nspi_gal_filter), tree) : NULL;
	if (tree != NULL &&
	    nspi_dir_search_bounded(s, &col, s->base_dn, LDB_SCOPE_SUBTREE, tree,
			(const char *const []){ "objectGUID", NULL }) == LDB_SUCCESS &&
	    col.n == 1 && nspi_dir_msg_guid(col.msgs[0], g)) {
		mid = nspi_mids_get(s->mids, g);
	}
	talloc_free(tmp);
	return mid;
}

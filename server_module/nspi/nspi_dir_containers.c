/*
 * The address book hierarchy ([MS-OXOABK] 3.1.4.1) and the container
 * tables: read from sam.ldb a page (NSPI_DIR_PAGE objects) per visit to the
 * event loop, sorted on the worker ([MS-OXNSPI] 3.1.4.5).
 */
#include "nspi_dir_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- the hierarchy ------------------------------------------------------ */

static int container_depth(const struct nspi_container *cs, uint32_t i)
{
	int d = 0;

	while (cs[i].parent > 0 && d < 32) {
		i = (uint32_t)cs[i].parent;
		d++;
	}
	return d;
}

uint32_t nspi_dir_load_containers(struct nspi_session *s)
{
	static const char *const attrs[] = { "objectGUID", "displayName",
		"name", "purportedSearch", NULL };
	TALLOC_CTX *tmp;
	struct nspi_collect c = { 0 };
	struct nspi_container *cs;
	struct ldb_parse_tree *tree;
	uint32_t i, j, n = 1;
	int root = -1;

	if (s->containers != NULL) {
		return NSPI_Success;
	}
	tmp = talloc_new(s);
	if (tmp == NULL) {
		return NSPI_NotEnoughMemory;
	}
	c.mem_ctx = tmp;
	c.limit = 1000;
	tree = ldb_parse_tree(tmp, "(objectClass=addressBookContainer)");
	if (tree == NULL ||
	    nspi_dir_search_bounded(s, &c, s->config_dn, LDB_SCOPE_SUBTREE, tree,
			attrs) != LDB_SUCCESS) {
		/* no Exchange configuration: the GAL alone */
		c.n = 0;
	}
	cs = talloc_zero_array(s, struct nspi_container, c.n + 1);
	if (cs == NULL) {
		talloc_free(tmp);
		return NSPI_NotEnoughMemory;
	}
	/* index 0: the GAL, container ID 0 ([MS-OXNSPI] 3.1.4.4.3.1) */
	cs[0].mid = 0;
	cs[0].name = "";
	cs[0].x500 = "/";
	cs[0].parent = -1;
	cs[0].flags = NSPI_AB_RECIPIENTS | NSPI_AB_UNMODIFIABLE;
	for (i = 0; i < c.n; i++) {
		struct ldb_message *m = c.msgs[i];
		const char *dn = ldb_dn_get_linearized(m->dn);
		char hex[33];

		/* only "All Address Lists" and what is below it */
		if (dn == NULL || strcasestr(dn, "CN=All Address Lists,") == NULL) {
			continue;
		}
		if (!nspi_dir_msg_guid(m, cs[n].guid)) {
			continue;
		}
		for (j = 0; j < 16; j++) {
			snprintf(hex + 2 * j, 3, "%02x", cs[n].guid[j]);
		}
		cs[n].ldb_dn = talloc_strdup(cs, dn);
		cs[n].name = talloc_strdup(cs, ldb_msg_find_attr_as_string(m,
			"displayName", ldb_msg_find_attr_as_string(m, "name", "")));
		cs[n].x500 = talloc_asprintf(cs, "/guid=%s", hex);
		cs[n].filter = talloc_strdup(cs, ldb_msg_find_attr_as_string(
			m, "purportedSearch", NULL));
		cs[n].mid = nspi_mids_get(s->mids, cs[n].guid);
		cs[n].flags = NSPI_AB_RECIPIENTS | NSPI_AB_UNMODIFIABLE;
		cs[n].parent = 0;
		if (strncasecmp(dn, "CN=All Address Lists,", 21) == 0) {
			root = (int)n;
			cs[n].flags = NSPI_AB_SUBCONTAINERS | NSPI_AB_UNMODIFIABLE;
		}
		if (cs[n].ldb_dn == NULL || cs[n].name == NULL ||
		    cs[n].x500 == NULL || cs[n].mid == 0) {
			talloc_free(cs);
			talloc_free(tmp);
			return NSPI_NotEnoughMemory;
		}
		n++;
	}
	/* parents: the container whose DN is the rest after the first RDN */
	for (i = 1; i < n; i++) {
		const char *up = strstr(cs[i].ldb_dn, ",");

		cs[i].parent = 0;
		for (j = 1; up != NULL && j < n; j++) {
			if (j != i && strcasecmp(up + 1, cs[j].ldb_dn) == 0) {
				cs[i].parent = (int32_t)j;
				cs[j].flags |= NSPI_AB_SUBCONTAINERS;
			}
		}
	}
	for (i = 1; i < n; i++) {
		cs[i].depth = (uint32_t)container_depth(cs, i);
		if ((int)i != root && root < 0) {
			cs[i].parent = 0;
		}
	}
	s->containers = cs;
	s->n_containers = n;
	s->hierarchy_version = 1 + n;
	talloc_free(tmp);
	return NSPI_Success;
}

struct nspi_container *nspi_container_find(struct nspi_session *s,
					   uint32_t container_id)
{
	uint32_t i;

	if (nspi_dir_load_containers(s) != NSPI_Success) {
		return NULL;
	}
	for (i = 0; i < s->n_containers; i++) {
		if (s->containers[i].mid == container_id) {
			return &s->containers[i];
		}
	}
	return NULL;
}

/* ---- container tables: paged on the loop, sorted on the worker --------- */

struct nspi_page_args {
	struct nspi_session *s;
	struct nspi_table *t;
	struct ldb_parse_tree *tree;
	struct ldb_control **controls;
	struct ldb_paged_control *paged;
	bool done;
	int ret;
};

static const char *const nspi_row_attrs[] = {
	"objectGUID", "displayName", "name", "objectClass", "homeMDB",
	"msExchHomeServerName", NULL
};

static void nspi_page_loop(void *arg)
{
	struct nspi_page_args *a = arg;
	TALLOC_CTX *tmp = talloc_new(a->t);
	struct ldb_result *res;
	struct ldb_request *req = NULL;
	uint32_t i;

	if (tmp == NULL) {
		a->ret = LDB_ERR_OPERATIONS_ERROR;
		return;
	}
	res = talloc_zero(tmp, struct ldb_result);
	a->ret = res ? ldb_build_search_req_ex(&req, a->s->samdb, tmp,
		ldb_dn_new(tmp, a->s->samdb, a->s->base_dn), LDB_SCOPE_SUBTREE,
		a->tree, nspi_row_attrs, NULL, res, ldb_search_default_callback,
		NULL) : LDB_ERR_OPERATIONS_ERROR;
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_request_add_control(req,
			LDB_CONTROL_PAGED_RESULTS_OID, true, a->paged);
	}
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_request(a->s->samdb, req);
	}
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_wait(req->handle, LDB_WAIT_ALL);
	}
	if (a->ret != LDB_SUCCESS) {
		talloc_free(tmp);
		return;
	}
	/* append this page's rows */
	if (a->t->count + res->count > NSPI_MAX_CONTAINER) {
		a->ret = LDB_ERR_ADMIN_LIMIT_EXCEEDED;
		talloc_free(tmp);
		return;
	}
	a->t->rows = talloc_realloc(a->t, a->t->rows, struct nspi_row,
				    a->t->count + res->count + 1);
	if (a->t->rows == NULL) {
		a->ret = LDB_ERR_OPERATIONS_ERROR;
		talloc_free(tmp);
		return;
	}
	for (i = 0; i < res->count; i++) {
		struct ldb_message *m = res->msgs[i];
		struct nspi_row *row = &a->t->rows[a->t->count];
		uint8_t g[16];
		const char *name = ldb_msg_find_attr_as_string(m, "displayName",
							       NULL);
		enum nspi_object_kind kind = nspi_dir_kind_of(m);

		if (kind == NSPI_KIND_NONE || !nspi_dir_msg_guid(m, g)) {
			continue;
		}
		if (name == NULL || name[0] == '\0') {
			name = ldb_msg_find_attr_as_string(m, "name", "");
		}
		row->mid = nspi_mids_get(a->s->mids, g);
		row->display_name = talloc_strdup(a->t->rows, name);
		row->display_type = nspi_kind_display_type(kind);
		if (row->mid == 0 || row->display_name == NULL) {
			a->ret = LDB_ERR_OPERATIONS_ERROR;
			talloc_free(tmp);
			return;
		}
		a->t->count++;
	}
	/* the cookie for the next page; none: that was the last */
	a->done = true;
	for (i = 0; res->controls != NULL && res->controls[i] != NULL; i++) {
		struct ldb_paged_control *pc;

		if (strcmp(res->controls[i]->oid, LDB_CONTROL_PAGED_RESULTS_OID) != 0) {
			continue;
		}
		pc = talloc_get_type(res->controls[i]->data,
				     struct ldb_paged_control);
		if (pc != NULL && pc->cookie_len > 0) {
			a->paged->cookie = talloc_memdup(a->paged, pc->cookie,
							 pc->cookie_len);
			a->paged->cookie_len = pc->cookie_len;
			a->done = a->paged->cookie == NULL;
		}
	}
	talloc_free(tmp);
}

uint32_t nspi_dir_table(struct nspi_session *s, struct nspi_container *c,
			uint32_t sort_locale, struct nspi_table **table_r)
{
	struct nspi_page_args a = { 0 };
	TALLOC_CTX *tmp;
	uint32_t pages = 0;

	if (c->table != NULL) {
		if (c->table->sort_locale != sort_locale) {
			nspi_table_sort(c->table, sort_locale);
		}
		*table_r = c->table;
		return NSPI_Success;
	}
	tmp = talloc_new(s);
	a.s = s;
	a.t = talloc_zero(s, struct nspi_table);
	a.tree = tmp ? nspi_dir_container_tree(tmp, c) : NULL;
	a.paged = tmp ? talloc_zero(tmp, struct ldb_paged_control) : NULL;
	if (a.t == NULL || a.tree == NULL || a.paged == NULL) {
		talloc_free(a.t);
		talloc_free(tmp);
		return NSPI_NotEnoughMemory;
	}
	a.t->container_id = c->mid;
	a.paged->size = NSPI_DIR_PAGE;
	/* one page per visit to the loop */
	while (!a.done && pages++ <= NSPI_MAX_CONTAINER / NSPI_DIR_PAGE + 1) {
		mp_loop_call(nspi_page_loop, &a);
		if (a.ret != LDB_SUCCESS) {
			mp_log(MP_LOG_WARNING, "nspi: container %u: %s", c->mid,
			       ldb_strerror(a.ret));
			talloc_free(a.t);
			talloc_free(tmp);
			return a.ret == LDB_ERR_ADMIN_LIMIT_EXCEEDED ?
				NSPI_TableTooBig : NSPI_GeneralFailure;
		}
	}
	talloc_free(tmp);
	nspi_table_sort(a.t, sort_locale);
	c->table = a.t;
	*table_r = a.t;
	return NSPI_Success;
}

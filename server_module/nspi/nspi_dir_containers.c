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

/* ---- container tables ------------------------------------------------------
 *
 * Built once per session and container ([MS-OXNSPI] 3.1.4.5: the table a
 * STAT positions in), then kept: later NspiQueryRows / SeekEntries /
 * CompareMIds calls index into it by position or MId, O(1) + the page.
 *
 * 1. one subtree search of the container's filter returning what a row
 *    needs to be sorted (objectGUID, the display name, the classes that
 *    give the display type): the one loop piece proportional to the
 *    container. Samba's paged-results control is not used: it stores the
 *    matching GUIDs and then reads every object of a page with its own
 *    base search, which made building a 10,000-entry table take 1.5 s;
 * 2. MIds for the GUIDs, sort (collation keys), index by MId: worker.
 */

struct nspi_scan_item {
	uint8_t guid[16];
	const char *name;
	uint32_t display_type;
};

struct nspi_scan_args {
	struct nspi_session *s;
	TALLOC_CTX *mem_ctx;
	struct ldb_parse_tree *tree;
	struct nspi_scan_item *items;
	uint32_t n;
	uint32_t alloc;
	int ret;
	uint64_t cpu_us;	/* the loop thread's CPU time for the search */
};

static const char *const nspi_row_attrs[] = {
	"objectGUID", "displayName", "name", "objectClass", "homeMDB",
	"msExchHomeServerName", NULL
};

/* one matching object -> a row to sort; LOOP */
static int scan_add(struct nspi_scan_args *a, const struct ldb_message *m)
{
	struct nspi_scan_item *it;
	enum nspi_object_kind kind = nspi_dir_kind_of(m);
	const char *name;

	if (kind == NSPI_KIND_NONE) {
		return LDB_SUCCESS;
	}
	if (a->n == a->alloc) {
		uint32_t alloc = a->alloc ? 2 * a->alloc : 1024;

		if (a->n >= NSPI_MAX_CONTAINER) {
			return LDB_ERR_ADMIN_LIMIT_EXCEEDED;
		}
		a->items = talloc_realloc(a->mem_ctx, a->items,
					  struct nspi_scan_item, alloc);
		if (a->items == NULL) {
			return LDB_ERR_OPERATIONS_ERROR;
		}
		a->alloc = alloc;
	}
	it = &a->items[a->n];
	if (!nspi_dir_msg_guid(m, it->guid)) {
		return LDB_SUCCESS;
	}
	name = ldb_msg_find_attr_as_string(m, "displayName", NULL);
	if (name == NULL || name[0] == '\0') {
		name = ldb_msg_find_attr_as_string(m, "name", "");
	}
	/* on the table (a->mem_ctx): the row keeps it */
	it->name = talloc_strdup(a->mem_ctx, name);
	if (it->name == NULL) {
		return LDB_ERR_OPERATIONS_ERROR;
	}
	it->display_type = nspi_kind_display_type(kind);
	a->n++;
	return LDB_SUCCESS;
}

static int scan_cb(struct ldb_request *req, struct ldb_reply *ares)
{
	struct nspi_scan_args *a = req->context;
	int ret = LDB_SUCCESS;

	if (ares == NULL) {
		return ldb_request_done(req, LDB_ERR_OPERATIONS_ERROR);
	}
	if (ares->error != LDB_SUCCESS) {
		ret = ares->error;
		talloc_free(ares);
		return ldb_request_done(req, ret);
	}
	switch (ares->type) {
	case LDB_REPLY_ENTRY:
		ret = scan_add(a, ares->message);
		break;
	case LDB_REPLY_REFERRAL:
		break;
	case LDB_REPLY_DONE:
		talloc_free(ares);
		return ldb_request_done(req, LDB_SUCCESS);
	}
	talloc_free(ares);
	return ret == LDB_SUCCESS ? LDB_SUCCESS : ldb_request_done(req, ret);
}

/* LOOP: the rows of the container, unsorted */
static void nspi_scan_loop(void *arg)
{
	struct nspi_scan_args *a = arg;
	TALLOC_CTX *tmp = talloc_new(a->mem_ctx);
	struct ldb_request *req = NULL;
	struct ldb_dn *base = tmp ? ldb_dn_new(tmp, a->s->samdb, a->s->base_dn) :
		NULL;
	uint64_t cpu0 = nspi_thread_cpu_us();

	a->ret = base == NULL ? LDB_ERR_OPERATIONS_ERROR :
		ldb_build_search_req_ex(&req, a->s->samdb, tmp, base,
			LDB_SCOPE_SUBTREE, a->tree, nspi_row_attrs, NULL, a,
			scan_cb, NULL);
	if (a->ret == LDB_SUCCESS) {
		a->ret = nspi_dir_run(a->s, req);
	}
	talloc_free(tmp);
	a->cpu_us = nspi_thread_cpu_us() - cpu0;
}

uint32_t nspi_dir_table(struct nspi_session *s, struct nspi_container *c,
			uint32_t sort_locale, struct nspi_table **table_r)
{
	struct nspi_scan_args a = { 0 };
	struct nspi_table *t;
	uint32_t i;
	uint64_t t0 = nspi_now_us(), t1, t2, c1;

	if (c->table != NULL) {
		if (c->table->sort_locale != sort_locale) {
			nspi_table_sort(c->table, sort_locale);
		}
		*table_r = c->table;
		return NSPI_Success;
	}
	t = talloc_zero(s, struct nspi_table);
	a.s = s;
	a.mem_ctx = t;
	a.tree = t ? nspi_dir_container_tree(t, c) : NULL;
	if (a.tree == NULL) {
		talloc_free(t);
		return NSPI_NotEnoughMemory;
	}
	mp_loop_call(nspi_scan_loop, &a);
	if (a.ret != LDB_SUCCESS) {
		mp_log(MP_LOG_WARNING, "nspi: container %u: %s", c->mid,
		       ldb_strerror(a.ret));
		talloc_free(t);
		return a.ret == LDB_ERR_ADMIN_LIMIT_EXCEEDED ?
			NSPI_TableTooBig : NSPI_GeneralFailure;
	}
	t1 = nspi_now_us();
	c1 = nspi_thread_cpu_us();
	t->container_id = c->mid;
	t->rows = talloc_array(t, struct nspi_row, a.n ? a.n : 1);
	if (t->rows == NULL) {
		talloc_free(t);
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < a.n; i++) {
		struct nspi_row *row = &t->rows[t->count];

		row->mid = nspi_mids_get(s->mids, a.items[i].guid);
		row->display_name = a.items[i].name;	/* on t */
		row->display_type = a.items[i].display_type;
		if (row->mid == 0) {
			talloc_free(t);
			return NSPI_NotEnoughMemory;
		}
		t->count++;
	}
	TALLOC_FREE(a.items);
	nspi_table_sort(t, sort_locale);
	/* unindexed, positioning scans the table: slower, still right */
	nspi_table_index(t, t);
	t2 = nspi_now_us();
	mp_log(MP_LOG_DEBUG, "nspi: timing: container %u: table of %u rows: "
	       "search %llu us (cpu %llu us), MIds+sort+index %llu us (cpu "
	       "%llu us)", c->mid, t->count, (unsigned long long)(t1 - t0),
	       (unsigned long long)a.cpu_us, (unsigned long long)(t2 - t1),
	       (unsigned long long)(nspi_thread_cpu_us() - c1));
	c->table = t;
	*table_r = t;
	return NSPI_Success;
}

/*
 * The address book's view of sam.ldb. Every function here that reads the
 * directory does it on Samba's event loop through mp_loop_call(), in
 * pieces bounded by a page (NSPI_DIR_PAGE objects): sam.ldb's handles are
 * shared by the whole process and not thread-safe, and the loop serves the
 * whole DC. Everything else (sorting, building rows) stays on the worker.
 *
 * Which objects are in the address book ([MS-OXNSPI] 3.1.4.4; doc/nspi.md):
 * users, groups and contacts (not computers) that are mail-enabled
 * (legacyExchangeDN, mailNickname, proxyAddresses or mail) and not hidden
 * (msExchHideFromAddressLists TRUE). An address list holds those whose
 * showInAddressBook names it, or that match its purportedSearch.
 */
#include "nspi_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NSPI_DIR_PAGE	200	/* objects per loop piece */

/* A constant, not client input: parsed, never built from request data. */
static const char nspi_gal_filter[] =
	"(&(|(objectClass=user)(objectClass=group)(objectClass=contact))"
	"(!(objectClass=computer))"
	"(|(legacyExchangeDN=*)(mailNickname=*)(proxyAddresses=*)(mail=*))"
	"(!(msExchHideFromAddressLists=TRUE)))";

static void guid_text(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4],
		 g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static struct ldb_dn *guid_dn(TALLOC_CTX *mem_ctx, struct ldb_context *ldb,
			      const uint8_t g[16])
{
	char txt[37];

	guid_text(g, txt);
	/* txt is hex digits and dashes only */
	return ldb_dn_new_fmt(mem_ctx, ldb, "<GUID=%s>", txt);
}

static struct ldb_parse_tree *tree_and(TALLOC_CTX *mem_ctx,
				       struct ldb_parse_tree *a,
				       struct ldb_parse_tree *b)
{
	struct ldb_parse_tree *t;

	if (a == NULL || b == NULL) {
		return a != NULL ? a : b;
	}
	t = talloc_zero(mem_ctx, struct ldb_parse_tree);
	if (t == NULL) {
		return NULL;
	}
	t->operation = LDB_OP_AND;
	t->u.list.num_elements = 2;
	t->u.list.elements = talloc_array(t, struct ldb_parse_tree *, 2);
	if (t->u.list.elements == NULL) {
		return NULL;
	}
	t->u.list.elements[0] = a;
	t->u.list.elements[1] = b;
	return t;
}

static struct ldb_parse_tree *tree_equality(TALLOC_CTX *mem_ctx,
					    const char *attr, const char *value)
{
	struct ldb_parse_tree *t = talloc_zero(mem_ctx, struct ldb_parse_tree);

	if (t == NULL) {
		return NULL;
	}
	t->operation = LDB_OP_EQUALITY;
	t->u.equality.attr = attr;
	t->u.equality.value.data = (uint8_t *)talloc_strdup(t, value);
	if (t->u.equality.value.data == NULL) {
		return NULL;
	}
	t->u.equality.value.length = strlen(value);
	return t;
}

/* the filter of a container: GAL membership, plus the list's own test */
static struct ldb_parse_tree *container_tree(TALLOC_CTX *mem_ctx,
					     const struct nspi_container *c)
{
	struct ldb_parse_tree *gal = ldb_parse_tree(mem_ctx, nspi_gal_filter);
	struct ldb_parse_tree *member, *or;

	if (gal == NULL || c == NULL || c->ldb_dn == NULL) {
		return gal;
	}
	member = tree_equality(mem_ctx, "showInAddressBook", c->ldb_dn);
	if (member == NULL) {
		return NULL;
	}
	if (c->filter != NULL) {
		struct ldb_parse_tree *ps = ldb_parse_tree(mem_ctx, c->filter);

		if (ps != NULL) {
			or = talloc_zero(mem_ctx, struct ldb_parse_tree);
			if (or == NULL) {
				return NULL;
			}
			or->operation = LDB_OP_OR;
			or->u.list.num_elements = 2;
			or->u.list.elements = talloc_array(or,
				struct ldb_parse_tree *, 2);
			if (or->u.list.elements == NULL) {
				return NULL;
			}
			or->u.list.elements[0] = member;
			or->u.list.elements[1] = ps;
			member = or;
		}
	}
	return tree_and(mem_ctx, gal, member);
}

static enum nspi_object_kind kind_of(const struct ldb_message *msg)
{
	const struct ldb_message_element *el = ldb_msg_find_element(msg,
		"objectClass");
	const char *classes[16];
	unsigned i, n = 0;
	bool mailbox = ldb_msg_find_element(msg, "homeMDB") != NULL ||
		ldb_msg_find_element(msg, "msExchHomeServerName") != NULL;

	for (i = 0; el != NULL && i < el->num_values && n < ARRAY_LEN(classes); i++) {
		classes[n++] = (const char *)el->values[i].data;
	}
	return nspi_kind_from_classes(classes, n, mailbox);
}

static bool msg_guid(const struct ldb_message *msg, uint8_t g[16])
{
	const struct ldb_val *v = ldb_msg_find_ldb_val(msg, "objectGUID");

	if (v == NULL || v->length != 16) {
		return false;
	}
	memcpy(g, v->data, 16);
	return true;
}

/* ---- searches with a bounded callback --------------------------------- */

struct nspi_collect {
	TALLOC_CTX *mem_ctx;
	struct ldb_message **msgs;
	uint32_t n;
	uint32_t limit;
	uint32_t total;		/* counted up to limit + 1 */
};

static int nspi_collect_cb(struct ldb_request *req, struct ldb_reply *ares)
{
	struct nspi_collect *c = req->context;

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
		if (c->total <= c->limit) {
			c->total++;
		}
		if (c->n < c->limit) {
			c->msgs[c->n++] = talloc_steal(c->mem_ctx, ares->message);
		}
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

struct nspi_search_args {
	struct nspi_session *s;
	struct nspi_collect *c;
	struct ldb_dn *base;
	enum ldb_scope scope;
	struct ldb_parse_tree *tree;
	const char *const *attrs;
	int ret;
};

static void nspi_search_loop(void *arg)
{
	struct nspi_search_args *a = arg;
	struct ldb_request *req = NULL;
	TALLOC_CTX *tmp = talloc_new(a->c->mem_ctx);

	if (tmp == NULL) {
		a->ret = LDB_ERR_OPERATIONS_ERROR;
		return;
	}
	a->ret = ldb_build_search_req_ex(&req, a->s->samdb, tmp, a->base,
		a->scope, a->tree, a->attrs, NULL, a->c, nspi_collect_cb, NULL);
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_request(a->s->samdb, req);
	}
	if (a->ret == LDB_SUCCESS) {
		a->ret = ldb_wait(req->handle, LDB_WAIT_ALL);
	}
	talloc_free(tmp);
}

/* one bounded search on the loop; @base as a DN string */
static int nspi_search(struct nspi_session *s, struct nspi_collect *c,
		       const char *base, enum ldb_scope scope,
		       struct ldb_parse_tree *tree, const char *const *attrs)
{
	struct nspi_search_args a = { s, c, NULL, scope, tree, attrs, 0 };

	c->msgs = talloc_array(c->mem_ctx, struct ldb_message *,
			       c->limit ? c->limit : 1);
	if (c->msgs == NULL) {
		return LDB_ERR_OPERATIONS_ERROR;
	}
	a.base = ldb_dn_new(c->mem_ctx, s->samdb, base);
	if (a.base == NULL) {
		return LDB_ERR_OPERATIONS_ERROR;
	}
	mp_loop_call(nspi_search_loop, &a);
	return a.ret;
}

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
	    nspi_search(s, &c, s->config_dn, LDB_SCOPE_SUBTREE, tree,
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
		if (!msg_guid(m, cs[n].guid)) {
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
		enum nspi_object_kind kind = kind_of(m);

		if (kind == NSPI_KIND_NONE || !msg_guid(m, g)) {
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
	a.tree = tmp ? container_tree(tmp, c) : NULL;
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
			       guid_dn(a->mem_ctx, a->s->samdb, g), LDB_SCOPE_BASE,
			       a->attrs, NULL) != LDB_SUCCESS || res->count != 1) {
			continue;
		}
		e->msg = res->msgs[0];
		e->kind = kind_of(e->msg);
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

/* ---- searches --------------------------------------------------------------- */

static uint32_t ldb_to_nspi(int ret)
{
	switch (ret) {
	case LDB_SUCCESS: return NSPI_Success;
	case LDB_ERR_INSUFFICIENT_ACCESS_RIGHTS: return NSPI_AccessDenied;
	case LDB_ERR_NO_SUCH_OBJECT: return NSPI_NotFound;
	case LDB_ERR_CONSTRAINT_VIOLATION:
	case LDB_ERR_INVALID_ATTRIBUTE_SYNTAX:
	case LDB_ERR_ATTRIBUTE_OR_VALUE_EXISTS:
	case LDB_ERR_NO_SUCH_ATTRIBUTE:
	case LDB_ERR_UNDEFINED_ATTRIBUTE_TYPE:
	case LDB_ERR_OBJECT_CLASS_VIOLATION: return NSPI_InvalidParameter;
	case LDB_ERR_UNWILLING_TO_PERFORM: return NSPI_NotSupported;
	default: return NSPI_GeneralFailure;
	}
}

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
	full = tree_and(col.mem_ctx, container_tree(col.mem_ctx, c), tree);
	if (full == NULL) {
		talloc_free(col.mem_ctx);
		return NSPI_NotEnoughMemory;
	}
	ret = nspi_search(s, &col, s->base_dn, LDB_SCOPE_SUBTREE, full, attrs);
	if (ret != LDB_SUCCESS) {
		talloc_free(col.mem_ctx);
		return ldb_to_nspi(ret);
	}
	mids = talloc_array(mem_ctx, uint32_t, col.n ? col.n : 1);
	if (mids == NULL) {
		talloc_free(col.mem_ctx);
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < col.n; i++) {
		uint8_t g[16];

		if (msg_guid(col.msgs[i], g) && kind_of(col.msgs[i]) != NSPI_KIND_NONE) {
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

static bool parse_hex_guid(const char *hex, uint8_t g[16])
{
	unsigned i, v;

	if (strlen(hex) != 32) {
		return false;
	}
	for (i = 0; i < 16; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1 ||
		    strchr("0123456789abcdefABCDEF", hex[2 * i]) == NULL ||
		    strchr("0123456789abcdefABCDEF", hex[2 * i + 1]) == NULL) {
			return false;
		}
		g[i] = (uint8_t)v;
	}
	return true;
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
	if (strncasecmp(dn, "/guid=", 6) == 0 && parse_hex_guid(dn + 6, g)) {
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
	    (cn = strstr(dn, "/cn=")) != NULL && parse_hex_guid(cn + 4, g)) {
		char txt[37];
		struct ldb_val v = { g, 16 };

		guid_text(g, txt);
		tree = talloc_zero(tmp, struct ldb_parse_tree);
		if (tree != NULL) {
			tree->operation = LDB_OP_EQUALITY;
			tree->u.equality.attr = "objectGUID";
			tree->u.equality.value = v;
		}
	} else {
		tree = tree_equality(tmp, "legacyExchangeDN", dn);
	}
	tree = tree ? tree_and(tmp, ldb_parse_tree(tmp, nspi_gal_filter), tree) : NULL;
	if (tree != NULL &&
	    nspi_search(s, &col, s->base_dn, LDB_SCOPE_SUBTREE, tree,
			(const char *const []){ "objectGUID", NULL }) == LDB_SUCCESS &&
	    col.n == 1 && msg_guid(col.msgs[0], g)) {
		mid = nspi_mids_get(s->mids, g);
	}
	talloc_free(tmp);
	return mid;
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
		nspi_search_loop(&sa);
		if (sa.ret == LDB_SUCCESS && col.n == 1 &&
		    msg_guid(col.msgs[0], a->guids[a->n_out].b)) {
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
	mods->dn = guid_dn(mods, s->samdb, g);
	if (mods->dn == NULL) {
		return NSPI_NotEnoughMemory;
	}
	mp_loop_call(nspi_modify_loop, &a);
	return ldb_to_nspi(a.ret);
}

/*
 * Helpers shared by the directory files (nspi_dir_*.c): the GAL filter,
 * ldb parse-tree building blocks, object classification and the bounded
 * search that runs one piece on the event loop.
 *
 * Which objects are in the address book ([MS-OXNSPI] 3.1.4.4; doc/nspi.md):
 * users, groups and contacts (not computers) that are mail-enabled
 * (legacyExchangeDN, mailNickname, proxyAddresses or mail) and not hidden
 * (msExchHideFromAddressLists TRUE). An address list holds those whose
 * showInAddressBook names it, or that match its purportedSearch.
 */
#include "nspi_dir_private.h"

#include <ldb_module.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A constant, not client input: parsed, never built from request data. */
const char nspi_gal_filter[] =
	"(&(|(objectClass=user)(objectClass=group)(objectClass=contact))"
	"(!(objectClass=computer))"
	"(|(legacyExchangeDN=*)(mailNickname=*)(proxyAddresses=*)(mail=*))"
	"(!(msExchHideFromAddressLists=TRUE)))";

void nspi_dir_guid_text(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4],
		 g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

struct ldb_dn *nspi_dir_guid_dn(TALLOC_CTX *mem_ctx, struct ldb_context *ldb,
			      const uint8_t g[16])
{
	char txt[37];

	nspi_dir_guid_text(g, txt);
	/* txt is hex digits and dashes only */
	return ldb_dn_new_fmt(mem_ctx, ldb, "<GUID=%s>", txt);
}

struct ldb_parse_tree *nspi_tree_and(TALLOC_CTX *mem_ctx,
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

struct ldb_parse_tree *nspi_tree_equality(TALLOC_CTX *mem_ctx,
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
struct ldb_parse_tree *nspi_dir_container_tree(TALLOC_CTX *mem_ctx,
					     const struct nspi_container *c)
{
	struct ldb_parse_tree *gal = ldb_parse_tree(mem_ctx, nspi_gal_filter);
	struct ldb_parse_tree *member, *or;

	if (gal == NULL || c == NULL || c->ldb_dn == NULL) {
		return gal;
	}
	member = nspi_tree_equality(mem_ctx, "showInAddressBook", c->ldb_dn);
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
	return nspi_tree_and(mem_ctx, gal, member);
}

enum nspi_object_kind nspi_dir_kind_of(const struct ldb_message *msg)
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

bool nspi_dir_msg_guid(const struct ldb_message *msg, uint8_t g[16])
{
	const struct ldb_val *v = ldb_msg_find_ldb_val(msg, "objectGUID");

	if (v == NULL || v->length != 16) {
		return false;
	}
	memcpy(g, v->data, 16);
	return true;
}

/* ---- every request as an LDAP request of the bound user ---------------- */

int nspi_dir_run(struct nspi_session *s, struct ldb_request *req)
{
	int ret;

	/*
	 * Samba's acl_read module checks only requests marked untrusted --
	 * what its LDAP server marks every client request with. A trusted
	 * request sees every object and attribute whatever the session_info
	 * of the ldb says, so without this mark the bound user would read
	 * what AD denies them (doc/nspi.md, "AD's ACLs").
	 */
	ldb_req_mark_untrusted(req);
	ret = ldb_request(s->samdb, req);
	if (ret == LDB_SUCCESS) {
		ret = ldb_wait(req->handle, LDB_WAIT_ALL);
	}
	return ret;
}

/* ---- searches with a bounded callback --------------------------------- */

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

void nspi_dir_search_loop(void *arg)
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
		a->ret = nspi_dir_run(a->s, req);
	}
	talloc_free(tmp);
}

int nspi_dir_search_base(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			 struct ldb_dn *dn, const char *const *attrs,
			 struct ldb_message **msg_r)
{
	struct ldb_message *one[1] = { NULL };
	struct nspi_collect col = { mem_ctx, one, 0, 1, 0 };
	struct nspi_search_args a = { s, &col, dn, LDB_SCOPE_BASE, NULL,
				      attrs, 0 };
	TALLOC_CTX *tmp;

	*msg_r = NULL;
	if (dn == NULL || (tmp = talloc_new(mem_ctx)) == NULL) {
		return LDB_ERR_OPERATIONS_ERROR;
	}
	/* what ldb_search() searches without a filter, on the heap as the
	 * modules may expect of a tree */
	a.tree = ldb_parse_tree(tmp, "(objectClass=*)");
	if (a.tree == NULL) {
		talloc_free(tmp);
		return LDB_ERR_OPERATIONS_ERROR;
	}
	nspi_dir_search_loop(&a);
	talloc_free(tmp);
	if (a.ret == LDB_SUCCESS && col.n != 1) {
		a.ret = LDB_ERR_NO_SUCH_OBJECT;
	}
	if (a.ret == LDB_SUCCESS) {
		*msg_r = one[0];
	}
	return a.ret;
}

/* one bounded search on the loop; @base as a DN string */
int nspi_dir_search_bounded(struct nspi_session *s, struct nspi_collect *c,
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
	mp_loop_call(nspi_dir_search_loop, &a);
	return a.ret;
}

/* ---- searches --------------------------------------------------------------- */

uint32_t nspi_dir_ldb_error(int ret)
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

bool nspi_dir_parse_hex_guid(const char *hex, uint8_t g[16])
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

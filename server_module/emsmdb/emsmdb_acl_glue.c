/*
 * The member resolver of emsmdb_acl.h for the server: a legacyExchangeDN
 * (from RopLogon's Essdn or a RopModifyPermissions entry ID) -> the
 * account name and display name of that user in sam.ldb, read on the
 * event loop (mp_loop_call) as the calling user, the DN escaped in the
 * LDAP filter. An account without a legacyExchangeDN is found by the DN
 * openchange_newuser would write for it (emsmdb_user_dn()).
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "emsmdb_glue.h"

#include <string.h>
#include <strings.h>
#include <ldb.h>

#include "emsmdb_acl.h"
#include "emsmdb_acl_glue.h"
#include "emsmdb_errors.h"

/* libsamdb: no header in samba-dev (../shared/SAMBA.md); 4.17 signature */
struct ldb_context *samdb_connect(TALLOC_CTX *mem_ctx,
				  struct tevent_context *ev_ctx,
				  struct loadparm_context *lp_ctx,
				  struct auth_session_info *session_info,
				  const struct tsocket_address *remote_address,
				  unsigned int flags);

struct emsmdb_acl_lookup {
	struct mp_call *call;
	TALLOC_CTX *mem_ctx;
	const char *dn;
	char *account;
	char *name;
};

/* the account a derived DN ".../cn=Recipients/cn=<account>" names, or NULL */
static const char *emsmdb_acl_derived_account(const char *dn)
{
	const char *p, *cn = NULL;

	for (p = dn; (p = strchr(p, '/')) != NULL; p++) {
		if (strncasecmp(p, "/cn=", 4) == 0) {
			cn = p + 4;
		}
	}
	return cn != NULL && cn[0] != '\0' ? cn : NULL;
}

static void emsmdb_acl_lookup_loop(void *arg)
{
	static const char *const attrs[] = { "sAMAccountName", "displayName",
					     "legacyExchangeDN", NULL };
	struct emsmdb_acl_lookup *a = arg;
	struct mp_call *call = a->call;
	const struct emsmdb_config *cfg = emsmdb_glue_config(call);
	struct ldb_context *samdb;
	struct ldb_result *res = NULL;
	const char *account, *name, *cn;
	TALLOC_CTX *tmp = talloc_new(NULL);
	int ret;

	if (tmp == NULL) {
		return;
	}
	samdb = samdb_connect(tmp, call->ev, call->lp_ctx, call->session_info,
			      dcesrv_connection_get_remote_address(call->dce_call->conn),
			      0);
	if (samdb == NULL) {
		goto done;
	}
	ret = ldb_search(samdb, tmp, &res, NULL, LDB_SCOPE_SUBTREE, attrs,
			 "(&(objectClass=user)(legacyExchangeDN=%s))",
			 ldb_binary_encode_string(tmp, a->dn));
	if ((ret != LDB_SUCCESS || res->count != 1) && cfg != NULL &&
	    (cn = emsmdb_acl_derived_account(a->dn)) != NULL) {
		char *expect = emsmdb_user_dn(tmp, cfg, cn);

		if (expect == NULL || strcasecmp(expect, a->dn) != 0) {
			goto done;
		}
		ret = ldb_search(samdb, tmp, &res, NULL, LDB_SCOPE_SUBTREE, attrs,
				 "(&(objectClass=user)(sAMAccountName=%s)"
				 "(!(legacyExchangeDN=*)))",
				 ldb_binary_encode_string(tmp, cn));
	}
	if (ret != LDB_SUCCESS || res->count != 1) {
		goto done;
	}
	account = ldb_msg_find_attr_as_string(res->msgs[0], "sAMAccountName", NULL);
	name = ldb_msg_find_attr_as_string(res->msgs[0], "displayName", account);
	if (account != NULL) {
		a->account = talloc_strdup(a->mem_ctx, account);
		a->name = talloc_strdup(a->mem_ctx, name != NULL ? name : account);
	}
done:
	talloc_free(tmp);
}

/* emsmdb_acl_resolve_fn: worker side */
static uint32_t emsmdb_acl_glue_resolve(void *private_data, TALLOC_CTX *mem_ctx,
					const char *dn, char **account_r,
					char **name_r)
{
	struct emsmdb_acl_lookup a = {
		.call = private_data, .mem_ctx = mem_ctx, .dn = dn,
	};

	mp_loop_call(emsmdb_acl_lookup_loop, &a);
	if (a.account == NULL || a.name == NULL) {
		talloc_free(a.account);
		talloc_free(a.name);
		return ecNotFound;
	}
	*account_r = a.account;
	*name_r = a.name;
	return ecSuccess;
}

void emsmdb_acl_glue_begin(struct mp_call *call)
{
	emsmdb_acl_set_resolver(emsmdb_acl_glue_resolve, call);
}

void emsmdb_acl_glue_end(void)
{
	emsmdb_acl_set_resolver(NULL, NULL);
}

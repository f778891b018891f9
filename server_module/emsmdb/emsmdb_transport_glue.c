/*
 * The transport's Samba side (emsmdb_transport.h): the mapiproxy:smtp_*
 * options of smb.conf, and recipient resolution against sam.ldb
 * (emsmdb_directory.h), run on the event loop through mp_loop_call as
 * emsmdb_rpc.c's connect lookup is. sam.ldb is opened once, as the system
 * session: the transport resolves recipients for the server, not as the
 * sender (reading another user's mail attributes is what delivery needs).
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "emsmdb_glue.h"

#include <string.h>
#include <ldb.h>

#include "emsmdb_errors.h"
#include "emsmdb_transport.h"

/* libsamdb: no header in samba-dev (../shared/SAMBA.md); 4.17 signatures */
struct ldb_context *samdb_connect(TALLOC_CTX *mem_ctx,
				  struct tevent_context *ev_ctx,
				  struct loadparm_context *lp_ctx,
				  struct auth_session_info *session_info,
				  const struct tsocket_address *remote_address,
				  unsigned int flags);
struct auth_session_info *system_session(struct loadparm_context *lp_ctx);

struct emsmdb_transport_glue {
	struct emsmdb_transport_config cfg;
	/* process-lifetime Samba state; LOOP ONLY */
	struct tevent_context *ev;
	struct loadparm_context *lp_ctx;
	struct ldb_context *samdb;
};

static struct emsmdb_transport_glue *emsmdb_tglue;

struct emsmdb_lookup_args {
	TALLOC_CTX *mem_ctx;		/* the worker's: see mp_loop_call */
	enum emsmdb_directory_key key;
	const char *value;
	struct emsmdb_directory_entry *entry;
	uint32_t ec;
};

/* [MS-OXOMSG] 3.2.5.1 recipient resolution, one bounded search (loop) */
static void emsmdb_lookup_loop(void *arg)
{
	static const char *const attrs[] = { "sAMAccountName", "displayName",
		"mail", "proxyAddresses", "legacyExchangeDN", "homeMDB",
		"msExchHomeServerName", "msExchUserAccountControl", NULL };
	struct emsmdb_lookup_args *a = arg;
	struct emsmdb_transport_glue *g = emsmdb_tglue;
	struct ldb_result *res = NULL;
	struct ldb_message_element *px;
	struct emsmdb_directory_entry *e;
	const struct ldb_message *m;
	const char **proxies = NULL;
	char *filter;
	unsigned i, n = 0;
	int ret;

	a->ec = ecError;
	if (g->samdb == NULL) {
		g->samdb = samdb_connect(g, g->ev, g->lp_ctx,
					 system_session(g->lp_ctx), NULL, 0);
		if (g->samdb == NULL) {
			mp_log(MP_LOG_ERR, "emsmdb: transport: cannot open sam.ldb");
			return;
		}
	}
	filter = emsmdb_directory_filter(a->mem_ctx, a->key, a->value);
	if (filter == NULL) {
		a->ec = ecNotFound;
		return;
	}
	ret = ldb_search(g->samdb, a->mem_ctx, &res, NULL, LDB_SCOPE_SUBTREE,
			 attrs, "%s", filter);
	talloc_free(filter);
	if (ret != LDB_SUCCESS) {
		mp_log(MP_LOG_ERR, "emsmdb: transport: directory search failed: %s",
		       ldb_errstring(g->samdb));
		return;
	}
	if (res->count != 1) {
		a->ec = ecNotFound;
		talloc_free(res);
		return;
	}
	m = res->msgs[0];
	e = talloc_zero(a->mem_ctx, struct emsmdb_directory_entry);
	px = ldb_msg_find_element(m, "proxyAddresses");
	if (e == NULL) {
		talloc_free(res);
		return;
	}
	if (px != NULL && px->num_values > 0 && px->num_values < 1024) {
		proxies = talloc_zero_array(e, const char *, px->num_values);
		for (i = 0; proxies != NULL && i < px->num_values; i++) {
			proxies[n++] = talloc_strndup(proxies,
				(const char *)px->values[i].data, px->values[i].length);
		}
	}
	e->account = talloc_strdup(e, ldb_msg_find_attr_as_string(m, "sAMAccountName", ""));
	e->display_name = talloc_strdup(e, ldb_msg_find_attr_as_string(m,
		"displayName", e->account));
	e->legacy_dn = talloc_strdup(e, ldb_msg_find_attr_as_string(m,
		"legacyExchangeDN", NULL));
	e->smtp_address = emsmdb_directory_primary_smtp(e,
		ldb_msg_find_attr_as_string(m, "mail", NULL), proxies, n);
	/* doc/provisioning.md: a mailbox of this server, not disabled */
	e->has_mailbox = (ldb_msg_find_element(m, "homeMDB") != NULL ||
			  ldb_msg_find_element(m, "msExchHomeServerName") != NULL) &&
		ldb_msg_find_attr_as_int(m, "msExchUserAccountControl", 0) != 2;
	talloc_free(res);
	if (e->account == NULL || e->account[0] == '\0') {
		talloc_free(e);
		a->ec = ecNotFound;
		return;
	}
	a->entry = e;
	a->ec = ecSuccess;
}

/* worker: the directory hook of the transport */
static uint32_t emsmdb_glue_lookup(void *private_data, TALLOC_CTX *mem_ctx,
				   enum emsmdb_directory_key key, const char *value,
				   struct emsmdb_directory_entry **entry_r)
{
	struct emsmdb_lookup_args a = { .mem_ctx = mem_ctx, .key = key,
					.value = value };

	mp_loop_call(emsmdb_lookup_loop, &a);
	if (a.ec == ecSuccess) {
		*entry_r = a.entry;
	}
	return a.ec;
}

void emsmdb_transport_glue_init(struct mp_call *call)
{
	struct loadparm_context *lp = call->lp_ctx;
	struct emsmdb_transport_glue *g;
	const char *v;
	int n;

	if (emsmdb_tglue != NULL) {
		return;
	}
	g = talloc_zero(NULL, struct emsmdb_transport_glue);
	if (g == NULL) {
		return;
	}
	g->ev = call->ev;
	g->lp_ctx = lp;
	v = lpcfg_parm_string(lp, NULL, "mapiproxy", "smtp_smarthost");
	g->cfg.smarthost = v != NULL && v[0] != '\0' ? talloc_strdup(g, v) : NULL;
	v = lpcfg_parm_string(lp, NULL, "mapiproxy", "smtp_helo_name");
	g->cfg.helo_name = talloc_strdup(g, v != NULL && v[0] != '\0' ? v :
					 call->server->fqdn);
	n = lpcfg_parm_int(lp, NULL, "mapiproxy", "smtp_timeout", 30);
	g->cfg.smtp_timeout_secs = n > 0 && n <= 3600 ? (unsigned)n : 30;
	g->cfg.directory.lookup = emsmdb_glue_lookup;
	g->cfg.directory.private_data = g;
	emsmdb_tglue = g;
	emsmdb_transport_configure(&g->cfg);
	mp_log(MP_LOG_NOTICE, "emsmdb: transport: smarthost %s, HELO %s",
	       g->cfg.smarthost ? g->cfg.smarthost : "(none: NDR for non-local "
	       "recipients)", g->cfg.helo_name ? g->cfg.helo_name : "?");
}

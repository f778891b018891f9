/*
 * mapiproxy: the endpoint server Samba's AD DC loads from its dcerpc_server
 * modules directory.
 *
 * Enabled by the lines of the deployment guide, section 6.2:
 *   dcerpc endpoint servers = +epmapper, +mapiproxy
 *   dcerpc_mapiproxy:server = true
 *   dcerpc_mapiproxy:interfaces = exchange_emsmdb, exchange_nsp, exchange_ds_rfr
 *
 * Rule of this file: nothing here may make Samba's rpc task fail. If
 * "mapiproxy" is listed in `dcerpc endpoint servers` and its init fails, the
 * whole rpc task restarts in a loop and the DC's lsarpc, samr and netlogon go
 * down with it (../shared/SAMBA.md). So every problem is logged and skipped,
 * and init_server always returns NT_STATUS_OK.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <ctype.h>
#include <string.h>

#ifndef OPENCHANGE_VERSION
#define OPENCHANGE_VERSION "unknown"
#endif

NTSTATUS samba_init_module(TALLOC_CTX *ctx);

/* exported by libdcerpc-server-core, not declared in its header */
const struct dcesrv_critical_sizes *dcerpc_module_version(void);

/* The sizes this module was compiled against. A test build skews one on
 * purpose (MP_ABI_TEST_SKEW) to prove that a mismatch is refused cleanly. */
#ifndef MP_ABI_TEST_SKEW
#define MP_ABI_TEST_SKEW 0
#endif

static struct mp_server *mp_the_server;

const struct mp_server *mp_server_get(void)
{
	return mp_the_server;
}

/*
 * Compare Samba's struct sizes with ours. Samba's internal structs changed
 * layout between releases without a version bump; a module built against
 * other headers would corrupt memory, so it must not register anything.
 */
static bool mp_abi_matches(void)
{
	const struct dcesrv_critical_sizes *have = dcerpc_module_version();
	const struct {
		const char *what;
		int ours;
		int samba;
	} checks[] = {
		{ "interface_version", DCERPC_MODULE_VERSION, have->interface_version },
		{ "dcesrv_context", (int)sizeof(struct dcesrv_context), have->sizeof_dcesrv_context },
		{ "dcesrv_endpoint", (int)sizeof(struct dcesrv_endpoint), have->sizeof_dcesrv_endpoint },
		{ "dcesrv_endpoint_server", (int)sizeof(struct dcesrv_endpoint_server), have->sizeof_dcesrv_endpoint_server },
		{ "dcesrv_interface", (int)sizeof(struct dcesrv_interface), have->sizeof_dcesrv_interface },
		{ "dcesrv_if_list", (int)sizeof(struct dcesrv_if_list), have->sizeof_dcesrv_if_list },
		{ "dcesrv_connection", (int)sizeof(struct dcesrv_connection), have->sizeof_dcesrv_connection },
		{ "dcesrv_call_state", (int)sizeof(struct dcesrv_call_state) + MP_ABI_TEST_SKEW, have->sizeof_dcesrv_call_state },
		{ "dcesrv_auth", (int)sizeof(struct dcesrv_auth), have->sizeof_dcesrv_auth },
		{ "dcesrv_handle", (int)sizeof(struct dcesrv_handle), have->sizeof_dcesrv_handle },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		if (checks[i].ours != checks[i].samba) {
			DEBUGC(mp_dbgc, 0, ("mapiproxy: NOT loaded: built against "
				"other Samba headers (%s: module %d, samba %d); "
				"rebuild it against this Samba's samba-dev\n",
				checks[i].what, checks[i].ours, checks[i].samba));
			return false;
		}
	}
	return true;
}

/*
 * The interface names of dcerpc_mapiproxy:interfaces. A NULL def is an
 * interface this build does not serve yet: logged and skipped.
 * AsyncEMSMDB goes with exchange_emsmdb ([MS-OXCRPC] 1.4).
 */
static const struct {
	const char *name;
	const struct mp_iface_def *defs[2];
} mp_known_ifaces[] = {
	{ "exchange_emsmdb", { &mp_iface_emsmdb, &mp_iface_async_emsmdb } },
	{ "exchange_nsp", { &mp_iface_nspi, NULL } },
	{ "exchange_ds_rfr", { &mp_iface_rfr, NULL } },
};

static void mp_register_named(struct dcesrv_context *dce_ctx, const char *name,
			      char **served)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(mp_known_ifaces); i++) {
		if (strcasecmp(mp_known_ifaces[i].name, name) != 0) {
			continue;
		}
		if (mp_known_ifaces[i].defs[0] == NULL) {
			DEBUGC(mp_dbgc, 1, ("mapiproxy: interface %s is not "
				"served by this build yet; skipped\n", name));
			return;
		}
		for (j = 0; j < 2 && mp_known_ifaces[i].defs[j] != NULL; j++) {
			const struct mp_iface_def *def = mp_known_ifaces[i].defs[j];
			NTSTATUS status = mp_iface_register(dce_ctx, def);

			if (!NT_STATUS_IS_OK(status)) {
				DEBUGC(mp_dbgc, 0, ("mapiproxy: cannot register "
					"%s: %s\n", def->name, nt_errstr(status)));
				continue;
			}
			*served = talloc_asprintf_append(*served, "%s%s",
				**served ? ", " : "", def->name);
		}
		return;
	}
	DEBUGC(mp_dbgc, 0, ("mapiproxy: unknown interface '%s' in "
		"dcerpc_mapiproxy:interfaces; skipped\n", name));
}

static struct mp_server *mp_server_new(TALLOC_CTX *mem_ctx,
				       struct loadparm_context *lp_ctx)
{
	struct mp_server *srv = talloc_zero(mem_ctx, struct mp_server);
	const char *dnsdomain = lpcfg_dnsdomain(lp_ctx);
	int threads;
	char *p;

	if (srv == NULL) {
		return NULL;
	}
	srv->netbios_name = talloc_strdup(srv, lpcfg_netbios_name(lp_ctx));
	srv->fqdn = talloc_asprintf(srv, "%s%s%s", lpcfg_netbios_name(lp_ctx),
				    dnsdomain && *dnsdomain ? "." : "",
				    dnsdomain ? dnsdomain : "");
	srv->organization = talloc_strdup(srv, lpcfg_parm_string(lp_ctx, NULL,
		"dcerpc_mapiproxy", "organization") ?: "First Organization");
	srv->admin_group = talloc_strdup(srv, lpcfg_parm_string(lp_ctx, NULL,
		"dcerpc_mapiproxy", "administrative_group") ?: "First Administrative Group");
	if (srv->netbios_name == NULL || srv->fqdn == NULL ||
	    srv->organization == NULL || srv->admin_group == NULL) {
		talloc_free(srv);
		return NULL;
	}
	for (p = srv->fqdn; *p; p++) {
		*p = tolower((unsigned char)*p);
	}
	threads = lpcfg_parm_int(lp_ctx, NULL, "dcerpc_mapiproxy",
				 "worker_threads", 4);
	srv->worker_threads = threads < 1 ? 1 : (threads > 64 ? 64 : threads);
	srv->allow_connect = lpcfg_parm_bool(lp_ctx, NULL, "dcerpc_mapiproxy",
					     "allow_connect", false);
	return srv;
}

static NTSTATUS mp_init_server(struct dcesrv_context *dce_ctx,
			       const struct dcesrv_endpoint_server *ep_server)
{
	struct loadparm_context *lp_ctx = dce_ctx->lp_ctx;
	const char *default_ifaces[] = {
		"exchange_emsmdb", "exchange_nsp", "exchange_ds_rfr", NULL
	};
	const char **ifaces;
	char *served;
	size_t i;

	if (!mp_abi_matches()) {
		return NT_STATUS_OK;	/* refuse, but keep the DC running */
	}
	if (!lpcfg_parm_bool(lp_ctx, NULL, "dcerpc_mapiproxy", "server", true)) {
		DEBUGC(mp_dbgc, 1, ("mapiproxy: disabled by "
			"dcerpc_mapiproxy:server = false\n"));
		return NT_STATUS_OK;
	}

	TALLOC_FREE(mp_the_server);
	mp_the_server = mp_server_new(dce_ctx, lp_ctx);
	if (mp_the_server == NULL) {
		DEBUGC(mp_dbgc, 0, ("mapiproxy: out of memory at init; not serving\n"));
		return NT_STATUS_OK;
	}

	ifaces = lpcfg_parm_string_list(dce_ctx, lp_ctx, NULL, "dcerpc_mapiproxy",
					"interfaces", NULL);
	if (ifaces == NULL) {
		ifaces = default_ifaces;
	}
	served = talloc_strdup(dce_ctx, "");
	for (i = 0; served != NULL && ifaces[i] != NULL; i++) {
		mp_register_named(dce_ctx, ifaces[i], &served);
	}
	if (served != NULL &&
	    lpcfg_parm_bool(lp_ctx, NULL, "dcerpc_mapiproxy", "test_interface",
			    false)) {
		/* test-only operations (doc/configuration.md); never in production */
		if (NT_STATUS_IS_OK(mp_iface_register(dce_ctx, &mp_iface_test))) {
			served = talloc_asprintf_append(served, "%s%s",
				*served ? ", " : "", mp_iface_test.name);
		}
	}
	DEBUGC(mp_dbgc, 3, ("mapiproxy: loaded (openchange %s), serving: %s\n",
			    OPENCHANGE_VERSION, served ? served : "(out of memory)"));
	talloc_free(served);
	return NT_STATUS_OK;
}

static NTSTATUS mp_shutdown_server(struct dcesrv_context *dce_ctx,
				   const struct dcesrv_endpoint_server *ep_server)
{
	return NT_STATUS_OK;
}

static bool mp_interface_by_uuid(struct dcesrv_interface *iface,
				 const struct GUID *uuid, uint32_t if_version)
{
	return false;
}

static bool mp_interface_by_name(struct dcesrv_interface *iface,
				 const char *name)
{
	return false;
}

NTSTATUS samba_init_module(TALLOC_CTX *ctx)
{
	/* not const: Samba may keep and update this registration */
	static struct dcesrv_endpoint_server ep_server = {
		.name = "mapiproxy",
		.init_server = mp_init_server,
		.shutdown_server = mp_shutdown_server,
		.interface_by_uuid = mp_interface_by_uuid,
		.interface_by_name = mp_interface_by_name,
	};
	NTSTATUS status;

	mp_log_init();
	status = dcerpc_register_ep_server(&ep_server);
	if (!NT_STATUS_IS_OK(status)) {
		DEBUGC(mp_dbgc, 0, ("mapiproxy: cannot register the endpoint "
			"server: %s\n", nt_errstr(status)));
	}
	return status;
}

/*
 * The exchange_emsmdb interface ([MS-OXCRPC] 3.1.4): the glue between
 * mapiproxy's dispatcher (worker threads, mp_loop_call) and the Samba-free
 * EMSMDB core (emsmdb_session.h, emsmdb_rop.h).
 *
 * Session lifetime (doc/emsmdb.md): EcDoConnectEx creates the session and
 * a Samba context handle whose data is a small anchor; the handle dies
 * with EcDoDisconnect or with the client's association group (a dropped
 * connection), and its destructor frees the session - or, while a call is
 * using it (pinned), marks it orphaned so that the last unpin frees it.
 * Every step that touches Samba state or the session registry runs on the
 * event loop (mp_loop_call); the ROP work runs on the worker with the
 * session pinned, one call of a session at a time (serial_for_call).
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "emsmdb_glue.h"

#include <string.h>
#include <time.h>
#include <ldb.h>

#include "exchange_emsmdb.h"
#include "ndr_exchange_emsmdb.h"
#include "emsmdb_rop.h"
#include "emsmdb_errors.h"
#include "emsmdb_log.h"
#include "emsmdb_acl_glue.h"

/* libsamdb: no header in samba-dev (../shared/SAMBA.md); 4.17 signature */
struct ldb_context *samdb_connect(TALLOC_CTX *mem_ctx,
				  struct tevent_context *ev_ctx,
				  struct loadparm_context *lp_ctx,
				  struct auth_session_info *session_info,
				  const struct tsocket_address *remote_address,
				  unsigned int flags);

/* the data of an EMSMDB context handle */
struct emsmdb_anchor {
	struct emsmdb_session *s;
};

static int emsmdb_anchor_destructor(struct emsmdb_anchor *a)
{
	struct emsmdb_session *s = a->s;

	if (s == NULL) {
		return 0;
	}
	a->s = NULL;
	emsmdb_async_session_gone(s);
	if (s->pins > 0) {
		s->orphaned = true;
		return 0;
	}
	mp_log(MP_LOG_NOTICE, "emsmdb: session %u of %s ended", s->cxr,
	       s->account);
	emsmdb_session_free(s);
	return 0;
}

/* ---- pins (loop) ---- */

struct emsmdb_pin_args {
	struct mp_call *call;
	const struct policy_handle *handle;
	struct emsmdb_session *s;
};

static struct emsmdb_session *emsmdb_session_of(struct mp_call *call,
						 const struct policy_handle *p)
{
	struct dcesrv_handle *h;
	struct emsmdb_anchor *a;

	h = dcesrv_handle_lookup(call->dce_call, p, EMSMDB_HANDLE_CXH);
	if (h == NULL) {
		return NULL;
	}
	a = talloc_get_type(h->data, struct emsmdb_anchor);
	return a != NULL ? a->s : NULL;
}

static void emsmdb_pin_loop(void *arg)
{
	struct emsmdb_pin_args *a = arg;

	a->s = emsmdb_session_of(a->call, a->handle);
	if (a->s != NULL) {
		a->s->pins++;
	}
}

static void emsmdb_unpin_loop(void *arg)
{
	struct emsmdb_session *s = arg;

	s->pins--;
	if (s->orphaned && s->pins == 0) {
		mp_log(MP_LOG_NOTICE, "emsmdb: session %u of %s ended "
		       "(connection gone)", s->cxr, s->account);
		emsmdb_session_free(s);
	}
}

struct emsmdb_session *emsmdb_glue_pin(struct mp_call *call,
				       const struct policy_handle *p)
{
	struct emsmdb_pin_args a = { .call = call, .handle = p };

	mp_loop_call(emsmdb_pin_loop, &a);
	if (a.s == NULL) {
		/* as Samba's own servers answer an unknown context handle */
		call->fault_code = DCERPC_FAULT_CONTEXT_MISMATCH;
	}
	return a.s;
}

void emsmdb_glue_unpin(struct emsmdb_session *s)
{
	mp_loop_call(emsmdb_unpin_loop, s);
}

/* ---- EcDoConnectEx (opnum 10) ---- */

struct emsmdb_connect_args {
	struct mp_call *call;
	struct EcDoConnectEx *r;
	struct emsmdb_connect_in in;
	bool lookup_failed;
	struct emsmdb_session *s;	/* to register */
	bool registered;
};

/* loop: who is calling ([MS-OXCRPC] 3.1.4.1: the DN must be theirs) */
static void emsmdb_connect_lookup_loop(void *arg)
{
	static const char *const attrs[] = { "legacyExchangeDN", "displayName",
					     NULL };
	struct emsmdb_connect_args *a = arg;
	struct mp_call *call = a->call;
	const struct emsmdb_config *cfg = emsmdb_glue_config(call);
	enum dcerpc_AuthLevel level = DCERPC_AUTH_LEVEL_NONE;
	struct ldb_context *samdb;
	struct ldb_result *res = NULL;
	const char *dn, *name;
	int ret;

	dcesrv_call_auth_info(call->dce_call, NULL, &level);
	a->in.privacy = level == DCERPC_AUTH_LEVEL_PRIVACY;
	a->in.account = call->account_name;
	if (cfg == NULL || call->account_name == NULL) {
		a->lookup_failed = cfg == NULL;
		return;
	}
	samdb = samdb_connect(call->mem_ctx, call->ev, call->lp_ctx,
			      call->session_info,
			      dcesrv_connection_get_remote_address(call->dce_call->conn),
			      0);
	if (samdb == NULL) {
		a->lookup_failed = true;
		return;
	}
	ret = ldb_search(samdb, call->mem_ctx, &res, NULL, LDB_SCOPE_SUBTREE,
			 attrs, "(&(objectClass=user)(sAMAccountName=%s))",
			 ldb_binary_encode_string(call->mem_ctx,
						  call->account_name));
	if (ret != LDB_SUCCESS || res->count != 1) {
		a->lookup_failed = ret != LDB_SUCCESS;
		return;
	}
	dn = ldb_msg_find_attr_as_string(res->msgs[0], "legacyExchangeDN", NULL);
	name = ldb_msg_find_attr_as_string(res->msgs[0], "displayName", NULL);
	/* an account openchange_newuser has not touched yet gets the DN it
	 * will write: derived from the authenticated name, so only its own */
	a->in.account_dn = dn != NULL ? talloc_strdup(call->mem_ctx, dn) :
			   emsmdb_user_dn(call->mem_ctx, cfg, call->account_name);
	a->in.account_display_name = talloc_strdup(call->mem_ctx,
						   name ? name : call->account_name);
}

/* loop: the context handle and the registry */
static void emsmdb_connect_register_loop(void *arg)
{
	struct emsmdb_connect_args *a = arg;
	struct dcesrv_handle *h;
	struct emsmdb_anchor *anchor;

	a->s->serial = mp_serial_new(a->s);
	if (a->s->serial == NULL) {
		return;
	}
	h = dcesrv_handle_create(a->call->dce_call, EMSMDB_HANDLE_CXH);
	if (h == NULL) {
		return;
	}
	anchor = talloc_zero(h, struct emsmdb_anchor);
	if (anchor == NULL || !emsmdb_registry_add(a->s)) {
		talloc_free(h);
		return;
	}
	h->data = anchor;
	memcpy(a->s->guid, &h->wire_handle.uuid, 16);
	anchor->s = a->s;
	talloc_set_destructor(anchor, emsmdb_anchor_destructor);
	*a->r->out.pcxh = h->wire_handle;
	*a->r->out.picxr = a->s->cxr;
	a->registered = true;
	mp_log(MP_LOG_NOTICE, "emsmdb: session %u for %s (%s)", a->s->cxr,
	       a->s->account, a->call->remote_address ?: "?");
}

static void emsmdb_free_loop(void *arg)
{
	emsmdb_session_free(arg);
}

static NTSTATUS emsmdb_EcDoConnectEx(struct mp_call *call, void *_r)
{
	struct EcDoConnectEx *r = _r;
	struct emsmdb_connect_args a;
	struct emsmdb_connect_out out;
	const struct emsmdb_config *cfg;
	uint32_t ec;

	memset(&a, 0, sizeof(a));
	a.call = call;
	a.r = r;
	memset(r->out.pcxh, 0, sizeof(*r->out.pcxh));
	mp_loop_call(emsmdb_connect_lookup_loop, &a);
	cfg = emsmdb_glue_config(call);
	a.in.szUserDN = r->in.szUserDN;
	a.in.ulFlags = r->in.ulFlags;
	a.in.ulCpid = r->in.ulCpid;
	a.in.ulLcidString = r->in.ulLcidString;
	a.in.ulLcidSort = r->in.ulLcidSort;
	memcpy(a.in.rgwClientVersion, r->in.rgwClientVersion, 6);
	a.in.rgbAuxIn = r->in.rgbAuxIn;
	a.in.cbAuxIn = r->in.cbAuxIn;
	a.in.cbAuxOutMax = *r->in.pcbAuxOut;
	if (cfg == NULL || a.lookup_failed) {
		mp_log(MP_LOG_ERR, "emsmdb: EcDoConnectEx: cannot read the "
		       "directory entry of %s", call->account_name ?: "?");
		memset(&out, 0, sizeof(out));
		ec = ecError;
	} else {
		ec = emsmdb_connect(call->mem_ctx, cfg, &a.in, &out, &a.s);
	}
	if (ec == ecSuccess) {
		mp_loop_call(emsmdb_connect_register_loop, &a);
		if (!a.registered) {
			mp_loop_call(emsmdb_free_loop, a.s);
			ec = ecMAPIOOM;
		}
	}
	if (ec != ecSuccess) {
		mp_log(MP_LOG_WARNING, "emsmdb: EcDoConnectEx for %s as '%s' "
		       "refused: 0x%08x", call->account_name ?: "?",
		       r->in.szUserDN ?: "", ec);
	}
	*r->out.pcmsPollsMax = out.pcmsPollsMax;
	*r->out.pcRetry = out.pcRetry;
	*r->out.pcmsRetryDelay = out.pcmsRetryDelay;
	*r->out.szDNPrefix = out.szDNPrefix ? out.szDNPrefix : "";
	*r->out.szDisplayName = out.szDisplayName ? out.szDisplayName : "";
	memcpy(r->out.rgwServerVersion, out.rgwServerVersion, 6);
	memcpy(r->out.rgwBestVersion, out.rgwBestVersion, 6);
	/* 3.1.4.1: the server's time stamp, opaque to the client */
	*r->out.pulTimeStamp = (uint32_t)time(NULL);
	if (out.cbAuxOut > 0 && out.cbAuxOut <= *r->in.pcbAuxOut) {
		r->out.rgbAuxOut = out.rgbAuxOut;
		*r->out.pcbAuxOut = out.cbAuxOut;
	} else {
		*r->out.pcbAuxOut = 0;
	}
	r->out.result = ec;
	return NT_STATUS_OK;
}

/* ---- EcDoRpcExt2 (opnum 11) ---- */

static NTSTATUS emsmdb_EcDoRpcExt2(struct mp_call *call, void *_r)
{
	struct EcDoRpcExt2 *r = _r;
	struct emsmdb_rpcext2_io io;
	struct emsmdb_session *s;
	uint32_t ec;

	/* pinned on the loop by emsmdb_serial_for_call (released by
	 * emsmdb_job_done); pinned here only when the call runs inline */
	s = call->iface_private;
	if (s == NULL) {
		s = emsmdb_glue_pin(call, r->in.pcxh);
	}
	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	memset(&io, 0, sizeof(io));
	io.pulFlags = *r->in.pulFlags;
	io.rgbIn = r->in.rgbIn;
	io.cbIn = r->in.cbIn;
	io.cbOutMax = *r->in.pcbOut;
	io.rgbAuxIn = r->in.rgbAuxIn;
	io.cbAuxIn = r->in.cbAuxIn;
	io.cbAuxOutMax = *r->in.pcbAuxOut;
	emsmdb_acl_glue_begin(call);	/* members resolved through sam.ldb */
	ec = emsmdb_rpcext2(s, call->mem_ctx, &io);
	emsmdb_acl_glue_end();
	if (call->iface_private == NULL) {
		emsmdb_glue_unpin(s);
	}

	*r->out.pulFlags = io.pulFlagsOut;
	*r->out.pcbOut = io.cbOut;
	if (io.cbOut > 0) {
		r->out.rgbOut = io.rgbOut;
	}
	*r->out.pcbAuxOut = 0;
	*r->out.pulTransTime = io.ulTransTime;
	r->out.result = ec;
	return NT_STATUS_OK;
}

/* ---- EcDoDisconnect (opnum 1) ---- */

struct emsmdb_disconnect_args {
	struct mp_call *call;
	struct EcDoDisconnect *r;
	bool found;
};

static void emsmdb_disconnect_loop(void *arg)
{
	struct emsmdb_disconnect_args *a = arg;
	struct dcesrv_handle *h;

	h = dcesrv_handle_lookup(a->call->dce_call, a->r->in.pcxh,
				 EMSMDB_HANDLE_CXH);
	if (h == NULL) {
		return;
	}
	a->found = true;
	/* the anchor's destructor frees the session (or orphans it) */
	talloc_free(h);
}

/* [MS-OXCRPC] 3.1.4.3: frees the session; the handle comes back zeroed */
static NTSTATUS emsmdb_EcDoDisconnect(struct mp_call *call, void *_r)
{
	struct EcDoDisconnect *r = _r;
	struct emsmdb_disconnect_args a = { .call = call, .r = r };

	mp_loop_call(emsmdb_disconnect_loop, &a);
	if (!a.found) {
		call->fault_code = DCERPC_FAULT_CONTEXT_MISMATCH;
		return NT_STATUS_INVALID_HANDLE;
	}
	memset(r->out.pcxh, 0, sizeof(*r->out.pcxh));
	r->out.result = ecSuccess;
	return NT_STATUS_OK;
}

/* [MS-OXCRPC] 3.1.4.6 EcDummyRpc: does nothing, succeeds */
static NTSTATUS emsmdb_EcDummyRpc(struct mp_call *call, void *_r)
{
	struct EcDummyRpc *r = _r;

	r->out.result = ecSuccess;
	return NT_STATUS_OK;
}

/*
 * [MS-OXCRPC] 3.1.4.5 EcRRegisterPushNotification: UDP push notifications
 * are not offered (the spec lets a server refuse them); clients fall back
 * to EcDoAsyncWaitEx or polling. The handle is still checked.
 */
static NTSTATUS emsmdb_EcRRegisterPushNotification(struct mp_call *call, void *_r)
{
	struct EcRRegisterPushNotification *r = _r;

	if (emsmdb_glue_session_exists(call, r->in.pcxh) == false) {
		call->fault_code = DCERPC_FAULT_CONTEXT_MISMATCH;
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.hNotification = 0;
	r->out.result = ecNotSupported;
	return NT_STATUS_OK;
}

/* one EMSMDB session's calls run in order, whatever connection they use */
static struct mp_serial *emsmdb_serial_for_call(struct mp_call *call, void *r)
{
	const struct policy_handle *p = NULL;
	struct emsmdb_session *s;

	switch (call->opnum) {
	case 1:
		p = ((struct EcDoDisconnect *)r)->in.pcxh;
		break;
	case 11:
		p = ((struct EcDoRpcExt2 *)r)->in.pcxh;
		break;
	default:
		return NULL;
	}
	s = emsmdb_session_of(call, p);
	if (s != NULL && call->opnum == 11) {
		/* EcDoRpcExt2: pinned here, on the loop, for the worker */
		s->pins++;
		call->iface_private = s;
	}
	return s != NULL ? s->serial : NULL;
}

/* on the loop, after the handler: what emsmdb_serial_for_call pinned */
static void emsmdb_job_done(struct mp_call *call, void *r)
{
	struct emsmdb_session *s = call->iface_private;

	if (s != NULL) {
		call->iface_private = NULL;
		emsmdb_unpin_loop(s);
	}
}

bool emsmdb_glue_session_exists(struct mp_call *call,
				const struct policy_handle *p)
{
	/* inline operations run on the loop already */
	return emsmdb_session_of(call, p) != NULL;
}

struct emsmdb_session *emsmdb_glue_session_of(struct mp_call *call,
					      const struct policy_handle *p)
{
	return emsmdb_session_of(call, p);
}

static const struct mp_op emsmdb_ops[] = {
	{ "Opnum0NotUsedOnWire", NULL, 0 },
	{ "EcDoDisconnect", emsmdb_EcDoDisconnect, 0 },
	{ "Opnum2NotUsedOnWire", NULL, 0 },
	{ "Opnum3NotUsedOnWire", NULL, 0 },
	{ "EcRRegisterPushNotification", emsmdb_EcRRegisterPushNotification,
	  MP_OP_INLINE },
	{ "Opnum5NotUsedOnWire", NULL, 0 },
	{ "EcDummyRpc", emsmdb_EcDummyRpc, MP_OP_INLINE },
	{ "Opnum7NotUsedOnWire", NULL, 0 },
	{ "Opnum8NotUsedOnWire", NULL, 0 },
	{ "Opnum9NotUsedOnWire", NULL, 0 },
	{ "EcDoConnectEx", emsmdb_EcDoConnectEx, 0 },
	{ "EcDoRpcExt2", emsmdb_EcDoRpcExt2, 0 },
	{ "Opnum12NotUsedOnWire", NULL, 0 },
	{ "Opnum13NotUsedOnWire", NULL, 0 },
	{ "EcDoAsyncConnectEx", emsmdb_EcDoAsyncConnectEx, MP_OP_INLINE },
};

const struct mp_iface_def mp_iface_emsmdb = {
	.name = "exchange_emsmdb",
	.table = &ndr_table_exchange_emsmdb,
	.ops = emsmdb_ops,
	.num_ops = ARRAY_SIZE(emsmdb_ops),
	.uses_handles = true,
	.serial_for_call = emsmdb_serial_for_call,
	.job_done = emsmdb_job_done,
};

/*
 * The one dcesrv_interface implementation behind every interface mapiproxy
 * serves.
 *
 * Samba calls, per request, on its event loop:
 *   ndr_pull  -> we decode the stub with the generated table of the interface
 *   dispatch  -> we copy what the handler needs into a struct mp_call, mark
 *                the call async and queue the handler on a worker thread
 *   (worker)  -> the handler fills r->out
 *   (loop)    -> we call dcesrv_reply(), which calls back:
 *   reply     -> the handler's status (non-OK becomes a DCE/RPC fault)
 *   ndr_push  -> we encode r->out with the generated table
 *
 * Auth policy (doc/architecture.md, "Authentication"): every interface
 * requires an authenticated bind (NTLMSSP, Kerberos or SPNEGO) at
 * DCERPC_AUTH_LEVEL_INTEGRITY or PRIVACY; CONNECT level is refused unless
 * dcerpc_mapiproxy:allow_connect = yes (for old clients on trusted networks).
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <string.h>

/* the per-call state; parent of r, so reply/push can find it */
struct mp_callstate {
	const struct mp_iface_def *def;
	const struct mp_op *op;
	struct dcesrv_call_state *dce_call;
	struct mp_call call;
	void *r;
	NTSTATUS status;
	bool job_done_pending;	/* def->job_done still to run */
};

static const struct mp_iface_def *mp_def_of(const struct dcesrv_interface *iface)
{
	return iface->private_data;
}

static struct mp_callstate *mp_callstate_of(void *r)
{
	return talloc_get_type_abort(talloc_parent(r), struct mp_callstate);
}

static NTSTATUS mp_iface_bind(struct dcesrv_connection_context *context,
			      const struct dcesrv_interface *iface)
{
	const struct mp_server *srv = mp_server_get();

	if (srv != NULL && srv->allow_connect) {
		return dcesrv_interface_bind_allow_connect(context, iface);
	}
	return dcesrv_interface_bind_require_integrity(context, iface);
}

static void mp_iface_unbind(struct dcesrv_connection_context *context,
			    const struct dcesrv_interface *iface)
{
}

static NTSTATUS mp_iface_ndr_pull(struct dcesrv_call_state *dce_call,
				  TALLOC_CTX *mem_ctx, struct ndr_pull *pull,
				  void **r)
{
	const struct mp_iface_def *def = mp_def_of(dce_call->context->iface);
	uint16_t opnum = dce_call->pkt.u.request.opnum;
	const struct ndr_interface_call *c;
	struct mp_callstate *cs;
	enum ndr_err_code ndr_err;

	dce_call->fault_code = 0;
	if (opnum >= def->table->num_calls) {
		mp_log(MP_LOG_WARNING, "%s: opnum %u out of range",
		       def->name, opnum);
		dce_call->fault_code = DCERPC_FAULT_OP_RNG_ERROR;
		return NT_STATUS_NET_WRITE_FAULT;
	}
	c = &def->table->calls[opnum];

	cs = talloc_zero(mem_ctx, struct mp_callstate);
	if (cs == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	cs->def = def;
	cs->dce_call = dce_call;
	cs->r = talloc_zero_size(cs, c->struct_size);
	if (cs->r == NULL) {
		talloc_free(cs);
		return NT_STATUS_NO_MEMORY;
	}
	talloc_set_name_const(cs->r, c->name);

	pull->flags |= LIBNDR_FLAG_REF_ALLOC;
	ndr_err = c->ndr_pull(pull, NDR_IN, cs->r);
	if (!NDR_ERR_CODE_IS_SUCCESS(ndr_err)) {
		mp_log(MP_LOG_WARNING, "%s: %s: malformed request (%s)",
		       def->name, c->name, ndr_map_error2string(ndr_err));
		dce_call->fault_code = DCERPC_FAULT_NDR;
		talloc_free(cs);
		return NT_STATUS_NET_WRITE_FAULT;
	}
	*r = cs->r;
	return NT_STATUS_OK;
}

/* runs on a worker thread: only cs->call and cs->r are touched */
static void mp_job_run(void *private_data)
{
	struct mp_callstate *cs = private_data;

	cs->status = cs->op->handler(&cs->call, cs->r);
}

/* on the loop: the interface releases what serial_for_call took */
static void mp_call_job_done(struct mp_callstate *cs)
{
	if (cs->job_done_pending) {
		cs->job_done_pending = false;
		cs->def->job_done(&cs->call, cs->r);
	}
}

/* back on the loop */
static void mp_job_done(void *private_data)
{
	struct mp_callstate *cs = private_data;
	NTSTATUS status;

	mp_log(MP_LOG_INFO, "%s: %s -> %s", cs->def->name, cs->op->name,
	       nt_errstr(cs->status));
	mp_call_job_done(cs);
	status = dcesrv_reply(cs->dce_call);
	if (!NT_STATUS_IS_OK(status)) {
		mp_log(MP_LOG_WARNING, "%s: dcesrv_reply failed: %s",
		       cs->def->name, nt_errstr(status));
	}
}

static struct mp_serial *mp_connection_serial(struct dcesrv_call_state *dce_call)
{
	struct dcesrv_connection *conn = dce_call->conn;
	struct mp_serial *s;

	/* one serial per connection: that connection's calls stay ordered */
	s = talloc_get_type(dcesrv_iface_state_find_conn(dce_call, 0x6d707831,
							  struct mp_serial),
			    struct mp_serial);
	if (s != NULL) {
		return s;
	}
	s = mp_serial_new(conn);
	if (s == NULL) {
		return NULL;
	}
	if (!NT_STATUS_IS_OK(dcesrv_iface_state_store_conn(dce_call, 0x6d707831,
							   s))) {
		talloc_free(s);
		return NULL;
	}
	return s;
}

/* S-1-5-7, NT AUTHORITY\ANONYMOUS LOGON ([MS-DTYP] 2.4.2.4) */
static bool mp_sid_is_anonymous(const struct dom_sid *sid)
{
	static const uint8_t nt_authority[6] = { 0, 0, 0, 0, 0, 5 };

	return sid->sid_rev_num == 1 && sid->num_auths == 1 &&
	       memcmp(sid->id_auth, nt_authority, 6) == 0 &&
	       sid->sub_auths[0] == 7;
}

/*
 * Our policy refuses unauthenticated callers, including an NTLMSSP
 * anonymous bind (which can sign, and so passes the auth level check).
 */
static bool mp_call_is_authenticated(struct dcesrv_call_state *dce_call)
{
	const struct auth_session_info *si = dcesrv_call_session_info(dce_call);
	enum dcerpc_AuthType auth_type = DCERPC_AUTH_TYPE_NONE;
	enum dcerpc_AuthLevel auth_level = DCERPC_AUTH_LEVEL_NONE;

	dcesrv_call_auth_info(dce_call, &auth_type, &auth_level);
	if (auth_type == DCERPC_AUTH_TYPE_NONE || si == NULL ||
	    si->security_token == NULL || si->security_token->num_sids == 0) {
		return false;
	}
	return !mp_sid_is_anonymous(&si->security_token->sids[0]);
}

/*
 * May this call be answered later, from the event loop, instead of from
 * within dispatch?
 *
 * Samba sets DCESRV_CALL_STATE_FLAG_MAY_ASYNC on every connection, then
 * clears it on each call whose auth mechanism lacks
 * GENSEC_FEATURE_ASYNC_REPLIES, which includes NTLMSSP: its signing and
 * sealing state advances per message, so replies must leave in the order
 * they are signed. That matters only when several calls are in flight on
 * one connection, which DCE/RPC allows only if the bind negotiated
 * DCERPC_PFC_FLAG_CONC_MPX (DCESRV_CALL_STATE_FLAG_MULTIPLEXED); otherwise
 * Samba refuses a second request while one is pending. So on a connection
 * that is not multiplexed a later reply is always the next message signed,
 * and is safe whatever the mechanism. Samba's request path does not look at
 * MAY_ASYNC after dispatch, only at ASYNC.
 */
static bool mp_call_may_reply_later(struct dcesrv_call_state *dce_call)
{
	if (dce_call->state_flags & DCESRV_CALL_STATE_FLAG_MAY_ASYNC) {
		return true;
	}
	return !(dce_call->conn->state_flags & DCESRV_CALL_STATE_FLAG_MULTIPLEXED) &&
	       !(dce_call->state_flags & DCESRV_CALL_STATE_FLAG_MULTIPLEXED);
}

static NTSTATUS mp_iface_dispatch(struct dcesrv_call_state *dce_call,
				  TALLOC_CTX *mem_ctx, void *r)
{
	struct mp_callstate *cs = mp_callstate_of(r);
	const struct mp_server *srv = mp_server_get();
	uint16_t opnum = dce_call->pkt.u.request.opnum;
	const struct tsocket_address *remote;
	struct mp_workq *wq = NULL;
	struct mp_serial *serial = NULL;

	if (opnum >= cs->def->num_ops || cs->def->ops[opnum].handler == NULL) {
		/* declared on the wire so it decodes, but not an operation
		 * this server implements: [MS-RPCE] 3.1.1.5.3 */
		mp_log(MP_LOG_WARNING, "%s: opnum %u not implemented",
		       cs->def->name, opnum);
		dce_call->fault_code = DCERPC_FAULT_OP_RNG_ERROR;
		return NT_STATUS_NET_WRITE_FAULT;
	}
	cs->op = &cs->def->ops[opnum];

	if (!mp_call_is_authenticated(dce_call)) {
		mp_log(MP_LOG_WARNING, "%s: %s refused: caller not authenticated",
		       cs->def->name, cs->op->name);
		dce_call->fault_code = DCERPC_FAULT_ACCESS_DENIED;
		return NT_STATUS_NET_WRITE_FAULT;
	}

	cs->call.mem_ctx = talloc_new(cs);
	if (cs->call.mem_ctx == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	cs->call.server = srv;
	cs->call.opnum = opnum;
	cs->call.dce_call = dce_call;
	cs->call.session_info = dcesrv_call_session_info(dce_call);
	cs->call.ev = dce_call->event_ctx;
	cs->call.lp_ctx = dce_call->conn->dce_ctx->lp_ctx;
	cs->call.account_name = talloc_strdup(cs, dcesrv_call_account_name(dce_call));
	remote = dcesrv_connection_get_remote_address(dce_call->conn);
	cs->call.remote_address = remote ? tsocket_address_string(remote, cs) : NULL;

	if (!(cs->op->flags & MP_OP_INLINE) && mp_call_may_reply_later(dce_call)) {
		wq = mp_workq_get(dce_call->event_ctx, srv->worker_threads);
		if (wq != NULL && cs->def->serial_for_call != NULL) {
			serial = cs->def->serial_for_call(&cs->call, r);
			cs->job_done_pending = cs->def->job_done != NULL;
		}
		if (wq != NULL && serial == NULL) {
			serial = mp_connection_serial(dce_call);
		}
	}
	if (wq != NULL && serial != NULL &&
	    mp_workq_submit(wq, serial, cs, mp_job_run, mp_job_done, cs)) {
		dce_call->state_flags |= DCESRV_CALL_STATE_FLAG_ASYNC;
		return NT_STATUS_OK;
	}

	/* inline: cheap operations, or no worker threads available */
	cs->status = cs->op->handler(&cs->call, r);
	mp_call_job_done(cs);
	if (cs->call.deferred) {
		if (!mp_call_may_reply_later(dce_call)) {
			mp_log(MP_LOG_ERR, "%s: %s wants to wait, but this "
			       "transport cannot reply later", cs->def->name,
			       cs->op->name);
			dce_call->fault_code = DCERPC_FAULT_OTHER;
			return NT_STATUS_NET_WRITE_FAULT;
		}
		dce_call->state_flags |= DCESRV_CALL_STATE_FLAG_ASYNC;
		return NT_STATUS_OK;
	}
	mp_log(MP_LOG_INFO, "%s: %s -> %s (inline)", cs->def->name,
	       cs->op->name, nt_errstr(cs->status));
	return NT_STATUS_OK;
}

void mp_call_complete(struct mp_call *call, NTSTATUS status)
{
	struct mp_callstate *cs = talloc_get_type_abort(
		talloc_parent(call->mem_ctx), struct mp_callstate);

	cs->status = status;
	call->deferred = false;
	mp_job_done(cs);
}

static NTSTATUS mp_iface_reply(struct dcesrv_call_state *dce_call,
			       TALLOC_CTX *mem_ctx, void *r)
{
	struct mp_callstate *cs = mp_callstate_of(r);

	if (!NT_STATUS_IS_OK(cs->status)) {
		dce_call->fault_code = cs->call.fault_code ?
			cs->call.fault_code : DCERPC_FAULT_OP_RNG_ERROR;
		return NT_STATUS_NET_WRITE_FAULT;
	}
	return NT_STATUS_OK;
}

static NTSTATUS mp_iface_ndr_push(struct dcesrv_call_state *dce_call,
				  TALLOC_CTX *mem_ctx, struct ndr_push *push,
				  const void *r)
{
	struct mp_callstate *cs = mp_callstate_of(discard_const(r));
	uint16_t opnum = dce_call->pkt.u.request.opnum;
	const struct ndr_interface_call *c = &cs->def->table->calls[opnum];
	enum ndr_err_code ndr_err;

	ndr_err = c->ndr_push(push, NDR_OUT, r);
	if (!NDR_ERR_CODE_IS_SUCCESS(ndr_err)) {
		mp_log(MP_LOG_ERR, "%s: %s: cannot encode reply (%s)",
		       cs->def->name, c->name, ndr_map_error2string(ndr_err));
		dce_call->fault_code = DCERPC_FAULT_NDR;
		return NT_STATUS_NET_WRITE_FAULT;
	}
	return NT_STATUS_OK;
}

NTSTATUS mp_iface_register(struct dcesrv_context *dce_ctx,
			   const struct mp_iface_def *def)
{
	struct dcesrv_interface *iface = talloc_zero(dce_ctx,
						     struct dcesrv_interface);

	if (iface == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	iface->name = def->name;
	iface->syntax_id = def->table->syntax_id;
	iface->bind = mp_iface_bind;
	iface->unbind = mp_iface_unbind;
	iface->ndr_pull = mp_iface_ndr_pull;
	iface->dispatch = mp_iface_dispatch;
	iface->reply = mp_iface_reply;
	iface->ndr_push = mp_iface_ndr_push;
	iface->local = NULL;
	iface->private_data = def;
	iface->flags = def->uses_handles ? 0 : DCESRV_INTERFACE_FLAGS_HANDLES_NOT_USED;

	return dcesrv_interface_register(dce_ctx, "ncacn_ip_tcp:", NULL, iface,
					 NULL);
}

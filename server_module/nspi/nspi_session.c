/*
 * [MS-OXNSPI] 3.1.4.1.1 NspiBind and 3.1.4.1.2 NspiUnbind: the NSPI session
 * and its context handle.
 *
 * A session opens sam.ldb as the authenticated caller (samdb_connect with
 * the call's session info), so AD's ACLs decide what the address book
 * shows. The handle is Samba's dcesrv_handle: Samba ties it to the
 * association group and to the SID that created it, and refuses it to any
 * other caller, so a bound session stays with its authenticated user.
 *
 * The handle lives in the association group, which other connections may
 * join, so a session can outlive the connection (and the session_info)
 * that bound it. samdb_connect() keeps the session_info pointer it is
 * given (the ldb's "sessionInfo", which every ACL check reads) and Samba
 * reuses an open ldb for the same pointer: given the connection's own
 * session_info, a session outliving it would check ACLs against freed
 * memory, and a later connection of another user whose session_info
 * happened to be allocated at that address would be handed this session's
 * ldb. So the session opens sam.ldb with its own deep copy, allocated
 * before (and so freed after) the ldb: one ldb per session, never shared.
 */
#include "nspi_dir_private.h"	/* nspi_dir_search_base() */
#include "nspi_session_info.h"

#include <string.h>

/* libsamdb: no header in samba-dev (../shared/SAMBA.md); 4.17 signature */
struct ldb_context *samdb_connect(TALLOC_CTX *mem_ctx,
				  struct tevent_context *ev_ctx,
				  struct loadparm_context *lp_ctx,
				  struct auth_session_info *session_info,
				  const struct tsocket_address *remote_address,
				  unsigned int flags);

struct nspi_bind_args {
	struct mp_call *call;
	struct NspiBind *r;
	uint32_t result;
};

/* read the naming contexts and our NTDS Settings GUID (loop) */
static uint32_t nspi_session_rootdse(struct nspi_session *s)
{
	static const char *const attrs[] = { "defaultNamingContext",
		"configurationNamingContext", "dsServiceName", NULL };
	static const char *const guid_attrs[] = { "objectGUID", NULL };
	TALLOC_CTX *tmp = talloc_new(s);
	struct ldb_message *msg = NULL;
	const struct ldb_val *g;
	const char *dsa;
	uint32_t result = NSPI_GeneralFailure;

	if (tmp == NULL) {
		return NSPI_NotEnoughMemory;
	}
	if (nspi_dir_search_base(s, tmp, ldb_dn_new(tmp, s->samdb, NULL),
				 attrs, &msg) != LDB_SUCCESS) {
		goto done;
	}
	s->base_dn = talloc_strdup(s, ldb_msg_find_attr_as_string(
		msg, "defaultNamingContext", ""));
	s->config_dn = talloc_strdup(s, ldb_msg_find_attr_as_string(
		msg, "configurationNamingContext", ""));
	dsa = ldb_msg_find_attr_as_string(msg, "dsServiceName", NULL);
	if (s->base_dn == NULL || s->config_dn == NULL || dsa == NULL) {
		goto done;
	}
	if (nspi_dir_search_base(s, tmp, ldb_dn_new(tmp, s->samdb, dsa),
				 guid_attrs, &msg) == LDB_SUCCESS &&
	    (g = ldb_msg_find_ldb_val(msg, "objectGUID")) != NULL &&
	    g->length == 16) {
		memcpy(s->server_guid, g->data, 16);
	}
	/* without it the entry IDs still work: a fixed, non-zero GUID */
	if (memcmp(s->server_guid, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0) {
		memcpy(s->server_guid, nspi_guid_nspi, 16);
		s->server_guid[15] ^= 0xFF;
	}
	result = NSPI_Success;
done:
	talloc_free(tmp);
	return result;
}

static void nspi_bind_loop(void *arg)
{
	struct nspi_bind_args *a = arg;
	struct mp_call *call = a->call;
	struct nspi_session *s;
	struct dcesrv_handle *h;
	const struct tsocket_address *remote;

	s = talloc_zero(call->dce_call->conn, struct nspi_session);
	if (s == NULL) {
		a->result = NSPI_NotEnoughMemory;
		return;
	}
	s->mids = nspi_mids_new(s);
	remote = dcesrv_connection_get_remote_address(call->dce_call->conn);
	/* the copy first: talloc frees the newest child first, so the ldb
	 * goes before the session_info it points to */
	s->session_info = nspi_session_info_copy(s, call->session_info);
	if (s->session_info != NULL) {
		s->samdb = samdb_connect(s, call->ev, call->lp_ctx,
					 s->session_info, remote, 0);
	}
	if (s->mids == NULL || s->samdb == NULL) {
		mp_log(MP_LOG_ERR, "nspi: cannot open sam.ldb for %s",
		       call->account_name ?: "?");
		talloc_free(s);
		a->result = NSPI_GeneralFailure;
		return;
	}
	a->result = nspi_session_rootdse(s);
	if (a->result != NSPI_Success) {
		talloc_free(s);
		return;
	}
	s->codepage = a->r->in.pStat->CodePage;
	h = dcesrv_handle_create(call->dce_call, NSPI_HANDLE_TYPE);
	if (h == NULL) {
		talloc_free(s);
		a->result = NSPI_NotEnoughMemory;
		return;
	}
	h->data = talloc_steal(h, s);
	*a->r->out.contextHandle = h->wire_handle;
	if (a->r->in.pServerGuid != NULL) {
		memcpy(a->r->in.pServerGuid->ab, s->server_guid, 16);
		a->r->out.pServerGuid = a->r->in.pServerGuid;
	}
	mp_log(MP_LOG_NOTICE, "nspi: session bound for %s",
	       call->account_name ?: "?");
}

/* [MS-OXNSPI] 3.1.4.1.1 NspiBind (opnum 0) */
NTSTATUS nspi_op_NspiBind(struct mp_call *call, void *_r)
{
	struct NspiBind *r = _r;
	struct nspi_bind_args a = { call, r, NSPI_GeneralFailure };

	r->out.pServerGuid = NULL;
	/* anonymous logons are not offered: the directory is read as the
	 * authenticated user ([MS-OXNSPI] 3.1.4.1.1: the server MAY refuse) */
	if ((r->in.dwFlags & NSPI_fAnonymousLogin) ||
	    call->account_name == NULL || call->account_name[0] == '\0') {
		r->out.result = NSPI_LogonFailed;
		return NT_STATUS_OK;
	}
	/* 8-bit strings cannot be in the Unicode code page */
	if (r->in.pStat->CodePage == NSPI_CP_WINUNICODE) {
		r->out.result = NSPI_InvalidCodepage;
		return NT_STATUS_OK;
	}
	mp_loop_call(nspi_bind_loop, &a);
	r->out.result = a.result;
	return NT_STATUS_OK;
}

struct nspi_unbind_args {
	struct mp_call *call;
	struct NspiUnbind *r;
	uint32_t result;
};

static void nspi_unbind_loop(void *arg)
{
	struct nspi_unbind_args *a = arg;
	struct dcesrv_handle *h = dcesrv_handle_lookup(a->call->dce_call,
		a->r->in.contextHandle, NSPI_HANDLE_TYPE);

	if (h == NULL) {
		a->result = NSPI_UnbindFailure;
		return;
	}
	talloc_free(h);
	a->result = NSPI_UnbindSuccess;
}

/* [MS-OXNSPI] 3.1.4.1.2 NspiUnbind (opnum 1) */
NTSTATUS nspi_op_NspiUnbind(struct mp_call *call, void *_r)
{
	struct NspiUnbind *r = _r;
	struct nspi_unbind_args a = { call, r, NSPI_UnbindFailure };

	mp_loop_call(nspi_unbind_loop, &a);
	/* the handle is destroyed either way: return a zeroed one */
	r->out.contextHandle = talloc_zero(call->mem_ctx, struct policy_handle);
	if (r->out.contextHandle == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	r->out.result = a.result;
	return NT_STATUS_OK;
}

struct nspi_lookup_args {
	struct mp_call *call;
	const struct policy_handle *handle;
	struct nspi_session *s;
};

static void nspi_lookup_loop(void *arg)
{
	struct nspi_lookup_args *a = arg;
	struct dcesrv_handle *h = dcesrv_handle_lookup(a->call->dce_call,
		a->handle, NSPI_HANDLE_TYPE);

	a->s = h != NULL ? talloc_get_type(h->data, struct nspi_session) : NULL;
}

struct nspi_session *nspi_session_lookup(struct mp_call *call,
					 const struct policy_handle *handle)
{
	struct nspi_lookup_args a = { call, handle, NULL };

	mp_loop_call(nspi_lookup_loop, &a);
	if (a.s == NULL) {
		call->fault_code = NSPI_FAULT_CONTEXT_MISMATCH;
	}
	return a.s;
}

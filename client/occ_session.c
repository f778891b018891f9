/*
 * occ sessions: the DCE/RPC side of the client ([MS-OXCRPC] 3.2.4:
 * EcDoConnectEx, EcDoRpcExt2, EcDoDisconnect, EcDoAsyncConnectEx,
 * EcDoAsyncWaitEx). Contract in occ.h.
 */
#include "occ_private.h"

#include <stdio.h>
#include <string.h>

#include "rpcext.h"

static char occ_connect_error[256];

const char *occ_last_connect_error(void)
{
	return occ_connect_error;
}

const char *occ_errstr(const struct occ_session *s)
{
	return s != NULL && s->error != NULL ? s->error : occ_connect_error;
}

uint32_t occ_last_fault(const struct occ_session *s)
{
	return s->last_fault;
}

static void occ_set_error(struct occ_session *s, const char *what, NTSTATUS st)
{
	uint32_t fault = 0;

	if (s->pipe != NULL) {
		fault = s->pipe->last_fault_code;
	}
	s->last_fault = fault;
	talloc_free(s->error);
	s->error = talloc_asprintf(s, "%s: %s (fault 0x%08x)", what,
				   nt_errstr(st), fault);
}

static NTSTATUS occ_pipe(struct occ_session *s,
			 const struct ndr_interface_table *table,
			 struct dcerpc_pipe **p_r)
{
	char *binding = talloc_asprintf(s, "ncacn_ip_tcp:%s[%s]",
					s->params.server,
					s->params.seal ? "seal" : "sign");

	if (binding == NULL) {
		return NT_STATUS_NO_MEMORY;
	}
	return dcerpc_pipe_connect(s, p_r, binding, table, s->creds, s->ev,
				   s->lp_ctx);
}

static bool occ_setup(struct occ_session *s, const struct occ_params *params)
{
	/* registers the GENSEC mechanisms (NTLMSSP, SPNEGO) */
	if (!NT_STATUS_IS_OK(dcerpc_init())) {
		return false;
	}
	s->params = *params;
	s->params.server = talloc_strdup(s, params->server);
	s->ev = tevent_context_init(s);
	s->lp_ctx = loadparm_init_global(true);
	s->creds = cli_credentials_init(s);
	if (s->params.server == NULL || s->ev == NULL || s->lp_ctx == NULL ||
	    s->creds == NULL) {
		return false;
	}
	if (params->debug_level > 0) {
		setup_logging("openchange-client", DEBUG_STDERR);
		debuglevel_set(params->debug_level);
	}
	cli_credentials_set_conf(s->creds, s->lp_ctx);
	cli_credentials_set_username(s->creds, params->username, CRED_SPECIFIED);
	cli_credentials_set_password(s->creds, params->password, CRED_SPECIFIED);
	if (params->domain != NULL) {
		cli_credentials_set_domain(s->creds, params->domain, CRED_SPECIFIED);
	}
	cli_credentials_set_workstation(s->creds, "OCCLIENT", CRED_SPECIFIED);
	/* NTLM: the tests' DCs run without a KDC */
	cli_credentials_set_kerberos_state(s->creds, CRED_USE_KERBEROS_DISABLED,
					   CRED_SPECIFIED);
	return true;
}

uint32_t occ_connect(TALLOC_CTX *mem_ctx, const struct occ_params *params,
		     struct occ_session **session_r,
		     struct occ_connect_info *info_r)
{
	struct occ_session *s = talloc_zero(mem_ctx, struct occ_session);
	struct EcDoConnectEx r;
	struct policy_handle handle;
	uint32_t polls = 0, retry = 0, delay = 0, ts = 0, auxout = 0x1008;
	uint16_t cxr = 0;
	const char *prefix = NULL, *name = NULL;
	static const uint16_t outlook2010[3] = { 0x0E00, 0x9298, 0x03E8 };
	NTSTATUS st;

	*session_r = NULL;
	memset(info_r, 0, sizeof(*info_r));
	occ_connect_error[0] = '\0';
	if (s == NULL || !occ_setup(s, params)) {
		snprintf(occ_connect_error, sizeof(occ_connect_error), "no memory");
		talloc_free(s);
		return OCC_E_RPC;
	}
	s->user_dn = params->user_dn != NULL ?
		talloc_strdup(s, params->user_dn) :
		talloc_asprintf(s, "/o=%s/ou=%s/cn=Recipients/cn=%s",
			params->organization ?: "First Organization",
			params->admin_group ?: "First Administrative Group",
			params->username);
	st = occ_pipe(s, &ndr_table_exchange_emsmdb, &s->pipe);
	if (!NT_STATUS_IS_OK(st)) {
		snprintf(occ_connect_error, sizeof(occ_connect_error),
			 "cannot bind exchange_emsmdb on %s: %s", params->server,
			 nt_errstr(st));
		talloc_free(s);
		return OCC_E_RPC;
	}

	memset(&r, 0, sizeof(r));
	r.in.szUserDN = s->user_dn;
	r.in.ulFlags = params->connect_flags;
	r.in.ulCpid = params->codepage ? params->codepage : 1252;
	r.in.ulLcidString = 0x409;
	r.in.ulLcidSort = 0x409;
	r.in.ulIcxrLink = 0xFFFFFFFF;
	r.in.usFCanConvertCodePages = 1;
	memcpy(r.in.rgwClientVersion,
	       (params->client_version[0] || params->client_version[1] ||
		params->client_version[2]) ? params->client_version : outlook2010,
	       sizeof(r.in.rgwClientVersion));
	r.in.pulTimeStamp = &ts;
	/* a conformant array, never NULL on the wire even when empty */
	r.in.rgbAuxIn = talloc_zero_array(s, uint8_t, 1);
	r.in.cbAuxIn = 0;
	r.in.pcbAuxOut = &auxout;
	r.out.pcxh = &handle;
	r.out.pcmsPollsMax = &polls;
	r.out.pcRetry = &retry;
	r.out.pcmsRetryDelay = &delay;
	r.out.picxr = &cxr;
	r.out.szDNPrefix = &prefix;
	r.out.szDisplayName = &name;
	r.out.pulTimeStamp = &ts;
	r.out.pcbAuxOut = &auxout;
	r.out.rgbAuxOut = talloc_zero_array(s, uint8_t, auxout);

	st = dcerpc_binding_handle_call(s->pipe->binding_handle, NULL,
					&ndr_table_exchange_emsmdb,
					OCC_OPNUM_EcDoConnectEx, s, &r);
	if (!NT_STATUS_IS_OK(st)) {
		snprintf(occ_connect_error, sizeof(occ_connect_error),
			 "EcDoConnectEx: %s (fault 0x%08x)", nt_errstr(st),
			 s->pipe->last_fault_code);
		talloc_free(s);
		return OCC_E_RPC;
	}
	info_r->result = r.out.result;
	info_r->pcmsPollsMax = polls;
	info_r->pcRetry = retry;
	info_r->pcmsRetryDelay = delay;
	info_r->picxr = cxr;
	info_r->szDNPrefix = talloc_strdup(mem_ctx, prefix ? prefix : "");
	info_r->szDisplayName = talloc_strdup(mem_ctx, name ? name : "");
	memcpy(info_r->rgwServerVersion, r.out.rgwServerVersion, 6);
	memcpy(info_r->rgwBestVersion, r.out.rgwBestVersion, 6);
	info_r->cbAuxOut = auxout;
	if (r.out.result != 0) {
		snprintf(occ_connect_error, sizeof(occ_connect_error),
			 "EcDoConnectEx: 0x%08x", r.out.result);
		talloc_free(s);
		return info_r->result;
	}
	s->handle = handle;
	s->connected = true;
	s->cxr = cxr;
	*session_r = s;
	return 0;
}

uint32_t occ_disconnect(struct occ_session *s)
{
	struct EcDoDisconnect r;
	struct policy_handle h = s->handle;
	NTSTATUS st;

	if (!s->connected) {
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.in.pcxh = &h;
	r.out.pcxh = &h;
	st = dcerpc_binding_handle_call(s->pipe->binding_handle, NULL,
					&ndr_table_exchange_emsmdb,
					OCC_OPNUM_EcDoDisconnect, s, &r);
	if (!NT_STATUS_IS_OK(st)) {
		occ_set_error(s, "EcDoDisconnect", st);
		return OCC_E_RPC;
	}
	s->connected = false;
	return r.out.result;
}

void occ_drop(struct occ_session *s)
{
	TALLOC_FREE(s->async_pipe);
	TALLOC_FREE(s->pipe);
	s->connected = false;
}

uint32_t occ_rop_raw(struct occ_session *s, TALLOC_CTX *mem_ctx,
		     const uint8_t *in, size_t in_len, uint32_t max_out,
		     uint8_t **out_r, size_t *out_len_r)
{
	struct rpcext_build_opts opts = { .compress = true, .xor_magic = true };
	struct EcDoRpcExt2 r;
	uint32_t flags = s->params.rpc_flags, cb_out, aux_out = 0, trans = 0;
	uint8_t *framed = NULL;
	size_t framed_len = 0;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	enum rpcext_error err;
	NTSTATUS st;
	uint32_t ret;

	*out_r = NULL;
	*out_len_r = 0;
	if (tmp == NULL) {
		return OCC_E_RPC;
	}
	opts.compress = !(flags & pulFlags_NoCompression);
	opts.xor_magic = !(flags & pulFlags_NoXorMagic);
	err = rpcext_build(tmp, in, in_len, 0, RPCEXT_MAX_RGB, &opts, &framed,
			   &framed_len);
	if (err != RPCEXT_OK) {
		talloc_free(s->error);
		s->error = talloc_asprintf(s, "cannot frame the request: %s",
					   rpcext_error_name(err));
		talloc_free(tmp);
		return OCC_E_DECODE;
	}
	cb_out = max_out ? max_out : RPCEXT_MAX_RGB;
	memset(&r, 0, sizeof(r));
	r.in.pcxh = &s->handle;
	r.in.pulFlags = &flags;
	r.in.rgbIn = framed;
	r.in.cbIn = framed_len;
	r.in.pcbOut = &cb_out;
	r.in.rgbAuxIn = talloc_zero_array(tmp, uint8_t, 1);
	r.in.cbAuxIn = 0;
	r.in.pcbAuxOut = &aux_out;
	r.out.pcxh = &s->handle;
	r.out.pulFlags = &flags;
	r.out.pcbOut = &cb_out;
	r.out.pcbAuxOut = &aux_out;
	r.out.pulTransTime = &trans;
	r.out.rgbOut = talloc_zero_array(tmp, uint8_t, cb_out);
	r.out.rgbAuxOut = talloc_zero_array(tmp, uint8_t, 1);
	st = dcerpc_binding_handle_call(s->pipe->binding_handle, NULL,
					&ndr_table_exchange_emsmdb,
					OCC_OPNUM_EcDoRpcExt2, tmp, &r);
	if (!NT_STATUS_IS_OK(st)) {
		occ_set_error(s, "EcDoRpcExt2", st);
		talloc_free(tmp);
		return OCC_E_RPC;
	}
	s->last_fault = 0;
	ret = r.out.result;
	if (ret == 0) {
		err = rpcext_parse_flat(mem_ctx, r.out.rgbOut, cb_out, NULL,
					out_r, out_len_r);
		if (err != RPCEXT_OK) {
			talloc_free(s->error);
			s->error = talloc_asprintf(s, "bad rgbOut: %s",
						   rpcext_error_name(err));
			ret = OCC_E_DECODE;
		}
	}
	talloc_free(tmp);
	return ret;
}

uint32_t occ_async_wait(struct occ_session *s, uint32_t *flags_r)
{
	struct EcDoAsyncConnectEx c;
	struct EcDoAsyncWaitEx w;
	struct policy_handle acxh;
	uint32_t flags = 0;
	NTSTATUS st;

	*flags_r = 0;
	memset(&c, 0, sizeof(c));
	c.in.cxh = s->handle;
	c.out.pacxh = &acxh;
	st = dcerpc_binding_handle_call(s->pipe->binding_handle, NULL,
					&ndr_table_exchange_emsmdb,
					OCC_OPNUM_EcDoAsyncConnectEx, s, &c);
	if (!NT_STATUS_IS_OK(st)) {
		occ_set_error(s, "EcDoAsyncConnectEx", st);
		return OCC_E_RPC;
	}
	if (c.out.result != 0) {
		return c.out.result;
	}
	if (s->async_pipe == NULL) {
		st = occ_pipe(s, &ndr_table_exchange_async_emsmdb, &s->async_pipe);
		if (!NT_STATUS_IS_OK(st)) {
			occ_set_error(s, "bind exchange_async_emsmdb", st);
			return OCC_E_RPC;
		}
	}
	memset(&w, 0, sizeof(w));
	w.in.acxh = acxh;
	w.in.ulFlagsIn = 0;
	w.out.pulFlagsOut = &flags;
	st = dcerpc_binding_handle_call(s->async_pipe->binding_handle, NULL,
					&ndr_table_exchange_async_emsmdb,
					OCC_OPNUM_EcDoAsyncWaitEx, s, &w);
	if (!NT_STATUS_IS_OK(st)) {
		s->last_fault = s->async_pipe->last_fault_code;
		talloc_free(s->error);
		s->error = talloc_asprintf(s, "EcDoAsyncWaitEx: %s", nt_errstr(st));
		return OCC_E_RPC;
	}
	*flags_r = flags;
	return w.out.result;
}

/*
 * [MS-OXABREF] Address Book Name Service Provider Interface (NSPI)
 * Referral Protocol: the exchange_ds_rfr interface.
 *
 * Outlook asks it, before anything else, which NSPI server to use
 * (RfrGetNewDSA) and which host serves a mailbox server DN it read from the
 * address book (RfrGetFQDNFromServerDN). This server is both the NSPI server
 * and the only mailbox server, so both answers are this server's FQDN, but
 * the server DN is validated: a DN naming another server is not ours.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <string.h>
#include <strings.h>

#include "exchange_ds_rfr.h"
#include "ndr_exchange_ds_rfr.h"

/*
 * One "/type=value" element of a legacy DN: returns the position after it,
 * or NULL when the element is malformed. *type_r, *value_r point into s.
 */
static const char *rfr_dn_element(const char *s, const char **type_r,
				  size_t *type_len_r, const char **value_r,
				  size_t *value_len_r)
{
	const char *eq, *end;

	if (*s != '/') {
		return NULL;
	}
	s++;
	end = strchr(s, '/');
	if (end == NULL) {
		end = s + strlen(s);
	}
	eq = memchr(s, '=', end - s);
	if (eq == NULL || eq == s || eq + 1 == end) {
		return NULL;
	}
	*type_r = s;
	*type_len_r = eq - s;
	*value_r = eq + 1;
	*value_len_r = end - (eq + 1);
	return end;
}

static bool rfr_eq(const char *s, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(s, want, len) == 0;
}

enum rfr_dn_match { RFR_DN_MALFORMED, RFR_DN_OTHER_SERVER, RFR_DN_OURS };

/*
 * [MS-OXABREF] 3.1.4.2: a 5 or 6 element DN,
 *   /o=<org>/ou=<admin group>/cn=Configuration/cn=Servers/cn=<server>
 * with one more /cn= element either before the server name (an instance
 * name) or after it (a database on that server).
 */
static enum rfr_dn_match rfr_match_server_dn(const struct mp_server *srv,
					     const char *dn)
{
	const char *type[7], *value[7];
	size_t type_len[7], value_len[7];
	const char *p = dn;
	size_t n = 0, i;
	bool ours = false;

	while (*p != '\0') {
		if (n == ARRAY_SIZE(type)) {
			return RFR_DN_MALFORMED;
		}
		p = rfr_dn_element(p, &type[n], &type_len[n], &value[n],
				   &value_len[n]);
		if (p == NULL) {
			return RFR_DN_MALFORMED;
		}
		n++;
	}
	if (n != 5 && n != 6) {
		return RFR_DN_MALFORMED;
	}
	if (!rfr_eq(type[0], type_len[0], "o") ||
	    !rfr_eq(type[1], type_len[1], "ou") ||
	    !rfr_eq(type[2], type_len[2], "cn") ||
	    !rfr_eq(value[2], value_len[2], "Configuration") ||
	    !rfr_eq(type[3], type_len[3], "cn") ||
	    !rfr_eq(value[3], value_len[3], "Servers")) {
		return RFR_DN_MALFORMED;
	}
	for (i = 4; i < n; i++) {
		if (!rfr_eq(type[i], type_len[i], "cn")) {
			return RFR_DN_MALFORMED;
		}
		if (rfr_eq(value[i], value_len[i], srv->netbios_name)) {
			ours = true;
		}
	}
	if (!rfr_eq(value[0], value_len[0], srv->organization) ||
	    !rfr_eq(value[1], value_len[1], srv->admin_group)) {
		return RFR_DN_OTHER_SERVER;
	}
	return ours ? RFR_DN_OURS : RFR_DN_OTHER_SERVER;
}

/* [MS-OXABREF] 3.1.4.1 RfrGetNewDSA (opnum 0) */
static NTSTATUS rfr_RfrGetNewDSA(struct mp_call *call, void *_r)
{
	struct RfrGetNewDSA *r = _r;
	const char *fqdn;

	/* ulFlags and ppszUnused: "MUST be ignored by the server". pUserDN
	 * could select among NSPI servers; there is one: this server.
	 * ppszServer is [in,out,unique]: NDR leaves r->out's pointer for the
	 * server to set; NULL from the client means no place for the answer */
	r->out.ppszUnused = NULL;
	if (r->in.ppszServer == NULL) {
		r->out.ppszServer = NULL;
		r->out.result = MAPI_E_INVALID_PARAMETER;
		return NT_STATUS_OK;
	}
	r->out.ppszServer = talloc_zero(call->mem_ctx, const char *);
	fqdn = talloc_strdup(call->mem_ctx, call->server->fqdn);
	if (r->out.ppszServer == NULL || fqdn == NULL) {
		r->out.ppszServer = NULL;
		r->out.result = MAPI_E_NOT_ENOUGH_MEMORY;
		return NT_STATUS_OK;
	}
	*r->out.ppszServer = fqdn;
	r->out.result = MAPI_E_SUCCESS;
	return NT_STATUS_OK;
}

/* [MS-OXABREF] 3.1.4.2 RfrGetFQDNFromServerDN (opnum 1) */
static NTSTATUS rfr_RfrGetFQDNFromServerDN(struct mp_call *call, void *_r)
{
	struct RfrGetFQDNFromServerDN *r = _r;
	const char *dn = r->in.szMailboxServerDN;

	*r->out.ppszServerFQDN = NULL;
	/* cbMailboxServerDN is range(10,1024) on the wire (checked by NDR);
	 * it counts the terminating NUL, so the string must fit in it */
	if (dn == NULL || strnlen(dn, r->in.cbMailboxServerDN) + 1 >
	    r->in.cbMailboxServerDN) {
		r->out.result = MAPI_E_INVALID_PARAMETER;
		return NT_STATUS_OK;
	}
	switch (rfr_match_server_dn(call->server, dn)) {
	case RFR_DN_MALFORMED:
		mp_log(MP_LOG_WARNING, "RfrGetFQDNFromServerDN: malformed "
		       "server DN from %s", call->remote_address ?: "?");
		r->out.result = MAPI_E_INVALID_PARAMETER;
		return NT_STATUS_OK;
	case RFR_DN_OTHER_SERVER:
		r->out.result = MAPI_E_NOT_FOUND;
		return NT_STATUS_OK;
	case RFR_DN_OURS:
		break;
	}
	*r->out.ppszServerFQDN = talloc_strdup(call->mem_ctx, call->server->fqdn);
	if (*r->out.ppszServerFQDN == NULL) {
		r->out.result = MAPI_E_NOT_ENOUGH_MEMORY;
		return NT_STATUS_OK;
	}
	r->out.result = MAPI_E_SUCCESS;
	return NT_STATUS_OK;
}

static const struct mp_op rfr_ops[] = {
	{ "RfrGetNewDSA", rfr_RfrGetNewDSA, MP_OP_INLINE },
	{ "RfrGetFQDNFromServerDN", rfr_RfrGetFQDNFromServerDN, MP_OP_INLINE },
};

const struct mp_iface_def mp_iface_rfr = {
	.name = "exchange_ds_rfr",
	.table = &ndr_table_exchange_ds_rfr,
	.ops = rfr_ops,
	.num_ops = ARRAY_SIZE(rfr_ops),
	.uses_handles = false,
};

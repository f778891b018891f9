/*
 * EcDoConnectEx decisions ([MS-OXCRPC] 3.1.4.1): version checks
 * (3.1.4.1.3), the caller's DN, the values returned to the client and the
 * server AUX blocks (3.1.4.1.2). No Samba here: the RPC glue
 * (emsmdb_rpc.c) looks the caller up in sam.ldb and fills
 * struct emsmdb_connect_in.
 */
#include "emsmdb_session.h"
#include "emsmdb_errors.h"

#include <string.h>
#include <strings.h>

#include "rpcext_aux.h"

/* 3.2.4.1.3.2: 11.0.0.0 is "the minimum version that a client supports to
 * implement the protocol" */
const uint16_t emsmdb_min_client_version[4] = { 11, 0, 0, 0 };
/* an Exchange 2010 level server: 14.0.100.0 */
const uint16_t emsmdb_server_version[4] = { 14, 0, 100, 0 };

/* ulFlags bit asking for an administrative connection (3.1.4.1) */
#define EMSMDB_CONNECT_FLAG_ADMIN 0x00000001

void emsmdb_version_parse(const uint16_t wire[3], uint16_t normal_r[4])
{
	if (wire[1] & 0x8000) {
		normal_r[0] = wire[0] >> 8;
		normal_r[1] = wire[0] & 0xFF;
		normal_r[2] = wire[1] & 0x7FFF;
		normal_r[3] = wire[2];
		return;
	}
	normal_r[0] = wire[0];
	normal_r[1] = 0;
	normal_r[2] = wire[1];
	normal_r[3] = wire[2];
}

void emsmdb_version_encode(const uint16_t normal[4], uint16_t wire_r[3])
{
	wire_r[0] = (uint16_t)(((normal[0] & 0xFF) << 8) | (normal[1] & 0xFF));
	wire_r[1] = (uint16_t)(0x8000 | (normal[2] & 0x7FFF));
	wire_r[2] = normal[3];
}

int emsmdb_version_cmp(const uint16_t a[4], const uint16_t b[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		if (a[i] != b[i]) {
			return a[i] < b[i] ? -1 : 1;
		}
	}
	return 0;
}

char *emsmdb_user_dn(TALLOC_CTX *mem_ctx, const struct emsmdb_config *cfg,
		     const char *account)
{
	return talloc_asprintf(mem_ctx, "/o=%s/ou=%s/cn=Recipients/cn=%s",
			       cfg->organization, cfg->admin_group, account);
}

/*
 * The server AUX blocks of a connect response ([MS-OXCRPC] 3.1.4.1.2):
 * AUX_EXORGINFO (public folders are served), AUX_ENDPOINT_CAPABILITIES
 * (EMSMDB, NSPI and RFR share one endpoint) and AUX_CLIENT_CONTROL
 * (compression on, client performance data off). Nothing when the client
 * gave no room.
 */
static uint32_t emsmdb_connect_aux_out(TALLOC_CTX *mem_ctx, uint32_t max_out,
				       struct emsmdb_connect_out *out)
{
	struct rpcext_aux_block blocks[3];
	struct rpcext_build_opts opts = { .compress = false, .xor_magic = false };
	enum rpcext_error err;
	size_t size = 0;

	memset(blocks, 0, sizeof(blocks));
	blocks[0].header.Version = AUX_VERSION_1;
	blocks[0].header.Type = AUX_TYPE_EXORGINFO;
	blocks[0].u.AUX_EXORGINFO.OrgFlags = PUBLIC_FOLDERS_ENABLED;
	blocks[1].header.Version = AUX_VERSION_1;
	blocks[1].header.Type = AUX_TYPE_ENDPOINT_CAPABILITIES;
	blocks[1].u.AUX_ENDPOINT_CAPABILITIES.EndpointCapabilityFlag =
		ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT;
	blocks[2].header.Version = AUX_VERSION_1;
	blocks[2].header.Type = AUX_TYPE_CLIENT_CONTROL;
	blocks[2].u.AUX_CLIENT_CONTROL.EnableFlags = ENABLE_COMPRESSION;
	blocks[2].u.AUX_CLIENT_CONTROL.ExpiryTime = 0;

	out->rgbAuxOut = NULL;
	out->cbAuxOut = 0;
	if (max_out == 0) {
		return ecSuccess;
	}
	err = rpcext_aux_out_build(mem_ctx, blocks, 3, max_out, &opts,
				   &out->rgbAuxOut, &size);
	if (err == RPCEXT_ERR_NO_SPACE) {
		/* optional information: leave it out rather than fail */
		out->rgbAuxOut = NULL;
		return ecSuccess;
	}
	if (err != RPCEXT_OK) {
		return ecMAPIOOM;
	}
	out->cbAuxOut = size;
	return ecSuccess;
}

uint32_t emsmdb_connect(TALLOC_CTX *mem_ctx, const struct emsmdb_config *cfg,
			const struct emsmdb_connect_in *in,
			struct emsmdb_connect_out *out,
			struct emsmdb_session **session_r)
{
	struct rpcext_aux_block *blocks = NULL;
	struct emsmdb_session *s;
	uint16_t version[4];
	size_t nblocks = 0;
	uint32_t ec;

	memset(out, 0, sizeof(*out));
	*session_r = NULL;
	out->pcmsPollsMax = cfg->polls_max_ms;
	out->pcRetry = cfg->retry_count;
	out->pcmsRetryDelay = cfg->retry_delay_ms;
	emsmdb_version_encode(emsmdb_server_version, out->rgwServerVersion);
	memcpy(out->rgwBestVersion, in->rgwClientVersion,
	       sizeof(out->rgwBestVersion));
	out->szDNPrefix = talloc_asprintf(mem_ctx,
		"/o=%s/ou=%s/cn=Configuration/cn=Servers/cn=%s",
		cfg->organization, cfg->admin_group, cfg->netbios_name);
	out->szDisplayName = talloc_strdup(mem_ctx, "");
	if (out->szDNPrefix == NULL || out->szDisplayName == NULL) {
		return ecMAPIOOM;
	}

	if (in->account == NULL || in->account_dn == NULL) {
		return ecLoginFailure;
	}
	if (cfg->require_privacy && !in->privacy) {
		return ecNotEncrypted;
	}
	emsmdb_version_parse(in->rgwClientVersion, version);
	if (emsmdb_version_cmp(version, emsmdb_min_client_version) < 0) {
		emsmdb_version_encode(emsmdb_min_client_version,
				      out->rgwBestVersion);
		return ecClientVerDisallowed;
	}
	if (in->ulFlags & EMSMDB_CONNECT_FLAG_ADMIN) {
		return ecLoginPerm;
	}
	if (in->cbAuxIn != 0 &&
	    rpcext_aux_in_parse(mem_ctx, in->rgbAuxIn, in->cbAuxIn, &blocks,
				&nblocks) != RPCEXT_OK) {
		return ecRpcFormat;
	}
	TALLOC_FREE(blocks);
	if (in->szUserDN == NULL ||
	    strcasecmp(in->szUserDN, in->account_dn) != 0) {
		return ecAccessDenied;
	}

	s = emsmdb_session_new(cfg);
	if (s == NULL) {
		return ecMAPIOOM;
	}
	s->account = talloc_strdup(s, in->account);
	s->user_dn = talloc_strdup(s, in->account_dn);
	s->display_name = talloc_strdup(s, in->account_display_name ?
					in->account_display_name : in->account);
	if (s->account == NULL || s->user_dn == NULL || s->display_name == NULL) {
		talloc_free(s);
		return ecMAPIOOM;
	}
	s->cpid = in->ulCpid;
	s->lcid_string = in->ulLcidString;
	s->lcid_sort = in->ulLcidSort;
	memcpy(s->client_version, version, sizeof(version));

	talloc_free(out->szDisplayName);
	out->szDisplayName = talloc_strdup(mem_ctx, s->display_name);
	if (out->szDisplayName == NULL) {
		talloc_free(s);
		return ecMAPIOOM;
	}
	ec = emsmdb_connect_aux_out(mem_ctx, in->cbAuxOutMax, out);
	if (ec != ecSuccess) {
		talloc_free(s);
		return ec;
	}
	*session_r = s;
	return ecSuccess;
}

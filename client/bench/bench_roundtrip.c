/*
 * ROP round trips per second: one RopGetPropertiesSpecific per EcDoRpcExt2
 * on one sealed connection, beside Samba's own mgmt inq_if_ids (opnum 0
 * of the DCE/RPC management interface, [C706] / [MS-RPCE] 2.2.1.3.1)
 * calls per second on another sealed connection to the same DC, in the
 * same run. Driven by run_roundtrip.py, which starts the DC.
 *
 * Usage: bench_roundtrip SERVER USER PASSWORD DOMAIN SECONDS
 */
#include "occ_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the management interface: enough of a table to bind it */
static const char *const bench_mgmt_endpoint_names[] = { "ncacn_ip_tcp:" };
static const struct ndr_interface_string_array bench_mgmt_endpoints = {
	.count = 1, .names = bench_mgmt_endpoint_names,
};
static const char *const bench_mgmt_authservice_names[] = { "host" };
static const struct ndr_interface_string_array bench_mgmt_authservices = {
	.count = 1, .names = bench_mgmt_authservice_names,
};
static const struct ndr_interface_table bench_mgmt_table = {
	.name = "mgmt",
	.syntax_id = {
		{ 0xafa8bd80, 0x7d8a, 0x11c9, { 0xbe, 0xf4 },
		  { 0x08, 0x00, 0x2b, 0x10, 0x29, 0x89 } }, 1
	},
	.num_calls = 0,
	.endpoints = &bench_mgmt_endpoints,
	.authservices = &bench_mgmt_authservices,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const uint32_t tags[] = { 0x3001001F };	/* PidTagDisplayName */
	struct occ_params params;
	struct occ_connect_info info;
	struct occ_session *s = NULL;
	struct dcerpc_pipe *mgmt = NULL;
	struct rop_request req;
	struct rop_buffer *resp;
	TALLOC_CTX *mem = talloc_new(NULL);
	uint32_t handles[1] = { 0xFFFFFFFF };
	double secs, t0, rops_rate, mgmt_rate;
	unsigned long n;
	char *dn, *binding;
	NTSTATUS st;

	if (argc != 6) {
		fprintf(stderr, "usage: %s SERVER USER PASSWORD DOMAIN SECONDS\n", argv[0]);
		return 2;
	}
	secs = atof(argv[5]);
	memset(&params, 0, sizeof(params));
	params.server = argv[1];
	params.username = argv[2];
	params.password = argv[3];
	params.domain = argv[4];
	params.seal = true;
	if (occ_connect(mem, &params, &s, &info) != 0) {
		fprintf(stderr, "connect: %s\n", occ_last_connect_error());
		return 1;
	}
	dn = talloc_asprintf(mem, "/o=First Organization/ou=First Administrative "
			     "Group/cn=Recipients/cn=%s", argv[2]);
	memset(&req, 0, sizeof(req));
	req.RopId = RopLogon;
	req.u.RopLogon.LogonFlags = 0x01;
	req.u.RopLogon.Essdn = dn;
	req.u.RopLogon.EssdnSize = strlen(dn) + 1;
	if (occ_rops(s, mem, &req, 1, handles, 1, &resp) != 0 ||
	    resp->responses[0].u.RopLogon.ReturnValue != 0) {
		fprintf(stderr, "logon failed\n");
		return 1;
	}

	memset(&req, 0, sizeof(req));
	req.RopId = RopGetPropertiesSpecific;
	req.u.RopGetPropertiesSpecific.WantUnicode = 1;
	req.u.RopGetPropertiesSpecific.PropertyTagCount = 1;
	req.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
	t0 = now_s();
	for (n = 0; now_s() - t0 < secs; n++) {
		TALLOC_CTX *w = talloc_new(mem);

		if (occ_rops(s, w, &req, 1, handles, 1, &resp) != 0 ||
		    resp->responses[0].u.RopGetPropertiesSpecific.ReturnValue != 0) {
			fprintf(stderr, "RopGetPropertiesSpecific failed: %s\n",
				occ_errstr(s));
			return 1;
		}
		talloc_free(w);
	}
	rops_rate = n / (now_s() - t0);

	binding = talloc_asprintf(mem, "ncacn_ip_tcp:%s[seal]", argv[1]);
	st = dcerpc_pipe_connect(mem, &mgmt, binding, &bench_mgmt_table, s->creds,
				 s->ev, s->lp_ctx);
	if (!NT_STATUS_IS_OK(st)) {
		fprintf(stderr, "mgmt: %s\n", nt_errstr(st));
		return 1;
	}
	t0 = now_s();
	for (n = 0; now_s() - t0 < secs; n++) {
		uint8_t *out = NULL;
		size_t out_len = 0;
		uint32_t out_flags = 0;

		st = dcerpc_binding_handle_raw_call(mgmt->binding_handle, NULL, 0, 0,
						    NULL, 0, mem, &out, &out_len,
						    &out_flags);
		if (!NT_STATUS_IS_OK(st)) {
			fprintf(stderr, "inq_if_ids: %s\n", nt_errstr(st));
			return 1;
		}
		talloc_free(out);
	}
	mgmt_rate = n / (now_s() - t0);

	printf("emsmdb_getprops_roundtrips_per_sec=%.0f\n", rops_rate);
	printf("mgmt_inq_if_ids_per_sec=%.0f\n", mgmt_rate);
	printf("emsmdb_vs_mgmt=%.2f\n", rops_rate / mgmt_rate);
	occ_disconnect(s);
	talloc_free(mem);
	return 0;
}

/*
 * Unit tests: AUX blocks ([MS-OXCRPC] 2.2.2.2.x) - the rgbAuxIn of real
 * Outlook 2007 requests, a push/parse round trip of every structure,
 * malformed blocks, and rgbAuxOut building.
 */
#include "oc_test.h"
#include "rpcext_aux.h"
#include "aux_private.h"
#include "rpcext_test_util.h"

#include <stdio.h>
#include <string.h>

struct aux_fixture {
	const char *file;
	uint16_t SessionID, RequestID;
	uint32_t since[2], complete[2];
	uint16_t req[2];
};

static const struct aux_fixture aux_fixtures[] = {
	{ "001_Outlook_2007_in_ModifyRecipients_comp.dat", 1, 0xa3,
	  { 0x46, 0x4e }, { 0, 0x4e }, { 0xa2, 0xa2 } },
	{ "002_Outlook_2007_in_Tables_operations_comp.dat", 1, 0x1c,
	  { 0x52, 0x4f }, { 0, 0x4e }, { 0x1b, 0x1b } },
};

static void test_fixture_aux(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(aux_fixtures) / sizeof(aux_fixtures[0]); i++) {
		const struct aux_fixture *f = &aux_fixtures[i];
		char *path = talloc_asprintf(*state, "%s/%s", RPCEXT_TEST_DATA, f->file);
		struct rt_ecdorpcext2_in in;
		struct rpcext_aux_block *b = NULL;
		size_t size = 0, num = 0, k;
		uint8_t *stub = rt_read_file(*state, path, &size);

		assert_non_null(stub);
		assert_true(rt_ecdorpcext2_in_pull(stub, size, &in));
		assert_int_equal(in.cbAuxIn, 48);
		assert_int_equal(rpcext_aux_in_parse(*state, in.rgbAuxIn, in.cbAuxIn, &b, &num),
				 RPCEXT_OK);
		assert_int_equal(num, 3);
		assert_int_equal(b[0].kind, RPCEXT_AUX_PERF_REQUESTID);
		assert_int_equal(b[0].header.Size, 8);
		assert_int_equal(b[0].u.AUX_PERF_REQUESTID.SessionID, f->SessionID);
		assert_int_equal(b[0].u.AUX_PERF_REQUESTID.RequestID, f->RequestID);
		for (k = 0; k < 2; k++) {
			const struct AUX_PERF_DEFMDB_SUCCESS *d = &b[1 + k].u.AUX_PERF_DEFMDB_SUCCESS;

			assert_int_equal(b[1 + k].header.Type, AUX_TYPE_PERF_BG_DEFMDB_SUCCESS);
			assert_int_equal(b[1 + k].kind, RPCEXT_AUX_PERF_DEFMDB_SUCCESS);
			assert_int_equal(d->TimeSinceRequest, f->since[k]);
			assert_int_equal(d->TimeToCompleteRequest, f->complete[k]);
			assert_int_equal(d->RequestID, f->req[k]);
		}
		talloc_free(b);
		talloc_free(stub);
		talloc_free(path);
	}
}

static void test_layout_table(void **state)
{
	int k;

	for (k = RPCEXT_AUX_UNKNOWN + 1; k < RPCEXT_AUX_KIND_COUNT; k++) {
		const struct aux_layout *l = aux_layout_of_kind((enum rpcext_aux_kind)k);
		size_t i, sum = 0;

		assert_non_null(l);
		assert_int_equal(l->kind, k);
		for (i = 0; i < l->num_fields; i++) {
			sum += l->fields[i].len;
		}
		if (sum != l->fixed_size) {
			fail_msg("%s: fields %zu bytes, fixed_size %u", l->name, sum, l->fixed_size);
		}
	}
	assert_int_equal(rpcext_aux_kind_of(AUX_VERSION_2, AUX_TYPE_PERF_FG_FAILURE),
			 RPCEXT_AUX_PERF_FAILURE_V2);
	assert_int_equal(rpcext_aux_kind_of(AUX_VERSION_1, AUX_TYPE_PERF_PROCESSINFO),
			 RPCEXT_AUX_UNKNOWN);
	assert_string_equal(rpcext_aux_kind_name(RPCEXT_AUX_SERVER_SESSION_INFO),
			    "AUX_SERVER_SESSION_INFO");
	assert_string_equal(rpcext_aux_kind_name(RPCEXT_AUX_UNKNOWN), "unknown");
}

/* One block of every (Version, Type) layout with distinctive values. */
static size_t fill_all(struct rpcext_aux_block *b)
{
	static uint8_t ip[4] = { 192, 168, 0, 7 }, mask[4] = { 255, 255, 255, 0 };
	static uint8_t mac[6] = { 0, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const struct { uint8_t v, t; } vt[] = {
		{ 1, AUX_TYPE_PERF_REQUESTID }, { 1, AUX_TYPE_PERF_CLIENTINFO },
		{ 1, AUX_TYPE_PERF_SERVERINFO }, { 1, AUX_TYPE_PERF_SESSIONINFO },
		{ 2, AUX_TYPE_PERF_SESSIONINFO }, { 2, AUX_TYPE_PERF_PROCESSINFO },
		{ 1, AUX_TYPE_PERF_FG_DEFMDB_SUCCESS }, { 1, AUX_TYPE_PERF_DEFGC_SUCCESS },
		{ 1, AUX_TYPE_PERF_MDB_SUCCESS }, { 2, AUX_TYPE_PERF_BG_MDB_SUCCESS },
		{ 1, AUX_TYPE_PERF_GC_SUCCESS }, { 2, AUX_TYPE_PERF_GC_SUCCESS },
		{ 1, AUX_TYPE_PERF_FAILURE }, { 2, AUX_TYPE_PERF_FAILURE },
		{ 1, AUX_TYPE_CLIENT_CONTROL }, { 1, AUX_TYPE_OSVERSIONINFO },
		{ 1, AUX_TYPE_EXORGINFO }, { 1, AUX_TYPE_PERF_ACCOUNTINFO },
		{ 1, AUX_TYPE_SERVER_CAPABILITIES }, { 1, AUX_TYPE_ENDPOINT_CAPABILITIES },
		{ 1, AUX_TYPE_CLIENT_CONNECTION_INFO }, { 1, AUX_TYPE_SERVER_SESSION_INFO },
		{ 1, AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION },
	};
	size_t i, n = sizeof(vt) / sizeof(vt[0]);

	for (i = 0; i < n; i++) {
		uint8_t *p = (uint8_t *)&b[i].u;
		size_t k;

		memset(&b[i], 0, sizeof(b[i]));
		b[i].header.Version = vt[i].v;
		b[i].header.Type = vt[i].t;
		/* numbers and byte arrays: a per-block pattern; pointers fixed below */
		for (k = 0; k < sizeof(b[i].u); k++) {
			p[k] = (uint8_t)(i * 7 + k);
		}
	}
	b[1].u.AUX_PERF_CLIENTINFO.MachineName = "WORKSTATION-Ä";
	b[1].u.AUX_PERF_CLIENTINFO.UserName = "user\xF0\x9F\x98\x80";	/* U+1F600 */
	b[1].u.AUX_PERF_CLIENTINFO.AdapterName = NULL;
	b[1].u.AUX_PERF_CLIENTINFO.ClientIP = ip;
	b[1].u.AUX_PERF_CLIENTINFO.ClientIPSize = 4;
	b[1].u.AUX_PERF_CLIENTINFO.ClientIPMask = mask;
	b[1].u.AUX_PERF_CLIENTINFO.ClientIPMaskSize = 4;
	b[1].u.AUX_PERF_CLIENTINFO.MacAddress = mac;
	b[1].u.AUX_PERF_CLIENTINFO.MacAddressSize = 6;
	b[2].u.AUX_PERF_SERVERINFO.ServerDN = "/o=First Organization/ou=Exchange";
	b[2].u.AUX_PERF_SERVERINFO.ServerName = "";
	b[5].u.AUX_PERF_PROCESSINFO.ProcessName = "OUTLOOK.EXE";
	b[20].u.AUX_CLIENT_CONNECTION_INFO.ConnectionContextInfo = "ctx";
	b[21].u.AUX_SERVER_SESSION_INFO.ServerSessionContextInfo = "openchange/1";
	b[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceManufacturer = "M";
	b[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceModel = NULL;
	b[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceSerialNumber = "42";
	b[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceVersion = NULL;
	b[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceFirmwareVersion = "1.0";
	return n;
}

static void test_round_trip_all(void **state)
{
	struct rpcext_aux_block in[32], *out = NULL;
	size_t n = fill_all(in), num = 0, size = 0, size2 = 0, i;
	uint8_t *wire = NULL, *wire2 = NULL;

	assert_int_equal(rpcext_aux_push(*state, in, n, &wire, &size), RPCEXT_OK);
	assert_int_equal(size % 4, 0);
	assert_int_equal(rpcext_aux_parse(*state, wire, size, &out, &num), RPCEXT_OK);
	assert_int_equal(num, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].kind, rpcext_aux_kind_of(in[i].header.Version,
								 in[i].header.Type));
		assert_int_not_equal(out[i].kind, RPCEXT_AUX_UNKNOWN);
		assert_int_equal(out[i].header.Size % 4, 0);
	}
	/* re-serialising what was parsed gives the same bytes */
	assert_int_equal(rpcext_aux_push(*state, out, num, &wire2, &size2), RPCEXT_OK);
	assert_int_equal(size2, size);
	assert_memory_equal(wire2, wire, size);

	/* spot checks, including UTF-16 conversion and blobs */
	assert_string_equal(out[1].u.AUX_PERF_CLIENTINFO.MachineName, "WORKSTATION-Ä");
	assert_string_equal(out[1].u.AUX_PERF_CLIENTINFO.UserName, "user\xF0\x9F\x98\x80");
	assert_null(out[1].u.AUX_PERF_CLIENTINFO.AdapterName);
	assert_int_equal(out[1].u.AUX_PERF_CLIENTINFO.AdapterNameOffset, 0);
	assert_int_equal(out[1].u.AUX_PERF_CLIENTINFO.MachineNameOffset, 4 + 28);
	assert_memory_equal(out[1].u.AUX_PERF_CLIENTINFO.MacAddress, in[1].u.AUX_PERF_CLIENTINFO.MacAddress, 6);
	assert_int_equal(out[1].u.AUX_PERF_CLIENTINFO.AdapterSpeed, in[1].u.AUX_PERF_CLIENTINFO.AdapterSpeed);
	assert_string_equal(out[2].u.AUX_PERF_SERVERINFO.ServerName, "");
	assert_int_equal(out[4].u.AUX_PERF_SESSIONINFO_V2.ConnectionID,
			 in[4].u.AUX_PERF_SESSIONINFO_V2.ConnectionID);
	assert_memory_equal(out[15].u.AUX_OSVERSIONINFO.Reserved_1,
			    in[15].u.AUX_OSVERSIONINFO.Reserved_1, 132);
	assert_int_equal(out[15].header.Size, 4 + 156);
	assert_int_equal(out[13].u.AUX_PERF_FAILURE_V2.ResultCode,
			 in[13].u.AUX_PERF_FAILURE_V2.ResultCode);
	assert_string_equal(out[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceFirmwareVersion, "1.0");
	assert_null(out[22].u.AUX_PROTOCOL_DEVICE_IDENTIFICATION.DeviceModel);
	talloc_free(out);
	talloc_free(wire);
	talloc_free(wire2);
}

struct bad_aux {
	const char *name;
	uint8_t bytes[24];
	size_t len;
};

static const struct bad_aux bad_aux[] = {
	{ "Size 0", { 0, 0, 1, 1, 1, 0, 2, 0 }, 8 },
	{ "Size 3 (< AUX_HEADER)", { 3, 0, 1, 1, 1, 0, 2, 0 }, 8 },
	{ "Size beyond buffer", { 12, 0, 1, 1, 1, 0, 2, 0 }, 8 },
	{ "trailing 2 bytes", { 8, 0, 1, 1, 1, 0, 2, 0, 0, 0 }, 10 },
	{ "REQUESTID shorter than fixed part", { 6, 0, 1, 1, 1, 0 }, 6 },
	{ "string offset past block", { 8, 0, 1, 0x4b, 8, 0, 0, 0 }, 8 },
	{ "string offset inside AUX_HEADER", { 8, 0, 1, 0x4b, 2, 0, 0, 0 }, 8 },
	{ "unterminated string", { 10, 0, 1, 0x4b, 6, 0, 0x41, 0, 0x42, 0 }, 10 },
	{ "odd-length string tail", { 9, 0, 1, 0x4b, 6, 0, 0x41, 0, 0 }, 9 },
	{ "blob past block", { 32, 0, 1, 2, 0,0,0,0, 0,0, 0,0, 0,0, 8,0, 30,0, 0,0, 0,0, 0,0 }, 32 },
};

static void test_malformed(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_aux) / sizeof(bad_aux[0]); i++) {
		uint8_t buf[64] = { 0 };
		struct rpcext_aux_block *b = NULL;
		size_t num = 0;
		enum rpcext_error err;

		memcpy(buf, bad_aux[i].bytes, sizeof(bad_aux[i].bytes));
		err = rpcext_aux_parse(*state, buf, bad_aux[i].len, &b, &num);
		if (err != RPCEXT_ERR_BAD_AUX) {
			fail_msg("%s: got %s", bad_aux[i].name, rpcext_error_name(err));
		}
		assert_null(b);
	}
}

static void test_unknown_and_empty(void **state)
{
	/* an unknown (Version, Type) is kept raw; a known one follows it */
	uint8_t buf[] = { 6, 0, 9, 0x99, 0xAB, 0xCD, 8, 0, 1, 0x17, 1, 0, 0, 0 };
	uint8_t too_big[RPCEXT_MAX_AUX + 1] = { 0 };
	struct rpcext_aux_block *b = NULL;
	size_t num = 0;

	assert_int_equal(rpcext_aux_parse(*state, buf, sizeof(buf), &b, &num), RPCEXT_OK);
	assert_int_equal(num, 2);
	assert_int_equal(b[0].kind, RPCEXT_AUX_UNKNOWN);
	assert_int_equal(b[0].raw_size, 2);
	assert_int_equal(b[0].raw[1], 0xCD);
	assert_int_equal(b[1].kind, RPCEXT_AUX_EXORGINFO);
	assert_int_equal(b[1].u.AUX_EXORGINFO.OrgFlags, PUBLIC_FOLDERS_ENABLED);
	talloc_free(b);
	b = NULL;

	assert_int_equal(rpcext_aux_in_parse(*state, NULL, 0, &b, &num), RPCEXT_OK);
	assert_int_equal(num, 0);
	assert_null(b);
	assert_int_equal(rpcext_aux_parse(*state, buf, 0, &b, &num), RPCEXT_OK);
	assert_int_equal(num, 0);
	assert_int_equal(rpcext_aux_in_parse(*state, too_big, sizeof(too_big), &b, &num),
			 RPCEXT_ERR_TOO_LARGE);
}

static void test_aux_out(void **state)
{
	struct rpcext_aux_block out[4] = { 0 }, *b = NULL;
	struct rpcext_build_opts opts = { .compress = true, .xor_magic = true };
	uint8_t *wire = NULL;
	size_t size = 0, num = 0;
	static const uint8_t exorginfo[] = { 0, 0, 0x04, 0, 8, 0, 8, 0,
					     8, 0, 1, 0x17, 3, 0, 0, 0 };

	out[0].header = (struct AUX_HEADER){ .Version = AUX_VERSION_1,
					     .Type = AUX_TYPE_EXORGINFO };
	out[0].u.AUX_EXORGINFO.OrgFlags = PUBLIC_FOLDERS_ENABLED |
		USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION;
	/* plain: exact bytes (RPC_HEADER_EXT Last, one 8-byte block) */
	assert_int_equal(rpcext_aux_out_build(*state, out, 1, RPCEXT_MAX_AUX, NULL,
					      &wire, &size), RPCEXT_OK);
	assert_int_equal(size, sizeof(exorginfo));
	assert_memory_equal(wire, exorginfo, size);
	talloc_free(wire);

	out[1].header = (struct AUX_HEADER){ .Version = 1, .Type = AUX_TYPE_SERVER_CAPABILITIES };
	out[1].u.AUX_SERVER_CAPABILITIES.ServerCapabilityFlags =
		PACKED_FAST_TRANSFER_UPLOAD_BUFFERS | PACKED_WRITE_STREAM_UPLOAD_BUFFERS;
	out[2].header = (struct AUX_HEADER){ .Version = 1, .Type = AUX_TYPE_ENDPOINT_CAPABILITIES };
	out[2].u.AUX_ENDPOINT_CAPABILITIES.EndpointCapabilityFlag =
		ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT;
	out[3].header = (struct AUX_HEADER){ .Version = 1, .Type = AUX_TYPE_SERVER_SESSION_INFO };
	out[3].u.AUX_SERVER_SESSION_INFO.ServerSessionContextInfo =
		"OpenChange session 0123456789 0123456789 0123456789";
	assert_int_equal(rpcext_aux_out_build(*state, out, 4, RPCEXT_MAX_AUX, &opts,
					      &wire, &size), RPCEXT_OK);
	assert_true((wire[2] & RHEF_XorMagic) != 0);
	assert_int_equal(rpcext_aux_in_parse(*state, wire, size, &b, &num), RPCEXT_OK);
	assert_int_equal(num, 4);
	assert_int_equal(b[1].u.AUX_SERVER_CAPABILITIES.ServerCapabilityFlags, 3);
	assert_int_equal(b[2].u.AUX_ENDPOINT_CAPABILITIES.EndpointCapabilityFlag, 1);
	assert_string_equal(b[3].u.AUX_SERVER_SESSION_INFO.ServerSessionContextInfo,
			    out[3].u.AUX_SERVER_SESSION_INFO.ServerSessionContextInfo);
	talloc_free(b);
	talloc_free(wire);

	/* too small for *pcbAuxOut */
	assert_int_equal(rpcext_aux_out_build(*state, out, 4, 20, NULL, &wire, &size),
			 RPCEXT_ERR_NO_SPACE);
	/* invalid UTF-8 is refused */
	out[3].u.AUX_SERVER_SESSION_INFO.ServerSessionContextInfo = "bad\xC3";
	assert_int_equal(rpcext_aux_out_build(*state, out, 4, RPCEXT_MAX_AUX, NULL,
					      &wire, &size), RPCEXT_ERR_INVALID_PARAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixture_aux, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_layout_table, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_all, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_empty, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_aux_out, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

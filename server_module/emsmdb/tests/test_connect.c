/*
 * Unit tests of EcDoConnectEx decisions ([MS-OXCRPC] 3.1.4.1) and the
 * session registry (emsmdb_session.h).
 */
#include "oc_test.h"

#include <string.h>

#include "emsmdb_session.h"
#include "emsmdb_errors.h"
#include "rpcext_aux.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"

static void test_version_formats(void **state)
{
	/* table: wire form -> normalised ([MS-OXCRPC] 3.1.4.1.3) */
	static const struct {
		uint16_t wire[3];
		uint16_t normal[4];
	} cases[] = {
		{ { 0x0E00, 0x9298, 0x03E8 }, { 14, 0, 4760, 1000 } },
		{ { 0x0C00, 0x8FA0, 0x0001 }, { 12, 0, 4000, 1 } },
		{ { 0x000B, 0x0000, 0x0FA0 }, { 11, 0, 0, 4000 } },
		{ { 0x0008, 0x02B4, 0x0003 }, { 8, 0, 692, 3 } },
	};
	uint16_t normal[4], wire[3];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		emsmdb_version_parse(cases[i].wire, normal);
		assert_memory_equal(normal, cases[i].normal, sizeof(normal));
	}
	/* the server's own version round-trips through the new format */
	emsmdb_version_encode(emsmdb_server_version, wire);
	assert_int_equal(wire[0], 0x0E00);
	assert_int_equal(wire[1], 0x8064);
	assert_int_equal(wire[2], 0);
	emsmdb_version_parse(wire, normal);
	assert_memory_equal(normal, emsmdb_server_version, sizeof(normal));
	assert_true(emsmdb_version_cmp(cases[3].normal, emsmdb_min_client_version) < 0);
	assert_true(emsmdb_version_cmp(cases[2].normal, emsmdb_min_client_version) > 0);
	assert_int_equal(emsmdb_version_cmp(emsmdb_min_client_version,
					    emsmdb_min_client_version), 0);
}

static void fill_in(struct emsmdb_connect_in *in)
{
	memset(in, 0, sizeof(*in));
	in->szUserDN = DN;
	in->ulCpid = 1252;
	in->ulLcidString = 0x409;
	in->ulLcidSort = 0x409;
	in->rgwClientVersion[0] = 0x0E00;
	in->rgwClientVersion[1] = 0x9298;
	in->rgwClientVersion[2] = 0x03E8;
	in->cbAuxOutMax = 0x1008;
	in->account = "alice";
	in->account_dn = DN;
	in->account_display_name = "Alice Liddell";
}

static void test_connect_ok(void **state)
{
	struct emsmdb_config cfg;
	struct emsmdb_connect_in in;
	struct emsmdb_connect_out out;
	struct emsmdb_session *s = NULL;
	struct rpcext_aux_block *blocks;
	size_t n;

	emsmdb_config_default(&cfg);
	cfg.netbios_name = "OCDC";
	fill_in(&in);
	in.szUserDN = "/O=FIRST ORGANIZATION/OU=First Administrative Group/cn=Recipients/cn=ALICE";
	assert_int_equal(emsmdb_connect(*state, &cfg, &in, &out, &s), ecSuccess);
	assert_non_null(s);
	assert_int_equal(out.pcmsPollsMax, 60000);
	assert_int_equal(out.pcRetry, 6);
	assert_int_equal(out.pcmsRetryDelay, 10000);
	assert_string_equal(out.szDisplayName, "Alice Liddell");
	assert_string_equal(out.szDNPrefix, "/o=First Organization/ou=First "
			    "Administrative Group/cn=Configuration/cn=Servers/cn=OCDC");
	assert_memory_equal(out.rgwBestVersion, in.rgwClientVersion, 6);
	assert_int_equal(out.rgwServerVersion[0], 0x0E00);
	assert_int_equal(s->cpid, 1252);
	assert_int_equal(s->client_version[2], 4760);
	assert_string_equal(s->account, "alice");

	/* the server AUX blocks come back as a valid extended buffer */
	assert_true(out.cbAuxOut > 8);
	assert_int_equal(rpcext_aux_in_parse(*state, out.rgbAuxOut, out.cbAuxOut,
					     &blocks, &n), RPCEXT_OK);
	assert_int_equal(n, 3);
	assert_int_equal(blocks[0].kind, RPCEXT_AUX_EXORGINFO);
	assert_int_equal(blocks[0].u.AUX_EXORGINFO.OrgFlags, PUBLIC_FOLDERS_ENABLED);
	assert_int_equal(blocks[1].kind, RPCEXT_AUX_ENDPOINT_CAPABILITIES);
	assert_int_equal(blocks[2].kind, RPCEXT_AUX_CLIENT_CONTROL);
	talloc_free(blocks);

	/* registry: cxr assigned, found by guid, gone after free */
	memset(s->guid, 0x5A, 16);
	assert_true(emsmdb_registry_add(s));
	assert_int_not_equal(s->cxr, 0);
	assert_ptr_equal(emsmdb_registry_find(s->guid), s);
	assert_int_equal(emsmdb_registry_count(), 1);
	emsmdb_session_free(s);
	assert_int_equal(emsmdb_registry_count(), 0);
	talloc_free(out.szDNPrefix);
	talloc_free(out.szDisplayName);
	talloc_free(out.rgbAuxOut);
}

enum variant { V_OTHER_DN, V_OLD_CLIENT, V_ADMIN, V_ANON, V_PRIVACY, V_BAD_AUX,
	       V_NO_DN };

static void test_connect_refused(void **state)
{
	static const struct {
		enum variant v;
		uint32_t ec;
	} cases[] = {
		{ V_OTHER_DN, ecAccessDenied },
		{ V_OLD_CLIENT, ecClientVerDisallowed },
		{ V_ADMIN, ecLoginPerm },
		{ V_ANON, ecLoginFailure },
		{ V_PRIVACY, ecNotEncrypted },
		{ V_BAD_AUX, ecRpcFormat },
		{ V_NO_DN, ecAccessDenied },
	};
	static const uint8_t bad_aux[12] = { 0, 0, 4, 0, 4, 0, 4, 0, 0, 0, 1, 1 };
	struct emsmdb_config cfg;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emsmdb_connect_in in;
		struct emsmdb_connect_out out;
		struct emsmdb_session *s = (void *)1;
		TALLOC_CTX *mem = talloc_new(*state);

		emsmdb_config_default(&cfg);
		fill_in(&in);
		switch (cases[i].v) {
		case V_OTHER_DN:
			in.szUserDN = "/o=First Organization/ou=First Administrative "
				      "Group/cn=Recipients/cn=bob";
			break;
		case V_OLD_CLIENT:
			in.rgwClientVersion[0] = 8;
			in.rgwClientVersion[1] = 0x02B4;
			in.rgwClientVersion[2] = 3;
			break;
		case V_ADMIN:
			in.ulFlags = 1;
			break;
		case V_ANON:
			in.account = NULL;
			break;
		case V_PRIVACY:
			cfg.require_privacy = true;
			break;
		case V_BAD_AUX:
			in.rgbAuxIn = bad_aux;
			in.cbAuxIn = sizeof(bad_aux);
			break;
		case V_NO_DN:
			in.szUserDN = NULL;
			break;
		}
		assert_int_equal(emsmdb_connect(mem, &cfg, &in, &out, &s), cases[i].ec);
		assert_null(s);
		if (cases[i].v == V_OLD_CLIENT) {
			/* rgwBestVersion names the oldest accepted: 11.0.0.0 */
			assert_int_equal(out.rgwBestVersion[0], 0x0B00);
			assert_int_equal(out.rgwBestVersion[1], 0x8000);
			assert_int_equal(out.rgwBestVersion[2], 0);
		}
		talloc_free(mem);
	}
}

static void test_user_dn(void **state)
{
	struct emsmdb_config cfg;
	char *dn;

	emsmdb_config_default(&cfg);
	dn = emsmdb_user_dn(*state, &cfg, "alice");
	assert_string_equal(dn, DN);
	talloc_free(dn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_formats, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_connect_ok, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_connect_refused, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_user_dn, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

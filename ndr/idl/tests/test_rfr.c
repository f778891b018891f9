/*
 * exchange_ds_rfr ([MS-OXABREF] 3.1.4.1, 3.1.4.2) generated NDR: expected
 * bytes computed by hand from the IDL, impacket request vectors, round trips,
 * truncation and [range] enforcement.
 */
#include "idl_test.h"
#include "oc_test.h"
#include "ndr_exchange_ds_rfr.h"
#include "impacket_vectors.h"

#include <string.h>

/* RfrGetNewDSA request: ulFlags 0, pUserDN "/o=Org" ([ref]: no referent ID),
 * ppszUnused NULL, ppszServer -> -> "" (two unique referent IDs). */
static const uint8_t new_dsa_in[] = {
	0x00, 0x00, 0x00, 0x00,				/* ulFlags */
	0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* max 7, offset 0 */
	0x07, 0x00, 0x00, 0x00,				/* actual 7 */
	'/', 'o', '=', 'O', 'r', 'g', 0x00,		/* pUserDN */
	0x00,						/* pad to 4 */
	0x00, 0x00, 0x00, 0x00,				/* ppszUnused NULL */
	0x00, 0x00, 0x02, 0x00,				/* ppszServer */
	0x04, 0x00, 0x02, 0x00,				/* *ppszServer */
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00,			/* "" */
};

/* RfrGetNewDSA response: ppszUnused NULL, ppszServer "nspi.example.com". */
static const uint8_t new_dsa_out[] = {
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x02, 0x00,
	0x04, 0x00, 0x02, 0x00,
	0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00,
	'n', 's', 'p', 'i', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.',
	'c', 'o', 'm', 0x00,
	0x00, 0x00, 0x00,				/* pad */
	0x00, 0x00, 0x00, 0x00,				/* result */
};

/* RfrGetFQDNFromServerDN request: cbMailboxServerDN 12 = size_is. */
static const uint8_t fqdn_in[] = {
	0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00,
	'/', 'o', '=', 'O', 'r', 'g', '/', 'c', 'n', '=', 'S', 0x00,
};

/* RfrGetFQDNFromServerDN response: [out,ref] -> unique -> string. */
static const uint8_t fqdn_out[] = {
	0x00, 0x00, 0x02, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	's', 'r', 'v', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o',
	'm', 0x00,
	0x05, 0x40, 0x00, 0x80,				/* result 0x80004005 */
};

static void test_new_dsa_in(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct RfrGetNewDSA r;
	const char *server = "";
	struct RfrGetNewDSA *p = NULL;

	memset(&r, 0, sizeof(r));
	r.in.ulFlags = 0;
	r.in.pUserDN = "/o=Org";
	r.in.ppszUnused = NULL;
	r.in.ppszServer = &server;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			     NDR_IN, &r, new_dsa_in, sizeof(new_dsa_in));

	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			       NDR_IN, new_dsa_in, sizeof(new_dsa_in));
	assert_int_equal(p->in.ulFlags, 0);
	assert_string_equal(p->in.pUserDN, "/o=Org");
	assert_null(p->in.ppszUnused);
	assert_non_null(p->in.ppszServer);
	assert_string_equal(*p->in.ppszServer, "");
	/* [in,out,unique] parameters get no out storage from the request. */
	assert_null(p->out.ppszServer);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			       NDR_IN, new_dsa_in, sizeof(new_dsa_in));
}

static void test_new_dsa_out(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct RfrGetNewDSA r;
	const char *server = "nspi.example.com";
	struct RfrGetNewDSA *p = NULL;

	memset(&r, 0, sizeof(r));
	r.out.ppszServer = &server;
	r.out.result = 0;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			     NDR_OUT, &r, new_dsa_out, sizeof(new_dsa_out));
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			       NDR_OUT, new_dsa_out, sizeof(new_dsa_out));
	assert_null(p->out.ppszUnused);
	assert_string_equal(*p->out.ppszServer, "nspi.example.com");
	assert_int_equal(p->out.result, 0);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			       NDR_OUT, new_dsa_out, sizeof(new_dsa_out));
}

static void test_fqdn_in(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct RfrGetFQDNFromServerDN r;
	struct RfrGetFQDNFromServerDN *p = NULL;

	memset(&r, 0, sizeof(r));
	r.in.cbMailboxServerDN = 12;
	r.in.szMailboxServerDN = "/o=Org/cn=S";
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_ds_rfr,
			     NDR_RFRGETFQDNFROMSERVERDN, NDR_IN, &r,
			     fqdn_in, sizeof(fqdn_in));
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr,
			       NDR_RFRGETFQDNFROMSERVERDN, NDR_IN,
			       fqdn_in, sizeof(fqdn_in));
	assert_int_equal(p->in.cbMailboxServerDN, 12);
	assert_string_equal(p->in.szMailboxServerDN, "/o=Org/cn=S");
	/* The [out,ref] pointer is allocated and zeroed for the server. */
	assert_non_null(p->out.ppszServerFQDN);
	assert_null(*p->out.ppszServerFQDN);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_ds_rfr,
			       NDR_RFRGETFQDNFROMSERVERDN, NDR_IN,
			       fqdn_in, sizeof(fqdn_in));
}

static void test_fqdn_out(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct RfrGetFQDNFromServerDN r;
	const char *fqdn = "srv.example.com";
	struct RfrGetFQDNFromServerDN *p = NULL;

	memset(&r, 0, sizeof(r));
	r.out.ppszServerFQDN = &fqdn;
	r.out.result = 0x80004005;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_ds_rfr,
			     NDR_RFRGETFQDNFROMSERVERDN, NDR_OUT, &r,
			     fqdn_out, sizeof(fqdn_out));
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr,
			       NDR_RFRGETFQDNFROMSERVERDN, NDR_OUT,
			       fqdn_out, sizeof(fqdn_out));
	assert_string_equal(*p->out.ppszServerFQDN, "srv.example.com");
	assert_int_equal(p->out.result, 0x80004005);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_ds_rfr,
			       NDR_RFRGETFQDNFROMSERVERDN, NDR_OUT,
			       fqdn_out, sizeof(fqdn_out));
}

/* [range(10,1024)] cbMailboxServerDN, and size_is(cbMailboxServerDN). */
static void test_fqdn_range(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	static const struct {
		uint32_t cb;
		enum ndr_err_code err;
	} cases[] = {
		{ 9, NDR_ERR_RANGE },
		{ 1025, NDR_ERR_RANGE },
		{ 0xffffffff, NDR_ERR_RANGE },
		{ 13, NDR_ERR_ARRAY_SIZE },	/* != the string's max_count */
		{ 12, NDR_ERR_SUCCESS },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t buf[sizeof(fqdn_in)];
		enum ndr_err_code err;
		void *p = NULL;

		memcpy(buf, fqdn_in, sizeof(buf));
		buf[4] = cases[i].cb & 0xff;
		buf[5] = (cases[i].cb >> 8) & 0xff;
		buf[6] = (cases[i].cb >> 16) & 0xff;
		buf[7] = (cases[i].cb >> 24) & 0xff;
		p = idl_test_pull(mem_ctx, &ndr_table_exchange_ds_rfr,
				  NDR_RFRGETFQDNFROMSERVERDN, NDR_IN, buf,
				  sizeof(buf), &err);
		assert_int_equal(err, cases[i].err);
		talloc_free(p);
	}
}

/* Bad string bounds: offset != 0, actual > max, missing terminator. */
static void test_string_bounds(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	uint8_t buf[sizeof(fqdn_in)];

	memcpy(buf, fqdn_in, sizeof(buf));
	buf[12] = 1;				/* offset */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_ds_rfr,
			    NDR_RFRGETFQDNFROMSERVERDN, NDR_IN, buf, sizeof(buf),
			    NDR_ERR_ARRAY_SIZE);
	memcpy(buf, fqdn_in, sizeof(buf));
	buf[16] = 13;				/* actual > max */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_ds_rfr,
			    NDR_RFRGETFQDNFROMSERVERDN, NDR_IN, buf, sizeof(buf),
			    NDR_ERR_ARRAY_SIZE);
	memcpy(buf, fqdn_in, sizeof(buf));
	buf[sizeof(buf) - 1] = 'x';		/* no terminator: libndr's */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_ds_rfr,	/* code */
			    NDR_RFRGETFQDNFROMSERVERDN, NDR_IN, buf, sizeof(buf),
			    NDR_ERR_ARRAY_SIZE);
}

/* impacket's oxabref encoders agree with the IDL. */
static void test_impacket(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct RfrGetNewDSA *a = NULL;
	struct RfrGetFQDNFromServerDN *b = NULL;

	a = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr, NDR_RFRGETNEWDSA,
			       NDR_IN, impacket_RfrGetNewDSA_in,
			       sizeof(impacket_RfrGetNewDSA_in));
	assert_string_equal(a->in.pUserDN, "/o=First Organization/ou=Exchange "
			    "Administrative Group/cn=Recipients/cn=jdoe");
	assert_null(a->in.ppszUnused);
	assert_string_equal(*a->in.ppszServer, "");
	talloc_free(a);

	b = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_ds_rfr,
			       NDR_RFRGETFQDNFROMSERVERDN, NDR_IN,
			       impacket_RfrGetFQDNFromServerDN_in,
			       sizeof(impacket_RfrGetFQDNFromServerDN_in));
	assert_int_equal(b->in.cbMailboxServerDN,
			 strlen(b->in.szMailboxServerDN) + 1);
	assert_string_equal(b->in.szMailboxServerDN,
			    "/o=First Organization/ou=Exchange Administrative Group"
			    "/cn=Configuration/cn=Servers/cn=EXCH01");
	talloc_free(b);
}

static void test_table(void **state)
{
	const struct ndr_interface_table *t = &ndr_table_exchange_ds_rfr;
	struct GUID uuid;

	assert_string_equal(t->name, "exchange_ds_rfr");
	assert_int_equal(t->num_calls, NDR_EXCHANGE_DS_RFR_CALL_COUNT);
	assert_int_equal(t->num_calls, 2);
	assert_string_equal(t->calls[0].name, "RfrGetNewDSA");
	assert_string_equal(t->calls[1].name, "RfrGetFQDNFromServerDN");
	assert_int_equal(t->calls[1].struct_size, sizeof(struct RfrGetFQDNFromServerDN));
	assert_true(NT_STATUS_IS_OK(GUID_from_string(NDR_EXCHANGE_DS_RFR_UUID, &uuid)));
	assert_true(GUID_equal(&uuid, &t->syntax_id.uuid));
	assert_int_equal(t->syntax_id.if_version, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_dsa_in, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_new_dsa_out, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fqdn_in, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fqdn_out, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fqdn_range, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_string_bounds, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_impacket, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * exchange_emsmdb / exchange_async_emsmdb ([MS-OXCRPC] 3.1.4, 3.3.4)
 * generated NDR: hand-computed EcDoConnectEx request, EcDoRpcExt2 round trip
 * and [range] limits, placeholders of the reserved opnums.
 */
#include "idl_test.h"
#include "oc_test.h"
#include "ndr_exchange_emsmdb.h"
#include "ndr_exchange_async_emsmdb.h"

#include <string.h>

/* EcDoConnectEx request ([MS-OXCRPC] 3.1.4.1), laid out by hand. */
static const uint8_t connect_ex_in[] = {
	0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
	'/', 'o', '=', 'A', 0x00,			/* szUserDN */
	0x00, 0x00, 0x00,				/* pad */
	0x00, 0x00, 0x00, 0x00,				/* ulFlags */
	0x78, 0x56, 0x34, 0x12,				/* ulConMod */
	0x00, 0x00, 0x00, 0x00,				/* cbLimit */
	0xe4, 0x04, 0x00, 0x00,				/* ulCpid */
	0x09, 0x04, 0x00, 0x00,				/* ulLcidString */
	0x09, 0x04, 0x00, 0x00,				/* ulLcidSort */
	0xff, 0xff, 0xff, 0xff,				/* ulIcxrLink */
	0x01, 0x00,					/* usFCanConvertCodePages */
	0x0c, 0x00, 0x0c, 0x1a, 0x00, 0x80,		/* rgwClientVersion[3] */
	0x00, 0x00, 0x00, 0x00,				/* *pulTimeStamp */
	0x02, 0x00, 0x00, 0x00, 0xaa, 0xbb,		/* rgbAuxIn: max 2 */
	0x00, 0x00,					/* pad */
	0x02, 0x00, 0x00, 0x00,				/* cbAuxIn */
	0x08, 0x10, 0x00, 0x00,				/* *pcbAuxOut */
};

static void test_connect_ex_in(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct EcDoConnectEx r;
	struct EcDoConnectEx *p = NULL;
	uint32_t ts = 0, aux_out = 0x1008;
	uint8_t aux[2] = { 0xaa, 0xbb };

	memset(&r, 0, sizeof(r));
	r.in.szUserDN = "/o=A";
	r.in.ulConMod = 0x12345678;
	r.in.ulCpid = 1252;
	r.in.ulLcidString = 1033;
	r.in.ulLcidSort = 1033;
	r.in.ulIcxrLink = 0xffffffff;
	r.in.usFCanConvertCodePages = 1;
	r.in.rgwClientVersion[0] = 0x000c;
	r.in.rgwClientVersion[1] = 0x1a0c;
	r.in.rgwClientVersion[2] = 0x8000;
	r.in.pulTimeStamp = &ts;
	r.in.rgbAuxIn = aux;
	r.in.cbAuxIn = 2;
	r.in.pcbAuxOut = &aux_out;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			     NDR_IN, &r, connect_ex_in, sizeof(connect_ex_in));

	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			       NDR_IN, connect_ex_in, sizeof(connect_ex_in));
	assert_string_equal(p->in.szUserDN, "/o=A");
	assert_int_equal(p->in.ulIcxrLink, 0xffffffff);
	assert_int_equal(p->in.rgwClientVersion[1], 0x1a0c);
	assert_int_equal(p->in.cbAuxIn, 2);
	assert_int_equal(p->in.rgbAuxIn[1], 0xbb);
	/* Out storage as pidl gives it to the server. */
	assert_non_null(p->out.pcxh);
	assert_non_null(p->out.szDNPrefix);
	assert_null(*p->out.szDNPrefix);
	assert_int_equal(*p->out.pcbAuxOut, 0x1008);
	assert_non_null(p->out.rgbAuxOut);
	assert_int_equal(talloc_array_length(p->out.rgbAuxOut), 0x1008);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			       NDR_IN, connect_ex_in, sizeof(connect_ex_in));
}

/* cbAuxIn follows rgbAuxIn: the conformance check happens at the end. */
static void test_connect_ex_bad_counts(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	uint8_t buf[sizeof(connect_ex_in)];
	size_t n = sizeof(buf);

	memcpy(buf, connect_ex_in, n);
	buf[n - 8] = 3;				/* cbAuxIn != max_count */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			    NDR_IN, buf, n, NDR_ERR_ARRAY_SIZE);
	memcpy(buf, connect_ex_in, n);
	buf[n - 4] = 0x09;			/* *pcbAuxOut 0x1009 > 0x1008 */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			    NDR_IN, buf, n, NDR_ERR_RANGE);
	memcpy(buf, connect_ex_in, n);
	buf[60] = 0xff;				/* rgbAuxIn max 0xff: past the end */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDOCONNECTEX,
			    NDR_IN, buf, n, NDR_ERR_ARRAY_SIZE);
}

static void test_rpc_ext2(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct EcDoRpcExt2 r;
	struct policy_handle h;
	uint32_t flags = 3, cb_out = 6, cb_aux_out = 0, trans = 77;
	uint8_t in[8] = { 0, 0, 4, 0, 8, 0, 8, 0 };
	uint8_t out[6] = { 1, 2, 3, 4, 5, 6 };
	struct EcDoRpcExt2 *p = NULL;
	uint8_t *bytes = NULL;
	size_t len = 0;
	enum ndr_err_code err;

	memset(&r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	h.handle_type = 1;
	h.uuid.time_low = 0xdeadbeef;
	r.in.pcxh = &h;
	r.in.pulFlags = &flags;
	r.in.rgbIn = in;
	r.in.cbIn = sizeof(in);
	r.in.pcbOut = &cb_out;
	r.in.rgbAuxIn = in;
	r.in.cbAuxIn = 0;
	r.in.pcbAuxOut = &cb_aux_out;
	bytes = idl_test_push(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			      NDR_IN, &r, &len, &err);
	assert_non_null(bytes);
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			       NDR_IN, bytes, len);
	assert_int_equal(p->in.pcxh->uuid.time_low, 0xdeadbeef);
	assert_int_equal(p->in.cbIn, 8);
	assert_memory_equal(p->in.rgbIn, in, 8);
	assert_int_equal(talloc_array_length(p->out.rgbOut), 6);
	talloc_free(p);
	talloc_free(bytes);

	r.out.pcxh = &h;
	r.out.pulFlags = &flags;
	r.out.rgbOut = out;
	r.out.pcbOut = &cb_out;
	r.out.rgbAuxOut = out;
	r.out.pcbAuxOut = &cb_aux_out;
	r.out.pulTransTime = &trans;
	bytes = idl_test_push(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			      NDR_OUT, &r, &len, &err);
	assert_non_null(bytes);
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			       NDR_OUT, bytes, len);
	assert_int_equal(*p->out.pcbOut, 6);
	assert_memory_equal(p->out.rgbOut, out, 6);
	assert_int_equal(*p->out.pulTransTime, 77);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			       NDR_OUT, bytes, len);
	talloc_free(bytes);

	/* *pcbOut is a BIG_RANGE_ULONG: 0x40001 is refused.  ([ref] arrays
	 * must not be NULL, even when empty.) */
	cb_out = 0;
	bytes = idl_test_push(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			      NDR_OUT, &r, &len, &err);
	assert_non_null(bytes);
	/* pcbOut follows the 20-byte handle, pulFlags and rgbOut's header. */
	bytes[20 + 4 + 12] = 0x01;
	bytes[20 + 4 + 12 + 2] = 0x04;
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_emsmdb, NDR_ECDORPCEXT2,
			    NDR_OUT, bytes, len, NDR_ERR_RANGE);
	talloc_free(bytes);
}

static void test_table(void **state)
{
	const struct ndr_interface_table *t = &ndr_table_exchange_emsmdb;

	assert_int_equal(t->num_calls, NDR_EXCHANGE_EMSMDB_CALL_COUNT);
	assert_string_equal(t->calls[0].name, "Opnum0NotUsedOnWire");
	assert_string_equal(t->calls[NDR_ECDODISCONNECT].name, "EcDoDisconnect");
	assert_string_equal(t->calls[4].name, "EcRRegisterPushNotification");
	assert_string_equal(t->calls[6].name, "EcDummyRpc");
	assert_string_equal(t->calls[10].name, "EcDoConnectEx");
	assert_string_equal(t->calls[11].name, "EcDoRpcExt2");
	assert_string_equal(t->calls[14].name, "EcDoAsyncConnectEx");
	/* version 0.81: major 0 in the low, minor 81 in the high 16 bits */
	assert_int_equal(t->syntax_id.if_version, 81 << 16);
	assert_int_equal(ndr_table_exchange_async_emsmdb.syntax_id.if_version, 1 << 16);
	assert_string_equal(ndr_table_exchange_async_emsmdb.calls[0].name,
			    "EcDoAsyncWaitEx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connect_ex_in, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_connect_ex_bad_counts, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_rpc_ext2, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Every call of every interface, both directions: a minimal stub encoded by
 * gen_minimal_stubs.py (an independent Python encoder) must pull, push back
 * to the same bytes, print, and every truncation of it must fail cleanly.
 */
#include "idl_test.h"
#include "oc_test.h"
#include "ndr_exchange_ds_rfr.h"
#include "ndr_exchange_async_emsmdb.h"
#include "ndr_exchange_emsmdb.h"
#include "ndr_exchange_nsp.h"

struct min_stub {
	const struct ndr_interface_table *table;
	uint32_t opnum;
	int flags;
	const uint8_t *data;
	size_t len;
};

#include "minimal_stubs.h"

static void test_all_calls(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	size_t i;

	for (i = 0; i < sizeof(min_stubs) / sizeof(min_stubs[0]); i++) {
		const struct min_stub *s = &min_stubs[i];
		void *r = idl_test_roundtrip(mem_ctx, s->table, s->opnum, s->flags,
					     s->data, s->len);

		talloc_free(r);
		idl_test_prefixes_fail(mem_ctx, s->table, s->opnum, s->flags,
				       s->data, s->len);
	}
}

/* Each direction of each call with parameters or a result has a stub:
 * EMSMDB's nine OpnumNNotUsedOnWire placeholders have neither, EcDummyRpc
 * only a result. */
static void test_coverage(void **state)
{
	const struct {
		const struct ndr_interface_table *table;
		size_t stubs;
	} expect[] = {
		{ &ndr_table_exchange_ds_rfr, 4 },
		{ &ndr_table_exchange_async_emsmdb, 2 },
		{ &ndr_table_exchange_emsmdb, 11 },
		{ &ndr_table_exchange_nsp, 42 },
	};
	size_t t, i;

	for (t = 0; t < sizeof(expect) / sizeof(expect[0]); t++) {
		size_t n = 0;

		for (i = 0; i < sizeof(min_stubs) / sizeof(min_stubs[0]); i++) {
			n += (min_stubs[i].table == expect[t].table) ? 1 : 0;
		}
		assert_int_equal(n, expect[t].stubs);
	}
	assert_int_equal(ndr_table_exchange_nsp.num_calls, 21);
	assert_int_equal(ndr_table_exchange_emsmdb.num_calls, 15);
	assert_int_equal(ndr_table_exchange_async_emsmdb.num_calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_calls, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_coverage, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

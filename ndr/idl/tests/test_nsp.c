/*
 * exchange_nsp ([MS-OXNSPI]) generated NDR: hand-computed NspiBind, the
 * impacket NspiQueryRows request, every structure (all PROP_VAL_UNION and
 * RestrictionUnion_r arms) round-tripped, the recursion bound, and the
 * requests impacket encodes off-spec.
 */
#include "idl_test.h"
#include "oc_test.h"
#include "ndr_exchange_nsp.h"
#include "impacket_vectors.h"

#include <string.h>

#define STAT_BYTES \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, \
	0xe4, 0x04, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00

/* NspiBind request ([MS-OXNSPI] 3.1.4.1.1): pStat is [ref] (inline),
 * pServerGuid [unique] (referent ID then the 16 bytes). */
static const uint8_t bind_in[] = {
	0x00, 0x00, 0x00, 0x00,			/* dwFlags */
	STAT_BYTES,				/* *pStat */
	0x00, 0x00, 0x02, 0x00,			/* pServerGuid */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static void test_bind(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct NspiBind r;
	struct STAT stat;
	struct FlatUID_r guid;
	struct NspiBind *p = NULL;
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(&stat, 0, sizeof(stat));
	stat.CodePage = 0x4e4;
	stat.TemplateLocale = 0x409;
	stat.SortLocale = 0x409;
	for (i = 0; i < 16; i++) {
		guid.ab[i] = i;
	}
	r.in.pStat = &stat;
	r.in.pServerGuid = &guid;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIBIND, NDR_IN,
			     &r, bind_in, sizeof(bind_in));
	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIBIND,
			       NDR_IN, bind_in, sizeof(bind_in));
	assert_int_equal(p->in.pStat->CodePage, 0x4e4);
	assert_int_equal(p->in.pServerGuid->ab[15], 15);
	assert_non_null(p->out.contextHandle);
	assert_true(ndr_policy_handle_empty(p->out.contextHandle));
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIBIND, NDR_IN,
			       bind_in, sizeof(bind_in));

	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIBIND,
			       NDR_IN, impacket_NspiBind_in,
			       sizeof(impacket_NspiBind_in));
	assert_null(p->in.pServerGuid);
	assert_int_equal(p->in.pStat->SortLocale, 0x409);
	talloc_free(p);
}

/* NspiQueryRows from impacket: pStat, lpETable (2 MIds), pPropTags
 * (size_is(cValues+1), length_is(cValues)). */
static void test_query_rows(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct NspiQueryRows *p = NULL;
	struct NspiQueryRows r;
	uint32_t etable[2] = { 0x1234, 0x5678 };
	uint32_t tags[3] = { 0x3001001F, 0x39FE001F, 0 };
	struct PropertyTagArray_r pt;
	struct STAT stat;

	p = idl_test_roundtrip(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			       NDR_IN, impacket_NspiQueryRows_in,
			       sizeof(impacket_NspiQueryRows_in));
	assert_int_equal(p->in.hRpc.uuid.time_low, 0x11111111);
	assert_int_equal(p->in.dwETableCount, 2);
	assert_int_equal(p->in.lpETable[1], 0x5678);
	assert_int_equal(p->in.Count, 50);
	assert_int_equal(p->in.pPropTags->cValues, 2);
	assert_int_equal(p->in.pPropTags->aulPropTag[1], 0x39FE001F);
	assert_non_null(p->out.ppRows);
	assert_null(*p->out.ppRows);
	talloc_free(p);
	idl_test_prefixes_fail(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			       NDR_IN, impacket_NspiQueryRows_in,
			       sizeof(impacket_NspiQueryRows_in));

	/* Our push of the same values gives impacket's bytes. */
	memset(&r, 0, sizeof(r));
	memset(&stat, 0, sizeof(stat));
	stat.CodePage = 0x4e4;
	stat.TemplateLocale = 0x409;
	stat.SortLocale = 0x409;
	memset(&r.in.hRpc.uuid, 0x11, sizeof(r.in.hRpc.uuid));
	r.in.pStat = &stat;
	r.in.dwETableCount = 2;
	r.in.lpETable = etable;
	r.in.Count = 50;
	pt.cValues = 2;
	pt.aulPropTag = tags;
	r.in.pPropTags = &pt;
	idl_test_push_expect(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			     NDR_IN, &r, impacket_NspiQueryRows_in,
			     sizeof(impacket_NspiQueryRows_in));
}

/* [range]: dwETableCount <= 100000, PropertyTagArray_r.cValues <= 100001. */
static void test_query_rows_ranges(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	uint8_t buf[sizeof(impacket_NspiQueryRows_in)];

	memcpy(buf, impacket_NspiQueryRows_in, sizeof(buf));
	buf[60] = 0xa1;				/* dwETableCount 100001 */
	buf[61] = 0x86;
	buf[62] = 0x01;
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			    NDR_IN, buf, sizeof(buf), NDR_ERR_RANGE);
	memcpy(buf, impacket_NspiQueryRows_in, sizeof(buf));
	buf[92] = 0xa2;				/* cValues 100002 */
	buf[93] = 0x86;
	buf[94] = 0x01;
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			    NDR_IN, buf, sizeof(buf), NDR_ERR_RANGE);
	memcpy(buf, impacket_NspiQueryRows_in, sizeof(buf));
	buf[88] = 0x04;				/* max_count != cValues + 1 */
	idl_test_pull_fails(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIQUERYROWS,
			    NDR_IN, buf, sizeof(buf), NDR_ERR_ARRAY_SIZE);
}

/*
 * impacket 0.10's NspiGetSpecialTable sends pStat as a unique pointer (an
 * extra referent ID) and lpVersion as a unique pointer, where the IDL has
 * [ref] pointers: the request is 8 bytes longer than the spec's and does not
 * pull as the spec's layout.  Recorded here, the IDL is not bent.
 */
static void test_impacket_off_spec(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	enum ndr_err_code err;
	void *p = NULL;

	assert_int_equal(sizeof(impacket_NspiGetSpecialTable_in), 20 + 4 + 4 + 36 + 4 + 4);
	p = idl_test_pull(mem_ctx, &ndr_table_exchange_nsp, NDR_NSPIGETSPECIALTABLE,
			  NDR_IN, impacket_NspiGetSpecialTable_in,
			  sizeof(impacket_NspiGetSpecialTable_in), &err);
	assert_null(p);
	assert_int_not_equal(err, NDR_ERR_SUCCESS);
}

/* ---- structures ------------------------------------------------------ */

static void struct_roundtrip(TALLOC_CTX *mem_ctx, const void *in, size_t size,
			     ndr_push_flags_fn_t push, ndr_pull_flags_fn_t pull,
			     ndr_print_fn_t print)
{
	DATA_BLOB b1, b2;
	void *copy = talloc_zero_size(mem_ctx, size);
	char *s = NULL;

	assert_non_null(copy);
	assert_int_equal(ndr_push_struct_blob(&b1, mem_ctx, in, push), NDR_ERR_SUCCESS);
	assert_int_equal(ndr_pull_struct_blob_all(&b1, copy, copy, pull), NDR_ERR_SUCCESS);
	assert_int_equal(ndr_push_struct_blob(&b2, mem_ctx, copy, push), NDR_ERR_SUCCESS);
	assert_int_equal(b1.length, b2.length);
	assert_memory_equal(b1.data, b2.data, b1.length);
	s = ndr_print_struct_string(mem_ctx, print, "x", copy);
	assert_non_null(s);
	talloc_free(s);
	/* truncations fail */
	for (size_t n = 0; n < b1.length; n++) {
		DATA_BLOB t = data_blob_talloc(mem_ctx, b1.data, n);
		void *c2 = talloc_zero_size(mem_ctx, size);

		assert_int_not_equal(ndr_pull_struct_blob_all(&t, c2, c2, pull),
				     NDR_ERR_SUCCESS);
		talloc_free(c2);
		data_blob_free(&t);
	}
	talloc_free(copy);
	data_blob_free(&b1);
	data_blob_free(&b2);
}

#define ROUNDTRIP(ctx, type, p) struct_roundtrip(ctx, p, sizeof(*(p)), \
	(ndr_push_flags_fn_t)ndr_push_##type, (ndr_pull_flags_fn_t)ndr_pull_##type, \
	(ndr_print_fn_t)ndr_print_##type)

static void test_prop_values(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	static uint8_t bytes[3] = { 1, 2, 3 };
	static int16_t shorts[2] = { -1, 7 };
	static uint32_t longs[2] = { 9, 10 };
	static const char *sa[2] = { "a", "bc" };
	static const char *sw[1] = { "w\xc3\xa9" };
	static struct Binary_r bins[2] = { { 3, bytes }, { 0, NULL } };
	static struct FlatUID_r g = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } };
	static struct FlatUID_r *gs[2] = { &g, NULL };
	static struct FILETIME fts[1] = { { 1, 2 } };
	struct PropertyValue_r v[17];
	struct PropertyRow_r row;
	struct PropertyRowSet_r *set = NULL;
	size_t i = 0;

	memset(v, 0, sizeof(v));
	v[i].ulPropTag = 0x00010002; v[i++].Value.i = -5;
	v[i].ulPropTag = 0x00020003; v[i++].Value.l = 0x12345678;
	v[i].ulPropTag = 0x0003000B; v[i++].Value.b = 1;
	v[i].ulPropTag = 0x3001001E; v[i++].Value.lpszA = "display";
	v[i].ulPropTag = 0x0FFF0102; v[i].Value.bin.cb = 3; v[i++].Value.bin.lpb = bytes;
	v[i].ulPropTag = 0x3001001F; v[i++].Value.lpszW = "unicode \xe2\x82\xac";
	v[i].ulPropTag = 0x00040048; v[i++].Value.lpguid = &g;
	v[i].ulPropTag = 0x00050040; v[i].Value.ft.dwLowDateTime = 7; v[i++].Value.ft.dwHighDateTime = 8;
	v[i].ulPropTag = 0x0006000A; v[i++].Value.err = 0x8004010F;
	v[i].ulPropTag = 0x00071002; v[i].Value.MVi.cValues = 2; v[i++].Value.MVi.lpi = shorts;
	v[i].ulPropTag = 0x00081003; v[i].Value.MVl.cValues = 2; v[i++].Value.MVl.lpl = longs;
	v[i].ulPropTag = 0x0009101E; v[i].Value.MVszA.cValues = 2; v[i++].Value.MVszA.lppszA = sa;
	v[i].ulPropTag = 0x000A1102; v[i].Value.MVbin.cValues = 2; v[i++].Value.MVbin.lpbin = bins;
	v[i].ulPropTag = 0x000B1048; v[i].Value.MVguid.cValues = 2; v[i++].Value.MVguid.lpguid = gs;
	v[i].ulPropTag = 0x000C101F; v[i].Value.MVszW.cValues = 1; v[i++].Value.MVszW.lppszW = sw;
	v[i].ulPropTag = 0x000D1040; v[i].Value.MVft.cValues = 1; v[i++].Value.MVft.lpft = fts;
	v[i].ulPropTag = 0x000E000D; v[i++].Value.lReserved = 0;
	assert_int_equal(i, 17);

	row.Reserved = 0;
	row.cValues = i;
	row.lpProps = v;
	ROUNDTRIP(mem_ctx, PropertyRow_r, &row);
	for (i = 0; i < 17; i++) {
		ROUNDTRIP(mem_ctx, PropertyValue_r, &v[i]);
	}
	set = talloc_zero_size(mem_ctx, sizeof(*set));
	assert_non_null(set);
	set->cRows = 2;
	set->aRow = talloc_array(set, struct PropertyRow_r, 2);
	assert_non_null(set->aRow);
	set->aRow[0] = row;
	set->aRow[1] = row;
	set->aRow[1].cValues = 0;
	ROUNDTRIP(mem_ctx, PropertyRowSet_r, set);
	talloc_free(set);

	/* An unknown property type is not an arm of PROP_VAL_UNION. */
	v[0].ulPropTag = 0x00010005;
	{
		TALLOC_CTX *tmp = talloc_new(mem_ctx);	/* libndr leaks on error */
		DATA_BLOB b;

		assert_int_equal(ndr_push_struct_blob(&b, tmp, &v[0],
			(ndr_push_flags_fn_t)ndr_push_PropertyValue_r), NDR_ERR_BAD_SWITCH);
		talloc_free(tmp);
	}
}

static void test_other_structs(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	static const char *names[3] = { "/o=A", "", "/o=B/cn=x" };
	static const char *wnames[2] = { "J\xc3\xb6rg", "x" };
	static struct FlatUID_r g = { { 0xff } };
	uint32_t tags[3] = { 1, 2, 0 };
	struct PropertyTagArray_r pt = { 2, tags };
	struct StringsArray_r sa = { 3, names };
	struct WStringsArray_r wa = { 2, wnames };
	struct PropertyName_r pn[2] = { { &g, 0, -7 }, { NULL, 0, 0x8001 } };
	struct PropertyNameSet_r pns = { 2, pn };
	struct STAT st = { 1, 2, 3, -4, 5, 6, 7, 8, 9 };

	ROUNDTRIP(mem_ctx, PropertyTagArray_r, &pt);
	ROUNDTRIP(mem_ctx, StringsArray_r, &sa);
	ROUNDTRIP(mem_ctx, WStringsArray_r, &wa);
	ROUNDTRIP(mem_ctx, PropertyName_r, &pn[0]);
	ROUNDTRIP(mem_ctx, PropertyNameSet_r, &pns);
	ROUNDTRIP(mem_ctx, STAT, &st);
	ROUNDTRIP(mem_ctx, FlatUID_r, &g);
}

static void test_restrictions(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct PropertyValue_r pv;
	struct Restriction_r leaves[9];
	struct Restriction_r top;
	size_t i;

	memset(&pv, 0, sizeof(pv));
	pv.ulPropTag = 0x3001001F;
	pv.Value.lpszW = "x";
	memset(leaves, 0, sizeof(leaves));
	for (i = 0; i < 9; i++) {
		leaves[i].rt = i + 1;
	}
	leaves[0].res.resOr.cRes = 0;
	leaves[1].res.resNot.lpRes = &leaves[3];
	leaves[2].res.resContent.ulFuzzyLevel = 0x10001;
	leaves[2].res.resContent.ulPropTag = pv.ulPropTag;
	leaves[2].res.resContent.lpProp = &pv;
	leaves[3].res.resProperty.relop = 4;
	leaves[3].res.resProperty.ulPropTag = pv.ulPropTag;
	leaves[3].res.resProperty.lpProp = &pv;
	leaves[4].res.resCompareProps.relop = 1;
	leaves[5].res.resBitMask.ulMask = 0xff;
	leaves[6].res.resSize.cb = 10;
	leaves[7].res.resExist.ulPropTag = 0x0FFF0102;
	leaves[8].res.resSubRestriction.ulSubObject = 0x0E12000D;
	leaves[8].res.resSubRestriction.lpRes = &leaves[6];
	top.rt = 0;
	top.res.resAnd.cRes = 9;
	top.res.resAnd.lpRes = leaves;
	ROUNDTRIP(mem_ctx, Restriction_r, &top);
	for (i = 0; i < 9; i++) {
		ROUNDTRIP(mem_ctx, Restriction_r, &leaves[i]);
	}
}

/* A chain of NotRestriction_r deeper than max_recursion(64) is refused. */
static void test_recursion_bound(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	const size_t depths[] = { 10, 60, 63, 64, 65, 1000 };
	size_t d;

	for (d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		size_t n = depths[d];
		struct Restriction_r *chain = talloc_zero_array(mem_ctx, struct Restriction_r, n);
		struct Restriction_r copy;
		DATA_BLOB b;
		enum ndr_err_code err;
		size_t i;

		assert_non_null(chain);
		for (i = 0; i < n; i++) {
			chain[i].rt = (i + 1 < n) ? 2 : 8;
			if (i + 1 < n) {
				chain[i].res.resNot.lpRes = &chain[i + 1];
			}
		}
		assert_int_equal(ndr_push_struct_blob(&b, chain, chain,
			(ndr_push_flags_fn_t)ndr_push_Restriction_r), NDR_ERR_SUCCESS);
		memset(&copy, 0, sizeof(copy));
		err = ndr_pull_struct_blob_all(&b, chain, &copy,
			(ndr_pull_flags_fn_t)ndr_pull_Restriction_r);
		if (n <= 64) {
			assert_int_equal(err, NDR_ERR_SUCCESS);
		} else {
			assert_int_equal(err, NDR_ERR_MAX_RECURSION_EXCEEDED);
		}
		talloc_free(chain);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_query_rows, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_query_rows_ranges, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_impacket_off_spec, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_prop_values, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_other_structs, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_restrictions, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_recursion_bound, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Property copy/compare/encoding and the restriction evaluator. */
#include "oc_test.h"
#include "mapistore_props.h"

#include <string.h>

#define PidTagSubject          0x0037001F
#define PidTagMessageFlags     0x0E070003
#define PidTagImportance       0x00170003
#define PidTagMessageSize      0x0E080003
#define PidTagBody             0x1000001F
#define PidTagHasAttachments   0x0E1B000B
#define PidTagLastModificationTime 0x30080040
#define PidTagEntryId          0x0FFF0102
#define PidNameKeywords        0x8001101F

static void test_fmid_representation(void **state)
{
	/* the guide: GLOBCNT 1 of replica 1 prints as 0x0100000000000001 */
	assert_true(mapistore_fmid_make(1, 1) == 0x0100000000000001ULL);
	assert_true(mapistore_fmid_make(1, 9) == 0x0900000000000001ULL);
	assert_true(mapistore_fmid_make(1, 0x0102) == 0x0201000000000001ULL);
	assert_true(mapistore_fmid_globcnt(0x0201000000000001ULL) == 0x0102);
	assert_int_equal(mapistore_fmid_replid(0x0201000000000005ULL), 5);
	assert_true(mapistore_fmid_globcnt(mapistore_fmid_make(7, MAPISTORE_GLOBCNT_MAX)) ==
		    MAPISTORE_GLOBCNT_MAX);
}

static void test_codec_round_trip(void **state)
{
	TALLOC_CTX *mem = *state;
	union mapistore_value kw[2] = { { .str = discard_const_p(char, "red") },
					{ .str = discard_const_p(char, "blue") } };
	struct mapistore_mv mv = { .count = 2, .values = kw };
	uint8_t entryid[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct mapistore_property in[] = {
		{ .proptag = PidTagSubject, .value.str = discard_const_p(char, "Hello \xc3\xa9") },
		{ .proptag = PidTagMessageFlags, .value.i32 = 0x11 },
		{ .proptag = PidTagHasAttachments, .value.b = true },
		{ .proptag = PidTagLastModificationTime, .value.i64 = 0x01D9000000000000LL },
		{ .proptag = PidTagEntryId, .value.bin = { 4, entryid } },
		{ .proptag = PidNameKeywords, .value.mv = &mv },
	};
	struct mapistore_property *out = NULL;
	struct mapistore_binary enc;
	uint32_t count = 0, i;
	int cmp;

	assert_int_equal(mapistore_properties_encode(mem, in, 6, &enc), MAPISTORE_SUCCESS);
	/* count, then the first tag little-endian */
	assert_int_equal(enc.data[0], 6);
	assert_int_equal(enc.data[4], 0x1F);
	assert_int_equal(enc.data[7], 0x00);
	assert_int_equal(mapistore_properties_decode(mem, enc.data, enc.length, &out, &count),
			 MAPISTORE_SUCCESS);
	assert_int_equal(count, 6);
	for (i = 0; i < count; i++) {
		assert_int_equal(out[i].proptag, in[i].proptag);
		assert_int_equal(mapistore_property_compare(&in[i], &out[i], &cmp), MAPISTORE_SUCCESS);
		assert_int_equal(cmp, 0);
	}
	assert_string_equal(out[5].value.mv->values[1].str, "blue");
	/* every truncation is rejected, never over-read */
	for (i = 0; i < enc.length; i++) {
		struct mapistore_property *bad = NULL;
		uint32_t n = 0;

		assert_int_not_equal(mapistore_properties_decode(mem, enc.data, i, &bad, &n),
				     MAPISTORE_SUCCESS);
	}
	talloc_free(out);
	talloc_free(enc.data);
}

static void test_codec_rejects(void **state)
{
	static const uint8_t huge_count[] = { 0xff, 0xff, 0xff, 0xff };
	static const uint8_t bad_type[] = { 1, 0, 0, 0, 0x99, 0x00, 0x37, 0x00, 0 };
	static const uint8_t long_string[] = { 1, 0, 0, 0, 0x1f, 0, 0x37, 0, 0xff, 0xff, 0, 0, 'a' };
	static const uint8_t bool_two[] = { 1, 0, 0, 0, 0x0b, 0, 0x1b, 0x0e, 2 };
	static const uint8_t nul_in_string[] = { 1, 0, 0, 0, 0x1f, 0, 0x37, 0, 2, 0, 0, 0, 'a', 0 };
	const struct { const uint8_t *d; size_t n; } cases[] = {
		{ huge_count, sizeof(huge_count) }, { bad_type, sizeof(bad_type) },
		{ long_string, sizeof(long_string) }, { bool_two, sizeof(bool_two) },
		{ nul_in_string, sizeof(nul_in_string) },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mapistore_property *p = NULL;
		uint32_t n = 0;

		assert_int_equal(mapistore_properties_decode(*state, cases[i].d, cases[i].n, &p, &n),
				 MAPISTORE_ERR_CORRUPTED);
	}
}

/* One message, evaluated against a table of restrictions. */
static void test_restrictions(void **state)
{
	struct mapistore_property msg[] = {
		{ .proptag = PidTagSubject, .value.str = discard_const_p(char, "Quarterly Report") },
		{ .proptag = PidTagMessageFlags, .value.i32 = 0x01 /* mfRead */ },
		{ .proptag = PidTagImportance, .value.i32 = 2 },
		{ .proptag = PidTagMessageSize, .value.i32 = 2 },
	};
	struct mapistore_restriction leaf_sub = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_SUBSTRING | FL_IGNORECASE, PidTagSubject,
			       { PidTagSubject, .value.str = discard_const_p(char, "report") } } };
	struct mapistore_restriction leaf_prefix_cs = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_PREFIX, PidTagSubject,
			       { PidTagSubject, .value.str = discard_const_p(char, "quarterly") } } };
	struct mapistore_restriction leaf_full = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_FULLSTRING, PidTagSubject,
			       { PidTagSubject, .value.str = discard_const_p(char, "Quarterly Report") } } };
	struct mapistore_restriction imp_ge = { .type = MAPISTORE_RES_PROPERTY,
		.u.property = { RELOP_GE, PidTagImportance, { PidTagImportance, .value.i32 = 1 } } };
	struct mapistore_restriction unread = { .type = MAPISTORE_RES_BITMASK,
		.u.bitmask = { BMR_EQZ, PidTagMessageFlags, 0x01 } };
	struct mapistore_restriction has_body = { .type = MAPISTORE_RES_EXIST,
		.u.exist = { PidTagBody } };
	struct mapistore_restriction cmp_eq = { .type = MAPISTORE_RES_COMPARE_PROPS,
		.u.compare = { RELOP_EQ, PidTagImportance, PidTagMessageSize } };
	struct mapistore_restriction size_gt = { .type = MAPISTORE_RES_SIZE,
		.u.size = { RELOP_GT, PidTagSubject, 10 } };
	struct mapistore_restriction and2[2], or2[2];
	struct mapistore_restriction and_res = { .type = MAPISTORE_RES_AND, .u.andor = { 2, and2 } };
	struct mapistore_restriction or_res = { .type = MAPISTORE_RES_OR, .u.andor = { 2, or2 } };
	struct mapistore_restriction not_res = { .type = MAPISTORE_RES_NOT, .u.not_res = &unread };
	const struct { const struct mapistore_restriction *res; bool match; } cases[] = {
		{ &leaf_sub, true }, { &leaf_prefix_cs, false }, { &leaf_full, true },
		{ &imp_ge, true }, { &unread, false }, { &has_body, false },
		{ &cmp_eq, true }, { &size_gt, true }, { &and_res, false },
		{ &or_res, true }, { &not_res, true },
	};
	size_t i;

	and2[0] = leaf_sub;
	and2[1] = unread;
	or2[0] = has_body;
	or2[1] = imp_ge;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mapistore_restriction *copy = NULL;
		bool match = !cases[i].match;

		assert_int_equal(mapistore_restriction_eval(cases[i].res, msg, 4, &match),
				 MAPISTORE_SUCCESS);
		assert_int_equal(match, cases[i].match);
		assert_int_equal(mapistore_restriction_copy(*state, cases[i].res, &copy),
				 MAPISTORE_SUCCESS);
		match = !cases[i].match;
		assert_int_equal(mapistore_restriction_eval(copy, msg, 4, &match), MAPISTORE_SUCCESS);
		assert_int_equal(match, cases[i].match);
		talloc_free(copy);
	}
}

static void test_restriction_depth(void **state)
{
	struct mapistore_restriction chain[MAPISTORE_MAX_RESTRICTION_DEPTH + 2];
	bool match;
	int i;

	for (i = 0; i < MAPISTORE_MAX_RESTRICTION_DEPTH + 1; i++) {
		chain[i].type = MAPISTORE_RES_NOT;
		chain[i].u.not_res = &chain[i + 1];
	}
	chain[MAPISTORE_MAX_RESTRICTION_DEPTH + 1].type = MAPISTORE_RES_EXIST;
	chain[MAPISTORE_MAX_RESTRICTION_DEPTH + 1].u.exist.proptag = PidTagSubject;
	assert_int_equal(mapistore_restriction_eval(&chain[0], NULL, 0, &match),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(mapistore_restriction_eval(&chain[2], NULL, 0, &match),
			 MAPISTORE_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fmid_representation, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_codec_round_trip, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_codec_rejects, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_restrictions, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_restriction_depth, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

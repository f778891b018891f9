/*
 * The restriction types added in the second round ([MS-OXCDATA] 2.12):
 * RELOP_RE (2.12.5), SubObjectRestriction (2.12.10), CommentRestriction
 * (2.12.11), CountRestriction (2.12.12), their copy and tag listing,
 * and the UTF-8 <-> UTF-16LE conversions used by PtypString streams.
 */
#include "oc_test.h"
#include "mapistore_props.h"

#include <string.h>

#define PidTagSubject        0x0037001F
#define PidTagImportance     0x00170003
#define PidTagKeywords       0x8001101F
#define PidTagAttachFilename 0x3704001F
#define PidTagSmtpAddress    0x39FE001F

static struct mapistore_restriction re_leaf(const char *pattern, uint32_t tag)
{
	struct mapistore_restriction r = { .type = MAPISTORE_RES_PROPERTY };

	r.u.property.relop = RELOP_RE;
	r.u.property.proptag = tag;
	r.u.property.prop.proptag = tag & ~(uint32_t)PtypMultipleFlag;
	r.u.property.prop.value.str = discard_const_p(char, pattern);
	return r;
}

static void test_regex(void **state)
{
	union mapistore_value kw[2] = { { .str = discard_const_p(char, "alpha") },
					{ .str = discard_const_p(char, "Budget-2024") } };
	struct mapistore_mv mv = { 2, kw };
	struct mapistore_property msg[] = {
		{ .proptag = PidTagSubject, .value.str = discard_const_p(char, "Invoice #4711 due") },
		{ .proptag = PidTagKeywords, .value.mv = &mv },
	};
	const struct { const char *pattern; uint32_t tag; bool match; } cases[] = {
		{ "^invoice #[0-9]+", PidTagSubject, true },   /* case-insensitive */
		{ "due$", PidTagSubject, true },
		{ "^due", PidTagSubject, false },
		{ "[", PidTagSubject, false },                   /* bad pattern: no match */
		{ "budget-[0-9]{4}", PidTagKeywords, true },     /* any value of a MV */
		{ "^gamma$", PidTagKeywords, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mapistore_restriction r = re_leaf(cases[i].pattern, cases[i].tag);
		bool match = !cases[i].match;

		assert_int_equal(mapistore_restriction_eval(&r, msg, 2, &match), MAPISTORE_SUCCESS);
		assert_int_equal(match, cases[i].match);
	}
}

static void test_comment(void **state)
{
	struct mapistore_property note = { .proptag = PidTagSubject,
					   .value.str = discard_const_p(char, "saved search") };
	struct mapistore_property msg = { .proptag = PidTagImportance, .value.i32 = 2 };
	struct mapistore_restriction high = { .type = MAPISTORE_RES_PROPERTY,
		.u.property = { RELOP_EQ, PidTagImportance, { PidTagImportance, .value.i32 = 1 } } };
	struct mapistore_restriction bare = { .type = MAPISTORE_RES_COMMENT,
		.u.comment = { 1, &note, NULL } };
	struct mapistore_restriction wrapped = { .type = MAPISTORE_RES_COMMENT,
		.u.comment = { 1, &note, &high } };
	struct mapistore_restriction *copy = NULL;
	uint32_t *tags = NULL, n = 0;
	bool match = false;

	/* no restriction inside: TRUE; with one: its result (1 != 2) */
	assert_int_equal(mapistore_restriction_eval(&bare, &msg, 1, &match), MAPISTORE_SUCCESS);
	assert_true(match);
	assert_int_equal(mapistore_restriction_eval(&wrapped, &msg, 1, &match), MAPISTORE_SUCCESS);
	assert_false(match);
	assert_int_equal(mapistore_restriction_copy(*state, &wrapped, &copy), MAPISTORE_SUCCESS);
	assert_string_equal(copy->u.comment.props[0].value.str, "saved search");
	assert_int_equal(mapistore_restriction_tags(*state, copy, &tags, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(tags[0], PidTagImportance);
	talloc_free(tags);
	talloc_free(copy);
}

static void test_count(void **state)
{
	struct mapistore_restriction high = { .type = MAPISTORE_RES_PROPERTY,
		.u.property = { RELOP_GE, PidTagImportance, { PidTagImportance, .value.i32 = 2 } } };
	struct mapistore_restriction first2 = { .type = MAPISTORE_RES_COUNT,
		.u.count = { 2, &high } };
	const int32_t importance[] = { 2, 0, 2, 2, 1, 2 };
	const bool expect[] = { true, false, true, false, false, false };
	struct mapistore_restriction_ctx *rctx = NULL;
	size_t i;

	assert_int_equal(mapistore_restriction_ctx_new(*state, &first2, NULL, NULL, &rctx),
			 MAPISTORE_SUCCESS);
	for (i = 0; i < 6; i++) {
		struct mapistore_property p = { .proptag = PidTagImportance, .value.i32 = importance[i] };
		bool match = !expect[i];

		assert_int_equal(mapistore_restriction_ctx_eval(rctx, &p, 1, NULL, &match),
				 MAPISTORE_SUCCESS);
		assert_int_equal(match, expect[i]);
	}
	/* a new pass counts again */
	mapistore_restriction_ctx_reset(rctx);
	{
		struct mapistore_property p = { .proptag = PidTagImportance, .value.i32 = 2 };
		bool match = false;

		assert_int_equal(mapistore_restriction_ctx_eval(rctx, &p, 1, NULL, &match),
				 MAPISTORE_SUCCESS);
		assert_true(match);
	}
	talloc_free(rctx);
}

/* Subobject rows come from the callback; object is an index. */
struct sub_fixture {
	uint32_t calls;
	uint32_t last_subobject;
};

static enum mapistore_error sub_rows(void *private_data, void *object, TALLOC_CTX *mem_ctx,
	uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	static const char *const files[2][2] = { { "a.txt", "b.pdf" }, { "c.doc", NULL } };
	struct sub_fixture *fx = private_data;
	uintptr_t which = (uintptr_t)object;
	struct mapistore_row *rows = talloc_zero_array(mem_ctx, struct mapistore_row, 2);
	uint32_t n = 0, i;

	fx->calls++;
	fx->last_subobject = subobject;
	assert_int_equal(tag_count, 1);
	assert_int_equal(proptags[0], PidTagAttachFilename);
	for (i = 0; i < 2 && files[which][i] != NULL; i++) {
		rows[n].props = talloc_zero(rows, struct mapistore_property);
		rows[n].props->proptag = PidTagAttachFilename;
		rows[n].props->value.str = talloc_strdup(rows, files[which][i]);
		rows[n].count = 1;
		n++;
	}
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

static void test_subobject(void **state)
{
	struct mapistore_restriction pdf = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_SUBSTRING | FL_IGNORECASE, PidTagAttachFilename,
			       { PidTagAttachFilename, .value.str = discard_const_p(char, ".PDF") } } };
	struct mapistore_restriction sub = { .type = MAPISTORE_RES_SUBRESTRICTION,
		.u.sub = { PidTagMessageAttachments, &pdf } };
	struct mapistore_restriction bad = { .type = MAPISTORE_RES_SUBRESTRICTION,
		.u.sub = { PidTagSubject, &pdf } };
	struct mapistore_restriction_ctx *rctx = NULL;
	struct mapistore_restriction *copy = NULL;
	struct sub_fixture fx = { 0 };
	bool match = false;

	assert_int_equal(mapistore_restriction_ctx_new(*state, &sub, sub_rows, &fx, &rctx),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_restriction_ctx_eval(rctx, NULL, 0, (void *)(uintptr_t)0,
							&match), MAPISTORE_SUCCESS);
	assert_true(match);
	assert_int_equal(mapistore_restriction_ctx_eval(rctx, NULL, 0, (void *)(uintptr_t)1,
							&match), MAPISTORE_SUCCESS);
	assert_false(match);
	assert_int_equal(fx.calls, 2);
	assert_int_equal(fx.last_subobject, PidTagMessageAttachments);
	talloc_free(rctx);
	/* without subobject rows nothing matches */
	assert_int_equal(mapistore_restriction_eval(&sub, NULL, 0, &match), MAPISTORE_SUCCESS);
	assert_false(match);
	/* only recipients and attachments are subobjects */
	assert_int_equal(mapistore_restriction_copy(*state, &bad, &copy),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(mapistore_restriction_copy(*state, &sub, &copy), MAPISTORE_SUCCESS);
	assert_int_equal(copy->u.sub.res->type, MAPISTORE_RES_CONTENT);
	talloc_free(copy);
}

static void test_utf16(void **state)
{
	/* "aé€😀": 1, 2, 3 and 4 UTF-8 bytes; the last is a surrogate pair */
	static const char utf8[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	static const uint8_t utf16[] = { 'a', 0, 0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde };
	static const uint8_t lone[] = { 0x3d, 0xd8, 'x', 0 };
	static const char bad_utf8[] = "\xc0\xaf\xff";
	struct mapistore_binary out;
	size_t len = 0;
	char *back = NULL;

	assert_int_equal(mapistore_utf8_to_utf16le(*state, utf8, strlen(utf8), &out),
			 MAPISTORE_SUCCESS);
	assert_int_equal(out.length, sizeof(utf16));
	assert_memory_equal(out.data, utf16, sizeof(utf16));
	assert_int_equal(mapistore_utf16le_to_utf8(*state, out.data, out.length, &back, &len),
			 MAPISTORE_SUCCESS);
	assert_string_equal(back, utf8);
	assert_int_equal(len, strlen(utf8));
	talloc_free(back);
	talloc_free(out.data);
	/* a lone surrogate becomes U+FFFD; odd lengths are refused */
	assert_int_equal(mapistore_utf16le_to_utf8(*state, lone, sizeof(lone), &back, NULL),
			 MAPISTORE_SUCCESS);
	assert_string_equal(back, "\xef\xbf\xbdx");
	talloc_free(back);
	assert_int_equal(mapistore_utf16le_to_utf8(*state, lone, 3, &back, NULL),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	/* overlong and invalid UTF-8 bytes become U+FFFD each */
	assert_int_equal(mapistore_utf8_to_utf16le(*state, bad_utf8, 3, &out), MAPISTORE_SUCCESS);
	assert_true(out.length >= 2);
	assert_int_equal(out.data[0], 0xfd);
	assert_int_equal(out.data[1], 0xff);
	talloc_free(out.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regex, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_comment, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_count, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_subobject, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_utf16, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

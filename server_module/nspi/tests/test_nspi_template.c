/*
 * Unit tests of the address book templates (nspi_template.c): the
 * description parser, the [MS-OXOABKT] 2.2.2.1 encoder (exact bytes for a
 * small template), the built-in descriptions, and the errors.
 */
#include "oc_test.h"
#include "nspi_template.h"

#include <string.h>

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* a page and a labelled edit, 1252 strings; the bytes by hand from
 * [MS-OXOABKT] 2.2.2.1.1-2.2.2.1.3 */
static void test_encode_exact(void **state)
{
	static const char desc[] =
		"# comment\n"
		"template t\n"
		"display-type 0\n"
		"page \"G\xc3\xa9n\"\n"
		"label 1 2 3 4 \"&Na\\\"me\"\n"
		"edit 5 6 7 8 editable PidTagDisplayName 64 \"*\"\n";
	static const uint8_t want[] = {
		1, 0, 0, 0, 3, 0, 0, 0,
		/* page: geometry 0, type 8, flags 0, CNTRL 0/0/offset 116 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 116, 0, 0, 0,
		/* label 1 2 3 4, type 0 */
		1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 120, 0, 0, 0,
		/* edit, DT_EDITABLE, PidTagDisplayName, 64 characters */
		5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0,
		1, 0, 0, 0, 2, 0, 0, 0, 0x1F, 0, 0x01, 0x30, 64, 0, 0, 0,
		127, 0, 0, 0,
		'G', 0xE9, 'n', 0, '&', 'N', 'a', '"', 'm', 'e', 0, '*', 0,
	};
	TALLOC_CTX *tmp = talloc_new(*state);
	struct nspi_template *t = NULL;
	uint8_t *blob = NULL;
	size_t len = 0;
	char *err = NULL;

	assert_int_equal(nspi_template_parse(tmp, desc, &t, &err),
			 NSPI_Success);
	assert_int_equal(t->n_controls, 3);
	assert_int_equal(nspi_template_encode(tmp, t, NSPI_CP_1252, &blob,
					      &len), NSPI_Success);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(blob, want, sizeof(want));
	/* Teletex: é is the acute accent prefix 0xC2 then e */
	assert_int_equal(nspi_template_encode(tmp, t, NSPI_CP_TELETEX, &blob,
					      &len), NSPI_Success);
	assert_int_equal(blob[116 + 1], 0xC2);
	assert_int_equal(blob[116 + 2], 'e');
	/* no 8-bit encoding for Unicode or an unknown code page */
	assert_int_equal(nspi_template_encode(tmp, t, NSPI_CP_WINUNICODE,
					      &blob, &len), NSPI_InvalidCodepage);
	assert_int_equal(nspi_template_encode(tmp, t, 9999, &blob, &len),
			 NSPI_InvalidCodepage);
	talloc_free(tmp);
}

static const char *const bad_descriptions[] = {
	"",
	"template x\n",					/* no display-type */
	"display-type 0\n",				/* no controls */
	"display-type 0\nlabel 1 2 3 \"x\"\n",		/* geometry */
	"display-type 0\nlabel 1 2 3 4\n",		/* text */
	"display-type 0\nlabel 1 2 3 4 \"x\n",		/* unterminated */
	"display-type 0\nlabel 1 2 3 4 \"x\" extra\n",
	"display-type 0\nedit 1 2 3 4 bogus PidTagDisplayName 1 \"*\"\n",
	"display-type 0\nedit 1 2 3 4 - PidTagNoSuchThing 1 \"*\"\n",
	"display-type 0\nedit 1 2 3 4 - 0x0 1 \"*\"\n",
	"display-type 0\nlistbox 1 2 3 99999 PidTagAddressBookMember\n",
	"display-type 0\nlabel -1 2 3 4 \"x\"\n",
	"display-type 0\nwidget 1 2 3 4\n",
	"display-type zero\npage \"x\"\n",
};

static void test_parse_errors(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad_descriptions); i++) {
		struct nspi_template *t = NULL;
		char *err = NULL;

		assert_int_equal(nspi_template_parse(*state, bad_descriptions[i],
						     &t, &err),
				 NSPI_InvalidParameter);
		assert_non_null(err);
		assert_null(t);
		talloc_free(err);
	}
}

/* every built-in description parses and encodes; strings are in bounds */
static void test_builtin(void **state)
{
	static const uint32_t types[] = { NSPI_DT_MAILUSER, NSPI_DT_DISTLIST,
					  NSPI_DT_REMOTE_MAILUSER };
	TALLOC_CTX *tmp = talloc_new(*state);
	struct nspi_template **list = NULL;
	uint32_t n = 0;
	size_t i, k;

	for (i = 0; i < nspi_n_template_sources; i++) {
		struct nspi_template *t = NULL;
		char *err = NULL;

		assert_int_equal(nspi_template_parse(tmp,
			nspi_template_sources[i].text, &t, &err), NSPI_Success);
	}
	for (i = 0; i < ARRAY_LEN(types); i++) {
		struct nspi_template *t = NULL;
		uint8_t *blob;
		size_t len;

		assert_int_equal(nspi_template_for_type(tmp, types[i], &t),
				 NSPI_Success);
		assert_int_equal(t->display_type, types[i]);
		assert_int_equal(nspi_template_encode(tmp, t, NSPI_CP_1252,
						      &blob, &len), NSPI_Success);
		assert_int_equal(get32(blob), 1);
		assert_int_equal(get32(blob + 4), t->n_controls);
		assert_int_equal(get32(blob + 8 + 16), NSPI_DTCT_PAGE);
		for (k = 0; k < t->n_controls; k++) {
			uint32_t off = get32(blob + 8 + 36 * k + 32);

			assert_true(off >= 8 + 36 * t->n_controls && off < len);
			assert_non_null(memchr(blob + off, 0, len - off));
		}
	}
	/* no template for other display types: [MS-OXNSPI] 3.1.4.1.18 */
	for (i = 0; i < 3; i++) {
		struct nspi_template *t = NULL;
		static const uint32_t none[] = { NSPI_DT_FORUM, NSPI_DT_SEARCH,
						 0x12345 };

		assert_int_equal(nspi_template_for_type(tmp, none[i], &t),
				 NSPI_InvalidLocale);
	}
	assert_int_equal(nspi_template_creation_list(tmp, &list, &n),
			 NSPI_Success);
	assert_int_equal(n, 1);
	assert_string_equal(list[0]->address_type, "SMTP");
	assert_string_equal(list[0]->title, "Internet Address");
	assert_int_equal(list[0]->display_type, NSPI_DT_ADDRESS_TEMPLATE);
	talloc_free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_encode_exact, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_parse_errors, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_builtin, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

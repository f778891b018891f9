/*
 * emsmdb_directory.c: LDAP filters for recipient resolution with the value
 * escaped ([RFC 4515] 3 via ldb_binary_encode_string), so an address can
 * never change the filter's structure; primary SMTP address choice.
 */
#include "oc_test.h"

#include <string.h>

#include "emsmdb_directory.h"

static const struct {
	enum emsmdb_directory_key key;
	const char *value;
	const char *filter;
} filter_cases[] = {
	{ EMSMDB_DIRECTORY_EX, "/o=First Organization/ou=First Administrative "
	  "Group/cn=Recipients/cn=bob",
	  "(&(objectClass=user)(legacyExchangeDN=/o=First\\20Organization/ou=First"
	  "\\20Administrative\\20Group/cn=Recipients/cn=bob))" },
	{ EMSMDB_DIRECTORY_SMTP, "bob@example.com",
	  "(&(objectClass=user)(|(mail=bob@example.com)"
	  "(proxyAddresses=smtp:bob@example.com)))" },
	{ EMSMDB_DIRECTORY_ACCOUNT, "alice", "(&(objectClass=user)(sAMAccountName=alice))" },
	/* every filter metacharacter escaped */
	{ EMSMDB_DIRECTORY_SMTP, "*)(objectClass=*",
	  "(&(objectClass=user)(|(mail=\\2A\\29\\28objectClass=\\2A)"
	  "(proxyAddresses=smtp:\\2A\\29\\28objectClass=\\2A)))" },
	{ EMSMDB_DIRECTORY_ACCOUNT, "a\\b|c&d!e\"",
	  "(&(objectClass=user)(sAMAccountName=a\\5Cb\\7Cc\\26d\\21e\\22))" },
	{ EMSMDB_DIRECTORY_EX, "", NULL },
	{ EMSMDB_DIRECTORY_EX, NULL, NULL },
	{ (enum emsmdb_directory_key)7, "x", NULL },
};

static void test_filters(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(filter_cases) / sizeof(filter_cases[0]); i++) {
		char *f = emsmdb_directory_filter(*state, filter_cases[i].key,
						  filter_cases[i].value);

		if (filter_cases[i].filter == NULL) {
			assert_null(f);
			continue;
		}
		assert_non_null(f);
		assert_string_equal(f, filter_cases[i].filter);
		talloc_free(f);
	}
}

static void test_primary_smtp(void **state)
{
	static const char *const px[] = { "X500:/o=x/cn=bob", "smtp:alias@example.com",
					   "SMTP:bob@example.com" };
	static const char *const px2[] = { "smtp:alias@example.com" };
	char *s;

	s = emsmdb_directory_primary_smtp(*state, "mail@example.com", px, 3);
	assert_string_equal(s, "bob@example.com");
	talloc_free(s);
	s = emsmdb_directory_primary_smtp(*state, "mail@example.com", px2, 1);
	assert_string_equal(s, "mail@example.com");
	talloc_free(s);
	s = emsmdb_directory_primary_smtp(*state, NULL, px2, 1);
	assert_string_equal(s, "alias@example.com");
	talloc_free(s);
	assert_null(emsmdb_directory_primary_smtp(*state, NULL, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filters, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_primary_smtp, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

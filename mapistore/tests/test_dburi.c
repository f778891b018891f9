/* Parsing of metadata-store locations (the guide's mysql:// lines). */
#include "oc_test.h"
#include "mapistore_db.h"

#include <string.h>

static const struct {
	const char *uri;
	enum mapistore_error ret;
	enum mapistore_db_driver driver;
	const char *user, *password, *host, *database, *path, *socket;
	uint16_t port;
} cases[] = {
	{ "mysql://openchange-user:openchange$123@localhost/openchange", MAPISTORE_SUCCESS,
	  MAPISTORE_DB_MYSQL, "openchange-user", "openchange$123", "localhost", "openchange", NULL, NULL, 0 },
	{ "mysql://u:p%40ss%2Fw@127.0.0.1:3307/db", MAPISTORE_SUCCESS,
	  MAPISTORE_DB_MYSQL, "u", "p@ss/w", "127.0.0.1", "db", NULL, NULL, 3307 },
	{ "mysql://u:raw@at@h/db", MAPISTORE_SUCCESS,
	  MAPISTORE_DB_MYSQL, "u", "raw@at", "h", "db", NULL, NULL, 0 },
	{ "mysql://u@h/db?socket=/tmp/my%20sock&port=42", MAPISTORE_SUCCESS,
	  MAPISTORE_DB_MYSQL, "u", "", "h", "db", NULL, "/tmp/my sock", 42 },
	{ "sqlite:///var/lib/samba/private/openchange.db", MAPISTORE_SUCCESS,
	  MAPISTORE_DB_SQLITE, NULL, NULL, NULL, NULL, "/var/lib/samba/private/openchange.db", NULL, 0 },
	{ "/tmp/x.db", MAPISTORE_SUCCESS, MAPISTORE_DB_SQLITE, NULL, NULL, NULL, NULL, "/tmp/x.db", NULL, 0 },
	{ "mysql://u:secret@h:99999/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:secret@h:0/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:secret@h", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:secret@h/", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://secret@/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://hostonly/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:se%zzcret@h/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:secret%00@h/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "mysql://u:secret@h/db?bogus=1", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "postgres://u:secret@h/db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "relative/secret.db", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "", MAPISTORE_ERR_INVALID_PARAMETER, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

static void check_str(const char *want, const char *got)
{
	if (want == NULL) {
		return;
	}
	assert_non_null(got);
	assert_string_equal(want, got);
}

static void test_uri_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mapistore_db_params p;
		char *errmsg = NULL;
		enum mapistore_error ret;

		memset(&p, 0, sizeof(p));
		ret = mapistore_db_parse_uri(*state, cases[i].uri, &p, &errmsg);
		assert_int_equal(ret, cases[i].ret);
		if (ret != MAPISTORE_SUCCESS) {
			/* one clear sentence, and never the password */
			assert_non_null(errmsg);
			assert_null(strstr(errmsg, "secret"));
			assert_true(errmsg[strlen(errmsg) - 1] == '.');
			talloc_free(errmsg);
			continue;
		}
		assert_int_equal(p.driver, cases[i].driver);
		check_str(cases[i].user, p.user);
		check_str(cases[i].password, p.password);
		check_str(cases[i].host, p.host);
		check_str(cases[i].database, p.database);
		check_str(cases[i].path, p.path);
		check_str(cases[i].socket, p.socket);
		assert_int_equal(p.port, cases[i].port);
		talloc_free(discard_const_p(char, p.user));
		talloc_free(discard_const_p(char, p.password));
		talloc_free(discard_const_p(char, p.host));
		talloc_free(discard_const_p(char, p.database));
		talloc_free(discard_const_p(char, p.path));
		talloc_free(discard_const_p(char, p.socket));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uri_table, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

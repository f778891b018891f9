/* The shared fixture pieces of mapistore_test_fixture.h. */
#include "oc_test.h"
#include "mapistore_test_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *test_config_get(void *private_data, const char *key)
{
	const struct mapistore_test_config *c = private_data;
	int i;

	for (i = 0; i < MAPISTORE_TEST_CONFIG_KEYS && c->values[i][0] != NULL; i++) {
		if (strcmp(c->values[i][0], key) == 0) {
			return c->values[i][1];
		}
	}
	return NULL;
}

void mapistore_test_config_init(struct mapistore_test_config *c)
{
	c->cfg.get = test_config_get;
	c->cfg.private_data = c;
}

void mapistore_test_config_set(struct mapistore_test_config *c, const char *key,
			       const char *value)
{
	int i;

	for (i = 0; i < MAPISTORE_TEST_CONFIG_KEYS && c->values[i][0] != NULL; i++) {
	}
	assert_true(i < MAPISTORE_TEST_CONFIG_KEYS);
	assert_non_null(key);
	c->values[i][0] = key;
	c->values[i][1] = value;
}

char *mapistore_test_dir_new(TALLOC_CTX *mem_ctx, const char *tag)
{
	char *tmpl = talloc_asprintf(mem_ctx, "/tmp/oc-%s-XXXXXX", tag);

	assert_non_null(tmpl);
	assert_non_null(mkdtemp(tmpl));
	return tmpl;
}

void mapistore_test_dir_remove(const char *dir)
{
	char *cmd;

	if (dir == NULL) {
		return;
	}
	cmd = talloc_asprintf(NULL, "rm -rf '%s'", dir);
	if (cmd == NULL || system(cmd) != 0) {
		fprintf(stderr, "cannot remove %s\n", dir);
	}
	talloc_free(cmd);
}

int mapistore_test_fixture_end(void **state, TALLOC_CTX *root, void *fx, const char *dir)
{
	mapistore_test_dir_remove(dir);
	talloc_free(fx);
	*state = root;
	return oc_test_teardown(state);
}

bool mapistore_test_using_mysql(void)
{
	const char *env = getenv("OC_TEST_DB_URI");

	return env != NULL && strncmp(env, "mysql://", 8) == 0;
}

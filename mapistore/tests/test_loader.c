/*
 * The backend registry and dlopen loader: ABI check, duplicate names,
 * default hooks, load errors logged at ERR. Usage: test_loader MODULE_DIR
 * (a directory holding the built memory.so).
 */
#include "oc_test.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *module_dir;
static char last_err[4096];
static int err_lines;

static void capture(void *private_data, enum mapistore_log_level level, const char *msg)
{
	/* keep every ERR line of the test, in order */
	if (level == MAPISTORE_LOG_ERR) {
		size_t used = strlen(last_err);

		snprintf(last_err + used, sizeof(last_err) - used, "%s\n", msg);
		err_lines++;
	}
}

static int setup(void **state)
{
	last_err[0] = '\0';
	err_lines = 0;
	mapistore_set_log_fn(capture, NULL);
	return oc_test_setup(state);
}

static int teardown(void **state)
{
	mapistore_set_log_fn(NULL, NULL);
	return oc_test_teardown(state);
}

static void test_load_and_duplicate(void **state)
{
	uint32_t loaded = 0;

	assert_int_equal(mapistore_backends_load(module_dir, &loaded), MAPISTORE_SUCCESS);
	assert_int_equal(loaded, 1);
	assert_non_null(mapistore_backend_lookup("memory"));
	assert_int_equal(err_lines, 0);
	/* the same module again: refused as a duplicate, logged at ERR */
	assert_int_equal(mapistore_backends_load(module_dir, &loaded), MAPISTORE_SUCCESS);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(last_err, "already loaded"));
}

static void test_bad_abi_and_names(void **state)
{
	static const struct mapistore_backend_ops future = { .abi_version = 99, .name = "future" };
	static const struct mapistore_backend_ops zero = { .abi_version = 0, .name = "zero" };
	static const struct mapistore_backend_ops spaced = { .abi_version = 1, .name = "Bad Name" };
	static const struct mapistore_backend_ops empty = { .abi_version = 1, .name = "" };
	static const struct mapistore_backend_ops unnamed = { .abi_version = 1 };

	assert_int_equal(mapistore_backend_register(&future), MAPISTORE_ERR_BACKEND_REGISTER);
	assert_non_null(strstr(last_err, "ABI 99"));
	assert_null(mapistore_backend_lookup("future"));
	assert_int_equal(mapistore_backend_register(&zero), MAPISTORE_ERR_BACKEND_REGISTER);
	assert_int_equal(mapistore_backend_register(&spaced), MAPISTORE_ERR_BACKEND_REGISTER);
	assert_int_equal(mapistore_backend_register(&empty), MAPISTORE_ERR_BACKEND_REGISTER);
	assert_int_equal(mapistore_backend_register(&unnamed), MAPISTORE_ERR_BACKEND_REGISTER);
	assert_int_equal(mapistore_backend_register(NULL), MAPISTORE_ERR_BACKEND_REGISTER);
}

static void test_default_hooks(void **state)
{
	static const struct mapistore_backend_ops minimal = { .abi_version = 1, .name = "minimal" };
	const struct mapistore_backend_ops *ops;
	struct mapistore_backend_folder *folder = NULL;
	struct mapistore_backend_context *ctx = NULL;
	const char **names;
	bool seen = false;
	size_t i;

	assert_int_equal(mapistore_backend_register(&minimal), MAPISTORE_SUCCESS);
	ops = mapistore_backend_lookup("minimal");
	assert_non_null(ops);
	/* every hook slot after the header fields is filled */
	{
		const uint8_t *base = (const uint8_t *)ops;
		size_t first = offsetof(struct mapistore_backend_ops, init);

		for (i = first; i + sizeof(void *) <= sizeof(*ops); i += sizeof(void *)) {
			void *slot;

			memcpy(&slot, base + i, sizeof(slot));
			assert_non_null(slot);
		}
	}
	assert_int_equal(ops->init(), MAPISTORE_SUCCESS);
	assert_int_equal(ops->context_new(*state, NULL, "u", "minimal://x", &ctx),
			 MAPISTORE_ERR_NOT_SUPPORTED);
	assert_int_equal(ops->folder_open(*state, NULL, 1, &folder), MAPISTORE_ERR_NOT_SUPPORTED);
	assert_int_equal(ops->stream_commit(NULL), MAPISTORE_ERR_NOT_SUPPORTED);
	names = mapistore_backend_names(*state);
	for (i = 0; names[i] != NULL; i++) {
		seen |= strcmp(names[i], "minimal") == 0;
	}
	assert_true(seen);
	talloc_free(names);
}

static void test_load_errors(void **state)
{
	char tmpl[] = "/tmp/oc-loader-XXXXXX";
	char *dir = mkdtemp(tmpl), *path, *cmd;
	uint32_t loaded = 7;
	FILE *f;

	assert_non_null(dir);
	path = talloc_asprintf(*state, "%s/junk.so", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an ELF file", f);
	fclose(f);
	assert_int_equal(mapistore_backends_load(dir, &loaded), MAPISTORE_SUCCESS);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(last_err, "cannot load backend"));
	assert_non_null(strstr(last_err, "junk.so"));
	cmd = talloc_asprintf(*state, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	talloc_free(cmd);
	talloc_free(path);
	assert_int_equal(mapistore_backends_load("/nonexistent/backends", &loaded),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_non_null(strstr(last_err, "/nonexistent/backends"));
}

static void test_uri_backend(void **state)
{
	static const struct { const char *uri; enum mapistore_error ret; const char *name; } cases[] = {
		{ "memory://jdoe/inbox/", MAPISTORE_SUCCESS, "memory" },
		{ "local://jdoe/0x1/", MAPISTORE_SUCCESS, "local" },
		{ "sogo-2://x", MAPISTORE_SUCCESS, "sogo-2" },
		{ "://x", MAPISTORE_ERR_INVALID_PARAMETER, NULL },
		{ "no-scheme", MAPISTORE_ERR_INVALID_PARAMETER, NULL },
		{ "UPPER://x", MAPISTORE_ERR_INVALID_PARAMETER, NULL },
		{ "a b://x", MAPISTORE_ERR_INVALID_PARAMETER, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *name = NULL;

		assert_int_equal(mapistore_uri_backend(*state, cases[i].uri, &name), cases[i].ret);
		if (cases[i].name != NULL) {
			assert_string_equal(name, cases[i].name);
			talloc_free(name);
		}
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_and_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_abi_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_hooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uri_backend, setup, teardown),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s MODULE_DIR\n", argv[0]);
		return 2;
	}
	module_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}

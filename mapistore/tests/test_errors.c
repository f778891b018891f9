/* The one mapping of enum mapistore_error to MAPI codes ([MS-OXCDATA] 2.4). */
#include "oc_test.h"
#include "mapistore_errors.h"

#include <string.h>

static const struct {
	enum mapistore_error err;
	uint32_t mapi;
	const char *name;
} expected[] = {
	{ MAPISTORE_SUCCESS, 0x00000000, "ecNone" },
	{ MAPISTORE_ERR_NO_MEMORY, 0x8007000E, "ecOutOfMemory" },
	{ MAPISTORE_ERR_INVALID_PARAMETER, 0x80070057, "ecInvalidParam" },
	{ MAPISTORE_ERR_NOT_FOUND, 0x8004010F, "ecNotFound" },
	{ MAPISTORE_ERR_NOT_SUPPORTED, 0x80040102, "ecNotSupported" },
	{ MAPISTORE_ERR_NO_ACCESS, 0x80070005, "ecAccessDenied" },
	{ MAPISTORE_ERR_EXISTS, 0x80040604, "ecDuplicateName" },
	{ MAPISTORE_ERR_OBJECT_DELETED, 0x8004010A, "ecObjectDeleted" },
	{ MAPISTORE_ERR_TOO_BIG, 0x80040305, "ecTooBig" },
};

static void test_mapping_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		assert_int_equal(mapistore_error_to_mapi(expected[i].err), expected[i].mapi);
		assert_string_equal(mapistore_error_mapi_name(expected[i].err), expected[i].name);
	}
}

static void test_every_value_mapped(void **state)
{
	int e;

	for (e = MAPISTORE_SUCCESS; e < MAPISTORE_ERR_MAX; e++) {
		assert_string_not_equal(mapistore_errstr(e), "unknown mapistore error");
		if (e != MAPISTORE_SUCCESS) {
			assert_int_not_equal(mapistore_error_to_mapi(e), 0);
		}
	}
	assert_string_equal(mapistore_errstr(MAPISTORE_ERR_MAX), "unknown mapistore error");
	assert_int_equal(mapistore_error_to_mapi(MAPISTORE_ERR_MAX), 0x80004005);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mapping_table, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_every_value_mapped, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

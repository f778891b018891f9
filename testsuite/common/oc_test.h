/*
 * Helpers shared by the cmocka unit tests.
 *
 * Every test gets a fresh talloc root from oc_test_setup(); oc_test_teardown()
 * fails the test if anything is still allocated below it other than what the
 * test explicitly freed, which is how "no leaks" is checked in unit tests.
 */
#ifndef OC_TEST_H
#define OC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <talloc.h>

static inline int oc_test_setup(void **state)
{
	TALLOC_CTX *root = talloc_named_const(NULL, 0, "oc_test_root");

	if (root == NULL) {
		return -1;
	}
	*state = root;
	return 0;
}

static inline int oc_test_teardown(void **state)
{
	TALLOC_CTX *root = *state;
	size_t blocks = talloc_total_blocks(root);

	if (blocks != 1) {
		talloc_report_full(root, stderr);
		talloc_free(root);
		fail_msg("talloc leak: %zu blocks left under the test root", blocks - 1);
		return -1;
	}
	talloc_free(root);
	return 0;
}

#endif /* OC_TEST_H */

/*
 * Unit tests of the EMSMDB Server object handle table
 * (emsmdb_handles.h, [MS-OXCROPS] 3.2.5.3).
 */
#include "oc_test.h"

#include "emsmdb_handles.h"
#include "emsmdb_errors.h"

static struct emsmdb_handles *new_table(void *root, uint32_t max_objects)
{
	struct emsmdb_handle_limits limits;
	struct emsmdb_handles *t;

	emsmdb_handle_limits_default(&limits);
	if (max_objects != 0) {
		limits.max_objects = max_objects;
	}
	t = emsmdb_handles_new(root, &limits);
	assert_non_null(t);
	return t;
}

static void test_add_lookup_release(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 0);
	struct emsmdb_object *logon, *folder, *msg;
	uint32_t h;

	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &logon), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, logon, &folder), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_MESSAGE, folder, &msg), 0);
	assert_ptr_equal(emsmdb_handles_lookup(t, logon->handle), logon);
	assert_ptr_equal(emsmdb_handles_lookup(t, folder->handle), folder);
	assert_ptr_equal(emsmdb_handles_lookup(t, msg->handle), msg);
	assert_ptr_equal(msg->logon, logon);
	assert_ptr_equal(msg->parent, folder);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 3);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_FOLDER), 1);

	/* the folder's handle goes; the message keeps working */
	h = folder->handle;
	emsmdb_handles_release(folder);
	assert_null(emsmdb_handles_lookup(t, h));
	assert_ptr_equal(emsmdb_handles_lookup(t, msg->handle), msg);
	assert_int_equal(msg->parent->type, EMSMDB_OBJECT_FOLDER);
	assert_int_equal(msg->parent->handle, EMSMDB_HANDLE_NONE);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 2);

	/* releasing twice is harmless */
	h = msg->handle;
	emsmdb_handles_release(msg);
	assert_null(emsmdb_handles_lookup(t, h));
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 1);
	emsmdb_handles_release(logon);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 0);
	/* everything freed: only the table and its slot array remain */
	assert_int_equal(talloc_total_blocks(t), 2);
	talloc_free(t);
}

static void test_stale_and_invalid_handles(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 0);
	struct emsmdb_object *a, *b;
	uint32_t old;

	assert_null(emsmdb_handles_lookup(t, EMSMDB_HANDLE_NONE));
	assert_null(emsmdb_handles_lookup(t, 0));
	assert_null(emsmdb_handles_lookup(t, 0x12345678));
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &a), 0);
	old = a->handle;
	emsmdb_handles_release(a);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &b), 0);
	/* same slot, new generation: the old handle stays dead */
	assert_int_equal(b->handle & 0xFFFF, old & 0xFFFF);
	assert_int_not_equal(b->handle, old);
	assert_null(emsmdb_handles_lookup(t, old));
	assert_ptr_equal(emsmdb_handles_lookup(t, b->handle), b);
	talloc_free(t);
}

static void test_logon_release_takes_everything(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 0);
	struct emsmdb_object *l1, *l2, *f1, *m1, *a1, *f2;
	uint32_t hf1, hm1, ha1;

	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l1), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l2), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, l1, &f1), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_MESSAGE, f1, &m1), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_ATTACHMENT, m1, &a1), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, l2, &f2), 0);
	hf1 = f1->handle;
	hm1 = m1->handle;
	ha1 = a1->handle;
	emsmdb_handles_release(l1);
	assert_null(emsmdb_handles_lookup(t, hf1));
	assert_null(emsmdb_handles_lookup(t, hm1));
	assert_null(emsmdb_handles_lookup(t, ha1));
	assert_ptr_equal(emsmdb_handles_lookup(t, f2->handle), f2);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 2);
	talloc_free(t);
}

static void test_limits(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 3);
	struct emsmdb_object *l, *f, *x = NULL;

	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, l, &f), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_TABLE, f, &x), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_TABLE, f, &x),
			 ecMaxObjsExceeded);
	emsmdb_handles_release(x);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_TABLE, f, &x), 0);
	talloc_free(t);
}

static void test_per_type_limit(void **state)
{
	struct emsmdb_handle_limits limits;
	struct emsmdb_handles *t;
	struct emsmdb_object *l;
	unsigned i;

	emsmdb_handle_limits_default(&limits);
	limits.max_per_type[EMSMDB_OBJECT_LOGON] = 2;
	t = emsmdb_handles_new(*state, &limits);
	assert_non_null(t);
	for (i = 0; i < 2; i++) {
		assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l), 0);
	}
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l),
			 ecMaxObjsExceeded);
	talloc_free(t);
}

static void test_bad_arguments(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 0);
	struct emsmdb_object *l, *f;

	/* a folder needs a parent; a logon must not have one */
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, NULL, &f),
			 ecInvalidParam);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l), 0);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, l, &f),
			 ecInvalidParam);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_NONE, l, &f),
			 ecInvalidParam);
	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_TYPE_COUNT, l, &f),
			 ecInvalidParam);
	assert_string_equal(emsmdb_object_type_name(EMSMDB_OBJECT_STREAM), "stream");
	assert_string_equal(emsmdb_object_type_name(EMSMDB_OBJECT_TYPE_COUNT), "invalid");
	talloc_free(t);
}

/* many objects: slots grow, every handle stays distinct and resolvable */
static void test_many(void **state)
{
	struct emsmdb_handles *t = new_table(*state, 5000);
	struct emsmdb_object *l, *f[4000];
	unsigned i;

	assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_LOGON, NULL, &l), 0);
	for (i = 0; i < 4000; i++) {
		assert_int_equal(emsmdb_handles_add(t, EMSMDB_OBJECT_FOLDER, l, &f[i]), 0);
	}
	for (i = 0; i < 4000; i += 2) {
		emsmdb_handles_release(f[i]);
	}
	for (i = 1; i < 4000; i += 2) {
		assert_ptr_equal(emsmdb_handles_lookup(t, f[i]->handle), f[i]);
	}
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_FOLDER), 2000);
	emsmdb_handles_release(l);
	assert_int_equal(emsmdb_handles_count(t, EMSMDB_OBJECT_NONE), 0);
	talloc_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_lookup_release, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_stale_and_invalid_handles, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_logon_release_takes_everything, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_limits, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_per_type_limit, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_many, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

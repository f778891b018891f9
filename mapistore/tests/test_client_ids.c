/*
 * Client-chosen IDs given up with RopSetLocalReplicaMidsetDeleted
 * ([MS-OXCFXICS] 2.2.3.2.4.8, 3.3.5.8.13): openchangedb records the
 * ranges (openchangedb_replica.c, migration 007), merged, bounded and
 * persistent, and mapistore_client_id_check() refuses a given-up ID with
 * ERR_OBJECT_DELETED while its neighbours stay usable. Bounds per call and
 * per mailbox; a refused call records nothing.
 *
 * SQLite in a temporary directory by default; the MariaDB named by
 * OC_TEST_DB_URI when it is a mysql:// URI (mapistore-client-ids-mariadb,
 * started by testsuite/servers/mariadb.py). Each test has its own user,
 * so one MariaDB database serves them all.
 */
#include "oc_test.h"
#include "mapistore.h"
#include "mapistore_db.h"
#include "openchangedb.h"
#include "mapistore_test_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	TALLOC_CTX *root;
	char *dir;
	struct mapistore_test_config conf;	/* private dir, data path, [openchangedb] */
	char *username;
	struct mapistore_context *ctx;
	struct openchangedb_context *ocdb;
	uint64_t first;		/* the first GLOBCNT reserved for the client */
};

static unsigned user_serial;

static void open_context(struct fixture *fx)
{
	enum mapistore_error ret;

	assert_int_equal(mapistore_context_new(fx, &fx->conf.cfg, fx->username, &fx->ctx, NULL),
			 MAPISTORE_SUCCESS);
	fx->ocdb = mapistore_context_get_openchangedb(fx->ctx);
	ret = openchangedb_provision_server(fx->ocdb, "SERVER", "First Organization",
					    "First OU", NULL);
	assert_true(ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS);
}

static int fx_setup(void **state)
{
	const char *env = getenv("OC_TEST_DB_URI");
	struct fixture *fx;

	if (oc_test_setup(state) != 0) {
		return -1;
	}
	fx = talloc_zero(*state, struct fixture);
	assert_non_null(fx);
	fx->root = *state;
	fx->dir = mapistore_test_dir_new(fx, "clientids");
	mapistore_test_config_init(&fx->conf);
	mapistore_test_config_set(&fx->conf, "private dir", fx->dir);
	mapistore_test_config_set(&fx->conf, "mapistore:data_path",
				  talloc_asprintf(fx, "%s/data", fx->dir));
	if (mapistore_test_using_mysql()) {
		mapistore_test_config_set(&fx->conf, "mapiproxy:openchangedb", env);
	}
	fx->username = talloc_asprintf(fx, "cid%ld%u", (long)getpid(), ++user_serial);
	open_context(fx);
	assert_int_equal(openchangedb_mailbox_create(fx, fx->ocdb, fx->username, NULL, 0x409,
						     NULL), MAPISTORE_SUCCESS);
	/* a fresh context resolves the mailbox's replica */
	TALLOC_FREE(fx->ctx);
	open_context(fx);
	assert_int_equal(openchangedb_reserve_local_replica_ids(fx->ocdb, fx->username, 1000,
								&fx->first), MAPISTORE_SUCCESS);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;

	return mapistore_test_fixture_end(state, fx->root, fx, fx->dir);
}

static enum mapistore_error give_up(struct fixture *fx, uint64_t first, uint64_t last)
{
	struct openchangedb_globcnt_range r = { .first = first, .last = last };

	return openchangedb_give_up_local_replica_ids(fx->ocdb, fx->username, &r, 1);
}

static bool given_up(struct fixture *fx, uint64_t globcnt)
{
	bool r = true;

	assert_int_equal(openchangedb_local_replica_id_given_up(fx->ocdb, fx->username, globcnt,
								&r), MAPISTORE_SUCCESS);
	return r;
}

/* how many rows the mailbox holds (ranges after merging) */
static int64_t stored_ranges(struct fixture *fx)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM ocdb_given_up_ranges WHERE mailbox_id ="
		" (SELECT id FROM ocdb_mailboxes WHERE username = ?)";
	struct mapistore_db_value p = mapistore_db_text(fx->username);
	int64_t n = -1;

	assert_int_equal(mapistore_db_query_int(openchangedb_get_db(fx->ocdb), sql, &p, 1, &n),
			 MAPISTORE_SUCCESS);
	return n;
}

/* A given-up ID is refused like a deleted object's; its neighbours and
 * the rest of the reservation are not; the record survives a new context. */
static void test_check_refuses_given_up(void **state)
{
	struct fixture *fx = *state;
	uint64_t f = fx->first;

	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 5)),
			 MAPISTORE_SUCCESS);
	assert_int_equal(give_up(fx, f + 5, f + 9), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 5)),
			 MAPISTORE_ERR_OBJECT_DELETED);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 9)),
			 MAPISTORE_ERR_OBJECT_DELETED);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 4)),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 10)),
			 MAPISTORE_SUCCESS);
	/* never reserved stays ecInvalidParam, given up or not */
	assert_int_equal(give_up(fx, f + 1000, f + 1000), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 1000)),
			 MAPISTORE_ERR_INVALID_PARAMETER);

	/* persistence: a new context (and connection) still refuses it */
	TALLOC_FREE(fx->ctx);
	open_context(fx);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 7)),
			 MAPISTORE_ERR_OBJECT_DELETED);
	assert_int_equal(mapistore_client_id_check(fx->ctx, mapistore_fmid_make(1, f + 11)),
			 MAPISTORE_SUCCESS);
}

/* Removing the mailbox (openchange_user_cleanup) forgets its ranges. */
static void test_mailbox_remove_forgets(void **state)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM ocdb_given_up_ranges WHERE mailbox_id = ?";
	static const char sql_id[] = "SELECT id FROM ocdb_mailboxes WHERE username = ?";
	struct fixture *fx = *state;
	struct mapistore_db_value p = mapistore_db_text(fx->username);
	int64_t id = 0, n = -1;

	assert_int_equal(mapistore_db_query_int(openchangedb_get_db(fx->ocdb), sql_id, &p, 1, &id),
			 MAPISTORE_SUCCESS);
	assert_true(id > 0);
	assert_int_equal(give_up(fx, fx->first + 1, fx->first + 3), MAPISTORE_SUCCESS);
	assert_int_equal(give_up(fx, fx->first + 9, fx->first + 9), MAPISTORE_SUCCESS);
	p = mapistore_db_int(id);
	assert_int_equal(mapistore_db_query_int(openchangedb_get_db(fx->ocdb), sql, &p, 1, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(openchangedb_mailbox_remove(fx->ocdb, fx->username, false, NULL, NULL),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_db_query_int(openchangedb_get_db(fx->ocdb), sql, &p, 1, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
}

/* Merging: each case gives up its ranges (offsets from the reservation)
 * in order, then expects that many stored rows and these probes. */
struct merge_case {
	const char *name;
	struct { uint64_t a, b; } in[4];
	unsigned n_in;
	int64_t rows;
	struct { uint64_t g; bool up; } probe[6];
	unsigned n_probe;
};

static const struct merge_case merge_cases[] = {
	{ "disjoint", { { 10, 19 }, { 30, 39 } }, 2, 2,
	  { { 9, false }, { 10, true }, { 19, true }, { 20, false }, { 29, false }, { 39, true } },
	  6 },
	{ "adjacent after", { { 10, 19 }, { 20, 29 } }, 2, 1,
	  { { 9, false }, { 10, true }, { 20, true }, { 29, true }, { 30, false } }, 5 },
	{ "adjacent before", { { 20, 29 }, { 10, 19 } }, 2, 1,
	  { { 9, false }, { 19, true }, { 20, true }, { 30, false } }, 4 },
	{ "overlap both", { { 10, 19 }, { 30, 39 }, { 15, 35 } }, 3, 1,
	  { { 9, false }, { 10, true }, { 25, true }, { 39, true }, { 40, false } }, 5 },
	{ "inside", { { 10, 39 }, { 15, 20 } }, 2, 1,
	  { { 10, true }, { 39, true }, { 40, false } }, 3 },
	{ "covering three", { { 10, 11 }, { 20, 21 }, { 30, 31 }, { 5, 50 } }, 4, 1,
	  { { 4, false }, { 5, true }, { 15, true }, { 50, true }, { 51, false } }, 5 },
	{ "single ids", { { 7, 7 }, { 9, 9 }, { 8, 8 } }, 3, 1,
	  { { 6, false }, { 7, true }, { 8, true }, { 9, true }, { 10, false } }, 5 },
	{ "repeat", { { 7, 9 }, { 7, 9 } }, 2, 1,
	  { { 6, false }, { 7, true }, { 9, true }, { 10, false } }, 4 },
};

static void test_merge(void **state)
{
	struct fixture *fx = *state;
	int64_t total = 0;	/* rows of the cases before */
	size_t c;
	unsigned i;

	for (c = 0; c < sizeof(merge_cases) / sizeof(merge_cases[0]); c++) {
		const struct merge_case *mc = &merge_cases[c];
		/* each case in its own stretch of the reservation, 100 apart:
		 * the earlier cases' rows stay and are counted */
		uint64_t base = fx->first + 100 * c;

		for (i = 0; i < mc->n_in; i++) {
			assert_int_equal(give_up(fx, base + mc->in[i].a, base + mc->in[i].b),
					 MAPISTORE_SUCCESS);
		}
		total += mc->rows;
		assert_int_equal(stored_ranges(fx), total);
		for (i = 0; i < mc->n_probe; i++) {
			if (given_up(fx, base + mc->probe[i].g) != mc->probe[i].up) {
				fail_msg("%s: GLOBCNT +%llu", mc->name,
					 (unsigned long long)mc->probe[i].g);
			}
		}
	}
}

/* Arguments and bounds; a refused call records nothing. */
static void test_bounds(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_globcnt_range *many;
	bool up = true;
	uint32_t i;

	assert_int_equal(give_up(fx, 0, 5), MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(give_up(fx, 9, 8), MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(give_up(fx, 1, MAPISTORE_GLOBCNT_MAX + 1),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(openchangedb_give_up_local_replica_ids(fx->ocdb, fx->username, NULL, 0),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_give_up_local_replica_ids(fx->ocdb, "nobody-here",
		&(struct openchangedb_globcnt_range){ 1, 2 }, 1), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(openchangedb_local_replica_id_given_up(fx->ocdb, "nobody-here", 1, &up),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(stored_ranges(fx), 0);

	many = talloc_array(fx, struct openchangedb_globcnt_range,
			    OPENCHANGEDB_GIVEN_UP_PER_CALL + 1);
	assert_non_null(many);
	for (i = 0; i <= OPENCHANGEDB_GIVEN_UP_PER_CALL; i++) {
		many[i].first = fx->first + 2 * (uint64_t)i + 1;
		many[i].last = many[i].first;
	}
	assert_int_equal(openchangedb_give_up_local_replica_ids(fx->ocdb, fx->username, many,
		OPENCHANGEDB_GIVEN_UP_PER_CALL + 1), MAPISTORE_ERR_TOO_BIG);
	assert_int_equal(stored_ranges(fx), 0);
	/* a valid range before an invalid one: all or nothing */
	many[1].first = 0;
	assert_int_equal(openchangedb_give_up_local_replica_ids(fx->ocdb, fx->username, many, 2),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(stored_ranges(fx), 0);
	talloc_free(many);
}

/* The per-mailbox bound: OPENCHANGEDB_GIVEN_UP_PER_MAILBOX rows (all but
 * one written straight into the table, far above the reservation), one
 * more disjoint range refused with nothing recorded, a merging one still
 * accepted. */
static void test_mailbox_bound(void **state)
{
	static const char sql_add[] =
		"INSERT INTO ocdb_given_up_ranges (mailbox_id, first_globcnt, last_globcnt)"
		" VALUES ((SELECT id FROM ocdb_mailboxes WHERE username = ?), ?, ?)";
	struct fixture *fx = *state;
	struct mapistore_db *db = openchangedb_get_db(fx->ocdb);
	struct mapistore_db_value p[3];
	uint64_t far = fx->first + 1000000, g;
	uint32_t i;

	assert_int_equal(mapistore_db_begin(db), MAPISTORE_SUCCESS);
	p[0] = mapistore_db_text(fx->username);
	for (i = 0; i + 1 < OPENCHANGEDB_GIVEN_UP_PER_MAILBOX; i++) {
		g = far + 2 * (uint64_t)i;
		p[1] = mapistore_db_int((int64_t)g);
		p[2] = mapistore_db_int((int64_t)g);
		assert_int_equal(mapistore_db_exec(db, sql_add, p, 3, NULL, NULL), MAPISTORE_SUCCESS);
	}
	assert_int_equal(mapistore_db_commit(db), MAPISTORE_SUCCESS);
	assert_int_equal(give_up(fx, fx->first + 1, fx->first + 1), MAPISTORE_SUCCESS);
	assert_int_equal(stored_ranges(fx), OPENCHANGEDB_GIVEN_UP_PER_MAILBOX);
	assert_int_equal(give_up(fx, fx->first + 3, fx->first + 3), MAPISTORE_ERR_TOO_BIG);
	assert_false(given_up(fx, fx->first + 3));
	assert_int_equal(stored_ranges(fx), OPENCHANGEDB_GIVEN_UP_PER_MAILBOX);
	/* touching an existing range: merged, no new row */
	assert_int_equal(give_up(fx, fx->first + 2, fx->first + 2), MAPISTORE_SUCCESS);
	assert_true(given_up(fx, fx->first + 2));
	assert_int_equal(stored_ranges(fx), OPENCHANGEDB_GIVEN_UP_PER_MAILBOX);
	/* and filling a hole between two rows removes one */
	assert_int_equal(give_up(fx, far + 1, far + 1), MAPISTORE_SUCCESS);
	assert_int_equal(stored_ranges(fx), OPENCHANGEDB_GIVEN_UP_PER_MAILBOX - 1);
	assert_true(given_up(fx, far + 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_refuses_given_up, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_merge, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_remove_forgets, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bounds, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_bound, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

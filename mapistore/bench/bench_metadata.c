/*
 * Benchmark of the metadata store: ID allocation, FMID -> URI and
 * URI -> FMID lookups, and folder property reads, at 1k, 10k and 100k
 * entries, on SQLite (default) or the store named by OC_TEST_DB_URI
 * (mariadb.py sets it). Prints the per-operation cost and its ratio to
 * the 1k baseline measured in the same run: flat or logarithmic growth
 * means ratios near 1.
 */
#include "mapistore_db.h"
#include "mapistore_indexing.h"
#include "openchangedb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOOKUPS 2000
#define PidTagComment 0x3004001F

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static const char *const drops[] = {
	"DROP TABLE IF EXISTS schema_version", "DROP TABLE IF EXISTS ocdb_servers",
	"DROP TABLE IF EXISTS ocdb_organizational_units", "DROP TABLE IF EXISTS ocdb_replicas",
	"DROP TABLE IF EXISTS ocdb_mailboxes", "DROP TABLE IF EXISTS ocdb_folders",
	"DROP TABLE IF EXISTS ocdb_folder_properties", "DROP TABLE IF EXISTS ocdb_receive_folders",
	"DROP TABLE IF EXISTS ocdb_per_user", "DROP TABLE IF EXISTS ocdb_local_replica_ranges",
	"DROP TABLE IF EXISTS mstore_indexing", "DROP TABLE IF EXISTS mstore_namedprops_sets",
	"DROP TABLE IF EXISTS mstore_namedprops", "DROP TABLE IF EXISTS mstore_changes",
	"DROP TABLE IF EXISTS mstore_tombstones", "DROP TABLE IF EXISTS ocdb_folder_acl",
	"DROP TABLE IF EXISTS mstore_intents", "DROP TABLE IF EXISTS ocdb_rules",
	"DROP TABLE IF EXISTS ocdb_given_up_ranges",
};

static int fail(const char *what, enum mapistore_error ret)
{
	fprintf(stderr, "bench: %s: %s\n", what, mapistore_errstr(ret));
	return 1;
}

int main(void)
{
	static const uint32_t sizes[] = { 1000, 10000, 100000 };
	const char *env = getenv("OC_TEST_DB_URI");
	TALLOC_CTX *mem = talloc_new(NULL);
	struct openchangedb_context *ocdb = NULL;
	struct mapistore_indexing *idx = NULL;
	struct mapistore_db *db;
	double base[4] = { 0 };
	char tmpl[] = "/tmp/oc-bench-XXXXXX", *uri, *errmsg = NULL;
	uint32_t have = 0, s, i;
	enum mapistore_error ret;

	uri = env ? talloc_strdup(mem, env)
		  : talloc_asprintf(mem, "sqlite://%s/openchange.db", mkdtemp(tmpl));
	if (env != NULL && strncmp(env, "mysql://", 8) == 0) {
		struct mapistore_db_params p;
		struct mapistore_db *raw = NULL;

		if (mapistore_db_parse_uri(mem, env, &p, NULL) != MAPISTORE_SUCCESS ||
		    mapistore_db_connect(mem, &p, &raw, NULL) != MAPISTORE_SUCCESS) {
			return fail("connect", MAPISTORE_ERR_DATABASE_UNAVAILABLE);
		}
		for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++) {
			mapistore_db_exec_simple(raw, drops[i]);
		}
		talloc_free(raw);
	}
	ret = openchangedb_connect(mem, uri, &ocdb, &errmsg);
	if (ret != MAPISTORE_SUCCESS) {
		fprintf(stderr, "bench: %s\n", errmsg ? errmsg : mapistore_errstr(ret));
		return 1;
	}
	db = openchangedb_get_db(ocdb);
	if ((ret = openchangedb_provision_server(ocdb, "S", "O", "U", NULL)) != MAPISTORE_SUCCESS ||
	    (ret = mapistore_indexing_new(mem, db, "bench", &idx)) != MAPISTORE_SUCCESS) {
		return fail("setup", ret);
	}
	printf("metadata store: %s\n", mapistore_db_get_driver(db) == MAPISTORE_DB_MYSQL ?
	       "MariaDB" : "SQLite");
	printf("%-8s %14s %14s %14s %14s\n", "entries", "alloc id (us)", "fmid->uri (us)",
	       "uri->fmid (us)", "prop read (us)");
	srandom(42);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double t0, cost[4];
		uint64_t id = 0;

		/* grow the store to sizes[s] entries in one transaction */
		if ((ret = mapistore_db_begin(db)) != MAPISTORE_SUCCESS) {
			return fail("begin", ret);
		}
		for (i = have; i < sizes[s]; i++) {
			char u[96];
			struct mapistore_property c = { .proptag = PidTagComment,
				.value.str = discard_const_p(char, "benchmark folder comment") };
			uint64_t fmid = mapistore_fmid_make(2, i + 1);

			snprintf(u, sizeof(u), "local://bench/inbox/0x%016" PRIx64 "/", fmid);
			ret = mapistore_indexing_add(idx, fmid, u);
			if (ret == MAPISTORE_SUCCESS) {
				ret = openchangedb_folder_create(ocdb, NULL, 0, fmid, 0, u + 8, NULL);
			}
			if (ret == MAPISTORE_SUCCESS) {
				ret = openchangedb_folder_set_properties(ocdb, fmid, &c, 1);
			}
			if (ret != MAPISTORE_SUCCESS) {
				return fail("populate", ret);
			}
		}
		if ((ret = mapistore_db_commit(db)) != MAPISTORE_SUCCESS) {
			return fail("commit", ret);
		}
		have = sizes[s];

		t0 = now_us();
		for (i = 0; i < LOOKUPS / 4; i++) {
			if ((ret = openchangedb_get_new_id(ocdb, &id)) != MAPISTORE_SUCCESS) {
				return fail("allocate", ret);
			}
		}
		cost[0] = (now_us() - t0) / (LOOKUPS / 4);
		t0 = now_us();
		for (i = 0; i < LOOKUPS; i++) {
			char *u = NULL;

			ret = mapistore_indexing_get_uri(mem, idx, mapistore_fmid_make(2, 1 + (uint64_t)random() % have),
							 &u, NULL);
			if (ret != MAPISTORE_SUCCESS) {
				return fail("fmid->uri", ret);
			}
			talloc_free(u);
		}
		cost[1] = (now_us() - t0) / LOOKUPS;
		t0 = now_us();
		for (i = 0; i < LOOKUPS; i++) {
			char u[96];
			uint64_t fmid = mapistore_fmid_make(2, 1 + (uint64_t)random() % have), got = 0;

			snprintf(u, sizeof(u), "local://bench/inbox/0x%016" PRIx64 "/", fmid);
			ret = mapistore_indexing_get_fmid(idx, u, &got, NULL);
			if (ret != MAPISTORE_SUCCESS || got != fmid) {
				return fail("uri->fmid", ret);
			}
		}
		cost[2] = (now_us() - t0) / LOOKUPS;
		t0 = now_us();
		for (i = 0; i < LOOKUPS; i++) {
			uint32_t tag = PidTagComment;
			struct mapistore_property *props = NULL;

			ret = openchangedb_folder_get_properties(mem, ocdb,
				mapistore_fmid_make(2, 1 + (uint64_t)random() % have), &tag, 1, &props);
			if (ret != MAPISTORE_SUCCESS) {
				return fail("property read", ret);
			}
			talloc_free(props);
		}
		cost[3] = (now_us() - t0) / LOOKUPS;
		if (s == 0) {
			memcpy(base, cost, sizeof(base));
		}
		printf("%-8u %8.1f x%-4.2f %8.1f x%-4.2f %8.1f x%-4.2f %8.1f x%-4.2f\n", sizes[s],
		       cost[0], cost[0] / base[0], cost[1], cost[1] / base[1],
		       cost[2], cost[2] / base[2], cost[3], cost[3] / base[3]);
	}
	if (env == NULL) {
		char *cmd = talloc_asprintf(mem, "rm -rf '%s'", tmpl);

		if (system(cmd) != 0) {
			fprintf(stderr, "bench: cannot remove %s\n", tmpl);
		}
	}
	talloc_free(mem);
	return 0;
}

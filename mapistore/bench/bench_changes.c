/*
 * Benchmark of the ICS change queries (mapistore_changes.h): "messages
 * of folder F changed since CNSET" with 1,000 changed messages in
 * folders of 1k, 10k and 100k messages, and a full enumeration with
 * 1,000-item cursor pages. Prints the cost per returned item and its
 * ratio to the 1k folder of the same run: flat means O(log n) per item,
 * independent of how many unchanged messages the folder holds.
 * SQLite by default; the store named by OC_TEST_DB_URI otherwise.
 */
#include "mapistore.h"
#include "mapistore_db.h"
#include "openchangedb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHANGED 1000
#define ROUNDS 20

static const char sql_ins[] =
	"INSERT INTO mstore_changes (username, fmid, parent_fid, kind, cn, read_cn, source_key,"
	" change_key, pcl, last_modified, message_size, read_flag)"
	" VALUES ('bench', ?, ?, 0, ?, 0, ?, ?, ?, 0, 1000, 0)";
static const char sql_bump[] =
	"UPDATE mstore_changes SET cn = ? WHERE username = 'bench' AND fmid = ?";

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static const char *cfg_get(void *private_data, const char *key)
{
	const char *const *kv = private_data;

	if (strcmp(key, "private dir") == 0) {
		return kv[0];
	}
	if (strcmp(key, "mapiproxy:openchangedb") == 0) {
		return kv[1];
	}
	return NULL;
}

static int populate(struct mapistore_db *db, uint64_t fid, uint32_t count, uint64_t *next_cn)
{
	uint8_t key[22] = { 0 }, pcl[23] = { 22 };
	uint32_t i;

	if (mapistore_db_begin(db) != MAPISTORE_SUCCESS) {
		return 1;
	}
	for (i = 0; i < count; i++) {
		struct mapistore_db_value p[6] = {
			mapistore_db_int((int64_t)mapistore_fmid_make(1, fid * 1000000 + i)),
			mapistore_db_int((int64_t)fid), mapistore_db_int((int64_t)(*next_cn)++),
			mapistore_db_blob(key, 22), mapistore_db_blob(key, 22),
			mapistore_db_blob(pcl, 23),
		};

		if (mapistore_db_exec(db, sql_ins, p, 6, NULL, NULL) != MAPISTORE_SUCCESS) {
			mapistore_db_rollback(db);
			return 1;
		}
	}
	/* CHANGED of them (spread over the folder) change again */
	for (i = 0; i < CHANGED; i++) {
		uint32_t which = (uint32_t)(((uint64_t)i * count) / CHANGED);
		struct mapistore_db_value p[2] = {
			mapistore_db_int((int64_t)(*next_cn)++),
			mapistore_db_int((int64_t)mapistore_fmid_make(1, fid * 1000000 + which)),
		};

		if (mapistore_db_exec(db, sql_bump, p, 2, NULL, NULL) != MAPISTORE_SUCCESS) {
			mapistore_db_rollback(db);
			return 1;
		}
	}
	return mapistore_db_commit(db) == MAPISTORE_SUCCESS ? 0 : 1;
}

int main(void)
{
	static const uint32_t sizes[] = { 1000, 10000, 100000 };
	char tmpl[] = "/tmp/oc-bench-changes-XXXXXX", *cmd;
	const char *kv[2];
	struct mapistore_config cfg = { cfg_get, kv };
	struct mapistore_context *ctx = NULL;
	TALLOC_CTX *mem = talloc_new(NULL);
	uint64_t next_cn = 10;
	double base[2] = { 0 };
	uint32_t s;

	kv[0] = mkdtemp(tmpl);
	kv[1] = getenv("OC_TEST_DB_URI");
	if (kv[0] == NULL || mapistore_context_new(mem, &cfg, "bench", &ctx, NULL) !=
	    MAPISTORE_SUCCESS) {
		fprintf(stderr, "bench: cannot open the metadata store\n");
		return 1;
	}
	/* on a shared server database, start from a clean slate */
	(void)mapistore_db_exec_simple(openchangedb_get_db(mapistore_context_get_openchangedb(ctx)),
				       "DELETE FROM mstore_changes WHERE username = 'bench'");
	printf("messages changed since CNSET (%d changed), per returned item\n"
	       "%-8s %22s %22s\n", CHANGED, "messages", "since CNSET (us/item)",
	       "full, pages (us/item)");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct mapistore_db *db = openchangedb_get_db(mapistore_context_get_openchangedb(ctx));
		uint64_t fid = s + 1, first_cn = next_cn, next = 0;
		struct mapistore_globcnt_range seen;
		double t0, cost[2];
		uint32_t n = 0, r, total;
		bool more = false;

		if (populate(db, fid, sizes[s], &next_cn) != 0) {
			fprintf(stderr, "bench: populate failed\n");
			return 1;
		}
		/* the client saw everything before the last CHANGED changes */
		seen.first = 1;
		seen.last = first_cn + sizes[s] - 1;
		t0 = now_us();
		for (r = 0; r < ROUNDS; r++) {
			struct mapistore_change *ch = NULL;

			if (mapistore_sync_messages(mem, ctx, fid, false, &seen, 1, 0, CHANGED + 1, &ch,
						    &n, &next, &more) != MAPISTORE_SUCCESS ||
			    n != CHANGED) {
				fprintf(stderr, "bench: sync returned %u\n", n);
				return 1;
			}
			talloc_free(ch);
		}
		cost[0] = (now_us() - t0) / (ROUNDS * (double)CHANGED);
		t0 = now_us();
		total = 0;
		next = 0;
		do {
			struct mapistore_change *ch = NULL;

			if (mapistore_sync_messages(mem, ctx, fid, false, NULL, 0, next, 1000, &ch, &n,
						    &next, &more) != MAPISTORE_SUCCESS) {
				return 1;
			}
			total += n;
			talloc_free(ch);
		} while (more);
		cost[1] = (now_us() - t0) / total;
		if (s == 0) {
			memcpy(base, cost, sizeof(base));
		}
		printf("%-8u %14.2f x%-6.2f %14.2f x%-6.2f\n", sizes[s], cost[0], cost[0] / base[0],
		       cost[1], cost[1] / base[1]);
	}
	talloc_free(mem);
	cmd = talloc_asprintf(NULL, "rm -rf '%s'", kv[0]);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench: cannot remove %s\n", kv[0]);
	}
	talloc_free(cmd);
	return 0;
}

/*
 * Benchmark of the local backend on one folder growing to 1k, 10k and
 * 100k messages: sequential table paging (50-row pages), message open +
 * property read by MID, and row count. Prints per-operation cost and the
 * ratio to the 1k baseline of the same run (flat/logarithmic = near 1).
 * Population runs with synchronous=OFF to keep the run short; the timed
 * operations are reads.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PidTagSubject 0x0037001F
#define PidTagImportance 0x00170003
#define PAGE 50
#define PAGES 200
#define READS 2000

static char *data_path;

static const char *env_get(const struct mapistore_backend_env *env, const char *key)
{
	return strcmp(key, "mapistore:data_path") == 0 ? data_path : NULL;
}

static const struct mapistore_backend_env bench_env = { .config_get = env_get };

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(void)
{
	static const uint32_t sizes[] = { 1000, 10000, 100000 };
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_backend_context *ctx = NULL;
	struct mapistore_backend_folder *root = NULL;
	char tmpl[] = "/tmp/oc-bench-local-XXXXXX", *cmd;
	uint32_t cols[3] = { PidTagSubject, PidTagImportance, PidTagMid };
	double base[5] = { 0 };
	uint32_t have = 0, s, i;

	data_path = mkdtemp(tmpl);
	if (data_path == NULL ||
	    local_backend_ops.context_new(mem, &bench_env, "bench", "local://bench/inbox/", &ctx) !=
	    MAPISTORE_SUCCESS ||
	    local_backend_ops.folder_open_root(mem, ctx, mapistore_fmid_make(1, 1), &root) !=
	    MAPISTORE_SUCCESS) {
		fprintf(stderr, "bench: cannot open the store\n");
		return 1;
	}
	sqlite3_exec(ctx->store->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	printf("local backend, one folder (x = ratio to the 1k row of this run)\n"
	       "%-8s %16s %16s %16s %16s %16s %8s %8s\n", "messages",
	       "page of 50 (us)", "open+read (us)", "row count (us)", "seek (us)",
	       "sorted seek (us)", "view ms", "sort ms");
	srandom(7);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct mapistore_backend_table *t = NULL;
		double t0, cost[5], build[2];
		uint32_t n = 0, pages;

		for (i = have; i < sizes[s]; i++) {
			struct mapistore_backend_message *m = NULL;
			char subject[32];
			struct mapistore_property p[2] = {
				{ .proptag = PidTagSubject, .value.str = subject },
				{ .proptag = PidTagImportance, .value.i32 = (int32_t)(i % 3) },
			};
			struct mapistore_backend_object obj = { .kind = MAPISTORE_OBJECT_MESSAGE };

			snprintf(subject, sizeof(subject), "message %u", i);
			enum mapistore_error ret = local_message_create(mem, root,
				mapistore_fmid_make(1, 100 + i), false, &m);

			obj.u.message = m;
			if (ret == MAPISTORE_SUCCESS) {
				ret = local_properties_set(&obj, p, 2);
			}
			if (ret == MAPISTORE_SUCCESS) {
				ret = local_message_save(m, mapistore_fmid_make(1, 2));
			}
			if (ret != MAPISTORE_SUCCESS) {
				fprintf(stderr, "bench: populate failed at %u: %s\n", i, mapistore_errstr(ret));
				return 1;
			}
			talloc_free(m);
		}
		have = sizes[s];

		/* sequential paging from a random start, as QueryRows does */
		local_folder_open_table(mem, root, MAPISTORE_MESSAGE_TABLE, &t);
		local_table_set_columns(t, cols, 3);
		pages = PAGES < (have - 1) / PAGE ? PAGES : (have - 1) / PAGE;
		{
			uint32_t start = (uint32_t)random() % (have - pages * PAGE);
			struct mapistore_row *rows = NULL;

			/* position the cursor (one OFFSET query, not timed) */
			local_table_get_rows(mem, t, start, 1, &rows, &n);
			talloc_free(rows);
			t0 = now_us();
			for (i = 0; i < pages; i++) {
				if (local_table_get_rows(mem, t, start + 1 + i * PAGE, PAGE, &rows, &n) !=
				    MAPISTORE_SUCCESS || n != PAGE) {
					fprintf(stderr, "bench: paging failed at page %u: n=%u have=%u\n", i, n, have);
					return 1;
				}
				talloc_free(rows);
			}
			cost[0] = (now_us() - t0) / pages;
		}
		t0 = now_us();
		for (i = 0; i < READS; i++) {
			struct mapistore_backend_message *m = NULL;
			struct mapistore_property *out = NULL;
			struct mapistore_backend_object obj = { .kind = MAPISTORE_OBJECT_MESSAGE };

			if (local_message_open(mem, root, mapistore_fmid_make(1, 100 + (uint64_t)random() % have),
					       false, &m) != MAPISTORE_SUCCESS) {
				fprintf(stderr, "bench: open failed\n");
				return 1;
			}
			obj.u.message = m;
			local_properties_get(mem, &obj, cols, 2, &out);
			talloc_free(out);
			talloc_free(m);
		}
		cost[1] = (now_us() - t0) / READS;
		t0 = now_us();
		for (i = 0; i < READS; i++) {
			local_table_get_row_count(t, &n);
		}
		cost[2] = (now_us() - t0) / READS;
		talloc_free(t);
		/* RopSeekRow / SeekRowFractional: random positions, natural and
		 * sorted order; the one-off view build is reported apart */
		{
			struct mapistore_sort_order desc = { PidTagSubject, TABLE_SORT_DESCEND };
			struct mapistore_row *rows = NULL;
			uint32_t k;

			for (k = 0; k < 2; k++) {
				local_folder_open_table(mem, root, MAPISTORE_MESSAGE_TABLE, &t);
				local_table_set_columns(t, cols, 3);
				if (k == 1) {
					local_table_set_sort_order(t, &desc, 1);
				}
				t0 = now_us();
				local_table_get_rows(mem, t, have / 2, 1, &rows, &n);
				talloc_free(rows);
				build[k] = (now_us() - t0) / 1000.0;
				t0 = now_us();
				for (i = 0; i < READS; i++) {
					if (local_table_get_rows(mem, t, (uint32_t)random() % have, 1,
								 &rows, &n) != MAPISTORE_SUCCESS || n != 1) {
						fprintf(stderr, "bench: seek failed\n");
						return 1;
					}
					talloc_free(rows);
				}
				cost[3 + k] = (now_us() - t0) / READS;
				talloc_free(t);
			}
		}
		if (s == 0) {
			memcpy(base, cost, sizeof(base));
		}
		printf("%-8u %10.1f x%-4.2f %10.1f x%-4.2f %10.2f x%-4.2f %10.1f x%-4.2f %10.1f x%-4.2f"
		       " %8.1f %8.1f\n", sizes[s],
		       cost[0], cost[0] / base[0], cost[1], cost[1] / base[1], cost[2], cost[2] / base[2],
		       cost[3], cost[3] / base[3], cost[4], cost[4] / base[4], build[0], build[1]);
	}
	talloc_free(mem);
	cmd = talloc_asprintf(NULL, "rm -rf '%s'", data_path);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench: cannot remove %s\n", data_path);
	}
	talloc_free(cmd);
	return 0;
}

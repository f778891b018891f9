/*
 * In-process EMSMDB benchmarks (no Samba), each printed beside a baseline
 * measured in the same run:
 *
 *  1. QueryRows over a 10,000-message contents table, through the ROP
 *     dispatcher (RopQueryRows windows of 0x100 rows, encoded as on the
 *     wire) vs. reading the same table straight from mapistore.
 *  2. Memory per idle session with 500 sessions open, each logged on to
 *     its mailbox (RopLogon: store context, openchangedb connection,
 *     handle table), vs. a bare session (handle table only).
 *
 * Usage: bench_emsmdb [messages] [sessions]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "memory_private.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=%s"

static char bench_dir[64];
static struct mapistore_config bench_mcfg;
static struct emsmdb_config bench_cfg;

static const char *bench_get(void *private_data, const char *key)
{
	return strcmp(key, "private dir") == 0 ? bench_dir : NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;

	if (f == NULL) {
		return 0;
	}
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2) {
		resident = 0;
	}
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static struct emsmdb_session *bench_session(const char *user)
{
	struct emsmdb_session *s = emsmdb_session_new(&bench_cfg);

	if (s == NULL) {
		exit(1);
	}
	s->account = talloc_strdup(s, user);
	s->user_dn = talloc_asprintf(s, DN, user);
	s->display_name = talloc_strdup(s, user);
	s->cpid = 1252;
	return s;
}

/* run requests through the dispatcher; handles carried in @handles[6] */
static const uint32_t *bench_columns;
static uint32_t bench_column_count;

static struct rop_buffer *bench_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				    struct rop_request *reqs, uint32_t n,
				    uint32_t *handles)
{
	struct rop_ctx ctx = { .codepage = 1252, .logon_private = true,
			       .columns = bench_columns,
			       .column_count = bench_column_count };
	struct rop_buffer in = { 0 }, *out = NULL;
	uint8_t *buf, *reply;
	size_t len, reply_len;

	in.count = n;
	in.requests = reqs;
	in.handle_count = 6;
	in.ServerObjectHandleTable = handles;
	if (rop_buffer_encode_requests(mem, &in, &ctx, &buf, &len) != ROP_OK ||
	    emsmdb_rop_process(s, mem, buf, len, 0x8000, &reply, &reply_len) != 0 ||
	    rop_buffer_decode_responses(mem, reply, reply_len, &in, &ctx, &out) !=
	    ROP_OK) {
		fprintf(stderr, "bench: ROP buffer failed\n");
		exit(1);
	}
	memcpy(handles, out->ServerObjectHandleTable, 6 * sizeof(uint32_t));
	return out;
}

static void bench_logon(struct emsmdb_session *s, TALLOC_CTX *mem,
			uint32_t *handles, uint64_t fids[13])
{
	struct rop_request r = { .RopId = RopLogon };
	struct rop_buffer *out;

	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = s->user_dn;
	r.u.RopLogon.EssdnSize = strlen(s->user_dn) + 1;
	out = bench_run(s, mem, &r, 1, handles);
	if (out->responses[0].u.RopLogon.ReturnValue != 0) {
		fprintf(stderr, "bench: logon failed\n");
		exit(1);
	}
	memcpy(fids, out->responses[0].u.RopLogon.FolderIds, 13 * 8);
}

static void bench_query_rows(unsigned nmsg)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject, PidTagMessageClass };
	TALLOC_CTX *mem = talloc_new(NULL);
	struct emsmdb_session *s = bench_session("bench");
	struct mapistore_folder *inbox = NULL;
	struct mapistore_table *t = NULL;
	struct rop_request r[3];
	uint32_t handles[6], total = 0, n;
	uint64_t fids[13];
	double t0, direct, rops;
	unsigned i;

	memset(handles, 0xFF, sizeof(handles));
	bench_logon(s, mem, handles, fids);
	if (mapistore_folder_open(mem, s->mstore, fids[4], &inbox) != MAPISTORE_SUCCESS) {
		fprintf(stderr, "bench: no Inbox\n");
		exit(1);
	}
	for (i = 0; i < nmsg; i++) {
		struct mapistore_message *m = NULL;
		struct mapistore_property p[2];

		p[0].proptag = PidTagSubject;
		p[0].value.str = talloc_asprintf(mem, "message %u", i);
		p[1].proptag = PidTagMessageClass;
		p[1].value.str = (char *)(uintptr_t)"IPM.Note";
		if (mapistore_message_create(mem, inbox, false, &m) != MAPISTORE_SUCCESS ||
		    mapistore_properties_set(mapistore_message_object(m), p, 2) !=
		    MAPISTORE_SUCCESS || mapistore_message_save(m) != MAPISTORE_SUCCESS) {
			fprintf(stderr, "bench: cannot create message %u\n", i);
			exit(1);
		}
		talloc_free(m);
		talloc_free(p[0].value.str);
	}

	/* baseline: mapistore alone, same columns, same window */
	t0 = now_s();
	if (mapistore_folder_open_table(mem, inbox, MAPISTORE_MESSAGE_TABLE, &t) !=
	    MAPISTORE_SUCCESS || mapistore_table_set_columns(t, cols, 3) !=
	    MAPISTORE_SUCCESS) {
		exit(1);
	}
	do {
		struct mapistore_row *rows = NULL;
		TALLOC_CTX *w = talloc_new(mem);

		n = 0;
		mapistore_table_query_rows(w, t, 0x100, &rows, &n);
		total += n;
		talloc_free(w);
	} while (n > 0);
	direct = now_s() - t0;
	if (total != nmsg) {
		fprintf(stderr, "bench: baseline read %u rows\n", total);
		exit(1);
	}

	/* the dispatcher: RopQueryRows windows, encoded and decoded */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = fids[4];
	r[1].RopId = RopGetContentsTable;
	r[1].u.RopGetContentsTable.InputHandleIndex = 1;
	r[1].u.RopGetContentsTable.OutputHandleIndex = 2;
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 2;
	r[2].u.RopSetColumns.PropertyTagCount = 3;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	t0 = now_s();
	bench_run(s, mem, r, 3, handles);
	bench_columns = cols;
	bench_column_count = 3;
	total = 0;
	do {
		TALLOC_CTX *w = talloc_new(mem);
		struct rop_buffer *out;

		memset(r, 0, sizeof(r));
		r[0].RopId = RopQueryRows;
		r[0].u.RopQueryRows.InputHandleIndex = 2;
		r[0].u.RopQueryRows.ForwardRead = 1;
		r[0].u.RopQueryRows.RowCount = 0x100;
		out = bench_run(s, w, r, 1, handles);
		n = out->responses[0].u.RopQueryRows.RowCount;
		total += n;
		talloc_free(w);
	} while (n > 0);
	rops = now_s() - t0;
	if (total != nmsg) {
		fprintf(stderr, "bench: dispatcher read %u rows\n", total);
		exit(1);
	}
	printf("query_rows_messages=%u\n", nmsg);
	printf("query_rows_mapistore_rows_per_sec=%.0f\n", nmsg / direct);
	printf("query_rows_rop_rows_per_sec=%.0f\n", nmsg / rops);
	printf("query_rows_rop_vs_mapistore=%.2f\n", direct / rops);
	talloc_free(t);
	talloc_free(inbox);
	emsmdb_session_free(s);
	talloc_free(mem);
}

static void bench_sessions(unsigned nsess)
{
	struct emsmdb_session **ss = calloc(nsess, sizeof(*ss));
	TALLOC_CTX *mem = talloc_new(NULL);
	long before, bare, logged;
	size_t talloc_bytes = 0, bare_bytes = 0;
	uint64_t fids[13];
	unsigned i;

	if (ss == NULL) {
		exit(1);
	}
	/* baseline: sessions without a logon */
	before = rss_kb();
	for (i = 0; i < nsess; i++) {
		ss[i] = bench_session("idle");
		bare_bytes += talloc_total_size(ss[i]);
	}
	bare = rss_kb() - before;
	for (i = 0; i < nsess; i++) {
		emsmdb_session_free(ss[i]);
	}
	/* idle sessions logged on to their own mailboxes */
	before = rss_kb();
	for (i = 0; i < nsess; i++) {
		uint32_t handles[6];
		char user[32];

		snprintf(user, sizeof(user), "user%u", i);
		ss[i] = bench_session(user);
		memset(handles, 0xFF, sizeof(handles));
		bench_logon(ss[i], mem, handles, fids);
		talloc_bytes += talloc_total_size(ss[i]);
	}
	logged = rss_kb() - before;
	printf("sessions=%u\n", nsess);
	printf("session_bare_rss_bytes=%ld\n", bare * 1024 / (long)nsess);
	printf("session_logged_on_rss_bytes=%ld\n", logged * 1024 / (long)nsess);
	printf("session_bare_talloc_bytes=%zu\n", bare_bytes / nsess);
	printf("session_logged_on_talloc_bytes=%zu\n", talloc_bytes / nsess);
	printf("session_logged_on_vs_bare_talloc=%.1f\n",
	       bare_bytes > 0 ? (double)talloc_bytes / bare_bytes : 0.0);
	for (i = 0; i < nsess; i++) {
		emsmdb_session_free(ss[i]);
	}
	free(ss);
	talloc_free(mem);
}

int main(int argc, char **argv)
{
	unsigned nmsg = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	unsigned nsess = argc > 2 ? (unsigned)atoi(argv[2]) : 500;
	char cmd[128];
	int rc;

	snprintf(bench_dir, sizeof(bench_dir), "/tmp/emsmdb-bench-XXXXXX");
	if (mkdtemp(bench_dir) == NULL) {
		return 1;
	}
	mapistore_set_log_level(-1);
	mapistore_memory_backend_register();
	bench_mcfg.get = bench_get;
	emsmdb_config_default(&bench_cfg);
	bench_cfg.netbios_name = "OCDC";
	bench_cfg.mapistore = &bench_mcfg;
	bench_cfg.default_backend = "memory";
	bench_cfg.limits.max_objects = 64;

	bench_query_rows(nmsg);
	bench_sessions(nsess);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bench_dir);
	rc = system(cmd);
	return rc == 0 ? 0 : 1;
}

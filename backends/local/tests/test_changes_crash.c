/*
 * Crash safety of the change tracking ([MS-OXCFXICS] 3.1.5.3): a child
 * process creates and rewrites messages of the local backend through the
 * core API and reports each acknowledged save (MID, CN) on a pipe; it is
 * killed with SIGKILL at a random moment, many times. After each kill,
 * with everything reopened:
 *  - no lost CN: every acknowledged save has a change row whose CN is
 *    at least the acknowledged one, and at least the CN stored on the
 *    object (PidTagChangeKey);
 *  - no PCL regression: the row's PCL integrates the acknowledged change
 *    and the object's own change key;
 *  - CNs strictly increase per replica: the counter is past every CN
 *    recorded, and a new save gets a CN greater than all of them.
 */
#include "oc_test.h"
#include "mapistore.h"
#include "openchangedb.h"
#include "local_private.h"
#include "local_test_fx.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILLS 8
#define MESSAGES 12
#define PidTagSubjectC 0x0037001F
#define PidTagImportanceC 0x00170003

static enum mapistore_error open_inbox(TALLOC_CTX *mem, struct local_test_fx *fx,
	struct mapistore_context **ctx_r, struct mapistore_folder **inbox_r)
{
	enum mapistore_error ret = mapistore_context_new(mem, &fx->cfg, "crash", ctx_r, NULL);

	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_folder_open_root(mem, *ctx_r, "local://crash/inbox/",
						 mapistore_fmid_make(1, 0x7000), inbox_r);
	}
	return ret;
}

/* The child: save forever, acknowledging each save on @fd. */
static void writer(struct local_test_fx *fx, int fd)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_context *ctx = NULL;
	struct mapistore_folder *inbox = NULL;
	struct mapistore_change *ch = NULL;
	uint64_t mids[MESSAGES], next = 0;
	uint32_t have = 0, i, round = 0;
	bool more = false;

	if (open_inbox(mem, fx, &ctx, &inbox) != MAPISTORE_SUCCESS ||
	    mapistore_sync_messages(mem, ctx, mapistore_folder_get_fid(inbox), false, NULL, 0, 0,
				    MESSAGES, &ch, &have, &next, &more) != MAPISTORE_SUCCESS) {
		_exit(3);
	}
	for (i = 0; i < have; i++) {
		mids[i] = ch[i].fmid;
	}
	srandom((unsigned)getpid());
	for (;;) {
		struct mapistore_property p[2] = {
			{ .proptag = PidTagSubjectC, .value.str = discard_const_p(char, "crash") },
			{ .proptag = PidTagImportanceC, .value.i32 = (int32_t)round++ },
		};
		struct mapistore_message *m = NULL;
		struct mapistore_change *row = NULL;
		uint32_t which = have < MESSAGES ? have : (uint32_t)random() % have;
		enum mapistore_error ret;
		char line[64];
		int len;

		ret = which == have ? mapistore_message_create(mem, inbox, false, &m)
				    : mapistore_message_open(mem, inbox, mids[which], true, &m);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_properties_set(mapistore_message_object(m), p, 2);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_message_save(m);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_changes_get(mem, ctx, mapistore_message_get_mid(m), &row);
		}
		if (ret != MAPISTORE_SUCCESS) {
			_exit(4);
		}
		if (which == have) {
			mids[have++] = mapistore_message_get_mid(m);
		}
		len = snprintf(line, sizeof(line), "%llu %llu\n",
			       (unsigned long long)mapistore_message_get_mid(m),
			       (unsigned long long)row->cn);
		if (write(fd, line, (size_t)len) != len) {
			_exit(5);
		}
		talloc_free(row);
		talloc_free(m);
	}
}

struct ack {
	uint64_t mid;
	uint64_t cn;
};

static uint32_t read_acks(int fd, struct ack *acks, uint32_t max)
{
	static char buf[1 << 16];
	size_t got = 0;
	ssize_t r;
	uint32_t n = 0;
	char *line, *save = NULL;

	while (got < sizeof(buf) - 1 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
		got += (size_t)r;
	}
	buf[got] = '\0';
	for (line = strtok_r(buf, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long mid, cn;

		/* a line cut by the kill has no newline: ignored by sscanf's count */
		if (sscanf(line, "%llu %llu", &mid, &cn) == 2) {
			acks[n].mid = mid;
			acks[n].cn = cn;
			n++;
		}
	}
	return n;
}

static void verify(struct local_test_fx *fx, const struct ack *acks, uint32_t n_acks)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_context *ctx = NULL;
	struct mapistore_folder *inbox = NULL;
	struct mapistore_change *ch = NULL, *row = NULL;
	uint32_t tags[1] = { PidTagChangeKey }, n = 0, i;
	uint64_t next = 0, max_cn = 0, last = 0;
	uint8_t guid[16], xid[22];
	bool more = false, included;

	assert_int_equal(open_inbox(mem, fx, &ctx, &inbox), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_changes_get_replica(ctx, guid, &last), MAPISTORE_SUCCESS);
	for (i = 0; i < n_acks; i++) {
		assert_int_equal(mapistore_changes_get(mem, ctx, acks[i].mid, &row), MAPISTORE_SUCCESS);
		assert_true(row->cn >= acks[i].cn);
		mapistore_xid_make(guid, acks[i].cn, xid);
		assert_int_equal(mapistore_pcl_includes(&row->pcl, xid, 22, &included),
				 MAPISTORE_SUCCESS);
		assert_true(included);
		talloc_free(row);
	}
	assert_int_equal(mapistore_sync_messages(mem, ctx, mapistore_folder_get_fid(inbox), false,
						 NULL, 0, 0, 1000, &ch, &n, &next, &more),
			 MAPISTORE_SUCCESS);
	for (i = 0; i < n; i++) {
		struct mapistore_message *m = NULL;
		struct mapistore_property *p = NULL;
		uint64_t obj_cn = 0;
		int k;

		/* the object's change key never runs ahead of its row */
		assert_int_equal(mapistore_message_open(mem, inbox, ch[i].fmid, false, &m),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_get(mem, mapistore_message_object(m), tags, 1, &p),
				 MAPISTORE_SUCCESS);
		assert_int_equal(p[0].value.bin.length, 22);
		for (k = 0; k < 6; k++) {
			obj_cn = (obj_cn << 8) | p[0].value.bin.data[16 + k];
		}
		assert_true(obj_cn <= ch[i].cn);
		assert_int_equal(mapistore_pcl_includes(&ch[i].pcl, p[0].value.bin.data, 22, &included),
				 MAPISTORE_SUCCESS);
		assert_true(included);
		if (ch[i].cn > max_cn) {
			max_cn = ch[i].cn;
		}
		talloc_free(m);
	}
	/* the replica counter is past every recorded CN */
	assert_true(last > max_cn);
	talloc_free(mem);
}

static void test_changes_crash(void **state)
{
	struct local_test_fx *fx = local_test_fx_new(*state, "changes-crash");
	struct ack *acks;
	TALLOC_CTX *mem;
	struct mapistore_context *ctx = NULL;
	uint32_t k, total = 0;

	assert_non_null(fx);
	acks = talloc_array(fx, struct ack, 4096);
	mem = talloc_new(fx);
	assert_int_equal(mapistore_context_new(mem, &fx->cfg, "crash", &ctx, NULL), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_provision_server(mapistore_context_get_openchangedb(ctx), "S",
						       "Org", "OU", NULL), MAPISTORE_SUCCESS);
	talloc_free(ctx);
	srandom(42);
	for (k = 0; k < KILLS; k++) {
		int fds[2], status = 0;
		uint32_t n;
		pid_t pid;
		struct timespec nap = { 0, 60000000 + (random() % 5) * 50000000 };

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer(fx, fds[1]);
		}
		close(fds[1]);
		nanosleep(&nap, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status));
		n = read_acks(fds[0], acks, 4096);
		close(fds[0]);
		total += n;
		verify(fx, acks, n);
	}
	print_message("%u kills, %u acknowledged saves checked\n", KILLS, total);
	assert_true(total > 0);
	if (!local_test_fx_remove(fx)) {
		print_message("cannot remove %s\n", fx->dir);
	}
	talloc_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_changes_crash, oc_test_setup, oc_test_teardown),
	};

	if (mapistore_local_backend_register() != MAPISTORE_SUCCESS) {
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

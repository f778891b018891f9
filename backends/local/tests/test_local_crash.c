/*
 * Crash safety of the local backend: a child process saves, rewrites and
 * deletes messages (small ones inline, large ones in blob files) in a
 * loop and is killed with SIGKILL at a random moment, many times. After
 * each kill the store must pass local_fsck() and every stored message
 * must decode to exactly one consistent version (its subject names the
 * version; the attachment bytes must be that version's bytes).
 * A negative control then damages one blob and checks that the
 * verification does catch it, so the test can fail.
 */
#include "oc_test.h"
#include "local_private.h"
#include "local_hooks.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PidTagSubject 0x0037001F
#define PidTagAttachDataBinary 0x37010102
#define ROUNDS 25

static char *data_path;

static const char *env_get(const struct mapistore_backend_env *env, const char *key)
{
	return strcmp(key, "mapistore:data_path") == 0 ? data_path : NULL;
}

static const struct mapistore_backend_env test_env = { .config_get = env_get };

/* Deterministic payload of (mid, version). */
static size_t payload_size(uint64_t mid, uint32_t version)
{
	uint64_t h = (mid * 2654435761u) ^ (version * 40503u);

	return (h % 3 == 0) ? 200 : (size_t)(70000 + h % 200000);   /* inline or blob */
}

static uint8_t payload_byte(uint64_t mid, uint32_t version, size_t i)
{
	return (uint8_t)((mid * 31 + version * 17 + i * 7) & 0xFF);
}

static enum mapistore_error write_version(struct mapistore_backend_message *m, uint64_t mid,
	uint32_t version, bool create_att)
{
	struct mapistore_backend_attachment *att = NULL;
	struct mapistore_backend_object obj;
	size_t n = payload_size(mid, version), i;
	uint8_t *buf = talloc_size(m, n);
	char subject[64];
	struct mapistore_property sp = { .proptag = PidTagSubject, .value.str = subject };
	struct mapistore_property dp = { .proptag = PidTagAttachDataBinary, .value.bin = { n, buf } };
	enum mapistore_error ret;
	uint32_t aid = 0;

	for (i = 0; i < n; i++) {
		buf[i] = payload_byte(mid, version, i);
	}
	snprintf(subject, sizeof(subject), "v%u", version);
	obj.kind = MAPISTORE_OBJECT_MESSAGE;
	obj.u.message = m;
	ret = local_properties_set(&obj, &sp, 1);
	if (ret == MAPISTORE_SUCCESS) {
		ret = create_att ? local_message_create_attachment(m, m, &att, &aid)
				 : local_message_open_attachment(m, m, 0, &att);
	}
	if (ret == MAPISTORE_SUCCESS) {
		obj.kind = MAPISTORE_OBJECT_ATTACHMENT;
		obj.u.attachment = att;
		ret = local_properties_set(&obj, &dp, 1);
	}
	talloc_free(buf);
	return ret;
}

/* The child: never returns. */
static void child_loop(uint32_t round)
{
	struct mapistore_backend_context *ctx = NULL;
	struct mapistore_backend_folder *root = NULL;
	TALLOC_CTX *mem = talloc_new(NULL);
	uint64_t i;

	if (local_backend_ops.context_new(mem, &test_env, "crash", "local://crash/inbox/", &ctx) !=
	    MAPISTORE_SUCCESS ||
	    local_backend_ops.folder_open_root(mem, ctx, mapistore_fmid_make(1, 1), &root) !=
	    MAPISTORE_SUCCESS) {
		_exit(3);
	}
	for (i = 1; ; i++) {
		uint64_t mid = mapistore_fmid_make(1, ((uint64_t)round << 20) | i);
		struct mapistore_backend_message *m = NULL;
		uint64_t cn = mapistore_fmid_make(1, ((uint64_t)round << 20) | (i + 500000));

		if (local_message_create(mem, root, mid, false, &m) != MAPISTORE_SUCCESS ||
		    write_version(m, mid, 0, true) != MAPISTORE_SUCCESS ||
		    local_message_save(m, cn) != MAPISTORE_SUCCESS) {
			_exit(4);
		}
		talloc_free(m);
		/* rewrite the previous message: the update path with blob swap */
		if (i > 1) {
			uint64_t prev = mapistore_fmid_make(1, ((uint64_t)round << 20) | (i - 1));

			if (local_message_open(mem, root, prev, true, &m) == MAPISTORE_SUCCESS) {
				if (write_version(m, prev, (uint32_t)i, false) != MAPISTORE_SUCCESS ||
				    local_message_save(m, cn) != MAPISTORE_SUCCESS) {
					_exit(5);
				}
				talloc_free(m);
			}
		}
		if (i % 5 == 0) {
			uint64_t victim = mapistore_fmid_make(1, ((uint64_t)round << 20) | (i - 2));

			if (local_folder_delete_messages(root, &victim, 1, true, cn) != MAPISTORE_SUCCESS) {
				_exit(6);
			}
		}
	}
}

/* Every message: one consistent version. Returns the number checked. */
static uint32_t verify_messages(TALLOC_CTX *mem, struct local_store *s, uint32_t *bad_r)
{
	sqlite3_stmt *st = NULL;
	uint32_t checked = 0, bad = 0;

	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT mid FROM messages", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t mid = (uint64_t)sqlite3_column_int64(st, 0), fid, cn;
		struct local_msg *m = NULL;
		unsigned version = 0;
		bool fai;
		int sidx;

		checked++;
		if (local_message_load(mem, s, mid, &fid, &fai, &cn, &m) != MAPISTORE_SUCCESS) {
			bad++;
			continue;
		}
		sidx = mapistore_properties_find(m->props.props, m->props.count, PidTagSubject);
		if (sidx < 0 || sscanf(m->props.props[sidx].value.str, "v%u", &version) != 1 ||
		    m->att_count != 1) {
			bad++;
		} else {
			int didx = mapistore_properties_find(m->atts[0]->props.props,
							     m->atts[0]->props.count, PidTagAttachDataBinary);
			size_t n = payload_size(mid, version), i;

			if (didx < 0 || m->atts[0]->props.props[didx].value.bin.length != n) {
				bad++;
			} else {
				for (i = 0; i < n; i++) {
					if (m->atts[0]->props.props[didx].value.bin.data[i] !=
					    payload_byte(mid, version, i)) {
						bad++;
						break;
					}
				}
			}
		}
		talloc_free(m);
	}
	sqlite3_finalize(st);
	*bad_r = bad;
	return checked;
}

static char *first_blob(TALLOC_CTX *mem, const char *blob_dir)
{
	DIR *top = opendir(blob_dir), *d;
	struct dirent *de, *f;
	char *found = NULL;

	while (top != NULL && found == NULL && (de = readdir(top)) != NULL) {
		char *sub;

		if (de->d_name[0] == '.') {
			continue;
		}
		sub = talloc_asprintf(mem, "%s/%s", blob_dir, de->d_name);
		d = opendir(sub);
		while (d != NULL && found == NULL && (f = readdir(d)) != NULL) {
			if (f->d_name[0] != '.') {
				found = talloc_asprintf(mem, "%s/%s", sub, f->d_name);
			}
		}
		if (d != NULL) {
			closedir(d);
		}
		talloc_free(sub);
	}
	if (top != NULL) {
		closedir(top);
	}
	return found;
}

static void test_kill9_during_saves(void **state)
{
	TALLOC_CTX *mem = *state;
	char tmpl[] = "/tmp/oc-crash-XXXXXX";
	uint32_t round, total_checked = 0, problems = 0, bad = 0;
	struct local_store *s = NULL;
	char *store_dir, *blob, *cmd;
	FILE *f;

	data_path = talloc_strdup(mem, mkdtemp(tmpl));
	store_dir = talloc_asprintf(mem, "%s/crash", data_path);
	srandom((unsigned)time(NULL));
	for (round = 1; round <= ROUNDS; round++) {
		int status = 0;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			child_loop(round);
		}
		usleep((useconds_t)(20000 + random() % 150000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		/* the child must have died from our signal, not failed on its own */
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGKILL);

		assert_int_equal(local_store_open(mem, store_dir, &s), MAPISTORE_SUCCESS);
		assert_int_equal(local_fsck(s, true, &problems), MAPISTORE_SUCCESS);
		assert_int_equal(problems, 0);
		total_checked += verify_messages(mem, s, &bad);
		assert_int_equal(bad, 0);
		TALLOC_FREE(s);
	}
	print_message("%u kills, %u message checks, no damage\n", ROUNDS, total_checked);
	assert_true(total_checked > ROUNDS);

	/* negative control: damage a blob, the checks must notice */
	cmd = talloc_asprintf(mem, "%s/blobs", store_dir);
	blob = first_blob(mem, cmd);
	talloc_free(cmd);
	assert_non_null(blob);
	f = fopen(blob, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 100, SEEK_SET), 0);
	assert_int_equal(fputc(0x5A ^ 0xFF, f) == EOF, 0);
	fclose(f);
	assert_int_equal(local_store_open(mem, store_dir, &s), MAPISTORE_SUCCESS);
	assert_int_equal(local_fsck(s, false, &problems), MAPISTORE_ERR_CORRUPTED);
	assert_true(problems > 0);
	verify_messages(mem, s, &bad);
	assert_true(bad > 0);
	TALLOC_FREE(s);

	cmd = talloc_asprintf(mem, "rm -rf '%s'", data_path);
	assert_int_equal(system(cmd), 0);
	talloc_free(cmd);
	talloc_free(blob);
	talloc_free(store_dir);
	talloc_free(data_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kill9_during_saves, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

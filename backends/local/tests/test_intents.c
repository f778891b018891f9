/*
 * The crash window after a backend commit (mapistore_intents.c): a
 * deletion or read-state change that reached the local store but not the
 * change tracking is completed by the next context ([MS-OXCFXICS]
 * 2.2.1.1.4, 3.1.5.3: no sync state lost across a restart).
 *
 * The crash is reproduced exactly, not by a lucky kill: the test takes
 * the core's steps up to the backend commit (intent, then the backend
 * hook called directly) and drops the context without the tracking that
 * would follow. A deletion done the same way without an intent is the
 * negative control: nothing can tell it happened, so no tombstone.
 */
#include "oc_test.h"
#include "mapistore.h"
#include "mapistore_private.h"
#include "mapistore_changes.h"
#include "openchangedb.h"
#include "local_private.h"
#include "local_test_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PidTagSubjectC 0x0037001F

static void open_inbox(TALLOC_CTX *mem, struct local_test_fx *fx, struct mapistore_context **ctx_r,
	struct mapistore_folder **inbox_r)
{
	enum mapistore_error ret;

	assert_int_equal(mapistore_context_new(mem, &fx->cfg, "intents", ctx_r, NULL),
			 MAPISTORE_SUCCESS);
	if (!fx->provisioned) {
		assert_int_equal(openchangedb_provision_server(
			mapistore_context_get_openchangedb(*ctx_r), "S", "Org", "OU", NULL),
			MAPISTORE_SUCCESS);
		fx->provisioned = true;
	}
	ret = mapistore_folder_open_root(mem, *ctx_r, "local://intents/inbox/",
					 mapistore_fmid_make(1, 0x7000), inbox_r);
	if (ret != MAPISTORE_SUCCESS) {
		fprintf(stderr, "open_root: %s\n", mapistore_errstr(ret));
	}
	assert_int_equal(ret, MAPISTORE_SUCCESS);
}

static uint64_t new_message(TALLOC_CTX *mem, struct mapistore_folder *inbox)
{
	struct mapistore_property p = { .proptag = PidTagSubjectC,
					.value.str = discard_const_p(char, "intent") };
	struct mapistore_message *m = NULL;

	assert_int_equal(mapistore_message_create(mem, inbox, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), &p, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	return mapistore_message_get_mid(m);
}

static bool has_tombstone(TALLOC_CTX *mem, struct mapistore_context *ctx, uint64_t fid,
	uint64_t mid)
{
	struct mapistore_tombstone *t = NULL;
	uint32_t n = 0, i;
	uint64_t next = 0;
	bool more = false;

	assert_int_equal(mapistore_sync_deletions(mem, ctx, fid, NULL, 0, 0, 100, &t, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	for (i = 0; i < n; i++) {
		if (t[i].fmid == mid) {
			return true;
		}
	}
	return false;
}

static void test_replay_after_crash(void **state)
{
	struct local_test_fx *fx = local_test_fx_new(*state, "intents");
	TALLOC_CTX *mem = talloc_new(fx);
	struct mapistore_context *ctx = NULL;
	struct mapistore_folder *inbox = NULL;
	struct mapistore_message *m = NULL;
	struct mapistore_change *row = NULL;
	uint64_t mid_del, mid_ctl, mid_read, fid, old_read_cn, cn = 0;
	uint32_t replayed = 99;

	assert_non_null(fx);
	open_inbox(mem, fx, &ctx, &inbox);
	fid = mapistore_folder_get_fid(inbox);
	mid_del = new_message(mem, inbox);
	mid_ctl = new_message(mem, inbox);
	mid_read = new_message(mem, inbox);
	assert_int_equal(mapistore_changes_get(mem, ctx, mid_read, &row), MAPISTORE_SUCCESS);
	assert_false(row->read);
	old_read_cn = row->read_cn;

	/* "crash" 1: the deletion of mid_del reached the store, not the tracking */
	assert_int_equal(mapistore_intent_begin(ctx, MAPISTORE_INTENT_DELETE_MESSAGE, fid,
						&mid_del, 1, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_new_id(ctx, &cn), MAPISTORE_SUCCESS);
	assert_int_equal(inbox->obj.ops->folder_delete_messages(inbox->b, &mid_del, 1, true, cn),
			 MAPISTORE_SUCCESS);
	/* the control: the same, without the intent */
	assert_int_equal(inbox->obj.ops->folder_delete_messages(inbox->b, &mid_ctl, 1, true, cn),
			 MAPISTORE_SUCCESS);
	/* "crash" 2: mid_read marked read in the store, no read-state CN */
	assert_int_equal(mapistore_intent_begin(ctx, MAPISTORE_INTENT_READ_STATE, fid,
						&mid_read, 1, 0), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(mem, inbox, mid_read, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(m->obj.ops->message_set_read_flag(m->b, 0), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_false(has_tombstone(mem, ctx, fid, mid_del));
	talloc_free(ctx);   /* the process dies here: nothing more is written */

	/* the next context completes both from what the store holds */
	open_inbox(mem, fx, &ctx, &inbox);
	assert_true(has_tombstone(mem, ctx, fid, mid_del));
	assert_false(has_tombstone(mem, ctx, fid, mid_ctl));   /* lost without an intent */
	assert_int_equal(mapistore_changes_get(mem, ctx, mid_read, &row), MAPISTORE_SUCCESS);
	assert_true(row->read);
	assert_true(row->read_cn > old_read_cn);
	/* and nothing is left to replay */
	assert_int_equal(mapistore_intents_replay(ctx, &replayed), MAPISTORE_SUCCESS);
	assert_int_equal(replayed, 0);
	talloc_free(ctx);

	assert_true(local_test_fx_remove(fx));
	talloc_free(fx);
}

/* The normal paths leave no intent behind, and an intent for an operation
 * that never reached the store (the message is still there) is dropped
 * without a tombstone. */
static void test_normal_paths_and_unreached(void **state)
{
	struct local_test_fx *fx = local_test_fx_new(*state, "intents");
	TALLOC_CTX *mem = talloc_new(fx);
	struct mapistore_context *ctx = NULL;
	struct mapistore_folder *inbox = NULL;
	struct mapistore_message *m = NULL;
	uint64_t mids[3], fid;
	uint32_t replayed = 99;

	assert_non_null(fx);
	open_inbox(mem, fx, &ctx, &inbox);
	fid = mapistore_folder_get_fid(inbox);
	mids[0] = new_message(mem, inbox);
	mids[1] = new_message(mem, inbox);
	mids[2] = new_message(mem, inbox);
	assert_int_equal(mapistore_folder_delete_messages(inbox, mids, 1, false), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(mem, inbox, mids[1], true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_set_read_flag(m, 0), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_true(has_tombstone(mem, ctx, fid, mids[0]));
	assert_int_equal(mapistore_intents_replay(ctx, &replayed), MAPISTORE_SUCCESS);
	assert_int_equal(replayed, 0);

	/* an intent whose backend call never happened */
	assert_int_equal(mapistore_intent_begin(ctx, MAPISTORE_INTENT_DELETE_MESSAGE, fid,
						&mids[2], 1, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_intents_replay(ctx, &replayed), MAPISTORE_SUCCESS);
	assert_int_equal(replayed, 1);
	assert_false(has_tombstone(mem, ctx, fid, mids[2]));
	assert_int_equal(mapistore_message_open(mem, inbox, mids[2], false, &m), MAPISTORE_SUCCESS);
	talloc_free(m);
	talloc_free(ctx);

	assert_true(local_test_fx_remove(fx));
	talloc_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replay_after_crash, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_normal_paths_and_unreached, oc_test_setup,
						oc_test_teardown),
	};

	if (mapistore_local_backend_register() != MAPISTORE_SUCCESS) {
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

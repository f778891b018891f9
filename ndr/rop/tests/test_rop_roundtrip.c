/*
 * Round trip of every ROP of [MS-OXCROPS] 2.2: one cmocka test per RopId.
 * A representative request and every response variant (success, failure,
 * and the ReturnValue-dependent variants: RopLogon redirect ecWrongServer,
 * null-destination ecDstNullObject, ecServerBusy, ecWarnWithErrors; private
 * and public logon) are encoded, decoded, compared field by field and
 * re-encoded to identical bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_test.h"
#include "rop_sample.h"

struct rt_case {
	uint8_t rop_id;
	TALLOC_CTX *root;
};

static int rt_setup(void **state)
{
	struct rt_case *c = *state;

	c->root = talloc_named_const(NULL, 0, "rt_root");
	return c->root == NULL ? -1 : 0;
}

static int rt_teardown(void **state)
{
	struct rt_case *c = *state;
	void *root = c->root;

	return oc_test_teardown(&root);
}

static void check_request(TALLOC_CTX *mem, uint8_t rop_id, const struct sample_opts *o,
			  bool private_logon)
{
	const struct rop_info *info = &rop_info_table[rop_id];
	struct rop_request req, back;
	struct rop_ctx ctx;
	struct oxcdata_push p1, p2;
	struct oxcdata_pull pull;
	struct rop_walk walk;
	const char *diff;

	sample_request(mem, rop_id, o, &req);
	sample_ctx(&ctx, NULL, private_logon);
	oxcdata_push_init(&p1, mem);
	assert_int_equal(rop_request_push(&p1, &ctx, &req), ROP_OK);
	assert_true(p1.size >= info->pub.min_request_size);
	oxcdata_pull_init(&pull, mem, p1.data, p1.size);
	assert_int_equal(rop_request_pull(&pull, &ctx, &back), ROP_OK);
	assert_int_equal(pull.offset, p1.size);
	assert_int_equal(back.RopId, rop_id);
	assert_int_equal(back.LogonId, req.LogonId);
	walk = (struct rop_walk) { .ctx = &ctx, .logon_private = private_logon };
	diff = sample_compare(&walk, info->req.fields, info->req.nfields, &req.u, &back.u);
	if (diff != NULL) {
		fail_msg("%s request: field %s differs", info->pub.name, diff);
	}
	oxcdata_push_init(&p2, mem);
	assert_int_equal(rop_request_push(&p2, &ctx, &back), ROP_OK);
	assert_int_equal(p1.size, p2.size);
	assert_memory_equal(p1.data, p2.data, p1.size);
}

static void check_response(TALLOC_CTX *mem, uint8_t rop_id, const struct sample_opts *o)
{
	const struct rop_info *info = &rop_info_table[rop_id];
	struct rop_request req;
	struct rop_response resp, back;
	struct rop_ctx ctx;
	struct oxcdata_push p1, p2;
	struct oxcdata_pull pull;
	struct rop_walk walk;
	const char *diff;
	bool private_logon = (o->LogonFlags & 1) != 0;

	if (info->pub.has_request) {
		sample_request(mem, rop_id, o, &req);
	}
	sample_response(mem, rop_id, o, &resp);
	sample_ctx(&ctx, info->pub.has_request ? &req : NULL, private_logon);
	oxcdata_push_init(&p1, mem);
	assert_int_equal(rop_response_push(&p1, &ctx, &resp), ROP_OK);
	oxcdata_pull_init(&pull, mem, p1.data, p1.size);
	assert_int_equal(rop_response_pull(&pull, &ctx, &back), ROP_OK);
	assert_int_equal(pull.offset, p1.size);
	if (rop_id == RopGetMessageStatus) {
		/* [MS-OXCROPS] 2.2.6.9.2: answered with RopId 0x20 */
		assert_int_equal(back.RopId, RopSetMessageStatus);
		assert_int_equal(back.u.RopSetMessageStatus.MessageStatusFlags,
				 o->ReturnValue ? 0 : resp.u.RopGetMessageStatus.MessageStatusFlags);
	} else {
		assert_int_equal(back.RopId, rop_id);
		walk = (struct rop_walk) { .ctx = &ctx, .logon_private = private_logon };
		diff = sample_compare(&walk, info->resp.fields, info->resp.nfields,
				      &resp.u, &back.u);
		if (diff != NULL) {
			fail_msg("%s response (rv 0x%x): field %s differs", info->pub.name,
				 (unsigned)o->ReturnValue, diff);
		}
	}
	oxcdata_push_init(&p2, mem);
	assert_int_equal(rop_response_push(&p2, &ctx, &back), ROP_OK);
	assert_int_equal(p1.size, p2.size);
	assert_memory_equal(p1.data, p2.data, p1.size);
	/* failure responses carry only RopId, handle index and ReturnValue */
	if (o->ReturnValue == 0x80040102 && rop_id != RopNotify && rop_id != RopPending &&
	    rop_id != RopBackoff && rop_id != RopBufferTooSmall &&
	    rop_id != RopFastTransferDestinationPutBuffer &&
	    rop_id != RopFastTransferDestinationPutBufferExtended &&
	    rop_id != RopFastTransferSourceGetBuffer && rop_id != RopMoveCopyMessages &&
	    rop_id != RopMoveFolder && rop_id != RopCopyFolder && rop_id != RopDeleteFolder &&
	    rop_id != RopEmptyFolder && rop_id != RopHardDeleteMessagesAndSubfolders &&
	    rop_id != RopDeleteMessages && rop_id != RopHardDeleteMessages &&
	    rop_id != RopSetReadFlags) {
		assert_int_equal(p1.size, 6);
	}
}

/* ReturnValue-dependent variants beyond success and plain failure. */
static const struct {
	uint8_t rop_id;
	uint32_t rv;
	size_t size;    /* expected encoded size, 0 = not checked */
} special_variants[] = {
	{ RopLogon, ecWrongServer, 0 },
	{ RopMoveCopyMessages, ecDstNullObject, 11 },
	{ RopMoveFolder, ecDstNullObject, 11 },
	{ RopCopyFolder, ecDstNullObject, 11 },
	{ RopCopyProperties, ecDstNullObject, 10 },
	{ RopCopyTo, ecDstNullObject, 10 },
	{ RopCopyToStream, ecDstNullObject, 26 },
	{ RopFastTransferSourceGetBuffer, ecServerBusy, 10 },
	{ RopGetPropertyIdsFromNames, ecWarnWithErrors, 0 },
};

static void test_rop(void **state)
{
	struct rt_case *c = *state;
	const struct rop_info *info = &rop_info_table[c->rop_id];
	uint32_t seed;
	size_t i;

	for (seed = 0; seed < 2; seed++) {
		struct sample_opts priv = { .ReturnValue = 0, .LogonFlags = 0x01, .seed = seed };
		struct sample_opts pub = { .ReturnValue = 0, .LogonFlags = 0x00, .seed = seed };
		struct sample_opts fail = { .ReturnValue = 0x80040102, .LogonFlags = 1, .seed = seed };

		if (info->pub.has_request) {
			check_request(c->root, c->rop_id, &priv, true);
			check_request(c->root, c->rop_id, &pub, false);
		}
		if (info->pub.has_response) {
			check_response(c->root, c->rop_id, &priv);
			check_response(c->root, c->rop_id, &pub);
			check_response(c->root, c->rop_id, &fail);
		}
	}
	for (i = 0; i < sizeof(special_variants) / sizeof(special_variants[0]); i++) {
		struct sample_opts o = { .ReturnValue = special_variants[i].rv, .LogonFlags = 1 };
		struct rop_response resp;
		struct rop_ctx ctx;
		struct oxcdata_push push;

		if (special_variants[i].rop_id != c->rop_id) {
			continue;
		}
		check_response(c->root, c->rop_id, &o);
		if (special_variants[i].size == 0) {
			continue;
		}
		sample_response(c->root, c->rop_id, &o, &resp);
		sample_ctx(&ctx, NULL, true);
		oxcdata_push_init(&push, c->root);
		assert_int_equal(rop_response_push(&push, &ctx, &resp), ROP_OK);
		assert_int_equal(push.size, special_variants[i].size);
	}
	talloc_free_children(c->root);
}

int main(void)
{
	static struct rt_case cases[256];
	struct CMUnitTest tests[256];
	size_t n = 0;
	unsigned id;

	for (id = 0; id < 256; id++) {
		const struct rop_info_public *info = rop_info((uint8_t)id);

		if (info == NULL) {
			continue;
		}
		cases[n].rop_id = (uint8_t)id;
		tests[n] = (struct CMUnitTest) {
			.name = info->name, .test_func = test_rop,
			.setup_func = rt_setup, .teardown_func = rt_teardown,
			.initial_state = &cases[n],
		};
		n++;
	}
	if (n != ROP_COUNT) {
		fprintf(stderr, "rop table has %zu entries, expected %d\n", n, ROP_COUNT);
		return 1;
	}
	return _cmocka_run_group_tests("rop_roundtrip", tests, n, NULL, NULL);
}

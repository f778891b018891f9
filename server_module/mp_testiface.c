/*
 * mapiproxy_test: a test-only interface, registered only when
 * `dcerpc_mapiproxy:test_interface = yes` (default no; never in production).
 *
 * It exists to prove properties of the dispatch mechanism through a real
 * Samba: MpTestSleep holds a worker thread for a given time, so the tests can
 * show that a slow operation neither delays Samba's own interfaces on the
 * same event loop nor serializes two of our sessions. It is registered as
 * an interface with context handles, so Samba serves it from the one process
 * that also serves lsarpc, samr, EMSMDB and NSPI.
 *
 * Wire (NDR, little-endian), opnum 0:
 *   in:  uint32 msec            (capped at MP_TEST_SLEEP_MAX_MSEC)
 *   out: uint32 slept_msec, uint32 result
 * Its NDR is written by hand here, not generated: it is two integers, and
 * keeping it out of ndr/idl keeps test-only code out of the wire library.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <time.h>

#define MP_TEST_SLEEP_MAX_MSEC 10000

struct MpTestSleep {
	struct {
		uint32_t msec;
	} in;
	struct {
		uint32_t *slept_msec;
		uint32_t result;
	} out;
};

static enum ndr_err_code ndr_push_MpTestSleep(struct ndr_push *ndr,
					      int flags, const void *_r)
{
	const struct MpTestSleep *r = _r;

	if (flags & NDR_IN) {
		NDR_CHECK(ndr_push_uint32(ndr, NDR_SCALARS, r->in.msec));
	}
	if (flags & NDR_OUT) {
		if (r->out.slept_msec == NULL) {
			return ndr_push_error(ndr, NDR_ERR_INVALID_POINTER,
					      "NULL [ref] pointer");
		}
		NDR_CHECK(ndr_push_uint32(ndr, NDR_SCALARS, *r->out.slept_msec));
		NDR_CHECK(ndr_push_uint32(ndr, NDR_SCALARS, r->out.result));
	}
	return NDR_ERR_SUCCESS;
}

static enum ndr_err_code ndr_pull_MpTestSleep(struct ndr_pull *ndr,
					      int flags, void *_r)
{
	struct MpTestSleep *r = _r;

	if (flags & NDR_IN) {
		NDR_CHECK(ndr_pull_uint32(ndr, NDR_SCALARS, &r->in.msec));
		r->out.slept_msec = talloc_zero(ndr->current_mem_ctx, uint32_t);
		if (r->out.slept_msec == NULL) {
			return ndr_pull_error(ndr, NDR_ERR_ALLOC, "no memory");
		}
	}
	if (flags & NDR_OUT) {
		if (r->out.slept_msec == NULL) {
			r->out.slept_msec = talloc_zero(ndr->current_mem_ctx,
							uint32_t);
			if (r->out.slept_msec == NULL) {
				return ndr_pull_error(ndr, NDR_ERR_ALLOC,
						      "no memory");
			}
		}
		NDR_CHECK(ndr_pull_uint32(ndr, NDR_SCALARS, r->out.slept_msec));
		NDR_CHECK(ndr_pull_uint32(ndr, NDR_SCALARS, &r->out.result));
	}
	return NDR_ERR_SUCCESS;
}

static void ndr_print_MpTestSleep(struct ndr_print *ndr, const char *name,
				  int flags, const void *_r)
{
	const struct MpTestSleep *r = _r;

	ndr_print_struct(ndr, name, "MpTestSleep");
	ndr->depth++;
	if (flags & NDR_IN) {
		ndr_print_uint32(ndr, "msec", r->in.msec);
	}
	if (flags & NDR_OUT) {
		if (r->out.slept_msec != NULL) {
			ndr_print_uint32(ndr, "slept_msec", *r->out.slept_msec);
		}
		ndr_print_uint32(ndr, "result", r->out.result);
	}
	ndr->depth--;
}

static const struct ndr_interface_call mp_test_calls[] = {
	{
		"MpTestSleep",
		sizeof(struct MpTestSleep),
		ndr_push_MpTestSleep,
		ndr_pull_MpTestSleep,
		ndr_print_MpTestSleep,
		{ 0, NULL },
		{ 0, NULL },
	},
};

static const struct ndr_interface_table mp_test_table = {
	.name = "mapiproxy_test",
	.syntax_id = {
		/* 5c1a9f0e-6f3b-4c2e-9a57-0c68a3f7e201 */
		{ 0x5c1a9f0e, 0x6f3b, 0x4c2e, { 0x9a, 0x57 },
		  { 0x0c, 0x68, 0xa3, 0xf7, 0xe2, 0x01 } },
		1
	},
	.helpstring = "mapiproxy test-only interface",
	.num_calls = 1,
	.calls = mp_test_calls,
};

static NTSTATUS mp_test_sleep(struct mp_call *call, void *_r)
{
	struct MpTestSleep *r = _r;
	uint32_t msec = r->in.msec;
	struct timespec ts;

	if (msec > MP_TEST_SLEEP_MAX_MSEC) {
		msec = MP_TEST_SLEEP_MAX_MSEC;
	}
	ts.tv_sec = msec / 1000;
	ts.tv_nsec = (long)(msec % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0) {
		/* interrupted: sleep the rest */
	}
	*r->out.slept_msec = msec;
	r->out.result = 0;
	mp_log(MP_LOG_DEBUG, "MpTestSleep slept %u ms for %s", msec,
	       call->account_name ? call->account_name : "(anonymous)");
	return NT_STATUS_OK;
}

static const struct mp_op mp_test_ops[] = {
	{ "MpTestSleep", mp_test_sleep, 0 },
};

const struct mp_iface_def mp_iface_test = {
	.name = "mapiproxy_test",
	.table = &mp_test_table,
	.ops = mp_test_ops,
	.num_ops = ARRAY_SIZE(mp_test_ops),
	/* declared like EMSMDB and NSPI, so Samba serves it from the same
	 * single process, on the same event loop, as lsarpc and samr: what
	 * the stall test must prove is that this loop stays free */
	.uses_handles = true,
};

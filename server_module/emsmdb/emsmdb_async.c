/*
 * AsyncEMSMDB ([MS-OXCRPC] 3.3): EcDoAsyncConnectEx (opnum 14 of EMSMDB)
 * hands out an asynchronous context handle (ACXH) for a session;
 * EcDoAsyncWaitEx on the exchange_async_emsmdb interface parks until an
 * event is pending for that session or the wait times out.
 *
 * Everything here runs on the event loop (MP_OP_INLINE): a parked call
 * holds no worker thread (mp_call.deferred), only a timer. The ACXH is
 * ours, not a Samba context handle: the async interface runs on its own
 * connection, where Samba would not find an EMSMDB handle; it is looked up
 * in the session registry and dies with its session.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "emsmdb_glue.h"

#include <string.h>
#include <sys/random.h>

#include "exchange_emsmdb.h"
#include "exchange_async_emsmdb.h"
#include "ndr_exchange_async_emsmdb.h"
#include "emsmdb_errors.h"
#include "emsmdb_notify.h"

/* pulFlagsOut: NotificationPending */
#define EMSMDB_NOTIFICATION_PENDING 0x00000001
/* ACXH handle type, distinct from the CXH's */
#define EMSMDB_HANDLE_ACXH 2
/* [MS-OXCDATA] 2.4.1 ecRejected */
#define ecRejected 0x000007EE

struct emsmdb_async_waiter {
	struct mp_call *call;
	struct EcDoAsyncWaitEx *r;
	struct emsmdb_session *s;
	struct tevent_timer *timer;
};

static int emsmdb_waiter_destructor(struct emsmdb_async_waiter *w)
{
	if (w->s != NULL && w->s->waiter == w) {
		w->s->waiter = NULL;
	}
	return 0;
}

/* reply to a parked call; @w is freed with the call afterwards */
static void emsmdb_waiter_complete(struct emsmdb_async_waiter *w,
				   uint32_t flags, uint32_t ec)
{
	struct mp_call *call = w->call;

	if (w->s != NULL && w->s->waiter == w) {
		w->s->waiter = NULL;
	}
	w->s = NULL;
	TALLOC_FREE(w->timer);
	*w->r->out.pulFlagsOut = flags;
	w->r->out.result = ec;
	mp_call_complete(call, NT_STATUS_OK);
}

static void emsmdb_waiter_timeout(struct tevent_context *ev,
				  struct tevent_timer *te, struct timeval now,
				  void *private_data)
{
	struct emsmdb_async_waiter *w = private_data;

	w->timer = NULL;
	emsmdb_waiter_complete(w, 0, ecSuccess);
}

void emsmdb_async_notify(struct emsmdb_session *s)
{
	if (s->waiter != NULL) {
		emsmdb_waiter_complete(s->waiter, EMSMDB_NOTIFICATION_PENDING,
				       ecSuccess);
	}
}

void emsmdb_async_session_gone(struct emsmdb_session *s)
{
	if (s->waiter != NULL) {
		emsmdb_waiter_complete(s->waiter, 0, ecRejected);
	}
	s->has_async = false;
}

/* [MS-OXCRPC] 3.1.4.4 EcDoAsyncConnectEx (opnum 14): an ACXH for the
 * session of cxh */
NTSTATUS emsmdb_EcDoAsyncConnectEx(struct mp_call *call, void *_r)
{
	struct EcDoAsyncConnectEx *r = _r;
	struct emsmdb_session *s = emsmdb_glue_session_of(call, &r->in.cxh);

	memset(r->out.pacxh, 0, sizeof(*r->out.pacxh));
	if (s == NULL) {
		call->fault_code = DCERPC_FAULT_CONTEXT_MISMATCH;
		return NT_STATUS_INVALID_HANDLE;
	}
	if (!s->has_async) {
		if (getrandom(s->async_guid, sizeof(s->async_guid), 0) !=
		    (ssize_t)sizeof(s->async_guid)) {
			r->out.result = ecError;
			return NT_STATUS_OK;
		}
		s->has_async = true;
	}
	r->out.pacxh->handle_type = EMSMDB_HANDLE_ACXH;
	memcpy(&r->out.pacxh->uuid, s->async_guid, 16);
	r->out.result = ecSuccess;
	return NT_STATUS_OK;
}

/* [MS-OXCRPC] 3.3.4.1 EcDoAsyncWaitEx (opnum 0 of AsyncEMSMDB) */
static NTSTATUS emsmdb_EcDoAsyncWaitEx(struct mp_call *call, void *_r)
{
	struct EcDoAsyncWaitEx *r = _r;
	const struct emsmdb_config *cfg = emsmdb_glue_config(call);
	struct emsmdb_async_waiter *w;
	struct emsmdb_session *s;
	uint8_t guid[16];

	*r->out.pulFlagsOut = 0;
	memcpy(guid, &r->in.acxh.uuid, 16);
	s = emsmdb_registry_find_async(guid);
	if (s == NULL || r->in.acxh.handle_type != EMSMDB_HANDLE_ACXH) {
		call->fault_code = DCERPC_FAULT_CONTEXT_MISMATCH;
		return NT_STATUS_INVALID_HANDLE;
	}
	if (emsmdb_notify_pending(s)) {
		*r->out.pulFlagsOut = EMSMDB_NOTIFICATION_PENDING;
		r->out.result = ecSuccess;
		return NT_STATUS_OK;
	}
	if (s->waiter != NULL) {
		/* one outstanding wait per session: the older one gives way */
		emsmdb_waiter_complete(s->waiter, 0, ecRejected);
	}
	w = talloc_zero(call->mem_ctx, struct emsmdb_async_waiter);
	if (w == NULL) {
		r->out.result = ecMAPIOOM;
		return NT_STATUS_OK;
	}
	w->call = call;
	w->r = r;
	w->s = s;
	/* [MS-OXCRPC] 3.3.4.1: completes at the latest after 5 minutes */
	w->timer = tevent_add_timer(call->ev, w,
		timeval_current_ofs(cfg ? cfg->async_wait_secs : 300, 0),
		emsmdb_waiter_timeout, w);
	if (w->timer == NULL) {
		talloc_free(w);
		r->out.result = ecMAPIOOM;
		return NT_STATUS_OK;
	}
	talloc_set_destructor(w, emsmdb_waiter_destructor);
	s->waiter = w;
	call->deferred = true;
	return NT_STATUS_OK;
}

static const struct mp_op async_emsmdb_ops[] = {
	{ "EcDoAsyncWaitEx", emsmdb_EcDoAsyncWaitEx, MP_OP_INLINE },
};

const struct mp_iface_def mp_iface_async_emsmdb = {
	.name = "exchange_async_emsmdb",
	.table = &ndr_table_exchange_async_emsmdb,
	.ops = async_emsmdb_ops,
	.num_ops = ARRAY_SIZE(async_emsmdb_ops),
	.uses_handles = true,
};

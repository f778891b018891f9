/*
 * mapiproxy: the DCE/RPC endpoint server that serves Exchange's RPC
 * interfaces from inside the Samba AD DC.
 *
 * Internal header of server_module/, never installed.
 *
 * Layers (doc/architecture.md):
 *   mapiproxy_module.c  samba_init_module, the endpoint server, options, ABI
 *                       guard, interface registration
 *   mp_dispatch.c       the one dcesrv_interface implementation shared by all
 *                       our interfaces: NDR pull/push through the generated
 *                       tables, auth policy, and hand-off to the work queue
 *   mp_workq.c          worker threads: operations run off Samba's event loop,
 *                       serialized per session, completed on the loop
 *   mp_log.c            logging that is safe from worker threads
 *   rfr.c               [MS-OXABREF] handlers
 *   mp_testiface.c      a test-only interface (off unless configured)
 */
#ifndef MAPIPROXY_PRIVATE_H
#define MAPIPROXY_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

struct dcesrv_call_state;
struct dcesrv_connection_context;
struct dcesrv_interface;
struct ndr_interface_table;
struct tevent_context;
struct loadparm_context;
struct auth_session_info;
struct dcesrv_context;

/* MAPI status codes used by the handlers of this directory ([MS-OXCDATA] 2.4) */
#define MAPI_E_SUCCESS			0x00000000
#define MAPI_E_NO_SUPPORT		0x80040102
#define MAPI_E_NOT_FOUND		0x8004010F
#define MAPI_E_NOT_ENOUGH_MEMORY	0x8007000E
#define MAPI_E_INVALID_PARAMETER	0x80070057
#define MAPI_E_CALL_FAILED		0x80004005

/**
 * Read-only facts about this server, computed once at init_server on the
 * event loop and then shared, unmodified, with every worker thread.
 */
struct mp_server {
	char *netbios_name;	/* e.g. "OCDC" */
	char *fqdn;		/* lower-case "<netbios>.<dns domain>" */
	char *organization;	/* "First Organization" unless configured */
	char *admin_group;	/* "First Administrative Group" unless configured */
	unsigned worker_threads;
	bool allow_connect;	/* accept DCERPC_AUTH_LEVEL_CONNECT */
};

/** The process-wide server facts (set by init_server). */
const struct mp_server *mp_server_get(void);

/**
 * What a handler sees of one call. It lives on the worker thread for the
 * duration of the handler; everything in it was copied on the event loop
 * before the hand-off, so handlers never touch Samba's call state.
 */
struct mp_call {
	/* memory owned by this call's worker: allocate r->out data here */
	TALLOC_CTX *mem_ctx;
	const struct mp_server *server;
	const char *account_name;	/* authenticated account, may be NULL */
	const char *remote_address;	/* "ipv4:127.0.0.1:4711" style */
	uint32_t opnum;
	/* a handler sets this and returns an error to send a DCE/RPC fault */
	uint32_t fault_code;
	/*
	 * Set on the loop by the interface's serial_for_call (e.g. the
	 * session it pinned there), read by the handler, released by the
	 * interface's job_done on the loop: no extra loop round trip.
	 */
	void *iface_private;

	/*
	 * Samba's state for this call. LOOP ONLY: touch these only inside a
	 * function run by mp_loop_call() (or in an MP_OP_INLINE handler):
	 * context handles (dcesrv_handle_create/lookup), the caller's
	 * session info (for samdb_connect as that user), the event context.
	 */
	struct dcesrv_call_state *dce_call;
	struct auth_session_info *session_info;
	struct tevent_context *ev;
	struct loadparm_context *lp_ctx;

	/*
	 * An MP_OP_INLINE handler that must wait for an event (e.g.
	 * EcDoAsyncWaitEx waiting for a notification) sets this and returns;
	 * the reply is sent when it later calls mp_call_complete() on the
	 * loop. No worker thread is held while it waits.
	 */
	bool deferred;
};

/**
 * Finish a deferred call (see mp_call.deferred): sends the reply built in
 * r->out, or a fault if @status is not OK. Event loop only.
 */
void mp_call_complete(struct mp_call *call, NTSTATUS status);

/**
 * One operation of an interface.
 *
 * handler: runs on a worker thread (or inline, see MP_OP_INLINE). It fills
 * r->out; returning non-OK sends call->fault_code (or
 * DCERPC_FAULT_OP_RNG_ERROR if unset) as a DCE/RPC fault.
 */
typedef NTSTATUS (*mp_op_handler_fn)(struct mp_call *call, void *r);

#define MP_OP_INLINE	0x0001	/* cheap and non-blocking: run on the loop */

struct mp_op {
	const char *name;
	mp_op_handler_fn handler;	/* NULL: fault with DCERPC_FAULT_OP_RNG_ERROR */
	uint32_t flags;
};

/** An interface we serve: the generated NDR table plus our handlers. */
struct mp_iface_def {
	const char *name;	/* the dcerpc_mapiproxy:interfaces name */
	const struct ndr_interface_table *table;
	const struct mp_op *ops;	/* indexed by opnum */
	uint32_t num_ops;
	bool uses_handles;	/* context handles: Samba keeps it in one process */
	/*
	 * Optional, runs on the loop: the serialization domain of a call
	 * (e.g. the EMSMDB session its handle names). NULL, or a NULL
	 * result: one domain per connection.
	 */
	struct mp_serial *(*serial_for_call)(struct mp_call *call, void *r);
	/*
	 * Optional, runs on the loop once the handler has returned (before
	 * the reply is sent), for every call serial_for_call saw: releases
	 * what it set in call->iface_private.
	 */
	void (*job_done)(struct mp_call *call, void *r);
};

/* rfr.c */
extern const struct mp_iface_def mp_iface_rfr;
extern const struct mp_iface_def mp_iface_nspi;
/* emsmdb/emsmdb_rpc.c, emsmdb/emsmdb_async.c */
extern const struct mp_iface_def mp_iface_emsmdb;
extern const struct mp_iface_def mp_iface_async_emsmdb;
/* mp_testiface.c */
extern const struct mp_iface_def mp_iface_test;

/* mp_dispatch.c */
/**
 * Register @def on ncacn_ip_tcp with Samba's endpoint mapper.
 * @return NT_STATUS_OK, or the registration error (logged by the caller).
 */
NTSTATUS mp_iface_register(struct dcesrv_context *dce_ctx,
			   const struct mp_iface_def *def);

/* mp_workq.c */
struct mp_workq;
struct mp_serial;
struct mp_job;

/**
 * The work to do on a worker thread and the completion to run back on the
 * event loop. @run must only touch memory it owns (see struct mp_call).
 */
typedef void (*mp_job_run_fn)(void *private_data);
typedef void (*mp_job_done_fn)(void *private_data);

/**
 * The process's work queue, created on first use (after Samba's prefork:
 * threads do not survive fork), with n worker threads.
 * @return NULL on failure (logged); callers then run the job inline.
 */
struct mp_workq *mp_workq_get(struct tevent_context *ev, unsigned n_threads);

/**
 * A serialization domain: jobs submitted with the same mp_serial run one at
 * a time, in order. Allocated on @mem_ctx (a session or connection object);
 * freeing it while jobs are queued is safe: they still run.
 */
struct mp_serial *mp_serial_new(TALLOC_CTX *mem_ctx);

/**
 * Queue @run to execute on a worker thread, then @done on the event loop of
 * the queue. @job_ctx is a talloc object on the event loop that stays alive
 * until @done has run (the immediate is allocated on it).
 * @return false (nothing queued) on allocation failure.
 */
bool mp_workq_submit(struct mp_workq *wq, struct mp_serial *serial,
		     TALLOC_CTX *job_ctx, mp_job_run_fn run, mp_job_done_fn done,
		     void *private_data);

/**
 * From a worker thread: run @fn(@arg) on the event loop and wait for it.
 *
 * For the short, bounded pieces of work that must use the process's shared,
 * not thread-safe Samba state (sam.ldb through ldb, the session info, ...).
 * While the worker waits, @fn may allocate under the worker's mp_call
 * mem_ctx: ownership goes back to the worker when this returns. Keep @fn
 * small (bounded by a page of rows, not by the directory size): the loop
 * serves the whole DC. On the loop thread itself, @fn is simply called.
 */
void mp_loop_call(void (*fn)(void *arg), void *arg);

/* mp_log.c: logging that is safe on worker threads */
enum mp_log_level { MP_LOG_ERR = 0, MP_LOG_WARNING = 1, MP_LOG_NOTICE = 3,
		    MP_LOG_INFO = 5, MP_LOG_DEBUG = 10 };
/** The debug class registered for "mapiproxy" (DBGC_ALL before init). */
extern int mp_dbgc;
void mp_log_init(void);
/**
 * Log from any thread: on the event loop it goes to Samba's DEBUG at once;
 * on a worker thread it is queued and written by the loop when the job
 * completes (Samba's debug code is not thread-safe). Never log passwords.
 */
void mp_log(enum mp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Called once by each worker thread when it starts. */
void mp_log_mark_worker_thread(void);
/** Flush lines queued by worker threads (event loop only). */
void mp_log_flush(void);
/** True on the thread that loaded the module / runs the event loop. */
bool mp_on_loop_thread(void);

#endif /* MAPIPROXY_PRIVATE_H */

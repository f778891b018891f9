/*
 * EMSMDB <-> mapiproxy glue (emsmdb_rpc.c, emsmdb_async.c,
 * emsmdb_glue_config.c). Internal, needs Samba's headers before it.
 */
#ifndef EMSMDB_GLUE_H
#define EMSMDB_GLUE_H

#include <stdbool.h>

#include "emsmdb_session.h"

struct mp_call;
struct policy_handle;

/* context handle types (dcesrv_handle_create: unique per pipe) */
#define EMSMDB_HANDLE_CXH 1

/**
 * The process's EMSMDB configuration. Built on first use on the event
 * loop (from smb.conf and the mp_server facts); on a worker thread it
 * returns what the loop built (NULL before the first EcDoConnectEx).
 */
const struct emsmdb_config *emsmdb_glue_config(struct mp_call *call);

/**
 * Worker: find and pin the session of context handle @p (on the loop).
 * NULL with call->fault_code set when the handle is unknown.
 */
struct emsmdb_session *emsmdb_glue_pin(struct mp_call *call,
				       const struct policy_handle *p);
/** Worker: drop the pin; frees an orphaned session on the last one. */
void emsmdb_glue_unpin(struct emsmdb_session *s);

/** Loop only: the session of @p (no pin), or NULL. */
struct emsmdb_session *emsmdb_glue_session_of(struct mp_call *call,
					      const struct policy_handle *p);
bool emsmdb_glue_session_exists(struct mp_call *call,
				const struct policy_handle *p);

/* emsmdb_async.c */
/** Loop: a session is going away; complete its parked EcDoAsyncWaitEx. */
void emsmdb_async_session_gone(struct emsmdb_session *s);
/** Loop: an event is pending for @s; wake its EcDoAsyncWaitEx. */
void emsmdb_async_notify(struct emsmdb_session *s);
NTSTATUS emsmdb_EcDoAsyncConnectEx(struct mp_call *call, void *r);

#endif /* EMSMDB_GLUE_H */

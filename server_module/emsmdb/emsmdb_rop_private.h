/*
 * EMSMDB ROP dispatch internals: the table row format and what a ROP
 * handler sees. Internal to server_module/emsmdb, never installed.
 *
 * A handler is short and cites its spec section. The dispatcher has
 * already: decoded the request (ndr/rop), resolved the input handle and
 * checked its object type against the row, looked up the logon of
 * LogonId, and will: echo the handle index into the response, put the
 * handler's return value in ReturnValue, map call->out into the handle
 * table on success (or release it on failure), and encode the response
 * within the room left ([MS-OXCROPS] 3.1.4, 3.2.5).
 */
#ifndef EMSMDB_ROP_PRIVATE_H
#define EMSMDB_ROP_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "rop.h"
#include "emsmdb_errors.h"
#include "emsmdb_handles.h"
#include "emsmdb_session.h"

/** Input-type masks of table rows. */
#define EMSMDB_IN_LOGON		(1u << EMSMDB_OBJECT_LOGON)
#define EMSMDB_IN_FOLDER	(1u << EMSMDB_OBJECT_FOLDER)
#define EMSMDB_IN_MESSAGE	(1u << EMSMDB_OBJECT_MESSAGE)
#define EMSMDB_IN_ATTACHMENT	(1u << EMSMDB_OBJECT_ATTACHMENT)
#define EMSMDB_IN_TABLE		(1u << EMSMDB_OBJECT_TABLE)
#define EMSMDB_IN_STREAM	(1u << EMSMDB_OBJECT_STREAM)
/** Objects with properties ([MS-OXCPRPT] 1.3). */
#define EMSMDB_IN_PROPS (EMSMDB_IN_FOLDER | EMSMDB_IN_MESSAGE | EMSMDB_IN_ATTACHMENT)

/** An unused index column of a row. */
#define EMSMDB_NO_INDEX 0xFF

struct emsmdb_rop_call;

/**
 * A ROP handler: fills call->resp->u.<Rop> (all but the echoed handle
 * index and ReturnValue) and returns the ReturnValue ([MS-OXCDATA] 2.4).
 * Allocate response data on call->mem_ctx.
 */
typedef uint32_t (*emsmdb_rop_fn)(struct emsmdb_rop_call *call);

struct emsmdb_rop_row {
	emsmdb_rop_fn handler;		/* NULL: answer `unsupported` */
	uint32_t unsupported;		/* ecNotImplemented or ecNotSupported */
	uint32_t in_types;		/* EMSMDB_IN_* mask; 0: any object */
	uint32_t flags;			/* reserved, 0 */
	uint8_t in_index;		/* offset of the input handle index */
	uint8_t out_index;		/* offset of the output handle index */
	uint8_t resp_index;		/* offset of the index the response echoes */
};

/** Indexed by RopId; a row whose handler and unsupported are 0 is not a ROP. */
extern const struct emsmdb_rop_row emsmdb_rop_table[256];

/** What a handler sees of one ROP. */
struct emsmdb_rop_call {
	struct emsmdb_session *session;
	TALLOC_CTX *mem_ctx;		/* freed after the EcDoRpcExt2 call */
	const struct rop_request *req;
	struct rop_response *resp;
	/** The object of the input handle (NULL for RopLogon). */
	struct emsmdb_object *in;
	/** The logon of req->LogonId, NULL if none (RopLogon). */
	struct emsmdb_object *logon;
	/** Set by a handler that creates an object (emsmdb_rop_new_object). */
	struct emsmdb_object *out;
	/** The ServerObjectHandleTable, updated as ROPs run. */
	uint32_t *handles;
	uint32_t handle_count;
	/** Bytes the response of this ROP may take (QueryRows, ReadStream). */
	size_t space;
	/** Columns for encoding row data in the response (table ROPs). */
	const uint32_t *columns;
	uint32_t column_count;
};

/**
 * Create the output object of this ROP, opened from @parent (NULL for a
 * logon), and remember it as call->out. The dispatcher maps it into the
 * handle table if the handler then succeeds, and releases it otherwise.
 * @return 0, ecMaxObjsExceeded, ecMAPIOOM.
 */
uint32_t emsmdb_rop_new_object(struct emsmdb_rop_call *call,
			       enum emsmdb_object_type type,
			       struct emsmdb_object *parent,
			       struct emsmdb_object **obj_r);

/**
 * The object named by handle table entry @index (a second handle index,
 * e.g. DestHandleIndex), or NULL (ecNullObject / ecDstNullObject).
 */
struct emsmdb_object *emsmdb_rop_object_at(struct emsmdb_rop_call *call,
					   uint8_t index);

/** The emsmdb_logon state of call->logon (NULL if there is no logon). */
struct emsmdb_logon *emsmdb_rop_logon(struct emsmdb_rop_call *call);

/* dispatcher-owned handlers (emsmdb_rop_dispatch.c) */
uint32_t emsmdb_RopRelease(struct emsmdb_rop_call *call);

#endif /* EMSMDB_ROP_PRIVATE_H */

/*
 * The ROP dispatcher: executes one ROP request buffer ([MS-OXCROPS] 2.2.1)
 * against a session and builds the response buffer. Handle lookup, type
 * checks, response framing and buffer accounting live here only; the
 * handlers (oxc*.c) see a struct emsmdb_rop_call. Contract in emsmdb_rop.h.
 */
#include "emsmdb_rop.h"
#include "emsmdb_rop_private.h"

#include <string.h>

#include "emsmdb_log.h"
#include "emsmdb_notify.h"
#include "emsmdb_acl.h"

/* The first two fields of every ROP response that has a ReturnValue: the
 * echoed handle index, then ReturnValue ([MS-OXCROPS] 2.2). A unit test
 * checks this layout against every row of the table. */
struct emsmdb_resp_head {
	uint8_t HandleIndex;
	uint32_t ReturnValue;
};

uint32_t emsmdb_rop_new_object(struct emsmdb_rop_call *call,
			       enum emsmdb_object_type type,
			       struct emsmdb_object *parent,
			       struct emsmdb_object **obj_r)
{
	uint32_t ec;

	if (call->out != NULL) {
		/* one output object per ROP */
		return ecError;
	}
	ec = emsmdb_handles_add(call->session->handles, type, parent, obj_r);
	if (ec != ecSuccess) {
		return ec;
	}
	call->out = *obj_r;
	return ecSuccess;
}

struct emsmdb_object *emsmdb_rop_object_at(struct emsmdb_rop_call *call,
					   uint8_t index)
{
	if (index >= call->handle_count) {
		return NULL;
	}
	return emsmdb_handles_lookup(call->session->handles,
				     call->handles[index]);
}

struct emsmdb_logon *emsmdb_rop_logon(struct emsmdb_rop_call *call)
{
	if (call->logon == NULL) {
		return NULL;
	}
	return talloc_get_type(call->logon->private_data, struct emsmdb_logon);
}

/* [MS-OXCROPS] 2.2.15.3 / 3.2.5.3: no response, errors are ignored */
uint32_t emsmdb_RopRelease(struct emsmdb_rop_call *call)
{
	struct emsmdb_object *obj = call->in;
	struct emsmdb_session *s = call->session;

	if (obj->type == EMSMDB_OBJECT_LOGON) {
		struct emsmdb_logon *l = talloc_get_type(obj->private_data,
							 struct emsmdb_logon);

		if (l != NULL && s->logons[l->LogonId] == obj) {
			s->logons[l->LogonId] = NULL;
		}
	}
	emsmdb_handles_release(obj);
	return ecSuccess;
}

static uint32_t emsmdb_rop_execute(struct emsmdb_rop_call *call,
				   const struct emsmdb_rop_row *row)
{
	const uint8_t *reqb = (const uint8_t *)&call->req->u;
	struct emsmdb_acl_saved acl_saved;
	struct emsmdb_object *obj;
	uint32_t ec;

	if (row->handler == NULL) {
		return row->unsupported != 0 ? row->unsupported : ecNotImplemented;
	}
	call->logon = emsmdb_session_logon(call->session, call->req->LogonId);
	if (row->in_index != EMSMDB_NO_INDEX) {
		obj = emsmdb_rop_object_at(call, reqb[row->in_index]);
		if (obj == NULL) {
			return ecNullObject;
		}
		if (row->in_types != 0 &&
		    !(row->in_types & emsmdb_object_bit(obj->type))) {
			return ecNotSupported;
		}
		call->in = obj;
		/* the object's own logon is authoritative, whatever LogonId
		 * the client put beside it */
		call->logon = obj->logon;
	}
	if (row->out_index != EMSMDB_NO_INDEX &&
	    reqb[row->out_index] >= call->handle_count) {
		return ecInvalidParam;
	}
	/* a delegate logon's store and rights (emsmdb_acl.h) */
	ec = emsmdb_acl_enter(call, &acl_saved);
	if (ec == ecSuccess) {
		ec = row->handler(call);
	}
	emsmdb_acl_leave(call, &acl_saved);
	if (call->out != NULL) {
		if (ec == ecSuccess) {
			call->handles[reqb[row->out_index]] = call->out->handle;
		} else {
			emsmdb_handles_release(call->out);
			call->out = NULL;
		}
	}
	return ec;
}

static bool emsmdb_hook_logon_is_private(void *data, uint8_t logon_id)
{
	struct emsmdb_session *s = data;
	struct emsmdb_object *l = emsmdb_session_logon(s, logon_id);
	struct emsmdb_logon *logon;

	if (l == NULL) {
		return true;
	}
	logon = talloc_get_type(l->private_data, struct emsmdb_logon);
	return logon == NULL || logon->is_private;
}

static const struct rop_ctx_hooks emsmdb_rop_hooks = {
	.logon_is_private = emsmdb_hook_logon_is_private,
	.columns = NULL,
};

static void emsmdb_resp_set_head(struct rop_response *resp, uint8_t index,
				 uint32_t ec)
{
	uint8_t *p = (uint8_t *)&resp->u;

	memcpy(p + offsetof(struct emsmdb_resp_head, HandleIndex), &index, 1);
	memcpy(p + offsetof(struct emsmdb_resp_head, ReturnValue), &ec, 4);
}

/* the response carries only its head: a failed ROP, or one whose data
 * could not be encoded */
static void emsmdb_resp_reduce(struct rop_response *resp, uint32_t ec)
{
	uint8_t index = *(const uint8_t *)&resp->u;

	memset(&resp->u, 0, sizeof(resp->u));
	emsmdb_resp_set_head(resp, index, ec);
}

struct emsmdb_rop_run {
	struct emsmdb_session *s;
	TALLOC_CTX *frame;
	const uint8_t *in;
	uint16_t RopSize;
	uint32_t *handles;
	uint32_t handle_count;
	size_t max_list;		/* largest RopSize of the response */
	struct oxcdata_push push;
};

/*
 * Append RopBufferTooSmall for the requests from @req_start on
 * ([MS-OXCROPS] 2.2.15.1): returns false if even that does not fit.
 */
static bool emsmdb_push_too_small(struct emsmdb_rop_run *run, size_t req_start,
				  size_t needed)
{
	struct rop_response resp;
	struct rop_ctx ctx = { .codepage = run->s->cpid };

	memset(&resp, 0, sizeof(resp));
	if (needed > 0xFFFF) {
		needed = 0xFFFF;
	}
	if (rop_buffer_too_small(run->frame, (uint16_t)needed,
				 run->in + req_start,
				 (uint32_t)(run->RopSize - req_start),
				 &resp) != ROP_OK) {
		return false;
	}
	if (rop_response_push(&run->push, &ctx, &resp) != ROP_OK) {
		return false;
	}
	return run->push.size <= run->max_list;
}

/* one ROP: decode, execute, encode. ecSuccess, or a fatal error */
static uint32_t emsmdb_rop_one(struct emsmdb_rop_run *run,
			       struct oxcdata_pull *pull, bool *stop_r)
{
	struct rop_ctx ctx = {
		.codepage = run->s->cpid, .hooks = &emsmdb_rop_hooks,
		.hooks_data = run->s,
	};
	size_t start = pull->offset, before = run->push.size;
	const struct emsmdb_rop_row *row;
	struct emsmdb_rop_call call;
	struct rop_request *req;
	struct rop_response *resp;
	struct emsmdb_logon *logon;
	enum rop_err err;
	size_t needed;
	uint32_t ec;

	req = talloc_zero(run->frame, struct rop_request);
	resp = talloc_zero(run->frame, struct rop_response);
	if (req == NULL || resp == NULL) {
		return ecMAPIOOM;
	}
	err = rop_request_pull(pull, &ctx, req);
	if (err != ROP_OK) {
		emsmdb_log(EMSMDB_LOG_WARNING, "malformed ROP request at offset "
			   "%zu (RopId 0x%02x): %s", start,
			   start < run->RopSize ? run->in[start] : 0,
			   rop_err_str(err));
		return ecRpcFormat;
	}
	row = &emsmdb_rop_table[req->RopId];

	memset(&call, 0, sizeof(call));
	call.session = run->s;
	call.mem_ctx = run->frame;
	call.req = req;
	call.resp = resp;
	call.handles = run->handles;
	call.handle_count = run->handle_count;
	call.space = run->max_list > before ? run->max_list - before : 0;
	resp->RopId = req->RopId;
	ec = emsmdb_rop_execute(&call, row);
	emsmdb_log(EMSMDB_LOG_DEBUG, "%s -> 0x%08x",
		   rop_info(req->RopId) ? rop_info(req->RopId)->name : "?", ec);
	if (row->resp_index == EMSMDB_NO_INDEX) {
		return ecSuccess;	/* RopRelease */
	}
	emsmdb_resp_set_head(resp, ((const uint8_t *)&req->u)[row->resp_index], ec);

	ctx.request = req;
	ctx.columns = call.columns;
	ctx.column_count = call.column_count;
	logon = emsmdb_rop_logon(&call);
	ctx.logon_private = logon == NULL || logon->is_private;
	err = rop_response_push(&run->push, &ctx, resp);
	if (err != ROP_OK && err != ROP_ERR_TOO_BIG) {
		/* a handler produced something the wire cannot carry */
		emsmdb_log(EMSMDB_LOG_ERR, "cannot encode the %s response: %s",
			   rop_info(req->RopId)->name, rop_err_str(err));
		run->push.size = before;
		emsmdb_resp_reduce(resp, ecError);
		err = rop_response_push(&run->push, &ctx, resp);
	}
	if (err == ROP_OK && run->push.size <= run->max_list) {
		return ecSuccess;
	}
	/* [MS-OXCROPS] 2.2.15.1: the rest goes back to the client */
	needed = run->push.size + 4 * (size_t)run->handle_count;
	run->push.size = before;
	*stop_r = true;
	if (!emsmdb_push_too_small(run, start, needed)) {
		return ecBufferTooSmall;
	}
	return ecSuccess;
}

uint32_t emsmdb_rop_process(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    const uint8_t *in, size_t in_size, size_t max_out,
			    uint8_t **out_r, size_t *out_size_r)
{
	struct emsmdb_rop_run run;
	struct oxcdata_pull pull;
	uint32_t ec = ecSuccess, i;
	bool stop = false;

	*out_r = NULL;
	*out_size_r = 0;
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.in = in;
	if (in_size < 2) {
		return ecRpcFormat;
	}
	run.RopSize = (uint16_t)(in[0] | (in[1] << 8));
	if (run.RopSize < 2 || run.RopSize > in_size ||
	    (in_size - run.RopSize) % 4 != 0) {
		return ecRpcFormat;
	}
	run.handle_count = (uint32_t)((in_size - run.RopSize) / 4);
	if (2 + (size_t)run.handle_count * 4 > max_out) {
		return ecBufferTooSmall;
	}
	run.max_list = max_out - (size_t)run.handle_count * 4;
	if (run.max_list > 0xFFFF) {
		run.max_list = 0xFFFF;	/* RopSize is 16 bits */
	}
	run.frame = talloc_new(mem_ctx);
	if (run.frame == NULL) {
		return ecMAPIOOM;
	}
	run.handles = talloc_array(run.frame, uint32_t, run.handle_count + 1);
	if (run.handles == NULL) {
		ec = ecMAPIOOM;
		goto done;
	}
	for (i = 0; i < run.handle_count; i++) {
		const uint8_t *p = in + run.RopSize + 4 * i;

		run.handles[i] = (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
				 ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
	}

	oxcdata_pull_init(&pull, run.frame, in, run.RopSize);
	pull.codepage = s->cpid;
	pull.offset = 2;
	oxcdata_push_init(&run.push, run.frame);
	run.push.codepage = s->cpid;
	if (oxcdata_push_u16(&run.push, 0) != ROP_OK) {
		ec = ecMAPIOOM;
		goto done;
	}
	while (!stop && pull.offset < pull.size) {
		ec = emsmdb_rop_one(&run, &pull, &stop);
		if (ec != ecSuccess) {
			goto done;
		}
	}
	if (!stop) {
		/* [MS-OXCNOTIF] 3.2.5.1: pending events ride on the response */
		emsmdb_notify_flush(s, run.frame, &run.push, run.max_list);
	}
	oxcdata_push_patch_u16(&run.push, 0, (uint16_t)run.push.size);
	for (i = 0; i < run.handle_count; i++) {
		if (oxcdata_push_u32(&run.push, run.handles[i]) != ROP_OK) {
			ec = ecMAPIOOM;
			goto done;
		}
	}
	*out_r = talloc_steal(mem_ctx, run.push.data);
	*out_size_r = run.push.size;
done:
	talloc_free(run.frame);
	return ec;
}

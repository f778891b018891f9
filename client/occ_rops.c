/*
 * occ: typed ROP requests through EcDoRpcExt2 ([MS-OXCROPS] 2.2.1 buffers
 * encoded and decoded by the ndr/rop codec). Contract in occ.h.
 */
#include "occ_private.h"

#include <string.h>

uint32_t occ_rops(struct occ_session *s, TALLOC_CTX *mem_ctx,
		  struct rop_request *requests, uint32_t count,
		  uint32_t *handles, uint32_t handle_count,
		  struct rop_buffer **responses_r)
{
	struct rop_ctx ctx = { .codepage = s->params.codepage ?: 1252,
			       .logon_private = true };
	struct rop_buffer in, *out = NULL;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	uint8_t *buf = NULL, *reply = NULL;
	size_t len = 0, reply_len = 0;
	enum rop_err err;
	uint32_t ret;

	*responses_r = NULL;
	if (tmp == NULL) {
		return OCC_E_RPC;
	}
	memset(&in, 0, sizeof(in));
	in.count = count;
	in.requests = requests;
	in.handle_count = handle_count;
	in.ServerObjectHandleTable = handles;
	err = rop_buffer_encode_requests(tmp, &in, &ctx, &buf, &len);
	if (err != ROP_OK) {
		talloc_free(s->error);
		s->error = talloc_asprintf(s, "cannot encode the ROPs: %s",
					   rop_err_str(err));
		talloc_free(tmp);
		return OCC_E_DECODE;
	}
	ret = occ_rop_raw(s, tmp, buf, len, 0, &reply, &reply_len);
	if (ret != 0) {
		talloc_free(tmp);
		return ret;
	}
	err = rop_buffer_decode_responses(mem_ctx, reply, reply_len, &in, &ctx,
					  &out);
	if (err != ROP_OK) {
		talloc_free(s->error);
		s->error = talloc_asprintf(s, "cannot decode the reply: %s",
					   rop_err_str(err));
		talloc_free(tmp);
		return OCC_E_DECODE;
	}
	if (out->handle_count == handle_count && handle_count > 0) {
		memcpy(handles, out->ServerObjectHandleTable,
		       handle_count * sizeof(uint32_t));
	}
	talloc_free(tmp);
	while (!s->keep_notifications && out->count > count &&
	       (out->responses[out->count - 1].RopId == RopNotify ||
		out->responses[out->count - 1].RopId == RopPending)) {
		out->count--;	/* appended notifications (occ.h) */
	}
	*responses_r = out;
	return 0;
}

void occ_set_keep_notifications(struct occ_session *s, bool keep)
{
	s->keep_notifications = keep;
}

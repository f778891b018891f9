/*
 * ROP input and output buffers, [MS-OXCROPS] 2.2.1: RopSize (u16, counts
 * itself and RopsList), RopsList, then ServerObjectHandleTable (u32 each)
 * up to the end. Response buffers are bounded by the caller's maximum so
 * that the server can emit RopBufferTooSmall ([MS-OXCROPS] 2.2.15.1,
 * [MS-OXCRPC] 3.1.4.2.1.1.1).
 */
#include <string.h>

#include "rop_private.h"

static enum rop_err read_header(const uint8_t *data, size_t len, uint16_t *rop_size)
{
	if (len < 2) {
		return ROP_ERR_TRUNCATED;
	}
	*rop_size = (uint16_t)(data[0] | (data[1] << 8));
	if (*rop_size < 2) {
		return ROP_ERR_FORMAT;
	}
	if (*rop_size > len) {
		return ROP_ERR_TRUNCATED;
	}
	if ((len - *rop_size) % 4 != 0) {
		return ROP_ERR_FORMAT;
	}
	return ROP_OK;
}

static enum rop_err read_handles(struct rop_buffer *buf, const uint8_t *data, size_t len)
{
	struct oxcdata_pull pull;
	uint32_t i;

	buf->handle_count = (uint32_t)((len - buf->RopSize) / 4);
	if (buf->handle_count == 0) {
		return ROP_OK;
	}
	buf->ServerObjectHandleTable = talloc_array(buf, uint32_t, buf->handle_count);
	if (buf->ServerObjectHandleTable == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, buf, data + buf->RopSize, len - buf->RopSize);
	for (i = 0; i < buf->handle_count; i++) {
		oxcdata_pull_u32(&pull, &buf->ServerObjectHandleTable[i]);
	}
	return ROP_OK;
}

/* Grow an array of elem_size elements geometrically. */
static enum rop_err grow(struct rop_buffer *buf, void **arr, uint32_t count, size_t *alloc,
			 size_t elem_size)
{
	void *p;

	if (count < *alloc) {
		return ROP_OK;
	}
	*alloc = *alloc ? *alloc * 2 : 16;
	p = talloc_realloc_size(buf, *arr, *alloc * elem_size);
	if (p == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	*arr = p;
	return ROP_OK;
}

enum rop_err rop_buffer_decode_requests(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
					const struct rop_ctx *ctx, struct rop_buffer **out,
					size_t *failed_offset_r)
{
	struct rop_buffer *buf;
	struct oxcdata_pull pull;
	enum rop_err err;
	size_t alloc = 0;
	void *arr = NULL;

	*out = NULL;
	buf = talloc_zero(mem_ctx, struct rop_buffer);
	if (buf == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	err = read_header(data, len, &buf->RopSize);
	if (err != ROP_OK) {
		goto done;
	}
	oxcdata_pull_init(&pull, buf, data, buf->RopSize);
	if (ctx != NULL && ctx->codepage != 0) {
		pull.codepage = ctx->codepage;
	}
	pull.offset = 2;
	while (pull.offset < pull.size) {
		size_t start = pull.offset;

		err = grow(buf, &arr, buf->count, &alloc, sizeof(struct rop_request));
		if (err != ROP_OK) {
			goto done;
		}
		buf->requests = arr;
		err = rop_request_pull(&pull, ctx, &buf->requests[buf->count]);
		if (err != ROP_OK) {
			if (failed_offset_r != NULL) {
				*failed_offset_r = start;
			}
			goto done;
		}
		buf->count++;
	}
	err = read_handles(buf, data, len);
done:
	if (err != ROP_OK) {
		talloc_free(buf);
		return err;
	}
	*out = buf;
	return ROP_OK;
}

static enum rop_err finish(struct oxcdata_push *push, const struct rop_buffer *in,
			   uint8_t **out, size_t *len_r)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (push->size > UINT16_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	oxcdata_push_patch_u16(push, 0, (uint16_t)push->size);
	if (in->handle_count > 0 && in->ServerObjectHandleTable == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < in->handle_count; i++) {
		err = oxcdata_push_u32(push, in->ServerObjectHandleTable[i]);
	}
	if (err != ROP_OK) {
		return err;
	}
	*out = push->data;
	*len_r = push->size;
	return ROP_OK;
}

enum rop_err rop_buffer_encode_requests(TALLOC_CTX *mem_ctx, const struct rop_buffer *in,
					const struct rop_ctx *ctx, uint8_t **out, size_t *len_r)
{
	struct oxcdata_push push;
	enum rop_err err;
	uint32_t i;

	*out = NULL;
	*len_r = 0;
	oxcdata_push_init(&push, mem_ctx);
	if (ctx != NULL && ctx->codepage != 0) {
		push.codepage = ctx->codepage;
	}
	err = oxcdata_push_u16(&push, 0);
	for (i = 0; err == ROP_OK && i < in->count; i++) {
		err = rop_request_push(&push, ctx, &in->requests[i]);
	}
	if (err == ROP_OK) {
		err = finish(&push, in, out, len_r);
	}
	if (err != ROP_OK) {
		talloc_free(push.data);
	}
	return err;
}

enum rop_err rop_buffer_encode_responses(TALLOC_CTX *mem_ctx, const struct rop_buffer *in,
					 const struct rop_request *const *requests,
					 const struct rop_ctx *ctx, size_t max_size,
					 uint8_t **out, size_t *len_r, uint32_t *encoded_r)
{
	struct oxcdata_push push;
	struct rop_ctx one = { 0 };
	size_t handles = (size_t)in->handle_count * 4;
	enum rop_err err;
	uint32_t i;

	*out = NULL;
	*len_r = 0;
	*encoded_r = 0;
	if (max_size == 0) {
		max_size = UINT16_MAX + handles;
	}
	if (ctx != NULL) {
		one = *ctx;
	}
	oxcdata_push_init(&push, mem_ctx);
	if (one.codepage != 0) {
		push.codepage = one.codepage;
	}
	err = oxcdata_push_u16(&push, 0);
	for (i = 0; err == ROP_OK && i < in->count; i++) {
		size_t before = push.size;

		if (requests != NULL) {
			one.request = requests[i];
		}
		err = rop_response_push(&push, &one, &in->responses[i]);
		if (err != ROP_OK) {
			break;
		}
		if (push.size > UINT16_MAX || push.size + handles > max_size) {
			push.size = before;     /* does not fit: stop before it */
			break;
		}
		*encoded_r = i + 1;
	}
	if (err == ROP_OK && push.size + handles > max_size) {
		err = ROP_ERR_TOO_BIG;  /* not even the header and handles fit */
	}
	if (err == ROP_OK) {
		err = finish(&push, in, out, len_r);
	}
	if (err != ROP_OK) {
		talloc_free(push.data);
		*encoded_r = 0;
	}
	return err;
}

enum rop_err rop_buffer_too_small(TALLOC_CTX *mem_ctx, uint16_t size_needed,
				  const uint8_t *request_bytes, uint32_t request_len,
				  struct rop_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->RopId = RopBufferTooSmall;
	resp->u.RopBufferTooSmall.SizeNeeded = size_needed;
	resp->u.RopBufferTooSmall.RequestBuffersSize = request_len;
	if (request_len == 0) {
		return ROP_OK;
	}
	resp->u.RopBufferTooSmall.RequestBuffers = talloc_memdup(mem_ctx, request_bytes,
								 request_len);
	return resp->u.RopBufferTooSmall.RequestBuffers ? ROP_OK : ROP_ERR_NO_MEMORY;
}

static bool standalone_response(uint8_t rop_id)
{
	return rop_id == RopNotify || rop_id == RopPending || rop_id == RopBackoff ||
	       rop_id == RopBufferTooSmall;
}

static bool answers(const struct rop_request *req, uint8_t resp_id)
{
	return req->RopId == resp_id ||
	       (req->RopId == RopGetMessageStatus && resp_id == RopSetMessageStatus);
}

/* Columns for a table ROP: an earlier RopSetColumns on the same handle index, else the hook. */
struct column_map {
	const uint32_t *tags[256];
	uint32_t count[256];
	bool known[256];
};

static void columns_for(const struct rop_ctx *base, struct column_map *map,
			const struct rop_request *req, uint32_t notification_handle,
			struct rop_ctx *one)
{
	const uint32_t *tags = NULL;
	uint32_t count = 0;
	uint8_t h = 0;
	bool table_rop = false;

	one->columns = base->columns;
	one->column_count = base->column_count;
	if (req != NULL) {
		switch (req->RopId) {
		case RopQueryRows:
			h = req->u.RopQueryRows.InputHandleIndex;
			table_rop = true;
			break;
		case RopFindRow:
			h = req->u.RopFindRow.InputHandleIndex;
			table_rop = true;
			break;
		case RopExpandRow:
			h = req->u.RopExpandRow.InputHandleIndex;
			table_rop = true;
			break;
		default:
			break;
		}
		if (table_rop && map->known[h]) {
			one->columns = map->tags[h];
			one->column_count = map->count[h];
			return;
		}
	}
	if (base->hooks != NULL && base->hooks->columns != NULL &&
	    base->hooks->columns(base->hooks_data, req, notification_handle, &tags, &count)) {
		one->columns = tags;
		one->column_count = count;
	}
}

enum rop_err rop_buffer_decode_responses(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
					 const struct rop_buffer *requests,
					 const struct rop_ctx *ctx, struct rop_buffer **out)
{
	static const struct rop_ctx empty;
	struct column_map *map = NULL;
	struct rop_buffer *buf;
	struct oxcdata_pull pull;
	enum rop_err err;
	uint32_t req_idx = 0;
	size_t alloc = 0;
	void *arr = NULL;

	*out = NULL;
	if (ctx == NULL) {
		ctx = &empty;
	}
	buf = talloc_zero(mem_ctx, struct rop_buffer);
	map = talloc_zero(buf, struct column_map);
	if (buf == NULL || map == NULL) {
		talloc_free(buf);
		return ROP_ERR_NO_MEMORY;
	}
	err = read_header(data, len, &buf->RopSize);
	if (err != ROP_OK) {
		goto done;
	}
	oxcdata_pull_init(&pull, buf, data, buf->RopSize);
	if (ctx->codepage != 0) {
		pull.codepage = ctx->codepage;
	}
	pull.offset = 2;
	while (pull.offset < pull.size) {
		uint8_t rop_id = data[pull.offset];
		struct rop_ctx one = *ctx;
		const struct rop_request *req = NULL;
		uint32_t nh = 0;

		if (standalone_response(rop_id)) {
			if (rop_id == RopNotify && pull.size - pull.offset >= 5) {
				nh = (uint32_t)data[pull.offset + 1] | ((uint32_t)data[pull.offset + 2] << 8) |
				     ((uint32_t)data[pull.offset + 3] << 16) |
				     ((uint32_t)data[pull.offset + 4] << 24);
			}
		} else {
			/* requests without a response (RopRelease) are skipped */
			while (requests != NULL && req_idx < requests->count) {
				const struct rop_request *r = &requests->requests[req_idx++];
				const struct rop_info_public *info = rop_info(r->RopId);

				if (r->RopId == RopSetColumns) {
					uint8_t h = r->u.RopSetColumns.InputHandleIndex;

					map->tags[h] = r->u.RopSetColumns.PropertyTags;
					map->count[h] = r->u.RopSetColumns.PropertyTagCount;
					map->known[h] = true;
				}
				if (info != NULL && info->has_response) {
					req = r;
					break;
				}
			}
			if (requests != NULL && (req == NULL || !answers(req, rop_id))) {
				err = ROP_ERR_FORMAT;   /* response does not match the requests */
				goto done;
			}
		}
		one.request = req;
		columns_for(ctx, map, req, nh, &one);
		err = grow(buf, &arr, buf->count, &alloc, sizeof(struct rop_response));
		if (err != ROP_OK) {
			goto done;
		}
		buf->responses = arr;
		err = rop_response_pull(&pull, &one, &buf->responses[buf->count]);
		if (err != ROP_OK) {
			goto done;
		}
		buf->count++;
	}
	err = read_handles(buf, data, len);
done:
	if (err != ROP_OK) {
		talloc_free(buf);
		return err;
	}
	TALLOC_FREE(map);
	*out = buf;
	return ROP_OK;
}

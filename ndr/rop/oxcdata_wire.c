/*
 * Little-endian packed primitives for ROP buffers ([MS-OXCROPS] 2.2.1).
 */
#include <string.h>

#include "oxcdata_wire.h"

static const char *const rop_err_text[] = {
	[ROP_OK] = "success",
	[ROP_ERR_TRUNCATED] = "buffer truncated",
	[ROP_ERR_BAD_COUNT] = "count exceeds the remaining bytes",
	[ROP_ERR_UNKNOWN_ROP] = "unknown RopId",
	[ROP_ERR_BAD_PROPTYPE] = "unknown property type",
	[ROP_ERR_BAD_RESTRICTION] = "unknown restriction type",
	[ROP_ERR_DEPTH] = "nesting too deep",
	[ROP_ERR_BAD_STRING] = "malformed string",
	[ROP_ERR_FORMAT] = "malformed structure",
	[ROP_ERR_CONTEXT] = "decoding context missing",
	[ROP_ERR_NO_MEMORY] = "out of memory",
	[ROP_ERR_TOO_BIG] = "value too big for its wire field",
	[ROP_ERR_INVALID] = "inconsistent structure",
};

const char *rop_err_str(enum rop_err err)
{
	if ((size_t)err >= sizeof(rop_err_text) / sizeof(rop_err_text[0]) ||
	    rop_err_text[err] == NULL) {
		return "unknown error";
	}
	return rop_err_text[err];
}

void oxcdata_pull_init(struct oxcdata_pull *pull, TALLOC_CTX *mem_ctx,
		       const uint8_t *data, size_t size)
{
	*pull = (struct oxcdata_pull) {
		.data = data, .size = size, .mem_ctx = mem_ctx,
		.codepage = OXCDATA_CP_1252,
	};
}

void oxcdata_push_init(struct oxcdata_push *push, TALLOC_CTX *mem_ctx)
{
	*push = (struct oxcdata_push) {
		.mem_ctx = mem_ctx, .codepage = OXCDATA_CP_1252,
	};
}

enum rop_err oxcdata_pull_check_count(const struct oxcdata_pull *pull,
				      uint64_t count, size_t min_elem)
{
	uint64_t remaining = oxcdata_pull_remaining(pull);

	if (min_elem == 0) {
		min_elem = 1;
	}
	if (count > remaining / min_elem) {
		return ROP_ERR_BAD_COUNT;
	}
	return ROP_OK;
}

static enum rop_err pull_need(const struct oxcdata_pull *pull, size_t n)
{
	return oxcdata_pull_remaining(pull) < n ? ROP_ERR_TRUNCATED : ROP_OK;
}

enum rop_err oxcdata_pull_u8(struct oxcdata_pull *pull, uint8_t *v)
{
	if (pull_need(pull, 1) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	*v = pull->data[pull->offset++];
	return ROP_OK;
}

enum rop_err oxcdata_pull_u16(struct oxcdata_pull *pull, uint16_t *v)
{
	const uint8_t *p = pull->data + pull->offset;

	if (pull_need(pull, 2) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	*v = (uint16_t)(p[0] | (p[1] << 8));
	pull->offset += 2;
	return ROP_OK;
}

enum rop_err oxcdata_pull_u32(struct oxcdata_pull *pull, uint32_t *v)
{
	const uint8_t *p = pull->data + pull->offset;

	if (pull_need(pull, 4) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	*v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	     ((uint32_t)p[3] << 24);
	pull->offset += 4;
	return ROP_OK;
}

enum rop_err oxcdata_pull_u64(struct oxcdata_pull *pull, uint64_t *v)
{
	uint32_t lo, hi;

	if (pull_need(pull, 8) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	oxcdata_pull_u32(pull, &lo);
	oxcdata_pull_u32(pull, &hi);
	*v = ((uint64_t)hi << 32) | lo;
	return ROP_OK;
}

enum rop_err oxcdata_pull_bytes(struct oxcdata_pull *pull, uint8_t *dst, size_t n)
{
	if (pull_need(pull, n) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	if (n > 0) {
		memcpy(dst, pull->data + pull->offset, n);
	}
	pull->offset += n;
	return ROP_OK;
}

enum rop_err oxcdata_pull_blob(struct oxcdata_pull *pull, size_t n, uint8_t **out)
{
	*out = NULL;
	if (pull_need(pull, n) != ROP_OK) {
		return ROP_ERR_TRUNCATED;
	}
	if (n == 0) {
		return ROP_OK;
	}
	*out = talloc_memdup(pull->mem_ctx, pull->data + pull->offset, n);
	if (*out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	pull->offset += n;
	return ROP_OK;
}

enum rop_err oxcdata_pull_str8(struct oxcdata_pull *pull, char **out, size_t *raw_len_r)
{
	const uint8_t *start = pull->data + pull->offset;
	const uint8_t *nul = memchr(start, 0, oxcdata_pull_remaining(pull));
	size_t len;

	*out = NULL;
	if (nul == NULL) {
		return ROP_ERR_BAD_STRING;
	}
	len = (size_t)(nul - start);
	*out = talloc_strndup(pull->mem_ctx, (const char *)start, len);
	if (*out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	if (raw_len_r != NULL) {
		*raw_len_r = len;
	}
	pull->offset += len + 1;
	return ROP_OK;
}

enum rop_err oxcdata_pull_str16(struct oxcdata_pull *pull, char **out)
{
	size_t remaining = oxcdata_pull_remaining(pull);
	const uint8_t *start = pull->data + pull->offset;
	size_t i;

	*out = NULL;
	for (i = 0; i + 1 < remaining; i += 2) {
		if (start[i] == 0 && start[i + 1] == 0) {
			enum rop_err err = oxcdata_utf16_to_utf8(pull->mem_ctx, start, i, out);

			if (err != ROP_OK) {
				return err;
			}
			pull->offset += i + 2;
			return ROP_OK;
		}
	}
	return ROP_ERR_BAD_STRING;
}

static enum rop_err push_reserve(struct oxcdata_push *push, size_t n)
{
	size_t need = push->size + n;
	uint8_t *p;
	size_t alloc;

	if (need < push->size) {
		return ROP_ERR_TOO_BIG;
	}
	if (need <= push->alloc) {
		return ROP_OK;
	}
	alloc = push->alloc ? push->alloc : 256;
	while (alloc < need) {
		alloc *= 2;
	}
	p = talloc_realloc(push->mem_ctx, push->data, uint8_t, alloc);
	if (p == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	push->data = p;
	push->alloc = alloc;
	return ROP_OK;
}

enum rop_err oxcdata_push_bytes(struct oxcdata_push *push, const uint8_t *src, size_t n)
{
	enum rop_err err;

	if (n == 0) {
		return ROP_OK;
	}
	if (src == NULL) {
		return ROP_ERR_INVALID;
	}
	err = push_reserve(push, n);
	if (err != ROP_OK) {
		return err;
	}
	memcpy(push->data + push->size, src, n);
	push->size += n;
	return ROP_OK;
}

enum rop_err oxcdata_push_u8(struct oxcdata_push *push, uint8_t v)
{
	return oxcdata_push_bytes(push, &v, 1);
}

enum rop_err oxcdata_push_u16(struct oxcdata_push *push, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	return oxcdata_push_bytes(push, b, 2);
}

enum rop_err oxcdata_push_u32(struct oxcdata_push *push, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	return oxcdata_push_bytes(push, b, 4);
}

enum rop_err oxcdata_push_u64(struct oxcdata_push *push, uint64_t v)
{
	enum rop_err err = oxcdata_push_u32(push, (uint32_t)v);

	if (err != ROP_OK) {
		return err;
	}
	return oxcdata_push_u32(push, (uint32_t)(v >> 32));
}

enum rop_err oxcdata_push_str8(struct oxcdata_push *push, const char *s)
{
	if (s == NULL) {
		return ROP_OK;
	}
	return oxcdata_push_bytes(push, (const uint8_t *)s, strlen(s) + 1);
}

enum rop_err oxcdata_push_str16(struct oxcdata_push *push, const char *s)
{
	uint8_t *u16 = NULL;
	size_t n = 0;
	enum rop_err err;

	if (s == NULL) {
		return ROP_OK;
	}
	err = oxcdata_utf8_to_utf16(push->mem_ctx, s, &u16, &n);
	if (err != ROP_OK) {
		return err;
	}
	err = oxcdata_push_bytes(push, u16, n);
	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, 0);
	}
	talloc_free(u16);
	return err;
}

void oxcdata_push_patch_u16(struct oxcdata_push *push, size_t at, uint16_t v)
{
	push->data[at] = (uint8_t)v;
	push->data[at + 1] = (uint8_t)(v >> 8);
}

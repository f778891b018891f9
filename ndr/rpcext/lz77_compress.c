/*
 * OpenChange: Plain LZ77 compression, [MS-XCA] 2.3.
 *
 * Greedy parse with one-step lazy evaluation over a hash-chain match
 * finder. Chains are walked at most
 * LZ77_MAX_CHAIN steps and never beyond the 8192-byte window, so the
 * cost per input byte is bounded. The encoding of each match (the
 * 3-bit / shared-nibble / byte / uint16 / uint32 length escapes) follows
 * the pseudocode of [MS-XCA] 2.3.4 exactly, which is why the spec's own
 * examples come out byte for byte.
 */
#include <stdbool.h>

#include "rpcext_lz77.h"
#include "rpcext_private.h"

#define LZ77_HASH_BITS 15
#define LZ77_HASH_SIZE (1u << LZ77_HASH_BITS)
#define LZ77_WINDOW_MASK (RPCEXT_LZ77_WINDOW - 1)
#define LZ77_MAX_CHAIN 32
#define LZ77_MIN_MATCH 3
#define LZ77_LAZY_MAX 32

/*
 * Positions are stored "virtual": base + index into the current input.
 * Each call moves base past everything stored by the previous call, so
 * stale entries are recognised (< base) without clearing the tables.
 */
struct rpcext_lz77_ctx {
	uint32_t base;
	uint32_t head[LZ77_HASH_SIZE];
	uint32_t prev[RPCEXT_LZ77_WINDOW];
};

struct lz77_out {
	uint8_t *buf;
	size_t max;
	size_t pos;
	size_t flag_pos;
	uint32_t flags;
	unsigned flag_count;
	size_t half;		/* position of a half-used nibble byte, 0 = none */
};

struct rpcext_lz77_ctx *rpcext_lz77_ctx_new(TALLOC_CTX *mem_ctx)
{
	struct rpcext_lz77_ctx *ctx = talloc_zero(mem_ctx, struct rpcext_lz77_ctx);

	if (ctx != NULL) {
		ctx->base = 1;
	}
	return ctx;
}

size_t rpcext_lz77_compress_bound(size_t in_size)
{
	return 4 + in_size + 4 * (in_size / 32);
}

static inline uint32_t lz77_hash(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);

	return (v * UINT32_C(2654435761)) >> (32 - LZ77_HASH_BITS);
}

static inline size_t lz77_common(const uint8_t *a, const uint8_t *b, size_t max)
{
	size_t n = 0;

	while (max - n >= 8) {
		uint64_t x, y;

		memcpy(&x, a + n, 8);
		memcpy(&y, b + n, 8);
		if (x != y) {
			return n + (size_t)(__builtin_ctzll(x ^ y) >> 3);
		}
		n += 8;
	}
	while (n < max && a[n] == b[n]) {
		n++;
	}
	return n;
}

static inline void lz77_insert(struct rpcext_lz77_ctx *ctx, const uint8_t *in,
			       size_t i)
{
	uint32_t h = lz77_hash(in + i);
	uint32_t v = ctx->base + (uint32_t)i;

	ctx->prev[v & LZ77_WINDOW_MASK] = ctx->head[h];
	ctx->head[h] = v;
}

/* Longest match for position i; inserts i into the chains. */
static size_t lz77_find(struct rpcext_lz77_ctx *ctx, const uint8_t *in,
			size_t n, size_t i, size_t *dist_r)
{
	uint32_t h = lz77_hash(in + i);
	uint32_t v = ctx->base + (uint32_t)i;
	uint32_t cand = ctx->head[h];
	size_t best = 0, max = n - i;
	unsigned depth = LZ77_MAX_CHAIN;

	ctx->prev[v & LZ77_WINDOW_MASK] = cand;
	ctx->head[h] = v;

	while (cand >= ctx->base && cand < v && depth-- > 0) {
		size_t ci = cand - ctx->base;
		size_t len;
		uint32_t next;

		if (i - ci > RPCEXT_LZ77_WINDOW) {
			break;
		}
		if (in[ci + best] == in[i + best]) {
			len = lz77_common(in + ci, in + i, max);
			if (len > best) {
				best = len;
				*dist_r = i - ci;
				if (len == max) {
					break;
				}
			}
		}
		next = ctx->prev[cand & LZ77_WINDOW_MASK];
		if (next >= cand) {
			break;
		}
		cand = next;
	}
	return best;
}

/* Count one symbol; when 32 are buffered, flush and reserve the next word. */
static enum rpcext_error lz77_next_flag(struct lz77_out *o, uint32_t bit)
{
	o->flags = (o->flags << 1) | bit;
	o->flag_count++;
	if (o->flag_count < 32) {
		return RPCEXT_OK;
	}
	rpcext_put_le32(o->buf + o->flag_pos, o->flags);
	if (o->max - o->pos < 4) {
		return RPCEXT_ERR_NO_SPACE;
	}
	o->flag_pos = o->pos;
	o->pos += 4;
	o->flags = 0;
	o->flag_count = 0;
	return RPCEXT_OK;
}

/* Encode a match of length len (>= 3) at distance dist, [MS-XCA] 2.3.4. */
static enum rpcext_error lz77_put_match(struct lz77_out *o, size_t dist, size_t len)
{
	uint32_t m = (uint32_t)(len - 3);
	uint16_t word = (uint16_t)((dist - 1) << 3);
	size_t need = 2;

	if (m >= 7) {
		need += o->half == 0 ? 1 : 0;
		if (m - 7 >= 15) {
			need += (m - 22 < 255) ? 1 : (m < 0x10000 ? 3 : 7);
		}
	}
	if (o->max - o->pos < need) {
		return RPCEXT_ERR_NO_SPACE;
	}
	if (m < 7) {
		rpcext_put_le16(o->buf + o->pos, (uint16_t)(word | m));
		o->pos += 2;
		return lz77_next_flag(o, 1);
	}
	rpcext_put_le16(o->buf + o->pos, (uint16_t)(word | 7));
	o->pos += 2;
	{
		uint32_t rest = m - 7;
		uint8_t nibble = rest < 15 ? (uint8_t)rest : 15;

		if (o->half == 0) {
			o->half = o->pos;
			o->buf[o->pos++] = nibble;
		} else {
			o->buf[o->half] |= (uint8_t)(nibble << 4);
			o->half = 0;
		}
		if (rest >= 15) {
			rest -= 15;
			if (rest < 255) {
				o->buf[o->pos++] = (uint8_t)rest;
			} else {
				o->buf[o->pos++] = 255;
				if (m < 0x10000) {
					rpcext_put_le16(o->buf + o->pos, (uint16_t)m);
					o->pos += 2;
				} else {
					rpcext_put_le16(o->buf + o->pos, 0);
					rpcext_put_le32(o->buf + o->pos + 2, m);
					o->pos += 6;
				}
			}
		}
	}
	return lz77_next_flag(o, 1);
}

static enum rpcext_error lz77_run(struct rpcext_lz77_ctx *ctx, const uint8_t *in,
				  size_t n, struct lz77_out *o)
{
	size_t i = 0, next_insert = 0, len = 0, dist = 0;
	bool pending = false;
	enum rpcext_error err;

	while (i < n) {
		size_t j;

		if (!pending) {
			len = 0;
			if (n - i >= LZ77_MIN_MATCH) {
				len = lz77_find(ctx, in, n, i, &dist);
				next_insert = i + 1;
			}
		}
		pending = false;
		if (len >= LZ77_MIN_MATCH && len < LZ77_LAZY_MAX &&
		    n - (i + 1) >= LZ77_MIN_MATCH) {
			/* lazy evaluation: a longer match one byte later wins */
			size_t dist2 = 0;
			size_t len2 = lz77_find(ctx, in, n, i + 1, &dist2);

			next_insert = i + 2;
			if (len2 > len) {
				/* in[i] goes out as a literal, the match starts at i + 1 */
				len = len2;
				dist = dist2;
				pending = true;
			}
		}
		if (pending || len < LZ77_MIN_MATCH) {
			if (o->pos >= o->max) {
				return RPCEXT_ERR_NO_SPACE;
			}
			o->buf[o->pos++] = in[i++];
			err = lz77_next_flag(o, 0);
		} else {
			err = lz77_put_match(o, dist, len);
			for (j = next_insert; j < i + len && n - j >= LZ77_MIN_MATCH; j++) {
				lz77_insert(ctx, in, j);
			}
			i += len;
			next_insert = i;
		}
		if (err != RPCEXT_OK) {
			return err;
		}
	}
	/* [MS-XCA] 2.3.4: unused flag bits of the last word are set to 1 */
	if (o->flag_count == 0) {
		o->flags = UINT32_MAX;
	} else {
		unsigned spare = 32 - o->flag_count;

		o->flags = (o->flags << spare) | ((UINT32_C(1) << spare) - 1);
	}
	rpcext_put_le32(o->buf + o->flag_pos, o->flags);
	return RPCEXT_OK;
}

enum rpcext_error rpcext_lz77_compress(struct rpcext_lz77_ctx *ctx,
				       const uint8_t *in, size_t in_size,
				       uint8_t *out, size_t out_max,
				       size_t *out_size_r)
{
	struct rpcext_lz77_ctx *tmp = NULL;
	struct lz77_out o = { .buf = out, .max = out_max, .pos = 4 };
	enum rpcext_error err;

	if ((in == NULL && in_size != 0) || out == NULL || out_size_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	if (in_size > RPCEXT_LZ77_MAX_INPUT) {
		return RPCEXT_ERR_TOO_LARGE;
	}
	if (out_max < 4) {
		return RPCEXT_ERR_NO_SPACE;
	}
	if (ctx == NULL) {
		tmp = rpcext_lz77_ctx_new(NULL);
		if (tmp == NULL) {
			return RPCEXT_ERR_NO_MEMORY;
		}
		ctx = tmp;
	}
	if (ctx->base > UINT32_MAX - (uint32_t)in_size - 2 * RPCEXT_LZ77_WINDOW) {
		memset(ctx->head, 0, sizeof(ctx->head));
		memset(ctx->prev, 0, sizeof(ctx->prev));
		ctx->base = 1;
	}

	err = lz77_run(ctx, in, in_size, &o);
	ctx->base += (uint32_t)in_size + RPCEXT_LZ77_WINDOW;
	TALLOC_FREE(tmp);
	if (err != RPCEXT_OK) {
		return err;
	}
	*out_size_r = o.pos;
	return RPCEXT_OK;
}

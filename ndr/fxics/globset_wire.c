/*
 * GLOBSET serialization ([MS-OXCFXICS] 2.2.2.6.1-2.2.2.6.5, 3.1.5.4.3):
 * a command stream over a common byte stack holding the high-order bytes
 * shared by the GLOBCNT values that follow.
 *
 *   Push (0x01-0x06) N bytes   stack += N bytes; reaching 6 bytes adds that
 *                              singleton GLOBCNT and drops those N bytes again
 *   Pop (0x50)                 drops the bytes of the last Push
 *   Bitmask (0x42) start mask  needs 5 stack bytes: adds start and each
 *                              start+1+bit for the bits set in mask
 *   Range (0x52) low high      each 6 - stack bytes: adds [low, high]
 *   End (0x00)
 */
#include <string.h>

#include "idset.h"

static unsigned byte_at(uint64_t v, unsigned k)
{
	return (unsigned)((v >> (8 * (5 - k))) & 0xFF);
}

static unsigned common_prefix(uint64_t a, uint64_t b)
{
	unsigned k = 0;

	while (k < 6 && byte_at(a, k) == byte_at(b, k)) {
		k++;
	}
	return k;
}

/* the bytes k..5 of v, high-order first */
static enum rop_err push_tail(struct oxcdata_push *push, uint64_t v, unsigned from, unsigned to)
{
	enum rop_err err = ROP_OK;
	unsigned k;

	for (k = from; err == ROP_OK && k < to; k++) {
		err = oxcdata_push_u8(push, (uint8_t)byte_at(v, k));
	}
	return err;
}

static enum rop_err encode_group(struct oxcdata_push *push, const struct GLOBCNT_range *r,
				 uint32_t n, unsigned depth);

/* how many ranges from r fit one Bitmask (5 shared bytes, within start..start+8) */
static uint32_t bitmask_fit(const struct GLOBCNT_range *r, uint32_t n, uint8_t *mask)
{
	unsigned start = byte_at(r[0].Low, 5);
	unsigned limit = start + 8 > 0xFF ? 0xFF : start + 8;
	uint32_t k;

	*mask = 0;
	for (k = 0; k < n && byte_at(r[k].High, 5) <= limit; k++) {
		unsigned v;

		for (v = byte_at(r[k].Low, 5); v <= byte_at(r[k].High, 5); v++) {
			if (v > start) {
				*mask |= (uint8_t)(1u << (v - start - 1));
			}
		}
	}
	return k;
}

/* ranges r[0..n) share exactly `depth` (< 6) high-order bytes, all pushed */
static enum rop_err encode_body(struct oxcdata_push *push, const struct GLOBCNT_range *r,
				uint32_t n, unsigned depth)
{
	enum rop_err err = ROP_OK;
	uint32_t i = 0;

	while (err == ROP_OK && i < n) {
		uint8_t mask = 0;
		uint32_t k;

		if (depth == 5 && (k = bitmask_fit(r + i, n - i, &mask)) >= 2) {
			err = oxcdata_push_u8(push, GLOBSET_CMD_BITMASK);
			if (err == ROP_OK) {
				err = oxcdata_push_u8(push, (uint8_t)byte_at(r[i].Low, 5));
			}
			if (err == ROP_OK) {
				err = oxcdata_push_u8(push, mask);
			}
			i += k;
			continue;
		}
		if (r[i].Low != r[i].High && byte_at(r[i].Low, depth) != byte_at(r[i].High, depth)) {
			err = oxcdata_push_u8(push, GLOBSET_CMD_RANGE);
			if (err == ROP_OK) {
				err = push_tail(push, r[i].Low, depth, 6);
			}
			if (err == ROP_OK) {
				err = push_tail(push, r[i].High, depth, 6);
			}
			i++;
			continue;
		}
		/* ranges staying inside one value of byte `depth` share more bytes */
		for (k = i + 1; k < n && byte_at(r[k].Low, depth) == byte_at(r[i].Low, depth) &&
				byte_at(r[k].High, depth) == byte_at(r[i].Low, depth); k++) {
		}
		err = encode_group(push, r + i, k - i, depth);
		i = k;
	}
	return err;
}

static enum rop_err encode_group(struct oxcdata_push *push, const struct GLOBCNT_range *r,
				 uint32_t n, unsigned depth)
{
	unsigned c = common_prefix(r[0].Low, r[n - 1].High);
	enum rop_err err;

	if (c <= depth) {
		return encode_body(push, r, n, depth);
	}
	err = oxcdata_push_u8(push, (uint8_t)(c - depth));
	if (err == ROP_OK) {
		err = push_tail(push, r[0].Low, depth, c);
	}
	if (err != ROP_OK || c == 6) {
		return err;     /* a sixth byte is a singleton, popped implicitly */
	}
	err = encode_body(push, r, n, c);
	return err != ROP_OK ? err : oxcdata_push_u8(push, GLOBSET_CMD_POP);
}

enum rop_err globset_push(struct oxcdata_push *push, const struct GLOBSET *set)
{
	enum rop_err err = ROP_OK;

	if (set->RangeCount > 0) {
		if (set->Ranges == NULL) {
			return ROP_ERR_INVALID;
		}
		err = encode_group(push, set->Ranges, set->RangeCount, 0);
	}
	return err != ROP_OK ? err : oxcdata_push_u8(push, GLOBSET_CMD_END);
}

struct gstack {
	uint8_t bytes[GLOBSET_STACK_MAX];
	unsigned depth;
	uint8_t sizes[GLOBSET_STACK_MAX];       /* bytes of each Push still on the stack */
	unsigned pushes;
};

static uint64_t compose(const struct gstack *s, const uint8_t *tail, unsigned n)
{
	uint64_t v = 0;
	unsigned k;

	for (k = 0; k < s->depth; k++) {
		v = (v << 8) | s->bytes[k];
	}
	for (k = 0; k < n; k++) {
		v = (v << 8) | tail[k];
	}
	return v;
}

/* append without merging; the set is normalized once at End */
static enum rop_err append(struct GLOBSET *set, uint64_t low, uint64_t high)
{
	if (set->RangeCount == set->alloc) {
		uint32_t n = set->alloc ? set->alloc * 2 : 8;
		struct GLOBCNT_range *r;

		if (set->alloc >= UINT32_MAX / 2) {
			return ROP_ERR_TOO_BIG;
		}
		r = talloc_realloc(set, set->Ranges, struct GLOBCNT_range, n);
		if (r == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		set->Ranges = r;
		set->alloc = n;
	}
	set->Ranges[set->RangeCount++] = (struct GLOBCNT_range) { low, high };
	return ROP_OK;
}

static enum rop_err cmd_bitmask(struct oxcdata_pull *pull, const struct gstack *s,
				struct GLOBSET *set)
{
	uint8_t start, mask;
	uint64_t base, low, v;
	enum rop_err err;
	unsigned bit;

	if (s->depth != 5) {
		return ROP_ERR_FORMAT;
	}
	err = oxcdata_pull_u8(pull, &start);
	if (err == ROP_OK) {
		err = oxcdata_pull_u8(pull, &mask);
	}
	if (err != ROP_OK) {
		return err;
	}
	base = compose(s, NULL, 0) << 8;
	low = start;
	v = start;
	/* runs of set bits extend the range that starts at StartingValue */
	for (bit = 0; err == ROP_OK && bit < 8; bit++) {
		if ((mask & (1u << bit)) == 0) {
			continue;
		}
		if (start + 1u + bit > 0xFF) {
			return ROP_ERR_FORMAT;
		}
		if (start + 1u + bit != v + 1) {
			err = append(set, base | low, base | v);
			low = start + 1u + bit;
		}
		v = start + 1u + bit;
	}
	return err != ROP_OK ? err : append(set, base | low, base | v);
}

enum rop_err globset_pull(struct oxcdata_pull *pull, TALLOC_CTX *mem_ctx, struct GLOBSET **out)
{
	struct GLOBSET *set = globset_new(mem_ctx);
	struct gstack s = { .depth = 0 };
	enum rop_err err = ROP_OK;
	uint8_t tail[2 * GLOBSET_STACK_MAX];

	*out = NULL;
	if (set == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (;;) {
		uint8_t cmd;
		unsigned n;

		err = oxcdata_pull_u8(pull, &cmd);
		if (err != ROP_OK) {
			goto done;
		}
		if (cmd == GLOBSET_CMD_END) {
			break;
		}
		if (cmd >= GLOBSET_CMD_PUSH_MIN && cmd <= GLOBSET_CMD_PUSH_MAX) {
			n = cmd;
			if (s.depth + n > GLOBSET_STACK_MAX) {
				err = ROP_ERR_FORMAT;
				goto done;
			}
			err = oxcdata_pull_bytes(pull, s.bytes + s.depth, n);
			if (err != ROP_OK) {
				goto done;
			}
			if (s.depth + n == GLOBSET_STACK_MAX) {
				/* the stack bytes and the n new ones make the whole GLOBCNT */
				uint64_t v = compose(&s, s.bytes + s.depth, n);

				err = append(set, v, v);
			} else {
				s.sizes[s.pushes++] = (uint8_t)n;
				s.depth += n;
			}
		} else if (cmd == GLOBSET_CMD_POP) {
			if (s.pushes == 0) {
				err = ROP_ERR_FORMAT;
				goto done;
			}
			s.depth -= s.sizes[--s.pushes];
		} else if (cmd == GLOBSET_CMD_BITMASK) {
			err = cmd_bitmask(pull, &s, set);
		} else if (cmd == GLOBSET_CMD_RANGE) {
			uint64_t low, high;

			n = GLOBSET_STACK_MAX - s.depth;
			err = oxcdata_pull_bytes(pull, tail, 2 * n);
			if (err != ROP_OK) {
				goto done;
			}
			low = compose(&s, tail, n);
			high = compose(&s, tail + n, n);
			if (low > high) {
				err = ROP_ERR_FORMAT;
				goto done;
			}
			err = append(set, low, high);
		} else {
			err = ROP_ERR_FORMAT;
		}
		if (err != ROP_OK) {
			goto done;
		}
	}
	globset_normalize(set);
	*out = set;
done:
	if (err != ROP_OK) {
		talloc_free(set);
	}
	return err;
}

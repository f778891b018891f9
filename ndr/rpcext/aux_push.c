/*
 * OpenChange: serialising auxiliary blocks ([MS-OXCRPC] 2.2.2.2.x) and
 * building rgbAuxOut (3.1.4.1.1.1.2, 3.1.4.2.1.1.4), driven by the same
 * field tables as the parser.
 */
#include "aux_private.h"
#include "rpcext_private.h"

/* Bytes of variable data a block needs after its fixed part. */
static enum rpcext_error aux_var_size(const struct aux_layout *l,
				      const uint8_t *st, size_t *size_r)
{
	size_t i, var = 0;

	for (i = 0; i < l->num_fields; i++) {
		const struct aux_field *f = &l->fields[i];

		if (f->kind == AUXF_USTR) {
			const char *s;
			ptrdiff_t units;

			memcpy(&s, st + f->ref, sizeof(s));
			if (s == NULL) {
				continue;
			}
			units = aux_utf8_utf16_len(s);
			if (units < 0) {
				return RPCEXT_ERR_INVALID_PARAM;
			}
			var += 2 * (size_t)units + 2;
		} else if (f->kind == AUXF_BLOB) {
			const uint8_t *d;
			uint16_t n;

			memcpy(&d, st + f->ref, sizeof(d));
			memcpy(&n, st + f->ref_size, 2);
			if (d != NULL) {
				var += n;
			}
		}
	}
	*size_r = var;
	return RPCEXT_OK;
}

static size_t aux_block_wire_size(const struct rpcext_aux_block *b,
				  const struct aux_layout *l, size_t var)
{
	size_t n = AUX_HEADER_SIZE + (l != NULL ? l->fixed_size + var : b->raw_size);

	return (n + 3) & ~(size_t)3;
}

/* Write the fixed part at blk + 4 and the variable data after it. */
static void aux_push_fields(const struct aux_layout *l, const uint8_t *st,
			    uint8_t *blk)
{
	size_t pos = AUX_HEADER_SIZE, var = AUX_HEADER_SIZE + l->fixed_size, i;

	for (i = 0; i < l->num_fields; i++) {
		const struct aux_field *f = &l->fields[i];
		uint16_t v16;
		uint32_t v32;

		switch (f->kind) {
		case AUXF_U8:
			blk[pos] = st[f->member];
			break;
		case AUXF_U16:
			memcpy(&v16, st + f->member, 2);
			rpcext_put_le16(blk + pos, v16);
			break;
		case AUXF_U32:
			memcpy(&v32, st + f->member, 4);
			rpcext_put_le32(blk + pos, v32);
			break;
		case AUXF_BYTES:
			memcpy(blk + pos, st + f->member, f->len);
			break;
		case AUXF_USTR: {
			const char *s;

			memcpy(&s, st + f->ref, sizeof(s));
			rpcext_put_le16(blk + pos, s != NULL ? (uint16_t)var : 0);
			if (s != NULL) {
				var += aux_utf8_to_utf16(s, blk + var);
				rpcext_put_le16(blk + var, 0);
				var += 2;
			}
			break;
		}
		case AUXF_BLOB: {
			const uint8_t *d;
			uint16_t n;

			memcpy(&d, st + f->ref, sizeof(d));
			memcpy(&n, st + f->ref_size, 2);
			rpcext_put_le16(blk + pos, d != NULL && n > 0 ? (uint16_t)var : 0);
			if (d != NULL && n > 0) {
				memcpy(blk + var, d, n);
				var += n;
			}
			break;
		}
		}
		pos += f->len;
	}
}

enum rpcext_error rpcext_aux_push(TALLOC_CTX *mem_ctx,
				  const struct rpcext_aux_block *blocks,
				  size_t num, uint8_t **out_r, size_t *out_size_r)
{
	size_t total = 0, off = 0, i;
	uint8_t *out;

	if ((blocks == NULL && num != 0) || out_r == NULL || out_size_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	for (i = 0; i < num; i++) {
		const struct rpcext_aux_block *b = &blocks[i];
		const struct aux_layout *l = aux_layout_of_kind(
			rpcext_aux_kind_of(b->header.Version, b->header.Type));
		size_t var = 0, n;
		enum rpcext_error err;

		if (l == NULL && b->raw == NULL && b->raw_size != 0) {
			return RPCEXT_ERR_INVALID_PARAM;
		}
		if (l != NULL) {
			err = aux_var_size(l, (const uint8_t *)&b->u, &var);
			if (err != RPCEXT_OK) {
				return err;
			}
		}
		n = aux_block_wire_size(b, l, var);
		if (n > UINT16_MAX) {
			return RPCEXT_ERR_TOO_LARGE;
		}
		total += n;
	}
	out = talloc_zero_array(mem_ctx, uint8_t, total > 0 ? total : 1);
	if (out == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	for (i = 0; i < num; i++) {
		const struct rpcext_aux_block *b = &blocks[i];
		const struct aux_layout *l = aux_layout_of_kind(
			rpcext_aux_kind_of(b->header.Version, b->header.Type));
		size_t var = 0, n;

		if (l != NULL) {
			(void)aux_var_size(l, (const uint8_t *)&b->u, &var);
		}
		n = aux_block_wire_size(b, l, var);
		rpcext_put_le16(out + off, (uint16_t)n);
		out[off + 2] = b->header.Version;
		out[off + 3] = b->header.Type;
		if (l != NULL) {
			aux_push_fields(l, (const uint8_t *)&b->u, out + off);
		} else if (b->raw_size > 0) {
			memcpy(out + off + AUX_HEADER_SIZE, b->raw, b->raw_size);
		}
		off += n;
	}
	*out_r = out;
	*out_size_r = total;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_aux_out_build(TALLOC_CTX *mem_ctx,
				       const struct rpcext_aux_block *blocks,
				       size_t num, size_t max_out,
				       const struct rpcext_build_opts *opts,
				       uint8_t **out_r, size_t *out_size_r)
{
	uint8_t *payload = NULL;
	size_t payload_size = 0;
	enum rpcext_error err;

	err = rpcext_aux_push(NULL, blocks, num, &payload, &payload_size);
	if (err != RPCEXT_OK) {
		return err;
	}
	err = rpcext_build(mem_ctx, payload, payload_size, 0, max_out, opts,
			   out_r, out_size_r);
	talloc_free(payload);
	return err;
}

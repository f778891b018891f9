/*
 * OpenChange: parsing of the auxiliary blocks, [MS-OXCRPC] 2.2.2.2 and
 * 3.1.4.1.2 / 3.1.4.2.2, driven by the field tables of aux_layout.c.
 */
#include "aux_private.h"
#include "rpcext_private.h"

/*
 * A string at a block-relative offset: it must start after the
 * AUX_HEADER, inside the block, and be terminated by a UTF-16 NUL
 * before the end of the block.
 */
static enum rpcext_error aux_pull_ustr(TALLOC_CTX *mem_ctx, const uint8_t *blk,
				       size_t blk_size, uint16_t off, char **str_r)
{
	size_t end;

	*str_r = NULL;
	if (off == 0) {
		return RPCEXT_OK;
	}
	if (off < AUX_HEADER_SIZE || off >= blk_size) {
		return RPCEXT_ERR_BAD_AUX;
	}
	for (end = off; blk_size - end >= 2; end += 2) {
		if (blk[end] == 0 && blk[end + 1] == 0) {
			*str_r = aux_utf16_to_utf8(mem_ctx, blk + off, end - off);
			return *str_r != NULL ? RPCEXT_OK : RPCEXT_ERR_NO_MEMORY;
		}
	}
	return RPCEXT_ERR_BAD_AUX;
}

static enum rpcext_error aux_pull_blob(TALLOC_CTX *mem_ctx, const uint8_t *blk,
				       size_t blk_size, uint16_t off,
				       uint16_t size, uint8_t **data_r)
{
	*data_r = NULL;
	if (off == 0 || size == 0) {
		return RPCEXT_OK;
	}
	if (off < AUX_HEADER_SIZE || off > blk_size || size > blk_size - off) {
		return RPCEXT_ERR_BAD_AUX;
	}
	*data_r = talloc_memdup(mem_ctx, blk + off, size);
	return *data_r != NULL ? RPCEXT_OK : RPCEXT_ERR_NO_MEMORY;
}

/* Decode the structure of a known block; blk points at its AUX_HEADER. */
static enum rpcext_error aux_pull_fields(TALLOC_CTX *mem_ctx,
					 const struct aux_layout *l,
					 const uint8_t *blk, size_t blk_size,
					 uint8_t *st)
{
	size_t pos = AUX_HEADER_SIZE, i;
	enum rpcext_error err = RPCEXT_OK;

	if (blk_size - AUX_HEADER_SIZE < l->fixed_size) {
		return RPCEXT_ERR_BAD_AUX;
	}
	for (i = 0; i < l->num_fields && err == RPCEXT_OK; i++) {
		const struct aux_field *f = &l->fields[i];
		uint16_t v16;

		switch (f->kind) {
		case AUXF_U8:
			st[f->member] = blk[pos];
			break;
		case AUXF_U16:
			v16 = rpcext_get_le16(blk + pos);
			memcpy(st + f->member, &v16, 2);
			break;
		case AUXF_U32: {
			uint32_t v32 = rpcext_get_le32(blk + pos);

			memcpy(st + f->member, &v32, 4);
			break;
		}
		case AUXF_BYTES:
			memcpy(st + f->member, blk + pos, f->len);
			break;
		case AUXF_USTR: {
			char *s = NULL;

			v16 = rpcext_get_le16(blk + pos);
			memcpy(st + f->member, &v16, 2);
			err = aux_pull_ustr(mem_ctx, blk, blk_size, v16, &s);
			memcpy(st + f->ref, &s, sizeof(s));
			break;
		}
		case AUXF_BLOB: {
			uint8_t *d = NULL;
			uint16_t size;

			v16 = rpcext_get_le16(blk + pos);
			memcpy(st + f->member, &v16, 2);
			memcpy(&size, st + f->ref_size, 2);
			err = aux_pull_blob(mem_ctx, blk, blk_size, v16, size, &d);
			memcpy(st + f->ref, &d, sizeof(d));
			break;
		}
		}
		pos += f->len;
	}
	return err;
}

static enum rpcext_error aux_pull_block(TALLOC_CTX *mem_ctx, const uint8_t *blk,
					size_t blk_size, struct rpcext_aux_block *b)
{
	const struct aux_layout *l;

	b->header.Size = (uint16_t)blk_size;
	b->header.Version = blk[2];
	b->header.Type = blk[3];
	b->kind = rpcext_aux_kind_of(b->header.Version, b->header.Type);
	b->raw_size = blk_size - AUX_HEADER_SIZE;
	b->raw = talloc_array(mem_ctx, uint8_t, b->raw_size > 0 ? b->raw_size : 1);
	if (b->raw == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	memcpy(b->raw, blk + AUX_HEADER_SIZE, b->raw_size);
	l = aux_layout_of_kind(b->kind);
	if (l == NULL) {
		return RPCEXT_OK;
	}
	return aux_pull_fields(mem_ctx, l, blk, blk_size, (uint8_t *)&b->u);
}

enum rpcext_error rpcext_aux_parse(TALLOC_CTX *mem_ctx, const uint8_t *buf,
				   size_t size, struct rpcext_aux_block **blocks_r,
				   size_t *num_r)
{
	struct rpcext_aux_block *blocks = NULL;
	size_t num = 0, off = 0, i;
	enum rpcext_error err = RPCEXT_OK;

	if ((buf == NULL && size != 0) || blocks_r == NULL || num_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	/* pass 1: the block boundaries; Size >= 4 guarantees progress */
	while (off < size) {
		uint16_t bsize;

		if (size - off < AUX_HEADER_SIZE) {
			return RPCEXT_ERR_BAD_AUX;
		}
		bsize = rpcext_get_le16(buf + off);
		if (bsize < AUX_HEADER_SIZE || bsize > size - off) {
			return RPCEXT_ERR_BAD_AUX;
		}
		off += bsize;
		num++;
	}
	if (num > 0) {
		blocks = talloc_zero_array(mem_ctx, struct rpcext_aux_block, num);
		if (blocks == NULL) {
			return RPCEXT_ERR_NO_MEMORY;
		}
	}
	for (i = 0, off = 0; i < num && err == RPCEXT_OK; i++) {
		size_t bsize = rpcext_get_le16(buf + off);

		err = aux_pull_block(blocks, buf + off, bsize, &blocks[i]);
		off += bsize;
	}
	if (err != RPCEXT_OK) {
		talloc_free(blocks);
		return err;
	}
	*blocks_r = blocks;
	*num_r = num;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_aux_in_parse(TALLOC_CTX *mem_ctx,
				      const uint8_t *rgbAuxIn, size_t cbAuxIn,
				      struct rpcext_aux_block **blocks_r,
				      size_t *num_r)
{
	const struct rpcext_limits lim = {
		.max_in = RPCEXT_MAX_AUX,
		.max_chunk = RPCEXT_MAX_PAYLOAD,
		.max_total = RPCEXT_MAX_PAYLOAD,
	};
	TALLOC_CTX *frame;
	uint8_t *flat = NULL;
	size_t flat_size = 0;
	enum rpcext_error err;

	if (blocks_r == NULL || num_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	if (cbAuxIn == 0) {
		*blocks_r = NULL;
		*num_r = 0;
		return RPCEXT_OK;
	}
	frame = talloc_new(mem_ctx);
	if (frame == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	err = rpcext_parse_flat(frame, rgbAuxIn, cbAuxIn, &lim, &flat, &flat_size);
	if (err == RPCEXT_OK) {
		err = rpcext_aux_parse(mem_ctx, flat, flat_size, blocks_r, num_r);
	}
	talloc_free(frame);
	return err;
}

/*
 * OpenChange: request side of the extended buffers - RPC_HEADER_EXT
 * ([MS-OXCRPC] 2.2.2.1), XorMagic (3.1.7.3), and the chunk walk of
 * 3.1.4.2.1.1 / 3.1.4.2.1.2.1.
 */
#include "rpcext.h"
#include "rpcext_private.h"

void rpcext_xor_magic(uint8_t *buf, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		buf[i] ^= 0xA5;
	}
}

enum rpcext_error rpcext_header_pull(const uint8_t *buf, size_t size,
				     struct rpc_header_ext *hdr_r)
{
	struct rpc_header_ext h;

	if (buf == NULL || size < RPC_HEADER_EXT_SIZE) {
		return RPCEXT_ERR_TRUNCATED;
	}
	h.Version = rpcext_get_le16(buf);
	h.Flags = rpcext_get_le16(buf + 2);
	h.Size = rpcext_get_le16(buf + 4);
	h.SizeActual = rpcext_get_le16(buf + 6);

	if (h.Version != 0x0000) {
		return RPCEXT_ERR_BAD_VERSION;
	}
	if ((h.Flags & ~RHEF_ALL) != 0) {
		return RPCEXT_ERR_BAD_FLAGS;
	}
	/*
	 * 2.2.2.1: without Compressed "Size and SizeActual MUST be the
	 * same"; with it "Size MUST be less than SizeActual".
	 */
	if ((h.Flags & RHEF_Compressed) != 0) {
		if (h.Size >= h.SizeActual) {
			return RPCEXT_ERR_BAD_FLAGS;
		}
	} else if (h.Size != h.SizeActual) {
		return RPCEXT_ERR_BAD_FLAGS;
	}
	*hdr_r = h;
	return RPCEXT_OK;
}

void rpcext_header_push(uint8_t *buf, const struct rpc_header_ext *hdr)
{
	rpcext_put_le16(buf, hdr->Version);
	rpcext_put_le16(buf + 2, hdr->Flags);
	rpcext_put_le16(buf + 4, hdr->Size);
	rpcext_put_le16(buf + 6, hdr->SizeActual);
}

static void rpcext_limits_fill(const struct rpcext_limits *in,
			       struct rpcext_limits *out)
{
	out->max_in = RPCEXT_MAX_RGB;
	out->max_chunk = RPCEXT_MAX_PAYLOAD;
	out->max_total = 8 * (size_t)RPCEXT_MAX_RGB;
	if (in == NULL) {
		return;
	}
	if (in->max_in != 0) {
		out->max_in = in->max_in;
	}
	if (in->max_chunk != 0) {
		out->max_chunk = in->max_chunk;
	}
	if (in->max_total != 0) {
		out->max_total = in->max_total;
	}
}

/* Decode one payload (XorMagic then LZ77, the inverse of the sender). */
static enum rpcext_error rpcext_chunk_decode(TALLOC_CTX *mem_ctx,
					     const struct rpc_header_ext *h,
					     const uint8_t *wire,
					     struct rpcext_chunk *c)
{
	uint8_t *plain = talloc_array(mem_ctx, uint8_t,
				      h->SizeActual > 0 ? h->SizeActual : 1);
	uint8_t *tmp = NULL;
	const uint8_t *src = wire;
	enum rpcext_error err = RPCEXT_OK;

	if (plain == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	if ((h->Flags & RHEF_XorMagic) != 0) {
		if ((h->Flags & RHEF_Compressed) != 0) {
			tmp = talloc_array(mem_ctx, uint8_t, h->Size > 0 ? h->Size : 1);
			if (tmp == NULL) {
				err = RPCEXT_ERR_NO_MEMORY;
				goto done;
			}
			memcpy(tmp, wire, h->Size);
			rpcext_xor_magic(tmp, h->Size);
			src = tmp;
		} else {
			memcpy(plain, wire, h->Size);
			rpcext_xor_magic(plain, h->Size);
		}
	} else if ((h->Flags & RHEF_Compressed) == 0) {
		memcpy(plain, wire, h->Size);
	}
	if ((h->Flags & RHEF_Compressed) != 0) {
		err = rpcext_lz77_decompress(src, h->Size, plain, h->SizeActual);
	}
done:
	TALLOC_FREE(tmp);
	if (err != RPCEXT_OK) {
		TALLOC_FREE(plain);
		return err;
	}
	c->header = *h;
	c->payload = plain;
	c->payload_size = h->SizeActual;
	return RPCEXT_OK;
}

/*
 * First pass: validate every header and size without allocating, so a
 * hostile buffer costs nothing before it is rejected.
 */
static enum rpcext_error rpcext_scan(const uint8_t *buf, size_t size,
				     const struct rpcext_limits *lim,
				     size_t *num_r)
{
	size_t off = 0, total = 0, num = 0;

	for (;;) {
		struct rpc_header_ext h;
		enum rpcext_error err;

		if (size - off == 0) {
			return num == 0 ? RPCEXT_ERR_TRUNCATED : RPCEXT_ERR_NO_LAST;
		}
		err = rpcext_header_pull(buf + off, size - off, &h);
		if (err != RPCEXT_OK) {
			return err;
		}
		off += RPC_HEADER_EXT_SIZE;
		if (h.Size > size - off) {
			return RPCEXT_ERR_TRUNCATED;
		}
		if (h.SizeActual > lim->max_chunk ||
		    h.SizeActual > lim->max_total - total) {
			return RPCEXT_ERR_TOO_LARGE;
		}
		total += h.SizeActual;
		off += h.Size;
		num++;
		if ((h.Flags & RHEF_Last) != 0) {
			break;
		}
	}
	if (off != size) {
		return RPCEXT_ERR_TRAILING_DATA;
	}
	*num_r = num;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_parse(TALLOC_CTX *mem_ctx, const uint8_t *buf,
			       size_t size, const struct rpcext_limits *limits,
			       struct rpcext_chunk **chunks_r, size_t *num_r)
{
	struct rpcext_limits lim;
	struct rpcext_chunk *chunks;
	size_t num = 0, i, off = 0;
	enum rpcext_error err;

	if ((buf == NULL && size != 0) || chunks_r == NULL || num_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	rpcext_limits_fill(limits, &lim);
	if (size > lim.max_in) {
		return RPCEXT_ERR_TOO_LARGE;
	}
	err = rpcext_scan(buf, size, &lim, &num);
	if (err != RPCEXT_OK) {
		return err;
	}
	chunks = talloc_zero_array(mem_ctx, struct rpcext_chunk, num);
	if (chunks == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	for (i = 0; i < num; i++) {
		struct rpc_header_ext h;

		/* already validated by rpcext_scan() */
		err = rpcext_header_pull(buf + off, size - off, &h);
		if (err != RPCEXT_OK) {
			break;
		}
		off += RPC_HEADER_EXT_SIZE;
		err = rpcext_chunk_decode(chunks, &h, buf + off, &chunks[i]);
		if (err != RPCEXT_OK) {
			break;
		}
		off += h.Size;
	}
	if (err != RPCEXT_OK) {
		talloc_free(chunks);
		return err;
	}
	*chunks_r = chunks;
	*num_r = num;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_parse_flat(TALLOC_CTX *mem_ctx, const uint8_t *buf,
				    size_t size,
				    const struct rpcext_limits *limits,
				    uint8_t **out_r, size_t *out_size_r)
{
	TALLOC_CTX *frame = talloc_new(mem_ctx);
	struct rpcext_chunk *chunks = NULL;
	size_t num = 0, total = 0, i;
	uint8_t *flat;
	enum rpcext_error err;

	if (frame == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	if (out_r == NULL || out_size_r == NULL) {
		err = RPCEXT_ERR_INVALID_PARAM;
		goto done;
	}
	err = rpcext_parse(frame, buf, size, limits, &chunks, &num);
	if (err != RPCEXT_OK) {
		goto done;
	}
	for (i = 0; i < num; i++) {
		total += chunks[i].payload_size;
	}
	flat = talloc_array(mem_ctx, uint8_t, total > 0 ? total : 1);
	if (flat == NULL) {
		err = RPCEXT_ERR_NO_MEMORY;
		goto done;
	}
	total = 0;
	for (i = 0; i < num; i++) {
		memcpy(flat + total, chunks[i].payload, chunks[i].payload_size);
		total += chunks[i].payload_size;
	}
	*out_r = flat;
	*out_size_r = total;
done:
	talloc_free(frame);
	return err;
}

/*
 * OpenChange: response side of the extended buffers - chunking a payload
 * into RPC_HEADER_EXT chunks ([MS-OXCRPC] 3.1.4.2.1.1.2 rgbOut,
 * 3.1.4.2.1.2.2 packing), with optional LZ77 and XorMagic.
 */
#include "rpcext.h"
#include "rpcext_private.h"

struct rpcext_writer {
	struct rpcext_build_opts opts;
	struct rpcext_lz77_ctx *lz77;	/* created on first compression */
	uint8_t *buf;			/* max_out bytes (at least 1) */
	size_t max_out;
	size_t used;
	bool have_last;
};

struct rpcext_build_opts rpcext_build_opts_from_pulFlags(uint32_t pulFlags)
{
	struct rpcext_build_opts o = {
		.compress = (pulFlags & pulFlags_NoCompression) == 0,
		.xor_magic = (pulFlags & pulFlags_NoXorMagic) == 0,
	};

	return o;
}

struct rpcext_writer *rpcext_writer_new(TALLOC_CTX *mem_ctx, size_t max_out,
					const struct rpcext_build_opts *opts)
{
	struct rpcext_writer *w = talloc_zero(mem_ctx, struct rpcext_writer);

	if (w == NULL) {
		return NULL;
	}
	if (opts != NULL) {
		w->opts = *opts;
	}
	w->max_out = max_out;
	w->buf = talloc_array(w, uint8_t, max_out > 0 ? max_out : 1);
	if (w->buf == NULL) {
		talloc_free(w);
		return NULL;
	}
	return w;
}

size_t rpcext_writer_space(const struct rpcext_writer *w)
{
	return w->max_out - w->used;
}

/*
 * Try LZ77 straight into the output after the header. The bound is
 * size - 1 so that only a strictly smaller result is kept
 * ([MS-OXCRPC] 2.2.2.1: with Compressed, Size < SizeActual).
 */
static enum rpcext_error rpcext_writer_try_compress(struct rpcext_writer *w,
						    const uint8_t *payload,
						    size_t size, uint8_t *dst,
						    size_t room, size_t *csize_r)
{
	size_t bound = size - 1 < room ? size - 1 : room;

	if (w->lz77 == NULL) {
		w->lz77 = rpcext_lz77_ctx_new(w);
		if (w->lz77 == NULL) {
			return RPCEXT_ERR_NO_MEMORY;
		}
	}
	return rpcext_lz77_compress(w->lz77, payload, size, dst, bound, csize_r);
}

enum rpcext_error rpcext_writer_add(struct rpcext_writer *w,
				    const uint8_t *payload, size_t size,
				    bool last)
{
	struct rpc_header_ext h = { .Version = 0 };
	uint8_t *dst;
	size_t room, wire_size = size;
	bool compressed = false;

	if (w == NULL || (payload == NULL && size != 0) || w->have_last) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	if (size > RPCEXT_MAX_PAYLOAD) {
		return RPCEXT_ERR_TOO_LARGE;
	}
	if (w->max_out - w->used < RPC_HEADER_EXT_SIZE) {
		return RPCEXT_ERR_NO_SPACE;
	}
	dst = w->buf + w->used + RPC_HEADER_EXT_SIZE;
	room = w->max_out - w->used - RPC_HEADER_EXT_SIZE;

	if (w->opts.compress && size > 1) {
		size_t csize = 0;
		enum rpcext_error err;

		err = rpcext_writer_try_compress(w, payload, size, dst, room, &csize);
		if (err == RPCEXT_OK) {
			compressed = true;
			wire_size = csize;
		} else if (err != RPCEXT_ERR_NO_SPACE) {
			return err;
		}
		/* NO_SPACE: not smaller, or not in room: send as is */
	}
	if (!compressed) {
		if (size > room) {
			return RPCEXT_ERR_NO_SPACE;
		}
		if (size > 0) {
			memcpy(dst, payload, size);
		}
	}
	if (w->opts.xor_magic) {
		rpcext_xor_magic(dst, wire_size);
	}
	h.Flags = (uint16_t)((compressed ? RHEF_Compressed : 0) |
			     (w->opts.xor_magic ? RHEF_XorMagic : 0) |
			     (last ? RHEF_Last : 0));
	h.Size = (uint16_t)wire_size;
	h.SizeActual = (uint16_t)size;
	rpcext_header_push(w->buf + w->used, &h);
	w->used += RPC_HEADER_EXT_SIZE + wire_size;
	w->have_last = last;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_writer_data(const struct rpcext_writer *w,
				     const uint8_t **data_r, size_t *size_r)
{
	if (w == NULL || data_r == NULL || size_r == NULL) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	if (!w->have_last) {
		return RPCEXT_ERR_NO_LAST;
	}
	*data_r = w->buf;
	*size_r = w->used;
	return RPCEXT_OK;
}

enum rpcext_error rpcext_build(TALLOC_CTX *mem_ctx, const uint8_t *payload,
			       size_t size, size_t chunk_max, size_t max_out,
			       const struct rpcext_build_opts *opts,
			       uint8_t **out_r, size_t *out_size_r)
{
	struct rpcext_writer *w;
	const uint8_t *data = NULL;
	size_t off = 0, data_size = 0;
	enum rpcext_error err = RPCEXT_OK;

	if ((payload == NULL && size != 0) || out_r == NULL || out_size_r == NULL ||
	    chunk_max > RPCEXT_MAX_PAYLOAD) {
		return RPCEXT_ERR_INVALID_PARAM;
	}
	if (chunk_max == 0) {
		chunk_max = RPCEXT_MAX_PAYLOAD;
	}
	w = rpcext_writer_new(mem_ctx, max_out, opts);
	if (w == NULL) {
		return RPCEXT_ERR_NO_MEMORY;
	}
	do {
		size_t n = size - off < chunk_max ? size - off : chunk_max;

		err = rpcext_writer_add(w, n > 0 ? payload + off : NULL, n,
					off + n == size);
		if (err != RPCEXT_OK) {
			goto done;
		}
		off += n;
	} while (off < size);

	err = rpcext_writer_data(w, &data, &data_size);
	if (err != RPCEXT_OK) {
		goto done;
	}
	/* hand the buffer over to mem_ctx, trimmed to its used size */
	*out_r = talloc_steal(mem_ctx, w->buf);
	if (data_size > 0) {
		uint8_t *trimmed = talloc_realloc(mem_ctx, *out_r, uint8_t, data_size);

		if (trimmed != NULL) {
			*out_r = trimmed;
		}
	}
	*out_size_r = data_size;
done:
	talloc_free(w);
	return err;
}

/*
 * Streams ([MS-OXCPRPT] RopOpenStream, RopReadStream, RopWriteStream,
 * RopSeekStream, RopCommitStream). Backends store PtypString values as
 * UTF-8; with MAPISTORE_STREAM_UTF16 the core presents such a value as
 * UTF-16LE, the wire form of PtypString ([MS-OXCPRPT] 2.2.14,
 * [MS-OXCDATA] 2.11.1): the value is converted once at open, reads,
 * writes and seeks work on the UTF-16LE bytes, and commit converts back
 * and rewrites the backend value.
 */
#include "mapistore_private.h"

#include <string.h>

/* Read the whole backend value (UTF-8) into a UTF-16LE buffer. */
static enum mapistore_error utf16_load(struct mapistore_stream *s)
{
	struct mapistore_binary u16 = { 0 };
	enum mapistore_error ret;
	uint64_t size = 0;
	size_t got = 0;
	uint8_t *utf8;

	ret = s->owner->ops->stream_get_size(s->b, &size);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (size > MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	utf8 = talloc_size(s, size + 1);
	if (utf8 == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	while (ret == MAPISTORE_SUCCESS && got < size) {
		size_t n = 0;

		ret = s->owner->ops->stream_read(s->b, utf8 + got, size - got, &n);
		if (n == 0) {
			break;
		}
		got += n;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_utf8_to_utf16le(s, (const char *)utf8, got, &u16);
	}
	talloc_free(utf8);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	s->u16 = u16.data;
	s->u16_len = u16.length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, uint32_t proptag, enum mapistore_stream_mode mode,
	struct mapistore_stream **stream_r)
{
	struct mapistore_stream *s;
	enum mapistore_error ret;
	uint16_t type = MAPISTORE_PROP_TYPE(proptag);
	bool utf16 = ((unsigned)mode & MAPISTORE_STREAM_UTF16) != 0;
	unsigned base = (unsigned)mode & ~(unsigned)MAPISTORE_STREAM_UTF16;
	uint64_t t0;

	if (obj == NULL || stream_r == NULL || base > MAPISTORE_STREAM_READWRITE ||
	    (type != PtypBinary && type != PtypString && type != PtypString8) ||
	    (utf16 && type != PtypString)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	s = talloc_zero(mem_ctx, struct mapistore_stream);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	s->owner = obj;
	s->proptag = proptag;
	s->utf16 = utf16;
	s->writable = base != MAPISTORE_STREAM_READ;
	t0 = mapistore_now_ns();
	ret = mapistore_trace(obj->ctx, obj->ops, "stream_open", t0,
		obj->ops->stream_open(s, &obj->bobj, proptag,
				      (enum mapistore_stream_mode)base, &s->b));
	if (ret == MAPISTORE_SUCCESS && utf16) {
		ret = utf16_load(s);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(s);
		return ret;
	}
	*stream_r = s;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_read(struct mapistore_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r)
{
	uint64_t t0 = mapistore_now_ns();
	size_t n;

	if (stream == NULL || (size > 0 && buf == NULL) || read_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (stream->utf16) {
		n = stream->pos < stream->u16_len ? stream->u16_len - stream->pos : 0;
		n = n < size ? n : size;
		if (n > 0) {
			memcpy(buf, stream->u16 + stream->pos, n);
		}
		stream->pos += n;
		*read_r = n;
		return MAPISTORE_SUCCESS;
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_read", t0,
		stream->owner->ops->stream_read(stream->b, buf, size, read_r));
}

enum mapistore_error mapistore_stream_write(struct mapistore_stream *stream,
	const uint8_t *buf, size_t size)
{
	uint64_t t0 = mapistore_now_ns();

	if (stream == NULL || (size > 0 && buf == NULL) || size > MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (stream->utf16) {
		size_t end = stream->pos + size;

		if (!stream->writable) {
			return MAPISTORE_ERR_NO_ACCESS;
		}
		if (end > MAPISTORE_MAX_VALUE_SIZE) {
			return MAPISTORE_ERR_TOO_BIG;
		}
		if (end > stream->u16_len) {
			uint8_t *grown = talloc_realloc(stream, stream->u16, uint8_t, end);

			if (grown == NULL) {
				return MAPISTORE_ERR_NO_MEMORY;
			}
			/* a seek past the end leaves a zero-filled gap */
			memset(grown + stream->u16_len, 0, end - stream->u16_len);
			stream->u16 = grown;
			stream->u16_len = end;
		}
		if (size > 0) {
			memcpy(stream->u16 + stream->pos, buf, size);
		}
		stream->pos = end;
		stream->dirty = true;
		return MAPISTORE_SUCCESS;
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_write", t0,
		stream->owner->ops->stream_write(stream->b, buf, size));
}

enum mapistore_error mapistore_stream_seek(struct mapistore_stream *stream,
	int64_t offset, int origin, uint64_t *position_r)
{
	uint64_t t0 = mapistore_now_ns();
	int64_t base, target;

	if (stream == NULL || origin < 0 || origin > 2 || position_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (stream->utf16) {
		base = origin == 0 ? 0 : origin == 1 ? (int64_t)stream->pos
						     : (int64_t)stream->u16_len;
		if ((offset > 0 && base > INT64_MAX - offset)) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		target = base + offset;
		if (target < 0 || target > (int64_t)MAPISTORE_MAX_VALUE_SIZE) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		stream->pos = (size_t)target;
		*position_r = (uint64_t)target;
		return MAPISTORE_SUCCESS;
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_seek", t0,
		stream->owner->ops->stream_seek(stream->b, offset, origin, position_r));
}

enum mapistore_error mapistore_stream_get_size(struct mapistore_stream *stream,
	uint64_t *size_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (stream == NULL || size_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (stream->utf16) {
		*size_r = stream->u16_len;
		return MAPISTORE_SUCCESS;
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_get_size", t0,
		stream->owner->ops->stream_get_size(stream->b, size_r));
}

/* Write the UTF-16LE buffer back as UTF-8 through a truncating backend
 * stream, then commit that. */
static enum mapistore_error utf16_commit(struct mapistore_stream *s)
{
	const struct mapistore_backend_ops *ops = s->owner->ops;
	struct mapistore_backend_stream *w = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *tmp;
	size_t len = 0;
	char *utf8 = NULL;

	if (!s->dirty) {
		return MAPISTORE_SUCCESS;
	}
	tmp = talloc_new(s);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_utf16le_to_utf8(tmp, s->u16, s->u16_len, &utf8, &len);
	if (ret == MAPISTORE_SUCCESS) {
		/* drop the backend stream opened for reading first */
		TALLOC_FREE(s->b);
		ret = ops->stream_open(s, &s->owner->bobj, s->proptag, MAPISTORE_STREAM_WRITE, &w);
	}
	if (ret == MAPISTORE_SUCCESS) {
		s->b = w;
		ret = ops->stream_write(w, (const uint8_t *)utf8, len);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ops->stream_commit(w);
	}
	if (ret == MAPISTORE_SUCCESS) {
		s->dirty = false;
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_stream_commit(struct mapistore_stream *stream)
{
	uint64_t t0 = mapistore_now_ns();

	if (stream == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (stream->utf16) {
		return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_commit", t0,
				       utf16_commit(stream));
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_commit", t0,
		stream->owner->ops->stream_commit(stream->b));
}

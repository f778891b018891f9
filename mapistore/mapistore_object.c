/*
 * Property and stream operations on folders, messages and attachments
 * ([MS-OXCPRPT]). Counts are bounded before any backend sees them.
 */
#include "mapistore_private.h"

enum mapistore_error mapistore_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (obj == NULL || props_r == NULL || count > MAPISTORE_MAX_PROPERTIES ||
	    (count > 0 && proptags == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(obj->ctx, obj->ops, "properties_get", t0,
		obj->ops->properties_get(mem_ctx, &obj->bobj, proptags, count, props_r));
}

enum mapistore_error mapistore_properties_set(struct mapistore_object *obj,
	const struct mapistore_property *props, uint32_t count)
{
	uint64_t t0 = mapistore_now_ns();
	uint32_t i;

	if (obj == NULL || count > MAPISTORE_MAX_PROPERTIES || (count > 0 && props == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < count; i++) {
		if (!mapistore_proptype_valid(props[i].proptag) ||
		    MAPISTORE_PROP_TYPE(props[i].proptag) == PtypErrorCode) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	return mapistore_trace(obj->ctx, obj->ops, "properties_set", t0,
		obj->ops->properties_set(&obj->bobj, props, count));
}

enum mapistore_error mapistore_properties_delete(struct mapistore_object *obj,
	const uint32_t *proptags, uint32_t count)
{
	uint64_t t0 = mapistore_now_ns();

	if (obj == NULL || count > MAPISTORE_MAX_PROPERTIES || (count > 0 && proptags == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(obj->ctx, obj->ops, "properties_delete", t0,
		obj->ops->properties_delete(&obj->bobj, proptags, count));
}

enum mapistore_error mapistore_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, uint32_t **proptags_r, uint32_t *count_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (obj == NULL || proptags_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(obj->ctx, obj->ops, "properties_list", t0,
		obj->ops->properties_list(mem_ctx, &obj->bobj, proptags_r, count_r));
}

enum mapistore_error mapistore_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, uint32_t proptag, enum mapistore_stream_mode mode,
	struct mapistore_stream **stream_r)
{
	struct mapistore_stream *s;
	enum mapistore_error ret;
	uint16_t type = MAPISTORE_PROP_TYPE(proptag);
	uint64_t t0;

	if (obj == NULL || stream_r == NULL || mode > MAPISTORE_STREAM_READWRITE ||
	    (type != PtypBinary && type != PtypString && type != PtypString8)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	s = talloc_zero(mem_ctx, struct mapistore_stream);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	s->owner = obj;
	t0 = mapistore_now_ns();
	ret = mapistore_trace(obj->ctx, obj->ops, "stream_open", t0,
		obj->ops->stream_open(s, &obj->bobj, proptag, mode, &s->b));
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

	if (stream == NULL || (size > 0 && buf == NULL) || read_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
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
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_write", t0,
		stream->owner->ops->stream_write(stream->b, buf, size));
}

enum mapistore_error mapistore_stream_seek(struct mapistore_stream *stream,
	int64_t offset, int origin, uint64_t *position_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (stream == NULL || origin < 0 || origin > 2 || position_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
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
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_get_size", t0,
		stream->owner->ops->stream_get_size(stream->b, size_r));
}

enum mapistore_error mapistore_stream_commit(struct mapistore_stream *stream)
{
	uint64_t t0 = mapistore_now_ns();

	if (stream == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(stream->owner->ctx, stream->owner->ops, "stream_commit", t0,
		stream->owner->ops->stream_commit(stream->b));
}

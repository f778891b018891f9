/*
 * Memory backend: property lists, the property hooks and streams.
 * Message properties change the handle's working copy (kept until
 * message_save); folder properties apply at once; attachment properties
 * live in the parent message's working copy.
 */
#include "memory_private.h"

#include <string.h>

enum mapistore_error memory_props_copy(TALLOC_CTX *owner, struct mapistore_property_list *dst,
	const struct mapistore_property_list *src)
{
	dst->count = 0;
	dst->props = NULL;
	return mapistore_property_list_set(owner, dst, src->props, src->count);
}

/* The stored property list of @obj and its talloc owner. */
static enum mapistore_error object_props(struct mapistore_backend_object *obj,
	struct mapistore_property_list **p_r, TALLOC_CTX **owner_r, bool for_write)
{
	switch (obj->kind) {
	case MAPISTORE_OBJECT_FOLDER:
		if (obj->u.folder->data->deleted) {
			return MAPISTORE_ERR_OBJECT_DELETED;
		}
		*p_r = &obj->u.folder->data->props;
		*owner_r = obj->u.folder->data;
		return MAPISTORE_SUCCESS;
	case MAPISTORE_OBJECT_MESSAGE:
		if (for_write && !obj->u.message->read_write) {
			return MAPISTORE_ERR_NO_ACCESS;
		}
		*p_r = &obj->u.message->work->props;
		*owner_r = obj->u.message->work;
		return MAPISTORE_SUCCESS;
	case MAPISTORE_OBJECT_ATTACHMENT:
		if (for_write && !obj->u.attachment->msg->read_write) {
			return MAPISTORE_ERR_NO_ACCESS;
		}
		*p_r = &obj->u.attachment->data->props;
		*owner_r = obj->u.attachment->data;
		return MAPISTORE_SUCCESS;
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

enum mapistore_error memory_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r)
{
	struct mapistore_property *computed = NULL;
	struct mapistore_property_list *p = NULL;
	uint32_t computed_count = 0;
	enum mapistore_error ret;
	TALLOC_CTX *owner = NULL, *tmp;

	ret = object_props(obj, &p, &owner, false);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	tmp = talloc_new(mem_ctx);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		ret = memory_folder_computed(tmp, obj->u.folder->data, &computed, &computed_count);
	} else if (obj->kind == MAPISTORE_OBJECT_MESSAGE) {
		struct mapistore_backend_message *m = obj->u.message;

		ret = memory_message_computed(tmp, m->work, m->folder ? m->folder->fid : 0,
					      &computed, &computed_count);
	} else {
		struct mapistore_property attach_num = {
			.proptag = PidTagAttachNumber,
			.value.i32 = (int32_t)obj->u.attachment->data->aid,
		};

		computed = talloc_memdup(tmp, &attach_num, sizeof(attach_num));
		computed_count = 1;
		ret = computed ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_property_list_row(mem_ctx, p, computed, computed_count, proptags, count, props_r);
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error memory_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count)
{
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, true);

	return ret == MAPISTORE_SUCCESS ? mapistore_property_list_set(owner, p, props, count) : ret;
}

enum mapistore_error memory_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count)
{
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, true);

	if (ret == MAPISTORE_SUCCESS) {
		mapistore_property_list_delete(p, proptags, count);
	}
	return ret;
}

enum mapistore_error memory_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r)
{
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, false);

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_property_list_tags(mem_ctx, p, proptags_r, count_r);
}

/* Streams: the core's buffer helper (mapistore_stream_buffer_*), loaded
 * at open and written back by stream_commit. PtypString values stream as
 * their UTF-8 bytes. */
enum mapistore_error memory_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r)
{
	struct mapistore_backend_stream *s;
	const struct mapistore_property *v;
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	ret = object_props(obj, &p, &owner, mode != MAPISTORE_STREAM_READ);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	v = mapistore_property_list_find(p, proptag);
	if (v == NULL && mode == MAPISTORE_STREAM_READ) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	s = talloc_zero(mem_ctx, struct mapistore_backend_stream);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	s->obj = *obj;
	s->proptag = proptag;
	s->buf.writable = mode != MAPISTORE_STREAM_READ;
	if (v != NULL && mode != MAPISTORE_STREAM_WRITE) {
		ret = mapistore_stream_buffer_load(s, &s->buf, v);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(s);
			return ret;
		}
	}
	*stream_r = s;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r)
{
	return mapistore_stream_buffer_read(&stream->buf, buf, size, read_r);
}

enum mapistore_error memory_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size)
{
	return mapistore_stream_buffer_write(stream, &stream->buf, buf, size);
}

enum mapistore_error memory_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset, int origin, uint64_t *position_r)
{
	return mapistore_stream_buffer_seek(&stream->buf, offset, origin, position_r);
}

enum mapistore_error memory_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r)
{
	*size_r = stream->buf.length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_commit(struct mapistore_backend_stream *stream)
{
	struct mapistore_property prop;
	enum mapistore_error ret;

	ret = mapistore_stream_buffer_value(stream, &stream->buf, stream->proptag, &prop);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = memory_properties_set(&stream->obj, &prop, 1);
	if (MAPISTORE_PROP_TYPE(prop.proptag) != PtypBinary) {
		talloc_free(prop.value.str);
	}
	return ret;
}

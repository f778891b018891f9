/*
 * Memory backend: property lists, the property hooks and streams.
 * Message properties change the handle's working copy (kept until
 * message_save); folder properties apply at once; attachment properties
 * live in the parent message's working copy.
 */
#include "memory_private.h"

#include <string.h>

const struct mapistore_property *memory_props_find(const struct memory_props *p,
	uint32_t proptag)
{
	int idx = mapistore_properties_find(p->props, p->count, proptag);

	return idx >= 0 ? &p->props[idx] : NULL;
}

enum mapistore_error memory_props_set(TALLOC_CTX *owner, struct memory_props *p,
	const struct mapistore_property *props, uint32_t count)
{
	enum mapistore_error ret;
	uint32_t i;

	for (i = 0; i < count; i++) {
		/* one value per property ID, whatever its type */
		int idx = -1;
		uint32_t j;

		for (j = 0; j < p->count; j++) {
			if (MAPISTORE_PROP_ID(p->props[j].proptag) == MAPISTORE_PROP_ID(props[i].proptag)) {
				idx = (int)j;
				break;
			}
		}
		if (idx < 0) {
			struct mapistore_property *grown;

			if (p->count >= MAPISTORE_MAX_PROPERTIES) {
				return MAPISTORE_ERR_TOO_BIG;
			}
			grown = talloc_realloc(owner, p->props, struct mapistore_property, p->count + 1);
			if (grown == NULL) {
				return MAPISTORE_ERR_NO_MEMORY;
			}
			p->props = grown;
			idx = (int)p->count++;
		}
		ret = mapistore_property_copy(p->props, &p->props[idx], &props[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_props_delete(TALLOC_CTX *owner, struct memory_props *p,
	const uint32_t *tags, uint32_t count)
{
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < p->count; j++) {
			if (MAPISTORE_PROP_ID(p->props[j].proptag) == MAPISTORE_PROP_ID(tags[i])) {
				memmove(&p->props[j], &p->props[j + 1],
					sizeof(p->props[0]) * (p->count - j - 1));
				p->count--;
				break;
			}
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_props_copy(TALLOC_CTX *owner, struct memory_props *dst,
	const struct memory_props *src)
{
	dst->count = 0;
	dst->props = NULL;
	return memory_props_set(owner, dst, src->props, src->count);
}

/* Values of @tags from stored then computed properties. */
enum mapistore_error memory_row(TALLOC_CTX *mem_ctx, const struct memory_props *p,
	const struct mapistore_property *computed, uint32_t computed_count,
	const uint32_t *tags, uint32_t count, struct mapistore_property **out_r)
{
	struct mapistore_property *out;
	enum mapistore_error ret;
	uint32_t i;

	out = talloc_zero_array(mem_ctx, struct mapistore_property, count ? count : 1);
	if (out == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		const struct mapistore_property *v = memory_props_find(p, tags[i]);
		int idx;

		if (v == NULL && (idx = mapistore_properties_find(computed, computed_count, tags[i])) >= 0) {
			v = &computed[idx];
		}
		if (v == NULL) {
			out[i] = mapistore_property_not_found(tags[i]);
			continue;
		}
		ret = mapistore_property_copy(out, &out[i], v);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(out);
			return ret;
		}
	}
	*out_r = out;
	return MAPISTORE_SUCCESS;
}

/* The stored property list of @obj and its talloc owner. */
static enum mapistore_error object_props(struct mapistore_backend_object *obj,
	struct memory_props **p_r, TALLOC_CTX **owner_r, bool for_write)
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
	struct memory_props *p = NULL;
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
		ret = memory_row(mem_ctx, p, computed, computed_count, proptags, count, props_r);
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error memory_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count)
{
	struct memory_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, true);

	return ret == MAPISTORE_SUCCESS ? memory_props_set(owner, p, props, count) : ret;
}

enum mapistore_error memory_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count)
{
	struct memory_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, true);

	return ret == MAPISTORE_SUCCESS ? memory_props_delete(owner, p, proptags, count) : ret;
}

enum mapistore_error memory_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r)
{
	struct memory_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret = object_props(obj, &p, &owner, false);
	uint32_t *tags, i;

	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	tags = talloc_array(mem_ctx, uint32_t, p->count ? p->count : 1);
	if (tags == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < p->count; i++) {
		tags[i] = p->props[i].proptag;
	}
	*proptags_r = tags;
	*count_r = p->count;
	return MAPISTORE_SUCCESS;
}

/* Streams: a private buffer, written back by stream_commit. PtypString
 * values stream as their UTF-8 bytes. */
enum mapistore_error memory_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r)
{
	struct mapistore_backend_stream *s;
	const struct mapistore_property *v;
	struct memory_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	ret = object_props(obj, &p, &owner, mode != MAPISTORE_STREAM_READ);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	v = memory_props_find(p, proptag);
	if (v == NULL && mode == MAPISTORE_STREAM_READ) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	s = talloc_zero(mem_ctx, struct mapistore_backend_stream);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	s->obj = *obj;
	s->proptag = proptag;
	s->writable = mode != MAPISTORE_STREAM_READ;
	if (v != NULL && mode != MAPISTORE_STREAM_WRITE) {
		const uint8_t *src = MAPISTORE_PROP_TYPE(proptag) == PtypBinary ?
			v->value.bin.data : (const uint8_t *)v->value.str;

		s->length = MAPISTORE_PROP_TYPE(proptag) == PtypBinary ?
			v->value.bin.length : strlen(v->value.str);
		s->data = talloc_memdup(s, s->length ? src : (const uint8_t *)"", s->length ? s->length : 1);
		if (s->data == NULL) {
			talloc_free(s);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	*stream_r = s;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r)
{
	size_t n = stream->position < stream->length ? stream->length - stream->position : 0;

	n = n < size ? n : size;
	if (n > 0) {
		memcpy(buf, stream->data + stream->position, n);
	}
	stream->position += n;
	*read_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size)
{
	size_t end;

	if (!stream->writable) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (size > MAPISTORE_MAX_VALUE_SIZE ||
	    stream->position > MAPISTORE_MAX_VALUE_SIZE - size) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	end = stream->position + size;
	if (end > talloc_get_size(stream->data)) {
		size_t alloc = talloc_get_size(stream->data) ? talloc_get_size(stream->data) : 64;
		uint8_t *grown;

		while (alloc < end) {
			alloc *= 2;
		}
		grown = talloc_realloc_size(stream, stream->data, alloc);
		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		stream->data = grown;
	}
	if (stream->position > stream->length) {
		memset(stream->data + stream->length, 0, stream->position - stream->length);
	}
	memcpy(stream->data + stream->position, buf, size);
	stream->position = end;
	if (end > stream->length) {
		stream->length = end;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset, int origin, uint64_t *position_r)
{
	int64_t base = origin == 0 ? 0 : origin == 1 ? (int64_t)stream->position
						      : (int64_t)stream->length;

	if (base + offset < 0 || base + offset > (int64_t)MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	stream->position = (size_t)(base + offset);
	*position_r = stream->position;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r)
{
	*size_r = stream->length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_stream_commit(struct mapistore_backend_stream *stream)
{
	struct mapistore_property prop = { .proptag = stream->proptag };
	enum mapistore_error ret;
	char *str = NULL;

	if (!stream->writable) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (MAPISTORE_PROP_TYPE(stream->proptag) == PtypBinary) {
		prop.value.bin.data = stream->data;
		prop.value.bin.length = stream->length;
	} else {
		if (stream->length > 0 && memchr(stream->data, '\0', stream->length) != NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		str = talloc_strndup(stream, stream->length ? (const char *)stream->data : "",
				     stream->length);
		if (str == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		prop.value.str = str;
	}
	ret = memory_properties_set(&stream->obj, &prop, 1);
	talloc_free(str);
	return ret;
}

/*
 * Local backend: property lists, the property hooks and streams.
 * Folder properties are written to the database at once; message and
 * attachment properties change the handle's working copy until
 * message_save.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <string.h>

enum mapistore_error local_props_set(TALLOC_CTX *owner, struct local_props *p,
	const struct mapistore_property *props, uint32_t count)
{
	enum mapistore_error ret;
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		int idx = -1;

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

void local_props_delete(struct local_props *p, const uint32_t *tags, uint32_t count)
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
}

enum mapistore_error local_props_row(TALLOC_CTX *mem_ctx, const struct local_props *p,
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
		int idx = mapistore_properties_find(p->props, p->count, tags[i]);
		const struct mapistore_property *v = idx >= 0 ? &p->props[idx] : NULL;

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

enum mapistore_error local_msg_clone(TALLOC_CTX *mem_ctx, const struct local_msg *src,
	struct local_msg **dst_r)
{
	struct mapistore_binary enc;
	enum mapistore_error ret;

	/* the codec is the deep copy: one code path for disk and memory */
	ret = local_msg_encode(NULL, src, true, &enc);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = local_msg_decode(mem_ctx, enc.data, enc.length, true, dst_r);
	talloc_free(enc.data);
	return ret;
}

/* The working property list of a message or attachment. */
static enum mapistore_error work_props(struct mapistore_backend_object *obj, bool for_write,
	struct local_props **p_r, TALLOC_CTX **owner_r)
{
	if (obj->kind == MAPISTORE_OBJECT_MESSAGE) {
		if (for_write && !obj->u.message->read_write) {
			return MAPISTORE_ERR_NO_ACCESS;
		}
		*p_r = &obj->u.message->work->props;
		*owner_r = obj->u.message->work;
		return MAPISTORE_SUCCESS;
	}
	if (obj->kind == MAPISTORE_OBJECT_ATTACHMENT) {
		if (for_write && !obj->u.attachment->msg->read_write) {
			return MAPISTORE_ERR_NO_ACCESS;
		}
		*p_r = &obj->u.attachment->data->props;
		*owner_r = obj->u.attachment->data;
		return MAPISTORE_SUCCESS;
	}
	return MAPISTORE_ERR_INVALID_PARAMETER;
}

static enum mapistore_error msg_computed(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_message *m, struct mapistore_property **props_r,
	uint32_t *count_r)
{
	struct mapistore_property c[] = {
		{ .proptag = PidTagMid, .value.i64 = (int64_t)m->mid },
		{ .proptag = PidTagFolderId, .value.i64 = (int64_t)m->fid },
		{ .proptag = PidTagChangeNumber, .value.i64 = (int64_t)m->cn },
		{ .proptag = PidTagAssociated, .value.b = m->fai },
		{ .proptag = PidTagMessageFlags, .value.i32 = 0 },
	};

	*props_r = talloc_memdup(mem_ctx, c, sizeof(c));
	*count_r = sizeof(c) / sizeof(c[0]);
	return *props_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

enum mapistore_error local_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r)
{
	struct mapistore_property *computed = NULL;
	struct local_props *p = NULL, fprops = { 0 };
	uint32_t computed_count = 0;
	TALLOC_CTX *owner = NULL, *tmp = talloc_new(mem_ctx);
	enum mapistore_error ret;
	bool deleted = false;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		struct mapistore_backend_folder *f = obj->u.folder;

		ret = local_folder_props(tmp, f->ctx->store, f->fid, &fprops, &deleted);
		if (ret == MAPISTORE_SUCCESS && deleted) {
			ret = MAPISTORE_ERR_OBJECT_DELETED;
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_folder_computed(tmp, f->ctx->store, f->fid, &computed, &computed_count);
		}
		p = &fprops;
	} else {
		ret = work_props(obj, false, &p, &owner);
		if (ret == MAPISTORE_SUCCESS && obj->kind == MAPISTORE_OBJECT_MESSAGE) {
			ret = msg_computed(tmp, obj->u.message, &computed, &computed_count);
		} else if (ret == MAPISTORE_SUCCESS) {
			struct mapistore_property num = { .proptag = PidTagAttachNumber,
				.value.i32 = (int32_t)obj->u.attachment->data->aid };

			computed = talloc_memdup(tmp, &num, sizeof(num));
			computed_count = 1;
			ret = computed ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_props_row(mem_ctx, p, computed, computed_count, proptags, count, props_r);
	}
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error folder_change(struct mapistore_backend_folder *f,
	const struct mapistore_property *props, uint32_t count, const uint32_t *del_tags,
	uint32_t del_count)
{
	struct local_props p = { 0 };
	TALLOC_CTX *tmp = talloc_new(NULL);
	enum mapistore_error ret;
	bool deleted = false;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_begin(f->ctx->store);
	if (ret == MAPISTORE_SUCCESS) {
		ret = local_folder_props(tmp, f->ctx->store, f->fid, &p, &deleted);
		if (ret == MAPISTORE_SUCCESS && deleted) {
			ret = MAPISTORE_ERR_OBJECT_DELETED;
		}
		if (ret == MAPISTORE_SUCCESS && props != NULL) {
			ret = local_props_set(tmp, &p, props, count);
		}
		if (ret == MAPISTORE_SUCCESS && del_tags != NULL) {
			local_props_delete(&p, del_tags, del_count);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_folder_save_props(f->ctx->store, f->fid, &p);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_commit(f->ctx->store);
		} else {
			local_rollback(f->ctx->store);
		}
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count)
{
	struct local_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		return folder_change(obj->u.folder, props, count, NULL, 0);
	}
	ret = work_props(obj, true, &p, &owner);
	return ret == MAPISTORE_SUCCESS ? local_props_set(owner, p, props, count) : ret;
}

enum mapistore_error local_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count)
{
	struct local_props *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		return folder_change(obj->u.folder, NULL, 0, proptags, count);
	}
	ret = work_props(obj, true, &p, &owner);
	if (ret == MAPISTORE_SUCCESS) {
		local_props_delete(p, proptags, count);
	}
	return ret;
}

enum mapistore_error local_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r)
{
	struct local_props *p = NULL, fprops = { 0 };
	TALLOC_CTX *owner = NULL, *tmp = talloc_new(mem_ctx);
	enum mapistore_error ret;
	bool deleted = false;
	uint32_t *tags, i;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		ret = local_folder_props(tmp, obj->u.folder->ctx->store, obj->u.folder->fid,
					 &fprops, &deleted);
		p = &fprops;
	} else {
		ret = work_props(obj, false, &p, &owner);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(tmp);
		return ret;
	}
	tags = talloc_array(mem_ctx, uint32_t, p->count ? p->count : 1);
	if (tags == NULL) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < p->count; i++) {
		tags[i] = p->props[i].proptag;
	}
	*proptags_r = tags;
	*count_r = p->count;
	talloc_free(tmp);
	return MAPISTORE_SUCCESS;
}

/* ---- streams: a private buffer written back by stream_commit ---- */

enum mapistore_error local_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r)
{
	struct mapistore_property *v = NULL;
	struct mapistore_backend_stream *s;
	enum mapistore_error ret;

	if (mode != MAPISTORE_STREAM_READ && obj->kind != MAPISTORE_OBJECT_FOLDER) {
		struct local_props *p = NULL;
		TALLOC_CTX *owner = NULL;

		ret = work_props(obj, true, &p, &owner);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	s = talloc_zero(mem_ctx, struct mapistore_backend_stream);
	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	s->obj = *obj;
	s->proptag = proptag;
	s->writable = mode != MAPISTORE_STREAM_READ;
	ret = local_properties_get(s, obj, &proptag, 1, &v);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(s);
		return ret;
	}
	if (mapistore_property_is_error(&v[0])) {
		if (mode == MAPISTORE_STREAM_READ) {
			talloc_free(s);
			return MAPISTORE_ERR_NOT_FOUND;
		}
	} else if (mode != MAPISTORE_STREAM_WRITE) {
		bool bin = MAPISTORE_PROP_TYPE(proptag) == PtypBinary;

		s->length = bin ? v[0].value.bin.length : strlen(v[0].value.str);
		s->data = talloc_memdup(s, s->length ? (bin ? v[0].value.bin.data : (uint8_t *)v[0].value.str)
					: (const uint8_t *)"", s->length ? s->length : 1);
		if (s->data == NULL) {
			talloc_free(s);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	talloc_free(v);
	*stream_r = s;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_stream_read(struct mapistore_backend_stream *stream,
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

enum mapistore_error local_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size)
{
	size_t end;

	if (!stream->writable) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (stream->position > MAPISTORE_MAX_VALUE_SIZE - size) {
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

enum mapistore_error local_stream_seek(struct mapistore_backend_stream *stream,
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

enum mapistore_error local_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r)
{
	*size_r = stream->length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_stream_commit(struct mapistore_backend_stream *stream)
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
	ret = local_properties_set(&stream->obj, &prop, 1);
	talloc_free(str);
	return ret;
}

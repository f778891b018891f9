/*
 * Local backend: property lists, the property hooks and streams.
 * Folder properties are written to the database at once; message and
 * attachment properties change the handle's working copy until
 * message_save.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <string.h>

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
	struct mapistore_property_list **p_r, TALLOC_CTX **owner_r)
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
	struct mapistore_property_list *p = NULL, fprops = { 0 };
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
		ret = mapistore_property_list_row(mem_ctx, p, computed, computed_count, proptags, count, props_r);
	}
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error folder_change(struct mapistore_backend_folder *f,
	const struct mapistore_property *props, uint32_t count, const uint32_t *del_tags,
	uint32_t del_count)
{
	struct mapistore_property_list p = { 0 };
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
			ret = mapistore_property_list_set(tmp, &p, props, count);
		}
		if (ret == MAPISTORE_SUCCESS && del_tags != NULL) {
			mapistore_property_list_delete(&p, del_tags, del_count);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = local_folder_save_props(f->ctx->store, f->fid, &p);
		}
		ret = local_end(f->ctx->store, ret);
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error local_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count)
{
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		return folder_change(obj->u.folder, props, count, NULL, 0);
	}
	ret = work_props(obj, true, &p, &owner);
	return ret == MAPISTORE_SUCCESS ? mapistore_property_list_set(owner, p, props, count) : ret;
}

enum mapistore_error local_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count)
{
	struct mapistore_property_list *p = NULL;
	TALLOC_CTX *owner = NULL;
	enum mapistore_error ret;

	if (obj->kind == MAPISTORE_OBJECT_FOLDER) {
		return folder_change(obj->u.folder, NULL, 0, proptags, count);
	}
	ret = work_props(obj, true, &p, &owner);
	if (ret == MAPISTORE_SUCCESS) {
		mapistore_property_list_delete(p, proptags, count);
	}
	return ret;
}

enum mapistore_error local_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r)
{
	struct mapistore_property_list *p = NULL, fprops = { 0 };
	TALLOC_CTX *owner = NULL, *tmp = talloc_new(mem_ctx);
	enum mapistore_error ret;
	bool deleted = false;

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
	ret = mapistore_property_list_tags(mem_ctx, p, proptags_r, count_r);
	talloc_free(tmp);
	return ret;
}

/* ---- streams: the core's buffer helper, written back by stream_commit ---- */

enum mapistore_error local_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r)
{
	struct mapistore_property *v = NULL;
	struct mapistore_backend_stream *s;
	enum mapistore_error ret;

	if (mode != MAPISTORE_STREAM_READ && obj->kind != MAPISTORE_OBJECT_FOLDER) {
		struct mapistore_property_list *p = NULL;
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
	s->buf.writable = mode != MAPISTORE_STREAM_READ;
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
		ret = mapistore_stream_buffer_load(s, &s->buf, &v[0]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(s);
			return ret;
		}
	}
	talloc_free(v);
	*stream_r = s;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r)
{
	return mapistore_stream_buffer_read(&stream->buf, buf, size, read_r);
}

enum mapistore_error local_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size)
{
	return mapistore_stream_buffer_write(stream, &stream->buf, buf, size);
}

enum mapistore_error local_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset, int origin, uint64_t *position_r)
{
	return mapistore_stream_buffer_seek(&stream->buf, offset, origin, position_r);
}

enum mapistore_error local_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r)
{
	*size_r = stream->buf.length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_stream_commit(struct mapistore_backend_stream *stream)
{
	struct mapistore_property prop;
	enum mapistore_error ret;

	ret = mapistore_stream_buffer_value(stream, &stream->buf, stream->proptag, &prop);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = local_properties_set(&stream->obj, &prop, 1);
	if (MAPISTORE_PROP_TYPE(prop.proptag) != PtypBinary) {
		talloc_free(prop.value.str);
	}
	return ret;
}

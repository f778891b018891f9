/*
 * Property and stream operations on folders, messages and attachments
 * ([MS-OXCPRPT]). Counts are bounded before any backend sees them.
 */
#include "mapistore_private.h"

/* Only the tracking properties themselves (nothing the user changed). */
static bool only_tracking(const struct mapistore_property *props, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		switch (props[i].proptag) {
		case PidTagSourceKey: case PidTagParentSourceKey: case PidTagChangeKey:
		case PidTagPredecessorChangeList: case PidTagLastModificationTime:
			break;
		default:
			return false;
		}
	}
	return true;
}

/* An ICS import sets PidTagChangeKey / PidTagPredecessorChangeList on
 * the message: the save keeps them ([MS-OXCFXICS] 2.2.1.2.7). */
static enum mapistore_error keep_client_keys(struct mapistore_message *m,
	const struct mapistore_property *props, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		struct mapistore_binary *dst = props[i].proptag == PidTagChangeKey ? &m->client_change_key :
			props[i].proptag == PidTagPredecessorChangeList ? &m->client_pcl : NULL;

		if (dst == NULL) {
			continue;
		}
		talloc_free(dst->data);
		dst->length = 0;
		dst->data = props[i].value.bin.length == 0 ? NULL :
			talloc_memdup(m, props[i].value.bin.data, props[i].value.bin.length);
		if (props[i].value.bin.length > 0 && dst->data == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		dst->length = props[i].value.bin.length;
	}
	return MAPISTORE_SUCCESS;
}

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
	enum mapistore_error ret;
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
	ret = mapistore_trace(obj->ctx, obj->ops, "properties_set", t0,
		obj->ops->properties_set(&obj->bobj, props, count));
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (obj->bobj.kind == MAPISTORE_OBJECT_MESSAGE) {
		return keep_client_keys((struct mapistore_message *)obj, props, count);
	}
	if (obj->bobj.kind == MAPISTORE_OBJECT_FOLDER && !only_tracking(props, count)) {
		/* folder properties apply at once: a folder change */
		return mapistore_track_folder_change((struct mapistore_folder *)obj, 0);
	}
	return MAPISTORE_SUCCESS;
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

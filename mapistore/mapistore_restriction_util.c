/*
 * Restriction trees: deep copy with validation, and the list of
 * property tags a tree reads ([MS-OXCDATA] 2.12).
 */
#include "mapistore_props.h"

#include <string.h>

static enum mapistore_error copy_res(TALLOC_CTX *mem_ctx,
	struct mapistore_restriction *dst, const struct mapistore_restriction *src,
	unsigned depth);

/* A mandatory child restriction (subobject, count). */
static enum mapistore_error copy_child(TALLOC_CTX *mem_ctx,
	struct mapistore_restriction **dst_r, const struct mapistore_restriction *src,
	unsigned depth)
{
	struct mapistore_restriction *child;

	if (src == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	child = talloc_zero(mem_ctx, struct mapistore_restriction);
	if (child == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*dst_r = child;
	return copy_res(child, child, src, depth + 1);
}

/* 2.12.11: TaggedValues (bounded) and an optional restriction. */
static enum mapistore_error copy_comment(TALLOC_CTX *mem_ctx,
	struct mapistore_restriction *dst, const struct mapistore_restriction *src,
	unsigned depth)
{
	enum mapistore_error ret;
	uint32_t i;

	if (src->u.comment.count > MAPISTORE_MAX_PROPERTIES ||
	    (src->u.comment.count > 0 && src->u.comment.props == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	dst->u.comment.props = talloc_zero_array(mem_ctx, struct mapistore_property,
						 src->u.comment.count ? src->u.comment.count : 1);
	if (dst->u.comment.props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < src->u.comment.count; i++) {
		ret = mapistore_property_copy(dst->u.comment.props, &dst->u.comment.props[i],
					      &src->u.comment.props[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	if (src->u.comment.res == NULL) {
		dst->u.comment.res = NULL;
		return MAPISTORE_SUCCESS;
	}
	return copy_child(mem_ctx, &dst->u.comment.res, src->u.comment.res, depth);
}

static enum mapistore_error copy_res(TALLOC_CTX *mem_ctx,
	struct mapistore_restriction *dst, const struct mapistore_restriction *src,
	unsigned depth)
{
	enum mapistore_error ret;
	uint32_t i;

	if (src == NULL || depth > MAPISTORE_MAX_RESTRICTION_DEPTH) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*dst = *src;
	switch (src->type) {
	case MAPISTORE_RES_AND:
	case MAPISTORE_RES_OR:
		if (src->u.andor.count > MAPISTORE_MAX_PROPERTIES ||
		    (src->u.andor.count > 0 && src->u.andor.res == NULL)) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		dst->u.andor.res = talloc_zero_array(mem_ctx, struct mapistore_restriction,
						     src->u.andor.count ? src->u.andor.count : 1);
		if (dst->u.andor.res == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		for (i = 0; i < src->u.andor.count; i++) {
			ret = copy_res(dst->u.andor.res, &dst->u.andor.res[i],
				       &src->u.andor.res[i], depth + 1);
			if (ret != MAPISTORE_SUCCESS) {
				return ret;
			}
		}
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_NOT:
		dst->u.not_res = talloc_zero(mem_ctx, struct mapistore_restriction);
		if (dst->u.not_res == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		return copy_res(dst->u.not_res, dst->u.not_res, src->u.not_res, depth + 1);
	case MAPISTORE_RES_CONTENT:
		return mapistore_property_copy(mem_ctx, &dst->u.content.prop, &src->u.content.prop);
	case MAPISTORE_RES_PROPERTY:
		return mapistore_property_copy(mem_ctx, &dst->u.property.prop, &src->u.property.prop);
	case MAPISTORE_RES_COMPARE_PROPS:
	case MAPISTORE_RES_BITMASK:
	case MAPISTORE_RES_SIZE:
	case MAPISTORE_RES_EXIST:
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_SUBRESTRICTION:
		if (src->u.sub.subobject != PidTagMessageRecipients &&
		    src->u.sub.subobject != PidTagMessageAttachments) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		return copy_child(mem_ctx, &dst->u.sub.res, src->u.sub.res, depth);
	case MAPISTORE_RES_COUNT:
		return copy_child(mem_ctx, &dst->u.count.res, src->u.count.res, depth);
	case MAPISTORE_RES_COMMENT:
		return copy_comment(mem_ctx, dst, src, depth);
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

enum mapistore_error mapistore_restriction_copy(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *src, struct mapistore_restriction **dst_r)
{
	struct mapistore_restriction *dst = talloc_zero(mem_ctx, struct mapistore_restriction);
	enum mapistore_error ret;

	if (dst == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = copy_res(dst, dst, src, 0);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(dst);
		return ret;
	}
	*dst_r = dst;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error add_tag(TALLOC_CTX *mem_ctx, uint32_t **tags,
	uint32_t *count, uint32_t tag)
{
	uint32_t *grown = talloc_realloc(mem_ctx, *tags, uint32_t, *count + 1);

	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	grown[(*count)++] = tag;
	*tags = grown;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error collect(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, uint32_t **tags, uint32_t *count,
	unsigned depth)
{
	enum mapistore_error ret;
	uint32_t i;

	if (res == NULL || depth > MAPISTORE_MAX_RESTRICTION_DEPTH) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	switch (res->type) {
	case MAPISTORE_RES_AND:
	case MAPISTORE_RES_OR:
		for (i = 0; i < res->u.andor.count; i++) {
			ret = collect(mem_ctx, &res->u.andor.res[i], tags, count, depth + 1);
			if (ret != MAPISTORE_SUCCESS) {
				return ret;
			}
		}
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_NOT:
		return collect(mem_ctx, res->u.not_res, tags, count, depth + 1);
	case MAPISTORE_RES_CONTENT:
		return add_tag(mem_ctx, tags, count, res->u.content.proptag);
	case MAPISTORE_RES_PROPERTY:
		return add_tag(mem_ctx, tags, count, res->u.property.proptag);
	case MAPISTORE_RES_COMPARE_PROPS:
		ret = add_tag(mem_ctx, tags, count, res->u.compare.proptag1);
		return ret != MAPISTORE_SUCCESS ? ret :
			add_tag(mem_ctx, tags, count, res->u.compare.proptag2);
	case MAPISTORE_RES_BITMASK:
		return add_tag(mem_ctx, tags, count, res->u.bitmask.proptag);
	case MAPISTORE_RES_SIZE:
		return add_tag(mem_ctx, tags, count, res->u.size.proptag);
	case MAPISTORE_RES_EXIST:
		return add_tag(mem_ctx, tags, count, res->u.exist.proptag);
	case MAPISTORE_RES_SUBRESTRICTION:
		/* the message-level column; the subrestriction's own tags are
		 * read from the subobject rows */
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_COMMENT:
		return res->u.comment.res == NULL ? MAPISTORE_SUCCESS :
			collect(mem_ctx, res->u.comment.res, tags, count, depth + 1);
	case MAPISTORE_RES_COUNT:
		return collect(mem_ctx, res->u.count.res, tags, count, depth + 1);
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

enum mapistore_error mapistore_restriction_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, uint32_t **tags, uint32_t *count)
{
	return collect(mem_ctx, res, tags, count, 0);
}

bool mapistore_restriction_has_subobject(const struct mapistore_restriction *res)
{
	uint32_t i;

	if (res == NULL) {
		return false;
	}
	switch (res->type) {
	case MAPISTORE_RES_SUBRESTRICTION:
		return true;
	case MAPISTORE_RES_AND:
	case MAPISTORE_RES_OR:
		for (i = 0; i < res->u.andor.count; i++) {
			if (mapistore_restriction_has_subobject(&res->u.andor.res[i])) {
				return true;
			}
		}
		return false;
	case MAPISTORE_RES_NOT:
		return mapistore_restriction_has_subobject(res->u.not_res);
	case MAPISTORE_RES_COMMENT:
		return mapistore_restriction_has_subobject(res->u.comment.res);
	case MAPISTORE_RES_COUNT:
		return mapistore_restriction_has_subobject(res->u.count.res);
	default:
		return false;
	}
}

/*
 * Restrictions, [MS-OXCDATA] 2.12. In ROP buffers RestrictCount is 16 bits
 * (2.12.1.1) and TaggedValuesCount of CommentRestriction is 8 bits (2.12.10).
 * Nesting is bounded by OXCDATA_MAX_DEPTH so that hostile input cannot
 * exhaust the stack.
 */
#include <string.h>

#include "oxcdata.h"

static enum rop_err pull_sub(struct oxcdata_pull *pull, struct Restriction **out)
{
	*out = talloc_zero(pull->mem_ctx, struct Restriction);
	if (*out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	return oxcdata_pull_restriction(pull, *out);
}

static enum rop_err pull_restriction_body(struct oxcdata_pull *pull, struct Restriction *r)
{
	enum rop_err err = ROP_OK;
	uint16_t i;

	switch (r->RestrictType) {
	case RES_AND:
	case RES_OR:
		err = oxcdata_pull_u16(pull, &r->u.And.RestrictCount);
		if (err == ROP_OK) {
			err = oxcdata_pull_check_count(pull, r->u.And.RestrictCount, 1);
		}
		if (err != ROP_OK || r->u.And.RestrictCount == 0) {
			return err;
		}
		r->u.And.Restricts = talloc_zero_array(pull->mem_ctx, struct Restriction,
						       r->u.And.RestrictCount);
		if (r->u.And.Restricts == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; err == ROP_OK && i < r->u.And.RestrictCount; i++) {
			err = oxcdata_pull_restriction(pull, &r->u.And.Restricts[i]);
		}
		return err;
	case RES_NOT:
		return pull_sub(pull, &r->u.Not.Restriction);
	case RES_CONTENT:
		err = oxcdata_pull_u16(pull, &r->u.Content.FuzzyLevelLow);
		if (err == ROP_OK) {
			err = oxcdata_pull_u16(pull, &r->u.Content.FuzzyLevelHigh);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &r->u.Content.PropertyTag);
		}
		return err != ROP_OK ? err :
		       oxcdata_pull_tagged_value(pull, &r->u.Content.TaggedValue);
	case RES_PROPERTY:
		err = oxcdata_pull_u8(pull, &r->u.Property.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &r->u.Property.PropTag);
		}
		return err != ROP_OK ? err :
		       oxcdata_pull_tagged_value(pull, &r->u.Property.TaggedValue);
	case RES_COMPAREPROPS:
		err = oxcdata_pull_u8(pull, &r->u.CompareProperties.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &r->u.CompareProperties.PropTag1);
		}
		return err != ROP_OK ? err :
		       oxcdata_pull_u32(pull, &r->u.CompareProperties.PropTag2);
	case RES_BITMASK:
		err = oxcdata_pull_u8(pull, &r->u.Bitmask.BitmapRelOp);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &r->u.Bitmask.PropTag);
		}
		return err != ROP_OK ? err : oxcdata_pull_u32(pull, &r->u.Bitmask.Mask);
	case RES_SIZE:
		err = oxcdata_pull_u8(pull, &r->u.Size.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &r->u.Size.PropTag);
		}
		return err != ROP_OK ? err : oxcdata_pull_u32(pull, &r->u.Size.Size);
	case RES_EXIST:
		return oxcdata_pull_u32(pull, &r->u.Exist.PropTag);
	case RES_SUBRESTRICTION:
		err = oxcdata_pull_u32(pull, &r->u.SubObject.Subobject);
		return err != ROP_OK ? err : pull_sub(pull, &r->u.SubObject.Restriction);
	case RES_COMMENT:
		err = oxcdata_pull_u8(pull, &r->u.Comment.TaggedValuesCount);
		if (err == ROP_OK) {
			err = oxcdata_pull_tagged_values(pull, r->u.Comment.TaggedValuesCount,
							 &r->u.Comment.TaggedValues);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &r->u.Comment.RestrictionPresent);
		}
		if (err != ROP_OK || r->u.Comment.RestrictionPresent == 0) {
			return err;
		}
		return pull_sub(pull, &r->u.Comment.Restriction);
	case RES_COUNT:
		err = oxcdata_pull_u32(pull, &r->u.Count.Count);
		return err != ROP_OK ? err : pull_sub(pull, &r->u.Count.SubRestriction);
	default:
		return ROP_ERR_BAD_RESTRICTION;
	}
}

enum rop_err oxcdata_pull_restriction(struct oxcdata_pull *pull, struct Restriction *r)
{
	enum rop_err err;

	memset(r, 0, sizeof(*r));
	if (pull->depth >= OXCDATA_MAX_DEPTH) {
		return ROP_ERR_DEPTH;
	}
	err = oxcdata_pull_u8(pull, &r->RestrictType);
	if (err != ROP_OK) {
		return err;
	}
	pull->depth++;
	err = pull_restriction_body(pull, r);
	pull->depth--;
	return err;
}

static enum rop_err push_sub(struct oxcdata_push *push, const struct Restriction *r)
{
	return r == NULL ? ROP_ERR_INVALID : oxcdata_push_restriction(push, r);
}

static enum rop_err push_restriction_body(struct oxcdata_push *push, const struct Restriction *r)
{
	enum rop_err err = ROP_OK;
	uint16_t i;

	switch (r->RestrictType) {
	case RES_AND:
	case RES_OR:
		if (r->u.And.RestrictCount > 0 && r->u.And.Restricts == NULL) {
			return ROP_ERR_INVALID;
		}
		err = oxcdata_push_u16(push, r->u.And.RestrictCount);
		for (i = 0; err == ROP_OK && i < r->u.And.RestrictCount; i++) {
			err = oxcdata_push_restriction(push, &r->u.And.Restricts[i]);
		}
		return err;
	case RES_NOT:
		return push_sub(push, r->u.Not.Restriction);
	case RES_CONTENT:
		err = oxcdata_push_u16(push, r->u.Content.FuzzyLevelLow);
		if (err == ROP_OK) {
			err = oxcdata_push_u16(push, r->u.Content.FuzzyLevelHigh);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, r->u.Content.PropertyTag);
		}
		return err != ROP_OK ? err :
		       oxcdata_push_tagged_value(push, &r->u.Content.TaggedValue);
	case RES_PROPERTY:
		err = oxcdata_push_u8(push, r->u.Property.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, r->u.Property.PropTag);
		}
		return err != ROP_OK ? err :
		       oxcdata_push_tagged_value(push, &r->u.Property.TaggedValue);
	case RES_COMPAREPROPS:
		err = oxcdata_push_u8(push, r->u.CompareProperties.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, r->u.CompareProperties.PropTag1);
		}
		return err != ROP_OK ? err :
		       oxcdata_push_u32(push, r->u.CompareProperties.PropTag2);
	case RES_BITMASK:
		err = oxcdata_push_u8(push, r->u.Bitmask.BitmapRelOp);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, r->u.Bitmask.PropTag);
		}
		return err != ROP_OK ? err : oxcdata_push_u32(push, r->u.Bitmask.Mask);
	case RES_SIZE:
		err = oxcdata_push_u8(push, r->u.Size.RelOp);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, r->u.Size.PropTag);
		}
		return err != ROP_OK ? err : oxcdata_push_u32(push, r->u.Size.Size);
	case RES_EXIST:
		return oxcdata_push_u32(push, r->u.Exist.PropTag);
	case RES_SUBRESTRICTION:
		err = oxcdata_push_u32(push, r->u.SubObject.Subobject);
		return err != ROP_OK ? err : push_sub(push, r->u.SubObject.Restriction);
	case RES_COMMENT:
		err = oxcdata_push_u8(push, r->u.Comment.TaggedValuesCount);
		if (err == ROP_OK) {
			err = oxcdata_push_tagged_values(push, r->u.Comment.TaggedValuesCount,
							 r->u.Comment.TaggedValues);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u8(push, r->u.Comment.RestrictionPresent);
		}
		if (err != ROP_OK || r->u.Comment.RestrictionPresent == 0) {
			return err;
		}
		return push_sub(push, r->u.Comment.Restriction);
	case RES_COUNT:
		err = oxcdata_push_u32(push, r->u.Count.Count);
		return err != ROP_OK ? err : push_sub(push, r->u.Count.SubRestriction);
	default:
		return ROP_ERR_BAD_RESTRICTION;
	}
}

enum rop_err oxcdata_push_restriction(struct oxcdata_push *push, const struct Restriction *r)
{
	enum rop_err err;

	if (push->depth >= OXCDATA_MAX_DEPTH) {
		return ROP_ERR_DEPTH;
	}
	err = oxcdata_push_u8(push, r->RestrictType);
	if (err != ROP_OK) {
		return err;
	}
	push->depth++;
	err = push_restriction_body(push, r);
	push->depth--;
	return err;
}

enum rop_err oxcdata_restriction_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
					size_t len, struct Restriction **out)
{
	struct oxcdata_pull pull;
	struct Restriction *r = talloc_zero(mem_ctx, struct Restriction);
	enum rop_err err;

	*out = NULL;
	if (r == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, r, data, len);
	err = oxcdata_pull_restriction(&pull, r);
	if (err == ROP_OK && pull.offset != len) {
		err = ROP_ERR_FORMAT;
	}
	if (err != ROP_OK) {
		talloc_free(r);
		return err;
	}
	*out = r;
	return ROP_OK;
}

enum rop_err oxcdata_restriction_encode(TALLOC_CTX *mem_ctx, const struct Restriction *r,
					uint8_t **out, size_t *len_r)
{
	struct oxcdata_push push;
	enum rop_err err;

	oxcdata_push_init(&push, mem_ctx);
	err = oxcdata_push_restriction(&push, r);
	if (err != ROP_OK) {
		talloc_free(push.data);
		return err;
	}
	*out = push.data;
	*len_r = push.size;
	return ROP_OK;
}

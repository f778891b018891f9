/*
 * Restriction evaluation for tables whose backend does not restrict
 * natively ([MS-OXCDATA] 2.12 "Restrictions"; semantics of each type in
 * 2.12.1-2.12.9). A property the object lacks never satisfies a leaf.
 */
#include "mapistore_props.h"

#include <string.h>
#include <strings.h>

static const struct mapistore_property *find_prop(const struct mapistore_property *props,
	uint32_t count, uint32_t proptag)
{
	int idx = mapistore_properties_find(props, count, proptag);

	return idx >= 0 ? &props[idx] : NULL;
}

static bool relop_holds(enum mapistore_relop relop, int cmp)
{
	switch (relop) {
	case RELOP_LT: return cmp < 0;
	case RELOP_LE: return cmp <= 0;
	case RELOP_GT: return cmp > 0;
	case RELOP_GE: return cmp >= 0;
	case RELOP_EQ: return cmp == 0;
	case RELOP_NE: return cmp != 0;
	default: return false;  /* RELOP_RE (regular expression) unsupported */
	}
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t hlen,
	const uint8_t *needle, size_t nlen, bool icase)
{
	size_t i;

	if (nlen == 0) {
		return hay;
	}
	for (i = 0; i + nlen <= hlen; i++) {
		if (icase ? strncasecmp((const char *)hay + i, (const char *)needle, nlen) == 0
			  : memcmp(hay + i, needle, nlen) == 0) {
			return hay + i;
		}
	}
	return NULL;
}

/* 2.12.2 Content restriction on one value. */
static bool content_matches(uint16_t base, const union mapistore_value *v,
	const union mapistore_value *pattern, uint32_t fuzzy)
{
	const uint8_t *hay, *needle;
	size_t hlen, nlen;
	bool icase = (fuzzy & FL_IGNORECASE) != 0;

	if (base == PtypString || base == PtypString8) {
		hay = (const uint8_t *)(v->str ? v->str : "");
		needle = (const uint8_t *)(pattern->str ? pattern->str : "");
		hlen = strlen((const char *)hay);
		nlen = strlen((const char *)needle);
	} else {
		/* binary content matching is always case-sensitive */
		hay = v->bin.data;
		hlen = v->bin.length;
		needle = pattern->bin.data;
		nlen = pattern->bin.length;
		icase = false;
	}
	switch (fuzzy & 0xFFFF) {
	case FL_FULLSTRING:
		return hlen == nlen && find_bytes(hay, hlen, needle, nlen, icase) == hay;
	case FL_PREFIX:
		return hlen >= nlen && find_bytes(hay, nlen, needle, nlen, icase) == hay;
	case FL_SUBSTRING:
		return find_bytes(hay, hlen, needle, nlen, icase) != NULL;
	default:
		return false;
	}
}

static bool eval_content(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count)
{
	const struct mapistore_property *p = find_prop(props, count, res->u.content.proptag);
	uint16_t type, base;
	uint32_t i;

	if (p == NULL) {
		return false;
	}
	type = MAPISTORE_PROP_TYPE(p->proptag);
	base = type & ~PtypMultipleFlag;
	if (base != PtypString && base != PtypString8 && base != PtypBinary) {
		return false;
	}
	if ((MAPISTORE_PROP_TYPE(res->u.content.prop.proptag) & ~PtypMultipleFlag) != base) {
		return false;
	}
	if (!(type & PtypMultipleFlag)) {
		return content_matches(base, &p->value, &res->u.content.prop.value,
				       res->u.content.fuzzy_level);
	}
	for (i = 0; p->value.mv != NULL && i < p->value.mv->count; i++) {
		if (content_matches(base, &p->value.mv->values[i],
				    &res->u.content.prop.value, res->u.content.fuzzy_level)) {
			return true;
		}
	}
	return false;
}

static bool eval_property(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count)
{
	const struct mapistore_property *p = find_prop(props, count, res->u.property.proptag);
	int cmp;

	if (p == NULL) {
		return false;
	}
	if ((MAPISTORE_PROP_TYPE(p->proptag) & PtypMultipleFlag) &&
	    !(MAPISTORE_PROP_TYPE(res->u.property.prop.proptag) & PtypMultipleFlag)) {
		/* a multi-valued column against a single value: any instance */
		struct mapistore_property one = { .proptag = res->u.property.prop.proptag };
		uint32_t i;

		for (i = 0; p->value.mv != NULL && i < p->value.mv->count; i++) {
			one.value = p->value.mv->values[i];
			if (mapistore_property_compare(&one, &res->u.property.prop, &cmp) ==
			    MAPISTORE_SUCCESS && relop_holds(res->u.property.relop, cmp)) {
				return true;
			}
		}
		return false;
	}
	if (mapistore_property_compare(p, &res->u.property.prop, &cmp) != MAPISTORE_SUCCESS) {
		return false;
	}
	return relop_holds(res->u.property.relop, cmp);
}

static enum mapistore_error eval(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, unsigned depth,
	bool *match_r)
{
	const struct mapistore_property *p, *q;
	enum mapistore_error ret;
	uint32_t i;
	int cmp;

	if (res == NULL || depth > MAPISTORE_MAX_RESTRICTION_DEPTH) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	switch (res->type) {
	case MAPISTORE_RES_AND:
	case MAPISTORE_RES_OR:
		if (res->u.andor.count > 0 && res->u.andor.res == NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		*match_r = res->type == MAPISTORE_RES_AND;
		for (i = 0; i < res->u.andor.count; i++) {
			bool sub = false;

			ret = eval(&res->u.andor.res[i], props, count, depth + 1, &sub);
			if (ret != MAPISTORE_SUCCESS) {
				return ret;
			}
			if (res->type == MAPISTORE_RES_AND && !sub) {
				*match_r = false;
				return MAPISTORE_SUCCESS;
			}
			if (res->type == MAPISTORE_RES_OR && sub) {
				*match_r = true;
				return MAPISTORE_SUCCESS;
			}
		}
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_NOT:
		ret = eval(res->u.not_res, props, count, depth + 1, match_r);
		*match_r = !*match_r;
		return ret;
	case MAPISTORE_RES_CONTENT:
		*match_r = eval_content(res, props, count);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_PROPERTY:
		*match_r = eval_property(res, props, count);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_COMPARE_PROPS:
		p = find_prop(props, count, res->u.compare.proptag1);
		q = find_prop(props, count, res->u.compare.proptag2);
		*match_r = p != NULL && q != NULL &&
			   mapistore_property_compare(p, q, &cmp) == MAPISTORE_SUCCESS &&
			   relop_holds(res->u.compare.relop, cmp);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_BITMASK:
		p = find_prop(props, count, res->u.bitmask.proptag);
		if (p == NULL || MAPISTORE_PROP_TYPE(p->proptag) != PtypInteger32) {
			*match_r = false;
			return MAPISTORE_SUCCESS;
		}
		*match_r = (((uint32_t)p->value.i32 & res->u.bitmask.mask) == 0) ==
			   (res->u.bitmask.relop == BMR_EQZ);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_SIZE:
		p = find_prop(props, count, res->u.size.proptag);
		if (p == NULL) {
			*match_r = false;
			return MAPISTORE_SUCCESS;
		}
		cmp = (mapistore_property_size(p) > res->u.size.size) -
		      (mapistore_property_size(p) < res->u.size.size);
		*match_r = relop_holds(res->u.size.relop, cmp);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_EXIST:
		*match_r = find_prop(props, count, res->u.exist.proptag) != NULL;
		return MAPISTORE_SUCCESS;
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

enum mapistore_error mapistore_restriction_eval(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, bool *match_r)
{
	bool match = false;
	enum mapistore_error ret = eval(res, props, count, 0, &match);

	if (ret == MAPISTORE_SUCCESS) {
		*match_r = match;
	}
	return ret;
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
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

enum mapistore_error mapistore_restriction_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, uint32_t **tags, uint32_t *count)
{
	return collect(mem_ctx, res, tags, count, 0);
}

/*
 * Property values: copy, compare, and the stable storage encoding
 * described in mapistore_props.h. Types per [MS-OXCDATA] 2.11.1.
 */
#include "mapistore_props.h"

#include <string.h>
#include <strings.h>

enum value_class { VC_NONE, VC_I16, VC_I32, VC_F32, VC_F64, VC_I64, VC_BOOL,
		   VC_STR, VC_BIN };

static enum value_class value_class(uint16_t type)
{
	switch (type & ~PtypMultipleFlag) {
	case PtypInteger16: return VC_I16;
	case PtypInteger32:
	case PtypErrorCode: return VC_I32;
	case PtypFloating32: return VC_F32;
	case PtypFloating64:
	case PtypFloatingTime: return VC_F64;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime: return VC_I64;
	case PtypBoolean: return VC_BOOL;
	case PtypString:
	case PtypString8: return VC_STR;
	case PtypBinary:
	case PtypGuid:
	case PtypServerId:
	case PtypRestriction:
	case PtypRuleAction:
	case PtypObject: return VC_BIN;
	default: return VC_NONE;
	}
}

bool mapistore_proptype_valid(uint32_t proptag)
{
	uint16_t type = MAPISTORE_PROP_TYPE(proptag);

	if (value_class(type) == VC_NONE) {
		return false;
	}
	if ((type & PtypMultipleFlag) &&
	    ((type & ~PtypMultipleFlag) == PtypErrorCode ||
	     (type & ~PtypMultipleFlag) == PtypBoolean ||
	     (type & ~PtypMultipleFlag) == PtypObject ||
	     (type & ~PtypMultipleFlag) == PtypRestriction ||
	     (type & ~PtypMultipleFlag) == PtypRuleAction)) {
		return false;
	}
	return true;
}

static enum mapistore_error value_copy(TALLOC_CTX *mem_ctx, enum value_class vc,
	union mapistore_value *dst, const union mapistore_value *src)
{
	*dst = *src;
	if (vc == VC_STR) {
		dst->str = talloc_strdup(mem_ctx, src->str ? src->str : "");
		return dst->str ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	if (vc == VC_BIN) {
		dst->bin.data = NULL;
		if (src->bin.length == 0) {
			return MAPISTORE_SUCCESS;
		}
		if (src->bin.data == NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		dst->bin.data = talloc_memdup(mem_ctx, src->bin.data, src->bin.length);
		return dst->bin.data ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_property_copy(TALLOC_CTX *mem_ctx,
	struct mapistore_property *dst, const struct mapistore_property *src)
{
	uint16_t type = MAPISTORE_PROP_TYPE(src->proptag);
	enum value_class vc = value_class(type);
	struct mapistore_mv *mv;
	enum mapistore_error ret;
	uint32_t i;

	if (vc == VC_NONE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	dst->proptag = src->proptag;
	if (!(type & PtypMultipleFlag)) {
		return value_copy(mem_ctx, vc, &dst->value, &src->value);
	}
	if (src->value.mv == NULL || src->value.mv->count > MAPISTORE_MAX_MV_COUNT ||
	    (src->value.mv->count > 0 && src->value.mv->values == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	mv = talloc_zero(mem_ctx, struct mapistore_mv);
	if (mv == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	mv->count = src->value.mv->count;
	mv->values = talloc_zero_array(mv, union mapistore_value, mv->count ? mv->count : 1);
	if (mv->values == NULL) {
		talloc_free(mv);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < mv->count; i++) {
		ret = value_copy(mv->values, vc, &mv->values[i], &src->value.mv->values[i]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(mv);
			return ret;
		}
	}
	dst->value.mv = mv;
	return MAPISTORE_SUCCESS;
}

struct mapistore_property mapistore_property_not_found(uint32_t proptag)
{
	struct mapistore_property p = {
		.proptag = MAPISTORE_PROP_TAG(MAPISTORE_PROP_ID(proptag), PtypErrorCode),
		.value.i32 = (int32_t)MAPISTORE_ECNOTFOUND,
	};

	return p;
}

bool mapistore_property_is_error(const struct mapistore_property *prop)
{
	return MAPISTORE_PROP_TYPE(prop->proptag) == PtypErrorCode;
}

static int cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n > 0 ? memcmp(a, b, n) : 0;

	if (c != 0) {
		return c;
	}
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

static int value_compare(enum value_class vc, const union mapistore_value *a,
			 const union mapistore_value *b)
{
	switch (vc) {
	case VC_I16: return (a->i16 > b->i16) - (a->i16 < b->i16);
	case VC_I32: return (a->i32 > b->i32) - (a->i32 < b->i32);
	case VC_F32: return (a->f32 > b->f32) - (a->f32 < b->f32);
	case VC_F64: return (a->f64 > b->f64) - (a->f64 < b->f64);
	case VC_I64: return (a->i64 > b->i64) - (a->i64 < b->i64);
	case VC_BOOL: return (int)a->b - (int)b->b;
	case VC_STR: return strcasecmp(a->str ? a->str : "", b->str ? b->str : "");
	case VC_BIN: return cmp_bytes(a->bin.data, a->bin.length, b->bin.data, b->bin.length);
	default: return 0;
	}
}

enum mapistore_error mapistore_property_compare(const struct mapistore_property *a,
	const struct mapistore_property *b, int *cmp_r)
{
	uint16_t ta = MAPISTORE_PROP_TYPE(a->proptag);
	uint16_t tb = MAPISTORE_PROP_TYPE(b->proptag);
	enum value_class vc = value_class(ta);
	uint32_t i, n;

	if (vc == VC_NONE || ta != tb) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (!(ta & PtypMultipleFlag)) {
		*cmp_r = value_compare(vc, &a->value, &b->value);
		return MAPISTORE_SUCCESS;
	}
	if (a->value.mv == NULL || b->value.mv == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	n = a->value.mv->count < b->value.mv->count ? a->value.mv->count : b->value.mv->count;
	for (i = 0; i < n; i++) {
		int c = value_compare(vc, &a->value.mv->values[i], &b->value.mv->values[i]);

		if (c != 0) {
			*cmp_r = c;
			return MAPISTORE_SUCCESS;
		}
	}
	*cmp_r = (a->value.mv->count > b->value.mv->count) -
		 (a->value.mv->count < b->value.mv->count);
	return MAPISTORE_SUCCESS;
}

static size_t value_size(enum value_class vc, const union mapistore_value *v)
{
	switch (vc) {
	case VC_I16: return 2;
	case VC_I32: case VC_F32: return 4;
	case VC_F64: case VC_I64: return 8;
	case VC_BOOL: return 1;
	case VC_STR: return v->str ? strlen(v->str) : 0;
	case VC_BIN: return v->bin.length;
	default: return 0;
	}
}

size_t mapistore_property_size(const struct mapistore_property *prop)
{
	uint16_t type = MAPISTORE_PROP_TYPE(prop->proptag);
	enum value_class vc = value_class(type);
	size_t total = 0;
	uint32_t i;

	if (!(type & PtypMultipleFlag)) {
		return value_size(vc, &prop->value);
	}
	if (prop->value.mv == NULL) {
		return 0;
	}
	for (i = 0; i < prop->value.mv->count; i++) {
		total += value_size(vc, &prop->value.mv->values[i]);
	}
	return total;
}

int mapistore_properties_find(const struct mapistore_property *props,
	uint32_t count, uint32_t proptag)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (props[i].proptag == proptag) {
			return (int)i;
		}
	}
	return -1;
}

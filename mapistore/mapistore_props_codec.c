/*
 * The stable storage encoding of property values (mapistore_props.h).
 * A growing buffer for encoding; a bounds-checked cursor for decoding:
 * every length and count is checked against the bytes left and the
 * MAPISTORE_MAX_* limits before anything is allocated.
 */
#include "mapistore_props.h"

#include <string.h>

struct enc_buf {
	TALLOC_CTX *mem_ctx;
	uint8_t *data;
	size_t length;
	size_t alloc;
	bool failed;
};

static void enc_bytes(struct enc_buf *b, const void *p, size_t n)
{
	if (b->failed || n == 0) {
		return;
	}
	if (b->length + n > b->alloc) {
		size_t alloc = b->alloc ? b->alloc * 2 : 64;
		uint8_t *grown;

		while (alloc < b->length + n) {
			alloc *= 2;
		}
		grown = talloc_realloc(b->mem_ctx, b->data, uint8_t, alloc);
		if (grown == NULL) {
			b->failed = true;
			return;
		}
		b->data = grown;
		b->alloc = alloc;
	}
	memcpy(b->data + b->length, p, n);
	b->length += n;
}

static void enc_le(struct enc_buf *b, uint64_t v, size_t n)
{
	uint8_t tmp[8];
	size_t i;

	for (i = 0; i < n; i++) {
		tmp[i] = (uint8_t)(v >> (8 * i));
	}
	enc_bytes(b, tmp, n);
}

static void enc_value(struct enc_buf *b, uint16_t base, const union mapistore_value *v)
{
	uint64_t u;
	size_t len;

	switch (base) {
	case PtypInteger16:
		enc_le(b, (uint16_t)v->i16, 2);
		break;
	case PtypInteger32:
	case PtypErrorCode:
		enc_le(b, (uint32_t)v->i32, 4);
		break;
	case PtypFloating32: {
		uint32_t f;

		memcpy(&f, &v->f32, 4);
		enc_le(b, f, 4);
		break;
	}
	case PtypFloating64:
	case PtypFloatingTime:
		memcpy(&u, &v->f64, 8);
		enc_le(b, u, 8);
		break;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		enc_le(b, (uint64_t)v->i64, 8);
		break;
	case PtypBoolean:
		enc_le(b, v->b ? 1 : 0, 1);
		break;
	case PtypString:
	case PtypString8:
		len = v->str ? strlen(v->str) : 0;
		if (len > MAPISTORE_MAX_VALUE_SIZE) {
			b->failed = true;
			return;
		}
		enc_le(b, len, 4);
		enc_bytes(b, v->str, len);
		break;
	default:
		if (v->bin.length > MAPISTORE_MAX_VALUE_SIZE ||
		    (v->bin.length > 0 && v->bin.data == NULL)) {
			b->failed = true;
			return;
		}
		enc_le(b, v->bin.length, 4);
		enc_bytes(b, v->bin.data, v->bin.length);
		break;
	}
}

static void enc_property(struct enc_buf *b, const struct mapistore_property *p)
{
	uint16_t type = MAPISTORE_PROP_TYPE(p->proptag);
	uint16_t base = type & ~PtypMultipleFlag;
	uint32_t i;

	if (!mapistore_proptype_valid(p->proptag)) {
		b->failed = true;
		return;
	}
	enc_le(b, p->proptag, 4);
	if (!(type & PtypMultipleFlag)) {
		enc_value(b, base, &p->value);
		return;
	}
	if (p->value.mv == NULL || p->value.mv->count > MAPISTORE_MAX_MV_COUNT) {
		b->failed = true;
		return;
	}
	enc_le(b, p->value.mv->count, 4);
	for (i = 0; i < p->value.mv->count; i++) {
		enc_value(b, base, &p->value.mv->values[i]);
	}
}

static enum mapistore_error enc_finish(struct enc_buf *b, struct mapistore_binary *out)
{
	if (b->failed) {
		TALLOC_FREE(b->data);
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (b->data == NULL) {
		b->data = talloc_size(b->mem_ctx, 1);
		if (b->data == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	out->data = b->data;
	out->length = b->length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_property_encode(TALLOC_CTX *mem_ctx,
	const struct mapistore_property *prop, struct mapistore_binary *out)
{
	struct enc_buf b = { .mem_ctx = mem_ctx };

	enc_property(&b, prop);
	return enc_finish(&b, out);
}

enum mapistore_error mapistore_properties_encode(TALLOC_CTX *mem_ctx,
	const struct mapistore_property *props, uint32_t count,
	struct mapistore_binary *out)
{
	struct enc_buf b = { .mem_ctx = mem_ctx };
	uint32_t i;

	if (count > MAPISTORE_MAX_PROPERTIES) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	enc_le(&b, count, 4);
	for (i = 0; i < count; i++) {
		enc_property(&b, &props[i]);
	}
	return enc_finish(&b, out);
}

/* ---- decoding ---- */

struct dec_cursor {
	const uint8_t *data;
	size_t left;
};

static bool dec_le(struct dec_cursor *c, size_t n, uint64_t *v)
{
	size_t i;

	if (c->left < n) {
		return false;
	}
	*v = 0;
	for (i = 0; i < n; i++) {
		*v |= (uint64_t)c->data[i] << (8 * i);
	}
	c->data += n;
	c->left -= n;
	return true;
}

static enum mapistore_error dec_value(TALLOC_CTX *mem_ctx, struct dec_cursor *c,
	uint16_t base, union mapistore_value *v)
{
	uint64_t u;

	switch (base) {
	case PtypInteger16:
		if (!dec_le(c, 2, &u)) return MAPISTORE_ERR_CORRUPTED;
		v->i16 = (int16_t)u;
		return MAPISTORE_SUCCESS;
	case PtypInteger32:
	case PtypErrorCode:
		if (!dec_le(c, 4, &u)) return MAPISTORE_ERR_CORRUPTED;
		v->i32 = (int32_t)(uint32_t)u;
		return MAPISTORE_SUCCESS;
	case PtypFloating32: {
		uint32_t f;

		if (!dec_le(c, 4, &u)) return MAPISTORE_ERR_CORRUPTED;
		f = (uint32_t)u;
		memcpy(&v->f32, &f, 4);
		return MAPISTORE_SUCCESS;
	}
	case PtypFloating64:
	case PtypFloatingTime:
		if (!dec_le(c, 8, &u)) return MAPISTORE_ERR_CORRUPTED;
		memcpy(&v->f64, &u, 8);
		return MAPISTORE_SUCCESS;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		if (!dec_le(c, 8, &u)) return MAPISTORE_ERR_CORRUPTED;
		v->i64 = (int64_t)u;
		return MAPISTORE_SUCCESS;
	case PtypBoolean:
		if (!dec_le(c, 1, &u) || u > 1) return MAPISTORE_ERR_CORRUPTED;
		v->b = u != 0;
		return MAPISTORE_SUCCESS;
	case PtypString:
	case PtypString8:
		if (!dec_le(c, 4, &u) || u > c->left || u > MAPISTORE_MAX_VALUE_SIZE ||
		    memchr(c->data, '\0', (size_t)u) != NULL) {
			return MAPISTORE_ERR_CORRUPTED;
		}
		v->str = talloc_strndup(mem_ctx, (const char *)c->data, (size_t)u);
		if (v->str == NULL) return MAPISTORE_ERR_NO_MEMORY;
		c->data += u;
		c->left -= u;
		return MAPISTORE_SUCCESS;
	default:
		if (!dec_le(c, 4, &u) || u > c->left || u > MAPISTORE_MAX_VALUE_SIZE) {
			return MAPISTORE_ERR_CORRUPTED;
		}
		v->bin.length = (size_t)u;
		v->bin.data = NULL;
		if (u > 0) {
			v->bin.data = talloc_memdup(mem_ctx, c->data, (size_t)u);
			if (v->bin.data == NULL) return MAPISTORE_ERR_NO_MEMORY;
		}
		c->data += u;
		c->left -= u;
		return MAPISTORE_SUCCESS;
	}
}

static enum mapistore_error dec_property(TALLOC_CTX *mem_ctx, struct dec_cursor *c,
	struct mapistore_property *p)
{
	uint16_t type, base;
	struct mapistore_mv *mv;
	enum mapistore_error ret;
	uint64_t u;
	uint32_t i;

	if (!dec_le(c, 4, &u)) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	p->proptag = (uint32_t)u;
	if (!mapistore_proptype_valid(p->proptag)) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	type = MAPISTORE_PROP_TYPE(p->proptag);
	base = type & ~PtypMultipleFlag;
	if (!(type & PtypMultipleFlag)) {
		return dec_value(mem_ctx, c, base, &p->value);
	}
	/* every value takes at least one byte: bound the count by the input */
	if (!dec_le(c, 4, &u) || u > MAPISTORE_MAX_MV_COUNT || u > c->left) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	mv = talloc_zero(mem_ctx, struct mapistore_mv);
	if (mv == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	mv->count = (uint32_t)u;
	mv->values = talloc_zero_array(mv, union mapistore_value, mv->count ? mv->count : 1);
	if (mv->values == NULL) {
		talloc_free(mv);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < mv->count; i++) {
		ret = dec_value(mv->values, c, base, &mv->values[i]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(mv);
			return ret;
		}
	}
	p->value.mv = mv;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_property_decode(TALLOC_CTX *mem_ctx,
	const uint8_t *data, size_t length, struct mapistore_property *prop_r)
{
	struct dec_cursor c = { .data = data, .left = length };
	struct mapistore_property p = { 0 };
	TALLOC_CTX *tmp;
	enum mapistore_error ret;

	if (data == NULL && length > 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	tmp = talloc_new(mem_ctx);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = dec_property(tmp, &c, &p);
	if (ret == MAPISTORE_SUCCESS && c.left != 0) {
		ret = MAPISTORE_ERR_CORRUPTED;
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(tmp);
		return ret;
	}
	ret = mapistore_property_copy(mem_ctx, prop_r, &p);
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_properties_decode(TALLOC_CTX *mem_ctx,
	const uint8_t *data, size_t length, struct mapistore_property **props_r,
	uint32_t *count_r)
{
	struct dec_cursor c = { .data = data, .left = length };
	struct mapistore_property *props;
	enum mapistore_error ret;
	uint64_t count;
	uint32_t i;

	if (data == NULL && length > 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* a property takes at least 5 bytes */
	if (!dec_le(&c, 4, &count) || count > MAPISTORE_MAX_PROPERTIES ||
	    count > c.left / 5) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	props = talloc_zero_array(mem_ctx, struct mapistore_property, count ? count : 1);
	if (props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		ret = dec_property(props, &c, &props[i]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(props);
			return ret;
		}
	}
	if (c.left != 0) {
		talloc_free(props);
		return MAPISTORE_ERR_CORRUPTED;
	}
	*props_r = props;
	*count_r = (uint32_t)count;
	return MAPISTORE_SUCCESS;
}

/*
 * UTF-8 <-> UTF-16LE, for PtypString values on the wire ([MS-OXCDATA]
 * 2.11.1: PtypString is UTF-16LE; [MS-OXCPRPT] 2.2.14 streams of
 * PtypString properties carry UTF-16LE). Ill-formed input becomes
 * U+FFFD; nothing is ever read past the given length.
 */
#include "mapistore_props.h"

#include <string.h>

#define REPLACEMENT 0xFFFD

/* Decode one UTF-8 sequence at @p (at most @p left bytes); returns its
 * length (>= 1) and the code point in *cp. */
static size_t utf8_next(const uint8_t *p, size_t left, uint32_t *cp)
{
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t need, i;
	uint32_t c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		need = 2;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4;
		c &= 0x07;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (need > left) {
		*cp = REPLACEMENT;
		return 1;
	}
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return i;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are ill-formed */
	if (c < min_cp[need] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		c = REPLACEMENT;
	}
	*cp = c;
	return need;
}

enum mapistore_error mapistore_utf8_to_utf16le(TALLOC_CTX *mem_ctx, const char *str,
	size_t length, struct mapistore_binary *out)
{
	const uint8_t *p = (const uint8_t *)str;
	uint8_t *buf;
	size_t i = 0, o = 0;

	if (out == NULL || (length > 0 && str == NULL) || length > MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* at most 2 units (4 bytes) per input byte... 4 bytes of UTF-8 give
	 * one surrogate pair, so 2 bytes per input byte is the bound */
	buf = talloc_array(mem_ctx, uint8_t, length * 2 + 2);
	if (buf == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	while (i < length) {
		uint32_t cp;

		i += utf8_next(p + i, length - i, &cp);
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint16_t hi = (uint16_t)(0xD800 | (v >> 10)), lo = (uint16_t)(0xDC00 | (v & 0x3FF));

			buf[o++] = (uint8_t)hi;
			buf[o++] = (uint8_t)(hi >> 8);
			buf[o++] = (uint8_t)lo;
			buf[o++] = (uint8_t)(lo >> 8);
		} else {
			buf[o++] = (uint8_t)cp;
			buf[o++] = (uint8_t)(cp >> 8);
		}
	}
	out->data = buf;
	out->length = o;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_utf16le_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, char **str_r, size_t *length_r)
{
	char *buf;
	size_t i, o = 0, units;

	if (str_r == NULL || (length > 0 && data == NULL) || (length % 2) != 0 ||
	    length > MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	units = length / 2;
	/* one unit gives at most 3 bytes; a pair (2 units) gives 4 */
	buf = talloc_array(mem_ctx, char, units * 3 + 1);
	if (buf == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < units; i++) {
		uint32_t cp = (uint32_t)data[2 * i] | ((uint32_t)data[2 * i + 1] << 8);

		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units) {
			uint32_t lo = (uint32_t)data[2 * i + 2] | ((uint32_t)data[2 * i + 3] << 8);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = REPLACEMENT;
			}
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = REPLACEMENT;   /* lone surrogate */
		}
		if (cp < 0x80) {
			buf[o++] = (char)cp;
		} else if (cp < 0x800) {
			buf[o++] = (char)(0xC0 | (cp >> 6));
			buf[o++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			buf[o++] = (char)(0xE0 | (cp >> 12));
			buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			buf[o++] = (char)(0xF0 | (cp >> 18));
			buf[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	buf[o] = '\0';
	*str_r = buf;
	if (length_r != NULL) {
		*length_r = o;
	}
	return MAPISTORE_SUCCESS;
}

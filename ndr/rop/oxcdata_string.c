/*
 * String conversions for PtypString (UTF-16LE) and PtypString8 (code page)
 * values, [MS-OXCDATA] 2.11.1. UTF-16, UTF-8, ASCII and 1252 are converted
 * here (strictly: unpaired surrogates and invalid UTF-8 are errors); other
 * code pages go through iconv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "oxcdata_wire.h"

/* Windows-1252 0x80..0x9F; 0 marks the five undefined positions. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static size_t utf8_put(char *dst, uint32_t cp)
{
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xC0 | (cp >> 6));
		dst[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xE0 | (cp >> 12));
		dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		dst[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | (cp >> 18));
	dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	dst[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode one UTF-8 code point; returns its length or 0 when invalid. */
static size_t utf8_get(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (n == 0) {
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n) {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return 0;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* reject overlong forms, surrogates and out-of-range values */
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF)) {
		return 0;
	}
	*cp = c;
	return len;
}

enum rop_err oxcdata_utf16_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *src,
				   size_t nbytes, char **out)
{
	/* each UTF-16 unit gives at most 3 UTF-8 bytes (pairs give 4 for 2) */
	char *dst;
	size_t i, o = 0;

	*out = NULL;
	if (nbytes % 2 != 0) {
		return ROP_ERR_BAD_STRING;
	}
	dst = talloc_array(mem_ctx, char, (nbytes / 2) * 3 + 1);
	if (dst == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; i < nbytes; i += 2) {
		uint32_t u = (uint32_t)src[i] | ((uint32_t)src[i + 1] << 8);

		if (u == 0) {
			goto bad;
		}
		if (u >= 0xD800 && u <= 0xDBFF) {
			uint32_t lo;

			if (i + 3 >= nbytes) {
				goto bad;
			}
			lo = (uint32_t)src[i + 2] | ((uint32_t)src[i + 3] << 8);
			if (lo < 0xDC00 || lo > 0xDFFF) {
				goto bad;
			}
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			goto bad;
		}
		o += utf8_put(dst + o, u);
	}
	dst[o] = '\0';
	*out = dst;
	return ROP_OK;
bad:
	talloc_free(dst);
	return ROP_ERR_BAD_STRING;
}

enum rop_err oxcdata_utf8_to_utf16(TALLOC_CTX *mem_ctx, const char *src,
				   uint8_t **out, size_t *nbytes_r)
{
	size_t n = strlen(src), i = 0, o = 0;
	uint8_t *dst;

	*out = NULL;
	*nbytes_r = 0;
	/* at most one UTF-16 unit (2 bytes) per input byte */
	dst = talloc_array(mem_ctx, uint8_t, n * 2 + 2);
	if (dst == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_get((const uint8_t *)src + i, n - i, &cp);

		if (len == 0) {
			talloc_free(dst);
			return ROP_ERR_BAD_STRING;
		}
		i += len;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint16_t hi = (uint16_t)(0xD800 + (v >> 10));
			uint16_t lo = (uint16_t)(0xDC00 + (v & 0x3FF));

			dst[o++] = (uint8_t)hi;
			dst[o++] = (uint8_t)(hi >> 8);
			dst[o++] = (uint8_t)lo;
			dst[o++] = (uint8_t)(lo >> 8);
		} else {
			dst[o++] = (uint8_t)cp;
			dst[o++] = (uint8_t)(cp >> 8);
		}
	}
	*out = dst;
	*nbytes_r = o;
	return ROP_OK;
}

static enum rop_err iconv_convert(TALLOC_CTX *mem_ctx, const char *to,
				  const char *from, const uint8_t *src, size_t n,
				  uint8_t **out, size_t *n_r)
{
	iconv_t cd = iconv_open(to, from);
	size_t alloc = n * 4 + 4, left_in = n, left_out;
	char *in = (char *)(uintptr_t)src, *dst, *o;

	*out = NULL;
	if (cd == (iconv_t)-1) {
		return ROP_ERR_BAD_STRING;
	}
	dst = talloc_array(mem_ctx, char, alloc);
	if (dst == NULL) {
		iconv_close(cd);
		return ROP_ERR_NO_MEMORY;
	}
	o = dst;
	left_out = alloc - 1;
	if (iconv(cd, &in, &left_in, &o, &left_out) == (size_t)-1) {
		iconv_close(cd);
		talloc_free(dst);
		return ROP_ERR_BAD_STRING;
	}
	iconv_close(cd);
	*o = '\0';
	*out = (uint8_t *)dst;
	*n_r = (size_t)(o - dst);
	return ROP_OK;
}

enum rop_err oxcdata_cp_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
				const uint8_t *src, size_t n, char **out)
{
	char name[16];
	uint8_t *res = NULL;
	size_t res_n = 0, i, o = 0;
	char *dst;
	enum rop_err err;

	*out = NULL;
	if (memchr(src, 0, n) != NULL) {
		return ROP_ERR_BAD_STRING;
	}
	switch (codepage) {
	case 0:
	case OXCDATA_CP_1252:
	case OXCDATA_CP_ASCII:
		dst = talloc_array(mem_ctx, char, n * 3 + 1);
		if (dst == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; i < n; i++) {
			uint32_t cp = src[i];

			if (cp >= 0x80 && codepage == OXCDATA_CP_ASCII) {
				talloc_free(dst);
				return ROP_ERR_BAD_STRING;
			}
			if (cp >= 0x80 && cp < 0xA0) {
				cp = cp1252_high[cp - 0x80];
				if (cp == 0) {
					talloc_free(dst);
					return ROP_ERR_BAD_STRING;
				}
			}
			o += utf8_put(dst + o, cp);
		}
		dst[o] = '\0';
		*out = dst;
		return ROP_OK;
	case OXCDATA_CP_UTF8:
		for (i = 0; i < n;) {
			uint32_t cp;
			size_t len = utf8_get(src + i, n - i, &cp);

			if (len == 0) {
				return ROP_ERR_BAD_STRING;
			}
			i += len;
		}
		*out = talloc_strndup(mem_ctx, (const char *)src, n);
		return *out ? ROP_OK : ROP_ERR_NO_MEMORY;
	case OXCDATA_CP_UTF16:
		return oxcdata_utf16_to_utf8(mem_ctx, src, n, out);
	default:
		snprintf(name, sizeof(name), "CP%u", (unsigned)codepage);
		err = iconv_convert(mem_ctx, "UTF-8", name, src, n, &res, &res_n);
		*out = (char *)res;
		return err;
	}
}

enum rop_err oxcdata_utf8_to_cp(TALLOC_CTX *mem_ctx, uint32_t codepage,
				const char *src, uint8_t **out, size_t *n_r)
{
	size_t n = strlen(src), i = 0, o = 0;
	char name[16];
	uint8_t *dst;

	*out = NULL;
	*n_r = 0;
	switch (codepage) {
	case 0:
	case OXCDATA_CP_1252:
	case OXCDATA_CP_ASCII:
		dst = talloc_array(mem_ctx, uint8_t, n + 1);
		if (dst == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		while (i < n) {
			uint32_t cp;
			size_t len = utf8_get((const uint8_t *)src + i, n - i, &cp), k;
			int found = -1;

			if (len == 0) {
				goto bad;
			}
			i += len;
			if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF &&
					  codepage != OXCDATA_CP_ASCII)) {
				dst[o++] = (uint8_t)cp;
				continue;
			}
			for (k = 0; k < 32 && codepage != OXCDATA_CP_ASCII; k++) {
				if (cp1252_high[k] == cp) {
					found = (int)k;
				}
			}
			if (found < 0) {
				goto bad;
			}
			dst[o++] = (uint8_t)(0x80 + found);
		}
		dst[o] = 0;
		*out = dst;
		*n_r = o;
		return ROP_OK;
	bad:
		talloc_free(dst);
		return ROP_ERR_BAD_STRING;
	case OXCDATA_CP_UTF8:
		for (i = 0; i < n;) {
			uint32_t cp;
			size_t len = utf8_get((const uint8_t *)src + i, n - i, &cp);

			if (len == 0) {
				return ROP_ERR_BAD_STRING;
			}
			i += len;
		}
		*out = talloc_memdup(mem_ctx, src, n + 1);
		*n_r = n;
		return *out ? ROP_OK : ROP_ERR_NO_MEMORY;
	case OXCDATA_CP_UTF16:
		return oxcdata_utf8_to_utf16(mem_ctx, src, out, n_r);
	default:
		snprintf(name, sizeof(name), "CP%u", (unsigned)codepage);
		return iconv_convert(mem_ctx, name, "UTF-8", (const uint8_t *)src,
				     n, out, n_r);
	}
}

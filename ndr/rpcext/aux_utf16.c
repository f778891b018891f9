/*
 * OpenChange: UTF-16LE <-> UTF-8 for the "null-terminated Unicode"
 * strings of the auxiliary blocks ([MS-OXCRPC] 2.2.2.2.x). Small and
 * self-contained so that the codec needs no iconv and cannot fail on a
 * missing charset module.
 */
#include "aux_private.h"
#include "rpcext_private.h"

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *aux_utf16_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *s, size_t n)
{
	size_t units = n / 2, i, o = 0;
	/* each UTF-16 unit yields at most 3 UTF-8 bytes (pairs: 4 for 2) */
	char *out = talloc_array(mem_ctx, char, units * 3 + 1);

	if (out == NULL) {
		return NULL;
	}
	for (i = 0; i < units; i++) {
		uint32_t cp = rpcext_get_le16(s + 2 * i);

		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units) {
			uint32_t lo = rpcext_get_le16(s + 2 * (i + 1));

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = 0xFFFD;
		}
		o += utf8_put(cp, out + o);
	}
	out[o] = '\0';
	return out;
}

/* Decode one UTF-8 sequence; returns its length, 0 if invalid. */
static size_t utf8_get(const unsigned char *s, uint32_t *cp_r)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		len = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		len = 3;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		len = 4;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		return 0;
	}
	*cp_r = cp;
	return len;
}

ptrdiff_t aux_utf8_utf16_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	ptrdiff_t units = 0;

	while (*p != 0) {
		uint32_t cp;
		size_t len = utf8_get(p, &cp);

		if (len == 0) {
			return -1;
		}
		units += cp >= 0x10000 ? 2 : 1;
		p += len;
	}
	return units;
}

size_t aux_utf8_to_utf16(const char *s, uint8_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p != 0) {
		uint32_t cp = 0;
		size_t len = utf8_get(p, &cp);

		if (len == 0) {
			break;	/* caller validated with aux_utf8_utf16_len() */
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			rpcext_put_le16(out + o, (uint16_t)(0xD800 | (cp >> 10)));
			rpcext_put_le16(out + o + 2, (uint16_t)(0xDC00 | (cp & 0x3FF)));
			o += 4;
		} else {
			rpcext_put_le16(out + o, (uint16_t)cp);
			o += 2;
		}
		p += len;
	}
	return o;
}

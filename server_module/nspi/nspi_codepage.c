/*
 * 8-bit strings in the code pages NSPI clients use ([MS-OXNSPI] 2.2.1.5:
 * a server MUST support CP_TELETEX (20261) and CP_WINUNICODE; Outlook sends
 * its ANSI code page, 1252 in the West). Inside the server strings are
 * UTF-8; these tables convert at the edge.
 *
 * Our own small tables instead of iconv: Samba's charset handles are
 * process-global and not for worker threads, and glibc's T.61 table is not
 * always installed. Teletex: ASCII printable characters map to themselves
 * (as Windows' 20261 does for them), accented Latin letters become a T.61
 * non-spacing diacritic byte (0xC1-0xCF) followed by the base letter, and
 * the special letters have their T.61 code (ITU-T T.61 table 2).
 */
#include "nspi_model.h"

#include <string.h>

size_t nspi_utf8_decode(const char *s, const char *end, uint32_t *cp_r)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t avail = (size_t)(end - s), n, i;
	uint32_t cp;

	if (avail == 0) {
		return 0;
	}
	if (p[0] < 0x80) {
		*cp_r = p[0];
		return 1;
	} else if ((p[0] & 0xE0) == 0xC0) {
		n = 2; cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3; cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4; cp = p[0] & 0x07;
	} else {
		*cp_r = 0xFFFD;
		return 1;
	}
	if (avail < n) {
		*cp_r = 0xFFFD;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp_r = 0xFFFD;
			return 1;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates and out-of-range values are invalid */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*cp_r = 0xFFFD;
		return 1;
	}
	*cp_r = cp;
	return n;
}

size_t nspi_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
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

/* Windows-1252 0x80-0x9F (0: undefined) */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* T.61 single-byte characters of the upper half (ITU-T T.61 table 2) */
static const struct { uint8_t byte; uint16_t cp; } t61_single[] = {
	{ 0xA1, 0x00A1 }, { 0xA2, 0x00A2 }, { 0xA3, 0x00A3 }, { 0xA5, 0x00A5 },
	{ 0xA7, 0x00A7 }, { 0xA8, 0x00A4 }, { 0xAB, 0x00AB }, { 0xB0, 0x00B0 },
	{ 0xB1, 0x00B1 }, { 0xB2, 0x00B2 }, { 0xB3, 0x00B3 }, { 0xB4, 0x00D7 },
	{ 0xB5, 0x00B5 }, { 0xB6, 0x00B6 }, { 0xB7, 0x00B7 }, { 0xB8, 0x00F7 },
	{ 0xBB, 0x00BB }, { 0xBC, 0x00BC }, { 0xBD, 0x00BD }, { 0xBE, 0x00BE },
	{ 0xBF, 0x00BF }, { 0xE0, 0x2126 }, { 0xE1, 0x00C6 }, { 0xE2, 0x0110 },
	{ 0xE3, 0x00AA }, { 0xE4, 0x0126 }, { 0xE6, 0x0132 }, { 0xE7, 0x013F },
	{ 0xE8, 0x0141 }, { 0xE9, 0x00D8 }, { 0xEA, 0x0152 }, { 0xEB, 0x00BA },
	{ 0xEC, 0x00DE }, { 0xED, 0x0166 }, { 0xEE, 0x014A }, { 0xEF, 0x0149 },
	{ 0xF0, 0x0138 }, { 0xF1, 0x00E6 }, { 0xF2, 0x0111 }, { 0xF3, 0x00F0 },
	{ 0xF4, 0x0127 }, { 0xF5, 0x0131 }, { 0xF6, 0x0133 }, { 0xF7, 0x0140 },
	{ 0xF8, 0x0142 }, { 0xF9, 0x00F8 }, { 0xFA, 0x0153 }, { 0xFB, 0x00DF },
	{ 0xFC, 0x00FE }, { 0xFD, 0x0167 }, { 0xFE, 0x014B },
};

/* T.61 non-spacing diacritics: prefix byte, combining code point */
enum { T61_GRAVE = 0xC1, T61_ACUTE, T61_CIRC, T61_TILDE, T61_MACRON,
       T61_BREVE, T61_DOT, T61_UML, T61_RING = 0xCA, T61_CEDIL,
       T61_DACUTE = 0xCD, T61_OGONEK, T61_CARON };

/* precomposed letter = base letter + T.61 diacritic */
static const struct { uint16_t cp; char base; uint8_t mark; } t61_composed[] = {
	{ 0xC0, 'A', T61_GRAVE }, { 0xC1, 'A', T61_ACUTE }, { 0xC2, 'A', T61_CIRC },
	{ 0xC3, 'A', T61_TILDE }, { 0xC4, 'A', T61_UML }, { 0xC5, 'A', T61_RING },
	{ 0xC7, 'C', T61_CEDIL }, { 0xC8, 'E', T61_GRAVE }, { 0xC9, 'E', T61_ACUTE },
	{ 0xCA, 'E', T61_CIRC }, { 0xCB, 'E', T61_UML }, { 0xCC, 'I', T61_GRAVE },
	{ 0xCD, 'I', T61_ACUTE }, { 0xCE, 'I', T61_CIRC }, { 0xCF, 'I', T61_UML },
	{ 0xD1, 'N', T61_TILDE }, { 0xD2, 'O', T61_GRAVE }, { 0xD3, 'O', T61_ACUTE },
	{ 0xD4, 'O', T61_CIRC }, { 0xD5, 'O', T61_TILDE }, { 0xD6, 'O', T61_UML },
	{ 0xD9, 'U', T61_GRAVE }, { 0xDA, 'U', T61_ACUTE }, { 0xDB, 'U', T61_CIRC },
	{ 0xDC, 'U', T61_UML }, { 0xDD, 'Y', T61_ACUTE },
	{ 0xE0, 'a', T61_GRAVE }, { 0xE1, 'a', T61_ACUTE }, { 0xE2, 'a', T61_CIRC },
	{ 0xE3, 'a', T61_TILDE }, { 0xE4, 'a', T61_UML }, { 0xE5, 'a', T61_RING },
	{ 0xE7, 'c', T61_CEDIL }, { 0xE8, 'e', T61_GRAVE }, { 0xE9, 'e', T61_ACUTE },
	{ 0xEA, 'e', T61_CIRC }, { 0xEB, 'e', T61_UML }, { 0xEC, 'i', T61_GRAVE },
	{ 0xED, 'i', T61_ACUTE }, { 0xEE, 'i', T61_CIRC }, { 0xEF, 'i', T61_UML },
	{ 0xF1, 'n', T61_TILDE }, { 0xF2, 'o', T61_GRAVE }, { 0xF3, 'o', T61_ACUTE },
	{ 0xF4, 'o', T61_CIRC }, { 0xF5, 'o', T61_TILDE }, { 0xF6, 'o', T61_UML },
	{ 0xF9, 'u', T61_GRAVE }, { 0xFA, 'u', T61_ACUTE }, { 0xFB, 'u', T61_CIRC },
	{ 0xFC, 'u', T61_UML }, { 0xFD, 'y', T61_ACUTE }, { 0xFF, 'y', T61_UML },
	{ 0x100, 'A', T61_MACRON }, { 0x101, 'a', T61_MACRON },
	{ 0x102, 'A', T61_BREVE }, { 0x103, 'a', T61_BREVE },
	{ 0x104, 'A', T61_OGONEK }, { 0x105, 'a', T61_OGONEK },
	{ 0x106, 'C', T61_ACUTE }, { 0x107, 'c', T61_ACUTE },
	{ 0x10C, 'C', T61_CARON }, { 0x10D, 'c', T61_CARON },
	{ 0x10E, 'D', T61_CARON }, { 0x10F, 'd', T61_CARON },
	{ 0x112, 'E', T61_MACRON }, { 0x113, 'e', T61_MACRON },
	{ 0x116, 'E', T61_DOT }, { 0x117, 'e', T61_DOT },
	{ 0x118, 'E', T61_OGONEK }, { 0x119, 'e', T61_OGONEK },
	{ 0x11A, 'E', T61_CARON }, { 0x11B, 'e', T61_CARON },
	{ 0x11E, 'G', T61_BREVE }, { 0x11F, 'g', T61_BREVE },
	{ 0x122, 'G', T61_CEDIL }, { 0x123, 'g', T61_CEDIL },
	{ 0x12A, 'I', T61_MACRON }, { 0x12B, 'i', T61_MACRON },
	{ 0x130, 'I', T61_DOT }, { 0x136, 'K', T61_CEDIL }, { 0x137, 'k', T61_CEDIL },
	{ 0x139, 'L', T61_ACUTE }, { 0x13A, 'l', T61_ACUTE },
	{ 0x13B, 'L', T61_CEDIL }, { 0x13C, 'l', T61_CEDIL },
	{ 0x13D, 'L', T61_CARON }, { 0x13E, 'l', T61_CARON },
	{ 0x143, 'N', T61_ACUTE }, { 0x144, 'n', T61_ACUTE },
	{ 0x145, 'N', T61_CEDIL }, { 0x146, 'n', T61_CEDIL },
	{ 0x147, 'N', T61_CARON }, { 0x148, 'n', T61_CARON },
	{ 0x14C, 'O', T61_MACRON }, { 0x14D, 'o', T61_MACRON },
	{ 0x150, 'O', T61_DACUTE }, { 0x151, 'o', T61_DACUTE },
	{ 0x154, 'R', T61_ACUTE }, { 0x155, 'r', T61_ACUTE },
	{ 0x158, 'R', T61_CARON }, { 0x159, 'r', T61_CARON },
	{ 0x15A, 'S', T61_ACUTE }, { 0x15B, 's', T61_ACUTE },
	{ 0x15E, 'S', T61_CEDIL }, { 0x15F, 's', T61_CEDIL },
	{ 0x160, 'S', T61_CARON }, { 0x161, 's', T61_CARON },
	{ 0x162, 'T', T61_CEDIL }, { 0x163, 't', T61_CEDIL },
	{ 0x164, 'T', T61_CARON }, { 0x165, 't', T61_CARON },
	{ 0x16A, 'U', T61_MACRON }, { 0x16B, 'u', T61_MACRON },
	{ 0x16E, 'U', T61_RING }, { 0x16F, 'u', T61_RING },
	{ 0x170, 'U', T61_DACUTE }, { 0x171, 'u', T61_DACUTE },
	{ 0x172, 'U', T61_OGONEK }, { 0x173, 'u', T61_OGONEK },
	{ 0x178, 'Y', T61_UML }, { 0x179, 'Z', T61_ACUTE }, { 0x17A, 'z', T61_ACUTE },
	{ 0x17B, 'Z', T61_DOT }, { 0x17C, 'z', T61_DOT },
	{ 0x17D, 'Z', T61_CARON }, { 0x17E, 'z', T61_CARON },
};

/* the combining code point of each T.61 diacritic byte (0xC1..0xCF) */
static const uint16_t t61_mark_cp[15] = {
	0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308,
	0, 0x030A, 0x0327, 0, 0x030B, 0x0328, 0x030C,
};

bool nspi_latin_decompose(uint32_t cp, char *base_r, uint8_t *mark_r)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(t61_composed); i++) {
		if (t61_composed[i].cp == cp) {
			*base_r = t61_composed[i].base;
			*mark_r = t61_composed[i].mark;
			return true;
		}
	}
	return false;
}

bool nspi_codepage_supported(uint32_t codepage)
{
	return codepage == NSPI_CP_1252 || codepage == NSPI_CP_TELETEX ||
	       codepage == NSPI_CP_ASCII;
}

/* append up to two bytes for @cp in @codepage; '?' if not representable */
static size_t encode_cp(uint32_t codepage, uint32_t cp, uint8_t out[2])
{
	size_t i;

	if (cp >= 0x20 && cp < 0x7F) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x20 && cp != 0) {
		out[0] = (uint8_t)cp;	/* controls pass through */
		return 1;
	}
	if (codepage == NSPI_CP_1252) {
		if (cp >= 0xA0 && cp <= 0xFF) {
			out[0] = (uint8_t)cp;
			return 1;
		}
		for (i = 0; i < 32; i++) {
			if (cp1252_high[i] != 0 && cp1252_high[i] == cp) {
				out[0] = (uint8_t)(0x80 + i);
				return 1;
			}
		}
	} else if (codepage == NSPI_CP_TELETEX) {
		for (i = 0; i < ARRAY_LEN(t61_single); i++) {
			if (t61_single[i].cp == cp) {
				out[0] = t61_single[i].byte;
				return 1;
			}
		}
		for (i = 0; i < ARRAY_LEN(t61_composed); i++) {
			if (t61_composed[i].cp == cp) {
				out[0] = t61_composed[i].mark;
				out[1] = (uint8_t)t61_composed[i].base;
				return 2;
			}
		}
	}
	out[0] = '?';
	return 1;
}

char *nspi_codepage_from_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			      const char *utf8)
{
	const char *p, *end;
	size_t len, o = 0, n;
	uint8_t *out;
	uint32_t cp;

	if (utf8 == NULL || !nspi_codepage_supported(codepage)) {
		return NULL;
	}
	len = strlen(utf8);
	end = utf8 + len;
	/* at most two output bytes per input byte */
	out = talloc_array(mem_ctx, uint8_t, len * 2 + 1);
	if (out == NULL) {
		return NULL;
	}
	for (p = utf8; (n = nspi_utf8_decode(p, end, &cp)) > 0; p += n) {
		o += encode_cp(codepage, cp, out + o);
	}
	out[o] = '\0';
	return (char *)out;
}

static uint32_t t61_compose(uint8_t mark, uint8_t base)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(t61_composed); i++) {
		if (t61_composed[i].mark == mark &&
		    (uint8_t)t61_composed[i].base == base) {
			return t61_composed[i].cp;
		}
	}
	return 0;
}

static uint32_t decode_byte(uint32_t codepage, uint8_t b)
{
	size_t i;

	if (b < 0x80) {
		return b;
	}
	if (codepage == NSPI_CP_1252) {
		if (b >= 0xA0) {
			return b;
		}
		return cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : 0xFFFD;
	}
	if (codepage == NSPI_CP_TELETEX) {
		for (i = 0; i < ARRAY_LEN(t61_single); i++) {
			if (t61_single[i].byte == b) {
				return t61_single[i].cp;
			}
		}
	}
	return 0xFFFD;
}

char *nspi_codepage_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			    const char *in)
{
	const uint8_t *p;
	size_t len, o = 0;
	char *out;

	if (in == NULL || !nspi_codepage_supported(codepage)) {
		return NULL;
	}
	len = strlen(in);
	/* every input byte yields at most 3 UTF-8 bytes; a T.61 diacritic
	 * that does not compose yields base + combining mark (1 + 2) */
	out = talloc_array(mem_ctx, char, len * 3 + 1);
	if (out == NULL) {
		return NULL;
	}
	for (p = (const uint8_t *)in; *p != '\0'; p++) {
		uint32_t cp;

		if (codepage == NSPI_CP_TELETEX && *p >= 0xC1 && *p <= 0xCF &&
		    t61_mark_cp[*p - 0xC1] != 0) {
			uint8_t mark = *p;

			if (p[1] == '\0') {
				o += nspi_utf8_encode(0xFFFD, out + o);
				continue;
			}
			p++;
			cp = t61_compose(mark, *p);
			if (cp != 0) {
				o += nspi_utf8_encode(cp, out + o);
			} else {
				o += nspi_utf8_encode(*p < 0x80 ? *p : 0xFFFD, out + o);
				o += nspi_utf8_encode(t61_mark_cp[mark - 0xC1], out + o);
			}
			continue;
		}
		cp = decode_byte(codepage, *p);
		o += nspi_utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return out;
}

/*
 * The NDR layer. Samba's generated code converts [charset(DOS)] strings
 * between UTF-8 and the process's "dos charset" (CP850 by default) on its
 * own. NSPI's 8-bit strings are in the client's code page instead, so we
 * hand Samba, for each byte we want on the wire, the character CP850 puts
 * at that byte: its conversion then writes exactly our bytes (and reverses
 * them on input). CP850 defines all 256 bytes, so nothing is lost.
 */
static const uint16_t cp850_high[128] = {
	0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
	0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
	0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
	0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
	0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
	0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
	0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
	0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
	0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
	0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
	0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
	0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
	0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
	0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

char *nspi_string8_to_ndr(TALLOC_CTX *mem_ctx, uint32_t codepage,
			  const char *utf8)
{
	char *bytes, *out;
	size_t i, o = 0, len;

	if (!nspi_codepage_supported(codepage)) {
		codepage = NSPI_CP_ASCII;
	}
	bytes = nspi_codepage_from_utf8(mem_ctx, codepage, utf8);
	if (bytes == NULL) {
		return NULL;
	}
	len = strlen(bytes);
	out = talloc_array(mem_ctx, char, len * 3 + 1);
	if (out == NULL) {
		talloc_free(bytes);
		return NULL;
	}
	for (i = 0; i < len; i++) {
		uint8_t b = (uint8_t)bytes[i];

		o += nspi_utf8_encode(b < 0x80 ? b : cp850_high[b - 0x80], out + o);
	}
	out[o] = '\0';
	talloc_free(bytes);
	return out;
}

char *nspi_string8_from_ndr(TALLOC_CTX *mem_ctx, uint32_t codepage,
			    const char *ndr_utf8)
{
	const char *p, *end;
	char *bytes, *out;
	size_t n, o = 0;
	uint32_t cp;

	if (ndr_utf8 == NULL) {
		return NULL;
	}
	if (!nspi_codepage_supported(codepage)) {
		codepage = NSPI_CP_1252;
	}
	end = ndr_utf8 + strlen(ndr_utf8);
	bytes = talloc_array(mem_ctx, char, (end - ndr_utf8) + 1);
	if (bytes == NULL) {
		return NULL;
	}
	for (p = ndr_utf8; (n = nspi_utf8_decode(p, end, &cp)) > 0; p += n) {
		uint8_t b = '?';
		size_t i;

		if (cp < 0x80) {
			b = (uint8_t)cp;
		}
		for (i = 0; cp >= 0x80 && i < 128; i++) {
			if (cp850_high[i] == cp) {
				b = (uint8_t)(0x80 + i);
				break;
			}
		}
		bytes[o++] = (char)b;
	}
	bytes[o] = '\0';
	out = nspi_codepage_to_utf8(mem_ctx, codepage, bytes);
	talloc_free(bytes);
	return out;
}

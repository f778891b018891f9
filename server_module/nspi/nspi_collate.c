/*
 * Display-name order for the address book ([MS-OXNSPI] 2.3.7: the STAT's
 * SortLocale selects the collation of SortTypeDisplayName tables).
 *
 * A three-level collation in the spirit of Windows' CompareString with
 * NORM_IGNORECASE semantics at the first level: letters by base letter
 * (case and accents ignored), then accents, then case, then code points to
 * make the order total. Locales whose alphabets put accented letters after
 * 'z' (Swedish, Finnish, Danish, Norwegian) or give them their own place
 * (Spanish n-tilde) have a row in the table below; others use the default.
 * Scripts beyond Latin sort by code point after Latin letters.
 */
#include "nspi_model.h"

#include <string.h>

/* primary weights */
#define W_SPACE		0x000010
#define W_PUNCT		0x000100	/* + code point */
#define W_DIGIT		0x000800	/* + digit */
#define W_LETTER(c)	(0x001000 + ((uint32_t)((c) - 'a') << 4))
#define W_OTHER		0x010000	/* + code point */

/* a locale that moves letters: code point (lower case) -> weight */
struct nspi_locale_rule {
	uint32_t cp_lower;
	uint32_t cp_upper;
	uint32_t weight;
};

static const struct nspi_locale_rule rules_sv[] = {	/* sv, fi */
	{ 0x00E5, 0x00C5, W_LETTER('z') + 1 },	/* a ring */
	{ 0x00E4, 0x00C4, W_LETTER('z') + 2 },	/* a diaeresis */
	{ 0x00F6, 0x00D6, W_LETTER('z') + 3 },	/* o diaeresis */
	{ 0, 0, 0 },
};
static const struct nspi_locale_rule rules_da[] = {	/* da, nb, nn */
	{ 0x00E6, 0x00C6, W_LETTER('z') + 1 },	/* ae */
	{ 0x00F8, 0x00D8, W_LETTER('z') + 2 },	/* o stroke */
	{ 0x00E5, 0x00C5, W_LETTER('z') + 3 },	/* a ring */
	{ 0, 0, 0 },
};
static const struct nspi_locale_rule rules_es[] = {
	{ 0x00F1, 0x00D1, W_LETTER('n') + 1 },	/* n tilde */
	{ 0, 0, 0 },
};

static const struct {
	uint16_t primary_language;	/* low 10 bits of the LCID */
	const struct nspi_locale_rule *rules;
} nspi_locales[] = {
	{ 0x1D, rules_sv },	/* Swedish */
	{ 0x0B, rules_sv },	/* Finnish */
	{ 0x06, rules_da },	/* Danish */
	{ 0x14, rules_da },	/* Norwegian */
	{ 0x0A, rules_es },	/* Spanish */
};

static const struct nspi_locale_rule *locale_rules(uint32_t lcid)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(nspi_locales); i++) {
		if (nspi_locales[i].primary_language == (lcid & 0x3FF)) {
			return nspi_locales[i].rules;
		}
	}
	return NULL;
}

bool nspi_locale_valid(uint32_t lcid)
{
	/* an LCID is a 16-bit language ID plus a 4-bit sort ID; the
	 * primary language must not be 0 (LANG_NEUTRAL alone) */
	return lcid != 0 && (lcid >> 20) == 0 && (lcid & 0x3FF) != 0;
}

struct nspi_weight {
	uint32_t primary;	/* 0: ignorable */
	uint8_t secondary;	/* 1 + T.61 diacritic byte, or 1 */
	uint8_t tertiary;	/* 1 lower, 2 upper */
};

static struct nspi_weight weigh(const struct nspi_locale_rule *rules,
				uint32_t cp)
{
	struct nspi_weight w = { 0, 1, 1 };
	char base;
	uint8_t mark;

	for (; rules != NULL && rules->cp_lower != 0; rules++) {
		if (cp == rules->cp_lower || cp == rules->cp_upper) {
			w.primary = rules->weight;
			w.tertiary = cp == rules->cp_upper ? 2 : 1;
			return w;
		}
	}
	if (nspi_latin_decompose(cp, &base, &mark)) {
		cp = (uint8_t)base;
		w.secondary = (uint8_t)(1 + (mark - 0xC0));
	}
	if (cp >= 'A' && cp <= 'Z') {
		w.primary = W_LETTER(cp - 'A' + 'a');
		w.tertiary = 2;
	} else if (cp >= 'a' && cp <= 'z') {
		w.primary = W_LETTER(cp);
	} else if (cp >= '0' && cp <= '9') {
		w.primary = W_DIGIT + (cp - '0');
	} else if (cp == ' ' || cp == '\t') {
		w.primary = W_SPACE;
	} else if (cp == '-' || cp == '\'') {
		w.primary = 0;	/* word sort: hyphen, apostrophe ignored */
	} else if (cp < 0x80) {
		w.primary = W_PUNCT + cp;
	} else if (cp == 0x00DF) {	/* sharp s sorts as s */
		w.primary = W_LETTER('s');
		w.secondary = 0x40;
	} else if (cp == 0x00E6 || cp == 0x00C6) {
		w.primary = W_LETTER('a');
		w.secondary = 0x41;
		w.tertiary = cp == 0x00C6 ? 2 : 1;
	} else if (cp == 0x00F8 || cp == 0x00D8) {
		w.primary = W_LETTER('o');
		w.secondary = 0x42;
		w.tertiary = cp == 0x00D8 ? 2 : 1;
	} else {
		w.primary = W_OTHER + cp;
	}
	return w;
}

/*
 * Compare level by level without allocating: walk both strings once per
 * level, skipping ignorable characters at the primary level.
 */
static int compare_level(const struct nspi_locale_rule *rules, const char *a,
			 const char *b, int level, bool prefix_only)
{
	const char *ea = a + strlen(a), *eb = b + strlen(b);

	for (;;) {
		struct nspi_weight wa = { 0, 0, 0 }, wb = { 0, 0, 0 };
		uint32_t va = 0, vb = 0, cp;
		size_t n;
		bool have_a = false, have_b = false;

		while ((n = nspi_utf8_decode(a, ea, &cp)) > 0) {
			a += n;
			wa = weigh(rules, cp);
			if (wa.primary != 0) {
				have_a = true;
				break;
			}
		}
		while ((n = nspi_utf8_decode(b, eb, &cp)) > 0) {
			b += n;
			wb = weigh(rules, cp);
			if (wb.primary != 0) {
				have_b = true;
				break;
			}
		}
		if (prefix_only && !have_b) {
			return 0;	/* the whole prefix matched */
		}
		if (!have_a || !have_b) {
			return (int)have_a - (int)have_b;
		}
		switch (level) {
		case 1: va = wa.primary; vb = wb.primary; break;
		case 2: va = wa.secondary; vb = wb.secondary; break;
		default: va = wa.tertiary; vb = wb.tertiary; break;
		}
		if (va != vb) {
			return va < vb ? -1 : 1;
		}
	}
}

int nspi_collate(uint32_t lcid, const char *a, const char *b)
{
	const struct nspi_locale_rule *rules = locale_rules(lcid);
	int level, r;

	for (level = 1; level <= 3; level++) {
		r = compare_level(rules, a, b, level, false);
		if (r != 0) {
			return r;
		}
	}
	r = strcmp(a, b);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

/*
 * The same order as a byte string ([MS-OXNSPI] 3.1.4.5: the table sorts
 * once, then only positions): the weights of the non-ignorable characters
 * level by level -- primaries as 3 bytes big-endian (all >= 0x10), then
 * a 0 separator that sorts below any weight (an exhausted level sorts
 * first, as in compare_level), secondaries and tertiaries a byte each
 * (all >= 1) -- and the UTF-8 bytes last (nspi_collate's strcmp).
 */
uint8_t *nspi_collate_key(TALLOC_CTX *mem_ctx, uint32_t lcid, const char *s,
			  size_t *len_r)
{
	const struct nspi_locale_rule *rules = locale_rules(lcid);
	const char *end = s + strlen(s), *p;
	size_t k = 0, n, len, i;
	uint8_t *key, *pri, *sec, *ter;
	uint32_t cp;

	for (p = s; (n = nspi_utf8_decode(p, end, &cp)) > 0; p += n) {
		k += weigh(rules, cp).primary != 0;
	}
	len = 5 * k + 5 + (size_t)(end - s);
	key = talloc_array(mem_ctx, uint8_t, len);
	if (key == NULL) {
		return NULL;
	}
	pri = key;
	sec = key + 3 * k + 3;
	ter = sec + k + 1;
	for (p = s, i = 0; (n = nspi_utf8_decode(p, end, &cp)) > 0; p += n) {
		struct nspi_weight w = weigh(rules, cp);

		if (w.primary == 0) {
			continue;
		}
		pri[3 * i] = (uint8_t)(w.primary >> 16);
		pri[3 * i + 1] = (uint8_t)(w.primary >> 8);
		pri[3 * i + 2] = (uint8_t)w.primary;
		sec[i] = w.secondary;
		ter[i] = w.tertiary;
		i++;
	}
	memset(pri + 3 * k, 0, 3);
	sec[k] = 0;
	ter[k] = 0;
	memcpy(ter + k + 1, s, (size_t)(end - s));
	*len_r = len;
	return key;
}

int nspi_collate_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b,
			 size_t b_len)
{
	int r = memcmp(a, b, a_len < b_len ? a_len : b_len);

	if (r != 0) {
		return r < 0 ? -1 : 1;
	}
	return a_len < b_len ? -1 : (a_len > b_len);
}

int nspi_collate_primary(uint32_t lcid, const char *a, const char *b)
{
	return compare_level(locale_rules(lcid), a, b, 1, false);
}

bool nspi_collate_prefix(uint32_t lcid, const char *s, const char *prefix)
{
	return compare_level(locale_rules(lcid), s, prefix, 1, true) == 0;
}

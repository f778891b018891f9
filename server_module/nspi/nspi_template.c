/*
 * Address book templates: the description parser and the [MS-OXOABKT]
 * 2.2.2.1 encoder. nspi_template.h has the description format.
 */
#include "nspi_template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PidTag names a description may use (the properties the server serves) */
static const struct {
	const char *name;
	uint32_t tag;
} nspi_template_props[] = {
	{ "PidTagDisplayName", PidTagDisplayName },
	{ "PidTagEmailAddress", PidTagEmailAddress },
	{ "PidTagSmtpAddress", PidTagSmtpAddress },
	{ "PidTagAccount", PidTagAccount },
	{ "PidTagGivenName", PidTagGivenName },
	{ "PidTagSurname", PidTagSurname },
	{ "PidTagInitials", PidTagInitials },
	{ "PidTagTitle", PidTagTitle },
	{ "PidTagCompanyName", PidTagCompanyName },
	{ "PidTagDepartmentName", PidTagDepartmentName },
	{ "PidTagOfficeLocation", PidTagOfficeLocation },
	{ "PidTagAssistant", PidTagAssistant },
	{ "PidTagBusinessTelephoneNumber", PidTagBusinessTelephoneNumber },
	{ "PidTagHomeTelephoneNumber", PidTagHomeTelephoneNumber },
	{ "PidTagMobileTelephoneNumber", PidTagMobileTelephoneNumber },
	{ "PidTagPagerTelephoneNumber", PidTagPagerTelephoneNumber },
	{ "PidTagBusinessFaxNumber", PidTagBusinessFaxNumber },
	{ "PidTagStreetAddress", PidTagStreetAddress },
	{ "PidTagLocality", PidTagLocality },
	{ "PidTagStateOrProvince", PidTagStateOrProvince },
	{ "PidTagPostalCode", PidTagPostalCode },
	{ "PidTagCountry", PidTagCountry },
	{ "PidTagPostOfficeBox", PidTagPostOfficeBox },
	{ "PidTagComment", PidTagComment },
	{ "PidTagAddressBookProxyAddresses", PidTagAddressBookProxyAddresses },
	{ "PidTagAddressBookManagerDistinguishedName",
	  PidTagAddressBookManagerDistinguishedName },
	{ "PidTagAddressBookManager", PidTagAddressBookManager },
	{ "PidTagAddressBookReports", PidTagAddressBookReports },
	{ "PidTagAddressBookMember", PidTagAddressBookMember },
	{ "PidTagAddressBookIsMemberOfDistributionList",
	  PidTagAddressBookIsMemberOfDistributionList },
	{ "PidTagAddressBookPublicDelegates", PidTagAddressBookPublicDelegates },
	{ "PidTagAddressBookManageDistributionList",
	  NSPI_PidTagAddressBookManageDistributionList },
	{ "PidTagAddressBookTargetAddress", PidTagAddressBookTargetAddress },
};

/* the controls: keyword, type, which fields follow the geometry */
enum tpl_fields { F_TEXT, F_EDIT, F_CHECK, F_PROP, F_PROP_TEXT, F_PAGE };
static const struct {
	const char *keyword;
	enum nspi_dtct type;
	enum tpl_fields fields;
} nspi_template_kinds[] = {
	{ "page", NSPI_DTCT_PAGE, F_PAGE },
	{ "label", NSPI_DTCT_LABEL, F_TEXT },
	{ "groupbox", NSPI_DTCT_GROUPBOX, F_TEXT },
	{ "edit", NSPI_DTCT_EDIT, F_EDIT },
	{ "checkbox", NSPI_DTCT_CHECKBOX, F_CHECK },
	{ "listbox", NSPI_DTCT_LBX, F_PROP },
	{ "mvlistbox", NSPI_DTCT_MVLISTBOX, F_PROP },
	{ "mvdropdown", NSPI_DTCT_MVDDLBX, F_PROP },
	{ "button", NSPI_DTCT_BUTTON, F_PROP_TEXT },
};

static const struct {
	const char *name;
	uint32_t bit;
} nspi_template_flags[] = {
	{ "multiline", NSPI_DT_MULTILINE }, { "editable", NSPI_DT_EDITABLE },
	{ "required", NSPI_DT_REQUIRED }, { "immediate", NSPI_DT_SET_IMMEDIATE },
	{ "password", NSPI_DT_PASSWORD_EDIT }, { "dbcs", NSPI_DT_ACCEPT_DBCS },
};

uint32_t nspi_template_prop_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(nspi_template_props); i++) {
		if (strcmp(nspi_template_props[i].name, name) == 0) {
			return nspi_template_props[i].tag;
		}
	}
	return 0;
}

/* a tokenizer over one line: words, or "quoted strings" */
struct tpl_line {
	TALLOC_CTX *mem_ctx;
	const char *p;
};

static const char *next_token(struct tpl_line *l, bool *quoted)
{
	char *out;
	size_t n = 0;

	while (*l->p == ' ' || *l->p == '\t') {
		l->p++;
	}
	*quoted = *l->p == '"';
	if (*l->p == '\0' || *l->p == '#') {
		return NULL;
	}
	out = talloc_array(l->mem_ctx, char, strlen(l->p) + 1);
	if (out == NULL) {
		return NULL;
	}
	if (!*quoted) {
		while (*l->p != '\0' && *l->p != ' ' && *l->p != '\t') {
			out[n++] = *l->p++;
		}
		out[n] = '\0';
		return out;
	}
	for (l->p++; *l->p != '\0' && *l->p != '"'; l->p++) {
		if (*l->p == '\\' && (l->p[1] == '"' || l->p[1] == '\\')) {
			l->p++;
		}
		out[n++] = *l->p;
	}
	if (*l->p != '"') {
		return NULL;	/* unterminated string */
	}
	l->p++;
	out[n] = '\0';
	return out;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (s == NULL || *s == '\0' || *s == '-') {
		return false;
	}
	x = strtoul(s, &end, 0);
	if (*end != '\0' || x > max) {
		return false;
	}
	*v = (uint32_t)x;
	return true;
}

static bool parse_prop(const char *s, uint32_t *tag)
{
	if (s == NULL) {
		return false;
	}
	if (strncmp(s, "0x", 2) == 0) {
		return parse_u32(s, UINT32_MAX, tag) && *tag != 0;
	}
	*tag = nspi_template_prop_by_name(s);
	return *tag != 0;
}

static bool parse_flags(const char *s, uint32_t *flags)
{
	const char *p = s;
	size_t i, len;

	*flags = 0;
	if (s == NULL) {
		return false;
	}
	if (strcmp(s, "-") == 0) {
		return true;
	}
	while (*p != '\0') {
		len = strcspn(p, ",");
		for (i = 0; i < ARRAY_LEN(nspi_template_flags); i++) {
			if (strlen(nspi_template_flags[i].name) == len &&
			    strncmp(nspi_template_flags[i].name, p, len) == 0) {
				*flags |= nspi_template_flags[i].bit;
				break;
			}
		}
		if (i == ARRAY_LEN(nspi_template_flags)) {
			return false;
		}
		p += len + (p[len] == ',');
	}
	return true;
}

/* one control line after its keyword; false: malformed */
static bool parse_control(struct tpl_line *l, int kind,
			  struct nspi_template_control *c)
{
	const char *w[4], *text = NULL;
	bool q = false;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->type = nspi_template_kinds[kind].type;
	c->text = "*";
	if (nspi_template_kinds[kind].fields != F_PAGE) {
		for (i = 0; i < 4; i++) {
			w[i] = next_token(l, &q);
			if (w[i] == NULL || q) {
				return false;
			}
		}
		if (!parse_u32(w[0], 0xFFFF, &c->x) ||
		    !parse_u32(w[1], 0xFFFF, &c->dx) ||
		    !parse_u32(w[2], 0xFFFF, &c->y) ||
		    !parse_u32(w[3], 0xFFFF, &c->dy)) {
			return false;
		}
	}
	switch (nspi_template_kinds[kind].fields) {
	case F_EDIT:
		if (!parse_flags(next_token(l, &q), &c->flags) ||
		    !parse_prop(next_token(l, &q), &c->prop) ||
		    !parse_u32(next_token(l, &q), 0xFFFF, &c->size)) {
			return false;
		}
		break;
	case F_CHECK:
		if (!parse_flags(next_token(l, &q), &c->flags) ||
		    !parse_prop(next_token(l, &q), &c->prop)) {
			return false;
		}
		break;
	case F_PROP:
	case F_PROP_TEXT:
		if (!parse_prop(next_token(l, &q), &c->prop)) {
			return false;
		}
		break;
	default:
		break;
	}
	if (nspi_template_kinds[kind].fields != F_PROP) {
		text = next_token(l, &q);
		if (text == NULL || !q || strlen(text) >= NSPI_TEMPLATE_MAX_TEXT) {
			return false;
		}
		c->text = text;
	}
	return next_token(l, &q) == NULL;
}

/* the header items: template, display-type, address-type, title */
static bool parse_header(struct tpl_line *l, const char *key,
			 struct nspi_template *t)
{
	bool q = false;
	const char *v = next_token(l, &q);

	if (v == NULL || next_token(l, &q) != NULL) {
		return false;
	}
	if (strcmp(key, "template") == 0) {
		t->name = v;
	} else if (strcmp(key, "display-type") == 0) {
		return parse_u32(v, UINT32_MAX, &t->display_type);
	} else if (strcmp(key, "address-type") == 0) {
		t->address_type = v;
	} else if (strcmp(key, "title") == 0) {
		t->title = v;
	} else {
		return false;
	}
	return true;
}

uint32_t nspi_template_parse(TALLOC_CTX *mem_ctx, const char *text,
			     struct nspi_template **t_r, char **err_r)
{
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	struct nspi_template *t;
	const char *line = text;
	unsigned lineno = 0;
	size_t k;

	if (err_r != NULL) {
		*err_r = NULL;
	}
	t = tmp ? talloc_zero(tmp, struct nspi_template) : NULL;
	if (t != NULL) {
		t->controls = talloc_array(t, struct nspi_template_control,
					   NSPI_TEMPLATE_MAX_CONTROLS);
	}
	if (t == NULL || t->controls == NULL) {
		talloc_free(tmp);
		return NSPI_NotEnoughMemory;
	}
	t->display_type = UINT32_MAX;
	while (line != NULL && *line != '\0') {
		size_t len = strcspn(line, "\n");
		struct tpl_line l = { t, NULL };
		const char *key;
		bool q, ok = false;

		lineno++;
		l.p = talloc_strndup(t, line, len);
		line = line[len] == '\n' ? line + len + 1 : NULL;
		if (l.p == NULL) {
			talloc_free(tmp);
			return NSPI_NotEnoughMemory;
		}
		key = next_token(&l, &q);
		if (key == NULL && !q) {
			continue;	/* blank line or comment */
		}
		for (k = 0; key != NULL && !q && k < ARRAY_LEN(nspi_template_kinds); k++) {
			if (strcmp(key, nspi_template_kinds[k].keyword) == 0) {
				break;
			}
		}
		if (key != NULL && !q && k < ARRAY_LEN(nspi_template_kinds)) {
			ok = t->n_controls < NSPI_TEMPLATE_MAX_CONTROLS &&
				parse_control(&l, (int)k,
					      &t->controls[t->n_controls]);
			t->n_controls += ok;
		} else if (key != NULL && !q) {
			ok = parse_header(&l, key, t);
		}
		if (!ok) {
			if (err_r != NULL) {
				*err_r = talloc_asprintf(mem_ctx,
					"line %u: malformed", lineno);
			}
			talloc_free(tmp);
			return NSPI_InvalidParameter;
		}
	}
	if (t->display_type == UINT32_MAX || t->n_controls == 0) {
		if (err_r != NULL) {
			*err_r = talloc_strdup(mem_ctx,
				"no display-type or no controls");
		}
		talloc_free(tmp);
		return NSPI_InvalidParameter;
	}
	*t_r = talloc_steal(mem_ctx, t);
	talloc_free(tmp);
	return NSPI_Success;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

/*
 * [MS-OXOABKT] 2.2.2.1.1: Type, cRows, cRows TRows of 36 bytes, then the
 * strings (ulString is an offset from the start of the TRowSet). Equal
 * strings are stored once.
 */
uint32_t nspi_template_encode(TALLOC_CTX *mem_ctx,
			      const struct nspi_template *t,
			      uint32_t codepage, uint8_t **blob_r,
			      size_t *len_r)
{
	TALLOC_CTX *tmp;
	char **s8;
	uint32_t *off, i, j;
	size_t len = 8 + (size_t)t->n_controls * NSPI_TEMPLATE_TROW_SIZE;
	uint8_t *b, *p;

	if (!nspi_codepage_supported(codepage)) {
		return NSPI_InvalidCodepage;
	}
	if (t->n_controls > NSPI_TEMPLATE_MAX_CONTROLS) {
		return NSPI_InvalidParameter;
	}
	tmp = talloc_new(mem_ctx);
	s8 = tmp ? talloc_array(tmp, char *, t->n_controls + 1) : NULL;
	off = tmp ? talloc_array(tmp, uint32_t, t->n_controls + 1) : NULL;
	if (s8 == NULL || off == NULL) {
		talloc_free(tmp);
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < t->n_controls; i++) {
		s8[i] = nspi_codepage_from_utf8(s8, codepage, t->controls[i].text);
		if (s8[i] == NULL) {
			talloc_free(tmp);
			return NSPI_NotEnoughMemory;
		}
		for (j = 0; j < i && strcmp(s8[j], s8[i]) != 0; j++) {
		}
		if (j < i) {
			off[i] = off[j];
			continue;
		}
		off[i] = (uint32_t)len;
		len += strlen(s8[i]) + 1;
	}
	b = talloc_zero_array(mem_ctx, uint8_t, len);
	if (b == NULL) {
		talloc_free(tmp);
		return NSPI_NotEnoughMemory;
	}
	put32(b, NSPI_TEMPLATE_TRROWSET_TYPE);
	put32(b + 4, t->n_controls);
	for (i = 0; i < t->n_controls; i++) {
		const struct nspi_template_control *c = &t->controls[i];

		p = b + 8 + (size_t)i * NSPI_TEMPLATE_TROW_SIZE;
		put32(p, c->x);
		put32(p + 4, c->dx);
		put32(p + 8, c->y);
		put32(p + 12, c->dy);
		put32(p + 16, (uint32_t)c->type);
		put32(p + 20, c->flags);
		put32(p + 24, c->prop);
		put32(p + 28, c->size);
		put32(p + 32, off[i]);
		memcpy(b + off[i], s8[i], strlen(s8[i]) + 1);
	}
	*blob_r = b;
	*len_r = len;
	talloc_free(tmp);
	return NSPI_Success;
}

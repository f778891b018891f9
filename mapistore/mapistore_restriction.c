/*
 * Restriction evaluation ([MS-OXCDATA] 2.12 "Restrictions"; semantics of
 * each type in 2.12.1-2.12.12). A property the object lacks never
 * satisfies a leaf. An evaluation context carries what outlives one
 * object: compiled regular expressions (RELOP_RE), the match counters
 * of CountRestrictions, and the callback reading subobject rows.
 */
#include "mapistore_props.h"

#include <regex.h>
#include <string.h>
#include <strings.h>

struct re_entry {
	const struct mapistore_restriction *node;
	regex_t re;
	bool compiled;
};

struct count_entry {
	const struct mapistore_restriction *node;
	uint32_t matched;
};

struct mapistore_restriction_ctx {
	const struct mapistore_restriction *res;
	mapistore_subobject_fn subobject_fn;
	void *private_data;
	struct re_entry *res_re;
	uint32_t re_count;
	struct count_entry *counts;
	uint32_t count_count;
};

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
	default: return false;  /* RELOP_RE is handled by regex_holds() */
	}
}

static const regex_t *find_re(const struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *node)
{
	uint32_t i;

	for (i = 0; rctx != NULL && i < rctx->re_count; i++) {
		if (rctx->res_re[i].node == node) {
			return rctx->res_re[i].compiled ? &rctx->res_re[i].re : NULL;
		}
	}
	return NULL;
}

/* RELOP_RE: a POSIX extended regular expression, case-insensitive like
 * every other string comparison here, searched in the string value. */
static bool regex_holds(const regex_t *re, uint16_t base, const union mapistore_value *v)
{
	if (re == NULL || (base != PtypString && base != PtypString8)) {
		return false;
	}
	return regexec(re, v->str ? v->str : "", 0, NULL, 0) == 0;
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

static bool eval_property(const struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count)
{
	const struct mapistore_property *p = find_prop(props, count, res->u.property.proptag);
	uint16_t type;
	int cmp;

	if (p == NULL) {
		return false;
	}
	type = MAPISTORE_PROP_TYPE(p->proptag);
	if (res->u.property.relop == RELOP_RE) {
		const regex_t *re = find_re(rctx, res);
		uint32_t i;

		if (!(type & PtypMultipleFlag)) {
			return regex_holds(re, type, &p->value);
		}
		for (i = 0; p->value.mv != NULL && i < p->value.mv->count; i++) {
			if (regex_holds(re, type & ~PtypMultipleFlag, &p->value.mv->values[i])) {
				return true;
			}
		}
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

static enum mapistore_error eval(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res, const struct mapistore_property *props,
	uint32_t count, void *object, unsigned depth, bool *match_r);

/* 2.12.10: the message matches when any row of the subobject does. */
static enum mapistore_error eval_sub(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res, void *object, unsigned depth, bool *match_r)
{
	TALLOC_CTX *tmp;
	struct mapistore_row *rows = NULL;
	uint32_t *tags = NULL, tag_count = 0, n = 0, i;
	enum mapistore_error ret;

	*match_r = false;
	if (rctx == NULL || rctx->subobject_fn == NULL) {
		return MAPISTORE_SUCCESS;   /* no subobjects known: no row matches */
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_restriction_tags(tmp, res->u.sub.res, &tags, &tag_count);
	if (ret == MAPISTORE_SUCCESS) {
		ret = rctx->subobject_fn(rctx->private_data, object, tmp, res->u.sub.subobject,
					 tags, tag_count, &rows, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n && !*match_r; i++) {
		/* subobject rows have no subobjects of their own here */
		ret = eval(rctx, res->u.sub.res, rows[i].props, rows[i].count, NULL, depth + 1,
			   match_r);
	}
	talloc_free(tmp);
	return ret;
}

/* 2.12.12: the first Count objects matching the subrestriction match. */
static enum mapistore_error eval_count(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res, const struct mapistore_property *props,
	uint32_t count, void *object, unsigned depth, bool *match_r)
{
	struct count_entry *c = NULL;
	enum mapistore_error ret;
	uint32_t i;

	ret = eval(rctx, res->u.count.res, props, count, object, depth + 1, match_r);
	if (ret != MAPISTORE_SUCCESS || !*match_r) {
		return ret;
	}
	for (i = 0; rctx != NULL && i < rctx->count_count; i++) {
		if (rctx->counts[i].node == res) {
			c = &rctx->counts[i];
		}
	}
	if (c == NULL) {
		/* a one-shot evaluation: one object, so "within the limit"
		 * means a limit of at least one */
		*match_r = res->u.count.count > 0;
		return MAPISTORE_SUCCESS;
	}
	*match_r = c->matched < res->u.count.count;
	if (*match_r) {
		c->matched++;
	}
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error eval(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res, const struct mapistore_property *props,
	uint32_t count, void *object, unsigned depth, bool *match_r)
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

			ret = eval(rctx, &res->u.andor.res[i], props, count, object, depth + 1,
				   &sub);
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
		ret = eval(rctx, res->u.not_res, props, count, object, depth + 1, match_r);
		*match_r = !*match_r;
		return ret;
	case MAPISTORE_RES_CONTENT:
		*match_r = eval_content(res, props, count);
		return MAPISTORE_SUCCESS;
	case MAPISTORE_RES_PROPERTY:
		*match_r = eval_property(rctx, res, props, count);
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
	case MAPISTORE_RES_SUBRESTRICTION:
		if (res->u.sub.res == NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		return eval_sub(rctx, res, object, depth, match_r);
	case MAPISTORE_RES_COMMENT:
		/* 2.12.11: the comment is not evaluated */
		if (res->u.comment.res == NULL) {
			*match_r = true;
			return MAPISTORE_SUCCESS;
		}
		return eval(rctx, res->u.comment.res, props, count, object, depth + 1, match_r);
	case MAPISTORE_RES_COUNT:
		if (res->u.count.res == NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		return eval_count(rctx, res, props, count, object, depth, match_r);
	default:
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
}

static int rctx_destructor(struct mapistore_restriction_ctx *rctx)
{
	uint32_t i;

	for (i = 0; i < rctx->re_count; i++) {
		if (rctx->res_re[i].compiled) {
			regfree(&rctx->res_re[i].re);
		}
	}
	return 0;
}

/* Collect RELOP_RE and COUNT nodes (pre-order). */
static enum mapistore_error prepare(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_restriction *res, unsigned depth)
{
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	if (res == NULL || depth > MAPISTORE_MAX_RESTRICTION_DEPTH) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	switch (res->type) {
	case MAPISTORE_RES_AND:
	case MAPISTORE_RES_OR:
		if (res->u.andor.count > 0 && res->u.andor.res == NULL) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		for (i = 0; ret == MAPISTORE_SUCCESS && i < res->u.andor.count; i++) {
			ret = prepare(rctx, &res->u.andor.res[i], depth + 1);
		}
		return ret;
	case MAPISTORE_RES_NOT:
		return prepare(rctx, res->u.not_res, depth + 1);
	case MAPISTORE_RES_SUBRESTRICTION:
		return prepare(rctx, res->u.sub.res, depth + 1);
	case MAPISTORE_RES_COMMENT:
		return res->u.comment.res ? prepare(rctx, res->u.comment.res, depth + 1)
					  : MAPISTORE_SUCCESS;
	case MAPISTORE_RES_COUNT: {
		struct count_entry *grown = talloc_realloc(rctx, rctx->counts, struct count_entry,
							   rctx->count_count + 1);

		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		rctx->counts = grown;
		grown[rctx->count_count].node = res;
		grown[rctx->count_count].matched = 0;
		rctx->count_count++;
		return prepare(rctx, res->u.count.res, depth + 1);
	}
	case MAPISTORE_RES_PROPERTY: {
		struct re_entry *grown;
		uint16_t base = MAPISTORE_PROP_TYPE(res->u.property.prop.proptag) & ~PtypMultipleFlag;
		const char *pattern = res->u.property.prop.value.str;

		if (res->u.property.relop != RELOP_RE) {
			return MAPISTORE_SUCCESS;
		}
		grown = talloc_realloc(rctx, rctx->res_re, struct re_entry, rctx->re_count + 1);
		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		rctx->res_re = grown;
		grown[rctx->re_count].node = res;
		/* a pattern that does not compile matches nothing */
		grown[rctx->re_count].compiled =
			(base == PtypString || base == PtypString8) &&
			regcomp(&grown[rctx->re_count].re, pattern ? pattern : "",
				REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0;
		rctx->re_count++;
		return MAPISTORE_SUCCESS;
	}
	default:
		return MAPISTORE_SUCCESS;
	}
}

enum mapistore_error mapistore_restriction_ctx_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, mapistore_subobject_fn subobject_fn,
	void *private_data, struct mapistore_restriction_ctx **rctx_r)
{
	struct mapistore_restriction_ctx *rctx;
	enum mapistore_error ret;

	if (res == NULL || rctx_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	rctx = talloc_zero(mem_ctx, struct mapistore_restriction_ctx);
	if (rctx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_set_destructor(rctx, rctx_destructor);
	rctx->res = res;
	rctx->subobject_fn = subobject_fn;
	rctx->private_data = private_data;
	ret = prepare(rctx, res, 0);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(rctx);
		return ret;
	}
	*rctx_r = rctx;
	return MAPISTORE_SUCCESS;
}

void mapistore_restriction_ctx_reset(struct mapistore_restriction_ctx *rctx)
{
	uint32_t i;

	for (i = 0; rctx != NULL && i < rctx->count_count; i++) {
		rctx->counts[i].matched = 0;
	}
}

enum mapistore_error mapistore_restriction_ctx_eval(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_property *props, uint32_t count, void *object, bool *match_r)
{
	bool match = false;
	enum mapistore_error ret;

	if (rctx == NULL || match_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = eval(rctx, rctx->res, props, count, object, 0, &match);
	if (ret == MAPISTORE_SUCCESS) {
		*match_r = match;
	}
	return ret;
}

enum mapistore_error mapistore_restriction_eval(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, bool *match_r)
{
	struct mapistore_restriction_ctx *rctx = NULL;
	enum mapistore_error ret;

	/* one-shot: regexes compiled for this call, no subobjects */
	ret = mapistore_restriction_ctx_new(NULL, res, NULL, NULL, &rctx);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_restriction_ctx_eval(rctx, props, count, NULL, match_r);
	talloc_free(rctx);
	return ret;
}


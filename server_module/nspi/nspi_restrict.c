/*
 * Restrictions ([MS-OXNSPI] 2.2.2.15-2.2.2.26, used by NspiGetMatches
 * 3.1.4.1.10) as ldb parse trees.
 *
 * The tree is built node by node: a client's value becomes an ldb_val in
 * an equality/substring/comparison node, never text in a filter string, so
 * "*)(objectClass=*" is just a name to look for. Nesting and size are
 * bounded (NSPI_MAX_RESTRICTION_DEPTH / _NODES) before anything recurses.
 * What cannot be answered from the directory (comparing two properties,
 * sizes, sub-objects, regular expressions, computed properties without an
 * attribute) is TooComplex, which the spec allows.
 */
#include "nspi_private.h"

#include <stdio.h>
#include <string.h>

/* [MS-OXCDATA] 2.12.4 relops and 2.12.3 fuzzy levels */
enum { RELOP_LT = 0, RELOP_LE, RELOP_GT, RELOP_GE, RELOP_EQ, RELOP_NE,
       RELOP_RE, RELOP_MEMBER_OF_DL = 100 };
#define FL_FULLSTRING	0x0000
#define FL_SUBSTRING	0x0001
#define FL_PREFIX	0x0002
#define BMR_EQZ		0
#define BMR_NEZ		1

struct nspi_res_ctx {
	TALLOC_CTX *mem_ctx;
	uint32_t codepage;
	uint32_t nodes;
};

static struct ldb_parse_tree *node(struct nspi_res_ctx *x,
				   enum ldb_parse_op op)
{
	struct ldb_parse_tree *t = talloc_zero(x->mem_ctx, struct ldb_parse_tree);

	if (t != NULL) {
		t->operation = op;
	}
	return t;
}

struct ldb_parse_tree *nspi_tree_anr(TALLOC_CTX *mem_ctx, const char *utf8)
{
	struct ldb_parse_tree *t = talloc_zero(mem_ctx, struct ldb_parse_tree);

	if (t == NULL) {
		return NULL;
	}
	t->operation = LDB_OP_EQUALITY;
	t->u.equality.attr = "anr";
	t->u.equality.value.data = (uint8_t *)talloc_strdup(t, utf8);
	t->u.equality.value.length = strlen(utf8);
	return t->u.equality.value.data ? t : NULL;
}

/* the attribute a property is searched on, NULL if none */
static const char *search_attr(uint32_t tag)
{
	const struct nspi_prop_map *m;

	if (NSPI_PROP_ID(tag) == NSPI_PROP_ID(PidTagAnr)) {
		return "anr";
	}
	m = nspi_prop_lookup(tag);
	if (m == NULL || m->attr == NULL) {
		return NULL;
	}
	/* computed from objectClass: compared specially (display_type_tree) */
	if (m->tag == PidTagObjectType || m->tag == PidTagDisplayType ||
	    m->tag == PidTagDisplayTypeEx) {
		return NULL;
	}
	return m->attr;
}

/* the value of a restriction as directory bytes (UTF-8 for strings) */
static uint32_t value_blob(struct nspi_res_ctx *x,
			   const struct PropertyValue_r *pv, struct ldb_val *v)
{
	char *s = NULL;

	if (pv == NULL) {
		return NSPI_InvalidParameter;
	}
	switch (NSPI_PROP_TYPE(pv->ulPropTag)) {
	case NSPI_PT_STRING8:
	case NSPI_PT_UNICODE:
		s = (char *)(uintptr_t)(nspi_value_to_utf8(x->mem_ctx,
			x->codepage, pv));
		break;
	case NSPI_PT_LONG:
		s = talloc_asprintf(x->mem_ctx, "%d", (int32_t)pv->Value.l);
		break;
	case NSPI_PT_BOOLEAN:
		s = talloc_strdup(x->mem_ctx, pv->Value.b ? "TRUE" : "FALSE");
		break;
	case NSPI_PT_BINARY:
		if (pv->Value.bin.cb > NSPI_MAX_STRING ||
		    (pv->Value.bin.cb > 0 && pv->Value.bin.lpb == NULL)) {
			return NSPI_InvalidParameter;
		}
		v->data = pv->Value.bin.lpb;
		v->length = pv->Value.bin.cb;
		return NSPI_Success;
	default:
		return NSPI_TooComplex;
	}
	if (s == NULL) {
		return NSPI_InvalidParameter;
	}
	v->data = (uint8_t *)s;
	v->length = strlen(s);
	return v->length > NSPI_MAX_STRING ? NSPI_InvalidParameter : NSPI_Success;
}

/* PidTagDisplayType / PidTagObjectType = value: an objectClass test */
static uint32_t display_type_tree(struct nspi_res_ctx *x, uint32_t tag,
				  uint32_t relop, const struct PropertyValue_r *pv,
				  struct ldb_parse_tree **t_r)
{
	static const struct {
		uint32_t tag, value;
		const char *cls;
	} map[] = {
		{ PidTagDisplayType, NSPI_DT_MAILUSER, "user" },
		{ PidTagDisplayType, NSPI_DT_DISTLIST, "group" },
		{ PidTagDisplayType, NSPI_DT_REMOTE_MAILUSER, "contact" },
		{ PidTagObjectType, NSPI_MAPI_MAILUSER, "person" },
		{ PidTagObjectType, NSPI_MAPI_DISTLIST, "group" },
	};
	struct ldb_parse_tree *t;
	size_t i;

	if (pv == NULL || NSPI_PROP_TYPE(pv->ulPropTag) != NSPI_PT_LONG ||
	    (relop != RELOP_EQ && relop != RELOP_NE)) {
		return NSPI_TooComplex;
	}
	for (i = 0; i < ARRAY_LEN(map); i++) {
		if (map[i].tag != tag || map[i].value != pv->Value.l) {
			continue;
		}
		t = node(x, LDB_OP_EQUALITY);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.equality.attr = "objectClass";
		t->u.equality.value.data = (uint8_t *)(uintptr_t)map[i].cls;
		t->u.equality.value.length = strlen(map[i].cls);
		if (relop == RELOP_NE) {
			struct ldb_parse_tree *n = node(x, LDB_OP_NOT);

			if (n == NULL) {
				return NSPI_NotEnoughMemory;
			}
			n->u.isnot.child = t;
			t = n;
		}
		*t_r = t;
		return NSPI_Success;
	}
	return NSPI_TooComplex;
}

static uint32_t convert(struct nspi_res_ctx *x, const struct Restriction_r *r,
			uint32_t depth, struct ldb_parse_tree **t_r);

static uint32_t convert_list(struct nspi_res_ctx *x, enum ldb_parse_op op,
			     uint32_t cRes, const struct Restriction_r *lpRes,
			     uint32_t depth, struct ldb_parse_tree **t_r)
{
	struct ldb_parse_tree *t;
	uint32_t i, err;

	if (cRes > NSPI_MAX_RESTRICTION_NODES) {
		return NSPI_TooComplex;
	}
	if (cRes > 0 && lpRes == NULL) {
		return NSPI_InvalidParameter;
	}
	t = node(x, op);
	if (t == NULL) {
		return NSPI_NotEnoughMemory;
	}
	t->u.list.num_elements = cRes;
	t->u.list.elements = talloc_array(t, struct ldb_parse_tree *,
					  cRes ? cRes : 1);
	if (t->u.list.elements == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < cRes; i++) {
		err = convert(x, &lpRes[i], depth + 1, &t->u.list.elements[i]);
		if (err != NSPI_Success) {
			return err;
		}
	}
	*t_r = t;
	return NSPI_Success;
}

static uint32_t convert_content(struct nspi_res_ctx *x,
				const struct ContentRestriction_r *c,
				struct ldb_parse_tree **t_r)
{
	const char *attr = search_attr(c->ulPropTag);
	struct ldb_parse_tree *t;
	struct ldb_val v;
	uint32_t err;

	if (attr == NULL) {
		return NSPI_TooComplex;
	}
	err = value_blob(x, c->lpProp, &v);
	if (err != NSPI_Success) {
		return err;
	}
	if ((c->ulFuzzyLevel & 0xFFFF) == FL_FULLSTRING || strcmp(attr, "anr") == 0) {
		t = node(x, LDB_OP_EQUALITY);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.equality.attr = attr;
		t->u.equality.value = v;
		*t_r = t;
		return NSPI_Success;
	}
	if (v.length == 0) {
		t = node(x, LDB_OP_PRESENT);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.present.attr = attr;
		*t_r = t;
		return NSPI_Success;
	}
	t = node(x, LDB_OP_SUBSTRING);
	if (t == NULL) {
		return NSPI_NotEnoughMemory;
	}
	t->u.substring.attr = attr;
	t->u.substring.start_with_wildcard =
		(c->ulFuzzyLevel & 0xFFFF) == FL_SUBSTRING;
	t->u.substring.end_with_wildcard = 1;
	t->u.substring.chunks = talloc_array(t, struct ldb_val *, 2);
	if (t->u.substring.chunks == NULL) {
		return NSPI_NotEnoughMemory;
	}
	t->u.substring.chunks[0] = talloc_memdup(t, &v, sizeof(v));
	t->u.substring.chunks[1] = NULL;
	if (t->u.substring.chunks[0] == NULL) {
		return NSPI_NotEnoughMemory;
	}
	*t_r = t;
	return NSPI_Success;
}

static uint32_t convert_property(struct nspi_res_ctx *x,
				 const struct PropertyRestriction_r *p,
				 struct ldb_parse_tree **t_r)
{
	const char *attr = search_attr(p->ulPropTag);
	struct ldb_parse_tree *t, *eq, *n, *and;
	struct ldb_val v;
	uint32_t err;

	if (attr == NULL) {
		const struct nspi_prop_map *m = nspi_prop_lookup(p->ulPropTag);

		return m ? display_type_tree(x, m->tag, p->relop, p->lpProp, t_r) :
			NSPI_TooComplex;
	}
	err = value_blob(x, p->lpProp, &v);
	if (err != NSPI_Success) {
		return err;
	}
	eq = node(x, LDB_OP_EQUALITY);
	if (eq == NULL) {
		return NSPI_NotEnoughMemory;
	}
	eq->u.equality.attr = attr;
	eq->u.equality.value = v;
	switch (p->relop) {
	case RELOP_EQ:
		*t_r = eq;
		return NSPI_Success;
	case RELOP_NE:
	case RELOP_LT:
	case RELOP_GT:
		n = node(x, LDB_OP_NOT);
		if (n == NULL) {
			return NSPI_NotEnoughMemory;
		}
		n->u.isnot.child = eq;
		if (p->relop == RELOP_NE) {
			*t_r = n;
			return NSPI_Success;
		}
		/* strict: (<= or >=) and not equal */
		t = node(x, p->relop == RELOP_LT ? LDB_OP_LESS : LDB_OP_GREATER);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.comparison.attr = attr;
		t->u.comparison.value = v;
		and = node(x, LDB_OP_AND);
		if (and == NULL) {
			return NSPI_NotEnoughMemory;
		}
		and->u.list.elements = talloc_array(and, struct ldb_parse_tree *, 2);
		if (and->u.list.elements == NULL) {
			return NSPI_NotEnoughMemory;
		}
		and->u.list.elements[0] = t;
		and->u.list.elements[1] = n;
		and->u.list.num_elements = 2;
		*t_r = and;
		return NSPI_Success;
	case RELOP_LE:
	case RELOP_GE:
		t = node(x, p->relop == RELOP_LE ? LDB_OP_LESS : LDB_OP_GREATER);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.comparison.attr = attr;
		t->u.comparison.value = v;
		*t_r = t;
		return NSPI_Success;
	default:
		return NSPI_TooComplex;
	}
}

static uint32_t convert(struct nspi_res_ctx *x, const struct Restriction_r *r,
			uint32_t depth, struct ldb_parse_tree **t_r)
{
	struct ldb_parse_tree *t;
	const char *attr;
	uint32_t err;

	if (r == NULL) {
		return NSPI_InvalidParameter;
	}
	if (depth > NSPI_MAX_RESTRICTION_DEPTH ||
	    ++x->nodes > NSPI_MAX_RESTRICTION_NODES) {
		return NSPI_TooComplex;
	}
	switch (r->rt) {
	case 0:	/* RES_AND */
		return convert_list(x, LDB_OP_AND, r->res.resAnd.cRes,
				    r->res.resAnd.lpRes, depth, t_r);
	case 1:	/* RES_OR */
		return convert_list(x, LDB_OP_OR, r->res.resOr.cRes,
				    r->res.resOr.lpRes, depth, t_r);
	case 2:	/* RES_NOT */
		t = node(x, LDB_OP_NOT);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		err = convert(x, r->res.resNot.lpRes, depth + 1, &t->u.isnot.child);
		if (err == NSPI_Success) {
			*t_r = t;
		}
		return err;
	case 3:	/* RES_CONTENT */
		return convert_content(x, &r->res.resContent, t_r);
	case 4:	/* RES_PROPERTY */
		return convert_property(x, &r->res.resProperty, t_r);
	case 6:	/* RES_BITMASK */
		attr = search_attr(r->res.resBitMask.ulPropTag);
		if (attr == NULL || strcmp(attr, "anr") == 0) {
			return NSPI_TooComplex;
		}
		t = node(x, LDB_OP_EXTENDED);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.extended.attr = attr;
		t->u.extended.rule_id = "1.2.840.113556.1.4.803";	/* AND */
		t->u.extended.value.data = (uint8_t *)talloc_asprintf(t, "%u",
			r->res.resBitMask.ulMask);
		if (t->u.extended.value.data == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->u.extended.value.length = strlen((char *)t->u.extended.value.data);
		if (r->res.resBitMask.relBMR == BMR_EQZ) {
			struct ldb_parse_tree *n = node(x, LDB_OP_NOT);

			if (n == NULL) {
				return NSPI_NotEnoughMemory;
			}
			n->u.isnot.child = t;
			t = n;
		}
		*t_r = t;
		return NSPI_Success;
	case 8:	/* RES_EXIST */
		attr = search_attr(r->res.resExist.ulPropTag);
		t = node(x, LDB_OP_PRESENT);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		/* a computed property every entry has: always true */
		t->u.present.attr = attr && strcmp(attr, "anr") != 0 ? attr :
			"objectClass";
		if (attr == NULL && nspi_prop_lookup(r->res.resExist.ulPropTag) == NULL) {
			return NSPI_TooComplex;
		}
		*t_r = t;
		return NSPI_Success;
	case 5:	/* RES_COMPAREPROPS */
	case 7:	/* RES_SIZE */
	case 9:	/* RES_SUBRESTRICTION */
		return NSPI_TooComplex;
	default:
		return NSPI_InvalidParameter;
	}
}

uint32_t nspi_restriction_to_tree(TALLOC_CTX *mem_ctx, uint32_t codepage,
				  const struct Restriction_r *res,
				  struct ldb_parse_tree **tree_r)
{
	struct nspi_res_ctx x = { mem_ctx, codepage, 0 };

	return convert(&x, res, 0, tree_r);
}

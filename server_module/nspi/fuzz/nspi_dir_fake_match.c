/*
 * The fake directory's restriction matcher: an ldb parse tree (as
 * nspi_restrict.c builds it) evaluated over one message, values compared
 * case-insensitively as AD compares its string attributes. The trees are
 * bounded by nspi_restrict.c's depth and node limits.
 */
#include "nspi_dir_fake.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_val(const struct ldb_val *a, const struct ldb_val *b)
{
	size_t n = a->length < b->length ? a->length : b->length;
	int c = n ? strncasecmp((const char *)a->data, (const char *)b->data, n) : 0;

	if (c != 0) {
		return c;
	}
	return a->length < b->length ? -1 : (a->length > b->length ? 1 : 0);
}

/* case-insensitive search for @needle in @hay from @from; -1: none */
static long find_ci(const struct ldb_val *hay, size_t from,
		    const struct ldb_val *needle)
{
	size_t i;

	for (i = from; i + needle->length <= hay->length; i++) {
		if (needle->length == 0 ||
		    strncasecmp((const char *)hay->data + i,
				(const char *)needle->data, needle->length) == 0) {
			return (long)i;
		}
	}
	return -1;
}

static bool substring_match(const struct ldb_val *v,
			    const struct ldb_parse_tree *t)
{
	struct ldb_val **chunks = t->u.substring.chunks;
	size_t pos = 0, i;
	long at;

	for (i = 0; chunks != NULL && chunks[i] != NULL; i++) {
		at = find_ci(v, pos, chunks[i]);
		if (at < 0 || (i == 0 && !t->u.substring.start_with_wildcard &&
			       at != 0)) {
			return false;
		}
		pos = (size_t)at + chunks[i]->length;
	}
	return t->u.substring.end_with_wildcard || pos == v->length ||
		(i > 0 && find_ci(v, v->length - chunks[i - 1]->length,
				  chunks[i - 1]) >= 0);
}

static bool value_match(const struct ldb_val *v,
			const struct ldb_parse_tree *t)
{
	switch (t->operation) {
	case LDB_OP_EQUALITY:
	case LDB_OP_APPROX:
		return cmp_val(v, &t->u.equality.value) == 0;
	case LDB_OP_GREATER:
		return cmp_val(v, &t->u.comparison.value) >= 0;
	case LDB_OP_LESS:
		return cmp_val(v, &t->u.comparison.value) <= 0;
	case LDB_OP_SUBSTRING:
		return substring_match(v, t);
	case LDB_OP_EXTENDED: {
		/* LDAP_MATCHING_RULE_BIT_AND over decimal values */
		char a[24] = "", b[24] = "";

		if (v->length >= sizeof(a) ||
		    t->u.extended.value.length >= sizeof(b)) {
			return false;
		}
		memcpy(a, v->data, v->length);
		memcpy(b, t->u.extended.value.data, t->u.extended.value.length);
		return (strtoull(a, NULL, 10) & strtoull(b, NULL, 10)) != 0;
	}
	default:
		return false;
	}
}

bool nspi_fake_match(const struct ldb_message *m,
		     const struct ldb_parse_tree *t)
{
	const struct ldb_message_element *el;
	const char *attr;
	unsigned i;

	switch (t->operation) {
	case LDB_OP_AND:
	case LDB_OP_OR:
		for (i = 0; i < t->u.list.num_elements; i++) {
			bool r = nspi_fake_match(m, t->u.list.elements[i]);

			if (r != (t->operation == LDB_OP_AND)) {
				return r;
			}
		}
		return t->operation == LDB_OP_AND;
	case LDB_OP_NOT:
		return !nspi_fake_match(m, t->u.isnot.child);
	case LDB_OP_PRESENT:
		return ldb_msg_find_element(m, t->u.present.attr) != NULL;
	case LDB_OP_EXTENDED:
		attr = t->u.extended.attr;
		break;
	case LDB_OP_SUBSTRING:
		attr = t->u.substring.attr;
		break;
	default:
		attr = t->u.equality.attr;
		break;
	}
	el = attr ? ldb_msg_find_element(m, attr) : NULL;
	for (i = 0; el != NULL && i < el->num_values; i++) {
		if (value_match(&el->values[i], t)) {
			return true;
		}
	}
	return false;
}

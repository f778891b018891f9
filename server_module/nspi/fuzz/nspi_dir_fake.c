/*
 * An in-memory directory behind the nspi_dir_* contract of nspi_private.h,
 * for the handler fuzz harness (fuzz_nspi_handlers.c): the real handlers
 * (nspi_ops_*.c, nspi_wire.c, nspi_restrict.c) link against this instead of
 * nspi_dir_*.c / nspi_session.c, so decoded requests run through them
 * without Samba, sam.ldb or the event loop.
 *
 * Six objects (users, a group with members and a manager, a contact) as
 * ldb messages without an ldb context (ldb_init would dlopen Samba's ldb
 * modules, which the sanitizers refuse); restrictions are evaluated by a
 * small matcher over the parse tree (nspi_dir_fake_match.c);
 * modifications are validated and then dropped, so every input starts
 * from the same directory.
 */
#include "nspi_private.h"
#include "nspi_dir_fake.h"

#include <string.h>
#include <strings.h>

struct fake_object {
	const char *cn;
	const char *classes;	/* space-separated */
	const char *display;
	const char *extra[4];	/* "attr=value" */
};

static const struct fake_object fake_objects[] = {
	{ "alice", "top person organizationalPerson user", "Alice Zeller",
	  { "homeMDB=CN=db,DC=example,DC=com", "telephoneNumber=+1 555",
	    "manager=CN=bob,DC=example,DC=com", NULL } },
	{ "bob", "top person organizationalPerson user", "Bob \xc3\x85str\xc3\xb6m",
	  { "directReports=CN=alice,DC=example,DC=com",
	    "memberOf=CN=list,DC=example,DC=com", NULL } },
	{ "carol", "top person organizationalPerson user", "carol",
	  { "userCertificate=0123", NULL } },
	{ "list", "top group", "Distribution List",
	  { "member=CN=bob,DC=example,DC=com",
	    "member=CN=carol,DC=example,DC=com",
	    "publicDelegates=CN=alice,DC=example,DC=com", NULL } },
	{ "ext", "top person organizationalPerson contact", "External",
	  { "targetAddress=SMTP:ext@example.org", NULL } },
	{ "dave", "top person organizationalPerson user", "", { NULL } },
};

static bool add_string(struct ldb_message *m, const char *attr, const char *v)
{
	return ldb_msg_add_string(m, attr, v) == LDB_SUCCESS;
}

static struct ldb_message *fake_message(struct nspi_fake_dir *d, uint32_t i)
{
	const struct fake_object *o = &fake_objects[i];
	struct ldb_message *m = ldb_msg_new(d);
	char *classes, *save = NULL, *c;
	const uint8_t guid[16] = { 0x5A, (uint8_t)i, 0x11, 0x22 };
	struct ldb_val gv = { NULL, 16 };
	uint32_t k;

	if (m == NULL) {
		return NULL;
	}
	/* ldb_msg_add_value keeps the pointer: the GUID lives on m */
	gv.data = talloc_memdup(m, guid, 16);
	if (gv.data == NULL) {
		return NULL;
	}
	d->dns[i] = talloc_asprintf(d, "CN=%s,DC=example,DC=com", o->cn);
	classes = talloc_strdup(m, o->classes);
	if (d->dns[i] == NULL || classes == NULL ||
	    ldb_msg_add_value(m, "objectGUID", &gv, NULL) != LDB_SUCCESS ||
	    !add_string(m, "name", o->cn) ||
	    !add_string(m, "mailNickname", o->cn) ||
	    !add_string(m, "sAMAccountName", o->cn) ||
	    !add_string(m, "mail", talloc_asprintf(m, "%s@example.com", o->cn)) ||
	    !add_string(m, "legacyExchangeDN", talloc_asprintf(m,
		"/o=First Organization/cn=Recipients/cn=%s", o->cn))) {
		return NULL;
	}
	if (o->display[0] != '\0' && !add_string(m, "displayName", o->display)) {
		return NULL;
	}
	for (c = strtok_r(classes, " ", &save); c != NULL;
	     c = strtok_r(NULL, " ", &save)) {
		if (!add_string(m, "objectClass", c)) {
			return NULL;
		}
	}
	for (k = 0; k < ARRAY_LEN(o->extra) && o->extra[k] != NULL; k++) {
		const char *eq = strchr(o->extra[k], '=');
		char *attr = talloc_strndup(m, o->extra[k], eq - o->extra[k]);

		/* ldb_msg_add_string adds a new element for a repeated name;
		 * group the values as the directory does */
		struct ldb_message_element *el = attr ?
			ldb_msg_find_element(m, attr) : NULL;

		if (attr == NULL) {
			return NULL;
		}
		if (el != NULL) {
			struct ldb_val v = { (uint8_t *)talloc_strdup(m, eq + 1),
					     strlen(eq + 1) };

			el->values = talloc_realloc(m, el->values, struct ldb_val,
						    el->num_values + 1);
			if (el->values == NULL || v.data == NULL) {
				return NULL;
			}
			el->values[el->num_values++] = v;
		} else if (!add_string(m, attr, eq + 1)) {
			return NULL;
		}
	}
	return m;
}

struct nspi_fake_dir *nspi_fake_dir_new(TALLOC_CTX *mem_ctx)
{
	struct nspi_fake_dir *d = talloc_zero(mem_ctx, struct nspi_fake_dir);
	uint32_t i;

	if (d == NULL) {
		return NULL;
	}
	d->n = ARRAY_LEN(fake_objects);
	d->msgs = talloc_array(d, struct ldb_message *, d->n);
	d->dns = talloc_array(d, const char *, d->n);
	d->s = talloc_zero(d, struct nspi_session);
	if (d->msgs == NULL || d->dns == NULL || d->s == NULL) {
		talloc_free(d);
		return NULL;
	}
	d->s->mids = nspi_mids_new(d->s);
	d->s->codepage = NSPI_CP_1252;
	d->s->base_dn = "DC=example,DC=com";
	memcpy(d->s->server_guid, nspi_guid_nspi, 16);
	for (i = 0; i < d->n; i++) {
		d->msgs[i] = fake_message(d, i);
		if (d->msgs[i] == NULL) {
			talloc_free(d);
			return NULL;
		}
	}
	if (d->s->mids == NULL) {
		talloc_free(d);
		return NULL;
	}
	return d;
}

/* the object with GUID @g, or NULL */
struct ldb_message *nspi_fake_by_guid(struct nspi_fake_dir *d,
				      const uint8_t *g)
{
	uint32_t i;

	for (i = 0; g != NULL && i < d->n; i++) {
		const struct ldb_val *v = ldb_msg_find_ldb_val(d->msgs[i],
							       "objectGUID");

		if (v != NULL && v->length == 16 && memcmp(v->data, g, 16) == 0) {
			return d->msgs[i];
		}
	}
	return NULL;
}

uint32_t nspi_fake_mid(struct nspi_fake_dir *d, const struct ldb_message *m)
{
	const struct ldb_val *v = ldb_msg_find_ldb_val(m, "objectGUID");

	return v != NULL && v->length == 16 ? nspi_mids_get(d->s->mids, v->data) : 0;
}

enum nspi_object_kind nspi_fake_kind(const struct ldb_message *m)
{
	const struct ldb_message_element *el = ldb_msg_find_element(m,
		"objectClass");
	const char *classes[8];
	unsigned i, n = 0;

	for (i = 0; el != NULL && i < el->num_values && n < ARRAY_LEN(classes); i++) {
		classes[n++] = (const char *)el->values[i].data;
	}
	return nspi_kind_from_classes(classes, n,
		ldb_msg_find_element(m, "homeMDB") != NULL);
}

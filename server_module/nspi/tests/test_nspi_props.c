/*
 * Unit tests of the AD attribute -> MAPI property mapping (nspi_props.c):
 * object classes to object/display types ([MS-OXOABK] 2.2.3.10/11) and the
 * values built from an ldb message as the directory returns it.
 */
#include "oc_test.h"
#include "nspi_model.h"

#include <ldb.h>
#include <string.h>

static const uint8_t test_guid[16] = {
	0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
};
static const uint8_t server_guid[16] = { 0xAA, 0xBB };

static const struct {
	const char *classes[5];
	unsigned n;
	bool mailbox;
	enum nspi_object_kind kind;
	uint32_t object_type;
	uint32_t display_type;
} kind_cases[] = {
	{ { "top", "person", "organizationalPerson", "user" }, 4, true,
	  NSPI_KIND_USER, NSPI_MAPI_MAILUSER, NSPI_DT_MAILUSER },
	{ { "top", "person", "organizationalPerson", "user" }, 4, false,
	  NSPI_KIND_REMOTE_USER, NSPI_MAPI_MAILUSER, NSPI_DT_REMOTE_MAILUSER },
	{ { "top", "group" }, 2, false,
	  NSPI_KIND_GROUP, NSPI_MAPI_DISTLIST, NSPI_DT_DISTLIST },
	{ { "top", "person", "organizationalPerson", "contact" }, 4, false,
	  NSPI_KIND_CONTACT, NSPI_MAPI_MAILUSER, NSPI_DT_REMOTE_MAILUSER },
	{ { "top", "person", "organizationalPerson", "user", "computer" }, 5,
	  false, NSPI_KIND_NONE, NSPI_MAPI_MAILUSER, NSPI_DT_MAILUSER },
	{ { "top", "addressBookContainer" }, 2, false,
	  NSPI_KIND_CONTAINER, NSPI_MAPI_ABCONT, NSPI_DT_CONTAINER },
	{ { "top", "organizationalUnit" }, 2, false,
	  NSPI_KIND_NONE, NSPI_MAPI_MAILUSER, NSPI_DT_MAILUSER },
};

static void test_kinds(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(kind_cases); i++) {
		enum nspi_object_kind k = nspi_kind_from_classes(
			kind_cases[i].classes, kind_cases[i].n,
			kind_cases[i].mailbox);

		assert_int_equal(k, kind_cases[i].kind);
		if (k == NSPI_KIND_NONE) {
			continue;
		}
		assert_int_equal(nspi_kind_object_type(k),
				 kind_cases[i].object_type);
		assert_int_equal(nspi_kind_display_type(k),
				 kind_cases[i].display_type);
	}
}

static void test_lookup(void **state)
{
	const struct nspi_prop_map *m;
	size_t n, i, j;
	const struct nspi_prop_map *t = nspi_prop_table(&n);

	/* PtypString8 and unspecified requests find the Unicode row */
	m = nspi_prop_lookup(0x3001001E);
	assert_non_null(m);
	assert_int_equal(m->tag, PidTagDisplayName);
	m = nspi_prop_lookup(0x30010000);
	assert_non_null(m);
	assert_int_equal(m->tag, PidTagDisplayName);
	m = nspi_prop_lookup(0x800F101E);
	assert_non_null(m);
	assert_int_equal(m->tag, PidTagAddressBookProxyAddresses);
	/* a binary request with a string type does not match */
	assert_null(nspi_prop_lookup(0x0FFF001F));
	assert_null(nspi_prop_lookup(0x12340003));
	/* no duplicate tags in the table */
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			assert_int_not_equal(t[i].tag, t[j].tag);
		}
	}
}

static void test_attrs(void **state)
{
	const uint32_t tags[] = { PidTagTitle, PidTagDisplayName,
				  PidTagBusinessTelephoneNumber,
				  PidTagPrimaryTelephoneNumber, 0x12340003 };
	const char **a = nspi_prop_attrs(*state, tags, ARRAY_LEN(tags));
	size_t n, phone = 0, title = 0;

	assert_non_null(a);
	for (n = 0; a[n] != NULL; n++) {
		phone += strcmp(a[n], "telephoneNumber") == 0;
		title += strcmp(a[n], "title") == 0;
	}
	assert_int_equal(phone, 1);	/* asked twice, listed once */
	assert_int_equal(title, 1);
	talloc_free(a);
}

static struct ldb_message *make_user(TALLOC_CTX *mem_ctx, bool with_legacy)
{
	struct ldb_message *msg = ldb_msg_new(mem_ctx);
	struct ldb_val g = { (uint8_t *)(uintptr_t)test_guid, 16 };

	assert_non_null(msg);
	assert_int_equal(ldb_msg_add_string(msg, "objectClass", "top"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "objectClass", "user"), 0);
	assert_int_equal(ldb_msg_add_value(msg, "objectGUID", &g, NULL), 0);
	assert_int_equal(ldb_msg_add_string(msg, "name", "jdoe"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "sAMAccountName", "jdoe"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "title", "Engineer"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "proxyAddresses",
					    "smtp:john@alias.example.com"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "proxyAddresses",
					    "SMTP:john.doe@example.com"), 0);
	assert_int_equal(ldb_msg_add_string(msg, "manager",
					    "CN=Boss,CN=Users,DC=example,DC=com"), 0);
	if (with_legacy) {
		assert_int_equal(ldb_msg_add_string(msg, "legacyExchangeDN",
			"/o=First Organization/ou=Exchange Administrative Group"
			" (FYDIBOHF23SPDLT)/cn=Recipients/cn=jdoe"), 0);
		assert_int_equal(ldb_msg_add_string(msg, "displayName",
						    "John Doe"), 0);
	}
	return msg;
}

static const char *fake_x500(void *priv, TALLOC_CTX *mem_ctx, const char *dn)
{
	return strcmp(dn, "CN=Boss,CN=Users,DC=example,DC=com") == 0 ?
		"/o=Org/cn=boss" : NULL;
}

static void test_values(void **state)
{
	struct ldb_message *msg = make_user(*state, true);
	struct nspi_entry_ctx e = { 0 };
	struct nspi_value v;
	struct nspi_entryid id;

	e.server_guid = server_guid;
	e.mid = 0x42;
	e.legacy_dn = nspi_legacy_dn(msg, msg);
	e.kind = NSPI_KIND_USER;
	e.x500_of = fake_x500;

	assert_true(nspi_prop_value(msg, msg, &e, PidTagDisplayName, &v));
	assert_string_equal(v.v.str, "John Doe");
	assert_true(nspi_prop_value(msg, msg, &e, PidTagEmailAddress, &v));
	assert_string_equal(v.v.str, e.legacy_dn);
	assert_true(nspi_prop_value(msg, msg, &e, PidTagAddressType, &v));
	assert_string_equal(v.v.str, "EX");
	/* no mail attribute: the primary (upper-case) SMTP proxy address */
	assert_true(nspi_prop_value(msg, msg, &e, PidTagSmtpAddress, &v));
	assert_string_equal(v.v.str, "john.doe@example.com");
	assert_true(nspi_prop_value(msg, msg, &e, PidTagAddressBookProxyAddresses, &v));
	assert_int_equal(v.v.mvstr.n, 2);
	assert_true(nspi_prop_value(msg, msg, &e, PidTagAccount, &v));
	assert_string_equal(v.v.str, "jdoe");
	assert_true(nspi_prop_value(msg, msg, &e, 0x3A17001E, &v));
	assert_int_equal(v.tag, PidTagTitle);
	assert_string_equal(v.v.str, "Engineer");
	assert_false(nspi_prop_value(msg, msg, &e, PidTagCompanyName, &v));
	assert_false(nspi_prop_value(msg, msg, &e, 0x12340003, &v));
	assert_true(nspi_prop_value(msg, msg, &e, PidTagObjectType, &v));
	assert_int_equal(v.v.l, NSPI_MAPI_MAILUSER);
	assert_true(nspi_prop_value(msg, msg, &e, PidTagDisplayTypeEx, &v));
	assert_int_equal((uint32_t)v.v.l, 0x40000000u);
	assert_true(nspi_prop_value(msg, msg, &e,
		PidTagAddressBookManagerDistinguishedName, &v));
	assert_string_equal(v.v.str, "/o=Org/cn=boss");
	assert_true(nspi_prop_value(msg, msg, &e, PidTagAddressBookManager, &v));
	assert_false(nspi_prop_value(msg, msg, &e, PidTagAddressBookReports, &v));

	/* entry IDs: permanent by default, ephemeral on request */
	assert_true(nspi_prop_value(msg, msg, &e, PidTagEntryId, &v));
	assert_true(nspi_entryid_parse(msg, v.v.bin.data, v.v.bin.len, &id));
	assert_false(id.ephemeral);
	assert_string_equal(id.dn, e.legacy_dn);
	e.ephemeral = true;
	assert_true(nspi_prop_value(msg, msg, &e, PidTagEntryId, &v));
	assert_int_equal(v.v.bin.len, 32);
	assert_true(nspi_entryid_parse(msg, v.v.bin.data, v.v.bin.len, &id));
	assert_true(id.ephemeral);
	assert_int_equal(id.mid, 0x42);

	/* [MS-OXOABK] search key: "EX:" + upper-case DN + NUL */
	assert_true(nspi_prop_value(msg, msg, &e, PidTagSearchKey, &v));
	assert_memory_equal(v.v.bin.data, "EX:/O=FIRST ORGANIZATION/", 25);
	assert_int_equal(v.v.bin.data[v.v.bin.len - 1], 0);
	talloc_free(msg);
}

static void test_nt5_dn(void **state)
{
	struct ldb_message *msg = make_user(*state, false);
	const char *dn = nspi_legacy_dn(msg, msg);
	struct nspi_value v;
	struct nspi_entry_ctx e = { 0 };

	assert_string_equal(dn, "/o=NT5/ou=00000000000000000000000000000000"
			    "/cn=1032547698badcfe0123456789abcdef");
	/* no displayName: the object's name */
	e.legacy_dn = dn;
	assert_true(nspi_prop_value(msg, msg, &e, PidTagDisplayName, &v));
	assert_string_equal(v.v.str, "jdoe");
	talloc_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kinds, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_lookup, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attrs, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_values, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_nt5_dn, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

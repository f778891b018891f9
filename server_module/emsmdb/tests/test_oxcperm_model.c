/*
 * Folder permissions ([MS-OXCPERM]) without a session: the rights
 * computation (table-driven), address-book entry IDs ([MS-OXCDATA]
 * 2.2.5.2), and openchangedb's permission lists on SQLite, or on MariaDB
 * when OC_TEST_DB_URI is a mysql:// URI (emsmdb-perm-mariadb).
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"
#include "openchangedb.h"

#define DN_PREFIX "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
#define BOB_DN DN_PREFIX "bob"

/* ---- the rights computation ---- */

static const struct openchangedb_acl_entry acl_rows[] = {
	{ .member_id = -1, .account = "", .name = "Anonymous", .rights = 0x400 },
	{ .member_id = 0, .account = "", .name = "", .rights = 0x401 },
	{ .member_id = 1, .account = "bob", .name = "Bob", .rights = 0x41B },
	{ .member_id = 2, .account = "dave", .name = "Dave", .rights = 0 },
};

static void test_effective(void **state)
{
	static const struct {
		const char *what, *account, *owner;
		uint32_t count, expect;
	} cases[] = {
		{ "owner", "alice", "alice", 4, EMSMDB_ACL_OWNER_RIGHTS },
		{ "owner, other case", "ALICE", "alice", 0, EMSMDB_ACL_OWNER_RIGHTS },
		{ "member", "bob", "alice", 4, 0x41B },
		{ "member, other case", "Bob", "alice", 4, 0x41B },
		{ "default member", "carol", "alice", 4, 0x401 },
		{ "revoked member (row with no rights)", "dave", "alice", 4, 0 },
		{ "anonymous row does not apply to users", "carol", "alice", 1, 0 },
		{ "no list", "bob", "alice", 0, 0 },
		{ "no account", NULL, "alice", 4, 0x401 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t got = emsmdb_acl_effective(cases[i].account, cases[i].owner,
						    acl_rows, cases[i].count);

		if (got != cases[i].expect) {
			fail_msg("%s: 0x%x, expected 0x%x", cases[i].what, got,
				 cases[i].expect);
		}
	}
}

/* ---- entry IDs ([MS-OXCDATA] 2.2.5.2) ---- */

static void test_entryid(void **state)
{
	static const uint8_t head[28] = {
		0, 0, 0, 0, 0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
		0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82, 1, 0, 0, 0,
		0, 0, 0, 0,
	};
	struct mapistore_binary eid = { 0, NULL };
	TALLOC_CTX *mem = talloc_new(*state);
	uint8_t bad[64];
	char *dn = NULL;

	assert_int_equal(emsmdb_acl_entryid_from_dn(mem, BOB_DN, &eid), ecSuccess);
	assert_int_equal(eid.length, 28 + strlen(BOB_DN) + 1);
	assert_memory_equal(eid.data, head, 28);
	assert_int_equal(eid.data[eid.length - 1], 0);
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, eid.data, eid.length, &dn),
			 ecSuccess);
	assert_string_equal(dn, BOB_DN);

	/* every malformed form is refused, never read past its end */
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, eid.data, 28, &dn),
			 ecInvalidParam);
	assert_null(dn);
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, eid.data,
						    eid.length - 1, &dn), ecInvalidParam);
	memcpy(bad, eid.data, 40);
	bad[5] ^= 1;		/* another provider */
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, bad, 40, &dn), ecInvalidParam);
	memcpy(bad, eid.data, 40);
	bad[20] = 2;		/* version */
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, bad, 40, &dn), ecInvalidParam);
	memcpy(bad, head, 28);
	bad[28] = 0;		/* empty DN */
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, bad, 29, &dn), ecInvalidParam);
	assert_int_equal(emsmdb_acl_dn_from_entryid(mem, NULL, 0, &dn), ecInvalidParam);
	assert_int_equal(emsmdb_acl_entryid_from_dn(mem, "", &eid), ecInvalidParam);
	talloc_free(mem);
}

/* ---- openchangedb's lists ---- */

/*
 * openchangedb's permission lists on SQLite, or on MariaDB when
 * OC_TEST_DB_URI is a mysql:// URI (the emsmdb-perm-mariadb test).
 */
static void test_ocdb_acl(void **state)
{
	TALLOC_CTX *mem = talloc_new(*state);
	const char *env = getenv("OC_TEST_DB_URI");
	struct openchangedb_context *ocdb = NULL;
	struct openchangedb_acl_entry *got = NULL;
	struct openchangedb_acl_entry rows[2];
	enum mapistore_error ret;
	char dir[64], cmd[96], *uri;
	uint32_t n = 0, rights = 0;
	bool any = true;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/emsmdb-perm-ocdb-XXXXXX");
	assert_non_null(mkdtemp(dir));
	uri = env != NULL && strncmp(env, "mysql://", 8) == 0 ?
		talloc_strdup(mem, env) : talloc_asprintf(mem, "%s/ocdb.sqlite", dir);
	assert_int_equal(openchangedb_connect(mem, uri, &ocdb, NULL), MAPISTORE_SUCCESS);
	ret = openchangedb_provision_server(ocdb, "OCDC", "First Organization",
					    "First Administrative Group", NULL);
	assert_true(ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS);
	for (i = 0; i < 2; i++) {
		ret = openchangedb_mailbox_create(mem, ocdb, i ? "bob" : "alice",
						  i ? "Bob" : "Alice", 0x409, NULL);
		assert_true(ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS);
	}

	memset(rows, 0, sizeof(rows));
	rows[0].member_id = 0;
	rows[0].account = "";
	rows[0].name = "";
	rows[0].rights = frightsVisible;
	rows[1].member_id = 1;
	rows[1].account = "bob";
	rows[1].name = "Bob";
	rows[1].rights = EMSMDB_ACL_REVIEWER;
	rows[1].entry_id.data = (uint8_t *)(uintptr_t)"xyz";
	rows[1].entry_id.length = 3;

	assert_int_equal(openchangedb_acl_get(mem, ocdb, "alice", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	assert_int_equal(openchangedb_acl_rights(ocdb, "alice", 42, "bob", &rights),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(openchangedb_acl_any(ocdb, "alice", "bob", frightsVisible, &any),
			 MAPISTORE_SUCCESS);
	assert_false(any);

	assert_int_equal(openchangedb_acl_set(ocdb, "alice", 42, rows, 2), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "alice", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_int_equal(got[1].member_id, 1);
	assert_string_equal(got[1].account, "bob");
	assert_string_equal(got[1].name, "Bob");
	assert_int_equal(got[1].entry_id.length, 3);
	assert_memory_equal(got[1].entry_id.data, "xyz", 3);
	assert_int_equal(got[0].entry_id.length, 0);
	assert_int_equal(openchangedb_acl_rights(ocdb, "alice", 42, "bob", &rights),
			 MAPISTORE_SUCCESS);
	assert_int_equal(rights, EMSMDB_ACL_REVIEWER);
	assert_int_equal(openchangedb_acl_rights(ocdb, "alice", 42, "carol", &rights),
			 MAPISTORE_SUCCESS);
	assert_int_equal(rights, frightsVisible);	/* the Default row */
	/* per mailbox: the same FID of bob's mailbox has no list */
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "bob", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	assert_int_equal(openchangedb_acl_any(ocdb, "alice", "carol", frightsReadAny, &any),
			 MAPISTORE_SUCCESS);
	assert_false(any);
	assert_int_equal(openchangedb_acl_any(ocdb, "alice", "bob", frightsReadAny, &any),
			 MAPISTORE_SUCCESS);
	assert_true(any);
	/* account names compare case-insensitively */
	assert_int_equal(openchangedb_acl_any(ocdb, "alice", "BOB", frightsReadAny, &any),
			 MAPISTORE_SUCCESS);
	assert_true(any);
	assert_int_equal(openchangedb_acl_rights(ocdb, "alice", 42, "Bob", &rights),
			 MAPISTORE_SUCCESS);
	assert_int_equal(rights, EMSMDB_ACL_REVIEWER);
	/* a user row needs an account; a mailbox must exist */
	rows[1].account = "";
	assert_int_equal(openchangedb_acl_set(ocdb, "alice", 42, rows, 2),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(openchangedb_acl_set(ocdb, "nobody", 42, rows, 1),
			 MAPISTORE_ERR_NOT_FOUND);
	/* forgetting bob removes his rows elsewhere; forgetting alice her lists */
	assert_int_equal(openchangedb_acl_set(ocdb, "bob", 7, rows, 1), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_forget_user(ocdb, "bob"), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "alice", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].member_id, 0);
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "bob", 7, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	assert_int_equal(openchangedb_acl_forget_user(ocdb, "alice"), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "alice", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	assert_int_equal(openchangedb_acl_forget_user(ocdb, "nobody"), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_set(ocdb, "alice", 42, rows, 1), MAPISTORE_SUCCESS);
	/* replacing with nothing empties the list */
	assert_int_equal(openchangedb_acl_set(ocdb, "alice", 42, NULL, 0), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_acl_get(mem, ocdb, "alice", 42, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	talloc_free(mem);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_effective, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_entryid, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_ocdb_acl, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

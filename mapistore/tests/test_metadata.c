/*
 * Driver tests of the metadata store: openchangedb, indexing and named
 * properties. The same binary runs against SQLite (default: a fresh file
 * per test) and against MariaDB when OC_TEST_DB_URI is a mysql:// URI
 * (meson runs it through testsuite/servers/mariadb.py).
 */
#include "oc_test.h"
#include "mapistore_db.h"
#include "mapistore_indexing.h"
#include "mapistore_namedprops.h"
#include "mapistore_props.h"
#include "openchangedb.h"
#include "mapistore_test_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	TALLOC_CTX *root;
	char *dir;
	char *uri;
	struct openchangedb_context *ocdb;
};

static const char *const all_tables[] = {
	"schema_version", "ocdb_servers", "ocdb_organizational_units", "ocdb_replicas",
	"ocdb_mailboxes", "ocdb_folders", "ocdb_folder_properties", "ocdb_receive_folders",
	"ocdb_per_user", "ocdb_local_replica_ranges", "mstore_indexing",
	"mstore_namedprops_sets", "mstore_namedprops", "mstore_changes", "mstore_tombstones",
	"ocdb_folder_acl", "mstore_intents", "ocdb_rules", "ocdb_given_up_ranges",
};

static const char *const drop_sql[] = {
	"DROP TABLE IF EXISTS schema_version", "DROP TABLE IF EXISTS ocdb_servers",
	"DROP TABLE IF EXISTS ocdb_organizational_units", "DROP TABLE IF EXISTS ocdb_replicas",
	"DROP TABLE IF EXISTS ocdb_mailboxes", "DROP TABLE IF EXISTS ocdb_folders",
	"DROP TABLE IF EXISTS ocdb_folder_properties", "DROP TABLE IF EXISTS ocdb_receive_folders",
	"DROP TABLE IF EXISTS ocdb_per_user", "DROP TABLE IF EXISTS ocdb_local_replica_ranges",
	"DROP TABLE IF EXISTS mstore_indexing", "DROP TABLE IF EXISTS mstore_namedprops_sets",
	"DROP TABLE IF EXISTS mstore_namedprops", "DROP TABLE IF EXISTS mstore_changes",
	"DROP TABLE IF EXISTS mstore_tombstones", "DROP TABLE IF EXISTS ocdb_folder_acl",
	"DROP TABLE IF EXISTS mstore_intents", "DROP TABLE IF EXISTS ocdb_rules",
	"DROP TABLE IF EXISTS ocdb_given_up_ranges",
};

/* MariaDB: start every test from an empty database. */
static void mysql_reset(TALLOC_CTX *mem, const char *uri)
{
	struct mapistore_db_params params;
	struct mapistore_db *db = NULL;
	size_t i;

	assert_int_equal(mapistore_db_parse_uri(mem, uri, &params, NULL), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_db_connect(mem, &params, &db, NULL), MAPISTORE_SUCCESS);
	for (i = 0; i < sizeof(drop_sql) / sizeof(drop_sql[0]); i++) {
		assert_int_equal(mapistore_db_exec_simple(db, drop_sql[i]), MAPISTORE_SUCCESS);
	}
	talloc_free(db);
}

static int fx_setup(void **state)
{
	struct fixture *fx;

	if (oc_test_setup(state) != 0) {
		return -1;
	}
	fx = talloc_zero(*state, struct fixture);
	fx->root = *state;
	if (mapistore_test_using_mysql()) {
		fx->uri = talloc_strdup(fx, getenv("OC_TEST_DB_URI"));
		mysql_reset(fx, fx->uri);
	} else {
		fx->dir = mapistore_test_dir_new(fx, "mdtest");
		fx->uri = talloc_asprintf(fx, "sqlite://%s/openchange.db", fx->dir);
	}
	assert_int_equal(openchangedb_connect(fx, fx->uri, &fx->ocdb, NULL), MAPISTORE_SUCCESS);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *fx = *state;

	return mapistore_test_fixture_end(state, fx->root, fx, fx->dir);
}

static void test_migrations(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_context *again = NULL;
	uint32_t version = 0;
	size_t i;

	assert_int_equal(mapistore_db_get_version(openchangedb_get_db(fx->ocdb), &version),
			 MAPISTORE_SUCCESS);
	assert_int_equal(version, mapistore_db_schema_version());
	assert_true(version >= 3);
	/* a second connect migrates nothing and fails nothing */
	assert_int_equal(openchangedb_connect(fx, fx->uri, &again, NULL), MAPISTORE_SUCCESS);
	for (i = 0; i < sizeof(all_tables) / sizeof(all_tables[0]); i++) {
		assert_non_null(all_tables[i]);
	}
	talloc_free(again);
}

static void test_provision_server(void **state)
{
	struct fixture *fx = *state;
	uint64_t fids[OCDB_PUBLIC_MAX];
	char *name = NULL, *org = NULL, *ou = NULL;
	uint64_t fid = 0;
	int i;

	assert_int_equal(openchangedb_provision_server(fx->ocdb, "SERVER", "First Organization",
						       "First Administrative Group", fids),
			 MAPISTORE_SUCCESS);
	for (i = OCDB_PUBLIC_ROOT; i < OCDB_PUBLIC_MAX; i++) {
		assert_true(fids[i] == mapistore_fmid_make(1, (uint64_t)i));
	}
	assert_true(fids[OCDB_PUBLIC_ROOT] == 0x0100000000000001ULL);
	assert_int_equal(openchangedb_provision_server(fx->ocdb, "SERVER", "o", "u", NULL),
			 MAPISTORE_ERR_EXISTS);
	assert_int_equal(openchangedb_get_server(fx, fx->ocdb, &name, &org, &ou), MAPISTORE_SUCCESS);
	assert_string_equal(name, "SERVER");
	assert_string_equal(org, "First Organization");
	assert_int_equal(openchangedb_get_system_folder_id(fx->ocdb, NULL, OCDB_PUBLIC_LOCAL_FREEBUSY,
							   &fid), MAPISTORE_SUCCESS);
	assert_true(fid == fids[OCDB_PUBLIC_LOCAL_FREEBUSY]);
	assert_int_equal(openchangedb_folder_find_by_name(fx->ocdb, fids[OCDB_PUBLIC_FREEBUSY],
		"EX:/o=first organization/ou=first administrative group", &fid), MAPISTORE_SUCCESS);
	assert_true(fid == fids[OCDB_PUBLIC_LOCAL_FREEBUSY]);
	talloc_free(name);
	talloc_free(org);
	talloc_free(ou);
}

static void test_counters_and_replicas(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_context *other = NULL;
	uint64_t a = 0, b = 0, c = 0;
	uint16_t replid = 0, again = 0;
	char *guid = NULL;

	assert_int_equal(openchangedb_provision_server(fx->ocdb, "S", "O", "U", NULL), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_allocate_ids(fx->ocdb, 1, 10, &a), MAPISTORE_SUCCESS);
	/* a second connection continues after the first one's block */
	assert_int_equal(openchangedb_connect(fx, fx->uri, &other, NULL), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_new_id(other, &b), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_new_change_number(fx->ocdb, &c), MAPISTORE_SUCCESS);
	assert_true(mapistore_fmid_globcnt(b) == mapistore_fmid_globcnt(a) + 10);
	assert_true(mapistore_fmid_globcnt(c) == mapistore_fmid_globcnt(b) + 1);
	assert_int_equal(openchangedb_allocate_ids(fx->ocdb, 1, 0, &a), MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(openchangedb_allocate_ids(fx->ocdb, 1, (1u << 24) + 1, &a),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(openchangedb_allocate_ids(fx->ocdb, 77, 1, &a), MAPISTORE_ERR_NOT_FOUND);

	assert_int_equal(openchangedb_replica_get_id(fx->ocdb, "12345678-1234-1234-1234-123456789abc",
						     false, &replid), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(openchangedb_replica_get_id(fx->ocdb, "12345678-1234-1234-1234-123456789abc",
						     true, &replid), MAPISTORE_SUCCESS);
	assert_int_equal(replid, 2);
	assert_int_equal(openchangedb_replica_get_id(other, "12345678-1234-1234-1234-123456789abc",
						     true, &again), MAPISTORE_SUCCESS);
	assert_int_equal(again, 2);
	assert_int_equal(openchangedb_replica_get_guid(fx, fx->ocdb, 2, &guid), MAPISTORE_SUCCESS);
	assert_string_equal(guid, "12345678-1234-1234-1234-123456789abc");
	assert_int_equal(openchangedb_replica_get_id(fx->ocdb, "short", true, &replid),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	talloc_free(guid);
	talloc_free(other);
}

static void count_lines(void *private_data, const char *line)
{
	(*(int *)private_data)++;
}

#define PidTagContainerClass 0x3613001F
#define PidTagComment 0x3004001F

static void test_mailbox(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_mailbox *mbx = NULL;
	struct mapistore_property *props = NULL;
	uint64_t fids[13], fid = 0, inbox = 0, first = 0, first2 = 0;
	uint32_t tags[2] = { PidTagContainerClass, PidTagComment };
	struct mapistore_property comment = { .proptag = PidTagComment,
		.value.str = discard_const_p(char, "hello") };
	uint8_t ltid[24] = { 1, 2, 3 };
	struct mapistore_binary data;
	char *cls = NULL;
	int lines = 0, i, j;

	assert_int_equal(openchangedb_mailbox_create(fx, fx->ocdb, "jdoe", "John Doe", 0x409, &mbx),
			 MAPISTORE_ERR_NOT_FOUND);   /* server not provisioned */
	assert_int_equal(openchangedb_provision_server(fx->ocdb, "S", "O", "U", NULL), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_mailbox_create(fx, fx->ocdb, "jdoe", "John Doe", 0x409, &mbx),
			 MAPISTORE_SUCCESS);
	assert_string_equal(mbx->username, "jdoe");
	assert_int_equal(strlen(mbx->mailbox_guid), 36);
	assert_string_not_equal(mbx->mailbox_guid, mbx->replica_guid);
	assert_int_equal(openchangedb_mailbox_create(fx, fx->ocdb, "jdoe", NULL, 0, NULL),
			 MAPISTORE_ERR_EXISTS);
	assert_int_equal(openchangedb_get_logon_folder_ids(fx->ocdb, "jdoe", fids), MAPISTORE_SUCCESS);
	assert_true(fids[0] == mbx->root_fid);
	for (i = 0; i < 13; i++) {
		for (j = i + 1; j < 13; j++) {
			assert_true(fids[i] != fids[j]);
		}
	}
	inbox = fids[4];
	/* receive folders, [MS-OXCSTOR] 3.2.5.2 */
	assert_int_equal(openchangedb_get_receive_folder(fx, fx->ocdb, "jdoe", "IPM.Note", &fid, &cls),
			 MAPISTORE_SUCCESS);
	assert_true(fid == inbox);
	assert_string_equal(cls, "IPM");
	talloc_free(cls);
	assert_int_equal(openchangedb_get_receive_folder(fx, fx->ocdb, "jdoe", "ipc.x", &fid, NULL),
			 MAPISTORE_SUCCESS);
	assert_true(fid == fids[0]);
	assert_int_equal(openchangedb_get_receive_folder(fx, fx->ocdb, "jdoe", "IPMX", &fid, &cls),
			 MAPISTORE_SUCCESS);
	assert_string_equal(cls, "");
	talloc_free(cls);
	assert_int_equal(openchangedb_set_receive_folder(fx->ocdb, "jdoe", "IPM.Note.Custom", fids[1]),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_receive_folder(fx, fx->ocdb, "jdoe", "IPM.Note.Custom.X",
							 &fid, NULL), MAPISTORE_SUCCESS);
	assert_true(fid == fids[1]);
	/* folder properties */
	assert_int_equal(openchangedb_folder_set_properties(fx->ocdb, inbox, &comment, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_folder_get_properties(fx, fx->ocdb, inbox, tags, 2, &props),
			 MAPISTORE_SUCCESS);
	assert_string_equal(props[0].value.str, "IPF.Note");
	assert_string_equal(props[1].value.str, "hello");
	talloc_free(props);
	assert_int_equal(openchangedb_folder_get_properties(fx, fx->ocdb, fids[0], tags, 1, &props),
			 MAPISTORE_SUCCESS);
	assert_true(mapistore_property_is_error(&props[0]));
	talloc_free(props);
	assert_int_equal(openchangedb_folder_delete(fx->ocdb, fids[3]), MAPISTORE_ERR_HAS_CHILDREN);
	/* per-user data and local replica IDs */
	assert_int_equal(openchangedb_per_user_set(fx->ocdb, "jdoe", ltid, (const uint8_t *)"abc", 3),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_per_user_get(fx, fx->ocdb, "jdoe", ltid, &data), MAPISTORE_SUCCESS);
	assert_int_equal(data.length, 3);
	assert_memory_equal(data.data, "abc", 3);
	talloc_free(data.data);
	assert_int_equal(openchangedb_reserve_local_replica_ids(fx->ocdb, "jdoe", 100, &first),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_reserve_local_replica_ids(fx->ocdb, "jdoe", 1, &first2),
			 MAPISTORE_SUCCESS);
	assert_true(first2 == first + 100);
	/* cleanup: dry run removes nothing */
	assert_int_equal(openchangedb_mailbox_remove(fx->ocdb, "jdoe", true, count_lines, &lines),
			 MAPISTORE_SUCCESS);
	assert_true(lines >= 1 + OCDB_PRIVATE_MAX - 1 + 2);
	assert_int_equal(openchangedb_get_system_folder_id(fx->ocdb, "jdoe", OCDB_PRIVATE_INBOX, &fid),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_mailbox_remove(fx->ocdb, "jdoe", false, NULL, NULL),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_system_folder_id(fx->ocdb, "jdoe", OCDB_PRIVATE_INBOX, &fid),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(openchangedb_folder_get_properties(fx, fx->ocdb, inbox, tags, 1, &props),
			 MAPISTORE_SUCCESS);
	assert_true(mapistore_property_is_error(&props[0]));
	talloc_free(props);
	talloc_free(mbx);
}

static void test_indexing(void **state)
{
	struct fixture *fx = *state;
	struct mapistore_indexing *idx = NULL, *other = NULL;
	uint64_t fmid = 0;
	bool soft = true;
	char *uri = NULL;

	assert_int_equal(mapistore_indexing_new(fx, openchangedb_get_db(fx->ocdb), "jdoe", &idx),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_new(fx, openchangedb_get_db(fx->ocdb), "other", &other),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_add(idx, 0x0100000000000101ULL, "memory://jdoe/inbox/"),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_add(idx, 0x0100000000000101ULL, "memory://x/"),
			 MAPISTORE_ERR_EXISTS);
	assert_int_equal(mapistore_indexing_add(idx, 0x0200000000000101ULL, "memory://jdoe/inbox/"),
			 MAPISTORE_ERR_EXISTS);
	/* another user may use the same URI and FMID */
	assert_int_equal(mapistore_indexing_add(other, 0x0100000000000101ULL, "memory://jdoe/inbox/"),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_get_uri(fx, idx, 0x0100000000000101ULL, &uri, &soft),
			 MAPISTORE_SUCCESS);
	assert_string_equal(uri, "memory://jdoe/inbox/");
	assert_false(soft);
	talloc_free(uri);
	assert_int_equal(mapistore_indexing_get_fmid(idx, "memory://jdoe/inbox/", &fmid, NULL),
			 MAPISTORE_SUCCESS);
	assert_true(fmid == 0x0100000000000101ULL);
	assert_int_equal(mapistore_indexing_set_soft_deleted(idx, fmid, true), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_set_soft_deleted(idx, fmid, true), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_get_fmid(idx, "memory://jdoe/inbox/", &fmid, &soft),
			 MAPISTORE_SUCCESS);
	assert_true(soft);
	assert_int_equal(mapistore_indexing_update(idx, fmid, "memory://jdoe/old/"), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_update(idx, fmid, "memory://jdoe/old/"), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_get_fmid(idx, "memory://jdoe/inbox/", &fmid, NULL),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_indexing_delete(idx, 0x0100000000000101ULL), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_delete(idx, 0x0100000000000101ULL), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_indexing_set_soft_deleted(idx, 0x0100000000000101ULL, true),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_indexing_add(idx, 5, ""), MAPISTORE_ERR_INVALID_PARAMETER);
	talloc_free(idx);
	talloc_free(other);
}

static void test_namedprops(void **state)
{
	struct fixture *fx = *state;
	struct mapistore_namedprops *np = NULL, *np2 = NULL;
	struct mapistore_nameid lid = { "00062002-0000-0000-C000-000000000046", MNID_ID, 0x8205, NULL };
	struct mapistore_nameid str = { "00020329-0000-0000-c000-000000000046", MNID_STRING, 0, "Keywords" };
	struct mapistore_nameid str2 = { "00020329-0000-0000-c000-000000000046", MNID_STRING, 0, "keywords" };
	struct mapistore_nameid mapi = { PS_MAPI_GUID, MNID_ID, 0x0037, NULL };
	struct mapistore_nameid bad = { "not-a-guid", MNID_ID, 1, NULL };
	struct mapistore_nameid *back = NULL;
	uint16_t id = 0, id2 = 0, id3 = 0;
	char *set = NULL;

	assert_int_equal(mapistore_namedprops_new(fx, openchangedb_get_db(fx->ocdb), "jdoe", &np),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_namedprops_new(fx, openchangedb_get_db(fx->ocdb), "other", &np2),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &mapi, false, &id), MAPISTORE_SUCCESS);
	assert_int_equal(id, 0x0037);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &lid, false, &id),
			 MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &lid, true, &id), MAPISTORE_SUCCESS);
	assert_int_equal(id, 0x8000);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &str, true, &id2), MAPISTORE_SUCCESS);
	assert_int_equal(id2, 0x8001);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &str2, true, &id3), MAPISTORE_SUCCESS);
	assert_int_equal(id3, 0x8002);   /* names are case-sensitive */
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &lid, true, &id3), MAPISTORE_SUCCESS);
	assert_int_equal(id3, 0x8000);
	/* per mailbox */
	assert_int_equal(mapistore_namedprops_get_mapped_id(np2, &str, true, &id3), MAPISTORE_SUCCESS);
	assert_int_equal(id3, 0x8000);
	assert_int_equal(mapistore_namedprops_get_nameid(fx, np, 0x8001, &back), MAPISTORE_SUCCESS);
	assert_int_equal(back->kind, MNID_STRING);
	assert_string_equal(back->name, "Keywords");
	assert_string_equal(back->guid, "00020329-0000-0000-c000-000000000046");
	talloc_free(back);
	assert_int_equal(mapistore_namedprops_get_nameid(fx, np, 0x8000, &back), MAPISTORE_SUCCESS);
	assert_int_equal(back->lid, 0x8205);
	assert_string_equal(back->guid, "00062002-0000-0000-c000-000000000046");
	talloc_free(back);
	assert_int_equal(mapistore_namedprops_get_nameid(fx, np, 0x9000, &back), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &bad, true, &id),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(mapistore_namedprops_set_name(fx, np, "00062002-0000-0000-C000-000000000046", &set),
			 MAPISTORE_SUCCESS);
	assert_string_equal(set, "PSETID_Appointment");
	talloc_free(set);
	talloc_free(np);
	talloc_free(np2);
}

static void test_connect_errors(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_context *ocdb = NULL;
	char *errmsg = NULL;

	assert_int_equal(openchangedb_connect(fx, "/nonexistent/dir/x.db", &ocdb, &errmsg),
			 MAPISTORE_ERR_DATABASE_UNAVAILABLE);
	assert_non_null(errmsg);
	assert_non_null(strstr(errmsg, "Cannot open the SQLite database"));
	talloc_free(errmsg);
	errmsg = NULL;
	assert_int_equal(openchangedb_connect(fx, "mysql://u:topsecret@h:0/db", &ocdb, &errmsg),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_null(strstr(errmsg, "topsecret"));
	talloc_free(errmsg);
}

/* ---- MariaDB only: login errors and lost connections ---- */

static char *replace_password(TALLOC_CTX *mem, const char *uri, const char *pw)
{
	const char *colon = strchr(uri + 8, ':');
	const char *at = strrchr(uri, '@');

	return talloc_asprintf(mem, "%.*s%s%s", (int)(colon + 1 - uri), uri, pw, at);
}

static void test_mysql_wrong_password(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_context *ocdb = NULL;
	char *errmsg = NULL;
	char *uri = replace_password(fx, fx->uri, "WrongPassw0rd");

	assert_int_equal(openchangedb_connect(fx, uri, &ocdb, &errmsg), MAPISTORE_ERR_DENIED_LOGIN);
	assert_non_null(errmsg);
	assert_null(strstr(errmsg, "WrongPassw0rd"));
	assert_non_null(strstr(errmsg, "refused the login"));
	talloc_free(errmsg);
	talloc_free(uri);
}

static void test_mysql_unreachable(void **state)
{
	struct fixture *fx = *state;
	struct openchangedb_context *ocdb = NULL;
	char *errmsg = NULL;

	/* port 1 on loopback: nothing listens there */
	assert_int_equal(openchangedb_connect(fx, "mysql://u:Secr3t@127.0.0.1:1/db", &ocdb, &errmsg),
			 MAPISTORE_ERR_DATABASE_UNAVAILABLE);
	assert_non_null(strstr(errmsg, "Cannot reach"));
	assert_null(strstr(errmsg, "Secr3t"));
	talloc_free(errmsg);
}

static void kill_connection(struct fixture *fx, struct mapistore_db *victim)
{
	struct mapistore_db_result *res = NULL;
	struct openchangedb_context *killer = NULL;
	char *sql;

	assert_int_equal(mapistore_db_exec(victim, "SELECT CONNECTION_ID()", NULL, 0, fx, &res),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_connect(fx, fx->uri, &killer, NULL), MAPISTORE_SUCCESS);
	/* test-only: an integer the server gave us, not client input */
	sql = talloc_asprintf(fx, "KILL %lld", (long long)mapistore_db_result_int(res, 0, 0));
	assert_int_equal(mapistore_db_exec_simple(openchangedb_get_db(killer), sql), MAPISTORE_SUCCESS);
	talloc_free(sql);
	talloc_free(res);
	talloc_free(killer);
}

static void test_mysql_lost_connection(void **state)
{
	struct fixture *fx = *state;
	struct mapistore_db *db = openchangedb_get_db(fx->ocdb);
	uint64_t a = 0, b = 0;

	assert_int_equal(openchangedb_provision_server(fx->ocdb, "S", "O", "U", NULL), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_new_id(fx->ocdb, &a), MAPISTORE_SUCCESS);
	/* outside a transaction: reconnect transparently */
	kill_connection(fx, db);
	assert_int_equal(openchangedb_get_new_id(fx->ocdb, &b), MAPISTORE_SUCCESS);
	assert_true(mapistore_fmid_globcnt(b) == mapistore_fmid_globcnt(a) + 1);
	/* inside one: a clear error, then the next call works again */
	assert_int_equal(mapistore_db_begin(db), MAPISTORE_SUCCESS);
	kill_connection(fx, db);
	assert_int_equal(mapistore_db_exec(db, "SELECT 1", NULL, 0, NULL, NULL),
			 MAPISTORE_ERR_DATABASE_UNAVAILABLE);
	assert_int_equal(mapistore_db_rollback(db), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_get_new_id(fx->ocdb, &b), MAPISTORE_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest mysql_tests[] = {
		cmocka_unit_test_setup_teardown(test_mysql_wrong_password, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mysql_unreachable, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mysql_lost_connection, fx_setup, fx_teardown),
	};
	int failed;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_provision_server, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_counters_and_replicas, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mailbox, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_indexing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_namedprops, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_connect_errors, fx_setup, fx_teardown),
	};

	failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* the MariaDB-only group runs in the metadata-mariadb test */
	if (mapistore_test_using_mysql()) {
		failed += cmocka_run_group_tests(mysql_tests, NULL, NULL);
	}
	return failed;
}

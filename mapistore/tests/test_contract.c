/*
 * The backend contract suite: the same tests, unchanged, against every
 * backend. Usage: test_contract BACKEND [BACKENDS_DIR]
 *   BACKEND "memory-emu" is the memory backend with its restriction,
 *   sort and find capabilities masked, so the core's emulation runs.
 *   With BACKENDS_DIR the backend is loaded from its .so by the loader.
 * Capability-dependent tests check MAPISTORE_CAP_* first and say so.
 */
#include "oc_test.h"
#include "mapistore.h"
#include "mapistore_indexing.h"
#include "openchangedb.h"
#include "memory_private.h"
#include "test_contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *backend_name;
static const char *backends_dir;
static unsigned user_serial;


static const char *cfg_get(void *private_data, const char *key)
{
	struct cfx *fx = private_data;
	int i;

	for (i = 0; i < 4 && fx->values[i][0] != NULL; i++) {
		if (strcmp(fx->values[i][0], key) == 0) {
			return fx->values[i][1];
		}
	}
	return NULL;
}

enum mapistore_error open_context(struct cfx *fx)
{
	struct mapistore_root_folder *roots = NULL;
	enum mapistore_error ret;
	uint32_t count = 0, i;
	uint64_t fid = 0;

	ret = mapistore_context_new(fx, &fx->cfg, fx->username, &fx->ctx, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = openchangedb_provision_server(mapistore_context_get_openchangedb(fx->ctx),
					    "SERVER", "First Organization", "First OU", NULL);
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_EXISTS) {
		return ret;
	}
	ret = mapistore_list_root_folders(fx, fx->ctx, backend_name, &roots, &count);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	for (i = 0; i < count && roots[i].role != MAPISTORE_MAIL_ROLE; i++) {
	}
	if (i == count) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	ret = openchangedb_get_new_id(mapistore_context_get_openchangedb(fx->ctx), &fid);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_folder_open_root(fx, fx->ctx, roots[i].uri, fid, &fx->inbox);
	}
	talloc_free(roots);
	return ret;
}

int setup(void **state)
{
	char tmpl[] = "/tmp/oc-contract-XXXXXX";
	struct cfx *fx;

	if (oc_test_setup(state) != 0) {
		return -1;
	}
	fx = talloc_zero(*state, struct cfx);
	fx->root = *state;
	fx->dir = talloc_strdup(fx, mkdtemp(tmpl));
	fx->values[0][0] = "private dir";
	fx->values[0][1] = fx->dir;
	fx->values[1][0] = "mapistore:data_path";
	fx->values[1][1] = talloc_asprintf(fx, "%s/data", fx->dir);
	fx->cfg.get = cfg_get;
	/* a user per test: one shared MariaDB database serves every test */
	fx->username = talloc_asprintf(fx, "jdoe%ld%u", (long)getpid(), ++user_serial);
	if (getenv("OC_TEST_DB_URI") != NULL) {
		fx->values[2][0] = "mapiproxy:openchangedb";
		fx->values[2][1] = getenv("OC_TEST_DB_URI");
	}
	fx->cfg.private_data = fx;
	fx->caps = mapistore_backend_lookup(backend_name)->capabilities;
	assert_int_equal(open_context(fx), MAPISTORE_SUCCESS);
	*state = fx;
	return 0;
}

int teardown(void **state)
{
	struct cfx *fx = *state;
	TALLOC_CTX *root = fx->root;
	char *cmd = talloc_asprintf(NULL, "rm -rf '%s'", fx->dir);

	if (system(cmd) != 0) {
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	}
	talloc_free(cmd);
	talloc_free(fx);
	*state = root;
	return oc_test_teardown(state);
}

struct mapistore_folder *make_folder(struct cfx *fx, struct mapistore_folder *parent,
					    const char *name)
{
	struct mapistore_property p = { .proptag = 0x3001001F, .value.str = discard_const_p(char, name) };
	struct mapistore_folder *f = NULL;

	assert_int_equal(mapistore_folder_create(fx, parent, &p, 1, &f), MAPISTORE_SUCCESS);
	return f;
}

uint64_t make_message(struct cfx *fx, struct mapistore_folder *folder, const char *subject,
			     int32_t importance, bool fai)
{
	struct mapistore_property p[2] = {
		{ .proptag = PidTagSubject, .value.str = discard_const_p(char, subject) },
		{ .proptag = PidTagImportance, .value.i32 = importance },
	};
	struct mapistore_message *m = NULL;
	uint64_t mid;

	assert_int_equal(mapistore_message_create(fx, folder, fai, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), p, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	talloc_free(m);
	return mid;
}

uint32_t count_rows(struct cfx *fx, struct mapistore_folder *f, enum mapistore_table_type type)
{
	struct mapistore_table *t = NULL;
	uint32_t tag = 0x3001001F, n = 0;

	assert_int_equal(mapistore_folder_open_table(fx, f, type, &t), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, &tag, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_row_count(t, &n), MAPISTORE_SUCCESS);
	talloc_free(t);
	return n;
}

static void test_root_folders(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_root_folder *roots = NULL;
	bool seen[MAPISTORE_MAX_ROLES] = { false };
	uint32_t count = 0, i;
	char *scheme = talloc_asprintf(fx, "%s://", backend_name);

	assert_int_equal(mapistore_list_root_folders(fx, fx->ctx, backend_name, &roots, &count),
			 MAPISTORE_SUCCESS);
	for (i = 0; i < count; i++) {
		assert_true(roots[i].role < MAPISTORE_MAX_ROLES);
		seen[roots[i].role] = true;
		assert_int_equal(strncmp(roots[i].uri, scheme, strlen(scheme)), 0);
	}
	for (i = 0; i < MAPISTORE_MAX_ROLES; i++) {
		assert_true(seen[i]);
	}
	talloc_free(roots);
	talloc_free(scheme);
}

static void test_folder_create_open(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *sub = make_folder(fx, fx->inbox, "Projects"), *again = NULL;
	uint32_t tags[3] = { 0x3001001F, 0x67480014, 0x67490014 };
	struct mapistore_property *props = NULL, bad = { .proptag = PidTagComment,
		.value.str = discard_const_p(char, "no name") };
	struct mapistore_folder *f = NULL;
	uint64_t fid = mapistore_folder_get_fid(sub);

	assert_int_equal(mapistore_properties_get(fx, mapistore_folder_object(sub), tags, 3, &props),
			 MAPISTORE_SUCCESS);
	assert_string_equal(props[0].value.str, "Projects");
	assert_true((uint64_t)props[1].value.i64 == fid);
	assert_true((uint64_t)props[2].value.i64 == mapistore_folder_get_fid(fx->inbox));
	talloc_free(props);
	/* through indexing, by FID alone */
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, fid, &again), MAPISTORE_SUCCESS);
	assert_true(mapistore_folder_get_fid(again) == fid);
	assert_int_equal(mapistore_folder_open_child(fx, fx->inbox, fid, &f), MAPISTORE_SUCCESS);
	talloc_free(f);
	assert_int_equal(mapistore_folder_create(fx, fx->inbox, &bad, 1, &f),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	{
		struct mapistore_property dup = { .proptag = 0x3001001F,
			.value.str = discard_const_p(char, "Projects") };

		assert_int_equal(mapistore_folder_create(fx, fx->inbox, &dup, 1, &f), MAPISTORE_ERR_EXISTS);
	}
	assert_int_equal(mapistore_folder_open_child(fx, fx->inbox, 0x7777000000000001ULL, &f),
			 MAPISTORE_ERR_NOT_FOUND);
	talloc_free(again);
	talloc_free(sub);
}

static void test_hierarchy_table(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *a = make_folder(fx, fx->inbox, "A");
	struct mapistore_folder *b = make_folder(fx, fx->inbox, "B");
	struct mapistore_folder *c = make_folder(fx, a, "C");
	uint32_t n = 0;

	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_FOLDER_TABLE), 2);
	assert_int_equal(count_rows(fx, a, MAPISTORE_FOLDER_TABLE), 1);
	assert_int_equal(mapistore_folder_get_child_count(fx->inbox, MAPISTORE_FOLDER_TABLE, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	talloc_free(c);
	talloc_free(b);
	talloc_free(a);
}

static void test_folder_delete(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *a = make_folder(fx, fx->inbox, "Doomed");
	struct mapistore_folder *sub = make_folder(fx, a, "Child"), *f = NULL;
	uint64_t fid = mapistore_folder_get_fid(a), cn = 0, *fmids = NULL;
	uint32_t count = 0, i;
	bool found = false;

	make_message(fx, a, "m", 1, false);
	assert_int_equal(mapistore_folder_delete(a, 0), MAPISTORE_ERR_HAS_CHILDREN);
	assert_int_equal(mapistore_folder_delete(a, DEL_FOLDERS), MAPISTORE_ERR_HAS_MESSAGES);
	assert_int_equal(mapistore_folder_delete(a, DEL_FOLDERS | DEL_MESSAGES), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, fid, &f), MAPISTORE_ERR_OBJECT_DELETED);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_FOLDER_TABLE), 0);
	if (fx->caps & MAPISTORE_CAP_DELETED_SINCE) {
		assert_int_equal(mapistore_folder_get_deleted_fmids(fx, fx->inbox, MAPISTORE_FOLDER_TABLE,
								    0, &fmids, &count, &cn), MAPISTORE_SUCCESS);
		for (i = 0; i < count; i++) {
			found |= fmids[i] == fid;
		}
		assert_true(found);
		talloc_free(fmids);
	}
	talloc_free(sub);
	talloc_free(a);
}

static void test_folder_move_copy(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *a = make_folder(fx, fx->inbox, "Src");
	struct mapistore_folder *b = make_folder(fx, fx->inbox, "Dst");
	struct mapistore_folder *copy = NULL;
	uint64_t copy_fid = 0;
	uint32_t tag = 0x3001001F;
	struct mapistore_property *props = NULL;

	make_message(fx, a, "inside", 1, false);
	assert_int_equal(mapistore_folder_copy(a, b, "Copied", true, &copy_fid), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, copy_fid, &copy), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, copy, MAPISTORE_MESSAGE_TABLE), 1);
	assert_int_equal(mapistore_properties_get(fx, mapistore_folder_object(copy), &tag, 1, &props),
			 MAPISTORE_SUCCESS);
	assert_string_equal(props[0].value.str, "Copied");
	talloc_free(props);
	assert_int_equal(mapistore_folder_move(a, b, "Moved"), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_FOLDER_TABLE), 1);
	assert_int_equal(count_rows(fx, b, MAPISTORE_FOLDER_TABLE), 2);
	assert_int_equal(mapistore_folder_move(b, a, NULL), MAPISTORE_ERR_INVALID_PARAMETER);
	talloc_free(copy);
	talloc_free(b);
	talloc_free(a);
}

static void test_message_round_trip(void **state)
{
	struct cfx *fx = *state;
	uint8_t blob[5] = { 0, 1, 2, 0xfe, 0xff };
	union mapistore_value kw[2] = { { .str = discard_const_p(char, "alpha") },
					{ .str = discard_const_p(char, "\xc3\xa9t\xc3\xa9") } };
	struct mapistore_mv mv = { 2, kw };
	struct mapistore_property in[] = {
		{ .proptag = PidTagSubject, .value.str = discard_const_p(char, "R\xc3\xa9sum\xc3\xa9") },
		{ .proptag = PidTagImportance, .value.i32 = 2 },
		{ .proptag = PidTagEntryIdTest, .value.bin = { 5, blob } },
		{ .proptag = PidTagHasAttachments, .value.b = true },
		{ .proptag = PidTagMessageDeliveryTime, .value.i64 = 0x01D2A4B5C6D7E8F9LL },
		{ .proptag = PidTagKeywordsTest, .value.mv = &mv },
	};
	uint32_t tags[7] = { PidTagSubject, PidTagImportance, PidTagEntryIdTest, PidTagHasAttachments,
			     PidTagMessageDeliveryTime, PidTagKeywordsTest, PidTagBody };
	struct mapistore_message *m = NULL, *ro = NULL;
	struct mapistore_property *out = NULL;
	uint32_t i, *list = NULL, list_count = 0;
	uint64_t mid;
	int cmp;

	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), in, 6), MAPISTORE_SUCCESS);
	/* not visible before the save */
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE), 0);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE), 1);
	talloc_free(m);

	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &ro), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(ro), tags, 7, &out),
			 MAPISTORE_SUCCESS);
	for (i = 0; i < 6; i++) {
		assert_int_equal(out[i].proptag, in[i].proptag);
		assert_int_equal(mapistore_property_compare(&out[i], &in[i], &cmp), MAPISTORE_SUCCESS);
		assert_int_equal(cmp, 0);
	}
	assert_true(mapistore_property_is_error(&out[6]));
	assert_int_equal((uint32_t)out[6].value.i32, MAPISTORE_ECNOTFOUND);
	talloc_free(out);
	assert_int_equal(mapistore_properties_list(fx, mapistore_message_object(ro), &list, &list_count),
			 MAPISTORE_SUCCESS);
	assert_true(list_count >= 6);
	talloc_free(list);
	/* read-only handles refuse changes */
	assert_int_equal(mapistore_properties_set(mapistore_message_object(ro), in, 1),
			 MAPISTORE_ERR_NO_ACCESS);
	talloc_free(ro);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, 0x5555000000000001ULL, false, &ro),
			 MAPISTORE_ERR_NOT_FOUND);
}

static void test_message_isolation(void **state)
{
	struct cfx *fx = *state;
	uint64_t mid = make_message(fx, fx->inbox, "v1", 1, false);
	struct mapistore_property v2 = { .proptag = PidTagSubject, .value.str = discard_const_p(char, "v2") };
	uint32_t tags[2] = { PidTagSubject, PidTagImportance };
	struct mapistore_message *w = NULL, *r = NULL;
	struct mapistore_property *out = NULL;

	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &w), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(w), &v2, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_delete(mapistore_message_object(w), &tags[1], 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &r), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(r), tags, 2, &out),
			 MAPISTORE_SUCCESS);
	assert_string_equal(out[0].value.str, "v1");
	talloc_free(out);
	talloc_free(r);
	assert_int_equal(mapistore_message_save(w), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &r), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(r), tags, 2, &out),
			 MAPISTORE_SUCCESS);
	assert_string_equal(out[0].value.str, "v2");
	assert_true(mapistore_property_is_error(&out[1]));
	talloc_free(out);
	talloc_free(r);
	talloc_free(w);
}

static void test_recipients(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_property p0[2] = {
		{ .proptag = PidTagDisplayTo, .value.str = discard_const_p(char, "Alice") },
		{ .proptag = PidTagSmtpAddress, .value.str = discard_const_p(char, "alice@example.com") },
	};
	struct mapistore_property p1[1] = {
		{ .proptag = PidTagDisplayTo, .value.str = discard_const_p(char, "Bob") },
	};
	struct mapistore_property p1b[1] = {
		{ .proptag = PidTagDisplayTo, .value.str = discard_const_p(char, "Robert") },
	};
	struct mapistore_recipient rows[2] = { { 0, 1, 2, p0 }, { 1, 2, 1, p1 } };
	struct mapistore_recipient change[2] = { { 1, 2, 1, p1b }, { 0, 1, 0, NULL } };
	struct mapistore_recipient *out = NULL;
	struct mapistore_message *m = NULL;
	uint32_t count = 0;
	uint64_t mid;

	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	assert_int_equal(mapistore_message_modify_recipients(m, rows, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_get_recipients(fx, m, &out, &count), MAPISTORE_SUCCESS);
	assert_int_equal(count, 2);
	assert_int_equal(out[0].type, 1);
	assert_string_equal(out[0].props[1].value.str, "alice@example.com");
	talloc_free(out);
	assert_int_equal(mapistore_message_modify_recipients(m, change, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_get_recipients(fx, m, &out, &count), MAPISTORE_SUCCESS);
	assert_int_equal(count, 1);
	assert_int_equal(out[0].row_id, 1);
	assert_string_equal(out[0].props[0].value.str, "Robert");
	talloc_free(out);
	talloc_free(m);
}

static void test_attachments(void **state)
{
	struct cfx *fx = *state;
	uint8_t data[3] = { 'a', 'b', 'c' };
	struct mapistore_property ap[3] = {
		{ .proptag = PidTagAttachMethod, .value.i32 = 1 },
		{ .proptag = PidTagAttachFilename, .value.str = discard_const_p(char, "a.txt") },
		{ .proptag = PidTagAttachDataBinary, .value.bin = { 3, data } },
	};
	struct mapistore_property em = { .proptag = PidTagAttachMethod, .value.i32 = 5 };
	struct mapistore_property es = { .proptag = PidTagSubject, .value.str = discard_const_p(char, "inner") };
	uint32_t tags[2] = { PidTagAttachFilename, 0x0E210003 }, aid = 0, aid2 = 0, n = 0;
	struct mapistore_attachment *a = NULL, *b = NULL;
	struct mapistore_message *m = NULL, *inner = NULL;
	struct mapistore_property *out = NULL;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint64_t mid;

	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	assert_int_equal(mapistore_message_create_attachment(fx, m, &a, &aid), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_attachment_object(a), ap, 3), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_create_attachment(fx, m, &b, &aid2), MAPISTORE_SUCCESS);
	assert_int_not_equal(aid, aid2);
	assert_int_equal(mapistore_properties_set(mapistore_attachment_object(b), &em, 1), MAPISTORE_SUCCESS);
	if (fx->caps & MAPISTORE_CAP_EMBEDDED) {
		assert_int_equal(mapistore_attachment_open_embedded(fx, b, true, &inner), MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_set(mapistore_message_object(inner), &es, 1),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_message_save(inner), MAPISTORE_SUCCESS);
		talloc_free(inner);
	}
	talloc_free(a);
	talloc_free(b);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);

	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open_attachment_table(fx, m, &t), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, tags, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(fx, t, 10, &rows, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].props[0].value.str, "a.txt");
	assert_int_equal(rows[0].props[1].value.i32, (int32_t)aid);
	talloc_free(rows);
	talloc_free(t);
	assert_int_equal(mapistore_message_open_attachment(fx, m, aid, &a), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_attachment_object(a), &ap[2].proptag, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_int_equal(out[0].value.bin.length, 3);
	assert_memory_equal(out[0].value.bin.data, "abc", 3);
	talloc_free(out);
	talloc_free(a);
	if (fx->caps & MAPISTORE_CAP_EMBEDDED) {
		assert_int_equal(mapistore_message_open_attachment(fx, m, aid2, &b), MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_attachment_open_embedded(fx, b, false, &inner), MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(inner), &es.proptag, 1,
							  &out), MAPISTORE_SUCCESS);
		assert_string_equal(out[0].value.str, "inner");
		talloc_free(out);
		talloc_free(inner);
		talloc_free(b);
	}
	assert_int_equal(mapistore_message_delete_attachment(m, aid), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_delete_attachment(m, aid), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open_attachment(fx, m, aid, &a), MAPISTORE_ERR_NOT_FOUND);
	talloc_free(m);
}

static void test_read_flag_and_submit(void **state)
{
	struct cfx *fx = *state;
	uint64_t mid = make_message(fx, fx->inbox, "flags", 1, false);
	uint32_t tag = 0x0E070003;
	struct mapistore_message *m = NULL;
	struct mapistore_property *out = NULL;

	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_set_read_flag(m, MSGFLAG_READ_SET), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), &tag, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_int_equal(out[0].value.i32 & 1, 1);
	talloc_free(out);
	assert_int_equal(mapistore_message_set_read_flag(m, MSGFLAG_CLEAR_READ), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), &tag, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_int_equal(out[0].value.i32 & 1, 0);
	talloc_free(out);
	if (fx->caps & MAPISTORE_CAP_SUBMIT) {
		assert_int_equal(mapistore_message_submit(m, 0), MAPISTORE_SUCCESS);
		talloc_free(m);
		assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), &tag, 1, &out),
				 MAPISTORE_SUCCESS);
		assert_int_equal(out[0].value.i32 & 4, 4);
		talloc_free(out);
	}
	talloc_free(m);
}

static void test_delete_move_copy_messages(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *other = make_folder(fx, fx->inbox, "Other");
	uint64_t m1 = make_message(fx, fx->inbox, "one", 1, false);
	uint64_t m2 = make_message(fx, fx->inbox, "two", 1, false);
	uint64_t m3 = make_message(fx, fx->inbox, "three", 1, false);
	uint64_t new_mids[2], *fmids = NULL, cn = 0, del[2] = { m1, 0x4444000000000001ULL };
	uint32_t count = 0;
	struct mapistore_message *m = NULL;

	assert_int_equal(mapistore_folder_move_copy_messages(other, fx->inbox, &m2, 1, true, new_mids),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_move_copy_messages(other, fx->inbox, &m3, 1, false, &new_mids[1]),
			 MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE), 2);
	assert_int_equal(count_rows(fx, other, MAPISTORE_MESSAGE_TABLE), 2);
	assert_int_equal(mapistore_message_open(fx, other, new_mids[1], false, &m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, m3, false, &m), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_folder_delete_messages(fx->inbox, del, 2, false), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE), 1);
	if (fx->caps & MAPISTORE_CAP_DELETED_SINCE) {
		assert_int_equal(mapistore_folder_get_deleted_fmids(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE,
								    0, &fmids, &count, &cn), MAPISTORE_SUCCESS);
		assert_int_equal(count, 2);    /* the moved one and the deleted one */
		talloc_free(fmids);
		assert_int_equal(mapistore_folder_get_deleted_fmids(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE,
								    cn, &fmids, &count, &cn), MAPISTORE_SUCCESS);
		assert_int_equal(count, 0);
		talloc_free(fmids);
	}
	talloc_free(other);
}

static void test_table_restrict_sort_page(void **state)
{
	struct cfx *fx = *state;
	uint32_t cols[2] = { PidTagSubject, PidTagImportance }, n = 0, num = 0, den = 0, bm = 0;
	struct mapistore_sort_order order[2] = { { PidTagImportance, TABLE_SORT_DESCEND },
						 { PidTagSubject, TABLE_SORT_ASCEND } };
	struct mapistore_restriction res = { .type = MAPISTORE_RES_PROPERTY,
		.u.property = { RELOP_GE, PidTagImportance, { PidTagImportance, .value.i32 = 1 } } };
	static const char *const expect[] = { "d", "e", "b", "c" };
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	int32_t moved = 0;
	uint32_t i;

	make_message(fx, fx->inbox, "c", 1, false);
	make_message(fx, fx->inbox, "a", 0, false);
	make_message(fx, fx->inbox, "e", 2, false);
	make_message(fx, fx->inbox, "b", 1, false);
	make_message(fx, fx->inbox, "d", 2, false);
	make_message(fx, fx->inbox, "fai", 2, true);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_FAI_TABLE), 1);
	assert_int_equal(mapistore_folder_open_table(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(fx, t, 1, &rows, &n), MAPISTORE_ERR_NOT_INITIALIZED);
	assert_int_equal(mapistore_table_set_columns(t, cols, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_restrict(t, &res), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_sort(t, order, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_row_count(t, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 4);
	/* page through two at a time */
	for (i = 0; i < 4; i += 2) {
		assert_int_equal(mapistore_table_query_rows(fx, t, 2, &rows, &n), MAPISTORE_SUCCESS);
		assert_int_equal(n, 2);
		assert_string_equal(rows[0].props[0].value.str, expect[i]);
		assert_string_equal(rows[1].props[0].value.str, expect[i + 1]);
		assert_int_equal(rows[0].count, 2);
		talloc_free(rows);
	}
	assert_int_equal(mapistore_table_query_rows(fx, t, 2, &rows, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	talloc_free(rows);
	/* seek, position, bookmarks */
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 1, &moved), MAPISTORE_SUCCESS);
	assert_int_equal(moved, 1);
	assert_int_equal(mapistore_table_create_bookmark(t, &bm), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_END, -10, &moved), MAPISTORE_SUCCESS);
	assert_int_equal(moved, -4);
	assert_int_equal(mapistore_table_get_position(t, &num, &den), MAPISTORE_SUCCESS);
	assert_int_equal(num, 0);
	assert_int_equal(den, 4);
	assert_int_equal(mapistore_table_seek_bookmark(t, bm, 1, &moved), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(fx, t, 1, &rows, &n), MAPISTORE_SUCCESS);
	assert_string_equal(rows[0].props[0].value.str, "b");
	talloc_free(rows);
	assert_int_equal(mapistore_table_free_bookmark(t, bm), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_seek_bookmark(t, bm, 0, &moved), MAPISTORE_ERR_NOT_FOUND);
	/* clearing the restriction shows every normal message again */
	assert_int_equal(mapistore_table_restrict(t, NULL), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_row_count(t, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 5);
	talloc_free(t);
}

static void test_streams(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_message *m = NULL;
	struct mapistore_stream *s = NULL;
	size_t big = 300000, got = 0, total = 0;
	uint8_t *buf = talloc_size(fx, big), *back = talloc_size(fx, big);
	uint64_t size = 0, pos = 0, mid;
	size_t i;

	if (!(fx->caps & MAPISTORE_CAP_STREAMS)) {
		print_message("backend %s: no MAPISTORE_CAP_STREAMS, stream test not applicable\n",
			      backend_name);
		talloc_free(buf);
		talloc_free(back);
		return;
	}
	for (i = 0; i < big; i++) {
		buf[i] = (uint8_t)(i * 7);
	}
	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	assert_int_equal(mapistore_stream_open(fx, mapistore_message_object(m), PidTagEntryIdTest,
					       MAPISTORE_STREAM_WRITE, &s), MAPISTORE_SUCCESS);
	for (i = 0; i < big; i += 4096) {
		size_t chunk = big - i < 4096 ? big - i : 4096;

		assert_int_equal(mapistore_stream_write(s, buf + i, chunk), MAPISTORE_SUCCESS);
	}
	assert_int_equal(mapistore_stream_get_size(s, &size), MAPISTORE_SUCCESS);
	assert_true(size == big);
	assert_int_equal(mapistore_stream_commit(s), MAPISTORE_SUCCESS);
	talloc_free(s);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_open(fx, mapistore_message_object(m), PidTagEntryIdTest,
					       MAPISTORE_STREAM_READ, &s), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_seek(s, 0, 0, &pos), MAPISTORE_SUCCESS);
	while (total < big) {
		assert_int_equal(mapistore_stream_read(s, back + total, 10000, &got), MAPISTORE_SUCCESS);
		assert_true(got > 0);
		total += got;
	}
	assert_int_equal(mapistore_stream_read(s, back, 10, &got), MAPISTORE_SUCCESS);
	assert_int_equal(got, 0);
	assert_memory_equal(buf, back, big);
	assert_int_equal(mapistore_stream_write(s, buf, 1), MAPISTORE_ERR_NO_ACCESS);
	talloc_free(s);
	talloc_free(m);
	talloc_free(buf);
	talloc_free(back);
}

static void test_permissions(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_permission in[2] = { { 0, "Default", 0x0 }, { 12, "Alice", 0x7FB } };
	struct mapistore_permission *out = NULL;
	uint32_t count = 0;

	if (!(fx->caps & MAPISTORE_CAP_PERMISSIONS)) {
		print_message("backend %s: no MAPISTORE_CAP_PERMISSIONS\n", backend_name);
		return;
	}
	assert_int_equal(mapistore_folder_set_permissions(fx->inbox, in, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_get_permissions(fx, fx->inbox, &out, &count), MAPISTORE_SUCCESS);
	assert_int_equal(count, 2);
	assert_string_equal(out[1].name, "Alice");
	assert_int_equal(out[1].rights, 0x7FB);
	talloc_free(out);
	assert_int_equal(count_rows(fx, fx->inbox, MAPISTORE_PERMISSIONS_TABLE), 2);
}

static void test_empty_folder(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *f = make_folder(fx, fx->inbox, "Full"), *sub;

	make_message(fx, f, "x", 1, false);
	make_message(fx, f, "y", 1, false);
	make_message(fx, f, "cfg", 1, true);
	sub = make_folder(fx, f, "Sub");
	assert_int_equal(mapistore_folder_empty(f, false), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, f, MAPISTORE_MESSAGE_TABLE), 0);
	assert_int_equal(count_rows(fx, f, MAPISTORE_FAI_TABLE), 1);
	assert_int_equal(count_rows(fx, f, MAPISTORE_FOLDER_TABLE), 1);
	assert_int_equal(mapistore_folder_empty(f, true), MAPISTORE_SUCCESS);
	assert_int_equal(count_rows(fx, f, MAPISTORE_FOLDER_TABLE), 0);
	talloc_free(sub);
	talloc_free(f);
}

static void test_folder_properties(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_property c = { .proptag = PidTagComment, .value.str = discard_const_p(char, "note") };
	uint32_t tags[2] = { PidTagComment, 0x36020003 };
	struct mapistore_property *out = NULL;

	make_message(fx, fx->inbox, "counted", 1, false);
	assert_int_equal(mapistore_properties_set(mapistore_folder_object(fx->inbox), &c, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_folder_object(fx->inbox), tags, 2, &out),
			 MAPISTORE_SUCCESS);
	assert_string_equal(out[0].value.str, "note");
	assert_int_equal(out[1].value.i32, 1);     /* PidTagContentCount */
	talloc_free(out);
	assert_int_equal(mapistore_properties_delete(mapistore_folder_object(fx->inbox), tags, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_folder_object(fx->inbox), tags, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_true(mapistore_property_is_error(&out[0]));
	talloc_free(out);
}

static void test_persistence(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *sub = make_folder(fx, fx->inbox, "Kept"), *again = NULL;
	struct mapistore_folder *deeper = make_folder(fx, sub, "Deeper");
	uint64_t fid = mapistore_folder_get_fid(sub), deeper_fid = mapistore_folder_get_fid(deeper);
	uint64_t mid = make_message(fx, sub, "survivor", 3, false);
	struct mapistore_context *fresh = NULL;
	struct mapistore_message *m = NULL;

	if (!(fx->caps & MAPISTORE_CAP_PERSISTENT)) {
		print_message("backend %s: not persistent, reopen test not applicable\n", backend_name);
		talloc_free(deeper);
		talloc_free(sub);
		return;
	}
	talloc_free(deeper);
	talloc_free(sub);
	TALLOC_FREE(fx->inbox);
	TALLOC_FREE(fx->ctx);
	/* a new context opens a folder two levels below a root it has not
	 * opened (a client reopening a folder by its entry ID) */
	assert_int_equal(mapistore_context_new(fx, &fx->cfg, fx->username, &fresh, NULL),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open(fx, fresh, deeper_fid, &again), MAPISTORE_SUCCESS);
	assert_true(mapistore_folder_get_fid(again) == deeper_fid);
	TALLOC_FREE(again);
	TALLOC_FREE(fresh);
	assert_int_equal(open_context(fx), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, fid, &again), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(fx, again, mid, false, &m), MAPISTORE_SUCCESS);
	talloc_free(m);
	talloc_free(again);
}

/* memory-emu: the memory backend's roots under the memory-emu:// scheme */
static enum mapistore_error emu_list_root_folders(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env, const char *username,
	struct mapistore_root_folder **folders_r, uint32_t *count_r)
{
	enum mapistore_error ret = memory_backend_ops.list_root_folders(mem_ctx, env, username,
									folders_r, count_r);
	uint32_t i;

	for (i = 0; ret == MAPISTORE_SUCCESS && i < *count_r; i++) {
		(*folders_r)[i].uri = talloc_asprintf(*folders_r, "memory-emu%s",
						      strstr((*folders_r)[i].uri, "://"));
	}
	return ret;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_root_folders), T(test_folder_create_open), T(test_hierarchy_table),
		T(test_folder_delete), T(test_folder_move_copy), T(test_message_round_trip),
		T(test_message_isolation), T(test_recipients), T(test_attachments),
		T(test_read_flag_and_submit), T(test_delete_move_copy_messages),
		T(test_table_restrict_sort_page), T(test_streams), T(test_permissions),
		T(test_empty_folder), T(test_folder_properties), T(test_persistence),
		T(test_table_seek_random), T(test_table_subobject_count_regex),
		T(test_stream_utf16),
		T(test_changes_create_modify), T(test_sync_messages_cursor),
		T(test_sync_read_states), T(test_sync_deletions), T(test_sync_moves),
		T(test_sync_hierarchy), T(test_move_other_context), T(test_copy_indexes_tree),
		T(test_changes_survive_restart), T(test_mailbox_replica_ids),
	};
	static struct mapistore_backend_ops emu;
	uint32_t loaded = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BACKEND [BACKENDS_DIR]\n", argv[0]);
		return 2;
	}
	backend_name = argv[1];
	backends_dir = argc > 2 ? argv[2] : NULL;
	if (strcmp(backend_name, "memory-emu") == 0) {
		emu = memory_backend_ops;
		emu.name = "memory-emu";
		emu.capabilities &= ~(MAPISTORE_CAP_TABLE_RESTRICT | MAPISTORE_CAP_TABLE_SORT |
				      MAPISTORE_CAP_TABLE_FIND);
		emu.table_set_restriction = NULL;
		emu.table_set_sort_order = NULL;
		emu.table_find_row = NULL;
		emu.list_root_folders = emu_list_root_folders;
		if (mapistore_backend_register(&emu) != MAPISTORE_SUCCESS) {
			return 1;
		}
	} else if (backends_dir != NULL) {
		if (mapistore_backends_load(backends_dir, &loaded) != MAPISTORE_SUCCESS || loaded == 0) {
			fprintf(stderr, "no backend loaded from %s\n", backends_dir);
			return 1;
		}
	}
	if (mapistore_backend_lookup(backend_name) == NULL) {
		fprintf(stderr, "backend %s is not registered\n", backend_name);
		return 1;
	}
	cmocka_set_message_output(CM_OUTPUT_STDOUT);
	return cmocka_run_group_tests_name(backend_name, tests, NULL, NULL);
}

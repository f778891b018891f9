/*
 * nspi_session_info_copy(): the NSPI session's own deep copy of the
 * caller's auth_session_info (nspi_session_info.h). The copy must share no
 * memory with the source: the source is freed before the copy is checked.
 */
#include "nspi_session_info.h"
#include "oc_test.h"

#include <string.h>

static const char *const user_strings[] = {
	"user03", "user03@example.com", "EXAMPLE", "example.com",
	"User Number 03", NULL /* logon_script */, NULL /* profile_path */,
	"\\\\ocdc\\home", "H:", "OCDC",
};

static void fill_sid(struct dom_sid *sid, uint32_t rid)
{
	static const uint8_t nt_authority[6] = { 0, 0, 0, 0, 0, 5 };

	memset(sid, 0, sizeof(*sid));
	sid->sid_rev_num = 1;
	sid->num_auths = 5;
	memcpy(sid->id_auth, nt_authority, 6);
	sid->sub_auths[0] = 21;
	sid->sub_auths[1] = 788627066;
	sid->sub_auths[2] = 2487981627u;
	sid->sub_auths[3] = 4286041945u;
	sid->sub_auths[4] = rid;
}

/* a session_info as Samba's auth code would hand it, on @mem_ctx */
static struct auth_session_info *make_source(TALLOC_CTX *mem_ctx,
					     uint32_t num_sids)
{
	struct auth_session_info *si = talloc_zero(mem_ctx,
						   struct auth_session_info);
	struct auth_user_info *info;
	uint32_t i;

	assert_non_null(si);
	si->security_token = talloc_zero(si, struct security_token);
	assert_non_null(si->security_token);
	si->security_token->num_sids = num_sids;
	si->security_token->sids = num_sids ?
		talloc_array(si->security_token, struct dom_sid, num_sids) :
		NULL;
	for (i = 0; i < num_sids; i++) {
		fill_sid(&si->security_token->sids[i], 1105 + i);
	}
	si->security_token->privilege_mask = 0x123456789ULL;
	si->security_token->rights_mask = 0x42;
	info = si->info = talloc_zero(si, struct auth_user_info);
	assert_non_null(info);
	info->account_name = talloc_strdup(info, user_strings[0]);
	info->user_principal_name = talloc_strdup(info, user_strings[1]);
	info->domain_name = talloc_strdup(info, user_strings[2]);
	info->dns_domain_name = talloc_strdup(info, user_strings[3]);
	info->full_name = talloc_strdup(info, user_strings[4]);
	info->home_directory = talloc_strdup(info, user_strings[7]);
	info->home_drive = talloc_strdup(info, user_strings[8]);
	info->logon_server = talloc_strdup(info, user_strings[9]);
	info->acct_flags = 0x10;
	info->authenticated = 1;
	info->last_logon = 133000000000000000ULL;
	si->unix_token = talloc_zero(si, struct security_unix_token);
	si->session_key = data_blob_talloc(si, "0123456789abcdef", 16);
	si->unique_session_token.time_low = 0xdeadbeef;
	si->unique_session_token.node[5] = 0x77;
	si->ticket_type = (enum ticket_type)1;
	return si;
}

static void test_copy_is_deep(void **state)
{
	TALLOC_CTX *root = *state;
	struct auth_session_info *src = make_source(root, 3);
	struct auth_session_info *copy;
	const char *got[ARRAY_SIZE(user_strings)];
	struct dom_sid sid;
	uint32_t i;

	copy = nspi_session_info_copy(root, src);
	assert_non_null(copy);
	assert_ptr_not_equal(copy->security_token, src->security_token);
	assert_ptr_not_equal(copy->security_token->sids,
			     src->security_token->sids);
	assert_ptr_not_equal(copy->info, src->info);
	assert_ptr_not_equal(copy->info->account_name, src->info->account_name);
	talloc_free(src);	/* nothing of the copy may point into it */

	assert_int_equal(copy->security_token->num_sids, 3);
	for (i = 0; i < 3; i++) {
		fill_sid(&sid, 1105 + i);
		assert_memory_equal(&copy->security_token->sids[i], &sid,
				    sizeof(sid));
	}
	assert_true(copy->security_token->privilege_mask == 0x123456789ULL);
	assert_int_equal(copy->security_token->rights_mask, 0x42);
	got[0] = copy->info->account_name;
	got[1] = copy->info->user_principal_name;
	got[2] = copy->info->domain_name;
	got[3] = copy->info->dns_domain_name;
	got[4] = copy->info->full_name;
	got[5] = copy->info->logon_script;
	got[6] = copy->info->profile_path;
	got[7] = copy->info->home_directory;
	got[8] = copy->info->home_drive;
	got[9] = copy->info->logon_server;
	for (i = 0; i < ARRAY_SIZE(user_strings); i++) {
		if (user_strings[i] == NULL) {
			assert_null(got[i]);
			continue;
		}
		assert_string_equal(got[i], user_strings[i]);
		assert_true(talloc_is_parent(got[i], copy));
	}
	assert_int_equal(copy->info->acct_flags, 0x10);
	assert_int_equal(copy->info->authenticated, 1);
	assert_true(copy->info->last_logon == 133000000000000000ULL);
	assert_int_equal(copy->unique_session_token.time_low, 0xdeadbeef);
	assert_int_equal(copy->unique_session_token.node[5], 0x77);
	assert_int_equal(copy->ticket_type, 1);
	/* what sam.ldb does not use is not carried over */
	assert_null(copy->unix_token);
	assert_null(copy->unix_info);
	assert_null(copy->credentials);
	assert_null(copy->torture);
	assert_int_equal(copy->session_key.length, 0);
	assert_null(copy->session_key.data);
	talloc_free(copy);
}

static void test_copy_without_sids(void **state)
{
	TALLOC_CTX *root = *state;
	struct auth_session_info *src = make_source(root, 0);
	struct auth_session_info *copy = nspi_session_info_copy(root, src);

	assert_non_null(copy);
	assert_int_equal(copy->security_token->num_sids, 0);
	assert_null(copy->security_token->sids);
	talloc_free(src);
	talloc_free(copy);
}

/* sources that cannot be copied: NULL, nothing left allocated */
static void test_copy_refused(void **state)
{
	TALLOC_CTX *root = *state;
	static const struct {
		const char *what;
		bool null_src, no_token, no_info;
	} cases[] = {
		{ "no session_info", true, false, false },
		{ "no security token", false, true, false },
		{ "no user info", false, false, true },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct auth_session_info *src = make_source(root, 2);
		TALLOC_CTX *dst = talloc_new(root);

		assert_non_null(dst);
		if (cases[i].no_token) {
			TALLOC_FREE(src->security_token);
		}
		if (cases[i].no_info) {
			TALLOC_FREE(src->info);
		}
		if (nspi_session_info_copy(dst, cases[i].null_src ? NULL : src)
		    != NULL) {
			fail_msg("%s: copied", cases[i].what);
		}
		assert_int_equal(talloc_total_blocks(dst), 1);
		talloc_free(dst);
		talloc_free(src);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_is_deep,
			oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_without_sids,
			oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_refused,
			oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

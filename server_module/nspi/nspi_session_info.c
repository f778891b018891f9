/*
 * The NSPI session's own copy of the caller's session_info (why:
 * nspi_session.c, doc/nspi.md "The session").
 */
#include "nspi_session_info.h"

#include <string.h>

/* the strings of struct auth_user_info, copied one by one */
static const size_t nspi_user_info_strings[] = {
	offsetof(struct auth_user_info, account_name),
	offsetof(struct auth_user_info, user_principal_name),
	offsetof(struct auth_user_info, domain_name),
	offsetof(struct auth_user_info, dns_domain_name),
	offsetof(struct auth_user_info, full_name),
	offsetof(struct auth_user_info, logon_script),
	offsetof(struct auth_user_info, profile_path),
	offsetof(struct auth_user_info, home_directory),
	offsetof(struct auth_user_info, home_drive),
	offsetof(struct auth_user_info, logon_server),
};

struct auth_session_info *nspi_session_info_copy(TALLOC_CTX *mem_ctx,
	const struct auth_session_info *src)
{
	struct auth_session_info *si;
	struct security_token *t;
	struct auth_user_info *info;
	size_t i;

	if (src == NULL || src->security_token == NULL || src->info == NULL) {
		return NULL;
	}
	si = talloc_zero(mem_ctx, struct auth_session_info);
	if (si == NULL) {
		return NULL;
	}
	si->unique_session_token = src->unique_session_token;
	si->ticket_type = src->ticket_type;
	t = talloc_zero(si, struct security_token);
	info = talloc_zero(si, struct auth_user_info);
	if (t == NULL || info == NULL) {
		goto fail;
	}
	si->security_token = t;
	si->info = info;
	*t = *src->security_token;
	t->sids = NULL;
	if (t->num_sids > 0) {
		t->sids = talloc_memdup(t, src->security_token->sids,
			sizeof(struct dom_sid) * t->num_sids);
		if (t->sids == NULL) {
			goto fail;
		}
	}
	*info = *src->info;
	for (i = 0; i < ARRAY_SIZE(nspi_user_info_strings); i++) {
		const char **f = (const char **)(void *)
			((char *)info + nspi_user_info_strings[i]);

		if (*f != NULL && (*f = talloc_strdup(info, *f)) == NULL) {
			goto fail;
		}
	}
	return si;
fail:
	talloc_free(si);
	return NULL;
}

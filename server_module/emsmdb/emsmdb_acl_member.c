/*
 * Members of permission lists: address-book permanent entry IDs
 * ([MS-OXCDATA] 2.2.5.2) and the resolver legacyExchangeDN -> account
 * (emsmdb_acl.h; the server installs emsmdb_acl_glue.c's).
 */
#include "emsmdb_acl.h"
#include "emsmdb_oxc.h"

#include <string.h>
#include <strings.h>

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID: the provider UID of the
 * address book */
static const uint8_t emsmdb_ab_provider[16] = {
	0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
	0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
};
/* Flags (4) + ProviderUID (16) + Version (4) + Type (4) */
#define EMSMDB_AB_EID_HEAD 28
/* a DN longer than this is not one of ours */
#define EMSMDB_AB_MAX_DN 1024

/* ---- entry IDs ---- */

uint32_t emsmdb_acl_entryid_from_dn(TALLOC_CTX *mem_ctx, const char *dn,
				    struct mapistore_binary *eid_r)
{
	size_t n;
	uint8_t *p;

	if (dn == NULL || (n = strlen(dn)) == 0 || n > EMSMDB_AB_MAX_DN) {
		return ecInvalidParam;
	}
	p = talloc_zero_array(mem_ctx, uint8_t, EMSMDB_AB_EID_HEAD + n + 1);
	if (p == NULL) {
		return ecMAPIOOM;
	}
	/* Flags 0, ProviderUID, Version 1, Type 0 (DT_MAILUSER), X500DN */
	memcpy(p + 4, emsmdb_ab_provider, 16);
	p[20] = 0x01;
	memcpy(p + EMSMDB_AB_EID_HEAD, dn, n);
	eid_r->data = p;
	eid_r->length = EMSMDB_AB_EID_HEAD + n + 1;
	return ecSuccess;
}

uint32_t emsmdb_acl_dn_from_entryid(TALLOC_CTX *mem_ctx, const uint8_t *data,
				    size_t length, char **dn_r)
{
	static const uint8_t zero[4] = { 0, 0, 0, 0 };
	static const uint8_t version[4] = { 1, 0, 0, 0 };
	const uint8_t *dn, *end;
	size_t n;

	*dn_r = NULL;
	if (data == NULL || length <= EMSMDB_AB_EID_HEAD ||
	    length > EMSMDB_AB_EID_HEAD + EMSMDB_AB_MAX_DN + 1 ||
	    memcmp(data, zero, 4) != 0 ||
	    memcmp(data + 4, emsmdb_ab_provider, 16) != 0 ||
	    memcmp(data + 20, version, 4) != 0) {
		return ecInvalidParam;
	}
	dn = data + EMSMDB_AB_EID_HEAD;
	end = memchr(dn, '\0', length - EMSMDB_AB_EID_HEAD);
	if (end == NULL || end == dn) {
		return ecInvalidParam;
	}
	n = (size_t)(end - dn);
	*dn_r = talloc_strndup(mem_ctx, (const char *)dn, n);
	return *dn_r != NULL ? ecSuccess : ecMAPIOOM;
}

/* ---- the member resolver ---- */

static __thread emsmdb_acl_resolve_fn emsmdb_acl_resolver;
static __thread void *emsmdb_acl_resolver_data;

void emsmdb_acl_set_resolver(emsmdb_acl_resolve_fn fn, void *private_data)
{
	emsmdb_acl_resolver = fn;
	emsmdb_acl_resolver_data = private_data;
}

/* the default: the DN emsmdb_user_dn() derives for an account with a mailbox */
static uint32_t emsmdb_acl_resolve_derived(struct emsmdb_session *s,
					   TALLOC_CTX *mem_ctx, const char *dn,
					   char **account_r, char **name_r)
{
	struct openchangedb_mailbox *mbx = NULL;
	const char *cn = NULL, *p;
	char *account, *expect;
	bool same;

	for (p = dn; (p = strchr(p, '/')) != NULL; p++) {
		if (strncasecmp(p, "/cn=", 4) == 0) {
			cn = p + 4;
		}
	}
	if (cn == NULL || cn[0] == '\0' || s->ocdb == NULL) {
		return ecNotFound;
	}
	account = talloc_strdup(mem_ctx, cn);
	expect = account != NULL ? emsmdb_user_dn(mem_ctx, s->config, account) : NULL;
	same = expect != NULL && strcasecmp(expect, dn) == 0;
	talloc_free(expect);
	if (!same || openchangedb_mailbox_get(mem_ctx, s->ocdb, account, &mbx) !=
		     MAPISTORE_SUCCESS) {
		talloc_free(account);
		return ecNotFound;
	}
	*account_r = talloc_strdup(mem_ctx, mbx->username);
	*name_r = talloc_strdup(mem_ctx, mbx->display_name);
	talloc_free(mbx);
	talloc_free(account);
	return *account_r != NULL && *name_r != NULL ? ecSuccess : ecMAPIOOM;
}

uint32_t emsmdb_acl_resolve(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    const char *dn, char **account_r, char **name_r)
{
	*account_r = NULL;
	*name_r = NULL;
	if (dn == NULL || dn[0] == '\0') {
		return ecNotFound;
	}
	if (emsmdb_acl_resolver != NULL) {
		return emsmdb_acl_resolver(emsmdb_acl_resolver_data, mem_ctx, dn,
					   account_r, name_r);
	}
	return emsmdb_acl_resolve_derived(s, mem_ctx, dn, account_r, name_r);
}

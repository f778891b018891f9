/*
 * Recipient resolution helpers shared by the sam.ldb lookup and the tests
 * (contract in emsmdb_directory.h). Only ldb's string encoder is used
 * here: no Samba state.
 */
#include "emsmdb_directory.h"

#include <string.h>
#include <strings.h>
#include <ldb.h>

/* one row per key: the filter around the escaped value */
static const struct {
	const char *head;
	const char *tail;
	bool twice;			/* the value appears a second time */
	const char *middle;
} emsmdb_directory_filters[] = {
	[EMSMDB_DIRECTORY_EX] = { "(&(objectClass=user)(legacyExchangeDN=", "))",
				  false, NULL },
	[EMSMDB_DIRECTORY_SMTP] = { "(&(objectClass=user)(|(mail=", ")))", true,
				    ")(proxyAddresses=smtp:" },
	[EMSMDB_DIRECTORY_ACCOUNT] = { "(&(objectClass=user)(sAMAccountName=", "))",
				       false, NULL },
};

char *emsmdb_directory_filter(TALLOC_CTX *mem_ctx, enum emsmdb_directory_key key,
			      const char *value)
{
	char *esc, *filter;

	if (value == NULL || value[0] == '\0' ||
	    (unsigned)key >= sizeof(emsmdb_directory_filters) /
			     sizeof(emsmdb_directory_filters[0])) {
		return NULL;
	}
	/* [RFC 4515] 3: '*', '(', ')', '\' and NUL become \XX */
	esc = ldb_binary_encode_string(mem_ctx, value);
	if (esc == NULL) {
		return NULL;
	}
	if (emsmdb_directory_filters[key].twice) {
		filter = talloc_asprintf(mem_ctx, "%s%s%s%s%s",
					 emsmdb_directory_filters[key].head, esc,
					 emsmdb_directory_filters[key].middle, esc,
					 emsmdb_directory_filters[key].tail);
	} else {
		filter = talloc_asprintf(mem_ctx, "%s%s%s",
					 emsmdb_directory_filters[key].head, esc,
					 emsmdb_directory_filters[key].tail);
	}
	talloc_free(esc);
	return filter;
}

char *emsmdb_directory_primary_smtp(TALLOC_CTX *mem_ctx, const char *mail,
				    const char *const *proxy_addresses,
				    unsigned count)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		if (proxy_addresses[i] != NULL &&
		    strncmp(proxy_addresses[i], "SMTP:", 5) == 0 &&
		    proxy_addresses[i][5] != '\0') {
			return talloc_strdup(mem_ctx, proxy_addresses[i] + 5);
		}
	}
	if (mail != NULL && mail[0] != '\0') {
		return talloc_strdup(mem_ctx, mail);
	}
	for (i = 0; i < count; i++) {
		if (proxy_addresses[i] != NULL &&
		    strncasecmp(proxy_addresses[i], "smtp:", 5) == 0 &&
		    proxy_addresses[i][5] != '\0') {
			return talloc_strdup(mem_ctx, proxy_addresses[i] + 5);
		}
	}
	return NULL;
}

/*
 * libFuzzer harness: the metadata-store URI parser
 * (mapistore_db_uri.c). A parsed mysql:// URI has every field; on
 * failure the error sentence must not depend on the password.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapistore_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_db_params p;
	char *uri = talloc_strndup(mem, (const char *)data, size);
	char *errmsg = NULL;
	enum mapistore_error ret;

	if (uri == NULL) {
		talloc_free(mem);
		return 0;
	}
	memset(&p, 0, sizeof(p));
	ret = mapistore_db_parse_uri(mem, uri, &p, &errmsg);
	if (ret == MAPISTORE_SUCCESS && p.driver == MAPISTORE_DB_MYSQL &&
	    (p.user == NULL || p.password == NULL || p.host == NULL || p.database == NULL)) {
		abort();
	}
	if (ret != MAPISTORE_SUCCESS && errmsg == NULL) {
		abort();
	}
	if (ret != MAPISTORE_SUCCESS && strncmp(uri, "mysql://", 8) == 0) {
		const char *colon = strchr(uri + 8, ':');
		const char *at = strrchr(uri, '@');

		/* Same URI with an alphanumeric password replaced by another of
		 * the same length: the error sentence must not change, or it
		 * depends on (leaks) the password. (A plain substring test gives
		 * false alarms: "ysql" is in the sentence's own example.) */
		if (colon != NULL && at != NULL && at > colon + 1) {
			char *uri2 = talloc_strdup(mem, uri), *errmsg2 = NULL;
			struct mapistore_db_params p2;
			bool alnum = true;
			const char *c;

			for (c = colon + 1; c < at; c++) {
				alnum &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					 (*c >= '0' && *c <= '9');
			}
			if (alnum && uri2 != NULL) {
				memset(uri2 + (colon + 1 - uri), 'Q', (size_t)(at - colon - 1));
				memset(&p2, 0, sizeof(p2));
				if (mapistore_db_parse_uri(mem, uri2, &p2, &errmsg2) != ret ||
				    errmsg2 == NULL || strcmp(errmsg, errmsg2) != 0) {
					abort();
				}
			}
		}
	}
	talloc_free(mem);
	return 0;
}

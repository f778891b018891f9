/*
 * Configuration keys and their defaults (documented in doc/mapistore.md).
 * The server passes a lookup callback reading smb.conf; mapistore never
 * links against Samba's loadparm.
 */
#include "mapistore_private.h"

#include <string.h>

#define DEFAULT_PRIVATE_DIR "/var/lib/samba/private"

struct config_default {
	const char *key;
	const char *fixed;        /* a constant default, or */
	const char *private_rel;  /* a path relative to "private dir" */
};

static const struct config_default defaults[] = {
	{ "private dir", DEFAULT_PRIVATE_DIR, NULL },
	{ "mapistore:backends_path", MAPISTORE_DEFAULT_BACKENDS_PATH, NULL },
	{ "mapistore:data_path", NULL, "mapistore" },
	{ "mapiproxy:openchangedb", NULL, "openchange.db" },
	{ "mapistore:indexing_backend", NULL, "openchange.db" },
	/* "sqlite": in the openchangedb database; "mysql": namedproperties:mysql_* */
	{ "mapistore:namedproperties", "sqlite", NULL },
	{ "namedproperties:mysql_user", "openchange", NULL },
	{ "namedproperties:mysql_host", "localhost", NULL },
	{ "namedproperties:mysql_db", "openchange", NULL },
	{ "namedproperties:mysql_pass", "", NULL },
};

char *mapistore_config_get(TALLOC_CTX *mem_ctx, const struct mapistore_config *cfg,
			   const char *key)
{
	const char *value = NULL;
	size_t i;

	if (key == NULL) {
		return NULL;
	}
	if (cfg != NULL && cfg->get != NULL) {
		value = cfg->get(cfg->private_data, key);
	}
	if (value != NULL && value[0] != '\0') {
		return talloc_strdup(mem_ctx, value);
	}
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		char *private_dir, *path;

		if (strcmp(defaults[i].key, key) != 0) {
			continue;
		}
		if (defaults[i].fixed != NULL) {
			return talloc_strdup(mem_ctx, defaults[i].fixed);
		}
		private_dir = mapistore_config_get(mem_ctx, cfg, "private dir");
		if (private_dir == NULL) {
			return NULL;
		}
		path = talloc_asprintf(mem_ctx, "%s/%s", private_dir, defaults[i].private_rel);
		talloc_free(private_dir);
		return path;
	}
	return NULL;
}

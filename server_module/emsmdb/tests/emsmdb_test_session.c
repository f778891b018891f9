/* The test EMSMDB session of emsmdb_test_session.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_test_session.h"
#include "memory_private.h"

static const char *emsmdb_test_config_get(void *private_data, const char *key)
{
	struct emsmdb_test_session *t = private_data;

	return strcmp(key, "private dir") == 0 ? t->dir : NULL;
}

struct emsmdb_session *emsmdb_test_session_new(struct emsmdb_test_session *t,
					       const char *tag, const char *dn)
{
	struct emsmdb_session *s;

	snprintf(t->dir, sizeof(t->dir), "/tmp/emsmdb-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(t->dir));
	if (mapistore_backend_lookup("memory") == NULL) {
		assert_int_equal(mapistore_memory_backend_register(), MAPISTORE_SUCCESS);
	}
	t->mcfg.get = emsmdb_test_config_get;
	t->mcfg.private_data = t;
	emsmdb_config_default(&t->cfg);
	t->cfg.netbios_name = "OCDC";
	t->cfg.mapistore = &t->mcfg;
	t->cfg.default_backend = "memory";
	s = emsmdb_session_new(&t->cfg);
	assert_non_null(s);
	s->account = talloc_strdup(s, "alice");
	s->user_dn = talloc_strdup(s, dn);
	s->display_name = talloc_strdup(s, "Alice");
	s->cpid = 1252;
	return s;
}

void emsmdb_test_session_free(struct emsmdb_test_session *t,
			      struct emsmdb_session *s)
{
	char cmd[128];

	emsmdb_session_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/* The local backend tests' throwaway store (local_test_fx.h). */
#include "local_test_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *local_test_fx_get(void *private_data, const char *key)
{
	struct local_test_fx *fx = private_data;
	int i;

	for (i = 0; i < 2; i++) {
		if (strcmp(fx->kv[i][0], key) == 0) {
			return fx->kv[i][1];
		}
	}
	return NULL;
}

struct local_test_fx *local_test_fx_new(TALLOC_CTX *mem_ctx, const char *name)
{
	struct local_test_fx *fx = talloc_zero(mem_ctx, struct local_test_fx);

	if (fx == NULL) {
		return NULL;
	}
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/oc-%s-XXXXXX", name);
	if (mkdtemp(fx->dir) == NULL) {
		talloc_free(fx);
		return NULL;
	}
	fx->kv[0][0] = "private dir";
	fx->kv[0][1] = fx->dir;
	fx->kv[1][0] = "mapistore:data_path";
	fx->kv[1][1] = talloc_asprintf(fx, "%s/data", fx->dir);
	if (fx->kv[1][1] == NULL) {
		talloc_free(fx);
		return NULL;
	}
	fx->cfg.get = local_test_fx_get;
	fx->cfg.private_data = fx;
	return fx;
}

bool local_test_fx_remove(struct local_test_fx *fx)
{
	char *cmd = talloc_asprintf(fx, "rm -rf '%s'", fx->dir);
	bool ok = cmd != NULL && system(cmd) == 0;

	talloc_free(cmd);
	return ok;
}

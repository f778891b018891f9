/*
 * A throwaway store for the local backend's tests: a temporary directory
 * as Samba's "private dir" (the metadata store) with the local backend's
 * data below it (mapistore:data_path), and the mapistore_config that
 * names them.
 */
#ifndef LOCAL_TEST_FX_H
#define LOCAL_TEST_FX_H

#include "mapistore.h"

#include <stdbool.h>

struct local_test_fx {
	char dir[64];
	const char *kv[2][2];
	struct mapistore_config cfg;
	bool provisioned;   /* free for the test's own use */
};

/** Allocate a fixture on @p mem_ctx and create its directory (under /tmp,
 *  named after @p name); NULL on failure. */
struct local_test_fx *local_test_fx_new(TALLOC_CTX *mem_ctx, const char *name);

/** Remove the fixture's directory; true on success. */
bool local_test_fx_remove(struct local_test_fx *fx);

#endif

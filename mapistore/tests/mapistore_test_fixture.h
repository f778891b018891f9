/*
 * Fixture pieces the mapistore driver tests share (test_metadata.c,
 * test_client_ids.c): a temporary directory per test and a fixed
 * key -> value table that answers struct mapistore_config. Failures fail
 * the test (cmocka). See doc/ics-test-helpers.md.
 */
#ifndef MAPISTORE_TEST_FIXTURE_H
#define MAPISTORE_TEST_FIXTURE_H

#include <stdbool.h>
#include <talloc.h>

#include "mapistore.h"

/** How many keys a struct mapistore_test_config holds. */
enum { MAPISTORE_TEST_CONFIG_KEYS = 4 };

/**
 * A configuration of at most MAPISTORE_TEST_CONFIG_KEYS keys; the
 * strings are not copied: they must outlive it. Zero it before use.
 */
struct mapistore_test_config {
	const char *values[MAPISTORE_TEST_CONFIG_KEYS][2];	/* key, value */
	struct mapistore_config cfg;	/* answers from values[], see _init */
};

/** Point @c->cfg at @c's table (empty until mapistore_test_config_set()). */
void mapistore_test_config_init(struct mapistore_test_config *c);

/** Add @key = @value to @c; fails the test when the table is full. */
void mapistore_test_config_set(struct mapistore_test_config *c, const char *key,
			       const char *value);

/**
 * A new empty directory /tmp/oc-@tag-XXXXXX; its path on @mem_ctx.
 * Fails the test when it cannot be made.
 */
char *mapistore_test_dir_new(TALLOC_CTX *mem_ctx, const char *tag);

/** Remove @dir and what it holds (NULL: nothing); a failure is only logged. */
void mapistore_test_dir_remove(const char *dir);

/**
 * A cmocka teardown's end for a fixture @fx made below the test root
 * @root: remove @dir (may be NULL; it may live on @fx), free @fx, put
 * @root back in *@state and return oc_test_teardown()'s leak check.
 */
int mapistore_test_fixture_end(void **state, TALLOC_CTX *root, void *fx, const char *dir);

/** True when OC_TEST_DB_URI names a MariaDB (a mysql:// URI). */
bool mapistore_test_using_mysql(void);

#endif

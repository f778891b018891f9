/*
 * A test EMSMDB session for the unit tests of the ROP handlers: user
 * "alice" (display name "Alice", code page 1252) on a fresh mapistore whose
 * metadata lives in a temporary private directory and whose special folders
 * are on the memory backend. Shared by test_oxc.c, test_attach.c,
 * test_ics.c and test_streams.c.
 */
#ifndef EMSMDB_TEST_SESSION_H
#define EMSMDB_TEST_SESSION_H

#include "emsmdb_session.h"
#include "mapistore.h"

struct emsmdb_test_session {
	char dir[64];			/* the temporary private directory */
	struct mapistore_config mcfg;	/* answers "private dir" with dir */
	struct emsmdb_config cfg;
};

/**
 * Fill @t (which must stay at its address for the session's life) and
 * return a new session for user DN @dn; @tag names the temporary
 * directory. Fails the test on any error.
 */
struct emsmdb_session *emsmdb_test_session_new(struct emsmdb_test_session *t,
					       const char *tag, const char *dn);

/** Free @s and remove @t's temporary directory. */
void emsmdb_test_session_free(struct emsmdb_test_session *t,
			      struct emsmdb_session *s);

#endif

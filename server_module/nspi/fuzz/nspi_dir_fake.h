/*
 * The in-memory directory of the handler fuzz harness (nspi_dir_fake.c,
 * nspi_dir_fake_ops.c): it implements the nspi_dir_* contract of
 * nspi_private.h and nspi_session_lookup() without Samba.
 */
#ifndef NSPI_DIR_FAKE_H
#define NSPI_DIR_FAKE_H

#include "nspi_private.h"

struct nspi_fake_dir {
	struct ldb_message **msgs;	/* dn NULL: no ldb context */
	const char **dns;		/* their DNs */
	uint32_t n;
	struct nspi_session *s;		/* the one session of an input */
};

/** A fresh directory and session on @mem_ctx (NULL: out of memory). */
struct nspi_fake_dir *nspi_fake_dir_new(TALLOC_CTX *mem_ctx);

/** The directory nspi_session_lookup() and nspi_dir_* use (NULL: none). */
void nspi_fake_dir_set(struct nspi_fake_dir *d);

/** Object lookups and classification over the fake directory. */
struct ldb_message *nspi_fake_by_guid(struct nspi_fake_dir *d,
				      const uint8_t *g);
uint32_t nspi_fake_mid(struct nspi_fake_dir *d, const struct ldb_message *m);
enum nspi_object_kind nspi_fake_kind(const struct ldb_message *m);

/** Does @m match the ldb parse tree @t? (nspi_dir_fake_match.c) */
bool nspi_fake_match(const struct ldb_message *m,
		     const struct ldb_parse_tree *t);

#endif /* NSPI_DIR_FAKE_H */

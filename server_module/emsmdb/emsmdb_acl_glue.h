/*
 * The server's member resolver for emsmdb_acl.h (emsmdb_acl_glue.c):
 * legacyExchangeDN -> account through sam.ldb on the event loop. Needs
 * Samba's headers before it. Internal.
 */
#ifndef EMSMDB_ACL_GLUE_H
#define EMSMDB_ACL_GLUE_H

struct mp_call;

/** Worker: resolve members through sam.ldb as @call's user until _end. */
void emsmdb_acl_glue_begin(struct mp_call *call);
/** Worker: back to the Samba-free default resolver. */
void emsmdb_acl_glue_end(void);

#endif /* EMSMDB_ACL_GLUE_H */

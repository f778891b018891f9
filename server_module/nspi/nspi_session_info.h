/*
 * The NSPI session's own copy of the caller's auth_session_info
 * (nspi_session.c: sam.ldb is opened with it, so that the pointer the ldb
 * keeps lives exactly as long as the session). No NDR, no directory:
 * unit-tested alone (tests/test_nspi_session_info.c).
 */
#ifndef NSPI_SESSION_INFO_H
#define NSPI_SESSION_INFO_H

#include "includes_samba.h"

/**
 * A deep copy of what sam.ldb's modules read from a session_info: the
 * security token (SIDs, privilege and rights masks: the ACL checks), the
 * user info with its strings and the unique session token and ticket type
 * (audit logging). Not copied (NULL / empty in the copy): the unix token
 * and unix info, the session key, the credentials, the torture data.
 *
 * @return the copy on @mem_ctx, sharing no memory with @src; NULL when
 * @src is NULL or has no security token or no user info, or on
 * allocation failure (nothing is left allocated then).
 */
struct auth_session_info *nspi_session_info_copy(TALLOC_CTX *mem_ctx,
	const struct auth_session_info *src);

#endif /* NSPI_SESSION_INFO_H */

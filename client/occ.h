/*
 * occ: the project's own MAPI client library ([MS-OXCRPC] client side).
 *
 * A small layer over Samba's DCE/RPC client (libdcerpc) and our ndr/:
 * connect with NTLM at integrity or privacy, EcDoConnectEx, ROP buffers
 * through EcDoRpcExt2 (RPC_HEADER_EXT framing by ndr/rpcext, ROPs by the
 * ndr/rop codec), EcDoAsyncConnectEx / EcDoAsyncWaitEx, EcDoDisconnect.
 * It is what openchange-client (the administrator's command-line tool) and
 * the integration tests drive.
 *
 * Memory: every object is allocated on the mem_ctx given; freeing a
 * session closes its connections (without EcDoDisconnect: call
 * occ_disconnect() for a clean end). Not thread-safe; one session per
 * thread.
 */
#ifndef OCC_H
#define OCC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "rop.h"

struct occ_session;

/** How to reach and authenticate to the server. */
struct occ_params {
	const char *server;		/* host name or IP address */
	const char *username;
	const char *domain;		/* NetBIOS domain; NULL: none */
	const char *password;
	/** EcDoConnectEx szUserDN; NULL: derived from organization/admin group */
	const char *user_dn;
	const char *organization;	/* NULL: "First Organization" */
	const char *admin_group;	/* NULL: "First Administrative Group" */
	bool seal;			/* privacy (default) or integrity only */
	uint16_t client_version[3];	/* wire form; zero: Outlook 2010's */
	uint32_t connect_flags;		/* EcDoConnectEx ulFlags */
	uint32_t codepage;		/* ulCpid; 0: 1252 */
	/** EcDoRpcExt2 pulFlags (pulFlags_NoCompression, ...) */
	uint32_t rpc_flags;
	/** Samba debug level of the client libraries (stderr); 0: quiet */
	int debug_level;
};

/** What EcDoConnectEx returned. */
struct occ_connect_info {
	uint32_t result;
	uint32_t pcmsPollsMax, pcRetry, pcmsRetryDelay;
	uint16_t picxr;
	const char *szDNPrefix, *szDisplayName;
	uint16_t rgwServerVersion[3], rgwBestVersion[3];
	uint32_t cbAuxOut;
};

/**
 * Bind to exchange_emsmdb on @params->server (endpoint mapper lookup) and
 * call EcDoConnectEx.
 *
 * @param info_r   filled whenever the RPC itself went through
 * @return 0 and a session; or the EcDoConnectEx error (info_r->result),
 *         or OCC_E_RPC when the bind or the call failed (see occ_errstr).
 */
uint32_t occ_connect(TALLOC_CTX *mem_ctx, const struct occ_params *params,
		     struct occ_session **session_r,
		     struct occ_connect_info *info_r);

/** Failures of the transport itself, outside the MAPI code space. */
#define OCC_E_RPC 0xFFFF0001u
#define OCC_E_DECODE 0xFFFF0002u

/** A line about the last failure on @s (or of the last occ_connect). */
const char *occ_errstr(const struct occ_session *s);
const char *occ_last_connect_error(void);

/** EcDoDisconnect; the session stays allocated (free it). */
uint32_t occ_disconnect(struct occ_session *s);

/**
 * One EcDoRpcExt2 with a raw ROP request buffer (RopSize, RopsList,
 * handle table): framed in one extended buffer, the reply's extended
 * buffers decoded back into @out_r (allocated on @mem_ctx).
 * @param max_out  *pcbOut (0: 0x40000)
 * @return EcDoRpcExt2's result, or OCC_E_RPC / OCC_E_DECODE.
 */
uint32_t occ_rop_raw(struct occ_session *s, TALLOC_CTX *mem_ctx,
		     const uint8_t *in, size_t in_len, uint32_t max_out,
		     uint8_t **out_r, size_t *out_len_r);

/**
 * Encode @count requests with @handles (the ServerObjectHandleTable sent),
 * run them, decode the responses. @handles is updated with the table the
 * server returned.
 *
 * @param responses_r  decoded output buffer on @mem_ctx
 */
uint32_t occ_rops(struct occ_session *s, TALLOC_CTX *mem_ctx,
		  struct rop_request *requests, uint32_t count,
		  uint32_t *handles, uint32_t handle_count,
		  struct rop_buffer **responses_r);

/**
 * Whether occ_rops() keeps the RopNotify / RopPending responses the server
 * appends after the responses to the requests ([MS-OXCNOTIF] 3.1.5.7).
 * Default false: they are dropped, so responses match requests one to one.
 */
void occ_set_keep_notifications(struct occ_session *s, bool keep);

/** EcDoAsyncConnectEx then EcDoAsyncWaitEx on a second connection. */
uint32_t occ_async_wait(struct occ_session *s, uint32_t *flags_r);

/** Drop the connection without EcDoDisconnect (tests of rundown). */
void occ_drop(struct occ_session *s);

/** The DCE/RPC fault of the last failed call, 0 if none. */
uint32_t occ_last_fault(const struct occ_session *s);

#endif /* OCC_H */

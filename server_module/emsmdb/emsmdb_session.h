/*
 * EMSMDB sessions ([MS-OXCRPC] 3.1.1 "Session Context") and the
 * EcDoConnectEx decision logic ([MS-OXCRPC] 3.1.4.1).
 *
 * Memory (doc/emsmdb.md): a session is its own talloc root, so that the
 * worker thread serving it never shares a talloc tree with Samba's loop.
 * It owns its handle table (logons -> server objects), its openchangedb
 * connection and its notification queue; per-call memory lives on the
 * mp_call and is freed with the call. Only the event loop creates, looks up
 * and frees sessions (the registry below); a session is pinned while a call
 * uses it, and a session whose context handle dies while pinned is freed
 * when the last pin goes.
 */
#ifndef EMSMDB_SESSION_H
#define EMSMDB_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_handles.h"

struct mp_serial;
struct openchangedb_context;
struct emsmdb_notify_queue;
struct emsmdb_async_waiter;
struct mapistore_config;
struct mapistore_context;

/** Process-wide facts and options, read-only once the module is loaded. */
struct emsmdb_config {
	const char *netbios_name;	/* "OCDC" */
	const char *organization;	/* "First Organization" */
	const char *admin_group;	/* "First Administrative Group" */
	/** mapistore's configuration lookups (smb.conf); NULL: defaults */
	const struct mapistore_config *mapistore;
	/** Backend that stores the special folders of new mailboxes */
	const char *default_backend;
	/** [MS-OXCRPC] 3.1.4.1 pcmsPollsMax, pcRetry, pcmsRetryDelay */
	uint32_t polls_max_ms;
	uint32_t retry_count;
	uint32_t retry_delay_ms;
	/** Longest EcDoAsyncWaitEx park, seconds ([MS-OXCRPC] 3.3.4.1: 300) */
	uint32_t async_wait_secs;
	/** Refuse connections below DCERPC auth level privacy (ecNotEncrypted). */
	bool require_privacy;
	struct emsmdb_handle_limits limits;
	/**
	 * Wake the EcDoAsyncWaitEx of session @cxr, which has new events.
	 * Called on any thread; NULL: nobody to wake (tests).
	 */
	void (*wake)(uint16_t cxr);
};

/** Defaults: 60 s poll, 6 retries of 10 s, no privacy requirement. */
void emsmdb_config_default(struct emsmdb_config *cfg);

/** A logon object's state ([MS-OXCSTOR] 2.2.1.1; private_data of a logon). */
struct emsmdb_logon {
	uint8_t LogonId;
	bool is_private;		/* private mailbox, else public folders */
	char *mailbox_owner;		/* username of the mailbox (private) */
	uint16_t ReplId;
	uint8_t ReplGuid[16];
	uint8_t MailboxGuid[16];
	uint32_t StoreState;
	uint64_t root_fid;		/* its folders are below this one */
	uint64_t fids[13];		/* RopLogon FolderIds */
	/** Delegate logon: the mailbox owner's store (emsmdb_acl.h); NULL: the session's. */
	struct mapistore_context *mstore;
};

/** One EMSMDB session (Session Context). */
struct emsmdb_session {
	uint8_t guid[16];		/* uuid of its context handle */
	uint16_t cxr;			/* session index ([MS-OXCRPC] picxr) */
	char *account;			/* authenticated account name */
	char *user_dn;			/* legacyExchangeDN the client connected as */
	char *display_name;
	uint32_t cpid;			/* ulCpid: code page of 8-bit strings */
	uint32_t lcid_string, lcid_sort;
	uint16_t client_version[4];	/* normalised, see emsmdb_version_parse */
	const struct emsmdb_config *config;

	struct emsmdb_handles *handles;
	/** The Logon Map ([MS-OXCROPS] 3.2.1): LogonId -> logon object. */
	struct emsmdb_object *logons[256];
	/** The store, opened by the first RopLogon (worker). */
	struct mapistore_context *mstore;
	/** openchangedb of mstore. */
	struct openchangedb_context *ocdb;
	/** Pending notifications (emsmdb_notify.c); NULL until a subscription. */
	struct emsmdb_notify_queue *notify;

	/* ---- event loop only ---- */
	struct mp_serial *serial;	/* its calls run one at a time */
	unsigned pins;
	bool orphaned;			/* context handle gone while pinned */
	bool has_async;			/* EcDoAsyncConnectEx gave async_guid */
	uint8_t async_guid[16];		/* uuid of its ACXH */
	struct emsmdb_async_waiter *waiter; /* a parked EcDoAsyncWaitEx */
	struct emsmdb_session *next;	/* registry list */
};

/**
 * A new session, a talloc root of its own (free with emsmdb_session_free).
 * @return NULL on allocation failure.
 */
struct emsmdb_session *emsmdb_session_new(const struct emsmdb_config *config);

/** Free a session and everything it owns (event loop only). */
void emsmdb_session_free(struct emsmdb_session *s);

/** The logon object of @LogonId, or NULL ([MS-OXCROPS] 3.2.1 Logon Map). */
struct emsmdb_object *emsmdb_session_logon(struct emsmdb_session *s,
					   uint8_t LogonId);

/* ---- the process's registry (event loop only) ---- */

/** Add @s, giving it a unique cxr and guid. @return false when full. */
bool emsmdb_registry_add(struct emsmdb_session *s);
/** Remove @s (no-op if absent). */
void emsmdb_registry_remove(struct emsmdb_session *s);
/** The session whose context handle uuid is @guid, or NULL. */
struct emsmdb_session *emsmdb_registry_find(const uint8_t guid[16]);
/** The session with session index @cxr, or NULL. */
struct emsmdb_session *emsmdb_registry_find_cxr(uint16_t cxr);
/** The session whose ACXH uuid is @guid, or NULL. */
struct emsmdb_session *emsmdb_registry_find_async(const uint8_t guid[16]);
/** Number of registered sessions. */
unsigned emsmdb_registry_count(void);

/* ---- EcDoConnectEx ([MS-OXCRPC] 3.1.4.1) ---- */

/**
 * Client and server versions ([MS-OXCRPC] 3.1.4.1.3): three WORDs on the
 * wire. If the high bit of the second WORD is set, the first WORD holds
 * major (high byte) and minor (low byte), the second the build major
 * (15 bits), the third the build minor; otherwise the WORDs are major,
 * build major, build minor with minor 0.
 */
void emsmdb_version_parse(const uint16_t wire[3], uint16_t normal_r[4]);
void emsmdb_version_encode(const uint16_t normal[4], uint16_t wire_r[3]);
/** <0, 0, >0 as a is older than, equal to, newer than b (normalised). */
int emsmdb_version_cmp(const uint16_t a[4], const uint16_t b[4]);

/** The oldest client we serve: 11.0.0.0 ([MS-OXCRPC] 3.2.4.1.3.2). */
extern const uint16_t emsmdb_min_client_version[4];
/** What we report as rgwServerVersion (normalised). */
extern const uint16_t emsmdb_server_version[4];

/** Inputs of EcDoConnectEx plus what the server knows of the caller. */
struct emsmdb_connect_in {
	const char *szUserDN;
	uint32_t ulFlags;
	uint32_t ulCpid;
	uint32_t ulLcidString;
	uint32_t ulLcidSort;
	uint16_t rgwClientVersion[3];
	const uint8_t *rgbAuxIn;
	uint32_t cbAuxIn;
	uint32_t cbAuxOutMax;		/* *pcbAuxOut on input */
	/* the caller, as authenticated by DCE/RPC */
	const char *account;		/* account name, NULL: unauthenticated */
	const char *account_dn;		/* its legacyExchangeDN (sam.ldb or computed) */
	const char *account_display_name;
	bool privacy;			/* bound at DCERPC_AUTH_LEVEL_PRIVACY */
};

struct emsmdb_connect_out {
	uint32_t pcmsPollsMax;
	uint32_t pcRetry;
	uint32_t pcmsRetryDelay;
	uint16_t picxr;
	char *szDNPrefix;
	char *szDisplayName;
	uint16_t rgwServerVersion[3];
	uint16_t rgwBestVersion[3];
	uint8_t *rgbAuxOut;
	uint32_t cbAuxOut;
};

/**
 * Decide EcDoConnectEx and build the new session (not yet registered).
 *
 * Checks, in order: an authenticated caller (ecLoginFailure); privacy when
 * required (ecNotEncrypted); the client version (ecClientVerDisallowed,
 * rgwBestVersion then names the oldest accepted version); ulFlags without
 * the administrative bit 0x1 (ecLoginPerm); rgbAuxIn well formed
 * (ecRpcFormat); szUserDN equal, case-insensitively, to the caller's
 * legacyExchangeDN (ecAccessDenied: delegate access through EcDoConnectEx
 * is not supported, delegates open another mailbox with RopLogon).
 *
 * @param mem_ctx    parent of the out strings and rgbAuxOut
 * @param session_r  on success, a new session (its own talloc root)
 * @return ecSuccess or the error above; outputs are always set.
 */
uint32_t emsmdb_connect(TALLOC_CTX *mem_ctx, const struct emsmdb_config *cfg,
			const struct emsmdb_connect_in *in,
			struct emsmdb_connect_out *out,
			struct emsmdb_session **session_r);

/**
 * The legacyExchangeDN written by provision/openchange_newuser for an
 * account without one in sam.ldb:
 * "/o=<org>/ou=<admin group>/cn=Recipients/cn=<account>".
 */
char *emsmdb_user_dn(TALLOC_CTX *mem_ctx, const struct emsmdb_config *cfg,
		     const char *account);

#endif /* EMSMDB_SESSION_H */

/**
 * @file openchangedb.h
 * @brief openchangedb: the server's own metadata (server, OUs, mailboxes,
 *        folder hierarchy with system and special folders, public
 *        folders, receive folders, per-user data, GLOBCNT counters and
 *        replica IDs) on SQLite or MariaDB.
 *
 * One struct openchangedb_context per session/thread: it owns its own DB
 * connection. FIDs/MIDs/CNs use the representation of mapistore_types.h.
 */
#ifndef OPENCHANGEDB_H
#define OPENCHANGEDB_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_errors.h"
#include "mapistore_types.h"

struct openchangedb_context;
struct mapistore_db;

/** Replica ID of the server's own store (public folders and counters). */
#define OPENCHANGEDB_SERVER_REPLID 0x0001

/**
 * System folder indexes of a private mailbox, in RopLogon order
 * ([MS-OXCSTOR] 2.2.1.1.3 FolderIds), then the special folders of
 * [MS-OXOSFLD] 2.2.2 created under the IPM subtree.
 */
enum openchangedb_private_folder {
	OCDB_PRIVATE_ROOT = 1,         /**< Mailbox Root */
	OCDB_PRIVATE_DEFERRED_ACTION,
	OCDB_PRIVATE_SPOOLER_QUEUE,
	OCDB_PRIVATE_IPM_SUBTREE,      /**< "Top of Information Store" */
	OCDB_PRIVATE_INBOX,
	OCDB_PRIVATE_OUTBOX,
	OCDB_PRIVATE_SENT_ITEMS,
	OCDB_PRIVATE_DELETED_ITEMS,
	OCDB_PRIVATE_COMMON_VIEWS,
	OCDB_PRIVATE_SCHEDULE,
	OCDB_PRIVATE_SEARCH,           /**< "Finder" */
	OCDB_PRIVATE_VIEWS,
	OCDB_PRIVATE_SHORTCUTS,
	OCDB_PRIVATE_CALENDAR,
	OCDB_PRIVATE_CONTACTS,
	OCDB_PRIVATE_JOURNAL,
	OCDB_PRIVATE_NOTES,
	OCDB_PRIVATE_TASKS,
	OCDB_PRIVATE_DRAFTS,
	OCDB_PRIVATE_JUNK_EMAIL,
	OCDB_PRIVATE_SYNC_ISSUES,
	OCDB_PRIVATE_MAX
};

/** Public store folders created by openchangedb_provision_server(). */
enum openchangedb_public_folder {
	OCDB_PUBLIC_ROOT = 1,          /**< "Public Folder Root" */
	OCDB_PUBLIC_IPM_SUBTREE,
	OCDB_PUBLIC_NON_IPM_SUBTREE,
	OCDB_PUBLIC_EFORMS_REGISTRY,
	OCDB_PUBLIC_OFFLINE_AB,
	OCDB_PUBLIC_DEFAULT_OAB,       /**< /o=<org>/cn=addrlists/cn=oabs/cn=Default Offline Address Book */
	OCDB_PUBLIC_FREEBUSY,          /**< "SCHEDULE+ FREE BUSY" */
	OCDB_PUBLIC_LOCAL_FREEBUSY,    /**< "EX:/o=<org>/ou=<ou>" */
	OCDB_PUBLIC_EVENTS_ROOT,
	OCDB_PUBLIC_MAX
};

/** A mailbox record. */
struct openchangedb_mailbox {
	int64_t id;
	const char *username;
	const char *display_name;
	const char *mailbox_guid;   /**< "xxxxxxxx-xxxx-..." lower case */
	const char *replica_guid;
	uint16_t replica_id;
	uint32_t locale_id;
	uint64_t root_fid;
};

/** A folder record. */
struct openchangedb_folder {
	uint64_t fid;
	uint64_t parent_fid;       /**< 0 for a root */
	uint32_t system_idx;       /**< enum openchangedb_*_folder or 0 */
	const char *name;
	const char *mapistore_uri; /**< NULL for folders kept in openchangedb */
};

/** Connect to @p uri (see mapistore_db_parse_uri()) and migrate the
 *  schema. @p errmsg_r (optional) gets one sentence without password. */
enum mapistore_error openchangedb_connect(TALLOC_CTX *mem_ctx, const char *uri,
	struct openchangedb_context **ocdb_r, char **errmsg_r);

/** The connection (shared with indexing and named properties when they
 *  use the same URI). */
struct mapistore_db *openchangedb_get_db(struct openchangedb_context *ocdb);

/* ---- server, replicas, counters ---- */

/**
 * Create the server, first organization and OU, the server replica
 * (ID OPENCHANGEDB_SERVER_REPLID) and the public folder hierarchy.
 * ERR_EXISTS if already provisioned. @p fids_r (optional, size
 * OCDB_PUBLIC_MAX) gets the FIDs indexed by enum openchangedb_public_folder.
 */
enum mapistore_error openchangedb_provision_server(struct openchangedb_context *ocdb,
	const char *server, const char *first_org, const char *first_ou,
	uint64_t *fids_r);

/** Name of public folder @p idx for organization @p org / OU @p ou
 *  (allocated on @p mem_ctx). */
char *openchangedb_public_folder_name(TALLOC_CTX *mem_ctx,
	enum openchangedb_public_folder idx, const char *org, const char *ou);

/** Server name, org and OU; ERR_NOT_FOUND before provisioning. */
enum mapistore_error openchangedb_get_server(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, char **name_r, char **org_r, char **ou_r);

/** Replica GUID -> ID, adding the GUID with the next free ID if
 *  @p create. ([MS-OXCSTOR] RopLongTermIdFromId / RopIdFromLongTermId) */
enum mapistore_error openchangedb_replica_get_id(struct openchangedb_context *ocdb,
	const char *guid, bool create, uint16_t *replid_r);
/** Replica ID -> GUID. */
enum mapistore_error openchangedb_replica_get_guid(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint16_t replid, char **guid_r);

/**
 * Allocate @p count consecutive GLOBCNT values of replica @p replid
 * ([MS-OXCDATA] 2.2.1 GLOBCNT, never reused) and return the first as
 * an FMID in @p first_r. Counts 1..2^24; ERR_TOO_BIG when exhausted.
 */
enum mapistore_error openchangedb_allocate_ids(struct openchangedb_context *ocdb,
	uint16_t replid, uint32_t count, uint64_t *first_r);

/** One new FID/MID for replica OPENCHANGEDB_SERVER_REPLID. */
enum mapistore_error openchangedb_get_new_id(struct openchangedb_context *ocdb,
	uint64_t *fmid_r);
/** One new change number (same GLOBCNT space, [MS-OXCFXICS] 2.2.2.1). */
enum mapistore_error openchangedb_get_new_change_number(
	struct openchangedb_context *ocdb, uint64_t *cn_r);

/**
 * Allocate @p count consecutive GLOBCNTs of @p username's mailbox
 * replica (its own counter, [MS-OXCDATA] 2.2.1: a GLOBCNT is unique
 * within its replica) and return the first as an FMID with REPLID 1 (the
 * mailbox's replica in a private logon). ERR_NOT_FOUND without a mailbox.
 * The shared server counter is not touched: system folders created by
 * openchangedb_mailbox_create() and the public store use it, and each
 * mailbox counter starts past it (doc/mapistore.md, "IDs and CNs").
 */
enum mapistore_error openchangedb_mailbox_allocate_ids(struct openchangedb_context *ocdb,
	const char *username, uint32_t count, uint64_t *first_r);

/**
 * Reserve @p count GLOBCNTs of the mailbox's replica for the client
 * ([MS-OXCSTOR] 2.2.1.13 RopGetLocalReplicaIds, [MS-OXCFXICS]
 * 3.2.5.9.4.7): taken from the mailbox's own counter, @p first_globcnt_r
 * is the first; the range is recorded and never handed out again.
 */
enum mapistore_error openchangedb_reserve_local_replica_ids(
	struct openchangedb_context *ocdb, const char *username, uint32_t count,
	uint64_t *first_globcnt_r);

/** One GLOBCNT range, both ends included. */
struct openchangedb_globcnt_range {
	uint64_t first;
	uint64_t last;
};

/** Most ranges one openchangedb_give_up_local_replica_ids() call takes. */
#define OPENCHANGEDB_GIVEN_UP_PER_CALL 4096
/** Most (merged) given-up ranges a mailbox holds. */
#define OPENCHANGEDB_GIVEN_UP_PER_MAILBOX 65536

/**
 * Record that @p username's client gave up the GLOBCNTs of @p ranges
 * ([MS-OXCFXICS] 2.2.3.2.4.8 RopSetLocalReplicaMidsetDeleted, 3.3.5.8.13:
 * the server keeps them as deleted IDs), persistently; ranges that overlap
 * or touch are merged. All or nothing (one transaction).
 * @return SUCCESS (also for @p count 0); ERR_INVALID_PARAMETER (a GLOBCNT
 *         0, first > last, past 48 bits); ERR_TOO_BIG (more than
 *         OPENCHANGEDB_GIVEN_UP_PER_CALL ranges, or the mailbox would hold
 *         more than OPENCHANGEDB_GIVEN_UP_PER_MAILBOX); ERR_NOT_FOUND (no
 *         such mailbox); database errors.
 */
enum mapistore_error openchangedb_give_up_local_replica_ids(
	struct openchangedb_context *ocdb, const char *username,
	const struct openchangedb_globcnt_range *ranges, uint32_t count);

/**
 * Whether GLOBCNT @p globcnt of @p username's replica was given up
 * (openchangedb_give_up_local_replica_ids()): one indexed lookup.
 * @return SUCCESS with *@p given_up_r set; ERR_NOT_FOUND (no mailbox).
 */
enum mapistore_error openchangedb_local_replica_id_given_up(
	struct openchangedb_context *ocdb, const char *username, uint64_t globcnt,
	bool *given_up_r);

/* ---- mailboxes ---- */

/**
 * Create @p username's mailbox: GUIDs, replica ID, and the system and
 * special folders ([MS-OXCSTOR] 2.2.1.1.3, [MS-OXOSFLD]). ERR_EXISTS if
 * present; ERR_NOT_FOUND if the server is not provisioned.
 * @p mbx_r (optional) allocated on @p mem_ctx.
 */
enum mapistore_error openchangedb_mailbox_create(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const char *display_name, uint32_t locale_id,
	struct openchangedb_mailbox **mbx_r);

enum mapistore_error openchangedb_mailbox_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	struct openchangedb_mailbox **mbx_r);

/** Usernames of all mailboxes, sorted. */
enum mapistore_error openchangedb_mailbox_list(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, char ***usernames_r, uint32_t *count_r);

/** Callback of openchangedb_mailbox_remove: one line per removed item. */
typedef void (*openchangedb_report_fn)(void *private_data, const char *line);

/**
 * Remove everything of @p username: mailbox, folders, their properties,
 * receive folders, per-user data, indexing and named-property rows.
 * With @p dry_run nothing changes; @p report is told each item either way.
 */
enum mapistore_error openchangedb_mailbox_remove(struct openchangedb_context *ocdb,
	const char *username, bool dry_run, openchangedb_report_fn report,
	void *private_data);

/* ---- folders ---- */

/** FID of system folder @p system_idx of @p username's mailbox, or of
 *  the public store when @p username is NULL. */
enum mapistore_error openchangedb_get_system_folder_id(
	struct openchangedb_context *ocdb, const char *username,
	uint32_t system_idx, uint64_t *fid_r);

/** The 13 FolderIds of a private RopLogon response, in spec order
 *  ([MS-OXCSTOR] 2.2.1.1.3). */
enum mapistore_error openchangedb_get_logon_folder_ids(
	struct openchangedb_context *ocdb, const char *username, uint64_t fids_r[13]);

/** Create a folder record. @p username NULL = public store. */
enum mapistore_error openchangedb_folder_create(struct openchangedb_context *ocdb,
	const char *username, uint64_t parent_fid, uint64_t fid,
	uint32_t system_idx, const char *name, const char *mapistore_uri);

enum mapistore_error openchangedb_folder_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid,
	struct openchangedb_folder **folder_r);

/** Child folder FIDs of @p fid, in creation order. */
enum mapistore_error openchangedb_folder_get_children(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid, uint64_t **fids_r,
	uint32_t *count_r);

/** FID of the child of @p parent_fid named @p name (case-sensitive). */
enum mapistore_error openchangedb_folder_find_by_name(
	struct openchangedb_context *ocdb, uint64_t parent_fid, const char *name,
	uint64_t *fid_r);

/** Delete a folder record and its properties (not its children:
 *  ERR_HAS_CHILDREN when it has some). */
enum mapistore_error openchangedb_folder_delete(struct openchangedb_context *ocdb,
	uint64_t fid);

/** Set folder properties (replacing same tags). */
enum mapistore_error openchangedb_folder_set_properties(
	struct openchangedb_context *ocdb, uint64_t fid,
	const struct mapistore_property *props, uint32_t count);

/** Get folder properties; a missing one is a PtypErrorCode ecNotFound. */
enum mapistore_error openchangedb_folder_get_properties(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint64_t fid, const uint32_t *proptags,
	uint32_t count, struct mapistore_property **props_r);

/* ---- receive folders ([MS-OXCSTOR] 2.2.1.2, 3.2.5.2) ---- */

enum mapistore_error openchangedb_set_receive_folder(
	struct openchangedb_context *ocdb, const char *username,
	const char *message_class, uint64_t fid);

/**
 * The receive folder for @p message_class: the longest registered class
 * that is a case-insensitive prefix of it at a '.' boundary, else the
 * default ("") entry. @p explicit_class_r gets the matched class.
 */
enum mapistore_error openchangedb_get_receive_folder(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const char *message_class, uint64_t *fid_r, char **explicit_class_r);

/* ---- per-user data ([MS-OXCSTOR] 2.2.1.12 RopReadPerUserInformation) ---- */

/** Store @p data for the folder with LongTermID @p ltid (24 bytes). */
enum mapistore_error openchangedb_per_user_set(struct openchangedb_context *ocdb,
	const char *username, const uint8_t ltid[24], const uint8_t *data,
	size_t length);
enum mapistore_error openchangedb_per_user_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const uint8_t ltid[24], struct mapistore_binary *data_r);

/* ---- folder permissions ([MS-OXCPERM]; openchangedb_acl.c) ---- */

/** Most rows one folder's permissions list keeps. */
#define OPENCHANGEDB_ACL_MAX_ENTRIES 1024

/** One member of a folder's permissions list ([MS-OXCPERM] 2.2.4-2.2.7). */
struct openchangedb_acl_entry {
	int64_t member_id;    /**< PidTagMemberId: 0 Default, -1 Anonymous, >0 a user */
	const char *account;  /**< the user's account name; "" for Default/Anonymous */
	const char *name;     /**< PidTagMemberName */
	struct mapistore_binary entry_id; /**< PidTagEntryId (address book), empty for 0/-1 */
	uint32_t rights;      /**< PidTagMemberRights */
};

/**
 * The permissions list of folder @p fid of @p username's mailbox (NULL:
 * the public store), ordered by member ID, allocated on @p mem_ctx. No
 * row at all is success with *@p count_r 0. ERR_NOT_FOUND: no mailbox.
 */
enum mapistore_error openchangedb_acl_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	struct openchangedb_acl_entry **entries_r, uint32_t *count_r);

/**
 * Replace the whole permissions list of folder @p fid (one transaction).
 * At most OPENCHANGEDB_ACL_MAX_ENTRIES rows; a row with member ID > 0
 * needs an account (ERR_INVALID_PARAMETER otherwise).
 */
enum mapistore_error openchangedb_acl_set(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid,
	const struct openchangedb_acl_entry *entries, uint32_t count);

/**
 * PidTagMemberRights of @p account on folder @p fid: its own row, else
 * the Default member's. ERR_NOT_FOUND when neither exists (*@p rights_r 0).
 */
enum mapistore_error openchangedb_acl_rights(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid, const char *account,
	uint32_t *rights_r);

/**
 * Whether @p account (through its own rows or the Default member's) holds
 * any of the bits of @p mask on any folder of @p username's mailbox.
 */
enum mapistore_error openchangedb_acl_any(struct openchangedb_context *ocdb,
	const char *username, const char *account, uint32_t mask, bool *found_r);

/**
 * Forget @p username in every permission list: the lists of the folders
 * of its mailbox (if it has one) and its rows in other mailboxes' lists
 * (for openchangedb_mailbox_remove / account removal). One transaction.
 */
enum mapistore_error openchangedb_acl_forget_user(struct openchangedb_context *ocdb,
	const char *username);
/* ---- end of folder permissions ---- */

/* ---- server-side rules ([MS-OXORULE]; openchangedb_rules.c) ---- */

/** Most rules one folder keeps (bounds RopModifyRules' RulesCount too). */
#define OPENCHANGEDB_RULES_MAX 1024

/** One rule of a folder's rules table ([MS-OXORULE] 2.2.1.3). */
struct openchangedb_rule {
	uint64_t rule_id;        /**< PidTagRuleId, assigned by the server */
	uint32_t sequence;       /**< PidTagRuleSequence */
	uint32_t state;          /**< PidTagRuleState (ST_* bits) */
	const char *name;        /**< PidTagRuleName */
	const char *provider;    /**< PidTagRuleProvider */
	uint32_t level;          /**< PidTagRuleLevel */
	uint32_t user_flags;     /**< PidTagRuleUserFlags */
	struct mapistore_binary provider_data; /**< PidTagRuleProviderData */
	struct mapistore_binary condition; /**< PidTagRuleCondition, wire bytes */
	struct mapistore_binary actions;   /**< PidTagRuleActions, wire bytes */
};

/**
 * The rules of folder @p fid of @p username's mailbox (NULL: the public
 * store), ordered by PidTagRuleSequence then PidTagRuleId, allocated on
 * @p mem_ctx. No rule is success with *@p count_r 0. ERR_NOT_FOUND: no
 * mailbox.
 */
enum mapistore_error openchangedb_rules_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	struct openchangedb_rule **rules_r, uint32_t *count_r);

/**
 * Replace all the rules of folder @p fid (one transaction). At most
 * OPENCHANGEDB_RULES_MAX rules with distinct non-zero IDs, each blob at
 * most MAPISTORE_MAX_VALUE_SIZE (ERR_INVALID_PARAMETER otherwise). The
 * caller validated the condition and actions bytes.
 */
enum mapistore_error openchangedb_rules_set(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid,
	const struct openchangedb_rule *rules, uint32_t count);
/* ---- end of server-side rules ---- */

#endif /* OPENCHANGEDB_H */

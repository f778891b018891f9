/*
 * EMSMDB folder permissions ([MS-OXCPERM]): the permission model, the one
 * access check every handler calls, delegate logons to another user's
 * mailbox, and the permission ROPs (oxcperm.c). Internal to
 * server_module/emsmdb. See doc/permissions.md.
 *
 * Model: a folder's permissions list (openchangedb_acl_*) holds the
 * Default member (0), the Anonymous member (-1) and users (>0). The
 * effective rights of a session's user on a folder of a private mailbox
 * are ([MS-OXCPERM] 3.2.5.1):
 *   - the mailbox owner: everything (EMSMDB_ACL_OWNER_RIGHTS), without
 *     looking at the list (owner paths never touch the database);
 *   - else the user's own row, else the Default member's row, else none.
 * Public folders are not restricted yet (every right).
 */
#ifndef EMSMDB_ACL_H
#define EMSMDB_ACL_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_store.h"

/* [MS-OXCPERM] 2.2.7 PidTagMemberRights, [MS-OXCDATA] rights bits */
#define frightsReadAny		0x00000001
#define frightsCreate		0x00000002
#define frightsEditOwned	0x00000008
#define frightsDeleteOwned	0x00000010
#define frightsEditAny		0x00000020
#define frightsDeleteAny	0x00000040
#define frightsCreateSubfolder	0x00000080
#define frightsOwner		0x00000100
#define frightsContact		0x00000200
#define frightsVisible		0x00000400
#define frightsFreeBusySimple	0x00000800
#define frightsFreeBusyDetailed	0x00001000
/** The FreeBusy bits ([MS-OXCPERM] 2.2.7, Calendar folder only). */
#define EMSMDB_ACL_FREEBUSY (frightsFreeBusySimple | frightsFreeBusyDetailed)
/** Every right: the mailbox owner's. */
#define EMSMDB_ACL_OWNER_RIGHTS (0x000007FB | EMSMDB_ACL_FREEBUSY)
/** Rights of a Reviewer ([MS-OXCPERM] 4.x examples: ReadAny | Visible). */
#define EMSMDB_ACL_REVIEWER (frightsReadAny | frightsVisible)

/* [MS-OXCPERM] 2.2.4-2.2.6, [MS-OXPROPS] */
#define PidTagMemberId		0x66710014
#define PidTagMemberName	0x6672001F
#define PidTagMemberRights	0x66730003
#define PidTagCreatorEntryId	0x3FF90102

/** Member IDs of the two special members ([MS-OXCPERM] 2.2.5). */
#define EMSMDB_ACL_MEMBER_DEFAULT 0
#define EMSMDB_ACL_MEMBER_ANONYMOUS (-1)

/**
 * Effective rights of @account on a folder whose permissions list is
 * @entries (@count rows) in a mailbox owned by @owner: all for the owner,
 * else the account's row, else the Default row, else 0. Pure.
 */
uint32_t emsmdb_acl_effective(const char *account, const char *owner,
			      const struct openchangedb_acl_entry *entries,
			      uint32_t count);

/** Is the session's user the owner of @logon's mailbox (or a public logon)? */
bool emsmdb_acl_is_owner(struct emsmdb_session *s, struct emsmdb_object *logon);

/**
 * The session user's effective rights on folder @fid of @logon's mailbox.
 * @return ecSuccess (then *rights_r is set), or the store's error.
 */
uint32_t emsmdb_acl_rights(struct emsmdb_session *s, struct emsmdb_object *logon,
			   uint64_t fid, uint32_t *rights_r);

/**
 * The access check: the session user needs ALL bits of @rights on the
 * folder of @obj (a folder, or a message / attachment / table / stream
 * opened below one: its folder). @return ecSuccess or ecAccessDenied
 * (0x80070005).
 */
uint32_t emsmdb_acl_check(struct emsmdb_rop_call *call, struct emsmdb_object *obj,
			  uint32_t rights);

/**
 * RopDeleteMessages of @mids in folder @f: frightsDeleteAny, or
 * frightsDeleteOwned when every (existing) message is the user's own.
 * @return ecSuccess or ecAccessDenied.
 */
uint32_t emsmdb_acl_check_delete(struct emsmdb_rop_call *call,
				 struct emsmdb_folder *f, const uint64_t *mids,
				 uint32_t count);

/** emsmdb_acl_check on folder @fid of call->logon's mailbox. */
uint32_t emsmdb_acl_check_fid(struct emsmdb_rop_call *call, uint64_t fid,
			      uint32_t rights);

/**
 * A check on a message of folder @fid: allowed with @any, or with @owned
 * when @mm was created by the session's user (PidTagCreatorEntryId equal
 * to the user's address-book entry ID). @mm may be NULL (not owned).
 */
uint32_t emsmdb_acl_check_message(struct emsmdb_rop_call *call, uint64_t fid,
				  struct mapistore_message *mm, uint32_t any,
				  uint32_t owned);

/**
 * May the session's user change message @m? A new message needs
 * frightsCreate, an existing one frightsEditAny, or frightsEditOwned
 * when it is the user's own. @return ecSuccess or ecAccessDenied.
 */
uint32_t emsmdb_acl_check_edit(struct emsmdb_rop_call *call,
			       struct emsmdb_message *m);

/**
 * A new folder @fid starts with the permissions list of its parent
 * @parent_fid (as Exchange does), if the parent has one. Best effort:
 * a failure is logged, the folder stays (with no list: owner only).
 */
void emsmdb_acl_inherit(struct emsmdb_rop_call *call, uint64_t parent_fid,
			uint64_t fid);

/** Folder @fid was deleted: remove its permissions list (best effort). */
void emsmdb_acl_forget(struct emsmdb_rop_call *call, uint64_t fid);

/**
 * Stamp PidTagCreatorEntryId of a new message created by a non-owner, so
 * that EditOwned / DeleteOwned can recognise it later. No-op for owners.
 */
void emsmdb_acl_stamp_creator(struct emsmdb_rop_call *call,
			      struct mapistore_message *mm);

/**
 * Replace the computed PidTagRights, PidTagAccess and PidTagAccessLevel
 * among @props (@count, same order as @tags) of folder @fid by the values
 * of the session user's effective rights. No-op for owners.
 */
void emsmdb_acl_fix_props(struct emsmdb_session *s, struct emsmdb_object *logon,
			  uint64_t fid, const uint32_t *tags, uint32_t count,
			  struct mapistore_property *props);

/* ---- address-book entry IDs ([MS-OXCDATA] 2.2.4.3) ---- */

/** The permanent entry ID of the user with legacyExchangeDN @dn, on @mem_ctx. */
uint32_t emsmdb_acl_entryid_from_dn(TALLOC_CTX *mem_ctx, const char *dn,
				    struct mapistore_binary *eid_r);

/**
 * The X500 DN of an address-book permanent entry ID (validated: Flags 0,
 * the address-book provider UID, Version 1, a NUL-terminated DN inside
 * @length). @return ecSuccess, ecInvalidParam.
 */
uint32_t emsmdb_acl_dn_from_entryid(TALLOC_CTX *mem_ctx, const uint8_t *data,
				    size_t length, char **dn_r);

/**
 * Resolve a legacyExchangeDN to an account name and display name. The
 * server installs one that reads sam.ldb on the event loop
 * (emsmdb_acl_glue.c); without one, the DN must be the one
 * emsmdb_user_dn() derives ("/o=.../cn=Recipients/cn=<account>") of an
 * account that has a mailbox. @return ecSuccess, ecNotFound.
 */
typedef uint32_t (*emsmdb_acl_resolve_fn)(void *private_data,
					  TALLOC_CTX *mem_ctx, const char *dn,
					  char **account_r, char **name_r);

/** Install @fn for the calling thread (NULL: the default above). */
void emsmdb_acl_set_resolver(emsmdb_acl_resolve_fn fn, void *private_data);

/** Resolve @dn with the installed resolver (see emsmdb_acl_resolve_fn). */
uint32_t emsmdb_acl_resolve(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    const char *dn, char **account_r, char **name_r);

/* ---- delegate logons ([MS-OXCSTOR] 3.2.5.1.1) ---- */

/**
 * RopLogon of another user's private mailbox @essdn: resolves the owner,
 * requires frightsVisible for the caller on some folder of that mailbox
 * (else ecLoginPerm), opens the owner's store on @l and fills @l (owner,
 * FIDs, GUIDs). @return ecSuccess, ecLoginPerm (also for an unknown DN or
 * a mailbox never provisioned), or the store's error.
 */
uint32_t emsmdb_acl_logon_delegate(struct emsmdb_rop_call *call,
				   struct emsmdb_logon *l, const char *essdn);

/** What emsmdb_acl_enter saved. */
struct emsmdb_acl_saved {
	bool swapped;
	struct mapistore_context *mstore;
	struct openchangedb_context *ocdb;
};

/**
 * Around each handler (dispatcher): while a ROP of a delegate logon runs,
 * the session's store is the mailbox owner's; leave restores it. Enter
 * also checks, for a non-owner, the rights of the ROPs whose handlers do
 * not check themselves (a table in emsmdb_acl_logon.c: folder move/copy,
 * RopCopyTo, RopCopyProperties, RopSetReadFlags, RopSetMessageStatus,
 * RopFastTransferDestinationConfigure).
 * @return ecSuccess, or ecAccessDenied: the handler must not run (leave
 *         is still called).
 */
uint32_t emsmdb_acl_enter(struct emsmdb_rop_call *call, struct emsmdb_acl_saved *saved);
void emsmdb_acl_leave(struct emsmdb_rop_call *call, const struct emsmdb_acl_saved *saved);

/* ---- oxcperm.c, [MS-OXCPERM] ---- */
uint32_t oxcperm_RopGetPermissionsTable(struct emsmdb_rop_call *call);
uint32_t oxcperm_RopModifyPermissions(struct emsmdb_rop_call *call);
/**
 * Row @index of permissions table @t: the values of t->columns, on
 * @mem_ctx (oxctabl.c's QueryRows).
 */
uint32_t emsmdb_acl_table_row(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			      uint32_t index, struct mapistore_property **props_r);

#endif /* EMSMDB_ACL_H */

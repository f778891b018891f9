/*
 * Delegate access ([MS-OXCSTOR] 3.2.5.1.1, [MS-OXCPERM] 3.2.5.1): a
 * private RopLogon whose Essdn names another user's mailbox. Allowed when
 * the caller holds frightsVisible on some folder of that mailbox (its own
 * row, or the Default member's): Exchange-like folder-level delegate
 * access. The logon then works on the owner's store (its indexing, named
 * properties and IDs); every handler still checks the caller's rights.
 */
#include "emsmdb_acl.h"
#include "emsmdb_oxc.h"
#include "emsmdb_log.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#define NO_DEST 0xFF

/*
 * ROPs whose handlers live outside the permission-aware files check
 * here, before they run, for a non-owner ([MS-OXCPERM] 2.2.7): the rights
 * needed on the folder of the input object (in_folder when it is a
 * folder, in_item when it is a message or attachment), and on the
 * destination folder at the request's DestHandleIndex.
 */
static const struct {
	uint8_t RopId;
	uint32_t in_folder;
	uint32_t in_item;
	uint8_t dest;			/* offset of DestHandleIndex, or NO_DEST */
	uint32_t dest_folder;
} emsmdb_acl_rop_rights[] = {
	{ RopMoveFolder, frightsReadAny | frightsDeleteAny, 0,
	  offsetof(struct RopMoveFolder_req, DestHandleIndex), frightsCreateSubfolder },
	{ RopCopyFolder, frightsReadAny, 0,
	  offsetof(struct RopCopyFolder_req, DestHandleIndex), frightsCreateSubfolder },
	{ RopCopyTo, frightsVisible, frightsReadAny,
	  offsetof(struct RopCopyTo_req, DestHandleIndex), frightsOwner },
	{ RopCopyProperties, frightsVisible, frightsReadAny,
	  offsetof(struct RopCopyProperties_req, DestHandleIndex), frightsOwner },
	{ RopSetReadFlags, frightsReadAny, 0, NO_DEST, 0 },
	{ RopSetMessageStatus, frightsReadAny | frightsEditAny, 0, NO_DEST, 0 },
	{ RopFastTransferDestinationConfigure, frightsCreate, 0, NO_DEST, 0 },
};

/* the table's rights for this ROP: ecSuccess or ecAccessDenied */
static uint32_t emsmdb_acl_rop_check(struct emsmdb_rop_call *call)
{
	const uint8_t *reqb = (const uint8_t *)&call->req->u;
	struct emsmdb_object *dest;
	size_t i;
	uint32_t ec, need;

	for (i = 0; i < sizeof(emsmdb_acl_rop_rights) / sizeof(emsmdb_acl_rop_rights[0]); i++) {
		if (emsmdb_acl_rop_rights[i].RopId == call->req->RopId) {
			break;
		}
	}
	if (i == sizeof(emsmdb_acl_rop_rights) / sizeof(emsmdb_acl_rop_rights[0]) ||
	    call->in == NULL) {
		return ecSuccess;
	}
	need = call->in->type == EMSMDB_OBJECT_FOLDER ?
		emsmdb_acl_rop_rights[i].in_folder : emsmdb_acl_rop_rights[i].in_item;
	ec = need != 0 ? emsmdb_acl_check(call, call->in, need) : ecSuccess;
	if (ec != ecSuccess || emsmdb_acl_rop_rights[i].dest == NO_DEST) {
		return ec;
	}
	dest = emsmdb_rop_object_at(call, reqb[emsmdb_acl_rop_rights[i].dest]);
	if (dest == NULL || dest->type != EMSMDB_OBJECT_FOLDER) {
		return ecSuccess;	/* the handler answers; a message's save checks */
	}
	return emsmdb_acl_check(call, dest, emsmdb_acl_rop_rights[i].dest_folder);
}

uint32_t emsmdb_acl_logon_delegate(struct emsmdb_rop_call *call,
				   struct emsmdb_logon *l, const char *essdn)
{
	struct emsmdb_session *s = call->session;
	struct openchangedb_mailbox *mbx = NULL;
	char *owner = NULL, *name = NULL, *errmsg = NULL;
	enum mapistore_error ret;
	bool visible = false;
	uint32_t ec;

	ec = emsmdb_store_open(s);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_acl_resolve(s, call->mem_ctx, essdn, &owner, &name);
	if (ec != ecSuccess) {
		/* ecLoginPerm, as for a mailbox one may not open: the
		 * answer tells nothing of who exists */
		return ec == ecMAPIOOM ? ec : ecLoginPerm;
	}
	if (openchangedb_mailbox_get(call->mem_ctx, s->ocdb, owner, &mbx) !=
	    MAPISTORE_SUCCESS) {
		/* nobody ever logged on to it: nothing can be shared yet */
		return ecLoginPerm;
	}
	ret = openchangedb_acl_any(s->ocdb, owner, s->account, frightsVisible,
				   &visible);
	if (ret != MAPISTORE_SUCCESS || !visible) {
		emsmdb_log(EMSMDB_LOG_INFO, "%s: logon to the mailbox of %s "
			   "refused: no visible folder", s->account, owner);
		return ecLoginPerm;
	}
	ret = mapistore_context_new(l, s->config->mapistore, owner, &l->mstore,
				    &errmsg);
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_ERR, "cannot open the store of %s for %s: %s",
			   owner, s->account, errmsg ? errmsg : "");
		talloc_free(errmsg);
		return emsmdb_ms_ec(ret);
	}
	if (openchangedb_get_logon_folder_ids(s->ocdb, owner, l->fids) !=
	    MAPISTORE_SUCCESS) {
		return ecError;
	}
	l->is_private = true;
	l->mailbox_owner = talloc_strdup(l, owner);
	l->ReplId = mbx->replica_id;
	l->root_fid = mbx->root_fid ? mbx->root_fid : l->fids[0];
	emsmdb_guid_parse(mbx->mailbox_guid, l->MailboxGuid);
	emsmdb_guid_parse(mbx->replica_guid, l->ReplGuid);
	emsmdb_log(EMSMDB_LOG_NOTICE, "%s logged on to the mailbox of %s as a "
		   "delegate", s->account, owner);
	return l->mailbox_owner != NULL ? ecSuccess : ecMAPIOOM;
}

uint32_t emsmdb_acl_enter(struct emsmdb_rop_call *call, struct emsmdb_acl_saved *saved)
{
	struct emsmdb_session *s = call->session;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	uint32_t ec;

	saved->swapped = false;
	/* RopLogon may release the logon of its LogonId, store and all */
	if (l == NULL || call->req->RopId == RopLogon) {
		return ecSuccess;
	}
	/* the owner's objects pass without a look at the lists; a
	 * destination may be in another logon than the input */
	ec = emsmdb_acl_rop_check(call);
	if (ec != ecSuccess) {
		return ec;
	}
	if (l->mstore == NULL) {
		return ecSuccess;
	}
	saved->swapped = true;
	saved->mstore = s->mstore;
	saved->ocdb = s->ocdb;
	s->mstore = l->mstore;
	s->ocdb = mapistore_context_get_openchangedb(l->mstore);
	return ecSuccess;
}

void emsmdb_acl_leave(struct emsmdb_rop_call *call, const struct emsmdb_acl_saved *saved)
{
	if (!saved->swapped) {
		return;
	}
	call->session->mstore = saved->mstore;
	call->session->ocdb = saved->ocdb;
}

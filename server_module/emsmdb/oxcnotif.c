/*
 * [MS-OXCNOTIF] Core Notifications Protocol: RopRegisterNotification
 * ([MS-OXCROPS] 2.2.14.1). Delivery (RopNotify, EcDoAsyncWaitEx) is the
 * hub's: emsmdb_notify.c.
 */
#include "emsmdb_oxc.h"
#include "emsmdb_notify.h"

/* [MS-OXCNOTIF] 2.2.1.2.1: the event types a subscription may name */
#define EMSMDB_NOTIFY_TYPES (fnevNewMail | fnevObjectCreated | \
	fnevObjectDeleted | fnevObjectModified | fnevObjectMoved | \
	fnevObjectCopied | fnevSearchComplete)

/* [MS-OXCNOTIF] 2.2.1.2 RopRegisterNotification */
uint32_t oxcnotif_RopRegisterNotification(struct emsmdb_rop_call *call)
{
	const struct RopRegisterNotification_req *req =
		&call->req->u.RopRegisterNotification;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct emsmdb_object *obj;
	uint32_t ec;

	if (l == NULL) {
		return ecNullObject;
	}
	if (req->NotificationTypes == 0 ||
	    (req->NotificationTypes & ~EMSMDB_NOTIFY_TYPES) != 0) {
		return ecInvalidParam;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_SUBSCRIPTION, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	return emsmdb_notify_subscribe(call->session, obj, l->LogonId,
		l->is_private ? l->mailbox_owner : "", req->NotificationTypes,
		req->WantWholeStore != 0, req->WantWholeStore ? 0 : req->FolderId,
		req->WantWholeStore ? 0 : req->MessageId);
}

void emsmdb_raise(struct emsmdb_rop_call *call, uint16_t type, bool is_message,
		  uint64_t fid, uint64_t mid, uint64_t parent_fid)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct emsmdb_event ev = {
		.type = type, .is_message = is_message, .fid = fid, .mid = mid,
		.parent_fid = parent_fid, .message_class = "IPM.Note",
	};

	if (l == NULL) {
		return;
	}
	ev.mailbox = l->is_private ? l->mailbox_owner : "";
	emsmdb_notify_post(call->session, &ev);
	if (type == fnevObjectCreated && is_message && l->is_private &&
	    fid == l->fids[4]) {
		/* a new message in the Inbox is new mail ([MS-OXCNOTIF] 2.2.1.4.1) */
		ev.type = fnevNewMail;
		emsmdb_notify_post(call->session, &ev);
	}
}

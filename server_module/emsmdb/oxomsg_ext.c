/*
 * [MS-OXOMSG] RopAbortSubmit, RopTransportNewMail, RopOptionsData
 * ([MS-OXCROPS] 2.2.7.2, 2.2.7.7, 2.2.7.9). Contracts in oxomsg_ext.h.
 */
#include "oxomsg_ext.h"
#include "emsmdb_oxc.h"
#include "emsmdb_notify.h"

#include <string.h>

/* [MS-OXCDATA] 2.4.2 */
#define ecUnableToAbort 0x80040114
#define ecNotInQueue 0x80040601
/* [MS-OXCMSG] 2.2.1.6 */
#define mfSubmittedFlag 0x00000004
#define mfUnsentFlag 0x00000008

/* [MS-OXOMSG] 2.2.4.2 RopAbortSubmit */
uint32_t oxomsg_RopAbortSubmit(struct emsmdb_rop_call *call)
{
	static const uint32_t tags[] = { PidTagMessageFlags };
	const struct RopAbortSubmit_req *req = &call->req->u.RopAbortSubmit;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct mapistore_message *mm = NULL;
	struct mapistore_property *p = NULL;
	struct emsmdb_folder *f = NULL;
	TALLOC_CTX *tmp;
	uint32_t ec = ecNotInQueue, flags;

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	tmp = talloc_new(call->mem_ctx);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	if (emsmdb_folder_open(call->session, tmp, call->logon, req->FolderId, &f) !=
	    ecSuccess || f->mf == NULL ||
	    mapistore_message_open(tmp, f->mf, req->MessageId, false, &mm) !=
	    MAPISTORE_SUCCESS ||
	    mapistore_properties_get(tmp, mapistore_message_object(mm), tags, 1, &p) !=
	    MAPISTORE_SUCCESS) {
		goto done;
	}
	/* submitted (or already sent: mfUnsent clear) means delivered while
	 * RopSubmitMessage ran: too late to take it back. An unsent draft
	 * was never queued. */
	flags = mapistore_property_is_error(&p[0]) ? 0 : (uint32_t)p[0].value.i32;
	if ((flags & mfSubmittedFlag) != 0 || (flags & mfUnsentFlag) == 0) {
		ec = ecUnableToAbort;
	}
done:
	talloc_free(tmp);
	return ec;
}

/* [MS-OXCROPS] 2.2.7.7 RopTransportNewMail */
uint32_t oxomsg_RopTransportNewMail(struct emsmdb_rop_call *call)
{
	const struct RopTransportNewMail_req *req = &call->req->u.RopTransportNewMail;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct emsmdb_folder *f = NULL;
	struct emsmdb_event ev;
	TALLOC_CTX *tmp;
	uint32_t ec;

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	tmp = talloc_new(call->mem_ctx);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_folder_open(call->session, tmp, call->logon, req->FolderId, &f);
	talloc_free(tmp);
	if (ec != ecSuccess) {
		return ec;
	}
	memset(&ev, 0, sizeof(ev));
	ev.mailbox = l->mailbox_owner;
	ev.type = fnevNewMail;
	ev.is_message = true;
	ev.fid = req->FolderId;
	ev.mid = req->MessageId;
	ev.message_flags = req->MessageFlags;
	ev.message_class = req->MessageClass != NULL ? req->MessageClass : "IPM.Note";
	emsmdb_notify_post(call->session, &ev);
	return ecSuccess;
}

/* [MS-OXOMSG] 2.2.4.4 RopOptionsData */
uint32_t oxomsg_RopOptionsData(struct emsmdb_rop_call *call)
{
	struct RopOptionsData_resp *resp = &call->resp->u.RopOptionsData;

	resp->Reserved = 1;
	resp->OptionsInfoSize = 0;
	resp->OptionsInfo = NULL;
	resp->HelpFileSize = 0;
	resp->HelpFile = NULL;
	resp->HelpFileName = NULL;
	return ecSuccess;
}

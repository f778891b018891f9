/*
 * The ROPs of a FastTransfer upload ([MS-OXCROPS] 2.2.12.1-2.2.12.3,
 * [MS-OXCFXICS] 2.2.3.1.2, 3.2.5.8.2): RopFastTransferDestinationConfigure
 * creates the destination object on a folder, message or attachment;
 * RopFastTransferDestinationPutBuffer(Extended) feed it the stream
 * (ics_dest.c applies it). doc/ics.md, "FastTransfer upload".
 */
#include "ics_dest_private.h"

#include "emsmdb_acl.h"
#include "emsmdb_log.h"
#include "emsmdb_oxc.h"
#include "oxcmsg_attach.h"

/* the stream root of each SourceOperation on each kind of target
 * ([MS-OXCFXICS] 2.2.3.1.2.1.1, 2.2.4.3: the same roots a download of
 * that operation produces), and the folder rights a folder target needs
 * ([MS-OXCPERM] 2.2.7; a message or attachment was opened writable) */
static const struct {
	uint8_t SourceOperation;
	enum emsmdb_object_type type;
	enum fxics_root root;
	uint32_t rights;
} ics_dest_roots[] = {
	{ SourceOperation_CopyTo, EMSMDB_OBJECT_FOLDER, FXICS_ROOT_FOLDER_CONTENT,
	  frightsOwner | frightsCreate | frightsCreateSubfolder },
	{ SourceOperation_CopyTo, EMSMDB_OBJECT_MESSAGE, FXICS_ROOT_MESSAGE_CONTENT, 0 },
	{ SourceOperation_CopyTo, EMSMDB_OBJECT_ATTACHMENT, FXICS_ROOT_ATTACHMENT_CONTENT, 0 },
	{ SourceOperation_CopyProperties, EMSMDB_OBJECT_FOLDER, FXICS_ROOT_FOLDER_CONTENT,
	  frightsOwner | frightsCreate | frightsCreateSubfolder },
	{ SourceOperation_CopyProperties, EMSMDB_OBJECT_MESSAGE, FXICS_ROOT_MESSAGE_CONTENT, 0 },
	{ SourceOperation_CopyProperties, EMSMDB_OBJECT_ATTACHMENT,
	  FXICS_ROOT_ATTACHMENT_CONTENT, 0 },
	{ SourceOperation_CopyMessages, EMSMDB_OBJECT_FOLDER, FXICS_ROOT_MESSAGE_LIST,
	  frightsCreate },
	{ SourceOperation_CopyFolder, EMSMDB_OBJECT_FOLDER, FXICS_ROOT_TOP_FOLDER,
	  frightsCreateSubfolder },
};

/* [MS-OXCFXICS] 2.2.3.1.2.1, 3.2.5.8.2.1 RopFastTransferDestinationConfigure */
uint32_t oxcfxics_RopFastTransferDestinationConfigure(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferDestinationConfigure_req *req =
		&call->req->u.RopFastTransferDestinationConfigure;
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL;
	struct mapistore_attachment *ma = NULL;
	struct ics_fxdest *d = NULL;
	struct emsmdb_object *obj;
	size_t i;
	uint32_t ec;

	if (call->session->mstore == NULL) {
		return ecNotSupported;
	}
	/* unknown CopyFlags fail the ROP (3.2.5.8.2.1 SHOULD). Move (2.2.3.1.2.1.1)
	 * says the upload is part of a larger move whose source the client
	 * deletes itself with further ROPs: nothing changes on this side */
	if ((req->CopyFlags & ~CopyFlags_Move) != 0) {
		return ecInvalidParam;
	}
	for (i = 0; i < sizeof(ics_dest_roots) / sizeof(ics_dest_roots[0]); i++) {
		if (ics_dest_roots[i].SourceOperation == req->SourceOperation &&
		    ics_dest_roots[i].type == call->in->type) {
			break;
		}
	}
	if (i == sizeof(ics_dest_roots) / sizeof(ics_dest_roots[0])) {
		return ecInvalidParam;	/* unknown operation, or not on this object */
	}
	if (call->in->type == EMSMDB_OBJECT_FOLDER) {
		struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
							  struct emsmdb_folder);

		if (f == NULL || f->mf == NULL) {
			return ecNotSupported;	/* openchangedb folders hold no content */
		}
		ec = emsmdb_acl_check(call, call->in, ics_dest_roots[i].rights);
		if (ec != ecSuccess) {
			return ec;
		}
		mf = f->mf;
	} else if (call->in->type == EMSMDB_OBJECT_MESSAGE) {
		struct emsmdb_message *m = talloc_get_type(call->in->private_data,
							   struct emsmdb_message);

		if (m == NULL || m->mm == NULL) {
			return ecNotSupported;
		}
		if (!m->read_write) {
			return ecAccessDenied;
		}
		mm = m->mm;
	} else {
		struct emsmdb_attachment *a = talloc_get_type(call->in->private_data,
							      struct emsmdb_attachment);

		if (a == NULL || a->ma == NULL) {
			return ecNotSupported;
		}
		if (!a->read_write || !a->msg->read_write) {
			return ecAccessDenied;
		}
		ma = a->ma;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FX_UPLOAD, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = ics_fxdest_new(obj, call->session, ics_dest_roots[i].root, mf, mm, ma, &d);
	if (ec != ecSuccess) {
		return ec;
	}
	obj->private_data = d;
	emsmdb_log(EMSMDB_LOG_INFO, "RopFastTransferDestinationConfigure operation %u on a %s",
		   req->SourceOperation, emsmdb_object_type_name(call->in->type));
	return ecSuccess;
}

/* 3.2.5.8.2.2 / 3.2.5.8.2.3: apply one piece; TransferStatus (which the
 * client ignores) says whether the root element is complete */
static uint32_t ics_dest_put(struct emsmdb_rop_call *call, const uint8_t *data, uint16_t size,
			     uint16_t *status_r, uint16_t *used_r, uint32_t *total_r)
{
	struct ics_fxdest *d = talloc_get_type(call->in->private_data, struct ics_fxdest);
	const struct ics_fxdest_event *ev = NULL;
	size_t used = 0;
	uint32_t ec, i, n;

	*status_r = TransferStatus_Error;
	*used_r = 0;
	*total_r = 0;
	if (d == NULL) {
		return ecNotSupported;
	}
	d->call = call;	/* MetaTagFXDelProp checks this caller's rights */
	ec = ics_fxdest_put(d, data, size, &used);
	d->call = NULL;
	*used_r = (uint16_t)used;
	*total_r = ics_fxdest_objects(d);
	/* [MS-OXCNOTIF]: what the stream stored is there, even if a later
	 * element failed */
	n = ics_fxdest_events(d, &ev);
	for (i = 0; i < n; i++) {
		emsmdb_raise(call, fnevObjectCreated, ev[i].is_message, ev[i].fid, ev[i].mid,
			     ev[i].parent_fid);
	}
	if (ec == ecSuccess) {
		*status_r = ics_fxdest_complete(d) ? TransferStatus_Done : TransferStatus_Partial;
	}
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.1.2.2 RopFastTransferDestinationPutBuffer */
uint32_t oxcfxics_RopFastTransferDestinationPutBuffer(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferDestinationPutBuffer_req *req =
		&call->req->u.RopFastTransferDestinationPutBuffer;
	struct RopFastTransferDestinationPutBuffer_resp *resp =
		&call->resp->u.RopFastTransferDestinationPutBuffer;
	uint32_t total = 0, ec;

	ec = ics_dest_put(call, req->TransferData, req->TransferDataSize,
			  &resp->TransferStatus, &resp->BufferUsedSize, &total);
	/* InProgressCount SHOULD be 0 (2.2.3.1.2.2.2); TotalStepCount is
	 * implementation-specific: the objects written so far */
	resp->InProgressCount = 0;
	resp->TotalStepCount = (uint16_t)(total > 0xFFFF ? 0xFFFF : total);
	resp->Reserved = 0;
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.1.2.3 RopFastTransferDestinationPutBufferExtended */
uint32_t oxcfxics_RopFastTransferDestinationPutBufferExtended(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferDestinationPutBufferExtended_req *req =
		&call->req->u.RopFastTransferDestinationPutBufferExtended;
	struct RopFastTransferDestinationPutBufferExtended_resp *resp =
		&call->resp->u.RopFastTransferDestinationPutBufferExtended;
	uint32_t ec;

	ec = ics_dest_put(call, req->TransferData, req->TransferDataSize,
			  &resp->TransferStatus, &resp->BufferUsedSize, &resp->TotalStepCount);
	resp->InProgressCount = 0;
	resp->Reserved = 0;
	return ec;
}

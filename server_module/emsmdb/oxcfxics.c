/*
 * [MS-OXCFXICS] Bulk Data Transfer Protocol: the ROP handlers of
 * synchronization download contexts and FastTransfer download contexts
 * ([MS-OXCROPS] 2.2.12, 2.2.13). The streams are ics_contents.c's,
 * ics_hierarchy.c's and ics_copy.c's; the upload collector is
 * ics_collector.c's. doc/ics.md.
 */
#include "ics.h"

#include <string.h>

#include "emsmdb_log.h"
#include "emsmdb_acl.h"

/* RopFastTransferSourceGetBuffer response without TransferBuffer:
 * RopId, InputHandleIndex, ReturnValue, TransferStatus, InProgressCount,
 * TotalStepCount, Reserved, TransferBufferSize ([MS-OXCROPS] 2.2.12.4.2) */
#define ICS_GETBUFFER_OVERHEAD 15

static struct ics_download *ics_download_of(struct emsmdb_object *obj)
{
	return obj->type == EMSMDB_OBJECT_ICS_DOWNLOAD ?
		talloc_get_type(obj->private_data, struct ics_download) : NULL;
}

static struct ics_state *ics_state_of(struct emsmdb_object *obj)
{
	struct ics_download *dl = ics_download_of(obj);
	struct ics_collector *col;

	if (dl != NULL) {
		/* the state is fixed once the download has started */
		return dl->src == NULL ? dl->state : NULL;
	}
	col = obj->type == EMSMDB_OBJECT_ICS_UPLOAD ?
		talloc_get_type(obj->private_data, struct ics_collector) : NULL;
	return col != NULL ? col->state : NULL;
}

/* [MS-OXCFXICS] 2.2.3.2.1.1, 3.2.5.9.1.1 RopSynchronizationConfigure */
uint32_t oxcfxics_RopSynchronizationConfigure(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationConfigure_req *req =
		&call->req->u.RopSynchronizationConfigure;
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
						  struct emsmdb_folder);
	struct ics_download *dl;
	struct emsmdb_object *obj;
	uint32_t ec;

	if (f == NULL || call->session->mstore == NULL) {
		return ecNotSupported;
	}
	if (req->SynchronizationType != SynchronizationType_Contents &&
	    req->SynchronizationType != SynchronizationType_Hierarchy) {
		return ecInvalidParam;
	}
	/* 2.2.3.2.1.1.1: the Reserved flag MUST NOT be set */
	if (req->SynchronizationFlags & SynchronizationFlags_Reserved) {
		return ecInvalidParam;
	}
	ec = emsmdb_acl_check(call, call->in, req->SynchronizationType ==	/* [MS-OXCPERM] */
		SynchronizationType_Contents ? frightsReadAny : frightsVisible);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_ICS_DOWNLOAD, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	dl = talloc_zero(obj, struct ics_download);
	if (dl == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = dl;
	dl->s = call->session;
	dl->logon = call->logon;
	dl->folder = f;
	dl->SynchronizationType = req->SynchronizationType;
	dl->SendOptions = req->SendOptions;
	dl->SynchronizationFlags = req->SynchronizationFlags;
	dl->SynchronizationExtraFlags = req->SynchronizationExtraFlags;
	dl->state = ics_state_new(dl);
	if (dl->state == NULL) {
		return ecMAPIOOM;
	}
	if (req->PropertyTagCount > 0) {
		dl->PropertyTags = talloc_memdup(dl, req->PropertyTags,
						 req->PropertyTagCount * sizeof(uint32_t));
		if (dl->PropertyTags == NULL) {
			return ecMAPIOOM;
		}
		dl->PropertyTagCount = req->PropertyTagCount;
	}
	if (req->RestrictionDataSize > 0 && req->RestrictionData != NULL) {
		ec = ics_restriction_from_wire(dl, req->RestrictionData, &dl->restriction);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	emsmdb_log(EMSMDB_LOG_INFO, "RopSynchronizationConfigure %s on 0x%016llx, flags "
		   "0x%04x extra 0x%08x", dl->SynchronizationType == SynchronizationType_Contents ?
		   "contents" : "hierarchy", (unsigned long long)f->fid,
		   dl->SynchronizationFlags, dl->SynchronizationExtraFlags);
	return ecSuccess;
}

/* [MS-OXCFXICS] 2.2.3.2.2.1 */
uint32_t oxcfxics_RopSynchronizationUploadStateStreamBegin(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationUploadStateStreamBegin_req *req =
		&call->req->u.RopSynchronizationUploadStateStreamBegin;
	struct ics_state *st = ics_state_of(call->in);

	if (st == NULL) {
		return ecError;
	}
	return ics_state_upload_begin(st, req->StateProperty, req->TransferBufferSize);
}

/* [MS-OXCFXICS] 2.2.3.2.2.2 */
uint32_t oxcfxics_RopSynchronizationUploadStateStreamContinue(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationUploadStateStreamContinue_req *req =
		&call->req->u.RopSynchronizationUploadStateStreamContinue;
	struct ics_state *st = ics_state_of(call->in);

	if (st == NULL) {
		return ecError;
	}
	return ics_state_upload_continue(st, req->StreamData, req->StreamDataSize);
}

/* [MS-OXCFXICS] 2.2.3.2.2.3 */
uint32_t oxcfxics_RopSynchronizationUploadStateStreamEnd(struct emsmdb_rop_call *call)
{
	struct ics_state *st = ics_state_of(call->in);

	if (st == NULL) {
		return ecError;
	}
	return ics_state_upload_end(st);
}

uint32_t ics_download_start(struct ics_download *dl)
{
	uint32_t ec;

	dl->src = ics_source_new(dl, dl->s->cpid, NULL, dl);
	if (dl->src == NULL) {
		return ecMAPIOOM;
	}
	ec = dl->SynchronizationType == SynchronizationType_Contents ?
		ics_contents_start(dl) : ics_hierarchy_start(dl);
	if (ec != ecSuccess) {
		emsmdb_log(EMSMDB_LOG_WARNING, "synchronization download of folder "
			   "0x%016llx cannot start: 0x%08x",
			   (unsigned long long)dl->folder->fid, ec);
		/* a later GetBuffer tries again from the start */
		TALLOC_FREE(dl->src);
		TALLOC_FREE(dl->producer);
	}
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.1.1.5, 3.2.5.8.1.1 RopFastTransferSourceGetBuffer */
uint32_t oxcfxics_RopFastTransferSourceGetBuffer(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferSourceGetBuffer_req *req =
		&call->req->u.RopFastTransferSourceGetBuffer;
	struct RopFastTransferSourceGetBuffer_resp *resp =
		&call->resp->u.RopFastTransferSourceGetBuffer;
	struct ics_download *dl = ics_download_of(call->in);
	struct ics_source *src;
	uint8_t *data = NULL;
	size_t max, len = 0;
	uint16_t status = TransferStatus_Error;
	uint32_t ec;

	resp->TransferStatus = TransferStatus_Error;
	if (dl != NULL) {
		if (dl->src == NULL) {
			ec = ics_download_start(dl);
			if (ec != ecSuccess) {
				return ec;
			}
		}
		src = dl->src;
	} else {
		src = talloc_get_type(call->in->private_data, struct ics_source);
		if (src == NULL) {
			return ecNotSupported;
		}
	}
	/* 0xBABE: the server chooses, up to MaximumBufferSize */
	max = req->BufferSize == ICS_BUFFER_SIZE_SERVER ? req->MaximumBufferSize :
		req->BufferSize;
	if (call->space < ICS_GETBUFFER_OVERHEAD + FXICS_MARKER_SIZE) {
		return ecBufferTooSmall;
	}
	if (max > call->space - ICS_GETBUFFER_OVERHEAD) {
		max = call->space - ICS_GETBUFFER_OVERHEAD;
	}
	ec = ics_source_get_buffer(src, call->mem_ctx, max, &data, &len, &status);
	resp->TransferStatus = status;
	resp->InProgressCount = (uint16_t)(src->steps_done > 0xFFFF ? 0xFFFF : src->steps_done);
	resp->TotalStepCount = (uint16_t)(src->steps_total > 0xFFFF ? 0xFFFF : src->steps_total);
	resp->Reserved = 0;
	resp->TransferBufferSize = (uint16_t)len;
	resp->TransferBuffer = data;
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.2.3.1, 3.2.5.9.3.1 RopSynchronizationGetTransferState:
 * a FastTransfer download context whose stream is the state element */
uint32_t oxcfxics_RopSynchronizationGetTransferState(struct emsmdb_rop_call *call)
{
	struct ics_download *dl = ics_download_of(call->in);
	struct fxics_proplist l = { 0 };
	struct emsmdb_object *obj;
	struct ics_source *src;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FX_DOWNLOAD, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	src = ics_source_new_static(obj, call->session->cpid);
	if (src == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = src;
	if (dl != NULL) {
		ec = ics_download_state(dl, src, &l);
	} else {
		struct ics_collector *col = talloc_get_type(call->in->private_data,
							    struct ics_collector);

		ec = col != NULL ? ics_collector_state(col, src, &l) : ecNotSupported;
	}
	if (ec == ecSuccess && fxics_encoder_state(src->enc, &l) != ROP_OK) {
		ec = ecError;
	}
	talloc_free(l.Atoms);
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.1.1.6, 3.2.5.8.1.6 RopTellVersion: the version of
 * the other server of a server-to-client-to-server transfer; recorded,
 * it changes nothing in the streams this server produces or accepts */
uint32_t oxcfxics_RopTellVersion(struct emsmdb_rop_call *call)
{
	const struct RopTellVersion_req *req = &call->req->u.RopTellVersion;

	if (call->in->type != EMSMDB_OBJECT_FX_DOWNLOAD &&
	    call->in->type != EMSMDB_OBJECT_FX_UPLOAD) {
		return ecNotSupported;
	}
	emsmdb_log(EMSMDB_LOG_INFO, "RopTellVersion %u.%u.%u", req->Version[0],
		   req->Version[1], req->Version[2]);
	return ecSuccess;
}

/*
 * The import ROPs of a synchronization upload context besides message
 * changes ([MS-OXCFXICS] 3.2.5.9.4.3-3.2.5.9.4.7): folders, deletions,
 * moves, read states, and the local replica ID ROPs. ics_collector.c has
 * the collector and RopSynchronizationImportMessageChange.
 */
#include "ics.h"
#include "emsmdb_acl.h"

#include <string.h>

#include "emsmdb_log.h"

/* [MS-OXCFXICS] 2.2.3.2.4.5.1 ImportDeleteFlags */
#define ImportDeleteFlags_Hierarchy 0x01
#define ImportDeleteFlags_HardDelete 0x02
#define ICS_MAX_DELETES 0x10000

/*
 * A hierarchy change to an openchangedb folder @fid (a system folder, or a
 * special folder: its record over a backend root), as Outlook uploads the
 * property changes of special folders ([MS-OXCFXICS] 3.2.5.9.4.3):
 * properties only. Such folders do not move: a special folder answers
 * ecAccessDenied ([MS-OXOSFLD] 3.1.4.1, as RopDeleteFolder does), another
 * openchangedb folder ecNotSupported. False when @fid is no openchangedb
 * folder (*@ec_r untouched); else true with the answer in *@ec_r.
 */
static bool ics_import_ocdb_folder(struct emsmdb_rop_call *call, struct ics_collector *col,
				   uint64_t fid, uint64_t pfid,
				   const struct mapistore_property *props, uint32_t n,
				   uint32_t *ec_r)
{
	struct openchangedb_folder *rec = NULL;
	struct emsmdb_folder *f = NULL;
	enum mapistore_error ret;
	uint32_t ec;

	if (openchangedb_folder_get(call->mem_ctx, col->s->ocdb, fid, &rec) !=
	    MAPISTORE_SUCCESS) {
		return false;
	}
	ec = emsmdb_folder_open(col->s, call->mem_ctx, col->logon, fid, &f);
	if (ec == ecSuccess && rec->parent_fid != pfid) {
		ec = rec->system_idx != 0 ? ecAccessDenied : ecNotSupported;
	}
	if (ec == ecSuccess && emsmdb_acl_check_fid(call, fid, frightsOwner) != ecSuccess) {
		ec = ecAccessDenied;	/* [MS-OXCPERM]: folder properties */
	}
	if (ec == ecSuccess && f->mf != NULL) {
		/* mapistore records the change of a special folder */
		ec = emsmdb_ms_ec(mapistore_properties_set(mapistore_folder_object(f->mf),
							   props, n));
	} else if (ec == ecSuccess) {
		ret = openchangedb_folder_set_properties(col->s->ocdb, fid, props, n);
		if (ret == MAPISTORE_SUCCESS && col->s->mstore != NULL) {
			ret = mapistore_changes_track_folder(col->s->mstore, fid, pfid);
		}
		ec = emsmdb_ms_ec(ret);
	}
	*ec_r = ec == ecSuccess ? ics_collector_note(col, fid, false) : ec;
	return true;
}

/* [MS-OXCFXICS] 2.2.3.2.4.3, 3.2.5.9.4.3 RopSynchronizationImportHierarchyChange:
 * HierarchyValues are PidTagParentSourceKey, PidTagSourceKey,
 * PidTagLastModificationTime, PidTagChangeKey, PidTagPredecessorChangeList,
 * PidTagDisplayName; PropertyValues the folder's other properties */
uint32_t oxcfxics_RopSynchronizationImportHierarchyChange(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationImportHierarchyChange_req *req =
		&call->req->u.RopSynchronizationImportHierarchyChange;
	struct RopSynchronizationImportHierarchyChange_resp *resp =
		&call->resp->u.RopSynchronizationImportHierarchyChange;
	struct ics_collector *col = ics_collector_of(call->in);
	const struct TaggedPropertyValue *hv = req->HierarchyValues;
	struct emsmdb_folder *parent = NULL, *f = NULL;
	struct mapistore_folder *created = NULL;
	struct mapistore_property *props;
	uint64_t pfid, fid = 0;
	uint32_t n = 0, i, ec;
	enum mapistore_error ret;

	resp->FolderId = 0;
	if (col == NULL || col->contents) {
		return ecNotSupported;
	}
	if (emsmdb_acl_check(call, call->in, frightsCreateSubfolder) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	if (req->HierarchyValueCount != 6 || hv[0].PropertyTag != PidTagParentSourceKey ||
	    hv[1].PropertyTag != PidTagSourceKey || hv[5].PropertyTag != PidTagDisplayName) {
		return ecInvalidParam;
	}
	/* an empty parent source key names the synchronization root */
	pfid = col->folder->fid;
	if (hv[0].Value.u.bin.cb != 0 &&
	    !ics_sourcekey_id(col, hv[0].Value.u.bin.lpb, hv[0].Value.u.bin.cb, &pfid)) {
		return ecSyncNoParent;
	}
	ec = emsmdb_folder_open(col->s, call->mem_ctx, col->logon, pfid, &parent);
	if (ec != ecSuccess) {
		return ec == ecNotFound ? ecSyncNoParent : ec;
	}
	props = talloc_zero_array(call->mem_ctx, struct mapistore_property,
				  req->PropertyValueCount + 2);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_prop_from_wire(call->mem_ctx, &hv[5], &props[n++]);
	for (i = 0; i < req->PropertyValueCount && ec == ecSuccess; i++) {
		uint32_t tag = req->PropertyValues[i].PropertyTag;

		if (tag == PidTagFolderId || tag == PidTagParentFolderId ||
		    tag == PidTagSourceKey || tag == PidTagParentSourceKey) {
			continue;	/* the server's to set */
		}
		ec = emsmdb_prop_from_wire(call->mem_ctx, &req->PropertyValues[i], &props[n++]);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	if (!ics_sourcekey_id(col, hv[1].Value.u.bin.lpb, hv[1].Value.u.bin.cb, &fid)) {
		fid = 0;	/* a foreign source key: the server assigns the FID */
	}
	if (fid != 0 && ics_import_ocdb_folder(call, col, fid, pfid, props, n, &ec)) {
		return ec;
	}
	if (parent->mf == NULL) {
		return ecNotSupported;	/* openchangedb folders hold no new folders */
	}
	if (fid != 0 &&
	    emsmdb_folder_open(col->s, call->mem_ctx, col->logon, fid, &f) == ecSuccess &&
	    f->mf != NULL) {
		/* a change to a folder of ours: properties, then the move */
		ret = mapistore_properties_set(mapistore_folder_object(f->mf), props, n);
		if (ret == MAPISTORE_SUCCESS && f->parent_fid != pfid) {
			ret = mapistore_folder_move(f->mf, parent->mf, NULL);
		}
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		return ics_collector_note(col, fid, false);
	}
	/* [MS-OXCFXICS] 3.3.5.2.1: a source key of our replica that names no
	 * folder is a client-assigned ID (reserved by RopGetLocalReplicaIds) */
	ret = fid != 0 ?
		mapistore_folder_create_with_id(call->mem_ctx, parent->mf, fid, props, n,
						&created) :
		mapistore_folder_create(call->mem_ctx, parent->mf, props, n, &created);
	if (ret != MAPISTORE_SUCCESS) {
		if (fid != 0) {
			emsmdb_log(EMSMDB_LOG_WARNING, "ICS import: client folder ID "
				   "0x%016llx refused: %d", (unsigned long long)fid, (int)ret);
		}
		return emsmdb_ms_ec(ret);
	}
	return ics_collector_note(col, mapistore_folder_get_fid(created), false);
}

/* [MS-OXCFXICS] 2.2.3.2.4.5, 3.2.5.9.4.5 RopSynchronizationImportDeletes */
uint32_t oxcfxics_RopSynchronizationImportDeletes(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationImportDeletes_req *req =
		&call->req->u.RopSynchronizationImportDeletes;
	struct ics_collector *col = ics_collector_of(call->in);
	bool hard = (req->ImportDeleteFlags & ImportDeleteFlags_HardDelete) != 0;
	bool hierarchy = (req->ImportDeleteFlags & ImportDeleteFlags_Hierarchy) != 0;
	const struct oxcdata_mv *mv;
	struct mapistore_change *row = NULL;
	uint64_t *ids, id;
	uint32_t n = 0, i;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (col == NULL || hierarchy == col->contents) {
		return ecInvalidParam;
	}
	if (emsmdb_acl_check(call, call->in, hierarchy ? frightsOwner :
			     frightsDeleteAny) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	if (req->PropertyValueCount != 1 ||
	    OXCDATA_PROP_TYPE(req->PropertyValues[0].PropertyTag) != PtypMultipleBinary) {
		return ecInvalidParam;
	}
	mv = &req->PropertyValues[0].Value.u.mv;
	if (mv->Count > ICS_MAX_DELETES) {
		return ecTooBig;
	}
	ids = talloc_array(call->mem_ctx, uint64_t, mv->Count + 1);
	if (ids == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < mv->Count; i++) {
		/* unknown or foreign keys, objects elsewhere: nothing to delete */
		if (!ics_sourcekey_id(col, mv->v.bin[i].lpb, mv->v.bin[i].cb, &id) ||
		    mapistore_changes_get(call->mem_ctx, col->s->mstore, id, &row) !=
		    MAPISTORE_SUCCESS) {
			continue;
		}
		if (row->is_folder == hierarchy &&
		    (hierarchy || row->parent_fid == col->folder->fid)) {
			ids[n++] = id;
		}
		TALLOC_FREE(row);
	}
	if (!hierarchy) {
		if (n > 0 && col->folder->mf != NULL) {
			ret = mapistore_folder_delete_messages(col->folder->mf, ids, n, hard);
		}
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < n && ret == MAPISTORE_SUCCESS; i++) {
		struct mapistore_folder *mf = NULL;

		ret = mapistore_folder_open(call->mem_ctx, col->s->mstore, ids[i], &mf);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_folder_delete(mf, DEL_MESSAGES | DEL_FOLDERS |
						      (hard ? DELETE_HARD_DELETE : 0));
		}
		if (ret == MAPISTORE_ERR_NOT_FOUND || ret == MAPISTORE_ERR_OBJECT_DELETED) {
			ret = MAPISTORE_SUCCESS;
		}
		talloc_free(mf);
	}
	return emsmdb_ms_ec(ret);
}

/* [MS-OXCFXICS] 2.2.3.2.4.4, 3.2.5.9.4.4 RopSynchronizationImportMessageMove.
 * DestinationMessageId is the PidTagSourceKey the client gave the message
 * in the destination folder (2.2.3.2.4.4.1). One of this mailbox's replica
 * is a client-assigned ID (3.3.5.2.1): the moved message takes exactly
 * that MID, checked like every client-chosen ID (mapistore_client_id_check:
 * reserved with RopGetLocalReplicaIds, not given up, not in use), so the
 * client's replica and ours agree. A foreign one (another REPLGUID) names
 * nothing the server can allocate: the message gets a server MID. */
uint32_t oxcfxics_RopSynchronizationImportMessageMove(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationImportMessageMove_req *req =
		&call->req->u.RopSynchronizationImportMessageMove;
	struct RopSynchronizationImportMessageMove_resp *resp =
		&call->resp->u.RopSynchronizationImportMessageMove;
	struct ics_collector *col = ics_collector_of(call->in);
	struct mapistore_change *row = NULL;
	struct emsmdb_folder *src = NULL;
	uint64_t sfid, smid, new_mid = 0;
	enum mapistore_error ret;
	bool client_id;
	uint32_t ec;

	resp->MessageId = 0;	/* [MS-OXCROPS] 2.2.13.6.2: MUST be 0 */
	if (col == NULL || !col->contents || col->folder->mf == NULL) {
		return ecNotSupported;
	}
	if (!ics_sourcekey_id(col, req->SourceFolderId, req->SourceFolderIdSize, &sfid) ||
	    !ics_sourcekey_id(col, req->SourceMessageId, req->SourceMessageIdSize, &smid)) {
		return ecInvalidParam;
	}
	if (mapistore_changes_get(call->mem_ctx, col->s->mstore, smid, &row) !=
	    MAPISTORE_SUCCESS || row->parent_fid != sfid || row->is_folder) {
		return ecNotFound;
	}
	ec = emsmdb_folder_open(col->s, call->mem_ctx, col->logon, sfid, &src);
	if (ec != ecSuccess) {
		return ec;
	}
	if (src->mf == NULL) {
		return ecNotFound;
	}
	client_id = ics_sourcekey_id(col, req->DestinationMessageId,
				     req->DestinationMessageIdSize, &new_mid);
	ret = client_id ?
		mapistore_message_move_with_id(col->folder->mf, src->mf, smid, new_mid) :
		mapistore_folder_move_copy_messages(col->folder->mf, src->mf, &smid, 1, false,
						    &new_mid);
	if (ret != MAPISTORE_SUCCESS) {
		if (client_id) {
			emsmdb_log(EMSMDB_LOG_WARNING, "ICS import: client message ID "
				   "0x%016llx for a move refused: %d",
				   (unsigned long long)new_mid, (int)ret);
		}
		return emsmdb_ms_ec(ret);
	}
	return ics_collector_note(col, new_mid, false);
}

/* [MS-OXCFXICS] 2.2.3.2.4.6, 3.2.5.9.4.6 RopSynchronizationImportReadStateChanges:
 * each change as RopSetMessageReadFlag would make it; FAI ones ignored */
uint32_t oxcfxics_RopSynchronizationImportReadStateChanges(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationImportReadStateChanges_req *req =
		&call->req->u.RopSynchronizationImportReadStateChanges;
	struct ics_collector *col = ics_collector_of(call->in);
	uint32_t i, ec = ecSuccess;

	if (col == NULL || !col->contents || col->folder->mf == NULL) {
		return ecNotSupported;
	}
	for (i = 0; i < req->MessageReadStateCount && ec == ecSuccess; i++) {
		const struct MessageReadState *rs = &req->MessageReadStates[i];
		struct mapistore_change *row = NULL;
		struct mapistore_message *mm = NULL;
		enum mapistore_error ret;
		uint64_t mid;

		if (!ics_sourcekey_id(col, rs->MessageId, rs->MessageIdSize, &mid) ||
		    mapistore_changes_get(call->mem_ctx, col->s->mstore, mid, &row) !=
		    MAPISTORE_SUCCESS) {
			continue;
		}
		if (row->fai || row->parent_fid != col->folder->fid) {
			TALLOC_FREE(row);
			continue;
		}
		TALLOC_FREE(row);
		ret = mapistore_message_open(call->mem_ctx, col->folder->mf, mid, false, &mm);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_message_set_read_flag(mm, rs->MarkAsRead ?
				MSGFLAG_READ_SET : MSGFLAG_CLEAR_READ);
		}
		talloc_free(mm);
		ec = ret == MAPISTORE_SUCCESS ? ics_collector_note(col, mid, true) :
			emsmdb_ms_ec(ret);
	}
	return ec;
}

/* [MS-OXCFXICS] 2.2.3.2.4.7, 3.2.5.9.4.7 RopGetLocalReplicaIds */
uint32_t oxcfxics_RopGetLocalReplicaIds(struct emsmdb_rop_call *call)
{
	const struct RopGetLocalReplicaIds_req *req = &call->req->u.RopGetLocalReplicaIds;
	struct RopGetLocalReplicaIds_resp *resp = &call->resp->u.RopGetLocalReplicaIds;
	struct emsmdb_logon *logon = emsmdb_rop_logon(call);
	uint64_t first = 0, last = 0;
	enum mapistore_error ret;
	unsigned k;

	if (logon == NULL || !logon->is_private || call->session->mstore == NULL) {
		return ecNotSupported;
	}
	if (req->IdCount == 0 || req->IdCount > (1u << 24)) {
		return ecInvalidParam;
	}
	ret = mapistore_changes_get_replica(call->session->mstore, resp->ReplGuid, &last);
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_reserve_local_replica_ids(call->session->ocdb,
							     logon->mailbox_owner,
							     req->IdCount, &first);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	/* GlobalCount: the first GLOBCNT, high-order byte first (2.2.2.5) */
	for (k = 0; k < 6; k++) {
		resp->GlobalCount[k] = (uint8_t)(first >> (8 * (5 - k)));
	}
	return ecSuccess;
}

/* GLOBCNT of a LongTermID ([MS-OXCDATA] 2.2.1.3.1): big-endian */
static uint64_t ltid_globcnt(const struct LongTermID *id)
{
	uint64_t g = 0;
	unsigned k;

	for (k = 0; k < 6; k++) {
		g = (g << 8) | id->GlobalCounter[k];
	}
	return g;
}

/* [MS-OXCFXICS] 2.2.3.2.4.8, 3.2.5.9.4.8 RopSetLocalReplicaMidsetDeleted:
 * the client gives up IDs of ranges it reserved (objects it created and
 * deleted before uploading them, or IDs it will never use). 3.3.5.8.13:
 * the server adds them to its deleted items list. They are recorded for
 * the mailbox (openchangedb_give_up_local_replica_ids, merged ranges), so
 * a later import or move under one of them is refused with
 * ecObjectDeleted, like the ID of a deleted object. Ranges must be of
 * this mailbox's replica with Min <= Max (else ecInvalidParam); at most
 * OPENCHANGEDB_GIVEN_UP_PER_CALL per call and
 * OPENCHANGEDB_GIVEN_UP_PER_MAILBOX per mailbox (ecTooBig). */
uint32_t oxcfxics_RopSetLocalReplicaMidsetDeleted(struct emsmdb_rop_call *call)
{
	const struct RopSetLocalReplicaMidsetDeleted_req *req =
		&call->req->u.RopSetLocalReplicaMidsetDeleted;
	struct emsmdb_logon *logon = emsmdb_rop_logon(call);
	struct openchangedb_globcnt_range *ranges;
	uint8_t guid[16];
	uint64_t last = 0;
	uint32_t i;

	if (logon == NULL || !logon->is_private || call->session->mstore == NULL ||
	    mapistore_changes_get_replica(call->session->mstore, guid, &last) !=
	    MAPISTORE_SUCCESS) {
		return ecNotSupported;
	}
	if (req->LongTermIdRangeCount > OPENCHANGEDB_GIVEN_UP_PER_CALL) {
		return ecTooBig;
	}
	ranges = talloc_array(call->mem_ctx, struct openchangedb_globcnt_range,
			      req->LongTermIdRangeCount + 1);
	if (ranges == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < req->LongTermIdRangeCount; i++) {
		const struct LongTermIdRange *r = &req->LongTermIdRanges[i];

		ranges[i].first = ltid_globcnt(&r->MinLongTermId);
		ranges[i].last = ltid_globcnt(&r->MaxLongTermId);
		if (memcmp(r->MinLongTermId.DatabaseGuid, guid, 16) != 0 ||
		    memcmp(r->MaxLongTermId.DatabaseGuid, guid, 16) != 0 ||
		    ranges[i].first == 0 || ranges[i].first > ranges[i].last) {
			return ecInvalidParam;
		}
	}
	return emsmdb_ms_ec(openchangedb_give_up_local_replica_ids(call->session->ocdb,
		logon->mailbox_owner, ranges, req->LongTermIdRangeCount));
}

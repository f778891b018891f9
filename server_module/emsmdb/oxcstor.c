/*
 * [MS-OXCSTOR] Store Object Protocol: the logon ROPs ([MS-OXCROPS] 2.2.3).
 */
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* [MS-OXCSTOR] 2.2.1.1.1 LogonFlags, 2.2.1.1.3 ResponseFlags */
#define LogonFlags_Private 0x01
#define ResponseFlags_Reserved 0x01
#define ResponseFlags_OwnerRight 0x02
#define ResponseFlags_SendAsRight 0x04

bool emsmdb_guid_parse(const char *s, uint8_t out[16])
{
	unsigned d1, d2, d3, b[8];
	int i;

	if (s == NULL ||
	    sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3,
		   &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11) {
		memset(out, 0, 16);
		return false;
	}
	/* GUID byte order ([MS-DTYP] 2.3.4.2): the first three fields little-endian */
	out[0] = d1 & 0xFF;
	out[1] = (d1 >> 8) & 0xFF;
	out[2] = (d1 >> 16) & 0xFF;
	out[3] = (d1 >> 24) & 0xFF;
	out[4] = d2 & 0xFF;
	out[5] = (d2 >> 8) & 0xFF;
	out[6] = d3 & 0xFF;
	out[7] = (d3 >> 8) & 0xFF;
	for (i = 0; i < 8; i++) {
		out[8 + i] = b[i];
	}
	return true;
}

/* [MS-OXCSTOR] 2.2.1.1.3: the public logon's 13 FolderIds */
static const int emsmdb_public_fids[13] = {
	OCDB_PUBLIC_ROOT, OCDB_PUBLIC_IPM_SUBTREE, OCDB_PUBLIC_NON_IPM_SUBTREE,
	OCDB_PUBLIC_EFORMS_REGISTRY, OCDB_PUBLIC_FREEBUSY, OCDB_PUBLIC_OFFLINE_AB,
	0 /* Localized EFORMS */, OCDB_PUBLIC_LOCAL_FREEBUSY,
	OCDB_PUBLIC_DEFAULT_OAB, 0, 0, 0, 0,
};

static void emsmdb_logon_time(struct LogonTime *t)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	t->Seconds = tm.tm_sec;
	t->Minutes = tm.tm_min;
	t->Hour = tm.tm_hour;
	t->DayOfWeek = tm.tm_wday;
	t->Day = tm.tm_mday;
	t->Month = tm.tm_mon + 1;
	t->Year = tm.tm_year + 1900;
}

static uint32_t emsmdb_logon_private(struct emsmdb_rop_call *call,
				     struct emsmdb_logon *l)
{
	const struct RopLogon_req *req = &call->req->u.RopLogon;
	struct emsmdb_session *s = call->session;
	struct openchangedb_mailbox *mbx = NULL;
	uint32_t ec;

	/* [MS-OXCSTOR] 3.2.5.1.1: Essdn names the mailbox. Another user's:
	 * a delegate logon, allowed by folder permissions (emsmdb_acl.h) */
	if (req->Essdn == NULL || req->Essdn[0] == '\0') {
		return ecLoginPerm;
	}
	if (strcasecmp(req->Essdn, s->user_dn) != 0) {
		return emsmdb_acl_logon_delegate(call, l, req->Essdn);
	}
	ec = emsmdb_store_mailbox(s, call->mem_ctx, s->account, &mbx);
	if (ec != ecSuccess) {
		return ec;
	}
	if (openchangedb_get_logon_folder_ids(s->ocdb, s->account, l->fids) !=
	    MAPISTORE_SUCCESS) {
		return ecError;
	}
	l->is_private = true;
	l->mailbox_owner = talloc_strdup(l, s->account);
	l->ReplId = mbx->replica_id;
	l->root_fid = mbx->root_fid ? mbx->root_fid : l->fids[0];
	emsmdb_guid_parse(mbx->mailbox_guid, l->MailboxGuid);
	emsmdb_guid_parse(mbx->replica_guid, l->ReplGuid);
	return l->mailbox_owner != NULL ? ecSuccess : ecMAPIOOM;
}

static uint32_t emsmdb_logon_public(struct emsmdb_rop_call *call,
				    struct emsmdb_logon *l)
{
	struct emsmdb_session *s = call->session;
	char *guid = NULL;
	uint32_t ec, i;

	ec = emsmdb_store_open(s);
	if (ec != ecSuccess) {
		return ec;
	}
	for (i = 0; i < 13; i++) {
		l->fids[i] = 0;
		if (emsmdb_public_fids[i] != 0) {
			openchangedb_get_system_folder_id(s->ocdb, NULL,
				emsmdb_public_fids[i], &l->fids[i]);
		}
	}
	if (l->fids[0] == 0) {
		/* the public store exists once the server is provisioned */
		return ecUnknownMailbox;
	}
	l->is_private = false;
	l->ReplId = OPENCHANGEDB_SERVER_REPLID;
	l->root_fid = l->fids[0];
	if (openchangedb_replica_get_guid(call->mem_ctx, s->ocdb,
					  OPENCHANGEDB_SERVER_REPLID, &guid) ==
	    MAPISTORE_SUCCESS) {
		emsmdb_guid_parse(guid, l->ReplGuid);
	}
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.1 / 3.2.5.1 RopLogon */
uint32_t oxcstor_RopLogon(struct emsmdb_rop_call *call)
{
	const struct RopLogon_req *req = &call->req->u.RopLogon;
	struct RopLogon_resp *resp = &call->resp->u.RopLogon;
	struct emsmdb_session *s = call->session;
	struct emsmdb_object *obj, *old;
	struct emsmdb_logon *l;
	uint32_t ec;

	/* [MS-OXCROPS] 3.1.4.2: an active LogonId is released and replaced */
	old = emsmdb_session_logon(s, call->req->LogonId);
	if (old != NULL) {
		s->logons[call->req->LogonId] = NULL;
		emsmdb_handles_release(old);
		/* the dispatcher's view of the logon is gone with it */
		call->logon = NULL;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_LOGON, NULL, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	l = talloc_zero(obj, struct emsmdb_logon);
	if (l == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = l;
	l->LogonId = call->req->LogonId;
	ec = (req->LogonFlags & LogonFlags_Private) ?
		emsmdb_logon_private(call, l) : emsmdb_logon_public(call, l);
	if (ec != ecSuccess) {
		return ec;
	}
	s->logons[l->LogonId] = obj;
	call->logon = obj;

	resp->LogonFlags = req->LogonFlags;
	memcpy(resp->FolderIds, l->fids, sizeof(resp->FolderIds));
	resp->ReplId = l->ReplId;
	memcpy(resp->ReplGuid, l->ReplGuid, 16);
	if (l->is_private) {
		/* [MS-OXCSTOR] 2.2.1.1.3: a delegate is neither owner nor SendAs */
		resp->ResponseFlags = emsmdb_acl_is_owner(s, obj) ?
			ResponseFlags_Reserved | ResponseFlags_OwnerRight |
			ResponseFlags_SendAsRight : ResponseFlags_Reserved;
		memcpy(resp->MailboxGuid, l->MailboxGuid, 16);
		emsmdb_logon_time(&resp->LogonTime);
		resp->GwartTime = 0;
		resp->StoreState = 0;
	}
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.5 RopGetStoreState: no search-folder states to report */
uint32_t oxcstor_RopGetStoreState(struct emsmdb_rop_call *call)
{
	call->resp->u.RopGetStoreState.StoreState = 0;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.2 RopGetReceiveFolder */
uint32_t oxcstor_RopGetReceiveFolder(struct emsmdb_rop_call *call)
{
	struct RopGetReceiveFolder_resp *resp = &call->resp->u.RopGetReceiveFolder;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	char *explicit_class = NULL;
	enum mapistore_error ret;

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	ret = openchangedb_get_receive_folder(call->mem_ctx, call->session->ocdb,
		l->mailbox_owner, call->req->u.RopGetReceiveFolder.MessageClass,
		&resp->FolderId, &explicit_class);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->ExplicitMessageClass = explicit_class ? explicit_class : "";
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.3 RopSetReceiveFolder */
uint32_t oxcstor_RopSetReceiveFolder(struct emsmdb_rop_call *call)
{
	const struct RopSetReceiveFolder_req *req = &call->req->u.RopSetReceiveFolder;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	if (!emsmdb_acl_is_owner(call->session, call->logon)) {
		return ecAccessDenied;	/* a delegate: the owner's settings */
	}
	if (req->MessageClass == NULL || strlen(req->MessageClass) > 255) {
		return ecInvalidParam;
	}
	return emsmdb_ms_ec(openchangedb_set_receive_folder(call->session->ocdb,
		l->mailbox_owner, req->MessageClass, req->FolderId));
}

/* [MS-OXCSTOR] 2.2.1.8 RopLongTermIdFromId: GLOBCNT bytes are the top six
 * of an ID, the replica's GUID replaces its REPLID */
uint32_t oxcstor_RopLongTermIdFromId(struct emsmdb_rop_call *call)
{
	uint64_t id = call->req->u.RopLongTermIdFromId.ObjectId;
	struct LongTermID *ltid = &call->resp->u.RopLongTermIdFromId.LongTermId;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	char *guid = NULL;
	int i;

	/* the logon's own REPLID names the replica RopLogon returned
	 * (ReplId / ReplGuid, 2.2.1.1.3): a mailbox has its own replica */
	if (l != NULL && (uint16_t)(id & 0xFFFF) == l->ReplId) {
		memcpy(ltid->DatabaseGuid, l->ReplGuid, 16);
	} else if (openchangedb_replica_get_guid(call->mem_ctx, call->session->ocdb,
					  (uint16_t)(id & 0xFFFF), &guid) !=
	    MAPISTORE_SUCCESS || !emsmdb_guid_parse(guid, ltid->DatabaseGuid)) {
		return ecNotFound;
	}
	for (i = 0; i < 6; i++) {
		ltid->GlobalCounter[i] = (id >> (16 + 8 * i)) & 0xFF;
	}
	ltid->Pad = 0;
	return ecSuccess;
}

static void emsmdb_guid_format(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4],
		 g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* [MS-OXCSTOR] 2.2.1.9 RopIdFromLongTermId */
uint32_t oxcstor_RopIdFromLongTermId(struct emsmdb_rop_call *call)
{
	const struct LongTermID *ltid = &call->req->u.RopIdFromLongTermId.LongTermId;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	uint64_t id = 0;
	uint16_t replid = 0;
	char guid[37];
	int i;

	emsmdb_guid_format(ltid->DatabaseGuid, guid);
	if (l != NULL && memcmp(ltid->DatabaseGuid, l->ReplGuid, 16) == 0) {
		replid = l->ReplId;	/* the logon's replica, as above */
	} else if (openchangedb_replica_get_id(call->session->ocdb, guid, false,
					&replid) != MAPISTORE_SUCCESS) {
		return ecNotFound;
	}
	for (i = 0; i < 6; i++) {
		id |= (uint64_t)ltid->GlobalCounter[i] << (16 + 8 * i);
	}
	call->resp->u.RopIdFromLongTermId.ObjectId = id | replid;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.10 RopGetPerUserLongTermIds: per-user data of public
 * folders is kept per folder; no database lists them */
uint32_t oxcstor_RopGetPerUserLongTermIds(struct emsmdb_rop_call *call)
{
	call->resp->u.RopGetPerUserLongTermIds.LongTermIdCount = 0;
	call->resp->u.RopGetPerUserLongTermIds.LongTermIds = NULL;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.12 RopReadPerUserInformation */
uint32_t oxcstor_RopReadPerUserInformation(struct emsmdb_rop_call *call)
{
	const struct RopReadPerUserInformation_req *req =
		&call->req->u.RopReadPerUserInformation;
	struct RopReadPerUserInformation_resp *resp =
		&call->resp->u.RopReadPerUserInformation;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct mapistore_binary data = { 0, NULL };
	uint8_t ltid[24];
	size_t n;

	if (l == NULL || l->mailbox_owner == NULL) {
		return ecNotSupported;
	}
	memcpy(ltid, req->FolderId.DatabaseGuid, 16);
	memcpy(ltid + 16, req->FolderId.GlobalCounter, 6);
	ltid[22] = req->FolderId.Pad & 0xFF;
	ltid[23] = req->FolderId.Pad >> 8;
	if (openchangedb_per_user_get(call->mem_ctx, call->session->ocdb,
				      l->mailbox_owner, ltid, &data) !=
	    MAPISTORE_SUCCESS) {
		data.length = 0;
	}
	if (req->DataOffset > data.length) {
		return ecInvalidParam;
	}
	n = data.length - req->DataOffset;
	if (n > req->MaxDataSize) {
		n = req->MaxDataSize;
	}
	if (n > call->space / 2) {
		n = call->space / 2;
	}
	resp->HasFinished = req->DataOffset + n == data.length;
	resp->DataSize = (uint16_t)n;
	resp->Data = n ? data.data + req->DataOffset : NULL;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.13 RopWritePerUserInformation: one-piece writes */
uint32_t oxcstor_RopWritePerUserInformation(struct emsmdb_rop_call *call)
{
	const struct RopWritePerUserInformation_req *req =
		&call->req->u.RopWritePerUserInformation;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	uint8_t ltid[24];

	if (l == NULL || l->mailbox_owner == NULL) {
		return ecNotSupported;
	}
	if (req->DataOffset != 0 || !req->HasFinished) {
		/* data spread over several ROPs is not assembled yet */
		return ecNotSupported;
	}
	memcpy(ltid, req->FolderId.DatabaseGuid, 16);
	memcpy(ltid + 16, req->FolderId.GlobalCounter, 6);
	ltid[22] = req->FolderId.Pad & 0xFF;
	ltid[23] = req->FolderId.Pad >> 8;
	return emsmdb_ms_ec(openchangedb_per_user_set(call->session->ocdb,
		l->mailbox_owner, ltid, req->Data, req->DataSize));
}

/* [MS-OXCSTOR] 2.2.1.6 RopGetOwningServers: public folders live here */
uint32_t oxcstor_RopGetOwningServers(struct emsmdb_rop_call *call)
{
	struct RopGetOwningServers_resp *resp = &call->resp->u.RopGetOwningServers;
	const struct emsmdb_config *cfg = call->session->config;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	if (l == NULL || l->is_private) {
		return ecNotSupported;
	}
	resp->OwningServers = talloc_array(call->mem_ctx, char *, 1);
	if (resp->OwningServers == NULL) {
		return ecMAPIOOM;
	}
	resp->OwningServers[0] = talloc_asprintf(call->mem_ctx,
		"/o=%s/ou=%s/cn=Configuration/cn=Servers/cn=%s", cfg->organization,
		cfg->admin_group, cfg->netbios_name);
	if (resp->OwningServers[0] == NULL) {
		return ecMAPIOOM;
	}
	resp->OwningServersCount = 1;
	resp->CheapServersCount = 1;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.7 RopPublicFolderIsGhosted: every replica is here */
uint32_t oxcstor_RopPublicFolderIsGhosted(struct emsmdb_rop_call *call)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	if (l == NULL || l->is_private) {
		return ecNotSupported;
	}
	call->resp->u.RopPublicFolderIsGhosted.IsGhosted = 0;
	return ecSuccess;
}

/*
 * [MS-OXCMSG] Message and Attachment Object Protocol: the message ROPs
 * ([MS-OXCROPS] 2.2.6); recipients are oxcmsg_recip.c's. Attachments are
 * not implemented yet (their rows answer ecNotImplemented).
 */
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"
#include "ics.h"

#include <string.h>

/* [MS-OXCMSG] 2.2.3.1.1 OpenModeFlags, 2.2.3.3.1 SaveFlags */
#define OpenModeFlags_ReadWrite 0x01
#define OpenModeFlags_BestAccess 0x03
#define SaveFlags_KeepOpenReadOnly 0x01
/* [MS-OXPROPS] */
#define PidTagSubjectPrefix 0x003D001F
#define PidTagNormalizedSubject 0x0E1D001F
/* [MS-OXCROPS] 2.2.6.1.2.1 TypedString StringType */
#define StringType_None 0x00
#define StringType_Empty 0x01
#define StringType_Unicode 0x04

static struct emsmdb_message *emsmdb_msg_of(struct emsmdb_object *obj)
{
	return obj->type == EMSMDB_OBJECT_MESSAGE ?
		talloc_get_type(obj->private_data, struct emsmdb_message) : NULL;
}

/* open folder @fid as a child of @mem_ctx; it must be a backend folder */
static uint32_t emsmdb_msg_folder(struct emsmdb_rop_call *call, TALLOC_CTX *mem_ctx,
				  uint64_t fid, struct emsmdb_folder **f_r)
{
	uint32_t ec = emsmdb_folder_open(call->session, mem_ctx, call->logon, fid, f_r);

	if (ec != ecSuccess) {
		return ec;
	}
	/* system folders of openchangedb hold no messages */
	return (*f_r)->mf != NULL ? ecSuccess : ecNotFound;
}

static void emsmdb_typed_string(TALLOC_CTX *mem_ctx,
				const struct mapistore_property *p,
				struct TypedString *ts)
{
	if (mapistore_property_is_error(p) || p->value.str == NULL) {
		ts->StringType = StringType_None;
		ts->String = NULL;
		return;
	}
	if (p->value.str[0] == '\0') {
		ts->StringType = StringType_Empty;
		ts->String = NULL;
		return;
	}
	ts->StringType = StringType_Unicode;
	ts->String = talloc_strdup(mem_ctx, p->value.str);
}

/* [MS-OXCMSG] 2.2.3.1 RopOpenMessage */
uint32_t oxcmsg_RopOpenMessage(struct emsmdb_rop_call *call)
{
	static const uint32_t subject_tags[] = { PidTagSubjectPrefix,
						 PidTagNormalizedSubject };
	const struct RopOpenMessage_req *req = &call->req->u.RopOpenMessage;
	struct RopOpenMessage_resp *resp = &call->resp->u.RopOpenMessage;
	struct mapistore_property *props = NULL;
	struct emsmdb_message *m;
	struct emsmdb_folder *f = NULL;
	struct emsmdb_object *obj;
	enum mapistore_error ret;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_MESSAGE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	m = talloc_zero(obj, struct emsmdb_message);
	if (m == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = m;
	ec = emsmdb_msg_folder(call, m, req->FolderId, &f);
	if (ec != ecSuccess) {
		return ec;
	}
	m->fid = req->FolderId;
	m->mid = req->MessageId;
	m->read_write = (req->OpenModeFlags & OpenModeFlags_ReadWrite) != 0;
	ret = mapistore_message_open(m, f->mf, req->MessageId, m->read_write, &m->mm);
	if (ret == MAPISTORE_ERR_NO_ACCESS &&
	    (req->OpenModeFlags & OpenModeFlags_BestAccess) == OpenModeFlags_BestAccess) {
		m->read_write = false;
		ret = mapistore_message_open(m, f->mf, req->MessageId, false, &m->mm);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	ec = emsmdb_acl_check_message(call, m->fid, m->mm, frightsReadAny, frightsEditOwned);
	if (ec != ecSuccess) {
		return ec;	/* [MS-OXCPERM] 2.2.7 */
	}
	ret = mapistore_properties_get(call->mem_ctx, mapistore_message_object(m->mm),
				       subject_tags, 2, &props);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->HasNamedProperties = 1;
	emsmdb_typed_string(call->mem_ctx, &props[0], &resp->SubjectPrefix);
	emsmdb_typed_string(call->mem_ctx, &props[1], &resp->NormalizedSubject);
	return emsmdb_open_recipients(call, m, resp);
}

/* [MS-OXCMSG] 2.2.3.2 RopCreateMessage */
uint32_t oxcmsg_RopCreateMessage(struct emsmdb_rop_call *call)
{
	const struct RopCreateMessage_req *req = &call->req->u.RopCreateMessage;
	struct RopCreateMessage_resp *resp = &call->resp->u.RopCreateMessage;
	struct emsmdb_message *m;
	struct emsmdb_folder *f = NULL;
	struct emsmdb_object *obj;
	enum mapistore_error ret;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_MESSAGE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	m = talloc_zero(obj, struct emsmdb_message);
	if (m == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = m;
	ec = emsmdb_msg_folder(call, m, req->FolderId, &f);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_acl_check_fid(call, req->FolderId, frightsCreate); /* [MS-OXCPERM] */
	if (ec != ecSuccess) {
		return ec;
	}
	ret = mapistore_message_create(m, f->mf, req->AssociatedFlag != 0, &m->mm);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	emsmdb_acl_stamp_creator(call, m->mm);
	m->fid = req->FolderId;
	m->mid = mapistore_message_get_mid(m->mm);
	m->read_write = true;
	m->is_new = true;
	resp->HasMessageId = m->mid != 0;
	resp->MessageId = m->mid;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.3 RopSaveChangesMessage */
uint32_t oxcmsg_RopSaveChangesMessage(struct emsmdb_rop_call *call)
{
	const struct RopSaveChangesMessage_req *req = &call->req->u.RopSaveChangesMessage;
	struct RopSaveChangesMessage_resp *resp = &call->resp->u.RopSaveChangesMessage;
	struct emsmdb_message *m = emsmdb_msg_of(call->in);
	enum mapistore_error ret;
	uint32_t ec;

	if (m == NULL) {
		return ecNotSupported;
	}
	if (!m->read_write || emsmdb_acl_check_edit(call, m) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] 2.2.7 */
	}
	/* an ICS import in conflict becomes a conflict resolve message
	 * ([MS-OXCFXICS] 3.1.5.6.2.1, ics_conflict.c) */
	ec = ics_conflict_save_hook(call->in, m);
	if (ec != ecSuccess) {
		return ec;
	}
	ret = mapistore_message_save(m->mm);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	m->mid = mapistore_message_get_mid(m->mm);
	emsmdb_raise(call, m->is_new ? fnevObjectCreated : fnevObjectModified,
		     true, m->fid, m->mid, 0);
	m->is_new = false;
	if (req->SaveFlags & SaveFlags_KeepOpenReadOnly) {
		m->read_write = false;
	}
	resp->InputHandleIndex = req->InputHandleIndex;
	resp->MessageId = m->mid;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.11 RopSetMessageReadFlag */
uint32_t oxcmsg_RopSetMessageReadFlag(struct emsmdb_rop_call *call)
{
	const struct RopSetMessageReadFlag_req *req = &call->req->u.RopSetMessageReadFlag;
	struct RopSetMessageReadFlag_resp *resp = &call->resp->u.RopSetMessageReadFlag;
	struct emsmdb_message *m = emsmdb_msg_of(call->in);
	enum mapistore_error ret;

	if (m == NULL) {
		return ecNotSupported;
	}
	ret = mapistore_message_set_read_flag(m->mm, req->ReadFlags);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->ReadStatusChanged = 1;
	resp->LogonId = call->req->LogonId;
	memcpy(resp->ClientData, req->ClientData, sizeof(resp->ClientData));
	return ecSuccess;
}

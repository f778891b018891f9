/*
 * [MS-OXCMSG] Message and Attachment Object Protocol: attachments and
 * embedded messages ([MS-OXCROPS] 2.2.6.12 - 2.2.6.18). The message ROPs
 * are oxcmsg.c's, recipients oxcmsg_recip.c's. See oxcmsg_attach.h for
 * how attachments map onto mapistore.
 */
#include "oxcmsg_attach.h"
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"

#include <string.h>
#include <time.h>

/* [MS-OXCMSG] 2.2.3.12.1 OpenAttachmentFlags, 2.2.3.16.1 OpenModeFlags */
#define OpenAttachmentFlags_ReadWrite 0x01
#define OpenAttachmentFlags_BestAccess 0x03
#define OpenModeFlags_ReadWrite 0x01
#define OpenModeFlags_Create 0x02
/* [MS-OXCMSG] 2.2.3.3.1 SaveFlags */
#define SaveFlags_KeepOpenReadOnly 0x01
/* [MS-OXPROPS] */
#define PidTagSubjectPrefix 0x003D001F
#define PidTagNormalizedSubject 0x0E1D001F
/* [MS-OXCROPS] 2.2.6.1.2.1 TypedString StringType */
#define StringType_None 0x00
#define StringType_Empty 0x01
#define StringType_Unicode 0x04
/* seconds from 1601-01-01 to 1970-01-01 ([MS-DTYP] 2.3.3 FILETIME) */
#define EMSMDB_FILETIME_EPOCH 11644473600ULL

static struct emsmdb_message *emsmdb_att_msg_of(struct emsmdb_object *obj)
{
	return obj != NULL && obj->type == EMSMDB_OBJECT_MESSAGE ?
		talloc_get_type(obj->private_data, struct emsmdb_message) : NULL;
}

static struct emsmdb_attachment *emsmdb_att_of(struct emsmdb_object *obj)
{
	return obj != NULL && obj->type == EMSMDB_OBJECT_ATTACHMENT ?
		talloc_get_type(obj->private_data, struct emsmdb_attachment) : NULL;
}

struct mapistore_object *emsmdb_attachment_store(struct emsmdb_object *obj)
{
	struct emsmdb_attachment *a = emsmdb_att_of(obj);

	return a != NULL ? mapistore_attachment_object(a->ma) : NULL;
}

uint32_t emsmdb_attachment_get_props(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
				     const uint32_t *tags, uint32_t count,
				     struct mapistore_property **props_r)
{
	struct emsmdb_attachment *a = emsmdb_att_of(obj);
	enum mapistore_error ret;
	uint32_t i;

	if (a == NULL) {
		return ecNotSupported;
	}
	ret = mapistore_properties_get(mem_ctx, mapistore_attachment_object(a->ma),
				       tags, count, props_r);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < count; i++) {
		switch (tags[i]) {
		case PidTagAccessLevel:
			/* [MS-OXCPRPT] 2.2.1.2 */
			(*props_r)[i].proptag = tags[i];
			(*props_r)[i].value.i32 = a->read_write ? 1 : 0;
			break;
		case PidTagAttachNumber:
			(*props_r)[i].proptag = tags[i];
			(*props_r)[i].value.i32 = (int32_t)a->aid;
			break;
		}
	}
	return ecSuccess;
}

/* the current time as a FILETIME ([MS-DTYP] 2.3.3) */
static int64_t emsmdb_att_now(void)
{
	return (int64_t)(((uint64_t)time(NULL) + EMSMDB_FILETIME_EPOCH) * 10000000ULL);
}

/* the number of attachments in @m's working copy */
static uint32_t emsmdb_att_count(struct emsmdb_message *m, uint32_t *count_r)
{
	struct mapistore_table *t = NULL;
	enum mapistore_error ret;

	ret = mapistore_message_open_attachment_table(m, m->mm, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(t, count_r);
	}
	talloc_free(t);
	return emsmdb_ms_ec(ret);
}

/*
 * [MS-OXCMSG] 2.2.1.2 PidTagHasAttachments and 2.2.1.6 mfHasAttach follow
 * the attachments: stored on the message (its working copy) so that the
 * contents table sees them once the message is saved.
 */
static uint32_t emsmdb_att_update_message(TALLOC_CTX *mem_ctx, struct emsmdb_message *m)
{
	static const uint32_t flags_tag = PidTagMessageFlags;
	struct mapistore_property *cur = NULL;
	struct mapistore_property set[2];
	enum mapistore_error ret;
	uint32_t n = 0, ec, flags = 0;

	if (!m->read_write) {
		return ecSuccess;
	}
	ec = emsmdb_att_count(m, &n);
	if (ec != ecSuccess) {
		return ec;
	}
	ret = mapistore_properties_get(mem_ctx, mapistore_message_object(m->mm),
				       &flags_tag, 1, &cur);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (!mapistore_property_is_error(&cur[0])) {
		flags = (uint32_t)cur[0].value.i32;
	}
	flags = n > 0 ? (flags | mfHasAttach) : (flags & ~(uint32_t)mfHasAttach);
	set[0].proptag = PidTagHasAttachments;
	set[0].value.b = n > 0;
	set[1].proptag = PidTagMessageFlags;
	set[1].value.i32 = (int32_t)flags;
	return emsmdb_ms_ec(mapistore_properties_set(mapistore_message_object(m->mm),
						     set, 2));
}

/* the size of one value as PidTagAttachSize counts it */
static uint64_t emsmdb_att_value_size(const struct mapistore_property *p)
{
	switch (MAPISTORE_PROP_TYPE(p->proptag)) {
	case PtypBinary:
	case PtypObject:
	case PtypServerId:
		return p->value.bin.length;
	case PtypString:
		/* UTF-16 code units on the wire, terminator included */
		return p->value.str != NULL ? 2 * (strlen(p->value.str) + 1) : 0;
	case PtypString8:
		return p->value.str != NULL ? strlen(p->value.str) + 1 : 0;
	default:
		return 8;
	}
}

/*
 * [MS-OXCMSG] 2.2.2.5 PidTagAttachSize: the size of the attachment's
 * properties, computed when the attachment is saved.
 */
static uint32_t emsmdb_att_set_size(TALLOC_CTX *mem_ctx, struct emsmdb_attachment *a)
{
	struct mapistore_object *mo = mapistore_attachment_object(a->ma);
	struct mapistore_property *props = NULL, size;
	uint32_t *tags = NULL, n = 0, i;
	enum mapistore_error ret;
	uint64_t total = 0;

	ret = mapistore_properties_list(mem_ctx, mo, &tags, &n);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(mem_ctx, mo, tags, n, &props);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < n; i++) {
		if (tags[i] == PidTagAttachSize || mapistore_property_is_error(&props[i])) {
			continue;
		}
		total += emsmdb_att_value_size(&props[i]);
	}
	size.proptag = PidTagAttachSize;
	size.value.i32 = total > INT32_MAX ? INT32_MAX : (int32_t)total;
	return emsmdb_ms_ec(mapistore_properties_set(mo, &size, 1));
}

/*
 * [MS-OXCMSG] 3.2.5.13: a new attachment is not committed until
 * RopSaveChangesAttachment. mapistore created it in the message's working
 * copy, so one released unsaved is taken out again. Only on the release
 * path (RopRelease, or the dispatcher dropping the output of a failed
 * ROP): there the object's last reference is gone while its parent
 * message, and the session's store, still live. When the whole session
 * is freed, refs are not 0 and the working copy goes unsaved anyway.
 */
static int emsmdb_att_destructor(struct emsmdb_attachment *a)
{
	TALLOC_CTX *tmp;

	if (a->committed || a->ma == NULL || a->obj == NULL || a->obj->refs != 0 ||
	    !a->msg->read_write) {
		return 0;
	}
	if (mapistore_message_delete_attachment(a->msg->mm, a->aid) != MAPISTORE_SUCCESS) {
		return 0;
	}
	tmp = talloc_new(NULL);
	if (tmp != NULL) {
		(void)emsmdb_att_update_message(tmp, a->msg);
		talloc_free(tmp);
	}
	return 0;
}

/* a new attachment object under call->in (a message) */
static uint32_t emsmdb_att_new(struct emsmdb_rop_call *call, struct emsmdb_message *m,
			       struct emsmdb_attachment **a_r)
{
	struct emsmdb_object *obj;
	struct emsmdb_attachment *a;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_ATTACHMENT, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	a = talloc_zero(obj, struct emsmdb_attachment);
	if (a == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = a;
	a->msg = m;
	a->obj = obj;
	a->committed = true;
	talloc_set_destructor(a, emsmdb_att_destructor);
	*a_r = a;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.17 RopGetAttachmentTable, 3.2.5.16 */
uint32_t oxcmsg_RopGetAttachmentTable(struct emsmdb_rop_call *call)
{
	const struct RopGetAttachmentTable_req *req = &call->req->u.RopGetAttachmentTable;
	struct emsmdb_message *m = emsmdb_att_msg_of(call->in);
	struct emsmdb_object *obj;
	struct emsmdb_table *t;
	enum mapistore_error ret;
	uint32_t ec;

	if (m == NULL) {
		return ecNullObject;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_TABLE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	t = talloc_zero(obj, struct emsmdb_table);
	if (t == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = t;
	t->kind = EMSMDB_TABLE_ATTACHMENTS;
	/* 2.2.3.17.1: Standard or Unicode; strings are Unicode either way */
	t->TableFlags = req->TableFlags;
	ret = mapistore_message_open_attachment_table(t, m->mm, &t->mt);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(t->mt, &t->count);
	}
	return emsmdb_ms_ec(ret);
}

/* [MS-OXCMSG] 2.2.3.12 RopOpenAttachment, 3.2.5.12 */
uint32_t oxcmsg_RopOpenAttachment(struct emsmdb_rop_call *call)
{
	const struct RopOpenAttachment_req *req = &call->req->u.RopOpenAttachment;
	struct emsmdb_message *m = emsmdb_att_msg_of(call->in);
	struct emsmdb_attachment *a = NULL;
	enum mapistore_error ret;
	uint32_t ec;

	if (m == NULL) {
		return ecNullObject;
	}
	if ((req->OpenAttachmentFlags & OpenAttachmentFlags_BestAccess) ==
	    OpenAttachmentFlags_ReadWrite && !m->read_write) {
		/* ReadWrite asked of a read-only message */
		return ecAccessDenied;
	}
	ec = emsmdb_att_new(call, m, &a);
	if (ec != ecSuccess) {
		return ec;
	}
	a->aid = req->AttachmentID;
	a->read_write = m->read_write &&
		(req->OpenAttachmentFlags & OpenAttachmentFlags_ReadWrite) != 0;
	ret = mapistore_message_open_attachment(a, m->mm, req->AttachmentID, &a->ma);
	return emsmdb_ms_ec(ret);
}

/* [MS-OXCMSG] 2.2.3.13 RopCreateAttachment, 3.2.5.13 */
uint32_t oxcmsg_RopCreateAttachment(struct emsmdb_rop_call *call)
{
	struct emsmdb_message *m = emsmdb_att_msg_of(call->in);
	struct emsmdb_attachment *a = NULL;
	struct mapistore_property init[3];
	enum mapistore_error ret;
	uint32_t ec;

	if (m == NULL) {
		return ecNullObject;
	}
	if (!m->read_write || emsmdb_acl_check_edit(call, m) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	ec = emsmdb_att_new(call, m, &a);
	if (ec != ecSuccess) {
		return ec;
	}
	ret = mapistore_message_create_attachment(a, m->mm, &a->ma, &a->aid);
	if (ret == MAPISTORE_ERR_TOO_BIG) {
		return ecMaxAttachmentExceeded;
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	a->read_write = true;
	a->committed = false;
	/* 3.2.5.13: initial values (PidTagAttachNumber and PidTagAccessLevel
	 * are computed, PidTagAttachSize is set when the attachment is saved) */
	init[0].proptag = PidTagRenderingPosition;
	init[0].value.i32 = -1;
	init[1].proptag = PidTagCreationTime;
	init[1].value.i64 = emsmdb_att_now();
	init[2].proptag = PidTagLastModificationTime;
	init[2].value.i64 = init[1].value.i64;
	ret = mapistore_properties_set(mapistore_attachment_object(a->ma), init, 3);
	if (ret != MAPISTORE_SUCCESS) {
		/* the dispatcher releases the object: the destructor removes it */
		return emsmdb_ms_ec(ret);
	}
	call->resp->u.RopCreateAttachment.AttachmentID = a->aid;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.14 RopDeleteAttachment, 3.2.5.14: the deletion is
 * part of the message's pending changes (committed by RopSaveChangesMessage) */
uint32_t oxcmsg_RopDeleteAttachment(struct emsmdb_rop_call *call)
{
	const struct RopDeleteAttachment_req *req = &call->req->u.RopDeleteAttachment;
	struct emsmdb_message *m = emsmdb_att_msg_of(call->in);
	enum mapistore_error ret;

	if (m == NULL) {
		return ecNullObject;
	}
	if (!m->read_write || emsmdb_acl_check_edit(call, m) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	ret = mapistore_message_delete_attachment(m->mm, req->AttachmentID);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	return emsmdb_att_update_message(call->mem_ctx, m);
}

/* [MS-OXCMSG] 2.2.3.15 RopSaveChangesAttachment, 3.2.5.15 */
uint32_t oxcmsg_RopSaveChangesAttachment(struct emsmdb_rop_call *call)
{
	const struct RopSaveChangesAttachment_req *req =
		&call->req->u.RopSaveChangesAttachment;
	struct emsmdb_attachment *a = emsmdb_att_of(call->in);
	uint32_t ec;

	if (a == NULL) {
		return ecNullObject;
	}
	if (!a->read_write || !a->msg->read_write) {
		return ecAccessDenied;
	}
	ec = emsmdb_att_set_size(call->mem_ctx, a);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_att_update_message(call->mem_ctx, a->msg);
	if (ec != ecSuccess) {
		return ec;
	}
	a->committed = true;
	if (req->SaveFlags & SaveFlags_KeepOpenReadOnly) {
		a->read_write = false;
	}
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.18 RopGetValidAttachments */
uint32_t oxcmsg_RopGetValidAttachments(struct emsmdb_rop_call *call)
{
	static const uint32_t cols[] = { PidTagAttachNumber };
	struct RopGetValidAttachments_resp *resp = &call->resp->u.RopGetValidAttachments;
	struct emsmdb_message *m = emsmdb_att_msg_of(call->in);
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i, k = 0;

	if (m == NULL) {
		return ecNullObject;
	}
	ret = mapistore_message_open_attachment_table(call->mem_ctx, m->mm, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, cols, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		/* AttachmentIdCount is 16 bits */
		ret = mapistore_table_query_rows(call->mem_ctx, t, 0xFFFF, &rows, &n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->AttachmentIdArray = talloc_zero_array(call->mem_ctx, uint32_t, n + 1);
	if (resp->AttachmentIdArray == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n && k < 0xFFFF; i++) {
		if (rows[i].count < 1 || mapistore_property_is_error(&rows[i].props[0])) {
			continue;
		}
		resp->AttachmentIdArray[k++] = (uint32_t)rows[i].props[0].value.i32;
	}
	resp->AttachmentIdCount = (uint16_t)k;
	return ecSuccess;
}

static void emsmdb_att_typed_string(TALLOC_CTX *mem_ctx,
				    const struct mapistore_property *p,
				    struct TypedString *ts)
{
	ts->String = NULL;
	if (mapistore_property_is_error(p) || p->value.str == NULL) {
		ts->StringType = StringType_None;
		return;
	}
	if (p->value.str[0] == '\0') {
		ts->StringType = StringType_Empty;
		return;
	}
	ts->StringType = StringType_Unicode;
	ts->String = talloc_strdup(mem_ctx, p->value.str);
}

/* open (or create) @a's embedded message as the new message object @m */
static uint32_t emsmdb_att_embedded(struct emsmdb_attachment *a, struct emsmdb_message *m,
				    uint8_t OpenModeFlags)
{
	struct mapistore_property method;
	enum mapistore_error ret;
	bool writable = a->read_write && a->msg->read_write;

	if ((OpenModeFlags & (OpenModeFlags_ReadWrite | OpenModeFlags_Create)) &&
	    !writable) {
		return ecAccessDenied;
	}
	ret = mapistore_attachment_open_embedded(m, a->ma, false, &m->mm);
	if (ret == MAPISTORE_ERR_NOT_FOUND && (OpenModeFlags & OpenModeFlags_Create)) {
		/* 2.2.3.16.1 Create: the attachment becomes an embedded message */
		method.proptag = PidTagAttachMethod;
		method.value.i32 = afEmbeddedMessage;
		ret = mapistore_properties_set(mapistore_attachment_object(a->ma),
					       &method, 1);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_attachment_open_embedded(m, a->ma, true, &m->mm);
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	m->read_write = writable &&
		(OpenModeFlags & (OpenModeFlags_ReadWrite | OpenModeFlags_Create)) != 0;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.16 RopOpenEmbeddedMessage, 3.2.5.15 */
uint32_t oxcmsg_RopOpenEmbeddedMessage(struct emsmdb_rop_call *call)
{
	static const uint32_t subject_tags[] = { PidTagSubjectPrefix,
						 PidTagNormalizedSubject };
	const struct RopOpenEmbeddedMessage_req *req = &call->req->u.RopOpenEmbeddedMessage;
	struct RopOpenEmbeddedMessage_resp *resp = &call->resp->u.RopOpenEmbeddedMessage;
	struct emsmdb_attachment *a = emsmdb_att_of(call->in);
	struct RopOpenMessage_resp recips;
	struct mapistore_property *props = NULL;
	struct emsmdb_object *obj;
	struct emsmdb_message *m;
	enum mapistore_error ret;
	uint32_t ec;

	if (a == NULL) {
		return ecNullObject;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_MESSAGE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	m = talloc_zero(obj, struct emsmdb_message);
	if (m == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = m;
	ec = emsmdb_att_embedded(a, m, req->OpenModeFlags);
	if (ec != ecSuccess) {
		return ec;
	}
	/* not a folder's message: its saves go into the attachment, and
	 * RopSaveChangesMessage reports a modification, never new mail */
	m->fid = a->msg->fid;
	m->mid = mapistore_message_get_mid(m->mm);
	m->is_new = false;
	ret = mapistore_properties_get(call->mem_ctx, mapistore_message_object(m->mm),
				       subject_tags, 2, &props);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	memset(&recips, 0, sizeof(recips));
	ec = emsmdb_open_recipients(call, m, &recips);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->Reserved = 0;
	resp->MessageId = m->mid;
	resp->HasNamedProperties = 1;
	emsmdb_att_typed_string(call->mem_ctx, &props[0], &resp->SubjectPrefix);
	emsmdb_att_typed_string(call->mem_ctx, &props[1], &resp->NormalizedSubject);
	resp->RecipientCount = recips.RecipientCount;
	resp->ColumnCount = recips.ColumnCount;
	resp->RecipientColumns = recips.RecipientColumns;
	resp->RowCount = recips.RowCount;
	resp->RecipientRows = recips.RecipientRows;
	return ecSuccess;
}

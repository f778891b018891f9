/*
 * [MS-OXCMSG] recipients: RopModifyRecipients (2.2.3.5), RopReadRecipients
 * (2.2.3.6), RopRemoveAllRecipients (2.2.3.4), and the recipient rows of
 * RopOpenMessage (2.2.3.1.2). A RecipientRow ([MS-OXCDATA] 2.8.3.2) maps
 * to a mapistore recipient: its fixed fields become PidTag* properties,
 * its property row the rest. Rows sent to the client carry the fixed
 * fields only (RecipientColumnCount 0, no columns in RopOpenMessage).
 */
#include "emsmdb_oxc.h"

#include <stdint.h>
#include <string.h>

/* [MS-OXPROPS] recipient properties */
#define PidTagRecipientType		0x0C150003
#define PidTagAddressType		0x3002001F
#define PidTagEmailAddress		0x3003001F
#define PidTagTransmittableDisplayName	0x3A20001F
#define PidTagAddressBookDisplayNamePrintable 0x39FF001F
#define PidTagSearchKey			0x300B0102
#define PidTagDisplayType		0x39000003
/* [MS-OXCMSG] 2.2.3.1.2: code page of Unicode recipient rows */
#define EMSMDB_CP_UNICODE 0x04B0
/* RecipientType: the type bits (1 To, 2 Cc, 3 Bcc) */
#define EMSMDB_RECIPIENT_TYPE_MASK 0x0F

static struct emsmdb_message *emsmdb_msg_of(struct emsmdb_object *obj)
{
	return talloc_get_type(obj->private_data, struct emsmdb_message);
}

static bool emsmdb_add_str(TALLOC_CTX *mem_ctx, struct mapistore_property *props,
			   uint32_t *n, uint32_t tag, const char *value)
{
	if (value == NULL) {
		return true;
	}
	props[*n].proptag = tag;
	props[*n].value.str = talloc_strdup(mem_ctx, value);
	if (props[*n].value.str == NULL) {
		return false;
	}
	(*n)++;
	return true;
}

/* one wire row -> a mapistore recipient (RowId, type, properties) */
static uint32_t emsmdb_recipient_from_wire(TALLOC_CTX *mem_ctx,
					   const struct ModifyRecipientRow *in,
					   const uint32_t *columns,
					   struct mapistore_recipient *out)
{
	const struct RecipientRow *row = in->RecipientRow;
	struct mapistore_property *props;
	uint32_t n = 0, i, ec;
	uint16_t type;

	memset(out, 0, sizeof(*out));
	out->row_id = in->RowId;
	out->type = in->RecipientType & EMSMDB_RECIPIENT_TYPE_MASK;
	if (row == NULL) {
		/* RecipientRowSize 0: the row goes ([MS-OXCMSG] 3.2.5.5) */
		return ecSuccess;
	}
	props = talloc_zero_array(mem_ctx, struct mapistore_property,
				  row->RecipientProperties.ValueCount + 8);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	props[n].proptag = PidTagRecipientType;
	props[n++].value.i32 = (int32_t)out->type;
	type = row->RecipientFlags & RecipientFlags_Type;
	if (type == RecipientType_X500DN) {
		if (!emsmdb_add_str(mem_ctx, props, &n, PidTagAddressType, "EX") ||
		    !emsmdb_add_str(mem_ctx, props, &n, PidTagEmailAddress, row->X500DN)) {
			return ecMAPIOOM;
		}
	} else if (!emsmdb_add_str(mem_ctx, props, &n, PidTagAddressType, row->AddressType) ||
		   !emsmdb_add_str(mem_ctx, props, &n, PidTagEmailAddress, row->EmailAddress)) {
		return ecMAPIOOM;
	}
	if (!emsmdb_add_str(mem_ctx, props, &n, PidTagDisplayName, row->DisplayName) ||
	    !emsmdb_add_str(mem_ctx, props, &n, PidTagTransmittableDisplayName,
			    row->TransmittableDisplayName) ||
	    !emsmdb_add_str(mem_ctx, props, &n, PidTagAddressBookDisplayNamePrintable,
			    row->SimpleDisplayName)) {
		return ecMAPIOOM;
	}
	for (i = 0; i < row->RecipientProperties.ValueCount; i++) {
		const struct RowPropertyValue *v = &row->RecipientProperties.Values[i];
		struct TaggedPropertyValue tv;

		if (v->Flag != 0x00) {
			continue;
		}
		tv.PropertyTag = v->Typed ? MAPISTORE_PROP_TAG(columns[i] >> 16,
							       v->Value.PropertyType)
					  : columns[i];
		tv.Value = v->Value;
		ec = emsmdb_prop_from_wire(props, &tv, &props[n]);
		if (ec == ecNotSupported) {
			continue;
		}
		if (ec != ecSuccess) {
			return ec;
		}
		n++;
	}
	out->count = n;
	out->props = props;
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.3.5 RopModifyRecipients */
uint32_t oxcmsg_RopModifyRecipients(struct emsmdb_rop_call *call)
{
	const struct RopModifyRecipients_req *req = &call->req->u.RopModifyRecipients;
	struct emsmdb_message *m = emsmdb_msg_of(call->in);
	struct mapistore_recipient *recips;
	uint16_t i;
	uint32_t ec;

	if (m == NULL || !m->read_write) {
		return m == NULL ? ecNotSupported : ecAccessDenied;
	}
	recips = talloc_zero_array(call->mem_ctx, struct mapistore_recipient,
				   req->RowCount + 1);
	if (recips == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < req->RowCount; i++) {
		ec = emsmdb_recipient_from_wire(recips, &req->RecipientRows[i],
						req->RecipientColumns, &recips[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return emsmdb_ms_ec(mapistore_message_modify_recipients(m->mm, recips,
								req->RowCount));
}

/* [MS-OXCMSG] 2.2.3.4 RopRemoveAllRecipients */
uint32_t oxcmsg_RopRemoveAllRecipients(struct emsmdb_rop_call *call)
{
	struct emsmdb_message *m = emsmdb_msg_of(call->in);
	struct mapistore_recipient *recips = NULL, *gone;
	uint32_t n = 0, i;
	enum mapistore_error ret;

	if (m == NULL || !m->read_write) {
		return m == NULL ? ecNotSupported : ecAccessDenied;
	}
	ret = mapistore_message_get_recipients(call->mem_ctx, m->mm, &recips, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	gone = talloc_zero_array(call->mem_ctx, struct mapistore_recipient, n + 1);
	if (gone == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		/* a recipient without properties removes that row */
		gone[i].row_id = recips[i].row_id;
		gone[i].type = recips[i].type;
	}
	return emsmdb_ms_ec(mapistore_message_modify_recipients(m->mm, gone, n));
}

static const char *emsmdb_recip_str(const struct mapistore_recipient *r, uint32_t tag)
{
	int i = mapistore_properties_find(r->props, r->count, tag);

	return i >= 0 ? r->props[i].value.str : NULL;
}

/* a mapistore recipient -> the fixed part of a RecipientRow, Unicode */
static void emsmdb_recipient_to_wire(const struct mapistore_recipient *r,
				     struct RecipientRow *row)
{
	const char *type = emsmdb_recip_str(r, PidTagAddressType);
	const char *email = emsmdb_recip_str(r, PidTagEmailAddress);
	const char *name = emsmdb_recip_str(r, PidTagDisplayName);

	memset(row, 0, sizeof(*row));
	row->RecipientFlags = RecipientFlags_U;
	if (type != NULL && strcmp(type, "EX") == 0 && email != NULL) {
		row->RecipientFlags |= RecipientType_X500DN;
		row->X500DN = (char *)(uintptr_t)email;
	} else {
		row->RecipientFlags |= RecipientType_NoType;
		if (type != NULL) {
			row->RecipientFlags |= RecipientFlags_O;
			row->AddressType = (char *)(uintptr_t)type;
		}
		if (email != NULL) {
			row->RecipientFlags |= RecipientFlags_E;
			row->EmailAddress = (char *)(uintptr_t)email;
		}
	}
	if (name != NULL) {
		row->RecipientFlags |= RecipientFlags_D;
		row->DisplayName = (char *)(uintptr_t)name;
	}
	row->RecipientColumnCount = 0;
	row->RecipientProperties.Flag = 0;
	row->RecipientProperties.ValueCount = 0;
}

/* [MS-OXCMSG] 2.2.3.6 RopReadRecipients: from RowId on, as many as fit */
uint32_t oxcmsg_RopReadRecipients(struct emsmdb_rop_call *call)
{
	struct RopReadRecipients_resp *resp = &call->resp->u.RopReadRecipients;
	uint32_t first = call->req->u.RopReadRecipients.RowId, n = 0, i, k = 0;
	struct emsmdb_message *m = emsmdb_msg_of(call->in);
	struct mapistore_recipient *recips = NULL;
	enum mapistore_error ret;

	if (m == NULL) {
		return ecNotSupported;
	}
	ret = mapistore_message_get_recipients(call->mem_ctx, m->mm, &recips, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->RecipientRows = talloc_zero_array(call->mem_ctx, struct ReadRecipientRow,
						n + 1);
	if (resp->RecipientRows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n && k < 0xFF; i++) {
		struct ReadRecipientRow *rr = &resp->RecipientRows[k];

		if (recips[i].row_id < first) {
			continue;
		}
		rr->RowId = recips[i].row_id;
		rr->RecipientType = (uint8_t)recips[i].type;
		rr->CodePageId = EMSMDB_CP_UNICODE;
		emsmdb_recipient_to_wire(&recips[i], &rr->RecipientRow);
		k++;
	}
	if (k == 0) {
		/* [MS-OXCMSG] 3.2.5.6: no row at or after RowId */
		return ecNotFound;
	}
	resp->RowCount = (uint8_t)k;
	return ecSuccess;
}

uint32_t emsmdb_open_recipients(struct emsmdb_rop_call *call,
				struct emsmdb_message *m,
				struct RopOpenMessage_resp *resp)
{
	struct mapistore_recipient *recips = NULL;
	uint32_t n = 0, i;
	enum mapistore_error ret;

	ret = mapistore_message_get_recipients(call->mem_ctx, m->mm, &recips, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (n > 0xFFFF) {
		n = 0xFFFF;
	}
	resp->RecipientCount = (uint16_t)n;
	resp->ColumnCount = 0;
	resp->RowCount = n > 0xFF ? 0xFF : (uint8_t)n;
	resp->RecipientRows = talloc_zero_array(call->mem_ctx, struct OpenRecipientRow,
						resp->RowCount + 1);
	if (resp->RecipientRows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < resp->RowCount; i++) {
		resp->RecipientRows[i].RecipientType = (uint8_t)recips[i].type;
		resp->RecipientRows[i].CodePageId = EMSMDB_CP_UNICODE;
		emsmdb_recipient_to_wire(&recips[i], &resp->RecipientRows[i].RecipientRow);
	}
	return ecSuccess;
}

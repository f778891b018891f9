/*
 * [MS-OXCDATA] 2.8.3 RecipientRow: flag-dependent standard properties
 * followed by RecipientColumnCount property values of the ROP's recipient
 * columns (2.8.3.2).
 */
#include <string.h>

#include "rop.h"
#include "oxcdata_recipient.h"

static enum rop_err pull_xstr(struct oxcdata_pull *pull, bool unicode, char **out)
{
	return unicode ? oxcdata_pull_str16(pull, out) : oxcdata_pull_str8(pull, out, NULL);
}

static enum rop_err push_xstr(struct oxcdata_push *push, bool unicode, const char *s)
{
	if (s == NULL) {
		return ROP_ERR_INVALID;
	}
	return unicode ? oxcdata_push_str16(push, s) : oxcdata_push_str8(push, s);
}

enum rop_err oxcdata_pull_recipient_row(struct oxcdata_pull *pull, const uint32_t *columns,
					uint32_t column_count, bool have_columns,
					struct RecipientRow *row)
{
	enum rop_err err;
	uint16_t flags, type;
	bool unicode;

	memset(row, 0, sizeof(*row));
	err = oxcdata_pull_u16(pull, &row->RecipientFlags);
	if (err != ROP_OK) {
		return err;
	}
	flags = row->RecipientFlags;
	type = flags & RecipientFlags_Type;
	unicode = (flags & RecipientFlags_U) != 0;
	if (type == RecipientType_X500DN) {
		err = oxcdata_pull_u8(pull, &row->AddressPrefixUsed);
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &row->DisplayType);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_str8(pull, &row->X500DN, NULL);
		}
	} else if (type == RecipientType_PersonalDistributionList1 ||
		   type == RecipientType_PersonalDistributionList2) {
		err = oxcdata_pull_u16(pull, &row->EntryIdSize);
		if (err == ROP_OK) {
			err = oxcdata_pull_blob(pull, row->EntryIdSize, &row->EntryId);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u16(pull, &row->SearchKeySize);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_blob(pull, row->SearchKeySize, &row->SearchKey);
		}
	} else if (type == RecipientType_NoType && (flags & RecipientFlags_O)) {
		err = pull_xstr(pull, unicode, &row->AddressType);
	}
	if (err == ROP_OK && (flags & RecipientFlags_E)) {
		err = pull_xstr(pull, unicode, &row->EmailAddress);
	}
	if (err == ROP_OK && (flags & RecipientFlags_D)) {
		err = pull_xstr(pull, unicode, &row->DisplayName);
	}
	if (err == ROP_OK && (flags & RecipientFlags_I)) {
		err = pull_xstr(pull, unicode, &row->SimpleDisplayName);
	}
	if (err == ROP_OK && (flags & RecipientFlags_T)) {
		err = pull_xstr(pull, unicode, &row->TransmittableDisplayName);
	}
	if (err == ROP_OK) {
		err = oxcdata_pull_u16(pull, &row->RecipientColumnCount);
	}
	if (err != ROP_OK) {
		return err;
	}
	if (have_columns) {
		if (row->RecipientColumnCount > column_count) {
			return ROP_ERR_BAD_COUNT;
		}
		return oxcdata_pull_row(pull, columns, row->RecipientColumnCount,
					&row->RecipientProperties);
	}
	/* no columns: keep the property row opaque (it has at least its flag) */
	if (oxcdata_pull_remaining(pull) == 0) {
		return ROP_ERR_TRUNCATED;
	}
	row->RawPropertiesSize = (uint32_t)oxcdata_pull_remaining(pull);
	return oxcdata_pull_blob(pull, row->RawPropertiesSize, &row->RawProperties);
}

enum rop_err oxcdata_push_recipient_row(struct oxcdata_push *push, const struct RecipientRow *row)
{
	uint16_t flags = row->RecipientFlags, type = flags & RecipientFlags_Type;
	bool unicode = (flags & RecipientFlags_U) != 0;
	enum rop_err err = oxcdata_push_u16(push, flags);

	if (err == ROP_OK && type == RecipientType_X500DN) {
		err = oxcdata_push_u8(push, row->AddressPrefixUsed);
		if (err == ROP_OK) {
			err = oxcdata_push_u8(push, row->DisplayType);
		}
		if (err == ROP_OK) {
			err = row->X500DN ? oxcdata_push_str8(push, row->X500DN) : ROP_ERR_INVALID;
		}
	} else if (err == ROP_OK && (type == RecipientType_PersonalDistributionList1 ||
				     type == RecipientType_PersonalDistributionList2)) {
		err = oxcdata_push_u16(push, row->EntryIdSize);
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, row->EntryId, row->EntryIdSize);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u16(push, row->SearchKeySize);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, row->SearchKey, row->SearchKeySize);
		}
	} else if (err == ROP_OK && type == RecipientType_NoType && (flags & RecipientFlags_O)) {
		err = push_xstr(push, unicode, row->AddressType);
	}
	if (err == ROP_OK && (flags & RecipientFlags_E)) {
		err = push_xstr(push, unicode, row->EmailAddress);
	}
	if (err == ROP_OK && (flags & RecipientFlags_D)) {
		err = push_xstr(push, unicode, row->DisplayName);
	}
	if (err == ROP_OK && (flags & RecipientFlags_I)) {
		err = push_xstr(push, unicode, row->SimpleDisplayName);
	}
	if (err == ROP_OK && (flags & RecipientFlags_T)) {
		err = push_xstr(push, unicode, row->TransmittableDisplayName);
	}
	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, row->RecipientColumnCount);
	}
	if (err != ROP_OK) {
		return err;
	}
	if (row->RawProperties != NULL || row->RawPropertiesSize != 0) {
		return oxcdata_push_bytes(push, row->RawProperties, row->RawPropertiesSize);
	}
	return oxcdata_push_row(push, &row->RecipientProperties);
}

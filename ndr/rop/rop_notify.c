/*
 * RopNotify NotificationData, [MS-OXCROPS] 2.2.14.2.1.1 / [MS-OXCNOTIF]
 * 2.2.1.4.1.2: which fields follow NotificationFlags depends on the
 * NotificationType (low 12 bits), the T/U/S/M bits and, for table
 * notifications, TableEventType. One table row per field, with its
 * presence predicate; TableRowData needs the table's columns from the
 * context (rop_ctx.columns) or is kept raw.
 */
#include <stddef.h>
#include <string.h>

#include "rop_private.h"

#define NTYPE(f) ((f) & NotificationType_Mask)
#define IS_M(f) (((f) & NotificationFlags_M) != 0)

static bool is_table(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevTableModified;
}

static bool table_row_event(uint16_t f, uint16_t ev)
{
	return is_table(f, ev) && (ev == TableEventType_TableRowAdded ||
				   ev == TableEventType_TableRowDeleted ||
				   ev == TableEventType_TableRowModified);
}

static bool table_row_event_m(uint16_t f, uint16_t ev)
{
	return table_row_event(f, ev) && IS_M(f);
}

static bool table_insert(uint16_t f, uint16_t ev)
{
	return is_table(f, ev) && (ev == TableEventType_TableRowAdded ||
				   ev == TableEventType_TableRowModified);
}

static bool table_insert_m(uint16_t f, uint16_t ev)
{
	return table_insert(f, ev) && IS_M(f);
}

static bool has_folder(uint16_t f, uint16_t ev)
{
	return NTYPE(f) != fnevTableModified && NTYPE(f) != fnevReserved;
}

static bool has_message(uint16_t f, uint16_t ev)
{
	return has_folder(f, ev) && IS_M(f);
}

static bool object_event(uint16_t f)
{
	uint16_t t = NTYPE(f);

	return t == fnevObjectCreated || t == fnevObjectDeleted ||
	       t == fnevObjectMoved || t == fnevObjectCopied;
}

static bool has_parent(uint16_t f, uint16_t ev)
{
	return object_event(f) && (!IS_M(f) || (f & NotificationFlags_S));
}

static bool moved(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevObjectMoved || NTYPE(f) == fnevObjectCopied;
}

static bool moved_m(uint16_t f, uint16_t ev)
{
	return moved(f, ev) && IS_M(f);
}

static bool moved_folder(uint16_t f, uint16_t ev)
{
	return moved(f, ev) && !IS_M(f);
}

static bool has_tags(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevObjectCreated || NTYPE(f) == fnevObjectModified;
}

static bool has_total(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevObjectModified && (f & NotificationFlags_T);
}

static bool has_unread(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevObjectModified && (f & NotificationFlags_U);
}

static bool new_mail(uint16_t f, uint16_t ev)
{
	return NTYPE(f) == fnevNewMail;
}

enum nf_kind { NF_U16, NF_U32, NF_U64, NF_ROWDATA, NF_TAGS, NF_CLASS };

static const struct {
	enum nf_kind kind;
	size_t offset;
	bool (*present)(uint16_t flags, uint16_t ev);
} notif_fields[] = {
	{ NF_U16, offsetof(struct NotificationData, TableEventType), is_table },
	{ NF_U64, offsetof(struct NotificationData, TableRowFolderID), table_row_event },
	{ NF_U64, offsetof(struct NotificationData, TableRowMessageID), table_row_event_m },
	{ NF_U32, offsetof(struct NotificationData, TableRowInstance), table_row_event_m },
	{ NF_U64, offsetof(struct NotificationData, InsertAfterTableRowFolderID), table_insert },
	{ NF_U64, offsetof(struct NotificationData, InsertAfterTableRowID), table_insert_m },
	{ NF_U32, offsetof(struct NotificationData, InsertAfterTableRowInstance), table_insert_m },
	{ NF_ROWDATA, offsetof(struct NotificationData, TableRowDataSize), table_insert },
	{ NF_U64, offsetof(struct NotificationData, FolderId), has_folder },
	{ NF_U64, offsetof(struct NotificationData, MessageId), has_message },
	{ NF_U64, offsetof(struct NotificationData, ParentFolderId), has_parent },
	{ NF_U64, offsetof(struct NotificationData, OldFolderId), moved },
	{ NF_U64, offsetof(struct NotificationData, OldMessageId), moved_m },
	{ NF_U64, offsetof(struct NotificationData, OldParentFolderId), moved_folder },
	{ NF_TAGS, offsetof(struct NotificationData, TagCount), has_tags },
	{ NF_U32, offsetof(struct NotificationData, TotalMessageCount), has_total },
	{ NF_U32, offsetof(struct NotificationData, UnreadMessageCount), has_unread },
	{ NF_U32, offsetof(struct NotificationData, MessageFlags), new_mail },
	{ NF_CLASS, offsetof(struct NotificationData, UnicodeFlag), new_mail },
};

static enum rop_err pull_rowdata(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				 struct NotificationData *nd)
{
	enum rop_err err = oxcdata_pull_u16(pull, &nd->TableRowDataSize);
	size_t saved;

	if (err != ROP_OK) {
		return err;
	}
	if (nd->TableRowDataSize > oxcdata_pull_remaining(pull)) {
		return ROP_ERR_TRUNCATED;
	}
	if (ctx->columns == NULL) {
		return oxcdata_pull_blob(pull, nd->TableRowDataSize, &nd->RawTableRowData);
	}
	saved = pull->size;
	pull->size = pull->offset + nd->TableRowDataSize;
	err = oxcdata_pull_row(pull, ctx->columns, ctx->column_count, &nd->TableRowData);
	if (err == ROP_OK && pull->offset != pull->size) {
		err = ROP_ERR_FORMAT;
	}
	pull->size = saved;
	return err;
}

static enum rop_err notif_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			       const struct rop_custom_args *args, void *field)
{
	struct NotificationData *nd = field;
	enum rop_err err;
	size_t i;

	memset(nd, 0, sizeof(*nd));
	err = oxcdata_pull_u16(pull, &nd->NotificationFlags);
	for (i = 0; err == ROP_OK && i < sizeof(notif_fields) / sizeof(notif_fields[0]); i++) {
		void *p = (char *)nd + notif_fields[i].offset;

		if (!notif_fields[i].present(nd->NotificationFlags, nd->TableEventType)) {
			continue;
		}
		switch (notif_fields[i].kind) {
		case NF_U16:
			err = oxcdata_pull_u16(pull, p);
			break;
		case NF_U32:
			err = oxcdata_pull_u32(pull, p);
			break;
		case NF_U64:
			err = oxcdata_pull_u64(pull, p);
			break;
		case NF_ROWDATA:
			err = pull_rowdata(pull, ctx, nd);
			break;
		case NF_TAGS:
			err = oxcdata_pull_u16(pull, &nd->TagCount);
			if (err != ROP_OK || nd->TagCount == 0xFFFF || nd->TagCount == 0) {
				break;
			}
			err = oxcdata_pull_check_count(pull, nd->TagCount, 4);
			if (err != ROP_OK) {
				break;
			}
			nd->Tags = talloc_array(pull->mem_ctx, uint32_t, nd->TagCount);
			if (nd->Tags == NULL) {
				return ROP_ERR_NO_MEMORY;
			}
			for (uint16_t k = 0; err == ROP_OK && k < nd->TagCount; k++) {
				err = oxcdata_pull_u32(pull, &nd->Tags[k]);
			}
			break;
		case NF_CLASS:
			err = oxcdata_pull_u8(pull, &nd->UnicodeFlag);
			if (err == ROP_OK) {
				err = nd->UnicodeFlag ? oxcdata_pull_str16(pull, &nd->MessageClass)
						      : oxcdata_pull_str8(pull, &nd->MessageClass, NULL);
			}
			break;
		}
	}
	return err;
}

static enum rop_err notif_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			       const struct rop_custom_args *args, const void *field)
{
	const struct NotificationData *nd = field;
	enum rop_err err = oxcdata_push_u16(push, nd->NotificationFlags);
	size_t i, pos;

	for (i = 0; err == ROP_OK && i < sizeof(notif_fields) / sizeof(notif_fields[0]); i++) {
		const void *p = (const char *)nd + notif_fields[i].offset;

		if (!notif_fields[i].present(nd->NotificationFlags, nd->TableEventType)) {
			continue;
		}
		switch (notif_fields[i].kind) {
		case NF_U16:
			err = oxcdata_push_u16(push, *(const uint16_t *)p);
			break;
		case NF_U32:
			err = oxcdata_push_u32(push, *(const uint32_t *)p);
			break;
		case NF_U64:
			err = oxcdata_push_u64(push, *(const uint64_t *)p);
			break;
		case NF_ROWDATA:
			if (nd->RawTableRowData != NULL || nd->TableRowDataSize == 0) {
				err = oxcdata_push_u16(push, nd->TableRowDataSize);
				if (err == ROP_OK) {
					err = oxcdata_push_bytes(push, nd->RawTableRowData,
								 nd->TableRowDataSize);
				}
				break;
			}
			pos = push->size;
			err = oxcdata_push_u16(push, 0);
			if (err == ROP_OK) {
				err = oxcdata_push_row(push, &nd->TableRowData);
			}
			if (err == ROP_OK && push->size - pos - 2 > UINT16_MAX) {
				err = ROP_ERR_TOO_BIG;
			}
			if (err == ROP_OK) {
				oxcdata_push_patch_u16(push, pos, (uint16_t)(push->size - pos - 2));
			}
			break;
		case NF_TAGS:
			err = oxcdata_push_u16(push, nd->TagCount);
			if (nd->TagCount == 0xFFFF) {
				break;
			}
			if (nd->TagCount > 0 && nd->Tags == NULL) {
				return ROP_ERR_INVALID;
			}
			for (uint16_t k = 0; err == ROP_OK && k < nd->TagCount; k++) {
				err = oxcdata_push_u32(push, nd->Tags[k]);
			}
			break;
		case NF_CLASS:
			if (nd->MessageClass == NULL) {
				return ROP_ERR_INVALID;
			}
			err = oxcdata_push_u8(push, nd->UnicodeFlag);
			if (err == ROP_OK) {
				err = nd->UnicodeFlag ? oxcdata_push_str16(push, nd->MessageClass)
						      : oxcdata_push_str8(push, nd->MessageClass);
			}
			break;
		}
	}
	return err;
}

const struct rop_custom rop_custom_notifdata = { notif_pull, notif_push };

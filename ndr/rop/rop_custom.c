/*
 * Hand-written, context-dependent ROP fields ([MS-OXCROPS] 2.2): property
 * rows whose columns come from the table (RopQueryRows 2.2.5.4, RopFindRow
 * 2.2.5.13, RopExpandRow 2.2.5.16), from the request
 * (RopGetPropertiesSpecific 2.2.8.3) or are fixed
 * (RopGetReceiveFolderTable 2.2.3.4), recipient rows (2.2.6.1, 2.2.6.5,
 * 2.2.6.6) and RopNotify's NotificationData (2.2.14.2.1.1).
 */
#include <string.h>

#include "rop_private.h"

/* Decode a sized region [offset, offset+size) with fn, exactly. */
static enum rop_err pull_region(struct oxcdata_pull *pull, size_t size, size_t *saved)
{
	if (size > oxcdata_pull_remaining(pull)) {
		return ROP_ERR_TRUNCATED;
	}
	*saved = pull->size;
	pull->size = pull->offset + size;
	return ROP_OK;
}

static enum rop_err end_region(struct oxcdata_pull *pull, size_t saved)
{
	if (pull->offset != pull->size) {
		return ROP_ERR_FORMAT;
	}
	pull->size = saved;
	return ROP_OK;
}

static enum rop_err patch_region(struct oxcdata_push *push, size_t pos)
{
	size_t size = push->size - pos - 2;

	if (size > UINT16_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	oxcdata_push_patch_u16(push, pos, (uint16_t)size);
	return ROP_OK;
}

static enum rop_err pull_rows(struct oxcdata_pull *pull, uint32_t count, const uint32_t *cols,
			      uint32_t ncols, struct PropertyRow **out)
{
	enum rop_err err = oxcdata_pull_check_count(pull, count, 1);
	uint32_t i;

	*out = NULL;
	if (err != ROP_OK || count == 0) {
		return err;
	}
	*out = talloc_zero_array(pull->mem_ctx, struct PropertyRow, count);
	if (*out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; err == ROP_OK && i < count; i++) {
		err = oxcdata_pull_row(pull, cols, ncols, &(*out)[i]);
	}
	return err;
}

static enum rop_err push_rows(struct oxcdata_push *push, uint32_t count,
			      const struct PropertyRow *rows)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (count > 0 && rows == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < count; i++) {
		err = oxcdata_push_row(push, &rows[i]);
	}
	return err;
}

static enum rop_err rows_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			      const struct rop_custom_args *args, void *field)
{
	if (args->count > 0 && ctx->columns == NULL) {
		return ROP_ERR_CONTEXT;
	}
	return pull_rows(pull, args->count, ctx->columns, ctx->column_count, field);
}

static enum rop_err rows_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			      const struct rop_custom_args *args, const void *field)
{
	return push_rows(push, args->count, *(struct PropertyRow *const *)field);
}

const struct rop_custom rop_custom_rows = { rows_pull, rows_push };

static enum rop_err row_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			     const struct rop_custom_args *args, void *field)
{
	if (ctx->columns == NULL) {
		return ROP_ERR_CONTEXT;
	}
	return oxcdata_pull_row(pull, ctx->columns, ctx->column_count, field);
}

static enum rop_err row_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			     const struct rop_custom_args *args, const void *field)
{
	return oxcdata_push_row(push, field);
}

const struct rop_custom rop_custom_row = { row_pull, row_push };

/* RopGetPropertiesSpecific: one row over the request's PropertyTags. */
static enum rop_err gps_row_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				 const struct rop_custom_args *args, void *field)
{
	const struct RopGetPropertiesSpecific_req *req;

	if (ctx->request == NULL || ctx->request->RopId != RopGetPropertiesSpecific) {
		return ROP_ERR_CONTEXT;
	}
	req = &ctx->request->u.RopGetPropertiesSpecific;
	return oxcdata_pull_row(pull, req->PropertyTags, req->PropertyTagCount, field);
}

static enum rop_err gps_row_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
				 const struct rop_custom_args *args, const void *field)
{
	const struct PropertyRow *row = field;

	/* the row must answer exactly the tags that were asked for */
	if (ctx->request != NULL && ctx->request->RopId == RopGetPropertiesSpecific &&
	    row->ValueCount != ctx->request->u.RopGetPropertiesSpecific.PropertyTagCount) {
		return ROP_ERR_INVALID;
	}
	return oxcdata_push_row(push, row);
}

const struct rop_custom rop_custom_gps_row = { gps_row_pull, gps_row_push };

/* [MS-OXCROPS] 2.2.3.4.2: rows of PidTagFolderId, PidTagMessageClass (8-bit), PidTagLastModificationTime */
static const uint32_t rcvfolder_columns[] = { 0x67480014, 0x001A001E, 0x30080040 };

static enum rop_err rcvfolder_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				   const struct rop_custom_args *args, void *field)
{
	return pull_rows(pull, args->count, rcvfolder_columns, 3, field);
}

const struct rop_custom rop_custom_rcvfolder_rows = { rcvfolder_pull, rows_push };

/*
 * The part Open and Read recipient rows share ([MS-OXCROPS] 2.2.6.1.2,
 * 2.2.6.6.2): RecipientType, CodePageId, Reserved, then a RecipientRow
 * prefixed by its size, whose 8-bit strings are in the row's code page.
 */
struct coded_recipient {
	uint8_t *RecipientType;
	uint16_t *CodePageId;
	uint16_t *Reserved;
	uint16_t *RecipientRowSize;
	struct RecipientRow *RecipientRow;
};

static enum rop_err pull_coded_recipient(struct oxcdata_pull *pull, const struct coded_recipient *r,
					 const uint32_t *cols, uint32_t ncols, bool cols_known)
{
	uint32_t saved_cp = pull->codepage;
	enum rop_err err = oxcdata_pull_u8(pull, r->RecipientType);
	size_t saved;

	if (err == ROP_OK) {
		err = oxcdata_pull_u16(pull, r->CodePageId);
	}
	if (err == ROP_OK) {
		err = oxcdata_pull_u16(pull, r->Reserved);
	}
	if (err == ROP_OK) {
		err = oxcdata_pull_u16(pull, r->RecipientRowSize);
	}
	if (err == ROP_OK) {
		err = pull_region(pull, *r->RecipientRowSize, &saved);
	}
	if (err != ROP_OK) {
		return err;
	}
	pull->codepage = *r->CodePageId;
	err = oxcdata_pull_recipient_row(pull, cols, ncols, cols_known, r->RecipientRow);
	pull->codepage = saved_cp;
	return err == ROP_OK ? end_region(pull, saved) : err;
}

static enum rop_err push_coded_recipient(struct oxcdata_push *push, uint8_t type, uint16_t cp,
					 uint16_t reserved, const struct RecipientRow *row)
{
	uint32_t saved_cp = push->codepage;
	enum rop_err err = oxcdata_push_u8(push, type);
	size_t pos;

	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, cp);
	}
	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, reserved);
	}
	pos = push->size;
	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, 0);
	}
	push->codepage = cp;
	if (err == ROP_OK) {
		err = oxcdata_push_recipient_row(push, row);
	}
	push->codepage = saved_cp;
	return err == ROP_OK ? patch_region(push, pos) : err;
}

/* RecipientRows of RopOpenMessage and friends: columns from the response. */
static enum rop_err openrecip_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				   const struct rop_custom_args *args, void *field)
{
	struct OpenRecipientRow *rows = NULL;
	enum rop_err err = oxcdata_pull_check_count(pull, args->count, 7);
	uint32_t i;

	*(struct OpenRecipientRow **)field = NULL;
	if (err != ROP_OK || args->count == 0) {
		return err;
	}
	rows = talloc_zero_array(pull->mem_ctx, struct OpenRecipientRow, args->count);
	if (rows == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	*(struct OpenRecipientRow **)field = rows;
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		struct OpenRecipientRow *r = &rows[i];
		struct coded_recipient c = { &r->RecipientType, &r->CodePageId, &r->Reserved,
					     &r->RecipientRowSize, &r->RecipientRow };

		err = pull_coded_recipient(pull, &c, args->cols, args->col_count, true);
	}
	return err;
}

static enum rop_err openrecip_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
				   const struct rop_custom_args *args, const void *field)
{
	const struct OpenRecipientRow *rows = *(struct OpenRecipientRow *const *)field;
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (args->count > 0 && rows == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		err = push_coded_recipient(push, rows[i].RecipientType, rows[i].CodePageId,
					   rows[i].Reserved, &rows[i].RecipientRow);
	}
	return err;
}

const struct rop_custom rop_custom_openrecip = { openrecip_pull, openrecip_push };

/* RopModifyRecipients RecipientRows: columns from the request. */
static enum rop_err modrecip_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				  const struct rop_custom_args *args, void *field)
{
	struct ModifyRecipientRow *rows = NULL;
	enum rop_err err = oxcdata_pull_check_count(pull, args->count, 7);
	uint32_t i;
	size_t saved;

	*(struct ModifyRecipientRow **)field = NULL;
	if (err != ROP_OK || args->count == 0) {
		return err;
	}
	rows = talloc_zero_array(pull->mem_ctx, struct ModifyRecipientRow, args->count);
	if (rows == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	*(struct ModifyRecipientRow **)field = rows;
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		struct ModifyRecipientRow *r = &rows[i];

		err = oxcdata_pull_u32(pull, &r->RowId);
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &r->RecipientType);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u16(pull, &r->RecipientRowSize);
		}
		if (err != ROP_OK || r->RecipientRowSize == 0) {
			continue;
		}
		err = pull_region(pull, r->RecipientRowSize, &saved);
		if (err != ROP_OK) {
			break;
		}
		r->RecipientRow = talloc_zero(rows, struct RecipientRow);
		if (r->RecipientRow == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		err = oxcdata_pull_recipient_row(pull, args->cols, args->col_count, true,
						 r->RecipientRow);
		if (err == ROP_OK) {
			err = end_region(pull, saved);
		}
	}
	return err;
}

static enum rop_err modrecip_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
				  const struct rop_custom_args *args, const void *field)
{
	const struct ModifyRecipientRow *rows = *(struct ModifyRecipientRow *const *)field;
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (args->count > 0 && rows == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		size_t pos;

		err = oxcdata_push_u32(push, rows[i].RowId);
		if (err == ROP_OK) {
			err = oxcdata_push_u8(push, rows[i].RecipientType);
		}
		pos = push->size;
		if (err == ROP_OK) {
			err = oxcdata_push_u16(push, 0);
		}
		if (err == ROP_OK && rows[i].RecipientRow != NULL) {
			err = oxcdata_push_recipient_row(push, rows[i].RecipientRow);
			if (err == ROP_OK) {
				err = patch_region(push, pos);
			}
		}
	}
	return err;
}

const struct rop_custom rop_custom_modrecip = { modrecip_pull, modrecip_push };

/* RopReadRecipients RecipientRows: columns only known from context. */
static enum rop_err readrecip_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
				   const struct rop_custom_args *args, void *field)
{
	struct ReadRecipientRow *rows = NULL;
	enum rop_err err = oxcdata_pull_check_count(pull, args->count, 11);
	uint32_t i;

	*(struct ReadRecipientRow **)field = NULL;
	if (err != ROP_OK || args->count == 0) {
		return err;
	}
	rows = talloc_zero_array(pull->mem_ctx, struct ReadRecipientRow, args->count);
	if (rows == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	*(struct ReadRecipientRow **)field = rows;
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		struct ReadRecipientRow *r = &rows[i];
		struct coded_recipient c = { &r->RecipientType, &r->CodePageId, &r->Reserved,
					     &r->RecipientRowSize, &r->RecipientRow };

		err = oxcdata_pull_u32(pull, &r->RowId);
		if (err == ROP_OK) {
			err = pull_coded_recipient(pull, &c, ctx->columns, ctx->column_count,
						   ctx->columns != NULL);
		}
	}
	return err;
}

static enum rop_err readrecip_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
				   const struct rop_custom_args *args, const void *field)
{
	const struct ReadRecipientRow *rows = *(struct ReadRecipientRow *const *)field;
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (args->count > 0 && rows == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < args->count; i++) {
		err = oxcdata_push_u32(push, rows[i].RowId);
		if (err == ROP_OK) {
			err = push_coded_recipient(push, rows[i].RecipientType, rows[i].CodePageId,
						   rows[i].Reserved, &rows[i].RecipientRow);
		}
	}
	return err;
}

const struct rop_custom rop_custom_readrecip = { readrecip_pull, readrecip_push };

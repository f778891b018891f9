/*
 * The generic ROP codec: interprets the field tables generated from
 * gen/rops.def ([MS-OXCROPS] 2.2.3 - 2.2.15 layouts). Context-dependent
 * fields are delegated to the custom handlers of rop_custom.c.
 */
#include <string.h>

#include "rop_private.h"

#define FIELD_PTR(base, f) ((void *)((char *)(base) + (f)->offset))
#define FIELD_CPTR(base, f) ((const void *)((const char *)(base) + (f)->offset))

static uint64_t field_int(const struct rop_field *f, const void *base)
{
	const void *p = FIELD_CPTR(base, f);

	switch (f->type) {
	case RFT_U8:
	case RFT_SIZE8:
		return *(const uint8_t *)p;
	case RFT_U16:
	case RFT_SIZE16:
		return *(const uint16_t *)p;
	case RFT_U32:
		return *(const uint32_t *)p;
	case RFT_U64:
		return *(const uint64_t *)p;
	default:
		return 0;
	}
}

static bool walk_private(const struct rop_walk *walk, const struct rop_field *fields,
			 uint16_t nfields, const void *base)
{
	uint16_t i;

	if (walk->logon_private >= 0) {
		return walk->logon_private != 0;
	}
	for (i = 0; i < nfields; i++) {
		if (strcmp(fields[i].name, "LogonFlags") == 0) {
			return (field_int(&fields[i], base) & 0x01) != 0;
		}
	}
	return false;
}

static bool cond_holds(const struct rop_cond *c, const struct rop_walk *walk,
		       const struct rop_field *fields, uint16_t nfields, const void *base)
{
	uint64_t v = c->ref >= 0 ? field_int(&fields[c->ref], base) : 0;

	switch (c->kind) {
	case RC_NONE:
		return true;
	case RC_OK:
		return v == 0;
	case RC_RV_EQ:
	case RC_EQ:
		return v == c->value;
	case RC_RV_NE:
	case RC_NE:
		return v != c->value;
	case RC_OK_OR_RV:
		return v == 0 || v == c->value;
	case RC_NZ:
		return v != 0;
	case RC_Z:
		return v == 0;
	case RC_PRIVATE:
		return walk_private(walk, fields, nfields, base);
	case RC_PUBLIC:
		return !walk_private(walk, fields, nfields, base);
	default:
		return false;
	}
}

bool rop_field_present(const struct rop_field *f, const struct rop_walk *walk,
		       const struct rop_field *fields, uint16_t nfields, const void *base)
{
	return cond_holds(&f->cond[0], walk, fields, nfields, base) &&
	       cond_holds(&f->cond[1], walk, fields, nfields, base) &&
	       cond_holds(&f->cond[2], walk, fields, nfields, base);
}

/* Allocate count elements of size bytes after bounding count by the input. */
static enum rop_err pull_array(struct oxcdata_pull *pull, uint64_t count, size_t min_elem,
			       size_t elem_size, void **out)
{
	enum rop_err err = oxcdata_pull_check_count(pull, count, min_elem);

	*out = NULL;
	if (err != ROP_OK || count == 0) {
		return err;
	}
	*out = talloc_zero_size(pull->mem_ctx, (size_t)count * elem_size);
	return *out == NULL ? ROP_ERR_NO_MEMORY : ROP_OK;
}

static void custom_args(const struct rop_field *f, const struct rop_field *fields,
			const void *base, struct rop_custom_args *args)
{
	*args = (struct rop_custom_args) { .base = base };
	if (f->ref >= 0) {
		args->count = (uint32_t)field_int(&fields[f->ref], base);
	}
	if (f->cols_ref >= 0 && f->cols_count_ref >= 0) {
		args->col_count = (uint32_t)field_int(&fields[f->cols_count_ref], base);
		args->cols = *(uint32_t *const *)FIELD_CPTR(base, &fields[f->cols_ref]);
		args->have_cols = true;
	}
}

static enum rop_err pull_records(struct oxcdata_pull *pull, const struct rop_walk *walk,
				 const struct rop_record *rec, uint64_t count, void **out)
{
	enum rop_err err = pull_array(pull, count, 1, rec->size, out);
	uint64_t i;

	for (i = 0; err == ROP_OK && i < count; i++) {
		err = rop_fields_pull(pull, walk, rec->fields, rec->nfields,
				      (char *)*out + i * rec->size);
	}
	return err;
}

static enum rop_err pull_records_to_end(struct oxcdata_pull *pull, const struct rop_walk *walk,
					const struct rop_record *rec, void **out, uint32_t *count_r)
{
	size_t alloc = 0;
	char *arr = NULL;
	enum rop_err err;

	*out = NULL;
	*count_r = 0;
	while (oxcdata_pull_remaining(pull) > 0) {
		if (*count_r == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			arr = talloc_realloc_size(pull->mem_ctx, arr, alloc * rec->size);
			if (arr == NULL) {
				return ROP_ERR_NO_MEMORY;
			}
			*out = arr;
		}
		memset(arr + *count_r * rec->size, 0, rec->size);
		err = rop_fields_pull(pull, walk, rec->fields, rec->nfields,
				      arr + *count_r * rec->size);
		if (err != ROP_OK) {
			return err;
		}
		(*count_r)++;
	}
	return ROP_OK;
}

static enum rop_err pull_field(struct oxcdata_pull *pull, const struct rop_walk *walk,
			       const struct rop_field *fields, const struct rop_field *f,
			       void *base)
{
	void *p = FIELD_PTR(base, f);
	uint64_t count = f->ref >= 0 ? field_int(&fields[f->ref], base) : 0;
	struct rop_custom_args args;
	enum rop_err err = ROP_OK;
	uint64_t i;
	void *arr = NULL;

	switch (f->type) {
	case RFT_U8:
		return oxcdata_pull_u8(pull, p);
	case RFT_U16:
		return oxcdata_pull_u16(pull, p);
	case RFT_U32:
		return oxcdata_pull_u32(pull, p);
	case RFT_U64:
		return oxcdata_pull_u64(pull, p);
	case RFT_FIXED:
		return oxcdata_pull_bytes(pull, p, f->n);
	case RFT_U16_FIXED:
		for (i = 0; err == ROP_OK && i < f->n; i++) {
			err = oxcdata_pull_u16(pull, (uint16_t *)p + i);
		}
		return err;
	case RFT_U64_FIXED:
		for (i = 0; err == ROP_OK && i < f->n; i++) {
			err = oxcdata_pull_u64(pull, (uint64_t *)p + i);
		}
		return err;
	case RFT_LTID:
		return oxcdata_pull_ltid(pull, p);
	case RFT_LOGONTIME: {
		struct LogonTime *t = p;

		err = oxcdata_pull_bytes(pull, &t->Seconds, 1);
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &t->Minutes);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &t->Hour);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &t->DayOfWeek);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &t->Day);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &t->Month);
		}
		return err != ROP_OK ? err : oxcdata_pull_u16(pull, &t->Year);
	}
	case RFT_STR8:
		return oxcdata_pull_str8(pull, p, NULL);
	case RFT_STR8OPT:
		if (oxcdata_pull_remaining(pull) == 0) {
			return ROP_OK;
		}
		return oxcdata_pull_str8(pull, p, NULL);
	case RFT_STR16:
		return oxcdata_pull_str16(pull, p);
	case RFT_XSTR:
		return count ? oxcdata_pull_str16(pull, p) : oxcdata_pull_str8(pull, p, NULL);
	case RFT_TYPEDSTRING:
		return oxcdata_pull_typedstring(pull, p);
	case RFT_RESTRICTION:
		if (oxcdata_pull_remaining(pull) == 0) {
			return ROP_OK;
		}
		*(struct Restriction **)p = talloc_zero(pull->mem_ctx, struct Restriction);
		if (*(struct Restriction **)p == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		return oxcdata_pull_restriction(pull, *(struct Restriction **)p);
	case RFT_SIZE16:
		return oxcdata_pull_u16(pull, p);
	case RFT_SIZE8:
		return oxcdata_pull_u8(pull, p);
	case RFT_BYTES:
		return oxcdata_pull_blob(pull, (size_t)count, p);
	case RFT_U16S:
		err = pull_array(pull, count, 2, sizeof(uint16_t), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_u16(pull, (uint16_t *)arr + i);
		}
		break;
	case RFT_U32S:
		err = pull_array(pull, count, 4, sizeof(uint32_t), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_u32(pull, (uint32_t *)arr + i);
		}
		break;
	case RFT_U64S:
		err = pull_array(pull, count, 8, sizeof(uint64_t), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_u64(pull, (uint64_t *)arr + i);
		}
		break;
	case RFT_LTIDS:
		err = pull_array(pull, count, 24, sizeof(struct LongTermID), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_ltid(pull, (struct LongTermID *)arr + i);
		}
		break;
	case RFT_STR8S:
		err = pull_array(pull, count, 1, sizeof(char *), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_str8(pull, (char **)arr + i, NULL);
		}
		break;
	case RFT_TPV:
		return oxcdata_pull_tagged_values(pull, (uint32_t)count, p);
	case RFT_PROBLEMS:
		err = pull_array(pull, count, 10, sizeof(struct PropertyProblem), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_problem(pull, (struct PropertyProblem *)arr + i);
		}
		break;
	case RFT_SORTORDERS:
		err = pull_array(pull, count, 5, sizeof(struct SortOrder), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_sortorder(pull, (struct SortOrder *)arr + i);
		}
		break;
	case RFT_PROPNAMES:
		err = pull_array(pull, count, 17, sizeof(struct PropertyName), &arr);
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = oxcdata_pull_propname(pull, (struct PropertyName *)arr + i);
		}
		break;
	case RFT_REC:
		err = pull_records(pull, walk, f->rec, count, &arr);
		break;
	case RFT_RECSEND:
		err = pull_records_to_end(pull, walk, f->rec, &arr,
					  (uint32_t *)((char *)base + f->aux_offset));
		break;
	case RFT_REST:
		*(uint32_t *)((char *)base + f->aux_offset) = (uint32_t)oxcdata_pull_remaining(pull);
		return oxcdata_pull_blob(pull, oxcdata_pull_remaining(pull), p);
	case RFT_CUSTOM:
		custom_args(f, fields, base, &args);
		return f->custom->pull(pull, walk->ctx, &args, p);
	default:
		return ROP_ERR_FORMAT;
	}
	*(void **)p = arr;
	return err;
}

enum rop_err rop_fields_pull(struct oxcdata_pull *pull, const struct rop_walk *walk,
			     const struct rop_field *fields, uint16_t nfields, void *base)
{
	int region_end = -1;
	size_t saved_size = 0;
	enum rop_err err;
	uint16_t i;

	for (i = 0; i < nfields && fields[i].name != NULL; i++) {
		const struct rop_field *f = &fields[i];

		if (rop_field_present(f, walk, fields, nfields, base)) {
			err = pull_field(pull, walk, fields, f, base);
			if (err != ROP_OK) {
				return err;
			}
			if (f->type == RFT_SIZE16 || f->type == RFT_SIZE8) {
				size_t size = (size_t)field_int(f, base);

				if (size > oxcdata_pull_remaining(pull)) {
					return ROP_ERR_TRUNCATED;
				}
				saved_size = pull->size;
				pull->size = pull->offset + size;
				region_end = f->ref;
			}
		}
		if (region_end == (int)i) {
			/* a sized region must be consumed exactly */
			if (pull->offset != pull->size) {
				return ROP_ERR_FORMAT;
			}
			pull->size = saved_size;
			region_end = -1;
		}
	}
	return ROP_OK;
}

static enum rop_err push_each(struct oxcdata_push *push, uint64_t count, const void *arr,
			      size_t elem_size,
			      enum rop_err (*fn)(struct oxcdata_push *, const void *))
{
	enum rop_err err = ROP_OK;
	uint64_t i;

	if (count > 0 && arr == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < count; i++) {
		err = fn(push, (const char *)arr + i * elem_size);
	}
	return err;
}

static enum rop_err push_u16_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_u16(push, *(const uint16_t *)p);
}

static enum rop_err push_u32_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_u32(push, *(const uint32_t *)p);
}

static enum rop_err push_u64_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_u64(push, *(const uint64_t *)p);
}

static enum rop_err push_ltid_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_ltid(push, p);
}

static enum rop_err push_str8_elem(struct oxcdata_push *push, const void *p)
{
	const char *s = *(const char *const *)p;

	return s == NULL ? ROP_ERR_INVALID : oxcdata_push_str8(push, s);
}

static enum rop_err push_problem_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_problem(push, p);
}

static enum rop_err push_sortorder_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_sortorder(push, p);
}

static enum rop_err push_propname_elem(struct oxcdata_push *push, const void *p)
{
	return oxcdata_push_propname(push, p);
}

static bool field_holds_pointer(enum rop_ftype type)
{
	switch (type) {
	case RFT_STR8: case RFT_STR8OPT: case RFT_STR16: case RFT_XSTR:
	case RFT_RESTRICTION: case RFT_BYTES: case RFT_U16S: case RFT_U32S:
	case RFT_U64S: case RFT_LTIDS: case RFT_STR8S: case RFT_TPV:
	case RFT_PROBLEMS: case RFT_SORTORDERS: case RFT_PROPNAMES:
	case RFT_REC: case RFT_RECSEND: case RFT_REST:
		return true;
	default:
		return false;
	}
}

static enum rop_err push_field(struct oxcdata_push *push, const struct rop_walk *walk,
			       const struct rop_field *fields, const struct rop_field *f,
			       const void *base)
{
	const void *p = FIELD_CPTR(base, f);
	const void *arr = NULL;
	uint64_t count = f->ref >= 0 ? field_int(&fields[f->ref], base) : 0;
	struct rop_custom_args args;
	enum rop_err err = ROP_OK;
	uint64_t i;

	/* only pointer-typed fields hold a pointer: read it only for them
	 * (a scalar field may be smaller than a pointer, and unaligned) */
	if (field_holds_pointer(f->type)) {
		arr = *(const void *const *)p;
	}
	switch (f->type) {
	case RFT_U8:
		return oxcdata_push_u8(push, *(const uint8_t *)p);
	case RFT_U16:
		return oxcdata_push_u16(push, *(const uint16_t *)p);
	case RFT_U32:
		return oxcdata_push_u32(push, *(const uint32_t *)p);
	case RFT_U64:
		return oxcdata_push_u64(push, *(const uint64_t *)p);
	case RFT_FIXED:
		return oxcdata_push_bytes(push, p, f->n);
	case RFT_U16_FIXED:
		return push_each(push, f->n, p, sizeof(uint16_t), push_u16_elem);
	case RFT_U64_FIXED:
		return push_each(push, f->n, p, sizeof(uint64_t), push_u64_elem);
	case RFT_LTID:
		return oxcdata_push_ltid(push, p);
	case RFT_LOGONTIME: {
		const struct LogonTime *t = p;
		uint8_t b[6] = { t->Seconds, t->Minutes, t->Hour, t->DayOfWeek, t->Day, t->Month };

		err = oxcdata_push_bytes(push, b, sizeof(b));
		return err != ROP_OK ? err : oxcdata_push_u16(push, t->Year);
	}
	case RFT_STR8:
		return arr == NULL ? ROP_ERR_INVALID : oxcdata_push_str8(push, arr);
	case RFT_STR8OPT:
		return oxcdata_push_str8(push, arr);
	case RFT_STR16:
		return arr == NULL ? ROP_ERR_INVALID : oxcdata_push_str16(push, arr);
	case RFT_XSTR:
		if (arr == NULL) {
			return ROP_ERR_INVALID;
		}
		return count ? oxcdata_push_str16(push, arr) : oxcdata_push_str8(push, arr);
	case RFT_TYPEDSTRING:
		return oxcdata_push_typedstring(push, p);
	case RFT_RESTRICTION:
		return arr == NULL ? ROP_OK : oxcdata_push_restriction(push, arr);
	case RFT_SIZE16:
		return oxcdata_push_u16(push, 0);       /* patched at the region end */
	case RFT_SIZE8:
		return oxcdata_push_u8(push, 0);
	case RFT_BYTES:
		if (count > 0 && arr == NULL) {
			return ROP_ERR_INVALID;
		}
		return oxcdata_push_bytes(push, arr, (size_t)count);
	case RFT_U16S:
		return push_each(push, count, arr, sizeof(uint16_t), push_u16_elem);
	case RFT_U32S:
		return push_each(push, count, arr, sizeof(uint32_t), push_u32_elem);
	case RFT_U64S:
		return push_each(push, count, arr, sizeof(uint64_t), push_u64_elem);
	case RFT_LTIDS:
		return push_each(push, count, arr, sizeof(struct LongTermID), push_ltid_elem);
	case RFT_STR8S:
		return push_each(push, count, arr, sizeof(char *), push_str8_elem);
	case RFT_TPV:
		if (count > UINT32_MAX) {
			return ROP_ERR_TOO_BIG;
		}
		return oxcdata_push_tagged_values(push, (uint32_t)count, arr);
	case RFT_PROBLEMS:
		return push_each(push, count, arr, sizeof(struct PropertyProblem), push_problem_elem);
	case RFT_SORTORDERS:
		return push_each(push, count, arr, sizeof(struct SortOrder), push_sortorder_elem);
	case RFT_PROPNAMES:
		return push_each(push, count, arr, sizeof(struct PropertyName), push_propname_elem);
	case RFT_RECSEND:
		count = *(const uint32_t *)((const char *)base + f->aux_offset);
		/* fall through */
	case RFT_REC:
		if (count > 0 && arr == NULL) {
			return ROP_ERR_INVALID;
		}
		for (i = 0; err == ROP_OK && i < count; i++) {
			err = rop_fields_push(push, walk, f->rec->fields, f->rec->nfields,
					      (const char *)arr + i * f->rec->size);
		}
		return err;
	case RFT_REST:
		count = *(const uint32_t *)((const char *)base + f->aux_offset);
		if (count > 0 && arr == NULL) {
			return ROP_ERR_INVALID;
		}
		return oxcdata_push_bytes(push, arr, (size_t)count);
	case RFT_CUSTOM:
		custom_args(f, fields, base, &args);
		return f->custom->push(push, walk->ctx, &args, p);
	default:
		return ROP_ERR_INVALID;
	}
}

enum rop_err rop_fields_push(struct oxcdata_push *push, const struct rop_walk *walk,
			     const struct rop_field *fields, uint16_t nfields, const void *base)
{
	int region_end = -1;
	size_t region_pos = 0;
	uint8_t region_width = 0;
	enum rop_err err;
	uint16_t i;

	for (i = 0; i < nfields && fields[i].name != NULL; i++) {
		const struct rop_field *f = &fields[i];

		if (rop_field_present(f, walk, fields, nfields, base)) {
			if (f->type == RFT_SIZE16 || f->type == RFT_SIZE8) {
				region_pos = push->size;
				region_width = f->type == RFT_SIZE16 ? 2 : 1;
				region_end = f->ref;
			}
			err = push_field(push, walk, fields, f, base);
			if (err != ROP_OK) {
				return err;
			}
		}
		if (region_end == (int)i) {
			size_t size = push->size - region_pos - region_width;

			if (size > (region_width == 2 ? UINT16_MAX : UINT8_MAX)) {
				return ROP_ERR_TOO_BIG;
			}
			if (region_width == 2) {
				oxcdata_push_patch_u16(push, region_pos, (uint16_t)size);
			} else {
				push->data[region_pos] = (uint8_t)size;
			}
			region_end = -1;
		}
	}
	return ROP_OK;
}

const struct rop_info_public *rop_info(uint8_t rop_id)
{
	const struct rop_info *info = &rop_info_table[rop_id];

	return info->pub.name == NULL ? NULL : &info->pub;
}

bool rop_ctx_logon_private(const struct rop_ctx *ctx, uint8_t logon_id)
{
	if (ctx == NULL) {
		return false;
	}
	if (ctx->hooks != NULL && ctx->hooks->logon_is_private != NULL) {
		return ctx->hooks->logon_is_private(ctx->hooks_data, logon_id);
	}
	return ctx->logon_private;
}

static const struct rop_ctx default_ctx;

enum rop_err rop_request_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			      struct rop_request *req)
{
	size_t start = pull->offset;
	const struct rop_info *info;
	struct rop_walk walk;
	enum rop_err err;

	if (ctx == NULL) {
		ctx = &default_ctx;
	}
	memset(req, 0, sizeof(*req));
	err = oxcdata_pull_u8(pull, &req->RopId);
	if (err != ROP_OK) {
		return err;
	}
	info = &rop_info_table[req->RopId];
	if (info->pub.name == NULL || !info->pub.has_request) {
		pull->offset = start;
		return ROP_ERR_UNKNOWN_ROP;
	}
	if (pull->size - start < info->pub.min_request_size) {
		return ROP_ERR_TRUNCATED;
	}
	oxcdata_pull_u8(pull, &req->LogonId);
	walk = (struct rop_walk) {
		.ctx = ctx, .logon_private = rop_ctx_logon_private(ctx, req->LogonId),
	};
	return rop_fields_pull(pull, &walk, info->req.fields, info->req.nfields, &req->u);
}

enum rop_err rop_request_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			      const struct rop_request *req)
{
	const struct rop_info *info = &rop_info_table[req->RopId];
	struct rop_walk walk;
	enum rop_err err;

	if (ctx == NULL) {
		ctx = &default_ctx;
	}
	if (info->pub.name == NULL || !info->pub.has_request) {
		return ROP_ERR_UNKNOWN_ROP;
	}
	err = oxcdata_push_u8(push, req->RopId);
	if (err == ROP_OK) {
		err = oxcdata_push_u8(push, req->LogonId);
	}
	if (err != ROP_OK) {
		return err;
	}
	walk = (struct rop_walk) {
		.ctx = ctx, .logon_private = rop_ctx_logon_private(ctx, req->LogonId),
	};
	return rop_fields_push(push, &walk, info->req.fields, info->req.nfields, &req->u);
}

/* Logon kind for a response: RopLogon answers for its own request. */
static int8_t response_logon_kind(const struct rop_ctx *ctx, uint8_t rop_id)
{
	if (rop_id != RopLogon) {
		return 0;
	}
	if (ctx->request != NULL && ctx->request->RopId == RopLogon) {
		return (ctx->request->u.RopLogon.LogonFlags & 0x01) ? 1 : 0;
	}
	return -1;
}

enum rop_err rop_response_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			       struct rop_response *resp)
{
	size_t start = pull->offset;
	const struct rop_info *info;
	struct rop_walk walk;
	enum rop_err err;

	if (ctx == NULL) {
		ctx = &default_ctx;
	}
	memset(resp, 0, sizeof(*resp));
	err = oxcdata_pull_u8(pull, &resp->RopId);
	if (err != ROP_OK) {
		return err;
	}
	info = &rop_info_table[resp->RopId];
	/*
	 * RopGetMessageStatus is answered with RopId 0x20 ([MS-OXCROPS]
	 * 2.2.6.9.2): a response carrying 0x1F on the wire is not valid.
	 */
	if (info->pub.name == NULL || !info->pub.has_response ||
	    resp->RopId == RopGetMessageStatus) {
		pull->offset = start;
		return ROP_ERR_UNKNOWN_ROP;
	}
	walk = (struct rop_walk) {
		.ctx = ctx, .logon_private = response_logon_kind(ctx, resp->RopId),
	};
	return rop_fields_pull(pull, &walk, info->resp.fields, info->resp.nfields, &resp->u);
}

enum rop_err rop_response_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			       const struct rop_response *resp)
{
	const struct rop_info *info = &rop_info_table[resp->RopId];
	struct rop_walk walk;
	enum rop_err err;
	uint8_t wire_id = resp->RopId;

	if (ctx == NULL) {
		ctx = &default_ctx;
	}
	if (info->pub.name == NULL || !info->pub.has_response) {
		return ROP_ERR_UNKNOWN_ROP;
	}
	/* [MS-OXCROPS] 2.2.6.9.2: RopGetMessageStatus answers with RopId 0x20 */
	if (wire_id == RopGetMessageStatus) {
		wire_id = RopSetMessageStatus;
	}
	err = oxcdata_push_u8(push, wire_id);
	if (err != ROP_OK) {
		return err;
	}
	walk = (struct rop_walk) {
		.ctx = ctx, .logon_private = response_logon_kind(ctx, resp->RopId),
	};
	return rop_fields_push(push, &walk, info->resp.fields, info->resp.nfields, &resp->u);
}

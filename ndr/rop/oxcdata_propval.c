/*
 * Property values in ROP buffers: [MS-OXCDATA] 2.11.1 (encodings, COUNT
 * widths of 2.11.1.1: 16-bit byte counts, 32-bit value counts), 2.11.2-2.11.6
 * (PropertyValue, TypedPropertyValue, TaggedPropertyValue,
 * FlaggedPropertyValue[WithType]), 2.8.1 PropertyRow, [MS-OXORULE] 2.2.5
 * RuleAction with opaque ActionData.
 */
#include <string.h>

#include "oxcdata.h"

static const struct {
	uint16_t type;
	const char *name;
	uint8_t min_size;       /* smallest encoding of one value / MV element */
} ptype_table[] = {
	{ PtypUnspecified, "PtypUnspecified", 0 },
	{ PtypNull, "PtypNull", 0 },
	{ PtypInteger16, "PtypInteger16", 2 },
	{ PtypInteger32, "PtypInteger32", 4 },
	{ PtypFloating32, "PtypFloating32", 4 },
	{ PtypFloating64, "PtypFloating64", 8 },
	{ PtypCurrency, "PtypCurrency", 8 },
	{ PtypFloatingTime, "PtypFloatingTime", 8 },
	{ PtypErrorCode, "PtypErrorCode", 4 },
	{ PtypBoolean, "PtypBoolean", 1 },
	{ PtypObject, "PtypObject", 2 },
	{ PtypInteger64, "PtypInteger64", 8 },
	{ PtypString8, "PtypString8", 1 },
	{ PtypString, "PtypString", 2 },
	{ PtypTime, "PtypTime", 8 },
	{ PtypGuid, "PtypGuid", 16 },
	{ PtypServerId, "PtypServerId", 2 },
	{ PtypRestriction, "PtypRestriction", 1 },
	{ PtypRuleAction, "PtypRuleAction", 2 },
	{ PtypBinary, "PtypBinary", 2 },
	{ PtypMultipleInteger16, "PtypMultipleInteger16", 2 },
	{ PtypMultipleInteger32, "PtypMultipleInteger32", 4 },
	{ PtypMultipleFloating32, "PtypMultipleFloating32", 4 },
	{ PtypMultipleFloating64, "PtypMultipleFloating64", 8 },
	{ PtypMultipleCurrency, "PtypMultipleCurrency", 8 },
	{ PtypMultipleFloatingTime, "PtypMultipleFloatingTime", 8 },
	{ PtypMultipleInteger64, "PtypMultipleInteger64", 8 },
	{ PtypMultipleString8, "PtypMultipleString8", 1 },
	{ PtypMultipleString, "PtypMultipleString", 2 },
	{ PtypMultipleTime, "PtypMultipleTime", 8 },
	{ PtypMultipleGuid, "PtypMultipleGuid", 16 },
	{ PtypMultipleBinary, "PtypMultipleBinary", 2 },
};

static int ptype_index(uint16_t ptype)
{
	size_t i;

	for (i = 0; i < sizeof(ptype_table) / sizeof(ptype_table[0]); i++) {
		if (ptype_table[i].type == ptype) {
			return (int)i;
		}
	}
	return -1;
}

bool oxcdata_ptype_is_valid(uint16_t ptype)
{
	return ptype_index(ptype) >= 0;
}

const char *oxcdata_ptype_name(uint16_t ptype)
{
	int i = ptype_index(ptype);

	return i < 0 ? NULL : ptype_table[i].name;
}

static enum rop_err pull_string8(struct oxcdata_pull *pull, struct oxcdata_string8 *s)
{
	char *raw = NULL;
	size_t len = 0;
	enum rop_err err = oxcdata_pull_str8(pull, &raw, &len);

	if (err != ROP_OK) {
		return err;
	}
	if (len > UINT32_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	s->raw = (uint8_t *)raw;
	s->raw_len = (uint32_t)len;
	/* bytes that the code page cannot map stay available in raw */
	if (oxcdata_cp_to_utf8(pull->mem_ctx, pull->codepage, (uint8_t *)raw, len,
			       &s->utf8) != ROP_OK) {
		s->utf8 = NULL;
	}
	return ROP_OK;
}

static enum rop_err push_string8(struct oxcdata_push *push, const struct oxcdata_string8 *s)
{
	uint8_t *bytes = NULL;
	size_t n = 0;
	enum rop_err err;

	if (s->raw != NULL || s->utf8 == NULL) {
		if (s->raw != NULL && memchr(s->raw, 0, s->raw_len) != NULL) {
			return ROP_ERR_INVALID;
		}
		err = oxcdata_push_bytes(push, s->raw, s->raw_len);
		return err != ROP_OK ? err : oxcdata_push_u8(push, 0);
	}
	err = oxcdata_utf8_to_cp(push->mem_ctx, push->codepage, s->utf8, &bytes, &n);
	if (err != ROP_OK) {
		return err;
	}
	err = oxcdata_push_bytes(push, bytes, n);
	talloc_free(bytes);
	return err != ROP_OK ? err : oxcdata_push_u8(push, 0);
}

static enum rop_err pull_binary(struct oxcdata_pull *pull, struct oxcdata_binary *b)
{
	uint16_t cb;
	enum rop_err err = oxcdata_pull_u16(pull, &cb);

	if (err != ROP_OK) {
		return err;
	}
	b->cb = cb;
	return oxcdata_pull_blob(pull, cb, &b->lpb);
}

static enum rop_err push_binary(struct oxcdata_push *push, const struct oxcdata_binary *b)
{
	enum rop_err err;

	if (b->cb > UINT16_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	err = oxcdata_push_u16(push, (uint16_t)b->cb);
	return err != ROP_OK ? err : oxcdata_push_bytes(push, b->lpb, b->cb);
}

static enum rop_err pull_ruleaction(struct oxcdata_pull *pull, struct RuleAction *a)
{
	enum rop_err err = oxcdata_pull_u16(pull, &a->NoOfActions);
	uint16_t i;

	if (err != ROP_OK) {
		return err;
	}
	/* each ActionBlock is at least ActionLength + 9 bytes */
	err = oxcdata_pull_check_count(pull, a->NoOfActions, 11);
	if (err != ROP_OK || a->NoOfActions == 0) {
		return err;
	}
	a->ActionBlocks = talloc_zero_array(pull->mem_ctx, struct ActionBlock, a->NoOfActions);
	if (a->ActionBlocks == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; i < a->NoOfActions; i++) {
		struct ActionBlock *b = &a->ActionBlocks[i];

		err = oxcdata_pull_u16(pull, &b->ActionLength);
		if (err != ROP_OK) {
			return err;
		}
		if (b->ActionLength < 9) {
			return ROP_ERR_FORMAT;
		}
		if (b->ActionLength > oxcdata_pull_remaining(pull)) {
			return ROP_ERR_TRUNCATED;
		}
		oxcdata_pull_u8(pull, &b->ActionType);
		oxcdata_pull_u32(pull, &b->ActionFlavor);
		oxcdata_pull_u32(pull, &b->ActionFlags);
		b->ActionDataSize = b->ActionLength - 9u;
		err = oxcdata_pull_blob(pull, b->ActionDataSize, &b->ActionData);
		if (err != ROP_OK) {
			return err;
		}
	}
	return ROP_OK;
}

static enum rop_err push_ruleaction(struct oxcdata_push *push, const struct RuleAction *a)
{
	enum rop_err err = oxcdata_push_u16(push, a->NoOfActions);
	uint16_t i;

	if (a->NoOfActions > 0 && a->ActionBlocks == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < a->NoOfActions; i++) {
		const struct ActionBlock *b = &a->ActionBlocks[i];

		if (b->ActionDataSize > UINT16_MAX - 9u) {
			return ROP_ERR_TOO_BIG;
		}
		err = oxcdata_push_u16(push, (uint16_t)(b->ActionDataSize + 9));
		if (err == ROP_OK) {
			err = oxcdata_push_u8(push, b->ActionType);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, b->ActionFlavor);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, b->ActionFlags);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, b->ActionData, b->ActionDataSize);
		}
	}
	return err;
}

static enum rop_err pull_mv(struct oxcdata_pull *pull, uint16_t ptype, struct oxcdata_mv *mv)
{
	enum rop_err err = oxcdata_pull_u32(pull, &mv->Count);
	int idx = ptype_index(ptype);
	uint32_t i;

	if (err != ROP_OK) {
		return err;
	}
	err = oxcdata_pull_check_count(pull, mv->Count, ptype_table[idx].min_size);
	if (err != ROP_OK || mv->Count == 0) {
		return err;
	}
	switch (ptype) {
	case PtypMultipleInteger16:
		mv->v.i2 = talloc_array(pull->mem_ctx, uint16_t, mv->Count);
		if (mv->v.i2 == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; i < mv->Count; i++) {
			oxcdata_pull_u16(pull, &mv->v.i2[i]);
		}
		return ROP_OK;
	case PtypMultipleInteger32:
	case PtypMultipleFloating32:
		mv->v.l = talloc_array(pull->mem_ctx, uint32_t, mv->Count);
		if (mv->v.l == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; i < mv->Count; i++) {
			oxcdata_pull_u32(pull, &mv->v.l[i]);
		}
		return ROP_OK;
	case PtypMultipleFloating64:
	case PtypMultipleCurrency:
	case PtypMultipleFloatingTime:
	case PtypMultipleInteger64:
	case PtypMultipleTime:
		mv->v.d = talloc_array(pull->mem_ctx, uint64_t, mv->Count);
		if (mv->v.d == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; i < mv->Count; i++) {
			oxcdata_pull_u64(pull, &mv->v.d[i]);
		}
		return ROP_OK;
	case PtypMultipleGuid:
		mv->v.guid = (uint8_t (*)[16])talloc_array_size(pull->mem_ctx, 16, mv->Count);
		if (mv->v.guid == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		return oxcdata_pull_bytes(pull, (uint8_t *)mv->v.guid, (size_t)mv->Count * 16);
	case PtypMultipleString:
		mv->v.str = talloc_zero_array(pull->mem_ctx, char *, mv->Count);
		if (mv->v.str == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; err == ROP_OK && i < mv->Count; i++) {
			err = oxcdata_pull_str16(pull, &mv->v.str[i]);
		}
		return err;
	case PtypMultipleString8:
		mv->v.str8 = talloc_zero_array(pull->mem_ctx, struct oxcdata_string8, mv->Count);
		if (mv->v.str8 == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; err == ROP_OK && i < mv->Count; i++) {
			err = pull_string8(pull, &mv->v.str8[i]);
		}
		return err;
	case PtypMultipleBinary:
		mv->v.bin = talloc_zero_array(pull->mem_ctx, struct oxcdata_binary, mv->Count);
		if (mv->v.bin == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		for (i = 0; err == ROP_OK && i < mv->Count; i++) {
			err = pull_binary(pull, &mv->v.bin[i]);
		}
		return err;
	default:
		return ROP_ERR_BAD_PROPTYPE;
	}
}

static enum rop_err push_mv(struct oxcdata_push *push, uint16_t ptype, const struct oxcdata_mv *mv)
{
	enum rop_err err = oxcdata_push_u32(push, mv->Count);
	uint32_t i;

	if (mv->Count > 0 && mv->v.l == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < mv->Count; i++) {
		switch (ptype) {
		case PtypMultipleInteger16:
			err = oxcdata_push_u16(push, mv->v.i2[i]);
			break;
		case PtypMultipleInteger32:
		case PtypMultipleFloating32:
			err = oxcdata_push_u32(push, mv->v.l[i]);
			break;
		case PtypMultipleFloating64:
		case PtypMultipleCurrency:
		case PtypMultipleFloatingTime:
		case PtypMultipleInteger64:
		case PtypMultipleTime:
			err = oxcdata_push_u64(push, mv->v.d[i]);
			break;
		case PtypMultipleGuid:
			err = oxcdata_push_bytes(push, mv->v.guid[i], 16);
			break;
		case PtypMultipleString:
			err = mv->v.str[i] ? oxcdata_push_str16(push, mv->v.str[i]) : ROP_ERR_INVALID;
			break;
		case PtypMultipleString8:
			err = push_string8(push, &mv->v.str8[i]);
			break;
		case PtypMultipleBinary:
			err = push_binary(push, &mv->v.bin[i]);
			break;
		default:
			return ROP_ERR_BAD_PROPTYPE;
		}
	}
	return err;
}

enum rop_err oxcdata_pull_value(struct oxcdata_pull *pull, uint16_t ptype,
				struct PropertyValue *v)
{
	uint32_t u32;
	uint64_t u64;
	enum rop_err err;

	memset(v, 0, sizeof(*v));
	v->PropertyType = ptype;
	switch (ptype) {
	case PtypNull:
		return ROP_OK;
	case PtypInteger16:
		return oxcdata_pull_u16(pull, &v->u.i2);
	case PtypInteger32:
	case PtypErrorCode:
		return oxcdata_pull_u32(pull, &v->u.l);
	case PtypFloating32:
		err = oxcdata_pull_u32(pull, &u32);
		memcpy(&v->u.flt, &u32, sizeof(u32));
		return err;
	case PtypFloating64:
	case PtypFloatingTime:
		err = oxcdata_pull_u64(pull, &u64);
		memcpy(&v->u.dbl, &u64, sizeof(u64));
		return err;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		return oxcdata_pull_u64(pull, &v->u.d);
	case PtypBoolean:
		return oxcdata_pull_u8(pull, &v->u.b);
	case PtypString:
		return oxcdata_pull_str16(pull, &v->u.str);
	case PtypString8:
		return pull_string8(pull, &v->u.str8);
	case PtypGuid:
		return oxcdata_pull_bytes(pull, v->u.guid, 16);
	case PtypBinary:
	case PtypServerId:
	case PtypObject:
		return pull_binary(pull, &v->u.bin);
	case PtypRestriction:
		v->u.res = talloc_zero(pull->mem_ctx, struct Restriction);
		if (v->u.res == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		return oxcdata_pull_restriction(pull, v->u.res);
	case PtypRuleAction:
		v->u.act = talloc_zero(pull->mem_ctx, struct RuleAction);
		if (v->u.act == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		return pull_ruleaction(pull, v->u.act);
	default:
		if ((ptype & 0x1000) != 0 && oxcdata_ptype_is_valid(ptype)) {
			return pull_mv(pull, ptype, &v->u.mv);
		}
		return ROP_ERR_BAD_PROPTYPE;
	}
}

enum rop_err oxcdata_push_value(struct oxcdata_push *push, const struct PropertyValue *v)
{
	uint32_t u32;
	uint64_t u64;

	switch (v->PropertyType) {
	case PtypNull:
		return ROP_OK;
	case PtypInteger16:
		return oxcdata_push_u16(push, v->u.i2);
	case PtypInteger32:
	case PtypErrorCode:
		return oxcdata_push_u32(push, v->u.l);
	case PtypFloating32:
		memcpy(&u32, &v->u.flt, sizeof(u32));
		return oxcdata_push_u32(push, u32);
	case PtypFloating64:
	case PtypFloatingTime:
		memcpy(&u64, &v->u.dbl, sizeof(u64));
		return oxcdata_push_u64(push, u64);
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		return oxcdata_push_u64(push, v->u.d);
	case PtypBoolean:
		return oxcdata_push_u8(push, v->u.b);
	case PtypString:
		return v->u.str ? oxcdata_push_str16(push, v->u.str) : ROP_ERR_INVALID;
	case PtypString8:
		return push_string8(push, &v->u.str8);
	case PtypGuid:
		return oxcdata_push_bytes(push, v->u.guid, 16);
	case PtypBinary:
	case PtypServerId:
	case PtypObject:
		return push_binary(push, &v->u.bin);
	case PtypRestriction:
		return v->u.res ? oxcdata_push_restriction(push, v->u.res) : ROP_ERR_INVALID;
	case PtypRuleAction:
		return v->u.act ? push_ruleaction(push, v->u.act) : ROP_ERR_INVALID;
	default:
		if ((v->PropertyType & 0x1000) != 0 && oxcdata_ptype_is_valid(v->PropertyType)) {
			return push_mv(push, v->PropertyType, &v->u.mv);
		}
		return ROP_ERR_BAD_PROPTYPE;
	}
}

enum rop_err oxcdata_pull_typed_value(struct oxcdata_pull *pull, struct PropertyValue *v)
{
	uint16_t ptype;
	enum rop_err err = oxcdata_pull_u16(pull, &ptype);

	if (err != ROP_OK) {
		return err;
	}
	if (ptype == PtypUnspecified) {
		return ROP_ERR_BAD_PROPTYPE;
	}
	return oxcdata_pull_value(pull, ptype, v);
}

enum rop_err oxcdata_push_typed_value(struct oxcdata_push *push, const struct PropertyValue *v)
{
	enum rop_err err;

	if (v->PropertyType == PtypUnspecified) {
		return ROP_ERR_BAD_PROPTYPE;
	}
	err = oxcdata_push_u16(push, v->PropertyType);
	return err != ROP_OK ? err : oxcdata_push_value(push, v);
}

enum rop_err oxcdata_pull_tagged_value(struct oxcdata_pull *pull, struct TaggedPropertyValue *v)
{
	enum rop_err err = oxcdata_pull_u32(pull, &v->PropertyTag);

	if (err != ROP_OK) {
		return err;
	}
	if (OXCDATA_PROP_TYPE(v->PropertyTag) == PtypUnspecified) {
		return ROP_ERR_BAD_PROPTYPE;
	}
	return oxcdata_pull_value(pull, OXCDATA_PROP_TYPE(v->PropertyTag), &v->Value);
}

enum rop_err oxcdata_push_tagged_value(struct oxcdata_push *push,
				       const struct TaggedPropertyValue *v)
{
	enum rop_err err;

	if (OXCDATA_PROP_TYPE(v->PropertyTag) != v->Value.PropertyType) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_push_u32(push, v->PropertyTag);
	return err != ROP_OK ? err : oxcdata_push_value(push, &v->Value);
}

enum rop_err oxcdata_pull_tagged_values(struct oxcdata_pull *pull, uint32_t count,
					struct TaggedPropertyValue **out)
{
	enum rop_err err = oxcdata_pull_check_count(pull, count, 4);
	uint32_t i;

	*out = NULL;
	if (err != ROP_OK || count == 0) {
		return err;
	}
	*out = talloc_zero_array(pull->mem_ctx, struct TaggedPropertyValue, count);
	if (*out == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; err == ROP_OK && i < count; i++) {
		err = oxcdata_pull_tagged_value(pull, &(*out)[i]);
	}
	return err;
}

enum rop_err oxcdata_push_tagged_values(struct oxcdata_push *push, uint32_t count,
					const struct TaggedPropertyValue *v)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (count > 0 && v == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < count; i++) {
		err = oxcdata_push_tagged_value(push, &v[i]);
	}
	return err;
}

/* One value of a FlaggedPropertyRow: 2.11.5 / 2.11.6. */
static enum rop_err pull_flagged(struct oxcdata_pull *pull, uint16_t ptype,
				 struct RowPropertyValue *rv)
{
	enum rop_err err;

	if (ptype == PtypUnspecified) {
		rv->Typed = true;
		err = oxcdata_pull_u16(pull, &ptype);
		if (err != ROP_OK) {
			return err;
		}
		if (ptype == PtypUnspecified || !oxcdata_ptype_is_valid(ptype)) {
			return ROP_ERR_BAD_PROPTYPE;
		}
	}
	err = oxcdata_pull_u8(pull, &rv->Flag);
	if (err != ROP_OK) {
		return err;
	}
	switch (rv->Flag) {
	case 0x00:
		return oxcdata_pull_value(pull, ptype, &rv->Value);
	case 0x01:
		rv->Value.PropertyType = ptype;
		return ROP_OK;
	case 0x0A:
		rv->Value.PropertyType = ptype;
		return oxcdata_pull_u32(pull, &rv->Value.u.l);
	default:
		return ROP_ERR_FORMAT;
	}
}

enum rop_err oxcdata_pull_row(struct oxcdata_pull *pull, const uint32_t *columns,
			      uint32_t column_count, struct PropertyRow *row)
{
	enum rop_err err;
	uint32_t i;

	memset(row, 0, sizeof(*row));
	err = oxcdata_pull_u8(pull, &row->Flag);
	if (err != ROP_OK) {
		return err;
	}
	if (row->Flag > 0x01) {
		return ROP_ERR_FORMAT;
	}
	/*
	 * Every column takes at least one byte (a value or a flag): PtypNull
	 * columns, which would take none, are refused so that a column set can
	 * never multiply allocations beyond the input size.
	 */
	err = oxcdata_pull_check_count(pull, column_count, 1);
	if (err != ROP_OK) {
		return err;
	}
	for (i = 0; i < column_count; i++) {
		if (OXCDATA_PROP_TYPE(columns[i]) == PtypNull) {
			return ROP_ERR_BAD_PROPTYPE;
		}
	}
	row->ValueCount = column_count;
	if (column_count == 0) {
		return ROP_OK;
	}
	row->Values = talloc_zero_array(pull->mem_ctx, struct RowPropertyValue, column_count);
	if (row->Values == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; i < column_count; i++) {
		struct RowPropertyValue *rv = &row->Values[i];
		uint16_t ptype = OXCDATA_PROP_TYPE(columns[i]);

		if (row->Flag == 0x01) {
			err = pull_flagged(pull, ptype, rv);
		} else if (ptype == PtypUnspecified) {
			rv->Typed = true;
			err = oxcdata_pull_typed_value(pull, &rv->Value);
		} else {
			err = oxcdata_pull_value(pull, ptype, &rv->Value);
		}
		if (err != ROP_OK) {
			return err;
		}
	}
	return ROP_OK;
}

enum rop_err oxcdata_push_row(struct oxcdata_push *push, const struct PropertyRow *row)
{
	enum rop_err err;
	uint32_t i;

	if (row->Flag > 0x01 || (row->ValueCount > 0 && row->Values == NULL)) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_push_u8(push, row->Flag);
	for (i = 0; err == ROP_OK && i < row->ValueCount; i++) {
		const struct RowPropertyValue *rv = &row->Values[i];

		if (row->Flag == 0x00) {
			err = rv->Typed ? oxcdata_push_typed_value(push, &rv->Value)
					: oxcdata_push_value(push, &rv->Value);
			continue;
		}
		if (rv->Typed) {
			err = oxcdata_push_u16(push, rv->Value.PropertyType);
			if (err != ROP_OK) {
				break;
			}
		}
		err = oxcdata_push_u8(push, rv->Flag);
		if (err != ROP_OK) {
			break;
		}
		switch (rv->Flag) {
		case 0x00:
			err = oxcdata_push_value(push, &rv->Value);
			break;
		case 0x01:
			break;
		case 0x0A:
			err = oxcdata_push_u32(push, rv->Value.u.l);
			break;
		default:
			err = ROP_ERR_INVALID;
			break;
		}
	}
	return err;
}

enum rop_err oxcdata_pull_problem(struct oxcdata_pull *pull, struct PropertyProblem *p)
{
	enum rop_err err = oxcdata_pull_u16(pull, &p->Index);

	if (err == ROP_OK) {
		err = oxcdata_pull_u32(pull, &p->PropertyTag);
	}
	if (err == ROP_OK) {
		err = oxcdata_pull_u32(pull, &p->ErrorCode);
	}
	return err;
}

enum rop_err oxcdata_push_problem(struct oxcdata_push *push, const struct PropertyProblem *p)
{
	enum rop_err err = oxcdata_push_u16(push, p->Index);

	if (err == ROP_OK) {
		err = oxcdata_push_u32(push, p->PropertyTag);
	}
	return err != ROP_OK ? err : oxcdata_push_u32(push, p->ErrorCode);
}

enum rop_err oxcdata_pull_propname(struct oxcdata_pull *pull, struct PropertyName *n)
{
	enum rop_err err = oxcdata_pull_u8(pull, &n->Kind);
	const uint8_t *name;

	if (err == ROP_OK) {
		err = oxcdata_pull_bytes(pull, n->Guid, 16);
	}
	if (err != ROP_OK) {
		return err;
	}
	switch (n->Kind) {
	case 0x00:
		return oxcdata_pull_u32(pull, &n->LID);
	case 0x01:
		err = oxcdata_pull_u8(pull, &n->NameSize);
		if (err != ROP_OK) {
			return err;
		}
		if (n->NameSize < 2 || n->NameSize % 2 != 0) {
			return ROP_ERR_BAD_STRING;
		}
		if (n->NameSize > oxcdata_pull_remaining(pull)) {
			return ROP_ERR_TRUNCATED;
		}
		name = pull->data + pull->offset;
		if (name[n->NameSize - 2] != 0 || name[n->NameSize - 1] != 0) {
			return ROP_ERR_BAD_STRING;
		}
		err = oxcdata_utf16_to_utf8(pull->mem_ctx, name, n->NameSize - 2u, &n->Name);
		if (err == ROP_OK) {
			pull->offset += n->NameSize;
		}
		return err;
	case 0xFF:
		return ROP_OK;
	default:
		return ROP_ERR_FORMAT;
	}
}

enum rop_err oxcdata_push_propname(struct oxcdata_push *push, const struct PropertyName *n)
{
	enum rop_err err = oxcdata_push_u8(push, n->Kind);
	uint8_t *u16 = NULL;
	size_t len = 0;

	if (err == ROP_OK) {
		err = oxcdata_push_bytes(push, n->Guid, 16);
	}
	if (err != ROP_OK) {
		return err;
	}
	switch (n->Kind) {
	case 0x00:
		return oxcdata_push_u32(push, n->LID);
	case 0x01:
		if (n->Name == NULL) {
			return ROP_ERR_INVALID;
		}
		err = oxcdata_utf8_to_utf16(push->mem_ctx, n->Name, &u16, &len);
		if (err != ROP_OK) {
			return err;
		}
		if (len + 2 > UINT8_MAX) {
			talloc_free(u16);
			return ROP_ERR_TOO_BIG;
		}
		err = oxcdata_push_u8(push, (uint8_t)(len + 2));
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, u16, len);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u16(push, 0);
		}
		talloc_free(u16);
		return err;
	case 0xFF:
		return ROP_OK;
	default:
		return ROP_ERR_INVALID;
	}
}

enum rop_err oxcdata_pull_sortorder(struct oxcdata_pull *pull, struct SortOrder *s)
{
	enum rop_err err = oxcdata_pull_u16(pull, &s->PropertyType);

	if (err == ROP_OK) {
		err = oxcdata_pull_u16(pull, &s->PropertyId);
	}
	return err != ROP_OK ? err : oxcdata_pull_u8(pull, &s->Order);
}

enum rop_err oxcdata_push_sortorder(struct oxcdata_push *push, const struct SortOrder *s)
{
	enum rop_err err = oxcdata_push_u16(push, s->PropertyType);

	if (err == ROP_OK) {
		err = oxcdata_push_u16(push, s->PropertyId);
	}
	return err != ROP_OK ? err : oxcdata_push_u8(push, s->Order);
}

enum rop_err oxcdata_pull_typedstring(struct oxcdata_pull *pull, struct TypedString *s)
{
	enum rop_err err = oxcdata_pull_u8(pull, &s->StringType);

	s->String = NULL;
	if (err != ROP_OK) {
		return err;
	}
	switch (s->StringType) {
	case 0x00:
	case 0x01:
		return ROP_OK;
	case 0x02:
	case 0x03:
		return oxcdata_pull_str8(pull, &s->String, NULL);
	case 0x04:
		return oxcdata_pull_str16(pull, &s->String);
	default:
		return ROP_ERR_FORMAT;
	}
}

enum rop_err oxcdata_push_typedstring(struct oxcdata_push *push, const struct TypedString *s)
{
	enum rop_err err = oxcdata_push_u8(push, s->StringType);

	if (err != ROP_OK || s->StringType <= 0x01) {
		return s->StringType > 0x04 ? ROP_ERR_INVALID : err;
	}
	if (s->String == NULL || s->StringType > 0x04) {
		return ROP_ERR_INVALID;
	}
	if (s->StringType == 0x04) {
		return oxcdata_push_str16(push, s->String);
	}
	return oxcdata_push_str8(push, s->String);
}

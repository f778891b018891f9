/*
 * Property values between the wire ([MS-OXCDATA] 2.11: the ndr/rop
 * PropertyValue) and mapistore (struct mapistore_property). Strings are
 * UTF-8 on both sides here: the codec converts PtypString and PtypString8
 * (in the session's code page) when it encodes.
 */
#include "emsmdb_store.h"
#include "oxorule.h"

#include <string.h>

uint32_t emsmdb_ms_ec(enum mapistore_error err)
{
	return mapistore_error_to_mapi(err);
}

/* one scalar value of base type @type */
static uint32_t emsmdb_scalar_from_wire(TALLOC_CTX *mem_ctx, uint16_t type,
					const struct PropertyValue *in,
					union mapistore_value *out)
{
	switch (type) {
	case PtypInteger16:
		out->i16 = (int16_t)in->u.i2;
		return ecSuccess;
	case PtypInteger32:
	case PtypErrorCode:
		out->i32 = (int32_t)in->u.l;
		return ecSuccess;
	case PtypFloating32:
		out->f32 = in->u.flt;
		return ecSuccess;
	case PtypFloating64:
	case PtypFloatingTime:
		out->f64 = in->u.dbl;
		return ecSuccess;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		out->i64 = (int64_t)in->u.d;
		return ecSuccess;
	case PtypBoolean:
		out->b = in->u.b != 0;
		return ecSuccess;
	case PtypString:
		out->str = talloc_strdup(mem_ctx, in->u.str ? in->u.str : "");
		return out->str ? ecSuccess : ecMAPIOOM;
	case PtypString8:
		/* bytes the code page could not convert are refused */
		if (in->u.str8.utf8 == NULL) {
			return ecInvalidParam;
		}
		out->str = talloc_strdup(mem_ctx, in->u.str8.utf8);
		return out->str ? ecSuccess : ecMAPIOOM;
	case PtypGuid:
		out->bin.length = 16;
		out->bin.data = talloc_memdup(mem_ctx, in->u.guid, 16);
		return out->bin.data ? ecSuccess : ecMAPIOOM;
	case PtypBinary:
	case PtypServerId:
	case PtypObject:
		out->bin.length = in->u.bin.cb;
		out->bin.data = in->u.bin.cb ?
			talloc_memdup(mem_ctx, in->u.bin.lpb, in->u.bin.cb) :
			talloc_zero_size(mem_ctx, 1);
		return out->bin.data ? ecSuccess : ecMAPIOOM;
	default:
		/* PtypRestriction, PtypRuleAction: rules (oxorule) only */
		return ecNotSupported;
	}
}

/* element @i of a wire multi-value as a scalar PropertyValue */
static void emsmdb_mv_element(uint16_t base, const struct oxcdata_mv *mv,
			      uint32_t i, struct PropertyValue *v)
{
	memset(v, 0, sizeof(*v));
	v->PropertyType = base;
	switch (base) {
	case PtypInteger16:
		v->u.i2 = mv->v.i2[i];
		break;
	case PtypInteger32:
		v->u.l = mv->v.l[i];
		break;
	case PtypFloating32:
		memcpy(&v->u.flt, &mv->v.l[i], 4);
		break;
	case PtypFloating64:
	case PtypFloatingTime:
		memcpy(&v->u.dbl, &mv->v.d[i], 8);
		break;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		v->u.d = mv->v.d[i];
		break;
	case PtypString:
		v->u.str = mv->v.str[i];
		break;
	case PtypString8:
		v->u.str8 = mv->v.str8[i];
		break;
	case PtypGuid:
		memcpy(v->u.guid, mv->v.guid[i], 16);
		break;
	case PtypBinary:
		v->u.bin = mv->v.bin[i];
		break;
	}
}

uint32_t emsmdb_prop_from_wire(TALLOC_CTX *mem_ctx,
			       const struct TaggedPropertyValue *in,
			       struct mapistore_property *out)
{
	uint16_t type = OXCDATA_PROP_TYPE(in->PropertyTag);
	struct mapistore_mv *mv;
	uint32_t i, ec;

	memset(out, 0, sizeof(*out));
	out->proptag = in->PropertyTag;
	if (!(type & PtypMultipleFlag)) {
		return emsmdb_scalar_from_wire(mem_ctx, type, &in->Value, &out->value);
	}
	if (in->Value.u.mv.Count > MAPISTORE_MAX_MV_COUNT) {
		return ecInvalidParam;
	}
	mv = talloc_zero(mem_ctx, struct mapistore_mv);
	if (mv == NULL) {
		return ecMAPIOOM;
	}
	mv->count = in->Value.u.mv.Count;
	mv->values = talloc_zero_array(mv, union mapistore_value, mv->count + 1);
	if (mv->values == NULL) {
		talloc_free(mv);
		return ecMAPIOOM;
	}
	for (i = 0; i < mv->count; i++) {
		struct PropertyValue v;

		emsmdb_mv_element(type & ~PtypMultipleFlag, &in->Value.u.mv, i, &v);
		ec = emsmdb_scalar_from_wire(mv, type & ~PtypMultipleFlag, &v,
					     &mv->values[i]);
		if (ec != ecSuccess) {
			talloc_free(mv);
			return ec;
		}
	}
	out->value.mv = mv;
	return ecSuccess;
}

static uint32_t emsmdb_scalar_to_wire(TALLOC_CTX *mem_ctx, uint16_t type,
				      const union mapistore_value *in,
				      struct PropertyValue *out)
{
	out->PropertyType = type;
	switch (type) {
	case PtypInteger16:
		out->u.i2 = (uint16_t)in->i16;
		return ecSuccess;
	case PtypInteger32:
	case PtypErrorCode:
		out->u.l = (uint32_t)in->i32;
		return ecSuccess;
	case PtypFloating32:
		out->u.flt = in->f32;
		return ecSuccess;
	case PtypFloating64:
	case PtypFloatingTime:
		out->u.dbl = in->f64;
		return ecSuccess;
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime:
		out->u.d = (uint64_t)in->i64;
		return ecSuccess;
	case PtypBoolean:
		out->u.b = in->b ? 1 : 0;
		return ecSuccess;
	case PtypString:
		out->u.str = talloc_strdup(mem_ctx, in->str ? in->str : "");
		return out->u.str ? ecSuccess : ecMAPIOOM;
	case PtypString8:
		out->u.str8.utf8 = talloc_strdup(mem_ctx, in->str ? in->str : "");
		out->u.str8.raw = NULL;
		out->u.str8.raw_len = 0;
		return out->u.str8.utf8 ? ecSuccess : ecMAPIOOM;
	case PtypGuid:
		if (in->bin.length != 16) {
			return ecError;
		}
		memcpy(out->u.guid, in->bin.data, 16);
		return ecSuccess;
	case PtypBinary:
	case PtypServerId:
	case PtypObject:
		out->u.bin.cb = (uint32_t)in->bin.length;
		out->u.bin.lpb = in->bin.data;
		return ecSuccess;
	case PtypRestriction:
		/* rules (oxorule.c): stored as their wire bytes */
		return oxorule_condition_decode(mem_ctx, in->bin.data, in->bin.length,
						&out->u.res) == ROP_OK ? ecSuccess : ecError;
	case PtypRuleAction:
		return oxorule_actions_decode(mem_ctx, in->bin.data, in->bin.length,
					      &out->u.act) == ROP_OK ? ecSuccess : ecError;
	default:
		return ecNotSupported;
	}
}

/* the value of @in as type @type (String <-> String8 as the column asks) */
static uint32_t emsmdb_value_to_wire(TALLOC_CTX *mem_ctx, uint16_t type,
				     const struct mapistore_property *in,
				     struct PropertyValue *out)
{
	const struct mapistore_mv *mv = in->value.mv;
	uint16_t base = type & ~PtypMultipleFlag;
	uint32_t i, ec;

	memset(out, 0, sizeof(*out));
	if (!(type & PtypMultipleFlag)) {
		return emsmdb_scalar_to_wire(mem_ctx, type, &in->value, out);
	}
	out->PropertyType = type;
	out->u.mv.Count = mv ? mv->count : 0;
	for (i = 0; i < out->u.mv.Count; i++) {
		struct PropertyValue v;

		memset(&v, 0, sizeof(v));
		ec = emsmdb_scalar_to_wire(mem_ctx, base, &mv->values[i], &v);
		if (ec != ecSuccess) {
			return ec;
		}
		if (i == 0) {
			/* allocate the typed array on the first element */
			switch (base) {
			case PtypInteger16:
				out->u.mv.v.i2 = talloc_array(mem_ctx, uint16_t, mv->count);
				break;
			case PtypInteger32:
			case PtypFloating32:
				out->u.mv.v.l = talloc_array(mem_ctx, uint32_t, mv->count);
				break;
			case PtypString:
				out->u.mv.v.str = talloc_array(mem_ctx, char *, mv->count);
				break;
			case PtypString8:
				out->u.mv.v.str8 = talloc_array(mem_ctx, struct oxcdata_string8,
								mv->count);
				break;
			case PtypGuid:
				out->u.mv.v.guid = (uint8_t (*)[16])talloc_array_size(mem_ctx, 16,
										       mv->count);
				break;
			case PtypBinary:
				out->u.mv.v.bin = talloc_array(mem_ctx, struct oxcdata_binary,
							       mv->count);
				break;
			default:
				out->u.mv.v.d = talloc_array(mem_ctx, uint64_t, mv->count);
				break;
			}
			if (out->u.mv.v.d == NULL) {
				return ecMAPIOOM;
			}
		}
		switch (base) {
		case PtypInteger16:
			out->u.mv.v.i2[i] = v.u.i2;
			break;
		case PtypInteger32:
			out->u.mv.v.l[i] = v.u.l;
			break;
		case PtypFloating32:
			memcpy(&out->u.mv.v.l[i], &v.u.flt, 4);
			break;
		case PtypFloating64:
		case PtypFloatingTime:
			memcpy(&out->u.mv.v.d[i], &v.u.dbl, 8);
			break;
		case PtypString:
			out->u.mv.v.str[i] = v.u.str;
			break;
		case PtypString8:
			out->u.mv.v.str8[i] = v.u.str8;
			break;
		case PtypGuid:
			memcpy(out->u.mv.v.guid[i], v.u.guid, 16);
			break;
		case PtypBinary:
			out->u.mv.v.bin[i] = v.u.bin;
			break;
		default:
			out->u.mv.v.d[i] = v.u.d;
			break;
		}
	}
	return ecSuccess;
}

uint32_t emsmdb_prop_to_row_value(TALLOC_CTX *mem_ctx, uint32_t tag,
				  const struct mapistore_property *in,
				  struct RowPropertyValue *out)
{
	uint16_t want = OXCDATA_PROP_TYPE(tag);
	uint16_t have = MAPISTORE_PROP_TYPE(in->proptag);
	uint32_t ec;

	memset(out, 0, sizeof(*out));
	/* a PtypUnspecified column carries its type, errors included
	 * ([MS-OXCDATA] 2.11.6 FlaggedPropertyValueWithType) */
	out->Typed = want == PtypUnspecified;
	if (have == PtypErrorCode && want != PtypErrorCode) {
		out->Flag = 0x0A;
		out->Value.PropertyType = PtypErrorCode;
		out->Value.u.l = (uint32_t)in->value.i32;
		return ecSuccess;
	}
	out->Typed = want == PtypUnspecified;
	if (want == PtypUnspecified) {
		want = have;
	}
	/* String and String8 are one value in two encodings ([MS-OXCDATA]
	 * 2.11.1); other type mismatches are ecNotFound for that column */
	if (want != have && !((want & ~PtypMultipleFlag) == PtypString8 &&
			      (have & ~PtypMultipleFlag) == PtypString) &&
	    !((want & ~PtypMultipleFlag) == PtypString &&
	      (have & ~PtypMultipleFlag) == PtypString8)) {
		out->Flag = 0x0A;
		out->Value.PropertyType = PtypErrorCode;
		out->Value.u.l = ecNotFound;
		return ecSuccess;
	}
	ec = emsmdb_value_to_wire(mem_ctx, want, in, &out->Value);
	if (ec == ecNotSupported) {
		out->Flag = 0x0A;
		out->Value.PropertyType = PtypErrorCode;
		out->Value.u.l = ecNotSupported;
		return ecSuccess;
	}
	return ec;
}

uint32_t emsmdb_props_to_row(TALLOC_CTX *mem_ctx, const uint32_t *tags,
			     uint32_t count, const struct mapistore_property *props,
			     struct PropertyRow *row)
{
	uint32_t i, ec;

	row->Flag = 0x00;
	row->ValueCount = count;
	row->Values = talloc_zero_array(mem_ctx, struct RowPropertyValue, count + 1);
	if (row->Values == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		ec = emsmdb_prop_to_row_value(mem_ctx, tags[i], &props[i],
					      &row->Values[i]);
		if (ec != ecSuccess) {
			return ec;
		}
		if (row->Values[i].Flag != 0x00) {
			/* a FlaggedPropertyRow once any value is missing */
			row->Flag = 0x01;
		}
	}
	return ecSuccess;
}

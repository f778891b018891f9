/*
 * The marker table of [MS-OXCFXICS] 2.2.4.1.4, the meta-properties of
 * 2.2.4.1.5 and the ICS state / IDSET properties of 2.2.1.1 and 2.2.1.3,
 * the stream layout of each property type (2.2.4.1.1, 2.2.4.1.3) and atom
 * equality.
 */
#include <string.h>

#include "fxics_private.h"

struct fxics_name {
	uint32_t tag;
	const char *name;
	bool syntax;    /* meta-properties that appear in the grammar of 2.2.4.2 */
};

static const struct fxics_name marker_table[] = {
	{ StartTopFld, "StartTopFld", true },
	{ EndFolder, "EndFolder", true },
	{ StartSubFld, "StartSubFld", true },
	{ StartMessage, "StartMessage", true },
	{ EndMessage, "EndMessage", true },
	{ StartFAIMsg, "StartFAIMsg", true },
	{ StartEmbed, "StartEmbed", true },
	{ EndEmbed, "EndEmbed", true },
	{ StartRecip, "StartRecip", true },
	{ EndToRecip, "EndToRecip", true },
	{ NewAttach, "NewAttach", true },
	{ EndAttach, "EndAttach", true },
	{ IncrSyncChg, "IncrSyncChg", true },
	{ IncrSyncChgPartial, "IncrSyncChgPartial", true },
	{ IncrSyncDel, "IncrSyncDel", true },
	{ IncrSyncEnd, "IncrSyncEnd", true },
	{ IncrSyncRead, "IncrSyncRead", true },
	{ IncrSyncStateBegin, "IncrSyncStateBegin", true },
	{ IncrSyncStateEnd, "IncrSyncStateEnd", true },
	{ IncrSyncProgressMode, "IncrSyncProgressMode", true },
	{ IncrSyncProgressPerMsg, "IncrSyncProgressPerMsg", true },
	{ IncrSyncMessage, "IncrSyncMessage", true },
	{ IncrSyncGroupInfo, "IncrSyncGroupInfo", true },
	{ FXErrorInfo, "FXErrorInfo", true },
};

static const struct fxics_name meta_table[] = {
	{ MetaTagFXDelProp, "MetaTagFXDelProp", true },
	{ MetaTagEcWarning, "MetaTagEcWarning", true },
	{ MetaTagNewFXFolder, "MetaTagNewFXFolder", true },
	{ MetaTagIncrSyncGroupId, "MetaTagIncrSyncGroupId", true },
	{ MetaTagIncrementalSyncMessagePartial, "MetaTagIncrementalSyncMessagePartial", true },
	{ MetaTagDnPrefix, "MetaTagDnPrefix", true },
	{ MetaTagIdsetGiven, "MetaTagIdsetGiven", false },
	{ MetaTagCnsetSeen, "MetaTagCnsetSeen", false },
	{ MetaTagCnsetSeenFAI, "MetaTagCnsetSeenFAI", false },
	{ MetaTagCnsetRead, "MetaTagCnsetRead", false },
	{ MetaTagIdsetDeleted, "MetaTagIdsetDeleted", false },
	{ MetaTagIdsetNoLongerInScope, "MetaTagIdsetNoLongerInScope", false },
	{ MetaTagIdsetExpired, "MetaTagIdsetExpired", false },
	{ MetaTagIdsetRead, "MetaTagIdsetRead", false },
	{ MetaTagIdsetUnread, "MetaTagIdsetUnread", false },
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct fxics_name *find(const struct fxics_name *t, size_t n, uint32_t tag)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].tag == tag) {
			return &t[i];
		}
	}
	return NULL;
}

const char *fxics_marker_name(uint32_t tag)
{
	const struct fxics_name *e = find(marker_table, N_ELEM(marker_table), tag);

	return e == NULL ? NULL : e->name;
}

const char *fxics_metatag_name(uint32_t tag)
{
	const struct fxics_name *e = find(meta_table, N_ELEM(meta_table), tag);

	return e == NULL ? NULL : e->name;
}

bool fxics_is_marker(uint32_t tag)
{
	return find(marker_table, N_ELEM(marker_table), tag) != NULL;
}

bool fxics_is_metatag(uint32_t tag)
{
	return find(meta_table, N_ELEM(meta_table), tag) != NULL;
}

bool fxics_is_syntax_meta(uint32_t tag)
{
	const struct fxics_name *e = find(meta_table, N_ELEM(meta_table), tag);

	return e != NULL && e->syntax;
}

size_t fxics_marker_count(void)
{
	return N_ELEM(marker_table);
}

uint32_t fxics_marker_at(size_t i)
{
	return i < N_ELEM(marker_table) ? marker_table[i].tag : 0;
}

size_t fxics_metatag_count(void)
{
	return N_ELEM(meta_table);
}

uint32_t fxics_metatag_at(size_t i)
{
	return i < N_ELEM(meta_table) ? meta_table[i].tag : 0;
}

/* Base types allowed in streams (2.2.4.1.1): fixed size or variable size. */
static const struct {
	uint16_t type;
	uint8_t size;   /* 0: varSizeValue */
} layout_table[] = {
	{ PtypInteger16, 2 }, { PtypInteger32, 4 }, { PtypFloating32, 4 },
	{ PtypFloating64, 8 }, { PtypCurrency, 8 }, { PtypFloatingTime, 8 },
	{ PtypErrorCode, 4 }, { PtypBoolean, 2 }, { PtypInteger64, 8 },
	{ PtypTime, 8 }, { PtypGuid, 16 },
	{ PtypString8, 0 }, { PtypString, 0 }, { PtypServerId, 0 },
	{ PtypBinary, 0 }, { PtypObject, 0 },
};

uint16_t fxics_tag_value_type(uint32_t tag)
{
	uint16_t ptype = OXCDATA_PROP_TYPE(tag);

	if (tag == MetaTagIdsetGiven) {
		return PtypBinary;
	}
	if (FXICS_IS_CODEPAGE_TYPE(ptype)) {
		return PtypString8;
	}
	return ptype;
}

enum fxics_layout fxics_tag_layout(uint32_t tag, uint32_t *size_r)
{
	uint16_t ptype = fxics_tag_value_type(tag);
	uint16_t base = ptype & (uint16_t)~0x1000;
	bool mv = (ptype & 0x1000) != 0 && !FXICS_IS_CODEPAGE_TYPE(OXCDATA_PROP_TYPE(tag));
	size_t i;

	*size_r = 0;
	if (FXICS_IS_CODEPAGE_TYPE(OXCDATA_PROP_TYPE(tag))) {
		return FXL_VAR;
	}
	for (i = 0; i < N_ELEM(layout_table); i++) {
		if (layout_table[i].type != base) {
			continue;
		}
		/* multi-valued types must exist in [MS-OXCDATA] 2.11.1 */
		if (mv && !oxcdata_ptype_is_valid(ptype)) {
			return FXL_INVALID;
		}
		*size_r = layout_table[i].size;
		if (layout_table[i].size == 0) {
			return mv ? FXL_MV_VAR : FXL_VAR;
		}
		return mv ? FXL_MV_FIXED : FXL_FIXED;
	}
	return FXL_INVALID;
}

static bool bytes_equal(const void *a, const void *b, size_t n)
{
	return n == 0 || (a != NULL && b != NULL && memcmp(a, b, n) == 0);
}

static bool str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL) {
		return a == b;
	}
	return strcmp(a, b) == 0;
}

static bool str8_equal(const struct oxcdata_string8 *a, const struct oxcdata_string8 *b)
{
	if (a->raw != NULL && b->raw != NULL) {
		return a->raw_len == b->raw_len && bytes_equal(a->raw, b->raw, a->raw_len);
	}
	return str_equal(a->utf8, b->utf8);
}

static bool mv_equal(uint16_t ptype, const struct oxcdata_mv *a, const struct oxcdata_mv *b)
{
	uint32_t i;

	if (a->Count != b->Count) {
		return false;
	}
	for (i = 0; i < a->Count; i++) {
		bool eq;

		switch (ptype) {
		case PtypMultipleInteger16: eq = a->v.i2[i] == b->v.i2[i]; break;
		case PtypMultipleInteger32:
		case PtypMultipleFloating32: eq = a->v.l[i] == b->v.l[i]; break;
		case PtypMultipleGuid: eq = bytes_equal(a->v.guid[i], b->v.guid[i], 16); break;
		case PtypMultipleString: eq = str_equal(a->v.str[i], b->v.str[i]); break;
		case PtypMultipleString8: eq = str8_equal(&a->v.str8[i], &b->v.str8[i]); break;
		case PtypMultipleBinary:
			eq = a->v.bin[i].cb == b->v.bin[i].cb &&
			     bytes_equal(a->v.bin[i].lpb, b->v.bin[i].lpb, a->v.bin[i].cb);
			break;
		default: eq = a->v.d[i] == b->v.d[i]; break;
		}
		if (!eq) {
			return false;
		}
	}
	return true;
}

static bool value_equal(const struct PropertyValue *a, const struct PropertyValue *b)
{
	if (a->PropertyType != b->PropertyType) {
		return false;
	}
	switch (a->PropertyType) {
	case PtypInteger16: return a->u.i2 == b->u.i2;
	case PtypInteger32:
	case PtypErrorCode: return a->u.l == b->u.l;
	case PtypFloating32: return bytes_equal(&a->u.flt, &b->u.flt, sizeof(float));
	case PtypFloating64:
	case PtypFloatingTime: return bytes_equal(&a->u.dbl, &b->u.dbl, sizeof(double));
	case PtypCurrency:
	case PtypInteger64:
	case PtypTime: return a->u.d == b->u.d;
	case PtypBoolean: return a->u.b == b->u.b;
	case PtypString: return str_equal(a->u.str, b->u.str);
	case PtypString8: return str8_equal(&a->u.str8, &b->u.str8);
	case PtypGuid: return bytes_equal(a->u.guid, b->u.guid, 16);
	case PtypBinary:
	case PtypServerId:
	case PtypObject:
		return a->u.bin.cb == b->u.bin.cb &&
		       bytes_equal(a->u.bin.lpb, b->u.bin.lpb, a->u.bin.cb);
	default:
		return mv_equal(a->PropertyType, &a->u.mv, &b->u.mv);
	}
}

bool fxics_atom_equal(const struct fxics_atom *a, const struct fxics_atom *b)
{
	if (a->kind != b->kind || a->PropertyTag != b->PropertyTag) {
		return false;
	}
	if (a->kind == FXICS_ATOM_MARKER) {
		return true;
	}
	if ((a->Name == NULL) != (b->Name == NULL) || a->Flags != b->Flags) {
		return false;
	}
	if (a->Name != NULL &&
	    (a->Name->Kind != b->Name->Kind || memcmp(a->Name->Guid, b->Name->Guid, 16) != 0 ||
	     (a->Name->Kind == 0x00 && a->Name->LID != b->Name->LID) ||
	     (a->Name->Kind == 0x01 && !str_equal(a->Name->Name, b->Name->Name)))) {
		return false;
	}
	return value_equal(&a->Value, &b->Value);
}

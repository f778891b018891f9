/*
 * One FastTransfer stream element into a struct fxics_atom: [MS-OXCFXICS]
 * 2.2.4.1 (propValue, propInfo / namedPropInfo), 2.2.4.1.1 (property types,
 * code page types), 2.2.4.1.3 (PtypBoolean on 2 bytes; strings: readers
 * check the terminating nulls before removing them).
 *
 * The element has already been measured by the scanner, so every length
 * fits in `len`; counts are still checked with oxcdata_pull_check_count()
 * before they size an array.
 */
#include <string.h>

#include "fxics_value.h"

/* UTF-16 payload: strip a terminator if present, refuse embedded nulls */
static enum rop_err utf16_payload(struct oxcdata_pull *pull, uint32_t n, bool mv,
				  const uint8_t **s_r, size_t *len_r, uint8_t *flags)
{
	const uint8_t *s = pull->data + pull->offset;
	size_t i;

	if (n % 2 != 0 || n > oxcdata_pull_remaining(pull)) {
		return ROP_ERR_BAD_STRING;
	}
	*len_r = n;
	if (n >= 2 && s[n - 2] == 0 && s[n - 1] == 0) {
		*len_r = n - 2;
	} else if (mv) {
		return ROP_ERR_BAD_STRING;      /* elements of MV strings must be terminated */
	} else {
		*flags |= FXICS_ATOM_UNTERMINATED;
	}
	for (i = 0; i < *len_r; i += 2) {
		if (s[i] == 0 && s[i + 1] == 0) {
			return ROP_ERR_BAD_STRING;
		}
	}
	*s_r = s;
	pull->offset += n;
	return ROP_OK;
}

static enum rop_err pull_utf16(struct oxcdata_pull *pull, uint32_t n, bool mv, char **out,
			       uint8_t *flags)
{
	const uint8_t *s = NULL;
	size_t len = 0;
	enum rop_err err = utf16_payload(pull, n, mv, &s, &len, flags);

	return err != ROP_OK ? err : oxcdata_utf16_to_utf8(pull->mem_ctx, s, len, out);
}

static enum rop_err pull_str8(struct oxcdata_pull *pull, uint32_t n, uint32_t codepage, bool mv,
			      struct oxcdata_string8 *s8, uint8_t *flags)
{
	const uint8_t *s = pull->data + pull->offset;
	size_t len = n;
	enum rop_err err;

	if (codepage == OXCDATA_CP_UTF16) {
		err = utf16_payload(pull, n, mv, &s, &len, flags);
	} else {
		if (n > oxcdata_pull_remaining(pull)) {
			return ROP_ERR_TRUNCATED;
		}
		if (n >= 1 && s[n - 1] == 0) {
			len = n - 1;
		} else if (mv) {
			return ROP_ERR_BAD_STRING;
		} else {
			*flags |= FXICS_ATOM_UNTERMINATED;
		}
		err = memchr(s, 0, len) != NULL ? ROP_ERR_BAD_STRING : ROP_OK;
		pull->offset += n;
	}
	if (err != ROP_OK) {
		return err;
	}
	s8->raw_len = (uint32_t)len;
	s8->raw = talloc_memdup(pull->mem_ctx, len > 0 ? s : (const uint8_t *)"", len > 0 ? len : 1);
	if (s8->raw == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	/* bytes the code page cannot map stay available in raw */
	if (oxcdata_cp_to_utf8(pull->mem_ctx, codepage, s, len, &s8->utf8) != ROP_OK) {
		s8->utf8 = NULL;
	}
	return ROP_OK;
}

static enum rop_err pull_fixed(struct oxcdata_pull *pull, uint16_t base, void *out)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	enum rop_err err;

	switch (base) {
	case PtypInteger16:
		return oxcdata_pull_u16(pull, out);
	case PtypBoolean:
		err = oxcdata_pull_u16(pull, &u16);
		if (err == ROP_OK && u16 > 1) {
			return ROP_ERR_FORMAT;  /* only "01 00" and "00 00" are defined */
		}
		*(uint8_t *)out = (uint8_t)u16;
		return err;
	case PtypInteger32:
	case PtypErrorCode:
	case PtypFloating32:
		err = oxcdata_pull_u32(pull, &u32);
		memcpy(out, &u32, 4);
		return err;
	case PtypGuid:
		return oxcdata_pull_bytes(pull, out, 16);
	default:
		err = oxcdata_pull_u64(pull, &u64);
		memcpy(out, &u64, 8);
		return err;
	}
}

static enum rop_err pull_var(struct oxcdata_pull *pull, uint32_t tag, uint16_t base, bool mv,
			     void *out, uint8_t *flags)
{
	uint16_t wire = OXCDATA_PROP_TYPE(tag);
	struct oxcdata_binary *b = out;
	uint32_t n;
	enum rop_err err = oxcdata_pull_u32(pull, &n);

	if (err != ROP_OK) {
		return err;
	}
	if (FXICS_IS_CODEPAGE_TYPE(wire)) {
		return pull_str8(pull, n, wire & 0x7FFF, mv, out, flags);
	}
	switch (base) {
	case PtypString:
		return pull_utf16(pull, n, mv, out, flags);
	case PtypString8:
		return pull_str8(pull, n, pull->codepage, mv, out, flags);
	default:
		b->cb = n;
		return oxcdata_pull_blob(pull, n, &b->lpb);
	}
}

static size_t elem_size(uint16_t base)
{
	switch (base) {
	case PtypInteger16: return sizeof(uint16_t);
	case PtypInteger32:
	case PtypFloating32: return sizeof(uint32_t);
	case PtypGuid: return 16;
	case PtypString: return sizeof(char *);
	case PtypString8: return sizeof(struct oxcdata_string8);
	case PtypBinary: return sizeof(struct oxcdata_binary);
	default: return sizeof(uint64_t);
	}
}

static enum rop_err pull_mv(struct oxcdata_pull *pull, uint32_t tag, uint16_t base,
			    enum fxics_layout layout, uint32_t fsize, struct oxcdata_mv *mv)
{
	size_t esize = elem_size(base);
	uint8_t flags = 0;
	uint8_t *arr;
	uint32_t i;
	enum rop_err err = oxcdata_pull_u32(pull, &mv->Count);

	if (err != ROP_OK) {
		return err;
	}
	err = oxcdata_pull_check_count(pull, mv->Count, layout == FXL_MV_FIXED ? fsize : 4);
	if (err != ROP_OK || mv->Count == 0) {
		return err;
	}
	arr = talloc_zero_size(pull->mem_ctx, esize * mv->Count);
	if (arr == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	mv->v.l = (uint32_t *)(void *)arr;
	for (i = 0; err == ROP_OK && i < mv->Count; i++) {
		void *e = arr + (size_t)i * esize;

		err = layout == FXL_MV_FIXED ? pull_fixed(pull, base, e)
					     : pull_var(pull, tag, base, true, e, &flags);
	}
	return err;
}

static enum rop_err pull_name(struct oxcdata_pull *pull, struct PropertyName **out)
{
	struct PropertyName *n = talloc_zero(pull->mem_ctx, struct PropertyName);
	enum rop_err err;

	if (n == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	*out = n;
	err = oxcdata_pull_bytes(pull, n->Guid, 16);
	if (err == ROP_OK) {
		err = oxcdata_pull_u8(pull, &n->Kind);
	}
	if (err != ROP_OK) {
		return err;
	}
	switch (n->Kind) {
	case 0x00:
		return oxcdata_pull_u32(pull, &n->LID);
	case 0x01:
		err = oxcdata_pull_str16(pull, &n->Name);
		if (err == ROP_OK && n->Name != NULL) {
			size_t bytes = 2 * (strlen(n->Name) + 1);

			n->NameSize = bytes > UINT8_MAX ? 0 : (uint8_t)bytes;
		}
		return err;
	default:
		return ROP_ERR_FORMAT;
	}
}

enum rop_err fxics_parse_atom(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			      uint32_t codepage, struct fxics_atom *atom)
{
	struct oxcdata_pull pull;
	uint32_t fsize = 0;
	enum fxics_layout layout;
	uint16_t vtype, base;
	enum rop_err err;

	memset(atom, 0, sizeof(*atom));
	oxcdata_pull_init(&pull, mem_ctx, data, len);
	pull.codepage = codepage;
	err = oxcdata_pull_u32(&pull, &atom->PropertyTag);
	if (err != ROP_OK) {
		return err;
	}
	if (fxics_is_marker(atom->PropertyTag)) {
		atom->kind = FXICS_ATOM_MARKER;
		return oxcdata_pull_remaining(&pull) == 0 ? ROP_OK : ROP_ERR_FORMAT;
	}
	atom->kind = fxics_is_metatag(atom->PropertyTag) ? FXICS_ATOM_META : FXICS_ATOM_PROPERTY;
	layout = fxics_tag_layout(atom->PropertyTag, &fsize);
	if (layout == FXL_INVALID) {
		return ROP_ERR_BAD_PROPTYPE;
	}
	if (OXCDATA_PROP_ID(atom->PropertyTag) >= 0x8000) {
		err = pull_name(&pull, &atom->Name);
		if (err != ROP_OK) {
			return err;
		}
	}
	vtype = fxics_tag_value_type(atom->PropertyTag);
	base = vtype & (uint16_t)~0x1000;
	atom->Value.PropertyType = vtype;
	switch (layout) {
	case FXL_FIXED:
		err = pull_fixed(&pull, base, &atom->Value.u);
		break;
	case FXL_VAR:
		err = pull_var(&pull, atom->PropertyTag, base, false, &atom->Value.u, &atom->Flags);
		break;
	default:
		err = pull_mv(&pull, atom->PropertyTag, base, layout, fsize, &atom->Value.u.mv);
		break;
	}
	if (err == ROP_OK && oxcdata_pull_remaining(&pull) != 0) {
		err = ROP_ERR_FORMAT;
	}
	return err;
}

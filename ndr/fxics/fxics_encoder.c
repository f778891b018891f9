/*
 * FastTransfer stream encoder: lexical elements of [MS-OXCFXICS] 2.2.4.1
 * (markers, propValue with propInfo, fixedSizeValue / length varSizeValue,
 * mvPropType values) and the buffer cutter.
 *
 * Split rule (2.2.4.1): a stream is cut into buffers only between lexical
 * units that the lexical structure keeps whole. We record every byte range
 * that must not be cut ("region"): a marker; a propValue header (tag,
 * propInfo, and length or value count) together with a fixedSizeValue; each
 * fixed-size element of a multi-valued value; each 32-bit length of a
 * multi-valued varSizeValue element. varSizeValue payloads (PtypBinary,
 * PtypString8, PtypObject, PtypServerId) can be cut at any byte, PtypString
 * payloads (and UTF-16 code page strings) only between UTF-16 code units.
 */
#include <string.h>

#include "fxics_private.h"

enum { REGION_ATOMIC = 0, REGION_ALIGN2 = 2 };

struct fxics_region {
	uint64_t start;
	uint64_t end;
	uint8_t align;
};

struct fxics_encoder {
	struct oxcdata_push push;       /* push.data[0] is stream offset `base` */
	size_t head;                    /* bytes of push.data already taken */
	uint64_t base;
	struct fxics_region *rg;
	size_t rg_count;
	size_t rg_alloc;
	size_t rg_head;                 /* first region not entirely taken */
};

struct fxics_encoder *fxics_encoder_new(TALLOC_CTX *mem_ctx, uint32_t codepage)
{
	struct fxics_encoder *enc = talloc_zero(mem_ctx, struct fxics_encoder);

	if (enc == NULL) {
		return NULL;
	}
	oxcdata_push_init(&enc->push, enc);
	enc->push.codepage = codepage != 0 ? codepage : OXCDATA_CP_1252;
	return enc;
}

static uint64_t pos(const struct fxics_encoder *enc)
{
	return enc->base + enc->push.size;
}

static enum rop_err add_region(struct fxics_encoder *enc, uint64_t start, uint8_t align)
{
	uint64_t end = pos(enc);

	/* a region of one byte (or two aligned bytes) cannot be cut anyway */
	if (end - start <= (align == REGION_ALIGN2 ? 2u : 1u)) {
		return ROP_OK;
	}
	if (enc->rg_count == enc->rg_alloc) {
		size_t n = enc->rg_alloc ? enc->rg_alloc * 2 : 64;
		struct fxics_region *r = talloc_realloc(enc, enc->rg, struct fxics_region, n);

		if (r == NULL) {
			return ROP_ERR_NO_MEMORY;
		}
		enc->rg = r;
		enc->rg_alloc = n;
	}
	enc->rg[enc->rg_count++] = (struct fxics_region) { start, end, align };
	return ROP_OK;
}

/* tag, then propInfo for named properties (2.2.4.1: namedPropInfo) */
static enum rop_err put_tag(struct fxics_encoder *enc, uint32_t tag, const struct PropertyName *name)
{
	enum rop_err err = oxcdata_push_u32(&enc->push, tag);

	if (err != ROP_OK || OXCDATA_PROP_ID(tag) < 0x8000) {
		return err;
	}
	err = oxcdata_push_bytes(&enc->push, name->Guid, 16);
	if (err == ROP_OK) {
		err = oxcdata_push_u8(&enc->push, name->Kind);
	}
	if (err != ROP_OK) {
		return err;
	}
	if (name->Kind == 0x00) {
		return oxcdata_push_u32(&enc->push, name->LID);
	}
	return oxcdata_push_str16(&enc->push, name->Name);
}

static enum rop_err put_fixed(struct fxics_encoder *enc, uint16_t base, const void *p)
{
	uint32_t u32;
	uint64_t u64;

	switch (base) {
	case PtypInteger16:
		return oxcdata_push_u16(&enc->push, *(const uint16_t *)p);
	case PtypBoolean:
		/* 2.2.4.1.3: 2 bytes, "01 00" TRUE, "00 00" FALSE */
		return oxcdata_push_u16(&enc->push, *(const uint8_t *)p != 0 ? 1 : 0);
	case PtypInteger32:
	case PtypErrorCode:
	case PtypFloating32:
		memcpy(&u32, p, 4);
		return oxcdata_push_u32(&enc->push, u32);
	case PtypGuid:
		return oxcdata_push_bytes(&enc->push, p, 16);
	default:
		memcpy(&u64, p, 8);
		return oxcdata_push_u64(&enc->push, u64);
	}
}

/*
 * length varSizeValue. hdr is where the indivisible part that ends with the
 * length starts (the propValue header, or the length itself for an element
 * of a multi-valued value). UTF-16 payloads are cut only at even offsets.
 */
static enum rop_err put_var_payload(struct fxics_encoder *enc, uint64_t hdr,
				    const uint8_t *bytes, size_t n, size_t term, bool utf16)
{
	uint64_t start;
	enum rop_err err;

	if (n + term > UINT32_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	err = oxcdata_push_u32(&enc->push, (uint32_t)(n + term));
	if (err == ROP_OK) {
		err = add_region(enc, hdr, REGION_ATOMIC);
	}
	start = pos(enc);
	if (err == ROP_OK) {
		err = oxcdata_push_bytes(&enc->push, bytes, n);
	}
	if (err == ROP_OK && term > 0) {
		err = oxcdata_push_bytes(&enc->push, (const uint8_t *)"\0\0", term);
	}
	if (err == ROP_OK && utf16) {
		err = add_region(enc, start, REGION_ALIGN2);
	}
	return err;
}

static enum rop_err put_utf16(struct fxics_encoder *enc, uint64_t hdr, const char *s, bool term)
{
	uint8_t *u16 = NULL;
	size_t n = 0;
	enum rop_err err;

	if (s == NULL) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_utf8_to_utf16(enc, s, &u16, &n);
	if (err == ROP_OK) {
		err = put_var_payload(enc, hdr, u16, n, term ? 2 : 0, true);
	}
	talloc_free(u16);
	return err;
}

static enum rop_err put_str8(struct fxics_encoder *enc, uint64_t hdr, uint32_t codepage,
			     const struct oxcdata_string8 *s, bool term)
{
	uint8_t *bytes = NULL;
	size_t n = 0;
	enum rop_err err;

	if (s->raw != NULL || s->utf8 == NULL) {
		if (s->raw_len > 0 && s->raw == NULL) {
			return ROP_ERR_INVALID;
		}
		return put_var_payload(enc, hdr, s->raw, s->raw_len,
				       term ? (codepage == OXCDATA_CP_UTF16 ? 2 : 1) : 0,
				       codepage == OXCDATA_CP_UTF16);
	}
	if (codepage == OXCDATA_CP_UTF16) {
		return put_utf16(enc, hdr, s->utf8, term);
	}
	err = oxcdata_utf8_to_cp(enc, codepage, s->utf8, &bytes, &n);
	if (err == ROP_OK) {
		err = put_var_payload(enc, hdr, bytes, n, term ? 1 : 0, false);
	}
	talloc_free(bytes);
	return err;
}

static enum rop_err put_var(struct fxics_encoder *enc, uint64_t hdr, uint32_t tag,
			    uint16_t base, const void *p, bool term)
{
	const struct oxcdata_binary *b = p;
	uint16_t wire = OXCDATA_PROP_TYPE(tag);

	if (FXICS_IS_CODEPAGE_TYPE(wire)) {
		return put_str8(enc, hdr, wire & 0x7FFF, p, term);
	}
	switch (base) {
	case PtypString:
		return put_utf16(enc, hdr, *(char *const *)p, term);
	case PtypString8:
		return put_str8(enc, hdr, enc->push.codepage, p, term);
	default:
		if (b->cb > 0 && b->lpb == NULL) {
			return ROP_ERR_INVALID;
		}
		return put_var_payload(enc, hdr, b->lpb, b->cb, 0, false);
	}
}

static const void *mv_elem(const struct oxcdata_mv *mv, uint16_t base, uint32_t i)
{
	switch (base) {
	case PtypInteger16: return &mv->v.i2[i];
	case PtypInteger32:
	case PtypFloating32: return &mv->v.l[i];
	case PtypGuid: return mv->v.guid[i];
	case PtypString: return &mv->v.str[i];
	case PtypString8: return &mv->v.str8[i];
	case PtypBinary: return &mv->v.bin[i];
	default: return &mv->v.d[i];
	}
}

static enum rop_err put_property(struct fxics_encoder *enc, uint32_t tag,
				 const struct PropertyName *name, const struct PropertyValue *v,
				 uint8_t flags)
{
	uint64_t start = pos(enc);
	uint32_t size = 0;
	enum fxics_layout layout = fxics_tag_layout(tag, &size);
	uint16_t base = fxics_tag_value_type(tag) & (uint16_t)~0x1000;
	bool term = (flags & FXICS_ATOM_UNTERMINATED) == 0;
	enum rop_err err;
	uint32_t i;

	if (layout == FXL_INVALID) {
		return ROP_ERR_BAD_PROPTYPE;
	}
	if (v->PropertyType != fxics_tag_value_type(tag) ||
	    (OXCDATA_PROP_ID(tag) >= 0x8000) != (name != NULL) ||
	    (name != NULL && name->Kind != 0x00 && (name->Kind != 0x01 || name->Name == NULL))) {
		return ROP_ERR_INVALID;
	}
	err = put_tag(enc, tag, name);
	if (err != ROP_OK) {
		return err;
	}
	switch (layout) {
	case FXL_FIXED:
		err = put_fixed(enc, base, &v->u);
		return err != ROP_OK ? err : add_region(enc, start, REGION_ATOMIC);
	case FXL_VAR:
		/* the header and the length form one indivisible unit */
		return put_var(enc, start, tag, base, &v->u, term);
	default:
		break;
	}
	if (v->u.mv.Count > 0 && v->u.mv.v.l == NULL) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_push_u32(&enc->push, v->u.mv.Count);
	if (err == ROP_OK) {
		err = add_region(enc, start, REGION_ATOMIC);
	}
	for (i = 0; err == ROP_OK && i < v->u.mv.Count; i++) {
		const void *e = mv_elem(&v->u.mv, base, i);

		if (layout == FXL_MV_FIXED) {
			uint64_t s = pos(enc);

			err = put_fixed(enc, base, e);
			if (err == ROP_OK) {
				err = add_region(enc, s, REGION_ATOMIC);
			}
		} else {
			err = put_var(enc, pos(enc), tag, base, e, true);
		}
	}
	return err;
}

/* undo a failed append so that the stream stays well formed */
static enum rop_err finish(struct fxics_encoder *enc, size_t size, size_t rg_count, enum rop_err err)
{
	if (err != ROP_OK) {
		enc->push.size = size;
		enc->rg_count = rg_count;
	}
	return err;
}

enum rop_err fxics_encoder_marker(struct fxics_encoder *enc, uint32_t marker)
{
	size_t size = enc->push.size, rg_count = enc->rg_count;
	uint64_t start = pos(enc);
	enum rop_err err;

	if (!fxics_is_marker(marker)) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_push_u32(&enc->push, marker);
	if (err == ROP_OK) {
		err = add_region(enc, start, REGION_ATOMIC);
	}
	return finish(enc, size, rg_count, err);
}

static enum rop_err property_flags(struct fxics_encoder *enc, uint32_t tag,
				   const struct PropertyName *name,
				   const struct PropertyValue *v, uint8_t flags)
{
	size_t size = enc->push.size, rg_count = enc->rg_count;

	if (fxics_is_marker(tag)) {
		return ROP_ERR_INVALID;
	}
	return finish(enc, size, rg_count, put_property(enc, tag, name, v, flags));
}

enum rop_err fxics_encoder_property(struct fxics_encoder *enc, uint32_t tag,
				    const struct PropertyName *name, const struct PropertyValue *v)
{
	return property_flags(enc, tag, name, v, 0);
}

enum rop_err fxics_encoder_atom(struct fxics_encoder *enc, const struct fxics_atom *a)
{
	if (a->kind == FXICS_ATOM_MARKER) {
		return fxics_encoder_marker(enc, a->PropertyTag);
	}
	if (a->kind != FXICS_ATOM_PROPERTY && a->kind != FXICS_ATOM_META) {
		return ROP_ERR_INVALID;
	}
	return property_flags(enc, a->PropertyTag, a->Name, &a->Value, a->Flags);
}

enum rop_err fxics_encoder_meta_u32(struct fxics_encoder *enc, uint32_t metatag, uint32_t value)
{
	struct PropertyValue v = { .PropertyType = PtypInteger32, .u.l = value };

	if (!fxics_is_metatag(metatag) || fxics_tag_value_type(metatag) != PtypInteger32) {
		return ROP_ERR_INVALID;
	}
	return fxics_encoder_property(enc, metatag, NULL, &v);
}

enum rop_err fxics_encoder_meta_binary(struct fxics_encoder *enc, uint32_t metatag,
				       const uint8_t *data, uint32_t len)
{
	struct PropertyValue v = { .PropertyType = PtypBinary };

	if (!fxics_is_metatag(metatag) || fxics_tag_value_type(metatag) != PtypBinary) {
		return ROP_ERR_INVALID;
	}
	v.u.bin.cb = len;
	v.u.bin.lpb = (uint8_t *)data;
	return fxics_encoder_property(enc, metatag, NULL, &v);
}

size_t fxics_encoder_pending(const struct fxics_encoder *enc)
{
	return enc->push.size - enc->head;
}

uint64_t fxics_encoder_total(const struct fxics_encoder *enc)
{
	return pos(enc);
}

/* drop what was taken once it is more than half of the buffer */
static void compact(struct fxics_encoder *enc)
{
	if (enc->head > 0 && enc->head == enc->push.size) {
		/* everything was taken: restart the buffer and the regions */
		enc->base += enc->head;
		enc->push.size = 0;
		enc->head = 0;
		enc->rg_count = 0;
		enc->rg_head = 0;
		return;
	}
	if (enc->head < 4096 || enc->head < enc->push.size / 2) {
		return;
	}
	memmove(enc->push.data, enc->push.data + enc->head, enc->push.size - enc->head);
	enc->push.size -= enc->head;
	enc->base += enc->head;
	enc->head = 0;
	if (enc->rg_head > 0) {
		memmove(enc->rg, enc->rg + enc->rg_head,
			(enc->rg_count - enc->rg_head) * sizeof(*enc->rg));
		enc->rg_count -= enc->rg_head;
		enc->rg_head = 0;
	}
}

enum rop_err fxics_encoder_next_buffer(struct fxics_encoder *enc, size_t max_size,
				       const uint8_t **data_r, size_t *len_r)
{
	uint64_t start, cut;
	size_t lo, hi;

	compact(enc);
	*data_r = enc->push.data + enc->head;
	*len_r = 0;
	start = enc->base + enc->head;
	if (fxics_encoder_pending(enc) <= max_size) {
		cut = pos(enc);
		enc->rg_head = enc->rg_count;   /* every region ends by now */
	} else {
		cut = start + max_size;
		/* regions are ordered and disjoint: find the last one starting before cut */
		while (enc->rg_head < enc->rg_count && enc->rg[enc->rg_head].end <= start) {
			enc->rg_head++;
		}
		lo = enc->rg_head;
		hi = enc->rg_count;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (enc->rg[mid].start < cut) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		if (lo > enc->rg_head && enc->rg[lo - 1].end > cut) {
			const struct fxics_region *r = &enc->rg[lo - 1];

			if (r->align == REGION_ATOMIC) {
				cut = r->start;
			} else if ((cut - r->start) % 2 != 0) {
				cut--;
			}
		}
		if (cut <= start) {
			return ROP_ERR_TOO_BIG;
		}
	}
	*len_r = (size_t)(cut - start);
	enc->head += *len_r;
	return ROP_OK;
}

/*
 * FastTransfer stream pull decoder ([MS-OXCFXICS] 2.2.4.1).
 *
 * Buffers returned by RopFastTransferSourceGetBuffer (or given to
 * RopFastTransferDestinationPutBuffer) may end anywhere, so the decoder
 * queues the pieces it is fed and runs a resumable scanner that measures
 * the next element (marker or propValue) without allocating; once the whole
 * element is queued it is parsed in one go (fxics_value.c). The scanner
 * bounds every length and value count from the wire by max_atom before the
 * element is accepted, and the queue only grows with real input.
 */
#include <string.h>

#include "fxics_private.h"
#include "fxics_value.h"

enum scan_state {
	SC_TAG = 0,     /* 4-byte tag (marker or propType + propertyId) */
	SC_NAMEHDR,     /* propertySet GUID + kind byte */
	SC_LID,         /* dispid */
	SC_NAME,        /* null-terminated UTF-16 name */
	SC_FIXED,       /* fixedSizeValue */
	SC_LEN,         /* length of a varSizeValue */
	SC_BYTES,       /* varSizeValue payload */
	SC_COUNT,       /* value count of an mvPropType */
	SC_ELEM,        /* next element of a multi-valued value */
	SC_ELEM_BYTES,  /* payload of a variable-size element */
};

struct fxics_decoder {
	uint8_t *buf;
	size_t len;             /* bytes queued */
	size_t alloc;
	size_t pos;             /* start of the current element in buf */
	uint64_t base;          /* stream offset of buf[0] */
	uint32_t codepage;
	size_t max_atom;
	enum rop_err err;       /* sticky */
	/* scanner */
	enum scan_state st;
	size_t scan;            /* bytes of the current element measured so far */
	size_t need;            /* bytes the current state waits for */
	uint32_t tag;
	enum fxics_layout layout;
	uint32_t fsize;
	uint32_t elems;         /* elements of a multi-valued value still to measure */
};

struct fxics_decoder *fxics_decoder_new(TALLOC_CTX *mem_ctx, uint32_t codepage, size_t max_atom)
{
	struct fxics_decoder *dec = talloc_zero(mem_ctx, struct fxics_decoder);

	if (dec == NULL) {
		return NULL;
	}
	dec->codepage = codepage != 0 ? codepage : OXCDATA_CP_1252;
	dec->max_atom = max_atom != 0 ? max_atom : FXICS_DEFAULT_MAX_ATOM;
	dec->need = 4;
	return dec;
}

enum rop_err fxics_decoder_feed(struct fxics_decoder *dec, const uint8_t *data, size_t len)
{
	if (dec->err != ROP_OK) {
		return dec->err;
	}
	if (len == 0) {
		return ROP_OK;
	}
	if (data == NULL) {
		return ROP_ERR_INVALID;
	}
	/* drop parsed bytes before growing */
	if (dec->pos > 0 && (dec->pos >= dec->len / 2 || dec->len + len > dec->alloc)) {
		memmove(dec->buf, dec->buf + dec->pos, dec->len - dec->pos);
		dec->len -= dec->pos;
		dec->base += dec->pos;
		dec->pos = 0;
	}
	if (dec->len + len < dec->len) {
		return ROP_ERR_TOO_BIG;
	}
	if (dec->len + len > dec->alloc) {
		size_t n = dec->alloc ? dec->alloc : 4096;
		uint8_t *p;

		while (n < dec->len + len) {
			n *= 2;
		}
		p = talloc_realloc(dec, dec->buf, uint8_t, n);
		if (p == NULL) {
			dec->err = ROP_ERR_NO_MEMORY;
			return dec->err;
		}
		dec->buf = p;
		dec->alloc = n;
	}
	memcpy(dec->buf + dec->len, data, len);
	dec->len += len;
	return ROP_OK;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

/* state after propInfo: where the value starts */
static void after_propinfo(struct fxics_decoder *dec)
{
	switch (dec->layout) {
	case FXL_FIXED:
		dec->st = SC_FIXED;
		dec->need = dec->fsize;
		break;
	case FXL_VAR:
		dec->st = SC_LEN;
		dec->need = 4;
		break;
	default:
		dec->st = SC_COUNT;
		dec->need = 4;
		break;
	}
}

/*
 * Advance the scanner over queued bytes. ROP_OK with *done_r = true when the
 * element is complete (its size is dec->scan); *done_r = false when more
 * input is needed.
 */
static enum rop_err scan(struct fxics_decoder *dec, bool *done_r)
{
	const uint8_t *p;

	*done_r = false;
	for (;;) {
		if (dec->scan > dec->max_atom || dec->need > dec->max_atom - dec->scan) {
			return ROP_ERR_TOO_BIG;
		}
		if (dec->len - dec->pos - dec->scan < dec->need) {
			return ROP_OK;
		}
		p = dec->buf + dec->pos + dec->scan;
		switch (dec->st) {
		case SC_TAG:
			dec->tag = le32(p);
			dec->scan += 4;
			if (fxics_is_marker(dec->tag)) {
				*done_r = true;
				return ROP_OK;
			}
			dec->layout = fxics_tag_layout(dec->tag, &dec->fsize);
			if (dec->layout == FXL_INVALID) {
				return ROP_ERR_BAD_PROPTYPE;
			}
			if (OXCDATA_PROP_ID(dec->tag) >= 0x8000) {
				dec->st = SC_NAMEHDR;
				dec->need = 17;
			} else {
				after_propinfo(dec);
			}
			break;
		case SC_NAMEHDR:
			dec->scan += 17;
			if (p[16] == 0x00) {
				dec->st = SC_LID;
				dec->need = 4;
			} else if (p[16] == 0x01) {
				dec->st = SC_NAME;
				dec->need = 2;
			} else {
				return ROP_ERR_FORMAT;
			}
			break;
		case SC_LID:
			dec->scan += 4;
			after_propinfo(dec);
			break;
		case SC_NAME:
			/* one UTF-16 code unit at a time until the terminator */
			dec->scan += 2;
			if (p[0] == 0 && p[1] == 0) {
				after_propinfo(dec);
			}
			break;
		case SC_FIXED:
		case SC_BYTES:
			dec->scan += dec->need;
			*done_r = true;
			return ROP_OK;
		case SC_LEN:
			dec->scan += 4;
			dec->need = le32(p);
			dec->st = SC_BYTES;
			break;
		case SC_COUNT:
			dec->scan += 4;
			dec->elems = le32(p);
			/* every element takes at least 2 (fixed) or 4 (length) bytes */
			if (dec->elems > dec->max_atom / (dec->layout == FXL_MV_FIXED ? dec->fsize : 4)) {
				return ROP_ERR_TOO_BIG;
			}
			dec->st = SC_ELEM;
			dec->need = dec->layout == FXL_MV_FIXED ? (size_t)dec->elems * dec->fsize : 0;
			break;
		case SC_ELEM:
			if (dec->layout == FXL_MV_FIXED || dec->elems == 0) {
				dec->scan += dec->need;
				*done_r = true;
				return ROP_OK;
			}
			dec->need = 4;
			if (dec->len - dec->pos - dec->scan < 4) {
				return ROP_OK;
			}
			dec->scan += 4;
			dec->need = le32(p);
			dec->st = SC_ELEM_BYTES;
			break;
		case SC_ELEM_BYTES:
			dec->scan += dec->need;
			dec->elems--;
			dec->st = SC_ELEM;
			dec->need = 0;
			break;
		}
	}
}

enum rop_err fxics_decoder_next(struct fxics_decoder *dec, TALLOC_CTX *mem_ctx,
				struct fxics_atom **atom_r)
{
	struct fxics_atom *atom;
	bool done = false;
	enum rop_err err;

	*atom_r = NULL;
	if (dec->err != ROP_OK) {
		return dec->err;
	}
	err = scan(dec, &done);
	if (err != ROP_OK) {
		dec->err = err;
		return err;
	}
	if (!done) {
		return ROP_OK;
	}
	atom = talloc_zero(mem_ctx, struct fxics_atom);
	if (atom == NULL) {
		dec->err = ROP_ERR_NO_MEMORY;
		return dec->err;
	}
	err = fxics_parse_atom(atom, dec->buf + dec->pos, dec->scan, dec->codepage, atom);
	if (err != ROP_OK) {
		talloc_free(atom);
		dec->err = err;
		return err;
	}
	dec->pos += dec->scan;
	dec->scan = 0;
	dec->st = SC_TAG;
	dec->need = 4;
	*atom_r = atom;
	return ROP_OK;
}

enum rop_err fxics_decoder_finish(const struct fxics_decoder *dec)
{
	if (dec->err != ROP_OK) {
		return dec->err;
	}
	return dec->pos == dec->len ? ROP_OK : ROP_ERR_TRUNCATED;
}

uint64_t fxics_decoder_offset(const struct fxics_decoder *dec)
{
	return dec->base + dec->pos;
}

enum rop_err fxics_decode_all(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			      uint32_t codepage, struct fxics_atom **atoms_r, size_t *count_r)
{
	TALLOC_CTX *frame = talloc_new(mem_ctx);
	struct fxics_decoder *dec;
	struct fxics_atom *atoms = NULL;
	size_t count = 0, alloc = 0;
	enum rop_err err;

	*atoms_r = NULL;
	*count_r = 0;
	if (frame == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	dec = fxics_decoder_new(frame, codepage, 0);
	err = dec == NULL ? ROP_ERR_NO_MEMORY : fxics_decoder_feed(dec, data, len);
	while (err == ROP_OK) {
		struct fxics_atom *a = NULL;

		err = fxics_decoder_next(dec, frame, &a);
		if (err != ROP_OK || a == NULL) {
			break;
		}
		if (count == alloc) {
			struct fxics_atom *n;

			alloc = alloc ? alloc * 2 : 16;
			n = talloc_realloc(frame, atoms, struct fxics_atom, alloc);
			if (n == NULL) {
				err = ROP_ERR_NO_MEMORY;
				break;
			}
			atoms = n;
		}
		atoms[count] = *a;
		/* values stay children of `a`, which becomes a child of the array */
		(void)talloc_reparent(frame, atoms, a);
		count++;
	}
	if (err == ROP_OK) {
		err = fxics_decoder_finish(dec);
	}
	if (err != ROP_OK) {
		goto done;
	}
	if (atoms != NULL) {
		*atoms_r = talloc_steal(mem_ctx, atoms);
	}
	*count_r = count;
done:
	talloc_free(frame);
	return err;
}

/*
 * OpenChange rpcext internals: the table that describes every auxiliary
 * block structure of [MS-OXCRPC] 2.2.2.2.x field by field, in wire
 * order. The parser and the serialiser both walk it. Never installed.
 */
#ifndef OC_RPCEXT_AUX_PRIVATE_H
#define OC_RPCEXT_AUX_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "rpcext_aux.h"

enum aux_field_kind {
	AUXF_U8,
	AUXF_U16,
	AUXF_U32,
	AUXF_BYTES,	/* fixed-size byte array (GUIDs, reserved) */
	AUXF_USTR,	/* uint16 offset of a null-terminated UTF-16LE string */
	AUXF_BLOB,	/* uint16 offset of bytes sized by an earlier U16 field */
};

struct aux_field {
	enum aux_field_kind kind;
	uint16_t len;		/* AUXF_BYTES: byte count */
	size_t member;		/* offset of the number / array in the struct */
	size_t ref;		/* USTR: char * member; BLOB: uint8_t * member */
	size_t ref_size;	/* BLOB: offset of its uint16 size member */
};

struct aux_layout {
	enum rpcext_aux_kind kind;
	const char *name;
	const struct aux_field *fields;
	size_t num_fields;
	uint16_t fixed_size;	/* wire bytes of the fixed part */
};

/** Layout of a kind, NULL for RPCEXT_AUX_UNKNOWN / out of range. */
const struct aux_layout *aux_layout_of_kind(enum rpcext_aux_kind kind);

/** UTF-16LE (n bytes, no terminator) to a talloc'd UTF-8 string; lone
 * surrogates become U+FFFD. NULL only on allocation failure. */
char *aux_utf16_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *s, size_t n);

/** Number of UTF-16 code units for a UTF-8 string, or -1 if invalid. */
ptrdiff_t aux_utf8_utf16_len(const char *s);

/** Encode valid UTF-8 (checked by aux_utf8_utf16_len()) as UTF-16LE,
 * without terminator; returns bytes written. */
size_t aux_utf8_to_utf16(const char *s, uint8_t *out);

#endif /* OC_RPCEXT_AUX_PRIVATE_H */

/*
 * Internals shared by the FastTransfer stream files (never installed).
 */
#ifndef FXICS_PRIVATE_H
#define FXICS_PRIVATE_H

#include "fxics.h"

/** How a property type is laid out in a FastTransfer stream (2.2.4.1). */
enum fxics_layout {
	FXL_INVALID = 0,
	FXL_FIXED,      /**< fixedPropType: size bytes */
	FXL_VAR,        /**< varPropType: length + bytes */
	FXL_MV_FIXED,   /**< mvPropType of a fixed base: count + count * size */
	FXL_MV_VAR,     /**< mvPropType of a var base: count + count * (length + bytes) */
};

/**
 * Layout of the value following `tag` on the wire; *size_r receives the
 * element size of fixed layouts. Handles code page types and the
 * MetaTagIdsetGiven exception.
 */
enum fxics_layout fxics_tag_layout(uint32_t tag, uint32_t *size_r);

/** Value type a tag decodes to (PtypString8 for code page types, ...). */
uint16_t fxics_tag_value_type(uint32_t tag);

/** True when the grammar treats this tag as a syntactic meta-property. */
bool fxics_is_syntax_meta(uint32_t tag);

#endif /* FXICS_PRIVATE_H */

/*
 * Parsing one complete FastTransfer stream element (internal).
 */
#ifndef FXICS_VALUE_H
#define FXICS_VALUE_H

#include "fxics_private.h"

/**
 * Parse exactly [data, data+len) as one marker or propValue into *atom;
 * allocations go on mem_ctx. codepage is that of PtypString8 values.
 */
enum rop_err fxics_parse_atom(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			      uint32_t codepage, struct fxics_atom *atom);

#endif /* FXICS_VALUE_H */

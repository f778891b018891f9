/*
 * Test helper: builds a representative value for any ROP request or
 * response by walking the generated field tables, and compares two decoded
 * structures field by field.
 */
#ifndef ROP_SAMPLE_H
#define ROP_SAMPLE_H

#include "rop_private.h"

/** Columns used for every table/recipient row in the samples. */
extern const uint32_t sample_columns[3];
#define SAMPLE_COLUMN_COUNT 3

struct sample_opts {
	uint32_t ReturnValue;
	uint8_t LogonFlags;
	uint32_t seed;
};

/** Fill a request (RopId set by the caller's rop_id). */
void sample_request(TALLOC_CTX *mem_ctx, uint8_t rop_id, const struct sample_opts *o,
		    struct rop_request *req);
void sample_response(TALLOC_CTX *mem_ctx, uint8_t rop_id, const struct sample_opts *o,
		     struct rop_response *resp);
/** Context whose columns are sample_columns. */
void sample_ctx(struct rop_ctx *ctx, const struct rop_request *req, bool private_logon);

/**
 * Compare the fixed-size and string fields of two structures described by
 * the same table; returns the name of the first differing field or NULL.
 */
const char *sample_compare(const struct rop_walk *walk, const struct rop_field *fields,
			   uint16_t nfields, const void *a, const void *b);

#endif

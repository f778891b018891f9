/**
 * @file mapistore_props.h
 * @brief Property value helpers shared by the core and the backends:
 *        copy, compare, a stable byte encoding (for storage), and the
 *        restriction evaluator used when the core emulates table
 *        restrictions ([MS-OXCDATA] 2.12). Installed for backends.
 *
 * Encoding (little-endian; documented in doc/mapistore.md):
 *   property  = proptag:u32 payload
 *   payload   = fixed-size value (2/4/8/1 bytes by type)
 *             | length:u32 bytes          (strings without NUL, binaries)
 *             | count:u32 payload*count   (multi-valued)
 *   list      = count:u32 property*count
 * Decoders bound every count and length by the input size and by
 * MAPISTORE_MAX_* before allocating.
 */
#ifndef MAPISTORE_PROPS_H
#define MAPISTORE_PROPS_H

#include <talloc.h>

#include "mapistore_errors.h"
#include "mapistore_types.h"

/** ecNotFound placeholder for a missing column or property. */
#define MAPISTORE_ECNOTFOUND 0x8004010F

/** True if @p proptag's type is one this layer stores. */
bool mapistore_proptype_valid(uint32_t proptag);

/** Deep copy @p src into @p dst; strings/binaries allocated on @p mem_ctx. */
enum mapistore_error mapistore_property_copy(TALLOC_CTX *mem_ctx,
	struct mapistore_property *dst, const struct mapistore_property *src);

/** The PtypErrorCode property for @p proptag with value ecNotFound. */
struct mapistore_property mapistore_property_not_found(uint32_t proptag);

/** True for a PtypErrorCode stand-in (missing value). */
bool mapistore_property_is_error(const struct mapistore_property *prop);

/**
 * Order two values of the same tag type: *cmp_r < 0, 0, > 0.
 * Strings compare case-insensitively (ASCII), binaries bytewise then by
 * length. ERR_INVALID_PARAMETER if types differ or are not comparable.
 */
enum mapistore_error mapistore_property_compare(const struct mapistore_property *a,
	const struct mapistore_property *b, int *cmp_r);

/** Bytes of the value (the size used by RES_SIZE). */
size_t mapistore_property_size(const struct mapistore_property *prop);

/** Encode one property; @p out->data allocated on @p mem_ctx. */
enum mapistore_error mapistore_property_encode(TALLOC_CTX *mem_ctx,
	const struct mapistore_property *prop, struct mapistore_binary *out);

/** Decode exactly @p length bytes as one property (values on @p mem_ctx). */
enum mapistore_error mapistore_property_decode(TALLOC_CTX *mem_ctx,
	const uint8_t *data, size_t length, struct mapistore_property *prop_r);

/** Encode a property list. */
enum mapistore_error mapistore_properties_encode(TALLOC_CTX *mem_ctx,
	const struct mapistore_property *props, uint32_t count,
	struct mapistore_binary *out);

/** Decode a property list; the array is allocated on @p mem_ctx. */
enum mapistore_error mapistore_properties_decode(TALLOC_CTX *mem_ctx,
	const uint8_t *data, size_t length, struct mapistore_property **props_r,
	uint32_t *count_r);

/** Index of @p proptag in @p props (type-exact), or -1. */
int mapistore_properties_find(const struct mapistore_property *props,
	uint32_t count, uint32_t proptag);

/**
 * Evaluate restriction @p res against an object whose properties are
 * @p props ([MS-OXCDATA] 2.12; missing properties never match except
 * under NOT). One-shot: a CountRestriction with Count > 0 passes its
 * subrestriction's result through, a SubObjectRestriction never matches
 * (no subobject rows); use mapistore_restriction_ctx_new() for tables.
 * ERR_INVALID_PARAMETER on a malformed tree or one deeper than
 * MAPISTORE_MAX_RESTRICTION_DEPTH.
 */
enum mapistore_error mapistore_restriction_eval(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, bool *match_r);

/**
 * Rows of a subobject of @p object for RES_SUBRESTRICTION ([MS-OXCDATA]
 * 2.12.10): @p subobject is PidTagMessageRecipients or
 * PidTagMessageAttachments; @p proptags are the columns the
 * subrestriction reads (the rows may hold more). Rows on @p mem_ctx.
 * @p object is what the caller passed to mapistore_restriction_ctx_eval().
 */
typedef enum mapistore_error (*mapistore_subobject_fn)(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags,
	uint32_t tag_count, struct mapistore_row **rows_r, uint32_t *count_r);

struct mapistore_restriction_ctx;

/**
 * An evaluation context for @p res over the rows of one table, in table
 * order: RELOP_RE patterns (POSIX extended, case-insensitive) compiled
 * once, CountRestriction counters (2.12.12) kept across rows, and
 * @p subobject_fn (NULL: no object has subobject rows) for
 * SubObjectRestrictions. @p res must outlive the context.
 * ERR_INVALID_PARAMETER for a malformed tree.
 */
enum mapistore_error mapistore_restriction_ctx_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, mapistore_subobject_fn subobject_fn,
	void *private_data, struct mapistore_restriction_ctx **rctx_r);

/** Evaluate the next object (properties @p props; @p object is handed to
 *  the subobject callback). */
enum mapistore_error mapistore_restriction_ctx_eval(struct mapistore_restriction_ctx *rctx,
	const struct mapistore_property *props, uint32_t count, void *object, bool *match_r);

/** Restart the CountRestriction counters (a new pass over the table). */
void mapistore_restriction_ctx_reset(struct mapistore_restriction_ctx *rctx);

/** Deep copy of a restriction (on @p mem_ctx), validating it. */
enum mapistore_error mapistore_restriction_copy(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *src, struct mapistore_restriction **dst_r);

/** Whether @p res holds a SubObjectRestriction (2.12.10) anywhere: its
 *  evaluation needs the object's subobject rows. Depth as validated by
 *  mapistore_restriction_copy() / the wire decoders. */
bool mapistore_restriction_has_subobject(const struct mapistore_restriction *res);

/** Append every proptag @p res reads to @p tags (a talloc array on
 *  @p mem_ctx, grown, duplicates allowed). */
enum mapistore_error mapistore_restriction_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, uint32_t **tags, uint32_t *count);

/**
 * UTF-8 (@p length bytes, no NUL needed) to UTF-16LE without a
 * terminator ([MS-OXCDATA] 2.11.1 PtypString on the wire). Ill-formed
 * sequences become U+FFFD. @p out->data on @p mem_ctx.
 */
enum mapistore_error mapistore_utf8_to_utf16le(TALLOC_CTX *mem_ctx, const char *str,
	size_t length, struct mapistore_binary *out);

/**
 * UTF-16LE (@p length bytes, even; ERR_INVALID_PARAMETER otherwise) to
 * NUL-terminated UTF-8 on @p mem_ctx; lone surrogates become U+FFFD.
 * @p length_r (optional) gets the byte length without the NUL.
 */
enum mapistore_error mapistore_utf16le_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, char **str_r, size_t *length_r);

#endif /* MAPISTORE_PROPS_H */

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
 * under NOT). ERR_INVALID_PARAMETER on a malformed tree or one deeper
 * than MAPISTORE_MAX_RESTRICTION_DEPTH.
 */
enum mapistore_error mapistore_restriction_eval(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, bool *match_r);

/** Deep copy of a restriction (on @p mem_ctx), validating it. */
enum mapistore_error mapistore_restriction_copy(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *src, struct mapistore_restriction **dst_r);

/** Append every proptag @p res reads to @p tags (a talloc array on
 *  @p mem_ctx, grown, duplicates allowed). */
enum mapistore_error mapistore_restriction_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_restriction *res, uint32_t **tags, uint32_t *count);

#endif /* MAPISTORE_PROPS_H */

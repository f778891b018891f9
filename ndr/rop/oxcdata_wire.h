/*
 * Little-endian, packed wire primitives shared by the [MS-OXCDATA] and
 * [MS-OXCROPS] codecs (and by ndr/fxics, which builds on them).
 *
 * ROP buffers are not NDR: every field is little-endian and unaligned
 * ([MS-OXCROPS] 2.2.1). A pull cursor never reads past `size`; every count
 * taken from the wire must be checked with oxcdata_pull_check_count() before
 * it sizes an allocation.
 */
#ifndef OXCDATA_WIRE_H
#define OXCDATA_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

/** Closed error set of the ROP/OXCDATA codecs. */
enum rop_err {
	ROP_OK = 0,
	ROP_ERR_TRUNCATED,       /**< buffer shorter than the structure it must hold */
	ROP_ERR_BAD_COUNT,       /**< a count or size exceeds the bytes remaining or a limit */
	ROP_ERR_UNKNOWN_ROP,     /**< RopId is not a ROP of [MS-OXCROPS] 2.2 (or reserved) */
	ROP_ERR_BAD_PROPTYPE,    /**< property type not defined by [MS-OXCDATA] 2.11.1 */
	ROP_ERR_BAD_RESTRICTION, /**< RestrictType not defined by [MS-OXCDATA] 2.12 */
	ROP_ERR_DEPTH,           /**< nesting beyond OXCDATA_MAX_DEPTH */
	ROP_ERR_BAD_STRING,      /**< missing terminator, or not convertible in the code page */
	ROP_ERR_FORMAT,          /**< other malformation (size mismatch, trailing bytes, bad flag) */
	ROP_ERR_CONTEXT,         /**< decoding needs context that was not supplied (columns, request) */
	ROP_ERR_NO_MEMORY,
	ROP_ERR_TOO_BIG,         /**< encode: a value does not fit its wire width or the maximum size */
	ROP_ERR_INVALID,         /**< encode: the structure is inconsistent (NULL array with a count) */
};

/** Static English text for an error code (never NULL). */
const char *rop_err_str(enum rop_err err);

/** Maximum nesting of restrictions and property values inside restrictions. */
#define OXCDATA_MAX_DEPTH 32

/** Code pages understood by the string converters ([MS-OXCDATA] 2.11.1). */
#define OXCDATA_CP_UTF16 1200   /**< CP_UTF16: PtypString */
#define OXCDATA_CP_1252 1252
#define OXCDATA_CP_ASCII 20127
#define OXCDATA_CP_UTF8 65001

/** Read cursor over a caller-owned buffer. Allocations go on mem_ctx. */
struct oxcdata_pull {
	const uint8_t *data;
	size_t size;            /**< current limit (shrinks inside sized regions) */
	size_t offset;
	TALLOC_CTX *mem_ctx;
	uint32_t codepage;      /**< for 8-bit strings; 0 means 1252 */
	unsigned depth;         /**< current restriction/value nesting */
};

/** Growable output buffer; data is allocated on mem_ctx. */
struct oxcdata_push {
	uint8_t *data;
	size_t size;            /**< bytes written */
	size_t alloc;
	TALLOC_CTX *mem_ctx;
	uint32_t codepage;
	unsigned depth;
};

void oxcdata_pull_init(struct oxcdata_pull *pull, TALLOC_CTX *mem_ctx,
		       const uint8_t *data, size_t size);
void oxcdata_push_init(struct oxcdata_push *push, TALLOC_CTX *mem_ctx);

static inline size_t oxcdata_pull_remaining(const struct oxcdata_pull *pull)
{
	return pull->size - pull->offset;
}

/**
 * Check that `count` elements of at least `min_elem` bytes each can still be
 * read. Returns ROP_ERR_BAD_COUNT otherwise. Call before sizing anything.
 */
enum rop_err oxcdata_pull_check_count(const struct oxcdata_pull *pull,
				      uint64_t count, size_t min_elem);

enum rop_err oxcdata_pull_u8(struct oxcdata_pull *pull, uint8_t *v);
enum rop_err oxcdata_pull_u16(struct oxcdata_pull *pull, uint16_t *v);
enum rop_err oxcdata_pull_u32(struct oxcdata_pull *pull, uint32_t *v);
enum rop_err oxcdata_pull_u64(struct oxcdata_pull *pull, uint64_t *v);
/** Copy n bytes into dst (caller storage). */
enum rop_err oxcdata_pull_bytes(struct oxcdata_pull *pull, uint8_t *dst, size_t n);
/** n bytes as a talloc'd copy on pull->mem_ctx (NULL when n == 0). */
enum rop_err oxcdata_pull_blob(struct oxcdata_pull *pull, size_t n, uint8_t **out);

/**
 * 8-bit null-terminated string, returned verbatim (talloc'd, terminated).
 * raw_len_r (optional) receives the length without terminator.
 */
enum rop_err oxcdata_pull_str8(struct oxcdata_pull *pull, char **out, size_t *raw_len_r);
/** UTF-16LE null-terminated string ([MS-OXCDATA] PtypString), as UTF-8. */
enum rop_err oxcdata_pull_str16(struct oxcdata_pull *pull, char **out);

enum rop_err oxcdata_push_u8(struct oxcdata_push *push, uint8_t v);
enum rop_err oxcdata_push_u16(struct oxcdata_push *push, uint16_t v);
enum rop_err oxcdata_push_u32(struct oxcdata_push *push, uint32_t v);
enum rop_err oxcdata_push_u64(struct oxcdata_push *push, uint64_t v);
enum rop_err oxcdata_push_bytes(struct oxcdata_push *push, const uint8_t *src, size_t n);
/** Writes s and its terminator; NULL writes nothing. */
enum rop_err oxcdata_push_str8(struct oxcdata_push *push, const char *s);
/** Writes UTF-8 s as UTF-16LE with terminator; NULL writes nothing. */
enum rop_err oxcdata_push_str16(struct oxcdata_push *push, const char *s);
/** Overwrite a little-endian u16 already written at `at`. */
void oxcdata_push_patch_u16(struct oxcdata_push *push, size_t at, uint16_t v);

/*
 * String conversion ([MS-OXCDATA] 2.11.1: PtypString is UTF-16LE, PtypString8
 * is in the code page of the connection/message). Results are talloc'd,
 * null-terminated UTF-8 (or code-page bytes). Supported: 1200 (UTF-16LE),
 * 1252, 20127 (ASCII), 65001 (UTF-8) natively, any other code page through
 * iconv("CP<n>"). Invalid input -> ROP_ERR_BAD_STRING.
 */
enum rop_err oxcdata_utf16_to_utf8(TALLOC_CTX *mem_ctx, const uint8_t *src,
				   size_t nbytes, char **out);
enum rop_err oxcdata_utf8_to_utf16(TALLOC_CTX *mem_ctx, const char *src,
				   uint8_t **out, size_t *nbytes_r);
enum rop_err oxcdata_cp_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
				const uint8_t *src, size_t n, char **out);
enum rop_err oxcdata_utf8_to_cp(TALLOC_CTX *mem_ctx, uint32_t codepage,
				const char *src, uint8_t **out, size_t *n_r);

#endif /* OXCDATA_WIRE_H */

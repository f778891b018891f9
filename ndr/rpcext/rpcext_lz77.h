/*
 * OpenChange: Plain LZ77 compression ([MS-XCA] 2.3 compression, 2.4
 * decompression), the algorithm [MS-OXCRPC] 3.1.7.2 names for the
 * Compressed flag of RPC_HEADER_EXT.
 *
 * Both directions work on caller buffers and never touch memory outside
 * [in, in + in_size) and [out, out + out_max).
 */
#ifndef OC_RPCEXT_LZ77_H
#define OC_RPCEXT_LZ77_H

#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "rpcext_error.h"

/** Largest back-reference distance of Plain LZ77 (13-bit offset + 1). */
#define RPCEXT_LZ77_WINDOW 8192

/** Largest input the compressor accepts (positions are 32-bit). */
#define RPCEXT_LZ77_MAX_INPUT 0x7fffffffu

/**
 * Decompress a Plain LZ77 stream ([MS-XCA] 2.4.4) into exactly out_size
 * bytes.
 *
 * Strictly bounded: reads stay in [in, in + in_size), writes in
 * [out, out + out_size). Decoding stops at the end of the input (the
 * terminating flag bit of [MS-XCA] 2.4.4, or an input exhausted exactly
 * at a symbol boundary).
 *
 * @param in        compressed bytes (may be NULL when in_size is 0)
 * @param in_size   number of compressed bytes
 * @param out       destination, out_size bytes (may be NULL if 0)
 * @param out_size  the exact expected size (RPC_HEADER_EXT SizeActual)
 *
 * @return RPCEXT_OK when exactly out_size bytes were produced;
 *         RPCEXT_ERR_DECOMPRESSION for a malformed stream (partial flag
 *         word or match, offset before the start of the output, length
 *         escape below 22, output past out_size);
 *         RPCEXT_ERR_SIZE_MISMATCH when the stream ends early.
 *         On error the content of out is unspecified.
 */
enum rpcext_error rpcext_lz77_decompress(const uint8_t *in, size_t in_size,
					 uint8_t *out, size_t out_size);

/** Opaque, reusable compressor workspace (hash chains, ~160 KiB). */
struct rpcext_lz77_ctx;

/**
 * Allocate a compressor workspace on mem_ctx. Reusing one workspace for
 * many calls avoids re-allocating and re-clearing the hash table.
 *
 * @return the workspace, or NULL on allocation failure.
 */
struct rpcext_lz77_ctx *rpcext_lz77_ctx_new(TALLOC_CTX *mem_ctx);

/**
 * Compress with Plain LZ77 ([MS-XCA] 2.3): greedy hash-chain matcher,
 * chain length bounded, so cost is linear in in_size.
 *
 * The output is never larger than out_max. To implement
 * [MS-OXCRPC] 3.1.4.2.1.1 ("send uncompressed when compression does not
 * help") pass out_max = in_size - 1: RPCEXT_ERR_NO_SPACE then means
 * "compressed data would not be smaller, send the payload as is".
 *
 * @param ctx         workspace from rpcext_lz77_ctx_new(), or NULL to
 *                    use a temporary one (allocated and freed here)
 * @param in          bytes to compress (may be NULL when in_size is 0)
 * @param in_size     at most RPCEXT_LZ77_MAX_INPUT
 * @param out         destination buffer of out_max bytes
 * @param out_max     bound on the output
 * @param out_size_r  on success, the number of bytes written
 *
 * @return RPCEXT_OK; RPCEXT_ERR_NO_SPACE if the output would exceed
 *         out_max (out content unspecified); RPCEXT_ERR_TOO_LARGE if
 *         in_size is above RPCEXT_LZ77_MAX_INPUT;
 *         RPCEXT_ERR_INVALID_PARAM for NULL pointers;
 *         RPCEXT_ERR_NO_MEMORY if a temporary workspace cannot be had.
 */
enum rpcext_error rpcext_lz77_compress(struct rpcext_lz77_ctx *ctx,
				       const uint8_t *in, size_t in_size,
				       uint8_t *out, size_t out_max,
				       size_t *out_size_r);

/**
 * Worst-case compressed size for in_size bytes (all literals plus one
 * flag word per 32 symbols plus the final flag word). A buffer of this
 * size never makes rpcext_lz77_compress() return RPCEXT_ERR_NO_SPACE.
 */
size_t rpcext_lz77_compress_bound(size_t in_size);

#endif /* OC_RPCEXT_LZ77_H */

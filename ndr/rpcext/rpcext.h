/*
 * OpenChange: EcDoRpcExt2 extended buffers ([MS-OXCRPC] 3.1.4.2.1).
 *
 * rgbIn, rgbOut, rgbAuxIn and rgbAuxOut of EcDoRpcExt2 (and the aux
 * buffers of EcDoConnectEx) are sequences of chunks: an RPC_HEADER_EXT
 * ([MS-OXCRPC] 2.2.2.1) followed by Size bytes of payload that may be
 * LZ77-compressed ([MS-OXCRPC] 3.1.7.2, [MS-XCA] 2.3/2.4) and/or
 * obfuscated with XorMagic ([MS-OXCRPC] 3.1.7.3). The last chunk carries
 * the Last flag.
 *
 * This header is the contract for the server (emsmdb) and the project's
 * own client. Memory: every result is allocated on the mem_ctx passed in;
 * on error nothing is left allocated on it.
 */
#ifndef OC_RPCEXT_H
#define OC_RPCEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "rpcext_error.h"
#include "rpcext_lz77.h"

/** Size of RPC_HEADER_EXT on the wire. */
#define RPC_HEADER_EXT_SIZE 8

/** RPC_HEADER_EXT Flags ([MS-OXCRPC] 2.2.2.1), names as in the spec. */
enum rpc_header_ext_flags {
	RHEF_Compressed = 0x0001,
	RHEF_XorMagic = 0x0002,
	RHEF_Last = 0x0004,
};
#define RHEF_ALL (RHEF_Compressed | RHEF_XorMagic | RHEF_Last)

/** pulFlags of EcDoRpcExt2 ([MS-OXCRPC] 3.1.4.2). */
enum rpcext_pulFlags {
	pulFlags_NoCompression = 0x00000001,
	pulFlags_NoXorMagic = 0x00000002,
	pulFlags_Chain = 0x00000004,
};

/** Largest cbIn / *pcbOut: BIG_RANGE_ULONG ([MS-OXCRPC] 3.1.4.2). */
#define RPCEXT_MAX_RGB 0x40000
/** Largest cbAuxIn / *pcbAuxOut: SMALL_RANGE_ULONG ([MS-OXCRPC] 3.1.4.2). */
#define RPCEXT_MAX_AUX 0x1008
/** "A single payload MUST NOT exceed 32 KB" ([MS-OXCRPC] 3.1.4.2.1). */
#define RPCEXT_MAX_PAYLOAD 0x8000

/** RPC_HEADER_EXT, [MS-OXCRPC] 2.2.2.1. */
struct rpc_header_ext {
	uint16_t Version;
	uint16_t Flags;
	uint16_t Size;
	uint16_t SizeActual;
};

/**
 * XorMagic ([MS-OXCRPC] 3.1.7.3): XOR every byte with 0xA5, in place.
 * Its own inverse.
 */
void rpcext_xor_magic(uint8_t *buf, size_t size);

/**
 * Read and validate one RPC_HEADER_EXT at buf ([MS-OXCRPC] 2.2.2.1).
 *
 * Checks: 8 bytes present; Version 0; no flag outside RHEF_ALL; without
 * Compressed, Size == SizeActual; with Compressed, Size < SizeActual.
 * Does not look at the payload.
 *
 * @return RPCEXT_OK, RPCEXT_ERR_TRUNCATED, RPCEXT_ERR_BAD_VERSION or
 *         RPCEXT_ERR_BAD_FLAGS.
 */
enum rpcext_error rpcext_header_pull(const uint8_t *buf, size_t size,
				     struct rpc_header_ext *hdr_r);

/** Write hdr as 8 little-endian bytes at buf (no validation). */
void rpcext_header_push(uint8_t *buf, const struct rpc_header_ext *hdr);

/** Limits for rpcext_parse(); NULL selects the defaults listed. */
struct rpcext_limits {
	/** Largest whole buffer (default RPCEXT_MAX_RGB). */
	size_t max_in;
	/** Largest SizeActual of a chunk (default RPCEXT_MAX_PAYLOAD). */
	size_t max_chunk;
	/** Largest sum of SizeActual over all chunks (default 8 * RPCEXT_MAX_RGB). */
	size_t max_total;
};

/** One decoded chunk. */
struct rpcext_chunk {
	struct rpc_header_ext header;	/**< as read from the wire */
	uint8_t *payload;	/**< SizeActual bytes, plain (child of the array) */
	size_t payload_size;	/**< == header.SizeActual */
};

/**
 * Parse a whole extended buffer (rgbIn, rgbAuxIn...) into its chunks,
 * undoing XorMagic and LZ77 on each ([MS-OXCRPC] 3.1.4.2.1.1,
 * 3.1.4.2.1.2.1).
 *
 * Every header is validated as rpcext_header_pull() does; Size must fit
 * in the remaining buffer; SizeActual and the running total are checked
 * against limits before anything is allocated; a compressed payload must
 * decompress to exactly SizeActual bytes. The sequence must end with a
 * chunk flagged Last, exactly at the end of the buffer.
 *
 * @param mem_ctx     parent of the returned array
 * @param buf, size   the buffer (cbIn bytes of rgbIn)
 * @param limits      NULL for the defaults
 * @param chunks_r    on success a talloc array of *num_r chunks; the
 *                    payloads are its children. Untouched on error.
 * @param num_r       number of chunks (>= 1 on success)
 *
 * @return RPCEXT_OK; RPCEXT_ERR_TRUNCATED (empty buffer, short header or
 *         payload); RPCEXT_ERR_BAD_VERSION; RPCEXT_ERR_BAD_FLAGS;
 *         RPCEXT_ERR_TOO_LARGE (a limit); RPCEXT_ERR_DECOMPRESSION;
 *         RPCEXT_ERR_SIZE_MISMATCH; RPCEXT_ERR_NO_LAST;
 *         RPCEXT_ERR_TRAILING_DATA; RPCEXT_ERR_NO_MEMORY;
 *         RPCEXT_ERR_INVALID_PARAM.
 */
enum rpcext_error rpcext_parse(TALLOC_CTX *mem_ctx, const uint8_t *buf,
			       size_t size, const struct rpcext_limits *limits,
			       struct rpcext_chunk **chunks_r, size_t *num_r);

/**
 * Concatenate the payloads of rpcext_parse() into one buffer, which is
 * how packed buffers are consumed ([MS-OXCRPC] 3.1.4.2.1.2.1).
 *
 * @param out_r  allocated on mem_ctx (a 1-byte buffer when empty)
 */
enum rpcext_error rpcext_parse_flat(TALLOC_CTX *mem_ctx, const uint8_t *buf,
				    size_t size,
				    const struct rpcext_limits *limits,
				    uint8_t **out_r, size_t *out_size_r);

/** How the response side encodes chunks. */
struct rpcext_build_opts {
	/** Try LZ77 on each chunk; kept only when it makes it smaller. */
	bool compress;
	/** Apply XorMagic to each chunk's (possibly compressed) bytes. */
	bool xor_magic;
};

/**
 * Options from the client's pulFlags ([MS-OXCRPC] 3.1.4.2): compression
 * unless NoCompression, XorMagic unless NoXorMagic. The server may still
 * choose to clear either (e.g. no XorMagic over an encrypted channel).
 */
struct rpcext_build_opts rpcext_build_opts_from_pulFlags(uint32_t pulFlags);

/** Incremental builder of an extended buffer (rgbOut, rgbAuxOut). */
struct rpcext_writer;

/**
 * Start an extended buffer of at most max_out bytes (the client's
 * *pcbOut or *pcbAuxOut).
 *
 * @return the writer allocated on mem_ctx, or NULL (no memory).
 */
struct rpcext_writer *rpcext_writer_new(TALLOC_CTX *mem_ctx, size_t max_out,
					const struct rpcext_build_opts *opts);

/**
 * Append one chunk holding payload (a whole ROP response buffer for
 * rgbOut). Compresses and/or obfuscates as the options say; a chunk that
 * does not shrink under LZ77 is stored uncompressed (Compressed flag
 * clear, [MS-OXCRPC] 3.1.4.2.1.1).
 *
 * @param last  flag this chunk Last; no chunk may follow it
 * @return RPCEXT_OK; RPCEXT_ERR_TOO_LARGE (size > RPCEXT_MAX_PAYLOAD);
 *         RPCEXT_ERR_NO_SPACE (would exceed max_out; the writer is left
 *         as it was, so the caller may add a Last chunk instead);
 *         RPCEXT_ERR_INVALID_PARAM (after Last); RPCEXT_ERR_NO_MEMORY.
 */
enum rpcext_error rpcext_writer_add(struct rpcext_writer *w,
				    const uint8_t *payload, size_t size,
				    bool last);

/** Bytes still free under max_out (to size the next ROP buffer). */
size_t rpcext_writer_space(const struct rpcext_writer *w);

/**
 * The finished buffer. Valid until the writer is freed.
 *
 * @return RPCEXT_OK, or RPCEXT_ERR_NO_LAST if no chunk was flagged Last.
 */
enum rpcext_error rpcext_writer_data(const struct rpcext_writer *w,
				     const uint8_t **data_r, size_t *size_r);

/**
 * One-shot: split payload into chunks of at most chunk_max bytes
 * (<= RPCEXT_MAX_PAYLOAD; 0 = RPCEXT_MAX_PAYLOAD), flag the last one
 * Last, within max_out bytes. An empty payload gives one empty chunk.
 *
 * @param out_r  allocated on mem_ctx
 * @return as rpcext_writer_add().
 */
enum rpcext_error rpcext_build(TALLOC_CTX *mem_ctx, const uint8_t *payload,
			       size_t size, size_t chunk_max, size_t max_out,
			       const struct rpcext_build_opts *opts,
			       uint8_t **out_r, size_t *out_size_r);

#endif /* OC_RPCEXT_H */

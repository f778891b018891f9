/*
 * OpenChange: EcDoRpcExt2 framing layer, error domain.
 *
 * One small closed enum for everything in ndr/rpcext (RPC_HEADER_EXT,
 * LZ77, XorMagic, AUX blocks). The server maps it to a wire status in
 * exactly one place (emsmdb: ecRpcFormat for malformed client buffers,
 * ecBufferTooSmall for RPCEXT_ERR_NO_SPACE on the response side).
 */
#ifndef OC_RPCEXT_ERROR_H
#define OC_RPCEXT_ERROR_H

/**
 * Result of every fallible function of this layer.
 *
 * The values are stable; new ones are only ever appended.
 */
enum rpcext_error {
	RPCEXT_OK = 0,
	/** The buffer ends inside a header, a field or a payload. */
	RPCEXT_ERR_TRUNCATED,
	/** RPC_HEADER_EXT Version is not 0x0000 ([MS-OXCRPC] 2.2.2.1). */
	RPCEXT_ERR_BAD_VERSION,
	/**
	 * RPC_HEADER_EXT Flags carry an unknown bit, or Size/SizeActual
	 * contradict the Compressed flag ([MS-OXCRPC] 2.2.2.1).
	 */
	RPCEXT_ERR_BAD_FLAGS,
	/** A size exceeds a limit of the spec or of the caller. */
	RPCEXT_ERR_TOO_LARGE,
	/** Malformed LZ77 stream ([MS-XCA] 2.4.4). */
	RPCEXT_ERR_DECOMPRESSION,
	/** The LZ77 stream decoded to a size other than SizeActual. */
	RPCEXT_ERR_SIZE_MISMATCH,
	/** The chunk sequence ended without a chunk flagged Last. */
	RPCEXT_ERR_NO_LAST,
	/** Bytes follow the chunk flagged Last. */
	RPCEXT_ERR_TRAILING_DATA,
	/** Malformed AUX block: Size 0, Size < AUX_HEADER, bad string. */
	RPCEXT_ERR_BAD_AUX,
	/**
	 * The output does not fit in the caller's bound. From the LZ77
	 * compressor this is the "not worth compressing" signal
	 * ([MS-OXCRPC] 3.1.4.2.1.1): send the payload uncompressed.
	 */
	RPCEXT_ERR_NO_SPACE,
	/** A caller passed an invalid argument (API misuse, not wire data). */
	RPCEXT_ERR_INVALID_PARAM,
	/** talloc failed. */
	RPCEXT_ERR_NO_MEMORY,
};

/**
 * Name of an error ("RPCEXT_ERR_TRUNCATED", ...), for logs and tests.
 *
 * @return a static string; "RPCEXT_ERR_<unknown>" for values outside
 * the enum. Never NULL.
 */
const char *rpcext_error_name(enum rpcext_error err);

#endif /* OC_RPCEXT_ERROR_H */

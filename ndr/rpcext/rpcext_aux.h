/*
 * OpenChange: auxiliary buffers of EcDoConnectEx / EcDoRpcExt2,
 * [MS-OXCRPC] 2.2.2.2 (AUX_HEADER and the auxiliary block structures of
 * 2.2.2.2.1 - 2.2.2.2.23) and 3.1.4.1.2 / 3.1.4.2.2 (their use).
 *
 * rgbAuxIn is an extended buffer (see rpcext.h) whose payload is a
 * sequence of blocks, each an AUX_HEADER followed by the structure that
 * its (Version, Type) selects. Structures and fields carry the names of
 * the spec. Strings (all "null-terminated Unicode" in the spec, i.e.
 * UTF-16LE) are converted to UTF-8; a zero offset gives NULL.
 */
#ifndef OC_RPCEXT_AUX_H
#define OC_RPCEXT_AUX_H

#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "rpcext.h"

/** AUX_HEADER Version ([MS-OXCRPC] 2.2.2.2). */
enum { AUX_VERSION_1 = 0x01, AUX_VERSION_2 = 0x02 };

/** AUX_HEADER Type ([MS-OXCRPC] 2.2.2.2), all with the AUX_TYPE_ prefix. */
enum aux_type {
	AUX_TYPE_PERF_REQUESTID = 0x01,
	AUX_TYPE_PERF_CLIENTINFO = 0x02,
	AUX_TYPE_PERF_SERVERINFO = 0x03,
	AUX_TYPE_PERF_SESSIONINFO = 0x04,
	AUX_TYPE_PERF_DEFMDB_SUCCESS = 0x05,
	AUX_TYPE_PERF_DEFGC_SUCCESS = 0x06,
	AUX_TYPE_PERF_MDB_SUCCESS = 0x07,
	AUX_TYPE_PERF_GC_SUCCESS = 0x08,
	AUX_TYPE_PERF_FAILURE = 0x09,
	AUX_TYPE_CLIENT_CONTROL = 0x0A,
	AUX_TYPE_PERF_PROCESSINFO = 0x0B,
	AUX_TYPE_PERF_BG_DEFMDB_SUCCESS = 0x0C,
	AUX_TYPE_PERF_BG_DEFGC_SUCCESS = 0x0D,
	AUX_TYPE_PERF_BG_MDB_SUCCESS = 0x0E,
	AUX_TYPE_PERF_BG_GC_SUCCESS = 0x0F,
	AUX_TYPE_PERF_BG_FAILURE = 0x10,
	AUX_TYPE_PERF_FG_DEFMDB_SUCCESS = 0x11,
	AUX_TYPE_PERF_FG_DEFGC_SUCCESS = 0x12,
	AUX_TYPE_PERF_FG_MDB_SUCCESS = 0x13,
	AUX_TYPE_PERF_FG_GC_SUCCESS = 0x14,
	AUX_TYPE_PERF_FG_FAILURE = 0x15,
	AUX_TYPE_OSVERSIONINFO = 0x16,
	AUX_TYPE_EXORGINFO = 0x17,
	AUX_TYPE_PERF_ACCOUNTINFO = 0x18,
	AUX_TYPE_SERVER_CAPABILITIES = 0x46,
	AUX_TYPE_ENDPOINT_CAPABILITIES = 0x48,
	AUX_TYPE_CLIENT_CONNECTION_INFO = 0x4A,
	AUX_TYPE_SERVER_SESSION_INFO = 0x4B,
	AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION = 0x4E,
};

/** Flags of the server-sent blocks. */
enum {
	/* AUX_CLIENT_CONTROL EnableFlags, 2.2.2.2.15 */
	ENABLE_PERF_SENDTOSERVER = 0x00000001,
	ENABLE_COMPRESSION = 0x00000004,
	ENABLE_HTTP_TUNNELING = 0x00000008,
	ENABLE_PERF_SENDGCDATA = 0x00000010,
	/* AUX_EXORGINFO OrgFlags, 2.2.2.2.17 */
	PUBLIC_FOLDERS_ENABLED = 0x00000001,
	USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION = 0x00000002,
	/* AUX_SERVER_CAPABILITIES ServerCapabilityFlags, 2.2.2.2.19 */
	PACKED_FAST_TRANSFER_UPLOAD_BUFFERS = 0x00000001,
	PACKED_WRITE_STREAM_UPLOAD_BUFFERS = 0x00000002,
	/* AUX_ENDPOINT_CAPABILITIES EndpointCapabilityFlag, 2.2.2.2.20 */
	ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT = 0x00000001,
};

/** AUX_HEADER, 2.2.2.2. Size counts the header itself. */
struct AUX_HEADER {
	uint16_t Size;
	uint8_t Version;
	uint8_t Type;
};
#define AUX_HEADER_SIZE 4

struct AUX_PERF_REQUESTID { uint16_t SessionID, RequestID; };	/* 2.2.2.2.1 */
struct AUX_PERF_SESSIONINFO {					/* 2.2.2.2.2 */
	uint16_t SessionID, Reserved;
	uint8_t SessionGuid[16];
};
struct AUX_PERF_SESSIONINFO_V2 {				/* 2.2.2.2.3 */
	uint16_t SessionID, Reserved;
	uint8_t SessionGuid[16];
	uint32_t ConnectionID;
};
struct AUX_PERF_CLIENTINFO {					/* 2.2.2.2.4 */
	uint32_t AdapterSpeed;
	uint16_t ClientID, MachineNameOffset, UserNameOffset;
	uint16_t ClientIPSize, ClientIPOffset;
	uint16_t ClientIPMaskSize, ClientIPMaskOffset;
	uint16_t AdapterNameOffset, MacAddressSize, MacAddressOffset;
	uint16_t ClientMode, Reserved;
	char *MachineName, *UserName, *AdapterName;
	uint8_t *ClientIP, *ClientIPMask, *MacAddress;
};
struct AUX_PERF_SERVERINFO {					/* 2.2.2.2.5 */
	uint16_t ServerID, ServerType, ServerDNOffset, ServerNameOffset;
	char *ServerDN, *ServerName;
};
struct AUX_PERF_PROCESSINFO {					/* 2.2.2.2.6 */
	uint16_t ProcessID, Reserved_1;
	uint8_t ProcessGuid[16];
	uint16_t ProcessNameOffset, Reserved_2;
	char *ProcessName;
};
struct AUX_PERF_DEFMDB_SUCCESS {				/* 2.2.2.2.7 */
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
	uint16_t RequestID, Reserved;
};
struct AUX_PERF_DEFGC_SUCCESS {					/* 2.2.2.2.8 */
	uint16_t ServerID, SessionID;
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
	uint8_t RequestOperation, Reserved[3];
};
struct AUX_PERF_MDB_SUCCESS {					/* 2.2.2.2.9 */
	uint16_t ClientID, ServerID, SessionID, RequestID;
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
};
struct AUX_PERF_MDB_SUCCESS_V2 {				/* 2.2.2.2.10 */
	uint16_t ProcessID, ClientID, ServerID, SessionID, RequestID, Reserved;
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
};
struct AUX_PERF_GC_SUCCESS {					/* 2.2.2.2.11 */
	uint16_t ClientID, ServerID, SessionID, Reserved_1;
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
	uint8_t RequestOperation, Reserved_2[3];
};
struct AUX_PERF_GC_SUCCESS_V2 {					/* 2.2.2.2.12 */
	uint16_t ProcessID, ClientID, ServerID, SessionID;
	uint32_t TimeSinceRequest, TimeToCompleteRequest;
	uint8_t RequestOperation, Reserved[3];
};
struct AUX_PERF_FAILURE {					/* 2.2.2.2.13 */
	uint16_t ClientID, ServerID, SessionID, RequestID;
	uint32_t TimeSinceRequest, TimeToFailRequest, ResultCode;
	uint8_t RequestOperation, Reserved[3];
};
struct AUX_PERF_FAILURE_V2 {					/* 2.2.2.2.14 */
	uint16_t ProcessID, ClientID, ServerID, SessionID, RequestID, Reserved_1;
	uint32_t TimeSinceRequest, TimeToFailRequest, ResultCode;
	uint8_t RequestOperation, Reserved_2[3];
};
struct AUX_CLIENT_CONTROL { uint32_t EnableFlags, ExpiryTime; };	/* .15 */
struct AUX_OSVERSIONINFO {					/* 2.2.2.2.16 */
	uint32_t OSVersionInfoSize, MajorVersion, MinorVersion, BuildNumber;
	uint8_t Reserved_1[132];
	uint16_t ServicePackMajor, ServicePackMinor;
	uint32_t Reserved_2;
};
struct AUX_EXORGINFO { uint32_t OrgFlags; };			/* 2.2.2.2.17 */
struct AUX_PERF_ACCOUNTINFO {					/* 2.2.2.2.18 */
	uint16_t ClientID, Reserved;
	uint8_t Account[16];
};
struct AUX_SERVER_CAPABILITIES { uint32_t ServerCapabilityFlags; }; /* .19 */
struct AUX_ENDPOINT_CAPABILITIES { uint32_t EndpointCapabilityFlag; }; /* .20 */
struct AUX_CLIENT_CONNECTION_INFO {				/* 2.2.2.2.21 */
	uint8_t ConnectionGUID[16];
	uint16_t OffsetConnectionContextInfo, Reserved;
	uint32_t ConnectionAttempts, ConnectionFlags;
	char *ConnectionContextInfo;
};
struct AUX_SERVER_SESSION_INFO {				/* 2.2.2.2.22 */
	uint16_t OffsetServerSessionContextInfo;
	char *ServerSessionContextInfo;
};
struct AUX_PROTOCOL_DEVICE_IDENTIFICATION {			/* 2.2.2.2.23 */
	uint16_t DeviceManufacturerOffset, DeviceModelOffset;
	uint16_t DeviceSerialNumberOffset, DeviceVersionOffset;
	uint16_t DeviceFirmwareVersionOffset;
	char *DeviceManufacturer, *DeviceModel, *DeviceSerialNumber;
	char *DeviceVersion, *DeviceFirmwareVersion;
};

/** Which structure a block holds (several Types share one structure). */
enum rpcext_aux_kind {
	RPCEXT_AUX_UNKNOWN = 0,	/**< (Version, Type) not known: raw only */
	RPCEXT_AUX_PERF_REQUESTID,
	RPCEXT_AUX_PERF_CLIENTINFO,
	RPCEXT_AUX_PERF_SERVERINFO,
	RPCEXT_AUX_PERF_SESSIONINFO,
	RPCEXT_AUX_PERF_SESSIONINFO_V2,
	RPCEXT_AUX_PERF_PROCESSINFO,
	RPCEXT_AUX_PERF_DEFMDB_SUCCESS,
	RPCEXT_AUX_PERF_DEFGC_SUCCESS,
	RPCEXT_AUX_PERF_MDB_SUCCESS,
	RPCEXT_AUX_PERF_MDB_SUCCESS_V2,
	RPCEXT_AUX_PERF_GC_SUCCESS,
	RPCEXT_AUX_PERF_GC_SUCCESS_V2,
	RPCEXT_AUX_PERF_FAILURE,
	RPCEXT_AUX_PERF_FAILURE_V2,
	RPCEXT_AUX_CLIENT_CONTROL,
	RPCEXT_AUX_OSVERSIONINFO,
	RPCEXT_AUX_EXORGINFO,
	RPCEXT_AUX_PERF_ACCOUNTINFO,
	RPCEXT_AUX_SERVER_CAPABILITIES,
	RPCEXT_AUX_ENDPOINT_CAPABILITIES,
	RPCEXT_AUX_CLIENT_CONNECTION_INFO,
	RPCEXT_AUX_SERVER_SESSION_INFO,
	RPCEXT_AUX_PROTOCOL_DEVICE_IDENTIFICATION,
	RPCEXT_AUX_KIND_COUNT
};

/** One auxiliary block. */
struct rpcext_aux_block {
	struct AUX_HEADER header;
	enum rpcext_aux_kind kind;
	union {
		struct AUX_PERF_REQUESTID AUX_PERF_REQUESTID;
		struct AUX_PERF_CLIENTINFO AUX_PERF_CLIENTINFO;
		struct AUX_PERF_SERVERINFO AUX_PERF_SERVERINFO;
		struct AUX_PERF_SESSIONINFO AUX_PERF_SESSIONINFO;
		struct AUX_PERF_SESSIONINFO_V2 AUX_PERF_SESSIONINFO_V2;
		struct AUX_PERF_PROCESSINFO AUX_PERF_PROCESSINFO;
		struct AUX_PERF_DEFMDB_SUCCESS AUX_PERF_DEFMDB_SUCCESS;
		struct AUX_PERF_DEFGC_SUCCESS AUX_PERF_DEFGC_SUCCESS;
		struct AUX_PERF_MDB_SUCCESS AUX_PERF_MDB_SUCCESS;
		struct AUX_PERF_MDB_SUCCESS_V2 AUX_PERF_MDB_SUCCESS_V2;
		struct AUX_PERF_GC_SUCCESS AUX_PERF_GC_SUCCESS;
		struct AUX_PERF_GC_SUCCESS_V2 AUX_PERF_GC_SUCCESS_V2;
		struct AUX_PERF_FAILURE AUX_PERF_FAILURE;
		struct AUX_PERF_FAILURE_V2 AUX_PERF_FAILURE_V2;
		struct AUX_CLIENT_CONTROL AUX_CLIENT_CONTROL;
		struct AUX_OSVERSIONINFO AUX_OSVERSIONINFO;
		struct AUX_EXORGINFO AUX_EXORGINFO;
		struct AUX_PERF_ACCOUNTINFO AUX_PERF_ACCOUNTINFO;
		struct AUX_SERVER_CAPABILITIES AUX_SERVER_CAPABILITIES;
		struct AUX_ENDPOINT_CAPABILITIES AUX_ENDPOINT_CAPABILITIES;
		struct AUX_CLIENT_CONNECTION_INFO AUX_CLIENT_CONNECTION_INFO;
		struct AUX_SERVER_SESSION_INFO AUX_SERVER_SESSION_INFO;
		struct AUX_PROTOCOL_DEVICE_IDENTIFICATION AUX_PROTOCOL_DEVICE_IDENTIFICATION;
	} u;
	/** Bytes after the AUX_HEADER (Size - 4 of them), always set by the parser. */
	uint8_t *raw;
	size_t raw_size;
};

/** "AUX_PERF_CLIENTINFO", ...; "unknown" outside the enum. */
const char *rpcext_aux_kind_name(enum rpcext_aux_kind kind);

/** The structure (Version, Type) selects, RPCEXT_AUX_UNKNOWN if none. */
enum rpcext_aux_kind rpcext_aux_kind_of(uint8_t Version, uint8_t Type);

/**
 * Parse the AUX blocks of a decoded aux payload (the bytes after the
 * RPC_HEADER_EXT, see rpcext_parse_flat()).
 *
 * Every AUX_HEADER Size must be >= 4 and fit in what remains, so the
 * walk always advances and ends. Known blocks must be at least as large
 * as their fixed part; every string offset must lie inside its block and
 * the string must be terminated there. Unknown (Version, Type) pairs are
 * kept as RPCEXT_AUX_UNKNOWN with their raw bytes ([MS-OXCRPC] 3.1.4.1.2:
 * the server ignores them).
 *
 * @param blocks_r  talloc array on mem_ctx (strings and raw bytes are its
 *                  children); NULL when *num_r is 0. Untouched on error.
 * @return RPCEXT_OK, RPCEXT_ERR_BAD_AUX, RPCEXT_ERR_NO_MEMORY,
 *         RPCEXT_ERR_INVALID_PARAM.
 */
enum rpcext_error rpcext_aux_parse(TALLOC_CTX *mem_ctx, const uint8_t *buf,
				   size_t size, struct rpcext_aux_block **blocks_r,
				   size_t *num_r);

/**
 * Parse a whole rgbAuxIn (cbAuxIn bytes, at most RPCEXT_MAX_AUX): the
 * extended buffer(s) first (rpcext_parse_flat()), then the blocks.
 * cbAuxIn 0 is valid and gives no blocks.
 *
 * @return as rpcext_parse() and rpcext_aux_parse().
 */
enum rpcext_error rpcext_aux_in_parse(TALLOC_CTX *mem_ctx,
				      const uint8_t *rgbAuxIn, size_t cbAuxIn,
				      struct rpcext_aux_block **blocks_r,
				      size_t *num_r);

/**
 * Serialise blocks (header.Version and header.Type select the layout;
 * header.Size, kind, raw and the *Offset fields are computed and
 * ignored on input). Variable data follows the fixed part in field
 * order; each block is zero-padded to a multiple of 4 bytes.
 *
 * @param out_r  allocated on mem_ctx
 * @return RPCEXT_OK; RPCEXT_ERR_INVALID_PARAM (unknown layout, invalid
 *         UTF-8); RPCEXT_ERR_TOO_LARGE (a block over 0xFFFF bytes);
 *         RPCEXT_ERR_NO_MEMORY.
 */
enum rpcext_error rpcext_aux_push(TALLOC_CTX *mem_ctx,
				  const struct rpcext_aux_block *blocks,
				  size_t num, uint8_t **out_r, size_t *out_size_r);

/**
 * Build rgbAuxOut: the pushed blocks in one extended buffer flagged Last
 * (split in several chunks when over RPCEXT_MAX_PAYLOAD), within max_out
 * (the client's *pcbAuxOut).
 *
 * @return as rpcext_aux_push() and rpcext_build().
 */
enum rpcext_error rpcext_aux_out_build(TALLOC_CTX *mem_ctx,
				       const struct rpcext_aux_block *blocks,
				       size_t num, size_t max_out,
				       const struct rpcext_build_opts *opts,
				       uint8_t **out_r, size_t *out_size_r);

#endif /* OC_RPCEXT_AUX_H */

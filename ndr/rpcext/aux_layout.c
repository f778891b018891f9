/*
 * OpenChange: field tables of the auxiliary block structures,
 * [MS-OXCRPC] 2.2.2.2.1 - 2.2.2.2.23, and the (Version, Type) map of
 * 2.2.2.2. Each row is one wire field, in wire order.
 */
#include "aux_private.h"

#define FU8(S, m) { AUXF_U8, 1, offsetof(struct S, m), 0, 0 }
#define FU16(S, m) { AUXF_U16, 2, offsetof(struct S, m), 0, 0 }
#define FU32(S, m) { AUXF_U32, 4, offsetof(struct S, m), 0, 0 }
#define FBYTES(S, m, n) { AUXF_BYTES, n, offsetof(struct S, m), 0, 0 }
#define FUSTR(S, off, str) { AUXF_USTR, 2, offsetof(struct S, off), offsetof(struct S, str), 0 }
#define FBLOB(S, off, data, size) \
	{ AUXF_BLOB, 2, offsetof(struct S, off), offsetof(struct S, data), offsetof(struct S, size) }
#define LAYOUT(K, S, F, fixed) \
	[RPCEXT_AUX_##K] = { RPCEXT_AUX_##K, #S, F, sizeof(F) / sizeof(F[0]), fixed }

static const struct aux_field f_requestid[] = {
	FU16(AUX_PERF_REQUESTID, SessionID), FU16(AUX_PERF_REQUESTID, RequestID),
};
static const struct aux_field f_sessioninfo[] = {
	FU16(AUX_PERF_SESSIONINFO, SessionID), FU16(AUX_PERF_SESSIONINFO, Reserved),
	FBYTES(AUX_PERF_SESSIONINFO, SessionGuid, 16),
};
static const struct aux_field f_sessioninfo_v2[] = {
	FU16(AUX_PERF_SESSIONINFO_V2, SessionID), FU16(AUX_PERF_SESSIONINFO_V2, Reserved),
	FBYTES(AUX_PERF_SESSIONINFO_V2, SessionGuid, 16),
	FU32(AUX_PERF_SESSIONINFO_V2, ConnectionID),
};
static const struct aux_field f_clientinfo[] = {
	FU32(AUX_PERF_CLIENTINFO, AdapterSpeed), FU16(AUX_PERF_CLIENTINFO, ClientID),
	FUSTR(AUX_PERF_CLIENTINFO, MachineNameOffset, MachineName),
	FUSTR(AUX_PERF_CLIENTINFO, UserNameOffset, UserName),
	FU16(AUX_PERF_CLIENTINFO, ClientIPSize),
	FBLOB(AUX_PERF_CLIENTINFO, ClientIPOffset, ClientIP, ClientIPSize),
	FU16(AUX_PERF_CLIENTINFO, ClientIPMaskSize),
	FBLOB(AUX_PERF_CLIENTINFO, ClientIPMaskOffset, ClientIPMask, ClientIPMaskSize),
	FUSTR(AUX_PERF_CLIENTINFO, AdapterNameOffset, AdapterName),
	FU16(AUX_PERF_CLIENTINFO, MacAddressSize),
	FBLOB(AUX_PERF_CLIENTINFO, MacAddressOffset, MacAddress, MacAddressSize),
	FU16(AUX_PERF_CLIENTINFO, ClientMode), FU16(AUX_PERF_CLIENTINFO, Reserved),
};
static const struct aux_field f_serverinfo[] = {
	FU16(AUX_PERF_SERVERINFO, ServerID), FU16(AUX_PERF_SERVERINFO, ServerType),
	FUSTR(AUX_PERF_SERVERINFO, ServerDNOffset, ServerDN),
	FUSTR(AUX_PERF_SERVERINFO, ServerNameOffset, ServerName),
};
static const struct aux_field f_processinfo[] = {
	FU16(AUX_PERF_PROCESSINFO, ProcessID), FU16(AUX_PERF_PROCESSINFO, Reserved_1),
	FBYTES(AUX_PERF_PROCESSINFO, ProcessGuid, 16),
	FUSTR(AUX_PERF_PROCESSINFO, ProcessNameOffset, ProcessName),
	FU16(AUX_PERF_PROCESSINFO, Reserved_2),
};
static const struct aux_field f_defmdb[] = {
	FU32(AUX_PERF_DEFMDB_SUCCESS, TimeSinceRequest),
	FU32(AUX_PERF_DEFMDB_SUCCESS, TimeToCompleteRequest),
	FU16(AUX_PERF_DEFMDB_SUCCESS, RequestID), FU16(AUX_PERF_DEFMDB_SUCCESS, Reserved),
};
static const struct aux_field f_defgc[] = {
	FU16(AUX_PERF_DEFGC_SUCCESS, ServerID), FU16(AUX_PERF_DEFGC_SUCCESS, SessionID),
	FU32(AUX_PERF_DEFGC_SUCCESS, TimeSinceRequest),
	FU32(AUX_PERF_DEFGC_SUCCESS, TimeToCompleteRequest),
	FU8(AUX_PERF_DEFGC_SUCCESS, RequestOperation),
	FBYTES(AUX_PERF_DEFGC_SUCCESS, Reserved, 3),
};
static const struct aux_field f_mdb[] = {
	FU16(AUX_PERF_MDB_SUCCESS, ClientID), FU16(AUX_PERF_MDB_SUCCESS, ServerID),
	FU16(AUX_PERF_MDB_SUCCESS, SessionID), FU16(AUX_PERF_MDB_SUCCESS, RequestID),
	FU32(AUX_PERF_MDB_SUCCESS, TimeSinceRequest),
	FU32(AUX_PERF_MDB_SUCCESS, TimeToCompleteRequest),
};
static const struct aux_field f_mdb_v2[] = {
	FU16(AUX_PERF_MDB_SUCCESS_V2, ProcessID), FU16(AUX_PERF_MDB_SUCCESS_V2, ClientID),
	FU16(AUX_PERF_MDB_SUCCESS_V2, ServerID), FU16(AUX_PERF_MDB_SUCCESS_V2, SessionID),
	FU16(AUX_PERF_MDB_SUCCESS_V2, RequestID), FU16(AUX_PERF_MDB_SUCCESS_V2, Reserved),
	FU32(AUX_PERF_MDB_SUCCESS_V2, TimeSinceRequest),
	FU32(AUX_PERF_MDB_SUCCESS_V2, TimeToCompleteRequest),
};
static const struct aux_field f_gc[] = {
	FU16(AUX_PERF_GC_SUCCESS, ClientID), FU16(AUX_PERF_GC_SUCCESS, ServerID),
	FU16(AUX_PERF_GC_SUCCESS, SessionID), FU16(AUX_PERF_GC_SUCCESS, Reserved_1),
	FU32(AUX_PERF_GC_SUCCESS, TimeSinceRequest),
	FU32(AUX_PERF_GC_SUCCESS, TimeToCompleteRequest),
	FU8(AUX_PERF_GC_SUCCESS, RequestOperation),
	FBYTES(AUX_PERF_GC_SUCCESS, Reserved_2, 3),
};
static const struct aux_field f_gc_v2[] = {
	FU16(AUX_PERF_GC_SUCCESS_V2, ProcessID), FU16(AUX_PERF_GC_SUCCESS_V2, ClientID),
	FU16(AUX_PERF_GC_SUCCESS_V2, ServerID), FU16(AUX_PERF_GC_SUCCESS_V2, SessionID),
	FU32(AUX_PERF_GC_SUCCESS_V2, TimeSinceRequest),
	FU32(AUX_PERF_GC_SUCCESS_V2, TimeToCompleteRequest),
	FU8(AUX_PERF_GC_SUCCESS_V2, RequestOperation),
	FBYTES(AUX_PERF_GC_SUCCESS_V2, Reserved, 3),
};
static const struct aux_field f_failure[] = {
	FU16(AUX_PERF_FAILURE, ClientID), FU16(AUX_PERF_FAILURE, ServerID),
	FU16(AUX_PERF_FAILURE, SessionID), FU16(AUX_PERF_FAILURE, RequestID),
	FU32(AUX_PERF_FAILURE, TimeSinceRequest), FU32(AUX_PERF_FAILURE, TimeToFailRequest),
	FU32(AUX_PERF_FAILURE, ResultCode), FU8(AUX_PERF_FAILURE, RequestOperation),
	FBYTES(AUX_PERF_FAILURE, Reserved, 3),
};
static const struct aux_field f_failure_v2[] = {
	FU16(AUX_PERF_FAILURE_V2, ProcessID), FU16(AUX_PERF_FAILURE_V2, ClientID),
	FU16(AUX_PERF_FAILURE_V2, ServerID), FU16(AUX_PERF_FAILURE_V2, SessionID),
	FU16(AUX_PERF_FAILURE_V2, RequestID), FU16(AUX_PERF_FAILURE_V2, Reserved_1),
	FU32(AUX_PERF_FAILURE_V2, TimeSinceRequest),
	FU32(AUX_PERF_FAILURE_V2, TimeToFailRequest),
	FU32(AUX_PERF_FAILURE_V2, ResultCode), FU8(AUX_PERF_FAILURE_V2, RequestOperation),
	FBYTES(AUX_PERF_FAILURE_V2, Reserved_2, 3),
};
static const struct aux_field f_client_control[] = {
	FU32(AUX_CLIENT_CONTROL, EnableFlags), FU32(AUX_CLIENT_CONTROL, ExpiryTime),
};
static const struct aux_field f_osversioninfo[] = {
	FU32(AUX_OSVERSIONINFO, OSVersionInfoSize), FU32(AUX_OSVERSIONINFO, MajorVersion),
	FU32(AUX_OSVERSIONINFO, MinorVersion), FU32(AUX_OSVERSIONINFO, BuildNumber),
	FBYTES(AUX_OSVERSIONINFO, Reserved_1, 132),
	FU16(AUX_OSVERSIONINFO, ServicePackMajor), FU16(AUX_OSVERSIONINFO, ServicePackMinor),
	FU32(AUX_OSVERSIONINFO, Reserved_2),
};
static const struct aux_field f_exorginfo[] = { FU32(AUX_EXORGINFO, OrgFlags) };
static const struct aux_field f_accountinfo[] = {
	FU16(AUX_PERF_ACCOUNTINFO, ClientID), FU16(AUX_PERF_ACCOUNTINFO, Reserved),
	FBYTES(AUX_PERF_ACCOUNTINFO, Account, 16),
};
static const struct aux_field f_server_caps[] = {
	FU32(AUX_SERVER_CAPABILITIES, ServerCapabilityFlags),
};
static const struct aux_field f_endpoint_caps[] = {
	FU32(AUX_ENDPOINT_CAPABILITIES, EndpointCapabilityFlag),
};
static const struct aux_field f_conn_info[] = {
	FBYTES(AUX_CLIENT_CONNECTION_INFO, ConnectionGUID, 16),
	FUSTR(AUX_CLIENT_CONNECTION_INFO, OffsetConnectionContextInfo, ConnectionContextInfo),
	FU16(AUX_CLIENT_CONNECTION_INFO, Reserved),
	FU32(AUX_CLIENT_CONNECTION_INFO, ConnectionAttempts),
	FU32(AUX_CLIENT_CONNECTION_INFO, ConnectionFlags),
};
static const struct aux_field f_session_info[] = {
	FUSTR(AUX_SERVER_SESSION_INFO, OffsetServerSessionContextInfo, ServerSessionContextInfo),
};
static const struct aux_field f_device_id[] = {
	FUSTR(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceManufacturerOffset, DeviceManufacturer),
	FUSTR(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceModelOffset, DeviceModel),
	FUSTR(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceSerialNumberOffset, DeviceSerialNumber),
	FUSTR(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceVersionOffset, DeviceVersion),
	FUSTR(AUX_PROTOCOL_DEVICE_IDENTIFICATION, DeviceFirmwareVersionOffset, DeviceFirmwareVersion),
};

static const struct aux_layout aux_layouts[RPCEXT_AUX_KIND_COUNT] = {
	LAYOUT(PERF_REQUESTID, AUX_PERF_REQUESTID, f_requestid, 4),
	LAYOUT(PERF_CLIENTINFO, AUX_PERF_CLIENTINFO, f_clientinfo, 28),
	LAYOUT(PERF_SERVERINFO, AUX_PERF_SERVERINFO, f_serverinfo, 8),
	LAYOUT(PERF_SESSIONINFO, AUX_PERF_SESSIONINFO, f_sessioninfo, 20),
	LAYOUT(PERF_SESSIONINFO_V2, AUX_PERF_SESSIONINFO_V2, f_sessioninfo_v2, 24),
	LAYOUT(PERF_PROCESSINFO, AUX_PERF_PROCESSINFO, f_processinfo, 24),
	LAYOUT(PERF_DEFMDB_SUCCESS, AUX_PERF_DEFMDB_SUCCESS, f_defmdb, 12),
	LAYOUT(PERF_DEFGC_SUCCESS, AUX_PERF_DEFGC_SUCCESS, f_defgc, 16),
	LAYOUT(PERF_MDB_SUCCESS, AUX_PERF_MDB_SUCCESS, f_mdb, 16),
	LAYOUT(PERF_MDB_SUCCESS_V2, AUX_PERF_MDB_SUCCESS_V2, f_mdb_v2, 20),
	LAYOUT(PERF_GC_SUCCESS, AUX_PERF_GC_SUCCESS, f_gc, 20),
	LAYOUT(PERF_GC_SUCCESS_V2, AUX_PERF_GC_SUCCESS_V2, f_gc_v2, 20),
	LAYOUT(PERF_FAILURE, AUX_PERF_FAILURE, f_failure, 24),
	LAYOUT(PERF_FAILURE_V2, AUX_PERF_FAILURE_V2, f_failure_v2, 28),
	LAYOUT(CLIENT_CONTROL, AUX_CLIENT_CONTROL, f_client_control, 8),
	LAYOUT(OSVERSIONINFO, AUX_OSVERSIONINFO, f_osversioninfo, 156),
	LAYOUT(EXORGINFO, AUX_EXORGINFO, f_exorginfo, 4),
	LAYOUT(PERF_ACCOUNTINFO, AUX_PERF_ACCOUNTINFO, f_accountinfo, 20),
	LAYOUT(SERVER_CAPABILITIES, AUX_SERVER_CAPABILITIES, f_server_caps, 4),
	LAYOUT(ENDPOINT_CAPABILITIES, AUX_ENDPOINT_CAPABILITIES, f_endpoint_caps, 4),
	LAYOUT(CLIENT_CONNECTION_INFO, AUX_CLIENT_CONNECTION_INFO, f_conn_info, 28),
	LAYOUT(SERVER_SESSION_INFO, AUX_SERVER_SESSION_INFO, f_session_info, 2),
	LAYOUT(PROTOCOL_DEVICE_IDENTIFICATION, AUX_PROTOCOL_DEVICE_IDENTIFICATION,
	       f_device_id, 10),
};

/* 2.2.2.2: which structure each (Version, Type) pair carries. */
static const struct {
	uint8_t version;
	uint8_t type;
	enum rpcext_aux_kind kind;
} aux_type_map[] = {
	{ AUX_VERSION_1, AUX_TYPE_PERF_REQUESTID, RPCEXT_AUX_PERF_REQUESTID },
	{ AUX_VERSION_1, AUX_TYPE_PERF_CLIENTINFO, RPCEXT_AUX_PERF_CLIENTINFO },
	{ AUX_VERSION_1, AUX_TYPE_PERF_SERVERINFO, RPCEXT_AUX_PERF_SERVERINFO },
	{ AUX_VERSION_1, AUX_TYPE_PERF_SESSIONINFO, RPCEXT_AUX_PERF_SESSIONINFO },
	{ AUX_VERSION_2, AUX_TYPE_PERF_SESSIONINFO, RPCEXT_AUX_PERF_SESSIONINFO_V2 },
	{ AUX_VERSION_1, AUX_TYPE_PERF_DEFMDB_SUCCESS, RPCEXT_AUX_PERF_DEFMDB_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_BG_DEFMDB_SUCCESS, RPCEXT_AUX_PERF_DEFMDB_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FG_DEFMDB_SUCCESS, RPCEXT_AUX_PERF_DEFMDB_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_DEFGC_SUCCESS, RPCEXT_AUX_PERF_DEFGC_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_BG_DEFGC_SUCCESS, RPCEXT_AUX_PERF_DEFGC_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FG_DEFGC_SUCCESS, RPCEXT_AUX_PERF_DEFGC_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_BG_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FG_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS },
	{ AUX_VERSION_2, AUX_TYPE_PERF_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_BG_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_FG_MDB_SUCCESS, RPCEXT_AUX_PERF_MDB_SUCCESS_V2 },
	{ AUX_VERSION_1, AUX_TYPE_PERF_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_BG_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FG_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS },
	{ AUX_VERSION_2, AUX_TYPE_PERF_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_BG_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_FG_GC_SUCCESS, RPCEXT_AUX_PERF_GC_SUCCESS_V2 },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FAILURE, RPCEXT_AUX_PERF_FAILURE },
	{ AUX_VERSION_1, AUX_TYPE_PERF_BG_FAILURE, RPCEXT_AUX_PERF_FAILURE },
	{ AUX_VERSION_1, AUX_TYPE_PERF_FG_FAILURE, RPCEXT_AUX_PERF_FAILURE },
	{ AUX_VERSION_2, AUX_TYPE_PERF_FAILURE, RPCEXT_AUX_PERF_FAILURE_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_BG_FAILURE, RPCEXT_AUX_PERF_FAILURE_V2 },
	{ AUX_VERSION_2, AUX_TYPE_PERF_FG_FAILURE, RPCEXT_AUX_PERF_FAILURE_V2 },
	{ AUX_VERSION_1, AUX_TYPE_CLIENT_CONTROL, RPCEXT_AUX_CLIENT_CONTROL },
	{ AUX_VERSION_2, AUX_TYPE_PERF_PROCESSINFO, RPCEXT_AUX_PERF_PROCESSINFO },
	{ AUX_VERSION_1, AUX_TYPE_OSVERSIONINFO, RPCEXT_AUX_OSVERSIONINFO },
	{ AUX_VERSION_1, AUX_TYPE_EXORGINFO, RPCEXT_AUX_EXORGINFO },
	{ AUX_VERSION_1, AUX_TYPE_PERF_ACCOUNTINFO, RPCEXT_AUX_PERF_ACCOUNTINFO },
	{ AUX_VERSION_1, AUX_TYPE_SERVER_CAPABILITIES, RPCEXT_AUX_SERVER_CAPABILITIES },
	{ AUX_VERSION_1, AUX_TYPE_ENDPOINT_CAPABILITIES, RPCEXT_AUX_ENDPOINT_CAPABILITIES },
	{ AUX_VERSION_1, AUX_TYPE_CLIENT_CONNECTION_INFO, RPCEXT_AUX_CLIENT_CONNECTION_INFO },
	{ AUX_VERSION_1, AUX_TYPE_SERVER_SESSION_INFO, RPCEXT_AUX_SERVER_SESSION_INFO },
	{ AUX_VERSION_1, AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION,
	  RPCEXT_AUX_PROTOCOL_DEVICE_IDENTIFICATION },
};

const struct aux_layout *aux_layout_of_kind(enum rpcext_aux_kind kind)
{
	if (kind <= RPCEXT_AUX_UNKNOWN || kind >= RPCEXT_AUX_KIND_COUNT) {
		return NULL;
	}
	return &aux_layouts[kind];
}

enum rpcext_aux_kind rpcext_aux_kind_of(uint8_t Version, uint8_t Type)
{
	size_t i;

	for (i = 0; i < sizeof(aux_type_map) / sizeof(aux_type_map[0]); i++) {
		if (aux_type_map[i].version == Version && aux_type_map[i].type == Type) {
			return aux_type_map[i].kind;
		}
	}
	return RPCEXT_AUX_UNKNOWN;
}

const char *rpcext_aux_kind_name(enum rpcext_aux_kind kind)
{
	const struct aux_layout *l = aux_layout_of_kind(kind);

	return l != NULL ? l->name : "unknown";
}

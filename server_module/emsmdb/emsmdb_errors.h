/*
 * EMSMDB: the MAPI status codes this directory puts on the wire, with the
 * names and values of [MS-OXCDATA] 2.4 ("Error Codes") and [MS-OXCRPC]
 * 3.1.4 (return values of the RPC methods).
 *
 * mapistore errors are converted with mapistore_error_to_mapi() (one place,
 * mapistore/mapistore_errors.c, wrapped by emsmdb_ms_ec()); a malformed
 * client buffer (ndr/rpcext or ROP codec error) is ecRpcFormat, a response
 * that does not fit ecBufferTooSmall (emsmdb_rpcext.c, the dispatcher).
 * ecWrongServer, ecServerBusy, ecDstNullObject come from ndr/rop/rop.h.
 */
#ifndef EMSMDB_ERRORS_H
#define EMSMDB_ERRORS_H

enum emsmdb_ec {
	ecSuccess = 0x00000000,
	/* [MS-OXCDATA] 2.4.1 */
	ecUnknownUser = 0x000003EB,
	ecLoginPerm = 0x000003F2,
	ecNoSuchLogon = 0x00000481,
	ecBufferTooSmall = 0x0000047D,
	ecRpcFormat = 0x000004B6,
	ecNullObject = 0x000004B9,
	ecMaxObjsExceeded = 0x000004DE,
	ecClientVerDisallowed = 0x000004DF,
	ecCachedModeRequired = 0x000004E1,
	ecNotEncrypted = 0x00000970,
	ecUnknownMailbox = 0x0000089B,
	/* [MS-OXCDATA] 2.4.2 (HRESULT-style) */
	ecNotSupported = 0x80040102,
	ecInvalidObject = 0x80040108,
	ecNotFound = 0x8004010F,
	ecLoginFailure = 0x80040111,
	ecNotImplemented = 0x80040FFF,
	ecError = 0x80004005,
	ecAccessDenied = 0x80070005,
	ecMAPIOOM = 0x8007000E,
	ecInvalidParam = 0x80070057,
};

#endif /* EMSMDB_ERRORS_H */

/*
 * EMSMDB: executing ROP buffers and the EcDoRpcExt2 buffer path
 * ([MS-OXCRPC] 3.1.4.2, [MS-OXCROPS] 2.2.1, 3.2.5).
 *
 * No Samba here; the RPC glue (emsmdb_rpc.c) pins the session and calls
 * emsmdb_rpcext2(). Everything returned is allocated on the mem_ctx given.
 */
#ifndef EMSMDB_ROP_H
#define EMSMDB_ROP_H

#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_session.h"

/**
 * Execute one ROP request buffer (RopSize, RopsList,
 * ServerObjectHandleTable) and build its response buffer of at most
 * @max_out bytes.
 *
 * ROPs run in order, each against the handle table as left by the ones
 * before. A response that does not fit ends the buffer with
 * RopBufferTooSmall carrying the unprocessed requests ([MS-OXCROPS]
 * 2.2.15.1); RopRelease answers nothing (3.2.5.3).
 *
 * @return ecSuccess; ecRpcFormat for a malformed buffer or an unknown
 *         RopId (nothing is returned then, ROPs before it have run);
 *         ecBufferTooSmall when not even RopBufferTooSmall fits;
 *         ecMAPIOOM.
 */
uint32_t emsmdb_rop_process(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    const uint8_t *in, size_t in_size, size_t max_out,
			    uint8_t **out_r, size_t *out_size_r);

/** EcDoRpcExt2 parameters, without the context handle. */
struct emsmdb_rpcext2_io {
	/* in */
	uint32_t pulFlags;
	const uint8_t *rgbIn;
	uint32_t cbIn;
	uint32_t cbOutMax;		/* *pcbOut on input */
	const uint8_t *rgbAuxIn;
	uint32_t cbAuxIn;
	uint32_t cbAuxOutMax;		/* *pcbAuxOut on input */
	/* out */
	uint32_t pulFlagsOut;
	uint8_t *rgbOut;
	uint32_t cbOut;
	uint8_t *rgbAuxOut;
	uint32_t cbAuxOut;
	uint32_t ulTransTime;
};

/**
 * EcDoRpcExt2 on a session ([MS-OXCRPC] 3.1.4.2): rgbIn is one or more
 * extended buffers (RPC_HEADER_EXT + payload, de-obfuscated and
 * decompressed here), each payload a ROP request buffer; rgbOut gets one
 * extended buffer per request buffer, compressed / obfuscated only as
 * pulFlags allow, the last flagged Last.
 *
 * @return ecSuccess; ecRpcFormat (malformed rgbIn / rgbAuxIn, a cbOut
 *         below 8 bytes of header); ecBufferTooSmall; ecMAPIOOM. On
 *         error cbOut and cbAuxOut are 0.
 */
uint32_t emsmdb_rpcext2(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			struct emsmdb_rpcext2_io *io);

#endif /* EMSMDB_ROP_H */

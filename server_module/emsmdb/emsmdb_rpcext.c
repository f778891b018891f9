/*
 * The EcDoRpcExt2 buffer path ([MS-OXCRPC] 3.1.4.2): extended buffers in
 * (RPC_HEADER_EXT chunks, XorMagic and LZ77 undone by ndr/rpcext), one ROP
 * request buffer per chunk through the dispatcher, extended buffers out.
 * Contract in emsmdb_rop.h.
 */
#include "emsmdb_rop.h"
#include "emsmdb_errors.h"
#include "emsmdb_log.h"

#include <string.h>
#include <time.h>

#include "rpcext.h"
#include "rpcext_aux.h"

static uint64_t emsmdb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint32_t emsmdb_rpcext2(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			struct emsmdb_rpcext2_io *io)
{
	struct rpcext_aux_block *aux = NULL;
	struct rpcext_chunk *chunks = NULL;
	struct rpcext_build_opts opts;
	struct rpcext_writer *w;
	const uint8_t *data;
	uint64_t started = emsmdb_now_ms();
	size_t nchunks = 0, naux = 0, size, i;
	enum rpcext_error err;
	TALLOC_CTX *frame;
	uint32_t ec = ecSuccess;

	/* 3.1.4.2: pulFlags out is reserved, 0 */
	io->pulFlagsOut = 0;
	io->rgbOut = NULL;
	io->cbOut = 0;
	io->rgbAuxOut = NULL;
	io->cbAuxOut = 0;
	io->ulTransTime = 0;
	if (io->cbIn < RPC_HEADER_EXT_SIZE || io->cbOutMax < RPC_HEADER_EXT_SIZE) {
		return ecRpcFormat;
	}
	frame = talloc_new(mem_ctx);
	if (frame == NULL) {
		return ecMAPIOOM;
	}
	if (io->cbAuxIn != 0) {
		/* 3.1.4.2.2: the server reads the client's AUX blocks; we keep
		 * none of them, but a malformed buffer is a malformed call */
		err = rpcext_aux_in_parse(frame, io->rgbAuxIn, io->cbAuxIn,
					  &aux, &naux);
		if (err != RPCEXT_OK) {
			emsmdb_log(EMSMDB_LOG_WARNING, "EcDoRpcExt2: rgbAuxIn: %s",
				   rpcext_error_name(err));
			ec = ecRpcFormat;
			goto done;
		}
	}
	err = rpcext_parse(frame, io->rgbIn, io->cbIn, NULL, &chunks, &nchunks);
	if (err != RPCEXT_OK) {
		emsmdb_log(EMSMDB_LOG_WARNING, "EcDoRpcExt2: rgbIn: %s",
			   rpcext_error_name(err));
		ec = ecRpcFormat;
		goto done;
	}
	opts = rpcext_build_opts_from_pulFlags(io->pulFlags);
	w = rpcext_writer_new(frame, io->cbOutMax, &opts);
	if (w == NULL) {
		ec = ecMAPIOOM;
		goto done;
	}
	for (i = 0; i < nchunks; i++) {
		size_t space = rpcext_writer_space(w), max_rop, out_size;
		uint8_t *out;

		if (space < RPC_HEADER_EXT_SIZE + 2) {
			ec = ecBufferTooSmall;
			goto done;
		}
		max_rop = space - RPC_HEADER_EXT_SIZE;
		if (max_rop > RPCEXT_MAX_PAYLOAD) {
			max_rop = RPCEXT_MAX_PAYLOAD;
		}
		ec = emsmdb_rop_process(s, frame, chunks[i].payload,
					chunks[i].payload_size, max_rop, &out,
					&out_size);
		if (ec != ecSuccess) {
			goto done;
		}
		err = rpcext_writer_add(w, out, out_size, i + 1 == nchunks);
		if (err != RPCEXT_OK) {
			ec = err == RPCEXT_ERR_NO_SPACE ? ecBufferTooSmall : ecMAPIOOM;
			goto done;
		}
	}
	if (rpcext_writer_data(w, &data, &size) != RPCEXT_OK) {
		ec = ecRpcFormat;
		goto done;
	}
	io->rgbOut = talloc_memdup(mem_ctx, data, size);
	if (io->rgbOut == NULL) {
		ec = ecMAPIOOM;
		goto done;
	}
	io->cbOut = size;
	io->ulTransTime = (uint32_t)(emsmdb_now_ms() - started);
done:
	talloc_free(frame);
	return ec;
}

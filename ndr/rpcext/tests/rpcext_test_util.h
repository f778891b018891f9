/*
 * Helpers shared by the rpcext tests and benchmark: fixture loading, the
 * EcDoRpcExt2 NDR_IN stub walk, and Samba's lzxpress loaded with dlopen.
 */
#ifndef OC_RPCEXT_TEST_UTIL_H
#define OC_RPCEXT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <talloc.h>

/** Read a whole file onto mem_ctx; NULL on error. */
uint8_t *rt_read_file(TALLOC_CTX *mem_ctx, const char *path, size_t *size_r);

/** The parameters of an EcDoRpcExt2 NDR_IN stub ([MS-OXCRPC] 3.1.4.2). */
struct rt_ecdorpcext2_in {
	uint32_t pulFlags;
	const uint8_t *rgbIn;
	uint32_t cbIn;
	uint32_t pcbOut;
	const uint8_t *rgbAuxIn;
	uint32_t cbAuxIn;
	uint32_t pcbAuxOut;
};

/**
 * Walk the simple NDR layout: 20-byte handle, pulFlags, conformant array
 * rgbIn (max count, bytes, pad to 4), cbIn, pcbOut, conformant array
 * rgbAuxIn, cbAuxIn, pcbAuxOut. Checks every count against the stub.
 */
bool rt_ecdorpcext2_in_pull(const uint8_t *stub, size_t size,
			    struct rt_ecdorpcext2_in *r);

/** Samba 4.17's lzxpress (plain LZ77), from its private libndr-samba. */
struct rt_samba_lzx {
	void *handle;
	ssize_t (*compress)(const uint8_t *in, uint32_t in_size, uint8_t *out,
			    uint32_t out_max);
	ssize_t (*decompress)(const uint8_t *in, uint32_t in_size, uint8_t *out,
			      uint32_t out_max);
};

/** dlopen the library at path; false (with a message) if unavailable. */
bool rt_samba_lzx_load(const char *path, struct rt_samba_lzx *r);
void rt_samba_lzx_unload(struct rt_samba_lzx *r);

/** Deterministic xorshift generator for reproducible test data. */
uint32_t rt_rand(uint32_t *state);

#endif /* OC_RPCEXT_TEST_UTIL_H */

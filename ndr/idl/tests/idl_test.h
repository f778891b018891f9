/*
 * Helpers shared by the generated-NDR unit tests (ndr/idl/tests).
 *
 * They drive a call of an ndr_interface_table the way Samba's DCE/RPC server
 * does (pull with LIBNDR_FLAG_REF_ALLOC, push into a fresh ndr_push) and
 * assert with cmocka.  Every result is allocated on the mem_ctx passed in.
 */
#ifndef IDL_TEST_H
#define IDL_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ndr.h>

/**
 * Pull one direction (NDR_IN or NDR_OUT) of call @opnum from @data.
 *
 * @return the call structure, allocated on @mem_ctx (its pulled data hangs
 * below it), or NULL when the pull failed; *err receives the NDR status.
 * A successful pull must consume all of @data.
 */
void *idl_test_pull(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
		    uint32_t opnum, int flags, const uint8_t *data, size_t len,
		    enum ndr_err_code *err);

/**
 * Push one direction of call @opnum from @r.
 *
 * @return the encoded bytes, allocated on @mem_ctx (length in *len), or NULL
 * on failure with *err set.
 */
uint8_t *idl_test_push(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
		       uint32_t opnum, int flags, const void *r, size_t *len,
		       enum ndr_err_code *err);

/**
 * Pull @data, push the result and assert the bytes are identical; print it.
 *
 * @return the pulled call structure, allocated on @mem_ctx, for field checks.
 */
void *idl_test_roundtrip(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			 uint32_t opnum, int flags, const uint8_t *data, size_t len);

/**
 * Push @r and assert that the bytes equal @expected; then pull them back and
 * push again, asserting the same bytes (push -> pull -> push).
 */
void idl_test_push_expect(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			  uint32_t opnum, int flags, const void *r,
			  const uint8_t *expected, size_t expected_len);

/**
 * Assert that every strict prefix of @data fails to pull with an NDR error.
 * Each prefix is copied into a buffer of exactly its size, so that AddressSanitizer
 * reports any read past the end.
 */
void idl_test_prefixes_fail(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			    uint32_t opnum, int flags, const uint8_t *data, size_t len);

/** Assert that pulling @data fails with exactly @expected. */
void idl_test_pull_fails(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			 uint32_t opnum, int flags, const uint8_t *data, size_t len,
			 enum ndr_err_code expected);

#endif /* IDL_TEST_H */

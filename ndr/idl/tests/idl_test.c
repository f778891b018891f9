/*
 * Helpers shared by the generated-NDR unit tests: see idl_test.h.
 */
#include <string.h>
#include "idl_test.h"

void *idl_test_pull(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
		    uint32_t opnum, int flags, const uint8_t *data, size_t len,
		    enum ndr_err_code *err)
{
	const struct ndr_interface_call *call = &table->calls[opnum];
	TALLOC_CTX *frame = talloc_new(mem_ctx);
	DATA_BLOB blob = data_blob_const(data, len);
	struct ndr_pull *pull = NULL;
	void *r = NULL;

	assert_non_null(frame);
	assert_true(opnum < table->num_calls);
	r = talloc_zero_size(mem_ctx, call->struct_size);
	assert_non_null(r);
	pull = ndr_pull_init_blob(&blob, frame);
	assert_non_null(pull);
	pull->flags |= LIBNDR_FLAG_REF_ALLOC;
	pull->current_mem_ctx = r;
	*err = call->ndr_pull(pull, flags, r);
	if (*err == NDR_ERR_SUCCESS && pull->offset != pull->data_size) {
		*err = NDR_ERR_UNREAD_BYTES;
	}
	talloc_free(frame);
	if (*err != NDR_ERR_SUCCESS) {
		talloc_free(r);
		return NULL;
	}
	return r;
}

uint8_t *idl_test_push(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
		       uint32_t opnum, int flags, const void *r, size_t *len,
		       enum ndr_err_code *err)
{
	const struct ndr_interface_call *call = &table->calls[opnum];
	struct ndr_push *push = ndr_push_init_ctx(mem_ctx);
	uint8_t *out = NULL;

	assert_non_null(push);
	*err = call->ndr_push(push, flags, r);
	if (*err != NDR_ERR_SUCCESS) {
		talloc_free(push);
		return NULL;
	}
	out = talloc_memdup(mem_ctx, push->data, push->offset ? push->offset : 1);
	assert_non_null(out);
	*len = push->offset;
	talloc_free(push);
	return out;
}

static void print_call(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
		       uint32_t opnum, int flags, void *r)
{
	const struct ndr_interface_call *call = &table->calls[opnum];
	char *s = ndr_print_function_string(mem_ctx, call->ndr_print,
					    call->name, flags, r);

	assert_non_null(s);
	assert_non_null(strstr(s, call->name));
	talloc_free(s);
}

void *idl_test_roundtrip(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			 uint32_t opnum, int flags, const uint8_t *data, size_t len)
{
	enum ndr_err_code err;
	void *r = idl_test_pull(mem_ctx, table, opnum, flags, data, len, &err);
	uint8_t *out = NULL;
	size_t out_len = 0;

	if (r == NULL) {
		fail_msg("%s: pull failed: %s", table->calls[opnum].name,
			 ndr_map_error2string(err));
	}
	out = idl_test_push(mem_ctx, table, opnum, flags, r, &out_len, &err);
	if (out == NULL) {
		fail_msg("%s: push failed: %s", table->calls[opnum].name,
			 ndr_map_error2string(err));
	}
	assert_int_equal(out_len, len);
	assert_memory_equal(out, data, len);
	talloc_free(out);
	print_call(mem_ctx, table, opnum, flags, r);
	return r;
}

void idl_test_push_expect(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			  uint32_t opnum, int flags, const void *r,
			  const uint8_t *expected, size_t expected_len)
{
	enum ndr_err_code err;
	size_t len = 0;
	uint8_t *out = idl_test_push(mem_ctx, table, opnum, flags, r, &len, &err);
	void *again = NULL;

	if (out == NULL) {
		fail_msg("%s: push failed: %s", table->calls[opnum].name,
			 ndr_map_error2string(err));
	}
	assert_int_equal(len, expected_len);
	assert_memory_equal(out, expected, len);
	again = idl_test_roundtrip(mem_ctx, table, opnum, flags, out, len);
	talloc_free(again);
	talloc_free(out);
}

void idl_test_prefixes_fail(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			    uint32_t opnum, int flags, const uint8_t *data, size_t len)
{
	size_t n;

	for (n = 0; n < len; n++) {
		enum ndr_err_code err = NDR_ERR_SUCCESS;
		uint8_t *copy = talloc_memdup(mem_ctx, data, n ? n : 1);
		void *r = NULL;

		assert_non_null(copy);
		r = idl_test_pull(mem_ctx, table, opnum, flags, copy, n, &err);
		if (r != NULL) {
			fail_msg("%s: prefix of %zu/%zu bytes pulled successfully",
				 table->calls[opnum].name, n, len);
		}
		assert_int_not_equal(err, NDR_ERR_SUCCESS);
		talloc_free(copy);
	}
}

void idl_test_pull_fails(TALLOC_CTX *mem_ctx, const struct ndr_interface_table *table,
			 uint32_t opnum, int flags, const uint8_t *data, size_t len,
			 enum ndr_err_code expected)
{
	enum ndr_err_code err = NDR_ERR_SUCCESS;
	void *r = idl_test_pull(mem_ctx, table, opnum, flags, data, len, &err);

	if (r != NULL) {
		fail_msg("%s: pull unexpectedly succeeded", table->calls[opnum].name);
	}
	if (err != expected) {
		fail_msg("%s: pull failed with %s, expected %s",
			 table->calls[opnum].name, ndr_map_error2string(err),
			 ndr_map_error2string(expected));
	}
}

/*
 * libFuzzer harness for one generated DCE/RPC interface (built once per
 * interface with FUZZ_NDR_TABLE / FUZZ_NDR_HEADER defined), in the manner of
 * Samba's fuzz_ndr_X: byte 0 is the opnum, bit 0 of byte 1 the direction
 * (0 request/NDR_IN, 1 response/NDR_OUT); the rest is the stub.
 *
 * Each input is pulled as Samba's server pulls a request; if that succeeds
 * it is pushed, the pushed bytes pulled and pushed again (both pushes must
 * match: push(pull(x)) is a fixed point), and printed to a null sink.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ndr.h>
#include FUZZ_NDR_HEADER

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void null_print(struct ndr_print *ndr, const char *fmt, ...)
	PRINTF_ATTRIBUTE(2, 3);

static void null_print(struct ndr_print *ndr, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

static void *pull_call(TALLOC_CTX *mem_ctx, const struct ndr_interface_call *call,
		       int flags, const uint8_t *data, size_t size)
{
	DATA_BLOB blob = data_blob_const(data, size);
	struct ndr_pull *pull = ndr_pull_init_blob(&blob, mem_ctx);
	void *r = talloc_zero_size(mem_ctx, call->struct_size);

	if (pull == NULL || r == NULL) {
		return NULL;
	}
	pull->flags |= LIBNDR_FLAG_REF_ALLOC;
	pull->current_mem_ctx = r;
	if (call->ndr_pull(pull, flags, r) != NDR_ERR_SUCCESS) {
		return NULL;
	}
	return r;
}

static struct ndr_push *push_call(TALLOC_CTX *mem_ctx,
				  const struct ndr_interface_call *call,
				  int flags, const void *r)
{
	struct ndr_push *push = ndr_push_init_ctx(mem_ctx);

	if (push == NULL || call->ndr_push(push, flags, r) != NDR_ERR_SUCCESS) {
		return NULL;
	}
	return push;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ndr_interface_table *table = &FUZZ_NDR_TABLE;
	const struct ndr_interface_call *call = NULL;
	TALLOC_CTX *mem_ctx = NULL;
	struct ndr_push *push1 = NULL;
	struct ndr_push *push2 = NULL;
	struct ndr_print *print = NULL;
	void *r = NULL;
	void *r2 = NULL;
	int flags;

	if (size < 2 || data[0] >= table->num_calls) {
		return 0;
	}
	call = &table->calls[data[0]];
	flags = (data[1] & 1) ? NDR_OUT : NDR_IN;
	mem_ctx = talloc_new(NULL);
	if (mem_ctx == NULL) {
		return 0;
	}
	r = pull_call(mem_ctx, call, flags, data + 2, size - 2);
	if (r == NULL) {
		goto done;
	}
	push1 = push_call(mem_ctx, call, flags, r);
	if (push1 != NULL) {
		r2 = pull_call(mem_ctx, call, flags, push1->data, push1->offset);
		if (r2 == NULL) {
			__builtin_trap();	/* our own output must parse */
		}
		push2 = push_call(mem_ctx, call, flags, r2);
		if (push2 == NULL || push2->offset != push1->offset ||
		    memcmp(push1->data, push2->data, push1->offset) != 0) {
			__builtin_trap();	/* and re-encode identically */
		}
	}
	print = talloc_zero(mem_ctx, struct ndr_print);
	if (print == NULL) {
		goto done;
	}
	print->print = null_print;
	print->depth = 1;
	call->ndr_print(print, call->name, flags, r);
done:
	talloc_free(mem_ctx);
	return 0;
}

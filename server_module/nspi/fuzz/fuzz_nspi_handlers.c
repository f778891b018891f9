/*
 * libFuzzer harness for the NSPI handlers themselves: the first byte picks
 * the opnum, the rest is the request stub. It is decoded with the
 * interface's table (nspi_ndr.c), run through the operation's handler from
 * the interface table (nspi_iface.c -> nspi_ops_*.c, nspi_wire.c,
 * nspi_restrict.c, the model) over an in-memory directory that implements
 * the nspi_dir_* contract (nspi_dir_fake*.c), and the reply is encoded
 * with the table's push, as the dispatcher does. A reply the table cannot
 * encode is a handler bug: the harness aborts on it so the fuzzer reports
 * it (the server would answer with a fault).
 *
 * Not covered here: nspi_dir_*.c and nspi_session.c (sam.ldb, Samba's
 * handles, the event loop) and mp_dispatch.c; the integration tests drive
 * those through a real DC.
 */
#include "nspi_dir_fake.h"

#include <param.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mp_server fake_server = {
	.organization = (char *)"First Organization",
};

/*
 * Samba's NDR converts [charset(DOS)] strings with the process's "dos
 * charset", CP850 in the server (loadparm's default; nspi_codepage.c's
 * bridge relies on it). Outside Samba it would be ASCII: set it as the
 * server has it.
 */
static void samba_charsets(void)
{
	static bool done;
	struct loadparm_context *lp;

	if (done) {
		return;
	}
	done = true;
	lp = loadparm_init_global(false);
	if (lp == NULL || !lpcfg_set_cmdline(lp, "dos charset", "CP850")) {
		abort();
	}
	reload_charcnv(lp);
}

/* MIds 0x10 (the address list) and 0x11... (the objects) exist before the
 * request, as after a first NspiQueryRows */
static bool warm_up(struct nspi_fake_dir *d)
{
	struct nspi_container *c = nspi_container_find(d->s, 0);
	struct nspi_table *t = NULL;

	return c != NULL && nspi_dir_table(d->s, c, NSPI_DEFAULT_LOCALE, &t) ==
		NSPI_Success;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ndr_interface_table *table = nspi_ndr_table();
	const struct ndr_interface_call *c;
	struct mp_call call = { 0 };
	struct nspi_fake_dir *d;
	struct ndr_pull *pull;
	struct ndr_push *push;
	TALLOC_CTX *mem_ctx;
	DATA_BLOB blob;
	NTSTATUS status;
	void *r;

	if (size < 1 || data[0] >= table->num_calls ||
	    data[0] >= mp_iface_nspi.num_ops ||
	    mp_iface_nspi.ops[data[0]].handler == NULL) {
		return 0;
	}
	samba_charsets();
	c = &table->calls[data[0]];
	mem_ctx = talloc_new(NULL);
	d = nspi_fake_dir_new(mem_ctx);
	r = talloc_zero_size(mem_ctx, c->struct_size);
	blob.data = (uint8_t *)(uintptr_t)(data + 1);
	blob.length = size - 1;
	pull = ndr_pull_init_blob(&blob, mem_ctx);
	nspi_fake_dir_set(d);
	if (d == NULL || r == NULL || pull == NULL || !warm_up(d)) {
		nspi_fake_dir_set(NULL);
		talloc_free(mem_ctx);
		return 0;
	}
	pull->flags |= LIBNDR_FLAG_REF_ALLOC;
	if (!NDR_ERR_CODE_IS_SUCCESS(c->ndr_pull(pull, NDR_IN, r))) {
		nspi_fake_dir_set(NULL);
		talloc_free(mem_ctx);
		return 0;
	}
	call.mem_ctx = talloc_new(r);
	call.server = &fake_server;
	call.account_name = "fuzz";
	call.opnum = data[0];
	status = mp_iface_nspi.ops[data[0]].handler(&call, r);
	if (NT_STATUS_IS_OK(status)) {
		push = ndr_push_init_ctx(mem_ctx);
		if (push == NULL) {
			abort();
		}
		if (!NDR_ERR_CODE_IS_SUCCESS(c->ndr_push(push, NDR_OUT, r))) {
			/* the reply of a handler cannot be encoded */
			abort();
		}
	}
	nspi_fake_dir_set(NULL);
	talloc_free(mem_ctx);
	return 0;
}

/*
 * The exchange_nsp NDR table as this server decodes it: the generated
 * table, with strict pulls for three operations.
 *
 * Decision on impacket's encodings (../shared/SAMBA.md, doc/nspi.md):
 * impacket 0.10 encodes NspiGetSpecialTable, NspiGetProps and
 * NspiSeekEntries unlike the [MS-OXNSPI] IDL (a referent for the [ref]
 * pStat, a unique pointer for lpVersion, cValues one too large, inline
 * structures for unique pointers). Some of those stubs happen to decode
 * under the spec's IDL into shifted, meaningless values. So for these
 * three operations the spec decoding must consume the stub exactly; a
 * stub with bytes left over is refused with nca_s_fault_ndr, like any
 * malformed request, instead of being answered with garbage.
 */
#include "nspi_private.h"

static enum ndr_err_code nspi_exact(struct ndr_pull *ndr, int flags,
				    enum ndr_err_code err)
{
	if (!NDR_ERR_CODE_IS_SUCCESS(err)) {
		return err;
	}
	if ((flags & NDR_IN) && ndr->offset != ndr->data_size) {
		return ndr_pull_error(ndr, NDR_ERR_UNREAD_BYTES,
			"exchange_nsp: %u bytes after the request (off-spec "
			"encoding)", ndr->data_size - ndr->offset);
	}
	return err;
}

static enum ndr_err_code nspi_pull_GetSpecialTable(struct ndr_pull *ndr,
						   int flags, void *r)
{
	return nspi_exact(ndr, flags, ndr_pull_NspiGetSpecialTable(ndr, flags, r));
}

static enum ndr_err_code nspi_pull_GetProps(struct ndr_pull *ndr, int flags,
					    void *r)
{
	return nspi_exact(ndr, flags, ndr_pull_NspiGetProps(ndr, flags, r));
}

static enum ndr_err_code nspi_pull_SeekEntries(struct ndr_pull *ndr, int flags,
					       void *r)
{
	return nspi_exact(ndr, flags, ndr_pull_NspiSeekEntries(ndr, flags, r));
}

/* the generated table with the three strict pulls; filled at load time */
static struct ndr_interface_call nspi_calls[NDR_EXCHANGE_NSP_CALL_COUNT];
struct ndr_interface_table nspi_table_def;

const struct ndr_interface_table *nspi_ndr_table(void)
{
	uint32_t i;

	if (nspi_table_def.calls != NULL) {
		return &nspi_table_def;
	}
	nspi_table_def = ndr_table_exchange_nsp;
	for (i = 0; i < NDR_EXCHANGE_NSP_CALL_COUNT; i++) {
		nspi_calls[i] = ndr_table_exchange_nsp.calls[i];
	}
	nspi_calls[NDR_NSPIGETSPECIALTABLE].ndr_pull = nspi_pull_GetSpecialTable;
	nspi_calls[NDR_NSPIGETPROPS].ndr_pull = nspi_pull_GetProps;
	nspi_calls[NDR_NSPISEEKENTRIES].ndr_pull = nspi_pull_SeekEntries;
	nspi_table_def.calls = nspi_calls;
	return &nspi_table_def;
}

/* runs when the module is loaded, before Samba registers anything */
static void nspi_table_init(void) __attribute__((constructor));
static void nspi_table_init(void)
{
	nspi_ndr_table();
}


/*
 * libFuzzer harness for the NSPI request path that parses client data:
 * the first byte picks the opnum, the rest is the request stub. It is
 * decoded with the interface's table (with the strict pulls of
 * nspi_iface.c for the three off-spec operations), then the parts of the
 * handlers that interpret client structures run on it: restrictions to
 * ldb trees (NspiGetMatches), property tag checks, client strings to
 * UTF-8 and STAT positioning on a small table.
 */
#include "nspi_private.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the harness has no directory: fetching finds nothing */
struct nspi_entry *nspi_dir_fetch(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				  const uint32_t *mids, uint32_t n,
				  const uint32_t *tags, uint32_t n_tags)
{
	return NULL;
}

static void exercise(TALLOC_CTX *mem_ctx, uint32_t opnum, void *r)
{
	static struct nspi_row rows[4] = {
		{ 0x10, "a", 0 }, { 0x11, "b", 0 }, { 0x12, "c", 0 }, { 0x13, "d", 0 },
	};
	struct nspi_table t = { 0, 0x409, 4, rows };
	struct ldb_parse_tree *tree = NULL;
	struct nspi_stat st;
	uint32_t pos;

	switch (opnum) {
	case NDR_NSPIGETMATCHES: {
		struct NspiGetMatches *m = r;

		if (m->in.Filter != NULL) {
			nspi_restriction_to_tree(mem_ctx, m->in.pStat->CodePage,
						 m->in.Filter, &tree);
		}
		(void)nspi_proptags_ok(m->in.pPropTags);
		nspi_stat_in(m->in.pStat, &st);
		nspi_table_position(&t, &st, &pos);
		break;
	}
	case NDR_NSPIQUERYROWS: {
		struct NspiQueryRows *q = r;

		(void)nspi_proptags_ok(q->in.pPropTags);
		nspi_stat_in(q->in.pStat, &st);
		if (nspi_table_position(&t, &st, &pos) == NSPI_Success) {
			nspi_table_set_stat(&t, pos, &st);
		}
		break;
	}
	case NDR_NSPISEEKENTRIES: {
		struct NspiSeekEntries *q = r;
		const char *s = nspi_value_to_utf8(mem_ctx, q->in.pStat->CodePage,
						   q->in.pTarget);

		if (s != NULL) {
			(void)nspi_table_seek(&t, s);
		}
		break;
	}
	case NDR_NSPIRESOLVENAMES: {
		struct NspiResolveNames *q = r;
		uint32_t i;

		for (i = 0; i < q->in.paStr->Count && i < 64; i++) {
			if (q->in.paStr->Strings[i] != NULL) {
				nspi_string8_from_ndr(mem_ctx, q->in.pStat->CodePage,
						      q->in.paStr->Strings[i]);
			}
		}
		break;
	}
	case NDR_NSPIMODLINKATT: {
		struct NspiModLinkAtt *q = r;
		struct nspi_entryid id;
		uint32_t i;

		/* as NspiModLinkAtt checks: a NULL array with a count */
		if (q->in.lpEntryIds->lpbin == NULL) {
			break;
		}
		for (i = 0; i < q->in.lpEntryIds->cValues && i < 64; i++) {
			nspi_entryid_parse(mem_ctx, q->in.lpEntryIds->lpbin[i].lpb,
					   q->in.lpEntryIds->lpbin[i].cb, &id);
		}
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ndr_interface_table *table = nspi_ndr_table();
	const struct ndr_interface_call *c;
	TALLOC_CTX *mem_ctx;
	struct ndr_pull *pull;
	DATA_BLOB blob;
	void *r;

	if (size < 1 || data[0] >= table->num_calls) {
		return 0;
	}
	c = &table->calls[data[0]];
	mem_ctx = talloc_new(NULL);
	r = talloc_zero_size(mem_ctx, c->struct_size);
	blob.data = (uint8_t *)(uintptr_t)(data + 1);
	blob.length = size - 1;
	pull = ndr_pull_init_blob(&blob, mem_ctx);
	if (r != NULL && pull != NULL) {
		pull->flags |= LIBNDR_FLAG_REF_ALLOC;
		if (NDR_ERR_CODE_IS_SUCCESS(c->ndr_pull(pull, NDR_IN, r))) {
			exercise(mem_ctx, data[0], r);
		}
	}
	talloc_free(mem_ctx);
	return 0;
}

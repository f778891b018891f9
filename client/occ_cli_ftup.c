/*
 * openchange-client FastTransfer upload command ([MS-OXCFXICS] 2.2.3.1.2,
 * [MS-OXCROPS] 2.2.12.1-2.2.12.3):
 *
 *   fx-put --file PATH [--op N] [--message] [--chunk N] [--stop N] [--mailbox DN]
 *       RopLogon (with --mailbox to the mailbox whose legacyExchangeDN is
 *       DN: a delegate's upload, [MS-OXCSTOR] 3.2.5.1.1), the Inbox opened,
 *       RopFastTransferDestinationConfigure (SourceOperation N, default 3
 *       CopyMessages) on the Inbox or, with --message, on a new message of
 *       the Inbox; then PATH's bytes (a
 *       FastTransfer stream) through RopFastTransferDestinationPutBuffer
 *       and PutBufferExtended in turn, at most N bytes (default 16000)
 *       per EcDoRpcExt2 (a piece may end inside a value), the first
 *       --stop bytes only when given (an abandoned upload). With
 *       --message the message is saved at the end.
 *       Prints one line per put: put=I rv=0x.. status=S used=U total=T,
 *       then puts= sent= [mid=] fx_put=0x.. (the first failing
 *       ReturnValue, 0 when all succeeded).
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OCC_FX_MAX_FILE (64u << 20)
#define OCC_FX_MAX_CHUNK 30000u
#define OCC_FX_E_NOMEM 0x8007000Eu	/* ecMAPIOOM */

static uint32_t fx_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* @n requests in one EcDoRpcExt2; the ReturnValue of the last one, or
 * the call's error */
static uint32_t fx_rops(struct occ_cli *cli, TALLOC_CTX *mem, struct rop_request *req,
			uint32_t n, struct rop_buffer **resp_r)
{
	uint32_t ec = occ_rops(cli->s, mem, req, n, cli->handles, 8, resp_r);

	if (ec != 0) {
		fprintf(stderr, "fx-put: %s\n", occ_errstr(cli->s));
		return ec;
	}
	if ((*resp_r)->count != n) {
		return OCC_E_DECODE;
	}
	return fx_rv(&(*resp_r)->responses[n - 1]);
}

static bool fx_slurp(TALLOC_CTX *mem, const char *path, uint8_t **data_r, size_t *len_r)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	size_t n = 0, alloc = 65536, got;

	if (fp == NULL) {
		return false;
	}
	buf = talloc_size(mem, alloc);
	while (buf != NULL && (got = fread(buf + n, 1, alloc - n, fp)) > 0) {
		n += got;
		if (n == alloc) {
			if (alloc >= OCC_FX_MAX_FILE) {
				break;
			}
			alloc *= 2;
			buf = talloc_realloc_size(mem, buf, alloc);
		}
	}
	fclose(fp);
	if (buf == NULL || n >= OCC_FX_MAX_FILE) {
		return false;
	}
	*data_r = buf;
	*len_r = n;
	return true;
}

/* RopLogon (handle 0), the Inbox (handle 1), a new message (handle 2) */
static uint32_t fx_prepare(struct occ_cli *cli, bool message, const char *mailbox)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 1);
	struct rop_buffer *resp = NULL;
	uint32_t ec;

	if (req == NULL) {
		return OCC_FX_E_NOMEM;
	}
	req->RopId = RopLogon;
	req->u.RopLogon.LogonFlags = 0x01;		/* Private */
	req->u.RopLogon.OpenFlags = 0x01000000;	/* USE_PER_MDB_REPLID_MAPPING */
	req->u.RopLogon.Essdn = mailbox != NULL ? talloc_strdup(cli->mem, mailbox) :
		cli->params.user_dn ?
		talloc_strdup(cli->mem, cli->params.user_dn) :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username);
	if (req->u.RopLogon.Essdn == NULL) {
		return OCC_FX_E_NOMEM;
	}
	req->u.RopLogon.EssdnSize = strlen(req->u.RopLogon.Essdn) + 1;
	ec = fx_rops(cli, cli->mem, req, 1, &resp);
	if (ec != 0) {
		return ec;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	memset(req, 0, sizeof(*req));
	req->RopId = RopOpenFolder;
	req->u.RopOpenFolder.OutputHandleIndex = 1;
	req->u.RopOpenFolder.FolderId = cli->fids[4];
	ec = fx_rops(cli, cli->mem, req, 1, &resp);
	if (ec != 0 || !message) {
		return ec;
	}
	memset(req, 0, sizeof(*req));
	req->RopId = RopCreateMessage;
	req->u.RopCreateMessage.InputHandleIndex = 1;
	req->u.RopCreateMessage.OutputHandleIndex = 2;
	req->u.RopCreateMessage.CodePageId = 0x0FFF;
	req->u.RopCreateMessage.FolderId = cli->fids[4];
	return fx_rops(cli, cli->mem, req, 1, &resp);
}

int occ_cli_fx_put(struct occ_cli *cli, int argc, char **argv)
{
	const char *path = NULL, *mailbox = NULL;
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 1);
	struct rop_buffer *resp = NULL;
	size_t len = 0, off, chunk = 16000, stop = SIZE_MAX;
	unsigned op = 3, puts = 0;
	bool message = false;
	uint8_t *data = NULL;
	uint32_t ec = 0;
	int a;

	for (a = 0; a < argc; a++) {
		if (strcmp(argv[a], "--message") == 0) {
			message = true;
		} else if (a + 1 < argc && strcmp(argv[a], "--mailbox") == 0) {
			mailbox = argv[++a];
		} else if (a + 1 < argc && strcmp(argv[a], "--file") == 0) {
			path = argv[++a];
		} else if (a + 1 < argc && strcmp(argv[a], "--op") == 0) {
			op = (unsigned)strtoul(argv[++a], NULL, 0);
		} else if (a + 1 < argc && strcmp(argv[a], "--chunk") == 0) {
			chunk = strtoul(argv[++a], NULL, 0);
		} else if (a + 1 < argc && strcmp(argv[a], "--stop") == 0) {
			stop = strtoul(argv[++a], NULL, 0);
		} else {
			fprintf(stderr, "fx-put: unknown argument %s\n", argv[a]);
			return 2;
		}
	}
	if (req == NULL || path == NULL || chunk == 0 || chunk > OCC_FX_MAX_CHUNK || op > 0xFF ||
	    !fx_slurp(cli->mem, path, &data, &len)) {
		fprintf(stderr, "fx-put: --file PATH (readable, < 64 MiB), --chunk 1..%u\n",
			OCC_FX_MAX_CHUNK);
		return 2;
	}
	if (stop < len) {
		len = stop;
	}
	ec = fx_prepare(cli, message, mailbox);
	if (ec == 0) {
		req->RopId = RopFastTransferDestinationConfigure;
		req->u.RopFastTransferDestinationConfigure.InputHandleIndex = message ? 2 : 1;
		req->u.RopFastTransferDestinationConfigure.OutputHandleIndex = 3;
		req->u.RopFastTransferDestinationConfigure.SourceOperation = (uint8_t)op;
		ec = fx_rops(cli, cli->mem, req, 1, &resp);
	}
	for (off = 0; ec == 0 && off < len; off += chunk, puts++) {
		TALLOC_CTX *tmp = talloc_new(cli->mem);
		size_t n = len - off < chunk ? len - off : chunk;
		bool ext = puts % 2 == 1;
		unsigned status, used, total;

		memset(req, 0, sizeof(*req));
		/* the two requests have the same layout */
		req->RopId = ext ? RopFastTransferDestinationPutBufferExtended :
			RopFastTransferDestinationPutBuffer;
		req->u.RopFastTransferDestinationPutBuffer.InputHandleIndex = 3;
		req->u.RopFastTransferDestinationPutBuffer.TransferDataSize = (uint16_t)n;
		req->u.RopFastTransferDestinationPutBuffer.TransferData = data + off;
		ec = fx_rops(cli, tmp, req, 1, &resp);
		if (resp != NULL && resp->count == 1) {
			const struct rop_response *r = &resp->responses[0];

			status = ext ? r->u.RopFastTransferDestinationPutBufferExtended.TransferStatus :
				r->u.RopFastTransferDestinationPutBuffer.TransferStatus;
			used = ext ? r->u.RopFastTransferDestinationPutBufferExtended.BufferUsedSize :
				r->u.RopFastTransferDestinationPutBuffer.BufferUsedSize;
			total = ext ? r->u.RopFastTransferDestinationPutBufferExtended.TotalStepCount :
				r->u.RopFastTransferDestinationPutBuffer.TotalStepCount;
			printf("put=%u rv=0x%08x status=%u used=%u total=%u\n", puts, ec, status,
			       used, total);
		}
		talloc_free(tmp);
	}
	printf("puts=%u\nsent=%zu\n", puts, len);
	if (ec == 0 && message) {
		memset(req, 0, sizeof(*req));
		req->RopId = RopSaveChangesMessage;
		req->u.RopSaveChangesMessage.ResponseHandleIndex = 4;
		req->u.RopSaveChangesMessage.InputHandleIndex = 2;
		ec = fx_rops(cli, cli->mem, req, 1, &resp);
		if (ec == 0) {
			printf("mid=0x%016" PRIx64 "\n",
			       resp->responses[0].u.RopSaveChangesMessage.MessageId);
		}
	}
	printf("fx_put=0x%08x\n", ec);
	return ec == 0 ? 0 : 1;
}

/*
 * openchange-client stream and named-property commands ([MS-OXCPRPT]):
 *
 *   stream-put --file PATH [--subject S] [--chunk N]
 *       a message in the Inbox whose PidTagBody is PATH's bytes (UTF-16LE),
 *       written through RopOpenStream(Create) and one RopWriteStream of at
 *       most N bytes (default 16000) per EcDoRpcExt2, RopCommitStream,
 *       saved; prints mid= folder= writes= written= stream_put=
 *   stream-get FID MID --out PATH [--max N]
 *       the message's PidTagBody through a read-only stream, read with
 *       RopReadStream ByteCount 0xBABE / MaximumByteCount N (default
 *       0x10000) until it answers no data, written to PATH; prints
 *       stream_size= reads= read= stream_get=
 *   named GUID NAME
 *       RopGetPropertyIdsFromNames for the string name NAME in property
 *       set GUID without then with the create flag, the name read back
 *       with RopGetNamesFromPropertyIds, RopQueryNamedProperties for the
 *       set; prints nocreate_rv= id= name= query_count= named=
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PidTagSubject 0x0037001F
#define PidTagBody 0x1000001F
#define OCC_STREAM_MAX_FILE (64u << 20)

static uint32_t rop_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* @n requests in one EcDoRpcExt2; 1 (printed as @what=) unless all
 * answered with ReturnValue @ok */
static int rops(struct occ_cli *cli, TALLOC_CTX *mem, const char *what,
		struct rop_request *req, uint32_t n, uint32_t ok,
		struct rop_buffer **resp_r)
{
	uint32_t ec = occ_rops(cli->s, mem, req, n, cli->handles, 8, resp_r);
	uint32_t i;

	if (ec != 0) {
		printf("%s=0x%08x\n", what, ec);
		fprintf(stderr, "%s: %s\n", what, occ_errstr(cli->s));
		return 1;
	}
	if ((*resp_r)->count != n) {
		printf("%s=0x%08x\n", what, OCC_E_DECODE);
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t v = rop_rv(&(*resp_r)->responses[i]);

		if (v != 0 && v != ok) {
			printf("%s=0x%08x\nrop=0x%02x\n", what, v,
			       (*resp_r)->responses[i].RopId);
			return 1;
		}
	}
	return 0;
}

/* RopLogon (handle 0) and RopOpenFolder of the Inbox (handle 1) */
static int stream_logon(struct occ_cli *cli)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);
	struct rop_buffer *resp;

	if (req == NULL) {
		return 1;
	}
	req[0].RopId = RopLogon;
	req[0].u.RopLogon.LogonFlags = 0x01;		/* Private */
	req[0].u.RopLogon.OpenFlags = 0x01000000;	/* USE_PER_MDB_REPLID_MAPPING */
	req[0].u.RopLogon.Essdn = cli->params.user_dn ?
		talloc_strdup(cli->mem, cli->params.user_dn) :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username);
	if (req[0].u.RopLogon.Essdn == NULL) {
		return 1;
	}
	req[0].u.RopLogon.EssdnSize = strlen(req[0].u.RopLogon.Essdn) + 1;
	if (rops(cli, cli->mem, "logon", req, 1, 0, &resp) != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	req[1].RopId = RopOpenFolder;
	req[1].u.RopOpenFolder.OutputHandleIndex = 1;
	req[1].u.RopOpenFolder.FolderId = cli->fids[4];
	return rops(cli, cli->mem, "open_folder", &req[1], 1, 0, &resp);
}

static bool slurp(TALLOC_CTX *mem, const char *path, uint8_t **data_r, size_t *len_r)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, alloc = 65536, got;

	if (fp == NULL) {
		return false;
	}
	buf = talloc_size(mem, alloc);
	while (buf != NULL && (got = fread(buf + n, 1, alloc - n, fp)) > 0) {
		n += got;
		if (n == alloc && alloc < OCC_STREAM_MAX_FILE) {
			alloc *= 2;
			buf = talloc_realloc_size(mem, buf, alloc);
		}
	}
	fclose(fp);
	if (buf == NULL || n > OCC_STREAM_MAX_FILE) {
		return false;
	}
	*data_r = buf;
	*len_r = n;
	return true;
}

int occ_cli_stream_put(struct occ_cli *cli, int argc, char **argv)
{
	const char *path = NULL, *subject = "stream";
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	struct TaggedPropertyValue *v = talloc_zero(cli->mem, struct TaggedPropertyValue);
	struct rop_buffer *resp;
	size_t len = 0, off, chunk = 16000;
	uint8_t *data = NULL;
	unsigned writes = 0;
	uint64_t mid;
	int a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--file") == 0) {
			path = argv[a + 1];
		} else if (strcmp(argv[a], "--subject") == 0) {
			subject = argv[a + 1];
		} else if (strcmp(argv[a], "--chunk") == 0) {
			chunk = strtoul(argv[a + 1], NULL, 0);
		} else {
			return 2;
		}
	}
	if (path == NULL || a != argc || chunk == 0 || chunk > 0xFFFF ||
	    req == NULL || v == NULL) {
		return 2;
	}
	if (!slurp(cli->mem, path, &data, &len)) {
		fprintf(stderr, "stream-put: cannot read %s\n", path);
		return 1;
	}
	if (stream_logon(cli) != 0) {
		return 1;
	}
	/* handles: 2 the message, 3 its PidTagBody stream */
	v->PropertyTag = PidTagSubject;
	v->Value.PropertyType = PtypString;
	v->Value.u.str = (char *)(uintptr_t)subject;
	req[0].RopId = RopCreateMessage;
	req[0].u.RopCreateMessage.InputHandleIndex = 1;
	req[0].u.RopCreateMessage.OutputHandleIndex = 2;
	req[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	req[0].u.RopCreateMessage.FolderId = cli->fids[4];
	req[1].RopId = RopSetProperties;
	req[1].u.RopSetProperties.InputHandleIndex = 2;
	req[1].u.RopSetProperties.PropertyValueCount = 1;
	req[1].u.RopSetProperties.PropertyValues = v;
	req[2].RopId = RopOpenStream;
	req[2].u.RopOpenStream.InputHandleIndex = 2;
	req[2].u.RopOpenStream.OutputHandleIndex = 3;
	req[2].u.RopOpenStream.PropertyTag = PidTagBody;
	req[2].u.RopOpenStream.OpenModeFlags = 0x02;	/* Create */
	if (rops(cli, cli->mem, "stream_put", req, 3, 0, &resp) != 0) {
		return 1;
	}
	for (off = 0; off < len; off += chunk) {
		TALLOC_CTX *tmp = talloc_new(cli->mem);
		size_t n = len - off < chunk ? len - off : chunk;
		struct rop_request w = { .RopId = RopWriteStream };

		w.u.RopWriteStream.InputHandleIndex = 3;
		w.u.RopWriteStream.DataSize = (uint16_t)n;
		w.u.RopWriteStream.Data = data + off;
		if (rops(cli, tmp, "stream_put", &w, 1, 0, &resp) != 0) {
			return 1;
		}
		if (resp->responses[0].u.RopWriteStream.WrittenSize != n) {
			printf("stream_put=short\n");
			return 1;
		}
		writes++;
		talloc_free(tmp);
	}
	memset(req, 0, 2 * sizeof(*req));
	req[0].RopId = RopCommitStream;
	req[0].u.RopCommitStream.InputHandleIndex = 3;
	req[1].RopId = RopSaveChangesMessage;
	req[1].u.RopSaveChangesMessage.ResponseHandleIndex = 2;
	req[1].u.RopSaveChangesMessage.InputHandleIndex = 2;
	req[1].u.RopSaveChangesMessage.SaveFlags = 0x02;
	if (rops(cli, cli->mem, "stream_put", req, 2, 0, &resp) != 0) {
		return 1;
	}
	mid = resp->responses[1].u.RopSaveChangesMessage.MessageId;
	printf("folder=0x%016" PRIx64 "\nmid=0x%016" PRIx64 "\nwrites=%u\n"
	       "written=%zu\nstream_put=0\n", cli->fids[4], mid, writes, len);
	return 0;
}

int occ_cli_stream_get(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);
	const char *out = NULL;
	struct rop_buffer *resp;
	uint32_t max = 0x10000;
	uint64_t fid, mid;
	unsigned reads = 0;
	size_t total = 0;
	FILE *fp;
	int a;

	if (argc < 2 || req == NULL) {
		return 2;
	}
	fid = strtoull(argv[0], NULL, 0);
	mid = strtoull(argv[1], NULL, 0);
	for (a = 2; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--out") == 0) {
			out = argv[a + 1];
		} else if (strcmp(argv[a], "--max") == 0) {
			max = strtoul(argv[a + 1], NULL, 0);
		} else {
			return 2;
		}
	}
	if (out == NULL || a != argc) {
		return 2;
	}
	if (stream_logon(cli) != 0) {
		return 1;
	}
	req[0].RopId = RopOpenMessage;
	req[0].u.RopOpenMessage.OutputHandleIndex = 2;
	req[0].u.RopOpenMessage.CodePageId = 0x0FFF;
	req[0].u.RopOpenMessage.FolderId = fid;
	req[0].u.RopOpenMessage.MessageId = mid;
	req[1].RopId = RopOpenStream;
	req[1].u.RopOpenStream.InputHandleIndex = 2;
	req[1].u.RopOpenStream.OutputHandleIndex = 3;
	req[1].u.RopOpenStream.PropertyTag = PidTagBody;
	req[1].u.RopOpenStream.OpenModeFlags = 0x00;	/* ReadOnly */
	if (rops(cli, cli->mem, "stream_get", req, 2, 0, &resp) != 0) {
		return 1;
	}
	printf("stream_size=%u\n", resp->responses[1].u.RopOpenStream.StreamSize);
	fp = fopen(out, "wb");
	if (fp == NULL) {
		return 1;
	}
	for (;;) {
		TALLOC_CTX *tmp = talloc_new(cli->mem);
		struct rop_request r = { .RopId = RopReadStream };
		uint16_t n;

		r.u.RopReadStream.InputHandleIndex = 3;
		r.u.RopReadStream.ByteCount = 0xBABE;
		r.u.RopReadStream.MaximumByteCount = max;
		if (rops(cli, tmp, "stream_get", &r, 1, 0, &resp) != 0) {
			fclose(fp);
			return 1;
		}
		n = resp->responses[0].u.RopReadStream.DataSize;
		if (n == 0) {
			talloc_free(tmp);
			break;
		}
		if (fwrite(resp->responses[0].u.RopReadStream.Data, 1, n, fp) != n) {
			fclose(fp);
			return 1;
		}
		total += n;
		reads++;
		talloc_free(tmp);
	}
	fclose(fp);
	printf("reads=%u\nread=%zu\nstream_get=0\n", reads, total);
	return 0;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" -> wire GUID ([MS-DTYP] 2.3.4.2) */
static bool guid_from_string(const char *s, uint8_t g[16])
{
	unsigned d1, d2, d3, b[8], i;

	if (sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3,
		   &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11) {
		return false;
	}
	g[0] = d1 & 0xFF; g[1] = (d1 >> 8) & 0xFF;
	g[2] = (d1 >> 16) & 0xFF; g[3] = (d1 >> 24) & 0xFF;
	g[4] = d2 & 0xFF; g[5] = (d2 >> 8) & 0xFF;
	g[6] = d3 & 0xFF; g[7] = (d3 >> 8) & 0xFF;
	for (i = 0; i < 8; i++) {
		g[8 + i] = (uint8_t)b[i];
	}
	return true;
}

int occ_cli_named(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request r;
	struct rop_buffer *resp;
	struct PropertyName pn;
	uint16_t id;

	memset(&pn, 0, sizeof(pn));
	if (argc != 2 || !guid_from_string(argv[0], pn.Guid)) {
		return 2;
	}
	pn.Kind = 0x01;
	pn.Name = argv[1];
	if (stream_logon(cli) != 0) {
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetPropertyIdsFromNames;
	r.u.RopGetPropertyIdsFromNames.PropertyNameCount = 1;
	r.u.RopGetPropertyIdsFromNames.PropertyNames = &pn;
	if (rops(cli, cli->mem, "named", &r, 1, 0x00040380, &resp) != 0) {
		return 1;
	}
	printf("nocreate_rv=0x%08x\nnocreate_id=0x%04x\n", rop_rv(&resp->responses[0]),
	       resp->responses[0].u.RopGetPropertyIdsFromNames.PropertyIds[0]);
	r.u.RopGetPropertyIdsFromNames.Flags = 0x02;	/* create */
	if (rops(cli, cli->mem, "named", &r, 1, 0, &resp) != 0) {
		return 1;
	}
	id = resp->responses[0].u.RopGetPropertyIdsFromNames.PropertyIds[0];
	printf("id=0x%04x\n", id);
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetNamesFromPropertyIds;
	r.u.RopGetNamesFromPropertyIds.PropertyIdCount = 1;
	r.u.RopGetNamesFromPropertyIds.PropertyIds = &id;
	if (rops(cli, cli->mem, "named", &r, 1, 0, &resp) != 0) {
		return 1;
	}
	printf("name=%s\n", resp->responses[0].u.RopGetNamesFromPropertyIds.PropertyNames[0].Kind == 0x01 ?
	       resp->responses[0].u.RopGetNamesFromPropertyIds.PropertyNames[0].Name : "");
	memset(&r, 0, sizeof(r));
	r.RopId = RopQueryNamedProperties;
	r.u.RopQueryNamedProperties.HasGuid = 1;
	memcpy(r.u.RopQueryNamedProperties.PropertyGuid, pn.Guid, 16);
	if (rops(cli, cli->mem, "named", &r, 1, 0, &resp) != 0) {
		return 1;
	}
	printf("query_count=%u\nnamed=0\n", resp->responses[0].u.RopQueryNamedProperties.IdCount);
	return 0;
}

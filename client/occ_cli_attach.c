/*
 * openchange-client attachment commands ([MS-OXCMSG] 3.1.4.x):
 *
 *   attach-put --file PATH [--subject S] [--inner-subject S]
 *       a message in the Inbox with PATH as a file attachment
 *       (afByValue, PidTagAttachDataBinary) and an embedded message,
 *       saved; prints mid= folder= attach_put=
 *   attach-get FID MID
 *       the message's attachment table; each attachment opened: file
 *       data as hex, an embedded message's subject; prints has_attach=,
 *       attachment ..., data=, embedded_subject=, attach_get=
 *
 * The file goes in one RopSetProperties, so it must fit a ROP buffer
 * (at most 16 KiB here); streams are not used.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [MS-OXPROPS] */
#define PidTagSubject 0x0037001F
#define PidTagNormalizedSubject 0x0E1D001F
#define PidTagHasAttachments 0x0E1B000B
#define PidTagAttachNumber 0x0E210003
#define PidTagAttachMethod 0x37050003
#define PidTagAttachFilename 0x3704001F
#define PidTagAttachSize 0x0E200003
#define PidTagAttachDataBinary 0x37010102
/* [MS-OXCMSG] 2.2.2.9 */
#define afByValue 0x00000001
#define afEmbeddedMessage 0x00000005
#define OCC_ATTACH_MAX_FILE (16 * 1024)

static uint32_t rop_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* the first failing ROP of @resp, printed as @what=; 0 if all succeeded */
static int check_all(const char *what, const struct rop_buffer *resp, uint32_t want)
{
	uint32_t i;

	if (resp->count != want) {
		printf("%s=0x%08x\nrops=%u\n", what, OCC_E_DECODE, resp->count);
		return 1;
	}
	for (i = 0; i < resp->count; i++) {
		if (rop_rv(&resp->responses[i]) != 0) {
			printf("%s=0x%08x\nrop=0x%02x\n", what,
			       rop_rv(&resp->responses[i]), resp->responses[i].RopId);
			return 1;
		}
	}
	return 0;
}

static int rops(struct occ_cli *cli, const char *what, struct rop_request *req,
		uint32_t n, struct rop_buffer **resp_r)
{
	uint32_t ec = occ_rops(cli->s, cli->mem, req, n, cli->handles, 8, resp_r);

	if (ec != 0) {
		printf("%s=0x%08x\n", what, ec);
		fprintf(stderr, "%s: %s\n", what, occ_errstr(cli->s));
		return 1;
	}
	return check_all(what, *resp_r, n);
}

/* RopLogon into handle 0 and cli->fids */
static int attach_logon(struct occ_cli *cli)
{
	struct rop_request *req = talloc_zero(cli->mem, struct rop_request);
	struct rop_buffer *resp;

	if (req == NULL) {
		return 1;
	}
	req->RopId = RopLogon;
	req->u.RopLogon.OutputHandleIndex = 0;
	req->u.RopLogon.LogonFlags = 0x01;		/* Private */
	req->u.RopLogon.OpenFlags = 0x01000000;	/* USE_PER_MDB_REPLID_MAPPING */
	req->u.RopLogon.Essdn = cli->params.user_dn ?
		talloc_strdup(cli->mem, cli->params.user_dn) :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username);
	if (req->u.RopLogon.Essdn == NULL) {
		return 1;
	}
	req->u.RopLogon.EssdnSize = strlen(req->u.RopLogon.Essdn) + 1;
	if (rops(cli, "logon", req, 1, &resp) != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	return 0;
}

static bool read_file(TALLOC_CTX *mem, const char *path, uint8_t **data_r, uint32_t *len_r)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = talloc_array(mem, uint8_t, OCC_ATTACH_MAX_FILE + 1);
	size_t n;

	if (fp == NULL || buf == NULL) {
		if (fp != NULL) {
			fclose(fp);
		}
		return false;
	}
	n = fread(buf, 1, OCC_ATTACH_MAX_FILE + 1, fp);
	fclose(fp);
	if (n > OCC_ATTACH_MAX_FILE) {
		return false;
	}
	*data_r = buf;
	*len_r = (uint32_t)n;
	return true;
}

static void tpv_str(struct TaggedPropertyValue *t, uint32_t tag, const char *s)
{
	t->PropertyTag = tag;
	t->Value.PropertyType = PtypString;
	t->Value.u.str = (char *)(uintptr_t)s;
}

int occ_cli_attach_put(struct occ_cli *cli, int argc, char **argv)
{
	const char *path = NULL, *subject = "attachments", *inner = "embedded";
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 12);
	struct TaggedPropertyValue *v = talloc_zero_array(cli->mem,
		struct TaggedPropertyValue, 7);
	struct rop_buffer *resp;
	const char *base;
	uint8_t *data = NULL;
	uint32_t len = 0;
	int a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--file") == 0) {
			path = argv[a + 1];
		} else if (strcmp(argv[a], "--subject") == 0) {
			subject = argv[a + 1];
		} else if (strcmp(argv[a], "--inner-subject") == 0) {
			inner = argv[a + 1];
		} else {
			return 2;
		}
	}
	if (path == NULL || a != argc || req == NULL || v == NULL) {
		return 2;
	}
	if (!read_file(cli->mem, path, &data, &len)) {
		fprintf(stderr, "attach-put: cannot read %s (at most %u bytes)\n",
			path, OCC_ATTACH_MAX_FILE);
		return 1;
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (attach_logon(cli) != 0) {
		return 1;
	}
	tpv_str(&v[0], PidTagSubject, subject);
	v[1].PropertyTag = PidTagAttachMethod;
	v[1].Value.PropertyType = PtypInteger32;
	v[1].Value.u.l = afByValue;
	tpv_str(&v[2], PidTagAttachFilename, base);
	v[3].PropertyTag = PidTagAttachDataBinary;
	v[3].Value.PropertyType = PtypBinary;
	v[3].Value.u.bin.cb = len;
	v[3].Value.u.bin.lpb = data;
	tpv_str(&v[4], PidTagSubject, inner);
	tpv_str(&v[5], PidTagNormalizedSubject, inner);

	/* handles: 1 Inbox, 2 message, 3 file attachment, 4 embedded
	 * attachment, 5 embedded message */
	req[0].RopId = RopOpenFolder;
	req[0].u.RopOpenFolder.OutputHandleIndex = 1;
	req[0].u.RopOpenFolder.FolderId = cli->fids[4];
	req[1].RopId = RopCreateMessage;
	req[1].u.RopCreateMessage.InputHandleIndex = 1;
	req[1].u.RopCreateMessage.OutputHandleIndex = 2;
	req[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	req[1].u.RopCreateMessage.FolderId = cli->fids[4];
	req[2].RopId = RopSetProperties;
	req[2].u.RopSetProperties.InputHandleIndex = 2;
	req[2].u.RopSetProperties.PropertyValueCount = 1;
	req[2].u.RopSetProperties.PropertyValues = &v[0];
	req[3].RopId = RopCreateAttachment;
	req[3].u.RopCreateAttachment.InputHandleIndex = 2;
	req[3].u.RopCreateAttachment.OutputHandleIndex = 3;
	req[4].RopId = RopSetProperties;
	req[4].u.RopSetProperties.InputHandleIndex = 3;
	req[4].u.RopSetProperties.PropertyValueCount = 3;
	req[4].u.RopSetProperties.PropertyValues = &v[1];
	req[5].RopId = RopSaveChangesAttachment;
	req[5].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	req[5].u.RopSaveChangesAttachment.InputHandleIndex = 3;
	req[6].RopId = RopCreateAttachment;
	req[6].u.RopCreateAttachment.InputHandleIndex = 2;
	req[6].u.RopCreateAttachment.OutputHandleIndex = 4;
	req[7].RopId = RopOpenEmbeddedMessage;
	req[7].u.RopOpenEmbeddedMessage.InputHandleIndex = 4;
	req[7].u.RopOpenEmbeddedMessage.OutputHandleIndex = 5;
	req[7].u.RopOpenEmbeddedMessage.CodePageId = 0x0FFF;
	req[7].u.RopOpenEmbeddedMessage.OpenModeFlags = 0x02;	/* Create */
	req[8].RopId = RopSetProperties;
	req[8].u.RopSetProperties.InputHandleIndex = 5;
	req[8].u.RopSetProperties.PropertyValueCount = 2;
	req[8].u.RopSetProperties.PropertyValues = &v[4];
	req[9].RopId = RopSaveChangesMessage;
	req[9].u.RopSaveChangesMessage.ResponseHandleIndex = 5;
	req[9].u.RopSaveChangesMessage.InputHandleIndex = 5;
	req[9].u.RopSaveChangesMessage.SaveFlags = 0x02;
	req[10].RopId = RopSaveChangesAttachment;
	req[10].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	req[10].u.RopSaveChangesAttachment.InputHandleIndex = 4;
	req[11].RopId = RopSaveChangesMessage;
	req[11].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	req[11].u.RopSaveChangesMessage.InputHandleIndex = 2;
	req[11].u.RopSaveChangesMessage.SaveFlags = 0x02;
	if (rops(cli, "attach_put", req, 12, &resp) != 0) {
		return 1;
	}
	printf("attach_ids=%u,%u\n", resp->responses[3].u.RopCreateAttachment.AttachmentID,
	       resp->responses[6].u.RopCreateAttachment.AttachmentID);
	printf("mid=0x%016" PRIx64 "\nfolder=0x%016" PRIx64 "\n",
	       resp->responses[11].u.RopSaveChangesMessage.MessageId, cli->fids[4]);
	printf("attach_put=0x%08x\n", 0);
	return 0;
}

/* open attachment @aid of the message in handle 1 and print its content */
static int attach_show(struct occ_cli *cli, uint32_t aid, uint32_t method)
{
	static const uint32_t data_tags[] = { PidTagAttachDataBinary };
	static const uint32_t subj_tags[] = { PidTagSubject };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 3);
	const struct PropertyValue *p;
	struct rop_buffer *resp;
	uint32_t j;

	if (req == NULL) {
		return 1;
	}
	req[0].RopId = RopOpenAttachment;
	req[0].u.RopOpenAttachment.InputHandleIndex = 1;
	req[0].u.RopOpenAttachment.OutputHandleIndex = 3;
	req[0].u.RopOpenAttachment.AttachmentID = aid;
	if (method == afEmbeddedMessage) {
		req[1].RopId = RopOpenEmbeddedMessage;
		req[1].u.RopOpenEmbeddedMessage.InputHandleIndex = 3;
		req[1].u.RopOpenEmbeddedMessage.OutputHandleIndex = 4;
		req[1].u.RopOpenEmbeddedMessage.CodePageId = 0x0FFF;
		req[2].RopId = RopGetPropertiesSpecific;
		req[2].u.RopGetPropertiesSpecific.InputHandleIndex = 4;
		req[2].u.RopGetPropertiesSpecific.WantUnicode = 1;
		req[2].u.RopGetPropertiesSpecific.PropertyTagCount = 1;
		req[2].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)subj_tags;
		if (rops(cli, "attach_get", req, 3, &resp) != 0) {
			return 1;
		}
		p = &resp->responses[2].u.RopGetPropertiesSpecific.RowData.Values[0].Value;
		printf("embedded_subject=%s\n",
		       p->PropertyType == PtypString && p->u.str ? p->u.str : "");
		return 0;
	}
	req[1].RopId = RopGetPropertiesSpecific;
	req[1].u.RopGetPropertiesSpecific.InputHandleIndex = 3;
	req[1].u.RopGetPropertiesSpecific.WantUnicode = 1;
	req[1].u.RopGetPropertiesSpecific.PropertyTagCount = 1;
	req[1].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)data_tags;
	if (rops(cli, "attach_get", req, 2, &resp) != 0) {
		return 1;
	}
	p = &resp->responses[1].u.RopGetPropertiesSpecific.RowData.Values[0].Value;
	printf("data=");
	for (j = 0; p->PropertyType == PtypBinary && j < p->u.bin.cb; j++) {
		printf("%02x", p->u.bin.lpb[j]);
	}
	printf("\n");
	return 0;
}

int occ_cli_attach_get(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t msg_tags[] = { PidTagSubject, PidTagHasAttachments };
	static const uint32_t cols[] = { PidTagAttachNumber, PidTagAttachMethod,
					 PidTagAttachFilename, PidTagAttachSize };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 5);
	const struct RopQueryRows_resp *q;
	const struct PropertyRow *row;
	struct rop_buffer *resp;
	uint32_t i;

	if (argc < 2 || req == NULL) {
		return 2;
	}
	if (attach_logon(cli) != 0) {
		return 1;
	}
	req[0].RopId = RopOpenMessage;
	req[0].u.RopOpenMessage.InputHandleIndex = 0;
	req[0].u.RopOpenMessage.OutputHandleIndex = 1;
	req[0].u.RopOpenMessage.CodePageId = 0x0FFF;
	req[0].u.RopOpenMessage.FolderId = strtoull(argv[0], NULL, 0);
	req[0].u.RopOpenMessage.MessageId = strtoull(argv[1], NULL, 0);
	req[1].RopId = RopGetPropertiesSpecific;
	req[1].u.RopGetPropertiesSpecific.InputHandleIndex = 1;
	req[1].u.RopGetPropertiesSpecific.WantUnicode = 1;
	req[1].u.RopGetPropertiesSpecific.PropertyTagCount = 2;
	req[1].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)msg_tags;
	req[2].RopId = RopGetAttachmentTable;
	req[2].u.RopGetAttachmentTable.InputHandleIndex = 1;
	req[2].u.RopGetAttachmentTable.OutputHandleIndex = 2;
	req[3].RopId = RopSetColumns;
	req[3].u.RopSetColumns.InputHandleIndex = 2;
	req[3].u.RopSetColumns.PropertyTagCount = 4;
	req[3].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	req[4].RopId = RopQueryRows;
	req[4].u.RopQueryRows.InputHandleIndex = 2;
	req[4].u.RopQueryRows.ForwardRead = 1;
	req[4].u.RopQueryRows.RowCount = 0x100;
	if (rops(cli, "attach_get", req, 5, &resp) != 0) {
		return 1;
	}
	row = &resp->responses[1].u.RopGetPropertiesSpecific.RowData;
	printf("has_attach=%u\n", row->Values[1].Flag == 0 ? row->Values[1].Value.u.b : 0);
	q = &resp->responses[4].u.RopQueryRows;
	for (i = 0; i < q->RowCount; i++) {
		const struct RowPropertyValue *c = q->RowData[i].Values;
		uint32_t aid = c[0].Value.u.l;
		uint32_t method = c[1].Flag == 0 ? c[1].Value.u.l : 0;

		printf("attachment num=%u method=%u name=%s size=%u\n", aid, method,
		       c[2].Flag == 0 && c[2].Value.u.str ? c[2].Value.u.str : "",
		       c[3].Flag == 0 ? c[3].Value.u.l : 0);
		if (attach_show(cli, aid, method) != 0) {
			return 1;
		}
	}
	printf("attach_get=0x%08x\n", 0);
	return 0;
}

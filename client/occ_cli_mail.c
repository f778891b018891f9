/*
 * openchange-client's mail command (the transport, doc/transport.md):
 *
 *   mail [--to A]... [--cc A]... [--bcc A]... [--subject S] [--body B]
 *        [--sent-items | --delete-after]
 *
 * A is an SMTP address or "EX:<legacyExchangeDN>". The message is created
 * in the Outbox, saved and submitted in one EcDoRpcExt2 ([MS-OXOMSG]
 * 3.1.4.1); --sent-items sets PidTagSentMailSvrEID to Sent Items,
 * --delete-after PidTagDeleteAfterSubmit ([MS-OXOMSG] 3.2.5.1). Prints
 * mid= (its MID in the Outbox) and mail=0x<RopSubmitMessage ReturnValue>.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PidTagSubject 0x0037001F
#define PidTagBody 0x1000001F
#define PidTagMessageClass 0x001A001F
#define PidTagDeleteAfterSubmit 0x0E01000B
#define PidTagSentMailSvrEID 0x674000FB
/* most recipients one command takes */
#define OCC_MAIL_MAX_RCPT 32

static uint32_t mail_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* one recipient row: "EX:<dn>" as an X500 DN, anything else as SMTP
 * ([MS-OXCDATA] 2.8.3.1 RecipientRow) */
static void mail_recipient(struct RecipientRow *row, const char *a)
{
	if (strncmp(a, "EX:", 3) == 0) {
		const char *cn = strrchr(a, '=');

		row->RecipientFlags = RecipientType_X500DN | RecipientFlags_D |
			RecipientFlags_U;
		row->X500DN = (char *)(uintptr_t)(a + 3);
		row->DisplayName = (char *)(uintptr_t)(cn != NULL ? cn + 1 : a + 3);
		return;
	}
	row->RecipientFlags = RecipientType_NoType | RecipientFlags_O |
		RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
	row->AddressType = (char *)(uintptr_t)"SMTP";
	row->EmailAddress = (char *)(uintptr_t)a;
	row->DisplayName = (char *)(uintptr_t)a;
}

static int mail_logon(struct occ_cli *cli)
{
	struct rop_request *req = talloc_zero(cli->mem, struct rop_request);
	struct rop_buffer *resp;
	uint32_t ec;

	if (req == NULL) {
		return 1;
	}
	req->RopId = RopLogon;
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
	ec = occ_rops(cli->s, cli->mem, req, 1, cli->handles, 8, &resp);
	if (ec == 0 && (resp->count != 1 || mail_rv(&resp->responses[0]) != 0)) {
		ec = resp->count == 1 ? mail_rv(&resp->responses[0]) : OCC_E_DECODE;
	}
	if (ec != 0) {
		printf("logon=0x%08x\n", ec);
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	return 0;
}

int occ_cli_mail(struct occ_cli *cli, int argc, char **argv)
{
	struct ModifyRecipientRow *rows;
	struct RecipientRow *rr;
	struct TaggedPropertyValue vals[4];
	struct rop_request *req;
	struct rop_buffer *resp;
	const char *subject = "", *body = "";
	uint8_t *svreid;
	bool sent_items = false, delete_after = false;
	uint32_t n = 0, nvals = 3, ec, i;
	int a;

	rows = talloc_zero_array(cli->mem, struct ModifyRecipientRow, OCC_MAIL_MAX_RCPT);
	rr = talloc_zero_array(cli->mem, struct RecipientRow, OCC_MAIL_MAX_RCPT);
	req = talloc_zero_array(cli->mem, struct rop_request, 6);
	svreid = talloc_zero_array(cli->mem, uint8_t, 21);
	if (rows == NULL || rr == NULL || req == NULL || svreid == NULL) {
		return 1;
	}
	for (a = 0; a < argc; a++) {
		uint32_t type = strcmp(argv[a], "--to") == 0 ? 1 :
				strcmp(argv[a], "--cc") == 0 ? 2 :
				strcmp(argv[a], "--bcc") == 0 ? 3 : 0;

		if (type != 0 && a + 1 < argc) {
			if (n == OCC_MAIL_MAX_RCPT) {
				return 2;
			}
			mail_recipient(&rr[n], argv[++a]);
			rows[n].RowId = n;
			rows[n].RecipientType = (uint8_t)type;
			rows[n].RecipientRowSize = 1;
			rows[n].RecipientRow = &rr[n];
			n++;
		} else if (strcmp(argv[a], "--subject") == 0 && a + 1 < argc) {
			subject = argv[++a];
		} else if (strcmp(argv[a], "--body") == 0 && a + 1 < argc) {
			body = argv[++a];
		} else if (strcmp(argv[a], "--sent-items") == 0) {
			sent_items = true;
		} else if (strcmp(argv[a], "--delete-after") == 0) {
			delete_after = true;
		} else {
			return 2;
		}
	}
	if (mail_logon(cli) != 0) {
		return 1;
	}
	memset(vals, 0, sizeof(vals));
	vals[0].PropertyTag = PidTagSubject;
	vals[0].Value.PropertyType = PtypString;
	vals[0].Value.u.str = (char *)(uintptr_t)subject;
	vals[1].PropertyTag = PidTagBody;
	vals[1].Value.PropertyType = PtypString;
	vals[1].Value.u.str = (char *)(uintptr_t)body;
	vals[2].PropertyTag = PidTagMessageClass;
	vals[2].Value.PropertyType = PtypString;
	vals[2].Value.u.str = (char *)(uintptr_t)"IPM.Note";
	if (delete_after) {
		vals[nvals].PropertyTag = PidTagDeleteAfterSubmit;
		vals[nvals].Value.PropertyType = PtypBoolean;
		vals[nvals++].Value.u.b = 1;
	} else if (sent_items) {
		/* [MS-OXCDATA] 2.11.1.4: Ours, FolderId, MessageId 0, Instance 0 */
		svreid[0] = 0x01;
		for (i = 0; i < 8; i++) {
			svreid[1 + i] = (uint8_t)(cli->fids[6] >> (8 * i));
		}
		vals[nvals].PropertyTag = PidTagSentMailSvrEID;
		vals[nvals].Value.PropertyType = PtypServerId;
		vals[nvals].Value.u.bin.cb = 21;
		vals[nvals++].Value.u.bin.lpb = svreid;
	}
	req[0].RopId = RopOpenFolder;
	req[0].u.RopOpenFolder.OutputHandleIndex = 1;
	req[0].u.RopOpenFolder.FolderId = cli->fids[5];
	req[1].RopId = RopCreateMessage;
	req[1].u.RopCreateMessage.InputHandleIndex = 1;
	req[1].u.RopCreateMessage.OutputHandleIndex = 2;
	req[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	req[1].u.RopCreateMessage.FolderId = cli->fids[5];
	req[2].RopId = RopSetProperties;
	req[2].u.RopSetProperties.InputHandleIndex = 2;
	req[2].u.RopSetProperties.PropertyValueCount = (uint16_t)nvals;
	req[2].u.RopSetProperties.PropertyValues = vals;
	req[3].RopId = RopModifyRecipients;
	req[3].u.RopModifyRecipients.InputHandleIndex = 2;
	req[3].u.RopModifyRecipients.RowCount = (uint16_t)n;
	req[3].u.RopModifyRecipients.RecipientRows = rows;
	req[4].RopId = RopSaveChangesMessage;
	req[4].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	req[4].u.RopSaveChangesMessage.InputHandleIndex = 2;
	req[4].u.RopSaveChangesMessage.SaveFlags = 0x02;	/* KeepOpenReadWrite */
	req[5].RopId = RopSubmitMessage;
	req[5].u.RopSubmitMessage.InputHandleIndex = 2;
	ec = occ_rops(cli->s, cli->mem, req, 6, cli->handles, 8, &resp);
	if (ec != 0 || resp->count < 6) {
		printf("mail=0x%08x\n", ec != 0 ? ec : OCC_E_DECODE);
		fprintf(stderr, "mail: %s\n", occ_errstr(cli->s));
		return 1;
	}
	for (i = 0; i < 5; i++) {
		if (mail_rv(&resp->responses[i]) != 0) {
			printf("mail=0x%08x\nrop=0x%02x\n", mail_rv(&resp->responses[i]),
			       resp->responses[i].RopId);
			return 1;
		}
	}
	printf("mid=0x%016" PRIx64 "\noutbox=0x%016" PRIx64 "\nsent_items=0x%016" PRIx64
	       "\ninbox=0x%016" PRIx64 "\n",
	       resp->responses[4].u.RopSaveChangesMessage.MessageId, cli->fids[5],
	       cli->fids[6], cli->fids[4]);
	ec = mail_rv(&resp->responses[5]);
	printf("mail=0x%08x\n", ec);
	return ec == 0 ? 0 : 1;
}

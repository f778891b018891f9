/*
 * openchange-client commands. Each builds ROP requests with the ndr/rop
 * structures, sends them through occ_rops() and prints key=value lines.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [MS-OXPROPS] tags used by the commands */
#define PidTagFolderId 0x67480014
#define PidTagDisplayName 0x3001001F
#define PidTagContentCount 0x36020003
#define PidTagFolderChildCount 0x66380003
#define PidTagMid 0x674A0014
#define PidTagSubject 0x0037001F
#define PidTagMessageClass 0x001A001F
#define PidTagBody 0x1000001F
#define PidTagMessageDeliveryTime 0x0E060040
#define PidTagDisplayTo 0x0E04001F

/* RopLogon LogonFlags / OpenFlags ([MS-OXCSTOR] 2.2.1.1.1) */
#define LogonFlags_Private 0x01
#define OpenFlags_USE_PER_MDB_REPLID_MAPPING 0x01000000

static int report(const char *what, uint32_t ec, struct occ_session *s)
{
	printf("%s=0x%08x\n", what, ec);
	if (ec == OCC_E_RPC || ec == OCC_E_DECODE) {
		fprintf(stderr, "%s: %s\n", what, occ_errstr(s));
		if (s != NULL) {
			printf("fault=0x%08x\n", occ_last_fault(s));
		}
	}
	return ec == 0 ? 0 : 1;
}

int occ_cli_open(struct occ_cli *cli)
{
	struct occ_connect_info info;
	uint32_t ec = occ_connect(cli->mem, &cli->params, &cli->s, &info);

	if (ec != 0) {
		printf("connect=0x%08x\n", ec);
		fprintf(stderr, "connect: %s\n", occ_last_connect_error());
		return 1;
	}
	memset(cli->handles, 0xFF, sizeof(cli->handles));
	return 0;
}

int occ_cli_connect(struct occ_cli *cli, int argc, char **argv)
{
	struct occ_connect_info info;
	uint32_t ec = occ_connect(cli->mem, &cli->params, &cli->s, &info);

	if (ec == OCC_E_RPC) {
		printf("connect=0x%08x\n", ec);
		fprintf(stderr, "connect: %s\n", occ_last_connect_error());
		return 1;
	}
	printf("connect=0x%08x\n", ec);
	printf("polls_max=%u\nretry=%u\nretry_delay=%u\ncxr=%u\n",
	       info.pcmsPollsMax, info.pcRetry, info.pcmsRetryDelay, info.picxr);
	printf("dn_prefix=%s\ndisplay_name=%s\n", info.szDNPrefix,
	       info.szDisplayName);
	printf("server_version=%04x,%04x,%04x\n", info.rgwServerVersion[0],
	       info.rgwServerVersion[1], info.rgwServerVersion[2]);
	printf("best_version=%04x,%04x,%04x\n", info.rgwBestVersion[0],
	       info.rgwBestVersion[1], info.rgwBestVersion[2]);
	printf("aux_out=%u\n", info.cbAuxOut);
	if (ec != 0) {
		return 1;
	}
	return report("disconnect", occ_disconnect(cli->s), cli->s);
}

int occ_cli_drop(struct occ_cli *cli, int argc, char **argv)
{
	if (occ_cli_open(cli) != 0) {
		return 1;
	}
	occ_drop(cli->s);
	printf("dropped=1\n");
	return 0;
}

static bool hex_decode(TALLOC_CTX *mem, const char *hex, uint8_t **out,
		       size_t *len)
{
	size_t n = strlen(hex), i;

	if (n % 2 != 0) {
		return false;
	}
	*out = talloc_array(mem, uint8_t, n / 2 + 1);
	if (*out == NULL) {
		return false;
	}
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			return false;
		}
		(*out)[i] = v;
	}
	*len = n / 2;
	return true;
}

/* raw [--max-out N] HEX...: each argument one EcDoRpcExt2 */
int occ_cli_raw(struct occ_cli *cli, int argc, char **argv)
{
	uint32_t max_out = 0;
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		uint8_t *in, *out;
		size_t len, out_len, j;
		uint32_t ec;

		if (strcmp(argv[i], "--max-out") == 0 && i + 1 < argc) {
			max_out = strtoul(argv[++i], NULL, 0);
			continue;
		}
		if (!hex_decode(cli->mem, argv[i], &in, &len)) {
			fprintf(stderr, "raw: not hex: %s\n", argv[i]);
			return 2;
		}
		ec = occ_rop_raw(cli->s, cli->mem, in, len, max_out, &out, &out_len);
		printf("result=0x%08x\n", ec);
		if (ec != 0) {
			rc = report("error", ec, cli->s);
			continue;
		}
		printf("out=");
		for (j = 0; j < out_len; j++) {
			printf("%02x", out[j]);
		}
		printf("\n");
	}
	return rc;
}

static void print_value(const struct RowPropertyValue *v)
{
	const struct PropertyValue *p = &v->Value;
	uint32_t j;

	if (v->Flag == 0x0A || p->PropertyType == PtypErrorCode) {
		printf("error:0x%08x", p->u.l);
		return;
	}
	if (v->Flag == 0x01) {
		printf("(none)");
		return;
	}
	switch (p->PropertyType) {
	case PtypInteger16:
		printf("%u", p->u.i2);
		break;
	case PtypInteger32:
		printf("%u", p->u.l);
		break;
	case PtypBoolean:
		printf("%s", p->u.b ? "true" : "false");
		break;
	case PtypInteger64:
	case PtypTime:
	case PtypCurrency:
		printf("0x%016" PRIx64, p->u.d);
		break;
	case PtypString:
		printf("%s", p->u.str ? p->u.str : "");
		break;
	case PtypString8:
		printf("%s", p->u.str8.utf8 ? p->u.str8.utf8 : "");
		break;
	case PtypBinary:
		for (j = 0; j < p->u.bin.cb; j++) {
			printf("%02x", p->u.bin.lpb[j]);
		}
		break;
	default:
		printf("(type 0x%04x)", p->PropertyType);
		break;
	}
}

static void print_row(const char *kind, const uint32_t *cols, uint32_t ncols,
		      const struct PropertyRow *row)
{
	uint32_t i;

	printf("%s", kind);
	for (i = 0; i < row->ValueCount && i < ncols; i++) {
		printf(" %08x=", cols[i]);
		print_value(&row->Values[i]);
	}
	printf("\n");
}

static struct rop_request *new_requests(struct occ_cli *cli, uint32_t n)
{
	return talloc_zero_array(cli->mem, struct rop_request, n);
}

static void fill_logon(struct occ_cli *cli, struct rop_request *r)
{
	r->RopId = RopLogon;
	r->LogonId = 0;
	r->u.RopLogon.OutputHandleIndex = 0;
	r->u.RopLogon.LogonFlags = LogonFlags_Private;
	r->u.RopLogon.OpenFlags = OpenFlags_USE_PER_MDB_REPLID_MAPPING;
	r->u.RopLogon.Essdn = talloc_asprintf(cli->mem, "%s",
		cli->params.user_dn ? cli->params.user_dn :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username));
	r->u.RopLogon.EssdnSize = strlen(r->u.RopLogon.Essdn) + 1;
}

/* RopLogon into handle 0 and cli->fids */
static int do_logon(struct occ_cli *cli, bool print)
{
	struct rop_request *req = new_requests(cli, 1);
	struct rop_buffer *resp;
	uint32_t ec, i;

	fill_logon(cli, req);
	ec = occ_rops(cli->s, cli->mem, req, 1, cli->handles, 8, &resp);
	if (ec != 0) {
		return report("logon", ec, cli->s);
	}
	if (resp->count != 1 || resp->responses[0].RopId != RopLogon) {
		return report("logon", OCC_E_DECODE, cli->s);
	}
	ec = resp->responses[0].u.RopLogon.ReturnValue;
	if (print || ec != 0) {
		printf("logon=0x%08x\n", ec);
	}
	if (ec != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds,
	       sizeof(cli->fids));
	if (print) {
		for (i = 0; i < 13; i++) {
			printf("fid%u=0x%016" PRIx64 "\n", i, cli->fids[i]);
		}
		printf("replid=%u\n", resp->responses[0].u.RopLogon.ReplId);
	}
	return 0;
}

int occ_cli_logon(struct occ_cli *cli, int argc, char **argv)
{
	return do_logon(cli, true);
}

/* open @fid into handle 1, its @table (0x04 hierarchy / 0x05 contents)
 * into handle 2 with @cols, query up to 0x1000 rows */
static int query_table(struct occ_cli *cli, uint64_t fid, uint8_t rop,
		       uint8_t table_flags, const uint32_t *cols, uint32_t ncols,
		       const char *kind)
{
	struct rop_request *req = new_requests(cli, 4);
	struct rop_buffer *resp;
	uint32_t ec, i;

	req[0].RopId = RopOpenFolder;
	req[0].u.RopOpenFolder.InputHandleIndex = 0;
	req[0].u.RopOpenFolder.OutputHandleIndex = 1;
	req[0].u.RopOpenFolder.FolderId = fid;
	req[1].RopId = rop;
	if (rop == RopGetHierarchyTable) {
		req[1].u.RopGetHierarchyTable.InputHandleIndex = 1;
		req[1].u.RopGetHierarchyTable.OutputHandleIndex = 2;
		req[1].u.RopGetHierarchyTable.TableFlags = table_flags;
	} else {
		req[1].u.RopGetContentsTable.InputHandleIndex = 1;
		req[1].u.RopGetContentsTable.OutputHandleIndex = 2;
		req[1].u.RopGetContentsTable.TableFlags = table_flags;
	}
	req[2].RopId = RopSetColumns;
	req[2].u.RopSetColumns.InputHandleIndex = 2;
	req[2].u.RopSetColumns.PropertyTagCount = ncols;
	req[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	req[3].RopId = RopQueryRows;
	req[3].u.RopQueryRows.InputHandleIndex = 2;
	req[3].u.RopQueryRows.ForwardRead = 1;
	req[3].u.RopQueryRows.RowCount = 0x1000;
	ec = occ_rops(cli->s, cli->mem, req, 4, cli->handles, 8, &resp);
	if (ec != 0) {
		return report(kind, ec, cli->s);
	}
	for (i = 0; i < resp->count; i++) {
		const struct rop_response *r = &resp->responses[i];
		uint32_t rv;

		memcpy(&rv, (const uint8_t *)&r->u + 4, 4);
		if (rv != 0) {
			printf("%s=0x%08x\nrop=0x%02x\n", kind, rv, r->RopId);
			return 1;
		}
		if (r->RopId == RopQueryRows) {
			uint32_t j;

			for (j = 0; j < r->u.RopQueryRows.RowCount; j++) {
				print_row(kind, cols, ncols,
					  &r->u.RopQueryRows.RowData[j]);
			}
		}
	}
	printf("%s=0x%08x\n", kind, 0);
	return 0;
}

int occ_cli_folders(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t cols[] = { PidTagFolderId, PidTagDisplayName,
					 PidTagContentCount, PidTagFolderChildCount };

	if (do_logon(cli, false) != 0) {
		return 1;
	}
	/* FolderIds[0]: the mailbox root; 0x04 Depth: the whole tree */
	return query_table(cli, cli->fids[0], RopGetHierarchyTable, 0x04, cols,
			   4, "folder");
}

int occ_cli_messages(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject,
					 PidTagMessageClass };

	if (argc < 1) {
		return 2;
	}
	if (do_logon(cli, false) != 0) {
		return 1;
	}
	return query_table(cli, strtoull(argv[0], NULL, 0), RopGetContentsTable,
			   0, cols, 3, "message");
}

int occ_cli_read(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t cols[] = { PidTagSubject, PidTagMessageClass,
					 PidTagBody, PidTagDisplayTo };
	struct rop_request *req = new_requests(cli, 2);
	struct rop_buffer *resp;
	uint32_t ec, rv;

	if (argc < 2) {
		return 2;
	}
	if (do_logon(cli, false) != 0) {
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
	req[1].u.RopGetPropertiesSpecific.PropertyTagCount = 4;
	req[1].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)cols;
	ec = occ_rops(cli->s, cli->mem, req, 2, cli->handles, 8, &resp);
	if (ec != 0) {
		return report("read", ec, cli->s);
	}
	rv = resp->responses[0].u.RopOpenMessage.ReturnValue;
	if (rv == 0 && resp->count > 1) {
		rv = resp->responses[1].u.RopGetPropertiesSpecific.ReturnValue;
	}
	if (rv != 0) {
		printf("read=0x%08x\n", rv);
		return 1;
	}
	print_row("message", cols, 4,
		  &resp->responses[1].u.RopGetPropertiesSpecific.RowData);
	printf("read=0x%08x\n", 0);
	return 0;
}

/* send --to ADDR --subject S --body B: a message created in the Outbox
 * (FolderIds[5]), saved and submitted ([MS-OXOMSG] 3.1.4.1), then listed
 * and read back in the same session */
int occ_cli_send(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject,
					 PidTagMessageClass };
	const char *to = "", *subject = "", *body = "";
	struct TaggedPropertyValue *vals;
	struct rop_request *req = new_requests(cli, 6);
	struct ModifyRecipientRow *rcpt = talloc_zero(cli->mem, struct ModifyRecipientRow);
	struct RecipientRow *row = talloc_zero(cli->mem, struct RecipientRow);
	struct rop_buffer *resp;
	uint64_t mid;
	uint32_t ec, i;
	int a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--to") == 0) {
			to = argv[a + 1];
		} else if (strcmp(argv[a], "--subject") == 0) {
			subject = argv[a + 1];
		} else if (strcmp(argv[a], "--body") == 0) {
			body = argv[a + 1];
		} else {
			return 2;
		}
	}
	if (do_logon(cli, false) != 0) {
		return 1;
	}
	vals = talloc_zero_array(cli->mem, struct TaggedPropertyValue, 4);
	vals[0].PropertyTag = PidTagSubject;
	vals[1].PropertyTag = PidTagBody;
	vals[2].PropertyTag = PidTagMessageClass;
	vals[3].PropertyTag = PidTagDisplayTo;
	vals[0].Value.u.str = (char *)(uintptr_t)subject;
	vals[1].Value.u.str = (char *)(uintptr_t)body;
	vals[2].Value.u.str = (char *)(uintptr_t)"IPM.Note";
	vals[3].Value.u.str = (char *)(uintptr_t)to;
	for (i = 0; i < 4; i++) {
		vals[i].Value.PropertyType = PtypString;
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
	req[2].u.RopSetProperties.PropertyValueCount = 4;
	req[2].u.RopSetProperties.PropertyValues = vals;
	/* one SMTP recipient, MAPI_TO ([MS-OXCDATA] 2.8.3.2) */
	row->RecipientFlags = RecipientType_NoType | RecipientFlags_O |
		RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
	row->AddressType = (char *)(uintptr_t)"SMTP";
	row->EmailAddress = (char *)(uintptr_t)to;
	row->DisplayName = (char *)(uintptr_t)to;
	rcpt->RowId = 0;
	rcpt->RecipientType = 1;
	rcpt->RecipientRowSize = 1;
	rcpt->RecipientRow = row;
	req[3].RopId = RopModifyRecipients;
	req[3].u.RopModifyRecipients.InputHandleIndex = 2;
	req[3].u.RopModifyRecipients.RowCount = to[0] != '\0' ? 1 : 0;
	req[3].u.RopModifyRecipients.RecipientRows = rcpt;
	req[4].RopId = RopSaveChangesMessage;
	req[4].u.RopSaveChangesMessage.ResponseHandleIndex = 3;
	req[4].u.RopSaveChangesMessage.InputHandleIndex = 2;
	req[4].u.RopSaveChangesMessage.SaveFlags = 0x02;	/* KeepOpenReadWrite */
	req[5].RopId = RopSubmitMessage;
	req[5].u.RopSubmitMessage.InputHandleIndex = 2;
	ec = occ_rops(cli->s, cli->mem, req, 6, cli->handles, 8, &resp);
	if (ec != 0) {
		return report("send", ec, cli->s);
	}
	for (i = 0; i < resp->count; i++) {
		uint32_t rv;

		memcpy(&rv, (const uint8_t *)&resp->responses[i].u + 4, 4);
		if (rv != 0) {
			printf("send=0x%08x\nrop=0x%02x\n", rv, resp->responses[i].RopId);
			return 1;
		}
	}
	mid = resp->responses[4].u.RopSaveChangesMessage.MessageId;
	printf("mid=0x%016" PRIx64 "\nfolder=0x%016" PRIx64 "\n", mid, cli->fids[5]);
	printf("send=0x%08x\n", 0);
	/* read it back: the Outbox's contents */
	return query_table(cli, cli->fids[5], RopGetContentsTable, 0, cols, 3,
			   "message");
}

int occ_cli_async_wait(struct occ_cli *cli, int argc, char **argv)
{
	uint32_t flags = 0, ec = occ_async_wait(cli->s, &flags);

	printf("flags=0x%08x\n", flags);
	return report("async_wait", ec, cli->s);
}

/* notify-wait [N]: RopRegisterNotification on the whole store, then up to N
 * EcDoAsyncWaitEx until one reports NotificationPending, then one ROP
 * buffer to collect the RopNotify responses ([MS-OXCNOTIF] 3.1.5) */
int occ_cli_notify_wait(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = new_requests(cli, 1);
	struct rop_buffer *resp;
	int tries = argc > 0 ? atoi(argv[0]) : 5;
	uint32_t ec, flags = 0, i, events = 0;

	if (do_logon(cli, false) != 0) {
		return 1;
	}
	req[0].RopId = RopRegisterNotification;
	req[0].u.RopRegisterNotification.OutputHandleIndex = 1;
	req[0].u.RopRegisterNotification.NotificationTypes = fnevNewMail |
		fnevObjectCreated | fnevObjectDeleted | fnevObjectModified;
	req[0].u.RopRegisterNotification.WantWholeStore = 1;
	ec = occ_rops(cli->s, cli->mem, req, 1, cli->handles, 8, &resp);
	if (ec != 0 || resp->responses[0].u.RopRegisterNotification.ReturnValue != 0) {
		printf("subscribed=0\n");
		return 1;
	}
	printf("subscribed=1\n");
	fflush(stdout);
	for (; tries > 0 && !(flags & 0x1); tries--) {
		ec = occ_async_wait(cli->s, &flags);
		if (ec != 0) {
			return report("async_wait", ec, cli->s);
		}
	}
	printf("flags=0x%08x\n", flags);
	occ_set_keep_notifications(cli->s, true);
	req[0].RopId = RopGetStoreState;
	req[0].u.RopGetStoreState.InputHandleIndex = 0;
	ec = occ_rops(cli->s, cli->mem, req, 1, cli->handles, 8, &resp);
	if (ec != 0) {
		return report("notify", ec, cli->s);
	}
	for (i = 0; i < resp->count; i++) {
		const struct RopNotify_resp *n = &resp->responses[i].u.RopNotify;

		if (resp->responses[i].RopId != RopNotify) {
			continue;
		}
		events++;
		printf("event type=0x%04x fid=0x%016" PRIx64 " mid=0x%016" PRIx64 "\n",
		       n->NotificationData.NotificationFlags, n->NotificationData.FolderId,
		       n->NotificationData.MessageId);
	}
	printf("events=%u\n", events);
	return events > 0 ? 0 : 1;
}

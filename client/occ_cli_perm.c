/*
 * openchange-client folder permission and delegate commands
 * ([MS-OXCPERM], [MS-OXCSTOR] 3.2.5.1.1):
 *
 *   perm-get FOLDER [--mailbox DN] [--freebusy]
 *       the folder's permissions table (RopGetPermissionsTable): one line
 *       "member id=N name=S rights=0xR eid_len=L" per row; perm_get=
 *   perm-add FOLDER USER-DN RIGHTS [--freebusy] [--replace]
 *       RopModifyPermissions AddRow of USER-DN's address-book entry ID
 *       with PidTagMemberRights RIGHTS; perm_add=
 *   perm-remove FOLDER MEMBER-ID
 *       RopModifyPermissions RemoveRow of PidTagMemberId; perm_remove=
 *   delegate DN ACTION [ARGS]
 *       RopLogon to the mailbox whose legacyExchangeDN is DN, then ACTION:
 *       logon | open FOLDER | list FOLDER | read FOLDER MID |
 *       create FOLDER | delete FOLDER MID | mkdir FOLDER NAME |
 *       rights FOLDER; prints logon= and ACTION=0x... (ReturnValue)
 *
 * FOLDER is a FID (0x...) or one of root, ipm, inbox, outbox, sent,
 * deleted (the RopLogon FolderIds). Owner commands log on to the
 * caller's own mailbox.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* [MS-OXCPERM] 2.2.4-2.2.7, [MS-OXPROPS] */
#define PidTagEntryId 0x0FFF0102
#define PidTagMemberId 0x66710014
#define PidTagMemberName 0x6672001F
#define PidTagMemberRights 0x66730003
#define PidTagRights 0x66390003
#define PidTagAccess 0x0FF40003
#define PidTagMid 0x674A0014
#define PidTagSubject 0x0037001F
/* [MS-OXCSTOR] 2.2.1.1.1 LogonFlags, 2.2.1.1.2 OpenFlags */
#define LogonFlags_Private 0x01
#define OpenFlags_USE_PER_MDB_REPLID_MAPPING 0x01000000
/* [MS-OXCPERM] 2.2.1.1 TableFlags, 2.2.2.1 ModifyFlags / PermissionDataFlags */
#define TableFlags_IncludeFreeBusy 0x02
#define ModifyFlags_ReplaceRows 0x01
#define ModifyFlags_IncludeFreeBusy 0x02
#define PermissionDataFlags_AddRow 0x01
#define PermissionDataFlags_RemoveRow 0x04

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID provider UID */
static const uint8_t occ_ab_provider[16] = {
	0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
	0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
};

static const struct {
	const char *name;
	unsigned index;		/* RopLogon FolderIds ([MS-OXCSTOR] 2.2.1.1.3) */
} occ_folder_names[] = {
	{ "root", 0 }, { "ipm", 3 }, { "inbox", 4 }, { "outbox", 5 },
	{ "sent", 6 }, { "deleted", 7 },
};

static uint32_t rop_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

static uint64_t folder_arg(const struct occ_cli *cli, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(occ_folder_names) / sizeof(occ_folder_names[0]); i++) {
		if (strcasecmp(arg, occ_folder_names[i].name) == 0) {
			return cli->fids[occ_folder_names[i].index];
		}
	}
	return strtoull(arg, NULL, 0);
}

static char *own_dn(struct occ_cli *cli)
{
	return cli->params.user_dn != NULL ?
		talloc_strdup(cli->mem, cli->params.user_dn) :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username);
}

/* RopLogon to @dn's private mailbox into handle 0; prints logon= */
static int perm_logon(struct occ_cli *cli, const char *dn)
{
	struct rop_request *r = talloc_zero(cli->mem, struct rop_request);
	struct rop_buffer *resp;
	uint32_t ec;

	if (r == NULL) {
		return 1;
	}
	r->RopId = RopLogon;
	r->u.RopLogon.LogonFlags = LogonFlags_Private;
	r->u.RopLogon.OpenFlags = OpenFlags_USE_PER_MDB_REPLID_MAPPING;
	r->u.RopLogon.Essdn = talloc_strdup(cli->mem, dn);
	r->u.RopLogon.EssdnSize = strlen(dn) + 1;
	ec = occ_rops(cli->s, cli->mem, r, 1, cli->handles, 8, &resp);
	if (ec == 0 && (resp->count != 1 || resp->responses[0].RopId != RopLogon)) {
		ec = OCC_E_DECODE;
	}
	if (ec != 0) {
		printf("logon=0x%08x\n", ec);
		return 1;
	}
	ec = resp->responses[0].u.RopLogon.ReturnValue;
	printf("logon=0x%08x\n", ec);
	if (ec != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	printf("response_flags=0x%02x\n", resp->responses[0].u.RopLogon.ResponseFlags);
	return 0;
}

/* run @n requests; print "@what=0x..." with the first non-zero ReturnValue */
static int perm_run(struct occ_cli *cli, const char *what, struct rop_request *req,
		    uint32_t n, struct rop_buffer **resp_r)
{
	struct rop_buffer *resp = NULL;
	uint32_t ec, i;

	ec = occ_rops(cli->s, cli->mem, req, n, cli->handles, 8, &resp);
	if (ec == 0 && resp->count != n) {
		ec = resp->count > 0 ? rop_rv(&resp->responses[resp->count - 1]) : OCC_E_DECODE;
	}
	for (i = 0; ec == 0 && i < resp->count; i++) {
		ec = rop_rv(&resp->responses[i]);
		if (ec != 0) {
			printf("rop=0x%02x\n", resp->responses[i].RopId);
		}
	}
	printf("%s=0x%08x\n", what, ec);
	if (resp_r != NULL) {
		*resp_r = resp;
	}
	return ec == 0 ? 0 : 1;
}

static void open_folder_req(struct rop_request *r, uint64_t fid)
{
	r->RopId = RopOpenFolder;
	r->u.RopOpenFolder.InputHandleIndex = 0;
	r->u.RopOpenFolder.OutputHandleIndex = 1;
	r->u.RopOpenFolder.FolderId = fid;
}

static void print_perm_row(const struct PropertyRow *row)
{
	const struct RowPropertyValue *v = row->Values;

	if (row->ValueCount < 4) {
		return;
	}
	printf("member id=%" PRId64 " name=%s rights=0x%08x eid_len=%u\n",
	       (int64_t)v[0].Value.u.d, v[1].Value.u.str ? v[1].Value.u.str : "",
	       v[2].Value.u.l, v[3].Flag == 0 ? v[3].Value.u.bin.cb : 0);
}

static int perm_table(struct occ_cli *cli, uint64_t fid, uint8_t TableFlags)
{
	static const uint32_t cols[] = { PidTagMemberId, PidTagMemberName,
					 PidTagMemberRights, PidTagEntryId };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	struct rop_buffer *resp = NULL;
	uint32_t i, j;
	int rc;

	if (req == NULL) {
		return 1;
	}
	open_folder_req(&req[0], fid);
	req[1].RopId = RopGetPermissionsTable;
	req[1].u.RopGetPermissionsTable.InputHandleIndex = 1;
	req[1].u.RopGetPermissionsTable.OutputHandleIndex = 2;
	req[1].u.RopGetPermissionsTable.TableFlags = TableFlags;
	req[2].RopId = RopSetColumns;
	req[2].u.RopSetColumns.InputHandleIndex = 2;
	req[2].u.RopSetColumns.PropertyTagCount = 4;
	req[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	req[3].RopId = RopQueryRows;
	req[3].u.RopQueryRows.InputHandleIndex = 2;
	req[3].u.RopQueryRows.ForwardRead = 1;
	req[3].u.RopQueryRows.RowCount = 0x100;
	rc = perm_run(cli, "perm_get", req, 4, &resp);
	for (i = 0; rc == 0 && i < resp->count; i++) {
		if (resp->responses[i].RopId != RopQueryRows) {
			continue;
		}
		for (j = 0; j < resp->responses[i].u.RopQueryRows.RowCount; j++) {
			print_perm_row(&resp->responses[i].u.RopQueryRows.RowData[j]);
		}
	}
	return rc;
}

/* perm-get FOLDER [--mailbox DN] [--freebusy] */
int occ_cli_perm_get(struct occ_cli *cli, int argc, char **argv)
{
	const char *dn = NULL, *folder = NULL;
	uint8_t flags = 0;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--mailbox") == 0 && i + 1 < argc) {
			dn = argv[++i];
		} else if (strcmp(argv[i], "--freebusy") == 0) {
			flags |= TableFlags_IncludeFreeBusy;
		} else {
			folder = argv[i];
		}
	}
	if (folder == NULL) {
		return 2;
	}
	if (perm_logon(cli, dn != NULL ? dn : own_dn(cli)) != 0) {
		return 1;
	}
	return perm_table(cli, folder_arg(cli, folder), flags);
}

/* the address-book entry ID of @dn ([MS-OXCDATA] 2.2.5.2) */
static void entryid_value(TALLOC_CTX *mem, const char *dn, struct TaggedPropertyValue *v)
{
	size_t n = strlen(dn);
	uint8_t *p = talloc_zero_array(mem, uint8_t, 28 + n + 1);

	v->PropertyTag = PidTagEntryId;
	v->Value.PropertyType = PtypBinary;
	v->Value.u.bin.cb = 0;
	v->Value.u.bin.lpb = p;
	if (p == NULL) {
		return;
	}
	memcpy(p + 4, occ_ab_provider, 16);
	p[20] = 0x01;			/* Version 1; Type 0 (DT_MAILUSER) */
	memcpy(p + 28, dn, n);
	v->Value.u.bin.cb = (uint32_t)(28 + n + 1);
}

static int perm_modify(struct occ_cli *cli, const char *what, uint64_t fid,
		       uint8_t ModifyFlags, struct PermissionData *pd)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);

	if (req == NULL) {
		return 1;
	}
	open_folder_req(&req[0], fid);
	req[1].RopId = RopModifyPermissions;
	req[1].u.RopModifyPermissions.InputHandleIndex = 1;
	req[1].u.RopModifyPermissions.ModifyFlags = ModifyFlags;
	req[1].u.RopModifyPermissions.ModifyCount = 1;
	req[1].u.RopModifyPermissions.PermissionsData = pd;
	return perm_run(cli, what, req, 2, NULL);
}

/* perm-add FOLDER USER-DN RIGHTS [--freebusy] [--replace] */
int occ_cli_perm_add(struct occ_cli *cli, int argc, char **argv)
{
	struct TaggedPropertyValue *v = talloc_zero_array(cli->mem,
		struct TaggedPropertyValue, 2);
	struct PermissionData pd;
	uint8_t flags = 0;
	int i;

	if (argc < 3 || v == NULL) {
		return 2;
	}
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--freebusy") == 0) {
			flags |= ModifyFlags_IncludeFreeBusy;
		} else if (strcmp(argv[i], "--replace") == 0) {
			flags |= ModifyFlags_ReplaceRows;
		}
	}
	if (perm_logon(cli, own_dn(cli)) != 0) {
		return 1;
	}
	entryid_value(cli->mem, argv[1], &v[0]);
	v[1].PropertyTag = PidTagMemberRights;
	v[1].Value.PropertyType = PtypInteger32;
	v[1].Value.u.l = (uint32_t)strtoul(argv[2], NULL, 0);
	pd.PermissionDataFlags = PermissionDataFlags_AddRow;
	pd.PropertyValueCount = 2;
	pd.PropertyValues = v;
	return perm_modify(cli, "perm_add", folder_arg(cli, argv[0]), flags, &pd);
}

/* perm-remove FOLDER MEMBER-ID */
int occ_cli_perm_remove(struct occ_cli *cli, int argc, char **argv)
{
	struct TaggedPropertyValue v;
	struct PermissionData pd;

	if (argc < 2) {
		return 2;
	}
	if (perm_logon(cli, own_dn(cli)) != 0) {
		return 1;
	}
	v.PropertyTag = PidTagMemberId;
	v.Value.PropertyType = PtypInteger64;
	v.Value.u.d = (uint64_t)strtoll(argv[1], NULL, 0);
	pd.PermissionDataFlags = PermissionDataFlags_RemoveRow;
	pd.PropertyValueCount = 1;
	pd.PropertyValues = &v;
	return perm_modify(cli, "perm_remove", folder_arg(cli, argv[0]), 0, &pd);
}

/* delegate ACTIONs after the logon: the folder at handle 1 */
static int delegate_list(struct occ_cli *cli, uint64_t fid)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	struct rop_buffer *resp = NULL;
	uint32_t i, j;
	int rc;

	if (req == NULL) {
		return 1;
	}
	open_folder_req(&req[0], fid);
	req[1].RopId = RopGetContentsTable;
	req[1].u.RopGetContentsTable.InputHandleIndex = 1;
	req[1].u.RopGetContentsTable.OutputHandleIndex = 2;
	req[2].RopId = RopSetColumns;
	req[2].u.RopSetColumns.InputHandleIndex = 2;
	req[2].u.RopSetColumns.PropertyTagCount = 2;
	req[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	req[3].RopId = RopQueryRows;
	req[3].u.RopQueryRows.InputHandleIndex = 2;
	req[3].u.RopQueryRows.ForwardRead = 1;
	req[3].u.RopQueryRows.RowCount = 0x100;
	rc = perm_run(cli, "list", req, 4, &resp);
	for (i = 0; rc == 0 && i < resp->count; i++) {
		if (resp->responses[i].RopId != RopQueryRows) {
			continue;
		}
		for (j = 0; j < resp->responses[i].u.RopQueryRows.RowCount; j++) {
			const struct RowPropertyValue *v =
				resp->responses[i].u.RopQueryRows.RowData[j].Values;

			printf("message mid=0x%016" PRIx64 " subject=%s\n", v[0].Value.u.d,
			       v[1].Flag == 0 && v[1].Value.u.str ? v[1].Value.u.str : "");
		}
	}
	return rc;
}

static int delegate_rights(struct occ_cli *cli, uint64_t fid)
{
	static const uint32_t tags[] = { PidTagRights, PidTagAccess };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);
	struct rop_buffer *resp = NULL;
	int rc;

	if (req == NULL) {
		return 1;
	}
	open_folder_req(&req[0], fid);
	req[1].RopId = RopGetPropertiesSpecific;
	req[1].u.RopGetPropertiesSpecific.InputHandleIndex = 1;
	req[1].u.RopGetPropertiesSpecific.WantUnicode = 1;
	req[1].u.RopGetPropertiesSpecific.PropertyTagCount = 2;
	req[1].u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
	rc = perm_run(cli, "rights", req, 2, &resp);
	if (rc == 0) {
		const struct RowPropertyValue *v =
			resp->responses[1].u.RopGetPropertiesSpecific.RowData.Values;

		printf("pidtagrights=0x%08x\npidtagaccess=0x%08x\n", v[0].Value.u.l,
		       v[1].Value.u.l);
	}
	return rc;
}

/* delegate DN ACTION [ARGS] */
int occ_cli_delegate(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req;
	uint64_t fid, *mids;

	if (argc < 2) {
		return 2;
	}
	if (perm_logon(cli, argv[0]) != 0) {
		return 1;
	}
	if (strcmp(argv[1], "logon") == 0) {
		return 0;
	}
	if (argc < 3) {
		return 2;
	}
	fid = folder_arg(cli, argv[2]);
	req = talloc_zero_array(cli->mem, struct rop_request, 3);
	mids = talloc_zero_array(cli->mem, uint64_t, 1);
	if (req == NULL || mids == NULL) {
		return 1;
	}
	open_folder_req(&req[0], fid);
	if (strcmp(argv[1], "open") == 0) {
		return perm_run(cli, "open", req, 1, NULL);
	}
	if (strcmp(argv[1], "list") == 0) {
		return delegate_list(cli, fid);
	}
	if (strcmp(argv[1], "rights") == 0) {
		return delegate_rights(cli, fid);
	}
	if (strcmp(argv[1], "create") == 0) {
		req[1].RopId = RopCreateMessage;
		req[1].u.RopCreateMessage.InputHandleIndex = 1;
		req[1].u.RopCreateMessage.OutputHandleIndex = 2;
		req[1].u.RopCreateMessage.CodePageId = 0x0FFF;
		req[1].u.RopCreateMessage.FolderId = fid;
		req[2].RopId = RopSaveChangesMessage;
		req[2].u.RopSaveChangesMessage.ResponseHandleIndex = 2;
		req[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
		req[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
		return perm_run(cli, "create", req, 3, NULL);
	}
	if (strcmp(argv[1], "mkdir") == 0 && argc >= 4) {
		req[1].RopId = RopCreateFolder;
		req[1].u.RopCreateFolder.InputHandleIndex = 1;
		req[1].u.RopCreateFolder.OutputHandleIndex = 2;
		req[1].u.RopCreateFolder.FolderType = 1;
		req[1].u.RopCreateFolder.UseUnicodeStrings = 1;
		req[1].u.RopCreateFolder.DisplayName = argv[3];
		req[1].u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
		return perm_run(cli, "mkdir", req, 2, NULL);
	}
	if ((strcmp(argv[1], "read") == 0 || strcmp(argv[1], "delete") == 0) && argc >= 4) {
		mids[0] = strtoull(argv[3], NULL, 0);
		if (argv[1][0] == 'r') {
			req[1].RopId = RopOpenMessage;
			req[1].u.RopOpenMessage.InputHandleIndex = 1;
			req[1].u.RopOpenMessage.OutputHandleIndex = 2;
			req[1].u.RopOpenMessage.CodePageId = 0x0FFF;
			req[1].u.RopOpenMessage.FolderId = fid;
			req[1].u.RopOpenMessage.MessageId = mids[0];
			return perm_run(cli, "read", req, 2, NULL);
		}
		req[1].RopId = RopDeleteMessages;
		req[1].u.RopDeleteMessages.InputHandleIndex = 1;
		req[1].u.RopDeleteMessages.MessageIdCount = 1;
		req[1].u.RopDeleteMessages.MessageIds = mids;
		return perm_run(cli, "delete", req, 2, NULL);
	}
	return 2;
}

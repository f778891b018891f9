/*
 * openchange-client computed-property and search-folder commands (issue 7,
 * doc/emsmdb-computed.md):
 *
 *   props [--subject S]
 *       as Outlook reads them: the store's PidTagStoreEntryId /
 *       PidTagMailboxOwnerEntryId; the Inbox's entry ID, source and change
 *       keys, counts, also from the IPM subtree's hierarchy table row and
 *       back through RopIdFromLongTermId; a new unread message in the Inbox
 *       (subject S) with its entry ID, keys, PCL, size, parent entry ID,
 *       also from the Inbox's contents table row; PidTagContentUnreadCount
 *       before and after RopSetMessageReadFlag. Prints key=value lines,
 *       binary values in hex, props=0 at the end.
 *   search TEXT
 *       a search folder below Finder whose criteria are "subject contains
 *       TEXT" over the Inbox, recursively ([MS-OXCFOLD] 2.2.1.4); prints
 *       the rows of its contents table (search_row=MID SUBJECT), the
 *       RopGetSearchCriteria flags, search=0.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PidTagSubject 0x0037001F
#define PidTagMessageFlags 0x0E070003
#define PidTagEntryId 0x0FFF0102
#define PidTagParentEntryId 0x0E090102
#define PidTagRecordKey 0x0FF90102
#define PidTagInstanceKey 0x0FF60102
#define PidTagSourceKey 0x65E00102
#define PidTagParentSourceKey 0x65E10102
#define PidTagChangeKey 0x65E20102
#define PidTagPredecessorChangeList 0x65E30102
#define PidTagChangeNumber 0x67A40014
#define PidTagMessageSize 0x0E080003
#define PidTagLastModificationTime 0x30080040
#define PidTagContentCount 0x36020003
#define PidTagContentUnreadCount 0x36030003
#define PidTagFolderId 0x67480014
#define PidTagMid 0x674A0014
#define PidTagStoreEntryId 0x0FFB0102
#define PidTagStoreRecordKey 0x0FFA0102
#define PidTagMailboxOwnerEntryId 0x661B0102

#define H_LOGON 0
#define H_FOLDER 1
#define H_MSG 2
#define H_TABLE 3
#define H_OTHER 4
#define H_SEARCH 5

static uint32_t rop_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* @n requests in one EcDoRpcExt2; 1 (printed as @what=) unless all
 * answered with ReturnValue 0 */
static int rops(struct occ_cli *cli, TALLOC_CTX *mem, const char *what,
		struct rop_request *req, uint32_t n, struct rop_buffer **resp_r)
{
	uint32_t ec = occ_rops(cli->s, mem, req, n, cli->handles, 8, resp_r);
	uint32_t i;

	if (ec != 0) {
		printf("%s=0x%08x\n", what, ec);
		fprintf(stderr, "%s: %s\n", what, occ_errstr(cli->s));
		return 1;
	}
	if ((*resp_r)->count < n) {
		printf("%s=0x%08x\n", what, OCC_E_DECODE);
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t v = rop_rv(&(*resp_r)->responses[i]);

		if (v != 0) {
			printf("%s=0x%08x\nrop=0x%02x\n", what, v, (*resp_r)->responses[i].RopId);
			return 1;
		}
	}
	return 0;
}

static void print_value(const char *key, const struct RowPropertyValue *v)
{
	uint32_t i;

	if (v->Flag != 0) {
		printf("%s=error:0x%08x\n", key, v->Value.u.l);
		return;
	}
	switch (v->Value.PropertyType) {
	case PtypBinary:
		printf("%s=", key);
		for (i = 0; i < v->Value.u.bin.cb; i++) {
			printf("%02x", v->Value.u.bin.lpb[i]);
		}
		printf("\n");
		break;
	case PtypInteger32:
		printf("%s=%" PRIu32 "\n", key, v->Value.u.l);
		break;
	case PtypInteger64:
	case PtypTime:
		printf("%s=0x%016" PRIx64 "\n", key, v->Value.u.d);
		break;
	case PtypString:
		printf("%s=%s\n", key, v->Value.u.str ? v->Value.u.str : "");
		break;
	default:
		printf("%s=type:0x%04x\n", key, v->Value.PropertyType);
		break;
	}
}

/* RopGetPropertiesSpecific on handle @idx; prints prefix.name=value */
static int get_props(struct occ_cli *cli, uint8_t idx, const char *prefix,
		     const uint32_t *tags, const char *const *names, uint16_t count,
		     struct RowPropertyValue **values_r)
{
	struct rop_request *req = talloc_zero(cli->mem, struct rop_request);
	struct rop_buffer *resp;
	char key[96];
	uint16_t i;

	if (req == NULL) {
		return 1;
	}
	req->RopId = RopGetPropertiesSpecific;
	req->u.RopGetPropertiesSpecific.InputHandleIndex = idx;
	req->u.RopGetPropertiesSpecific.WantUnicode = 1;
	req->u.RopGetPropertiesSpecific.PropertyTagCount = count;
	req->u.RopGetPropertiesSpecific.PropertyTags = talloc_memdup(cli->mem, tags,
								      count * sizeof(uint32_t));
	if (rops(cli, cli->mem, "get_props", req, 1, &resp) != 0) {
		return 1;
	}
	for (i = 0; i < count; i++) {
		snprintf(key, sizeof(key), "%s.%s", prefix, names[i]);
		print_value(key, &resp->responses[0].u.RopGetPropertiesSpecific.RowData.Values[i]);
	}
	if (values_r != NULL) {
		*values_r = resp->responses[0].u.RopGetPropertiesSpecific.RowData.Values;
	}
	return 0;
}

/* RopLogon (handle 0), the Inbox open as H_FOLDER */
static int props_logon(struct occ_cli *cli)
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
	if (rops(cli, cli->mem, "logon", req, 1, &resp) != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	printf("inbox=0x%016" PRIx64 "\n", cli->fids[4]);
	req[1].RopId = RopOpenFolder;
	req[1].u.RopOpenFolder.OutputHandleIndex = H_FOLDER;
	req[1].u.RopOpenFolder.FolderId = cli->fids[4];
	return rops(cli, cli->mem, "open_folder", &req[1], 1, &resp);
}

/* the row of @id in a table opened on @in by @rop (contents / hierarchy) */
static int table_row(struct occ_cli *cli, uint8_t in, uint8_t rop, const char *prefix,
		     uint64_t id, const uint32_t *cols, const char *const *names,
		     uint16_t count)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 3);
	struct rop_buffer *resp;
	char key[96];
	uint32_t i, j;

	if (req == NULL) {
		return 1;
	}
	req[0].RopId = rop;
	if (rop == RopGetContentsTable) {
		req[0].u.RopGetContentsTable.InputHandleIndex = in;
		req[0].u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	} else {
		req[0].u.RopGetHierarchyTable.InputHandleIndex = in;
		req[0].u.RopGetHierarchyTable.OutputHandleIndex = H_TABLE;
	}
	req[1].RopId = RopSetColumns;
	req[1].u.RopSetColumns.InputHandleIndex = H_TABLE;
	req[1].u.RopSetColumns.PropertyTagCount = count;
	req[1].u.RopSetColumns.PropertyTags = talloc_memdup(cli->mem, cols,
							     count * sizeof(uint32_t));
	req[2].RopId = RopQueryRows;
	req[2].u.RopQueryRows.InputHandleIndex = H_TABLE;
	req[2].u.RopQueryRows.ForwardRead = 1;
	req[2].u.RopQueryRows.RowCount = 1000;
	if (rops(cli, cli->mem, "table", req, 3, &resp) != 0) {
		return 1;
	}
	for (i = 0; i < resp->responses[2].u.RopQueryRows.RowCount; i++) {
		const struct PropertyRow *row = &resp->responses[2].u.RopQueryRows.RowData[i];

		if (row->Values[0].Flag != 0 || row->Values[0].Value.u.d != id) {
			continue;
		}
		for (j = 1; j < count; j++) {
			snprintf(key, sizeof(key), "%s.%s", prefix, names[j]);
			print_value(key, &row->Values[j]);
		}
		return 0;
	}
	printf("%s=missing\n", prefix);
	return 1;
}

static int unread(struct occ_cli *cli, const char *key)
{
	static const uint32_t tags[] = { PidTagContentUnreadCount };
	static const char *const names[] = { "unread" };

	return get_props(cli, H_FOLDER, key, tags, names, 1, NULL);
}

int occ_cli_props(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t store_tags[] = { PidTagStoreEntryId, PidTagStoreRecordKey,
					       PidTagMailboxOwnerEntryId };
	static const char *const store_names[] = { "store_entryid", "store_record_key",
						   "owner_entryid" };
	static const uint32_t folder_tags[] = { PidTagEntryId, PidTagSourceKey,
		PidTagChangeKey, PidTagRecordKey, PidTagParentEntryId, PidTagContentCount };
	static const char *const folder_names[] = { "entryid", "source_key", "change_key",
		"record_key", "parent_entryid", "content_count" };
	static const uint32_t msg_tags[] = { PidTagEntryId, PidTagSourceKey, PidTagChangeKey,
		PidTagPredecessorChangeList, PidTagParentEntryId, PidTagParentSourceKey,
		PidTagMessageSize, PidTagLastModificationTime, PidTagMid };
	static const char *const msg_names[] = { "entryid", "source_key", "change_key",
		"pcl", "parent_entryid", "parent_source_key", "size", "last_modified", "mid" };
	static const uint32_t hier_cols[] = { PidTagFolderId, PidTagEntryId, PidTagSourceKey };
	static const char *const hier_names[] = { "fid", "entryid", "source_key" };
	static const uint32_t row_cols[] = { PidTagMid, PidTagEntryId, PidTagSourceKey,
					     PidTagChangeKey, PidTagInstanceKey };
	static const char *const row_names[] = { "mid", "entryid", "source_key", "change_key",
						  "instance_key" };
	const char *subject = "props";
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 3);
	struct TaggedPropertyValue *v = talloc_zero_array(cli->mem, struct TaggedPropertyValue, 2);
	struct RowPropertyValue *fv = NULL;
	struct rop_buffer *resp;
	uint64_t mid;
	int a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--subject") == 0) {
			subject = argv[a + 1];
		}
	}
	if (req == NULL || v == NULL || props_logon(cli) != 0 ||
	    get_props(cli, H_LOGON, "store", store_tags, store_names, 3, NULL) != 0 ||
	    get_props(cli, H_FOLDER, "inbox", folder_tags, folder_names, 6, &fv) != 0) {
		return 1;
	}
	/* the Inbox's entry ID back to its FID ([MS-OXCSTOR] 2.2.1.9) */
	if (fv[0].Flag == 0 && fv[0].Value.u.bin.cb == 46) {
		req[0].RopId = RopIdFromLongTermId;
		memcpy(req[0].u.RopIdFromLongTermId.LongTermId.DatabaseGuid,
		       fv[0].Value.u.bin.lpb + 22, 16);
		memcpy(req[0].u.RopIdFromLongTermId.LongTermId.GlobalCounter,
		       fv[0].Value.u.bin.lpb + 38, 6);
		if (rops(cli, cli->mem, "id_from_ltid", req, 1, &resp) != 0) {
			return 1;
		}
		printf("inbox.resolved=0x%016" PRIx64 "\n",
		       resp->responses[0].u.RopIdFromLongTermId.ObjectId);
	}
	/* the Inbox as a row of the IPM subtree's hierarchy table */
	memset(req, 0, 3 * sizeof(*req));
	req[0].RopId = RopOpenFolder;
	req[0].u.RopOpenFolder.OutputHandleIndex = H_OTHER;
	req[0].u.RopOpenFolder.FolderId = cli->fids[3];
	if (rops(cli, cli->mem, "open_subtree", req, 1, &resp) != 0 ||
	    table_row(cli, H_OTHER, RopGetHierarchyTable, "inbox_row", cli->fids[4],
		      hier_cols, hier_names, 3) != 0 || unread(cli, "before") != 0) {
		return 1;
	}
	/* a new unread message */
	memset(req, 0, 3 * sizeof(*req));
	req[0].RopId = RopCreateMessage;
	req[0].u.RopCreateMessage.InputHandleIndex = H_FOLDER;
	req[0].u.RopCreateMessage.OutputHandleIndex = H_MSG;
	req[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	req[0].u.RopCreateMessage.FolderId = cli->fids[4];
	v[0].PropertyTag = PidTagSubject;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = talloc_strdup(cli->mem, subject);
	v[1].PropertyTag = PidTagMessageFlags;
	v[1].Value.PropertyType = PtypInteger32;
	v[1].Value.u.l = 0;
	req[1].RopId = RopSetProperties;
	req[1].u.RopSetProperties.InputHandleIndex = H_MSG;
	req[1].u.RopSetProperties.PropertyValueCount = 2;
	req[1].u.RopSetProperties.PropertyValues = v;
	req[2].RopId = RopSaveChangesMessage;
	req[2].u.RopSaveChangesMessage.ResponseHandleIndex = H_OTHER;
	req[2].u.RopSaveChangesMessage.InputHandleIndex = H_MSG;
	req[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
	if (rops(cli, cli->mem, "create", req, 3, &resp) != 0) {
		return 1;
	}
	mid = resp->responses[2].u.RopSaveChangesMessage.MessageId;
	if (get_props(cli, H_MSG, "msg", msg_tags, msg_names, 9, NULL) != 0 ||
	    table_row(cli, H_FOLDER, RopGetContentsTable, "msg_row", mid, row_cols,
		      row_names, 5) != 0 || unread(cli, "unread") != 0) {
		return 1;
	}
	/* read it ([MS-OXCMSG] 2.2.3.11 RopSetMessageReadFlag) */
	memset(req, 0, 3 * sizeof(*req));
	req[0].RopId = RopSetMessageReadFlag;
	req[0].u.RopSetMessageReadFlag.ResponseHandleIndex = H_OTHER;
	req[0].u.RopSetMessageReadFlag.InputHandleIndex = H_MSG;
	req[0].u.RopSetMessageReadFlag.ReadFlags = 0x00;
	if (rops(cli, cli->mem, "read_flag", req, 1, &resp) != 0 ||
	    unread(cli, "after") != 0) {
		return 1;
	}
	printf("props=0\n");
	return 0;
}

int occ_cli_search(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject, PidTagFolderId };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	struct Restriction *res = talloc_zero(cli->mem, struct Restriction);
	struct rop_buffer *resp;
	char name[64];
	uint32_t i;

	if (argc < 1 || req == NULL || res == NULL) {
		fprintf(stderr, "usage: search TEXT\n");
		return 2;
	}
	if (props_logon(cli) != 0) {
		return 1;
	}
	/* Finder (FolderIds[10]), where clients keep their search folders */
	snprintf(name, sizeof(name), "occ search %ld", (long)time(NULL));
	req[0].RopId = RopOpenFolder;
	req[0].u.RopOpenFolder.OutputHandleIndex = H_OTHER;
	req[0].u.RopOpenFolder.FolderId = cli->fids[10];
	req[1].RopId = RopCreateFolder;
	req[1].u.RopCreateFolder.InputHandleIndex = H_OTHER;
	req[1].u.RopCreateFolder.OutputHandleIndex = H_SEARCH;
	req[1].u.RopCreateFolder.FolderType = 0x02;	/* FOLDER_SEARCH */
	req[1].u.RopCreateFolder.UseUnicodeStrings = 1;
	req[1].u.RopCreateFolder.DisplayName = talloc_strdup(cli->mem, name);
	req[1].u.RopCreateFolder.Comment = talloc_strdup(cli->mem, "");
	/* [MS-OXCDATA] 2.12.4: subject contains TEXT, case-insensitively */
	res->RestrictType = 0x03;
	res->u.Content.FuzzyLevelLow = 0x0001;
	res->u.Content.FuzzyLevelHigh = 0x0001;
	res->u.Content.PropertyTag = PidTagSubject;
	res->u.Content.TaggedValue.PropertyTag = PidTagSubject;
	res->u.Content.TaggedValue.Value.PropertyType = PtypString;
	res->u.Content.TaggedValue.Value.u.str = talloc_strdup(cli->mem, argv[0]);
	req[2].RopId = RopSetSearchCriteria;
	req[2].u.RopSetSearchCriteria.InputHandleIndex = H_SEARCH;
	req[2].u.RopSetSearchCriteria.RestrictionDataSize = 1;
	req[2].u.RopSetSearchCriteria.RestrictionData = res;
	req[2].u.RopSetSearchCriteria.FolderIdCount = 1;
	req[2].u.RopSetSearchCriteria.FolderIds = &cli->fids[4];
	req[2].u.RopSetSearchCriteria.SearchFlags = 0x00000002 | 0x00000004;	/* RESTART, RECURSIVE */
	req[3].RopId = RopGetSearchCriteria;
	req[3].u.RopGetSearchCriteria.InputHandleIndex = H_SEARCH;
	req[3].u.RopGetSearchCriteria.IncludeFolders = 1;
	if (rops(cli, cli->mem, "search_set", req, 4, &resp) != 0) {
		return 1;
	}
	printf("search_fid=0x%016" PRIx64 "\n", resp->responses[1].u.RopCreateFolder.FolderId);
	printf("search_flags=0x%08x\n", resp->responses[3].u.RopGetSearchCriteria.SearchFlags);
	memset(req, 0, 4 * sizeof(*req));
	req[0].RopId = RopGetContentsTable;
	req[0].u.RopGetContentsTable.InputHandleIndex = H_SEARCH;
	req[0].u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	req[1].RopId = RopSetColumns;
	req[1].u.RopSetColumns.InputHandleIndex = H_TABLE;
	req[1].u.RopSetColumns.PropertyTagCount = 3;
	req[1].u.RopSetColumns.PropertyTags = talloc_memdup(cli->mem, cols, sizeof(cols));
	req[2].RopId = RopQueryRows;
	req[2].u.RopQueryRows.InputHandleIndex = H_TABLE;
	req[2].u.RopQueryRows.ForwardRead = 1;
	req[2].u.RopQueryRows.RowCount = 1000;
	if (rops(cli, cli->mem, "search_rows", req, 3, &resp) != 0) {
		return 1;
	}
	printf("search_count=%u\n", resp->responses[0].u.RopGetContentsTable.RowCount);
	for (i = 0; i < resp->responses[2].u.RopQueryRows.RowCount; i++) {
		const struct PropertyRow *row = &resp->responses[2].u.RopQueryRows.RowData[i];

		printf("search_row=0x%016" PRIx64 " 0x%016" PRIx64 " %s\n",
		       row->Values[0].Value.u.d, row->Values[2].Value.u.d,
		       row->Values[1].Flag == 0 ? row->Values[1].Value.u.str : "");
	}
	printf("search=0\n");
	return 0;
}

/*
 * openchange-client commands for folder and message copies, read flags
 * and receive folders (issue 7; doc/emsmdb-copy.md):
 *
 *   mkfolder PARENT-FID NAME         RopCreateFolder; prints folder_fid=
 *   mkmsg FOLDER-ID SUBJECT [COUNT]  COUNT saved messages; prints mid= each
 *   tree FOLDER-ID                   the folder and every folder below it:
 *       node fid= parent= name= messages= unread= (unread: messages
 *       without mfRead in PidTagMessageFlags), then tree=
 *   move-folder SRC-PARENT FID DEST NAME          RopMoveFolder
 *   copy-folder SRC-PARENT FID DEST NAME [--recursive]   RopCopyFolder
 *       print move_folder= / copy_folder= and partial=
 *   copy-to FID MID DEST-FID DEST-MID [--subobjects] [--exclude TAG]...
 *       RopCopyTo between two messages, then RopSaveChangesMessage of the
 *       destination; prints problems= and copy_to=
 *   set-read-flags FOLDER-ID FLAGS (MID... | --all)
 *       RopSetReadFlags (FLAGS hex, [MS-OXCMSG] 2.2.3.10.1); prints
 *       count= partial= set_read_flags=
 *   receive-folders                  RopGetReceiveFolderTable: rcv class= fid=
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [MS-OXPROPS] */
#define PidTagFolderId 0x67480014
#define PidTagDisplayName 0x3001001F
#define PidTagMid 0x674A0014
#define PidTagSubject 0x0037001F
#define PidTagMessageFlags 0x0E070003
#define mfRead 0x00000001
/* longest tree walked, folders */
#define OCC_COPY_MAX_TREE 256

static uint32_t copy_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

/* run @n requests; every ROP must succeed but the last, whose ReturnValue
 * goes to *last_r (NULL: it must succeed too) */
static int copy_rops(struct occ_cli *cli, const char *what, struct rop_request *req,
		     uint32_t n, struct rop_buffer **resp_r, uint32_t *last_r)
{
	uint32_t ec = occ_rops(cli->s, cli->mem, req, n, cli->handles, 8, resp_r), i;

	if (ec != 0) {
		printf("%s=0x%08x\n", what, ec);
		fprintf(stderr, "%s: %s\n", what, occ_errstr(cli->s));
		return 1;
	}
	if ((*resp_r)->count != n) {
		printf("%s=0x%08x\nrops=%u\n", what, OCC_E_DECODE, (*resp_r)->count);
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t rv = copy_rv(&(*resp_r)->responses[i]);

		if (i + 1 == n && last_r != NULL) {
			*last_r = rv;
		} else if (rv != 0) {
			printf("%s=0x%08x\nrop=0x%02x\n", what, rv, (*resp_r)->responses[i].RopId);
			return 1;
		}
	}
	return 0;
}

static void open_folder(struct rop_request *r, uint64_t fid, uint8_t index)
{
	r->RopId = RopOpenFolder;
	r->u.RopOpenFolder.InputHandleIndex = 0;
	r->u.RopOpenFolder.OutputHandleIndex = index;
	r->u.RopOpenFolder.FolderId = fid;
}

/* RopLogon into handle 0 and cli->fids */
static int copy_logon(struct occ_cli *cli)
{
	struct rop_request *req = talloc_zero(cli->mem, struct rop_request);
	struct rop_buffer *resp;

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
	if (copy_rops(cli, "logon", req, 1, &resp, NULL) != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	/* as Outlook does after a logon: open the Inbox and Deleted Items
	 * (handles 6, 7). The server needs a special folder opened in the
	 * session before a folder below it opens by FID (doc/emsmdb-copy.md,
	 * "Known problems") */
	memset(req, 0, sizeof(*req));
	open_folder(req, cli->fids[4], 6);
	if (copy_rops(cli, "logon", req, 1, &resp, NULL) != 0) {
		return 1;
	}
	open_folder(req, cli->fids[7], 7);
	return copy_rops(cli, "logon", req, 1, &resp, NULL);
}

static bool parse_id(const char *s, uint64_t *id_r)
{
	char *end;

	*id_r = strtoull(s, &end, 0);
	return *s != '\0' && *end == '\0';
}

int occ_cli_mkfolder(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);
	struct rop_buffer *resp;
	uint64_t parent;

	if (argc != 2 || req == NULL || !parse_id(argv[0], &parent)) {
		return 2;
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	open_folder(&req[0], parent, 1);
	req[1].RopId = RopCreateFolder;
	req[1].u.RopCreateFolder.InputHandleIndex = 1;
	req[1].u.RopCreateFolder.OutputHandleIndex = 2;
	req[1].u.RopCreateFolder.FolderType = 1;		/* FOLDER_GENERIC */
	req[1].u.RopCreateFolder.UseUnicodeStrings = 1;
	req[1].u.RopCreateFolder.DisplayName = argv[1];
	req[1].u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	if (copy_rops(cli, "mkfolder", req, 2, &resp, NULL) != 0) {
		return 1;
	}
	printf("folder_fid=0x%016" PRIx64 "\nmkfolder=0x%08x\n",
	       resp->responses[1].u.RopCreateFolder.FolderId, 0);
	return 0;
}

int occ_cli_mkmsg(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	struct TaggedPropertyValue *v = talloc_zero(cli->mem, struct TaggedPropertyValue);
	struct rop_buffer *resp;
	unsigned long count = 1, i;
	uint64_t fid;

	if ((argc != 2 && argc != 3) || req == NULL || v == NULL ||
	    !parse_id(argv[0], &fid)) {
		return 2;
	}
	if (argc == 3) {
		count = strtoul(argv[2], NULL, 0);
		if (count == 0 || count > 10000) {
			return 2;
		}
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	v->PropertyTag = PidTagSubject;
	v->Value.PropertyType = PtypString;
	v->Value.u.str = argv[1];
	open_folder(&req[0], fid, 1);
	if (copy_rops(cli, "mkmsg", req, 1, &resp, NULL) != 0) {
		return 1;
	}
	for (i = 0; i < count; i++) {
		memset(req, 0, 4 * sizeof(*req));
		req[0].RopId = RopCreateMessage;
		req[0].u.RopCreateMessage.InputHandleIndex = 1;
		req[0].u.RopCreateMessage.OutputHandleIndex = 2;
		req[0].u.RopCreateMessage.CodePageId = 0x0FFF;
		req[0].u.RopCreateMessage.FolderId = fid;
		req[1].RopId = RopSetProperties;
		req[1].u.RopSetProperties.InputHandleIndex = 2;
		req[1].u.RopSetProperties.PropertyValueCount = 1;
		req[1].u.RopSetProperties.PropertyValues = v;
		req[2].RopId = RopSaveChangesMessage;
		req[2].u.RopSaveChangesMessage.ResponseHandleIndex = 2;
		req[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
		req[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
		req[3].RopId = RopRelease;
		req[3].u.RopRelease.InputHandleIndex = 2;
		if (copy_rops(cli, "mkmsg", req, 3, &resp, NULL) != 0) {
			return 1;
		}
		printf("mid=0x%016" PRIx64 "\n", resp->responses[2].u.RopSaveChangesMessage.MessageId);
		if (occ_rops(cli->s, cli->mem, &req[3], 1, cli->handles, 8, &resp) != 0) {
			printf("mkmsg=0x%08x\n", OCC_E_RPC);
			return 1;
		}
	}
	printf("mkmsg=0x%08x\n", 0);
	return 0;
}

/* the rows of table @rop of folder @fid (opened into handle 1, the table
 * into 2), columns @cols */
static int table_rows(struct occ_cli *cli, uint64_t fid, uint8_t rop, const uint32_t *cols,
		      uint16_t ncols, const struct RopQueryRows_resp **rows_r)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 5);
	struct rop_buffer *resp;

	if (req == NULL) {
		return 1;
	}
	open_folder(&req[0], fid, 1);
	req[1].RopId = rop;
	/* RopGetHierarchyTable and RopGetContentsTable share the layout */
	req[1].u.RopGetContentsTable.InputHandleIndex = 1;
	req[1].u.RopGetContentsTable.OutputHandleIndex = 2;
	req[2].RopId = RopSetColumns;
	req[2].u.RopSetColumns.InputHandleIndex = 2;
	req[2].u.RopSetColumns.PropertyTagCount = ncols;
	req[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	req[3].RopId = RopQueryRows;
	req[3].u.RopQueryRows.InputHandleIndex = 2;
	req[3].u.RopQueryRows.ForwardRead = 1;
	req[3].u.RopQueryRows.RowCount = 0x1000;
	if (copy_rops(cli, "tree", req, 4, &resp, NULL) != 0) {
		return 1;
	}
	*rows_r = &resp->responses[3].u.RopQueryRows;
	return 0;
}

int occ_cli_tree(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t fcols[2] = { PidTagFolderId, PidTagDisplayName };
	static const uint32_t mcols[2] = { PidTagMid, PidTagMessageFlags };
	uint64_t *fids = talloc_array(cli->mem, uint64_t, OCC_COPY_MAX_TREE);
	uint64_t *parents = talloc_array(cli->mem, uint64_t, OCC_COPY_MAX_TREE);
	const char **names = talloc_array(cli->mem, const char *, OCC_COPY_MAX_TREE);
	const struct RopQueryRows_resp *q;
	uint32_t n = 1, i, j, unread;

	if (argc != 1 || fids == NULL || parents == NULL || names == NULL ||
	    !parse_id(argv[0], &fids[0])) {
		return 2;
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	parents[0] = 0;
	names[0] = ".";
	/* breadth first: each folder's messages, then its children queued */
	for (i = 0; i < n; i++) {
		if (table_rows(cli, fids[i], RopGetContentsTable, mcols, 2, &q) != 0) {
			return 1;
		}
		for (j = 0, unread = 0; j < q->RowCount; j++) {
			const struct RowPropertyValue *v = &q->RowData[j].Values[1];

			unread += v->Flag != 0 || !(v->Value.u.l & mfRead);
		}
		printf("node fid=0x%016" PRIx64 " parent=0x%016" PRIx64
		       " messages=%u unread=%u name=%s\n", fids[i], parents[i],
		       q->RowCount, unread, names[i]);
		if (table_rows(cli, fids[i], RopGetHierarchyTable, fcols, 2, &q) != 0) {
			return 1;
		}
		for (j = 0; j < q->RowCount && n < OCC_COPY_MAX_TREE; j++) {
			const struct RowPropertyValue *v = q->RowData[j].Values;

			fids[n] = v[0].Value.u.d;
			parents[n] = fids[i];
			names[n] = v[1].Flag == 0 ? v[1].Value.u.str : "?";
			n++;
		}
	}
	printf("tree=0x%08x\n", 0);
	return 0;
}

static int move_copy(struct occ_cli *cli, int argc, char **argv, bool move)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 3);
	const char *what = move ? "move_folder" : "copy_folder";
	struct rop_buffer *resp;
	uint64_t src, fid, dst;
	uint32_t rv = 0;
	bool recursive = argc == 5 && strcmp(argv[4], "--recursive") == 0;

	if ((argc != 4 && !recursive) || req == NULL || !parse_id(argv[0], &src) ||
	    !parse_id(argv[1], &fid) || !parse_id(argv[2], &dst)) {
		return 2;
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	open_folder(&req[0], src, 1);
	open_folder(&req[1], dst, 2);
	req[2].RopId = move ? RopMoveFolder : RopCopyFolder;
	if (move) {
		req[2].u.RopMoveFolder.SourceHandleIndex = 1;
		req[2].u.RopMoveFolder.DestHandleIndex = 2;
		req[2].u.RopMoveFolder.UseUnicode = 1;
		req[2].u.RopMoveFolder.FolderId = fid;
		req[2].u.RopMoveFolder.NewFolderName = argv[3];
	} else {
		req[2].u.RopCopyFolder.SourceHandleIndex = 1;
		req[2].u.RopCopyFolder.DestHandleIndex = 2;
		req[2].u.RopCopyFolder.WantRecursive = recursive;
		req[2].u.RopCopyFolder.UseUnicode = 1;
		req[2].u.RopCopyFolder.FolderId = fid;
		req[2].u.RopCopyFolder.NewFolderName = argv[3];
	}
	if (copy_rops(cli, what, req, 3, &resp, &rv) != 0) {
		return 1;
	}
	printf("partial=%u\n%s=0x%08x\n", rv == 0 ? resp->responses[2].u.RopMoveFolder.PartialCompletion
				       : 0, what, rv);
	return rv == 0 ? 0 : 1;
}

int occ_cli_move_folder(struct occ_cli *cli, int argc, char **argv)
{
	return move_copy(cli, argc, argv, true);
}

int occ_cli_copy_folder(struct occ_cli *cli, int argc, char **argv)
{
	return move_copy(cli, argc, argv, false);
}

int occ_cli_copy_to(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 4);
	uint32_t *excluded = talloc_zero_array(cli->mem, uint32_t, argc + 1);
	struct rop_buffer *resp;
	uint64_t fid, mid, dfid, dmid;
	uint32_t rv = 0;
	uint16_t nx = 0;
	uint8_t sub = 0;
	int a;

	if (argc < 4 || req == NULL || excluded == NULL || !parse_id(argv[0], &fid) ||
	    !parse_id(argv[1], &mid) || !parse_id(argv[2], &dfid) || !parse_id(argv[3], &dmid)) {
		return 2;
	}
	for (a = 4; a < argc; a++) {
		if (strcmp(argv[a], "--subobjects") == 0) {
			sub = 1;
		} else if (strcmp(argv[a], "--exclude") == 0 && a + 1 < argc) {
			excluded[nx++] = (uint32_t)strtoul(argv[++a], NULL, 16);
		} else {
			return 2;
		}
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	req[0].RopId = RopOpenMessage;
	req[0].u.RopOpenMessage.OutputHandleIndex = 1;
	req[0].u.RopOpenMessage.CodePageId = 0x0FFF;
	req[0].u.RopOpenMessage.FolderId = fid;
	req[0].u.RopOpenMessage.MessageId = mid;
	req[1] = req[0];
	req[1].u.RopOpenMessage.OutputHandleIndex = 2;
	req[1].u.RopOpenMessage.FolderId = dfid;
	req[1].u.RopOpenMessage.MessageId = dmid;
	req[1].u.RopOpenMessage.OpenModeFlags = 0x01;	/* ReadWrite */
	req[2].RopId = RopCopyTo;
	req[2].u.RopCopyTo.SourceHandleIndex = 1;
	req[2].u.RopCopyTo.DestHandleIndex = 2;
	req[2].u.RopCopyTo.WantSubObjects = sub;
	req[2].u.RopCopyTo.ExcludedTagCount = nx;
	req[2].u.RopCopyTo.ExcludedTags = excluded;
	if (copy_rops(cli, "copy_to", req, 3, &resp, &rv) != 0) {
		return 1;
	}
	printf("problems=%u\n", rv == 0 ? resp->responses[2].u.RopCopyTo.PropertyProblemCount : 0);
	if (rv != 0) {
		printf("copy_to=0x%08x\n", rv);
		return 1;
	}
	memset(req, 0, sizeof(*req));
	req[0].RopId = RopSaveChangesMessage;
	req[0].u.RopSaveChangesMessage.ResponseHandleIndex = 2;
	req[0].u.RopSaveChangesMessage.InputHandleIndex = 2;
	req[0].u.RopSaveChangesMessage.SaveFlags = 0x02;
	if (copy_rops(cli, "copy_to", req, 1, &resp, NULL) != 0) {
		return 1;
	}
	printf("copy_to=0x%08x\n", 0);
	return 0;
}

int occ_cli_set_read_flags(struct occ_cli *cli, int argc, char **argv)
{
	static const uint32_t mcols[1] = { PidTagMid };
	struct rop_request *req = talloc_zero_array(cli->mem, struct rop_request, 2);
	const struct RopQueryRows_resp *q;
	struct rop_buffer *resp;
	uint64_t fid, *mids;
	uint32_t rv = 0, n = 0, i;
	uint8_t flags;
	int a;

	if (argc < 3 || req == NULL || !parse_id(argv[0], &fid)) {
		return 2;
	}
	flags = (uint8_t)strtoul(argv[1], NULL, 16);
	if (copy_logon(cli) != 0) {
		return 1;
	}
	if (strcmp(argv[2], "--all") == 0) {
		if (table_rows(cli, fid, RopGetContentsTable, mcols, 1, &q) != 0) {
			return 1;
		}
		mids = talloc_array(cli->mem, uint64_t, q->RowCount + 1);
		for (i = 0; mids != NULL && i < q->RowCount; i++) {
			mids[n++] = q->RowData[i].Values[0].Value.u.d;
		}
	} else {
		mids = talloc_array(cli->mem, uint64_t, argc);
		for (a = 2; mids != NULL && a < argc; a++) {
			if (!parse_id(argv[a], &mids[n++])) {
				return 2;
			}
		}
	}
	if (mids == NULL || n > 0xFFFF) {
		return 1;
	}
	open_folder(&req[0], fid, 1);
	req[1].RopId = RopSetReadFlags;
	req[1].u.RopSetReadFlags.InputHandleIndex = 1;
	req[1].u.RopSetReadFlags.ReadFlags = flags;
	req[1].u.RopSetReadFlags.MessageIdCount = (uint16_t)n;
	req[1].u.RopSetReadFlags.MessageIds = mids;
	if (copy_rops(cli, "set_read_flags", req, 2, &resp, &rv) != 0) {
		return 1;
	}
	printf("count=%u\npartial=%u\nset_read_flags=0x%08x\n", n,
	       rv == 0 ? resp->responses[1].u.RopSetReadFlags.PartialCompletion : 0, rv);
	return rv == 0 ? 0 : 1;
}

int occ_cli_receive_folders(struct occ_cli *cli, int argc, char **argv)
{
	struct rop_request *req = talloc_zero(cli->mem, struct rop_request);
	const struct RopGetReceiveFolderTable_resp *t;
	struct rop_buffer *resp;
	uint32_t i;

	if (argc != 0 || req == NULL) {
		return 2;
	}
	if (copy_logon(cli) != 0) {
		return 1;
	}
	req->RopId = RopGetReceiveFolderTable;
	if (copy_rops(cli, "receive_folders", req, 1, &resp, NULL) != 0) {
		return 1;
	}
	t = &resp->responses[0].u.RopGetReceiveFolderTable;
	for (i = 0; i < t->RowCount; i++) {
		const struct RowPropertyValue *v = t->Rows[i].Values;

		printf("rcv fid=0x%016" PRIx64 " class=%s\n", v[0].Value.u.d,
		       v[1].Value.u.str8.utf8 ? v[1].Value.u.str8.utf8 : "");
	}
	printf("receive_folders=0x%08x\n", 0);
	return 0;
}

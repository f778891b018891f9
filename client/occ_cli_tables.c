/*
 * openchange-client table command ([MS-OXCTABL], doc/emsmdb-tables.md):
 *
 *   tables [--count N]
 *       a new folder "tables-<pid>" in the Inbox with N messages (default
 *       30) "t00".."t<N-1>" of classes IPM.Note.CatA/B/C (i % 3); then on
 *       its contents table: a categorized RopSortTable (class, subject;
 *       CategorizedCount 1, ExpandedCount 0), RopExpandRow and
 *       RopCollapseRow of the second category, RopGetCollapseState /
 *       RopSetCollapseState across a re-sort, and on the flat sort by
 *       subject RopFindRow forward and backward, RopSeekRowFractional and
 *       a backward RopQueryRows; a MaximumCategory sort. Prints key=value
 *       lines, last tables=.
 *
 * Rows are decoded with the columns of a RopSetColumns in the same ROP
 * buffer (ndr/rop), so every buffer that returns rows starts with one.
 */
#include "occ_cli.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PidTagSubject 0x0037001F
#define PidTagMessageClass 0x001A001F
#define PidTagInstID 0x674D0014
#define PidTagRowType 0x0FF50003
#define PidTagDepth 0x30050003
#define PidTagContentCount 0x36020003
#define TBL_LEAF_ROW 1
#define TBL_EXPANDED_CATEGORY 3

/* handles: 0 logon, 1 Inbox, 2 the new folder, 3 a message, 4 the table */
enum { H_FOLDER = 2, H_MSG = 3, H_TABLE = 4 };

static const uint32_t cols[] = {
	PidTagMessageClass, PidTagSubject, PidTagInstID, PidTagRowType,
	PidTagDepth, PidTagContentCount,
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

struct tables {
	struct occ_cli *cli;
	struct rop_request req[24];
	uint32_t n;
};

static uint32_t rv_of(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

static struct rop_request *add(struct tables *tb, uint8_t rop)
{
	struct rop_request *r = &tb->req[tb->n++];

	memset(r, 0, sizeof(*r));
	r->RopId = rop;
	return r;
}

static void add_columns(struct tables *tb)
{
	struct rop_request *r = add(tb, RopSetColumns);

	r->u.RopSetColumns.InputHandleIndex = H_TABLE;
	r->u.RopSetColumns.PropertyTagCount = NCOLS;
	r->u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
}

/* run the queued requests; 1 (printed) unless each answered 0 or @ok */
static int run(struct tables *tb, const char *what, uint32_t ok,
	       struct rop_buffer **resp_r)
{
	uint32_t ec = occ_rops(tb->cli->s, tb->cli->mem, tb->req, tb->n,
			       tb->cli->handles, 8, resp_r);
	uint32_t i, n = tb->n;

	tb->n = 0;
	if (ec != 0) {
		printf("%s=0x%08x\n", what, ec);
		fprintf(stderr, "%s: %s\n", what, occ_errstr(tb->cli->s));
		return 1;
	}
	for (i = 0; i < (*resp_r)->count && i < n; i++) {
		uint32_t v = rv_of(&(*resp_r)->responses[i]);

		if (v != 0 && v != ok) {
			printf("%s=0x%08x\nrop=0x%02x\n", what, v,
			       (*resp_r)->responses[i].RopId);
			return 1;
		}
	}
	return 0;
}

static const char *subject_of(const struct PropertyRow *row)
{
	return row->Values[1].Flag == 0 ? row->Values[1].Value.u.str : "-";
}

/* "A+", "B-" for header rows, the subject for leaves */
static void print_view(const char *key, const struct RopQueryRows_resp *q)
{
	uint32_t i;

	printf("%s_rows=%u\n%s=", key, q->RowCount, key);
	for (i = 0; i < q->RowCount; i++) {
		const struct PropertyRow *row = &q->RowData[i];
		const char *cls = row->Values[0].Flag == 0 ? row->Values[0].Value.u.str : "";

		if (row->Values[3].Value.u.l == TBL_LEAF_ROW) {
			printf("%s%s", i ? " " : "", subject_of(row));
		} else {
			printf("%s%s%c", i ? " " : "",
			       strlen(cls) > 12 ? cls + 12 : "?",
			       row->Values[3].Value.u.l == TBL_EXPANDED_CATEGORY ? '+' : '-');
		}
	}
	printf("\n");
}

/* SeekRow to the beginning and read the whole view */
static int view(struct tables *tb, const char *key, struct rop_buffer **resp_r)
{
	struct rop_request *r;

	add_columns(tb);
	r = add(tb, RopSeekRow);
	r->u.RopSeekRow.InputHandleIndex = H_TABLE;
	r = add(tb, RopQueryRows);
	r->u.RopQueryRows.InputHandleIndex = H_TABLE;
	r->u.RopQueryRows.ForwardRead = 1;
	r->u.RopQueryRows.RowCount = 200;
	if (run(tb, key, 0, resp_r) != 0) {
		return 1;
	}
	print_view(key, &(*resp_r)->responses[2].u.RopQueryRows);
	return 0;
}

static int sort(struct tables *tb, uint16_t count, uint16_t categorized,
		uint16_t expanded)
{
	static const struct SortOrder orders[] = {
		{ .PropertyType = PtypString, .PropertyId = PidTagMessageClass >> 16 },
		{ .PropertyType = PtypString, .PropertyId = PidTagSubject >> 16 },
	};
	struct rop_request *r = add(tb, RopSortTable);
	struct rop_buffer *resp;

	r->u.RopSortTable.InputHandleIndex = H_TABLE;
	r->u.RopSortTable.SortOrderCount = count;
	r->u.RopSortTable.CategorizedCount = categorized;
	r->u.RopSortTable.ExpandedCount = expanded;
	r->u.RopSortTable.SortOrders = (struct SortOrder *)(uintptr_t)
		(count == 1 ? &orders[1] : orders);
	return run(tb, "sort", 0, &resp);
}

/* logon, the folder, @count messages, the contents table */
static int setup(struct tables *tb, unsigned count)
{
	struct occ_cli *cli = tb->cli;
	struct rop_buffer *resp;
	struct rop_request *r;
	char *name;
	unsigned i;

	r = add(tb, RopLogon);
	r->u.RopLogon.LogonFlags = 0x01;
	r->u.RopLogon.OpenFlags = 0x01000000;
	r->u.RopLogon.Essdn = cli->params.user_dn ?
		talloc_strdup(cli->mem, cli->params.user_dn) :
		talloc_asprintf(cli->mem, "/o=First Organization/ou=First "
				"Administrative Group/cn=Recipients/cn=%s",
				cli->params.username);
	name = talloc_asprintf(cli->mem, "tables-%d", (int)getpid());
	if (r->u.RopLogon.Essdn == NULL || name == NULL) {
		return 1;
	}
	r->u.RopLogon.EssdnSize = strlen(r->u.RopLogon.Essdn) + 1;
	if (run(tb, "logon", 0, &resp) != 0) {
		return 1;
	}
	memcpy(cli->fids, resp->responses[0].u.RopLogon.FolderIds, sizeof(cli->fids));
	r = add(tb, RopOpenFolder);
	r->u.RopOpenFolder.OutputHandleIndex = 1;
	r->u.RopOpenFolder.FolderId = cli->fids[4];
	r = add(tb, RopCreateFolder);
	r->u.RopCreateFolder.InputHandleIndex = 1;
	r->u.RopCreateFolder.OutputHandleIndex = H_FOLDER;
	r->u.RopCreateFolder.FolderType = 1;
	r->u.RopCreateFolder.UseUnicodeStrings = 1;
	r->u.RopCreateFolder.DisplayName = name;
	r->u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	if (run(tb, "folder", 0, &resp) != 0) {
		return 1;
	}
	printf("folder=0x%016" PRIx64 "\n", resp->responses[1].u.RopCreateFolder.FolderId);
	for (i = 0; i < count; i++) {
		struct TaggedPropertyValue *v = talloc_zero_array(cli->mem,
			struct TaggedPropertyValue, 2);

		if (v == NULL) {
			return 1;
		}
		v[0].PropertyTag = PidTagSubject;
		v[0].Value.PropertyType = PtypString;
		v[0].Value.u.str = talloc_asprintf(cli->mem, "t%02u", i);
		v[1].PropertyTag = PidTagMessageClass;
		v[1].Value.PropertyType = PtypString;
		v[1].Value.u.str = talloc_asprintf(cli->mem, "IPM.Note.Cat%c",
						   'A' + (int)(i % 3));
		r = add(tb, RopCreateMessage);
		r->u.RopCreateMessage.InputHandleIndex = H_FOLDER;
		r->u.RopCreateMessage.OutputHandleIndex = H_MSG;
		r->u.RopCreateMessage.CodePageId = 0x0FFF;
		r->u.RopCreateMessage.FolderId = resp->responses[1].u.RopCreateFolder.FolderId;
		r = add(tb, RopSetProperties);
		r->u.RopSetProperties.InputHandleIndex = H_MSG;
		r->u.RopSetProperties.PropertyValueCount = 2;
		r->u.RopSetProperties.PropertyValues = v;
		r = add(tb, RopSaveChangesMessage);
		r->u.RopSaveChangesMessage.ResponseHandleIndex = 5;
		r->u.RopSaveChangesMessage.InputHandleIndex = H_MSG;
		r = add(tb, RopRelease);
		r->u.RopRelease.InputHandleIndex = H_MSG;
		if (tb->n + 4 > sizeof(tb->req) / sizeof(tb->req[0]) || i + 1 == count) {
			struct rop_buffer *saved;

			if (run(tb, "create", 0, &saved) != 0) {
				return 1;
			}
		}
	}
	r = add(tb, RopGetContentsTable);
	r->u.RopGetContentsTable.InputHandleIndex = H_FOLDER;
	r->u.RopGetContentsTable.OutputHandleIndex = H_TABLE;
	add_columns(tb);
	return run(tb, "table", 0, &resp);
}

/*
 * Outlook's "conversation" arrangement: categories ordered by the
 * largest subject of their rows, newest first ([MS-OXCDATA] 2.13.1
 * MaximumCategory, then the subject descending)
 */
static int aggregated(struct tables *tb)
{
	static const struct SortOrder orders[] = {
		{ .PropertyType = PtypString, .PropertyId = PidTagMessageClass >> 16 },
		{ .PropertyType = PtypString, .PropertyId = PidTagSubject >> 16,
		  .Order = 0x04 },
		{ .PropertyType = PtypString, .PropertyId = PidTagSubject >> 16,
		  .Order = 0x01 },
	};
	struct rop_request *r = add(tb, RopSortTable);
	struct rop_buffer *resp;

	r->u.RopSortTable.InputHandleIndex = H_TABLE;
	r->u.RopSortTable.SortOrderCount = 3;
	r->u.RopSortTable.CategorizedCount = 1;
	r->u.RopSortTable.SortOrders = (struct SortOrder *)(uintptr_t)orders;
	if (run(tb, "sort", 0, &resp) != 0) {
		return 1;
	}
	return view(tb, "aggregated", &resp);
}

/* PidTagInstID of visible row @i of the last view */
static uint64_t inst_of(const struct rop_buffer *resp, uint32_t i)
{
	return resp->responses[2].u.RopQueryRows.RowData[i].Values[2].Value.u.d;
}

static int categories(struct tables *tb)
{
	struct rop_buffer *resp, *v;
	struct rop_request *r;
	uint64_t ha, hb, hc;
	uint8_t *blob;
	uint16_t size;

	if (sort(tb, 2, 1, 0) != 0 || view(tb, "collapsed", &v) != 0 ||
	    v->responses[2].u.RopQueryRows.RowCount != 3) {
		return 1;
	}
	ha = inst_of(v, 0);
	hb = inst_of(v, 1);
	hc = inst_of(v, 2);
	add_columns(tb);
	r = add(tb, RopExpandRow);
	r->u.RopExpandRow.InputHandleIndex = H_TABLE;
	r->u.RopExpandRow.MaxRowCount = 4;
	r->u.RopExpandRow.CategoryId = hb;
	if (run(tb, "expand", 0, &resp) != 0) {
		return 1;
	}
	printf("expanded_count=%u\nexpanded_rows=%u\nexpanded_first=%s\n",
	       resp->responses[1].u.RopExpandRow.ExpandedRowCount,
	       resp->responses[1].u.RopExpandRow.RowCount,
	       resp->responses[1].u.RopExpandRow.RowCount ?
		subject_of(&resp->responses[1].u.RopExpandRow.RowData[0]) : "-");
	if (view(tb, "expanded", &v) != 0) {
		return 1;
	}
	r = add(tb, RopCollapseRow);
	r->u.RopCollapseRow.InputHandleIndex = H_TABLE;
	r->u.RopCollapseRow.CategoryId = hb;
	r = add(tb, RopExpandRow);
	r->u.RopExpandRow.InputHandleIndex = H_TABLE;
	r->u.RopExpandRow.CategoryId = ha;
	r = add(tb, RopGetCollapseState);
	r->u.RopGetCollapseState.InputHandleIndex = H_TABLE;
	r->u.RopGetCollapseState.RowId = hc;
	if (run(tb, "collapse", 0, &resp) != 0) {
		return 1;
	}
	printf("collapsed_count=%u\n", resp->responses[0].u.RopCollapseRow.CollapsedRowCount);
	size = resp->responses[2].u.RopGetCollapseState.CollapseStateSize;
	blob = resp->responses[2].u.RopGetCollapseState.CollapseState;
	printf("state_size=%u\n", size);
	/* a new sort forgets the state; the blob brings it back */
	if (sort(tb, 2, 1, 0) != 0 || view(tb, "resorted", &v) != 0) {
		return 1;
	}
	r = add(tb, RopSetCollapseState);
	r->u.RopSetCollapseState.InputHandleIndex = H_TABLE;
	r->u.RopSetCollapseState.CollapseStateSize = size;
	r->u.RopSetCollapseState.CollapseState = blob;
	if (run(tb, "set_state", 0, &resp) != 0 ||
	    resp->responses[0].u.RopSetCollapseState.BookmarkSize != 4 ||
	    view(tb, "restored", &v) != 0) {
		return 1;
	}
	add_columns(tb);
	r = add(tb, RopSeekRowBookmark);
	r->u.RopSeekRowBookmark.InputHandleIndex = H_TABLE;
	r->u.RopSeekRowBookmark.BookmarkSize = 4;
	r->u.RopSeekRowBookmark.Bookmark = resp->responses[0].u.RopSetCollapseState.Bookmark;
	r = add(tb, RopQueryRows);
	r->u.RopQueryRows.InputHandleIndex = H_TABLE;
	r->u.RopQueryRows.ForwardRead = 1;
	r->u.RopQueryRows.RowCount = 1;
	if (run(tb, "bookmark", 0, &resp) != 0) {
		return 1;
	}
	printf("bookmark_row=%s\n", resp->responses[2].u.RopQueryRows.RowCount == 1 &&
	       resp->responses[2].u.RopQueryRows.RowData[0].Values[2].Value.u.d == hc ?
	       "C" : "?");
	return aggregated(tb);
}

static void string_res(struct Restriction *res, uint8_t relop, const char *value)
{
	memset(res, 0, sizeof(*res));
	res->RestrictType = RES_PROPERTY;
	res->u.Property.RelOp = relop;
	res->u.Property.PropTag = PidTagSubject;
	res->u.Property.TaggedValue.PropertyTag = PidTagSubject;
	res->u.Property.TaggedValue.Value.PropertyType = PtypString;
	res->u.Property.TaggedValue.Value.u.str = (char *)(uintptr_t)value;
}

/* FindRow (@backward from the end) then QueryPosition; prints KEY= KEY_pos= */
static int find(struct tables *tb, const char *key, bool backward, uint8_t relop,
		const char *value)
{
	struct Restriction *res = talloc_zero(tb->cli->mem, struct Restriction);
	struct rop_buffer *resp;
	struct rop_request *r;

	if (res == NULL) {
		return 1;
	}
	string_res(res, relop, value);
	add_columns(tb);
	r = add(tb, RopFindRow);
	r->u.RopFindRow.InputHandleIndex = H_TABLE;
	r->u.RopFindRow.FindRowFlags = backward ? 0x01 : 0x00;
	r->u.RopFindRow.RestrictionData = res;
	r->u.RopFindRow.Origin = backward ? 0x02 : 0x00;
	r = add(tb, RopQueryPosition);
	r->u.RopQueryPosition.InputHandleIndex = H_TABLE;
	if (run(tb, key, 0, &resp) != 0) {
		return 1;
	}
	printf("%s=%s\n%s_pos=%u\n", key,
	       resp->responses[1].u.RopFindRow.HasRowData ?
		subject_of(&resp->responses[1].u.RopFindRow.RowData) : "-",
	       key, resp->responses[2].u.RopQueryPosition.Numerator);
	return 0;
}

static int flat(struct tables *tb)
{
	struct rop_buffer *resp;
	struct rop_request *r;

	if (sort(tb, 1, 0, 0) != 0 || find(tb, "find_fwd", false, 4, "t17") != 0 ||
	    find(tb, "find_back", true, 1, "t05") != 0) {
		return 1;
	}
	r = add(tb, RopSeekRowFractional);
	r->u.RopSeekRowFractional.InputHandleIndex = H_TABLE;
	r->u.RopSeekRowFractional.Numerator = 1;
	r->u.RopSeekRowFractional.Denominator = 2;
	r = add(tb, RopQueryPosition);
	r->u.RopQueryPosition.InputHandleIndex = H_TABLE;
	if (run(tb, "fractional", 0, &resp) != 0) {
		return 1;
	}
	printf("frac_num=%u\nfrac_den=%u\n",
	       resp->responses[1].u.RopQueryPosition.Numerator,
	       resp->responses[1].u.RopQueryPosition.Denominator);
	add_columns(tb);
	r = add(tb, RopSeekRow);
	r->u.RopSeekRow.InputHandleIndex = H_TABLE;
	r->u.RopSeekRow.Origin = 0x02;
	r = add(tb, RopQueryRows);
	r->u.RopQueryRows.InputHandleIndex = H_TABLE;
	r->u.RopQueryRows.ForwardRead = 0;
	r->u.RopQueryRows.RowCount = 5;
	r = add(tb, RopQueryPosition);
	r->u.RopQueryPosition.InputHandleIndex = H_TABLE;
	if (run(tb, "backward", 0, &resp) != 0) {
		return 1;
	}
	printf("back_count=%u\nback_first=%s\nback_origin=%u\nback_pos=%u\n",
	       resp->responses[2].u.RopQueryRows.RowCount,
	       resp->responses[2].u.RopQueryRows.RowCount ?
		subject_of(&resp->responses[2].u.RopQueryRows.RowData[0]) : "-",
	       resp->responses[2].u.RopQueryRows.Origin,
	       resp->responses[3].u.RopQueryPosition.Numerator);
	return 0;
}

int occ_cli_tables(struct occ_cli *cli, int argc, char **argv)
{
	struct tables *tb = talloc_zero(cli->mem, struct tables);
	unsigned count = 30;
	int a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--count") == 0) {
			count = (unsigned)strtoul(argv[a + 1], NULL, 0);
		} else {
			return 2;
		}
	}
	if (tb == NULL || a != argc || count < 3 || count > 100) {
		return 2;
	}
	tb->cli = cli;
	if (setup(tb, count) != 0 || categories(tb) != 0 || flat(tb) != 0) {
		return 1;
	}
	printf("tables=0x%08x\n", 0);
	return 0;
}

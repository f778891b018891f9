/*
 * openchangedb mailboxes: creation with the system folders a private
 * RopLogon returns ([MS-OXCSTOR] 2.2.1.1.3) and the special folders of
 * [MS-OXOSFLD] 2.2.2, default receive folders ([MS-OXCSTOR] 3.2.5.2),
 * lookup and removal.
 */
#include "openchangedb_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PidTagContainerClass 0x3613001F

static const char sql_mbx_get[] =
	"SELECT id, username, display_name, mailbox_guid, replica_guid, replica_id,"
	" locale_id FROM ocdb_mailboxes WHERE username = ?";
static const char sql_mbx_id[] =
	"SELECT id FROM ocdb_mailboxes WHERE username = ?";
static const char sql_mbx_next[] =
	"SELECT MAX(id) FROM ocdb_mailboxes";
static const char sql_mbx_add[] =
	"INSERT INTO ocdb_mailboxes (id, ou_id, username, display_name, mailbox_guid,"
	" replica_guid, replica_id, locale_id) VALUES (?, 1, ?, ?, ?, ?, ?, ?)";
static const char sql_mbx_list[] =
	"SELECT username FROM ocdb_mailboxes ORDER BY username";
static const char sql_mbx_folders[] =
	"SELECT fid, name FROM ocdb_folders WHERE mailbox_id = ? ORDER BY fid";
static const char sql_del_folder_props[] =
	"DELETE FROM ocdb_folder_properties WHERE fid IN"
	" (SELECT fid FROM ocdb_folders WHERE mailbox_id = ?)";
static const char sql_del_folders[] =
	"DELETE FROM ocdb_folders WHERE mailbox_id = ?";
static const char sql_del_receive[] =
	"DELETE FROM ocdb_receive_folders WHERE mailbox_id = ?";
static const char sql_del_per_user[] =
	"DELETE FROM ocdb_per_user WHERE mailbox_id = ?";
static const char sql_del_ranges[] =
	"DELETE FROM ocdb_local_replica_ranges WHERE mailbox_id = ?";
static const char sql_del_given_up[] =
	"DELETE FROM ocdb_given_up_ranges WHERE mailbox_id = ?";
static const char sql_del_mailbox[] =
	"DELETE FROM ocdb_mailboxes WHERE id = ?";
static const char sql_count_indexing[] =
	"SELECT COUNT(*) FROM mstore_indexing WHERE username = ?";
static const char sql_del_indexing[] =
	"DELETE FROM mstore_indexing WHERE username = ?";
static const char sql_count_namedprops[] =
	"SELECT COUNT(*) FROM mstore_namedprops WHERE mailbox = ?";
static const char sql_del_namedprops[] =
	"DELETE FROM mstore_namedprops WHERE mailbox = ?";
static const char sql_counter_bump[] =
	"UPDATE ocdb_replicas SET next_globcnt = next_globcnt + ? WHERE replica_id = ?";
static const char sql_counter_get[] =
	"SELECT next_globcnt FROM ocdb_replicas WHERE replica_id = ?";
/* the mailbox's own GLOBCNT space starts past everything the shared
 * counter handed out (its system folders included) */
static const char sql_mbx_counter_init[] =
	"UPDATE ocdb_mailboxes SET next_globcnt ="
	" (SELECT r.next_globcnt FROM ocdb_replicas r WHERE r.replica_id = 1) WHERE id = ?";
static const char sql_del_changes[] =
	"DELETE FROM mstore_changes WHERE username = ?";
static const char sql_del_tombstones[] =
	"DELETE FROM mstore_tombstones WHERE username = ?";
static const char sql_del_intents[] =
	"DELETE FROM mstore_intents WHERE username = ?";

struct private_folder_row {
	enum openchangedb_private_folder idx;
	enum openchangedb_private_folder parent;
	const char *name;
	const char *container_class;   /* PidTagContainerClass or NULL */
};

/* Names as Exchange creates them in an English mailbox. */
static const struct private_folder_row private_folders[] = {
	{ OCDB_PRIVATE_ROOT, 0, "Mailbox Root", NULL },
	{ OCDB_PRIVATE_DEFERRED_ACTION, OCDB_PRIVATE_ROOT, "Deferred Action", NULL },
	{ OCDB_PRIVATE_SPOOLER_QUEUE, OCDB_PRIVATE_ROOT, "Spooler Queue", NULL },
	{ OCDB_PRIVATE_IPM_SUBTREE, OCDB_PRIVATE_ROOT, "Top of Information Store", NULL },
	{ OCDB_PRIVATE_INBOX, OCDB_PRIVATE_IPM_SUBTREE, "Inbox", "IPF.Note" },
	{ OCDB_PRIVATE_OUTBOX, OCDB_PRIVATE_IPM_SUBTREE, "Outbox", "IPF.Note" },
	{ OCDB_PRIVATE_SENT_ITEMS, OCDB_PRIVATE_IPM_SUBTREE, "Sent Items", "IPF.Note" },
	{ OCDB_PRIVATE_DELETED_ITEMS, OCDB_PRIVATE_IPM_SUBTREE, "Deleted Items", "IPF.Note" },
	{ OCDB_PRIVATE_COMMON_VIEWS, OCDB_PRIVATE_ROOT, "Common Views", NULL },
	{ OCDB_PRIVATE_SCHEDULE, OCDB_PRIVATE_ROOT, "Schedule", NULL },
	{ OCDB_PRIVATE_SEARCH, OCDB_PRIVATE_ROOT, "Finder", NULL },
	{ OCDB_PRIVATE_VIEWS, OCDB_PRIVATE_ROOT, "Views", NULL },
	{ OCDB_PRIVATE_SHORTCUTS, OCDB_PRIVATE_ROOT, "Shortcuts", NULL },
	{ OCDB_PRIVATE_CALENDAR, OCDB_PRIVATE_IPM_SUBTREE, "Calendar", "IPF.Appointment" },
	{ OCDB_PRIVATE_CONTACTS, OCDB_PRIVATE_IPM_SUBTREE, "Contacts", "IPF.Contact" },
	{ OCDB_PRIVATE_JOURNAL, OCDB_PRIVATE_IPM_SUBTREE, "Journal", "IPF.Journal" },
	{ OCDB_PRIVATE_NOTES, OCDB_PRIVATE_IPM_SUBTREE, "Notes", "IPF.StickyNote" },
	{ OCDB_PRIVATE_TASKS, OCDB_PRIVATE_IPM_SUBTREE, "Tasks", "IPF.Task" },
	{ OCDB_PRIVATE_DRAFTS, OCDB_PRIVATE_IPM_SUBTREE, "Drafts", "IPF.Note" },
	{ OCDB_PRIVATE_JUNK_EMAIL, OCDB_PRIVATE_IPM_SUBTREE, "Junk E-mail", "IPF.Note" },
	{ OCDB_PRIVATE_SYNC_ISSUES, OCDB_PRIVATE_IPM_SUBTREE, "Sync Issues", "IPF.Note" },
};

/* Default receive folders, [MS-OXCSTOR] 3.2.5.2. */
static const struct {
	const char *message_class;
	enum openchangedb_private_folder folder;
} default_receive[] = {
	{ "", OCDB_PRIVATE_INBOX },
	{ "IPM", OCDB_PRIVATE_INBOX },
	{ "REPORT.IPM", OCDB_PRIVATE_INBOX },
	{ "IPC", OCDB_PRIVATE_ROOT },
};

enum mapistore_error openchangedb_mailbox_id(struct openchangedb_context *ocdb,
	const char *username, int64_t *id_r)
{
	struct mapistore_db_value p;

	if (username == NULL) {
		*id_r = 0;
		return MAPISTORE_SUCCESS;
	}
	p = mapistore_db_text(username);
	return mapistore_db_query_int(ocdb->db, sql_mbx_id, &p, 1, id_r);
}

enum mapistore_error openchangedb_mailbox_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	struct openchangedb_mailbox **mbx_r)
{
	struct mapistore_db_value p = mapistore_db_text(username);
	struct mapistore_db_result *res = NULL;
	struct openchangedb_mailbox *mbx;
	enum mapistore_error ret;

	if (username == NULL || mbx_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	mbx = talloc_zero(mem_ctx, struct openchangedb_mailbox);
	if (mbx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_exec_row(ocdb->db, sql_mbx_get, &p, 1, mbx, &res);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(mbx);
		return ret;
	}
	mbx->id = mapistore_db_result_int(res, 0, 0);
	mbx->username = mapistore_db_result_text(res, 0, 1);
	mbx->display_name = mapistore_db_result_text(res, 0, 2);
	mbx->mailbox_guid = mapistore_db_result_text(res, 0, 3);
	mbx->replica_guid = mapistore_db_result_text(res, 0, 4);
	mbx->replica_id = (uint16_t)mapistore_db_result_int(res, 0, 5);
	mbx->locale_id = (uint32_t)mapistore_db_result_int(res, 0, 6);
	ret = openchangedb_get_system_folder_id(ocdb, username, OCDB_PRIVATE_ROOT,
						&mbx->root_fid);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(mbx);
		return ret;
	}
	*mbx_r = mbx;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error take_ids(struct openchangedb_context *ocdb,
	uint32_t count, uint64_t *first_r)
{
	struct mapistore_db_value p[2] = {
		mapistore_db_int(count), mapistore_db_int(OPENCHANGEDB_SERVER_REPLID)
	};
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	int64_t next;

	ret = openchangedb_exec(ocdb, sql_counter_bump, p, 2);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_db_exec(ocdb->db, sql_counter_get, &p[1], 1, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	next = mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	if (next <= (int64_t)count) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	*first_r = (uint64_t)(next - count);
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error create_folders(struct openchangedb_context *ocdb,
	const char *username, uint64_t first)
{
	uint64_t fids[OCDB_PRIVATE_MAX] = { 0 };
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	size_t i;

	for (i = 0; ret == MAPISTORE_SUCCESS &&
		    i < sizeof(private_folders) / sizeof(private_folders[0]); i++) {
		const struct private_folder_row *row = &private_folders[i];

		fids[row->idx] = mapistore_fmid_make(OPENCHANGEDB_SERVER_REPLID, first + i);
		ret = openchangedb_folder_create(ocdb, username,
			row->parent ? fids[row->parent] : 0, fids[row->idx],
			row->idx, row->name, NULL);
		if (ret == MAPISTORE_SUCCESS && row->container_class != NULL) {
			struct mapistore_property prop = {
				.proptag = PidTagContainerClass,
				.value.str = discard_const_p(char, row->container_class),
			};

			ret = openchangedb_folder_set_properties(ocdb, fids[row->idx], &prop, 1);
		}
	}
	for (i = 0; ret == MAPISTORE_SUCCESS &&
		    i < sizeof(default_receive) / sizeof(default_receive[0]); i++) {
		ret = openchangedb_set_receive_folder(ocdb, username,
			default_receive[i].message_class, fids[default_receive[i].folder]);
	}
	return ret;
}

enum mapistore_error openchangedb_mailbox_create(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	const char *display_name, uint32_t locale_id,
	struct openchangedb_mailbox **mbx_r)
{
	struct mapistore_db_value p[7];
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *frame;
	char *mailbox_guid, *replica_guid;
	int64_t id = 0;
	uint64_t first = 0;

	if (username == NULL || username[0] == '\0' || strlen(username) > 255) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_get_server(NULL, ocdb, NULL, NULL, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (openchangedb_mailbox_id(ocdb, username, &id) == MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_EXISTS;
	}
	frame = talloc_new(NULL);
	mailbox_guid = frame ? openchangedb_random_guid(frame) : NULL;
	replica_guid = frame ? openchangedb_random_guid(frame) : NULL;
	if (mailbox_guid == NULL || replica_guid == NULL) {
		talloc_free(frame);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	ret = mapistore_db_exec(ocdb->db, sql_mbx_next, NULL, 0, frame, &res);
	if (ret == MAPISTORE_SUCCESS) {
		id = mapistore_db_result_int(res, 0, 0) + 1;
		p[0] = mapistore_db_int(id);
		p[1] = mapistore_db_text(username);
		p[2] = mapistore_db_text(display_name ? display_name : username);
		p[3] = mapistore_db_text(mailbox_guid);
		p[4] = mapistore_db_text(replica_guid);
		/* per-mailbox REPLID mapping: the mailbox's own replica is 1 */
		p[5] = mapistore_db_int(OPENCHANGEDB_SERVER_REPLID);
		p[6] = mapistore_db_int(locale_id);
		ret = openchangedb_exec(ocdb, sql_mbx_add, p, 7);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = take_ids(ocdb, sizeof(private_folders) / sizeof(private_folders[0]), &first);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = create_folders(ocdb, username, first);
	}
	if (ret == MAPISTORE_SUCCESS) {
		struct mapistore_db_value q = mapistore_db_int(id);

		ret = openchangedb_exec(ocdb, sql_mbx_counter_init, &q, 1);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		goto done;
	}
	ret = mapistore_db_commit(ocdb->db);
	if (ret == MAPISTORE_SUCCESS && mbx_r != NULL) {
		ret = openchangedb_mailbox_get(mem_ctx, ocdb, username, mbx_r);
	}
done:
	talloc_free(frame);
	return ret;
}

enum mapistore_error openchangedb_mailbox_list(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, char ***usernames_r, uint32_t *count_r)
{
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	char **names;
	uint32_t i;

	ret = mapistore_db_exec(ocdb->db, sql_mbx_list, NULL, 0, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	names = talloc_zero_array(mem_ctx, char *, res->rows + 1);
	for (i = 0; names != NULL && i < res->rows; i++) {
		names[i] = talloc_strdup(names, mapistore_db_result_text(res, i, 0));
		if (names[i] == NULL) {
			TALLOC_FREE(names);
		}
	}
	*count_r = res->rows;
	talloc_free(res);
	if (names == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*usernames_r = names;
	return MAPISTORE_SUCCESS;
}

static void report_line(openchangedb_report_fn report, void *private_data,
			const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report_line(openchangedb_report_fn report, void *private_data,
			const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (report == NULL) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	report(private_data, line);
}

enum mapistore_error openchangedb_mailbox_remove(struct openchangedb_context *ocdb,
	const char *username, bool dry_run, openchangedb_report_fn report,
	void *private_data)
{
	static const char *const by_mailbox_id[] = {
		sql_del_folder_props, sql_del_folders, sql_del_receive,
		sql_del_per_user, sql_del_ranges, sql_del_given_up, sql_del_mailbox,
	};
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p;
	enum mapistore_error ret;
	TALLOC_CTX *frame;
	int64_t id = 0;
	uint32_t i;

	ret = openchangedb_mailbox_id(ocdb, username, &id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	frame = talloc_new(NULL);
	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	report_line(report, private_data, "mailbox %s (id %lld)", username, (long long)id);
	p = mapistore_db_int(id);
	ret = mapistore_db_exec(ocdb->db, sql_mbx_folders, &p, 1, frame, &res);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < res->rows; i++) {
		report_line(report, private_data, "folder 0x%016llx %s",
			    (unsigned long long)mapistore_db_result_int(res, i, 0),
			    mapistore_db_result_text(res, i, 1));
	}
	p = mapistore_db_text(username);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_exec(ocdb->db, sql_count_indexing, &p, 1, frame, &res);
		report_line(report, private_data, "%lld indexing entries",
			    (long long)mapistore_db_result_int(res, 0, 0));
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_exec(ocdb->db, sql_count_namedprops, &p, 1, frame, &res);
		report_line(report, private_data, "%lld named property mappings",
			    (long long)mapistore_db_result_int(res, 0, 0));
	}
	if (ret != MAPISTORE_SUCCESS || dry_run) {
		goto done;
	}
	/* its folders' permission lists and its rows in other lists (its own
	 * transaction, first: it needs the mailbox row) */
	ret = openchangedb_acl_forget_user(ocdb, username);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_begin(ocdb->db);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < sizeof(by_mailbox_id) / sizeof(by_mailbox_id[0]); i++) {
		struct mapistore_db_value q = mapistore_db_int(id);

		ret = openchangedb_exec(ocdb, by_mailbox_id[i], &q, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_del_indexing, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_del_namedprops, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_del_changes, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_del_tombstones, &p, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_del_intents, &p, 1);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		goto done;
	}
	ret = mapistore_db_commit(ocdb->db);
done:
	talloc_free(frame);
	return ret;
}

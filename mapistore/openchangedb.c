/*
 * openchangedb: connection, server provisioning, replicas and the GLOBCNT
 * counters ([MS-OXCDATA] 2.2.1 "Folder ID, Message ID and GLOBCNT").
 */
#include "openchangedb_private.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char sql_server_get[] =
	"SELECT name, first_org, first_ou FROM ocdb_servers WHERE id = 1";
static const char sql_server_add[] =
	"INSERT INTO ocdb_servers (id, name, first_org, first_ou) VALUES (1, ?, ?, ?)";
static const char sql_ou_add[] =
	"INSERT INTO ocdb_organizational_units (id, server_id, organization, ou)"
	" VALUES (1, 1, ?, ?)";
static const char sql_replica_by_guid[] =
	"SELECT replica_id FROM ocdb_replicas WHERE replica_guid = ?";
static const char sql_replica_by_id[] =
	"SELECT replica_guid FROM ocdb_replicas WHERE replica_id = ?";
static const char sql_replica_max[] =
	"SELECT MAX(replica_id) FROM ocdb_replicas";
static const char sql_replica_add[] =
	"INSERT INTO ocdb_replicas (replica_id, replica_guid, next_globcnt) VALUES (?, ?, 1)";
static const char sql_counter_bump[] =
	"UPDATE ocdb_replicas SET next_globcnt = next_globcnt + ? WHERE replica_id = ?";
static const char sql_counter_get[] =
	"SELECT next_globcnt FROM ocdb_replicas WHERE replica_id = ?";
static const char sql_mbx_bump[] =
	"UPDATE ocdb_mailboxes SET next_globcnt = next_globcnt + ? WHERE id = ?";
static const char sql_mbx_counter[] =
	"SELECT next_globcnt FROM ocdb_mailboxes WHERE id = ?";
static const char sql_range_add[] =
	"INSERT INTO ocdb_local_replica_ranges (mailbox_id, replica_id, first_globcnt, count)"
	" VALUES (?, ?, ?, ?)";

/* Largest block one call may allocate ([MS-OXCSTOR] 2.2.1.13 caps
 * RopGetLocalReplicaIds at 2^24... we use the same bound everywhere). */
#define OCDB_MAX_ALLOC (1u << 24)

enum mapistore_error openchangedb_from_db(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, struct openchangedb_context **ocdb_r)
{
	struct openchangedb_context *ocdb = talloc_zero(mem_ctx, struct openchangedb_context);

	if (ocdb == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ocdb->db = db;
	*ocdb_r = ocdb;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error openchangedb_connect(TALLOC_CTX *mem_ctx, const char *uri,
	struct openchangedb_context **ocdb_r, char **errmsg_r)
{
	struct mapistore_db_params params;
	struct openchangedb_context *ocdb;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_parse_uri(tmp, uri, &params, errmsg_r);
	if (ret != MAPISTORE_SUCCESS) {
		if (errmsg_r != NULL && *errmsg_r != NULL) {
			talloc_steal(mem_ctx, *errmsg_r);
		}
		talloc_free(tmp);
		return ret;
	}
	ocdb = talloc_zero(mem_ctx, struct openchangedb_context);
	if (ocdb == NULL) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_connect(ocdb, &params, &ocdb->db, errmsg_r);
	talloc_free(tmp);
	if (ret != MAPISTORE_SUCCESS) {
		if (errmsg_r != NULL && *errmsg_r != NULL) {
			talloc_steal(mem_ctx, *errmsg_r);
		}
		talloc_free(ocdb);
		return ret;
	}
	ret = mapistore_db_migrate(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		if (errmsg_r != NULL) {
			*errmsg_r = talloc_asprintf(mem_ctx, "Cannot create or migrate the schema: %s",
						    mapistore_db_errmsg(ocdb->db));
		}
		talloc_free(ocdb);
		return ret;
	}
	*ocdb_r = ocdb;
	return MAPISTORE_SUCCESS;
}

struct mapistore_db *openchangedb_get_db(struct openchangedb_context *ocdb)
{
	return ocdb->db;
}

enum mapistore_error openchangedb_exec(struct openchangedb_context *ocdb,
	const char *sql, const struct mapistore_db_value *params, size_t count)
{
	return mapistore_db_exec(ocdb->db, sql, params, count, NULL, NULL);
}

char *openchangedb_random_guid(TALLOC_CTX *mem_ctx)
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n <= 0) {
			return NULL;
		}
		got += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);   /* RFC 4122 version 4 */
	b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
	return talloc_asprintf(mem_ctx,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		b[10], b[11], b[12], b[13], b[14], b[15]);
}

enum mapistore_error openchangedb_get_server(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, char **name_r, char **org_r, char **ou_r)
{
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	ret = mapistore_db_exec_row(ocdb->db, sql_server_get, NULL, 0, mem_ctx, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (name_r != NULL) {
		*name_r = talloc_strdup(mem_ctx, mapistore_db_result_text(res, 0, 0));
	}
	if (org_r != NULL) {
		*org_r = talloc_strdup(mem_ctx, mapistore_db_result_text(res, 0, 1));
	}
	if (ou_r != NULL) {
		*ou_r = talloc_strdup(mem_ctx, mapistore_db_result_text(res, 0, 2));
	}
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

/* Inside a transaction: the replica for @guid, added when missing. */
static enum mapistore_error replica_lookup(struct openchangedb_context *ocdb,
	TALLOC_CTX *frame, const char *guid, bool create, uint16_t *replid_r)
{
	struct mapistore_db_value p[2];
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	int64_t next;

	p[0] = mapistore_db_text(guid);
	ret = mapistore_db_exec(ocdb->db, sql_replica_by_guid, p, 1, frame, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (res->rows > 0) {
		*replid_r = (uint16_t)mapistore_db_result_int(res, 0, 0);
		return MAPISTORE_SUCCESS;
	}
	if (!create) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	ret = mapistore_db_exec(ocdb->db, sql_replica_max, NULL, 0, frame, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	next = mapistore_db_result_int(res, 0, 0) + 1;
	if (next > 0x7FFF) {
		/* [MS-OXCDATA] 2.2.1.1: REPLIDs 0x8000 and above are reserved */
		return MAPISTORE_ERR_TOO_BIG;
	}
	p[0] = mapistore_db_int(next);
	p[1] = mapistore_db_text(guid);
	ret = mapistore_db_exec(ocdb->db, sql_replica_add, p, 2, NULL, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		*replid_r = (uint16_t)next;
	}
	return ret;
}

enum mapistore_error openchangedb_replica_get_id(struct openchangedb_context *ocdb,
	const char *guid, bool create, uint16_t *replid_r)
{
	TALLOC_CTX *frame;
	enum mapistore_error ret;

	if (guid == NULL || strlen(guid) != 36) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	frame = talloc_new(NULL);
	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret == MAPISTORE_SUCCESS) {
		ret = replica_lookup(ocdb, frame, guid, create, replid_r);
		ret = ret == MAPISTORE_SUCCESS ? mapistore_db_commit(ocdb->db)
					       : (mapistore_db_rollback(ocdb->db), ret);
	}
	talloc_free(frame);
	return ret;
}

enum mapistore_error openchangedb_replica_get_guid(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, uint16_t replid, char **guid_r)
{
	struct mapistore_db_value p = mapistore_db_int(replid);

	return mapistore_db_query_text(mem_ctx, ocdb->db, sql_replica_by_id, &p, 1, guid_r);
}

/* Inside or outside a transaction: bump the counter of row @key by
 * @count with @bump_sql, then read it back with @get_sql; return the first
 * GLOBCNT of the range. Serves the replica counters and the mailboxes' own. */
static enum mapistore_error counter_take(struct openchangedb_context *ocdb,
	const char *bump_sql, const char *get_sql, int64_t key, uint32_t count,
	uint64_t *first_globcnt_r)
{
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	int64_t next = 0;

	/* UPDATE first: it takes the row (InnoDB) or database (SQLite)
	 * write lock, so the SELECT below sees our own increment only. */
	p[0] = mapistore_db_int(count);
	p[1] = mapistore_db_int(key);
	ret = mapistore_db_exec(ocdb->db, bump_sql, p, 2, NULL, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_query_int(ocdb->db, get_sql, &p[1], 1, &next);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (next < (int64_t)count + 1 || (uint64_t)next - 1 > MAPISTORE_GLOBCNT_MAX) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	*first_globcnt_r = (uint64_t)next - count;
	return MAPISTORE_SUCCESS;
}

/* counter_take() in its own transaction. */
static enum mapistore_error counter_take_atomic(struct openchangedb_context *ocdb,
	const char *bump_sql, const char *get_sql, int64_t key, uint32_t count,
	uint64_t *first_globcnt_r)
{
	enum mapistore_error ret;

	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = counter_take(ocdb, bump_sql, get_sql, key, count, first_globcnt_r);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

enum mapistore_error openchangedb_allocate_ids(struct openchangedb_context *ocdb,
	uint16_t replid, uint32_t count, uint64_t *first_r)
{
	enum mapistore_error ret;
	uint64_t first = 0;

	if (count == 0 || count > OCDB_MAX_ALLOC || first_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = counter_take_atomic(ocdb, sql_counter_bump, sql_counter_get, replid, count, &first);
	if (ret == MAPISTORE_SUCCESS) {
		*first_r = mapistore_fmid_make(replid, first);
	}
	return ret;
}

enum mapistore_error openchangedb_get_new_id(struct openchangedb_context *ocdb,
	uint64_t *fmid_r)
{
	return openchangedb_allocate_ids(ocdb, OPENCHANGEDB_SERVER_REPLID, 1, fmid_r);
}

enum mapistore_error openchangedb_get_new_change_number(
	struct openchangedb_context *ocdb, uint64_t *cn_r)
{
	return openchangedb_allocate_ids(ocdb, OPENCHANGEDB_SERVER_REPLID, 1, cn_r);
}

enum mapistore_error openchangedb_mailbox_allocate_ids(struct openchangedb_context *ocdb,
	const char *username, uint32_t count, uint64_t *first_r)
{
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint64_t first = 0;

	if (username == NULL || count == 0 || count > OCDB_MAX_ALLOC || first_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = counter_take_atomic(ocdb, sql_mbx_bump, sql_mbx_counter, mailbox_id, count, &first);
	if (ret == MAPISTORE_SUCCESS) {
		/* in a private logon the mailbox's replica is REPLID 1 */
		*first_r = mapistore_fmid_make(OPENCHANGEDB_SERVER_REPLID, first);
	}
	return ret;
}

enum mapistore_error openchangedb_reserve_local_replica_ids(
	struct openchangedb_context *ocdb, const char *username, uint32_t count,
	uint64_t *first_globcnt_r)
{
	struct mapistore_db_value p[4];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint64_t first = 0;

	if (username == NULL || count == 0 || count > OCDB_MAX_ALLOC) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* [MS-OXCFXICS] 3.2.5.9.4.7: the range comes from the mailbox's
	 * replica, so the server never hands those GLOBCNTs out itself */
	ret = counter_take(ocdb, sql_mbx_bump, sql_mbx_counter, mailbox_id, count, &first);
	if (ret == MAPISTORE_SUCCESS) {
		p[0] = mapistore_db_int(mailbox_id);
		p[1] = mapistore_db_int(OPENCHANGEDB_SERVER_REPLID);
		p[2] = mapistore_db_int((int64_t)first);
		p[3] = mapistore_db_int(count);
		ret = openchangedb_exec(ocdb, sql_range_add, p, 4);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	ret = mapistore_db_commit(ocdb->db);
	if (ret == MAPISTORE_SUCCESS) {
		*first_globcnt_r = first;
	}
	return ret;
}

char *openchangedb_public_folder_name(TALLOC_CTX *mem_ctx,
	enum openchangedb_public_folder idx, const char *org, const char *ou)
{
	char *name = NULL, *p;

	switch (idx) {
	case OCDB_PUBLIC_ROOT: return talloc_strdup(mem_ctx, "Public Folder Root");
	case OCDB_PUBLIC_IPM_SUBTREE: return talloc_strdup(mem_ctx, "IPM_SUBTREE");
	case OCDB_PUBLIC_NON_IPM_SUBTREE: return talloc_strdup(mem_ctx, "NON_IPM_SUBTREE");
	case OCDB_PUBLIC_EFORMS_REGISTRY: return talloc_strdup(mem_ctx, "EFORMS REGISTRY");
	case OCDB_PUBLIC_OFFLINE_AB: return talloc_strdup(mem_ctx, "OFFLINE ADDRESS BOOK");
	case OCDB_PUBLIC_DEFAULT_OAB:
		return talloc_asprintf(mem_ctx,
			"/o=%s/cn=addrlists/cn=oabs/cn=Default Offline Address Book", org);
	case OCDB_PUBLIC_FREEBUSY: return talloc_strdup(mem_ctx, "SCHEDULE+ FREE BUSY");
	case OCDB_PUBLIC_LOCAL_FREEBUSY:
		name = talloc_asprintf(mem_ctx, "EX:/o=%s/ou=%s", org, ou);
		for (p = name ? name + 3 : NULL; p != NULL && *p != '\0'; p++) {
			if (*p >= 'A' && *p <= 'Z') {
				*p = (char)(*p - 'A' + 'a');
			}
		}
		return name;
	case OCDB_PUBLIC_EVENTS_ROOT: return talloc_strdup(mem_ctx, "Events Root");
	default: return NULL;
	}
}

/* Parent of each public folder, by index (0 = none). */
static const uint8_t public_parent[OCDB_PUBLIC_MAX] = {
	[OCDB_PUBLIC_ROOT] = 0,
	[OCDB_PUBLIC_IPM_SUBTREE] = OCDB_PUBLIC_ROOT,
	[OCDB_PUBLIC_NON_IPM_SUBTREE] = OCDB_PUBLIC_ROOT,
	[OCDB_PUBLIC_EFORMS_REGISTRY] = OCDB_PUBLIC_NON_IPM_SUBTREE,
	[OCDB_PUBLIC_OFFLINE_AB] = OCDB_PUBLIC_NON_IPM_SUBTREE,
	[OCDB_PUBLIC_DEFAULT_OAB] = OCDB_PUBLIC_OFFLINE_AB,
	[OCDB_PUBLIC_FREEBUSY] = OCDB_PUBLIC_NON_IPM_SUBTREE,
	[OCDB_PUBLIC_LOCAL_FREEBUSY] = OCDB_PUBLIC_FREEBUSY,
	[OCDB_PUBLIC_EVENTS_ROOT] = OCDB_PUBLIC_NON_IPM_SUBTREE,
};

enum mapistore_error openchangedb_provision_server(struct openchangedb_context *ocdb,
	const char *server, const char *first_org, const char *first_ou,
	uint64_t *fids_r)
{
	uint64_t fids[OCDB_PUBLIC_MAX] = { 0 };
	struct mapistore_db_value p[3];
	enum mapistore_error ret;
	TALLOC_CTX *frame;
	char *guid;
	uint16_t replid = 0;
	uint64_t first = 0;
	int i;

	if (server == NULL || first_org == NULL || first_ou == NULL ||
	    server[0] == '\0' || first_org[0] == '\0' || first_ou[0] == '\0') {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_get_server(NULL, ocdb, NULL, NULL, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_EXISTS;
	}
	frame = talloc_new(NULL);
	guid = frame ? openchangedb_random_guid(frame) : NULL;
	if (guid == NULL) {
		talloc_free(frame);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	p[0] = mapistore_db_text(server);
	p[1] = mapistore_db_text(first_org);
	p[2] = mapistore_db_text(first_ou);
	ret = openchangedb_exec(ocdb, sql_server_add, p, 3);
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_exec(ocdb, sql_ou_add, &p[1], 2);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = replica_lookup(ocdb, frame, guid, true, &replid);
	}
	if (ret == MAPISTORE_SUCCESS && replid != OPENCHANGEDB_SERVER_REPLID) {
		ret = MAPISTORE_ERR_CORRUPTED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = counter_take(ocdb, sql_counter_bump, sql_counter_get, replid, OCDB_PUBLIC_MAX - 1,
				   &first);
	}
	for (i = OCDB_PUBLIC_ROOT; ret == MAPISTORE_SUCCESS && i < OCDB_PUBLIC_MAX; i++) {
		char *name = openchangedb_public_folder_name(frame, i, first_org, first_ou);

		fids[i] = mapistore_fmid_make(replid, first + (uint64_t)(i - 1));
		ret = name == NULL ? MAPISTORE_ERR_NO_MEMORY :
			openchangedb_folder_create(ocdb, NULL,
				public_parent[i] ? fids[public_parent[i]] : 0,
				fids[i], (uint32_t)i, name, NULL);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		goto done;
	}
	ret = mapistore_db_commit(ocdb->db);
	if (ret == MAPISTORE_SUCCESS && fids_r != NULL) {
		memcpy(fids_r, fids, sizeof(fids));
	}
done:
	talloc_free(frame);
	return ret;
}

enum mapistore_error openchangedb_folder_rows(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	const char *sql, struct mapistore_db_result **res_r)
{
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)fid);
	return mapistore_db_exec(ocdb->db, sql, p, 2, mem_ctx, res_r);
}

char *openchangedb_result_text(TALLOC_CTX *mem_ctx, const struct mapistore_db_result *res,
	uint32_t row, uint32_t col)
{
	const char *s = mapistore_db_result_text(res, row, col);

	return talloc_strdup(mem_ctx, s != NULL ? s : "");
}

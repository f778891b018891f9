/*
 * GLOBCNTs a client gave up ([MS-OXCFXICS] 2.2.3.2.4.8
 * RopSetLocalReplicaMidsetDeleted, 3.3.5.8.13): IDs it reserved with
 * RopGetLocalReplicaIds (openchangedb_reserve_local_replica_ids) and will
 * never upload. The server keeps them as deleted, so an import under one
 * of them is refused (mapistore_client_id_check).
 *
 * Table ocdb_given_up_ranges (migration 007): one row per range of a
 * mailbox, both ends included. Ranges never overlap and adjacent ones are
 * merged as they are recorded, so the only range that can hold a GLOBCNT
 * is the one starting at or just below it: one indexed lookup.
 */
#include "openchangedb_private.h"

static const char sql_pred[] =
	"SELECT first_globcnt, last_globcnt FROM ocdb_given_up_ranges"
	" WHERE mailbox_id = ? AND first_globcnt <= ?"
	" ORDER BY first_globcnt DESC LIMIT 1";
static const char sql_within[] =
	"SELECT COUNT(*), MAX(last_globcnt) FROM ocdb_given_up_ranges"
	" WHERE mailbox_id = ? AND first_globcnt >= ? AND first_globcnt <= ?";
static const char sql_delete[] =
	"DELETE FROM ocdb_given_up_ranges"
	" WHERE mailbox_id = ? AND first_globcnt >= ? AND first_globcnt <= ?";
static const char sql_insert[] =
	"INSERT INTO ocdb_given_up_ranges (mailbox_id, first_globcnt, last_globcnt)"
	" VALUES (?, ?, ?)";
static const char sql_count[] =
	"SELECT COUNT(*) FROM ocdb_given_up_ranges WHERE mailbox_id = ?";

/* The range of @p mailbox_id starting at or below @p globcnt, if any. */
static enum mapistore_error range_at_or_below(struct openchangedb_context *ocdb,
	int64_t mailbox_id, uint64_t globcnt, uint64_t *first_r, uint64_t *last_r)
{
	struct mapistore_db_value p[2];
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;

	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)globcnt);
	ret = mapistore_db_exec_row(ocdb->db, sql_pred, p, 2, ocdb, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*first_r = (uint64_t)mapistore_db_result_int(res, 0, 0);
	*last_r = (uint64_t)mapistore_db_result_int(res, 0, 1);
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

/* Rows [from, to] of column first_globcnt: removed, and the largest
 * last_globcnt among them in *@p max_last_r (0 when there were none). */
static enum mapistore_error take_starting_in(struct openchangedb_context *ocdb,
	int64_t mailbox_id, uint64_t from, uint64_t to, uint64_t *max_last_r)
{
	struct mapistore_db_value p[3];
	struct mapistore_db_result *res = NULL;
	enum mapistore_error ret;
	int64_t n;

	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)from);
	p[2] = mapistore_db_int((int64_t)to);
	ret = mapistore_db_exec_row(ocdb->db, sql_within, p, 3, ocdb, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	n = mapistore_db_result_int(res, 0, 0);
	*max_last_r = n > 0 ? (uint64_t)mapistore_db_result_int(res, 0, 1) : 0;
	talloc_free(res);
	if (n == 0) {
		return MAPISTORE_SUCCESS;
	}
	return openchangedb_exec(ocdb, sql_delete, p, 3);
}

/* Record [first, last], merged with every range it overlaps or touches. */
static enum mapistore_error give_up_one(struct openchangedb_context *ocdb,
	int64_t mailbox_id, uint64_t first, uint64_t last)
{
	struct mapistore_db_value p[3];
	uint64_t pf = 0, pl = 0, max_last = 0;
	enum mapistore_error ret;

	/* the range just below: merged when it reaches first - 1 */
	ret = range_at_or_below(ocdb, mailbox_id, first - 1, &pf, &pl);
	if (ret == MAPISTORE_SUCCESS && pl + 1 >= first) {
		ret = take_starting_in(ocdb, mailbox_id, pf, pf, &max_last);
		first = pf;
		last = pl > last ? pl : last;
	}
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	/* every range starting inside [first, last + 1] */
	ret = take_starting_in(ocdb, mailbox_id, first, last + 1, &max_last);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	last = max_last > last ? max_last : last;
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)first);
	p[2] = mapistore_db_int((int64_t)last);
	return openchangedb_exec(ocdb, sql_insert, p, 3);
}

enum mapistore_error openchangedb_give_up_local_replica_ids(
	struct openchangedb_context *ocdb, const char *username,
	const struct openchangedb_globcnt_range *ranges, uint32_t count)
{
	struct mapistore_db_value p[1];
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	int64_t mailbox_id = 0, held = 0;
	uint32_t i;

	if (ocdb == NULL || username == NULL || (count > 0 && ranges == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (count > OPENCHANGEDB_GIVEN_UP_PER_CALL) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	for (i = 0; i < count; i++) {
		if (ranges[i].first == 0 || ranges[i].first > ranges[i].last ||
		    ranges[i].last > MAPISTORE_GLOBCNT_MAX) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS || count == 0) {
		return ret;
	}
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	for (i = 0; i < count && ret == MAPISTORE_SUCCESS; i++) {
		ret = give_up_one(ocdb, mailbox_id, ranges[i].first, ranges[i].last);
	}
	if (ret == MAPISTORE_SUCCESS) {
		p[0] = mapistore_db_int(mailbox_id);
		ret = mapistore_db_query_int(ocdb->db, sql_count, p, 1, &held);
	}
	if (ret == MAPISTORE_SUCCESS && held > OPENCHANGEDB_GIVEN_UP_PER_MAILBOX) {
		ret = MAPISTORE_ERR_TOO_BIG;
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

enum mapistore_error openchangedb_local_replica_id_given_up(
	struct openchangedb_context *ocdb, const char *username, uint64_t globcnt,
	bool *given_up_r)
{
	uint64_t first = 0, last = 0;
	enum mapistore_error ret;
	int64_t mailbox_id = 0;

	if (ocdb == NULL || username == NULL || given_up_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*given_up_r = false;
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = range_at_or_below(ocdb, mailbox_id, globcnt, &first, &last);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		return MAPISTORE_SUCCESS;
	}
	if (ret == MAPISTORE_SUCCESS) {
		*given_up_r = globcnt >= first && globcnt <= last;
	}
	return ret;
}

/*
 * Intents: the crash window between a backend's commit and the change
 * tracking that follows it (schema migration 005, mstore_intents).
 *
 * A deletion is committed by the backend first and only then recorded
 * as a tombstone; a read-state change likewise reaches the backend before
 * its read-state CN ([MS-OXCFXICS] 2.2.1.1.4 CnsetRead). A process killed
 * in between used to lose the tombstone (an incremental sync never told
 * the client that the item was gone) or the read-state CN. Now the core
 * writes an intent row before calling the backend and removes it once
 * the tracking is written. Opening a context replays what is left: the
 * backend is asked what really happened, and the tracking is completed
 * from that (a tombstone for an object the backend no longer has, a new
 * read-state CN carrying the backend's flag), then the intent goes.
 *
 * Replaying is idempotent: a tombstone written twice gets a second CN (one
 * more deletion in a download, for an object the client drops anyway), a
 * read state recorded twice one more read-state change.
 */
#include "mapistore_private.h"
#include "mapistore_changes.h"
#include "mapistore_indexing.h"

#define PidTagMessageFlags_Tag 0x0E070003
#define MSGFLAG_READ_BIT 0x00000001

static const char sql_del[] =
	"DELETE FROM mstore_intents WHERE username = ? AND fmid = ? AND op = ?";
static const char sql_ins[] =
	"INSERT INTO mstore_intents (username, fmid, op, parent_fid, arg) VALUES (?, ?, ?, ?, ?)";
static const char sql_pending[] =
	"SELECT fmid, op, parent_fid, arg FROM mstore_intents WHERE username = ?"
	" ORDER BY fmid, op LIMIT ?";

/* rows replayed per context open; what is left waits for the next one */
#define MAPISTORE_INTENTS_REPLAY_MAX 4096

enum mapistore_error mapistore_intent_begin(struct mapistore_context *ctx,
	enum mapistore_intent_op op, uint64_t parent_fid, const uint64_t *fmids,
	uint32_t count, int64_t arg)
{
	struct mapistore_db_value p[5];
	enum mapistore_error ret;
	uint32_t i;

	if (ctx == NULL || (count > 0 && fmids == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (count == 0) {
		return MAPISTORE_SUCCESS;
	}
	ret = mapistore_db_begin(ctx->idx_db);
	p[0] = mapistore_db_text(ctx->username);
	p[2] = mapistore_db_int(op);
	p[3] = mapistore_db_int((int64_t)parent_fid);
	p[4] = mapistore_db_int(arg);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		p[1] = mapistore_db_int((int64_t)fmids[i]);
		/* a leftover of the same kind is replaced (portable upsert) */
		ret = mapistore_db_exec(ctx->idx_db, sql_del, p, 3, NULL, NULL);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_db_exec(ctx->idx_db, sql_ins, p, 5, NULL, NULL);
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		return mapistore_db_commit(ctx->idx_db);
	}
	mapistore_db_rollback(ctx->idx_db);
	mapistore_set_errmsg(ctx, "intent: %s (%s)", mapistore_errstr(ret),
			     mapistore_db_errmsg(ctx->idx_db));
	return ret;
}

enum mapistore_error mapistore_intent_end(struct mapistore_context *ctx,
	enum mapistore_intent_op op, const uint64_t *fmids, uint32_t count)
{
	struct mapistore_db_value p[3];
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	if (ctx == NULL || (count > 0 && fmids == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p[0] = mapistore_db_text(ctx->username);
	p[2] = mapistore_db_int(op);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		p[1] = mapistore_db_int((int64_t)fmids[i]);
		ret = mapistore_db_exec(ctx->idx_db, sql_del, p, 3, NULL, NULL);
	}
	return ret;
}

static bool gone(enum mapistore_error ret)
{
	return ret == MAPISTORE_ERR_NOT_FOUND || ret == MAPISTORE_ERR_OBJECT_DELETED;
}

/* A folder deletion: finished if the backend no longer has the folder. */
static enum mapistore_error replay_folder_delete(TALLOC_CTX *tmp,
	struct mapistore_context *ctx, uint64_t fid, bool hard)
{
	struct mapistore_folder *f = NULL;
	enum mapistore_error ret = mapistore_folder_open(tmp, ctx, fid, &f);

	if (!gone(ret)) {
		return ret == MAPISTORE_SUCCESS ? MAPISTORE_SUCCESS : ret;
	}
	ret = hard ? mapistore_indexing_delete(ctx->indexing, fid)
		   : mapistore_indexing_set_soft_deleted(ctx->indexing, fid, true);
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	return mapistore_track_folder_gone(ctx, fid, 0, hard);
}

/* A message deletion or read-state change in folder @fid. */
static enum mapistore_error replay_message(TALLOC_CTX *tmp, struct mapistore_context *ctx,
	enum mapistore_intent_op op, uint64_t fid, uint64_t mid, int64_t arg)
{
	uint32_t tag = PidTagMessageFlags_Tag;
	struct mapistore_folder *f = NULL;
	struct mapistore_message *m = NULL;
	struct mapistore_property *flags = NULL;
	enum mapistore_error ret;
	uint64_t read_cn = 0;

	ret = mapistore_folder_open(tmp, ctx, fid, &f);
	if (gone(ret)) {
		return MAPISTORE_SUCCESS;   /* the folder's own tombstone covers it */
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_open(tmp, f, mid, false, &m);
	}
	if (op == MAPISTORE_INTENT_DELETE_MESSAGE) {
		if (gone(ret)) {
			return mapistore_track_bury_messages(ctx, fid, &mid, 1, arg != 0);
		}
		return ret;   /* still there: the deletion never happened */
	}
	if (gone(ret)) {
		return MAPISTORE_SUCCESS;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_message_object(m), &tag, 1, &flags);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_new_id(ctx, &read_cn);
	}
	if (ret == MAPISTORE_SUCCESS) {
		bool read = !mapistore_property_is_error(&flags[0]) &&
			    (flags[0].value.i32 & MSGFLAG_READ_BIT);

		ret = mapistore_changes_set_read(ctx, mid, read, mapistore_fmid_globcnt(read_cn));
	}
	return ret;
}

enum mapistore_error mapistore_intents_replay(struct mapistore_context *ctx, uint32_t *replayed_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;
	TALLOC_CTX *tmp;
	uint32_t i, done = 0;

	if (replayed_r != NULL) {
		*replayed_r = 0;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int(MAPISTORE_INTENTS_REPLAY_MAX);
	ret = mapistore_db_exec(ctx->idx_db, sql_pending, p, 2, tmp, &res);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < res->rows; i++) {
		uint64_t fmid = (uint64_t)mapistore_db_result_int(res, i, 0);
		int64_t op = mapistore_db_result_int(res, i, 1);
		uint64_t parent = (uint64_t)mapistore_db_result_int(res, i, 2);
		int64_t arg = mapistore_db_result_int(res, i, 3);
		TALLOC_CTX *one = talloc_new(tmp);

		if (one == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		switch (op) {
		case MAPISTORE_INTENT_DELETE_FOLDER:
			ret = replay_folder_delete(one, ctx, fmid, arg != 0);
			break;
		case MAPISTORE_INTENT_DELETE_MESSAGE:
		case MAPISTORE_INTENT_READ_STATE:
			ret = replay_message(one, ctx, (enum mapistore_intent_op)op, parent,
					     fmid, arg);
			break;
		default:
			ret = MAPISTORE_SUCCESS;   /* unknown kind: dropped */
			break;
		}
		talloc_free(one);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_intent_end(ctx, (enum mapistore_intent_op)op, &fmid, 1);
			done++;
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_log(MAPISTORE_LOG_ERR, "user %s: replaying interrupted changes: %s",
			      ctx->username, mapistore_errstr(ret));
	} else if (done > 0) {
		mapistore_log(MAPISTORE_LOG_NOTICE, "user %s: completed %u change(s) "
			      "interrupted by a crash", ctx->username, done);
	}
	if (replayed_r != NULL) {
		*replayed_r = done;
	}
	talloc_free(tmp);
	return ret;
}

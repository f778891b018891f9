/*
 * Objects created with an ID the client chose ([MS-OXCFXICS] 3.3.5.2.1
 * "Client-Assigned Internal Identifiers"): a client reserves a range of
 * GLOBCNTs of the mailbox's replica with RopGetLocalReplicaIds
 * (openchangedb_reserve_local_replica_ids), gives them to folders and
 * messages it creates offline, and uploads those with their source keys
 * (RopSynchronizationImportMessageChange / ImportHierarchyChange), or
 * names the moved message's new ID in RopSynchronizationImportMessageMove
 * (mapistore_message_move_with_id, mapistore_move.c). The object is
 * created with that FID/MID, so the source key the core stamps is the
 * client's and its next download does not show a new object. IDs the
 * client gave up (RopSetLocalReplicaMidsetDeleted, openchangedb_replica.c)
 * are refused like those of deleted objects.
 *
 * No backend hook is needed: message_create and folder_create already
 * take the ID from the core (mapistore_backend.h).
 */
#include "mapistore_private.h"
#include "mapistore_indexing.h"
#include "openchangedb.h"

#include <string.h>

static const char sql_reserved[] =
	"SELECT COUNT(*) FROM ocdb_local_replica_ranges r"
	" JOIN ocdb_mailboxes m ON r.mailbox_id = m.id"
	" WHERE m.username = ? AND r.first_globcnt <= ? AND r.first_globcnt + r.count > ?";
static const char sql_tombstone[] =
	"SELECT COUNT(*) FROM mstore_tombstones WHERE username = ? AND fmid = ?";

enum mapistore_error mapistore_client_id_check(struct mapistore_context *ctx, uint64_t fmid)
{
	struct mapistore_db_value p[3];
	struct mapistore_change *row = NULL;
	uint64_t globcnt = mapistore_fmid_globcnt(fmid);
	enum mapistore_error ret;
	bool given_up = false;
	int64_t n = 0;
	char *uri = NULL;

	if (ctx == NULL || ctx->username == NULL || globcnt == 0 ||
	    mapistore_fmid_replid(fmid) != 1) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* reserved for this mailbox's clients (RopGetLocalReplicaIds) */
	p[0] = mapistore_db_text(ctx->username);
	p[1] = mapistore_db_int((int64_t)globcnt);
	p[2] = mapistore_db_int((int64_t)globcnt);
	ret = mapistore_db_query_int(ctx->ocdb_db, sql_reserved, p, 3, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (n == 0) {
		mapistore_set_errmsg(ctx, "ID 0x%012llx was never reserved for a client",
				     (unsigned long long)globcnt);
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* given up with RopSetLocalReplicaMidsetDeleted: [MS-OXCFXICS]
	 * 3.3.5.8.13 has the server add it to its deleted items list, and
	 * 3.2.5.9.4.5 keeps imports from restoring a recorded deletion: the
	 * same answer as a tombstone below (ecObjectDeleted) */
	ret = openchangedb_local_replica_id_given_up(ctx->ocdb, ctx->username, globcnt,
						     &given_up);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (given_up) {
		mapistore_set_errmsg(ctx, "ID 0x%012llx was given up by the client",
				     (unsigned long long)globcnt);
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	/* not in use: no live object (change row or indexing), no tombstone */
	ret = mapistore_changes_load(ctx, ctx, fmid, &row);
	talloc_free(row);
	if (ret == MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_EXISTS;
	}
	if (ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	ret = mapistore_indexing_get_uri(ctx, ctx->indexing, fmid, &uri, NULL);
	talloc_free(uri);
	if (ret == MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_EXISTS;
	}
	p[1] = mapistore_db_int((int64_t)fmid);
	ret = mapistore_db_query_int(ctx->idx_db, sql_tombstone, p, 2, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return n > 0 ? MAPISTORE_ERR_OBJECT_DELETED : MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_create_with_id(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, uint64_t mid,
	struct mapistore_message **msg_r)
{
	enum mapistore_error ret;

	if (folder == NULL || msg_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_client_id_check(folder->obj.ctx, mid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_message_create_as(mem_ctx, folder, associated, mid, msg_r);
}

enum mapistore_error mapistore_folder_create_with_id(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r)
{
	enum mapistore_error ret;

	if (parent == NULL || folder_r == NULL || count > MAPISTORE_MAX_PROPERTIES ||
	    (count > 0 && props == NULL) ||
	    mapistore_properties_find(props, count, 0x3001001F) < 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_client_id_check(parent->obj.ctx, fid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_folder_create_as(mem_ctx, parent, fid, props, count, folder_r);
}

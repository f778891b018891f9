/*
 * [MS-OXCFOLD] Folder Object Protocol: RopMoveFolder and RopCopyFolder
 * ([MS-OXCROPS] 2.2.4.7, 2.2.4.8). The source handle is the parent of
 * the folder FolderId; the destination handle (DestHandleIndex) is its
 * new parent. Both run synchronously whatever WantAsynchronous says
 * ([MS-OXCFOLD] 3.2.5.7, 3.2.5.8 let the server answer with the ROP's
 * own response). The other folder ROPs are oxcfold.c's.
 */
#include "emsmdb_copy.h"
#include "mapistore_indexing.h"

#include <string.h>

/* parents walked at most looking for a cycle (deeper than any mailbox) */
#define EMSMDB_MOVE_MAX_DEPTH 256

static struct emsmdb_folder *emsmdb_move_folder_of(struct emsmdb_object *obj)
{
	return obj != NULL && obj->type == EMSMDB_OBJECT_FOLDER ?
		talloc_get_type(obj->private_data, struct emsmdb_folder) : NULL;
}

/* the parent FID of backend folder @fid (0 for a backend root) */
static uint64_t emsmdb_move_parent(struct emsmdb_session *s, uint64_t fid)
{
	uint64_t parent = 0;

	if (mapistore_indexing_get_parent(mapistore_context_get_indexing(s->mstore), fid,
					  &parent, NULL, NULL) != MAPISTORE_SUCCESS) {
		return 0;
	}
	return parent;
}

/* true if @fid is @ancestor or below it ([MS-OXCFOLD] 3.2.5.7: a folder
 * cannot become its own descendant) */
static bool emsmdb_move_is_below(struct emsmdb_session *s, uint64_t fid,
				 uint64_t ancestor)
{
	unsigned depth;

	for (depth = 0; fid != 0 && depth < EMSMDB_MOVE_MAX_DEPTH; depth++) {
		if (fid == ancestor) {
			return true;
		}
		fid = emsmdb_move_parent(s, fid);
	}
	return false;
}

/* the FID of the subfolder of @parent named @name, 0 if none */
static uint64_t emsmdb_move_child_named(struct emsmdb_folder *parent, const char *name)
{
	static const uint32_t cols[2] = { PidTagFolderId, PidTagDisplayName };
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i;
	uint64_t fid = 0;

	if (mapistore_folder_open_table(NULL, parent->mf, MAPISTORE_FOLDER_TABLE, &t) !=
	    MAPISTORE_SUCCESS) {
		return 0;
	}
	if (mapistore_table_set_columns(t, cols, 2) == MAPISTORE_SUCCESS &&
	    mapistore_table_query_rows(t, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n) ==
	    MAPISTORE_SUCCESS) {
		for (i = 0; i < n && fid == 0; i++) {
			if (rows[i].count == 2 && !mapistore_property_is_error(&rows[i].props[1]) &&
			    strcmp(rows[i].props[1].value.str, name) == 0) {
				fid = rows[i].fmid;
			}
		}
	}
	talloc_free(t);
	return fid;
}

/*
 * What RopMoveFolder and RopCopyFolder share: the checks of [MS-OXCFOLD]
 * 3.2.5.7 / 3.2.5.8, then the copy or move. @partial_r is set when part
 * of the tree may have been copied before a failure.
 */
static uint32_t emsmdb_move_copy(struct emsmdb_rop_call *call, uint8_t dest_index,
				 uint64_t folder_id, const char *new_name, bool move,
				 bool recursive, uint32_t *dest_index_r, uint8_t *partial_r)
{
	struct emsmdb_session *s = call->session;
	struct emsmdb_folder *src = emsmdb_move_folder_of(call->in), *dst, *f = NULL;
	struct emsmdb_object *dst_obj = emsmdb_rop_object_at(call, dest_index);
	struct openchangedb_folder *rec = NULL;
	enum mapistore_error ret;
	uint64_t new_fid = 0, parent;
	uint32_t ec;

	*partial_r = 0;
	if (dst_obj == NULL) {
		/* [MS-OXCROPS] 2.2.4.7.3: the response names the bad index */
		*dest_index_r = dest_index;
		return ecDstNullObject;
	}
	dst = emsmdb_move_folder_of(dst_obj);
	if (src == NULL || dst == NULL) {
		return ecNotSupported;
	}
	if (new_name == NULL || new_name[0] == '\0') {
		return ecInvalidParam;
	}
	ec = emsmdb_folder_open(s, call->mem_ctx, call->logon, folder_id, &f);
	if (ec != ecSuccess) {
		return ec;
	}
	if (openchangedb_folder_get(call->mem_ctx, s->ocdb, folder_id, &rec) ==
	    MAPISTORE_SUCCESS) {
		/* [MS-OXOSFLD] 3.1.4.1: special and system folders stay where
		 * they are; folders of openchangedb have no backend to move */
		return rec->system_idx != 0 ? ecAccessDenied : ecNotSupported;
	}
	parent = emsmdb_move_parent(s, folder_id);
	if (f->mf == NULL || parent != src->fid) {
		/* [MS-OXCFOLD] 3.2.5.7: FolderId names no child of the source */
		return ecNotFound;
	}
	if (dst->mf == NULL) {
		/* a system folder of openchangedb holds no backend folders */
		return ecNotSupported;
	}
	if (emsmdb_move_is_below(s, dst->fid, folder_id)) {
		return ecFolderCycle;
	}
	if (emsmdb_move_child_named(dst, new_name) != 0) {
		return ecDuplicateName;
	}
	ret = mapistore_folder_copy_tree(f->mf, dst->mf, new_name, recursive, move, &new_fid);
	if (ret == MAPISTORE_ERR_EXISTS) {
		return ecDuplicateName;
	}
	if (ret != MAPISTORE_SUCCESS) {
		*partial_r = 1;
		return emsmdb_ms_ec(ret);
	}
	/* [MS-OXCNOTIF] 2.2.1.4.1: the folder at its new place, under the
	 * new parent (the old parent is the source folder) */
	emsmdb_raise(call, move ? fnevObjectMoved : fnevObjectCopied, false, new_fid, 0,
		     dst->fid);
	return ecSuccess;
}

/* [MS-OXCFOLD] 2.2.1.7 RopMoveFolder, 3.2.5.7 */
uint32_t oxcfold_RopMoveFolder(struct emsmdb_rop_call *call)
{
	const struct RopMoveFolder_req *req = &call->req->u.RopMoveFolder;
	struct RopMoveFolder_resp *resp = &call->resp->u.RopMoveFolder;

	return emsmdb_move_copy(call, req->DestHandleIndex, req->FolderId,
				req->NewFolderName, true, true, &resp->DestHandleIndex,
				&resp->PartialCompletion);
}

/* [MS-OXCFOLD] 2.2.1.8 RopCopyFolder, 3.2.5.8 */
uint32_t oxcfold_RopCopyFolder(struct emsmdb_rop_call *call)
{
	const struct RopCopyFolder_req *req = &call->req->u.RopCopyFolder;
	struct RopCopyFolder_resp *resp = &call->resp->u.RopCopyFolder;

	return emsmdb_move_copy(call, req->DestHandleIndex, req->FolderId,
				req->NewFolderName, false, req->WantRecursive != 0,
				&resp->DestHandleIndex, &resp->PartialCompletion);
}

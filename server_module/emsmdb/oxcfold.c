/*
 * [MS-OXCFOLD] Folder Object Protocol: the folder ROPs ([MS-OXCROPS] 2.2.4).
 * The folder model (openchangedb vs backend folders) is emsmdb_store.h's.
 */
#include "emsmdb_oxc.h"
#include "oxcfold_search.h"
#include "emsmdb_acl.h"

#include <string.h>

/* [MS-OXCDATA] 2.4.2 */
#define ecDuplicateName 0x80040604
/* [MS-OXCFOLD] 2.2.1.2.1 FolderType, 2.2.1.13.1 / 2.2.1.14.1 TableFlags */
#define TableFlags_Associated 0x02
#define TableFlags_Depth 0x04

static struct emsmdb_folder *emsmdb_folder_of(struct emsmdb_object *obj)
{
	return obj != NULL && obj->type == EMSMDB_OBJECT_FOLDER ?
		talloc_get_type(obj->private_data, struct emsmdb_folder) : NULL;
}

/* [MS-OXCFOLD] 2.2.1.1 RopOpenFolder: from a logon or a folder */
uint32_t oxcfold_RopOpenFolder(struct emsmdb_rop_call *call)
{
	const struct RopOpenFolder_req *req = &call->req->u.RopOpenFolder;
	struct RopOpenFolder_resp *resp = &call->resp->u.RopOpenFolder;
	struct emsmdb_folder *f = NULL;
	struct emsmdb_object *obj;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FOLDER, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_folder_open(call->session, obj, call->logon, req->FolderId, &f);
	if (ec != ecSuccess) {
		return ec;
	}
	obj->private_data = f;
	ec = emsmdb_acl_check_fid(call, f->fid, frightsVisible); /* [MS-OXCPERM] 2.2.7 */
	if (ec != ecSuccess) {
		return ec;
	}
	resp->HasRules = 0;
	resp->IsGhosted = 0;
	return ecSuccess;
}

/* a folder's child named @name, or 0 */
static uint64_t emsmdb_child_named(struct emsmdb_session *s, struct emsmdb_folder *parent,
				   const char *name)
{
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	static const uint32_t cols[] = { PidTagFolderId, PidTagDisplayName };
	uint32_t n = 0, i;
	uint64_t fid = 0;

	if (parent->mf == NULL) {
		openchangedb_folder_find_by_name(s->ocdb, parent->fid, name, &fid);
		return fid;
	}
	if (mapistore_folder_open_table(NULL, parent->mf, MAPISTORE_FOLDER_TABLE,
					&t) != MAPISTORE_SUCCESS) {
		return 0;
	}
	if (mapistore_table_set_columns(t, cols, 2) == MAPISTORE_SUCCESS &&
	    mapistore_table_query_rows(t, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n) ==
	    MAPISTORE_SUCCESS) {
		for (i = 0; i < n && fid == 0; i++) {
			if (rows[i].count == 2 &&
			    !mapistore_property_is_error(&rows[i].props[1]) &&
			    strcmp(rows[i].props[1].value.str, name) == 0) {
				fid = rows[i].fmid;
			}
		}
	}
	talloc_free(t);
	return fid;
}

/* [MS-OXCFOLD] 2.2.1.2 RopCreateFolder */
uint32_t oxcfold_RopCreateFolder(struct emsmdb_rop_call *call)
{
	const struct RopCreateFolder_req *req = &call->req->u.RopCreateFolder;
	struct RopCreateFolder_resp *resp = &call->resp->u.RopCreateFolder;
	struct emsmdb_session *s = call->session;
	struct emsmdb_folder *parent = emsmdb_folder_of(call->in), *f;
	struct mapistore_property props[2];
	struct emsmdb_object *obj;
	enum mapistore_error ret;
	uint64_t fid;
	uint32_t ec, n = 1;

	if (parent == NULL || req->DisplayName == NULL || req->DisplayName[0] == '\0') {
		return ecInvalidParam;
	}
	if (req->FolderType != FOLDER_GENERIC && req->FolderType != FOLDER_SEARCH) {
		return ecNotSupported;
	}
	ec = emsmdb_acl_check(call, call->in, frightsCreateSubfolder); /* [MS-OXCPERM] */
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->FolderType == FOLDER_SEARCH) {
		return oxcfold_search_create(call);	/* oxcfold_search.c */
	}
	fid = emsmdb_child_named(s, parent, req->DisplayName);
	if (fid != 0 && !req->OpenExisting) {
		return ecDuplicateName;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FOLDER, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	if (fid != 0) {
		ec = emsmdb_folder_open(s, obj, call->logon, fid, &f);
		if (ec != ecSuccess) {
			return ec;
		}
		obj->private_data = f;
		resp->FolderId = fid;
		resp->IsExistingFolder = 1;
		return ecSuccess;
	}
	props[0].proptag = PidTagDisplayName;
	props[0].value.str = req->DisplayName;
	if (req->Comment != NULL && req->Comment[0] != '\0') {
		props[1].proptag = PidTagComment;
		props[1].value.str = req->Comment;
		n = 2;
	}
	f = talloc_zero(obj, struct emsmdb_folder);
	if (f == NULL) {
		return ecMAPIOOM;
	}
	f->parent_fid = parent->fid;
	if (parent->mf != NULL) {
		ret = mapistore_folder_create(f, parent->mf, props, n, &f->mf);
		if (ret != MAPISTORE_SUCCESS) {
			return ret == MAPISTORE_ERR_EXISTS ? ecDuplicateName :
							     emsmdb_ms_ec(ret);
		}
		f->fid = mapistore_folder_get_fid(f->mf);
	} else {
		/* below a system folder: a folder of openchangedb (subfolders
		 * only; messages need a backend folder) */
		ret = openchangedb_get_new_id(s->ocdb, &f->fid);
		if (ret == MAPISTORE_SUCCESS) {
			ret = openchangedb_folder_create(s->ocdb,
				emsmdb_rop_logon(call)->mailbox_owner, parent->fid,
				f->fid, 0, req->DisplayName, NULL);
		}
		if (ret == MAPISTORE_SUCCESS && n == 2) {
			ret = openchangedb_folder_set_properties(s->ocdb, f->fid,
								 &props[1], 1);
		}
		/* its creation as a change row ([MS-OXCFXICS] 3.1.5.3): change
		 * key, PCL and PidTagLastModificationTime from the start */
		if (ret == MAPISTORE_SUCCESS && s->mstore != NULL) {
			ret = mapistore_changes_track_folder(s->mstore, f->fid, parent->fid);
		}
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
	}
	obj->private_data = f;
	emsmdb_acl_inherit(call, parent->fid, f->fid);	/* [MS-OXCPERM] */
	resp->FolderId = f->fid;
	resp->IsExistingFolder = 0;
	emsmdb_raise(call, fnevObjectCreated, false, f->fid, 0, parent->fid);
	return ecSuccess;
}

/* [MS-OXCFOLD] 2.2.1.3 RopDeleteFolder */
uint32_t oxcfold_RopDeleteFolder(struct emsmdb_rop_call *call)
{
	const struct RopDeleteFolder_req *req = &call->req->u.RopDeleteFolder;
	struct emsmdb_session *s = call->session;
	struct emsmdb_folder *f = NULL;
	struct openchangedb_folder *rec = NULL;
	enum mapistore_error ret;
	uint32_t ec;

	ec = emsmdb_folder_open(s, call->mem_ctx, call->logon, req->FolderId, &f);
	if (ec == ecSuccess) {
		ec = emsmdb_acl_check_fid(call, f->fid, frightsOwner); /* [MS-OXCPERM] */
	}
	if (ec != ecSuccess) {
		return ec;
	}
	if (openchangedb_folder_get(call->mem_ctx, s->ocdb, f->fid, &rec) ==
	    MAPISTORE_SUCCESS) {
		if (rec->system_idx != 0) {
			/* [MS-OXOSFLD] 3.1.4.1: special folders stay */
			return ecAccessDenied;
		}
		ret = openchangedb_folder_delete(s->ocdb, f->fid);
	} else {
		ret = mapistore_folder_delete(f->mf, req->DeleteFolderFlags);
	}
	if (ret == MAPISTORE_ERR_HAS_CHILDREN || ret == MAPISTORE_ERR_HAS_MESSAGES) {
		/* [MS-OXCFOLD] 3.2.5.3: not deleted, reported as partial */
		call->resp->u.RopDeleteFolder.PartialCompletion = 1;
		return ecSuccess;
	}
	call->resp->u.RopDeleteFolder.PartialCompletion = 0;
	if (ret == MAPISTORE_SUCCESS) {
		emsmdb_acl_forget(call, f->fid);	/* its permissions list too */
		emsmdb_raise(call, fnevObjectDeleted, false, f->fid, 0, f->parent_fid);
	}
	return emsmdb_ms_ec(ret);
}

/* [MS-OXCFOLD] 2.2.1.14 RopGetHierarchyTable */
uint32_t oxcfold_RopGetHierarchyTable(struct emsmdb_rop_call *call)
{
	const struct RopGetHierarchyTable_req *req = &call->req->u.RopGetHierarchyTable;
	struct emsmdb_table *t = NULL;
	uint32_t ec;

	ec = emsmdb_acl_check(call, call->in, frightsVisible); /* [MS-OXCPERM] */
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_table_new(call, EMSMDB_TABLE_HIERARCHY, req->TableFlags, &t);
	if (ec != ecSuccess) {
		return ec;
	}
	call->resp->u.RopGetHierarchyTable.RowCount = t->count;
	return ecSuccess;
}

/* [MS-OXCFOLD] 2.2.1.14 RopGetContentsTable */
uint32_t oxcfold_RopGetContentsTable(struct emsmdb_rop_call *call)
{
	const struct RopGetContentsTable_req *req = &call->req->u.RopGetContentsTable;
	struct emsmdb_table *t = NULL;
	uint32_t ec;

	ec = emsmdb_acl_check(call, call->in, frightsReadAny); /* [MS-OXCPERM] */
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_table_new(call, EMSMDB_TABLE_CONTENTS, req->TableFlags, &t);
	if (ec != ecSuccess) {
		return ec;
	}
	call->resp->u.RopGetContentsTable.RowCount = t->count;
	return ecSuccess;
}

static uint32_t emsmdb_delete_messages(struct emsmdb_rop_call *call,
				       uint16_t count, const uint64_t *mids,
				       bool hard, uint8_t *partial_r)
{
	struct emsmdb_folder *f = emsmdb_folder_of(call->in);
	enum mapistore_error ret;

	*partial_r = 0;
	if (f == NULL || f->mf == NULL) {
		return count == 0 ? ecSuccess : ecNotFound;
	}
	if (emsmdb_acl_check_delete(call, f, mids, count) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] DeleteAny / DeleteOwned */
	}
	ret = mapistore_folder_delete_messages(f->mf, mids, count, hard);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		*partial_r = 1;
		return ecSuccess;
	}
	if (ret == MAPISTORE_SUCCESS) {
		uint16_t i;

		for (i = 0; i < count; i++) {
			emsmdb_raise(call, fnevObjectDeleted, true, f->fid, mids[i], 0);
		}
	}
	return emsmdb_ms_ec(ret);
}

/* [MS-OXCFOLD] 2.2.1.11 RopDeleteMessages */
uint32_t oxcfold_RopDeleteMessages(struct emsmdb_rop_call *call)
{
	const struct RopDeleteMessages_req *req = &call->req->u.RopDeleteMessages;

	return emsmdb_delete_messages(call, req->MessageIdCount, req->MessageIds,
		false, &call->resp->u.RopDeleteMessages.PartialCompletion);
}

/* [MS-OXCFOLD] 2.2.1.12 RopHardDeleteMessages */
uint32_t oxcfold_RopHardDeleteMessages(struct emsmdb_rop_call *call)
{
	const struct RopHardDeleteMessages_req *req = &call->req->u.RopHardDeleteMessages;

	return emsmdb_delete_messages(call, req->MessageIdCount, req->MessageIds,
		true, &call->resp->u.RopHardDeleteMessages.PartialCompletion);
}

static uint32_t emsmdb_empty(struct emsmdb_rop_call *call, bool hard,
			     uint8_t *partial_r)
{
	struct emsmdb_folder *f = emsmdb_folder_of(call->in);

	*partial_r = 0;
	if (emsmdb_acl_check(call, call->in, frightsDeleteAny) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	if (f == NULL || f->mf == NULL) {
		/* a system folder of openchangedb holds no messages */
		return ecSuccess;
	}
	return emsmdb_ms_ec(mapistore_folder_empty(f->mf, true));
}

/* [MS-OXCFOLD] 2.2.1.9 RopEmptyFolder */
uint32_t oxcfold_RopEmptyFolder(struct emsmdb_rop_call *call)
{
	return emsmdb_empty(call, false, &call->resp->u.RopEmptyFolder.PartialCompletion);
}

/* [MS-OXCFOLD] 2.2.1.10 RopHardDeleteMessagesAndSubfolders */
uint32_t oxcfold_RopHardDeleteMessagesAndSubfolders(struct emsmdb_rop_call *call)
{
	return emsmdb_empty(call, true,
		&call->resp->u.RopHardDeleteMessagesAndSubfolders.PartialCompletion);
}

/* [MS-OXCFOLD] 2.2.1.6 RopMoveCopyMessages */
uint32_t oxcfold_RopMoveCopyMessages(struct emsmdb_rop_call *call)
{
	const struct RopMoveCopyMessages_req *req = &call->req->u.RopMoveCopyMessages;
	struct RopMoveCopyMessages_resp *resp = &call->resp->u.RopMoveCopyMessages;
	struct emsmdb_folder *src = emsmdb_folder_of(call->in), *dst;
	uint64_t *new_mids;

	dst = emsmdb_folder_of(emsmdb_rop_object_at(call, req->DestHandleIndex));
	if (dst == NULL) {
		/* [MS-OXCROPS] 2.2.4.6.2: the response names the bad index */
		resp->DestHandleIndex = req->DestHandleIndex;
		return ecDstNullObject;
	}
	if (src == NULL || src->mf == NULL || dst->mf == NULL) {
		return ecNotSupported;
	}
	if (emsmdb_acl_check_fid(call, src->fid, req->WantCopy ? frightsReadAny :
				 frightsReadAny | frightsDeleteAny) != ecSuccess ||
	    emsmdb_acl_check(call, emsmdb_rop_object_at(call, req->DestHandleIndex),
			     frightsCreate) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	new_mids = talloc_array(call->mem_ctx, uint64_t, req->MessageIdCount + 1);
	if (new_mids == NULL) {
		return ecMAPIOOM;
	}
	resp->PartialCompletion = 0;
	return emsmdb_ms_ec(mapistore_folder_move_copy_messages(dst->mf, src->mf,
		req->MessageIds, req->MessageIdCount, req->WantCopy != 0, new_mids));
}

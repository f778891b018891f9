/*
 * Folder operations of the core ([MS-OXCFOLD]): routing by URI to a
 * backend context, FID/change-number allocation in openchangedb, URI
 * bookkeeping in indexing, and one traced wrapper per hook.
 */
#include "mapistore_private.h"
#include "mapistore_indexing.h"

#include <string.h>

static struct mapistore_folder *folder_new(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	struct mapistore_bctx *bctx, uint64_t fid)
{
	struct mapistore_folder *f = talloc_zero(mem_ctx, struct mapistore_folder);

	if (f == NULL) {
		return NULL;
	}
	f->obj.ctx = ctx;
	f->obj.ops = bctx->ops;
	f->obj.bobj.kind = MAPISTORE_OBJECT_FOLDER;
	f->bctx = bctx;
	f->fid = fid;
	return f;
}

/* The backend context serving @uri: the one whose root prefixes it, or a
 * new one rooted at @uri. */
static enum mapistore_error get_bctx(struct mapistore_context *ctx, const char *uri,
	bool may_create, struct mapistore_bctx **bctx_r)
{
	const struct mapistore_backend_ops *ops;
	struct mapistore_bctx *b;
	enum mapistore_error ret;
	char *name = NULL;
	uint64_t t0;

	for (b = ctx->bctxs; b != NULL; b = b->next) {
		if (strncmp(uri, b->root_uri, strlen(b->root_uri)) == 0) {
			*bctx_r = b;
			return MAPISTORE_SUCCESS;
		}
	}
	if (!may_create) {
		return MAPISTORE_ERR_CONTEXT_FAILED;
	}
	ret = mapistore_uri_backend(ctx, uri, &name);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_set_errmsg(ctx, "folder URI without a backend scheme");
		return MAPISTORE_ERR_CONTEXT_FAILED;
	}
	ops = mapistore_backend_lookup(name);
	if (ops == NULL) {
		mapistore_set_errmsg(ctx, "no backend named %s is loaded", name);
		talloc_free(name);
		return MAPISTORE_ERR_CONTEXT_FAILED;
	}
	talloc_free(name);
	b = talloc_zero(ctx, struct mapistore_bctx);
	if (b == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	b->ops = ops;
	b->root_uri = talloc_strdup(b, uri);
	if (b->root_uri == NULL) {
		talloc_free(b);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, ops, "context_new", t0,
		ops->context_new(b, &ctx->env, ctx->username, uri, &b->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(b);
		return ret;
	}
	b->next = ctx->bctxs;
	ctx->bctxs = b;
	*bctx_r = b;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, const char *uri, uint64_t fid,
	struct mapistore_folder **folder_r)
{
	struct mapistore_bctx *bctx = NULL;
	struct mapistore_folder *f;
	enum mapistore_error ret;
	uint64_t existing = 0;
	uint64_t t0;

	if (ctx == NULL || uri == NULL || folder_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_indexing_get_fmid(ctx->indexing, uri, &existing, NULL);
	if (ret == MAPISTORE_SUCCESS) {
		fid = existing;
	} else if (ret == MAPISTORE_ERR_NOT_FOUND && fid != 0) {
		ret = mapistore_indexing_add(ctx->indexing, fid, uri);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_ERR_INVALID_PARAMETER : ret;
	}
	ret = get_bctx(ctx, uri, true, &bctx);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	f = folder_new(mem_ctx, ctx, bctx, fid);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, bctx->ops, "folder_open_root", t0,
		bctx->ops->folder_open_root(f, bctx->b, fid, &f->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret;
	}
	f->obj.bobj.u.folder = f->b;
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

/* The topmost indexed folder above @fid (@fid itself for a root). */
static enum mapistore_error topmost_ancestor(struct mapistore_context *ctx, uint64_t fid,
	uint64_t *top_r)
{
	enum mapistore_error ret;
	uint64_t cur = fid, parent = 0;
	unsigned depth;

	for (depth = 0; depth < 64; depth++) {
		ret = mapistore_indexing_get_parent(ctx->indexing, cur, &parent, NULL, NULL);
		if (ret == MAPISTORE_ERR_NOT_FOUND || (ret == MAPISTORE_SUCCESS && parent == 0)) {
			break;   /* @cur is not below an indexed folder */
		}
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
		cur = parent;
	}
	*top_r = cur;
	return MAPISTORE_SUCCESS;
}

/* Open the root folder @fid once, so that its backend context exists. */
static enum mapistore_error open_root_by_fid(struct mapistore_context *ctx, uint64_t fid)
{
	struct mapistore_folder *root = NULL;
	enum mapistore_error ret;
	bool deleted = false;
	char *uri = NULL;

	ret = mapistore_indexing_get_uri(ctx, ctx->indexing, fid, &uri, &deleted);
	if (ret != MAPISTORE_SUCCESS) {
		return ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_ERR_CONTEXT_FAILED : ret;
	}
	ret = mapistore_folder_open_root(ctx, ctx, uri, fid, &root);
	talloc_free(uri);
	talloc_free(root);
	return ret;
}

enum mapistore_error mapistore_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, struct mapistore_folder **folder_r)
{
	struct mapistore_folder *root = NULL;
	struct mapistore_bctx *bctx = NULL;
	enum mapistore_error ret;
	uint64_t root_fid = 0;
	bool deleted = false;
	char *uri = NULL;

	if (ctx == NULL || folder_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_indexing_get_uri(ctx, ctx->indexing, fid, &uri, &deleted);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (deleted) {
		talloc_free(uri);
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	ret = get_bctx(ctx, uri, false, &bctx);
	if (ret == MAPISTORE_ERR_CONTEXT_FAILED) {
		/* not under a root opened in this context: open its root (the
		 * topmost indexed ancestor) first, then look again */
		uint64_t top = 0;

		ret = topmost_ancestor(ctx, fid, &top);
		if (ret == MAPISTORE_SUCCESS && top != fid) {
			ret = open_root_by_fid(ctx, top);
			if (ret == MAPISTORE_SUCCESS) {
				ret = get_bctx(ctx, uri, false, &bctx);
			}
		} else if (ret == MAPISTORE_SUCCESS) {
			ret = MAPISTORE_ERR_CONTEXT_FAILED;
		}
		if (ret == MAPISTORE_ERR_CONTEXT_FAILED) {
			/* @uri is itself a root */
			ret = mapistore_folder_open_root(mem_ctx, ctx, uri, fid, folder_r);
			talloc_free(uri);
			return ret;
		}
	}
	talloc_free(uri);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_indexing_get_fmid(ctx->indexing, bctx->root_uri, &root_fid, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_folder_open_root(mem_ctx, ctx, bctx->root_uri, root_fid, &root);
	if (ret != MAPISTORE_SUCCESS || root_fid == fid) {
		if (ret == MAPISTORE_SUCCESS) {
			*folder_r = root;
		}
		return ret;
	}
	ret = mapistore_folder_open_child(mem_ctx, root, fid, folder_r);
	if (ret == MAPISTORE_SUCCESS) {
		/* the child's backend object may refer to the root's: keep it */
		talloc_steal(*folder_r, root);
	} else {
		talloc_free(root);
	}
	return ret;
}

enum mapistore_error mapistore_folder_open_child(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, struct mapistore_folder **folder_r)
{
	struct mapistore_folder *f;
	enum mapistore_error ret;
	uint64_t t0;

	if (parent == NULL || folder_r == NULL || fid == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	f = folder_new(mem_ctx, parent->obj.ctx, parent->bctx, fid);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(f->obj.ctx, f->obj.ops, "folder_open", t0,
		f->obj.ops->folder_open(f, parent->b, fid, &f->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret;
	}
	f->obj.bobj.u.folder = f->b;
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r)
{
	enum mapistore_error ret;
	uint64_t fid = 0;

	if (parent == NULL || folder_r == NULL || count > MAPISTORE_MAX_PROPERTIES ||
	    (count > 0 && props == NULL) ||
	    mapistore_properties_find(props, count, 0x3001001F) < 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(parent->obj.ctx, &fid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_folder_create_as(mem_ctx, parent, fid, props, count, folder_r);
}

enum mapistore_error mapistore_folder_create_as(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r)
{
	struct mapistore_change c = { 0 };
	struct mapistore_property *all = NULL;
	struct mapistore_context *ctx = parent->obj.ctx;
	struct mapistore_folder *f;
	enum mapistore_error ret;
	uint64_t cn = 0, t0;
	uint32_t stamped = 0;
	char *uri = NULL;

	ret = mapistore_new_id(ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	f = folder_new(mem_ctx, ctx, parent->bctx, fid);
	all = f ? talloc_array(f, struct mapistore_property, count + 5) : NULL;
	if (all == NULL) {
		talloc_free(f);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	/* [MS-OXCFXICS] 2.2.1.2: the folder is born with its keys and PCL */
	c.is_folder = true;
	c.parent_fid = parent->fid;
	ret = mapistore_track_stamp(all, ctx, fid, cn, NULL, NULL, NULL, parent->fid, &c,
				    all + count, &stamped);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret;
	}
	if (count > 0) {
		memcpy(all, props, sizeof(*props) * count);
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, f->obj.ops, "folder_create", t0,
		f->obj.ops->folder_create(f, parent->b, fid, cn, all, count + stamped, &f->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret;
	}
	f->obj.bobj.u.folder = f->b;
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, f->obj.ops, "folder_get_uri", t0,
		f->obj.ops->folder_get_uri(f, f->b, &uri));
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_indexing_add_child(ctx->indexing, fid, uri, parent->fid, false);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_put(ctx, &c);
	}
	if (ret != MAPISTORE_SUCCESS) {
		/* undo, so the backend holds no folder indexing cannot reach */
		(void)f->obj.ops->folder_delete(f->b, DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE, cn);
		talloc_free(f);
		return ret;
	}
	talloc_free(uri);
	talloc_free(all);
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

uint64_t mapistore_folder_get_fid(const struct mapistore_folder *folder)
{
	return folder->fid;
}

enum mapistore_error mapistore_folder_delete(struct mapistore_folder *folder, uint8_t flags)
{
	struct mapistore_context *ctx;
	enum mapistore_error ret;
	uint64_t cn = 0, t0;

	if (folder == NULL || (flags & ~(DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE)) != 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ctx = folder->obj.ctx;
	ret = mapistore_new_id(ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* the intent first: a crash after the backend's commit leaves it
	 * for mapistore_intents_replay() (mapistore_intents.c) */
	ret = mapistore_intent_begin(ctx, MAPISTORE_INTENT_DELETE_FOLDER, 0, &folder->fid, 1,
				     (flags & DELETE_HARD_DELETE) != 0);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, folder->obj.ops, "folder_delete", t0,
		folder->obj.ops->folder_delete(folder->b, flags, cn));
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_intent_end(ctx, MAPISTORE_INTENT_DELETE_FOLDER, &folder->fid, 1);
		return ret;
	}
	if (flags & DELETE_HARD_DELETE) {
		ret = mapistore_indexing_delete(ctx->indexing, folder->fid);
	} else {
		ret = mapistore_indexing_set_soft_deleted(ctx->indexing, folder->fid, true);
	}
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return ret;
	}
	ret = mapistore_track_folder_gone(ctx, folder->fid, 0,
					  (flags & DELETE_HARD_DELETE) != 0);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_intent_end(ctx, MAPISTORE_INTENT_DELETE_FOLDER, &folder->fid, 1);
	}
	return ret;
}

enum mapistore_error mapistore_folder_move(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name)
{
	struct mapistore_context *ctx;
	enum mapistore_error ret;
	uint64_t cn = 0, t0;
	char *uri = NULL;

	if (folder == NULL || new_parent == NULL || folder->bctx != new_parent->bctx) {
		return folder && new_parent ? MAPISTORE_ERR_NOT_SUPPORTED
					    : MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ctx = folder->obj.ctx;
	ret = mapistore_new_id(ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, folder->obj.ops, "folder_move", t0,
		folder->obj.ops->folder_move(folder->b, new_parent->b, new_name, cn));
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = folder->obj.ops->folder_get_uri(folder, folder->b, &uri);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_indexing_update(ctx->indexing, folder->fid, uri);
		talloc_free(uri);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_indexing_set_parent(ctx->indexing, folder->fid, new_parent->fid);
	}
	if (ret == MAPISTORE_SUCCESS) {
		/* a moved folder is a change under its new parent ([MS-OXCFXICS]
		 * 3.2.5.3: folderChange with the new PidTagParentSourceKey) */
		ret = mapistore_track_folder_change(folder, new_parent->fid);
	}
	return ret;
}

static enum mapistore_error core_id_alloc(void *alloc_ctx, uint64_t *id_r)
{
	return mapistore_new_id(alloc_ctx, id_r);
}

enum mapistore_error mapistore_folder_copy(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name, bool recursive,
	uint64_t *new_fid_r)
{
	struct mapistore_folder *copy = NULL;
	struct mapistore_context *ctx;
	enum mapistore_error ret;
	uint64_t fid = 0, t0;
	char *uri = NULL;

	if (folder == NULL || new_parent == NULL || new_fid_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (folder->bctx != new_parent->bctx) {
		return MAPISTORE_ERR_NOT_SUPPORTED;
	}
	ctx = folder->obj.ctx;
	ret = mapistore_new_id(ctx, &fid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(ctx, folder->obj.ops, "folder_copy", t0,
		folder->obj.ops->folder_copy(folder->b, new_parent->b, fid, new_name,
					     recursive, core_id_alloc, ctx));
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_folder_open_child(ctx, new_parent, fid, &copy);
	if (ret == MAPISTORE_SUCCESS) {
		ret = copy->obj.ops->folder_get_uri(copy, copy->b, &uri);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_indexing_add_child(ctx->indexing, fid, uri, new_parent->fid, false);
	}
	/* the copies are new objects: new keys, CNs and PCLs, indexed */
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_new_folder(copy, new_parent->fid, true);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_copied_tree(copy, 0);
	}
	talloc_free(copy);
	if (ret == MAPISTORE_SUCCESS) {
		*new_fid_r = fid;
	}
	return ret;
}

enum mapistore_error mapistore_folder_empty(struct mapistore_folder *folder,
	bool delete_subfolders)
{
	enum mapistore_error ret;
	uint64_t cn = 0, t0;

	if (folder == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(folder->obj.ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_empty", t0,
		folder->obj.ops->folder_empty(folder->b, delete_subfolders, cn));
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_track_emptied(folder, delete_subfolders);
}

enum mapistore_error mapistore_folder_get_child_count(struct mapistore_folder *folder,
	enum mapistore_table_type table_type, uint32_t *count_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (folder == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_get_child_count", t0,
		folder->obj.ops->folder_get_child_count(folder->b, table_type, count_r));
}

enum mapistore_error mapistore_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, enum mapistore_table_type table_type,
	uint64_t since_cn, uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (folder == NULL || fmids_r == NULL || count_r == NULL || cn_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_get_deleted_fmids", t0,
		folder->obj.ops->folder_get_deleted_fmids(mem_ctx, folder->b, table_type,
							  since_cn, fmids_r, count_r, cn_r));
}

enum mapistore_error mapistore_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, struct mapistore_permission **perms_r,
	uint32_t *count_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (folder == NULL || perms_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_get_permissions", t0,
		folder->obj.ops->folder_get_permissions(mem_ctx, folder->b, perms_r, count_r));
}

enum mapistore_error mapistore_folder_set_permissions(struct mapistore_folder *folder,
	const struct mapistore_permission *perms, uint32_t count)
{
	uint64_t t0 = mapistore_now_ns();

	if (folder == NULL || count > MAPISTORE_MAX_PROPERTIES || (count > 0 && perms == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_set_permissions", t0,
		folder->obj.ops->folder_set_permissions(folder->b, perms, count));
}

enum mapistore_error mapistore_folder_delete_messages(struct mapistore_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard)
{
	enum mapistore_error ret;
	uint64_t cn = 0, t0;

	if (folder == NULL || (count > 0 && mids == NULL) || count > MAPISTORE_MAX_QUERY_ROWS) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(folder->obj.ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_intent_begin(folder->obj.ctx, MAPISTORE_INTENT_DELETE_MESSAGE,
				     folder->fid, mids, count, hard);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(folder->obj.ctx, folder->obj.ops, "folder_delete_messages", t0,
		folder->obj.ops->folder_delete_messages(folder->b, mids, count, hard, cn));
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_track_bury_messages(folder->obj.ctx, folder->fid, mids, count,
						    hard);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;   /* the intents stay: the next context completes it */
		}
	}
	mapistore_intent_end(folder->obj.ctx, MAPISTORE_INTENT_DELETE_MESSAGE, mids, count);
	return ret;
}

enum mapistore_error mapistore_folder_move_copy_messages(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, uint32_t count,
	bool want_copy, uint64_t *new_mids_r)
{
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint64_t cn = 0, t0;
	uint32_t i;

	if (dst == NULL || src == NULL || (count > 0 && (mids == NULL || new_mids_r == NULL)) ||
	    count > MAPISTORE_MAX_QUERY_ROWS) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (dst->bctx->ops != src->bctx->ops) {
		/* another backend: through the API, object by object */
		return mapistore_move_copy_generic(dst, src, mids, count, want_copy, new_mids_r);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		ret = mapistore_new_id(dst->obj.ctx, &new_mids_r[i]);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_new_id(dst->obj.ctx, &cn);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(dst->obj.ctx, dst->obj.ops, "folder_move_copy_messages", t0,
		dst->obj.ops->folder_move_copy_messages(dst->b, src->b, mids, new_mids_r,
							count, want_copy, cn));
	if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
		/* the backend cannot do this pair (e.g. two contexts) itself */
		return mapistore_move_copy_generic(dst, src, mids, count, want_copy, new_mids_r);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_track_moved(dst, src, mids, new_mids_r, count, want_copy);
}

struct mapistore_object *mapistore_folder_object(struct mapistore_folder *folder)
{
	return folder ? &folder->obj : NULL;
}

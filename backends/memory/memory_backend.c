/*
 * The memory backend: contexts, root folders and folder hooks
 * ([MS-OXCFOLD]), and the ops table. The reference implementation of
 * mapistore_backend.h: every hook is implemented.
 */
#include "memory_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The registered name; testsuite/backends builds this backend once more
 * as a dlopen'd module under another name. */
#ifndef MEMORY_BACKEND_NAME
#define MEMORY_BACKEND_NAME "memory"
#endif

static enum mapistore_error memory_init(void)
{
	return MAPISTORE_SUCCESS;   /* no process-wide state */
}

/* The standard special folders ([MS-OXOSFLD]), as memory://<user>/<path>/
 * (the scheme is the registered name: URIs route folders to backends). */
static enum mapistore_error memory_list_root_folders(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env, const char *username,
	struct mapistore_root_folder **folders_r, uint32_t *count_r)
{
	return mapistore_backend_standard_roots(mem_ctx, MEMORY_BACKEND_NAME, username, folders_r, count_r);
}

static enum mapistore_error memory_context_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env, const char *username,
	const char *uri, struct mapistore_backend_context **ctx_r)
{
	struct mapistore_backend_context *ctx;

	if (uri == NULL || strstr(uri, "://") == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ctx = talloc_zero(mem_ctx, struct mapistore_backend_context);
	if (ctx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ctx->env = env;
	ctx->username = talloc_strdup(ctx, username);
	ctx->root_uri = talloc_strdup(ctx, uri);
	ctx->graveyard = talloc_new(ctx);
	ctx->root = talloc_zero(ctx, struct memory_folder);
	if (ctx->username == NULL || ctx->root_uri == NULL || ctx->graveyard == NULL ||
	    ctx->root == NULL) {
		talloc_free(ctx);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*ctx_r = ctx;
	return MAPISTORE_SUCCESS;
}

uint32_t memory_folder_count(const struct memory_folder *f, enum mapistore_table_type type)
{
	uint32_t i, n = 0;

	switch (type) {
	case MAPISTORE_FOLDER_TABLE:
		return f->child_count;
	case MAPISTORE_MESSAGE_TABLE:
	case MAPISTORE_FAI_TABLE:
		for (i = 0; i < f->message_count; i++) {
			n += f->messages[i]->fai == (type == MAPISTORE_FAI_TABLE);
		}
		return n;
	case MAPISTORE_PERMISSIONS_TABLE:
		return f->perm_count;
	default:
		return 0;
	}
}

struct memory_folder *memory_folder_find(struct memory_folder *root, uint64_t fid)
{
	uint32_t i;

	if (root->fid == fid) {
		return root;
	}
	for (i = 0; i < root->child_count; i++) {
		struct memory_folder *found = memory_folder_find(root->children[i], fid);

		if (found != NULL) {
			return found;
		}
	}
	return NULL;
}

enum mapistore_error memory_folder_computed(TALLOC_CTX *mem_ctx, const struct memory_folder *f,
	struct mapistore_property **props_r, uint32_t *count_r)
{
	struct mapistore_property c[] = {
		{ .proptag = PidTagFolderId, .value.i64 = (int64_t)f->fid },
		{ .proptag = PidTagParentFolderId, .value.i64 = f->parent ? (int64_t)f->parent->fid : 0 },
		{ .proptag = PidTagChangeNumber, .value.i64 = (int64_t)f->cn },
		{ .proptag = PidTagContentCount,
		  .value.i32 = (int32_t)memory_folder_count(f, MAPISTORE_MESSAGE_TABLE) },
		{ .proptag = PidTagAssociatedContentCount,
		  .value.i32 = (int32_t)memory_folder_count(f, MAPISTORE_FAI_TABLE) },
		{ .proptag = PidTagFolderChildCount, .value.i32 = (int32_t)f->child_count },
		{ .proptag = PidTagSubfolders, .value.b = f->child_count > 0 },
	};

	*props_r = talloc_memdup(mem_ctx, c, sizeof(c));
	*count_r = sizeof(c) / sizeof(c[0]);
	return *props_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

static struct mapistore_backend_folder *folder_handle(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, struct memory_folder *data)
{
	struct mapistore_backend_folder *f = talloc_zero(mem_ctx, struct mapistore_backend_folder);

	if (f != NULL) {
		f->ctx = ctx;
		f->data = data;
	}
	return f;
}

static enum mapistore_error memory_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	struct mapistore_backend_folder *f;

	if (ctx->root->fid != 0 && ctx->root->fid != fid) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ctx->root->fid = fid;
	f = folder_handle(mem_ctx, ctx, ctx->root);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	struct memory_folder *data;
	struct mapistore_backend_folder *f;

	if (parent->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	data = memory_folder_find(parent->data, fid);
	if (data == NULL || data == parent->data) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	f = folder_handle(mem_ctx, parent->ctx, data);
	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

static const char *folder_name(const struct memory_folder *f)
{
	const struct mapistore_property *p = mapistore_property_list_find(&f->props, PidTagDisplayName);

	return p != NULL ? p->value.str : "";
}

static struct memory_folder *child_named(const struct memory_folder *parent, const char *name)
{
	uint32_t i;

	for (i = 0; i < parent->child_count; i++) {
		if (strcasecmp(folder_name(parent->children[i]), name) == 0) {
			return parent->children[i];
		}
	}
	return NULL;
}

static enum mapistore_error attach_child(struct memory_folder *parent, struct memory_folder *child)
{
	struct memory_folder **grown = talloc_realloc(parent, parent->children,
		struct memory_folder *, parent->child_count + 1);

	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	parent->children = grown;
	grown[parent->child_count++] = child;
	talloc_steal(parent, child);
	child->parent = parent;
	return MAPISTORE_SUCCESS;
}

static void detach_child(struct memory_folder *child)
{
	struct memory_folder *parent = child->parent;
	uint32_t i;

	for (i = 0; parent != NULL && i < parent->child_count; i++) {
		if (parent->children[i] == child) {
			memmove(&parent->children[i], &parent->children[i + 1],
				sizeof(parent->children[0]) * (parent->child_count - i - 1));
			parent->child_count--;
			break;
		}
	}
	child->parent = NULL;
}

static enum mapistore_error record_deleted(struct memory_folder *f, uint64_t fmid, uint64_t cn,
	enum mapistore_table_type type)
{
	struct memory_deleted *grown = talloc_realloc(f, f->deleted_items, struct memory_deleted,
						      f->deleted_count + 1);

	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	f->deleted_items = grown;
	grown[f->deleted_count].fmid = fmid;
	grown[f->deleted_count].cn = cn;
	grown[f->deleted_count].type = type;
	f->deleted_count++;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid, uint64_t change_number,
	const struct mapistore_property *props, uint32_t prop_count,
	struct mapistore_backend_folder **folder_r)
{
	const struct mapistore_property *name;
	struct memory_folder *data;
	struct mapistore_backend_folder *f;
	enum mapistore_error ret;
	int idx;

	if (parent->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	idx = mapistore_properties_find(props, prop_count, PidTagDisplayName);
	if (idx < 0 || props[idx].value.str == NULL || props[idx].value.str[0] == '\0') {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	name = &props[idx];
	if (child_named(parent->data, name->value.str) != NULL) {
		return MAPISTORE_ERR_EXISTS;
	}
	if (memory_folder_find(parent->ctx->root, fid) != NULL) {
		return MAPISTORE_ERR_EXISTS;
	}
	data = talloc_zero(parent->data, struct memory_folder);
	if (data == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	data->fid = fid;
	data->cn = change_number;
	ret = mapistore_property_list_set(data, &data->props, props, prop_count);
	if (ret == MAPISTORE_SUCCESS) {
		ret = attach_child(parent->data, data);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(data);
		return ret;
	}
	f = folder_handle(mem_ctx, parent->ctx, data);
	if (f == NULL) {
		detach_child(data);
		talloc_free(data);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*folder_r = f;
	return MAPISTORE_SUCCESS;
}

/* Mark a subtree deleted (handles keep pointing at it). */
static void mark_deleted(struct memory_folder *f)
{
	uint32_t i;

	f->deleted = true;
	for (i = 0; i < f->child_count; i++) {
		mark_deleted(f->children[i]);
	}
}

static enum mapistore_error memory_folder_delete(struct mapistore_backend_folder *folder,
	uint8_t flags, uint64_t change_number)
{
	struct memory_folder *f = folder->data;

	if (f->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (f->parent == NULL) {
		return MAPISTORE_ERR_NO_ACCESS;   /* a root goes with its backend */
	}
	if (f->child_count > 0 && !(flags & DEL_FOLDERS)) {
		return MAPISTORE_ERR_HAS_CHILDREN;
	}
	if (f->message_count > 0 && !(flags & DEL_MESSAGES)) {
		return MAPISTORE_ERR_HAS_MESSAGES;
	}
	if (record_deleted(f->parent, f->fid, change_number, MAPISTORE_FOLDER_TABLE) !=
	    MAPISTORE_SUCCESS) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	detach_child(f);
	mark_deleted(f);
	talloc_steal(folder->ctx->graveyard, f);
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_move(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, const char *new_name,
	uint64_t change_number)
{
	struct memory_folder *f = folder->data, *p;
	struct memory_folder *old_parent = f->parent;
	const char *name = new_name ? new_name : folder_name(f);
	enum mapistore_error ret;

	if (f->deleted || new_parent->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (f->parent == NULL) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	for (p = new_parent->data; p != NULL; p = p->parent) {
		if (p == f) {
			return MAPISTORE_ERR_INVALID_PARAMETER;   /* into itself */
		}
	}
	if (child_named(new_parent->data, name) != NULL && child_named(new_parent->data, name) != f) {
		return MAPISTORE_ERR_EXISTS;
	}
	if (new_name != NULL) {
		struct mapistore_property dn = { .proptag = PidTagDisplayName,
			.value.str = discard_const_p(char, new_name) };

		ret = mapistore_property_list_set(f, &f->props, &dn, 1);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	detach_child(f);
	ret = attach_child(new_parent->data, f);
	if (ret != MAPISTORE_SUCCESS) {
		(void)attach_child(old_parent, f);
		return ret;
	}
	f->cn = change_number;
	return record_deleted(old_parent, f->fid, change_number, MAPISTORE_FOLDER_TABLE);
}

static enum mapistore_error copy_tree(struct memory_folder *dst_parent,
	const struct memory_folder *src, uint64_t fid, bool recursive,
	enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r), void *alloc_ctx,
	struct memory_folder **copy_r)
{
	struct memory_folder *copy = talloc_zero(dst_parent, struct memory_folder);
	enum mapistore_error ret;
	uint32_t i;

	if (copy == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	copy->fid = fid;
	copy->cn = src->cn;
	ret = memory_props_copy(copy, &copy->props, &src->props);
	for (i = 0; ret == MAPISTORE_SUCCESS && i < src->message_count; i++) {
		struct memory_message *m = NULL;
		struct memory_message **grown;

		ret = memory_message_clone(copy, src->messages[i], &m);
		if (ret == MAPISTORE_SUCCESS) {
			ret = id_alloc(alloc_ctx, &m->mid);
		}
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		grown = talloc_realloc(copy, copy->messages, struct memory_message *,
				       copy->message_count + 1);
		if (grown == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		copy->messages = grown;
		grown[copy->message_count++] = m;
	}
	for (i = 0; recursive && ret == MAPISTORE_SUCCESS && i < src->child_count; i++) {
		struct memory_folder *sub = NULL;
		uint64_t sub_fid = 0;

		ret = id_alloc(alloc_ctx, &sub_fid);
		if (ret == MAPISTORE_SUCCESS) {
			ret = copy_tree(copy, src->children[i], sub_fid, true, id_alloc, alloc_ctx, &sub);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = attach_child(copy, sub);
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(copy);
		return ret;
	}
	*copy_r = copy;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_copy(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, uint64_t new_fid, const char *new_name,
	bool recursive, enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r),
	void *alloc_ctx)
{
	const char *name = new_name ? new_name : folder_name(folder->data);
	struct memory_folder *copy = NULL, *p;
	enum mapistore_error ret;

	if (folder->data->deleted || new_parent->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	for (p = new_parent->data; recursive && p != NULL; p = p->parent) {
		if (p == folder->data) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	if (child_named(new_parent->data, name) != NULL) {
		return MAPISTORE_ERR_EXISTS;
	}
	ret = copy_tree(new_parent->data, folder->data, new_fid, recursive, id_alloc, alloc_ctx, &copy);
	if (ret == MAPISTORE_SUCCESS && new_name != NULL) {
		struct mapistore_property dn = { .proptag = PidTagDisplayName,
			.value.str = discard_const_p(char, new_name) };

		ret = mapistore_property_list_set(copy, &copy->props, &dn, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = attach_child(new_parent->data, copy);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(copy);
	}
	return ret;
}

static enum mapistore_error memory_folder_empty(struct mapistore_backend_folder *folder,
	bool delete_subfolders, uint64_t change_number)
{
	struct memory_folder *f = folder->data;
	enum mapistore_error ret = MAPISTORE_SUCCESS;

	if (f->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	/* [MS-OXCFOLD] 3.2.5.9: normal messages only; FAI stay */
	while (ret == MAPISTORE_SUCCESS) {
		uint32_t i;
		bool found = false;

		for (i = 0; i < f->message_count; i++) {
			if (!f->messages[i]->fai) {
				struct memory_message *m = f->messages[i];

				ret = record_deleted(f, m->mid, change_number, MAPISTORE_MESSAGE_TABLE);
				memmove(&f->messages[i], &f->messages[i + 1],
					sizeof(f->messages[0]) * (f->message_count - i - 1));
				f->message_count--;
				talloc_steal(folder->ctx->graveyard, m);
				found = true;
				break;
			}
		}
		if (!found) {
			break;
		}
	}
	while (ret == MAPISTORE_SUCCESS && delete_subfolders && f->child_count > 0) {
		struct memory_folder *c = f->children[0];

		ret = record_deleted(f, c->fid, change_number, MAPISTORE_FOLDER_TABLE);
		detach_child(c);
		mark_deleted(c);
		talloc_steal(folder->ctx->graveyard, c);
	}
	return ret;
}

static enum mapistore_error memory_folder_get_child_count(struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type, uint32_t *count_r)
{
	if (folder->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	*count_r = memory_folder_count(folder->data, table_type);
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	uint64_t since_cn, uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r)
{
	struct memory_folder *f = folder->data;
	uint64_t *fmids, max_cn = since_cn;
	uint32_t i, n = 0;

	fmids = talloc_array(mem_ctx, uint64_t, f->deleted_count ? f->deleted_count : 1);
	if (fmids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < f->deleted_count; i++) {
		const struct memory_deleted *d = &f->deleted_items[i];

		/* change numbers compare by GLOBCNT, not by the uint64 form */
		if (d->type == table_type &&
		    mapistore_fmid_globcnt(d->cn) > mapistore_fmid_globcnt(since_cn)) {
			fmids[n++] = d->fmid;
			if (mapistore_fmid_globcnt(d->cn) > mapistore_fmid_globcnt(max_cn)) {
				max_cn = d->cn;
			}
		}
	}
	*fmids_r = fmids;
	*count_r = n;
	*cn_r = max_cn;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, struct mapistore_permission **perms_r,
	uint32_t *count_r)
{
	struct memory_folder *f = folder->data;
	struct mapistore_permission *p;
	uint32_t i;

	p = talloc_zero_array(mem_ctx, struct mapistore_permission, f->perm_count ? f->perm_count : 1);
	if (p == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < f->perm_count; i++) {
		p[i] = f->perms[i];
		p[i].name = talloc_strdup(p, f->perms[i].name ? f->perms[i].name : "");
		if (p[i].name == NULL) {
			talloc_free(p);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	*perms_r = p;
	*count_r = f->perm_count;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_set_permissions(struct mapistore_backend_folder *folder,
	const struct mapistore_permission *perms, uint32_t count)
{
	struct memory_folder *f = folder->data;
	struct mapistore_permission *p;
	uint32_t i;

	if (f->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	p = talloc_zero_array(f, struct mapistore_permission, count ? count : 1);
	if (p == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		p[i] = perms[i];
		p[i].name = talloc_strdup(p, perms[i].name ? perms[i].name : "");
		if (p[i].name == NULL) {
			talloc_free(p);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	talloc_free(f->perms);
	f->perms = p;
	f->perm_count = count;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error memory_folder_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, char **uri_r)
{
	if (folder->data->parent == NULL) {
		*uri_r = talloc_strdup(mem_ctx, folder->ctx->root_uri);
	} else {
		*uri_r = talloc_asprintf(mem_ctx, "%s0x%016" PRIx64 "/", folder->ctx->root_uri,
					 folder->data->fid);
	}
	return *uri_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

const struct mapistore_backend_ops memory_backend_ops = {
	.abi_version = MAPISTORE_BACKEND_ABI_VERSION,
	.name = MEMORY_BACKEND_NAME,
	.description = "in-memory reference backend (data lives with the context)",
	.capabilities = MAPISTORE_CAP_TABLE_FIND | MAPISTORE_CAP_TABLE_RESTRICT |
			MAPISTORE_CAP_TABLE_SORT | MAPISTORE_CAP_PERMISSIONS |
			MAPISTORE_CAP_STREAMS | MAPISTORE_CAP_SUBMIT |
			MAPISTORE_CAP_DELETED_SINCE | MAPISTORE_CAP_EMBEDDED,
	.init = memory_init,
	.context_new = memory_context_new,
	.list_root_folders = memory_list_root_folders,
	.folder_open_root = memory_folder_open_root,
	.folder_open = memory_folder_open,
	.folder_create = memory_folder_create,
	.folder_delete = memory_folder_delete,
	.folder_move = memory_folder_move,
	.folder_copy = memory_folder_copy,
	.folder_empty = memory_folder_empty,
	.folder_get_child_count = memory_folder_get_child_count,
	.folder_open_table = memory_folder_open_table,
	.folder_get_deleted_fmids = memory_folder_get_deleted_fmids,
	.folder_get_permissions = memory_folder_get_permissions,
	.folder_set_permissions = memory_folder_set_permissions,
	.folder_get_uri = memory_folder_get_uri,
	.message_open = memory_message_open,
	.message_create = memory_message_create,
	.message_save = memory_message_save,
	.folder_delete_messages = memory_folder_delete_messages,
	.folder_move_copy_messages = memory_folder_move_copy_messages,
	.message_get_recipients = memory_message_get_recipients,
	.message_modify_recipients = memory_message_modify_recipients,
	.message_set_read_flag = memory_message_set_read_flag,
	.message_submit = memory_message_submit,
	.message_open_attachment_table = memory_message_open_attachment_table,
	.message_create_attachment = memory_message_create_attachment,
	.message_open_attachment = memory_message_open_attachment,
	.message_delete_attachment = memory_message_delete_attachment,
	.attachment_open_embedded = memory_attachment_open_embedded,
	.table_set_columns = memory_table_set_columns,
	.table_set_restriction = memory_table_set_restriction,
	.table_set_sort_order = memory_table_set_sort_order,
	.table_get_row_count = memory_table_get_row_count,
	.table_get_rows = memory_table_get_rows,
	.table_find_row = memory_table_find_row,
	.properties_get = memory_properties_get,
	.properties_set = memory_properties_set,
	.properties_delete = memory_properties_delete,
	.properties_list = memory_properties_list,
	.stream_open = memory_stream_open,
	.stream_read = memory_stream_read,
	.stream_write = memory_stream_write,
	.stream_seek = memory_stream_seek,
	.stream_get_size = memory_stream_get_size,
	.stream_commit = memory_stream_commit,
};

enum mapistore_error mapistore_memory_backend_register(void)
{
	return mapistore_backend_register(&memory_backend_ops);
}

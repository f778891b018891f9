/*
 * Default hooks: the loader puts one of these in every NULL slot of a
 * backend's ops, so the core never tests for NULL. Each returns
 * MAPISTORE_ERR_NOT_SUPPORTED (init: success, nothing to do).
 *
 * Generated from struct mapistore_backend_ops; keep in the same order.
 */
#include "mapistore_private.h"

static enum mapistore_error default_init(void)
{
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error default_context_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env,
	const char *username,
	const char *uri,
	struct mapistore_backend_context **ctx_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_list_root_folders(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env,
	const char *username,
	struct mapistore_root_folder **folders_r,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx,
	uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent,
	uint64_t fid,
	struct mapistore_backend_folder **folder_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent,
	uint64_t fid,
	uint64_t change_number,
	const struct mapistore_property *props,
	uint32_t prop_count,
	struct mapistore_backend_folder **folder_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_delete(struct mapistore_backend_folder *folder,
	uint8_t flags,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_move(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent,
	const char *new_name,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_copy(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent,
	uint64_t new_fid,
	const char *new_name,
	bool recursive,
	enum mapistore_error (*id_alloc)(void *alloc_ctx,
	uint64_t *id_r),
	void *alloc_ctx)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_empty(struct mapistore_backend_folder *folder,
	bool delete_subfolders,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_get_child_count(struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type,
	struct mapistore_backend_table **table_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type,
	uint64_t since_cn,
	uint64_t **fmids_r,
	uint32_t *count_r,
	uint64_t *cn_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	struct mapistore_permission **perms_r,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_set_permissions(struct mapistore_backend_folder *folder,
	const struct mapistore_permission *perms,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	char **uri_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	uint64_t mid,
	bool read_write,
	struct mapistore_backend_message **msg_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder,
	uint64_t mid,
	bool associated,
	struct mapistore_backend_message **msg_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_save(struct mapistore_backend_message *msg,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_delete_messages(struct mapistore_backend_folder *folder,
	const uint64_t *mids,
	uint32_t count,
	bool hard,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_folder_move_copy_messages(struct mapistore_backend_folder *dst,
	struct mapistore_backend_folder *src,
	const uint64_t *mids,
	const uint64_t *new_mids,
	uint32_t count,
	bool want_copy,
	uint64_t change_number)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg,
	struct mapistore_recipient **recipients_r,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_modify_recipients(struct mapistore_backend_message *msg,
	const struct mapistore_recipient *recipients,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_set_read_flag(struct mapistore_backend_message *msg,
	uint8_t flags)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_submit(struct mapistore_backend_message *msg,
	uint32_t flags)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg,
	struct mapistore_backend_table **table_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg,
	struct mapistore_backend_attachment **att_r,
	uint32_t *aid_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg,
	uint32_t aid,
	struct mapistore_backend_attachment **att_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_message_delete_attachment(struct mapistore_backend_message *msg,
	uint32_t aid)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_attachment *att,
	bool create,
	struct mapistore_backend_message **msg_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_set_columns(struct mapistore_backend_table *table,
	const uint32_t *proptags,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_set_restriction(struct mapistore_backend_table *table,
	const struct mapistore_restriction *res)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_set_sort_order(struct mapistore_backend_table *table,
	const struct mapistore_sort_order *order,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_get_row_count(struct mapistore_backend_table *table,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *table,
	uint32_t position,
	uint32_t count,
	struct mapistore_row **rows_r,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_table_find_row(struct mapistore_backend_table *table,
	uint64_t fmid,
	uint32_t *position_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj,
	const uint32_t *proptags,
	uint32_t count,
	struct mapistore_property **props_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags,
	uint32_t count)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj,
	uint32_t **proptags_r,
	uint32_t *count_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj,
	uint32_t proptag,
	enum mapistore_stream_mode mode,
	struct mapistore_backend_stream **stream_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf,
	size_t size,
	size_t *read_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf,
	size_t size)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset,
	int origin,
	uint64_t *position_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

static enum mapistore_error default_stream_commit(struct mapistore_backend_stream *stream)
{
	return MAPISTORE_ERR_NOT_SUPPORTED;
}

void mapistore_backend_fill_defaults(struct mapistore_backend_ops *ops)
{
	if (ops->init == NULL) {
		ops->init = default_init;
	}
	if (ops->context_new == NULL) {
		ops->context_new = default_context_new;
	}
	if (ops->list_root_folders == NULL) {
		ops->list_root_folders = default_list_root_folders;
	}
	if (ops->folder_open_root == NULL) {
		ops->folder_open_root = default_folder_open_root;
	}
	if (ops->folder_open == NULL) {
		ops->folder_open = default_folder_open;
	}
	if (ops->folder_create == NULL) {
		ops->folder_create = default_folder_create;
	}
	if (ops->folder_delete == NULL) {
		ops->folder_delete = default_folder_delete;
	}
	if (ops->folder_move == NULL) {
		ops->folder_move = default_folder_move;
	}
	if (ops->folder_copy == NULL) {
		ops->folder_copy = default_folder_copy;
	}
	if (ops->folder_empty == NULL) {
		ops->folder_empty = default_folder_empty;
	}
	if (ops->folder_get_child_count == NULL) {
		ops->folder_get_child_count = default_folder_get_child_count;
	}
	if (ops->folder_open_table == NULL) {
		ops->folder_open_table = default_folder_open_table;
	}
	if (ops->folder_get_deleted_fmids == NULL) {
		ops->folder_get_deleted_fmids = default_folder_get_deleted_fmids;
	}
	if (ops->folder_get_permissions == NULL) {
		ops->folder_get_permissions = default_folder_get_permissions;
	}
	if (ops->folder_set_permissions == NULL) {
		ops->folder_set_permissions = default_folder_set_permissions;
	}
	if (ops->folder_get_uri == NULL) {
		ops->folder_get_uri = default_folder_get_uri;
	}
	if (ops->message_open == NULL) {
		ops->message_open = default_message_open;
	}
	if (ops->message_create == NULL) {
		ops->message_create = default_message_create;
	}
	if (ops->message_save == NULL) {
		ops->message_save = default_message_save;
	}
	if (ops->folder_delete_messages == NULL) {
		ops->folder_delete_messages = default_folder_delete_messages;
	}
	if (ops->folder_move_copy_messages == NULL) {
		ops->folder_move_copy_messages = default_folder_move_copy_messages;
	}
	if (ops->message_get_recipients == NULL) {
		ops->message_get_recipients = default_message_get_recipients;
	}
	if (ops->message_modify_recipients == NULL) {
		ops->message_modify_recipients = default_message_modify_recipients;
	}
	if (ops->message_set_read_flag == NULL) {
		ops->message_set_read_flag = default_message_set_read_flag;
	}
	if (ops->message_submit == NULL) {
		ops->message_submit = default_message_submit;
	}
	if (ops->message_open_attachment_table == NULL) {
		ops->message_open_attachment_table = default_message_open_attachment_table;
	}
	if (ops->message_create_attachment == NULL) {
		ops->message_create_attachment = default_message_create_attachment;
	}
	if (ops->message_open_attachment == NULL) {
		ops->message_open_attachment = default_message_open_attachment;
	}
	if (ops->message_delete_attachment == NULL) {
		ops->message_delete_attachment = default_message_delete_attachment;
	}
	if (ops->attachment_open_embedded == NULL) {
		ops->attachment_open_embedded = default_attachment_open_embedded;
	}
	if (ops->table_set_columns == NULL) {
		ops->table_set_columns = default_table_set_columns;
	}
	if (ops->table_set_restriction == NULL) {
		ops->table_set_restriction = default_table_set_restriction;
	}
	if (ops->table_set_sort_order == NULL) {
		ops->table_set_sort_order = default_table_set_sort_order;
	}
	if (ops->table_get_row_count == NULL) {
		ops->table_get_row_count = default_table_get_row_count;
	}
	if (ops->table_get_rows == NULL) {
		ops->table_get_rows = default_table_get_rows;
	}
	if (ops->table_find_row == NULL) {
		ops->table_find_row = default_table_find_row;
	}
	if (ops->properties_get == NULL) {
		ops->properties_get = default_properties_get;
	}
	if (ops->properties_set == NULL) {
		ops->properties_set = default_properties_set;
	}
	if (ops->properties_delete == NULL) {
		ops->properties_delete = default_properties_delete;
	}
	if (ops->properties_list == NULL) {
		ops->properties_list = default_properties_list;
	}
	if (ops->stream_open == NULL) {
		ops->stream_open = default_stream_open;
	}
	if (ops->stream_read == NULL) {
		ops->stream_read = default_stream_read;
	}
	if (ops->stream_write == NULL) {
		ops->stream_write = default_stream_write;
	}
	if (ops->stream_seek == NULL) {
		ops->stream_seek = default_stream_seek;
	}
	if (ops->stream_get_size == NULL) {
		ops->stream_get_size = default_stream_get_size;
	}
	if (ops->stream_commit == NULL) {
		ops->stream_commit = default_stream_commit;
	}
}

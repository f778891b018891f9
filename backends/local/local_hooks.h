/**
 * @file local_hooks.h
 * @brief Internal: the local backend's hook functions, shared by its
 *        files and the ops table in local_folder.c.
 */
#ifndef LOCAL_HOOKS_H
#define LOCAL_HOOKS_H

#include "local_private.h"

/* local_message.c */
enum mapistore_error local_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_backend_message **msg_r);
enum mapistore_error local_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool associated,
	struct mapistore_backend_message **msg_r);
enum mapistore_error local_message_save(struct mapistore_backend_message *msg,
	uint64_t change_number);
enum mapistore_error local_folder_delete_messages(struct mapistore_backend_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard, uint64_t change_number);
enum mapistore_error local_folder_move_copy_messages(struct mapistore_backend_folder *dst,
	struct mapistore_backend_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy, uint64_t change_number);
enum mapistore_error local_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r);
enum mapistore_error local_message_modify_recipients(struct mapistore_backend_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count);
enum mapistore_error local_message_set_read_flag(struct mapistore_backend_message *msg,
	uint8_t flags);
enum mapistore_error local_message_submit(struct mapistore_backend_message *msg, uint32_t flags);
enum mapistore_error local_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_attachment **att_r,
	uint32_t *aid_r);
enum mapistore_error local_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, uint32_t aid,
	struct mapistore_backend_attachment **att_r);
enum mapistore_error local_message_delete_attachment(struct mapistore_backend_message *msg,
	uint32_t aid);
enum mapistore_error local_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_attachment *att, bool create,
	struct mapistore_backend_message **msg_r);
/** Inside a transaction: delete the messages of @p fid (only normal ones
 *  with @p normal_only), recording deletions; blob names to remove after
 *  commit are appended to @p blobs (allocated on @p blobs_ctx). */
enum mapistore_error local_delete_all_messages(struct local_store *s, uint64_t fid,
	uint64_t cn, bool normal_only, TALLOC_CTX *blobs_ctx, char ***blobs, uint32_t *blob_count);
/** Inside a transaction: copy every message of @p src into @p dst. */
enum mapistore_error local_copy_all_messages(struct local_store *s, uint64_t src, uint64_t dst,
	enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r), void *alloc_ctx);
/** Load message @p mid (props and content) as a struct local_msg. */
enum mapistore_error local_message_load(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t mid, uint64_t *fid_r, bool *fai_r, uint64_t *cn_r, struct local_msg **m_r);

/* local_folder.c */
enum mapistore_error local_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, uint64_t fid,
	struct mapistore_backend_folder **folder_r);
enum mapistore_error local_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid,
	struct mapistore_backend_folder **folder_r);
enum mapistore_error local_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *parent, uint64_t fid, uint64_t change_number,
	const struct mapistore_property *props, uint32_t prop_count,
	struct mapistore_backend_folder **folder_r);
enum mapistore_error local_folder_delete(struct mapistore_backend_folder *folder,
	uint8_t flags, uint64_t change_number);
enum mapistore_error local_folder_move(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, const char *new_name, uint64_t change_number);
enum mapistore_error local_folder_copy(struct mapistore_backend_folder *folder,
	struct mapistore_backend_folder *new_parent, uint64_t new_fid, const char *new_name,
	bool recursive, enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r),
	void *alloc_ctx);
enum mapistore_error local_folder_empty(struct mapistore_backend_folder *folder,
	bool delete_subfolders, uint64_t change_number);
enum mapistore_error local_folder_get_child_count(struct mapistore_backend_folder *folder,
	enum mapistore_table_type table_type, uint32_t *count_r);
enum mapistore_error local_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	uint64_t since_cn, uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r);
enum mapistore_error local_folder_set_permissions(struct mapistore_backend_folder *folder,
	const struct mapistore_permission *perms, uint32_t count);
enum mapistore_error local_folder_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, char **uri_r);
enum mapistore_error local_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, struct mapistore_permission **perms_r,
	uint32_t *count_r);

/* local_table.c */
enum mapistore_error local_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_backend_table **table_r);
enum mapistore_error local_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_table **table_r);
enum mapistore_error local_table_set_columns(struct mapistore_backend_table *table,
	const uint32_t *proptags, uint32_t count);
enum mapistore_error local_table_set_restriction(struct mapistore_backend_table *table,
	const struct mapistore_restriction *res);
enum mapistore_error local_table_set_sort_order(struct mapistore_backend_table *table,
	const struct mapistore_sort_order *order, uint32_t count);
enum mapistore_error local_table_get_row_count(struct mapistore_backend_table *table,
	uint32_t *count_r);
enum mapistore_error local_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *table, uint32_t position, uint32_t count,
	struct mapistore_row **rows_r, uint32_t *count_r);
enum mapistore_error local_table_find_row(struct mapistore_backend_table *table,
	uint64_t fmid, uint32_t *position_r);

/* local_props.c */
enum mapistore_error local_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r);
enum mapistore_error local_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count);
enum mapistore_error local_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count);
enum mapistore_error local_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r);
enum mapistore_error local_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r);
enum mapistore_error local_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r);
enum mapistore_error local_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size);
enum mapistore_error local_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset, int origin, uint64_t *position_r);
enum mapistore_error local_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r);
enum mapistore_error local_stream_commit(struct mapistore_backend_stream *stream);

#endif /* LOCAL_HOOKS_H */

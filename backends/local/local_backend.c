/*
 * Local backend: process init, root folders offered to a user, contexts
 * (one SQLite connection each), and the ops table.
 */
#include "local_private.h"
#include "local_hooks.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum mapistore_error local_init(void)
{
	return sqlite3_threadsafe() ? MAPISTORE_SUCCESS : MAPISTORE_ERR_BACKEND_INIT;
}

/* The standard special folders ([MS-OXOSFLD]), as local://<user>/<path>/. */
static enum mapistore_error local_list_root_folders(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env, const char *username,
	struct mapistore_root_folder **folders_r, uint32_t *count_r)
{
	return mapistore_backend_standard_roots(mem_ctx, "local", username, folders_r, count_r);
}

/* A username becomes a directory name: refuse anything path-like. */
static bool username_ok(const char *u)
{
	return u != NULL && u[0] != '\0' && u[0] != '.' && strchr(u, '/') == NULL &&
	       strlen(u) < 256;
}

static enum mapistore_error local_context_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_backend_env *env, const char *username,
	const char *uri, struct mapistore_backend_context **ctx_r)
{
	struct mapistore_backend_context *ctx;
	const char *data_path = env && env->config_get ? env->config_get(env, "mapistore:data_path") : NULL;
	enum mapistore_error ret;
	char *dir;

	if (!username_ok(username) || uri == NULL || strstr(uri, "://") == NULL || data_path == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (mkdir(data_path, 0700) != 0 && access(data_path, W_OK) != 0) {
		if (env->log) {
			env->log(MAPISTORE_LOG_ERR, "local", "cannot use data path %s", data_path);
		}
		return MAPISTORE_ERR_IO;
	}
	ctx = talloc_zero(mem_ctx, struct mapistore_backend_context);
	if (ctx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ctx->env = env;
	ctx->root_uri = talloc_strdup(ctx, uri);
	ctx->username = talloc_strdup(ctx, username);
	dir = talloc_asprintf(ctx, "%s/%s", data_path, username);
	if (ctx->root_uri == NULL || ctx->username == NULL || dir == NULL) {
		talloc_free(ctx);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = local_store_open(ctx, dir, &ctx->store);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(ctx);
		return ret;
	}
	*ctx_r = ctx;
	return MAPISTORE_SUCCESS;
}

const struct mapistore_backend_ops local_backend_ops = {
	.abi_version = MAPISTORE_BACKEND_ABI_VERSION,
	.name = "local",
	.description = "embedded on-disk store (SQLite + atomic blob files)",
	.capabilities = MAPISTORE_CAP_PERSISTENT | MAPISTORE_CAP_PERMISSIONS |
			MAPISTORE_CAP_STREAMS | MAPISTORE_CAP_SUBMIT |
			MAPISTORE_CAP_DELETED_SINCE | MAPISTORE_CAP_EMBEDDED |
			MAPISTORE_CAP_TABLE_RESTRICT | MAPISTORE_CAP_TABLE_SORT |
			MAPISTORE_CAP_TABLE_FIND,
	.init = local_init,
	.context_new = local_context_new,
	.list_root_folders = local_list_root_folders,
	.folder_open_root = local_folder_open_root,
	.folder_open = local_folder_open,
	.folder_create = local_folder_create,
	.folder_delete = local_folder_delete,
	.folder_move = local_folder_move,
	.folder_copy = local_folder_copy,
	.folder_empty = local_folder_empty,
	.folder_get_child_count = local_folder_get_child_count,
	.folder_open_table = local_folder_open_table,
	.folder_get_deleted_fmids = local_folder_get_deleted_fmids,
	.folder_get_permissions = local_folder_get_permissions,
	.folder_set_permissions = local_folder_set_permissions,
	.folder_get_uri = local_folder_get_uri,
	.message_open = local_message_open,
	.message_create = local_message_create,
	.message_save = local_message_save,
	.folder_delete_messages = local_folder_delete_messages,
	.folder_move_copy_messages = local_folder_move_copy_messages,
	.message_get_recipients = local_message_get_recipients,
	.message_modify_recipients = local_message_modify_recipients,
	.message_set_read_flag = local_message_set_read_flag,
	.message_submit = local_message_submit,
	.message_open_attachment_table = local_message_open_attachment_table,
	.message_create_attachment = local_message_create_attachment,
	.message_open_attachment = local_message_open_attachment,
	.message_delete_attachment = local_message_delete_attachment,
	.attachment_open_embedded = local_attachment_open_embedded,
	.table_set_columns = local_table_set_columns,
	.table_set_restriction = local_table_set_restriction,
	.table_set_sort_order = local_table_set_sort_order,
	.table_get_row_count = local_table_get_row_count,
	.table_get_rows = local_table_get_rows,
	.table_find_row = local_table_find_row,
	.properties_get = local_properties_get,
	.properties_set = local_properties_set,
	.properties_delete = local_properties_delete,
	.properties_list = local_properties_list,
	.stream_open = local_stream_open,
	.stream_read = local_stream_read,
	.stream_write = local_stream_write,
	.stream_seek = local_stream_seek,
	.stream_get_size = local_stream_get_size,
	.stream_commit = local_stream_commit,
};

enum mapistore_error mapistore_local_backend_register(void)
{
	return mapistore_backend_register(&local_backend_ops);
}


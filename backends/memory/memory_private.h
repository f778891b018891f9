/**
 * @file memory_private.h
 * @brief The memory backend: the reference implementation of the backend
 *        ABI and the documentation example (doc/mapistore.md). Data lives
 *        in the backend context and disappears with it.
 *
 * Objects that get deleted are detached and parked under the context
 * ("graveyard") rather than freed, so a handle still pointing at them
 * stays valid and answers MAPISTORE_ERR_OBJECT_DELETED.
 */
#ifndef MEMORY_PRIVATE_H
#define MEMORY_PRIVATE_H

#include "mapistore_backend.h"
#include "mapistore_props.h"

/* Properties the backend computes ([MS-OXPROPS]). */
#define PidTagFolderId             0x67480014
#define PidTagParentFolderId       0x67490014
#define PidTagMid                  0x674A0014
#define PidTagChangeNumber         0x67A40014
#define PidTagContentCount         0x36020003
#define PidTagAssociatedContentCount 0x36170003
#define PidTagFolderChildCount     0x66380003
#define PidTagSubfolders           0x360A000B
#define PidTagAssociated           0x67AA000B
#define PidTagAttachNumber         0x0E210003
#define PidTagDisplayName          0x3001001F
#define PidTagMessageFlags         0x0E070003
#define PidTagRowid                0x30000003
#define PidTagRecipientType        0x0C150003
#define PidTagMemberId             0x66710014
#define PidTagMemberName           0x6672001F
#define PidTagMemberRights         0x66730003
/* Bounds of one message (the wire counts them in 16 bits). */
#define MEMORY_MAX_RECIPIENTS 0xFFFF
#define MEMORY_MAX_ATTACHMENTS 0xFFFF
#define mfRead      0x00000001
#define mfSubmitted 0x00000004

struct memory_message;

struct memory_attachment {
	uint32_t aid;
	struct mapistore_property_list props;
	struct memory_message *embedded;
};

struct memory_message {
	uint64_t mid;
	uint64_t cn;
	bool fai;
	struct mapistore_property_list props;
	struct mapistore_recipient *recipients;
	uint32_t recipient_count;
	struct memory_attachment **attachments;
	uint32_t attachment_count;
	uint32_t next_aid;
};

struct memory_deleted {
	uint64_t fmid;
	uint64_t cn;
	enum mapistore_table_type type;
};

struct memory_folder {
	uint64_t fid;
	uint64_t cn;
	bool deleted;
	struct memory_folder *parent;
	struct mapistore_property_list props;
	struct memory_folder **children;
	uint32_t child_count;
	struct memory_message **messages;
	uint32_t message_count;
	struct memory_deleted *deleted_items;
	uint32_t deleted_count;
	struct mapistore_permission *perms;
	uint32_t perm_count;
};

struct mapistore_backend_context {
	const struct mapistore_backend_env *env;
	char *username;
	char *root_uri;
	struct memory_folder *root;
	TALLOC_CTX *graveyard;
};

struct mapistore_backend_folder {
	struct mapistore_backend_context *ctx;
	struct memory_folder *data;
};

struct mapistore_backend_message {
	struct mapistore_backend_context *ctx;
	struct memory_folder *folder;    /* NULL for an embedded message */
	struct mapistore_backend_attachment *parent_att; /* embedded: owner */
	struct memory_message *work;     /* private working copy */
	bool read_write;
	bool is_new;
};

struct mapistore_backend_attachment {
	struct mapistore_backend_message *msg;
	struct memory_attachment *data;  /* inside msg->work */
};

struct mapistore_backend_table {
	struct mapistore_backend_context *ctx;
	enum mapistore_table_type type;
	struct memory_folder *folder;
	struct mapistore_backend_message *msg;
	uint32_t *columns;
	uint32_t column_count;
	struct mapistore_restriction *res;
	struct mapistore_sort_order *sort;
	uint32_t sort_count;
};

/* A stream is the core's buffer helper plus the property it commits to. */
struct mapistore_backend_stream {
	struct mapistore_backend_object obj;
	uint32_t proptag;
	struct mapistore_stream_buffer buf;
};

/* memory_props.c (property lists: mapistore_property_list_* of
 * mapistore_backend.h) */
enum mapistore_error memory_props_copy(TALLOC_CTX *owner, struct mapistore_property_list *dst,
	const struct mapistore_property_list *src);
enum mapistore_error memory_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r);
enum mapistore_error memory_properties_set(struct mapistore_backend_object *obj,
	const struct mapistore_property *props, uint32_t count);
enum mapistore_error memory_properties_delete(struct mapistore_backend_object *obj,
	const uint32_t *proptags, uint32_t count);
enum mapistore_error memory_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t **proptags_r, uint32_t *count_r);
enum mapistore_error memory_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_object *obj, uint32_t proptag,
	enum mapistore_stream_mode mode, struct mapistore_backend_stream **stream_r);
enum mapistore_error memory_stream_read(struct mapistore_backend_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r);
enum mapistore_error memory_stream_write(struct mapistore_backend_stream *stream,
	const uint8_t *buf, size_t size);
enum mapistore_error memory_stream_seek(struct mapistore_backend_stream *stream,
	int64_t offset, int origin, uint64_t *position_r);
enum mapistore_error memory_stream_get_size(struct mapistore_backend_stream *stream,
	uint64_t *size_r);
enum mapistore_error memory_stream_commit(struct mapistore_backend_stream *stream);

/* memory_folder.c */
uint32_t memory_folder_count(const struct memory_folder *f, enum mapistore_table_type type);
struct memory_folder *memory_folder_find(struct memory_folder *root, uint64_t fid);
enum mapistore_error memory_folder_computed(TALLOC_CTX *mem_ctx, const struct memory_folder *f,
	struct mapistore_property **props_r, uint32_t *count_r);

/* memory_message.c */
enum mapistore_error memory_message_clone(TALLOC_CTX *mem_ctx, const struct memory_message *src,
	struct memory_message **dst_r);
int memory_message_index(const struct memory_folder *f, uint64_t mid);
enum mapistore_error memory_message_computed(TALLOC_CTX *mem_ctx, const struct memory_message *m,
	uint64_t fid, struct mapistore_property **props_r, uint32_t *count_r);

/* memory_table.c */
enum mapistore_error memory_table_set_columns(struct mapistore_backend_table *table,
	const uint32_t *proptags, uint32_t count);
enum mapistore_error memory_table_get_row_count(struct mapistore_backend_table *table,
	uint32_t *count_r);
enum mapistore_error memory_table_get_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_table *table, uint32_t position, uint32_t count,
	struct mapistore_row **rows_r, uint32_t *count_r);
enum mapistore_error memory_table_set_restriction(struct mapistore_backend_table *table,
	const struct mapistore_restriction *res);
enum mapistore_error memory_table_set_sort_order(struct mapistore_backend_table *table,
	const struct mapistore_sort_order *order, uint32_t count);
enum mapistore_error memory_table_find_row(struct mapistore_backend_table *table,
	uint64_t fmid, uint32_t *position_r);

/* message hooks (memory_message.c) */
enum mapistore_error memory_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_backend_message **msg_r);
enum mapistore_error memory_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool associated,
	struct mapistore_backend_message **msg_r);
enum mapistore_error memory_message_save(struct mapistore_backend_message *msg,
	uint64_t change_number);
enum mapistore_error memory_folder_delete_messages(struct mapistore_backend_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard, uint64_t change_number);
enum mapistore_error memory_folder_move_copy_messages(struct mapistore_backend_folder *dst,
	struct mapistore_backend_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy, uint64_t change_number);
enum mapistore_error memory_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r);
enum mapistore_error memory_message_modify_recipients(struct mapistore_backend_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count);
enum mapistore_error memory_message_set_read_flag(struct mapistore_backend_message *msg,
	uint8_t flags);
enum mapistore_error memory_message_submit(struct mapistore_backend_message *msg, uint32_t flags);
enum mapistore_error memory_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_attachment **att_r,
	uint32_t *aid_r);
enum mapistore_error memory_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, uint32_t aid,
	struct mapistore_backend_attachment **att_r);
enum mapistore_error memory_message_delete_attachment(struct mapistore_backend_message *msg,
	uint32_t aid);
enum mapistore_error memory_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_attachment *att, bool create,
	struct mapistore_backend_message **msg_r);
/* table openers (memory_table.c) */
enum mapistore_error memory_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_backend_table **table_r);
enum mapistore_error memory_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_table **table_r);

/** The ops table (memory_backend.c). */
extern const struct mapistore_backend_ops memory_backend_ops;

/** Register the memory backend (for built-in use and tests). */
enum mapistore_error mapistore_memory_backend_register(void);

#endif /* MEMORY_PRIVATE_H */

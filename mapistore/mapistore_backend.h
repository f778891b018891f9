/**
 * @file mapistore_backend.h
 * @brief The backend ABI: what a storage backend (.so or built-in)
 *        implements. Installed for out-of-tree backends.
 *
 * A backend is a `static const struct mapistore_backend_ops` filled with
 * designated initialisers and handed to mapistore_backend_register() from
 * the backend's one exported symbol, MAPISTORE_BACKEND_INIT_SYMBOL.
 *
 * Rules of the ABI:
 * - The ops struct is append-only. A new hook is added at the end and
 *   MAPISTORE_BACKEND_ABI_VERSION is bumped; the loader refuses a backend
 *   built for a newer ABI and fills hooks the backend does not know about.
 * - A NULL hook means "not supported": the loader replaces it with a
 *   default returning MAPISTORE_ERR_NOT_SUPPORTED, so the core never
 *   tests for NULL. Backends declare what they really do in capabilities.
 * - Backend objects are typed opaque structs the backend defines
 *   (struct mapistore_backend_folder, ...), never void *.
 * - Every object a hook returns in an *_r parameter is allocated on the
 *   mem_ctx passed to that hook; freeing it releases the backend state
 *   (use talloc destructors for non-memory resources only).
 * - On failure a hook leaves *_r untouched and allocates nothing that
 *   outlives the call on mem_ctx.
 * - Hooks are called from worker threads, one session's calls
 *   serialized. A backend context is used by one thread at a time; any
 *   state shared between contexts must be locked by the backend.
 * - Change numbers and FIDs/MIDs are allocated by the core
 *   (openchangedb, [MS-OXCDATA] 2.2.1) and passed in; the backend stores
 *   them. IDs use the representation of doc/mapistore.md (GLOBCNT
 *   big-endian in the top 6 bytes, replica ID in the low 2 bytes).
 */
#ifndef MAPISTORE_BACKEND_H
#define MAPISTORE_BACKEND_H

#include <talloc.h>

#include "mapistore_errors.h"
#include "mapistore_types.h"

/** Bumped whenever hooks are appended to struct mapistore_backend_ops. */
#define MAPISTORE_BACKEND_ABI_VERSION 1

/** The symbol the loader looks up in each backend .so. */
#define MAPISTORE_BACKEND_INIT_SYMBOL "mapistore_backend_init"

struct mapistore_context;

/* Typed opaque objects, each defined by the backend that creates it. */
struct mapistore_backend_context;    /**< one per user and backend root */
struct mapistore_backend_folder;
struct mapistore_backend_message;
struct mapistore_backend_attachment;
struct mapistore_backend_table;
struct mapistore_backend_stream;

/** Capability bits a backend declares (SQLite VFS style). */
#define MAPISTORE_CAP_PERSISTENT     0x0001 /**< data survives a restart */
#define MAPISTORE_CAP_TABLE_RESTRICT 0x0002 /**< native restrictions */
#define MAPISTORE_CAP_TABLE_SORT     0x0004 /**< native sort */
#define MAPISTORE_CAP_TABLE_FIND     0x0008 /**< table_find_row (bookmarks) */
#define MAPISTORE_CAP_PERMISSIONS    0x0010 /**< stores folder ACLs */
#define MAPISTORE_CAP_STREAMS        0x0020 /**< streamed large values */
#define MAPISTORE_CAP_SUBMIT         0x0040 /**< message_submit delivers */
#define MAPISTORE_CAP_DELETED_SINCE  0x0080 /**< folder_get_deleted_fmids */
#define MAPISTORE_CAP_SOFT_DELETE    0x0100 /**< soft-deleted items */
#define MAPISTORE_CAP_EMBEDDED       0x0200 /**< embedded messages */

/** Flags of folder_delete ([MS-OXCFOLD] 2.2.1.3.1 DeleteFolderFlags). */
#define DEL_MESSAGES       0x01
#define DEL_FOLDERS        0x04
#define DELETE_HARD_DELETE 0x10

/** Flags of message_set_read_flag ([MS-OXCMSG] 2.2.3.11.1 ReadFlags). */
#define MSGFLAG_READ_SET   0x00 /**< mark read (rfDefault) */
#define MSGFLAG_CLEAR_READ 0x04 /**< mark unread (rfClearReadFlag) */

/** Stream open modes. */
enum mapistore_stream_mode {
	MAPISTORE_STREAM_READ = 0,
	MAPISTORE_STREAM_WRITE = 1,     /**< truncates */
	MAPISTORE_STREAM_READWRITE = 2,
	/** Core only, OR-ed into a mode for a PtypString property: the
	 *  stream carries UTF-16LE, the wire form ([MS-OXCPRPT] 2.2.14).
	 *  Never passed to a backend, which always sees UTF-8. */
	MAPISTORE_STREAM_UTF16 = 0x100,
};

/** Which object a property hook works on: a tagged reference. */
enum mapistore_object_kind {
	MAPISTORE_OBJECT_FOLDER = 1,
	MAPISTORE_OBJECT_MESSAGE = 2,
	MAPISTORE_OBJECT_ATTACHMENT = 3,
};

struct mapistore_backend_object {
	enum mapistore_object_kind kind;
	union {
		struct mapistore_backend_folder *folder;
		struct mapistore_backend_message *message;
		struct mapistore_backend_attachment *attachment;
	} u;
};

/** Log levels, highest priority first (mirrors Samba's DBG_ levels). */
enum mapistore_log_level {
	MAPISTORE_LOG_ERR = 0,     /**< an administrator must act */
	MAPISTORE_LOG_WARNING = 1,
	MAPISTORE_LOG_NOTICE = 3,
	MAPISTORE_LOG_INFO = 5,
	MAPISTORE_LOG_DEBUG = 10,
};

/** What the core gives a backend when it creates a context. */
struct mapistore_backend_env {
	/** Look up a configuration key ("mapistore:data_path", ...);
	 *  NULL when unset. The returned string lives as long as the env. */
	const char *(*config_get)(const struct mapistore_backend_env *env,
				  const char *key);
	/** Log through the process-wide logger (thread-safe). */
	void (*log)(enum mapistore_log_level level, const char *backend,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
	/** Private to the core. */
	const struct mapistore_context *core;
};

/**
 * The hooks. Groups in order: backend, folder, message, attachment,
 * table, properties, streams. Append only.
 */
struct mapistore_backend_ops {
	/** ABI the backend was compiled against (MAPISTORE_BACKEND_ABI_VERSION). */
	uint32_t abi_version;
	/** Unique name, also the URI scheme: "memory" serves "memory://". */
	const char *name;
	const char *description;
	uint64_t capabilities;   /**< MAPISTORE_CAP_* */

	/* ---- backend ---- */

	/** Process-wide initialisation, called once by the registry. */
	enum mapistore_error (*init)(void);
	/** Create the context serving @p uri (a root from list_root_folders)
	 *  for @p username. */
	enum mapistore_error (*context_new)(TALLOC_CTX *mem_ctx,
		const struct mapistore_backend_env *env, const char *username,
		const char *uri, struct mapistore_backend_context **ctx_r);
	/** The folders this backend offers @p username, with their roles. */
	enum mapistore_error (*list_root_folders)(TALLOC_CTX *mem_ctx,
		const struct mapistore_backend_env *env, const char *username,
		struct mapistore_root_folder **folders_r, uint32_t *count_r);

	/* ---- folder ---- */

	/** Open the context's root folder, recording @p fid as its ID. */
	enum mapistore_error (*folder_open_root)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_context *ctx, uint64_t fid,
		struct mapistore_backend_folder **folder_r);
	/** Open direct or indirect child @p fid of @p parent. */
	enum mapistore_error (*folder_open)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *parent, uint64_t fid,
		struct mapistore_backend_folder **folder_r);
	/** Create subfolder @p fid of @p parent with initial @p props
	 *  (must include PidTagDisplayName). ERR_EXISTS on a duplicate name. */
	enum mapistore_error (*folder_create)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *parent, uint64_t fid,
		uint64_t change_number, const struct mapistore_property *props,
		uint32_t prop_count, struct mapistore_backend_folder **folder_r);
	/** Delete @p folder; @p flags is DEL_MESSAGES|DEL_FOLDERS|DELETE_HARD_DELETE.
	 *  Without DEL_FOLDERS/DEL_MESSAGES a non-empty folder gives
	 *  ERR_HAS_CHILDREN / ERR_HAS_MESSAGES. */
	enum mapistore_error (*folder_delete)(struct mapistore_backend_folder *folder,
		uint8_t flags, uint64_t change_number);
	/** Move @p folder under @p new_parent, optionally renaming it. */
	enum mapistore_error (*folder_move)(struct mapistore_backend_folder *folder,
		struct mapistore_backend_folder *new_parent, const char *new_name,
		uint64_t change_number);
	/** Copy @p folder under @p new_parent as @p new_fid. With @p recursive
	 *  subfolders are copied too; @p id_alloc gives fresh IDs for each
	 *  copied subfolder and message. */
	enum mapistore_error (*folder_copy)(struct mapistore_backend_folder *folder,
		struct mapistore_backend_folder *new_parent, uint64_t new_fid,
		const char *new_name, bool recursive,
		enum mapistore_error (*id_alloc)(void *alloc_ctx, uint64_t *id_r),
		void *alloc_ctx);
	/** Delete every message (and with @p hard, every subfolder). */
	enum mapistore_error (*folder_empty)(struct mapistore_backend_folder *folder,
		bool delete_subfolders, uint64_t change_number);
	/** Number of rows a table of @p table_type would have. */
	enum mapistore_error (*folder_get_child_count)(
		struct mapistore_backend_folder *folder,
		enum mapistore_table_type table_type, uint32_t *count_r);
	/** Open a hierarchy, contents, FAI or permissions table. */
	enum mapistore_error (*folder_open_table)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder,
		enum mapistore_table_type table_type,
		struct mapistore_backend_table **table_r);
	/** FMIDs of objects of @p table_type deleted with a change number
	 *  greater than @p since_cn; @p cn_r gets the highest one seen. */
	enum mapistore_error (*folder_get_deleted_fmids)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder,
		enum mapistore_table_type table_type, uint64_t since_cn,
		uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r);
	/** Read the ACL of @p folder ([MS-OXCPERM]). */
	enum mapistore_error (*folder_get_permissions)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder,
		struct mapistore_permission **perms_r, uint32_t *count_r);
	/** Replace the ACL of @p folder. */
	enum mapistore_error (*folder_set_permissions)(
		struct mapistore_backend_folder *folder,
		const struct mapistore_permission *perms, uint32_t count);
	/** The backend URI of @p folder (for indexing). */
	enum mapistore_error (*folder_get_uri)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder, char **uri_r);

	/* ---- message ---- */

	/** Open message @p mid in @p folder. */
	enum mapistore_error (*message_open)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder, uint64_t mid,
		bool read_write, struct mapistore_backend_message **msg_r);
	/** Create message @p mid (FAI when @p associated); invisible in
	 *  tables until message_save. */
	enum mapistore_error (*message_create)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_folder *folder, uint64_t mid,
		bool associated, struct mapistore_backend_message **msg_r);
	/** Commit @p msg atomically: after a crash either the old or the new
	 *  version is stored, never a mix. */
	enum mapistore_error (*message_save)(struct mapistore_backend_message *msg,
		uint64_t change_number);
	/** Delete messages @p mids of @p folder (soft unless @p hard). */
	enum mapistore_error (*folder_delete_messages)(
		struct mapistore_backend_folder *folder, const uint64_t *mids,
		uint32_t count, bool hard, uint64_t change_number);
	/** Move or copy messages to @p dst, giving them @p new_mids. */
	enum mapistore_error (*folder_move_copy_messages)(
		struct mapistore_backend_folder *dst,
		struct mapistore_backend_folder *src, const uint64_t *mids,
		const uint64_t *new_mids, uint32_t count, bool want_copy,
		uint64_t change_number);
	/** Recipients of @p msg. */
	enum mapistore_error (*message_get_recipients)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_message *msg,
		struct mapistore_recipient **recipients_r, uint32_t *count_r);
	/** Add or replace recipients by row_id; a recipient with no
	 *  properties removes that row ([MS-OXCMSG] 2.2.3.5 RopModifyRecipients). */
	enum mapistore_error (*message_modify_recipients)(
		struct mapistore_backend_message *msg,
		const struct mapistore_recipient *recipients, uint32_t count);
	/** Set or clear the read flag ([MS-OXCMSG] 2.2.3.11). */
	enum mapistore_error (*message_set_read_flag)(
		struct mapistore_backend_message *msg, uint8_t flags);
	/** Hand @p msg to the transport ([MS-OXOMSG] RopSubmitMessage). */
	enum mapistore_error (*message_submit)(
		struct mapistore_backend_message *msg, uint32_t flags);
	/** Attachment table of @p msg. */
	enum mapistore_error (*message_open_attachment_table)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_message *msg,
		struct mapistore_backend_table **table_r);
	/** Create an attachment; @p aid_r gets its PidTagAttachNumber. */
	enum mapistore_error (*message_create_attachment)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_message *msg,
		struct mapistore_backend_attachment **att_r, uint32_t *aid_r);
	enum mapistore_error (*message_open_attachment)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_message *msg, uint32_t aid,
		struct mapistore_backend_attachment **att_r);
	enum mapistore_error (*message_delete_attachment)(
		struct mapistore_backend_message *msg, uint32_t aid);

	/* ---- attachment ---- */

	/** Open (or with @p create, create) the embedded message of an
	 *  attachment whose PidTagAttachMethod is afEmbeddedMessage (5).
	 *  It is saved with its parent message. */
	enum mapistore_error (*attachment_open_embedded)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_attachment *att, bool create,
		struct mapistore_backend_message **msg_r);

	/* ---- table ---- */

	/** Columns every row returns, in order. */
	enum mapistore_error (*table_set_columns)(struct mapistore_backend_table *table,
		const uint32_t *proptags, uint32_t count);
	/** Restrict the rows; NULL clears. Only called when the backend has
	 *  MAPISTORE_CAP_TABLE_RESTRICT, otherwise the core filters. */
	enum mapistore_error (*table_set_restriction)(struct mapistore_backend_table *table,
		const struct mapistore_restriction *res);
	/** Sort the rows; count 0 = natural order. Only called with
	 *  MAPISTORE_CAP_TABLE_SORT, otherwise the core sorts. */
	enum mapistore_error (*table_set_sort_order)(struct mapistore_backend_table *table,
		const struct mapistore_sort_order *order, uint32_t count);
	enum mapistore_error (*table_get_row_count)(struct mapistore_backend_table *table,
		uint32_t *count_r);
	/** Up to @p count rows starting at 0-based @p position; fewer at the end. */
	enum mapistore_error (*table_get_rows)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_table *table, uint32_t position,
		uint32_t count, struct mapistore_row **rows_r, uint32_t *count_r);
	/** Position of the row for object @p fmid (bookmarks). */
	enum mapistore_error (*table_find_row)(struct mapistore_backend_table *table,
		uint64_t fmid, uint32_t *position_r);

	/* ---- properties ---- */

	/** Values of @p proptags, in order; a missing one is returned as a
	 *  PtypErrorCode of ecNotFound, never as an error of the call. */
	enum mapistore_error (*properties_get)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_object *obj, const uint32_t *proptags,
		uint32_t count, struct mapistore_property **props_r);
	/** Set (add or replace) properties. Message changes are kept until
	 *  message_save; folder and attachment changes apply at once
	 *  (attachments: with the parent message's save). */
	enum mapistore_error (*properties_set)(struct mapistore_backend_object *obj,
		const struct mapistore_property *props, uint32_t count);
	enum mapistore_error (*properties_delete)(struct mapistore_backend_object *obj,
		const uint32_t *proptags, uint32_t count);
	/** Every property tag the object has. */
	enum mapistore_error (*properties_list)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_object *obj, uint32_t **proptags_r,
		uint32_t *count_r);

	/* ---- streams (large PtypBinary / PtypString values) ---- */

	enum mapistore_error (*stream_open)(TALLOC_CTX *mem_ctx,
		struct mapistore_backend_object *obj, uint32_t proptag,
		enum mapistore_stream_mode mode,
		struct mapistore_backend_stream **stream_r);
	enum mapistore_error (*stream_read)(struct mapistore_backend_stream *stream,
		uint8_t *buf, size_t size, size_t *read_r);
	enum mapistore_error (*stream_write)(struct mapistore_backend_stream *stream,
		const uint8_t *buf, size_t size);
	/** Seek; @p origin is 0 (start), 1 (current) or 2 (end). */
	enum mapistore_error (*stream_seek)(struct mapistore_backend_stream *stream,
		int64_t offset, int origin, uint64_t *position_r);
	enum mapistore_error (*stream_get_size)(struct mapistore_backend_stream *stream,
		uint64_t *size_r);
	/** Write the stream back into the property (RopCommitStream). */
	enum mapistore_error (*stream_commit)(struct mapistore_backend_stream *stream);
};

/**
 * Register a backend. Called from a .so's mapistore_backend_init() or
 * directly for built-in backends.
 * @return MAPISTORE_ERR_BACKEND_REGISTER for an ABI newer than the core's
 *         or a name already registered; the ops struct must be static and
 *         outlive the process.
 */
enum mapistore_error mapistore_backend_register(const struct mapistore_backend_ops *ops);

/** Signature of the exported MAPISTORE_BACKEND_INIT_SYMBOL. */
typedef enum mapistore_error (*mapistore_backend_init_fn)(uint32_t core_abi_version);

/*
 * ---- Helpers for backend authors ----
 *
 * Building blocks every backend would otherwise write again: a property
 * list, recipient rows, the standard root folders, table settings and an
 * in-memory stream buffer. They hold no state of their own; every result
 * is allocated on the TALLOC_CTX passed in. Using them is optional.
 */

/** A property list owned by a talloc parent (the "owner" of the calls
 *  below): one value per property ID, in insertion order. */
struct mapistore_property_list {
	uint32_t count;
	struct mapistore_property *props;   /**< talloc child of the owner */
};

/**
 * Add or replace @p count properties of @p list; a property replaces the
 * one with the same property ID whatever its type. Values are deep-copied
 * onto list->props, which is (re)allocated on @p owner.
 * @return MAPISTORE_ERR_TOO_BIG past MAPISTORE_MAX_PROPERTIES,
 *         MAPISTORE_ERR_NO_MEMORY; on failure properties before the
 *         failing one are already set.
 */
enum mapistore_error mapistore_property_list_set(TALLOC_CTX *owner,
	struct mapistore_property_list *list, const struct mapistore_property *props,
	uint32_t count);

/** Remove the properties whose property IDs are those of @p proptags;
 *  absent ones are ignored. Never fails. */
void mapistore_property_list_delete(struct mapistore_property_list *list,
	const uint32_t *proptags, uint32_t count);

/** The value of @p proptag in @p list (exact tag), or NULL. Points into
 *  the list. */
const struct mapistore_property *mapistore_property_list_find(
	const struct mapistore_property_list *list, uint32_t proptag);

/**
 * A properties_get answer: the values of @p proptags, in order, taken
 * from @p list, then from @p computed (@p computed_count values the
 * backend derives, e.g. PidTagMid); a tag in neither becomes a
 * PtypErrorCode ecNotFound value. @p row_r is a deep copy on @p mem_ctx.
 */
enum mapistore_error mapistore_property_list_row(TALLOC_CTX *mem_ctx,
	const struct mapistore_property_list *list,
	const struct mapistore_property *computed, uint32_t computed_count,
	const uint32_t *proptags, uint32_t count, struct mapistore_property **row_r);

/** A properties_list answer: every tag of @p list, on @p mem_ctx. */
enum mapistore_error mapistore_property_list_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_property_list *list, uint32_t **proptags_r,
	uint32_t *count_r);

/** Set the PtypInteger32 @p proptag of @p list (0 when absent) to
 *  (old | @p set) & ~@p clear, e.g. PidTagMessageFlags
 *  ([MS-OXCMSG] 2.2.1.6). */
enum mapistore_error mapistore_property_list_update_flags(TALLOC_CTX *owner,
	struct mapistore_property_list *list, uint32_t proptag, uint32_t set,
	uint32_t clear);

/** Deep copy of @p count recipient rows, allocated on @p mem_ctx (an
 *  array of at least one element, so count 0 gives a valid pointer). */
enum mapistore_error mapistore_recipients_copy(TALLOC_CTX *mem_ctx,
	const struct mapistore_recipient *src, uint32_t count,
	struct mapistore_recipient **dst_r);

/**
 * Apply a message_modify_recipients request to the rows *@p rows
 * (*@p row_count of them, array allocated on @p owner), by row_id
 * ([MS-OXCMSG] 2.2.3.5 RopModifyRecipients): a recipient with no
 * properties removes its row, any other adds or replaces it (deep copy).
 * @return MAPISTORE_ERR_TOO_BIG past @p max_rows rows,
 *         MAPISTORE_ERR_NO_MEMORY; rows before the failing one are applied.
 */
enum mapistore_error mapistore_recipients_modify(TALLOC_CTX *owner,
	struct mapistore_recipient **rows, uint32_t *row_count, uint32_t max_rows,
	const struct mapistore_recipient *recipients, uint32_t count);

/**
 * A list_root_folders answer with the standard set of roots (Inbox,
 * Drafts, Sent Items, Outbox, Deleted Items, Calendar, Contacts, Tasks,
 * Notes, Journal, Fallback), whose URIs are
 * "<scheme>://<username>/<path>/" (e.g. "memory://alice/inbox/").
 * @p folders_r is allocated on @p mem_ctx.
 */
enum mapistore_error mapistore_backend_standard_roots(TALLOC_CTX *mem_ctx,
	const char *scheme, const char *username,
	struct mapistore_root_folder **folders_r, uint32_t *count_r);

/** Replace the tag array *@p tags (*@p count tags, allocated on
 *  @p owner) with a copy of @p src, e.g. for table_set_columns. On
 *  failure the old array is kept. */
enum mapistore_error mapistore_proptags_replace(TALLOC_CTX *owner, uint32_t **tags,
	uint32_t *count, const uint32_t *src, uint32_t src_count);

/** Replace the sort order *@p sort (*@p count keys, allocated on
 *  @p owner) with a copy of @p src; @p src_count 0 clears it (NULL). On
 *  failure the old order is kept. */
enum mapistore_error mapistore_sort_order_replace(TALLOC_CTX *owner,
	struct mapistore_sort_order **sort, uint32_t *count,
	const struct mapistore_sort_order *src, uint32_t src_count);

/**
 * An in-memory stream over one property value: load it at stream_open,
 * serve read/write/seek/get_size from it, turn it back into a property
 * at stream_commit ([MS-OXCPRPT] 2.2.9 - 2.2.16). PtypString values are
 * their UTF-8 bytes (no NUL). Embed one in struct mapistore_backend_stream.
 */
struct mapistore_stream_buffer {
	uint8_t *data;      /**< talloc child of the stream's owner */
	size_t length;
	size_t position;
	bool writable;
};

/** Load the bytes of @p value (PtypBinary or PtypString, by the type of
 *  its proptag) into @p buf, allocated on @p owner. */
enum mapistore_error mapistore_stream_buffer_load(TALLOC_CTX *owner,
	struct mapistore_stream_buffer *buf, const struct mapistore_property *value);

/** Up to @p size bytes from the position; *@p read_r is 0 at the end. */
enum mapistore_error mapistore_stream_buffer_read(struct mapistore_stream_buffer *buf,
	uint8_t *out, size_t size, size_t *read_r);

/** Write at the position (a gap after the end is zero-filled), growing
 *  the data geometrically on @p owner.
 * @return MAPISTORE_ERR_NO_ACCESS when not writable, MAPISTORE_ERR_TOO_BIG
 *         past MAPISTORE_MAX_VALUE_SIZE. */
enum mapistore_error mapistore_stream_buffer_write(TALLOC_CTX *owner,
	struct mapistore_stream_buffer *buf, const uint8_t *data, size_t size);

/** Seek from @p origin 0 (start), 1 (current) or 2 (end).
 * @return MAPISTORE_ERR_INVALID_PARAMETER before 0 or past
 *         MAPISTORE_MAX_VALUE_SIZE. */
enum mapistore_error mapistore_stream_buffer_seek(struct mapistore_stream_buffer *buf,
	int64_t offset, int origin, uint64_t *position_r);

/**
 * The buffer as the value of @p proptag, for stream_commit. A PtypString
 * value is a NUL-terminated copy allocated on @p mem_ctx (free
 * prop_r->value.str); a PtypBinary value points into the buffer.
 * @return MAPISTORE_ERR_NO_ACCESS when not writable,
 *         MAPISTORE_ERR_INVALID_PARAMETER for a string holding a NUL.
 */
enum mapistore_error mapistore_stream_buffer_value(TALLOC_CTX *mem_ctx,
	const struct mapistore_stream_buffer *buf, uint32_t proptag,
	struct mapistore_property *prop_r);

#endif /* MAPISTORE_BACKEND_H */

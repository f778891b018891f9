/**
 * @file mapistore.h
 * @brief The storage layer's API for the server (ROP handlers).
 *
 * The server never calls a backend hook directly: every call goes
 * through these wrappers, which validate arguments, log at debug level
 * with timing, and return the closed enum mapistore_error (mapped to MAPI
 * codes by mapistore_error_to_mapi()).
 *
 * Threads: the backend registry and the logger are process-wide and
 * locked; everything else hangs off a struct mapistore_context, which is
 * used by one thread at a time (one session's calls are serialized) and
 * owns its own metadata-store connections.
 *
 * Lifetimes (talloc): context -> backend contexts; every object returned
 * in an *_r parameter lives on the mem_ctx passed, and must be freed
 * before its context. Freeing an object releases its backend object.
 */
#ifndef MAPISTORE_H
#define MAPISTORE_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_backend.h"
#include "mapistore_changes.h"
#include "mapistore_errors.h"
#include "mapistore_props.h"
#include "mapistore_types.h"

struct openchangedb_context;
struct mapistore_indexing;
struct mapistore_namedprops;

struct mapistore_context;
struct mapistore_folder;
struct mapistore_message;
struct mapistore_attachment;
struct mapistore_table;
struct mapistore_stream;
struct mapistore_object;

/* ------------------------------------------------------------------ */
/* Logging                                                             */

/** Receives every log line at or above the configured level. Must be
 *  thread-safe; @p msg never contains a password. */
typedef void (*mapistore_log_fn)(void *private_data, enum mapistore_log_level level,
				 const char *msg);

/** Install the process-wide logger (NULL restores the default: stderr). */
void mapistore_set_log_fn(mapistore_log_fn fn, void *private_data);
/** Lines with a level above @p level are dropped (default MAPISTORE_LOG_WARNING). */
void mapistore_set_log_level(int level);
void mapistore_log(enum mapistore_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

/**
 * Key/value lookup the server fills from smb.conf (lpcfg_parm_string):
 * keys are "mapistore:backends_path", "mapistore:data_path",
 * "mapiproxy:openchangedb", "mapistore:indexing_backend",
 * "mapistore:namedproperties", "namedproperties:mysql_user" ... and
 * "private dir". NULL = unset. Defaults: doc/mapistore.md.
 */
struct mapistore_config {
	const char *(*get)(void *private_data, const char *key);
	void *private_data;
};

/** Value of @p key, or its documented default (on @p mem_ctx); NULL only
 *  for keys without a default. */
char *mapistore_config_get(TALLOC_CTX *mem_ctx, const struct mapistore_config *cfg,
			   const char *key);

/* ------------------------------------------------------------------ */
/* Backends                                                            */

/**
 * Load every "*.so" in @p path (NULL: "mapistore:backends_path" default):
 * dlopen, look up MAPISTORE_BACKEND_INIT_SYMBOL, call it. A file that
 * fails to load, has the wrong ABI or a duplicate name is skipped with an
 * ERR log line. @p loaded_r (optional) gets the number registered.
 * Returns ERR_NOT_FOUND only if @p path cannot be read.
 */
enum mapistore_error mapistore_backends_load(const char *path, uint32_t *loaded_r);

/** The registered backend @p name (hooks all non-NULL), or NULL. */
const struct mapistore_backend_ops *mapistore_backend_lookup(const char *name);

/** Names of registered backends, NULL-terminated, on @p mem_ctx. */
const char **mapistore_backend_names(TALLOC_CTX *mem_ctx);

/** The backend name of a folder URI: "memory://x/" -> "memory" (on
 *  @p mem_ctx). ERR_INVALID_PARAMETER if @p uri has no valid scheme. */
enum mapistore_error mapistore_uri_backend(TALLOC_CTX *mem_ctx, const char *uri,
					   char **name_r);

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

/**
 * A per-user context: opens (and migrates) the metadata stores named by
 * @p cfg. @p cfg must outlive the context.
 * @return DATABASE_UNAVAILABLE / DENIED_LOGIN / ... with details in
 *         mapistore_context_errmsg() style text in @p errmsg_r (optional).
 */
enum mapistore_error mapistore_context_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_config *cfg, const char *username,
	struct mapistore_context **ctx_r, char **errmsg_r);

struct openchangedb_context *mapistore_context_get_openchangedb(struct mapistore_context *ctx);
struct mapistore_indexing *mapistore_context_get_indexing(struct mapistore_context *ctx);
struct mapistore_namedprops *mapistore_context_get_namedprops(struct mapistore_context *ctx);
const char *mapistore_context_get_username(const struct mapistore_context *ctx);

/** Detail of the last failure on @p ctx (for the server's log). */
const char *mapistore_context_errmsg(const struct mapistore_context *ctx);

/** The folders backend @p backend offers this user. */
enum mapistore_error mapistore_list_root_folders(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, const char *backend,
	struct mapistore_root_folder **folders_r, uint32_t *count_r);

/* ------------------------------------------------------------------ */
/* Folders                                                             */

/**
 * Attach backend root @p uri as folder @p fid (recorded in indexing; an
 * existing mapping of @p uri is reused and its FID returned) and open it.
 */
enum mapistore_error mapistore_folder_open_root(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, const char *uri, uint64_t fid,
	struct mapistore_folder **folder_r);

/** Open folder @p fid through indexing (any depth). ERR_OBJECT_DELETED
 *  for a soft-deleted folder. */
enum mapistore_error mapistore_folder_open(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, struct mapistore_folder **folder_r);

/** Open subfolder @p fid of @p parent. */
enum mapistore_error mapistore_folder_open_child(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, struct mapistore_folder **folder_r);

/** Create a subfolder; the FID and change number come from openchangedb,
 *  the new URI goes into indexing. @p props must hold PidTagDisplayName. */
enum mapistore_error mapistore_folder_create(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r);

uint64_t mapistore_folder_get_fid(const struct mapistore_folder *folder);

/** [MS-OXCFOLD] RopDeleteFolder. @p folder stays allocated (free it). */
enum mapistore_error mapistore_folder_delete(struct mapistore_folder *folder, uint8_t flags);
/** [MS-OXCFOLD] RopMoveFolder. */
enum mapistore_error mapistore_folder_move(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name);
/** [MS-OXCFOLD] RopCopyFolder; @p new_fid_r gets the copy's FID. */
enum mapistore_error mapistore_folder_copy(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name, bool recursive,
	uint64_t *new_fid_r);
/** [MS-OXCFOLD] RopEmptyFolder. */
enum mapistore_error mapistore_folder_empty(struct mapistore_folder *folder,
	bool delete_subfolders);
enum mapistore_error mapistore_folder_get_child_count(struct mapistore_folder *folder,
	enum mapistore_table_type table_type, uint32_t *count_r);
enum mapistore_error mapistore_folder_get_deleted_fmids(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, enum mapistore_table_type table_type,
	uint64_t since_cn, uint64_t **fmids_r, uint32_t *count_r, uint64_t *cn_r);
enum mapistore_error mapistore_folder_get_permissions(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, struct mapistore_permission **perms_r,
	uint32_t *count_r);
enum mapistore_error mapistore_folder_set_permissions(struct mapistore_folder *folder,
	const struct mapistore_permission *perms, uint32_t count);
/** Open a hierarchy / contents / FAI / permissions table. */
enum mapistore_error mapistore_folder_open_table(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, enum mapistore_table_type table_type,
	struct mapistore_table **table_r);
/** Delete messages (soft unless @p hard). */
enum mapistore_error mapistore_folder_delete_messages(struct mapistore_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard);
/** Move or copy messages from @p src to @p dst; @p new_mids_r (caller
 *  array of @p count) gets their new MIDs. */
enum mapistore_error mapistore_folder_move_copy_messages(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, uint32_t count,
	bool want_copy, uint64_t *new_mids_r);

/* ------------------------------------------------------------------ */
/* Messages and attachments                                            */

enum mapistore_error mapistore_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, struct mapistore_message **msg_r);
enum mapistore_error mapistore_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_message **msg_r);
uint64_t mapistore_message_get_mid(const struct mapistore_message *msg);
/** [MS-OXCMSG] RopSaveChangesMessage: a new change number, atomic save. */
enum mapistore_error mapistore_message_save(struct mapistore_message *msg);
enum mapistore_error mapistore_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r);
enum mapistore_error mapistore_message_modify_recipients(struct mapistore_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count);
enum mapistore_error mapistore_message_set_read_flag(struct mapistore_message *msg,
	uint8_t flags);
enum mapistore_error mapistore_message_submit(struct mapistore_message *msg, uint32_t flags);
enum mapistore_error mapistore_message_open_attachment_table(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_table **table_r);
enum mapistore_error mapistore_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_attachment **att_r, uint32_t *aid_r);
enum mapistore_error mapistore_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, uint32_t aid, struct mapistore_attachment **att_r);
enum mapistore_error mapistore_message_delete_attachment(struct mapistore_message *msg,
	uint32_t aid);
enum mapistore_error mapistore_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_attachment *att, bool create, struct mapistore_message **msg_r);

/**
 * The rows of a subobject of @p msg, as a SubObjectRestriction sees them
 * ([MS-OXCDATA] 2.12.10): @p subobject PidTagMessageRecipients gives one
 * row per recipient (its properties plus PidTagRowid and
 * PidTagRecipientType), PidTagMessageAttachments one row per attachment
 * with columns @p proptags plus PidTagAttachNumber. Rows on @p mem_ctx.
 */
enum mapistore_error mapistore_subobject_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, uint32_t subobject, const uint32_t *proptags,
	uint32_t tag_count, struct mapistore_row **rows_r, uint32_t *count_r);

/**
 * A mapistore_subobject_fn (mapistore_props.h) for restrictions evaluated
 * on messages: @p object is the struct mapistore_message * handed to
 * mapistore_restriction_ctx_eval(), its rows those of
 * mapistore_subobject_rows() (NULL object or a backend without attachment
 * tables: no rows). @p private_data is unused.
 */
enum mapistore_error mapistore_message_subobject_fn(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r);

/**
 * Evaluate @p res once on message @p msg whose properties are @p props
 * ([MS-OXCDATA] 2.12): as mapistore_restriction_eval(), but a
 * SubObjectRestriction (2.12.10) reads @p msg's recipients or attachments.
 * A CountRestriction counts within this one evaluation only; to count
 * across messages keep a mapistore_restriction_ctx with
 * mapistore_message_subobject_fn.
 */
enum mapistore_error mapistore_restriction_eval_message(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, struct mapistore_message *msg,
	bool *match_r);

/* ------------------------------------------------------------------ */
/* Properties and streams (folders, messages, attachments)             */

struct mapistore_object *mapistore_folder_object(struct mapistore_folder *folder);
struct mapistore_object *mapistore_message_object(struct mapistore_message *msg);
struct mapistore_object *mapistore_attachment_object(struct mapistore_attachment *att);

/** Values in @p proptags order; a missing one is PtypErrorCode ecNotFound. */
enum mapistore_error mapistore_properties_get(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, const uint32_t *proptags, uint32_t count,
	struct mapistore_property **props_r);
enum mapistore_error mapistore_properties_set(struct mapistore_object *obj,
	const struct mapistore_property *props, uint32_t count);
enum mapistore_error mapistore_properties_delete(struct mapistore_object *obj,
	const uint32_t *proptags, uint32_t count);
enum mapistore_error mapistore_properties_list(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, uint32_t **proptags_r, uint32_t *count_r);

enum mapistore_error mapistore_stream_open(TALLOC_CTX *mem_ctx,
	struct mapistore_object *obj, uint32_t proptag, enum mapistore_stream_mode mode,
	struct mapistore_stream **stream_r);
enum mapistore_error mapistore_stream_read(struct mapistore_stream *stream,
	uint8_t *buf, size_t size, size_t *read_r);
enum mapistore_error mapistore_stream_write(struct mapistore_stream *stream,
	const uint8_t *buf, size_t size);
enum mapistore_error mapistore_stream_seek(struct mapistore_stream *stream,
	int64_t offset, int origin, uint64_t *position_r);
enum mapistore_error mapistore_stream_get_size(struct mapistore_stream *stream,
	uint64_t *size_r);
enum mapistore_error mapistore_stream_commit(struct mapistore_stream *stream);

/* ------------------------------------------------------------------ */
/* Tables ([MS-OXCTABL])                                               */

/** Seek origins, [MS-OXCTABL] 2.2.2.1 (BOOKMARK_BEGINNING ...). */
#define MAPISTORE_SEEK_BEGINNING 0
#define MAPISTORE_SEEK_CURRENT   1
#define MAPISTORE_SEEK_END       2

/** Longest column set and largest row window accepted. */
#define MAPISTORE_MAX_COLUMNS 1024
#define MAPISTORE_MAX_QUERY_ROWS 0x10000

enum mapistore_error mapistore_table_set_columns(struct mapistore_table *table,
	const uint32_t *proptags, uint32_t count);
/** Restrict (NULL clears); emulated by the core when the backend lacks
 *  MAPISTORE_CAP_TABLE_RESTRICT. Moves the cursor to the beginning. */
enum mapistore_error mapistore_table_restrict(struct mapistore_table *table,
	const struct mapistore_restriction *res);
/** Sort (count 0 = natural order); emulated without MAPISTORE_CAP_TABLE_SORT. */
enum mapistore_error mapistore_table_sort(struct mapistore_table *table,
	const struct mapistore_sort_order *order, uint32_t count);
enum mapistore_error mapistore_table_get_row_count(struct mapistore_table *table,
	uint32_t *count_r);
/** Up to @p count rows from the cursor, advancing it (RopQueryRows forward). */
enum mapistore_error mapistore_table_query_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_table *table, uint32_t count, struct mapistore_row **rows_r,
	uint32_t *count_r);
/** RopSeekRow: move the cursor; @p moved_r gets the rows actually moved. */
enum mapistore_error mapistore_table_seek_row(struct mapistore_table *table,
	int origin, int32_t offset, int32_t *moved_r);
/**
 * RopSeekRowFractional ([MS-OXCTABL] 2.2.2.8): move the cursor to about
 * @p numerator / @p denominator of the rows; 0 is the first row, a
 * fraction of 1 or more the end. ERR_INVALID_PARAMETER when
 * @p denominator is 0. O(1) in the core; the next read is the backend's
 * positioned read (O(log n) for the local backend).
 */
enum mapistore_error mapistore_table_seek_row_fractional(struct mapistore_table *table,
	uint32_t numerator, uint32_t denominator);
/** RopQueryPosition. */
enum mapistore_error mapistore_table_get_position(struct mapistore_table *table,
	uint32_t *numerator_r, uint32_t *denominator_r);
/** RopCreateBookmark at the cursor. */
enum mapistore_error mapistore_table_create_bookmark(struct mapistore_table *table,
	uint32_t *bookmark_r);
/** RopSeekRowBookmark. ERR_NOT_FOUND for an unknown bookmark; a bookmark
 *  whose row is gone lands on the next row. */
enum mapistore_error mapistore_table_seek_bookmark(struct mapistore_table *table,
	uint32_t bookmark, int32_t offset, int32_t *moved_r);
enum mapistore_error mapistore_table_free_bookmark(struct mapistore_table *table,
	uint32_t bookmark);

/* ---- client-chosen IDs (mapistore_import.c), engineer "ftup" ---- */

/**
 * Whether @p fmid (FMID representation, REPLID 1 = the mailbox's replica)
 * may be given to a new object because a client chose it ([MS-OXCFXICS]
 * 3.3.5.2.1): its GLOBCNT lies in a range reserved for this mailbox with
 * RopGetLocalReplicaIds, the client did not give it up
 * (RopSetLocalReplicaMidsetDeleted, openchangedb_give_up_local_replica_ids())
 * and no object, live or deleted, has it.
 * @return SUCCESS; ERR_INVALID_PARAMETER (another replica, or never
 *         reserved), ERR_EXISTS (a live object has it), ERR_OBJECT_DELETED
 *         (a deleted object had it, or the client gave it up), database
 *         errors.
 */
enum mapistore_error mapistore_client_id_check(struct mapistore_context *ctx, uint64_t fmid);

/**
 * mapistore_message_create() with the client's MID @p mid instead of a
 * server one (checked with mapistore_client_id_check()). The message
 * becomes visible at mapistore_message_save(), stamped with the source key
 * of @p mid.
 */
enum mapistore_error mapistore_message_create_with_id(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, uint64_t mid,
	struct mapistore_message **msg_r);

/** mapistore_folder_create() with the client's FID @p fid (checked). */
enum mapistore_error mapistore_folder_create_with_id(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r);

/**
 * Move message @p mid of @p src into @p dst under the client's MID
 * @p new_mid ([MS-OXCFXICS] 2.2.3.2.4.4, 3.2.5.9.4.4
 * RopSynchronizationImportMessageMove with a DestinationMessageId of the
 * mailbox's replica, 3.3.5.2.1), checked with mapistore_client_id_check()
 * before anything changes. The message is recreated in @p dst (properties
 * with its PCL, recipients, attachments), stamped with the source key of
 * @p new_mid, then the source is deleted (a tombstone in @p src), as
 * mapistore_folder_move_copy_messages() does across backends.
 * @return SUCCESS; mapistore_client_id_check()'s errors; ERR_NOT_FOUND
 *         (no such message in @p src); backend and database errors.
 */
enum mapistore_error mapistore_message_move_with_id(struct mapistore_folder *dst,
	struct mapistore_folder *src, uint64_t mid, uint64_t new_mid);

/* ---- end of client-chosen IDs ---- */

/* ------------------------------------------------------------------ */
/* Issue 7: copy helpers and the receive folder table (mapistore_copy.c) */

/** What mapistore_message_copy_subobjects() copies (bits of @p what). */
#define MAPISTORE_COPY_RECIPIENTS   0x01
#define MAPISTORE_COPY_ATTACHMENTS  0x02
/** Embedded-message nesting already walked, in the bits above this. */
#define MAPISTORE_COPY_DEPTH_SHIFT  8
#define MAPISTORE_COPY_MAX_DEPTH    8

/**
 * Copy the subobjects of @p from onto @p to ([MS-OXCPRPT] 3.2.5.8
 * RopCopyTo with WantSubObjects): with MAPISTORE_COPY_RECIPIENTS the
 * recipients of @p to are replaced by those of @p from; with
 * MAPISTORE_COPY_ATTACHMENTS each attachment of @p from (properties, and
 * an embedded message, recursively) is added to @p to. Changes go to
 * @p to's working copy: they persist with mapistore_message_save(@p to).
 * ERR_TOO_BIG past MAPISTORE_COPY_MAX_DEPTH embedded levels.
 */
enum mapistore_error mapistore_message_copy_subobjects(struct mapistore_message *from,
	struct mapistore_message *to, uint32_t what);

/** One receive folder setting ([MS-OXCSTOR] 2.2.1.3). */
struct openchangedb_receive_folder {
	char *message_class;	/**< "" is the default entry */
	uint64_t fid;
};

/**
 * Every receive folder setting of @p username's mailbox, ordered by
 * message class ([MS-OXCSTOR] 2.2.1.4 RopGetReceiveFolderTable). The
 * array (with its strings) is allocated on @p mem_ctx.
 */
enum mapistore_error openchangedb_receive_folder_list(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	struct openchangedb_receive_folder **entries_r, uint32_t *count_r);
/**
 * Copy (or with @p move, move) @p folder under @p new_parent as
 * @p new_name ([MS-OXCFOLD] RopCopyFolder / RopMoveFolder), between any
 * two backend contexts. Within one backend context the backend's own
 * folder_move / folder_copy hooks run (a move keeps the FID); otherwise
 * the tree is recreated: the folder with its properties, its messages
 * and FAI messages (RopMoveCopyMessages' generic path), with
 * @p recursive (always for a move) its subfolders, and a move then
 * hard-deletes the source tree (ICS sees deletions and new objects).
 * @p new_fid_r gets the FID of the folder at its new place. The caller
 * checks that @p new_parent is not inside @p folder. On a failure part
 * of the tree may have been copied (RopMoveFolder's PartialCompletion).
 */
enum mapistore_error mapistore_folder_copy_tree(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name, bool recursive,
	bool move, uint64_t *new_fid_r);

/** More bits of mapistore_folder_copy_content()'s @p what. */
#define MAPISTORE_COPY_MESSAGES     0x04
#define MAPISTORE_COPY_FAI          0x08
#define MAPISTORE_COPY_SUBFOLDERS   0x10

/**
 * Copy the content of folder @p from into folder @p to ([MS-OXCPRPT]
 * 3.2.5.8 RopCopyTo with WantSubObjects on folders): its messages
 * (MAPISTORE_COPY_MESSAGES), FAI messages (MAPISTORE_COPY_FAI) and
 * subfolder trees (MAPISTORE_COPY_SUBFOLDERS) become new objects in
 * @p to. A subfolder whose name @p to already has is not copied and
 * counted in @p skipped_r. The caller checks that @p to is not inside
 * @p from.
 */
enum mapistore_error mapistore_folder_copy_content(struct mapistore_folder *from,
	struct mapistore_folder *to, uint32_t what, uint32_t *skipped_r);

/**
 * If attachment @p from holds an embedded message, copy it (properties,
 * recipients, attachments) as the embedded message of @p to, created
 * and saved into @p to's working copy. @p depth is the nesting already
 * walked (0 for a top-level attachment); ERR_TOO_BIG past
 * MAPISTORE_COPY_MAX_DEPTH. Nothing to do is success.
 */
enum mapistore_error mapistore_attachment_copy_embedded(struct mapistore_attachment *from,
	struct mapistore_attachment *to, uint32_t depth);

/**
 * Every property of @p from onto @p to (mapistore_properties_set), but
 * error values, PidTagAttachNumber and PtypObject ones (subobjects are
 * copied by their own calls). Scratch memory on @p tmp.
 */
enum mapistore_error mapistore_object_copy_properties(TALLOC_CTX *tmp,
	struct mapistore_object *from, struct mapistore_object *to);

/**
 * Attachment @p aid of @p from (its properties as
 * mapistore_object_copy_properties(), its embedded message as
 * mapistore_attachment_copy_embedded() at nesting @p depth) as a new
 * attachment of @p to's working copy.
 */
enum mapistore_error mapistore_message_copy_attachment(struct mapistore_message *from,
	struct mapistore_message *to, uint32_t aid, unsigned depth);
/* end of issue 7 block */

/* ---- search folders (mapistore_search.c), engineer "props" ---- */

/** Bounds of one search ([MS-OXCFOLD] 3.2.5.4): folders searched (a
 *  recursive search included), their nesting, and messages found. */
#define MAPISTORE_SEARCH_MAX_FOLDERS 4096
#define MAPISTORE_SEARCH_MAX_DEPTH 32
#define MAPISTORE_SEARCH_MAX_HITS 100000

/** One message a search found, and the folder it lives in. */
struct mapistore_search_hit {
	uint64_t fid;
	uint64_t mid;
};

/**
 * The normal messages of folders @p fids (with @p recursive, of their
 * subfolders too, backend and openchangedb ones) that match @p res
 * (NULL: all), as the folders' contents tables restricted by @p res see
 * them; folders in the order given (depth first), messages in table
 * order, each folder once. *@p hits_r on @p mem_ctx (NULL when none).
 * ERR_TOO_BIG beyond the MAPISTORE_SEARCH_MAX_* bounds.
 */
enum mapistore_error mapistore_search_run(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	const uint64_t *fids, uint32_t fid_count, bool recursive,
	const struct mapistore_restriction *res, struct mapistore_search_hit **hits_r,
	uint32_t *count_r);

/**
 * A contents table over @p hits (copied), for search folder @p fid: its
 * rows are the messages' current properties (a message deleted since
 * gives ecNotFound columns), restrictions, sort orders and bookmarks are
 * emulated by the core. RES_SUBRESTRICTION is not evaluated on it.
 */
enum mapistore_error mapistore_search_table(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fid, const struct mapistore_search_hit *hits, uint32_t count,
	struct mapistore_table **table_r);
/* end of search folders block */

#endif /* MAPISTORE_H */

/**
 * @file mapistore_private.h
 * @brief Internal structures of the core. Never installed.
 */
#ifndef MAPISTORE_PRIVATE_H
#define MAPISTORE_PRIVATE_H

#include "mapistore.h"
#include "mapistore_changes.h"
#include "mapistore_db.h"

/* mstore_changes.kind / mstore_tombstones.kind */
#define MAPISTORE_CHANGE_KIND_MESSAGE 0
#define MAPISTORE_CHANGE_KIND_FAI     1
#define MAPISTORE_CHANGE_KIND_FOLDER  2

/** One backend context per (backend, root URI) of a mapistore context. */
struct mapistore_bctx {
	struct mapistore_bctx *next;
	const struct mapistore_backend_ops *ops;
	char *root_uri;
	struct mapistore_backend_context *b;
};

struct mapistore_context {
	const struct mapistore_config *cfg;
	char *username;
	char errmsg[512];
	struct mapistore_backend_env env;
	struct mapistore_db *ocdb_db;
	struct mapistore_db *idx_db;     /* indexing and change tracking */
	struct openchangedb_context *ocdb;
	/* the replica IDs and CNs come from (resolved on first use) */
	bool replica_known;
	bool has_mailbox;
	uint8_t replica_guid[16];
	struct mapistore_indexing *indexing;
	struct mapistore_namedprops *namedprops;
	struct mapistore_bctx *bctxs;
};

/** What every core object embeds for the property/stream API. */
struct mapistore_object {
	struct mapistore_context *ctx;
	const struct mapistore_backend_ops *ops;
	struct mapistore_backend_object bobj;
};

struct mapistore_folder {
	struct mapistore_object obj;
	struct mapistore_bctx *bctx;
	struct mapistore_backend_folder *b;
	uint64_t fid;
};

struct mapistore_message {
	struct mapistore_object obj;   /* first: a message's object casts back */
	struct mapistore_backend_message *b;
	uint64_t mid;
	uint64_t fid;          /* folder of a tracked message; 0 = embedded */
	char *folder_uri;      /* for indexing a new message */
	bool fai;
	bool fai_known;
	/* PidTagChangeKey / PCL set by the caller (ICS import), kept by save */
	struct mapistore_binary client_change_key;
	struct mapistore_binary client_pcl;
};

struct mapistore_attachment {
	struct mapistore_object obj;
	struct mapistore_backend_attachment *b;
	uint32_t aid;
};

struct mapistore_stream {
	struct mapistore_object *owner;
	struct mapistore_backend_stream *b;
	uint32_t proptag;
	/* MAPISTORE_STREAM_UTF16: the core holds the value as UTF-16LE */
	bool utf16;
	bool writable;
	bool dirty;
	uint8_t *u16;
	size_t u16_len;
	size_t pos;
};

struct mapistore_bookmark {
	uint32_t id;
	uint64_t fmid;
	uint32_t position;
};

struct mapistore_table {
	struct mapistore_context *ctx;
	const struct mapistore_backend_ops *ops;
	struct mapistore_backend_table *b;
	enum mapistore_table_type type;
	uint32_t *columns;
	uint32_t column_count;
	struct mapistore_restriction *restriction;
	struct mapistore_sort_order *sort;
	uint32_t sort_count;
	uint64_t fid;            /* folder of a hierarchy/contents table, or 0 */
	bool declined_restrict;  /* backend answered NOT_SUPPORTED for this table */
	bool declined_sort;
	bool emulate;            /* core filters/sorts */
	bool emu_valid;
	struct mapistore_row *emu_rows;   /* full rows incl. helper columns */
	uint32_t emu_count;
	uint32_t position;
	struct mapistore_bookmark *bookmarks;
	uint32_t bookmark_count;
	uint32_t next_bookmark;
};

/** Trace one hook call: DEBUG log with elapsed time; sanitises @p ret. */
enum mapistore_error mapistore_trace(struct mapistore_context *ctx,
	const struct mapistore_backend_ops *ops, const char *hook,
	uint64_t start_ns, enum mapistore_error ret);

/** Monotonic clock in nanoseconds. */
uint64_t mapistore_now_ns(void);

/** Record an error detail on @p ctx (formatted, never with secrets). */
void mapistore_set_errmsg(struct mapistore_context *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Fill every NULL hook of @p ops with its "not supported" default. */
void mapistore_backend_fill_defaults(struct mapistore_backend_ops *ops);

/** The backend env's logger (printf-style, prefixed by backend name). */
void mapistore_backend_log(enum mapistore_log_level level, const char *backend,
			   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** Allocate one ID / change number from the context's replica: the
 *  mailbox's own counter, or the server's without a mailbox. */
enum mapistore_error mapistore_new_id(struct mapistore_context *ctx, uint64_t *id_r);
/** @p count consecutive IDs (one transaction); the first in @p first_r. */
enum mapistore_error mapistore_new_ids(struct mapistore_context *ctx, uint32_t count,
	uint64_t *first_r);
/** The @p i-th ID of a block starting at @p first. */
uint64_t mapistore_id_nth(uint64_t first, uint32_t i);

/* mapistore_changes.c: the change-tracking rows (metadata store) */
enum mapistore_error mapistore_changes_load(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fmid, struct mapistore_change **change_r);
enum mapistore_error mapistore_changes_put(struct mapistore_context *ctx,
	const struct mapistore_change *c);
enum mapistore_error mapistore_changes_forget(struct mapistore_context *ctx, uint64_t fmid);
enum mapistore_error mapistore_changes_set_read(struct mapistore_context *ctx, uint64_t mid,
	bool read, uint64_t read_cn);
enum mapistore_error mapistore_changes_bury(struct mapistore_context *ctx,
	const struct mapistore_tombstone *tombs, uint32_t count);
enum mapistore_error mapistore_changes_children(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, uint64_t **fmids_r, int64_t **kinds_r,
	uint32_t *count_r);
enum mapistore_error mapistore_changes_drop_children(struct mapistore_context *ctx,
	uint64_t fid);

/* mapistore_folder.c / mapistore_message.c: creation with a given ID
 * (allocated by the caller: mapistore_new_id, or a client-chosen one
 * checked by mapistore_client_id_check); arguments already validated */
enum mapistore_error mapistore_folder_create_as(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *parent, uint64_t fid, const struct mapistore_property *props,
	uint32_t count, struct mapistore_folder **folder_r);
enum mapistore_error mapistore_message_create_as(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, uint64_t mid,
	struct mapistore_message **msg_r);

/* mapistore_intents.c: the crash window between a backend commit and the
 * tracking written after it (mstore_intents, migration 005) */
enum mapistore_intent_op {
	MAPISTORE_INTENT_DELETE_MESSAGE = 1,   /**< arg: hard (1) or soft (0) */
	MAPISTORE_INTENT_DELETE_FOLDER = 2,    /**< arg: hard (1) or soft (0) */
	MAPISTORE_INTENT_READ_STATE = 3,       /**< arg: unused */
};
/** Before a backend call: record that @p op is under way for @p fmids
 *  (children of @p parent_fid), one transaction. */
enum mapistore_error mapistore_intent_begin(struct mapistore_context *ctx,
	enum mapistore_intent_op op, uint64_t parent_fid, const uint64_t *fmids,
	uint32_t count, int64_t arg);
/** After the tracking of @p op is written: forget the intents. */
enum mapistore_error mapistore_intent_end(struct mapistore_context *ctx,
	enum mapistore_intent_op op, const uint64_t *fmids, uint32_t count);
/** Complete the tracking of every intent a crash left behind, from what
 *  the backend really holds (at most 4096 per call). @p replayed_r may be
 *  NULL. Called by mapistore_context_new(). */
enum mapistore_error mapistore_intents_replay(struct mapistore_context *ctx,
	uint32_t *replayed_r);

/* mapistore_tracking.c: what each operation records */
/** Resolve the context's replica (GUID) once. */
enum mapistore_error mapistore_track_replica(struct mapistore_context *ctx);
/** The source key of @p fmid in this context's replica. */
enum mapistore_error mapistore_track_source_key(struct mapistore_context *ctx, uint64_t fmid,
	uint8_t key[MAPISTORE_SOURCE_KEY_SIZE]);
/**
 * Fill @p c for a change of @p fmid with change number @p cn (FMID
 * representation): source key, change key (@p client_ck when given,
 * else the XID of @p cn), PCL = @p old_pcl + @p client_pcl + change key,
 * last modification now. @p props_r (5 entries, values on @p mem_ctx)
 * gets the properties to store on the object; @p parent_fid > 0 adds
 * PidTagParentSourceKey (folders).
 */
enum mapistore_error mapistore_track_stamp(TALLOC_CTX *mem_ctx, struct mapistore_context *ctx,
	uint64_t fmid, uint64_t cn, const struct mapistore_binary *old_pcl,
	const struct mapistore_binary *client_ck, const struct mapistore_binary *client_pcl,
	uint64_t parent_fid, struct mapistore_change *c, struct mapistore_property *props_r,
	uint32_t *prop_count_r);
/** Record @p fid as deleted (and forget what was inside it). */
enum mapistore_error mapistore_track_folder_gone(struct mapistore_context *ctx, uint64_t fid,
	uint64_t parent_fid, bool hard);
/** Track a folder created or copied by a backend: stamp and row. */
enum mapistore_error mapistore_track_new_folder(struct mapistore_folder *folder,
	uint64_t parent_fid, bool set_props);
/** Re-stamp message @p mid of @p folder (moved/copied by the backend):
 *  tracking properties, backend save with a new CN, row, indexing.
 *  @p old_pcl (moves) is merged, NULL for copies. */
enum mapistore_error mapistore_track_adopt_message(struct mapistore_folder *folder,
	uint64_t mid, const struct mapistore_binary *old_pcl);
/** Bury messages @p mids of folder @p fid (CNs allocated here). */
enum mapistore_error mapistore_track_bury_messages(struct mapistore_context *ctx, uint64_t fid,
	const uint64_t *mids, uint32_t count, bool hard);
/** Before a backend save of @p m with change number @p cn: stamp the
 *  tracking properties and write the change row. @p old_r gets the
 *  previous row (NULL if none; free it), @p is_new_r whether there was none. */
enum mapistore_error mapistore_track_message_save(struct mapistore_message *m, uint64_t cn,
	struct mapistore_change **old_r, bool *is_new_r);
/** Index message @p mid of folder @p fid at @p folder_uri (no-op if
 *  already indexed). */
enum mapistore_error mapistore_track_index_message(struct mapistore_context *ctx,
	uint64_t fid, const char *folder_uri, uint64_t mid);
/** A folder changed (properties, move): new CN, stamp, row with
 *  @p parent_fid (0: keep the recorded parent). No-op for folders not
 *  tracked (backend roots). */
enum mapistore_error mapistore_track_folder_change(struct mapistore_folder *folder,
	uint64_t parent_fid);
/** After folder_empty: tombstones for what the folder held. */
enum mapistore_error mapistore_track_emptied(struct mapistore_folder *folder,
	bool delete_subfolders);
/** Tombstones for those of @p mids the backend no longer has. */
enum mapistore_error mapistore_track_bury_gone(struct mapistore_folder *folder,
	const uint64_t *mids, uint32_t count);
/** After a backend move/copy of messages: tombstones in @p src (moves),
 *  new keys/CNs/rows/indexing in @p dst. */
enum mapistore_error mapistore_track_moved(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy);
/* mapistore_move.c: move/copy of messages through the API (any pair of
 * folders: other backend, other context) */
enum mapistore_error mapistore_move_copy_generic(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, uint32_t count, bool want_copy,
	uint64_t *new_mids_r);
/** Index and track everything below a freshly copied folder. */
enum mapistore_error mapistore_track_copied_tree(struct mapistore_folder *copy, unsigned depth);
/** The current FILETIME. */
int64_t mapistore_filetime_now(void);

#endif /* MAPISTORE_PRIVATE_H */

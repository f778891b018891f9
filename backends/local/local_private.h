/**
 * @file local_private.h
 * @brief The local backend: the embedded default store of the quick start.
 *
 * On-disk format (doc/mapistore.md, "local backend"):
 *   <mapistore:data_path>/<user>/store.db   SQLite, WAL, synchronous=FULL:
 *       folders, messages (properties inline), deletions, permissions
 *   <mapistore:data_path>/<user>/blobs/xx/<32 hex>  message content
 *       (recipients, attachments, embedded messages) larger than
 *       LOCAL_INLINE_MAX, written to a temp file, fsync'ed, renamed,
 *       directory fsync'ed, *before* the transaction that references it
 *       commits. Each blob carries a checksum checked on every read.
 * Crash safety: a save is one SQLite transaction; a blob is either fully
 * written and referenced, or unreferenced (removed by local_fsck()).
 */
#ifndef LOCAL_PRIVATE_H
#define LOCAL_PRIVATE_H

#include <sqlite3.h>

#include "mapistore_backend.h"
#include "mapistore_props.h"

#define LOCAL_INLINE_MAX (64 * 1024)
#define LOCAL_MAX_EMBED_DEPTH 8
#define LOCAL_MAX_RECIPIENTS 0xFFFF
#define LOCAL_MAX_ATTACHMENTS 0xFFFF

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
#define PidTagMemberId             0x66710014
#define PidTagMemberName           0x6672001F
#define PidTagMemberRights         0x66730003
#define mfRead      0x00000001
#define mfSubmitted 0x00000004

struct local_msg;

struct local_att {
	uint32_t aid;
	struct mapistore_property_list props;
	struct local_msg *embedded;
};

/** A message in memory: properties plus content. */
struct local_msg {
	struct mapistore_property_list props;
	struct mapistore_recipient *recipients;
	uint32_t recipient_count;
	struct local_att **atts;
	uint32_t att_count;
	uint32_t next_aid;
};

/** One user store (one connection per backend context). */
#define LOCAL_STMT_CACHE 64

/** Materialised table orders kept per connection (local_view.c): the
 *  least recently used one is evicted, its table rebuilds on demand. */
#define LOCAL_VIEW_SLOTS 8

struct local_view_slot {
	uint64_t generation;   /* bumped when the slot is (re)assigned */
	uint64_t last_used;
};

struct local_store {
	sqlite3 *db;
	const char *cache_sql[LOCAL_STMT_CACHE];
	sqlite3_stmt *cache_stmt[LOCAL_STMT_CACHE];
	char *dir;
	char *blob_dir;
	/* bumped by an update hook on every change to the main database */
	uint64_t change_seq;
	uint64_t view_clock;
	struct local_view_slot views[LOCAL_VIEW_SLOTS];
};

struct mapistore_backend_context {
	const struct mapistore_backend_env *env;
	char *root_uri;
	char *username;
	struct local_store *store;
	uint64_t root_fid;
};

struct mapistore_backend_folder {
	struct mapistore_backend_context *ctx;
	uint64_t fid;
};

struct mapistore_backend_message {
	struct mapistore_backend_context *ctx;
	uint64_t fid;        /* 0 for an embedded message */
	uint64_t mid;
	bool fai;
	bool read_write;
	bool is_new;
	uint64_t cn;
	struct mapistore_backend_attachment *parent_att;
	struct local_msg *work;
};

struct mapistore_backend_attachment {
	struct mapistore_backend_message *msg;
	struct local_att *data;
};

struct mapistore_backend_table {
	struct mapistore_backend_context *ctx;
	enum mapistore_table_type type;
	uint64_t fid;
	struct mapistore_backend_message *msg;
	uint32_t *columns;
	uint32_t column_count;
	/* keyset continuation of sequential paging (O(log n) per page) */
	uint32_t next_position;
	uint64_t next_after;
	bool cursor_valid;
	/* native restriction / sort of contents tables (local_view.c) */
	struct mapistore_restriction *restriction;
	struct mapistore_sort_order *sort;
	uint32_t sort_count;
	bool view_built;
	uint32_t view_slot;
	uint64_t view_generation;
	uint64_t view_change_seq;
	int64_t view_data_version;
	uint32_t view_count;
};

/* A stream is the core's buffer helper plus the property it commits to. */
struct mapistore_backend_stream {
	struct mapistore_backend_object obj;
	uint32_t proptag;
	struct mapistore_stream_buffer buf;
};

/* local_store.c: files, SQL, codec */
enum mapistore_error local_store_open(TALLOC_CTX *mem_ctx, const char *dir,
	struct local_store **store_r);
/** A cached, reset prepared statement for the constant @p sql, or NULL. */
sqlite3_stmt *local_stmt(struct local_store *s, const char *sql);
/** Step @p st to completion (no rows wanted). */
enum mapistore_error local_step_done(sqlite3_stmt *st);
/** Map an SQLite result code. */
enum mapistore_error local_sqlite_error(int rc);
enum mapistore_error local_begin(struct local_store *s);
enum mapistore_error local_commit(struct local_store *s);
void local_rollback(struct local_store *s);
/** End a local_begin() transaction: commit when @p ret is MAPISTORE_SUCCESS,
 *  roll back otherwise. Returns @p ret, or the error of a failed commit. */
enum mapistore_error local_end(struct local_store *s, enum mapistore_error ret);
/** local_end(), then, only when the commit succeeded, remove the
 *  @p blob_count blob files @p blobs the committed change no longer
 *  references. */
enum mapistore_error local_end_remove_blobs(struct local_store *s, enum mapistore_error ret,
	char **blobs, uint32_t blob_count);
enum mapistore_error local_blob_write(struct local_store *s, const uint8_t *data,
	size_t length, char name_r[33]);
enum mapistore_error local_blob_read(TALLOC_CTX *mem_ctx, struct local_store *s,
	const char *name, uint8_t **data_r, size_t *length_r);
void local_blob_remove(struct local_store *s, const char *name);
enum mapistore_error local_msg_encode(TALLOC_CTX *mem_ctx, const struct local_msg *m,
	bool with_props, struct mapistore_binary *out);
enum mapistore_error local_msg_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, bool with_props, struct local_msg **m_r);
/** FNV-1a 64 checksum stored beside message content. */
uint64_t local_checksum(const uint8_t *data, size_t length);
/** Verify the store; with @p repair remove unreferenced blobs. Returns
 *  ERR_CORRUPTED when a message or index is damaged. */
enum mapistore_error local_fsck(struct local_store *s, bool repair, uint32_t *problems_r);

/* local_view.c: positioned access to contents tables */
/** True when rows of @p t must come from its materialised view (a
 *  restriction or sort is set, or the read is not sequential). */
bool local_view_wanted(const struct mapistore_backend_table *t, uint32_t position);
/** Build the view if missing or stale (O(n) once). */
enum mapistore_error local_view_ensure(struct mapistore_backend_table *t);
/** MIDs at @p position.. (at most @p count) in view order, O(log n). */
enum mapistore_error local_view_mids(TALLOC_CTX *mem_ctx, struct mapistore_backend_table *t,
	uint32_t position, uint32_t count, uint64_t **mids_r, uint32_t *count_r);
/** Position of @p mid in the view, O(log n). */
enum mapistore_error local_view_find(struct mapistore_backend_table *t, uint64_t mid,
	uint32_t *position_r);
/** Forget the view of @p t (restriction or sort changed). */
void local_view_invalidate(struct mapistore_backend_table *t);

/* local_props.c */
enum mapistore_error local_msg_clone(TALLOC_CTX *mem_ctx, const struct local_msg *src,
	struct local_msg **dst_r);

/* local_folder.c */
enum mapistore_error local_folder_props(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t fid, struct mapistore_property_list *props_r, bool *deleted_r);
enum mapistore_error local_folder_save_props(struct local_store *s, uint64_t fid,
	const struct mapistore_property_list *props);
enum mapistore_error local_folder_computed(TALLOC_CTX *mem_ctx, struct local_store *s,
	uint64_t fid, struct mapistore_property **props_r, uint32_t *count_r);

/** Register the local backend (built-in use and tests). */
enum mapistore_error mapistore_local_backend_register(void);

extern const struct mapistore_backend_ops local_backend_ops;

#endif /* LOCAL_PRIVATE_H */

/**
 * @file mapistore_private.h
 * @brief Internal structures of the core. Never installed.
 */
#ifndef MAPISTORE_PRIVATE_H
#define MAPISTORE_PRIVATE_H

#include "mapistore.h"
#include "mapistore_db.h"

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
	struct openchangedb_context *ocdb;
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
	struct mapistore_object obj;
	struct mapistore_backend_message *b;
	uint64_t mid;
};

struct mapistore_attachment {
	struct mapistore_object obj;
	struct mapistore_backend_attachment *b;
	uint32_t aid;
};

struct mapistore_stream {
	struct mapistore_object *owner;
	struct mapistore_backend_stream *b;
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

/** Allocate one ID / change number from openchangedb. */
enum mapistore_error mapistore_new_id(struct mapistore_context *ctx, uint64_t *id_r);

#endif /* MAPISTORE_PRIVATE_H */

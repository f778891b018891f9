/**
 * @file mapistore_indexing.h
 * @brief Indexing: FMID <-> backend URI per user, with soft-deleted
 *        state. Both directions use an index (O(log n)): FMID through the
 *        (username, fmid) primary key, URI through (username, uri_hash)
 *        then an exact compare.
 */
#ifndef MAPISTORE_INDEXING_H
#define MAPISTORE_INDEXING_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_errors.h"

struct mapistore_db;
struct mapistore_indexing;

/** Longest URI stored. */
#define MAPISTORE_INDEXING_MAX_URI 4096

/** An indexing handle for @p username on the migrated connection @p db
 *  (not owned; must outlive the handle). */
enum mapistore_error mapistore_indexing_new(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *username,
	struct mapistore_indexing **idx_r);

/** Record @p fmid <-> @p uri. ERR_EXISTS if either is already there. */
enum mapistore_error mapistore_indexing_add(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri);

/** Change the URI of @p fmid (move, rename). */
enum mapistore_error mapistore_indexing_update(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri);

/** URI of @p fmid (on @p mem_ctx); @p soft_deleted_r optional. */
enum mapistore_error mapistore_indexing_get_uri(TALLOC_CTX *mem_ctx,
	struct mapistore_indexing *idx, uint64_t fmid, char **uri_r,
	bool *soft_deleted_r);

/** FMID of @p uri; @p soft_deleted_r optional. */
enum mapistore_error mapistore_indexing_get_fmid(struct mapistore_indexing *idx,
	const char *uri, uint64_t *fmid_r, bool *soft_deleted_r);

/** Mark or unmark @p fmid soft-deleted. */
enum mapistore_error mapistore_indexing_set_soft_deleted(
	struct mapistore_indexing *idx, uint64_t fmid, bool soft_deleted);

/** Forget @p fmid. ERR_NOT_FOUND if absent. */
enum mapistore_error mapistore_indexing_delete(struct mapistore_indexing *idx,
	uint64_t fmid);

/**
 * Record @p fmid <-> @p uri with its parent folder: a subfolder, or with
 * @p is_message a message (URI from mapistore_indexing_message_uri()).
 * ERR_EXISTS if either is already there.
 */
enum mapistore_error mapistore_indexing_add_child(struct mapistore_indexing *idx,
	uint64_t fmid, const char *uri, uint64_t parent_fid, bool is_message);

/** Parent folder of @p fmid (0 for a root), whether it is a message and
 *  soft-deleted (each optional). ERR_NOT_FOUND if unknown. */
enum mapistore_error mapistore_indexing_get_parent(struct mapistore_indexing *idx,
	uint64_t fmid, uint64_t *parent_fid_r, bool *is_message_r, bool *soft_deleted_r);

/** Record a new parent folder (folder move). */
enum mapistore_error mapistore_indexing_set_parent(struct mapistore_indexing *idx,
	uint64_t fmid, uint64_t parent_fid);

/** The indexing URI of message @p mid in the folder at @p folder_uri:
 *  "<folder uri>#msg-<16 hex digits>" (on @p mem_ctx). Messages are
 *  reached through their parent folder; the URI only has to be unique. */
char *mapistore_indexing_message_uri(TALLOC_CTX *mem_ctx, const char *folder_uri, uint64_t mid);

/** The 64-bit FNV-1a hash indexed for URIs (exposed for tests). */
int64_t mapistore_indexing_uri_hash(const char *uri);

#endif /* MAPISTORE_INDEXING_H */

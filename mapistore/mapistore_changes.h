/**
 * @file mapistore_changes.h
 * @brief Change tracking for ICS ([MS-OXCFXICS]): change numbers, source
 *        keys, change keys, predecessor change lists, read-state change
 *        numbers and tombstones of every folder and message, kept in the
 *        metadata store, and the queries an ICS download needs.
 *        Included by mapistore.h.
 *
 * Every create, modify, delete, move and read-state change made through
 * the core API (mapistore.h) gets a change number (CN): a GLOBCNT of the
 * mailbox's replica ([MS-OXCFXICS] 2.2.2.1, 3.1.5.3), the same counter
 * that hands out FIDs and MIDs. The core stores on the object
 * PidTagSourceKey (REPLGUID + GLOBCNT of the FID/MID, 2.2.1.2.5),
 * PidTagChangeKey (XID of the CN, 2.2.1.2.7), PidTagPredecessorChangeList
 * (merged on every change, 2.2.1.2.8) and PidTagLastModificationTime,
 * and records the change in the metadata store (table mstore_changes).
 * Read-state changes ([MS-OXCMSG] RopSetMessageReadFlag) get their own CN
 * (the CnsetRead series, 2.2.1.1.4) and leave the change key alone.
 * Deletions leave tombstones (mstore_tombstones). A move is a deletion
 * in the source folder plus a creation (new MID, new source key) in the
 * target, as ICS reports it.
 *
 * CNs and CNSETs are exchanged as plain GLOBCNT values and sorted arrays
 * of inclusive GLOBCNT ranges; the IDSET/CNSET wire codec lives in
 * ndr/fxics. Every query returns items in CN order, at most @p max per
 * call, and a cursor (the last CN returned) to continue from: each item
 * costs one B-tree step (O(log n)).
 */
#ifndef MAPISTORE_CHANGES_H
#define MAPISTORE_CHANGES_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "mapistore_errors.h"
#include "mapistore_types.h"

struct mapistore_context;

/** PidTagSourceKey / a change key with a 6-byte LocalId: 16 + 6 bytes. */
#define MAPISTORE_SOURCE_KEY_SIZE 22
/** Longest PCL accepted: XIDs in one PidTagPredecessorChangeList. */
#define MAPISTORE_PCL_MAX_XIDS 4096
/** Ranges in one CNSET argument, and items in one query answer. */
#define MAPISTORE_CNSET_MAX_RANGES 0x10000
#define MAPISTORE_SYNC_MAX_ITEMS 0x10000

/* Properties the change tracking maintains ([MS-OXPROPS]). */
#define PidTagSourceKey                0x65E00102
#define PidTagParentSourceKey          0x65E10102
#define PidTagChangeKey                0x65E20102
#define PidTagPredecessorChangeList    0x65E30102
#define PidTagLastModificationTime     0x30080040
#define PidTagMessageSize              0x0E080003

/** An inclusive range of GLOBCNT values (one CNSET/IDSET entry). */
struct mapistore_globcnt_range {
	uint64_t first;
	uint64_t last;
};

/** One XID ([MS-OXCFXICS] 2.2.2.2). */
struct mapistore_xid {
	uint8_t guid[16];
	uint8_t local_id_size;   /**< 1..8 */
	uint8_t local_id[8];
};

/** What an ICS stream needs about one folder or message. */
struct mapistore_change {
	uint64_t fmid;          /**< FID or MID (representation of mapistore_types.h) */
	uint64_t parent_fid;    /**< containing folder (parent folder for a folder) */
	uint64_t cn;            /**< GLOBCNT of the last change */
	uint64_t read_cn;       /**< GLOBCNT of the last read-state change, 0 = none */
	bool is_folder;
	bool fai;               /**< associated (FAI) message */
	bool read;              /**< mfRead of PidTagMessageFlags */
	uint8_t source_key[MAPISTORE_SOURCE_KEY_SIZE];
	uint8_t change_key[24]; /**< XID, change_key_size bytes */
	uint8_t change_key_size;
	struct mapistore_binary pcl;   /**< PidTagPredecessorChangeList (on the answer) */
	int64_t last_modified;  /**< FILETIME */
	uint64_t message_size;
};

/** A deletion ([MS-OXCFXICS] 2.2.4.3.5 deletions: soft and hard). */
struct mapistore_tombstone {
	uint64_t fmid;
	uint64_t parent_fid;
	uint64_t cn;            /**< GLOBCNT of the deletion */
	bool is_folder;
	bool fai;
	bool hard;              /**< hard delete (else soft) */
	uint8_t source_key[MAPISTORE_SOURCE_KEY_SIZE];
};

/* ---- identifiers ---- */

/** "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" -> the 16 wire bytes of a GUID
 *  ([MS-DTYP] 2.3.4: Data1..Data3 little-endian). */
enum mapistore_error mapistore_guid_from_string(const char *text, uint8_t guid[16]);

/** XID / source key of @p globcnt under @p guid: GUID then the GLOBCNT's
 *  6 bytes, most significant first ([MS-OXCFXICS] 2.2.2.5). */
void mapistore_xid_make(const uint8_t guid[16], uint64_t globcnt,
			uint8_t xid[MAPISTORE_SOURCE_KEY_SIZE]);

/** Parse a PredecessorChangeList (SizedXid*, 2.2.2.3). ERR_CORRUPTED on a
 *  bad XidSize (outside 17..24) or a truncated entry. */
enum mapistore_error mapistore_pcl_parse(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, struct mapistore_xid **xids_r, uint32_t *count_r);

/** The union of two PCLs, one XID per namespace GUID (the greatest
 *  LocalId), serialised on @p mem_ctx. Either input may be NULL. */
enum mapistore_error mapistore_pcl_merge(TALLOC_CTX *mem_ctx,
	const struct mapistore_binary *a, const struct mapistore_binary *b,
	struct mapistore_binary *out);

/** A one-entry PCL holding @p xid. */
enum mapistore_error mapistore_pcl_from_xid(TALLOC_CTX *mem_ctx, const uint8_t *xid,
	size_t xid_size, struct mapistore_binary *out);

/** Whether @p pcl already integrates change @p xid (same namespace,
 *  LocalId not newer): conflict detection, [MS-OXCFXICS] 3.1.5.6.1. */
enum mapistore_error mapistore_pcl_includes(const struct mapistore_binary *pcl,
	const uint8_t *xid, size_t xid_size, bool *included_r);

/* ---- recording changes the core API does not see ---- */

/**
 * Record a change of folder @p fid whose properties the backend does not
 * track: an openchangedb folder (system folder, or a special folder's
 * record), after its properties changed ([MS-OXCFXICS] 3.1.5.3; its
 * folderChange in the next hierarchy download, 2.2.4.3.3). It gets a new
 * CN from the mailbox counter; the row (mstore_changes) holds is_folder,
 * the parent FID, PidTagSourceKey, PidTagChangeKey = XID of the new CN
 * (2.2.1.2.7), PidTagPredecessorChangeList merged with the previous
 * row's (2.2.1.2.8) and PidTagLastModificationTime (now). Nothing is
 * written to any object: the computed properties and the hierarchy
 * producer read the row.
 *
 * @p parent_fid: the folder's parent, or 0 to take it from openchangedb's
 * record, else from the previous row (0 for a mailbox root).
 * Call it only after the change itself succeeded.
 * @return MAPISTORE_SUCCESS, ERR_INVALID_PARAMETER (NULL context, FID 0)
 *         or the metadata store's error.
 */
enum mapistore_error mapistore_changes_track_folder(struct mapistore_context *ctx,
	uint64_t fid, uint64_t parent_fid);

/* ---- queries for the ICS download (on a context; results on mem_ctx) ---- */

/**
 * The replica of this context's mailbox: its GUID (16 wire bytes) and
 * the highest GLOBCNT handed out so far (everything a CNSET of "all seen
 * changes" covers). Without a mailbox, the server replica.
 */
enum mapistore_error mapistore_changes_get_replica(struct mapistore_context *ctx,
	uint8_t guid_r[16], uint64_t *last_globcnt_r);

/** The tracked state of one folder or message; ERR_NOT_FOUND if none. */
enum mapistore_error mapistore_changes_get(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fmid, struct mapistore_change **change_r);

/**
 * Messages of folder @p fid (FAI ones when @p fai) whose CN is not in
 * @p seen (sorted, non-overlapping ranges; NULL/0 = nothing seen) and
 * greater than @p after (cursor; 0 to start), in CN order, at most
 * @p max. @p next_r gets the cursor for the next call (the last CN
 * returned, or @p after when nothing came back); @p more_r whether the
 * answer was cut at @p max.
 */
enum mapistore_error mapistore_sync_messages(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid, bool fai,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r);

/** Messages of @p fid whose read state changed with a read CN not in
 *  @p seen_read (the CnsetRead), in read-CN order; cursor on read CNs.
 *  FAI messages have no read state ([MS-OXCFXICS] 3.2.5.9.4.6). */
enum mapistore_error mapistore_sync_read_states(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid,
	const struct mapistore_globcnt_range *seen_read, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r);

/** Deletions in folder @p fid (messages, normal and FAI) with a CN not
 *  in @p seen, in CN order. */
enum mapistore_error mapistore_sync_deletions(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_tombstone **tombs_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r);

/**
 * Folders below @p root_fid (any depth, not @p root_fid itself) created,
 * changed or moved with a CN not in @p seen, in CN order (a parent may
 * come after its child when it changed later: the stream orders parents
 * first, [MS-OXCFXICS] 3.2.5.3). Costs O(folders under the root).
 */
enum mapistore_error mapistore_sync_hierarchy(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t root_fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_change **changes_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r);

/** Folders deleted below @p root_fid with a CN not in @p seen. */
enum mapistore_error mapistore_sync_hierarchy_deletions(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, uint64_t root_fid,
	const struct mapistore_globcnt_range *seen, uint32_t seen_count, uint64_t after,
	uint32_t max, struct mapistore_tombstone **tombs_r, uint32_t *count_r,
	uint64_t *next_r, bool *more_r);

#endif /* MAPISTORE_CHANGES_H */

/*
 * IDSET, CNSET and GLOBSET structures of [MS-OXCFXICS] 2.2.2.4-2.2.2.6 and
 * their serialization (3.1.5.4), plus the set operations ICS needs and
 * PredecessorChangeList helpers ([MS-OXCFXICS] 2.2.2.4.2 / [MS-OXCDATA]
 * 2.2.2.3; the PCL codec itself is ndr/rop's oxcdata_pcl_decode/encode).
 *
 * GLOBCNT (2.2.2.5) is a 6-byte counter stored high-order byte first; in
 * memory it is a uint64_t below 2^48. A GLOBSET is kept normalized: ranges
 * sorted, disjoint and not adjacent (adjacent ranges are merged).
 *
 * A Folder ID / Message ID / CN ([MS-OXCDATA] 2.2.1.1-2.2.1.2, [MS-OXCFXICS]
 * 2.2.2.1) in memory is the uint64_t read little-endian from its 8 wire
 * bytes: REPLID = low 16 bits, GLOBCNT = the next 6 bytes, high-order first.
 *
 * Errors are `enum rop_err`; results are talloc'd on the given context.
 */
#ifndef IDSET_H
#define IDSET_H

#include "oxcdata_ids.h"

#define GLOBCNT_MAX 0xFFFFFFFFFFFFULL

/** A range of GLOBCNT values, Low <= High (inclusive). */
struct GLOBCNT_range {
	uint64_t Low;
	uint64_t High;
};

/** 2.2.2.6 GLOBSET, normalized. */
struct GLOBSET {
	uint32_t RangeCount;
	struct GLOBCNT_range *Ranges;
	uint32_t alloc;         /**< capacity of Ranges (internal) */
};

/** Maximum bytes on the common byte stack of the GLOBSET commands (2.2.2.6). */
#define GLOBSET_STACK_MAX 6

/** GLOBSET command bytes, 2.2.2.6.1-2.2.2.6.5. */
enum globset_command {
	GLOBSET_CMD_END = 0x00,
	GLOBSET_CMD_PUSH_MIN = 0x01,    /**< 0x01..0x06: Push that many bytes */
	GLOBSET_CMD_PUSH_MAX = 0x06,
	GLOBSET_CMD_BITMASK = 0x42,
	GLOBSET_CMD_POP = 0x50,
	GLOBSET_CMD_RANGE = 0x52,
};

struct GLOBSET *globset_new(TALLOC_CTX *mem_ctx);
/** Add [low, high] (merging with neighbours). ROP_ERR_INVALID if low > high or > 2^48-1. */
enum rop_err globset_add_range(struct GLOBSET *set, uint64_t low, uint64_t high);
bool globset_contains(const struct GLOBSET *set, uint64_t value);
/** Number of GLOBCNT values in the set. */
uint64_t globset_cardinality(const struct GLOBSET *set);
/** dst = dst U src. */
enum rop_err globset_union(struct GLOBSET *dst, const struct GLOBSET *src);
/** dst = dst \ src. */
enum rop_err globset_difference(struct GLOBSET *dst, const struct GLOBSET *src);
bool globset_equal(const struct GLOBSET *a, const struct GLOBSET *b);
/** Sort and merge overlapping / adjacent ranges (after bulk appends). */
void globset_normalize(struct GLOBSET *set);

/**
 * Serialize with the command stream of 3.1.5.4.3.1: common high-order
 * bytes are pushed, groups of ranges within 8 values of each other that
 * share 5 bytes use Bitmask, singletons use a 6th pushed byte, other
 * ranges use Range; every Push is popped and the stream ends with End.
 */
enum rop_err globset_push(struct oxcdata_push *push, const struct GLOBSET *set);
/**
 * Decode one serialized GLOBSET (up to and including End) from pull into a
 * new normalized set on mem_ctx. Rejects (ROP_ERR_FORMAT) unknown commands,
 * a push beyond 6 stack bytes, Pop on an empty stack, Bitmask without
 * exactly 5 stack bytes or reaching past 0xFF, Range with Low > High or
 * with 6 stack bytes; ROP_ERR_TRUNCATED without End.
 */
enum rop_err globset_pull(struct oxcdata_pull *pull, TALLOC_CTX *mem_ctx, struct GLOBSET **out);

/* ---- IDSET / CNSET ---- */

/** One REPLID (or REPLGUID) with its GLOBSET. */
struct IDSET_entry {
	uint16_t REPLID;
	uint8_t REPLGUID[16];
	struct GLOBSET *Globset;
};

/** 2.2.2.4 IDSET (a CNSET when it holds CNs). Entries sorted by REPLID / REPLGUID. */
struct IDSET {
	bool UsesREPLGUID;      /**< 2.2.2.4.2 form; else 2.2.2.4.1 (REPLID) */
	uint32_t Count;
	struct IDSET_entry *Entries;
};

struct IDSET *idset_new(TALLOC_CTX *mem_ctx, bool uses_replguid);
/** Decode a whole serialized IDSET (2.2.2.4.1 or 2.2.2.4.2) of len bytes. */
enum rop_err idset_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			  bool uses_replguid, struct IDSET **out);
/** Encode in ascending REPLID / REPLGUID order (byte-wise for GUIDs). */
enum rop_err idset_encode(TALLOC_CTX *mem_ctx, const struct IDSET *set,
			  uint8_t **out, size_t *len_r);

/** The entry for a REPLID (REPLID form) / REPLGUID (GUID form), created if missing. */
struct IDSET_entry *idset_entry(struct IDSET *set, uint16_t replid, const uint8_t *replguid);
/** Add one ID (REPLID form): REPLID = low 16 bits, GLOBCNT = bytes 2..7. */
enum rop_err idset_add_id(struct IDSET *set, uint64_t id);
/** Add a GLOBCNT range under a REPLID / REPLGUID. */
enum rop_err idset_add_range(struct IDSET *set, uint16_t replid, const uint8_t *replguid,
			     uint64_t low, uint64_t high);
bool idset_contains_id(const struct IDSET *set, uint64_t id);
/** dst = dst U src (same form). */
enum rop_err idset_union(struct IDSET *dst, const struct IDSET *src);
/** dst = dst \ src (same form). */
enum rop_err idset_difference(struct IDSET *dst, const struct IDSET *src);
bool idset_equal(const struct IDSET *a, const struct IDSET *b);
/**
 * Convert between the REPLID and REPLGUID forms (3.1.5.4.1): map(REPLID <->
 * REPLGUID) is the caller's replica mapping; it returns false for unknown
 * replicas (ROP_ERR_CONTEXT).
 */
enum rop_err idset_convert(TALLOC_CTX *mem_ctx, const struct IDSET *in, bool to_replguid,
			   bool (*map)(void *priv, uint16_t *replid, uint8_t *replguid, bool to_guid),
			   void *priv, struct IDSET **out);

/** ID helpers ([MS-OXCDATA] 2.2.1.1): REPLID and GLOBCNT of an ID and back. */
uint16_t fxics_id_replid(uint64_t id);
uint64_t fxics_id_globcnt(uint64_t id);
uint64_t fxics_id_make(uint16_t replid, uint64_t globcnt);

/* ---- PredecessorChangeList helpers ---- */

/**
 * Add or raise the XID of xid->NamespaceGuid in pcl (a PCL keeps one XID per
 * namespace, the latest; LocalIds compare as big-endian numbers of equal
 * size). Keeps the list sorted by NamespaceGuid. pcl->Xids is talloc'd on pcl.
 */
enum rop_err pcl_add_xid(struct PredecessorChangeList *pcl, const struct XID *xid);
/** out = merge of a and b (per namespace the larger XID). */
enum rop_err pcl_merge(TALLOC_CTX *mem_ctx, const struct PredecessorChangeList *a,
		       const struct PredecessorChangeList *b, struct PredecessorChangeList **out);
/**
 * True when a includes b: every change in b is known to a (same namespace,
 * LocalId >= b's). Used for conflict detection on import ([MS-OXCFXICS]
 * 3.1.5.6): neither including the other means a conflict.
 */
bool pcl_includes(const struct PredecessorChangeList *a, const struct PredecessorChangeList *b);

#endif /* IDSET_H */

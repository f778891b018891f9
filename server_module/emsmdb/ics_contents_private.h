/*
 * Contents synchronization download, internal to ics_contents.c (the
 * producer) and ics_contents_state.c (the state element and the
 * checkpoints of RopSynchronizationGetTransferState): the producer's
 * state ([MS-OXCFXICS] 3.2.5.9.1, 2.2.4.3.2).
 */
#ifndef EMSMDB_ICS_CONTENTS_PRIVATE_H
#define EMSMDB_ICS_CONTENTS_PRIVATE_H

#include "ics.h"

/* where the producer is in contentsSync */
enum ics_contents_phase {
	ICS_PH_HEAD, ICS_PH_MESSAGES, ICS_PH_DELETIONS, ICS_PH_READ,
	ICS_PH_STATE, ICS_PH_DONE,
};

/* one changed message of the listing: metadata only */
struct ics_item {
	uint64_t mid;
	uint64_t cn;
	uint64_t read_cn;
	uint64_t size;
	int64_t delivery;
	bool fai;
};

/* the producer (dl->producer of a contents sync) */
struct ics_contents {
	struct ics_download *dl;
	struct ics_encode_opts opts;
	/* the Configure restriction over this listing ([MS-OXCDATA] 2.12):
	 * Count restrictions count in listing order, SubObject ones read
	 * each message's recipients / attachments; NULL: no restriction */
	struct mapistore_restriction_ctx *rctx;
	uint8_t replguid[16];
	uint64_t snapshot;
	struct ics_item *items;
	uint32_t count;
	uint32_t next;
	enum ics_contents_phase phase;
	struct ProgressInformation progress;
	/* what this stream has told the client (REPLGUID form) */
	struct IDSET *given;
	struct IDSET *sent_seen, *sent_seen_fai, *sent_read;
	struct IDSET *sent_mids;	/* REPLID form, messages of this stream */
	struct IDSET *no_longer_in_scope; /* REPLID form */
	bool deletions_done;
	bool read_done;
	/* [MS-OXCFXICS] 3.2.5.9.3.1: a checkpoint holds exactly what the
	 * client has taken. Messages encoded but maybe not taken yet, in
	 * stream order; the deletions element (its IDs leave IdsetGiven) and
	 * the readStateChanges element (its read CNs join CnsetRead) count
	 * once the client has their last byte. */
	struct ics_marks marks;
	struct IDSET *gone;		/* REPLID form: deleted or out of scope */
	uint64_t gone_end;		/* encoder total after the deletions */
	bool gone_pending;
	struct IDSET *read_cns;		/* REPLGUID form: CNs of readStateChanges */
	uint64_t read_end;
	bool read_pending;
};

static inline bool ics_flag(const struct ics_download *dl, uint16_t flag)
{
	return (dl->SynchronizationFlags & flag) != 0;
}

/**
 * The state of @dl's contents sync as properties appended to @l (values
 * on @mem_ctx). @in_stream: the state element at the end of the stream,
 * counting every element produced before it (nothing is settled);
 * otherwise a checkpoint for RopSynchronizationGetTransferState
 * ([MS-OXCFXICS] 3.2.5.9.3.1) holding exactly what the client has taken.
 */
uint32_t ics_contents_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			    struct fxics_proplist *l, bool in_stream);

#endif /* EMSMDB_ICS_CONTENTS_PRIVATE_H */

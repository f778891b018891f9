/*
 * The ICS state of a contents synchronization download ([MS-OXCFXICS]
 * 2.2.1.1): the state element at the end of contentsSync (2.2.4.3.2) and
 * the checkpoints of RopSynchronizationGetTransferState during the
 * download (3.2.5.9.3.1).
 *
 * A checkpoint holds exactly what the client has received: the producer
 * (ics_contents.c) records a mark at the end of each messageChange, and
 * the end of the deletions and readStateChanges elements; a checkpoint
 * settles what ends within the bytes GetBuffer has handed out.
 */
#include "ics_contents_private.h"

#include <string.h>

/* the sets a state is built from */
struct ics_cview {
	struct IDSET *given, *seen, *seen_fai, *read;
};

/* message mark @m counts as received in @v */
static uint32_t ics_contents_apply(const struct ics_contents *c, const struct ics_cview *v,
				   const struct ics_mark *m)
{
	uint64_t g = mapistore_fmid_globcnt(m->id);
	uint32_t ec;

	ec = ics_idset_add(v->given, c->replguid, g, g);
	if (ec == ecSuccess) {
		ec = ics_idset_add(m->fai ? v->seen_fai : v->seen, c->replguid, m->cn, m->cn);
	}
	if (ec == ecSuccess && m->read_cn != 0) {
		ec = ics_idset_add(v->read, c->replguid, m->read_cn, m->read_cn);
	}
	return ec;
}

/* the deletions (@gone) and readStateChanges (@read) elements count as
 * received in @v */
static uint32_t ics_contents_apply_tail(const struct ics_contents *c,
					const struct ics_cview *v, bool gone, bool read)
{
	uint32_t ec = ecSuccess;

	if (gone) {
		ec = ics_idset_remove(v->given, c->replguid, c->gone);
	}
	if (ec == ecSuccess && read && idset_union(v->read, c->read_cns) != ROP_OK) {
		ec = ecMAPIOOM;
	}
	return ec;
}

/* Settle into @c's own sets every element whose last byte is among the
 * @taken bytes: permanent, the client never gives bytes back. Cost: the
 * elements settled, not the elements produced. */
static uint32_t ics_contents_settle(struct ics_contents *c, uint64_t taken)
{
	const struct ics_cview v = { .given = c->given, .seen = c->sent_seen,
				     .seen_fai = c->sent_seen_fai, .read = c->sent_read };
	const struct ics_mark *m;
	uint32_t ec = ecSuccess;
	bool gone, read;

	while (ec == ecSuccess && (m = ics_marks_pop(&c->marks, taken)) != NULL) {
		ec = ics_contents_apply(c, &v, m);
	}
	/* the tail comes after every message: settled only after them all */
	gone = c->gone_pending && c->gone_end <= taken;
	read = c->read_pending && c->read_end <= taken;
	if (ec == ecSuccess) {
		ec = ics_contents_apply_tail(c, &v, gone, read);
	}
	if (ec == ecSuccess) {
		c->gone_pending = c->gone_pending && !gone;
		c->read_pending = c->read_pending && !read;
	}
	return ec;
}

/* one CNSET of the state: the initial one, what was sent, and once the
 * listing is complete everything up to the snapshot (3.2.5.5) */
static uint32_t ics_state_cnset(struct ics_contents *c, TALLOC_CTX *mem_ctx,
				const struct IDSET *initial, const struct IDSET *sent,
				bool complete, struct IDSET **out)
{
	struct IDSET *set = idset_new(mem_ctx, true);

	if (set == NULL || idset_union(set, initial) != ROP_OK ||
	    idset_union(set, sent) != ROP_OK) {
		return ecMAPIOOM;
	}
	*out = set;
	return complete ? ics_idset_add(set, c->replguid, 1, c->snapshot) : ecSuccess;
}

/* @v: @c's settled sets plus (@all) every element still queued, copied
 * on @mem_ctx so that @c keeps only what the client has taken */
static uint32_t ics_contents_view(struct ics_contents *c, TALLOC_CTX *mem_ctx, bool all,
				  struct ics_cview *v)
{
	uint32_t i, ec = ecSuccess;

	v->given = ics_idset_copy(mem_ctx, c->given);
	v->seen = ics_idset_copy(mem_ctx, c->sent_seen);
	v->seen_fai = ics_idset_copy(mem_ctx, c->sent_seen_fai);
	v->read = ics_idset_copy(mem_ctx, c->sent_read);
	if (v->given == NULL || v->seen == NULL || v->seen_fai == NULL || v->read == NULL) {
		return ecMAPIOOM;
	}
	for (i = c->marks.head; all && ec == ecSuccess && i < c->marks.count; i++) {
		ec = ics_contents_apply(c, v, &c->marks.items[i]);
	}
	if (ec == ecSuccess && all) {
		ec = ics_contents_apply_tail(c, v, c->gone_pending, c->read_pending);
	}
	return ec;
}

/*
 * [MS-OXCFXICS] 3.2.5.9.3.1. @in_stream: the state element at the end of
 * the stream (everything before it reaches the client first), computed
 * without settling anything; otherwise a checkpoint for
 * RopSynchronizationGetTransferState holding exactly what the client has
 * taken: a message, the deletions and the readStateChanges count once
 * their last byte is taken (a transfer cut inside one and resumed from
 * this state sends it again).
 */
uint32_t ics_contents_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			    struct fxics_proplist *l, bool in_stream)
{
	struct ics_contents *c = dl->producer;
	/* [1, snapshot] only once every listed change and deletion is out */
	bool listed = c->next >= c->count &&
		(c->deletions_done || ics_flag(dl, SynchronizationFlags_NoDeletions));
	/* a checkpoint claims whole ranges only once the client has all */
	bool drained = in_stream || fxics_encoder_pending(dl->src->enc) == 0;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	struct IDSET *seen, *seen_fai, *read;
	struct ics_cview v;
	uint32_t ec;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = in_stream ? ecSuccess : ics_contents_settle(c, ics_source_taken(dl->src));
	if (ec == ecSuccess) {
		ec = ics_contents_view(c, tmp, in_stream, &v);
	}
	listed = listed && drained;
	if (ec == ecSuccess) {
		ec = ics_state_cnset(c, tmp, dl->state->CnsetSeen, v.seen,
				     listed && ics_flag(dl, SynchronizationFlags_Normal), &seen);
	}
	if (ec == ecSuccess) {
		ec = ics_state_cnset(c, tmp, dl->state->CnsetSeenFAI, v.seen_fai,
				     listed && ics_flag(dl, SynchronizationFlags_FAI), &seen_fai);
	}
	if (ec == ecSuccess) {
		ec = ics_state_cnset(c, tmp, dl->state->CnsetRead, v.read,
				     c->read_done && drained &&
				     ics_flag(dl, SynchronizationFlags_ReadState),
				     &read);
	}
	if (ec == ecSuccess) {
		ec = ics_proplist_add_state(mem_ctx, l, v.given, seen, seen_fai, read);
	}
	talloc_free(tmp);
	return ec;
}

uint32_t ics_download_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			    struct fxics_proplist *l)
{
	if (dl->producer == NULL) {
		/* nothing downloaded yet: the uploaded state as it is; a
		 * hierarchy state has no CnsetSeenFAI and CnsetRead, and no
		 * IdsetGiven while it is empty */
		const struct ics_state *st = dl->state;
		bool contents = dl->SynchronizationType == SynchronizationType_Contents;

		return ics_proplist_add_state(mem_ctx, l,
					      contents || st->IdsetGiven->Count > 0 ?
					      st->IdsetGiven : NULL, st->CnsetSeen,
					      contents ? st->CnsetSeenFAI : NULL,
					      contents ? st->CnsetRead : NULL);
	}
	if (dl->SynchronizationType == SynchronizationType_Hierarchy) {
		return ics_hierarchy_state(dl, mem_ctx, l);
	}
	return ics_contents_state(dl, mem_ctx, l, false);
}

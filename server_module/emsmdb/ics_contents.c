/*
 * Contents synchronization download ([MS-OXCFXICS] 3.2.5.9.1, the
 * contentsSync element of 2.2.4.3.2):
 *
 *   contentsSync = [progressTotal] *([progressPerMessage] messageChange)
 *                  [deletions] [readStateChanges] state IncrSyncEnd
 *
 * Start: take a snapshot of the replica's counter, then list the changed
 * messages (metadata only: MID, CN, size, FAI) with mapistore's change
 * tracking queries against the uploaded CnsetSeen / CnsetSeenFAI. Each
 * GetBuffer then opens and encodes only as many messages as its buffer
 * needs. Every CN up to the snapshot was listed, so the final CNSETs are
 * the initial ones plus [1, snapshot] plus what was sent above it
 * (3.2.5.5); a message changed during the transfer keeps a CN above the
 * snapshot that is not in the final state and comes again next time.
 *
 * A conflict resolve message (msInConflict) is never sent as such: each
 * of its PidTagInConflict versions goes as a messageChangeFull of its own
 * under the message's source key and the version's change key, PCL and
 * modification time (3.1.5.6.2.1); it remains one item of the listing.
 */
#include "ics_contents_private.h"

#include <stdlib.h>
#include <string.h>

#include "emsmdb_log.h"

#define ICS_QUERY_BATCH 1024
#define MessageFlags_mfRead 0x00000001

static int ics_item_by_delivery(const void *a, const void *b)
{
	const struct ics_item *x = a, *y = b;

	/* newest first ([MS-OXCFXICS] 2.2.3.2.1.1.1 OrderByDeliveryTime) */
	return x->delivery < y->delivery ? 1 : (x->delivery > y->delivery ? -1 : 0);
}

/* restriction and delivery time need the message itself (pass 1) */
static uint32_t ics_item_inspect(struct ics_contents *c, struct ics_item *it, bool *keep_r)
{
	struct ics_download *dl = c->dl;
	TALLOC_CTX *tmp = talloc_new(c);
	struct mapistore_message *mm = NULL;
	struct mapistore_property *props = NULL;
	uint32_t *tags = NULL, count = 0, ec = ecSuccess;
	enum mapistore_error ret;
	bool match = true;

	*keep_r = true;
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ret = mapistore_message_open(tmp, dl->folder->mf, it->mid, false, &mm);
	if (ret != MAPISTORE_SUCCESS) {
		*keep_r = false;	/* gone since: its tombstone comes later */
		goto done;
	}
	ret = mapistore_properties_list(tmp, mapistore_message_object(mm), &tags, &count);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_message_object(mm), tags,
					       count, &props);
	}
	if (ret != MAPISTORE_SUCCESS) {
		ec = emsmdb_ms_ec(ret);
		goto done;
	}
	if (c->rctx != NULL &&
	    mapistore_restriction_ctx_eval(c->rctx, props, count, mm, &match) !=
	    MAPISTORE_SUCCESS) {
		ec = ecInvalidParam;
		goto done;
	}
	if (!match) {
		*keep_r = false;
		/* [MS-OXCFXICS] 3.2.5.9.1.3: out of scope for a client that has it */
		if (!ics_flag(dl, SynchronizationFlags_IgnoreNoLongerInScope) &&
		    ics_idset_has(c->given, c->replguid, mapistore_fmid_globcnt(it->mid)) &&
		    idset_add_id(c->no_longer_in_scope, it->mid) != ROP_OK) {
			ec = ecMAPIOOM;
		}
		goto done;
	}
	for (uint32_t i = 0; i < count; i++) {
		if (props[i].proptag == PidTagMessageDeliveryTime) {
			it->delivery = props[i].value.i64;
		}
	}
done:
	talloc_free(tmp);
	return ec;
}

/* pass 1: the changed messages of one kind, metadata only */
static uint32_t ics_contents_list(struct ics_contents *c, bool fai)
{
	struct ics_download *dl = c->dl;
	struct mapistore_globcnt_range *seen = NULL;
	struct mapistore_change *changes = NULL;
	uint32_t seen_count = 0, n = 0, i, ec;
	uint64_t after = 0, next = 0;
	enum mapistore_error ret;
	bool more = true, keep;

	ec = ics_idset_ranges(c, fai ? dl->state->CnsetSeenFAI : dl->state->CnsetSeen,
			      c->replguid, &seen, &seen_count);
	while (ec == ecSuccess && more) {
		ret = mapistore_sync_messages(c, dl->s->mstore, dl->folder->fid, fai, seen,
					      seen_count, after, ICS_QUERY_BATCH, &changes,
					      &n, &next, &more);
		if (ret != MAPISTORE_SUCCESS) {
			ec = emsmdb_ms_ec(ret);
			break;
		}
		if ((uint64_t)c->count + n > ICS_MAX_ITEMS) {
			ec = ecTooBig;
			break;
		}
		c->items = talloc_realloc(c, c->items, struct ics_item, c->count + n + 1);
		if (c->items == NULL) {
			ec = ecMAPIOOM;
			break;
		}
		for (i = 0; i < n && ec == ecSuccess; i++) {
			struct ics_item *it = &c->items[c->count];

			memset(it, 0, sizeof(*it));
			it->mid = changes[i].fmid;
			it->cn = changes[i].cn;
			it->read_cn = changes[i].read_cn;
			it->size = changes[i].message_size;
			it->fai = fai;
			keep = true;
			if (dl->restriction != NULL ||
			    (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_OrderByDeliveryTime)) {
				ec = ics_item_inspect(c, it, &keep);
			}
			if (keep) {
				c->count++;
			}
		}
		talloc_free(changes);
		changes = NULL;
		after = next;
	}
	talloc_free(seen);
	return ec;
}

/* what ics_contents_message reads of a message in one call: the
 * messageChangeHeader's tracking properties and PidTagMessageStatus
 * (whether it is a conflict resolve message, [MS-OXCMSG] 2.2.1.8) */
static const uint32_t ics_change_tags[] = {
	PidTagSourceKey, PidTagLastModificationTime, PidTagChangeKey,
	PidTagPredecessorChangeList, PidTagMessageStatus,
};
#define ICS_CHANGE_KEYS 4	/* the first four go into the header */

/* the properties of a messageChangeHeader (2.2.4.3.13): @p holds the
 * four tracking values of ics_change_tags, the rest comes from @it */
static uint32_t ics_change_header(struct ics_contents *c, TALLOC_CTX *mem_ctx,
				  const struct mapistore_property *p, const struct ics_item *it,
				  struct fxics_proplist *h)
{
	struct ics_download *dl = c->dl;
	struct PropertyValue v;
	uint8_t *xid;
	uint32_t i, ec = ecSuccess;

	for (i = 0; i < ICS_CHANGE_KEYS && ec == ecSuccess; i++) {
		const uint32_t tag = ics_change_tags[i];

		memset(&v, 0, sizeof(v));
		v.PropertyType = OXCDATA_PROP_TYPE(tag);
		if (!mapistore_property_is_error(&p[i])) {
			if (v.PropertyType == PtypTime) {
				v.u.d = (uint64_t)p[i].value.i64;
			} else {
				v.u.bin.cb = (uint32_t)p[i].value.bin.length;
				v.u.bin.lpb = p[i].value.bin.data;
			}
		} else if (v.PropertyType == PtypBinary) {
			/* untracked message: keys derived from its IDs (3.1.5.3) */
			xid = talloc_size(mem_ctx, 1 + MAPISTORE_SOURCE_KEY_SIZE);
			if (xid == NULL) {
				return ecMAPIOOM;
			}
			mapistore_xid_make(c->replguid, tag == PidTagSourceKey ?
					   mapistore_fmid_globcnt(it->mid) : it->cn, xid + 1);
			xid[0] = MAPISTORE_SOURCE_KEY_SIZE;
			v.u.bin.cb = tag == PidTagPredecessorChangeList ?
				1 + MAPISTORE_SOURCE_KEY_SIZE : MAPISTORE_SOURCE_KEY_SIZE;
			v.u.bin.lpb = tag == PidTagPredecessorChangeList ? xid : xid + 1;
		}
		ec = ics_proplist_add(mem_ctx, h, tag, NULL, &v);
	}
	memset(&v, 0, sizeof(v));
	v.PropertyType = PtypBoolean;
	v.u.b = it->fai;
	if (ec == ecSuccess) {
		ec = ics_proplist_add(mem_ctx, h, PidTagAssociated, NULL, &v);
	}
	if (ec == ecSuccess && (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_Eid)) {
		v.PropertyType = PtypInteger64;
		v.u.d = it->mid;
		ec = ics_proplist_add(mem_ctx, h, PidTagMid, NULL, &v);
	}
	if (ec == ecSuccess &&
	    (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_MessageSize)) {
		v.PropertyType = PtypInteger32;
		v.u.l = it->size > UINT32_MAX ? UINT32_MAX : (uint32_t)it->size;
		ec = ics_proplist_add(mem_ctx, h, PidTagMessageSize, NULL, &v);
	}
	if (ec == ecSuccess && (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_Cn)) {
		v.PropertyType = PtypInteger64;
		v.u.d = fxics_id_make(mapistore_fmid_replid(it->mid), it->cn);
		ec = ics_proplist_add(mem_ctx, h, PidTagChangeNumber, NULL, &v);
	}
	return ec;
}

/* one messageChangeFull (2.2.4.3.11 lets us always use the full form) of
 * @mm under the header values @p; progressPerMessage only with @first
 * (a message is one item of progressTotal however many elements it has) */
static uint32_t ics_contents_encode(struct ics_contents *c, TALLOC_CTX *mem_ctx,
				    struct mapistore_message *mm,
				    const struct mapistore_property *p,
				    const struct ics_item *it, bool first)
{
	struct ics_download *dl = c->dl;
	struct fxics_proplist header = { 0 };
	struct fxics_message m;
	uint32_t ec;

	ec = ics_change_header(c, mem_ctx, p, it, &header);
	if (ec == ecSuccess) {
		ec = ics_message_read(mem_ctx, &c->opts, mm, it->fai, ICS_READ_ICS, &m);
	}
	if (ec == ecSuccess && first && ics_flag(dl, SynchronizationFlags_Progress) &&
	    fxics_encoder_progress_per_message(dl->src->enc, (uint32_t)it->size, it->fai) != ROP_OK) {
		ec = ecError;
	}
	if (ec == ecSuccess &&
	    fxics_encoder_message_change_full(dl->src->enc, &header, &m) != ROP_OK) {
		ec = ecError;
	}
	return ec;
}

/* version attachment @aid of conflict resolve message @mm, under the
 * resolve message's source key (@p[0]) and the version's own
 * PidTagLastModificationTime, PidTagChangeKey and
 * PidTagPredecessorChangeList (the resolve message's when it lacks one) */
static uint32_t ics_contents_version(struct ics_contents *c, struct mapistore_message *mm,
				     uint32_t aid, const struct mapistore_property *p,
				     const struct ics_item *it, bool first)
{
	struct mapistore_attachment *att = NULL;
	struct mapistore_message *emb = NULL;
	struct mapistore_property *vp = NULL, hp[ICS_CHANGE_KEYS];
	TALLOC_CTX *tmp = talloc_new(c);
	enum mapistore_error ret;
	uint32_t ec, i;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ret = mapistore_message_open_attachment(tmp, mm, aid, &att);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_attachment_open_embedded(tmp, att, false, &emb);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_message_object(emb),
					       ics_change_tags, ICS_CHANGE_KEYS, &vp);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(tmp);
		return emsmdb_ms_ec(ret);
	}
	hp[0] = p[0];
	for (i = 1; i < ICS_CHANGE_KEYS; i++) {
		hp[i] = mapistore_property_is_error(&vp[i]) ? p[i] : vp[i];
	}
	ec = ics_contents_encode(c, tmp, emb, hp, it, first);
	talloc_free(tmp);
	return ec;
}

/*
 * [MS-OXCFXICS] 3.1.5.6.2.1: "Conflict resolve messages MUST NOT be
 * synchronized as Message objects. Instead, each attachment that
 * represents a version in conflict MUST be synchronized as a separate
 * Message object" (PidTagInConflict, [MS-OXPROPS]: "synchronized as
 * independent replicas with conflicting PCLs"). Only synchronization:
 * FastTransfer copy and the online ROPs show the resolve message itself.
 * One messageChangeFull per PidTagInConflict attachment of @mm, in
 * attachment order; *sent_r: how many (0: none is a version, the caller
 * sends @mm as an ordinary message).
 */
static uint32_t ics_contents_versions(struct ics_contents *c, TALLOC_CTX *mem_ctx,
				      struct mapistore_message *mm,
				      const struct mapistore_property *p,
				      const struct ics_item *it, uint32_t *sent_r)
{
	static const uint32_t cols[] = { PidTagInConflict, PidTagAttachMethod };
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i, ec = ecSuccess;
	int idx;

	*sent_r = 0;
	ret = mapistore_subobject_rows(mem_ctx, mm, PidTagMessageAttachments, cols, 2,
				       &rows, &n);
	if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
		return ecSuccess;	/* a backend without attachments */
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < n && ec == ecSuccess; i++) {
		const struct mapistore_row *r = &rows[i];

		idx = mapistore_properties_find(r->props, r->count, PidTagAttachNumber);
		if (idx < 0 || r->count < 2 ||
		    mapistore_property_is_error(&r->props[0]) || !r->props[0].value.b ||
		    mapistore_property_is_error(&r->props[1]) ||
		    r->props[1].value.i32 != 5 /* afEmbeddedMessage */) {
			continue;
		}
		ec = ics_contents_version(c, mm, (uint32_t)r->props[idx].value.i32, p, it,
					  *sent_r == 0);
		*sent_r += ec == ecSuccess ? 1 : 0;
	}
	return ec;
}

/* one changed message: a messageChange, or one per version of a conflict
 * resolve message; either way one item (one mark, one step) */
static uint32_t ics_contents_message(struct ics_contents *c, const struct ics_item *it)
{
	struct ics_download *dl = c->dl;
	struct mapistore_message *mm = NULL;
	struct mapistore_property *p = NULL;
	TALLOC_CTX *tmp = talloc_new(c);
	enum mapistore_error ret;
	uint32_t ec, sent = 0;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ret = mapistore_message_open(tmp, dl->folder->mf, it->mid, false, &mm);
	if (ret == MAPISTORE_ERR_NOT_FOUND || ret == MAPISTORE_ERR_OBJECT_DELETED) {
		/* deleted since the listing: the next sync reports its tombstone */
		talloc_free(tmp);
		return ecSuccess;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_message_object(mm), ics_change_tags,
					       ICS_CHANGE_KEYS + 1, &p);
	}
	ec = emsmdb_ms_ec(ret);
	if (ec == ecSuccess && !it->fai && !mapistore_property_is_error(&p[ICS_CHANGE_KEYS]) &&
	    (p[ICS_CHANGE_KEYS].value.i32 & msInConflict) != 0) {
		ec = ics_contents_versions(c, tmp, mm, p, it, &sent);
	}
	if (ec == ecSuccess && sent == 0) {
		ec = ics_contents_encode(c, tmp, mm, p, it, true);
	}
	if (ec == ecSuccess) {
		/* after the last version: a checkpoint counts the message
		 * only once the client has every one of its elements */
		const struct ics_mark mark = {
			.end = fxics_encoder_total(dl->src->enc), .id = it->mid,
			.cn = it->cn, .read_cn = it->read_cn, .fai = it->fai,
		};

		ec = ics_marks_push(c, &c->marks, &mark);
	}
	if (ec == ecSuccess && idset_add_id(c->sent_mids, it->mid) != ROP_OK) {
		ec = ecMAPIOOM;
	}
	talloc_free(tmp);
	return ec;
}

/* Whether the client has (or is being sent) message @mid: in the given
 * set, or encoded in this stream (taken or not). */
static bool ics_contents_gave(const struct ics_contents *c, uint64_t mid)
{
	return ics_idset_has(c->given, c->replguid, mapistore_fmid_globcnt(mid)) ||
		idset_contains_id(c->sent_mids, mid);
}

/* deletions = IncrSyncDel propList (2.2.4.3.5): tombstones the client
 * has not seen, of the kinds it synchronizes */
static uint32_t ics_contents_deletions(struct ics_contents *c)
{
	struct ics_download *dl = c->dl;
	struct fxics_proplist l = { 0 };
	struct IDSET *deleted = idset_new(c, false);
	uint32_t pass, ec = ecSuccess;

	if (deleted == NULL) {
		return ecMAPIOOM;
	}
	for (pass = 0; pass < 2 && ec == ecSuccess && dl->folder->mf != NULL; pass++) {
		bool fai = pass == 0;
		struct mapistore_globcnt_range *seen = NULL;
		struct mapistore_tombstone *t = NULL;
		uint32_t seen_count = 0, n = 0, i;
		uint64_t after = 0, next = 0;
		bool more = true;

		if (!ics_flag(dl, fai ? SynchronizationFlags_FAI : SynchronizationFlags_Normal)) {
			continue;
		}
		ec = ics_idset_ranges(c, fai ? dl->state->CnsetSeenFAI : dl->state->CnsetSeen,
				      c->replguid, &seen, &seen_count);
		while (ec == ecSuccess && more) {
			enum mapistore_error ret = mapistore_sync_deletions(c, dl->s->mstore,
				dl->folder->fid, seen, seen_count, after, ICS_QUERY_BATCH,
				&t, &n, &next, &more);

			if (ret != MAPISTORE_SUCCESS) {
				ec = emsmdb_ms_ec(ret);
				break;
			}
			for (i = 0; i < n && ec == ecSuccess; i++) {
				if (t[i].fai != fai) {
					continue;
				}
				/* report what the client has; without an uploaded
				 * IdsetGiven, every deletion after its last sync */
				if (dl->state->given_uploaded ?
				    !ics_contents_gave(c, t[i].fmid) :
				    seen_count == 0) {
					continue;
				}
				if (idset_add_id(deleted, t[i].fmid) != ROP_OK) {
					ec = ecMAPIOOM;
				}
			}
			talloc_free(t);
			after = next;
		}
		talloc_free(seen);
	}
	if (ec == ecSuccess && deleted->Count > 0) {
		ec = ics_proplist_add_idset(c, &l, MetaTagIdsetDeleted, deleted);
	}
	if (ec == ecSuccess && c->no_longer_in_scope->Count > 0) {
		ec = ics_proplist_add_idset(c, &l, MetaTagIdsetNoLongerInScope,
					    c->no_longer_in_scope);
	}
	if (ec == ecSuccess && l.Count > 0 &&
	    fxics_encoder_deletions(dl->src->enc, &l) != ROP_OK) {
		ec = ecError;
	}
	/* what is reported leaves the client's IdsetGiven once the client
	 * has the whole element (ics_contents_settle) */
	if (ec == ecSuccess && l.Count > 0) {
		if (idset_union(c->gone, deleted) != ROP_OK ||
		    idset_union(c->gone, c->no_longer_in_scope) != ROP_OK) {
			ec = ecMAPIOOM;
		}
		c->gone_end = fxics_encoder_total(dl->src->enc);
		c->gone_pending = true;
	}
	talloc_free(deleted);
	talloc_free(l.Atoms);
	c->deletions_done = ec == ecSuccess;
	return ec;
}

/* readStateChanges = IncrSyncRead propList (2.2.4.3.21; 3.2.5.9.1.4):
 * read-state changes of messages not sent whole in this stream */
static uint32_t ics_contents_read_states(struct ics_contents *c)
{
	struct ics_download *dl = c->dl;
	struct mapistore_globcnt_range *seen = NULL;
	struct mapistore_change *ch = NULL;
	struct fxics_proplist l = { 0 };
	struct IDSET *read = idset_new(c, false), *unread = idset_new(c, false);
	uint32_t seen_count = 0, n = 0, i, ec;
	uint64_t after = 0, next = 0;
	bool more = true;

	if (read == NULL || unread == NULL) {
		return ecMAPIOOM;
	}
	ec = ics_idset_ranges(c, dl->state->CnsetRead, c->replguid, &seen, &seen_count);
	while (ec == ecSuccess && more && dl->folder->mf != NULL) {
		enum mapistore_error ret = mapistore_sync_read_states(c, dl->s->mstore,
			dl->folder->fid, seen, seen_count, after, ICS_QUERY_BATCH, &ch, &n,
			&next, &more);

		if (ret != MAPISTORE_SUCCESS) {
			ec = emsmdb_ms_ec(ret);
			break;
		}
		for (i = 0; i < n && ec == ecSuccess; i++) {
			if (ch[i].fai || idset_contains_id(c->sent_mids, ch[i].fmid) ||
			    idset_contains_id(c->gone, ch[i].fmid)) {
				continue;
			}
			if (dl->state->given_uploaded &&
			    !ics_idset_has(c->given, c->replguid, mapistore_fmid_globcnt(ch[i].fmid))) {
				continue;
			}
			if (idset_add_id(ch[i].read ? read : unread, ch[i].fmid) != ROP_OK ||
			    ics_idset_add(c->read_cns, c->replguid, ch[i].read_cn,
					  ch[i].read_cn) != ecSuccess) {
				ec = ecMAPIOOM;
			}
		}
		talloc_free(ch);
		after = next;
	}
	talloc_free(seen);
	if (ec == ecSuccess && read->Count > 0) {
		ec = ics_proplist_add_idset(c, &l, MetaTagIdsetRead, read);
	}
	if (ec == ecSuccess && unread->Count > 0) {
		ec = ics_proplist_add_idset(c, &l, MetaTagIdsetUnread, unread);
	}
	if (ec == ecSuccess && l.Count > 0 &&
	    fxics_encoder_read_state_changes(dl->src->enc, &l) != ROP_OK) {
		ec = ecError;
	}
	if (ec == ecSuccess && l.Count > 0) {
		c->read_end = fxics_encoder_total(dl->src->enc);
		c->read_pending = true;
	}
	talloc_free(read);
	talloc_free(unread);
	talloc_free(l.Atoms);
	c->read_done = ec == ecSuccess;
	return ec;
}

static uint32_t ics_contents_step(struct ics_source *src)
{
	struct ics_download *dl = talloc_get_type_abort(src->priv, struct ics_download);
	struct ics_contents *c = dl->producer;
	struct fxics_proplist l = { 0 };
	uint32_t ec = ecSuccess;

	switch (c->phase) {
	case ICS_PH_HEAD:
		if (ics_flag(dl, SynchronizationFlags_Progress) &&
		    fxics_encoder_progress_total(src->enc, &c->progress) != ROP_OK) {
			return ecError;
		}
		c->phase = ICS_PH_MESSAGES;
		return ecSuccess;
	case ICS_PH_MESSAGES:
		if (c->next < c->count) {
			ec = ics_contents_message(c, &c->items[c->next]);
			c->next++;
			src->steps_done++;
			return ec;
		}
		c->phase = ICS_PH_DELETIONS;
		return ecSuccess;
	case ICS_PH_DELETIONS:
		if (!ics_flag(dl, SynchronizationFlags_NoDeletions)) {
			ec = ics_contents_deletions(c);
		}
		c->phase = ICS_PH_READ;
		return ec;
	case ICS_PH_READ:
		if (ics_flag(dl, SynchronizationFlags_ReadState) &&
		    ics_flag(dl, SynchronizationFlags_Normal)) {
			ec = ics_contents_read_states(c);
		}
		c->phase = ICS_PH_STATE;
		return ec;
	case ICS_PH_STATE:
		ec = ics_contents_state(dl, c, &l, true);
		if (ec == ecSuccess && (fxics_encoder_state(src->enc, &l) != ROP_OK ||
					fxics_encoder_marker(src->enc, IncrSyncEnd) != ROP_OK)) {
			ec = ecError;
		}
		talloc_free(l.Atoms);
		c->phase = ICS_PH_DONE;
		src->done = true;
		src->steps_done = src->steps_total;
		return ec;
	case ICS_PH_DONE:
	default:
		src->done = true;
		return ecSuccess;
	}
}

uint32_t ics_contents_start(struct ics_download *dl)
{
	struct ics_contents *c = talloc_zero(dl, struct ics_contents);
	uint32_t ec = ecSuccess, i;
	enum mapistore_error ret;

	if (c == NULL) {
		return ecMAPIOOM;
	}
	dl->producer = c;
	c->dl = dl;
	c->opts.s = dl->s;
	c->opts.unicode = ics_flag(dl, SynchronizationFlags_Unicode);
	c->opts.tags = dl->PropertyTags;
	c->opts.tag_count = dl->PropertyTagCount;
	c->opts.only_specified = ics_flag(dl, SynchronizationFlags_OnlySpecifiedProperties);
	c->opts.tags_on_fai = !ics_flag(dl, SynchronizationFlags_IgnoreSpecifiedOnFAI);
	c->given = idset_new(c, true);
	c->sent_seen = idset_new(c, true);
	c->sent_seen_fai = idset_new(c, true);
	c->sent_read = idset_new(c, true);
	c->sent_mids = idset_new(c, false);
	c->no_longer_in_scope = idset_new(c, false);
	c->gone = idset_new(c, false);
	c->read_cns = idset_new(c, true);
	if (c->given == NULL || c->sent_seen == NULL || c->sent_seen_fai == NULL ||
	    c->sent_read == NULL || c->sent_mids == NULL || c->no_longer_in_scope == NULL ||
	    c->gone == NULL || c->read_cns == NULL ||
	    idset_union(c->given, dl->state->IdsetGiven) != ROP_OK) {
		return ecMAPIOOM;
	}
	if (dl->restriction != NULL &&
	    mapistore_restriction_ctx_new(c, dl->restriction, mapistore_message_subobject_fn,
					  NULL, &c->rctx) != MAPISTORE_SUCCESS) {
		return ecInvalidParam;
	}
	/* the snapshot first: every CN up to it is in the listing below */
	ret = mapistore_changes_get_replica(dl->s->mstore, c->replguid, &c->snapshot);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (dl->folder->mf != NULL) {
		/* FAI messages first, then normal ones, each in CN order */
		if (ics_flag(dl, SynchronizationFlags_FAI)) {
			ec = ics_contents_list(c, true);
		}
		if (ec == ecSuccess && ics_flag(dl, SynchronizationFlags_Normal)) {
			ec = ics_contents_list(c, false);
		}
	}
	if (ec != ecSuccess) {
		return ec;
	}
	if ((dl->SynchronizationExtraFlags & SynchronizationExtraFlags_OrderByDeliveryTime) &&
	    c->count > 1) {
		qsort(c->items, c->count, sizeof(*c->items), ics_item_by_delivery);
	}
	for (i = 0; i < c->count; i++) {
		if (c->items[i].fai) {
			c->progress.FAIMessageCount++;
			c->progress.FAIMessageTotalSize += c->items[i].size;
		} else {
			c->progress.NormalMessageCount++;
			c->progress.NormalMessageTotalSize += c->items[i].size;
		}
	}
	dl->src->step = ics_contents_step;
	dl->src->priv = dl;
	dl->src->steps_total = c->count + 1;
	emsmdb_log(EMSMDB_LOG_INFO, "contents sync of folder 0x%016llx: %u messages "
		   "to send", (unsigned long long)dl->folder->fid, c->count);
	return ecSuccess;
}

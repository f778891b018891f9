/*
 * Hierarchy synchronization download ([MS-OXCFXICS] 3.2.5.9.1, the
 * hierarchySync element of 2.2.4.3.3):
 *
 *   hierarchySync = *folderChange [deletions] state IncrSyncEnd
 *
 * Folders come parents first (3.2.5.3). Two kinds of folder live below
 * a synchronization root (doc/emsmdb.md, folder model): openchangedb
 * folders (system and special folders), walked here, and backend folders
 * below the special folders, which mapistore's change tracking lists.
 * An openchangedb folder without a change row counts as created by the
 * CN of its own FID's GLOBCNT (one counter hands out FIDs and CNs, so
 * the value is unique and below the snapshot); a property change gives
 * it a row (mapistore_changes_track_folder(), special folders through
 * mapistore_properties_set()), whose CN, change key and PCL are used.
 */
#include "ics.h"

#include <stdlib.h>
#include <string.h>

#include "emsmdb_log.h"

#define ICS_QUERY_BATCH 1024
#define ICS_MAX_DEPTH 64

struct ics_folder_item {
	uint64_t fid;
	uint64_t parent_fid;
	uint64_t cn;
	uint32_t depth;
	uint32_t order;
};

struct ics_hierarchy {
	struct ics_download *dl;
	struct ics_encode_opts opts;
	uint8_t replguid[16];
	uint64_t snapshot;
	struct ics_folder_item *items;
	uint32_t count, next;
	uint64_t *roots;		/* backend roots: their tombstones */
	uint32_t root_count;
	struct mapistore_globcnt_range *seen;
	uint32_t seen_count;
	struct IDSET *given, *sent_seen;	/* settled: what the client has */
	struct IDSET *sent_fids;	/* REPLID form: folders of this stream */
	bool deletions_done;
	/* [MS-OXCFXICS] 3.2.5.9.3.1: folderChange elements encoded but maybe
	 * not taken yet, and the deletions element (its IDs leave IdsetGiven
	 * once the client has its last byte) */
	struct ics_marks marks;
	struct IDSET *gone;		/* REPLID form */
	uint64_t gone_end;
	bool gone_pending;
};

static uint32_t ics_h_add(struct ics_hierarchy *h, uint64_t fid, uint64_t parent,
			  uint64_t cn, uint32_t depth)
{
	uint32_t i;

	/* CN in the client's CnsetSeen: it has this version */
	for (i = 0; i < h->seen_count; i++) {
		if (cn >= h->seen[i].first && cn <= h->seen[i].last) {
			return ecSuccess;
		}
	}
	if (h->count >= ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	if (h->items == NULL || talloc_array_length(h->items) <= h->count) {
		size_t cap = h->items == NULL ? 32 : 2 * talloc_array_length(h->items);
		struct ics_folder_item *n = talloc_realloc(h, h->items, struct ics_folder_item, cap);

		if (n == NULL) {
			return ecMAPIOOM;
		}
		h->items = n;
	}
	h->items[h->count] = (struct ics_folder_item){ .fid = fid, .parent_fid = parent,
		.cn = cn, .depth = depth, .order = h->count };
	h->count++;
	return ecSuccess;
}

/* backend folders below @root, any depth, changed since CnsetSeen */
static uint32_t ics_h_backend(struct ics_hierarchy *h, uint64_t root)
{
	struct mapistore_change *ch = NULL;
	uint32_t n = 0, i, ec = ecSuccess;
	uint64_t after = 0, next = 0;
	bool more = true;
	uint64_t *r;

	r = talloc_realloc(h, h->roots, uint64_t, h->root_count + 1);
	if (r == NULL) {
		return ecMAPIOOM;
	}
	h->roots = r;
	h->roots[h->root_count++] = root;
	while (more && ec == ecSuccess) {
		enum mapistore_error ret = mapistore_sync_hierarchy(h, h->dl->s->mstore, root,
			h->seen, h->seen_count, after, ICS_QUERY_BATCH, &ch, &n, &next, &more);

		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		for (i = 0; i < n && ec == ecSuccess; i++) {
			/* depth is fixed once every item is known */
			ec = ics_h_add(h, ch[i].fmid, ch[i].parent_fid, ch[i].cn, UINT32_MAX);
		}
		talloc_free(ch);
		after = next;
	}
	return ec;
}

/* openchangedb folders below @fid, parents first */
static uint32_t ics_h_walk(struct ics_hierarchy *h, uint64_t fid, uint32_t depth)
{
	struct ics_download *dl = h->dl;
	struct openchangedb_folder *rec = NULL;
	struct mapistore_change *row = NULL;
	struct emsmdb_folder *f = NULL;
	uint64_t *kids = NULL;
	uint32_t n = 0, i, ec = ecSuccess;
	bool backend;

	if (depth > ICS_MAX_DEPTH) {
		return ecTooBig;
	}
	if (openchangedb_folder_get(h, dl->s->ocdb, fid, &rec) != MAPISTORE_SUCCESS) {
		/* a backend folder: change tracking has all of its subtree */
		return ics_h_backend(h, fid);
	}
	talloc_free(rec);
	/* a special folder is an openchangedb record attached to a backend
	 * root through indexing */
	ec = emsmdb_folder_open(dl->s, h, dl->logon, fid, &f);
	backend = ec == ecSuccess && f->mf != NULL;
	talloc_free(f);
	ec = backend ? ics_h_backend(h, fid) : ecSuccess;
	if (ec == ecSuccess &&
	    openchangedb_folder_get_children(h, dl->s->ocdb, fid, &kids, &n) != MAPISTORE_SUCCESS) {
		n = 0;
	}
	for (i = 0; i < n && ec == ecSuccess; i++) {
		uint64_t cn = mapistore_fmid_globcnt(kids[i]);

		if (mapistore_changes_get(h, dl->s->mstore, kids[i], &row) == MAPISTORE_SUCCESS) {
			cn = row->cn;
			TALLOC_FREE(row);
		}
		ec = ics_h_add(h, kids[i], fid, cn, depth);
		if (ec == ecSuccess) {
			ec = ics_h_walk(h, kids[i], depth + 1);
		}
	}
	talloc_free(kids);
	return ec;
}

static int ics_h_by_fid(const void *a, const void *b)
{
	const struct ics_folder_item *x = a, *y = b;

	return x->fid < y->fid ? -1 : (x->fid > y->fid);
}

static int ics_h_by_depth(const void *a, const void *b)
{
	const struct ics_folder_item *x = a, *y = b;

	if (x->depth != y->depth) {
		return x->depth < y->depth ? -1 : 1;
	}
	return x->order < y->order ? -1 : (x->order > y->order);
}

/* parents before children (3.2.5.3): depth among the listed folders */
static void ics_h_order(struct ics_hierarchy *h)
{
	struct ics_folder_item key;
	uint32_t i, d;

	if (h->count == 0) {
		return;
	}
	qsort(h->items, h->count, sizeof(*h->items), ics_h_by_fid);
	/* a folder listed twice (a special folder's change row below another
	 * special folder's backend root, and its openchangedb record): once */
	for (i = 1, d = 1; i < h->count; i++) {
		if (h->items[i].fid != h->items[d - 1].fid) {
			h->items[d++] = h->items[i];
		}
	}
	h->count = d;
	for (i = 0; i < h->count; i++) {
		const struct ics_folder_item *p = &h->items[i];

		for (d = 0; d < ICS_MAX_DEPTH; d++) {
			key.fid = p->parent_fid;
			p = bsearch(&key, h->items, h->count, sizeof(*h->items), ics_h_by_fid);
			if (p == NULL) {
				break;
			}
		}
		h->items[i].depth = d;
	}
	qsort(h->items, h->count, sizeof(*h->items), ics_h_by_depth);
}

static uint32_t ics_h_bin(TALLOC_CTX *mem_ctx, struct fxics_proplist *l, uint32_t tag,
			  const uint8_t *data, size_t len)
{
	struct PropertyValue v = { .PropertyType = PtypBinary };

	v.u.bin.cb = (uint32_t)len;
	v.u.bin.lpb = (uint8_t *)(uintptr_t)data;
	return ics_proplist_add(mem_ctx, l, tag, NULL, &v);
}

/* folderChange = IncrSyncChg propList (2.2.4.3.8) */
static uint32_t ics_h_folder(struct ics_hierarchy *h, const struct ics_folder_item *it)
{
	static const uint32_t skip[] = {
		PidTagParentSourceKey, PidTagSourceKey, PidTagLastModificationTime,
		PidTagChangeKey, PidTagPredecessorChangeList, PidTagDisplayName,
		PidTagFolderId, PidTagParentFolderId, PidTagChangeNumber,
	};
	static const uint32_t ocdb_tags[] = { PidTagDisplayName, PidTagContainerClass,
					      PidTagComment };
	struct ics_download *dl = h->dl;
	TALLOC_CTX *tmp = talloc_new(h);
	struct mapistore_change *row = NULL;
	struct mapistore_property *props = NULL;
	struct emsmdb_folder *f = NULL;
	struct fxics_proplist l = { 0 };
	struct PropertyValue v;
	uint8_t psk[MAPISTORE_SOURCE_KEY_SIZE], sk[MAPISTORE_SOURCE_KEY_SIZE];
	uint8_t ck[MAPISTORE_SOURCE_KEY_SIZE], pcl[1 + MAPISTORE_SOURCE_KEY_SIZE];
	uint32_t ec;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_folder_open(dl->s, tmp, dl->logon, it->fid, &f);
	if (ec == ecNotFound) {
		talloc_free(tmp);	/* deleted since the listing */
		return ecSuccess;
	}
	(void)mapistore_changes_get(tmp, dl->s->mstore, it->fid, &row);
	mapistore_xid_make(h->replguid, mapistore_fmid_globcnt(it->parent_fid), psk);
	mapistore_xid_make(h->replguid, mapistore_fmid_globcnt(it->fid), sk);
	mapistore_xid_make(h->replguid, it->cn, ck);
	pcl[0] = MAPISTORE_SOURCE_KEY_SIZE;
	memcpy(pcl + 1, ck, MAPISTORE_SOURCE_KEY_SIZE);
	/* a child of the synchronization root has an empty parent key */
	if (ec == ecSuccess) {
		ec = ics_h_bin(tmp, &l, PidTagParentSourceKey, psk,
			       it->parent_fid == dl->folder->fid ? 0 : sizeof(psk));
	}
	if (ec == ecSuccess) {
		ec = ics_h_bin(tmp, &l, PidTagSourceKey, row ? row->source_key : sk, sizeof(sk));
	}
	memset(&v, 0, sizeof(v));
	v.PropertyType = PtypTime;
	v.u.d = (uint64_t)(row ? row->last_modified : 0);
	if (ec == ecSuccess) {
		ec = ics_proplist_add(tmp, &l, PidTagLastModificationTime, NULL, &v);
	}
	if (ec == ecSuccess) {
		ec = row ? ics_h_bin(tmp, &l, PidTagChangeKey, row->change_key, row->change_key_size)
			 : ics_h_bin(tmp, &l, PidTagChangeKey, ck, sizeof(ck));
	}
	if (ec == ecSuccess) {
		ec = row && row->pcl.length > 0 ?
			ics_h_bin(tmp, &l, PidTagPredecessorChangeList, row->pcl.data, row->pcl.length) :
			ics_h_bin(tmp, &l, PidTagPredecessorChangeList, pcl, sizeof(pcl));
	}
	if (ec == ecSuccess) {
		ec = emsmdb_folder_get_props(dl->s, tmp, dl->logon, f, ocdb_tags, 3, &props);
	}
	if (ec == ecSuccess) {
		ec = ics_props_append(tmp, &h->opts, props, 1, &l);
	}
	if (ec == ecSuccess && (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_Eid)) {
		v.PropertyType = PtypInteger64;
		v.u.d = it->fid;
		ec = ics_proplist_add(tmp, &l, PidTagFolderId, NULL, &v);
		v.u.d = it->parent_fid;
		if (ec == ecSuccess) {
			ec = ics_proplist_add(tmp, &l, PidTagParentFolderId, NULL, &v);
		}
	}
	if (ec == ecSuccess && (dl->SynchronizationExtraFlags & SynchronizationExtraFlags_Cn)) {
		v.PropertyType = PtypInteger64;
		v.u.d = fxics_id_make(1, it->cn);
		ec = ics_proplist_add(tmp, &l, PidTagChangeNumber, NULL, &v);
	}
	if (ec == ecSuccess) {
		/* the rest: backend folders list theirs, openchangedb ones the few
		 * they keep */
		ec = f->mf != NULL ?
			ics_object_props(tmp, &h->opts, mapistore_folder_object(f->mf), true,
					 skip, sizeof(skip) / sizeof(skip[0]), &l) :
			ics_props_append(tmp, &h->opts, props + 1, 2, &l);
	}
	if (ec == ecSuccess && fxics_encoder_folder_change(dl->src->enc, &l) != ROP_OK) {
		ec = ecError;
	}
	/* counted in a checkpoint once its last byte is taken */
	if (ec == ecSuccess) {
		const struct ics_mark mark = { .end = fxics_encoder_total(dl->src->enc),
					       .id = it->fid, .cn = it->cn };

		ec = ics_marks_push(h, &h->marks, &mark);
	}
	if (ec == ecSuccess && idset_add_id(h->sent_fids, it->fid) != ROP_OK) {
		ec = ecMAPIOOM;
	}
	talloc_free(tmp);
	return ec;
}

static uint32_t ics_h_deletions(struct ics_hierarchy *h)
{
	struct ics_download *dl = h->dl;
	struct IDSET *deleted = idset_new(h, false);
	struct fxics_proplist l = { 0 };
	uint32_t r, i, n, ec = ecSuccess;

	if (deleted == NULL) {
		return ecMAPIOOM;
	}
	for (r = 0; r < h->root_count && ec == ecSuccess; r++) {
		struct mapistore_tombstone *t = NULL;
		uint64_t after = 0, next = 0;
		bool more = true;

		while (more && ec == ecSuccess) {
			enum mapistore_error ret = mapistore_sync_hierarchy_deletions(h,
				dl->s->mstore, h->roots[r], h->seen, h->seen_count, after,
				ICS_QUERY_BATCH, &t, &n, &next, &more);

			if (ret != MAPISTORE_SUCCESS) {
				ec = emsmdb_ms_ec(ret);
				break;
			}
			for (i = 0; i < n && ec == ecSuccess; i++) {
				if (dl->state->given_uploaded ?
				    !ics_idset_has(h->given, h->replguid,
						   mapistore_fmid_globcnt(t[i].fmid)) &&
				    !idset_contains_id(h->sent_fids, t[i].fmid) :
				    h->seen_count == 0) {
					continue;
				}
				if (idset_add_id(deleted, t[i].fmid) != ROP_OK) {
					ec = ecMAPIOOM;
				}
			}
			talloc_free(t);
			after = next;
		}
	}
	if (ec == ecSuccess && deleted->Count > 0) {
		ec = ics_proplist_add_idset(h, &l, MetaTagIdsetDeleted, deleted);
		if (ec == ecSuccess && fxics_encoder_deletions(dl->src->enc, &l) != ROP_OK) {
			ec = ecError;
		}
	}
	/* they leave IdsetGiven once the client has the whole element */
	if (ec == ecSuccess && deleted->Count > 0) {
		ec = idset_union(h->gone, deleted) == ROP_OK ? ecSuccess : ecMAPIOOM;
		h->gone_end = fxics_encoder_total(dl->src->enc);
		h->gone_pending = true;
	}
	talloc_free(deleted);
	talloc_free(l.Atoms);
	h->deletions_done = ec == ecSuccess;
	return ec;
}

/* folder mark @m counts as received in @given / @seen */
static uint32_t ics_h_apply(const struct ics_hierarchy *h, struct IDSET *given,
			    struct IDSET *seen, const struct ics_mark *m)
{
	uint64_t g = mapistore_fmid_globcnt(m->id);
	uint32_t ec = ics_idset_add(given, h->replguid, g, g);

	return ec == ecSuccess ? ics_idset_add(seen, h->replguid, m->cn, m->cn) : ec;
}

/* Settle into @h's own sets every element whose last byte is among the
 * @taken bytes (permanent: the client never gives bytes back). */
static uint32_t ics_h_settle(struct ics_hierarchy *h, uint64_t taken)
{
	const struct ics_mark *m;
	uint32_t ec = ecSuccess;

	while (ec == ecSuccess && (m = ics_marks_pop(&h->marks, taken)) != NULL) {
		ec = ics_h_apply(h, h->given, h->sent_seen, m);
	}
	/* the deletions come after every folder */
	if (ec == ecSuccess && h->gone_pending && h->gone_end <= taken) {
		ec = ics_idset_remove(h->given, h->replguid, h->gone);
		h->gone_pending = ec != ecSuccess;
	}
	return ec;
}

/*
 * [MS-OXCFXICS] 3.2.5.9.3.1. @in_stream: the state element at the end of
 * the stream, counting every element before it without settling them;
 * otherwise a checkpoint with exactly what the client has taken.
 */
static uint32_t ics_h_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			    struct fxics_proplist *l, bool in_stream)
{
	struct ics_hierarchy *h = dl->producer;
	bool drained = in_stream || fxics_encoder_pending(dl->src->enc) == 0;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	struct IDSET *given = NULL, *seen = NULL;
	uint32_t i, ec;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = in_stream ? ecSuccess : ics_h_settle(h, ics_source_taken(dl->src));
	if (ec == ecSuccess) {
		given = ics_idset_copy(tmp, h->given);
		seen = ics_idset_copy(tmp, h->sent_seen);
		ec = given == NULL || seen == NULL ||
			idset_union(seen, dl->state->CnsetSeen) != ROP_OK ? ecMAPIOOM : ecSuccess;
	}
	for (i = h->marks.head; in_stream && ec == ecSuccess && i < h->marks.count; i++) {
		ec = ics_h_apply(h, given, seen, &h->marks.items[i]);
	}
	if (ec == ecSuccess && in_stream && h->gone_pending) {
		ec = ics_idset_remove(given, h->replguid, h->gone);
	}
	/* [1, snapshot] once everything listed is out and taken */
	if (ec == ecSuccess && h->next >= h->count && h->deletions_done && drained) {
		ec = ics_idset_add(seen, h->replguid, 1, h->snapshot);
	}
	if (ec == ecSuccess) {
		ec = ics_proplist_add_state(mem_ctx, l, given, seen, NULL, NULL);
	}
	talloc_free(tmp);
	return ec;
}

uint32_t ics_hierarchy_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			     struct fxics_proplist *l)
{
	return ics_h_state(dl, mem_ctx, l, false);
}

static uint32_t ics_hierarchy_step(struct ics_source *src)
{
	struct ics_download *dl = talloc_get_type_abort(src->priv, struct ics_download);
	struct ics_hierarchy *h = dl->producer;
	struct fxics_proplist l = { 0 };
	uint32_t ec;

	if (h->next < h->count) {
		ec = ics_h_folder(h, &h->items[h->next++]);
		src->steps_done++;
		return ec;
	}
	if (!h->deletions_done) {
		if (dl->SynchronizationFlags & SynchronizationFlags_NoDeletions) {
			h->deletions_done = true;
			return ecSuccess;
		}
		return ics_h_deletions(h);
	}
	ec = ics_h_state(dl, h, &l, true);
	if (ec == ecSuccess && (fxics_encoder_state(src->enc, &l) != ROP_OK ||
				fxics_encoder_marker(src->enc, IncrSyncEnd) != ROP_OK)) {
		ec = ecError;
	}
	talloc_free(l.Atoms);
	src->done = true;
	src->steps_done = src->steps_total;
	return ec;
}

uint32_t ics_hierarchy_start(struct ics_download *dl)
{
	struct ics_hierarchy *h = talloc_zero(dl, struct ics_hierarchy);
	enum mapistore_error ret;
	uint32_t ec;

	if (h == NULL) {
		return ecMAPIOOM;
	}
	dl->producer = h;
	h->dl = dl;
	h->opts.s = dl->s;
	h->opts.unicode = (dl->SynchronizationFlags & SynchronizationFlags_Unicode) != 0;
	h->opts.tags = dl->PropertyTags;
	h->opts.tag_count = dl->PropertyTagCount;
	h->opts.only_specified =
		(dl->SynchronizationFlags & SynchronizationFlags_OnlySpecifiedProperties) != 0;
	h->given = idset_new(h, true);
	h->sent_seen = idset_new(h, true);
	h->sent_fids = idset_new(h, false);
	h->gone = idset_new(h, false);
	if (h->given == NULL || h->sent_seen == NULL || h->sent_fids == NULL || h->gone == NULL ||
	    idset_union(h->given, dl->state->IdsetGiven) != ROP_OK) {
		return ecMAPIOOM;
	}
	ret = mapistore_changes_get_replica(dl->s->mstore, h->replguid, &h->snapshot);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	ec = ics_idset_ranges(h, dl->state->CnsetSeen, h->replguid, &h->seen, &h->seen_count);
	if (ec == ecSuccess) {
		ec = ics_h_walk(h, dl->folder->fid, 0);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	ics_h_order(h);
	dl->src->step = ics_hierarchy_step;
	dl->src->priv = dl;
	dl->src->steps_total = h->count + 1;
	emsmdb_log(EMSMDB_LOG_INFO, "hierarchy sync of folder 0x%016llx: %u folders to "
		   "send", (unsigned long long)dl->folder->fid, h->count);
	return ecSuccess;
}

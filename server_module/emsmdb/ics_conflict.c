/*
 * Conflict resolve messages ([MS-OXCFXICS] 3.1.5.6.2, 3.1.5.6.2.1,
 * 3.1.5.6.2.2) for RopSynchronizationImportMessageChange.
 *
 * The import (ics_collector.c) detects the conflict (3.1.5.6.1) and, when
 * the folder's PidTagResolveMethod (2.2.1.4.1) asks for a conflict resolve
 * message and the message is not FAI, records it here. The client then
 * fills the returned message object with its version and calls
 * RopSaveChangesMessage; just before the save, ics_conflict_save_hook()
 * turns that working copy into the conflict resolve message:
 *
 *   - every version in conflict becomes an attachment holding it as an
 *     embedded message (PidTagAttachMethod afEmbeddedMessage) with
 *     PidTagInConflict TRUE: the server's version (or, when the server's
 *     message already is a conflict resolve message, each of its
 *     in-conflict attachments) and the client's version;
 *   - the message's own content is the winner's, chosen by the last
 *     writer wins algorithm (3.1.5.6.2.2);
 *   - PidTagMessageStatus gets msInConflict ([MS-OXCMSG] 2.2.1.8);
 *   - the PCL is the merge of the versions' PCLs (the client's PCL and
 *     change key are set here, mapistore merges the server's at save) and
 *     the message gets a new change key of this replica, so it is a
 *     successor of every version and the conflict does not come back.
 *
 *   - each version carries its own PidTagLastModificationTime,
 *     PidTagChangeKey and PidTagPredecessorChangeList (the server's from
 *     its change row, the client's as imported), which the download needs.
 *
 * The save itself is the ordinary mapistore_message_save(): the change is
 * tracked and the next ICS download carries each version as a message of
 * its own (3.1.5.6.2.1, ics_contents.c). The collector's state leaves the
 * resolve message's CN out (ics_collector_note_resolved), so the uploader
 * downloads the versions too.
 */
#include "ics.h"

#include <string.h>

#include "emsmdb_log.h"
#include "emsmdb_oxc.h"

/* [MS-OXCMSG] 2.2.2.9 PidTagAttachMethod afEmbeddedMessage */
#define ICS_CONFLICT_afEmbeddedMessage 5
/* versions one conflict resolve message keeps: each conflict against a
 * resolve message adds one, so repeated conflicts are bounded; past it
 * the oldest versions (lowest attachment numbers) are dropped */
#define ICS_CONFLICT_MAX_VERSIONS 16

/* a conflict waiting for the client's RopSaveChangesMessage */
struct ics_conflict {
	struct ics_conflict *next;
	uint64_t mid;
	uint64_t client_lmt;		/* the client's PidTagLastModificationTime */
	uint8_t client_ck[24];		/* the client's PidTagChangeKey (an XID) */
	uint8_t client_ck_size;
	struct mapistore_binary client_pcl; /* the client's PCL */
};

uint32_t ics_conflict_resolve_method(struct mapistore_folder *mf)
{
	static const uint32_t tag = PidTagResolveMethod;
	struct mapistore_property *p = NULL;
	uint32_t method = RESOLVE_METHOD_DEFAULT;
	TALLOC_CTX *tmp = talloc_new(NULL);

	if (tmp == NULL || mf == NULL) {
		talloc_free(tmp);
		return method;
	}
	if (mapistore_properties_get(tmp, mapistore_folder_object(mf), &tag, 1, &p) ==
	    MAPISTORE_SUCCESS && !mapistore_property_is_error(&p[0])) {
		method = (uint32_t)p[0].value.i32;
	}
	talloc_free(tmp);
	return method;
}

void ics_conflict_forget(struct ics_collector *col, uint64_t mid)
{
	struct ics_conflict **pp = &col->conflicts, *c;

	while (*pp != NULL) {
		c = *pp;
		if (c->mid == mid) {
			*pp = c->next;
			talloc_free(c);
			continue;
		}
		pp = &c->next;
	}
}

uint32_t ics_conflict_note(struct ics_collector *col, uint64_t mid, uint64_t client_lmt,
			   const uint8_t *ck, size_t ck_size, const uint8_t *pcl, size_t pcl_size)
{
	struct ics_conflict *c;

	if (ck_size < 17 || ck_size > sizeof(c->client_ck)) {
		return ecInvalidParam;	/* an XID, [MS-OXCFXICS] 2.2.2.2 */
	}
	ics_conflict_forget(col, mid);
	c = talloc_zero(col, struct ics_conflict);
	if (c == NULL) {
		return ecMAPIOOM;
	}
	c->mid = mid;
	c->client_lmt = client_lmt;
	memcpy(c->client_ck, ck, ck_size);
	c->client_ck_size = (uint8_t)ck_size;
	if (pcl_size > 0) {
		c->client_pcl.data = talloc_memdup(c, pcl, pcl_size);
		if (c->client_pcl.data == NULL) {
			talloc_free(c);
			return ecMAPIOOM;
		}
		c->client_pcl.length = pcl_size;
	}
	c->next = col->conflicts;
	col->conflicts = c;
	return ecSuccess;
}

/*
 * [MS-OXCFXICS] 3.1.5.6.2.2: the most recent PidTagLastModificationTime
 * wins; on a tie the larger NamespaceGuid of the change keys; equal
 * namespaces: the version being imported.
 */
static bool ics_conflict_client_wins(const struct ics_conflict *c,
				     const struct mapistore_change *row)
{
	uint64_t server_lmt;

	if (row == NULL || row->change_key_size < 16) {
		return true;
	}
	server_lmt = (uint64_t)row->last_modified;
	if (c->client_lmt != server_lmt) {
		return c->client_lmt > server_lmt;
	}
	return memcmp(c->client_ck, row->change_key, 16) >= 0;
}

/* the attachments of @msg: numbers and PidTagInConflict */
struct ics_conflict_atts {
	uint32_t *aid;
	bool *in_conflict;
	uint32_t count;
};

static enum mapistore_error ics_conflict_list(TALLOC_CTX *mem_ctx,
					      struct mapistore_message *msg,
					      struct ics_conflict_atts *a)
{
	static const uint32_t cols[] = { PidTagInConflict };
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i;
	int idx;

	memset(a, 0, sizeof(*a));
	ret = mapistore_subobject_rows(mem_ctx, msg, PidTagMessageAttachments, cols, 1,
				       &rows, &n);
	if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
		return MAPISTORE_SUCCESS;	/* a backend without attachments */
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	a->aid = talloc_zero_array(mem_ctx, uint32_t, n + 1);
	a->in_conflict = talloc_zero_array(mem_ctx, bool, n + 1);
	if (a->aid == NULL || a->in_conflict == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		idx = mapistore_properties_find(rows[i].props, rows[i].count, PidTagAttachNumber);
		if (idx < 0) {
			continue;
		}
		a->aid[a->count] = (uint32_t)rows[i].props[idx].value.i32;
		a->in_conflict[a->count] = rows[i].count > 0 &&
			!mapistore_property_is_error(&rows[i].props[0]) &&
			rows[i].props[0].proptag == PidTagInConflict && rows[i].props[0].value.b;
		a->count++;
	}
	return MAPISTORE_SUCCESS;
}

/* a version's own PidTagLastModificationTime, PidTagChangeKey and
 * PidTagPredecessorChangeList: the download sends each version under them
 * (3.1.5.6.2.1, "independent replicas with conflicting PCLs") */
struct ics_conflict_keys {
	int64_t lmt;
	struct mapistore_binary ck;
	struct mapistore_binary pcl;
};

/* the server's version: its change row (NULL: an untracked message, the
 * copied properties stay as they are) */
static enum mapistore_error ics_conflict_server_keys(const struct mapistore_change *row,
						     struct ics_conflict_keys *k)
{
	if (row == NULL || row->change_key_size == 0) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	k->lmt = row->last_modified;
	k->ck.data = (uint8_t *)(uintptr_t)row->change_key;
	k->ck.length = row->change_key_size;
	k->pcl = row->pcl;
	return MAPISTORE_SUCCESS;
}

/* the client's version: what it imported; its PCL integrates its own
 * change key ([MS-OXCFXICS] 2.2.1.2.8) */
static enum mapistore_error ics_conflict_client_keys(TALLOC_CTX *mem_ctx,
						     const struct ics_conflict *c,
						     struct ics_conflict_keys *k)
{
	struct mapistore_binary mine = { 0 };
	enum mapistore_error ret;

	k->lmt = (int64_t)c->client_lmt;
	k->ck.data = (uint8_t *)(uintptr_t)c->client_ck;
	k->ck.length = c->client_ck_size;
	ret = mapistore_pcl_from_xid(mem_ctx, c->client_ck, c->client_ck_size, &mine);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_pcl_merge(mem_ctx, &c->client_pcl, &mine, &k->pcl);
	}
	return ret;
}

/*
 * 3.1.5.6.2.1: a new attachment of @to holding version @from (its
 * properties, recipients and the attachments of @atts that are not in
 * conflict) as an embedded message, PidTagInConflict TRUE; @keys (NULL:
 * as copied) stamped on it.
 */
static enum mapistore_error ics_conflict_add_version(TALLOC_CTX *mem_ctx,
						     struct mapistore_message *from,
						     const struct ics_conflict_atts *atts,
						     const struct ics_conflict_keys *keys,
						     struct mapistore_message *to)
{
	struct mapistore_property props[3];
	struct mapistore_attachment *att = NULL;
	struct mapistore_message *emb = NULL;
	enum mapistore_error ret;
	uint32_t aid = 0, i;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	props[0].proptag = PidTagAttachMethod;
	props[0].value.i32 = ICS_CONFLICT_afEmbeddedMessage;
	props[1].proptag = PidTagInConflict;
	props[1].value.b = true;
	ret = mapistore_message_create_attachment(tmp, to, &att, &aid);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_set(mapistore_attachment_object(att), props, 2);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_attachment_open_embedded(tmp, att, true, &emb);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_object_copy_properties(tmp, mapistore_message_object(from),
						       mapistore_message_object(emb));
	}
	if (ret == MAPISTORE_SUCCESS && keys != NULL) {
		/* an embedded message has no change row: the keys live on it
		 * as plain properties (its save stamps nothing) */
		props[0].proptag = PidTagLastModificationTime;
		props[0].value.i64 = keys->lmt;
		props[1].proptag = PidTagChangeKey;
		props[1].value.bin = keys->ck;
		props[2].proptag = PidTagPredecessorChangeList;
		props[2].value.bin = keys->pcl;
		ret = mapistore_properties_set(mapistore_message_object(emb), props, 3);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_copy_subobjects(from, emb, MAPISTORE_COPY_RECIPIENTS);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < atts->count; i++) {
		if (!atts->in_conflict[i]) {
			ret = mapistore_message_copy_attachment(from, emb, atts->aid[i], 1);
		}
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_save(emb);
	}
	talloc_free(tmp);
	return ret;
}

/* the server's version wins: its content replaces the client's in @mm
 * (whose own attachments are @own; the version attachments stay) */
static enum mapistore_error ics_conflict_take_server(TALLOC_CTX *tmp,
						     struct mapistore_message *srv,
						     const struct ics_conflict_atts *srv_atts,
						     struct mapistore_message *mm,
						     const struct ics_conflict_atts *own)
{
	uint32_t *tags = NULL, n = 0, i;
	enum mapistore_error ret;

	ret = mapistore_properties_list(tmp, mapistore_message_object(mm), &tags, &n);
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_properties_delete(mapistore_message_object(mm), tags, n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < own->count; i++) {
		ret = mapistore_message_delete_attachment(mm, own->aid[i]);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_copy_subobjects(srv, mm, MAPISTORE_COPY_RECIPIENTS);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_object_copy_properties(tmp, mapistore_message_object(srv),
						       mapistore_message_object(mm));
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < srv_atts->count; i++) {
		if (!srv_atts->in_conflict[i]) {
			ret = mapistore_message_copy_attachment(srv, mm, srv_atts->aid[i], 0);
		}
	}
	return ret;
}

/* msInConflict, the merged PCL and a new change key of this replica */
static enum mapistore_error ics_conflict_mark(TALLOC_CTX *tmp, const struct ics_conflict *c,
					      struct mapistore_message *mm)
{
	static const uint32_t tag = PidTagMessageStatus;
	struct mapistore_binary mine = { 0 }, pcl = { 0 };
	struct mapistore_property *cur = NULL, props[3];
	enum mapistore_error ret;
	uint32_t status = 0;

	ret = mapistore_properties_get(tmp, mapistore_message_object(mm), &tag, 1, &cur);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if (!mapistore_property_is_error(&cur[0])) {
		status = (uint32_t)cur[0].value.i32;
	}
	ret = mapistore_pcl_from_xid(tmp, c->client_ck, c->client_ck_size, &mine);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_pcl_merge(tmp, &c->client_pcl, &mine, &pcl);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	props[0].proptag = PidTagMessageStatus;
	props[0].value.i32 = (int32_t)(status | msInConflict);
	/* an empty change key: mapistore stamps one of this replica (the
	 * resolve message is a new version, 3.1.5.6.2.1) */
	props[1].proptag = PidTagChangeKey;
	props[1].value.bin.data = NULL;
	props[1].value.bin.length = 0;
	props[2].proptag = PidTagPredecessorChangeList;
	props[2].value.bin = pcl;
	return mapistore_properties_set(mapistore_message_object(mm), props, 3);
}

static uint32_t ics_conflict_build(struct ics_collector *col, const struct ics_conflict *c,
				   struct mapistore_message *mm)
{
	struct ics_conflict_atts own, srv_atts;
	struct mapistore_message *srv = NULL;
	struct mapistore_change *row = NULL;
	enum mapistore_error ret;
	struct ics_conflict_keys srv_keys, client_keys;
	bool client_wins, srv_is_resolve = false, have_srv_keys;
	uint32_t i, versions = 0;
	TALLOC_CTX *tmp = talloc_new(NULL);

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ret = mapistore_message_open(tmp, col->folder->mf, c->mid, false, &srv);
	if (ret == MAPISTORE_ERR_NOT_FOUND || ret == MAPISTORE_ERR_OBJECT_DELETED) {
		talloc_free(tmp);	/* gone meanwhile: nothing conflicts */
		return ecSuccess;
	}
	if (ret == MAPISTORE_SUCCESS &&
	    mapistore_changes_get(tmp, col->s->mstore, c->mid, &row) != MAPISTORE_SUCCESS) {
		row = NULL;
	}
	client_wins = ics_conflict_client_wins(c, row);
	if (ret == MAPISTORE_SUCCESS) {
		ret = ics_conflict_list(tmp, mm, &own);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ics_conflict_list(tmp, srv, &srv_atts);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < srv_atts.count; i++) {
		versions += srv_atts.in_conflict[i] ? 1 : 0;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < srv_atts.count; i++) {
		/* an existing conflict resolve message: its versions stay
		 * versions (all of them are considered, 3.1.5.6.2.1) */
		if (!srv_atts.in_conflict[i]) {
			continue;
		}
		srv_is_resolve = true;
		if (versions-- >= ICS_CONFLICT_MAX_VERSIONS) {
			continue;	/* the oldest beyond the bound */
		}
		ret = mapistore_message_copy_attachment(srv, mm, srv_atts.aid[i], 0);
	}
	if (ret == MAPISTORE_SUCCESS && !srv_is_resolve) {
		have_srv_keys = ics_conflict_server_keys(row, &srv_keys) == MAPISTORE_SUCCESS;
		ret = ics_conflict_add_version(tmp, srv, &srv_atts,
					       have_srv_keys ? &srv_keys : NULL, mm);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ics_conflict_client_keys(tmp, c, &client_keys);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ics_conflict_add_version(tmp, mm, &own, &client_keys, mm);
	}
	if (ret == MAPISTORE_SUCCESS && !client_wins) {
		ret = ics_conflict_take_server(tmp, srv, &srv_atts, mm, &own);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = ics_conflict_mark(tmp, c, mm);
	}
	talloc_free(tmp);
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "ICS import: conflict resolve message for "
			   "0x%016llx failed: %d", (unsigned long long)c->mid, (int)ret);
		return emsmdb_ms_ec(ret);
	}
	emsmdb_log(EMSMDB_LOG_INFO, "ICS import: conflict resolve message for 0x%016llx, "
		   "%s version wins", (unsigned long long)c->mid,
		   client_wins ? "the client's" : "the server's");
	return ecSuccess;
}

uint32_t ics_conflict_save_hook(struct emsmdb_object *obj, struct emsmdb_message *m)
{
	struct ics_collector *col;
	struct ics_conflict **pp, *c;
	uint32_t ec;

	if (obj == NULL || obj->parent == NULL || m == NULL || m->mm == NULL) {
		return ecSuccess;
	}
	col = ics_collector_of(obj->parent);
	if (col == NULL) {
		return ecSuccess;
	}
	for (pp = &col->conflicts; *pp != NULL && (*pp)->mid != m->mid; pp = &(*pp)->next) {
	}
	if (*pp == NULL) {
		return ecSuccess;
	}
	c = *pp;
	*pp = c->next;
	ec = ics_conflict_build(col, c, m->mm);
	if (ec == ecSuccess) {
		ics_collector_note_resolved(col, c->mid);
	}
	talloc_free(c);
	return ec;
}

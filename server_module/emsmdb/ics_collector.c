/*
 * Synchronization upload contexts ([MS-OXCFXICS] 3.2.5.9.4): the
 * collector opened by RopSynchronizationOpenCollector and the import
 * ROPs, plus RopGetLocalReplicaIds and RopSetLocalReplicaMidsetDeleted.
 *
 * Conflicts ([MS-OXCFXICS] 3.1.5.6) are detected by comparing
 * predecessor change lists: the server's version integrates the
 * client's change key -> ecSyncIgnore (nothing to import); the client's
 * PCL integrates the server's change key -> a plain update; neither ->
 * a conflict. With FailOnConflict the import answers ecSyncConflict.
 * Without it ([MS-OXCFXICS] 3.1.5.6.2, 2.2.1.4.1): for an FAI message, or
 * when the folder's PidTagResolveMethod is RESOLVE_METHOD_LAST_WRITER_WINS,
 * the client's version replaces the server's and the PCLs are merged (so
 * both histories are integrated and every other replica downloads the
 * winner); otherwise (RESOLVE_METHOD_DEFAULT, or the property absent) the
 * save builds a conflict resolve message (3.1.5.6.2.1, ics_conflict.c).
 */
#include "ics.h"

#include <string.h>

#include "emsmdb_log.h"
#include "emsmdb_oxc.h"
#include "emsmdb_acl.h"

/* [MS-OXCFXICS] 2.2.3.2.4.2.1 ImportFlag */
#define ImportFlag_Associated 0x10
#define ImportFlag_FailOnConflict 0x40

struct ics_imported {
	uint64_t mid;
	bool read_only;		/* only its read-state CN joins the state */
	bool resolved;		/* saved as a conflict resolve message */
};

/* the collector's list of imported objects, whose CNs join the state */
struct ics_collector_log {
	struct ics_imported *items;
	uint32_t count;
};

struct ics_collector *ics_collector_of(struct emsmdb_object *obj)
{
	return obj->type == EMSMDB_OBJECT_ICS_UPLOAD ?
		talloc_get_type(obj->private_data, struct ics_collector) : NULL;
}

/* a source key of this replica -> FID/MID ([MS-OXCFXICS] 2.2.1.2.5) */
bool ics_sourcekey_id(const struct ics_collector *col, const uint8_t *data,
			     size_t len, uint64_t *id_r)
{
	uint64_t g = 0;
	unsigned i;

	if (len != MAPISTORE_SOURCE_KEY_SIZE || memcmp(data, col->replguid, 16) != 0) {
		return false;
	}
	for (i = 16; i < 22; i++) {
		g = (g << 8) | data[i];
	}
	*id_r = mapistore_fmid_make(1, g);
	return g != 0;
}

uint32_t ics_collector_note(struct ics_collector *col, uint64_t mid, bool read_only)
{
	struct ics_collector_log *log = col->log;
	struct ics_imported *n;

	if (log->count >= ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	n = talloc_realloc(log, log->items, struct ics_imported, log->count + 1);
	if (n == NULL) {
		return ecMAPIOOM;
	}
	log->items = n;
	log->items[log->count++] = (struct ics_imported){ .mid = mid, .read_only = read_only };
	return ecSuccess;
}

void ics_collector_note_resolved(struct ics_collector *col, uint64_t mid)
{
	struct ics_collector_log *log = col->log;
	uint32_t i;

	/* the latest import of @mid: the one being saved */
	for (i = log->count; i > 0; i--) {
		if (log->items[i - 1].mid == mid) {
			log->items[i - 1].resolved = true;
			return;
		}
	}
}

/* [MS-OXCFXICS] 2.2.3.2.4.1, 3.2.5.9.4.1 RopSynchronizationOpenCollector */
uint32_t oxcfxics_RopSynchronizationOpenCollector(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationOpenCollector_req *req =
		&call->req->u.RopSynchronizationOpenCollector;
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
						  struct emsmdb_folder);
	struct ics_collector *col;
	struct emsmdb_object *obj;
	uint64_t last = 0;
	uint32_t ec;

	if (f == NULL || call->session->mstore == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_ICS_UPLOAD, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	col = talloc_zero(obj, struct ics_collector);
	if (col == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = col;
	col->s = call->session;
	col->logon = call->logon;
	col->folder = f;
	col->contents = req->IsContentsCollector != 0;
	col->state = ics_state_new(col);
	col->log = talloc_zero(col, struct ics_collector_log);
	if (col->state == NULL || col->log == NULL) {
		return ecMAPIOOM;
	}
	return emsmdb_ms_ec(mapistore_changes_get_replica(col->s->mstore, col->replguid, &last));
}

/* 3.2.5.2.1: the state of an upload context has no MetaTagIdsetGiven;
 * every imported change joins CnsetSeen / CnsetSeenFAI (3.2.5.9.4.x),
 * but for a message saved as a conflict resolve message: the uploader
 * lacks the other versions and must download them to build its own
 * resolve message (3.1.5.6.2.1) */
uint32_t ics_collector_state(struct ics_collector *col, TALLOC_CTX *mem_ctx,
			     struct fxics_proplist *l)
{
	struct mapistore_change *row = NULL;
	uint32_t i, ec = ecSuccess;

	for (i = 0; i < col->log->count && ec == ecSuccess; i++) {
		if (mapistore_changes_get(mem_ctx, col->s->mstore, col->log->items[i].mid,
					  &row) != MAPISTORE_SUCCESS) {
			continue;	/* not saved (yet) */
		}
		if (!col->log->items[i].read_only && !col->log->items[i].resolved) {
			ec = ics_idset_add(row->is_folder || !row->fai ? col->state->CnsetSeen :
					   col->state->CnsetSeenFAI, col->replguid, row->cn, row->cn);
		}
		if (ec == ecSuccess && row->read_cn != 0) {
			ec = ics_idset_add(col->state->CnsetRead, col->replguid, row->read_cn,
					   row->read_cn);
		}
		TALLOC_FREE(row);
	}
	if (ec == ecSuccess) {
		/* no IdsetGiven (3.2.5.2.1); a hierarchy state: CnsetSeen only */
		ec = ics_proplist_add_state(mem_ctx, l, NULL, col->state->CnsetSeen,
					    col->contents ? col->state->CnsetSeenFAI : NULL,
					    col->contents ? col->state->CnsetRead : NULL);
	}
	return ec;
}

/*
 * [MS-OXCFXICS] 3.1.5.6.1: compare the server's version of @id with the
 * client's change key / PCL. ecSuccess (import; *conflict_r tells whether
 * the versions conflict, *fai_r whether the server's is FAI),
 * ecSyncIgnore, ecSyncConflict (only with @fail_on_conflict).
 */
static uint32_t ics_conflict_check(struct ics_collector *col, TALLOC_CTX *mem_ctx,
				   uint64_t id, const struct oxcdata_binary *ck,
				   const struct oxcdata_binary *pcl, bool fail_on_conflict,
				   bool *conflict_r, bool *fai_r)
{
	struct mapistore_change *row = NULL;
	struct mapistore_binary client_pcl = { .length = pcl->cb, .data = pcl->lpb };
	bool server_has_client = false, client_has_server = false;

	*conflict_r = false;
	*fai_r = false;
	if (mapistore_changes_get(mem_ctx, col->s->mstore, id, &row) != MAPISTORE_SUCCESS) {
		return ecSuccess;	/* nothing tracked: no conflict possible */
	}
	*fai_r = row->fai;
	if (mapistore_pcl_includes(&row->pcl, ck->lpb, ck->cb, &server_has_client) !=
	    MAPISTORE_SUCCESS ||
	    mapistore_pcl_includes(&client_pcl, row->change_key, row->change_key_size,
				   &client_has_server) != MAPISTORE_SUCCESS) {
		return ecInvalidParam;
	}
	if (server_has_client) {
		return ecSyncIgnore;
	}
	if (client_has_server) {
		return ecSuccess;
	}
	emsmdb_log(EMSMDB_LOG_WARNING, "ICS import: conflicting versions of 0x%016llx%s",
		   (unsigned long long)id, fail_on_conflict ? " (refused, FailOnConflict)" : "");
	*conflict_r = true;
	return fail_on_conflict ? ecSyncConflict : ecSuccess;
}

/* purge what the client may set (3.2.5.9.4.2) before the import fills it */
static uint32_t ics_message_purge(TALLOC_CTX *mem_ctx, struct mapistore_message *mm)
{
	struct mapistore_recipient *recips = NULL, *gone;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t *tags = NULL, n = 0, i;
	static const uint32_t cols[] = { PidTagAttachNumber };
	enum mapistore_error ret;

	ret = mapistore_properties_list(mem_ctx, mapistore_message_object(mm), &tags, &n);
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_properties_delete(mapistore_message_object(mm), tags, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_get_recipients(mem_ctx, mm, &recips, &n);
	}
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		gone = talloc_zero_array(mem_ctx, struct mapistore_recipient, n);
		if (gone == NULL) {
			return ecMAPIOOM;
		}
		for (i = 0; i < n; i++) {
			gone[i].row_id = recips[i].row_id;
			gone[i].type = recips[i].type;
		}
		ret = mapistore_message_modify_recipients(mm, gone, n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (mapistore_message_open_attachment_table(mem_ctx, mm, &t) != MAPISTORE_SUCCESS ||
	    mapistore_table_set_columns(t, cols, 1) != MAPISTORE_SUCCESS ||
	    mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n) !=
	    MAPISTORE_SUCCESS) {
		return ecSuccess;	/* a backend without attachments */
	}
	for (i = 0; i < n; i++) {
		if (rows[i].count > 0 && !mapistore_property_is_error(&rows[i].props[0])) {
			(void)mapistore_message_delete_attachment(mm,
				(uint32_t)rows[i].props[0].value.i32);
		}
	}
	return ecSuccess;
}

/* [MS-OXCFXICS] 2.2.3.2.4.2, 3.2.5.9.4.2 RopSynchronizationImportMessageChange */
uint32_t oxcfxics_RopSynchronizationImportMessageChange(struct emsmdb_rop_call *call)
{
	const struct RopSynchronizationImportMessageChange_req *req =
		&call->req->u.RopSynchronizationImportMessageChange;
	struct RopSynchronizationImportMessageChange_resp *resp =
		&call->resp->u.RopSynchronizationImportMessageChange;
	struct ics_collector *col = ics_collector_of(call->in);
	const struct TaggedPropertyValue *pv = req->PropertyValues;
	struct mapistore_property props[3];
	struct emsmdb_message *m;
	struct emsmdb_object *obj;
	enum mapistore_error ret;
	bool fai = (req->ImportFlag & ImportFlag_Associated) != 0;
	bool conflict = false, server_fai = false, resolve = false;
	uint64_t mid = 0;
	uint32_t ec, i;

	resp->MessageId = 0;	/* 2.2.3.2.4.2.2: MUST be 0 */
	if (col == NULL || !col->contents || col->folder->mf == NULL) {
		return ecNotSupported;
	}
	if (emsmdb_acl_check(call, call->in, frightsCreate | frightsEditAny) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	if ((req->ImportFlag & ~(ImportFlag_Associated | ImportFlag_FailOnConflict)) != 0) {
		return ecInvalidParam;	/* 3.2.5.9.4.2: unknown flags */
	}
	/* 2.2.3.2.4.2.1: PidTagSourceKey, PidTagLastModificationTime,
	 * PidTagChangeKey, PidTagPredecessorChangeList, in that order */
	if (req->PropertyValueCount != 4 || pv[0].PropertyTag != PidTagSourceKey ||
	    pv[1].PropertyTag != PidTagLastModificationTime ||
	    pv[2].PropertyTag != PidTagChangeKey ||
	    pv[3].PropertyTag != PidTagPredecessorChangeList) {
		return ecInvalidParam;
	}
	if (ics_sourcekey_id(col, pv[0].Value.u.bin.lpb, pv[0].Value.u.bin.cb, &mid)) {
		ec = ics_conflict_check(col, call->mem_ctx, mid, &pv[2].Value.u.bin,
					&pv[3].Value.u.bin,
					(req->ImportFlag & ImportFlag_FailOnConflict) != 0,
					&conflict, &server_fai);
		if (ec != ecSuccess) {
			return ec;
		}
		ics_conflict_forget(col, mid);
		/* 3.1.5.6.2: FAI messages always by last writer wins (MUST);
		 * normal ones by the folder's PidTagResolveMethod */
		resolve = conflict && !fai && !server_fai &&
			(ics_conflict_resolve_method(col->folder->mf) &
			 RESOLVE_METHOD_LAST_WRITER_WINS) == 0;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_MESSAGE, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	m = talloc_zero(obj, struct emsmdb_message);
	if (m == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = m;
	m->fid = col->folder->fid;
	m->read_write = true;
	ret = MAPISTORE_ERR_NOT_FOUND;
	if (mid != 0) {
		ret = mapistore_message_open(m, col->folder->mf, mid, true, &m->mm);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ec = ics_message_purge(call->mem_ctx, m->mm);
	} else if (mid != 0 && (ret == MAPISTORE_ERR_NOT_FOUND ||
				ret == MAPISTORE_ERR_OBJECT_DELETED)) {
		/* [MS-OXCFXICS] 3.3.5.2.1: a source key of our replica that
		 * names no message here is a client-assigned ID; the message
		 * gets exactly that MID (and so the client's source key) if the
		 * ID was reserved by RopGetLocalReplicaIds and is unused */
		ret = mapistore_message_create_with_id(m, col->folder->mf, fai, mid, &m->mm);
		m->is_new = true;
		ec = emsmdb_ms_ec(ret);
		if (ec != ecSuccess) {
			emsmdb_log(EMSMDB_LOG_WARNING, "ICS import: client ID 0x%016llx refused: "
				   "0x%08x", (unsigned long long)mid, ec);
		}
	} else if (ret == MAPISTORE_ERR_NOT_FOUND) {
		/* a foreign source key: the server assigns MID and source key */
		ret = mapistore_message_create(m, col->folder->mf, fai, &m->mm);
		m->is_new = true;
		ec = emsmdb_ms_ec(ret);
	} else {
		ec = emsmdb_ms_ec(ret);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	m->mid = mapistore_message_get_mid(m->mm);
	/* the client's change key and PCL are kept at RopSaveChangesMessage
	 * (mapistore merges the PCLs, 2.2.1.2.7/2.2.1.2.8) */
	for (i = 0; i < 3; i++) {
		ec = emsmdb_prop_from_wire(call->mem_ctx, &pv[i + 1], &props[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	ret = mapistore_properties_set(mapistore_message_object(m->mm), props, 3);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (resolve && !m->is_new) {
		/* the save makes the conflict resolve message (ics_conflict.c) */
		ec = ics_conflict_note(col, m->mid, pv[1].Value.u.d, pv[2].Value.u.bin.lpb,
				       pv[2].Value.u.bin.cb, pv[3].Value.u.bin.lpb,
				       pv[3].Value.u.bin.cb);
		if (ec != ecSuccess) {
			return ec;
		}
	} else if (conflict) {
		emsmdb_log(EMSMDB_LOG_INFO, "ICS import: 0x%016llx, the last writer wins",
			   (unsigned long long)m->mid);
	}
	return ics_collector_note(col, m->mid, false);
}


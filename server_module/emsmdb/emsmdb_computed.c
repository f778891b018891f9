/*
 * Computed properties of logons, folders and messages: one table, tag ->
 * function (emsmdb_computed.h). The identifiers follow what the ICS
 * download carries for the same object (ics_contents.c ics_change_header,
 * ics_hierarchy.c ics_h_folder): the change-tracking row of
 * mapistore_changes.h when the object has one, else keys derived from the
 * object's ID under the mailbox replica ([MS-OXCFXICS] 2.2.1.2.x, 3.1.5.3).
 */
#include "emsmdb_computed.h"
#include "emsmdb_oxc.h"
#include "oxcfold_search.h"

#include <string.h>

#include "idset.h"

/* [MS-OXCMSG] 2.2.1.6 PidTagMessageFlags */
#define emsmdb_mfRead 0x00000001
#define emsmdb_mfHasAttach 0x00000010
/* [MS-OXCFOLD] 2.2.2.2.1.4 PidTagFolderType: FOLDER_ROOT */
#define emsmdb_FOLDER_ROOT 0x00
/* [MS-OXCPRPT] 2.2.1.7 PidTagObjectType */
#define emsmdb_MAPI_STORE 0x1
#define emsmdb_MAPI_FOLDER 0x3
#define emsmdb_MAPI_MESSAGE 0x5
#define emsmdb_MAPI_ATTACH 0x7
/* [MS-OXPROPS] 2.1027 PidTagStoreSupportMask: what this server offers */
#define emsmdb_STORE_SUPPORT_MASK (0x00000001 /* STORE_ENTRYID_UNIQUE */ | \
	0x00000004 /* STORE_SEARCH_OK: oxcfold_search.c */ | \
	0x00000008 /* STORE_MODIFY_OK */ | 0x00000010 /* STORE_CREATE_OK */ | \
	0x00000020 /* STORE_ATTACH_OK */ | 0x00000040 /* STORE_OLE_OK */ | \
	0x00000080 /* STORE_SUBMIT_OK */ | 0x00000100 /* STORE_NOTIFY_OK */ | \
	0x00000200 /* STORE_MV_PROPS_OK */ | 0x00001000 /* STORE_RESTRICTION_OK */ | \
	0x00002000 /* STORE_SORT_OK */ | 0x00020000 /* STORE_ANSI_OK */ | \
	0x00040000 /* STORE_UNICODE_OK */)
#define emsmdb_STORE_PUBLIC_FOLDERS 0x00004000

/* what one evaluation knows and loads at most once */
struct emsmdb_computed_run {
	TALLOC_CTX *mem_ctx;
	const struct emsmdb_computed_obj *o;
	bool replica_tried, have_replica;
	uint8_t replguid[16];
	bool change_tried, parent_tried;
	struct mapistore_change *change;	/* of the object itself */
	struct mapistore_change *parent;	/* of its folder / parent folder */
	bool mf_tried;
	struct mapistore_folder *mf;
};

typedef uint32_t (*emsmdb_computed_fn)(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p);

#define C_L EMSMDB_COMPUTED_LOGON
#define C_F EMSMDB_COMPUTED_FOLDER
#define C_M EMSMDB_COMPUTED_MESSAGE
#define C_A EMSMDB_COMPUTED_ATTACHMENT
/* a stored value wins over the computed one (objects; rows always) */
#define STORED_FIRST 0x1
/* ... except on folders, whose ICS identifiers come from change tracking
 * first, as the hierarchy download takes them (ics_hierarchy.c) */
#define TRACKED 0x2

/* ---- what the functions share ---- */

static uint32_t emsmdb_c_bin(struct emsmdb_computed_run *r, struct mapistore_property *p,
			     const uint8_t *data, size_t len)
{
	uint8_t *copy = talloc_zero_size(r->mem_ctx, len + 1);

	if (copy == NULL) {
		return ecMAPIOOM;
	}
	if (len > 0) {
		memcpy(copy, data, len);
	}
	p->value.bin.data = copy;
	p->value.bin.length = len;
	return ecSuccess;
}

/* the object's own ID: FID of a folder, MID of a message */
static uint64_t emsmdb_c_id(const struct emsmdb_computed_obj *o)
{
	return o->kind == EMSMDB_COMPUTED_MESSAGE ? o->mid : o->fid;
}

/* the ID of the folder above: parent folder, or a message's folder */
static uint64_t emsmdb_c_parent_id(const struct emsmdb_computed_obj *o)
{
	return o->kind == EMSMDB_COMPUTED_MESSAGE ? o->fid : o->parent_fid;
}

static bool emsmdb_c_replica(struct emsmdb_computed_run *r)
{
	uint64_t last = 0;

	if (!r->replica_tried) {
		r->replica_tried = true;
		r->have_replica = r->o->s->mstore != NULL &&
			mapistore_changes_get_replica(r->o->s->mstore, r->replguid, &last) ==
			MAPISTORE_SUCCESS;
	}
	return r->have_replica;
}

static struct mapistore_change *emsmdb_c_change(struct emsmdb_computed_run *r, bool parent)
{
	uint64_t id = parent ? emsmdb_c_parent_id(r->o) : emsmdb_c_id(r->o);
	bool *tried = parent ? &r->parent_tried : &r->change_tried;
	struct mapistore_change **c = parent ? &r->parent : &r->change;

	if (!*tried) {
		*tried = true;
		if (id == 0 || r->o->s->mstore == NULL ||
		    mapistore_changes_get(r->mem_ctx, r->o->s->mstore, id, c) != MAPISTORE_SUCCESS) {
			*c = NULL;
		}
	}
	return *c;
}

/* the GUID of the replica of @id: the logon's own, or openchangedb's */
static bool emsmdb_c_dbguid(struct emsmdb_computed_run *r, uint64_t id, uint8_t guid[16])
{
	uint16_t replid = mapistore_fmid_replid(id);
	char *text = NULL;
	bool ok;

	if (replid == r->o->logon->ReplId) {
		memcpy(guid, r->o->logon->ReplGuid, 16);
		return true;
	}
	if (r->o->s->ocdb == NULL ||
	    openchangedb_replica_get_guid(r->mem_ctx, r->o->s->ocdb, replid, &text) !=
	    MAPISTORE_SUCCESS) {
		return false;
	}
	ok = emsmdb_guid_parse(text, guid);
	talloc_free(text);
	return ok;
}

/* the backend folder of a folder (counts), opened once when needed */
static struct mapistore_folder *emsmdb_c_folder(struct emsmdb_computed_run *r)
{
	if (r->o->mf != NULL || !r->o->row) {
		return r->o->mf;	/* an object knows its backend folder */
	}
	if (!r->mf_tried) {
		r->mf_tried = true;
		if (r->o->s->mstore == NULL ||
		    mapistore_folder_open(r->mem_ctx, r->o->s->mstore, r->o->fid, &r->mf) !=
		    MAPISTORE_SUCCESS) {
			r->mf = NULL;
		}
	}
	return r->mf;
}

/* ---- identifiers ---- */

static uint32_t emsmdb_c_folder_id(struct emsmdb_computed_run *r, uint32_t tag,
				   struct mapistore_property *p)
{
	(void)tag;
	p->value.i64 = (int64_t)r->o->fid;
	return ecSuccess;
}

static uint32_t emsmdb_c_parent_folder_id(struct emsmdb_computed_run *r, uint32_t tag,
					  struct mapistore_property *p)
{
	(void)tag;
	p->value.i64 = (int64_t)r->o->parent_fid;
	return ecSuccess;
}

/* [MS-OXCFOLD] 2.2.2.2.1.4: a mailbox root, else a generic folder unless
 * the folder says otherwise (search folders store theirs) */
static uint32_t emsmdb_c_folder_type(struct emsmdb_computed_run *r, uint32_t tag,
				     struct mapistore_property *p)
{
	(void)tag;
	p->value.i32 = r->o->parent_fid == 0 ? emsmdb_FOLDER_ROOT : FOLDER_GENERIC;
	return ecSuccess;
}

static uint32_t emsmdb_c_mid(struct emsmdb_computed_run *r, uint32_t tag,
			     struct mapistore_property *p)
{
	(void)tag;
	p->value.i64 = (int64_t)r->o->mid;
	return ecSuccess;
}

/* [MS-OXCDATA] 2.2.4.1 / 2.2.4.2 of the object itself or of its parent */
static uint32_t emsmdb_c_entryid_of(struct emsmdb_computed_run *r, bool parent,
				    struct mapistore_property *p)
{
	const struct emsmdb_computed_obj *o = r->o;
	uint8_t fguid[16], mguid[16], eid[EMSMDB_MESSAGE_ENTRYID_SIZE];
	uint64_t fid = parent ? emsmdb_c_parent_id(o) : o->fid;

	if (fid == 0 || !emsmdb_c_dbguid(r, fid, fguid)) {
		return ecNotFound;
	}
	if (o->kind == EMSMDB_COMPUTED_FOLDER || parent) {
		emsmdb_folder_entryid(o->logon, fguid, fid, eid);
		return emsmdb_c_bin(r, p, eid, EMSMDB_FOLDER_ENTRYID_SIZE);
	}
	if (o->mid == 0 || !emsmdb_c_dbguid(r, o->mid, mguid)) {
		return ecNotFound;	/* a message not saved yet */
	}
	emsmdb_message_entryid(o->logon, fguid, o->fid, mguid, o->mid, eid);
	return emsmdb_c_bin(r, p, eid, EMSMDB_MESSAGE_ENTRYID_SIZE);
}

static uint32_t emsmdb_c_store_entryid(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	(void)tag;
	return emsmdb_store_entryid(r->mem_ctx, r->o->logon, r->o->s->config->netbios_name,
				    r->o->s->user_dn, &p->value.bin);
}

/* PidTagEntryId; a logon's is its store's ([MS-OXCSTOR] 2.2.2) */
static uint32_t emsmdb_c_entryid(struct emsmdb_computed_run *r, uint32_t tag,
				 struct mapistore_property *p)
{
	if (r->o->kind == EMSMDB_COMPUTED_LOGON) {
		return emsmdb_c_store_entryid(r, tag, p);
	}
	return emsmdb_c_entryid_of(r, false, p);
}

static uint32_t emsmdb_c_parent_entryid(struct emsmdb_computed_run *r, uint32_t tag,
					struct mapistore_property *p)
{
	(void)tag;
	return emsmdb_c_entryid_of(r, true, p);
}

static uint32_t emsmdb_c_store_record_key(struct emsmdb_computed_run *r, uint32_t tag,
					  struct mapistore_property *p)
{
	const struct emsmdb_logon *l = r->o->logon;

	(void)tag;
	return emsmdb_c_bin(r, p, l->is_private ? l->MailboxGuid : l->ReplGuid, 16);
}

/* PidTagRecordKey: the store's record key for a logon, an attachment's
 * number (unique within its message), else the entry ID */
static uint32_t emsmdb_c_record_key(struct emsmdb_computed_run *r, uint32_t tag,
				    struct mapistore_property *p)
{
	uint8_t num[4];

	if (r->o->kind == EMSMDB_COMPUTED_LOGON) {
		return emsmdb_c_store_record_key(r, tag, p);
	}
	if (r->o->kind == EMSMDB_COMPUTED_ATTACHMENT) {
		num[0] = r->o->attach_num & 0xFF;
		num[1] = (r->o->attach_num >> 8) & 0xFF;
		num[2] = (r->o->attach_num >> 16) & 0xFF;
		num[3] = r->o->attach_num >> 24;
		return emsmdb_c_bin(r, p, num, sizeof(num));
	}
	return emsmdb_c_entryid_of(r, false, p);
}

/* PidTagInstanceKey ([MS-OXCTABL] 2.2.1.2): one per row, the object's ID */
static uint32_t emsmdb_c_instance_key(struct emsmdb_computed_run *r, uint32_t tag,
				      struct mapistore_property *p)
{
	uint64_t id = emsmdb_c_id(r->o);
	uint8_t key[8];
	int i;

	(void)tag;
	if (id == 0) {
		return ecNotFound;
	}
	for (i = 0; i < 8; i++) {
		key[i] = (id >> (8 * i)) & 0xFF;
	}
	return emsmdb_c_bin(r, p, key, 8);
}

/* PidTagSourceKey / PidTagParentSourceKey: tracked, else REPLGUID + GLOBCNT */
static uint32_t emsmdb_c_source_key_of(struct emsmdb_computed_run *r, bool parent,
				       struct mapistore_property *p)
{
	uint64_t id = parent ? emsmdb_c_parent_id(r->o) : emsmdb_c_id(r->o);
	struct mapistore_change *c = emsmdb_c_change(r, parent);
	uint8_t sk[MAPISTORE_SOURCE_KEY_SIZE];

	if (id == 0) {
		return ecNotFound;
	}
	if (c != NULL) {
		return emsmdb_c_bin(r, p, c->source_key, MAPISTORE_SOURCE_KEY_SIZE);
	}
	if (!emsmdb_c_replica(r)) {
		return ecNotFound;
	}
	mapistore_xid_make(r->replguid, mapistore_fmid_globcnt(id), sk);
	return emsmdb_c_bin(r, p, sk, sizeof(sk));
}

static uint32_t emsmdb_c_source_key(struct emsmdb_computed_run *r, uint32_t tag,
				    struct mapistore_property *p)
{
	(void)tag;
	return emsmdb_c_source_key_of(r, false, p);
}

static uint32_t emsmdb_c_parent_source_key(struct emsmdb_computed_run *r, uint32_t tag,
					   struct mapistore_property *p)
{
	(void)tag;
	return emsmdb_c_source_key_of(r, true, p);
}

/* GLOBCNT of the last change: tracked, else the object's own GLOBCNT (as
 * the ICS hierarchy does for untracked openchangedb folders) */
static uint64_t emsmdb_c_cn(struct emsmdb_computed_run *r)
{
	struct mapistore_change *c = emsmdb_c_change(r, false);

	return c != NULL ? c->cn : mapistore_fmid_globcnt(emsmdb_c_id(r->o));
}

static uint32_t emsmdb_c_change_key(struct emsmdb_computed_run *r, uint32_t tag,
				    struct mapistore_property *p)
{
	struct mapistore_change *c = emsmdb_c_change(r, false);
	uint8_t ck[MAPISTORE_SOURCE_KEY_SIZE];

	(void)tag;
	if (emsmdb_c_id(r->o) == 0) {
		return ecNotFound;
	}
	if (c != NULL && c->change_key_size > 0 && c->change_key_size <= sizeof(c->change_key)) {
		return emsmdb_c_bin(r, p, c->change_key, c->change_key_size);
	}
	if (!emsmdb_c_replica(r)) {
		return ecNotFound;
	}
	mapistore_xid_make(r->replguid, emsmdb_c_cn(r), ck);
	return emsmdb_c_bin(r, p, ck, sizeof(ck));
}

/* PidTagPredecessorChangeList: tracked, else the one XID of the change key */
static uint32_t emsmdb_c_pcl(struct emsmdb_computed_run *r, uint32_t tag,
			     struct mapistore_property *p)
{
	struct mapistore_change *c = emsmdb_c_change(r, false);
	uint8_t pcl[1 + MAPISTORE_SOURCE_KEY_SIZE];

	(void)tag;
	if (emsmdb_c_id(r->o) == 0) {
		return ecNotFound;
	}
	if (c != NULL && c->pcl.length > 0) {
		return emsmdb_c_bin(r, p, c->pcl.data, c->pcl.length);
	}
	if (!emsmdb_c_replica(r)) {
		return ecNotFound;
	}
	pcl[0] = MAPISTORE_SOURCE_KEY_SIZE;
	mapistore_xid_make(r->replguid, emsmdb_c_cn(r), pcl + 1);
	return emsmdb_c_bin(r, p, pcl, sizeof(pcl));
}

/* PidTagChangeNumber: the last change's CN as an ID ([MS-OXCFXICS] 2.2.1.2.3) */
static uint32_t emsmdb_c_change_number(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	uint64_t id = emsmdb_c_id(r->o);

	(void)tag;
	if (id == 0) {
		return ecNotFound;
	}
	p->value.i64 = (int64_t)fxics_id_make(mapistore_fmid_replid(id), emsmdb_c_cn(r));
	return ecSuccess;
}

/* ---- dates ---- */

static uint32_t emsmdb_c_last_modified(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	struct mapistore_change *c = emsmdb_c_change(r, false);

	(void)tag;
	if (c == NULL || c->last_modified == 0) {
		return ecNotFound;
	}
	p->value.i64 = c->last_modified;
	return ecSuccess;
}

/* PidTagCreationTime: the backend's, else the first tracked change */
static uint32_t emsmdb_c_creation_time(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	return emsmdb_c_last_modified(r, tag, p);
}

/* ---- folder counts and sizes ---- */

static uint32_t emsmdb_c_child_count(struct emsmdb_computed_run *r, uint32_t tag,
				     struct mapistore_property *p)
{
	struct mapistore_folder *mf = emsmdb_c_folder(r);
	uint64_t *kids = NULL;
	uint32_t n = 0, more = 0;

	/* a special folder has openchangedb children and backend ones */
	if (r->o->s->ocdb != NULL &&
	    openchangedb_folder_get_children(r->mem_ctx, r->o->s->ocdb, r->o->fid, &kids, &n) ==
	    MAPISTORE_SUCCESS) {
		talloc_free(kids);
	} else {
		n = 0;
	}
	if (mf != NULL &&
	    mapistore_folder_get_child_count(mf, MAPISTORE_FOLDER_TABLE, &more) ==
	    MAPISTORE_SUCCESS) {
		n += more;
	}
	if (tag == PidTagSubfolders) {
		p->value.b = n > 0;
	} else {
		p->value.i32 = (int32_t)n;
	}
	return ecSuccess;
}

static uint32_t emsmdb_c_content_count(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	struct mapistore_folder *mf = emsmdb_c_folder(r);
	uint32_t n = 0, ec;

	if (mf == NULL && tag == PidTagContentCount) {
		/* a search folder lists the messages it finds */
		ec = emsmdb_search_count(r->o->s, r->o->fid, false, &n);
		p->value.i32 = (int32_t)n;
		return ec == ecMAPIOOM ? ec : ecSuccess;
	}
	if (mf != NULL &&
	    mapistore_folder_get_child_count(mf, tag == PidTagAssocContentCount ?
		MAPISTORE_FAI_TABLE : MAPISTORE_MESSAGE_TABLE, &n) != MAPISTORE_SUCCESS) {
		n = 0;
	}
	p->value.i32 = (int32_t)n;
	return ecSuccess;
}

/* [MS-OXCFOLD] 2.2.2.2.1.2 PidTagContentUnreadCount: messages without mfRead
 * (a message without PidTagMessageFlags is unread) */
static uint32_t emsmdb_c_unread_count(struct emsmdb_computed_run *r, uint32_t tag,
				      struct mapistore_property *p)
{
	struct mapistore_folder *mf = emsmdb_c_folder(r);
	struct mapistore_restriction read = { .type = MAPISTORE_RES_BITMASK };
	struct mapistore_restriction unread = { .type = MAPISTORE_RES_NOT };
	struct mapistore_table *t = NULL;
	enum mapistore_error ret;
	uint32_t n = 0;

	(void)tag;
	p->value.i32 = 0;
	if (mf == NULL) {
		/* openchangedb folders hold no messages; search folders list some */
		ret = emsmdb_search_count(r->o->s, r->o->fid, true, &n) == ecMAPIOOM ?
			MAPISTORE_ERR_NO_MEMORY : MAPISTORE_SUCCESS;
		p->value.i32 = (int32_t)n;
		return ret == MAPISTORE_ERR_NO_MEMORY ? ecMAPIOOM : ecSuccess;
	}
	read.u.bitmask.relop = BMR_NEZ;
	read.u.bitmask.proptag = PidTagMessageFlags;
	read.u.bitmask.mask = emsmdb_mfRead;
	unread.u.not_res = &read;
	ret = mapistore_folder_open_table(r->mem_ctx, mf, MAPISTORE_MESSAGE_TABLE, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_restrict(t, &unread);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(t, &n);
	}
	talloc_free(t);
	if (ret == MAPISTORE_ERR_NO_MEMORY) {
		return ecMAPIOOM;
	}
	p->value.i32 = ret == MAPISTORE_SUCCESS ? (int32_t)n : 0;
	return ecSuccess;
}

/* the sum of the tracked message sizes of a folder, normal and FAI */
static uint64_t emsmdb_c_folder_size(struct emsmdb_computed_run *r)
{
	struct mapistore_change *changes = NULL;
	uint64_t size = 0, after, next;
	uint32_t n, i, rounds;
	bool more;
	int fai;

	for (fai = 0; fai < 2; fai++) {
		after = 0;
		more = true;
		/* bounded: at most 256 batches of 4096 messages */
		for (rounds = 0; more && rounds < 256; rounds++) {
			n = 0;
			next = after;
			if (mapistore_sync_messages(r->mem_ctx, r->o->s->mstore, r->o->fid, fai,
						    NULL, 0, after, 4096,
						    &changes, &n, &next, &more) !=
			    MAPISTORE_SUCCESS) {
				break;
			}
			for (i = 0; i < n; i++) {
				size += changes[i].message_size;
			}
			TALLOC_FREE(changes);
			after = next;
		}
	}
	return size;
}

/* the size of a message: the tracked one, else the sum of its values */
static uint64_t emsmdb_c_message_size_of(struct emsmdb_computed_run *r)
{
	struct mapistore_change *c = emsmdb_c_change(r, false);
	struct mapistore_property *props = NULL;
	uint32_t *tags = NULL, n = 0, i;
	uint64_t size = 0;

	if (c != NULL && c->message_size > 0) {
		return c->message_size;
	}
	if (r->o->mm == NULL ||
	    mapistore_properties_list(r->mem_ctx, mapistore_message_object(r->o->mm), &tags,
				      &n) != MAPISTORE_SUCCESS || n > MAPISTORE_MAX_PROPERTIES) {
		return 0;
	}
	if (mapistore_properties_get(r->mem_ctx, mapistore_message_object(r->o->mm), tags, n,
				     &props) == MAPISTORE_SUCCESS) {
		for (i = 0; i < n; i++) {
			if (!mapistore_property_is_error(&props[i]) &&
			    OXCDATA_PROP_ID(props[i].proptag) != OXCDATA_PROP_ID(PidTagMessageSize)) {
				size += mapistore_property_size(&props[i]);
			}
		}
	}
	talloc_free(props);
	talloc_free(tags);
	return size;
}

/* PidTagMessageSize(Extended) of a message or a folder ([MS-OXCMSG]
 * 2.2.1.7, [MS-OXCFOLD] 2.2.2.2.2.x) */
static uint32_t emsmdb_c_message_size(struct emsmdb_computed_run *r, uint32_t tag,
				      struct mapistore_property *p)
{
	uint64_t size;

	if (r->o->kind == EMSMDB_COMPUTED_FOLDER) {
		size = r->o->s->mstore != NULL ? emsmdb_c_folder_size(r) : 0;
	} else {
		size = emsmdb_c_message_size_of(r);
	}
	if (tag == PidTagMessageSizeExtended) {
		p->value.i64 = (int64_t)size;
	} else {
		p->value.i32 = size > INT32_MAX ? INT32_MAX : (int32_t)size;
	}
	return ecSuccess;
}

/* [MS-OXCMSG] 2.2.1.2: follows mfHasAttach when the backend has no value */
static uint32_t emsmdb_c_has_attachments(struct emsmdb_computed_run *r, uint32_t tag,
					 struct mapistore_property *p)
{
	static const uint32_t flags_tag = PidTagMessageFlags;
	struct mapistore_property *flags = NULL;

	(void)tag;
	if (r->o->mm == NULL ||
	    mapistore_properties_get(r->mem_ctx, mapistore_message_object(r->o->mm),
				     &flags_tag, 1, &flags) != MAPISTORE_SUCCESS) {
		return ecNotFound;
	}
	p->value.b = !mapistore_property_is_error(&flags[0]) &&
		     (flags[0].value.i32 & emsmdb_mfHasAttach) != 0;
	talloc_free(flags);
	return ecSuccess;
}

/* ---- the store ---- */

static uint32_t emsmdb_c_object_type(struct emsmdb_computed_run *r, uint32_t tag,
				     struct mapistore_property *p)
{
	(void)tag;
	switch (r->o->kind) {
	case EMSMDB_COMPUTED_LOGON:
		p->value.i32 = emsmdb_MAPI_STORE;
		break;
	case EMSMDB_COMPUTED_FOLDER:
		p->value.i32 = emsmdb_MAPI_FOLDER;
		break;
	case EMSMDB_COMPUTED_ATTACHMENT:
		p->value.i32 = emsmdb_MAPI_ATTACH;
		break;
	default:
		p->value.i32 = emsmdb_MAPI_MESSAGE;
		break;
	}
	return ecSuccess;
}

static uint32_t emsmdb_c_store_support_mask(struct emsmdb_computed_run *r, uint32_t tag,
					    struct mapistore_property *p)
{
	(void)tag;
	p->value.i32 = emsmdb_STORE_SUPPORT_MASK |
		(r->o->logon->is_private ? 0 : emsmdb_STORE_PUBLIC_FOLDERS);
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.2.1: no search folders keep state yet */
static uint32_t emsmdb_c_store_state(struct emsmdb_computed_run *r, uint32_t tag,
				     struct mapistore_property *p)
{
	(void)r;
	(void)tag;
	p->value.i32 = 0;
	return ecSuccess;
}

static uint32_t emsmdb_c_owner_entryid(struct emsmdb_computed_run *r, uint32_t tag,
				       struct mapistore_property *p)
{
	(void)tag;
	if (!r->o->logon->is_private || r->o->s->user_dn == NULL) {
		return ecNotFound;
	}
	return emsmdb_ab_entryid(r->mem_ctx, r->o->s->user_dn, &p->value.bin);
}

/* ---- the table ---- */

static const struct emsmdb_computed_row {
	uint32_t tag;
	unsigned kinds;		/* EMSMDB_COMPUTED_* bits */
	unsigned flags;		/* STORED_FIRST, TRACKED */
	emsmdb_computed_fn fn;
} emsmdb_computed_table[] = {
	/* [MS-OXCFOLD] 2.2.2.2 folder properties */
	{ PidTagFolderId, C_F | C_M, 0, emsmdb_c_folder_id },
	{ PidTagParentFolderId, C_F, 0, emsmdb_c_parent_folder_id },
	{ PidTagFolderType, C_F, STORED_FIRST, emsmdb_c_folder_type },
	{ PidTagSubfolders, C_F, 0, emsmdb_c_child_count },
	{ PidTagFolderChildCount, C_F, 0, emsmdb_c_child_count },
	{ PidTagContentCount, C_F, 0, emsmdb_c_content_count },
	{ PidTagAssocContentCount, C_F, 0, emsmdb_c_content_count },
	{ PidTagContentUnreadCount, C_F, 0, emsmdb_c_unread_count },
	/* [MS-OXCMSG] 2.2.1 message properties */
	{ PidTagMid, C_M, 0, emsmdb_c_mid },
	{ PidTagHasAttachments, C_M, STORED_FIRST, emsmdb_c_has_attachments },
	/* [MS-OXCDATA] 2.2.4 entry IDs, [MS-OXCPRPT] 2.2.1 keys */
	{ PidTagEntryId, C_L | C_F | C_M, 0, emsmdb_c_entryid },
	{ PidTagParentEntryId, C_F | C_M, 0, emsmdb_c_parent_entryid },
	{ PidTagRecordKey, C_L | C_F | C_M | C_A, 0, emsmdb_c_record_key },
	{ PidTagSearchKey, C_M, STORED_FIRST, emsmdb_c_source_key },
	{ PidTagInstanceKey, C_F | C_M, 0, emsmdb_c_instance_key },
	/* [MS-OXCFXICS] 2.2.1.2 ICS identifiers */
	{ PidTagSourceKey, C_F | C_M, STORED_FIRST | TRACKED, emsmdb_c_source_key },
	{ PidTagParentSourceKey, C_F | C_M, STORED_FIRST | TRACKED, emsmdb_c_parent_source_key },
	{ PidTagChangeKey, C_F | C_M, STORED_FIRST | TRACKED, emsmdb_c_change_key },
	{ PidTagPredecessorChangeList, C_F | C_M, STORED_FIRST | TRACKED, emsmdb_c_pcl },
	{ PidTagChangeNumber, C_F | C_M, 0, emsmdb_c_change_number },
	/* dates and sizes */
	{ PidTagLastModificationTime, C_F | C_M, STORED_FIRST | TRACKED, emsmdb_c_last_modified },
	{ PidTagCreationTime, C_F | C_M, STORED_FIRST, emsmdb_c_creation_time },
	{ PidTagMessageSize, C_F | C_M, STORED_FIRST, emsmdb_c_message_size },
	{ PidTagMessageSizeExtended, C_F | C_M, STORED_FIRST, emsmdb_c_message_size },
	/* [MS-OXCSTOR] 2.2.2 store properties, also on folders and messages */
	{ PidTagObjectType, C_L | C_F | C_M | C_A, 0, emsmdb_c_object_type },
	{ PidTagStoreEntryId, C_L | C_F | C_M | C_A, 0, emsmdb_c_store_entryid },
	{ PidTagStoreRecordKey, C_L | C_F | C_M | C_A, 0, emsmdb_c_store_record_key },
	{ PidTagStoreSupportMask, C_L | C_F | C_M | C_A, 0, emsmdb_c_store_support_mask },
	{ PidTagStoreState, C_L, 0, emsmdb_c_store_state },
	{ PidTagMailboxOwnerEntryId, C_L, 0, emsmdb_c_owner_entryid },
};

#define EMSMDB_COMPUTED_COUNT (sizeof(emsmdb_computed_table) / sizeof(emsmdb_computed_table[0]))

/* the row computing @tag for @kind: the exact tag, or by ID when the
 * client asked for PtypUnspecified ([MS-OXCPRPT] 3.2.5.1) */
static const struct emsmdb_computed_row *emsmdb_computed_find(uint32_t tag, unsigned kind)
{
	size_t i;

	for (i = 0; i < EMSMDB_COMPUTED_COUNT; i++) {
		const struct emsmdb_computed_row *row = &emsmdb_computed_table[i];

		if (!(row->kinds & kind)) {
			continue;
		}
		if (row->tag == tag ||
		    (OXCDATA_PROP_TYPE(tag) == PtypUnspecified &&
		     OXCDATA_PROP_ID(row->tag) == OXCDATA_PROP_ID(tag))) {
			return row;
		}
	}
	return NULL;
}

uint32_t emsmdb_computed_apply(TALLOC_CTX *mem_ctx, const struct emsmdb_computed_obj *o,
			       const uint32_t *tags, uint32_t count,
			       struct mapistore_property *props)
{
	struct emsmdb_computed_run r = { .mem_ctx = mem_ctx, .o = o };
	const struct emsmdb_computed_row *row;
	struct mapistore_property v;
	uint32_t i, ec;
	bool stored;

	if (o->logon == NULL || o->s == NULL) {
		return ecSuccess;
	}
	for (i = 0; i < count; i++) {
		row = emsmdb_computed_find(tags[i], o->kind);
		if (row == NULL) {
			continue;
		}
		stored = !mapistore_property_is_error(&props[i]);
		if (stored && !(o->kind == EMSMDB_COMPUTED_FOLDER && (row->flags & TRACKED)) &&
		    ((row->flags & STORED_FIRST) || (o->row && row->tag != PidTagInstanceKey))) {
			continue;
		}
		memset(&v, 0, sizeof(v));
		v.proptag = row->tag;
		ec = row->fn(&r, row->tag, &v);
		if (ec == ecMAPIOOM) {
			return ec;
		}
		if (ec == ecSuccess) {
			props[i] = v;
		} else if (!stored) {
			/* nothing to compute from: a stored value stays */
			props[i] = mapistore_property_not_found(tags[i]);
		}
	}
	return ecSuccess;
}

bool emsmdb_computed_has(const uint32_t *tags, uint32_t count, enum emsmdb_computed_kind kind)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (emsmdb_computed_find(tags[i], kind) != NULL) {
			return true;
		}
	}
	return false;
}

uint32_t emsmdb_computed_add_tags(TALLOC_CTX *mem_ctx, enum emsmdb_computed_kind kind,
				  uint32_t **tags_r, uint32_t *count_r)
{
	uint32_t *tags = *tags_r, n = *count_r, i, j;
	bool have;

	tags = talloc_realloc(mem_ctx, tags, uint32_t, n + EMSMDB_COMPUTED_COUNT + 1);
	if (tags == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < EMSMDB_COMPUTED_COUNT; i++) {
		if (!(emsmdb_computed_table[i].kinds & kind)) {
			continue;
		}
		have = false;
		for (j = 0; j < n && !have; j++) {
			have = tags[j] == emsmdb_computed_table[i].tag;
		}
		if (!have) {
			tags[n++] = emsmdb_computed_table[i].tag;
		}
	}
	*tags_r = tags;
	*count_r = n;
	return ecSuccess;
}

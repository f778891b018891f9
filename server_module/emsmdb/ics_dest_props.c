/*
 * FastTransfer upload: stream properties as stored properties
 * ([MS-OXCFXICS] 2.2.4.1.1-2.2.4.1.3 propValue, 3.2.5.8.2), recipients,
 * and the writes a frame makes (ics_dest_private.h).
 */
#include "ics_dest_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_acl.h"
#include "emsmdb_log.h"
#include "emsmdb_oxc.h"
#include "mapistore_namedprops.h"

/* Properties the server sets itself on what it stores ([MS-OXCFXICS]
 * 2.2.1.2 identification and change tracking, [MS-OXCMSG] 2.2.1
 * computed properties, [MS-OXCFOLD] 2.2.2.2.1 folder counts): the values
 * of the source's copy are not written (by property ID). */
static const uint16_t ics_dest_server_ids[] = {
	0x674A,	/* PidTagMid */
	0x6748,	/* PidTagFolderId */
	0x6749,	/* PidTagParentFolderId */
	0x65E0,	/* PidTagSourceKey */
	0x65E1,	/* PidTagParentSourceKey */
	0x65E2,	/* PidTagChangeKey */
	0x65E3,	/* PidTagPredecessorChangeList */
	0x67A4,	/* PidTagChangeNumber */
	0x674D,	/* PidTagInstID */
	0x674E,	/* PidTagInstanceNum */
	0x0FFF,	/* PidTagEntryId */
	0x0E09,	/* PidTagParentEntryId */
	0x0FF9,	/* PidTagRecordKey */
	0x0E08,	/* PidTagMessageSize */
	0x67AA,	/* PidTagAssociated: StartFAIMsg says it */
	0x0E1B,	/* PidTagHasAttachments */
	0x0FF4,	/* PidTagAccess */
	0x0FF7,	/* PidTagAccessLevel */
	0x6639,	/* PidTagRights */
	0x3602,	/* PidTagContentCount */
	0x3603,	/* PidTagContentUnreadCount */
	0x360A,	/* PidTagSubfolders */
	0x6638,	/* PidTagFolderChildCount */
	0x0E21,	/* PidTagAttachNumber */
	0x0E20,	/* PidTagAttachSize */
	0x3000,	/* PidTagRowid */
	0x3008,	/* PidTagLastModificationTime: stamped at save */
};

static bool ics_dest_server_owned(uint32_t tag)
{
	size_t i;

	for (i = 0; i < sizeof(ics_dest_server_ids) / sizeof(ics_dest_server_ids[0]); i++) {
		if (ics_dest_server_ids[i] == OXCDATA_PROP_ID(tag)) {
			return true;
		}
	}
	return false;
}

/* [MS-DTYP] 2.3.4.3 text form of the 16 wire bytes of a GUID */
static void ics_dest_guid_text(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4], g[7],
		 g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* the property ID of this mailbox for the name of @a ([MS-OXCPRPT]
 * 3.1.5.x, through mapistore's named-property map; created when new) */
static uint32_t ics_dest_named_id(struct ics_fxdest *d, const struct PropertyName *pn,
				  uint16_t *id_r)
{
	struct mapistore_namedprops *np = mapistore_context_get_namedprops(d->s->mstore);
	struct mapistore_nameid nid = { 0 };
	char guid[37];

	if (np == NULL || pn == NULL) {
		return ecNotSupported;
	}
	ics_dest_guid_text(pn->Guid, guid);
	nid.guid = guid;
	if (pn->Kind == 0x00) {
		nid.kind = MNID_ID;
		nid.lid = pn->LID;
	} else if (pn->Kind == 0x01 && pn->Name != NULL) {
		nid.kind = MNID_STRING;
		nid.name = pn->Name;
	} else {
		return ecInvalidParam;
	}
	return emsmdb_ms_ec(mapistore_namedprops_get_mapped_id(np, &nid, true, id_r));
}

uint32_t ics_dest_prop(TALLOC_CTX *mem_ctx, struct ics_fxdest *d,
		       const struct fxics_atom *a, struct mapistore_property *out,
		       bool *skip_r)
{
	struct TaggedPropertyValue tv;
	uint16_t type = OXCDATA_PROP_TYPE(a->PropertyTag), id = 0;
	uint32_t ec;

	*skip_r = true;
	if (a->kind != FXICS_ATOM_PROPERTY || type == PtypErrorCode ||
	    ics_dest_server_owned(a->PropertyTag)) {
		return ecSuccess;	/* meta-properties of a propList, error values */
	}
	tv.PropertyTag = a->PropertyTag;
	tv.Value = a->Value;
	if (FXICS_IS_CODEPAGE_TYPE(type) || type == PtypString8) {
		/* 2.2.4.1.1.1: the decoder converted the code page to UTF-8 */
		if (a->Value.u.str8.utf8 == NULL) {
			return ecInvalidParam;
		}
		tv.PropertyTag = (a->PropertyTag & 0xFFFF0000u) | PtypString;
		tv.Value.PropertyType = PtypString;
		tv.Value.u.str = a->Value.u.str8.utf8;
	}
	if (OXCDATA_PROP_ID(a->PropertyTag) >= 0x8000) {
		ec = ics_dest_named_id(d, a->Name, &id);
		if (ec != ecSuccess) {
			/* a name the map cannot take: that property is left out */
			emsmdb_log(EMSMDB_LOG_WARNING, "FastTransfer upload: named property "
				   "0x%08x not mapped (0x%08x), skipped", a->PropertyTag, ec);
			return ec == ecMAPIOOM ? ec : ecSuccess;
		}
		tv.PropertyTag = ((uint32_t)id << 16) | (tv.PropertyTag & 0xFFFFu);
	}
	ec = emsmdb_prop_from_wire(mem_ctx, &tv, out);
	if (ec == ecSuccess) {
		*skip_r = false;
	}
	return ec == ecNotSupported ? ecInvalidParam : ec;
}

uint32_t ics_dest_queue(struct ics_fxdest *d, struct ics_dest_frame *fr,
			const struct fxics_atom *a)
{
	struct mapistore_property *n;
	bool skip = true;
	uint32_t ec;

	if (fr->pending_count >= MAPISTORE_MAX_PROPERTIES) {
		return ecTooBig;
	}
	if ((fr->pending_count & 31) == 0) {
		n = talloc_realloc(fr->mem, fr->pending, struct mapistore_property,
				   fr->pending_count + 32);
		if (n == NULL) {
			return ecMAPIOOM;
		}
		fr->pending = n;
	}
	/* values hang off the array: applied properties free with it */
	ec = ics_dest_prop(fr->pending, d, a, &fr->pending[fr->pending_count], &skip);
	if (ec == ecSuccess && !skip) {
		fr->pending_count++;
	}
	return ec;
}

static struct mapistore_object *ics_dest_object(struct ics_dest_frame *fr)
{
	switch (fr->kind) {
	case ICS_DEST_FOLDER:
		return fr->mf != NULL ? mapistore_folder_object(fr->mf) : NULL;
	case ICS_DEST_MESSAGE:
		return mapistore_message_object(fr->mm);
	case ICS_DEST_ATTACHMENT:
		return mapistore_attachment_object(fr->ma);
	default:
		return NULL;
	}
}

/* IDs stored by this stream, grown geometrically; bounded by the objects
 * a stream can store (ICS_MAX_ITEMS messages per list, folders fewer) */
static uint32_t ics_dest_remember(struct ics_fxdest *d, uint64_t id)
{
	uint64_t *n;
	size_t cap = talloc_array_length(d->created);

	if (d->created_count >= 4 * ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	if (d->created_count >= cap) {
		n = talloc_realloc(d, d->created, uint64_t, cap == 0 ? 64 : 2 * cap);
		if (n == NULL) {
			return ecMAPIOOM;
		}
		d->created = n;
	}
	d->created[d->created_count++] = id;
	return ecSuccess;
}

static int ics_dest_cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t ics_dest_event(struct ics_fxdest *d, bool is_message, uint64_t fid, uint64_t mid,
			uint64_t parent_fid)
{
	struct ics_fxdest_event *n;
	uint32_t ec;

	/* what a later FXDelProp of the target must not delete */
	ec = ics_dest_remember(d, is_message ? mid : fid);
	if (ec != ecSuccess) {
		return ec;
	}
	/* one put of at most 64 KiB stores fewer than 2^14 objects */
	if (d->event_count >= 0x4000) {
		return ecSuccess;
	}
	if ((d->event_count & 63) == 0) {
		n = talloc_realloc(d, d->events, struct ics_fxdest_event, d->event_count + 64);
		if (n == NULL) {
			return ecMAPIOOM;
		}
		d->events = n;
	}
	d->events[d->event_count++] = (struct ics_fxdest_event){
		.is_message = is_message, .fid = fid, .mid = mid, .parent_fid = parent_fid };
	return ecSuccess;
}

uint32_t ics_dest_flush(struct ics_fxdest *d, struct ics_dest_frame *fr)
{
	struct mapistore_object *obj;
	enum mapistore_error ret;
	uint32_t ec;

	if (fr->kind == ICS_DEST_FOLDER && fr->mf == NULL) {
		struct ics_dest_frame *parent = &d->stack[d->depth - 2];

		if (mapistore_properties_find(fr->pending, fr->pending_count,
					      PidTagDisplayName) < 0) {
			return ecInvalidParam;	/* a folder needs its name */
		}
		ret = mapistore_folder_create(fr->mem, parent->mf, fr->pending,
					      fr->pending_count, &fr->mf);
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		d->objects++;
		ec = ics_dest_event(d, false, mapistore_folder_get_fid(fr->mf), 0,
				    mapistore_folder_get_fid(parent->mf));
		if (ec != ecSuccess) {
			return ec;
		}
	} else if (fr->pending_count > 0) {
		obj = ics_dest_object(fr);
		if (obj == NULL) {
			return ecError;
		}
		ret = mapistore_properties_set(obj, fr->pending, fr->pending_count);
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
	}
	TALLOC_FREE(fr->pending);
	fr->pending_count = 0;
	return ecSuccess;
}

uint32_t ics_dest_recipient(struct ics_fxdest *d, struct ics_dest_frame *fr,
			    struct mapistore_message *mm)
{
	struct mapistore_recipient r = { .type = 1 /* MAPI_TO */ };
	int k;

	(void)d;
	r.row_id = fr->children;	/* the parent's count, set when pushed */
	k = mapistore_properties_find(fr->pending, fr->pending_count, PidTagRecipientType);
	if (k >= 0) {
		r.type = (uint32_t)fr->pending[k].value.i32;
	}
	r.props = fr->pending;
	r.count = fr->pending_count;
	return emsmdb_ms_ec(mapistore_message_modify_recipients(mm, &r, 1));
}

uint32_t ics_dest_clear(TALLOC_CTX *mem_ctx, struct mapistore_message *mm,
			uint32_t subobject)
{
	static const uint32_t cols[] = { PidTagAttachNumber };
	struct mapistore_recipient *recips = NULL, *gone;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i;

	if (subobject == FXICS_PidTagMessageRecipients) {
		ret = mapistore_message_get_recipients(mem_ctx, mm, &recips, &n);
		if (ret != MAPISTORE_SUCCESS || n == 0) {
			return emsmdb_ms_ec(ret);
		}
		gone = talloc_zero_array(mem_ctx, struct mapistore_recipient, n);
		if (gone == NULL) {
			return ecMAPIOOM;
		}
		for (i = 0; i < n; i++) {
			gone[i].row_id = recips[i].row_id;	/* no properties: removed */
			gone[i].type = recips[i].type;
		}
		return emsmdb_ms_ec(mapistore_message_modify_recipients(mm, gone, n));
	}
	ret = mapistore_message_open_attachment_table(mem_ctx, mm, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, cols, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		if (rows[i].count > 0 && !mapistore_property_is_error(&rows[i].props[0])) {
			ret = mapistore_message_delete_attachment(mm,
				(uint32_t)rows[i].props[0].value.i32);
		}
	}
	return emsmdb_ms_ec(ret);
}

/* the IDs of @mf's table @type (messages, FAI messages or subfolders) that
 * this stream did not store, on @mem_ctx */
static uint32_t ics_dest_list(TALLOC_CTX *mem_ctx, struct ics_fxdest *d,
			      struct mapistore_folder *mf, enum mapistore_table_type type,
			      uint64_t **ids_r, uint32_t *count_r)
{
	uint32_t col = type == MAPISTORE_FOLDER_TABLE ? PidTagDisplayName : PidTagSubject;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint64_t *created = NULL;
	uint32_t n = 0, i, k = 0;

	*ids_r = NULL;
	*count_r = 0;
	if (d->created_count > 0) {
		/* sorted copy: O((n + c) log c) however big the stream was */
		created = talloc_memdup(mem_ctx, d->created, d->created_count * sizeof(uint64_t));
		if (created == NULL) {
			return ecMAPIOOM;
		}
		qsort(created, d->created_count, sizeof(uint64_t), ics_dest_cmp_id);
	}
	ret = mapistore_folder_open_table(mem_ctx, mf, type, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, &col, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	*ids_r = talloc_array(mem_ctx, uint64_t, n + 1);
	if (*ids_r == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].fmid != 0 &&
		    (created == NULL || bsearch(&rows[i].fmid, created, d->created_count,
						sizeof(uint64_t), ics_dest_cmp_id) == NULL)) {
			(*ids_r)[k++] = rows[i].fmid;
		}
	}
	*count_r = k;
	return ecSuccess;
}

/* MetaTagFXDelProp PidTagContainerHierarchy: every subfolder, after the
 * rights on all of them were checked */
static uint32_t ics_dest_delete_folders(TALLOC_CTX *mem_ctx, struct ics_fxdest *d,
					struct mapistore_folder *mf, const uint64_t *fids,
					uint32_t n)
{
	struct mapistore_folder *sub = NULL;
	uint64_t parent = mapistore_folder_get_fid(mf);
	enum mapistore_error ret;
	uint32_t i, ec;

	for (i = 0; i < n; i++) {
		struct openchangedb_folder *rec = NULL;
		bool special;

		/* as RopDeleteFolder: special folders stay ([MS-OXOSFLD]
		 * 3.1.4.1), the others need frightsOwner ([MS-OXCPERM]) */
		special = openchangedb_folder_get(mem_ctx, d->s->ocdb, fids[i], &rec) ==
			MAPISTORE_SUCCESS && rec->system_idx != 0;
		TALLOC_FREE(rec);
		ec = special ? ecAccessDenied : emsmdb_acl_check_fid(d->call, fids[i], frightsOwner);
		if (ec != ecSuccess) {
			return ecAccessDenied;
		}
	}
	for (i = 0; i < n; i++) {
		ret = mapistore_folder_open_child(mem_ctx, mf, fids[i], &sub);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_folder_delete(sub, DEL_MESSAGES | DEL_FOLDERS);
		}
		TALLOC_FREE(sub);
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		emsmdb_acl_forget(d->call, fids[i]);
		emsmdb_raise(d->call, fnevObjectDeleted, false, fids[i], 0, parent);
	}
	return ecSuccess;
}

uint32_t ics_dest_delete_children(struct ics_fxdest *d, struct ics_dest_frame *fr,
				  uint32_t subobject)
{
	static const struct {
		uint32_t subobject;
		enum mapistore_table_type type;
	} kinds[] = {
		{ FXICS_PidTagContainerContents, MAPISTORE_MESSAGE_TABLE },
		{ FXICS_PidTagFolderAssociatedContents, MAPISTORE_FAI_TABLE },
		{ FXICS_PidTagContainerHierarchy, MAPISTORE_FOLDER_TABLE },
	};
	TALLOC_CTX *tmp;
	uint64_t *ids = NULL;
	uint64_t fid;
	uint32_t n = 0, i, ec;
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (kinds[k].subobject == subobject) {
			break;
		}
	}
	if (k == sizeof(kinds) / sizeof(kinds[0]) || fr->mf == NULL) {
		return ecInvalidParam;
	}
	tmp = talloc_new(fr->mem);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	fid = mapistore_folder_get_fid(fr->mf);
	ec = ics_dest_list(tmp, d, fr->mf, kinds[k].type, &ids, &n);
	if (ec != ecSuccess || n == 0) {
		goto done;	/* an empty set: nothing to delete, no right needed */
	}
	if (d->call == NULL) {
		ec = ecAccessDenied;	/* no caller whose rights could be checked */
		goto done;
	}
	if (kinds[k].type == MAPISTORE_FOLDER_TABLE) {
		ec = ics_dest_delete_folders(tmp, d, fr->mf, ids, n);
		goto done;
	}
	/* [MS-OXCPERM]: every message of the folder, as RopEmptyFolder */
	ec = emsmdb_acl_check_fid(d->call, fid, frightsDeleteAny);
	if (ec != ecSuccess) {
		ec = ecAccessDenied;
		goto done;
	}
	ec = emsmdb_ms_ec(mapistore_folder_delete_messages(fr->mf, ids, n, false));
	for (i = 0; ec == ecSuccess && i < n; i++) {
		emsmdb_raise(d->call, fnevObjectDeleted, true, fid, ids[i], 0);
	}
done:
	if (ec != ecSuccess) {
		emsmdb_log(EMSMDB_LOG_WARNING, "FastTransfer upload: MetaTagFXDelProp 0x%08x "
			   "on folder 0x%016llx refused: 0x%08x", subobject,
			   (unsigned long long)fid, ec);
	}
	talloc_free(tmp);
	return ec;
}

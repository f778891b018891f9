/*
 * FastTransfer download contexts of the copy ROPs ([MS-OXCFXICS]
 * 2.2.3.1.1.1-2.2.3.1.1.4, 3.2.5.8.1): RopFastTransferSourceCopyTo,
 * CopyProperties (messageContent / folderContent), CopyMessages
 * (messageList) and CopyFolder (topFolder) of 2.2.4.3.
 *
 * The configure ROP lists what the stream holds as a plan of small tasks
 * (a marker, a folder's propList, one message...): IDs only. Each
 * GetBuffer then runs as many tasks as its buffer needs, so only the
 * message being encoded is in memory.
 *
 * Move (CopyFlags 0x01: the copy is part of a move, the client deletes
 * the source afterwards): 3.2.5.8.1.1-3.2.5.8.1.4, "the server SHOULD NOT
 * output any objects in a FastTransfer stream that the client does not
 * have permissions to delete". With Move, the plan keeps only messages
 * the user may delete ([MS-OXCPERM] as RopDeleteMessages: frightsDeleteAny,
 * or frightsDeleteOwned for his own) and subfolders he may delete (as
 * RopDeleteFolder: frightsOwner; special folders never); the input
 * folder's own properties stay (the element is required). An input object
 * that cannot be deleted itself answers ecAccessDenied (CopyFolder's
 * folder, CopyTo / CopyProperties' message); Move on an attachment
 * answers ecInvalidParam (2.2.3.1.1.1.1: folder or message only).
 */
#include "ics.h"
#include "emsmdb_acl.h"

#include <string.h>

#include "emsmdb_log.h"

/* CopyFlags, 2.2.3.1.1.1.1 / 2.2.3.1.1.3.1 / 2.2.3.1.1.4.1 */
#define CopyFlags_Move 0x01
#define CopyFolder_CopySubfolders 0x10

enum ics_task_kind {
	ICS_TASK_MARKER,		/* value: a marker */
	ICS_TASK_DELPROP,		/* value: MetaTagFXDelProp's property */
	ICS_TASK_FOLDER_PROPS,		/* fid; top: the request's tags apply */
	ICS_TASK_MESSAGE,		/* message = Start... messageContent EndMessage */
	ICS_TASK_MESSAGE_CONTENT,	/* messageContent of the input message */
};

struct ics_task {
	uint8_t kind;
	bool fai;
	bool top;
	uint32_t value;
	uint64_t fid;
	uint64_t mid;
};

struct ics_copy {
	struct emsmdb_session *s;
	struct emsmdb_object *logon;
	struct ics_encode_opts top;	/* the request's property tags */
	struct ics_encode_opts all;	/* nested objects: everything */
	unsigned top_how;		/* ICS_READ_* of the input message */
	struct mapistore_message *mm;	/* CopyTo/CopyProperties on a message */
	struct ics_task *tasks;
	uint32_t count, next;
	struct emsmdb_folder *cur;	/* folder of the last message task */
	bool move;			/* CopyFlags Move: filter by delete rights */
	struct emsmdb_rop_call *call;	/* the configuring ROP, while planning only */
};

/* What the user may delete in a folder ([MS-OXCPERM] 2.2.7) */
enum ics_del {
	ICS_DEL_ALL,	/* owner, frightsDeleteAny, or no Move */
	ICS_DEL_OWNED,	/* frightsDeleteOwned: his own messages only */
	ICS_DEL_NONE,
};

static enum ics_del ics_copy_del_rights(struct ics_copy *c, uint64_t fid)
{
	uint32_t rights = 0;

	if (!c->move || emsmdb_acl_is_owner(c->s, c->logon)) {
		return ICS_DEL_ALL;
	}
	if (emsmdb_acl_rights(c->s, c->logon, fid, &rights) != ecSuccess) {
		return ICS_DEL_NONE;
	}
	if (rights & frightsDeleteAny) {
		return ICS_DEL_ALL;
	}
	return (rights & frightsDeleteOwned) ? ICS_DEL_OWNED : ICS_DEL_NONE;
}

/* may message @mid of @f be deleted by the user, given @del? */
static bool ics_copy_may_delete(struct ics_copy *c, struct emsmdb_folder *f, uint64_t mid,
				enum ics_del del)
{
	struct mapistore_message *mm = NULL;
	bool ok;

	if (del != ICS_DEL_OWNED) {
		return del == ICS_DEL_ALL;
	}
	if (f->mf == NULL || c->call == NULL ||
	    mapistore_message_open(c, f->mf, mid, false, &mm) != MAPISTORE_SUCCESS) {
		return false;
	}
	ok = emsmdb_acl_check_message(c->call, f->fid, mm, 0, frightsDeleteOwned) == ecSuccess;
	talloc_free(mm);
	return ok;
}

/* may folder @fid be deleted by the user (RopDeleteFolder's rule)? */
static bool ics_copy_folder_deletable(struct ics_copy *c, uint64_t fid)
{
	struct openchangedb_folder *rec = NULL;
	uint32_t rights = 0;
	bool special;

	if (!c->move) {
		return true;
	}
	/* the special folders stay ([MS-OXOSFLD] 3.1.4.1, as RopDeleteFolder) */
	special = openchangedb_folder_get(c, c->s->ocdb, fid, &rec) == MAPISTORE_SUCCESS &&
		rec->system_idx != 0;
	talloc_free(rec);
	if (special) {
		return false;
	}
	return emsmdb_acl_is_owner(c->s, c->logon) ||
		(emsmdb_acl_rights(c->s, c->logon, fid, &rights) == ecSuccess &&
		 (rights & frightsOwner) != 0);
}

static uint32_t ics_plan(struct ics_copy *c, uint8_t kind, uint32_t value, uint64_t fid,
			 uint64_t mid, bool fai, bool top)
{
	if (c->count >= ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	if (c->tasks == NULL || talloc_array_length(c->tasks) <= c->count) {
		size_t cap = c->tasks == NULL ? 32 : 2 * talloc_array_length(c->tasks);
		struct ics_task *t = talloc_realloc(c, c->tasks, struct ics_task, cap);

		if (t == NULL) {
			return ecMAPIOOM;
		}
		c->tasks = t;
	}
	c->tasks[c->count++] = (struct ics_task){ .kind = kind, .value = value, .fid = fid,
		.mid = mid, .fai = fai, .top = top };
	return ecSuccess;
}

/* the MIDs / FIDs of a backend folder's table of @type */
static uint32_t ics_list(TALLOC_CTX *mem_ctx, struct emsmdb_folder *f,
			 enum mapistore_table_type type, uint64_t **ids_r, uint32_t *count_r)
{
	uint32_t col = type == MAPISTORE_FOLDER_TABLE ? PidTagDisplayName : PidTagSubject;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t n = 0, i, k = 0;

	*ids_r = NULL;
	*count_r = 0;
	if (f->mf == NULL) {
		return ecSuccess;
	}
	ret = mapistore_folder_open_table(mem_ctx, f->mf, type, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, &col, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return emsmdb_ms_ec(ret);
	}
	*ids_r = talloc_array(mem_ctx, uint64_t, n + 1);
	if (*ids_r == NULL) {
		talloc_free(t);
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].fmid != 0) {
			(*ids_r)[k++] = rows[i].fmid;
		}
	}
	*count_r = k;
	talloc_free(t);
	return ecSuccess;
}

static uint32_t ics_plan_messages(struct ics_copy *c, struct emsmdb_folder *f, bool fai)
{
	enum ics_del del = ics_copy_del_rights(c, f->fid);
	uint64_t *mids = NULL;
	uint32_t n = 0, i, ec;

	ec = ics_list(c, f, fai ? MAPISTORE_FAI_TABLE : MAPISTORE_MESSAGE_TABLE, &mids, &n);
	for (i = 0; i < n && ec == ecSuccess; i++) {
		if (ics_copy_may_delete(c, f, mids[i], del)) {
			ec = ics_plan(c, ICS_TASK_MESSAGE, 0, f->fid, mids[i], fai, false);
		}
	}
	talloc_free(mids);
	return ec;
}

/*
 * folderContent (@nodel false) or folderContentNoDelProps (@nodel true)
 * of 2.2.4.3.x: propList, messages, subfolders.
 */
static uint32_t ics_plan_folder(struct ics_copy *c, uint64_t fid, bool top, bool messages,
				bool subfolders, bool nodel, unsigned depth)
{
	struct emsmdb_folder *f = NULL;
	uint64_t *kids = NULL;
	uint32_t n = 0, i, ec;

	if (depth > FXICS_MAX_DEPTH) {
		return ecTooBig;
	}
	ec = emsmdb_folder_open(c->s, c, c->logon, fid, &f);
	if (ec == ecSuccess) {
		ec = ics_plan(c, ICS_TASK_FOLDER_PROPS, 0, fid, 0, false, top);
	}
	if (ec == ecSuccess && messages) {
		if (!nodel) {
			ec = ics_plan(c, ICS_TASK_DELPROP, FXICS_PidTagContainerContents, 0, 0,
				      false, false);
		}
		if (ec == ecSuccess) {
			ec = ics_plan_messages(c, f, false);
		}
		if (ec == ecSuccess && !nodel) {
			ec = ics_plan(c, ICS_TASK_DELPROP, FXICS_PidTagFolderAssociatedContents,
				      0, 0, false, false);
		}
		if (ec == ecSuccess) {
			ec = ics_plan_messages(c, f, true);
		}
	}
	if (ec == ecSuccess && subfolders) {
		if (!nodel) {
			ec = ics_plan(c, ICS_TASK_DELPROP, FXICS_PidTagContainerHierarchy, 0, 0,
				      false, false);
		}
		if (ec == ecSuccess && f->mf != NULL) {
			ec = ics_list(c, f, MAPISTORE_FOLDER_TABLE, &kids, &n);
		} else if (ec == ecSuccess &&
			   openchangedb_folder_get_children(c, c->s->ocdb, fid, &kids, &n) !=
			   MAPISTORE_SUCCESS) {
			n = 0;
		}
		for (i = 0; i < n && ec == ecSuccess; i++) {
			if (!ics_copy_folder_deletable(c, kids[i])) {
				continue;	/* Move: what cannot be deleted is not sent */
			}
			ec = ics_plan(c, ICS_TASK_MARKER, StartSubFld, 0, 0, false, false);
			if (ec == ecSuccess) {
				ec = ics_plan_folder(c, kids[i], false, true, true, nodel, depth + 1);
			}
			if (ec == ecSuccess) {
				ec = ics_plan(c, ICS_TASK_MARKER, EndFolder, 0, 0, false, false);
			}
		}
	}
	talloc_free(kids);
	talloc_free(f);
	return ec;
}

static uint32_t ics_copy_folder_props(struct ics_copy *c, TALLOC_CTX *tmp,
				      const struct ics_task *t, struct fxics_proplist *l)
{
	static const uint32_t ocdb_tags[] = { PidTagDisplayName, PidTagContainerClass,
					      PidTagComment };
	const struct ics_encode_opts *o = t->top ? &c->top : &c->all;
	struct mapistore_property *props = NULL;
	struct emsmdb_folder *f = NULL;
	uint32_t ec, i, n = 0;

	ec = emsmdb_folder_open(c->s, tmp, c->logon, t->fid, &f);
	if (ec != ecSuccess) {
		return ec;
	}
	if (f->mf != NULL) {
		return ics_object_props(tmp, o, mapistore_folder_object(f->mf), t->top, NULL, 0, l);
	}
	ec = emsmdb_folder_get_props(c->s, tmp, c->logon, f, ocdb_tags, 3, &props);
	for (i = 0; i < 3 && ec == ecSuccess; i++) {
		bool listed = false;
		uint32_t k;

		for (k = 0; t->top && k < o->tag_count; k++) {
			listed |= OXCDATA_PROP_ID(o->tags[k]) == OXCDATA_PROP_ID(ocdb_tags[i]);
		}
		if (!t->top || listed == o->only_specified) {
			props[n++] = props[i];
		}
	}
	return ec == ecSuccess ? ics_props_append(tmp, o, props, n, l) : ec;
}

static uint32_t ics_copy_step(struct ics_source *src)
{
	struct ics_copy *c = talloc_get_type_abort(src->priv, struct ics_copy);
	const struct ics_task *t;
	struct fxics_proplist l = { 0 };
	struct mapistore_message *mm = NULL;
	struct fxics_message m;
	TALLOC_CTX *tmp;
	uint32_t ec = ecSuccess;

	if (c->next >= c->count) {
		src->done = true;
		return ecSuccess;
	}
	t = &c->tasks[c->next++];
	src->steps_done = c->next;
	src->done = c->next >= c->count;
	tmp = talloc_new(c);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	switch (t->kind) {
	case ICS_TASK_MARKER:
		ec = fxics_encoder_marker(src->enc, t->value) == ROP_OK ? ecSuccess : ecError;
		break;
	case ICS_TASK_DELPROP:
		ec = fxics_encoder_meta_u32(src->enc, MetaTagFXDelProp, t->value) == ROP_OK ?
			ecSuccess : ecError;
		break;
	case ICS_TASK_FOLDER_PROPS:
		ec = ics_copy_folder_props(c, tmp, t, &l);
		if (ec == ecSuccess && fxics_encoder_proplist(src->enc, &l) != ROP_OK) {
			ec = ecError;
		}
		break;
	case ICS_TASK_MESSAGE:
		if (c->cur == NULL || c->cur->fid != t->fid) {
			TALLOC_FREE(c->cur);
			ec = emsmdb_folder_open(c->s, c, c->logon, t->fid, &c->cur);
		}
		if (ec == ecSuccess && c->cur->mf != NULL &&
		    mapistore_message_open(tmp, c->cur->mf, t->mid, false, &mm) == MAPISTORE_SUCCESS) {
			ec = ics_message_read(tmp, &c->all, mm, t->fai, 0, &m);
			if (ec == ecSuccess && fxics_encoder_message(src->enc, &m) != ROP_OK) {
				ec = ecError;
			}
		}
		/* a message that went away since the plan is left out */
		break;
	case ICS_TASK_MESSAGE_CONTENT:
		ec = ics_message_read(tmp, &c->top, c->mm, false, c->top_how, &m);
		if (ec == ecSuccess && fxics_encoder_message_content(src->enc, &m) != ROP_OK) {
			ec = ecError;
		}
		break;
	default:
		ec = ecError;
		break;
	}
	talloc_free(tmp);
	return ec;
}

/* the output object of a copy ROP: a FastTransfer download context */
static uint32_t ics_copy_new(struct emsmdb_rop_call *call, uint8_t SendOptions,
			     const uint32_t *tags, uint16_t tag_count, bool only_specified,
			     struct ics_copy **c_r)
{
	struct emsmdb_object *obj;
	struct ics_source *src;
	struct ics_copy *c;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FX_DOWNLOAD, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	c = talloc_zero(obj, struct ics_copy);
	src = c != NULL ? ics_source_new(obj, call->session->cpid, ics_copy_step, c) : NULL;
	if (src == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = src;
	talloc_steal(src, c);
	c->s = call->session;
	c->logon = call->logon;
	c->call = call;
	/* SendOptions Unicode / ForceUnicode: PtypString stays Unicode */
	c->all.s = call->session;
	c->all.unicode = (SendOptions & (SendOptions_Unicode | SendOptions_ForceUnicode)) != 0;
	c->top = c->all;
	if (tag_count > 0) {
		c->top.tags = talloc_memdup(c, tags, tag_count * sizeof(uint32_t));
		if (c->top.tags == NULL) {
			return ecMAPIOOM;
		}
	}
	c->top.tag_count = tag_count;
	c->top.only_specified = only_specified;
	c->top.tags_on_fai = true;
	*c_r = c;
	return ecSuccess;
}

/* the end of a configuring ROP: the plan is complete when @ec is ecSuccess */
static uint32_t ics_copy_ready(struct ics_copy *c, struct emsmdb_object *out, uint32_t ec)
{
	struct ics_source *src;

	if (c == NULL) {
		return ec;
	}
	c->call = NULL;	/* only valid during the ROP */
	if (ec != ecSuccess) {
		return ec;
	}
	src = talloc_get_type_abort(out->private_data, struct ics_source);
	src->steps_total = c->count;
	src->done = c->count == 0;
	return ecSuccess;
}

static bool ics_tags_list(const uint32_t *tags, uint16_t count, uint32_t tag)
{
	uint16_t i;

	for (i = 0; i < count; i++) {
		if (OXCDATA_PROP_ID(tags[i]) == OXCDATA_PROP_ID(tag)) {
			return true;
		}
	}
	return false;
}

/* CopyTo (@include false: @tags are excluded) and CopyProperties */
static uint32_t ics_copy_object(struct emsmdb_rop_call *call, uint8_t Level,
				uint32_t CopyFlags, uint8_t SendOptions, const uint32_t *tags,
				uint16_t count, bool include)
{
	struct ics_copy *c = NULL;
	bool messages, subfolders, children;
	bool move = (CopyFlags & CopyFlags_Move) != 0;
	uint32_t ec;

	if (move && call->in->type != EMSMDB_OBJECT_MESSAGE &&
	    call->in->type != EMSMDB_OBJECT_FOLDER) {
		return ecInvalidParam;	/* 2.2.3.1.1.1.1: folder or message only */
	}
	ec = ics_copy_new(call, SendOptions, tags, count, include, &c);
	if (ec != ecSuccess) {
		return ics_copy_ready(c, call->out, ec);
	}
	c->move = move;
	if (call->in->type == EMSMDB_OBJECT_MESSAGE) {
		struct emsmdb_message *m = talloc_get_type(call->in->private_data,
							   struct emsmdb_message);

		if (m == NULL || m->mm == NULL) {
			return ics_copy_ready(c, call->out, ecNotSupported);
		}
		/* Move: the message itself must be deletable ([MS-OXCPERM]) */
		if (move && emsmdb_acl_check_message(call, m->fid, m->mm, frightsDeleteAny,
						     frightsDeleteOwned) != ecSuccess) {
			return ics_copy_ready(c, call->out, ecAccessDenied);
		}
		/* Level 0: subobjects too, unless the tags leave them out */
		children = Level == 0 &&
			(include ? ics_tags_list(tags, count, FXICS_PidTagMessageRecipients) ||
				   ics_tags_list(tags, count, FXICS_PidTagMessageAttachments) : true);
		c->mm = m->mm;
		c->top_how = ICS_READ_FILTER | (children ? 0 : ICS_READ_NO_CHILDREN);
		ec = ics_plan(c, ICS_TASK_MESSAGE_CONTENT, 0, 0, m->mid, false, true);
	} else {
		struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
							  struct emsmdb_folder);

		if (f == NULL) {
			return ics_copy_ready(c, call->out, ecNotSupported);
		}
		messages = Level == 0 &&
			ics_tags_list(tags, count, FXICS_PidTagContainerContents) == include;
		subfolders = Level == 0 &&
			ics_tags_list(tags, count, FXICS_PidTagContainerHierarchy) == include;
		ec = ics_plan_folder(c, f->fid, true, messages, subfolders, false, 0);
	}
	return ics_copy_ready(c, call->out, ec);
}

/* [MS-OXCFXICS] 2.2.3.1.1.1, 3.2.5.8.1.1 RopFastTransferSourceCopyTo */
uint32_t oxcfxics_RopFastTransferSourceCopyTo(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferSourceCopyTo_req *req =
		&call->req->u.RopFastTransferSourceCopyTo;

	return ics_copy_object(call, req->Level, req->CopyFlags, req->SendOptions,
			       req->PropertyTags, req->PropertyTagCount, false);
}

/* [MS-OXCFXICS] 2.2.3.1.1.2, 3.2.5.8.1.2 RopFastTransferSourceCopyProperties */
uint32_t oxcfxics_RopFastTransferSourceCopyProperties(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferSourceCopyProperties_req *req =
		&call->req->u.RopFastTransferSourceCopyProperties;

	return ics_copy_object(call, req->Level, req->CopyFlags, req->SendOptions,
			       req->PropertyTags, req->PropertyTagCount, true);
}

/* [MS-OXCFXICS] 2.2.3.1.1.3, 3.2.5.8.1.3 RopFastTransferSourceCopyMessages */
uint32_t oxcfxics_RopFastTransferSourceCopyMessages(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferSourceCopyMessages_req *req =
		&call->req->u.RopFastTransferSourceCopyMessages;
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data, struct emsmdb_folder);
	struct mapistore_change *row = NULL;
	struct ics_copy *c = NULL;
	enum ics_del del;
	uint32_t ec, i;

	if (f == NULL) {
		return ecNotSupported;
	}
	if (emsmdb_acl_check(call, call->in, frightsReadAny) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	ec = ics_copy_new(call, req->SendOptions, NULL, 0, false, &c);
	if (ec != ecSuccess) {
		return ics_copy_ready(c, call->out, ec);
	}
	c->move = (req->CopyFlags & CopyFlags_Move) != 0;
	del = ics_copy_del_rights(c, f->fid);
	for (i = 0; i < req->MessageIdCount && ec == ecSuccess; i++) {
		bool fai = false;

		if (!ics_copy_may_delete(c, f, req->MessageIds[i], del)) {
			continue;	/* Move: 3.2.5.8.1.3, not sent */
		}
		if (mapistore_changes_get(c, call->session->mstore, req->MessageIds[i], &row) ==
		    MAPISTORE_SUCCESS) {
			fai = row->fai;
			TALLOC_FREE(row);
		}
		ec = ics_plan(c, ICS_TASK_MESSAGE, 0, f->fid, req->MessageIds[i], fai, false);
	}
	return ics_copy_ready(c, call->out, ec);
}

/* [MS-OXCFXICS] 2.2.3.1.1.4, 3.2.5.8.1.4 RopFastTransferSourceCopyFolder:
 * topFolder = StartTopFld folderContentNoDelProps EndFolder */
uint32_t oxcfxics_RopFastTransferSourceCopyFolder(struct emsmdb_rop_call *call)
{
	const struct RopFastTransferSourceCopyFolder_req *req =
		&call->req->u.RopFastTransferSourceCopyFolder;
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data, struct emsmdb_folder);
	struct ics_copy *c = NULL;
	uint32_t ec;

	if (f == NULL) {
		return ecNotSupported;
	}
	if (emsmdb_acl_check(call, call->in, frightsReadAny) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM] */
	}
	ec = ics_copy_new(call, req->SendOptions, NULL, 0, false, &c);
	if (ec != ecSuccess) {
		return ics_copy_ready(c, call->out, ec);
	}
	c->move = (req->CopyFlags & CopyFlags_Move) != 0;
	if (!ics_copy_folder_deletable(c, f->fid)) {
		/* Move of a folder the user may not delete (3.2.5.8.1.4) */
		return ics_copy_ready(c, call->out, ecAccessDenied);
	}
	ec = ics_plan(c, ICS_TASK_MARKER, StartTopFld, 0, 0, false, false);
	if (ec == ecSuccess) {
		ec = ics_plan_folder(c, f->fid, false, true,
				     (req->CopyFlags & CopyFolder_CopySubfolders) != 0, true, 0);
	}
	if (ec == ecSuccess) {
		ec = ics_plan(c, ICS_TASK_MARKER, EndFolder, 0, 0, false, false);
	}
	return ics_copy_ready(c, call->out, ec);
}

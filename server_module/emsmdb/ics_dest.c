/*
 * FastTransfer upload ([MS-OXCFXICS] 3.2.5.8.2): the stream a client puts
 * with RopFastTransferDestinationPutBuffer(Extended), decoded by ndr/fxics
 * in whatever pieces it comes, parsed element by element against the
 * grammar of 2.2.4.2 / 2.2.4.3 and written as it goes:
 *
 *   folderContent  = [MetaTagDnPrefix] propList ( [MetaTagNewFXFolder] /
 *                    folderMessages ) [ MetaTagFXDelProp *subFolder ]
 *   folderMessages = *2( MetaTagFXDelProp messageList )
 *   subFolder      = StartSubFld folderContent EndFolder
 *   topFolder      = [MetaTagDnPrefix] StartTopFld folderContentNoDelProps EndFolder
 *   messageList    = *( [MetaTagDnPrefix] [MetaTagEcWarning] ( message / errorInfo ) )
 *   message        = ( StartMessage / StartFAIMsg ) messageContent EndMessage
 *   messageContent = [MetaTagDnPrefix] propList messageChildren
 *   messageChildren = [MetaTagFXDelProp] *recipient [MetaTagFXDelProp] *attachment
 *   recipient      = StartRecip propList EndToRecip
 *   attachment     = NewAttach PidTagAttachNumber attachmentContent EndAttach
 *   attachmentContent = propList [ StartEmbed messageContent EndEmbed ]
 *
 * A stack holds one frame per open element. A message is a new mapistore
 * message saved at its EndMessage (an embedded one at EndEmbed), so a
 * stream cut or broken inside a message leaves nothing of it visible; a
 * subfolder is created when its propList ends (its name is needed). Any
 * element out of place answers ecInvalidParam and the context stays
 * failed.
 */
#include "ics_dest_private.h"

#include <string.h>

#include "emsmdb_log.h"

static bool ics_is_marker(const struct fxics_atom *a, uint32_t marker)
{
	return a->kind == FXICS_ATOM_MARKER && a->PropertyTag == marker;
}

static bool ics_is_meta(const struct fxics_atom *a, uint32_t tag)
{
	return a->kind == FXICS_ATOM_META && a->PropertyTag == tag;
}

/* a propList member: a property, or a meta-property that is not one of
 * the syntactic ones of 2.2.4.1.5 (ICS state properties: ignored) */
static bool ics_is_prop(const struct fxics_atom *a)
{
	static const uint32_t syntax[] = {
		MetaTagFXDelProp, MetaTagEcWarning, MetaTagNewFXFolder,
		MetaTagIncrSyncGroupId, MetaTagIncrementalSyncMessagePartial, MetaTagDnPrefix,
	};
	size_t i;

	if (a->kind == FXICS_ATOM_PROPERTY) {
		return true;
	}
	if (a->kind != FXICS_ATOM_META) {
		return false;
	}
	for (i = 0; i < sizeof(syntax) / sizeof(syntax[0]); i++) {
		if (a->PropertyTag == syntax[i]) {
			return false;
		}
	}
	return true;
}

static struct ics_dest_frame *ics_dest_top(struct ics_fxdest *d)
{
	return &d->stack[d->depth - 1];
}

static uint32_t ics_dest_push(struct ics_fxdest *d, enum ics_dest_kind kind,
			      enum ics_dest_phase phase, struct ics_dest_frame **fr_r)
{
	struct ics_dest_frame *fr;

	if (d->depth >= ICS_DEST_MAX_FRAMES) {
		return ecTooBig;
	}
	fr = &d->stack[d->depth];
	memset(fr, 0, sizeof(*fr));
	fr->mem = talloc_new(d);
	if (fr->mem == NULL) {
		return ecMAPIOOM;
	}
	fr->kind = kind;
	fr->phase = phase;
	d->depth++;
	*fr_r = fr;
	return ecSuccess;
}

/* drop the top frame; what it created and did not save goes with it */
static void ics_dest_pop(struct ics_fxdest *d)
{
	struct ics_dest_frame *fr = ics_dest_top(d);

	if (fr->kind == ICS_DEST_FOLDER && !fr->root) {
		d->folder_depth--;
	}
	if (fr->kind == ICS_DEST_MESSAGE && fr->embedded) {
		d->embed_depth--;
	}
	talloc_free(fr->mem);
	memset(fr, 0, sizeof(*fr));
	d->depth--;
}

/* a new message in folder frame @parent (StartMessage / StartFAIMsg) */
static uint32_t ics_dest_new_message(struct ics_fxdest *d, struct ics_dest_frame *parent,
				     bool fai)
{
	struct mapistore_folder *mf = parent->mf;
	struct ics_dest_frame *fr;
	uint32_t ec;

	if (++parent->children > ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	ec = ics_dest_push(d, ICS_DEST_MESSAGE, ICS_PH_PROPS, &fr);
	if (ec != ecSuccess) {
		return ec;
	}
	fr->fai = fai;
	return emsmdb_ms_ec(mapistore_message_create(fr->mem, mf, fai, &fr->mm));
}

/* a subfolder of folder frame @parent, created at the end of its propList */
static uint32_t ics_dest_new_folder(struct ics_fxdest *d, struct ics_dest_frame *parent)
{
	struct ics_dest_frame *fr;
	bool nodel = parent->nodel || parent->kind == ICS_DEST_TOP;
	uint64_t pfid = mapistore_folder_get_fid(parent->mf);
	uint32_t ec;

	if (++parent->children > ICS_DEST_MAX_CHILDREN ||
	    d->folder_depth >= ICS_DEST_MAX_FOLDER_DEPTH) {
		return ecTooBig;
	}
	ec = ics_dest_push(d, ICS_DEST_FOLDER, ICS_PH_PROPS, &fr);
	if (ec != ecSuccess) {
		return ec;
	}
	d->folder_depth++;
	fr->nodel = nodel;
	fr->parent_fid = pfid;
	return ecSuccess;
}

static uint32_t ics_dest_folder_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
				     const struct fxics_atom *a)
{
	bool in_props = fr->phase == ICS_PH_PROPS;
	bool in_msgs = fr->phase == ICS_PH_MESSAGES || fr->phase == ICS_PH_ERRINFO;
	uint32_t ec;

	if (ics_is_prop(a)) {
		if (fr->phase == ICS_PH_ERRINFO) {
			return ecSuccess;	/* errorInfo: nothing to write */
		}
		if (!in_props) {
			return ecInvalidParam;
		}
		fr->seen_props = true;
		return ics_dest_queue(d, fr, a);
	}
	if (ics_is_meta(a, MetaTagDnPrefix)) {
		return (in_props && !fr->seen_props && !fr->nodel) || in_msgs ?
			ecSuccess : ecInvalidParam;
	}
	if (ics_is_meta(a, MetaTagEcWarning)) {
		return in_msgs ? ecSuccess : ecInvalidParam;
	}
	/* every other element ends the propList */
	ec = ics_dest_flush(d, fr);
	if (ec != ecSuccess) {
		return ec;
	}
	if (ics_is_meta(a, MetaTagNewFXFolder) && in_props) {
		fr->phase = ICS_PH_NEWFX;
		return ecSuccess;
	}
	if (ics_is_meta(a, MetaTagFXDelProp) && !fr->nodel) {
		if (a->Value.u.l == FXICS_PidTagContainerHierarchy &&
		    (in_props || in_msgs || fr->phase == ICS_PH_NEWFX)) {
			fr->phase = ICS_PH_SUBFOLDERS;
		} else if ((a->Value.u.l == FXICS_PidTagContainerContents ||
			    a->Value.u.l == FXICS_PidTagFolderAssociatedContents) &&
			   (in_props || in_msgs) && fr->message_lists < 2) {
			fr->message_lists++;
			fr->phase = ICS_PH_MESSAGES;
		} else {
			return ecInvalidParam;
		}
		/* 2.2.4.1.5.1: the target's existing subobjects of that kind go
		 * before the stream's are written (a subfolder this stream
		 * creates has none) */
		return fr->root ? ics_dest_delete_children(d, fr, a->Value.u.l) : ecSuccess;
	}
	if ((ics_is_marker(a, StartMessage) || ics_is_marker(a, StartFAIMsg) ||
	     ics_is_marker(a, FXErrorInfo)) && (in_msgs || (fr->nodel && in_props))) {
		fr->phase = ICS_PH_MESSAGES;
		if (ics_is_marker(a, FXErrorInfo)) {
			fr->phase = ICS_PH_ERRINFO;
			return ecSuccess;
		}
		return ics_dest_new_message(d, fr, ics_is_marker(a, StartFAIMsg));
	}
	if (ics_is_marker(a, StartSubFld) &&
	    (fr->phase == ICS_PH_SUBFOLDERS ||
	     (fr->nodel && (in_props || in_msgs || fr->phase == ICS_PH_NEWFX)))) {
		fr->phase = ICS_PH_SUBFOLDERS;
		return ics_dest_new_folder(d, fr);
	}
	if (ics_is_marker(a, EndFolder) && !fr->root) {
		ics_dest_pop(d);
		if (ics_dest_top(d)->kind == ICS_DEST_TOP) {
			ics_dest_top(d)->phase = ICS_PH_DONE;
			d->complete = true;
		}
		return ecSuccess;
	}
	return ecInvalidParam;
}

/* messageList (CopyMessages into the target folder) */
static uint32_t ics_dest_list_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
				   const struct fxics_atom *a)
{
	if (ics_is_prop(a)) {
		return fr->phase == ICS_PH_ERRINFO ? ecSuccess : ecInvalidParam;
	}
	if (ics_is_meta(a, MetaTagDnPrefix) || ics_is_meta(a, MetaTagEcWarning)) {
		return ecSuccess;
	}
	if (ics_is_marker(a, FXErrorInfo)) {
		fr->phase = ICS_PH_ERRINFO;
		return ecSuccess;
	}
	if (ics_is_marker(a, StartMessage) || ics_is_marker(a, StartFAIMsg)) {
		fr->phase = ICS_PH_MESSAGES;
		return ics_dest_new_message(d, fr, ics_is_marker(a, StartFAIMsg));
	}
	return ecInvalidParam;
}

/* topFolder (CopyFolder: a new subfolder of the target) */
static uint32_t ics_dest_top_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
				  const struct fxics_atom *a)
{
	if (fr->phase == ICS_PH_PROPS && ics_is_meta(a, MetaTagDnPrefix) && !fr->seen_props) {
		fr->seen_props = true;
		return ecSuccess;
	}
	if (fr->phase == ICS_PH_PROPS && ics_is_marker(a, StartTopFld)) {
		fr->phase = ICS_PH_SUBFOLDERS;
		return ics_dest_new_folder(d, fr);
	}
	return ecInvalidParam;	/* anything else, or anything after EndFolder */
}

static uint32_t ics_dest_message_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
				      const struct fxics_atom *a)
{
	struct ics_dest_frame *child;
	uint32_t ec;

	if (ics_is_prop(a)) {
		if (fr->phase != ICS_PH_PROPS) {
			return ecInvalidParam;
		}
		fr->seen_props = true;
		return ics_dest_queue(d, fr, a);
	}
	if (ics_is_meta(a, MetaTagDnPrefix)) {
		return fr->phase == ICS_PH_PROPS && !fr->seen_props ? ecSuccess : ecInvalidParam;
	}
	ec = ics_dest_flush(d, fr);
	if (ec != ecSuccess) {
		return ec;
	}
	if (ics_is_meta(a, MetaTagFXDelProp)) {
		/* 2.2.1.7: the target's subobjects of that kind are replaced */
		if (a->Value.u.l == FXICS_PidTagMessageRecipients && fr->phase == ICS_PH_PROPS) {
			fr->phase = ICS_PH_RECIPIENTS;
		} else if (a->Value.u.l == FXICS_PidTagMessageAttachments &&
			   (fr->phase == ICS_PH_PROPS || fr->phase == ICS_PH_RECIPIENTS)) {
			fr->phase = ICS_PH_ATTACHMENTS;
		} else {
			return ecInvalidParam;
		}
		return fr->root ? ics_dest_clear(fr->mem, fr->mm, a->Value.u.l) : ecSuccess;
	}
	if (ics_is_marker(a, StartRecip) &&
	    (fr->phase == ICS_PH_PROPS || fr->phase == ICS_PH_RECIPIENTS)) {
		fr->phase = ICS_PH_RECIPIENTS;
		if (fr->children >= ICS_DEST_MAX_CHILDREN) {
			return ecTooBig;
		}
		ec = ics_dest_push(d, ICS_DEST_RECIPIENT, ICS_PH_PROPS, &child);
		if (ec == ecSuccess) {
			child->children = fr->children++;	/* its row ID */
		}
		return ec;
	}
	if (ics_is_marker(a, NewAttach) && fr->phase != ICS_PH_ATTACHNUM) {
		struct mapistore_message *mm = fr->mm;
		uint32_t aid = 0;

		fr->phase = ICS_PH_ATTACHMENTS;
		if (++fr->children > 2 * ICS_DEST_MAX_CHILDREN) {
			return ecTooBig;
		}
		ec = ics_dest_push(d, ICS_DEST_ATTACHMENT, ICS_PH_ATTACHNUM, &child);
		if (ec != ecSuccess) {
			return ec;
		}
		return emsmdb_ms_ec(mapistore_message_create_attachment(child->mem, mm,
									&child->ma, &aid));
	}
	if ((ics_is_marker(a, EndMessage) && !fr->root && !fr->embedded) ||
	    (ics_is_marker(a, EndEmbed) && fr->embedded)) {
		/* the message is complete: now, and only now, it is stored */
		ec = emsmdb_ms_ec(mapistore_message_save(fr->mm));
		if (ec != ecSuccess) {
			return ec;
		}
		if (!fr->embedded) {
			d->objects++;
			ec = ics_dest_event(d, true, mapistore_folder_get_fid(d->stack[d->depth - 2].mf),
					    mapistore_message_get_mid(fr->mm), 0);
			if (ec != ecSuccess) {
				return ec;
			}
		}
		ics_dest_pop(d);
		if (ics_is_marker(a, EndEmbed)) {
			ics_dest_top(d)->phase = ICS_PH_EMBEDDED;
		}
		return ecSuccess;
	}
	return ecInvalidParam;
}

static uint32_t ics_dest_recipient_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
					const struct fxics_atom *a)
{
	uint32_t ec;

	if (ics_is_prop(a)) {
		return ics_dest_queue(d, fr, a);
	}
	if (!ics_is_marker(a, EndToRecip)) {
		return ecInvalidParam;
	}
	ec = ics_dest_recipient(d, fr, d->stack[d->depth - 2].mm);
	if (ec == ecSuccess) {
		ics_dest_pop(d);
	}
	return ec;
}

static uint32_t ics_dest_attachment_atom(struct ics_fxdest *d, struct ics_dest_frame *fr,
					 const struct fxics_atom *a)
{
	struct ics_dest_frame *child;
	struct mapistore_attachment *ma = fr->ma;
	uint32_t ec;

	if (fr->phase == ICS_PH_ATTACHNUM) {
		/* 2.2.4.3.x: PidTagAttachNumber first; the server numbers its own */
		if (a->kind != FXICS_ATOM_PROPERTY || a->PropertyTag != FXICS_PidTagAttachNumber) {
			return ecInvalidParam;
		}
		fr->phase = ICS_PH_PROPS;
		return ecSuccess;
	}
	if (ics_is_prop(a)) {
		return fr->phase == ICS_PH_PROPS ? ics_dest_queue(d, fr, a) : ecInvalidParam;
	}
	ec = ics_dest_flush(d, fr);
	if (ec != ecSuccess) {
		return ec;
	}
	if (ics_is_marker(a, StartEmbed) && fr->phase == ICS_PH_PROPS) {
		if (d->embed_depth >= ICS_MAX_EMBED_DEPTH) {
			return ecTooBig;
		}
		ec = ics_dest_push(d, ICS_DEST_MESSAGE, ICS_PH_PROPS, &child);
		if (ec != ecSuccess) {
			return ec;
		}
		child->embedded = true;
		d->embed_depth++;
		return emsmdb_ms_ec(mapistore_attachment_open_embedded(child->mem, ma, true,
									&child->mm));
	}
	if (ics_is_marker(a, EndAttach) && !fr->root &&
	    (fr->phase == ICS_PH_PROPS || fr->phase == ICS_PH_EMBEDDED)) {
		ics_dest_pop(d);	/* stored with its message, at EndMessage */
		return ecSuccess;
	}
	return ecInvalidParam;
}

typedef uint32_t (*ics_dest_atom_fn)(struct ics_fxdest *d, struct ics_dest_frame *fr,
				     const struct fxics_atom *a);

static const ics_dest_atom_fn ics_dest_handlers[] = {
	[ICS_DEST_FOLDER] = ics_dest_folder_atom,
	[ICS_DEST_MESSAGE] = ics_dest_message_atom,
	[ICS_DEST_RECIPIENT] = ics_dest_recipient_atom,
	[ICS_DEST_ATTACHMENT] = ics_dest_attachment_atom,
	[ICS_DEST_LIST] = ics_dest_list_atom,
	[ICS_DEST_TOP] = ics_dest_top_atom,
};

uint32_t ics_fxdest_new(TALLOC_CTX *mem_ctx, struct emsmdb_session *s,
			enum fxics_root root, struct mapistore_folder *folder,
			struct mapistore_message *msg, struct mapistore_attachment *att,
			struct ics_fxdest **dest_r)
{
	static const struct {
		enum fxics_root root;
		enum ics_dest_kind kind;
		enum ics_dest_phase phase;
	} roots[] = {
		{ FXICS_ROOT_FOLDER_CONTENT, ICS_DEST_FOLDER, ICS_PH_PROPS },
		{ FXICS_ROOT_MESSAGE_LIST, ICS_DEST_LIST, ICS_PH_MESSAGES },
		{ FXICS_ROOT_TOP_FOLDER, ICS_DEST_TOP, ICS_PH_PROPS },
		{ FXICS_ROOT_MESSAGE_CONTENT, ICS_DEST_MESSAGE, ICS_PH_PROPS },
		{ FXICS_ROOT_ATTACHMENT_CONTENT, ICS_DEST_ATTACHMENT, ICS_PH_PROPS },
	};
	struct ics_dest_frame *fr;
	struct ics_fxdest *d;
	size_t i;
	uint32_t ec;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (roots[i].root == root) {
			break;
		}
	}
	if (i == sizeof(roots) / sizeof(roots[0]) ||
	    ((roots[i].kind == ICS_DEST_MESSAGE) != (msg != NULL)) ||
	    ((roots[i].kind == ICS_DEST_ATTACHMENT) != (att != NULL)) ||
	    ((msg == NULL && att == NULL) != (folder != NULL))) {
		return ecInvalidParam;
	}
	d = talloc_zero(mem_ctx, struct ics_fxdest);
	if (d == NULL) {
		return ecMAPIOOM;
	}
	d->s = s;
	d->root = root;
	d->dec = fxics_decoder_new(d, s->cpid, ICS_DEST_MAX_ATOM);
	ec = d->dec != NULL ? ics_dest_push(d, roots[i].kind, roots[i].phase, &fr) : ecMAPIOOM;
	if (ec != ecSuccess) {
		talloc_free(d);
		return ec;
	}
	fr->root = true;
	fr->mf = folder;
	fr->mm = msg;
	fr->ma = att;
	*dest_r = d;
	return ecSuccess;
}

/* a failed stream: the unsaved objects of its open elements go */
static uint32_t ics_dest_fail(struct ics_fxdest *d, uint32_t ec)
{
	emsmdb_log(EMSMDB_LOG_WARNING, "FastTransfer upload refused at stream offset "
		   "%llu: 0x%08x", (unsigned long long)fxics_decoder_offset(d->dec), ec);
	while (d->depth > 1) {
		ics_dest_pop(d);
	}
	d->error = ec;
	return ec;
}

uint32_t ics_fxdest_put(struct ics_fxdest *d, const uint8_t *data, size_t len,
			size_t *used_r)
{
	uint64_t start = fxics_decoder_offset(d->dec);
	TALLOC_CTX *tmp;
	uint32_t ec = ecSuccess;
	enum rop_err err;

	*used_r = 0;
	d->event_count = 0;
	if (d->error != ecSuccess) {
		return d->error;
	}
	err = fxics_decoder_feed(d->dec, data, len);
	tmp = talloc_new(d);
	while (err == ROP_OK && ec == ecSuccess && tmp != NULL) {
		struct fxics_atom *a = NULL;
		struct ics_dest_frame *fr;

		err = fxics_decoder_next(d->dec, tmp, &a);
		if (err != ROP_OK || a == NULL) {
			break;
		}
		fr = ics_dest_top(d);
		ec = ics_dest_handlers[fr->kind](d, fr, a);
		talloc_free(a);
	}
	talloc_free(tmp);
	if (tmp == NULL) {
		ec = ecMAPIOOM;
	} else if (err != ROP_OK) {
		ec = err == ROP_ERR_TOO_BIG ? ecTooBig :
			err == ROP_ERR_NO_MEMORY ? ecMAPIOOM : ecInvalidParam;
	}
	if (ec == ecSuccess && d->stack[0].kind != ICS_DEST_TOP) {
		/* the target's own properties take effect as they arrive */
		ec = ics_dest_flush(d, &d->stack[0]);
	}
	if (ec != ecSuccess) {
		uint64_t at = fxics_decoder_offset(d->dec);

		*used_r = at > start && at - start < len ? (size_t)(at - start) : 0;
		return ics_dest_fail(d, ec);
	}
	*used_r = len;
	return ecSuccess;
}

bool ics_fxdest_complete(const struct ics_fxdest *d)
{
	return d->complete;
}

uint32_t ics_fxdest_objects(const struct ics_fxdest *d)
{
	return d->objects;
}

uint32_t ics_fxdest_events(const struct ics_fxdest *d, const struct ics_fxdest_event **events_r)
{
	*events_r = d->events;
	return d->event_count;
}

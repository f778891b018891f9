/*
 * [MS-OXCPRPT] Property and Stream Object Protocol: RopCopyProperties,
 * RopCopyTo and RopProgress ([MS-OXCROPS] 2.2.8.11 - 2.2.8.13). The other
 * property ROPs are oxcprpt.c's.
 */
#include "emsmdb_copy.h"
#include "oxcmsg_attach.h"
#include "mapistore_indexing.h"

#include <string.h>

/* [MS-OXCPRPT] 2.2.23 / 3.2.5.20 RopProgress: every ROP that may run
 * asynchronously is answered with its own response here, so no
 * operation is ever in progress for this ROP to report on */
uint32_t oxcprpt_RopProgress(struct emsmdb_rop_call *call)
{
	return ecNotSupported;
}

/* computed by the server or stamped by change tracking: never copied
 * ([MS-OXCPRPT] 3.2.5.8 "only the writable properties") */
static const uint32_t emsmdb_copy_readonly[] = {
	PidTagFolderId, PidTagParentFolderId, PidTagMid, PidTagInstID,
	PidTagInstanceNum, 0x67A40014 /* PidTagChangeNumber */, PidTagSourceKey,
	0x65E10102 /* PidTagParentSourceKey */, 0x65E20102 /* PidTagChangeKey */,
	0x65E30102 /* PidTagPredecessorChangeList */, PidTagEntryId, PidTagParentEntryId,
	PidTagRecordKey, PidTagAccess, PidTagAccessLevel, PidTagRights, PidTagFolderType,
	PidTagContentCount, PidTagContentUnreadCount, PidTagSubfolders,
	PidTagFolderChildCount, PidTagMessageSize, PidTagHasAttachments,
	PidTagAttachNumber, PidTagAttachSize, 0x67AA000B /* PidTagAssociated */,
	0x0E080014 /* PidTagMessageSizeExtended */,
};

/* A copy: where from and to, what goes wrong per property. */
struct emsmdb_copy {
	struct emsmdb_rop_call *call;
	struct emsmdb_object *src, *dst;
	uint8_t CopyFlags;
	struct PropertyProblem *problems;
	uint16_t problem_count;
};

static bool emsmdb_copy_writable(uint32_t tag)
{
	size_t i;

	if (OXCDATA_PROP_TYPE(tag) == PtypObject || OXCDATA_PROP_TYPE(tag) == 0) {
		return false;
	}
	for (i = 0; i < sizeof(emsmdb_copy_readonly) / sizeof(emsmdb_copy_readonly[0]); i++) {
		if (emsmdb_copy_readonly[i] == tag) {
			return false;
		}
	}
	return true;
}

static uint32_t emsmdb_copy_problem(struct emsmdb_copy *c, uint16_t index, uint32_t tag,
				    uint32_t ec)
{
	struct PropertyProblem *p;

	p = talloc_realloc(c->call->mem_ctx, c->problems, struct PropertyProblem,
			   c->problem_count + 1);
	if (p == NULL) {
		return ecMAPIOOM;
	}
	p[c->problem_count].Index = index;
	p[c->problem_count].PropertyTag = tag;
	p[c->problem_count].ErrorCode = ec;
	c->problems = p;
	c->problem_count++;
	return ecSuccess;
}

/* may @obj be written (a message or attachment opened read-only may not) */
static bool emsmdb_copy_can_write(struct emsmdb_object *obj)
{
	struct emsmdb_message *m;
	struct emsmdb_attachment *a;

	switch (obj->type) {
	case EMSMDB_OBJECT_MESSAGE:
		m = talloc_get_type(obj->private_data, struct emsmdb_message);
		return m != NULL && m->read_write;
	case EMSMDB_OBJECT_ATTACHMENT:
		a = talloc_get_type(obj->private_data, struct emsmdb_attachment);
		return a != NULL && a->read_write;
	default:
		return true;
	}
}

/* The checks RopCopyProperties and RopCopyTo share ([MS-OXCPRPT]
 * 3.2.5.7, 3.2.5.8): flags, the destination, same object types. */
static uint32_t emsmdb_copy_begin(struct emsmdb_rop_call *call, uint8_t dest_index,
				  uint8_t CopyFlags, uint32_t *dest_index_r,
				  struct emsmdb_copy *c)
{
	memset(c, 0, sizeof(*c));
	c->call = call;
	c->src = call->in;
	c->CopyFlags = CopyFlags;
	c->dst = emsmdb_rop_object_at(call, dest_index);
	if (c->dst == NULL) {
		*dest_index_r = dest_index;
		return ecDstNullObject;
	}
	if (CopyFlags & ~(CopyFlags_Move | CopyFlags_NoOverwrite)) {
		return ecInvalidParam;
	}
	if (c->dst->type != c->src->type) {
		/* [MS-OXCPRPT] 2.2.10: source and destination of one type */
		return ecNotSupported;
	}
	if (c->src->type == EMSMDB_OBJECT_FOLDER && (CopyFlags & CopyFlags_Move)) {
		/* [MS-OXCPRPT] 3.2.5.7 / 3.2.5.8: no property moves on folders */
		return ecNotSupported;
	}
	if (!emsmdb_copy_can_write(c->dst) ||
	    ((CopyFlags & CopyFlags_Move) && !emsmdb_copy_can_write(c->src))) {
		return ecAccessDenied;
	}
	return ecSuccess;
}

/* write @props (those NoOverwrite keeps) to the destination; with Move
 * delete them from the source */
static uint32_t emsmdb_copy_apply(struct emsmdb_copy *c, struct mapistore_property *props,
				  uint32_t count)
{
	struct emsmdb_session *s = c->call->session;
	struct mapistore_object *dst = emsmdb_object_store(c->dst), *src;
	struct mapistore_property *have = NULL;
	uint32_t *tags, i, k = 0, ec;

	if (count == 0) {
		return ecSuccess;
	}
	tags = talloc_array(c->call->mem_ctx, uint32_t, count);
	if (tags == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		tags[i] = props[i].proptag;
	}
	if (c->CopyFlags & CopyFlags_NoOverwrite) {
		ec = emsmdb_object_get_props(s, c->call->mem_ctx, c->dst, tags, count, &have);
		if (ec != ecSuccess) {
			return ec;
		}
		for (i = 0; i < count; i++) {
			if (mapistore_property_is_error(&have[i])) {
				props[k++] = props[i];
			}
		}
		count = k;
	}
	if (count == 0) {
		return ecSuccess;
	}
	if (dst != NULL) {
		ec = emsmdb_ms_ec(mapistore_properties_set(dst, props, count));
	} else {
		/* a folder of openchangedb */
		struct emsmdb_folder *f = talloc_get_type(c->dst->private_data,
							  struct emsmdb_folder);

		ec = emsmdb_ms_ec(openchangedb_folder_set_properties(s->ocdb, f->fid,
								     props, count));
		/* a folder change for the hierarchy download ([MS-OXCFXICS]
		 * 3.1.5.3; backend folders: mapistore_properties_set()) */
		if (ec == ecSuccess && s->mstore != NULL) {
			ec = emsmdb_ms_ec(mapistore_changes_track_folder(s->mstore, f->fid, 0));
		}
	}
	src = emsmdb_object_store(c->src);
	if (ec == ecSuccess && (c->CopyFlags & CopyFlags_Move) && src != NULL) {
		for (i = 0; i < count; i++) {
			tags[i] = props[i].proptag;
		}
		ec = emsmdb_ms_ec(mapistore_properties_delete(src, tags, count));
	}
	return ec;
}

/* true if backend folder @fid is @ancestor or below it */
static bool emsmdb_copy_is_below(struct emsmdb_session *s, uint64_t fid, uint64_t ancestor)
{
	unsigned depth;

	for (depth = 0; fid != 0 && depth < 256; depth++) {
		uint64_t parent = 0;

		if (fid == ancestor) {
			return true;
		}
		if (mapistore_indexing_get_parent(mapistore_context_get_indexing(s->mstore), fid,
						  &parent, NULL, NULL) != MAPISTORE_SUCCESS) {
			return false;
		}
		fid = parent;
	}
	return false;
}

/* [MS-OXCMSG] 2.2.1.2 / 2.2.1.6: a destination that received attachments
 * says so (PidTagHasAttachments, mfHasAttach), as
 * RopSaveChangesAttachment makes it */
static uint32_t emsmdb_copy_has_attach(struct emsmdb_copy *c)
{
	static const uint32_t tags[2] = { PidTagHasAttachments, PidTagMessageFlags };
	struct mapistore_property *sp = NULL, *dp = NULL;
	struct mapistore_object *dst = emsmdb_object_store(c->dst);
	TALLOC_CTX *mem_ctx = c->call->mem_ctx;
	uint32_t ec;

	ec = emsmdb_object_get_props(c->call->session, mem_ctx, c->src, tags, 1, &sp);
	if (ec != ecSuccess || mapistore_property_is_error(&sp[0]) || !sp[0].value.b) {
		return ec;
	}
	ec = emsmdb_object_get_props(c->call->session, mem_ctx, c->dst, tags, 2, &dp);
	if (ec != ecSuccess) {
		return ec;
	}
	dp[0].proptag = PidTagHasAttachments;
	dp[0].value.b = true;
	if (mapistore_property_is_error(&dp[1])) {
		dp[1].proptag = PidTagMessageFlags;
		dp[1].value.i32 = 0;
	}
	dp[1].value.i32 |= mfHasAttach;
	return emsmdb_ms_ec(mapistore_properties_set(dst, dp, 2));
}

/*
 * The subobjects named by @what (MAPISTORE_COPY_* bits): a message's
 * recipients and attachments, an attachment's embedded message
 * (MAPISTORE_COPY_ATTACHMENTS), a folder's messages, FAI messages and
 * subfolders. Subobjects are copied, never moved.
 */
static uint32_t emsmdb_copy_subobjects(struct emsmdb_copy *c, uint32_t what)
{
	struct emsmdb_session *s = c->call->session;
	struct emsmdb_folder *fs, *fd;
	struct emsmdb_attachment *as, *ad;
	struct emsmdb_message *ms, *md;
	uint32_t skipped = 0, ec;

	if (what == 0) {
		return ecSuccess;
	}
	switch (c->src->type) {
	case EMSMDB_OBJECT_MESSAGE:
		ms = talloc_get_type(c->src->private_data, struct emsmdb_message);
		md = talloc_get_type(c->dst->private_data, struct emsmdb_message);
		ec = emsmdb_ms_ec(mapistore_message_copy_subobjects(ms->mm, md->mm,
			what & (MAPISTORE_COPY_RECIPIENTS | MAPISTORE_COPY_ATTACHMENTS)));
		if (ec == ecSuccess && (what & MAPISTORE_COPY_ATTACHMENTS)) {
			ec = emsmdb_copy_has_attach(c);
		}
		return ec;
	case EMSMDB_OBJECT_ATTACHMENT:
		as = talloc_get_type(c->src->private_data, struct emsmdb_attachment);
		ad = talloc_get_type(c->dst->private_data, struct emsmdb_attachment);
		if (!(what & MAPISTORE_COPY_ATTACHMENTS)) {
			return ecSuccess;
		}
		return emsmdb_ms_ec(mapistore_attachment_copy_embedded(as->ma, ad->ma, 0));
	case EMSMDB_OBJECT_FOLDER:
		fs = talloc_get_type(c->src->private_data, struct emsmdb_folder);
		fd = talloc_get_type(c->dst->private_data, struct emsmdb_folder);
		what &= MAPISTORE_COPY_MESSAGES | MAPISTORE_COPY_FAI | MAPISTORE_COPY_SUBFOLDERS;
		if (what == 0) {
			return ecSuccess;
		}
		if (fs->mf == NULL || fd->mf == NULL) {
			/* system folders of openchangedb hold no messages */
			return ecNotSupported;
		}
		if (fs->fid == fd->fid || ((what & MAPISTORE_COPY_SUBFOLDERS) &&
					   emsmdb_copy_is_below(s, fd->fid, fs->fid))) {
			return ecFolderCycle;
		}
		ec = emsmdb_ms_ec(mapistore_folder_copy_content(fs->mf, fd->mf, what, &skipped));
		if (ec == ecSuccess && skipped > 0) {
			/* a subfolder name the destination already has */
			ec = emsmdb_copy_problem(c, 0, PidTagContainerHierarchy, ecDuplicateName);
		}
		return ec;
	default:
		return ecNotSupported;
	}
}

/* the subobject kind a PtypObject tag names on @type, 0 if none */
static uint32_t emsmdb_copy_subobject_bit(enum emsmdb_object_type type, uint32_t tag)
{
	static const struct {
		enum emsmdb_object_type type;
		uint32_t tag;
		uint32_t bit;
	} map[] = {
		{ EMSMDB_OBJECT_MESSAGE, PidTagMessageRecipients, MAPISTORE_COPY_RECIPIENTS },
		{ EMSMDB_OBJECT_MESSAGE, PidTagMessageAttachments, MAPISTORE_COPY_ATTACHMENTS },
		{ EMSMDB_OBJECT_ATTACHMENT, PidTagAttachDataObject, MAPISTORE_COPY_ATTACHMENTS },
		{ EMSMDB_OBJECT_FOLDER, PidTagContainerContents, MAPISTORE_COPY_MESSAGES },
		{ EMSMDB_OBJECT_FOLDER, PidTagFolderAssociatedContents, MAPISTORE_COPY_FAI },
		{ EMSMDB_OBJECT_FOLDER, PidTagContainerHierarchy, MAPISTORE_COPY_SUBFOLDERS },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].type == type && map[i].tag == tag) {
			return map[i].bit;
		}
	}
	return 0;
}

/* [MS-OXCPRPT] 2.2.10 RopCopyProperties, 3.2.5.7 */
uint32_t oxcprpt_RopCopyProperties(struct emsmdb_rop_call *call)
{
	const struct RopCopyProperties_req *req = &call->req->u.RopCopyProperties;
	struct RopCopyProperties_resp *resp = &call->resp->u.RopCopyProperties;
	struct mapistore_property *props = NULL, *keep;
	struct emsmdb_copy c;
	uint32_t *tags, *where, n = 0, k = 0, i, what = 0, bit, ec;

	ec = emsmdb_copy_begin(call, req->DestHandleIndex, req->CopyFlags,
			       &resp->DestHandleIndex, &c);
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->PropertyTagCount > MAPISTORE_MAX_PROPERTIES) {
		return ecInvalidParam;
	}
	tags = talloc_array(call->mem_ctx, uint32_t, req->PropertyTagCount + 1);
	where = talloc_array(call->mem_ctx, uint32_t, req->PropertyTagCount + 1);
	if (tags == NULL || where == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < req->PropertyTagCount && ec == ecSuccess; i++) {
		bit = emsmdb_copy_subobject_bit(c.src->type, req->PropertyTags[i]);
		if (bit != 0) {
			what |= bit;
		} else if (!emsmdb_copy_writable(req->PropertyTags[i])) {
			ec = emsmdb_copy_problem(&c, i, req->PropertyTags[i], ecAccessDenied);
		} else {
			where[n] = i;
			tags[n++] = req->PropertyTags[i];
		}
	}
	if (ec == ecSuccess && n > 0) {
		ec = emsmdb_object_get_props(call->session, call->mem_ctx, c.src, tags, n, &props);
	}
	keep = talloc_zero_array(call->mem_ctx, struct mapistore_property, n + 1);
	if (ec == ecSuccess && keep == NULL) {
		ec = ecMAPIOOM;
	}
	for (i = 0; i < n && ec == ecSuccess; i++) {
		if (mapistore_property_is_error(&props[i])) {
			ec = emsmdb_copy_problem(&c, where[i], tags[i], ecNotFound);
		} else {
			keep[k++] = props[i];
		}
	}
	if (ec == ecSuccess) {
		ec = emsmdb_copy_apply(&c, keep, k);
	}
	if (ec == ecSuccess) {
		ec = emsmdb_copy_subobjects(&c, what);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	resp->PropertyProblemCount = c.problem_count;
	resp->PropertyProblems = c.problems;
	return ecSuccess;
}

static bool emsmdb_copy_excluded(const struct RopCopyTo_req *req, uint32_t tag)
{
	uint16_t i;

	for (i = 0; i < req->ExcludedTagCount; i++) {
		if (req->ExcludedTags[i] == tag) {
			return true;
		}
	}
	return false;
}

/* [MS-OXCPRPT] 2.2.11 RopCopyTo, 3.2.5.8 */
uint32_t oxcprpt_RopCopyTo(struct emsmdb_rop_call *call)
{
	static const uint32_t subobject_tags[] = {
		PidTagMessageRecipients, PidTagMessageAttachments, PidTagAttachDataObject,
		PidTagContainerContents, PidTagFolderAssociatedContents,
		PidTagContainerHierarchy,
	};
	const struct RopCopyTo_req *req = &call->req->u.RopCopyTo;
	struct RopCopyTo_resp *resp = &call->resp->u.RopCopyTo;
	struct mapistore_object *src;
	struct mapistore_property *props = NULL;
	struct emsmdb_copy c;
	uint32_t *tags = NULL, n = 0, k = 0, i, what = 0, ec;

	ec = emsmdb_copy_begin(call, req->DestHandleIndex, req->CopyFlags,
			       &resp->DestHandleIndex, &c);
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->ExcludedTagCount > MAPISTORE_MAX_PROPERTIES) {
		return ecInvalidParam;
	}
	src = emsmdb_object_store(c.src);
	if (src == NULL) {
		/* a folder of openchangedb: its properties cannot be listed */
		return ecNotSupported;
	}
	ec = emsmdb_ms_ec(mapistore_properties_list(call->mem_ctx, src, &tags, &n));
	for (i = 0; i < n && ec == ecSuccess; i++) {
		/* a folder's name stays: it is unique among its siblings
		 * ([MS-OXCFOLD] 3.2.5.2); RopMoveFolder / RopCopyFolder rename */
		if (c.src->type == EMSMDB_OBJECT_FOLDER && tags[i] == PidTagDisplayName) {
			continue;
		}
		if (emsmdb_copy_writable(tags[i]) && !emsmdb_copy_excluded(req, tags[i])) {
			tags[k++] = tags[i];
		}
	}
	if (ec == ecSuccess && k > 0) {
		ec = emsmdb_object_get_props(call->session, call->mem_ctx, c.src, tags, k, &props);
	}
	for (i = 0, n = 0; i < k && ec == ecSuccess; i++) {
		if (!mapistore_property_is_error(&props[i])) {
			props[n++] = props[i];
		}
	}
	if (ec == ecSuccess) {
		ec = emsmdb_copy_apply(&c, props, n);
	}
	for (i = 0; req->WantSubObjects && i < sizeof(subobject_tags) / sizeof(subobject_tags[0]);
	     i++) {
		if (!emsmdb_copy_excluded(req, subobject_tags[i])) {
			what |= emsmdb_copy_subobject_bit(c.src->type, subobject_tags[i]);
		}
	}
	if (ec == ecSuccess) {
		ec = emsmdb_copy_subobjects(&c, what);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	resp->PropertyProblemCount = c.problem_count;
	resp->PropertyProblems = c.problems;
	return ecSuccess;
}

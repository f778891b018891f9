/*
 * Validator of the syntactic structure of FastTransfer streams,
 * [MS-OXCFXICS] 2.2.4.2 (elements described in 2.2.4.3):
 *
 *   contentsSync  = [progressTotal] *( [progressPerMessage] messageChange )
 *                   [deletions] [readStateChanges] state IncrSyncEnd
 *   hierarchySync = *folderChange [deletions] state IncrSyncEnd
 *   messageChangeFull    = IncrSyncChg messageChangeHeader IncrSyncMessage
 *                          propList messageChildren
 *   messageChangePartial = groupInfo [MetaTagIncrSyncGroupId] IncrSyncChgPartial
 *                          messageChangeHeader
 *                          *( MetaTagIncrementalSyncMessagePartial propList )
 *                          messageChildren
 *   folderContent = [MetaTagDnPrefix] propList
 *                   ( [MetaTagNewFXFolder] / folderMessages )
 *                   [ MetaTagFXDelProp *subFolder ]
 *   messageChildren = [MetaTagFXDelProp] *recipient [MetaTagFXDelProp] *attachment
 *   ...
 * The grammar is LL(1) on marker / meta-property tokens except for
 * MetaTagFXDelProp inside folderContent, which is told apart by its value
 * (PidTagContainerHierarchy introduces subfolders, 2.2.1.7). A propList
 * holds properties and the ICS state / IDSET meta-properties; the syntactic
 * meta-properties (2.2.4.1.5) end it. groupInfo is accepted as optional.
 */
#include "fxics_private.h"

struct gram {
	const struct fxics_atom *a;
	size_t n;
	size_t i;
	unsigned depth;
};

static bool at_marker(const struct gram *g, uint32_t tag)
{
	return g->i < g->n && g->a[g->i].kind == FXICS_ATOM_MARKER && g->a[g->i].PropertyTag == tag;
}

static bool at_meta(const struct gram *g, uint32_t tag)
{
	return g->i < g->n && g->a[g->i].kind == FXICS_ATOM_META && g->a[g->i].PropertyTag == tag;
}

static bool at_delprop(const struct gram *g, bool hierarchy)
{
	return at_meta(g, MetaTagFXDelProp) &&
	       (g->a[g->i].Value.u.l == FXICS_PidTagContainerHierarchy) == hierarchy;
}

static void prop_list(struct gram *g)
{
	while (g->i < g->n) {
		const struct fxics_atom *x = &g->a[g->i];

		if (x->kind == FXICS_ATOM_MARKER ||
		    (x->kind == FXICS_ATOM_META && fxics_is_syntax_meta(x->PropertyTag))) {
			return;
		}
		g->i++;
	}
}

static enum rop_err expect(struct gram *g, uint32_t marker)
{
	if (!at_marker(g, marker)) {
		return ROP_ERR_FORMAT;
	}
	g->i++;
	return ROP_OK;
}

/* marker propList end-marker */
static enum rop_err bracketed(struct gram *g, uint32_t start, uint32_t end)
{
	enum rop_err err = expect(g, start);

	if (err != ROP_OK) {
		return err;
	}
	prop_list(g);
	return expect(g, end);
}

static enum rop_err message_content(struct gram *g);

/* attachment = NewAttach PidTagAttachNumber attachmentContent EndAttach */
static enum rop_err attachment_content(struct gram *g)
{
	enum rop_err err;

	prop_list(g);
	if (!at_marker(g, StartEmbed)) {
		return ROP_OK;
	}
	if (++g->depth > FXICS_MAX_DEPTH) {
		return ROP_ERR_DEPTH;
	}
	g->i++;
	err = message_content(g);
	if (err == ROP_OK) {
		err = expect(g, EndEmbed);
	}
	g->depth--;
	return err;
}

static enum rop_err attachment(struct gram *g)
{
	enum rop_err err = expect(g, NewAttach);

	if (err != ROP_OK) {
		return err;
	}
	if (g->i >= g->n || g->a[g->i].kind != FXICS_ATOM_PROPERTY ||
	    g->a[g->i].PropertyTag != FXICS_PidTagAttachNumber) {
		return ROP_ERR_FORMAT;
	}
	g->i++;
	err = attachment_content(g);
	return err != ROP_OK ? err : expect(g, EndAttach);
}

static enum rop_err message_children(struct gram *g)
{
	enum rop_err err = ROP_OK;

	if (at_meta(g, MetaTagFXDelProp)) {
		g->i++;
	}
	while (err == ROP_OK && at_marker(g, StartRecip)) {
		err = bracketed(g, StartRecip, EndToRecip);
	}
	if (err == ROP_OK && at_meta(g, MetaTagFXDelProp)) {
		g->i++;
	}
	while (err == ROP_OK && at_marker(g, NewAttach)) {
		err = attachment(g);
	}
	return err;
}

/* messageContent = [MetaTagDnPrefix] propList messageChildren */
static enum rop_err message_content(struct gram *g)
{
	if (at_meta(g, MetaTagDnPrefix)) {
		g->i++;
	}
	prop_list(g);
	return message_children(g);
}

static enum rop_err message(struct gram *g)
{
	enum rop_err err;

	if (!at_marker(g, StartMessage) && !at_marker(g, StartFAIMsg)) {
		return ROP_ERR_FORMAT;
	}
	g->i++;
	err = message_content(g);
	return err != ROP_OK ? err : expect(g, EndMessage);
}

/* messageList = *( [MetaTagDnPrefix] [MetaTagEcWarning] ( message / errorInfo ) ) */
static enum rop_err message_list(struct gram *g)
{
	enum rop_err err = ROP_OK;

	while (err == ROP_OK) {
		size_t start = g->i;

		if (at_meta(g, MetaTagDnPrefix)) {
			g->i++;
		}
		if (at_meta(g, MetaTagEcWarning)) {
			g->i++;
		}
		if (at_marker(g, StartMessage) || at_marker(g, StartFAIMsg)) {
			err = message(g);
		} else if (at_marker(g, FXErrorInfo)) {
			g->i++;
			prop_list(g);   /* errorInfo = FXErrorInfo propList */
		}
		if (g->i == start) {
			break;
		}
	}
	return err;
}

static enum rop_err folder_content(struct gram *g, bool nodel);

static enum rop_err sub_folder(struct gram *g, bool nodel)
{
	enum rop_err err = expect(g, StartSubFld);

	if (err != ROP_OK) {
		return err;
	}
	if (++g->depth > FXICS_MAX_DEPTH) {
		return ROP_ERR_DEPTH;
	}
	err = folder_content(g, nodel);
	g->depth--;
	return err != ROP_OK ? err : expect(g, EndFolder);
}

/* folderContent and folderContentNoDelProps */
static enum rop_err folder_content(struct gram *g, bool nodel)
{
	enum rop_err err = ROP_OK;
	unsigned k;

	if (!nodel && at_meta(g, MetaTagDnPrefix)) {
		g->i++;
	}
	prop_list(g);
	if (at_meta(g, MetaTagNewFXFolder)) {
		g->i++;
	} else if (nodel) {
		err = message_list(g);
	} else {
		/* folderMessages = *2( MetaTagFXDelProp messageList ) */
		for (k = 0; err == ROP_OK && k < 2 && at_delprop(g, false); k++) {
			g->i++;
			err = message_list(g);
		}
	}
	if (err != ROP_OK) {
		return err;
	}
	if (!nodel) {
		if (!at_delprop(g, true)) {
			return ROP_OK;
		}
		g->i++;
	}
	while (err == ROP_OK && at_marker(g, StartSubFld)) {
		err = sub_folder(g, nodel);
	}
	return err;
}

static enum rop_err top_folder(struct gram *g)
{
	enum rop_err err;

	if (at_meta(g, MetaTagDnPrefix)) {
		g->i++;
	}
	err = expect(g, StartTopFld);
	if (err == ROP_OK) {
		err = folder_content(g, true);
	}
	return err != ROP_OK ? err : expect(g, EndFolder);
}

static enum rop_err state(struct gram *g)
{
	return bracketed(g, IncrSyncStateBegin, IncrSyncStateEnd);
}

/* [deletions] [readStateChanges] state IncrSyncEnd (read only for contents) */
static enum rop_err sync_tail(struct gram *g, bool contents)
{
	enum rop_err err;

	if (at_marker(g, IncrSyncDel)) {
		g->i++;
		prop_list(g);
	}
	if (contents && at_marker(g, IncrSyncRead)) {
		g->i++;
		prop_list(g);
	}
	err = state(g);
	return err != ROP_OK ? err : expect(g, IncrSyncEnd);
}

static enum rop_err hierarchy_sync(struct gram *g)
{
	while (at_marker(g, IncrSyncChg)) {
		g->i++;
		prop_list(g);
	}
	return sync_tail(g, false);
}

static enum rop_err message_change_partial(struct gram *g)
{
	enum rop_err err;

	if (at_marker(g, IncrSyncGroupInfo)) {
		g->i++;
		prop_list(g);
	}
	if (at_meta(g, MetaTagIncrSyncGroupId)) {
		g->i++;
	}
	err = expect(g, IncrSyncChgPartial);
	if (err != ROP_OK) {
		return err;
	}
	prop_list(g);
	while (at_meta(g, MetaTagIncrementalSyncMessagePartial)) {
		g->i++;
		prop_list(g);
	}
	return message_children(g);
}

static enum rop_err contents_sync(struct gram *g)
{
	enum rop_err err = ROP_OK;

	if (at_marker(g, IncrSyncProgressMode)) {
		g->i++;
		prop_list(g);
	}
	while (err == ROP_OK) {
		bool per_message = at_marker(g, IncrSyncProgressPerMsg);

		if (per_message) {
			g->i++;
			prop_list(g);
		}
		if (at_marker(g, IncrSyncChg)) {
			g->i++;
			prop_list(g);
			err = expect(g, IncrSyncMessage);
			if (err == ROP_OK) {
				prop_list(g);
				err = message_children(g);
			}
		} else if (at_marker(g, IncrSyncGroupInfo) || at_meta(g, MetaTagIncrSyncGroupId) ||
			   at_marker(g, IncrSyncChgPartial)) {
			err = message_change_partial(g);
		} else if (per_message) {
			return ROP_ERR_FORMAT;
		} else {
			break;
		}
	}
	return err != ROP_OK ? err : sync_tail(g, true);
}

static enum rop_err root_state(struct gram *g) { return state(g); }
static enum rop_err root_folder_content(struct gram *g) { return folder_content(g, false); }
static enum rop_err root_attachment_content(struct gram *g) { return attachment_content(g); }

static const struct {
	enum fxics_root root;
	enum rop_err (*parse)(struct gram *g);
} root_table[] = {
	{ FXICS_ROOT_CONTENTS_SYNC, contents_sync },
	{ FXICS_ROOT_HIERARCHY_SYNC, hierarchy_sync },
	{ FXICS_ROOT_STATE, root_state },
	{ FXICS_ROOT_FOLDER_CONTENT, root_folder_content },
	{ FXICS_ROOT_MESSAGE_CONTENT, message_content },
	{ FXICS_ROOT_ATTACHMENT_CONTENT, root_attachment_content },
	{ FXICS_ROOT_MESSAGE_LIST, message_list },
	{ FXICS_ROOT_TOP_FOLDER, top_folder },
};

enum rop_err fxics_grammar_validate(enum fxics_root root, const struct fxics_atom *atoms,
				    size_t count, size_t *error_index_r)
{
	struct gram g = { .a = atoms, .n = count };
	enum rop_err err = ROP_ERR_INVALID;
	size_t k;

	if (count > 0 && atoms == NULL) {
		return ROP_ERR_INVALID;
	}
	for (k = 0; k < sizeof(root_table) / sizeof(root_table[0]); k++) {
		if (root_table[k].root == root) {
			err = root_table[k].parse(&g);
			break;
		}
	}
	if (err == ROP_OK && g.i != g.n) {
		err = ROP_ERR_FORMAT;
	}
	if (error_index_r != NULL) {
		*error_index_r = err == ROP_OK ? count : g.i;
	}
	return err;
}

/*
 * Encoder side of the syntactic structure of [MS-OXCFXICS] 2.2.4.2:
 * propList, messageContent / messageChildren, message, attachment,
 * embeddedMessage, progressTotal, progressPerMessage, messageChangeFull,
 * messageChangePartial, folderChange, deletions, readStateChanges, state.
 * Each helper appends whole elements; on failure the stream may hold a
 * prefix of the structure (the caller abandons the encoder).
 */
#include <string.h>

#include "fxics_private.h"

enum rop_err fxics_encoder_proplist(struct fxics_encoder *enc, const struct fxics_proplist *l)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (l == NULL) {
		return ROP_OK;
	}
	if (l->Count > 0 && l->Atoms == NULL) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; err == ROP_OK && i < l->Count; i++) {
		if (l->Atoms[i].kind == FXICS_ATOM_MARKER) {
			return ROP_ERR_INVALID;
		}
		err = fxics_encoder_atom(enc, &l->Atoms[i]);
	}
	return err;
}

static enum rop_err marker_list(struct fxics_encoder *enc, uint32_t marker,
				const struct fxics_proplist *l)
{
	enum rop_err err = fxics_encoder_marker(enc, marker);

	return err != ROP_OK ? err : fxics_encoder_proplist(enc, l);
}

static enum rop_err message_children(struct fxics_encoder *enc, const struct fxics_message *m,
				     unsigned depth);

/* messageContent = propList messageChildren */
static enum rop_err message_content(struct fxics_encoder *enc, const struct fxics_message *m,
				    unsigned depth)
{
	enum rop_err err;

	if (depth > FXICS_MAX_DEPTH) {
		return ROP_ERR_DEPTH;
	}
	err = fxics_encoder_proplist(enc, &m->Props);
	return err != ROP_OK ? err : message_children(enc, m, depth);
}

/* attachment = NewAttach PidTagAttachNumber attachmentContent EndAttach */
static enum rop_err attachment(struct fxics_encoder *enc, const struct fxics_attachment *a,
			       unsigned depth)
{
	struct PropertyValue num = { .PropertyType = PtypInteger32, .u.l = a->AttachNumber };
	enum rop_err err = fxics_encoder_marker(enc, NewAttach);

	if (err == ROP_OK) {
		err = fxics_encoder_property(enc, FXICS_PidTagAttachNumber, NULL, &num);
	}
	if (err == ROP_OK) {
		err = fxics_encoder_proplist(enc, &a->Props);
	}
	if (err == ROP_OK && a->Embedded != NULL) {
		/* embeddedMessage = StartEmbed messageContent EndEmbed */
		err = fxics_encoder_marker(enc, StartEmbed);
		if (err == ROP_OK) {
			err = message_content(enc, a->Embedded, depth + 1);
		}
		if (err == ROP_OK) {
			err = fxics_encoder_marker(enc, EndEmbed);
		}
	}
	return err != ROP_OK ? err : fxics_encoder_marker(enc, EndAttach);
}

/* messageChildren = [MetaTagFXDelProp] *recipient [MetaTagFXDelProp] *attachment */
static enum rop_err message_children(struct fxics_encoder *enc, const struct fxics_message *m,
				     unsigned depth)
{
	enum rop_err err = ROP_OK;
	uint32_t i;

	if ((m->RecipientCount > 0 && m->Recipients == NULL) ||
	    (m->AttachmentCount > 0 && m->Attachments == NULL)) {
		return ROP_ERR_INVALID;
	}
	if (m->DelPropRecipients) {
		err = fxics_encoder_meta_u32(enc, MetaTagFXDelProp, FXICS_PidTagMessageRecipients);
	}
	for (i = 0; err == ROP_OK && i < m->RecipientCount; i++) {
		err = marker_list(enc, StartRecip, &m->Recipients[i]);
		if (err == ROP_OK) {
			err = fxics_encoder_marker(enc, EndToRecip);
		}
	}
	if (err == ROP_OK && m->DelPropAttachments) {
		err = fxics_encoder_meta_u32(enc, MetaTagFXDelProp, FXICS_PidTagMessageAttachments);
	}
	for (i = 0; err == ROP_OK && i < m->AttachmentCount; i++) {
		err = attachment(enc, &m->Attachments[i], depth);
	}
	return err;
}

enum rop_err fxics_encoder_message_content(struct fxics_encoder *enc,
					  const struct fxics_message *m)
{
	return message_content(enc, m, 0);
}

enum rop_err fxics_encoder_message(struct fxics_encoder *enc, const struct fxics_message *m)
{
	enum rop_err err = fxics_encoder_marker(enc, m->FAI ? StartFAIMsg : StartMessage);

	if (err == ROP_OK) {
		err = message_content(enc, m, 0);
	}
	return err != ROP_OK ? err : fxics_encoder_marker(enc, EndMessage);
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

enum rop_err fxics_encoder_progress_total(struct fxics_encoder *enc,
					  const struct ProgressInformation *p)
{
	uint8_t b[32];
	struct PropertyValue v = { .PropertyType = PtypBinary, .u.bin = { 32, b } };
	enum rop_err err;

	/* [MS-OXCFXICS] 2.2.2.1 ProgressInformation */
	put_le(b, p->Version, 2);
	put_le(b + 2, p->Padding1, 2);
	put_le(b + 4, p->FAIMessageCount, 4);
	put_le(b + 8, p->FAIMessageTotalSize, 8);
	put_le(b + 16, p->NormalMessageCount, 4);
	put_le(b + 20, p->Padding2, 4);
	put_le(b + 24, p->NormalMessageTotalSize, 8);
	err = fxics_encoder_marker(enc, IncrSyncProgressMode);
	return err != ROP_OK ? err :
	       fxics_encoder_property(enc, OXCDATA_PROP_TAG(0, PtypBinary), NULL, &v);
}

enum rop_err fxics_encoder_progress_per_message(struct fxics_encoder *enc,
						uint32_t message_size, bool fai)
{
	struct PropertyValue size = { .PropertyType = PtypInteger32, .u.l = message_size };
	struct PropertyValue b = { .PropertyType = PtypBoolean, .u.b = fai ? 1 : 0 };
	enum rop_err err = fxics_encoder_marker(enc, IncrSyncProgressPerMsg);

	if (err == ROP_OK) {
		err = fxics_encoder_property(enc, OXCDATA_PROP_TAG(0, PtypInteger32), NULL, &size);
	}
	return err != ROP_OK ? err :
	       fxics_encoder_property(enc, OXCDATA_PROP_TAG(0, PtypBoolean), NULL, &b);
}

enum rop_err fxics_encoder_message_change_full(struct fxics_encoder *enc,
					       const struct fxics_proplist *header,
					       const struct fxics_message *m)
{
	enum rop_err err = marker_list(enc, IncrSyncChg, header);

	if (err == ROP_OK) {
		err = marker_list(enc, IncrSyncMessage, &m->Props);
	}
	return err != ROP_OK ? err : message_children(enc, m, 0);
}

enum rop_err fxics_encoder_message_change_partial(struct fxics_encoder *enc,
						  const uint8_t *group_info, uint32_t group_info_len,
						  uint32_t group_id,
						  const struct fxics_proplist *header,
						  uint32_t group_count, const uint32_t *group_index,
						  const struct fxics_proplist *groups,
						  const struct fxics_message *children)
{
	struct PropertyValue gi = { .PropertyType = PtypBinary,
				    .u.bin = { group_info_len, (uint8_t *)group_info } };
	enum rop_err err = ROP_OK;
	uint32_t i;

	if (group_count > 0 && (group_index == NULL || groups == NULL)) {
		return ROP_ERR_INVALID;
	}
	if (group_info != NULL) {
		/* groupInfo = IncrSyncGroupInfo propList(0x00000102 PropertyGroupInfo) */
		err = fxics_encoder_marker(enc, IncrSyncGroupInfo);
		if (err == ROP_OK) {
			err = fxics_encoder_property(enc, OXCDATA_PROP_TAG(0, PtypBinary), NULL, &gi);
		}
	}
	if (err == ROP_OK) {
		err = fxics_encoder_meta_u32(enc, MetaTagIncrSyncGroupId, group_id);
	}
	if (err == ROP_OK) {
		err = marker_list(enc, IncrSyncChgPartial, header);
	}
	for (i = 0; err == ROP_OK && i < group_count; i++) {
		err = fxics_encoder_meta_u32(enc, MetaTagIncrementalSyncMessagePartial, group_index[i]);
		if (err == ROP_OK) {
			err = fxics_encoder_proplist(enc, &groups[i]);
		}
	}
	if (err == ROP_OK && children != NULL) {
		err = message_children(enc, children, 0);
	}
	return err;
}

enum rop_err fxics_encoder_folder_change(struct fxics_encoder *enc, const struct fxics_proplist *l)
{
	return marker_list(enc, IncrSyncChg, l);
}

enum rop_err fxics_encoder_deletions(struct fxics_encoder *enc, const struct fxics_proplist *l)
{
	return marker_list(enc, IncrSyncDel, l);
}

enum rop_err fxics_encoder_read_state_changes(struct fxics_encoder *enc,
					      const struct fxics_proplist *l)
{
	return marker_list(enc, IncrSyncRead, l);
}

enum rop_err fxics_encoder_state(struct fxics_encoder *enc, const struct fxics_proplist *l)
{
	enum rop_err err = marker_list(enc, IncrSyncStateBegin, l);

	return err != ROP_OK ? err : fxics_encoder_marker(enc, IncrSyncStateEnd);
}

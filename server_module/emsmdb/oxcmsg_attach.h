/*
 * [MS-OXCMSG] attachments and embedded messages: the attachment ROPs
 * ([MS-OXCROPS] 2.2.6.12 - 2.2.6.18) and the attachment object's state.
 * Internal to server_module/emsmdb (handlers and the dispatch table).
 *
 * Model: mapistore keeps an attachment inside its message's working copy
 * (doc/mapistore.md), so an attachment, its properties and its embedded
 * message become permanent with the parent message's
 * RopSaveChangesMessage. RopSaveChangesAttachment commits the
 * attachment to that working copy: it computes PidTagAttachSize and
 * updates the message's PidTagHasAttachments and mfHasAttach. A created
 * attachment whose handle is released before RopSaveChangesAttachment is
 * removed from the working copy again ([MS-OXCMSG] 3.2.5.13).
 */
#ifndef OXCMSG_ATTACH_H
#define OXCMSG_ATTACH_H

#include "emsmdb_store.h"

/* [MS-OXPROPS] attachment properties ([MS-OXCMSG] 2.2.2) */
#define PidTagAttachNumber		0x0E210003
#define PidTagAttachSize		0x0E200003
#define PidTagAttachMethod		0x37050003
#define PidTagAttachFilename		0x3704001F
#define PidTagAttachLongFilename	0x3707001F
#define PidTagAttachDataBinary		0x37010102
#define PidTagAttachDataObject		0x3701000D
#define PidTagRenderingPosition		0x370B0003
/* [MS-OXCMSG] 2.2.2.9 PidTagAttachMethod values */
#define afByValue			0x00000001
#define afEmbeddedMessage		0x00000005
/* [MS-OXCMSG] 2.2.1.6 PidTagMessageFlags */
#define mfHasAttach			0x00000010
/* [MS-OXCDATA] 2.4.1 */
#define ecMaxAttachmentExceeded		0x000004DB

/** An attachment object's state (obj->private_data, a child of obj). */
struct emsmdb_attachment {
	/** The message it was opened from (the parent object's state). */
	struct emsmdb_message *msg;
	/** PidTagAttachNumber ([MS-OXCMSG] 2.2.2.6). */
	uint32_t aid;
	/** Writable: opened ReadWrite (or created) from a writable message. */
	bool read_write;
	/** False for a created attachment until RopSaveChangesAttachment. */
	bool committed;
	/** The attachment object (the state's talloc parent). */
	struct emsmdb_object *obj;
	struct mapistore_attachment *ma;
};

/**
 * The mapistore object behind attachment object @obj (for the property
 * ROPs of [MS-OXCPRPT]), NULL if @obj is not an attachment.
 */
struct mapistore_object *emsmdb_attachment_store(struct emsmdb_object *obj);

/**
 * Properties of attachment object @obj for @tags (in order, missing ones
 * as ecNotFound values), PidTagAccessLevel computed; on @mem_ctx.
 * @return 0, ecNotSupported (not an attachment), or the mapped store error.
 */
uint32_t emsmdb_attachment_get_props(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
				     const uint32_t *tags, uint32_t count,
				     struct mapistore_property **props_r);

/* handlers (emsmdb_rop_fn), oxcmsg_attach.c */
uint32_t oxcmsg_RopGetAttachmentTable(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopOpenAttachment(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopCreateAttachment(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopDeleteAttachment(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopSaveChangesAttachment(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopGetValidAttachments(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopOpenEmbeddedMessage(struct emsmdb_rop_call *call);

#endif /* OXCMSG_ATTACH_H */

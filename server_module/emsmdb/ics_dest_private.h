/*
 * Internals of the FastTransfer destination (ics_dest.c, ics_dest_props.c):
 * the stack of objects an uploaded stream is writing into. Never used
 * outside ics_dest*.c; the contract is ics.h's.
 */
#ifndef EMSMDB_ICS_DEST_PRIVATE_H
#define EMSMDB_ICS_DEST_PRIVATE_H

#include "ics.h"

/** What a stack frame is writing. */
enum ics_dest_kind {
	ICS_DEST_FOLDER = 1,	/* folderContent: the target or a subfolder */
	ICS_DEST_MESSAGE,	/* messageContent: new, embedded or the target */
	ICS_DEST_RECIPIENT,	/* recipient: StartRecip propList EndToRecip */
	ICS_DEST_ATTACHMENT,	/* attachment / attachmentContent */
	ICS_DEST_LIST,		/* messageList (CopyMessages) */
	ICS_DEST_TOP,		/* topFolder (CopyFolder) */
};

/** Where in its element a frame is (2.2.4.3 grammar positions). */
enum ics_dest_phase {
	ICS_PH_PROPS = 1,	/* the element's propList */
	ICS_PH_MESSAGES,	/* folderMessages / messageList */
	ICS_PH_ERRINFO,		/* errorInfo's propList (ignored) */
	ICS_PH_NEWFX,		/* after MetaTagNewFXFolder */
	ICS_PH_SUBFOLDERS,	/* *subFolder */
	ICS_PH_RECIPIENTS,	/* *recipient */
	ICS_PH_ATTACHMENTS,	/* *attachment */
	ICS_PH_ATTACHNUM,	/* NewAttach seen, PidTagAttachNumber expected */
	ICS_PH_EMBEDDED,	/* EndEmbed seen, EndAttach expected */
	ICS_PH_DONE,		/* topFolder closed */
};

struct ics_dest_frame {
	enum ics_dest_kind kind;
	enum ics_dest_phase phase;
	bool root;		/* the configured target: neither created nor saved */
	bool nodel;		/* folderContentNoDelProps (below topFolder) */
	bool fai;		/* StartFAIMsg */
	bool embedded;		/* embedded message (EndEmbed closes it) */
	bool seen_props;	/* a property came: MetaTagDnPrefix no longer allowed */
	unsigned message_lists;	/* MetaTagFXDelProp of folderMessages seen (<= 2) */
	uint32_t children;	/* recipients / attachments / subfolders / messages */
	TALLOC_CTX *mem;	/* what the frame allocated; freed when popped */
	struct mapistore_folder *mf;	/* folder (NULL: to be created) */
	uint64_t parent_fid;
	struct mapistore_message *mm;	/* message */
	struct mapistore_attachment *ma;	/* attachment */
	struct mapistore_property *pending;	/* properties not yet applied */
	uint32_t pending_count;
};

/** Frames: folders (32) + a message with 8 levels of embedding, and spare. */
#define ICS_DEST_MAX_FRAMES 64

struct ics_fxdest {
	struct emsmdb_session *s;
	enum fxics_root root;
	struct fxics_decoder *dec;
	struct ics_dest_frame stack[ICS_DEST_MAX_FRAMES];
	unsigned depth;		/* frames in use */
	unsigned folder_depth;	/* created subfolders open */
	unsigned embed_depth;	/* embedded messages open */
	uint32_t error;		/* sticky, ecSuccess while the stream is good */
	bool complete;
	uint32_t objects;
	struct ics_fxdest_event *events;	/* stored by the current put */
	uint32_t event_count;
	struct emsmdb_rop_call *call;	/* the PutBuffer being applied (ics_dest_rop.c);
					 * NULL outside one: then nothing is deleted */
	uint64_t *created;	/* IDs of the messages / folders this stream stored */
	uint32_t created_count;
};

/** Remember a stored object for the notifications of this put. */
uint32_t ics_dest_event(struct ics_fxdest *d, bool is_message, uint64_t fid, uint64_t mid,
			uint64_t parent_fid);

/**
 * Convert the property atom @a to a mapistore property on @mem_ctx:
 * named properties mapped through the mailbox's named-property map
 * (created when new), code page strings as PtypString. *@skip_r is set
 * for properties the server owns (IDs, keys, sizes, computed values) and
 * error values: they are not written.
 */
uint32_t ics_dest_prop(TALLOC_CTX *mem_ctx, struct ics_fxdest *d,
		       const struct fxics_atom *a, struct mapistore_property *out,
		       bool *skip_r);

/** Queue property @a on frame @fr (bounded by MAPISTORE_MAX_PROPERTIES). */
uint32_t ics_dest_queue(struct ics_fxdest *d, struct ics_dest_frame *fr,
			const struct fxics_atom *a);

/**
 * Apply @fr's queued properties: create the folder of a pending subfolder
 * (which needs PidTagDisplayName, else ecInvalidParam), or set them on
 * the frame's folder / message / attachment.
 */
uint32_t ics_dest_flush(struct ics_fxdest *d, struct ics_dest_frame *fr);

/** EndToRecip: add recipient frame @fr's properties to message @mm. */
uint32_t ics_dest_recipient(struct ics_fxdest *d, struct ics_dest_frame *fr,
			    struct mapistore_message *mm);

/** FXDelProp on the target message: drop its recipients / attachments. */
uint32_t ics_dest_clear(TALLOC_CTX *mem_ctx, struct mapistore_message *mm,
			uint32_t subobject);

/**
 * FXDelProp on the target folder ([MS-OXCFXICS] 2.2.4.1.5.1: delete the
 * subobjects of that kind of the object in context, before the new ones
 * are written): @subobject PidTagContainerContents / PidTagFolderAssociatedContents
 * soft-deletes the folder's normal / FAI messages, PidTagContainerHierarchy
 * its subfolders (with their content), through mapistore (tombstones,
 * seen by ICS), each raising fnevObjectDeleted. Objects this stream
 * stored are kept. Rights of d->call's user ([MS-OXCPERM], as
 * RopEmptyFolder / RopDeleteFolder): frightsDeleteAny on the folder for
 * messages, frightsOwner on each subfolder; checked before anything is
 * deleted. @return ecSuccess (also when there is nothing to delete),
 * ecAccessDenied (nothing deleted; also without d->call), the store's error.
 */
uint32_t ics_dest_delete_children(struct ics_fxdest *d, struct ics_dest_frame *fr,
				  uint32_t subobject);

#endif /* EMSMDB_ICS_DEST_PRIVATE_H */

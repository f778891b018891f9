/*
 * Move/copy of folders and properties, read flags, message status and
 * the remaining store ROPs (issue 7): the handlers behind those rows of
 * emsmdb_rop_table.c. Internal to server_module/emsmdb; see doc/emsmdb.md
 * ("Copy semantics").
 *
 * Every ROP here that has a WantAsynchronous field runs synchronously:
 * [MS-OXCFOLD] 3.2.5.7 / 3.2.5.8 and [MS-OXCPRPT] 3.2.5.7 / 3.2.5.8 let a
 * server answer with the ROP's own response instead of RopProgress, so
 * there is never an operation for RopProgress to report on.
 *
 * Each handler is an emsmdb_rop_fn (emsmdb_rop_private.h): it fills
 * call->resp->u.<Rop> and returns the ReturnValue.
 */
#ifndef EMSMDB_COPY_H
#define EMSMDB_COPY_H

#include "emsmdb_oxc.h"

/* [MS-OXCDATA] 2.4.2 */
#ifndef ecDuplicateName
#define ecDuplicateName		0x80040604
#endif
#define ecFolderCycle		0x8004060B

/* [MS-OXCPRPT] 2.2.10.1 / 2.2.11.1 CopyFlags */
#define CopyFlags_Move		0x01
#define CopyFlags_NoOverwrite	0x02

/* [MS-OXCMSG] 2.2.3.10.1 ReadFlags */
#define rfDefault		0x00
#define rfSuppressReceipt	0x01
#define rfClearReadFlag		0x04
#define rfGenerateReceiptOnly	0x10
#define rfClearNotifyRead	0x20
#define rfClearNotifyUnread	0x40

/* [MS-OXCMSG] 2.2.1.6 PidTagMessageFlags bits touched here */
#ifndef mfRead
#define mfRead			0x00000001
#endif
#define mfNotifyRead		0x00000100
#define mfNotifyUnread		0x00000200

/* [MS-OXPROPS] */
#define PidTagMessageStatus		0x0E170003
#ifndef PidTagMessageRecipients
#define PidTagMessageRecipients		0x0E12000D
#endif
#ifndef PidTagMessageAttachments
#define PidTagMessageAttachments	0x0E13000D
#endif
#define PidTagContainerHierarchy	0x360E000D
#define PidTagContainerContents		0x360F000D
#define PidTagFolderAssociatedContents	0x3610000D

/* ---- oxcfold_move.c, [MS-OXCFOLD] ---- */

/**
 * [MS-OXCFOLD] 2.2.1.7 RopMoveFolder: the folder FolderId, a child of the
 * source folder, becomes a child of the destination folder (second
 * handle), renamed to NewFolderName. ecDstNullObject (no destination),
 * ecNotSupported (not folders, or a system folder of openchangedb as
 * destination), ecNotFound (no such child), ecAccessDenied (a special or
 * system folder), ecFolderCycle (into its own subtree), ecDuplicateName.
 * ICS sees a folder change under the new parent; ObjectMoved is raised.
 */
uint32_t oxcfold_RopMoveFolder(struct emsmdb_rop_call *call);

/**
 * [MS-OXCFOLD] 2.2.1.8 RopCopyFolder: as RopMoveFolder, but the source
 * stays and the copy (with its messages; with WantRecursive also its
 * subfolders) is a new object with new IDs. ObjectCopied is raised.
 */
uint32_t oxcfold_RopCopyFolder(struct emsmdb_rop_call *call);

/* ---- oxcprpt_copy.c, [MS-OXCPRPT] ---- */

/**
 * [MS-OXCPRPT] 2.2.10 RopCopyProperties: copy (Move: then delete from
 * the source) the listed properties to the object of the second handle,
 * of the same type. A property that could not be copied is a
 * PropertyProblem (ecNotFound: the source has none; ecAccessDenied: a
 * computed or read-only property). Folders: applied at once, Move is
 * ecNotSupported; messages and attachments: applied to the open
 * objects, persisted by their RopSaveChanges*.
 */
uint32_t oxcprpt_RopCopyProperties(struct emsmdb_rop_call *call);

/**
 * [MS-OXCPRPT] 2.2.11 RopCopyTo: copy every writable property not in
 * ExcludedTags; with WantSubObjects also the subobjects (messages:
 * recipients, attachments; folders: messages, FAI messages, subfolders),
 * each subobject kind skipped when its PtypObject tag is excluded.
 */
uint32_t oxcprpt_RopCopyTo(struct emsmdb_rop_call *call);

/**
 * [MS-OXCPRPT] 2.2.23 / 3.2.5.20 RopProgress: this server completes
 * every operation synchronously (the original ROP's own response was
 * already sent), so there is no asynchronous operation to report on:
 * ecNotSupported.
 */
uint32_t oxcprpt_RopProgress(struct emsmdb_rop_call *call);

/* ---- oxcmsg_status.c, [MS-OXCMSG] ---- */

/**
 * [MS-OXCMSG] 2.2.3.10 RopSetReadFlags on a folder: the read state of
 * each listed message changes as ReadFlags says, recorded for ICS
 * (its own CN series, as RopSetMessageReadFlag). A MID that names no
 * message of the folder sets PartialCompletion; the rest go on.
 */
uint32_t oxcmsg_RopSetReadFlags(struct emsmdb_rop_call *call);

/**
 * [MS-OXCMSG] 2.2.3.8 RopSetMessageStatus: PidTagMessageStatus becomes
 * (old & ~Mask) | (Flags & Mask); the response carries the old status.
 */
uint32_t oxcmsg_RopSetMessageStatus(struct emsmdb_rop_call *call);

/** [MS-OXCMSG] 2.2.3.9 RopGetMessageStatus: PidTagMessageStatus (0 if unset). */
uint32_t oxcmsg_RopGetMessageStatus(struct emsmdb_rop_call *call);

/**
 * [MS-OXCMSG] 2.2.3.4 RopReloadCachedInformation: the RopOpenMessage
 * response fields for an open message, read again.
 */
uint32_t oxcmsg_RopReloadCachedInformation(struct emsmdb_rop_call *call);

/* ---- oxcstor_ext.c, [MS-OXCSTOR] ---- */

/**
 * [MS-OXCSTOR] 2.2.1.4 RopGetReceiveFolderTable (private logons): one row
 * per receive folder setting: PidTagFolderId, PidTagMessageClass (8-bit),
 * PidTagLastModificationTime of the folder. ecNotSupported on a public
 * folders logon.
 */
uint32_t oxcstor_RopGetReceiveFolderTable(struct emsmdb_rop_call *call);

/**
 * [MS-OXCSTOR] 2.2.1.11 RopGetPerUserGuid (private logons): the REPLGUID
 * of the public store that gave the per-user data cached for the
 * LongTermId; ecNotFound when none is cached, ecNotSupported on a
 * public folders logon.
 */
uint32_t oxcstor_RopGetPerUserGuid(struct emsmdb_rop_call *call);

#endif /* EMSMDB_COPY_H */

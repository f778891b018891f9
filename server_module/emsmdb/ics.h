/*
 * Incremental Change Synchronization and FastTransfer on the server
 * ([MS-OXCFXICS]): the download producers (contents and hierarchy
 * synchronization, FastTransfer copy sources, transfer state), the ICS
 * state kept by synchronization contexts, the upload collector, and the
 * ROP handlers of oxcfxics.c. Internal to server_module/emsmdb
 * (doc/ics.md).
 *
 * Objects (emsmdb_handles.h types, private_data a talloc child of the
 * object):
 *   EMSMDB_OBJECT_ICS_DOWNLOAD  struct ics_download  RopSynchronizationConfigure
 *   EMSMDB_OBJECT_ICS_UPLOAD    struct ics_collector RopSynchronizationOpenCollector
 *   EMSMDB_OBJECT_FX_DOWNLOAD   struct ics_source    RopFastTransferSourceCopy*,
 *                                                    RopSynchronizationGetTransferState
 *   EMSMDB_OBJECT_FX_UPLOAD     struct ics_fxdest    RopFastTransferDestinationConfigure
 *
 * Streams are produced lazily: a source keeps an ndr/fxics encoder and a
 * step function that appends the next element(s) (one message, one
 * folder, the deletions, the state...) only when a
 * RopFastTransferSourceGetBuffer needs more bytes, so a 1,000-message
 * folder is never built in memory at once. All of it runs on the
 * session's worker thread (one call at a time per session).
 */
#ifndef EMSMDB_ICS_H
#define EMSMDB_ICS_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_store.h"
#include "fxics.h"
#include "idset.h"

/* ---- [MS-OXCFXICS] 2.2.3.2.1.1.1 RopSynchronizationConfigure fields ---- */

#define SynchronizationType_Contents 0x01
#define SynchronizationType_Hierarchy 0x02

/* SendOptions, 2.2.3.1.1.1.1 */
#define SendOptions_Unicode 0x01
#define SendOptions_UseCpid 0x02
#define SendOptions_ForUpload 0x03
#define SendOptions_RecoverMode 0x04
#define SendOptions_ForceUnicode 0x08
#define SendOptions_PartialItem 0x10

/* SynchronizationFlags */
#define SynchronizationFlags_Unicode 0x0001
#define SynchronizationFlags_NoDeletions 0x0002
#define SynchronizationFlags_IgnoreNoLongerInScope 0x0004
#define SynchronizationFlags_ReadState 0x0008
#define SynchronizationFlags_FAI 0x0010
#define SynchronizationFlags_Normal 0x0020
#define SynchronizationFlags_OnlySpecifiedProperties 0x0080
#define SynchronizationFlags_NoForeignIdentifiers 0x0100
#define SynchronizationFlags_Reserved 0x1000
#define SynchronizationFlags_BestBody 0x2000
#define SynchronizationFlags_IgnoreSpecifiedOnFAI 0x4000
#define SynchronizationFlags_Progress 0x8000

/* SynchronizationExtraFlags */
#define SynchronizationExtraFlags_Eid 0x00000001
#define SynchronizationExtraFlags_MessageSize 0x00000002
#define SynchronizationExtraFlags_Cn 0x00000004
#define SynchronizationExtraFlags_OrderByDeliveryTime 0x00000008

/* TransferStatus, [MS-OXCFXICS] 2.2.3.1.1.5.2 */
#define TransferStatus_Error 0x0000
#define TransferStatus_Partial 0x0001
#define TransferStatus_NoRoom 0x0002
#define TransferStatus_Done 0x0003

/* RopFastTransferSourceGetBuffer: BufferSize 0xBABE = "server decides",
 * MaximumBufferSize then bounds it (2.2.3.1.1.5.1) */
#define ICS_BUFFER_SIZE_SERVER 0xBABE

/* Return values of the import ROPs ([MS-OXCDATA] 2.4, [MS-OXCFXICS]
 * 3.3.4.3.3) */
#define ecSyncObjectDeleted 0x80040800
#define ecSyncIgnore 0x80040801
#define ecSyncConflict 0x80040802
#define ecSyncNoParent 0x80040803
#define ecObjectDeleted 0x8004010A
#define ecTooBig 0x80040305

/* [MS-OXPROPS] tags the streams carry */
#define PidTagAssociated 0x67AA000B
#define PidTagChangeNumber 0x67A40014
#define PidTagMessageDeliveryTime 0x0E060040
#define PidTagRowid 0x30000003
#define PidTagRecipientType 0x0C150003
#define PidTagAttachNumber 0x0E210003
#define PidTagAttachMethod 0x37050003
#define PidTagReadFlagsTag 0x0E070003 /* PidTagMessageFlags */

/** Largest uploaded ICS state property, bytes (bounds TransferBufferSize). */
#define ICS_STATE_MAX_SIZE (16u * 1024u * 1024u)
/** Items one synchronization context enumerates (messages or folders). */
#define ICS_MAX_ITEMS 1000000u
/** Nesting of embedded messages a producer follows. */
#define ICS_MAX_EMBED_DEPTH 8

/* ---------------------------------------------------------------- */
/* ICS state ([MS-OXCFXICS] 2.2.1.1), ics_state.c                    */

/**
 * The ICS state of a synchronization context: four REPLGUID-based IDSETs
 * ([MS-OXCFXICS] 2.2.2.4.2). A property never uploaded is an empty set.
 * The upload fields hold a RopSynchronizationUploadStateStream* in
 * progress.
 */
struct ics_state {
	struct IDSET *IdsetGiven;
	struct IDSET *CnsetSeen;
	struct IDSET *CnsetSeenFAI;
	struct IDSET *CnsetRead;
	bool given_uploaded;		/* MetaTagIdsetGiven came from the client */
	uint32_t upload_property;	/* 0: no upload in progress */
	uint32_t upload_size;		/* announced TransferBufferSize */
	uint32_t upload_used;
	uint8_t *upload_data;
};

/** A new, empty state on @mem_ctx (NULL on allocation failure). */
struct ics_state *ics_state_new(TALLOC_CTX *mem_ctx);

/**
 * [MS-OXCFXICS] 2.2.3.2.2.1 RopSynchronizationUploadStateStreamBegin:
 * @StateProperty must be one of the four ICS state properties (for
 * MetaTagIdsetGiven both the PtypInteger32 and the PtypBinary tag,
 * 3.2.5.2.1) and @size at most ICS_STATE_MAX_SIZE.
 * @return ecSuccess, ecNotSupported (another property), ecTooBig,
 *         ecError (an upload already in progress), ecMAPIOOM.
 */
uint32_t ics_state_upload_begin(struct ics_state *st, uint32_t StateProperty,
				uint32_t size);
/** 2.2.3.2.2.2 ...Continue: append; ecError without Begin or past the size. */
uint32_t ics_state_upload_continue(struct ics_state *st, const uint8_t *data,
				   uint32_t size);
/**
 * 2.2.3.2.2.3 ...End: decode the IDSET (REPLGUID form) and replace that
 * property of the state. @return ecSuccess, ecError (no Begin), or
 * ecInvalidParam (malformed IDSET; the state keeps its old value).
 */
uint32_t ics_state_upload_end(struct ics_state *st);

/**
 * The GLOBCNT ranges of @set under @replguid, as mapistore's queries take
 * them (sorted, disjoint). *ranges_r on @mem_ctx, NULL when empty.
 */
uint32_t ics_idset_ranges(TALLOC_CTX *mem_ctx, const struct IDSET *set,
			  const uint8_t replguid[16],
			  struct mapistore_globcnt_range **ranges_r,
			  uint32_t *count_r);

/** @set |= [low, high] under @replguid (REPLGUID form). */
uint32_t ics_idset_add(struct IDSET *set, const uint8_t replguid[16],
		       uint64_t low, uint64_t high);

/** Remove from @set (REPLGUID form) the IDs of @ids (REPLID form). */
uint32_t ics_idset_remove(struct IDSET *set, const uint8_t replguid[16],
			  const struct IDSET *ids);

/** A copy of @set (same form) on @mem_ctx; NULL on allocation failure. */
struct IDSET *ics_idset_copy(TALLOC_CTX *mem_ctx, const struct IDSET *set);

/** @set contains GLOBCNT @globcnt under @replguid. */
bool ics_idset_has(const struct IDSET *set, const uint8_t replguid[16],
		   uint64_t globcnt);

/**
 * Append the meta-property @tag holding @set serialized (in the form the
 * set has) to the proplist @l (grown on @mem_ctx).
 */
uint32_t ics_proplist_add_idset(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
				uint32_t tag, const struct IDSET *set);

/**
 * Append an ICS state element to @l ([MS-OXCFXICS] 2.2.1.1), each IDSET
 * as ics_proplist_add_idset() does, in this order: MetaTagIdsetGiven
 * @given, MetaTagCnsetSeen @seen, MetaTagCnsetSeenFAI @seen_fai and
 * MetaTagCnsetRead @read; a NULL set is left out (a hierarchy state has
 * no CnsetSeenFAI and CnsetRead, a collector's state no IdsetGiven,
 * 3.2.5.2.1). Stops at the first error and returns it. Used by the
 * download's final state and checkpoints (3.2.5.9.3.1) and the
 * collector's state.
 */
uint32_t ics_proplist_add_state(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
				const struct IDSET *given, const struct IDSET *seen,
				const struct IDSET *seen_fai, const struct IDSET *read);

/** Append one property atom (value copied shallowly) to @l. */
uint32_t ics_proplist_add(TALLOC_CTX *mem_ctx, struct fxics_proplist *l,
			  uint32_t tag, const struct PropertyName *name,
			  const struct PropertyValue *v);

/* ---------------------------------------------------------------- */
/* FastTransfer sources, ics_source.c                                 */

struct ics_source;

/**
 * Produce the next part of the stream into src->enc. Set src->done when
 * everything has been produced. Return ecSuccess or a MAPI error (the
 * transfer then ends with TransferStatus Error).
 */
typedef uint32_t (*ics_step_fn)(struct ics_source *src);

/** A FastTransfer download: a lazily produced stream ([MS-OXCFXICS] 3.2.5.8.1). */
struct ics_source {
	struct fxics_encoder *enc;
	ics_step_fn step;
	void *priv;			/* the producer's state */
	bool done;			/* nothing more will be produced */
	uint32_t error;			/* sticky producer error */
	uint32_t steps_done;		/* InProgressCount */
	uint32_t steps_total;		/* TotalStepCount */
};

/** A new source on @mem_ctx with an encoder for code page @cpid. */
struct ics_source *ics_source_new(TALLOC_CTX *mem_ctx, uint32_t cpid,
				  ics_step_fn step, void *priv);

/** A source whose whole stream is already in @src->enc (done). */
struct ics_source *ics_source_new_static(TALLOC_CTX *mem_ctx, uint32_t cpid);

/**
 * [MS-OXCFXICS] 3.2.5.8.1.1 RopFastTransferSourceGetBuffer: produce until
 * @max bytes are pending or the stream ends, then take at most @max bytes
 * cut where 2.2.4.1 allows. *data_r (on @mem_ctx) / *len_r, *status_r
 * TransferStatus_Partial or _Done, or _Error with the error returned.
 * @return ecSuccess; ecBufferTooSmall when @max cannot hold the next
 *         indivisible element (nothing consumed); a producer error.
 */
uint32_t ics_source_get_buffer(struct ics_source *src, TALLOC_CTX *mem_ctx,
			       size_t max, uint8_t **data_r, size_t *len_r,
			       uint16_t *status_r);

/** Bytes of @src's stream the client has taken with GetBuffer so far. */
uint64_t ics_source_taken(const struct ics_source *src);

/**
 * A checkpoint ([MS-OXCFXICS] 3.2.5.9.3.1 RopSynchronizationGetTransferState)
 * contains exactly what the client has received: an element (a message,
 * a folder) counts only once its last byte is taken. A producer records
 * one mark per element at its end (the encoder's byte total) and settles
 * the marks up to ics_source_taken() when a checkpoint is asked for.
 */
struct ics_mark {
	uint64_t end;		/* encoder total after the element */
	uint64_t id;		/* MID or FID */
	uint64_t cn;		/* its change number (GLOBCNT) */
	uint64_t read_cn;	/* its read-state CN, 0 for none */
	bool fai;
};

/** Marks in stream order: a FIFO, [head, count) not settled yet. */
struct ics_marks {
	struct ics_mark *items;		/* talloc array, capacity = its length */
	uint32_t head;
	uint32_t count;
};

/**
 * Append @m (its end at or after every mark already queued). Amortized
 * O(1): the array grows geometrically (on @mem_ctx) and settled slots
 * are reused. @return ecSuccess, ecTooBig past ICS_MAX_ITEMS pending
 * marks, ecMAPIOOM.
 */
uint32_t ics_marks_push(TALLOC_CTX *mem_ctx, struct ics_marks *q, const struct ics_mark *m);

/**
 * The oldest unsettled mark if its element ends at or before @taken,
 * now settled (the pointer is valid until the next push); NULL otherwise.
 */
const struct ics_mark *ics_marks_pop(struct ics_marks *q, uint64_t taken);

/* ---------------------------------------------------------------- */
/* Messages and folders as stream elements, ics_props.c               */

/** What the producers need to encode objects of one session. */
struct ics_encode_opts {
	struct emsmdb_session *s;
	bool unicode;			/* PtypString stays PtypString */
	const uint32_t *tags;		/* PropertyTags of the request */
	uint32_t tag_count;
	bool only_specified;		/* include @tags only, else exclude them */
	bool tags_on_fai;		/* apply @tags to FAI messages too */
};

/** ics_message_read() modes. */
#define ICS_READ_FILTER 0x01		/* apply @opts' tags */
#define ICS_READ_HEADER 0x02		/* no header properties, children
					 * replace the client's */
#define ICS_READ_ICS (ICS_READ_HEADER | ICS_READ_FILTER) /* an ICS messageChange */
#define ICS_READ_NO_CHILDREN 0x04	/* properties only */

/**
 * Read message @mm into @m (on @mem_ctx): its properties, recipients and
 * attachments with embedded messages, as @how says (ICS_READ_*).
 */
uint32_t ics_message_read(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  struct mapistore_message *mm, bool fai, unsigned how,
			  struct fxics_message *m);

/**
 * Properties of @obj (a folder or an attachment), filtered by @opts,
 * appended to @l; @skip (count @skip_count) are left out.
 */
uint32_t ics_object_props(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  struct mapistore_object *obj, bool filter,
			  const uint32_t *skip, uint32_t skip_count,
			  struct fxics_proplist *l);

/**
 * Convert stored values to stream atoms and append them to @l: named
 * properties get their PropertyName, strings become PtypString8 unless
 * @opts->unicode, error values and unconvertible ones are left out.
 */
uint32_t ics_props_append(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  const struct mapistore_property *props, uint32_t count,
			  struct fxics_proplist *l);

/* ---------------------------------------------------------------- */
/* Synchronization download contexts, ics_contents.c / ics_hierarchy.c */

/** A synchronization download context (RopSynchronizationConfigure). */
struct ics_download {
	struct emsmdb_session *s;
	struct emsmdb_object *logon;
	struct emsmdb_folder *folder;	/* the synchronization scope */
	uint8_t SynchronizationType;
	uint8_t SendOptions;
	uint16_t SynchronizationFlags;
	uint32_t SynchronizationExtraFlags;
	uint32_t *PropertyTags;
	uint16_t PropertyTagCount;
	struct mapistore_restriction *restriction; /* NULL: none */
	struct ics_state *state;	/* uploaded initial state */
	struct ics_source *src;		/* NULL until the first GetBuffer */
	void *producer;			/* contents / hierarchy state */
};

/**
 * Start producing the stream of @dl (called by the first GetBuffer, once
 * the state is uploaded): contentsSync or hierarchySync of [MS-OXCFXICS]
 * 2.2.4.3. @return ecSuccess or the error (logged).
 */
uint32_t ics_download_start(struct ics_download *dl);
uint32_t ics_contents_start(struct ics_download *dl);
uint32_t ics_hierarchy_start(struct ics_download *dl);

/**
 * The ICS state of @dl as RopSynchronizationGetTransferState reports it
 * ([MS-OXCFXICS] 3.2.5.9.3.1): the uploaded state plus exactly what the
 * client has taken so far (a checkpoint a client can resume from): a
 * message or folderChange, the deletions element (MetaTagIdsetDeleted /
 * MetaTagIdsetNoLongerInScope) and the readStateChanges element
 * (MetaTagIdsetRead / MetaTagIdsetUnread) count only once their last
 * byte has been taken with GetBuffer; the final state once the stream is
 * complete. Properties appended to @l (values on @mem_ctx).
 */
uint32_t ics_download_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			    struct fxics_proplist *l);
uint32_t ics_hierarchy_state(struct ics_download *dl, TALLOC_CTX *mem_ctx,
			     struct fxics_proplist *l);

/* ---------------------------------------------------------------- */
/* Upload collector ([MS-OXCFXICS] 3.2.5.9.4), ics_collector.c       */

struct ics_collector_log;

struct ics_collector {
	struct emsmdb_session *s;
	struct emsmdb_object *logon;
	struct emsmdb_folder *folder;
	bool contents;			/* IsContentsCollector */
	struct ics_state *state;
	uint8_t replguid[16];		/* the mailbox replica */
	struct ics_collector_log *log;	/* imported objects */
	struct ics_conflict *conflicts;	/* pending conflict resolve messages,
					 * ics_conflict.c */
};

/** The collector of an ICS upload object, NULL for any other object. */
struct ics_collector *ics_collector_of(struct emsmdb_object *obj);

/** A source key of the collector's replica -> FID/MID; false otherwise. */
bool ics_sourcekey_id(const struct ics_collector *col, const uint8_t *data,
		      size_t len, uint64_t *id_r);

/** Remember an imported object: its CN (its read-state CN only, when
 *  @read_only) joins the collector's state. */
uint32_t ics_collector_note(struct ics_collector *col, uint64_t id, bool read_only);

/**
 * The latest import of @mid into @col was saved as a conflict resolve
 * message ([MS-OXCFXICS] 3.1.5.6.2.1): its CN stays out of the
 * collector's state, so the uploader downloads the versions. Called by
 * ics_conflict_save_hook(); nothing happens when @mid was not imported.
 */
void ics_collector_note_resolved(struct ics_collector *col, uint64_t mid);

/**
 * The state of an upload context ([MS-OXCFXICS] 3.2.5.2.1: without
 * MetaTagIdsetGiven) with the CNs of every imported change added (but
 * those saved as conflict resolve messages, ics_collector_note_resolved).
 */
uint32_t ics_collector_state(struct ics_collector *col, TALLOC_CTX *mem_ctx,
			     struct fxics_proplist *l);

/**
 * The RestrictionData of RopSynchronizationConfigure as a mapistore
 * restriction on @mem_ctx (every type of [MS-OXCDATA] 2.12);
 * ecInvalidParam for a malformed one.
 */
uint32_t ics_restriction_from_wire(TALLOC_CTX *mem_ctx, const struct Restriction *in,
				   struct mapistore_restriction **out_r);

/* ---------------------------------------------------------------- */
/* ROP handlers ([MS-OXCROPS] 2.2.12, 2.2.13), oxcfxics.c / ics_collector.c */

uint32_t oxcfxics_RopSynchronizationConfigure(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationUploadStateStreamBegin(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationUploadStateStreamContinue(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationUploadStateStreamEnd(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationGetTransferState(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferSourceGetBuffer(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopTellVersion(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferSourceCopyTo(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferSourceCopyProperties(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferSourceCopyMessages(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferSourceCopyFolder(struct emsmdb_rop_call *call);

uint32_t oxcfxics_RopSynchronizationOpenCollector(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationImportMessageChange(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationImportHierarchyChange(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationImportDeletes(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationImportMessageMove(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSynchronizationImportReadStateChanges(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopGetLocalReplicaIds(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopSetLocalReplicaMidsetDeleted(struct emsmdb_rop_call *call);

/** Input masks of the table rows. */
#define ICS_IN_SYNC ((1u << EMSMDB_OBJECT_ICS_DOWNLOAD) | (1u << EMSMDB_OBJECT_ICS_UPLOAD))
#define ICS_IN_SOURCE ((1u << EMSMDB_OBJECT_FX_DOWNLOAD) | (1u << EMSMDB_OBJECT_ICS_DOWNLOAD))
#define ICS_IN_COLLECTOR (1u << EMSMDB_OBJECT_ICS_UPLOAD)
#define ICS_IN_FX ((1u << EMSMDB_OBJECT_FX_DOWNLOAD) | (1u << EMSMDB_OBJECT_FX_UPLOAD))

/* ---------------------------------------------------------------- */
/* FastTransfer upload: the destination object ([MS-OXCFXICS]       */
/* 2.2.3.1.2, 3.2.5.8.2), ics_dest.c / ics_dest_props.c /            */
/* ics_dest_rop.c                                                     */

/* SourceOperation of RopFastTransferDestinationConfigure, 2.2.3.1.2.1.1 */
#define SourceOperation_CopyTo 0x01
#define SourceOperation_CopyProperties 0x02
#define SourceOperation_CopyMessages 0x03
#define SourceOperation_CopyFolder 0x04
/* CopyFlags of RopFastTransferDestinationConfigure */
#define CopyFlags_Move 0x01

/** Largest single element (one property value) an upload accepts. */
#define ICS_DEST_MAX_ATOM (32u * 1024u * 1024u)
/** Recipients or attachments of one message, subfolders of one folder. */
#define ICS_DEST_MAX_CHILDREN 8192u
/** Nesting of subfolders in an uploaded topFolder / folderContent. */
#define ICS_DEST_MAX_FOLDER_DEPTH 32u

struct ics_fxdest;

/**
 * A FastTransfer destination applying an uploaded stream to @folder (a
 * backend folder), @msg (an open, writable message) or @att (an open,
 * writable attachment): exactly one of them is non-NULL. @root is the
 * stream's syntactic root ([MS-OXCFXICS] 2.2.4.3): FXICS_ROOT_FOLDER_CONTENT,
 * _MESSAGE_LIST or _TOP_FOLDER for a folder, _MESSAGE_CONTENT for a
 * message, _ATTACHMENT_CONTENT for an attachment. Allocated on @mem_ctx,
 * which must not outlive the targets.
 * @return ecSuccess, ecInvalidParam (root and target do not match),
 *         ecMAPIOOM.
 */
uint32_t ics_fxdest_new(TALLOC_CTX *mem_ctx, struct emsmdb_session *s,
			enum fxics_root root, struct mapistore_folder *folder,
			struct mapistore_message *msg, struct mapistore_attachment *att,
			struct ics_fxdest **dest_r);

/**
 * Apply the next @len bytes of the stream (they may end anywhere, even
 * inside a value: the rest comes with the next call). Messages are
 * written into new messages saved only at their EndMessage marker;
 * subfolders are created once their properties are complete; properties
 * of the target itself are applied at the end of each call (a message or
 * attachment target is saved by the client, RopSaveChangesMessage).
 * *@used_r gets the bytes consumed (@len on success).
 * @return ecSuccess; ecInvalidParam for a malformed stream (a bad
 *         element, an element the grammar does not allow there, a
 *         subfolder without PidTagDisplayName), ecTooBig past a bound,
 *         a mapistore error. Errors are sticky: every later call returns
 *         the same error; unsaved messages of the stream are discarded.
 */
uint32_t ics_fxdest_put(struct ics_fxdest *d, const uint8_t *data, size_t len,
			size_t *used_r);

/** The root element of the stream is complete (topFolder: its EndFolder). */
bool ics_fxdest_complete(const struct ics_fxdest *d);
/** Messages and folders written so far (TotalStepCount of the response). */
uint32_t ics_fxdest_objects(const struct ics_fxdest *d);

/** An object the last ics_fxdest_put() stored (for fnevObjectCreated). */
struct ics_fxdest_event {
	bool is_message;
	uint64_t fid;		/* the message's folder, or the folder */
	uint64_t mid;		/* 0 for a folder */
	uint64_t parent_fid;	/* a folder's parent, 0 for a message */
};

/** The objects stored by the last ics_fxdest_put() (owned by @d, valid
 *  until the next put). */
uint32_t ics_fxdest_events(const struct ics_fxdest *d, const struct ics_fxdest_event **events_r);

uint32_t oxcfxics_RopFastTransferDestinationConfigure(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferDestinationPutBuffer(struct emsmdb_rop_call *call);
uint32_t oxcfxics_RopFastTransferDestinationPutBufferExtended(struct emsmdb_rop_call *call);

/** Input mask of the PutBuffer rows. */
#define ICS_IN_FXDEST (1u << EMSMDB_OBJECT_FX_UPLOAD)

/* ---------------------------------------------------------------- */
/* Conflict resolve messages ([MS-OXCFXICS] 3.1.5.6.2), ics_conflict.c */

/* [MS-OXCFXICS] 2.2.1.4.1 PidTagResolveMethod (on the folder) */
#define PidTagResolveMethod 0x3FE70003
#define RESOLVE_METHOD_DEFAULT 0x00000000
#define RESOLVE_METHOD_LAST_WRITER_WINS 0x00000001
#define RESOLVE_NO_CONFLICT_NOTIFICATION 0x00000002
/* 2.2.1.4.3 PidTagInConflict (an attachment holding a version in conflict) */
#define PidTagInConflict 0x666C000B
/* 2.2.1.4.2 PidTagConflictEntryId (public folder notifications only) */
#define PidTagConflictEntryId 0x3FF00102
/* [MS-OXCMSG] 2.2.1.8 PidTagMessageStatus and its msInConflict bit */
#define PidTagMessageStatus 0x0E170003
#define msInConflict 0x00000800

struct ics_conflict;

/**
 * PidTagResolveMethod of folder @mf ([MS-OXCFXICS] 2.2.1.4.1):
 * RESOLVE_METHOD_DEFAULT when absent or unreadable.
 */
uint32_t ics_conflict_resolve_method(struct mapistore_folder *mf);

/**
 * Record that message @mid, imported into @col, conflicts and needs a
 * conflict resolve message ([MS-OXCFXICS] 3.1.5.6.2.1) when the client
 * saves it. @client_lmt, @ck (an XID, 17..24 bytes) and @pcl are the
 * PidTagLastModificationTime, PidTagChangeKey and
 * PidTagPredecessorChangeList of the client's version (copied). A record
 * for the same @mid is replaced. Records live on @col.
 * @return ecSuccess, ecInvalidParam (@ck not an XID), ecMAPIOOM.
 */
uint32_t ics_conflict_note(struct ics_collector *col, uint64_t mid, uint64_t client_lmt,
			   const uint8_t *ck, size_t ck_size, const uint8_t *pcl, size_t pcl_size);

/** Drop any pending record of @mid (a new import of it replaces it). */
void ics_conflict_forget(struct ics_collector *col, uint64_t mid);

/**
 * RopSaveChangesMessage hook, called before mapistore_message_save() on
 * the message object @obj (private data @m). When @obj was returned by an
 * ImportMessageChange of a collector holding a pending conflict for its
 * MID, the working copy (the client's version) becomes the conflict
 * resolve message of [MS-OXCFXICS] 3.1.5.6.2.1: one attachment per version
 * in conflict (embedded message, PidTagInConflict TRUE), the content of
 * the winner by last writer wins (3.1.5.6.2.2), msInConflict in
 * PidTagMessageStatus, the client's PCL and change key merged into the
 * PCL and an empty change key (the save stamps a new one). The record is
 * consumed. Any other object: nothing happens.
 * @return ecSuccess or the mapistore error (logged); the save must not
 *         happen on an error.
 */
uint32_t ics_conflict_save_hook(struct emsmdb_object *obj, struct emsmdb_message *m);

#endif /* EMSMDB_ICS_H */

/*
 * The properties the server computes for logons, folders, messages and
 * attachments (issue 7): identifiers ([MS-OXCDATA] 2.2.4 entry IDs, [MS-OXCFXICS]
 * 2.2.1.2 source / change keys and predecessor change lists), counts,
 * sizes, dates and store properties ([MS-OXCFOLD] 2.2.2.2, [MS-OXCMSG]
 * 2.2.1, [MS-OXCPRPT] 2.2.1, [MS-OXCSTOR] 2.2.2).
 *
 * One table (emsmdb_computed.c) maps each tag to the function that
 * computes it and says for which kinds of object; emsmdb_computed_api.c
 * describes objects and table rows to it. RopGetPropertiesSpecific,
 * RopGetPropertiesAll / RopGetPropertiesList and table rows all go through
 * emsmdb_computed_apply(), so a value is the same whichever way the client
 * reads it. The identifiers equal what an ICS download of the same object
 * carries (ics_contents.c, ics_hierarchy.c): the stored tracking value
 * (mapistore_changes.h) when there is one, otherwise the value derived
 * from the object's ID in the same way ICS derives it.
 *
 * PidTagAccess, PidTagAccessLevel and PidTagRights are not here: they are
 * permissions (emsmdb_store.c, oxcprpt.c).
 *
 * Internal to server_module/emsmdb.
 */
#ifndef EMSMDB_COMPUTED_H
#define EMSMDB_COMPUTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_store.h"

/* [MS-OXPROPS] tags computed here and not defined elsewhere */
#ifndef PidTagInstanceKey
#define PidTagInstanceKey		0x0FF60102
#endif
#ifndef PidTagSearchKey
#define PidTagSearchKey			0x300B0102
#endif
#ifndef PidTagObjectType
#define PidTagObjectType		0x0FFE0003
#endif
#ifndef PidTagStoreEntryId
#define PidTagStoreEntryId		0x0FFB0102
#endif
#ifndef PidTagStoreRecordKey
#define PidTagStoreRecordKey		0x0FFA0102
#endif
#ifndef PidTagStoreSupportMask
#define PidTagStoreSupportMask		0x340D0003
#endif
#ifndef PidTagStoreState
#define PidTagStoreState		0x340E0003
#endif
#ifndef PidTagMailboxOwnerEntryId
#define PidTagMailboxOwnerEntryId	0x661B0102
#endif
#ifndef PidTagChangeNumber
#define PidTagChangeNumber		0x67A40014
#endif
#ifndef PidTagMessageSizeExtended
#define PidTagMessageSizeExtended	0x0E080014
#endif
#ifndef PidTagAssocContentCount
#define PidTagAssocContentCount		0x36170003
#endif

/* [MS-OXCDATA] 2.2.4.1 / 2.2.4.2: fixed entry ID sizes */
#define EMSMDB_FOLDER_ENTRYID_SIZE	46
#define EMSMDB_MESSAGE_ENTRYID_SIZE	70

/* [MS-OXCDATA] 2.2.4.1 FolderType / 2.2.4.2 MessageType */
#define eitLTPrivateFolder	0x0001
#define eitLTPublicFolder	0x0003
#define eitLTPrivateMessage	0x0007
#define eitLTPublicMessage	0x0009

/** Which kind of object a computed property belongs to (one bit each). */
enum emsmdb_computed_kind {
	EMSMDB_COMPUTED_LOGON = 0x1,
	EMSMDB_COMPUTED_FOLDER = 0x2,
	EMSMDB_COMPUTED_MESSAGE = 0x4,
	EMSMDB_COMPUTED_ATTACHMENT = 0x8,
};

/** The object whose properties are computed. */
struct emsmdb_computed_obj {
	enum emsmdb_computed_kind kind;
	struct emsmdb_session *s;
	/** The logon the object was opened under (its mailbox). Required. */
	const struct emsmdb_logon *logon;
	/** A folder: itself. A message: its folder. */
	uint64_t fid;
	/** A folder: its parent, 0 for a mailbox root. */
	uint64_t parent_fid;
	/** A message: its MID, 0 until it is saved; an attachment: its
	 *  message's. */
	uint64_t mid;
	/** An attachment: PidTagAttachNumber. */
	uint32_t attach_num;
	/** A folder's backend folder (counts, sizes); NULL for openchangedb
	 *  folders or when unknown (it is then opened when needed). */
	struct mapistore_folder *mf;
	/** A message's backend message, NULL for a table row. */
	struct mapistore_message *mm;
	/** A table row: stored values win over computed ones and costly
	 *  values (counts of folders, ...) are only computed when missing. */
	bool row;
};

/** A parsed folder or message entry ID ([MS-OXCDATA] 2.2.4.1, 2.2.4.2). */
struct emsmdb_entryid {
	uint8_t ProviderUID[16];
	uint16_t Type;			/* eitLT* */
	uint8_t FolderDatabaseGuid[16];
	uint8_t FolderGlobalCounter[6];
	/* messages only */
	uint8_t MessageDatabaseGuid[16];
	uint8_t MessageGlobalCounter[6];
};

/**
 * Overwrite, in @props (one per tag, stored values or PtypErrorCode on
 * input), the values of the tags in @tags that are computed for @o's kind.
 * A computed property the object does not have (the entry ID of an unsaved
 * message, the parent of a root) becomes ecNotFound.
 * Values are allocated on @mem_ctx.
 * @return ecSuccess, or ecMAPIOOM.
 */
uint32_t emsmdb_computed_apply(TALLOC_CTX *mem_ctx, const struct emsmdb_computed_obj *o,
			       const uint32_t *tags, uint32_t count,
			       struct mapistore_property *props);

/** emsmdb_computed_apply() for a folder object opened under @logon. */
uint32_t emsmdb_computed_folder(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				struct emsmdb_object *logon, struct emsmdb_folder *f,
				const uint32_t *tags, uint32_t count,
				struct mapistore_property *props);

/** emsmdb_computed_apply() for a logon, folder or message object. */
uint32_t emsmdb_computed_object(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				struct emsmdb_object *obj, const uint32_t *tags,
				uint32_t count, struct mapistore_property *props);

/**
 * The computed columns of table rows: @rows (@row_count rows of @count
 * columns @columns) of table @t opened under @logon; hierarchy rows are
 * folders, contents rows messages. Only values the backend left missing
 * are computed, PidTagInstanceKey always.
 * @return ecSuccess, or ecMAPIOOM.
 */
uint32_t emsmdb_computed_rows(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			      struct emsmdb_object *logon, const struct emsmdb_table *t,
			      const uint32_t *columns, uint32_t count,
			      struct mapistore_row *rows, uint32_t row_count);

/**
 * Add to *@tags_r (an array on @mem_ctx of *@count_r tags, reallocated)
 * the computed tags of @obj's kind it lacks (RopGetPropertiesList /
 * RopGetPropertiesAll, [MS-OXCPRPT] 3.2.5.2, 3.2.5.3).
 * @return ecSuccess, or ecMAPIOOM.
 */
uint32_t emsmdb_computed_list(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
			      uint32_t **tags_r, uint32_t *count_r);

/** Whether any of @tags is computed for objects of @kind. */
bool emsmdb_computed_has(const uint32_t *tags, uint32_t count, enum emsmdb_computed_kind kind);

/** emsmdb_computed_list() for a kind of object rather than an object. */
uint32_t emsmdb_computed_add_tags(TALLOC_CTX *mem_ctx, enum emsmdb_computed_kind kind,
				  uint32_t **tags_r, uint32_t *count_r);

/**
 * [MS-OXCPRPT] 3.2.5.1: a tag of type PtypUnspecified asks for the
 * property with that ID in the type the object has it. *@resolved_r gets
 * @tags with each such tag replaced by the object's own tag (stored or
 * computed) of the same ID, or left as is when the object has none;
 * @tags itself when none is PtypUnspecified, else an array on @mem_ctx.
 * @return ecSuccess, ecMAPIOOM.
 */
uint32_t emsmdb_computed_resolve(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
				 const uint32_t *tags, uint32_t count,
				 const uint32_t **resolved_r);

/**
 * [MS-OXCPRPT] 2.2.2.1 / 2.2.3.1 WantUnicode: string values of @props
 * asked for as PtypUnspecified (every value when @tags is NULL, as for
 * RopGetPropertiesAll) get the type PtypString when @want_unicode, else
 * PtypString8 (the codec then writes them in the session's code page).
 */
void emsmdb_computed_want_unicode(const uint32_t *tags, uint32_t count,
				  struct mapistore_property *props, bool want_unicode);

/* ---- entry IDs ([MS-OXCDATA] 2.2.4), emsmdb_computed_entryid.c ---- */

/**
 * The Folder EntryID of @fid in @l's store (2.2.4.1): ProviderUID the
 * MailboxGuid (private) or the public store's UID, DatabaseGuid the GUID
 * of the FID's replica @dbguid, GlobalCounter the FID's GLOBCNT.
 */
void emsmdb_folder_entryid(const struct emsmdb_logon *l, const uint8_t dbguid[16],
			   uint64_t fid, uint8_t out[EMSMDB_FOLDER_ENTRYID_SIZE]);

/** The Message EntryID of @mid in folder @fid (2.2.4.2). */
void emsmdb_message_entryid(const struct emsmdb_logon *l, const uint8_t fdbguid[16],
			    uint64_t fid, const uint8_t mdbguid[16], uint64_t mid,
			    uint8_t out[EMSMDB_MESSAGE_ENTRYID_SIZE]);

/**
 * Parse a folder (46 bytes) or message (70 bytes) entry ID. Checks the
 * size, Flags and Pad zero, and a known Type.
 * @return ecSuccess, ecInvalidParam for anything else.
 */
uint32_t emsmdb_entryid_parse(const uint8_t *data, size_t length,
			      struct emsmdb_entryid *out);

/** The ID (REPLID of @replid, GLOBCNT of @globcnt) an entry ID names. */
uint64_t emsmdb_entryid_id(uint16_t replid, const uint8_t globcnt[6]);

/**
 * The Store Object EntryID of @l's store (2.2.4.3), wrapped by
 * emsmdb.dll, for server @server and (private stores) mailbox @dn.
 * On @mem_ctx. @return ecSuccess, ecMAPIOOM, ecInvalidParam (a DN too long).
 */
uint32_t emsmdb_store_entryid(TALLOC_CTX *mem_ctx, const struct emsmdb_logon *l,
			      const char *server, const char *dn,
			      struct mapistore_binary *out);

/**
 * The Address Book EntryID (2.2.5.2) of the mail user with X500 DN @dn
 * (PidTagMailboxOwnerEntryId). On @mem_ctx.
 */
uint32_t emsmdb_ab_entryid(TALLOC_CTX *mem_ctx, const char *dn,
			   struct mapistore_binary *out);

#endif /* EMSMDB_COMPUTED_H */

/*
 * EMSMDB <-> mapistore: the typed state behind folder, message and table
 * objects, property conversion between the wire ([MS-OXCDATA] 2.11, the
 * ndr/rop structures) and mapistore, and the folder model.
 *
 * Folder model (doc/emsmdb.md): the system folders of a mailbox (Root, Top
 * of Information Store, Deferred Action, ...) live in openchangedb only;
 * the special folders (Inbox, Calendar, Contacts, ...) are openchangedb
 * records whose FIDs the first RopLogon attached to backend roots
 * (mapistore indexing), and everything below those lives in the backend.
 * An emsmdb_folder is one or the other: mf != NULL for a backend folder.
 *
 * Internal to server_module/emsmdb; handlers only.
 */
#ifndef EMSMDB_STORE_H
#define EMSMDB_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

/* ndr/rop's oxcdata.h declares the Ptyp* names as an enum and
 * mapistore_types.h as macros of the same values: the enum must come first */
#include "emsmdb_rop_private.h"
#include "mapistore.h"
#include "openchangedb.h"

/* [MS-OXPROPS] tags the server computes or reads */
#define PidTagFolderId			0x67480014
#define PidTagParentFolderId		0x67490014
#define PidTagMid			0x674A0014
#define PidTagInstID			0x674D0014
#define PidTagInstanceNum		0x674E0003
#define PidTagDisplayName		0x3001001F
#define PidTagComment			0x3004001F
#define PidTagContainerClass		0x3613001F
#define PidTagFolderType		0x36010003
#define PidTagContentCount		0x36020003
#define PidTagContentUnreadCount	0x36030003
#define PidTagSubfolders		0x360A000B
#define PidTagFolderChildCount		0x66380003
#define PidTagRights			0x66390003
#define PidTagAccess			0x0FF40003
#define PidTagAccessLevel		0x0FF70003
#define PidTagEntryId			0x0FFF0102
#define PidTagParentEntryId		0x0E090102
#define PidTagSourceKey			0x65E00102
#define PidTagRecordKey			0x0FF90102
#define PidTagMessageClass		0x001A001F
#define PidTagSubject			0x0037001F
#define PidTagMessageFlags		0x0E070003
#define PidTagMessageSize		0x0E080003
#define PidTagHasAttachments		0x0E1B000B
#define PidTagCreationTime		0x30070040
#define PidTagLastModificationTime	0x30080040

/* [MS-OXCFOLD] 2.2.1.1.1 OpenModeFlags, 2.2.1.2.1 FolderType */
#define FOLDER_GENERIC 0x01
#define FOLDER_SEARCH 0x02

/* rights of the owner ([MS-OXCPERM] 2.2.7 PidTagRights) */
#define EMSMDB_RIGHTS_OWNER 0x000007FB
/* PidTagAccess of an owned folder ([MS-OXCPRPT] 2.2.1.1) */
#define EMSMDB_ACCESS_FOLDER_OWNER 0x0000003F
#define EMSMDB_ACCESS_MESSAGE_OWNER 0x00000007

/** A folder object's state. */
struct emsmdb_folder {
	uint64_t fid;
	uint64_t parent_fid;		/* 0 for a mailbox root */
	struct mapistore_folder *mf;	/* NULL: an openchangedb folder */
};

/** A message object's state. */
struct emsmdb_message {
	uint64_t fid;
	uint64_t mid;			/* 0 until a new message is saved */
	bool read_write;
	bool is_new;
	struct mapistore_message *mm;
};

/** Table kinds ([MS-OXCTABL] 1.3). */
enum emsmdb_table_kind {
	EMSMDB_TABLE_HIERARCHY,
	EMSMDB_TABLE_CONTENTS,
	EMSMDB_TABLE_ATTACHMENTS,
	EMSMDB_TABLE_PERMISSIONS,
	EMSMDB_TABLE_RULES,
};

/**
 * A table object's state: a backend table (mt), or, for openchangedb
 * folders, the FIDs of the rows and a cursor.
 */
struct emsmdb_table {
	enum emsmdb_table_kind kind;
	uint8_t TableFlags;
	struct emsmdb_folder *folder;	/* the folder it was opened on */
	struct mapistore_table *mt;
	uint64_t *fids;
	uint32_t count;
	uint32_t cursor;
	uint32_t *columns;
	uint32_t column_count;
	/** The categorized view after a RopSortTable with CategorizedCount
	 *  (oxctabl_categ.c, doc/emsmdb-tables.md); NULL for a flat table. */
	struct emsmdb_categ *categ;
};

/**
 * The session's store, opened on first use for the session's account:
 * mapistore context and openchangedb, server provisioned if it was not.
 * @return 0, or the MAPI error (logged).
 */
uint32_t emsmdb_store_open(struct emsmdb_session *s);

/**
 * Provision the mailbox of @username if missing (openchangedb system and
 * special folders, special folders attached to the configured backend).
 */
uint32_t emsmdb_store_mailbox(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			      const char *username,
			      struct openchangedb_mailbox **mbx_r);

/**
 * Open folder @fid of @logon's mailbox as a new emsmdb_folder on @mem_ctx.
 * @return 0, ecNotFound (no such folder, or not in this mailbox).
 */
uint32_t emsmdb_folder_open(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    struct emsmdb_object *logon, uint64_t fid,
			    struct emsmdb_folder **folder_r);

/** Properties of a folder, computed ones included; missing -> ecNotFound values. */
uint32_t emsmdb_folder_get_props(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				 struct emsmdb_object *logon,
				 struct emsmdb_folder *f, const uint32_t *tags,
				 uint32_t count, struct mapistore_property **props_r);

/** The mapistore object behind a folder / message object, NULL if none. */
struct mapistore_object *emsmdb_object_store(struct emsmdb_object *obj);

/* ---- property conversion (emsmdb_props.c) ---- */

/** Wire TaggedPropertyValue -> mapistore property (values on @mem_ctx). */
uint32_t emsmdb_prop_from_wire(TALLOC_CTX *mem_ctx,
			       const struct TaggedPropertyValue *in,
			       struct mapistore_property *out);

/**
 * [MS-OXCDATA] 2.12 wire restriction -> mapistore restriction, nesting
 * bounded by MAPISTORE_MAX_RESTRICTION_DEPTH (ecInvalidParam beyond it).
 * Everything is allocated on @mem_ctx. A SubObject restriction names
 * PidTagMessageRecipients or PidTagMessageAttachments (else
 * ecInvalidParam); evaluate SubObject and Count restrictions with their
 * message (mapistore_restriction_eval_message) or, across a table, a
 * mapistore_restriction_ctx; a Comment restricts as its inner restriction.
 * (oxctabl_view.c; used by RopRestrict, RopFindRow, search folders, rules
 * and RopSynchronizationConfigure.)
 */
uint32_t emsmdb_res_from_wire(TALLOC_CTX *mem_ctx, const struct Restriction *in,
			      unsigned depth, struct mapistore_restriction *out);

/**
 * mapistore property -> a row value for column @tag. @tag's type decides
 * (PtypString8 columns get the value in the session code page;
 * PtypUnspecified ones a typed value). A PtypErrorCode property becomes
 * a flagged error value (Flag 0x0A).
 */
uint32_t emsmdb_prop_to_row_value(TALLOC_CTX *mem_ctx, uint32_t tag,
				  const struct mapistore_property *in,
				  struct RowPropertyValue *out);

/** Build a PropertyRow for @tags from @props (same order). */
/** One column @tag of a fed table's row @entry (a permission, a rule). */
typedef void (*emsmdb_fed_column_fn)(const void *entry, const struct emsmdb_table *t,
				     uint32_t tag, struct mapistore_property *p);

/**
 * The row of a table fed by its owner (permissions, rules): the value of
 * each of @t's columns from @entry through @column (on @mem_ctx); every
 * column not found when @entry is NULL (removed since the table was
 * opened). (oxctabl.c)
 */
uint32_t emsmdb_fed_row(TALLOC_CTX *mem_ctx, const struct emsmdb_table *t, const void *entry,
			emsmdb_fed_column_fn column, struct mapistore_property **props_r);

uint32_t emsmdb_props_to_row(TALLOC_CTX *mem_ctx, const uint32_t *tags,
			     uint32_t count, const struct mapistore_property *props,
			     struct PropertyRow *row);

/** mapistore error -> MAPI status ([MS-OXCDATA] 2.4), one place. */
uint32_t emsmdb_ms_ec(enum mapistore_error err);

#endif /* EMSMDB_STORE_H */

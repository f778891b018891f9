/*
 * Identifiers of [MS-OXCDATA] 2.2: LongTermID (2.2.1.3.1), GID (2.2.1.3),
 * XID (2.2.2), PredecessorChangeList (2.2.2.3 / [MS-OXCFXICS] 2.2.2.4), and
 * the EntryIDs of 2.2.4 (Folder, Message, Store Object) and 2.2.5 (One-Off,
 * Address Book, Contact Address, Personal Distribution List) plus the
 * Address Book permanent and ephemeral EntryIDs of [MS-OXNSPI] 2.2.9.2/2.2.9.3.
 *
 * Decoders allocate on mem_ctx and require the buffer to be consumed
 * exactly; encoders return a talloc'd buffer on mem_ctx.
 */
#ifndef OXCDATA_IDS_H
#define OXCDATA_IDS_H

#include "oxcdata_wire.h"

/** 2.2.1.3.1 LongTermID: 24 bytes. */
struct LongTermID {
	uint8_t DatabaseGuid[16];
	uint8_t GlobalCounter[6];
	uint16_t Pad;
};

/** 2.2.1.3 GID: 22 bytes. */
struct GID {
	uint8_t DatabaseGuid[16];
	uint8_t GlobalCounter[6];
};

/** 2.2.2 XID: NamespaceGuid followed by a 1..8 byte LocalId. */
struct XID {
	uint8_t NamespaceGuid[16];
	uint8_t LocalIdSize;    /**< 1..8 */
	uint8_t LocalId[8];
};

/** PredecessorChangeList: a sequence of SizedXid (XidSize u8 + XID). */
struct PredecessorChangeList {
	uint32_t Count;
	struct XID *Xids;
};

enum rop_err oxcdata_pull_ltid(struct oxcdata_pull *pull, struct LongTermID *v);
enum rop_err oxcdata_push_ltid(struct oxcdata_push *push, const struct LongTermID *v);
enum rop_err oxcdata_pull_gid(struct oxcdata_pull *pull, struct GID *v);
enum rop_err oxcdata_push_gid(struct oxcdata_push *push, const struct GID *v);
/** XID of `size` bytes (17..24), as found after an XidSize or in a PtypBinary. */
enum rop_err oxcdata_pull_xid(struct oxcdata_pull *pull, uint32_t size, struct XID *v);
enum rop_err oxcdata_push_xid(struct oxcdata_push *push, const struct XID *v);
enum rop_err oxcdata_pcl_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
				struct PredecessorChangeList **out);
enum rop_err oxcdata_pcl_encode(TALLOC_CTX *mem_ctx, const struct PredecessorChangeList *pcl,
				uint8_t **out, size_t *len_r);

/** Provider UIDs that identify EntryID kinds. */
extern const uint8_t oxcdata_muid_store_wrap[16];     /**< 2.2.4.3 Store Object EntryID */
extern const uint8_t oxcdata_muid_oneoff[16];         /**< 2.2.5.1 One-Off EntryID */
extern const uint8_t oxcdata_muid_addressbook[16];    /**< 2.2.5.2 Address Book EntryID */
extern const uint8_t oxcdata_muid_contab[16];         /**< 2.2.5.3 Contact Address EntryID */

enum oxcdata_entryid_kind {
	EID_UNKNOWN = 0,        /**< any other provider: Flags, ProviderUID, opaque rest */
	EID_FOLDER,             /**< 2.2.4.1 (46 bytes) */
	EID_MESSAGE,            /**< 2.2.4.2 (70 bytes) */
	EID_STORE_OBJECT,       /**< 2.2.4.3 */
	EID_ONE_OFF,            /**< 2.2.5.1 */
	EID_ADDRESS_BOOK,       /**< 2.2.5.2 (also [MS-OXNSPI] permanent, ID type 0x00) */
	EID_EPHEMERAL,          /**< [MS-OXNSPI] 2.2.9.2 (ID type 0x87) */
	EID_CONTACT_ADDRESS,    /**< 2.2.5.3 */
};

/**
 * A decoded EntryID. Which members are meaningful depends on `kind`; the
 * decoder recognises the kind from the ProviderUID (and, for Folder/Message,
 * from the size and FolderType/MessageType values).
 */
struct EntryID {
	enum oxcdata_entryid_kind kind;
	uint8_t Flags[4];               /* ephemeral: ID Type, R1, R2, R3 */
	uint8_t ProviderUID[16];
	union {
		struct {
			uint16_t FolderType;
			uint8_t DatabaseGuid[16];
			uint8_t GlobalCounter[6];
			uint8_t Pad[2];
		} Folder;
		struct {
			uint16_t MessageType;
			uint8_t FolderDatabaseGuid[16];
			uint8_t FolderGlobalCounter[6];
			uint8_t Pad1[2];
			uint8_t MessageDatabaseGuid[16];
			uint8_t MessageGlobalCounter[6];
			uint8_t Pad2[2];
		} Message;
		struct {
			uint8_t Version;
			uint8_t Flag;
			uint8_t DLLFileName[14];
			uint32_t WrappedFlags;
			uint8_t WrappedProviderUID[16];
			uint32_t WrappedType;
			char *ServerShortname;
			char *MailboxDN;        /**< NULL when absent (public store) */
		} StoreObject;
		struct {
			uint16_t Version;
			uint16_t Flags;         /**< 0x8000 U: strings are UTF-16 */
			char *DisplayName;
			char *AddressType;
			char *EmailAddress;
		} OneOff;
		struct {
			uint32_t Version;
			uint32_t Type;          /* DisplayType for [MS-OXNSPI] */
			char *X500DN;
		} AddressBook;
		struct {
			uint32_t R4;
			uint32_t DisplayType;
			uint32_t Mid;
		} Ephemeral;
		struct {
			uint32_t Version;
			uint32_t Type;
			uint32_t Index;
			uint32_t EntryIdCount;
			uint8_t *EntryIdBytes;
		} ContactAddress;
	} u;
	uint32_t RestSize;              /**< EID_UNKNOWN: bytes after ProviderUID */
	uint8_t *Rest;
};

enum rop_err oxcdata_entryid_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
				    struct EntryID **out);
enum rop_err oxcdata_entryid_encode(TALLOC_CTX *mem_ctx, const struct EntryID *eid,
				    uint8_t **out, size_t *len_r);

#endif /* OXCDATA_IDS_H */

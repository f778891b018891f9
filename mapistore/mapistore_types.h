/**
 * @file mapistore_types.h
 * @brief Value types shared by the core API and the backend ABI:
 *        property values ([MS-OXCDATA] 2.11.1), restrictions
 *        ([MS-OXCDATA] 2.12), sort orders ([MS-OXCDATA] 2.13) and the
 *        folder roles a backend offers ([MS-OXOSFLD]).
 *
 * Installed for out-of-tree backends. Everything here is plain data: a
 * value owns its strings/binaries as talloc children of whatever context
 * the producing function documents.
 */
#ifndef MAPISTORE_TYPES_H
#define MAPISTORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef discard_const_p
/** Drop a const qualifier (same definition as Samba's replace.h). */
#define discard_const_p(type, ptr) ((type *)((uintptr_t)(ptr)))
#endif

/* Property types, [MS-OXCDATA] 2.11.1 "Property Data Types". */
#define PtypInteger16    0x0002
#define PtypInteger32    0x0003
#define PtypFloating32   0x0004
#define PtypFloating64   0x0005
#define PtypCurrency     0x0006
#define PtypFloatingTime 0x0007
#define PtypErrorCode    0x000A
#define PtypBoolean      0x000B
#define PtypObject       0x000D
#define PtypInteger64    0x0014
#define PtypString8      0x001E
#define PtypString       0x001F
#define PtypTime         0x0040
#define PtypGuid         0x0048
#define PtypServerId     0x00FB
#define PtypRestriction  0x00FD
#define PtypRuleAction   0x00FE
#define PtypBinary       0x0102
#define PtypMultipleFlag 0x1000 /**< OR-ed into a base type: multi-valued */

#define MAPISTORE_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFF))
#define MAPISTORE_PROP_ID(tag)   ((uint16_t)((tag) >> 16))
#define MAPISTORE_PROP_TAG(id, type) (((uint32_t)(id) << 16) | (uint32_t)(type))

/** Limits every decoder and backend applies to stored values. */
#define MAPISTORE_MAX_PROPERTIES  4096      /**< per object */
#define MAPISTORE_MAX_VALUE_SIZE  (64u << 20) /**< one binary/string */
#define MAPISTORE_MAX_MV_COUNT    65536     /**< values in one multi-value */

/** A counted byte string. */
struct mapistore_binary {
	size_t length;
	uint8_t *data;
};

struct mapistore_mv;

/** One value; which member is valid follows the tag's property type. */
union mapistore_value {
	int16_t i16;   /**< PtypInteger16 */
	int32_t i32;   /**< PtypInteger32, PtypErrorCode (as uint32_t) */
	float f32;     /**< PtypFloating32 */
	double f64;    /**< PtypFloating64, PtypFloatingTime */
	int64_t i64;   /**< PtypInteger64, PtypCurrency, PtypTime (FILETIME) */
	bool b;        /**< PtypBoolean */
	char *str;     /**< PtypString, PtypString8: UTF-8, NUL-terminated */
	struct mapistore_binary bin; /**< PtypBinary, PtypGuid (16 bytes),
				       PtypServerId, PtypRestriction,
				       PtypRuleAction, PtypObject */
	struct mapistore_mv *mv; /**< any type with PtypMultipleFlag */
};

/** Values of a multi-valued property, all of the base type. */
struct mapistore_mv {
	uint32_t count;
	union mapistore_value *values;
};

/** A tagged property value (TaggedPropertyValue, [MS-OXCDATA] 2.11.4). */
struct mapistore_property {
	uint32_t proptag;
	union mapistore_value value;
};

/** A table row: the requested columns, in order. A column the object
 * lacks comes back as PtypErrorCode with ecNotFound (0x8004010F). */
struct mapistore_row {
	uint64_t fmid;      /**< folder or message ID of the row's object */
	uint32_t count;
	struct mapistore_property *props;
};

/** Restriction types, [MS-OXCDATA] 2.12. */
enum mapistore_restriction_type {
	MAPISTORE_RES_AND = 0x00,
	MAPISTORE_RES_OR = 0x01,
	MAPISTORE_RES_NOT = 0x02,
	MAPISTORE_RES_CONTENT = 0x03,
	MAPISTORE_RES_PROPERTY = 0x04,
	MAPISTORE_RES_COMPARE_PROPS = 0x05,
	MAPISTORE_RES_BITMASK = 0x06,
	MAPISTORE_RES_SIZE = 0x07,
	MAPISTORE_RES_EXIST = 0x08,
	MAPISTORE_RES_SUBRESTRICTION = 0x09, /**< 2.12.10, recipients/attachments */
	MAPISTORE_RES_COMMENT = 0x0A,        /**< 2.12.11 */
	MAPISTORE_RES_COUNT = 0x0B,          /**< 2.12.12 */
};

/** Subobject of a SubObjectRestriction ([MS-OXCDATA] 2.12.10.1). */
#define PidTagMessageRecipients  0x0E12000D
#define PidTagMessageAttachments 0x0E13000D

/** RelOp values, [MS-OXCDATA] 2.12.5.1. */
enum mapistore_relop {
	RELOP_LT = 0, RELOP_LE = 1, RELOP_GT = 2, RELOP_GE = 3,
	RELOP_EQ = 4, RELOP_NE = 5, RELOP_RE = 6,
};

/** FuzzyLevelLow/High of a content restriction, [MS-OXCDATA] 2.12.4.1. */
#define FL_FULLSTRING   0x0000
#define FL_SUBSTRING    0x0001
#define FL_PREFIX       0x0002
#define FL_IGNORECASE   0x00010000
#define FL_IGNORENONSPACE 0x00020000
#define FL_LOOSE        0x00040000

/** BitmapRelOp, [MS-OXCDATA] 2.12.7.1. */
#define BMR_EQZ 0x00
#define BMR_NEZ 0x01

/** A restriction tree. Bounded depth: MAPISTORE_MAX_RESTRICTION_DEPTH. */
struct mapistore_restriction {
	enum mapistore_restriction_type type;
	union {
		struct {
			uint32_t count;
			struct mapistore_restriction *res;
		} andor;     /**< AND / OR */
		struct mapistore_restriction *not_res; /**< NOT */
		struct {
			uint32_t fuzzy_level;
			uint32_t proptag;
			struct mapistore_property prop;
		} content;
		struct {
			enum mapistore_relop relop;
			uint32_t proptag;
			struct mapistore_property prop;
		} property;
		struct {
			enum mapistore_relop relop;
			uint32_t proptag1;
			uint32_t proptag2;
		} compare;
		struct {
			uint8_t relop; /**< BMR_EQZ / BMR_NEZ */
			uint32_t proptag;
			uint32_t mask;
		} bitmask;
		struct {
			enum mapistore_relop relop;
			uint32_t proptag;
			uint32_t size;
		} size;
		struct {
			uint32_t proptag;
		} exist;
		/** RES_SUBRESTRICTION: @p res applies to the rows of
		 *  PidTagMessageRecipients or PidTagMessageAttachments; the
		 *  message matches when any row does. */
		struct {
			uint32_t subobject;
			struct mapistore_restriction *res;
		} sub;
		/** RES_COMMENT: tagged values kept for the application, never
		 *  evaluated; matches as @p res does, or always without one. */
		struct {
			uint32_t count;
			struct mapistore_property *props;
			struct mapistore_restriction *res;  /**< NULL: absent */
		} comment;
		/** RES_COUNT: the first @p count objects matching @p res (in
		 *  table order) match. */
		struct {
			uint32_t count;
			struct mapistore_restriction *res;
		} count;
	} u;
};

#define MAPISTORE_MAX_RESTRICTION_DEPTH 32

/** SortOrder, [MS-OXCDATA] 2.13.1. */
#define TABLE_SORT_ASCEND  0x00
#define TABLE_SORT_DESCEND 0x01

struct mapistore_sort_order {
	uint32_t proptag;
	uint8_t order;   /**< TABLE_SORT_ASCEND or TABLE_SORT_DESCEND */
};

/** The roles of the folders a backend offers for a user ([MS-OXOSFLD]). */
enum mapistore_folder_role {
	MAPISTORE_MAIL_ROLE = 0,
	MAPISTORE_DRAFTS_ROLE,
	MAPISTORE_SENTITEMS_ROLE,
	MAPISTORE_OUTBOX_ROLE,
	MAPISTORE_DELETEDITEMS_ROLE,
	MAPISTORE_CALENDAR_ROLE,
	MAPISTORE_CONTACTS_ROLE,
	MAPISTORE_TASKS_ROLE,
	MAPISTORE_NOTES_ROLE,
	MAPISTORE_JOURNAL_ROLE,
	MAPISTORE_FALLBACK_ROLE,
	MAPISTORE_MAX_ROLES
};

/** One folder a backend offers a user, from list_root_folders. */
struct mapistore_root_folder {
	enum mapistore_folder_role role;
	const char *name;   /**< display name, UTF-8 */
	const char *uri;    /**< "<backend>://..." the core stores in indexing */
};

/** Kinds of tables a folder or message opens ([MS-OXCTABL]). */
enum mapistore_table_type {
	MAPISTORE_FOLDER_TABLE = 1,     /**< hierarchy table (subfolders) */
	MAPISTORE_MESSAGE_TABLE = 2,    /**< contents table (normal messages) */
	MAPISTORE_FAI_TABLE = 3,        /**< associated contents table */
	MAPISTORE_RULE_TABLE = 4,
	MAPISTORE_ATTACHMENT_TABLE = 5,
	MAPISTORE_PERMISSIONS_TABLE = 6,
};

/** One ACL entry ([MS-OXCPERM] 2.2.1: PidTagMemberId, Name, Rights). */
struct mapistore_permission {
	int64_t member_id;  /**< 0 = default, -1 = anonymous */
	const char *name;
	uint32_t rights;
};

/** A recipient row ([MS-OXCMSG] 2.2.1 recipient properties). */
struct mapistore_recipient {
	uint32_t row_id;
	uint32_t type;       /**< PidTagRecipientType: MAPI_TO 1, CC 2, BCC 3 */
	uint32_t count;
	struct mapistore_property *props;
};

/*
 * Folder and message IDs, [MS-OXCDATA] 2.2.1.1 (Folder ID) and 2.2.1.2
 * (Message ID): a 2-byte replica ID (REPLID) then a 6-byte GLOBCNT stored
 * big-endian. OpenChange kept these 8 bytes as a uint64 read
 * little-endian, so the replica ID is the low 16 bits and the GLOBCNT
 * bytes, big-endian, fill the top 48 bits: GLOBCNT 1 of replica 1 is
 * 0x0100000000000001. We keep that representation (doc/mapistore.md).
 */

/** Largest GLOBCNT value (48 bits). */
#define MAPISTORE_GLOBCNT_MAX 0x0000FFFFFFFFFFFFULL

/** The uint64 representation of (@p replid, @p globcnt). */
static inline uint64_t mapistore_fmid_make(uint16_t replid, uint64_t globcnt)
{
	uint64_t swapped = 0;
	int i;

	for (i = 0; i < 6; i++) {
		swapped |= ((globcnt >> (8 * i)) & 0xFF) << (8 * (5 - i));
	}
	return (swapped << 16) | replid;
}

/** The GLOBCNT of an FMID in representation form. */
static inline uint64_t mapistore_fmid_globcnt(uint64_t fmid)
{
	uint64_t be = fmid >> 16, globcnt = 0;
	int i;

	for (i = 0; i < 6; i++) {
		globcnt |= ((be >> (8 * i)) & 0xFF) << (8 * (5 - i));
	}
	return globcnt;
}

/** The replica ID of an FMID in representation form. */
static inline uint16_t mapistore_fmid_replid(uint64_t fmid)
{
	return (uint16_t)(fmid & 0xFFFF);
}

#endif /* MAPISTORE_TYPES_H */

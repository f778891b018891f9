/*
 * [MS-OXCDATA] structures as they appear in ROP buffers: property tags and
 * types (2.9, 2.11.1), property values (2.11.2-2.11.6), rows (2.8),
 * PropertyProblem (2.7), PropertyName (2.6.1), restrictions (2.12), sort
 * orders (2.13), TypedString ([MS-OXCROPS] 2.2.6.1.2.1), LongTermID,
 * GID, XID, PredecessorChangeList (2.2.1) and the EntryIDs of 2.2.4/2.2.5.
 *
 * Ownership: every decoder allocates its results on pull->mem_ctx (or the
 * mem_ctx argument); free that context to free everything. Encoders never
 * modify their input. Strings are UTF-8 in memory; PtypString8 values also
 * keep their original bytes so that re-encoding is byte-exact.
 */
#ifndef OXCDATA_H
#define OXCDATA_H

#include "oxcdata_wire.h"

/** Property types, [MS-OXCDATA] 2.11.1. */
enum oxcdata_ptype {
	PtypUnspecified = 0x0000,
	PtypNull = 0x0001,
	PtypInteger16 = 0x0002,
	PtypInteger32 = 0x0003,
	PtypFloating32 = 0x0004,
	PtypFloating64 = 0x0005,
	PtypCurrency = 0x0006,
	PtypFloatingTime = 0x0007,
	PtypErrorCode = 0x000A,
	PtypBoolean = 0x000B,
	PtypObject = 0x000D,        /* also PtypEmbeddedTable */
	PtypInteger64 = 0x0014,
	PtypString8 = 0x001E,
	PtypString = 0x001F,
	PtypTime = 0x0040,
	PtypGuid = 0x0048,
	PtypServerId = 0x00FB,
	PtypRestriction = 0x00FD,
	PtypRuleAction = 0x00FE,
	PtypBinary = 0x0102,
	PtypMultipleInteger16 = 0x1002,
	PtypMultipleInteger32 = 0x1003,
	PtypMultipleFloating32 = 0x1004,
	PtypMultipleFloating64 = 0x1005,
	PtypMultipleCurrency = 0x1006,
	PtypMultipleFloatingTime = 0x1007,
	PtypMultipleInteger64 = 0x1014,
	PtypMultipleString8 = 0x101E,
	PtypMultipleString = 0x101F,
	PtypMultipleTime = 0x1040,
	PtypMultipleGuid = 0x1048,
	PtypMultipleBinary = 0x1102,
};
#define PtypEmbeddedTable PtypObject

/** PropertyTag = PropertyId << 16 | PropertyType ([MS-OXCDATA] 2.9). */
#define OXCDATA_PROP_TAG(id, type) ((uint32_t)(((uint32_t)(id) << 16) | (uint16_t)(type)))
#define OXCDATA_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFF))
#define OXCDATA_PROP_ID(tag) ((uint16_t)((tag) >> 16))

/** True for a property type defined by [MS-OXCDATA] 2.11.1 (incl. PtypUnspecified). */
bool oxcdata_ptype_is_valid(uint16_t ptype);
/** Spec name of a property type ("PtypInteger32"), or NULL. */
const char *oxcdata_ptype_name(uint16_t ptype);

/** COUNT-prefixed byte array (PtypBinary, PtypServerId, PtypObject). */
struct oxcdata_binary {
	uint32_t cb;
	uint8_t *lpb;
};

/** PtypString8 value: UTF-8 for callers, the wire bytes for re-encoding. */
struct oxcdata_string8 {
	char *utf8;     /**< NULL when the bytes are not valid in the code page */
	uint8_t *raw;   /**< original bytes without terminator; NULL for new values */
	uint32_t raw_len;
};

struct Restriction;
struct RuleAction;

/** Multi-valued arrays: value counts are 32-bit in ROP buffers (2.11.1.1). */
struct oxcdata_mv {
	uint32_t Count;
	union {
		uint16_t *i2;
		uint32_t *l;                    /* Integer32, Floating32 bits */
		uint64_t *d;                    /* Floating64, Currency, FloatingTime, Integer64, Time bits */
		char **str;                     /* PtypMultipleString (UTF-8) */
		struct oxcdata_string8 *str8;
		uint8_t (*guid)[16];
		struct oxcdata_binary *bin;
	} v;
};

/** A typed property value ([MS-OXCDATA] 2.11.2 PropertyValue, with its type). */
struct PropertyValue {
	uint16_t PropertyType;
	union {
		uint16_t i2;
		uint32_t l;             /* Integer32, ErrorCode */
		float flt;
		double dbl;             /* Floating64, FloatingTime */
		uint64_t d;             /* Currency, Integer64, Time */
		uint8_t b;              /* Boolean: 1 byte in ROP buffers */
		char *str;              /* PtypString as UTF-8 */
		struct oxcdata_string8 str8;
		uint8_t guid[16];
		struct oxcdata_binary bin;      /* Binary, ServerId, Object */
		struct Restriction *res;
		struct RuleAction *act;
		struct oxcdata_mv mv;
	} u;
};

/** 2.11.4 TaggedPropertyValue. */
struct TaggedPropertyValue {
	uint32_t PropertyTag;
	struct PropertyValue Value;     /* Value.PropertyType == tag's type */
};

/** Value inside a row: flagged (2.11.5) and/or typed (2.11.3, 2.11.6). */
struct RowPropertyValue {
	uint8_t Flag;           /**< FlaggedPropertyValue.Flag: 0x00 value, 0x01 none, 0x0A error */
	bool Typed;             /**< column was PtypUnspecified: the type is on the wire */
	struct PropertyValue Value;
};

/** 2.8.1 PropertyRow: StandardPropertyRow (Flag 0x00) or FlaggedPropertyRow (0x01). */
struct PropertyRow {
	uint8_t Flag;
	uint32_t ValueCount;
	struct RowPropertyValue *Values;
};

/** 2.7 PropertyProblem. */
struct PropertyProblem {
	uint16_t Index;
	uint32_t PropertyTag;
	uint32_t ErrorCode;
};

/** 2.6.1 PropertyName. Kind 0x00 = LID, 0x01 = string name, 0xFF = none. */
struct PropertyName {
	uint8_t Kind;
	uint8_t Guid[16];
	uint32_t LID;           /**< Kind == 0x00 */
	uint8_t NameSize;       /**< Kind == 0x01: bytes of Name incl. terminator */
	char *Name;             /**< Kind == 0x01, UTF-8 */
};

/** 2.13.1 SortOrder. */
struct SortOrder {
	uint16_t PropertyType;
	uint16_t PropertyId;
	uint8_t Order;
};

/** [MS-OXCROPS] 2.2.6.1.2.1 TypedString. StringType 0..4. */
struct TypedString {
	uint8_t StringType;     /**< 0 none, 1 empty, 2 8-bit, 3 reduced Unicode, 4 Unicode */
	char *String;           /**< types 2..4; UTF-8 for 4, bytes for 2 and 3 */
};

/** 2.12 RestrictType values. */
enum oxcdata_restrict_type {
	RES_AND = 0x00, RES_OR = 0x01, RES_NOT = 0x02, RES_CONTENT = 0x03,
	RES_PROPERTY = 0x04, RES_COMPAREPROPS = 0x05, RES_BITMASK = 0x06,
	RES_SIZE = 0x07, RES_EXIST = 0x08, RES_SUBRESTRICTION = 0x09,
	RES_COMMENT = 0x0A, RES_COUNT = 0x0B,
};

/** 2.12 restrictions (counts are 16-bit in ROP buffers). */
struct Restriction {
	uint8_t RestrictType;
	union {
		struct { uint16_t RestrictCount; struct Restriction *Restricts; } And; /* and Or */
		struct { struct Restriction *Restriction; } Not;
		struct { uint16_t FuzzyLevelLow; uint16_t FuzzyLevelHigh; uint32_t PropertyTag;
			 struct TaggedPropertyValue TaggedValue; } Content;
		struct { uint8_t RelOp; uint32_t PropTag; struct TaggedPropertyValue TaggedValue; } Property;
		struct { uint8_t RelOp; uint32_t PropTag1; uint32_t PropTag2; } CompareProperties;
		struct { uint8_t BitmapRelOp; uint32_t PropTag; uint32_t Mask; } Bitmask;
		struct { uint8_t RelOp; uint32_t PropTag; uint32_t Size; } Size;
		struct { uint32_t PropTag; } Exist;
		struct { uint32_t Subobject; struct Restriction *Restriction; } SubObject;
		struct { uint8_t TaggedValuesCount; struct TaggedPropertyValue *TaggedValues;
			 uint8_t RestrictionPresent; struct Restriction *Restriction; } Comment;
		struct { uint32_t Count; struct Restriction *SubRestriction; } Count;
	} u;
};

/** [MS-OXORULE] 2.2.5.1 ActionBlock; ActionData kept opaque at this layer. */
struct ActionBlock {
	uint16_t ActionLength;
	uint8_t ActionType;
	uint32_t ActionFlavor;
	uint32_t ActionFlags;
	uint32_t ActionDataSize;        /**< ActionLength - 9 */
	uint8_t *ActionData;
};

/** [MS-OXORULE] 2.2.5 RuleAction (PtypRuleAction); counts 16-bit in ROPs. */
struct RuleAction {
	uint16_t NoOfActions;
	struct ActionBlock *ActionBlocks;
};

/* ---- primitives over the cursors ---- */

enum rop_err oxcdata_pull_value(struct oxcdata_pull *pull, uint16_t ptype,
				struct PropertyValue *v);
enum rop_err oxcdata_push_value(struct oxcdata_push *push, const struct PropertyValue *v);
/** 2.11.3 TypedPropertyValue (type + value). */
enum rop_err oxcdata_pull_typed_value(struct oxcdata_pull *pull, struct PropertyValue *v);
enum rop_err oxcdata_push_typed_value(struct oxcdata_push *push, const struct PropertyValue *v);
enum rop_err oxcdata_pull_tagged_value(struct oxcdata_pull *pull, struct TaggedPropertyValue *v);
enum rop_err oxcdata_push_tagged_value(struct oxcdata_push *push,
				       const struct TaggedPropertyValue *v);
/** count TaggedPropertyValues (count read by the caller, bounded here). */
enum rop_err oxcdata_pull_tagged_values(struct oxcdata_pull *pull, uint32_t count,
					struct TaggedPropertyValue **out);
enum rop_err oxcdata_push_tagged_values(struct oxcdata_push *push, uint32_t count,
					const struct TaggedPropertyValue *v);

/** PropertyRow for the given column tags (2.8.1). */
enum rop_err oxcdata_pull_row(struct oxcdata_pull *pull, const uint32_t *columns,
			      uint32_t column_count, struct PropertyRow *row);
enum rop_err oxcdata_push_row(struct oxcdata_push *push, const struct PropertyRow *row);

enum rop_err oxcdata_pull_problem(struct oxcdata_pull *pull, struct PropertyProblem *p);
enum rop_err oxcdata_push_problem(struct oxcdata_push *push, const struct PropertyProblem *p);
enum rop_err oxcdata_pull_propname(struct oxcdata_pull *pull, struct PropertyName *n);
enum rop_err oxcdata_push_propname(struct oxcdata_push *push, const struct PropertyName *n);
enum rop_err oxcdata_pull_sortorder(struct oxcdata_pull *pull, struct SortOrder *s);
enum rop_err oxcdata_push_sortorder(struct oxcdata_push *push, const struct SortOrder *s);
enum rop_err oxcdata_pull_typedstring(struct oxcdata_pull *pull, struct TypedString *s);
enum rop_err oxcdata_push_typedstring(struct oxcdata_push *push, const struct TypedString *s);

/**
 * 2.12 Restriction. Nesting (restrictions and property values inside them)
 * is limited to OXCDATA_MAX_DEPTH -> ROP_ERR_DEPTH.
 */
enum rop_err oxcdata_pull_restriction(struct oxcdata_pull *pull, struct Restriction *r);
enum rop_err oxcdata_push_restriction(struct oxcdata_push *push, const struct Restriction *r);

/* ---- whole-buffer helpers (the buffer must be consumed exactly) ---- */

/** Decode a restriction occupying exactly [data, data+len). */
enum rop_err oxcdata_restriction_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
					size_t len, struct Restriction **out);
enum rop_err oxcdata_restriction_encode(TALLOC_CTX *mem_ctx, const struct Restriction *r,
					uint8_t **out, size_t *len_r);

#endif /* OXCDATA_H */

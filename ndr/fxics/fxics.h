/*
 * FastTransfer streams, [MS-OXCFXICS] 2.2.4: markers (2.2.4.1.4),
 * meta-properties (2.2.4.1.5) and ICS state properties (2.2.1.1, 2.2.1.3),
 * property serialization in streams (2.2.4.1.1-2.2.4.1.3), a streaming
 * encoder that can be cut into RopFastTransferSourceGetBuffer-sized buffers
 * only where 2.2.4.1 allows it, a pull decoder that accepts the stream in
 * arbitrary pieces, and a validator of the syntactic structure (2.2.4.2).
 *
 * Property values reuse the [MS-OXCDATA] model of ndr/rop (struct
 * PropertyValue); only the stream encoding differs:
 *   - PtypBoolean takes 2 bytes ("01 00" / "00 00"), 2.2.4.1.3;
 *   - varSizeValue (PtypString, PtypString8, PtypBinary, PtypServerId,
 *     PtypObject) is preceded by a 32-bit byte length, mvPropType by a
 *     32-bit value count, each variable-size element by a 32-bit length;
 *   - PtypString8 is in the stream's code page; code page property types
 *     0x8000 | CodePageId (2.2.4.1.1.1) carry strings in that code page;
 *   - named properties (PropertyId >= 0x8000) are followed by propertySet
 *     (GUID), a kind byte and a dispid (u32) or a null-terminated UTF-16 name;
 *   - MetaTagIdsetGiven is tagged PtypInteger32 (0x40170003) but its value
 *     is a length-prefixed byte array (2.2.1.1.1, 3.2.5.2.1).
 * PtypNull, PtypUnspecified, PtypRestriction and PtypRuleAction cannot
 * appear in a FastTransfer stream (ROP_ERR_BAD_PROPTYPE).
 *
 * Errors are the closed set `enum rop_err` of ndr/rop (oxcdata_wire.h).
 * Ownership: everything is talloc'd on the context given; free it to free
 * all. Nothing allocated on a failed call outlives it.
 */
#ifndef FXICS_H
#define FXICS_H

#include "oxcdata.h"

/* ---- markers, [MS-OXCFXICS] 2.2.4.1.4 ---- */

enum fxics_marker {
	StartTopFld = 0x40090003,
	EndFolder = 0x400B0003,
	StartSubFld = 0x400A0003,
	StartMessage = 0x400C0003,
	EndMessage = 0x400D0003,
	StartFAIMsg = 0x40100003,
	StartEmbed = 0x40010003,
	EndEmbed = 0x40020003,
	StartRecip = 0x40030003,
	EndToRecip = 0x40040003,
	NewAttach = 0x40000003,
	EndAttach = 0x400E0003,
	IncrSyncChg = 0x40120003,
	IncrSyncChgPartial = 0x407D0003,
	IncrSyncDel = 0x40130003,
	IncrSyncEnd = 0x40140003,
	IncrSyncRead = 0x402F0003,
	IncrSyncStateBegin = 0x403A0003,
	IncrSyncStateEnd = 0x403B0003,
	IncrSyncProgressMode = 0x4074000B,
	IncrSyncProgressPerMsg = 0x4075000B,
	IncrSyncMessage = 0x40150003,
	IncrSyncGroupInfo = 0x407B0102,
	FXErrorInfo = 0x40180003,
};

/* ---- meta-properties, 2.2.4.1.5, and ICS state properties, 2.2.1 ---- */

enum fxics_metatag {
	MetaTagFXDelProp = 0x40160003,
	MetaTagEcWarning = 0x400F0003,
	MetaTagNewFXFolder = 0x40110102,
	MetaTagIncrSyncGroupId = 0x407C0003,
	MetaTagIncrementalSyncMessagePartial = 0x407A0003,
	MetaTagDnPrefix = 0x4008001E,
	MetaTagIdsetGiven = 0x40170003,         /**< value is a byte array, see above */
	MetaTagCnsetSeen = 0x67960102,
	MetaTagCnsetSeenFAI = 0x67DA0102,
	MetaTagCnsetRead = 0x67D20102,
	MetaTagIdsetDeleted = 0x67E50102,
	MetaTagIdsetNoLongerInScope = 0x40210102,
	MetaTagIdsetExpired = 0x67930102,
	MetaTagIdsetRead = 0x402D0102,
	MetaTagIdsetUnread = 0x402E0102,
};

/** Properties the grammar refers to (values of MetaTagFXDelProp, 2.2.1.7). */
#define FXICS_PidTagContainerHierarchy 0x360E000DU
#define FXICS_PidTagContainerContents 0x360F000DU
#define FXICS_PidTagFolderAssociatedContents 0x3610000DU
#define FXICS_PidTagMessageRecipients 0x0E12000DU
#define FXICS_PidTagMessageAttachments 0x0E13000DU
#define FXICS_PidTagAttachNumber 0x0E210003U

/** Code page property type, 2.2.4.1.1.1: bit 0x8000 + CodePageId. */
#define FXICS_CODEPAGE_FLAG 0x8000
#define FXICS_IS_CODEPAGE_TYPE(ptype) (((ptype) & FXICS_CODEPAGE_FLAG) != 0)

/** Spec name of a marker ("StartTopFld"), or NULL. */
const char *fxics_marker_name(uint32_t tag);
/** Spec name of a meta-property / ICS state property, or NULL. */
const char *fxics_metatag_name(uint32_t tag);
bool fxics_is_marker(uint32_t tag);
bool fxics_is_metatag(uint32_t tag);
/** Number of markers / meta-properties and the i-th value (for tests and tools). */
size_t fxics_marker_count(void);
uint32_t fxics_marker_at(size_t i);
size_t fxics_metatag_count(void);
uint32_t fxics_metatag_at(size_t i);

/* ---- atoms ---- */

enum fxics_atom_kind {
	FXICS_ATOM_MARKER = 1,  /**< marker: 4 bytes, no value */
	FXICS_ATOM_PROPERTY,    /**< propValue of a property */
	FXICS_ATOM_META,        /**< propValue of a meta-property / ICS state property */
};

/** Atom flags. */
#define FXICS_ATOM_UNTERMINATED 0x01    /**< PtypString value had no terminating null on the wire */

/**
 * One lexical element of the stream. For properties, PropertyTag is the tag
 * as written on the wire: its type may be a code page type (0x8000 | cp), in
 * which case Value.PropertyType is PtypString8 (raw bytes kept in
 * Value.u.str8.raw, converted with that code page into utf8 when possible).
 * For MetaTagIdsetGiven, Value.PropertyType is PtypBinary.
 */
struct fxics_atom {
	enum fxics_atom_kind kind;
	uint32_t PropertyTag;
	struct PropertyName *Name;      /**< PropertyId >= 0x8000 only (Kind 0x00 or 0x01) */
	uint8_t Flags;
	struct PropertyValue Value;
};

/** Size of a marker on the wire: the smallest buffer the encoder can ever produce. */
#define FXICS_MARKER_SIZE 4

/* ---- encoder ---- */

struct fxics_encoder;

/**
 * New encoder on mem_ctx. codepage: code page of PtypString8 values
 * (0 = 1252). The encoder keeps produced bytes until they are taken with
 * fxics_encoder_next_buffer().
 */
struct fxics_encoder *fxics_encoder_new(TALLOC_CTX *mem_ctx, uint32_t codepage);

/** Append a marker (must be one of 2.2.4.1.4, else ROP_ERR_INVALID). */
enum rop_err fxics_encoder_marker(struct fxics_encoder *enc, uint32_t marker);
/**
 * Append a propValue. tag's type must match v->PropertyType, except for code
 * page types (v is PtypString8 or PtypString) and MetaTagIdsetGiven (v is
 * PtypBinary). name is required iff PropertyId >= 0x8000.
 */
enum rop_err fxics_encoder_property(struct fxics_encoder *enc, uint32_t tag,
				    const struct PropertyName *name,
				    const struct PropertyValue *v);
/** Append any atom (marker, property or meta-property). */
enum rop_err fxics_encoder_atom(struct fxics_encoder *enc, const struct fxics_atom *a);
/** Shorthands for meta-properties with a 32-bit value (FXDelProp, EcWarning, ...). */
enum rop_err fxics_encoder_meta_u32(struct fxics_encoder *enc, uint32_t metatag, uint32_t value);
/** Meta-properties / ICS state properties whose value is a byte array. */
enum rop_err fxics_encoder_meta_binary(struct fxics_encoder *enc, uint32_t metatag,
				       const uint8_t *data, uint32_t len);

/** Bytes produced and not yet taken. */
size_t fxics_encoder_pending(const struct fxics_encoder *enc);
/** Total bytes produced since creation. */
uint64_t fxics_encoder_total(const struct fxics_encoder *enc);

/**
 * Take the next buffer of at most max_size bytes: the longest prefix of the
 * pending bytes that ends where 2.2.4.1 allows a split (see doc/fxics.md):
 * between elements, between the elements of a multi-valued value, and
 * inside a varSizeValue (PtypString payloads only between UTF-16 code
 * units); never inside a marker, a property tag, propInfo, a length or a
 * fixedSizeValue. *data_r points into the encoder and stays valid until the
 * next call on enc. Returns ROP_ERR_TOO_BIG when max_size cannot hold the
 * next indivisible unit; *len_r == 0 when nothing is pending.
 */
enum rop_err fxics_encoder_next_buffer(struct fxics_encoder *enc, size_t max_size,
				       const uint8_t **data_r, size_t *len_r);

/* ---- syntactic helpers of 2.2.4.2 (encoder side) ---- */

/** A propList: atoms of kind PROPERTY or META. */
struct fxics_proplist {
	uint32_t Count;
	struct fxics_atom *Atoms;
};

struct fxics_message;

/** 2.2.4.3.2 attachment: NewAttach PidTagAttachNumber attachmentContent EndAttach. */
struct fxics_attachment {
	uint32_t AttachNumber;
	struct fxics_proplist Props;            /**< without PidTagAttachNumber */
	struct fxics_message *Embedded;         /**< embeddedMessage, or NULL */
};

/** messageContent: propList messageChildren (recipients, attachments). */
struct fxics_message {
	bool FAI;                               /**< StartFAIMsg instead of StartMessage */
	struct fxics_proplist Props;
	bool DelPropRecipients;                 /**< MetaTagFXDelProp PidTagMessageRecipients */
	uint32_t RecipientCount;
	struct fxics_proplist *Recipients;
	bool DelPropAttachments;                /**< MetaTagFXDelProp PidTagMessageAttachments */
	uint32_t AttachmentCount;
	struct fxics_attachment *Attachments;
};

/** [MS-OXCFXICS] 2.2.2.1 ProgressInformation (32 bytes). */
struct ProgressInformation {
	uint16_t Version;
	uint16_t Padding1;
	uint32_t FAIMessageCount;
	uint64_t FAIMessageTotalSize;
	uint32_t NormalMessageCount;
	uint32_t Padding2;
	uint64_t NormalMessageTotalSize;
};

enum rop_err fxics_encoder_proplist(struct fxics_encoder *enc, const struct fxics_proplist *l);
/** messageContent (no start/end marker). */
enum rop_err fxics_encoder_message_content(struct fxics_encoder *enc,
					  const struct fxics_message *m);
/** message = (StartMessage / StartFAIMsg) messageContent EndMessage. */
enum rop_err fxics_encoder_message(struct fxics_encoder *enc, const struct fxics_message *m);
/** progressTotal = IncrSyncProgressMode propList(0x00000102 ProgressInformation). */
enum rop_err fxics_encoder_progress_total(struct fxics_encoder *enc,
					  const struct ProgressInformation *p);
/** progressPerMessage = IncrSyncProgressPerMsg (0x00000003 size, 0x0000000B FAI). */
enum rop_err fxics_encoder_progress_per_message(struct fxics_encoder *enc,
						uint32_t message_size, bool fai);
/** messageChangeFull = IncrSyncChg header IncrSyncMessage propList messageChildren. */
enum rop_err fxics_encoder_message_change_full(struct fxics_encoder *enc,
					       const struct fxics_proplist *header,
					       const struct fxics_message *m);
/**
 * messageChangePartial = groupInfo [MetaTagIncrSyncGroupId] IncrSyncChgPartial
 * header *(MetaTagIncrementalSyncMessagePartial propList) messageChildren.
 * group_info (PropertyGroupInfo bytes) may be NULL to omit the groupInfo.
 */
enum rop_err fxics_encoder_message_change_partial(struct fxics_encoder *enc,
						  const uint8_t *group_info, uint32_t group_info_len,
						  uint32_t group_id,
						  const struct fxics_proplist *header,
						  uint32_t group_count, const uint32_t *group_index,
						  const struct fxics_proplist *groups,
						  const struct fxics_message *children);
/** folderChange = IncrSyncChg propList. */
enum rop_err fxics_encoder_folder_change(struct fxics_encoder *enc,
					 const struct fxics_proplist *l);
/** deletions = IncrSyncDel propList. */
enum rop_err fxics_encoder_deletions(struct fxics_encoder *enc, const struct fxics_proplist *l);
/** readStateChanges = IncrSyncRead propList. */
enum rop_err fxics_encoder_read_state_changes(struct fxics_encoder *enc,
					      const struct fxics_proplist *l);
/** state = IncrSyncStateBegin propList IncrSyncStateEnd. */
enum rop_err fxics_encoder_state(struct fxics_encoder *enc, const struct fxics_proplist *l);

/* ---- decoder ---- */

struct fxics_decoder;

/** Largest atom the decoder buffers (bounds every length from the wire). */
#define FXICS_DEFAULT_MAX_ATOM (64u * 1024u * 1024u)

/**
 * New pull decoder on mem_ctx. codepage as for the encoder; max_atom bounds
 * the size of one element (0 = FXICS_DEFAULT_MAX_ATOM): a longer length or
 * value count from the wire gives ROP_ERR_TOO_BIG before anything is sized.
 */
struct fxics_decoder *fxics_decoder_new(TALLOC_CTX *mem_ctx, uint32_t codepage, size_t max_atom);

/** Queue the next piece of the stream (copied). A piece may end anywhere. */
enum rop_err fxics_decoder_feed(struct fxics_decoder *dec, const uint8_t *data, size_t len);

/**
 * Next complete atom, allocated on mem_ctx. ROP_OK with *atom_r == NULL when
 * more input is needed. After an error the decoder is unusable (every
 * further call returns the same error).
 */
enum rop_err fxics_decoder_next(struct fxics_decoder *dec, TALLOC_CTX *mem_ctx,
				struct fxics_atom **atom_r);

/** End of stream: ROP_OK if no partial element is pending, else ROP_ERR_TRUNCATED. */
enum rop_err fxics_decoder_finish(const struct fxics_decoder *dec);
/** Stream offset of the next byte to be parsed (for error reports). */
uint64_t fxics_decoder_offset(const struct fxics_decoder *dec);

/**
 * One-shot: every atom of a complete stream. *atoms_r is one talloc array on
 * mem_ctx (values are its children; NULL when count is 0). The stream must
 * end at an element boundary (else ROP_ERR_TRUNCATED).
 */
enum rop_err fxics_decode_all(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			      uint32_t codepage, struct fxics_atom **atoms_r, size_t *count_r);

/** Deep equality of two atoms (tags, names, values, flags). */
bool fxics_atom_equal(const struct fxics_atom *a, const struct fxics_atom *b);

/* ---- grammar, 2.2.4.2 ---- */

enum fxics_root {
	FXICS_ROOT_CONTENTS_SYNC = 1,
	FXICS_ROOT_HIERARCHY_SYNC,
	FXICS_ROOT_STATE,
	FXICS_ROOT_FOLDER_CONTENT,
	FXICS_ROOT_MESSAGE_CONTENT,
	FXICS_ROOT_ATTACHMENT_CONTENT,
	FXICS_ROOT_MESSAGE_LIST,
	FXICS_ROOT_TOP_FOLDER,
};

/** Maximum nesting of subfolders / embedded messages the validator follows. */
#define FXICS_MAX_DEPTH 32

/**
 * Check that atoms[0..count) is exactly one `root` of 2.2.4.2. Returns
 * ROP_OK, ROP_ERR_FORMAT (with *error_index_r = index of the first atom that
 * does not fit, == count when the sequence ends early) or ROP_ERR_DEPTH.
 */
enum rop_err fxics_grammar_validate(enum fxics_root root, const struct fxics_atom *atoms,
				    size_t count, size_t *error_index_r);

#endif /* FXICS_H */

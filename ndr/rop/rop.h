/*
 * ROP codec: requests and responses of every ROP of [MS-OXCROPS] 2.2, and
 * the ROP input/output buffers of [MS-OXCROPS] 2.2.1 (RopSize, RopsList,
 * ServerObjectHandleTable) carried in EcDoRpcExt2 rgbIn/rgbOut after the
 * RPC_HEADER_EXT framing of [MS-OXCRPC] 3.1.4.2.
 *
 * The fixed layouts are declared in gen/rops.def and interpreted by one
 * generic codec; the parts that depend on context (table columns, the
 * request of a response, the logon kind, the code page) are hand-written
 * and take that context from struct rop_ctx (doc/rop-codec.md).
 *
 * Ownership: decoders allocate every result on the mem_ctx they are given;
 * encoders never modify their input and return a buffer on mem_ctx.
 */
#ifndef ROP_H
#define ROP_H

#include "oxcdata.h"
#include "oxcdata_ids.h"

/** [MS-OXCSTOR] 2.2.1.1.3 LogonTime. */
struct LogonTime {
	uint8_t Seconds;
	uint8_t Minutes;
	uint8_t Hour;
	uint8_t DayOfWeek;
	uint8_t Day;
	uint8_t Month;
	uint16_t Year;
};

/** [MS-OXCDATA] 2.8.3.1 RecipientFlags bits. */
#define RecipientFlags_R 0x0080         /**< responsibility */
#define RecipientFlags_S 0x0040         /**< send no rich info */
#define RecipientFlags_T 0x0020         /**< TransmittableDisplayName present */
#define RecipientFlags_D 0x0010         /**< DisplayName present */
#define RecipientFlags_E 0x0008         /**< EmailAddress present */
#define RecipientFlags_Type 0x0007      /**< address type mask */
#define RecipientFlags_O 0x8000         /**< AddressType present (Type == NoType) */
#define RecipientFlags_I 0x0400         /**< SimpleDisplayName present */
#define RecipientFlags_U 0x0200         /**< strings are UTF-16 */
#define RecipientFlags_N 0x0100         /**< non-rich */
#define RecipientType_NoType 0x0
#define RecipientType_X500DN 0x1
#define RecipientType_PersonalDistributionList1 0x6
#define RecipientType_PersonalDistributionList2 0x7

/**
 * [MS-OXCDATA] 2.8.3.2 RecipientRow. Strings are UTF-8 when U is set,
 * otherwise the 8-bit bytes as sent. RecipientProperties holds the first
 * RecipientColumnCount columns; when the columns were not known at decode
 * time the property row is kept as RawProperties instead.
 */
struct RecipientRow {
	uint16_t RecipientFlags;
	uint8_t AddressPrefixUsed;
	uint8_t DisplayType;
	char *X500DN;
	uint16_t EntryIdSize;
	uint8_t *EntryId;
	uint16_t SearchKeySize;
	uint8_t *SearchKey;
	char *AddressType;
	char *EmailAddress;
	char *DisplayName;
	char *SimpleDisplayName;
	char *TransmittableDisplayName;
	uint16_t RecipientColumnCount;
	struct PropertyRow RecipientProperties;
	uint32_t RawPropertiesSize;
	uint8_t *RawProperties;
};

/** RecipientRows element of RopOpenMessage / RopReloadCachedInformation / RopOpenEmbeddedMessage. */
struct OpenRecipientRow {
	uint8_t RecipientType;
	uint16_t CodePageId;
	uint16_t Reserved;
	uint16_t RecipientRowSize;
	struct RecipientRow RecipientRow;
};

/** RecipientRows element of RopModifyRecipients ([MS-OXCROPS] 2.2.6.5.1.1). */
struct ModifyRecipientRow {
	uint32_t RowId;
	uint8_t RecipientType;
	uint16_t RecipientRowSize;
	struct RecipientRow *RecipientRow;      /**< NULL when RecipientRowSize is 0 */
};

/** RecipientRows element of RopReadRecipients ([MS-OXCROPS] 2.2.6.6.2.1). */
struct ReadRecipientRow {
	uint32_t RowId;
	uint8_t RecipientType;
	uint16_t CodePageId;
	uint16_t Reserved;
	uint16_t RecipientRowSize;
	struct RecipientRow RecipientRow;
};

/** NotificationFlags: NotificationType (low 12 bits) and the T/U/S/M bits. */
#define NotificationType_Mask 0x0FFF
#define fnevCriticalError 0x0001
#define fnevNewMail 0x0002
#define fnevObjectCreated 0x0004
#define fnevObjectDeleted 0x0008
#define fnevObjectModified 0x0010
#define fnevObjectMoved 0x0020
#define fnevObjectCopied 0x0040
#define fnevSearchComplete 0x0080
#define fnevTableModified 0x0100
#define fnevStatusObjectModified 0x0200
#define fnevReserved 0x0400
#define NotificationFlags_T 0x1000      /**< TotalMessageCount present */
#define NotificationFlags_U 0x2000      /**< UnreadMessageCount present */
#define NotificationFlags_S 0x4000      /**< search folder */
#define NotificationFlags_M 0x8000      /**< message (not folder) */
#define TableEventType_TableChanged 0x0001
#define TableEventType_TableRowAdded 0x0003
#define TableEventType_TableRowDeleted 0x0004
#define TableEventType_TableRowModified 0x0005
#define TableEventType_TableRestrictionChanged 0x0007

/**
 * [MS-OXCROPS] 2.2.14.2.1.1 NotificationData. Which members are on the
 * wire follows from NotificationFlags (and TableEventType); absent members
 * are zero. TableRowData needs the table's columns (rop_ctx.columns);
 * without them the row is kept as RawTableRowData. On encode, a NULL
 * RawTableRowData with a nonzero TableRowDataSize means "encode
 * TableRowData" (the size is then recomputed).
 */
struct NotificationData {
	uint16_t NotificationFlags;
	uint16_t TableEventType;
	uint64_t TableRowFolderID;
	uint64_t TableRowMessageID;
	uint32_t TableRowInstance;
	uint64_t InsertAfterTableRowFolderID;
	uint64_t InsertAfterTableRowID;
	uint32_t InsertAfterTableRowInstance;
	uint16_t TableRowDataSize;
	struct PropertyRow TableRowData;
	uint8_t *RawTableRowData;
	uint64_t FolderId;
	uint64_t MessageId;
	uint64_t ParentFolderId;
	uint64_t OldFolderId;
	uint64_t OldMessageId;
	uint64_t OldParentFolderId;
	uint16_t TagCount;
	uint32_t *Tags;
	uint32_t TotalMessageCount;
	uint32_t UnreadMessageCount;
	uint32_t MessageFlags;
	uint8_t UnicodeFlag;
	char *MessageClass;
};

#include "rop_gen.h"

/** Return values used by the codec's response variants ([MS-OXCDATA] 2.4). */
#define ecWrongServer 0x00000478
#define ecDstNullObject 0x00000503
#define ecServerBusy 0x00000480
#define ecWarnWithErrors 0x00040380

/** One ROP request: RopId, LogonId, then the ROP's own fields. */
struct rop_request {
	uint8_t RopId;
	uint8_t LogonId;
	union rop_request_u u;
};

/** One ROP response: RopId, then the ROP's own fields. */
struct rop_response {
	uint8_t RopId;
	union rop_response_u u;
};

/** Static description of a ROP ([MS-OXCROPS] 2.2.2 table). */
struct rop_info_public {
	uint8_t RopId;
	const char *name;               /**< "RopLogon" */
	const char *section;            /**< "2.2.3.1" */
	uint16_t min_request_size;      /**< bytes incl. RopId and LogonId; 0 if no request */
	bool has_request;               /**< false for RopNotify, RopPending, RopBackoff, RopBufferTooSmall */
	bool has_response;              /**< false for RopRelease */
};

/** Table lookup; NULL for a RopId that [MS-OXCROPS] 2.2 does not define. */
const struct rop_info_public *rop_info(uint8_t rop_id);

struct rop_ctx_hooks;

/**
 * Context for the parts of a ROP whose layout is not self-describing.
 * Zero-initialise and fill what you know; see doc/rop-codec.md.
 */
struct rop_ctx {
	/** Code page of PtypString8 values; 0 means 1252. */
	uint32_t codepage;
	/** Logon kind used when no hook answers (RopSetMessageReadFlag,
	 *  RopWritePerUserInformation requests; RopLogon response without request). */
	bool logon_private;
	/** Response decode/encode: the request this response answers. */
	const struct rop_request *request;
	/** Table columns for RopQueryRows/RopFindRow/RopExpandRow rows and
	 *  RopNotify TableRowData; recipient columns for RopReadRecipients. */
	const uint32_t *columns;
	uint32_t column_count;
	/** Optional callbacks used by the buffer-level decoders. */
	const struct rop_ctx_hooks *hooks;
	void *hooks_data;
};

struct rop_ctx_hooks {
	/** Is the logon with this LogonId a private mailbox logon? */
	bool (*logon_is_private)(void *data, uint8_t logon_id);
	/**
	 * Columns of the table object behind `handle_index` of `request`
	 * (RopQueryRows, RopFindRow, RopExpandRow, RopReadRecipients), or of
	 * the subscription `notification_handle` when request is NULL (RopNotify).
	 * Return false if unknown.
	 */
	bool (*columns)(void *data, const struct rop_request *request,
			uint32_t notification_handle, const uint32_t **tags_r,
			uint32_t *count_r);
};

/* ---- one ROP ---- */

/**
 * Decode one ROP request at the cursor. An unknown RopId gives
 * ROP_ERR_UNKNOWN_ROP with pull->offset left on the RopId, so that the
 * caller can apply [MS-OXCROPS] 2.2.2 / 3.2.5.x behaviour.
 */
enum rop_err rop_request_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			      struct rop_request *req);
enum rop_err rop_request_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			      const struct rop_request *req);
/** Decode one ROP response; ctx->request should be the matching request. */
enum rop_err rop_response_pull(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			       struct rop_response *resp);
enum rop_err rop_response_push(struct oxcdata_push *push, const struct rop_ctx *ctx,
			       const struct rop_response *resp);

/* ---- ROP buffers, [MS-OXCROPS] 2.2.1 ---- */

/** A decoded ROP input or output buffer. */
struct rop_buffer {
	uint16_t RopSize;               /**< as on the wire (includes itself) */
	uint32_t count;                 /**< requests or responses */
	struct rop_request *requests;   /**< input buffer */
	struct rop_response *responses; /**< output buffer */
	uint32_t handle_count;
	uint32_t *ServerObjectHandleTable;
};

/**
 * Decode a whole ROP input buffer: RopSize, every request of RopsList and
 * the ServerObjectHandleTable (the rest, a multiple of 4 bytes). On error
 * *out is NULL and, if failed_offset_r is given, it receives the offset of
 * the ROP that failed (for ROP_ERR_UNKNOWN_ROP: of its RopId).
 */
enum rop_err rop_buffer_decode_requests(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
					const struct rop_ctx *ctx, struct rop_buffer **out,
					size_t *failed_offset_r);
/** Encode requests (client side). */
enum rop_err rop_buffer_encode_requests(TALLOC_CTX *mem_ctx, const struct rop_buffer *in,
					const struct rop_ctx *ctx, uint8_t **out, size_t *len_r);

/**
 * Encode responses + handle table into an output buffer of at most
 * max_size bytes (0 = 0xFFFF, the RopSize limit). Responses are added in
 * order while they fit together with the handle table; *encoded_r tells how
 * many did. When it is less than in->count the server should answer the
 * rest with RopBufferTooSmall ([MS-OXCROPS] 2.2.15.1, [MS-OXCRPC]
 * 3.1.4.2.1.1.1); rop_buffer_too_small() builds that response.
 * ctx->request is taken from `requests` (parallel to in->responses, may be
 * NULL) for ROPs whose layout depends on the request.
 */
enum rop_err rop_buffer_encode_responses(TALLOC_CTX *mem_ctx, const struct rop_buffer *in,
					 const struct rop_request *const *requests,
					 const struct rop_ctx *ctx, size_t max_size,
					 uint8_t **out, size_t *len_r, uint32_t *encoded_r);

/**
 * Build the RopBufferTooSmall response: SizeNeeded and the unprocessed
 * request bytes (RequestBuffers): the RopsList bytes from the first request
 * that was not processed to the end of RopsList.
 */
enum rop_err rop_buffer_too_small(TALLOC_CTX *mem_ctx, uint16_t size_needed,
				  const uint8_t *request_bytes, uint32_t request_len,
				  struct rop_response *resp);

/**
 * Decode a ROP output buffer (client side). `requests` is the decoded input
 * buffer that produced it: responses are matched to requests in order
 * (RopRelease has none; RopNotify, RopPending, RopBackoff, RopBufferTooSmall
 * stand alone). Table columns come from RopSetColumns requests earlier in
 * the same input buffer for the same handle index, else from ctx->hooks.
 */
enum rop_err rop_buffer_decode_responses(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
					 const struct rop_buffer *requests,
					 const struct rop_ctx *ctx, struct rop_buffer **out);

#endif /* ROP_H */

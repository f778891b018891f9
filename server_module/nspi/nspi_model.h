/*
 * NSPI address book model: the parts of [MS-OXNSPI] that do not depend on
 * the wire (NDR) or on a live directory, so they are unit-tested alone.
 *
 *   nspi_codepage.c  8-bit strings as clients send them: 1252, Teletex
 *                    (20261), ASCII; UTF-8 inside ([MS-OXNSPI] 2.2.1.5)
 *   nspi_collate.c   display-name sort honouring STAT.SortLocale
 *   nspi_entryid.c   permanent / ephemeral entry IDs ([MS-OXNSPI] 2.3.8)
 *   nspi_props.c     AD attribute <-> MAPI property table, object classes
 *                    -> object / display types (doc/nspi.md has the table)
 *   nspi_mids.c      Minimal Entry IDs, stable within a session
 *   nspi_table.c     a sorted container and STAT positioning
 *                    ([MS-OXNSPI] 3.1.4.5)
 *
 * Everything is allocated with talloc on the mem_ctx given; nothing here
 * touches ldb handles, Samba's call state or global state, so it is safe
 * on a worker thread.
 */
#ifndef NSPI_MODEL_H
#define NSPI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

struct ldb_message;

#ifndef ARRAY_LEN
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ---- [MS-OXNSPI] 2.2.1.2 return values -------------------------------- */
#define NSPI_Success			0x00000000
#define NSPI_UnbindSuccess		0x00000001
#define NSPI_UnbindFailure		0x00000002
#define NSPI_ErrorsReturned		0x00040380
#define NSPI_GeneralFailure		0x80004005
#define NSPI_NotSupported		0x80040102
#define NSPI_InvalidObject		0x80040108
#define NSPI_OutOfResources		0x8004010E
#define NSPI_NotFound			0x8004010F
#define NSPI_LogonFailed		0x80040111
#define NSPI_TooComplex			0x80040117
#define NSPI_InvalidCodepage		0x8004011E
#define NSPI_InvalidLocale		0x8004011F
#define NSPI_TableTooBig		0x80040403
#define NSPI_InvalidBookmark		0x80040405
#define NSPI_AccessDenied		0x80070005
#define NSPI_NotEnoughMemory		0x8007000E
#define NSPI_InvalidParameter		0x80070057

/* ---- [MS-OXNSPI] 2.2.1.x constants ------------------------------------ */
#define NSPI_DT_MAILUSER		0x00000000
#define NSPI_DT_DISTLIST		0x00000001
#define NSPI_DT_FORUM			0x00000002
#define NSPI_DT_AGENT			0x00000003
#define NSPI_DT_ORGANIZATION		0x00000004
#define NSPI_DT_PRIVATE_DISTLIST	0x00000005
#define NSPI_DT_REMOTE_MAILUSER		0x00000006
#define NSPI_DT_CONTAINER		0x00000100
#define NSPI_DT_TEMPLATE		0x00000101
#define NSPI_DT_ADDRESS_TEMPLATE	0x00000102
#define NSPI_DT_SEARCH			0x00000200

/* PidTagObjectType values ([MS-OXCDATA] / [MS-OXOABK] 2.2.3.10) */
#define NSPI_MAPI_ABCONT		0x00000004
#define NSPI_MAPI_MAILUSER		0x00000006
#define NSPI_MAPI_DISTLIST		0x00000008

/* 2.2.1.5 code pages */
#define NSPI_CP_TELETEX			20261
#define NSPI_CP_WINUNICODE		1200
#define NSPI_CP_1252			1252
#define NSPI_CP_ASCII			20127
#define NSPI_CP_UTF8			65001

/* 2.2.1.6 default locale; 2.2.1.8 positioning MIds; 2.2.1.9 ANR MIds */
#define NSPI_DEFAULT_LOCALE		0x00000409
#define NSPI_MID_BEGINNING_OF_TABLE	0x00000000
#define NSPI_MID_CURRENT		0x00000001
#define NSPI_MID_END_OF_TABLE		0x00000002
#define NSPI_MID_UNRESOLVED		0x00000000
#define NSPI_MID_AMBIGUOUS		0x00000001
#define NSPI_MID_RESOLVED		0x00000002

/* 2.2.1.10 sort types */
#define NSPI_SortTypeDisplayName	0x00000000
#define NSPI_SortTypePhoneticDisplayName 0x00000003
#define NSPI_SortTypeDisplayName_RO	0x000003E8
#define NSPI_SortTypeDisplayName_W	0x000003E9

/* 2.2.1.11 - 2.2.1.17 flags */
#define NSPI_fAnonymousLogin		0x00000020
#define NSPI_fSkipObjects		0x00000001
#define NSPI_fEphID			0x00000002
#define NSPI_NspiAddressCreationTemplates 0x00000002
#define NSPI_NspiUnicodeStrings		0x00000004
#define NSPI_NspiUnicodeProptypes	0x80000000
#define NSPI_NspiVerifyNames		0x00000002
#define NSPI_TI_TEMPLATE		0x00000001
#define NSPI_TI_SCRIPT			0x00000004
#define NSPI_TI_EMT			0x00000010
#define NSPI_TI_HELPFILE_NAME		0x00000020
#define NSPI_TI_HELPFILE_CONTENTS	0x00000040
#define NSPI_fDelete			0x00000001

/* Property types ([MS-OXCDATA] 2.11.1) */
#define NSPI_PT_UNSPECIFIED	0x0000
#define NSPI_PT_NULL		0x0001
#define NSPI_PT_SHORT		0x0002
#define NSPI_PT_LONG		0x0003
#define NSPI_PT_ERROR		0x000A
#define NSPI_PT_BOOLEAN		0x000B
#define NSPI_PT_OBJECT		0x000D
#define NSPI_PT_STRING8		0x001E
#define NSPI_PT_UNICODE		0x001F
#define NSPI_PT_SYSTIME		0x0040
#define NSPI_PT_CLSID		0x0048
#define NSPI_PT_BINARY		0x0102
#define NSPI_PT_MV_STRING8	0x101E
#define NSPI_PT_MV_UNICODE	0x101F
#define NSPI_PT_MV_BINARY	0x1102

#define NSPI_PROP_TYPE(tag)	((uint16_t)((tag) & 0xFFFF))
#define NSPI_PROP_ID(tag)	((uint16_t)((tag) >> 16))
#define NSPI_PROP_TAG(id, type)	((((uint32_t)(id)) << 16) | (uint32_t)(type))

/* The property tags this server knows ([MS-OXPROPS]), canonical type. */
enum nspi_proptag {
	PidTagEntryId				= 0x0FFF0102,
	PidTagInstanceKey			= 0x0FF60102,
	PidTagRecordKey				= 0x0FF90102,
	PidTagSearchKey				= 0x300B0102,
	PidTagMappingSignature			= 0x0FF80102,
	PidTagObjectType			= 0x0FFE0003,
	PidTagDisplayType			= 0x39000003,
	PidTagDisplayTypeEx			= 0x39050003,
	PidTagTemplateid			= 0x39020102,
	PidTagDisplayName			= 0x3001001F,
	PidTagTransmittableDisplayName		= 0x3A20001F,
	PidTagAddressBookDisplayNamePrintable	= 0x39FF001F,
	PidTagAddressType			= 0x3002001F,
	PidTagEmailAddress			= 0x3003001F,
	PidTagSmtpAddress			= 0x39FE001F,
	PidTagAddressBookProxyAddresses		= 0x800F101F,
	PidTagAccount				= 0x3A00001F,
	PidTagGivenName				= 0x3A06001F,
	PidTagSurname				= 0x3A11001F,
	PidTagInitials				= 0x3A0A001F,
	PidTagTitle				= 0x3A17001F,
	PidTagCompanyName			= 0x3A16001F,
	PidTagDepartmentName			= 0x3A18001F,
	PidTagOfficeLocation			= 0x3A19001F,
	PidTagBusinessTelephoneNumber		= 0x3A08001F,
	PidTagHomeTelephoneNumber		= 0x3A09001F,
	PidTagMobileTelephoneNumber		= 0x3A1C001F,
	PidTagPagerTelephoneNumber		= 0x3A21001F,
	PidTagBusinessFaxNumber			= 0x3A24001F,
	PidTagPrimaryTelephoneNumber		= 0x3A1A001F,
	PidTagAssistant				= 0x3A30001F,
	PidTagStreetAddress			= 0x3A29001F,
	PidTagLocality				= 0x3A27001F,
	PidTagStateOrProvince			= 0x3A28001F,
	PidTagPostalCode			= 0x3A2A001F,
	PidTagCountry				= 0x3A26001F,
	PidTagPostOfficeBox			= 0x3A2B001F,
	PidTagComment				= 0x3004001F,
	PidTagAddressBookManagerDistinguishedName = 0x8005001F,
	PidTagAddressBookManager		= 0x8005000D,
	PidTagAddressBookReports		= 0x800E000D,
	PidTagAddressBookMember			= 0x8009000D,
	PidTagAddressBookIsMemberOfDistributionList = 0x8008000D,
	PidTagAddressBookPublicDelegates	= 0x8015000D,
	PidTagAddressBookHomeMessageDatabase	= 0x8006001F,
	PidTagAddressBookTargetAddress		= 0x8011001F,
	PidTagAddressBookObjectGuid		= 0x8C6D0102,
	PidTagAddressBookObjectDistinguishedName = 0x803C001F,
	PidTagAddressBookContainerId		= 0xFFFD0003,
	PidTagAddressBookIsMaster		= 0xFFFB000B,
	PidTagAddressBookParentEntryId		= 0xFFFC0102,
	PidTagContainerFlags			= 0x36000003,
	PidTagDepth				= 0x30050003,
	PidTagThumbnailPhoto			= 0x8C9E0102,
	PidTagUserCertificate			= 0x3A220102,
	PidTagUserX509Certificate		= 0x3A701102,
	PidTagAddressBookX509Certificate	= 0x8C6A1102,
	PidTagSendRichInfo			= 0x3A40000B,
	PidTagAnr				= 0x360C001F,
	PidTagAddressBookHierarchicalIsHierarchicalGroup = 0x8CDD000B,
	PidTagAddressBookSenderHintTranslations	= 0x8CAC101F,
	PidTagTemplateData			= 0x00010102,
	PidTagScriptData			= 0x00040102,
	PidTagCreationTime			= 0x30070040,
	PidTagLastModificationTime		= 0x30080040,
};

/* PidTagContainerFlags ([MS-OXOABK] 2.2.2.1) */
#define NSPI_AB_RECIPIENTS	0x00000001
#define NSPI_AB_SUBCONTAINERS	0x00000002
#define NSPI_AB_UNMODIFIABLE	0x00000008

/* Limits: every count from the wire is checked against one of these. */
#define NSPI_MAX_ROWS		1000	/* rows in one QueryRows/GetMatches answer */
#define NSPI_MAX_PROPTAGS	512	/* columns asked for in one call */
#define NSPI_MAX_NAMES		1000	/* DNToMId / ResolveNames strings */
#define NSPI_MAX_RESTRICTION_DEPTH 16
#define NSPI_MAX_RESTRICTION_NODES 256
#define NSPI_MAX_STRING		4096	/* bytes in one client string */
#define NSPI_MAX_CONTAINER	200000	/* entries in one container */

/* ========================================================================
 * nspi_codepage.c
 * ======================================================================== */

/** True when @codepage is one we can produce 8-bit strings in. */
bool nspi_codepage_supported(uint32_t codepage);

/**
 * Convert UTF-8 @utf8 to an 8-bit string in @codepage (1252, Teletex 20261
 * or ASCII 20127); characters the code page lacks become '?'.
 * @return allocated on @mem_ctx, NUL-terminated; NULL on allocation failure
 * or unsupported code page.
 */
char *nspi_codepage_from_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			      const char *utf8);

/**
 * Convert an 8-bit string the client sent in @codepage to UTF-8. Invalid
 * bytes become U+FFFD. NULL on allocation failure / unsupported code page.
 */
char *nspi_codepage_to_utf8(TALLOC_CTX *mem_ctx, uint32_t codepage,
			    const char *in);

/**
 * Decode one UTF-8 sequence at @s (not past @end). Invalid input decodes as
 * U+FFFD consuming one byte. @return bytes consumed (>= 1), 0 at @end.
 */
size_t nspi_utf8_decode(const char *s, const char *end, uint32_t *cp_r);

/**
 * For Samba's NDR, which converts [charset(DOS)] strings between UTF-8 and
 * CP850 itself: the UTF-8 text that Samba's conversion turns into the
 * bytes of @utf8 in @codepage (unsupported code pages: ASCII with '?').
 */
char *nspi_string8_to_ndr(TALLOC_CTX *mem_ctx, uint32_t codepage,
			  const char *utf8);

/** The reverse: a String8 as Samba's NDR decoded it, read in @codepage. */
char *nspi_string8_from_ndr(TALLOC_CTX *mem_ctx, uint32_t codepage,
			    const char *ndr_utf8);

/** Append the UTF-8 encoding of @cp to @out (4 bytes room). @return length. */
size_t nspi_utf8_encode(uint32_t cp, char out[4]);

/**
 * Split a precomposed Latin letter (Latin-1 and Latin Extended-A) into its
 * ASCII base letter and T.61 diacritic byte (0xC1-0xCF).
 * @return false if @cp is not such a letter.
 */
bool nspi_latin_decompose(uint32_t cp, char *base_r, uint8_t *mark_r);

/* ========================================================================
 * nspi_collate.c
 * ======================================================================== */

/**
 * Compare two UTF-8 display names the way the sort locale @lcid sorts them
 * (case- and accent-insensitive first, then accents, then case, then code
 * point). Unknown locales sort as the default (0x0409). strcmp-like result.
 */
int nspi_collate(uint32_t lcid, const char *a, const char *b);

/**
 * The sort key of @s under @lcid: for any two strings,
 * nspi_collate_key_cmp() of their keys equals nspi_collate() of the
 * strings. Sorting N names costs N keys and memcmp()s instead of
 * N log N three-level walks. @return the key on @mem_ctx (*@len_r bytes),
 * NULL on allocation failure.
 */
uint8_t *nspi_collate_key(TALLOC_CTX *mem_ctx, uint32_t lcid, const char *s,
			  size_t *len_r);

/** Compare two keys of nspi_collate_key(): -1, 0 or 1. */
int nspi_collate_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b,
			 size_t b_len);

/** Like nspi_collate, first level only: case and accents ignored. */
int nspi_collate_primary(uint32_t lcid, const char *a, const char *b);

/** True if @lcid is a locale the server accepts (known or a valid LCID). */
bool nspi_locale_valid(uint32_t lcid);

/**
 * Case- and accent-insensitive prefix test under @lcid: does @s start with
 * @prefix? (NspiSeekEntries, content restrictions on display names.)
 */
bool nspi_collate_prefix(uint32_t lcid, const char *s, const char *prefix);

/* ========================================================================
 * nspi_entryid.c ([MS-OXNSPI] 2.3.8.2, 2.3.8.3)
 * ======================================================================== */

#define NSPI_EPHEMERAL_ENTRYID_SIZE	32

/** GUID_NSPI ([MS-OXNSPI] 2.2.1.7), as its 16 wire bytes */
extern const uint8_t nspi_guid_nspi[16];

struct nspi_entryid {
	bool ephemeral;
	uint8_t provider_uid[16];	/* server GUID, or GUID_NSPI */
	uint32_t display_type;
	uint32_t mid;			/* ephemeral only */
	const char *dn;			/* permanent only; 8-bit as on the wire */
};

/** Encode a permanent entry ID for @dn. @return bytes on @mem_ctx, *len_r. */
uint8_t *nspi_entryid_permanent(TALLOC_CTX *mem_ctx, uint32_t display_type,
				const char *dn, size_t *len_r);

/** Encode an ephemeral entry ID (32 bytes) for @mid issued by @server_guid. */
uint8_t *nspi_entryid_ephemeral(TALLOC_CTX *mem_ctx,
				const uint8_t server_guid[16],
				uint32_t display_type, uint32_t mid);

/**
 * Decode an entry ID. @return false when @data is not a well-formed
 * permanent or ephemeral NSPI entry ID. out->dn points into a copy on
 * @mem_ctx.
 */
bool nspi_entryid_parse(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			struct nspi_entryid *out);

/* ========================================================================
 * nspi_props.c: values and the attribute table
 * ======================================================================== */

/**
 * One property value, type-independent of the wire. Strings are UTF-8;
 * the handlers convert to the type and code page the client asked for.
 */
struct nspi_value {
	uint32_t tag;			/* with its canonical type */
	union {
		int32_t l;
		bool b;
		uint32_t err;		/* type NSPI_PT_ERROR */
		const char *str;
		struct { const uint8_t *data; size_t len; } bin;
		struct { uint32_t n; const char **s; } mvstr;
		struct { uint32_t n; const uint8_t **data; size_t *len; } mvbin;
		uint64_t ft;
	} v;
};

/** What kind of address book object an entry is. */
enum nspi_object_kind {
	NSPI_KIND_NONE = 0,	/* not an address book object */
	NSPI_KIND_USER,		/* mailbox user */
	NSPI_KIND_REMOTE_USER,	/* user without a mailbox here */
	NSPI_KIND_CONTACT,	/* mail-enabled contact: DT_REMOTE_MAILUSER */
	NSPI_KIND_GROUP,	/* group: distribution list */
	NSPI_KIND_CONTAINER,	/* an address list */
};

/**
 * Classify an object from its objectClass values (most specific last, as
 * AD stores them) and whether it has a mailbox (homeMDB /
 * msExchHomeServerName present).
 */
enum nspi_object_kind nspi_kind_from_classes(const char *const *classes,
					     unsigned n, bool has_mailbox);

/** PidTagObjectType / PidTagDisplayType of a kind. */
uint32_t nspi_kind_object_type(enum nspi_object_kind kind);
uint32_t nspi_kind_display_type(enum nspi_object_kind kind);

/** How the value of a property is derived from the directory. */
enum nspi_prop_source {
	NSPI_SRC_ATTR,		/* single attribute, as string / binary */
	NSPI_SRC_ATTR_MV,	/* every value of an attribute */
	NSPI_SRC_COMPUTED,	/* built by the caller from the entry */
};

struct nspi_prop_map {
	uint32_t tag;			/* canonical tag */
	const char *attr;		/* AD attribute (NULL: computed) */
	enum nspi_prop_source source;
	bool anr;			/* searched by ambiguous name resolution */
	bool writable;			/* NspiModProps may change it */
};

/**
 * The mapping row for @tag (type ignored for string/binary types: a
 * PtypString8 or unspecified request finds the PtypString row).
 * @return NULL for a property this server does not know.
 */
const struct nspi_prop_map *nspi_prop_lookup(uint32_t tag);

/** The full table and its length (for QueryColumns and GetPropList). */
const struct nspi_prop_map *nspi_prop_table(size_t *n_r);

/**
 * The attributes to ask the directory for to build the properties @tags
 * (plus the ones every entry needs), NULL-terminated, on @mem_ctx.
 */
const char **nspi_prop_attrs(TALLOC_CTX *mem_ctx, const uint32_t *tags,
			     size_t n_tags);

/** What the caller knows about an entry beyond its ldb message. */
struct nspi_entry_ctx {
	const uint8_t *server_guid;	/* 16 bytes */
	uint32_t mid;
	bool ephemeral;			/* entry IDs as ephemeral */
	const char *legacy_dn;		/* the entry's X500 DN */
	enum nspi_object_kind kind;
	uint32_t container_id;		/* for PidTagAddressBookContainerId */
	/* optional DN resolver for DN-valued attributes (manager, homeMDB):
	 * returns the X500 DN of the object at @ldb_dn, or NULL */
	const char *(*x500_of)(void *priv, TALLOC_CTX *mem_ctx,
			       const char *ldb_dn);
	void *x500_priv;
};

/**
 * Build the value of @tag for the entry @msg.
 * @return true and *out filled; false when the entry has no such value
 * (the caller reports PtypErrorCode NotFound for it). Strings and binaries
 * point into @msg or are allocated on @mem_ctx.
 */
bool nspi_prop_value(TALLOC_CTX *mem_ctx, const struct ldb_message *msg,
		     const struct nspi_entry_ctx *ectx, uint32_t tag,
		     struct nspi_value *out);

/**
 * The X500 DN of an entry: legacyExchangeDN, or, for objects without one,
 * "/o=NT5/ou=<objectGUID hex>/cn=<objectGUID hex>" ([MS-OXNSPI] 2.2.9.1
 * DN forms). NULL if the entry has neither.
 */
const char *nspi_legacy_dn(TALLOC_CTX *mem_ctx, const struct ldb_message *msg);

/* ========================================================================
 * nspi_mids.c: Minimal Entry IDs of one session
 * ======================================================================== */

#define NSPI_MID_FIRST	0x00000010	/* 0..2 are reserved positions */

struct nspi_mids;

/** A new, empty MId registry on @mem_ctx. */
struct nspi_mids *nspi_mids_new(TALLOC_CTX *mem_ctx);

/**
 * The MId of the object with @guid (16 bytes), assigning the next one on
 * first sight. @return 0 on allocation failure or when the registry is full.
 */
uint32_t nspi_mids_get(struct nspi_mids *mids, const uint8_t guid[16]);

/** The MId of @guid if already known, else 0. */
uint32_t nspi_mids_find(const struct nspi_mids *mids, const uint8_t guid[16]);

/** The GUID of @mid, or NULL if @mid was never issued in this session. */
const uint8_t *nspi_mids_guid(const struct nspi_mids *mids, uint32_t mid);

/** Number of MIds issued. */
uint32_t nspi_mids_count(const struct nspi_mids *mids);

/* ========================================================================
 * nspi_table.c: a sorted container and STAT positioning
 * ======================================================================== */

/** The STAT fields positioning uses ([MS-OXNSPI] 2.3.7). */
struct nspi_stat {
	uint32_t SortType;
	uint32_t ContainerID;
	uint32_t CurrentRec;
	int32_t Delta;
	uint32_t NumPos;
	uint32_t TotalRecs;
	uint32_t CodePage;
	uint32_t TemplateLocale;
	uint32_t SortLocale;
};

/** One row of a container: enough to sort, seek and find the object. */
struct nspi_row {
	uint32_t mid;
	const char *display_name;	/* UTF-8, sort key */
	uint32_t display_type;
};

struct nspi_table {
	uint32_t container_id;
	uint32_t sort_locale;
	uint32_t count;
	struct nspi_row *rows;		/* sorted by display name */
	/* optional (nspi_table_index): position + 1 of MId
	 * NSPI_MID_FIRST + i at by_mid[i], 0 when not in the table */
	uint32_t *by_mid;
	uint32_t n_by_mid;
};

/**
 * Sort @t->rows by display name under @locale (stable, ties by MId).
 */
void nspi_table_sort(struct nspi_table *t, uint32_t locale);

/**
 * Index @t by MId so that nspi_table_find() (and positioning on a
 * CurrentRec) is O(1) instead of a scan: MIds of a session are dense from
 * NSPI_MID_FIRST, so the index is an array of (highest MId - FIRST + 1)
 * positions, allocated on @mem_ctx (usually @t itself). nspi_table_sort()
 * keeps an existing index up to date.
 * @return false on allocation failure (the table then works unindexed).
 */
bool nspi_table_index(TALLOC_CTX *mem_ctx, struct nspi_table *t);

/** Index of the row with @mid, or -1. O(1) once indexed, else O(count). */
int64_t nspi_table_find(const struct nspi_table *t, uint32_t mid);

/**
 * Resolve the position a STAT names ([MS-OXNSPI] 3.1.4.5.1 absolute,
 * 3.1.4.5.2 fractional), Delta applied, clamped to [0, count].
 * @return NSPI_Success, or NSPI_NotFound when CurrentRec is not in @t.
 */
uint32_t nspi_table_position(const struct nspi_table *t,
			     const struct nspi_stat *stat, uint32_t *pos_r);

/**
 * Write position @pos back into @stat as the server does at the end of a
 * method: CurrentRec = MId at pos (or MID_END_OF_TABLE), NumPos = pos,
 * TotalRecs = count, Delta = 0.
 */
void nspi_table_set_stat(const struct nspi_table *t, uint32_t pos,
			 struct nspi_stat *stat);

/**
 * First row at or after which @s would sort (NspiSeekEntries): the index of
 * the first row whose display name is >= @target under the table's locale.
 */
uint32_t nspi_table_seek(const struct nspi_table *t, const char *target);

/** Microseconds of a monotonic clock (the timing lines at debug level). */
uint64_t nspi_now_us(void);

/** CPU microseconds used by the calling thread (timing lines). */
uint64_t nspi_thread_cpu_us(void);

#endif /* NSPI_MODEL_H */

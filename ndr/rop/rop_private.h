/*
 * Internals of the ROP codec: the field-table format produced by
 * gen/rop_gen.py and the interpreter that walks it. Never installed.
 */
#ifndef ROP_PRIVATE_H
#define ROP_PRIVATE_H

#include "rop.h"
#include "oxcdata_recipient.h"

/** Wire types of a field (see gen/rops.def). */
enum rop_ftype {
	RFT_U8, RFT_U16, RFT_U32, RFT_U64,
	RFT_FIXED,              /* uint8_t[n] */
	RFT_U16_FIXED,          /* uint16_t[n] */
	RFT_U64_FIXED,          /* uint64_t[n] */
	RFT_LTID, RFT_LOGONTIME,
	RFT_STR8, RFT_STR8OPT, RFT_STR16, RFT_XSTR,
	RFT_TYPEDSTRING, RFT_RESTRICTION,
	RFT_SIZE16, RFT_SIZE8,  /* region size over the fields up to `ref` */
	RFT_BYTES, RFT_U16S, RFT_U32S, RFT_U64S, RFT_LTIDS, RFT_STR8S,
	RFT_TPV, RFT_PROBLEMS, RFT_SORTORDERS, RFT_PROPNAMES,
	RFT_REC,                /* array of records, count in `ref` */
	RFT_RECSEND,            /* records until the end of the region, count in aux */
	RFT_REST,               /* rest of the buffer, size in aux */
	RFT_CUSTOM,
};

enum rop_cond_kind {
	RC_NONE, RC_OK, RC_RV_EQ, RC_RV_NE, RC_OK_OR_RV,
	RC_NZ, RC_Z, RC_EQ, RC_NE, RC_PRIVATE, RC_PUBLIC,
};

struct rop_cond {
	uint8_t kind;
	int16_t ref;            /* field index tested */
	uint32_t value;
};

struct rop_record;
struct rop_walk;
struct rop_custom;

struct rop_field {
	const char *name;
	uint8_t type;
	size_t offset;
	int16_t ref;            /* count / flag / region-end field index */
	uint16_t n;             /* fixed length */
	size_t aux_offset;      /* hidden count member (RFT_RECSEND, RFT_REST) */
	struct rop_cond cond[3];
	const struct rop_record *rec;
	const struct rop_custom *custom;
	int16_t cols_count_ref; /* custom: column count field */
	int16_t cols_ref;       /* custom: column tags field */
};

struct rop_layout {
	const char *name;
	size_t size;
	const struct rop_field *fields;
	uint16_t nfields;
};

struct rop_record {
	const char *name;
	size_t size;
	const struct rop_field *fields;
	uint16_t nfields;
};

struct rop_info {
	struct rop_info_public pub;
	struct rop_layout req;
	struct rop_layout resp;
};

extern const struct rop_info rop_info_table[256];

/** What the generic codec hands to a custom field. */
struct rop_custom_args {
	uint32_t count;                 /* value of the count field, if any */
	const uint32_t *cols;           /* columns from the same structure, if any */
	uint32_t col_count;
	bool have_cols;
	const void *base;               /* the structure holding the field */
};

struct rop_custom {
	enum rop_err (*pull)(struct oxcdata_pull *pull, const struct rop_ctx *ctx,
			     const struct rop_custom_args *args, void *field);
	enum rop_err (*push)(struct oxcdata_push *push, const struct rop_ctx *ctx,
			     const struct rop_custom_args *args, const void *field);
};

extern const struct rop_custom rop_custom_rows;
extern const struct rop_custom rop_custom_row;
extern const struct rop_custom rop_custom_gps_row;
extern const struct rop_custom rop_custom_rcvfolder_rows;
extern const struct rop_custom rop_custom_openrecip;
extern const struct rop_custom rop_custom_modrecip;
extern const struct rop_custom rop_custom_readrecip;
extern const struct rop_custom rop_custom_notifdata;

extern const struct rop_record rop_record_LongTermIdRange;
extern const struct rop_record rop_record_MessageReadState;
extern const struct rop_record rop_record_PermissionData;
extern const struct rop_record rop_record_RuleData;
extern const struct rop_record rop_record_BackoffRop;

/** Interpret a field table over the structure at base. */
enum rop_err rop_fields_pull(struct oxcdata_pull *pull, const struct rop_walk *walk,
			     const struct rop_field *fields, uint16_t nfields, void *base);
enum rop_err rop_fields_push(struct oxcdata_push *push, const struct rop_walk *walk,
			     const struct rop_field *fields, uint16_t nfields, const void *base);

/** Are the conditions of field f true for the structure at base? */
bool rop_field_present(const struct rop_field *f, const struct rop_walk *walk,
		       const struct rop_field *fields, uint16_t nfields, const void *base);

/** Logon kind for RC_PRIVATE/RC_PUBLIC on a request with this LogonId. */
bool rop_ctx_logon_private(const struct rop_ctx *ctx, uint8_t logon_id);

/**
 * Walk state: the logon kind used by RC_PRIVATE/RC_PUBLIC conditions:
 * 1 private, 0 public, -1 taken from the LogonFlags field of the structure
 * itself (RopLogon response decoded without its request).
 */
struct rop_walk {
	const struct rop_ctx *ctx;
	int8_t logon_private;
};

#endif /* ROP_PRIVATE_H */

/*
 * [MS-OXCPRPT] streams (oxcprpt_stream.c) and named properties
 * (oxcprpt_named.c): the handlers behind those rows of
 * emsmdb_rop_table.c. Internal to server_module/emsmdb; see
 * doc/emsmdb.md ("Streams and named properties").
 *
 * Stream objects ([MS-OXCPRPT] 2.2.14 - 2.2.27): RopOpenStream copies the
 * property's value into a buffer owned by the stream object (PtypString
 * as UTF-16LE, its wire form, through mapistore's MAPISTORE_STREAM_UTF16
 * streams). Reads, writes, seeks and size changes work on that buffer;
 * RopCommitStream writes it back to the object through a mapistore
 * stream. For a message, the value then persists with
 * RopSaveChangesMessage like any other property ([MS-OXCPRPT] 2.2.18).
 * A clone (RopCloneStream) shares the buffer and has its own seek
 * pointer. A stream holds at most MAPISTORE_MAX_VALUE_SIZE bytes.
 */
#ifndef EMSMDB_OXCPRPT_H
#define EMSMDB_OXCPRPT_H

#include "emsmdb_rop_private.h"

/* [MS-OXCDATA] 2.4.2 / [MS-OXCPRPT] 3.2.5.x status codes of these ROPs */
#define StreamAccessDenied	0x80030005
#define StreamSeekError		0x80030019
#define StreamInvalidParam	0x80030057
#define StreamSizeError		0x80030070
#ifndef ecTooBig
#define ecTooBig		0x80040305
#endif
#define ecWarnWithErrors	0x00040380

/* [MS-OXCPRPT] 2.2.14.1 OpenModeFlags */
#define OPENSTREAM_ReadOnly	0x00
#define OPENSTREAM_ReadWrite	0x01
#define OPENSTREAM_Create	0x02
#define OPENSTREAM_BestAccess	0x03

/* [MS-OXCPRPT] 2.2.12.1 RopGetPropertyIdsFromNames Flags */
#define GETPROPIDS_Create	0x02
/* [MS-OXCPRPT] 2.2.9.1 RopQueryNamedProperties QueryFlags */
#define QUERYNAMED_NoStrings	0x01
#define QUERYNAMED_NoIds	0x02

/* oxcprpt_stream.c: each an emsmdb_rop_fn (emsmdb_rop_private.h) */
uint32_t oxcprpt_RopOpenStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopReadStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopWriteStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopWriteStreamExtended(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopWriteAndCommitStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopCommitStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopGetStreamSize(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopSetStreamSize(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopSeekStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopCopyToStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopLockRegionStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopUnlockRegionStream(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopCloneStream(struct emsmdb_rop_call *call);

/* oxcprpt_named.c */
uint32_t oxcprpt_RopGetPropertyIdsFromNames(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopGetNamesFromPropertyIds(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopQueryNamedProperties(struct emsmdb_rop_call *call);

#endif /* EMSMDB_OXCPRPT_H */

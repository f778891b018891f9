/*
 * A test EMSMDB session for the unit tests of the ROP handlers: user
 * "alice" (display name "Alice", code page 1252) on a fresh mapistore whose
 * metadata lives in a temporary private directory and whose special folders
 * are on the memory backend. Shared by the handler tests (see
 * doc/emsmdb-test-helpers.md).
 */
#ifndef EMSMDB_TEST_SESSION_H
#define EMSMDB_TEST_SESSION_H

/* rop.h before mapistore.h: its Ptyp* enum, then mapistore_types.h's
 * macros of the same names and values */
#include "rop.h"
#include "emsmdb_session.h"
#include "mapistore.h"

struct emsmdb_test_session {
	char dir[64];			/* the temporary private directory */
	struct mapistore_config mcfg;	/* answers "private dir" with dir */
	struct emsmdb_config cfg;
};

/**
 * Fill @t (which must stay at its address for the session's life) and
 * return a new session for user DN @dn; @tag names the temporary
 * directory. Fails the test on any error.
 */
struct emsmdb_session *emsmdb_test_session_new(struct emsmdb_test_session *t,
					       const char *tag, const char *dn);

/** Free @s and remove @t's temporary directory. */
void emsmdb_test_session_free(struct emsmdb_test_session *t,
			      struct emsmdb_session *s);

/**
 * One client's view of a session for ROP round trips: the server object
 * handle table it carries from buffer to buffer ([MS-OXCROPS] 2.2.1) and
 * what it decodes responses with.
 */
struct emsmdb_test_rops {
	struct emsmdb_session *s;
	uint32_t *handles;		/* handle_count entries, kept between runs */
	uint32_t handle_count;
	size_t max_out;			/* output buffer size; 0: 0x8000 */
	const uint32_t *columns;	/* a table's columns, to decode QueryRows */
	uint32_t column_count;
};

/**
 * Point @rt at session @s and the @handle_count entries of @handles, and
 * set them all to 0xFFFFFFFF (no object yet, [MS-OXCROPS] 2.2.1).
 */
void emsmdb_test_rops_init(struct emsmdb_test_rops *rt, struct emsmdb_session *s,
			   uint32_t *handles, uint32_t handle_count);

/**
 * Encode @reqs, run them through emsmdb_rop_process() and decode the
 * responses (on @mem_ctx); the handle table is carried in rt->handles.
 * Fails the test if any step fails or the reply exceeds rt->max_out.
 */
struct rop_buffer *emsmdb_test_run(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				   struct rop_request *reqs, uint32_t n);

/** The ReturnValue of a response (every response has it after the
 *  RopId and the handle index, [MS-OXCROPS] 2.2). */
uint32_t emsmdb_test_rv(const struct rop_response *r);

/** Run one ROP; fail the test unless its ReturnValue is @expect (RopNotify /
 *  RopPending responses the server appends after it are allowed). */
struct rop_response *emsmdb_test_run1(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				      struct rop_request *r, uint32_t expect);

/**
 * RopLogon (private, LogonFlags 0x01) to @dn into handle index @index;
 * fail the test unless it answers @expect. @fids (may be NULL) gets the
 * 13 FolderIds of a successful logon.
 */
void emsmdb_test_logon(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx, const char *dn,
		       uint8_t index, uint32_t expect, uint64_t fids[13]);

/**
 * RopOpenFolder ([MS-OXCFOLD] 2.2.1.1) of @fid on the logon at handle index
 * @logon into handle index @index; fail the test unless it succeeds.
 */
void emsmdb_test_open_folder(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
			     uint8_t logon, uint8_t index, uint64_t fid);

/** What emsmdb_test_new_message() creates. */
struct emsmdb_test_message {
	uint8_t folder;		/* handle index of the open folder */
	uint8_t msg;		/* handle index the new message is left open in */
	uint8_t response;	/* RopSaveChangesMessage ResponseHandleIndex */
	uint64_t fid;		/* FolderId of that folder */
	const char *subject;	/* PidTagSubject */
	const struct TaggedPropertyValue *more;	/* further properties (may be NULL) */
	uint32_t more_count;	/* at most 8 */
};

/**
 * RopCreateMessage (CodePageId 0x0FFF) + RopSetProperties (PidTagSubject
 * then @m->more) + RopSaveChangesMessage (SaveFlags KeepOpenReadWrite,
 * [MS-OXCMSG] 2.2.3.3) in one buffer; fail the test unless all three
 * succeed. Returns the saved MessageId.
 */
uint64_t emsmdb_test_new_message(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				 const struct emsmdb_test_message *m);

/**
 * One RopFastTransferSourceGetBuffer ([MS-OXCROPS] 2.2.13.5) of at most
 * @size bytes on the download context at @idx, its bytes appended to
 * *@data (reallocated on @mem_ctx, *@len updated). ecBufferTooSmall
 * (the next indivisible part does not fit, nothing taken) is asked again
 * with twice the size, up to 0x4000. Fails the test on any other error
 * or a TransferStatus other than Partial (with bytes) or Done.
 * @return true when TransferStatus is Done.
 */
bool emsmdb_test_get_buffer(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx, uint8_t idx,
			    uint16_t size, uint8_t **data, size_t *len);

/**
 * Give message @mid of folder @fid one recipient (MAPI_TO) whose
 * PidTagDisplayName is @name, straight through mapistore @mstore, and
 * save it; fails the test on any error. Scratch objects on @mem are freed.
 */
void emsmdb_test_add_recipient(TALLOC_CTX *mem, struct mapistore_context *mstore,
			       uint64_t fid, uint64_t mid, const char *name);

#endif

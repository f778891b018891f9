/*
 * Shared fixture of the table tests (test_oxctabl_find.c,
 * test_oxctabl_categ.c): a logged-on session with the Inbox open at
 * handle 1, messages created there, and ROP buffers run through the
 * dispatcher with the handle table carried between calls.
 */
#ifndef TEST_OXCTABL_COMMON_H
#define TEST_OXCTABL_COMMON_H

#include "oc_test.h"

#include "emsmdb_rop.h"
#include "oxctabl_ext.h"
#include "emsmdb_test_session.h"

#define TT_HANDLES 8

struct tt_fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[TT_HANDLES];
	uint64_t inbox;
	uint64_t root;		/* the mailbox root (openchangedb) */
	/* columns the response decoder uses for row data */
	const uint32_t *columns;
	uint32_t column_count;
	size_t max_out;
};

/**
 * Session, logon (handle 0) and the Inbox (handle 1) on @mem_ctx, the
 * special folders on @backend ("memory" or "local").
 */
struct tt_fixture *tt_new(TALLOC_CTX *mem_ctx, const char *tag,
			  const char *backend);
void tt_free(struct tt_fixture *f);

/** Encode, execute, decode @n requests; responses on @mem_ctx. */
struct rop_buffer *tt_run(struct tt_fixture *f, TALLOC_CTX *mem_ctx,
			  struct rop_request *reqs, uint32_t n);

/** ReturnValue of any response. */
uint32_t tt_rv(const struct rop_response *r);

/** Save a message in the Inbox with PidTagSubject and PidTagMessageClass. */
void tt_message(struct tt_fixture *f, const char *subject, const char *cls);

/** Contents table of the Inbox at handle 2 with @cols set. */
void tt_table(struct tt_fixture *f, const uint32_t *cols, uint32_t count);

/** RopSortTable on handle 2; returns its ReturnValue. */
uint32_t tt_sort(struct tt_fixture *f, const struct SortOrder *orders,
		 uint16_t count, uint16_t categorized, uint16_t expanded);

/** RopQueryRows on handle 2; the response (on @mem_ctx). */
struct RopQueryRows_resp *tt_query(struct tt_fixture *f, TALLOC_CTX *mem_ctx,
				   bool forward, uint8_t flags, uint16_t count,
				   uint32_t *rv_r);

/** RopSeekRow on handle 2; fails the test unless it succeeds. */
void tt_seek(struct tt_fixture *f, uint8_t origin, int32_t rows);

/** RopQueryPosition on handle 2. */
void tt_position(struct tt_fixture *f, uint32_t *num_r, uint32_t *den_r);

/** A PtypString property restriction. */
void tt_res_string(struct Restriction *r, uint8_t relop, uint32_t tag,
		   const char *value);

#endif

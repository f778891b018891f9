/*
 * What the EMSMDB fuzz harnesses share: a process-wide configuration on
 * a temporary private directory with the memory backend, a new session
 * of a user, harness-built ROP round trips and the run of the fuzzer's
 * input as a ROP buffer ([MS-OXCROPS] 2.2.1: RopSize, RopsList,
 * ServerObjectHandleTable). Harness setup failures abort(): they are not
 * input handling.
 */
#ifndef FUZZ_EMSMDB_COMMON_H
#define FUZZ_EMSMDB_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* rop.h before mapistore.h: its Ptyp* enum, then mapistore_types.h's
 * macros of the same names and values */
#include "rop.h"
#include "emsmdb_rop.h"
#include "emsmdb_session.h"
#include "mapistore.h"

/** The user DN the harnesses log on as ("alice"). */
#define FUZZ_EMSMDB_DN \
	"/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"

/**
 * Once per process (later calls return the same configuration): make a
 * temporary private directory from the mkdtemp() template @tmpl (removed
 * at exit), silence mapistore, register the memory backend and fill a
 * configuration: NetBIOS name "OCDC", default backend "memory", and
 * limits.max_objects @max_objects unless 0 (then the default stays).
 */
const struct emsmdb_config *fuzz_emsmdb_init(const char *tmpl, uint32_t max_objects);

/** The private directory fuzz_emsmdb_init() made ("" before it). */
const char *fuzz_emsmdb_dir(void);

/**
 * A new session on @cfg of @account (user DN @dn, display name
 * @display_name, code page 1252). Never NULL.
 */
struct emsmdb_session *fuzz_emsmdb_session_new(const struct emsmdb_config *cfg,
					       const char *account, const char *dn,
					       const char *display_name);

/**
 * Encode the harness-built @reqs with @handles (@handle_count entries),
 * run them through emsmdb_rop_process() with a 0x8000-byte output and
 * decode the responses with @ctx (NULL: code page 1252, private logon);
 * the handle table comes back in @handles. Aborts if any step fails.
 */
struct rop_buffer *fuzz_emsmdb_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				   const struct rop_ctx *ctx, struct rop_request *reqs,
				   uint32_t n, uint32_t *handles, uint32_t handle_count);

/**
 * RopLogon (private mailbox, LogonFlags 0x01) of @dn into
 * handle index 0 of @handles; @fids gets its 13 FolderIds. Aborts unless
 * it succeeds.
 */
void fuzz_emsmdb_logon(struct emsmdb_session *s, TALLOC_CTX *mem, const char *dn,
		       uint32_t *handles, uint32_t handle_count, uint64_t fids[13]);

/**
 * Run the fuzzer's input as one ROP buffer: bytes 0-1 are the output
 * buffer size (little-endian, 0 for 0x8000), the rest the RopsList, then
 * @handles (@handle_count entries) as the ServerObjectHandleTable.
 * Requires 2 <= @size <= 0x8000. Aborts if the reply exceeds the output
 * size (the dispatcher's contract). Returns the reply (on @mem, may be
 * NULL) and its length in @reply_len (may be NULL).
 */
uint8_t *fuzz_emsmdb_run_input(struct emsmdb_session *s, TALLOC_CTX *mem,
			       const uint8_t *data, size_t size, const uint32_t *handles,
			       uint32_t handle_count, size_t *reply_len);

/** A harness's fixed prelude: fills @handles (FUZZ_EMSMDB_MAX_HANDLES at most). */
typedef void (*fuzz_emsmdb_prelude_fn)(struct emsmdb_session *s, TALLOC_CTX *mem,
				       uint32_t *handles);

#define FUZZ_EMSMDB_MAX_HANDLES 16

/**
 * The usual input run: when 2 <= @size <= 0x8000, a new session of
 * "alice" (FUZZ_EMSMDB_DN) on @cfg, an all-0xFFFFFFFF handle table of
 * @handle_count (<= FUZZ_EMSMDB_MAX_HANDLES) entries, @prelude, then
 * fuzz_emsmdb_run_input() of @data; everything freed after.
 */
void fuzz_emsmdb_session_run(const struct emsmdb_config *cfg, fuzz_emsmdb_prelude_fn prelude,
			     uint32_t handle_count, const uint8_t *data, size_t size);

#endif

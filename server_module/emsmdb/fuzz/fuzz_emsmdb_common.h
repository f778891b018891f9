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

#include <stdbool.h>
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

/*
 * Request builders for the harnesses' preludes: each fills @r (zeroed
 * first, LogonId 0) with one ROP.
 */

/** RopOpenFolder ([MS-OXCROPS] 2.2.4.1) of @fid on handle @in into @out. */
void fuzz_emsmdb_req_open_folder(struct rop_request *r, uint8_t in, uint8_t out,
				 uint64_t fid);

/** RopSynchronizationOpenCollector (2.2.13.7) on the folder at @in into @out. */
void fuzz_emsmdb_req_open_collector(struct rop_request *r, uint8_t in, uint8_t out,
				    bool contents);

/** RopCreateMessage (2.2.6.2, CodePageId 0x0FFF) in folder @fid at @in into @out. */
void fuzz_emsmdb_req_create_message(struct rop_request *r, uint8_t in, uint8_t out,
				    uint64_t fid, bool fai);

/** RopSaveChangesMessage (2.2.6.3) of the message at @in, @flags SaveFlags. */
void fuzz_emsmdb_req_save_message(struct rop_request *r, uint8_t in, uint8_t response,
				  uint8_t flags);

/**
 * The start of a harness's own input run: a new session of "alice"
 * (FUZZ_EMSMDB_DN) on @cfg, a scratch context in *@mem_r and @handles
 * (@handle_count entries) all 0xFFFFFFFF. Aborts if an allocation fails.
 * End it with fuzz_emsmdb_run_end().
 */
struct emsmdb_session *fuzz_emsmdb_run_begin(const struct emsmdb_config *cfg,
					     TALLOC_CTX **mem_r, uint32_t *handles,
					     uint32_t handle_count);

/** Free the scratch context @mem, then session @s, of fuzz_emsmdb_run_begin(). */
void fuzz_emsmdb_run_end(struct emsmdb_session *s, TALLOC_CTX *mem);

/** Rewrites the @size bytes of a copy of the input in place (see below). */
typedef void (*fuzz_emsmdb_edit_fn)(uint8_t *buf, size_t size);

/**
 * As fuzz_emsmdb_session_run(), but the input runs as a copy that @edit
 * rewrites after @prelude (so the prelude's IDs can be substituted into
 * it): when 2 <= @size <= 0x8000, fuzz_emsmdb_run_begin(), @prelude,
 * @edit of the copy, fuzz_emsmdb_run_input(), fuzz_emsmdb_run_end().
 */
void fuzz_emsmdb_session_run_edit(const struct emsmdb_config *cfg,
				  fuzz_emsmdb_prelude_fn prelude, fuzz_emsmdb_edit_fn edit,
				  uint32_t handle_count, const uint8_t *data, size_t size);

#endif

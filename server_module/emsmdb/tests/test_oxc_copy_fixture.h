/*
 * The fixture of the issue-7 handler tests (test_oxc_copy*.c): a session
 * of "alice" on a fresh mapistore (emsmdb_test_session), logged on, with
 * helpers that run ROP requests through the real dispatcher and build
 * folders and messages in the Inbox.
 */
#ifndef TEST_OXC_COPY_FIXTURE_H
#define TEST_OXC_COPY_FIXTURE_H

#include "oc_test.h"

#include <stdint.h>

#include "emsmdb_rop.h"
#include "emsmdb_copy.h"
#include "emsmdb_test_session.h"

#define CF_DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define CF_NHANDLES 16
/* RopLogon FolderIds index of the Inbox ([MS-OXCSTOR] 2.2.1.1.3) */
#define CF_INBOX 4

struct copy_fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[CF_NHANDLES];
	uint64_t fids[13];
};

/** A logged-on session (logon at handle index 0) on @mem_ctx. */
struct copy_fixture *cf_new(TALLOC_CTX *mem_ctx, const char *tag);
void cf_free(struct copy_fixture *f);

/** Encode @reqs, run them, decode the responses (on @mem_ctx). */
struct rop_buffer *cf_run(struct copy_fixture *f, TALLOC_CTX *mem_ctx,
			  struct rop_request *reqs, uint32_t n);
/** ReturnValue of a response. */
uint32_t cf_rv(const struct rop_response *r);
/** Run one request, return its ReturnValue (its response in *out_r if asked). */
uint32_t cf_one(struct copy_fixture *f, struct rop_request *r,
		struct rop_response **out_r);

/** RopOpenFolder @fid into handle @index; asserts success. */
void cf_open_folder(struct copy_fixture *f, uint64_t fid, uint8_t index);
/** RopCreateFolder @name under the folder at @parent into @index; its FID. */
uint64_t cf_create_folder(struct copy_fixture *f, uint8_t parent, const char *name,
			  uint8_t index);
/** A saved message with PidTagSubject @subject in folder @fid (open at
 *  @folder_index); its MID. Uses handle index 15. */
uint64_t cf_make_message(struct copy_fixture *f, uint8_t folder_index, uint64_t fid,
			 const char *subject);
/** RopOpenMessage @mid of @fid (folder at handle 0 = logon) into @index. */
uint32_t cf_open_message(struct copy_fixture *f, uint64_t fid, uint64_t mid,
			 uint8_t mode, uint8_t index);
/** One property of the object at @index (PtypInteger32 / PtypString /
 *  PtypBoolean); asserts the property exists. */
uint32_t cf_get_i32(struct copy_fixture *f, uint8_t index, uint32_t tag);
const char *cf_get_str(struct copy_fixture *f, TALLOC_CTX *mem_ctx, uint8_t index,
		       uint32_t tag);
/** A PtypBinary property of the object at @index (NULL if missing), on @mem_ctx. */
struct oxcdata_binary *cf_get_bin(struct copy_fixture *f, TALLOC_CTX *mem_ctx,
				  uint8_t index, uint32_t tag);
/** True if the object at @index has a value for @tag. */
bool cf_has(struct copy_fixture *f, uint8_t index, uint32_t tag);
/** RopSetProperties of one string / integer property on the object at @index. */
uint32_t cf_set_str(struct copy_fixture *f, uint8_t index, uint32_t tag, const char *v);
uint32_t cf_set_i32(struct copy_fixture *f, uint8_t index, uint32_t tag, uint32_t v);
/** RopRelease of @index. */
void cf_release(struct copy_fixture *f, uint8_t index);
/** FID of the child of the folder at @index named @name, 0 if none. */
uint64_t cf_child(struct copy_fixture *f, uint8_t index, const char *name);
/** Rows of the contents (or hierarchy) table of the folder at @index. */
uint32_t cf_count(struct copy_fixture *f, uint8_t index, bool hierarchy);

#endif

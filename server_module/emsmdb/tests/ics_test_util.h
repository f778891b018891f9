/*
 * Helpers the ICS / FastTransfer unit tests share (test_ics*.c): the
 * client's side of a few ROP sequences they all need, on top of the
 * round trips of emsmdb_test_session.h. Every helper fails the test
 * (cmocka) when a ROP does not answer what it expects; scratch memory is
 * freed before it returns. See doc/ics-test-helpers.md.
 */
#ifndef ICS_TEST_UTIL_H
#define ICS_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

/* rop.h (through emsmdb_test_session.h) before mapistore.h */
#include "emsmdb_test_session.h"
#include "fxics.h"

/**
 * The four ICS state properties in the order a client uploads them and
 * the tests keep them ([MS-OXCFXICS] 2.2.1.1): MetaTagIdsetGiven,
 * MetaTagCnsetSeen, MetaTagCnsetSeenFAI, MetaTagCnsetRead.
 */
extern const uint32_t ics_test_state_tags[4];

/**
 * Where the message helpers act: the folder open at handle index
 * @folder (its FolderId @fid), the handle index @msg a message is opened
 * in and the ResponseHandleIndex @response of RopSetMessageReadFlag and
 * RopSaveChangesMessage.
 */
struct ics_test_place {
	uint8_t folder;
	uint8_t msg;
	uint8_t response;
	uint64_t fid;
};

/**
 * Another session on the store of @t (after emsmdb_test_session_new()):
 * user @account, DN @dn, display name @display_name, code page 1252 (a
 * second user, or the same one after its first session was closed).
 * Free it with emsmdb_session_free() before emsmdb_test_session_free(@t).
 * Fails the test on any error.
 */
struct emsmdb_session *ics_test_session_open(struct emsmdb_test_session *t,
					     const char *account, const char *dn,
					     const char *display_name);

/**
 * The owner's session of the delegate tests: registers the local backend
 * (once per process), emsmdb_test_session_new(@t, @tag, @dn) for "alice",
 * then makes the local backend @t's default, so that the mailboxes of
 * the users ics_test_session_open() adds later are provisioned on it.
 */
struct emsmdb_session *ics_test_owner_session_new(struct emsmdb_test_session *t,
						  const char *tag, const char *dn);

/**
 * A 22-byte XID ([MS-OXCFXICS] 2.2.2.2): @guid then GLOBCNT @g, high-order
 * byte first; allocated on @mem.
 */
uint8_t *ics_test_xid(TALLOC_CTX *mem, const uint8_t guid[16], uint64_t g);

/** RopRelease ([MS-OXCROPS] 2.2.15.3) of handle index @idx; no answer to check. */
void ics_test_release(struct emsmdb_test_rops *rt, uint8_t idx);

/**
 * RopOpenMessage (read/write) of @mid in @p then RopSetMessageReadFlag
 * ([MS-OXCMSG] 2.2.3.11): read when @read, else CLEAR_READ_FLAG. The
 * message is left open at @p->msg.
 */
void ics_test_set_read(struct emsmdb_test_rops *rt, const struct ics_test_place *p,
		       uint64_t mid, bool read);

/**
 * RopOpenMessage (read/write) of @mid in @p, RopSetProperties of
 * PidTagSubject @subject, RopSaveChangesMessage; all three must succeed.
 * The message is left open at @p->msg.
 */
void ics_test_modify_subject(struct emsmdb_test_rops *rt, const struct ics_test_place *p,
			     uint64_t mid, const char *subject);

/** RopDeleteMessages ([MS-OXCFOLD] 2.2.1.11) of @mid in the folder at @folder. */
void ics_test_delete_message(struct emsmdb_test_rops *rt, uint8_t folder, uint64_t mid);

/**
 * RopCreateFolder ([MS-OXCFOLD] 2.2.1.2) of a generic folder @name (no
 * comment) below the folder open at @parent, left open at @out; its FID.
 */
uint64_t ics_test_new_folder(struct emsmdb_test_rops *rt, uint8_t parent, uint8_t out,
			     const char *name);

/**
 * What a RopSynchronizationConfigure ([MS-OXCROPS] 2.2.13.1) asks for;
 * SendOptions is always Unicode.
 */
struct ics_test_sync {
	uint8_t in;			/* handle index of the folder */
	uint8_t out;			/* handle index of the new context */
	uint8_t type;			/* SynchronizationType */
	uint16_t flags;			/* SynchronizationFlags */
	uint32_t extra;			/* SynchronizationExtraFlags */
	struct Restriction *restriction;	/* RestrictionData, NULL: none */
};

/** RopSynchronizationConfigure of @c; fails the test unless it answers @expect. */
void ics_test_configure(struct emsmdb_test_rops *rt, const struct ics_test_sync *c,
			uint32_t expect);

/**
 * Upload the first @nprops (at most 4) of @state, in the order of
 * ics_test_state_tags, into the synchronization context at @idx:
 * RopSynchronizationUploadStateStreamBegin / Continue / End in one buffer
 * per property ([MS-OXCFXICS] 2.2.3.1.1.2-2.2.3.1.1.4), each answering
 * ecSuccess. Every one of those @state entries must be non-NULL.
 */
void ics_test_upload_state(struct emsmdb_test_rops *rt, uint8_t idx,
			   const struct fxics_atom *const state[4], unsigned nprops);

/** A PtypBinary @v of @tag: @len bytes at @data (not copied; may be NULL when 0). */
void ics_test_bin_prop(struct TaggedPropertyValue *v, uint32_t tag, const uint8_t *data,
		       uint32_t len);

/**
 * The four properties of a RopSynchronizationImportMessageChange
 * ([MS-OXCFXICS] 2.2.3.2.4.2) into @v: PidTagSourceKey @sk (22 bytes),
 * PidTagLastModificationTime (0x01D0000000000000), PidTagChangeKey @ck
 * (22 bytes), PidTagPredecessorChangeList @pcl (@pcl_len bytes). The
 * bytes are not copied.
 */
void ics_test_import_props(struct TaggedPropertyValue v[4], const uint8_t *sk,
			   const uint8_t *ck, const uint8_t *pcl, uint32_t pcl_len);

/**
 * Fill @r (zeroed first) with a RopSynchronizationImportMessageChange
 * ([MS-OXCROPS] 2.2.13.2) on the collector at @coll into @msg of a new
 * change of the client: source key @sk, change key the XID of @guid and
 * GLOBCNT @change, a PredecessorChangeList holding just that XID
 * (ics_test_import_props()); what it points to is allocated on @mem.
 */
void ics_test_import_change_new(TALLOC_CTX *mem, struct rop_request *r, uint8_t coll,
				uint8_t msg, const uint8_t *sk, const uint8_t guid[16],
				uint64_t change);

/**
 * RopSetProperties of PidTagSubject @subject on the message open at @msg
 * (it must succeed) then RopSaveChangesMessage (SaveFlags 0,
 * ResponseHandleIndex @response), in one buffer: the ReturnValue of the
 * save, and in *@mid_r (may be NULL) the saved MessageId (0 on failure).
 */
uint32_t ics_test_save_subject_rv(struct emsmdb_test_rops *rt, uint8_t msg, uint8_t response,
				  const char *subject, uint64_t *mid_r);

/** ics_test_save_subject_rv() that must succeed: the saved MessageId. */
uint64_t ics_test_save_subject(struct emsmdb_test_rops *rt, uint8_t msg, uint8_t response,
			       const char *subject);

/**
 * The whole stream of the download context at @idx: RopFastTransferSource
 * GetBuffer of @size bytes (emsmdb_test_get_buffer()) until Done; fails
 * the test after @max_calls buffers that are not. *@data (on @mem) and
 * *@len start empty.
 */
void ics_test_download_all(struct emsmdb_test_rops *rt, TALLOC_CTX *mem, uint8_t idx,
			   uint16_t size, unsigned max_calls, uint8_t **data, size_t *len);

/**
 * ics_test_download_all() in 0x4000-byte buffers (at most 1000), then
 * the stream decoded (ndr/fxics, code page 1252) into *@atoms_r /
 * *@count_r on @mem and checked against the grammar of @root
 * (fxics_grammar_validate); fails the test when either fails.
 */
void ics_test_download_atoms(struct emsmdb_test_rops *rt, TALLOC_CTX *mem, uint8_t idx,
			     enum fxics_root root, struct fxics_atom **atoms_r, size_t *count_r);

/** How many of the @n @atoms have PropertyTag @tag (markers included). */
size_t ics_test_count_tag(const struct fxics_atom *atoms, size_t n, uint32_t tag);

/**
 * RopSynchronizationOpenCollector ([MS-OXCFXICS] 2.2.3.2.4.1) on the
 * folder at @folder into @out, contents collector when @contents.
 */
void ics_test_open_collector(struct emsmdb_test_rops *rt, uint8_t folder, uint8_t out,
			     bool contents);

/**
 * A message with PidTagSubject @subject saved in folder @fid straight
 * through mapistore @mstore (no ROP); its MID. Scratch objects on @mem
 * are freed.
 */
uint64_t ics_test_store_message(TALLOC_CTX *mem, struct mapistore_context *mstore,
				uint64_t fid, const char *subject);

/**
 * Closes @s (and its mapistore context) and opens another session of
 * @account (DN @dn, @display_name) on the same store of @t, as
 * ics_test_session_open() does: only what is persistent is left. The
 * new session (not logged on yet).
 */
struct emsmdb_session *ics_test_session_reopen(struct emsmdb_test_session *t,
					       struct emsmdb_session *s, const char *account,
					       const char *dn, const char *display_name);

/**
 * The two sessions of a delegation test on the store of @t: alice's, the
 * owner's (ics_test_owner_session_new(@t, @tag, @alice_dn)) in *@alice_r,
 * and bob's (ics_test_session_open(@t, "bob", @bob_dn, "Bob")) in *@bob_r;
 * both handle tables (@handle_count entries each) emptied (0xFFFFFFFF).
 * Free with ics_test_two_users_free().
 */
void ics_test_two_users_new(struct emsmdb_test_session *t, const char *tag,
			    const char *alice_dn, const char *bob_dn,
			    struct emsmdb_session **alice_r, uint32_t *alice_handles,
			    struct emsmdb_session **bob_r, uint32_t *bob_handles,
			    size_t handle_count);

/** Frees the sessions of ics_test_two_users_new(), bob's first. */
void ics_test_two_users_free(struct emsmdb_test_session *t, struct emsmdb_session *alice,
			     struct emsmdb_session *bob);

/**
 * A new (unsaved) message of folder @fid, opened straight through
 * mapistore @mstore: FAI when @fai, with PidTagSubject @subject and, when
 * @body is not NULL, PidTagBody @body. The folder and the message are
 * allocated on @mem (a scratch context the caller frees after
 * mapistore_message_save()).
 */
struct mapistore_message *ics_test_message_new(TALLOC_CTX *mem,
					       struct mapistore_context *mstore,
					       uint64_t fid, bool fai, const char *subject,
					       const char *body);

/**
 * Creates an attachment of @mm (on @mem) with PidTagAttachMethod
 * afByValue, PidTagAttachDataBinary @data (@len bytes, not copied) and
 * PidTagAttachFilename @filename ([MS-OXCMSG] 2.2.2). Returns what
 * mapistore_message_create_attachment() returns; once the attachment
 * exists, fails the test if its properties cannot be set.
 */
enum mapistore_error ics_test_attach_by_value(TALLOC_CTX *mem, struct mapistore_message *mm,
					      uint8_t *data, uint32_t len,
					      const char *filename);

#endif

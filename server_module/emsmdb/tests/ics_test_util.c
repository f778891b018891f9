/* The shared ICS test helpers of ics_test_util.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "ics_test_util.h"
#include "emsmdb_rop.h"
#include "emsmdb_errors.h"
#include "emsmdb_store.h"
#include "mapistore_changes.h"
#include "ics.h"

const uint32_t ics_test_state_tags[4] = { MetaTagIdsetGiven, MetaTagCnsetSeen,
					  MetaTagCnsetSeenFAI, MetaTagCnsetRead };

struct emsmdb_session *ics_test_session_open(struct emsmdb_test_session *t,
					     const char *account, const char *dn,
					     const char *display_name)
{
	struct emsmdb_session *s = emsmdb_session_new(&t->cfg);

	assert_non_null(s);
	s->account = talloc_strdup(s, account);
	s->user_dn = talloc_strdup(s, dn);
	s->display_name = talloc_strdup(s, display_name);
	assert_non_null(s->account);
	assert_non_null(s->user_dn);
	assert_non_null(s->display_name);
	s->cpid = 1252;
	return s;
}

/* backends/local (linked through emsmdb_core_dep) */
enum mapistore_error mapistore_local_backend_register(void);

struct emsmdb_session *ics_test_owner_session_new(struct emsmdb_test_session *t,
						  const char *tag, const char *dn)
{
	struct emsmdb_session *s;

	if (mapistore_backend_lookup("local") == NULL) {
		assert_int_equal(mapistore_local_backend_register(), MAPISTORE_SUCCESS);
	}
	s = emsmdb_test_session_new(t, tag, dn);
	t->cfg.default_backend = "local";
	return s;
}

uint8_t *ics_test_xid(TALLOC_CTX *mem, const uint8_t guid[16], uint64_t g)
{
	uint8_t *x = talloc_size(mem, 22);

	assert_non_null(x);
	mapistore_xid_make(guid, g, x);
	return x;
}

void ics_test_release(struct emsmdb_test_rops *rt, uint8_t idx)
{
	struct rop_request r = { .RopId = RopRelease };
	TALLOC_CTX *tmp = talloc_new(rt->s);

	assert_non_null(tmp);
	r.u.RopRelease.InputHandleIndex = idx;
	(void)emsmdb_test_run(rt, tmp, &r, 1);
	talloc_free(tmp);
}

/* RopOpenMessage of @mid in @p, read/write, into @p->msg ([MS-OXCMSG] 2.2.3.1) */
static void open_message_request(struct rop_request *r, const struct ics_test_place *p,
				 uint64_t mid)
{
	r->RopId = RopOpenMessage;
	r->u.RopOpenMessage.InputHandleIndex = p->folder;
	r->u.RopOpenMessage.OutputHandleIndex = p->msg;
	r->u.RopOpenMessage.CodePageId = 0x0FFF;
	r->u.RopOpenMessage.FolderId = p->fid;
	r->u.RopOpenMessage.MessageId = mid;
	r->u.RopOpenMessage.OpenModeFlags = 0x01;	/* ReadWrite */
}

/* run @n ROPs in one buffer, every one answering ecSuccess */
static void run_all_ok(struct emsmdb_test_rops *rt, struct rop_request *r, uint32_t n)
{
	TALLOC_CTX *tmp = talloc_new(rt->s);
	struct rop_buffer *out;
	uint32_t i;

	assert_non_null(tmp);
	out = emsmdb_test_run(rt, tmp, r, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	talloc_free(tmp);
}

void ics_test_set_read(struct emsmdb_test_rops *rt, const struct ics_test_place *p,
		       uint64_t mid, bool read)
{
	struct rop_request r[2];

	memset(r, 0, sizeof(r));
	open_message_request(&r[0], p, mid);
	r[1].RopId = RopSetMessageReadFlag;
	r[1].u.RopSetMessageReadFlag.ResponseHandleIndex = p->response;
	r[1].u.RopSetMessageReadFlag.InputHandleIndex = p->msg;
	r[1].u.RopSetMessageReadFlag.ReadFlags = read ? 0x00 : 0x04;	/* CLEAR_READ_FLAG */
	run_all_ok(rt, r, 2);
}

void ics_test_modify_subject(struct emsmdb_test_rops *rt, const struct ics_test_place *p,
			     uint64_t mid, const char *subject)
{
	struct TaggedPropertyValue v = { .PropertyTag = PidTagSubject };
	struct rop_request r[3];

	v.Value.PropertyType = PtypString;
	v.Value.u.str = (char *)(uintptr_t)subject;
	memset(r, 0, sizeof(r));
	open_message_request(&r[0], p, mid);
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = p->msg;
	r[1].u.RopSetProperties.PropertyValueCount = 1;
	r[1].u.RopSetProperties.PropertyValues = &v;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = p->response;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = p->msg;
	run_all_ok(rt, r, 3);
}

void ics_test_delete_message(struct emsmdb_test_rops *rt, uint8_t folder, uint64_t mid)
{
	struct rop_request r = { .RopId = RopDeleteMessages };

	r.u.RopDeleteMessages.InputHandleIndex = folder;
	r.u.RopDeleteMessages.MessageIdCount = 1;
	r.u.RopDeleteMessages.MessageIds = &mid;
	run_all_ok(rt, &r, 1);
}

uint64_t ics_test_new_folder(struct emsmdb_test_rops *rt, uint8_t parent, uint8_t out,
			     const char *name)
{
	struct rop_request r = { .RopId = RopCreateFolder };
	TALLOC_CTX *tmp = talloc_new(rt->s);
	uint64_t fid;

	assert_non_null(tmp);
	r.u.RopCreateFolder.InputHandleIndex = parent;
	r.u.RopCreateFolder.OutputHandleIndex = out;
	r.u.RopCreateFolder.FolderType = 1;	/* FOLDER_GENERIC */
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)name;
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	fid = emsmdb_test_run1(rt, tmp, &r, ecSuccess)->u.RopCreateFolder.FolderId;
	talloc_free(tmp);
	return fid;
}

void ics_test_configure(struct emsmdb_test_rops *rt, const struct ics_test_sync *c,
			uint32_t expect)
{
	struct rop_request r = { .RopId = RopSynchronizationConfigure };
	struct RopSynchronizationConfigure_req *q = &r.u.RopSynchronizationConfigure;
	TALLOC_CTX *tmp = talloc_new(rt->s);

	assert_non_null(tmp);
	q->InputHandleIndex = c->in;
	q->OutputHandleIndex = c->out;
	q->SynchronizationType = c->type;
	q->SendOptions = SendOptions_Unicode;
	q->SynchronizationFlags = c->flags;
	q->SynchronizationExtraFlags = c->extra;
	q->RestrictionData = c->restriction;
	(void)emsmdb_test_run1(rt, tmp, &r, expect);
	talloc_free(tmp);
}

void ics_test_upload_state(struct emsmdb_test_rops *rt, uint8_t idx,
			   const struct fxics_atom *const state[4], unsigned nprops)
{
	struct rop_request r[3];
	unsigned i;

	assert_true(nprops <= 4);
	for (i = 0; i < nprops; i++) {
		const struct fxics_atom *a = state[i];

		assert_non_null(a);
		memset(r, 0, sizeof(r));
		r[0].RopId = RopSynchronizationUploadStateStreamBegin;
		r[0].u.RopSynchronizationUploadStateStreamBegin.InputHandleIndex = idx;
		r[0].u.RopSynchronizationUploadStateStreamBegin.StateProperty =
			ics_test_state_tags[i];
		r[0].u.RopSynchronizationUploadStateStreamBegin.TransferBufferSize =
			a->Value.u.bin.cb;
		r[1].RopId = RopSynchronizationUploadStateStreamContinue;
		r[1].u.RopSynchronizationUploadStateStreamContinue.InputHandleIndex = idx;
		r[1].u.RopSynchronizationUploadStateStreamContinue.StreamDataSize =
			a->Value.u.bin.cb;
		r[1].u.RopSynchronizationUploadStateStreamContinue.StreamData = a->Value.u.bin.lpb;
		r[2].RopId = RopSynchronizationUploadStateStreamEnd;
		r[2].u.RopSynchronizationUploadStateStreamEnd.InputHandleIndex = idx;
		run_all_ok(rt, r, 3);
	}
}

void ics_test_bin_prop(struct TaggedPropertyValue *v, uint32_t tag, const uint8_t *data,
		       uint32_t len)
{
	memset(v, 0, sizeof(*v));
	v->PropertyTag = tag;
	v->Value.PropertyType = PtypBinary;
	v->Value.u.bin.cb = len;
	v->Value.u.bin.lpb = (uint8_t *)(uintptr_t)data;
}

void ics_test_import_props(struct TaggedPropertyValue v[4], const uint8_t *sk,
			   const uint8_t *ck, const uint8_t *pcl, uint32_t pcl_len)
{
	ics_test_bin_prop(&v[0], PidTagSourceKey, sk, 22);
	memset(&v[1], 0, sizeof(v[1]));
	v[1].PropertyTag = PidTagLastModificationTime;
	v[1].Value.PropertyType = PtypTime;
	v[1].Value.u.d = 0x01D0000000000000ULL;
	ics_test_bin_prop(&v[2], PidTagChangeKey, ck, 22);
	ics_test_bin_prop(&v[3], PidTagPredecessorChangeList, pcl, pcl_len);
}

void ics_test_import_change_new(TALLOC_CTX *mem, struct rop_request *r, uint8_t coll,
				uint8_t msg, const uint8_t *sk, const uint8_t guid[16],
				uint64_t change)
{
	struct TaggedPropertyValue *v = talloc_zero_array(mem, struct TaggedPropertyValue, 4);
	uint8_t *ck = ics_test_xid(mem, guid, change), *pcl = talloc_size(mem, 23);

	assert_non_null(v);
	assert_non_null(pcl);
	pcl[0] = 22;	/* SizedXid: XidSize, then the XID ([MS-OXCFXICS] 2.2.2.4) */
	memcpy(pcl + 1, ck, 22);
	ics_test_import_props(v, sk, ck, pcl, 23);
	memset(r, 0, sizeof(*r));
	r->RopId = RopSynchronizationImportMessageChange;
	r->u.RopSynchronizationImportMessageChange.InputHandleIndex = coll;
	r->u.RopSynchronizationImportMessageChange.OutputHandleIndex = msg;
	r->u.RopSynchronizationImportMessageChange.PropertyValueCount = 4;
	r->u.RopSynchronizationImportMessageChange.PropertyValues = v;
}

uint32_t ics_test_save_subject_rv(struct emsmdb_test_rops *rt, uint8_t msg, uint8_t response,
				  const char *subject, uint64_t *mid_r)
{
	struct TaggedPropertyValue v = { .PropertyTag = PidTagSubject };
	TALLOC_CTX *tmp = talloc_new(rt->s);
	struct rop_request r[2];
	struct rop_buffer *out;
	uint32_t rv;

	assert_non_null(tmp);
	v.Value.PropertyType = PtypString;
	v.Value.u.str = (char *)(uintptr_t)subject;
	memset(r, 0, sizeof(r));
	r[0].RopId = RopSetProperties;
	r[0].u.RopSetProperties.InputHandleIndex = msg;
	r[0].u.RopSetProperties.PropertyValueCount = 1;
	r[0].u.RopSetProperties.PropertyValues = &v;
	r[1].RopId = RopSaveChangesMessage;
	r[1].u.RopSaveChangesMessage.ResponseHandleIndex = response;
	r[1].u.RopSaveChangesMessage.InputHandleIndex = msg;
	out = emsmdb_test_run(rt, tmp, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	rv = emsmdb_test_rv(&out->responses[1]);
	if (mid_r != NULL) {
		*mid_r = rv == ecSuccess ? out->responses[1].u.RopSaveChangesMessage.MessageId : 0;
	}
	talloc_free(tmp);
	return rv;
}

uint64_t ics_test_save_subject(struct emsmdb_test_rops *rt, uint8_t msg, uint8_t response,
			       const char *subject)
{
	uint64_t mid = 0;

	assert_int_equal(ics_test_save_subject_rv(rt, msg, response, subject, &mid), ecSuccess);
	return mid;
}

void ics_test_download_all(struct emsmdb_test_rops *rt, TALLOC_CTX *mem, uint8_t idx,
			   uint16_t size, unsigned max_calls, uint8_t **data, size_t *len)
{
	unsigned calls = 0;

	*data = NULL;
	*len = 0;
	while (!emsmdb_test_get_buffer(rt, mem, idx, size, data, len)) {
		assert_true(++calls < max_calls);
	}
}

void ics_test_open_collector(struct emsmdb_test_rops *rt, uint8_t folder, uint8_t out,
			     bool contents)
{
	struct rop_request r = { .RopId = RopSynchronizationOpenCollector };

	r.u.RopSynchronizationOpenCollector.InputHandleIndex = folder;
	r.u.RopSynchronizationOpenCollector.OutputHandleIndex = out;
	r.u.RopSynchronizationOpenCollector.IsContentsCollector = contents ? 1 : 0;
	run_all_ok(rt, &r, 1);
}

uint64_t ics_test_store_message(TALLOC_CTX *mem, struct mapistore_context *mstore,
				uint64_t fid, const char *subject)
{
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL;
	struct mapistore_property subj = { .proptag = PidTagSubject };
	uint64_t mid;

	assert_int_equal(mapistore_folder_open(mem, mstore, fid, &mf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_create(mem, mf, false, &mm), MAPISTORE_SUCCESS);
	subj.value.str = (char *)(uintptr_t)subject;
	assert_int_equal(mapistore_properties_set(mapistore_message_object(mm), &subj, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(mm), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(mm);
	talloc_free(mm);
	talloc_free(mf);
	return mid;
}

void ics_test_download_atoms(struct emsmdb_test_rops *rt, TALLOC_CTX *mem, uint8_t idx,
			     enum fxics_root root, struct fxics_atom **atoms_r, size_t *count_r)
{
	uint8_t *data = NULL;
	size_t len = 0, bad = 0;

	ics_test_download_all(rt, mem, idx, 0x4000, 1000, &data, &len);
	assert_int_equal(fxics_decode_all(mem, data, len, 1252, atoms_r, count_r), ROP_OK);
	assert_int_equal(fxics_grammar_validate(root, *atoms_r, *count_r, &bad), ROP_OK);
}

size_t ics_test_count_tag(const struct fxics_atom *atoms, size_t n, uint32_t tag)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		k += atoms[i].PropertyTag == tag;
	}
	return k;
}

struct mapistore_message *ics_test_message_new(TALLOC_CTX *mem,
					       struct mapistore_context *mstore,
					       uint64_t fid, bool fai, const char *subject,
					       const char *body)
{
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL;
	struct mapistore_property p[2];

	assert_int_equal(mapistore_folder_open(mem, mstore, fid, &mf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_create(mem, mf, fai, &mm), MAPISTORE_SUCCESS);
	memset(p, 0, sizeof(p));
	p[0].proptag = PidTagSubject;
	p[0].value.str = (char *)(uintptr_t)subject;
	p[1].proptag = 0x1000001F;	/* PidTagBody */
	p[1].value.str = (char *)(uintptr_t)body;
	assert_int_equal(mapistore_properties_set(mapistore_message_object(mm), p,
						  body != NULL ? 2 : 1),
			 MAPISTORE_SUCCESS);
	return mm;
}

enum mapistore_error ics_test_attach_by_value(TALLOC_CTX *mem, struct mapistore_message *mm,
					      uint8_t *data, uint32_t len,
					      const char *filename)
{
	struct mapistore_attachment *att = NULL;
	struct mapistore_property p[3];
	uint32_t aid = 0;
	enum mapistore_error err = mapistore_message_create_attachment(mem, mm, &att, &aid);

	if (err != MAPISTORE_SUCCESS) {
		return err;
	}
	memset(p, 0, sizeof(p));
	p[0].proptag = PidTagAttachMethod;
	p[0].value.i32 = 1;	/* afByValue */
	p[1].proptag = 0x37010102;	/* PidTagAttachDataBinary */
	p[1].value.bin.length = len;
	p[1].value.bin.data = data;
	p[2].proptag = 0x3704001F;	/* PidTagAttachFilename */
	p[2].value.str = (char *)(uintptr_t)filename;
	assert_int_equal(mapistore_properties_set(mapistore_attachment_object(att), p, 3),
			 MAPISTORE_SUCCESS);
	return MAPISTORE_SUCCESS;
}

void ics_test_two_users_new(struct emsmdb_test_session *t, const char *tag,
			    const char *alice_dn, const char *bob_dn,
			    struct emsmdb_session **alice_r, uint32_t *alice_handles,
			    struct emsmdb_session **bob_r, uint32_t *bob_handles,
			    size_t handle_count)
{
	*alice_r = ics_test_owner_session_new(t, tag, alice_dn);
	/* a second session on the same store */
	*bob_r = ics_test_session_open(t, "bob", bob_dn, "Bob");
	memset(alice_handles, 0xFF, handle_count * sizeof(*alice_handles));
	memset(bob_handles, 0xFF, handle_count * sizeof(*bob_handles));
}

void ics_test_two_users_free(struct emsmdb_test_session *t, struct emsmdb_session *alice,
			     struct emsmdb_session *bob)
{
	emsmdb_session_free(bob);
	emsmdb_test_session_free(t, alice);
}

struct emsmdb_session *ics_test_session_reopen(struct emsmdb_test_session *t,
					       struct emsmdb_session *s, const char *account,
					       const char *dn, const char *display_name)
{
	emsmdb_session_free(s);
	return ics_test_session_open(t, account, dn, display_name);
}

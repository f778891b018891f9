/* The test EMSMDB session of emsmdb_test_session.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_test_session.h"
#include "emsmdb_rop.h"
#include "emsmdb_store.h"
#include "emsmdb_errors.h"
#include "memory_private.h"
#include "ics.h"	/* TransferStatus_* ([MS-OXCROPS] 2.2.13.5.2) */

static const char *emsmdb_test_config_get(void *private_data, const char *key)
{
	struct emsmdb_test_session *t = private_data;

	return strcmp(key, "private dir") == 0 ? t->dir : NULL;
}

struct emsmdb_session *emsmdb_test_session_new(struct emsmdb_test_session *t,
					       const char *tag, const char *dn)
{
	struct emsmdb_session *s;

	snprintf(t->dir, sizeof(t->dir), "/tmp/emsmdb-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(t->dir));
	if (mapistore_backend_lookup("memory") == NULL) {
		assert_int_equal(mapistore_memory_backend_register(), MAPISTORE_SUCCESS);
	}
	t->mcfg.get = emsmdb_test_config_get;
	t->mcfg.private_data = t;
	emsmdb_config_default(&t->cfg);
	t->cfg.netbios_name = "OCDC";
	t->cfg.mapistore = &t->mcfg;
	t->cfg.default_backend = "memory";
	s = emsmdb_session_new(&t->cfg);
	assert_non_null(s);
	s->account = talloc_strdup(s, "alice");
	s->user_dn = talloc_strdup(s, dn);
	s->display_name = talloc_strdup(s, "Alice");
	s->cpid = 1252;
	return s;
}

void emsmdb_test_session_free(struct emsmdb_test_session *t,
			      struct emsmdb_session *s)
{
	char cmd[128];

	emsmdb_session_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

void emsmdb_test_rops_init(struct emsmdb_test_rops *rt, struct emsmdb_session *s,
			   uint32_t *handles, uint32_t handle_count)
{
	rt->s = s;
	rt->handles = handles;
	rt->handle_count = handle_count;
	memset(handles, 0xFF, handle_count * sizeof(handles[0]));
}

struct rop_buffer *emsmdb_test_run(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				   struct rop_request *reqs, uint32_t n)
{
	size_t max_out = rt->max_out != 0 ? rt->max_out : 0x8000;
	struct rop_ctx ctx = { .codepage = 1252, .logon_private = true,
			       .columns = rt->columns, .column_count = rt->column_count };
	struct rop_buffer in = { 0 }, *out = NULL;
	uint8_t *buf, *reply;
	size_t len, reply_len;

	in.count = n;
	in.requests = reqs;
	in.handle_count = rt->handle_count;
	in.ServerObjectHandleTable = rt->handles;
	assert_int_equal(rop_buffer_encode_requests(mem_ctx, &in, &ctx, &buf, &len), ROP_OK);
	assert_int_equal(emsmdb_rop_process(rt->s, mem_ctx, buf, len, max_out, &reply,
					    &reply_len), ecSuccess);
	assert_true(reply_len <= max_out);
	assert_int_equal(rop_buffer_decode_responses(mem_ctx, reply, reply_len, &in, &ctx,
						     &out), ROP_OK);
	assert_int_equal(out->handle_count, rt->handle_count);
	memcpy(rt->handles, out->ServerObjectHandleTable,
	       rt->handle_count * sizeof(rt->handles[0]));
	return out;
}

uint32_t emsmdb_test_rv(const struct rop_response *r)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&r->u + 4, 4);
	return v;
}

struct rop_response *emsmdb_test_run1(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				      struct rop_request *r, uint32_t expect)
{
	struct rop_buffer *out = emsmdb_test_run(rt, mem_ctx, r, 1);
	uint32_t i;

	/* after it, only the notifications the server appends (an open
	 * table's TableModified, [MS-OXCNOTIF] 3.1.5.7) */
	assert_true(out->count >= 1);
	for (i = 1; i < out->count; i++) {
		assert_true(out->responses[i].RopId == RopNotify ||
			    out->responses[i].RopId == RopPending);
	}
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), expect);
	return &out->responses[0];
}

void emsmdb_test_logon(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx, const char *dn,
		       uint8_t index, uint32_t expect, uint64_t fids[13])
{
	struct rop_request r = { .RopId = RopLogon };
	struct rop_response *resp;

	r.u.RopLogon.OutputHandleIndex = index;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)dn;
	r.u.RopLogon.EssdnSize = (uint16_t)(strlen(dn) + 1);
	resp = emsmdb_test_run1(rt, mem_ctx, &r, expect);
	if (fids != NULL && expect == ecSuccess) {
		memcpy(fids, resp->u.RopLogon.FolderIds, 13 * sizeof(fids[0]));
	}
}

void emsmdb_test_open_folder(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
			     uint8_t logon, uint8_t index, uint64_t fid)
{
	struct rop_request r = { .RopId = RopOpenFolder };

	r.u.RopOpenFolder.InputHandleIndex = logon;
	r.u.RopOpenFolder.OutputHandleIndex = index;
	r.u.RopOpenFolder.FolderId = fid;
	emsmdb_test_run1(rt, mem_ctx, &r, ecSuccess);
}

uint64_t emsmdb_test_new_message(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx,
				 const struct emsmdb_test_message *m)
{
	struct TaggedPropertyValue v[9];
	struct rop_request r[3];
	struct rop_buffer *out;
	uint32_t i;

	assert_true(m->more_count <= 8);
	memset(r, 0, sizeof(r));
	memset(v, 0, sizeof(v));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.InputHandleIndex = m->folder;
	r[0].u.RopCreateMessage.OutputHandleIndex = m->msg;
	r[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[0].u.RopCreateMessage.FolderId = m->fid;
	v[0].PropertyTag = PidTagSubject;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = (char *)(uintptr_t)m->subject;
	for (i = 0; i < m->more_count; i++) {
		v[1 + i] = m->more[i];
	}
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = m->msg;
	r[1].u.RopSetProperties.PropertyValueCount = (uint16_t)(1 + m->more_count);
	r[1].u.RopSetProperties.PropertyValues = v;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = m->response;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = m->msg;
	r[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = emsmdb_test_run(rt, mem_ctx, r, 3);
	assert_int_equal(out->count, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	return out->responses[2].u.RopSaveChangesMessage.MessageId;
}

bool emsmdb_test_get_buffer(struct emsmdb_test_rops *rt, TALLOC_CTX *mem_ctx, uint8_t idx,
			    uint16_t size, uint8_t **data, size_t *len)
{
	struct rop_request r = { .RopId = RopFastTransferSourceGetBuffer };
	const struct RopFastTransferSourceGetBuffer_resp *b = NULL;
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	struct rop_buffer *out = NULL;
	uint32_t rv = ecBufferTooSmall;
	bool done;

	assert_non_null(tmp);
	r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = idx;
	while (rv == ecBufferTooSmall) {
		assert_true(size <= 0x4000);
		r.u.RopFastTransferSourceGetBuffer.BufferSize = size;
		out = emsmdb_test_run(rt, tmp, &r, 1);
		rv = emsmdb_test_rv(&out->responses[0]);
		size = (uint16_t)(size * 2);
	}
	assert_int_equal(rv, ecSuccess);
	b = &out->responses[0].u.RopFastTransferSourceGetBuffer;
	*data = talloc_realloc(mem_ctx, *data, uint8_t, *len + b->TransferBufferSize + 1);
	assert_non_null(*data);
	if (b->TransferBufferSize > 0) {	/* an empty buffer may have no data */
		memcpy(*data + *len, b->TransferBuffer, b->TransferBufferSize);
	}
	*len += b->TransferBufferSize;
	done = b->TransferStatus == TransferStatus_Done;
	if (!done) {
		assert_int_equal(b->TransferStatus, TransferStatus_Partial);
		assert_true(b->TransferBufferSize > 0);
	}
	talloc_free(tmp);
	return done;
}

void emsmdb_test_add_recipient(TALLOC_CTX *mem, struct mapistore_context *mstore,
			       uint64_t fid, uint64_t mid, const char *name)
{
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL;
	struct mapistore_property p = { .proptag = PidTagDisplayName };
	struct mapistore_recipient rcpt = { .type = 1 /* MAPI_TO */, .count = 1, .props = &p };

	p.value.str = (char *)(uintptr_t)name;
	assert_int_equal(mapistore_folder_open(mem, mstore, fid, &mf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(mem, mf, mid, true, &mm), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_modify_recipients(mm, &rcpt, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(mm), MAPISTORE_SUCCESS);
	talloc_free(mm);
	talloc_free(mf);
}

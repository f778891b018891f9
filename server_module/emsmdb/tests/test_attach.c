/*
 * Attachment and embedded message handlers ([MS-OXCMSG] 2.2.3.12 -
 * 2.2.3.18) through the dispatcher, on a real mapistore (SQLite metadata
 * in a temporary directory, the memory backend): a message with a file
 * attachment and an embedded message is created, saved, and read back
 * (attachment table, RopGetValidAttachments, properties, the embedded
 * message); PidTagHasAttachments follows; the error paths.
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "oxcmsg_attach.h"
#include "memory_private.h"
#include "emsmdb_test_session.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NHANDLES 8

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NHANDLES];
	uint64_t fids[13];
	struct emsmdb_test_rops rt;	/* round trips: emsmdb_test_session.h */
};

/* encode, execute, decode; the handle table is carried in f->handles */
static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);
	struct rop_request r = { .RopId = RopLogon };
	struct rop_buffer *out;

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "att", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NHANDLES);
	r.u.RopLogon.OutputHandleIndex = 0;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)DN;
	r.u.RopLogon.EssdnSize = strlen(DN) + 1;
	out = run(f, f, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	memcpy(f->fids, out->responses[0].u.RopLogon.FolderIds, sizeof(f->fids));
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static const uint8_t file_bytes[] = { 'h', 'e', 'l', 'l', 'o', 0x00, 0xFF, '\n' };

static struct TaggedPropertyValue tpv_i32(uint32_t tag, uint32_t v)
{
	struct TaggedPropertyValue t;

	memset(&t, 0, sizeof(t));
	t.PropertyTag = tag;
	t.Value.PropertyType = PtypInteger32;
	t.Value.u.l = v;
	return t;
}

static struct TaggedPropertyValue tpv_str(uint32_t tag, const char *s)
{
	struct TaggedPropertyValue t;

	memset(&t, 0, sizeof(t));
	t.PropertyTag = tag;
	t.Value.PropertyType = PtypString;
	t.Value.u.str = (char *)(uintptr_t)s;
	return t;
}

static void set_props(struct rop_request *r, uint8_t index,
		      struct TaggedPropertyValue *v, uint16_t n)
{
	r->RopId = RopSetProperties;
	r->u.RopSetProperties.InputHandleIndex = index;
	r->u.RopSetProperties.PropertyValueCount = n;
	r->u.RopSetProperties.PropertyValues = v;
}

static void get_props(struct rop_request *r, uint8_t index, const uint32_t *tags,
		      uint16_t n)
{
	r->RopId = RopGetPropertiesSpecific;
	r->u.RopGetPropertiesSpecific.InputHandleIndex = index;
	r->u.RopGetPropertiesSpecific.WantUnicode = 1;
	r->u.RopGetPropertiesSpecific.PropertyTagCount = n;
	r->u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)tags;
}

/* a saved message in the Inbox with a file attachment (0) and an
 * embedded message (1); returns its MID */
static uint64_t make_message(struct fixture *f)
{
	struct TaggedPropertyValue msgp[1], filep[3], embp[2];
	struct oxcdata_binary bin = { .cb = sizeof(file_bytes),
				      .lpb = (uint8_t *)(uintptr_t)file_bytes };
	struct rop_request r[12];
	struct rop_buffer *out;
	uint32_t i;

	memset(r, 0, sizeof(r));
	msgp[0] = tpv_str(PidTagSubject, "outer");
	filep[0] = tpv_i32(PidTagAttachMethod, afByValue);
	filep[1] = tpv_str(PidTagAttachFilename, "hello.txt");
	memset(&filep[2], 0, sizeof(filep[2]));
	filep[2].PropertyTag = PidTagAttachDataBinary;
	filep[2].Value.PropertyType = PtypBinary;
	filep[2].Value.u.bin = bin;
	embp[0] = tpv_str(PidTagSubject, "inner");
	embp[1] = tpv_str(0x0E1D001F /* PidTagNormalizedSubject */, "inner");

	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = f->fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = f->fids[4];
	set_props(&r[2], 2, msgp, 1);
	r[3].RopId = RopCreateAttachment;
	r[3].u.RopCreateAttachment.InputHandleIndex = 2;
	r[3].u.RopCreateAttachment.OutputHandleIndex = 3;
	set_props(&r[4], 3, filep, 3);
	r[5].RopId = RopSaveChangesAttachment;
	r[5].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	r[5].u.RopSaveChangesAttachment.InputHandleIndex = 3;
	r[6].RopId = RopCreateAttachment;
	r[6].u.RopCreateAttachment.InputHandleIndex = 2;
	r[6].u.RopCreateAttachment.OutputHandleIndex = 4;
	r[7].RopId = RopOpenEmbeddedMessage;
	r[7].u.RopOpenEmbeddedMessage.InputHandleIndex = 4;
	r[7].u.RopOpenEmbeddedMessage.OutputHandleIndex = 5;
	r[7].u.RopOpenEmbeddedMessage.CodePageId = 0x0FFF;
	r[7].u.RopOpenEmbeddedMessage.OpenModeFlags = 0x02;	/* Create */
	set_props(&r[8], 5, embp, 2);
	r[9].RopId = RopSaveChangesMessage;
	r[9].u.RopSaveChangesMessage.ResponseHandleIndex = 5;
	r[9].u.RopSaveChangesMessage.InputHandleIndex = 5;
	r[9].u.RopSaveChangesMessage.SaveFlags = 0x02;
	r[10].RopId = RopSaveChangesAttachment;
	r[10].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	r[10].u.RopSaveChangesAttachment.InputHandleIndex = 4;
	r[11].RopId = RopSaveChangesMessage;
	r[11].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[11].u.RopSaveChangesMessage.InputHandleIndex = 2;
	r[11].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(f, f, r, 12);
	for (i = 0; i < 12; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_int_equal(out->responses[3].u.RopCreateAttachment.AttachmentID, 0);
	assert_int_equal(out->responses[6].u.RopCreateAttachment.AttachmentID, 1);
	assert_int_not_equal(out->responses[7].u.RopOpenEmbeddedMessage.MessageId, 0);
	assert_int_equal(out->responses[7].u.RopOpenEmbeddedMessage.RowCount, 0);
	/* the echoed index of RopSaveChangesAttachment is ResponseHandleIndex */
	assert_int_equal(out->responses[5].u.RopSaveChangesAttachment.ResponseHandleIndex, 2);
	return out->responses[11].u.RopSaveChangesMessage.MessageId;
}

static void open_message(struct fixture *f, uint64_t mid, uint8_t mode, uint8_t out_index)
{
	struct rop_request r;
	struct rop_buffer *out;

	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenMessage;
	r.u.RopOpenMessage.InputHandleIndex = 0;
	r.u.RopOpenMessage.OutputHandleIndex = out_index;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = f->fids[4];
	r.u.RopOpenMessage.MessageId = mid;
	r.u.RopOpenMessage.OpenModeFlags = mode;
	out = run(f, f, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
}

static void test_attach_roundtrip(void **state)
{
	static const uint32_t msg_tags[] = { PidTagHasAttachments, PidTagMessageFlags };
	static const uint32_t att_tags[] = { PidTagAttachNumber, PidTagAttachMethod,
					     PidTagAttachFilename, PidTagAttachDataBinary,
					     PidTagAttachSize, PidTagAccessLevel,
					     PidTagRenderingPosition };
	static const uint32_t cols[] = { PidTagAttachNumber, PidTagAttachMethod,
					 PidTagAttachFilename };
	static const uint32_t subj[] = { PidTagSubject };
	struct fixture *f = fixture_new(*state);
	const struct PropertyRow *row;
	struct rop_request r[6];
	struct rop_buffer *out;
	uint64_t mid = make_message(f);
	uint32_t i;

	/* a new session's view: reopen read-only */
	open_message(f, mid, 0x00, 2);
	memset(r, 0, sizeof(r));
	get_props(&r[0], 2, msg_tags, 2);
	r[1].RopId = RopGetValidAttachments;
	r[1].u.RopGetValidAttachments.InputHandleIndex = 2;
	r[2].RopId = RopOpenAttachment;
	r[2].u.RopOpenAttachment.InputHandleIndex = 2;
	r[2].u.RopOpenAttachment.OutputHandleIndex = 3;
	r[2].u.RopOpenAttachment.AttachmentID = 0;
	get_props(&r[3], 3, att_tags, 7);
	out = run(f, f, r, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	row = &out->responses[0].u.RopGetPropertiesSpecific.RowData;
	assert_int_equal(row->Values[0].Value.u.b, 1);
	assert_int_equal(row->Values[1].Value.u.l & mfHasAttach, mfHasAttach);
	assert_int_equal(out->responses[1].u.RopGetValidAttachments.AttachmentIdCount, 2);
	assert_int_equal(out->responses[1].u.RopGetValidAttachments.AttachmentIdArray[0], 0);
	assert_int_equal(out->responses[1].u.RopGetValidAttachments.AttachmentIdArray[1], 1);
	row = &out->responses[3].u.RopGetPropertiesSpecific.RowData;
	assert_int_equal(row->Values[0].Value.u.l, 0);
	assert_int_equal(row->Values[1].Value.u.l, afByValue);
	assert_string_equal(row->Values[2].Value.u.str, "hello.txt");
	assert_int_equal(row->Values[3].Value.u.bin.cb, sizeof(file_bytes));
	assert_memory_equal(row->Values[3].Value.u.bin.lpb, file_bytes, sizeof(file_bytes));
	/* the sum of the properties: at least the data and the file name */
	assert_true(row->Values[4].Value.u.l >= sizeof(file_bytes) + 20);
	assert_int_equal(row->Values[5].Value.u.l, 0);	/* read-only */
	assert_int_equal(row->Values[6].Value.u.l, 0xFFFFFFFF);

	/* the attachment table */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetAttachmentTable;
	r[0].u.RopGetAttachmentTable.InputHandleIndex = 2;
	r[0].u.RopGetAttachmentTable.OutputHandleIndex = 4;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 4;
	r[1].u.RopSetColumns.PropertyTagCount = 3;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 4;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 10;
	out = run(f, f, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_int_equal(out->responses[2].u.RopQueryRows.RowCount, 2);
	row = out->responses[2].u.RopQueryRows.RowData;
	assert_int_equal(row[0].Values[0].Value.u.l, 0);
	assert_string_equal(row[0].Values[2].Value.u.str, "hello.txt");
	assert_int_equal(row[1].Values[0].Value.u.l, 1);
	assert_int_equal(row[1].Values[1].Value.u.l, afEmbeddedMessage);

	/* the embedded message, read-only */
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenAttachment;
	r[0].u.RopOpenAttachment.InputHandleIndex = 2;
	r[0].u.RopOpenAttachment.OutputHandleIndex = 5;
	r[0].u.RopOpenAttachment.AttachmentID = 1;
	r[1].RopId = RopOpenEmbeddedMessage;
	r[1].u.RopOpenEmbeddedMessage.InputHandleIndex = 5;
	r[1].u.RopOpenEmbeddedMessage.OutputHandleIndex = 6;
	r[1].u.RopOpenEmbeddedMessage.CodePageId = 0x0FFF;
	get_props(&r[2], 6, subj, 1);
	out = run(f, f, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_int_equal(out->responses[1].u.RopOpenEmbeddedMessage.NormalizedSubject.StringType,
			 0x04);
	assert_string_equal(out->responses[1].u.RopOpenEmbeddedMessage.NormalizedSubject.String,
			    "inner");
	assert_string_equal(out->responses[2].u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.str,
			    "inner");
	fixture_free(f);
}

static void test_attach_delete(void **state)
{
	static const uint32_t msg_tags[] = { PidTagHasAttachments, PidTagMessageFlags };
	struct fixture *f = fixture_new(*state);
	struct rop_request r[4];
	struct rop_buffer *out;
	uint64_t mid = make_message(f);
	uint32_t i;

	open_message(f, mid, 0x01, 2);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopDeleteAttachment;
	r[0].u.RopDeleteAttachment.InputHandleIndex = 2;
	r[0].u.RopDeleteAttachment.AttachmentID = 0;
	r[1].RopId = RopDeleteAttachment;
	r[1].u.RopDeleteAttachment.InputHandleIndex = 2;
	r[1].u.RopDeleteAttachment.AttachmentID = 1;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = 2;
	r[2].u.RopSaveChangesMessage.SaveFlags = 0x02;
	out = run(f, f, r, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	open_message(f, mid, 0x00, 3);
	memset(r, 0, sizeof(r));
	get_props(&r[0], 3, msg_tags, 2);
	r[1].RopId = RopGetValidAttachments;
	r[1].u.RopGetValidAttachments.InputHandleIndex = 3;
	out = run(f, f, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[0].u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.b, 0);
	assert_int_equal(out->responses[0].u.RopGetPropertiesSpecific.RowData.Values[1].Value.u.l &
			 mfHasAttach, 0);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(out->responses[1].u.RopGetValidAttachments.AttachmentIdCount, 0);
	fixture_free(f);
}

/* an attachment of an embedded message: saved with the embedded message,
 * which is saved with its attachment, which is saved with the message */
static void test_attach_nested(void **state)
{
	static const uint32_t name_tag[] = { PidTagAttachFilename };
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue v[1];
	struct rop_request r[12];
	struct rop_buffer *out;
	uint64_t mid;
	uint32_t i;

	v[0] = tpv_str(PidTagAttachFilename, "deep.txt");
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = f->fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = f->fids[4];
	r[2].RopId = RopCreateAttachment;
	r[2].u.RopCreateAttachment.InputHandleIndex = 2;
	r[2].u.RopCreateAttachment.OutputHandleIndex = 3;
	r[3].RopId = RopOpenEmbeddedMessage;
	r[3].u.RopOpenEmbeddedMessage.InputHandleIndex = 3;
	r[3].u.RopOpenEmbeddedMessage.OutputHandleIndex = 4;
	r[3].u.RopOpenEmbeddedMessage.OpenModeFlags = 0x02;
	r[4].RopId = RopCreateAttachment;
	r[4].u.RopCreateAttachment.InputHandleIndex = 4;
	r[4].u.RopCreateAttachment.OutputHandleIndex = 5;
	set_props(&r[5], 5, v, 1);
	r[6].RopId = RopSaveChangesAttachment;
	r[6].u.RopSaveChangesAttachment.ResponseHandleIndex = 4;
	r[6].u.RopSaveChangesAttachment.InputHandleIndex = 5;
	r[7].RopId = RopSaveChangesMessage;
	r[7].u.RopSaveChangesMessage.ResponseHandleIndex = 4;
	r[7].u.RopSaveChangesMessage.InputHandleIndex = 4;
	r[8].RopId = RopSaveChangesAttachment;
	r[8].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	r[8].u.RopSaveChangesAttachment.InputHandleIndex = 3;
	r[9].RopId = RopSaveChangesMessage;
	r[9].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[9].u.RopSaveChangesMessage.InputHandleIndex = 2;
	out = run(f, f, r, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	mid = out->responses[9].u.RopSaveChangesMessage.MessageId;

	open_message(f, mid, 0x00, 2);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenAttachment;
	r[0].u.RopOpenAttachment.InputHandleIndex = 2;
	r[0].u.RopOpenAttachment.OutputHandleIndex = 3;
	r[1].RopId = RopOpenEmbeddedMessage;
	r[1].u.RopOpenEmbeddedMessage.InputHandleIndex = 3;
	r[1].u.RopOpenEmbeddedMessage.OutputHandleIndex = 4;
	r[2].RopId = RopGetValidAttachments;
	r[2].u.RopGetValidAttachments.InputHandleIndex = 4;
	r[3].RopId = RopOpenAttachment;
	r[3].u.RopOpenAttachment.InputHandleIndex = 4;
	r[3].u.RopOpenAttachment.OutputHandleIndex = 5;
	get_props(&r[4], 5, name_tag, 1);
	out = run(f, f, r, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_int_equal(out->responses[2].u.RopGetValidAttachments.AttachmentIdCount, 1);
	assert_string_equal(out->responses[4].u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.str,
			    "deep.txt");
	fixture_free(f);
}

/* PidTagAttachDataBinary written and read through a stream ([MS-OXCPRPT]
 * 2.2.14 RopOpenStream on an attachment object), as Outlook sends files */
static void test_attach_stream(void **state)
{
	static const uint32_t size_tag[] = { PidTagAttachSize };
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue v[1];
	struct rop_request r[10];
	struct rop_buffer *out;
	uint8_t data[3000];
	uint64_t mid;
	uint32_t i;

	for (i = 0; i < sizeof(data); i++) {
		data[i] = (uint8_t)(i * 7 + 1);
	}
	v[0] = tpv_i32(PidTagAttachMethod, afByValue);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = f->fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = f->fids[4];
	r[2].RopId = RopCreateAttachment;
	r[2].u.RopCreateAttachment.InputHandleIndex = 2;
	r[2].u.RopCreateAttachment.OutputHandleIndex = 3;
	set_props(&r[3], 3, v, 1);
	r[4].RopId = RopOpenStream;
	r[4].u.RopOpenStream.InputHandleIndex = 3;
	r[4].u.RopOpenStream.OutputHandleIndex = 4;
	r[4].u.RopOpenStream.PropertyTag = PidTagAttachDataBinary;
	r[4].u.RopOpenStream.OpenModeFlags = 0x02;	/* Create */
	r[5].RopId = RopWriteStream;
	r[5].u.RopWriteStream.InputHandleIndex = 4;
	r[5].u.RopWriteStream.DataSize = sizeof(data);
	r[5].u.RopWriteStream.Data = data;
	r[6].RopId = RopCommitStream;
	r[6].u.RopCommitStream.InputHandleIndex = 4;
	r[7].RopId = RopSaveChangesAttachment;
	r[7].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	r[7].u.RopSaveChangesAttachment.InputHandleIndex = 3;
	r[8].RopId = RopSaveChangesMessage;
	r[8].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[8].u.RopSaveChangesMessage.InputHandleIndex = 2;
	out = run(f, f, r, 9);
	for (i = 0; i < 9; i++) {
		if (emsmdb_test_rv(&out->responses[i]) != ecSuccess) {
			fail_msg("ROP %u (0x%02x): 0x%08x", i, out->responses[i].RopId,
				 emsmdb_test_rv(&out->responses[i]));
		}
	}
	assert_int_equal(out->responses[5].u.RopWriteStream.WrittenSize, sizeof(data));
	mid = out->responses[8].u.RopSaveChangesMessage.MessageId;

	open_message(f, mid, 0x00, 2);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenAttachment;
	r[0].u.RopOpenAttachment.InputHandleIndex = 2;
	r[0].u.RopOpenAttachment.OutputHandleIndex = 3;
	get_props(&r[1], 3, size_tag, 1);
	r[2].RopId = RopOpenStream;
	r[2].u.RopOpenStream.InputHandleIndex = 3;
	r[2].u.RopOpenStream.OutputHandleIndex = 4;
	r[2].u.RopOpenStream.PropertyTag = PidTagAttachDataBinary;
	r[3].RopId = RopReadStream;
	r[3].u.RopReadStream.InputHandleIndex = 4;
	r[3].u.RopReadStream.ByteCount = 4000;
	out = run(f, f, r, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_true(out->responses[1].u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.l >=
		    sizeof(data));
	assert_int_equal(out->responses[2].u.RopOpenStream.StreamSize, sizeof(data));
	assert_int_equal(out->responses[3].u.RopReadStream.DataSize, sizeof(data));
	assert_memory_equal(out->responses[3].u.RopReadStream.Data, data, sizeof(data));
	fixture_free(f);
}

/* [MS-OXCMSG] 3.2.5.13: an attachment released before
 * RopSaveChangesAttachment is not committed; a saved one is */
static void test_attach_unsaved_released(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct TaggedPropertyValue v[1];
	struct rop_request r[9];
	struct rop_buffer *out;
	uint64_t mid;
	uint32_t i;

	v[0] = tpv_str(PidTagAttachFilename, "dropped.txt");
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 1;
	r[0].u.RopOpenFolder.FolderId = f->fids[4];
	r[1].RopId = RopCreateMessage;
	r[1].u.RopCreateMessage.InputHandleIndex = 1;
	r[1].u.RopCreateMessage.OutputHandleIndex = 2;
	r[1].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[1].u.RopCreateMessage.FolderId = f->fids[4];
	r[2].RopId = RopCreateAttachment;
	r[2].u.RopCreateAttachment.InputHandleIndex = 2;
	r[2].u.RopCreateAttachment.OutputHandleIndex = 3;
	set_props(&r[3], 3, v, 1);
	r[4].RopId = RopRelease;
	r[4].u.RopRelease.InputHandleIndex = 3;
	r[5].RopId = RopCreateAttachment;
	r[5].u.RopCreateAttachment.InputHandleIndex = 2;
	r[5].u.RopCreateAttachment.OutputHandleIndex = 4;
	r[6].RopId = RopSaveChangesAttachment;
	r[6].u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
	r[6].u.RopSaveChangesAttachment.InputHandleIndex = 4;
	r[7].RopId = RopRelease;
	r[7].u.RopRelease.InputHandleIndex = 4;
	r[8].RopId = RopSaveChangesMessage;
	r[8].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[8].u.RopSaveChangesMessage.InputHandleIndex = 2;
	out = run(f, f, r, 9);	/* 7 responses: RopRelease has none */
	for (i = 0; i < 7; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	assert_int_equal(out->responses[4].u.RopCreateAttachment.AttachmentID, 1);
	mid = out->responses[6].u.RopSaveChangesMessage.MessageId;

	open_message(f, mid, 0x00, 2);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetValidAttachments;
	r[0].u.RopGetValidAttachments.InputHandleIndex = 2;
	out = run(f, f, r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(out->responses[0].u.RopGetValidAttachments.AttachmentIdCount, 1);
	assert_int_equal(out->responses[0].u.RopGetValidAttachments.AttachmentIdArray[0], 1);
	fixture_free(f);
}

/* table-driven error paths: each row one ROP on a prepared handle table
 * (0 logon, 2 read-only message, 3 its file attachment) */
static void test_attach_errors(void **state)
{
	static const struct {
		const char *what;
		uint8_t RopId;
		uint8_t in_index;
		uint32_t AttachmentID;
		uint8_t flags;
		uint32_t expect;
	} cases[] = {
		{ "no such attachment", RopOpenAttachment, 2, 42, 0x00, ecNotFound },
		{ "ReadWrite of a read-only message", RopOpenAttachment, 2, 0, 0x01, ecAccessDenied },
		{ "create on a read-only message", RopCreateAttachment, 2, 0, 0, ecAccessDenied },
		{ "delete on a read-only message", RopDeleteAttachment, 2, 0, 0, ecAccessDenied },
		{ "save of a read-only attachment", RopSaveChangesAttachment, 3, 0, 0, ecAccessDenied },
		{ "no embedded message, no Create", RopOpenEmbeddedMessage, 3, 0, 0x00, ecNotFound },
		{ "Create on a read-only attachment", RopOpenEmbeddedMessage, 3, 0, 0x02, ecAccessDenied },
		{ "attachment ROP on a logon", RopGetAttachmentTable, 0, 0, 0, ecNotSupported },
		{ "attachment ROP on a message", RopSaveChangesAttachment, 2, 0, 0, ecNotSupported },
	};
	struct fixture *f = fixture_new(*state);
	struct rop_request r;
	struct rop_buffer *out;
	uint64_t mid = make_message(f);
	size_t i;

	open_message(f, mid, 0x00, 2);
	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenAttachment;
	r.u.RopOpenAttachment.InputHandleIndex = 2;
	r.u.RopOpenAttachment.OutputHandleIndex = 3;
	out = run(f, f, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.RopId = cases[i].RopId;
		switch (cases[i].RopId) {
		case RopOpenAttachment:
			r.u.RopOpenAttachment.InputHandleIndex = cases[i].in_index;
			r.u.RopOpenAttachment.OutputHandleIndex = 5;
			r.u.RopOpenAttachment.AttachmentID = cases[i].AttachmentID;
			r.u.RopOpenAttachment.OpenAttachmentFlags = cases[i].flags;
			break;
		case RopCreateAttachment:
			r.u.RopCreateAttachment.InputHandleIndex = cases[i].in_index;
			r.u.RopCreateAttachment.OutputHandleIndex = 5;
			break;
		case RopDeleteAttachment:
			r.u.RopDeleteAttachment.InputHandleIndex = cases[i].in_index;
			r.u.RopDeleteAttachment.AttachmentID = cases[i].AttachmentID;
			break;
		case RopSaveChangesAttachment:
			r.u.RopSaveChangesAttachment.ResponseHandleIndex = 2;
			r.u.RopSaveChangesAttachment.InputHandleIndex = cases[i].in_index;
			break;
		case RopOpenEmbeddedMessage:
			r.u.RopOpenEmbeddedMessage.InputHandleIndex = cases[i].in_index;
			r.u.RopOpenEmbeddedMessage.OutputHandleIndex = 5;
			r.u.RopOpenEmbeddedMessage.OpenModeFlags = cases[i].flags;
			break;
		case RopGetAttachmentTable:
			r.u.RopGetAttachmentTable.InputHandleIndex = cases[i].in_index;
			r.u.RopGetAttachmentTable.OutputHandleIndex = 5;
			break;
		}
		f->handles[5] = 0xFFFFFFFF;
		out = run(f, f, &r, 1);
		if (emsmdb_test_rv(&out->responses[0]) != cases[i].expect) {
			fail_msg("%s: 0x%08x, expected 0x%08x", cases[i].what,
				 emsmdb_test_rv(&out->responses[0]), cases[i].expect);
		}
		/* a failed ROP maps no output object */
		assert_int_equal(f->handles[5], 0xFFFFFFFF);
	}
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_roundtrip, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_delete, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_nested, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_stream, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_unsaved_released, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_errors, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

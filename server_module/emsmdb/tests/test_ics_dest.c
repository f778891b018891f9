/*
 * FastTransfer upload ([MS-OXCFXICS] 3.2.5.8.2, ics_dest*.c) through the
 * dispatcher on a real mapistore (memory backend, SQLite metadata):
 * RopFastTransferDestinationConfigure errors; a messageList with
 * recipients, attachments, an embedded message, a named property and an
 * FAI message put in 7-byte pieces; the same stream cut at every byte
 * position; a corrupted stream and a cut one leave nothing visible; a
 * topFolder (CopyFolder) with a subfolder; messageContent onto an open
 * message (CopyTo). Everything read back straight from mapistore.
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "mapistore_namedprops.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 8
#define H_LOGON 0
#define H_FOLDER 1
#define H_DEST 2
#define H_MSG 3
#define H_OTHER 4
#define H_COLL 5

#define PidTagBody 0x1000001F
#define PidTagAttachMethod_ 0x37050003
#define PidTagAttachLongFilename 0x3707001F
#define PidTagAttachDataBinary 0x37010102
#define PidTagEmailAddress 0x3003001F
#define ecDuplicateName 0x80040604

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	struct emsmdb_test_rops rt;	/* round trips over handles[] */
	uint64_t fids[13];
};

/* round trips: emsmdb_test_session.h */
static struct rop_response *run1(struct fixture *f, TALLOC_CTX *mem, struct rop_request *r,
				 uint32_t expect)
{
	return emsmdb_test_run1(&f->rt, mem, r, expect);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "icsdest", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

static void open_folder(struct fixture *f, uint8_t idx, uint64_t fid)
{
	TALLOC_CTX *tmp = talloc_new(f);

	emsmdb_test_open_folder(&f->rt, tmp, H_LOGON, idx, fid);
	talloc_free(tmp);
}

static void dest_configure(struct fixture *f, uint8_t in, uint8_t op, uint8_t flags,
			   uint32_t expect)
{
	struct rop_request r = { .RopId = RopFastTransferDestinationConfigure };
	TALLOC_CTX *tmp = talloc_new(f);

	r.u.RopFastTransferDestinationConfigure.InputHandleIndex = in;
	r.u.RopFastTransferDestinationConfigure.OutputHandleIndex = H_DEST;
	r.u.RopFastTransferDestinationConfigure.SourceOperation = op;
	r.u.RopFastTransferDestinationConfigure.CopyFlags = flags;
	run1(f, tmp, &r, expect);
	talloc_free(tmp);
}

/* PutBuffer (or PutBufferExtended when @ext) of @len bytes; the status */
static uint16_t put(struct fixture *f, const uint8_t *data, size_t len, bool ext,
		    uint32_t expect)
{
	struct rop_request r = { 0 };
	struct rop_response *resp;
	TALLOC_CTX *tmp = talloc_new(f);
	uint16_t status, used;

	r.RopId = ext ? RopFastTransferDestinationPutBufferExtended :
		RopFastTransferDestinationPutBuffer;
	/* both requests have the same layout */
	r.u.RopFastTransferDestinationPutBuffer.InputHandleIndex = H_DEST;
	r.u.RopFastTransferDestinationPutBuffer.TransferDataSize = (uint16_t)len;
	r.u.RopFastTransferDestinationPutBuffer.TransferData = (uint8_t *)(uintptr_t)data;
	resp = run1(f, tmp, &r, expect);
	if (ext) {
		status = resp->u.RopFastTransferDestinationPutBufferExtended.TransferStatus;
		used = resp->u.RopFastTransferDestinationPutBufferExtended.BufferUsedSize;
		assert_int_equal(resp->u.RopFastTransferDestinationPutBufferExtended.InProgressCount, 0);
	} else {
		status = resp->u.RopFastTransferDestinationPutBuffer.TransferStatus;
		used = resp->u.RopFastTransferDestinationPutBuffer.BufferUsedSize;
	}
	if (expect == ecSuccess) {
		assert_int_equal(used, len);
	} else {
		assert_true(used <= len);
		assert_int_equal(status, TransferStatus_Error);
	}
	talloc_free(tmp);
	return status;
}

/* the whole stream in pieces of @piece bytes */
static uint16_t put_all(struct fixture *f, const uint8_t *data, size_t len, size_t piece)
{
	uint16_t status = TransferStatus_Partial;
	size_t off;

	for (off = 0; off < len; off += piece) {
		status = put(f, data + off, len - off < piece ? len - off : piece,
			     (off / piece) % 2 == 1, ecSuccess);
	}
	return status;
}

static void release(struct fixture *f, uint8_t idx)
{
	ics_test_release(&f->rt, idx);
}

/* ---- streams ---- */

static void p_str(struct fxics_encoder *e, uint32_t tag, const char *s)
{
	struct PropertyValue v = { .PropertyType = PtypString };

	v.u.str = (char *)(uintptr_t)s;
	assert_int_equal(fxics_encoder_property(e, tag, NULL, &v), ROP_OK);
}

static void p_u32(struct fxics_encoder *e, uint32_t tag, uint32_t x)
{
	struct PropertyValue v = { .PropertyType = PtypInteger32 };

	v.u.l = x;
	assert_int_equal(fxics_encoder_property(e, tag, NULL, &v), ROP_OK);
}

static void mark(struct fxics_encoder *e, uint32_t m)
{
	assert_int_equal(fxics_encoder_marker(e, m), ROP_OK);
}

/* PSETID_Common {00062008-0000-0000-C000-000000000046}, LID 0x8580 */
static const struct PropertyName named_lid = {
	.Kind = 0x00, .LID = 0x8580,
	.Guid = { 0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00,
		  0x00, 0x00, 0x00, 0x46 },
};

/* one full message: subject, body of @body bytes, a named property, a
 * recipient, a file attachment and an attachment with an embedded message */
static void message_content(struct fxics_encoder *e, const char *subject, size_t body)
{
	struct PropertyValue v = { .PropertyType = PtypString };
	uint8_t data[64];
	char *text = NULL;
	size_t i;

	p_str(e, PidTagSubject, subject);
	if (body > 0) {
		text = talloc_size(e, body + 1);
		for (i = 0; i < body; i++) {
			text[i] = (char)('a' + i % 26);
		}
		text[body] = '\0';
		p_str(e, PidTagBody, text);
		talloc_free(text);
	}
	v.u.str = (char *)(uintptr_t)"named value";
	assert_int_equal(fxics_encoder_property(e, 0x8000001F, &named_lid, &v), ROP_OK);
	assert_int_equal(fxics_encoder_meta_u32(e, MetaTagFXDelProp,
						FXICS_PidTagMessageRecipients), ROP_OK);
	mark(e, StartRecip);
	p_u32(e, PidTagRowid, 0);
	p_u32(e, PidTagRecipientType, 1);
	p_str(e, PidTagDisplayName, "Bob");
	p_str(e, PidTagEmailAddress, "bob@example.com");
	mark(e, EndToRecip);
	assert_int_equal(fxics_encoder_meta_u32(e, MetaTagFXDelProp,
						FXICS_PidTagMessageAttachments), ROP_OK);
	mark(e, NewAttach);
	p_u32(e, PidTagAttachNumber, 0);
	p_u32(e, PidTagAttachMethod_, 1);
	p_str(e, PidTagAttachLongFilename, "a.txt");
	for (i = 0; i < sizeof(data); i++) {
		data[i] = (uint8_t)i;
	}
	v.PropertyType = PtypBinary;
	v.u.bin.cb = sizeof(data);
	v.u.bin.lpb = data;
	assert_int_equal(fxics_encoder_property(e, PidTagAttachDataBinary, NULL, &v), ROP_OK);
	mark(e, EndAttach);
	mark(e, NewAttach);
	p_u32(e, PidTagAttachNumber, 1);
	p_u32(e, PidTagAttachMethod_, 5);
	mark(e, StartEmbed);
	p_str(e, PidTagSubject, "inner");
	mark(e, EndEmbed);
	mark(e, EndAttach);
}

/* take everything the encoder holds */
static uint8_t *take(TALLOC_CTX *mem, struct fxics_encoder *e, size_t *len_r)
{
	const uint8_t *p;
	uint8_t *out;
	size_t len;

	*len_r = fxics_encoder_pending(e);
	out = talloc_size(mem, *len_r);
	assert_non_null(out);
	assert_int_equal(fxics_encoder_next_buffer(e, *len_r, &p, &len), ROP_OK);
	assert_int_equal(len, *len_r);
	memcpy(out, p, len);
	return out;
}

/* messageList: "@prefix 1" (normal, full) and "@prefix FAI" (FAI, subject only) */
static uint8_t *message_list(TALLOC_CTX *mem, const char *prefix, size_t body, size_t *len_r)
{
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	char subject[64];
	uint8_t *out;

	assert_non_null(e);
	snprintf(subject, sizeof(subject), "%s 1", prefix);
	mark(e, StartMessage);
	message_content(e, subject, body);
	mark(e, EndMessage);
	snprintf(subject, sizeof(subject), "%s FAI", prefix);
	mark(e, StartFAIMsg);
	p_str(e, PidTagSubject, subject);
	mark(e, EndMessage);
	out = take(mem, e, len_r);
	talloc_free(e);
	return out;
}

/* ---- reading back ---- */

/* MIDs of the messages of @fid (FAI ones when @fai) whose subject starts with @prefix */
static uint32_t find(struct fixture *f, TALLOC_CTX *mem, uint64_t fid, bool fai,
		     const char *prefix, uint64_t *mid_r)
{
	static const uint32_t cols[] = { PidTagMid, PidTagSubject };
	struct mapistore_folder *mf = NULL;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i, hits = 0;

	assert_int_equal(mapistore_folder_open(mem, f->s->mstore, fid, &mf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open_table(mem, mf, fai ? MAPISTORE_FAI_TABLE :
						     MAPISTORE_MESSAGE_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, cols, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(mem, t, 10000, &rows, &n), MAPISTORE_SUCCESS);
	for (i = 0; i < n; i++) {
		if (!mapistore_property_is_error(&rows[i].props[1]) &&
		    strncmp(rows[i].props[1].value.str, prefix, strlen(prefix)) == 0) {
			hits++;
			if (mid_r != NULL) {
				*mid_r = (uint64_t)rows[i].props[0].value.i64;
			}
		}
	}
	talloc_free(t);
	talloc_free(mf);
	return hits;
}

/* the full message @mid of @fid, as message_content() wrote it */
static void check_full(struct fixture *f, TALLOC_CTX *mem, uint64_t fid, uint64_t mid,
		       size_t body)
{
	struct mapistore_folder *mf = NULL;
	struct mapistore_message *mm = NULL, *inner = NULL;
	struct mapistore_attachment *att = NULL;
	struct mapistore_recipient *recips = NULL;
	struct mapistore_property *props = NULL;
	struct mapistore_namedprops *np = mapistore_context_get_namedprops(f->s->mstore);
	struct mapistore_nameid nid = { .guid = "00062008-0000-0000-c000-000000000046",
					.kind = MNID_ID, .lid = 0x8580 };
	uint32_t tags[2], n = 0;
	uint16_t id = 0;

	assert_int_equal(mapistore_folder_open(mem, f->s->mstore, fid, &mf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_open(mem, mf, mid, false, &mm), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_namedprops_get_mapped_id(np, &nid, false, &id),
			 MAPISTORE_SUCCESS);
	tags[0] = PidTagBody;
	tags[1] = ((uint32_t)id << 16) | PtypString;
	assert_int_equal(mapistore_properties_get(mem, mapistore_message_object(mm), tags, 2,
						  &props), MAPISTORE_SUCCESS);
	if (body > 0) {
		assert_false(mapistore_property_is_error(&props[0]));
		assert_int_equal(strlen(props[0].value.str), body);
		assert_int_equal(props[0].value.str[body - 1], 'a' + (body - 1) % 26);
	}
	assert_false(mapistore_property_is_error(&props[1]));
	assert_string_equal(props[1].value.str, "named value");
	assert_int_equal(mapistore_message_get_recipients(mem, mm, &recips, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(recips[0].type, 1);
	/* attachments 0 (file) and 1 (embedded "inner") */
	assert_int_equal(mapistore_message_open_attachment(mem, mm, 0, &att), MAPISTORE_SUCCESS);
	tags[0] = PidTagAttachDataBinary;
	assert_int_equal(mapistore_properties_get(mem, mapistore_attachment_object(att), tags, 1,
						  &props), MAPISTORE_SUCCESS);
	assert_int_equal(props[0].value.bin.length, 64);
	assert_int_equal(props[0].value.bin.data[63], 63);
	assert_int_equal(mapistore_message_open_attachment(mem, mm, 1, &att), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_attachment_open_embedded(mem, att, false, &inner),
			 MAPISTORE_SUCCESS);
	tags[0] = PidTagSubject;
	assert_int_equal(mapistore_properties_get(mem, mapistore_message_object(inner), tags, 1,
						  &props), MAPISTORE_SUCCESS);
	assert_string_equal(props[0].value.str, "inner");
}

/* ---- tests ---- */

static void test_configure_errors(void **state)
{
	struct fixture *f = fixture_new(*state);

	open_folder(f, H_FOLDER, f->fids[4]);
	dest_configure(f, H_FOLDER, 0x05, 0, ecInvalidParam);		/* unknown operation */
	dest_configure(f, H_FOLDER, 0x00, 0, ecInvalidParam);
	dest_configure(f, H_FOLDER, SourceOperation_CopyTo, 0x02, ecInvalidParam); /* flag */
	dest_configure(f, H_LOGON, SourceOperation_CopyTo, 0, ecNotSupported);	/* row type */
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, CopyFlags_Move, ecSuccess);
	/* PutBuffer on a folder: the dispatcher's type check */
	{
		struct rop_request r = { .RopId = RopFastTransferDestinationPutBuffer };
		uint8_t b[4] = { 0 };

		r.u.RopFastTransferDestinationPutBuffer.InputHandleIndex = H_FOLDER;
		r.u.RopFastTransferDestinationPutBuffer.TransferDataSize = 4;
		r.u.RopFastTransferDestinationPutBuffer.TransferData = b;
		run1(f, f, &r, ecNotSupported);
	}
	/* an empty messageList is complete as far as it goes */
	assert_int_equal(put(f, NULL, 0, false, ecSuccess), TransferStatus_Partial);
	fixture_free(f);
}

static void test_message_list_pieces(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	uint64_t mid = 0;
	uint8_t *s;
	size_t len;

	open_folder(f, H_FOLDER, f->fids[4]);
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
	s = message_list(mem, "listed", 5000, &len);
	assert_int_equal(put_all(f, s, len, 7), TransferStatus_Partial);
	assert_int_equal(find(f, mem, f->fids[4], false, "listed 1", &mid), 1);
	check_full(f, mem, f->fids[4], mid, 5000);
	assert_int_equal(find(f, mem, f->fids[4], true, "listed FAI", NULL), 1);
	release(f, H_DEST);
	talloc_free(mem);
	fixture_free(f);
}

/* the stream cut at every position (two PutBuffers): the same messages */
static void test_every_cut(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	uint8_t *s;
	size_t len, cut;

	open_folder(f, H_FOLDER, f->fids[4]);
	s = message_list(mem, "cut", 0, &len);
	for (cut = 0; cut <= len; cut++) {
		dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
		put(f, s, cut, false, ecSuccess);
		put(f, s + cut, len - cut, true, ecSuccess);
		release(f, H_DEST);
	}
	assert_int_equal(find(f, mem, f->fids[4], false, "cut 1", NULL), len + 1);
	assert_int_equal(find(f, mem, f->fids[4], true, "cut FAI", NULL), len + 1);
	talloc_free(mem);
	fixture_free(f);
}

/* a broken stream answers ecInvalidParam, stays failed, and leaves no
 * half-written message; a stream cut inside a message leaves none either */
static void test_corrupt_and_cut(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	uint8_t *s, bad[4] = { 0x03, 0x00, 0x0B, 0x40 };	/* EndFolder */
	size_t len;

	open_folder(f, H_FOLDER, f->fids[4]);
	mark(e, StartMessage);
	message_content(e, "broken", 100);
	s = take(mem, e, &len);
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
	put(f, s, len, false, ecSuccess);
	put(f, bad, sizeof(bad), false, ecInvalidParam);	/* EndFolder inside a message */
	put(f, s, 4, true, ecInvalidParam);			/* sticky */
	release(f, H_DEST);
	assert_int_equal(find(f, mem, f->fids[4], false, "broken", NULL), 0);
	/* an unknown property type is a bad element */
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
	{
		uint8_t junk[] = { 0x03, 0x00, 0x0C, 0x40, 0x77, 0x77, 0x37, 0x00, 1, 2 };

		put(f, junk, sizeof(junk), false, ecInvalidParam);
	}
	release(f, H_DEST);
	/* cut in the middle of the body, then abandoned */
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
	put(f, s, len / 2, false, ecSuccess);
	release(f, H_DEST);
	assert_int_equal(find(f, mem, f->fids[4], false, "broken", NULL), 0);
	/* the rest in a new context alone is not a stream */
	dest_configure(f, H_FOLDER, SourceOperation_CopyMessages, 0, ecSuccess);
	put(f, s + len - 4, 4, false, ecInvalidParam);
	release(f, H_DEST);
	talloc_free(mem);
	fixture_free(f);
}

static void test_top_folder(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	struct mapistore_folder *mf = NULL, *sub = NULL;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	static const uint32_t cols[] = { PidTagFolderId, PidTagDisplayName };
	uint32_t n = 0;
	uint8_t *s;
	size_t len;

	mark(e, StartTopFld);
	p_str(e, PidTagDisplayName, "Copied");
	p_str(e, PidTagContainerClass, "IPF.Note");
	mark(e, StartMessage);
	message_content(e, "in copied", 10);
	mark(e, EndMessage);
	mark(e, StartSubFld);
	p_str(e, PidTagDisplayName, "Inner");
	mark(e, EndFolder);
	mark(e, EndFolder);
	s = take(mem, e, &len);
	open_folder(f, H_FOLDER, f->fids[4]);
	dest_configure(f, H_FOLDER, SourceOperation_CopyFolder, 0, ecSuccess);
	assert_int_equal(put_all(f, s, len, 33), TransferStatus_Done);
	put(f, s, 4, false, ecInvalidParam);	/* nothing after the topFolder */
	release(f, H_DEST);
	assert_int_equal(mapistore_folder_open(mem, f->s->mstore, f->fids[4], &mf),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open_table(mem, mf, MAPISTORE_FOLDER_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, cols, 2), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(mem, t, 100, &rows, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].props[1].value.str, "Copied");
	assert_int_equal(find(f, mem, (uint64_t)rows[0].props[0].value.i64, false, "in copied",
			      NULL), 1);
	assert_int_equal(mapistore_folder_open(mem, f->s->mstore,
					       (uint64_t)rows[0].props[0].value.i64, &sub),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_get_child_count(sub, MAPISTORE_FOLDER_TABLE, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	/* a subfolder without a name is refused */
	e = fxics_encoder_new(mem, 1252);
	mark(e, StartTopFld);
	mark(e, EndFolder);
	s = take(mem, e, &len);
	dest_configure(f, H_FOLDER, SourceOperation_CopyFolder, 0, ecSuccess);
	put(f, s, len, false, ecInvalidParam);
	release(f, H_DEST);
	talloc_free(mem);
	fixture_free(f);
}

/* CopyTo onto a message opened by the client, which saves it */
static void test_copy_to_message(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	struct rop_request r = { 0 };
	struct rop_response *resp;
	uint64_t mid;
	uint8_t *s;
	size_t len;

	message_content(e, "copied to", 300);
	s = take(mem, e, &len);
	open_folder(f, H_FOLDER, f->fids[4]);
	r.RopId = RopCreateMessage;
	r.u.RopCreateMessage.InputHandleIndex = H_FOLDER;
	r.u.RopCreateMessage.OutputHandleIndex = H_MSG;
	r.u.RopCreateMessage.CodePageId = 0x0FFF;
	r.u.RopCreateMessage.FolderId = f->fids[4];
	run1(f, mem, &r, ecSuccess);
	dest_configure(f, H_MSG, SourceOperation_CopyMessages, 0, ecInvalidParam);
	dest_configure(f, H_MSG, SourceOperation_CopyTo, 0, ecSuccess);
	assert_int_equal(put_all(f, s, len, 50), TransferStatus_Partial);
	assert_int_equal(find(f, mem, f->fids[4], false, "copied to", NULL), 0);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSaveChangesMessage;
	r.u.RopSaveChangesMessage.ResponseHandleIndex = H_OTHER;
	r.u.RopSaveChangesMessage.InputHandleIndex = H_MSG;
	resp = run1(f, mem, &r, ecSuccess);
	mid = resp->u.RopSaveChangesMessage.MessageId;
	assert_int_equal(find(f, mem, f->fids[4], false, "copied to", NULL), 1);
	check_full(f, mem, f->fids[4], mid, 300);
	talloc_free(mem);
	fixture_free(f);
}

/* ---- client-chosen IDs ---- */

static const uint8_t client_guid[16] = { 0xC1, 0x1E, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					  10, 11, 12 };

/* ImportMessageChange of source key @sk (a new change of the client,
 * change number @change); on success, the message saved with @subject:
 * its MID */
static uint64_t import_message(struct fixture *f, TALLOC_CTX *mem, const uint8_t *sk,
			       uint64_t change, const char *subject, uint32_t expect)
{
	struct rop_request r;

	ics_test_import_change_new(mem, &r, H_COLL, H_MSG, sk, client_guid, change);
	run1(f, mem, &r, expect);
	if (expect != ecSuccess) {
		return 0;
	}
	return ics_test_save_subject(&f->rt, H_MSG, H_OTHER, subject);
}

static void open_collector(struct fixture *f, bool contents)
{
	ics_test_open_collector(&f->rt, H_FOLDER, H_COLL, contents);
}

/* ImportHierarchyChange of a folder @name below the collector's folder */
static void import_folder(struct fixture *f, TALLOC_CTX *mem, const uint8_t *sk,
			  const char *name, uint32_t expect)
{
	struct rop_request r = { .RopId = RopSynchronizationImportHierarchyChange };
	struct TaggedPropertyValue hv[6];
	uint8_t *ck = talloc_size(mem, 22);

	mapistore_xid_make(client_guid, 900, ck);
	ics_test_bin_prop(&hv[0], PidTagParentSourceKey, NULL, 0);
	ics_test_bin_prop(&hv[1], PidTagSourceKey, sk, 22);
	memset(&hv[2], 0, sizeof(hv[2]));
	hv[2].PropertyTag = PidTagLastModificationTime;
	hv[2].Value.PropertyType = PtypTime;
	ics_test_bin_prop(&hv[3], PidTagChangeKey, ck, 22);
	ics_test_bin_prop(&hv[4], PidTagPredecessorChangeList, NULL, 0);
	memset(&hv[5], 0, sizeof(hv[5]));
	hv[5].PropertyTag = PidTagDisplayName;
	hv[5].Value.PropertyType = PtypString;
	hv[5].Value.u.str = (char *)(uintptr_t)name;
	r.u.RopSynchronizationImportHierarchyChange.InputHandleIndex = H_COLL;
	r.u.RopSynchronizationImportHierarchyChange.HierarchyValueCount = 6;
	r.u.RopSynchronizationImportHierarchyChange.HierarchyValues = hv;
	run1(f, mem, &r, expect);
}

static void test_client_ids(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_request r = { .RopId = RopGetLocalReplicaIds };
	struct rop_response *resp;
	struct mapistore_change *row = NULL;
	uint8_t guid[16], sk[22];
	uint64_t first = 0, mid;
	unsigned k;

	r.u.RopGetLocalReplicaIds.InputHandleIndex = H_LOGON;
	r.u.RopGetLocalReplicaIds.IdCount = 10;
	resp = run1(f, mem, &r, ecSuccess);
	memcpy(guid, resp->u.RopGetLocalReplicaIds.ReplGuid, 16);
	for (k = 0; k < 6; k++) {
		first = (first << 8) | resp->u.RopGetLocalReplicaIds.GlobalCount[k];
	}
	open_folder(f, H_FOLDER, f->fids[4]);
	open_collector(f, true);

	/* a reserved, unused ID: the message gets exactly that MID and key */
	mapistore_xid_make(guid, first + 1, sk);
	mid = import_message(f, mem, sk, 1, "client id", ecSuccess);
	assert_int_equal(mid, mapistore_fmid_make(1, first + 1));
	assert_int_equal(mapistore_changes_get(mem, f->s->mstore, mid, &row), MAPISTORE_SUCCESS);
	assert_memory_equal(row->source_key, sk, 22);
	assert_int_equal(find(f, mem, f->fids[4], false, "client id", NULL), 1);
	/* the same key again is an update of that message, not a new one */
	assert_int_equal(import_message(f, mem, sk, 2, "client id 2", ecSuccess), mid);
	assert_int_equal(find(f, mem, f->fids[4], false, "client id", NULL), 1);

	/* never reserved: past the range, and far past the counter */
	mapistore_xid_make(guid, first + 10, sk);
	import_message(f, mem, sk, 3, "outside", ecInvalidParam);
	mapistore_xid_make(guid, first + 100000, sk);
	import_message(f, mem, sk, 4, "fresh", ecInvalidParam);

	/* a folder with a client ID, then that ID for a message: in use */
	open_collector(f, false);
	mapistore_xid_make(guid, first + 3, sk);
	import_folder(f, mem, sk, "client folder", ecSuccess);
	assert_int_equal(mapistore_changes_get(mem, f->s->mstore, mapistore_fmid_make(1, first + 3),
					       &row), MAPISTORE_SUCCESS);
	assert_true(row->is_folder);
	assert_memory_equal(row->source_key, sk, 22);
	mapistore_xid_make(guid, first + 4, sk);
	import_folder(f, mem, sk, "client folder", ecDuplicateName);	/* same name */
	mapistore_xid_make(guid, first + 50, sk);
	import_folder(f, mem, sk, "outside folder", ecInvalidParam);
	open_collector(f, true);
	mapistore_xid_make(guid, first + 3, sk);
	import_message(f, mem, sk, 5, "on a folder id", ecDuplicateName);

	/* a deleted message's ID cannot come back */
	{
		struct mapistore_folder *mf = NULL;

		assert_int_equal(mapistore_folder_open(mem, f->s->mstore, f->fids[4], &mf),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_folder_delete_messages(mf, &mid, 1, true),
				 MAPISTORE_SUCCESS);
	}
	mapistore_xid_make(guid, first + 1, sk);
	import_message(f, mem, sk, 6, "resurrected", ecObjectDeleted);
	assert_int_equal(find(f, mem, f->fids[4], false, "resurrected", NULL), 0);
	talloc_free(mem);
	fixture_free(f);
}

/* a subscriber of the store hears fnevObjectCreated for each message and
 * folder a put stored (here the session itself: the notifications ride
 * on its own response) */
static void test_notifications(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct fxics_encoder *e = fxics_encoder_new(mem, 1252);
	struct rop_request r = { .RopId = RopRegisterNotification };
	struct rop_buffer *out;
	uint8_t *s;
	size_t len;
	uint32_t i, created = 0, folders = 0;

	r.u.RopRegisterNotification.OutputHandleIndex = H_COLL;
	r.u.RopRegisterNotification.NotificationTypes = fnevObjectCreated;
	r.u.RopRegisterNotification.WantWholeStore = 1;
	run1(f, mem, &r, ecSuccess);
	mark(e, StartTopFld);
	p_str(e, PidTagDisplayName, "Noted");
	mark(e, StartMessage);
	p_str(e, PidTagSubject, "noted 1");
	mark(e, EndMessage);
	mark(e, StartMessage);
	p_str(e, PidTagSubject, "noted 2");
	mark(e, EndMessage);
	mark(e, EndFolder);
	s = take(mem, e, &len);
	open_folder(f, H_FOLDER, f->fids[4]);
	dest_configure(f, H_FOLDER, SourceOperation_CopyFolder, 0, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopFastTransferDestinationPutBuffer;
	r.u.RopFastTransferDestinationPutBuffer.InputHandleIndex = H_DEST;
	r.u.RopFastTransferDestinationPutBuffer.TransferDataSize = (uint16_t)len;
	r.u.RopFastTransferDestinationPutBuffer.TransferData = s;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	for (i = 0; i < out->count; i++) {
		const struct NotificationData *n;

		if (out->responses[i].RopId != RopNotify) {
			continue;
		}
		n = &out->responses[i].u.RopNotify.NotificationData;
		if ((n->NotificationFlags & 0x0FFF) == fnevObjectCreated) {
			created++;
			folders += n->MessageId == 0;
		}
	}
	assert_int_equal(created, 3);	/* the folder and its two messages */
	assert_int_equal(folders, 1);
	talloc_free(mem);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_configure_errors, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_message_list_pieces, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_every_cut, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_and_cut, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_top_folder, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_copy_to_message, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_client_ids, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_notifications, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

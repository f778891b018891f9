/*
 * The two real Outlook 2007 requests (tests/data/README.md): decoded
 * ROP by ROP, field by field, re-encoded to identical bytes, and used as
 * the context for decoding a response buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_test.h"
#include "rop.h"

static uint8_t *load(TALLOC_CTX *mem, const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *buf = talloc_array(mem, uint8_t, 65536);

	snprintf(path, sizeof(path), "data/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

static void check_reencode(TALLOC_CTX *mem, const struct rop_buffer *b, const uint8_t *data,
			   size_t len)
{
	uint8_t *out = NULL;
	size_t out_len = 0;

	assert_int_equal(rop_buffer_encode_requests(mem, b, NULL, &out, &out_len), ROP_OK);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, data, len);
	talloc_free(out);
}

static void test_modify_recipients(void **state)
{
	TALLOC_CTX *mem = *state;
	size_t len, off = 0;
	uint8_t *data = load(mem, "outlook2007_modifyrecipients.rop", &len);
	struct rop_buffer *b = NULL;
	const struct RopModifyRecipients_req *mr;
	const struct RecipientRow *row;
	const struct RowPropertyValue *v;
	struct EntryID *eid = NULL;
	static const uint8_t ids[] = {
		RopRemoveAllRecipients, RopModifyRecipients, RopSetProperties,
		RopSubmitMessage, RopGetPropertiesSpecific,
	};
	uint32_t i;

	assert_int_equal(len, 459);
	assert_int_equal(rop_buffer_decode_requests(mem, data, len, NULL, &b, &off), ROP_OK);
	assert_int_equal(b->RopSize, 455);
	assert_int_equal(b->count, 5);
	for (i = 0; i < b->count; i++) {
		assert_int_equal(b->requests[i].RopId, ids[i]);
		assert_int_equal(b->requests[i].LogonId, 0);
	}
	assert_int_equal(b->handle_count, 1);
	assert_int_equal(b->ServerObjectHandleTable[0], 0x45);

	assert_int_equal(b->requests[0].u.RopRemoveAllRecipients.InputHandleIndex, 0);
	assert_int_equal(b->requests[0].u.RopRemoveAllRecipients.Reserved, 1);

	mr = &b->requests[1].u.RopModifyRecipients;
	assert_int_equal(mr->ColumnCount, 12);
	assert_int_equal(mr->RecipientColumns[0], 0x0FFE0003);     /* PidTagObjectType */
	assert_int_equal(mr->RecipientColumns[3], 0x39FE001F);     /* PidTagSmtpAddress */
	assert_int_equal(mr->RecipientColumns[10], 0x5FF70102);    /* PidTagRecipientEntryId */
	assert_int_equal(mr->RecipientColumns[11], 0x5FDF0003);
	assert_int_equal(mr->RowCount, 1);
	assert_int_equal(mr->RecipientRows[0].RowId, 0);
	assert_int_equal(mr->RecipientRows[0].RecipientType, 1);
	assert_int_equal(mr->RecipientRows[0].RecipientRowSize, 340);
	row = mr->RecipientRows[0].RecipientRow;
	assert_non_null(row);
	assert_int_equal(row->RecipientFlags, 0x0651);
	assert_int_equal(row->RecipientFlags & RecipientFlags_Type, RecipientType_X500DN);
	assert_int_equal(row->AddressPrefixUsed, 0x45);
	assert_int_equal(row->DisplayType, 0);
	assert_string_equal(row->X500DN, "Jkerihuel");
	assert_string_equal(row->DisplayName, "Julien Kerihuel");
	assert_string_equal(row->SimpleDisplayName, "jkerihuel");
	assert_null(row->EmailAddress);
	assert_int_equal(row->RecipientColumnCount, 12);
	assert_int_equal(row->RecipientProperties.Flag, 0);
	v = row->RecipientProperties.Values;
	assert_int_equal(v[0].Value.u.l, 6);                       /* MAPI_MAILUSER */
	assert_string_equal(v[2].Value.u.str, "jkerihuel");
	assert_string_equal(v[3].Value.u.str, "jkerihuel@openchange2003.local");
	assert_string_equal(v[5].Value.u.str, "jkerihuel");
	assert_int_equal(v[8].Value.u.l, 1);
	assert_string_equal(v[9].Value.u.str, "Julien Kerihuel");
	assert_int_equal(v[10].Value.u.bin.cb, 107);
	/* the recipient entry ID is an Address Book EntryID ([MS-OXCDATA] 2.2.5.2) */
	assert_int_equal(oxcdata_entryid_decode(mem, v[10].Value.u.bin.lpb, v[10].Value.u.bin.cb,
						&eid), ROP_OK);
	assert_int_equal(eid->kind, EID_ADDRESS_BOOK);
	assert_int_equal(eid->u.AddressBook.Version, 1);
	assert_int_equal(eid->u.AddressBook.Type, 0);
	assert_string_equal(eid->u.AddressBook.X500DN,
			    "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=jkerihuel");
	assert_int_equal(strlen(eid->u.AddressBook.X500DN) - strlen("jkerihuel"), 0x45);
	talloc_free(eid);

	assert_int_equal(b->requests[2].u.RopSetProperties.PropertyValueSize, 22);
	assert_int_equal(b->requests[2].u.RopSetProperties.PropertyValueCount, 2);
	assert_int_equal(b->requests[2].u.RopSetProperties.PropertyValues[0].PropertyTag, 0x003D001F);
	assert_string_equal(b->requests[2].u.RopSetProperties.PropertyValues[0].Value.u.str, "");
	assert_int_equal(b->requests[2].u.RopSetProperties.PropertyValues[1].PropertyTag, 0x0E1D001F);
	assert_string_equal(b->requests[2].u.RopSetProperties.PropertyValues[1].Value.u.str, "test");
	assert_int_equal(b->requests[3].u.RopSubmitMessage.SubmitFlags, 0);
	assert_int_equal(b->requests[4].u.RopGetPropertiesSpecific.PropertyTagCount, 1);
	assert_int_equal(b->requests[4].u.RopGetPropertiesSpecific.PropertyTags[0], 0x65E20102);

	check_reencode(mem, b, data, len);
	talloc_free(b);
	talloc_free(data);
}

static void test_tables(void **state)
{
	TALLOC_CTX *mem = *state;
	size_t len, off = 0;
	uint8_t *data = load(mem, "outlook2007_tables.rop", &len);
	struct rop_buffer *b = NULL;
	const struct RopFindRow_req *fr;
	const struct Restriction *r;
	static const uint8_t ids[] = {
		RopGetContentsTable, RopSetColumns, RopFindRow, RopOpenFolder, RopOpenFolder,
		RopRegisterNotification, RopGetPropertiesSpecific,
	};
	static const uint32_t handles[] = {
		0x75, 0xFFFFFFFF, 0x71, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
	};
	uint32_t i;

	assert_int_equal(len, 380);
	assert_int_equal(rop_buffer_decode_requests(mem, data, len, NULL, &b, &off), ROP_OK);
	assert_int_equal(b->RopSize, 356);
	assert_int_equal(b->count, 7);
	for (i = 0; i < b->count; i++) {
		assert_int_equal(b->requests[i].RopId, ids[i]);
	}
	assert_int_equal(b->handle_count, 6);
	assert_memory_equal(b->ServerObjectHandleTable, handles, sizeof(handles));

	assert_int_equal(b->requests[0].u.RopGetContentsTable.InputHandleIndex, 0);
	assert_int_equal(b->requests[0].u.RopGetContentsTable.OutputHandleIndex, 1);
	assert_int_equal(b->requests[0].u.RopGetContentsTable.TableFlags, 0x02);
	assert_int_equal(b->requests[1].u.RopSetColumns.InputHandleIndex, 1);
	assert_int_equal(b->requests[1].u.RopSetColumns.PropertyTagCount, 13);
	assert_int_equal(b->requests[1].u.RopSetColumns.PropertyTags[0], 0x67480014);
	assert_int_equal(b->requests[1].u.RopSetColumns.PropertyTags[4], 0x0037001F);
	assert_int_equal(b->requests[1].u.RopSetColumns.PropertyTags[12], 0x30080040);

	fr = &b->requests[2].u.RopFindRow;
	assert_int_equal(fr->InputHandleIndex, 1);
	assert_int_equal(fr->FindRowFlags, 0);
	assert_int_equal(fr->RestrictionDataSize, 152);
	assert_int_equal(fr->Origin, 0);
	assert_int_equal(fr->BookmarkSize, 0);
	r = fr->RestrictionData;
	assert_int_equal(r->RestrictType, RES_AND);
	assert_int_equal(r->u.And.RestrictCount, 5);
	assert_int_equal(r->u.And.Restricts[0].RestrictType, RES_PROPERTY);
	assert_int_equal(r->u.And.Restricts[0].u.Property.RelOp, 4);        /* RELOP_EQ */
	assert_int_equal(r->u.And.Restricts[0].u.Property.PropTag, 0x001A001F);
	assert_string_equal(r->u.And.Restricts[0].u.Property.TaggedValue.Value.u.str,
			    "IPM.Microsoft.FolderDesign.NamedView");
	assert_int_equal(r->u.And.Restricts[1].RestrictType, RES_BITMASK);
	assert_int_equal(r->u.And.Restricts[1].u.Bitmask.BitmapRelOp, 0);   /* BMR_EQZ */
	assert_int_equal(r->u.And.Restricts[1].u.Bitmask.Mask, 1);
	assert_int_equal(r->u.And.Restricts[2].u.Property.TaggedValue.Value.u.l, 8);
	assert_int_equal(r->u.And.Restricts[3].u.Bitmask.BitmapRelOp, 1);   /* BMR_NEZ */
	assert_int_equal(r->u.And.Restricts[3].u.Bitmask.Mask, 0x200);
	assert_int_equal(r->u.And.Restricts[4].RestrictType, RES_CONTENT);
	assert_int_equal(r->u.And.Restricts[4].u.Content.PropertyTag, 0x0037001F);
	assert_string_equal(r->u.And.Restricts[4].u.Content.TaggedValue.Value.u.str, "Messages");

	assert_int_equal(b->requests[3].u.RopOpenFolder.InputHandleIndex, 2);
	assert_int_equal(b->requests[3].u.RopOpenFolder.OutputHandleIndex, 3);
	assert_true(b->requests[3].u.RopOpenFolder.FolderId == 0x0951330000000001ULL);
	assert_int_equal(b->requests[4].u.RopOpenFolder.OutputHandleIndex, 4);
	assert_true(b->requests[4].u.RopOpenFolder.FolderId == 0x3B27000000000001ULL);
	assert_int_equal(b->requests[5].u.RopRegisterNotification.OutputHandleIndex, 5);
	assert_int_equal(b->requests[5].u.RopRegisterNotification.NotificationTypes, 0x78);
	assert_int_equal(b->requests[5].u.RopRegisterNotification.WantWholeStore, 0);
	assert_true(b->requests[5].u.RopRegisterNotification.FolderId == 0x3B27000000000001ULL);
	assert_int_equal(b->requests[6].u.RopGetPropertiesSpecific.InputHandleIndex, 4);
	assert_int_equal(b->requests[6].u.RopGetPropertiesSpecific.WantUnicode, 1);
	assert_int_equal(b->requests[6].u.RopGetPropertiesSpecific.PropertyTagCount, 18);

	check_reencode(mem, b, data, len);
	talloc_free(b);
	talloc_free(data);
}

/*
 * A response buffer for the table fixture, decoded with the request buffer
 * as context: the FindRow row uses the columns of the earlier RopSetColumns,
 * the GetPropertiesSpecific row the requested tags.
 */
static void test_response_context(void **state)
{
	TALLOC_CTX *mem = *state;
	size_t len, off = 0, out_len = 0;
	uint8_t *data = load(mem, "outlook2007_tables.rop", &len), *out = NULL;
	struct rop_buffer *req = NULL, resp = { 0 }, *back = NULL;
	const struct rop_request *reqs[7];
	struct rop_response r[7];
	uint32_t i, encoded = 0;

	assert_int_equal(rop_buffer_decode_requests(mem, data, len, NULL, &req, &off), ROP_OK);
	memset(r, 0, sizeof(r));
	for (i = 0; i < 7; i++) {
		r[i].RopId = req->requests[i].RopId;
		reqs[i] = &req->requests[i];
	}
	r[0].u.RopGetContentsTable.OutputHandleIndex = 1;
	r[0].u.RopGetContentsTable.RowCount = 12;
	r[1].u.RopSetColumns.InputHandleIndex = 1;
	r[2].u.RopFindRow.InputHandleIndex = 1;
	r[2].u.RopFindRow.HasRowData = 1;
	r[2].u.RopFindRow.RowData.Flag = 1;
	r[2].u.RopFindRow.RowData.ValueCount = 13;
	r[2].u.RopFindRow.RowData.Values = talloc_zero_array(mem, struct RowPropertyValue, 13);
	for (i = 0; i < 13; i++) {
		struct RowPropertyValue *v = &r[2].u.RopFindRow.RowData.Values[i];

		v->Flag = 0x01;         /* not found */
		v->Value.PropertyType = OXCDATA_PROP_TYPE(req->requests[1].u.RopSetColumns.PropertyTags[i]);
	}
	r[2].u.RopFindRow.RowData.Values[0].Flag = 0;
	r[2].u.RopFindRow.RowData.Values[0].Value.u.d = 0x77;
	r[3].u.RopOpenFolder.OutputHandleIndex = 3;
	r[4].u.RopOpenFolder.OutputHandleIndex = 4;
	r[4].u.RopOpenFolder.ReturnValue = 0x8004010F;     /* failure: header only */
	r[5].u.RopRegisterNotification.OutputHandleIndex = 5;
	r[6].u.RopGetPropertiesSpecific.InputHandleIndex = 4;
	r[6].u.RopGetPropertiesSpecific.RowData.Flag = 1;
	r[6].u.RopGetPropertiesSpecific.RowData.ValueCount = 18;
	r[6].u.RopGetPropertiesSpecific.RowData.Values =
		talloc_zero_array(mem, struct RowPropertyValue, 18);
	for (i = 0; i < 18; i++) {
		struct RowPropertyValue *v = &r[6].u.RopGetPropertiesSpecific.RowData.Values[i];

		v->Flag = 0x0A;
		v->Value.PropertyType = OXCDATA_PROP_TYPE(req->requests[6].u.RopGetPropertiesSpecific.PropertyTags[i]);
		v->Value.u.l = 0x8004010F;      /* MAPI_E_NOT_FOUND */
	}
	resp.count = 7;
	resp.responses = r;
	resp.handle_count = req->handle_count;
	resp.ServerObjectHandleTable = req->ServerObjectHandleTable;
	assert_int_equal(rop_buffer_encode_responses(mem, &resp, reqs, NULL, 0, &out, &out_len,
						     &encoded), ROP_OK);
	assert_int_equal(encoded, 7);
	assert_int_equal(rop_buffer_decode_responses(mem, out, out_len, req, NULL, &back), ROP_OK);
	assert_int_equal(back->count, 7);
	assert_int_equal(back->responses[0].u.RopGetContentsTable.RowCount, 12);
	assert_int_equal(back->responses[2].u.RopFindRow.RowData.ValueCount, 13);
	assert_true(back->responses[2].u.RopFindRow.RowData.Values[0].Value.u.d == 0x77);
	assert_int_equal(back->responses[2].u.RopFindRow.RowData.Values[1].Flag, 0x01);
	assert_int_equal(back->responses[4].u.RopOpenFolder.ReturnValue, 0x8004010F);
	assert_int_equal(back->responses[6].u.RopGetPropertiesSpecific.RowData.ValueCount, 18);
	assert_int_equal(back->responses[6].u.RopGetPropertiesSpecific.RowData.Values[17].Value.u.l,
			 0x8004010F);
	assert_int_equal(back->handle_count, 6);

	/* without the request buffer the rows cannot be decoded */
	talloc_free(back);
	back = NULL;
	assert_int_equal(rop_buffer_decode_responses(mem, out, out_len, NULL, NULL, &back),
			 ROP_ERR_CONTEXT);
	assert_null(back);

	/*
	 * A maximum that leaves no room for the last response: the server
	 * gets 6 encoded responses and answers the rest with RopBufferTooSmall.
	 */
	{
		uint8_t *small = NULL;
		size_t small_len = 0;

		assert_int_equal(rop_buffer_encode_responses(mem, &resp, reqs, NULL, out_len - 1,
							     &small, &small_len, &encoded), ROP_OK);
		assert_int_equal(encoded, 6);
		assert_true(small_len <= out_len - 1);
		talloc_free(small);
		assert_int_equal(rop_buffer_encode_responses(mem, &resp, reqs, NULL, 2 + 4 * 6 - 1,
							     &small, &small_len, &encoded),
				 ROP_ERR_TOO_BIG);
	}
	talloc_free(out);
	talloc_free(req);
	talloc_free(r[2].u.RopFindRow.RowData.Values);
	talloc_free(r[6].u.RopGetPropertiesSpecific.RowData.Values);
	talloc_free(data);
}

/* RopBufferTooSmall carries the unprocessed requests ([MS-OXCROPS] 2.2.15.1). */
static void test_buffer_too_small(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t pending[] = { 0x01, 0x00, 0x03 };   /* RopRelease of handle 3 */
	static const uint8_t expect[] = { 0x08, 0x00, 0xFF, 0x00, 0x10, 0x01, 0x00, 0x03 };
	struct rop_response r;
	struct rop_buffer buf = { .count = 1, .responses = &r };
	uint8_t *out = NULL;
	size_t len = 0;
	uint32_t encoded = 0;
	struct rop_buffer *back = NULL;

	assert_int_equal(rop_buffer_too_small(mem, 0x1000, pending, sizeof(pending), &r), ROP_OK);
	assert_int_equal(rop_buffer_encode_responses(mem, &buf, NULL, NULL, 0, &out, &len, &encoded),
			 ROP_OK);
	assert_int_equal(len, sizeof(expect));
	assert_memory_equal(out, expect, sizeof(expect));
	assert_int_equal(rop_buffer_decode_responses(mem, out, len, NULL, NULL, &back), ROP_OK);
	assert_int_equal(back->responses[0].u.RopBufferTooSmall.SizeNeeded, 0x1000);
	assert_int_equal(back->responses[0].u.RopBufferTooSmall.RequestBuffersSize, 3);
	assert_memory_equal(back->responses[0].u.RopBufferTooSmall.RequestBuffers, pending, 3);
	talloc_free(back);
	talloc_free(out);
	talloc_free(r.u.RopBufferTooSmall.RequestBuffers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_modify_recipients, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_tables, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_response_context, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_too_small, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

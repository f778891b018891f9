/*
 * [MS-OXCDATA] codecs: every property type (table-driven round trip),
 * strings in code pages, PropertyName, rows, restriction kinds, EntryIDs,
 * PredecessorChangeList, and ROP byte examples from the specifications.
 */
#include <string.h>

#include "oc_test.h"
#include "rop.h"

static void roundtrip_value(TALLOC_CTX *mem, const uint8_t *wire, size_t len, uint16_t ptype)
{
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct PropertyValue v;

	oxcdata_pull_init(&pull, mem, wire, len);
	assert_int_equal(oxcdata_pull_value(&pull, ptype, &v), ROP_OK);
	assert_int_equal(pull.offset, len);
	oxcdata_push_init(&push, mem);
	assert_int_equal(oxcdata_push_value(&push, &v), ROP_OK);
	assert_int_equal(push.size, len);
	assert_memory_equal(push.data, wire, len);
	/* every strict prefix is refused */
	while (len-- > 0) {
		oxcdata_pull_init(&pull, mem, wire, len);
		assert_int_not_equal(oxcdata_pull_value(&pull, ptype, &v), ROP_OK);
	}
}

/* One row per property type of [MS-OXCDATA] 2.11.1, with its ROP encoding. */
static const struct {
	uint16_t ptype;
	size_t len;
	uint8_t wire[48];
} value_table[] = {
	{ PtypInteger16, 2, { 0x34, 0x12 } },
	{ PtypInteger32, 4, { 0x78, 0x56, 0x34, 0x12 } },
	{ PtypFloating32, 4, { 0x00, 0x00, 0x80, 0x3F } },
	{ PtypFloating64, 8, { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F } },
	{ PtypCurrency, 8, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ PtypFloatingTime, 8, { 0x55, 0x55, 0x55, 0x55, 0xD1, 0x44, 0xE3, 0x40 } },
	{ PtypErrorCode, 4, { 0x0F, 0x01, 0x04, 0x80 } },
	{ PtypBoolean, 1, { 0x01 } },
	{ PtypInteger64, 8, { 8, 7, 6, 5, 4, 3, 2, 1 } },
	{ PtypString, 6, { 'h', 0, 'i', 0, 0, 0 } },
	{ PtypString8, 4, { 'a', 0xE9, 'b', 0 } },
	{ PtypTime, 8, { 0, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01 } },
	{ PtypGuid, 16, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } },
	{ PtypServerId, 5, { 3, 0, 1, 2, 3 } },
	{ PtypObject, 2, { 0, 0 } },
	{ PtypRestriction, 5, { RES_EXIST, 0x1F, 0x00, 0x37, 0x00 } },
	{ PtypRuleAction, 13, { 1, 0, 9, 0, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ PtypBinary, 4, { 2, 0, 0xAB, 0xCD } },
	{ PtypNull, 0, { 0 } },
	{ PtypMultipleInteger16, 8, { 2, 0, 0, 0, 1, 0, 2, 0 } },
	{ PtypMultipleInteger32, 8, { 1, 0, 0, 0, 9, 0, 0, 0 } },
	{ PtypMultipleFloating32, 8, { 1, 0, 0, 0, 0, 0, 0x80, 0x3F } },
	{ PtypMultipleFloating64, 12, { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F } },
	{ PtypMultipleCurrency, 12, { 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ PtypMultipleFloatingTime, 12, { 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ PtypMultipleInteger64, 12, { 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ PtypMultipleString8, 9, { 2, 0, 0, 0, 'a', 0, 'b', 'c', 0 } },
	{ PtypMultipleString, 10, { 2, 0, 0, 0, 'x', 0, 0, 0, 0, 0 } },
	{ PtypMultipleTime, 12, { 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ PtypMultipleGuid, 20, { 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } },
	{ PtypMultipleBinary, 11, { 2, 0, 0, 0, 1, 0, 0xAA, 2, 0, 0xBB, 0xCC } },
};

static void test_property_types(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(value_table) / sizeof(value_table[0]); i++) {
		roundtrip_value(*state, value_table[i].wire, value_table[i].len, value_table[i].ptype);
		talloc_free_children(*state);
	}
}

static void test_strings(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t s8[] = { 'a', 0xE9, 0x80, 0 };     /* "aé€" in 1252 */
	static const uint8_t bad8[] = { 'x', 0x81, 0 };         /* 0x81 is undefined in 1252 */
	static const uint8_t lone[] = { 0x00, 0xD8, 0, 0 };     /* unpaired surrogate */
	static const uint8_t pair[] = { 0x3D, 0xD8, 0x00, 0xDE, 0, 0 }; /* U+1F600 */
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct PropertyValue v;
	char *s = NULL;
	uint8_t *out = NULL;
	size_t n = 0;

	oxcdata_pull_init(&pull, mem, s8, sizeof(s8));
	assert_int_equal(oxcdata_pull_value(&pull, PtypString8, &v), ROP_OK);
	assert_string_equal(v.u.str8.utf8, "a\xc3\xa9\xe2\x82\xac");
	/* a new value (no raw bytes) is converted back through the code page */
	v.u.str8.raw = NULL;
	oxcdata_push_init(&push, mem);
	assert_int_equal(oxcdata_push_value(&push, &v), ROP_OK);
	assert_memory_equal(push.data, s8, sizeof(s8));
	/* bytes that the code page cannot map are kept for byte-exact re-encoding */
	oxcdata_pull_init(&pull, mem, bad8, sizeof(bad8));
	assert_int_equal(oxcdata_pull_value(&pull, PtypString8, &v), ROP_OK);
	assert_null(v.u.str8.utf8);
	assert_int_equal(v.u.str8.raw_len, 2);
	oxcdata_pull_init(&pull, mem, lone, sizeof(lone));
	assert_int_equal(oxcdata_pull_str16(&pull, &s), ROP_ERR_BAD_STRING);
	oxcdata_pull_init(&pull, mem, pair, sizeof(pair));
	assert_int_equal(oxcdata_pull_str16(&pull, &s), ROP_OK);
	assert_string_equal(s, "\xf0\x9f\x98\x80");
	assert_int_equal(oxcdata_utf8_to_cp(mem, OXCDATA_CP_ASCII, "caf\xc3\xa9", &out, &n),
			 ROP_ERR_BAD_STRING);
	assert_int_equal(oxcdata_utf8_to_cp(mem, OXCDATA_CP_1252, "caf\xc3\xa9", &out, &n), ROP_OK);
	assert_int_equal(n, 4);
	assert_int_equal(out[3], 0xE9);
	/* other code pages go through iconv */
	assert_int_equal(oxcdata_cp_to_utf8(mem, 1251, (const uint8_t *)"\xCF\xF0", 2, &s), ROP_OK);
	assert_string_equal(s, "\xd0\x9f\xd1\x80");
	assert_int_equal(oxcdata_utf8_to_utf16(mem, "\xff", &out, &n), ROP_ERR_BAD_STRING);
	talloc_free_children(mem);
}

static void test_rows(void **state)
{
	TALLOC_CTX *mem = *state;
	/* FlaggedPropertyRow over {PtypInteger32, PtypUnspecified, PtypString}: value, typed, error */
	static const uint32_t cols[] = { 0x0E070003, 0x3FF80000, 0x0037001F };
	static const uint8_t wire[] = {
		0x01,
		0x00, 0x05, 0x00, 0x00, 0x00,
		0x0B, 0x00, 0x00, 0x01,
		0x0A, 0x0F, 0x01, 0x04, 0x80,
	};
	static const uint32_t nullcol[] = { 0x00010001 };
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct PropertyRow row;

	oxcdata_pull_init(&pull, mem, wire, sizeof(wire));
	assert_int_equal(oxcdata_pull_row(&pull, cols, 3, &row), ROP_OK);
	assert_int_equal(pull.offset, sizeof(wire));
	assert_int_equal(row.Values[0].Value.u.l, 5);
	assert_true(row.Values[1].Typed);
	assert_int_equal(row.Values[1].Value.PropertyType, PtypBoolean);
	assert_int_equal(row.Values[1].Value.u.b, 1);
	assert_int_equal(row.Values[2].Flag, 0x0A);
	assert_int_equal(row.Values[2].Value.u.l, 0x8004010F);
	oxcdata_push_init(&push, mem);
	assert_int_equal(oxcdata_push_row(&push, &row), ROP_OK);
	assert_memory_equal(push.data, wire, sizeof(wire));
	oxcdata_pull_init(&pull, mem, wire, 1);
	assert_int_equal(oxcdata_pull_row(&pull, nullcol, 1, &row), ROP_ERR_BAD_COUNT);
	talloc_free_children(mem);
}

static void test_propname_problem_sort(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t name[] = {
		0x01, 0x29, 0x03, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46,
		0x06, 'a', 0, 'b', 0, 0, 0,
	};
	static const uint8_t bad_kind[17] = { 0x02 };
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct PropertyName n;

	oxcdata_pull_init(&pull, mem, name, sizeof(name));
	assert_int_equal(oxcdata_pull_propname(&pull, &n), ROP_OK);
	assert_string_equal(n.Name, "ab");
	assert_int_equal(n.NameSize, 6);
	oxcdata_push_init(&push, mem);
	assert_int_equal(oxcdata_push_propname(&push, &n), ROP_OK);
	assert_memory_equal(push.data, name, sizeof(name));
	oxcdata_pull_init(&pull, mem, bad_kind, sizeof(bad_kind));
	assert_int_equal(oxcdata_pull_propname(&pull, &n), ROP_ERR_FORMAT);
	talloc_free_children(mem);
}

/* Every restriction kind of [MS-OXCDATA] 2.12, nested in one And. */
static void test_restrictions(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t wire[] = {
		RES_AND, 0x0B, 0x00,
		RES_OR, 0x01, 0x00, RES_EXIST, 0x1F, 0x00, 0x37, 0x00,
		RES_NOT, RES_EXIST, 0x03, 0x00, 0x07, 0x0E,
		RES_CONTENT, 0x01, 0x00, 0x01, 0x00, 0x1F, 0x00, 0x37, 0x00,
			0x1F, 0x00, 0x37, 0x00, 'x', 0, 0, 0,
		RES_PROPERTY, 0x04, 0x03, 0x00, 0x07, 0x0E, 0x03, 0x00, 0x07, 0x0E, 1, 0, 0, 0,
		RES_COMPAREPROPS, 0x02, 0x40, 0x00, 0x06, 0x0E, 0x40, 0x00, 0x07, 0x30,
		RES_BITMASK, 0x01, 0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00,
		RES_SIZE, 0x00, 0x02, 0x01, 0x09, 0x10, 0x00, 0x10, 0x00, 0x00,
		RES_EXIST, 0x1F, 0x00, 0x1A, 0x00,
		RES_SUBRESTRICTION, 0x0D, 0x00, 0x12, 0x0E, RES_EXIST, 0x1F, 0x00, 0x01, 0x30,
		RES_COMMENT, 0x01, 0x03, 0x00, 0x07, 0x0E, 2, 0, 0, 0, 0x01, RES_EXIST, 3, 0, 7, 0x0E,
		RES_COUNT, 0x05, 0x00, 0x00, 0x00, RES_EXIST, 0x1F, 0x00, 0x37, 0x00,
	};
	struct Restriction *r = NULL;
	uint8_t *out = NULL;
	size_t len = 0, i;

	assert_int_equal(oxcdata_restriction_decode(mem, wire, sizeof(wire), &r), ROP_OK);
	assert_int_equal(r->u.And.RestrictCount, 11);
	for (i = 0; i < 11; i++) {
		static const uint8_t kinds[] = { RES_OR, RES_NOT, RES_CONTENT, RES_PROPERTY,
			RES_COMPAREPROPS, RES_BITMASK, RES_SIZE, RES_EXIST, RES_SUBRESTRICTION,
			RES_COMMENT, RES_COUNT };

		assert_int_equal(r->u.And.Restricts[i].RestrictType, kinds[i]);
	}
	assert_string_equal(r->u.And.Restricts[2].u.Content.TaggedValue.Value.u.str, "x");
	assert_int_equal(r->u.And.Restricts[6].u.Size.Size, 0x1000);
	assert_int_equal(r->u.And.Restricts[9].u.Comment.TaggedValues[0].Value.u.l, 2);
	assert_int_equal(r->u.And.Restricts[10].u.Count.Count, 5);
	assert_int_equal(oxcdata_restriction_encode(mem, r, &out, &len), ROP_OK);
	assert_int_equal(len, sizeof(wire));
	assert_memory_equal(out, wire, len);
	/* trailing bytes, unknown kinds and truncation are refused */
	assert_int_equal(oxcdata_restriction_decode(mem, wire, 5, &r), ROP_ERR_BAD_COUNT);
	assert_int_equal(oxcdata_restriction_decode(mem, (const uint8_t *)"\x0C", 1, &r),
			 ROP_ERR_BAD_RESTRICTION);
	assert_int_equal(oxcdata_restriction_decode(mem, (const uint8_t *)"\x08\x1f\x00\x37\x00\x00",
						    6, &r), ROP_ERR_FORMAT);
	talloc_free_children(mem);
}

static void test_entryids(void **state)
{
	TALLOC_CTX *mem = *state;
	/* One-Off EntryID ([MS-OXCDATA] 2.2.5.1), Unicode */
	static const uint8_t oneoff[] = {
		0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
		0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02,
		0x00, 0x00, 0x00, 0x80,
		'J', 0, 0, 0, 'S', 0, 'M', 0, 'T', 0, 'P', 0, 0, 0, 'j', 0, '@', 0, 'x', 0, 0, 0,
	};
	static const uint8_t folder[46] = { [4] = 0xAA, [20] = 0x01, [21] = 0x00, [22] = 0x55 };
	/* [MS-OXNSPI] 2.2.9.2 ephemeral: ID type 0x87 */
	static const uint8_t eph[32] = { 0x87, [4] = 0x12, [20] = 1, [24] = 0, [28] = 0x34, [29] = 0x12 };
	struct EntryID *e = NULL;
	uint8_t *out = NULL;
	size_t len = 0;

	assert_int_equal(oxcdata_entryid_decode(mem, oneoff, sizeof(oneoff), &e), ROP_OK);
	assert_int_equal(e->kind, EID_ONE_OFF);
	assert_string_equal(e->u.OneOff.DisplayName, "J");
	assert_string_equal(e->u.OneOff.AddressType, "SMTP");
	assert_string_equal(e->u.OneOff.EmailAddress, "j@x");
	assert_int_equal(oxcdata_entryid_encode(mem, e, &out, &len), ROP_OK);
	assert_int_equal(len, sizeof(oneoff));
	assert_memory_equal(out, oneoff, len);
	assert_int_equal(oxcdata_entryid_decode(mem, folder, sizeof(folder), &e), ROP_OK);
	assert_int_equal(e->kind, EID_FOLDER);
	assert_int_equal(e->u.Folder.FolderType, 1);
	assert_int_equal(e->u.Folder.DatabaseGuid[0], 0x55);
	assert_int_equal(oxcdata_entryid_decode(mem, eph, sizeof(eph), &e), ROP_OK);
	assert_int_equal(e->kind, EID_EPHEMERAL);
	assert_int_equal(e->u.Ephemeral.R4, 1);
	assert_int_equal(e->u.Ephemeral.Mid, 0x1234);
	assert_int_equal(oxcdata_entryid_decode(mem, oneoff, 19, &e), ROP_ERR_TRUNCATED);
	assert_int_equal(oxcdata_entryid_decode(mem, oneoff, sizeof(oneoff) - 1, &e),
			 ROP_ERR_BAD_STRING);
	talloc_free_children(mem);
}

static void test_pcl(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t wire[] = {
		0x16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xA, 0xB, 0xC, 0xD, 0xE, 0xF,
		0x11, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0x42,
	};
	struct PredecessorChangeList *pcl = NULL;
	uint8_t *out = NULL;
	size_t len = 0;

	assert_int_equal(oxcdata_pcl_decode(mem, wire, sizeof(wire), &pcl), ROP_OK);
	assert_int_equal(pcl->Count, 2);
	assert_int_equal(pcl->Xids[0].LocalIdSize, 6);
	assert_int_equal(pcl->Xids[1].LocalIdSize, 1);
	assert_int_equal(pcl->Xids[1].LocalId[0], 0x42);
	assert_int_equal(oxcdata_pcl_encode(mem, pcl, &out, &len), ROP_OK);
	assert_memory_equal(out, wire, sizeof(wire));
	assert_int_equal(oxcdata_pcl_decode(mem, wire, sizeof(wire) - 1, &pcl), ROP_ERR_TRUNCATED);
	assert_int_equal(oxcdata_pcl_decode(mem, (const uint8_t *)"\x10", 1, &pcl), ROP_ERR_FORMAT);
	talloc_free_children(mem);
}

/*
 * Byte examples from the specifications: [MS-OXCTABL] 4.5.3.1 (RopQueryRows
 * request), 4.3.2 (RopSortTable response), [MS-OXORULE] 4.2.2
 * (RopGetRulesTable and RopSetColumns responses, RopQueryRows header).
 */
static void test_spec_examples(void **state)
{
	TALLOC_CTX *mem = *state;
	static const uint8_t qr_req[] = { 0x15, 0x00, 0x00, 0x00, 0x01, 0x32, 0x00 };
	static const uint8_t sort_resp[] = { 0x13, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t rules_resp[] = { 0x3F, 0x01, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t setcol_resp[] = { 0x12, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t qr_empty[] = { 0x15, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00 };
	struct oxcdata_pull pull;
	struct oxcdata_push push;
	struct rop_request req;
	struct rop_response resp;

	oxcdata_pull_init(&pull, mem, qr_req, sizeof(qr_req));
	assert_int_equal(rop_request_pull(&pull, NULL, &req), ROP_OK);
	assert_int_equal(req.RopId, RopQueryRows);
	assert_int_equal(req.u.RopQueryRows.QueryRowsFlags, 0);
	assert_int_equal(req.u.RopQueryRows.ForwardRead, 1);
	assert_int_equal(req.u.RopQueryRows.RowCount, 50);
	oxcdata_push_init(&push, mem);
	assert_int_equal(rop_request_push(&push, NULL, &req), ROP_OK);
	assert_memory_equal(push.data, qr_req, sizeof(qr_req));

	oxcdata_pull_init(&pull, mem, sort_resp, sizeof(sort_resp));
	assert_int_equal(rop_response_pull(&pull, NULL, &resp), ROP_OK);
	assert_int_equal(resp.u.RopSortTable.InputHandleIndex, 1);
	assert_int_equal(resp.u.RopSortTable.TableStatus, 0);
	oxcdata_pull_init(&pull, mem, rules_resp, sizeof(rules_resp));
	assert_int_equal(rop_response_pull(&pull, NULL, &resp), ROP_OK);
	assert_int_equal(resp.u.RopGetRulesTable.OutputHandleIndex, 1);
	oxcdata_pull_init(&pull, mem, setcol_resp, sizeof(setcol_resp));
	assert_int_equal(rop_response_pull(&pull, NULL, &resp), ROP_OK);
	assert_int_equal(pull.offset, sizeof(setcol_resp));
	/* a RopQueryRows response with BOOKMARK_END and no rows needs no columns */
	oxcdata_pull_init(&pull, mem, qr_empty, sizeof(qr_empty));
	assert_int_equal(rop_response_pull(&pull, NULL, &resp), ROP_OK);
	assert_int_equal(resp.u.RopQueryRows.Origin, 2);
	assert_int_equal(resp.u.RopQueryRows.RowCount, 0);
	talloc_free_children(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_property_types, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_strings, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_rows, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_propname_problem_sort, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_restrictions, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_entryids, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_pcl, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_spec_examples, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * FastTransfer stream lexical elements ([MS-OXCFXICS] 2.2.4.1): every
 * marker and meta-property, every property type in stream form with its
 * exact bytes, named properties, code page strings, a real stream from the
 * Microsoft Open Specifications blog ("MS-OXCFXICS - How to parse the
 * FastTransfer Stream"), and malformed input.
 */
#include "fxics_test_util.h"

static void roundtrip(TALLOC_CTX *mem, const struct fxics_atom *a, size_t n,
		      const uint8_t *expect, size_t expect_len)
{
	struct fxics_atom *out = NULL;
	size_t len = 0, count = 0;
	uint8_t *bytes = fx_encode(mem, a, n, &len);

	if (expect != NULL) {
		assert_int_equal(len, expect_len);
		assert_memory_equal(bytes, expect, len);
	}
	assert_int_equal(fxics_decode_all(mem, bytes, len, 0, &out, &count), ROP_OK);
	fx_assert_atoms_equal(a, n, out, count);
	talloc_free(out);
	talloc_free(bytes);
}

static void test_markers(void **state)
{
	size_t i;

	assert_int_equal(fxics_marker_count(), 24);
	for (i = 0; i < fxics_marker_count(); i++) {
		uint32_t tag = fxics_marker_at(i);
		struct fxics_atom a = fx_marker(tag);
		uint8_t le[4] = { (uint8_t)tag, (uint8_t)(tag >> 8), (uint8_t)(tag >> 16),
				  (uint8_t)(tag >> 24) };

		assert_non_null(fxics_marker_name(tag));
		assert_false(fxics_is_metatag(tag));
		roundtrip(*state, &a, 1, le, 4);
	}
	assert_string_equal(fxics_marker_name(0x40090003), "StartTopFld");
	assert_string_equal(fxics_marker_name(0x407B0102), "IncrSyncGroupInfo");
	assert_null(fxics_marker_name(0x0E070003));
}

static void test_metaproperties(void **state)
{
	static const uint8_t idset[] = { 0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0x05, 0x00 };
	static const uint8_t given[] = {
		0x03, 0x00, 0x17, 0x40, 0x0A, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0x05, 0x00 };
	size_t i;

	assert_int_equal(fxics_metatag_count(), 15);
	for (i = 0; i < fxics_metatag_count(); i++) {
		uint32_t tag = fxics_metatag_at(i);
		struct fxics_atom a;

		assert_non_null(fxics_metatag_name(tag));
		if (tag == MetaTagDnPrefix) {
			a = fx_u32(tag, 0);
			a.Value.PropertyType = PtypString8;
			a.Value.u.str8.utf8 = "/o=First Organization";
		} else if (tag == MetaTagIdsetGiven || OXCDATA_PROP_TYPE(tag) == PtypBinary) {
			a = fx_bin(tag, idset, sizeof(idset));
		} else {
			a = fx_u32(tag, 0x80040102 + (uint32_t)i);
		}
		assert_int_equal(a.kind, FXICS_ATOM_META);
		roundtrip(*state, &a, 1, NULL, 0);
	}
	/* MetaTagIdsetGiven: PtypInteger32 tag, length-prefixed bytes (2.2.1.1.1) */
	{
		struct fxics_atom a = fx_bin(MetaTagIdsetGiven, idset, sizeof(idset));

		roundtrip(*state, &a, 1, given, sizeof(given));
	}
}

struct ptype_case {
	struct fxics_atom atom;
	uint8_t bytes[48];
	size_t len;
};

static void test_property_types(void **state)
{
	static uint16_t shorts[2] = { 1, 0xFFFF };
	static uint64_t longs[1] = { 0x0102030405060708ULL };
	static uint8_t guids[1][16] = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } };
	static struct oxcdata_string8 s8s[1] = { { .utf8 = "a" } };
	struct ptype_case c[20];
	size_t n = 0, i;

	memset(c, 0, sizeof(c));
#define CASE(tag_, type_, field_, val_, ...) do { \
		c[n].atom = fx_u32(tag_, 0); \
		c[n].atom.Value.PropertyType = type_; \
		c[n].atom.Value.u.field_ = val_; \
		uint8_t b_[] = { __VA_ARGS__ }; \
		memcpy(c[n].bytes, b_, sizeof(b_)); \
		c[n].len = sizeof(b_); \
		n++; \
	} while (0)
	CASE(0x00010002, PtypInteger16, i2, 0x1234, 0x02, 0x00, 0x01, 0x00, 0x34, 0x12);
	CASE(0x00020003, PtypInteger32, l, 0x01020304, 0x03, 0x00, 0x02, 0x00, 4, 3, 2, 1);
	CASE(0x00030004, PtypFloating32, flt, 1.0f, 0x04, 0x00, 0x03, 0x00, 0, 0, 0x80, 0x3F);
	CASE(0x00040005, PtypFloating64, dbl, 1.0, 0x05, 0x00, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F);
	CASE(0x00050006, PtypCurrency, d, 5, 0x06, 0x00, 0x05, 0x00, 5, 0, 0, 0, 0, 0, 0, 0);
	CASE(0x00060007, PtypFloatingTime, dbl, 2.0, 0x07, 0x00, 0x06, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x40);
	CASE(0x0007000A, PtypErrorCode, l, 0x8004010F, 0x0A, 0x00, 0x07, 0x00, 0x0F, 0x01, 0x04, 0x80);
	/* 2.2.4.1.3: PtypBoolean takes 2 bytes */
	CASE(0x0008000B, PtypBoolean, b, 1, 0x0B, 0x00, 0x08, 0x00, 0x01, 0x00);
	CASE(0x00090014, PtypInteger64, d, 0x1122334455667788ULL, 0x14, 0x00, 0x09, 0x00,
	     0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
	CASE(0x000A0040, PtypTime, d, 0x01D08581A89ED000ULL, 0x40, 0x00, 0x0A, 0x00,
	     0x00, 0xD0, 0x9E, 0xA8, 0x81, 0x85, 0xD0, 0x01);
	CASE(0x000B001F, PtypString, str, "Hi", 0x1F, 0x00, 0x0B, 0x00, 6, 0, 0, 0, 'H', 0, 'i', 0, 0, 0);
	CASE(0x000C001E, PtypString8, str8.utf8, "Hi", 0x1E, 0x00, 0x0C, 0x00, 3, 0, 0, 0, 'H', 'i', 0);
	CASE(0x000D0102, PtypBinary, bin.cb, 0, 0x02, 0x01, 0x0D, 0x00, 0, 0, 0, 0);
	CASE(0x000E000D, PtypObject, bin.cb, 0, 0x0D, 0x00, 0x0E, 0x00, 0, 0, 0, 0);
	CASE(0x000F00FB, PtypServerId, bin.cb, 0, 0xFB, 0x00, 0x0F, 0x00, 0, 0, 0, 0);
	CASE(0x00101002, PtypMultipleInteger16, mv.Count, 2, 0x02, 0x10, 0x10, 0x00,
	     2, 0, 0, 0, 1, 0, 0xFF, 0xFF);
	c[n - 1].atom.Value.u.mv.v.i2 = shorts;
	CASE(0x00111014, PtypMultipleInteger64, mv.Count, 1, 0x14, 0x10, 0x11, 0x00,
	     1, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1);
	c[n - 1].atom.Value.u.mv.v.d = longs;
	CASE(0x00121048, PtypMultipleGuid, mv.Count, 1, 0x48, 0x10, 0x12, 0x00,
	     1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
	c[n - 1].atom.Value.u.mv.v.guid = guids;
	CASE(0x0013101E, PtypMultipleString8, mv.Count, 1, 0x1E, 0x10, 0x13, 0x00,
	     1, 0, 0, 0, 2, 0, 0, 0, 'a', 0);
	c[n - 1].atom.Value.u.mv.v.str8 = s8s;
	/* code page string type 0x84E4 (cp 1252), 2.2.4.1.1.1 */
	CASE(0x001484E4, PtypString8, str8.utf8, "\xC3\xA9", 0xE4, 0x84, 0x14, 0x00, 2, 0, 0, 0, 0xE9, 0);
#undef CASE
	for (i = 0; i < n; i++) {
		struct fxics_atom *out = NULL;
		size_t len = 0, count = 0;
		uint8_t *bytes = fx_encode(*state, &c[i].atom, 1, &len);

		if (len != c[i].len || memcmp(bytes, c[i].bytes, len) != 0) {
			fail_msg("case %zu (tag 0x%08x): wrong bytes", i, c[i].atom.PropertyTag);
		}
		assert_int_equal(fxics_decode_all(*state, bytes, len, 0, &out, &count), ROP_OK);
		assert_int_equal(count, 1);
		/* decoded 8-bit strings keep their raw bytes: compare through utf8 */
		if (c[i].atom.Value.PropertyType == PtypString8) {
			assert_string_equal(out[0].Value.u.str8.utf8, c[i].atom.Value.u.str8.utf8);
		} else if (c[i].atom.Value.PropertyType != PtypMultipleString8) {
			assert_true(fxics_atom_equal(&c[i].atom, &out[0]));
		}
		/* and re-encoding the decoded atom gives the same bytes */
		talloc_free(bytes);
		bytes = fx_encode(*state, &out[0], 1, &len);
		assert_int_equal(len, c[i].len);
		assert_memory_equal(bytes, c[i].bytes, len);
		talloc_free(bytes);
		talloc_free(out);
	}
}

static void test_named_properties(void **state)
{
	static const uint8_t lid_bytes[] = {
		0x03, 0x00, 0x01, 0x85,
		0x08, 0x20, 0x06, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46,
		0x00, 0x18, 0x85, 0x00, 0x00,
		0x2A, 0x00, 0x00, 0x00 };
	static const uint8_t name_bytes[] = {
		0x0B, 0x00, 0x02, 0x80,
		0x08, 0x20, 0x06, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46,
		0x01, 'x', 0, 0, 0,
		0x01, 0x00 };
	struct PropertyName lid = { .Kind = 0x00, .LID = 0x8518 };
	struct PropertyName nm = { .Kind = 0x01, .Name = "x" };
	struct fxics_atom a = fx_u32(0x85010003, 42);
	struct fxics_atom b = fx_u32(0x8002000B, 0);

	memcpy(lid.Guid, lid_bytes + 4, 16);
	memcpy(nm.Guid, lid_bytes + 4, 16);
	a.Name = &lid;
	roundtrip(*state, &a, 1, lid_bytes, sizeof(lid_bytes));
	b.Value.PropertyType = PtypBoolean;
	b.Value.u.b = 1;
	b.Name = &nm;
	roundtrip(*state, &b, 1, name_bytes, sizeof(name_bytes));
	/* a named property without a name cannot be encoded */
	a.Name = NULL;
	assert_int_equal(fxics_encoder_atom(fxics_encoder_new(*state, 0), &a), ROP_ERR_INVALID);
	talloc_free_children(*state);
}

/* First bytes of an IncrSyncChg folder change, published by Microsoft in
 * "MS-OXCFXICS - How to parse the FastTransfer Stream" (Open Specifications
 * blog, 2015). */
static const uint8_t blog_stream[] = {
	0x03, 0x00, 0x12, 0x40, 0x02, 0x01, 0xE1, 0x65, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0xE0, 0x65,
	0x16, 0x00, 0x00, 0x00, 0x52, 0xF6, 0x85, 0xEC, 0x7D, 0x43, 0x2E, 0x4A, 0xA9, 0x60, 0x34, 0x50,
	0x88, 0x53, 0xD9, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x03, 0xF5, 0x40, 0x00, 0x08, 0x30, 0x00, 0xD0,
	0x9E, 0xA8, 0x81, 0x85, 0xD0, 0x01, 0x02, 0x01, 0xE2, 0x65, 0x16, 0x00, 0x00, 0x00, 0x52, 0xF6,
	0x85, 0xEC, 0x7D, 0x43, 0x2E, 0x4A, 0xA9, 0x60, 0x34, 0x50, 0x88, 0x53, 0xD9, 0x0A, 0x00, 0x00,
	0x00, 0x00, 0x20, 0x7C, 0x02, 0x01, 0xE3, 0x65, 0x17, 0x00, 0x00, 0x00, 0x16, 0x52, 0xF6, 0x85,
	0xEC, 0x7D, 0x43, 0x2E, 0x4A, 0xA9, 0x60, 0x34, 0x50, 0x88, 0x53, 0xD9, 0x0A, 0x00, 0x00, 0x00,
	0x00, 0x20, 0x7C, 0x1F, 0x00, 0x01, 0x30, 0x0C, 0x00, 0x00, 0x00, 0x49, 0x00, 0x4E, 0x00, 0x42,
	0x00, 0x4F, 0x00, 0x58, 0x00, 0x00, 0x00, 0x14, 0x00, 0x49, 0x67, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0xF4, 0x03, 0x00, 0x39, 0x66, 0xFB, 0x03, 0x00, 0x00, 0x40, 0x00, 0x07, 0x30, 0x80,
	0x39, 0x06, 0xA8, 0x81, 0x85, 0xD0, 0x01, 0x0B, 0x00, 0xF4, 0x10, 0x00, 0x00,
};

static void test_blog_stream(void **state)
{
	static const uint32_t tags[] = {
		IncrSyncChg, 0x65E10102, 0x65E00102, 0x30080040, 0x65E20102, 0x65E30102,
		0x3001001F, 0x67490014, 0x66390003, 0x30070040, 0x10F4000B };
	struct fxics_atom *a = NULL;
	struct PredecessorChangeList *pcl = NULL;
	size_t n = 0, i, len = 0;
	uint8_t *again;

	assert_int_equal(sizeof(blog_stream), 0xAD);
	assert_int_equal(fxics_decode_all(*state, blog_stream, sizeof(blog_stream), 0, &a, &n),
			 ROP_OK);
	assert_int_equal(n, sizeof(tags) / sizeof(tags[0]));
	for (i = 0; i < n; i++) {
		assert_int_equal(a[i].PropertyTag, tags[i]);
	}
	assert_int_equal(a[0].kind, FXICS_ATOM_MARKER);
	assert_int_equal(a[1].Value.u.bin.cb, 0);
	assert_int_equal(a[2].Value.u.bin.cb, 22);
	assert_string_equal(a[6].Value.u.str, "INBOX");
	assert_int_equal(a[8].Value.u.l, 0x3FB);
	assert_int_equal(a[10].Value.u.b, 0);
	assert_int_equal(a[3].Value.u.d, 0x01D08581A89ED000ULL);
	/* PidTagPredecessorChangeList goes through ndr/rop's PCL codec */
	assert_int_equal(oxcdata_pcl_decode(*state, a[5].Value.u.bin.lpb, a[5].Value.u.bin.cb, &pcl),
			 ROP_OK);
	assert_int_equal(pcl->Count, 1);
	assert_int_equal(pcl->Xids[0].LocalIdSize, 6);
	/* byte-exact re-encoding */
	again = fx_encode(*state, a, n, &len);
	assert_int_equal(len, sizeof(blog_stream));
	assert_memory_equal(again, blog_stream, len);
	talloc_free_children(*state);
}

static void test_strings_edge(void **state)
{
	/* PtypString without terminator: kept, flagged, re-encoded the same */
	static const uint8_t unterm[] = { 0x1F, 0x00, 0x01, 0x30, 0x02, 0, 0, 0, 'A', 0 };
	static const uint8_t odd[] = { 0x1F, 0x00, 0x01, 0x30, 0x03, 0, 0, 0, 'A', 0, 0 };
	static const uint8_t embedded[] = { 0x1E, 0x00, 0x01, 0x30, 0x03, 0, 0, 0, 'A', 0, 0 };
	static const uint8_t badbool[] = { 0x0B, 0x00, 0xF4, 0x10, 0x02, 0x00 };
	static const uint8_t restriction[] = { 0xFD, 0x00, 0x01, 0x30, 0x00 };
	struct fxics_atom *a = NULL;
	size_t n = 0, len = 0;
	uint8_t *again;

	assert_int_equal(fxics_decode_all(*state, unterm, sizeof(unterm), 0, &a, &n), ROP_OK);
	assert_int_equal(a[0].Flags, FXICS_ATOM_UNTERMINATED);
	assert_string_equal(a[0].Value.u.str, "A");
	again = fx_encode(*state, a, n, &len);
	assert_int_equal(len, sizeof(unterm));
	assert_memory_equal(again, unterm, len);
	assert_int_equal(fxics_decode_all(*state, odd, sizeof(odd), 0, &a, &n), ROP_ERR_BAD_STRING);
	assert_int_equal(fxics_decode_all(*state, embedded, sizeof(embedded), 0, &a, &n),
			 ROP_ERR_BAD_STRING);
	assert_int_equal(fxics_decode_all(*state, badbool, sizeof(badbool), 0, &a, &n),
			 ROP_ERR_FORMAT);
	assert_int_equal(fxics_decode_all(*state, restriction, sizeof(restriction), 0, &a, &n),
			 ROP_ERR_BAD_PROPTYPE);
	talloc_free_children(*state);
}

static void test_limits(void **state)
{
	static const uint8_t huge[] = { 0x02, 0x01, 0x01, 0x30, 0xFF, 0xFF, 0xFF, 0x7F };
	static const uint8_t many[] = { 0x03, 0x10, 0x01, 0x30, 0xFF, 0xFF, 0xFF, 0x3F };
	struct fxics_decoder *dec = fxics_decoder_new(*state, 0, 1024);
	struct fxics_atom *a = NULL;

	/* a length beyond max_atom is refused before any byte of it arrives */
	assert_int_equal(fxics_decoder_feed(dec, huge, sizeof(huge)), ROP_OK);
	assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_ERR_TOO_BIG);
	assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_ERR_TOO_BIG);
	dec = fxics_decoder_new(*state, 0, 1024);
	assert_int_equal(fxics_decoder_feed(dec, many, sizeof(many)), ROP_OK);
	assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_ERR_TOO_BIG);
	/* a stream that stops inside an element */
	dec = fxics_decoder_new(*state, 0, 0);
	assert_int_equal(fxics_decoder_feed(dec, blog_stream, 10), ROP_OK);
	assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_OK);
	assert_non_null(a);
	assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_OK);
	assert_null(a);
	assert_int_equal(fxics_decoder_finish(dec), ROP_ERR_TRUNCATED);
	assert_int_equal(fxics_decoder_offset(dec), 4);
	/* the encoder refuses markers as properties and unknown markers */
	assert_int_equal(fxics_encoder_marker(fxics_encoder_new(*state, 0), 0x0E070003),
			 ROP_ERR_INVALID);
	talloc_free_children(*state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_markers, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_metaproperties, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_property_types, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_named_properties, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_blog_stream, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_strings_edge, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_limits, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

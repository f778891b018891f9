/*
 * Malformed input: every prefix of the fixture buffers, oversized counts,
 * unknown RopIds, nesting beyond the depth limit, undefined property types.
 * Each must give a clean error (ASan builds check that nothing reads past
 * the buffer: every decode below runs over an exact-size heap copy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_test.h"
#include "rop_sample.h"

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

/* Decode a heap copy of exactly len bytes. */
static enum rop_err decode_exact(TALLOC_CTX *mem, const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct rop_buffer *b = NULL;
	enum rop_err err;

	memcpy(copy, data, len);
	err = rop_buffer_decode_requests(mem, copy, len, NULL, &b, NULL);
	free(copy);
	talloc_free(b);
	return err;
}

static void test_prefixes(void **state)
{
	TALLOC_CTX *mem = *state;
	static const char *const files[] = {
		"outlook2007_modifyrecipients.rop", "outlook2007_tables.rop",
	};
	size_t f;

	for (f = 0; f < 2; f++) {
		size_t len, n;
		uint8_t *data = load(mem, files[f], &len);
		uint16_t rop_size = (uint16_t)(data[0] | (data[1] << 8));

		assert_int_equal(decode_exact(mem, data, len), ROP_OK);
		for (n = 0; n < len; n++) {
			/* a cut inside the handle table on a 4-byte boundary leaves a valid buffer */
			if (n >= rop_size && (n - rop_size) % 4 == 0) {
				assert_int_equal(decode_exact(mem, data, n), ROP_OK);
				continue;
			}
			assert_int_not_equal(decode_exact(mem, data, n), ROP_OK);
		}
		/* every shortened RopsList (RopSize patched, no handles) fails too */
		for (n = 3; n < rop_size; n++) {
			uint8_t *copy = talloc_memdup(mem, data, n);
			enum rop_err err;

			copy[0] = (uint8_t)n;
			copy[1] = (uint8_t)(n >> 8);
			err = decode_exact(mem, copy, n);
			talloc_free(copy);
			/* a cut between two ROPs is a valid, shorter buffer */
			if (err == ROP_OK) {
				continue;
			}
			assert_true(err == ROP_ERR_TRUNCATED || err == ROP_ERR_BAD_COUNT ||
				    err == ROP_ERR_BAD_STRING || err == ROP_ERR_FORMAT);
		}
		talloc_free(data);
	}
}

static void test_every_rop_truncated(void **state)
{
	TALLOC_CTX *mem = *state;
	unsigned id;

	for (id = 0; id < 256; id++) {
		const struct rop_info_public *info = rop_info((uint8_t)id);
		struct sample_opts o = { .LogonFlags = 1 };
		struct rop_request req, back;
		struct rop_ctx ctx;
		struct oxcdata_push push;
		size_t n;

		if (info == NULL || !info->has_request) {
			continue;
		}
		sample_request(mem, (uint8_t)id, &o, &req);
		sample_ctx(&ctx, NULL, true);
		oxcdata_push_init(&push, mem);
		assert_int_equal(rop_request_push(&push, &ctx, &req), ROP_OK);
		for (n = 0; n < push.size; n++) {
			struct oxcdata_pull pull;
			uint8_t *copy = malloc(n ? n : 1);

			memcpy(copy, push.data, n);
			oxcdata_pull_init(&pull, mem, copy, n);
			if (rop_request_pull(&pull, &ctx, &back) == ROP_OK) {
				fail_msg("%s: prefix of %zu/%zu bytes decoded", info->name, n, push.size);
			}
			free(copy);
		}
		/* a ROP shorter than its minimum size is an error */
		if (info->min_request_size > 2) {
			struct oxcdata_pull pull;

			oxcdata_pull_init(&pull, mem, push.data, info->min_request_size - 1u);
			assert_int_not_equal(rop_request_pull(&pull, &ctx, &back), ROP_OK);
		}
		talloc_free_children(mem);
	}
}

static void test_unknown_rop(void **state)
{
	TALLOC_CTX *mem = *state;
	/* RopSize 5: one RopGetStoreState then the reserved RopId 0x00 */
	uint8_t buf[] = { 0x08, 0x00, 0x7B, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct rop_buffer *b = NULL;
	size_t off = 0;
	unsigned id;
	uint32_t reserved = 0;

	assert_int_equal(rop_buffer_decode_requests(mem, buf, sizeof(buf), NULL, &b, &off),
			 ROP_ERR_UNKNOWN_ROP);
	assert_null(b);
	assert_int_equal(off, 5);
	/* response-only ROPs are not requests; every undefined id is refused */
	for (id = 0; id < 256; id++) {
		const struct rop_info_public *info = rop_info((uint8_t)id);
		uint8_t one[] = { 0x05, 0x00, (uint8_t)id, 0x00, 0x00 };

		if (info != NULL && info->has_request) {
			continue;
		}
		reserved++;
		assert_int_equal(rop_buffer_decode_requests(mem, one, sizeof(one), NULL, &b, &off),
				 ROP_ERR_UNKNOWN_ROP);
		assert_int_equal(off, 2);
	}
	assert_int_equal(reserved, 256 - (ROP_COUNT - 4));
	assert_null(rop_info(0x00));
	assert_string_equal(rop_info(0xFE)->name, "RopLogon");
	assert_string_equal(rop_info(0xFE)->section, "2.2.3.1");
	assert_false(rop_info(RopRelease)->has_response);
	assert_false(rop_info(RopNotify)->has_request);
	/* RopLogon: header 2 + OutputHandleIndex, LogonFlags, OpenFlags, StoreState, EssdnSize */
	assert_int_equal(rop_info(RopLogon)->min_request_size, 14);
	assert_int_equal(rop_info(RopRelease)->min_request_size, 3);
}

static void test_oversized_counts(void **state)
{
	TALLOC_CTX *mem = *state;
	/* RopDeleteMessages with MessageIdCount 0xFFFF and one id */
	uint8_t del[] = { 0x11, 0x00, 0x1E, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
			  1, 2, 3, 4, 5, 6, 7, 8 };
	/* RopSetColumns with PropertyTagCount 0x4000 */
	uint8_t cols[] = { 0x0A, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x40, 0x03, 0x00 };
	/* RopSetProperties: PropertyValueSize bigger than the buffer */
	uint8_t setp[] = { 0x09, 0x00, 0x0A, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00 };
	/* RopSetProperties: a PtypMultipleInteger32 value with Count 0x7FFFFFFF */
	uint8_t mv[] = { 0x13, 0x00, 0x0A, 0x00, 0x00, 0x0C, 0x00, 0x01, 0x00,
			 0x03, 0x10, 0x01, 0x80, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0 };
	/* RopSetProperties: PropertyValueSize smaller than the values */
	uint8_t shortsz[] = { 0x11, 0x00, 0x0A, 0x00, 0x00, 0x04, 0x00, 0x01, 0x00,
			      0x03, 0x00, 0x01, 0x80, 0x05, 0x00, 0x00, 0x00 };
	/* RopSize larger than the buffer; handle table not a multiple of 4 */
	uint8_t big[] = { 0x40, 0x00, 0x01, 0x00, 0x00 };
	uint8_t odd[] = { 0x05, 0x00, 0x01, 0x00, 0x00, 0xAA };
	struct rop_buffer *b = NULL;

	assert_int_equal(rop_buffer_decode_requests(mem, del, sizeof(del), NULL, &b, NULL),
			 ROP_ERR_BAD_COUNT);
	assert_int_equal(rop_buffer_decode_requests(mem, cols, sizeof(cols), NULL, &b, NULL),
			 ROP_ERR_BAD_COUNT);
	assert_int_equal(rop_buffer_decode_requests(mem, setp, sizeof(setp), NULL, &b, NULL),
			 ROP_ERR_TRUNCATED);
	assert_int_equal(rop_buffer_decode_requests(mem, mv, sizeof(mv), NULL, &b, NULL),
			 ROP_ERR_BAD_COUNT);
	assert_int_equal(rop_buffer_decode_requests(mem, shortsz, sizeof(shortsz), NULL, &b, NULL),
			 ROP_ERR_BAD_COUNT);
	assert_int_equal(rop_buffer_decode_requests(mem, big, sizeof(big), NULL, &b, NULL),
			 ROP_ERR_TRUNCATED);
	assert_int_equal(rop_buffer_decode_requests(mem, odd, sizeof(odd), NULL, &b, NULL),
			 ROP_ERR_FORMAT);
	assert_null(b);
}

/* RopRestrict with `depth` nested Not restrictions around an Exist. */
static uint8_t *nested_restrict(TALLOC_CTX *mem, unsigned depth, size_t *len)
{
	size_t rlen = depth + 5, total = 2 + 3 + 1 + 2 + rlen, i;
	uint8_t *b = talloc_zero_array(mem, uint8_t, total);

	b[0] = (uint8_t)total;
	b[1] = (uint8_t)(total >> 8);
	b[2] = RopRestrict;
	b[6] = (uint8_t)rlen;
	b[7] = (uint8_t)(rlen >> 8);
	for (i = 0; i < depth; i++) {
		b[8 + i] = RES_NOT;
	}
	b[8 + depth] = RES_EXIST;
	b[9 + depth] = 0x1F;
	b[11 + depth] = 0x37;
	*len = total;
	return b;
}

static void test_depth_limit(void **state)
{
	TALLOC_CTX *mem = *state;
	struct rop_buffer *b = NULL;
	size_t len;
	uint8_t *buf;

	buf = nested_restrict(mem, OXCDATA_MAX_DEPTH - 1, &len);
	assert_int_equal(rop_buffer_decode_requests(mem, buf, len, NULL, &b, NULL), ROP_OK);
	assert_int_equal(b->requests[0].u.RopRestrict.RestrictionData->RestrictType, RES_NOT);
	talloc_free(b);
	buf = nested_restrict(mem, OXCDATA_MAX_DEPTH, &len);
	assert_int_equal(rop_buffer_decode_requests(mem, buf, len, NULL, &b, NULL), ROP_ERR_DEPTH);
	buf = nested_restrict(mem, 5000, &len);
	assert_int_equal(rop_buffer_decode_requests(mem, buf, len, NULL, &b, NULL), ROP_ERR_DEPTH);
	talloc_free_children(mem);
}

static void test_bad_property_types(void **state)
{
	TALLOC_CTX *mem = *state;
	/* RopSetProperties with one value of each undefined type */
	static const uint16_t bad[] = { 0x0008, 0x0009, 0x000C, 0x0010, 0x1001,
					0x1000, 0x100B, 0x2003, 0xFFFF };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t buf[] = { 0x11, 0x00, 0x0A, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
				  (uint8_t)bad[i], (uint8_t)(bad[i] >> 8), 0x01, 0x80,
				  0, 0, 0, 0 };
		struct rop_buffer *b = NULL;

		assert_false(oxcdata_ptype_is_valid(bad[i]));
		assert_int_equal(rop_buffer_decode_requests(mem, buf, sizeof(buf), NULL, &b, NULL),
				 ROP_ERR_BAD_PROPTYPE);
	}
	assert_true(oxcdata_ptype_is_valid(PtypMultipleBinary));
	/* PtypUnspecified is a type of tags, never of a TaggedPropertyValue */
	{
		uint8_t buf[] = { 0x11, 0x00, 0x0A, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
				  0x00, 0x00, 0x01, 0x80, 0, 0, 0, 0 };
		struct rop_buffer *b = NULL;

		assert_int_equal(rop_buffer_decode_requests(mem, buf, sizeof(buf), NULL, &b, NULL),
				 ROP_ERR_BAD_PROPTYPE);
	}
	assert_string_equal(oxcdata_ptype_name(PtypServerId), "PtypServerId");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prefixes, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_every_rop_truncated, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_rop, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_oversized_counts, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_bad_property_types, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

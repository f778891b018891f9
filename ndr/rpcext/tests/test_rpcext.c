/*
 * Unit tests: RPC_HEADER_EXT ([MS-OXCRPC] 2.2.2.1), XorMagic (3.1.7.3),
 * chunk parsing of the real Outlook 2007 rgbIn buffers, malformed input,
 * and the response builder round-tripped through the parser.
 */
#include "oc_test.h"
#include "rpcext.h"
#include "rpcext_test_util.h"

#include <stdio.h>
#include <string.h>

struct fixture {
	const char *file;
	uint16_t Size, SizeActual;
	uint16_t RopSize;
	uint8_t first_rop;
};

static const struct fixture fixtures[] = {
	{ "001_Outlook_2007_in_ModifyRecipients_comp.dat", 325, 459, 455, 0x0D },
	{ "002_Outlook_2007_in_Tables_operations_comp.dat", 330, 380, 356, 0x05 },
};

static uint8_t *load_stub(TALLOC_CTX *ctx, const char *file, size_t *size_r,
			  struct rt_ecdorpcext2_in *in)
{
	char *path = talloc_asprintf(ctx, "%s/%s", RPCEXT_TEST_DATA, file);
	uint8_t *stub;

	assert_non_null(path);
	stub = rt_read_file(ctx, path, size_r);
	if (stub == NULL) {
		fail_msg("cannot read %s", path);
	}
	talloc_free(path);
	assert_true(rt_ecdorpcext2_in_pull(stub, *size_r, in));
	return stub;
}

static void test_fixtures(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fixture *f = &fixtures[i];
		struct rt_ecdorpcext2_in in;
		struct rpcext_chunk *chunks = NULL;
		struct rpc_header_ext h;
		size_t size = 0, num = 0;
		uint8_t *stub = load_stub(*state, f->file, &size, &in);

		assert_int_equal(in.cbIn, RPC_HEADER_EXT_SIZE + f->Size);
		assert_int_equal(rpcext_header_pull(in.rgbIn, in.cbIn, &h), RPCEXT_OK);
		assert_int_equal(h.Version, 0);
		assert_int_equal(h.Flags, 0x0005);
		assert_int_equal(h.Size, f->Size);
		assert_int_equal(h.SizeActual, f->SizeActual);

		assert_int_equal(rpcext_parse(*state, in.rgbIn, in.cbIn, NULL, &chunks, &num),
				 RPCEXT_OK);
		assert_int_equal(num, 1);
		assert_int_equal(chunks[0].payload_size, f->SizeActual);
		/* RopSize (uint16) then the first ROP id */
		assert_int_equal(chunks[0].payload[0] | (chunks[0].payload[1] << 8), f->RopSize);
		assert_int_equal(chunks[0].payload[2], f->first_rop);
		talloc_free(chunks);
		talloc_free(stub);
	}
}

static void test_fixture_truncations(void **state)
{
	struct rt_ecdorpcext2_in in;
	size_t size = 0, n;
	uint8_t *stub = load_stub(*state, fixtures[0].file, &size, &in);

	/* every proper prefix of a valid rgbIn is a clean error */
	for (n = 0; n < in.cbIn; n++) {
		uint8_t *copy = talloc_memdup(*state, in.rgbIn, n > 0 ? n : 1);
		struct rpcext_chunk *chunks = NULL;
		size_t num = 0;
		enum rpcext_error err = rpcext_parse(*state, n > 0 ? copy : NULL, n, NULL,
						     &chunks, &num);

		if (err != RPCEXT_ERR_TRUNCATED) {
			fail_msg("prefix %zu: %s", n, rpcext_error_name(err));
		}
		talloc_free(copy);
	}
	talloc_free(stub);
}

struct bad_header {
	const char *name;
	uint8_t bytes[12];
	size_t len;
	enum rpcext_error want;
};

static const struct bad_header bad_headers[] = {
	{ "empty", { 0 }, 0, RPCEXT_ERR_TRUNCATED },
	{ "short header", { 0, 0, 4, 0, 0, 0, 0 }, 7, RPCEXT_ERR_TRUNCATED },
	{ "Version 1", { 1, 0, 4, 0, 0, 0, 0, 0 }, 8, RPCEXT_ERR_BAD_VERSION },
	{ "Version 0x100", { 0, 1, 4, 0, 0, 0, 0, 0 }, 8, RPCEXT_ERR_BAD_VERSION },
	{ "unknown flag 0x8", { 0, 0, 0x0c, 0, 0, 0, 0, 0 }, 8, RPCEXT_ERR_BAD_FLAGS },
	{ "unknown flag 0x8000", { 0, 0, 0x04, 0x80, 0, 0, 0, 0 }, 8, RPCEXT_ERR_BAD_FLAGS },
	{ "uncompressed, Size != SizeActual", { 0, 0, 4, 0, 2, 0, 3, 0, 1, 2 }, 10,
	  RPCEXT_ERR_BAD_FLAGS },
	{ "compressed, Size == SizeActual", { 0, 0, 5, 0, 2, 0, 2, 0, 1, 2 }, 10,
	  RPCEXT_ERR_BAD_FLAGS },
	{ "compressed, Size > SizeActual", { 0, 0, 5, 0, 3, 0, 2, 0, 1, 2, 3 }, 11,
	  RPCEXT_ERR_BAD_FLAGS },
	{ "Size beyond buffer", { 0, 0, 4, 0, 4, 0, 4, 0, 1, 2, 3 }, 11,
	  RPCEXT_ERR_TRUNCATED },
	{ "SizeActual huge", { 0, 0, 5, 0, 4, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 12,
	  RPCEXT_ERR_TOO_LARGE },
	{ "no Last flag", { 0, 0, 0, 0, 2, 0, 2, 0, 1, 2 }, 10, RPCEXT_ERR_NO_LAST },
	{ "trailing byte after Last", { 0, 0, 4, 0, 1, 0, 1, 0, 7, 9 }, 10,
	  RPCEXT_ERR_TRAILING_DATA },
	{ "compressed garbage", { 0, 0, 5, 0, 2, 0, 9, 0, 0xff, 0xff }, 10,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "compressed, decodes short", { 0, 0, 5, 0, 4, 0, 9, 0, 0xff, 0xff, 0xff, 0xff }, 12,
	  RPCEXT_ERR_SIZE_MISMATCH },
};

static void test_malformed(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		const struct bad_header *b = &bad_headers[i];
		struct rpcext_chunk *chunks = NULL;
		size_t num = 0;
		enum rpcext_error err = rpcext_parse(*state, b->bytes, b->len, NULL,
						     &chunks, &num);

		if (err != b->want) {
			fail_msg("%s: got %s, want %s", b->name, rpcext_error_name(err),
				 rpcext_error_name(b->want));
		}
		assert_null(chunks);
	}
}

static void test_limits(void **state)
{
	/* Size 0x8001 is a legal uint16 but above the 32 KB payload limit */
	uint8_t *buf = talloc_zero_array(*state, uint8_t, 8 + 0x8001);
	struct rpcext_limits lim = { .max_chunk = 0x9000 };
	struct rpcext_chunk *chunks = NULL;
	size_t num = 0;

	assert_non_null(buf);
	buf[2] = RHEF_Last;
	buf[4] = 0x01; buf[5] = 0x80;
	buf[6] = 0x01; buf[7] = 0x80;
	assert_int_equal(rpcext_parse(*state, buf, 8 + 0x8001, NULL, &chunks, &num),
			 RPCEXT_ERR_TOO_LARGE);
	assert_int_equal(rpcext_parse(*state, buf, 8 + 0x8001, &lim, &chunks, &num),
			 RPCEXT_OK);
	assert_int_equal(num, 1);
	talloc_free(chunks);
	lim.max_in = 100;
	assert_int_equal(rpcext_parse(*state, buf, 8 + 0x8001, &lim, &chunks, &num),
			 RPCEXT_ERR_TOO_LARGE);
	talloc_free(buf);
}

static void test_xor_magic(void **state)
{
	uint8_t b[4] = { 0x00, 0xA5, 0xFF, 0x5A };

	rpcext_xor_magic(b, 4);
	assert_int_equal(b[0], 0xA5);
	assert_int_equal(b[1], 0x00);
	assert_int_equal(b[2], 0x5A);
	assert_int_equal(b[3], 0xFF);
}

struct build_case {
	const char *name;
	size_t size;
	size_t chunk_max;
	bool compress, xor_magic;
	bool random;
};

static const struct build_case build_cases[] = {
	{ "empty plain", 0, 0, false, false, false },
	{ "empty both", 0, 0, true, true, false },
	{ "small plain", 100, 0, false, false, false },
	{ "small compress", 100, 0, true, false, false },
	{ "small xor", 100, 0, false, true, false },
	{ "small both", 100, 0, true, true, false },
	{ "random both (stays uncompressed)", 5000, 0, true, true, true },
	{ "3 chunks plain", 2500, 1000, false, false, false },
	{ "3 chunks both", 2500, 1000, true, true, false },
	{ "many chunks compress", 100000, 0x8000, true, false, false },
	{ "many chunks random", 70000, 0x8000, true, false, true },
};

static void test_build_round_trip(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(build_cases) / sizeof(build_cases[0]); i++) {
		const struct build_case *c = &build_cases[i];
		struct rpcext_build_opts opts = { .compress = c->compress,
						  .xor_magic = c->xor_magic };
		struct rpcext_limits lim = { .max_in = 1 << 20, .max_total = 1 << 20 };
		uint8_t *payload = talloc_array(*state, uint8_t, c->size + 1);
		uint8_t *wire = NULL, *flat = NULL;
		struct rpcext_chunk *chunks = NULL;
		size_t wire_size = 0, flat_size = 0, num = 0, k, want_chunks;
		uint32_t seed = 7;

		assert_non_null(payload);
		for (k = 0; k < c->size; k++) {
			payload[k] = c->random ? (uint8_t)rt_rand(&seed) : (uint8_t)"ROPs!"[k % 5];
		}
		assert_int_equal(rpcext_build(*state, payload, c->size, c->chunk_max, 1 << 20,
					      &opts, &wire, &wire_size), RPCEXT_OK);
		assert_int_equal(rpcext_parse(*state, wire, wire_size, &lim, &chunks, &num),
				 RPCEXT_OK);
		k = c->chunk_max != 0 ? c->chunk_max : RPCEXT_MAX_PAYLOAD;
		want_chunks = c->size == 0 ? 1 : (c->size + k - 1) / k;
		assert_int_equal(num, want_chunks);
		for (k = 0; k < num; k++) {
			uint16_t fl = chunks[k].header.Flags;

			assert_int_equal((fl & RHEF_Last) != 0, k + 1 == num);
			assert_int_equal((fl & RHEF_XorMagic) != 0, c->xor_magic);
			/* compressed only when asked and when it helps */
			if ((fl & RHEF_Compressed) != 0) {
				assert_true(c->compress);
				assert_true(chunks[k].header.Size < chunks[k].header.SizeActual);
			}
			if (c->compress && !c->random && chunks[k].payload_size > 16) {
				assert_true((fl & RHEF_Compressed) != 0);
			}
			if (c->random) {
				assert_true((fl & RHEF_Compressed) == 0);
			}
		}
		assert_int_equal(rpcext_parse_flat(*state, wire, wire_size, &lim, &flat,
						   &flat_size), RPCEXT_OK);
		assert_int_equal(flat_size, c->size);
		assert_memory_equal(flat, payload, c->size);
		talloc_free(chunks);
		talloc_free(flat);
		talloc_free(wire);
		talloc_free(payload);
	}
}

static void test_writer(void **state)
{
	struct rpcext_build_opts opts = rpcext_build_opts_from_pulFlags(pulFlags_NoXorMagic);
	struct rpcext_writer *w;
	const uint8_t *data = NULL;
	uint8_t rop[200];
	size_t size = 0;

	assert_true(opts.compress);
	assert_false(opts.xor_magic);
	memset(rop, 0x42, sizeof(rop));

	/* room for exactly one uncompressed chunk of 20 bytes */
	w = rpcext_writer_new(*state, 8 + 20, NULL);
	assert_non_null(w);
	assert_int_equal(rpcext_writer_data(w, &data, &size), RPCEXT_ERR_NO_LAST);
	assert_int_equal(rpcext_writer_add(w, rop, 21, true), RPCEXT_ERR_NO_SPACE);
	assert_int_equal(rpcext_writer_space(w), 28);
	assert_int_equal(rpcext_writer_add(w, rop, 20, true), RPCEXT_OK);
	assert_int_equal(rpcext_writer_space(w), 0);
	assert_int_equal(rpcext_writer_add(w, rop, 1, true), RPCEXT_ERR_INVALID_PARAM);
	assert_int_equal(rpcext_writer_data(w, &data, &size), RPCEXT_OK);
	assert_int_equal(size, 28);
	talloc_free(w);

	/* compression makes a 200-byte chunk fit in 40 bytes */
	w = rpcext_writer_new(*state, 40, &opts);
	assert_non_null(w);
	assert_int_equal(rpcext_writer_add(w, rop, sizeof(rop), false), RPCEXT_OK);
	assert_int_equal(rpcext_writer_add(w, rop, 0x8001, true), RPCEXT_ERR_TOO_LARGE);
	assert_int_equal(rpcext_writer_add(w, rop, 2, true), RPCEXT_OK);
	assert_int_equal(rpcext_writer_data(w, &data, &size), RPCEXT_OK);
	assert_int_equal(data[2], RHEF_Compressed);
	talloc_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fixtures, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_fixture_truncations, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_limits, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_xor_magic, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_build_round_trip, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_writer, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

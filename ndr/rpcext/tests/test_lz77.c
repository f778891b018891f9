/*
 * Unit tests: Plain LZ77 ([MS-XCA] 2.3 / 2.4), against the examples of
 * [MS-XCA] 3.1, round trips, every length escape, malformed streams, and
 * a cross-check with Samba's lzxpress in both directions.
 */
#include "oc_test.h"
#include "rpcext_lz77.h"
#include "rpcext_test_util.h"

#include <stdio.h>
#include <string.h>

/* [MS-XCA] 3.1: "abcdefghijklmnopqrstuvwxyz" as 26 literals */
static const uint8_t xca_alpha[] = {
	0x3f, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74,
	0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
};
/* [MS-XCA] 3.1: "abc" x 100 = abc[match: distance 3, length 297] */
static const uint8_t xca_abc[] = {
	0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63, 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01,
};

static void make_abc300(uint8_t *buf)
{
	size_t i;

	for (i = 0; i < 300; i++) {
		buf[i] = (uint8_t)"abc"[i % 3];
	}
}

static void test_xca_examples_decompress(void **state)
{
	uint8_t out[300], want[300];

	assert_int_equal(rpcext_lz77_decompress(xca_alpha, sizeof(xca_alpha), out, 26),
			 RPCEXT_OK);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxyz", 26);

	make_abc300(want);
	assert_int_equal(rpcext_lz77_decompress(xca_abc, sizeof(xca_abc), out, 300),
			 RPCEXT_OK);
	assert_memory_equal(out, want, 300);
}

static void test_xca_examples_compress(void **state)
{
	uint8_t in[300], out[400];
	size_t n = 0;

	assert_int_equal(rpcext_lz77_compress(NULL, (const uint8_t *)"abcdefghijklmnopqrstuvwxyz",
					      26, out, sizeof(out), &n), RPCEXT_OK);
	assert_int_equal(n, sizeof(xca_alpha));
	assert_memory_equal(out, xca_alpha, n);

	make_abc300(in);
	assert_int_equal(rpcext_lz77_compress(NULL, in, 300, out, sizeof(out), &n), RPCEXT_OK);
	assert_int_equal(n, sizeof(xca_abc));
	assert_memory_equal(out, xca_abc, n);
}

/* ---- generated inputs ---- */

enum gen_kind { GEN_RANDOM, GEN_ZERO, GEN_TEXT, GEN_RUN };

struct rt_case {
	const char *name;
	enum gen_kind kind;
	size_t size;
	size_t run;	/* GEN_RUN: one match of exactly this length */
};

static const struct rt_case rt_cases[] = {
	{ "empty", GEN_RANDOM, 0, 0 },
	{ "one byte", GEN_RANDOM, 1, 0 },
	{ "two bytes", GEN_ZERO, 2, 0 },
	{ "31 random", GEN_RANDOM, 31, 0 },
	{ "32 random", GEN_RANDOM, 32, 0 },
	{ "33 random", GEN_RANDOM, 33, 0 },
	{ "random 1000", GEN_RANDOM, 1000, 0 },
	{ "random 65535", GEN_RANDOM, 65535, 0 },
	{ "random 65536", GEN_RANDOM, 65536, 0 },
	{ "random 65537", GEN_RANDOM, 65537, 0 },
	{ "zeros 8192", GEN_ZERO, 8192, 0 },
	{ "zeros 65536", GEN_ZERO, 65536, 0 },
	{ "zeros 300000 (uint32 escape)", GEN_ZERO, 300000, 0 },
	{ "text 70000", GEN_TEXT, 70000, 0 },
	{ "text 1 MiB", GEN_TEXT, 1 << 20, 0 },
	{ "match 3", GEN_RUN, 0, 3 },
	{ "match 9 (3-bit max)", GEN_RUN, 0, 9 },
	{ "match 10 (nibble)", GEN_RUN, 0, 10 },
	{ "match 24 (nibble max)", GEN_RUN, 0, 24 },
	{ "match 25 (byte)", GEN_RUN, 0, 25 },
	{ "match 279 (byte max)", GEN_RUN, 0, 279 },
	{ "match 280 (uint16)", GEN_RUN, 0, 280 },
	{ "match 65538 (uint16 max)", GEN_RUN, 0, 65538 },
	{ "match 65539 (uint32)", GEN_RUN, 0, 65539 },
	{ "match 200000 (uint32)", GEN_RUN, 0, 200000 },
};

static uint8_t *gen(TALLOC_CTX *ctx, const struct rt_case *c, size_t *size_r)
{
	static const char *words[] = { "PidTagSubject", "IPM.Note", "Inbox",
				       "\x1f\x00\x37\x00", "Calendar", " ", "\0\0" };
	uint32_t seed = 0x12345678u ^ (uint32_t)c->size ^ (uint32_t)c->run;
	size_t size = c->kind == GEN_RUN ? 16 + c->run + 16 : c->size;
	uint8_t *buf = talloc_array(ctx, uint8_t, size + 1);
	size_t i = 0;

	assert_non_null(buf);
	switch (c->kind) {
	case GEN_RANDOM:
		for (i = 0; i < size; i++) {
			buf[i] = (uint8_t)rt_rand(&seed);
		}
		break;
	case GEN_ZERO:
		memset(buf, 0, size);
		break;
	case GEN_TEXT:
		while (i < size) {
			const char *w = words[rt_rand(&seed) % 7];
			size_t n = strlen(w) > 0 ? strlen(w) : 2;

			for (size_t k = 0; k < n && i < size; k++) {
				buf[i++] = (uint8_t)w[k];
			}
			if (i < size && rt_rand(&seed) % 4 == 0) {
				buf[i++] = (uint8_t)rt_rand(&seed);
			}
		}
		break;
	case GEN_RUN:
		/* 16 distinct bytes, the run copies at distance 8, then 16 fresh */
		for (i = 0; i < 16; i++) {
			buf[i] = (uint8_t)(0x10 + i);
		}
		for (i = 16; i < 16 + c->run; i++) {
			buf[i] = buf[i - 8];
		}
		for (i = 16 + c->run; i < size; i++) {
			buf[i] = (uint8_t)(0xA0 + (i - 16 - c->run));
		}
		break;
	}
	*size_r = size;
	return buf;
}

static void test_round_trips(void **state)
{
	struct rpcext_lz77_ctx *lz = rpcext_lz77_ctx_new(*state);
	size_t i;

	assert_non_null(lz);
	for (i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		const struct rt_case *c = &rt_cases[i];
		size_t size = 0, csize = 0, bound;
		uint8_t *in = gen(*state, c, &size);
		uint8_t *comp, *out;

		bound = rpcext_lz77_compress_bound(size);
		comp = talloc_array(*state, uint8_t, bound);
		out = talloc_array(*state, uint8_t, size + 1);
		assert_non_null(comp);
		assert_non_null(out);
		assert_int_equal(rpcext_lz77_compress(lz, in, size, comp, bound, &csize),
				 RPCEXT_OK);
		assert_true(csize <= bound);
		assert_int_equal(rpcext_lz77_decompress(comp, csize, out, size), RPCEXT_OK);
		assert_memory_equal(out, in, size);
		/* one byte more or less than SizeActual is an error */
		assert_int_not_equal(rpcext_lz77_decompress(comp, csize, out, size + 1),
				     RPCEXT_OK);
		if (size > 0) {
			assert_int_not_equal(rpcext_lz77_decompress(comp, csize, out, size - 1),
					     RPCEXT_OK);
		}
		if (c->kind == GEN_RUN || c->kind == GEN_ZERO) {
			/* a single long match must compress to a handful of bytes */
			assert_true(csize < 64 + size / 1000);
		}
		talloc_free(in);
		talloc_free(comp);
		talloc_free(out);
	}
	talloc_free(lz);
}

static void test_not_smaller(void **state)
{
	size_t size = 0, n = 0;
	struct rt_case c = { "random", GEN_RANDOM, 4096, 0 };
	uint8_t *in = gen(*state, &c, &size);
	uint8_t *out = talloc_array(*state, uint8_t, size);

	assert_non_null(out);
	/* the caller's way to ask "only if smaller" ([MS-OXCRPC] 3.1.4.2.1.1) */
	assert_int_equal(rpcext_lz77_compress(NULL, in, size, out, size - 1, &n),
			 RPCEXT_ERR_NO_SPACE);
	assert_int_equal(rpcext_lz77_compress(NULL, in, 10, out, 3, &n), RPCEXT_ERR_NO_SPACE);
	talloc_free(in);
	talloc_free(out);
}

struct bad_stream {
	const char *name;
	uint8_t bytes[16];
	size_t len;
	size_t out_size;
	enum rpcext_error want;
};

static const struct bad_stream bad_streams[] = {
	{ "partial flag word", { 0xff, 0xff, 0xff }, 3, 1, RPCEXT_ERR_DECOMPRESSION },
	{ "match before output start", { 0, 0, 0, 0x80, 0x00, 0x00 }, 6, 3,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "distance 2 after 1 byte", { 0, 0, 0, 0x40, 0x61, 0x08, 0x00 }, 7, 4,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "half match word", { 0, 0, 0, 0x40, 0x61, 0x07 }, 6, 20,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "missing nibble", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00 }, 7, 20,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "missing length byte", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00, 0x0f }, 8, 40,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "missing uint16", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00, 0x0f, 0xff, 0x30 }, 10, 40,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "uint16 escape below 22", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00, 0x0f, 0xff, 0x05, 0x00 },
	  11, 40, RPCEXT_ERR_DECOMPRESSION },
	{ "missing uint32", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00, 0x0f, 0xff, 0x00, 0x00, 0x01 },
	  12, 40, RPCEXT_ERR_DECOMPRESSION },
	{ "uint32 escape below 22", { 0, 0, 0, 0x40, 0x61, 0x07, 0x00, 0x0f, 0xff, 0, 0, 3, 0, 0, 0 },
	  15, 40, RPCEXT_ERR_DECOMPRESSION },
	{ "match runs past SizeActual", { 0, 0, 0, 0x40, 0x61, 0x06, 0x00 }, 7, 5,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "literal past SizeActual", { 0xff, 0xff, 0xff, 0x3f, 0x61, 0x62 }, 6, 1,
	  RPCEXT_ERR_DECOMPRESSION },
	{ "stream ends early", { 0xff, 0xff, 0xff, 0x3f, 0x61, 0x62 }, 6, 3,
	  RPCEXT_ERR_SIZE_MISMATCH },
	{ "empty stream, 1 byte expected", { 0 }, 0, 1, RPCEXT_ERR_SIZE_MISMATCH },
};

static void test_malformed(void **state)
{
	uint8_t out[64];
	size_t i;

	for (i = 0; i < sizeof(bad_streams) / sizeof(bad_streams[0]); i++) {
		const struct bad_stream *b = &bad_streams[i];
		enum rpcext_error err = rpcext_lz77_decompress(b->bytes, b->len, out,
							       b->out_size);

		if (err != b->want) {
			fail_msg("%s: got %s, want %s", b->name, rpcext_error_name(err),
				 rpcext_error_name(b->want));
		}
	}
	/* every truncation of a valid stream fails cleanly */
	for (i = 0; i < sizeof(xca_abc); i++) {
		uint8_t *copy = talloc_memdup(*state, xca_abc, i > 0 ? i : 1);
		uint8_t big[300];

		assert_int_not_equal(rpcext_lz77_decompress(copy, i, big, 300), RPCEXT_OK);
		talloc_free(copy);
	}
	assert_int_equal(rpcext_lz77_decompress(NULL, 0, NULL, 0), RPCEXT_OK);
	assert_int_equal(rpcext_lz77_decompress(NULL, 4, out, 1), RPCEXT_ERR_INVALID_PARAM);
}

/* ---- Samba cross-check ---- */

static void test_samba_cross_check(void **state)
{
	struct rt_samba_lzx samba;
	size_t i;

	if (!rt_samba_lzx_load(RPCEXT_SAMBA_NDR_LIB, &samba)) {
		skip();
	}
	for (i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		const struct rt_case *c = &rt_cases[i];
		size_t size = 0, csize = 0, bound;
		uint8_t *in = gen(*state, c, &size);
		uint8_t *comp, *out;
		ssize_t n;

		bound = rpcext_lz77_compress_bound(size) + 64;
		comp = talloc_array(*state, uint8_t, bound);
		out = talloc_array(*state, uint8_t, size + 1);
		assert_non_null(comp);
		assert_non_null(out);

		/* ours -> Samba */
		assert_int_equal(rpcext_lz77_compress(NULL, in, size, comp, bound, &csize),
				 RPCEXT_OK);
		n = samba.decompress(comp, (uint32_t)csize, out, (uint32_t)size);
		if (n != (ssize_t)size || memcmp(out, in, size) != 0) {
			fail_msg("%s: Samba decompressed our stream to %zd bytes", c->name, n);
		}
		/* Samba -> ours (its 4.17 compressor searches exhaustively and
		 * runs at ~0.1 MB/s on random data: keep those inputs small) */
		if (c->kind == GEN_RANDOM && size > 4096) {
			goto next;
		}
		n = samba.compress(in, (uint32_t)size, comp, (uint32_t)bound);
		if (n < 0) {
			fail_msg("%s: Samba compress failed (%zd)", c->name, n);
		}
		assert_int_equal(rpcext_lz77_decompress(comp, (size_t)n, out, size), RPCEXT_OK);
		assert_memory_equal(out, in, size);
next:
		talloc_free(in);
		talloc_free(comp);
		talloc_free(out);
	}
	rt_samba_lzx_unload(&samba);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xca_examples_decompress, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_xca_examples_compress, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_round_trips, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_not_smaller, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_samba_cross_check, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

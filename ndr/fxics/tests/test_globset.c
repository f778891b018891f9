/*
 * GLOBSET ([MS-OXCFXICS] 2.2.2.6, 3.1.5.4.3): the Bitmask example of
 * 3.1.5.4.3.1.3, every command, hostile command streams, random range sets
 * (encode -> decode identity) and the set operations against a bitmap.
 */
#include "fxics_test_util.h"

static struct GLOBSET *decode(TALLOC_CTX *mem, const uint8_t *b, size_t n, enum rop_err expect,
			      size_t expect_used)
{
	struct oxcdata_pull pull;
	struct GLOBSET *g = NULL;

	oxcdata_pull_init(&pull, mem, b, n);
	assert_int_equal(globset_pull(&pull, mem, &g), expect);
	if (expect == ROP_OK) {
		assert_int_equal(pull.offset, expect_used);
	}
	return g;
}

static uint8_t *encode(TALLOC_CTX *mem, const struct GLOBSET *g, size_t *len_r)
{
	struct oxcdata_push push;

	oxcdata_push_init(&push, mem);
	assert_int_equal(globset_push(&push, g), ROP_OK);
	*len_r = push.size;
	return push.data;
}

static void test_spec_bitmask(void **state)
{
	/* 3.1.5.4.3.1.3: {0x01-0x03, 0x05-0x05, 0x07-0x09} -> StartingValue 0x01, Bitmask 0xEB */
	static const uint8_t wire[] = { 0x05, 0, 0, 0, 0, 0, 0x42, 0x01, 0xEB, 0x50, 0x00 };
	struct GLOBSET *g = globset_new(*state);
	struct GLOBSET *d;
	uint8_t *b;
	size_t len;

	assert_int_equal(globset_add_range(g, 1, 3), ROP_OK);
	assert_int_equal(globset_add_range(g, 5, 5), ROP_OK);
	assert_int_equal(globset_add_range(g, 7, 9), ROP_OK);
	b = encode(*state, g, &len);
	assert_int_equal(len, sizeof(wire));
	assert_memory_equal(b, wire, len);
	d = decode(*state, wire, sizeof(wire), ROP_OK, sizeof(wire));
	assert_true(globset_equal(g, d));
	assert_int_equal(d->RangeCount, 3);
	assert_int_equal(d->Ranges[1].Low, 5);
	assert_int_equal(d->Ranges[2].High, 9);
	talloc_free_children(*state);
}

static void test_commands(void **state)
{
	/* Push 2, Push 3, Range (1 byte each), Pop, Push 4 -> singleton, Pop, End */
	static const uint8_t w1[] = { 0x02, 0x00, 0x01, 0x03, 0x02, 0x03, 0x04, 0x52, 0x10, 0x20,
				      0x50, 0x04, 0x09, 0x09, 0x09, 0x09, 0x50, 0x00, 0xEE };
	/* Range at depth 0 (6 + 6 bytes) */
	static const uint8_t w2[] = { 0x52, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0x00 };
	/* Push 6 = singleton, End without Pop (stack already empty) */
	static const uint8_t w3[] = { 0x06, 1, 2, 3, 4, 5, 6, 0x00 };
	struct GLOBSET *g;

	g = decode(*state, w1, sizeof(w1), ROP_OK, sizeof(w1) - 1);
	assert_int_equal(g->RangeCount, 2);
	assert_int_equal(g->Ranges[0].Low, 0x000102030410ULL);
	assert_int_equal(g->Ranges[0].High, 0x000102030420ULL);
	assert_int_equal(g->Ranges[1].Low, 0x000109090909ULL);
	assert_int_equal(g->Ranges[1].High, 0x000109090909ULL);
	g = decode(*state, w2, sizeof(w2), ROP_OK, sizeof(w2));
	assert_int_equal(g->RangeCount, 1);
	assert_int_equal(g->Ranges[0].Low, 1);
	assert_int_equal(g->Ranges[0].High, 0x100);
	g = decode(*state, w3, sizeof(w3), ROP_OK, sizeof(w3));
	assert_int_equal(g->Ranges[0].Low, 0x010203040506ULL);
	talloc_free_children(*state);
}

static void test_hostile(void **state)
{
	static const struct {
		uint8_t b[16];
		size_t n;
		enum rop_err err;
	} cases[] = {
		{ { 0x07 }, 1, ROP_ERR_FORMAT },                                /* no such command */
		{ { 0x04, 1, 2, 3, 4, 0x03, 1, 2, 3 }, 9, ROP_ERR_FORMAT },     /* 7 stack bytes */
		{ { 0x50 }, 1, ROP_ERR_FORMAT },                                /* Pop on empty stack */
		{ { 0x04, 1, 2, 3, 4, 0x42, 1, 1, 0 }, 9, ROP_ERR_FORMAT },     /* Bitmask needs 5 */
		{ { 0x05, 0, 0, 0, 0, 0, 0x42, 0xFA, 0x80, 0 }, 10, ROP_ERR_FORMAT }, /* past 0xFF */
		{ { 0x05, 0, 0, 0, 0, 0, 0x52, 9, 8, 0 }, 10, ROP_ERR_FORMAT }, /* Low > High */
		{ { 0x05, 0, 0, 0, 0, 0, 0x52, 9 }, 8, ROP_ERR_TRUNCATED },
		{ { 0x01, 5 }, 2, ROP_ERR_TRUNCATED },                          /* no End */
		{ { 0x03, 1, 2 }, 3, ROP_ERR_TRUNCATED },
		{ { 0 }, 0, ROP_ERR_TRUNCATED },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oxcdata_pull pull;
		struct GLOBSET *g = NULL;

		oxcdata_pull_init(&pull, *state, cases[i].b, cases[i].n);
		if (globset_pull(&pull, *state, &g) != cases[i].err) {
			fail_msg("case %zu: expected %s", i, rop_err_str(cases[i].err));
		}
		assert_null(g);
	}
	/* random streams: any outcome but no crash, and never a leak */
	{
		unsigned seed = 7;
		uint8_t buf[64];

		for (i = 0; i < 20000; i++) {
			struct oxcdata_pull pull;
			struct GLOBSET *g = NULL;
			size_t k, n;

			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % sizeof(buf);
			for (k = 0; k < n; k++) {
				static const uint8_t cmds[] = { 0, 1, 2, 3, 4, 5, 6, 0x42, 0x50, 0x52 };

				seed = seed * 1103515245u + 12345u;
				buf[k] = (seed >> 20) & 1 ? cmds[(seed >> 8) % sizeof(cmds)]
							  : (uint8_t)(seed >> 12);
			}
			oxcdata_pull_init(&pull, *state, buf, n);
			if (globset_pull(&pull, *state, &g) == ROP_OK) {
				talloc_free(g);
			}
		}
	}
	talloc_free_children(*state);
}

static void random_set(struct GLOBSET *g, unsigned *seed, unsigned shape)
{
	uint64_t v = 0;
	unsigned n, i;

	*seed = *seed * 1103515245u + 12345u;
	n = 1 + (*seed >> 16) % 60;
	/* shape 0: dense low values, 1: clustered, 2: spread over 48 bits */
	v = shape == 2 ? ((uint64_t)*seed << 8) & 0xFFFFFFFF : shape == 1 ? 0x123456780000ULL : 0;
	for (i = 0; i < n; i++) {
		uint64_t gap, len;

		*seed = *seed * 1103515245u + 12345u;
		gap = shape == 2 ? ((uint64_t)*seed << 13) : (*seed >> 16) % (shape ? 700 : 12);
		*seed = *seed * 1103515245u + 12345u;
		len = (*seed >> 16) % 3 == 0 ? 0 : (*seed >> 18) % (shape == 2 ? 100000 : 9);
		v += gap;
		if (v + len > GLOBCNT_MAX) {
			break;
		}
		assert_int_equal(globset_add_range(g, v, v + len), ROP_OK);
		v += len + 1;
	}
}

static void test_random_roundtrip(void **state)
{
	unsigned seed = 99, round;

	for (round = 0; round < 3000; round++) {
		struct GLOBSET *g = globset_new(*state);
		struct GLOBSET *d;
		size_t len;
		uint8_t *b;

		random_set(g, &seed, round % 3);
		b = encode(*state, g, &len);
		d = decode(*state, b, len, ROP_OK, len);
		if (!globset_equal(g, d)) {
			fail_msg("round %u: decode(encode(set)) differs", round);
		}
		talloc_free(b);
		talloc_free(d);
		talloc_free(g);
	}
}

static void test_set_ops(void **state)
{
	unsigned seed = 5, round;

	for (round = 0; round < 500; round++) {
		struct GLOBSET *a = globset_new(*state), *b = globset_new(*state);
		struct GLOBSET *u = globset_new(*state), *d = globset_new(*state);
		bool ba[256] = { false }, bb[256] = { false };
		unsigned v, k;

		for (k = 0; k < 20; k++) {
			unsigned lo, hi;

			seed = seed * 1103515245u + 12345u;
			lo = (seed >> 16) % 256;
			hi = lo + (seed >> 24) % 6;
			hi = hi > 255 ? 255 : hi;
			if (k % 2 == 0) {
				assert_int_equal(globset_add_range(a, lo, hi), ROP_OK);
			} else {
				assert_int_equal(globset_add_range(b, lo, hi), ROP_OK);
			}
			for (v = lo; v <= hi; v++) {
				(k % 2 == 0 ? ba : bb)[v] = true;
			}
		}
		assert_int_equal(globset_union(u, a), ROP_OK);
		assert_int_equal(globset_union(u, b), ROP_OK);
		assert_int_equal(globset_union(d, a), ROP_OK);
		assert_int_equal(globset_difference(d, b), ROP_OK);
		for (v = 0; v < 256; v++) {
			assert_int_equal(globset_contains(a, v), ba[v]);
			assert_int_equal(globset_contains(u, v), ba[v] || bb[v]);
			assert_int_equal(globset_contains(d, v), ba[v] && !bb[v]);
		}
		/* normalized: sorted, disjoint, never adjacent */
		for (k = 1; k < u->RangeCount; k++) {
			assert_true(u->Ranges[k - 1].High + 1 < u->Ranges[k].Low);
		}
		talloc_free_children(*state);
	}
	{
		struct GLOBSET *g = globset_new(*state);

		assert_int_equal(globset_add_range(g, 5, 4), ROP_ERR_INVALID);
		assert_int_equal(globset_add_range(g, 0, GLOBCNT_MAX + 1), ROP_ERR_INVALID);
		assert_int_equal(globset_add_range(g, 1, 1), ROP_OK);
		assert_int_equal(globset_add_range(g, 3, 3), ROP_OK);
		assert_int_equal(globset_add_range(g, 2, 2), ROP_OK);  /* merges all three */
		assert_int_equal(g->RangeCount, 1);
		assert_int_equal(globset_cardinality(g), 3);
		talloc_free(g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spec_bitmask, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_commands, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hostile, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_random_roundtrip, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_set_ops, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

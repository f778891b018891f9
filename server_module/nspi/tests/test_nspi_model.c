/*
 * Unit tests of the NSPI model: code pages, collation, entry IDs
 * ([MS-OXNSPI] 2.3.8), MIds and STAT positioning ([MS-OXNSPI] 3.1.4.5).
 */
#include "oc_test.h"
#include "nspi_model.h"

#include <stdio.h>
#include <string.h>

/* ---- code pages ------------------------------------------------------ */

static const struct {
	uint32_t cp;
	const char *utf8;
	const char *bytes;
} cp_cases[] = {
	{ NSPI_CP_1252, "Plain ASCII", "Plain ASCII" },
	{ NSPI_CP_1252, "M\xc3\xbcller", "M\xfcller" },
	{ NSPI_CP_1252, "\xe2\x82\xac 5", "\x80 5" },		/* euro */
	{ NSPI_CP_1252, "\xc5\xa0koda", "\x8akoda" },		/* S caron */
	{ NSPI_CP_1252, "\xe4\xb8\xad", "?" },			/* CJK */
	{ NSPI_CP_TELETEX, "M\xc3\xbcller", "M\xc8uller" },
	{ NSPI_CP_TELETEX, "\xc3\xa9t\xc3\xa9", "\xc2" "et\xc2" "e" },
	{ NSPI_CP_TELETEX, "\xc3\x9f", "\xfb" },		/* sharp s */
	{ NSPI_CP_TELETEX, "\xc5\x81\xc3\xb3" "d\xc5\xba",
	  "\xe8\xc2od\xc2z" },					/* Lodz */
	{ NSPI_CP_TELETEX, "\xe2\x82\xac", "?" },
	{ NSPI_CP_ASCII, "caf\xc3\xa9", "caf?" },
};

static void test_codepage_from_utf8(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(cp_cases); i++) {
		char *out = nspi_codepage_from_utf8(*state, cp_cases[i].cp,
						    cp_cases[i].utf8);

		assert_non_null(out);
		assert_string_equal(out, cp_cases[i].bytes);
		talloc_free(out);
	}
	assert_null(nspi_codepage_from_utf8(*state, 437, "x"));
	assert_null(nspi_codepage_from_utf8(*state, NSPI_CP_WINUNICODE, "x"));
}

static void test_codepage_to_utf8(void **state)
{
	size_t i;

	/* every representable case round-trips */
	for (i = 0; i < ARRAY_LEN(cp_cases); i++) {
		char *out;

		if (strchr(cp_cases[i].bytes, '?') != NULL) {
			continue;
		}
		out = nspi_codepage_to_utf8(*state, cp_cases[i].cp,
					    cp_cases[i].bytes);
		assert_non_null(out);
		assert_string_equal(out, cp_cases[i].utf8);
		talloc_free(out);
	}
	/* a T.61 diacritic before a letter it does not compose with, and
	 * one at the end of the string */
	{
		char *out = nspi_codepage_to_utf8(*state, NSPI_CP_TELETEX,
						  "\xc2q\xc8");

		assert_string_equal(out, "q\xcc\x81\xef\xbf\xbd");
		talloc_free(out);
		out = nspi_codepage_to_utf8(*state, NSPI_CP_1252, "\x81");
		assert_string_equal(out, "\xef\xbf\xbd");
		talloc_free(out);
	}
}

static void test_utf8_decode_invalid(void **state)
{
	static const char *bad[] = {
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xff", "\xc3",
	};
	size_t i;
	uint32_t cp;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		size_t n = nspi_utf8_decode(bad[i], bad[i] + strlen(bad[i]), &cp);

		assert_int_equal(n, 1);
		assert_int_equal(cp, 0xFFFD);
	}
	{
		const char *smile = "\xf0\x9f\x98\x80";

		assert_int_equal(nspi_utf8_decode(smile, smile + 4, &cp), 4);
	}
	assert_int_equal(cp, 0x1F600);
}

/* ---- collation ------------------------------------------------------- */

static const struct {
	uint32_t lcid;
	const char *a;
	const char *b;
	int want;
} coll_cases[] = {
	{ 0x0409, "alpha", "Beta", -1 },
	{ 0x0409, "beta", "Alpha", 1 },
	{ 0x0409, "abc", "ABC", -1 },			/* lower case first */
	{ 0x0409, "cote", "c\xc3\xb4te", -1 },		/* accent second */
	{ 0x0409, "c\xc3\xb4te", "cotf", -1 },		/* ...not first */
	{ 0x0409, "\xc3\x84rger", "Zebra", -1 },	/* A-umlaut as A */
	{ 0x041D, "\xc3\x84rger", "Zebra", 1 },		/* Swedish: after z */
	{ 0x040B, "\xc3\x96sterberg", "Zorro", 1 },	/* Finnish */
	{ 0x041D, "\xc3\x85sa", "\xc3\x84ngel", -1 },	/* sv: a-ring < a-uml */
	{ 0x0406, "\xc3\x85se", "\xc3\x98rsted", 1 },	/* da: o-stroke < a-ring */
	{ 0x0C0A, "nube", "\xc3\xb1u", -1 },		/* es: n < n-tilde */
	{ 0x0C0A, "\xc3\xb1u", "oso", -1 },		/* es: n-tilde < o */
	{ 0x0409, "co-op", "coop", -1 },		/* hyphen ignored, then bytes */
	{ 0x0409, "Ann", "Anna", -1 },
	{ 0x0409, "same", "same", 0 },
	{ 0x0409, "user10", "user9", -1 },		/* digit by digit */
};

static void test_collate(void **state)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(coll_cases); i++) {
		int r = nspi_collate(coll_cases[i].lcid, coll_cases[i].a,
				     coll_cases[i].b);
		int back = nspi_collate(coll_cases[i].lcid, coll_cases[i].b,
					coll_cases[i].a);

		if (r != coll_cases[i].want) {
			fail_msg("case %zu: collate(%s, %s) = %d, want %d", i,
				 coll_cases[i].a, coll_cases[i].b, r,
				 coll_cases[i].want);
		}
		assert_int_equal(back, -coll_cases[i].want);
	}
}

static void test_collate_prefix(void **state)
{
	assert_true(nspi_collate_prefix(0x409, "\xc3\x89lodie Dupont", "elo"));
	assert_true(nspi_collate_prefix(0x409, "Bob", ""));
	assert_true(nspi_collate_prefix(0x409, "BOBBY", "bob"));
	assert_false(nspi_collate_prefix(0x409, "Bob", "bobby"));
	assert_false(nspi_collate_prefix(0x409, "Alice", "bob"));
	assert_true(nspi_locale_valid(0x409));
	assert_false(nspi_locale_valid(0));
	assert_false(nspi_locale_valid(0x7FFFFFFF));
}

/* sort keys: key order == nspi_collate order, for every pair of a pool
 * (the collation cases, plus empty, invalid UTF-8, ignorables, prefixes,
 * non-Latin) under every locale with its own rules */
static const char *const key_pool[] = {
	"", "-", "'", " ", "a", "A", "a-", "-a", "aa", "Ann", "Anna", "ann",
	"co-op", "coop", "Co-op", "cote", "c\xc3\xb4te", "cotf", "C\xc3\xb4te",
	"\xc3\x84rger", "Arger", "Zebra", "zebra", "\xc3\x96sterberg", "Zorro",
	"\xc3\x85sa", "\xc3\x84ngel", "\xc3\x85se", "\xc3\x98rsted", "nube",
	"\xc3\xb1u", "\xc3\x91u", "oso", "user10", "user9", "User 9",
	"Stra\xc3\x9f" "e", "Strasse", "\xc3\xa6on", "aeon", "\xce\xb1\xce\xb2",
	"\xe4\xb8\xad", "\xf0\x9f\x98\x80", "x\xffy", "x\xc3", "x\xe2\x82",
	"Bench User 00001", "Bench User 00010", "bench user 00001", "!", "a!b",
};

static void test_collate_key(void **state)
{
	static const uint32_t lcids[] = { 0x0409, 0x041D, 0x0406, 0x0C0A,
					  0x040B, 0x0414 };
	TALLOC_CTX *mem_ctx = *state;
	size_t l, i, j, n = ARRAY_LEN(key_pool);

	for (l = 0; l < ARRAY_LEN(lcids); l++) {
		uint8_t *keys[ARRAY_LEN(key_pool)];
		size_t lens[ARRAY_LEN(key_pool)];

		for (i = 0; i < n; i++) {
			keys[i] = nspi_collate_key(mem_ctx, lcids[l],
						   key_pool[i], &lens[i]);
			assert_non_null(keys[i]);
		}
		for (i = 0; i < n; i++) {
			for (j = 0; j < n; j++) {
				int want = nspi_collate(lcids[l], key_pool[i],
							key_pool[j]);
				int got = nspi_collate_key_cmp(keys[i], lens[i],
							       keys[j], lens[j]);

				if (want != got) {
					fail_msg("lcid 0x%x: \"%s\" vs \"%s\": "
						 "key %d, collate %d", lcids[l],
						 key_pool[i], key_pool[j], got,
						 want);
				}
			}
		}
		for (i = 0; i < n; i++) {
			talloc_free(keys[i]);
		}
	}
	/* a known key: "Ab" = primaries a, b; separator; secondaries;
	 * tertiaries (upper, lower); the bytes */
	{
		static const uint8_t want[] = {
			0x00, 0x10, 0x00, 0x00, 0x10, 0x10, 0, 0, 0,
			1, 1, 0, 2, 1, 0, 'A', 'b',
		};
		size_t len;
		uint8_t *k = nspi_collate_key(mem_ctx, 0x409, "Ab", &len);

		assert_non_null(k);
		assert_int_equal(len, sizeof(want));
		assert_memory_equal(k, want, sizeof(want));
		talloc_free(k);
	}
}

/* ---- entry IDs: [MS-OXNSPI] 2.3.8.2 / 2.3.8.3 byte layout ------------ */

static void test_entryid_permanent(void **state)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x00,
		0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
		0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
		0x01, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00,		/* DT_DISTLIST */
		'/', 'o', '=', 'O', '/', 'c', 'n', '=', 'x', 0x00,
	};
	struct nspi_entryid e;
	size_t len = 0;
	uint8_t *p = nspi_entryid_permanent(*state, NSPI_DT_DISTLIST,
					    "/o=O/cn=x", &len);

	assert_non_null(p);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(p, want, sizeof(want));
	assert_true(nspi_entryid_parse(*state, p, len, &e));
	assert_false(e.ephemeral);
	assert_int_equal(e.display_type, NSPI_DT_DISTLIST);
	assert_string_equal(e.dn, "/o=O/cn=x");
	talloc_free((char *)(uintptr_t)e.dn);
	/* no NUL inside the blob: rejected */
	assert_false(nspi_entryid_parse(*state, p, len - 1, &e));
	/* R4 must be 1 */
	p[20] = 2;
	assert_false(nspi_entryid_parse(*state, p, len, &e));
	talloc_free(p);
}

static void test_entryid_ephemeral(void **state)
{
	static const uint8_t guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
					  12, 13, 14, 15, 16 };
	struct nspi_entryid e;
	uint8_t *p = nspi_entryid_ephemeral(*state, guid, NSPI_DT_MAILUSER,
					    0x12345678);

	assert_non_null(p);
	assert_int_equal(p[0], 0x87);
	assert_memory_equal(p + 4, guid, 16);
	assert_int_equal(p[28], 0x78);
	assert_int_equal(p[31], 0x12);
	assert_true(nspi_entryid_parse(*state, p, 32, &e));
	assert_true(e.ephemeral);
	assert_int_equal(e.mid, 0x12345678);
	assert_memory_equal(e.provider_uid, guid, 16);
	assert_false(nspi_entryid_parse(*state, p, 31, &e));
	assert_false(nspi_entryid_parse(*state, p, 33, &e));
	assert_false(nspi_entryid_parse(*state, NULL, 0, &e));
	talloc_free(p);
}

/* ---- MIds ------------------------------------------------------------ */

static void make_guid(uint8_t g[16], uint32_t i)
{
	memset(g, 0xA5, 16);
	memcpy(g, &i, sizeof(i));
}

static void test_mids(void **state)
{
	struct nspi_mids *m = nspi_mids_new(*state);
	uint8_t g[16];
	uint32_t i;

	assert_non_null(m);
	make_guid(g, 7);
	assert_int_equal(nspi_mids_find(m, g), 0);
	assert_int_equal(nspi_mids_get(m, g), NSPI_MID_FIRST);
	assert_int_equal(nspi_mids_get(m, g), NSPI_MID_FIRST);
	for (i = 0; i < 20000; i++) {
		make_guid(g, 100 + i);
		assert_int_equal(nspi_mids_get(m, g), NSPI_MID_FIRST + 1 + i);
	}
	for (i = 0; i < 20000; i += 997) {
		make_guid(g, 100 + i);
		assert_int_equal(nspi_mids_find(m, g), NSPI_MID_FIRST + 1 + i);
		assert_memory_equal(nspi_mids_guid(m, NSPI_MID_FIRST + 1 + i),
				    g, 16);
	}
	assert_int_equal(nspi_mids_count(m), 20001);
	assert_null(nspi_mids_guid(m, NSPI_MID_END_OF_TABLE));
	assert_null(nspi_mids_guid(m, NSPI_MID_FIRST + 20001));
	talloc_free(m);
}

/* ---- STAT positioning: [MS-OXNSPI] 3.1.4.5 -------------------------- */

static struct nspi_row five_rows[] = {
	{ 0x10, "Eve", 0 }, { 0x11, "alice", 0 }, { 0x12, "Dave", 0 },
	{ 0x13, "bob", 0 }, { 0x14, "Carol", 0 },
};

static const struct {
	uint32_t CurrentRec;
	int32_t Delta;
	uint32_t NumPos;
	uint32_t TotalRecs;
	uint32_t want_err;
	uint32_t want_pos;
} pos_cases[] = {
	{ NSPI_MID_BEGINNING_OF_TABLE, 0, 0, 0, NSPI_Success, 0 },
	{ NSPI_MID_BEGINNING_OF_TABLE, 3, 0, 0, NSPI_Success, 3 },
	{ NSPI_MID_BEGINNING_OF_TABLE, 10, 0, 0, NSPI_Success, 5 },
	{ NSPI_MID_BEGINNING_OF_TABLE, -5, 0, 0, NSPI_Success, 0 },
	{ NSPI_MID_END_OF_TABLE, 0, 0, 0, NSPI_Success, 5 },
	{ NSPI_MID_END_OF_TABLE, -2, 0, 0, NSPI_Success, 3 },
	{ 0x12, 0, 0, 0, NSPI_Success, 3 },	/* Dave is 4th after sort */
	{ 0x12, 1, 0, 0, NSPI_Success, 4 },
	{ 0x12, -100, 0, 0, NSPI_Success, 0 },
	{ 0x99, 0, 0, 0, NSPI_NotFound, 0 },
	{ NSPI_MID_CURRENT, 0, 50, 100, NSPI_Success, 2 },
	{ NSPI_MID_CURRENT, 0, 100, 100, NSPI_Success, 5 },
	{ NSPI_MID_CURRENT, 0, 7, 0, NSPI_Success, 0 },
	{ NSPI_MID_CURRENT, 0, 900, 100, NSPI_Success, 5 },
	{ NSPI_MID_CURRENT, 1, 1, 5, NSPI_Success, 2 },
};

static void test_table_position(void **state)
{
	struct nspi_row rows[5];
	struct nspi_table t = { 0, 0, 5, rows };
	size_t i;

	memcpy(rows, five_rows, sizeof(rows));
	nspi_table_sort(&t, 0x409);
	assert_string_equal(rows[0].display_name, "alice");
	assert_string_equal(rows[1].display_name, "bob");
	assert_string_equal(rows[4].display_name, "Eve");

	for (i = 0; i < ARRAY_LEN(pos_cases); i++) {
		struct nspi_stat st = { 0 };
		uint32_t pos = 0xFFFF, err;

		st.CurrentRec = pos_cases[i].CurrentRec;
		st.Delta = pos_cases[i].Delta;
		st.NumPos = pos_cases[i].NumPos;
		st.TotalRecs = pos_cases[i].TotalRecs;
		err = nspi_table_position(&t, &st, &pos);
		if (err != pos_cases[i].want_err ||
		    (err == NSPI_Success && pos != pos_cases[i].want_pos)) {
			fail_msg("case %zu: err 0x%x pos %u", i, err, pos);
		}
	}
}

/* the MId index: same positions as the scan, kept across re-sorts */
static void test_table_index(void **state)
{
	TALLOC_CTX *mem_ctx = *state;
	struct nspi_row rows[5];
	struct nspi_table t = { 0, 0, 5, rows };
	struct nspi_table plain = { 0, 0, 5, NULL };
	struct nspi_row bad[2] = { { 0x10, "x", 0 }, { 0x01, "y", 0 } };
	struct nspi_table t_bad = { 0, 0, 2, bad };
	size_t i;
	uint32_t mid;

	memcpy(rows, five_rows, sizeof(rows));
	assert_true(nspi_table_index(mem_ctx, &t));
	assert_non_null(t.by_mid);
	assert_int_equal(t.n_by_mid, 5);	/* MIds 0x10..0x14 */
	nspi_table_sort(&t, 0x409);
	assert_string_equal(rows[0].display_name, "alice");
	plain.rows = rows;
	for (mid = 0; mid < 0x30; mid++) {
		assert_int_equal(nspi_table_find(&t, mid),
				 nspi_table_find(&plain, mid));
	}
	assert_int_equal(nspi_table_find(&t, 0x12), 3);	/* Dave */
	assert_int_equal(nspi_table_find(&t, 0x99), -1);
	assert_int_equal(nspi_table_find(&t, NSPI_MID_END_OF_TABLE), -1);
	for (i = 0; i < ARRAY_LEN(pos_cases); i++) {
		struct nspi_stat st = { 0 };
		uint32_t pos = 0xFFFF, err;

		st.CurrentRec = pos_cases[i].CurrentRec;
		st.Delta = pos_cases[i].Delta;
		st.NumPos = pos_cases[i].NumPos;
		st.TotalRecs = pos_cases[i].TotalRecs;
		err = nspi_table_position(&t, &st, &pos);
		if (err != pos_cases[i].want_err ||
		    (err == NSPI_Success && pos != pos_cases[i].want_pos)) {
			fail_msg("case %zu: err 0x%x pos %u", i, err, pos);
		}
	}
	/* a re-sort (another locale) moves rows: the index follows */
	rows[0].display_name = "\xc3\x84rger";	/* alice -> after z in sv */
	nspi_table_sort(&t, 0x041D);
	assert_string_equal(rows[4].display_name, "\xc3\x84rger");
	for (mid = 0x10; mid <= 0x14; mid++) {
		int64_t p = nspi_table_find(&t, mid);

		assert_true(p >= 0);
		assert_int_equal(rows[p].mid, mid);
		assert_int_equal(p, nspi_table_find(&plain, mid));
	}
	/* a row that is not a session MId: no index, scans still work */
	assert_false(nspi_table_index(mem_ctx, &t_bad));
	assert_null(t_bad.by_mid);
	assert_int_equal(nspi_table_find(&t_bad, 0x01), 1);
	talloc_free(t.by_mid);
}

static void test_table_set_stat_and_seek(void **state)
{
	struct nspi_row rows[5];
	struct nspi_table t = { 0, 0, 5, rows };
	struct nspi_stat st = { 0 };

	memcpy(rows, five_rows, sizeof(rows));
	nspi_table_sort(&t, 0x409);
	st.Delta = 7;
	nspi_table_set_stat(&t, 2, &st);
	assert_int_equal(st.CurrentRec, 0x14);	/* Carol */
	assert_int_equal(st.NumPos, 2);
	assert_int_equal(st.TotalRecs, 5);
	assert_int_equal(st.Delta, 0);
	nspi_table_set_stat(&t, 5, &st);
	assert_int_equal(st.CurrentRec, NSPI_MID_END_OF_TABLE);

	assert_int_equal(nspi_table_seek(&t, "c"), 2);
	assert_int_equal(nspi_table_seek(&t, "Bob"), 1);
	assert_int_equal(nspi_table_seek(&t, "A"), 0);
	assert_int_equal(nspi_table_seek(&t, "zz"), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_codepage_from_utf8, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_codepage_to_utf8, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_utf8_decode_invalid, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_collate, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_collate_prefix, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_collate_key, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_entryid_permanent, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_entryid_ephemeral, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_mids, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table_position, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table_index, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_table_set_stat_and_seek, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

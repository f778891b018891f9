/*
 * IDSET / CNSET ([MS-OXCFXICS] 2.2.2.4, 3.1.5.4) and PCL helpers: the IDs
 * of the example in section 4.4, REPLGUID form, conversion, set operations,
 * a 100,000-ID round trip, malformed input.
 */
#include "fxics_test_util.h"

/* an ID from its 8 wire bytes ([MS-OXCDATA] 2.2.1.2) */
static uint64_t id_from_wire(const uint8_t b[8])
{
	uint64_t v = 0;
	int k;

	for (k = 7; k >= 0; k--) {
		v = (v << 8) | b[k];
	}
	return v;
}

static void test_spec_example(void **state)
{
	/* section 4.4: MessageID1..4 and the REPLID/GLOBCNT they split into */
	static const uint8_t ids[4][8] = {
		{ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05 },
		{ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06 },
		{ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10 },
		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09 },
	};
	/* our encoding (one of the valid ones, 4.4): REPLID 1: Push 5 bytes,
	 * Range 05-06, Push 1 = singleton 0x10, Pop, End; REPLID 2: Push 6, End */
	static const uint8_t wire[] = {
		0x01, 0x00, 0x05, 0, 0, 0, 0, 0, 0x52, 0x05, 0x06, 0x01, 0x10, 0x50, 0x00,
		0x02, 0x00, 0x06, 0, 0, 0, 0, 0, 0x09, 0x00 };
	struct IDSET *set = idset_new(*state, false), *d = NULL;
	uint8_t *out = NULL;
	size_t len = 0, i;

	for (i = 0; i < 4; i++) {
		uint64_t id = id_from_wire(ids[i]);

		assert_int_equal(fxics_id_replid(id), ids[i][0]);
		assert_int_equal(fxics_id_globcnt(id), ids[i][7]);
		assert_int_equal(fxics_id_make(fxics_id_replid(id), fxics_id_globcnt(id)), id);
		assert_int_equal(idset_add_id(set, id), ROP_OK);
	}
	assert_int_equal(set->Count, 2);
	assert_int_equal(set->Entries[0].Globset->RangeCount, 2);
	assert_int_equal(idset_encode(*state, set, &out, &len), ROP_OK);
	assert_int_equal(len, sizeof(wire));
	assert_memory_equal(out, wire, len);
	assert_int_equal(idset_decode(*state, wire, sizeof(wire), false, &d), ROP_OK);
	assert_true(idset_equal(set, d));
	for (i = 0; i < 4; i++) {
		assert_true(idset_contains_id(d, id_from_wire(ids[i])));
	}
	assert_false(idset_contains_id(d, fxics_id_make(1, 7)));
	assert_false(idset_contains_id(d, fxics_id_make(3, 5)));
	talloc_free_children(*state);
}

static bool map_replica(void *priv, uint16_t *replid, uint8_t *guid, bool to_guid)
{
	(void)priv;
	if (to_guid) {
		if (*replid > 2) {
			return false;
		}
		memset(guid, 0, 16);
		guid[0] = 0xA0 + (uint8_t)*replid;
		return true;
	}
	*replid = guid[0] - 0xA0;
	return true;
}

static void test_replguid(void **state)
{
	struct IDSET *set = idset_new(*state, false), *g = NULL, *back = NULL, *d = NULL;
	uint8_t *out = NULL;
	size_t len = 0;

	assert_int_equal(idset_add_range(set, 2, NULL, 100, 200), ROP_OK);
	assert_int_equal(idset_add_range(set, 1, NULL, 1, 1), ROP_OK);
	assert_int_equal(idset_convert(*state, set, true, map_replica, NULL, &g), ROP_OK);
	assert_true(g->UsesREPLGUID);
	assert_int_equal(g->Entries[0].REPLGUID[0], 0xA1);     /* sorted by GUID bytes */
	assert_int_equal(idset_encode(*state, g, &out, &len), ROP_OK);
	assert_int_equal(len, (16 + 7 + 1) + (16 + 6 + 3 + 1 + 1));
	assert_memory_equal(out, g->Entries[0].REPLGUID, 16);
	assert_int_equal(idset_decode(*state, out, len, true, &d), ROP_OK);
	assert_true(idset_equal(g, d));
	assert_int_equal(idset_convert(*state, d, false, map_replica, NULL, &back), ROP_OK);
	assert_true(idset_equal(set, back));
	assert_int_equal(idset_add_range(set, 3, NULL, 1, 1), ROP_OK);
	assert_int_equal(idset_convert(*state, set, true, map_replica, NULL, &g), ROP_ERR_CONTEXT);
	/* REPLGUID sets take no REPLID-form IDs */
	assert_int_equal(idset_add_id(d, fxics_id_make(1, 1)), ROP_ERR_CONTEXT);
	talloc_free_children(*state);
}

static void test_ops_and_cnset(void **state)
{
	/* a CNSET of seen changes: union with new CNs, minus those already known */
	struct IDSET *seen = idset_new(*state, false), *fresh = idset_new(*state, false);
	struct IDSET *d = NULL;
	static const uint8_t dup[] = { 0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0x01, 0x00,
				       0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0x02, 0x00 };
	static const uint8_t bad[] = { 0x01, 0x00, 0x50, 0x00 };
	static const uint8_t cut[] = { 0x01 };

	assert_int_equal(idset_add_range(seen, 1, NULL, 1, 1000), ROP_OK);
	assert_int_equal(idset_add_range(fresh, 1, NULL, 990, 1010), ROP_OK);
	assert_int_equal(idset_add_range(fresh, 7, NULL, 5, 5), ROP_OK);
	assert_int_equal(idset_difference(fresh, seen), ROP_OK);
	assert_int_equal(fresh->Entries[0].Globset->Ranges[0].Low, 1001);
	assert_int_equal(idset_union(seen, fresh), ROP_OK);
	assert_true(idset_contains_id(seen, fxics_id_make(1, 1010)));
	assert_true(idset_contains_id(seen, fxics_id_make(7, 5)));
	assert_int_equal(seen->Entries[0].Globset->RangeCount, 1);
	/* a repeated REPLID is merged */
	assert_int_equal(idset_decode(*state, dup, sizeof(dup), false, &d), ROP_OK);
	assert_int_equal(d->Count, 1);
	assert_int_equal(d->Entries[0].Globset->Ranges[0].High, 2);
	assert_int_equal(idset_decode(*state, bad, sizeof(bad), false, &d), ROP_ERR_FORMAT);
	assert_null(d);
	assert_int_equal(idset_decode(*state, cut, sizeof(cut), false, &d), ROP_ERR_TRUNCATED);
	assert_int_equal(idset_union(seen, idset_new(*state, true)), ROP_ERR_INVALID);
	talloc_free_children(*state);
}

static void test_large(void **state)
{
	struct IDSET *set = idset_new(*state, false), *d = NULL;
	uint8_t *out = NULL;
	size_t len = 0;
	uint64_t g = 0x10000;
	unsigned i, seed = 1;

	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		g += 1 + ((seed >> 16) % 4 == 0 ? (seed >> 20) % 50 : 0);
		assert_int_equal(idset_add_id(set, fxics_id_make(1, g)), ROP_OK);
	}
	assert_int_equal(globset_cardinality(set->Entries[0].Globset), 100000);
	assert_int_equal(idset_encode(*state, set, &out, &len), ROP_OK);
	assert_int_equal(idset_decode(*state, out, len, false, &d), ROP_OK);
	assert_true(idset_equal(set, d));
	talloc_free_children(*state);
}

static void test_pcl(void **state)
{
	struct PredecessorChangeList *a = talloc_zero(*state, struct PredecessorChangeList);
	struct PredecessorChangeList *b = talloc_zero(*state, struct PredecessorChangeList);
	struct PredecessorChangeList *m = NULL, *dec = NULL;
	struct XID x1 = { .LocalIdSize = 6 }, x2 = { .LocalIdSize = 6 }, x3 = { .LocalIdSize = 6 };
	uint8_t *wire = NULL;
	size_t len = 0;

	x1.NamespaceGuid[0] = 0x20;
	x1.LocalId[5] = 5;
	x2 = x1;
	x2.LocalId[5] = 9;                      /* later change, same replica */
	x3.NamespaceGuid[0] = 0x10;
	x3.LocalId[5] = 1;
	assert_int_equal(pcl_add_xid(a, &x1), ROP_OK);
	assert_int_equal(pcl_add_xid(b, &x2), ROP_OK);
	assert_int_equal(pcl_add_xid(b, &x3), ROP_OK);
	assert_int_equal(b->Count, 2);
	assert_int_equal(b->Xids[0].NamespaceGuid[0], 0x10);    /* sorted by namespace */
	assert_true(pcl_includes(b, a));
	assert_false(pcl_includes(a, b));
	assert_int_equal(pcl_merge(*state, a, b, &m), ROP_OK);
	assert_int_equal(m->Count, 2);
	assert_int_equal(m->Xids[1].LocalId[5], 9);
	assert_true(pcl_includes(m, a) && pcl_includes(m, b));
	/* through ndr/rop's PCL codec */
	assert_int_equal(oxcdata_pcl_encode(*state, m, &wire, &len), ROP_OK);
	assert_int_equal(len, 2 * 23);
	assert_int_equal(oxcdata_pcl_decode(*state, wire, len, &dec), ROP_OK);
	assert_true(pcl_includes(dec, m) && pcl_includes(m, dec));
	x1.LocalIdSize = 0;
	assert_int_equal(pcl_add_xid(a, &x1), ROP_ERR_INVALID);
	talloc_free_children(*state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spec_example, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_replguid, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_ops_and_cnset, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_large, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_pcl, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Buffers of a FastTransfer stream ([MS-OXCFXICS] 2.2.4.1, 2.2.3.1.1.5):
 * the decoder gives the same atoms whatever the pieces it is fed (every
 * piece size, every single split position, random pieces), and the encoder
 * cuts only where the lexical structure allows it.
 */
#include "fxics_test_util.h"

static void decode_pieces(TALLOC_CTX *mem, const uint8_t *data, size_t len,
			  const size_t *cuts, size_t ncuts, struct fxics_atom **out, size_t *n_r)
{
	struct fxics_decoder *dec = fxics_decoder_new(mem, 0, 0);
	struct fxics_atom *atoms = talloc_array(mem, struct fxics_atom, 64);
	size_t prev = 0, i, n = 0;

	for (i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;
		struct fxics_atom *a = NULL;

		assert_int_equal(fxics_decoder_feed(dec, data + prev, end - prev), ROP_OK);
		prev = end;
		for (;;) {
			assert_int_equal(fxics_decoder_next(dec, atoms, &a), ROP_OK);
			if (a == NULL) {
				break;
			}
			assert_true(n < 64);
			atoms[n++] = *a;
		}
	}
	assert_int_equal(fxics_decoder_finish(dec), ROP_OK);
	talloc_free(dec);
	*out = atoms;
	*n_r = n;
}

static void test_every_piece_size(void **state)
{
	size_t len = 0, n0 = 0, n = 0, piece;
	uint8_t *s = fx_sample_stream(*state, &len);
	struct fxics_atom *ref = NULL, *got = NULL;
	size_t *cuts = talloc_array(*state, size_t, len);

	assert_int_equal(fxics_decode_all(*state, s, len, 0, &ref, &n0), ROP_OK);
	assert_int_equal(n0, 16);
	for (piece = 1; piece <= len; piece++) {
		size_t nc = 0, p;

		for (p = piece; p < len; p += piece) {
			cuts[nc++] = p;
		}
		decode_pieces(*state, s, len, cuts, nc, &got, &n);
		fx_assert_atoms_equal(ref, n0, got, n);
		talloc_free(got);
	}
	talloc_free_children(*state);
}

static void test_every_split_position(void **state)
{
	size_t len = 0, n0 = 0, n = 0, p;
	uint8_t *s = fx_sample_stream(*state, &len);
	struct fxics_atom *ref = NULL, *got = NULL;

	assert_int_equal(fxics_decode_all(*state, s, len, 0, &ref, &n0), ROP_OK);
	for (p = 0; p <= len; p++) {
		decode_pieces(*state, s, len, &p, 1, &got, &n);
		fx_assert_atoms_equal(ref, n0, got, n);
		talloc_free(got);
	}
	talloc_free_children(*state);
}

static void test_random_pieces(void **state)
{
	size_t len = 0, n0 = 0, n = 0, round;
	uint8_t *s = fx_sample_stream(*state, &len);
	struct fxics_atom *ref = NULL, *got = NULL;
	size_t *cuts = talloc_array(*state, size_t, len);
	unsigned seed = 12345;

	assert_int_equal(fxics_decode_all(*state, s, len, 0, &ref, &n0), ROP_OK);
	for (round = 0; round < 200; round++) {
		size_t nc = 0, p = 0;

		for (;;) {
			seed = seed * 1103515245u + 12345u;
			p += 1 + (seed >> 16) % 40;
			if (p >= len) {
				break;
			}
			cuts[nc++] = p;
		}
		decode_pieces(*state, s, len, cuts, nc, &got, &n);
		fx_assert_atoms_equal(ref, n0, got, n);
		talloc_free(got);
	}
	talloc_free_children(*state);
}

/*
 * Where may the stream be cut? Computed here from the decoded atoms, not
 * from the encoder's bookkeeping: at element boundaries, between elements
 * of a multi-valued value, and inside varSizeValue payloads (even offsets
 * for UTF-16).
 */
static void allowed_cuts(const struct fxics_atom *a, size_t n, const uint8_t *s, size_t len,
			 bool *ok)
{
	size_t off = 0, i;

	memset(ok, 0, len + 1);
	ok[0] = true;
	for (i = 0; i < n; i++) {
		size_t hdr = 4 + (a[i].Name == NULL ? 0 :
				  17 + (a[i].Name->Kind == 0 ? 4 : 2 * (strlen(a[i].Name->Name) + 1)));
		uint16_t t = OXCDATA_PROP_TYPE(a[i].PropertyTag);
		bool utf16 = t == PtypString || t == PtypMultipleString;
		size_t end = off + hdr;

		if (a[i].kind == FXICS_ATOM_MARKER) {
			off += 4;
			ok[off] = true;
			continue;
		}
		if (t == PtypInteger32 || t == PtypBoolean) {
			end += t == PtypBoolean ? 2 : 4;
		} else if (t & 0x1000) {
			uint32_t count = a[i].Value.u.mv.Count, k;

			end += 4;
			ok[end] = true;
			for (k = 0; k < count; k++) {
				if (t == PtypMultipleInteger32) {
					end += 4;
				} else {
					uint32_t l = s[end] | (s[end + 1] << 8) | (s[end + 2] << 16) |
						     ((uint32_t)s[end + 3] << 24), b;

					end += 4;
					for (b = 0; b <= l; b++) {
						ok[end + b] = !utf16 || b % 2 == 0;
					}
					end += l;
				}
				ok[end] = true;
			}
		} else {
			uint32_t l = s[end] | (s[end + 1] << 8) | (s[end + 2] << 16) |
				     ((uint32_t)s[end + 3] << 24), b;

			end += 4;
			for (b = 0; b <= l; b++) {
				ok[end + b] = !utf16 || b % 2 == 0;
			}
			end += l;
		}
		off = end;
		ok[off] = true;
	}
	assert_int_equal(off, len);
}

static void test_encoder_cuts(void **state)
{
	size_t len = 0, n0 = 0, max;
	uint8_t *s = fx_sample_stream(*state, &len);
	struct fxics_atom *ref = NULL;
	bool *ok = talloc_array(*state, bool, len + 1);

	assert_int_equal(fxics_decode_all(*state, s, len, 0, &ref, &n0), ROP_OK);
	allowed_cuts(ref, n0, s, len, ok);
	for (max = 4; max <= len + 1; max++) {
		struct fxics_encoder *enc = fxics_encoder_new(*state, 0);
		uint8_t *joined = talloc_array(*state, uint8_t, len);
		size_t off = 0, i;
		enum rop_err err = ROP_OK;

		for (i = 0; i < n0; i++) {
			assert_int_equal(fxics_encoder_atom(enc, &ref[i]), ROP_OK);
		}
		while (fxics_encoder_pending(enc) > 0) {
			const uint8_t *p = NULL;
			size_t l = 0;

			err = fxics_encoder_next_buffer(enc, max, &p, &l);
			if (err != ROP_OK) {
				break;
			}
			assert_true(l > 0 && l <= max);
			memcpy(joined + off, p, l);
			off += l;
			if (!ok[off]) {
				fail_msg("max %zu: cut at %zu is not allowed", max, off);
			}
		}
		if (err == ROP_OK) {
			assert_int_equal(off, len);
			assert_memory_equal(joined, s, len);
		} else {
			/* only sizes smaller than the largest indivisible unit may fail */
			assert_int_equal(err, ROP_ERR_TOO_BIG);
			assert_true(max < 64);
		}
		talloc_free(joined);
		talloc_free(enc);
	}
	talloc_free_children(*state);
}

static void test_encoder_streaming(void **state)
{
	/* produce and take buffers alternately, as a GetBuffer loop would */
	struct fxics_encoder *enc = fxics_encoder_new(*state, 0);
	struct fxics_decoder *dec = fxics_decoder_new(*state, 0, 0);
	uint8_t big[5000];
	size_t i, atoms = 0;

	memset(big, 0x5A, sizeof(big));
	for (i = 0; i < 400; i++) {
		struct fxics_atom m = fx_marker(StartMessage);
		struct fxics_atom b = fx_bin(0x10090102, big, (uint32_t)(i * 11 % sizeof(big)));
		struct fxics_atom e = fx_marker(EndMessage);
		const uint8_t *p;
		size_t l;
		struct fxics_atom *a;

		assert_int_equal(fxics_encoder_atom(enc, &m), ROP_OK);
		assert_int_equal(fxics_encoder_atom(enc, &b), ROP_OK);
		assert_int_equal(fxics_encoder_atom(enc, &e), ROP_OK);
		while (fxics_encoder_pending(enc) > 1000) {
			assert_int_equal(fxics_encoder_next_buffer(enc, 1000, &p, &l), ROP_OK);
			assert_int_equal(fxics_decoder_feed(dec, p, l), ROP_OK);
		}
		do {
			assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_OK);
			atoms += a != NULL;
			talloc_free(a);
		} while (a != NULL);
	}
	for (;;) {
		const uint8_t *p;
		size_t l;
		struct fxics_atom *a;

		assert_int_equal(fxics_encoder_next_buffer(enc, 1000, &p, &l), ROP_OK);
		if (l == 0) {
			break;
		}
		assert_int_equal(fxics_decoder_feed(dec, p, l), ROP_OK);
		do {
			assert_int_equal(fxics_decoder_next(dec, *state, &a), ROP_OK);
			atoms += a != NULL;
			talloc_free(a);
		} while (a != NULL);
	}
	assert_int_equal(atoms, 1200);
	assert_int_equal(fxics_decoder_finish(dec), ROP_OK);
	assert_int_equal(fxics_decoder_offset(dec), fxics_encoder_total(enc));
	/* a buffer smaller than a marker cannot be produced */
	assert_int_equal(fxics_encoder_marker(enc, IncrSyncEnd), ROP_OK);
	{
		const uint8_t *p;
		size_t l;

		assert_int_equal(fxics_encoder_next_buffer(enc, 3, &p, &l), ROP_ERR_TOO_BIG);
		assert_int_equal(fxics_encoder_next_buffer(enc, 4, &p, &l), ROP_OK);
		assert_int_equal(l, 4);
	}
	talloc_free_children(*state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_piece_size, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_every_split_position, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_random_pieces, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_encoder_cuts, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_encoder_streaming, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

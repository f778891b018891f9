/*
 * libFuzzer harness: FastTransfer stream decoder ([MS-OXCFXICS] 2.2.4.1).
 * Byte 0 seeds the piece sizes; the rest is the stream. Checks that feeding
 * the stream in random-sized pieces gives the same atoms (or the same
 * error) as feeding it at once, that a decoded stream re-encodes to the
 * same bytes, that the encoder's buffers join back into the stream, and
 * runs the grammar validator on the atoms.
 */
#include <stdlib.h>
#include <string.h>

#include "fxics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum rop_err decode_pieces(TALLOC_CTX *mem, const uint8_t *s, size_t len, unsigned seed,
				  struct fxics_atom **out, size_t *n_r)
{
	struct fxics_decoder *dec = fxics_decoder_new(mem, 0, 0);
	struct fxics_atom *atoms = NULL;
	size_t off = 0, n = 0;
	enum rop_err err = ROP_OK;

	while (err == ROP_OK && off < len) {
		size_t piece;
		struct fxics_atom *a = NULL;

		seed = seed * 1103515245u + 12345u;
		piece = 1 + (seed >> 16) % 17;
		if (piece > len - off) {
			piece = len - off;
		}
		err = fxics_decoder_feed(dec, s + off, piece);
		off += piece;
		while (err == ROP_OK) {
			err = fxics_decoder_next(dec, mem, &a);
			if (err != ROP_OK || a == NULL) {
				break;
			}
			atoms = talloc_realloc(mem, atoms, struct fxics_atom, n + 1);
			if (atoms == NULL) {
				abort();
			}
			atoms[n++] = *a;
		}
	}
	if (err == ROP_OK) {
		err = fxics_decoder_finish(dec);
	}
	*out = atoms;
	*n_r = n;
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	struct fxics_atom *one = NULL, *many = NULL;
	size_t n1 = 0, n2 = 0, i, err_at;
	enum rop_err e1, e2;

	if (size < 1) {
		return 0;
	}
	mem = talloc_new(NULL);
	/* the one-shot decoder uses the default bound; use the same for both */
	e1 = fxics_decode_all(mem, data + 1, size - 1, 0, &one, &n1);
	e2 = decode_pieces(mem, data + 1, size - 1, data[0], &many, &n2);
	if (e1 != e2) {
		abort();
	}
	if (e1 == ROP_OK && e2 == ROP_OK) {
		struct fxics_encoder *enc = fxics_encoder_new(mem, 0);
		uint8_t *joined = talloc_array(mem, uint8_t, size);
		size_t off = 0, max = 4 + data[0];

		if (n1 != n2 || enc == NULL || joined == NULL) {
			abort();
		}
		for (i = 0; i < n1; i++) {
			if (!fxics_atom_equal(&one[i], &many[i]) ||
			    fxics_encoder_atom(enc, &one[i]) != ROP_OK) {
				abort();
			}
		}
		for (enum fxics_root r = FXICS_ROOT_CONTENTS_SYNC; r <= FXICS_ROOT_TOP_FOLDER; r++) {
			(void)fxics_grammar_validate(r, one, n1, &err_at);
		}
		while (fxics_encoder_pending(enc) > 0) {
			const uint8_t *p;
			size_t l;

			if (fxics_encoder_next_buffer(enc, max, &p, &l) != ROP_OK) {
				/* the unit may exceed max: take it whole */
				if (fxics_encoder_next_buffer(enc, SIZE_MAX, &p, &l) != ROP_OK) {
					abort();
				}
			}
			if (l == 0 || off + l > size - 1) {
				abort();
			}
			memcpy(joined + off, p, l);
			off += l;
		}
		if (off != size - 1 || (off > 0 && memcmp(joined, data + 1, off) != 0)) {
			abort();
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * Helpers shared by the ndr/fxics unit tests: atom constructors, a sample
 * stream exercising every lexical form, and hex comparison.
 */
#ifndef FXICS_TEST_UTIL_H
#define FXICS_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_test.h"
#include "fxics.h"
#include "idset.h"

static inline struct fxics_atom fx_marker(uint32_t tag)
{
	struct fxics_atom a = { .kind = FXICS_ATOM_MARKER, .PropertyTag = tag };

	return a;
}

static inline struct fxics_atom fx_u32(uint32_t tag, uint32_t v)
{
	struct fxics_atom a = { .kind = fxics_is_metatag(tag) ? FXICS_ATOM_META : FXICS_ATOM_PROPERTY,
				.PropertyTag = tag };

	a.Value.PropertyType = PtypInteger32;
	a.Value.u.l = v;
	return a;
}

static inline struct fxics_atom fx_bin(uint32_t tag, const void *p, uint32_t n)
{
	struct fxics_atom a = { .kind = fxics_is_metatag(tag) ? FXICS_ATOM_META : FXICS_ATOM_PROPERTY,
				.PropertyTag = tag };

	a.Value.PropertyType = PtypBinary;
	a.Value.u.bin.cb = n;
	a.Value.u.bin.lpb = (uint8_t *)p;
	return a;
}

static inline struct fxics_atom fx_str(uint32_t tag, const char *s)
{
	struct fxics_atom a = { .kind = FXICS_ATOM_PROPERTY, .PropertyTag = tag };

	a.Value.PropertyType = PtypString;
	a.Value.u.str = (char *)s;
	return a;
}

/* encode atoms into a fresh talloc'd buffer */
static inline uint8_t *fx_encode(TALLOC_CTX *mem, const struct fxics_atom *atoms, size_t n,
				 size_t *len_r)
{
	struct fxics_encoder *enc = fxics_encoder_new(mem, 0);
	const uint8_t *p;
	uint8_t *out;
	size_t i, len;

	assert_non_null(enc);
	for (i = 0; i < n; i++) {
		assert_int_equal(fxics_encoder_atom(enc, &atoms[i]), ROP_OK);
	}
	assert_int_equal(fxics_encoder_next_buffer(enc, SIZE_MAX, &p, &len), ROP_OK);
	out = talloc_memdup(mem, len ? p : (const uint8_t *)"", len ? len : 1);
	talloc_free(enc);
	*len_r = len;
	return out;
}

static inline void fx_assert_atoms_equal(const struct fxics_atom *a, size_t na,
					 const struct fxics_atom *b, size_t nb)
{
	size_t i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		if (!fxics_atom_equal(&a[i], &b[i])) {
			fail_msg("atom %zu differs (tag 0x%08x vs 0x%08x)", i,
				 a[i].PropertyTag, b[i].PropertyTag);
		}
	}
}

/*
 * A stream with every lexical form: markers, fixed values, strings (long
 * enough to be cut), binaries, named properties (LID and string), multi-
 * valued fixed and variable values, a code page string, meta-properties.
 */
static inline uint8_t *fx_sample_stream(TALLOC_CTX *mem, size_t *len_r)
{
	static const uint8_t guid[16] = { 0x29, 0x03, 0x02, 0x00, 0, 0, 0, 0,
					  0xC0, 0, 0, 0, 0, 0, 0, 0x46 };
	static uint8_t blob[300];
	static uint32_t longs[3] = { 1, 0xFFFFFFFF, 7 };
	static char *strs[2] = { "alpha", "\xC3\xA9t\xC3\xA9" };
	static struct oxcdata_binary bins[2] = { { 3, (uint8_t *)"abc" }, { 0, NULL } };
	static struct PropertyName lid = { .Kind = 0x00, .LID = 0x8501 };
	static struct PropertyName nm = { .Kind = 0x01, .Name = "X-Custom" };
	struct fxics_atom atoms[16];
	size_t n = 0, i;

	for (i = 0; i < sizeof(blob); i++) {
		blob[i] = (uint8_t)(i * 7);
	}
	memcpy(lid.Guid, guid, 16);
	memcpy(nm.Guid, guid, 16);
	atoms[n++] = fx_marker(StartMessage);
	atoms[n++] = fx_str(0x0037001F, "A subject long enough to be cut in several places");
	atoms[n++] = fx_u32(0x0E070003, 0x12345678);
	atoms[n++] = fx_bin(0x10090102, blob, sizeof(blob));
	atoms[n] = fx_u32(0x85010003, 42);
	atoms[n++].Name = &lid;
	atoms[n] = fx_str(0x8002001F, "named value");
	atoms[n++].Name = &nm;
	atoms[n] = fx_u32(0x10031003, 0);
	atoms[n].Value.PropertyType = PtypMultipleInteger32;
	atoms[n].Value.u.mv.Count = 3;
	atoms[n++].Value.u.mv.v.l = longs;
	atoms[n] = fx_u32(0x1004101F, 0);
	atoms[n].Value.PropertyType = PtypMultipleString;
	atoms[n].Value.u.mv.Count = 2;
	atoms[n++].Value.u.mv.v.str = strs;
	atoms[n] = fx_u32(0x10051102, 0);
	atoms[n].Value.PropertyType = PtypMultipleBinary;
	atoms[n].Value.u.mv.Count = 2;
	atoms[n++].Value.u.mv.v.bin = bins;
	atoms[n] = fx_u32(0x0E1B000B, 0);
	atoms[n].Value.PropertyType = PtypBoolean;
	atoms[n++].Value.u.b = 1;
	atoms[n] = fx_u32(0x001A84E4, 0);      /* PidTagMessageClass as code page 1252 */
	atoms[n].Value.PropertyType = PtypString8;
	atoms[n++].Value.u.str8.utf8 = "IPM.Note";
	atoms[n++] = fx_u32(MetaTagFXDelProp, FXICS_PidTagMessageRecipients);
	atoms[n++] = fx_marker(StartRecip);
	atoms[n++] = fx_str(0x3001001F, "Recipient");
	atoms[n++] = fx_marker(EndToRecip);
	atoms[n++] = fx_marker(EndMessage);
	return fx_encode(mem, atoms, n, len_r);
}

#endif /* FXICS_TEST_UTIL_H */

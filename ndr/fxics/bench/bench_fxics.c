/*
 * FastTransfer stream generation throughput for 1,000 messages of mixed
 * sizes (properties, recipients, attachments), taken in 32 KiB buffers as
 * RopFastTransferSourceGetBuffer would, and IDSET encode / decode of a
 * 100,000-ID set; both reported against a memcpy of the same bytes
 * measured in the same run.
 * Usage: bench_fxics [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fxics.h"
#include "idset.h"

#define BUFFER_SIZE 32768

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile uint8_t sink;

static void die(const char *what)
{
	fprintf(stderr, "bench_fxics: %s failed\n", what);
	exit(1);
}

/* one message: ~10 properties, a body of 100 B .. 64 KiB, 2 recipients, maybe an attachment */
static void build_message(TALLOC_CTX *mem, unsigned i, const uint8_t *blob, struct fxics_message *m)
{
	static const size_t body_sizes[] = { 100, 700, 2000, 4000, 12000, 65000 };
	struct fxics_atom *p = talloc_zero_array(mem, struct fxics_atom, 10);
	struct fxics_proplist *r = talloc_zero_array(mem, struct fxics_proplist, 2);
	struct fxics_attachment *a = talloc_zero(mem, struct fxics_attachment);
	unsigned k;

	if (p == NULL || r == NULL || a == NULL) {
		die("allocation");
	}
	for (k = 0; k < 10; k++) {
		p[k].kind = FXICS_ATOM_PROPERTY;
	}
	p[0].PropertyTag = 0x0037001F;
	p[0].Value.PropertyType = PtypString;
	p[0].Value.u.str = "Quarterly report and other things worth a subject line";
	p[1].PropertyTag = 0x1000001F;
	p[1].Value.PropertyType = PtypString;
	p[1].Value.u.str = talloc_strndup(mem, (const char *)blob, body_sizes[i % 6] / 2);
	for (k = 2; k < 6; k++) {
		p[k].PropertyTag = OXCDATA_PROP_TAG(0x0E00 + k, PtypInteger32);
		p[k].Value.PropertyType = PtypInteger32;
		p[k].Value.u.l = i * k;
	}
	p[6].PropertyTag = 0x00390040;
	p[6].Value.PropertyType = PtypTime;
	p[6].Value.u.d = 0x01D08581A89ED000ULL + i;
	p[7].PropertyTag = 0x65E00102;
	p[7].Value.PropertyType = PtypBinary;
	p[7].Value.u.bin = (struct oxcdata_binary) { 22, (uint8_t *)blob };
	p[8].PropertyTag = 0x0E1B000B;
	p[8].Value.PropertyType = PtypBoolean;
	p[9].PropertyTag = 0x001A001E;
	p[9].Value.PropertyType = PtypString8;
	p[9].Value.u.str8.raw = (uint8_t *)"IPM.Note";
	p[9].Value.u.str8.raw_len = 8;
	*m = (struct fxics_message) { .Props = { 10, p } };
	m->RecipientCount = 2;
	r[0] = (struct fxics_proplist) { 1, p };
	r[1] = (struct fxics_proplist) { 2, p + 2 };
	m->Recipients = r;
	if (i % 4 == 0) {
		a->Props = (struct fxics_proplist) { 1, p + 7 };
		m->AttachmentCount = 1;
		m->Attachments = a;
	}
}

static size_t generate(struct fxics_message *msgs, unsigned n, uint8_t *out)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct fxics_encoder *enc = fxics_encoder_new(mem, 0);
	size_t total = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		const uint8_t *p;
		size_t l;

		if (fxics_encoder_message(enc, &msgs[i]) != ROP_OK) {
			die("encode");
		}
		while (fxics_encoder_pending(enc) >= BUFFER_SIZE) {
			if (fxics_encoder_next_buffer(enc, BUFFER_SIZE, &p, &l) != ROP_OK) {
				die("next_buffer");
			}
			if (out != NULL) {
				memcpy(out + total, p, l);
			}
			total += l;
		}
	}
	for (;;) {
		const uint8_t *p;
		size_t l;

		if (fxics_encoder_next_buffer(enc, BUFFER_SIZE, &p, &l) != ROP_OK) {
			die("next_buffer");
		}
		if (l == 0) {
			break;
		}
		if (out != NULL) {
			memcpy(out + total, p, l);
		}
		total += l;
	}
	talloc_free(mem);
	return total;
}

static double copy_chunks(const uint8_t *src, size_t len, uint8_t *dst)
{
	double t0 = now();
	size_t off;

	for (off = 0; off < len; off += BUFFER_SIZE) {
		memcpy(dst + off, src + off, len - off < BUFFER_SIZE ? len - off : BUFFER_SIZE);
	}
	sink = dst[len / 2];
	return now() - t0;
}

static void bench_stream(unsigned iters)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	uint8_t *blob = talloc_array(mem, uint8_t, 70000);
	struct fxics_message *msgs = talloc_zero_array(mem, struct fxics_message, 1000);
	uint8_t *stream, *copy;
	double t_gen = 0, t_copy = 0;
	size_t len;
	unsigned i;

	for (i = 0; i < 70000; i++) {
		blob[i] = (uint8_t)('a' + i % 26);
	}
	blob[69999] = 0;
	for (i = 0; i < 1000; i++) {
		build_message(mem, i, blob, &msgs[i]);
	}
	len = generate(msgs, 1000, NULL);
	stream = talloc_array(mem, uint8_t, len);
	copy = talloc_array(mem, uint8_t, len);
	generate(msgs, 1000, stream);
	for (i = 0; i < iters; i++) {
		double t0 = now();

		generate(msgs, 1000, NULL);
		t_gen += now() - t0;
		t_copy += copy_chunks(stream, len, copy);
	}
	printf("fxics stream: 1000 messages, %zu bytes in %u KiB buffers\n", len, BUFFER_SIZE / 1024);
	printf("  generate: %8.1f MB/s\n", (double)len * iters / t_gen / 1e6);
	printf("  memcpy:   %8.1f MB/s\n", (double)len * iters / t_copy / 1e6);
	printf("  ratio generate/memcpy: %.3f\n", t_copy / t_gen);
	talloc_free(mem);
}

static void bench_idset(unsigned iters)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct IDSET *set = idset_new(mem, false);
	uint64_t g = 0x1000;
	double t_enc = 0, t_dec = 0, t_copy = 0;
	uint8_t *wire = NULL, *copy;
	size_t len = 0;
	unsigned i, seed = 1;

	/* 100,000 IDs: runs of consecutive IDs with random gaps (deleted items) */
	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		g += 1 + ((seed >> 16) % 3 == 0 ? (seed >> 20) % 20 : 0);
		if (idset_add_id(set, fxics_id_make(1, g)) != ROP_OK) {
			die("idset_add_id");
		}
	}
	for (i = 0; i < iters; i++) {
		struct IDSET *d = NULL;
		double t0 = now();

		talloc_free(wire);
		if (idset_encode(mem, set, &wire, &len) != ROP_OK) {
			die("idset_encode");
		}
		t_enc += now() - t0;
		t0 = now();
		if (idset_decode(mem, wire, len, false, &d) != ROP_OK) {
			die("idset_decode");
		}
		t_dec += now() - t0;
		if (!idset_equal(set, d)) {
			die("idset round trip");
		}
		talloc_free(d);
	}
	copy = talloc_array(mem, uint8_t, len);
	for (i = 0; i < iters; i++) {
		t_copy += copy_chunks(wire, len, copy);
	}
	printf("idset: 100000 IDs in %u ranges, %zu bytes serialized\n",
	       set->Entries[0].Globset->RangeCount, len);
	printf("  encode: %8.3f ms  (%.1f M IDs/s)\n", t_enc / iters * 1e3, 1e5 * iters / t_enc / 1e6);
	printf("  decode: %8.3f ms  (%.1f M IDs/s)\n", t_dec / iters * 1e3, 1e5 * iters / t_dec / 1e6);
	printf("  ratio encode/memcpy: %.4f, decode/memcpy: %.4f\n", t_copy / t_enc, t_copy / t_dec);
	talloc_free(mem);
}

int main(int argc, char **argv)
{
	unsigned iters = argc > 1 ? (unsigned)atoi(argv[1]) : 20;

	if (iters == 0) {
		iters = 1;
	}
	bench_stream(iters);
	bench_idset(iters);
	return 0;
}

/*
 * Benchmark: Plain LZ77 compress / decompress throughput of ndr/rpcext
 * beside Samba's lzxpress_compress / lzxpress_decompress on the same
 * data in the same run. Data is processed in 32 KiB chunks, the largest
 * payload of one RPC_HEADER_EXT chunk ([MS-OXCRPC] 3.1.4.2.1).
 *
 * Prints MB/s, the ratio ours/Samba, and compressed/original sizes.
 * Usage: bench_lz77 [data_dir] [samba_lib]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpcext.h"
#include "rpcext_test_util.h"

#define CHUNK 0x8000
#define DATA_SIZE (1u << 20)

struct codec {
	const char *name;
	/* return compressed size, or (size_t)-1 */
	size_t (*compress)(const uint8_t *in, size_t n, uint8_t *out, size_t max);
	/* return 0 on success */
	int (*decompress)(const uint8_t *in, size_t n, uint8_t *out, size_t size);
};

static struct rpcext_lz77_ctx *our_ctx;
static struct rt_samba_lzx samba;

static size_t ours_compress(const uint8_t *in, size_t n, uint8_t *out, size_t max)
{
	size_t csize = 0;

	return rpcext_lz77_compress(our_ctx, in, n, out, max, &csize) == RPCEXT_OK ?
	       csize : (size_t)-1;
}

static int ours_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t size)
{
	return rpcext_lz77_decompress(in, n, out, size) == RPCEXT_OK ? 0 : -1;
}

static size_t samba_compress(const uint8_t *in, size_t n, uint8_t *out, size_t max)
{
	ssize_t r = samba.compress(in, (uint32_t)n, out, (uint32_t)max);

	return r < 0 ? (size_t)-1 : (size_t)r;
}

static int samba_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t size)
{
	return samba.decompress(in, (uint32_t)n, out, (uint32_t)size) == (ssize_t)size ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct result {
	double c_mbs, d_mbs;
	size_t csize;
};

/* Compress then decompress data in CHUNK pieces, repeating for >= 0.3 s. */
static int run(const struct codec *c, const uint8_t *data, size_t size,
	       struct result *r)
{
	size_t nchunks = (size + CHUNK - 1) / CHUNK, i, bound = rpcext_lz77_compress_bound(CHUNK) + 64;
	uint8_t *comp = malloc(nchunks * bound), *back = malloc(CHUNK);
	size_t *csz = calloc(nchunks, sizeof(size_t));
	double t0, t;
	unsigned reps = 0;
	int ret = -1;

	if (comp == NULL || back == NULL || csz == NULL) {
		goto done;
	}
	t0 = now();
	do {
		r->csize = 0;
		for (i = 0; i < nchunks; i++) {
			size_t n = size - i * CHUNK < CHUNK ? size - i * CHUNK : CHUNK;

			csz[i] = c->compress(data + i * CHUNK, n, comp + i * bound, bound);
			if (csz[i] == (size_t)-1) {
				goto done;
			}
			r->csize += csz[i];
		}
		reps++;
	} while ((t = now() - t0) < 0.3);
	r->c_mbs = (double)size * reps / t / 1e6;

	reps = 0;
	t0 = now();
	do {
		for (i = 0; i < nchunks; i++) {
			size_t n = size - i * CHUNK < CHUNK ? size - i * CHUNK : CHUNK;

			if (c->decompress(comp + i * bound, csz[i], back, n) != 0 ||
			    memcmp(back, data + i * CHUNK, n) != 0) {
				fprintf(stderr, "%s: round trip mismatch\n", c->name);
				goto done;
			}
		}
		reps++;
	} while ((t = now() - t0) < 0.3);
	r->d_mbs = (double)size * reps / t / 1e6;
	ret = 0;
done:
	free(comp);
	free(back);
	free(csz);
	return ret;
}

static uint8_t *fixture_data(TALLOC_CTX *ctx, const char *dir)
{
	static const char *files[] = { "001_Outlook_2007_in_ModifyRecipients_comp.dat",
				       "002_Outlook_2007_in_Tables_operations_comp.dat" };
	uint8_t *out = talloc_array(ctx, uint8_t, DATA_SIZE);
	size_t pos = 0, k = 0;

	while (out != NULL && pos < DATA_SIZE) {
		char *path = talloc_asprintf(ctx, "%s/%s", dir, files[k++ % 2]);
		struct rt_ecdorpcext2_in in;
		uint8_t *flat = NULL, *stub;
		size_t size = 0, flat_size = 0;

		stub = path != NULL ? rt_read_file(ctx, path, &size) : NULL;
		if (stub == NULL || !rt_ecdorpcext2_in_pull(stub, size, &in) ||
		    rpcext_parse_flat(ctx, in.rgbIn, in.cbIn, NULL, &flat, &flat_size) != RPCEXT_OK) {
			fprintf(stderr, "cannot load fixture %s\n", path ? path : "?");
			return NULL;
		}
		size = DATA_SIZE - pos < flat_size ? DATA_SIZE - pos : flat_size;
		memcpy(out + pos, flat, size);
		pos += size;
	}
	return out;
}

/* Property-stream-like data: tags repeat, values vary a little. */
static uint8_t *mailbox_data(TALLOC_CTX *ctx)
{
	static const char *words[] = { "meeting", "report", "Re:", "budget", "the",
				       "project", "tomorrow", "please", "review", "Q3" };
	uint8_t *out = talloc_array(ctx, uint8_t, DATA_SIZE);
	uint32_t seed = 42, msg = 0;
	size_t pos = 0;

	while (out != NULL && pos + 512 < DATA_SIZE) {
		static const uint32_t tags[] = { 0x0037001F, 0x0E080003, 0x30070040,
						 0x0C1A001F, 0x1000001F };
		size_t t, w;

		for (t = 0; t < 5; t++) {
			memcpy(out + pos, &tags[t], 4);
			pos += 4;
			if ((tags[t] & 0xFFFF) == 0x001F) {	/* PtypString, UTF-16LE */
				for (w = 0; w < 3 + rt_rand(&seed) % (t == 4 ? 40 : 5); w++) {
					const char *s = words[rt_rand(&seed) % 10];

					for (; *s != '\0' && pos + 4 < DATA_SIZE - 64; s++) {
						out[pos++] = (uint8_t)*s;
						out[pos++] = 0;
					}
					out[pos++] = ' ';
					out[pos++] = 0;
				}
				out[pos++] = 0;
				out[pos++] = 0;
			} else if ((tags[t] & 0xFFFF) == 0x0003) {
				uint32_t v = 1000 + rt_rand(&seed) % 50000;

				memcpy(out + pos, &v, 4);
				pos += 4;
			} else {
				uint64_t ft = 0x01D9000000000000ull + (uint64_t)msg * 600000000ull;

				memcpy(out + pos, &ft, 8);
				pos += 8;
			}
		}
		msg++;
	}
	if (out != NULL) {
		memset(out + pos, 0, DATA_SIZE - pos);
	}
	return out;
}

static uint8_t *random_data(TALLOC_CTX *ctx)
{
	uint8_t *out = talloc_array(ctx, uint8_t, DATA_SIZE);
	uint32_t seed = 99;
	size_t i;

	for (i = 0; out != NULL && i < DATA_SIZE; i++) {
		out[i] = (uint8_t)rt_rand(&seed);
	}
	return out;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : RPCEXT_TEST_DATA;
	const char *lib = argc > 2 ? argv[2] : RPCEXT_SAMBA_NDR_LIB;
	TALLOC_CTX *ctx = talloc_new(NULL);
	const struct codec ours = { "ours", ours_compress, ours_decompress };
	const struct codec theirs = { "samba", samba_compress, samba_decompress };
	struct { const char *name; uint8_t *data; } sets[3];
	bool have_samba;
	size_t i;
	int ret = 0;

	our_ctx = rpcext_lz77_ctx_new(ctx);
	sets[0].name = "outlook2007 payloads x N";
	sets[0].data = fixture_data(ctx, dir);
	sets[1].name = "mailbox-like property stream";
	sets[1].data = mailbox_data(ctx);
	sets[2].name = "random";
	sets[2].data = random_data(ctx);
	if (our_ctx == NULL || sets[0].data == NULL || sets[1].data == NULL ||
	    sets[2].data == NULL) {
		talloc_free(ctx);
		return 1;
	}
	have_samba = rt_samba_lzx_load(lib, &samba);
	printf("Plain LZ77, %u KiB per data set, %u KiB chunks; MB/s = input MB per second\n",
	       DATA_SIZE / 1024, CHUNK / 1024);
	printf("%-30s %-6s %10s %10s %8s\n", "data", "codec", "comp MB/s", "dec MB/s", "size %");
	for (i = 0; i < 3; i++) {
		struct result a = { 0 }, b = { 0 };

		if (run(&ours, sets[i].data, DATA_SIZE, &a) != 0) {
			ret = 1;
			continue;
		}
		printf("%-30s %-6s %10.1f %10.1f %7.1f%%\n", sets[i].name, "ours",
		       a.c_mbs, a.d_mbs, 100.0 * (double)a.csize / DATA_SIZE);
		if (!have_samba) {
			continue;
		}
		if (run(&theirs, sets[i].data, DATA_SIZE, &b) != 0) {
			ret = 1;
			continue;
		}
		printf("%-30s %-6s %10.1f %10.1f %7.1f%%\n", "", "samba",
		       b.c_mbs, b.d_mbs, 100.0 * (double)b.csize / DATA_SIZE);
		printf("%-30s %-6s %9.2fx %9.2fx %7.3f\n", "", "ratio",
		       a.c_mbs / b.c_mbs, a.d_mbs / b.d_mbs,
		       (double)a.csize / (double)b.csize);
	}
	if (have_samba) {
		rt_samba_lzx_unload(&samba);
	}
	talloc_free(ctx);
	return ret;
}

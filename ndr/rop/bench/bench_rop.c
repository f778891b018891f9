/*
 * ROP buffer decode+encode throughput (ROPs/s and MB/s) on the Outlook 2007
 * fixture buffers and on a synthetic RopQueryRows response with 100 rows,
 * reported as a ratio against memcpy of the same bytes in the same run.
 * Usage: bench_rop <tests/data directory> [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rop.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile uint8_t sink;

static double bench_memcpy(const uint8_t *data, size_t len, unsigned iters)
{
	uint8_t *dst = malloc(len);
	double t0 = now();
	unsigned i;

	for (i = 0; i < iters; i++) {
		memcpy(dst, data, len);
		sink = dst[i % len];
	}
	t0 = now() - t0;
	free(dst);
	return t0;
}

/* decode requests + encode them again */
static double bench_requests(const uint8_t *data, size_t len, unsigned iters, uint32_t *rops)
{
	double t0 = now();
	unsigned i;

	for (i = 0; i < iters; i++) {
		TALLOC_CTX *mem = talloc_new(NULL);
		struct rop_buffer *b = NULL;
		uint8_t *out = NULL;
		size_t out_len = 0;

		if (rop_buffer_decode_requests(mem, data, len, NULL, &b, NULL) != ROP_OK ||
		    rop_buffer_encode_requests(mem, b, NULL, &out, &out_len) != ROP_OK) {
			fprintf(stderr, "codec failure\n");
			exit(1);
		}
		*rops = b->count;
		talloc_free(mem);
	}
	return now() - t0;
}

static double bench_queryrows(const uint8_t *data, size_t len, const struct rop_buffer *req,
			      unsigned iters)
{
	double t0 = now();
	unsigned i;

	for (i = 0; i < iters; i++) {
		TALLOC_CTX *mem = talloc_new(NULL);
		struct rop_buffer *b = NULL;
		uint8_t *out = NULL;
		size_t out_len = 0;
		uint32_t n = 0;

		if (rop_buffer_decode_responses(mem, data, len, req, NULL, &b) != ROP_OK ||
		    rop_buffer_encode_responses(mem, b, NULL, NULL, 0, &out, &out_len, &n) != ROP_OK) {
			fprintf(stderr, "codec failure\n");
			exit(1);
		}
		talloc_free(mem);
	}
	return now() - t0;
}

static void report(const char *name, size_t len, uint32_t rops, unsigned iters, double t,
		   double base)
{
	printf("%-32s %6zu B %3u ROPs: %10.0f ROPs/s %8.1f MB/s  (memcpy x%.1f slower)\n",
	       name, len, rops, rops * iters / t, len * iters / t / 1e6, t / base);
}

/* SetColumns + QueryRows request and a 100-row response over 5 columns. */
static void make_queryrows(TALLOC_CTX *mem, struct rop_buffer **req_r, uint8_t **resp_r,
			   size_t *len_r)
{
	static uint32_t cols[] = { 0x67480014, 0x0037001F, 0x0E070003, 0x0E060040, 0x0FF90102 };
	struct rop_buffer *req = talloc_zero(mem, struct rop_buffer);
	struct rop_response *r = talloc_zero_array(mem, struct rop_response, 2);
	struct rop_buffer resp = { .count = 2, .responses = r };
	uint32_t i, k, n = 0;

	req->count = 2;
	req->requests = talloc_zero_array(req, struct rop_request, 2);
	req->requests[0].RopId = RopSetColumns;
	req->requests[0].u.RopSetColumns.PropertyTagCount = 5;
	req->requests[0].u.RopSetColumns.PropertyTags = cols;
	req->requests[1].RopId = RopQueryRows;
	req->requests[1].u.RopQueryRows.RowCount = 100;
	r[0].RopId = RopSetColumns;
	r[1].RopId = RopQueryRows;
	r[1].u.RopQueryRows.RowCount = 100;
	r[1].u.RopQueryRows.RowData = talloc_zero_array(mem, struct PropertyRow, 100);
	for (i = 0; i < 100; i++) {
		struct PropertyRow *row = &r[1].u.RopQueryRows.RowData[i];

		row->ValueCount = 5;
		row->Values = talloc_zero_array(mem, struct RowPropertyValue, 5);
		for (k = 0; k < 5; k++) {
			row->Values[k].Value.PropertyType = OXCDATA_PROP_TYPE(cols[k]);
		}
		row->Values[0].Value.u.d = 0x0001000000000000ULL + i;
		row->Values[1].Value.u.str = talloc_asprintf(mem, "Message subject number %u", i);
		row->Values[2].Value.u.l = 0x1;
		row->Values[3].Value.u.d = 0x01D9000000000000ULL;
		row->Values[4].Value.u.bin.cb = 22;
		row->Values[4].Value.u.bin.lpb = talloc_zero_array(mem, uint8_t, 22);
	}
	if (rop_buffer_encode_responses(mem, &resp, NULL, NULL, 0, resp_r, len_r, &n) != ROP_OK) {
		fprintf(stderr, "cannot build the QueryRows response\n");
		exit(1);
	}
	*req_r = req;
}

static uint8_t *load(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	uint8_t *buf = malloc(65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	static const char *const files[] = {
		"outlook2007_modifyrecipients.rop", "outlook2007_tables.rop",
	};
	unsigned iters = argc > 2 ? (unsigned)atoi(argv[2]) : 20000;
	TALLOC_CTX *mem = talloc_new(NULL);
	struct rop_buffer *req = NULL;
	uint8_t *resp = NULL;
	size_t i, len;
	uint32_t rops = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <data dir> [iterations]\n", argv[0]);
		return 1;
	}
	for (i = 0; i < 2; i++) {
		uint8_t *data = load(argv[1], files[i], &len);
		double base = bench_memcpy(data, len, iters);
		double t = bench_requests(data, len, iters, &rops);

		report(files[i], len, rops, iters, t, base);
		free(data);
	}
	make_queryrows(mem, &req, &resp, &len);
	{
		double base = bench_memcpy(resp, len, iters / 10);
		double t = bench_queryrows(resp, len, req, iters / 10);

		report("QueryRows response, 100 rows", len, 2, iters / 10, t, base);
	}
	talloc_free(mem);
	return 0;
}

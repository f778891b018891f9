/*
 * Unit tests of the ROP dispatcher and the EcDoRpcExt2 buffer path
 * (emsmdb_rop.h): framing, handle table in/out, RopRelease, errors for
 * unknown / unimplemented ROPs and bad handles, RopBufferTooSmall, and
 * the layout assumption the dispatcher makes about every response.
 */
#include "oc_test.h"

#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_rop_private.h"
#include "rop_private.h"
#include "rpcext.h"

static struct emsmdb_config test_cfg;

static struct emsmdb_session *new_session(void)
{
	struct emsmdb_session *s;

	emsmdb_config_default(&test_cfg);
	s = emsmdb_session_new(&test_cfg);
	assert_non_null(s);
	s->cpid = 1252;
	return s;
}

/* every response the dispatcher frames starts with the echoed index and
 * ReturnValue at the offsets of struct emsmdb_resp_head */
static void test_response_layout(void **state)
{
	unsigned id, rows = 0;

	for (id = 0; id < 256; id++) {
		const struct emsmdb_rop_row *row = &emsmdb_rop_table[id];
		const struct rop_info *info = &rop_info_table[id];

		if (row->unsupported == 0 && row->handler == NULL) {
			continue;
		}
		rows++;
		assert_non_null(info->pub.name);
		assert_true(info->pub.has_request);
		if (row->resp_index == EMSMDB_NO_INDEX) {
			assert_int_equal(id, RopRelease);
			continue;
		}
		assert_true(info->resp.nfields >= 2);
		assert_int_equal(info->resp.fields[0].offset, 0);
		assert_int_equal(info->resp.fields[0].type, RFT_U8);
		assert_string_equal(info->resp.fields[1].name, "ReturnValue");
		assert_int_equal(info->resp.fields[1].offset, 4);
	}
	/* every ROP of [MS-OXCROPS] 2.2 with a request has a row */
	for (id = 0; id < 256; id++) {
		if (rop_info_table[id].pub.name != NULL &&
		    rop_info_table[id].pub.has_request) {
			assert_true(emsmdb_rop_table[id].unsupported != 0 ||
				    emsmdb_rop_table[id].handler != NULL);
		}
	}
	assert_true(rows >= 128);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void test_unimplemented_and_release(void **state)
{
	struct emsmdb_session *s = new_session();
	/* RopRelease(handle 0), RopGetRulesTable(in 0, out 1) (its
	 * input handle released: ecNullObject), RopOpenFolder(in 0, out 1) on a handle that names
	 * nothing; a table of 2 */
	static const uint8_t in[] = {
		0x17, 0x00,
		0x01, 0x00, 0x00,
		0x3F, 0x00, 0x00, 0x01, 0x00,
		0x02, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0, 0, 0, 0, 0x00,
		0x78, 0x56, 0x34, 0x12, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	uint8_t *out;
	size_t n;

	assert_int_equal(emsmdb_rop_process(s, *state, in, sizeof(in), 0x8000,
					    &out, &n), ecSuccess);
	/* RopSize 14: two error responses (none for RopRelease); the
	 * handle table comes back as it was */
	assert_int_equal(n, 14 + 8);
	assert_int_equal(out[0], 14);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], RopGetRulesTable);
	assert_int_equal(out[3], 0x01);
	assert_int_equal(le32(out + 4), ecNullObject);
	assert_int_equal(out[8], RopOpenFolder);
	assert_int_equal(out[9], 0x01);
	assert_int_equal(le32(out + 10), ecNullObject);
	assert_int_equal(le32(out + 14), 0x12345678);
	assert_int_equal(le32(out + 18), 0xFFFFFFFF);
	talloc_free(out);
	emsmdb_session_free(s);
}

static void test_malformed(void **state)
{
	struct emsmdb_session *s = new_session();
	static const struct {
		uint8_t bytes[8];
		size_t len;
	} cases[] = {
		{ { 0x03, 0x00, 0x00 }, 3 },		/* RopId 0x00 is no ROP */
		{ { 0x03, 0x00, 0x2A }, 3 },		/* RopNotify has no request */
		{ { 0x05, 0x00, 0x02, 0x00, 0x00 }, 5 },	/* truncated RopOpenFolder */
		{ { 0x09, 0x00 }, 2 },			/* RopSize past the end */
		{ { 0x01, 0x00 }, 2 },			/* RopSize below 2 */
		{ { 0x02, 0x00, 0x01 }, 3 },		/* table not a multiple of 4 */
		{ { 0x00 }, 1 },			/* no RopSize */
	};
	uint8_t *out;
	size_t n, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(emsmdb_rop_process(s, *state, cases[i].bytes,
						    cases[i].len, 0x8000, &out, &n),
				 ecRpcFormat);
		assert_null(out);
		assert_int_equal(n, 0);
	}
	emsmdb_session_free(s);
}

/* 40 RopOpenFolder requests: when not even RopBufferTooSmall with the
 * unprocessed requests fits, the call fails ([MS-OXCROPS] 2.2.15.1) */
static void test_buffer_too_small(void **state)
{
	struct emsmdb_session *s = new_session();
	uint8_t in[2 + 40 * 13 + 8], *out;
	size_t n, off = 2, i;

	for (i = 0; i < 40; i++) {
		uint8_t rop[13] = { 0x02, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0, 0, 0, 0, 0 };

		memcpy(in + off, rop, sizeof(rop));
		off += sizeof(rop);
	}
	in[0] = off & 0xFF;
	in[1] = off >> 8;
	memset(in + off, 0xFF, 8);
	/* all 40 error responses (6 bytes each) fit in 2 + 240 + 8 */
	assert_int_equal(emsmdb_rop_process(s, *state, in, sizeof(in), 250, &out, &n),
			 ecSuccess);
	assert_int_equal(n, 250);
	talloc_free(out);
	assert_int_equal(emsmdb_rop_process(s, *state, in, sizeof(in), 249, &out, &n),
			 ecBufferTooSmall);
	assert_null(out);
	/* not even the handle table fits */
	assert_int_equal(emsmdb_rop_process(s, *state, in, sizeof(in), 8, &out, &n),
			 ecBufferTooSmall);
	emsmdb_session_free(s);
}

/* EcDoRpcExt2: compressed + obfuscated in, output framed as pulFlags say */
static void test_rpcext2_roundtrip(void **state)
{
	struct emsmdb_session *s = new_session();
	static const uint8_t rops[] = {
		0x0F, 0x00,
		0x02, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0, 0, 0, 0, 0x00,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	struct rpcext_build_opts opts = { .compress = true, .xor_magic = true };
	struct emsmdb_rpcext2_io io;
	uint8_t *in, *plain;
	size_t in_size, plain_size;

	assert_int_equal(rpcext_build(*state, rops, sizeof(rops), 0, 0x1000, &opts,
				      &in, &in_size), RPCEXT_OK);
	memset(&io, 0, sizeof(io));
	io.pulFlags = pulFlags_NoCompression | pulFlags_NoXorMagic;
	io.rgbIn = in;
	io.cbIn = in_size;
	io.cbOutMax = 0x8000;
	assert_int_equal(emsmdb_rpcext2(s, *state, &io), ecSuccess);
	assert_int_equal(io.pulFlagsOut, 0);
	/* not compressed, not obfuscated, Last */
	assert_int_equal(io.rgbOut[2], RHEF_Last);
	assert_int_equal(rpcext_parse_flat(*state, io.rgbOut, io.cbOut, NULL,
					   &plain, &plain_size), RPCEXT_OK);
	assert_int_equal(plain_size, 8 + 8);
	assert_int_equal(plain[2], RopOpenFolder);
	assert_int_equal(le32(plain + 4), ecNullObject);
	talloc_free(plain);
	talloc_free(io.rgbOut);

	/* obfuscation allowed: the payload is XORed ([MS-OXCRPC] 3.1.7.3) */
	io.pulFlags = pulFlags_NoCompression;
	assert_int_equal(emsmdb_rpcext2(s, *state, &io), ecSuccess);
	assert_int_equal(io.rgbOut[2], RHEF_Last | RHEF_XorMagic);
	assert_int_equal(io.rgbOut[8], 8 ^ 0xA5);
	talloc_free(io.rgbOut);

	/* malformed framing, tiny buffers */
	io.cbIn = 4;
	assert_int_equal(emsmdb_rpcext2(s, *state, &io), ecRpcFormat);
	io.cbIn = in_size;
	io.cbOutMax = 4;
	assert_int_equal(emsmdb_rpcext2(s, *state, &io), ecRpcFormat);
	assert_int_equal(io.cbOut, 0);
	io.cbOutMax = 12;
	assert_int_equal(emsmdb_rpcext2(s, *state, &io), ecBufferTooSmall);
	talloc_free(in);
	emsmdb_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_response_layout, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_unimplemented_and_release, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_too_small, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_rpcext2_roundtrip, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

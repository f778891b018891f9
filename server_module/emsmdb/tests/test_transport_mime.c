/*
 * emsmdb_mime.c: exact bytes of a plain message and of a multipart one
 * (alternative + attachment), RFC 2047 encoded-words (splitting on UTF-8
 * boundaries), header injection, quoted-printable line limits, RFC 2231
 * file names, the RFC 5322 date.
 */
#include "oc_test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emsmdb_mime.h"

static void test_plain_exact(void **state)
{
	static const struct emsmdb_mime_address to[] = { { "Bob", "bob@example.com" } };
	static const struct emsmdb_mime_address cc[] = { { NULL, "carol@example.com" },
		{ "Dave, Jr.", "dave@example.com" } };
	struct emsmdb_mime_message m = {
		.from = { "Alice", "alice@example.com" },
		.to = to, .to_count = 1, .cc = cc, .cc_count = 2,
		.subject = "Hello", .date = 0, .message_id = "1@ex",
		.body_text = "Hi Bob\n.dot line\n",
	};
	static const char expect[] =
		"From: Alice <alice@example.com>\r\n"
		"To: Bob <bob@example.com>\r\n"
		"Cc: carol@example.com, \"Dave, Jr.\" <dave@example.com>\r\n"
		"Subject: Hello\r\n"
		"Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"
		"Message-ID: <1@ex>\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: 7bit\r\n"
		"\r\n"
		"Hi Bob\r\n"
		".dot line\r\n";
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), 0);
	assert_int_equal(len, strlen(expect));
	assert_string_equal(out, expect);
	talloc_free(out);
}

static void test_multipart_exact(void **state)
{
	static const struct emsmdb_mime_address to[] = { { "Bob", "bob@example.com" } };
	static const uint8_t data[] = { 'a', 'b', 'c', 0x00, 0xFF };
	static const struct emsmdb_mime_attachment att[] = {
		{ "r\xc3\xa9sum\xc3\xa9.bin", NULL, data, sizeof(data) },
		{ "notes.txt", "text/plain", (const uint8_t *)"hello", 5 },
	};
	struct emsmdb_mime_message m = {
		.from = { "Alice", "alice@example.com" },
		.to = to, .to_count = 1,
		.subject = "Gr\xc3\xbc\xc3\x9f" "e", .date = 1800000000,
		.message_id = "2@ex",
		.body_text = "caf\xc3\xa9", .body_html = "<p>hi</p>",
		.attachments = att, .attachment_count = 2,
	};
	static const char expect[] =
		"From: Alice <alice@example.com>\r\n"
		"To: Bob <bob@example.com>\r\n"
		"Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"
		"Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"
		"Message-ID: <2@ex>\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"=_oc_mixed_%08x\"\r\n"
		"\r\n"
		"This is a multi-part message in MIME format.\r\n"
		"\r\n"
		"--=_oc_mixed_%08x\r\n"
		"Content-Type: multipart/alternative; boundary=\"=_oc_alt_%08x\"\r\n"
		"\r\n"
		"--=_oc_alt_%08x\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n"
		"\r\n"
		"caf=C3=A9\r\n"
		"\r\n"
		"--=_oc_alt_%08x\r\n"
		"Content-Type: text/html; charset=utf-8\r\n"
		"Content-Transfer-Encoding: 7bit\r\n"
		"\r\n"
		"<p>hi</p>\r\n"
		"\r\n"
		"--=_oc_alt_%08x--\r\n"
		"\r\n"
		"--=_oc_mixed_%08x\r\n"
		"Content-Type: application/octet-stream; name*=utf-8''r%%C3%%A9sum%%C3%%A9.bin\r\n"
		"Content-Disposition: attachment; filename*=utf-8''r%%C3%%A9sum%%C3%%A9.bin\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"YWJjAP8=\r\n"
		"\r\n"
		"--=_oc_mixed_%08x\r\n"
		"Content-Type: text/plain; name=\"notes.txt\"\r\n"
		"Content-Disposition: attachment; filename=\"notes.txt\"\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"aGVsbG8=\r\n"
		"\r\n"
		"--=_oc_mixed_%08x--\r\n";
	/* FNV-1a 32 of "2@ex" */
	uint32_t h = 2166136261u;
	const char *p;
	char *want, *out = NULL;
	size_t len = 0;

	for (p = "2@ex"; *p != '\0'; p++) {
		h = (h ^ (unsigned char)*p) * 16777619u;
	}
	want = talloc_asprintf(*state, expect, h, h, h, h, h, h, h, h, h);
	assert_non_null(want);
	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	talloc_free(out);
	talloc_free(want);
}

/* RFC 2047: words of at most 75 characters, never splitting a UTF-8 char */
static void test_encoded_words(void **state)
{
	char in[101], *out;
	int i;

	out = emsmdb_mime_header_text(*state, "plain ascii");
	assert_string_equal(out, "plain ascii");
	talloc_free(out);
	/* "=?" in ASCII text would read as an encoded-word: encode it */
	out = emsmdb_mime_header_text(*state, "a=?b");
	assert_string_equal(out, "=?UTF-8?B?YT0/Yg==?=");
	talloc_free(out);
	for (i = 0; i < 50; i++) {
		in[2 * i] = (char)0xC3;
		in[2 * i + 1] = (char)0xA9;
	}
	in[100] = '\0';
	out = emsmdb_mime_header_text(*state, in);
	assert_string_equal(out,
		"=?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
		" =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
		" =?UTF-8?B?w6nDqcOpw6nDqcOp?=");
	talloc_free(out);
}

/* CR / LF in header values cannot start a new header */
static void test_header_injection(void **state)
{
	static const struct emsmdb_mime_address to[] = {
		{ "Bob\r\nBcc: evil@example.com", "bob@example.com" } };
	struct emsmdb_mime_message m = {
		.from = { NULL, "alice@example.com" }, .to = to, .to_count = 1,
		.subject = "hi\r\nBcc: evil@example.com", .message_id = "3@ex",
		.body_text = "x",
	};
	char *out = NULL;
	size_t len;

	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), 0);
	assert_null(strstr(out, "\r\nBcc:"));
	assert_non_null(strstr(out, "Subject: hi  Bcc: evil@example.com\r\n"));
	assert_non_null(strstr(out, "From: alice@example.com\r\n"));
	talloc_free(out);
	/* a Message-ID that would break its header is refused */
	m.message_id = "a>\r\nX: y";
	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), EINVAL);
	m.message_id = "4@ex";
	m.from.address = NULL;
	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), EINVAL);
}

/* RFC 2045 6.7: lines at most 76 characters, '=' and trailing space encoded */
static void test_quoted_printable(void **state)
{
	struct emsmdb_mime_message m = {
		.from = { NULL, "a@example.com" }, .message_id = "5@ex",
	};
	char body[400], *out = NULL, *p, *line;
	size_t len;
	int i;

	for (i = 0; i < 300; i++) {
		body[i] = (char)('a' + i % 26);
	}
	memcpy(body + 300, " x=y \n", 7);
	m.body_text = body;
	assert_int_equal(emsmdb_mime_generate(*state, &m, &out, &len), 0);
	assert_non_null(strstr(out, "Content-Transfer-Encoding: quoted-printable"));
	assert_non_null(strstr(out, " x=3Dy=20\r\n"));
	p = strstr(out, "\r\n\r\n") + 4;
	for (line = p; *line != '\0'; ) {
		char *eol = strstr(line, "\r\n");

		assert_non_null(eol);
		assert_true(eol - line <= 76);
		line = eol + 2;
	}
	talloc_free(out);
}

static void test_dates(void **state)
{
	char *d = emsmdb_mime_date(*state, 951782400);	/* 2000-02-29 */

	assert_string_equal(d, "Tue, 29 Feb 2000 00:00:00 +0000");
	talloc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_exact, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_multipart_exact, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_encoded_words, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_header_injection, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_quoted_printable, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_dates, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

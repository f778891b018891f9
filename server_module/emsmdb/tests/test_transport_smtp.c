/*
 * emsmdb_smtp.c: the reply parser (table), dot-stuffing, host:port
 * parsing, and whole sessions against a scripted server on a socketpair
 * (a thread that checks every command and answers from a script):
 * success with one refused recipient, multi-line EHLO, HELO fallback,
 * 4xx MAIL FROM, a malformed greeting, a dropped connection, a timeout.
 */
#include "oc_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsmdb_smtp.h"

static const struct {
	const char *in;
	int ret;
	int code;
	size_t consumed;
} reply_cases[] = {
	{ "250 OK\r\n", 0, 250, 8 },
	{ "250\r\n", 0, 250, 5 },
	{ "250-a\r\n250-b\r\n250 c\r\nXYZ", 0, 250, 21 },
	{ "220 bare lf\n", 0, 220, 12 },
	{ "250-a\r\n250", EAGAIN, 0, 0 },
	{ "250 OK", EAGAIN, 0, 0 },
	{ "", EAGAIN, 0, 0 },
	{ "250-a\r\n251 b\r\n", EPROTO, 0, 0 },	/* codes differ */
	{ "25 x\r\n", EPROTO, 0, 0 },
	{ "650 x\r\n", EPROTO, 0, 0 },
	{ "2x0 x\r\n", EPROTO, 0, 0 },
	{ "250x\r\n", EPROTO, 0, 0 },
	{ "hello\r\n", EPROTO, 0, 0 },
};

static void test_reply_parse(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(reply_cases) / sizeof(reply_cases[0]); i++) {
		int code = 0;
		size_t used = 0;
		int ret = emsmdb_smtp_reply_parse(reply_cases[i].in,
						  strlen(reply_cases[i].in), &code, &used);

		assert_int_equal(ret, reply_cases[i].ret);
		if (ret == 0) {
			assert_int_equal(code, reply_cases[i].code);
			assert_int_equal(used, reply_cases[i].consumed);
		}
	}
}

static void test_reply_limits(void **state)
{
	char *big = talloc_zero_size(*state, 70 * 8 + 1);
	int code;
	size_t used, i;

	/* 65 continuation lines: more than 64 lines is malformed */
	for (i = 0; i < 70; i++) {
		memcpy(big + i * 8, "250-ab\r\n", 8);
	}
	assert_int_equal(emsmdb_smtp_reply_parse(big, strlen(big), &code, &used), EPROTO);
	talloc_free(big);
	big = talloc_zero_size(*state, 3000);
	memset(big, 'a', 2999);
	memcpy(big, "250 ", 4);
	assert_int_equal(emsmdb_smtp_reply_parse(big, strlen(big), &code, &used), EPROTO);
	talloc_free(big);
}

static const struct {
	const char *in;
	const char *out;
} stuff_cases[] = {
	{ "a\r\nb\r\n", "a\r\nb\r\n.\r\n" },
	{ ".a\r\n..b\r\nc.\r\n", "..a\r\n...b\r\nc.\r\n.\r\n" },
	{ "x\n.\ny", "x\r\n..\r\ny\r\n.\r\n" },
	{ "", ".\r\n" },
	{ "a\rb", "a\rb\r\n.\r\n" },
};

static void test_dot_stuff(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(stuff_cases) / sizeof(stuff_cases[0]); i++) {
		char *out = NULL;
		size_t len = 0;

		assert_int_equal(emsmdb_smtp_dot_stuff(*state, stuff_cases[i].in,
			strlen(stuff_cases[i].in), &out, &len), 0);
		assert_int_equal(len, strlen(stuff_cases[i].out));
		assert_string_equal(out, stuff_cases[i].out);
		talloc_free(out);
	}
}

static void test_hostport(void **state)
{
	char *host = NULL;
	uint16_t port = 0;

	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "mx.example.com", &host, &port), 0);
	assert_string_equal(host, "mx.example.com");
	assert_int_equal(port, 25);
	talloc_free(host);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "127.0.0.1:2525", &host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 2525);
	talloc_free(host);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "[::1]:587", &host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 587);
	talloc_free(host);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "", &host, &port), EINVAL);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, ":25", &host, &port), EINVAL);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "h:0", &host, &port), EINVAL);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "h:70000", &host, &port), EINVAL);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "h:2x", &host, &port), EINVAL);
	assert_int_equal(emsmdb_smtp_parse_hostport(*state, "[::1", &host, &port), EINVAL);
}

/* ---- the scripted server ---- */

struct step {
	const char *expect;	/* a command prefix; "<DATA>": the message; NULL: none */
	const char *reply;	/* NULL: close the connection; "": say nothing */
};

struct server {
	int fd;
	const struct step *steps;
	char data[4096];
	char failure[256];
};

static bool srv_line(int fd, char *buf, size_t max)
{
	size_t n = 0;

	while (n + 1 < max) {
		if (recv(fd, buf + n, 1, 0) != 1) {
			return false;
		}
		if (buf[n++] == '\n') {
			break;
		}
	}
	buf[n] = '\0';
	return true;
}

static void *srv_run(void *arg)
{
	struct server *s = arg;
	const struct step *st;
	char line[1024];

	for (st = s->steps; st->expect != NULL || st->reply != NULL; st++) {
		if (st->expect != NULL && strcmp(st->expect, "<DATA>") == 0) {
			size_t n = 0;

			while (srv_line(s->fd, line, sizeof(line))) {
				if (n + strlen(line) < sizeof(s->data)) {
					memcpy(s->data + n, line, strlen(line) + 1);
					n += strlen(line);
				}
				if (strcmp(line, ".\r\n") == 0) {
					break;
				}
			}
		} else if (st->expect != NULL) {
			if (!srv_line(s->fd, line, sizeof(line)) ||
			    strncmp(line, st->expect, strlen(st->expect)) != 0) {
				snprintf(s->failure, sizeof(s->failure),
					 "expected '%.60s', got '%.60s'", st->expect, line);
				break;
			}
		}
		if (st->reply == NULL) {
			shutdown(s->fd, SHUT_RDWR);
			break;
		}
		if (st->reply[0] != '\0' &&
		    send(s->fd, st->reply, strlen(st->reply), MSG_NOSIGNAL) < 0) {
			break;
		}
	}
	return NULL;
}

/* run one session against @steps */
static void session(TALLOC_CTX *mem, const struct step *steps, unsigned timeout_ms,
		    struct server *srv, struct emsmdb_smtp_result *res)
{
	static const char *const rcpts[] = { "bob@example.com", "nobody@example.com" };
	static const char data[] = "Subject: x\r\n\r\n.hidden\r\nend\r\n";
	struct emsmdb_smtp_envelope env = {
		.mail_from = "alice@example.com", .rcpt_to = rcpts, .rcpt_count = 2,
		.data = data, .data_len = sizeof(data) - 1,
	};
	pthread_t t;
	int sv[2];

	memset(srv, 0, sizeof(*srv));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	srv->fd = sv[1];
	srv->steps = steps;
	assert_int_equal(pthread_create(&t, NULL, srv_run, srv), 0);
	emsmdb_smtp_session(mem, sv[0], "oc.example.com", timeout_ms, &env, res);
	close(sv[0]);
	pthread_join(t, NULL);
	close(sv[1]);
}

static void test_session_ok(void **state)
{
	static const struct step steps[] = {
		{ NULL, "220 mx ESMTP\r\n" },
		{ "EHLO oc.example.com\r\n", "250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n" },
		{ "MAIL FROM:<alice@example.com>\r\n", "250 ok\r\n" },
		{ "RCPT TO:<bob@example.com>\r\n", "250 ok\r\n" },
		{ "RCPT TO:<nobody@example.com>\r\n", "550 5.1.1 no such user\r\n" },
		{ "DATA\r\n", "354 go ahead\r\n" },
		{ "<DATA>", "250 2.0.0 queued as X\r\n" },
		{ "QUIT\r\n", "221 bye\r\n" },
		{ NULL, NULL },
	};
	struct server srv;
	struct emsmdb_smtp_result res;

	session(*state, steps, 2000, &srv, &res);
	assert_string_equal(srv.failure, "");
	assert_int_equal(res.status, EMSMDB_SMTP_OK);
	assert_int_equal(res.accepted, 1);
	assert_int_equal(res.rcpt_code[0], 250);
	assert_int_equal(res.rcpt_code[1], 550);
	assert_int_equal(res.code, 250);
	assert_string_equal(res.text, "250 2.0.0 queued as X");
	/* the leading dot of ".hidden" is doubled on the wire */
	assert_string_equal(srv.data, "Subject: x\r\n\r\n..hidden\r\nend\r\n.\r\n");
	talloc_free(res.rcpt_code);
	talloc_free(res.text);
}

static void test_session_helo_fallback(void **state)
{
	static const struct step steps[] = {
		{ NULL, "220 old\r\n" },
		{ "EHLO ", "502 what?\r\n" },
		{ "HELO oc.example.com\r\n", "250 hi\r\n" },
		{ "MAIL FROM:", "250 ok\r\n" },
		{ "RCPT TO:", "251 forwarded\r\n" },
		{ "RCPT TO:", "250 ok\r\n" },
		{ "DATA\r\n", "354 go\r\n" },
		{ "<DATA>", "250 ok\r\n" },
		{ "QUIT\r\n", "221 bye\r\n" },
		{ NULL, NULL },
	};
	struct server srv;
	struct emsmdb_smtp_result res;

	session(*state, steps, 2000, &srv, &res);
	assert_string_equal(srv.failure, "");
	assert_int_equal(res.status, EMSMDB_SMTP_OK);
	assert_int_equal(res.accepted, 2);
	assert_int_equal(res.rcpt_code[0], 251);
	talloc_free(res.rcpt_code);
	talloc_free(res.text);
}

/* table: a refusal, a bad reply, a drop, silence */
static const struct {
	const char *name;
	struct step steps[7];	/* ends with { NULL, NULL } */
	enum emsmdb_smtp_status status;
	int code;
} failure_cases[] = {
	{ "4xx MAIL FROM", { { NULL, "220 mx\r\n" }, { "EHLO", "250 mx\r\n" },
	  { "MAIL FROM:", "451 try later\r\n" }, { "QUIT", "221 bye\r\n" },
	  { NULL, NULL } }, EMSMDB_SMTP_TEMPFAIL, 451 },
	{ "every RCPT refused", { { NULL, "220 mx\r\n" }, { "EHLO", "250 mx\r\n" },
	  { "MAIL FROM:", "250 ok\r\n" }, { "RCPT", "550 no\r\n" },
	  { "RCPT", "553 no\r\n" }, { "QUIT", "221 bye\r\n" } },
	  EMSMDB_SMTP_PERMFAIL, 553 },
	{ "malformed greeting", { { NULL, "hello there\r\n" }, { NULL, NULL } },
	  EMSMDB_SMTP_PROTOCOL, 0 },
	{ "554 greeting", { { NULL, "554 go away\r\n" }, { "QUIT", "221 bye\r\n" },
	  { NULL, NULL } }, EMSMDB_SMTP_PERMFAIL, 554 },
	{ "dropped", { { NULL, "220 mx\r\n" }, { "EHLO", NULL } },
	  EMSMDB_SMTP_IOERROR, 220 },
	{ "silent", { { NULL, "220 mx\r\n" }, { "EHLO", "" }, { NULL, NULL } },
	  EMSMDB_SMTP_IOERROR, 220 },
};

static void test_session_failures(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(failure_cases) / sizeof(failure_cases[0]); i++) {
		TALLOC_CTX *mem = talloc_new(*state);
		struct server srv;
		struct emsmdb_smtp_result res;

		session(mem, failure_cases[i].steps, 300, &srv, &res);
		if (res.status != failure_cases[i].status ||
		    res.code != failure_cases[i].code) {
			fail_msg("%s: status %d code %d", failure_cases[i].name,
				 (int)res.status, res.code);
		}
		assert_non_null(res.text);
		talloc_free(mem);
	}
}

static void test_invalid_envelope(void **state)
{
	static const char *const rcpts[] = { "bob@example.com>\r\nRCPT TO:<x" };
	const char *rcpts_ok[1];
	struct emsmdb_smtp_envelope env = {
		.mail_from = "a@example.com", .rcpt_to = rcpts, .rcpt_count = 1,
		.data = "x", .data_len = 1,
	};
	struct emsmdb_smtp_result res;

	/* refused before a byte is written: fd -1 is never touched */
	emsmdb_smtp_session(*state, -1, "h", 100, &env, &res);
	assert_int_equal(res.status, EMSMDB_SMTP_INVALID);
	talloc_free(res.rcpt_code);
	/* nothing listens on port 1 */
	rcpts_ok[0] = "b@example.com";
	env.rcpt_to = rcpts_ok;
	emsmdb_smtp_send(*state, "127.0.0.1:1", "h", 500, &env, &res);
	assert_int_equal(res.status, EMSMDB_SMTP_IOERROR);
	talloc_free(res.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reply_parse, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_reply_limits, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_dot_stuff, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hostport, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_session_ok, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_session_helo_fallback, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_session_failures, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_envelope, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

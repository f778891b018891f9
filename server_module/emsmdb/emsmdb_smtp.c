/*
 * The SMTP client of the transport (contract in emsmdb_smtp.h), [RFC 5321]
 * 3.3 (mail transaction), 4.1.1 (commands), 4.2 (replies), 4.5.2
 * (transparency), 4.5.3.2 (timeouts: we use one bound for every wait).
 */
#include "emsmdb_smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SMTP_MAX_LINE 2048
#define SMTP_MAX_LINES 64
#define SMTP_MAX_REPLY (SMTP_MAX_LINE * SMTP_MAX_LINES)

int emsmdb_smtp_reply_parse(const char *buf, size_t len, int *code_r,
			    size_t *consumed_r)
{
	size_t pos = 0;
	unsigned lines = 0;
	int code = -1;

	for (;;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t line_len;
		char sep;
		int c;

		if (nl == NULL) {
			/* no end of line yet: more to come, unless it is too long */
			return len - pos > SMTP_MAX_LINE ? EPROTO : EAGAIN;
		}
		line_len = (size_t)(nl - (buf + pos));
		if (line_len > SMTP_MAX_LINE || ++lines > SMTP_MAX_LINES) {
			return EPROTO;
		}
		if (line_len > 0 && buf[pos + line_len - 1] == '\r') {
			line_len--;
		}
		if (line_len < 3 || buf[pos] < '2' || buf[pos] > '5' ||
		    buf[pos + 1] < '0' || buf[pos + 1] > '5' ||
		    buf[pos + 2] < '0' || buf[pos + 2] > '9') {
			return EPROTO;
		}
		c = (buf[pos] - '0') * 100 + (buf[pos + 1] - '0') * 10 +
		    (buf[pos + 2] - '0');
		if (code != -1 && c != code) {
			return EPROTO;	/* 4.2.1: one code for every line */
		}
		code = c;
		sep = line_len > 3 ? buf[pos + 3] : ' ';
		if (sep != ' ' && sep != '-') {
			return EPROTO;
		}
		pos = (size_t)(nl - buf) + 1;
		if (sep == ' ') {
			*code_r = code;
			*consumed_r = pos;
			return 0;
		}
	}
}

int emsmdb_smtp_dot_stuff(TALLOC_CTX *mem_ctx, const char *data, size_t len,
			  char **out_r, size_t *out_len_r)
{
	/* worst case: every byte a LF that becomes ".\r\n"-ish: 3x, plus tail */
	char *out = talloc_array(mem_ctx, char, len * 3 + 6);
	size_t i, o = 0;
	bool bol = true;

	if (out == NULL) {
		return ENOMEM;
	}
	for (i = 0; i < len; i++) {
		char c = data[i];

		if (bol && c == '.') {
			out[o++] = '.';
		}
		if (c == '\r' && i + 1 < len && data[i + 1] == '\n') {
			continue;	/* the LF writes the CRLF */
		}
		if (c == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
			bol = true;
			continue;
		}
		out[o++] = c;
		bol = false;
	}
	if (!bol) {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	memcpy(out + o, ".\r\n", 3);
	o += 3;
	out[o] = '\0';
	*out_r = out;
	*out_len_r = o;
	return 0;
}

/* ---- I/O with a timeout on every wait ---- */

struct smtp_conn {
	int fd;
	unsigned timeout_ms;
	char buf[SMTP_MAX_REPLY];
	size_t len;
};

static bool smtp_wait(struct smtp_conn *c, short events)
{
	struct pollfd p = { .fd = c->fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, (int)c->timeout_ms);
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

static bool smtp_write(struct smtp_conn *c, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w;

		if (!smtp_wait(c, POLLOUT)) {
			return false;
		}
		w = send(c->fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (w <= 0) {
			return false;
		}
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* read one reply; record it in @res. false on I/O or protocol error */
static bool smtp_reply(TALLOC_CTX *mem_ctx, struct smtp_conn *c,
		       struct emsmdb_smtp_result *res)
{
	size_t used = 0;
	int code = 0, ret;

	for (;;) {
		ssize_t r;

		ret = emsmdb_smtp_reply_parse(c->buf, c->len, &code, &used);
		if (ret == 0) {
			break;
		}
		if (ret != EAGAIN || c->len == sizeof(c->buf)) {
			res->status = EMSMDB_SMTP_PROTOCOL;
			res->text = talloc_strdup(mem_ctx, "malformed SMTP reply");
			return false;
		}
		if (!smtp_wait(c, POLLIN)) {
			res->status = EMSMDB_SMTP_IOERROR;
			res->text = talloc_strdup(mem_ctx, "timeout waiting for the SMTP server");
			return false;
		}
		r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (r <= 0) {
			res->status = EMSMDB_SMTP_IOERROR;
			res->text = talloc_strdup(mem_ctx, "connection closed by the SMTP server");
			return false;
		}
		c->len += (size_t)r;
	}
	res->code = code;
	talloc_free(res->text);
	/* the last line's text, without CRLF, for logs and reports */
	{
		size_t end = used, start;

		while (end > 0 && (c->buf[end - 1] == '\n' || c->buf[end - 1] == '\r')) {
			end--;
		}
		start = end;
		while (start > 0 && c->buf[start - 1] != '\n') {
			start--;
		}
		res->text = talloc_strndup(mem_ctx, c->buf + start, end - start);
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return true;
}

/* send @cmd, read the reply; true when its code is one of @ok1 / @ok2 */
static bool smtp_cmd(TALLOC_CTX *mem_ctx, struct smtp_conn *c, const char *cmd,
		     int ok1, int ok2, struct emsmdb_smtp_result *res)
{
	if (cmd != NULL && !smtp_write(c, cmd, strlen(cmd))) {
		res->status = EMSMDB_SMTP_IOERROR;
		talloc_free(res->text);
		res->text = talloc_strdup(mem_ctx, "cannot write to the SMTP server");
		return false;
	}
	if (!smtp_reply(mem_ctx, c, res)) {
		return false;
	}
	if (res->code == ok1 || res->code == ok2) {
		return true;
	}
	res->status = res->code >= 500 ? EMSMDB_SMTP_PERMFAIL :
		      res->code >= 400 ? EMSMDB_SMTP_TEMPFAIL : EMSMDB_SMTP_PROTOCOL;
	return false;
}

static bool smtp_addr_ok(const char *a)
{
	return a != NULL && strpbrk(a, "\r\n<>") == NULL && strlen(a) < 512;
}

void emsmdb_smtp_session(TALLOC_CTX *mem_ctx, int fd, const char *helo_name,
			 unsigned timeout_ms, const struct emsmdb_smtp_envelope *env,
			 struct emsmdb_smtp_result *res)
{
	struct smtp_conn *c = talloc_zero(mem_ctx, struct smtp_conn);
	char *cmd, *data = NULL;
	size_t data_len = 0;
	uint32_t i;

	memset(res, 0, sizeof(*res));
	res->rcpt_code = talloc_zero_array(mem_ctx, int, env->rcpt_count + 1);
	if (c == NULL || res->rcpt_code == NULL) {
		res->status = EMSMDB_SMTP_NOMEM;
		talloc_free(c);
		return;
	}
	c->fd = fd;
	c->timeout_ms = timeout_ms;
	if (!smtp_addr_ok(env->mail_from) || helo_name == NULL ||
	    strpbrk(helo_name, "\r\n") != NULL || env->rcpt_count == 0) {
		res->status = EMSMDB_SMTP_INVALID;
		goto done;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		if (!smtp_addr_ok(env->rcpt_to[i])) {
			res->status = EMSMDB_SMTP_INVALID;
			goto done;
		}
	}
	if (emsmdb_smtp_dot_stuff(c, env->data, env->data_len, &data, &data_len) != 0) {
		res->status = EMSMDB_SMTP_NOMEM;
		goto done;
	}
	/* 3.1: the greeting; 4.1.1.1: EHLO, HELO for an older server */
	if (!smtp_cmd(mem_ctx, c, NULL, 220, 220, res)) {
		goto refused;
	}
	cmd = talloc_asprintf(c, "EHLO %s\r\n", helo_name);
	if (cmd == NULL) {
		res->status = EMSMDB_SMTP_NOMEM;
		goto done;
	}
	if (!smtp_cmd(mem_ctx, c, cmd, 250, 250, res)) {
		if (res->code < 500) {
			goto refused;
		}
		res->status = EMSMDB_SMTP_OK;
		cmd = talloc_asprintf(c, "HELO %s\r\n", helo_name);
		if (cmd == NULL || !smtp_cmd(mem_ctx, c, cmd, 250, 250, res)) {
			goto quit;
		}
	}
	cmd = talloc_asprintf(c, "MAIL FROM:<%s>\r\n", env->mail_from);
	if (cmd == NULL || !smtp_cmd(mem_ctx, c, cmd, 250, 250, res)) {
		goto quit;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		cmd = talloc_asprintf(c, "RCPT TO:<%s>\r\n", env->rcpt_to[i]);
		if (cmd == NULL) {
			res->status = EMSMDB_SMTP_NOMEM;
			goto quit;
		}
		if (smtp_cmd(mem_ctx, c, cmd, 250, 251, res)) {
			res->accepted++;
		} else if (res->status == EMSMDB_SMTP_IOERROR ||
			   res->status == EMSMDB_SMTP_PROTOCOL) {
			goto done;
		}
		res->rcpt_code[i] = res->code;
	}
	if (res->accepted == 0) {
		goto quit;	/* status: the last refusal's */
	}
	res->status = EMSMDB_SMTP_OK;
	if (!smtp_cmd(mem_ctx, c, "DATA\r\n", 354, 354, res)) {
		goto quit;
	}
	if (!smtp_write(c, data, data_len)) {
		res->status = EMSMDB_SMTP_IOERROR;
		goto done;
	}
	if (!smtp_cmd(mem_ctx, c, NULL, 250, 250, res)) {
		goto quit;
	}
refused:
	/* a 4xx / 5xx answer still gets a QUIT; a broken connection does not */
	if (res->status == EMSMDB_SMTP_IOERROR || res->status == EMSMDB_SMTP_PROTOCOL) {
		goto done;
	}
quit:
	/* 4.1.1.10: QUIT; the message's fate is already decided */
	if (smtp_write(c, "QUIT\r\n", 6)) {
		struct emsmdb_smtp_result q = { 0 };

		smtp_reply(c, c, &q);
	}
done:
	talloc_free(c);
}

int emsmdb_smtp_parse_hostport(TALLOC_CTX *mem_ctx, const char *smarthost,
			       char **host_r, uint16_t *port_r)
{
	const char *colon = NULL, *end;
	char *host;
	long port = 25;

	if (smarthost == NULL || smarthost[0] == '\0') {
		return EINVAL;
	}
	if (smarthost[0] == '[') {
		end = strchr(smarthost, ']');
		if (end == NULL || end == smarthost + 1) {
			return EINVAL;
		}
		host = talloc_strndup(mem_ctx, smarthost + 1, (size_t)(end - smarthost - 1));
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL) {
			talloc_free(host);
			return EINVAL;
		}
	} else {
		colon = strrchr(smarthost, ':');
		if (colon == smarthost) {
			return EINVAL;
		}
		host = colon != NULL ?
			talloc_strndup(mem_ctx, smarthost, (size_t)(colon - smarthost)) :
			talloc_strdup(mem_ctx, smarthost);
	}
	if (host == NULL) {
		return ENOMEM;
	}
	if (colon != NULL) {
		char *e = NULL;

		port = strtol(colon + 1, &e, 10);
		if (colon[1] == '\0' || *e != '\0' || port < 1 || port > 65535) {
			talloc_free(host);
			return EINVAL;
		}
	}
	*host_r = host;
	*port_r = (uint16_t)port;
	return 0;
}

/* a non-blocking connect bounded by @timeout_ms; -1 on failure */
static int smtp_connect(const char *host, uint16_t port, unsigned timeout_ms)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL, *a;
	char service[8];
	int fd = -1;

	snprintf(service, sizeof(service), "%u", (unsigned)port);
	if (getaddrinfo(host, service, &hints, &ai) != 0) {
		return -1;
	}
	for (a = ai; a != NULL; a = a->ai_next) {
		struct pollfd p;
		int err = 0;
		socklen_t elen = sizeof(err);

		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    a->ai_protocol);
		if (fd < 0) {
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
			break;
		}
		if (errno == EINPROGRESS) {
			p.fd = fd;
			p.events = POLLOUT;
			if (poll(&p, 1, (int)timeout_ms) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 &&
			    err == 0) {
				break;
			}
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

void emsmdb_smtp_send(TALLOC_CTX *mem_ctx, const char *smarthost,
		      const char *helo_name, unsigned timeout_ms,
		      const struct emsmdb_smtp_envelope *env,
		      struct emsmdb_smtp_result *res)
{
	char *host = NULL;
	uint16_t port = 25;
	int fd;

	memset(res, 0, sizeof(*res));
	if (emsmdb_smtp_parse_hostport(mem_ctx, smarthost, &host, &port) != 0) {
		res->status = EMSMDB_SMTP_INVALID;
		res->text = talloc_asprintf(mem_ctx, "bad smarthost '%s'",
					    smarthost ? smarthost : "");
		return;
	}
	fd = smtp_connect(host, port, timeout_ms);
	if (fd < 0) {
		res->status = EMSMDB_SMTP_IOERROR;
		res->text = talloc_asprintf(mem_ctx, "cannot connect to %s port %u",
					    host, (unsigned)port);
		talloc_free(host);
		return;
	}
	talloc_free(host);
	emsmdb_smtp_session(mem_ctx, fd, helo_name, timeout_ms, env, res);
	close(fd);
}

/*
 * A small SMTP client ([RFC 5321]) for the transport's smarthost relay
 * (smb.conf mapiproxy:smtp_smarthost, doc/transport.md): plain TCP, EHLO
 * (HELO when EHLO is refused), MAIL FROM, RCPT TO per recipient, DATA with
 * dot-stuffing (RFC 5321 4.5.2), QUIT. Every reply is read and checked;
 * every read and write has a timeout. No TLS, no AUTH, no pipelining.
 *
 * Blocking: call it on a worker thread, never on the event loop.
 */
#ifndef EMSMDB_SMTP_H
#define EMSMDB_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

/** Outcome of a session, worst first for the caller's purposes. */
enum emsmdb_smtp_status {
	EMSMDB_SMTP_OK = 0,		/* accepted for every accepted recipient */
	EMSMDB_SMTP_TEMPFAIL,		/* a 4xx reply: try again later */
	EMSMDB_SMTP_PERMFAIL,		/* a 5xx reply: will never work */
	EMSMDB_SMTP_IOERROR,		/* connect, read, write failed or timed out */
	EMSMDB_SMTP_PROTOCOL,		/* a malformed or unexpected reply */
	EMSMDB_SMTP_NOMEM,
	EMSMDB_SMTP_INVALID,		/* bad arguments (address with CR, LF, <, >) */
};

/** What to send. Addresses are bare addr-specs ("a@example.com"). */
struct emsmdb_smtp_envelope {
	const char *mail_from;		/* "" for the null reverse-path */
	const char *const *rcpt_to;
	uint32_t rcpt_count;
	const char *data;		/* the RFC 5322 message, CRLF lines */
	size_t data_len;
};

/** What happened. Arrays and text are allocated on the mem_ctx given. */
struct emsmdb_smtp_result {
	enum emsmdb_smtp_status status;
	int code;			/* last reply code seen (0: none) */
	char *text;			/* last reply's text, or what failed */
	int *rcpt_code;			/* RCPT TO reply per recipient (0: not sent) */
	uint32_t accepted;		/* recipients the server accepted */
};

/**
 * Run one SMTP transaction on connected socket @p fd (not closed here).
 * @p helo_name is the EHLO argument; @p timeout_ms bounds each wait.
 * Status OK means the server took responsibility for the message for
 * every recipient with rcpt_code 250 / 251; the others were refused.
 */
void emsmdb_smtp_session(TALLOC_CTX *mem_ctx, int fd, const char *helo_name,
			 unsigned timeout_ms, const struct emsmdb_smtp_envelope *env,
			 struct emsmdb_smtp_result *res);

/**
 * Connect to @p smarthost ("host", "host:port", "[v6addr]:port"; port 25
 * by default) within @p timeout_ms and run emsmdb_smtp_session().
 */
void emsmdb_smtp_send(TALLOC_CTX *mem_ctx, const char *smarthost,
		      const char *helo_name, unsigned timeout_ms,
		      const struct emsmdb_smtp_envelope *env,
		      struct emsmdb_smtp_result *res);

/**
 * Split "host[:port]" / "[v6]:port". @return 0, or EINVAL for an empty
 * host or a port outside 1..65535. @p host_r on @p mem_ctx.
 */
int emsmdb_smtp_parse_hostport(TALLOC_CTX *mem_ctx, const char *smarthost,
			       char **host_r, uint16_t *port_r);

/**
 * Parse one complete SMTP reply ([RFC 5321] 4.2: "ddd-text" lines then
 * "ddd text" or "ddd"; every line the same code; lines end in CRLF, a bare
 * LF is accepted) at the start of @p buf.
 * @return 0 with *@p code_r and *@p consumed_r (bytes of the reply) set;
 *         EAGAIN if @p buf holds only part of a reply; EPROTO if malformed
 *         (or a line longer than 2048 bytes, or more than 64 lines).
 */
int emsmdb_smtp_reply_parse(const char *buf, size_t len, int *code_r,
			    size_t *consumed_r);

/**
 * [RFC 5321] 4.5.2 transparency: a '.' that starts a line is doubled;
 * lines end in CRLF (a bare LF becomes CRLF); the result ends with the
 * end-of-data line "CRLF.CRLF". On @p mem_ctx. @return 0 or ENOMEM.
 */
int emsmdb_smtp_dot_stuff(TALLOC_CTX *mem_ctx, const char *data, size_t len,
			  char **out_r, size_t *out_len_r);

#endif /* EMSMDB_SMTP_H */

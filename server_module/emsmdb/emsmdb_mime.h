/*
 * RFC 5322 / MIME (RFC 2045, 2046, 2047, 2231) generation of a submitted
 * message for the SMTP smarthost ([MS-OXOMSG] 3.2.5.1: the server's
 * transport sends what the client submitted). Samba-free and
 * mapistore-free: the caller (emsmdb_transport_relay.c) fills a plain
 * description from the message's properties.
 *
 * The output is deterministic for a given input (boundaries derive from
 * the Message-ID), so tests compare exact bytes.
 */
#ifndef EMSMDB_MIME_H
#define EMSMDB_MIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <talloc.h>

/** A mailbox: display name (UTF-8, may be NULL) and addr-spec. */
struct emsmdb_mime_address {
	const char *display_name;
	const char *address;
};

/** An attachment: sent base64-encoded as its own part. */
struct emsmdb_mime_attachment {
	const char *filename;		/* UTF-8; NULL: "attachment" */
	const char *mime_type;		/* NULL: application/octet-stream */
	const uint8_t *data;
	size_t length;
};

/** What goes into the message. Bcc recipients are not listed here: they
 *  are envelope recipients only (RFC 5322 3.6.3). */
struct emsmdb_mime_message {
	struct emsmdb_mime_address from;	/* the sender's SMTP address */
	const struct emsmdb_mime_address *to;
	uint32_t to_count;
	const struct emsmdb_mime_address *cc;
	uint32_t cc_count;
	const char *subject;		/* UTF-8, NULL: no Subject */
	time_t date;			/* Date:, written in UTC */
	const char *message_id;		/* "id@host", without angle brackets */
	const char *body_text;		/* text/plain, UTF-8, NULL: empty */
	const char *body_html;		/* text/html, NULL: none */
	const struct emsmdb_mime_attachment *attachments;
	uint32_t attachment_count;
};

/**
 * Build the RFC 5322 message: From, To, Cc, Subject (RFC 2047 B-encoded
 * UTF-8 when not ASCII), Date, Message-ID, MIME-Version, then a
 * text/plain body, multipart/alternative when body_html is set, wrapped
 * in multipart/mixed when there are attachments. Lines end in CRLF; CR
 * and LF inside header values become spaces (no header injection).
 *
 * @param mem_ctx  parent of *@p out_r
 * @param out_r    the message, NUL-terminated (length in *@p len_r)
 * @return 0, or ENOMEM / EINVAL (no From address, no Message-ID).
 */
int emsmdb_mime_generate(TALLOC_CTX *mem_ctx, const struct emsmdb_mime_message *msg,
			 char **out_r, size_t *len_r);

/**
 * A header text as RFC 2047 encoded-words ("=?UTF-8?B?...?="), each at
 * most 75 characters, separated by CRLF SP; printable ASCII text
 * (tab allowed) of at most 900 characters without "=?" comes back
 * unchanged. On @p mem_ctx; NULL on allocation failure.
 */
char *emsmdb_mime_header_text(TALLOC_CTX *mem_ctx, const char *utf8);

/** RFC 5322 3.3 date-time of @p t in UTC ("Tue, 1 Dec 2026 10:00:00 +0000"). */
char *emsmdb_mime_date(TALLOC_CTX *mem_ctx, time_t t);

#endif /* EMSMDB_MIME_H */

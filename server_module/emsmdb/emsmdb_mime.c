/*
 * RFC 5322 / MIME generation (contract in emsmdb_mime.h). RFC 5322 3.6
 * header fields, RFC 2045 6.7 quoted-printable and 6.8 base64, RFC 2046
 * 5.1 multipart boundaries, RFC 2047 encoded-words, RFC 2231 parameter
 * values for non-ASCII file names.
 */
#include "emsmdb_mime.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* a growable output buffer; an allocation failure sticks (oom) */
struct mime_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct mime_buf *b, const char *s, size_t n)
{
	if (b->oom) {
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		p = talloc_realloc(NULL, b->p, char, cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct mime_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static bool is_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80) {
			return false;
		}
	}
	return true;
}

/* printable ASCII or tab, short enough for one header line (RFC 5322
 * 2.1.1: 998 characters; we leave room for the field name) */
static bool header_safe(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++) {
		if (((unsigned char)*s < 0x20 && *s != '\t') || (unsigned char)*s >= 0x7F) {
			return false;
		}
	}
	return n <= 900;
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of @n bytes, no line breaks */
static void buf_b64(struct mime_buf *b, const uint8_t *d, size_t n)
{
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = b64[d[i] >> 2];
		q[1] = b64[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = b64[((d[i + 1] & 0xF) << 2) | (d[i + 2] >> 6)];
		q[3] = b64[d[i + 2] & 0x3F];
		buf_add(b, q, 4);
	}
	if (n - i == 1) {
		q[0] = b64[d[i] >> 2];
		q[1] = b64[(d[i] & 3) << 4];
		q[2] = q[3] = '=';
		buf_add(b, q, 4);
	} else if (n - i == 2) {
		q[0] = b64[d[i] >> 2];
		q[1] = b64[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = b64[(d[i + 1] & 0xF) << 2];
		q[3] = '=';
		buf_add(b, q, 4);
	}
}

/* RFC 2045 6.8: base64 in lines of 76 characters (57 input bytes) */
static void buf_b64_lines(struct mime_buf *b, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 57) {
		buf_b64(b, d + i, n - i < 57 ? n - i : 57);
		buf_str(b, "\r\n");
	}
}

/* a header value with CR / LF turned into spaces (no header injection) */
static char *header_clean(TALLOC_CTX *mem_ctx, const char *s)
{
	char *c = talloc_strdup(mem_ctx, s != NULL ? s : "");
	char *p;

	for (p = c; p != NULL && *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n') {
			*p = ' ';
		}
	}
	return c;
}

char *emsmdb_mime_header_text(TALLOC_CTX *mem_ctx, const char *utf8)
{
	struct mime_buf b = { 0 };
	const uint8_t *s = (const uint8_t *)utf8;
	size_t n = strlen(utf8), i = 0;
	char *out;

	if (header_safe(utf8) && strstr(utf8, "=?") == NULL) {
		return talloc_strdup(mem_ctx, utf8);
	}
	/* 45 bytes -> 60 base64 characters + 12 = 72 <= 75 (RFC 2047 2);
	 * never split a UTF-8 sequence (RFC 2047 5) */
	while (i < n) {
		size_t chunk = n - i < 45 ? n - i : 45;

		while (i + chunk < n && chunk > 0 && (s[i + chunk] & 0xC0) == 0x80) {
			chunk--;
		}
		if (chunk == 0) {
			chunk = n - i < 45 ? n - i : 45;
		}
		if (i > 0) {
			buf_str(&b, "\r\n ");
		}
		buf_str(&b, "=?UTF-8?B?");
		buf_b64(&b, s + i, chunk);
		buf_str(&b, "?=");
		i += chunk;
	}
	if (b.oom) {
		talloc_free(b.p);
		return NULL;
	}
	out = talloc_strdup(mem_ctx, b.p != NULL ? b.p : "");
	talloc_free(b.p);
	return out;
}

char *emsmdb_mime_date(TALLOC_CTX *mem_ctx, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
					    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		return NULL;
	}
	return talloc_asprintf(mem_ctx, "%s, %d %s %04d %02d:%02d:%02d +0000",
			       days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
			       tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* RFC 5322 3.2.3 atext plus space: a display name that needs no quotes */
static bool is_plain_phrase(const char *s)
{
	static const char specials[] = "()<>[]:;@\\,.\"";

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F ||
		    strchr(specials, *s) != NULL) {
			return false;
		}
	}
	return true;
}

/* "Name <addr>", "\"Na,me\" <addr>", "=?UTF-8?B?...?= <addr>" or "addr" */
static char *mime_mailbox(TALLOC_CTX *mem_ctx, const struct emsmdb_mime_address *a)
{
	char *addr = header_clean(mem_ctx, a->address), *name, *q, *p;

	if (addr == NULL || a->display_name == NULL || a->display_name[0] == '\0') {
		return addr;
	}
	name = header_clean(mem_ctx, a->display_name);
	if (name == NULL) {
		return NULL;
	}
	if (!header_safe(name) || strstr(name, "=?") != NULL) {
		q = emsmdb_mime_header_text(mem_ctx, name);
	} else if (is_plain_phrase(name)) {
		q = name;
	} else {
		/* RFC 5322 3.2.4 quoted-string: escape '"' and '\' */
		q = talloc_strdup(mem_ctx, "\"");
		for (p = name; q != NULL && *p != '\0'; p++) {
			q = talloc_asprintf_append_buffer(q, "%s%c",
				(*p == '"' || *p == '\\') ? "\\" : "", *p);
		}
		q = q != NULL ? talloc_strdup_append_buffer(q, "\"") : NULL;
	}
	return q != NULL ? talloc_asprintf(mem_ctx, "%s <%s>", q, addr) : NULL;
}

/* "To: a, b" folded before an address that would pass 76 characters */
static void mime_address_header(struct mime_buf *b, TALLOC_CTX *tmp,
				const char *field,
				const struct emsmdb_mime_address *list, uint32_t n)
{
	size_t line;
	uint32_t i;

	if (n == 0) {
		return;
	}
	buf_str(b, field);
	buf_str(b, ": ");
	line = strlen(field) + 2;
	for (i = 0; i < n; i++) {
		char *m = mime_mailbox(tmp, &list[i]);

		if (m == NULL) {
			b->oom = true;
			return;
		}
		if (i > 0) {
			buf_str(b, ",");
			line++;
			if (line + 1 + strlen(m) > 76) {
				buf_str(b, "\r\n");
				line = 0;
			}
			buf_str(b, " ");
			line++;
		}
		buf_str(b, m);
		line += strlen(m);
	}
	buf_str(b, "\r\n");
}

/* @text with every line ending CRLF, ending with CRLF (unless empty) */
static char *crlf_text(TALLOC_CTX *mem_ctx, const char *text)
{
	struct mime_buf b = { 0 };
	const char *p;
	char *out;

	for (p = text; *p != '\0'; p++) {
		if (*p == '\r') {
			continue;	/* CR only counts as part of CRLF */
		}
		if (*p == '\n') {
			buf_str(&b, "\r\n");
		} else {
			buf_add(&b, p, 1);
		}
	}
	if (b.len > 0 && (b.len < 2 || memcmp(b.p + b.len - 2, "\r\n", 2) != 0)) {
		buf_str(&b, "\r\n");
	}
	out = b.oom ? NULL : talloc_strdup(mem_ctx, b.p != NULL ? b.p : "");
	talloc_free(b.p);
	return out;
}

/* 7bit is safe: ASCII, lines of at most 76 characters, no "=_oc" (our
 * boundaries), no line that is just "." issues (SMTP dot-stuffs anyway) */
static bool seven_bit_ok(const char *crlf)
{
	size_t line = 0;
	const char *p;

	if (!is_ascii(crlf) || strstr(crlf, "=_oc") != NULL) {
		return false;
	}
	for (p = crlf; *p != '\0'; p++) {
		line = (*p == '\n') ? 0 : line + 1;
		if (line > 76) {
			return false;
		}
	}
	return true;
}

/* RFC 2045 6.7 quoted-printable of CRLF text; lines at most 76 */
static void buf_qp(struct mime_buf *b, const char *crlf)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)crlf;
	size_t line = 0;
	char e[3];

	for (; *p != '\0'; p++) {
		bool eol_next = p[1] == '\r' || p[1] == '\0';

		if (p[0] == '\r' && p[1] == '\n') {
			buf_str(b, "\r\n");
			p++;
			line = 0;
			continue;
		}
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !eol_next)) {
			if (line + 1 > 75) {
				buf_str(b, "=\r\n");
				line = 0;
			}
			buf_add(b, (const char *)p, 1);
			line++;
			continue;
		}
		if (line + 3 > 75) {
			buf_str(b, "=\r\n");
			line = 0;
		}
		e[0] = '=';
		e[1] = hex[*p >> 4];
		e[2] = hex[*p & 0xF];
		buf_add(b, e, 3);
		line += 3;
	}
}

/* one text part: headers, blank line, body */
static void mime_text_part(struct mime_buf *b, TALLOC_CTX *tmp,
			   const char *subtype, const char *text)
{
	char *crlf = crlf_text(tmp, text != NULL ? text : "");

	if (crlf == NULL) {
		b->oom = true;
		return;
	}
	buf_str(b, "Content-Type: text/");
	buf_str(b, subtype);
	buf_str(b, "; charset=utf-8\r\n");
	if (seven_bit_ok(crlf)) {
		buf_str(b, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		buf_str(b, crlf);
		return;
	}
	buf_str(b, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	buf_qp(b, crlf);
}

/* the body: text/plain, or multipart/alternative with text/html */
static void mime_body(struct mime_buf *b, TALLOC_CTX *tmp,
		      const struct emsmdb_mime_message *msg, const char *boundary)
{
	if (msg->body_html == NULL) {
		mime_text_part(b, tmp, "plain", msg->body_text);
		return;
	}
	buf_str(b, "Content-Type: multipart/alternative; boundary=\"");
	buf_str(b, boundary);
	buf_str(b, "\"\r\n\r\n--");
	buf_str(b, boundary);
	buf_str(b, "\r\n");
	mime_text_part(b, tmp, "plain", msg->body_text);
	buf_str(b, "\r\n--");
	buf_str(b, boundary);
	buf_str(b, "\r\n");
	mime_text_part(b, tmp, "html", msg->body_html);
	buf_str(b, "\r\n--");
	buf_str(b, boundary);
	buf_str(b, "--\r\n");
}

/* RFC 2231 filename*=utf-8''%XX for non-ASCII, else a quoted string */
static void mime_filename_param(struct mime_buf *b, const char *param,
				const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char e[3];

	if (is_ascii(name)) {
		buf_str(b, param);
		buf_str(b, "=\"");
		for (p = (const unsigned char *)name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\') {
				buf_str(b, "\\");
			}
			if (*p >= 0x20) {
				buf_add(b, (const char *)p, 1);
			}
		}
		buf_str(b, "\"");
		return;
	}
	buf_str(b, param);
	buf_str(b, "*=utf-8''");
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			buf_add(b, (const char *)p, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[*p >> 4];
		e[2] = hex[*p & 0xF];
		buf_add(b, e, 3);
	}
}

static void mime_attachment(struct mime_buf *b,
			    const struct emsmdb_mime_attachment *a)
{
	const char *name = a->filename != NULL && a->filename[0] != '\0' ?
		a->filename : "attachment";
	const char *type = a->mime_type != NULL && a->mime_type[0] != '\0' &&
		strchr(a->mime_type, '/') != NULL && strpbrk(a->mime_type, "\r\n\";") == NULL ?
		a->mime_type : "application/octet-stream";

	buf_str(b, "Content-Type: ");
	buf_str(b, type);
	buf_str(b, "; ");
	mime_filename_param(b, "name", name);
	buf_str(b, "\r\nContent-Disposition: attachment; ");
	mime_filename_param(b, "filename", name);
	buf_str(b, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	buf_b64_lines(b, a->data, a->length);
}

/* FNV-1a of the Message-ID: boundaries unique per message, reproducible */
static uint32_t mime_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++) {
		h = (h ^ (unsigned char)*s) * 16777619u;
	}
	return h;
}

static void mime_headers(struct mime_buf *b, TALLOC_CTX *tmp,
			 const struct emsmdb_mime_message *msg)
{
	char *from = mime_mailbox(tmp, &msg->from);
	char *date = emsmdb_mime_date(tmp, msg->date);
	char *subject = NULL;

	if (from == NULL || date == NULL) {
		b->oom = true;
		return;
	}
	buf_str(b, "From: ");
	buf_str(b, from);
	buf_str(b, "\r\n");
	mime_address_header(b, tmp, "To", msg->to, msg->to_count);
	mime_address_header(b, tmp, "Cc", msg->cc, msg->cc_count);
	if (msg->subject != NULL) {
		subject = header_clean(tmp, msg->subject);
		subject = subject != NULL ? emsmdb_mime_header_text(tmp, subject) : NULL;
		if (subject == NULL) {
			b->oom = true;
			return;
		}
		buf_str(b, "Subject: ");
		buf_str(b, subject);
		buf_str(b, "\r\n");
	}
	buf_str(b, "Date: ");
	buf_str(b, date);
	buf_str(b, "\r\nMessage-ID: <");
	buf_str(b, msg->message_id);
	buf_str(b, ">\r\nMIME-Version: 1.0\r\n");
}

int emsmdb_mime_generate(TALLOC_CTX *mem_ctx, const struct emsmdb_mime_message *msg,
			 char **out_r, size_t *len_r)
{
	TALLOC_CTX *tmp;
	struct mime_buf b = { 0 };
	char *mixed, *alt;
	uint32_t h, i;
	int ret = 0;

	if (msg->from.address == NULL || msg->message_id == NULL ||
	    strpbrk(msg->message_id, "\r\n<>") != NULL) {
		return EINVAL;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return ENOMEM;
	}
	h = mime_hash(msg->message_id);
	mixed = talloc_asprintf(tmp, "=_oc_mixed_%08x", h);
	alt = talloc_asprintf(tmp, "=_oc_alt_%08x", h);
	if (mixed == NULL || alt == NULL) {
		ret = ENOMEM;
		goto done;
	}
	mime_headers(&b, tmp, msg);
	if (msg->attachment_count == 0) {
		mime_body(&b, tmp, msg, alt);
	} else {
		/* RFC 2046 5.1.3 multipart/mixed: the body, then each file */
		buf_str(&b, "Content-Type: multipart/mixed; boundary=\"");
		buf_str(&b, mixed);
		buf_str(&b, "\"\r\n\r\nThis is a multi-part message in MIME format.\r\n");
		buf_str(&b, "\r\n--");
		buf_str(&b, mixed);
		buf_str(&b, "\r\n");
		mime_body(&b, tmp, msg, alt);
		for (i = 0; i < msg->attachment_count; i++) {
			buf_str(&b, "\r\n--");
			buf_str(&b, mixed);
			buf_str(&b, "\r\n");
			mime_attachment(&b, &msg->attachments[i]);
		}
		buf_str(&b, "\r\n--");
		buf_str(&b, mixed);
		buf_str(&b, "--\r\n");
	}
	if (b.oom || b.p == NULL) {
		ret = ENOMEM;
		goto done;
	}
	*len_r = b.len;
	*out_r = talloc_steal(mem_ctx, b.p);
	b.p = NULL;
done:
	talloc_free(b.p);
	talloc_free(tmp);
	return ret;
}

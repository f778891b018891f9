/*
 * Parsing of metadata-store locations, as the configuration guide writes
 * them: "mysql://user:pass@host[:port]/db" (RFC 3986 userinfo with
 * percent-escapes; the guide's password "openchange$123" is used raw),
 * optionally "?socket=/path&port=N"; "sqlite:///abs/path" or a plain
 * absolute path for SQLite. Error sentences never quote the URI, so the
 * password cannot leak through them.
 */
#include "mapistore_db.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Percent-decode [s, s+len) onto mem_ctx; NULL on a bad escape or NUL. */
static char *uri_decode(TALLOC_CTX *mem_ctx, const char *s, size_t len)
{
	char *out = talloc_array(mem_ctx, char, len + 1);
	size_t i, o = 0;

	if (out == NULL) {
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len) {
				talloc_free(out);
				return NULL;
			}
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				talloc_free(out);
				return NULL;
			}
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

static void set_err(TALLOC_CTX *mem_ctx, char **errmsg_r, const char *msg)
{
	if (errmsg_r != NULL) {
		*errmsg_r = talloc_strdup(mem_ctx, msg);
	}
}

static enum mapistore_error parse_port(const char *s, size_t len, uint16_t *port_r)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 5) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*port_r = (uint16_t)v;
	return MAPISTORE_SUCCESS;
}

/* "socket=/path&port=N" */
static enum mapistore_error parse_query(TALLOC_CTX *mem_ctx, const char *q,
	struct mapistore_db_params *p, char **errmsg_r)
{
	while (*q != '\0') {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);

		if (len > 7 && strncmp(q, "socket=", 7) == 0) {
			p->socket = uri_decode(mem_ctx, q + 7, len - 7);
			if (p->socket == NULL) {
				set_err(mem_ctx, errmsg_r, "The database URI has a bad escape in its socket path.");
				return MAPISTORE_ERR_INVALID_PARAMETER;
			}
		} else if (len > 5 && strncmp(q, "port=", 5) == 0) {
			if (parse_port(q + 5, len - 5, &p->port) != MAPISTORE_SUCCESS) {
				set_err(mem_ctx, errmsg_r, "The database URI has an invalid port.");
				return MAPISTORE_ERR_INVALID_PARAMETER;
			}
		} else {
			set_err(mem_ctx, errmsg_r, "The database URI has an unknown option (only socket= and port= are known).");
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		q += len;
		if (*q == '&') {
			q++;
		}
	}
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error parse_mysql(TALLOC_CTX *mem_ctx, const char *rest,
	struct mapistore_db_params *p, char **errmsg_r)
{
	const char *query = strchr(rest, '?');
	size_t main_len = query ? (size_t)(query - rest) : strlen(rest);
	const char *at = NULL, *hostp, *slash, *colon, *s;

	for (s = rest; s < rest + main_len; s++) {
		if (*s == '@') {
			at = s;   /* the last '@': tolerate a raw '@' in the password */
		}
	}
	if (at == NULL) {
		set_err(mem_ctx, errmsg_r, "The database URI has no user (expected mysql://user:pass@host/db).");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	colon = memchr(rest, ':', (size_t)(at - rest));
	p->user = uri_decode(mem_ctx, rest, colon ? (size_t)(colon - rest) : (size_t)(at - rest));
	p->password = colon ? uri_decode(mem_ctx, colon + 1, (size_t)(at - colon - 1))
			    : talloc_strdup(mem_ctx, "");
	if (p->user == NULL || p->password == NULL || p->user[0] == '\0') {
		set_err(mem_ctx, errmsg_r, "The database URI has an empty user or a bad escape in its user or password.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	hostp = at + 1;
	slash = memchr(hostp, '/', (size_t)(rest + main_len - hostp));
	if (slash == NULL || slash == hostp) {
		set_err(mem_ctx, errmsg_r, "The database URI has no host or no database (expected mysql://user:pass@host/db).");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	colon = memchr(hostp, ':', (size_t)(slash - hostp));
	p->host = uri_decode(mem_ctx, hostp, colon ? (size_t)(colon - hostp) : (size_t)(slash - hostp));
	if (p->host == NULL || p->host[0] == '\0') {
		set_err(mem_ctx, errmsg_r, "The database URI has an empty or badly escaped host.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (colon != NULL &&
	    parse_port(colon + 1, (size_t)(slash - colon - 1), &p->port) != MAPISTORE_SUCCESS) {
		set_err(mem_ctx, errmsg_r, "The database URI has an invalid port.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p->database = uri_decode(mem_ctx, slash + 1, (size_t)(rest + main_len - slash - 1));
	if (p->database == NULL || p->database[0] == '\0' || strchr(p->database, '/') != NULL) {
		set_err(mem_ctx, errmsg_r, "The database URI has an empty or invalid database name.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (query != NULL) {
		return parse_query(mem_ctx, query + 1, p, errmsg_r);
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_db_parse_uri(TALLOC_CTX *mem_ctx,
	const char *uri, struct mapistore_db_params *params_r, char **errmsg_r)
{
	struct mapistore_db_params p = { 0 };
	enum mapistore_error ret;

	if (uri == NULL || params_r == NULL || uri[0] == '\0') {
		set_err(mem_ctx, errmsg_r, "The database location is empty.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (strncmp(uri, "mysql://", 8) == 0) {
		TALLOC_CTX *tmp = talloc_new(mem_ctx);

		if (tmp == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		p.driver = MAPISTORE_DB_MYSQL;
		ret = parse_mysql(tmp, uri + 8, &p, errmsg_r);
		if (ret != MAPISTORE_SUCCESS) {
			if (errmsg_r != NULL && *errmsg_r != NULL) {
				talloc_steal(mem_ctx, *errmsg_r);
			}
			talloc_free(tmp);
			return ret;
		}
		talloc_steal(mem_ctx, p.user);
		talloc_steal(mem_ctx, p.password);
		talloc_steal(mem_ctx, p.host);
		talloc_steal(mem_ctx, p.database);
		if (p.socket != NULL) {
			talloc_steal(mem_ctx, p.socket);
		}
		talloc_free(tmp);
		*params_r = p;
		return MAPISTORE_SUCCESS;
	}
	p.driver = MAPISTORE_DB_SQLITE;
	if (strncmp(uri, "sqlite://", 9) == 0) {
		uri += 9;
	} else if (strstr(uri, "://") != NULL) {
		set_err(mem_ctx, errmsg_r, "The database URI has an unknown scheme (use mysql:// or sqlite://).");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (uri[0] != '/' && strcmp(uri, ":memory:") != 0) {
		set_err(mem_ctx, errmsg_r, "The SQLite database path must be absolute.");
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p.path = talloc_strdup(mem_ctx, uri);
	if (p.path == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*params_r = p;
	return MAPISTORE_SUCCESS;
}

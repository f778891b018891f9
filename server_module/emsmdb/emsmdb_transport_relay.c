/*
 * Relay to the SMTP smarthost ([MS-OXOMSG] 3.3.5.1: recipients outside
 * the server's mailboxes go to the next transport): the message as RFC
 * 5322 / MIME (emsmdb_mime.h), one SMTP transaction (emsmdb_smtp.h) for
 * all of them. Contract in emsmdb_transport.h.
 */
#include "emsmdb_transport_private.h"
#include "emsmdb_mime.h"
#include "emsmdb_smtp.h"
#include "emsmdb_log.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define PidTagDisplayNameW 0x3001001F

static const char *emsmdb_relay_helo(const struct emsmdb_transport_item *item)
{
	const struct emsmdb_transport_config *cfg = emsmdb_transport_config_get();

	if (cfg->helo_name != NULL && cfg->helo_name[0] != '\0') {
		return cfg->helo_name;
	}
	return item->session->config->netbios_name != NULL ?
		item->session->config->netbios_name : "localhost";
}

/* the SMTP address of a recipient row for the To / Cc headers */
static const char *emsmdb_relay_smtp_of(TALLOC_CTX *mem_ctx,
					const struct mapistore_recipient *r)
{
	const struct emsmdb_transport_config *cfg = emsmdb_transport_config_get();
	const char *type = emsmdb_transport_recip_str(r, PidTagAddressType);
	const char *addr = emsmdb_transport_recip_str(r, PidTagEmailAddress);
	const char *smtp = emsmdb_transport_recip_str(r, PidTagSmtpAddress);
	struct emsmdb_directory_entry *e = NULL;

	if (type != NULL && strcasecmp(type, "SMTP") == 0) {
		return addr;
	}
	if (smtp != NULL) {
		return smtp;
	}
	if (type != NULL && strcasecmp(type, "EX") == 0 && addr != NULL &&
	    cfg->directory.lookup != NULL &&
	    cfg->directory.lookup(cfg->directory.private_data, mem_ctx,
				  EMSMDB_DIRECTORY_EX, addr, &e) == ecSuccess) {
		return e->smtp_address;
	}
	return NULL;
}

/* To and Cc of the message: every recipient row of that type with an
 * SMTP address (Bcc rows are envelope-only, RFC 5322 3.6.3) */
static void emsmdb_relay_headers(TALLOC_CTX *mem_ctx,
				 const struct emsmdb_transport_item *item,
				 struct emsmdb_mime_message *mm)
{
	struct emsmdb_mime_address *to, *cc;
	uint32_t i;

	to = talloc_zero_array(mem_ctx, struct emsmdb_mime_address,
			       item->recipient_count + 1);
	cc = talloc_zero_array(mem_ctx, struct emsmdb_mime_address,
			       item->recipient_count + 1);
	if (to == NULL || cc == NULL) {
		return;
	}
	for (i = 0; i < item->recipient_count; i++) {
		const struct mapistore_recipient *r = &item->recipients[i];
		const char *a = emsmdb_relay_smtp_of(mem_ctx, r);
		struct emsmdb_mime_address *dst;

		if (a == NULL || (r->type != 1 && r->type != 2)) {
			continue;
		}
		dst = r->type == 1 ? &to[mm->to_count++] : &cc[mm->cc_count++];
		dst->address = a;
		dst->display_name = emsmdb_transport_recip_str(r, PidTagDisplayNameW);
		if (dst->display_name != NULL && strcasecmp(dst->display_name, a) == 0) {
			dst->display_name = NULL;	/* "a@b" <a@b> says nothing more */
		}
	}
	mm->to = to;
	mm->cc = cc;
}

/* attachments by value with their file name and MIME type */
static void emsmdb_relay_attachments(TALLOC_CTX *mem_ctx,
				     const struct emsmdb_transport_item *item,
				     struct emsmdb_mime_message *mm)
{
	static const uint32_t cols[] = { PidTagAttachNumber };
	static const uint32_t tags[] = { PidTagAttachLongFilename,
		PidTagAttachFilename, PidTagAttachMimeTag, PidTagAttachDataBinary };
	struct emsmdb_mime_attachment *atts;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t nrows = 0, i;

	if (item->mm == NULL ||
	    mapistore_message_open_attachment_table(mem_ctx, item->mm, &t) !=
	    MAPISTORE_SUCCESS ||
	    mapistore_table_set_columns(t, cols, 1) != MAPISTORE_SUCCESS ||
	    mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS, &rows,
				       &nrows) != MAPISTORE_SUCCESS || nrows == 0) {
		return;
	}
	atts = talloc_zero_array(mem_ctx, struct emsmdb_mime_attachment, nrows);
	for (i = 0; atts != NULL && i < nrows; i++) {
		struct mapistore_attachment *a = NULL;
		struct mapistore_property *p = NULL;
		struct emsmdb_mime_attachment *dst = &atts[mm->attachment_count];

		if (rows[i].count < 1 || mapistore_property_is_error(&rows[i].props[0]) ||
		    mapistore_message_open_attachment(mem_ctx, item->mm,
			(uint32_t)rows[i].props[0].value.i32, &a) != MAPISTORE_SUCCESS ||
		    mapistore_properties_get(mem_ctx, mapistore_attachment_object(a),
					     tags, 4, &p) != MAPISTORE_SUCCESS ||
		    mapistore_property_is_error(&p[3])) {
			continue;	/* embedded messages are not relayed yet */
		}
		dst->filename = !mapistore_property_is_error(&p[0]) ? p[0].value.str :
				!mapistore_property_is_error(&p[1]) ? p[1].value.str : NULL;
		dst->mime_type = !mapistore_property_is_error(&p[2]) ? p[2].value.str : NULL;
		dst->data = p[3].value.bin.data;
		dst->length = p[3].value.bin.length;
		mm->attachment_count++;
	}
	mm->attachments = atts;
}

/* "oc.<time>.<mid>.<account>@<helo>" with only safe characters */
static char *emsmdb_relay_message_id(TALLOC_CTX *mem_ctx,
				     const struct emsmdb_transport_item *item,
				     const char *helo)
{
	const struct mapistore_property *id = emsmdb_transport_prop(item,
		PidTagInternetMessageId);
	char *s, *p;

	if (id != NULL && id->value.str != NULL && id->value.str[0] == '<' &&
	    strchr(id->value.str, '>') != NULL) {
		s = talloc_strndup(mem_ctx, id->value.str + 1,
				   (size_t)(strchr(id->value.str, '>') - id->value.str - 1));
	} else {
		s = talloc_asprintf(mem_ctx, "oc.%llx.%llx.%s@%s",
			(unsigned long long)item->now,
			(unsigned long long)mapistore_message_get_mid(item->mm),
			item->sender_account, helo);
	}
	for (p = s; p != NULL && *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr(".-_@+=", *p) == NULL) {
			*p = '_';
		}
	}
	return s;
}

static const char *emsmdb_relay_str(const struct emsmdb_transport_item *item,
				    uint32_t tag)
{
	const struct mapistore_property *p = emsmdb_transport_prop(item, tag);

	return p != NULL ? p->value.str : NULL;
}

void emsmdb_transport_relay(TALLOC_CTX *mem_ctx,
			    const struct emsmdb_transport_item *item,
			    const struct mapistore_recipient *const *rcpts,
			    const char *const *addresses, uint32_t count,
			    struct emsmdb_transport_failure **failed,
			    uint32_t *failed_count)
{
	const struct emsmdb_transport_config *cfg = emsmdb_transport_config_get();
	TALLOC_CTX *tmp = talloc_new(mem_ctx);
	const char *helo = emsmdb_relay_helo(item);
	const struct mapistore_property *html = emsmdb_transport_prop(item, PidTagHtml);
	struct emsmdb_mime_message mm;
	struct emsmdb_smtp_envelope env;
	struct emsmdb_smtp_result res;
	char *data = NULL, *why;
	size_t len = 0;
	uint32_t i;

	if (cfg->smarthost == NULL || cfg->smarthost[0] == '\0') {
		emsmdb_log(EMSMDB_LOG_ERR, "transport: %u recipient(s) of %s need "
			   "mapiproxy:smtp_smarthost, which is not set", count,
			   item->sender_account);
		for (i = 0; i < count; i++) {
			emsmdb_transport_fail(mem_ctx, failed, failed_count, rcpts[i],
				"This server has no route to the recipient's domain "
				"(no SMTP smarthost is configured).");
		}
		goto done;
	}
	memset(&mm, 0, sizeof(mm));
	mm.from.address = item->sender_smtp != NULL ? item->sender_smtp :
		talloc_asprintf(tmp, "%s@%s", item->sender_account, helo);
	mm.from.display_name = item->sender_name;
	emsmdb_relay_headers(tmp, item, &mm);
	mm.subject = emsmdb_relay_str(item, PidTagSubject);
	mm.date = (time_t)(item->now / 10000000LL - 11644473600LL);
	mm.message_id = emsmdb_relay_message_id(tmp, item, helo);
	mm.body_text = emsmdb_relay_str(item, PidTagBody);
	if (html != NULL && html->value.bin.length > 0) {
		mm.body_html = talloc_strndup(tmp, (const char *)html->value.bin.data,
					      html->value.bin.length);
	}
	emsmdb_relay_attachments(tmp, item, &mm);
	if (mm.from.address == NULL || mm.message_id == NULL ||
	    emsmdb_mime_generate(tmp, &mm, &data, &len) != 0) {
		why = talloc_strdup(tmp, "The message could not be converted to MIME.");
		for (i = 0; i < count; i++) {
			emsmdb_transport_fail(mem_ctx, failed, failed_count, rcpts[i], why);
		}
		goto done;
	}
	env.mail_from = mm.from.address;
	env.rcpt_to = addresses;
	env.rcpt_count = count;
	env.data = data;
	env.data_len = len;
	emsmdb_smtp_send(tmp, cfg->smarthost, helo,
			 (cfg->smtp_timeout_secs ? cfg->smtp_timeout_secs : 30) * 1000,
			 &env, &res);
	for (i = 0; i < count; i++) {
		if (res.status == EMSMDB_SMTP_OK &&
		    (res.rcpt_code[i] == 250 || res.rcpt_code[i] == 251)) {
			continue;
		}
		why = talloc_asprintf(tmp, "The SMTP smarthost %s did not accept "
			"the message: %d %s", cfg->smarthost,
			res.rcpt_code != NULL && res.rcpt_code[i] >= 400 ?
			res.rcpt_code[i] : res.code,
			res.text != NULL ? res.text : "");
		emsmdb_transport_fail(mem_ctx, failed, failed_count, rcpts[i],
				      why != NULL ? why : "SMTP relay failed");
	}
	if (res.status == EMSMDB_SMTP_OK) {
		emsmdb_log(EMSMDB_LOG_INFO, "transport: message of %s relayed "
			   "to %s for %u of %u recipient(s)", item->sender_account,
			   cfg->smarthost, res.accepted, count);
	} else {
		emsmdb_log(EMSMDB_LOG_ERR, "transport: relay to %s failed (%d): %s",
			   cfg->smarthost, (int)res.status, res.text ? res.text : "");
	}
done:
	talloc_free(tmp);
}

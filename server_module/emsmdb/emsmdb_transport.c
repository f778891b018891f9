/*
 * The transport's flow after RopSubmitMessage ([MS-OXOMSG] 3.2.5.1,
 * contract and steps in emsmdb_transport.h): read the message once,
 * resolve its recipients, deliver locally / relay / report, then file the
 * sender's copy.
 */
#include "emsmdb_transport.h"
#include "emsmdb_transport_private.h"
#include "emsmdb_oxc.h"
#include "emsmdb_log.h"

#include <string.h>
#include <strings.h>
#include <time.h>

static const struct emsmdb_transport_config emsmdb_transport_defaults = {
	.smarthost = NULL,
	.helo_name = NULL,
	.smtp_timeout_secs = 30,
};
static const struct emsmdb_transport_config *emsmdb_transport_cfg =
	&emsmdb_transport_defaults;

void emsmdb_transport_configure(const struct emsmdb_transport_config *cfg)
{
	emsmdb_transport_cfg = cfg != NULL ? cfg : &emsmdb_transport_defaults;
}

const struct emsmdb_transport_config *emsmdb_transport_config_get(void)
{
	return emsmdb_transport_cfg;
}

const struct mapistore_property *emsmdb_transport_prop(
	const struct emsmdb_transport_item *item, uint32_t proptag)
{
	uint32_t i;

	for (i = 0; i < item->prop_count; i++) {
		if (item->props[i].proptag == proptag) {
			return &item->props[i];
		}
	}
	return NULL;
}

const char *emsmdb_transport_recip_str(const struct mapistore_recipient *r,
				       uint32_t proptag)
{
	uint32_t i;

	for (i = 0; i < r->count; i++) {
		if (r->props[i].proptag == proptag) {
			return r->props[i].value.str;
		}
	}
	return NULL;
}

void emsmdb_transport_fail(TALLOC_CTX *mem_ctx,
			   struct emsmdb_transport_failure **failed,
			   uint32_t *count, const struct mapistore_recipient *r,
			   const char *why)
{
	struct emsmdb_transport_failure *f;

	f = talloc_realloc(mem_ctx, *failed, struct emsmdb_transport_failure,
			   *count + 1);
	if (f == NULL) {
		return;
	}
	f[*count].recipient = r;
	f[*count].diagnostic = talloc_strdup(f, why);
	*failed = f;
	(*count)++;
}

int64_t emsmdb_transport_filetime(time_t t)
{
	/* [MS-DTYP] 2.3.3: 100 ns intervals since 1601-01-01 */
	return ((int64_t)t + 11644473600LL) * 10000000LL;
}

/* every property of the message, recipients, and who sends it */
static uint32_t emsmdb_transport_read(struct emsmdb_rop_call *call,
				      struct emsmdb_message *m, TALLOC_CTX *mem_ctx,
				      struct emsmdb_transport_item *item)
{
	const struct emsmdb_transport_config *cfg = emsmdb_transport_cfg;
	struct emsmdb_session *s = call->session;
	struct mapistore_object *obj = mapistore_message_object(m->mm);
	struct emsmdb_directory_entry *me = NULL;
	uint32_t *tags = NULL, ntags = 0;
	enum mapistore_error ret;

	memset(item, 0, sizeof(*item));
	item->session = s;
	item->mm = m->mm;
	item->now = emsmdb_transport_filetime(time(NULL));
	ret = mapistore_properties_list(mem_ctx, obj, &tags, &ntags);
	if (ret == MAPISTORE_SUCCESS && ntags > 0) {
		ret = mapistore_properties_get(mem_ctx, obj, tags, ntags, &item->props);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	item->prop_count = ntags;
	ret = mapistore_message_get_recipients(mem_ctx, m->mm, &item->recipients,
					       &item->recipient_count);
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
		return emsmdb_ms_ec(ret);
	}
	item->sender_account = s->account;
	item->sender_name = s->display_name != NULL ? s->display_name : s->account;
	item->sender_dn = s->user_dn;
	if (cfg->directory.lookup != NULL &&
	    cfg->directory.lookup(cfg->directory.private_data, mem_ctx,
				  EMSMDB_DIRECTORY_ACCOUNT, s->account, &me) ==
	    ecSuccess) {
		item->sender_smtp = me->smtp_address;
		if (me->display_name != NULL) {
			item->sender_name = me->display_name;
		}
	}
	return ecSuccess;
}

/* the sender's copy ([MS-OXOMSG] 3.2.5.1: PidTagClientSubmitTime,
 * PidTagContentFilterSpamConfidenceLevel, PidTagMessageLocaleId; 2.2.1.x:
 * the sender properties the client did not set) */
static void emsmdb_transport_stamp(struct emsmdb_transport_item *item,
				   TALLOC_CTX *mem_ctx)
{
	struct mapistore_property p[12];
	uint32_t n = 0;

	p[n].proptag = PidTagClientSubmitTime;
	p[n++].value.i64 = item->now;
	p[n].proptag = PidTagMessageDeliveryTime;
	p[n++].value.i64 = item->now;
	/* 3.2.5.1: "not rated" for spam filters, the logon's language */
	p[n].proptag = PidTagContentFilterSpamConfidenceLevel;
	p[n++].value.i32 = -1;
	if (item->session->lcid_string != 0) {
		p[n].proptag = PidTagMessageLocaleId;
		p[n++].value.i32 = (int32_t)item->session->lcid_string;
	}
	if (emsmdb_transport_prop(item, PidTagSenderName) == NULL &&
	    item->sender_name != NULL && item->sender_dn != NULL) {
		p[n].proptag = PidTagSenderName;
		p[n++].value.str = (char *)(uintptr_t)item->sender_name;
		p[n].proptag = PidTagSenderAddressType;
		p[n++].value.str = (char *)(uintptr_t)"EX";
		p[n].proptag = PidTagSenderEmailAddress;
		p[n++].value.str = (char *)(uintptr_t)item->sender_dn;
	}
	if (emsmdb_transport_prop(item, PidTagSentRepresentingName) == NULL &&
	    item->sender_name != NULL && item->sender_dn != NULL) {
		p[n].proptag = PidTagSentRepresentingName;
		p[n++].value.str = (char *)(uintptr_t)item->sender_name;
		p[n].proptag = PidTagSentRepresentingAddressType;
		p[n++].value.str = (char *)(uintptr_t)"EX";
		p[n].proptag = PidTagSentRepresentingEmailAddress;
		p[n++].value.str = (char *)(uintptr_t)item->sender_dn;
	}
	if (item->sender_smtp != NULL &&
	    emsmdb_transport_prop(item, PidTagSenderSmtpAddress) == NULL) {
		p[n].proptag = PidTagSenderSmtpAddress;
		p[n++].value.str = (char *)(uintptr_t)item->sender_smtp;
	}
	if (mapistore_properties_set(mapistore_message_object(item->mm), p, n) !=
	    MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "transport: cannot stamp the "
			   "sender's copy");
		return;
	}
	/* later steps (MIME, delivered copies) see the same values */
	{
		struct mapistore_property *all = talloc_realloc(mem_ctx, item->props,
			struct mapistore_property, item->prop_count + n);
		uint32_t i, j;

		if (all == NULL) {
			return;
		}
		item->props = all;
		for (i = 0; i < n; i++) {
			for (j = 0; j < item->prop_count; j++) {
				if (all[j].proptag == p[i].proptag) {
					break;
				}
			}
			all[j] = p[i];
			if (j == item->prop_count) {
				item->prop_count++;
			}
		}
	}
}

/* what one recipient row becomes */
enum emsmdb_route { ROUTE_LOCAL, ROUTE_RELAY, ROUTE_FAIL };

static enum emsmdb_route emsmdb_transport_route(TALLOC_CTX *mem_ctx,
	const struct mapistore_recipient *r, struct emsmdb_directory_entry **entry_r,
	const char **smtp_r, const char **why_r)
{
	const struct emsmdb_transport_config *cfg = emsmdb_transport_cfg;
	const char *type = emsmdb_transport_recip_str(r, PidTagAddressType);
	const char *addr = emsmdb_transport_recip_str(r, PidTagEmailAddress);
	enum emsmdb_directory_key key;
	uint32_t ec = ecNotFound;

	*entry_r = NULL;
	*smtp_r = NULL;
	*why_r = "The e-mail address could not be found.";
	if (type == NULL || addr == NULL || addr[0] == '\0') {
		return ROUTE_FAIL;
	}
	if (strcasecmp(type, "EX") == 0) {
		key = EMSMDB_DIRECTORY_EX;
	} else if (strcasecmp(type, "SMTP") == 0) {
		key = EMSMDB_DIRECTORY_SMTP;
		*smtp_r = addr;
	} else {
		*why_r = "The address type is not supported by this server.";
		return ROUTE_FAIL;
	}
	if (cfg->directory.lookup != NULL) {
		ec = cfg->directory.lookup(cfg->directory.private_data, mem_ctx,
					   key, addr, entry_r);
	}
	if (ec == ecSuccess && (*entry_r)->has_mailbox) {
		return ROUTE_LOCAL;
	}
	if (ec == ecSuccess && *smtp_r == NULL) {
		/* a directory user without a mailbox here: its SMTP address */
		*smtp_r = (*entry_r)->smtp_address;
	}
	if (ec == ecError) {
		*why_r = "The directory could not be read.";
		return ROUTE_FAIL;
	}
	return *smtp_r != NULL ? ROUTE_RELAY : ROUTE_FAIL;
}

/* local delivery, one copy per mailbox even if named twice */
static void emsmdb_transport_local(TALLOC_CTX *mem_ctx,
				   const struct emsmdb_transport_item *item,
				   const struct mapistore_recipient *r,
				   struct emsmdb_directory_entry *e,
				   const char ***done, uint32_t *ndone,
				   struct emsmdb_transport_failure **failed,
				   uint32_t *nfailed)
{
	const char **d;
	uint64_t mid = 0;
	uint32_t i, ec;

	for (i = 0; i < *ndone; i++) {
		if (strcasecmp((*done)[i], e->account) == 0) {
			return;
		}
	}
	ec = emsmdb_transport_deliver(item, e, &mid);
	if (ec != ecSuccess) {
		emsmdb_log(EMSMDB_LOG_ERR, "transport: delivery to %s failed: "
			   "0x%08x", e->account, ec);
		emsmdb_transport_fail(mem_ctx, failed, nfailed, r,
				      "The recipient's mailbox could not be written.");
		return;
	}
	emsmdb_log(EMSMDB_LOG_INFO, "transport: %s -> %s delivered (mid 0x%llx)",
		   item->sender_account, e->account, (unsigned long long)mid);
	d = talloc_realloc(mem_ctx, *done, const char *, *ndone + 1);
	if (d != NULL) {
		d[(*ndone)++] = e->account;
		*done = d;
	}
}

uint32_t emsmdb_transport_submit(struct emsmdb_rop_call *call,
				 struct emsmdb_message *m)
{
	TALLOC_CTX *tmp = talloc_new(call->mem_ctx);
	struct emsmdb_transport_item item;
	struct emsmdb_transport_failure *failed = NULL;
	const struct mapistore_recipient **relay = NULL;
	const char **relay_addr = NULL, **done = NULL;
	uint32_t nrelay = 0, nfailed = 0, ndone = 0, i, ec;

	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_transport_read(call, m, tmp, &item);
	if (ec != ecSuccess) {
		goto done;
	}
	emsmdb_transport_stamp(&item, tmp);
	relay = talloc_zero_array(tmp, const struct mapistore_recipient *,
				  item.recipient_count + 1);
	relay_addr = talloc_zero_array(tmp, const char *, item.recipient_count + 1);
	if (relay == NULL || relay_addr == NULL) {
		ec = ecMAPIOOM;
		goto done;
	}
	for (i = 0; i < item.recipient_count; i++) {
		const struct mapistore_recipient *r = &item.recipients[i];
		struct emsmdb_directory_entry *e = NULL;
		const char *smtp = NULL, *why = NULL;

		switch (emsmdb_transport_route(tmp, r, &e, &smtp, &why)) {
		case ROUTE_LOCAL:
			emsmdb_transport_local(tmp, &item, r, e, &done, &ndone,
					       &failed, &nfailed);
			break;
		case ROUTE_RELAY:
			relay[nrelay] = r;
			relay_addr[nrelay++] = smtp;
			break;
		case ROUTE_FAIL:
			emsmdb_transport_fail(tmp, &failed, &nfailed, r, why);
			break;
		}
	}
	if (nrelay > 0) {
		emsmdb_transport_relay(tmp, &item, relay, relay_addr, nrelay,
				       &failed, &nfailed);
	}
	if (nfailed > 0) {
		emsmdb_transport_ndr(&item, failed, nfailed);
	}
	ec = emsmdb_transport_file_sent(call, m, &item);
done:
	talloc_free(tmp);
	return ec;
}

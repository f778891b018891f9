/*
 * Non-delivery reports ([MS-OXOMSG] 3.3.5.x: the server reports to the
 * sender the recipients it could not deliver to): a REPORT.IPM.Note.NDR
 * message in the sender's receive folder whose recipient rows are the
 * failed recipients with PidTagNonDeliveryReportReasonCode,
 * PidTagNonDeliveryReportDiagCode and PidTagSupplementaryInfo
 * ([MS-OXOMSG] 2.2.2.x). Contract in emsmdb_transport.h.
 */
#include "emsmdb_transport_private.h"
#include "emsmdb_log.h"

#include <string.h>

#define PidTagMessageClassW 0x001A001F
/* [MS-OXOMSG] 2.2.2.x: "transfer failed", "no diagnostic" */
#define ndrReasonTransferFailed 0x00000000
#define ndrDiagNone 0xFFFFFFFF

static struct mapistore_recipient *emsmdb_ndr_rows(TALLOC_CTX *mem_ctx,
	const struct emsmdb_transport_failure *failed, uint32_t count)
{
	struct mapistore_recipient *rows;
	uint32_t i, j;

	rows = talloc_zero_array(mem_ctx, struct mapistore_recipient, count);
	for (i = 0; rows != NULL && i < count; i++) {
		const struct mapistore_recipient *r = failed[i].recipient;
		struct mapistore_property *p;

		p = talloc_zero_array(rows, struct mapistore_property, r->count + 3);
		if (p == NULL) {
			return NULL;
		}
		for (j = 0; j < r->count; j++) {
			p[j] = r->props[j];
		}
		p[j].proptag = PidTagNonDeliveryReportReasonCode;
		p[j++].value.i32 = ndrReasonTransferFailed;
		p[j].proptag = PidTagNonDeliveryReportDiagCode;
		p[j++].value.i32 = (int32_t)ndrDiagNone;
		p[j].proptag = PidTagSupplementaryInfo;
		p[j++].value.str = (char *)(uintptr_t)failed[i].diagnostic;
		rows[i].row_id = i;
		rows[i].type = r->type ? r->type : 1;
		rows[i].count = j;
		rows[i].props = p;
	}
	return rows;
}

void emsmdb_transport_ndr(const struct emsmdb_transport_item *item,
			  const struct emsmdb_transport_failure *failed,
			  uint32_t count)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	const struct mapistore_property *subj = emsmdb_transport_prop(item, PidTagSubject);
	const char *subject = subj != NULL && subj->value.str != NULL ? subj->value.str : "";
	struct emsmdb_transport_item ndr;
	struct emsmdb_directory_entry me;
	struct mapistore_property p[10];
	char *body;
	uint64_t mid = 0;
	uint32_t i, n = 0, ec;

	for (i = 0; i < count; i++) {
		const char *a = emsmdb_transport_recip_str(failed[i].recipient,
							   PidTagEmailAddress);

		emsmdb_log(EMSMDB_LOG_NOTICE, "transport: message of %s not "
			   "delivered to %s: %s", item->sender_account,
			   a ? a : "?", failed[i].diagnostic);
	}
	body = tmp != NULL ? talloc_asprintf(tmp, "Your message \"%s\" could not be "
		"delivered to these recipients:\r\n\r\n", subject) : NULL;
	for (i = 0; body != NULL && i < count; i++) {
		const char *a = emsmdb_transport_recip_str(failed[i].recipient,
							   PidTagEmailAddress);

		body = talloc_asprintf_append_buffer(body, "%s: %s\r\n", a ? a : "?",
						     failed[i].diagnostic);
	}
	memset(&ndr, 0, sizeof(ndr));
	ndr.session = item->session;
	ndr.now = item->now;
	ndr.sender_account = item->sender_account;
	ndr.recipients = body != NULL ? emsmdb_ndr_rows(tmp, failed, count) : NULL;
	if (ndr.recipients == NULL) {
		emsmdb_log(EMSMDB_LOG_ERR, "transport: out of memory for the NDR");
		goto done;
	}
	ndr.recipient_count = count;
	p[n].proptag = PidTagMessageClassW;
	p[n++].value.str = (char *)(uintptr_t)"REPORT.IPM.Note.NDR";
	p[n].proptag = PidTagSubject;
	p[n++].value.str = talloc_asprintf(tmp, "Undeliverable: %s", subject);
	p[n].proptag = PidTagOriginalSubject;
	p[n++].value.str = (char *)(uintptr_t)subject;
	p[n].proptag = PidTagBody;
	p[n++].value.str = body;
	p[n].proptag = PidTagSenderName;
	p[n++].value.str = (char *)(uintptr_t)"Mail Delivery System";
	p[n].proptag = PidTagSentRepresentingName;
	p[n++].value.str = (char *)(uintptr_t)"Mail Delivery System";
	p[n].proptag = PidTagClientSubmitTime;
	p[n++].value.i64 = item->now;
	if (p[1].value.str == NULL) {
		goto done;
	}
	ndr.props = p;
	ndr.prop_count = n;
	memset(&me, 0, sizeof(me));
	me.account = (char *)(uintptr_t)item->sender_account;
	me.display_name = (char *)(uintptr_t)item->sender_name;
	me.legacy_dn = (char *)(uintptr_t)item->sender_dn;
	me.smtp_address = (char *)(uintptr_t)item->sender_smtp;
	me.has_mailbox = true;
	ec = emsmdb_transport_deliver(&ndr, &me, &mid);
	if (ec != ecSuccess) {
		emsmdb_log(EMSMDB_LOG_ERR, "transport: cannot deliver the NDR to "
			   "%s: 0x%08x", item->sender_account, ec);
	}
done:
	talloc_free(tmp);
}

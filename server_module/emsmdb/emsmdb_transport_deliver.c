/*
 * Local delivery ([MS-OXOMSG] 3.3.5.1 "the server delivers the message to
 * each recipient's mailbox") and filing the sender's copy after
 * submission ([MS-OXOMSG] 3.2.5.1: PidTagDeleteAfterSubmit,
 * PidTagSentMailEntryId). Contract in emsmdb_transport.h.
 */
#include "emsmdb_transport_private.h"
#include "oxorule.h"
#include "emsmdb_oxc.h"
#include "emsmdb_notify.h"
#include "emsmdb_log.h"

#include <string.h>

#define PidTagChangeKey			0x65E20102
#define PidTagPredecessorChangeList	0x65E30102
#define PidTagChangeNumber		0x67A40014
#define PidTagAssociated		0x67AA000B
#define PidTagMessageClassA		0x001A001F

/* properties that belong to the sender's copy, never copied ([MS-OXCFXICS]
 * 2.2.1.2: IDs and change tracking are the receiving store's) */
static const uint32_t emsmdb_deliver_skip[] = {
	PidTagMid, PidTagFolderId, PidTagChangeKey, PidTagPredecessorChangeList,
	PidTagChangeNumber, PidTagSourceKey, PidTagEntryId, PidTagRecordKey,
	PidTagParentEntryId, PidTagInstID, PidTagInstanceNum, PidTagAccess,
	PidTagAccessLevel, PidTagMessageFlags, PidTagSentMailEntryId,
	PidTagDeleteAfterSubmit, PidTagMessageStatus, PidTagAssociated,
	PidTagMessageSize, PidTagHasAttachments,
};

static bool emsmdb_deliver_skipped(uint32_t tag)
{
	size_t i;

	if ((tag & 0xFFFF) == PtypErrorCode) {
		return true;
	}
	for (i = 0; i < sizeof(emsmdb_deliver_skip) / sizeof(emsmdb_deliver_skip[0]); i++) {
		if (emsmdb_deliver_skip[i] == tag) {
			return true;
		}
	}
	return false;
}

/* [MS-OXCMSG] 2.2.1.6: a delivered message is sent, unmodified-clear, unread */
static uint32_t emsmdb_deliver_flags(const struct emsmdb_transport_item *item)
{
	const struct mapistore_property *f = emsmdb_transport_prop(item,
		PidTagMessageFlags);
	uint32_t flags = f != NULL ? (uint32_t)f->value.i32 : 0;

	return flags & ~(uint32_t)(mfUnsent | mfUnmodified | mfRead | mfSubmitted |
				   mfFromMe);
}

static void add_str(struct mapistore_property *p, uint32_t *n, uint32_t tag,
		    const char *v)
{
	if (v != NULL) {
		p[*n].proptag = tag;
		p[(*n)++].value.str = (char *)(uintptr_t)v;
	}
}

/* the copy's properties: the sender's minus its IDs, plus delivery ones
 * ([MS-OXOMSG] 2.2.1.x PidTagReceivedBy*, PidTagReceivedRepresenting*,
 * PidTagMessageDeliveryTime; [MS-OXCMSG] 2.2.1.6 flags: not unsent, not
 * unmodified, not read) */
static struct mapistore_property *emsmdb_deliver_props(TALLOC_CTX *mem_ctx,
	const struct emsmdb_transport_item *item,
	const struct emsmdb_directory_entry *rcpt, uint32_t *count_r)
{
	struct mapistore_property *p;
	uint32_t n = 0, i;

	p = talloc_zero_array(mem_ctx, struct mapistore_property, item->prop_count + 16);
	if (p == NULL) {
		return NULL;
	}
	for (i = 0; i < item->prop_count; i++) {
		if (!emsmdb_deliver_skipped(item->props[i].proptag)) {
			p[n++] = item->props[i];
		}
	}
	p[n].proptag = PidTagMessageFlags;
	p[n++].value.i32 = (int32_t)emsmdb_deliver_flags(item);
	p[n].proptag = PidTagMessageDeliveryTime;
	p[n++].value.i64 = item->now;
	add_str(p, &n, PidTagReceivedByName, rcpt->display_name ? rcpt->display_name :
		rcpt->account);
	add_str(p, &n, PidTagReceivedByAddressType, "EX");
	add_str(p, &n, PidTagReceivedByEmailAddress, rcpt->legacy_dn);
	add_str(p, &n, PidTagReceivedBySmtpAddress, rcpt->smtp_address);
	add_str(p, &n, PidTagReceivedRepresentingName, rcpt->display_name ?
		rcpt->display_name : rcpt->account);
	add_str(p, &n, PidTagReceivedRepresentingAddressType, "EX");
	add_str(p, &n, PidTagReceivedRepresentingEmailAddress, rcpt->legacy_dn);
	add_str(p, &n, PidTagReceivedRepresentingSmtpAddress, rcpt->smtp_address);
	*count_r = n;
	return p;
}

/* every attachment of @src into @dst, by value (embedded messages: their
 * attachment properties only) */
static enum mapistore_error emsmdb_deliver_attachments(TALLOC_CTX *mem_ctx,
	struct mapistore_message *src, struct mapistore_message *dst)
{
	static const uint32_t cols[] = { PidTagAttachNumber };
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t nrows = 0, i;
	enum mapistore_error ret;

	ret = mapistore_message_open_attachment_table(mem_ctx, src, &t);
	if (ret != MAPISTORE_SUCCESS) {
		return ret == MAPISTORE_ERR_NOT_FOUND ? MAPISTORE_SUCCESS : ret;
	}
	ret = mapistore_table_set_columns(t, cols, 1);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS,
						 &rows, &nrows);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < nrows; i++) {
		struct mapistore_attachment *a = NULL, *b = NULL;
		struct mapistore_property *props = NULL, *keep;
		uint32_t *tags = NULL, ntags = 0, aid = 0, j, n = 0;

		if (rows[i].count < 1 || mapistore_property_is_error(&rows[i].props[0])) {
			continue;
		}
		ret = mapistore_message_open_attachment(mem_ctx, src,
			(uint32_t)rows[i].props[0].value.i32, &a);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_properties_list(a, mapistore_attachment_object(a),
							&tags, &ntags);
		}
		if (ret == MAPISTORE_SUCCESS && ntags > 0) {
			ret = mapistore_properties_get(a, mapistore_attachment_object(a),
						       tags, ntags, &props);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_message_create_attachment(a, dst, &b, &aid);
		}
		if (ret == MAPISTORE_SUCCESS && ntags > 0) {
			keep = talloc_array(a, struct mapistore_property, ntags);
			for (j = 0; keep != NULL && j < ntags; j++) {
				if (props[j].proptag != PidTagAttachNumber &&
				    !emsmdb_deliver_skipped(props[j].proptag)) {
					keep[n++] = props[j];
				}
			}
			ret = keep == NULL ? MAPISTORE_ERR_NO_MEMORY :
				mapistore_properties_set(mapistore_attachment_object(b),
							 keep, n);
		}
		talloc_free(b);
		talloc_free(a);
	}
	talloc_free(rows);
	talloc_free(t);
	return ret;
}

/* NewMail and ObjectCreated for the recipient's sessions ([MS-OXCNOTIF]
 * 2.2.1.4.1: new mail in the receive folder) */
static void emsmdb_deliver_notify(const struct emsmdb_transport_item *item,
				  const char *account, uint64_t fid, uint64_t mid,
				  const char *message_class, uint32_t flags)
{
	struct emsmdb_event ev = {
		.mailbox = account, .type = fnevObjectCreated, .is_message = true,
		.fid = fid, .mid = mid, .message_flags = flags,
		.message_class = message_class,
	};

	emsmdb_notify_post(item->session, &ev);
	ev.type = fnevNewMail;
	emsmdb_notify_post(item->session, &ev);
}

uint32_t emsmdb_transport_deliver(const struct emsmdb_transport_item *item,
				  const struct emsmdb_directory_entry *rcpt,
				  uint64_t *mid_r)
{
	const struct emsmdb_session *from = item->session;
	const struct mapistore_property *cls = emsmdb_transport_prop(item,
		PidTagMessageClassA);
	const char *message_class = cls != NULL && cls->value.str != NULL ?
		cls->value.str : "IPM.Note";
	struct emsmdb_session *rs;
	struct openchangedb_mailbox *mbx = NULL;
	struct mapistore_folder *f = NULL;
	struct mapistore_message *nm = NULL;
	struct mapistore_property *props;
	TALLOC_CTX *tmp = NULL;
	char *explicit_class = NULL;
	uint64_t fid = 0, mid = 0;
	uint32_t n = 0, ec;
	enum mapistore_error ret;

	/* the recipient's own store context: its mailbox, its indexing */
	rs = emsmdb_session_new(from->config);
	if (rs == NULL) {
		return ecMAPIOOM;
	}
	rs->account = talloc_strdup(rs, rcpt->account);
	rs->display_name = talloc_strdup(rs, rcpt->display_name ?
					 rcpt->display_name : rcpt->account);
	rs->lcid_string = from->lcid_string ? from->lcid_string : 0x0409;
	tmp = talloc_new(rs);
	if (rs->account == NULL || rs->display_name == NULL || tmp == NULL) {
		ec = ecMAPIOOM;
		goto done;
	}
	/* provisioned as its first RopLogon would ([MS-OXCSTOR] 3.2.5.1.1) */
	ec = emsmdb_store_mailbox(rs, tmp, rs->account, &mbx);
	if (ec != ecSuccess) {
		goto done;
	}
	/* [MS-OXCSTOR] 3.2.5.2: the receive folder of the message class */
	if (openchangedb_get_receive_folder(tmp, rs->ocdb, rs->account,
		message_class, &fid, &explicit_class) != MAPISTORE_SUCCESS &&
	    openchangedb_get_system_folder_id(rs->ocdb, rs->account,
		OCDB_PRIVATE_INBOX, &fid) != MAPISTORE_SUCCESS) {
		ec = ecNotFound;
		goto done;
	}
	ret = mapistore_folder_open(tmp, rs->mstore, fid, &f);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_create(tmp, f, false, &nm);
	}
	props = ret == MAPISTORE_SUCCESS ? emsmdb_deliver_props(tmp, item, rcpt, &n) : NULL;
	if (ret == MAPISTORE_SUCCESS && props == NULL) {
		ret = MAPISTORE_ERR_NO_MEMORY;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_set(mapistore_message_object(nm), props, n);
	}
	if (ret == MAPISTORE_SUCCESS && item->recipient_count > 0) {
		ret = mapistore_message_modify_recipients(nm, item->recipients,
							  item->recipient_count);
	}
	if (ret == MAPISTORE_SUCCESS && item->mm != NULL) {
		ret = emsmdb_deliver_attachments(tmp, item->mm, nm);
	}
	if (ret == MAPISTORE_SUCCESS) {
		/* a new MID and change number in the recipient's store: ICS
		 * reports it in the next incremental sync */
		ret = mapistore_message_save(nm);
	}
	if (ret != MAPISTORE_SUCCESS) {
		ec = emsmdb_ms_ec(ret);
		goto done;
	}
	mid = mapistore_message_get_mid(nm);
	emsmdb_deliver_notify(item, rs->account, fid, mid, message_class,
			      emsmdb_deliver_flags(item));
	/* the folder's rules, errors logged (oxorule_run.c, [MS-OXORULE] 3.2.7.1) */
	oxorule_run_delivery(rs, rs->account, fid, mid);
	*mid_r = mid;
	ec = ecSuccess;
done:
	/* objects before their context */
	talloc_free(tmp);
	talloc_free(rs);
	return ec;
}

/* [MS-OXCDATA] 2.2.4.1 Folder EntryID -> FID of @l's mailbox, 0 if not */
static uint64_t emsmdb_entryid_fid(const struct emsmdb_logon *l,
				   const struct mapistore_property *p)
{
	const uint8_t *d;
	uint64_t fid;
	int i;

	if (p == NULL || p->value.bin.length != 46 || p->value.bin.data == NULL) {
		return 0;
	}
	d = p->value.bin.data;
	/* Flags(4) ProviderUID(16) FolderType(2) DatabaseGuid(16) GlobalCounter(6) Pad(2) */
	if (memcmp(d + 22, l->ReplGuid, 16) != 0) {
		return 0;
	}
	/* our FID layout (mapistore_types.h): REPLID low, GLOBCNT bytes above */
	fid = l->ReplId;
	for (i = 0; i < 6; i++) {
		fid |= (uint64_t)d[38 + i] << (16 + 8 * i);
	}
	return fid;
}

/* [MS-OXCDATA] 2.11.1.4 PtypServerId: Ours (1), FolderId (8), MessageId
 * (8), Instance (4); a folder of this store when Ours is 0x01 */
static uint64_t emsmdb_svreid_fid(const struct mapistore_property *p)
{
	const uint8_t *d;
	uint64_t fid = 0;
	int i;

	if (p == NULL || p->value.bin.length != 21 || p->value.bin.data == NULL ||
	    p->value.bin.data[0] != 0x01) {
		return 0;
	}
	d = p->value.bin.data + 1;
	for (i = 7; i >= 0; i--) {
		fid = (fid << 8) | d[i];
	}
	return fid;
}

uint32_t emsmdb_transport_file_sent(struct emsmdb_rop_call *call,
				    struct emsmdb_message *m,
				    const struct emsmdb_transport_item *item)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	const struct mapistore_property *del = emsmdb_transport_prop(item,
		PidTagDeleteAfterSubmit);
	const struct mapistore_property *old_flags;
	struct emsmdb_folder *src = NULL, *dst = NULL;
	struct mapistore_property flags;
	TALLOC_CTX *tmp;
	uint64_t dst_fid, new_mid = 0;
	enum mapistore_error ret;

	if (l == NULL || !l->is_private) {
		return ecSuccess;
	}
	tmp = talloc_new(call->mem_ctx);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	if (emsmdb_folder_open(call->session, tmp, call->logon, m->fid, &src) !=
	    ecSuccess || src->mf == NULL) {
		goto done;
	}
	if (del != NULL && del->value.b) {
		ret = mapistore_folder_delete_messages(src->mf, &m->mid, 1, true);
		if (ret == MAPISTORE_SUCCESS) {
			emsmdb_raise(call, fnevObjectDeleted, true, m->fid, m->mid, 0);
		}
		goto done;
	}
	/* sent: no longer unsent, read ([MS-OXCMSG] 2.2.1.6) */
	flags.proptag = PidTagMessageFlags;
	old_flags = emsmdb_transport_prop(item, PidTagMessageFlags);
	flags.value.i32 = (int32_t)(((old_flags != NULL ? (uint32_t)old_flags->value.i32 : 0) &
				     ~(uint32_t)(mfUnsent | mfSubmitted)) | mfRead);
	if (mapistore_properties_set(mapistore_message_object(m->mm), &flags, 1) !=
	    MAPISTORE_SUCCESS || mapistore_message_save(m->mm) != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "transport: cannot save the sender's copy");
	}
	/* [MS-OXOMSG] 3.2.5.1: moved where PidTagSentMailSvrEID (or, as
	 * MAPI clients set it, PidTagSentMailEntryId) says; with neither,
	 * the sent message stays where it was submitted from */
	dst_fid = emsmdb_svreid_fid(emsmdb_transport_prop(item, PidTagSentMailSvrEID));
	if (dst_fid == 0) {
		dst_fid = emsmdb_entryid_fid(l, emsmdb_transport_prop(item,
						 PidTagSentMailEntryId));
	}
	if (dst_fid == 0) {
		/* it stays: its views see it change to sent */
		emsmdb_raise(call, fnevObjectModified, true, m->fid, m->mid, 0);
		goto done;
	}
	if (emsmdb_folder_open(call->session, tmp, call->logon, dst_fid, &dst) !=
	    ecSuccess || dst->mf == NULL) {
		emsmdb_log(EMSMDB_LOG_WARNING, "transport: the sent-mail folder "
			   "0x%llx of %s cannot be opened: the message stays in "
			   "0x%llx", (unsigned long long)dst_fid,
			   item->sender_account, (unsigned long long)m->fid);
		goto done;
	}
	if (dst_fid == m->fid) {
		goto done;
	}
	ret = mapistore_folder_move_copy_messages(dst->mf, src->mf, &m->mid, 1,
						  false, &new_mid);
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "transport: cannot move the sent "
			   "message to its sent-mail folder: %s", mapistore_errstr(ret));
		goto done;
	}
	emsmdb_raise(call, fnevObjectDeleted, true, m->fid, m->mid, 0);
	emsmdb_raise(call, fnevObjectCreated, true, dst_fid, new_mid, 0);
	m->fid = dst_fid;
	m->mid = new_mid;
done:
	talloc_free(tmp);
	return ecSuccess;
}

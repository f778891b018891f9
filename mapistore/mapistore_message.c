/*
 * Message and attachment operations of the core ([MS-OXCMSG]): MIDs and
 * change numbers from openchangedb, one traced wrapper per hook.
 */
#include "mapistore_private.h"

static struct mapistore_message *message_new(TALLOC_CTX *mem_ctx,
	struct mapistore_object *owner, uint64_t mid)
{
	struct mapistore_message *m = talloc_zero(mem_ctx, struct mapistore_message);

	if (m == NULL) {
		return NULL;
	}
	m->obj.ctx = owner->ctx;
	m->obj.ops = owner->ops;
	m->obj.bobj.kind = MAPISTORE_OBJECT_MESSAGE;
	m->mid = mid;
	return m;
}

enum mapistore_error mapistore_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, struct mapistore_message **msg_r)
{
	struct mapistore_message *m;
	enum mapistore_error ret;
	uint64_t mid = 0, t0;

	if (folder == NULL || msg_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(folder->obj.ctx, &mid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	m = message_new(mem_ctx, &folder->obj, mid);
	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(m->obj.ctx, m->obj.ops, "message_create", t0,
		m->obj.ops->message_create(m, folder->b, mid, associated, &m->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	m->obj.bobj.u.message = m->b;
	*msg_r = m;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_message **msg_r)
{
	struct mapistore_message *m;
	enum mapistore_error ret;
	uint64_t t0;

	if (folder == NULL || msg_r == NULL || mid == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	m = message_new(mem_ctx, &folder->obj, mid);
	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(m->obj.ctx, m->obj.ops, "message_open", t0,
		m->obj.ops->message_open(m, folder->b, mid, read_write, &m->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	m->obj.bobj.u.message = m->b;
	*msg_r = m;
	return MAPISTORE_SUCCESS;
}

uint64_t mapistore_message_get_mid(const struct mapistore_message *msg)
{
	return msg->mid;
}

enum mapistore_error mapistore_message_save(struct mapistore_message *msg)
{
	enum mapistore_error ret;
	uint64_t cn = 0, t0;

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(msg->obj.ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	t0 = mapistore_now_ns();
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_save", t0,
		msg->obj.ops->message_save(msg->b, cn));
}

enum mapistore_error mapistore_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r)
{
	uint64_t t0 = mapistore_now_ns();

	if (msg == NULL || recipients_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_get_recipients", t0,
		msg->obj.ops->message_get_recipients(mem_ctx, msg->b, recipients_r, count_r));
}

enum mapistore_error mapistore_message_modify_recipients(struct mapistore_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count)
{
	uint64_t t0 = mapistore_now_ns();
	uint32_t i;

	/* [MS-OXCMSG] 2.2.3.5: RowCount is a 16-bit field */
	if (msg == NULL || count > 0xFFFF || (count > 0 && recipients == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < count; i++) {
		if (recipients[i].count > MAPISTORE_MAX_PROPERTIES ||
		    (recipients[i].count > 0 && recipients[i].props == NULL)) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
	}
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_modify_recipients", t0,
		msg->obj.ops->message_modify_recipients(msg->b, recipients, count));
}

enum mapistore_error mapistore_message_set_read_flag(struct mapistore_message *msg,
	uint8_t flags)
{
	uint64_t t0 = mapistore_now_ns();

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_set_read_flag", t0,
		msg->obj.ops->message_set_read_flag(msg->b, flags));
}

enum mapistore_error mapistore_message_submit(struct mapistore_message *msg, uint32_t flags)
{
	uint64_t t0 = mapistore_now_ns();

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_submit", t0,
		msg->obj.ops->message_submit(msg->b, flags));
}

static struct mapistore_attachment *attachment_new(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg)
{
	struct mapistore_attachment *a = talloc_zero(mem_ctx, struct mapistore_attachment);

	if (a == NULL) {
		return NULL;
	}
	a->obj.ctx = msg->obj.ctx;
	a->obj.ops = msg->obj.ops;
	a->obj.bobj.kind = MAPISTORE_OBJECT_ATTACHMENT;
	return a;
}

enum mapistore_error mapistore_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, struct mapistore_attachment **att_r, uint32_t *aid_r)
{
	struct mapistore_attachment *a;
	enum mapistore_error ret;
	uint64_t t0;

	if (msg == NULL || att_r == NULL || aid_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	a = attachment_new(mem_ctx, msg);
	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(a->obj.ctx, a->obj.ops, "message_create_attachment", t0,
		a->obj.ops->message_create_attachment(a, msg->b, &a->b, &a->aid));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(a);
		return ret;
	}
	a->obj.bobj.u.attachment = a->b;
	*aid_r = a->aid;
	*att_r = a;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, uint32_t aid, struct mapistore_attachment **att_r)
{
	struct mapistore_attachment *a;
	enum mapistore_error ret;
	uint64_t t0;

	if (msg == NULL || att_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	a = attachment_new(mem_ctx, msg);
	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	a->aid = aid;
	t0 = mapistore_now_ns();
	ret = mapistore_trace(a->obj.ctx, a->obj.ops, "message_open_attachment", t0,
		a->obj.ops->message_open_attachment(a, msg->b, aid, &a->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(a);
		return ret;
	}
	a->obj.bobj.u.attachment = a->b;
	*att_r = a;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_delete_attachment(struct mapistore_message *msg,
	uint32_t aid)
{
	uint64_t t0 = mapistore_now_ns();

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_delete_attachment", t0,
		msg->obj.ops->message_delete_attachment(msg->b, aid));
}

enum mapistore_error mapistore_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_attachment *att, bool create, struct mapistore_message **msg_r)
{
	struct mapistore_message *m;
	enum mapistore_error ret;
	uint64_t mid = 0, t0;

	if (att == NULL || msg_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (create) {
		ret = mapistore_new_id(att->obj.ctx, &mid);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	m = message_new(mem_ctx, &att->obj, mid);
	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(m->obj.ctx, m->obj.ops, "attachment_open_embedded", t0,
		m->obj.ops->attachment_open_embedded(m, att->b, create, &m->b));
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	m->obj.bobj.u.message = m->b;
	*msg_r = m;
	return MAPISTORE_SUCCESS;
}

struct mapistore_object *mapistore_message_object(struct mapistore_message *msg)
{
	return msg ? &msg->obj : NULL;
}

struct mapistore_object *mapistore_attachment_object(struct mapistore_attachment *att)
{
	return att ? &att->obj : NULL;
}

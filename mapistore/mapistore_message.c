/*
 * Message and attachment operations of the core ([MS-OXCMSG]): MIDs and
 * change numbers from openchangedb, one traced wrapper per hook.
 */
#include "mapistore_private.h"

#include <string.h>

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
	enum mapistore_error ret;
	uint64_t mid = 0;

	if (folder == NULL || msg_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(folder->obj.ctx, &mid);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	return mapistore_message_create_as(mem_ctx, folder, associated, mid, msg_r);
}

enum mapistore_error mapistore_message_create_as(TALLOC_CTX *mem_ctx,
	struct mapistore_folder *folder, bool associated, uint64_t mid,
	struct mapistore_message **msg_r)
{
	struct mapistore_message *m;
	enum mapistore_error ret;
	uint64_t t0;

	m = message_new(mem_ctx, &folder->obj, mid);
	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	m->fid = folder->fid;
	(void)folder->obj.ops->folder_get_uri(m, folder->b, &m->folder_uri);
	m->fai = associated;
	m->fai_known = true;
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
	m->fid = folder->fid;
	(void)folder->obj.ops->folder_get_uri(m, folder->b, &m->folder_uri);
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
	struct mapistore_change *old = NULL;
	enum mapistore_error ret;
	uint64_t cn = 0, t0;
	bool is_new = false;

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_new_id(msg->obj.ctx, &cn);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* [MS-OXCFXICS] 2.2.1.2: keys, PCL and the change row first */
	if (msg->fid != 0) {
		ret = mapistore_track_message_save(msg, cn, &old, &is_new);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	t0 = mapistore_now_ns();
	ret = mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_save", t0,
		msg->obj.ops->message_save(msg->b, cn));
	if (msg->fid != 0 && ret != MAPISTORE_SUCCESS) {
		/* the save did not happen: the row goes back */
		(void)(old ? mapistore_changes_put(msg->obj.ctx, old)
			   : mapistore_changes_forget(msg->obj.ctx, msg->mid));
	}
	if (msg->fid != 0 && ret == MAPISTORE_SUCCESS && is_new && msg->folder_uri != NULL) {
		ret = mapistore_track_index_message(msg->obj.ctx, msg->fid, msg->folder_uri,
						    msg->mid);
	}
	if (ret == MAPISTORE_SUCCESS) {
		TALLOC_FREE(msg->client_change_key.data);
		TALLOC_FREE(msg->client_pcl.data);
		msg->client_change_key.length = 0;
		msg->client_pcl.length = 0;
	}
	talloc_free(old);
	return ret;
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
	struct mapistore_change *row = NULL;
	enum mapistore_error ret;
	uint64_t t0 = mapistore_now_ns(), read_cn = 0;

	if (msg == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (msg->fid == 0) {
		return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_set_read_flag", t0,
			msg->obj.ops->message_set_read_flag(msg->b, flags));
	}
	/* a saved message: the read state has its own CN series (CnsetRead,
	 * [MS-OXCFXICS] 2.2.1.1.4); the change key does not move */
	ret = mapistore_changes_load(NULL, msg->obj.ctx, msg->mid, &row);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		/* not saved yet: the save records it */
		return mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_set_read_flag", t0,
			msg->obj.ops->message_set_read_flag(msg->b, flags));
	}
	talloc_free(row);
	if (ret == MAPISTORE_SUCCESS) {
		/* a crash between the backend write and the row: replayed from
		 * the intent (mapistore_intents.c) */
		ret = mapistore_intent_begin(msg->obj.ctx, MAPISTORE_INTENT_READ_STATE, msg->fid,
					     &msg->mid, 1, 0);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = mapistore_trace(msg->obj.ctx, msg->obj.ops, "message_set_read_flag", t0,
		msg->obj.ops->message_set_read_flag(msg->b, flags));
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_intent_end(msg->obj.ctx, MAPISTORE_INTENT_READ_STATE, &msg->mid, 1);
		return ret;
	}
	ret = mapistore_new_id(msg->obj.ctx, &read_cn);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_changes_set_read(msg->obj.ctx, msg->mid,
						 !(flags & MSGFLAG_CLEAR_READ),
						 mapistore_fmid_globcnt(read_cn));
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_intent_end(msg->obj.ctx, MAPISTORE_INTENT_READ_STATE, &msg->mid, 1);
	}
	return ret;
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

/* Recipient rows carry their row ID and type as properties too
 * ([MS-OXCMSG] 2.2.1.x PidTagRowid, PidTagRecipientType). */
#define PidTagRowid          0x30000003
#define PidTagRecipientType  0x0C150003
#define PidTagAttachNumberCore 0x0E210003

static enum mapistore_error recipient_rows(TALLOC_CTX *mem_ctx, struct mapistore_message *msg,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct mapistore_recipient *recips = NULL;
	struct mapistore_row *rows;
	enum mapistore_error ret;
	uint32_t n = 0, i, j;

	ret = mapistore_message_get_recipients(mem_ctx, msg, &recips, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	rows = talloc_zero_array(mem_ctx, struct mapistore_row, n ? n : 1);
	if (rows == NULL) {
		talloc_free(recips);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		struct mapistore_property *p = talloc_array(rows, struct mapistore_property,
							    recips[i].count + 2);

		if (p == NULL) {
			talloc_free(rows);
			talloc_free(recips);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		for (j = 0; j < recips[i].count; j++) {
			p[j] = recips[i].props[j];
		}
		p[j].proptag = PidTagRowid;
		p[j++].value.i32 = (int32_t)recips[i].row_id;
		p[j].proptag = PidTagRecipientType;
		p[j++].value.i32 = (int32_t)recips[i].type;
		rows[i].fmid = recips[i].row_id;
		rows[i].count = j;
		rows[i].props = p;
	}
	/* the values stay owned by the recipients array, kept with the rows */
	talloc_steal(rows, recips);
	*rows_r = rows;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_subobject_rows(TALLOC_CTX *mem_ctx,
	struct mapistore_message *msg, uint32_t subobject, const uint32_t *proptags,
	uint32_t tag_count, struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct mapistore_table *table = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint32_t *cols, total = 0, got = 0;

	if (msg == NULL || rows_r == NULL || count_r == NULL ||
	    tag_count >= MAPISTORE_MAX_COLUMNS || (tag_count > 0 && proptags == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (subobject == PidTagMessageRecipients) {
		return recipient_rows(mem_ctx, msg, rows_r, count_r);
	}
	if (subobject != PidTagMessageAttachments) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_message_open_attachment_table(mem_ctx, msg, &table);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	cols = talloc_array(table, uint32_t, tag_count + 1);
	if (cols == NULL) {
		talloc_free(table);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (tag_count > 0) {
		memcpy(cols, proptags, sizeof(uint32_t) * tag_count);
	}
	cols[tag_count] = PidTagAttachNumberCore;
	ret = mapistore_table_set_columns(table, cols, tag_count + 1);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_get_row_count(table, &total);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, table,
			total < MAPISTORE_MAX_QUERY_ROWS ? total : MAPISTORE_MAX_QUERY_ROWS,
			&rows, &got);
	}
	talloc_free(table);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*rows_r = rows;
	*count_r = got;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_message_subobject_fn(void *private_data, void *object,
	TALLOC_CTX *mem_ctx, uint32_t subobject, const uint32_t *proptags, uint32_t tag_count,
	struct mapistore_row **rows_r, uint32_t *count_r)
{
	struct mapistore_message *msg = object;
	enum mapistore_error ret;

	*rows_r = NULL;
	*count_r = 0;
	if (msg == NULL) {
		return MAPISTORE_SUCCESS;	/* no message: no rows */
	}
	ret = mapistore_subobject_rows(mem_ctx, msg, subobject, proptags, tag_count, rows_r,
				       count_r);
	/* a backend without attachment tables has no attachment rows */
	return ret == MAPISTORE_ERR_NOT_SUPPORTED ? MAPISTORE_SUCCESS : ret;
}

enum mapistore_error mapistore_restriction_eval_message(const struct mapistore_restriction *res,
	const struct mapistore_property *props, uint32_t count, struct mapistore_message *msg,
	bool *match_r)
{
	struct mapistore_restriction_ctx *rctx = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_restriction_ctx_new(tmp, res, mapistore_message_subobject_fn, NULL, &rctx);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_restriction_ctx_eval(rctx, props, count, msg, match_r);
	}
	talloc_free(tmp);
	return ret;
}

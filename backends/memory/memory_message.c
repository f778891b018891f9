/*
 * Memory backend: messages ([MS-OXCMSG]), recipients, attachments and
 * embedded messages. A handle edits a private working copy; message_save
 * swaps a deep copy of it into the folder in one step, so a reader never
 * sees half a save.
 */
#include "memory_private.h"

#include <string.h>

int memory_message_index(const struct memory_folder *f, uint64_t mid)
{
	uint32_t i;

	for (i = 0; i < f->message_count; i++) {
		if (f->messages[i]->mid == mid) {
			return (int)i;
		}
	}
	return -1;
}

enum mapistore_error memory_message_clone(TALLOC_CTX *mem_ctx, const struct memory_message *src,
	struct memory_message **dst_r)
{
	struct memory_message *m = talloc_zero(mem_ctx, struct memory_message);
	enum mapistore_error ret;
	uint32_t i;

	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	m->mid = src->mid;
	m->cn = src->cn;
	m->fai = src->fai;
	m->next_aid = src->next_aid;
	ret = memory_props_copy(m, &m->props, &src->props);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_recipients_copy(m, src->recipients, src->recipient_count, &m->recipients);
		m->recipient_count = src->recipient_count;
	}
	if (ret == MAPISTORE_SUCCESS) {
		m->attachments = talloc_zero_array(m, struct memory_attachment *,
			src->attachment_count ? src->attachment_count : 1);
		ret = m->attachments ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < src->attachment_count; i++) {
		struct memory_attachment *a = talloc_zero(m->attachments, struct memory_attachment);

		if (a == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		a->aid = src->attachments[i]->aid;
		ret = memory_props_copy(a, &a->props, &src->attachments[i]->props);
		if (ret == MAPISTORE_SUCCESS && src->attachments[i]->embedded != NULL) {
			ret = memory_message_clone(a, src->attachments[i]->embedded, &a->embedded);
		}
		m->attachments[i] = a;
		m->attachment_count = i + 1;
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	*dst_r = m;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_computed(TALLOC_CTX *mem_ctx, const struct memory_message *m,
	uint64_t fid, struct mapistore_property **props_r, uint32_t *count_r)
{
	struct mapistore_property c[] = {
		{ .proptag = PidTagMid, .value.i64 = (int64_t)m->mid },
		{ .proptag = PidTagFolderId, .value.i64 = (int64_t)fid },
		{ .proptag = PidTagChangeNumber, .value.i64 = (int64_t)m->cn },
		{ .proptag = PidTagAssociated, .value.b = m->fai },
		{ .proptag = PidTagMessageFlags, .value.i32 = 0 },
	};

	*props_r = talloc_memdup(mem_ctx, c, sizeof(c));
	*count_r = sizeof(c) / sizeof(c[0]);
	return *props_r ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
}

static struct mapistore_backend_message *handle_new(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_context *ctx, struct memory_folder *folder)
{
	struct mapistore_backend_message *h = talloc_zero(mem_ctx, struct mapistore_backend_message);

	if (h != NULL) {
		h->ctx = ctx;
		h->folder = folder;
	}
	return h;
}

enum mapistore_error memory_message_open(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool read_write,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;
	enum mapistore_error ret;
	int idx;

	if (folder->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	idx = memory_message_index(folder->data, mid);
	if (idx < 0) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	h = handle_new(mem_ctx, folder->ctx, folder->data);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->read_write = read_write;
	ret = memory_message_clone(h, folder->data->messages[idx], &h->work);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(h);
		return ret;
	}
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_create(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_folder *folder, uint64_t mid, bool associated,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;

	if (folder->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	if (mid == 0 || memory_message_index(folder->data, mid) >= 0) {
		return mid == 0 ? MAPISTORE_ERR_INVALID_PARAMETER : MAPISTORE_ERR_EXISTS;
	}
	h = handle_new(mem_ctx, folder->ctx, folder->data);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->work = talloc_zero(h, struct memory_message);
	if (h->work == NULL) {
		talloc_free(h);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->work->mid = mid;
	h->work->fai = associated;
	h->read_write = true;
	h->is_new = true;
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_save(struct mapistore_backend_message *msg,
	uint64_t change_number)
{
	struct memory_message *copy = NULL;
	enum mapistore_error ret;
	int idx;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (msg->parent_att != NULL) {
		/* embedded: goes into the parent's working copy */
		ret = memory_message_clone(msg->parent_att->data, msg->work, &copy);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
		copy->cn = change_number;
		if (msg->parent_att->data->embedded != NULL) {
			talloc_steal(msg->ctx->graveyard, msg->parent_att->data->embedded);
		}
		msg->parent_att->data->embedded = copy;
		return MAPISTORE_SUCCESS;
	}
	if (msg->folder->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	idx = memory_message_index(msg->folder, msg->work->mid);
	if (idx < 0 && !msg->is_new) {
		return MAPISTORE_ERR_OBJECT_DELETED;   /* deleted meanwhile */
	}
	ret = memory_message_clone(msg->folder, msg->work, &copy);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	copy->cn = change_number;
	msg->work->cn = change_number;
	if (idx >= 0) {
		talloc_steal(msg->ctx->graveyard, msg->folder->messages[idx]);
		msg->folder->messages[idx] = copy;
	} else {
		struct memory_message **grown = talloc_realloc(msg->folder, msg->folder->messages,
			struct memory_message *, msg->folder->message_count + 1);

		if (grown == NULL) {
			talloc_free(copy);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		msg->folder->messages = grown;
		grown[msg->folder->message_count++] = copy;
	}
	msg->is_new = false;
	return MAPISTORE_SUCCESS;
}

static enum mapistore_error remove_message(struct memory_folder *f, TALLOC_CTX *graveyard,
	uint64_t mid, uint64_t cn, bool record)
{
	struct memory_deleted *grown;
	struct memory_message *m;
	int idx = memory_message_index(f, mid);

	if (idx < 0) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	m = f->messages[idx];
	if (record) {
		grown = talloc_realloc(f, f->deleted_items, struct memory_deleted, f->deleted_count + 1);
		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		f->deleted_items = grown;
		grown[f->deleted_count].fmid = mid;
		grown[f->deleted_count].cn = cn;
		grown[f->deleted_count].type = m->fai ? MAPISTORE_FAI_TABLE : MAPISTORE_MESSAGE_TABLE;
		f->deleted_count++;
	}
	memmove(&f->messages[idx], &f->messages[idx + 1],
		sizeof(f->messages[0]) * (f->message_count - (uint32_t)idx - 1));
	f->message_count--;
	talloc_steal(graveyard, m);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_folder_delete_messages(struct mapistore_backend_folder *folder,
	const uint64_t *mids, uint32_t count, bool hard, uint64_t change_number)
{
	enum mapistore_error ret;
	uint32_t i;

	if (folder->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	/* [MS-OXCMSG] 3.2.5.x: unknown MIDs are ignored (PartialCompletion) */
	for (i = 0; i < count; i++) {
		ret = remove_message(folder->data, folder->ctx->graveyard, mids[i], change_number, true);
		if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_folder_move_copy_messages(struct mapistore_backend_folder *dst,
	struct mapistore_backend_folder *src, const uint64_t *mids, const uint64_t *new_mids,
	uint32_t count, bool want_copy, uint64_t change_number)
{
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	if (dst->data->deleted || src->data->deleted) {
		return MAPISTORE_ERR_OBJECT_DELETED;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		struct memory_message *copy = NULL, **grown;
		int idx = memory_message_index(src->data, mids[i]);

		if (idx < 0) {
			return MAPISTORE_ERR_NOT_FOUND;
		}
		ret = memory_message_clone(dst->data, src->data->messages[idx], &copy);
		if (ret != MAPISTORE_SUCCESS) {
			break;
		}
		copy->mid = new_mids[i];
		copy->cn = change_number;
		grown = talloc_realloc(dst->data, dst->data->messages, struct memory_message *,
				       dst->data->message_count + 1);
		if (grown == NULL) {
			talloc_free(copy);
			return MAPISTORE_ERR_NO_MEMORY;
		}
		dst->data->messages = grown;
		grown[dst->data->message_count++] = copy;
		if (!want_copy) {
			ret = remove_message(src->data, src->ctx->graveyard, mids[i], change_number, true);
		}
	}
	return ret;
}

enum mapistore_error memory_message_get_recipients(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_recipient **recipients_r,
	uint32_t *count_r)
{
	enum mapistore_error ret = mapistore_recipients_copy(mem_ctx, msg->work->recipients,
							     msg->work->recipient_count, recipients_r);

	if (ret == MAPISTORE_SUCCESS) {
		*count_r = msg->work->recipient_count;
	}
	return ret;
}

/* [MS-OXCMSG] 2.2.3.5: rows are matched by row_id; no properties removes one. */
enum mapistore_error memory_message_modify_recipients(struct mapistore_backend_message *msg,
	const struct mapistore_recipient *recipients, uint32_t count)
{
	struct memory_message *w = msg->work;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	return mapistore_recipients_modify(w, &w->recipients, &w->recipient_count,
					   MEMORY_MAX_RECIPIENTS, recipients, count);
}

/* Apply @set/@clear to PidTagMessageFlags of @p. */
static enum mapistore_error update_flags(TALLOC_CTX *owner, struct mapistore_property_list *p,
	uint32_t set, uint32_t clear)
{
	return mapistore_property_list_update_flags(owner, p, PidTagMessageFlags, set, clear);
}

enum mapistore_error memory_message_set_read_flag(struct mapistore_backend_message *msg,
	uint8_t flags)
{
	uint32_t set = (flags & MSGFLAG_CLEAR_READ) ? 0 : mfRead;
	uint32_t clear = (flags & MSGFLAG_CLEAR_READ) ? mfRead : 0;
	enum mapistore_error ret;
	int idx;

	/* the read state is not part of a save ([MS-OXCMSG] 3.2.5.6) */
	ret = update_flags(msg->work, &msg->work->props, set, clear);
	if (ret != MAPISTORE_SUCCESS || msg->folder == NULL) {
		return ret;
	}
	idx = memory_message_index(msg->folder, msg->work->mid);
	if (idx >= 0) {
		struct memory_message *stored = msg->folder->messages[idx];

		ret = update_flags(stored, &stored->props, set, clear);
	}
	return ret;
}

enum mapistore_error memory_message_submit(struct mapistore_backend_message *msg, uint32_t flags)
{
	enum mapistore_error ret;

	if (msg->folder == NULL || !msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	ret = update_flags(msg->work, &msg->work->props, mfSubmitted, 0);
	if (ret == MAPISTORE_SUCCESS) {
		ret = memory_message_save(msg, msg->work->cn);
	}
	return ret;
}

static struct memory_attachment *find_attachment(struct memory_message *m, uint32_t aid, int *idx_r)
{
	uint32_t i;

	for (i = 0; i < m->attachment_count; i++) {
		if (m->attachments[i]->aid == aid) {
			*idx_r = (int)i;
			return m->attachments[i];
		}
	}
	return NULL;
}

static enum mapistore_error attachment_handle(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct memory_attachment *data,
	struct mapistore_backend_attachment **att_r)
{
	struct mapistore_backend_attachment *a = talloc_zero(mem_ctx, struct mapistore_backend_attachment);

	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	a->msg = msg;
	a->data = data;
	*att_r = a;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_create_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, struct mapistore_backend_attachment **att_r,
	uint32_t *aid_r)
{
	struct memory_message *w = msg->work;
	struct memory_attachment *a, **grown;
	enum mapistore_error ret;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (w->attachment_count >= MEMORY_MAX_ATTACHMENTS) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	grown = talloc_realloc(w, w->attachments, struct memory_attachment *, w->attachment_count + 1);
	if (grown == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	w->attachments = grown;
	a = talloc_zero(grown, struct memory_attachment);
	if (a == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	a->aid = w->next_aid++;
	ret = attachment_handle(mem_ctx, msg, a, att_r);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(a);
		return ret;
	}
	grown[w->attachment_count++] = a;
	*aid_r = a->aid;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_message_open_attachment(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_message *msg, uint32_t aid,
	struct mapistore_backend_attachment **att_r)
{
	int idx = -1;
	struct memory_attachment *a = find_attachment(msg->work, aid, &idx);

	if (a == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	return attachment_handle(mem_ctx, msg, a, att_r);
}

enum mapistore_error memory_message_delete_attachment(struct mapistore_backend_message *msg,
	uint32_t aid)
{
	struct memory_message *w = msg->work;
	struct memory_attachment *a;
	int idx = -1;

	if (!msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	a = find_attachment(w, aid, &idx);
	if (a == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	memmove(&w->attachments[idx], &w->attachments[idx + 1],
		sizeof(w->attachments[0]) * (w->attachment_count - (uint32_t)idx - 1));
	w->attachment_count--;
	talloc_steal(msg->ctx->graveyard, a);
	return MAPISTORE_SUCCESS;
}

enum mapistore_error memory_attachment_open_embedded(TALLOC_CTX *mem_ctx,
	struct mapistore_backend_attachment *att, bool create,
	struct mapistore_backend_message **msg_r)
{
	struct mapistore_backend_message *h;
	enum mapistore_error ret;

	if (!create && att->data->embedded == NULL) {
		return MAPISTORE_ERR_NOT_FOUND;
	}
	if (create && !att->msg->read_write) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	h = handle_new(mem_ctx, att->msg->ctx, NULL);
	if (h == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	h->parent_att = att;
	h->read_write = att->msg->read_write;
	if (att->data->embedded != NULL && !create) {
		ret = memory_message_clone(h, att->data->embedded, &h->work);
	} else {
		h->work = talloc_zero(h, struct memory_message);
		ret = h->work ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(h);
		return ret;
	}
	*msg_r = h;
	return MAPISTORE_SUCCESS;
}

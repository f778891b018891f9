/*
 * Copy helpers for [MS-OXCPRPT] RopCopyTo / RopCopyProperties (message
 * subobjects) and the receive folder table of [MS-OXCSTOR]
 * RopGetReceiveFolderTable (declarations: the "issue 7" block at the end
 * of mapistore.h). Folder trees are mapistore_copy_tree.c's.
 *
 * Subobjects are copied through the public core API only, so the copy
 * works between any two backends: recipients replace the target's,
 * attachments are added to the target's working copy (persisted by the
 * target message's save, [MS-OXCPRPT] 3.2.5.8), embedded messages are
 * copied recursively (at most MAPISTORE_COPY_MAX_DEPTH levels).
 */
#include "mapistore.h"
#include "openchangedb_private.h"

#include <string.h>

#define PidTagAttachNumberCopy	0x0E210003
#define PidTagAttachMethodCopy	0x37050003
#define PidTagRowidCopy		0x30000003
#define afEmbeddedMessageCopy	5

static const char sql_receive_list[] =
	"SELECT message_class, fid FROM ocdb_receive_folders WHERE mailbox_id = ?"
	" ORDER BY message_class";

enum mapistore_error openchangedb_receive_folder_list(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username,
	struct openchangedb_receive_folder **entries_r, uint32_t *count_r)
{
	struct openchangedb_receive_folder *entries;
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p;
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint32_t i;

	if (ocdb == NULL || username == NULL || entries_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p = mapistore_db_int(mailbox_id);
	ret = mapistore_db_exec(ocdb->db, sql_receive_list, &p, 1, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	entries = talloc_zero_array(mem_ctx, struct openchangedb_receive_folder,
				    res->rows + 1);
	if (entries == NULL) {
		talloc_free(res);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < res->rows; i++) {
		const char *cls = mapistore_db_result_text(res, i, 0);

		entries[i].message_class = talloc_strdup(entries, cls ? cls : "");
		entries[i].fid = (uint64_t)mapistore_db_result_int(res, i, 1);
		if (entries[i].message_class == NULL) {
			talloc_free(res);
			talloc_free(entries);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	*count_r = res->rows;
	*entries_r = entries;
	talloc_free(res);
	return MAPISTORE_SUCCESS;
}

/* every property of @from but the attachment number onto @to */
enum mapistore_error mapistore_object_copy_properties(TALLOC_CTX *tmp,
	struct mapistore_object *from, struct mapistore_object *to)
{
	struct mapistore_property *props = NULL;
	uint32_t *tags = NULL, n = 0, k = 0, i;
	enum mapistore_error ret;

	ret = mapistore_properties_list(tmp, from, &tags, &n);
	if (ret != MAPISTORE_SUCCESS || n == 0) {
		return ret;
	}
	ret = mapistore_properties_get(tmp, from, tags, n, &props);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	for (i = 0; i < n; i++) {
		if (mapistore_property_is_error(&props[i]) ||
		    props[i].proptag == PidTagAttachNumberCopy ||
		    MAPISTORE_PROP_TYPE(props[i].proptag) == 0x000D /* PtypObject */) {
			continue;
		}
		props[k++] = props[i];
	}
	return k > 0 ? mapistore_properties_set(to, props, k) : MAPISTORE_SUCCESS;
}

/* the embedded message of attachment @sa onto new embedded message of @da */
static enum mapistore_error copy_embedded(TALLOC_CTX *tmp, struct mapistore_attachment *sa,
					  struct mapistore_attachment *da, unsigned depth)
{
	struct mapistore_message *se = NULL, *de = NULL;
	enum mapistore_error ret;

	ret = mapistore_attachment_open_embedded(tmp, sa, false, &se);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_attachment_open_embedded(tmp, da, true, &de);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_object_copy_properties(tmp, mapistore_message_object(se),
						       mapistore_message_object(de));
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_copy_subobjects(se, de,
			MAPISTORE_COPY_RECIPIENTS | MAPISTORE_COPY_ATTACHMENTS |
			(depth << MAPISTORE_COPY_DEPTH_SHIFT));
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_save(de);
	}
	return ret;
}

enum mapistore_error mapistore_attachment_copy_embedded(struct mapistore_attachment *from,
	struct mapistore_attachment *to, uint32_t depth)
{
	static const uint32_t tag = PidTagAttachMethodCopy;
	struct mapistore_property *method = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *tmp;

	if (from == NULL || to == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (depth > MAPISTORE_COPY_MAX_DEPTH) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_properties_get(tmp, mapistore_attachment_object(from), &tag, 1, &method);
	if (ret == MAPISTORE_SUCCESS && !mapistore_property_is_error(&method[0]) &&
	    method[0].value.i32 == afEmbeddedMessageCopy) {
		ret = copy_embedded(tmp, from, to, depth + 1);
		if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
			ret = MAPISTORE_SUCCESS;   /* a backend without embedded messages */
		}
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_message_copy_attachment(struct mapistore_message *from,
	struct mapistore_message *to, uint32_t aid, unsigned depth)
{
	struct mapistore_attachment *sa = NULL, *da = NULL;
	uint32_t new_aid = 0;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_message_open_attachment(tmp, from, aid, &sa);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_create_attachment(tmp, to, &da, &new_aid);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_object_copy_properties(tmp, mapistore_attachment_object(sa),
				     mapistore_attachment_object(da));
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_attachment_copy_embedded(sa, da, depth);
	}
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error copy_recipients(TALLOC_CTX *tmp, struct mapistore_message *from,
					    struct mapistore_message *to)
{
	struct mapistore_recipient *src = NULL, *old = NULL, *all;
	uint32_t n = 0, n_old = 0, i;
	enum mapistore_error ret;

	ret = mapistore_message_get_recipients(tmp, from, &src, &n);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_get_recipients(tmp, to, &old, &n_old);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	if ((uint64_t)n + n_old > 0xFFFF) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	/* the target's rows go (a row without properties removes it), the
	 * source's take their row IDs */
	all = talloc_zero_array(tmp, struct mapistore_recipient, n + n_old + 1);
	if (all == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n_old; i++) {
		all[i].row_id = old[i].row_id;
	}
	for (i = 0; i < n; i++) {
		all[n_old + i] = src[i];
	}
	if (n_old > 0) {
		ret = mapistore_message_modify_recipients(to, all, n_old);
	}
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_message_modify_recipients(to, all + n_old, n);
	}
	return ret;
}

enum mapistore_error mapistore_message_copy_subobjects(struct mapistore_message *from,
	struct mapistore_message *to, uint32_t what)
{
	unsigned depth = what >> MAPISTORE_COPY_DEPTH_SHIFT;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t n = 0, i;
	TALLOC_CTX *tmp;

	if (from == NULL || to == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (depth > MAPISTORE_COPY_MAX_DEPTH) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (what & MAPISTORE_COPY_RECIPIENTS) {
		ret = copy_recipients(tmp, from, to);
	}
	if (ret == MAPISTORE_SUCCESS && (what & MAPISTORE_COPY_ATTACHMENTS)) {
		ret = mapistore_subobject_rows(tmp, from, PidTagMessageAttachments, NULL, 0,
					       &rows, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		int idx = mapistore_properties_find(rows[i].props, rows[i].count,
						    PidTagAttachNumberCopy);

		if (idx >= 0) {
			ret = mapistore_message_copy_attachment(from, to,
				(uint32_t)rows[i].props[idx].value.i32, depth);
		}
	}
	talloc_free(tmp);
	return ret;
}

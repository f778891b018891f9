/*
 * Moving and copying messages between any two folders through the core
 * API ([MS-OXCFOLD] RopMoveCopyMessages): another backend, or another
 * backend context of the same one. Each message is recreated in the
 * target (properties, recipients, attachments, embedded messages) and
 * saved, which tracks it as a new object; a move then deletes the
 * sources, which leaves their tombstones ([MS-OXCFXICS]: a move is a
 * deletion in the source folder plus a creation in the target).
 * mapistore_message_move_with_id() takes the same path with the MID the
 * client chose ([MS-OXCFXICS] 3.2.5.9.4.4 RopSynchronizationImportMessageMove).
 */
#include "mapistore_private.h"

#include <string.h>

#define PidTagAttachMethodCore 0x37050003
#define PidTagAttachNumberMove 0x0E210003
#define PidTagAssociatedMove   0x67AA000B
#define afEmbeddedMessage      5
#define MOVE_MAX_DEPTH         8

/* Properties the target computes or the tracking stamps anew. */
static bool skip_tag(uint32_t tag, bool keep_pcl)
{
	static const uint32_t computed[] = {
		0x67480014, /* PidTagFolderId */
		0x67490014, /* PidTagParentFolderId */
		0x674A0014, /* PidTagMid */
		0x67A40014, /* PidTagChangeNumber */
		PidTagAssociatedMove, PidTagAttachNumberMove,
		PidTagSourceKey, PidTagParentSourceKey, PidTagChangeKey,
	};
	size_t i;

	for (i = 0; i < sizeof(computed) / sizeof(computed[0]); i++) {
		if (computed[i] == tag) {
			return true;
		}
	}
	return tag == PidTagPredecessorChangeList && !keep_pcl;
}

static enum mapistore_error copy_props(struct mapistore_object *from,
	struct mapistore_object *to, bool keep_pcl)
{
	struct mapistore_property *props = NULL, *keep;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint32_t *tags = NULL, n = 0, k = 0, i;
	enum mapistore_error ret;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_properties_list(tmp, from, &tags, &n);
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_properties_get(tmp, from, tags, n, &props);
	}
	if (ret != MAPISTORE_SUCCESS || n == 0) {
		talloc_free(tmp);
		return ret;
	}
	keep = talloc_array(tmp, struct mapistore_property, n);
	if (keep == NULL) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		if (!mapistore_property_is_error(&props[i]) && !skip_tag(props[i].proptag, keep_pcl)) {
			keep[k++] = props[i];
		}
	}
	ret = k > 0 ? mapistore_properties_set(to, keep, k) : MAPISTORE_SUCCESS;
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error copy_message(struct mapistore_message *from,
	struct mapistore_message *to, bool keep_pcl, unsigned depth);

static enum mapistore_error copy_attachment(struct mapistore_message *from,
	struct mapistore_message *to, uint32_t aid, unsigned depth)
{
	struct mapistore_attachment *sa = NULL, *da = NULL;
	struct mapistore_message *se = NULL, *de = NULL;
	struct mapistore_property *method = NULL;
	uint32_t tag = PidTagAttachMethodCore, new_aid = 0;
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
		ret = copy_props(mapistore_attachment_object(sa), mapistore_attachment_object(da),
				 false);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_attachment_object(sa), &tag, 1, &method);
	}
	if (ret == MAPISTORE_SUCCESS && !mapistore_property_is_error(&method[0]) &&
	    method[0].value.i32 == afEmbeddedMessage &&
	    (from->obj.ops->capabilities & MAPISTORE_CAP_EMBEDDED) &&
	    (to->obj.ops->capabilities & MAPISTORE_CAP_EMBEDDED)) {
		ret = mapistore_attachment_open_embedded(tmp, sa, false, &se);
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_attachment_open_embedded(tmp, da, true, &de);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = copy_message(se, de, false, depth + 1);
		}
		if (ret == MAPISTORE_SUCCESS) {
			ret = mapistore_message_save(de);
		}
	}
	talloc_free(tmp);
	return ret;
}

static enum mapistore_error copy_message(struct mapistore_message *from,
	struct mapistore_message *to, bool keep_pcl, unsigned depth)
{
	struct mapistore_recipient *recips = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	TALLOC_CTX *tmp;
	uint32_t n = 0, i;

	if (depth > MOVE_MAX_DEPTH) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = copy_props(mapistore_message_object(from), mapistore_message_object(to), keep_pcl);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_get_recipients(tmp, from, &recips, &n);
	}
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_message_modify_recipients(to, recips, n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_subobject_rows(tmp, from, PidTagMessageAttachments, NULL, 0, &rows, &n);
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		int idx = mapistore_properties_find(rows[i].props, rows[i].count,
						    PidTagAttachNumberMove);

		if (idx >= 0) {
			ret = copy_attachment(from, to, (uint32_t)rows[i].props[idx].value.i32, depth);
		}
	}
	talloc_free(tmp);
	return ret;
}

/* Recreate message @p mid of @p src in @p dst, under @p new_mid (0: a
 * server MID); its MID in the target goes to *@p new_mid_r. The source
 * stays: the caller deletes it for a move. */
static enum mapistore_error copy_one(struct mapistore_folder *dst,
	struct mapistore_folder *src, uint64_t mid, bool want_copy, uint64_t new_mid,
	uint64_t *new_mid_r)
{
	struct mapistore_message *from = NULL, *to = NULL;
	struct mapistore_property *fai = NULL;
	uint32_t tag = PidTagAssociatedMove;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);
	bool associated;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_message_open(tmp, src, mid, false, &from);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(tmp, mapistore_message_object(from), &tag, 1, &fai);
	}
	if (ret == MAPISTORE_SUCCESS) {
		associated = !mapistore_property_is_error(&fai[0]) && fai[0].value.b;
		ret = new_mid != 0 ?
			mapistore_message_create_as(tmp, dst, associated, new_mid, &to) :
			mapistore_message_create(tmp, dst, associated, &to);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = copy_message(from, to, !want_copy, 0);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_save(to);
	}
	if (ret == MAPISTORE_SUCCESS) {
		*new_mid_r = mapistore_message_get_mid(to);
	}
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_move_copy_generic(struct mapistore_folder *dst,
	struct mapistore_folder *src, const uint64_t *mids, uint32_t count, bool want_copy,
	uint64_t *new_mids_r)
{
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i;

	for (i = 0; ret == MAPISTORE_SUCCESS && i < count; i++) {
		ret = copy_one(dst, src, mids[i], want_copy, 0, &new_mids_r[i]);
	}
	if (ret == MAPISTORE_SUCCESS && !want_copy && count > 0) {
		ret = mapistore_folder_delete_messages(src, mids, count, true);
	}
	return ret;
}

enum mapistore_error mapistore_message_move_with_id(struct mapistore_folder *dst,
	struct mapistore_folder *src, uint64_t mid, uint64_t new_mid)
{
	enum mapistore_error ret;
	uint64_t created = 0;

	if (dst == NULL || src == NULL || mid == 0 || new_mid == 0) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = mapistore_client_id_check(dst->obj.ctx, new_mid);
	if (ret == MAPISTORE_SUCCESS) {
		ret = copy_one(dst, src, mid, false, new_mid, &created);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_folder_delete_messages(src, &mid, 1, true);
	}
	return ret;
}

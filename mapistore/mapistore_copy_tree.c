/*
 * Folder trees for [MS-OXCFOLD] RopMoveFolder / RopCopyFolder and the
 * folder subobjects of [MS-OXCPRPT] RopCopyTo (declarations: the "issue
 * 7" block at the end of mapistore.h). Within one backend context the
 * backend's folder_move / folder_copy hooks do the work; between
 * contexts the tree is recreated through the core API.
 */
#include "mapistore.h"

#include <string.h>

#define PidTagDisplayNameCopy	0x3001001F
#define PidTagFolderIdCopy	0x67480014
#define PidTagParentFolderIdCopy 0x67490014
#define PidTagChangeNumberCopy	0x67A40014
/* deepest folder tree mapistore_folder_copy_tree() walks */
#define MAPISTORE_COPY_MAX_FOLDER_DEPTH 64

/* FMIDs of the rows of a table of @folder (on @mem_ctx) */
static enum mapistore_error table_ids(TALLOC_CTX *mem_ctx, struct mapistore_folder *folder,
				      enum mapistore_table_type type, uint64_t **ids_r,
				      uint32_t *count_r)
{
	static const uint32_t col = PidTagDisplayNameCopy;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	enum mapistore_error ret;
	uint64_t *ids;
	uint32_t n = 0, i;

	ret = mapistore_folder_open_table(mem_ctx, folder, type, &t);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, &col, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(t, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return ret;
	}
	ids = talloc_array(mem_ctx, uint64_t, n + 1);
	if (ids == NULL) {
		talloc_free(t);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		ids[i] = rows[i].fmid;
	}
	talloc_free(t);
	*ids_r = ids;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* a folder's own properties for its copy: tracking and IDs are new */
static bool folder_tag_copied(uint32_t tag)
{
	static const uint32_t skip[] = {
		PidTagFolderIdCopy, PidTagParentFolderIdCopy, PidTagChangeNumberCopy,
		PidTagSourceKey, PidTagParentSourceKey, PidTagChangeKey,
		PidTagPredecessorChangeList, PidTagDisplayNameCopy,
	};
	size_t i;

	if (MAPISTORE_PROP_TYPE(tag) == 0x000D /* PtypObject */) {
		return false;
	}
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (skip[i] == tag) {
			return false;
		}
	}
	return true;
}

static enum mapistore_error copy_tree(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name, bool recursive,
	bool move, unsigned depth, uint64_t *new_fid_r)
{
	struct mapistore_property *props = NULL, *keep;
	struct mapistore_folder *copy = NULL, *child = NULL;
	static const enum mapistore_table_type kinds[2] = {
		MAPISTORE_MESSAGE_TABLE, MAPISTORE_FAI_TABLE };
	uint32_t *tags = NULL, n = 0, k = 0, i, j;
	uint64_t *ids = NULL, *new_ids = NULL, sub_fid = 0;
	enum mapistore_error ret;
	TALLOC_CTX *tmp;

	if (depth > MAPISTORE_COPY_MAX_FOLDER_DEPTH) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_properties_list(tmp, mapistore_folder_object(folder), &tags, &n);
	if (ret == MAPISTORE_SUCCESS && n > 0) {
		ret = mapistore_properties_get(tmp, mapistore_folder_object(folder), tags, n,
					       &props);
	}
	keep = talloc_zero_array(tmp, struct mapistore_property, n + 1);
	if (ret == MAPISTORE_SUCCESS && keep == NULL) {
		ret = MAPISTORE_ERR_NO_MEMORY;
	}
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	keep[k].proptag = PidTagDisplayNameCopy;
	keep[k++].value.str = discard_const_p(char, new_name);
	for (i = 0; i < n; i++) {
		if (!mapistore_property_is_error(&props[i]) && folder_tag_copied(props[i].proptag)) {
			keep[k++] = props[i];
		}
	}
	ret = mapistore_folder_create(tmp, new_parent, keep, k, &copy);
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	/* messages: the generic path of RopMoveCopyMessages works between any
	 * two backends; a move deletes the sources */
	for (j = 0; ret == MAPISTORE_SUCCESS && j < 2; j++) {
		ret = table_ids(tmp, folder, kinds[j], &ids, &n);
		if (ret == MAPISTORE_SUCCESS && n > 0) {
			new_ids = talloc_array(tmp, uint64_t, n);
			ret = new_ids == NULL ? MAPISTORE_ERR_NO_MEMORY :
				mapistore_folder_move_copy_messages(copy, folder, ids, n, !move,
								    new_ids);
		}
	}
	if (ret == MAPISTORE_SUCCESS && (recursive || move)) {
		ret = table_ids(tmp, folder, MAPISTORE_FOLDER_TABLE, &ids, &n);
		for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
			static const uint32_t name_tag = PidTagDisplayNameCopy;
			struct mapistore_property *name = NULL;

			ret = mapistore_folder_open_child(tmp, folder, ids[i], &child);
			if (ret == MAPISTORE_SUCCESS) {
				ret = mapistore_properties_get(tmp, mapistore_folder_object(child),
							       &name_tag, 1, &name);
			}
			if (ret == MAPISTORE_SUCCESS) {
				ret = copy_tree(child, copy, mapistore_property_is_error(&name[0]) ?
						"" : name[0].value.str, true, move, depth + 1,
						&sub_fid);
			}
		}
	}
	if (ret == MAPISTORE_SUCCESS && move) {
		ret = mapistore_folder_delete(folder, DEL_MESSAGES | DEL_FOLDERS |
						       DELETE_HARD_DELETE);
	}
	if (ret == MAPISTORE_SUCCESS) {
		*new_fid_r = mapistore_folder_get_fid(copy);
	}
done:
	talloc_free(tmp);
	return ret;
}

enum mapistore_error mapistore_folder_copy_tree(struct mapistore_folder *folder,
	struct mapistore_folder *new_parent, const char *new_name, bool recursive,
	bool move, uint64_t *new_fid_r)
{
	enum mapistore_error ret;

	if (folder == NULL || new_parent == NULL || new_name == NULL || new_fid_r == NULL ||
	    new_name[0] == '\0') {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* one backend context: its own hooks keep IDs (move) and are atomic */
	if (move) {
		ret = mapistore_folder_move(folder, new_parent, new_name);
		if (ret == MAPISTORE_SUCCESS) {
			*new_fid_r = mapistore_folder_get_fid(folder);
		}
	} else {
		ret = mapistore_folder_copy(folder, new_parent, new_name, recursive, new_fid_r);
	}
	if (ret != MAPISTORE_ERR_NOT_SUPPORTED) {
		return ret;
	}
	return copy_tree(folder, new_parent, new_name, recursive, move, 0, new_fid_r);
}

/* true if @folder has a subfolder named @name */
static bool has_child_named(TALLOC_CTX *tmp, struct mapistore_folder *folder, const char *name)
{
	static const uint32_t col = PidTagDisplayNameCopy;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t n = 0, i;
	bool found = false;

	if (mapistore_folder_open_table(tmp, folder, MAPISTORE_FOLDER_TABLE, &t) !=
	    MAPISTORE_SUCCESS) {
		return false;
	}
	if (mapistore_table_set_columns(t, &col, 1) == MAPISTORE_SUCCESS &&
	    mapistore_table_query_rows(t, t, MAPISTORE_MAX_QUERY_ROWS, &rows, &n) ==
	    MAPISTORE_SUCCESS) {
		for (i = 0; i < n && !found; i++) {
			found = rows[i].count == 1 && !mapistore_property_is_error(&rows[i].props[0]) &&
				strcmp(rows[i].props[0].value.str, name) == 0;
		}
	}
	talloc_free(t);
	return found;
}

enum mapistore_error mapistore_folder_copy_content(struct mapistore_folder *from,
	struct mapistore_folder *to, uint32_t what, uint32_t *skipped_r)
{
	static const uint32_t name_tag = PidTagDisplayNameCopy;
	static const struct {
		uint32_t bit;
		enum mapistore_table_type type;
	} kinds[2] = {
		{ MAPISTORE_COPY_MESSAGES, MAPISTORE_MESSAGE_TABLE },
		{ MAPISTORE_COPY_FAI, MAPISTORE_FAI_TABLE },
	};
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint64_t *ids = NULL, *new_ids, fid = 0;
	uint32_t n = 0, i, skipped = 0;
	TALLOC_CTX *tmp;

	if (from == NULL || to == NULL || skipped_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < 2; i++) {
		if (!(what & kinds[i].bit)) {
			continue;
		}
		ret = table_ids(tmp, from, kinds[i].type, &ids, &n);
		if (ret == MAPISTORE_SUCCESS && n > 0) {
			new_ids = talloc_array(tmp, uint64_t, n);
			ret = new_ids == NULL ? MAPISTORE_ERR_NO_MEMORY :
				mapistore_folder_move_copy_messages(to, from, ids, n, true, new_ids);
		}
	}
	if (ret == MAPISTORE_SUCCESS && (what & MAPISTORE_COPY_SUBFOLDERS)) {
		ret = table_ids(tmp, from, MAPISTORE_FOLDER_TABLE, &ids, &n);
		for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
			struct mapistore_folder *child = NULL;
			struct mapistore_property *name = NULL;

			ret = mapistore_folder_open_child(tmp, from, ids[i], &child);
			if (ret == MAPISTORE_SUCCESS) {
				ret = mapistore_properties_get(tmp, mapistore_folder_object(child),
							       &name_tag, 1, &name);
			}
			if (ret != MAPISTORE_SUCCESS) {
				break;
			}
			if (mapistore_property_is_error(&name[0]) ||
			    has_child_named(tmp, to, name[0].value.str)) {
				skipped++;
				continue;
			}
			ret = mapistore_folder_copy_tree(child, to, name[0].value.str, true, false,
							 &fid);
		}
	}
	talloc_free(tmp);
	*skipped_r = skipped;
	return ret;
}

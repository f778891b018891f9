/*
 * Helpers for backend authors (mapistore_backend.h): property lists,
 * recipient rows, the standard root folders and table settings. The
 * memory and local backends both use them; a backend keeps only what is
 * really its own (where data lives, how it is saved).
 */
#include "mapistore_backend.h"
#include "mapistore_props.h"

#include <string.h>

enum mapistore_error mapistore_property_list_set(TALLOC_CTX *owner,
	struct mapistore_property_list *list, const struct mapistore_property *props,
	uint32_t count)
{
	enum mapistore_error ret;
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		/* one value per property ID, whatever its type */
		int idx = -1;

		for (j = 0; j < list->count; j++) {
			if (MAPISTORE_PROP_ID(list->props[j].proptag) == MAPISTORE_PROP_ID(props[i].proptag)) {
				idx = (int)j;
				break;
			}
		}
		if (idx < 0) {
			struct mapistore_property *grown;

			if (list->count >= MAPISTORE_MAX_PROPERTIES) {
				return MAPISTORE_ERR_TOO_BIG;
			}
			grown = talloc_realloc(owner, list->props, struct mapistore_property,
					       list->count + 1);
			if (grown == NULL) {
				return MAPISTORE_ERR_NO_MEMORY;
			}
			list->props = grown;
			idx = (int)list->count++;
		}
		ret = mapistore_property_copy(list->props, &list->props[idx], &props[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

void mapistore_property_list_delete(struct mapistore_property_list *list,
	const uint32_t *proptags, uint32_t count)
{
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < list->count; j++) {
			if (MAPISTORE_PROP_ID(list->props[j].proptag) == MAPISTORE_PROP_ID(proptags[i])) {
				memmove(&list->props[j], &list->props[j + 1],
					sizeof(list->props[0]) * (list->count - j - 1));
				list->count--;
				break;
			}
		}
	}
}

const struct mapistore_property *mapistore_property_list_find(
	const struct mapistore_property_list *list, uint32_t proptag)
{
	int idx = mapistore_properties_find(list->props, list->count, proptag);

	return idx >= 0 ? &list->props[idx] : NULL;
}

enum mapistore_error mapistore_property_list_row(TALLOC_CTX *mem_ctx,
	const struct mapistore_property_list *list,
	const struct mapistore_property *computed, uint32_t computed_count,
	const uint32_t *proptags, uint32_t count, struct mapistore_property **row_r)
{
	struct mapistore_property *out;
	enum mapistore_error ret;
	uint32_t i;

	out = talloc_zero_array(mem_ctx, struct mapistore_property, count ? count : 1);
	if (out == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		const struct mapistore_property *v = mapistore_property_list_find(list, proptags[i]);
		int idx;

		if (v == NULL && (idx = mapistore_properties_find(computed, computed_count, proptags[i])) >= 0) {
			v = &computed[idx];
		}
		if (v == NULL) {
			out[i] = mapistore_property_not_found(proptags[i]);
			continue;
		}
		ret = mapistore_property_copy(out, &out[i], v);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(out);
			return ret;
		}
	}
	*row_r = out;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_property_list_tags(TALLOC_CTX *mem_ctx,
	const struct mapistore_property_list *list, uint32_t **proptags_r,
	uint32_t *count_r)
{
	uint32_t *tags, i;

	tags = talloc_array(mem_ctx, uint32_t, list->count ? list->count : 1);
	if (tags == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < list->count; i++) {
		tags[i] = list->props[i].proptag;
	}
	*proptags_r = tags;
	*count_r = list->count;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_property_list_update_flags(TALLOC_CTX *owner,
	struct mapistore_property_list *list, uint32_t proptag, uint32_t set,
	uint32_t clear)
{
	const struct mapistore_property *cur = mapistore_property_list_find(list, proptag);
	struct mapistore_property v = { .proptag = proptag };

	v.value.i32 = (int32_t)((((uint32_t)(cur ? cur->value.i32 : 0)) | set) & ~clear);
	return mapistore_property_list_set(owner, list, &v, 1);
}

/* One row, its property array a child of @owner. */
static enum mapistore_error recipient_copy(TALLOC_CTX *owner, struct mapistore_recipient *dst,
	const struct mapistore_recipient *src)
{
	enum mapistore_error ret;
	uint32_t j;

	*dst = *src;
	dst->props = talloc_zero_array(owner, struct mapistore_property, src->count ? src->count : 1);
	if (dst->props == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (j = 0; j < src->count; j++) {
		ret = mapistore_property_copy(dst->props, &dst->props[j], &src->props[j]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(dst->props);
			dst->props = NULL;
			return ret;
		}
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_recipients_copy(TALLOC_CTX *mem_ctx,
	const struct mapistore_recipient *src, uint32_t count,
	struct mapistore_recipient **dst_r)
{
	struct mapistore_recipient *r;
	enum mapistore_error ret;
	uint32_t i;

	r = talloc_zero_array(mem_ctx, struct mapistore_recipient, count ? count : 1);
	if (r == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < count; i++) {
		ret = recipient_copy(r, &r[i], &src[i]);
		if (ret != MAPISTORE_SUCCESS) {
			talloc_free(r);
			return ret;
		}
	}
	*dst_r = r;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_recipients_modify(TALLOC_CTX *owner,
	struct mapistore_recipient **rows, uint32_t *row_count, uint32_t max_rows,
	const struct mapistore_recipient *recipients, uint32_t count)
{
	enum mapistore_error ret;
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		struct mapistore_recipient one;
		int idx = -1;

		for (j = 0; j < *row_count; j++) {
			if ((*rows)[j].row_id == recipients[i].row_id) {
				idx = (int)j;
			}
		}
		if (recipients[i].count == 0) {
			/* no properties: remove the row */
			if (idx >= 0) {
				talloc_free((*rows)[idx].props);
				memmove(&(*rows)[idx], &(*rows)[idx + 1],
					sizeof((*rows)[0]) * (*row_count - (uint32_t)idx - 1));
				(*row_count)--;
			}
			continue;
		}
		if (idx < 0) {
			struct mapistore_recipient *grown;

			if (*row_count >= max_rows) {
				return MAPISTORE_ERR_TOO_BIG;
			}
			grown = talloc_realloc(owner, *rows, struct mapistore_recipient, *row_count + 1);
			if (grown == NULL) {
				return MAPISTORE_ERR_NO_MEMORY;
			}
			*rows = grown;
		}
		/* copy before touching the row, so a failure changes nothing */
		ret = recipient_copy(*rows, &one, &recipients[i]);
		if (ret != MAPISTORE_SUCCESS) {
			return ret;
		}
		if (idx < 0) {
			idx = (int)(*row_count)++;
		} else {
			talloc_free((*rows)[idx].props);
		}
		(*rows)[idx] = one;
	}
	return MAPISTORE_SUCCESS;
}

/* [MS-OXOSFLD] special folders every built-in backend offers. */
static const struct {
	enum mapistore_folder_role role;
	const char *name;
	const char *path;
} standard_roots[] = {
	{ MAPISTORE_MAIL_ROLE, "Inbox", "inbox" },
	{ MAPISTORE_DRAFTS_ROLE, "Drafts", "drafts" },
	{ MAPISTORE_SENTITEMS_ROLE, "Sent Items", "sent" },
	{ MAPISTORE_OUTBOX_ROLE, "Outbox", "outbox" },
	{ MAPISTORE_DELETEDITEMS_ROLE, "Deleted Items", "deleted" },
	{ MAPISTORE_CALENDAR_ROLE, "Calendar", "calendar" },
	{ MAPISTORE_CONTACTS_ROLE, "Contacts", "contacts" },
	{ MAPISTORE_TASKS_ROLE, "Tasks", "tasks" },
	{ MAPISTORE_NOTES_ROLE, "Notes", "notes" },
	{ MAPISTORE_JOURNAL_ROLE, "Journal", "journal" },
	{ MAPISTORE_FALLBACK_ROLE, "Fallback", "fallback" },
};

enum mapistore_error mapistore_backend_standard_roots(TALLOC_CTX *mem_ctx,
	const char *scheme, const char *username,
	struct mapistore_root_folder **folders_r, uint32_t *count_r)
{
	size_t n = sizeof(standard_roots) / sizeof(standard_roots[0]), i;
	struct mapistore_root_folder *f = talloc_zero_array(mem_ctx, struct mapistore_root_folder, n);

	if (f == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		f[i].role = standard_roots[i].role;
		f[i].name = talloc_strdup(f, standard_roots[i].name);
		f[i].uri = talloc_asprintf(f, "%s://%s/%s/", scheme, username, standard_roots[i].path);
		if (f[i].name == NULL || f[i].uri == NULL) {
			talloc_free(f);
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	*folders_r = f;
	*count_r = (uint32_t)n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_proptags_replace(TALLOC_CTX *owner, uint32_t **tags,
	uint32_t *count, const uint32_t *src, uint32_t src_count)
{
	uint32_t *copy = talloc_memdup(owner, src, sizeof(uint32_t) * src_count);

	if (copy == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_free(*tags);
	*tags = copy;
	*count = src_count;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_sort_order_replace(TALLOC_CTX *owner,
	struct mapistore_sort_order **sort, uint32_t *count,
	const struct mapistore_sort_order *src, uint32_t src_count)
{
	struct mapistore_sort_order *copy = NULL;

	if (src_count > 0) {
		copy = talloc_memdup(owner, src, sizeof(*src) * src_count);
		if (copy == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
	}
	talloc_free(*sort);
	*sort = copy;
	*count = src_count;
	return MAPISTORE_SUCCESS;
}

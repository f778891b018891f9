/*
 * A container as the client sees it: rows sorted by display name, and the
 * STAT positioning rules of [MS-OXNSPI] 3.1.4.5.
 */
#include "nspi_model.h"

#include <stdlib.h>

/* qsort has no context argument: the locale goes through a small wrapper
 * array instead of a global, so sorting is safe on concurrent threads */
struct sort_item {
	const struct nspi_row *row;
	uint32_t locale;
};

static int sort_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int r = nspi_collate(a->locale, a->row->display_name ?: "",
			     b->row->display_name ?: "");

	if (r != 0) {
		return r;
	}
	return a->row->mid < b->row->mid ? -1 : (a->row->mid > b->row->mid);
}

void nspi_table_sort(struct nspi_table *t, uint32_t locale)
{
	struct sort_item *items;
	struct nspi_row *sorted;
	uint32_t i;

	t->sort_locale = locale;
	if (t->count < 2) {
		return;
	}
	items = talloc_array(NULL, struct sort_item, t->count);
	sorted = talloc_array(NULL, struct nspi_row, t->count);
	if (items == NULL || sorted == NULL) {
		/* leave the table in its old order: still consistent */
		talloc_free(items);
		talloc_free(sorted);
		return;
	}
	for (i = 0; i < t->count; i++) {
		items[i].row = &t->rows[i];
		items[i].locale = locale;
	}
	qsort(items, t->count, sizeof(items[0]), sort_cmp);
	for (i = 0; i < t->count; i++) {
		sorted[i] = *items[i].row;
	}
	for (i = 0; i < t->count; i++) {
		t->rows[i] = sorted[i];
	}
	talloc_free(items);
	talloc_free(sorted);
}

int64_t nspi_table_find(const struct nspi_table *t, uint32_t mid)
{
	uint32_t i;

	for (i = 0; i < t->count; i++) {
		if (t->rows[i].mid == mid) {
			return i;
		}
	}
	return -1;
}

uint32_t nspi_table_position(const struct nspi_table *t,
			     const struct nspi_stat *stat, uint32_t *pos_r)
{
	int64_t pos;

	if (stat->CurrentRec == NSPI_MID_CURRENT) {
		/* 3.1.4.5.2 fractional: NumPos/TotalRecs of the table */
		if (stat->TotalRecs == 0) {
			pos = 0;
		} else {
			pos = (int64_t)((uint64_t)stat->NumPos * t->count /
					stat->TotalRecs);
		}
		if (pos > t->count) {
			pos = t->count;
		}
	} else if (stat->CurrentRec == NSPI_MID_BEGINNING_OF_TABLE) {
		pos = 0;
	} else if (stat->CurrentRec == NSPI_MID_END_OF_TABLE) {
		pos = t->count;
	} else {
		pos = nspi_table_find(t, stat->CurrentRec);
		if (pos < 0) {
			return NSPI_NotFound;
		}
	}
	/* 3.1.4.5.1: move Delta rows, stopping at either end */
	pos += stat->Delta;
	if (pos < 0) {
		pos = 0;
	}
	if (pos > t->count) {
		pos = t->count;
	}
	*pos_r = (uint32_t)pos;
	return NSPI_Success;
}

void nspi_table_set_stat(const struct nspi_table *t, uint32_t pos,
			 struct nspi_stat *stat)
{
	if (pos > t->count) {
		pos = t->count;
	}
	stat->CurrentRec = pos < t->count ? t->rows[pos].mid :
		NSPI_MID_END_OF_TABLE;
	stat->NumPos = pos;
	stat->TotalRecs = t->count;
	stat->Delta = 0;
}

uint32_t nspi_table_seek(const struct nspi_table *t, const char *target)
{
	uint32_t lo = 0, hi = t->count;

	/* the rows are sorted under t->sort_locale, so also by its first
	 * level: binary search for the first row not below @target there */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (nspi_collate_primary(t->sort_locale,
					 t->rows[mid].display_name ?: "",
					 target) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

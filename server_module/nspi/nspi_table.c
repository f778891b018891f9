/*
 * A container as the client sees it: rows sorted by display name, and the
 * STAT positioning rules of [MS-OXNSPI] 3.1.4.5.
 */
#include "nspi_model.h"

#include <stdlib.h>
#include <time.h>

/* the rows are sorted by collation key (nspi_collate_key), computed once
 * per row, then by MId: qsort needs no locale, so no global either */
struct sort_item {
	const struct nspi_row *row;
	const uint8_t *key;
	size_t key_len;
};

static int sort_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int r = nspi_collate_key_cmp(a->key, a->key_len, b->key, b->key_len);

	if (r != 0) {
		return r;
	}
	return a->row->mid < b->row->mid ? -1 : (a->row->mid > b->row->mid);
}

void nspi_table_sort(struct nspi_table *t, uint32_t locale)
{
	TALLOC_CTX *tmp;
	struct sort_item *items;
	struct nspi_row *sorted;
	uint32_t i;

	t->sort_locale = locale;
	if (t->count < 2) {
		return;
	}
	tmp = talloc_new(NULL);
	items = tmp ? talloc_array(tmp, struct sort_item, t->count) : NULL;
	sorted = tmp ? talloc_array(tmp, struct nspi_row, t->count) : NULL;
	for (i = 0; items != NULL && sorted != NULL && i < t->count; i++) {
		items[i].row = &t->rows[i];
		items[i].key = nspi_collate_key(tmp, locale,
			t->rows[i].display_name ?: "", &items[i].key_len);
		if (items[i].key == NULL) {
			items = NULL;
		}
	}
	if (items == NULL || sorted == NULL) {
		/* leave the table in its old order: still consistent */
		talloc_free(tmp);
		return;
	}
	qsort(items, t->count, sizeof(items[0]), sort_cmp);
	for (i = 0; i < t->count; i++) {
		sorted[i] = *items[i].row;
	}
	for (i = 0; i < t->count; i++) {
		t->rows[i] = sorted[i];
	}
	talloc_free(tmp);
	/* the same MIds at new positions */
	for (i = 0; t->by_mid != NULL && i < t->count; i++) {
		t->by_mid[t->rows[i].mid - NSPI_MID_FIRST] = i + 1;
	}
}

bool nspi_table_index(TALLOC_CTX *mem_ctx, struct nspi_table *t)
{
	uint32_t i, top = 0;

	for (i = 0; i < t->count; i++) {
		if (t->rows[i].mid < NSPI_MID_FIRST) {
			return false;	/* not a session's MId: stay unindexed */
		}
		if (t->rows[i].mid - NSPI_MID_FIRST >= top) {
			top = t->rows[i].mid - NSPI_MID_FIRST + 1;
		}
	}
	TALLOC_FREE(t->by_mid);
	t->n_by_mid = 0;
	/* rows hold distinct MIds below NSPI_MID_FIRST + 4 * container size */
	t->by_mid = talloc_zero_array(mem_ctx, uint32_t, top ? top : 1);
	if (t->by_mid == NULL) {
		return false;
	}
	t->n_by_mid = top;
	for (i = 0; i < t->count; i++) {
		t->by_mid[t->rows[i].mid - NSPI_MID_FIRST] = i + 1;
	}
	return true;
}

int64_t nspi_table_find(const struct nspi_table *t, uint32_t mid)
{
	uint32_t i;

	if (t->by_mid != NULL) {
		if (mid < NSPI_MID_FIRST || mid - NSPI_MID_FIRST >= t->n_by_mid) {
			return -1;
		}
		i = t->by_mid[mid - NSPI_MID_FIRST];
		return i == 0 ? -1 : (int64_t)i - 1;
	}
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

uint64_t nspi_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t nspi_thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * Minimal Entry IDs ([MS-OXNSPI] 2.3.8.1): 32-bit handles for address book
 * objects, "valid only within the NSPI session" that issued them. Each
 * session numbers the objects it meets from NSPI_MID_FIRST up, in the
 * order it meets them, so a MId keeps naming the same object (by its
 * objectGUID) for the whole session, whatever the sort order or container.
 *
 * mid -> guid: an array indexed by mid - NSPI_MID_FIRST.
 * guid -> mid: open addressing over a power-of-two table of indexes + 1.
 */
#include "nspi_model.h"

#include <string.h>

/* one session never sees more objects than this */
#define NSPI_MIDS_MAX	(4 * NSPI_MAX_CONTAINER)

struct nspi_guid {
	uint8_t b[16];
};

struct nspi_mids {
	struct nspi_guid *guids;
	uint32_t count;
	uint32_t alloc;
	uint32_t *slots;	/* 0 = empty, else index + 1 */
	uint32_t n_slots;	/* power of two */
};

struct nspi_mids *nspi_mids_new(TALLOC_CTX *mem_ctx)
{
	struct nspi_mids *m = talloc_zero(mem_ctx, struct nspi_mids);

	if (m == NULL) {
		return NULL;
	}
	m->n_slots = 64;
	m->slots = talloc_zero_array(m, uint32_t, m->n_slots);
	if (m->slots == NULL) {
		talloc_free(m);
		return NULL;
	}
	return m;
}

static uint32_t guid_hash(const uint8_t g[16])
{
	/* FNV-1a: GUIDs are random enough, this only spreads them */
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++) {
		h = (h ^ g[i]) * 16777619u;
	}
	return h;
}

static uint32_t *slot_of(const struct nspi_mids *m, const uint8_t g[16])
{
	uint32_t mask = m->n_slots - 1;
	uint32_t i = guid_hash(g) & mask;

	while (m->slots[i] != 0 &&
	       memcmp(m->guids[m->slots[i] - 1].b, g, 16) != 0) {
		i = (i + 1) & mask;
	}
	return &m->slots[i];
}

static bool rehash(struct nspi_mids *m)
{
	uint32_t *old = m->slots, n_old = m->n_slots, i;

	m->n_slots *= 2;
	m->slots = talloc_zero_array(m, uint32_t, m->n_slots);
	if (m->slots == NULL) {
		m->slots = old;
		m->n_slots = n_old;
		return false;
	}
	for (i = 0; i < n_old; i++) {
		if (old[i] != 0) {
			*slot_of(m, m->guids[old[i] - 1].b) = old[i];
		}
	}
	talloc_free(old);
	return true;
}

uint32_t nspi_mids_find(const struct nspi_mids *m, const uint8_t guid[16])
{
	uint32_t idx = *slot_of(m, guid);

	return idx == 0 ? 0 : NSPI_MID_FIRST + idx - 1;
}

uint32_t nspi_mids_get(struct nspi_mids *m, const uint8_t guid[16])
{
	uint32_t *slot = slot_of(m, guid);

	if (*slot != 0) {
		return NSPI_MID_FIRST + *slot - 1;
	}
	if (m->count >= NSPI_MIDS_MAX) {
		return 0;
	}
	if (m->count == m->alloc) {
		uint32_t n = m->alloc ? m->alloc * 2 : 64;
		struct nspi_guid *g = talloc_realloc(m, m->guids,
						     struct nspi_guid, n);

		if (g == NULL) {
			return 0;
		}
		m->guids = g;
		m->alloc = n;
	}
	/* keep the load factor under one half */
	if ((m->count + 1) * 2 > m->n_slots) {
		if (!rehash(m)) {
			return 0;
		}
		slot = slot_of(m, guid);
	}
	memcpy(m->guids[m->count].b, guid, 16);
	m->count++;
	*slot = m->count;
	return NSPI_MID_FIRST + m->count - 1;
}

const uint8_t *nspi_mids_guid(const struct nspi_mids *m, uint32_t mid)
{
	if (mid < NSPI_MID_FIRST || mid - NSPI_MID_FIRST >= m->count) {
		return NULL;
	}
	return m->guids[mid - NSPI_MID_FIRST].b;
}

uint32_t nspi_mids_count(const struct nspi_mids *m)
{
	return m->count;
}

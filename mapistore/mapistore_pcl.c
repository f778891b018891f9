/*
 * Change identifiers of [MS-OXCFXICS]: XIDs (2.2.2.2: NamespaceGuid +
 * LocalId of 1..8 bytes), source keys (2.2.1.2.5: REPLGUID + GLOBCNT,
 * 22 bytes), change keys (2.2.1.2.7: an XID of the change number) and
 * predecessor change lists (2.2.2.3: SizedXid*, 2.2.1.2.8), merged on
 * every change so the list of integrated changes only ever grows.
 */
#include "mapistore_changes.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

enum mapistore_error mapistore_guid_from_string(const char *text, uint8_t guid[16])
{
	/* text order of the bytes: Data1 (4, LE on the wire), Data2 (2, LE),
	 * Data3 (2, LE), Data4 (8, as written) */
	static const uint8_t wire_pos[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					       8, 9, 10, 11, 12, 13, 14, 15 };
	size_t i, n = 0;

	if (text == NULL || strlen(text) != 36) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	for (i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-') {
				return MAPISTORE_ERR_INVALID_PARAMETER;
			}
			continue;
		}
		hi = hexval(text[i]);
		lo = i + 1 < 36 ? hexval(text[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		guid[wire_pos[n++]] = (uint8_t)((hi << 4) | lo);
		i++;
	}
	return n == 16 ? MAPISTORE_SUCCESS : MAPISTORE_ERR_INVALID_PARAMETER;
}

void mapistore_xid_make(const uint8_t guid[16], uint64_t globcnt,
			uint8_t xid[MAPISTORE_SOURCE_KEY_SIZE])
{
	int i;

	memcpy(xid, guid, 16);
	/* GLOBCNT: 6 bytes, most significant first ([MS-OXCFXICS] 2.2.2.5) */
	for (i = 0; i < 6; i++) {
		xid[16 + i] = (uint8_t)(globcnt >> (8 * (5 - i)));
	}
}

enum mapistore_error mapistore_pcl_parse(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, struct mapistore_xid **xids_r, uint32_t *count_r)
{
	struct mapistore_xid *xids;
	size_t pos = 0;
	uint32_t n = 0;

	if (xids_r == NULL || count_r == NULL || (length > 0 && data == NULL)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	/* each SizedXid takes at least 18 bytes: bound the count first */
	if (length / 18 > MAPISTORE_PCL_MAX_XIDS) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	xids = talloc_zero_array(mem_ctx, struct mapistore_xid, length / 18 + 1);
	if (xids == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	while (pos < length) {
		uint8_t size = data[pos];

		/* XidSize covers NamespaceGuid (16) + LocalId (1..8) */
		if (size < 17 || size > 24 || length - pos - 1 < size) {
			talloc_free(xids);
			return MAPISTORE_ERR_CORRUPTED;
		}
		memcpy(xids[n].guid, data + pos + 1, 16);
		xids[n].local_id_size = (uint8_t)(size - 16);
		memcpy(xids[n].local_id, data + pos + 17, xids[n].local_id_size);
		n++;
		pos += 1 + (size_t)size;
	}
	*xids_r = xids;
	*count_r = n;
	return MAPISTORE_SUCCESS;
}

/* 1 if @a supersedes @b (same namespace: compare LocalIds big-endian;
 * LocalIds of one namespace have one length, [MS-OXCFXICS] 2.2.2.2). */
static int local_cmp(const struct mapistore_xid *a, const struct mapistore_xid *b)
{
	if (a->local_id_size != b->local_id_size) {
		return (a->local_id_size > b->local_id_size) - (a->local_id_size < b->local_id_size);
	}
	return memcmp(a->local_id, b->local_id, a->local_id_size);
}

/* Fold @p x into the list: one XID per namespace, the greatest. */
static void fold(struct mapistore_xid *list, uint32_t *n, const struct mapistore_xid *x)
{
	uint32_t i;

	for (i = 0; i < *n; i++) {
		if (memcmp(list[i].guid, x->guid, 16) == 0) {
			if (local_cmp(x, &list[i]) > 0) {
				list[i] = *x;
			}
			return;
		}
	}
	list[(*n)++] = *x;
}

enum mapistore_error mapistore_pcl_merge(TALLOC_CTX *mem_ctx,
	const struct mapistore_binary *a, const struct mapistore_binary *b,
	struct mapistore_binary *out)
{
	struct mapistore_xid *xa = NULL, *xb = NULL, *all;
	uint32_t na = 0, nb = 0, n = 0, i;
	enum mapistore_error ret;
	TALLOC_CTX *tmp = talloc_new(NULL);
	uint8_t *buf;
	size_t o = 0;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = mapistore_pcl_parse(tmp, a ? a->data : NULL, a ? a->length : 0, &xa, &na);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_pcl_parse(tmp, b ? b->data : NULL, b ? b->length : 0, &xb, &nb);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(tmp);
		return ret;
	}
	all = talloc_array(tmp, struct mapistore_xid, na + nb + 1);
	if (all == NULL) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < na; i++) {
		fold(all, &n, &xa[i]);
	}
	for (i = 0; i < nb; i++) {
		fold(all, &n, &xb[i]);
	}
	buf = talloc_array(mem_ctx, uint8_t, (size_t)n * 25 + 1);
	if (buf == NULL) {
		talloc_free(tmp);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; i < n; i++) {
		buf[o++] = (uint8_t)(16 + all[i].local_id_size);
		memcpy(buf + o, all[i].guid, 16);
		o += 16;
		memcpy(buf + o, all[i].local_id, all[i].local_id_size);
		o += all[i].local_id_size;
	}
	talloc_free(tmp);
	out->data = buf;
	out->length = o;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_pcl_from_xid(TALLOC_CTX *mem_ctx, const uint8_t *xid,
	size_t xid_size, struct mapistore_binary *out)
{
	uint8_t *buf;

	if (xid == NULL || xid_size < 17 || xid_size > 24 || out == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	buf = talloc_array(mem_ctx, uint8_t, xid_size + 1);
	if (buf == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	buf[0] = (uint8_t)xid_size;
	memcpy(buf + 1, xid, xid_size);
	out->data = buf;
	out->length = xid_size + 1;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_pcl_includes(const struct mapistore_binary *pcl,
	const uint8_t *xid, size_t xid_size, bool *included_r)
{
	struct mapistore_xid *xids = NULL, x;
	enum mapistore_error ret;
	uint32_t n = 0, i;

	if (xid == NULL || xid_size < 17 || xid_size > 24 || included_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	memcpy(x.guid, xid, 16);
	x.local_id_size = (uint8_t)(xid_size - 16);
	memcpy(x.local_id, xid + 16, x.local_id_size);
	ret = mapistore_pcl_parse(NULL, pcl ? pcl->data : NULL, pcl ? pcl->length : 0, &xids, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	*included_r = false;
	for (i = 0; i < n; i++) {
		if (memcmp(xids[i].guid, x.guid, 16) == 0 && local_cmp(&xids[i], &x) >= 0) {
			*included_r = true;
		}
	}
	talloc_free(xids);
	return MAPISTORE_SUCCESS;
}

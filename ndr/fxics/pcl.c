/*
 * PredecessorChangeList helpers ([MS-OXCFXICS] 2.2.2.4.2 PidTagPredecessorChangeList,
 * conflict detection in 3.1.5.6): a PCL holds, per namespace (replica GUID),
 * the XID of the latest change seen from it. The wire codec is ndr/rop's
 * oxcdata_pcl_decode() / oxcdata_pcl_encode().
 */
#include <string.h>

#include "idset.h"

/* LocalIds of equal size compare as big-endian numbers; a longer one wins */
static int localid_cmp(const struct XID *a, const struct XID *b)
{
	if (a->LocalIdSize != b->LocalIdSize) {
		return a->LocalIdSize < b->LocalIdSize ? -1 : 1;
	}
	return memcmp(a->LocalId, b->LocalId, a->LocalIdSize);
}

static const struct XID *find_ns(const struct PredecessorChangeList *pcl, const uint8_t *guid)
{
	uint32_t i;

	for (i = 0; i < pcl->Count; i++) {
		if (memcmp(pcl->Xids[i].NamespaceGuid, guid, 16) == 0) {
			return &pcl->Xids[i];
		}
	}
	return NULL;
}

enum rop_err pcl_add_xid(struct PredecessorChangeList *pcl, const struct XID *xid)
{
	struct XID *n;
	uint32_t i, pos;

	if (xid->LocalIdSize < 1 || xid->LocalIdSize > 8) {
		return ROP_ERR_INVALID;
	}
	for (i = 0; i < pcl->Count; i++) {
		if (memcmp(pcl->Xids[i].NamespaceGuid, xid->NamespaceGuid, 16) == 0) {
			if (localid_cmp(&pcl->Xids[i], xid) < 0) {
				pcl->Xids[i] = *xid;
			}
			return ROP_OK;
		}
	}
	if (pcl->Count == UINT32_MAX) {
		return ROP_ERR_TOO_BIG;
	}
	n = talloc_realloc(pcl, pcl->Xids, struct XID, pcl->Count + 1);
	if (n == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (pos = 0; pos < pcl->Count && memcmp(n[pos].NamespaceGuid, xid->NamespaceGuid, 16) < 0;
	     pos++) {
	}
	memmove(&n[pos + 1], &n[pos], (pcl->Count - pos) * sizeof(n[0]));
	n[pos] = *xid;
	pcl->Xids = n;
	pcl->Count++;
	return ROP_OK;
}

enum rop_err pcl_merge(TALLOC_CTX *mem_ctx, const struct PredecessorChangeList *a,
		       const struct PredecessorChangeList *b, struct PredecessorChangeList **out)
{
	struct PredecessorChangeList *pcl = talloc_zero(mem_ctx, struct PredecessorChangeList);
	enum rop_err err = ROP_OK;
	uint32_t i;

	*out = NULL;
	if (pcl == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	for (i = 0; err == ROP_OK && i < a->Count; i++) {
		err = pcl_add_xid(pcl, &a->Xids[i]);
	}
	for (i = 0; err == ROP_OK && i < b->Count; i++) {
		err = pcl_add_xid(pcl, &b->Xids[i]);
	}
	if (err != ROP_OK) {
		talloc_free(pcl);
		return err;
	}
	*out = pcl;
	return ROP_OK;
}

bool pcl_includes(const struct PredecessorChangeList *a, const struct PredecessorChangeList *b)
{
	uint32_t i;

	for (i = 0; i < b->Count; i++) {
		const struct XID *x = find_ns(a, b->Xids[i].NamespaceGuid);

		if (x == NULL || localid_cmp(x, &b->Xids[i]) < 0) {
			return false;
		}
	}
	return true;
}

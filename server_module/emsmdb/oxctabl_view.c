/*
 * [MS-OXCTABL] views of a table: RopSortTable (2.2.2.3), RopRestrict
 * (2.2.2.4) and the bookmarks (RopCreateBookmark 2.2.2.11,
 * RopSeekRowBookmark 2.2.2.10, RopFreeBookmark 2.2.2.14), on backend
 * tables (mapistore sorts and restricts itself when the backend cannot).
 * Hierarchy tables of openchangedb folders keep their natural order and
 * answer these ROPs with ecNotSupported. A CategorizedCount makes the
 * table categorized (oxctabl_categ.c); bookmarks of a categorized table
 * are the categorized view's.
 */
#include "oxctabl_ext.h"

#include <string.h>

#define TBLSTAT_COMPLETE 0x00
/* [MS-OXCDATA] 2.13.1 Order values */
#define TABLE_SORT_COMBINE 0x02
#define TABLE_SORT_MAXIMUM_CATEGORY 0x04
#define TABLE_SORT_MINIMUM_CATEGORY 0x08
/* [MS-OXCDATA] 2.11.1 MultivalueInstance bit of a property type */
#define MV_INSTANCE 0x2000

static struct emsmdb_table *emsmdb_backend_table(struct emsmdb_rop_call *call)
{
	struct emsmdb_table *t = talloc_get_type(call->in->private_data,
						 struct emsmdb_table);

	return t != NULL && t->mt != NULL ? t : NULL;
}

/* the one child of a SubObject or Count restriction, on @mem_ctx */
static uint32_t emsmdb_res_child(TALLOC_CTX *mem_ctx, const struct Restriction *in,
				 unsigned depth, struct mapistore_restriction **out_r)
{
	*out_r = talloc_zero(mem_ctx, struct mapistore_restriction);
	if (*out_r == NULL) {
		return ecMAPIOOM;
	}
	return emsmdb_res_from_wire(mem_ctx, in, depth + 1, *out_r);
}

/* [MS-OXCDATA] 2.12: wire restriction -> mapistore, depth bounded */
uint32_t emsmdb_res_from_wire(TALLOC_CTX *mem_ctx, const struct Restriction *in,
			      unsigned depth, struct mapistore_restriction *out)
{
	uint32_t i, ec;

	if (in == NULL || depth > MAPISTORE_MAX_RESTRICTION_DEPTH) {
		return ecInvalidParam;
	}
	memset(out, 0, sizeof(*out));
	switch (in->RestrictType) {
	case RES_AND:
	case RES_OR:
		out->type = in->RestrictType == RES_AND ? MAPISTORE_RES_AND : MAPISTORE_RES_OR;
		out->u.andor.count = in->u.And.RestrictCount;
		out->u.andor.res = talloc_zero_array(mem_ctx, struct mapistore_restriction,
						     in->u.And.RestrictCount + 1);
		if (out->u.andor.res == NULL) {
			return ecMAPIOOM;
		}
		for (i = 0; i < in->u.And.RestrictCount; i++) {
			ec = emsmdb_res_from_wire(mem_ctx, &in->u.And.Restricts[i],
						  depth + 1, &out->u.andor.res[i]);
			if (ec != ecSuccess) {
				return ec;
			}
		}
		return ecSuccess;
	case RES_NOT:
		out->type = MAPISTORE_RES_NOT;
		out->u.not_res = talloc_zero(mem_ctx, struct mapistore_restriction);
		if (out->u.not_res == NULL) {
			return ecMAPIOOM;
		}
		return emsmdb_res_from_wire(mem_ctx, in->u.Not.Restriction, depth + 1,
					    out->u.not_res);
	case RES_CONTENT:
		out->type = MAPISTORE_RES_CONTENT;
		out->u.content.fuzzy_level = in->u.Content.FuzzyLevelLow |
			((uint32_t)in->u.Content.FuzzyLevelHigh << 16);
		out->u.content.proptag = in->u.Content.PropertyTag;
		return emsmdb_prop_from_wire(mem_ctx, &in->u.Content.TaggedValue,
					     &out->u.content.prop);
	case RES_PROPERTY:
		if (in->u.Property.RelOp > RELOP_RE) {
			return ecInvalidParam;
		}
		out->type = MAPISTORE_RES_PROPERTY;
		out->u.property.relop = in->u.Property.RelOp;
		out->u.property.proptag = in->u.Property.PropTag;
		return emsmdb_prop_from_wire(mem_ctx, &in->u.Property.TaggedValue,
					     &out->u.property.prop);
	case RES_COMPAREPROPS:
		if (in->u.CompareProperties.RelOp > RELOP_RE) {
			return ecInvalidParam;
		}
		out->type = MAPISTORE_RES_COMPARE_PROPS;
		out->u.compare.relop = in->u.CompareProperties.RelOp;
		out->u.compare.proptag1 = in->u.CompareProperties.PropTag1;
		out->u.compare.proptag2 = in->u.CompareProperties.PropTag2;
		return ecSuccess;
	case RES_BITMASK:
		out->type = MAPISTORE_RES_BITMASK;
		out->u.bitmask.relop = in->u.Bitmask.BitmapRelOp;
		out->u.bitmask.proptag = in->u.Bitmask.PropTag;
		out->u.bitmask.mask = in->u.Bitmask.Mask;
		return ecSuccess;
	case RES_SIZE:
		if (in->u.Size.RelOp > RELOP_RE) {
			return ecInvalidParam;
		}
		out->type = MAPISTORE_RES_SIZE;
		out->u.size.relop = in->u.Size.RelOp;
		out->u.size.proptag = in->u.Size.PropTag;
		out->u.size.size = in->u.Size.Size;
		return ecSuccess;
	case RES_EXIST:
		out->type = MAPISTORE_RES_EXIST;
		out->u.exist.proptag = in->u.Exist.PropTag;
		return ecSuccess;
	case RES_COMMENT:
		/* a comment restricts as its restriction, or not at all */
		if (in->u.Comment.RestrictionPresent && in->u.Comment.Restriction) {
			return emsmdb_res_from_wire(mem_ctx, in->u.Comment.Restriction,
						    depth + 1, out);
		}
		out->type = MAPISTORE_RES_AND;
		return ecSuccess;
	case RES_SUBRESTRICTION:
		/* 2.12.10: the subobject is the recipients or the attachments */
		if (in->u.SubObject.Subobject != PidTagMessageRecipients &&
		    in->u.SubObject.Subobject != PidTagMessageAttachments) {
			return ecInvalidParam;
		}
		out->type = MAPISTORE_RES_SUBRESTRICTION;
		out->u.sub.subobject = in->u.SubObject.Subobject;
		return emsmdb_res_child(mem_ctx, in->u.SubObject.Restriction, depth,
					&out->u.sub.res);
	case RES_COUNT:
		/* 2.12.12: the first Count objects that match SubRestriction */
		out->type = MAPISTORE_RES_COUNT;
		out->u.count.count = in->u.Count.Count;
		return emsmdb_res_child(mem_ctx, in->u.Count.SubRestriction, depth,
					&out->u.count.res);
	default:
		return ecInvalidParam;
	}
}

/* [MS-OXCTABL] 2.2.2.4 RopRestrict; no restriction data clears it */
uint32_t oxctabl_RopRestrict(struct emsmdb_rop_call *call)
{
	const struct RopRestrict_req *req = &call->req->u.RopRestrict;
	struct emsmdb_table *t = emsmdb_backend_table(call);
	struct mapistore_restriction *res = NULL;
	uint32_t ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (req->RestrictionData != NULL) {
		res = talloc_zero(call->mem_ctx, struct mapistore_restriction);
		if (res == NULL) {
			return ecMAPIOOM;
		}
		ec = emsmdb_res_from_wire(call->mem_ctx, req->RestrictionData, 0, res);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	ec = emsmdb_ms_ec(mapistore_table_restrict(t->mt, res));
	if (ec == ecSuccess) {
		mapistore_table_get_row_count(t->mt, &t->count);
	}
	emsmdb_categ_invalidate(t, true);
	call->resp->u.RopRestrict.TableStatus = TBLSTAT_COMPLETE;
	return ec;
}

/*
 * [MS-OXCTABL] 2.2.2.3 RopSortTable, 3.2.5.2: the first CategorizedCount
 * sort orders are category columns, ExpandedCount of those levels start
 * expanded. Every level is sorted by mapistore (category columns first),
 * so the categorized view is built in one ordered pass. A
 * MaximumCategory / MinimumCategory order ([MS-OXCDATA] 2.13.1) may follow
 * the last category column: it orders the categories
 * (oxctabl_categ_aggregate.c) and is not given to mapistore.
 */
uint32_t oxctabl_RopSortTable(struct emsmdb_rop_call *call)
{
	const struct RopSortTable_req *req = &call->req->u.RopSortTable;
	struct emsmdb_table *t = emsmdb_backend_table(call);
	struct emsmdb_categ_aggregate agg = { 0 };
	struct mapistore_sort_order *order;
	uint16_t i, j, n = 0;
	bool has_agg = false;
	uint32_t ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	if (req->SortOrderCount > MAPISTORE_MAX_COLUMNS ||
	    req->CategorizedCount > req->SortOrderCount ||
	    req->ExpandedCount > req->CategorizedCount ||
	    req->CategorizedCount > EMSMDB_CATEG_MAX_LEVELS) {
		return ecInvalidParam;
	}
	order = talloc_zero_array(call->mem_ctx, struct mapistore_sort_order,
				  req->SortOrderCount + 1);
	if (order == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < req->SortOrderCount; i++) {
		const struct SortOrder *so = &req->SortOrders[i];
		uint32_t tag = MAPISTORE_PROP_TAG(so->PropertyId, so->PropertyType);

		/* combined categories and multivalue instances are not done */
		if ((so->Order & TABLE_SORT_COMBINE) || (so->PropertyType & MV_INSTANCE)) {
			return ecNotSupported;
		}
		if (so->Order & (TABLE_SORT_MAXIMUM_CATEGORY | TABLE_SORT_MINIMUM_CATEGORY)) {
			/* only right after the last category column, once */
			if (req->CategorizedCount == 0 || i != req->CategorizedCount ||
			    (so->Order != TABLE_SORT_MAXIMUM_CATEGORY &&
			     so->Order != TABLE_SORT_MINIMUM_CATEGORY)) {
				return ecInvalidParam;
			}
			has_agg = true;
			agg.proptag = tag;
			agg.maximum = so->Order == TABLE_SORT_MAXIMUM_CATEGORY;
			/* the direction of a later order on the same column */
			for (j = i + 1; j < req->SortOrderCount; j++) {
				const struct SortOrder *later = &req->SortOrders[j];

				if (MAPISTORE_PROP_TAG(later->PropertyId,
						       later->PropertyType) == tag) {
					agg.descending = later->Order == TABLE_SORT_DESCEND;
					break;
				}
			}
			continue;
		}
		order[n].proptag = tag;
		order[n].order = so->Order == TABLE_SORT_DESCEND ? TABLE_SORT_DESCEND :
								   TABLE_SORT_ASCEND;
		n++;
	}
	call->resp->u.RopSortTable.TableStatus = TBLSTAT_COMPLETE;
	ec = emsmdb_ms_ec(mapistore_table_sort(t->mt, order, n));
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->CategorizedCount == 0) {
		TALLOC_FREE(t->categ);
		return ecSuccess;
	}
	return emsmdb_categ_set(call, t, order, n, req->CategorizedCount,
				req->ExpandedCount, has_agg ? &agg : NULL);
}

/* [MS-OXCTABL] 2.2.2.11 RopCreateBookmark: 4 opaque bytes */
uint32_t oxctabl_RopCreateBookmark(struct emsmdb_rop_call *call)
{
	struct RopCreateBookmark_resp *resp = &call->resp->u.RopCreateBookmark;
	struct emsmdb_table *t = emsmdb_backend_table(call);
	uint32_t bookmark = 0, ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = t->categ != NULL ? emsmdb_categ_bookmark_create(t, &bookmark) :
		emsmdb_ms_ec(mapistore_table_create_bookmark(t->mt, &bookmark));
	if (ec != ecSuccess) {
		return ec;
	}
	resp->Bookmark = talloc_memdup(call->mem_ctx, &bookmark, 4);
	if (resp->Bookmark == NULL) {
		return ecMAPIOOM;
	}
	resp->BookmarkSize = 4;
	return ecSuccess;
}

static uint32_t emsmdb_bookmark(uint16_t size, const uint8_t *data,
				uint32_t *bookmark_r)
{
	if (size != 4 || data == NULL) {
		return ecInvalidParam;
	}
	memcpy(bookmark_r, data, 4);
	return ecSuccess;
}

/* a categorized table's bookmark, then @offset rows from it */
static uint32_t emsmdb_categ_seek_bookmark(struct emsmdb_table *t, uint32_t id,
					   int32_t offset, int32_t *moved_r,
					   bool *gone_r)
{
	uint32_t count = 0, cursor = 0, pos = 0, ec;
	int64_t target;

	ec = emsmdb_categ_bookmark_find(t, id, &pos, gone_r);
	if (ec != ecSuccess) {
		return ec;
	}
	emsmdb_categ_state(t, &count, &cursor);
	target = (int64_t)pos + offset;
	target = target < 0 ? 0 : target > count ? count : target;
	emsmdb_categ_seek(t, (uint32_t)target);
	*moved_r = (int32_t)(target - pos);
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.10 RopSeekRowBookmark */
uint32_t oxctabl_RopSeekRowBookmark(struct emsmdb_rop_call *call)
{
	const struct RopSeekRowBookmark_req *req = &call->req->u.RopSeekRowBookmark;
	struct RopSeekRowBookmark_resp *resp = &call->resp->u.RopSeekRowBookmark;
	struct emsmdb_table *t = emsmdb_backend_table(call);
	uint32_t bookmark, ec;
	int32_t moved = 0;
	bool gone = false;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_bookmark(req->BookmarkSize, req->Bookmark, &bookmark);
	if (ec != ecSuccess) {
		return ec;
	}
	if (t->categ != NULL) {
		ec = emsmdb_categ_seek_bookmark(t, bookmark, (int32_t)req->RowCount,
						&moved, &gone);
	} else {
		ec = emsmdb_ms_ec(mapistore_table_seek_bookmark(t->mt, bookmark,
			(int32_t)req->RowCount, &moved));
	}
	if (ec != ecSuccess) {
		return ec;
	}
	resp->RowNoLongerVisible = gone;
	resp->HasSoughtLess = moved != (int32_t)req->RowCount;
	resp->RowsSought = req->WantRowMovedCount ? (uint32_t)moved : 0;
	return ecSuccess;
}

/* [MS-OXCTABL] 2.2.2.14 RopFreeBookmark */
uint32_t oxctabl_RopFreeBookmark(struct emsmdb_rop_call *call)
{
	const struct RopFreeBookmark_req *req = &call->req->u.RopFreeBookmark;
	struct emsmdb_table *t = emsmdb_backend_table(call);
	uint32_t bookmark, ec;

	if (t == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_bookmark(req->BookmarkSize, req->Bookmark, &bookmark);
	if (ec != ecSuccess) {
		return ec;
	}
	return t->categ != NULL ? emsmdb_categ_bookmark_free(t, bookmark) :
		emsmdb_ms_ec(mapistore_table_free_bookmark(t->mt, bookmark));
}

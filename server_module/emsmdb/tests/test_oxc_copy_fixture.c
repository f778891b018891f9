/*
 * The fixture of the issue-7 handler tests: see test_oxc_copy_fixture.h.
 */
#include "test_oxc_copy_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* columns for decoding RopQueryRows responses */
static const uint32_t *cf_columns;
static uint32_t cf_column_count;

struct rop_buffer *cf_run(struct copy_fixture *f, TALLOC_CTX *mem_ctx,
			  struct rop_request *reqs, uint32_t n)
{
	struct emsmdb_test_rops rt = { .s = f->s, .handles = f->handles,
				       .handle_count = CF_NHANDLES, .columns = cf_columns,
				       .column_count = cf_column_count };
	struct rop_buffer *out = emsmdb_test_run(&rt, mem_ctx, reqs, n);
	uint32_t i, releases = 0;

	for (i = 0; i < n; i++) {
		releases += reqs[i].RopId == RopRelease;
	}
	assert_int_equal(out->count, n - releases);
	return out;
}

uint32_t cf_rv(const struct rop_response *r)
{
	return emsmdb_test_rv(r);
}

uint32_t cf_one(struct copy_fixture *f, struct rop_request *r,
		struct rop_response **out_r)
{
	struct rop_buffer *out = cf_run(f, f, r, 1);

	if (out_r != NULL) {
		*out_r = &out->responses[0];
	}
	return cf_rv(&out->responses[0]);
}

struct copy_fixture *cf_new(TALLOC_CTX *mem_ctx, const char *tag)
{
	struct copy_fixture *f = talloc_zero(mem_ctx, struct copy_fixture);
	struct emsmdb_test_rops rt = { .handle_count = CF_NHANDLES };

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, tag, CF_DN);
	memset(f->handles, 0xFF, sizeof(f->handles));
	rt.s = f->s;
	rt.handles = f->handles;
	emsmdb_test_logon(&rt, f, CF_DN, 0, ecSuccess, f->fids);
	return f;
}

void cf_free(struct copy_fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

void cf_open_folder(struct copy_fixture *f, uint64_t fid, uint8_t index)
{
	struct emsmdb_test_rops rt = { .s = f->s, .handles = f->handles,
				       .handle_count = CF_NHANDLES };

	emsmdb_test_open_folder(&rt, f, 0, index, fid);
}

uint64_t cf_create_folder(struct copy_fixture *f, uint8_t parent, const char *name,
			  uint8_t index)
{
	struct rop_request r;
	struct rop_response *resp;

	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateFolder;
	r.u.RopCreateFolder.InputHandleIndex = parent;
	r.u.RopCreateFolder.OutputHandleIndex = index;
	r.u.RopCreateFolder.FolderType = 1;
	r.u.RopCreateFolder.UseUnicodeStrings = 1;
	r.u.RopCreateFolder.DisplayName = (char *)(uintptr_t)name;
	r.u.RopCreateFolder.Comment = (char *)(uintptr_t)"";
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	return resp->u.RopCreateFolder.FolderId;
}

uint64_t cf_make_message(struct copy_fixture *f, uint8_t folder_index, uint64_t fid,
			 const char *subject)
{
	struct emsmdb_test_rops rt = { .s = f->s, .handles = f->handles,
				       .handle_count = CF_NHANDLES };
	struct emsmdb_test_message m = { .folder = folder_index, .msg = 15, .response = 15,
					 .fid = fid, .subject = subject };
	uint64_t mid = emsmdb_test_new_message(&rt, f, &m);

	cf_release(f, 15);
	return mid;
}

uint32_t cf_open_message(struct copy_fixture *f, uint64_t fid, uint64_t mid,
			 uint8_t mode, uint8_t index)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenMessage;
	r.u.RopOpenMessage.InputHandleIndex = 0;
	r.u.RopOpenMessage.OutputHandleIndex = index;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = fid;
	r.u.RopOpenMessage.MessageId = mid;
	r.u.RopOpenMessage.OpenModeFlags = mode;
	return cf_one(f, &r, NULL);
}

static const struct RowPropertyValue *cf_get(struct copy_fixture *f, uint8_t index,
					     uint32_t *tag)
{
	struct rop_request r;
	struct rop_response *resp;

	memset(&r, 0, sizeof(r));
	r.RopId = RopGetPropertiesSpecific;
	r.u.RopGetPropertiesSpecific.InputHandleIndex = index;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = 1;
	r.u.RopGetPropertiesSpecific.PropertyTags = tag;
	assert_int_equal(cf_one(f, &r, &resp), ecSuccess);
	assert_int_equal(resp->u.RopGetPropertiesSpecific.RowData.ValueCount, 1);
	return &resp->u.RopGetPropertiesSpecific.RowData.Values[0];
}

bool cf_has(struct copy_fixture *f, uint8_t index, uint32_t tag)
{
	return cf_get(f, index, &tag)->Flag == 0;
}

uint32_t cf_get_i32(struct copy_fixture *f, uint8_t index, uint32_t tag)
{
	const struct RowPropertyValue *v = cf_get(f, index, &tag);

	if (v->Flag != 0) {
		fail_msg("property 0x%08x missing", tag);
	}
	return (tag & 0xFFFF) == PtypBoolean ? v->Value.u.b : v->Value.u.l;
}

const char *cf_get_str(struct copy_fixture *f, TALLOC_CTX *mem_ctx, uint8_t index,
		       uint32_t tag)
{
	const struct RowPropertyValue *v = cf_get(f, index, &tag);

	if (v->Flag != 0) {
		return NULL;
	}
	return talloc_strdup(mem_ctx, v->Value.u.str);
}

struct oxcdata_binary *cf_get_bin(struct copy_fixture *f, TALLOC_CTX *mem_ctx,
				  uint8_t index, uint32_t tag)
{
	const struct RowPropertyValue *v = cf_get(f, index, &tag);
	struct oxcdata_binary *b;

	if (v->Flag != 0) {
		return NULL;
	}
	b = talloc_zero(mem_ctx, struct oxcdata_binary);
	assert_non_null(b);
	b->cb = v->Value.u.bin.cb;
	b->lpb = talloc_memdup(b, v->Value.u.bin.lpb, v->Value.u.bin.cb);
	return b;
}

static uint32_t cf_set(struct copy_fixture *f, uint8_t index, struct TaggedPropertyValue *v)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = RopSetProperties;
	r.u.RopSetProperties.InputHandleIndex = index;
	r.u.RopSetProperties.PropertyValueCount = 1;
	r.u.RopSetProperties.PropertyValues = v;
	return cf_one(f, &r, NULL);
}

uint32_t cf_set_str(struct copy_fixture *f, uint8_t index, uint32_t tag, const char *s)
{
	struct TaggedPropertyValue v;

	memset(&v, 0, sizeof(v));
	v.PropertyTag = tag;
	v.Value.PropertyType = PtypString;
	v.Value.u.str = (char *)(uintptr_t)s;
	return cf_set(f, index, &v);
}

uint32_t cf_set_i32(struct copy_fixture *f, uint8_t index, uint32_t tag, uint32_t i)
{
	struct TaggedPropertyValue v;

	memset(&v, 0, sizeof(v));
	v.PropertyTag = tag;
	v.Value.PropertyType = PtypInteger32;
	v.Value.u.l = i;
	return cf_set(f, index, &v);
}

void cf_release(struct copy_fixture *f, uint8_t index)
{
	struct rop_request r;

	memset(&r, 0, sizeof(r));
	r.RopId = RopRelease;
	r.u.RopRelease.InputHandleIndex = index;
	cf_run(f, f, &r, 1);
	f->handles[index] = 0xFFFFFFFF;
}

/* the rows of a table of the folder at @index, columns @cols (2 at most) */
static struct rop_buffer *cf_rows(struct copy_fixture *f, uint8_t index, bool hierarchy,
				  const uint32_t *cols, uint16_t ncols)
{
	struct rop_request r[3];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	if (hierarchy) {
		r[0].RopId = RopGetHierarchyTable;
		r[0].u.RopGetHierarchyTable.InputHandleIndex = index;
		r[0].u.RopGetHierarchyTable.OutputHandleIndex = 14;
	} else {
		r[0].RopId = RopGetContentsTable;
		r[0].u.RopGetContentsTable.InputHandleIndex = index;
		r[0].u.RopGetContentsTable.OutputHandleIndex = 14;
	}
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 14;
	r[1].u.RopSetColumns.PropertyTagCount = ncols;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 14;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 1000;
	cf_columns = cols;
	cf_column_count = ncols;
	out = cf_run(f, f, r, 3);
	cf_columns = NULL;
	cf_column_count = 0;
	assert_int_equal(cf_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(cf_rv(&out->responses[2]), ecSuccess);
	cf_release(f, 14);
	return out;
}

uint64_t cf_child(struct copy_fixture *f, uint8_t index, const char *name)
{
	static const uint32_t cols[2] = { PidTagFolderId, PidTagDisplayName };
	struct rop_buffer *out = cf_rows(f, index, true, cols, 2);
	const struct RopQueryRows_resp *q = &out->responses[2].u.RopQueryRows;
	uint16_t i;

	for (i = 0; i < q->RowCount; i++) {
		const struct RowPropertyValue *v = q->RowData[i].Values;

		if (q->RowData[i].Flag == 0 && strcmp(v[1].Value.u.str, name) == 0) {
			return v[0].Value.u.d;
		}
		if (q->RowData[i].Flag != 0 && v[1].Flag == 0 &&
		    strcmp(v[1].Value.u.str, name) == 0) {
			return v[0].Value.u.d;
		}
	}
	return 0;
}

uint32_t cf_count(struct copy_fixture *f, uint8_t index, bool hierarchy)
{
	static const uint32_t cols[1] = { PidTagFolderId };

	return cf_rows(f, index, hierarchy, cols, 1)->responses[2].u.RopQueryRows.RowCount;
}

/* The fixture of test_oxctabl_common.h. */
#include "test_oxctabl_common.h"

#include <string.h>

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"

/* backends/local/local_backend.c */
enum mapistore_error mapistore_local_backend_register(void);

struct tt_fixture *tt_new(TALLOC_CTX *mem_ctx, const char *tag,
			  const char *backend)
{
	struct tt_fixture *f = talloc_zero(mem_ctx, struct tt_fixture);
	struct emsmdb_test_rops rt = { .handle_count = TT_HANDLES };
	uint64_t fids[13];

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, tag, DN);
	if (strcmp(backend, "local") == 0 &&
	    mapistore_backend_lookup("local") == NULL) {
		assert_int_equal(mapistore_local_backend_register(), MAPISTORE_SUCCESS);
	}
	f->t.cfg.default_backend = backend;
	f->max_out = 0x8000;
	memset(f->handles, 0xFF, sizeof(f->handles));
	rt.s = f->s;
	rt.handles = f->handles;
	emsmdb_test_logon(&rt, f, DN, 0, ecSuccess, fids);
	/* FolderIds[4]: the Inbox ([MS-OXCSTOR] 2.2.1.1.3) */
	f->inbox = fids[4];
	f->root = fids[0];
	emsmdb_test_open_folder(&rt, f, 0, 1, f->inbox);
	return f;
}

void tt_free(struct tt_fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

struct rop_buffer *tt_run(struct tt_fixture *f, TALLOC_CTX *mem_ctx,
			  struct rop_request *reqs, uint32_t n)
{
	struct emsmdb_test_rops rt = { .s = f->s, .handles = f->handles,
				       .handle_count = TT_HANDLES, .max_out = f->max_out,
				       .columns = f->columns, .column_count = f->column_count };
	struct rop_buffer *out = emsmdb_test_run(&rt, mem_ctx, reqs, n);

	return out;
}

uint32_t tt_rv(const struct rop_response *r)
{
	return emsmdb_test_rv(r);
}

void tt_message(struct tt_fixture *f, const char *subject, const char *cls)
{
	struct TaggedPropertyValue v[2];
	struct rop_request r[4];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	memset(v, 0, sizeof(v));
	v[0].PropertyTag = PidTagSubject;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = (char *)(uintptr_t)subject;
	v[1].PropertyTag = PidTagMessageClass;
	v[1].Value.PropertyType = PtypString;
	v[1].Value.u.str = (char *)(uintptr_t)cls;
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.InputHandleIndex = 1;
	r[0].u.RopCreateMessage.OutputHandleIndex = 3;
	r[0].u.RopCreateMessage.FolderId = f->inbox;
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = 3;
	r[1].u.RopSetProperties.PropertyValueCount = 2;
	r[1].u.RopSetProperties.PropertyValues = v;
	r[2].RopId = RopSaveChangesMessage;
	r[2].u.RopSaveChangesMessage.ResponseHandleIndex = 4;
	r[2].u.RopSaveChangesMessage.InputHandleIndex = 3;
	r[3].RopId = RopRelease;
	r[3].u.RopRelease.InputHandleIndex = 3;
	out = tt_run(f, f, r, 4);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(tt_rv(&out->responses[2]), ecSuccess);
	talloc_free(out);
}

void tt_table(struct tt_fixture *f, const uint32_t *cols, uint32_t count)
{
	struct rop_request r[2];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetContentsTable;
	r[0].u.RopGetContentsTable.InputHandleIndex = 1;
	r[0].u.RopGetContentsTable.OutputHandleIndex = 2;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 2;
	r[1].u.RopSetColumns.PropertyTagCount = (uint16_t)count;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	out = tt_run(f, f, r, 2);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(tt_rv(&out->responses[1]), ecSuccess);
	talloc_free(out);
	f->columns = cols;
	f->column_count = count;
}

uint32_t tt_sort(struct tt_fixture *f, const struct SortOrder *orders,
		 uint16_t count, uint16_t categorized, uint16_t expanded)
{
	struct rop_request r = { .RopId = RopSortTable };
	struct rop_buffer *out;
	uint32_t rv;

	r.u.RopSortTable.InputHandleIndex = 2;
	r.u.RopSortTable.SortOrderCount = count;
	r.u.RopSortTable.CategorizedCount = categorized;
	r.u.RopSortTable.ExpandedCount = expanded;
	r.u.RopSortTable.SortOrders = (struct SortOrder *)(uintptr_t)orders;
	out = tt_run(f, f, &r, 1);
	rv = tt_rv(&out->responses[0]);
	talloc_free(out);
	return rv;
}

struct RopQueryRows_resp *tt_query(struct tt_fixture *f, TALLOC_CTX *mem_ctx,
				   bool forward, uint8_t flags, uint16_t count,
				   uint32_t *rv_r)
{
	struct rop_request r = { .RopId = RopQueryRows };
	struct rop_buffer *out;

	r.u.RopQueryRows.InputHandleIndex = 2;
	r.u.RopQueryRows.QueryRowsFlags = flags;
	r.u.RopQueryRows.ForwardRead = forward ? 1 : 0;
	r.u.RopQueryRows.RowCount = count;
	out = tt_run(f, mem_ctx, &r, 1);
	*rv_r = tt_rv(&out->responses[0]);
	return &out->responses[0].u.RopQueryRows;
}

void tt_seek(struct tt_fixture *f, uint8_t origin, int32_t rows)
{
	struct rop_request r = { .RopId = RopSeekRow };
	struct rop_buffer *out;

	r.u.RopSeekRow.InputHandleIndex = 2;
	r.u.RopSeekRow.Origin = origin;
	r.u.RopSeekRow.RowCount = rows;
	out = tt_run(f, f, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	talloc_free(out);
}

void tt_position(struct tt_fixture *f, uint32_t *num_r, uint32_t *den_r)
{
	struct rop_request r = { .RopId = RopQueryPosition };
	struct rop_buffer *out;

	r.u.RopQueryPosition.InputHandleIndex = 2;
	out = tt_run(f, f, &r, 1);
	assert_int_equal(tt_rv(&out->responses[0]), ecSuccess);
	*num_r = out->responses[0].u.RopQueryPosition.Numerator;
	*den_r = out->responses[0].u.RopQueryPosition.Denominator;
	talloc_free(out);
}

void tt_res_string(struct Restriction *r, uint8_t relop, uint32_t tag,
		   const char *value)
{
	memset(r, 0, sizeof(*r));
	r->RestrictType = RES_PROPERTY;
	r->u.Property.RelOp = relop;
	r->u.Property.PropTag = tag;
	r->u.Property.TaggedValue.PropertyTag = tag;
	r->u.Property.TaggedValue.Value.PropertyType = PtypString;
	r->u.Property.TaggedValue.Value.u.str = (char *)(uintptr_t)value;
}

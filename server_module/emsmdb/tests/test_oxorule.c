/*
 * Server-side rules ([MS-OXORULE]) through the dispatcher: RopModifyRules
 * (add, modify, remove, replace, the errors of 3.2.5.2), RopGetRulesTable
 * rows through SetColumns/QueryRows, RopUpdateDeferredActionMessages,
 * and the stored-blob helpers of oxorule.h.
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_test_session.h"
#include "oxorule.h"
#include "oxctabl_ext.h"
#include "emsmdb_transport.h"

/* backends/local/local_private.h: the local backend is linked in */
enum mapistore_error mapistore_local_backend_register(void);

#define ALICE_DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NHANDLES 8
#define FID_INBOX 4
/* [MS-OXPROPS] PidTagSubject */
#define TAG_SUBJECT 0x0037001F

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NHANDLES];
	struct emsmdb_test_rops rt;
	uint64_t fids[13];
};

static struct fixture *fixture_new(TALLOC_CTX *mem)
{
	struct fixture *f = talloc_zero(mem, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "rules", ALICE_DN);
	memset(f->handles, 0xFF, sizeof(f->handles));
	f->rt.s = f->s;
	f->rt.handles = f->handles;
	f->rt.handle_count = NHANDLES;
	emsmdb_test_logon(&f->rt, f, ALICE_DN, 0, ecSuccess, f->fids);
	emsmdb_test_open_folder(&f->rt, f, 0, 1, f->fids[FID_INBOX]);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* the OP_MOVE ActionData of [MS-OXORULE] 2.2.5.1.2.1 to @fid of this store */
static uint8_t *movecopy_data(TALLOC_CTX *mem, uint64_t fid, uint32_t *len_r)
{
	uint8_t *d = talloc_zero_array(mem, uint8_t, 3 + 2 + 21);
	unsigned i;

	assert_non_null(d);
	d[0] = 1;		/* FolderInThisStore */
	/* StoreEIDSize 0 */
	d[3] = 21;		/* FolderEIDSize */
	d[5] = 1;		/* ServerEid.Ours */
	for (i = 0; i < 8; i++) {
		d[6 + i] = (uint8_t)(fid >> (8 * i));
	}
	*len_r = 26;
	return d;
}

/* the values of a rule: subject contains @word -> @op (to @fid) */
static uint16_t rule_values(TALLOC_CTX *mem, struct TaggedPropertyValue *v,
			    const char *name, uint32_t seq, const char *word,
			    uint8_t op, uint64_t fid)
{
	struct Restriction *res = talloc_zero(mem, struct Restriction);
	struct RuleAction *act = talloc_zero(mem, struct RuleAction);
	struct ActionBlock *b = talloc_zero(mem, struct ActionBlock);

	assert_true(res != NULL && act != NULL && b != NULL);
	res->RestrictType = RES_CONTENT;
	res->u.Content.FuzzyLevelLow = 0x0001;	/* FL_SUBSTRING */
	res->u.Content.FuzzyLevelHigh = 0x0001;	/* FL_IGNORECASE */
	res->u.Content.PropertyTag = TAG_SUBJECT;
	res->u.Content.TaggedValue.PropertyTag = TAG_SUBJECT;
	res->u.Content.TaggedValue.Value.PropertyType = PtypString;
	res->u.Content.TaggedValue.Value.u.str = talloc_strdup(mem, word);
	b->ActionType = op;
	if (op == OP_MOVE || op == OP_COPY) {
		b->ActionData = movecopy_data(mem, fid, &b->ActionDataSize);
	}
	act->NoOfActions = 1;
	act->ActionBlocks = b;

	memset(v, 0, 6 * sizeof(*v));
	v[0].PropertyTag = PidTagRuleName;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = talloc_strdup(mem, name);
	v[1].PropertyTag = PidTagRuleProvider;
	v[1].Value.PropertyType = PtypString;
	v[1].Value.u.str = talloc_strdup(mem, "RuleOrganizer");
	v[2].PropertyTag = PidTagRuleSequence;
	v[2].Value.PropertyType = PtypInteger32;
	v[2].Value.u.l = seq;
	v[3].PropertyTag = PidTagRuleState;
	v[3].Value.PropertyType = PtypInteger32;
	v[3].Value.u.l = ST_ENABLED;
	v[4].PropertyTag = PidTagRuleCondition;
	v[4].Value.PropertyType = PtypRestriction;
	v[4].Value.u.res = res;
	v[5].PropertyTag = PidTagRuleActions;
	v[5].Value.PropertyType = PtypRuleAction;
	v[5].Value.u.act = act;
	return 6;
}

static uint32_t modify(struct fixture *f, TALLOC_CTX *mem, uint8_t flag,
		       struct RuleData *rd, uint16_t count)
{
	struct rop_request r = { .RopId = RopModifyRules };
	struct rop_buffer *out;

	r.u.RopModifyRules.InputHandleIndex = 1;
	r.u.RopModifyRules.ModifyRulesFlag = flag;
	r.u.RopModifyRules.RulesCount = count;
	r.u.RopModifyRules.RulesData = rd;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	return emsmdb_test_rv(&out->responses[0]);
}

/* one rule row as the test reads it */
struct row {
	uint64_t id;
	uint32_t seq, state;
	char name[32];
	struct Restriction *cond;
	struct RuleAction *act;
};

static const uint32_t cols[] = {
	PidTagRuleId, PidTagRuleSequence, PidTagRuleState, PidTagRuleName,
	PidTagRuleCondition, PidTagRuleActions,
};

static uint32_t rules_table(struct fixture *f, TALLOC_CTX *mem, struct row *rows,
			    uint32_t *count_r)
{
	struct rop_request r[3];
	struct rop_buffer *out;
	uint32_t i;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopGetRulesTable;
	r[0].u.RopGetRulesTable.InputHandleIndex = 1;
	r[0].u.RopGetRulesTable.OutputHandleIndex = 7;
	r[0].u.RopGetRulesTable.TableFlags = RULES_TABLE_FLAG_U;
	r[1].RopId = RopSetColumns;
	r[1].u.RopSetColumns.InputHandleIndex = 7;
	r[1].u.RopSetColumns.PropertyTagCount = 6;
	r[1].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[2].RopId = RopQueryRows;
	r[2].u.RopQueryRows.InputHandleIndex = 7;
	r[2].u.RopQueryRows.ForwardRead = 1;
	r[2].u.RopQueryRows.RowCount = 8;
	f->rt.columns = cols;
	f->rt.column_count = 6;
	out = emsmdb_test_run(&f->rt, mem, r, 3);
	f->rt.columns = NULL;
	f->rt.column_count = 0;
	if (emsmdb_test_rv(&out->responses[0]) != ecSuccess) {
		return emsmdb_test_rv(&out->responses[0]);
	}
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	*count_r = out->responses[2].u.RopQueryRows.RowCount;
	for (i = 0; i < *count_r && i < 8; i++) {
		const struct RowPropertyValue *v =
			out->responses[2].u.RopQueryRows.RowData[i].Values;

		rows[i].id = v[0].Value.u.d;
		rows[i].seq = v[1].Value.u.l;
		rows[i].state = v[2].Value.u.l;
		snprintf(rows[i].name, sizeof(rows[i].name), "%s",
			 v[3].Value.u.str != NULL ? v[3].Value.u.str : "");
		rows[i].cond = v[4].Value.PropertyType == PtypRestriction ? v[4].Value.u.res : NULL;
		rows[i].act = v[5].Value.PropertyType == PtypRuleAction ? v[5].Value.u.act : NULL;
	}
	return ecSuccess;
}

/* RopFindRow on the rules table left open (handle 7, columns set) by
 * rules_table(): the ID of the rule named @name ([MS-OXCTABL] 3.2.5.14) */
static uint32_t find_rule(struct fixture *f, TALLOC_CTX *mem, const char *name,
			  uint64_t *id_r)
{
	struct rop_request r = { .RopId = RopFindRow };
	struct Restriction res;
	struct rop_buffer *out;
	uint32_t rv;

	memset(&res, 0, sizeof(res));
	res.RestrictType = RES_PROPERTY;
	res.u.Property.RelOp = RELOP_EQ;
	res.u.Property.PropTag = PidTagRuleName;
	res.u.Property.TaggedValue.PropertyTag = PidTagRuleName;
	res.u.Property.TaggedValue.Value.PropertyType = PtypString;
	res.u.Property.TaggedValue.Value.u.str = (char *)(uintptr_t)name;
	r.u.RopFindRow.InputHandleIndex = 7;
	r.u.RopFindRow.RestrictionData = &res;
	r.u.RopFindRow.Origin = BOOKMARK_BEGINNING;
	f->rt.columns = cols;
	f->rt.column_count = 6;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	f->rt.columns = NULL;
	f->rt.column_count = 0;
	rv = emsmdb_test_rv(&out->responses[0]);
	if (rv == ecSuccess) {
		assert_int_equal(out->responses[0].u.RopFindRow.HasRowData, 1);
		*id_r = out->responses[0].u.RopFindRow.RowData.Values[0].Value.u.d;
	}
	return rv;
}

static void id_value(uint64_t id, struct TaggedPropertyValue *v)
{
	v->PropertyTag = PidTagRuleId;
	v->Value.PropertyType = PtypInteger64;
	v->Value.u.d = id;
}

/* add, the table in sequence order with server IDs, modify, remove */
static void test_modify_and_table(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = f;
	struct TaggedPropertyValue v1[6], v2[6], vm[2], vr[1];
	struct RuleData rd[2];
	struct row rows[8];
	uint32_t n = 0;
	uint64_t dest = f->fids[FID_INBOX + 1];

	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 0);
	rd[0].RuleDataFlags = ROW_ADD;
	rd[0].PropertyValueCount = rule_values(mem, v1, "second", 20, "news", OP_DELETE, 0);
	rd[0].PropertyValues = v1;
	rd[1].RuleDataFlags = ROW_ADD;
	rd[1].PropertyValueCount = rule_values(mem, v2, "first", 10, "report", OP_MOVE, dest);
	rd[1].PropertyValues = v2;
	assert_int_equal(modify(f, mem, 0, rd, 2), ecSuccess);

	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 2);
	/* ordered by PidTagRuleSequence; IDs assigned in order of addition */
	assert_string_equal(rows[0].name, "first");
	assert_int_equal(rows[0].id, 2);
	assert_int_equal(rows[0].seq, 10);
	assert_int_equal(rows[0].state, ST_ENABLED);
	assert_string_equal(rows[1].name, "second");
	assert_int_equal(rows[1].id, 1);
	/* FindRow reads the rules table's own rows */
	{
		uint64_t found = 0;

		assert_int_equal(find_rule(f, mem, "second", &found), ecSuccess);
		assert_int_equal(found, 1);
		assert_int_equal(find_rule(f, mem, "nothing", &found), ecNotFound);
	}
	/* condition and actions come back as they were sent */
	assert_non_null(rows[0].cond);
	assert_int_equal(rows[0].cond->RestrictType, RES_CONTENT);
	assert_int_equal(rows[0].cond->u.Content.PropertyTag, TAG_SUBJECT);
	assert_string_equal(rows[0].cond->u.Content.TaggedValue.Value.u.str, "report");
	assert_non_null(rows[0].act);
	assert_int_equal(rows[0].act->NoOfActions, 1);
	assert_int_equal(rows[0].act->ActionBlocks[0].ActionType, OP_MOVE);
	assert_int_equal(rows[0].act->ActionBlocks[0].ActionDataSize, 26);

	/* ROW_MODIFY: rename rule 1, disable it */
	id_value(1, &vm[0]);
	vm[1].PropertyTag = PidTagRuleState;
	vm[1].Value.PropertyType = PtypInteger32;
	vm[1].Value.u.l = 0;
	rd[0].RuleDataFlags = ROW_MODIFY;
	rd[0].PropertyValueCount = 2;
	rd[0].PropertyValues = vm;
	assert_int_equal(modify(f, mem, 0, rd, 1), ecSuccess);
	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].id, 1);
	assert_int_equal(rows[1].state, 0);
	assert_string_equal(rows[1].name, "second");

	/* ROW_REMOVE rule 2 */
	id_value(2, &vr[0]);
	rd[0].RuleDataFlags = ROW_REMOVE;
	rd[0].PropertyValueCount = 1;
	rd[0].PropertyValues = vr;
	assert_int_equal(modify(f, mem, 0, rd, 1), ecSuccess);
	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, 1);

	/* MODIFY_RULES_FLAG_REPLACE: only the new rule remains */
	rd[0].RuleDataFlags = ROW_ADD;
	rd[0].PropertyValueCount = rule_values(mem, v1, "only", 1, "x", OP_MARK_AS_READ, 0);
	rd[0].PropertyValues = v1;
	assert_int_equal(modify(f, mem, MODIFY_RULES_FLAG_REPLACE, rd, 1), ecSuccess);
	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "only");
	fixture_free(f);
}

/* [MS-OXORULE] 3.2.5.2: incorrect data is an error, nothing stored */
static void test_modify_errors(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = f;
	struct TaggedPropertyValue v[7];
	struct RuleData rd;
	struct row rows[8];
	uint32_t n = 0;
	static const struct {
		const char *what;
		uint8_t flag, data_flags;
		int change;	/* 0 none, 1 drop provider, 2 add an ID, 3 unknown tag */
		uint32_t expect;
	} cases[] = {
		{ "no provider", 0, ROW_ADD, 1, ecInvalidParam },
		{ "ID on add", 0, ROW_ADD, 2, ecInvalidParam },
		{ "unknown property", 0, ROW_ADD, 3, ecInvalidParam },
		{ "bad RuleDataFlags", 0, 0x08, 0, ecInvalidParam },
		{ "bad ModifyRulesFlag", 0x02, ROW_ADD, 0, ecInvalidParam },
		{ "modify without ID", 0, ROW_MODIFY, 0, ecInvalidParam },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rd.RuleDataFlags = cases[i].data_flags;
		rd.PropertyValueCount = rule_values(mem, v, "r", 1, "a", OP_DELETE, 0);
		rd.PropertyValues = v;
		if (cases[i].change == 1) {
			v[1] = v[5];
			rd.PropertyValueCount = 5;
		} else if (cases[i].change == 2) {
			id_value(5, &v[6]);
			rd.PropertyValueCount = 7;
		} else if (cases[i].change == 3) {
			v[6].PropertyTag = 0x66990003;
			v[6].Value.PropertyType = PtypInteger32;
			rd.PropertyValueCount = 7;
		}
		if (modify(f, mem, cases[i].flag, &rd, 1) != cases[i].expect) {
			fail_msg("%s", cases[i].what);
		}
	}
	/* an unknown rule */
	id_value(42, &v[0]);
	rd.RuleDataFlags = ROW_REMOVE;
	rd.PropertyValueCount = 1;
	rd.PropertyValues = v;
	assert_int_equal(modify(f, mem, 0, &rd, 1), ecNotFound);
	assert_int_equal(rules_table(f, mem, rows, &n), ecSuccess);
	assert_int_equal(n, 0);
	fixture_free(f);
}

/* no DAM is ever generated: nothing to update ([MS-OXORULE] 2.2.3) */
static void test_update_dams(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = f;
	struct rop_request r = { .RopId = RopUpdateDeferredActionMessages };
	struct rop_buffer *out;
	uint8_t eid[4] = { 1, 2, 3, 4 };

	r.u.RopUpdateDeferredActionMessages.InputHandleIndex = 0;
	r.u.RopUpdateDeferredActionMessages.ServerEntryIdSize = 4;
	r.u.RopUpdateDeferredActionMessages.ServerEntryId = eid;
	r.u.RopUpdateDeferredActionMessages.ClientEntryIdSize = 4;
	r.u.RopUpdateDeferredActionMessages.ClientEntryId = eid;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	r.u.RopUpdateDeferredActionMessages.ServerEntryIdSize = 0;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecInvalidParam);
	fixture_free(f);
}

/* OP_MOVE / OP_COPY ActionData ([MS-OXORULE] 2.2.5.1.2.1) */
static void test_movecopy_fid(void **state)
{
	TALLOC_CTX *mem = *state;
	uint32_t len = 0;
	uint8_t *d = movecopy_data(mem, 0x0123456789ABCDEFULL, &len);
	uint64_t fid = 0;

	assert_int_equal(oxorule_movecopy_fid(d, len, &fid), ecSuccess);
	assert_true(fid == 0x0123456789ABCDEFULL);
	assert_int_equal(oxorule_movecopy_fid(d, len - 1, &fid), ecInvalidParam);
	assert_int_equal(oxorule_movecopy_fid(d, 2, &fid), ecInvalidParam);
	d[5] = 0;	/* not Ours */
	assert_int_equal(oxorule_movecopy_fid(d, len, &fid), ecInvalidParam);
	d[0] = 0;	/* another store */
	assert_int_equal(oxorule_movecopy_fid(d, len, &fid), ecNotSupported);
	d[0] = 1;
	d[1] = 0xFF;	/* StoreEIDSize past the end */
	assert_int_equal(oxorule_movecopy_fid(d, len, &fid), ecInvalidParam);
	talloc_free(d);
}

/* the stored blobs must be consumed exactly */
static void test_blob_decode(void **state)
{
	TALLOC_CTX *mem = *state;
	/* one OP_DELETE block: NoOfActions 1, ActionLength 9, type, flavor, flags */
	static const uint8_t act[] = { 0x01, 0x00, 0x09, 0x00, OP_DELETE,
				       0, 0, 0, 0, 0, 0, 0, 0, 0xAA };
	/* RES_EXIST PidTagSubject */
	static const uint8_t cond[] = { 0x08, 0x1F, 0x00, 0x37, 0x00, 0xAA };
	struct RuleAction *a = NULL;
	struct Restriction *r = NULL;

	assert_int_equal(oxorule_actions_decode(mem, act, sizeof(act) - 1, &a), ROP_OK);
	assert_int_equal(a->NoOfActions, 1);
	assert_int_equal(a->ActionBlocks[0].ActionType, OP_DELETE);
	talloc_free(a);
	assert_int_equal(oxorule_actions_decode(mem, act, sizeof(act), &a), ROP_ERR_FORMAT);
	assert_null(a);
	assert_int_not_equal(oxorule_actions_decode(mem, act, 5, &a), ROP_OK);
	assert_int_equal(oxorule_condition_decode(mem, cond, sizeof(cond) - 1, &r), ROP_OK);
	assert_int_equal(r->RestrictType, RES_EXIST);
	assert_int_equal(r->u.Exist.PropTag, TAG_SUBJECT);
	talloc_free(r);
	assert_int_not_equal(oxorule_condition_decode(mem, cond, sizeof(cond), &r), ROP_OK);
}

/* ---- running the rules on a delivered message ---- */

#define FID_SENT 6
#define FID_DELETED 7

/* the messages of folder @fid (RopGetContentsTable RowCount) */
static uint32_t folder_count(struct fixture *f, TALLOC_CTX *mem, uint64_t fid)
{
	struct rop_request r = { .RopId = RopGetContentsTable };
	struct rop_response *resp;

	emsmdb_test_open_folder(&f->rt, mem, 0, 2, fid);
	r.u.RopGetContentsTable.InputHandleIndex = 2;
	r.u.RopGetContentsTable.OutputHandleIndex = 3;
	resp = emsmdb_test_run1(&f->rt, mem, &r, ecSuccess);
	return resp->u.RopGetContentsTable.RowCount;
}

/* one rule of a case: condition word, action, target, state, sequence */
struct rule_spec {
	const char *word;
	uint8_t op;
	int target;		/* FolderIds index for OP_MOVE / OP_COPY */
	uint32_t state;
	uint32_t seq;
};

static void test_run_on_delivery(void **state)
{
	static const struct {
		const char *what, *subject;
		struct rule_spec rules[2];
		uint32_t inbox, sent, deleted;
	} cases[] = {
		{ "move", "Monthly REPORT", { { "report", OP_MOVE, FID_DELETED, ST_ENABLED, 1 },
					      { NULL, 0, 0, 0, 0 } }, 0, 0, 1 },
		{ "no match", "Hello", { { "report", OP_MOVE, FID_DELETED, ST_ENABLED, 1 },
					 { NULL, 0, 0, 0, 0 } }, 1, 0, 0 },
		{ "copy", "report", { { "report", OP_COPY, FID_SENT, ST_ENABLED, 1 },
				      { NULL, 0, 0, 0, 0 } }, 1, 1, 0 },
		{ "delete", "report", { { "report", OP_DELETE, 0, ST_ENABLED, 1 },
					{ NULL, 0, 0, 0, 0 } }, 0, 0, 0 },
		{ "disabled", "report", { { "report", OP_DELETE, 0, 0, 1 },
					  { NULL, 0, 0, 0, 0 } }, 1, 0, 0 },
		{ "sequence then exit level", "report",
		  { { "report", OP_DELETE, 0, ST_ENABLED, 2 },
		    { "report", OP_COPY, FID_SENT, ST_ENABLED | ST_EXIT_LEVEL, 1 } }, 1, 1, 0 },
		{ "only when OOF", "report", { { "report", OP_DELETE, 0,
						 ST_ENABLED | ST_ONLY_WHEN_OOF, 1 },
					       { NULL, 0, 0, 0, 0 } }, 1, 0, 0 },
		{ "skipped action", "report", { { "report", OP_FORWARD, 0, ST_ENABLED, 1 },
						{ NULL, 0, 0, 0, 0 } }, 1, 0, 0 },
		{ "mark as read", "report", { { "report", OP_MARK_AS_READ, 0, ST_ENABLED, 1 },
					      { NULL, 0, 0, 0, 0 } }, 1, 0, 0 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fixture_new(*state);
		TALLOC_CTX *mem = f;
		struct TaggedPropertyValue v[2][6];
		struct RuleData rd[2];
		struct emsmdb_test_message m = {
			.folder = 1, .msg = 4, .response = 4,
			.fid = f->fids[FID_INBOX], .subject = cases[i].subject,
		};
		uint16_t n = 0;
		uint64_t mid;

		for (k = 0; k < 2 && cases[i].rules[k].word != NULL; k++) {
			const struct rule_spec *sp = &cases[i].rules[k];

			rd[k].RuleDataFlags = ROW_ADD;
			rd[k].PropertyValueCount = rule_values(mem, v[k], "r", sp->seq, sp->word,
				sp->op, sp->target ? f->fids[sp->target] : 0);
			v[k][3].Value.u.l = sp->state;
			rd[k].PropertyValues = v[k];
			n++;
		}
		assert_int_equal(modify(f, mem, 0, rd, n), ecSuccess);
		mid = emsmdb_test_new_message(&f->rt, mem, &m);
		assert_int_equal(oxorule_run_delivery(f->s, f->s->account,
						      f->fids[FID_INBOX], mid), ecSuccess);
		if (folder_count(f, mem, f->fids[FID_INBOX]) != cases[i].inbox ||
		    folder_count(f, mem, f->fids[FID_SENT]) != cases[i].sent ||
		    folder_count(f, mem, f->fids[FID_DELETED]) != cases[i].deleted) {
			fail_msg("%s: inbox %u sent %u deleted %u", cases[i].what,
				 folder_count(f, mem, f->fids[FID_INBOX]),
				 folder_count(f, mem, f->fids[FID_SENT]),
				 folder_count(f, mem, f->fids[FID_DELETED]));
		}
		fixture_free(f);
	}
}

/* a condition on the recipients ([MS-OXCDATA] 2.12.10 SubObjectRestriction
 * in PidTagRuleCondition): the message to Bob is deleted, the other stays */
static void test_run_subobject_condition(void **state)
{
	static const char *const to[] = { "Bob Smith", "Carol" };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct fixture *f = fixture_new(*state);
		TALLOC_CTX *mem = f;
		struct TaggedPropertyValue v[6];
		struct RuleData rd = { .RuleDataFlags = ROW_ADD };
		struct Restriction *name = talloc_zero(mem, struct Restriction);
		struct Restriction *sub = talloc_zero(mem, struct Restriction);
		struct emsmdb_test_message m = {
			.folder = 1, .msg = 4, .response = 4,
			.fid = f->fids[FID_INBOX], .subject = "hello",
		};
		uint64_t mid;

		assert_true(name != NULL && sub != NULL);
		rd.PropertyValueCount = rule_values(mem, v, "to bob", 1, "unused", OP_DELETE, 0);
		*name = *v[4].Value.u.res;	/* the Content restriction, on the name */
		name->u.Content.PropertyTag = PidTagDisplayName;
		name->u.Content.TaggedValue.PropertyTag = PidTagDisplayName;
		name->u.Content.TaggedValue.Value.u.str = (char *)(uintptr_t)"bob";
		sub->RestrictType = RES_SUBRESTRICTION;
		sub->u.SubObject.Subobject = 0x0E12000D;	/* PidTagMessageRecipients */
		sub->u.SubObject.Restriction = name;
		v[4].Value.u.res = sub;
		rd.PropertyValues = v;
		assert_int_equal(modify(f, mem, 0, &rd, 1), ecSuccess);

		mid = emsmdb_test_new_message(&f->rt, mem, &m);
		emsmdb_test_add_recipient(mem, f->s->mstore, f->fids[FID_INBOX], mid, to[i]);
		assert_int_equal(oxorule_run_delivery(f->s, f->s->account,
						      f->fids[FID_INBOX], mid), ecSuccess);
		assert_int_equal(folder_count(f, mem, f->fids[FID_INBOX]), i == 0 ? 0 : 1);
		fixture_free(f);
	}
}

/* through the transport: a local delivery to alice runs her Inbox rule
 * (emsmdb_transport_deliver -> oxorule_run_delivery) */
static void test_transport_delivery(void **state)
{
	struct fixture *f = talloc_zero(*state, struct fixture);
	struct TaggedPropertyValue v[6];
	struct RuleData rd;
	struct mapistore_property props[1];
	struct emsmdb_transport_item item;
	struct emsmdb_directory_entry rcpt;
	uint64_t mid = 0;

	assert_non_null(f);
	if (mapistore_backend_lookup("local") == NULL) {
		assert_int_equal(mapistore_local_backend_register(), MAPISTORE_SUCCESS);
	}
	f->s = emsmdb_test_session_new(&f->t, "rules-deliver", ALICE_DN);
	f->t.cfg.default_backend = "local";
	memset(f->handles, 0xFF, sizeof(f->handles));
	f->rt.s = f->s;
	f->rt.handles = f->handles;
	f->rt.handle_count = NHANDLES;
	emsmdb_test_logon(&f->rt, f, ALICE_DN, 0, ecSuccess, f->fids);
	emsmdb_test_open_folder(&f->rt, f, 0, 1, f->fids[FID_INBOX]);

	rd.RuleDataFlags = ROW_ADD;
	rd.PropertyValueCount = rule_values(f, v, "to deleted", 1, "report", OP_MOVE,
					    f->fids[FID_DELETED]);
	rd.PropertyValues = v;
	assert_int_equal(modify(f, f, 0, &rd, 1), ecSuccess);

	memset(&item, 0, sizeof(item));
	memset(&rcpt, 0, sizeof(rcpt));
	props[0].proptag = TAG_SUBJECT;
	props[0].value.str = (char *)(uintptr_t)"Quarterly report";
	item.session = f->s;
	item.props = props;
	item.prop_count = 1;
	item.sender_account = "alice";
	item.sender_name = "Alice";
	item.sender_dn = ALICE_DN;
	item.sender_smtp = "alice@example.com";
	rcpt.account = (char *)(uintptr_t)"alice";
	rcpt.display_name = (char *)(uintptr_t)"Alice";
	rcpt.legacy_dn = (char *)(uintptr_t)ALICE_DN;
	rcpt.has_mailbox = true;
	assert_int_equal(emsmdb_transport_deliver(&item, &rcpt, &mid), ecSuccess);
	assert_int_equal(folder_count(f, f, f->fids[FID_INBOX]), 0);
	assert_int_equal(folder_count(f, f, f->fids[FID_DELETED]), 1);

	/* a subject the rule does not match stays in the Inbox */
	props[0].value.str = (char *)(uintptr_t)"Hello";
	assert_int_equal(emsmdb_transport_deliver(&item, &rcpt, &mid), ecSuccess);
	assert_int_equal(folder_count(f, f, f->fids[FID_INBOX]), 1);
	assert_int_equal(folder_count(f, f, f->fids[FID_DELETED]), 1);
	fixture_free(f);
}

/*
 * The storage alone, on SQLite or, when OC_TEST_DB_URI is a mysql:// URI
 * (emsmdb-rules-mariadb), on MariaDB.
 */
static void test_ocdb_rules(void **state)
{
	TALLOC_CTX *mem = talloc_new(*state);
	const char *env = getenv("OC_TEST_DB_URI");
	struct openchangedb_context *ocdb = NULL;
	struct openchangedb_rule rules[2], *got = NULL;
	enum mapistore_error ret;
	char dir[64], cmd[96], *uri;
	uint32_t n = 0;

	snprintf(dir, sizeof(dir), "/tmp/emsmdb-rules-ocdb-XXXXXX");
	assert_non_null(mkdtemp(dir));
	uri = env != NULL && strncmp(env, "mysql://", 8) == 0 ?
		talloc_strdup(mem, env) : talloc_asprintf(mem, "%s/ocdb.sqlite", dir);
	assert_int_equal(openchangedb_connect(mem, uri, &ocdb, NULL), MAPISTORE_SUCCESS);
	ret = openchangedb_provision_server(ocdb, "OCDC", "First Organization",
					    "First Administrative Group", NULL);
	assert_true(ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS);
	ret = openchangedb_mailbox_create(mem, ocdb, "alice", "Alice", 0x409, NULL);
	assert_true(ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS);

	memset(rules, 0, sizeof(rules));
	rules[0].rule_id = 7;
	rules[0].sequence = 5;
	rules[0].state = ST_ENABLED | ST_EXIT_LEVEL;
	rules[0].name = "b";
	rules[0].provider = "RuleOrganizer";
	rules[0].level = 0;
	rules[0].user_flags = 0xFFFFFFFFu;
	rules[0].condition.data = (uint8_t *)(uintptr_t)"\x08\x1F\x00\x37\x00";
	rules[0].condition.length = 5;
	rules[0].actions.data = (uint8_t *)(uintptr_t)"\x00\x00";
	rules[0].actions.length = 2;
	rules[1] = rules[0];
	rules[1].rule_id = 3;
	rules[1].sequence = 1;
	rules[1].name = "a";
	rules[1].provider_data.data = (uint8_t *)(uintptr_t)"pd";
	rules[1].provider_data.length = 2;
	assert_int_equal(openchangedb_rules_set(ocdb, "alice", 4242, rules, 2),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_rules_get(mem, ocdb, "alice", 4242, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	/* by sequence */
	assert_int_equal(got[0].rule_id, 3);
	assert_string_equal(got[0].name, "a");
	assert_int_equal(got[0].provider_data.length, 2);
	assert_memory_equal(got[0].provider_data.data, "pd", 2);
	assert_int_equal(got[1].rule_id, 7);
	assert_int_equal(got[1].state, ST_ENABLED | ST_EXIT_LEVEL);
	assert_int_equal(got[1].user_flags, 0xFFFFFFFFu);
	assert_string_equal(got[1].provider, "RuleOrganizer");
	assert_int_equal(got[1].condition.length, 5);
	assert_memory_equal(got[1].condition.data, "\x08\x1F\x00\x37\x00", 5);
	assert_int_equal(got[1].provider_data.length, 0);
	/* duplicate or zero IDs; an unknown mailbox */
	rules[1].rule_id = 7;
	assert_int_equal(openchangedb_rules_set(ocdb, "alice", 4242, rules, 2),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	rules[1].rule_id = 0;
	assert_int_equal(openchangedb_rules_set(ocdb, "alice", 4242, rules, 2),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(openchangedb_rules_set(ocdb, "nobody", 4242, rules, 1),
			 MAPISTORE_ERR_NOT_FOUND);
	/* per folder; replacing with nothing empties the list */
	assert_int_equal(openchangedb_rules_get(mem, ocdb, "alice", 4243, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	assert_int_equal(openchangedb_rules_set(ocdb, "alice", 4242, NULL, 0),
			 MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_rules_get(mem, ocdb, "alice", 4242, &got, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	talloc_free(mem);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ocdb_rules, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_modify_and_table, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_modify_errors, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_update_dams, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_movecopy_fid, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_blob_decode, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_run_on_delivery, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_run_subobject_condition, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_transport_delivery, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

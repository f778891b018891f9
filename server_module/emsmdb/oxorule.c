/*
 * [MS-OXORULE] Email Rules Protocol: the rule ROPs ([MS-OXCROPS] 2.2.11).
 * A folder's rules are openchangedb's (openchangedb_rules_*); the rules
 * table is an emsmdb_table of kind EMSMDB_TABLE_RULES whose rows are the
 * rule IDs, read when a row is sent (emsmdb_rules_table_row, fed by
 * oxctabl.c's QueryRows). Contract in oxorule.h.
 */
#include "oxorule.h"
#include "emsmdb_acl.h"
#include "emsmdb_oxc.h"
#include "oxcdata_wire.h"

#include <string.h>

/* [MS-OXORULE] 3.2.5.2: too many rules is ecNotEnoughMemory */
#ifndef ecNotEnoughMemory
#define ecNotEnoughMemory 0x8007000E
#endif

static struct emsmdb_folder *oxorule_folder(struct emsmdb_rop_call *call)
{
	return call->in != NULL && call->in->type == EMSMDB_OBJECT_FOLDER ?
		talloc_get_type(call->in->private_data, struct emsmdb_folder) : NULL;
}

static const char *oxorule_owner(struct emsmdb_rop_call *call)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	/* NULL: the public store (openchangedb's mailbox 0) */
	return l != NULL && l->is_private ? l->mailbox_owner : NULL;
}

enum rop_err oxorule_condition_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
				      size_t len, struct Restriction **res_r)
{
	return oxcdata_restriction_decode(mem_ctx, data, len, res_r);
}

enum rop_err oxorule_actions_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
				    size_t len, struct RuleAction **act_r)
{
	struct PropertyValue *v = talloc_zero(mem_ctx, struct PropertyValue);
	struct oxcdata_pull pull;
	enum rop_err err;
	uint16_t i;

	*act_r = NULL;
	if (v == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, v, data, len);
	err = oxcdata_pull_value(&pull, PtypRuleAction, v);
	if (err == ROP_OK && pull.offset != len) {
		err = ROP_ERR_FORMAT;
	}
	if (err != ROP_OK || v->u.act == NULL) {
		talloc_free(v);
		return err != ROP_OK ? err : ROP_ERR_FORMAT;
	}
	/* the decoder allocates the blocks and their data on the pull's
	 * context: hang them under the action so that it owns them */
	*act_r = talloc_steal(mem_ctx, v->u.act);
	talloc_steal(*act_r, (*act_r)->ActionBlocks);
	for (i = 0; i < (*act_r)->NoOfActions; i++) {
		talloc_steal((*act_r)->ActionBlocks, (*act_r)->ActionBlocks[i].ActionData);
	}
	talloc_free(v);
	return ROP_OK;
}

static uint16_t oxorule_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t oxorule_movecopy_fid(const uint8_t *data, uint32_t len, uint64_t *fid_r)
{
	uint32_t off = 0, store_len, folder_len;
	uint64_t fid = 0;
	unsigned i;

	/* FolderInThisStore (1), StoreEIDSize (2), StoreEID, FolderEIDSize
	 * (2), FolderEID: [MS-OXORULE] 2.2.5.1.2.1 */
	if (data == NULL || len < 3) {
		return ecInvalidParam;
	}
	if (data[0] == 0) {
		return ecNotSupported;	/* a folder of another store */
	}
	store_len = oxorule_le16(data + 1);
	off = 3;
	if (store_len > len - off || len - off - store_len < 2) {
		return ecInvalidParam;
	}
	off += store_len;
	folder_len = oxorule_le16(data + off);
	off += 2;
	/* ServerEid: Ours (1), FolderId (8), MessageId (8), Instance (4) */
	if (folder_len != 21 || len - off != 21 || data[off] != 1) {
		return ecInvalidParam;
	}
	/* FolderId as on the wire: the server's uint64 in little-endian */
	for (i = 0; i < 8; i++) {
		fid |= (uint64_t)data[off + 1 + i] << (8 * i);
	}
	*fid_r = fid;
	return ecSuccess;
}

/* [MS-OXORULE] 2.2.2 RopGetRulesTable, 3.2.5.3 */
uint32_t oxorule_RopGetRulesTable(struct emsmdb_rop_call *call)
{
	const struct RopGetRulesTable_req *req = &call->req->u.RopGetRulesTable;
	struct openchangedb_rule *rules = NULL;
	struct emsmdb_folder *f = oxorule_folder(call);
	struct emsmdb_table *t = NULL;
	uint32_t count = 0, i, ec;

	if (f == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_acl_check(call, call->in, frightsVisible);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_ms_ec(openchangedb_rules_get(call->mem_ctx, call->session->ocdb,
		oxorule_owner(call), f->fid, &rules, &count));
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_table_new(call, EMSMDB_TABLE_RULES, req->TableFlags, &t);
	if (ec != ecSuccess) {
		return ec;
	}
	/* not a backend table: the rows are the rule IDs */
	TALLOC_FREE(t->mt);
	t->fids = talloc_array(t, uint64_t, count + 1);
	if (t->fids == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		t->fids[i] = rules[i].rule_id;
	}
	t->count = count;
	t->cursor = 0;
	return ecSuccess;
}

/* one column of a rule's row ([MS-OXORULE] 2.2.1.3.1) */
static void oxorule_column(const void *entry, const struct emsmdb_table *t, uint32_t tag,
			   struct mapistore_property *p)
{
	const struct openchangedb_rule *r = entry;

	p->proptag = tag;
	switch (tag) {
	case PidTagRuleId:
		p->value.i64 = (int64_t)r->rule_id;
		return;
	case PidTagRuleSequence:
		p->value.i32 = (int32_t)r->sequence;
		return;
	case PidTagRuleState:
		p->value.i32 = (int32_t)r->state;
		return;
	case PidTagRuleUserFlags:
		p->value.i32 = (int32_t)r->user_flags;
		return;
	case PidTagRuleLevel:
		p->value.i32 = (int32_t)r->level;
		return;
	case PidTagRuleName:
	case (PidTagRuleName & 0xFFFF0000u) | PtypString8:
		p->value.str = (char *)(uintptr_t)r->name;
		return;
	case PidTagRuleProvider:
	case (PidTagRuleProvider & 0xFFFF0000u) | PtypString8:
		p->value.str = (char *)(uintptr_t)r->provider;
		return;
	case PidTagRuleProviderData:
		p->value.bin = r->provider_data;
		return;
	case PidTagRuleCondition:
		/* the stored bytes; emsmdb_props.c decodes them for the wire */
		p->value.bin = r->condition;
		return;
	case PidTagRuleActions:
		p->value.bin = r->actions;
		return;
	default:
		*p = mapistore_property_not_found(tag);
		return;
	}
}

uint32_t emsmdb_rules_table_row(struct emsmdb_rop_call *call, struct emsmdb_table *t,
				uint32_t index, struct mapistore_property **props_r)
{
	struct openchangedb_rule *rules = NULL, *r = NULL;
	uint32_t count = 0, i, ec;

	if (index >= t->count || t->folder == NULL) {
		return ecNotFound;
	}
	ec = emsmdb_ms_ec(openchangedb_rules_get(call->mem_ctx, call->session->ocdb,
		oxorule_owner(call), t->folder->fid, &rules, &count));
	if (ec != ecSuccess) {
		return ec;
	}
	for (i = 0; i < count && r == NULL; i++) {
		if (rules[i].rule_id == t->fids[index]) {
			r = &rules[i];
		}
	}
	return emsmdb_fed_row(call->mem_ctx, t, r, oxorule_column, props_r);
}

/* ---- RopModifyRules ---- */

/* a wire value as stored bytes (the encoder's output, on @mem_ctx) */
static uint32_t oxorule_value_bytes(TALLOC_CTX *mem_ctx, const struct PropertyValue *v,
				    struct mapistore_binary *out)
{
	struct oxcdata_push push;

	oxcdata_push_init(&push, mem_ctx);
	if (oxcdata_push_value(&push, v) != ROP_OK) {
		return ecInvalidParam;
	}
	if (push.size > MAPISTORE_MAX_VALUE_SIZE) {
		return ecInvalidParam;
	}
	out->data = push.data;
	out->length = push.size;
	return ecSuccess;
}

static const char *oxorule_string(const struct PropertyValue *v)
{
	if (v->PropertyType == PtypString) {
		return v->u.str != NULL ? v->u.str : "";
	}
	return v->u.str8.utf8;	/* NULL: not convertible */
}

/* the rule properties a client may send, with their types */
static const uint32_t oxorule_tags[] = {
	PidTagRuleId, PidTagRuleSequence, PidTagRuleState, PidTagRuleUserFlags,
	PidTagRuleLevel, PidTagRuleName, (PidTagRuleName & 0xFFFF0000u) | PtypString8,
	PidTagRuleProvider, (PidTagRuleProvider & 0xFFFF0000u) | PtypString8,
	PidTagRuleProviderData, PidTagRuleCondition, PidTagRuleActions,
};

static bool oxorule_tag_known(const struct TaggedPropertyValue *tv)
{
	size_t i;

	if (tv->Value.PropertyType != (tv->PropertyTag & 0xFFFF)) {
		return false;
	}
	for (i = 0; i < sizeof(oxorule_tags) / sizeof(oxorule_tags[0]); i++) {
		if (oxorule_tags[i] == tv->PropertyTag) {
			return true;
		}
	}
	return false;
}

/*
 * Apply the values of @rd to @r ([MS-OXORULE] 2.2.1.3.1). PidTagRuleId is
 * the server's; an unknown property is refused (3.2.5.2: incorrect data
 * is an error).
 */
static uint32_t oxorule_apply(TALLOC_CTX *mem_ctx, const struct RuleData *rd,
			      struct openchangedb_rule *r)
{
	uint16_t i;

	for (i = 0; i < rd->PropertyValueCount; i++) {
		const struct TaggedPropertyValue *tv = &rd->PropertyValues[i];
		uint32_t base = tv->PropertyTag & 0xFFFF0000u, ec = ecSuccess;
		const char *s;

		if (!oxorule_tag_known(tv)) {
			return ecInvalidParam;
		}
		switch (base) {
		case PidTagRuleId & 0xFFFF0000u:
			break;	/* ID of the rule to modify: matched earlier */
		case PidTagRuleSequence & 0xFFFF0000u:
			r->sequence = tv->Value.u.l;
			break;
		case PidTagRuleState & 0xFFFF0000u:
			r->state = tv->Value.u.l;
			break;
		case PidTagRuleUserFlags & 0xFFFF0000u:
			r->user_flags = tv->Value.u.l;
			break;
		case PidTagRuleLevel & 0xFFFF0000u:
			r->level = tv->Value.u.l;
			break;
		case PidTagRuleName & 0xFFFF0000u:
		case PidTagRuleProvider & 0xFFFF0000u:
			s = oxorule_string(&tv->Value);
			if (s == NULL) {
				return ecInvalidParam;
			}
			s = talloc_strdup(mem_ctx, s);
			if (s == NULL) {
				return ecMAPIOOM;
			}
			if (base == (PidTagRuleName & 0xFFFF0000u)) {
				r->name = s;
			} else {
				r->provider = s;
			}
			break;
		case PidTagRuleProviderData & 0xFFFF0000u:
			r->provider_data.data = tv->Value.u.bin.lpb;
			r->provider_data.length = tv->Value.u.bin.cb;
			break;
		case PidTagRuleCondition & 0xFFFF0000u:
			ec = oxorule_value_bytes(mem_ctx, &tv->Value, &r->condition);
			break;
		case PidTagRuleActions & 0xFFFF0000u:
			ec = oxorule_value_bytes(mem_ctx, &tv->Value, &r->actions);
			break;
		default:
			return ecInvalidParam;
		}
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return ecSuccess;
}

/* the value of @tag in @rd, NULL if absent */
static const struct TaggedPropertyValue *oxorule_value(const struct RuleData *rd,
						       uint32_t tag)
{
	uint16_t i;

	for (i = 0; i < rd->PropertyValueCount; i++) {
		if (rd->PropertyValues[i].PropertyTag == tag) {
			return &rd->PropertyValues[i];
		}
	}
	return NULL;
}

static bool oxorule_has(const struct RuleData *rd, uint32_t tag)
{
	return oxorule_value(rd, tag) != NULL ||
		oxorule_value(rd, (tag & 0xFFFF0000u) | PtypString8) != NULL;
}

/* ROW_ADD: [MS-OXORULE] 3.1.4.2.1 (what the client sends), 3.2.5.2 (the
 * server assigns PidTagRuleId, unique in the folder) */
static uint32_t oxorule_add(TALLOC_CTX *mem_ctx, const struct RuleData *rd,
			    struct openchangedb_rule **list, uint32_t *n)
{
	struct openchangedb_rule *grown, *r;
	uint64_t next = 1;
	uint32_t i;

	if (oxorule_value(rd, PidTagRuleId) != NULL ||
	    oxorule_value(rd, PidTagRuleCondition) == NULL ||
	    oxorule_value(rd, PidTagRuleActions) == NULL ||
	    !oxorule_has(rd, PidTagRuleProvider)) {
		return ecInvalidParam;
	}
	if (*n >= OPENCHANGEDB_RULES_MAX) {
		return ecNotEnoughMemory;
	}
	for (i = 0; i < *n; i++) {
		if ((*list)[i].rule_id >= next) {
			next = (*list)[i].rule_id + 1;
		}
	}
	grown = talloc_realloc(mem_ctx, *list, struct openchangedb_rule, *n + 1);
	if (grown == NULL) {
		return ecMAPIOOM;
	}
	*list = grown;
	r = &grown[*n];
	memset(r, 0, sizeof(*r));
	r->rule_id = next;
	r->name = "";
	r->provider = "";
	(*n)++;
	return oxorule_apply(mem_ctx, rd, r);
}

/* ROW_MODIFY / ROW_REMOVE: the rule named by PidTagRuleId */
static uint32_t oxorule_change(TALLOC_CTX *mem_ctx, const struct RuleData *rd,
			       struct openchangedb_rule *list, uint32_t *n)
{
	const struct TaggedPropertyValue *id = oxorule_value(rd, PidTagRuleId);
	uint32_t i;

	if (id == NULL) {
		return ecInvalidParam;
	}
	for (i = 0; i < *n; i++) {
		if (list[i].rule_id != id->Value.u.d) {
			continue;
		}
		if (rd->RuleDataFlags == ROW_REMOVE) {
			/* other properties are ignored */
			memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(list[0]));
			(*n)--;
			return ecSuccess;
		}
		return oxorule_apply(mem_ctx, rd, &list[i]);
	}
	return ecNotFound;
}

/* [MS-OXORULE] 2.2.1 RopModifyRules, 3.2.5.2 */
uint32_t oxorule_RopModifyRules(struct emsmdb_rop_call *call)
{
	const struct RopModifyRules_req *req = &call->req->u.RopModifyRules;
	struct openchangedb_rule *list = NULL;
	struct emsmdb_folder *f = oxorule_folder(call);
	uint32_t count = 0, ec;
	uint16_t j;

	if (f == NULL) {
		return ecNotSupported;
	}
	/* changing a folder's rules is the owner's right ([MS-OXCPERM] 2.2.7) */
	ec = emsmdb_acl_check(call, call->in, frightsOwner);
	if (ec != ecSuccess) {
		return ec;
	}
	if ((req->ModifyRulesFlag & ~MODIFY_RULES_FLAG_REPLACE) != 0) {
		return ecInvalidParam;
	}
	if (req->RulesCount > OPENCHANGEDB_RULES_MAX) {
		return ecNotEnoughMemory;
	}
	if (!(req->ModifyRulesFlag & MODIFY_RULES_FLAG_REPLACE)) {
		ec = emsmdb_ms_ec(openchangedb_rules_get(call->mem_ctx,
			call->session->ocdb, oxorule_owner(call), f->fid, &list, &count));
		if (ec != ecSuccess) {
			return ec;
		}
	}
	for (j = 0; j < req->RulesCount; j++) {
		const struct RuleData *rd = &req->RulesData[j];

		switch (rd->RuleDataFlags) {
		case ROW_ADD:
			ec = oxorule_add(call->mem_ctx, rd, &list, &count);
			break;
		case ROW_MODIFY:
		case ROW_REMOVE:
			ec = oxorule_change(call->mem_ctx, rd, list, &count);
			break;
		default:
			ec = ecInvalidParam;
			break;
		}
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return emsmdb_ms_ec(openchangedb_rules_set(call->session->ocdb,
		oxorule_owner(call), f->fid, list, count));
}

/*
 * [MS-OXORULE] 2.2.3 RopUpdateDeferredActionMessages: sets
 * PidTagDamOriginalEntryId to ClientEntryId on the DAMs whose value is
 * ServerEntryId. This server never generates a DAM (no OP_DEFER_ACTION
 * is run, doc/rules.md), so the set of DAMs to update is empty.
 */
uint32_t oxorule_RopUpdateDeferredActionMessages(struct emsmdb_rop_call *call)
{
	const struct RopUpdateDeferredActionMessages_req *req =
		&call->req->u.RopUpdateDeferredActionMessages;

	if (req->ServerEntryIdSize == 0 || req->ClientEntryIdSize == 0) {
		return ecInvalidParam;
	}
	return ecSuccess;
}

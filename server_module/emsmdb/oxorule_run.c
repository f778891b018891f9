/*
 * [MS-OXORULE] 3.2.7.1 (the server evaluates the rules of the folder a
 * message is delivered into): run a folder's stored rules on one message
 * just delivered. Contract in oxorule.h; what is run and what is skipped
 * in doc/rules.md.
 */
#include "oxorule.h"
#include "emsmdb_log.h"
#include "emsmdb_oxc.h"
#include "ics.h"

#include <inttypes.h>

/* [MS-OXCMSG] 2.2.3.11.1 ReadFlags: rfSuppressReceipt (marks as read) */
#define OXORULE_rfSuppressReceipt 0x01

/* the state of one run: the message, where it is now */
struct oxorule_run {
	struct emsmdb_session *s;
	TALLOC_CTX *mem_ctx;
	struct mapistore_folder *folder;	/* where the message was delivered */
	uint64_t fid;
	uint64_t mid;
	bool gone;			/* moved or deleted: later actions skipped */
	struct mapistore_message *msg;	/* the delivered message, for conditions */
};

/* whether @r's condition matches the message (its properties @props; a
 * SubObjectRestriction reads its recipients / attachments) */
static bool oxorule_matches(struct oxorule_run *run, const struct openchangedb_rule *r,
			    const struct mapistore_property *props, uint32_t count)
{
	struct Restriction *wire = NULL;
	struct mapistore_restriction *res = NULL;
	bool match = false;

	if (oxorule_condition_decode(run->mem_ctx, r->condition.data, r->condition.length,
				     &wire) != ROP_OK ||
	    ics_restriction_from_wire(run->mem_ctx, wire, &res) != ecSuccess ||
	    mapistore_restriction_eval_message(res, props, count, run->msg, &match) !=
	    MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "rules: rule %" PRIu64 ": condition "
			   "not evaluated", r->rule_id);
		return false;
	}
	return match;
}

/* OP_MOVE / OP_COPY to a folder of the same mailbox ([MS-OXORULE] 2.2.5.1.2.1) */
static uint32_t oxorule_movecopy(struct oxorule_run *run, const struct ActionBlock *b)
{
	struct mapistore_folder *dst = NULL;
	uint64_t dst_fid = 0, new_mid = 0;
	enum mapistore_error ret;
	uint32_t ec;

	ec = oxorule_movecopy_fid(b->ActionData, b->ActionDataSize, &dst_fid);
	if (ec != ecSuccess) {
		return ec;
	}
	if (dst_fid == run->fid) {
		return ecSuccess;	/* already there */
	}
	ret = mapistore_folder_open(run->mem_ctx, run->s->mstore, dst_fid, &dst);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_folder_move_copy_messages(dst, run->folder, &run->mid, 1,
							  b->ActionType == OP_COPY, &new_mid);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (b->ActionType == OP_MOVE) {
		run->gone = true;
	}
	return ecSuccess;
}

static uint32_t oxorule_mark_read(struct oxorule_run *run)
{
	struct mapistore_message *m = NULL;
	enum mapistore_error ret;

	ret = mapistore_message_open(run->mem_ctx, run->folder, run->mid, true, &m);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_message_set_read_flag(m, OXORULE_rfSuppressReceipt);
	}
	talloc_free(m);
	return emsmdb_ms_ec(ret);
}

/* the actions of a matching rule, in order ([MS-OXORULE] 2.2.5) */
static void oxorule_actions(struct oxorule_run *run, const struct openchangedb_rule *r)
{
	struct RuleAction *act = NULL;
	uint32_t ec;
	uint16_t i;

	if (oxorule_actions_decode(run->mem_ctx, r->actions.data, r->actions.length,
				   &act) != ROP_OK) {
		emsmdb_log(EMSMDB_LOG_WARNING, "rules: rule %" PRIu64 ": actions "
			   "not decoded", r->rule_id);
		return;
	}
	for (i = 0; i < act->NoOfActions && !run->gone; i++) {
		const struct ActionBlock *b = &act->ActionBlocks[i];

		switch (b->ActionType) {
		case OP_MOVE:
		case OP_COPY:
			ec = oxorule_movecopy(run, b);
			break;
		case OP_DELETE:
			ec = emsmdb_ms_ec(mapistore_folder_delete_messages(run->folder,
				&run->mid, 1, true));
			run->gone = ec == ecSuccess;
			break;
		case OP_MARK_AS_READ:
			ec = oxorule_mark_read(run);
			break;
		default:
			emsmdb_log(EMSMDB_LOG_INFO, "rules: rule %" PRIu64 ": action "
				   "type 0x%02x not run", r->rule_id, b->ActionType);
			continue;
		}
		if (ec != ecSuccess) {
			emsmdb_log(EMSMDB_LOG_WARNING, "rules: rule %" PRIu64 ": action "
				   "0x%02x failed: 0x%08x", r->rule_id, b->ActionType, ec);
		}
	}
}

/* the delivered message (kept open in @run) and every property of it,
 * for the conditions */
static uint32_t oxorule_message_props(struct oxorule_run *run,
				      struct mapistore_property **props_r,
				      uint32_t *count_r)
{
	struct mapistore_message *m = NULL;
	uint32_t *tags = NULL, n = 0;
	enum mapistore_error ret;

	ret = mapistore_message_open(run->mem_ctx, run->folder, run->mid, false, &m);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_list(run->mem_ctx, mapistore_message_object(m),
						&tags, &n);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_properties_get(run->mem_ctx, mapistore_message_object(m),
					       tags, n, props_r);
	}
	run->msg = m;
	*count_r = n;
	return emsmdb_ms_ec(ret);
}

uint32_t oxorule_run_delivery(struct emsmdb_session *s, const char *username,
			      uint64_t fid, uint64_t mid)
{
	struct openchangedb_rule *rules = NULL;
	struct mapistore_property *props = NULL;
	struct oxorule_run run = { .s = s, .fid = fid, .mid = mid };
	uint32_t count = 0, nprops = 0, i, ec;

	run.mem_ctx = talloc_new(NULL);
	if (run.mem_ctx == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_ms_ec(openchangedb_rules_get(run.mem_ctx, s->ocdb, username, fid,
						 &rules, &count));
	if (ec != ecSuccess || count == 0) {
		goto done;
	}
	ec = emsmdb_ms_ec(mapistore_folder_open(run.mem_ctx, s->mstore, fid, &run.folder));
	if (ec == ecSuccess) {
		ec = oxorule_message_props(&run, &props, &nprops);
	}
	if (ec != ecSuccess) {
		goto done;
	}
	/* in PidTagRuleSequence order (openchangedb_rules_get) */
	for (i = 0; i < count && !run.gone; i++) {
		/* no Out of Office state is kept: the user is never OOF */
		if (!(rules[i].state & ST_ENABLED) ||
		    (rules[i].state & ST_ONLY_WHEN_OOF) ||
		    !oxorule_matches(&run, &rules[i], props, nprops)) {
			continue;
		}
		oxorule_actions(&run, &rules[i]);
		if (rules[i].state & ST_EXIT_LEVEL) {
			break;
		}
	}
done:
	talloc_free(run.mem_ctx);
	return ec;
}

/*
 * [MS-OXORULE] Email Rules Protocol, server side: the rule ROPs
 * ([MS-OXCROPS] 2.2.11, oxorule.c) and running a folder's rules on a
 * delivered message (oxorule_run.c). Internal to server_module/emsmdb.
 * See doc/rules.md.
 *
 * Model: a folder's rules are openchangedb's (openchangedb_rules_*); the
 * condition and actions are stored as the PtypRestriction /
 * PtypRuleAction bytes of the ROP buffer, validated by decoding them
 * (oxorule_condition_decode, oxorule_actions_decode) before they are
 * stored, and decoded again to show or run them.
 */
#ifndef OXORULE_H
#define OXORULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_store.h"
#include "oxcdata.h"

struct emsmdb_rop_call;
struct emsmdb_session;

/* [MS-OXORULE] 2.2.1.1 ModifyRulesFlag */
#define MODIFY_RULES_FLAG_REPLACE 0x01
/* [MS-OXORULE] 2.2.1.2 RuleDataFlags */
#define ROW_ADD 0x01
#define ROW_MODIFY 0x02
#define ROW_REMOVE 0x04
/* [MS-OXORULE] 2.2.2.1 TableFlags of RopGetRulesTable */
#define RULES_TABLE_FLAG_U 0x40

/* [MS-OXORULE] 2.2.1.3.1.3 PidTagRuleState */
#define ST_ENABLED 0x00000001
#define ST_ERROR 0x00000002
#define ST_ONLY_WHEN_OOF 0x00000004
#define ST_KEEP_OOF_HIST 0x00000008
#define ST_EXIT_LEVEL 0x00000010
#define ST_SKIP_IF_SCL_IS_SAFE 0x00000020
#define ST_RULE_PARSE_ERROR 0x00000040

/* [MS-OXORULE] 2.2.5.1 ActionType */
#define OP_MOVE 0x01
#define OP_COPY 0x02
#define OP_REPLY 0x03
#define OP_OOF_REPLY 0x04
#define OP_DEFER_ACTION 0x05
#define OP_BOUNCE 0x06
#define OP_FORWARD 0x07
#define OP_DELEGATE 0x08
#define OP_TAG 0x09
#define OP_DELETE 0x0A
#define OP_MARK_AS_READ 0x0B

/* [MS-OXORULE] 2.2.1.3.1, [MS-OXPROPS] */
#define PidTagRuleId 0x66740014
#define PidTagRuleSequence 0x66760003
#define PidTagRuleState 0x66770003
#define PidTagRuleUserFlags 0x66780003
#define PidTagRuleCondition 0x667900FD
#define PidTagRuleActions 0x668000FE
#define PidTagRuleProvider 0x6681001F
#define PidTagRuleName 0x6682001F
#define PidTagRuleLevel 0x66830003
#define PidTagRuleProviderData 0x66840102

/* ---- oxorule.c: the ROPs ---- */

/** [MS-OXORULE] 2.2.2 / 3.2.5.3 RopGetRulesTable: a table of the folder's rules. */
uint32_t oxorule_RopGetRulesTable(struct emsmdb_rop_call *call);
/** [MS-OXORULE] 2.2.1 / 3.2.5.2 RopModifyRules; folder owner only (frightsOwner). */
uint32_t oxorule_RopModifyRules(struct emsmdb_rop_call *call);
/** [MS-OXORULE] 2.2.3 RopUpdateDeferredActionMessages (see doc/rules.md). */
uint32_t oxorule_RopUpdateDeferredActionMessages(struct emsmdb_rop_call *call);

/**
 * Row @index of rules table @t: the values of t->columns, on
 * call->mem_ctx; a rule removed since the table was opened gives
 * ecNotFound values. @return ecSuccess, ecNotFound (index out of range).
 */
uint32_t emsmdb_rules_table_row(struct emsmdb_rop_call *call, struct emsmdb_table *t,
				uint32_t index, struct mapistore_property **props_r);

/* ---- the stored blobs ---- */

/**
 * Decode stored PidTagRuleCondition bytes ([MS-OXCDATA] 2.12, 16-bit
 * counts) that must be consumed exactly; result on @mem_ctx.
 * @return ROP_OK or the decoder's error (nothing allocated then).
 */
enum rop_err oxorule_condition_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
				      size_t len, struct Restriction **res_r);

/**
 * Decode stored PidTagRuleActions bytes ([MS-OXORULE] 2.2.5 RuleAction,
 * 16-bit counts) that must be consumed exactly; result on @mem_ctx.
 * @return ROP_OK or the decoder's error (nothing allocated then).
 */
enum rop_err oxorule_actions_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
				    size_t len, struct RuleAction **act_r);

/**
 * The FID an OP_MOVE / OP_COPY ActionData names ([MS-OXORULE]
 * 2.2.5.1.2.1: FolderInThisStore 1, a ServerEid FolderEID, 2.2.5.1.2.1.1).
 * @return ecSuccess, ecNotSupported (another store), ecInvalidParam
 * (malformed).
 */
uint32_t oxorule_movecopy_fid(const uint8_t *data, uint32_t len, uint64_t *fid_r);

/* ---- oxorule_run.c: rules on delivery ---- */

/**
 * Run the enabled rules of folder @fid of @username's mailbox on message
 * @mid just delivered there ([MS-OXORULE] 3.2.7.1): in PidTagRuleSequence
 * order, each whose condition matches; OP_MOVE, OP_COPY (same mailbox),
 * OP_DELETE and OP_MARK_AS_READ are done, other actions logged and
 * skipped; a matching rule with ST_EXIT_LEVEL stops. Errors of one rule
 * are logged and do not stop the others. @return ecSuccess, or the error
 * reading the rules.
 */
uint32_t oxorule_run_delivery(struct emsmdb_session *s, const char *username,
			      uint64_t fid, uint64_t mid);

#endif /* OXORULE_H */

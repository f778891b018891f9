/*
 * openchangedb: server-side rules ([MS-OXORULE] 2.2.1.3: the rule
 * properties of a folder's rules table), stored per mailbox and folder in
 * ocdb_rules (migration 006). Contract in openchangedb.h.
 *
 * The condition (PtypRestriction) and actions (PtypRuleAction) are kept as
 * the bytes the client sent in RopModifyRules; the EMSMDB layer validates
 * them by decoding before it stores them and decodes them again to run
 * them, so the store needs no knowledge of their format.
 */
#include "openchangedb_private.h"

#include <string.h>

static const char sql_rules_list[] =
	"SELECT rule_id, sequence, state, name, provider, level, user_flags,"
	" provider_data, rule_condition, rule_actions"
	" FROM ocdb_rules WHERE mailbox_id = ? AND fid = ?"
	" ORDER BY sequence, rule_id";
static const char sql_rules_clear[] =
	"DELETE FROM ocdb_rules WHERE mailbox_id = ? AND fid = ?";
static const char sql_rules_add[] =
	"INSERT INTO ocdb_rules (mailbox_id, fid, rule_id, sequence, state, name,"
	" provider, level, user_flags, provider_data, rule_condition, rule_actions)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* a blob column as a talloc copy on @mem_ctx (empty: length 0, data NULL) */
static bool rules_blob(TALLOC_CTX *mem_ctx, const struct mapistore_db_result *res,
		       uint32_t row, uint32_t col, struct mapistore_binary *out)
{
	const struct mapistore_db_value *v = mapistore_db_result_cell(res, row, col);

	out->data = NULL;
	out->length = 0;
	if (v == NULL || v->type != MAPISTORE_DB_BLOB || v->length == 0) {
		return true;
	}
	out->data = talloc_memdup(mem_ctx, v->data, v->length);
	if (out->data == NULL) {
		return false;
	}
	out->length = v->length;
	return true;
}

enum mapistore_error openchangedb_rules_get(TALLOC_CTX *mem_ctx,
	struct openchangedb_context *ocdb, const char *username, uint64_t fid,
	struct openchangedb_rule **rules_r, uint32_t *count_r)
{
	TALLOC_CTX *frame;
	struct mapistore_db_result *res = NULL;
	struct openchangedb_rule *r;
	enum mapistore_error ret;
	uint32_t i;

	if (ocdb == NULL || rules_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	frame = talloc_new(NULL);
	if (frame == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = openchangedb_folder_rows(frame, ocdb, username, fid, sql_rules_list, &res);
	if (ret != MAPISTORE_SUCCESS) {
		goto done;
	}
	r = talloc_zero_array(mem_ctx, struct openchangedb_rule, res->rows + 1);
	if (r == NULL) {
		ret = MAPISTORE_ERR_NO_MEMORY;
		goto done;
	}
	for (i = 0; i < res->rows; i++) {
		r[i].rule_id = (uint64_t)mapistore_db_result_int(res, i, 0);
		r[i].sequence = (uint32_t)mapistore_db_result_int(res, i, 1);
		r[i].state = (uint32_t)mapistore_db_result_int(res, i, 2);
		r[i].name = openchangedb_result_text(r, res, i, 3);
		r[i].provider = openchangedb_result_text(r, res, i, 4);
		r[i].level = (uint32_t)mapistore_db_result_int(res, i, 5);
		r[i].user_flags = (uint32_t)mapistore_db_result_int(res, i, 6);
		if (r[i].name == NULL || r[i].provider == NULL ||
		    !rules_blob(r, res, i, 7, &r[i].provider_data) ||
		    !rules_blob(r, res, i, 8, &r[i].condition) ||
		    !rules_blob(r, res, i, 9, &r[i].actions)) {
			talloc_free(r);
			ret = MAPISTORE_ERR_NO_MEMORY;
			goto done;
		}
	}
	*rules_r = r;
	*count_r = res->rows;
done:
	talloc_free(frame);
	return ret;
}

/* a blob parameter: an empty value is empty bytes, never NULL (NOT NULL) */
static struct mapistore_db_value rules_blob_param(const struct mapistore_binary *b)
{
	return mapistore_db_blob(b->length > 0 ? b->data : (const uint8_t *)"", b->length);
}

static bool rules_valid(const struct openchangedb_rule *rules, uint32_t count)
{
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		const struct openchangedb_rule *r = &rules[i];

		if (r->rule_id == 0 || r->rule_id > INT64_MAX ||
		    r->provider_data.length > MAPISTORE_MAX_VALUE_SIZE ||
		    r->condition.length > MAPISTORE_MAX_VALUE_SIZE ||
		    r->actions.length > MAPISTORE_MAX_VALUE_SIZE) {
			return false;
		}
		for (j = 0; j < i; j++) {
			if (rules[j].rule_id == r->rule_id) {
				return false;
			}
		}
	}
	return true;
}

enum mapistore_error openchangedb_rules_set(struct openchangedb_context *ocdb,
	const char *username, uint64_t fid,
	const struct openchangedb_rule *rules, uint32_t count)
{
	struct mapistore_db_value p[12];
	enum mapistore_error ret;
	int64_t mailbox_id = 0;
	uint32_t i;

	if (ocdb == NULL || (count > 0 && rules == NULL) ||
	    count > OPENCHANGEDB_RULES_MAX || !rules_valid(rules, count)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ret = openchangedb_mailbox_id(ocdb, username, &mailbox_id);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	p[0] = mapistore_db_int(mailbox_id);
	p[1] = mapistore_db_int((int64_t)fid);
	ret = mapistore_db_begin(ocdb->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = openchangedb_exec(ocdb, sql_rules_clear, p, 2);
	for (i = 0; i < count && ret == MAPISTORE_SUCCESS; i++) {
		const struct openchangedb_rule *r = &rules[i];

		p[2] = mapistore_db_int((int64_t)r->rule_id);
		p[3] = mapistore_db_int(r->sequence);
		p[4] = mapistore_db_int(r->state);
		p[5] = mapistore_db_text(r->name != NULL ? r->name : "");
		p[6] = mapistore_db_text(r->provider != NULL ? r->provider : "");
		p[7] = mapistore_db_int(r->level);
		p[8] = mapistore_db_int(r->user_flags);
		p[9] = rules_blob_param(&r->provider_data);
		p[10] = rules_blob_param(&r->condition);
		p[11] = rules_blob_param(&r->actions);
		ret = openchangedb_exec(ocdb, sql_rules_add, p, 12);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(ocdb->db);
		return ret;
	}
	return mapistore_db_commit(ocdb->db);
}

/*
 * Named property mappings per mailbox ([MS-OXCPRPT] 3.1.5.x/3.2.5.x).
 * Lookups by name use the (mailbox, guid, kind, lid, name_hash) index;
 * lookups by ID the (mailbox, propid) primary key.
 */
#include "mapistore_namedprops.h"
#include "mapistore_db.h"
#include "mapistore_indexing.h"

#include <ctype.h>
#include <string.h>

struct mapistore_namedprops {
	struct mapistore_db *db;
	char *mailbox;
};

static const char sql_find[] =
	"SELECT propid, name FROM mstore_namedprops WHERE mailbox = ? AND guid = ?"
	" AND kind = ? AND lid = ? AND name_hash = ?";
static const char sql_max[] =
	"SELECT MAX(propid) FROM mstore_namedprops WHERE mailbox = ?";
static const char sql_add[] =
	"INSERT INTO mstore_namedprops (mailbox, propid, guid, kind, lid, name, name_hash)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char sql_by_id[] =
	"SELECT guid, kind, lid, name FROM mstore_namedprops WHERE mailbox = ? AND propid = ?";
static const char sql_set_name[] =
	"SELECT name FROM mstore_namedprops_sets WHERE guid = ?";

enum mapistore_error mapistore_namedprops_new(TALLOC_CTX *mem_ctx,
	struct mapistore_db *db, const char *mailbox,
	struct mapistore_namedprops **np_r)
{
	struct mapistore_namedprops *np;

	if (db == NULL || mailbox == NULL || np_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	np = talloc_zero(mem_ctx, struct mapistore_namedprops);
	if (np == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	np->db = db;
	np->mailbox = talloc_strdup(np, mailbox);
	if (np->mailbox == NULL) {
		talloc_free(np);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*np_r = np;
	return MAPISTORE_SUCCESS;
}

/* Lower-case canonical GUID text in @out, or false if malformed. */
static bool guid_canonical(const char *in, char out[37])
{
	int i;

	if (in == NULL || strlen(in) != 36) {
		return false;
	}
	for (i = 0; i < 36; i++) {
		bool dash = (i == 8 || i == 13 || i == 18 || i == 23);

		if (dash ? in[i] != '-' : !isxdigit((unsigned char)in[i])) {
			return false;
		}
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[36] = '\0';
	return true;
}

static bool nameid_ok(const struct mapistore_nameid *n, char guid[37])
{
	if (n == NULL || !guid_canonical(n->guid, guid)) {
		return false;
	}
	if (n->kind == MNID_ID) {
		return true;
	}
	return n->kind == MNID_STRING && n->name != NULL && n->name[0] != '\0' &&
	       strlen(n->name) <= MAPISTORE_NAMEDPROP_MAX_NAME;
}

static enum mapistore_error find(struct mapistore_namedprops *np, const char *guid,
	const struct mapistore_nameid *n, uint16_t *propid_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[5];
	enum mapistore_error ret;
	uint32_t i;

	p[0] = mapistore_db_text(np->mailbox);
	p[1] = mapistore_db_text(guid);
	p[2] = mapistore_db_int(n->kind);
	p[3] = mapistore_db_int(n->kind == MNID_ID ? n->lid : 0);
	p[4] = mapistore_db_int(n->kind == MNID_STRING ? mapistore_indexing_uri_hash(n->name) : 0);
	ret = mapistore_db_exec(np->db, sql_find, p, 5, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	ret = MAPISTORE_ERR_NOT_FOUND;
	for (i = 0; i < res->rows; i++) {
		const char *stored = mapistore_db_result_text(res, i, 1);

		/* names compare case-sensitively ([MS-OXCPRPT] 3.2.5.x) */
		if (n->kind == MNID_ID || (stored != NULL && strcmp(stored, n->name) == 0)) {
			*propid_r = (uint16_t)mapistore_db_result_int(res, i, 0);
			ret = MAPISTORE_SUCCESS;
			break;
		}
	}
	talloc_free(res);
	return ret;
}

enum mapistore_error mapistore_namedprops_get_mapped_id(
	struct mapistore_namedprops *np, const struct mapistore_nameid *nameid,
	bool create, uint16_t *propid_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_db_value p[7];
	enum mapistore_error ret;
	char guid[37];
	int64_t next;

	if (!nameid_ok(nameid, guid) || propid_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	if (nameid->kind == MNID_ID && strcmp(guid, PS_MAPI_GUID) == 0) {
		if (nameid->lid == 0 || nameid->lid >= MAPISTORE_NAMEDPROP_FIRST) {
			return MAPISTORE_ERR_NOT_FOUND;
		}
		*propid_r = (uint16_t)nameid->lid;
		return MAPISTORE_SUCCESS;
	}
	ret = find(np, guid, nameid, propid_r);
	if (ret != MAPISTORE_ERR_NOT_FOUND || !create) {
		return ret;
	}
	ret = mapistore_db_begin(np->db);
	if (ret != MAPISTORE_SUCCESS) {
		return ret;
	}
	/* another session of this mailbox may have mapped it meanwhile */
	ret = find(np, guid, nameid, propid_r);
	if (ret != MAPISTORE_ERR_NOT_FOUND) {
		mapistore_db_rollback(np->db);
		return ret;
	}
	p[0] = mapistore_db_text(np->mailbox);
	ret = mapistore_db_exec(np->db, sql_max, p, 1, NULL, &res);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(np->db);
		return ret;
	}
	next = mapistore_db_result_int(res, 0, 0);
	talloc_free(res);
	next = next < MAPISTORE_NAMEDPROP_FIRST ? MAPISTORE_NAMEDPROP_FIRST : next + 1;
	if (next > MAPISTORE_NAMEDPROP_LAST) {
		mapistore_db_rollback(np->db);
		return MAPISTORE_ERR_TOO_BIG;
	}
	p[1] = mapistore_db_int(next);
	p[2] = mapistore_db_text(guid);
	p[3] = mapistore_db_int(nameid->kind);
	p[4] = mapistore_db_int(nameid->kind == MNID_ID ? nameid->lid : 0);
	p[5] = nameid->kind == MNID_STRING ? mapistore_db_text(nameid->name) : mapistore_db_null();
	p[6] = mapistore_db_int(nameid->kind == MNID_STRING ?
				mapistore_indexing_uri_hash(nameid->name) : 0);
	ret = mapistore_db_exec(np->db, sql_add, p, 7, NULL, NULL);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_db_rollback(np->db);
		return ret;
	}
	ret = mapistore_db_commit(np->db);
	if (ret == MAPISTORE_SUCCESS) {
		*propid_r = (uint16_t)next;
	}
	return ret;
}

enum mapistore_error mapistore_namedprops_get_nameid(TALLOC_CTX *mem_ctx,
	struct mapistore_namedprops *np, uint16_t propid,
	struct mapistore_nameid **nameid_r)
{
	struct mapistore_db_result *res = NULL;
	struct mapistore_nameid *n;
	struct mapistore_db_value p[2];
	enum mapistore_error ret;

	n = talloc_zero(mem_ctx, struct mapistore_nameid);
	if (n == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (propid < MAPISTORE_NAMEDPROP_FIRST) {
		n->guid = talloc_strdup(n, PS_MAPI_GUID);
		n->kind = MNID_ID;
		n->lid = propid;
		*nameid_r = n;
		return n->guid ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	p[0] = mapistore_db_text(np->mailbox);
	p[1] = mapistore_db_int(propid);
	ret = mapistore_db_exec_row(np->db, sql_by_id, p, 2, n, &res);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(n);
		return ret;
	}
	n->guid = mapistore_db_result_text(res, 0, 0);
	n->kind = (enum mapistore_nameid_kind)mapistore_db_result_int(res, 0, 1);
	n->lid = (uint32_t)mapistore_db_result_int(res, 0, 2);
	n->name = n->kind == MNID_STRING ? mapistore_db_result_text(res, 0, 3) : NULL;
	*nameid_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_namedprops_set_name(TALLOC_CTX *mem_ctx,
	struct mapistore_namedprops *np, const char *guid, char **name_r)
{
	struct mapistore_db_value p;
	char canon[37];

	if (!guid_canonical(guid, canon)) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	p = mapistore_db_text(canon);
	return mapistore_db_query_text(mem_ctx, np->db, sql_set_name, &p, 1, name_r);
}

/*
 * The nspi_dir_* contract (nspi_private.h) and the session lookup over
 * the fake directory of nspi_dir_fake.c. Same answers as the real layer
 * for the same data: NotFound / InvalidBookmark / limits, no sam.ldb.
 */
#include "nspi_dir_fake.h"

#include <string.h>
#include <strings.h>

static struct nspi_fake_dir *fake;

void nspi_fake_dir_set(struct nspi_fake_dir *d)
{
	fake = d;
}

struct nspi_session *nspi_session_lookup(struct mp_call *call,
					 const struct policy_handle *handle)
{
	/* a handle whose first byte is 0xFF plays the unknown handle */
	if (fake == NULL || (handle != NULL && handle->uuid.time_low >> 24 == 0xFF)) {
		call->fault_code = NSPI_FAULT_CONTEXT_MISMATCH;
		return NULL;
	}
	return fake->s;
}

NTSTATUS nspi_op_NspiBind(struct mp_call *call, void *_r)
{
	struct NspiBind *r = _r;

	r->out.pServerGuid = NULL;
	r->out.result = r->in.pStat->CodePage == NSPI_CP_WINUNICODE ?
		NSPI_InvalidCodepage : NSPI_Success;
	return NT_STATUS_OK;
}

NTSTATUS nspi_op_NspiUnbind(struct mp_call *call, void *_r)
{
	struct NspiUnbind *r = _r;

	r->out.contextHandle = talloc_zero(call->mem_ctx, struct policy_handle);
	r->out.result = NSPI_UnbindSuccess;
	return r->out.contextHandle ? NT_STATUS_OK : NT_STATUS_NO_MEMORY;
}

uint32_t nspi_dir_load_containers(struct nspi_session *s)
{
	static const uint8_t list_guid[16] = { 0xC0, 0x01 };
	struct nspi_container *cs;

	if (s->containers != NULL) {
		return NSPI_Success;
	}
	cs = talloc_zero_array(s, struct nspi_container, 2);
	if (cs == NULL) {
		return NSPI_NotEnoughMemory;
	}
	cs[0].name = "";
	cs[0].x500 = "/";
	cs[0].parent = -1;
	cs[0].flags = NSPI_AB_RECIPIENTS | NSPI_AB_UNMODIFIABLE;
	memcpy(cs[1].guid, list_guid, 16);
	cs[1].mid = nspi_mids_get(s->mids, list_guid);
	cs[1].ldb_dn = "CN=All Users,CN=All Address Lists";
	cs[1].name = "All Users";
	cs[1].x500 = "/guid=c0010000000000000000000000000000";
	cs[1].depth = 1;
	cs[1].flags = NSPI_AB_RECIPIENTS | NSPI_AB_UNMODIFIABLE;
	s->containers = cs;
	s->n_containers = 2;
	s->hierarchy_version = 3;
	return cs[1].mid ? NSPI_Success : NSPI_NotEnoughMemory;
}

struct nspi_container *nspi_container_find(struct nspi_session *s,
					   uint32_t container_id)
{
	uint32_t i;

	if (nspi_dir_load_containers(s) != NSPI_Success) {
		return NULL;
	}
	for (i = 0; i < s->n_containers; i++) {
		if (s->containers[i].mid == container_id) {
			return &s->containers[i];
		}
	}
	return NULL;
}

uint32_t nspi_dir_table(struct nspi_session *s, struct nspi_container *c,
			uint32_t sort_locale, struct nspi_table **table_r)
{
	struct nspi_table *t;
	uint32_t i;

	if (c->table == NULL) {
		t = talloc_zero(s, struct nspi_table);
		if (t == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->rows = talloc_zero_array(t, struct nspi_row, fake->n);
		if (t->rows == NULL) {
			return NSPI_NotEnoughMemory;
		}
		t->container_id = c->mid;
		for (i = 0; i < fake->n; i++) {
			const struct ldb_message *m = fake->msgs[i];

			t->rows[t->count].mid = nspi_fake_mid(fake, m);
			t->rows[t->count].display_name = ldb_msg_find_attr_as_string(
				m, "displayName", ldb_msg_find_attr_as_string(
					m, "name", ""));
			t->rows[t->count].display_type = nspi_kind_display_type(
				nspi_fake_kind(m));
			t->count += t->rows[t->count].mid != 0;
		}
		t->sort_locale = sort_locale + 1;
		/* as the real layer: positioning by MId through the index
		 * (kept up to date by the sort below) */
		nspi_table_index(t, t);
		c->table = t;
	}
	if (c->table->sort_locale != sort_locale) {
		nspi_table_sort(c->table, sort_locale);
	}
	*table_r = c->table;
	return NSPI_Success;
}

struct nspi_entry *nspi_dir_fetch(struct nspi_session *s, TALLOC_CTX *mem_ctx,
				  const uint32_t *mids, uint32_t n,
				  const uint32_t *tags, uint32_t n_tags)
{
	struct nspi_entry *e = talloc_zero_array(mem_ctx, struct nspi_entry,
						 n ? n : 1);
	uint32_t i;

	for (i = 0; e != NULL && i < n; i++) {
		e[i].mid = mids[i];
		e[i].msg = nspi_fake_by_guid(fake, nspi_mids_guid(s->mids, mids[i]));
		if (e[i].msg != NULL) {
			e[i].kind = nspi_fake_kind(e[i].msg);
			e[i].legacy_dn = nspi_legacy_dn(mem_ctx, e[i].msg);
		}
	}
	return e;
}

const char *nspi_dir_mid_dn(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			    uint32_t mid)
{
	const uint8_t *g = nspi_mids_guid(s->mids, mid);
	uint32_t i;

	for (i = 0; g != NULL && i < fake->n; i++) {
		if (fake->msgs[i] == nspi_fake_by_guid(fake, g)) {
			return talloc_strdup(mem_ctx, fake->dns[i]);
		}
	}
	return NULL;
}

uint32_t nspi_dir_search(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			 struct nspi_container *c, struct ldb_parse_tree *tree,
			 uint32_t limit, uint32_t **mids_r, uint32_t *n_r,
			 uint32_t *total_r)
{
	uint32_t *mids = talloc_array(mem_ctx, uint32_t, limit ? limit : 1);
	uint32_t i, n = 0, total = 0;

	if (mids == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < fake->n; i++) {
		if (tree != NULL && !nspi_fake_match(fake->msgs[i], tree)) {
			continue;
		}
		total += total <= limit;
		if (n < limit) {
			mids[n] = nspi_fake_mid(fake, fake->msgs[i]);
			n += mids[n] != 0;
		}
	}
	*mids_r = mids;
	*n_r = n;
	*total_r = total;
	return NSPI_Success;
}

uint32_t nspi_dir_dn_to_mid(struct nspi_session *s, const char *dn)
{
	uint32_t i;

	if (dn == NULL || strlen(dn) > NSPI_MAX_STRING) {
		return 0;
	}
	for (i = 0; i < fake->n; i++) {
		const char *x = ldb_msg_find_attr_as_string(fake->msgs[i],
			"legacyExchangeDN", "");

		if (strcasecmp(x, dn) == 0) {
			return nspi_fake_mid(fake, fake->msgs[i]);
		}
	}
	return 0;
}

uint32_t nspi_dir_links(struct nspi_session *s, TALLOC_CTX *mem_ctx,
			uint32_t mid, uint32_t proptag, uint32_t limit,
			uint32_t **mids_r, uint32_t *n_r)
{
	static const struct { uint16_t id; const char *attr; } links[] = {
		{ 0x8009, "member" }, { 0x800E, "directReports" },
		{ 0x8008, "memberOf" }, { 0x8005, "manager" },
		{ 0x8015, "publicDelegates" },
	};
	const struct ldb_message *m = nspi_fake_by_guid(fake,
		nspi_mids_guid(s->mids, mid));
	const struct ldb_message_element *el = NULL;
	uint32_t *mids, i, k, n = 0;

	for (i = 0; i < ARRAY_LEN(links); i++) {
		if (links[i].id == NSPI_PROP_ID(proptag)) {
			el = m ? ldb_msg_find_element(m, links[i].attr) : NULL;
			break;
		}
	}
	if (i == ARRAY_LEN(links)) {
		return NSPI_NotSupported;
	}
	if (m == NULL) {
		return NSPI_InvalidBookmark;
	}
	mids = talloc_array(mem_ctx, uint32_t, limit ? limit : 1);
	if (mids == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; el != NULL && i < el->num_values && n < limit; i++) {
		for (k = 0; k < fake->n; k++) {
			if (strcasecmp(fake->dns[k],
				       (const char *)el->values[i].data) == 0) {
				mids[n] = nspi_fake_mid(fake, fake->msgs[k]);
				n += mids[n] != 0;
				break;
			}
		}
	}
	*mids_r = mids;
	*n_r = n;
	return NSPI_Success;
}

/* validated, then dropped: every input sees the same directory */
uint32_t nspi_dir_modify(struct nspi_session *s, uint32_t mid,
			 struct ldb_message *mods)
{
	struct ldb_message *m = nspi_fake_by_guid(fake,
		nspi_mids_guid(s->mids, mid));
	unsigned i;

	if (m == NULL) {
		return NSPI_InvalidParameter;
	}
	for (i = 0; i < mods->num_elements; i++) {
		if (mods->elements[i].name == NULL) {
			return NSPI_InvalidParameter;
		}
	}
	/* the group is the one object the caller may not change */
	return nspi_fake_kind(m) == NSPI_KIND_GROUP ? NSPI_AccessDenied :
		NSPI_Success;
}

/*
 * [MS-OXCPERM] Exchange Access and Operation Permissions Protocol: the
 * permission ROPs ([MS-OXCROPS] 2.2.10). A folder's permissions list is
 * openchangedb's (openchangedb_acl_*); the permissions table is an
 * emsmdb_table of kind EMSMDB_TABLE_PERMISSIONS whose rows are read from
 * it (emsmdb_acl_table_row, fed by oxctabl.c's QueryRows).
 */
#include "emsmdb_acl.h"
#include "emsmdb_oxc.h"

#include <string.h>
#include <strings.h>

/* [MS-OXCPERM] 2.2.1.1 TableFlags, 2.2.2.1 ModifyFlags, 2.2.2.1.1
 * PermissionDataFlags */
#define TableFlags_IncludeFreeBusy 0x02
#define ModifyFlags_ReplaceRows 0x01
#define ModifyFlags_IncludeFreeBusy 0x02
#define PermissionDataFlags_AddRow 0x01
#define PermissionDataFlags_ModifyRow 0x02
#define PermissionDataFlags_RemoveRow 0x04
/* [MS-OXCDATA] 2.4.2 */
#ifndef ecTooBig
#define ecTooBig 0x80040305
#endif

static struct emsmdb_folder *emsmdb_perm_folder(struct emsmdb_rop_call *call)
{
	return call->in != NULL && call->in->type == EMSMDB_OBJECT_FOLDER ?
		talloc_get_type(call->in->private_data, struct emsmdb_folder) : NULL;
}

static const char *emsmdb_perm_owner(struct emsmdb_rop_call *call)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	/* NULL: the public store (openchangedb's mailbox 0) */
	return l != NULL && l->is_private ? l->mailbox_owner : NULL;
}

/*
 * The list as the table shows it: the stored rows, with the Default and
 * Anonymous members added (rights 0) when they are not stored
 * ([MS-OXCPERM] 3.2.5.2: the table always has them).
 */
static uint32_t emsmdb_perm_list(struct emsmdb_rop_call *call, TALLOC_CTX *mem_ctx,
				 uint64_t fid, struct openchangedb_acl_entry **list_r,
				 uint32_t *count_r)
{
	struct openchangedb_acl_entry *e = NULL, *all;
	bool have_default = false, have_anon = false;
	enum mapistore_error ret;
	uint32_t n = 0, i, k = 0;

	ret = openchangedb_acl_get(mem_ctx, call->session->ocdb,
				   emsmdb_perm_owner(call), fid, &e, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < n; i++) {
		have_default |= e[i].member_id == EMSMDB_ACL_MEMBER_DEFAULT;
		have_anon |= e[i].member_id == EMSMDB_ACL_MEMBER_ANONYMOUS;
	}
	all = talloc_zero_array(mem_ctx, struct openchangedb_acl_entry, n + 3);
	if (all == NULL) {
		return ecMAPIOOM;
	}
	if (!have_anon) {
		all[k].member_id = EMSMDB_ACL_MEMBER_ANONYMOUS;
		all[k].account = "";
		all[k++].name = "Anonymous";
	}
	if (!have_default) {
		all[k].member_id = EMSMDB_ACL_MEMBER_DEFAULT;
		all[k].account = "";
		all[k++].name = "";
	}
	/* stored rows are ordered by member ID: -1, 0, then users */
	for (i = 0; i < n; i++) {
		all[k++] = e[i];
	}
	*list_r = all;
	*count_r = k;
	return ecSuccess;
}

/* [MS-OXCPERM] 2.2.1 RopGetPermissionsTable, 3.2.5.2 */
uint32_t oxcperm_RopGetPermissionsTable(struct emsmdb_rop_call *call)
{
	const struct RopGetPermissionsTable_req *req = &call->req->u.RopGetPermissionsTable;
	struct openchangedb_acl_entry *list = NULL;
	struct emsmdb_folder *f = emsmdb_perm_folder(call);
	struct emsmdb_table *t = NULL;
	uint32_t count = 0, i, ec;

	if (f == NULL) {
		return ecNotSupported;
	}
	ec = emsmdb_acl_check(call, call->in, frightsVisible);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_perm_list(call, call->mem_ctx, f->fid, &list, &count);
	if (ec != ecSuccess) {
		return ec;
	}
	ec = emsmdb_table_new(call, EMSMDB_TABLE_PERMISSIONS, req->TableFlags, &t);
	if (ec != ecSuccess) {
		return ec;
	}
	/* not a backend table: the rows are the members, their values read
	 * when a row is sent (emsmdb_acl_table_row) */
	TALLOC_FREE(t->mt);
	t->fids = talloc_array(t, uint64_t, count + 1);
	if (t->fids == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		t->fids[i] = (uint64_t)list[i].member_id;
	}
	t->count = count;
	t->cursor = 0;
	return ecSuccess;
}

/* one column of a member's row ([MS-OXCPERM] 2.2.4-2.2.7) */
static void emsmdb_perm_column(const void *entry, const struct emsmdb_table *t, uint32_t tag,
			       struct mapistore_property *p)
{
	const struct openchangedb_acl_entry *e = entry;

	p->proptag = tag;
	switch (tag) {
	case PidTagMemberId:
		p->value.i64 = e->member_id;
		return;
	case PidTagMemberName:
		p->value.str = (char *)(uintptr_t)(e->name != NULL ? e->name : "");
		return;
	case PidTagMemberRights:
		/* 2.2.1.1: FreeBusy bits only with IncludeFreeBusy */
		p->value.i32 = (int32_t)((t->TableFlags & TableFlags_IncludeFreeBusy) ?
			e->rights : (e->rights & ~EMSMDB_ACL_FREEBUSY));
		return;
	case PidTagEntryId:
		/* 2.2.4: empty for the Default and Anonymous members */
		p->value.bin = e->entry_id;
		return;
	default:
		*p = mapistore_property_not_found(tag);
		return;
	}
}

uint32_t emsmdb_acl_table_row(struct emsmdb_rop_call *call, struct emsmdb_table *t,
			      uint32_t index, struct mapistore_property **props_r)
{
	struct openchangedb_acl_entry *list = NULL, *e = NULL;
	uint32_t count = 0, i, ec;

	if (index >= t->count || t->folder == NULL) {
		return ecNotFound;
	}
	ec = emsmdb_perm_list(call, call->mem_ctx, t->folder->fid, &list, &count);
	if (ec != ecSuccess) {
		return ec;
	}
	for (i = 0; i < count && e == NULL; i++) {
		if ((uint64_t)list[i].member_id == t->fids[index]) {
			e = &list[i];
		}
	}
	return emsmdb_fed_row(call->mem_ctx, t, e, emsmdb_perm_column, props_r);
}

/* the value of @tag in @pd, NULL if absent */
static const struct TaggedPropertyValue *emsmdb_perm_value(const struct PermissionData *pd,
							   uint32_t tag)
{
	uint16_t i;

	for (i = 0; i < pd->PropertyValueCount; i++) {
		if (pd->PropertyValues[i].PropertyTag == tag) {
			return &pd->PropertyValues[i];
		}
	}
	return NULL;
}

/* rights from the request, FreeBusy bits kept as they were unless the
 * request includes them ([MS-OXCPERM] 2.2.2.1 IncludeFreeBusy) */
static uint32_t emsmdb_perm_rights(uint8_t ModifyFlags, uint32_t asked, uint32_t old)
{
	if (ModifyFlags & ModifyFlags_IncludeFreeBusy) {
		return asked;
	}
	return (asked & ~EMSMDB_ACL_FREEBUSY) | (old & EMSMDB_ACL_FREEBUSY);
}

/* AddRow: a user named by its address-book entry ID ([MS-OXCPERM] 3.2.5.3) */
static uint32_t emsmdb_perm_add(struct emsmdb_rop_call *call, uint8_t ModifyFlags,
				const struct PermissionData *pd,
				struct openchangedb_acl_entry **list, uint32_t *n)
{
	const struct TaggedPropertyValue *eid = emsmdb_perm_value(pd, PidTagEntryId);
	const struct TaggedPropertyValue *r = emsmdb_perm_value(pd, PidTagMemberRights);
	struct openchangedb_acl_entry *e, *grown;
	char *dn = NULL, *account = NULL, *name = NULL;
	int64_t next = 1;
	uint32_t i, ec;

	if (eid == NULL || r == NULL) {
		return ecInvalidParam;
	}
	if (eid->Value.u.bin.cb == 0) {
		/* the Default member: an empty entry ID */
		for (i = 0; i < *n; i++) {
			if ((*list)[i].member_id == EMSMDB_ACL_MEMBER_DEFAULT) {
				(*list)[i].rights = emsmdb_perm_rights(ModifyFlags,
					r->Value.u.l, (*list)[i].rights);
				return ecSuccess;
			}
		}
		return ecNotFound;
	}
	ec = emsmdb_acl_dn_from_entryid(call->mem_ctx, eid->Value.u.bin.lpb,
					eid->Value.u.bin.cb, &dn);
	if (ec != ecSuccess) {
		return ec;	/* not an address-book entry ID */
	}
	/* the member: a user of the directory ([MS-OXCPERM] 2.2.4) */
	ec = emsmdb_acl_resolve(call->session, call->mem_ctx, dn, &account, &name);
	if (ec != ecSuccess) {
		return ec == ecMAPIOOM ? ec : ecNotFound;
	}
	for (i = 0; i < *n; i++) {
		if ((*list)[i].member_id > 0 && strcasecmp((*list)[i].account, account) == 0) {
			/* already a member: the add updates its rights */
			(*list)[i].rights = emsmdb_perm_rights(ModifyFlags, r->Value.u.l,
							       (*list)[i].rights);
			return ecSuccess;
		}
		if ((*list)[i].member_id >= next) {
			next = (*list)[i].member_id + 1;
		}
	}
	if (*n >= OPENCHANGEDB_ACL_MAX_ENTRIES) {
		return ecTooBig;
	}
	grown = talloc_realloc(call->mem_ctx, *list, struct openchangedb_acl_entry, *n + 1);
	if (grown == NULL) {
		return ecMAPIOOM;
	}
	*list = grown;
	e = &grown[(*n)++];
	memset(e, 0, sizeof(*e));
	e->member_id = next;
	e->account = account;
	e->name = name;
	e->entry_id.data = eid->Value.u.bin.lpb;
	e->entry_id.length = eid->Value.u.bin.cb;
	e->rights = emsmdb_perm_rights(ModifyFlags, r->Value.u.l, 0);
	return ecSuccess;
}

/* ModifyRow / RemoveRow: a member named by PidTagMemberId */
static uint32_t emsmdb_perm_change(uint8_t ModifyFlags, const struct PermissionData *pd,
				   struct openchangedb_acl_entry *list, uint32_t *n)
{
	const struct TaggedPropertyValue *id = emsmdb_perm_value(pd, PidTagMemberId);
	const struct TaggedPropertyValue *r = emsmdb_perm_value(pd, PidTagMemberRights);
	uint32_t i;

	if (id == NULL) {
		return ecInvalidParam;
	}
	for (i = 0; i < *n; i++) {
		if (list[i].member_id != (int64_t)id->Value.u.d) {
			continue;
		}
		if (pd->PermissionDataFlags == PermissionDataFlags_RemoveRow) {
			/* the special members stay, with no rights */
			if (list[i].member_id <= 0) {
				list[i].rights = 0;
				return ecSuccess;
			}
			memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(list[0]));
			(*n)--;
			return ecSuccess;
		}
		if (r == NULL) {
			return ecInvalidParam;
		}
		list[i].rights = emsmdb_perm_rights(ModifyFlags, r->Value.u.l, list[i].rights);
		return ecSuccess;
	}
	return ecNotFound;
}

/* [MS-OXCPERM] 2.2.2 RopModifyPermissions, 3.2.5.3 */
uint32_t oxcperm_RopModifyPermissions(struct emsmdb_rop_call *call)
{
	const struct RopModifyPermissions_req *req = &call->req->u.RopModifyPermissions;
	struct openchangedb_acl_entry *list = NULL;
	struct emsmdb_folder *f = emsmdb_perm_folder(call);
	uint32_t count = 0, ec, i, k;
	uint16_t j;

	if (f == NULL) {
		return ecNotSupported;
	}
	/* 3.2.5.3: only a member with frightsOwner changes the list */
	ec = emsmdb_acl_check(call, call->in, frightsOwner);
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->ModifyCount > OPENCHANGEDB_ACL_MAX_ENTRIES) {
		return ecTooBig;
	}
	ec = emsmdb_perm_list(call, call->mem_ctx, f->fid, &list, &count);
	if (ec != ecSuccess) {
		return ec;
	}
	if (req->ModifyFlags & ModifyFlags_ReplaceRows) {
		/* 2.2.2.1: every entry but the Default (and Anonymous) goes */
		for (i = 0, k = 0; i < count; i++) {
			if (list[i].member_id <= 0) {
				list[k++] = list[i];
			}
		}
		count = k;
	}
	for (j = 0; j < req->ModifyCount; j++) {
		const struct PermissionData *pd = &req->PermissionsData[j];

		switch (pd->PermissionDataFlags) {
		case PermissionDataFlags_AddRow:
			ec = emsmdb_perm_add(call, req->ModifyFlags, pd, &list, &count);
			break;
		case PermissionDataFlags_ModifyRow:
		case PermissionDataFlags_RemoveRow:
			ec = (req->ModifyFlags & ModifyFlags_ReplaceRows) ? ecInvalidParam :
				emsmdb_perm_change(req->ModifyFlags, pd, list, &count);
			break;
		default:
			ec = ecInvalidParam;
			break;
		}
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return emsmdb_ms_ec(openchangedb_acl_set(call->session->ocdb,
		emsmdb_perm_owner(call), f->fid, list, count));
}

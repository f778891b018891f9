/*
 * The permission model and the access check ([MS-OXCPERM] 3.2.5.1;
 * emsmdb_acl.h). Entry IDs and the member resolver are
 * emsmdb_acl_member.c's, delegate logons emsmdb_acl_logon.c's, the ROPs
 * oxcperm.c's.
 */
#include "emsmdb_acl.h"
#include "emsmdb_oxc.h"
#include "emsmdb_log.h"

#include <string.h>
#include <strings.h>

/* [MS-OXCPRPT] 2.2.1.1 PidTagAccess bits */
#define MAPI_ACCESS_MODIFY		0x01
#define MAPI_ACCESS_READ		0x02
#define MAPI_ACCESS_DELETE		0x04
#define MAPI_ACCESS_CREATE_HIERARCHY	0x08
#define MAPI_ACCESS_CREATE_CONTENTS	0x10
#define MAPI_ACCESS_CREATE_ASSOCIATED	0x20

uint32_t emsmdb_acl_effective(const char *account, const char *owner,
			      const struct openchangedb_acl_entry *entries,
			      uint32_t count)
{
	uint32_t i, rights = 0;

	if (account != NULL && owner != NULL && strcasecmp(account, owner) == 0) {
		return EMSMDB_ACL_OWNER_RIGHTS;
	}
	for (i = 0; i < count; i++) {
		if (entries[i].member_id > 0 && account != NULL &&
		    entries[i].account != NULL &&
		    strcasecmp(entries[i].account, account) == 0) {
			return entries[i].rights;
		}
		if (entries[i].member_id == EMSMDB_ACL_MEMBER_DEFAULT) {
			rights = entries[i].rights;
		}
	}
	return rights;
}

bool emsmdb_acl_is_owner(struct emsmdb_session *s, struct emsmdb_object *logon)
{
	struct emsmdb_logon *l;

	if (logon == NULL) {
		return true;	/* no logon: the handler fails on its own */
	}
	l = talloc_get_type(logon->private_data, struct emsmdb_logon);
	if (l == NULL || !l->is_private || l->mailbox_owner == NULL) {
		return true;	/* public folders: not restricted yet */
	}
	return s->account != NULL && strcasecmp(l->mailbox_owner, s->account) == 0;
}

uint32_t emsmdb_acl_rights(struct emsmdb_session *s, struct emsmdb_object *logon,
			   uint64_t fid, uint32_t *rights_r)
{
	struct openchangedb_acl_entry *entries = NULL;
	struct emsmdb_logon *l;
	enum mapistore_error ret;
	uint32_t count = 0;

	*rights_r = 0;
	if (emsmdb_acl_is_owner(s, logon)) {
		*rights_r = EMSMDB_ACL_OWNER_RIGHTS;
		return ecSuccess;
	}
	l = talloc_get_type(logon->private_data, struct emsmdb_logon);
	if (s->ocdb == NULL) {
		return ecNotFound;
	}
	ret = openchangedb_acl_get(NULL, s->ocdb, l->mailbox_owner, fid, &entries,
				   &count);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	*rights_r = emsmdb_acl_effective(s->account, l->mailbox_owner, entries, count);
	talloc_free(entries);
	return ecSuccess;
}

static bool emsmdb_acl_owns(struct emsmdb_rop_call *call,
			    struct mapistore_message *mm);

/* the FID of the folder @obj belongs to, 0 if none */
static uint64_t emsmdb_acl_fid_of(struct emsmdb_object *obj)
{
	for (; obj != NULL; obj = obj->parent) {
		if (obj->type == EMSMDB_OBJECT_FOLDER) {
			struct emsmdb_folder *f = talloc_get_type(obj->private_data,
								  struct emsmdb_folder);

			return f != NULL ? f->fid : 0;
		}
		if (obj->type == EMSMDB_OBJECT_MESSAGE) {
			struct emsmdb_message *m = talloc_get_type(obj->private_data,
								   struct emsmdb_message);

			return m != NULL ? m->fid : 0;
		}
	}
	return 0;
}

static uint32_t emsmdb_acl_check_in(struct emsmdb_session *s,
				    struct emsmdb_object *logon, uint64_t fid,
				    uint32_t rights)
{
	uint32_t have = 0, ec;

	if (emsmdb_acl_is_owner(s, logon)) {
		return ecSuccess;
	}
	ec = emsmdb_acl_rights(s, logon, fid, &have);
	if (ec != ecSuccess || (have & rights) != rights) {
		emsmdb_log(EMSMDB_LOG_INFO, "%s: rights 0x%x on folder 0x%llx "
			   "needed, has 0x%x: access denied", s->account, rights,
			   (unsigned long long)fid, have);
		return ecAccessDenied;
	}
	return ecSuccess;
}

uint32_t emsmdb_acl_check_fid(struct emsmdb_rop_call *call, uint64_t fid,
			      uint32_t rights)
{
	return emsmdb_acl_check_in(call->session, call->logon, fid, rights);
}

uint32_t emsmdb_acl_check(struct emsmdb_rop_call *call, struct emsmdb_object *obj,
			  uint32_t rights)
{
	struct emsmdb_object *logon = obj != NULL ? obj->logon : call->logon;

	if (emsmdb_acl_is_owner(call->session, logon)) {
		return ecSuccess;
	}
	return emsmdb_acl_check_in(call->session, logon, emsmdb_acl_fid_of(obj),
				   rights);
}

uint32_t emsmdb_acl_check_delete(struct emsmdb_rop_call *call,
				 struct emsmdb_folder *f, const uint64_t *mids,
				 uint32_t count)
{
	uint32_t have = 0, i;

	if (emsmdb_acl_is_owner(call->session, call->logon)) {
		return ecSuccess;
	}
	if (emsmdb_acl_rights(call->session, call->logon, f->fid, &have) != ecSuccess) {
		return ecAccessDenied;
	}
	if (have & frightsDeleteAny) {
		return ecSuccess;
	}
	if (!(have & frightsDeleteOwned) || f->mf == NULL) {
		return ecAccessDenied;
	}
	/* DeleteOwned: every message must be the user's own */
	for (i = 0; i < count; i++) {
		struct mapistore_message *mm = NULL;
		bool owns;

		if (mapistore_message_open(call->mem_ctx, f->mf, mids[i], false,
					   &mm) != MAPISTORE_SUCCESS) {
			continue;	/* missing: the delete reports it */
		}
		owns = emsmdb_acl_owns(call, mm);
		talloc_free(mm);
		if (!owns) {
			return ecAccessDenied;
		}
	}
	return ecSuccess;
}

/* was @mm created by the session's user? */
static bool emsmdb_acl_owns(struct emsmdb_rop_call *call,
			    struct mapistore_message *mm)
{
	static const uint32_t tag = PidTagCreatorEntryId;
	struct mapistore_property *p = NULL;
	struct mapistore_binary mine = { 0, NULL };
	TALLOC_CTX *tmp;
	bool owns = false;

	if (mm == NULL || call->session->user_dn == NULL) {
		return false;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return false;
	}
	if (mapistore_properties_get(tmp, mapistore_message_object(mm), &tag, 1,
				     &p) == MAPISTORE_SUCCESS &&
	    !mapistore_property_is_error(&p[0]) &&
	    emsmdb_acl_entryid_from_dn(tmp, call->session->user_dn, &mine) ==
	    ecSuccess) {
		owns = p[0].value.bin.length == mine.length &&
		       memcmp(p[0].value.bin.data, mine.data, mine.length) == 0;
	}
	talloc_free(tmp);
	return owns;
}

uint32_t emsmdb_acl_check_message(struct emsmdb_rop_call *call, uint64_t fid,
				  struct mapistore_message *mm, uint32_t any,
				  uint32_t owned)
{
	uint32_t have = 0, ec;

	if (emsmdb_acl_is_owner(call->session, call->logon)) {
		return ecSuccess;
	}
	ec = emsmdb_acl_rights(call->session, call->logon, fid, &have);
	if (ec != ecSuccess) {
		return ecAccessDenied;
	}
	if ((have & any) == any && any != 0) {
		return ecSuccess;
	}
	if (owned != 0 && (have & owned) == owned && emsmdb_acl_owns(call, mm)) {
		return ecSuccess;
	}
	return ecAccessDenied;
}

uint32_t emsmdb_acl_check_edit(struct emsmdb_rop_call *call,
			       struct emsmdb_message *m)
{
	if (m == NULL) {
		return ecAccessDenied;
	}
	return emsmdb_acl_check_message(call, m->fid, m->mm,
		m->is_new ? frightsCreate : frightsEditAny,
		m->is_new ? frightsCreate : frightsEditOwned);
}

void emsmdb_acl_inherit(struct emsmdb_rop_call *call, uint64_t parent_fid,
			uint64_t fid)
{
	struct emsmdb_session *s = call->session;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct openchangedb_acl_entry *list = NULL;
	const char *owner;
	uint32_t count = 0;

	if (l == NULL || s->ocdb == NULL) {
		return;
	}
	owner = l->is_private ? l->mailbox_owner : NULL;
	if (openchangedb_acl_get(NULL, s->ocdb, owner, parent_fid, &list, &count) !=
	    MAPISTORE_SUCCESS) {
		return;
	}
	if (count > 0 &&
	    openchangedb_acl_set(s->ocdb, owner, fid, list, count) != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "folder 0x%llx: cannot copy the "
			   "permissions of its parent", (unsigned long long)fid);
	}
	talloc_free(list);
}

void emsmdb_acl_forget(struct emsmdb_rop_call *call, uint64_t fid)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	if (l == NULL || call->session->ocdb == NULL) {
		return;
	}
	if (openchangedb_acl_set(call->session->ocdb, l->is_private ?
				 l->mailbox_owner : NULL, fid, NULL, 0) !=
	    MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_WARNING, "folder 0x%llx: cannot remove its "
			   "permissions", (unsigned long long)fid);
	}
}

void emsmdb_acl_stamp_creator(struct emsmdb_rop_call *call,
			      struct mapistore_message *mm)
{
	struct mapistore_property p;

	if (mm == NULL || emsmdb_acl_is_owner(call->session, call->logon) ||
	    call->session->user_dn == NULL) {
		return;
	}
	p.proptag = PidTagCreatorEntryId;
	if (emsmdb_acl_entryid_from_dn(call->mem_ctx, call->session->user_dn,
				       &p.value.bin) != ecSuccess) {
		return;
	}
	mapistore_properties_set(mapistore_message_object(mm), &p, 1);
}

void emsmdb_acl_fix_props(struct emsmdb_session *s, struct emsmdb_object *logon,
			  uint64_t fid, const uint32_t *tags, uint32_t count,
			  struct mapistore_property *props)
{
	uint32_t rights = 0, access = 0, i;

	if (emsmdb_acl_is_owner(s, logon) ||
	    emsmdb_acl_rights(s, logon, fid, &rights) != ecSuccess) {
		return;
	}
	/* [MS-OXCPRPT] 2.2.1.1 PidTagAccess from [MS-OXCPERM] rights */
	if (rights & (frightsVisible | frightsReadAny)) {
		access |= MAPI_ACCESS_READ;
	}
	if (rights & frightsOwner) {
		access |= MAPI_ACCESS_MODIFY | MAPI_ACCESS_DELETE |
			  MAPI_ACCESS_CREATE_ASSOCIATED;
	}
	if (rights & frightsCreateSubfolder) {
		access |= MAPI_ACCESS_CREATE_HIERARCHY;
	}
	if (rights & frightsCreate) {
		access |= MAPI_ACCESS_CREATE_CONTENTS;
	}
	for (i = 0; i < count; i++) {
		switch (tags[i]) {
		case PidTagRights:
			props[i].proptag = tags[i];
			props[i].value.i32 = (int32_t)rights;
			break;
		case PidTagAccess:
			props[i].proptag = tags[i];
			props[i].value.i32 = (int32_t)access;
			break;
		case PidTagAccessLevel:
			/* [MS-OXCPRPT] 2.2.1.2: 1 read-write, 0 read-only */
			props[i].proptag = tags[i];
			props[i].value.i32 = (rights & (frightsCreate | frightsEditAny |
					      frightsOwner)) ? 1 : 0;
			break;
		default:
			break;
		}
	}
}

/*
 * The session's store and the folder model (emsmdb_store.h): opening the
 * mapistore context, provisioning a mailbox on its first logon
 * ([MS-OXCSTOR] 3.2.5.1.1; special folders of [MS-OXOSFLD] 2.2.2 attached
 * to the configured backend), opening folders of a logon's mailbox, and
 * the properties the server computes for folders ([MS-OXCFOLD] 2.2.2).
 */
#include "emsmdb_store.h"
#include "emsmdb_log.h"
#include "oxcmsg_attach.h"
#include "emsmdb_acl.h"
#include "emsmdb_computed.h"

#include <stdint.h>
#include <string.h>

uint32_t emsmdb_store_open(struct emsmdb_session *s)
{
	char *errmsg = NULL;
	enum mapistore_error ret;

	if (s->mstore != NULL) {
		return ecSuccess;
	}
	ret = mapistore_context_new(s, s->config->mapistore, s->account,
				    &s->mstore, &errmsg);
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_ERR, "cannot open the store for %s: %s (%s)",
			   s->account, mapistore_errstr(ret), errmsg ? errmsg : "");
		talloc_free(errmsg);
		return emsmdb_ms_ec(ret);
	}
	s->ocdb = mapistore_context_get_openchangedb(s->mstore);
	return ecSuccess;
}

/* [MS-OXOSFLD] 2.2.2: which system folder holds each backend role */
static const struct {
	enum mapistore_folder_role role;
	enum openchangedb_private_folder idx;
} emsmdb_role_folders[] = {
	{ MAPISTORE_MAIL_ROLE, OCDB_PRIVATE_INBOX },
	{ MAPISTORE_DRAFTS_ROLE, OCDB_PRIVATE_DRAFTS },
	{ MAPISTORE_SENTITEMS_ROLE, OCDB_PRIVATE_SENT_ITEMS },
	{ MAPISTORE_OUTBOX_ROLE, OCDB_PRIVATE_OUTBOX },
	{ MAPISTORE_DELETEDITEMS_ROLE, OCDB_PRIVATE_DELETED_ITEMS },
	{ MAPISTORE_CALENDAR_ROLE, OCDB_PRIVATE_CALENDAR },
	{ MAPISTORE_CONTACTS_ROLE, OCDB_PRIVATE_CONTACTS },
	{ MAPISTORE_TASKS_ROLE, OCDB_PRIVATE_TASKS },
	{ MAPISTORE_NOTES_ROLE, OCDB_PRIVATE_NOTES },
	{ MAPISTORE_JOURNAL_ROLE, OCDB_PRIVATE_JOURNAL },
};

/* attach the special folders of a new mailbox to the backend's roots */
static void emsmdb_attach_special_folders(struct emsmdb_session *s,
					  TALLOC_CTX *mem_ctx,
					  const char *username)
{
	const char *backend = s->config->default_backend;
	struct mapistore_root_folder *roots = NULL;
	uint32_t nroots = 0, i, j;
	enum mapistore_error ret;

	if (mapistore_backend_lookup(backend) == NULL) {
		emsmdb_log(EMSMDB_LOG_WARNING, "backend '%s' is not loaded: the "
			   "special folders of %s use 'memory'", backend, username);
		backend = "memory";
	}
	ret = mapistore_list_root_folders(mem_ctx, s->mstore, backend, &roots,
					  &nroots);
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_ERR, "backend '%s' offers no folders for "
			   "%s: %s", backend, username, mapistore_errstr(ret));
		return;
	}
	for (i = 0; i < nroots; i++) {
		for (j = 0; j < sizeof(emsmdb_role_folders) /
			    sizeof(emsmdb_role_folders[0]); j++) {
			struct mapistore_folder *f = NULL;
			uint64_t fid = 0;

			if (emsmdb_role_folders[j].role != roots[i].role) {
				continue;
			}
			if (openchangedb_get_system_folder_id(s->ocdb, username,
				emsmdb_role_folders[j].idx, &fid) != MAPISTORE_SUCCESS) {
				continue;
			}
			ret = mapistore_folder_open_root(mem_ctx, s->mstore,
							 roots[i].uri, fid, &f);
			if (ret != MAPISTORE_SUCCESS) {
				emsmdb_log(EMSMDB_LOG_ERR, "cannot attach %s to "
					   "folder 0x%llx: %s", roots[i].uri,
					   (unsigned long long)fid,
					   mapistore_errstr(ret));
			}
			talloc_free(f);
		}
	}
	talloc_free(roots);
}

uint32_t emsmdb_store_mailbox(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			      const char *username,
			      struct openchangedb_mailbox **mbx_r)
{
	const struct emsmdb_config *cfg = s->config;
	enum mapistore_error ret;
	uint32_t ec;

	ec = emsmdb_store_open(s);
	if (ec != ecSuccess) {
		return ec;
	}
	ret = openchangedb_mailbox_get(mem_ctx, s->ocdb, username, mbx_r);
	if (ret != MAPISTORE_ERR_NOT_FOUND) {
		return emsmdb_ms_ec(ret);
	}
	/* [MS-OXCSTOR] 3.2.5.1.1: the first logon creates the mailbox */
	ret = openchangedb_mailbox_create(mem_ctx, s->ocdb, username,
					  s->display_name, s->lcid_string, mbx_r);
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		/* a server nobody provisioned yet: do it now */
		ret = openchangedb_provision_server(s->ocdb, cfg->netbios_name,
						    cfg->organization,
						    cfg->admin_group, NULL);
		if (ret == MAPISTORE_SUCCESS || ret == MAPISTORE_ERR_EXISTS) {
			ret = openchangedb_mailbox_create(mem_ctx, s->ocdb, username,
							  s->display_name,
							  s->lcid_string, mbx_r);
		}
	}
	if (ret == MAPISTORE_ERR_EXISTS) {
		/* another session created it meanwhile */
		ret = openchangedb_mailbox_get(mem_ctx, s->ocdb, username, mbx_r);
		return emsmdb_ms_ec(ret);
	}
	if (ret != MAPISTORE_SUCCESS) {
		emsmdb_log(EMSMDB_LOG_ERR, "cannot create the mailbox of %s: %s",
			   username, mapistore_errstr(ret));
		return emsmdb_ms_ec(ret);
	}
	emsmdb_log(EMSMDB_LOG_NOTICE, "mailbox of %s provisioned", username);
	emsmdb_attach_special_folders(s, mem_ctx, username);
	return ecSuccess;
}

/* is openchangedb folder @fid in the mailbox whose root is @root? */
static bool emsmdb_ocdb_folder_in(struct emsmdb_session *s, uint64_t fid,
				  uint64_t root, uint64_t *parent_r)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	struct openchangedb_folder *f = NULL;
	unsigned depth;
	bool in = false;

	*parent_r = 0;
	for (depth = 0; tmp != NULL && depth < 64; depth++) {
		if (openchangedb_folder_get(tmp, s->ocdb, fid, &f) !=
		    MAPISTORE_SUCCESS) {
			break;
		}
		if (depth == 0) {
			*parent_r = f->parent_fid;
		}
		if (f->fid == root) {
			in = true;
			break;
		}
		if (f->parent_fid == 0) {
			break;
		}
		fid = f->parent_fid;
	}
	talloc_free(tmp);
	return in;
}

uint32_t emsmdb_folder_open(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			    struct emsmdb_object *logon, uint64_t fid,
			    struct emsmdb_folder **folder_r)
{
	struct emsmdb_logon *l = talloc_get_type(logon->private_data,
						 struct emsmdb_logon);
	struct emsmdb_folder *f;
	enum mapistore_error ret;
	uint64_t parent = 0;

	if (l == NULL || s->mstore == NULL) {
		return ecNotFound;
	}
	f = talloc_zero(mem_ctx, struct emsmdb_folder);
	if (f == NULL) {
		return ecMAPIOOM;
	}
	f->fid = fid;
	if (emsmdb_ocdb_folder_in(s, fid, l->root_fid, &parent)) {
		f->parent_fid = parent;
		/* a special folder also has a backend root behind it */
		ret = mapistore_folder_open(f, s->mstore, fid, &f->mf);
		if (ret != MAPISTORE_SUCCESS) {
			f->mf = NULL;
		}
		*folder_r = f;
		return ecSuccess;
	}
	/* below a special folder: the backend's, through this user's
	 * indexing (so only this mailbox's) */
	ret = mapistore_folder_open(f, s->mstore, fid, &f->mf);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(f);
		return ret == MAPISTORE_ERR_NO_MEMORY ? ecMAPIOOM : ecNotFound;
	}
	*folder_r = f;
	return ecSuccess;
}

struct mapistore_object *emsmdb_object_store(struct emsmdb_object *obj)
{
	struct emsmdb_folder *f;
	struct emsmdb_message *m;

	switch (obj->type) {
	case EMSMDB_OBJECT_FOLDER:
		f = talloc_get_type(obj->private_data, struct emsmdb_folder);
		return f != NULL && f->mf != NULL ? mapistore_folder_object(f->mf) : NULL;
	case EMSMDB_OBJECT_MESSAGE:
		m = talloc_get_type(obj->private_data, struct emsmdb_message);
		return m != NULL ? mapistore_message_object(m->mm) : NULL;
	case EMSMDB_OBJECT_ATTACHMENT:
		return emsmdb_attachment_store(obj);	/* oxcmsg_attach.c */
	default:
		return NULL;
	}
}

/* a computed folder property, or false if @tag is not one */
static bool emsmdb_folder_computed(struct emsmdb_session *s,
				   struct emsmdb_folder *f, uint32_t tag,
				   struct mapistore_property *p)
{
	/* the other computed folder properties: emsmdb_computed.c */
	(void)s;
	(void)f;
	p->proptag = tag;
	switch (tag) {
	case PidTagAccess:
		p->value.i32 = EMSMDB_ACCESS_FOLDER_OWNER;
		return true;
	case PidTagAccessLevel:
		p->value.i32 = 1;
		return true;
	case PidTagRights:
		p->value.i32 = EMSMDB_RIGHTS_OWNER;
		return true;
	default:
		return false;
	}
}

uint32_t emsmdb_folder_get_props(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				 struct emsmdb_object *logon,
				 struct emsmdb_folder *f, const uint32_t *tags,
				 uint32_t count, struct mapistore_property **props_r)
{
	struct mapistore_property *props, *stored = NULL;
	struct openchangedb_folder *rec = NULL;
	enum mapistore_error ret;
	uint32_t i, ec;

	props = talloc_zero_array(mem_ctx, struct mapistore_property, count + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	if (f->mf != NULL) {
		ret = mapistore_properties_get(props, mapistore_folder_object(f->mf),
					       tags, count, &stored);
	} else {
		ret = openchangedb_folder_get_properties(props, s->ocdb, f->fid,
							 tags, count, &stored);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(props);
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < count; i++) {
		if (emsmdb_folder_computed(s, f, tags[i], &props[i])) {
			continue;
		}
		props[i] = stored[i];
		if (tags[i] == PidTagDisplayName &&
		    mapistore_property_is_error(&props[i])) {
			/* openchangedb keeps the name in the folder record */
			if (rec == NULL &&
			    openchangedb_folder_get(props, s->ocdb, f->fid, &rec) !=
			    MAPISTORE_SUCCESS) {
				continue;
			}
			props[i].proptag = tags[i];
			props[i].value.str = (char *)(uintptr_t)rec->name;
		}
	}
	emsmdb_acl_fix_props(s, logon, f->fid, tags, count, props); /* [MS-OXCPERM] */
	/* identifiers, counts, sizes, dates (issue 7) */
	ec = emsmdb_computed_folder(s, props, logon, f, tags, count, props);
	if (ec != ecSuccess) {
		talloc_free(props);
		return ec;
	}
	*props_r = props;
	return ecSuccess;
}

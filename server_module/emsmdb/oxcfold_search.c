/*
 * Search folders (oxcfold_search.h): RopCreateFolder with FOLDER_SEARCH,
 * RopSetSearchCriteria, RopGetSearchCriteria ([MS-OXCFOLD] 2.2.1.2,
 * 2.2.1.4, 2.2.1.5, 3.2.5.4, 3.2.5.5) and the contents table of a search
 * folder, evaluated by mapistore_search_run() when it is opened.
 */
#include "oxcfold_search.h"
#include "emsmdb_acl.h"

#include <string.h>
#include <strings.h>

/* the stored criteria of a search folder */
struct emsmdb_search_criteria {
	struct Restriction *res;	/* wire form, decoded */
	uint64_t *fids;
	uint32_t fid_count;
	uint32_t flags;			/* RopSetSearchCriteria SearchFlags */
};

bool emsmdb_search_is_search_folder(struct emsmdb_session *s, uint64_t fid)
{
	static const uint32_t tag = PidTagFolderType;
	struct mapistore_property *p = NULL;
	bool is = false;

	if (s->ocdb != NULL &&
	    openchangedb_folder_get_properties(NULL, s->ocdb, fid, &tag, 1, &p) ==
	    MAPISTORE_SUCCESS) {
		is = !mapistore_property_is_error(&p[0]) && p[0].value.i32 == FOLDER_SEARCH;
	}
	talloc_free(p);
	return is;
}

/* the criteria of search folder @fid; ecNotInitialized if never set */
static uint32_t emsmdb_search_load(TALLOC_CTX *mem_ctx, struct emsmdb_session *s,
				   uint64_t fid, struct emsmdb_search_criteria *c)
{
	static const uint32_t tags[] = { PidTagOcSearchRestriction, PidTagOcSearchFolderIds,
					 PidTagOcSearchFlags };
	struct mapistore_property *p = NULL;
	struct oxcdata_pull pull;
	uint32_t i;

	memset(c, 0, sizeof(*c));
	if (openchangedb_folder_get_properties(mem_ctx, s->ocdb, fid, tags, 3, &p) !=
	    MAPISTORE_SUCCESS) {
		return ecNotFound;
	}
	if (mapistore_property_is_error(&p[0]) || mapistore_property_is_error(&p[1]) ||
	    mapistore_property_is_error(&p[2]) || p[1].value.bin.length % 8 != 0 ||
	    p[1].value.bin.length / 8 > EMSMDB_SEARCH_MAX_FOLDERS) {
		return ecNotInitialized;
	}
	c->res = talloc_zero(mem_ctx, struct Restriction);
	if (c->res == NULL) {
		return ecMAPIOOM;
	}
	oxcdata_pull_init(&pull, mem_ctx, p[0].value.bin.data, p[0].value.bin.length);
	pull.codepage = OXCDATA_CP_UTF8;
	if (oxcdata_pull_restriction(&pull, c->res) != ROP_OK ||
	    oxcdata_pull_remaining(&pull) != 0) {
		return ecNotInitialized;	/* not something this server wrote */
	}
	c->fid_count = (uint32_t)(p[1].value.bin.length / 8);
	c->fids = talloc_array(mem_ctx, uint64_t, c->fid_count + 1);
	if (c->fids == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < c->fid_count; i++) {
		const uint8_t *b = p[1].value.bin.data + 8 * i;
		int k;

		c->fids[i] = 0;
		for (k = 7; k >= 0; k--) {
			c->fids[i] = (c->fids[i] << 8) | b[k];
		}
	}
	c->flags = (uint32_t)p[2].value.i32;
	return ecSuccess;
}

static uint32_t emsmdb_search_store(TALLOC_CTX *mem_ctx, struct emsmdb_session *s,
				    uint64_t fid, const struct emsmdb_search_criteria *c)
{
	struct mapistore_property p[3];
	struct oxcdata_push push;
	uint8_t *ids;
	uint32_t i;
	int k;

	oxcdata_push_init(&push, mem_ctx);
	push.codepage = OXCDATA_CP_UTF8;
	if (oxcdata_push_restriction(&push, c->res) != ROP_OK) {
		return ecInvalidParam;
	}
	ids = talloc_array(mem_ctx, uint8_t, 8 * c->fid_count + 1);
	if (ids == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < c->fid_count; i++) {
		for (k = 0; k < 8; k++) {
			ids[8 * i + k] = (c->fids[i] >> (8 * k)) & 0xFF;
		}
	}
	p[0].proptag = PidTagOcSearchRestriction;
	p[0].value.bin.data = push.data;
	p[0].value.bin.length = push.size;
	p[1].proptag = PidTagOcSearchFolderIds;
	p[1].value.bin.data = ids;
	p[1].value.bin.length = 8 * c->fid_count;
	p[2].proptag = PidTagOcSearchFlags;
	p[2].value.i32 = (int32_t)c->flags;
	/* no change row (mapistore_changes_track_folder): the criteria are
	 * private properties, never part of a folderChange ([MS-OXCFXICS]
	 * 2.2.4.3.3; clients read them with RopGetSearchCriteria), so a
	 * hierarchy download would send an unchanged folder (doc/ics.md) */
	return emsmdb_ms_ec(openchangedb_folder_set_properties(s->ocdb, fid, p, 3));
}

/* the search folder of the input object, or NULL */
static struct emsmdb_folder *emsmdb_search_folder_of(struct emsmdb_rop_call *call)
{
	struct emsmdb_folder *f = talloc_get_type(call->in->private_data,
						  struct emsmdb_folder);

	if (f == NULL || f->mf != NULL ||
	    !emsmdb_search_is_search_folder(call->session, f->fid)) {
		return NULL;
	}
	return f;
}

/* run the search (hits on @mem_ctx); with @unread, only messages
 * without mfRead ([MS-OXCMSG] 2.2.1.6) */
static uint32_t emsmdb_search_eval(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				   const struct emsmdb_search_criteria *c, bool unread,
				   struct mapistore_search_hit **hits_r, uint32_t *count_r)
{
	struct mapistore_restriction res, both[2], read, not_read;
	struct mapistore_restriction *use = &res;
	uint32_t ec;

	ec = emsmdb_res_from_wire(mem_ctx, c->res, 0, &res);
	if (ec != ecSuccess) {
		return ec;
	}
	if (unread) {
		memset(&read, 0, sizeof(read));
		read.type = MAPISTORE_RES_BITMASK;
		read.u.bitmask.relop = BMR_NEZ;
		read.u.bitmask.proptag = PidTagMessageFlags;
		read.u.bitmask.mask = 0x00000001;	/* mfRead */
		memset(&not_read, 0, sizeof(not_read));
		not_read.type = MAPISTORE_RES_NOT;
		not_read.u.not_res = &read;
		both[0] = res;
		both[1] = not_read;
		memset(&res, 0, sizeof(res));
		res.type = MAPISTORE_RES_AND;
		res.u.andor.count = 2;
		res.u.andor.res = both;
		use = &res;
	}
	return emsmdb_ms_ec(mapistore_search_run(mem_ctx, s->mstore, c->fids, c->fid_count,
						 (c->flags & RECURSIVE_SEARCH) != 0, use,
						 hits_r, count_r));
}

uint32_t emsmdb_search_count(struct emsmdb_session *s, uint64_t fid, bool unread,
			     uint32_t *count_r)
{
	struct emsmdb_search_criteria c;
	struct mapistore_search_hit *hits = NULL;
	TALLOC_CTX *tmp;
	uint32_t ec;

	*count_r = 0;
	if (s->mstore == NULL || !emsmdb_search_is_search_folder(s, fid)) {
		return ecSuccess;
	}
	tmp = talloc_new(NULL);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_search_load(tmp, s, fid, &c);
	if (ec == ecSuccess && !(c.flags & STOP_SEARCH)) {
		ec = emsmdb_search_eval(s, tmp, &c, unread, &hits, count_r);
	}
	talloc_free(tmp);
	return ec == ecNotInitialized ? ecSuccess : ec;
}

/* [MS-OXCFOLD] 2.2.1.4.1: flags that exclude each other */
static bool emsmdb_search_flags_valid(uint32_t flags)
{
	static const uint32_t pairs[][2] = {
		{ STOP_SEARCH, RESTART_SEARCH },
		{ RECURSIVE_SEARCH, SHALLOW_SEARCH },
		{ CONTENT_INDEXED_SEARCH, NON_CONTENT_INDEXED_SEARCH },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if ((flags & pairs[i][0]) && (flags & pairs[i][1])) {
			return false;
		}
	}
	return true;
}

/* [MS-OXCFOLD] 3.2.5.4 RopSetSearchCriteria */
uint32_t oxcfold_RopSetSearchCriteria(struct emsmdb_rop_call *call)
{
	const struct RopSetSearchCriteria_req *req = &call->req->u.RopSetSearchCriteria;
	struct emsmdb_search_criteria c, old;
	struct mapistore_search_hit *hits = NULL;
	struct emsmdb_folder *f = emsmdb_search_folder_of(call), *scope = NULL;
	uint32_t ec, old_ec, count = 0, i;

	if (f == NULL) {
		return ecNotSearchFolder;
	}
	if (!emsmdb_search_flags_valid(req->SearchFlags) ||
	    req->FolderIdCount > EMSMDB_SEARCH_MAX_FOLDERS) {
		return ecInvalidParam;
	}
	/* a zero size or count keeps what the last call set (2.2.1.4.1) */
	old_ec = emsmdb_search_load(call->mem_ctx, call->session, f->fid, &old);
	if (old_ec != ecSuccess && old_ec != ecNotInitialized) {
		return old_ec;
	}
	memset(&c, 0, sizeof(c));
	c.res = req->RestrictionDataSize > 0 ? req->RestrictionData : old.res;
	c.fids = req->FolderIdCount > 0 ? req->FolderIds : old.fids;
	c.fid_count = req->FolderIdCount > 0 ? req->FolderIdCount : old.fid_count;
	if (c.res == NULL || c.fid_count == 0) {
		return ecNotInitialized;	/* nothing to reuse on the first call */
	}
	/* every scope folder is a folder of this mailbox, not a search folder */
	for (i = 0; i < c.fid_count; i++) {
		ec = emsmdb_folder_open(call->session, call->mem_ctx, call->logon, c.fids[i],
					&scope);
		if (ec != ecSuccess) {
			return ec;
		}
		if (c.fids[i] == f->fid || (scope->mf == NULL &&
		    emsmdb_search_is_search_folder(call->session, c.fids[i]))) {
			return ecInvalidParam;
		}
		talloc_free(scope);
		/* [MS-OXCPERM]: a delegate searches only what it may read */
		if (emsmdb_acl_check_fid(call, c.fids[i], frightsReadAny) != ecSuccess) {
			return ecAccessDenied;
		}
	}
	c.flags = req->SearchFlags & (STOP_SEARCH | RECURSIVE_SEARCH | STATIC_SEARCH |
				      CONTENT_INDEXED_SEARCH | NON_CONTENT_INDEXED_SEARCH);
	if (!(req->SearchFlags & (RECURSIVE_SEARCH | SHALLOW_SEARCH)) && old_ec == ecSuccess) {
		c.flags |= old.flags & RECURSIVE_SEARCH;
	}
	/* the search runs to completion now (a wrong restriction fails here) */
	if (!(c.flags & STOP_SEARCH)) {
		ec = emsmdb_search_eval(call->session, call->mem_ctx, &c, false, &hits, &count);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	ec = emsmdb_search_store(call->mem_ctx, call->session, f->fid, &c);
	if (ec != ecSuccess) {
		return ec;
	}
	if (!(c.flags & STOP_SEARCH)) {
		/* [MS-OXCNOTIF] 2.2.1.4.1.2: the initial population is done */
		emsmdb_raise(call, fnevSearchComplete, false, f->fid, 0, f->parent_fid);
	}
	return ecSuccess;
}

/* [MS-OXCFOLD] 3.2.5.5 RopGetSearchCriteria */
uint32_t oxcfold_RopGetSearchCriteria(struct emsmdb_rop_call *call)
{
	const struct RopGetSearchCriteria_req *req = &call->req->u.RopGetSearchCriteria;
	struct RopGetSearchCriteria_resp *resp = &call->resp->u.RopGetSearchCriteria;
	struct emsmdb_search_criteria c;
	struct emsmdb_folder *f = emsmdb_search_folder_of(call);
	uint32_t ec;

	if (f == NULL) {
		return ecNotSearchFolder;
	}
	ec = emsmdb_search_load(call->mem_ctx, call->session, f->fid, &c);
	if (ec != ecSuccess) {
		return ec;
	}
	resp->LogonId = call->req->LogonId;
	if (req->IncludeRestriction) {
		resp->RestrictionData = c.res;
	}
	if (req->IncludeFolders) {
		resp->FolderIdCount = (uint16_t)c.fid_count;
		resp->FolderIds = c.fids;
	}
	/* evaluated synchronously: a running search is always complete */
	resp->SearchFlags = (c.flags & STOP_SEARCH) ? SEARCH_COMPLETE :
			    SEARCH_RUNNING | SEARCH_COMPLETE;
	if (c.flags & RECURSIVE_SEARCH) {
		resp->SearchFlags |= SEARCH_RECURSIVE;
	}
	if (c.flags & STATIC_SEARCH) {
		resp->SearchFlags |= SEARCH_STATIC;
	}
	return ecSuccess;
}

/* a child of @parent named @name (case-insensitively), 0 if none */
static uint64_t emsmdb_search_child_named(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
					  uint64_t parent, const char *name)
{
	struct openchangedb_folder *rec = NULL;
	uint64_t *kids = NULL, found = 0;
	uint32_t n = 0, i;

	if (openchangedb_folder_get_children(mem_ctx, s->ocdb, parent, &kids, &n) !=
	    MAPISTORE_SUCCESS) {
		return 0;
	}
	for (i = 0; i < n && found == 0; i++) {
		if (openchangedb_folder_get(mem_ctx, s->ocdb, kids[i], &rec) ==
		    MAPISTORE_SUCCESS && rec->name != NULL && strcasecmp(rec->name, name) == 0) {
			found = kids[i];
		}
	}
	return found;
}

/* [MS-OXCFOLD] 2.2.1.2 / 3.2.5.2 RopCreateFolder, FolderType FOLDER_SEARCH */
uint32_t oxcfold_search_create(struct emsmdb_rop_call *call)
{
	const struct RopCreateFolder_req *req = &call->req->u.RopCreateFolder;
	struct RopCreateFolder_resp *resp = &call->resp->u.RopCreateFolder;
	struct emsmdb_session *s = call->session;
	struct emsmdb_folder *parent = talloc_get_type(call->in->private_data,
						       struct emsmdb_folder), *f;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct mapistore_property props[2];
	struct emsmdb_object *obj;
	enum mapistore_error ret;
	uint64_t fid;
	uint32_t ec, n = 1;

	if (parent == NULL || l == NULL || req->DisplayName == NULL ||
	    req->DisplayName[0] == '\0') {
		return ecInvalidParam;
	}
	if (parent->mf != NULL) {
		return ecNotSupported;	/* search folders live in openchangedb */
	}
	fid = emsmdb_search_child_named(s, call->mem_ctx, parent->fid, req->DisplayName);
	if (fid != 0 && (!req->OpenExisting || !emsmdb_search_is_search_folder(s, fid))) {
		return ecDuplicateName;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_FOLDER, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	if (fid != 0) {
		ec = emsmdb_folder_open(s, obj, call->logon, fid, &f);
		if (ec != ecSuccess) {
			return ec;
		}
		obj->private_data = f;
		resp->FolderId = fid;
		resp->IsExistingFolder = 1;
		return ecSuccess;
	}
	f = talloc_zero(obj, struct emsmdb_folder);
	if (f == NULL) {
		return ecMAPIOOM;
	}
	f->parent_fid = parent->fid;
	props[0].proptag = PidTagFolderType;
	props[0].value.i32 = FOLDER_SEARCH;
	if (req->Comment != NULL && req->Comment[0] != '\0') {
		props[1].proptag = PidTagComment;
		props[1].value.str = req->Comment;
		n = 2;
	}
	ret = openchangedb_get_new_id(s->ocdb, &f->fid);
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_folder_create(s->ocdb, l->mailbox_owner, parent->fid, f->fid,
						 0, req->DisplayName, NULL);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = openchangedb_folder_set_properties(s->ocdb, f->fid, props, n);
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	obj->private_data = f;
	resp->FolderId = f->fid;
	resp->IsExistingFolder = 0;
	emsmdb_raise(call, fnevObjectCreated, false, f->fid, 0, parent->fid);
	return ecSuccess;
}

uint32_t emsmdb_search_table_open(struct emsmdb_rop_call *call, struct emsmdb_table *t)
{
	struct emsmdb_search_criteria c;
	struct mapistore_search_hit *hits = NULL;
	TALLOC_CTX *tmp;
	uint32_t count = 0, ec;

	if (t->kind != EMSMDB_TABLE_CONTENTS || (t->TableFlags & 0x02 /* Associated */) ||
	    t->folder == NULL || t->folder->mf != NULL ||
	    !emsmdb_search_is_search_folder(call->session, t->folder->fid)) {
		return ecSuccess;
	}
	tmp = talloc_new(call->mem_ctx);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_search_load(tmp, call->session, t->folder->fid, &c);
	if (ec == ecNotInitialized || (ec == ecSuccess && (c.flags & STOP_SEARCH))) {
		talloc_free(tmp);
		return ecSuccess;	/* nothing searched: an empty table */
	}
	if (ec == ecSuccess) {
		ec = emsmdb_search_eval(call->session, tmp, &c, false, &hits, &count);
	}
	if (ec == ecSuccess) {
		ec = emsmdb_ms_ec(mapistore_search_table(t, call->session->mstore,
							 t->folder->fid, hits, count, &t->mt));
	}
	if (ec == ecSuccess) {
		t->count = count;
	}
	talloc_free(tmp);
	return ec;
}

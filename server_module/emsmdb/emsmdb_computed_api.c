/*
 * The computed properties' entry points for objects, table rows and the
 * property ROPs (emsmdb_computed.h): what each kind of object is to
 * emsmdb_computed_apply() (emsmdb_computed.c), the computed tags a
 * RopGetPropertiesList adds, PtypUnspecified tags and WantUnicode
 * ([MS-OXCPRPT] 2.2.2.1, 2.2.3.1, 3.2.5.1).
 */
#include "emsmdb_computed.h"
#include "oxcmsg_attach.h"

#include <string.h>

uint32_t emsmdb_computed_folder(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				struct emsmdb_object *logon, struct emsmdb_folder *f,
				const uint32_t *tags, uint32_t count,
				struct mapistore_property *props)
{
	struct emsmdb_computed_obj o = {
		.kind = EMSMDB_COMPUTED_FOLDER, .s = s, .fid = f->fid,
		.parent_fid = f->parent_fid, .mf = f->mf,
	};

	o.logon = logon ? talloc_get_type(logon->private_data, struct emsmdb_logon) : NULL;
	return emsmdb_computed_apply(mem_ctx, &o, tags, count, props);
}

/* what emsmdb_computed_apply needs to know about @obj; false if nothing */
static bool emsmdb_computed_describe(struct emsmdb_session *s, struct emsmdb_object *obj,
				     struct emsmdb_computed_obj *o)
{
	struct emsmdb_folder *f;
	struct emsmdb_message *m;
	struct emsmdb_attachment *a;

	memset(o, 0, sizeof(*o));
	o->s = s;
	o->logon = obj->logon ? talloc_get_type(obj->logon->private_data,
						struct emsmdb_logon) : NULL;
	switch (obj->type) {
	case EMSMDB_OBJECT_LOGON:
		o->kind = EMSMDB_COMPUTED_LOGON;
		return true;
	case EMSMDB_OBJECT_FOLDER:
		f = talloc_get_type(obj->private_data, struct emsmdb_folder);
		if (f == NULL) {
			return false;
		}
		o->kind = EMSMDB_COMPUTED_FOLDER;
		o->fid = f->fid;
		o->parent_fid = f->parent_fid;
		o->mf = f->mf;
		return true;
	case EMSMDB_OBJECT_MESSAGE:
		m = talloc_get_type(obj->private_data, struct emsmdb_message);
		if (m == NULL) {
			return false;
		}
		o->kind = EMSMDB_COMPUTED_MESSAGE;
		o->fid = m->fid;
		o->mid = m->mid;
		o->mm = m->mm;
		return true;
	case EMSMDB_OBJECT_ATTACHMENT:
		a = talloc_get_type(obj->private_data, struct emsmdb_attachment);
		if (a == NULL || a->msg == NULL) {
			return false;
		}
		o->kind = EMSMDB_COMPUTED_ATTACHMENT;
		o->fid = a->msg->fid;
		o->mid = a->msg->mid;
		o->attach_num = a->aid;
		return true;
	default:
		return false;
	}
}

uint32_t emsmdb_computed_object(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				struct emsmdb_object *obj, const uint32_t *tags,
				uint32_t count, struct mapistore_property *props)
{
	struct emsmdb_computed_obj o;

	if (!emsmdb_computed_describe(s, obj, &o)) {
		return ecSuccess;
	}
	return emsmdb_computed_apply(mem_ctx, &o, tags, count, props);
}

uint32_t emsmdb_computed_rows(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			      struct emsmdb_object *logon, const struct emsmdb_table *t,
			      const uint32_t *columns, uint32_t count,
			      struct mapistore_row *rows, uint32_t row_count)
{
	struct emsmdb_computed_obj o = { .s = s, .row = true };
	uint32_t i, ec;

	if (t == NULL || t->folder == NULL || logon == NULL ||
	    (t->kind != EMSMDB_TABLE_HIERARCHY && t->kind != EMSMDB_TABLE_CONTENTS)) {
		return ecSuccess;
	}
	o.logon = talloc_get_type(logon->private_data, struct emsmdb_logon);
	/* most column sets have nothing computed: no per-row work then */
	if (!emsmdb_computed_has(columns, count, t->kind == EMSMDB_TABLE_HIERARCHY ?
				 EMSMDB_COMPUTED_FOLDER : EMSMDB_COMPUTED_MESSAGE)) {
		return ecSuccess;
	}
	for (i = 0; i < row_count; i++) {
		if (rows[i].count < count || rows[i].fmid == 0) {
			continue;
		}
		if (t->kind == EMSMDB_TABLE_HIERARCHY) {
			struct mapistore_change *c = NULL;

			o.kind = EMSMDB_COMPUTED_FOLDER;
			o.fid = rows[i].fmid;
			o.parent_fid = t->folder->fid;
			/* with Depth (0x04), a row's parent may be deeper */
			if ((t->TableFlags & 0x04) && s->mstore != NULL &&
			    mapistore_changes_get(mem_ctx, s->mstore, o.fid, &c) == MAPISTORE_SUCCESS) {
				o.parent_fid = c->parent_fid;
				talloc_free(c);
			}
		} else {
			o.kind = EMSMDB_COMPUTED_MESSAGE;
			o.fid = t->folder->fid;
			o.mid = rows[i].fmid;
			/* a search folder's rows live in the folders searched */
			if (t->folder->mf == NULL && s->mstore != NULL) {
				struct mapistore_change *c = NULL;

				if (mapistore_changes_get(mem_ctx, s->mstore, o.mid, &c) ==
				    MAPISTORE_SUCCESS) {
					o.fid = c->parent_fid;
					talloc_free(c);
				}
			}
		}
		ec = emsmdb_computed_apply(mem_ctx, &o, columns, count, rows[i].props);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return ecSuccess;
}

uint32_t emsmdb_computed_list(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
			      uint32_t **tags_r, uint32_t *count_r)
{
	struct emsmdb_computed_obj o;

	if (!emsmdb_computed_describe(NULL, obj, &o)) {
		return ecSuccess;
	}
	return emsmdb_computed_add_tags(mem_ctx, o.kind, tags_r, count_r);
}

void emsmdb_computed_want_unicode(const uint32_t *tags, uint32_t count,
				  struct mapistore_property *props, bool want_unicode)
{
	uint16_t type, base, other;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if ((tags != NULL && OXCDATA_PROP_TYPE(tags[i]) != PtypUnspecified) ||
		    mapistore_property_is_error(&props[i])) {
			continue;
		}
		type = MAPISTORE_PROP_TYPE(props[i].proptag);
		base = type & ~PtypMultipleFlag;
		if (base != PtypString && base != PtypString8) {
			continue;
		}
		other = want_unicode ? PtypString : PtypString8;
		props[i].proptag = OXCDATA_PROP_TAG(OXCDATA_PROP_ID(props[i].proptag),
						    (type & PtypMultipleFlag) | other);
	}
}

uint32_t emsmdb_computed_resolve(TALLOC_CTX *mem_ctx, struct emsmdb_object *obj,
				 const uint32_t *tags, uint32_t count,
				 const uint32_t **resolved_r)
{
	struct mapistore_object *mo;
	uint32_t *have = NULL, *out, n = 0, i, j, ec;
	bool any = false;

	*resolved_r = tags;
	for (i = 0; i < count && !any; i++) {
		any = OXCDATA_PROP_TYPE(tags[i]) == PtypUnspecified;
	}
	if (!any) {
		return ecSuccess;
	}
	mo = emsmdb_object_store(obj);
	if (mo != NULL &&
	    mapistore_properties_list(mem_ctx, mo, &have, &n) != MAPISTORE_SUCCESS) {
		have = NULL;
		n = 0;
	}
	ec = emsmdb_computed_list(mem_ctx, obj, &have, &n);
	if (ec != ecSuccess) {
		return ec;
	}
	out = talloc_array(mem_ctx, uint32_t, count + 1);
	if (out == NULL) {
		talloc_free(have);
		return ecMAPIOOM;
	}
	memcpy(out, tags, count * sizeof(uint32_t));
	for (i = 0; i < count; i++) {
		if (OXCDATA_PROP_TYPE(tags[i]) != PtypUnspecified) {
			continue;
		}
		for (j = 0; j < n; j++) {
			if (OXCDATA_PROP_ID(have[j]) == OXCDATA_PROP_ID(tags[i])) {
				out[i] = have[j];
				break;
			}
		}
	}
	talloc_free(have);
	*resolved_r = out;
	return ecSuccess;
}

/*
 * [MS-OXCPRPT] Property and Stream Object Protocol: the property ROPs
 * ([MS-OXCROPS] 2.2.8) on logons, folders, messages and attachments.
 * Streams are in oxcprpt_stream.c, named properties in oxcprpt_named.c;
 * RopCopyProperties / RopCopyTo still answer ecNotImplemented.
 */
#include "emsmdb_oxc.h"
#include "oxcmsg_attach.h"
#include "emsmdb_computed.h"
#include "emsmdb_acl.h"

#include <stdint.h>
#include <string.h>

/* [MS-OXPROPS] store properties ([MS-OXCSTOR] 2.2.2) */
#define PidTagMailboxOwnerName 0x661C001F

static struct emsmdb_message *emsmdb_message_of(struct emsmdb_object *obj)
{
	return obj->type == EMSMDB_OBJECT_MESSAGE ?
		talloc_get_type(obj->private_data, struct emsmdb_message) : NULL;
}

/* [MS-OXCSTOR] 2.2.2: what a logon object answers */
static uint32_t emsmdb_logon_props(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				   struct emsmdb_object *obj, const uint32_t *tags,
				   uint32_t count, struct mapistore_property *props)
{
	struct emsmdb_logon *l = talloc_get_type(obj->private_data,
						 struct emsmdb_logon);
	uint32_t i;

	for (i = 0; i < count; i++) {
		props[i] = mapistore_property_not_found(tags[i]);
		switch (tags[i]) {
		case PidTagDisplayName:
			props[i].proptag = tags[i];
			props[i].value.str = l != NULL && l->is_private ?
				talloc_asprintf(mem_ctx, "Mailbox - %s", s->display_name) :
				talloc_strdup(mem_ctx, "Public Folders");
			if (props[i].value.str == NULL) {
				return ecMAPIOOM;
			}
			break;
		case PidTagMailboxOwnerName:
			if (l != NULL && l->is_private) {
				props[i].proptag = tags[i];
				props[i].value.str = s->display_name;
			}
			break;
		case PidTagAccess:
			props[i].proptag = tags[i];
			props[i].value.i32 = EMSMDB_ACCESS_FOLDER_OWNER;
			break;
		}
	}
	/* entry IDs and store properties: emsmdb_computed.c */
	return emsmdb_computed_object(s, mem_ctx, obj, tags, count, props);
}

uint32_t emsmdb_object_get_props(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				 struct emsmdb_object *obj, const uint32_t *tags,
				 uint32_t count, struct mapistore_property **props_r)
{
	struct mapistore_property *props;
	struct emsmdb_message *m;
	enum mapistore_error ret;
	uint32_t i, att_ec;

	switch (obj->type) {
	case EMSMDB_OBJECT_LOGON:
		props = talloc_zero_array(mem_ctx, struct mapistore_property, count + 1);
		if (props == NULL) {
			return ecMAPIOOM;
		}
		*props_r = props;
		return emsmdb_logon_props(s, mem_ctx, obj, tags, count, props);
	case EMSMDB_OBJECT_FOLDER:
		return emsmdb_folder_get_props(s, mem_ctx, obj->logon,
			talloc_get_type(obj->private_data, struct emsmdb_folder),
			tags, count, props_r);
	case EMSMDB_OBJECT_MESSAGE:
		m = emsmdb_message_of(obj);
		ret = mapistore_properties_get(mem_ctx, mapistore_message_object(m->mm),
					       tags, count, props_r);
		if (ret != MAPISTORE_SUCCESS) {
			return emsmdb_ms_ec(ret);
		}
		/* [MS-OXCMSG] 2.2.1: computed by the server */
		for (i = 0; i < count; i++) {
			switch (tags[i]) {
			case PidTagAccess:
				(*props_r)[i].proptag = tags[i];
				(*props_r)[i].value.i32 = EMSMDB_ACCESS_MESSAGE_OWNER;
				break;
			case PidTagAccessLevel:
				(*props_r)[i].proptag = tags[i];
				(*props_r)[i].value.i32 = m->read_write ? 1 : 0;
				break;
			}
		}
		/* PidTagMid, entry IDs, keys, sizes: emsmdb_computed.c */
		return emsmdb_computed_object(s, mem_ctx, obj, tags, count, *props_r);
	case EMSMDB_OBJECT_ATTACHMENT:
		/* [MS-OXCMSG] 2.2.2, oxcmsg_attach.c; then emsmdb_computed.c */
		att_ec = emsmdb_attachment_get_props(mem_ctx, obj, tags, count, props_r);
		return att_ec != ecSuccess ? att_ec :
			emsmdb_computed_object(s, mem_ctx, obj, tags, count, *props_r);
	default:
		return ecNotSupported;
	}
}

/* [MS-OXCPRPT] 2.2.2 RopGetPropertiesSpecific */
uint32_t oxcprpt_RopGetPropertiesSpecific(struct emsmdb_rop_call *call)
{
	const struct RopGetPropertiesSpecific_req *req =
		&call->req->u.RopGetPropertiesSpecific;
	struct mapistore_property *props = NULL;
	const uint32_t *tags = NULL;
	uint32_t ec, i;

	if (req->PropertyTagCount > MAPISTORE_MAX_PROPERTIES) {
		return ecInvalidParam;
	}
	for (i = 0; i < req->PropertyTagCount; i++) {
		/* [MS-OXCPRPT] 3.2.5.1: PtypUnspecified asks for the stored type,
		 * which this server reports through the property's own tag */
		if (!oxcdata_ptype_is_valid(OXCDATA_PROP_TYPE(req->PropertyTags[i]))) {
			return ecInvalidParam;
		}
	}
	/* PtypUnspecified: the type the object has (emsmdb_computed.c) */
	ec = emsmdb_computed_resolve(call->mem_ctx, call->in, req->PropertyTags,
				     req->PropertyTagCount, &tags);
	if (ec == ecSuccess) {
		ec = emsmdb_object_get_props(call->session, call->mem_ctx, call->in,
					     tags, req->PropertyTagCount, &props);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	emsmdb_computed_want_unicode(req->PropertyTags, req->PropertyTagCount, props,
				     req->WantUnicode != 0);	/* issue 7 */
	ec = emsmdb_props_to_row(call->mem_ctx, req->PropertyTags,
				 req->PropertyTagCount, props,
				 &call->resp->u.RopGetPropertiesSpecific.RowData);
	call->columns = req->PropertyTags;
	call->column_count = req->PropertyTagCount;
	return ec;
}

/* the tags an object has */
static uint32_t emsmdb_object_list(struct emsmdb_rop_call *call,
				   uint32_t **tags_r, uint32_t *count_r)
{
	struct mapistore_object *mo = emsmdb_object_store(call->in);
	uint32_t ec;

	if (mo == NULL) {
		/* logons and openchangedb folders: their computed set */
		static const uint32_t base[] = { PidTagDisplayName, PidTagAccess };

		*tags_r = talloc_memdup(call->mem_ctx, base, sizeof(base));
		*count_r = 2;
		ec = *tags_r ? ecSuccess : ecMAPIOOM;
	} else {
		ec = emsmdb_ms_ec(mapistore_properties_list(call->mem_ctx, mo, tags_r,
							    count_r));
	}
	/* and the computed ones (emsmdb_computed.c) */
	return ec == ecSuccess ? emsmdb_computed_list(call->mem_ctx, call->in, tags_r,
						      count_r) : ec;
}

/* [MS-OXCPRPT] 2.2.4 RopGetPropertiesList */
uint32_t oxcprpt_RopGetPropertiesList(struct emsmdb_rop_call *call)
{
	struct RopGetPropertiesList_resp *resp = &call->resp->u.RopGetPropertiesList;
	uint32_t *tags = NULL, n = 0, ec;

	ec = emsmdb_object_list(call, &tags, &n);
	if (ec != ecSuccess) {
		return ec;
	}
	if (n > 0xFFFF) {
		return ecMAPIOOM;
	}
	resp->PropertyTagCount = n;
	resp->PropertyTags = tags;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.3 RopGetPropertiesAll */
uint32_t oxcprpt_RopGetPropertiesAll(struct emsmdb_rop_call *call)
{
	struct RopGetPropertiesAll_resp *resp = &call->resp->u.RopGetPropertiesAll;
	struct mapistore_property *props = NULL;
	uint32_t *tags = NULL, n = 0, i, k = 0, ec;

	ec = emsmdb_object_list(call, &tags, &n);
	if (ec == ecSuccess) {
		ec = emsmdb_object_get_props(call->session, call->mem_ctx, call->in,
					     tags, n, &props);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	emsmdb_computed_want_unicode(NULL, n, props,
		call->req->u.RopGetPropertiesAll.WantUnicode != 0);	/* issue 7 */
	resp->PropertyValues = talloc_zero_array(call->mem_ctx,
						 struct TaggedPropertyValue, n + 1);
	if (resp->PropertyValues == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n && k < 0xFFFF; i++) {
		struct RowPropertyValue v;

		if (mapistore_property_is_error(&props[i])) {
			continue;
		}
		ec = emsmdb_prop_to_row_value(call->mem_ctx, props[i].proptag,
					      &props[i], &v);
		if (ec != ecSuccess) {
			return ec;
		}
		if (v.Flag != 0) {
			continue;
		}
		resp->PropertyValues[k].PropertyTag = props[i].proptag;
		resp->PropertyValues[k].Value = v.Value;
		k++;
	}
	resp->PropertyValueCount = k;
	return ecSuccess;
}

/* a change of folder @f the backend does not record (mapistore_changes.h) */
static uint32_t emsmdb_folder_track_change(struct emsmdb_session *s, struct emsmdb_folder *f)
{
	if (s->mstore == NULL || f == NULL) {
		return ecSuccess;	/* no change tracking without a store */
	}
	return emsmdb_ms_ec(mapistore_changes_track_folder(s->mstore, f->fid, 0));
}

/* [MS-OXCPRPT] 2.2.5 RopSetProperties and 2.2.6 RopSetPropertiesNoReplicate */
uint32_t oxcprpt_RopSetProperties(struct emsmdb_rop_call *call)
{
	const struct RopSetProperties_req *req = &call->req->u.RopSetProperties;
	const struct TaggedPropertyValue *values = req->PropertyValues;
	uint16_t count = req->PropertyValueCount;
	struct mapistore_property *props;
	struct mapistore_object *mo;
	struct emsmdb_folder *f;
	uint32_t i, ec;

	if (call->req->RopId == RopSetPropertiesNoReplicate) {
		values = call->req->u.RopSetPropertiesNoReplicate.PropertyValues;
		count = call->req->u.RopSetPropertiesNoReplicate.PropertyValueCount;
	}
	if (call->in->type == EMSMDB_OBJECT_FOLDER &&
	    emsmdb_acl_check(call, call->in, frightsOwner) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM]: folder properties */
	}
	props = talloc_zero_array(call->mem_ctx, struct mapistore_property, count + 1);
	if (props == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		ec = emsmdb_prop_from_wire(props, &values[i], &props[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	call->resp->u.RopSetProperties.PropertyProblemCount = 0;
	mo = emsmdb_object_store(call->in);
	if (mo != NULL) {
		return emsmdb_ms_ec(mapistore_properties_set(mo, props, count));
	}
	if (call->in->type == EMSMDB_OBJECT_FOLDER) {
		f = talloc_get_type(call->in->private_data, struct emsmdb_folder);
		ec = emsmdb_ms_ec(openchangedb_folder_set_properties(
			call->session->ocdb, f->fid, props, count));
		/* a change of its own for the hierarchy download
		 * ([MS-OXCFXICS] 3.1.5.3, 2.2.4.3.3); special folders are
		 * tracked by mapistore_properties_set() */
		return ec == ecSuccess ? emsmdb_folder_track_change(call->session, f) : ec;
	}
	/* store properties are computed */
	return ecAccessDenied;
}

/* [MS-OXCPRPT] 2.2.7 RopDeleteProperties and 2.2.8 ...NoReplicate */
uint32_t oxcprpt_RopDeleteProperties(struct emsmdb_rop_call *call)
{
	const struct RopDeleteProperties_req *req = &call->req->u.RopDeleteProperties;
	const uint32_t *tags = req->PropertyTags;
	uint16_t count = req->PropertyTagCount;
	struct mapistore_object *mo = emsmdb_object_store(call->in);
	uint32_t ec;

	if (call->req->RopId == RopDeletePropertiesNoReplicate) {
		tags = call->req->u.RopDeletePropertiesNoReplicate.PropertyTags;
		count = call->req->u.RopDeletePropertiesNoReplicate.PropertyTagCount;
	}
	if (call->in->type == EMSMDB_OBJECT_FOLDER &&
	    emsmdb_acl_check(call, call->in, frightsOwner) != ecSuccess) {
		return ecAccessDenied;	/* [MS-OXCPERM]: folder properties */
	}
	call->resp->u.RopDeleteProperties.PropertyProblemCount = 0;
	if (mo == NULL) {
		return ecNotSupported;	/* openchangedb keeps no deletions */
	}
	ec = emsmdb_ms_ec(mapistore_properties_delete(mo, tags, count));
	if (ec != ecSuccess || call->in->type != EMSMDB_OBJECT_FOLDER) {
		return ec;
	}
	/* mapistore_properties_delete() records nothing: a folder change
	 * for the hierarchy download ([MS-OXCFXICS] 3.1.5.3) */
	return emsmdb_folder_track_change(call->session,
		talloc_get_type(call->in->private_data, struct emsmdb_folder));
}

/*
 * Stored objects as FastTransfer stream elements ([MS-OXCFXICS] 2.2.4.3):
 * property values (2.2.4.1.1, named properties with their names), the
 * messageContent of a message (propList, recipients, attachments with
 * embedded messages, 2.2.4.3.x), and folder / attachment propLists.
 */
#include "ics.h"

#include <string.h>

#include "mapistore_namedprops.h"

#define PidTagAttachDataObject 0x3701000D
#define afEmbeddedMessage 0x00000005

/* properties a messageChangeHeader carries, left out of the message's
 * own propList ([MS-OXCFXICS] 2.2.4.3.13 messageChangeHeader) */
static const uint32_t ics_header_tags[] = {
	PidTagSourceKey, PidTagChangeKey, PidTagPredecessorChangeList,
	PidTagLastModificationTime, PidTagMid, PidTagAssociated,
	PidTagMessageSize, PidTagChangeNumber,
};

static bool ics_tag_listed(uint32_t tag, const uint32_t *tags, uint32_t count)
{
	uint32_t i;

	/* by property ID: the client may name a string as String or String8 */
	for (i = 0; i < count; i++) {
		if (OXCDATA_PROP_ID(tags[i]) == OXCDATA_PROP_ID(tag)) {
			return true;
		}
	}
	return false;
}

/* the PropertyName of named property @propid, NULL if it has none */
static struct PropertyName *ics_prop_name(TALLOC_CTX *mem_ctx,
					  const struct ics_encode_opts *opts,
					  uint16_t propid)
{
	struct mapistore_namedprops *np;
	struct mapistore_nameid *nid = NULL;
	struct PropertyName *n;
	size_t len;

	np = mapistore_context_get_namedprops(opts->s->mstore);
	if (np == NULL ||
	    mapistore_namedprops_get_nameid(mem_ctx, np, propid, &nid) != MAPISTORE_SUCCESS) {
		return NULL;
	}
	n = talloc_zero(mem_ctx, struct PropertyName);
	if (n == NULL || mapistore_guid_from_string(nid->guid, n->Guid) != MAPISTORE_SUCCESS) {
		return NULL;
	}
	n->Kind = nid->kind == MNID_STRING ? 0x01 : 0x00;
	n->LID = nid->lid;
	if (n->Kind == 0x01) {
		len = strlen(nid->name);
		if (len > MAPISTORE_NAMEDPROP_MAX_NAME) {
			return NULL;
		}
		n->Name = talloc_strdup(n, nid->name);
		n->NameSize = (uint8_t)(len + 1 > 0xFF ? 0xFF : len + 1);
	}
	return n;
}

uint32_t ics_props_append(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  const struct mapistore_property *props, uint32_t count,
			  struct fxics_proplist *l)
{
	struct RowPropertyValue rv;
	struct PropertyName *name;
	uint32_t i, tag, ec;
	uint16_t type, base;

	for (i = 0; i < count; i++) {
		tag = props[i].proptag;
		type = OXCDATA_PROP_TYPE(tag);
		base = type & ~PtypMultipleFlag;
		if (mapistore_property_is_error(&props[i]) || base == PtypObject ||
		    base == PtypRestriction || base == PtypRuleAction ||
		    base == PtypErrorCode) {
			continue;
		}
		if (base == PtypString && !opts->unicode) {
			/* [MS-OXCFXICS] 2.2.3.1.1.1.1: without Unicode, 8-bit strings */
			type = (type & PtypMultipleFlag) | PtypString8;
			tag = OXCDATA_PROP_TAG(OXCDATA_PROP_ID(tag), type);
		}
		name = NULL;
		if (OXCDATA_PROP_ID(tag) >= MAPISTORE_NAMEDPROP_FIRST) {
			name = ics_prop_name(mem_ctx, opts, OXCDATA_PROP_ID(tag));
			if (name == NULL) {
				continue;	/* a named property without a name */
			}
		}
		ec = emsmdb_prop_to_row_value(mem_ctx, tag, &props[i], &rv);
		if (ec != ecSuccess) {
			return ec;
		}
		if (rv.Flag != 0x00) {
			continue;
		}
		ec = ics_proplist_add(mem_ctx, l, tag, name, &rv.Value);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	return ecSuccess;
}

uint32_t ics_object_props(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  struct mapistore_object *obj, bool filter,
			  const uint32_t *skip, uint32_t skip_count,
			  struct fxics_proplist *l)
{
	struct mapistore_property *props = NULL;
	uint32_t *tags = NULL, count = 0, i, n = 0, ec;
	enum mapistore_error ret;

	ret = mapistore_properties_list(mem_ctx, obj, &tags, &count);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	for (i = 0; i < count; i++) {
		if (ics_tag_listed(tags[i], skip, skip_count)) {
			continue;
		}
		if (filter && opts->tag_count > 0 &&
		    ics_tag_listed(tags[i], opts->tags, opts->tag_count) !=
		    opts->only_specified) {
			continue;
		}
		tags[n++] = tags[i];
	}
	if (filter && opts->only_specified && opts->tag_count == 0) {
		n = 0;
	}
	if (n == 0) {
		talloc_free(tags);
		return ecSuccess;
	}
	ret = mapistore_properties_get(mem_ctx, obj, tags, n, &props);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(tags);
		return emsmdb_ms_ec(ret);
	}
	ec = ics_props_append(mem_ctx, opts, props, n, l);
	talloc_free(tags);
	return ec;
}

static uint32_t ics_recipients_read(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
				    struct mapistore_message *mm, struct fxics_message *m)
{
	struct mapistore_recipient *r = NULL;
	struct PropertyValue v = { .PropertyType = PtypInteger32 };
	uint32_t count = 0, i, ec;
	enum mapistore_error ret;

	ret = mapistore_message_get_recipients(mem_ctx, mm, &r, &count);
	if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
		return ecSuccess;
	}
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	if (count == 0) {
		return ecSuccess;
	}
	m->Recipients = talloc_zero_array(mem_ctx, struct fxics_proplist, count);
	if (m->Recipients == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < count; i++) {
		struct fxics_proplist *l = &m->Recipients[i];

		/* [MS-OXCFXICS] 2.2.4.3.x recipient: PidTagRowid first */
		v.u.l = r[i].row_id;
		ec = ics_proplist_add(mem_ctx, l, PidTagRowid, NULL, &v);
		if (ec == ecSuccess &&
		    mapistore_properties_find(r[i].props, r[i].count, PidTagRecipientType) < 0) {
			v.u.l = r[i].type;
			ec = ics_proplist_add(mem_ctx, l, PidTagRecipientType, NULL, &v);
		}
		if (ec == ecSuccess) {
			ec = ics_props_append(mem_ctx, opts, r[i].props, r[i].count, l);
		}
		if (ec != ecSuccess) {
			return ec;
		}
	}
	m->RecipientCount = count;
	return ecSuccess;
}

static uint32_t ics_message_content(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
				    struct mapistore_message *mm, bool fai, unsigned how,
				    unsigned depth, struct fxics_message *m);

static uint32_t ics_attachment_read(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
				    struct mapistore_message *mm, uint32_t aid,
				    unsigned depth, struct fxics_attachment *a)
{
	static const uint32_t skip[] = { PidTagAttachNumber, PidTagAttachDataObject };
	static const uint32_t method_tag = PidTagAttachMethod;
	struct mapistore_attachment *att = NULL;
	struct mapistore_message *emb = NULL;
	struct mapistore_property *method = NULL;
	enum mapistore_error ret;
	uint32_t ec;

	a->AttachNumber = aid;
	ret = mapistore_message_open_attachment(mem_ctx, mm, aid, &att);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	ec = ics_object_props(mem_ctx, opts, mapistore_attachment_object(att), false,
			      skip, 2, &a->Props);
	if (ec != ecSuccess) {
		return ec;
	}
	ret = mapistore_properties_get(mem_ctx, mapistore_attachment_object(att),
				       &method_tag, 1, &method);
	if (ret != MAPISTORE_SUCCESS || mapistore_property_is_error(&method[0]) ||
	    method[0].value.i32 != afEmbeddedMessage) {
		return ecSuccess;
	}
	if (depth >= ICS_MAX_EMBED_DEPTH) {
		return ecTooBig;
	}
	ret = mapistore_attachment_open_embedded(mem_ctx, att, false, &emb);
	if (ret != MAPISTORE_SUCCESS) {
		return ret == MAPISTORE_ERR_NOT_FOUND ? ecSuccess : emsmdb_ms_ec(ret);
	}
	a->Embedded = talloc_zero(mem_ctx, struct fxics_message);
	if (a->Embedded == NULL) {
		return ecMAPIOOM;
	}
	return ics_message_content(mem_ctx, opts, emb, false, 0, depth + 1, a->Embedded);
}

static uint32_t ics_attachments_read(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
				     struct mapistore_message *mm, unsigned depth,
				     struct fxics_message *m)
{
	static const uint32_t cols[] = { PidTagAttachNumber };
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t count = 0, i, ec;
	enum mapistore_error ret;

	ret = mapistore_message_open_attachment_table(mem_ctx, mm, &t);
	if (ret == MAPISTORE_ERR_NOT_SUPPORTED) {
		return ecSuccess;
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_set_columns(t, cols, 1);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_table_query_rows(mem_ctx, t, MAPISTORE_MAX_QUERY_ROWS,
						 &rows, &count);
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(t);
		return emsmdb_ms_ec(ret);
	}
	if (count > 0) {
		m->Attachments = talloc_zero_array(mem_ctx, struct fxics_attachment, count);
		if (m->Attachments == NULL) {
			talloc_free(t);
			return ecMAPIOOM;
		}
	}
	for (i = 0; i < count; i++) {
		if (rows[i].count < 1 || mapistore_property_is_error(&rows[i].props[0])) {
			continue;
		}
		ec = ics_attachment_read(mem_ctx, opts, mm, (uint32_t)rows[i].props[0].value.i32,
					 depth, &m->Attachments[m->AttachmentCount]);
		if (ec != ecSuccess) {
			talloc_free(t);
			return ec;
		}
		m->AttachmentCount++;
	}
	talloc_free(t);
	return ecSuccess;
}

static uint32_t ics_message_content(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
				    struct mapistore_message *mm, bool fai, unsigned how,
				    unsigned depth, struct fxics_message *m)
{
	bool for_ics = (how & ICS_READ_HEADER) != 0;
	bool filter = (how & ICS_READ_FILTER) && (!fai || opts->tags_on_fai);
	uint32_t ec;

	m->FAI = fai;
	ec = ics_object_props(mem_ctx, opts, mapistore_message_object(mm), filter,
			      for_ics ? ics_header_tags : NULL,
			      for_ics ? (uint32_t)(sizeof(ics_header_tags) / sizeof(ics_header_tags[0])) : 0,
			      &m->Props);
	if (ec != ecSuccess) {
		return ec;
	}
	/* the header-less forms of ICS: children replace what the client has */
	m->DelPropRecipients = for_ics;
	m->DelPropAttachments = for_ics;
	if (how & ICS_READ_NO_CHILDREN) {
		return ecSuccess;
	}
	ec = ics_recipients_read(mem_ctx, opts, mm, m);
	if (ec != ecSuccess) {
		return ec;
	}
	return ics_attachments_read(mem_ctx, opts, mm, depth, m);
}

uint32_t ics_message_read(TALLOC_CTX *mem_ctx, const struct ics_encode_opts *opts,
			  struct mapistore_message *mm, bool fai, unsigned how,
			  struct fxics_message *m)
{
	memset(m, 0, sizeof(*m));
	return ics_message_content(mem_ctx, opts, mm, fai, how, 0, m);
}

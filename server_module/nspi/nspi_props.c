/*
 * Active Directory attributes as the MAPI properties Outlook reads from the
 * address book ([MS-OXOABK] 2.2, [MS-OXPROPS]; attribute names from
 * [MS-OXLDAP] 2.2). The table is the documentation: doc/nspi.md lists it.
 */
#include "nspi_model.h"

#include <ldb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ATTR(tag, attr, anr, w)	{ tag, attr, NSPI_SRC_ATTR, anr, w }
#define MV(tag, attr, w)	{ tag, attr, NSPI_SRC_ATTR_MV, false, w }
#define COMP(tag, attr)		{ tag, attr, NSPI_SRC_COMPUTED, false, false }

static const struct nspi_prop_map nspi_props[] = {
	/* identity: computed from the entry and the session */
	COMP(PidTagEntryId, NULL),
	COMP(PidTagInstanceKey, NULL),
	COMP(PidTagRecordKey, NULL),
	COMP(PidTagSearchKey, NULL),
	COMP(PidTagMappingSignature, NULL),
	COMP(PidTagTemplateid, NULL),
	COMP(PidTagObjectType, "objectClass"),
	COMP(PidTagDisplayType, "objectClass"),
	COMP(PidTagDisplayTypeEx, "objectClass"),
	COMP(PidTagAddressBookContainerId, NULL),
	COMP(PidTagSendRichInfo, NULL),
	COMP(PidTagAddressType, NULL),
	COMP(PidTagEmailAddress, "legacyExchangeDN"),
	COMP(PidTagDisplayName, "displayName"),
	COMP(PidTagTransmittableDisplayName, "displayName"),
	COMP(PidTagSmtpAddress, "mail"),
	COMP(PidTagAccount, "mailNickname"),
	COMP(PidTagAddressBookObjectDistinguishedName, NULL),
	COMP(PidTagAddressBookManagerDistinguishedName, "manager"),
	COMP(PidTagAddressBookHomeMessageDatabase, "homeMDB"),
	/* link-valued: present as PtypEmbeddedTable, read with GetMatches */
	COMP(PidTagAddressBookManager, "manager"),
	COMP(PidTagAddressBookReports, "directReports"),
	COMP(PidTagAddressBookMember, "member"),
	COMP(PidTagAddressBookIsMemberOfDistributionList, "memberOf"),
	COMP(PidTagAddressBookPublicDelegates, "publicDelegates"),
	/* plain attributes */
	ATTR(PidTagAddressBookDisplayNamePrintable, "displayNamePrintable", false, false),
	ATTR(PidTagGivenName, "givenName", true, false),
	ATTR(PidTagSurname, "sn", true, false),
	ATTR(PidTagInitials, "initials", false, false),
	ATTR(PidTagTitle, "title", false, false),
	ATTR(PidTagCompanyName, "company", false, false),
	ATTR(PidTagDepartmentName, "department", false, false),
	ATTR(PidTagOfficeLocation, "physicalDeliveryOfficeName", true, false),
	ATTR(PidTagBusinessTelephoneNumber, "telephoneNumber", false, true),
	ATTR(PidTagPrimaryTelephoneNumber, "telephoneNumber", false, false),
	ATTR(PidTagHomeTelephoneNumber, "homePhone", false, true),
	ATTR(PidTagMobileTelephoneNumber, "mobile", false, true),
	ATTR(PidTagPagerTelephoneNumber, "pager", false, true),
	ATTR(PidTagBusinessFaxNumber, "facsimileTelephoneNumber", false, true),
	ATTR(PidTagAssistant, "msExchAssistantName", false, false),
	ATTR(PidTagStreetAddress, "streetAddress", false, true),
	ATTR(PidTagLocality, "l", false, true),
	ATTR(PidTagStateOrProvince, "st", false, true),
	ATTR(PidTagPostalCode, "postalCode", false, true),
	ATTR(PidTagCountry, "co", false, true),
	ATTR(PidTagPostOfficeBox, "postOfficeBox", false, true),
	ATTR(PidTagComment, "info", false, false),
	ATTR(PidTagAddressBookTargetAddress, "targetAddress", false, false),
	ATTR(PidTagAddressBookObjectGuid, "objectGUID", false, false),
	ATTR(PidTagThumbnailPhoto, "thumbnailPhoto", false, false),
	MV(PidTagAddressBookProxyAddresses, "proxyAddresses", false),
	MV(PidTagUserX509Certificate, "userCertificate", true),
	MV(PidTagAddressBookX509Certificate, "userCertificate", true),
};

/* attributes every entry needs, whatever was asked */
static const char *const nspi_base_attrs[] = {
	"objectClass", "objectGUID", "legacyExchangeDN", "displayName", "name",
	"mailNickname", "sAMAccountName", "mail", "proxyAddresses", "homeMDB",
	"msExchHomeServerName",
};

const struct nspi_prop_map *nspi_prop_table(size_t *n_r)
{
	*n_r = ARRAY_LEN(nspi_props);
	return nspi_props;
}

static bool is_string_type(uint16_t t)
{
	return t == NSPI_PT_STRING8 || t == NSPI_PT_UNICODE ||
	       t == NSPI_PT_UNSPECIFIED;
}

static bool is_mv_string_type(uint16_t t)
{
	return t == NSPI_PT_MV_STRING8 || t == NSPI_PT_MV_UNICODE;
}

const struct nspi_prop_map *nspi_prop_lookup(uint32_t tag)
{
	uint16_t id = NSPI_PROP_ID(tag), type = NSPI_PROP_TYPE(tag);
	size_t i;

	for (i = 0; i < ARRAY_LEN(nspi_props); i++) {
		uint16_t ct = NSPI_PROP_TYPE(nspi_props[i].tag);

		if (NSPI_PROP_ID(nspi_props[i].tag) != id) {
			continue;
		}
		if (ct == type || type == NSPI_PT_UNSPECIFIED ||
		    (is_string_type(ct) && is_string_type(type)) ||
		    (is_mv_string_type(ct) && is_mv_string_type(type))) {
			return &nspi_props[i];
		}
	}
	return NULL;
}

const char **nspi_prop_attrs(TALLOC_CTX *mem_ctx, const uint32_t *tags,
			     size_t n_tags)
{
	size_t n = 0, i, j;
	const char **attrs = talloc_array(mem_ctx, const char *,
					  ARRAY_LEN(nspi_base_attrs) + n_tags + 8);

	if (attrs == NULL) {
		return NULL;
	}
	for (i = 0; i < ARRAY_LEN(nspi_base_attrs); i++) {
		attrs[n++] = nspi_base_attrs[i];
	}
	for (i = 0; i < n_tags; i++) {
		const struct nspi_prop_map *m = nspi_prop_lookup(tags[i]);
		bool dup = false;

		if (m == NULL || m->attr == NULL) {
			continue;
		}
		for (j = 0; j < n && !dup; j++) {
			dup = strcasecmp(attrs[j], m->attr) == 0;
		}
		if (!dup) {
			attrs[n++] = m->attr;
		}
	}
	attrs[n] = NULL;
	return attrs;
}

enum nspi_object_kind nspi_kind_from_classes(const char *const *classes,
					     unsigned n, bool has_mailbox)
{
	enum nspi_object_kind kind = NSPI_KIND_NONE;
	unsigned i;

	for (i = 0; i < n; i++) {
		const char *c = classes[i];

		if (strcasecmp(c, "computer") == 0) {
			return NSPI_KIND_NONE;
		} else if (strcasecmp(c, "addressBookContainer") == 0) {
			kind = NSPI_KIND_CONTAINER;
		} else if (strcasecmp(c, "group") == 0) {
			kind = NSPI_KIND_GROUP;
		} else if (strcasecmp(c, "contact") == 0) {
			kind = NSPI_KIND_CONTACT;
		} else if (strcasecmp(c, "user") == 0 && kind == NSPI_KIND_NONE) {
			kind = has_mailbox ? NSPI_KIND_USER :
				NSPI_KIND_REMOTE_USER;
		}
	}
	return kind;
}

uint32_t nspi_kind_object_type(enum nspi_object_kind kind)
{
	switch (kind) {
	case NSPI_KIND_GROUP: return NSPI_MAPI_DISTLIST;
	case NSPI_KIND_CONTAINER: return NSPI_MAPI_ABCONT;
	default: return NSPI_MAPI_MAILUSER;
	}
}

uint32_t nspi_kind_display_type(enum nspi_object_kind kind)
{
	switch (kind) {
	case NSPI_KIND_GROUP: return NSPI_DT_DISTLIST;
	case NSPI_KIND_CONTAINER: return NSPI_DT_CONTAINER;
	case NSPI_KIND_CONTACT:
	case NSPI_KIND_REMOTE_USER: return NSPI_DT_REMOTE_MAILUSER;
	default: return NSPI_DT_MAILUSER;
	}
}

static void hex_guid(const struct ldb_val *v, char out[33])
{
	size_t i;

	for (i = 0; i < 16; i++) {
		snprintf(out + 2 * i, 3, "%02x", v->data[i]);
	}
}

const char *nspi_legacy_dn(TALLOC_CTX *mem_ctx, const struct ldb_message *msg)
{
	const char *dn = ldb_msg_find_attr_as_string(msg, "legacyExchangeDN",
						     NULL);
	const struct ldb_val *guid;
	char hex[33];

	if (dn != NULL && dn[0] == '/') {
		return dn;
	}
	guid = ldb_msg_find_ldb_val(msg, "objectGUID");
	if (guid == NULL || guid->length != 16) {
		return NULL;
	}
	/* [MS-NSPI] form for objects without an Exchange DN */
	hex_guid(guid, hex);
	return talloc_asprintf(mem_ctx, "/o=NT5/ou=00000000000000000000000000000000"
			       "/cn=%s", hex);
}

static const char *display_name(const struct ldb_message *msg)
{
	const char *s = ldb_msg_find_attr_as_string(msg, "displayName", NULL);

	if (s == NULL || s[0] == '\0') {
		s = ldb_msg_find_attr_as_string(msg, "name", NULL);
	}
	return s;
}

static const char *smtp_address(const struct ldb_message *msg)
{
	const struct ldb_message_element *el;
	const char *s = ldb_msg_find_attr_as_string(msg, "mail", NULL);
	unsigned i;

	if (s != NULL) {
		return s;
	}
	/* the primary SMTP proxy address is the one with "SMTP:" upper case */
	el = ldb_msg_find_element(msg, "proxyAddresses");
	for (i = 0; el != NULL && i < el->num_values; i++) {
		const char *v = (const char *)el->values[i].data;

		if (el->values[i].length > 5 && strncmp(v, "SMTP:", 5) == 0) {
			return v + 5;
		}
	}
	return NULL;
}

static bool set_str(struct nspi_value *out, const char *s)
{
	if (s == NULL) {
		return false;
	}
	out->v.str = s;
	return true;
}

static bool set_bin(struct nspi_value *out, const uint8_t *p, size_t len)
{
	if (p == NULL) {
		return false;
	}
	out->v.bin.data = p;
	out->v.bin.len = len;
	return true;
}

static bool value_entryid(TALLOC_CTX *mem_ctx, const struct nspi_entry_ctx *e,
			  bool ephemeral, struct nspi_value *out)
{
	uint32_t dt = nspi_kind_display_type(e->kind);
	size_t len = NSPI_EPHEMERAL_ENTRYID_SIZE;
	uint8_t *p;

	if (ephemeral) {
		p = nspi_entryid_ephemeral(mem_ctx, e->server_guid, dt, e->mid);
	} else if (e->legacy_dn != NULL) {
		p = nspi_entryid_permanent(mem_ctx, dt, e->legacy_dn, &len);
	} else {
		return false;
	}
	return set_bin(out, p, len);
}

static bool value_link(const struct ldb_message *msg, const char *attr,
		       struct nspi_value *out)
{
	const struct ldb_message_element *el = ldb_msg_find_element(msg, attr);

	if (el == NULL || el->num_values == 0) {
		return false;
	}
	out->v.l = 0;	/* PtypEmbeddedTable carries no value on the wire */
	return true;
}

static bool value_computed(TALLOC_CTX *mem_ctx, const struct ldb_message *msg,
			   const struct nspi_entry_ctx *e, uint32_t tag,
			   struct nspi_value *out)
{
	const char *s;
	uint8_t *p;

	switch (tag) {
	case PidTagEntryId:
		return value_entryid(mem_ctx, e, e->ephemeral, out);
	case PidTagRecordKey:
	case PidTagTemplateid:
		return value_entryid(mem_ctx, e, false, out);
	case PidTagInstanceKey:
		p = talloc_array(mem_ctx, uint8_t, 4);
		if (p != NULL) {
			p[0] = e->mid & 0xFF; p[1] = (e->mid >> 8) & 0xFF;
			p[2] = (e->mid >> 16) & 0xFF; p[3] = e->mid >> 24;
		}
		return set_bin(out, p, 4);
	case PidTagSearchKey: {
		/* [MS-OXOABK] 2.2.3.5: "EX:" + upper-case X500 DN + NUL */
		char *k;
		size_t i;

		if (e->legacy_dn == NULL) {
			return false;
		}
		k = talloc_asprintf(mem_ctx, "EX:%s", e->legacy_dn);
		if (k == NULL) {
			return false;
		}
		for (i = 0; k[i] != '\0'; i++) {
			if (k[i] >= 'a' && k[i] <= 'z') {
				k[i] -= 'a' - 'A';
			}
		}
		return set_bin(out, (uint8_t *)k, strlen(k) + 1);
	}
	case PidTagMappingSignature:
		return set_bin(out, nspi_guid_nspi, 16);
	case PidTagObjectType:
		out->v.l = (int32_t)nspi_kind_object_type(e->kind);
		return true;
	case PidTagDisplayType:
		out->v.l = (int32_t)nspi_kind_display_type(e->kind);
		return true;
	case PidTagDisplayTypeEx:
		/* [MS-OXOABK] 2.2.3.11: a mailbox user can be in ACLs */
		out->v.l = (int32_t)(nspi_kind_display_type(e->kind) |
			(e->kind == NSPI_KIND_USER ? 0x40000000u : 0));
		return true;
	case PidTagAddressBookContainerId:
		out->v.l = (int32_t)e->container_id;
		return true;
	case PidTagSendRichInfo:
		out->v.b = true;
		return true;
	case PidTagAddressType:
		return set_str(out, "EX");
	case PidTagEmailAddress:
		return set_str(out, e->legacy_dn);
	case PidTagDisplayName:
	case PidTagTransmittableDisplayName:
		return set_str(out, display_name(msg));
	case PidTagSmtpAddress:
		return set_str(out, smtp_address(msg));
	case PidTagAccount:
		s = ldb_msg_find_attr_as_string(msg, "mailNickname", NULL);
		return set_str(out, s ?: ldb_msg_find_attr_as_string(
				       msg, "sAMAccountName", NULL));
	case PidTagAddressBookObjectDistinguishedName:
		return set_str(out, msg->dn ? ldb_dn_get_linearized(msg->dn) : NULL);
	case PidTagAddressBookManagerDistinguishedName:
		s = ldb_msg_find_attr_as_string(msg, "manager", NULL);
		if (s == NULL || e->x500_of == NULL) {
			return false;
		}
		return set_str(out, e->x500_of(e->x500_priv, mem_ctx, s));
	case PidTagAddressBookHomeMessageDatabase:
		s = ldb_msg_find_attr_as_string(msg, "homeMDB", NULL);
		if (s != NULL && e->x500_of != NULL) {
			const char *x = e->x500_of(e->x500_priv, mem_ctx, s);

			if (x != NULL) {
				return set_str(out, x);
			}
		}
		s = ldb_msg_find_attr_as_string(msg, "msExchHomeServerName", NULL);
		if (s == NULL) {
			return false;
		}
		return set_str(out, talloc_asprintf(mem_ctx,
				"%s/cn=Microsoft Private MDB", s));
	case PidTagAddressBookManager:
		return value_link(msg, "manager", out);
	case PidTagAddressBookReports:
		return value_link(msg, "directReports", out);
	case PidTagAddressBookMember:
		return value_link(msg, "member", out);
	case PidTagAddressBookIsMemberOfDistributionList:
		return value_link(msg, "memberOf", out);
	case PidTagAddressBookPublicDelegates:
		return value_link(msg, "publicDelegates", out);
	}
	return false;
}

bool nspi_prop_value(TALLOC_CTX *mem_ctx, const struct ldb_message *msg,
		     const struct nspi_entry_ctx *ectx, uint32_t tag,
		     struct nspi_value *out)
{
	const struct nspi_prop_map *m = nspi_prop_lookup(tag);
	const struct ldb_message_element *el;
	unsigned i;

	memset(out, 0, sizeof(*out));
	if (m == NULL) {
		return false;
	}
	out->tag = m->tag;
	if (m->source == NSPI_SRC_COMPUTED) {
		return value_computed(mem_ctx, msg, ectx, m->tag, out);
	}
	el = ldb_msg_find_element(msg, m->attr);
	if (el == NULL || el->num_values == 0) {
		return false;
	}
	if (m->source == NSPI_SRC_ATTR) {
		if (NSPI_PROP_TYPE(m->tag) == NSPI_PT_BINARY) {
			return set_bin(out, el->values[0].data,
				       el->values[0].length);
		}
		return set_str(out, (const char *)el->values[0].data);
	}
	/* multi-valued: bounded by what the directory holds */
	if (NSPI_PROP_TYPE(m->tag) == NSPI_PT_MV_BINARY) {
		out->v.mvbin.data = talloc_array(mem_ctx, const uint8_t *,
						 el->num_values);
		out->v.mvbin.len = talloc_array(mem_ctx, size_t, el->num_values);
		if (out->v.mvbin.data == NULL || out->v.mvbin.len == NULL) {
			return false;
		}
		for (i = 0; i < el->num_values; i++) {
			out->v.mvbin.data[i] = el->values[i].data;
			out->v.mvbin.len[i] = el->values[i].length;
		}
		out->v.mvbin.n = el->num_values;
		return true;
	}
	out->v.mvstr.s = talloc_array(mem_ctx, const char *, el->num_values);
	if (out->v.mvstr.s == NULL) {
		return false;
	}
	for (i = 0; i < el->num_values; i++) {
		out->v.mvstr.s[i] = (const char *)el->values[i].data;
	}
	out->v.mvstr.n = el->num_values;
	return true;
}

/*
 * Representative ROP values for the round-trip tests (see rop_sample.h).
 */
#include <string.h>

#include "rop_sample.h"

const uint32_t sample_columns[3] = { 0x0FFE0003, 0x0E1D001F, 0x0FF90102 };

static bool is_count(const struct rop_field *fields, uint16_t n, uint16_t idx)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (fields[i].ref == idx && fields[i].type != RFT_SIZE16 &&
		    fields[i].type != RFT_SIZE8 && fields[i].type != RFT_XSTR) {
			return true;
		}
		if (fields[i].cols_count_ref == idx) {
			return true;
		}
	}
	return false;
}

static void sample_value(TALLOC_CTX *mem, uint32_t tag, uint32_t seed, struct PropertyValue *v)
{
	memset(v, 0, sizeof(*v));
	v->PropertyType = OXCDATA_PROP_TYPE(tag);
	switch (v->PropertyType) {
	case PtypInteger32:
		v->u.l = 0x1000 + seed;
		break;
	case PtypString:
		v->u.str = talloc_asprintf(mem, "value %u \xc3\xa9", (unsigned)seed);
		break;
	case PtypBinary:
		v->u.bin.cb = 3;
		v->u.bin.lpb = talloc_memdup(mem, "\x01\x02\x03", 3);
		break;
	default:
		break;
	}
}

static void sample_row(TALLOC_CTX *mem, uint32_t seed, uint32_t ncols, struct PropertyRow *row)
{
	uint32_t i;

	row->Flag = seed & 1;
	row->ValueCount = ncols;
	row->Values = talloc_zero_array(mem, struct RowPropertyValue, ncols);
	for (i = 0; i < ncols; i++) {
		sample_value(mem, sample_columns[i], seed + i, &row->Values[i].Value);
		if (row->Flag && i == 2) {
			row->Values[i].Flag = 0x0A;
			row->Values[i].Value.u.l = 0x8004010F;
		}
	}
}

static void sample_recipient(TALLOC_CTX *mem, uint32_t seed, struct RecipientRow *r)
{
	memset(r, 0, sizeof(*r));
	r->RecipientFlags = RecipientType_X500DN | RecipientFlags_D | RecipientFlags_E |
			    RecipientFlags_I | RecipientFlags_U;
	r->AddressPrefixUsed = 3;
	r->DisplayType = 0;
	r->X500DN = talloc_strdup(mem, "/o=Org/cn=Recipients/cn=user");
	r->EmailAddress = talloc_strdup(mem, "user@example.org");
	r->DisplayName = talloc_asprintf(mem, "User %u", (unsigned)seed);
	r->SimpleDisplayName = talloc_strdup(mem, "user");
	r->RecipientColumnCount = 2;
	sample_row(mem, 0, 2, &r->RecipientProperties);
}

static void sample_tpv(TALLOC_CTX *mem, uint32_t i, struct TaggedPropertyValue *t)
{
	t->PropertyTag = sample_columns[i % 3];
	sample_value(mem, t->PropertyTag, i, &t->Value);
}

static void sample_custom(TALLOC_CTX *mem, const struct rop_field *f, uint32_t count,
			  void *p, uint32_t seed)
{
	uint32_t i;

	if (f->custom == &rop_custom_rows) {
		struct PropertyRow *rows = talloc_zero_array(mem, struct PropertyRow, count);

		for (i = 0; i < count; i++) {
			sample_row(mem, seed + i, 3, &rows[i]);
		}
		*(struct PropertyRow **)p = rows;
	} else if (f->custom == &rop_custom_row) {
		sample_row(mem, seed, 3, p);
	} else if (f->custom == &rop_custom_gps_row) {
		/* the sample request asks for two tags */
		sample_row(mem, seed, 2, p);
	} else if (f->custom == &rop_custom_rcvfolder_rows) {
		struct PropertyRow *rows = talloc_zero_array(mem, struct PropertyRow, count);

		for (i = 0; i < count; i++) {
			rows[i].ValueCount = 3;
			rows[i].Values = talloc_zero_array(mem, struct RowPropertyValue, 3);
			rows[i].Values[0].Value.PropertyType = PtypInteger64;
			rows[i].Values[0].Value.u.d = 0x1234 + i;
			rows[i].Values[1].Value.PropertyType = PtypString8;
			rows[i].Values[1].Value.u.str8.utf8 = talloc_strdup(mem, "IPM.Note");
			rows[i].Values[2].Value.PropertyType = PtypTime;
			rows[i].Values[2].Value.u.d = 0x01D9000000000000ULL;
		}
		*(struct PropertyRow **)p = rows;
	} else if (f->custom == &rop_custom_openrecip) {
		struct OpenRecipientRow *rows = talloc_zero_array(mem, struct OpenRecipientRow, count);

		for (i = 0; i < count; i++) {
			rows[i].RecipientType = 1;
			rows[i].CodePageId = 1252;
			sample_recipient(mem, i, &rows[i].RecipientRow);
		}
		*(struct OpenRecipientRow **)p = rows;
	} else if (f->custom == &rop_custom_modrecip) {
		struct ModifyRecipientRow *rows = talloc_zero_array(mem, struct ModifyRecipientRow, count);

		for (i = 0; i < count; i++) {
			rows[i].RowId = i;
			rows[i].RecipientType = 2;
			if (i == 0) {
				rows[i].RecipientRow = talloc_zero(mem, struct RecipientRow);
				sample_recipient(mem, i, rows[i].RecipientRow);
			}
		}
		*(struct ModifyRecipientRow **)p = rows;
	} else if (f->custom == &rop_custom_readrecip) {
		struct ReadRecipientRow *rows = talloc_zero_array(mem, struct ReadRecipientRow, count);

		for (i = 0; i < count; i++) {
			rows[i].RowId = i;
			rows[i].RecipientType = 1;
			rows[i].CodePageId = 1252;
			sample_recipient(mem, i, &rows[i].RecipientRow);
		}
		*(struct ReadRecipientRow **)p = rows;
	} else if (f->custom == &rop_custom_notifdata) {
		struct NotificationData *nd = p;

		memset(nd, 0, sizeof(*nd));
		if (seed & 1) {
			nd->NotificationFlags = fnevNewMail | NotificationFlags_M;
			nd->FolderId = 0x11;
			nd->MessageId = 0x22;
			nd->MessageFlags = 0x1;
			nd->UnicodeFlag = 1;
			nd->MessageClass = talloc_strdup(mem, "IPM.Note");
		} else {
			nd->NotificationFlags = fnevTableModified | NotificationFlags_M;
			nd->TableEventType = TableEventType_TableRowAdded;
			nd->TableRowFolderID = 1;
			nd->TableRowMessageID = 2;
			nd->TableRowInstance = 3;
			nd->InsertAfterTableRowFolderID = 4;
			nd->InsertAfterTableRowID = 5;
			nd->InsertAfterTableRowInstance = 6;
			nd->TableRowDataSize = 1;
			sample_row(mem, 0, 3, &nd->TableRowData);
		}
	}
}

static void fill(TALLOC_CTX *mem, const struct rop_field *fields, uint16_t n, void *base,
		 const struct sample_opts *o)
{
	uint16_t i;
	uint32_t k;

	for (i = 0; i < n && fields[i].name != NULL; i++) {
		const struct rop_field *f = &fields[i];
		void *p = (char *)base + f->offset;
		uint32_t v = o->seed * 31 + i * 7 + 1;
		uint64_t count = 0;

		if (f->ref >= 0 && f->type != RFT_SIZE16 && f->type != RFT_SIZE8) {
			const struct rop_field *cf = &fields[f->ref];
			const void *cp = (const char *)base + cf->offset;

			count = cf->type == RFT_U8 ? *(const uint8_t *)cp :
				cf->type == RFT_U16 ? *(const uint16_t *)cp : *(const uint32_t *)cp;
		}
		switch (f->type) {
		case RFT_U8:
			*(uint8_t *)p = is_count(fields, n, i) ? 2 :
					strcmp(f->name, "LogonFlags") == 0 ? o->LogonFlags :
					(uint8_t)(v | 1);
			break;
		case RFT_U16:
			*(uint16_t *)p = is_count(fields, n, i) ? 2 : (uint16_t)(v * 3);
			break;
		case RFT_U32:
			*(uint32_t *)p = strcmp(f->name, "ReturnValue") == 0 ? o->ReturnValue :
					 is_count(fields, n, i) ? 2 : v * 0x01010101u;
			break;
		case RFT_U64:
			*(uint64_t *)p = (uint64_t)v * 0x0001000100010001ULL;
			break;
		case RFT_FIXED:
			memset(p, (int)(v & 0xFF), f->n);
			break;
		case RFT_U16_FIXED:
			for (k = 0; k < f->n; k++) {
				((uint16_t *)p)[k] = (uint16_t)(v + k);
			}
			break;
		case RFT_U64_FIXED:
			for (k = 0; k < f->n; k++) {
				((uint64_t *)p)[k] = v + k;
			}
			break;
		case RFT_LTID:
			memset(p, (int)(v & 0xFF), sizeof(struct LongTermID));
			break;
		case RFT_LOGONTIME:
			*(struct LogonTime *)p = (struct LogonTime) { 1, 2, 3, 4, 5, 6, 2024 };
			break;
		case RFT_STR8:
		case RFT_STR8OPT:
			*(char **)p = talloc_asprintf(mem, "%s-%u", f->name, (unsigned)v);
			break;
		case RFT_STR16:
		case RFT_XSTR:
			*(char **)p = talloc_asprintf(mem, "%s %u", f->name, (unsigned)v);
			break;
		case RFT_TYPEDSTRING:
			((struct TypedString *)p)->StringType = 4;
			((struct TypedString *)p)->String = talloc_strdup(mem, "Subject \xe2\x82\xac");
			break;
		case RFT_RESTRICTION: {
			struct Restriction *r = talloc_zero(mem, struct Restriction);

			r->RestrictType = RES_EXIST;
			r->u.Exist.PropTag = 0x0037001F;
			*(struct Restriction **)p = r;
			break;
		}
		case RFT_BYTES:
			*(uint8_t **)p = count ? talloc_zero_array(mem, uint8_t, count) : NULL;
			break;
		case RFT_U16S:
			*(uint16_t **)p = count ? talloc_zero_array(mem, uint16_t, count) : NULL;
			break;
		case RFT_U32S:
			*(uint32_t **)p = count ? talloc_array(mem, uint32_t, count) : NULL;
			for (k = 0; k < count; k++) {
				(*(uint32_t **)p)[k] = sample_columns[k % 3];
			}
			break;
		case RFT_U64S:
			*(uint64_t **)p = count ? talloc_zero_array(mem, uint64_t, count) : NULL;
			break;
		case RFT_LTIDS:
			*(struct LongTermID **)p = count ? talloc_zero_array(mem, struct LongTermID, count) : NULL;
			break;
		case RFT_STR8S:
			*(char ***)p = count ? talloc_array(mem, char *, count) : NULL;
			for (k = 0; k < count; k++) {
				(*(char ***)p)[k] = talloc_asprintf(mem, "server%u", (unsigned)k);
			}
			break;
		case RFT_TPV:
			*(struct TaggedPropertyValue **)p = count ?
				talloc_zero_array(mem, struct TaggedPropertyValue, count) : NULL;
			for (k = 0; k < count; k++) {
				sample_tpv(mem, k, &(*(struct TaggedPropertyValue **)p)[k]);
			}
			break;
		case RFT_PROBLEMS:
			*(struct PropertyProblem **)p = count ?
				talloc_zero_array(mem, struct PropertyProblem, count) : NULL;
			for (k = 0; k < count; k++) {
				(*(struct PropertyProblem **)p)[k] =
					(struct PropertyProblem) { (uint16_t)k, 0x0037001F, 0x8004010F };
			}
			break;
		case RFT_SORTORDERS:
			*(struct SortOrder **)p = count ? talloc_zero_array(mem, struct SortOrder, count) : NULL;
			for (k = 0; k < count; k++) {
				(*(struct SortOrder **)p)[k] = (struct SortOrder) { 0x0040, 0x0E06, 1 };
			}
			break;
		case RFT_PROPNAMES: {
			struct PropertyName *names = count ?
				talloc_zero_array(mem, struct PropertyName, count) : NULL;

			for (k = 0; k < count; k++) {
				names[k].Kind = k % 2;
				memset(names[k].Guid, 0x11, 16);
				names[k].LID = 0x8501;
				if (names[k].Kind == 1) {
					names[k].Name = talloc_strdup(mem, "Keywords");
				}
			}
			*(struct PropertyName **)p = names;
			break;
		}
		case RFT_REC:
		case RFT_RECSEND:
			if (f->type == RFT_RECSEND) {
				count = 2;
				*(uint32_t *)((char *)base + f->aux_offset) = 2;
			}
			*(void **)p = count ? talloc_zero_size(mem, count * f->rec->size) : NULL;
			for (k = 0; k < count; k++) {
				fill(mem, f->rec->fields, f->rec->nfields,
				     (char *)*(void **)p + k * f->rec->size, o);
			}
			break;
		case RFT_REST:
			*(uint8_t **)p = talloc_memdup(mem, "\x01\x00\x00", 3);
			*(uint32_t *)((char *)base + f->aux_offset) = 3;
			break;
		case RFT_CUSTOM:
			sample_custom(mem, f, (uint32_t)count, p, o->seed);
			break;
		default:
			break;
		}
	}
}

void sample_request(TALLOC_CTX *mem_ctx, uint8_t rop_id, const struct sample_opts *o,
		    struct rop_request *req)
{
	const struct rop_info *info = &rop_info_table[rop_id];

	memset(req, 0, sizeof(*req));
	req->RopId = rop_id;
	req->LogonId = 0x01;
	fill(mem_ctx, info->req.fields, info->req.nfields, &req->u, o);
	if (rop_id == RopLogon) {
		req->u.RopLogon.LogonFlags = o->LogonFlags;
	}
}

void sample_response(TALLOC_CTX *mem_ctx, uint8_t rop_id, const struct sample_opts *o,
		     struct rop_response *resp)
{
	const struct rop_info *info = &rop_info_table[rop_id];

	memset(resp, 0, sizeof(*resp));
	resp->RopId = rop_id;
	fill(mem_ctx, info->resp.fields, info->resp.nfields, &resp->u, o);
}

void sample_ctx(struct rop_ctx *ctx, const struct rop_request *req, bool private_logon)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->request = req;
	ctx->columns = sample_columns;
	ctx->column_count = SAMPLE_COLUMN_COUNT;
	ctx->logon_private = private_logon;
}

const char *sample_compare(const struct rop_walk *walk, const struct rop_field *fields,
			   uint16_t nfields, const void *a, const void *b)
{
	uint16_t i;

	for (i = 0; i < nfields && fields[i].name != NULL; i++) {
		const struct rop_field *f = &fields[i];
		const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;
		size_t size = 0;

		if (!rop_field_present(f, walk, fields, nfields, a)) {
			continue;
		}
		switch (f->type) {
		case RFT_U8:
			size = 1;
			break;
		case RFT_U16:
			size = 2;
			break;
		case RFT_U32:
			size = 4;
			break;
		case RFT_U64:
			size = 8;
			break;
		case RFT_FIXED:
			size = f->n;
			break;
		case RFT_U16_FIXED:
			size = 2u * f->n;
			break;
		case RFT_U64_FIXED:
			size = 8u * f->n;
			break;
		case RFT_LTID:
			size = sizeof(struct LongTermID);
			break;
		case RFT_LOGONTIME:
			size = sizeof(struct LogonTime);
			break;
		case RFT_STR8:
		case RFT_STR8OPT:
		case RFT_STR16:
		case RFT_XSTR: {
			const char *sa = *(char *const *)pa, *sb = *(char *const *)pb;

			if ((sa == NULL) != (sb == NULL) || (sa && strcmp(sa, sb) != 0)) {
				return f->name;
			}
			continue;
		}
		default:
			continue;
		}
		if (memcmp(pa, pb, size) != 0) {
			return f->name;
		}
	}
	return NULL;
}

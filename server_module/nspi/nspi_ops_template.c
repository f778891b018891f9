/*
 * Address book templates on the wire: NspiGetTemplateInfo ([MS-OXNSPI]
 * 3.1.4.1.18) and the address creation table of NspiGetSpecialTable
 * (3.1.4.1.3 with NspiAddressCreationTemplates; [MS-OXOABKT] 2.2.1).
 *
 * The templates are the built-in descriptions of nspi_template.h, encoded
 * per call in the code page asked for. There is one language, English: it
 * is served whatever the locale (doc/nspi.md).
 */
#include "nspi_private.h"
#include "nspi_template.h"

#include <strings.h>

#define PidTagSelectable	0x3609000B
#define NSPI_TEMPLATE_LOCALE	"409"	/* the locale of the descriptions */

/* The DN of a creation template in its entry ID and in pDN. */
static char *creation_dn(TALLOC_CTX *mem_ctx, const struct mp_call *call,
			 const struct nspi_template *t)
{
	const char *org = call->server && call->server->organization ?
		call->server->organization : "First Organization";

	return talloc_asprintf(mem_ctx, "/o=%s/cn=Address-Templates/cn=%s/cn=%s",
			       org, NSPI_TEMPLATE_LOCALE, t->name);
}

static void set_bin(struct PropertyValue_r *pv, uint32_t tag, uint8_t *data,
		    size_t len)
{
	pv->ulPropTag = tag;
	pv->Value.bin.cb = (uint32_t)len;
	pv->Value.bin.lpb = data;
}

/* one row of the address creation table */
static bool creation_row(TALLOC_CTX *mem_ctx, const struct mp_call *call,
			 const struct nspi_template *t, uint32_t index,
			 bool unicode, uint32_t codepage,
			 struct PropertyRow_r *row)
{
	uint32_t str = unicode ? NSPI_PT_UNICODE : NSPI_PT_STRING8;
	struct PropertyValue_r *pv = talloc_zero_array(mem_ctx,
		struct PropertyValue_r, 7);
	uint8_t *eid, *key;
	size_t len;
	uint32_t n = 0;
	char *dn;

	if (pv == NULL) {
		return false;
	}
	dn = creation_dn(pv, call, t);
	eid = dn ? nspi_entryid_permanent(pv, NSPI_DT_ADDRESS_TEMPLATE, dn,
					  &len) : NULL;
	key = talloc_array(pv, uint8_t, 4);
	if (eid == NULL || key == NULL ||
	    !nspi_value_string(pv, (PidTagAddressType & 0xFFFF0000) | str,
			       codepage, t->address_type, &pv[n++]) ||
	    !nspi_value_string(pv, (PidTagDisplayName & 0xFFFF0000) | str,
			       codepage, t->title ? t->title : t->name,
			       &pv[n++])) {
		return false;
	}
	pv[n].ulPropTag = PidTagDisplayType;
	pv[n++].Value.l = NSPI_DT_ADDRESS_TEMPLATE;
	set_bin(&pv[n++], PidTagEntryId, eid, len);
	pv[n].ulPropTag = PidTagDepth;
	pv[n++].Value.l = 0;
	pv[n].ulPropTag = PidTagSelectable;
	pv[n++].Value.b = 1;
	key[0] = index & 0xFF;
	key[1] = (index >> 8) & 0xFF;
	key[2] = key[3] = 0;
	set_bin(&pv[n++], PidTagInstanceKey, key, 4);
	row->cValues = n;
	row->lpProps = pv;
	return true;
}

uint32_t nspi_creation_table(struct mp_call *call, bool unicode,
			     uint32_t codepage, struct PropertyRowSet_r **rows_r)
{
	struct PropertyRowSet_r *rows;
	struct nspi_template **list = NULL;
	uint32_t n = 0, i, err;

	rows = talloc_zero(call->mem_ctx, struct PropertyRowSet_r);
	if (rows == NULL) {
		return NSPI_NotEnoughMemory;
	}
	err = nspi_template_creation_list(rows, &list, &n);
	if (err != NSPI_Success) {
		return err;
	}
	rows->aRow = talloc_zero_array(rows, struct PropertyRow_r, n ? n : 1);
	if (rows->aRow == NULL) {
		return NSPI_NotEnoughMemory;
	}
	for (i = 0; i < n; i++) {
		if (!creation_row(rows, call, list[i], i, unicode, codepage,
				  &rows->aRow[i])) {
			return NSPI_NotEnoughMemory;
		}
	}
	rows->cRows = n;
	*rows_r = rows;
	return NSPI_Success;
}

/* the template @pDN names (a creation template), or InvalidLocale */
static uint32_t template_by_dn(struct mp_call *call, const char *dn,
			       struct nspi_template **t_r)
{
	struct nspi_template **list = NULL;
	uint32_t n = 0, i, err;

	err = nspi_template_creation_list(call->mem_ctx, &list, &n);
	for (i = 0; err == NSPI_Success && i < n; i++) {
		char *mine = creation_dn(call->mem_ctx, call, list[i]);

		if (mine != NULL && strcasecmp(mine, dn) == 0) {
			*t_r = list[i];
			return NSPI_Success;
		}
	}
	return err != NSPI_Success ? err : NSPI_InvalidLocale;
}

/* [MS-OXNSPI] 3.1.4.1.18 NspiGetTemplateInfo (opnum 13) */
NTSTATUS nspi_op_NspiGetTemplateInfo(struct mp_call *call, void *_r)
{
	struct NspiGetTemplateInfo *r = _r;
	struct nspi_session *s = nspi_session_lookup(call, &r->in.hRpc);
	struct nspi_template *t = NULL;
	struct PropertyRow_r *row;
	uint32_t cp = r->in.dwCodePage, n = 0;

	if (s == NULL) {
		return NT_STATUS_INVALID_HANDLE;
	}
	*r->out.ppData = NULL;
	/* the template's strings are 8-bit: Unicode or an unknown code page
	 * cannot carry them */
	if (cp == NSPI_CP_WINUNICODE || !nspi_codepage_supported(cp)) {
		r->out.result = NSPI_InvalidCodepage;
		return NT_STATUS_OK;
	}
	if (r->in.pDN != NULL) {
		/* with a DN, ulType and the locale are not used */
		const char *dn = nspi_string8_from_ndr(call->mem_ctx, cp,
						       (const char *)r->in.pDN);

		r->out.result = dn ? template_by_dn(call, dn, &t) :
			NSPI_NotEnoughMemory;
	} else {
		/* by display type; one language for every dwLocaleID */
		r->out.result = nspi_template_for_type(call->mem_ctx,
						       r->in.ulType, &t);
	}
	if (r->out.result != NSPI_Success) {
		return NT_STATUS_OK;
	}
	row = talloc_zero(call->mem_ctx, struct PropertyRow_r);
	row->lpProps = row ? talloc_zero_array(row, struct PropertyValue_r, 3) :
		NULL;
	if (row == NULL || row->lpProps == NULL) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	if (r->in.dwFlags & NSPI_TI_TEMPLATE) {
		uint8_t *blob;
		size_t len;

		r->out.result = nspi_template_encode(row, t, cp, &blob, &len);
		if (r->out.result != NSPI_Success) {
			return NT_STATUS_OK;
		}
		set_bin(&row->lpProps[n++], PidTagTemplateData, blob, len);
	}
	if (r->in.dwFlags & NSPI_TI_SCRIPT) {
		/* no addressing script: the templates need none */
		set_bin(&row->lpProps[n++], PidTagScriptData, NULL, 0);
	}
	if ((r->in.dwFlags & NSPI_TI_EMT) && t->address_type != NULL &&
	    !nspi_value_string(row, (PidTagAddressType & 0xFFFF0000) |
			       NSPI_PT_STRING8, cp, t->address_type,
			       &row->lpProps[n++])) {
		r->out.result = NSPI_NotEnoughMemory;
		return NT_STATUS_OK;
	}
	/* TI_HELPFILE_NAME / TI_HELPFILE_CONTENTS: the server ignores them
	 * ([MS-OXNSPI] 3.1.4.1.18 dwFlags); no help files are published */
	row->cValues = n;
	*r->out.ppData = row;
	r->out.result = NSPI_Success;
	return NT_STATUS_OK;
}

/*
 * Address book entry IDs ([MS-OXNSPI] 2.3.8.2 EphemeralEntryID,
 * 2.3.8.3 PermanentEntryID).
 *
 *   ephemeral: 0x87 R R R | ProviderUID (server GUID) | R4=1 | DisplayType | MId
 *   permanent: 0x00 R R R | ProviderUID (GUID_NSPI)    | R4=1 | DisplayType | DN\0
 * All integers little-endian.
 */
#include "nspi_model.h"

#include <string.h>

/* {C840A7DC-42C0-1A10-B4B9-08002B2FE182} ([MS-OXNSPI] 2.2.1.7) */
const uint8_t nspi_guid_nspi[16] = {
	0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
	0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
};

#define ENTRYID_HEADER	28	/* type, 3 reserved, uid, R4, display type */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void put_header(uint8_t *p, uint8_t type, const uint8_t uid[16],
		       uint32_t display_type)
{
	p[0] = type;
	p[1] = p[2] = p[3] = 0;
	memcpy(p + 4, uid, 16);
	put32(p + 20, 1);
	put32(p + 24, display_type);
}

uint8_t *nspi_entryid_permanent(TALLOC_CTX *mem_ctx, uint32_t display_type,
				const char *dn, size_t *len_r)
{
	size_t dn_len = strlen(dn);
	uint8_t *p;

	if (dn_len > NSPI_MAX_STRING) {
		return NULL;
	}
	p = talloc_array(mem_ctx, uint8_t, ENTRYID_HEADER + dn_len + 1);
	if (p == NULL) {
		return NULL;
	}
	put_header(p, 0x00, nspi_guid_nspi, display_type);
	memcpy(p + ENTRYID_HEADER, dn, dn_len + 1);
	*len_r = ENTRYID_HEADER + dn_len + 1;
	return p;
}

uint8_t *nspi_entryid_ephemeral(TALLOC_CTX *mem_ctx,
				const uint8_t server_guid[16],
				uint32_t display_type, uint32_t mid)
{
	uint8_t *p = talloc_array(mem_ctx, uint8_t, NSPI_EPHEMERAL_ENTRYID_SIZE);

	if (p == NULL) {
		return NULL;
	}
	put_header(p, 0x87, server_guid, display_type);
	put32(p + 28, mid);
	return p;
}

bool nspi_entryid_parse(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
			struct nspi_entryid *out)
{
	memset(out, 0, sizeof(*out));
	if (data == NULL || len < ENTRYID_HEADER) {
		return false;
	}
	/* the reserved bytes are not checked: clients set flags there */
	if (get32(data + 20) != 1) {
		return false;
	}
	memcpy(out->provider_uid, data + 4, 16);
	out->display_type = get32(data + 24);
	if (data[0] == 0x87) {
		if (len != NSPI_EPHEMERAL_ENTRYID_SIZE) {
			return false;
		}
		out->ephemeral = true;
		out->mid = get32(data + 28);
		return true;
	}
	if (data[0] != 0x00 || memcmp(data + 4, nspi_guid_nspi, 16) != 0) {
		return false;
	}
	/* the DN runs to a NUL inside the blob */
	if (len - ENTRYID_HEADER > NSPI_MAX_STRING ||
	    memchr(data + ENTRYID_HEADER, '\0', len - ENTRYID_HEADER) == NULL) {
		return false;
	}
	out->dn = talloc_strdup(mem_ctx, (const char *)data + ENTRYID_HEADER);
	return out->dn != NULL;
}

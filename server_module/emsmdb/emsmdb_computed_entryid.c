/*
 * Entry IDs ([MS-OXCDATA] 2.2.4 Folder / Message / Store Object EntryID,
 * 2.2.5.2 Address Book EntryID): built from a logon's GUIDs and an ID's
 * GLOBCNT, and parsed back (emsmdb_computed.h).
 *
 * An ID ([MS-OXCDATA] 2.2.1.1) is REPLID (2 bytes) then GLOBCNT (6 bytes,
 * most significant first) in wire order; as the uint64 this server keeps,
 * the GLOBCNT bytes are bits 16..63 in little-endian order, so the entry
 * ID's GlobalCounter is bytes 2..7 of the ID, as RopLongTermIdFromId
 * writes them ([MS-OXCSTOR] 2.2.1.8).
 */
#include "emsmdb_computed.h"

#include <string.h>

/* [MS-OXCDATA] 2.2.4.1: ProviderUID of folders and messages of a public store */
static const uint8_t emsmdb_public_provider_uid[16] = {
	0x1A, 0x44, 0x73, 0x90, 0xAA, 0x66, 0x11, 0xCD,
	0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A,
};
/* [MS-OXCDATA] 2.2.4.3: the Store Object EntryID's ProviderUID (MAPI's
 * wrapped-store UID) and the WrappedProvider UIDs */
static const uint8_t emsmdb_store_provider_uid[16] = {
	0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
	0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2,
};
static const uint8_t emsmdb_wrapped_private_uid[16] = {
	0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD,
	0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A,
};
static const uint8_t emsmdb_wrapped_public_uid[16] = {
	0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD,
	0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A,
};
/* [MS-OXCDATA] 2.2.5.2: the Address Book EntryID's ProviderUID */
static const uint8_t emsmdb_ab_provider_uid[16] = {
	0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
	0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
};
/* [MS-OXCDATA] 2.2.4.3 DLLFileName: 14 bytes, NUL padded */
static const char emsmdb_store_dll[14] = "emsmdb.dll";

/* the longest DN an entry ID carries (an X500 DN is far shorter) */
#define EMSMDB_ENTRYID_MAX_DN 1024

static void emsmdb_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xFF;
	p[1] = v >> 8;
}

static void emsmdb_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = v >> 24;
}

/* the GLOBCNT bytes of @id in wire order */
static void emsmdb_put_globcnt(uint8_t *p, uint64_t id)
{
	int i;

	for (i = 0; i < 6; i++) {
		p[i] = (id >> (16 + 8 * i)) & 0xFF;
	}
}

uint64_t emsmdb_entryid_id(uint16_t replid, const uint8_t globcnt[6])
{
	uint64_t id = replid;
	int i;

	for (i = 0; i < 6; i++) {
		id |= (uint64_t)globcnt[i] << (16 + 8 * i);
	}
	return id;
}

/* Flags, ProviderUID, Type: the first 22 bytes of both layouts */
static void emsmdb_entryid_head(const struct emsmdb_logon *l, uint16_t type,
				uint8_t *out)
{
	memset(out, 0, 4);
	memcpy(out + 4, l->is_private ? l->MailboxGuid : emsmdb_public_provider_uid, 16);
	emsmdb_put_le16(out + 20, type);
}

/* [MS-OXCDATA] 2.2.4.1 Folder EntryID */
void emsmdb_folder_entryid(const struct emsmdb_logon *l, const uint8_t dbguid[16],
			   uint64_t fid, uint8_t out[EMSMDB_FOLDER_ENTRYID_SIZE])
{
	emsmdb_entryid_head(l, l->is_private ? eitLTPrivateFolder : eitLTPublicFolder, out);
	memcpy(out + 22, dbguid, 16);
	emsmdb_put_globcnt(out + 38, fid);
	emsmdb_put_le16(out + 44, 0);
}

/* [MS-OXCDATA] 2.2.4.2 Message EntryID */
void emsmdb_message_entryid(const struct emsmdb_logon *l, const uint8_t fdbguid[16],
			    uint64_t fid, const uint8_t mdbguid[16], uint64_t mid,
			    uint8_t out[EMSMDB_MESSAGE_ENTRYID_SIZE])
{
	emsmdb_entryid_head(l, l->is_private ? eitLTPrivateMessage : eitLTPublicMessage, out);
	memcpy(out + 22, fdbguid, 16);
	emsmdb_put_globcnt(out + 38, fid);
	emsmdb_put_le16(out + 44, 0);
	memcpy(out + 46, mdbguid, 16);
	emsmdb_put_globcnt(out + 62, mid);
	emsmdb_put_le16(out + 68, 0);
}

uint32_t emsmdb_entryid_parse(const uint8_t *data, size_t length,
			      struct emsmdb_entryid *out)
{
	static const uint8_t zero[4] = { 0 };
	bool folder;

	memset(out, 0, sizeof(*out));
	if (data == NULL || (length != EMSMDB_FOLDER_ENTRYID_SIZE &&
			     length != EMSMDB_MESSAGE_ENTRYID_SIZE)) {
		return ecInvalidParam;
	}
	if (memcmp(data, zero, 4) != 0 || data[44] != 0 || data[45] != 0) {
		return ecInvalidParam;
	}
	memcpy(out->ProviderUID, data + 4, 16);
	out->Type = (uint16_t)(data[20] | (data[21] << 8));
	folder = out->Type == eitLTPrivateFolder || out->Type == eitLTPublicFolder;
	if (folder != (length == EMSMDB_FOLDER_ENTRYID_SIZE)) {
		return ecInvalidParam;
	}
	if (!folder && out->Type != eitLTPrivateMessage && out->Type != eitLTPublicMessage) {
		return ecInvalidParam;
	}
	memcpy(out->FolderDatabaseGuid, data + 22, 16);
	memcpy(out->FolderGlobalCounter, data + 38, 6);
	if (folder) {
		return ecSuccess;
	}
	if (data[68] != 0 || data[69] != 0) {
		return ecInvalidParam;
	}
	memcpy(out->MessageDatabaseGuid, data + 46, 16);
	memcpy(out->MessageGlobalCounter, data + 62, 6);
	return ecSuccess;
}

/* [MS-OXCDATA] 2.2.4.3 Store Object EntryID */
uint32_t emsmdb_store_entryid(TALLOC_CTX *mem_ctx, const struct emsmdb_logon *l,
			      const char *server, const char *dn,
			      struct mapistore_binary *out)
{
	size_t slen = server ? strlen(server) : 0;
	size_t dlen = l->is_private && dn ? strlen(dn) : 0;
	size_t len = 4 + 16 + 1 + 1 + 14 + 4 + 16 + 4 + slen + 1;
	uint8_t *p;

	if (slen > EMSMDB_ENTRYID_MAX_DN || dlen > EMSMDB_ENTRYID_MAX_DN) {
		return ecInvalidParam;
	}
	if (l->is_private) {
		len += dlen + 1;	/* MailboxDN: mailbox stores only */
	}
	p = talloc_zero_size(mem_ctx, len);
	if (p == NULL) {
		return ecMAPIOOM;
	}
	out->data = p;
	out->length = len;
	memcpy(p + 4, emsmdb_store_provider_uid, 16);
	/* Version 0, Flag 0 */
	memcpy(p + 22, emsmdb_store_dll, 14);
	/* WrappedFlags 0 */
	memcpy(p + 40, l->is_private ? emsmdb_wrapped_private_uid :
	       emsmdb_wrapped_public_uid, 16);
	emsmdb_put_le32(p + 56, l->is_private ? 0x0000000C : 0x00000006);
	if (slen > 0) {
		memcpy(p + 60, server, slen);
	}
	if (l->is_private && dlen > 0) {
		memcpy(p + 60 + slen + 1, dn, dlen);
	}
	return ecSuccess;
}

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID of a mail user */
uint32_t emsmdb_ab_entryid(TALLOC_CTX *mem_ctx, const char *dn,
			   struct mapistore_binary *out)
{
	size_t dlen = dn ? strlen(dn) : 0;
	uint8_t *p;

	if (dlen > EMSMDB_ENTRYID_MAX_DN) {
		return ecInvalidParam;
	}
	p = talloc_zero_size(mem_ctx, 28 + dlen + 1);
	if (p == NULL) {
		return ecMAPIOOM;
	}
	memcpy(p + 4, emsmdb_ab_provider_uid, 16);
	emsmdb_put_le32(p + 20, 1);		/* Version */
	emsmdb_put_le32(p + 24, 0);		/* Type: DT_MAILUSER */
	if (dlen > 0) {
		memcpy(p + 28, dn, dlen);
	}
	out->data = p;
	out->length = 28 + dlen + 1;
	return ecSuccess;
}

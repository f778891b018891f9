/*
 * [MS-OXCDATA] 2.2 identifiers and EntryIDs, and [MS-OXNSPI] 2.2.9.2
 * ephemeral EntryIDs.
 */
#include <string.h>

#include "oxcdata_ids.h"

/* 2.2.4.3: MUID_STORE_WRAP 38A1BB1005E5101AA1BB08002B2A56C2 */
const uint8_t oxcdata_muid_store_wrap[16] = {
	0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
	0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2,
};
/* 2.2.5.1: 812B1FA4BEA310199D6E00DD010F5402 */
const uint8_t oxcdata_muid_oneoff[16] = {
	0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
	0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02,
};
/* 2.2.5.2: DCA740C8C042101AB4B908002B2FE182 */
const uint8_t oxcdata_muid_addressbook[16] = {
	0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
	0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82,
};
/* 2.2.5.3: FE42AA0A18C71A10E8850B651C240000 */
const uint8_t oxcdata_muid_contab[16] = {
	0xFE, 0x42, 0xAA, 0x0A, 0x18, 0xC7, 0x1A, 0x10,
	0xE8, 0x85, 0x0B, 0x65, 0x1C, 0x24, 0x00, 0x00,
};

enum rop_err oxcdata_pull_ltid(struct oxcdata_pull *pull, struct LongTermID *v)
{
	enum rop_err err = oxcdata_pull_bytes(pull, v->DatabaseGuid, 16);

	if (err == ROP_OK) {
		err = oxcdata_pull_bytes(pull, v->GlobalCounter, 6);
	}
	return err != ROP_OK ? err : oxcdata_pull_u16(pull, &v->Pad);
}

enum rop_err oxcdata_push_ltid(struct oxcdata_push *push, const struct LongTermID *v)
{
	enum rop_err err = oxcdata_push_bytes(push, v->DatabaseGuid, 16);

	if (err == ROP_OK) {
		err = oxcdata_push_bytes(push, v->GlobalCounter, 6);
	}
	return err != ROP_OK ? err : oxcdata_push_u16(push, v->Pad);
}

enum rop_err oxcdata_pull_gid(struct oxcdata_pull *pull, struct GID *v)
{
	enum rop_err err = oxcdata_pull_bytes(pull, v->DatabaseGuid, 16);

	return err != ROP_OK ? err : oxcdata_pull_bytes(pull, v->GlobalCounter, 6);
}

enum rop_err oxcdata_push_gid(struct oxcdata_push *push, const struct GID *v)
{
	enum rop_err err = oxcdata_push_bytes(push, v->DatabaseGuid, 16);

	return err != ROP_OK ? err : oxcdata_push_bytes(push, v->GlobalCounter, 6);
}

enum rop_err oxcdata_pull_xid(struct oxcdata_pull *pull, uint32_t size, struct XID *v)
{
	enum rop_err err;

	memset(v, 0, sizeof(*v));
	if (size < 17 || size > 24) {
		return ROP_ERR_FORMAT;
	}
	err = oxcdata_pull_bytes(pull, v->NamespaceGuid, 16);
	v->LocalIdSize = (uint8_t)(size - 16);
	return err != ROP_OK ? err : oxcdata_pull_bytes(pull, v->LocalId, v->LocalIdSize);
}

enum rop_err oxcdata_push_xid(struct oxcdata_push *push, const struct XID *v)
{
	enum rop_err err;

	if (v->LocalIdSize < 1 || v->LocalIdSize > 8) {
		return ROP_ERR_INVALID;
	}
	err = oxcdata_push_bytes(push, v->NamespaceGuid, 16);
	return err != ROP_OK ? err : oxcdata_push_bytes(push, v->LocalId, v->LocalIdSize);
}

enum rop_err oxcdata_pcl_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
				struct PredecessorChangeList **out)
{
	struct PredecessorChangeList *pcl = talloc_zero(mem_ctx, struct PredecessorChangeList);
	struct oxcdata_pull pull;
	enum rop_err err = ROP_OK;

	*out = NULL;
	if (pcl == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	/* each SizedXid is at least 18 bytes: that bounds the array */
	pcl->Xids = talloc_zero_array(pcl, struct XID, len / 18 + 1);
	if (pcl->Xids == NULL) {
		talloc_free(pcl);
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, pcl, data, len);
	while (err == ROP_OK && oxcdata_pull_remaining(&pull) > 0) {
		uint8_t size;

		err = oxcdata_pull_u8(&pull, &size);
		if (err == ROP_OK) {
			err = oxcdata_pull_xid(&pull, size, &pcl->Xids[pcl->Count]);
		}
		if (err == ROP_OK) {
			pcl->Count++;
		}
	}
	if (err != ROP_OK) {
		talloc_free(pcl);
		return err;
	}
	*out = pcl;
	return ROP_OK;
}

enum rop_err oxcdata_pcl_encode(TALLOC_CTX *mem_ctx, const struct PredecessorChangeList *pcl,
				uint8_t **out, size_t *len_r)
{
	struct oxcdata_push push;
	enum rop_err err = ROP_OK;
	uint32_t i;

	oxcdata_push_init(&push, mem_ctx);
	for (i = 0; err == ROP_OK && i < pcl->Count; i++) {
		err = oxcdata_push_u8(&push, (uint8_t)(16 + pcl->Xids[i].LocalIdSize));
		if (err == ROP_OK) {
			err = oxcdata_push_xid(&push, &pcl->Xids[i]);
		}
	}
	if (err != ROP_OK) {
		talloc_free(push.data);
		return err;
	}
	*out = push.data;
	*len_r = push.size;
	return ROP_OK;
}

static enum rop_err pull_xstr(struct oxcdata_pull *pull, bool unicode, char **out)
{
	return unicode ? oxcdata_pull_str16(pull, out) : oxcdata_pull_str8(pull, out, NULL);
}

static enum rop_err push_xstr(struct oxcdata_push *push, bool unicode, const char *s)
{
	if (s == NULL) {
		return ROP_ERR_INVALID;
	}
	return unicode ? oxcdata_push_str16(push, s) : oxcdata_push_str8(push, s);
}

static enum rop_err pull_entryid_body(struct oxcdata_pull *pull, size_t len, struct EntryID *e)
{
	enum rop_err err = ROP_OK;
	bool u;

	if (e->Flags[0] == 0x87) {
		e->kind = EID_EPHEMERAL;
		err = oxcdata_pull_u32(pull, &e->u.Ephemeral.R4);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.Ephemeral.DisplayType);
		}
		return err != ROP_OK ? err : oxcdata_pull_u32(pull, &e->u.Ephemeral.Mid);
	}
	if (memcmp(e->ProviderUID, oxcdata_muid_store_wrap, 16) == 0) {
		e->kind = EID_STORE_OBJECT;
		err = oxcdata_pull_u8(pull, &e->u.StoreObject.Version);
		if (err == ROP_OK) {
			err = oxcdata_pull_u8(pull, &e->u.StoreObject.Flag);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.StoreObject.DLLFileName, 14);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.StoreObject.WrappedFlags);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.StoreObject.WrappedProviderUID, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.StoreObject.WrappedType);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_str8(pull, &e->u.StoreObject.ServerShortname, NULL);
		}
		if (err == ROP_OK && oxcdata_pull_remaining(pull) > 0) {
			err = oxcdata_pull_str8(pull, &e->u.StoreObject.MailboxDN, NULL);
		}
		return err;
	}
	if (memcmp(e->ProviderUID, oxcdata_muid_oneoff, 16) == 0) {
		e->kind = EID_ONE_OFF;
		err = oxcdata_pull_u16(pull, &e->u.OneOff.Version);
		if (err == ROP_OK) {
			err = oxcdata_pull_u16(pull, &e->u.OneOff.Flags);
		}
		u = (e->u.OneOff.Flags & 0x8000) != 0;
		if (err == ROP_OK) {
			err = pull_xstr(pull, u, &e->u.OneOff.DisplayName);
		}
		if (err == ROP_OK) {
			err = pull_xstr(pull, u, &e->u.OneOff.AddressType);
		}
		return err != ROP_OK ? err : pull_xstr(pull, u, &e->u.OneOff.EmailAddress);
	}
	if (memcmp(e->ProviderUID, oxcdata_muid_addressbook, 16) == 0) {
		e->kind = EID_ADDRESS_BOOK;
		err = oxcdata_pull_u32(pull, &e->u.AddressBook.Version);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.AddressBook.Type);
		}
		return err != ROP_OK ? err : oxcdata_pull_str8(pull, &e->u.AddressBook.X500DN, NULL);
	}
	if (memcmp(e->ProviderUID, oxcdata_muid_contab, 16) == 0) {
		e->kind = EID_CONTACT_ADDRESS;
		err = oxcdata_pull_u32(pull, &e->u.ContactAddress.Version);
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.ContactAddress.Type);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.ContactAddress.Index);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_u32(pull, &e->u.ContactAddress.EntryIdCount);
		}
		return err != ROP_OK ? err :
		       oxcdata_pull_blob(pull, e->u.ContactAddress.EntryIdCount,
					 &e->u.ContactAddress.EntryIdBytes);
	}
	if (len == 46) {
		e->kind = EID_FOLDER;
		err = oxcdata_pull_u16(pull, &e->u.Folder.FolderType);
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Folder.DatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Folder.GlobalCounter, 6);
		}
		return err != ROP_OK ? err : oxcdata_pull_bytes(pull, e->u.Folder.Pad, 2);
	}
	if (len == 70) {
		e->kind = EID_MESSAGE;
		err = oxcdata_pull_u16(pull, &e->u.Message.MessageType);
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Message.FolderDatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Message.FolderGlobalCounter, 6);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Message.Pad1, 2);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Message.MessageDatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_pull_bytes(pull, e->u.Message.MessageGlobalCounter, 6);
		}
		return err != ROP_OK ? err : oxcdata_pull_bytes(pull, e->u.Message.Pad2, 2);
	}
	e->kind = EID_UNKNOWN;
	e->RestSize = (uint32_t)oxcdata_pull_remaining(pull);
	return oxcdata_pull_blob(pull, e->RestSize, &e->Rest);
}

enum rop_err oxcdata_entryid_decode(TALLOC_CTX *mem_ctx, const uint8_t *data, size_t len,
				    struct EntryID **out)
{
	struct EntryID *e = talloc_zero(mem_ctx, struct EntryID);
	struct oxcdata_pull pull;
	enum rop_err err;

	*out = NULL;
	if (e == NULL) {
		return ROP_ERR_NO_MEMORY;
	}
	oxcdata_pull_init(&pull, e, data, len);
	err = oxcdata_pull_bytes(&pull, e->Flags, 4);
	if (err == ROP_OK) {
		err = oxcdata_pull_bytes(&pull, e->ProviderUID, 16);
	}
	if (err == ROP_OK) {
		err = pull_entryid_body(&pull, len, e);
	}
	if (err == ROP_OK && oxcdata_pull_remaining(&pull) != 0) {
		err = ROP_ERR_FORMAT;
	}
	if (err != ROP_OK) {
		talloc_free(e);
		return err;
	}
	*out = e;
	return ROP_OK;
}

static enum rop_err push_entryid_body(struct oxcdata_push *push, const struct EntryID *e)
{
	enum rop_err err = ROP_OK;
	bool u;

	switch (e->kind) {
	case EID_EPHEMERAL:
		err = oxcdata_push_u32(push, e->u.Ephemeral.R4);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.Ephemeral.DisplayType);
		}
		return err != ROP_OK ? err : oxcdata_push_u32(push, e->u.Ephemeral.Mid);
	case EID_STORE_OBJECT:
		err = oxcdata_push_u8(push, e->u.StoreObject.Version);
		if (err == ROP_OK) {
			err = oxcdata_push_u8(push, e->u.StoreObject.Flag);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.StoreObject.DLLFileName, 14);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.StoreObject.WrappedFlags);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.StoreObject.WrappedProviderUID, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.StoreObject.WrappedType);
		}
		if (err == ROP_OK) {
			err = push_xstr(push, false, e->u.StoreObject.ServerShortname);
		}
		if (err == ROP_OK && e->u.StoreObject.MailboxDN != NULL) {
			err = oxcdata_push_str8(push, e->u.StoreObject.MailboxDN);
		}
		return err;
	case EID_ONE_OFF:
		u = (e->u.OneOff.Flags & 0x8000) != 0;
		err = oxcdata_push_u16(push, e->u.OneOff.Version);
		if (err == ROP_OK) {
			err = oxcdata_push_u16(push, e->u.OneOff.Flags);
		}
		if (err == ROP_OK) {
			err = push_xstr(push, u, e->u.OneOff.DisplayName);
		}
		if (err == ROP_OK) {
			err = push_xstr(push, u, e->u.OneOff.AddressType);
		}
		return err != ROP_OK ? err : push_xstr(push, u, e->u.OneOff.EmailAddress);
	case EID_ADDRESS_BOOK:
		err = oxcdata_push_u32(push, e->u.AddressBook.Version);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.AddressBook.Type);
		}
		return err != ROP_OK ? err : push_xstr(push, false, e->u.AddressBook.X500DN);
	case EID_CONTACT_ADDRESS:
		err = oxcdata_push_u32(push, e->u.ContactAddress.Version);
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.ContactAddress.Type);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.ContactAddress.Index);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_u32(push, e->u.ContactAddress.EntryIdCount);
		}
		return err != ROP_OK ? err :
		       oxcdata_push_bytes(push, e->u.ContactAddress.EntryIdBytes,
					  e->u.ContactAddress.EntryIdCount);
	case EID_FOLDER:
		err = oxcdata_push_u16(push, e->u.Folder.FolderType);
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Folder.DatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Folder.GlobalCounter, 6);
		}
		return err != ROP_OK ? err : oxcdata_push_bytes(push, e->u.Folder.Pad, 2);
	case EID_MESSAGE:
		err = oxcdata_push_u16(push, e->u.Message.MessageType);
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Message.FolderDatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Message.FolderGlobalCounter, 6);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Message.Pad1, 2);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Message.MessageDatabaseGuid, 16);
		}
		if (err == ROP_OK) {
			err = oxcdata_push_bytes(push, e->u.Message.MessageGlobalCounter, 6);
		}
		return err != ROP_OK ? err : oxcdata_push_bytes(push, e->u.Message.Pad2, 2);
	case EID_UNKNOWN:
		return oxcdata_push_bytes(push, e->Rest, e->RestSize);
	default:
		return ROP_ERR_INVALID;
	}
}

enum rop_err oxcdata_entryid_encode(TALLOC_CTX *mem_ctx, const struct EntryID *eid,
				    uint8_t **out, size_t *len_r)
{
	struct oxcdata_push push;
	enum rop_err err;

	oxcdata_push_init(&push, mem_ctx);
	err = oxcdata_push_bytes(&push, eid->Flags, 4);
	if (err == ROP_OK) {
		err = oxcdata_push_bytes(&push, eid->ProviderUID, 16);
	}
	if (err == ROP_OK) {
		err = push_entryid_body(&push, eid);
	}
	if (err != ROP_OK) {
		talloc_free(push.data);
		return err;
	}
	*out = push.data;
	*len_r = push.size;
	return ROP_OK;
}

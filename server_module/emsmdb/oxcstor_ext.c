/*
 * [MS-OXCSTOR] Store Object Protocol: RopGetReceiveFolderTable and
 * RopGetPerUserGuid ([MS-OXCROPS] 2.2.3.4, 2.2.3.11). The other logon
 * ROPs are oxcstor.c's.
 */
#include "emsmdb_copy.h"

#include <string.h>

/* [MS-OXCROPS] 2.2.3.4.2: the columns of a receive folder table row;
 * PidTagMessageClass is sent 8-bit */
static const uint32_t rcvfolder_columns[3] = {
	PidTagFolderId, 0x001A001E /* PidTagMessageClass, PtypString8 */,
	PidTagLastModificationTime,
};

/* PidTagLastModificationTime of the receive folder @fid, else its
 * PidTagCreationTime, else 0 (the settings table keeps no time of its own) */
static int64_t emsmdb_rcv_time(struct emsmdb_rop_call *call, uint64_t fid)
{
	static const uint32_t tags[2] = { PidTagLastModificationTime,
					  PidTagCreationTime };
	struct mapistore_property *props = NULL;
	struct emsmdb_folder *f = NULL;
	TALLOC_CTX *tmp = talloc_new(call->mem_ctx);
	int64_t t = 0;

	if (tmp == NULL) {
		return 0;
	}
	if (emsmdb_folder_open(call->session, tmp, call->logon, fid, &f) == ecSuccess &&
	    emsmdb_folder_get_props(call->session, tmp, call->logon, f, tags, 2,
				    &props) == ecSuccess) {
		if (!mapistore_property_is_error(&props[0])) {
			t = props[0].value.i64;
		} else if (!mapistore_property_is_error(&props[1])) {
			t = props[1].value.i64;
		}
	}
	talloc_free(tmp);
	return t;
}

/* [MS-OXCSTOR] 2.2.1.4 RopGetReceiveFolderTable, 3.2.5.4 */
uint32_t oxcstor_RopGetReceiveFolderTable(struct emsmdb_rop_call *call)
{
	struct RopGetReceiveFolderTable_resp *resp =
		&call->resp->u.RopGetReceiveFolderTable;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct openchangedb_receive_folder *entries = NULL;
	struct mapistore_property props[3];
	enum mapistore_error ret;
	uint32_t n = 0, i, ec;

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	ret = openchangedb_receive_folder_list(call->mem_ctx, call->session->ocdb,
					       l->mailbox_owner, &entries, &n);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	resp->Rows = talloc_zero_array(call->mem_ctx, struct PropertyRow, n + 1);
	if (resp->Rows == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < n; i++) {
		memset(props, 0, sizeof(props));
		props[0].proptag = PidTagFolderId;
		props[0].value.i64 = (int64_t)entries[i].fid;
		props[1].proptag = PidTagMessageClass;
		props[1].value.str = entries[i].message_class;
		props[2].proptag = PidTagLastModificationTime;
		props[2].value.i64 = emsmdb_rcv_time(call, entries[i].fid);
		ec = emsmdb_props_to_row(call->mem_ctx, rcvfolder_columns, 3, props,
					 &resp->Rows[i]);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	resp->RowCount = n;
	return ecSuccess;
}

/* [MS-OXCSTOR] 2.2.1.11 RopGetPerUserGuid, 3.2.5.11: per-user data of a
 * public folder is cached per LongTermID; the public store that gave it
 * is this server's, whose REPLGUID is the LongTermID's own */
uint32_t oxcstor_RopGetPerUserGuid(struct emsmdb_rop_call *call)
{
	const struct RopGetPerUserGuid_req *req = &call->req->u.RopGetPerUserGuid;
	struct emsmdb_logon *l = emsmdb_rop_logon(call);
	struct mapistore_binary data = { 0, NULL };
	uint8_t ltid[24];

	if (l == NULL || !l->is_private || l->mailbox_owner == NULL) {
		return ecNotSupported;
	}
	memcpy(ltid, req->LongTermId.DatabaseGuid, 16);
	memcpy(ltid + 16, req->LongTermId.GlobalCounter, 6);
	ltid[22] = req->LongTermId.Pad & 0xFF;
	ltid[23] = req->LongTermId.Pad >> 8;
	if (openchangedb_per_user_get(call->mem_ctx, call->session->ocdb,
				      l->mailbox_owner, ltid, &data) !=
	    MAPISTORE_SUCCESS) {
		return ecNotFound;
	}
	memcpy(call->resp->u.RopGetPerUserGuid.DatabaseGuid,
	       req->LongTermId.DatabaseGuid, 16);
	return ecSuccess;
}

/*
 * [MS-OXOMSG] Email Object Protocol: the transport ROPs ([MS-OXCROPS]
 * 2.2.7) of a server that is its own transport: clients submit, the
 * backend marks the message submitted (mapistore message_submit) and the
 * transport (emsmdb_transport.h, doc/transport.md) delivers it at once.
 * RopAbortSubmit, RopTransportNewMail, RopOptionsData: oxomsg_ext.c.
 * No spooler: RopSetSpooler
 * and RopSpoolerLockMessage belong to clients that are their own
 * transport (their rows answer ecNotSupported).
 */
#include "emsmdb_oxc.h"
#include "emsmdb_transport.h"

#include <stdint.h>
#include <string.h>

/* [MS-OXOMSG] 2.2.3.1.1 SubmitFlags */
#define SubmitFlags_PreProcess 0x01
#define SubmitFlags_NeedsSpooler 0x02

/* [MS-OXOMSG] 2.2.3.1 RopSubmitMessage */
uint32_t oxomsg_RopSubmitMessage(struct emsmdb_rop_call *call)
{
	struct emsmdb_message *m = talloc_get_type(call->in->private_data,
						   struct emsmdb_message);
	uint8_t flags = call->req->u.RopSubmitMessage.SubmitFlags;
	uint32_t ec;

	if (m == NULL) {
		return ecNotSupported;
	}
	if (flags & SubmitFlags_NeedsSpooler) {
		/* nobody here acts as the client's spooler */
		return ecNotSupported;
	}
	if (m->is_new) {
		/* [MS-OXOMSG] 3.2.5.1: a message must be saved to be sent */
		return ecNotFound;
	}
	ec = emsmdb_ms_ec(mapistore_message_submit(m->mm, flags));
	if (ec != ecSuccess) {
		return ec;
	}
	/* [MS-OXOMSG] 3.2.5.1: the server delivers what was submitted */
	return emsmdb_transport_submit(call, m);
}

/* [MS-OXOMSG] 2.2.3.3 RopGetAddressTypes: what recipients may use */
uint32_t oxomsg_RopGetAddressTypes(struct emsmdb_rop_call *call)
{
	static const char *const types[] = { "EX", "SMTP" };
	struct RopGetAddressTypes_resp *resp = &call->resp->u.RopGetAddressTypes;
	size_t i, size = 0;

	resp->AddressTypes = talloc_array(call->mem_ctx, char *, 2);
	if (resp->AddressTypes == NULL) {
		return ecMAPIOOM;
	}
	for (i = 0; i < 2; i++) {
		resp->AddressTypes[i] = (char *)(uintptr_t)types[i];
		size += strlen(types[i]) + 1;
	}
	resp->AddressTypeCount = 2;
	resp->AddressTypeSize = (uint16_t)size;
	return ecSuccess;
}

/* [MS-OXOMSG] 2.2.3.8 RopGetTransportFolder: the Outbox */
uint32_t oxomsg_RopGetTransportFolder(struct emsmdb_rop_call *call)
{
	struct emsmdb_logon *l = emsmdb_rop_logon(call);

	if (l == NULL || !l->is_private) {
		return ecNotSupported;
	}
	/* [MS-OXCSTOR] 2.2.1.1.3: FolderIds[5] is the Outbox */
	call->resp->u.RopGetTransportFolder.FolderId = l->fids[5];
	return ecSuccess;
}

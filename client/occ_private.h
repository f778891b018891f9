/*
 * occ internals: the session structure and Samba's client headers.
 * Never installed.
 */
#ifndef OCC_PRIVATE_H
#define OCC_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <talloc.h>
#include <tevent.h>
#include <util/data_blob.h>
#include <util/time.h>
#include <util/debug.h>
#include <core/ntstatus.h>
#include <charset.h>
#include <ndr.h>
#include <gen_ndr/security.h>
#include <gen_ndr/dcerpc.h>
#include <dcerpc.h>
#include <param.h>
#include <credentials.h>

#include "occ.h"
#include "exchange_emsmdb.h"
#include "ndr_exchange_emsmdb.h"
#include "exchange_async_emsmdb.h"
#include "ndr_exchange_async_emsmdb.h"

/* opnums of [MS-OXCRPC] 3.1.4 and 3.3.4 */
#define OCC_OPNUM_EcDoDisconnect 1
#define OCC_OPNUM_EcDoConnectEx 10
#define OCC_OPNUM_EcDoRpcExt2 11
#define OCC_OPNUM_EcDoAsyncConnectEx 14
#define OCC_OPNUM_EcDoAsyncWaitEx 0

struct occ_session {
	struct occ_params params;
	const char *user_dn;
	struct tevent_context *ev;
	struct loadparm_context *lp_ctx;
	struct cli_credentials *creds;
	struct dcerpc_pipe *pipe;
	struct dcerpc_pipe *async_pipe;
	struct policy_handle handle;
	bool connected;
	uint16_t cxr;
	uint32_t last_fault;
	char *error;
	bool keep_notifications;	/* occ_set_keep_notifications() */
};

#endif /* OCC_PRIVATE_H */

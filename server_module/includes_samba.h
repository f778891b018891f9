/*
 * The Samba headers the module needs, in the order they require.
 * (Samba's public headers are not self-contained.)
 */
#ifndef MAPIPROXY_INCLUDES_SAMBA_H
#define MAPIPROXY_INCLUDES_SAMBA_H

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
#include <gen_ndr/auth.h>
#include <gen_ndr/dcerpc.h>
#include <dcerpc.h>
#include <dcesrv_core.h>
#include <param.h>
#include <tsocket.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif

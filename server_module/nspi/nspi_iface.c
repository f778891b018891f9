/*
 * The exchange_nsp interface ([MS-OXNSPI] 3.1.4): its operation table.
 * The NDR table it decodes with is nspi_ndr.c's; NspiGetTemplateInfo is in
 * nspi_ops_template.c.
 */
#include "nspi_private.h"

static const struct mp_op nspi_ops[NDR_EXCHANGE_NSP_CALL_COUNT] = {
	[NDR_NSPIBIND] = { "NspiBind", nspi_op_NspiBind, 0 },
	[NDR_NSPIUNBIND] = { "NspiUnbind", nspi_op_NspiUnbind, 0 },
	[NDR_NSPIUPDATESTAT] = { "NspiUpdateStat", nspi_op_NspiUpdateStat, 0 },
	[NDR_NSPIQUERYROWS] = { "NspiQueryRows", nspi_op_NspiQueryRows, 0 },
	[NDR_NSPISEEKENTRIES] = { "NspiSeekEntries", nspi_op_NspiSeekEntries, 0 },
	[NDR_NSPIGETMATCHES] = { "NspiGetMatches", nspi_op_NspiGetMatches, 0 },
	[NDR_NSPIRESORTRESTRICTION] = { "NspiResortRestriction",
					nspi_op_NspiResortRestriction, 0 },
	[NDR_NSPIDNTOMID] = { "NspiDNToMId", nspi_op_NspiDNToMId, 0 },
	[NDR_NSPIGETPROPLIST] = { "NspiGetPropList", nspi_op_NspiGetPropList, 0 },
	[NDR_NSPIGETPROPS] = { "NspiGetProps", nspi_op_NspiGetProps, 0 },
	[NDR_NSPICOMPAREMIDS] = { "NspiCompareMIds", nspi_op_NspiCompareMIds, 0 },
	[NDR_NSPIMODPROPS] = { "NspiModProps", nspi_op_NspiModProps, 0 },
	[NDR_NSPIGETSPECIALTABLE] = { "NspiGetSpecialTable",
				      nspi_op_NspiGetSpecialTable, 0 },
	[NDR_NSPIGETTEMPLATEINFO] = { "NspiGetTemplateInfo",
				      nspi_op_NspiGetTemplateInfo, 0 },
	[NDR_NSPIMODLINKATT] = { "NspiModLinkAtt", nspi_op_NspiModLinkAtt, 0 },
	[NDR_NSPIDELETEENTRIES] = { "NspiDeleteEntries",
				    nspi_op_NspiDeleteEntries, 0 },
	[NDR_NSPIQUERYCOLUMNS] = { "NspiQueryColumns", nspi_op_NspiQueryColumns, 0 },
	[NDR_NSPIGETNAMESFROMIDS] = { "NspiGetNamesFromIDs",
				      nspi_op_NspiGetNamesFromIDs, 0 },
	[NDR_NSPIGETIDSFROMNAMES] = { "NspiGetIDsFromNames",
				      nspi_op_NspiGetIDsFromNames, 0 },
	[NDR_NSPIRESOLVENAMES] = { "NspiResolveNames", nspi_op_NspiResolveNames, 0 },
	[NDR_NSPIRESOLVENAMESW] = { "NspiResolveNamesW",
				    nspi_op_NspiResolveNamesW, 0 },
};

const struct mp_iface_def mp_iface_nspi = {
	.name = "exchange_nsp",
	.table = &nspi_table_def,
	.ops = nspi_ops,
	.num_ops = NDR_EXCHANGE_NSP_CALL_COUNT,
	.uses_handles = true,
};

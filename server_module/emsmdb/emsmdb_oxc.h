/*
 * The ROP handlers, one file per specification (oxcstor.c, oxcfold.c,
 * oxctabl.c, oxcprpt.c, oxcmsg.c). Each is an emsmdb_rop_fn (see
 * emsmdb_rop_private.h) named <spec>_<RopName>. Internal.
 */
#ifndef EMSMDB_OXC_H
#define EMSMDB_OXC_H

#include "emsmdb_store.h"

/* oxcstor.c, [MS-OXCSTOR] */
uint32_t oxcstor_RopLogon(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopGetReceiveFolder(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopSetReceiveFolder(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopGetStoreState(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopGetOwningServers(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopPublicFolderIsGhosted(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopLongTermIdFromId(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopIdFromLongTermId(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopGetPerUserLongTermIds(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopReadPerUserInformation(struct emsmdb_rop_call *call);
uint32_t oxcstor_RopWritePerUserInformation(struct emsmdb_rop_call *call);
/** "xxxxxxxx-xxxx-..." -> GUID bytes ([MS-DTYP] 2.3.4); false if malformed. */
bool emsmdb_guid_parse(const char *s, uint8_t out[16]);

/* oxcfold.c, [MS-OXCFOLD] */
uint32_t oxcfold_RopOpenFolder(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopCreateFolder(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopDeleteFolder(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopGetHierarchyTable(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopGetContentsTable(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopDeleteMessages(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopHardDeleteMessages(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopEmptyFolder(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopHardDeleteMessagesAndSubfolders(struct emsmdb_rop_call *call);
uint32_t oxcfold_RopMoveCopyMessages(struct emsmdb_rop_call *call);

/* oxctabl.c, [MS-OXCTABL] */
uint32_t oxctabl_RopSetColumns(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopQueryRows(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopGetStatus(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopQueryPosition(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopSeekRow(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopResetTable(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopQueryColumnsAll(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopAbort(struct emsmdb_rop_call *call);
/* oxctabl_view.c */
uint32_t oxctabl_RopRestrict(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopSortTable(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopCreateBookmark(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopSeekRowBookmark(struct emsmdb_rop_call *call);
uint32_t oxctabl_RopFreeBookmark(struct emsmdb_rop_call *call);
/** A new table object for @folder (the handler's output object). */
uint32_t emsmdb_table_new(struct emsmdb_rop_call *call,
			  enum emsmdb_table_kind kind, uint8_t TableFlags,
			  struct emsmdb_table **table_r);

/* oxcprpt.c, [MS-OXCPRPT] */
uint32_t oxcprpt_RopGetPropertiesSpecific(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopGetPropertiesAll(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopGetPropertiesList(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopSetProperties(struct emsmdb_rop_call *call);
uint32_t oxcprpt_RopDeleteProperties(struct emsmdb_rop_call *call);
/** Properties of any object with properties (logon, folder, message). */
uint32_t emsmdb_object_get_props(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
				 struct emsmdb_object *obj, const uint32_t *tags,
				 uint32_t count, struct mapistore_property **props_r);

/* oxcmsg.c, [MS-OXCMSG] */
uint32_t oxcmsg_RopOpenMessage(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopCreateMessage(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopSaveChangesMessage(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopSetMessageReadFlag(struct emsmdb_rop_call *call);
/* oxcmsg_recip.c */
uint32_t oxcmsg_RopModifyRecipients(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopReadRecipients(struct emsmdb_rop_call *call);
uint32_t oxcmsg_RopRemoveAllRecipients(struct emsmdb_rop_call *call);
/** Fill RecipientCount / RowCount / RecipientRows of a RopOpenMessage. */
uint32_t emsmdb_open_recipients(struct emsmdb_rop_call *call,
				struct emsmdb_message *m,
				struct RopOpenMessage_resp *resp);

/* oxomsg.c, [MS-OXOMSG] */
uint32_t oxomsg_RopSubmitMessage(struct emsmdb_rop_call *call);
uint32_t oxomsg_RopGetAddressTypes(struct emsmdb_rop_call *call);
uint32_t oxomsg_RopGetTransportFolder(struct emsmdb_rop_call *call);

/* oxcnotif.c, [MS-OXCNOTIF] */
uint32_t oxcnotif_RopRegisterNotification(struct emsmdb_rop_call *call);
/** Raise an event of @call's logon for the subscribers (any session). */
void emsmdb_raise(struct emsmdb_rop_call *call, uint16_t type, bool is_message,
		  uint64_t fid, uint64_t mid, uint64_t parent_fid);

#endif /* EMSMDB_OXC_H */

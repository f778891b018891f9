/*
 * [MS-OXOMSG] ROPs beyond submission (oxomsg_ext.c): RopAbortSubmit
 * (2.2.4.2), RopTransportNewMail (2.2.4.6 / [MS-OXCROPS] 2.2.7.7),
 * RopOptionsData (2.2.4.4). emsmdb_rop_fn handlers; internal.
 */
#ifndef OXOMSG_EXT_H
#define OXOMSG_EXT_H

#include "emsmdb_rop_private.h"

/**
 * [MS-OXOMSG] 2.2.4.2 RopAbortSubmit. Submission is synchronous here (the
 * transport has delivered before RopSubmitMessage answers), so there is
 * never a queued submission to take back: ecUnableToAbort for a message
 * that was submitted or sent (mfSubmitted set or mfUnsent clear),
 * ecNotInQueue when the message is not in the folder or is an unsent draft.
 */
uint32_t oxomsg_RopAbortSubmit(struct emsmdb_rop_call *call);

/**
 * [MS-OXOMSG] 2.2.4.6 / [MS-OXCROPS] 2.2.7.7 RopTransportNewMail: raise a
 * NewMail notification for MessageId in FolderId of the logon's mailbox,
 * with the request's MessageClass and MessageFlags. ecNotFound if the
 * folder is not in the mailbox.
 */
uint32_t oxomsg_RopTransportNewMail(struct emsmdb_rop_call *call);

/**
 * [MS-OXOMSG] 2.2.4.4 RopOptionsData: the server has no transport options
 * and no help file for any address type: success with empty OptionsInfo
 * and HelpFile (Reserved 1).
 */
uint32_t oxomsg_RopOptionsData(struct emsmdb_rop_call *call);

#endif /* OXOMSG_EXT_H */

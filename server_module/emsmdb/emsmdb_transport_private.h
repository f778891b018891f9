/*
 * Internals of emsmdb_transport*.c: the [MS-OXPROPS] tags the transport
 * reads and writes, and helpers shared between its files.
 */
#ifndef EMSMDB_TRANSPORT_PRIVATE_H
#define EMSMDB_TRANSPORT_PRIVATE_H

#include <stdint.h>
#include <time.h>

#include "emsmdb_transport.h"

/* recipients ([MS-OXOMSG] 2.2.3, [MS-OXCMSG] 2.2.3.5) */
#define PidTagRecipientType			0x0C150003
#define PidTagAddressType			0x3002001F
#define PidTagEmailAddress			0x3003001F
#define PidTagSmtpAddress			0x39FE001F
/* submission ([MS-OXOMSG] 2.2.3.x) */
#define PidTagClientSubmitTime			0x00390040
#define PidTagMessageDeliveryTime		0x0E060040
#define PidTagDeleteAfterSubmit			0x0E01000B
#define PidTagSentMailEntryId			0x0E0A0102
#define PidTagSentMailSvrEID			0x674000FB
#define PidTagInternetMessageId			0x1035001F
#define PidTagContentFilterSpamConfidenceLevel	0x40760003
#define PidTagMessageLocaleId			0x3FF10003
/* sender and receiver ([MS-OXOMSG] 2.2.1.x) */
#define PidTagSenderName			0x0C1A001F
#define PidTagSenderAddressType			0x0C1E001F
#define PidTagSenderEmailAddress		0x0C1F001F
#define PidTagSenderSmtpAddress			0x5D01001F
#define PidTagSentRepresentingName		0x0042001F
#define PidTagSentRepresentingAddressType	0x0064001F
#define PidTagSentRepresentingEmailAddress	0x0065001F
#define PidTagSentRepresentingSmtpAddress	0x5D02001F
#define PidTagReceivedByName			0x0040001F
#define PidTagReceivedByAddressType		0x0075001F
#define PidTagReceivedByEmailAddress		0x0076001F
#define PidTagReceivedBySmtpAddress		0x5D07001F
#define PidTagReceivedRepresentingName		0x0044001F
#define PidTagReceivedRepresentingAddressType	0x0077001F
#define PidTagReceivedRepresentingEmailAddress	0x0078001F
#define PidTagReceivedRepresentingSmtpAddress	0x5D08001F
/* content */
#define PidTagBody				0x1000001F
#define PidTagHtml				0x10130102
#define PidTagMessageStatus			0x0E170003
/* reports ([MS-OXOMSG] 2.2.2.x) */
#define PidTagOriginalSubject			0x0049001F
#define PidTagReportText			0x1001001F
#define PidTagNonDeliveryReportReasonCode	0x0C040003
#define PidTagNonDeliveryReportDiagCode		0x0C050003
#define PidTagSupplementaryInfo			0x0C1B001F
/* attachments ([MS-OXCMSG] 2.2.2) */
#define PidTagAttachNumber			0x0E210003
#define PidTagAttachMethod			0x37050003
#define PidTagAttachDataBinary			0x37010102
#define PidTagAttachFilename			0x3704001F
#define PidTagAttachLongFilename		0x3707001F
#define PidTagAttachMimeTag			0x370E001F

/* [MS-OXCMSG] 2.2.1.6 PidTagMessageFlags */
#define mfRead		0x00000001
#define mfUnmodified	0x00000002
#define mfSubmitted	0x00000004
#define mfUnsent	0x00000008
#define mfFromMe	0x00000020
/* [MS-OXCMSG] 2.2.2.9 PidTagAttachMethod */
#define afByValue 0x00000001

/** time_t -> FILETIME ([MS-DTYP] 2.3.3). */
int64_t emsmdb_transport_filetime(time_t t);

/**
 * The sender's copy after transport ([MS-OXOMSG] 3.2.5.1): marked sent
 * (mfUnsent and mfSubmitted cleared, mfRead set); deleted when
 * PidTagDeleteAfterSubmit, else moved to the folder of
 * PidTagSentMailSvrEID or PidTagSentMailEntryId (in this mailbox); with
 * neither it stays where it is. Errors are logged, not returned.
 * (emsmdb_transport_deliver.c)
 */
uint32_t emsmdb_transport_file_sent(struct emsmdb_rop_call *call,
				    struct emsmdb_message *m,
				    const struct emsmdb_transport_item *item);

#endif /* EMSMDB_TRANSPORT_PRIVATE_H */

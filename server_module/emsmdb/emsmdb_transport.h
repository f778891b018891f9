/*
 * The server's mail transport ([MS-OXOMSG] 3.2.5.1 "Submitting a Message"
 * and 3.3: the server, not the client, sends what RopSubmitMessage
 * submits). Flow (doc/transport.md):
 *
 *  1. every recipient is resolved in the directory (emsmdb_directory.h):
 *     PidTagAddressType "EX" by legacyExchangeDN, "SMTP" by mail /
 *     proxyAddresses;
 *  2. a recipient with a mailbox on this server gets a copy in its receive
 *     folder for the message class (the Inbox), written through mapistore
 *     under its own user context (its mailbox is provisioned as its first
 *     RopLogon would), with delivery properties set, a new MID and change
 *     number (so ICS sees it), and NewMail + ObjectCreated raised on the
 *     process's notification hub;
 *  3. the others go in one SMTP transaction to mapiproxy:smtp_smarthost;
 *     without a smarthost, or when it refuses them, a non-delivery report
 *     ([MS-OXOMSG] 2.2.2.x report properties, message class
 *     REPORT.IPM.Note.NDR) goes into the sender's Inbox;
 *  4. the sender's copy gets PidTagClientSubmitTime and moves to
 *     PidTagSentMailEntryId's folder or Sent Items, or is deleted when
 *     PidTagDeleteAfterSubmit is set.
 *
 * Everything runs on the submitting session's worker thread, synchronously
 * (so RopAbortSubmit finds nothing left to abort); only directory lookups
 * go to the event loop, inside the lookup hook.
 */
#ifndef EMSMDB_TRANSPORT_H
#define EMSMDB_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

#include "emsmdb_directory.h"
#include "emsmdb_store.h"

/** The process's transport settings (smb.conf, doc/configuration.md). */
struct emsmdb_transport_config {
	/** mapiproxy:smtp_smarthost, "host[:port]"; NULL or "": no relay */
	const char *smarthost;
	/** mapiproxy:smtp_helo_name; NULL: the server's netbios name */
	const char *helo_name;
	/** mapiproxy:smtp_timeout, seconds per SMTP wait (default 30) */
	unsigned smtp_timeout_secs;
	/** recipient resolution; lookup NULL: nobody is local, every
	 *  SMTP recipient is relayed, EX recipients fail */
	struct emsmdb_directory directory;
};

/**
 * Install the process-wide settings: @p cfg is copied by pointer and must
 * live as long as the process. Call once, before sessions submit (the
 * module does it on the event loop when it reads smb.conf; tests before
 * their first RopSubmitMessage). NULL restores the defaults.
 */
void emsmdb_transport_configure(const struct emsmdb_transport_config *cfg);

/** The settings in force (defaults: no smarthost, no directory). */
const struct emsmdb_transport_config *emsmdb_transport_config_get(void);

/**
 * Transport a message just submitted through RopSubmitMessage (already
 * marked submitted by mapistore_message_submit): steps 1-4 above.
 * @p m is the handler's message object; it stays open, its row moved or
 * deleted. Failures to deliver to a recipient are reported (NDR, log),
 * not returned: the submission itself succeeded.
 * @return ecSuccess, or ecMAPIOOM / the store's error when the message
 *         could not even be read.
 */
uint32_t emsmdb_transport_submit(struct emsmdb_rop_call *call,
				 struct emsmdb_message *m);

/* ---- internals shared by emsmdb_transport*.c ---- */

/** The submitted message as read once from the sender's store. */
struct emsmdb_transport_item {
	struct emsmdb_session *session;		/* the sender's */
	struct mapistore_message *mm;
	struct mapistore_property *props;	/* every property of the message */
	uint32_t prop_count;
	struct mapistore_recipient *recipients;
	uint32_t recipient_count;
	/* the sender */
	const char *sender_account;
	const char *sender_name;
	const char *sender_dn;
	const char *sender_smtp;
	int64_t now;				/* FILETIME of the submission */
};

/** A property of @p item's message, or NULL. */
const struct mapistore_property *emsmdb_transport_prop(
	const struct emsmdb_transport_item *item, uint32_t proptag);

/** A string property of recipient @p r, or NULL. */
const char *emsmdb_transport_recip_str(const struct mapistore_recipient *r,
				       uint32_t proptag);

/**
 * emsmdb_transport_deliver.c: write a copy of @p item into the receive
 * folder of @p rcpt's mailbox (provisioned if needed) and raise NewMail
 * and ObjectCreated for it. Also used for NDRs (@p item built by the
 * caller). *@p mid_r gets the new message's MID.
 */
uint32_t emsmdb_transport_deliver(const struct emsmdb_transport_item *item,
				  const struct emsmdb_directory_entry *rcpt,
				  uint64_t *mid_r);

/** A failed recipient, for the NDR. */
struct emsmdb_transport_failure {
	const struct mapistore_recipient *recipient;
	const char *diagnostic;		/* shown to the sender */
};

/**
 * emsmdb_transport_relay.c: send @p item to @p rcpts (SMTP addresses,
 * @p types their PidTagRecipientType) through the smarthost. Recipients
 * that could not be relayed are appended to @p failed (array on
 * @p mem_ctx, *@p failed_count updated).
 */
void emsmdb_transport_relay(TALLOC_CTX *mem_ctx,
			    const struct emsmdb_transport_item *item,
			    const struct mapistore_recipient *const *rcpts,
			    const char *const *addresses, uint32_t count,
			    struct emsmdb_transport_failure **failed,
			    uint32_t *failed_count);

/**
 * emsmdb_transport_ndr.c: a non-delivery report ([MS-OXOMSG] 2.2.2.x,
 * 3.3.5.x) for @p failed into the sender's receive folder.
 */
void emsmdb_transport_ndr(const struct emsmdb_transport_item *item,
			  const struct emsmdb_transport_failure *failed,
			  uint32_t count);

/** Append @p r / @p why to the failure list (on @p mem_ctx). */
void emsmdb_transport_fail(TALLOC_CTX *mem_ctx,
			   struct emsmdb_transport_failure **failed,
			   uint32_t *count, const struct mapistore_recipient *r,
			   const char *why);

/* ---- the module's glue (emsmdb_transport_glue.c, Samba side) ---- */
struct mp_call;
/**
 * Event loop, once: read the mapiproxy:smtp_* options of smb.conf and
 * install the sam.ldb directory (system session) with
 * emsmdb_transport_configure().
 */
void emsmdb_transport_glue_init(struct mp_call *call);

#endif /* EMSMDB_TRANSPORT_H */

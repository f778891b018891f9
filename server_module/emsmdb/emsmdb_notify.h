/*
 * EMSMDB notifications ([MS-OXCNOTIF]): subscriptions made with
 * RopRegisterNotification, events raised by the handlers of any session,
 * and their delivery as RopNotify responses at the end of the subscriber's
 * next ROP buffer ([MS-OXCNOTIF] 3.2.5.1, [MS-OXCROPS] 2.2.14.2), with
 * EcDoAsyncWaitEx woken ([MS-OXCRPC] 3.3.4.1).
 *
 * Threads: events are raised on the worker of one session and queued for
 * others, so the hub (the subscriptions of the process and each session's
 * queue) is guarded by one mutex; nothing else here is shared. A
 * subscription leaves the hub when its object is freed (destructor); a
 * session's queue is freed with the session.
 */
#ifndef EMSMDB_NOTIFY_H
#define EMSMDB_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

struct emsmdb_session;
struct emsmdb_object;
struct oxcdata_push;

/** An event as a handler raises it. */
struct emsmdb_event {
	const char *mailbox;		/* owner of the mailbox it happened in */
	uint16_t type;			/* fnevObjectCreated, ... (rop.h) */
	bool is_message;
	uint64_t fid;			/* the folder (of the message) */
	uint64_t mid;			/* the message, 0 for a folder event */
	uint64_t parent_fid;		/* a folder event's parent */
	uint32_t message_flags;		/* fnevNewMail */
	const char *message_class;	/* fnevNewMail */
};

/**
 * Make @obj (a new EMSMDB_OBJECT_SUBSCRIPTION of @s) a subscription to
 * @types on the whole store or on @fid / @mid of @mailbox.
 * @return 0 or ecMAPIOOM.
 */
uint32_t emsmdb_notify_subscribe(struct emsmdb_session *s,
				 struct emsmdb_object *obj, uint8_t LogonId,
				 const char *mailbox, uint16_t types,
				 bool whole_store, uint64_t fid, uint64_t mid);

/**
 * Queue @ev for every matching subscription of every session (any
 * thread), then wake their EcDoAsyncWaitEx through the config's wake hook.
 */
void emsmdb_notify_post(struct emsmdb_session *from, const struct emsmdb_event *ev);

/**
 * Make the open table @obj (contents or, with @hierarchy, hierarchy table
 * of folder @fid of @mailbox) receive TableModified / TABLE_CHANGED when
 * the folder's messages or subfolders change ([MS-OXCNOTIF] 3.1.4.3; at
 * most one waits per table). Ends with the table object.
 * @return 0 or ecMAPIOOM.
 */
uint32_t emsmdb_notify_subscribe_table(struct emsmdb_session *s,
				       struct emsmdb_object *obj, uint8_t LogonId,
				       const char *mailbox, bool hierarchy, uint64_t fid);

/** True when @s has events not yet sent (any thread). */
bool emsmdb_notify_pending(struct emsmdb_session *s);

/** The SessionIndex RopPending names for @p s: the low 16 bits of its
 *  session context handle (CXR), which the client knows from EcDoConnectEx. */
uint16_t emsmdb_notify_session_index(const struct emsmdb_session *s);

/**
 * Append queued events of @s as RopNotify responses to @push while the
 * buffer stays within @max bytes; the rest stays queued.
 */
void emsmdb_notify_flush(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			 struct oxcdata_push *push, size_t max);

/** Drop @s's queue (session end). */
void emsmdb_notify_session_free(struct emsmdb_session *s);

#endif /* EMSMDB_NOTIFY_H */

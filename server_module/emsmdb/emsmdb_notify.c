/*
 * The notification hub: subscriptions of every session, per-session event
 * queues, delivery as RopNotify ([MS-OXCNOTIF] 3.2.5, [MS-OXCROPS]
 * 2.2.14.2). Contract in emsmdb_notify.h. One mutex guards the list of
 * subscriptions and every queue (their talloc trees included).
 */
#include "emsmdb_notify.h"
#include "emsmdb_rop_private.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* RopNotify: RopId, NotificationHandle, LogonId and the smallest data */
#define EMSMDB_NOTIFY_MIN 8
/* sessions woken by one event before the rest wait for their next call */
#define EMSMDB_WAKE_MAX 64

struct emsmdb_queued {
	struct emsmdb_queued *next;
	uint32_t handle;
	uint8_t LogonId;
	bool table;			/* TableModified for the table @handle */
	struct emsmdb_event ev;		/* strings are children of this */
};

struct emsmdb_notify_queue {
	struct emsmdb_queued *head, *tail;
	uint32_t count;
};

struct emsmdb_sub {
	struct emsmdb_sub *prev, *next;
	struct emsmdb_notify_queue *q;
	const struct emsmdb_config *cfg;
	uint16_t cxr;
	uint32_t handle;
	uint8_t LogonId;
	char *mailbox;
	uint16_t types;
	bool whole_store;
	uint64_t fid, mid;
	/* an open table ([MS-OXCNOTIF] 3.1.4.3): TableModified when the
	 * folder's messages (contents) or subfolders (hierarchy) change */
	bool table, hierarchy;
};

static pthread_mutex_t emsmdb_hub_lock = PTHREAD_MUTEX_INITIALIZER;
static struct emsmdb_sub *emsmdb_hub;

/* the queue limit per session: older events are dropped beyond it */
#define EMSMDB_QUEUE_MAX 1024

static int emsmdb_sub_destructor(struct emsmdb_sub *sub)
{
	pthread_mutex_lock(&emsmdb_hub_lock);
	if (sub->prev != NULL) {
		sub->prev->next = sub->next;
	} else if (emsmdb_hub == sub) {
		emsmdb_hub = sub->next;
	}
	if (sub->next != NULL) {
		sub->next->prev = sub->prev;
	}
	pthread_mutex_unlock(&emsmdb_hub_lock);
	return 0;
}

/* a new subscription of @obj, complete before it joins the hub */
static uint32_t emsmdb_sub_add(struct emsmdb_session *s, struct emsmdb_object *obj,
			       uint8_t LogonId, const char *mailbox, uint16_t types,
			       bool whole_store, uint64_t fid, uint64_t mid,
			       bool table, bool hierarchy)
{
	struct emsmdb_sub *sub;

	if (s->notify == NULL) {
		/* its own root: other sessions' workers append to it */
		s->notify = talloc_zero(NULL, struct emsmdb_notify_queue);
		if (s->notify == NULL) {
			return ecMAPIOOM;
		}
	}
	sub = talloc_zero(obj, struct emsmdb_sub);
	if (sub == NULL) {
		return ecMAPIOOM;
	}
	sub->mailbox = talloc_strdup(sub, mailbox ? mailbox : "");
	if (sub->mailbox == NULL) {
		talloc_free(sub);
		return ecMAPIOOM;
	}
	sub->q = s->notify;
	sub->cfg = s->config;
	sub->cxr = s->cxr;
	sub->handle = obj->handle;
	sub->LogonId = LogonId;
	sub->types = types;
	sub->whole_store = whole_store;
	sub->fid = fid;
	sub->mid = mid;
	sub->table = table;
	sub->hierarchy = hierarchy;
	pthread_mutex_lock(&emsmdb_hub_lock);
	sub->next = emsmdb_hub;
	if (emsmdb_hub != NULL) {
		emsmdb_hub->prev = sub;
	}
	emsmdb_hub = sub;
	pthread_mutex_unlock(&emsmdb_hub_lock);
	talloc_set_destructor(sub, emsmdb_sub_destructor);
	return ecSuccess;
}

uint32_t emsmdb_notify_subscribe(struct emsmdb_session *s,
				 struct emsmdb_object *obj, uint8_t LogonId,
				 const char *mailbox, uint16_t types,
				 bool whole_store, uint64_t fid, uint64_t mid)
{
	return emsmdb_sub_add(s, obj, LogonId, mailbox, types, whole_store, fid, mid,
			      false, false);
}

uint32_t emsmdb_notify_subscribe_table(struct emsmdb_session *s,
				       struct emsmdb_object *obj, uint8_t LogonId,
				       const char *mailbox, bool hierarchy, uint64_t fid)
{
	return emsmdb_sub_add(s, obj, LogonId, mailbox,
			      fnevObjectCreated | fnevObjectDeleted | fnevObjectModified |
			      fnevObjectMoved | fnevObjectCopied, false, fid, 0, true, hierarchy);
}

static bool emsmdb_sub_matches(const struct emsmdb_sub *sub,
			       const struct emsmdb_event *ev)
{
	if (!(sub->types & ev->type) || strcmp(sub->mailbox, ev->mailbox) != 0) {
		return false;
	}
	if (sub->table) {
		return sub->hierarchy ? !ev->is_message && ev->parent_fid == sub->fid :
					ev->is_message && ev->fid == sub->fid;
	}
	if (sub->whole_store) {
		return true;
	}
	/* [MS-OXCNOTIF] 3.2.5.1: events on a folder, its messages (or the
	 * one message subscribed to), and its new or deleted subfolders */
	if (sub->mid != 0) {
		return ev->is_message && ev->mid == sub->mid;
	}
	return ev->fid == sub->fid || (!ev->is_message && ev->parent_fid == sub->fid);
}

/* under the lock: a copy of @ev at the tail of @sub's queue */
static void emsmdb_queue_add(struct emsmdb_sub *sub, const struct emsmdb_event *ev)
{
	struct emsmdb_notify_queue *q = sub->q;
	struct emsmdb_queued *item;

	if (q->count >= EMSMDB_QUEUE_MAX) {
		return;
	}
	if (sub->table) {
		/* one TABLE_CHANGED waiting per table is enough: the client
		 * re-reads the whole table */
		for (item = q->head; item != NULL; item = item->next) {
			if (item->table && item->handle == sub->handle) {
				return;
			}
		}
	}
	item = talloc_zero(q, struct emsmdb_queued);
	if (item == NULL) {
		return;
	}
	item->handle = sub->handle;
	item->table = sub->table;
	item->LogonId = sub->LogonId;
	item->ev = *ev;
	item->ev.mailbox = NULL;
	item->ev.message_class = ev->message_class ?
		talloc_strdup(item, ev->message_class) : NULL;
	if (q->tail != NULL) {
		q->tail->next = item;
	} else {
		q->head = item;
	}
	q->tail = item;
	q->count++;
}

void emsmdb_notify_post(struct emsmdb_session *from, const struct emsmdb_event *ev)
{
	uint16_t wake[EMSMDB_WAKE_MAX];
	void (*wake_fn)(uint16_t cxr) = from->config->wake;
	struct emsmdb_sub *sub;
	unsigned nwake = 0, i;

	if (ev->mailbox == NULL) {
		return;
	}
	pthread_mutex_lock(&emsmdb_hub_lock);
	for (sub = emsmdb_hub; sub != NULL; sub = sub->next) {
		if (!emsmdb_sub_matches(sub, ev)) {
			continue;
		}
		emsmdb_queue_add(sub, ev);
		for (i = 0; i < nwake && wake[i] != sub->cxr; i++) {
		}
		if (i == nwake && nwake < EMSMDB_WAKE_MAX) {
			wake[nwake++] = sub->cxr;
		}
	}
	pthread_mutex_unlock(&emsmdb_hub_lock);
	for (i = 0; wake_fn != NULL && i < nwake; i++) {
		wake_fn(wake[i]);
	}
}

bool emsmdb_notify_pending(struct emsmdb_session *s)
{
	bool pending;

	if (s->notify == NULL) {
		return false;
	}
	pthread_mutex_lock(&emsmdb_hub_lock);
	pending = s->notify->count > 0;
	pthread_mutex_unlock(&emsmdb_hub_lock);
	return pending;
}

static void emsmdb_notify_data(const struct emsmdb_event *ev,
			       struct NotificationData *nd)
{
	memset(nd, 0, sizeof(*nd));
	nd->NotificationFlags = ev->type | (ev->is_message ? NotificationFlags_M : 0);
	nd->FolderId = ev->fid;
	nd->MessageId = ev->mid;
	nd->ParentFolderId = ev->parent_fid;
	/* all properties may have changed ([MS-OXCROPS] 2.2.14.2.1.1) */
	nd->TagCount = 0xFFFF;
	nd->MessageFlags = ev->message_flags;
	nd->UnicodeFlag = 1;
	nd->MessageClass = (char *)(uintptr_t)(ev->message_class ?
					       ev->message_class : "IPM.Note");
}

uint16_t emsmdb_notify_session_index(const struct emsmdb_session *s)
{
	return s->cxr;
}

void emsmdb_notify_flush(struct emsmdb_session *s, TALLOC_CTX *mem_ctx,
			 struct oxcdata_push *push, size_t max)
{
	struct emsmdb_notify_queue *q = s->notify;
	struct emsmdb_queued *list, *item;
	struct rop_ctx ctx = { .codepage = s->cpid };
	TALLOC_CTX *frame;

	if (q == NULL || push->size + EMSMDB_NOTIFY_MIN > max) {
		return;
	}
	frame = talloc_new(mem_ctx);
	if (frame == NULL) {
		return;
	}
	pthread_mutex_lock(&emsmdb_hub_lock);
	list = q->head;
	q->head = q->tail = NULL;
	q->count = 0;
	for (item = list; item != NULL; item = item->next) {
		talloc_steal(frame, item);
	}
	pthread_mutex_unlock(&emsmdb_hub_lock);

	for (item = list; item != NULL; item = item->next) {
		struct rop_response resp;
		size_t before = push->size;

		memset(&resp, 0, sizeof(resp));
		resp.RopId = RopNotify;
		resp.u.RopNotify.NotificationHandle = item->handle;
		resp.u.RopNotify.LogonId = item->LogonId;
		if (item->table) {
			/* [MS-OXCNOTIF] 2.2.1.4.1.2: TABLE_CHANGED, no row data */
			memset(&resp.u.RopNotify.NotificationData, 0,
			       sizeof(resp.u.RopNotify.NotificationData));
			resp.u.RopNotify.NotificationData.NotificationFlags = fnevTableModified;
			resp.u.RopNotify.NotificationData.TableEventType =
				TableEventType_TableChanged;
		} else {
			emsmdb_notify_data(&item->ev, &resp.u.RopNotify.NotificationData);
		}
		if (rop_response_push(push, &ctx, &resp) != ROP_OK || push->size > max) {
			push->size = before;
			break;
		}
	}
	if (item != NULL) {
		/* what did not fit waits for the next call, first in line, and
		 * RopPending says so if it fits ([MS-OXCNOTIF] 3.1.5.7,
		 * [MS-OXCROPS] 2.2.14.3) */
		struct emsmdb_queued *last = item;
		struct rop_response pending;
		size_t before = push->size;
		uint32_t n = 0;

		memset(&pending, 0, sizeof(pending));
		pending.RopId = RopPending;
		pending.u.RopPending.SessionIndex = emsmdb_notify_session_index(s);
		if (rop_response_push(push, &ctx, &pending) != ROP_OK || push->size > max) {
			push->size = before;
		}

		pthread_mutex_lock(&emsmdb_hub_lock);
		for (last = item; ; last = last->next) {
			talloc_steal(q, last);
			n++;
			if (last->next == NULL) {
				break;
			}
		}
		last->next = q->head;
		if (q->head == NULL) {
			q->tail = last;
		}
		q->head = item;
		q->count += n;
		pthread_mutex_unlock(&emsmdb_hub_lock);
	}
	talloc_free(frame);
}

void emsmdb_notify_session_free(struct emsmdb_session *s)
{
	/* the subscriptions went with the session's objects already */
	pthread_mutex_lock(&emsmdb_hub_lock);
	TALLOC_FREE(s->notify);
	pthread_mutex_unlock(&emsmdb_hub_lock);
}

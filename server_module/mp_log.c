/*
 * Logging that is safe from worker threads.
 *
 * Samba's DEBUG machinery formats into shared static buffers and is not
 * thread-safe, so worker threads never call it: their lines are queued
 * (plain malloc, under a mutex) and written by the event loop when it next
 * flushes, which the work queue does after every completed job.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mp_dbgc = DBGC_ALL;

static __thread bool mp_is_worker_thread;

struct mp_log_line {
	struct mp_log_line *next;
	int level;
	char text[];
};

static pthread_mutex_t mp_log_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct mp_log_line *mp_log_head, *mp_log_tail;
static unsigned mp_log_dropped;

/* bound on queued lines, so a log storm cannot eat the DC's memory */
#define MP_LOG_MAX_QUEUED 4096
static unsigned mp_log_queued;

void mp_log_init(void)
{
	int c = debug_add_class("mapiproxy");

	if (c != -1) {
		mp_dbgc = c;
	}
}

bool mp_on_loop_thread(void)
{
	return !mp_is_worker_thread;
}

void mp_log_mark_worker_thread(void)
{
	mp_is_worker_thread = true;
}

static void mp_log_emit(int level, const char *text)
{
	DEBUGC(mp_dbgc, level, ("mapiproxy: %s\n", text));
}

void mp_log(enum mp_log_level level, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	struct mp_log_line *line;
	size_t len;

	if (mp_on_loop_thread() && !CHECK_DEBUGLVLC(mp_dbgc, (int)level)) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	if (mp_on_loop_thread()) {
		mp_log_emit(level, buf);
		return;
	}

	len = strlen(buf);
	line = malloc(sizeof(*line) + len + 1);
	pthread_mutex_lock(&mp_log_mutex);
	if (line == NULL || mp_log_queued >= MP_LOG_MAX_QUEUED) {
		mp_log_dropped++;
		pthread_mutex_unlock(&mp_log_mutex);
		free(line);
		return;
	}
	line->next = NULL;
	line->level = level;
	memcpy(line->text, buf, len + 1);
	if (mp_log_tail != NULL) {
		mp_log_tail->next = line;
	} else {
		mp_log_head = line;
	}
	mp_log_tail = line;
	mp_log_queued++;
	pthread_mutex_unlock(&mp_log_mutex);
}

void mp_log_flush(void)
{
	struct mp_log_line *list, *next;
	unsigned dropped;

	pthread_mutex_lock(&mp_log_mutex);
	list = mp_log_head;
	mp_log_head = mp_log_tail = NULL;
	mp_log_queued = 0;
	dropped = mp_log_dropped;
	mp_log_dropped = 0;
	pthread_mutex_unlock(&mp_log_mutex);

	for (; list != NULL; list = next) {
		next = list->next;
		if (CHECK_DEBUGLVLC(mp_dbgc, list->level)) {
			mp_log_emit(list->level, list->text);
		}
		free(list);
	}
	if (dropped != 0) {
		DEBUGC(mp_dbgc, 1, ("mapiproxy: %u log lines from worker "
				    "threads dropped (queue full)\n", dropped));
	}
}

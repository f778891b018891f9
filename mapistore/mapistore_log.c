/*
 * Process-wide logging hook. The server installs a thread-safe logger
 * (Samba's DBG_* with the "mapistore" class); the default writes to
 * stderr. The level is read without the lock (an int, set rarely).
 */
#include "mapistore_private.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static mapistore_log_fn log_fn;
static void *log_private;
static volatile int log_level = MAPISTORE_LOG_WARNING;

void mapistore_set_log_fn(mapistore_log_fn fn, void *private_data)
{
	pthread_mutex_lock(&log_lock);
	log_fn = fn;
	log_private = private_data;
	pthread_mutex_unlock(&log_lock);
}

void mapistore_set_log_level(int level)
{
	log_level = level;
}

static void log_va(enum mapistore_log_level level, const char *prefix,
		   const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

static void log_va(enum mapistore_log_level level, const char *prefix,
		   const char *fmt, va_list ap)
{
	char msg[1024];
	int n = 0;

	if ((int)level > log_level) {
		return;
	}
	if (prefix != NULL) {
		n = snprintf(msg, sizeof(msg), "%s: ", prefix);
		if (n < 0 || (size_t)n >= sizeof(msg)) {
			n = 0;
		}
	}
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_fn != NULL) {
		log_fn(log_private, level, msg);
	} else {
		fprintf(stderr, "mapistore[%d]: %s\n", (int)level, msg);
	}
	pthread_mutex_unlock(&log_lock);
}

void mapistore_log(enum mapistore_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(level, NULL, fmt, ap);
	va_end(ap);
}

void mapistore_backend_log(enum mapistore_log_level level, const char *backend,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(level, backend, fmt, ap);
	va_end(ap);
}

uint64_t mapistore_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

enum mapistore_error mapistore_trace(struct mapistore_context *ctx,
	const struct mapistore_backend_ops *ops, const char *hook,
	uint64_t start_ns, enum mapistore_error ret)
{
	uint64_t elapsed = mapistore_now_ns() - start_ns;

	if ((int)ret < 0 || ret >= MAPISTORE_ERR_MAX) {
		mapistore_log(MAPISTORE_LOG_WARNING, "backend %s: %s returned invalid error %d",
			      ops->name, hook, (int)ret);
		ret = MAPISTORE_ERR_CORRUPTED;
	}
	if (ret != MAPISTORE_SUCCESS && ret != MAPISTORE_ERR_NOT_FOUND && ctx != NULL) {
		mapistore_set_errmsg(ctx, "backend %s: %s: %s", ops->name, hook,
				     mapistore_errstr(ret));
	}
	if (log_level >= MAPISTORE_LOG_DEBUG) {
		mapistore_log(MAPISTORE_LOG_DEBUG, "%s.%s -> %s (%llu us)", ops->name, hook,
			      mapistore_errstr(ret), (unsigned long long)(elapsed / 1000));
	}
	return ret;
}

void mapistore_set_errmsg(struct mapistore_context *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
}

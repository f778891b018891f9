/* EMSMDB core logging shim; contract in emsmdb_log.h. */
#include "emsmdb_log.h"

#include <stdarg.h>
#include <stdio.h>

static emsmdb_log_fn emsmdb_log_sink;
static enum emsmdb_log_level emsmdb_log_max = EMSMDB_LOG_ERR;

void emsmdb_log_set(emsmdb_log_fn fn, enum emsmdb_log_level max_level)
{
	emsmdb_log_sink = fn;
	emsmdb_log_max = max_level;
}

void emsmdb_log(enum emsmdb_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (emsmdb_log_sink == NULL || level > emsmdb_log_max) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emsmdb_log_sink(level, line);
}

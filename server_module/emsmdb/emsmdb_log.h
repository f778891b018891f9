/*
 * EMSMDB logging that the Samba-free core can call from worker threads.
 * The module routes it to mp_log() (emsmdb_rpc.c); unit tests and fuzzers
 * leave it unset (nothing is written). Never log passwords or message
 * bodies above EMSMDB_LOG_DEBUG.
 */
#ifndef EMSMDB_LOG_H
#define EMSMDB_LOG_H

/* the levels of mp_log / Samba's DBG_* */
enum emsmdb_log_level {
	EMSMDB_LOG_ERR = 0, EMSMDB_LOG_WARNING = 1, EMSMDB_LOG_NOTICE = 3,
	EMSMDB_LOG_INFO = 5, EMSMDB_LOG_DEBUG = 10,
};

/** Receives formatted lines; must be safe on any thread. */
typedef void (*emsmdb_log_fn)(enum emsmdb_log_level level, const char *line);

/** Install @fn; lines above @max_level are not even formatted. */
void emsmdb_log_set(emsmdb_log_fn fn, enum emsmdb_log_level max_level);

void emsmdb_log(enum emsmdb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* EMSMDB_LOG_H */

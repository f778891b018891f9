/*
 * The process-wide EMSMDB configuration, read once from smb.conf on the
 * event loop (doc/emsmdb.md lists the options), and the routing of the
 * core's and mapistore's log lines to mp_log.
 */
#include "includes_samba.h"
#include "mapiproxy_private.h"
#include "emsmdb_glue.h"

#include <string.h>

#include "emsmdb_log.h"
#include "emsmdb_transport.h"
#include "mapistore.h"
#include "memory_private.h"

/* backends/local/local_backend.c: the embedded default store, built in */
enum mapistore_error mapistore_local_backend_register(void);

/* mapistore keys snapshotted from smb.conf ("section:name" form), so that
 * worker threads never touch loadparm */
static const char *const emsmdb_mapistore_keys[] = {
	"mapistore:backends_path", "mapistore:data_path",
	"mapiproxy:openchangedb", "mapistore:indexing_backend",
	"mapistore:namedproperties", "namedproperties:mysql_user",
	"namedproperties:mysql_host", "namedproperties:mysql_db",
	"namedproperties:mysql_pass", "namedproperties:mysql_port",
	"namedproperties:mysql_sock",
};
#define EMSMDB_NKEYS ARRAY_SIZE(emsmdb_mapistore_keys)

struct emsmdb_glue_state {
	struct emsmdb_config cfg;
	struct mapistore_config mcfg;
	const char *values[EMSMDB_NKEYS];
	const char *private_dir;
};

static struct emsmdb_glue_state *emsmdb_glue;

/* loop: complete the parked EcDoAsyncWaitEx of a session with new events */
static void emsmdb_wake_loop(void *arg)
{
	struct emsmdb_session *s = emsmdb_registry_find_cxr(*(uint16_t *)arg);

	if (s != NULL) {
		emsmdb_async_notify(s);
	}
}

/* any thread: events were queued for session @cxr */
static void emsmdb_glue_wake(uint16_t cxr)
{
	mp_loop_call(emsmdb_wake_loop, &cxr);
}

static const char *emsmdb_mapistore_get(void *private_data, const char *key)
{
	struct emsmdb_glue_state *g = private_data;
	size_t i;

	if (strcmp(key, "private dir") == 0) {
		return g->private_dir;
	}
	for (i = 0; i < EMSMDB_NKEYS; i++) {
		if (strcmp(key, emsmdb_mapistore_keys[i]) == 0) {
			return g->values[i];
		}
	}
	return NULL;
}

static void emsmdb_log_to_mp(enum emsmdb_log_level level, const char *line)
{
	mp_log((enum mp_log_level)level, "emsmdb: %s", line);
}

static void emsmdb_mapistore_log(void *private_data,
				 enum mapistore_log_level level, const char *msg)
{
	mp_log((enum mp_log_level)level, "mapistore: %s", msg);
}

static struct emsmdb_glue_state *emsmdb_glue_init(struct mp_call *call)
{
	struct loadparm_context *lp = call->lp_ctx;
	struct emsmdb_glue_state *g;
	uint32_t loaded = 0;
	size_t i;
	int n;

	g = talloc_zero(NULL, struct emsmdb_glue_state);
	if (g == NULL) {
		return NULL;
	}
	emsmdb_config_default(&g->cfg);
	g->cfg.netbios_name = talloc_strdup(g, call->server->netbios_name);
	g->cfg.organization = talloc_strdup(g, call->server->organization);
	g->cfg.admin_group = talloc_strdup(g, call->server->admin_group);
	g->cfg.require_privacy = lpcfg_parm_bool(lp, NULL, "dcerpc_mapiproxy",
						 "emsmdb_require_privacy", false);
	n = lpcfg_parm_int(lp, NULL, "dcerpc_mapiproxy", "emsmdb_max_objects",
			   (int)g->cfg.limits.max_objects);
	if (n > 0) {
		g->cfg.limits.max_objects = (uint32_t)n;
	}
	n = lpcfg_parm_int(lp, NULL, "dcerpc_mapiproxy", "emsmdb_async_wait_timeout",
			   (int)g->cfg.async_wait_secs);
	if (n > 0 && n <= 300) {
		g->cfg.async_wait_secs = (uint32_t)n;
	}
	g->cfg.default_backend = talloc_strdup(g, lpcfg_parm_string(lp, NULL,
		"mapistore", "default_backend") ?: "local");
	g->private_dir = talloc_strdup(g, lpcfg_private_dir(lp));
	for (i = 0; i < EMSMDB_NKEYS; i++) {
		char *sect = talloc_strdup(g, emsmdb_mapistore_keys[i]);
		char *colon = sect != NULL ? strchr(sect, ':') : NULL;
		const char *v;

		if (colon == NULL) {
			talloc_free(g);
			return NULL;
		}
		*colon = '\0';
		v = lpcfg_parm_string(lp, NULL, sect, colon + 1);
		g->values[i] = v != NULL ? talloc_strdup(g, v) : NULL;
		talloc_free(sect);
	}
	g->mcfg.get = emsmdb_mapistore_get;
	g->mcfg.private_data = g;
	g->cfg.mapistore = &g->mcfg;
	g->cfg.wake = emsmdb_glue_wake;

	emsmdb_log_set(emsmdb_log_to_mp,
		       (enum emsmdb_log_level)debuglevel_get_class(mp_dbgc));
	mapistore_set_log_fn(emsmdb_mapistore_log, NULL);
	/*
	 * Built in: the embedded default store ("local") and the reference
	 * backend ("memory") are linked into mapiproxy.so, so a server works
	 * with nothing but the module installed. mapistore:backends_path is
	 * for further backends.
	 */
	if (mapistore_backend_lookup("local") == NULL &&
	    mapistore_local_backend_register() != MAPISTORE_SUCCESS) {
		mp_log(MP_LOG_ERR, "emsmdb: cannot register the local backend");
	}
	if (mapistore_backend_lookup("memory") == NULL &&
	    mapistore_memory_backend_register() != MAPISTORE_SUCCESS) {
		mp_log(MP_LOG_ERR, "emsmdb: cannot register the memory backend");
	}
	if (mapistore_backends_load(g->values[0], &loaded) != MAPISTORE_SUCCESS) {
		mp_log(MP_LOG_WARNING, "emsmdb: no mapistore backends directory "
		       "(%s)", g->values[0] ?: "default");
	}
	mp_log(MP_LOG_NOTICE, "emsmdb: %u mapistore backend(s) loaded, "
	       "special folders in '%s'", loaded, g->cfg.default_backend);
	/* the transport's smb.conf options and directory (doc/transport.md) */
	emsmdb_transport_glue_init(call);
	return g;
}

const struct emsmdb_config *emsmdb_glue_config(struct mp_call *call)
{
	if (emsmdb_glue == NULL && mp_on_loop_thread()) {
		emsmdb_glue = emsmdb_glue_init(call);
	}
	return emsmdb_glue != NULL ? &emsmdb_glue->cfg : NULL;
}

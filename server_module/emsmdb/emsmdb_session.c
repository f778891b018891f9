/*
 * EMSMDB sessions and the process's session registry. Contract in
 * emsmdb_session.h; lifetimes in doc/emsmdb.md.
 */
#include "emsmdb_session.h"

#include <string.h>

#include "emsmdb_notify.h"

void emsmdb_config_default(struct emsmdb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->netbios_name = "OPENCHANGE";
	cfg->organization = "First Organization";
	cfg->admin_group = "First Administrative Group";
	cfg->polls_max_ms = 60000;
	cfg->retry_count = 6;
	cfg->retry_delay_ms = 10000;
	cfg->default_backend = "local";
	cfg->async_wait_secs = 300;
	emsmdb_handle_limits_default(&cfg->limits);
}

struct emsmdb_session *emsmdb_session_new(const struct emsmdb_config *config)
{
	struct emsmdb_session *s = talloc_zero(NULL, struct emsmdb_session);

	if (s == NULL) {
		return NULL;
	}
	s->config = config;
	s->handles = emsmdb_handles_new(s, &config->limits);
	if (s->handles == NULL) {
		talloc_free(s);
		return NULL;
	}
	return s;
}

void emsmdb_session_free(struct emsmdb_session *s)
{
	if (s == NULL) {
		return;
	}
	emsmdb_registry_remove(s);
	/* objects first: their subscriptions leave the hub, then the queue */
	TALLOC_FREE(s->handles);
	emsmdb_notify_session_free(s);
	talloc_free(s);
}

struct emsmdb_object *emsmdb_session_logon(struct emsmdb_session *s,
					   uint8_t LogonId)
{
	struct emsmdb_object *l = s->logons[LogonId];

	/* a logon released through its handle leaves the map lazily */
	if (l != NULL && l->handle == EMSMDB_HANDLE_NONE) {
		s->logons[LogonId] = NULL;
		return NULL;
	}
	return l;
}

/*
 * The registry: event loop only. A list is enough: lookups by guid happen
 * once per EcDoAsyncConnectEx, and cxr allocation once per EcDoConnectEx.
 */
static struct emsmdb_session *emsmdb_registry_head;
static unsigned emsmdb_registry_n;
static uint16_t emsmdb_registry_next_cxr = 1;

static bool emsmdb_cxr_in_use(uint16_t cxr)
{
	struct emsmdb_session *s;

	for (s = emsmdb_registry_head; s != NULL; s = s->next) {
		if (s->cxr == cxr) {
			return true;
		}
	}
	return false;
}

bool emsmdb_registry_add(struct emsmdb_session *s)
{
	unsigned tries;

	if (emsmdb_registry_n >= 0xFFFE) {
		return false;
	}
	for (tries = 0; tries < 0x10000; tries++) {
		uint16_t cxr = emsmdb_registry_next_cxr++;

		if (emsmdb_registry_next_cxr == 0) {
			emsmdb_registry_next_cxr = 1;
		}
		if (cxr != 0 && !emsmdb_cxr_in_use(cxr)) {
			s->cxr = cxr;
			break;
		}
	}
	s->next = emsmdb_registry_head;
	emsmdb_registry_head = s;
	emsmdb_registry_n++;
	return true;
}

void emsmdb_registry_remove(struct emsmdb_session *s)
{
	struct emsmdb_session **pp;

	for (pp = &emsmdb_registry_head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			s->next = NULL;
			emsmdb_registry_n--;
			return;
		}
	}
}

struct emsmdb_session *emsmdb_registry_find(const uint8_t guid[16])
{
	struct emsmdb_session *s;

	for (s = emsmdb_registry_head; s != NULL; s = s->next) {
		if (memcmp(s->guid, guid, 16) == 0) {
			return s;
		}
	}
	return NULL;
}

struct emsmdb_session *emsmdb_registry_find_cxr(uint16_t cxr)
{
	struct emsmdb_session *s;

	for (s = emsmdb_registry_head; s != NULL; s = s->next) {
		if (s->cxr == cxr) {
			return s;
		}
	}
	return NULL;
}

struct emsmdb_session *emsmdb_registry_find_async(const uint8_t guid[16])
{
	struct emsmdb_session *s;

	for (s = emsmdb_registry_head; s != NULL; s = s->next) {
		if (s->has_async && memcmp(s->async_guid, guid, 16) == 0) {
			return s;
		}
	}
	return NULL;
}

unsigned emsmdb_registry_count(void)
{
	return emsmdb_registry_n;
}

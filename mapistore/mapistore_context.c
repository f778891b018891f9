/*
 * Per-user contexts: the metadata-store connections (one per distinct
 * location; by default openchangedb, indexing and named properties share
 * one SQLite file) and the backend contexts opened so far.
 */
#include "mapistore_private.h"
#include "mapistore_indexing.h"
#include "mapistore_namedprops.h"
#include "openchangedb_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_config_get(const struct mapistore_backend_env *env, const char *key);

/* Connect and migrate the store at @uri (text form, never logged). */
static enum mapistore_error open_store(struct mapistore_context *ctx, const char *uri,
	const struct mapistore_db_params *explicit_params, struct mapistore_db **db_r,
	char **errmsg_r)
{
	struct mapistore_db_params params;
	enum mapistore_error ret;
	char *errmsg = NULL;
	TALLOC_CTX *tmp = talloc_new(ctx);

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (explicit_params != NULL) {
		params = *explicit_params;
		ret = MAPISTORE_SUCCESS;
	} else {
		ret = mapistore_db_parse_uri(tmp, uri, &params, &errmsg);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_connect(ctx, &params, db_r, &errmsg);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_db_migrate(*db_r);
		if (ret != MAPISTORE_SUCCESS) {
			errmsg = talloc_asprintf(tmp, "Cannot create or migrate the schema: %s",
						 mapistore_db_errmsg(*db_r));
			TALLOC_FREE(*db_r);
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		snprintf(ctx->errmsg, sizeof(ctx->errmsg), "%s",
			 errmsg ? errmsg : mapistore_errstr(ret));
		mapistore_log(MAPISTORE_LOG_ERR, "metadata store: %s", ctx->errmsg);
		if (errmsg_r != NULL) {
			*errmsg_r = talloc_strdup(talloc_parent(ctx), ctx->errmsg);
		}
	}
	talloc_free(tmp);
	return ret;
}

/* namedproperties:mysql_* as connection parameters. */
static enum mapistore_error namedprops_params(TALLOC_CTX *mem_ctx,
	const struct mapistore_config *cfg, struct mapistore_db_params *p)
{
	char *port, *sock;

	memset(p, 0, sizeof(*p));
	p->driver = MAPISTORE_DB_MYSQL;
	p->user = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_user");
	p->password = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_pass");
	p->host = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_host");
	p->database = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_db");
	port = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_port");
	sock = mapistore_config_get(mem_ctx, cfg, "namedproperties:mysql_sock");
	if (port != NULL) {
		char *end = NULL;
		long v = strtol(port, &end, 10);

		if (end == port || *end != '\0' || v <= 0 || v > 65535) {
			return MAPISTORE_ERR_INVALID_PARAMETER;
		}
		p->port = (uint16_t)v;
	}
	p->socket = sock;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_context_new(TALLOC_CTX *mem_ctx,
	const struct mapistore_config *cfg, const char *username,
	struct mapistore_context **ctx_r, char **errmsg_r)
{
	struct mapistore_context *ctx;
	struct mapistore_db *idx_db, *np_db;
	enum mapistore_error ret;
	char *ocdb_uri, *idx_uri, *np_mode;

	if (username == NULL || username[0] == '\0' || ctx_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	ctx = talloc_zero(mem_ctx, struct mapistore_context);
	if (ctx == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ctx->cfg = cfg;
	ctx->username = talloc_strdup(ctx, username);
	ctx->env.config_get = env_config_get;
	ctx->env.log = mapistore_backend_log;
	ctx->env.core = ctx;
	ocdb_uri = mapistore_config_get(ctx, cfg, "mapiproxy:openchangedb");
	idx_uri = mapistore_config_get(ctx, cfg, "mapistore:indexing_backend");
	np_mode = mapistore_config_get(ctx, cfg, "mapistore:namedproperties");
	if (ctx->username == NULL || ocdb_uri == NULL || idx_uri == NULL || np_mode == NULL) {
		talloc_free(ctx);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	ret = open_store(ctx, ocdb_uri, NULL, &ctx->ocdb_db, errmsg_r);
	if (ret != MAPISTORE_SUCCESS) {
		goto fail;
	}
	idx_db = ctx->ocdb_db;
	if (cfg != NULL && cfg->get != NULL && cfg->get(cfg->private_data, "mapistore:indexing_backend") != NULL &&
	    strcmp(idx_uri, ocdb_uri) != 0) {
		ret = open_store(ctx, idx_uri, NULL, &idx_db, errmsg_r);
		if (ret != MAPISTORE_SUCCESS) {
			goto fail;
		}
	}
	np_db = ctx->ocdb_db;
	if (strcmp(np_mode, "mysql") == 0) {
		struct mapistore_db_params params;

		ret = namedprops_params(ctx, cfg, &params);
		if (ret == MAPISTORE_SUCCESS) {
			ret = open_store(ctx, NULL, &params, &np_db, errmsg_r);
		}
		if (ret != MAPISTORE_SUCCESS) {
			goto fail;
		}
	} else if (strcmp(np_mode, "sqlite") != 0) {
		snprintf(ctx->errmsg, sizeof(ctx->errmsg),
			 "mapistore:namedproperties must be sqlite or mysql.");
		if (errmsg_r != NULL) {
			*errmsg_r = talloc_strdup(mem_ctx, ctx->errmsg);
		}
		ret = MAPISTORE_ERR_INVALID_PARAMETER;
		goto fail;
	}
	ctx->idx_db = idx_db;
	ret = openchangedb_from_db(ctx, ctx->ocdb_db, &ctx->ocdb);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_indexing_new(ctx, idx_db, username, &ctx->indexing);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_namedprops_new(ctx, np_db, username, &ctx->namedprops);
	}
	if (ret != MAPISTORE_SUCCESS) {
		goto fail;
	}
	/* changes a crash interrupted (mapistore_intents.c): logged, and
	 * retried by the next context, if they cannot be completed now */
	mapistore_intents_replay(ctx, NULL);
	*ctx_r = ctx;
	return MAPISTORE_SUCCESS;
fail:
	talloc_free(ctx);
	return ret;
}

struct openchangedb_context *mapistore_context_get_openchangedb(struct mapistore_context *ctx)
{
	return ctx->ocdb;
}

struct mapistore_indexing *mapistore_context_get_indexing(struct mapistore_context *ctx)
{
	return ctx->indexing;
}

struct mapistore_namedprops *mapistore_context_get_namedprops(struct mapistore_context *ctx)
{
	return ctx->namedprops;
}

const char *mapistore_context_get_username(const struct mapistore_context *ctx)
{
	return ctx->username;
}

const char *mapistore_context_errmsg(const struct mapistore_context *ctx)
{
	return ctx->errmsg;
}

/*
 * IDs and change numbers ([MS-OXCDATA] 2.2.1, [MS-OXCFXICS] 3.1.5.3):
 * GLOBCNTs of the replica the context works in, the user's mailbox
 * (its own counter) or, for a user without a mailbox, the server's.
 */
enum mapistore_error mapistore_new_ids(struct mapistore_context *ctx, uint32_t count,
	uint64_t *first_r)
{
	enum mapistore_error ret = mapistore_track_replica(ctx);

	if (ret == MAPISTORE_SUCCESS) {
		ret = ctx->has_mailbox ?
			openchangedb_mailbox_allocate_ids(ctx->ocdb, ctx->username, count, first_r) :
			openchangedb_allocate_ids(ctx->ocdb, OPENCHANGEDB_SERVER_REPLID, count, first_r);
	}
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_set_errmsg(ctx, "cannot allocate an ID: %s (%s)", mapistore_errstr(ret),
				     mapistore_db_errmsg(ctx->ocdb_db));
	}
	return ret;
}

enum mapistore_error mapistore_new_id(struct mapistore_context *ctx, uint64_t *id_r)
{
	return mapistore_new_ids(ctx, 1, id_r);
}

uint64_t mapistore_id_nth(uint64_t first, uint32_t i)
{
	return mapistore_fmid_make(mapistore_fmid_replid(first),
				   mapistore_fmid_globcnt(first) + i);
}

/* The backend env's view of the configuration: values are kept on the
 * context so they live as long as the env. */
static const char *env_config_get(const struct mapistore_backend_env *env, const char *key)
{
	struct mapistore_context *ctx = discard_const_p(struct mapistore_context, env->core);

	return mapistore_config_get(ctx, ctx->cfg, key);
}

enum mapistore_error mapistore_list_root_folders(TALLOC_CTX *mem_ctx,
	struct mapistore_context *ctx, const char *backend,
	struct mapistore_root_folder **folders_r, uint32_t *count_r)
{
	const struct mapistore_backend_ops *ops = mapistore_backend_lookup(backend);
	uint64_t t0 = mapistore_now_ns();

	if (ops == NULL) {
		mapistore_set_errmsg(ctx, "no backend named %s", backend ? backend : "(null)");
		return MAPISTORE_ERR_CONTEXT_FAILED;
	}
	if (folders_r == NULL || count_r == NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	return mapistore_trace(ctx, ops, "list_root_folders", t0,
		ops->list_root_folders(mem_ctx, &ctx->env, ctx->username, folders_r, count_r));
}

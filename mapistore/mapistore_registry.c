/*
 * The process-wide backend registry and the dlopen loader. Registration
 * checks the ABI version and the name, refuses duplicates, copies the ops
 * (up to the size the backend's ABI version knew) and fills NULL hooks
 * with defaults. Entries are never removed, so lookups hand out stable
 * pointers; a mutex guards the table.
 */
#include "mapistore_private.h"

#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAPISTORE_MAX_BACKENDS 64

struct registry_entry {
	struct mapistore_backend_ops ops;
	char name[64];
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct registry_entry *registry[MAPISTORE_MAX_BACKENDS];
static uint32_t registry_count;

/* Size of struct mapistore_backend_ops for each ABI version. */
static size_t ops_size_for_abi(uint32_t abi)
{
	switch (abi) {
	case 1:
		return sizeof(struct mapistore_backend_ops);
	default:
		return 0;
	}
}

/* A backend name doubles as a URI scheme: [a-z0-9_-], 1..63 chars. */
static bool name_valid(const char *name)
{
	size_t i, n;

	if (name == NULL) {
		return false;
	}
	n = strlen(name);
	if (n == 0 || n >= 64) {
		return false;
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
			return false;
		}
	}
	return true;
}

enum mapistore_error mapistore_backend_register(const struct mapistore_backend_ops *ops)
{
	struct registry_entry *entry;
	enum mapistore_error ret;
	size_t size;
	uint32_t i;

	if (ops == NULL || !name_valid(ops->name)) {
		mapistore_log(MAPISTORE_LOG_ERR, "refusing a backend with an invalid name");
		return MAPISTORE_ERR_BACKEND_REGISTER;
	}
	size = ops_size_for_abi(ops->abi_version);
	if (size == 0) {
		mapistore_log(MAPISTORE_LOG_ERR,
			      "refusing backend %s: built for ABI %u, this server has ABI %u",
			      ops->name, ops->abi_version, MAPISTORE_BACKEND_ABI_VERSION);
		return MAPISTORE_ERR_BACKEND_REGISTER;
	}
	entry = calloc(1, sizeof(*entry));
	if (entry == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	memcpy(&entry->ops, ops, size);
	strncpy(entry->name, ops->name, sizeof(entry->name) - 1);
	entry->ops.name = entry->name;
	mapistore_backend_fill_defaults(&entry->ops);

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_count; i++) {
		if (strcmp(registry[i]->name, entry->name) == 0) {
			pthread_mutex_unlock(&registry_lock);
			mapistore_log(MAPISTORE_LOG_ERR,
				      "refusing backend %s: a backend with that name is already loaded",
				      entry->name);
			free(entry);
			return MAPISTORE_ERR_BACKEND_REGISTER;
		}
	}
	if (registry_count == MAPISTORE_MAX_BACKENDS) {
		pthread_mutex_unlock(&registry_lock);
		mapistore_log(MAPISTORE_LOG_ERR, "refusing backend %s: too many backends",
			      entry->name);
		free(entry);
		return MAPISTORE_ERR_BACKEND_REGISTER;
	}
	ret = entry->ops.init();
	if (ret != MAPISTORE_SUCCESS) {
		pthread_mutex_unlock(&registry_lock);
		mapistore_log(MAPISTORE_LOG_ERR, "backend %s: initialisation failed: %s",
			      entry->name, mapistore_errstr(ret));
		free(entry);
		return MAPISTORE_ERR_BACKEND_INIT;
	}
	registry[registry_count++] = entry;
	pthread_mutex_unlock(&registry_lock);
	mapistore_log(MAPISTORE_LOG_NOTICE, "backend %s registered (ABI %u)",
		      entry->name, ops->abi_version);
	return MAPISTORE_SUCCESS;
}

const struct mapistore_backend_ops *mapistore_backend_lookup(const char *name)
{
	const struct mapistore_backend_ops *found = NULL;
	uint32_t i;

	if (name == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_count; i++) {
		if (strcmp(registry[i]->name, name) == 0) {
			found = &registry[i]->ops;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	return found;
}

const char **mapistore_backend_names(TALLOC_CTX *mem_ctx)
{
	const char **names;
	uint32_t i;

	pthread_mutex_lock(&registry_lock);
	names = talloc_zero_array(mem_ctx, const char *, registry_count + 1);
	for (i = 0; names != NULL && i < registry_count; i++) {
		names[i] = registry[i]->name;
	}
	pthread_mutex_unlock(&registry_lock);
	return names;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_one(const char *path)
{
	mapistore_backend_init_fn init;
	enum mapistore_error ret;
	void *handle;

	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		mapistore_log(MAPISTORE_LOG_ERR, "cannot load backend %s: %s", path, dlerror());
		return false;
	}
	init = (mapistore_backend_init_fn)dlsym(handle, MAPISTORE_BACKEND_INIT_SYMBOL);
	if (init == NULL) {
		mapistore_log(MAPISTORE_LOG_ERR, "cannot load backend %s: no %s symbol",
			      path, MAPISTORE_BACKEND_INIT_SYMBOL);
		dlclose(handle);
		return false;
	}
	ret = init(MAPISTORE_BACKEND_ABI_VERSION);
	if (ret != MAPISTORE_SUCCESS) {
		mapistore_log(MAPISTORE_LOG_ERR, "backend %s not loaded: %s",
			      path, mapistore_errstr(ret));
		dlclose(handle);
		return false;
	}
	/* registered: the ops live in the library, which stays loaded */
	return true;
}

enum mapistore_error mapistore_backends_load(const char *path, uint32_t *loaded_r)
{
	char **files = NULL;
	uint32_t count = 0, loaded = 0, i;
	struct dirent *de;
	DIR *dir;

	if (path == NULL) {
		path = MAPISTORE_DEFAULT_BACKENDS_PATH;
	}
	dir = opendir(path);
	if (dir == NULL) {
		mapistore_log(MAPISTORE_LOG_ERR, "cannot read the backends directory %s", path);
		return MAPISTORE_ERR_NOT_FOUND;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);
		char **grown;

		if (n < 4 || strcmp(de->d_name + n - 3, ".so") != 0 || de->d_name[0] == '.') {
			continue;
		}
		grown = talloc_realloc(NULL, files, char *, count + 1);
		if (grown == NULL) {
			break;
		}
		files = grown;
		files[count] = talloc_asprintf(files, "%s/%s", path, de->d_name);
		if (files[count] == NULL) {
			break;
		}
		count++;
	}
	closedir(dir);
	if (count > 0) {
		qsort(files, count, sizeof(files[0]), cmp_names);   /* deterministic order */
	}
	for (i = 0; i < count; i++) {
		loaded += load_one(files[i]) ? 1 : 0;
	}
	talloc_free(files);
	if (loaded_r != NULL) {
		*loaded_r = loaded;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_uri_backend(TALLOC_CTX *mem_ctx, const char *uri,
					   char **name_r)
{
	const char *sep;
	char *name;

	if (uri == NULL || (sep = strstr(uri, "://")) == NULL || sep == uri ||
	    sep - uri >= 64) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	name = talloc_strndup(mem_ctx, uri, (size_t)(sep - uri));
	if (name == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (!name_valid(name)) {
		talloc_free(name);
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	*name_r = name;
	return MAPISTORE_SUCCESS;
}

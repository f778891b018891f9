/**
 * @file mapistore_schema.h
 * @brief Internal: the versioned migrations of the metadata schema.
 */
#ifndef MAPISTORE_SCHEMA_H
#define MAPISTORE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

struct mapistore_migration {
	uint32_t version;          /**< 1, 2, ... strictly increasing */
	const char *name;          /**< "NNN_what" */
	const char *const *statements; /**< NULL-terminated */
};

/** All migrations in version order. */
const struct mapistore_migration *mapistore_schema_migrations(size_t *count_r);

#endif /* MAPISTORE_SCHEMA_H */

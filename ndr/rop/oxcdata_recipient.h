/*
 * [MS-OXCDATA] 2.8.3 RecipientRow codec (struct RecipientRow is in rop.h).
 */
#ifndef OXCDATA_RECIPIENT_H
#define OXCDATA_RECIPIENT_H

#include "oxcdata.h"

struct RecipientRow;

/**
 * Decode a RecipientRow occupying the whole of the pull's current limit.
 * With columns == NULL the property row is kept raw (RawProperties).
 * RecipientColumnCount must not exceed column_count.
 */
enum rop_err oxcdata_pull_recipient_row(struct oxcdata_pull *pull, const uint32_t *columns,
					uint32_t column_count, bool have_columns,
					struct RecipientRow *row);
enum rop_err oxcdata_push_recipient_row(struct oxcdata_push *push, const struct RecipientRow *row);

#endif /* OXCDATA_RECIPIENT_H */

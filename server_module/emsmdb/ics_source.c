/*
 * FastTransfer download contexts ([MS-OXCFXICS] 3.2.5.8.1): a stream
 * produced on demand. RopFastTransferSourceGetBuffer asks for at most N
 * bytes; the producer's step function appends elements to the ndr/fxics
 * encoder until N bytes are pending or the stream ends, and the encoder
 * hands out the longest prefix that ends where 2.2.4.1 allows a split.
 */
#include "ics.h"

#include <string.h>

#include "emsmdb_log.h"

struct ics_source *ics_source_new(TALLOC_CTX *mem_ctx, uint32_t cpid,
				  ics_step_fn step, void *priv)
{
	struct ics_source *src = talloc_zero(mem_ctx, struct ics_source);

	if (src == NULL) {
		return NULL;
	}
	src->enc = fxics_encoder_new(src, cpid);
	if (src->enc == NULL) {
		talloc_free(src);
		return NULL;
	}
	src->step = step;
	src->priv = priv;
	src->steps_total = 1;
	return src;
}

struct ics_source *ics_source_new_static(TALLOC_CTX *mem_ctx, uint32_t cpid)
{
	struct ics_source *src = ics_source_new(mem_ctx, cpid, NULL, NULL);

	if (src != NULL) {
		src->done = true;
		src->steps_done = 1;
	}
	return src;
}

/* run the producer until @want bytes are pending or it is finished */
static uint32_t ics_source_fill(struct ics_source *src, size_t want)
{
	uint32_t ec;

	while (!src->done && src->error == ecSuccess &&
	       fxics_encoder_pending(src->enc) < want) {
		if (src->step == NULL) {
			src->done = true;
			break;
		}
		ec = src->step(src);
		if (ec != ecSuccess) {
			emsmdb_log(EMSMDB_LOG_WARNING, "FastTransfer source: "
				   "producer failed with 0x%08x", ec);
			src->error = ec;
		}
	}
	return src->error;
}

/* [MS-OXCFXICS] 3.2.5.8.1.1 */
uint32_t ics_source_get_buffer(struct ics_source *src, TALLOC_CTX *mem_ctx,
			       size_t max, uint8_t **data_r, size_t *len_r,
			       uint16_t *status_r)
{
	const uint8_t *p = NULL;
	enum rop_err err;
	size_t len = 0;
	uint32_t ec;

	*data_r = NULL;
	*len_r = 0;
	*status_r = TransferStatus_Error;
	ec = ics_source_fill(src, max);
	if (ec != ecSuccess) {
		return ec;
	}
	err = fxics_encoder_next_buffer(src->enc, max, &p, &len);
	if (err == ROP_ERR_TOO_BIG) {
		/* nothing taken: the client may ask again with more room */
		*status_r = TransferStatus_Partial;
		return ecBufferTooSmall;
	}
	if (err != ROP_OK) {
		src->error = ecError;
		return ecError;
	}
	if (len > 0) {
		*data_r = talloc_memdup(mem_ctx, p, len);
		if (*data_r == NULL) {
			src->error = ecMAPIOOM;
			return ecMAPIOOM;
		}
	}
	*len_r = len;
	*status_r = src->done && fxics_encoder_pending(src->enc) == 0 ?
		TransferStatus_Done : TransferStatus_Partial;
	return ecSuccess;
}

uint64_t ics_source_taken(const struct ics_source *src)
{
	return fxics_encoder_total(src->enc) - fxics_encoder_pending(src->enc);
}

uint32_t ics_marks_push(TALLOC_CTX *mem_ctx, struct ics_marks *q, const struct ics_mark *m)
{
	size_t cap = q->items == NULL ? 0 : talloc_array_length(q->items);

	if (q->head == q->count) {
		/* everything settled: start over at the front */
		q->head = 0;
		q->count = 0;
	}
	if (q->count - q->head >= ICS_MAX_ITEMS) {
		return ecTooBig;
	}
	if (q->count == cap && q->head > 0 && q->head >= cap / 2) {
		/* at least half the slots are settled: reuse them */
		memmove(q->items, q->items + q->head, (q->count - q->head) * sizeof(*q->items));
		q->count -= q->head;
		q->head = 0;
	}
	if (q->count == cap) {
		struct ics_mark *n = talloc_realloc(mem_ctx, q->items, struct ics_mark,
						    cap == 0 ? 64 : 2 * cap);

		if (n == NULL) {
			return ecMAPIOOM;
		}
		q->items = n;
	}
	q->items[q->count++] = *m;
	return ecSuccess;
}

const struct ics_mark *ics_marks_pop(struct ics_marks *q, uint64_t taken)
{
	if (q->head == q->count || q->items[q->head].end > taken) {
		return NULL;
	}
	return &q->items[q->head++];
}

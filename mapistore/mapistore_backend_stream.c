/*
 * Helper for backend authors (mapistore_backend.h): an in-memory stream
 * over one property value ([MS-OXCPRPT] 2.2.9 RopOpenStream to 2.2.16
 * RopCommitStream). The backend loads the value at stream_open and
 * writes it back as one property at stream_commit; in between, reads,
 * writes and seeks only touch the buffer.
 */
#include "mapistore_backend.h"
#include "mapistore_props.h"

#include <string.h>

enum mapistore_error mapistore_stream_buffer_load(TALLOC_CTX *owner,
	struct mapistore_stream_buffer *buf, const struct mapistore_property *value)
{
	bool bin = MAPISTORE_PROP_TYPE(value->proptag) == PtypBinary;
	const uint8_t *src = bin ? value->value.bin.data : (const uint8_t *)value->value.str;
	size_t length = bin ? value->value.bin.length : strlen(value->value.str);
	uint8_t *data;

	/* never a NULL buffer, even for an empty value */
	data = talloc_memdup(owner, length ? src : (const uint8_t *)"", length ? length : 1);
	if (data == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_free(buf->data);
	buf->data = data;
	buf->length = length;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_buffer_read(struct mapistore_stream_buffer *buf,
	uint8_t *out, size_t size, size_t *read_r)
{
	size_t n = buf->position < buf->length ? buf->length - buf->position : 0;

	n = n < size ? n : size;
	if (n > 0) {
		memcpy(out, buf->data + buf->position, n);
	}
	buf->position += n;
	*read_r = n;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_buffer_write(TALLOC_CTX *owner,
	struct mapistore_stream_buffer *buf, const uint8_t *data, size_t size)
{
	size_t end;

	if (!buf->writable) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (size > MAPISTORE_MAX_VALUE_SIZE || buf->position > MAPISTORE_MAX_VALUE_SIZE - size) {
		return MAPISTORE_ERR_TOO_BIG;
	}
	end = buf->position + size;
	if (end > talloc_get_size(buf->data)) {
		size_t alloc = talloc_get_size(buf->data) ? talloc_get_size(buf->data) : 64;
		uint8_t *grown;

		while (alloc < end) {
			alloc *= 2;
		}
		grown = talloc_realloc_size(owner, buf->data, alloc);
		if (grown == NULL) {
			return MAPISTORE_ERR_NO_MEMORY;
		}
		buf->data = grown;
	}
	if (buf->position > buf->length) {
		memset(buf->data + buf->length, 0, buf->position - buf->length);
	}
	if (size > 0) {
		memcpy(buf->data + buf->position, data, size);
	}
	buf->position = end;
	if (end > buf->length) {
		buf->length = end;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_buffer_seek(struct mapistore_stream_buffer *buf,
	int64_t offset, int origin, uint64_t *position_r)
{
	int64_t base = origin == 0 ? 0 : origin == 1 ? (int64_t)buf->position
						      : (int64_t)buf->length;

	if (base + offset < 0 || base + offset > (int64_t)MAPISTORE_MAX_VALUE_SIZE) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	buf->position = (size_t)(base + offset);
	*position_r = buf->position;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error mapistore_stream_buffer_value(TALLOC_CTX *mem_ctx,
	const struct mapistore_stream_buffer *buf, uint32_t proptag,
	struct mapistore_property *prop_r)
{
	struct mapistore_property prop = { .proptag = proptag };

	if (!buf->writable) {
		return MAPISTORE_ERR_NO_ACCESS;
	}
	if (MAPISTORE_PROP_TYPE(proptag) == PtypBinary) {
		prop.value.bin.data = buf->data;
		prop.value.bin.length = buf->length;
		*prop_r = prop;
		return MAPISTORE_SUCCESS;
	}
	if (buf->length > 0 && memchr(buf->data, '\0', buf->length) != NULL) {
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	prop.value.str = talloc_strndup(mem_ctx, buf->length ? (const char *)buf->data : "",
					buf->length);
	if (prop.value.str == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	*prop_r = prop;
	return MAPISTORE_SUCCESS;
}

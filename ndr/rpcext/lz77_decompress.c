/*
 * OpenChange: Plain LZ77 decompression, [MS-XCA] 2.4.4.
 *
 * The pseudocode of 2.4.4 reads and writes without bounds; this version
 * checks every read against the input size and every write against the
 * expected output size (SizeActual), as 2.4.4 requires ("an
 * implementation MUST return an error").
 */
#include "rpcext_lz77.h"
#include "rpcext_private.h"

/*
 * Decode the match length of [MS-XCA] 2.4.4 starting from the 3 low
 * bits of the match word. *ip is the input position, *half the position
 * of a half-used length nibble byte (0 = none: position 0 is always a
 * flag word, never a nibble). Result is the full length (>= 3).
 */
static enum rpcext_error lz77_match_length(const uint8_t *in, size_t in_size,
					   size_t *ip, size_t *half,
					   uint32_t low3, uint64_t *len_r)
{
	uint64_t len = low3;

	if (len == 7) {
		if (*half == 0) {
			if (*ip >= in_size) {
				return RPCEXT_ERR_DECOMPRESSION;
			}
			len = in[*ip] & 0x0f;
			*half = *ip;
			*ip += 1;
		} else {
			len = in[*half] >> 4;
			*half = 0;
		}
		if (len == 15) {
			if (*ip >= in_size) {
				return RPCEXT_ERR_DECOMPRESSION;
			}
			len = in[*ip];
			*ip += 1;
			if (len == 255) {
				if (in_size - *ip < 2) {
					return RPCEXT_ERR_DECOMPRESSION;
				}
				len = rpcext_get_le16(in + *ip);
				*ip += 2;
				if (len == 0) {
					if (in_size - *ip < 4) {
						return RPCEXT_ERR_DECOMPRESSION;
					}
					len = rpcext_get_le32(in + *ip);
					*ip += 4;
				}
				if (len < 15 + 7) {
					return RPCEXT_ERR_DECOMPRESSION;
				}
				len -= 15 + 7;
			}
			len += 15;
		}
		len += 7;
	}
	*len_r = len + 3;
	return RPCEXT_OK;
}

/*
 * Copy a match. [MS-XCA] 2.4.4 copies front to back one byte at a time
 * because a match may overlap its own output (offset < length). The same
 * result, faster: the bytes from dst - offset onwards are periodic with
 * period offset, so each memcpy may take its source a whole number of
 * periods back, as long as source and destination do not overlap; the
 * distance doubles each round.
 */
static void lz77_copy_match(uint8_t *out, size_t op, size_t offset, size_t len)
{
	uint8_t *dst = out + op;
	size_t done = 0, period = offset;

	if (offset == 1) {
		memset(dst, dst[-1], len);
		return;
	}
	while (done < len) {
		size_t n = len - done < period ? len - done : period;

		/* period <= done + offset keeps the source at or after dst - offset */
		memcpy(dst + done, dst + done - period, n);
		done += n;
		if (period <= done) {
			period *= 2;
		}
	}
}

enum rpcext_error rpcext_lz77_decompress(const uint8_t *in, size_t in_size,
					 uint8_t *out, size_t out_size)
{
	uint32_t flags = 0;
	unsigned flag_count = 0;
	size_t ip = 0, op = 0, half = 0;

	if ((in == NULL && in_size != 0) || (out == NULL && out_size != 0)) {
		return RPCEXT_ERR_INVALID_PARAM;
	}

	for (;;) {
		if (flag_count == 0) {
			if (ip == in_size) {
				break;
			}
			if (in_size - ip < 4) {
				return RPCEXT_ERR_DECOMPRESSION;
			}
			flags = rpcext_get_le32(in + ip);
			ip += 4;
			flag_count = 32;
		}
		flag_count--;

		if ((flags & (UINT32_C(1) << flag_count)) == 0) {
			/* a literal; the input may end here (zero padding) */
			if (ip == in_size) {
				break;
			}
			if (op >= out_size) {
				return RPCEXT_ERR_DECOMPRESSION;
			}
			out[op++] = in[ip++];
			continue;
		}

		if (ip == in_size) {
			/* [MS-XCA] 2.4.4: "Decompression is complete." */
			break;
		}
		if (in_size - ip < 2) {
			return RPCEXT_ERR_DECOMPRESSION;
		}
		{
			uint32_t match = rpcext_get_le16(in + ip);
			size_t offset = (match >> 3) + 1;
			uint64_t len;
			enum rpcext_error err;

			ip += 2;
			err = lz77_match_length(in, in_size, &ip, &half,
						match & 7, &len);
			if (err != RPCEXT_OK) {
				return err;
			}
			if (offset > op || len > out_size - op) {
				return RPCEXT_ERR_DECOMPRESSION;
			}
			lz77_copy_match(out, op, offset, (size_t)len);
			op += (size_t)len;
		}
	}

	if (op != out_size) {
		return RPCEXT_ERR_SIZE_MISMATCH;
	}
	return RPCEXT_OK;
}

/*
 * libFuzzer harness: the UTF-8 <-> UTF-16LE conversions of PtypString
 * streams (mapistore_utf16.c). Any input converts without reading past
 * its end; UTF-16 produced from UTF-8 converts back, and converting
 * that result again is stable (ill-formed input became U+FFFD once).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapistore_props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct mapistore_binary u16, u16b;
	char *u8 = NULL, *u8b = NULL;
	size_t len = 0, lenb = 0;

	if (mapistore_utf16le_to_utf8(mem, data, size & ~(size_t)1, &u8, &len) !=
	    MAPISTORE_SUCCESS || strlen(u8) > len) {
		abort();
	}
	if (mapistore_utf8_to_utf16le(mem, (const char *)data, size, &u16) != MAPISTORE_SUCCESS ||
	    mapistore_utf16le_to_utf8(mem, u16.data, u16.length, &u8, &len) != MAPISTORE_SUCCESS ||
	    mapistore_utf8_to_utf16le(mem, u8, len, &u16b) != MAPISTORE_SUCCESS ||
	    mapistore_utf16le_to_utf8(mem, u16b.data, u16b.length, &u8b, &lenb) != MAPISTORE_SUCCESS ||
	    u16b.length != u16.length || memcmp(u16b.data, u16.data, u16.length) != 0 ||
	    lenb != len || memcmp(u8, u8b, len) != 0) {
		abort();
	}
	talloc_free(mem);
	return 0;
}

/*
 * libFuzzer harness of the MIME generator (emsmdb_mime.h): the fields of
 * a message (display names, subject, bodies, a file name and its data)
 * come from the input, split at NUL bytes. Whatever they hold, the output
 * must keep its header block intact: every header line ends in CRLF, no
 * bare CR or LF, no header line longer than 998 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	const char *f[8] = { "", "", "", "", "", "", "", "" };
	char *copy = talloc_size(mem, size + 1), *p, *out = NULL, *end;
	struct emsmdb_mime_address to = { NULL, "to@example.com" };
	struct emsmdb_mime_attachment att = { NULL, NULL, NULL, 0 };
	struct emsmdb_mime_message m;
	size_t len = 0, line;
	int n = 0;

	if (copy == NULL || size > 65536) {
		talloc_free(mem);
		return 0;
	}
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; n < 8 && p <= copy + size; n++) {
		f[n] = p;
		p += strlen(p) + 1;
	}
	memset(&m, 0, sizeof(m));
	m.from.display_name = f[0];
	m.from.address = "from@example.com";
	to.display_name = f[1];
	m.to = &to;
	m.to_count = 1;
	m.subject = f[2];
	m.message_id = "fuzz@example.com";
	m.body_text = f[3];
	m.body_html = f[4][0] != '\0' ? f[4] : NULL;
	att.filename = f[5];
	att.mime_type = f[6];
	att.data = (const uint8_t *)f[7];
	att.length = strlen(f[7]);
	m.attachments = &att;
	m.attachment_count = f[7][0] != '\0' ? 1 : 0;
	if (emsmdb_mime_generate(mem, &m, &out, &len) == 0) {
		end = strstr(out, "\r\n\r\n");
		if (end == NULL || strlen(out) != len) {
			abort();
		}
		for (p = out, line = 0; p < end + 2; p++) {
			if ((*p == '\n' && (p == out || p[-1] != '\r')) ||
			    (*p == '\r' && p[1] != '\n')) {
				abort();
			}
			line = *p == '\n' ? 0 : line + 1;
			if (line > 998) {
				abort();
			}
		}
	}
	talloc_free(mem);
	return 0;
}

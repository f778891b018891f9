/*
 * libFuzzer harness of the SMTP client's parsers (emsmdb_smtp.h): the
 * input is what a hostile smarthost says. First byte: mode. 0: the reply
 * parser on the raw bytes, checked (consumed within the input, code
 * 200..559); 1: a whole session whose server replies are the input (on a
 * socketpair, the input then EOF), which must end with some status and
 * never read or write out of bounds; else: dot-stuffing, checked (ends in
 * CRLF.CRLF, no line starting with a lone '.').
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsmdb_smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_session(const uint8_t *data, size_t size)
{
	static const char *const rcpts[] = { "a@example.com", "b@example.com" };
	struct emsmdb_smtp_envelope env = {
		.mail_from = "s@example.com", .rcpt_to = rcpts, .rcpt_count = 2,
		.data = "Subject: x\r\n\r\n.\r\n", .data_len = 17,
	};
	struct emsmdb_smtp_result res;
	TALLOC_CTX *mem;
	int sv[2];

	if (size > 100000 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		return;
	}
	/* the whole script is in the socket before the client runs */
	if (size > 0 && write(sv[1], data, size) != (ssize_t)size) {
		close(sv[0]);
		close(sv[1]);
		return;
	}
	shutdown(sv[1], SHUT_WR);
	mem = talloc_new(NULL);
	emsmdb_smtp_session(mem, sv[0], "fuzz.example.com", 50, &env, &res);
	if (res.status == EMSMDB_SMTP_OK && res.accepted == 0) {
		abort();
	}
	talloc_free(mem);
	close(sv[0]);
	close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TALLOC_CTX *mem;
	char *out = NULL;
	size_t used = 0, len = 0, i;
	int code = 0;

	if (size < 1) {
		return 0;
	}
	switch (data[0]) {
	case 0:
		if (emsmdb_smtp_reply_parse((const char *)data + 1, size - 1, &code,
					    &used) == 0 &&
		    (used > size - 1 || used == 0 || code < 200 || code > 559)) {
			abort();
		}
		return 0;
	case 1:
		fuzz_session(data + 1, size - 1);
		return 0;
	default:
		break;
	}
	mem = talloc_new(NULL);
	if (emsmdb_smtp_dot_stuff(mem, (const char *)data + 1, size - 1, &out, &len) == 0) {
		if (len < 3 || memcmp(out + len - 3, ".\r\n", 3) != 0) {
			abort();
		}
		for (i = 0; i + 3 < len; i++) {
			/* a line that starts with '.' has it doubled */
			if ((i == 0 || out[i - 1] == '\n') && out[i] == '.' && out[i + 1] != '.') {
				abort();
			}
		}
	}
	talloc_free(mem);
	return 0;
}

/*
 * Contract suite, tables and streams of the second round: random seeks
 * (RopSeekRow, RopSeekRowFractional, bookmarks) that stay right after
 * changes, SubObject / Count / RELOP_RE restrictions on contents tables,
 * and PtypString streams in UTF-16LE ([MS-OXCPRPT] 2.2.14).
 */
#include "test_contract.h"

#include <stdio.h>
#include <string.h>

static char *subject_at(struct cfx *fx, struct mapistore_table *t)
{
	struct mapistore_row *rows = NULL;
	uint32_t n = 0;
	char *s;

	assert_int_equal(mapistore_table_query_rows(fx, t, 1, &rows, &n), MAPISTORE_SUCCESS);
	if (n == 0) {
		talloc_free(rows);
		return NULL;
	}
	s = talloc_strdup(fx, rows[0].props[0].value.str);
	talloc_free(rows);
	return s;
}

static void expect_subject(struct cfx *fx, struct mapistore_table *t, const char *want)
{
	char *got = subject_at(fx, t);

	assert_non_null(got);
	assert_string_equal(got, want);
	talloc_free(got);
}

void test_table_seek_random(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_sort_order desc = { PidTagSubject, TABLE_SORT_DESCEND };
	uint32_t col = PidTagSubject, n = 0, num = 0, den = 0, bm = 0, i;
	struct mapistore_table *t = NULL;
	uint64_t mids[200], gone;
	int32_t moved = 0;
	char name[16];

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "m%03u", i);
		mids[i] = make_message(fx, fx->inbox, name, (int32_t)(i % 5), false);
	}
	assert_int_equal(mapistore_folder_open_table(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, &col, 1), MAPISTORE_SUCCESS);
	/* natural order: random positions */
	assert_int_equal(mapistore_table_seek_row_fractional(t, 1, 2), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m100");
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 150, &moved),
			 MAPISTORE_SUCCESS);
	assert_int_equal(moved, 150);
	assert_int_equal(mapistore_table_create_bookmark(t, &bm), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m150");
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 7, &moved),
			 MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m007");
	expect_subject(fx, t, "m008");   /* the next row follows sequentially */
	assert_int_equal(mapistore_table_seek_bookmark(t, bm, 0, &moved), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m150");
	assert_int_equal(mapistore_table_seek_row_fractional(t, 3, 3), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_position(t, &num, &den), MAPISTORE_SUCCESS);
	assert_int_equal(num, 200);
	assert_int_equal(den, 200);
	assert_int_equal(mapistore_table_seek_row_fractional(t, 1, 0),
			 MAPISTORE_ERR_INVALID_PARAMETER);
	/* a deleted row: the table sees the change, the bookmark moves on */
	gone = mids[150];
	assert_int_equal(mapistore_folder_delete_messages(fx->inbox, &gone, 1, true),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_row_count(t, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 199);
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 150, &moved),
			 MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m151");
	/* sorted: the same positioned reads */
	assert_int_equal(mapistore_table_sort(t, &desc, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_seek_row_fractional(t, 0, 1), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m199");
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_END, -1, &moved),
			 MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m000");
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 49, &moved),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_create_bookmark(t, &bm), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m149");   /* m199..m151 are 0..48: m150 is gone */
	assert_int_equal(mapistore_table_seek_row(t, MAPISTORE_SEEK_BEGINNING, 0, &moved),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_seek_bookmark(t, bm, 1, &moved), MAPISTORE_SUCCESS);
	expect_subject(fx, t, "m148");
	talloc_free(t);
}

static uint64_t message_with(struct cfx *fx, const char *subject, const char *smtp,
			     const char *filename)
{
	struct mapistore_property sp = { .proptag = PidTagSubject,
					 .value.str = discard_const_p(char, subject) };
	struct mapistore_property rp = { .proptag = PidTagSmtpAddress,
					 .value.str = discard_const_p(char, smtp) };
	struct mapistore_property ap = { .proptag = PidTagAttachFilename,
					 .value.str = discard_const_p(char, filename) };
	struct mapistore_recipient r = { .row_id = 0, .type = 1, .count = 1, .props = &rp };
	struct mapistore_attachment *a = NULL;
	struct mapistore_message *m = NULL;
	uint32_t aid = 0;
	uint64_t mid;

	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), &sp, 1),
			 MAPISTORE_SUCCESS);
	if (smtp != NULL) {
		assert_int_equal(mapistore_message_modify_recipients(m, &r, 1), MAPISTORE_SUCCESS);
	}
	if (filename != NULL) {
		assert_int_equal(mapistore_message_create_attachment(fx, m, &a, &aid),
				 MAPISTORE_SUCCESS);
		assert_int_equal(mapistore_properties_set(mapistore_attachment_object(a), &ap, 1),
				 MAPISTORE_SUCCESS);
		talloc_free(a);
	}
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	talloc_free(m);
	return mid;
}

static uint32_t restricted(struct cfx *fx, const struct mapistore_restriction *res,
			   char **first_r)
{
	uint32_t col = PidTagSubject, n = 0, again = 0;
	struct mapistore_table *t = NULL;

	assert_int_equal(mapistore_folder_open_table(fx, fx->inbox, MAPISTORE_MESSAGE_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, &col, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_restrict(t, res), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_get_row_count(t, &n), MAPISTORE_SUCCESS);
	/* asking twice must not count twice (CountRestriction state) */
	assert_int_equal(mapistore_table_get_row_count(t, &again), MAPISTORE_SUCCESS);
	assert_int_equal(again, n);
	*first_r = n > 0 ? subject_at(fx, t) : NULL;
	talloc_free(t);
	return n;
}

void test_table_subobject_count_regex(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_restriction alice = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_SUBSTRING | FL_IGNORECASE, PidTagSmtpAddress,
			       { PidTagSmtpAddress, .value.str = discard_const_p(char, "ALICE@") } } };
	struct mapistore_restriction pdf = { .type = MAPISTORE_RES_CONTENT,
		.u.content = { FL_SUBSTRING | FL_IGNORECASE, PidTagAttachFilename,
			       { PidTagAttachFilename, .value.str = discard_const_p(char, ".pdf") } } };
	struct mapistore_restriction by_recipient = { .type = MAPISTORE_RES_SUBRESTRICTION,
		.u.sub = { PidTagMessageRecipients, &alice } };
	struct mapistore_restriction by_attachment = { .type = MAPISTORE_RES_SUBRESTRICTION,
		.u.sub = { PidTagMessageAttachments, &pdf } };
	struct mapistore_restriction has_subject = { .type = MAPISTORE_RES_EXIST,
		.u.exist = { PidTagSubject } };
	struct mapistore_restriction first_two = { .type = MAPISTORE_RES_COUNT,
		.u.count = { 2, &has_subject } };
	struct mapistore_restriction regex = { .type = MAPISTORE_RES_PROPERTY,
		.u.property = { RELOP_RE, PidTagSubject,
				{ PidTagSubject, .value.str = discard_const_p(char, "^msg-[bc]$") } } };
	struct mapistore_property note = { .proptag = PidTagSubject,
					   .value.str = discard_const_p(char, "a note") };
	struct mapistore_restriction comment = { .type = MAPISTORE_RES_COMMENT,
		.u.comment = { 1, &note, &by_attachment } };
	char *first = NULL;

	message_with(fx, "msg-a", "alice@example.com", NULL);
	message_with(fx, "msg-b", "bob@example.com", "report.pdf");
	message_with(fx, "msg-c", NULL, "notes.txt");
	message_with(fx, "msg-d", NULL, NULL);

	assert_int_equal(restricted(fx, &by_recipient, &first), 1);
	assert_string_equal(first, "msg-a");
	talloc_free(first);
	assert_int_equal(restricted(fx, &by_attachment, &first), 1);
	assert_string_equal(first, "msg-b");
	talloc_free(first);
	assert_int_equal(restricted(fx, &comment, &first), 1);
	assert_string_equal(first, "msg-b");
	talloc_free(first);
	assert_int_equal(restricted(fx, &first_two, &first), 2);
	assert_string_equal(first, "msg-a");
	talloc_free(first);
	assert_int_equal(restricted(fx, &regex, &first), 2);
	assert_string_equal(first, "msg-b");
	talloc_free(first);
}

void test_stream_utf16(void **state)
{
	struct cfx *fx = *state;
	/* "Grüße 😀": U+00FC, U+00DF and a surrogate pair */
	static const char body[] = "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80";
	static const uint8_t body16[] = { 'G', 0, 'r', 0, 0xfc, 0, 0xdf, 0, 'e', 0, ' ', 0,
					  0x3d, 0xd8, 0x00, 0xde };
	static const uint8_t neu16[] = { 'N', 0, 0xe9, 0, 'u', 0 };
	struct mapistore_property p = { .proptag = PidTagBody, .value.str = discard_const_p(char, body) };
	uint32_t tag = PidTagBody;
	struct mapistore_property *out = NULL;
	struct mapistore_message *m = NULL;
	struct mapistore_stream *s = NULL;
	uint8_t buf[64];
	uint64_t size = 0, pos = 0, mid;
	size_t got = 0;

	if (!(fx->caps & MAPISTORE_CAP_STREAMS)) {
		print_message("backend %s: no MAPISTORE_CAP_STREAMS, not applicable\n", backend_name);
		return;
	}
	assert_int_equal(mapistore_message_create(fx, fx->inbox, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), &p, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	mid = mapistore_message_get_mid(m);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	/* UTF-16 only makes sense for PtypString */
	assert_int_equal(mapistore_stream_open(fx, mapistore_message_object(m), PidTagEntryIdTest,
		MAPISTORE_STREAM_READ | MAPISTORE_STREAM_UTF16, &s), MAPISTORE_ERR_INVALID_PARAMETER);
	assert_int_equal(mapistore_stream_open(fx, mapistore_message_object(m), PidTagBody,
		MAPISTORE_STREAM_READ | MAPISTORE_STREAM_UTF16, &s), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_get_size(s, &size), MAPISTORE_SUCCESS);
	assert_int_equal(size, sizeof(body16));
	assert_int_equal(mapistore_stream_read(s, buf, 5, &got), MAPISTORE_SUCCESS);
	assert_int_equal(got, 5);
	assert_int_equal(mapistore_stream_read(s, buf + 5, sizeof(buf) - 5, &got), MAPISTORE_SUCCESS);
	assert_int_equal(got, sizeof(body16) - 5);
	assert_memory_equal(buf, body16, sizeof(body16));
	assert_int_equal(mapistore_stream_write(s, neu16, 2), MAPISTORE_ERR_NO_ACCESS);
	talloc_free(s);
	/* write UTF-16LE, read back UTF-8 through the property */
	assert_int_equal(mapistore_stream_open(fx, mapistore_message_object(m), PidTagBody,
		MAPISTORE_STREAM_WRITE | MAPISTORE_STREAM_UTF16, &s), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_seek(s, 0, MAPISTORE_SEEK_BEGINNING, &pos),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_write(s, neu16, 3), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_write(s, neu16 + 3, 3), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_stream_commit(s), MAPISTORE_SUCCESS);
	talloc_free(s);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), &tag, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_string_equal(out[0].value.str, "N\xc3\xa9u");
	talloc_free(out);
	talloc_free(m);
}

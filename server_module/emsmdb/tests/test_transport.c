/*
 * The transport through the dispatcher ([MS-OXOMSG] 3.2.5.1), on a real
 * mapistore (memory backend, SQLite openchangedb in a temporary dir) with
 * a table directory: alice submits to bob (logged on and subscribed),
 * dave (never logged on: provisioned by delivery) and an outside address
 * (no smarthost: NDR into alice's Inbox; with a scripted SMTP server on
 * 127.0.0.1: relayed). The sender's copy moves to Sent Items or goes with
 * PidTagDeleteAfterSubmit. RopAbortSubmit, RopTransportNewMail,
 * RopOptionsData.
 */
#include "oc_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_notify.h"
#include "emsmdb_test_session.h"
#include "emsmdb_transport.h"

#define ORG "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
#define DN_ALICE ORG "alice"
#define DN_BOB ORG "bob"
#define DN_DAVE ORG "dave"
#define PidTagBodyW 0x1000001F
#define PidTagDeleteAfterSubmitB 0x0E01000B
#define PidTagMessageFlagsL 0x0E070003
#define PidTagMessageClassW 0x001A001F
#define PidTagReceivedByNameW 0x0040001F
#define PidTagAttachMethodL 0x37050003
#define PidTagAttachLongFilenameW 0x3707001F
#define PidTagAttachDataBinaryB 0x37010102
#define PidTagAttachNumberL 0x0E210003

/* ---- the directory ---- */

static const struct {
	const char *account, *name, *dn, *smtp;
	bool mailbox;
} users[] = {
	{ "alice", "Alice", DN_ALICE, "alice@example.com", true },
	{ "bob", "Bob", DN_BOB, "bob@example.com", true },
	{ "dave", "Dave", DN_DAVE, "dave@example.com", true },
	{ "erin", "Erin", ORG "erin", "erin@elsewhere.example", false },
};

static uint32_t table_lookup(void *private_data, TALLOC_CTX *mem_ctx,
			     enum emsmdb_directory_key key, const char *value,
			     struct emsmdb_directory_entry **entry_r)
{
	size_t i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		const char *v = key == EMSMDB_DIRECTORY_EX ? users[i].dn :
			key == EMSMDB_DIRECTORY_SMTP ? users[i].smtp : users[i].account;
		struct emsmdb_directory_entry *e;

		if (strcasecmp(v, value) != 0) {
			continue;
		}
		e = talloc_zero(mem_ctx, struct emsmdb_directory_entry);
		assert_non_null(e);
		e->account = talloc_strdup(e, users[i].account);
		e->display_name = talloc_strdup(e, users[i].name);
		e->legacy_dn = talloc_strdup(e, users[i].dn);
		e->smtp_address = talloc_strdup(e, users[i].smtp);
		e->has_mailbox = users[i].mailbox;
		*entry_r = e;
		return ecSuccess;
	}
	return ecNotFound;
}

static struct emsmdb_transport_config tcfg;

/* backends/local/local_backend.c: delivery needs a store that another
 * context sees (the memory backend keeps each context's data apart) */
enum mapistore_error mapistore_local_backend_register(void);

/* ---- clients ---- */

struct client {
	struct emsmdb_session *s;
	uint32_t handles[8];
	uint64_t fids[13];
};

struct fixture {
	struct emsmdb_test_session t;
	struct client alice, bob, dave;
};

static struct rop_buffer *run(struct client *c, TALLOC_CTX *mem,
			      struct rop_request *reqs, uint32_t n)
{
	struct emsmdb_test_rops rt = { .s = c->s, .handles = c->handles, .handle_count = 8 };

	return emsmdb_test_run(&rt, mem, reqs, n);
}

static void logon(struct client *c, TALLOC_CTX *mem, const char *dn)
{
	struct emsmdb_test_rops rt = { .s = c->s, .handles = c->handles, .handle_count = 8 };

	memset(c->handles, 0xFF, sizeof(c->handles));
	emsmdb_test_logon(&rt, mem, dn, 0, ecSuccess, c->fids);
}

static void client_new(struct fixture *f, struct client *c, const char *account,
		       const char *name, const char *dn, uint16_t cxr)
{
	c->s = emsmdb_session_new(&f->t.cfg);
	assert_non_null(c->s);
	c->s->account = talloc_strdup(c->s, account);
	c->s->user_dn = talloc_strdup(c->s, dn);
	c->s->display_name = talloc_strdup(c->s, name);
	c->s->cpid = 1252;
	c->s->cxr = cxr;
}

static struct fixture *fixture_new(TALLOC_CTX *mem)
{
	struct fixture *f = talloc_zero(mem, struct fixture);

	assert_non_null(f);
	f->alice.s = emsmdb_test_session_new(&f->t, "transport", DN_ALICE);
	if (mapistore_backend_lookup("local") == NULL) {
		assert_int_equal(mapistore_local_backend_register(), MAPISTORE_SUCCESS);
	}
	f->t.cfg.default_backend = "local";
	f->alice.s->cxr = 1;
	client_new(f, &f->bob, "bob", "Bob", DN_BOB, 2);
	client_new(f, &f->dave, "dave", "Dave", DN_DAVE, 3);
	memset(&tcfg, 0, sizeof(tcfg));
	tcfg.smtp_timeout_secs = 5;
	tcfg.directory.lookup = table_lookup;
	emsmdb_transport_configure(&tcfg);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_transport_configure(NULL);
	emsmdb_session_free(f->dave.s);
	emsmdb_session_free(f->bob.s);
	emsmdb_test_session_free(&f->t, f->alice.s);
	talloc_free(f);
}

/* rows of @fid's contents table with @cols (handle slots 6, 7) */
static struct rop_response *contents(struct client *c, TALLOC_CTX *mem,
				     uint64_t fid, const uint32_t *cols,
				     uint16_t ncols, uint32_t *count_r)
{
	struct rop_request r[4];
	struct rop_buffer *out;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenFolder;
	r[0].u.RopOpenFolder.OutputHandleIndex = 6;
	r[0].u.RopOpenFolder.FolderId = fid;
	r[1].RopId = RopGetContentsTable;
	r[1].u.RopGetContentsTable.InputHandleIndex = 6;
	r[1].u.RopGetContentsTable.OutputHandleIndex = 7;
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 7;
	r[2].u.RopSetColumns.PropertyTagCount = ncols;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)cols;
	r[3].RopId = RopQueryRows;
	r[3].u.RopQueryRows.InputHandleIndex = 7;
	r[3].u.RopQueryRows.ForwardRead = 1;
	r[3].u.RopQueryRows.RowCount = 20;
	out = run(c, mem, r, 4);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[3]), ecSuccess);
	*count_r = out->responses[3].u.RopQueryRows.RowCount;
	return &out->responses[3];
}

static uint32_t count_in(struct client *c, TALLOC_CTX *mem, uint64_t fid)
{
	static const uint32_t cols[] = { PidTagMid };
	uint32_t n;

	contents(c, mem, fid, cols, 1, &n);
	return n;
}

/* attachments of the only message of @fid */
static uint32_t attachments_of(struct client *c, TALLOC_CTX *mem, uint64_t fid)
{
	static const uint32_t cols[] = { PidTagMid };
	static const uint32_t acols[] = { PidTagAttachNumberL };
	struct rop_response *rows;
	struct rop_request r[4];
	struct rop_buffer *out;
	uint32_t n;

	rows = contents(c, mem, fid, cols, 1, &n);
	assert_int_equal(n, 1);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopOpenMessage;
	r[0].u.RopOpenMessage.OutputHandleIndex = 4;
	r[0].u.RopOpenMessage.CodePageId = 0x0FFF;
	r[0].u.RopOpenMessage.FolderId = fid;
	r[0].u.RopOpenMessage.MessageId = rows->u.RopQueryRows.RowData[0].Values[0].Value.u.d;
	r[1].RopId = RopGetAttachmentTable;
	r[1].u.RopGetAttachmentTable.InputHandleIndex = 4;
	r[1].u.RopGetAttachmentTable.OutputHandleIndex = 7;
	r[2].RopId = RopSetColumns;
	r[2].u.RopSetColumns.InputHandleIndex = 7;
	r[2].u.RopSetColumns.PropertyTagCount = 1;
	r[2].u.RopSetColumns.PropertyTags = (uint32_t *)(uintptr_t)acols;
	r[3].RopId = RopQueryRows;
	r[3].u.RopQueryRows.InputHandleIndex = 7;
	r[3].u.RopQueryRows.ForwardRead = 1;
	r[3].u.RopQueryRows.RowCount = 10;
	out = run(c, mem, r, 4);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[3]), ecSuccess);
	return out->responses[3].u.RopQueryRows.RowCount;
}

/* alice: create in the Outbox, recipients, save, submit; the
 * RopSubmitMessage ReturnValue */
enum after_submit { KEEP, DELETE_AFTER, SENT_ITEMS };

/* the last recipient of send_mail(): its address type and address */
static const char *ext_type = "SMTP";
static const char *ext_addr = "ext@remote.example";

static uint32_t send_mail(struct fixture *f, TALLOC_CTX *mem, enum after_submit after,
			  bool with_local, bool with_attachment)
{
	static uint8_t att_data[] = "hello attachment";
	struct TaggedPropertyValue av[3];
	struct ModifyRecipientRow rows[3];
	struct RecipientRow rr[3];
	struct TaggedPropertyValue pv[3];
	uint8_t svreid[21] = { 0x01 };
	struct rop_request r[8];
	struct rop_buffer *out;
	uint32_t i, n = 0, k;

	memset(rr, 0, sizeof(rr));
	memset(rows, 0, sizeof(rows));
	if (with_local) {
		rr[n].RecipientFlags = RecipientType_X500DN | RecipientFlags_D | RecipientFlags_U;
		rr[n].X500DN = (char *)(uintptr_t)DN_BOB;
		rr[n].DisplayName = (char *)(uintptr_t)"Bob";
		rows[n].RecipientType = 1;
		n++;
		rr[n].RecipientFlags = RecipientType_NoType | RecipientFlags_O |
			RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
		rr[n].AddressType = (char *)(uintptr_t)"SMTP";
		rr[n].EmailAddress = (char *)(uintptr_t)"dave@example.com";
		rr[n].DisplayName = (char *)(uintptr_t)"Dave";
		rows[n].RecipientType = 2;
		n++;
	}
	if (strcmp(ext_type, "EX") == 0) {
		rr[n].RecipientFlags = RecipientType_X500DN | RecipientFlags_D |
			RecipientFlags_U;
		rr[n].X500DN = (char *)(uintptr_t)ext_addr;
	} else {
		rr[n].RecipientFlags = RecipientType_NoType | RecipientFlags_O |
			RecipientFlags_E | RecipientFlags_D | RecipientFlags_U;
		rr[n].AddressType = (char *)(uintptr_t)ext_type;
		rr[n].EmailAddress = (char *)(uintptr_t)ext_addr;
	}
	rr[n].DisplayName = (char *)(uintptr_t)"Ext";
	rows[n].RecipientType = 1;
	n++;
	for (i = 0; i < n; i++) {
		rows[i].RowId = i;
		rows[i].RecipientRow = &rr[i];
		rows[i].RecipientRowSize = 1;
	}
	memset(pv, 0, sizeof(pv));
	pv[0].PropertyTag = PidTagSubject;
	pv[0].Value.PropertyType = PtypString;
	pv[0].Value.u.str = (char *)(uintptr_t)"Hello";
	pv[1].PropertyTag = PidTagBodyW;
	pv[1].Value.PropertyType = PtypString;
	pv[1].Value.u.str = (char *)(uintptr_t)"Hi there\n.\nbye";
	if (after == DELETE_AFTER) {
		pv[2].PropertyTag = PidTagDeleteAfterSubmitB;
		pv[2].Value.PropertyType = PtypBoolean;
		pv[2].Value.u.b = 1;
	} else {
		/* [MS-OXCDATA] 2.11.1.4 PtypServerId of Sent Items */
		for (i = 0; i < 8; i++) {
			svreid[1 + i] = (uint8_t)(f->alice.fids[6] >> (8 * i));
		}
		pv[2].PropertyTag = 0x674000FB;	/* PidTagSentMailSvrEID */
		pv[2].Value.PropertyType = PtypServerId;
		pv[2].Value.u.bin.cb = sizeof(svreid);
		pv[2].Value.u.bin.lpb = svreid;
	}
	memset(r, 0, sizeof(r));
	r[0].RopId = RopCreateMessage;
	r[0].u.RopCreateMessage.OutputHandleIndex = 1;
	r[0].u.RopCreateMessage.CodePageId = 0x0FFF;
	r[0].u.RopCreateMessage.FolderId = f->alice.fids[5];
	r[1].RopId = RopSetProperties;
	r[1].u.RopSetProperties.InputHandleIndex = 1;
	r[1].u.RopSetProperties.PropertyValueCount = after == KEEP ? 2 : 3;
	r[1].u.RopSetProperties.PropertyValues = pv;
	r[2].RopId = RopModifyRecipients;
	r[2].u.RopModifyRecipients.InputHandleIndex = 1;
	r[2].u.RopModifyRecipients.RowCount = (uint16_t)n;
	r[2].u.RopModifyRecipients.RecipientRows = rows;
	k = 3;
	if (with_attachment) {
		memset(av, 0, sizeof(av));
		av[0].PropertyTag = PidTagAttachMethodL;
		av[0].Value.PropertyType = PtypInteger32;
		av[0].Value.u.l = 1;	/* afByValue */
		av[1].PropertyTag = PidTagAttachLongFilenameW;
		av[1].Value.PropertyType = PtypString;
		av[1].Value.u.str = (char *)(uintptr_t)"notes.txt";
		av[2].PropertyTag = PidTagAttachDataBinaryB;
		av[2].Value.PropertyType = PtypBinary;
		av[2].Value.u.bin.cb = sizeof(att_data) - 1;
		av[2].Value.u.bin.lpb = att_data;
		r[k].RopId = RopCreateAttachment;
		r[k].u.RopCreateAttachment.InputHandleIndex = 1;
		r[k++].u.RopCreateAttachment.OutputHandleIndex = 4;
		r[k].RopId = RopSetProperties;
		r[k].u.RopSetProperties.InputHandleIndex = 4;
		r[k].u.RopSetProperties.PropertyValueCount = 3;
		r[k++].u.RopSetProperties.PropertyValues = av;
		r[k].RopId = RopSaveChangesAttachment;
		r[k].u.RopSaveChangesAttachment.ResponseHandleIndex = 1;
		r[k++].u.RopSaveChangesAttachment.InputHandleIndex = 4;
	}
	r[k].RopId = RopSaveChangesMessage;
	r[k].u.RopSaveChangesMessage.ResponseHandleIndex = 1;
	r[k].u.RopSaveChangesMessage.InputHandleIndex = 1;
	r[k++].u.RopSaveChangesMessage.SaveFlags = 0x02;
	r[k].RopId = RopSubmitMessage;
	r[k++].u.RopSubmitMessage.InputHandleIndex = 1;
	out = run(&f->alice, mem, r, k);
	for (i = 0; i + 1 < k; i++) {
		assert_int_equal(emsmdb_test_rv(&out->responses[i]), ecSuccess);
	}
	return emsmdb_test_rv(&out->responses[k - 1]);
}

static void subscribe(struct client *c, TALLOC_CTX *mem)
{
	struct rop_request r;
	struct rop_buffer *out;

	memset(&r, 0, sizeof(r));
	r.RopId = RopRegisterNotification;
	r.u.RopRegisterNotification.OutputHandleIndex = 5;
	r.u.RopRegisterNotification.NotificationTypes = fnevNewMail | fnevObjectCreated;
	r.u.RopRegisterNotification.WantWholeStore = 1;
	out = run(c, mem, &r, 1);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
}

/* local delivery to bob (subscribed) and dave (never logged on); the
 * outside recipient gets an NDR without a smarthost */
static void test_local_delivery_and_ndr(void **state)
{
	static const uint32_t cols[] = { PidTagSubject, PidTagMessageFlagsL,
					 PidTagReceivedByNameW, PidTagMessageClassW };
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_response *rows;
	uint32_t n, flags;

	logon(&f->alice, mem, DN_ALICE);
	logon(&f->bob, mem, DN_BOB);
	subscribe(&f->bob, mem);
	assert_false(emsmdb_notify_pending(f->bob.s));

	assert_int_equal(send_mail(f, mem, SENT_ITEMS, true, true), ecSuccess);

	/* bob's session was told, and the message is in his Inbox */
	assert_true(emsmdb_notify_pending(f->bob.s));
	rows = contents(&f->bob, mem, f->bob.fids[4], cols, 4, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[0].Value.u.str, "Hello");
	flags = rows->u.RopQueryRows.RowData[0].Values[1].Value.u.l;
	assert_int_equal(flags & 0x0F, 0);	/* not read, unmodified, submitted, unsent */
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[2].Value.u.str, "Bob");

	/* with its attachment */
	assert_int_equal(attachments_of(&f->bob, mem, f->bob.fids[4]), 1);

	/* dave's mailbox was provisioned by the delivery */
	logon(&f->dave, mem, DN_DAVE);
	assert_int_equal(count_in(&f->dave, mem, f->dave.fids[4]), 1);

	/* alice: an NDR in her Inbox, nothing left in the Outbox, a copy in
	 * Sent Items */
	rows = contents(&f->alice, mem, f->alice.fids[4], cols, 4, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[3].Value.u.str,
			    "REPORT.IPM.Note.NDR");
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[0].Value.u.str,
			    "Undeliverable: Hello");
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[5]), 0);
	rows = contents(&f->alice, mem, f->alice.fids[6], cols, 4, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[0].Value.u.str, "Hello");
	assert_int_equal(rows->u.RopQueryRows.RowData[0].Values[1].Value.u.l & 0x08, 0);
	talloc_free(mem);
	fixture_free(f);
}

/* ---- a scripted SMTP server on 127.0.0.1 ---- */

struct smtpd {
	int lfd;
	uint16_t port;
	char data[8192];
};

static bool line_in(int fd, char *buf, size_t max)
{
	size_t n = 0;

	while (n + 1 < max && recv(fd, buf + n, 1, 0) == 1) {
		if (buf[n++] == '\n') {
			buf[n] = '\0';
			return true;
		}
	}
	return false;
}

static void say(int fd, const char *s)
{
	assert_true(send(fd, s, strlen(s), MSG_NOSIGNAL) == (ssize_t)strlen(s));
}

static void *smtpd_run(void *arg)
{
	struct smtpd *d = arg;
	char line[1024];
	size_t n = 0;
	int fd = accept(d->lfd, NULL, NULL);

	if (fd < 0) {
		return NULL;
	}
	say(fd, "220 test ESMTP\r\n");
	while (line_in(fd, line, sizeof(line))) {
		if (strncmp(line, "DATA", 4) == 0) {
			say(fd, "354 go\r\n");
			while (line_in(fd, line, sizeof(line)) && strcmp(line, ".\r\n") != 0) {
				if (n + strlen(line) < sizeof(d->data)) {
					memcpy(d->data + n, line, strlen(line) + 1);
					n += strlen(line);
				}
			}
			say(fd, "250 queued\r\n");
		} else if (strncmp(line, "QUIT", 4) == 0) {
			say(fd, "221 bye\r\n");
			break;
		} else {
			say(fd, "250 ok\r\n");
		}
	}
	close(fd);
	return NULL;
}

static void smtpd_start(struct smtpd *d, pthread_t *t)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	memset(d, 0, sizeof(*d));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(d->lfd >= 0);
	assert_int_equal(bind(d->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(d->lfd, 1), 0);
	assert_int_equal(getsockname(d->lfd, (struct sockaddr *)&a, &alen), 0);
	d->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(t, NULL, smtpd_run, d), 0);
}

/* the outside recipient through the smarthost: the RFC 5322 message,
 * no NDR; PidTagDeleteAfterSubmit leaves no copy */
static void test_smarthost_relay(void **state)
{
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct smtpd d;
	pthread_t t;
	char host[32];

	smtpd_start(&d, &t);
	snprintf(host, sizeof(host), "127.0.0.1:%u", (unsigned)d.port);
	tcfg.smarthost = host;
	tcfg.helo_name = "oc.example.com";
	logon(&f->alice, mem, DN_ALICE);
	assert_int_equal(send_mail(f, mem, DELETE_AFTER, false, true), ecSuccess);
	pthread_join(t, NULL);
	close(d.lfd);
	assert_non_null(strstr(d.data, "From: Alice <alice@example.com>\r\n"));
	assert_non_null(strstr(d.data, "To: Ext <ext@remote.example>\r\n"));
	assert_non_null(strstr(d.data, "Subject: Hello\r\n"));
	/* the lone "." of the body was dot-stuffed on the wire */
	assert_non_null(strstr(d.data, "\r\nHi there\r\n..\r\nbye\r\n"));
	assert_non_null(strstr(d.data, "Content-Disposition: attachment; filename=\"notes.txt\"\r\n"));
	assert_non_null(strstr(d.data, "\r\naGVsbG8gYXR0YWNobWVudA==\r\n"));
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[4]), 0);
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[5]), 0);
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[6]), 0);
	talloc_free(mem);
	fixture_free(f);
}

/* a directory user without a mailbox here is relayed to its SMTP address;
 * an address type the server does not route gets an NDR */
static void test_routes(void **state)
{
	static const uint32_t cols[] = { PidTagSubject };
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_response *rows;
	struct smtpd d;
	pthread_t t;
	char host[32];
	uint32_t n;

	smtpd_start(&d, &t);
	snprintf(host, sizeof(host), "127.0.0.1:%u", (unsigned)d.port);
	tcfg.smarthost = host;
	logon(&f->alice, mem, DN_ALICE);
	ext_type = "EX";
	ext_addr = ORG "erin";
	assert_int_equal(send_mail(f, mem, DELETE_AFTER, false, false), ecSuccess);
	pthread_join(t, NULL);
	close(d.lfd);
	assert_non_null(strstr(d.data, "To: Ext <erin@elsewhere.example>\r\n"));
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[4]), 0);

	ext_type = "FAX";
	ext_addr = "+1 555 0100";
	assert_int_equal(send_mail(f, mem, DELETE_AFTER, false, false), ecSuccess);
	rows = contents(&f->alice, mem, f->alice.fids[4], cols, 1, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows->u.RopQueryRows.RowData[0].Values[0].Value.u.str,
			    "Undeliverable: Hello");
	ext_type = "SMTP";
	ext_addr = "ext@remote.example";
	talloc_free(mem);
	fixture_free(f);
}

/* a submission is over when RopSubmitMessage answers ([MS-OXOMSG] 2.2.4.2) */
static void test_abort_newmail_options(void **state)
{
	static const uint32_t cols[] = { PidTagMid };
	struct fixture *f = fixture_new(*state);
	TALLOC_CTX *mem = talloc_new(f);
	struct rop_response *rows;
	struct rop_request r[3];
	struct rop_buffer *out;
	uint64_t mid;
	uint32_t n;

	logon(&f->alice, mem, DN_ALICE);
	logon(&f->bob, mem, DN_BOB);
	/* neither PidTagSentMailSvrEID nor PidTagDeleteAfterSubmit: the
	 * sent message stays in the Outbox ([MS-OXOMSG] 3.2.5.1) */
	assert_int_equal(send_mail(f, mem, KEEP, true, false), ecSuccess);
	assert_int_equal(count_in(&f->alice, mem, f->alice.fids[6]), 0);
	rows = contents(&f->alice, mem, f->alice.fids[5], cols, 1, &n);
	assert_int_equal(n, 1);
	mid = rows->u.RopQueryRows.RowData[0].Values[0].Value.u.d;

	memset(r, 0, sizeof(r));
	r[0].RopId = RopAbortSubmit;
	r[0].u.RopAbortSubmit.FolderId = f->alice.fids[5];
	r[0].u.RopAbortSubmit.MessageId = mid;
	r[1].RopId = RopAbortSubmit;
	r[1].u.RopAbortSubmit.FolderId = f->alice.fids[6];
	r[1].u.RopAbortSubmit.MessageId = mid;
	r[2].RopId = RopOptionsData;
	r[2].u.RopOptionsData.AddressType = (char *)(uintptr_t)"SMTP";
	out = run(&f->alice, mem, r, 3);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), 0x80040114);	/* ecUnableToAbort */
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), 0x80040601);	/* ecNotInQueue */
	assert_int_equal(emsmdb_test_rv(&out->responses[2]), ecSuccess);
	assert_int_equal(out->responses[2].u.RopOptionsData.Reserved, 1);
	assert_int_equal(out->responses[2].u.RopOptionsData.OptionsInfoSize, 0);
	assert_int_equal(out->responses[2].u.RopOptionsData.HelpFileSize, 0);

	/* RopTransportNewMail: a NewMail for bob's own subscription */
	subscribe(&f->bob, mem);
	assert_false(emsmdb_notify_pending(f->bob.s));
	rows = contents(&f->bob, mem, f->bob.fids[4], cols, 1, &n);
	assert_int_equal(n, 1);
	memset(r, 0, sizeof(r));
	r[0].RopId = RopTransportNewMail;
	r[0].u.RopTransportNewMail.FolderId = f->bob.fids[4];
	r[0].u.RopTransportNewMail.MessageId = rows->u.RopQueryRows.RowData[0].Values[0].Value.u.d;
	r[0].u.RopTransportNewMail.MessageClass = (char *)(uintptr_t)"IPM.Note";
	r[1].RopId = RopTransportNewMail;
	r[1].u.RopTransportNewMail.FolderId = 0x7777000000000001ULL;
	r[1].u.RopTransportNewMail.MessageClass = (char *)(uintptr_t)"IPM.Note";
	out = run(&f->bob, mem, r, 2);
	assert_int_equal(emsmdb_test_rv(&out->responses[0]), ecSuccess);
	assert_int_equal(emsmdb_test_rv(&out->responses[1]), ecNotFound);
	/* the event was queued, and went out with this very buffer */
	assert_int_equal(out->count, 3);
	assert_int_equal(out->responses[2].RopId, RopNotify);
	assert_int_equal(out->responses[2].u.RopNotify.NotificationData.NotificationFlags &
			 NotificationType_Mask, fnevNewMail);
	talloc_free(mem);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_delivery_and_ndr, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_smarthost_relay, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_routes, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_abort_newmail_options, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

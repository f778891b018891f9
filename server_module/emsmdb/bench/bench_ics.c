/*
 * ICS download benchmark (issue 8): the initial contents synchronization
 * of a folder of N messages (default 1,000; bodies from 200 bytes to
 * 48 KiB, every tenth with a 20 KiB attachment) stored by the local
 * backend, through the ROP dispatcher as on the wire
 * (RopSynchronizationConfigure, then RopFastTransferSourceGetBuffer with
 * BufferSize 0xBABE / MaximumBufferSize 32,000 until Done).
 *
 * Baseline, same run: reading the same stored data straight from
 * mapistore (open each message, list and get its properties, recipients,
 * attachments and their properties), no encoding. Printed: messages/s,
 * stream MB/s, the ratio to the baseline, and whether the server time
 * stays under the target of one second.
 *
 * Usage: bench_ics [messages]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"

/* backends/local/local_private.h: the local backend is linked in
 * (emsmdb_store, as in mapiproxy.so) */
enum mapistore_error mapistore_local_backend_register(void);

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=bench"
#define NH 4

static char bench_dir[64];
static struct mapistore_config bench_mcfg;
static struct emsmdb_config bench_cfg;
static uint32_t bench_handles[NH];
static double bench_server_s;		/* time inside emsmdb_rop_process */

static const char *bench_get(void *private_data, const char *key)
{
	return strcmp(key, "private dir") == 0 ? bench_dir : NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct rop_buffer *bench_run(struct emsmdb_session *s, TALLOC_CTX *mem,
				    struct rop_request *r)
{
	struct rop_ctx ctx = { .codepage = 1252, .logon_private = true };
	struct rop_buffer in = { 0 }, *out = NULL;
	uint8_t *buf, *reply;
	size_t len, reply_len;
	double t0;
	uint32_t ec;

	in.count = 1;
	in.requests = r;
	in.handle_count = NH;
	in.ServerObjectHandleTable = bench_handles;
	if (rop_buffer_encode_requests(mem, &in, &ctx, &buf, &len) != ROP_OK) {
		exit(1);
	}
	t0 = now_s();
	ec = emsmdb_rop_process(s, mem, buf, len, 0x8000, &reply, &reply_len);
	bench_server_s += now_s() - t0;
	if (ec != ecSuccess ||
	    rop_buffer_decode_responses(mem, reply, reply_len, &in, &ctx, &out) != ROP_OK ||
	    out->count != 1) {
		fprintf(stderr, "ROP 0x%02x failed\n", r->RopId);
		exit(1);
	}
	memcpy(bench_handles, out->ServerObjectHandleTable, sizeof(bench_handles));
	return out;
}

static uint32_t bench_rv(const struct rop_buffer *out)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)&out->responses[0].u + 4, 4);
	return v;
}

static void populate(struct emsmdb_session *s, uint64_t fid, unsigned n)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	struct mapistore_folder *mf = NULL;
	static uint8_t blob[20 * 1024];
	char *body = talloc_size(tmp, 48 * 1024 + 1);
	unsigned i;

	memset(body, 'b', 48 * 1024);
	if (mapistore_folder_open(tmp, s->mstore, fid, &mf) != MAPISTORE_SUCCESS) {
		fprintf(stderr, "cannot open the Inbox\n");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		TALLOC_CTX *m = talloc_new(tmp);
		struct mapistore_message *mm = NULL;
		struct mapistore_attachment *att = NULL;
		struct mapistore_property p[3];
		size_t size = 200 + (size_t)(i * 7919) % (48 * 1024 - 200);
		char subject[32];
		uint32_t aid;

		snprintf(subject, sizeof(subject), "message %u", i);
		body[size] = '\0';
		memset(p, 0, sizeof(p));
		p[0].proptag = PidTagSubject;
		p[0].value.str = subject;
		p[1].proptag = 0x1000001F;	/* PidTagBody */
		p[1].value.str = body;
		p[2].proptag = PidTagMessageClass;
		p[2].value.str = (char *)(uintptr_t)"IPM.Note";
		if (mapistore_message_create(m, mf, false, &mm) != MAPISTORE_SUCCESS ||
		    mapistore_properties_set(mapistore_message_object(mm), p, 3) != MAPISTORE_SUCCESS) {
			fprintf(stderr, "cannot create message %u\n", i);
			exit(1);
		}
		body[size] = 'b';
		if (i % 10 == 0 &&
		    mapistore_message_create_attachment(m, mm, &att, &aid) == MAPISTORE_SUCCESS) {
			memset(p, 0, sizeof(p));
			p[0].proptag = PidTagAttachMethod;
			p[0].value.i32 = 1;
			p[1].proptag = 0x37010102;	/* PidTagAttachDataBinary */
			p[1].value.bin.length = sizeof(blob);
			p[1].value.bin.data = blob;
			p[2].proptag = 0x3704001F;	/* PidTagAttachFilename */
			p[2].value.str = (char *)(uintptr_t)"data.bin";
			(void)mapistore_properties_set(mapistore_attachment_object(att), p, 3);
		}
		if (mapistore_message_save(mm) != MAPISTORE_SUCCESS) {
			fprintf(stderr, "cannot save message %u\n", i);
			exit(1);
		}
		talloc_free(m);
	}
	talloc_free(tmp);
}

/* the baseline: the same stored data read straight from mapistore */
static size_t read_direct(struct emsmdb_session *s, uint64_t fid, unsigned *count_r)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	struct mapistore_folder *mf = NULL;
	struct mapistore_change *ch = NULL;
	uint32_t n = 0, i, k;
	uint64_t next = 0;
	bool more = false;
	size_t bytes = 0;

	if (mapistore_folder_open(tmp, s->mstore, fid, &mf) != MAPISTORE_SUCCESS ||
	    mapistore_sync_messages(tmp, s->mstore, fid, false, NULL, 0, 0, 0x10000, &ch, &n,
				    &next, &more) != MAPISTORE_SUCCESS) {
		exit(1);
	}
	for (i = 0; i < n; i++) {
		TALLOC_CTX *m = talloc_new(tmp);
		struct mapistore_message *mm = NULL;
		struct mapistore_property *props = NULL;
		struct mapistore_recipient *r = NULL;
		uint32_t *tags = NULL, count = 0, rc = 0;

		if (mapistore_message_open(m, mf, ch[i].fmid, false, &mm) != MAPISTORE_SUCCESS ||
		    mapistore_properties_list(m, mapistore_message_object(mm), &tags, &count) !=
		    MAPISTORE_SUCCESS ||
		    mapistore_properties_get(m, mapistore_message_object(mm), tags, count, &props) !=
		    MAPISTORE_SUCCESS) {
			exit(1);
		}
		(void)mapistore_message_get_recipients(m, mm, &r, &rc);
		for (k = 0; k < count; k++) {
			uint16_t t = MAPISTORE_PROP_TYPE(props[k].proptag);

			bytes += t == PtypString ? strlen(props[k].value.str) :
				 t == PtypBinary ? props[k].value.bin.length : 8;
		}
		{
			struct mapistore_table *at = NULL;
			struct mapistore_row *rows = NULL;
			uint32_t col = PidTagAttachNumber, rn = 0, a;

			if (mapistore_message_open_attachment_table(m, mm, &at) == MAPISTORE_SUCCESS &&
			    mapistore_table_set_columns(at, &col, 1) == MAPISTORE_SUCCESS &&
			    mapistore_table_query_rows(m, at, 100, &rows, &rn) == MAPISTORE_SUCCESS) {
				for (a = 0; a < rn; a++) {
					struct mapistore_attachment *att = NULL;
					struct mapistore_property *ap = NULL;
					uint32_t *atags = NULL, an = 0, j;

					if (mapistore_message_open_attachment(m, mm,
						(uint32_t)rows[a].props[0].value.i32, &att) != MAPISTORE_SUCCESS ||
					    mapistore_properties_list(m, mapistore_attachment_object(att),
						&atags, &an) != MAPISTORE_SUCCESS ||
					    mapistore_properties_get(m, mapistore_attachment_object(att),
						atags, an, &ap) != MAPISTORE_SUCCESS) {
						continue;
					}
					for (j = 0; j < an; j++) {
						if (MAPISTORE_PROP_TYPE(ap[j].proptag) == PtypBinary) {
							bytes += ap[j].value.bin.length;
						}
					}
				}
			}
		}
		talloc_free(m);
	}
	*count_r = n;
	talloc_free(tmp);
	return bytes;
}

int main(int argc, char **argv)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 1000, direct_count = 0, calls = 0;
	struct emsmdb_session *s;
	struct rop_request r;
	struct rop_buffer *out;
	double t0, t_direct, t_sync;
	size_t direct_bytes, stream = 0;
	uint64_t inbox;
	char cmd[128];

	if (n == 0 || (mapistore_backend_lookup("local") == NULL &&
		       mapistore_local_backend_register() != MAPISTORE_SUCCESS)) {
		fprintf(stderr, "usage: bench_ics [messages] (local backend)\n");
		return 1;
	}
	snprintf(bench_dir, sizeof(bench_dir), "/tmp/bench-ics-XXXXXX");
	if (mkdtemp(bench_dir) == NULL) {
		return 1;
	}
	bench_mcfg.get = bench_get;
	emsmdb_config_default(&bench_cfg);
	bench_cfg.netbios_name = "OCDC";
	bench_cfg.mapistore = &bench_mcfg;
	bench_cfg.default_backend = "local";
	s = emsmdb_session_new(&bench_cfg);
	s->account = talloc_strdup(s, "bench");
	s->user_dn = talloc_strdup(s, DN);
	s->display_name = talloc_strdup(s, "Bench");
	s->cpid = 1252;
	memset(bench_handles, 0xFF, sizeof(bench_handles));
	memset(&r, 0, sizeof(r));
	r.RopId = RopLogon;
	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)DN;
	r.u.RopLogon.EssdnSize = strlen(DN) + 1;
	out = bench_run(s, mem, &r);
	if (bench_rv(out) != ecSuccess) {
		fprintf(stderr, "RopLogon failed\n");
		return 1;
	}
	inbox = out->responses[0].u.RopLogon.FolderIds[4];
	populate(s, inbox, n);

	t0 = now_s();
	direct_bytes = read_direct(s, inbox, &direct_count);
	t_direct = now_s() - t0;

	t0 = now_s();
	bench_server_s = 0;
	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenFolder;
	r.u.RopOpenFolder.OutputHandleIndex = 1;
	r.u.RopOpenFolder.FolderId = inbox;
	(void)bench_run(s, mem, &r);
	memset(&r, 0, sizeof(r));
	r.RopId = RopSynchronizationConfigure;
	r.u.RopSynchronizationConfigure.InputHandleIndex = 1;
	r.u.RopSynchronizationConfigure.OutputHandleIndex = 2;
	r.u.RopSynchronizationConfigure.SynchronizationType = SynchronizationType_Contents;
	r.u.RopSynchronizationConfigure.SendOptions = SendOptions_Unicode;
	r.u.RopSynchronizationConfigure.SynchronizationFlags = SynchronizationFlags_Unicode |
		SynchronizationFlags_Normal | SynchronizationFlags_FAI |
		SynchronizationFlags_ReadState | SynchronizationFlags_Progress;
	r.u.RopSynchronizationConfigure.SynchronizationExtraFlags =
		SynchronizationExtraFlags_Eid | SynchronizationExtraFlags_MessageSize |
		SynchronizationExtraFlags_Cn;
	if (bench_rv(bench_run(s, mem, &r)) != ecSuccess) {
		fprintf(stderr, "RopSynchronizationConfigure failed\n");
		return 1;
	}
	for (;;) {
		TALLOC_CTX *call = talloc_new(mem);
		const struct RopFastTransferSourceGetBuffer_resp *g;

		memset(&r, 0, sizeof(r));
		r.RopId = RopFastTransferSourceGetBuffer;
		r.u.RopFastTransferSourceGetBuffer.InputHandleIndex = 2;
		r.u.RopFastTransferSourceGetBuffer.BufferSize = ICS_BUFFER_SIZE_SERVER;
		r.u.RopFastTransferSourceGetBuffer.MaximumBufferSize = 32000;
		out = bench_run(s, call, &r);
		g = &out->responses[0].u.RopFastTransferSourceGetBuffer;
		if (bench_rv(out) != ecSuccess) {
			fprintf(stderr, "GetBuffer failed: 0x%08x\n", bench_rv(out));
			return 1;
		}
		stream += g->TransferBufferSize;
		calls++;
		if (g->TransferStatus == TransferStatus_Done) {
			talloc_free(call);
			break;
		}
		talloc_free(call);
	}
	t_sync = now_s() - t0;

	printf("ics-initial-sync messages=%u stream_bytes=%zu getbuffer_calls=%u\n", n, stream,
	       calls);
	printf("ics-initial-sync server_seconds=%.3f (with the client's ROP codec %.3f) "
	       "messages_per_s=%.0f stream_MB_per_s=%.1f\n", bench_server_s, t_sync,
	       n / bench_server_s, stream / bench_server_s / 1e6);
	printf("direct-read     messages=%u bytes=%zu seconds=%.3f messages_per_s=%.0f MB_per_s=%.1f\n",
	       direct_count, direct_bytes, t_direct, direct_count / t_direct,
	       direct_bytes / t_direct / 1e6);
	printf("ratio sync/direct time=%.2f; target (< 1 s of server time for 1,000): %s\n",
	       bench_server_s / t_direct, bench_server_s < 1.0 * n / 1000 ? "met" : "MISSED");

	emsmdb_session_free(s);
	talloc_free(mem);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bench_dir);
	return system(cmd) == 0 ? 0 : 1;
}

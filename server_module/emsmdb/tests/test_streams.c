/*
 * [MS-OXCPRPT] streams and named properties through the dispatcher, on a
 * real mapistore (SQLite metadata in a temporary directory, the memory
 * backend): a PtypString stream written, read back in pieces (0xBABE
 * included), committed and saved; a 1 MB PidTagBody; seek, size, copy,
 * clone, lock, write-and-commit and their error codes; the named
 * property map (create flag, PS_MAPI, reverse lookups, query filters) and
 * a property set and read under a mapped ID.
 */
#include "oc_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "emsmdb_oxcprpt.h"
#include "memory_private.h"
#include "emsmdb_test_session.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define PidTagBody 0x1000001F
#define PidTagRtfCompressed 0x10090102

/* PS_PUBLIC_STRINGS {00020329-0000-0000-C000-000000000046}, wire order */
static const uint8_t PS_PUBLIC_STRINGS[16] = {
	0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
/* PSETID_Common {00062008-0000-0000-C000-000000000046} */
static const uint8_t PSETID_Common[16] = {
	0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
/* PS_MAPI {00020328-0000-0000-C000-000000000046} */
static const uint8_t PS_MAPI[16] = {
	0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[6];
	uint64_t fids[13];
	struct emsmdb_test_rops rt;	/* round trips: emsmdb_test_session.h */
};

/* run @n requests; the handle table is carried in f->handles */
static struct rop_buffer *run(struct fixture *f, TALLOC_CTX *mem_ctx,
			      struct rop_request *reqs, uint32_t n)
{
	return emsmdb_test_run(&f->rt, mem_ctx, reqs, n);
}

/* one ROP; its response, whose ReturnValue must be @expect */
static struct rop_response *one(struct fixture *f, TALLOC_CTX *mem,
				struct rop_request *r, uint32_t expect)
{
	struct rop_buffer *out = run(f, mem, r, 1);

	assert_int_equal(emsmdb_test_rv(&out->responses[0]), expect);
	return &out->responses[0];
}

/* logged on as alice (handle 0), the Inbox open (handle 1) */
static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);
	struct rop_request r = { .RopId = RopLogon };
	struct rop_response *resp;

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "streams", DN);
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, 6);

	r.u.RopLogon.LogonFlags = 0x01;
	r.u.RopLogon.Essdn = (char *)(uintptr_t)DN;
	r.u.RopLogon.EssdnSize = strlen(DN) + 1;
	resp = one(f, f, &r, ecSuccess);
	memcpy(f->fids, resp->u.RopLogon.FolderIds, sizeof(f->fids));
	memset(&r, 0, sizeof(r));
	r.RopId = RopOpenFolder;
	r.u.RopOpenFolder.OutputHandleIndex = 1;
	r.u.RopOpenFolder.FolderId = f->fids[4];
	one(f, f, &r, ecSuccess);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* a new message in the Inbox at handle 2 */
static void create_message(struct fixture *f, TALLOC_CTX *mem)
{
	struct rop_request r = { .RopId = RopCreateMessage };

	r.u.RopCreateMessage.InputHandleIndex = 1;
	r.u.RopCreateMessage.OutputHandleIndex = 2;
	r.u.RopCreateMessage.CodePageId = 0x0FFF;
	r.u.RopCreateMessage.FolderId = f->fids[4];
	one(f, mem, &r, ecSuccess);
}

/* save handle 2, return its MID */
static uint64_t save_message(struct fixture *f, TALLOC_CTX *mem)
{
	struct rop_request r = { .RopId = RopSaveChangesMessage };

	r.u.RopSaveChangesMessage.ResponseHandleIndex = 2;
	r.u.RopSaveChangesMessage.InputHandleIndex = 2;
	r.u.RopSaveChangesMessage.SaveFlags = 0x02;
	return one(f, mem, &r, ecSuccess)->u.RopSaveChangesMessage.MessageId;
}

static void open_message(struct fixture *f, TALLOC_CTX *mem, uint64_t mid,
			 uint8_t index, uint8_t flags)
{
	struct rop_request r = { .RopId = RopOpenMessage };

	r.u.RopOpenMessage.OutputHandleIndex = index;
	r.u.RopOpenMessage.CodePageId = 0x0FFF;
	r.u.RopOpenMessage.FolderId = f->fids[4];
	r.u.RopOpenMessage.OpenModeFlags = flags;
	r.u.RopOpenMessage.MessageId = mid;
	one(f, mem, &r, ecSuccess);
}

/* RopOpenStream on handle @in into @out; returns StreamSize */
static uint32_t open_stream(struct fixture *f, TALLOC_CTX *mem, uint8_t in,
			    uint8_t out, uint32_t tag, uint8_t mode, uint32_t expect)
{
	struct rop_request r = { .RopId = RopOpenStream };
	struct rop_response *resp;

	r.u.RopOpenStream.InputHandleIndex = in;
	r.u.RopOpenStream.OutputHandleIndex = out;
	r.u.RopOpenStream.PropertyTag = tag;
	r.u.RopOpenStream.OpenModeFlags = mode;
	resp = one(f, mem, &r, expect);
	return expect == ecSuccess ? resp->u.RopOpenStream.StreamSize : 0;
}

static uint32_t write_stream(struct fixture *f, TALLOC_CTX *mem, uint8_t in,
			     const void *data, uint16_t size, uint32_t expect)
{
	struct rop_request r = { .RopId = RopWriteStream };
	struct rop_response *resp;

	r.u.RopWriteStream.InputHandleIndex = in;
	r.u.RopWriteStream.DataSize = size;
	r.u.RopWriteStream.Data = (uint8_t *)(uintptr_t)data;
	resp = one(f, mem, &r, expect);
	return expect == ecSuccess ? resp->u.RopWriteStream.WrittenSize : 0;
}

/* RopReadStream; the data (on @mem) and its size */
static uint8_t *read_stream(struct fixture *f, TALLOC_CTX *mem, uint8_t in,
			    uint16_t count, uint32_t max, uint16_t *size_r)
{
	struct rop_request r = { .RopId = RopReadStream };
	struct rop_response *resp;

	r.u.RopReadStream.InputHandleIndex = in;
	r.u.RopReadStream.ByteCount = count;
	r.u.RopReadStream.MaximumByteCount = max;
	resp = one(f, mem, &r, ecSuccess);
	*size_r = resp->u.RopReadStream.DataSize;
	return resp->u.RopReadStream.Data;
}

static uint64_t seek_stream(struct fixture *f, TALLOC_CTX *mem, uint8_t in,
			    uint8_t origin, int64_t offset, uint32_t expect)
{
	struct rop_request r = { .RopId = RopSeekStream };
	struct rop_response *resp;

	r.u.RopSeekStream.InputHandleIndex = in;
	r.u.RopSeekStream.Origin = origin;
	r.u.RopSeekStream.Offset = (uint64_t)offset;
	resp = one(f, mem, &r, expect);
	return expect == ecSuccess ? resp->u.RopSeekStream.NewPosition : 0;
}

static uint32_t stream_size(struct fixture *f, TALLOC_CTX *mem, uint8_t in)
{
	struct rop_request r = { .RopId = RopGetStreamSize };

	r.u.RopGetStreamSize.InputHandleIndex = in;
	return one(f, mem, &r, ecSuccess)->u.RopGetStreamSize.StreamSize;
}

static void simple(struct fixture *f, TALLOC_CTX *mem, uint8_t rop, uint8_t in,
		   uint32_t expect)
{
	struct rop_request r = { .RopId = rop };

	/* InputHandleIndex is the first field of every such request */
	memcpy(&r.u, &in, 1);
	one(f, mem, &r, expect);
}

static void release(struct fixture *f, TALLOC_CTX *mem, uint8_t in)
{
	struct rop_request r = { .RopId = RopRelease };

	r.u.RopRelease.InputHandleIndex = in;
	assert_int_equal(run(f, mem, &r, 1)->count, 0);
}

/* GetPropertiesSpecific of one string property of handle @in */
static const char *get_string(struct fixture *f, TALLOC_CTX *mem, uint8_t in,
			      uint32_t tag)
{
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_response *resp;
	uint32_t *tags = talloc_memdup(mem, &tag, sizeof(tag));
	struct emsmdb_test_rops rt = f->rt;	/* the property decoded with @tags */
	struct rop_buffer *out;

	r.u.RopGetPropertiesSpecific.InputHandleIndex = in;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = 1;
	r.u.RopGetPropertiesSpecific.PropertyTags = tags;
	rt.columns = tags;
	rt.column_count = 1;
	out = emsmdb_test_run(&rt, mem, &r, 1);
	resp = &out->responses[0];
	assert_int_equal(emsmdb_test_rv(resp), ecSuccess);
	assert_int_equal(resp->u.RopGetPropertiesSpecific.RowData.Values[0].Flag, 0);
	return resp->u.RopGetPropertiesSpecific.RowData.Values[0].Value.u.str;
}

/* "hello" as UTF-16LE */
static const uint8_t HELLO16[] = { 'h', 0, 'e', 0, 'l', 0, 'l', 0, 'o', 0 };

static void test_string_stream(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint16_t n;
	uint8_t *data;
	uint64_t mid;

	create_message(f, f);
	/* never set: ReadOnly and ReadWrite fail, Create makes it */
	open_stream(f, f, 2, 3, PidTagBody, OPENSTREAM_ReadOnly, ecNotFound);
	open_stream(f, f, 2, 3, PidTagBody, OPENSTREAM_ReadWrite, ecNotFound);
	assert_int_equal(f->handles[3], EMSMDB_HANDLE_NONE);
	assert_int_equal(open_stream(f, f, 2, 3, PidTagBody, OPENSTREAM_Create,
				     ecSuccess), 0);
	assert_int_equal(write_stream(f, f, 3, HELLO16, 4, ecSuccess), 4);
	assert_int_equal(write_stream(f, f, 3, HELLO16 + 4, 6, ecSuccess), 6);
	assert_int_equal(stream_size(f, f, 3), 10);
	assert_int_equal(seek_stream(f, f, 3, 0, 0, ecSuccess), 0);
	data = read_stream(f, f, 3, 4, 0, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(data, HELLO16, 4);
	/* 0xBABE: MaximumByteCount decides */
	data = read_stream(f, f, 3, 0xBABE, 100, &n);
	assert_int_equal(n, 6);
	assert_memory_equal(data, HELLO16 + 4, 6);
	read_stream(f, f, 3, 10, 0, &n);
	assert_int_equal(n, 0);
	/* not yet committed: the property is unchanged */
	simple(f, f, RopCommitStream, 3, ecSuccess);
	assert_string_equal(get_string(f, f, 2, PidTagBody), "hello");
	mid = save_message(f, f);

	/* read back from a read-only open of the saved message */
	open_message(f, f, mid, 4, 0x00);
	assert_int_equal(open_stream(f, f, 4, 5, PidTagBody, OPENSTREAM_ReadOnly,
				     ecSuccess), 10);
	data = read_stream(f, f, 5, 0xBABE, 0x10000, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(data, HELLO16, 10);
	write_stream(f, f, 5, HELLO16, 2, StreamAccessDenied);
	simple(f, f, RopSetStreamSize, 5, StreamAccessDenied);
	/* a read-only message refuses a writable stream; BestAccess degrades */
	open_stream(f, f, 4, 5, PidTagBody, OPENSTREAM_ReadWrite, ecAccessDenied);
	assert_int_equal(open_stream(f, f, 4, 5, PidTagBody, OPENSTREAM_BestAccess,
				     ecSuccess), 10);
	write_stream(f, f, 5, HELLO16, 2, StreamAccessDenied);
	/* only binary and string properties stream */
	open_stream(f, f, 4, 5, PidTagMessageFlags, OPENSTREAM_ReadOnly, ecNotSupported);
	open_stream(f, f, 4, 5, PidTagBody, 0x04, ecInvalidParam);
	/* a stream ROP on a message, a property ROP on no object */
	simple(f, f, RopCommitStream, 4, ecNotSupported);
	fixture_free(f);
}

/* 1 MB of PidTagBody through 16 KB writes, read back in 0xBABE pieces */
static void test_large_body(void **state)
{
	struct fixture *f = fixture_new(*state);
	const size_t total = 1u << 20, piece = 16384;
	uint8_t *body = talloc_size(f, total);
	size_t i, got = 0;
	uint64_t mid;

	for (i = 0; i < total; i += 2) {
		body[i] = (uint8_t)('A' + (i / 2) % 26);
		body[i + 1] = 0;
	}
	create_message(f, f);
	open_stream(f, f, 2, 3, PidTagBody, OPENSTREAM_Create, ecSuccess);
	for (i = 0; i < total; i += piece) {
		TALLOC_CTX *tmp = talloc_new(f);

		assert_int_equal(write_stream(f, tmp, 3, body + i, piece, ecSuccess), piece);
		talloc_free(tmp);
	}
	simple(f, f, RopCommitStream, 3, ecSuccess);
	mid = save_message(f, f);
	release(f, f, 3);

	open_message(f, f, mid, 4, 0x00);
	assert_int_equal(open_stream(f, f, 4, 5, PidTagBody, OPENSTREAM_ReadOnly,
				     ecSuccess), total);
	while (got < total) {
		TALLOC_CTX *tmp = talloc_new(f);
		uint16_t n;
		uint8_t *data = read_stream(f, tmp, 5, 0xBABE, 0x100000, &n);

		/* each piece is what fits in the 32 KB response buffer */
		assert_true(n > 0 && n < 0x8000);
		assert_memory_equal(data, body + got, n);
		got += n;
		talloc_free(tmp);
	}
	assert_int_equal(got, total);
	talloc_free(body);
	fixture_free(f);
}

static void test_stream_ops(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint8_t bin[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rop_request r;
	struct rop_response *resp;
	uint16_t n;
	uint8_t *data;

	create_message(f, f);
	open_stream(f, f, 2, 3, PidTagRtfCompressed, OPENSTREAM_Create, ecSuccess);
	write_stream(f, f, 3, bin, 8, ecSuccess);
	/* seeks: bad origin, before the start, past the end (zero-extends) */
	seek_stream(f, f, 3, 3, 0, StreamInvalidParam);
	seek_stream(f, f, 3, 0, -1, StreamSeekError);
	seek_stream(f, f, 3, 1, -9, StreamSeekError);
	assert_int_equal(seek_stream(f, f, 3, 1, 0, ecSuccess), 8);
	assert_int_equal(seek_stream(f, f, 3, 2, -2, ecSuccess), 6);
	assert_int_equal(seek_stream(f, f, 3, 2, 4, ecSuccess), 12);
	assert_int_equal(stream_size(f, f, 3), 12);
	/* SetStreamSize truncates and zero-extends */
	memset(&r, 0, sizeof(r));
	r.RopId = RopSetStreamSize;
	r.u.RopSetStreamSize.InputHandleIndex = 3;
	r.u.RopSetStreamSize.StreamSize = 4;
	one(f, f, &r, ecSuccess);
	r.u.RopSetStreamSize.StreamSize = 6;
	one(f, f, &r, ecSuccess);
	r.u.RopSetStreamSize.StreamSize = (uint64_t)MAPISTORE_MAX_VALUE_SIZE + 1;
	one(f, f, &r, StreamSizeError);
	assert_int_equal(stream_size(f, f, 3), 6);
	seek_stream(f, f, 3, 0, 0, ecSuccess);
	data = read_stream(f, f, 3, 100, 0, &n);
	assert_int_equal(n, 6);
	assert_memory_equal(data, ((const uint8_t[]){ 1, 2, 3, 4, 0, 0 }), 6);

	/* a clone shares the value, not the seek pointer */
	seek_stream(f, f, 3, 0, 2, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCloneStream;
	r.u.RopCloneStream.InputHandleIndex = 3;
	r.u.RopCloneStream.OutputHandleIndex = 4;
	one(f, f, &r, ecSuccess);
	assert_int_equal(seek_stream(f, f, 4, 1, 0, ecSuccess), 2);
	write_stream(f, f, 4, bin + 6, 2, ecSuccess);	/* 7, 8 at 2 */
	assert_int_equal(seek_stream(f, f, 3, 1, 0, ecSuccess), 2);
	data = read_stream(f, f, 3, 2, 0, &n);
	assert_memory_equal(data, bin + 6, 2);
	/* the clone outlives its source's handle */
	release(f, f, 3);
	assert_int_equal(stream_size(f, f, 4), 6);

	/* CopyToStream: ByteCount from the source's pointer to the dest's */
	open_stream(f, f, 2, 5, PidTagBody, OPENSTREAM_Create, ecSuccess);
	seek_stream(f, f, 4, 0, 0, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCopyToStream;
	r.u.RopCopyToStream.SourceHandleIndex = 4;
	r.u.RopCopyToStream.DestHandleIndex = 5;
	r.u.RopCopyToStream.ByteCount = 4;
	resp = one(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopCopyToStream.ReadByteCount, 4);
	assert_int_equal(resp->u.RopCopyToStream.WrittenByteCount, 4);
	r.u.RopCopyToStream.ByteCount = 1000;	/* only 2 left */
	resp = one(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopCopyToStream.ReadByteCount, 2);
	assert_int_equal(stream_size(f, f, 5), 6);
	r.u.RopCopyToStream.DestHandleIndex = 3;	/* released */
	resp = one(f, f, &r, ecDstNullObject);
	assert_int_equal(resp->u.RopCopyToStream.DestHandleIndex, 3);

	/* locks are granted; WriteAndCommitStream writes then commits */
	memset(&r, 0, sizeof(r));
	r.RopId = RopLockRegionStream;
	r.u.RopLockRegionStream.InputHandleIndex = 5;
	r.u.RopLockRegionStream.RegionSize = 4;
	one(f, f, &r, ecSuccess);
	r.RopId = RopUnlockRegionStream;
	one(f, f, &r, ecSuccess);
	seek_stream(f, f, 5, 0, 0, ecSuccess);
	memset(&r, 0, sizeof(r));
	r.RopId = RopWriteAndCommitStream;
	r.u.RopWriteAndCommitStream.InputHandleIndex = 5;
	r.u.RopWriteAndCommitStream.DataSize = sizeof(HELLO16);
	r.u.RopWriteAndCommitStream.Data = (uint8_t *)(uintptr_t)HELLO16;
	resp = one(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopWriteAndCommitStream.WrittenSize, 10);
	assert_string_equal(get_string(f, f, 2, PidTagBody), "hello");
	memset(&r, 0, sizeof(r));
	r.RopId = RopWriteStreamExtended;
	r.u.RopWriteStreamExtended.InputHandleIndex = 5;
	r.u.RopWriteStreamExtended.DataSize = 4;
	r.u.RopWriteStreamExtended.Data = (uint8_t *)(uintptr_t)HELLO16;
	resp = one(f, f, &r, ecSuccess);
	assert_int_equal(resp->u.RopWriteStreamExtended.WrittenSize, 4);
	assert_int_equal(stream_size(f, f, 5), 14);
	fixture_free(f);
}

/* RopGetPropertyIdsFromNames on handle @in */
static struct RopGetPropertyIdsFromNames_resp *ids_from_names(
	struct fixture *f, TALLOC_CTX *mem, uint8_t in, uint8_t flags,
	struct PropertyName *names, uint16_t count, uint32_t expect)
{
	struct rop_request r = { .RopId = RopGetPropertyIdsFromNames };

	r.u.RopGetPropertyIdsFromNames.InputHandleIndex = in;
	r.u.RopGetPropertyIdsFromNames.Flags = flags;
	r.u.RopGetPropertyIdsFromNames.PropertyNameCount = count;
	r.u.RopGetPropertyIdsFromNames.PropertyNames = names;
	return &one(f, mem, &r, expect)->u.RopGetPropertyIdsFromNames;
}

static void test_named_properties(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct PropertyName names[4];
	struct RopGetPropertyIdsFromNames_resp *ids;
	struct RopGetNamesFromPropertyIds_resp *nm;
	struct RopQueryNamedProperties_resp *q;
	struct TaggedPropertyValue v;
	struct rop_request r;
	uint16_t lookup[4], id_lid, id_name;

	memset(names, 0, sizeof(names));
	memcpy(names[0].Guid, PSETID_Common, 16);
	names[0].Kind = 0x00;
	names[0].LID = 0x8580;
	memcpy(names[1].Guid, PS_PUBLIC_STRINGS, 16);
	names[1].Kind = 0x01;
	names[1].Name = (char *)(uintptr_t)"Keywords";
	memcpy(names[2].Guid, PS_MAPI, 16);
	names[2].Kind = 0x00;
	names[2].LID = 0x0037;
	memcpy(names[3].Guid, PS_MAPI, 16);	/* PS_MAPI names have no string form */
	names[3].Kind = 0x01;
	names[3].Name = (char *)(uintptr_t)"x";

	/* unknown without the create flag: 0 and ecWarnWithErrors */
	ids = ids_from_names(f, f, 0, 0x00, names, 3, ecWarnWithErrors);
	assert_int_equal(ids->PropertyIdCount, 3);
	assert_int_equal(ids->PropertyIds[0], 0);
	assert_int_equal(ids->PropertyIds[1], 0);
	assert_int_equal(ids->PropertyIds[2], 0x0037);	/* a PS_MAPI LID is its ID */
	/* created, on a folder object this time (the map is the mailbox's) */
	ids = ids_from_names(f, f, 1, GETPROPIDS_Create, names, 3, ecSuccess);
	id_lid = ids->PropertyIds[0];
	id_name = ids->PropertyIds[1];
	assert_true(id_lid >= 0x8000 && id_name >= 0x8000 && id_lid != id_name);
	ids = ids_from_names(f, f, 0, 0x00, names, 4, ecWarnWithErrors);
	assert_int_equal(ids->PropertyIds[0], id_lid);
	assert_int_equal(ids->PropertyIds[1], id_name);
	assert_int_equal(ids->PropertyIds[3], 0);
	/* no names: every registered ID */
	ids = ids_from_names(f, f, 0, 0x00, NULL, 0, ecSuccess);
	assert_int_equal(ids->PropertyIdCount, 2);

	/* and back */
	lookup[0] = id_lid;
	lookup[1] = id_name;
	lookup[2] = 0x0037;
	lookup[3] = 0xFFF0;
	memset(&r, 0, sizeof(r));
	r.RopId = RopGetNamesFromPropertyIds;
	r.u.RopGetNamesFromPropertyIds.PropertyIdCount = 4;
	r.u.RopGetNamesFromPropertyIds.PropertyIds = lookup;
	nm = &one(f, f, &r, ecSuccess)->u.RopGetNamesFromPropertyIds;
	assert_int_equal(nm->PropertyNameCount, 4);
	assert_int_equal(nm->PropertyNames[0].Kind, 0x00);
	assert_memory_equal(nm->PropertyNames[0].Guid, PSETID_Common, 16);
	assert_int_equal(nm->PropertyNames[0].LID, 0x8580);
	assert_int_equal(nm->PropertyNames[1].Kind, 0x01);
	assert_memory_equal(nm->PropertyNames[1].Guid, PS_PUBLIC_STRINGS, 16);
	assert_string_equal(nm->PropertyNames[1].Name, "Keywords");
	assert_int_equal(nm->PropertyNames[2].Kind, 0x00);
	assert_memory_equal(nm->PropertyNames[2].Guid, PS_MAPI, 16);
	assert_int_equal(nm->PropertyNames[2].LID, 0x0037);
	assert_int_equal(nm->PropertyNames[3].Kind, 0xFF);

	/* RopQueryNamedProperties and its filters */
	memset(&r, 0, sizeof(r));
	r.RopId = RopQueryNamedProperties;
	q = &one(f, f, &r, ecSuccess)->u.RopQueryNamedProperties;
	assert_int_equal(q->IdCount, 2);
	r.u.RopQueryNamedProperties.QueryFlags = QUERYNAMED_NoStrings | 0x80;
	q = &one(f, f, &r, ecSuccess)->u.RopQueryNamedProperties;
	assert_int_equal(q->IdCount, 1);
	assert_int_equal(q->PropertyIds[0], id_lid);
	assert_int_equal(q->PropertyNames[0].LID, 0x8580);
	r.u.RopQueryNamedProperties.QueryFlags = QUERYNAMED_NoIds;
	q = &one(f, f, &r, ecSuccess)->u.RopQueryNamedProperties;
	assert_int_equal(q->IdCount, 1);
	assert_int_equal(q->PropertyIds[0], id_name);
	r.u.RopQueryNamedProperties.QueryFlags = 0;
	r.u.RopQueryNamedProperties.HasGuid = 1;
	memcpy(r.u.RopQueryNamedProperties.PropertyGuid, PSETID_Common, 16);
	q = &one(f, f, &r, ecSuccess)->u.RopQueryNamedProperties;
	assert_int_equal(q->IdCount, 1);
	assert_int_equal(q->PropertyIds[0], id_lid);

	/* property ROPs take the mapped ID like any other */
	create_message(f, f);
	memset(&v, 0, sizeof(v));
	v.PropertyTag = ((uint32_t)id_name << 16) | PtypString;
	v.Value.PropertyType = PtypString;
	v.Value.u.str = (char *)(uintptr_t)"red, blue";
	memset(&r, 0, sizeof(r));
	r.RopId = RopSetProperties;
	r.u.RopSetProperties.InputHandleIndex = 2;
	r.u.RopSetProperties.PropertyValueCount = 1;
	r.u.RopSetProperties.PropertyValues = &v;
	one(f, f, &r, ecSuccess);
	assert_string_equal(get_string(f, f, 2, v.PropertyTag), "red, blue");
	/* and a stream over it */
	assert_int_equal(open_stream(f, f, 2, 3, v.PropertyTag, OPENSTREAM_ReadOnly,
				     ecSuccess), 18);
	fixture_free(f);
}

/* an attachment's PidTagAttachDataBinary through a stream */
static void test_attachment_stream(void **state)
{
	struct fixture *f = fixture_new(*state);
	static const uint8_t bin[5] = { 0xDE, 0xAD, 0xBE, 0xEF, 0x00 };
	struct rop_request r;
	uint16_t n;
	uint8_t *data;

	create_message(f, f);
	memset(&r, 0, sizeof(r));
	r.RopId = RopCreateAttachment;
	r.u.RopCreateAttachment.InputHandleIndex = 2;
	r.u.RopCreateAttachment.OutputHandleIndex = 3;
	one(f, f, &r, ecSuccess);
	open_stream(f, f, 3, 4, 0x37010102, OPENSTREAM_Create, ecSuccess);
	write_stream(f, f, 4, bin, sizeof(bin), ecSuccess);
	simple(f, f, RopCommitStream, 4, ecSuccess);
	release(f, f, 4);
	assert_int_equal(open_stream(f, f, 3, 4, 0x37010102, OPENSTREAM_ReadOnly,
				     ecSuccess), sizeof(bin));
	data = read_stream(f, f, 4, 0xBABE, 100, &n);
	assert_int_equal(n, sizeof(bin));
	assert_memory_equal(data, bin, sizeof(bin));
	fixture_free(f);
}

/* a folder property through a stream: stored at commit, no save */
static void test_folder_stream(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct rop_request r;

	open_stream(f, f, 1, 3, PidTagComment, OPENSTREAM_Create, ecSuccess);
	write_stream(f, f, 3, HELLO16, sizeof(HELLO16), ecSuccess);
	/* [MS-OXCPRPT] 2.2.26: not on a folder's stream */
	memset(&r, 0, sizeof(r));
	r.RopId = RopWriteAndCommitStream;
	r.u.RopWriteAndCommitStream.InputHandleIndex = 3;
	r.u.RopWriteAndCommitStream.DataSize = 2;
	r.u.RopWriteAndCommitStream.Data = (uint8_t *)(uintptr_t)HELLO16;
	one(f, f, &r, ecNotSupported);
	simple(f, f, RopCommitStream, 3, ecSuccess);
	assert_string_equal(get_string(f, f, 1, PidTagComment), "hello");
	/* logons have no streams */
	open_stream(f, f, 0, 3, PidTagComment, OPENSTREAM_ReadOnly, ecNotSupported);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_string_stream, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_large_body, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_stream_ops, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_named_properties, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_attachment_stream, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_folder_stream, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

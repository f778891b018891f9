/*
 * [MS-OXCPRPT] Stream objects: RopOpenStream (2.2.14) to
 * RopWriteStreamExtended (2.2.17). The model is
 * emsmdb_oxcprpt.h's: the stream object owns a copy of the value, the
 * property changes only at RopCommitStream (or RopWriteAndCommitStream).
 */
#include "emsmdb_oxcprpt.h"
#include "emsmdb_oxc.h"

#include <stdint.h>
#include <string.h>

/* The value behind one or more stream objects (clones share it). */
struct emsmdb_stream_data {
	struct emsmdb_object *prop_obj;	/* folder / message the property is on */
	uint32_t PropertyTag;
	uint8_t *buf;			/* talloc child of this struct */
	size_t length;
	bool writable;
	bool dirty;
};

/* A stream object's state: the shared value and its own seek pointer. */
struct emsmdb_stream {
	struct emsmdb_stream_data *data;
	size_t position;
};

/* [MS-OXCPRPT] 3.2.5.18: positions stay below 2^31; ours below the
 * largest value mapistore stores */
#define EMSMDB_STREAM_MAX ((size_t)MAPISTORE_MAX_VALUE_SIZE)

static struct emsmdb_stream *emsmdb_stream_of(struct emsmdb_object *obj)
{
	return talloc_get_type_abort(obj->private_data, struct emsmdb_stream);
}

/* PtypString streams carry UTF-16LE ([MS-OXCPRPT] 2.2.14.1) */
static unsigned emsmdb_stream_mode(uint32_t tag, enum mapistore_stream_mode mode)
{
	return OXCDATA_PROP_TYPE(tag) == PtypString ?
		(unsigned)mode | MAPISTORE_STREAM_UTF16 : (unsigned)mode;
}

/* Resize the value to @size bytes, zero-filling a new tail. */
static uint32_t emsmdb_stream_resize(struct emsmdb_stream_data *d, size_t size)
{
	size_t alloc = talloc_get_size(d->buf);
	uint8_t *grown;

	if (size > EMSMDB_STREAM_MAX) {
		return StreamSizeError;
	}
	if (size > alloc) {
		alloc = alloc < 64 ? 64 : alloc;
		while (alloc < size) {
			alloc *= 2;
		}
		grown = talloc_realloc_size(d, d->buf, alloc);
		if (grown == NULL) {
			return ecMAPIOOM;
		}
		d->buf = grown;
	}
	if (size > d->length) {
		memset(d->buf + d->length, 0, size - d->length);
	}
	d->length = size;
	return ecSuccess;
}

/* Copy the stored value into @d (ecNotFound when the property is unset). */
static uint32_t emsmdb_stream_load(struct emsmdb_stream_data *d,
				   struct mapistore_object *mo)
{
	struct mapistore_stream *ms = NULL;
	enum mapistore_error ret;
	uint64_t size = 0;
	size_t got = 0, n;
	uint32_t ec;

	ret = mapistore_stream_open(d, mo, d->PropertyTag,
		(enum mapistore_stream_mode)emsmdb_stream_mode(d->PropertyTag,
							      MAPISTORE_STREAM_READ),
		&ms);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_stream_get_size(ms, &size);
	}
	if (ret != MAPISTORE_SUCCESS) {
		ec = emsmdb_ms_ec(ret);
		goto done;
	}
	ec = emsmdb_stream_resize(d, size);
	while (ec == ecSuccess && got < d->length) {
		n = 0;
		ret = mapistore_stream_read(ms, d->buf + got, d->length - got, &n);
		if (ret != MAPISTORE_SUCCESS) {
			ec = emsmdb_ms_ec(ret);
		} else if (n == 0) {
			d->length = got;	/* shorter than announced */
		}
		got += n;
	}
done:
	talloc_free(ms);
	return ec;
}

/* [MS-OXCPRPT] 2.2.18 RopCommitStream: write the value back into the object */
static uint32_t emsmdb_stream_store(struct emsmdb_stream_data *d)
{
	struct mapistore_object *mo = emsmdb_object_store(d->prop_obj);
	struct mapistore_stream *ms = NULL;
	enum mapistore_error ret;

	if (!d->dirty) {
		return ecSuccess;
	}
	if (mo == NULL) {
		return ecNotSupported;
	}
	ret = mapistore_stream_open(d, mo, d->PropertyTag,
		(enum mapistore_stream_mode)emsmdb_stream_mode(d->PropertyTag,
							      MAPISTORE_STREAM_WRITE),
		&ms);
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_stream_write(ms, d->buf, d->length);
	}
	if (ret == MAPISTORE_SUCCESS) {
		ret = mapistore_stream_commit(ms);
	}
	talloc_free(ms);
	if (ret != MAPISTORE_SUCCESS) {
		return emsmdb_ms_ec(ret);
	}
	d->dirty = false;
	return ecSuccess;
}

/* may the client change the properties of @obj? */
static bool emsmdb_object_writable(struct emsmdb_object *obj)
{
	struct emsmdb_message *m;

	if (obj->type != EMSMDB_OBJECT_MESSAGE) {
		return true;	/* folders: the owner may (access is owner-only) */
	}
	m = talloc_get_type(obj->private_data, struct emsmdb_message);
	return m != NULL && m->read_write;
}

/* [MS-OXCPRPT] 2.2.14 RopOpenStream */
uint32_t oxcprpt_RopOpenStream(struct emsmdb_rop_call *call)
{
	const struct RopOpenStream_req *req = &call->req->u.RopOpenStream;
	struct mapistore_object *mo = emsmdb_object_store(call->in);
	uint16_t type = OXCDATA_PROP_TYPE(req->PropertyTag);
	struct emsmdb_stream_data *d;
	struct emsmdb_stream *st;
	struct emsmdb_object *obj;
	bool writable = emsmdb_object_writable(call->in);
	uint32_t ec;

	if (req->OpenModeFlags > OPENSTREAM_BestAccess) {
		return ecInvalidParam;
	}
	/* only binary and string properties stream here (PtypObject, the
	 * attachment data object, is not offered) */
	if (type != PtypBinary && type != PtypString && type != PtypString8) {
		return ecNotSupported;
	}
	if (mo == NULL) {
		return ecNotSupported;	/* logons, openchangedb folders */
	}
	if (!writable && (req->OpenModeFlags == OPENSTREAM_ReadWrite ||
			  req->OpenModeFlags == OPENSTREAM_Create)) {
		return ecAccessDenied;
	}
	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_STREAM, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	st = talloc_zero(obj, struct emsmdb_stream);
	d = st ? talloc_zero(st, struct emsmdb_stream_data) : NULL;
	if (d == NULL) {
		return ecMAPIOOM;
	}
	obj->private_data = st;
	st->data = d;
	d->prop_obj = call->in;
	d->PropertyTag = req->PropertyTag;
	d->writable = req->OpenModeFlags != OPENSTREAM_ReadOnly && writable;
	if (req->OpenModeFlags == OPENSTREAM_Create) {
		/* a new, empty value replaces the current one at commit */
		d->dirty = true;
		ec = emsmdb_stream_resize(d, 0);
	} else {
		ec = emsmdb_stream_load(d, mo);
	}
	if (ec != ecSuccess) {
		return ec;
	}
	call->resp->u.RopOpenStream.StreamSize = (uint32_t)d->length;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.15 RopReadStream */
uint32_t oxcprpt_RopReadStream(struct emsmdb_rop_call *call)
{
	const struct RopReadStream_req *req = &call->req->u.RopReadStream;
	struct RopReadStream_resp *resp = &call->resp->u.RopReadStream;
	struct emsmdb_stream *st = emsmdb_stream_of(call->in);
	struct emsmdb_stream_data *d = st->data;
	/* RopId, InputHandleIndex, ReturnValue, DataSize come first */
	size_t room = call->space > 8 ? call->space - 8 : 0;
	size_t want = req->ByteCount;
	size_t avail = st->position < d->length ? d->length - st->position : 0;

	/* 0xBABE: MaximumByteCount says how much, up to what fits */
	if (req->ByteCount == 0xBABE) {
		want = req->MaximumByteCount;
	}
	want = want < room ? want : room;
	want = want < 0xFFFF ? want : 0xFFFF;	/* DataSize is 16 bits */
	want = want < avail ? want : avail;
	resp->DataSize = (uint16_t)want;
	resp->Data = talloc_memdup(call->mem_ctx, want ? d->buf + st->position
						       : (const uint8_t *)"", want ? want : 1);
	if (resp->Data == NULL) {
		return ecMAPIOOM;
	}
	st->position += want;
	return ecSuccess;
}

/* write @size bytes at the seek pointer; @written_r gets the count */
static uint32_t emsmdb_stream_write(struct emsmdb_stream *st, const uint8_t *data,
				    size_t size, size_t *written_r)
{
	struct emsmdb_stream_data *d = st->data;
	uint32_t ec;

	*written_r = 0;
	if (!d->writable) {
		return StreamAccessDenied;
	}
	if (size > EMSMDB_STREAM_MAX || st->position > EMSMDB_STREAM_MAX - size) {
		return ecTooBig;
	}
	if (st->position + size > d->length) {
		ec = emsmdb_stream_resize(d, st->position + size);
		if (ec != ecSuccess) {
			return ec;
		}
	}
	if (size > 0) {
		memcpy(d->buf + st->position, data, size);
	}
	st->position += size;
	d->dirty = true;
	*written_r = size;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.16 RopWriteStream */
uint32_t oxcprpt_RopWriteStream(struct emsmdb_rop_call *call)
{
	const struct RopWriteStream_req *req = &call->req->u.RopWriteStream;
	size_t n = 0;
	uint32_t ec;

	ec = emsmdb_stream_write(emsmdb_stream_of(call->in), req->Data, req->DataSize, &n);
	call->resp->u.RopWriteStream.WrittenSize = (uint16_t)n;
	return ec;
}

/* [MS-OXCPRPT] 2.2.17 RopWriteStreamExtended */
uint32_t oxcprpt_RopWriteStreamExtended(struct emsmdb_rop_call *call)
{
	const struct RopWriteStreamExtended_req *req = &call->req->u.RopWriteStreamExtended;
	size_t n = 0;
	uint32_t ec;

	ec = emsmdb_stream_write(emsmdb_stream_of(call->in), req->Data, req->DataSize, &n);
	call->resp->u.RopWriteStreamExtended.WrittenSize = (uint32_t)n;
	return ec;
}

/* [MS-OXCPRPT] 2.2.26 RopWriteAndCommitStream: a write then a
 * commit. The spec forbids it on folder properties. */
uint32_t oxcprpt_RopWriteAndCommitStream(struct emsmdb_rop_call *call)
{
	const struct RopWriteAndCommitStream_req *req = &call->req->u.RopWriteAndCommitStream;
	struct emsmdb_stream *st = emsmdb_stream_of(call->in);
	size_t n = 0;
	uint32_t ec;

	if (st->data->prop_obj->type == EMSMDB_OBJECT_FOLDER) {
		return ecNotSupported;
	}
	ec = emsmdb_stream_write(st, req->Data, req->DataSize, &n);
	call->resp->u.RopWriteAndCommitStream.WrittenSize = (uint16_t)n;
	if (ec != ecSuccess) {
		return ec;
	}
	return emsmdb_stream_store(st->data);
}

/* [MS-OXCPRPT] 2.2.18 RopCommitStream */
uint32_t oxcprpt_RopCommitStream(struct emsmdb_rop_call *call)
{
	return emsmdb_stream_store(emsmdb_stream_of(call->in)->data);
}

/* [MS-OXCPRPT] 2.2.19 RopGetStreamSize */
uint32_t oxcprpt_RopGetStreamSize(struct emsmdb_rop_call *call)
{
	call->resp->u.RopGetStreamSize.StreamSize =
		(uint32_t)emsmdb_stream_of(call->in)->data->length;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.20 RopSetStreamSize: truncate or zero-extend */
uint32_t oxcprpt_RopSetStreamSize(struct emsmdb_rop_call *call)
{
	struct emsmdb_stream_data *d = emsmdb_stream_of(call->in)->data;
	uint64_t size = call->req->u.RopSetStreamSize.StreamSize;
	uint32_t ec;

	if (!d->writable) {
		return StreamAccessDenied;
	}
	if (size > EMSMDB_STREAM_MAX) {
		return StreamSizeError;
	}
	ec = emsmdb_stream_resize(d, (size_t)size);
	if (ec == ecSuccess) {
		d->dirty = true;
	}
	return ec;
}

/* [MS-OXCPRPT] 2.2.21, 3.2.5.18 "Processing RopSeekStream" */
uint32_t oxcprpt_RopSeekStream(struct emsmdb_rop_call *call)
{
	const struct RopSeekStream_req *req = &call->req->u.RopSeekStream;
	struct emsmdb_stream *st = emsmdb_stream_of(call->in);
	int64_t offset = (int64_t)req->Offset;
	int64_t base, target;
	uint32_t ec;

	switch (req->Origin) {
	case 0x00: base = 0; break;				/* Beginning */
	case 0x01: base = (int64_t)st->position; break;		/* Current */
	case 0x02: base = (int64_t)st->data->length; break;	/* End */
	default: return StreamInvalidParam;
	}
	if (offset > (int64_t)EMSMDB_STREAM_MAX || offset < -(int64_t)EMSMDB_STREAM_MAX) {
		return StreamSeekError;
	}
	target = base + offset;
	if (target < 0 || target > (int64_t)EMSMDB_STREAM_MAX) {
		return StreamSeekError;
	}
	/* past the end the stream is extended with zeros */
	if ((size_t)target > st->data->length) {
		if (!st->data->writable) {
			return StreamSeekError;
		}
		ec = emsmdb_stream_resize(st->data, (size_t)target);
		if (ec != ecSuccess) {
			return ec;
		}
		st->data->dirty = true;
	}
	st->position = (size_t)target;
	call->resp->u.RopSeekStream.NewPosition = (uint64_t)target;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.22 RopCopyToStream: ByteCount bytes from the
 * source's seek pointer to the destination's; both pointers advance */
uint32_t oxcprpt_RopCopyToStream(struct emsmdb_rop_call *call)
{
	const struct RopCopyToStream_req *req = &call->req->u.RopCopyToStream;
	struct RopCopyToStream_resp *resp = &call->resp->u.RopCopyToStream;
	struct emsmdb_object *dst_obj = emsmdb_rop_object_at(call, req->DestHandleIndex);
	struct emsmdb_stream *src = emsmdb_stream_of(call->in);
	struct emsmdb_stream_data *sd = src->data;
	struct emsmdb_stream *dst;
	size_t avail = src->position < sd->length ? sd->length - src->position : 0;
	size_t n, written = 0;
	uint8_t *tmp;
	uint32_t ec;

	if (dst_obj == NULL) {
		resp->DestHandleIndex = req->DestHandleIndex;
		return ecDstNullObject;
	}
	if (dst_obj->type != EMSMDB_OBJECT_STREAM) {
		return ecNotSupported;
	}
	dst = emsmdb_stream_of(dst_obj);
	n = req->ByteCount < avail ? (size_t)req->ByteCount : avail;
	/* a copy: source and destination may share their value (clones) */
	tmp = talloc_memdup(call->mem_ctx, n ? sd->buf + src->position
					     : (const uint8_t *)"", n ? n : 1);
	if (tmp == NULL) {
		return ecMAPIOOM;
	}
	ec = emsmdb_stream_write(dst, tmp, n, &written);
	talloc_free(tmp);
	if (ec != ecSuccess) {
		return ec;
	}
	src->position += n;
	resp->ReadByteCount = n;
	resp->WrittenByteCount = written;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.24 RopLockRegionStream and 2.2.25
 * RopUnlockRegionStream. A stream object's value is private to it (and
 * its clones) until committed, so no other client can reach a region to
 * be excluded from it: the locks are granted without being tracked. */
uint32_t oxcprpt_RopLockRegionStream(struct emsmdb_rop_call *call)
{
	(void)call;
	return ecSuccess;
}

uint32_t oxcprpt_RopUnlockRegionStream(struct emsmdb_rop_call *call)
{
	(void)call;
	return ecSuccess;
}

/* [MS-OXCPRPT] 2.2.27 RopCloneStream: a new stream object on
 * the same value, with its own seek pointer starting where the source's
 * is. The clone is opened from the source, which it keeps alive. */
uint32_t oxcprpt_RopCloneStream(struct emsmdb_rop_call *call)
{
	struct emsmdb_stream *src = emsmdb_stream_of(call->in);
	struct emsmdb_stream *st;
	struct emsmdb_object *obj;
	uint32_t ec;

	ec = emsmdb_rop_new_object(call, EMSMDB_OBJECT_STREAM, call->in, &obj);
	if (ec != ecSuccess) {
		return ec;
	}
	st = talloc_zero(obj, struct emsmdb_stream);
	if (st == NULL) {
		return ecMAPIOOM;
	}
	st->data = src->data;
	st->position = src->position;
	obj->private_data = st;
	return ecSuccess;
}

/*
 * EMSMDB: the Server object handle table of one session ([MS-OXCROPS]
 * 1.3.1 "Server Objects", 3.2.5.3 RopRelease; the "Server Object Map" ADM
 * element of [MS-OXCROPS] 3.2.1).
 *
 * A Server object handle is a 32-bit value the server assigns. Ours are
 * (generation << 16) | slot: lookup is one array index plus a generation
 * compare, so a released handle is never confused with the object that
 * later reuses its slot. 0xFFFFFFFF is never assigned (it is the "no
 * object" value clients put in unused ServerObjectHandleTable entries).
 *
 * Lifetime (doc/emsmdb.md): an object is a talloc child of the table. It
 * stays allocated while its handle is mapped or while a child object (one
 * opened from it: a message from a folder, a table from a folder, an
 * attachment from a message...) still exists; releasing a handle only
 * unmaps it ([MS-OXCROPS] 3.2.5.3: "remove the mapping ... and release the
 * resources associated with it"; resources shared with live children are
 * kept until the last child goes). Releasing a logon object releases every
 * object opened under that logon (the Logon Map entry goes with it).
 *
 * Not thread-safe: a session's table is used by one thread at a time (the
 * session's serialized jobs, see doc/emsmdb.md).
 */
#ifndef EMSMDB_HANDLES_H
#define EMSMDB_HANDLES_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

/** The value of an unused handle table entry. */
#define EMSMDB_HANDLE_NONE 0xFFFFFFFFu

/** Kinds of Server object ([MS-OXCROPS] 1.3.1), one bit each in a mask. */
enum emsmdb_object_type {
	EMSMDB_OBJECT_NONE = 0,
	EMSMDB_OBJECT_LOGON,		/* RopLogon ([MS-OXCSTOR]) */
	EMSMDB_OBJECT_FOLDER,		/* [MS-OXCFOLD] */
	EMSMDB_OBJECT_MESSAGE,		/* [MS-OXCMSG], also embedded messages */
	EMSMDB_OBJECT_ATTACHMENT,	/* [MS-OXCMSG] */
	EMSMDB_OBJECT_TABLE,		/* [MS-OXCTABL] */
	EMSMDB_OBJECT_STREAM,		/* [MS-OXCPRPT] RopOpenStream */
	EMSMDB_OBJECT_SUBSCRIPTION,	/* [MS-OXCNOTIF] RopRegisterNotification */
	EMSMDB_OBJECT_FX_DOWNLOAD,	/* [MS-OXCFXICS] FastTransfer download */
	EMSMDB_OBJECT_FX_UPLOAD,	/* [MS-OXCFXICS] FastTransfer upload */
	EMSMDB_OBJECT_ICS_DOWNLOAD,	/* [MS-OXCFXICS] synchronization download */
	EMSMDB_OBJECT_ICS_UPLOAD,	/* [MS-OXCFXICS] synchronization upload */
	EMSMDB_OBJECT_TYPE_COUNT
};

/** Mask bit of one object type (for dispatch table rows). */
static inline uint32_t emsmdb_object_bit(enum emsmdb_object_type type)
{
	return (uint32_t)1 << type;
}

/** Name of a type ("folder", ...), "invalid" outside the enum. */
const char *emsmdb_object_type_name(enum emsmdb_object_type type);

struct emsmdb_handles;

/** One Server object. Fields are read-only outside emsmdb_handles.c. */
struct emsmdb_object {
	enum emsmdb_object_type type;
	/** EMSMDB_HANDLE_NONE once released (the object may live on). */
	uint32_t handle;
	/** The logon object this object was opened under (itself for a logon). */
	struct emsmdb_object *logon;
	/** The object it was opened from, NULL for a logon. */
	struct emsmdb_object *parent;
	/**
	 * Typed state of the object (struct emsmdb_folder, ...), a talloc
	 * child of the object, set by the ROP handler that created it.
	 */
	void *private_data;
	/* internal */
	struct emsmdb_handles *table;
	uint32_t refs;
};

/** Per-session limits ([MS-OXCROPS] 3.2.5; ecMaxObjsExceeded). */
struct emsmdb_handle_limits {
	/** Objects with a live handle, all types (at most 0xFFFE). */
	uint32_t max_objects;
	/** Per type; 0 means only max_objects applies. */
	uint32_t max_per_type[EMSMDB_OBJECT_TYPE_COUNT];
};

/** The defaults: 4096 objects, 256 logons, 512 subscriptions. */
void emsmdb_handle_limits_default(struct emsmdb_handle_limits *limits);

/**
 * A new, empty table allocated on @mem_ctx; @limits is copied (NULL: the
 * defaults). @return NULL on allocation failure.
 */
struct emsmdb_handles *emsmdb_handles_new(TALLOC_CTX *mem_ctx,
					  const struct emsmdb_handle_limits *limits);

/**
 * Create an object of @type opened from @parent (NULL only for a logon)
 * and map a new handle to it.
 *
 * @param obj_r  the object, a talloc child of the table
 * @return 0, ecMaxObjsExceeded (a limit is reached), ecMAPIOOM, or
 *         ecInvalidParam (a non-logon without parent, a released parent).
 */
uint32_t emsmdb_handles_add(struct emsmdb_handles *table,
			    enum emsmdb_object_type type,
			    struct emsmdb_object *parent,
			    struct emsmdb_object **obj_r);

/**
 * The object mapped to @handle, or NULL (never assigned, released, stale
 * generation, EMSMDB_HANDLE_NONE). O(1).
 */
struct emsmdb_object *emsmdb_handles_lookup(struct emsmdb_handles *table,
					    uint32_t handle);

/**
 * Unmap @obj's handle ([MS-OXCROPS] 3.2.5.3). The object is freed at once
 * unless children still refer to it; a logon takes every object of its
 * logon with it. Releasing an already released object does nothing.
 */
void emsmdb_handles_release(struct emsmdb_object *obj);

/** Number of objects with a live handle (of @type; NONE for all). */
uint32_t emsmdb_handles_count(const struct emsmdb_handles *table,
			      enum emsmdb_object_type type);

#endif /* EMSMDB_HANDLES_H */

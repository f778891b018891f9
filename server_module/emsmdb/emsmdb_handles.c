/*
 * EMSMDB Server object handle table ([MS-OXCROPS] 1.3.1, 3.2.5.3).
 * Contract in emsmdb_handles.h; lifetimes in doc/emsmdb.md.
 */
#include "emsmdb_handles.h"
#include "emsmdb_errors.h"

#include <string.h>

/* handles are (generation << 16) | slot: slots 0..0xFFFE, so 0xFFFFFFFF
 * (EMSMDB_HANDLE_NONE) cannot be produced */
#define EMSMDB_MAX_SLOTS 0xFFFFu
#define EMSMDB_NO_SLOT 0xFFFFFFFFu

struct emsmdb_slot {
	struct emsmdb_object *obj;	/* NULL when free */
	uint16_t gen;			/* generation of the current/next handle */
	uint32_t next_free;
};

struct emsmdb_handles {
	struct emsmdb_slot *slots;
	uint32_t num_slots;		/* allocated */
	uint32_t first_free;		/* EMSMDB_NO_SLOT when none */
	uint32_t live;
	uint32_t live_per_type[EMSMDB_OBJECT_TYPE_COUNT];
	struct emsmdb_handle_limits limits;
};

static const char *const emsmdb_object_type_names[EMSMDB_OBJECT_TYPE_COUNT] = {
	[EMSMDB_OBJECT_NONE] = "none",
	[EMSMDB_OBJECT_LOGON] = "logon",
	[EMSMDB_OBJECT_FOLDER] = "folder",
	[EMSMDB_OBJECT_MESSAGE] = "message",
	[EMSMDB_OBJECT_ATTACHMENT] = "attachment",
	[EMSMDB_OBJECT_TABLE] = "table",
	[EMSMDB_OBJECT_STREAM] = "stream",
	[EMSMDB_OBJECT_SUBSCRIPTION] = "notification subscription",
	[EMSMDB_OBJECT_FX_DOWNLOAD] = "FastTransfer download context",
	[EMSMDB_OBJECT_FX_UPLOAD] = "FastTransfer upload context",
	[EMSMDB_OBJECT_ICS_DOWNLOAD] = "ICS download context",
	[EMSMDB_OBJECT_ICS_UPLOAD] = "ICS upload context",
};

const char *emsmdb_object_type_name(enum emsmdb_object_type type)
{
	if ((unsigned)type >= EMSMDB_OBJECT_TYPE_COUNT) {
		return "invalid";
	}
	return emsmdb_object_type_names[type];
}

void emsmdb_handle_limits_default(struct emsmdb_handle_limits *limits)
{
	memset(limits, 0, sizeof(*limits));
	limits->max_objects = 4096;
	/* LogonId is one byte: at most 256 logons per session anyway */
	limits->max_per_type[EMSMDB_OBJECT_LOGON] = 256;
	limits->max_per_type[EMSMDB_OBJECT_SUBSCRIPTION] = 512;
}

struct emsmdb_handles *emsmdb_handles_new(TALLOC_CTX *mem_ctx,
					  const struct emsmdb_handle_limits *limits)
{
	struct emsmdb_handles *table = talloc_zero(mem_ctx, struct emsmdb_handles);

	if (table == NULL) {
		return NULL;
	}
	if (limits != NULL) {
		table->limits = *limits;
	} else {
		emsmdb_handle_limits_default(&table->limits);
	}
	if (table->limits.max_objects == 0 ||
	    table->limits.max_objects > EMSMDB_MAX_SLOTS) {
		table->limits.max_objects = EMSMDB_MAX_SLOTS;
	}
	table->first_free = EMSMDB_NO_SLOT;
	return table;
}

/* a free slot index, growing the array geometrically */
static bool emsmdb_handles_take_slot(struct emsmdb_handles *table,
				     uint32_t *slot_r)
{
	struct emsmdb_slot *slots;
	uint32_t n, i;

	if (table->first_free == EMSMDB_NO_SLOT) {
		if (table->num_slots >= EMSMDB_MAX_SLOTS) {
			return false;
		}
		n = table->num_slots ? table->num_slots * 2 : 16;
		if (n > EMSMDB_MAX_SLOTS) {
			n = EMSMDB_MAX_SLOTS;
		}
		slots = talloc_realloc(table, table->slots, struct emsmdb_slot, n);
		if (slots == NULL) {
			return false;
		}
		for (i = table->num_slots; i < n; i++) {
			slots[i].obj = NULL;
			slots[i].gen = 1;
			slots[i].next_free = (i + 1 < n) ? i + 1 : EMSMDB_NO_SLOT;
		}
		table->first_free = table->num_slots;
		table->slots = slots;
		table->num_slots = n;
	}
	*slot_r = table->first_free;
	table->first_free = table->slots[*slot_r].next_free;
	return true;
}

uint32_t emsmdb_handles_add(struct emsmdb_handles *table,
			    enum emsmdb_object_type type,
			    struct emsmdb_object *parent,
			    struct emsmdb_object **obj_r)
{
	struct emsmdb_object *obj;
	uint32_t slot, max_type;

	if (type <= EMSMDB_OBJECT_NONE || type >= EMSMDB_OBJECT_TYPE_COUNT) {
		return ecInvalidParam;
	}
	if ((type == EMSMDB_OBJECT_LOGON) != (parent == NULL)) {
		return ecInvalidParam;
	}
	if (parent != NULL && (parent->table != table ||
			       parent->handle == EMSMDB_HANDLE_NONE)) {
		return ecInvalidParam;
	}
	max_type = table->limits.max_per_type[type];
	if (table->live >= table->limits.max_objects ||
	    (max_type != 0 && table->live_per_type[type] >= max_type)) {
		return ecMaxObjsExceeded;
	}
	/* an object lives under its parent: a subtree frees bottom-up */
	obj = talloc_zero(parent != NULL ? (TALLOC_CTX *)parent : (TALLOC_CTX *)table,
			  struct emsmdb_object);
	if (obj == NULL) {
		return ecMAPIOOM;
	}
	if (!emsmdb_handles_take_slot(table, &slot)) {
		talloc_free(obj);
		return table->num_slots >= EMSMDB_MAX_SLOTS ? ecMaxObjsExceeded
							     : ecMAPIOOM;
	}
	obj->type = type;
	obj->table = table;
	obj->parent = parent;
	obj->logon = parent != NULL ? parent->logon : obj;
	obj->refs = 1;				/* the handle */
	obj->handle = ((uint32_t)table->slots[slot].gen << 16) | slot;
	table->slots[slot].obj = obj;
	if (parent != NULL) {
		parent->refs++;
	}
	table->live++;
	table->live_per_type[type]++;
	*obj_r = obj;
	return ecSuccess;
}

struct emsmdb_object *emsmdb_handles_lookup(struct emsmdb_handles *table,
					    uint32_t handle)
{
	uint32_t slot = handle & 0xFFFF;
	struct emsmdb_slot *s;

	if (handle == EMSMDB_HANDLE_NONE || slot >= table->num_slots) {
		return NULL;
	}
	s = &table->slots[slot];
	if (s->obj == NULL || s->gen != (handle >> 16)) {
		return NULL;
	}
	return s->obj;
}

/* drop one reference; free objects (and then parents) that reach zero */
static void emsmdb_object_unref(struct emsmdb_object *obj)
{
	while (obj != NULL) {
		struct emsmdb_object *parent = obj->parent;

		if (--obj->refs > 0) {
			return;
		}
		talloc_free(obj);
		obj = parent;
	}
}

/* remove the mapping only; returns true if there was one */
static bool emsmdb_handles_unmap(struct emsmdb_object *obj)
{
	struct emsmdb_handles *table = obj->table;
	uint32_t slot;

	if (obj->handle == EMSMDB_HANDLE_NONE) {
		return false;
	}
	slot = obj->handle & 0xFFFF;
	table->slots[slot].obj = NULL;
	/* skip generation 0 so that a handle is never 0x0000xxxx twice in a
	 * row; wraps after 65535 reuses of one slot */
	table->slots[slot].gen = table->slots[slot].gen == 0xFFFF ? 1 :
				 table->slots[slot].gen + 1;
	table->slots[slot].next_free = table->first_free;
	table->first_free = slot;
	table->live--;
	table->live_per_type[obj->type]--;
	obj->handle = EMSMDB_HANDLE_NONE;
	return true;
}

void emsmdb_handles_release(struct emsmdb_object *obj)
{
	struct emsmdb_handles *table;
	uint32_t i;

	if (obj == NULL || obj->handle == EMSMDB_HANDLE_NONE) {
		return;
	}
	table = obj->table;
	if (obj->type == EMSMDB_OBJECT_LOGON) {
		/* [MS-OXCROPS] 3.2.5.3: the logon leaves the Logon Map, and
		 * everything opened under it goes with it */
		for (i = 0; i < table->num_slots; i++) {
			struct emsmdb_object *o = table->slots[i].obj;

			if (o != NULL && o != obj && o->logon == obj &&
			    emsmdb_handles_unmap(o)) {
				emsmdb_object_unref(o);
			}
		}
	}
	if (emsmdb_handles_unmap(obj)) {
		emsmdb_object_unref(obj);
	}
}

uint32_t emsmdb_handles_count(const struct emsmdb_handles *table,
			      enum emsmdb_object_type type)
{
	if (type == EMSMDB_OBJECT_NONE) {
		return table->live;
	}
	if ((unsigned)type >= EMSMDB_OBJECT_TYPE_COUNT) {
		return 0;
	}
	return table->live_per_type[type];
}

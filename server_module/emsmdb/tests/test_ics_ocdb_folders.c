/*
 * Property changes of openchangedb folders in the hierarchy download
 * ([MS-OXCFXICS] 3.2.5.9.1, folderChange of 2.2.4.3.3; 3.1.5.3: every
 * change gets a new CN, change key and PCL), through the dispatcher on a
 * real mapistore: RopSetProperties / RopDeleteProperties on the Inbox (a
 * special folder: openchangedb record over a backend root) and on the
 * IPM subtree (a system folder, openchangedb only), each reported once
 * by the next incremental hierarchy sync with the change key of a new
 * CN, RopGetPropertiesSpecific agreeing with the folderChange, the sync
 * after it quiet; the change surviving a new session (new mapistore
 * context); RopSynchronizationImportHierarchyChange on those folders.
 */
#include "oc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_oxc.h"
#include "ics.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 8
#define H_LOGON 0
#define H_ROOT 1
#define H_FOLDER 2
#define H_SYNC 3
#define H_COLL 4

/* [MS-OXPROPS] */
#define PidTagExtendedFolderFlags 0x36DA0102

/* [MS-OXCROPS] 2.2.3.1.2 RopLogon FolderIds */
#define FID_ROOT 0
#define FID_IPM_SUBTREE 3
#define FID_INBOX 4

struct fixture {
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	uint32_t handles[NH];
	struct emsmdb_test_rops rt;
	uint64_t fids[13];
};

/* one hierarchy download, decoded */
struct hsync {
	struct fxics_atom *atoms;
	size_t count;
	const struct fxics_atom *state[4];	/* Given, Seen (the rest NULL) */
};

/* what RopGetPropertiesSpecific answers for the ICS identifiers */
static const uint32_t ident_tags[] = { PidTagSourceKey, PidTagChangeKey,
	PidTagPredecessorChangeList, PidTagLastModificationTime, PidTagChangeNumber,
	PidTagComment };
#define N_IDENT (sizeof(ident_tags) / sizeof(ident_tags[0]))

static void logon(struct fixture *f)
{
	emsmdb_test_rops_init(&f->rt, f->s, f->handles, NH);
	emsmdb_test_logon(&f->rt, f, DN, H_LOGON, ecSuccess, f->fids);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_ROOT, f->fids[FID_ROOT]);
}

static struct fixture *fixture_new(TALLOC_CTX *mem_ctx)
{
	struct fixture *f = talloc_zero(mem_ctx, struct fixture);

	assert_non_null(f);
	f->s = emsmdb_test_session_new(&f->t, "icsocdb", DN);
	logon(f);
	return f;
}

static void fixture_free(struct fixture *f)
{
	emsmdb_test_session_free(&f->t, f->s);
	talloc_free(f);
}

/* close the session (and its mapistore context), open a new one */
static void reopen(struct fixture *f)
{
	f->s = ics_test_session_reopen(&f->t, f->s, "alice", DN, "Alice");
	logon(f);
}

/* hierarchy sync of the root from @prev (NULL: initial), Eid and Cn */
static void hsync(struct fixture *f, TALLOC_CTX *mem, const struct hsync *prev,
		  struct hsync *p)
{
	struct ics_test_sync c = { H_ROOT, H_SYNC, SynchronizationType_Hierarchy,
				   SynchronizationFlags_Unicode,
				   SynchronizationExtraFlags_Eid | SynchronizationExtraFlags_Cn,
				   NULL };
	size_t i;

	memset(p, 0, sizeof(*p));
	ics_test_configure(&f->rt, &c, ecSuccess);
	if (prev != NULL) {
		ics_test_upload_state(&f->rt, H_SYNC, prev->state, 2);
	}
	ics_test_download_atoms(&f->rt, mem, H_SYNC, FXICS_ROOT_HIERARCHY_SYNC, &p->atoms,
				&p->count);
	for (i = 0; i < p->count; i++) {
		if (p->atoms[i].PropertyTag == MetaTagIdsetGiven) {
			p->state[0] = &p->atoms[i];
		} else if (p->atoms[i].PropertyTag == MetaTagCnsetSeen) {
			p->state[1] = &p->atoms[i];
		}
	}
	assert_non_null(p->state[0]);
	assert_non_null(p->state[1]);
	ics_test_release(&f->rt, H_SYNC);
}

static size_t changes(const struct hsync *p)
{
	return ics_test_count_tag(p->atoms, p->count, IncrSyncChg);
}

/* the atom of @tag in the folderChange of @fid; NULL when absent */
static const struct fxics_atom *change_prop(const struct hsync *p, uint64_t fid, uint32_t tag)
{
	size_t i, start = 0, k;

	for (i = 0; i < p->count; i++) {
		if (p->atoms[i].PropertyTag == IncrSyncChg) {
			start = i;
		}
		if (p->atoms[i].PropertyTag != PidTagFolderId || p->atoms[i].Value.u.d != fid) {
			continue;
		}
		for (k = start + 1; k < p->count && p->atoms[k].PropertyTag != IncrSyncChg &&
		     p->atoms[k].PropertyTag != IncrSyncDel &&
		     p->atoms[k].PropertyTag != IncrSyncStateBegin; k++) {
			if (p->atoms[k].PropertyTag == tag) {
				return &p->atoms[k];
			}
		}
		return NULL;
	}
	return NULL;
}

/* RopGetPropertiesSpecific of ident_tags on the folder at @idx */
static struct RowPropertyValue *ident_props(struct fixture *f, TALLOC_CTX *mem, uint8_t idx)
{
	struct rop_request r = { .RopId = RopGetPropertiesSpecific };
	struct rop_response *resp;

	r.u.RopGetPropertiesSpecific.InputHandleIndex = idx;
	r.u.RopGetPropertiesSpecific.WantUnicode = 1;
	r.u.RopGetPropertiesSpecific.PropertyTagCount = N_IDENT;
	r.u.RopGetPropertiesSpecific.PropertyTags = (uint32_t *)(uintptr_t)ident_tags;
	resp = emsmdb_test_run1(&f->rt, mem, &r, ecSuccess);
	assert_int_equal(resp->u.RopGetPropertiesSpecific.RowData.ValueCount, N_IDENT);
	return resp->u.RopGetPropertiesSpecific.RowData.Values;
}

static uint64_t xid_globcnt(const uint8_t *xid)
{
	uint64_t g = 0;
	unsigned k;

	for (k = 16; k < 22; k++) {
		g = (g << 8) | xid[k];
	}
	return g;
}

static bool seen_has(TALLOC_CTX *mem, const struct hsync *p, uint64_t globcnt)
{
	const struct fxics_atom *a = p->state[1];
	struct IDSET *set = NULL;
	bool has;

	assert_int_equal(idset_decode(mem, a->Value.u.bin.lpb, a->Value.u.bin.cb, true, &set),
			 ROP_OK);
	has = set->Count == 1 && globset_contains(set->Entries[0].Globset, globcnt);
	talloc_free(set);
	return has;
}

static void bin_equal(const struct RowPropertyValue *v, const struct fxics_atom *a)
{
	assert_non_null(a);
	assert_int_equal(v->Flag, 0);
	assert_int_equal(v->Value.u.bin.cb, a->Value.u.bin.cb);
	assert_memory_equal(v->Value.u.bin.lpb, a->Value.u.bin.lpb, a->Value.u.bin.cb);
}

/*
 * @p (the sync after @prev) reports the folder at @idx (FID @fid) with
 * the change key of a CN @prev had not seen, PCL holding it, and
 * RopGetPropertiesSpecific agreeing; its PidTagComment is @comment
 * (NULL: absent; ANY_COMMENT: not checked). The change key, for
 * comparisons, in @ck.
 */
static const char ANY_COMMENT[] = "*";

static void check_change(struct fixture *f, TALLOC_CTX *mem, const struct hsync *prev,
			 const struct hsync *p, uint8_t idx, uint64_t fid, const char *comment,
			 uint8_t ck[22])
{
	const struct RowPropertyValue *v = ident_props(f, mem, idx);
	const struct fxics_atom *a;
	uint64_t g;

	bin_equal(&v[0], change_prop(p, fid, PidTagSourceKey));
	bin_equal(&v[1], change_prop(p, fid, PidTagChangeKey));
	bin_equal(&v[2], change_prop(p, fid, PidTagPredecessorChangeList));
	assert_int_equal(v[1].Value.u.bin.cb, 22);
	/* the change key is an XID of the replica's (source key's GUID) */
	assert_memory_equal(v[1].Value.u.bin.lpb, v[0].Value.u.bin.lpb, 16);
	g = xid_globcnt(v[1].Value.u.bin.lpb);
	assert_false(seen_has(mem, prev, g));
	assert_true(seen_has(mem, p, g));
	/* the PCL holds it ([MS-OXCFXICS] 2.2.1.2.8: SizedXid 22 + XID) */
	assert_true(v[2].Value.u.bin.cb >= 23);
	assert_non_null(memmem(v[2].Value.u.bin.lpb, v[2].Value.u.bin.cb,
			       v[1].Value.u.bin.lpb, 22));
	a = change_prop(p, fid, PidTagLastModificationTime);
	assert_non_null(a);
	assert_int_equal(v[3].Flag, 0);
	assert_true(v[3].Value.u.d != 0);
	assert_int_equal(v[3].Value.u.d, a->Value.u.d);
	a = change_prop(p, fid, PidTagChangeNumber);
	assert_non_null(a);
	assert_int_equal(v[4].Value.u.d, a->Value.u.d);
	assert_int_equal(mapistore_fmid_globcnt(v[4].Value.u.d), g);
	a = change_prop(p, fid, PidTagComment);
	if (comment == ANY_COMMENT) {
		a = NULL;	/* the memory backend's data went with its context */
	} else if (comment == NULL) {
		assert_null(a);
		assert_int_not_equal(v[5].Flag, 0);
	} else {
		assert_non_null(a);
		assert_string_equal(a->Value.u.str, comment);
		assert_string_equal(v[5].Value.u.str, comment);
	}
	memcpy(ck, v[1].Value.u.bin.lpb, 22);
}

static void set_comment(struct fixture *f, uint8_t idx, uint16_t rop_id, const char *comment)
{
	struct rop_request r = { .RopId = rop_id };
	struct TaggedPropertyValue v[2];
	static const uint8_t flags[] = { 0x01, 0x04, 0x01, 0x00, 0x00, 0x00 };
	TALLOC_CTX *tmp = talloc_new(f);

	memset(v, 0, sizeof(v));
	v[0].PropertyTag = PidTagComment;
	v[0].Value.PropertyType = PtypString;
	v[0].Value.u.str = (char *)(uintptr_t)comment;
	ics_test_bin_prop(&v[1], PidTagExtendedFolderFlags, flags, sizeof(flags));
	/* same layout for both ROPs ([MS-OXCROPS] 2.2.8.6, 2.2.8.7) */
	r.u.RopSetProperties.InputHandleIndex = idx;
	r.u.RopSetProperties.PropertyValueCount = 2;
	r.u.RopSetProperties.PropertyValues = v;
	if (rop_id == RopSetPropertiesNoReplicate) {
		r.u.RopSetPropertiesNoReplicate.InputHandleIndex = idx;
		r.u.RopSetPropertiesNoReplicate.PropertyValueCount = 2;
		r.u.RopSetPropertiesNoReplicate.PropertyValues = v;
	}
	emsmdb_test_run1(&f->rt, tmp, &r, ecSuccess);
	talloc_free(tmp);
}

static void delete_comment(struct fixture *f, uint8_t idx, uint32_t expect)
{
	struct rop_request r = { .RopId = RopDeleteProperties };
	static const uint32_t tags[] = { PidTagComment };
	TALLOC_CTX *tmp = talloc_new(f);

	r.u.RopDeleteProperties.InputHandleIndex = idx;
	r.u.RopDeleteProperties.PropertyTagCount = 1;
	r.u.RopDeleteProperties.PropertyTags = (uint32_t *)(uintptr_t)tags;
	emsmdb_test_run1(&f->rt, tmp, &r, expect);
	talloc_free(tmp);
}

static void test_special_folder(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct hsync p0, p1, p2, p3, p4;
	uint8_t ck1[22], ck2[22];

	hsync(f, f, NULL, &p0);
	assert_true(changes(&p0) >= 10);
	/* nothing changed: quiet */
	hsync(f, f, &p0, &p1);
	assert_int_equal(changes(&p1), 0);

	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_INBOX]);
	set_comment(f, H_FOLDER, RopSetProperties, "inbox view");
	hsync(f, f, &p1, &p2);
	assert_int_equal(changes(&p2), 1);
	assert_non_null(change_prop(&p2, f->fids[FID_INBOX], PidTagChangeKey));
	assert_non_null(change_prop(&p2, f->fids[FID_INBOX], PidTagExtendedFolderFlags));
	check_change(f, f, &p1, &p2, H_FOLDER, f->fids[FID_INBOX], "inbox view", ck1);
	hsync(f, f, &p2, &p3);
	assert_int_equal(changes(&p3), 0);

	/* RopDeleteProperties: another change, the PCL keeps one XID per
	 * replica (the newer) */
	delete_comment(f, H_FOLDER, ecSuccess);
	hsync(f, f, &p3, &p4);
	assert_int_equal(changes(&p4), 1);
	check_change(f, f, &p3, &p4, H_FOLDER, f->fids[FID_INBOX], NULL, ck2);
	assert_true(xid_globcnt(ck2) > xid_globcnt(ck1));
	hsync(f, f, &p4, &p1);
	assert_int_equal(changes(&p1), 0);
	fixture_free(f);
}

static void test_system_folder(void **state)
{
	struct fixture *f = fixture_new(*state);
	uint64_t ipm = f->fids[FID_IPM_SUBTREE];
	struct hsync p0, p1, p2;
	uint8_t ck1[22], ck2[22];

	hsync(f, f, NULL, &p0);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, ipm);
	set_comment(f, H_FOLDER, RopSetProperties, "top");
	hsync(f, f, &p0, &p1);
	assert_int_equal(changes(&p1), 1);
	check_change(f, f, &p0, &p1, H_FOLDER, ipm, "top", ck1);
	hsync(f, f, &p1, &p2);
	assert_int_equal(changes(&p2), 0);

	/* NoReplicate changes the folder all the same */
	set_comment(f, H_FOLDER, RopSetPropertiesNoReplicate, "top 2");
	hsync(f, f, &p2, &p0);
	assert_int_equal(changes(&p0), 1);
	check_change(f, f, &p2, &p0, H_FOLDER, ipm, "top 2", ck2);
	assert_memory_not_equal(ck1, ck2, 22);

	/* openchangedb keeps no property deletions: refused, no change */
	delete_comment(f, H_FOLDER, ecNotSupported);
	hsync(f, f, &p0, &p1);
	assert_int_equal(changes(&p1), 0);
	fixture_free(f);
}

/* both kinds in one download, each once; the change rows outlive the
 * session and its mapistore context */
static void test_both_and_reopen(void **state)
{
	struct fixture *f = fixture_new(*state);
	struct hsync p0, p1, p2;
	uint8_t ck[22];

	hsync(f, f, NULL, &p0);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_INBOX]);
	set_comment(f, H_FOLDER, RopSetProperties, "a");
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_IPM_SUBTREE]);
	set_comment(f, H_FOLDER, RopSetProperties, "b");
	reopen(f);
	hsync(f, f, &p0, &p1);
	assert_int_equal(changes(&p1), 2);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_INBOX]);
	/* the Inbox's properties live in the memory backend, which forgets
	 * them with its context; its change row stays */
	check_change(f, f, &p0, &p1, H_FOLDER, f->fids[FID_INBOX], ANY_COMMENT, ck);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_IPM_SUBTREE]);
	check_change(f, f, &p0, &p1, H_FOLDER, f->fids[FID_IPM_SUBTREE], "b", ck);
	/* parents first ([MS-OXCFXICS] 3.2.5.3): the IPM subtree before the Inbox */
	assert_true(change_prop(&p1, f->fids[FID_IPM_SUBTREE], PidTagChangeKey) <
		    change_prop(&p1, f->fids[FID_INBOX], PidTagChangeKey));
	reopen(f);
	hsync(f, f, &p1, &p2);
	assert_int_equal(changes(&p2), 0);
	fixture_free(f);
}

/* RopSynchronizationImportHierarchyChange ([MS-OXCROPS] 2.2.13.4) of
 * folder @fid below @parent_sk (NULL: the collector's folder) */
static uint32_t import_folder(struct fixture *f, TALLOC_CTX *mem, const uint8_t *parent_sk,
			      const uint8_t *sk, const char *name, const char *comment)
{
	static const uint8_t client_guid[16] = { 0xC1, 0x1E, 0x47, 0x1D, 1, 2, 3, 4, 5, 6,
						 7, 8, 9, 10, 11, 12 };
	struct rop_request r = { .RopId = RopSynchronizationImportHierarchyChange };
	struct TaggedPropertyValue hv[6], pv[1];
	uint8_t *ck = ics_test_xid(mem, client_guid, 0x42);
	uint8_t *pcl = talloc_size(mem, 23);
	struct rop_buffer *out;

	assert_non_null(pcl);
	pcl[0] = 22;
	memcpy(pcl + 1, ck, 22);
	memset(hv, 0, sizeof(hv));
	memset(pv, 0, sizeof(pv));
	ics_test_bin_prop(&hv[0], PidTagParentSourceKey, parent_sk, parent_sk ? 22 : 0);
	ics_test_bin_prop(&hv[1], PidTagSourceKey, sk, 22);
	hv[2].PropertyTag = PidTagLastModificationTime;
	hv[2].Value.PropertyType = PtypTime;
	hv[2].Value.u.d = 0x01D0000000000000ULL;
	ics_test_bin_prop(&hv[3], PidTagChangeKey, ck, 22);
	ics_test_bin_prop(&hv[4], PidTagPredecessorChangeList, pcl, 23);
	hv[5].PropertyTag = PidTagDisplayName;
	hv[5].Value.PropertyType = PtypString;
	hv[5].Value.u.str = (char *)(uintptr_t)name;
	pv[0].PropertyTag = PidTagComment;
	pv[0].Value.PropertyType = PtypString;
	pv[0].Value.u.str = (char *)(uintptr_t)comment;
	r.u.RopSynchronizationImportHierarchyChange.InputHandleIndex = H_COLL;
	r.u.RopSynchronizationImportHierarchyChange.HierarchyValueCount = 6;
	r.u.RopSynchronizationImportHierarchyChange.HierarchyValues = hv;
	r.u.RopSynchronizationImportHierarchyChange.PropertyValueCount = 1;
	r.u.RopSynchronizationImportHierarchyChange.PropertyValues = pv;
	out = emsmdb_test_run(&f->rt, mem, &r, 1);
	return emsmdb_test_rv(&out->responses[0]);
}

static void test_import_hierarchy_change(void **state)
{
	struct fixture *f = fixture_new(*state);
	const struct RowPropertyValue *v;
	uint8_t ipm_sk[22], inbox_sk[22], ck[22];
	struct hsync p0, p1, p2;

	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_IPM_SUBTREE]);
	v = ident_props(f, f, H_FOLDER);
	memcpy(ipm_sk, v[0].Value.u.bin.lpb, 22);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_INBOX]);
	v = ident_props(f, f, H_FOLDER);
	memcpy(inbox_sk, v[0].Value.u.bin.lpb, 22);
	hsync(f, f, NULL, &p0);

	ics_test_open_collector(&f->rt, H_ROOT, H_COLL, false);
	/* the Inbox's properties, same parent: applied */
	assert_int_equal(import_folder(f, f, ipm_sk, inbox_sk, "Inbox", "from client"),
			 ecSuccess);
	/* a system folder's (the IPM subtree, child of the root) */
	assert_int_equal(import_folder(f, f, NULL, ipm_sk, "Top of Information Store",
				       "top from client"), ecSuccess);
	/* a special folder does not move ([MS-OXOSFLD] 3.1.4.1) */
	assert_int_equal(import_folder(f, f, NULL, inbox_sk, "Inbox", "moved"),
			 ecAccessDenied);
	ics_test_release(&f->rt, H_COLL);

	v = ident_props(f, f, H_FOLDER);
	assert_string_equal(v[5].Value.u.str, "from client");
	hsync(f, f, &p0, &p1);
	assert_int_equal(changes(&p1), 2);
	check_change(f, f, &p0, &p1, H_FOLDER, f->fids[FID_INBOX], "from client", ck);
	emsmdb_test_open_folder(&f->rt, f, H_LOGON, H_FOLDER, f->fids[FID_IPM_SUBTREE]);
	check_change(f, f, &p0, &p1, H_FOLDER, f->fids[FID_IPM_SUBTREE], "top from client",
		     ck);
	hsync(f, f, &p1, &p2);
	assert_int_equal(changes(&p2), 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_special_folder, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_system_folder, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_both_and_reopen, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_import_hierarchy_change, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

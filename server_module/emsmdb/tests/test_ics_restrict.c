/*
 * The restriction of RopSynchronizationConfigure ([MS-OXCFXICS]
 * 2.2.3.2.1.1.1 RestrictionData) with the restriction types that need
 * more than one message's properties ([MS-OXCDATA] 2.12.10
 * SubObjectRestriction on the recipients, 2.12.12 CountRestriction),
 * through the dispatcher on the memory and the local backend: a contents
 * synchronization of the Inbox sends exactly the messages that match.
 */
#include "oc_test.h"

#include <string.h>

#include "emsmdb_rop.h"
#include "emsmdb_store.h"
#include "ics.h"
#include "emsmdb_test_session.h"
#include "ics_test_util.h"

#define DN "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=alice"
#define NH 4
#define H_LOGON 0
#define H_FOLDER 1
#define H_SYNC 2
#define FID_INBOX 4

/* the subjects a contents synchronization of the Inbox sends under @res */
static void sync_subjects(struct emsmdb_test_rops *rt, TALLOC_CTX *mem, struct Restriction *res,
			  char *out, size_t out_size)
{
	struct ics_test_sync c = { H_FOLDER, H_SYNC, 1 /* contents */,
				   SynchronizationFlags_Unicode | SynchronizationFlags_Normal,
				   0, res };
	struct fxics_atom *atoms = NULL;
	size_t n = 0, i;

	ics_test_configure(rt, &c, ecSuccess);
	ics_test_download_atoms(rt, mem, H_SYNC, FXICS_ROOT_CONTENTS_SYNC, &atoms, &n);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (atoms[i].PropertyTag == PidTagSubject) {
			strncat(out, atoms[i].Value.u.str, out_size - strlen(out) - 2);
			strcat(out, " ");
		}
	}
	ics_test_release(rt, H_SYNC);
}

static void run_case(void **state, bool local)
{
	struct emsmdb_test_session t;
	struct emsmdb_session *s;
	struct emsmdb_test_rops rt;
	uint32_t handles[NH];
	uint64_t fids[13], mids[4];
	struct Restriction name, sub, count, att;
	char got[256];
	TALLOC_CTX *mem = talloc_new(*state);
	static const char *const subjects[] = { "a", "b", "c", "d" };
	unsigned i;

	s = local ? ics_test_owner_session_new(&t, "icsres-local", DN) :
		emsmdb_test_session_new(&t, "icsres-mem", DN);
	emsmdb_test_rops_init(&rt, s, handles, NH);
	emsmdb_test_logon(&rt, mem, DN, H_LOGON, ecSuccess, fids);
	emsmdb_test_open_folder(&rt, mem, H_LOGON, H_FOLDER, fids[FID_INBOX]);
	for (i = 0; i < 4; i++) {
		mids[i] = ics_test_store_message(mem, s->mstore, fids[FID_INBOX], subjects[i]);
	}
	emsmdb_test_add_recipient(mem, s->mstore, fids[FID_INBOX], mids[1], "Bob Smith");
	emsmdb_test_add_recipient(mem, s->mstore, fids[FID_INBOX], mids[3], "Bob Jones");
	emsmdb_test_add_recipient(mem, s->mstore, fids[FID_INBOX], mids[2], "Carol");

	memset(&name, 0, sizeof(name));
	name.RestrictType = RES_CONTENT;
	name.u.Content.FuzzyLevelLow = 0x0001;	/* FL_SUBSTRING */
	name.u.Content.FuzzyLevelHigh = 0x0001;	/* FL_IGNORECASE */
	name.u.Content.PropertyTag = PidTagDisplayName;
	name.u.Content.TaggedValue.PropertyTag = PidTagDisplayName;
	name.u.Content.TaggedValue.Value.PropertyType = PtypString;
	name.u.Content.TaggedValue.Value.u.str = (char *)(uintptr_t)"bob";
	memset(&sub, 0, sizeof(sub));
	sub.RestrictType = RES_SUBRESTRICTION;
	sub.u.SubObject.Subobject = PidTagMessageRecipients;
	sub.u.SubObject.Restriction = &name;

	/* CN order: a, then the messages in the order they got recipients */
	sync_subjects(&rt, mem, NULL, got, sizeof(got));
	assert_string_equal(got, "a b d c ");
	sync_subjects(&rt, mem, &sub, got, sizeof(got));
	assert_string_equal(got, "b d ");
	/* the first match only (listing order: CN order) */
	memset(&count, 0, sizeof(count));
	count.RestrictType = RES_COUNT;
	count.u.Count.Count = 1;
	count.u.Count.SubRestriction = &sub;
	sync_subjects(&rt, mem, &count, got, sizeof(got));
	assert_string_equal(got, "b ");
	/* no message has attachments */
	att = sub;
	att.u.SubObject.Subobject = PidTagMessageAttachments;
	sync_subjects(&rt, mem, &att, got, sizeof(got));
	assert_string_equal(got, "");
	/* a subobject that is neither: refused at Configure */
	att.u.SubObject.Subobject = PidTagSubject;
	{
		struct ics_test_sync c = { H_FOLDER, H_SYNC, 1,
					   SynchronizationFlags_Unicode |
					   SynchronizationFlags_Normal, 0, &att };

		ics_test_configure(&rt, &c, ecInvalidParam);
	}
	talloc_free(mem);
	emsmdb_test_session_free(&t, s);
}

static void test_restrict_memory(void **state)
{
	run_case(state, false);
}

static void test_restrict_local(void **state)
{
	run_case(state, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restrict_memory, oc_test_setup,
						oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_restrict_local, oc_test_setup,
						oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

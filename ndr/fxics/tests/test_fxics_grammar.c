/*
 * Syntactic structure of FastTransfer streams ([MS-OXCFXICS] 2.2.4.2):
 * streams built with the encoder helpers validate as their root; broken
 * sequences are refused at the first atom that does not fit.
 */
#include "fxics_test_util.h"

static struct fxics_atom *decode(TALLOC_CTX *mem, struct fxics_encoder *enc, size_t *n)
{
	const uint8_t *p;
	size_t len;
	struct fxics_atom *a = NULL;

	assert_int_equal(fxics_encoder_next_buffer(enc, SIZE_MAX, &p, &len), ROP_OK);
	assert_int_equal(fxics_decode_all(mem, p, len, 0, &a, n), ROP_OK);
	return a;
}

static struct fxics_message *sample_message(TALLOC_CTX *mem, unsigned nesting)
{
	struct fxics_message *m = talloc_zero(mem, struct fxics_message);
	struct fxics_atom *props = talloc_array(m, struct fxics_atom, 2);

	props[0] = fx_str(0x0037001F, "Subject");
	props[1] = fx_u32(0x0E070003, 1);
	m->Props = (struct fxics_proplist) { 2, props };
	m->DelPropRecipients = true;
	m->RecipientCount = 1;
	m->Recipients = talloc_zero(m, struct fxics_proplist);
	m->Recipients[0] = (struct fxics_proplist) { 1, props };
	m->DelPropAttachments = true;
	m->AttachmentCount = 1;
	m->Attachments = talloc_zero(m, struct fxics_attachment);
	m->Attachments[0].AttachNumber = 0;
	m->Attachments[0].Props = (struct fxics_proplist) { 1, props + 1 };
	if (nesting > 0) {
		m->Attachments[0].Embedded = sample_message(m, nesting - 1);
	}
	return m;
}

static void test_contents_sync(void **state)
{
	struct fxics_encoder *enc = fxics_encoder_new(*state, 0);
	struct fxics_message *m = sample_message(*state, 2);
	struct ProgressInformation pi = { .Version = 0, .NormalMessageCount = 2 };
	static const uint8_t idset[] = { 0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 0x05, 0x00 };
	struct fxics_atom hdr[1] = { fx_bin(0x65E00102, "sk", 2) };
	struct fxics_atom st[2] = { fx_bin(MetaTagIdsetGiven, idset, sizeof(idset)),
				    fx_bin(MetaTagCnsetSeen, idset, sizeof(idset)) };
	struct fxics_atom del[1] = { fx_bin(MetaTagIdsetDeleted, idset, sizeof(idset)) };
	struct fxics_proplist header = { 1, hdr }, state_l = { 2, st }, dels = { 1, del };
	uint32_t gidx[1] = { 0 };
	struct fxics_atom *a;
	size_t n, err_at = 0;

	assert_int_equal(fxics_encoder_progress_total(enc, &pi), ROP_OK);
	assert_int_equal(fxics_encoder_progress_per_message(enc, 1234, false), ROP_OK);
	assert_int_equal(fxics_encoder_message_change_full(enc, &header, m), ROP_OK);
	assert_int_equal(fxics_encoder_message_change_partial(enc, idset, sizeof(idset), 1, &header,
							      1, gidx, &m->Props, m), ROP_OK);
	assert_int_equal(fxics_encoder_deletions(enc, &dels), ROP_OK);
	assert_int_equal(fxics_encoder_read_state_changes(enc, &dels), ROP_OK);
	assert_int_equal(fxics_encoder_state(enc, &state_l), ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, IncrSyncEnd), ROP_OK);
	a = decode(*state, enc, &n);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_CONTENTS_SYNC, a, n, &err_at), ROP_OK);
	assert_int_equal(err_at, n);
	/* progressTotal is IncrSyncProgressMode + one 32-byte binary (2.2.2.1) */
	assert_int_equal(a[1].PropertyTag, 0x00000102);
	assert_int_equal(a[1].Value.u.bin.cb, 32);
	assert_int_equal(a[1].Value.u.bin.lpb[16], 2);
	/* the same atoms are not a hierarchySync */
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_HIERARCHY_SYNC, a, n, &err_at),
			 ROP_ERR_FORMAT);
	assert_int_equal(err_at, 0);
	/* missing IncrSyncEnd: the error is at the end of the sequence */
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_CONTENTS_SYNC, a, n - 1, &err_at),
			 ROP_ERR_FORMAT);
	assert_int_equal(err_at, n - 1);
	/* progressTotal is optional; progressPerMessage needs a message change */
	assert_int_equal(a[2].PropertyTag, IncrSyncProgressPerMsg);
	assert_int_equal(a[5].PropertyTag, IncrSyncChg);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_CONTENTS_SYNC, a + 2, n - 2, &err_at),
			 ROP_OK);
	{
		struct fxics_atom *b = talloc_array(*state, struct fxics_atom, n);

		memcpy(b, a, n * sizeof(*a));
		b[5] = fx_marker(IncrSyncDel);
		assert_int_equal(fxics_grammar_validate(FXICS_ROOT_CONTENTS_SYNC, b, n, &err_at),
				 ROP_ERR_FORMAT);
		assert_int_equal(err_at, 5);
		/* state alone, then with a trailing IncrSyncEnd */
		memcpy(b, a, n * sizeof(*a));
		assert_int_equal(fxics_grammar_validate(FXICS_ROOT_STATE, b + n - 5, 4, &err_at),
				 ROP_OK);
		assert_int_equal(fxics_grammar_validate(FXICS_ROOT_STATE, b + n - 5, 5, &err_at),
				 ROP_ERR_FORMAT);
		assert_int_equal(err_at, 4);
	}
	talloc_free_children(*state);
}

static void test_hierarchy_sync(void **state)
{
	struct fxics_encoder *enc = fxics_encoder_new(*state, 0);
	struct fxics_atom props[1] = { fx_str(0x3001001F, "Inbox") };
	struct fxics_proplist l = { 1, props };
	struct fxics_atom *a;
	size_t n, err_at;

	assert_int_equal(fxics_encoder_folder_change(enc, &l), ROP_OK);
	assert_int_equal(fxics_encoder_folder_change(enc, &l), ROP_OK);
	assert_int_equal(fxics_encoder_state(enc, NULL), ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, IncrSyncEnd), ROP_OK);
	a = decode(*state, enc, &n);
	assert_int_equal(n, 7);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_HIERARCHY_SYNC, a, n, &err_at), ROP_OK);
	/* readStateChanges do not belong to a hierarchySync */
	a[4] = fx_marker(IncrSyncRead);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_HIERARCHY_SYNC, a, n, &err_at),
			 ROP_ERR_FORMAT);
	assert_int_equal(err_at, 4);
	talloc_free_children(*state);
}

static void test_folders_and_messages(void **state)
{
	struct fxics_message *m = sample_message(*state, 1);
	struct fxics_encoder *enc = fxics_encoder_new(*state, 0);
	struct fxics_atom *a;
	size_t n, err_at;

	/* topFolder = StartTopFld folderContentNoDelProps EndFolder */
	assert_int_equal(fxics_encoder_marker(enc, StartTopFld), ROP_OK);
	assert_int_equal(fxics_encoder_proplist(enc, &m->Props), ROP_OK);
	assert_int_equal(fxics_encoder_message(enc, m), ROP_OK);
	m->FAI = true;
	assert_int_equal(fxics_encoder_message(enc, m), ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, StartSubFld), ROP_OK);
	assert_int_equal(fxics_encoder_meta_binary(enc, MetaTagNewFXFolder, (const uint8_t *)"r", 1),
			 ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, EndFolder), ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, EndFolder), ROP_OK);
	a = decode(*state, enc, &n);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_TOP_FOLDER, a, n, &err_at), ROP_OK);
	/* folderContent with delprops: messages, then subfolders */
	enc = fxics_encoder_new(*state, 0);
	assert_int_equal(fxics_encoder_proplist(enc, &m->Props), ROP_OK);
	assert_int_equal(fxics_encoder_meta_u32(enc, MetaTagFXDelProp, FXICS_PidTagContainerContents),
			 ROP_OK);
	assert_int_equal(fxics_encoder_message(enc, m), ROP_OK);
	assert_int_equal(fxics_encoder_meta_u32(enc, MetaTagFXDelProp,
						FXICS_PidTagFolderAssociatedContents), ROP_OK);
	assert_int_equal(fxics_encoder_meta_u32(enc, MetaTagFXDelProp, FXICS_PidTagContainerHierarchy),
			 ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, StartSubFld), ROP_OK);
	assert_int_equal(fxics_encoder_marker(enc, EndFolder), ROP_OK);
	a = decode(*state, enc, &n);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_FOLDER_CONTENT, a, n, &err_at), ROP_OK);
	/* a messageContent / messageList alone */
	enc = fxics_encoder_new(*state, 0);
	assert_int_equal(fxics_encoder_message_content(enc, m), ROP_OK);
	a = decode(*state, enc, &n);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_MESSAGE_CONTENT, a, n, &err_at), ROP_OK);
	/* attachment without PidTagAttachNumber first */
	{
		size_t k = n;

		while (a[--k].PropertyTag != FXICS_PidTagAttachNumber) {
		}
		a[k] = fx_u32(0x0E070003, 0);
		assert_int_equal(fxics_grammar_validate(FXICS_ROOT_MESSAGE_CONTENT, a, n, &err_at),
				 ROP_ERR_FORMAT);
		assert_int_equal(err_at, k);
	}
	talloc_free_children(*state);
}

static void test_unbalanced_and_depth(void **state)
{
	struct fxics_atom seq[3 * (FXICS_MAX_DEPTH + 2) + 2];
	size_t n = 0, err_at, i;
	struct fxics_atom r[3] = { fx_marker(StartRecip), fx_str(0x3001001F, "x"), fx_marker(EndMessage) };

	/* StartRecip closed by the wrong end marker */
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_MESSAGE_CONTENT, r, 3, &err_at),
			 ROP_ERR_FORMAT);
	assert_int_equal(err_at, 2);
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_STATE, NULL, 0, &err_at), ROP_ERR_FORMAT);
	assert_int_equal(fxics_grammar_validate((enum fxics_root)99, r, 3, &err_at), ROP_ERR_INVALID);
	/* nested subfolders beyond FXICS_MAX_DEPTH */
	seq[n++] = fx_marker(StartTopFld);
	for (i = 0; i < FXICS_MAX_DEPTH + 1; i++) {
		seq[n++] = fx_marker(StartSubFld);
	}
	for (i = 0; i < FXICS_MAX_DEPTH + 2; i++) {
		seq[n++] = fx_marker(EndFolder);
	}
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_TOP_FOLDER, seq, n, &err_at),
			 ROP_ERR_DEPTH);
	n = 0;
	seq[n++] = fx_marker(StartTopFld);
	for (i = 0; i < FXICS_MAX_DEPTH; i++) {
		seq[n++] = fx_marker(StartSubFld);
	}
	for (i = 0; i < FXICS_MAX_DEPTH + 1; i++) {
		seq[n++] = fx_marker(EndFolder);
	}
	assert_int_equal(fxics_grammar_validate(FXICS_ROOT_TOP_FOLDER, seq, n, &err_at), ROP_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contents_sync, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_hierarchy_sync, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_folders_and_messages, oc_test_setup, oc_test_teardown),
		cmocka_unit_test_setup_teardown(test_unbalanced_and_depth, oc_test_setup, oc_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

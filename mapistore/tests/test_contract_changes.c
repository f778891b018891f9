/*
 * Contract suite, change tracking for ICS ([MS-OXCFXICS] 2.2.1.2,
 * 3.1.5.3): every backend, through the core API, gets change numbers,
 * source keys, change keys, merged PCLs, read-state CNs and tombstones,
 * and the sync queries answer in CN order with cursors. Also the
 * indexing of messages and copied subfolders, moves between contexts,
 * restarts, and the mailbox replica's own ID space.
 */
#include "test_contract.h"
#include "mapistore_indexing.h"
#include "openchangedb.h"

#include <string.h>

static struct mapistore_change *row_of(struct cfx *fx, uint64_t fmid)
{
	struct mapistore_change *c = NULL;

	assert_int_equal(mapistore_changes_get(fx, fx->ctx, fmid, &c), MAPISTORE_SUCCESS);
	return c;
}

static struct mapistore_property *props_of(struct cfx *fx, uint64_t mid, const uint32_t *tags,
					   uint32_t n)
{
	struct mapistore_message *m = NULL;
	struct mapistore_property *out = NULL;

	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), tags, n, &out),
			 MAPISTORE_SUCCESS);
	talloc_steal(fx, out);
	talloc_free(m);
	return out;
}

static void modify(struct cfx *fx, struct mapistore_folder *f, uint64_t mid, int32_t importance)
{
	struct mapistore_property p = { .proptag = PidTagImportance, .value.i32 = importance };
	struct mapistore_message *m = NULL;

	assert_int_equal(mapistore_message_open(fx, f, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_message_object(m), &p, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
}

void test_changes_create_modify(void **state)
{
	struct cfx *fx = *state;
	uint32_t tags[4] = { PidTagSourceKey, PidTagChangeKey, PidTagPredecessorChangeList,
			     PidTagLastModificationTime };
	struct mapistore_change *c1, *c2;
	struct mapistore_property *p;
	struct mapistore_xid *xids = NULL;
	uint8_t guid[16], expect[MAPISTORE_SOURCE_KEY_SIZE];
	uint64_t mid = make_message(fx, fx->inbox, "tracked", 1, false), last = 0;
	uint32_t n = 0;
	bool included = false;

	assert_int_equal(mapistore_changes_get_replica(fx->ctx, guid, &last), MAPISTORE_SUCCESS);
	c1 = row_of(fx, mid);
	assert_true(c1->cn > 0 && c1->cn < last);
	assert_false(c1->is_folder);
	assert_false(c1->fai);
	assert_int_equal(c1->parent_fid, mapistore_folder_get_fid(fx->inbox));
	/* source key: REPLGUID + GLOBCNT of the MID; change key: of the CN */
	mapistore_xid_make(guid, mapistore_fmid_globcnt(mid), expect);
	assert_memory_equal(c1->source_key, expect, MAPISTORE_SOURCE_KEY_SIZE);
	mapistore_xid_make(guid, c1->cn, expect);
	assert_int_equal(c1->change_key_size, 22);
	assert_memory_equal(c1->change_key, expect, 22);
	assert_int_equal(c1->pcl.length, 23);
	assert_int_equal(c1->pcl.data[0], 22);
	assert_memory_equal(c1->pcl.data + 1, expect, 22);
	assert_true(c1->message_size > 0);
	/* the object carries the same values */
	p = props_of(fx, mid, tags, 4);
	assert_memory_equal(p[0].value.bin.data, c1->source_key, 22);
	assert_memory_equal(p[1].value.bin.data, c1->change_key, 22);
	assert_int_equal(p[2].value.bin.length, c1->pcl.length);
	assert_int_equal(p[3].value.i64, c1->last_modified);
	talloc_free(p);
	/* a modification: a greater CN, the PCL merged (one XID per
	 * namespace, the newest), the old change integrated */
	modify(fx, fx->inbox, mid, 2);
	c2 = row_of(fx, mid);
	assert_true(c2->cn > c1->cn);
	assert_true(c2->last_modified >= c1->last_modified);
	assert_memory_equal(c2->source_key, c1->source_key, 22);
	assert_int_equal(mapistore_pcl_parse(fx, c2->pcl.data, c2->pcl.length, &xids, &n),
			 MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_memory_equal(xids[0].local_id, c2->change_key + 16, 6);
	assert_int_equal(mapistore_pcl_includes(&c2->pcl, c1->change_key, 22, &included),
			 MAPISTORE_SUCCESS);
	assert_true(included);
	assert_int_equal(mapistore_pcl_includes(&c1->pcl, c2->change_key, 22, &included),
			 MAPISTORE_SUCCESS);
	assert_false(included);
	talloc_free(xids);
	talloc_free(c1);
	talloc_free(c2);
}

void test_sync_messages_cursor(void **state)
{
	struct cfx *fx = *state;
	uint64_t fid = mapistore_folder_get_fid(fx->inbox), mids[10], next = 0, fai_mid;
	struct mapistore_globcnt_range seen[1];
	struct mapistore_change *ch = NULL;
	uint32_t n = 0, i, total = 0;
	bool more = false;
	char name[8];

	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		mids[i] = make_message(fx, fx->inbox, name, 0, false);
	}
	fai_mid = make_message(fx, fx->inbox, "view", 0, true);
	/* everything, in CN order */
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, NULL, 0, 0, 100, &ch, &n,
						 &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 10);
	assert_false(more);
	for (i = 0; i < 10; i++) {
		assert_true(ch[i].fmid == mids[i]);
		assert_true(i == 0 || ch[i].cn > ch[i - 1].cn);
	}
	assert_true(next == ch[9].cn);
	seen[0].first = 1;
	seen[0].last = ch[4].cn;
	talloc_free(ch);
	/* pages of 3 with the cursor */
	next = 0;
	do {
		assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, NULL, 0, next, 3,
							 &ch, &n, &next, &more), MAPISTORE_SUCCESS);
		total += n;
		assert_true(n == 3 || !more);
		talloc_free(ch);
	} while (more);
	assert_int_equal(total, 10);
	/* not in CNSET: the first five were seen; a change brings one back */
	modify(fx, fx->inbox, mids[1], 5);
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, seen, 1, 0, 100, &ch, &n,
						 &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 6);
	assert_true(ch[0].fmid == mids[5]);
	assert_true(ch[5].fmid == mids[1]);
	talloc_free(ch);
	/* FAI messages are their own list */
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, true, NULL, 0, 0, 100, &ch, &n,
						 &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(ch[0].fmid == fai_mid);
	assert_true(ch[0].fai);
	talloc_free(ch);
	/* a malformed CNSET is refused */
	seen[0].first = 10;
	seen[0].last = 5;
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, seen, 1, 0, 100, &ch, &n,
						 &next, &more), MAPISTORE_ERR_INVALID_PARAMETER);
}

void test_sync_read_states(void **state)
{
	struct cfx *fx = *state;
	uint64_t fid = mapistore_folder_get_fid(fx->inbox), next = 0;
	uint64_t mid = make_message(fx, fx->inbox, "unread", 0, false);
	struct mapistore_change *before = row_of(fx, mid), *after, *ch = NULL;
	struct mapistore_globcnt_range seen;
	struct mapistore_message *m = NULL;
	uint32_t n = 0;
	bool more;

	assert_int_equal(before->read_cn, 0);
	assert_int_equal(mapistore_sync_read_states(fx, fx->ctx, fid, NULL, 0, 0, 10, &ch, &n,
						    &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	talloc_free(ch);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_set_read_flag(m, MSGFLAG_READ_SET), MAPISTORE_SUCCESS);
	talloc_free(m);
	after = row_of(fx, mid);
	/* own CN series; the change itself is untouched */
	assert_true(after->read_cn > before->cn);
	assert_true(after->read);
	assert_true(after->cn == before->cn);
	assert_memory_equal(after->change_key, before->change_key, 22);
	assert_int_equal(mapistore_sync_read_states(fx, fx->ctx, fid, NULL, 0, 0, 10, &ch, &n,
						    &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(ch[0].fmid == mid && ch[0].read);
	talloc_free(ch);
	seen.first = 1;
	seen.last = after->read_cn;
	assert_int_equal(mapistore_sync_read_states(fx, fx->ctx, fid, &seen, 1, 0, 10, &ch, &n,
						    &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 0);
	talloc_free(ch);
	talloc_free(before);
	talloc_free(after);
}

void test_sync_deletions(void **state)
{
	struct cfx *fx = *state;
	uint64_t fid = mapistore_folder_get_fid(fx->inbox), next = 0, parent = 0;
	uint64_t soft = make_message(fx, fx->inbox, "soft", 0, false);
	uint64_t hard = make_message(fx, fx->inbox, "hard", 0, false);
	uint64_t kept = make_message(fx, fx->inbox, "kept", 0, false);
	struct mapistore_tombstone *t = NULL;
	struct mapistore_change *ch = NULL;
	struct mapistore_change *c_soft = row_of(fx, soft);
	uint32_t n = 0;
	bool more, is_msg = false, deleted = false;

	/* messages are indexed with their folder */
	assert_int_equal(mapistore_indexing_get_parent(mapistore_context_get_indexing(fx->ctx), soft,
						       &parent, &is_msg, &deleted), MAPISTORE_SUCCESS);
	assert_true(parent == fid && is_msg && !deleted);
	assert_int_equal(mapistore_folder_delete_messages(fx->inbox, &soft, 1, false),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_delete_messages(fx->inbox, &hard, 1, true),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_indexing_get_parent(mapistore_context_get_indexing(fx->ctx), soft,
						       &parent, &is_msg, &deleted), MAPISTORE_SUCCESS);
	assert_true(deleted);
	assert_int_equal(mapistore_indexing_get_parent(mapistore_context_get_indexing(fx->ctx), hard,
						       NULL, NULL, NULL), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_sync_deletions(fx, fx->ctx, fid, NULL, 0, 0, 10, &t, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_true(t[0].fmid == soft && !t[0].hard);
	assert_true(t[1].fmid == hard && t[1].hard);
	assert_true(t[1].cn > t[0].cn && t[0].cn > c_soft->cn);
	assert_memory_equal(t[0].source_key, c_soft->source_key, 22);
	talloc_free(t);
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, NULL, 0, 0, 10, &ch, &n,
						 &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(ch[0].fmid == kept);
	talloc_free(ch);
	talloc_free(c_soft);
}

void test_sync_moves(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *sub = make_folder(fx, fx->inbox, "Target");
	uint64_t fid = mapistore_folder_get_fid(fx->inbox), sub_fid = mapistore_folder_get_fid(sub);
	uint64_t mid = make_message(fx, fx->inbox, "mover", 0, false), copy_src, moved = 0, copied = 0;
	uint64_t next = 0;
	struct mapistore_change *before = row_of(fx, mid), *after, *ch = NULL;
	struct mapistore_tombstone *t = NULL;
	uint32_t n = 0;
	bool more, included = false;

	copy_src = make_message(fx, fx->inbox, "copied", 0, false);
	assert_int_equal(mapistore_folder_move_copy_messages(sub, fx->inbox, &mid, 1, false, &moved),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_move_copy_messages(sub, fx->inbox, &copy_src, 1, true,
							     &copied), MAPISTORE_SUCCESS);
	/* as ICS sees it: a deletion here, a creation there */
	assert_int_equal(mapistore_sync_deletions(fx, fx->ctx, fid, NULL, 0, 0, 10, &t, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(t[0].fmid == mid);
	talloc_free(t);
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, sub_fid, false, NULL, 0, 0, 10, &ch,
						 &n, &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_true(ch[0].fmid == moved && ch[1].fmid == copied);
	talloc_free(ch);
	after = row_of(fx, moved);
	assert_true(after->cn > before->cn);
	assert_memory_not_equal(after->source_key, before->source_key, 22);
	/* the moved message keeps its history, the copy starts afresh */
	assert_int_equal(mapistore_pcl_includes(&after->pcl, before->change_key, 22, &included),
			 MAPISTORE_SUCCESS);
	assert_true(included);
	talloc_free(after);
	after = row_of(fx, copied);
	assert_int_equal(after->pcl.length, 23);
	talloc_free(after);
	assert_int_equal(mapistore_changes_get(fx, fx->ctx, copy_src, &after), MAPISTORE_SUCCESS);
	talloc_free(after);
	talloc_free(before);
	talloc_free(sub);
}

void test_sync_hierarchy(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *a = make_folder(fx, fx->inbox, "A");
	struct mapistore_folder *b = make_folder(fx, a, "B");
	uint64_t root = mapistore_folder_get_fid(fx->inbox), next = 0;
	uint64_t fa = mapistore_folder_get_fid(a), fb = mapistore_folder_get_fid(b);
	struct mapistore_property p = { .proptag = PidTagComment,
					.value.str = discard_const_p(char, "changed") };
	struct mapistore_change *ch = NULL, *ca = row_of(fx, fa);
	struct mapistore_globcnt_range seen;
	struct mapistore_tombstone *t = NULL;
	uint8_t psk[MAPISTORE_SOURCE_KEY_SIZE];
	uint32_t n = 0, tag = PidTagParentSourceKey;
	struct mapistore_property *out = NULL;
	bool more;

	assert_int_equal(mapistore_sync_hierarchy(fx, fx->ctx, root, NULL, 0, 0, 10, &ch, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 2);
	assert_true(ch[0].fmid == fa && ch[1].fmid == fb && ch[0].is_folder);
	assert_true(ch[1].parent_fid == fa);
	seen.first = 1;
	seen.last = ch[1].cn;
	talloc_free(ch);
	/* PidTagParentSourceKey names the parent */
	assert_int_equal(mapistore_properties_get(fx, mapistore_folder_object(b), &tag, 1, &out),
			 MAPISTORE_SUCCESS);
	assert_int_equal(out[0].value.bin.length, 22);
	memcpy(psk, out[0].value.bin.data, 22);
	assert_memory_equal(psk, ca->source_key, 22);
	talloc_free(out);
	/* a property change of A: A again, with a greater CN */
	assert_int_equal(mapistore_properties_set(mapistore_folder_object(a), &p, 1),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_sync_hierarchy(fx, fx->ctx, root, &seen, 1, 0, 10, &ch, &n,
						  &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(ch[0].fmid == fa && ch[0].cn > ca->cn);
	talloc_free(ch);
	/* deleting B: a hierarchy tombstone under A */
	assert_int_equal(mapistore_folder_delete(b, DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_sync_hierarchy_deletions(fx, fx->ctx, root, NULL, 0, 0, 10, &t,
							     &n, &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(t[0].fmid == fb && t[0].is_folder && t[0].parent_fid == fa);
	talloc_free(t);
	assert_int_equal(mapistore_sync_hierarchy(fx, fx->ctx, root, NULL, 0, 0, 10, &ch, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	talloc_free(ch);
	talloc_free(ca);
	talloc_free(b);
	talloc_free(a);
}

/* Another root of the same backend: another backend context. */
static struct mapistore_folder *other_root(struct cfx *fx)
{
	struct mapistore_root_folder *roots = NULL;
	struct mapistore_folder *f = NULL;
	uint32_t count = 0, i;
	uint64_t fid = 0;

	assert_int_equal(mapistore_list_root_folders(fx, fx->ctx, backend_name, &roots, &count),
			 MAPISTORE_SUCCESS);
	for (i = 0; i < count && roots[i].role != MAPISTORE_DRAFTS_ROLE; i++) {
	}
	assert_true(i < count);
	assert_int_equal(openchangedb_get_new_id(mapistore_context_get_openchangedb(fx->ctx), &fid),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open_root(fx, fx->ctx, roots[i].uri, fid, &f),
			 MAPISTORE_SUCCESS);
	talloc_free(roots);
	return f;
}

void test_move_other_context(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *drafts = other_root(fx);
	struct mapistore_property rp = { .proptag = PidTagSmtpAddress,
					 .value.str = discard_const_p(char, "carol@example.com") };
	struct mapistore_property ap = { .proptag = PidTagAttachFilename,
					 .value.str = discard_const_p(char, "plan.txt") };
	struct mapistore_recipient r = { .row_id = 0, .type = 1, .count = 1, .props = &rp };
	uint32_t tags[2] = { PidTagSubject, PidTagImportance }, aid = 0, n = 0;
	struct mapistore_attachment *a = NULL;
	struct mapistore_message *m = NULL;
	struct mapistore_recipient *out_r = NULL;
	struct mapistore_property *out = NULL;
	struct mapistore_row *rows = NULL;
	uint64_t mid, moved = 0;

	mid = make_message(fx, fx->inbox, "travels", 4, false);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, true, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_modify_recipients(m, &r, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_message_create_attachment(fx, m, &a, &aid), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_set(mapistore_attachment_object(a), &ap, 1),
			 MAPISTORE_SUCCESS);
	talloc_free(a);
	assert_int_equal(mapistore_message_save(m), MAPISTORE_SUCCESS);
	talloc_free(m);
	assert_int_equal(mapistore_folder_move_copy_messages(drafts, fx->inbox, &mid, 1, false,
							     &moved), MAPISTORE_SUCCESS);
	assert_true(moved != mid);
	assert_int_equal(mapistore_message_open(fx, fx->inbox, mid, false, &m), MAPISTORE_ERR_NOT_FOUND);
	assert_int_equal(mapistore_message_open(fx, drafts, moved, false, &m), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_properties_get(fx, mapistore_message_object(m), tags, 2, &out),
			 MAPISTORE_SUCCESS);
	assert_string_equal(out[0].value.str, "travels");
	assert_int_equal(out[1].value.i32, 4);
	assert_int_equal(mapistore_message_get_recipients(fx, m, &out_r, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(mapistore_subobject_rows(fx, m, PidTagMessageAttachments, &ap.proptag, 1,
						  &rows, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].props[0].value.str, "plan.txt");
	talloc_free(rows);
	talloc_free(out_r);
	talloc_free(out);
	talloc_free(m);
	talloc_free(drafts);
}

void test_copy_indexes_tree(void **state)
{
	struct cfx *fx = *state;
	struct mapistore_folder *a = make_folder(fx, fx->inbox, "Tree");
	struct mapistore_folder *b = make_folder(fx, a, "Branch");
	struct mapistore_folder *copy = NULL, *leaf = NULL;
	struct mapistore_table *t = NULL;
	struct mapistore_row *rows = NULL;
	uint32_t col = 0x3001001F, n = 0;
	uint64_t copy_fid = 0, leaf_fid;
	uint64_t mid = make_message(fx, b, "leaf message", 0, false);
	struct mapistore_change *c = NULL;

	assert_int_equal(mapistore_folder_copy(a, fx->inbox, "Tree copy", true, &copy_fid),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, copy_fid, &copy), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_folder_open_table(fx, copy, MAPISTORE_FOLDER_TABLE, &t),
			 MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_set_columns(t, &col, 1), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_table_query_rows(fx, t, 10, &rows, &n), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	leaf_fid = rows[0].fmid;
	talloc_free(rows);
	talloc_free(t);
	/* the copied subfolder opens by its FID alone (indexing) */
	assert_int_equal(mapistore_folder_open(fx, fx->ctx, leaf_fid, &leaf), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_changes_get(fx, fx->ctx, leaf_fid, &c), MAPISTORE_SUCCESS);
	assert_true(c->is_folder && c->parent_fid == copy_fid);
	talloc_free(c);
	assert_int_equal(count_rows(fx, leaf, MAPISTORE_MESSAGE_TABLE), 1);
	assert_int_equal(mapistore_changes_get(fx, fx->ctx, mid, &c), MAPISTORE_SUCCESS);
	talloc_free(c);
	talloc_free(leaf);
	talloc_free(copy);
	talloc_free(b);
	talloc_free(a);
}

void test_changes_survive_restart(void **state)
{
	struct cfx *fx = *state;
	uint64_t fid = mapistore_folder_get_fid(fx->inbox), next = 0, gone, kept, later;
	struct mapistore_change *before, *ch = NULL;
	struct mapistore_tombstone *t = NULL;
	uint32_t n = 0;
	bool more;

	if (!(fx->caps & MAPISTORE_CAP_PERSISTENT)) {
		print_message("backend %s: not persistent, restart test not applicable\n",
			      backend_name);
		return;
	}
	kept = make_message(fx, fx->inbox, "kept", 0, false);
	gone = make_message(fx, fx->inbox, "gone", 0, false);
	modify(fx, fx->inbox, kept, 3);
	assert_int_equal(mapistore_folder_delete_messages(fx->inbox, &gone, 1, true),
			 MAPISTORE_SUCCESS);
	before = row_of(fx, kept);
	talloc_steal(fx, before);
	TALLOC_FREE(fx->inbox);
	TALLOC_FREE(fx->ctx);
	assert_int_equal(open_context(fx), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_sync_messages(fx, fx->ctx, fid, false, NULL, 0, 0, 10, &ch, &n,
						 &next, &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(ch[0].fmid == kept && ch[0].cn == before->cn);
	assert_int_equal(ch[0].pcl.length, before->pcl.length);
	talloc_free(ch);
	assert_int_equal(mapistore_sync_deletions(fx, fx->ctx, fid, NULL, 0, 0, 10, &t, &n, &next,
						  &more), MAPISTORE_SUCCESS);
	assert_int_equal(n, 1);
	assert_true(t[0].fmid == gone);
	talloc_free(t);
	/* CNs keep increasing after the restart */
	later = make_message(fx, fx->inbox, "later", 0, false);
	ch = row_of(fx, later);
	assert_true(ch->cn > before->cn);
	talloc_free(ch);
	talloc_free(before);
}

void test_mailbox_replica_ids(void **state)
{
	struct cfx *fx = *state;
	struct openchangedb_context *ocdb = mapistore_context_get_openchangedb(fx->ctx);
	struct openchangedb_mailbox *mbx = NULL;
	struct mapistore_change *c = NULL;
	uint64_t first = 0, server_before = 0, server_after = 0, mid;
	uint8_t guid[16], expect[16], last_guid[16];
	uint64_t last = 0;

	assert_int_equal(openchangedb_mailbox_create(fx, ocdb, fx->username, NULL, 0x409, &mbx),
			 MAPISTORE_SUCCESS);
	/* a fresh context resolves the mailbox replica */
	TALLOC_FREE(fx->inbox);
	TALLOC_FREE(fx->ctx);
	assert_int_equal(open_context(fx), MAPISTORE_SUCCESS);
	ocdb = mapistore_context_get_openchangedb(fx->ctx);
	assert_int_equal(openchangedb_get_new_id(ocdb, &server_before), MAPISTORE_SUCCESS);
	assert_int_equal(openchangedb_reserve_local_replica_ids(ocdb, fx->username, 1000, &first),
			 MAPISTORE_SUCCESS);
	mid = make_message(fx, fx->inbox, "mine", 0, false);
	assert_int_equal(openchangedb_get_new_id(ocdb, &server_after), MAPISTORE_SUCCESS);
	/* the client's range and the message come from the mailbox, not
	 * the server counter (which moved by our own probe only) */
	assert_true(mapistore_fmid_globcnt(server_after) == mapistore_fmid_globcnt(server_before) + 1);
	assert_true(mapistore_fmid_globcnt(mid) >= first + 1000);
	assert_int_equal(mapistore_changes_get_replica(fx->ctx, last_guid, &last), MAPISTORE_SUCCESS);
	assert_int_equal(mapistore_guid_from_string(mbx->replica_guid, expect), MAPISTORE_SUCCESS);
	assert_memory_equal(last_guid, expect, 16);
	c = row_of(fx, mid);
	memcpy(guid, c->source_key, 16);
	assert_memory_equal(guid, expect, 16);
	talloc_free(c);
	talloc_free(mbx);
}

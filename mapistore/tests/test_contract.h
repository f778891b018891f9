/*
 * Shared fixture of the backend contract suite (test_contract*.c): one
 * binary, run unchanged against every backend.
 */
#ifndef TEST_CONTRACT_H
#define TEST_CONTRACT_H

#include "oc_test.h"
#include "mapistore.h"

#define PidTagSubject        0x0037001F
#define PidTagImportance     0x00170003
#define PidTagBody           0x1000001F
#define PidTagEntryIdTest    0x0FFF0102
#define PidTagHasAttachments 0x0E1B000B
#define PidTagMessageDeliveryTime 0x0E060040
#define PidTagKeywordsTest   0x8001101F
#define PidTagComment        0x3004001F
#define PidTagAttachMethod   0x37050003
#define PidTagAttachDataBinary 0x37010102
#define PidTagAttachFilename 0x3704001F
#define PidTagDisplayTo      0x0E04001F
#define PidTagSmtpAddress    0x39FE001F

/** Name of the backend under test (argv[1]). */
extern const char *backend_name;

struct cfx {
	TALLOC_CTX *root;
	char *dir;
	const char *values[4][2];
	struct mapistore_config cfg;
	struct mapistore_context *ctx;
	struct mapistore_folder *inbox;
	uint64_t caps;
	char *username;
};

enum mapistore_error open_context(struct cfx *fx);
int setup(void **state);
int teardown(void **state);
struct mapistore_folder *make_folder(struct cfx *fx, struct mapistore_folder *parent,
				     const char *name);
uint64_t make_message(struct cfx *fx, struct mapistore_folder *folder, const char *subject,
		      int32_t importance, bool fai);
uint32_t count_rows(struct cfx *fx, struct mapistore_folder *f, enum mapistore_table_type type);

/* test_contract_tables.c */
void test_table_seek_random(void **state);
void test_table_subobject_count_regex(void **state);
void test_stream_utf16(void **state);

/* test_contract_changes.c */
void test_changes_create_modify(void **state);
void test_sync_messages_cursor(void **state);
void test_sync_read_states(void **state);
void test_sync_deletions(void **state);
void test_sync_moves(void **state);
void test_sync_hierarchy(void **state);
void test_move_other_context(void **state);
void test_copy_indexes_tree(void **state);
void test_changes_survive_restart(void **state);
void test_mailbox_replica_ids(void **state);

#endif /* TEST_CONTRACT_H */

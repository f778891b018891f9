/*
 * The relational schema of the metadata store, as versioned migrations.
 * This file is the one source of truth for both drivers (SQLite and
 * MariaDB) and for openchangedb_admin.
 *
 * Portable SQL only: BIGINT, VARCHAR(n), TEXT, MEDIUMBLOB, composite
 * primary keys, plain indexes. The runner (mapistore_db_migrate.c) adds
 * " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" to each
 * CREATE TABLE on MariaDB; nothing else differs.
 *
 * Append a new migration at the end; never edit a released one.
 *
 * Identifier encoding (doc/mapistore.md): a FID/MID/CN is stored as the
 * uint64 OpenChange used, i.e. GLOBCNT big-endian in the top 48 bits and
 * the replica ID in the low 16 bits ([MS-OXCDATA] 2.2.1.1/2.2.1.2).
 */
#include "mapistore_schema.h"

#include <stddef.h>

static const char *const m001_initial[] = {
	/* openchangedb: servers, OUs, replicas and the GLOBCNT counters */
	"CREATE TABLE ocdb_servers ("
	" id BIGINT NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" first_org VARCHAR(255) NOT NULL,"
	" first_ou VARCHAR(255) NOT NULL)",
	"CREATE TABLE ocdb_organizational_units ("
	" id BIGINT NOT NULL PRIMARY KEY,"
	" server_id BIGINT NOT NULL,"
	" organization VARCHAR(255) NOT NULL,"
	" ou VARCHAR(255) NOT NULL)",
	/* replica GUID <-> replica ID ([MS-OXCDATA] 2.2.1.1: REPLID) and the
	 * next GLOBCNT to hand out for that replica */
	"CREATE TABLE ocdb_replicas ("
	" replica_id BIGINT NOT NULL PRIMARY KEY,"
	" replica_guid VARCHAR(36) NOT NULL,"
	" next_globcnt BIGINT NOT NULL)",
	"CREATE UNIQUE INDEX ocdb_replicas_guid ON ocdb_replicas (replica_guid)",
	"CREATE TABLE ocdb_mailboxes ("
	" id BIGINT NOT NULL PRIMARY KEY,"
	" ou_id BIGINT NOT NULL,"
	" username VARCHAR(255) NOT NULL,"
	" display_name VARCHAR(255) NOT NULL,"
	" mailbox_guid VARCHAR(36) NOT NULL,"
	" replica_guid VARCHAR(36) NOT NULL,"
	" replica_id BIGINT NOT NULL,"
	" locale_id BIGINT NOT NULL)",
	"CREATE UNIQUE INDEX ocdb_mailboxes_user ON ocdb_mailboxes (username)",
	/* folders: mailbox_id 0 = the public folder store */
	"CREATE TABLE ocdb_folders ("
	" fid BIGINT NOT NULL PRIMARY KEY,"
	" mailbox_id BIGINT NOT NULL,"
	" parent_fid BIGINT NOT NULL,"
	" system_idx BIGINT NOT NULL,"
	" name VARCHAR(255) NOT NULL,"
	" mapistore_uri TEXT,"
	" change_number BIGINT NOT NULL)",
	"CREATE INDEX ocdb_folders_parent ON ocdb_folders (mailbox_id, parent_fid)",
	"CREATE INDEX ocdb_folders_system ON ocdb_folders (mailbox_id, system_idx)",
	"CREATE TABLE ocdb_folder_properties ("
	" fid BIGINT NOT NULL,"
	" proptag BIGINT NOT NULL,"
	" value MEDIUMBLOB NOT NULL,"
	" PRIMARY KEY (fid, proptag))",
	"CREATE TABLE ocdb_receive_folders ("
	" mailbox_id BIGINT NOT NULL,"
	" message_class VARCHAR(255) NOT NULL,"
	" fid BIGINT NOT NULL,"
	" PRIMARY KEY (mailbox_id, message_class))",
	/* per-user read state of public folders ([MS-OXCSTOR] 2.2.1.12) */
	"CREATE TABLE ocdb_per_user ("
	" mailbox_id BIGINT NOT NULL,"
	" long_term_id VARCHAR(48) NOT NULL,"
	" data MEDIUMBLOB NOT NULL,"
	" PRIMARY KEY (mailbox_id, long_term_id))",
	/* GLOBCNT ranges handed to clients (RopGetLocalReplicaIds) */
	"CREATE TABLE ocdb_local_replica_ranges ("
	" mailbox_id BIGINT NOT NULL,"
	" replica_id BIGINT NOT NULL,"
	" first_globcnt BIGINT NOT NULL,"
	" count BIGINT NOT NULL,"
	" PRIMARY KEY (replica_id, first_globcnt))",

	/* indexing: FMID <-> backend URI, both directions by index */
	"CREATE TABLE mstore_indexing ("
	" username VARCHAR(255) NOT NULL,"
	" fmid BIGINT NOT NULL,"
	" uri TEXT NOT NULL,"
	" uri_hash BIGINT NOT NULL,"
	" soft_deleted BIGINT NOT NULL,"
	" PRIMARY KEY (username, fmid))",
	"CREATE INDEX mstore_indexing_uri ON mstore_indexing (username, uri_hash)",

	/* named properties per mailbox ([MS-OXCPRPT] 3.1.5.x) */
	"CREATE TABLE mstore_namedprops_sets ("
	" guid VARCHAR(36) NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL)",
	"CREATE TABLE mstore_namedprops ("
	" mailbox VARCHAR(255) NOT NULL,"
	" propid BIGINT NOT NULL,"
	" guid VARCHAR(36) NOT NULL,"
	" kind BIGINT NOT NULL,"
	" lid BIGINT NOT NULL,"
	" name TEXT,"
	" name_hash BIGINT NOT NULL,"
	" PRIMARY KEY (mailbox, propid))",
	"CREATE INDEX mstore_namedprops_name ON mstore_namedprops"
	" (mailbox, guid, kind, lid, name_hash)",
	NULL
};

/* The well-known property sets, [MS-OXPROPS] 1.3.2 "Commonly Used
 * Property Sets". */
static const char *const m002_well_known_sets[] = {
	"INSERT INTO mstore_namedprops_sets (guid, name) VALUES"
	" ('00020328-0000-0000-c000-000000000046', 'PS_MAPI'),"
	" ('00020329-0000-0000-c000-000000000046', 'PS_PUBLIC_STRINGS'),"
	" ('00062008-0000-0000-c000-000000000046', 'PSETID_Common'),"
	" ('00062004-0000-0000-c000-000000000046', 'PSETID_Address'),"
	" ('00020386-0000-0000-c000-000000000046', 'PS_INTERNET_HEADERS'),"
	" ('00062002-0000-0000-c000-000000000046', 'PSETID_Appointment'),"
	" ('6ed8da90-450b-101b-98da-00aa003f1305', 'PSETID_Meeting'),"
	" ('0006200a-0000-0000-c000-000000000046', 'PSETID_Log'),"
	" ('41f28f13-83f4-4114-a584-eedb5a6b0bff', 'PSETID_Messaging'),"
	" ('0006200e-0000-0000-c000-000000000046', 'PSETID_Note'),"
	" ('00062041-0000-0000-c000-000000000046', 'PSETID_PostRss'),"
	" ('00062003-0000-0000-c000-000000000046', 'PSETID_Task'),"
	" ('4442858e-a9e3-4e80-b900-317a210cc15b', 'PSETID_UnifiedMessaging'),"
	" ('71035549-0739-4dcb-9163-00f0580dbbdf', 'PSETID_AirSync'),"
	" ('00062040-0000-0000-c000-000000000046', 'PSETID_Sharing'),"
	" ('23239608-685d-4732-9c55-4c95cb4e8e33', 'PSETID_XmlExtractedEntities'),"
	" ('96357f7f-59e1-47d0-99a7-46515c183b54', 'PSETID_Attachment'),"
	" ('11000e07-b51b-40d6-af21-caa85edab1d0', 'PSETID_CalendarAssistant')",
	NULL
};

/*
 * Change tracking for ICS ([MS-OXCFXICS] 2.2.1.1, 3.1.5.3) and
 * per-mailbox GLOBCNT allocation:
 * - every mailbox allocates its IDs and change numbers from its own
 *   counter (its replica GUID is REPLID 1 in a private logon); existing
 *   mailboxes start where the shared server counter stands, so nothing
 *   allocated before can come again;
 * - indexing also records messages, and the parent folder of each entry;
 * - mstore_changes: the last change of every folder and message (CN and
 *   read-state CN as GLOBCNT, keys, PCL, size, read flag), indexed for
 *   "changed since" per folder in CN order;
 * - mstore_tombstones: deletions (soft and hard) for incremental syncs.
 */
static const char *const m003_change_tracking[] = {
	"ALTER TABLE ocdb_mailboxes ADD COLUMN next_globcnt BIGINT NOT NULL DEFAULT 0",
	"UPDATE ocdb_mailboxes SET next_globcnt = COALESCE("
	"(SELECT r.next_globcnt FROM ocdb_replicas r WHERE r.replica_id = 1), 1)",
	"ALTER TABLE mstore_indexing ADD COLUMN parent_fid BIGINT NOT NULL DEFAULT 0",
	"ALTER TABLE mstore_indexing ADD COLUMN is_message BIGINT NOT NULL DEFAULT 0",
	"CREATE INDEX mstore_indexing_parent ON mstore_indexing (username, parent_fid)",
	"CREATE TABLE mstore_changes ("
	" username VARCHAR(255) NOT NULL,"
	" fmid BIGINT NOT NULL,"
	" parent_fid BIGINT NOT NULL,"
	" kind BIGINT NOT NULL,"
	" cn BIGINT NOT NULL,"
	" read_cn BIGINT NOT NULL,"
	" source_key MEDIUMBLOB NOT NULL,"
	" change_key MEDIUMBLOB NOT NULL,"
	" pcl MEDIUMBLOB NOT NULL,"
	" last_modified BIGINT NOT NULL,"
	" message_size BIGINT NOT NULL,"
	" read_flag BIGINT NOT NULL,"
	" PRIMARY KEY (username, fmid))",
	"CREATE INDEX mstore_changes_cn ON mstore_changes (username, parent_fid, kind, cn)",
	"CREATE INDEX mstore_changes_read ON mstore_changes (username, parent_fid, read_cn)",
	"CREATE INDEX mstore_changes_kind ON mstore_changes (username, kind, cn)",
	"CREATE TABLE mstore_tombstones ("
	" username VARCHAR(255) NOT NULL,"
	" fmid BIGINT NOT NULL,"
	" parent_fid BIGINT NOT NULL,"
	" kind BIGINT NOT NULL,"
	" cn BIGINT NOT NULL,"
	" hard BIGINT NOT NULL,"
	" source_key MEDIUMBLOB NOT NULL,"
	" PRIMARY KEY (username, fmid))",
	"CREATE INDEX mstore_tombstones_cn ON mstore_tombstones (username, parent_fid, cn)",
	"CREATE INDEX mstore_tombstones_kind ON mstore_tombstones (username, kind, cn)",
	NULL
};

/*
 * Folder permissions ([MS-OXCPERM] 2.2.1): one row per member of a
 * folder's permissions list, keyed by mailbox (0: public store) and FID
 * (backend FIDs are unique only within their mailbox); account is the
 * member's account name ('' for the Default (0) and Anonymous (-1)
 * members), entry_id its address-book entry ID (PidTagEntryId).
 */
static const char *const m004_folder_permissions[] = {
	"CREATE TABLE ocdb_folder_acl ("
	" mailbox_id BIGINT NOT NULL,"
	" fid BIGINT NOT NULL,"
	" member_id BIGINT NOT NULL,"
	" account VARCHAR(255) NOT NULL,"
	" member_name VARCHAR(255) NOT NULL,"
	" entry_id MEDIUMBLOB NOT NULL,"
	" rights BIGINT NOT NULL,"
	" PRIMARY KEY (mailbox_id, fid, member_id))",
	"CREATE INDEX ocdb_folder_acl_account ON ocdb_folder_acl (mailbox_id, account)",
	NULL
};

/*
 * Intents (mapistore_intents.c): a row per deletion or read-state change
 * whose backend commit is not yet followed by its tracking (tombstone,
 * read-state CN); what a crash leaves here is completed on the next
 * context open.
 */
static const char *const m005_intents[] = {
	"CREATE TABLE mstore_intents ("
	" username VARCHAR(255) NOT NULL,"
	" fmid BIGINT NOT NULL,"
	" op BIGINT NOT NULL,"
	" parent_fid BIGINT NOT NULL,"
	" arg BIGINT NOT NULL,"
	" PRIMARY KEY (username, fmid, op))",
	NULL
};

/*
 * Server-side rules ([MS-OXORULE] 2.2.1.3 rule properties): one row per
 * rule of a folder's rules table, keyed by mailbox (0: public store), FID
 * and PidTagRuleId. condition and actions are the PtypRestriction /
 * PtypRuleAction values as their ROP-buffer bytes ([MS-OXCDATA] 2.12,
 * [MS-OXORULE] 2.2.5).
 */
static const char *const m006_rules[] = {
	"CREATE TABLE ocdb_rules ("
	" mailbox_id BIGINT NOT NULL,"
	" fid BIGINT NOT NULL,"
	" rule_id BIGINT NOT NULL,"
	" sequence BIGINT NOT NULL,"
	" state BIGINT NOT NULL,"
	" name TEXT NOT NULL,"
	" provider TEXT NOT NULL,"
	" level BIGINT NOT NULL,"
	" user_flags BIGINT NOT NULL,"
	" provider_data MEDIUMBLOB NOT NULL,"
	" rule_condition MEDIUMBLOB NOT NULL,"
	" rule_actions MEDIUMBLOB NOT NULL,"
	" PRIMARY KEY (mailbox_id, fid, rule_id))",
	NULL
};

/*
 * GLOBCNT ranges of the mailbox's replica a client gave up with
 * RopSetLocalReplicaMidsetDeleted ([MS-OXCFXICS] 2.2.3.2.4.8,
 * 3.3.5.8.13: the server adds them to its deleted items list). One row
 * per range, first_globcnt..last_globcnt inclusive; the ranges of a
 * mailbox never overlap (openchangedb_replica.c merges them), so the one
 * starting at or below a GLOBCNT is the only one that can hold it.
 */
static const char *const m007_given_up_ranges[] = {
	"CREATE TABLE ocdb_given_up_ranges ("
	" mailbox_id BIGINT NOT NULL,"
	" first_globcnt BIGINT NOT NULL,"
	" last_globcnt BIGINT NOT NULL,"
	" PRIMARY KEY (mailbox_id, first_globcnt))",
	NULL
};

static const struct mapistore_migration migrations[] = {
	{ 1, "001_initial", m001_initial },
	{ 2, "002_well_known_property_sets", m002_well_known_sets },
	{ 3, "003_change_tracking", m003_change_tracking },
	{ 4, "004_folder_permissions", m004_folder_permissions },
	{ 5, "005_intents", m005_intents },
	{ 6, "006_rules", m006_rules },
	{ 7, "007_given_up_ranges", m007_given_up_ranges },
};

const struct mapistore_migration *mapistore_schema_migrations(size_t *count_r)
{
	*count_r = sizeof(migrations) / sizeof(migrations[0]);
	return migrations;
}

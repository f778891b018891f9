/*
 * openchangedb_admin: the one tool that creates and changes the
 * openchangedb schema and contents, so provisioning scripts never carry
 * their own copy of the schema.
 *
 *   openchangedb_admin [--uri URI | --private-dir DIR] init
 *   ... provision-server --server NAME --firstorg ORG --firstou OU
 *   ... mailbox-create --user U [--display-name NAME] [--locale LCID]
 *   ... user-cleanup --user U [--dry-run]
 *   ... show
 *
 * Without --uri the database is <private dir>/openchange.db (SQLite).
 * Errors: exit status 1 and one sentence on stderr (never a password).
 */
#include "mapistore_db.h"
#include "openchangedb.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct admin_args {
	const char *uri;
	const char *private_dir;
	const char *server, *firstorg, *firstou;
	const char *user, *display_name;
	uint32_t locale;
	bool dry_run;
	const char *command;
};

static int fail(const char *sentence)
{
	fprintf(stderr, "openchangedb_admin: %s\n", sentence);
	return 1;
}

static int fail_ret(const char *what, enum mapistore_error ret)
{
	fprintf(stderr, "openchangedb_admin: %s: %s.\n", what, mapistore_errstr(ret));
	return 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: openchangedb_admin [--uri URI] [--private-dir DIR] COMMAND [options]\n"
		"commands:\n"
		"  init                                   create or migrate the schema\n"
		"  provision-server --server NAME --firstorg ORG --firstou OU\n"
		"  mailbox-create --user USER [--display-name NAME] [--locale LCID]\n"
		"  user-cleanup --user USER [--dry-run]\n"
		"  show\n");
}

static int cmd_provision(struct openchangedb_context *ocdb, const struct admin_args *a)
{
	uint64_t fids[OCDB_PUBLIC_MAX];
	enum mapistore_error ret;
	int i;

	if (a->server == NULL || a->firstorg == NULL || a->firstou == NULL) {
		return fail("provision-server needs --server, --firstorg and --firstou.");
	}
	ret = openchangedb_provision_server(ocdb, a->server, a->firstorg, a->firstou, fids);
	if (ret == MAPISTORE_ERR_EXISTS) {
		return fail("The server is already provisioned in this database.");
	}
	if (ret != MAPISTORE_SUCCESS) {
		return fail_ret("Cannot provision the server", ret);
	}
	printf("[+] Public folders created for %s (%s / %s):\n", a->server, a->firstorg, a->firstou);
	for (i = OCDB_PUBLIC_ROOT; i < OCDB_PUBLIC_MAX; i++) {
		char *name = openchangedb_public_folder_name(NULL, i, a->firstorg, a->firstou);

		printf("\t* %-40s: 0x%016" PRIx64 " (%" PRIu64 ")\n", name ? name : "?", fids[i], fids[i]);
		talloc_free(name);
	}
	return 0;
}

static int cmd_mailbox_create(struct openchangedb_context *ocdb, const struct admin_args *a)
{
	struct openchangedb_mailbox *mbx = NULL;
	enum mapistore_error ret;
	uint64_t fids[13];
	static const char *const names[13] = {
		"Mailbox Root", "Deferred Action", "Spooler Queue", "Top of Information Store",
		"Inbox", "Outbox", "Sent Items", "Deleted Items", "Common Views", "Schedule",
		"Finder", "Views", "Shortcuts",
	};
	int i;

	if (a->user == NULL) {
		return fail("mailbox-create needs --user.");
	}
	ret = openchangedb_mailbox_create(NULL, ocdb, a->user, a->display_name, a->locale, &mbx);
	if (ret == MAPISTORE_ERR_EXISTS) {
		return fail("This user already has a mailbox.");
	}
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		return fail("The server is not provisioned yet (run provision-server first).");
	}
	if (ret != MAPISTORE_SUCCESS) {
		return fail_ret("Cannot create the mailbox", ret);
	}
	ret = openchangedb_get_logon_folder_ids(ocdb, a->user, fids);
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(mbx);
		return fail_ret("Cannot read the new mailbox", ret);
	}
	printf("[+] Mailbox created for %s (mailbox GUID %s, replica GUID %s):\n",
	       mbx->username, mbx->mailbox_guid, mbx->replica_guid);
	for (i = 0; i < 13; i++) {
		printf("\t* %-40s: 0x%016" PRIx64 " (%" PRIu64 ")\n", names[i], fids[i], fids[i]);
	}
	talloc_free(mbx);
	return 0;
}

static void print_line(void *private_data, const char *line)
{
	printf("%s%s\n", (const char *)private_data, line);
}

static int cmd_user_cleanup(struct openchangedb_context *ocdb, const struct admin_args *a)
{
	enum mapistore_error ret;

	if (a->user == NULL) {
		return fail("user-cleanup needs --user.");
	}
	ret = openchangedb_mailbox_remove(ocdb, a->user, a->dry_run, print_line,
		discard_const_p(char, a->dry_run ? "[dry-run] would remove " : "removed "));
	if (ret == MAPISTORE_ERR_NOT_FOUND) {
		return fail("This user has no mailbox.");
	}
	if (ret != MAPISTORE_SUCCESS) {
		return fail_ret("Cannot remove the mailbox", ret);
	}
	return 0;
}

static int cmd_show(struct openchangedb_context *ocdb)
{
	char *name = NULL, *org = NULL, *ou = NULL, **users = NULL;
	struct mapistore_db *db = openchangedb_get_db(ocdb);
	uint32_t version = 0, count = 0, i;
	enum mapistore_error ret;

	(void)mapistore_db_get_version(db, &version);
	printf("schema version: %u (this program: %u)\n", version, mapistore_db_schema_version());
	ret = openchangedb_get_server(NULL, ocdb, &name, &org, &ou);
	if (ret == MAPISTORE_SUCCESS) {
		printf("server: %s\norganization: %s\norganizational unit: %s\n", name, org, ou);
	} else {
		printf("server: (not provisioned)\n");
	}
	talloc_free(name);
	talloc_free(org);
	talloc_free(ou);
	ret = openchangedb_mailbox_list(NULL, ocdb, &users, &count);
	if (ret != MAPISTORE_SUCCESS) {
		return fail_ret("Cannot list mailboxes", ret);
	}
	printf("mailboxes: %u\n", count);
	for (i = 0; i < count; i++) {
		printf("\t* %s\n", users[i]);
	}
	talloc_free(users);
	return 0;
}

static int parse_args(int argc, char **argv, struct admin_args *a)
{
	static const struct option options[] = {
		{ "uri", required_argument, NULL, 'u' },
		{ "private-dir", required_argument, NULL, 'p' },
		{ "server", required_argument, NULL, 's' },
		{ "firstorg", required_argument, NULL, 'o' },
		{ "firstou", required_argument, NULL, 'g' },
		{ "user", required_argument, NULL, 'U' },
		{ "display-name", required_argument, NULL, 'd' },
		{ "locale", required_argument, NULL, 'l' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->private_dir = "/var/lib/samba/private";
	a->locale = 0x0409;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'u': a->uri = optarg; break;
		case 'p': a->private_dir = optarg; break;
		case 's': a->server = optarg; break;
		case 'o': a->firstorg = optarg; break;
		case 'g': a->firstou = optarg; break;
		case 'U': a->user = optarg; break;
		case 'd': a->display_name = optarg; break;
		case 'l': {
			char *end = NULL;
			unsigned long v = strtoul(optarg, &end, 0);

			if (end == optarg || *end != '\0' || v > 0xFFFFFFFFUL) {
				return fail("--locale must be a number such as 0x0409.");
			}
			a->locale = (uint32_t)v;
			break;
		}
		case 'n': a->dry_run = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	a->command = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	struct openchangedb_context *ocdb = NULL;
	struct admin_args a = { 0 };
	TALLOC_CTX *mem = talloc_new(NULL);
	enum mapistore_error ret;
	char *errmsg = NULL, *uri;
	int rc;

	if (parse_args(argc, argv, &a) != 0) {
		talloc_free(mem);
		return 1;
	}
	uri = a.uri ? talloc_strdup(mem, a.uri)
		    : talloc_asprintf(mem, "sqlite://%s/openchange.db", a.private_dir);
	ret = openchangedb_connect(mem, uri, &ocdb, &errmsg);
	if (ret != MAPISTORE_SUCCESS) {
		rc = fail(errmsg ? errmsg : mapistore_errstr(ret));
		talloc_free(mem);
		return rc;
	}
	if (strcmp(a.command, "init") == 0) {
		printf("schema at version %u\n", mapistore_db_schema_version());
		rc = 0;
	} else if (strcmp(a.command, "provision-server") == 0) {
		rc = cmd_provision(ocdb, &a);
	} else if (strcmp(a.command, "mailbox-create") == 0) {
		rc = cmd_mailbox_create(ocdb, &a);
	} else if (strcmp(a.command, "user-cleanup") == 0) {
		rc = cmd_user_cleanup(ocdb, &a);
	} else if (strcmp(a.command, "show") == 0) {
		rc = cmd_show(ocdb);
	} else {
		usage(stderr);
		rc = 1;
	}
	talloc_free(mem);
	return rc;
}

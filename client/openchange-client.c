/*
 * openchange-client: an administrator's MAPI command-line tool over occ
 * (occ.h). Connects to a server with NTLM, logs on to the mailbox and
 * lists folders, lists and reads messages, sends one; also the raw ROP
 * and session commands the integration tests drive.
 *
 * Output is "key=value" lines (one record per line for lists), so that
 * scripts can read it. Exit status: 0 success, 1 a MAPI/RPC error (its
 * code is printed), 2 usage.
 */
#include "occ.h"
#include "occ_cli.h"
#include "rpcext.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
"usage: openchange-client -H server -U user[%%password] [options] command [args]\n"
"options:\n"
"  -W, --domain NAME        NetBIOS domain\n"
"  -d LEVEL                 Samba client debug level (stderr)\n"
"  -D, --dn DN              EcDoConnectEx user DN (default: the account's)\n"
"      --sign               integrity only (default: privacy, sealed)\n"
"      --client-version W0,W1,W2   rgwClientVersion (hex words)\n"
"      --connect-flags N    EcDoConnectEx ulFlags\n"
"      --no-compress        pulFlags NoCompression|NoXorMagic\n"
"commands:\n"
"  connect                  EcDoConnectEx, print what it returned, disconnect\n"
"  raw HEX [HEX...]         one EcDoRpcExt2 per ROP buffer, print the replies\n"
"  logon                    RopLogon to the private mailbox\n"
"  folders                  list the mailbox's folders (hierarchy tables)\n"
"  messages FOLDER-ID       list a folder's messages (contents table)\n"
"  read FOLDER-ID MESSAGE-ID  print a message's properties\n"
"  send --to ADDR --subject S --body B   create and submit a message\n"
"  async-wait               EcDoAsyncConnectEx + EcDoAsyncWaitEx\n"
"  notify-wait [N]          subscribe to the whole mailbox, wait (up to N\n"
"                           EcDoAsyncWaitEx) for events, print them\n"
"  attach-put --file PATH [--subject S] [--inner-subject S]\n"
"                           a message with a file and an embedded message\n"
"  attach-get FOLDER-ID MESSAGE-ID  print a message's attachments\n"
"  stream-put --file PATH [--subject S] [--chunk N]\n"
"                           a message whose PidTagBody (UTF-16LE file) is streamed\n"
"  stream-get FOLDER-ID MESSAGE-ID --out PATH [--max N]\n"
"                           read a message's PidTagBody through a stream\n"
"  named GUID NAME          map a string-named property, read it back\n"
"  fx-put --file PATH [--op N] [--message] [--chunk N] [--stop N]\n"
"         [--mailbox DN]    upload a FastTransfer stream (PutBuffer) into\n"
"                           the Inbox of the own (or DN's) mailbox\n"
"  mkfolder PARENT NAME | mkmsg FID SUBJECT [N] | tree FID\n"
"  move-folder SRC FID DEST NAME | copy-folder SRC FID DEST NAME [--recursive]\n"
"  copy-to FID MID DFID DMID [--subobjects] [--exclude TAG]...\n"
"  set-read-flags FID FLAGS (MID... | --all) | receive-folders  (occ_cli_copy.c)\n"
"  mail [--to|--cc|--bcc A]... [--subject S] [--body B] [--sent-items|--delete-after]\n"
"                           submit to SMTP / EX:<dn> recipients (occ_cli_mail.c)\n"
"  perm-get FOLDER [--mailbox DN] [--freebusy]   a folder's permissions table\n"
"  perm-add FOLDER USER-DN RIGHTS [--freebusy] [--replace]   grant rights\n"
"  perm-remove FOLDER MEMBER-ID   remove a member from the permissions\n"
"  delegate DN ACTION [ARGS]  log on to DN's mailbox, then: logon | open F |\n"
"                           list F | read F MID | create F | delete F MID |\n"
"                           mkdir F NAME | rights F\n"
"  tables [--count N]       FindRow, categories, collapse states, backward\n"
"                           reads on a new folder of N messages\n"
"  props [--subject S]     entry IDs, keys, counts as Outlook reads them (occ_cli_props.c)\n"
"  search TEXT              a search folder over the Inbox (subject contains TEXT)\n"
"  drop                     connect, then drop the connection\n");
}

static bool parse_version(const char *s, uint16_t v[3])
{
	unsigned a, b, c;

	if (sscanf(s, "%x,%x,%x", &a, &b, &c) != 3 || a > 0xFFFF || b > 0xFFFF ||
	    c > 0xFFFF) {
		return false;
	}
	v[0] = a;
	v[1] = b;
	v[2] = c;
	return true;
}

static const struct {
	const char *name;
	int (*fn)(struct occ_cli *cli, int argc, char **argv);
	bool needs_session;
} commands[] = {
	{ "connect", occ_cli_connect, false },
	{ "drop", occ_cli_drop, false },
	{ "raw", occ_cli_raw, true },
	{ "logon", occ_cli_logon, true },
	{ "folders", occ_cli_folders, true },
	{ "messages", occ_cli_messages, true },
	{ "read", occ_cli_read, true },
	{ "send", occ_cli_send, true },
	{ "async-wait", occ_cli_async_wait, true },
	{ "notify-wait", occ_cli_notify_wait, true },
	{ "stream-put", occ_cli_stream_put, true },
	{ "stream-get", occ_cli_stream_get, true },
	{ "named", occ_cli_named, true },
	{ "attach-put", occ_cli_attach_put, true },
	{ "attach-get", occ_cli_attach_get, true },
	{ "fx-put", occ_cli_fx_put, true },
	{ "tables", occ_cli_tables, true },
	{ "perm-get", occ_cli_perm_get, true },
	{ "perm-add", occ_cli_perm_add, true },
	{ "perm-remove", occ_cli_perm_remove, true },
	{ "delegate", occ_cli_delegate, true },
	{ "mkfolder", occ_cli_mkfolder, true },
	{ "mkmsg", occ_cli_mkmsg, true },
	{ "tree", occ_cli_tree, true },
	{ "move-folder", occ_cli_move_folder, true },
	{ "copy-folder", occ_cli_copy_folder, true },
	{ "copy-to", occ_cli_copy_to, true },
	{ "set-read-flags", occ_cli_set_read_flags, true },
	{ "receive-folders", occ_cli_receive_folders, true },
	{ "mail", occ_cli_mail, true },
	{ "props", occ_cli_props, true },
	{ "search", occ_cli_search, true },
};

int main(int argc, char **argv)
{
	enum { O_SIGN = 256, O_VERSION, O_FLAGS, O_NOCOMP };
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "user", required_argument, NULL, 'U' },
		{ "domain", required_argument, NULL, 'W' },
		{ "dn", required_argument, NULL, 'D' },
		{ "sign", no_argument, NULL, O_SIGN },
		{ "client-version", required_argument, NULL, O_VERSION },
		{ "connect-flags", required_argument, NULL, O_FLAGS },
		{ "no-compress", no_argument, NULL, O_NOCOMP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct occ_cli cli;
	char *user = NULL, *pct;
	size_t i;
	int c, ret;

	memset(&cli, 0, sizeof(cli));
	cli.mem = talloc_new(NULL);
	cli.params.seal = true;
	while ((c = getopt_long(argc, argv, "+H:U:W:D:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.params.debug_level = atoi(optarg);
			break;
		case 'H':
			cli.params.server = optarg;
			break;
		case 'U':
			user = talloc_strdup(cli.mem, optarg);
			break;
		case 'W':
			cli.params.domain = optarg;
			break;
		case 'D':
			cli.params.user_dn = optarg;
			break;
		case O_SIGN:
			cli.params.seal = false;
			break;
		case O_VERSION:
			if (!parse_version(optarg, cli.params.client_version)) {
				usage(stderr);
				return 2;
			}
			break;
		case O_FLAGS:
			cli.params.connect_flags = strtoul(optarg, NULL, 0);
			break;
		case O_NOCOMP:
			cli.params.rpc_flags = pulFlags_NoCompression |
					       pulFlags_NoXorMagic;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (cli.params.server == NULL || user == NULL || optind >= argc) {
		usage(stderr);
		return 2;
	}
	pct = strchr(user, '%');
	if (pct != NULL) {
		*pct = '\0';
		cli.params.password = pct + 1;
	} else {
		cli.params.password = getenv("PASSWD") ?: "";
	}
	cli.params.username = user;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0) {
			continue;
		}
		if (commands[i].needs_session && occ_cli_open(&cli) != 0) {
			talloc_free(cli.mem);
			return 1;
		}
		ret = commands[i].fn(&cli, argc - optind - 1, argv + optind + 1);
		if (commands[i].needs_session && cli.s != NULL) {
			occ_disconnect(cli.s);
		}
		talloc_free(cli.mem);
		return ret;
	}
	usage(stderr);
	talloc_free(cli.mem);
	return 2;
}

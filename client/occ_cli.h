/* openchange-client commands (occ_cli_cmds.c). Internal. */
#ifndef OCC_CLI_H
#define OCC_CLI_H

#include "occ.h"

struct occ_cli {
	TALLOC_CTX *mem;
	struct occ_params params;
	struct occ_session *s;
	uint32_t handles[8];
	uint64_t fids[13];
};

/** EcDoConnectEx into cli->s; prints the error and returns 1 on failure. */
int occ_cli_open(struct occ_cli *cli);

int occ_cli_connect(struct occ_cli *cli, int argc, char **argv);
int occ_cli_drop(struct occ_cli *cli, int argc, char **argv);
int occ_cli_raw(struct occ_cli *cli, int argc, char **argv);
int occ_cli_logon(struct occ_cli *cli, int argc, char **argv);
int occ_cli_folders(struct occ_cli *cli, int argc, char **argv);
int occ_cli_messages(struct occ_cli *cli, int argc, char **argv);
int occ_cli_read(struct occ_cli *cli, int argc, char **argv);
int occ_cli_send(struct occ_cli *cli, int argc, char **argv);
int occ_cli_async_wait(struct occ_cli *cli, int argc, char **argv);
int occ_cli_notify_wait(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_attach.c: attachments and embedded messages */
int occ_cli_attach_put(struct occ_cli *cli, int argc, char **argv);
int occ_cli_attach_get(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_streams.c: streams and named properties ([MS-OXCPRPT]) */
int occ_cli_stream_put(struct occ_cli *cli, int argc, char **argv);
int occ_cli_stream_get(struct occ_cli *cli, int argc, char **argv);
int occ_cli_named(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_ftup.c: FastTransfer upload ([MS-OXCFXICS]) */
int occ_cli_fx_put(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_copy.c: folder/message copies, read flags (issue 7) */
int occ_cli_mkfolder(struct occ_cli *cli, int argc, char **argv);
int occ_cli_mkmsg(struct occ_cli *cli, int argc, char **argv);
int occ_cli_tree(struct occ_cli *cli, int argc, char **argv);
int occ_cli_move_folder(struct occ_cli *cli, int argc, char **argv);
int occ_cli_copy_folder(struct occ_cli *cli, int argc, char **argv);
int occ_cli_copy_to(struct occ_cli *cli, int argc, char **argv);
int occ_cli_set_read_flags(struct occ_cli *cli, int argc, char **argv);
int occ_cli_receive_folders(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_mail.c: submission to several recipients (doc/transport.md) */
int occ_cli_mail(struct occ_cli *cli, int argc, char **argv);
/* occ_cli_perm.c: folder permissions and delegate access ([MS-OXCPERM]) */
int occ_cli_perm_get(struct occ_cli *cli, int argc, char **argv);
int occ_cli_perm_add(struct occ_cli *cli, int argc, char **argv);
int occ_cli_perm_remove(struct occ_cli *cli, int argc, char **argv);
int occ_cli_delegate(struct occ_cli *cli, int argc, char **argv);

/* occ_cli_props.c: computed properties, search folders (issue 7) */
int occ_cli_props(struct occ_cli *cli, int argc, char **argv);
int occ_cli_search(struct occ_cli *cli, int argc, char **argv);

/* occ_cli_tables.c: FindRow, categories, backward reads ([MS-OXCTABL]) */
int occ_cli_tables(struct occ_cli *cli, int argc, char **argv);

#endif /* OCC_CLI_H */

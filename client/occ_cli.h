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

#endif /* OCC_CLI_H */

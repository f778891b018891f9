/*
 * libFuzzer harness: the entry ID parser (emsmdb_entryid_parse,
 * [MS-OXCDATA] 2.2.4.1 / 2.2.4.2). Whatever it accepts must be rebuilt
 * byte for byte by emsmdb_folder_entryid / emsmdb_message_entryid from
 * the parsed fields (the parser keeps nothing back), and the IDs it
 * names must give back their GLOBCNT bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emsmdb_computed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emsmdb_entryid e;
	struct emsmdb_logon l;
	uint8_t out[EMSMDB_MESSAGE_ENTRYID_SIZE];
	uint64_t fid, mid;

	if (emsmdb_entryid_parse(data, size, &e) != ecSuccess) {
		return 0;
	}
	memset(&l, 0, sizeof(l));
	l.is_private = e.Type == eitLTPrivateFolder || e.Type == eitLTPrivateMessage;
	memcpy(l.MailboxGuid, e.ProviderUID, 16);
	fid = emsmdb_entryid_id(1, e.FolderGlobalCounter);
	if (size == EMSMDB_FOLDER_ENTRYID_SIZE) {
		emsmdb_folder_entryid(&l, e.FolderDatabaseGuid, fid, out);
	} else {
		mid = emsmdb_entryid_id(1, e.MessageGlobalCounter);
		emsmdb_message_entryid(&l, e.FolderDatabaseGuid, fid, e.MessageDatabaseGuid,
				       mid, out);
	}
	/* a public entry ID carries the public store's UID, which the
	 * builder writes itself */
	if (l.is_private && memcmp(out, data, size) != 0) {
		abort();
	}
	if (!l.is_private && memcmp(out + 20, data + 20, size - 20) != 0) {
		abort();
	}
	return 0;
}

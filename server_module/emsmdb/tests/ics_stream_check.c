/*
 * ics_stream_check ROOT HEX: decode a FastTransfer stream (hex on the
 * command line) with ndr/fxics and validate it against one root of
 * [MS-OXCFXICS] 2.2.4.2; the integration tests (testsuite/integration/
 * test_ics.py) check what the server sent through Samba with it.
 *
 * ROOT: contents, hierarchy, state, messagelist, topfolder,
 * foldercontent, messagecontent. Prints key=value lines: atoms=,
 * changes= (IncrSyncChg), deletions=, reads=, messages= (StartMessage /
 * StartFAIMsg), and the hex of each state / IDSET meta-property
 * (IdsetGiven=, CnsetSeen=, ..., IdsetDeleted=, IdsetRead=, IdsetUnread=)
 * and every PtypString value as string=. Exit 0 valid, 1 invalid, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fxics.h"

static const struct {
	const char *name;
	enum fxics_root root;
} roots[] = {
	{ "contents", FXICS_ROOT_CONTENTS_SYNC },
	{ "hierarchy", FXICS_ROOT_HIERARCHY_SYNC },
	{ "state", FXICS_ROOT_STATE },
	{ "messagelist", FXICS_ROOT_MESSAGE_LIST },
	{ "topfolder", FXICS_ROOT_TOP_FOLDER },
	{ "foldercontent", FXICS_ROOT_FOLDER_CONTENT },
	{ "messagecontent", FXICS_ROOT_MESSAGE_CONTENT },
};

static const struct {
	uint32_t tag;
	const char *name;
} metas[] = {
	{ MetaTagIdsetGiven, "IdsetGiven" }, { MetaTagCnsetSeen, "CnsetSeen" },
	{ MetaTagCnsetSeenFAI, "CnsetSeenFAI" }, { MetaTagCnsetRead, "CnsetRead" },
	{ MetaTagIdsetDeleted, "IdsetDeleted" }, { MetaTagIdsetRead, "IdsetRead" },
	{ MetaTagIdsetUnread, "IdsetUnread" },
	{ MetaTagIdsetNoLongerInScope, "IdsetNoLongerInScope" },
};

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int main(int argc, char **argv)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct fxics_atom *atoms = NULL;
	size_t count = 0, len, i, k, bad = 0, changes = 0, dels = 0, reads = 0, msgs = 0;
	uint8_t *data;
	int root = -1, rc = 0;

	if (argc != 3 || strlen(argv[2]) % 2 != 0) {
		fprintf(stderr, "usage: ics_stream_check ROOT HEX\n");
		return 2;
	}
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (strcmp(argv[1], roots[i].name) == 0) {
			root = (int)roots[i].root;
		}
	}
	len = strlen(argv[2]) / 2;
	data = talloc_size(mem, len + 1);
	for (i = 0; data != NULL && i < len; i++) {
		int hi = hexval(argv[2][2 * i]), lo = hexval(argv[2][2 * i + 1]);

		if (hi < 0 || lo < 0) {
			root = -1;
			break;
		}
		data[i] = (uint8_t)(hi << 4 | lo);
	}
	if (root < 0 || data == NULL) {
		fprintf(stderr, "usage: ics_stream_check ROOT HEX\n");
		return 2;
	}
	if (fxics_decode_all(mem, data, len, 1252, &atoms, &count) != ROP_OK) {
		printf("valid=no\nerror=decode\n");
		return 1;
	}
	if (fxics_grammar_validate((enum fxics_root)root, atoms, count, &bad) != ROP_OK) {
		printf("valid=no\nerror_index=%zu\n", bad);
		rc = 1;
	} else {
		printf("valid=yes\n");
	}
	for (i = 0; i < count; i++) {
		const struct fxics_atom *a = &atoms[i];

		changes += a->PropertyTag == IncrSyncChg;
		dels += a->PropertyTag == IncrSyncDel;
		reads += a->PropertyTag == IncrSyncRead;
		msgs += a->PropertyTag == StartMessage || a->PropertyTag == StartFAIMsg;
		if (a->kind == FXICS_ATOM_PROPERTY && a->Value.PropertyType == PtypString) {
			printf("string=%s\n", a->Value.u.str);
		}
		for (k = 0; k < sizeof(metas) / sizeof(metas[0]); k++) {
			if (a->PropertyTag == metas[k].tag) {
				uint32_t j;

				printf("%s=", metas[k].name);
				for (j = 0; j < a->Value.u.bin.cb; j++) {
					printf("%02x", a->Value.u.bin.lpb[j]);
				}
				printf("\n");
			}
		}
	}
	printf("atoms=%zu\nchanges=%zu\ndeletions=%zu\nreads=%zu\nmessages=%zu\n", count,
	       changes, dels, reads, msgs);
	talloc_free(mem);
	return rc;
}

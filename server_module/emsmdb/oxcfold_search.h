/*
 * Search folders ([MS-OXCFOLD] 2.2.1.4 RopSetSearchCriteria, 2.2.1.5
 * RopGetSearchCriteria, 3.2.5.4 / 3.2.5.5, RopCreateFolder with
 * FolderType FOLDER_SEARCH, 2.2.1.2).
 *
 * A search folder is an openchangedb folder (below a system folder such
 * as Finder, where clients create them) with PidTagFolderType
 * FOLDER_SEARCH. Its criteria are kept as three properties of the folder
 * (the restriction in its [MS-OXCDATA] 2.12 wire form, the FIDs searched,
 * the search flags). Its contents table is evaluated when the table is
 * opened (RopGetContentsTable), with mapistore_search_run() over the
 * searched folders, so it is current at every opening; an open table is
 * a snapshot (no TableModified). RopSetSearchCriteria evaluates the search
 * at once, answers when it is complete and raises SearchComplete.
 *
 * Internal to server_module/emsmdb.
 */
#ifndef OXCFOLD_SEARCH_H
#define OXCFOLD_SEARCH_H

#include "emsmdb_oxc.h"

/* [MS-OXCFOLD] 2.2.1.4.1 SearchFlags of RopSetSearchCriteria */
#define STOP_SEARCH			0x00000001
#define RESTART_SEARCH			0x00000002
#define RECURSIVE_SEARCH		0x00000004
#define SHALLOW_SEARCH			0x00000008
#define CONTENT_INDEXED_SEARCH		0x00010000
#define NON_CONTENT_INDEXED_SEARCH	0x00020000
#define STATIC_SEARCH			0x00040000

/* [MS-OXCFOLD] 2.2.1.5.2 SearchFlags of RopGetSearchCriteria */
#define SEARCH_RUNNING			0x00000001
#define SEARCH_REBUILD			0x00000002
#define SEARCH_RECURSIVE		0x00000004
#define SEARCH_COMPLETE			0x00001000
#define SEARCH_PARTIAL			0x00002000
#define SEARCH_STATIC			0x00010000
#define SEARCH_MAYBE_STATIC		0x00020000

/* [MS-OXCDATA] 2.4 */
#ifndef ecNotSearchFolder
#define ecNotSearchFolder		0x00000461
#endif
#ifndef ecDuplicateName
#define ecDuplicateName			0x80040604
#endif
#ifndef ecNotInitialized
#define ecNotInitialized		0x80040605
#endif

/* the criteria, kept on the search folder (provider-defined IDs) */
#define PidTagOcSearchRestriction	0x67F00102
#define PidTagOcSearchFolderIds		0x67F10102
#define PidTagOcSearchFlags		0x67F20003

/** The most FIDs a RopSetSearchCriteria may name. */
#define EMSMDB_SEARCH_MAX_FOLDERS	1024

/** [MS-OXCFOLD] 2.2.1.4 RopSetSearchCriteria. */
uint32_t oxcfold_RopSetSearchCriteria(struct emsmdb_rop_call *call);
/** [MS-OXCFOLD] 2.2.1.5 RopGetSearchCriteria. */
uint32_t oxcfold_RopGetSearchCriteria(struct emsmdb_rop_call *call);

/**
 * RopCreateFolder with FolderType FOLDER_SEARCH (oxcfold.c calls it
 * after its own checks): a search folder below the input folder, which
 * must be an openchangedb folder (ecNotSupported below a backend folder).
 * Fills the RopCreateFolder response and the output object.
 */
uint32_t oxcfold_search_create(struct emsmdb_rop_call *call);

/**
 * The contents table of @t's folder when it is a search folder: the
 * criteria evaluated now, into t->mt and t->count (nothing for other
 * folders, for the associated table, for a stopped or uninitialised
 * search). Called by emsmdb_table_new (oxctabl.c).
 */
uint32_t emsmdb_search_table_open(struct emsmdb_rop_call *call, struct emsmdb_table *t);

/**
 * PidTagContentCount / PidTagContentUnreadCount ([MS-OXCFOLD] 2.2.2.2.1)
 * of search folder @fid: the messages it lists now (with @unread, those
 * without mfRead). 0 for another folder, an uninitialised or stopped
 * search. @return ecSuccess, or the evaluation's error.
 */
uint32_t emsmdb_search_count(struct emsmdb_session *s, uint64_t fid, bool unread,
			     uint32_t *count_r);

/** Whether openchangedb folder @fid is a search folder. */
bool emsmdb_search_is_search_folder(struct emsmdb_session *s, uint64_t fid);

#endif /* OXCFOLD_SEARCH_H */

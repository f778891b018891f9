/*
 * Recipient resolution for the transport ([MS-OXOMSG] 3.2.5.1: the server
 * resolves the recipients of a submitted message): who an "EX"
 * (legacyExchangeDN) or "SMTP" address is in the directory, and whether
 * that user has a mailbox on this server.
 *
 * The core sees only struct emsmdb_directory (a lookup hook): in the
 * module, emsmdb_transport_glue.c answers from Samba's sam.ldb on the
 * event loop (mp_loop_call); unit tests install a table. The filter
 * builder below is shared by both, so its escaping is tested.
 */
#ifndef EMSMDB_DIRECTORY_H
#define EMSMDB_DIRECTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <talloc.h>

/** What a lookup is keyed on. */
enum emsmdb_directory_key {
	EMSMDB_DIRECTORY_EX,		/* legacyExchangeDN, PidTagAddressType "EX" */
	EMSMDB_DIRECTORY_SMTP,		/* mail or proxyAddresses smtp:, "SMTP" */
	EMSMDB_DIRECTORY_ACCOUNT,	/* sAMAccountName (the sender) */
};

/** A directory user. Strings on the mem_ctx of the lookup. */
struct emsmdb_directory_entry {
	char *account;			/* sAMAccountName: the mailbox owner name */
	char *display_name;
	char *smtp_address;		/* primary SMTP address, NULL if none */
	char *legacy_dn;		/* legacyExchangeDN, NULL if none */
	/** a mailbox on this server: homeMDB or msExchHomeServerName set,
	 *  msExchUserAccountControl not 2 (disabled), doc/provisioning.md */
	bool has_mailbox;
};

/**
 * Find the user of @p value. Runs on a worker thread.
 * @return ecSuccess with *@p entry_r on @p mem_ctx, ecNotFound (nobody,
 *         or more than one match), ecError (directory unavailable).
 */
typedef uint32_t (*emsmdb_directory_lookup_fn)(void *private_data,
	TALLOC_CTX *mem_ctx, enum emsmdb_directory_key key, const char *value,
	struct emsmdb_directory_entry **entry_r);

struct emsmdb_directory {
	emsmdb_directory_lookup_fn lookup;
	void *private_data;
};

/**
 * The LDAP filter of a lookup, @p value escaped with
 * ldb_binary_encode_string ([RFC 4515] 3):
 *   EX:      (&(objectClass=user)(legacyExchangeDN=V))
 *   SMTP:    (&(objectClass=user)(|(mail=V)(proxyAddresses=smtp:V)))
 *            (proxyAddresses matches case-insensitively, so "SMTP:" too)
 *   ACCOUNT: (&(objectClass=user)(sAMAccountName=V))
 * @return the filter on @p mem_ctx, NULL on allocation failure or an
 *         empty @p value.
 */
char *emsmdb_directory_filter(TALLOC_CTX *mem_ctx, enum emsmdb_directory_key key,
			      const char *value);

/**
 * The primary SMTP address of a user: the proxyAddresses value with the
 * upper-case "SMTP:" prefix, else @p mail, else the first "smtp:" value.
 * @return a copy on @p mem_ctx or NULL.
 */
char *emsmdb_directory_primary_smtp(TALLOC_CTX *mem_ctx, const char *mail,
				    const char *const *proxy_addresses,
				    unsigned count);

#endif /* EMSMDB_DIRECTORY_H */

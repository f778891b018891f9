"""OpenChange provisioning tools: shared code of openchange_provision,
openchange_newuser and openchange_user_cleanup (doc/provisioning.md).

Runs on Debian's /usr/bin/python3 with Samba's own bindings (python3-samba),
as samba-tool does.  Modules:

  common        errors, the one-line top-level error handler, option groups,
                opening sam.ldb with the DC / schema-update checks
  names         Exchange names: DNs and legacyExchangeDN formats
  schema_table  the Exchange attributes and classes we add (data only)
  schema        planning and applying the schema extension
  config        the Exchange configuration objects (organization, server,
                stores, address lists) and their removal
  user          the Exchange attributes of a mailbox user
  ocdb          the openchangedb, through mapistore's openchangedb_admin
  cleanup       removal of a user's server-side state
"""

VERSION = "0.1.0"

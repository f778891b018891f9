"""The Exchange schema objects this server needs: data only.

Each attribute is added only when the DC's schema lacks it (looked up by
lDAPDisplayName); an existing attribute with the same name but another
attributeID is a conflict and stops the run before any write.

OIDs, syntaxes and schemaIDGUIDs are Exchange's own (the Exchange 2003 schema
as published with Exchange and reproduced in the old OpenChange LDIF), so a
later real Exchange schema extension finds identical definitions.  Two
Exchange 2007 attributes (msExchRecipientDisplayType,
msExchRecipientTypeDetails) and msExchPublicMDB's governsID could not be
checked against a published source here: their schemaIDGUID is left for the
DC to generate (guid=None) and doc/provisioning.md lists them.

Classes are subsets of Exchange's: mayContain lists only the attributes that
this server reads or writes, and mustContain is empty (Exchange's msExchMDB
requires deliveryMechanism, which nothing here uses).

'use' says who reads the attribute ([MS-OXPROPS] gives the MAPI property
behind each address-book attribute, [MS-OXOABK] 2.2 the objects).
"""

# syntax name -> (attributeSyntax, oMSyntax, oMObjectClass or None)
SYNTAX = {
    "unicode": ("2.5.5.12", 64, None),
    "dn": ("2.5.5.1", 127, b"\x2b\x0c\x02\x87\x73\x1c\x00\x85\x4a"),
    "int": ("2.5.5.9", 2, None),
    "int64": ("2.5.5.16", 65, None),
    "bool": ("2.5.5.8", 1, None),
    "octet": ("2.5.5.10", 4, None),
}

# (lDAPDisplayName, cn, attributeID, syntax, single-valued, schemaIDGUID,
#  extra attributes, use)
ATTRIBUTES = [
    ("mailNickname", "ms-Exch-Mail-Nickname", "1.2.840.113556.1.2.447",
     "unicode", True, "bf9679b3-0de6-11d0-a285-00aa003049e2",
     {"rangeLower": "1", "rangeUpper": "64", "mAPIID": "14848",
      "searchFlags": "5"},
     "PidTagAccount (0x3A00): the alias; NSPI ANR and resolve-names"),
    ("homeMDB", "ms-Exch-Home-MDB", "1.2.840.113556.1.2.244",
     "dn", True, "bf967987-0de6-11d0-a285-00aa003049e2",
     {"mAPIID": "32774", "linkID": "32"},
     "PidTagAddressBookHomeMessageDatabase (0x8006): the mailbox store; "
     "Outlook derives the server DN for RFR from its legacyExchangeDN"),
    ("homeMDBBL", "ms-Exch-Home-MDB-BL", "1.2.840.113556.1.2.393",
     "dn", False, "bf967988-0de6-11d0-a285-00aa003049e2",
     {"mAPIID": "32788", "linkID": "33", "systemFlags": "1"},
     "back link of homeMDB on the mailbox store (maintained by the DC)"),
    ("homeMTA", "ms-Exch-Home-MTA", "1.2.840.113556.1.2.171",
     "dn", True, "bf967989-0de6-11d0-a285-00aa003049e2",
     {"mAPIID": "32775"},
     "PidTagAddressBookHomeMessageTransferAgent (0x8007)"),
    ("msExchHomeServerName", "ms-Exch-Home-Server-Name",
     "1.2.840.113556.1.4.7000.102.47", "unicode", True,
     "a284f30e-b093-11d2-aa06-00c04f8eedd8", {"searchFlags": "25"},
     "[MS-OXLDAP] 2.2.3.3: legacyExchangeDN of the user's server; the "
     "server checks it at EcDoConnectEx"),
    ("msExchMailboxGuid", "ms-Exch-Mailbox-Guid",
     "1.2.840.113556.1.4.7000.102.11058", "octet", True,
     "9333af48-b09e-11d2-aa06-00c04f8eedd8",
     {"rangeLower": "16", "rangeUpper": "16", "mAPIID": "35955",
      "searchFlags": "9"},
     "the mailbox GUID (RopLogon MailboxGuid, [MS-OXCSTOR] 2.2.1.1.3)"),
    ("msExchHideFromAddressLists", "ms-Exch-Hide-From-Address-Lists",
     "1.2.840.113556.1.4.7000.102.73", "bool", True,
     "a21c0b96-b093-11d2-aa06-00c04f8eedd8", {"searchFlags": "16"},
     "NSPI leaves hidden recipients out of address lists"),
    ("msExchUserAccountControl", "ms-Exch-User-Account-Control",
     "1.2.840.113556.1.4.7000.102.101", "int", True,
     "07c31f12-a3e8-4fa0-af8e-4932c75b2241", {"searchFlags": "25"},
     "0 = mailbox enabled, 2 = disabled (openchange_newuser --enable/"
     "--disable); the server refuses logons to disabled mailboxes"),
    ("msExchHomePublicMDB", "ms-Exch-Home-Public-MDB",
     "1.2.840.113556.1.4.7000.102.11044", "dn", True,
     "a23fcedc-b093-11d2-aa06-00c04f8eedd8", {},
     "on the mailbox store: the public folder store of its users"),
    ("msExchRecipientDisplayType", "ms-Exch-Recipient-Display-Type",
     "1.2.840.113556.1.4.7000.102.50730", "int", True, None,
     {"searchFlags": "0"},
     "PidTagDisplayTypeEx (0x3905, [MS-OXOABK] 2.2.3.12)"),
    ("msExchRecipientTypeDetails", "ms-Exch-Recipient-Type-Details",
     "1.2.840.113556.1.4.7000.102.50855", "int64", True, None,
     {"searchFlags": "0"},
     "recipient type (1 = UserMailbox)"),
]

# (lDAPDisplayName, cn, governsID, objectClassCategory (1 structural,
#  3 auxiliary), subClassOf, possSuperiors, mayContain, auxiliaryClass,
#  schemaIDGUID, use)
CLASSES = [
    ("msExchBaseClass", "ms-Exch-Base-Class",
     "1.2.840.113556.1.5.7000.62.14", 3, "top", [],
     ["legacyExchangeDN", "showInAddressBook", "msExchHideFromAddressLists",
      "msExchUserAccountControl"], [],
     "d8782c34-46ca-11d3-aa72-00c04f8eedd8",
     "auxiliary class of every Exchange object"),
    ("msExchMailStorage", "ms-Exch-Mail-Storage",
     "1.2.840.113556.1.5.7000.62.5", 3, "top", [],
     ["homeMDB", "homeMTA", "msExchHomeServerName", "msExchMailboxGuid"], [],
     "03652000-a981-11d2-a9ff-00c04f8eedd8",
     "auxiliary class of mailbox users"),
    ("msExchCustomAttributes", "ms-Exch-Custom-Attributes",
     "1.2.840.113556.1.5.7000.62.6", 3, "top", [],
     ["mailNickname", "msExchRecipientDisplayType",
      "msExchRecipientTypeDetails"], [],
     "00e629c8-a981-11d2-a9ff-00c04f8eedd8",
     "auxiliary class of recipients (users, groups, contacts)"),
    ("msExchContainer", "ms-Exch-Container",
     "1.2.840.113556.1.5.7000.62.50010", 1, "container", [], [],
     ["msExchBaseClass"], "006c91da-a981-11d2-a9ff-00c04f8eedd8",
     "Address Lists Container, Offline Address Lists, Addressing"),
    ("msExchOrganizationContainer", "ms-Exch-Organization-Container",
     "1.2.840.113556.1.5.7000.62.50020", 1, "container", [], [],
     ["msExchBaseClass"], "366a319c-a982-11d2-a9ff-00c04f8eedd8",
     "the organization (--firstorg)"),
    ("msExchAdminGroupContainer", "ms-Exch-Admin-Group-Container",
     "1.2.840.113556.1.5.7000.62.50019", 1, "container", [], [],
     ["msExchBaseClass"], "e7a44058-a980-11d2-a9ff-00c04f8eedd8",
     "CN=Administrative Groups"),
    ("msExchAdminGroup", "ms-Exch-Admin-Group",
     "1.2.840.113556.1.5.7000.62.50011", 1, "top",
     ["msExchAdminGroupContainer"], ["displayName"], ["msExchBaseClass"],
     "e768a58e-a980-11d2-a9ff-00c04f8eedd8",
     "the administrative group (--firstou)"),
    ("msExchServersContainer", "ms-Exch-Servers-Container",
     "1.2.840.113556.1.5.7000.62.50013", 1, "container",
     ["msExchAdminGroup"], [], ["msExchBaseClass"],
     "346e5cba-a982-11d2-a9ff-00c04f8eedd8", "CN=Servers"),
    ("msExchExchangeServer", "ms-Exch-Exchange-Server",
     "1.2.840.113556.1.5.7000.62.50009", 1, "server",
     ["msExchServersContainer"],
     ["networkAddress", "versionNumber", "serverRole", "serialNumber"],
     ["msExchBaseClass"], "01a9aa9c-a981-11d2-a9ff-00c04f8eedd8",
     "this server; RFR/NSPI find it by legacyExchangeDN"),
    ("msExchInformationStore", "ms-Exch-Information-Store",
     "1.2.840.113556.1.5.7000.62.11001", 1, "container",
     ["msExchExchangeServer"], [], ["msExchBaseClass"],
     "031b371a-a981-11d2-a9ff-00c04f8eedd8", "CN=InformationStore"),
    ("msExchStorageGroup", "ms-Exch-Storage-Group",
     "1.2.840.113556.1.5.7000.62.11006", 1, "container",
     ["msExchInformationStore"], ["displayName"], ["msExchBaseClass"],
     "3435244a-a982-11d2-a9ff-00c04f8eedd8", "CN=First Storage Group"),
    ("msExchMDB", "ms-Exch-MDB", "1.2.840.113556.1.5.7000.62.11002", 1,
     "top", ["msExchStorageGroup"],
     ["displayName", "adminDisplayName", "homeMDBBL"], ["msExchBaseClass"],
     "03d069d2-a981-11d2-a9ff-00c04f8eedd8", "abstract store"),
    ("msExchPrivateMDB", "ms-Exch-Private-MDB",
     "1.2.840.113556.1.5.7000.62.11004", 1, "msExchMDB",
     ["msExchStorageGroup"], ["msExchHomePublicMDB"], ["msExchBaseClass"],
     "36145cf4-a982-11d2-a9ff-00c04f8eedd8",
     "the mailbox store: homeMDB of every user"),
    ("msExchPublicMDB", "ms-Exch-Public-MDB",
     "1.2.840.113556.1.5.7000.62.11005", 1, "msExchMDB",
     ["msExchStorageGroup"], [], ["msExchBaseClass"], None,
     "the public folder store"),
]

# Existing base-schema classes extended by step "Extend existing Samba
# classes": (class lDAPDisplayName, attribute, values).
EXTENSIONS = [
    ("user", "auxiliaryClass",
     ["msExchBaseClass", "msExchMailStorage", "msExchCustomAttributes"]),
    ("group", "auxiliaryClass", ["msExchBaseClass", "msExchCustomAttributes"]),
    ("contact", "auxiliaryClass",
     ["msExchBaseClass", "msExchCustomAttributes"]),
    ("addressBookContainer", "possSuperiors", ["msExchContainer"]),
]

# Attributes whose presence on any object means the class extensions above
# are still in use (deprovision keeps them then).
RECIPIENT_ATTRIBUTES = ["mailNickname", "homeMDB", "homeMTA",
                        "msExchHomeServerName", "msExchMailboxGuid",
                        "msExchUserAccountControl",
                        "msExchRecipientDisplayType",
                        "msExchRecipientTypeDetails",
                        "msExchHideFromAddressLists"]

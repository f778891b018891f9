"""The Exchange configuration objects of one organization and this server.

Table-driven: OBJECTS lists every object in creation order (parents first)
with the phase that creates it; deprovision deletes the same rows in reverse
order.  All writes of a phase happen in one sam.ldb transaction: a failure
leaves the directory as it was before that phase ([MS-OXOABK] 2.2 describes
the address book objects; the layout is Exchange's).
"""

import ldb

from .common import OCError
from .names import ExchangeDNs

GENERIC, FINALIZE, REGISTER = "generic", "finalize", "register"

# purportedSearch filters of the address lists: who is in each list.
_MAILBOX_USER = ("(&(objectCategory=person)(objectClass=user)"
                 "(|(homeMDB=*)(msExchHomeServerName=*)))")
_CONTACT = "(&(objectCategory=person)(objectClass=contact))"
_GROUP = "(objectCategory=group)"
SEARCH_USERS = "(&(mailNickname=*)%s)" % _MAILBOX_USER
SEARCH_GROUPS = "(&(mailNickname=*)%s)" % _GROUP
SEARCH_CONTACTS = "(&(mailNickname=*)%s)" % _CONTACT
SEARCH_GAL = "(&(mailNickname=*)(|%s%s%s))" % (_MAILBOX_USER, _CONTACT, _GROUP)


def _ab(display, search=None):
    def attrs(d, info):
        a = {"objectClass": "addressBookContainer", "displayName": display,
             "showInAdvancedViewOnly": "TRUE"}
        if search:
            a["purportedSearch"] = search
        return a
    return attrs


def _cont(cls, extra=None):
    def attrs(d, info):
        a = {"objectClass": cls, "showInAdvancedViewOnly": "TRUE"}
        for k, v in (extra(d, info) if extra else {}).items():
            a[k] = v
        return a
    return attrs


def _server(d, info):
    nb = d.netbios
    return {"objectClass": "msExchExchangeServer",
            "legacyExchangeDN": d.server_legacy,
            "networkAddress": ["ncacn_ip_tcp:%s" % info["fqdn"],
                               "ncalrpc:%s" % nb, "netbios:%s" % nb],
            "serialNumber": "OpenChange %s" % info["version"],
            "versionNumber": "1", "serverRole": "0",
            "adminDisplayName": nb, "showInAdvancedViewOnly": "TRUE"}


def _mdb(cls, legacy_attr, label):
    def attrs(d, info):
        name = "%s (%s)" % (label, d.netbios)
        return {"objectClass": cls,
                "legacyExchangeDN": getattr(d, legacy_attr),
                "displayName": name, "adminDisplayName": name,
                "showInAdvancedViewOnly": "TRUE"}
    return attrs


# (ExchangeDNs attribute, phase, attribute builder)
OBJECTS = [
    ("exchange", GENERIC, _cont("msExchConfigurationContainer")),
    ("org_dn", GENERIC, _cont("msExchOrganizationContainer", lambda d, i: {
        "legacyExchangeDN": "/o=%s" % d.org})),
    ("admin_groups", GENERIC, _cont("msExchAdminGroupContainer", lambda d, i: {
        "displayName": "Administrative Groups"})),
    ("admin_group", GENERIC, _cont("msExchAdminGroup", lambda d, i: {
        "displayName": d.ou, "legacyExchangeDN": "/o=%s/ou=%s" % (d.org, d.ou)
    })),
    ("servers", GENERIC, _cont("msExchServersContainer")),
    ("al_container", GENERIC, _cont("msExchContainer", lambda d, i: {
        "displayName": "Address Lists Container"})),
    ("offline_lists", GENERIC, _cont("msExchContainer", lambda d, i: {
        "displayName": "Offline Address Lists"})),
    ("addressing", GENERIC, _cont("msExchContainer", lambda d, i: {
        "legacyExchangeDN": "/o=%s/cn=Configuration/cn=Addressing" % d.org})),
    ("address_templates", GENERIC, _cont("msExchContainer", lambda d, i: {
        "legacyExchangeDN": "/o=%s/cn=Configuration/cn=Addressing/"
                            "cn=Address-Templates" % d.org})),
    ("display_templates", GENERIC, _cont("msExchContainer", lambda d, i: {
        "legacyExchangeDN": "/o=%s/cn=Configuration/cn=Addressing/"
                            "cn=Display-Templates" % d.org})),
    ("all_address_lists", FINALIZE, _ab("All Address Lists")),
    ("all_gals", FINALIZE, _ab("All Global Address Lists")),
    ("default_gal", FINALIZE, _ab("Default Global Address List", SEARCH_GAL)),
    ("all_users", FINALIZE, _ab("All Users", SEARCH_USERS)),
    ("all_groups", FINALIZE, _ab("All Groups", SEARCH_GROUPS)),
    ("all_contacts", FINALIZE, _ab("All Contacts", SEARCH_CONTACTS)),
    ("server", REGISTER, _server),
    ("info_store", REGISTER, _cont("msExchInformationStore")),
    ("storage_group", REGISTER, _cont("msExchStorageGroup", lambda d, i: {
        "displayName": "First Storage Group"})),
    ("public_mdb", REGISTER, _mdb("msExchPublicMDB", "public_mdb_legacy",
                                  "Public Folder Store")),
    ("private_mdb", REGISTER, _mdb("msExchPrivateMDB", "private_mdb_legacy",
                                   "Mailbox Store")),
]

# "Register as the main server": (ExchangeDNs attribute of the object,
#  attribute, ExchangeDNs attribute of the value).  NSPI reads the roots
#  on CN=Microsoft Exchange to build the address book hierarchy
#  ([MS-OXNSPI] 3.1.4.1.3 NspiGetSpecialTable).
MAIN_SERVER = [
    ("exchange", "addressBookRoots", "all_address_lists"),
    ("exchange", "globalAddressList", "default_gal"),
    ("exchange", "templateRoots", "addressing"),
    ("private_mdb", "msExchHomePublicMDB", "public_mdb"),
]


def _dn_exists(samdb, dn):
    try:
        samdb.search(base=dn, scope=ldb.SCOPE_BASE, attrs=["dn"])
        return True
    except ldb.LdbError as e:
        if e.args[0] == ldb.ERR_NO_SUCH_OBJECT:
            return False
        raise


def make_dns(samdb, org, ou, netbios):
    return ExchangeDNs(str(samdb.get_config_basedn()), org, ou, netbios)


def check_organization(samdb, dns):
    """Refuse to create a second organization or administrative group."""
    if not _dn_exists(samdb, dns.exchange):
        return
    res = samdb.search(base=dns.exchange, scope=ldb.SCOPE_ONELEVEL,
                       expression="(objectClass=msExchOrganizationContainer)",
                       attrs=["cn"])
    for msg in res:
        name = str(msg["cn"][0])
        if name != dns.org:
            raise OCError("the directory is already provisioned for "
                          "organization '%s'; use --firstorg '%s' or "
                          "--deprovision it first" % (name, name))
    if _dn_exists(samdb, dns.admin_groups):
        res = samdb.search(base=dns.admin_groups, scope=ldb.SCOPE_ONELEVEL,
                           expression="(objectClass=msExchAdminGroup)",
                           attrs=["cn"])
        for msg in res:
            name = str(msg["cn"][0])
            if name != dns.ou:
                raise OCError("the organization already has administrative "
                              "group '%s'; use --firstou '%s'" % (name, name))


def missing(samdb, dns, phase):
    return [row for row in OBJECTS
            if row[1] == phase and not _dn_exists(samdb, getattr(dns, row[0]))]


def main_server_missing(samdb, dns):
    out = []
    for obj, attr, value in MAIN_SERVER:
        dn = getattr(dns, obj)
        want = getattr(dns, value)
        if not _dn_exists(samdb, dn):
            out.append((dn, attr, want))
            continue
        res = samdb.search(base=dn, scope=ldb.SCOPE_BASE, attrs=[attr])
        have = [str(v) for v in res[0].get(attr, [])]
        if not any(h.lower() == want.lower() for h in have):
            out.append((dn, attr, want))
    return out


def _in_transaction(samdb, what, func):
    samdb.transaction_start()
    try:
        func()
        samdb.transaction_commit()
    except ldb.LdbError as e:
        samdb.transaction_cancel()
        raise OCError("%s failed and was rolled back: %s"
                      % (what, e.args[1] if len(e.args) > 1 else e))
    except Exception:
        samdb.transaction_cancel()
        raise


def add_phase(samdb, dns, info, rows, what):
    def run():
        for key, _phase, builder in rows:
            m = ldb.Message(ldb.Dn(samdb, getattr(dns, key)))
            for k, v in builder(dns, info).items():
                m[k] = v
            samdb.add(m)
    if rows:
        _in_transaction(samdb, what, run)


def set_main_server(samdb, changes):
    def run():
        for dn, attr, value in changes:
            m = ldb.Message(ldb.Dn(samdb, dn))
            m[attr] = ldb.MessageElement([value], ldb.FLAG_MOD_REPLACE, attr)
            samdb.modify(m)
    if changes:
        _in_transaction(samdb, "registering the main server", run)


def homed_users(samdb, dns):
    """sAMAccountNames of the users whose mailbox is on this server."""
    expr = "(|(homeMDB=%s)(msExchHomeServerName=%s))" % (
        ldb.binary_encode(dns.private_mdb),
        ldb.binary_encode(dns.server_legacy))
    try:
        res = samdb.search(base=samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                           expression=expr, attrs=["sAMAccountName"])
    except ldb.LdbError:
        return []   # schema not extended: nobody can be homed here
    return sorted(str(m.get("sAMAccountName", [m.dn])[0]) for m in res)


def deprovision(samdb, dns):
    """Delete every row of OBJECTS that exists, children first, in one
    transaction.  Returns the number of objects deleted."""
    present = [row for row in OBJECTS
               if _dn_exists(samdb, getattr(dns, row[0]))]

    def run():
        for key, _phase, _b in reversed(present):
            dn = getattr(dns, key)
            if key == "exchange":
                res = samdb.search(base=dn, scope=ldb.SCOPE_ONELEVEL,
                                   attrs=["dn"])
                if len(res):
                    continue   # another organization lives there
            samdb.delete(dn)
    if present:
        _in_transaction(samdb, "removing the Exchange configuration", run)
    return len(present)

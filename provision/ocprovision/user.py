"""The Exchange attributes of a mailbox user (what NSPI and EMSMDB read).

  attribute                   value                              MAPI / use
  mailNickname                sAMAccountName                     PidTagAccount
  legacyExchangeDN            /o=ORG/ou=OU/cn=Recipients/cn=USER PidTagEmailAddress
  proxyAddresses              SMTP:<mail>, X500:<legacyExchangeDN>
                                                                 PidTagAddressBookProxyAddresses
  homeMDB                     DN of "Mailbox Store (NETBIOS)"    PidTagAddressBookHomeMessageDatabase
  homeMTA                     DN of this server's object         PidTagAddressBookHomeMessageTransferAgent
  msExchHomeServerName        server legacyExchangeDN            [MS-OXLDAP] 2.2.3.3
  msExchMailboxGuid           16 random bytes (GUID)             RopLogon MailboxGuid
  msExchUserAccountControl    0 enabled / 2 disabled
  msExchRecipientTypeDetails  1 (UserMailbox)
  msExchRecipientDisplayType  1073741824 (ACL-able mailbox user) PidTagDisplayTypeEx
  showInAddressBook           Default Global Address List, All Users
  displayName, mail           set only when missing
"""

import uuid

import ldb

from .common import OCError
from .names import ExchangeDNs, check_mail, smtp_proxy, x500_proxy

UAC_ENABLED = "0"
UAC_DISABLED = "2"
RECIPIENT_TYPE_USER_MAILBOX = "1"
# DTE_FLAG_ACL_CAPABLE | DT_MAILUSER ([MS-OXOABK] 2.2.3.12 PidTagDisplayTypeEx)
RECIPIENT_DISPLAY_TYPE_MAILBOX = "1073741824"

EXCHANGE_ATTRS = ["mailNickname", "legacyExchangeDN", "homeMDB", "homeMTA",
                  "msExchHomeServerName", "msExchMailboxGuid",
                  "msExchUserAccountControl", "msExchRecipientTypeDetails",
                  "msExchRecipientDisplayType"]
READ_ATTRS = EXCHANGE_ATTRS + ["sAMAccountName", "displayName", "mail",
                               "proxyAddresses", "showInAddressBook", "cn",
                               "givenName", "sn"]


def find_server(samdb, netbios):
    """ExchangeDNs of this server, read from the directory (so --firstorg /
    --firstou need not be repeated).  OCError when not provisioned."""
    config = str(samdb.get_config_basedn())
    try:
        res = samdb.search(base="CN=Services,%s" % config,
                           scope=ldb.SCOPE_SUBTREE,
                           expression="(&(objectClass=msExchExchangeServer)"
                                      "(cn=%s))" % ldb.binary_encode(netbios),
                           attrs=["dn"])
    except ldb.LdbError:
        res = []
    if len(res) != 1:
        raise OCError("server %s is not provisioned in the directory; run "
                      "'openchange_provision --standalone' first" % netbios)
    dn = res[0].dn
    # CN=NB,CN=Servers,CN=<ou>,CN=Administrative Groups,CN=<org>,...
    ou = dn.get_component_value(2)
    org = dn.get_component_value(4)
    return ExchangeDNs(config, org, ou, netbios)


def find_user(samdb, username):
    res = samdb.search(base=samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                       expression="(&(objectClass=user)(sAMAccountName=%s))"
                       % ldb.binary_encode(username), attrs=READ_ATTRS)
    if len(res) != 1:
        raise OCError("there is no user '%s' in the directory; create it "
                      "first with 'samba-tool user add %s'"
                      % (username, username))
    return res[0]


def _values(msg, attr):
    return [str(v) for v in msg.get(attr, [])]


def is_mailbox_user(msg, dns):
    return any(v.lower() == dns.private_mdb.lower()
               for v in _values(msg, "homeMDB"))


def _proxies(existing, mail, legacy):
    """Primary SMTP first; other SMTP addresses demoted to secondary."""
    out = [smtp_proxy(mail, True)]
    for p in existing:
        low = p.lower()
        if low == ("smtp:" + mail).lower():
            continue
        if p.startswith("SMTP:"):
            p = "smtp:" + p[5:]
        out.append(p)
    x500 = x500_proxy(legacy)
    if not any(p.lower() == x500.lower() for p in out):
        out.append(x500)
    return out


def _replace(m, attr, values):
    m[attr] = ldb.MessageElement(values, ldb.FLAG_MOD_REPLACE, attr)


def _replace_or_delete(m, attr, values):
    if values:
        _replace(m, attr, values)
    else:
        m[attr] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, attr)


def create_changes(samdb, msg, dns, realm, mail=None):
    """The modify message that makes @msg a mailbox user of @dns."""
    user = str(msg["sAMAccountName"][0])
    legacy = dns.user_legacy(user)
    if mail is None:
        mail = _values(msg, "mail")[0] if "mail" in msg else \
            "%s@%s" % (user.lower(), realm.lower())
    check_mail(mail)
    m = ldb.Message(msg.dn)
    _replace(m, "mailNickname", [user])
    _replace(m, "legacyExchangeDN", [legacy])
    _replace(m, "homeMDB", [dns.private_mdb])
    _replace(m, "homeMTA", [dns.server])
    _replace(m, "msExchHomeServerName", [dns.server_legacy])
    if "msExchMailboxGuid" not in msg:
        m["msExchMailboxGuid"] = ldb.MessageElement(
            [uuid.uuid4().bytes_le], ldb.FLAG_MOD_REPLACE, "msExchMailboxGuid")
    _replace(m, "msExchUserAccountControl", [UAC_ENABLED])
    _replace(m, "msExchRecipientTypeDetails", [RECIPIENT_TYPE_USER_MAILBOX])
    _replace(m, "msExchRecipientDisplayType", [RECIPIENT_DISPLAY_TYPE_MAILBOX])
    _replace(m, "mail", [mail])
    _replace(m, "proxyAddresses",
             _proxies(_values(msg, "proxyAddresses"), mail, legacy))
    lists = _values(msg, "showInAddressBook")
    for dn in (dns.default_gal, dns.all_users):
        if not any(v.lower() == dn.lower() for v in lists):
            lists.append(dn)
    _replace(m, "showInAddressBook", lists)
    if "displayName" not in msg:
        given = _values(msg, "givenName")
        sn = _values(msg, "sn")
        name = " ".join(given + sn) if (given or sn) else \
            str(msg.get("cn", [user])[0])
        _replace(m, "displayName", [name])
    return m


def delete_changes(samdb, msg, dns):
    """Remove the Exchange attributes (mail, displayName and SMTP proxy
    addresses stay: they may predate the mailbox)."""
    m = ldb.Message(msg.dn)
    for attr in EXCHANGE_ATTRS:
        if attr in msg:
            m[attr] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, attr)
    user = str(msg["sAMAccountName"][0])
    x500 = x500_proxy(dns.user_legacy(user)).lower()
    keep = [p for p in _values(msg, "proxyAddresses") if p.lower() != x500]
    if len(keep) != len(_values(msg, "proxyAddresses")):
        _replace_or_delete(m, "proxyAddresses", keep)
    ours = {dns.default_gal.lower(), dns.all_users.lower()}
    lists = _values(msg, "showInAddressBook")
    rest = [v for v in lists if v.lower() not in ours]
    if len(rest) != len(lists):
        _replace_or_delete(m, "showInAddressBook", rest)
    return m


def uac_changes(msg, enabled):
    m = ldb.Message(msg.dn)
    _replace(m, "msExchUserAccountControl",
             [UAC_ENABLED if enabled else UAC_DISABLED])
    return m


def mail_changes(msg, dns, mail):
    check_mail(mail)
    user = str(msg["sAMAccountName"][0])
    m = ldb.Message(msg.dn)
    _replace(m, "mail", [mail])
    _replace(m, "proxyAddresses", _proxies(_values(msg, "proxyAddresses"),
                                           mail, dns.user_legacy(user)))
    return m

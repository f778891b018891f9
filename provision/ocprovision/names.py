"""Exchange names used in Active Directory and on the wire.

Pure functions (no directory access) so that they are unit-tested on their
own.  The legacyExchangeDN formats are those the server's RFR and NSPI code
answer for ([MS-OXCRPC] 3.1.4.1 EcDoConnectEx szUserDN, [MS-OXOABK] 2.2.3.1
PidTagEmailAddress = legacyExchangeDN, [MS-OXABREF] 3.1.4.1
RfrGetFQDNFromServerDN):

  organization    /o=<org>
  admin group     /o=<org>/ou=<ou>
  server          /o=<org>/ou=<ou>/cn=Configuration/cn=Servers/cn=<NETBIOS>
  mailbox store   <server>/cn=Microsoft Private MDB
  public store    <server>/cn=Microsoft Public MDB
  user            /o=<org>/ou=<ou>/cn=Recipients/cn=<user>
"""

import re

DEFAULT_FIRSTORG = "First Organization"
DEFAULT_FIRSTOU = "First Administrative Group"

# Characters that cannot appear in an Exchange legacy DN component: '/'
# separates components and '=' separates the type from the value.
_LEGACY_FORBIDDEN = re.compile(r"[/=\x00-\x1f]")
# RFC 4514 characters that need escaping in an LDAP RDN value.
_RDN_SPECIAL = set(',+"\\<>;=#')
MAX_NAME = 64


def check_name(what, value):
    """Validate an organization / administrative group / user name.

    Returns @value; raises ValueError with one sentence otherwise."""
    if value is None or value.strip() == "":
        raise ValueError("%s must not be empty" % what)
    if len(value) > MAX_NAME:
        raise ValueError("%s is longer than %d characters" % (what, MAX_NAME))
    if _LEGACY_FORBIDDEN.search(value):
        raise ValueError("%s must not contain '/', '=' or control characters"
                         % what)
    if value != value.strip():
        raise ValueError("%s must not begin or end with spaces" % what)
    return value


def rdn_escape(value):
    """Escape an RDN value for a DN string (RFC 4514 section 2.4)."""
    out = []
    for i, ch in enumerate(value):
        if ch in _RDN_SPECIAL or (ch == " " and i in (0, len(value) - 1)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def org_legacy_dn(org):
    return "/o=%s" % org


def admin_group_legacy_dn(org, ou):
    return "/o=%s/ou=%s" % (org, ou)


def server_legacy_dn(org, ou, netbios):
    return "%s/cn=Configuration/cn=Servers/cn=%s" % (
        admin_group_legacy_dn(org, ou), netbios.upper())


def private_mdb_legacy_dn(org, ou, netbios):
    return server_legacy_dn(org, ou, netbios) + "/cn=Microsoft Private MDB"


def public_mdb_legacy_dn(org, ou, netbios):
    return server_legacy_dn(org, ou, netbios) + "/cn=Microsoft Public MDB"


def user_legacy_dn(org, ou, username):
    return "%s/cn=Recipients/cn=%s" % (admin_group_legacy_dn(org, ou),
                                       username)


class ExchangeDNs:
    """The AD distinguished names of one organization / server, as strings.

    config_dn: the configuration partition DN ("CN=Configuration,DC=...")."""

    def __init__(self, config_dn, org, ou, netbios):
        self.org = org
        self.ou = ou
        self.netbios = netbios.upper()
        self.exchange = "CN=Microsoft Exchange,CN=Services,%s" % config_dn
        self.org_dn = "CN=%s,%s" % (rdn_escape(org), self.exchange)
        self.admin_groups = "CN=Administrative Groups,%s" % self.org_dn
        self.admin_group = "CN=%s,%s" % (rdn_escape(ou), self.admin_groups)
        self.servers = "CN=Servers,%s" % self.admin_group
        self.server = "CN=%s,%s" % (rdn_escape(self.netbios), self.servers)
        self.info_store = "CN=InformationStore,%s" % self.server
        self.storage_group = "CN=First Storage Group,%s" % self.info_store
        self.private_mdb = "CN=Mailbox Store (%s),%s" % (
            rdn_escape(self.netbios), self.storage_group)
        self.public_mdb = "CN=Public Folder Store (%s),%s" % (
            rdn_escape(self.netbios), self.storage_group)
        self.al_container = "CN=Address Lists Container,%s" % self.org_dn
        self.all_address_lists = "CN=All Address Lists,%s" % self.al_container
        self.all_gals = "CN=All Global Address Lists,%s" % self.al_container
        self.default_gal = "CN=Default Global Address List,%s" % self.all_gals
        self.all_users = "CN=All Users,%s" % self.all_address_lists
        self.all_groups = "CN=All Groups,%s" % self.all_address_lists
        self.all_contacts = "CN=All Contacts,%s" % self.all_address_lists
        self.offline_lists = "CN=Offline Address Lists,%s" % self.al_container
        self.addressing = "CN=Addressing,%s" % self.org_dn
        self.address_templates = "CN=Address-Templates,%s" % self.addressing
        self.display_templates = "CN=Display-Templates,%s" % self.addressing

    @property
    def server_legacy(self):
        return server_legacy_dn(self.org, self.ou, self.netbios)

    @property
    def private_mdb_legacy(self):
        return private_mdb_legacy_dn(self.org, self.ou, self.netbios)

    @property
    def public_mdb_legacy(self):
        return public_mdb_legacy_dn(self.org, self.ou, self.netbios)

    def user_legacy(self, username):
        return user_legacy_dn(self.org, self.ou, username)


def smtp_proxy(address, primary=True):
    """A proxyAddresses value: upper-case type = primary address."""
    return ("SMTP:" if primary else "smtp:") + address


def x500_proxy(legacy_dn):
    return "X500:" + legacy_dn


_MAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$")


def check_mail(address):
    """A plain RFC 5321 mailbox (local@domain); raises ValueError."""
    if not address or not _MAIL_RE.match(address) or len(address) > 256:
        raise ValueError("'%s' is not a valid e-mail address" % address)
    return address

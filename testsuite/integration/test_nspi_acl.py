"""A user sees only what Active Directory lets that user read: [MS-OXNSPI]
through a real Samba AD DC, impacket's NSPI client bound as a restricted
user and as unrestricted ones (doc/nspi.md, "AD's ACLs").

The directory is test_nspi.py's (populate()), plus:
- telephoneNumber on user06, user07 and user08;
- on user07, an object ACE denying user03 Read Property on telephoneNumber
  (its schemaIDGUID); on user08, one denying user03 Read Property on the
  Personal-Information property set (telephoneNumber is in it);
- on user12, a deny of Read Property on every attribute for user03;
- OU=Restricted holding a mail-enabled user "secret" (Secret Agent), the OU
  denying user03 List Contents (LC); secret is user07's manager and a
  member of list1.

The ACEs are prepended to the DACLs: an access check decides each right at
the first ACE that names it, so a deny after the default
(A;;RPLCLORC;;;AU) grants nothing away. These are the forms Samba 4.17's
acl_read enforces for an LDAP search by user03 (checked with ldbsearch -H
ldap:// as user03); a Read Property deny hides the attribute, a List
Contents deny on the parent hides the object (without dSHeuristics
fDoListObject, List Object is not consulted).

Expected: user03 does not see the denied telephone numbers (PtypErrorCode
NotFound in GetProps and QueryRows; a GetMatches restriction on the value
does not find the object) and does not see the secret user at all
(GAL paging, UpdateStat totals, ResolveNamesW, DNToMId, GetMatches,
SeekEntries, GetProps/QueryRows on another session's MId, as a manager or
a distribution list member), nor user12 in the GAL (Samba matches a filter
against the attributes the user may read only); Administrator and user05
see all of it. Sessions of different users are open at the same time in
the one rpc process of the DC ("prefork children = 1") and their calls are
interleaved: no table, MId or connection of one leaks into the other.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from octest import DCTestCase, main   # noqa: E402
import ocharness                      # noqa: E402
import test_nspi                      # noqa: E402
import test_nspi_ops                  # noqa: E402
from test_nspi import start_with_our_module   # noqa: E402

from impacket.dcerpc.v5 import nspi                           # noqa: E402
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY  # noqa: E402

Success = 0
ErrorsReturned = 0x00040380
NotFound = 0x8004010F

PidTagDisplayName = 0x3001001F
PidTagEmailAddress = 0x3003001F
PidTagAddressBookManager = 0x8005000D
PidTagAddressBookManagerDistinguishedName = 0x8005001F
PidTagAddressBookMember = 0x8009000D
PidTagBusinessTelephoneNumber = 0x3A08001F
PidTagPrimaryTelephoneNumber = 0x3A1A001F
PT_ERROR = 0x000A

# schemaIDGUID of telephoneNumber; rightsGuid of the Personal-Information
# property set (attributeSecurityGUID of telephoneNumber, streetAddress...)
TELEPHONE_NUMBER = "bf967a49-0de6-11d0-a285-00aa003049e2"
PERSONAL_INFORMATION = "77b5b886-944a-11d1-aebd-0000f80367c1"

PHONES = {"user06": "+1 555 0106", "user07": "+1 555 0107",
          "user08": "+1 555 0108"}
SECRET = "Secret Agent"
SECRET_PASSWORD = "Secret!pass1"


def error_tag(tag):
    return (tag & 0xFFFF0000) | PT_ERROR


def populate_acl(dc):
    """test_nspi's directory, then the phones, the OU and the ACEs."""
    from samba import param, ldb as sldb, sd_utils
    from samba.samdb import SamDB
    from samba.auth import system_session
    from samba.ndr import ndr_unpack
    from samba.dcerpc import security

    test_nspi.populate(dc)
    lp = param.LoadParm()
    lp.load(dc.smbconf)
    db = SamDB(url=dc.samdb_path, lp=lp, session_info=system_session())
    base = str(db.domain_dn())
    sdu = sd_utils.SDUtils(db)

    def replace(dn, values):
        m = sldb.Message()
        m.dn = sldb.Dn(db, dn)
        for attr, val in values.items():
            m[attr] = sldb.MessageElement(val, sldb.FLAG_MOD_REPLACE, attr)
        db.modify(m)

    for cn, phone in PHONES.items():
        replace("CN=%s,CN=Users,%s" % (cn, base), {"telephoneNumber": phone})
    res = db.search(base="CN=user03,CN=Users,%s" % base,
                    scope=sldb.SCOPE_BASE, attrs=["objectSid"])
    sid03 = str(ndr_unpack(security.dom_sid, res[0]["objectSid"][0]))
    # SDUtils.dacl_add_ace prepends (the order matters: module docstring)
    sdu.dacl_add_ace("CN=user07,CN=Users,%s" % base,
                     "(OD;;RP;%s;;%s)" % (TELEPHONE_NUMBER, sid03))
    sdu.dacl_add_ace("CN=user08,CN=Users,%s" % base,
                     "(OD;;RP;%s;;%s)" % (PERSONAL_INFORMATION, sid03))
    # every property of user12: a search filter matches only what the
    # user may read, so no filter matches it
    sdu.dacl_add_ace("CN=user12,CN=Users,%s" % base, "(D;;RP;;;%s)" % sid03)

    # the hidden object: a mail-enabled user in an OU user03 may not list
    ou = "OU=Restricted,%s" % base
    db.create_ou(ou)
    db.newuser("secret", SECRET_PASSWORD, userou="OU=Restricted",
               givenname="Secret", surname="Agent")
    legacy = db.search(base="CN=user05,CN=Users,%s" % base,
                       scope=sldb.SCOPE_BASE,
                       attrs=["legacyExchangeDN"])[0]["legacyExchangeDN"][0]
    legacy = str(legacy).rsplit("/cn=", 1)[0] + "/cn=secret"
    replace("CN=secret,%s" % ou, {
        "displayName": SECRET, "mail": "secret@example.com",
        "mailNickname": "secret", "legacyExchangeDN": legacy,
        "proxyAddresses": "SMTP:secret@example.com",
        "telephoneNumber": "+1 555 0199"})
    sdu.dacl_add_ace(ou, "(D;;LC;;;%s)" % sid03)
    # links to it: user07's manager, a member of list1
    replace("CN=user07,CN=Users,%s" % base, {"manager": "CN=secret,%s" % ou})
    db.add_remove_group_members("list1", ["secret"],
                                add_members_operation=True)


class NspiAclTest(DCTestCase):
    dc_name = "nspiacl"
    # one rpc worker: every session below lives in the same samba process
    extra_conf = {"prefork children": "1"}

    @classmethod
    def setUpClass(cls):
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            populate_acl(cls.dc)
            start_with_our_module(cls.dc)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise
        cls._failed = False

    # -- helpers (the other NSPI tests' spec encodings) ----------------------
    get_props = test_nspi.NspiTest.get_props
    get_matches = test_nspi.NspiTest.get_matches
    _content = test_nspi.NspiTest._content
    resolve = test_nspi_ops.NspiOpsTest.resolve
    seek = test_nspi_ops.NspiOpsTest.seek
    stat = test_nspi_ops.NspiOpsTest.stat

    def bind(self, user="Administrator"):
        if user == "Administrator":
            kw = {}
        else:
            kw = {"user": user,
                  "password": test_nspi_ops.USER_PASSWORD % int(user[4:])}
        dce = self.impacket_dce("exchange_nsp", RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                **kw)
        resp = nspi.hNspiBind(dce, self.stat())
        self.assertEqual(resp['ErrorCode'], Success)
        return dce, resp['contextHandle']

    def page(self, dce, h, columns=(PidTagDisplayName,), count=25):
        """The whole GAL in pages: a list of rows (dicts)."""
        stat = self.stat()
        rows = []
        for _ in range(1000):
            resp = nspi.hNspiQueryRows(dce, h, pStat=stat, Count=count,
                                       pPropTags=list(columns))
            self.assertEqual(resp['ErrorCode'], Success)
            rows += nspi.simplifyPropertyRowSet(resp['ppRows'])
            stat = resp['pStat']
            if stat['CurrentRec'] == nspi.MID_END_OF_TABLE:
                break
        return rows

    def total(self, dce, h):
        resp = nspi.hNspiUpdateStat(dce, h, self.stat())
        self.assertEqual(resp['ErrorCode'], Success)
        return resp['pStat']['TotalRecs']

    def phones(self, dce, h, name):
        """GetProps of @name's business and primary telephone numbers."""
        mids, _ = self.resolve(dce, h, [name])
        self.assertGreater(mids[0], 2, name)
        resp = self.get_props(dce, h, mids[0],
                              [PidTagDisplayName, PidTagBusinessTelephoneNumber,
                               PidTagPrimaryTelephoneNumber])
        return resp['ErrorCode'], nspi.simplifyPropertyRow(resp['ppRows'])

    def secret_identity(self, page_first=False):
        """The secret user's MId and X500 DN, as Administrator sees them.
        @page_first: MIds given in the order of the GAL's table, as a
        session that pages before resolving gets them."""
        dce, h = self.bind()
        if page_first:
            self.page(dce, h)
        mids, rows = self.resolve(dce, h, ["secret"],
                                  (PidTagDisplayName, PidTagEmailAddress))
        self.assertGreater(mids[0], 2)
        self.assertEqual(rows[0][PidTagDisplayName], SECRET)
        return mids[0], rows[0][PidTagEmailAddress]

    # -- one attribute denied ------------------------------------------------
    def test_attribute_denied_get_props(self):
        """Read Property denied on telephoneNumber (user07) or on its
        property set (user08): NotFound for user03 only."""
        dce, h = self.bind("user03")
        for cn in ("user07", "user08"):
            with self.subTest(user="user03", cn=cn):
                code, row = self.phones(dce, h, cn)
                self.assertEqual(code, ErrorsReturned)
                self.assertEqual(row[PidTagDisplayName],
                                 "User Number %s" % cn[4:])
                for tag in (PidTagBusinessTelephoneNumber,
                            PidTagPrimaryTelephoneNumber):
                    self.assertNotIn(tag, row)
                    self.assertEqual(row[error_tag(tag)], NotFound)
        # an object without an ACE of its own: user03 reads the phone
        code, row = self.phones(dce, h, "user06")
        self.assertEqual(code, Success)
        self.assertEqual(row[PidTagBusinessTelephoneNumber], PHONES["user06"])
        for who in ("Administrator", "user05"):
            dce, h = self.bind(who)
            for cn in ("user06", "user07", "user08"):
                with self.subTest(user=who, cn=cn):
                    code, row = self.phones(dce, h, cn)
                    self.assertEqual(code, Success)
                    self.assertEqual(row[PidTagBusinessTelephoneNumber],
                                     PHONES[cn])
                    self.assertEqual(row[PidTagPrimaryTelephoneNumber],
                                     PHONES[cn])

    def test_attribute_denied_query_rows(self):
        cols = (PidTagDisplayName, PidTagBusinessTelephoneNumber)
        want = {"User Number %s" % cn[4:]: p for cn, p in PHONES.items()}

        def phones_of(rows):
            return {r[PidTagDisplayName]:
                    r.get(PidTagBusinessTelephoneNumber,
                          r.get(error_tag(PidTagBusinessTelephoneNumber)))
                    for r in rows if r[PidTagDisplayName] in want}

        dce, h = self.bind("user03")
        self.assertEqual(phones_of(self.page(dce, h, cols)),
                         {"User Number 06": PHONES["user06"],
                          "User Number 07": NotFound,
                          "User Number 08": NotFound})
        dce, h = self.bind()
        self.assertEqual(phones_of(self.page(dce, h, cols)), want)

    def _property_eq(self, tag, value):
        """RES_PROPERTY, RELOP_EQ ([MS-OXNSPI] 2.2.2.4)."""
        res = nspi.Restriction_r()
        res['rt'] = 4
        res['res']['tag'] = 4
        p = res['res']['resProperty']
        p['relop'] = 4
        p['ulPropTag'] = tag
        p['lpProp']['ulPropTag'] = tag
        p['lpProp']['Value']['tag'] = tag & 0xFFFF
        p['lpProp']['Value']['lpszW'] = value + "\x00"
        return res

    def test_attribute_denied_not_an_oracle(self):
        """A restriction on the denied attribute does not find the object
        for user03 (Samba matches filters against what the user may
        read): the value cannot be guessed through GetMatches."""
        def matches(dce, h, cn):
            resp = self.get_matches(dce, h, self._property_eq(
                PidTagBusinessTelephoneNumber, PHONES[cn]))
            self.assertEqual(resp['ErrorCode'], Success)
            return [r[PidTagDisplayName] for r in
                    nspi.simplifyPropertyRowSet(resp['ppRows'])]

        dce, h = self.bind("user03")
        self.assertEqual(matches(dce, h, "user06"), ["User Number 06"])
        self.assertEqual(matches(dce, h, "user07"), [])
        self.assertEqual(matches(dce, h, "user08"), [])
        dce, h = self.bind()
        for cn in PHONES:
            self.assertEqual(matches(dce, h, cn), ["User Number %s" % cn[4:]])

    # -- one object hidden ---------------------------------------------------
    def test_hidden_object_not_in_gal(self):
        dce, h = self.bind("user03")
        names = [r[PidTagDisplayName] for r in self.page(dce, h)]
        self.assertNotIn(SECRET, names)
        self.assertNotIn("User Number 12", names)   # no property readable
        self.assertIn("User Number 07", names)
        restricted_total = self.total(dce, h)
        self.assertEqual(restricted_total, len(names))
        mids, _ = self.resolve(dce, h, ["user12"])
        self.assertEqual(mids, [nspi.MID_UNRESOLVED])
        for who in ("Administrator", "user05"):
            dce, h = self.bind(who)
            names = [r[PidTagDisplayName] for r in self.page(dce, h)]
            self.assertIn(SECRET, names, who)
            self.assertIn("User Number 12", names, who)
            self.assertEqual(self.total(dce, h), restricted_total + 2, who)

    def test_hidden_object_not_resolved(self):
        _, x500 = self.secret_identity()
        dce, h = self.bind("user03")
        mids, rows = self.resolve(dce, h, ["secret", "Secret Agent",
                                           "secret@example.com", "user07"])
        self.assertEqual(mids[:3], [nspi.MID_UNRESOLVED] * 3)
        self.assertGreater(mids[3], 2)
        self.assertEqual([r[PidTagDisplayName] for r in rows],
                         ["User Number 07"])
        # DNToMId of its X500 DN (what a message's recipient would carry)
        resp = nspi.hNspiDNToMId(dce, h, [x500])
        self.assertEqual([m['Data'] for m in resp['ppOutMIds']['aulPropTag']],
                         [0])
        # GetMatches: a prefix that only it matches
        resp = self.get_matches(dce, h, self._content(PidTagDisplayName,
                                                      "Secret", 2))
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(resp['pStat']['TotalRecs'], 0)
        self.assertEqual(nspi.simplifyPropertyRowSet(resp['ppRows']), [])
        # SeekEntries lands on the next visible row, never on it
        resp = self.seek(dce, h, "Secret")
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual(len(rows), 1)
        self.assertNotEqual(rows[0][PidTagDisplayName], SECRET)
        self.assertGreater(rows[0][PidTagDisplayName].lower(), "secret")

        # the same calls as Administrator find it
        dce, h = self.bind()
        mids, rows = self.resolve(dce, h, ["secret"])
        self.assertGreater(mids[0], 2)
        resp = nspi.hNspiDNToMId(dce, h, [x500])
        self.assertEqual([m['Data'] for m in resp['ppOutMIds']['aulPropTag']],
                         mids)
        resp = self.get_matches(dce, h, self._content(PidTagDisplayName,
                                                      "Secret", 2))
        self.assertEqual([r[PidTagDisplayName] for r in
                          nspi.simplifyPropertyRowSet(resp['ppRows'])],
                         [SECRET])
        resp = self.seek(dce, h, "Secret")
        self.assertEqual(nspi.simplifyPropertyRowSet(resp['ppRows'])[0][
            PidTagDisplayName], SECRET)

    def test_hidden_object_by_foreign_mid(self):
        """Another session's MId of the hidden object, in GetProps and in
        an explicit table: never the hidden object's data. Both sessions
        page first, so that the MIds would be the same if user03's table
        held the hidden object."""
        mid, _ = self.secret_identity(page_first=True)
        dce, h = self.bind("user03")
        self.page(dce, h)   # the session's MIds: every visible object
        resp = self.get_props(dce, h, mid, [PidTagDisplayName,
                                            PidTagBusinessTelephoneNumber])
        row = nspi.simplifyPropertyRow(resp['ppRows']) if resp['ppRows'] \
            else {}
        self.assertNotEqual(row.get(PidTagDisplayName), SECRET)
        self.assertNotEqual(row.get(PidTagBusinessTelephoneNumber),
                            "+1 555 0199")
        resp = nspi.hNspiQueryRows(dce, h, pStat=self.stat(),
                                   pPropTags=[PidTagDisplayName],
                                   lpETable=[mid, mid + 1, 0x7FFFFF00])
        self.assertEqual(resp['ErrorCode'], Success)
        for r in nspi.simplifyPropertyRowSet(resp['ppRows']):
            self.assertNotEqual(r.get(PidTagDisplayName), SECRET)

    def linked(self, dce, h, name, proptag):
        """The display names of the objects @name links to through
        @proptag (GetMatches with the link as container: [MS-OXNSPI]
        3.1.4.1.10)."""
        mids, _ = self.resolve(dce, h, [name])
        self.assertGreater(mids[0], 2, name)
        req = test_nspi.GetMatches()
        req['hRpc'] = h
        req['pStat']['ContainerID'] = proptag
        req['pStat']['CurrentRec'] = mids[0]
        req['pStat']['CodePage'] = 1252
        req['pReserved'] = test_nspi.NULL
        req['Filter'] = test_nspi.NULL
        req['lpPropName'] = test_nspi.NULL
        req['ulRequested'] = 50
        test_nspi.tags(req['pPropTags'], [PidTagDisplayName])
        test_nspi.fix_maxcount(req, 'pPropTags', 1)
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], Success)
        return sorted(r[PidTagDisplayName] for r in
                      nspi.simplifyPropertyRowSet(resp['ppRows']))

    def test_hidden_object_as_link(self):
        """A link to the hidden object (a member, a manager) from an
        object user03 sees: the value is left out, as the object itself."""
        _, x500 = self.secret_identity()
        members = ["User Number %02d" % i for i in range(5, 10)]
        dce, h = self.bind("user03")
        self.assertEqual(self.linked(dce, h, "list1", PidTagAddressBookMember),
                         members)
        self.assertEqual(self.linked(dce, h, "user07",
                                     PidTagAddressBookManager), [])
        mids, _ = self.resolve(dce, h, ["user07"])
        resp = self.get_props(dce, h, mids[0],
                              [PidTagAddressBookManagerDistinguishedName])
        row = nspi.simplifyPropertyRow(resp['ppRows'])
        self.assertEqual(
            row[error_tag(PidTagAddressBookManagerDistinguishedName)],
            NotFound)
        dce, h = self.bind()
        self.assertEqual(self.linked(dce, h, "list1", PidTagAddressBookMember),
                         sorted(members + [SECRET]))
        self.assertEqual(self.linked(dce, h, "user07",
                                     PidTagAddressBookManager), [SECRET])
        mids, _ = self.resolve(dce, h, ["user07"])
        resp = self.get_props(dce, h, mids[0],
                              [PidTagAddressBookManagerDistinguishedName])
        row = nspi.simplifyPropertyRow(resp['ppRows'])
        self.assertEqual(row[PidTagAddressBookManagerDistinguishedName], x500)

    # -- sessions of different users side by side ----------------------------
    def serving_pids(self):
        """The pids of the samba processes that served NSPI calls: the
        module starts its work queue in a process at the first call there
        and logs the pid once."""
        return set(int(p) for p in re.findall(
            r"work queue started in pid (\d+)", self.dc.log_text()))

    def test_sessions_side_by_side(self):
        """Both users bound at once in one process, their calls
        interleaved: each keeps seeing exactly what AD grants it."""
        cols = (PidTagDisplayName, PidTagBusinessTelephoneNumber)
        r03, radm = self.bind("user03"), self.bind()
        seen = {}
        for rnd in range(2):
            for who, (dce, h) in (("user03", r03), ("Administrator", radm)):
                rows = self.page(dce, h, cols, count=7 + rnd * 30)
                seen.setdefault(who, []).append(
                    {r[PidTagDisplayName]: r.get(PidTagBusinessTelephoneNumber)
                     for r in rows})
            if rnd == 0:
                # a second connection of the restricted user, bound after
                # the administrator's table exists
                r03b = self.bind("user03")
                rows = self.page(r03b[0], r03b[1], cols)
                seen["user03"].append(
                    {r[PidTagDisplayName]: r.get(PidTagBusinessTelephoneNumber)
                     for r in rows})
        for view in seen["user03"]:
            self.assertNotIn(SECRET, view)
            self.assertIsNone(view["User Number 07"])
            self.assertEqual(view["User Number 06"], PHONES["user06"])
            self.assertEqual(view, seen["user03"][0])
        for view in seen["Administrator"]:
            self.assertEqual(view[SECRET], "+1 555 0199")
            self.assertEqual(view["User Number 07"], PHONES["user07"])
            self.assertEqual(view, seen["Administrator"][0])
        self.assertEqual(set(seen["Administrator"][0]) - set(seen["user03"][0]),
                         {SECRET, "User Number 12"})
        # the same sessions, once more, after the other user's calls
        _, row = self.phones(r03[0], r03[1], "user07")
        self.assertNotIn(PidTagBusinessTelephoneNumber, row)
        _, row = self.phones(radm[0], radm[1], "user07")
        self.assertEqual(row[PidTagBusinessTelephoneNumber], PHONES["user07"])
        # and all of them were served by one samba process
        self.assertEqual(len(self.serving_pids()), 1, self.serving_pids())


if __name__ == "__main__":
    main()

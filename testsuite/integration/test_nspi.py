"""[MS-OXNSPI] through a real Samba AD DC with the module loaded, driven by
impacket's nspi client over ncacn_ip_tcp at integrity and privacy.

The DC is provisioned with the project's tools (openchange_provision
--standalone, openchange_newuser --create) plus 60 users, 6 groups with
members and 6 contacts made mail-enabled directly in sam.ldb (what
openchange_newuser writes, done in one process to keep the test fast),
one hidden user and one computer.

impacket 0.10 encodes NspiGetSpecialTable, NspiGetProps and NspiSeekEntries
off-spec (../shared/SAMBA.md): the server refuses those stubs with
nca_s_fault_ndr (doc/nspi.md), so the spec encoding is sent with the
NDRCALL classes below, and the off-spec one is tested to fault.
"""

import os
import subprocess
import sys
import uuid as pyuuid

from octest import DCTestCase, main
import ocharness

from impacket.dcerpc.v5 import nspi
from impacket.dcerpc.v5.dtypes import DWORD, NULL
from impacket.dcerpc.v5.ndr import NDRCALL
from impacket.dcerpc.v5.rpcrt import (DCERPCException,
                                      RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY)

HERE = os.path.dirname(os.path.abspath(__file__))
PROVISION = os.path.join(HERE, "..", "..", "provision")

Success = 0
ErrorsReturned = 0x00040380
NotSupported = 0x80040102
TooComplex = 0x80040117
TableTooBig = 0x80040403
NCA_S_FAULT_NDR = 0x000006f7

PidTagDisplayName = 0x3001001F
PidTagDisplayName8 = 0x3001001E
PidTagEmailAddress = 0x3003001F
PidTagEntryId = 0x0FFF0102
PidTagObjectType = 0x0FFE0003
PidTagDisplayType = 0x39000003
PidTagSmtpAddress = 0x39FE001F
PidTagAddressBookContainerId = 0xFFFD0003
PidTagContainerFlags = 0x36000003
PidTagDepth = 0x30050003
PidTagAddressBookMember = 0x8009000D
PidTagAccount = 0x3A00001F
PidTagInstanceKey = 0x0FF60102

N_USERS = 60


# ---- the spec encodings of the three operations impacket gets wrong -------
class SpecGetSpecialTable(NDRCALL):
    opnum = 12
    structure = (
        ('hRpc', nspi.handle_t),
        ('dwFlags', DWORD),
        ('pStat', nspi.STAT),          # [in] STAT*: a [ref] pointer
        ('lpVersion', DWORD),          # [in, out] DWORD*: [ref] too
    )


class SpecGetSpecialTableResponse(NDRCALL):
    structure = (
        ('lpVersion', DWORD),
        ('ppRows', nspi.PPropertyRowSet_r),
        ('ErrorCode', DWORD),
    )


class SpecGetProps(NDRCALL):
    opnum = 9
    structure = (
        ('hRpc', nspi.handle_t),
        ('dwFlags', DWORD),
        ('pStat', nspi.STAT),
        ('pPropTags', nspi.PPropertyTagArray_r),
    )


class SpecGetPropsResponse(NDRCALL):
    structure = (
        ('ppRows', nspi.PPropertyRow_r),
        ('ErrorCode', DWORD),
    )


class GetMatches(NDRCALL):
    opnum = 5
    structure = (
        ('hRpc', nspi.handle_t),
        ('Reserved1', DWORD),
        ('pStat', nspi.STAT),
        ('pReserved', nspi.PPropertyTagArray_r),
        ('Reserved2', DWORD),
        ('Filter', nspi.PRestriction_r),
        ('lpPropName', nspi.PPropertyName_r),
        ('ulRequested', DWORD),
        ('pPropTags', nspi.PPropertyTagArray_r),
    )


class GetMatchesResponse(NDRCALL):
    structure = (
        ('pStat', nspi.STAT),
        ('ppOutMIds', nspi.PPropertyTagArray_r),
        ('ppRows', nspi.PPropertyRowSet_r),
        ('ErrorCode', DWORD),
    )


for _c, _r in ((SpecGetSpecialTable, SpecGetSpecialTableResponse),
               (SpecGetProps, SpecGetPropsResponse),
               (GetMatches, GetMatchesResponse)):
    nspi.OPNUMS[_c.opnum] = (_c, _r)


def tags(req_field, values):
    for v in values:
        d = DWORD()
        d['Data'] = v
        req_field['aulPropTag'].append(d)
    req_field['cValues'] = len(values)


def fix_maxcount(req, name, n):
    """impacket sizes a conformant-varying array by its items; the spec
    wants cValues + 1."""
    req.fields[name].fields['Data'].fields['aulPropTag'].fields[
        'MaximumCount'] = n + 1


def run_tool(args, conf):
    res = subprocess.run(["/usr/bin/python3"] + args + ["-s", conf],
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s failed:\n%s%s" % (args[0], res.stdout,
                                                  res.stderr))
    return res.stdout


def populate(dc):
    """The provisioning tools, then a directory of users, groups, contacts."""
    from samba import param, ldb as sldb
    from samba.samdb import SamDB
    from samba.auth import system_session

    run_tool([os.path.join(PROVISION, "openchange_provision"),
              "--standalone"], dc.smbconf)
    lp = param.LoadParm()
    lp.load(dc.smbconf)
    db = SamDB(url=dc.samdb_path, lp=lp, session_info=system_session())
    base = str(db.domain_dn())
    org = db.search(base="CN=Microsoft Exchange,CN=Services,%s"
                    % db.get_config_basedn(), scope=sldb.SCOPE_ONELEVEL,
                    expression="(objectClass=msExchOrganizationContainer)",
                    attrs=["legacyExchangeDN"])
    orgdn = str(org[0]["legacyExchangeDN"][0]) if org else "/o=First Organization"
    recip = orgdn + "/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients"

    def mail_enable(dn, nick, display):
        m = sldb.Message()
        m.dn = sldb.Dn(db, dn)
        m["displayName"] = sldb.MessageElement(display, sldb.FLAG_MOD_REPLACE,
                                               "displayName")
        m["mail"] = sldb.MessageElement("%s@example.com" % nick,
                                        sldb.FLAG_MOD_REPLACE, "mail")
        m["proxyAddresses"] = sldb.MessageElement(
            ["SMTP:%s@example.com" % nick], sldb.FLAG_MOD_REPLACE,
            "proxyAddresses")
        m["legacyExchangeDN"] = sldb.MessageElement(
            "%s/cn=%s" % (recip, nick), sldb.FLAG_MOD_REPLACE,
            "legacyExchangeDN")
        m["mailNickname"] = sldb.MessageElement(nick, sldb.FLAG_MOD_REPLACE,
                                                "mailNickname")
        db.modify(m)

    users = []
    for i in range(N_USERS):
        name = "user%02d" % i
        db.newuser(name, "Pass%d!word" % i, givenname="User",
                   surname="Number %02d" % i)
        dn = "CN=%s,CN=Users,%s" % (name, base)
        mail_enable(dn, name, "User Number %02d" % i)
        users.append(dn)
    db.newuser("alice", "Alice!pass1", givenname="Alice", surname="Zeller")
    db.newuser("hidden", "Hidden!pass1")
    mail_enable("CN=hidden,CN=Users,%s" % base, "hidden", "Hidden Person")
    m = sldb.Message()
    m.dn = sldb.Dn(db, "CN=hidden,CN=Users,%s" % base)
    m["msExchHideFromAddressLists"] = sldb.MessageElement(
        "TRUE", sldb.FLAG_MOD_REPLACE, "msExchHideFromAddressLists")
    db.modify(m)
    for g in range(6):
        name = "list%d" % g
        db.newgroup(name)
        dn = "CN=%s,CN=Users,%s" % (name, base)
        mail_enable(dn, name, "Distribution List %d" % g)
        db.add_remove_group_members(name, ["user%02d" % (g * 5 + k)
                                           for k in range(5)],
                                    add_members_operation=True)
    for c in range(6):
        dn = "CN=contact%d,CN=Users,%s" % (c, base)
        db.add({"dn": dn, "objectClass": "contact",
                "displayName": "External Contact %d" % c,
                "mail": "ext%d@partner.example.org" % c,
                "proxyAddresses": "SMTP:ext%d@partner.example.org" % c})
    db.add({"dn": "CN=ocpc1,CN=Computers,%s" % base, "objectClass": "computer",
            "mail": "pc@example.com", "sAMAccountName": "ocpc1$"})
    del db
    run_tool([os.path.join(PROVISION, "openchange_newuser"), "--create",
              "alice", "-q"], dc.smbconf)


def start_with_our_module(dc):
    """Start @dc with this build's module loaded (under the machine-wide
    module lock of ocharness, so no other test run can swap it)."""
    dc.start_with_module()


class NspiTest(DCTestCase):
    dc_name = "nspi"

    @classmethod
    def setUpClass(cls):
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            populate(cls.dc)
            start_with_our_module(cls.dc)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise
        cls._failed = False

    # -- helpers -------------------------------------------------------------
    def assertIsFaultNdr(self, e):
        # impacket names 0x6f7 (nca_s_fault_ndr) rpc_x_bad_stub_data
        self.assertTrue(e.get_error_code() == NCA_S_FAULT_NDR or
                        "rpc_x_bad_stub_data" in str(e), str(e))

    def bind(self, level=RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, codepage=1252):
        dce = self.impacket_dce("exchange_nsp", level)
        stat = nspi.STAT()
        stat['CodePage'] = codepage
        stat['TemplateLocale'] = stat['SortLocale'] = 0x409
        resp = nspi.hNspiBind(dce, stat)
        self.assertEqual(resp['ErrorCode'], Success)
        return dce, resp['contextHandle']

    def special_table(self, dce, h, flags=nspi.NspiUnicodeStrings):
        req = SpecGetSpecialTable()
        req['hRpc'] = h
        req['dwFlags'] = flags
        req['pStat']['CodePage'] = 1252
        req['lpVersion'] = 0
        return dce.request(req, checkError=False)

    def get_props(self, dce, h, mid, proptags):
        req = SpecGetProps()
        req['hRpc'] = h
        req['dwFlags'] = 0
        req['pStat']['CurrentRec'] = mid
        req['pStat']['CodePage'] = 1252
        tags(req['pPropTags'], proptags)
        fix_maxcount(req, 'pPropTags', len(proptags))
        return dce.request(req, checkError=False)

    def page_gal(self, dce, h, page=7):
        stat = nspi.STAT()
        stat['CodePage'] = 1252
        stat['SortLocale'] = 0x409
        names = []
        for _ in range(1000):
            resp = nspi.hNspiQueryRows(dce, h, pStat=stat, Count=page,
                                       pPropTags=[PidTagDisplayName,
                                                  PidTagDisplayType])
            self.assertEqual(resp['ErrorCode'], Success)
            rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
            names += [r[PidTagDisplayName] for r in rows]
            stat = resp['pStat']
            if stat['CurrentRec'] == nspi.MID_END_OF_TABLE:
                break
        return names, stat

    # -- tests ---------------------------------------------------------------
    def test_bind_both_levels(self):
        for level in (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY):
            with self.subTest(level=level):
                dce, h = self.bind(level)
                resp = nspi.hNspiUnbind(dce, h)
                self.assertEqual(resp['ErrorCode'], 1)   # UnbindSuccess

    def test_anonymous_flag_refused(self):
        dce = self.impacket_dce("exchange_nsp")
        req = nspi.NspiBind()
        req['dwFlags'] = nspi.fAnonymousLogin
        req['pStat']['CodePage'] = 1252
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], 0x80040111)   # LogonFailed

    def test_hierarchy_spec_encoding(self):
        for level in (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY):
            dce, h = self.bind(level)
            resp = self.special_table(dce, h)
            self.assertEqual(resp['ErrorCode'], Success)
            rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
            gal = [r for r in rows if r[PidTagAddressBookContainerId] == 0]
            self.assertEqual(len(gal), 1)
            self.assertEqual(gal[0][PidTagDepth], 0)
            names = [r[PidTagDisplayName] for r in rows]
            self.assertIn("All Address Lists", names)
            self.assertIn("All Users", names)
            users = [r for r in rows if r[PidTagDisplayName] == "All Users"][0]
            self.assertEqual(users[PidTagDepth], 1)
            self.assertTrue(users[PidTagContainerFlags] & 1)   # AB_RECIPIENTS

    def test_hierarchy_impacket_encoding_faults(self):
        dce, h = self.bind()
        with self.assertRaises(DCERPCException) as cm:
            nspi.hNspiGetSpecialTable(dce, h)
        self.assertIsFaultNdr(cm.exception)
        with self.assertRaises(DCERPCException) as cm:
            nspi.hNspiGetProps(dce, h, CurrentRec=0x10,
                               pPropTags=[PidTagDisplayName])
        self.assertIsFaultNdr(cm.exception)
        with self.assertRaises(DCERPCException) as cm:
            nspi.hNspiSeekEntries(dce, h, "User", pPropTags=[PidTagDisplayName])
        self.assertIsFaultNdr(cm.exception)
        # the session survives the fault
        self.assertEqual(self.special_table(dce, h)['ErrorCode'], Success)

    def test_page_gal(self):
        dce, h = self.bind(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
        stat = nspi.STAT()
        stat['CodePage'] = 1252
        resp = nspi.hNspiUpdateStat(dce, h, stat)
        self.assertEqual(resp['ErrorCode'], Success)
        total = resp['pStat']['TotalRecs']
        names, last = self.page_gal(dce, h)
        self.assertEqual(len(names), total)
        self.assertGreaterEqual(total, N_USERS + 6 + 6)
        self.assertEqual(names, sorted(names, key=lambda s: s.lower()))
        for i in range(N_USERS):
            self.assertIn("User Number %02d" % i, names)
        self.assertIn("Distribution List 3", names)
        self.assertIn("External Contact 5", names)
        self.assertNotIn("Hidden Person", names)
        self.assertNotIn("ocpc1", names)
        self.assertEqual(last['NumPos'], total)

    def test_page_sizes_same_rows(self):
        """A page's objects are read by OR-of-objectGUID searches of 16
        (doc/nspi.md): every page size gives the same rows in the same
        order, whatever the split, up to a whole table in one call."""
        dce, h = self.bind(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
        cols = [PidTagDisplayName, PidTagEmailAddress, PidTagAccount,
                PidTagInstanceKey]
        seen = {}
        for page in (1, 15, 16, 17, 33, 1000):
            stat = nspi.STAT()
            stat['CodePage'] = 1252
            stat['SortLocale'] = 0x409
            rows = []
            for _ in range(1000):
                resp = nspi.hNspiQueryRows(dce, h, pStat=stat, Count=page,
                                           pPropTags=cols)
                self.assertEqual(resp['ErrorCode'], Success)
                rows += [tuple(r.get(c) for c in cols) for r in
                         nspi.simplifyPropertyRowSet(resp['ppRows'])]
                stat = resp['pStat']
                if stat['CurrentRec'] == nspi.MID_END_OF_TABLE:
                    break
            seen[page] = rows
        whole = seen[1000]
        self.assertGreaterEqual(len(whole), N_USERS + 6 + 6)
        for r in whole:
            # contacts have no PidTagAccount; everything has the others
            self.assertNotIn(None, (r[0], r[1], r[3]), r)
        for page, rows in seen.items():
            self.assertEqual(rows, whole, "page size %d" % page)

    def test_explicit_table_duplicates_and_unknown(self):
        """An explicit table (lpETable) keeps its order, repeats a MId it
        names twice and gives an unknown MId a row of NotFound errors."""
        dce, h = self.bind()
        stat = nspi.STAT()
        stat['CodePage'] = 1252
        resp = nspi.hNspiQueryRows(dce, h, pStat=stat, Count=20,
                                   pPropTags=[PidTagDisplayName,
                                              PidTagInstanceKey])
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual(len(rows), 20)
        # PidTagInstanceKey: the MId, 4 bytes little-endian (impacket
        # decodes it)
        mids = [r[PidTagInstanceKey] & 0xFFFFFFFF for r in rows]
        names = [r[PidTagDisplayName] for r in rows]
        unknown = 0x7FFFFF00
        etable = [mids[3], mids[0], unknown, mids[3]] + mids[5:20]
        resp = nspi.hNspiQueryRows(dce, h, pStat=stat,
                                   pPropTags=[PidTagDisplayName],
                                   lpETable=etable)
        self.assertEqual(resp['ErrorCode'], Success)
        got = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual(len(got), len(etable))
        self.assertEqual(got[0].get(PidTagDisplayName), names[3])
        self.assertEqual(got[1].get(PidTagDisplayName), names[0])
        self.assertNotIn(PidTagDisplayName, got[2])
        self.assertEqual(got[2].get(PidTagDisplayName & 0xFFFF0000 | 0x000A),
                         0x8004010F)
        self.assertEqual(got[3].get(PidTagDisplayName), names[3])
        self.assertEqual([r.get(PidTagDisplayName) for r in got[4:]],
                         names[5:20])

    def test_resolve_names_w(self):
        dce, h = self.bind()
        resp = nspi.hNspiResolveNamesW(
            dce, h, pPropTags=[PidTagDisplayName, PidTagEmailAddress,
                               PidTagSmtpAddress],
            paStr=["alice", "User Number", "nobody-like-this",
                   "*)(objectClass=*"])
        self.assertEqual(resp['ErrorCode'], Success)
        mids = [m['Data'] for m in resp['ppMIds']['aulPropTag']]
        self.assertGreater(mids[0], 2)
        self.assertEqual(mids[1], nspi.MID_AMBIGUOUS)
        self.assertEqual(mids[2], nspi.MID_UNRESOLVED)
        self.assertEqual(mids[3], nspi.MID_UNRESOLVED)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][PidTagDisplayName], "Alice Zeller")
        self.assertTrue(rows[0][PidTagEmailAddress].endswith("/cn=alice"),
                        rows[0][PidTagEmailAddress])
        self.assertEqual(rows[0][PidTagSmtpAddress].lower(),
                         "alice@example.com")

        # DNToMId of that DN gives the same MId; GetProps reads it
        dn = rows[0][PidTagEmailAddress]
        resp2 = nspi.hNspiDNToMId(dce, h, [dn, "/o=Nope/cn=nobody"])
        out = [m['Data'] for m in resp2['ppOutMIds']['aulPropTag']]
        self.assertEqual(out, [mids[0], 0])
        resp3 = self.get_props(dce, h, mids[0], [PidTagDisplayName,
                                                 PidTagObjectType,
                                                 PidTagDisplayType,
                                                 0x3A16001F])
        self.assertEqual(resp3['ErrorCode'], ErrorsReturned)  # no company
        row = nspi.simplifyPropertyRow(resp3['ppRows'])
        self.assertEqual(row[PidTagDisplayName], "Alice Zeller")
        self.assertEqual(row[PidTagObjectType], 6)
        self.assertEqual(row[PidTagDisplayType], 0)
        self.assertEqual(row[0x3A16000A], 0x8004010F)

    def test_query_columns(self):
        dce, h = self.bind()
        resp = nspi.hNspiQueryColumns(dce, h)
        self.assertEqual(resp['ErrorCode'], Success)
        cols = [c['Data'] for c in resp['ppColumns']['aulPropTag']]
        self.assertIn(PidTagDisplayName, cols)
        self.assertIn(PidTagEmailAddress, cols)
        resp = nspi.hNspiQueryColumns(dce, h, dwFlags=0)
        cols = [c['Data'] for c in resp['ppColumns']['aulPropTag']]
        self.assertIn(PidTagDisplayName8, cols)

    def _content(self, tag, value, fuzzy):
        res = nspi.Restriction_r()
        res['rt'] = 3
        res['res']['tag'] = 3
        c = res['res']['resContent']
        c['ulFuzzyLevel'] = fuzzy
        c['ulPropTag'] = tag
        c['lpProp']['ulPropTag'] = tag
        c['lpProp']['Value']['tag'] = tag & 0xFFFF
        c['lpProp']['Value']['lpszW'] = value + "\x00"
        return res

    def get_matches(self, dce, h, res, requested=100):
        req = GetMatches()
        req['hRpc'] = h
        req['pStat']['CodePage'] = 1252
        req['pStat']['SortLocale'] = 0x409
        req['pReserved'] = NULL
        req['Filter'] = res
        req['lpPropName'] = NULL
        req['ulRequested'] = requested
        tags(req['pPropTags'], [PidTagDisplayName])
        fix_maxcount(req, 'pPropTags', 1)
        return dce.request(req, checkError=False)

    def test_get_matches_prefix(self):
        dce, h = self.bind()
        resp = self.get_matches(dce, h, self._content(PidTagDisplayName,
                                                      "User Number 1", 2))
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual([r[PidTagDisplayName] for r in rows],
                         ["User Number %02d" % i for i in range(10, 20)])
        # injection text is a value to look for, nothing else
        resp = self.get_matches(dce, h, self._content(
            PidTagDisplayName, "*)(objectClass=*", 1))
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(resp['pStat']['TotalRecs'], 0)
        # more matches than asked for
        resp = self.get_matches(dce, h, self._content(PidTagDisplayName,
                                                      "User", 2), 5)
        self.assertEqual(resp['ErrorCode'], TableTooBig)

    def test_get_matches_deep_nesting(self):
        dce, h = self.bind()
        res = self._content(PidTagDisplayName, "User", 2)
        for _ in range(40):
            outer = nspi.Restriction_r()
            outer['rt'] = 2
            outer['res']['tag'] = 2
            outer['res']['resNot']['lpRes'] = res
            res = outer
        try:
            resp = self.get_matches(dce, h, res)
            self.assertEqual(resp['ErrorCode'], TooComplex)
        except DCERPCException as e:
            self.assertIsFaultNdr(e)
        # the DC still answers
        self.assertEqual(self.special_table(dce, h)['ErrorCode'], Success)

    def test_members_of_list(self):
        dce, h = self.bind()
        resp = nspi.hNspiResolveNamesW(dce, h, pPropTags=[PidTagDisplayName],
                                       paStr=["list1"])
        mid = resp['ppMIds']['aulPropTag'][0]['Data']
        self.assertGreater(mid, 2)
        req = GetMatches()
        req['hRpc'] = h
        req['pStat']['ContainerID'] = PidTagAddressBookMember
        req['pStat']['CurrentRec'] = mid
        req['pReserved'] = NULL
        req['Filter'] = NULL
        req['lpPropName'] = NULL
        req['ulRequested'] = 50
        tags(req['pPropTags'], [PidTagDisplayName])
        fix_maxcount(req, 'pPropTags', 1)
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual([r[PidTagDisplayName] for r in rows],
                         ["User Number %02d" % i for i in range(5, 10)])


if __name__ == "__main__":
    main()

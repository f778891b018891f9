"""[MS-OXNSPI] operations beyond paging and name resolution, through a real
Samba AD DC with the module loaded: NspiSeekEntries, NspiCompareMIds,
NspiResortRestriction, NspiGetPropList, NspiResolveNames (8-bit, code pages
1252 and 20127), NspiModProps, NspiModLinkAtt, NspiGetNamesFromIDs and
NspiGetIDsFromNames.

The directory is test_nspi.py's (populate()), plus a user with accented
names, and list2 managed by user10 with the right AD gives a manager who
may update the membership list (a write-property ACE on `member`, what
Active Directory Users and Computers writes for "Manager can update
membership list"). Writes go through AD's ACLs as the bound user and are
checked in sam.ldb afterwards.

Requests impacket encodes off-spec (or not at all) are built here with
NDRCALL classes in the [MS-OXNSPI] IDL encoding.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from octest import DCTestCase, main   # noqa: E402
import ocharness                      # noqa: E402
import test_nspi                      # noqa: E402
from test_nspi import tags, start_with_our_module   # noqa: E402

from impacket.dcerpc.v5 import nspi                           # noqa: E402
from impacket.dcerpc.v5.dtypes import DWORD, NULL             # noqa: E402
from impacket.dcerpc.v5.ndr import NDRCALL                     # noqa: E402
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY  # noqa: E402
from impacket import uuid as imp_uuid                          # noqa: E402

Success = 0
ErrorsReturned = 0x00040380
GeneralFailure = 0x80004005
NotSupported = 0x80040102
NotFound = 0x8004010F
AccessDenied = 0x80070005

PidTagDisplayName = 0x3001001F
PidTagDisplayName8 = 0x3001001E
PidTagEmailAddress = 0x3003001F
PidTagEntryId = 0x0FFF0102
PidTagCompanyName = 0x3A16001F
PidTagBusinessTelephoneNumber = 0x3A08001F
PidTagTitle = 0x3A17001F
PidTagAddressBookMember = 0x8009000D
PidTagAddressBookPublicDelegates = 0x8015000D

PS_MAPI = "00020328-0000-0000-c000-000000000046"
USER_PASSWORD = "Pass%d!word"


# ---- requests in the spec encoding ------------------------------------------
class SeekEntries(NDRCALL):
    opnum = 4
    structure = (
        ('hRpc', nspi.handle_t),
        ('Reserved', DWORD),
        ('pStat', nspi.STAT),                    # [in, out] STAT*: ref
        ('pTarget', nspi.PropertyValue_r),       # [in] ref
        ('lpETable', nspi.PPropertyTagArray_r),  # [in, unique]
        ('pPropTags', nspi.PPropertyTagArray_r),  # [in, unique]
    )


class SeekEntriesResponse(NDRCALL):
    structure = (
        ('pStat', nspi.STAT),
        ('ppRows', nspi.PPropertyRowSet_r),
        ('ErrorCode', DWORD),
    )


class ResortRestriction(NDRCALL):
    opnum = 6
    structure = (
        ('hRpc', nspi.handle_t),
        ('Reserved', DWORD),
        ('pStat', nspi.STAT),
        ('pInMIds', nspi.PropertyTagArray_r),      # [in] ref
        ('ppOutMIds', nspi.PPropertyTagArray_r),   # [in, out] **: in NULL
    )


class ResortRestrictionResponse(NDRCALL):
    structure = (
        ('pStat', nspi.STAT),
        ('ppOutMIds', nspi.PPropertyTagArray_r),
        ('ErrorCode', DWORD),
    )


class ModProps(NDRCALL):
    opnum = 11
    structure = (
        ('hRpc', nspi.handle_t),
        ('Reserved', DWORD),
        ('pStat', nspi.STAT),
        ('pPropTags', nspi.PPropertyTagArray_r),   # [in, unique]
        ('pRow', nspi.PropertyRow_r),              # [in] ref
    )


class ModPropsResponse(NDRCALL):
    structure = (
        ('ErrorCode', DWORD),
    )


class GetIDsFromNames(NDRCALL):
    opnum = 18
    structure = (
        ('hRpc', nspi.handle_t),
        ('Reserved', DWORD),
        ('dwFlags', DWORD),
        ('cPropNames', DWORD),
        ('pNames', ':'),   # [size_is] PropertyName_r **: names_stub()
    )


def names_stub(names):
    """[size_is(n)] PropertyName_r **: the conformant array of unique
    pointers, then each PropertyName_r with its lpguid referent after it
    (impacket orders these deferred referents differently)."""
    out = struct.pack("<I", len(names))
    out += b"".join(struct.pack("<I", 0x20000 + 4 * i)
                    for i in range(len(names)))
    for i, (guid, lid) in enumerate(names):
        out += struct.pack("<IIi", 0x30000 + 4 * i, 0, lid)
        out += imp_uuid.string_to_bin(guid)
    return out


class GetIDsFromNamesResponse(NDRCALL):
    structure = (
        ('ppPropTags', nspi.PPropertyTagArray_r),
        ('ErrorCode', DWORD),
    )


for _c, _r in ((SeekEntries, SeekEntriesResponse),
               (ResortRestriction, ResortRestrictionResponse),
               (ModProps, ModPropsResponse),
               (GetIDsFromNames, GetIDsFromNamesResponse)):
    nspi.OPNUMS[_c.opnum] = (_c, _r)


def tag_array(field, values):
    """An inline PropertyTagArray_r (size_is cValues + 1)."""
    tags(field, values)
    field.fields['aulPropTag'].fields['MaximumCount'] = len(values) + 1


def mids_of(resp, name='ppMIds'):
    return [m['Data'] for m in resp[name]['aulPropTag']]


def populate_more(dc):
    """test_nspi's directory, then the objects these tests need."""
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
    db.newuser("zoe", "Zoe!pass1", givenname="Zoë", surname="Ålund")
    m = sldb.Message()
    m.dn = sldb.Dn(db, "CN=zoe,CN=Users,%s" % base)
    for attr, val in (("displayName", "Zoë Ålund"),
                      ("mail", "zoe@example.com"),
                      ("mailNickname", "zoe")):
        m[attr] = sldb.MessageElement(val, sldb.FLAG_MOD_REPLACE, attr)
    db.modify(m)
    # list2 is managed by user10, who may update its membership list
    res = db.search(base="CN=user10,CN=Users,%s" % base,
                    scope=sldb.SCOPE_BASE, attrs=["objectSid"])
    sid = ndr_unpack(security.dom_sid, res[0]["objectSid"][0])
    group = "CN=list2,CN=Users,%s" % base
    m = sldb.Message()
    m.dn = sldb.Dn(db, group)
    m["managedBy"] = sldb.MessageElement(
        "CN=user10,CN=Users,%s" % base, sldb.FLAG_MOD_REPLACE, "managedBy")
    db.modify(m)
    member_guid = "bf9679c0-0de6-11d0-a285-00aa003049e2"   # member attribute
    sd_utils.SDUtils(db).dacl_add_ace(
        group, "(OA;;WP;%s;;%s)" % (member_guid, sid))


class NspiOpsTest(DCTestCase):
    dc_name = "nspiops"

    @classmethod
    def setUpClass(cls):
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            populate_more(cls.dc)
            start_with_our_module(cls.dc)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise
        cls._failed = False

    # -- helpers ---------------------------------------------------------------
    def bind(self, user=None, codepage=1252):
        kw = {}
        if user is not None:
            kw = {"user": user, "password": USER_PASSWORD % int(user[4:])}
        dce = self.impacket_dce("exchange_nsp", RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                **kw)
        stat = nspi.STAT()
        stat['CodePage'] = codepage
        stat['TemplateLocale'] = stat['SortLocale'] = 0x409
        resp = nspi.hNspiBind(dce, stat)
        self.assertEqual(resp['ErrorCode'], Success)
        return dce, resp['contextHandle']

    def resolve(self, dce, h, names, proptags=(PidTagDisplayName,)):
        resp = nspi.hNspiResolveNamesW(dce, h, pPropTags=list(proptags),
                                       paStr=names)
        self.assertEqual(resp['ErrorCode'], Success)
        return mids_of(resp), nspi.simplifyPropertyRowSet(resp['ppRows'])

    def mid(self, dce, h, name):
        mids, _ = self.resolve(dce, h, [name])
        self.assertGreater(mids[0], 2, name)
        return mids[0]

    def samdb(self):
        from samba import param
        from samba.samdb import SamDB
        from samba.auth import system_session
        lp = param.LoadParm()
        lp.load(self.dc.smbconf)
        return SamDB(url=self.dc.samdb_path, lp=lp,
                     session_info=system_session())

    def attr(self, cn, name):
        db = self.samdb()
        res = db.search(base="CN=%s,CN=Users,%s" % (cn, db.domain_dn()),
                        scope=0, attrs=[name])
        return [str(v) for v in res[0].get(name, [])]

    def stat(self, codepage=1252):
        st = nspi.STAT()
        st['CodePage'] = codepage
        st['SortLocale'] = 0x409
        return st

    # -- NspiSeekEntries ([MS-OXNSPI] 3.1.4.1.9) -----------------------------
    def seek(self, dce, h, target, etable=None, columns=(PidTagDisplayName,)):
        req = SeekEntries()
        req['hRpc'] = h
        req['pStat'] = self.stat()
        req['pTarget']['ulPropTag'] = PidTagDisplayName
        req['pTarget']['Value']['tag'] = PidTagDisplayName & 0xFFFF
        req['pTarget']['Value']['lpszW'] = target + "\x00"
        if etable is None:
            req['lpETable'] = NULL
        else:
            tags(req['lpETable'], etable)
            test_nspi.fix_maxcount(req, 'lpETable', len(etable))
        if columns is None:
            req['pPropTags'] = NULL
        else:
            tags(req['pPropTags'], list(columns))
            test_nspi.fix_maxcount(req, 'pPropTags', len(columns))
        return dce.request(req, checkError=False)

    def test_seek_entries(self):
        dce, h = self.bind()
        resp = self.seek(dce, h, "User Number 3")
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual([r[PidTagDisplayName] for r in rows],
                         ["User Number 30"])
        want = self.mid(dce, h, "user30")
        self.assertEqual(resp['pStat']['CurrentRec'], want)
        # the position is the row's: QueryRows from there reads it first
        resp2 = nspi.hNspiQueryRows(dce, h, pStat=resp['pStat'], Count=2,
                                    pPropTags=[PidTagDisplayName])
        names = [r[PidTagDisplayName] for r in
                 nspi.simplifyPropertyRowSet(resp2['ppRows'])]
        self.assertEqual(names, ["User Number 30", "User Number 31"])
        # case and accents at the first level do not matter
        resp = self.seek(dce, h, "zo", columns=None)
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(resp['pStat']['CurrentRec'], self.mid(dce, h, "zoe"))
        # beyond the last row
        self.assertEqual(self.seek(dce, h, "\uffff")['ErrorCode'], NotFound)

    def test_seek_entries_explicit_table(self):
        dce, h = self.bind()
        table = [self.mid(dce, h, n) for n in ("user05", "alice", "user40")]
        resp = self.seek(dce, h, "Alice", etable=table)
        self.assertEqual(resp['ErrorCode'], Success)
        # the first row, in the table's order, not sorting below the target
        self.assertEqual(resp['pStat']['CurrentRec'], table[0])
        self.assertEqual(resp['pStat']['NumPos'], 0)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual([r[PidTagDisplayName] for r in rows],
                         ["User Number 05"])
        resp = self.seek(dce, h, "User Number 2", etable=table)
        self.assertEqual(resp['pStat']['CurrentRec'], table[2])
        self.assertEqual(resp['pStat']['NumPos'], 2)

    # -- NspiCompareMIds ([MS-OXNSPI] 3.1.4.1.5) ------------------------------
    def test_compare_mids(self):
        dce, h = self.bind()
        alice, u0, u9 = (self.mid(dce, h, n) for n in
                         ("alice", "user00", "user09"))
        for a, b, want in ((alice, u0, -1), (u9, u0, 1), (u0, u0, 0)):
            resp = self.compare(dce, h, a, b)
            self.assertEqual(resp['ErrorCode'], Success)
            self.assertEqual(resp['plResult'], want, (a, b))
        # an MId that is not in the table
        self.assertEqual(self.compare(dce, h, alice, 0x7FFFFFF0)['ErrorCode'],
                         GeneralFailure)

    def compare(self, dce, h, a, b):
        req = nspi.NspiCompareMIds()
        req['hRpc'] = h
        req['pStat'] = self.stat()
        req['MId1'] = a
        req['MId2'] = b
        return dce.request(req, checkError=False)

    # -- NspiResortRestriction ([MS-OXNSPI] 3.1.4.1.11) -----------------------
    def test_resort_restriction(self):
        dce, h = self.bind()
        u5, alice, dl1 = (self.mid(dce, h, n) for n in
                          ("user05", "alice", "list1"))
        req = ResortRestriction()
        req['hRpc'] = h
        req['pStat'] = self.stat()
        req['pStat']['CurrentRec'] = u5
        tag_array(req['pInMIds'], [u5, alice, 0x7FFFFFF0, dl1])
        req['ppOutMIds'] = NULL
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], Success)
        # sorted by display name; an MId the server never issued is dropped
        self.assertEqual(mids_of(resp, 'ppOutMIds'), [alice, dl1, u5])
        self.assertEqual(resp['pStat']['TotalRecs'], 3)
        self.assertEqual(resp['pStat']['NumPos'], 2)   # CurrentRec's row

    # -- NspiGetPropList ([MS-OXNSPI] 3.1.4.1.6) ------------------------------
    def test_get_prop_list(self):
        dce, h = self.bind()
        alice = self.mid(dce, h, "alice")
        resp = nspi.hNspiGetPropList(dce, h, dwMId=alice, CodePage=1200)
        self.assertEqual(resp['ErrorCode'], Success)
        props = set(mids_of(resp, 'ppOutMIds'))
        self.assertIn(PidTagDisplayName, props)
        self.assertIn(PidTagEmailAddress, props)
        self.assertIn(PidTagEntryId, props)
        self.assertNotIn(PidTagCompanyName, props)      # alice has none
        self.assertFalse([t for t in props if t & 0xFFFF == 0x000D])
        # 8-bit code page: string properties as PtypString8
        resp = nspi.hNspiGetPropList(dce, h, dwMId=alice, CodePage=1252)
        props = set(mids_of(resp, 'ppOutMIds'))
        self.assertIn(PidTagDisplayName8, props)
        self.assertNotIn(PidTagDisplayName, props)
        # with objects: the list's member table is there
        dl = self.mid(dce, h, "list1")
        resp = nspi.hNspiGetPropList(dce, h, dwMId=dl, dwFlags=0,
                                     CodePage=1200)
        self.assertIn(PidTagAddressBookMember, mids_of(resp, 'ppOutMIds'))
        # an MId the server never issued
        req = nspi.NspiGetPropList()
        req['hRpc'] = h
        req['dwMId'] = 0x7FFFFFF0
        req['CodePage'] = 1200
        resp = dce.request(req, checkError=False)
        self.assertNotEqual(resp['ErrorCode'], Success)

    # -- NspiResolveNames, 8-bit ([MS-OXNSPI] 3.1.4.1.16) -----------------------
    def resolve8(self, dce, h, names, codepage):
        req = nspi.NspiResolveNames()
        req['hRpc'] = h
        req['pStat'] = self.stat(codepage)
        tags(req['pPropTags'], [PidTagDisplayName8])
        test_nspi.fix_maxcount(req, 'pPropTags', 1)
        for n in names:
            s = nspi.LPSTR()
            s['Data'] = n + b"\x00"
            req['paStr']['Strings'].append(s)
        req['paStr']['Count'] = len(names)
        return dce.request(req, checkError=False)

    def names8(self, resp):
        """The PtypString8 display names of the rows. The wire length is
        exactly the 8-bit bytes and their NUL (our NDR generator sizes a
        [charset(DOS)] string by its converted length): nothing may
        follow the NUL."""
        out = []
        for r in resp['ppRows']['aRow']:
            v = r['lpProps'][0]['Value']['lpszA']
            v = v if isinstance(v, bytes) else v.encode('latin-1')
            text, _, pad = v.partition(b"\x00")
            self.assertEqual(pad, b"")
            out.append(text)
        return out

    def test_resolve_names_1252(self):
        dce, h = self.bind()
        resp = self.resolve8(dce, h, [b"Zo\xeb", b"alice", b"nobody-here",
                                      b"User Number"], 1252)
        self.assertEqual(resp['ErrorCode'], Success)
        mids = mids_of(resp)
        self.assertEqual(mids[0], self.mid(dce, h, "zoe"))
        self.assertGreater(mids[1], 2)
        self.assertEqual(mids[2:], [nspi.MID_UNRESOLVED, nspi.MID_AMBIGUOUS])
        self.assertEqual(self.names8(resp),
                         ["Zoë Ålund".encode("cp1252"), b"Alice Zeller"])

    def test_resolve_names_ascii(self):
        dce, h = self.bind(codepage=20127)
        resp = self.resolve8(dce, h, [b"zoe", b"alice"], 20127)
        self.assertEqual(resp['ErrorCode'], Success)
        mids = mids_of(resp)
        self.assertEqual(mids[0], self.mid(dce, h, "zoe"))
        # characters ASCII cannot carry come back as '?'
        self.assertEqual(self.names8(resp), [b"Zo? ?lund", b"Alice Zeller"])

    # -- NspiModProps ([MS-OXNSPI] 3.1.4.1.12) ------------------------------------
    def mod_props(self, dce, h, mid, values, remove=None):
        req = ModProps()
        req['hRpc'] = h
        req['pStat'] = self.stat()
        req['pStat']['CurrentRec'] = mid
        if remove is None:
            req['pPropTags'] = NULL
        else:
            tags(req['pPropTags'], remove)
            test_nspi.fix_maxcount(req, 'pPropTags', len(remove))
        for tag, text in values:
            pv = nspi.PropertyValue_r()
            pv['ulPropTag'] = tag
            pv['Value']['tag'] = tag & 0xFFFF
            pv['Value']['lpszW'] = text + "\x00"
            req['pRow']['lpProps'].append(pv)
        req['pRow']['cValues'] = len(values)
        return dce.request(req, checkError=False)

    def test_mod_props_own_entry(self):
        dce, h = self.bind("user20")
        me = self.mid(dce, h, "user20")
        resp = self.mod_props(dce, h, me, [(PidTagBusinessTelephoneNumber,
                                            "+1 555 0120")])
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(self.attr("user20", "telephoneNumber"),
                         ["+1 555 0120"])
        # removing it (pPropTags lists the properties to delete)
        resp = self.mod_props(dce, h, me, [],
                              remove=[PidTagBusinessTelephoneNumber])
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(self.attr("user20", "telephoneNumber"), [])

    def test_mod_props_refused(self):
        dce, h = self.bind("user21")
        other = self.mid(dce, h, "user22")
        resp = self.mod_props(dce, h, other, [(PidTagBusinessTelephoneNumber,
                                               "+1 555 0199")])
        self.assertEqual(resp['ErrorCode'], AccessDenied)
        self.assertEqual(self.attr("user22", "telephoneNumber"), [])
        # a property Exchange does not let users change, even their own
        me = self.mid(dce, h, "user21")
        resp = self.mod_props(dce, h, me, [(PidTagTitle, "Chief")])
        self.assertEqual(resp['ErrorCode'], AccessDenied)
        self.assertEqual(self.attr("user21", "title"), [])

    # -- NspiModLinkAtt ([MS-OXNSPI] 3.1.4.1.15) ----------------------------------
    def entry_id(self, dce, h, name):
        _, rows = self.resolve(dce, h, [name], (PidTagEntryId,))
        return rows[0][PidTagEntryId]

    def mod_link(self, dce, h, flags, mid, eids,
                 tag=PidTagAddressBookMember):
        req = nspi.NspiModLinkAtt()
        req['hRpc'] = h
        req['dwFlags'] = flags
        req['ulPropTag'] = tag
        req['dwMId'] = mid
        for eid in eids:
            b = nspi.Binary_r()
            b['lpb'] = eid.getData()
            b['cValues'] = len(eid)
            req['lpEntryIds']['lpbin'].append(b)
        req['lpEntryIds']['cValues'] = len(eids)
        return dce.request(req, checkError=False)

    def members(self, group):
        return sorted(v.split(",")[0][3:] for v in self.attr(group, "member"))

    def test_mod_link_att_manager(self):
        dce, h = self.bind("user10")
        dl = self.mid(dce, h, "list2")
        eid = self.entry_id(dce, h, "user40")
        before = self.members("list2")
        resp = self.mod_link(dce, h, 0, dl, [eid])
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(self.members("list2"), sorted(before + ["user40"]))
        resp = self.mod_link(dce, h, nspi.fDelete, dl, [eid])
        self.assertEqual(resp['ErrorCode'], Success)
        self.assertEqual(self.members("list2"), before)

    def test_mod_link_att_refused(self):
        dce, h = self.bind("user11")
        dl = self.mid(dce, h, "list2")
        eid = self.entry_id(dce, h, "user41")
        before = self.members("list2")
        resp = self.mod_link(dce, h, 0, dl, [eid])
        self.assertEqual(resp['ErrorCode'], AccessDenied)
        self.assertEqual(self.members("list2"), before)
        # only member lists and public delegates are links one may change
        resp = self.mod_link(dce, h, 0, dl, [eid], tag=0x800E000D)
        self.assertEqual(resp['ErrorCode'], NotSupported)

    # -- NspiGetNamesFromIDs / NspiGetIDsFromNames (3.1.4.1.14/15) -------------
    def test_get_names_from_ids(self):
        dce, h = self.bind()
        req = nspi.NspiGetNamesFromIDs()
        req['hRpc'] = h
        req.fields['lpguid'] = NULL
        tags(req['pPropTags'], [PidTagDisplayName, 0x80010003])
        test_nspi.fix_maxcount(req, 'pPropTags', 2)
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], Success)
        # no property set asked for: no list of its tags
        self.assertEqual(
            resp.fields['ppReturnedPropTags'].fields['ReferentID'], 0)
        names = resp['ppNames']['aulPropTag']
        self.assertEqual(len(names), 2)
        # an ID below 0x8000 is named by PS_MAPI and the ID itself
        self.assertEqual(imp_uuid.bin_to_string(names[0]['lpguid']).lower(),
                         PS_MAPI)
        self.assertEqual(names[0]['lID'], 0x3001)
        # the address book defines no named properties
        self.assertEqual(names[1].fields['lpguid'].fields['ReferentID'], 0)

    def test_get_ids_from_names(self):
        dce, h = self.bind()
        req = GetIDsFromNames()
        req['hRpc'] = h
        req['dwFlags'] = 0
        req['pNames'] = names_stub(
            [(PS_MAPI, 0x3001),
             ("00062004-0000-0000-c000-000000000046", 0x8083)])
        req['cPropNames'] = 2
        resp = dce.request(req, checkError=False)
        self.assertEqual(resp['ErrorCode'], ErrorsReturned)
        self.assertEqual(mids_of(resp, 'ppPropTags'),
                         [0x30010000, 0x0000000A])


if __name__ == "__main__":
    main()

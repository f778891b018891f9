#!/usr/bin/python3
"""Write the seed corpus of fuzz_nspi_handlers: the opnum byte, then the
request stub in the [MS-OXNSPI] encoding (the NDRCALL classes of the
integration tests). MIds are the fake directory's (nspi_dir_fake.c): 0x10
the address list, 0x11 alice, 0x12 bob, 0x13 carol, 0x14 the list, 0x15 the
contact, 0x16 dave. Run with /usr/bin/python3."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "testsuite",
                                "integration"))
import test_nspi as T                  # noqa: E402
import test_nspi_ops as O              # noqa: E402
from impacket.dcerpc.v5 import nspi    # noqa: E402
from impacket.dcerpc.v5.dtypes import NULL   # noqa: E402

out = os.path.join(HERE, "corpus_nspi_handlers")
os.makedirs(out, exist_ok=True)
h = nspi.handle_t()
ALL = [T.PidTagDisplayName, T.PidTagEmailAddress, T.PidTagEntryId,
       0x800F101F, 0x8009000D, 0x3A08001E, 0x0FF60102, 0x39000003,
       0x8C6A1102, 0x8006001F, 0x8005001F, 0x3001000A]


def save(name, req):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([req.opnum]) + req.getData())


def stat(req, cp=1252, rec=0, container=0):
    req['pStat']['CodePage'] = cp
    req['pStat']['SortLocale'] = 0x409
    req['pStat']['CurrentRec'] = rec
    req['pStat']['ContainerID'] = container


def cols(req, field, values):
    T.tags(req[field], values)
    T.fix_maxcount(req, field, len(values))


r = nspi.NspiUpdateStat()
r['hRpc'] = h
stat(r)
r['pStat']['Delta'] = 3
save("h_updatestat", r)
r = nspi.NspiQueryRows()
r['hRpc'] = h
stat(r, cp=20261)
r['Count'] = 4
r['lpETable'] = NULL
cols(r, 'pPropTags', ALL)
save("h_queryrows", r)
r = nspi.NspiQueryRows()
r['hRpc'] = h
stat(r)
r['dwFlags'] = 2
for m in (0x11, 0x14, 0x99):
    d = nspi.DWORD()
    d['Data'] = m
    r['lpETable'].append(d)
r['dwETableCount'] = 3
r['Count'] = 3
cols(r, 'pPropTags', ALL)
save("h_queryrows_etable", r)
for name, etable in (("h_seek", None), ("h_seek_etable", [0x12, 0x11])):
    r = O.SeekEntries()
    r['hRpc'] = h
    stat(r)
    r['pTarget']['ulPropTag'] = T.PidTagDisplayName
    r['pTarget']['Value']['tag'] = 0x1F
    r['pTarget']['Value']['lpszW'] = "B\x00"
    if etable is None:
        r['lpETable'] = NULL
    else:
        cols(r, 'lpETable', etable)
    cols(r, 'pPropTags', [T.PidTagDisplayName])
    save(name, r)
for name, container, rec in (("h_getmatches_member", 0x8009000D, 0x14),
                             ("h_getmatches_reports", 0x800E000D, 0x12)):
    r = T.GetMatches()
    r['hRpc'] = h
    stat(r, rec=rec, container=container)
    r['pReserved'] = NULL
    r['Filter'] = NULL
    r['lpPropName'] = NULL
    r['ulRequested'] = 10
    cols(r, 'pPropTags', ALL)
    save(name, r)
r = O.ResortRestriction()
r['hRpc'] = h
stat(r, rec=0x11)
O.tag_array(r['pInMIds'], [0x12, 0x11, 0x99, 0x14])
r['ppOutMIds'] = NULL
save("h_resort", r)
r = nspi.NspiCompareMIds()
r['hRpc'] = h
stat(r)
r['MId1'], r['MId2'] = 0x11, 0x12
save("h_comparemids", r)
for name, flags, cp in (("h_getproplist", 1, 1200), ("h_getproplist8", 0, 1252)):
    r = nspi.NspiGetPropList()
    r['hRpc'] = h
    r['dwFlags'], r['dwMId'], r['CodePage'] = flags, 0x11, cp
    save(name, r)
r = T.SpecGetProps()
r['hRpc'] = h
stat(r, rec=0x14)
r['pPropTags'] = NULL
save("h_getprops_all", r)
r = nspi.NspiDNToMId()
r['hRpc'] = h
for dn in ("/o=First Organization/cn=Recipients/cn=bob", "/guid=c0010000"):
    s = nspi.LPSTR()
    s['Data'] = dn + "\x00"
    r['pNames']['Strings'].append(s)
r['pNames']['Count'] = 2
save("h_dntomid", r)
for name, mid in (("h_modprops", 0x11), ("h_modprops_denied", 0x14)):
    r = O.ModProps()
    r['hRpc'] = h
    stat(r, rec=mid)
    cols(r, 'pPropTags', [0x3A09001F])
    pv = nspi.PropertyValue_r()
    pv['ulPropTag'] = 0x3A08001E
    pv['Value']['tag'] = 0x1E
    pv['Value']['lpszA'] = b"+1 555\xe9\x00"
    r['pRow']['lpProps'].append(pv)
    r['pRow']['cValues'] = 1
    save(name, r)
# [MS-OXNSPI] 2.2.9.3 PermanentEntryID of bob
eid_bytes = (b"\x00\x00\x00\x00" + nspi.GUID_NSPI + b"\x01\x00\x00\x00" +
             b"\x00\x00\x00\x00" +
             b"/o=First Organization/cn=Recipients/cn=bob\x00")
r = nspi.NspiModLinkAtt()
r['hRpc'] = h
r['dwFlags'], r['ulPropTag'], r['dwMId'] = 1, 0x8009000D, 0x14
b = nspi.Binary_r()
b['lpb'] = eid_bytes
b['cValues'] = len(b['lpb'])
r['lpEntryIds']['lpbin'].append(b)
r['lpEntryIds']['cValues'] = 1
save("h_modlinkatt", r)
r = nspi.NspiGetNamesFromIDs()
r['hRpc'] = h
r['lpguid'] = b"\x28\x03\x02\x00" + b"\x00" * 4 + b"\xc0" + b"\x00" * 6 + b"\x46"
cols(r, 'pPropTags', [0x3001001F, 0x80010003])
save("h_getnamesfromids", r)
r = O.GetIDsFromNames()
r['hRpc'] = h
r['pNames'] = O.names_stub([(O.PS_MAPI, 0x3001),
                            ("00062004-0000-0000-c000-000000000046", 0x8083)])
r['cPropNames'] = 2
save("h_getidsfromnames", r)
r = nspi.NspiResolveNames()
r['hRpc'] = h
stat(r)
cols(r, 'pPropTags', [0x3001001E, 0x3003001E])
for n in (b"Bob \xc5", b"alice", b"x"):
    s = nspi.LPSTR()
    s['Data'] = n + b"\x00"
    r['paStr']['Strings'].append(s)
r['paStr']['Count'] = 3
save("h_resolvenames", r)
for name, ul_type, dn, flags in (("h_template_user", 0, None, 0x61),
                                 ("h_template_dl", 1, None, 0x15),
                                 ("h_template_contact", 6, None, 1),
                                 ("h_template_forum", 2, None, 1),
                                 ("h_template_dn", 0, "/o=First Organization/"
                                  "cn=Address-Templates/cn=409/cn=smtp", 0x15)):
    r = nspi.NspiGetTemplateInfo()
    r['hRpc'] = h
    r['dwFlags'], r['ulType'] = flags, ul_type
    r['pDN'] = NULL if dn is None else dn + "\x00"
    r['dwCodePage'], r['dwLocaleID'] = 1252, 0x409
    save(name, r)
for name, flags in (("h_specialtable", 4), ("h_creationtable", 2)):
    r = T.SpecGetSpecialTable()
    r['hRpc'] = h
    r['dwFlags'] = flags
    r['pStat']['CodePage'] = 1252
    r['lpVersion'] = 0
    save(name, r)
r = nspi.NspiQueryColumns()
r['hRpc'] = h
r['dwFlags'] = 0
save("h_querycolumns", r)

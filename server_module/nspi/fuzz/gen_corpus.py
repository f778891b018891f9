#!/usr/bin/python3
"""Write the seed corpus of fuzz_nspi_request: one file per request, the
opnum byte followed by the NDR stub as impacket (spec encodings, see
testsuite/integration/test_nspi.py) produces it. Run with /usr/bin/python3."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "testsuite", "integration"))
import test_nspi as T                        # noqa: E402
from impacket.dcerpc.v5 import nspi          # noqa: E402
from impacket.dcerpc.v5.dtypes import NULL   # noqa: E402

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus_nspi")
os.makedirs(out, exist_ok=True)


def save(name, req):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([req.opnum]) + req.getData())


h = nspi.handle_t()
b = nspi.NspiBind()
b['pStat']['CodePage'] = 1252
save("bind", b)
q = nspi.NspiQueryRows()
q['hRpc'] = h
q['Count'] = 10
q['pStat']['CodePage'] = 20261
q['lpETable'] = NULL
T.tags(q['pPropTags'], [T.PidTagDisplayName, T.PidTagEntryId])
T.fix_maxcount(q, 'pPropTags', 2)
save("queryrows", q)
t = T.NspiTest.__new__(T.NspiTest)
for name, res in (("getmatches_prefix", t._content(T.PidTagDisplayName, "User", 2)),
                  ("getmatches_anr", t._content(0x360C001F, "*)(cn=*", 0))):
    req = T.GetMatches()
    req['hRpc'] = h
    req['pStat']['CodePage'] = 1252
    req['pReserved'] = NULL
    req['Filter'] = res
    req['lpPropName'] = NULL
    req['ulRequested'] = 50
    T.tags(req['pPropTags'], [T.PidTagDisplayName])
    T.fix_maxcount(req, 'pPropTags', 1)
    save(name, req)
res = t._content(T.PidTagDisplayName, "x", 1)
for _ in range(5):
    o = nspi.Restriction_r()
    o['rt'] = 2
    o['res']['tag'] = 2
    o['res']['resNot']['lpRes'] = res
    res = o
req = T.GetMatches()
req['hRpc'] = h
req['pReserved'] = NULL
req['Filter'] = res
req['lpPropName'] = NULL
req['pPropTags'] = NULL
save("getmatches_not", req)
r = nspi.NspiResolveNames()
r['hRpc'] = h
r['pStat']['CodePage'] = 20261
r['pPropTags'] = NULL
for s in ("M\xc8uller", "alice"):
    v = nspi.LPSTR()
    v['Data'] = s + "\x00"
    r['paStr']['Strings'].append(v)
r['paStr']['Count'] = 2
save("resolvenames", r)
sp = T.SpecGetSpecialTable()
sp['hRpc'] = h
sp['dwFlags'] = 4
save("specialtable", sp)
gp = T.SpecGetProps()
gp['hRpc'] = h
T.tags(gp['pPropTags'], [T.PidTagDisplayName])
T.fix_maxcount(gp, 'pPropTags', 1)
save("getprops", gp)
save("specialtable_impacket", nspi.NspiGetSpecialTable())

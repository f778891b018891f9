"""NSPI benchmark ([MS-OXNSPI] on Samba's directory): paging a 10,000-entry
GAL with NspiQueryRows (50 rows per call) and NspiResolveNamesW calls per
second, each beside a plain ldb search on the same sam.ldb returning the
same attributes, measured in the same run. Prints rates and ratios.

The users are added with ldb in one transaction into a copy of the test
DC before it starts (samba-tool would take far longer). Run by
`meson test --benchmark` (registered in server_module/nspi/meson.build).

Environment: OC_BENCH_USERS (default 10000), OC_BENCH_RESOLVE (default
300 names), OC_BUILD_DIR (the build holding mapiproxy.so).
"""

import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INTEG = os.path.join(HERE, "..", "..", "..", "testsuite", "integration")
sys.path.insert(0, INTEG)

import ocharness                                   # noqa: E402
import test_nspi                                   # noqa: E402
from octest import UUIDS, ADMIN, DOMAIN, PASSWORD  # noqa: E402

from impacket.dcerpc.v5 import nspi, transport, epm          # noqa: E402
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY  # noqa
from impacket.uuid import uuidtup_to_bin                      # noqa: E402

N_USERS = int(os.environ.get("OC_BENCH_USERS", "10000"))
N_RESOLVE = int(os.environ.get("OC_BENCH_RESOLVE", "300"))
PAGE = 50

PidTagDisplayName = 0x3001001F
PidTagEmailAddress = 0x3003001F
PidTagSmtpAddress = 0x39FE001F
PidTagAccount = 0x3A00001F
PidTagDisplayType = 0x39000003
COLUMNS = [PidTagDisplayName, PidTagEmailAddress, PidTagSmtpAddress,
           PidTagAccount, PidTagDisplayType]
# the attributes those columns come from (doc/nspi.md), for the baseline
ATTRS = ["displayName", "legacyExchangeDN", "mail", "mailNickname",
         "objectClass", "objectGUID", "homeMDB"]
GAL_FILTER = ("(&(|(objectClass=user)(objectClass=group)(objectClass=contact))"
              "(!(objectClass=computer))"
              "(|(legacyExchangeDN=*)(mailNickname=*)(proxyAddresses=*)"
              "(mail=*))(!(msExchHideFromAddressLists=TRUE)))")


def samdb(dc):
    from samba import param
    from samba.samdb import SamDB
    from samba.auth import system_session
    lp = param.LoadParm()
    lp.load(dc.smbconf)
    return SamDB(url=dc.samdb_path, lp=lp, session_info=system_session())


def add_users(dc, n):
    """n mail-enabled users, one ldb transaction."""
    db = samdb(dc)
    base = str(db.domain_dn())
    recip = "/o=First Organization/ou=Exchange Administrative Group " \
            "(FYDIBOHF23SPDLT)/cn=Recipients"
    t0 = time.time()
    db.transaction_start()
    try:
        for i in range(n):
            nick = "bench%05d" % i
            db.add({"dn": "CN=%s,CN=Users,%s" % (nick, base),
                    "objectClass": "user",
                    "sAMAccountName": nick,
                    "givenName": "Bench",
                    "sn": "User %05d" % i,
                    "displayName": "Bench User %05d" % i,
                    "mail": "%s@example.com" % nick,
                    "mailNickname": nick,
                    "proxyAddresses": "SMTP:%s@example.com" % nick,
                    "legacyExchangeDN": "%s/cn=%s" % (recip, nick)})
    except Exception:
        db.transaction_cancel()
        raise
    db.transaction_commit()
    print("setup: %d users added in %.1f s" % (n, time.time() - t0))


def connect(dc):
    uuid = uuidtup_to_bin(UUIDS["exchange_nsp"])
    binding = epm.hept_map(dc.ip, uuid, protocol="ncacn_ip_tcp")
    rpct = transport.DCERPCTransportFactory(binding)
    rpct.set_credentials(ADMIN, PASSWORD, DOMAIN)
    dce = rpct.get_dce_rpc()
    dce.set_auth_level(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    dce.connect()
    dce.bind(uuid)
    stat = nspi.STAT()
    stat['CodePage'] = 1252
    stat['SortLocale'] = 0x409
    return dce, nspi.hNspiBind(dce, stat)['contextHandle']


def raw_request(dce, req):
    """Send @req and return the response stub undecoded: the time measured
    is the server's and the transport's, not impacket's Python decoding
    (which alone is slower than the server)."""
    dce.call(req.opnum, req)
    return dce.recv()


def query_rows_request(h, stat_words):
    req = nspi.NspiQueryRows()
    req['hRpc'] = h
    req['dwFlags'] = nspi.fSkipObjects
    for name, value in zip(STAT_FIELDS, stat_words):
        req['pStat'][name] = value
    req['dwETableCount'] = 0
    req['lpETable'] = nspi.NULL
    req['Count'] = PAGE
    test_nspi.tags(req['pPropTags'], COLUMNS)
    test_nspi.fix_maxcount(req, 'pPropTags', len(COLUMNS))
    return req


STAT_FIELDS = ("SortType", "ContainerID", "CurrentRec", "Delta", "NumPos",
               "TotalRecs", "CodePage", "TemplateLocale", "SortLocale")


def page_gal(dc):
    """One session paging the whole GAL; returns (rows, seconds, first).
    The STAT comes first in the response ([in, out] STAT *pStat)."""
    dce, h = connect(dc)
    stat = [0, 0, 0, 0, 0, 0, 1252, 0x409, 0x409]
    calls = 0
    first = None
    t0 = time.perf_counter()
    while True:
        answer = raw_request(dce, query_rows_request(h, stat))
        calls += 1
        if first is None:
            first = time.perf_counter() - t0
        if struct.unpack_from("<I", answer, len(answer) - 4)[0] != 0:
            raise RuntimeError("NspiQueryRows failed")
        stat = list(struct.unpack_from("<9i", answer, 0))
        if stat[2] == nspi.MID_END_OF_TABLE:
            break
    secs = time.perf_counter() - t0
    # the row count, and a decoded page to be sure rows come back
    check = nspi.hNspiQueryRows(dce, h, pStat=nspi.STAT(), Count=PAGE,
                                pPropTags=COLUMNS)
    if check['ppRows']['cRows'] != min(PAGE, stat[5]):
        raise RuntimeError("QueryRows returned no rows")
    return stat[4], secs, first, calls


def ldb_gal(db):
    """The baseline: the same entries and attributes in one ldb search."""
    t0 = time.perf_counter()
    res = db.search(base=db.domain_dn(), scope=2, expression=GAL_FILTER,
                    attrs=ATTRS)
    rows = len(res)
    return rows, time.perf_counter() - t0


def resolve(dc, names):
    dce, h = connect(dc)
    # one decoded call to be sure names resolve
    resp = nspi.hNspiResolveNamesW(dce, h, pPropTags=COLUMNS, paStr=names[:1])
    if resp['ppMIds']['aulPropTag'][0]['Data'] <= 2:
        raise RuntimeError("%s did not resolve" % names[0])
    t0 = time.perf_counter()
    for name in names:
        req = nspi.NspiResolveNamesW()
        req['hRpc'] = h
        req['pStat']['CodePage'] = 1252
        test_nspi.tags(req['pPropTags'], COLUMNS)
        test_nspi.fix_maxcount(req, 'pPropTags', len(COLUMNS))
        value = nspi.LPWSTR()
        value['Data'] = name + "\x00"
        req['paStr']['Strings'].append(value)
        req['paStr']['Count'] = 1
        answer = raw_request(dce, req)
        if struct.unpack_from("<I", answer, len(answer) - 4)[0] != 0:
            raise RuntimeError("NspiResolveNamesW failed for %s" % name)
    return time.perf_counter() - t0


def ldb_resolve(db, names):
    t0 = time.perf_counter()
    for name in names:
        res = db.search(base=db.domain_dn(), scope=2,
                        expression="(&%s(anr=%s))" % (GAL_FILTER, name),
                        attrs=ATTRS)
        if len(res) != 1:
            raise RuntimeError("ldb: %s: %d results" % (name, len(res)))
    return time.perf_counter() - t0


def report(what, n, nspi_s, ldb_s, unit):
    print("%-28s nspi %9.1f %s/s   ldb %9.1f %s/s   ratio nspi/ldb %.3f"
          % (what, n / nspi_s, unit, n / ldb_s, unit, ldb_s / nspi_s))


def main():
    dc = ocharness.SambaDC("nspibench")
    dc.prepare()
    try:
        test_nspi.run_tool([os.path.join(test_nspi.PROVISION,
                                         "openchange_provision"),
                            "--standalone"], dc.smbconf)
        add_users(dc, N_USERS)
        test_nspi.start_with_our_module(dc)
        db = samdb(dc)
        rows, secs, first, calls = page_gal(dc)
        lrows, lsecs = ldb_gal(db)
        print("GAL: %d rows over NSPI in %d calls of %d (the first, %.2f s, "
              "builds the sorted table), %d from ldb" %
              (rows, calls, PAGE, first, lrows))
        report("QueryRows paging (rows)", rows, secs, lsecs * rows / lrows,
               "rows")
        step = max(1, N_USERS // N_RESOLVE)
        names = ["bench%05d" % i for i in range(0, N_USERS, step)][:N_RESOLVE]
        report("ResolveNamesW (calls)", len(names), resolve(dc, names),
               ldb_resolve(db, names), "calls")
    finally:
        dc.cleanup()


if __name__ == "__main__":
    main()

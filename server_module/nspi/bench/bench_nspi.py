"""NSPI benchmark ([MS-OXNSPI] on Samba's directory): paging a 10,000-entry
GAL with NspiQueryRows (50 rows per call) and NspiResolveNamesW calls per
second, each beside a plain ldb search on the same sam.ldb returning the
same attributes, measured in the same run. Prints rates and ratios.

The users are added with ldb in one transaction into a copy of the test
DC before it starts (samba-tool would take far longer). Run by
`meson test --benchmark` (registered in server_module/nspi/meson.build).

Paging is reported three ways: the wall-clock rate of every call (what a
client sees, impacket's own Python work and the machine's other load
included), the rate of the calls after the first (the first builds the
session's sorted table), and the server's CPU seconds for the rows against
the CPU seconds of the ldb search (independent of the client and of other
processes competing for the CPUs).

Environment: OC_BENCH_USERS (default 10000), OC_BENCH_RESOLVE (default
300 names), OC_BUILD_DIR (the build holding mapiproxy.so), OC_BENCH_DEBUG
(1: start the DC with the mapiproxy debug class at 10 and print the
module's "nspi: timing" lines and the time of each call).
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
DEBUG = os.environ.get("OC_BENCH_DEBUG", "") not in ("", "0")
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


def server_cpu(dc):
    """CPU seconds (user + system) used so far by the DC's processes (all
    of samba's process group: the RPC server, its threads, the others)."""
    tick = os.sysconf("SC_CLK_TCK")
    pgid = os.getpgid(dc.proc.pid)
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid pgrp ... utime(12) stime(13)
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


class Paging:
    """One session paging the whole GAL: rows, wall seconds (all calls,
    and the first alone), calls, and the CPU seconds of the server and of
    this client (impacket's request building, sealing and fragment
    reassembly) over the paging."""

    def __init__(self, dc):
        dce, h = connect(dc)
        # [in, out] STAT *pStat comes first in the response
        stat = [0, 0, 0, 0, 0, 0, 1252, 0x409, 0x409]
        times = []
        s0, c0 = server_cpu(dc), time.process_time()
        t0 = time.perf_counter()
        while True:
            t1 = time.perf_counter()
            answer = raw_request(dce, query_rows_request(h, stat))
            times.append(time.perf_counter() - t1)
            if struct.unpack_from("<I", answer, len(answer) - 4)[0] != 0:
                raise RuntimeError("NspiQueryRows failed")
            stat = list(struct.unpack_from("<9i", answer, 0))
            if stat[2] == nspi.MID_END_OF_TABLE:
                break
        self.secs = time.perf_counter() - t0
        self.server_cpu = server_cpu(dc) - s0
        self.client_cpu = time.process_time() - c0
        self.first = times[0]
        self.calls = len(times)
        self.rows = stat[4]
        if DEBUG:
            print("QueryRows call times (ms): " +
                  " ".join("%.1f" % (t * 1e3) for t in times))
        # a decoded page to be sure rows come back
        check = nspi.hNspiQueryRows(dce, h, pStat=nspi.STAT(), Count=PAGE,
                                    pPropTags=COLUMNS)
        if check['ppRows']['cRows'] != min(PAGE, self.rows):
            raise RuntimeError("QueryRows returned no rows")


def ldb_gal(db):
    """The baseline: the same entries and attributes in one ldb search
    (system session: no ACL checks). Returns rows, wall and CPU seconds."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    res = db.search(base=db.domain_dn(), scope=2, expression=GAL_FILTER,
                    attrs=ATTRS)
    rows = len(res)
    return rows, time.perf_counter() - t0, time.process_time() - c0


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
        # OC_BENCH_DEBUG=1: the module's timing lines (debug level 10 of
        # the mapiproxy class) are printed after the run
        dc.start_with_module(debuglevel="3 mapiproxy:10" if DEBUG else 3)
        db = samdb(dc)
        p = Paging(dc)
        lrows, lsecs, lcpu = ldb_gal(db)
        print("GAL: %d rows over NSPI in %d calls of %d, %d from ldb" %
              (p.rows, p.calls, PAGE, lrows))
        print("  first call (builds the session's sorted table): %.3f s; "
              "CPU over the paging: server %.2f s, client %.2f s, "
              "wall %.2f s" % (p.first, p.server_cpu, p.client_cpu, p.secs))
        per_row = lsecs / lrows
        # wall clock, every call: what a client of this machine sees
        report("QueryRows paging (rows)", p.rows, p.secs, per_row * p.rows,
               "rows")
        # wall clock, the calls after the first: the O(page) steady state
        rest = p.rows - min(PAGE, p.rows)
        if rest > 0:
            report("  after the first page", rest, p.secs - p.first,
                   per_row * rest, "rows")
        # CPU: the server's seconds for the rows against ldb's (the
        # client's Python and the machine's other load left out)
        report("  server CPU", p.rows, max(p.server_cpu, 0.01),
               lcpu / lrows * p.rows, "rows")
        step = max(1, N_USERS // N_RESOLVE)
        names = ["bench%05d" % i for i in range(0, N_USERS, step)][:N_RESOLVE]
        report("ResolveNamesW (calls)", len(names), resolve(dc, names),
               ldb_resolve(db, names), "calls")
        if DEBUG:
            for line in dc.log_text().splitlines():
                if "nspi: timing" in line:
                    print(line.strip())
    finally:
        dc.cleanup()


if __name__ == "__main__":
    main()

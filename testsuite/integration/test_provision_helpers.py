"""Helpers (no tests) shared by the test_provision*.py integration tests:
run the tools from the source tree against a prepared (not started) copy of the template
DC, read its sam.ldb directly.  Run with Debian's /usr/bin/python3."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
PROVISION = os.path.abspath(os.path.join(HERE, "..", "..", "provision"))
sys.path.insert(0, PROVISION)

import ocharness  # noqa: E402

PY = "/usr/bin/python3"
CONFIG = "CN=Configuration,DC=example,DC=com"
SCHEMA = "CN=Schema," + CONFIG
DOMAIN = "DC=example,DC=com"
ORG = "First Organization"
OU = "First Administrative Group"


def tool(name, *args, env=None):
    """Run provision/<name>; returns (rc, stdout, stderr)."""
    e = dict(os.environ)
    e.pop("SMB_CONF_PATH", None)   # set by Samba's LoadParm.load() in-process
    e.update(env or {})
    res = subprocess.run([PY, os.path.join(PROVISION, name)] + list(args),
                         capture_output=True, text=True, timeout=600, env=e)
    return res.returncode, res.stdout, res.stderr


def ldbsearch(sam, base, expr, *attrs, scope="sub"):
    """ldbsearch (ldb-tools); returns {dn: {attr: [values]}} (LDIF parsed,
    base64 values left encoded)."""
    res = subprocess.run(["ldbsearch", "-H", sam, "-b", base, "-s", scope,
                          expr] + list(attrs),
                         capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise RuntimeError(res.stderr)
    out, cur = {}, None
    lines = []
    for line in res.stdout.splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    for line in lines:
        if not line or line.startswith("#") or line.startswith("ref:"):
            continue
        k, _, v = line.partition(":")
        v = v[1:].strip() if v.startswith(":") else v.strip()
        if k == "dn":
            cur = out.setdefault(v, {})
        elif cur is not None:
            cur.setdefault(k, []).append(v)
    return out


def samdb(dc):
    from samba import param
    from samba.samdb import SamDB
    from samba.auth import system_session
    lp = param.LoadParm()
    lp.load(dc.smbconf)
    return SamDB(url=dc.samdb_path, session_info=system_session(), lp=lp)


def highest_usn(dc):
    """The DC's highestCommittedUSN: unchanged = nothing was written."""
    import ldb
    db = samdb(dc)
    res = db.search(base="", scope=ldb.SCOPE_BASE,
                    attrs=["highestCommittedUSN"])
    return int(res[0]["highestCommittedUSN"][0])


def new_dc(name, extra_conf=None):
    dc = ocharness.SambaDC(name, extra_conf=extra_conf)
    dc.prepare()
    return dc


def add_user(dc, name):
    env = dict(os.environ)
    env.pop("SMB_CONF_PATH", None)
    res = subprocess.run(["samba-tool", "user", "add", name, "Pass1234!x",
                          "-s", dc.smbconf, "-H", dc.samdb_path],
                         capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise RuntimeError(res.stdout + res.stderr)


def one_line(testcase, err):
    testcase.assertNotIn("Traceback", err)
    testcase.assertEqual(len(err.strip().splitlines()), 1, err)

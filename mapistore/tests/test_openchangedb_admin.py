#!/usr/bin/python3
"""openchangedb_admin end to end on SQLite: the guide's output format,
exit codes, and that no error sentence carries a password.
Usage: test_openchangedb_admin.py PATH_TO_openchangedb_admin"""

import subprocess
import sys
import tempfile

ADMIN = sys.argv[1]
failures = []


def run(*args):
    p = subprocess.run([ADMIN] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    else:
        print("ok:", what)


with tempfile.TemporaryDirectory() as d:
    pd = ["--private-dir", d]
    rc, out, err = run(*pd, "init")
    check(rc == 0 and "schema at version" in out, "init")
    rc, out, err = run(*pd, "provision-server", "--server", "SERVER",
                       "--firstorg", "First Organization",
                       "--firstou", "First Administrative Group")
    check(rc == 0, "provision-server exit 0")
    check("\t* Public Folder Root                      : 0x0100000000000001 (72057594037927937)\n"
          in out, "guide line for Public Folder Root")
    for name in ("IPM_SUBTREE", "NON_IPM_SUBTREE", "EFORMS REGISTRY", "OFFLINE ADDRESS BOOK",
                 "/o=First Organization/cn=addrlists/cn=oabs/cn=Default Offline Address Book",
                 "SCHEDULE+ FREE BUSY",
                 "EX:/o=first organization/ou=first administrative group", "Events Root"):
        check("\t* " + name in out, "public folder " + name)
    rc, out, err = run(*pd, "provision-server", "--server", "S", "--firstorg", "O", "--firstou", "U")
    check(rc == 1 and err.count("\n") == 1 and "already provisioned" in err, "second provision refused")
    rc, out, err = run(*pd, "mailbox-create", "--user", "jdoe", "--display-name", "John Doe")
    check(rc == 0 and "Inbox" in out and "0x" in out, "mailbox-create")
    rc, out, err = run(*pd, "mailbox-create", "--user", "jdoe")
    check(rc == 1 and "already has a mailbox" in err, "duplicate mailbox refused")
    rc, out, err = run(*pd, "user-cleanup", "--user", "jdoe", "--dry-run")
    check(rc == 0 and "would remove folder" in out and "Inbox" in out, "user-cleanup --dry-run")
    rc, out, err = run(*pd, "show")
    check(rc == 0 and "jdoe" in out and "server: SERVER" in out, "show after dry run")
    rc, out, err = run(*pd, "user-cleanup", "--user", "jdoe")
    check(rc == 0 and "removed folder" in out, "user-cleanup")
    rc, out, err = run(*pd, "show")
    check(rc == 0 and "mailboxes: 0" in out, "show after cleanup")
    rc, out, err = run("--uri", "mysql://u:Sup3rSecret@h:99999/db", "show")
    check(rc == 1 and "Sup3rSecret" not in err and err.count("\n") == 1, "bad URI: one sentence, no password")
    rc, out, err = run("--uri", "mysql://u:Sup3rSecret@127.0.0.1:1/db", "show")
    check(rc == 1 and "Sup3rSecret" not in err and "Cannot reach" in err, "unreachable server")
    rc, out, err = run("--private-dir", "/nonexistent/dir", "show")
    check(rc == 1 and "Cannot open the SQLite database" in err, "missing private dir")

sys.exit(1 if failures else 0)

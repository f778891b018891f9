"""[MS-OXCPERM] folder permissions and delegate access through a real Samba
AD DC with the module loaded, driven by the project's client
(client/openchange-client) as two users: Administrator (the mailbox owner)
grants bob Reviewer (frightsReadAny | frightsVisible) on his Inbox and
Calendar with RopModifyPermissions; bob logs on to Administrator's
mailbox (RopLogon with its legacyExchangeDN), lists and reads the Inbox
but may not create or delete there (ecAccessDenied), a folder without
rights is refused; RopGetPermissionsTable shows the rows; when the owner
revokes, bob's logon is refused (ecLoginPerm)."""

import os
import subprocess
import tempfile

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

DN_PREFIX = "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
ADMIN_DN = DN_PREFIX + ADMIN
BOB = "bob"
BOB_PASSWORD = "Bob!pass1234"
BOB_DN = DN_PREFIX + BOB
REVIEWER = 0x401
ecLoginPerm = 0x3F2
ecAccessDenied = 0x80070005


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


class EmsmdbPermTest(DCTestCase):
    dc_name = "perm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = dict(os.environ)
        env.pop("SMB_CONF_PATH", None)
        res = subprocess.run(["samba-tool", "user", "add", BOB, BOB_PASSWORD,
                              "-s", cls.dc.smbconf, "-H", cls.dc.samdb_path],
                             capture_output=True, text=True, env=env)
        if res.returncode != 0:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise RuntimeError(res.stdout + res.stderr)

    def client(self, user, password, *args, expect_rc=0):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (user, password),
               "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, expect_rc, "%s\nstdout:\n%s\nstderr:\n%s" %
                         (cmd, res.stdout, res.stderr))
        kv, lines = {}, res.stdout.splitlines()
        for line in lines:
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        return kv, lines

    def admin(self, *args, expect_rc=0):
        return self.client(ADMIN, PASSWORD, *args, expect_rc=expect_rc)

    def bob(self, *args, expect_rc=0):
        return self.client(BOB, BOB_PASSWORD, *args, expect_rc=expect_rc)

    def calendar_fid(self):
        _, lines = self.admin("folders")
        for line in lines:
            if line.startswith("folder ") and "=Calendar " in line + " ":
                # "folder 67480014=0x... 3001001f=Calendar ..."
                return line.split("67480014=", 1)[1].split()[0]
        self.fail("no Calendar folder in:\n" + "\n".join(lines))

    def members(self, lines):
        rows = {}
        for line in lines:
            if line.startswith("member "):
                f = dict(x.split("=", 1) for x in line.split()[1:])
                rows[int(f["id"])] = (f["name"], int(f["rights"], 16), int(f["eid_len"]))
        return rows

    def test_delegate_reviewer(self):
        # both mailboxes exist; the owner has a message in the Inbox
        self.assertEqual(self.admin("logon")[0]["logon"], "0x00000000")
        self.assertEqual(self.bob("logon")[0]["logon"], "0x00000000")
        calendar = self.calendar_fid()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "note.txt")
            with open(path, "wb") as f:
                f.write(b"for the delegate")
            put, _ = self.admin("attach-put", "--file", path, "--subject", "shared")
        self.assertEqual(put["attach_put"], "0x00000000")
        mid = put["mid"]

        # no rights yet: another user's mailbox is refused
        kv, _ = self.bob("delegate", ADMIN_DN, "logon", expect_rc=1)
        self.assertEqual(int(kv["logon"], 16), ecLoginPerm)

        # the owner's new folder: Anonymous and Default, no rights
        kv, lines = self.admin("perm-get", "inbox")
        self.assertEqual(kv["perm_get"], "0x00000000")
        self.assertEqual(self.members(lines), {-1: ("Anonymous", 0, 0), 0: ("", 0, 0)})

        # Reviewer on Inbox and Calendar
        for folder in ("inbox", calendar):
            kv, _ = self.admin("perm-add", folder, BOB_DN, hex(REVIEWER))
            self.assertEqual(kv["perm_add"], "0x00000000")
        kv, lines = self.admin("perm-get", "inbox")
        rows = self.members(lines)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][0], BOB)
        self.assertEqual(rows[1][1], REVIEWER)
        self.assertEqual(rows[1][2], 28 + len(BOB_DN) + 1)

        # bob: logon as a delegate (not owner: ResponseFlags Reserved only)
        kv, _ = self.bob("delegate", ADMIN_DN, "logon")
        self.assertEqual(kv["logon"], "0x00000000")
        self.assertEqual(kv["response_flags"], "0x01")
        kv, lines = self.bob("delegate", ADMIN_DN, "list", "inbox")
        self.assertEqual(kv["list"], "0x00000000")
        self.assertTrue(any(("mid=%s" % mid) in l and "subject=shared" in l
                            for l in lines), lines)
        kv, _ = self.bob("delegate", ADMIN_DN, "read", "inbox", mid)
        self.assertEqual(kv["read"], "0x00000000")
        kv, _ = self.bob("delegate", ADMIN_DN, "rights", "inbox")
        self.assertEqual(int(kv["pidtagrights"], 16), REVIEWER)
        kv, _ = self.bob("delegate", ADMIN_DN, "open", calendar)
        self.assertEqual(kv["open"], "0x00000000")
        # he sees the permissions, cannot change them
        kv, lines = self.bob("perm-get", "inbox", "--mailbox", ADMIN_DN)
        self.assertEqual(len(self.members(lines)), 3)

        # ... but cannot create, delete or make folders
        kv, _ = self.bob("delegate", ADMIN_DN, "create", "inbox", expect_rc=1)
        self.assertEqual(int(kv["create"], 16), ecAccessDenied)
        kv, _ = self.bob("delegate", ADMIN_DN, "delete", "inbox", mid, expect_rc=1)
        self.assertEqual(int(kv["delete"], 16), ecAccessDenied)
        kv, _ = self.bob("delegate", ADMIN_DN, "mkdir", "inbox", "x", expect_rc=1)
        self.assertEqual(int(kv["mkdir"], 16), ecAccessDenied)
        # a folder without rights is refused
        kv, _ = self.bob("delegate", ADMIN_DN, "open", "sent", expect_rc=1)
        self.assertEqual(int(kv["open"], 16), ecAccessDenied)
        # the message is still there for its owner
        kv, lines = self.admin("messages", put["folder"])
        self.assertIn(mid, "\n".join(lines))

        # revoked: folder by folder, then the logon itself
        kv, _ = self.admin("perm-remove", "inbox", "1")
        self.assertEqual(kv["perm_remove"], "0x00000000")
        kv, _ = self.bob("delegate", ADMIN_DN, "open", "inbox", expect_rc=1)
        self.assertEqual(int(kv["open"], 16), ecAccessDenied)
        kv, _ = self.admin("perm-remove", calendar, "1")
        self.assertEqual(kv["perm_remove"], "0x00000000")
        kv, _ = self.bob("delegate", ADMIN_DN, "logon", expect_rc=1)
        self.assertEqual(int(kv["logon"], 16), ecLoginPerm)
        kv, lines = self.admin("perm-get", "inbox")
        self.assertEqual(len(self.members(lines)), 2)


if __name__ == "__main__":
    main()

"""The deployment guide's section 6.3 end to end: the server reads exactly
the guide's smb.conf lines (openchangedb, indexing and named properties on
MariaDB, with the guide's user and password) and a mailbox logon, a sent
message and a new session all go through a real MariaDB started on
loopback. Only the host differs from the guide (127.0.0.1 and the test
server's port instead of localhost's default socket)."""

import os
import subprocess
import sys

from octest import DCTestCase, ADMIN, PASSWORD, DOMAIN, main
import ocharness

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "servers"))
from mariadb import MariaDB  # noqa: E402


def client(dc, *args):
    cmd = [os.path.join(ocharness.build_dir(), "client", "openchange-client"),
           "-H", dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD), "-W", DOMAIN]
    res = subprocess.run(cmd + list(args), capture_output=True, text=True,
                         timeout=60)
    kv = {}
    for line in res.stdout.splitlines():
        if "=" in line and " " not in line.split("=", 1)[0]:
            k, v = line.split("=", 1)
            kv.setdefault(k, v)
    return res, kv


class GuideMariaDBTest(DCTestCase):
    dc_name = "guidemysql"

    @classmethod
    def setUpClass(cls):
        cls.db = MariaDB().start()
        uri = cls.db.uri
        cls.extra_conf = {
            # guide 6.3, verbatim but for the host
            "mapistore:namedproperties": "mysql",
            "namedproperties:mysql_user": "openchange-user",
            "namedproperties:mysql_pass": "openchange$123",
            "namedproperties:mysql_host": "127.0.0.1",
            "namedproperties:mysql_port": str(cls.db.port),
            "namedproperties:mysql_db": "openchange",
            "mapistore:indexing_backend": uri,
            "mapiproxy:openchangedb": uri,
        }
        try:
            super().setUpClass()
        except Exception:
            cls.db.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.db.stop()

    def sql(self, query):
        cmd = ["mariadb", "--no-defaults", "--socket=" + self.db.sock,
               "-uroot", "--batch", "--skip-column-names", "openchange",
               "-e", query]
        return subprocess.run(cmd, check=True, capture_output=True,
                              text=True).stdout.split()

    def test_mailbox_lives_in_mariadb(self):
        res, kv = client(self.dc, "send", "--to", "bob@example.com",
                         "--subject", "via MariaDB", "--body", "hi")
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        mid = kv["mid"]
        # the mailbox and its folders are rows of the guide's database
        self.assertIn(ADMIN.lower(),
                      [u.lower() for u in self.sql(
                          "SELECT username FROM ocdb_mailboxes")])
        self.assertGreater(int(self.sql(
            "SELECT COUNT(*) FROM ocdb_folders WHERE mailbox_id <> 0")[0]), 5)
        # a new session finds the message
        res, kv2 = client(self.dc, "logon")
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        res, _ = client(self.dc, "messages", kv2["fid5"])
        self.assertIn(mid, res.stdout)
        # the password is never logged
        self.assertNotIn("openchange$123", self.dc.log_text())


if __name__ == "__main__":
    main()

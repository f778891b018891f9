#!/usr/bin/python3
"""Unit tests: openchangedb URIs, password masking, smb.conf lines, and the
openchangedb_admin wrapper against a scripted fake tool."""
import os
import stat
import tempfile
import unittest

import _path  # noqa: F401
from ocprovision import ocdb as O
from ocprovision.common import OCError, mask_uri

GUIDE_URI = "mysql://openchange-user:openchange$123@localhost/openchange"


class UriTests(unittest.TestCase):
    def test_valid(self):
        for uri in [GUIDE_URI,
                    "mysql://u:p@127.0.0.1:3306/openchange",
                    "mysql://u@localhost/db",
                    "mysql://u:p@localhost/db?socket=/run/mysqld.sock",
                    "sqlite:///var/lib/samba/private/openchangedb.sqlite",
                    "/var/lib/samba/private/openchangedb.sqlite"]:
            with self.subTest(uri=uri):
                self.assertEqual(O.check_uri(uri), uri)

    def test_malformed(self):
        for uri in ["mysql://", "mysql://u:p@/db", "mysql://u:p@host",
                    "mysql://u:secret@host:99999/db", "postgres://u@h/d",
                    "sqlite://relative", "relative/path", "mysql:/u:p@h/d"]:
            with self.subTest(uri=uri):
                with self.assertRaises(OCError) as cm:
                    O.check_uri(uri)
                self.assertNotIn("secret", str(cm.exception))
                self.assertIn("malformed openchangedb URI", str(cm.exception))

    def test_mask(self):
        self.assertEqual(mask_uri(GUIDE_URI),
                         "mysql://openchange-user:***@localhost/openchange")
        self.assertEqual(mask_uri("mysql://u@h/d"), "mysql://u@h/d")
        self.assertEqual(mask_uri("/abs/path"), "/abs/path")
        self.assertIsNone(mask_uri(None))

    def test_smbconf_lines_guide(self):
        text = O.smbconf_lines(GUIDE_URI, show_password=True)
        self.assertEqual(text, (
            "mapistore:namedproperties = mysql\n"
            "namedproperties:mysql_user = openchange-user\n"
            "namedproperties:mysql_pass = openchange$123\n"
            "namedproperties:mysql_host = localhost\n"
            "namedproperties:mysql_db = openchange\n\n"
            "mapistore:indexing_backend = %s\n"
            "mapiproxy:openchangedb = %s\n" % (GUIDE_URI, GUIDE_URI)))

    def test_smbconf_lines_masked(self):
        text = O.smbconf_lines(GUIDE_URI)
        self.assertNotIn("openchange$123", text)
        self.assertIn("namedproperties:mysql_pass = ***", text)


FAKE = """#!/bin/sh
echo "$@" >> "{log}"
case "$*" in
  *provision-server*) if [ -f "{state}" ]; then
        echo "openchangedb_admin: server already provisioned" >&2; exit 1; fi
      touch "{state}"; echo "[+] Public Folders"; exit 0;;
  *fail*) echo "openchangedb_admin: cannot connect to mysql://u:pw@h/db" >&2
      exit 3;;
esac
exit 0
"""


class ToolTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.tmp.name
        self.log = os.path.join(d, "log")
        self.tool = os.path.join(d, "openchangedb_admin")
        with open(self.tool, "w") as f:
            f.write(FAKE.format(log=self.log, state=os.path.join(d, "st")))
        os.chmod(self.tool, stat.S_IRWXU)

    def tearDown(self):
        self.tmp.cleanup()

    def test_argv_and_exists(self):
        db = O.OpenchangeDB(GUIDE_URI, "/priv", tool=self.tool)
        out = db.provision_server("OCDC", "First Organization", "OU")
        self.assertEqual(out, "[+] Public Folders\n")
        with self.assertRaises(OCError) as cm:
            db.provision_server("OCDC", "First Organization", "OU")
        self.assertTrue(O.already_exists(cm.exception))
        with open(self.log) as f:
            first = f.readline().split()
        self.assertEqual(first, ["--uri", GUIDE_URI, "--private-dir", "/priv",
                                 "provision-server", "--server", "OCDC",
                                 "--firstorg", "First", "Organization",
                                 "--firstou", "OU"])

    def test_failure_is_one_masked_sentence(self):
        db = O.OpenchangeDB(None, "/priv", tool=self.tool)
        with self.assertRaises(OCError) as cm:
            db.run(["fail"], "initialised")
        msg = str(cm.exception)
        self.assertNotIn("pw", msg.replace("password", ""))
        self.assertIn("mysql://u:***@h/db", msg)
        self.assertNotIn("\n", msg)

    def test_missing_tool(self):
        db = O.OpenchangeDB(None, "/priv", tool=None)
        db.tool = None
        with self.assertRaises(OCError) as cm:
            db.init()
        self.assertIn("openchangedb_admin is not built or installed",
                      str(cm.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""Unit tests: command lines that fail before touching anything give one
line on stderr, the documented exit code, and no traceback."""
import os
import subprocess
import tempfile
import unittest

import _path

TOOLS = os.path.join(_path.PROVISION_DIR)
PY = "/usr/bin/python3"


def run(tool, *args):
    res = subprocess.run([PY, os.path.join(TOOLS, tool)] + list(args),
                         capture_output=True, text=True, timeout=60)
    return res.returncode, res.stdout, res.stderr


class CliTests(unittest.TestCase):
    def assertOneLine(self, err):
        self.assertNotIn("Traceback", err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_usage_errors(self):
        cases = [
            ("openchange_provision", []),
            ("openchange_provision", ["--standalone", "--deprovision"]),
            ("openchange_provision", ["--bogus"]),
            ("openchange_newuser", ["--create"]),
            ("openchange_newuser", ["--create", "--delete", "u"]),
            ("openchange_newuser", ["--mailbox", "--delete", "u"]),
            ("openchange_user_cleanup", []),
        ]
        for tool, args in cases:
            with self.subTest(tool=tool, args=args):
                rc, out, err = run(tool, *args)
                self.assertEqual(rc, 2)
                self.assertOneLine(err)

    def test_malformed_uri_masks_password(self):
        rc, out, err = run("openchange_provision", "--openchangedb",
                           "--openchangedb-uri", "mysql://u:s3cret@/x")
        self.assertEqual(rc, 1)
        self.assertOneLine(err)
        self.assertNotIn("s3cret", err)

    def test_bad_firstorg(self):
        rc, out, err = run("openchange_provision", "--standalone",
                           "--firstorg", "a/b")
        self.assertEqual(rc, 1)
        self.assertOneLine(err)

    def test_missing_smbconf(self):
        rc, out, err = run("openchange_provision", "--standalone", "-s",
                           "/nonexistent/smb.conf")
        self.assertEqual(rc, 1)
        self.assertOneLine(err)
        self.assertIn("does not exist", err)

    def test_not_a_dc(self):
        with tempfile.TemporaryDirectory() as d:
            conf = os.path.join(d, "smb.conf")
            with open(conf, "w") as f:
                f.write("[global]\n\tserver role = member server\n"
                        "\tworkgroup = EXAMPLE\n\tsecurity = ads\n"
                        "\trealm = EXAMPLE.COM\n\tprivate dir = %s\n"
                        "\tdsdb:schema update allowed = true\n" % d)
            for tool, args in [("openchange_provision", ["--standalone"]),
                               ("openchange_newuser", ["--create", "u"])]:
                rc, out, err = run(tool, "-s", conf, *args)
                self.assertEqual(rc, 1)
                self.assertOneLine(err)
                self.assertIn("not an Active Directory domain controller", err)
            self.assertEqual(os.listdir(d), ["smb.conf"])   # nothing created

    def test_print_smbconf(self):
        uri = "mysql://openchange-user:openchange$123@localhost/openchange"
        rc, out, err = run("openchange_provision", "--print-smbconf",
                           "--openchangedb-uri", uri)
        self.assertEqual(rc, 0)
        self.assertIn("mapiproxy:openchangedb = "
                      "mysql://openchange-user:***@localhost/openchange", out)
        self.assertNotIn("openchange$123", out)

    def test_help(self):
        for tool in ["openchange_provision", "openchange_newuser",
                     "openchange_user_cleanup"]:
            rc, out, err = run(tool, "--help")
            self.assertEqual(rc, 0)
            self.assertIn("--configfile", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)

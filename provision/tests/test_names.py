#!/usr/bin/python3
"""Unit tests: Exchange names and legacyExchangeDN formats (names.py)."""
import unittest

import _path  # noqa: F401
from ocprovision import names as N

CONFIG = "CN=Configuration,DC=example,DC=com"


class LegacyDNTests(unittest.TestCase):
    # formats the RFR/NSPI code answers for (doc/provisioning.md)
    CASES = [
        (N.org_legacy_dn, ("First Organization",), "/o=First Organization"),
        (N.admin_group_legacy_dn, ("First Organization",
                                   "First Administrative Group"),
         "/o=First Organization/ou=First Administrative Group"),
        (N.server_legacy_dn, ("First Organization",
                              "First Administrative Group", "ocdc"),
         "/o=First Organization/ou=First Administrative Group"
         "/cn=Configuration/cn=Servers/cn=OCDC"),
        (N.private_mdb_legacy_dn, ("O", "OU", "ocdc"),
         "/o=O/ou=OU/cn=Configuration/cn=Servers/cn=OCDC"
         "/cn=Microsoft Private MDB"),
        (N.public_mdb_legacy_dn, ("O", "OU", "ocdc"),
         "/o=O/ou=OU/cn=Configuration/cn=Servers/cn=OCDC"
         "/cn=Microsoft Public MDB"),
        (N.user_legacy_dn, ("First Organization",
                            "First Administrative Group", "alice"),
         "/o=First Organization/ou=First Administrative Group"
         "/cn=Recipients/cn=alice"),
    ]

    def test_formats(self):
        for func, args, want in self.CASES:
            with self.subTest(func=func.__name__):
                self.assertEqual(func(*args), want)


class DNTests(unittest.TestCase):
    def test_layout(self):
        d = N.ExchangeDNs(CONFIG, "First Organization",
                          "First Administrative Group", "ocdc")
        self.assertEqual(d.exchange,
                         "CN=Microsoft Exchange,CN=Services," + CONFIG)
        self.assertEqual(d.server,
                         "CN=OCDC,CN=Servers,CN=First Administrative Group,"
                         "CN=Administrative Groups,CN=First Organization,"
                         "CN=Microsoft Exchange,CN=Services," + CONFIG)
        self.assertTrue(d.private_mdb.startswith(
            "CN=Mailbox Store (OCDC),CN=First Storage Group,"
            "CN=InformationStore,CN=OCDC,"))
        self.assertTrue(d.default_gal.startswith(
            "CN=Default Global Address List,CN=All Global Address Lists,"
            "CN=Address Lists Container,CN=First Organization,"))
        self.assertEqual(d.server_legacy, N.server_legacy_dn(
            "First Organization", "First Administrative Group", "OCDC"))

    def test_rdn_escape(self):
        cases = [("a,b", "a\\,b"), ("a+b", "a\\+b"), (" x ", "\\ x\\ "),
                 ("#x", "\\#x"), ("plain name", "plain name"),
                 ('q"uote', 'q\\"uote'), ("a\\b", "a\\\\b")]
        for raw, want in cases:
            with self.subTest(raw=raw):
                self.assertEqual(N.rdn_escape(raw), want)


class CheckTests(unittest.TestCase):
    def test_bad_names(self):
        for bad in ["", "   ", "a/b", "a=b", "x" * 65, " lead", "tab\there"]:
            with self.subTest(bad=bad):
                self.assertRaises(ValueError, N.check_name, "name", bad)

    def test_good_names(self):
        for good in ["First Organization", "Org, Inc.", "x" * 64]:
            self.assertEqual(N.check_name("name", good), good)

    def test_mail(self):
        self.assertEqual(N.check_mail("a.b@example.com"), "a.b@example.com")
        for bad in ["", "alice", "a@b", "a b@example.com", "<a@b.c>",
                    "a@@b.com"]:
            with self.subTest(bad=bad):
                self.assertRaises(ValueError, N.check_mail, bad)

    def test_proxies(self):
        self.assertEqual(N.smtp_proxy("a@b.c"), "SMTP:a@b.c")
        self.assertEqual(N.smtp_proxy("a@b.c", False), "smtp:a@b.c")
        self.assertEqual(N.x500_proxy("/o=X"), "X500:/o=X")


if __name__ == "__main__":
    unittest.main(verbosity=2)

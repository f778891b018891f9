#!/usr/bin/python3
"""openchange_newuser and openchange_user_cleanup (without openchangedb)
against a real, provisioned Samba AD DC copy.  Guide sections 7 and 9.1.1."""

import base64
import os
import unittest

from test_provision_helpers import (CONFIG, DOMAIN, ORG, OU, add_user, highest_usn,
                               ldbsearch, new_dc, one_line, tool)
from ocprovision import config as C
from ocprovision.names import ExchangeDNs

LEGACY = "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="


class NewUserTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dc = new_dc("newuser")
        cls.sam = cls.dc.samdb_path
        rc, out, err = tool("openchange_provision", "-s", cls.dc.smbconf,
                            "--standalone")
        assert rc == 0, err
        for u in ("alice", "bob", "carol", "dave"):
            add_user(cls.dc, u)
        cls.dns = ExchangeDNs(CONFIG, ORG, OU, "OCDC")

    @classmethod
    def tearDownClass(cls):
        cls.dc.cleanup()

    def newuser(self, *args):
        return tool("openchange_newuser", "-s", self.dc.smbconf, *args)

    def user(self, name, *attrs):
        got = ldbsearch(self.sam, DOMAIN, "(sAMAccountName=%s)" % name,
                        *attrs)
        self.assertEqual(len(got), 1)
        return list(got.values())[0]

    def test_create_sets_exchange_attributes(self):
        rc, out, err = self.newuser("--create", "alice")
        self.assertEqual(rc, 0, err)
        self.assertIn("mailbox folders will be created at first logon", out)
        u = self.user("alice", "mailNickname", "legacyExchangeDN",
                      "proxyAddresses", "homeMDB", "homeMTA",
                      "msExchHomeServerName", "msExchUserAccountControl",
                      "msExchRecipientTypeDetails",
                      "msExchRecipientDisplayType", "displayName", "mail",
                      "showInAddressBook", "msExchMailboxGuid")
        d = self.dns
        self.assertEqual(u["mailNickname"], ["alice"])
        self.assertEqual(u["legacyExchangeDN"], [LEGACY + "alice"])
        self.assertEqual(u["proxyAddresses"],
                         ["SMTP:alice@example.com", "X500:" + LEGACY + "alice"])
        self.assertEqual(u["homeMDB"], [d.private_mdb])
        self.assertEqual(u["homeMTA"], [d.server])
        self.assertEqual(u["msExchHomeServerName"], [d.server_legacy])
        self.assertEqual(u["msExchUserAccountControl"], ["0"])
        self.assertEqual(u["msExchRecipientTypeDetails"], ["1"])
        self.assertEqual(u["msExchRecipientDisplayType"], ["1073741824"])
        self.assertEqual(u["displayName"], ["alice"])
        self.assertEqual(u["mail"], ["alice@example.com"])
        self.assertEqual(sorted(u["showInAddressBook"]),
                         sorted([d.default_gal, d.all_users]))
        self.assertEqual(len(base64.b64decode(u["msExchMailboxGuid"][0])), 16)

    def test_nspi_attributes_resolve(self):
        self.assertEqual(self.newuser("--create", "bob")[0], 0)
        u = self.user("bob", "homeMDB", "msExchHomeServerName")
        # homeMDB -> the store, whose legacy DN names this server
        store = list(ldbsearch(self.sam, u["homeMDB"][0], "(objectClass=*)",
                               "legacyExchangeDN", "homeMDBBL",
                               scope="base").values())[0]
        self.assertEqual(store["legacyExchangeDN"],
                         [self.dns.server_legacy + "/cn=Microsoft Private MDB"])
        self.assertTrue(any("CN=bob," in v for v in store["homeMDBBL"]))
        # msExchHomeServerName -> the server object (RFR/EMSMDB lookup)
        srv = ldbsearch(self.sam, "CN=Services," + CONFIG,
                        "(legacyExchangeDN=%s)" % u["msExchHomeServerName"][0],
                        "objectClass")
        self.assertEqual(list(srv.keys()), [self.dns.server])
        # the legacy DN of the user (PidTagEmailAddress) finds the user
        by_dn = ldbsearch(self.sam, DOMAIN,
                          "(legacyExchangeDN=%sbob)" % LEGACY, "cn")
        self.assertEqual(len(by_dn), 1)
        # address list membership as NSPI computes it
        for search in (C.SEARCH_GAL, C.SEARCH_USERS):
            members = ldbsearch(self.sam, DOMAIN, search, "sAMAccountName")
            names = [v["sAMAccountName"][0] for v in members.values()]
            self.assertIn("bob", names)
        anr = ldbsearch(self.sam, DOMAIN, "(anr=bob)", "sAMAccountName")
        self.assertIn("bob", [v["sAMAccountName"][0] for v in anr.values()])

    def test_create_twice_is_harmless(self):
        self.assertEqual(self.newuser("--create", "carol")[0], 0)
        before = highest_usn(self.dc)
        rc, out, err = self.newuser("--create", "carol")
        self.assertEqual(rc, 0, err)
        self.assertIn("already has a mailbox", out)
        self.assertEqual(highest_usn(self.dc), before)

    def test_unknown_user(self):
        before = highest_usn(self.dc)
        for action in ("--create", "--delete", "--enable"):
            rc, out, err = self.newuser(action, "nosuchuser")
            self.assertEqual(rc, 1)
            one_line(self, err)
            self.assertIn("no user 'nosuchuser'", err)
        self.assertEqual(highest_usn(self.dc), before)

    def test_bad_mail_changes_nothing(self):
        before = highest_usn(self.dc)
        rc, out, err = self.newuser("--create", "--mail", "not-an-address",
                                    "dave")
        self.assertEqual(rc, 1)
        one_line(self, err)
        self.assertEqual(highest_usn(self.dc), before)

    def test_enable_disable_mail_delete(self):
        self.assertEqual(self.newuser("--create", "--mail",
                                      "dave@mail.example.org", "dave")[0], 0)
        self.assertEqual(self.user("dave", "mail")["mail"],
                         ["dave@mail.example.org"])
        self.assertEqual(self.newuser("--disable", "dave")[0], 0)
        self.assertEqual(self.user("dave", "msExchUserAccountControl")
                         ["msExchUserAccountControl"], ["2"])
        self.assertEqual(self.newuser("--enable", "dave")[0], 0)
        self.assertEqual(self.user("dave", "msExchUserAccountControl")
                         ["msExchUserAccountControl"], ["0"])
        self.assertEqual(self.newuser("--mail", "d@example.com", "dave")[0], 0)
        self.assertEqual(self.user("dave", "proxyAddresses")["proxyAddresses"],
                         ["SMTP:d@example.com", "smtp:dave@mail.example.org",
                          "X500:" + LEGACY + "dave"])
        # deprovision is refused while users are homed here
        before = highest_usn(self.dc)
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--deprovision")
        self.assertEqual(rc, 1)
        one_line(self, err)
        self.assertIn("still have their mailbox on this server", err)
        self.assertEqual(highest_usn(self.dc), before)
        rc, out, err = self.newuser("--delete", "dave")
        self.assertEqual(rc, 0, err)
        u = self.user("dave", "mailNickname", "homeMDB", "legacyExchangeDN",
                      "showInAddressBook", "proxyAddresses")
        for gone in ("mailNickname", "homeMDB", "legacyExchangeDN",
                     "showInAddressBook"):
            self.assertNotIn(gone, u)
        self.assertNotIn("X500:" + LEGACY + "dave", u["proxyAddresses"])
        rc, out, err = self.newuser("--enable", "dave")
        self.assertEqual(rc, 1)
        one_line(self, err)


class NotProvisionedTests(unittest.TestCase):
    def test_newuser_before_provision(self):
        dc = new_dc("newuser-np")
        try:
            add_user(dc, "erin")
            before = highest_usn(dc)
            rc, out, err = tool("openchange_newuser", "-s", dc.smbconf,
                                "--create", "erin")
            self.assertEqual(rc, 1)
            one_line(self, err)
            self.assertIn("openchange_provision --standalone", err)
            self.assertEqual(highest_usn(dc), before)
        finally:
            dc.cleanup()


class CleanupFilesTests(unittest.TestCase):
    """The file-system part of openchange_user_cleanup (the openchangedb
    part is in test_provision_ocdb.py)."""

    def test_cache_and_local_store(self):
        dc = new_dc("cleanup")
        try:
            store = os.path.join(dc.dir, "private", "mapistore", "frank")
            os.makedirs(os.path.join(store, "cache"))
            for p in ("cache/imap.db", "password", "local.db"):
                with open(os.path.join(store, p), "w") as f:
                    f.write("x\n")
            args = ["-s", dc.smbconf, "--skip-openchangedb"]
            rc, out, err = tool("openchange_user_cleanup", "--dry-run",
                                *args, "frank")
            self.assertEqual(rc, 0, err)
            self.assertIn("would remove cache", out)
            self.assertIn("IMAP mail and SOGo data of 'frank' are left "
                          "untouched", out)
            self.assertTrue(os.path.exists(os.path.join(store, "cache")))
            rc, out, err = tool("openchange_user_cleanup", *args, "frank")
            self.assertEqual(rc, 0, err)
            self.assertFalse(os.path.exists(os.path.join(store, "cache")))
            self.assertTrue(os.path.exists(os.path.join(store, "password")))
            rc, out, err = tool("openchange_user_cleanup", "--local-store",
                                *args, "frank")
            self.assertEqual(rc, 0, err)
            self.assertFalse(os.path.exists(store))
            rc, out, err = tool("openchange_user_cleanup", *args, "../x")
            self.assertEqual(rc, 1)
            one_line(self, err)
        finally:
            dc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""openchange_provision --standalone / --deprovision against a real Samba AD
DC (a prepared copy of the template DC; samba need not run: the tool opens
sam.ldb directly, as samba-tool does).  Guide sections 6.2 and 6.3."""

import os
import tempfile
import unittest

from test_provision_helpers import (CONFIG, ORG, OU, SCHEMA, highest_usn,
                               ldbsearch, new_dc, one_line, tool)
from ocprovision import schema_table as T
from ocprovision import config as C
from ocprovision.names import ExchangeDNs

GUIDE_STEPS = ["[+] Step 1: Register Exchange OIDs",
               "[+] Step 2: Add Exchange attributes to Samba schema",
               "[+] Step 3: Add Exchange auxiliary classes to Samba schema",
               "Extend existing Samba classes and attributes",
               "Generic Exchange configuration objects",
               "Finalize generic Exchange configuration objects",
               "[SUCCESS] Done!",
               "[+] Step 1: Exchange Samba registration",
               "[+] Step 1: Register Exchange Samba as the main server"]


class StandaloneTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dc = new_dc("prov")
        cls.sam = cls.dc.samdb_path
        cls.rc, cls.out, cls.err = tool("openchange_provision", "-s",
                                        cls.dc.smbconf, "--standalone")
        cls.dns = ExchangeDNs(CONFIG, ORG, OU, "OCDC")

    @classmethod
    def tearDownClass(cls):
        cls.dc.cleanup()

    def test_1_output(self):
        self.assertEqual(self.rc, 0, self.err)
        self.assertEqual(self.err, "")
        for step in GUIDE_STEPS:
            self.assertIn(step, self.out)

    def test_2_schema_attributes(self):
        for row in T.ATTRIBUTES:
            with self.subTest(attr=row[0]):
                got = ldbsearch(self.sam, SCHEMA,
                                "(lDAPDisplayName=%s)" % row[0],
                                "attributeID", "attributeSyntax", scope="one")
                self.assertEqual(len(got), 1)
                entry = list(got.values())[0]
                self.assertEqual(entry["attributeID"], [row[2]])
                self.assertEqual(entry["attributeSyntax"],
                                 [T.SYNTAX[row[3]][0]])

    def test_2_schema_classes(self):
        for row in T.CLASSES:
            with self.subTest(cls=row[0]):
                got = ldbsearch(self.sam, SCHEMA,
                                "(lDAPDisplayName=%s)" % row[0], "governsID",
                                scope="one")
                self.assertEqual([e["governsID"] for e in got.values()],
                                 [[row[2]]])
        user = ldbsearch(self.sam, SCHEMA, "(lDAPDisplayName=user)",
                         "auxiliaryClass", scope="one")
        aux = list(user.values())[0]["auxiliaryClass"]
        for cls in ("msExchBaseClass", "msExchMailStorage",
                    "msExchCustomAttributes"):
            self.assertIn(cls, aux)

    def test_3_configuration_objects(self):
        d = self.dns
        for key, phase, builder in C.OBJECTS:
            dn = getattr(d, key)
            with self.subTest(dn=dn):
                got = ldbsearch(self.sam, dn, "(objectClass=*)",
                                "objectClass", scope="base")
                self.assertEqual(len(got), 1)
                want = builder(d, {"fqdn": "x", "version": "x"})
                self.assertIn(want["objectClass"],
                              list(got.values())[0]["objectClass"])
        srv = list(ldbsearch(self.sam, d.server, "(objectClass=*)",
                             "legacyExchangeDN", "networkAddress",
                             scope="base").values())[0]
        self.assertEqual(srv["legacyExchangeDN"],
                         ["/o=First Organization/ou=First Administrative Group"
                          "/cn=Configuration/cn=Servers/cn=OCDC"])
        self.assertIn("ncacn_ip_tcp:ocdc.example.com", srv["networkAddress"])
        mdb = list(ldbsearch(self.sam, d.private_mdb, "(objectClass=*)",
                             "legacyExchangeDN", "msExchHomePublicMDB",
                             scope="base").values())[0]
        self.assertEqual(mdb["legacyExchangeDN"],
                         [d.server_legacy + "/cn=Microsoft Private MDB"])
        self.assertEqual(mdb["msExchHomePublicMDB"], [d.public_mdb])
        roots = list(ldbsearch(self.sam, d.exchange, "(objectClass=*)",
                               "addressBookRoots", "globalAddressList",
                               scope="base").values())[0]
        self.assertEqual(roots["addressBookRoots"], [d.all_address_lists])
        self.assertEqual(roots["globalAddressList"], [d.default_gal])
        gal = list(ldbsearch(self.sam, d.default_gal, "(objectClass=*)",
                             "purportedSearch", "displayName",
                             scope="base").values())[0]
        self.assertEqual(gal["displayName"], ["Default Global Address List"])
        self.assertEqual(gal["purportedSearch"], [C.SEARCH_GAL])

    def test_4_run_twice_is_harmless(self):
        before = highest_usn(self.dc)
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--standalone")
        self.assertEqual(rc, 0, err)
        self.assertIn("Already provisioned", out)
        self.assertEqual(highest_usn(self.dc), before)

    def test_5_second_organization_refused(self):
        before = highest_usn(self.dc)
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--standalone", "--firstorg", "Other Org")
        self.assertEqual(rc, 1)
        one_line(self, err)
        self.assertIn("already provisioned for organization "
                      "'First Organization'", err)
        self.assertEqual(highest_usn(self.dc), before)

    def test_9_deprovision_restores(self):
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--deprovision")
        self.assertEqual(rc, 0, err)
        self.assertIn("[SUCCESS] Removed %d configuration objects"
                      % len(C.OBJECTS), out)
        got = ldbsearch(self.sam, "CN=Services," + CONFIG,
                        "(|(cn=Microsoft Exchange)(legacyExchangeDN=*))", "cn")
        self.assertEqual(got, {})
        user = ldbsearch(self.sam, SCHEMA, "(lDAPDisplayName=user)",
                         "auxiliaryClass", scope="one")
        aux = list(user.values())[0].get("auxiliaryClass", [])
        self.assertNotIn("msExchMailStorage", aux)
        abc = ldbsearch(self.sam, SCHEMA,
                        "(lDAPDisplayName=addressBookContainer)",
                        "possSuperiors", scope="one")
        self.assertNotIn("msExchContainer",
                         list(abc.values())[0].get("possSuperiors", []))
        # again: nothing to do
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--deprovision")
        self.assertEqual(rc, 0, err)
        self.assertIn("nothing to remove", out)
        # and provisioning works again on the deprovisioned directory
        rc, out, err = tool("openchange_provision", "-s", self.dc.smbconf,
                            "--standalone", "--firstorg", "Second Org",
                            "--firstou", "Second Group")
        self.assertEqual(rc, 0, err)
        got = ldbsearch(self.sam, "CN=Services," + CONFIG,
                        "(objectClass=msExchOrganizationContainer)",
                        "legacyExchangeDN")
        self.assertEqual([v["legacyExchangeDN"] for v in got.values()],
                         [["/o=Second Org"]])


class RefusalTests(unittest.TestCase):
    def test_schema_updates_not_allowed(self):
        dc = new_dc("prov-noschema",
                    extra_conf={"dsdb:schema update allowed": None})
        try:
            before = highest_usn(dc)
            rc, out, err = tool("openchange_provision", "-s", dc.smbconf,
                                "--standalone")
            self.assertEqual(rc, 1)
            one_line(self, err)
            self.assertIn("schema updates are not allowed", err)
            rc, out, err = tool("openchange_provision", "-s", dc.smbconf,
                                "--deprovision")
            self.assertEqual(rc, 1)
            one_line(self, err)
            self.assertEqual(highest_usn(dc), before)
        finally:
            dc.cleanup()

    def test_not_a_dc(self):
        with tempfile.TemporaryDirectory() as d:
            conf = os.path.join(d, "smb.conf")
            with open(conf, "w") as f:
                f.write("[global]\n\tserver role = member server\n"
                        "\tsecurity = ads\n\tworkgroup = EXAMPLE\n"
                        "\trealm = EXAMPLE.COM\n\tprivate dir = %s\n"
                        "\tlock directory = %s\n"
                        "\tdsdb:schema update allowed = true\n" % (d, d))
            for args in (["--standalone"], ["--deprovision"]):
                rc, out, err = tool("openchange_provision", "-s", conf, *args)
                self.assertEqual(rc, 1)
                one_line(self, err)
                self.assertIn("not an Active Directory domain controller",
                              err)
            self.assertFalse(os.path.exists(os.path.join(d, "sam.ldb")))

    def test_dc_without_samdb(self):
        with tempfile.TemporaryDirectory() as d:
            conf = os.path.join(d, "smb.conf")
            with open(conf, "w") as f:
                f.write("[global]\n\tserver role = active directory domain "
                        "controller\n\tworkgroup = EXAMPLE\n"
                        "\trealm = EXAMPLE.COM\n\tprivate dir = %s\n"
                        "\tdsdb:schema update allowed = true\n" % d)
            rc, out, err = tool("openchange_provision", "-s", conf,
                                "--standalone")
            self.assertEqual(rc, 1)
            one_line(self, err)
            self.assertFalse(os.path.exists(os.path.join(d, "sam.ldb")))


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""Unit tests: consistency of the schema and configuration tables."""
import re
import unittest

import _path  # noqa: F401
from ocprovision import config as C
from ocprovision import schema_table as T
from ocprovision.names import ExchangeDNs

OID = re.compile(r"^1\.2\.840\.113556\.1\.[0-9.]+$")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                  r"[0-9a-f]{12}$")
# attributes of Samba's base schema that the tables may refer to
BASE_ATTRS = {"legacyExchangeDN", "showInAddressBook", "displayName",
              "networkAddress", "versionNumber", "serverRole", "serialNumber",
              "adminDisplayName"}
BASE_CLASSES = {"top", "container", "server"}


class SchemaTableTests(unittest.TestCase):
    def test_attributes(self):
        names, oids, links = set(), set(), set()
        for row in T.ATTRIBUTES:
            name, cn, oid, syntax, single, guid, extra, use = row
            with self.subTest(name=name):
                self.assertRegex(oid, OID)
                self.assertIn(syntax, T.SYNTAX)
                self.assertTrue(cn.startswith("ms-Exch-"))
                if guid is not None:
                    self.assertRegex(guid, GUID)
                self.assertTrue(use)
                self.assertNotIn(name, names)
                self.assertNotIn(oid, oids)
                names.add(name)
                oids.add(oid)
                if "linkID" in extra:
                    links.add(int(extra["linkID"]))
        # homeMDB (32) is a forward link, homeMDBBL (33) its back link
        self.assertEqual(links, {32, 33})

    def test_classes_refer_to_known_names(self):
        attrs = {r[0] for r in T.ATTRIBUTES} | BASE_ATTRS
        seen = set(BASE_CLASSES)
        for row in T.CLASSES:
            name, cn, oid, cat, sub, poss, may, aux, guid, use = row
            with self.subTest(name=name):
                self.assertRegex(oid, OID)
                self.assertIn(cat, (1, 3))
                # ordered: every class it refers to is defined before it
                for ref in [sub] + poss + aux:
                    self.assertIn(ref, seen)
                for a in may:
                    self.assertIn(a, attrs)
            seen.add(name)
        for cls, attr, values in T.EXTENSIONS:
            for v in values:
                self.assertIn(v, seen)

    def test_recipient_attributes_are_ours(self):
        ours = {r[0] for r in T.ATTRIBUTES}
        self.assertTrue(set(T.RECIPIENT_ATTRIBUTES) <= ours)


class ConfigTableTests(unittest.TestCase):
    def test_parents_first(self):
        d = ExchangeDNs("CN=Configuration,DC=x", "First Organization",
                        "First Administrative Group", "OCDC")
        created = set()
        for key, phase, builder in C.OBJECTS:
            dn = getattr(d, key)
            parent = dn.split(",", 1)[1]
            with self.subTest(key=key):
                if key != "exchange":
                    self.assertIn(parent, created)
                attrs = builder(d, {"fqdn": "ocdc.x", "version": "0"})
                self.assertIn("objectClass", attrs)
            created.add(dn)

    def test_guide_objects_present(self):
        keys = {row[0] for row in C.OBJECTS}
        for k in ["org_dn", "admin_group", "servers", "server",
                  "storage_group", "private_mdb", "public_mdb",
                  "all_address_lists", "default_gal", "all_users",
                  "all_groups", "all_contacts", "offline_lists",
                  "address_templates", "display_templates"]:
            self.assertIn(k, keys)

    def test_purported_searches_balanced(self):
        for s in (C.SEARCH_GAL, C.SEARCH_USERS, C.SEARCH_GROUPS,
                  C.SEARCH_CONTACTS):
            self.assertEqual(s.count("("), s.count(")"))


if __name__ == "__main__":
    unittest.main(verbosity=2)

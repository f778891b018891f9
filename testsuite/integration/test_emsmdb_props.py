"""Computed properties (issue 7) and search folders through a real Samba AD
DC with the module loaded, driven by the project's client
(client/openchange-client `props` and `search`): entry IDs, source and
change keys of a folder and a message as Outlook reads them
(RopGetPropertiesSpecific), the same values in table rows, the folder's
entry ID resolved back by RopIdFromLongTermId, the Store Object EntryID,
PidTagContentUnreadCount before and after RopSetMessageReadFlag, and a
search folder over the Inbox ([MS-OXCFOLD] 2.2.1.4)."""

import os
import struct
import subprocess

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


def globcnt(fid):
    """The GLOBCNT bytes of an ID as the entry ID / source key carry them."""
    return struct.pack("<Q", fid)[2:8]


class EmsmdbPropsTest(DCTestCase):
    dc_name = "props"

    def run_client(self, *args, timeout=300):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        self.assertEqual(res.returncode, 0, "%s\nstdout:\n%s\nstderr:\n%s" %
                         (cmd, res.stdout, res.stderr))
        kv = {}
        rows = []
        for line in res.stdout.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                if k == "search_row":
                    rows.append(v)
                kv.setdefault(k, v)
        return kv, rows

    def test_identifiers_as_outlook_reads_them(self):
        kv, _ = self.run_client("props", "--subject", "computed props")
        self.assertEqual(kv["props"], "0")
        inbox = int(kv["inbox"], 16)

        # [MS-OXCDATA] 2.2.4.1 Folder EntryID: 46 bytes, eitLTPrivateFolder,
        # the Inbox's GLOBCNT, and RopIdFromLongTermId gives the FID back
        eid = bytes.fromhex(kv["inbox.entryid"])
        self.assertEqual(len(eid), 46)
        self.assertEqual(eid[0:4], b"\0\0\0\0")
        self.assertEqual(eid[20:22], b"\x01\x00")
        self.assertEqual(eid[38:44], globcnt(inbox))
        self.assertEqual(eid[44:46], b"\0\0")
        self.assertEqual(int(kv["inbox.resolved"], 16), inbox)
        self.assertEqual(kv["inbox.record_key"], kv["inbox.entryid"])
        # the source key: the replica GUID (the entry ID's DatabaseGuid)
        # and the GLOBCNT, most significant byte first
        sk = bytes.fromhex(kv["inbox.source_key"])
        self.assertEqual(len(sk), 22)
        self.assertEqual(sk[0:16], eid[22:38])
        self.assertEqual(sk[16:22], globcnt(inbox))
        self.assertEqual(len(bytes.fromhex(kv["inbox.change_key"])), 22)
        self.assertEqual(len(bytes.fromhex(kv["inbox.parent_entryid"])), 46)
        # the same Inbox as a row of the IPM subtree's hierarchy table
        self.assertEqual(kv["inbox_row.entryid"], kv["inbox.entryid"])
        self.assertEqual(kv["inbox_row.source_key"], kv["inbox.source_key"])

        # [MS-OXCDATA] 2.2.4.2 Message EntryID: 70 bytes, the folder's part
        # then the message's
        mid = int(kv["msg.mid"], 16)
        meid = bytes.fromhex(kv["msg.entryid"])
        self.assertEqual(len(meid), 70)
        self.assertEqual(meid[4:20], eid[4:20])
        self.assertEqual(meid[20:22], b"\x07\x00")
        self.assertEqual(meid[22:46], eid[22:46])
        self.assertEqual(meid[62:68], globcnt(mid))
        self.assertEqual(kv["msg.parent_entryid"], kv["inbox.entryid"])
        self.assertEqual(kv["msg.parent_source_key"], kv["inbox.source_key"])
        msk = bytes.fromhex(kv["msg.source_key"])
        self.assertEqual(msk[0:16], sk[0:16])
        self.assertEqual(msk[16:22], globcnt(mid))
        pcl = bytes.fromhex(kv["msg.pcl"])
        ck = bytes.fromhex(kv["msg.change_key"])
        self.assertIn(bytes([len(ck)]) + ck, pcl)
        self.assertGreater(int(kv["msg.size"]), 0)
        self.assertNotEqual(int(kv["msg.last_modified"], 16), 0)
        # the same message as a contents table row
        for k in ("entryid", "source_key", "change_key"):
            self.assertEqual(kv["msg_row." + k], kv["msg." + k])
        self.assertEqual(len(bytes.fromhex(kv["msg_row.instance_key"])), 8)

        # unread count: one more after the new unread message, one less
        # once it is read
        self.assertEqual(int(kv["unread.unread"]), int(kv["before.unread"]) + 1)
        self.assertEqual(int(kv["after.unread"]), int(kv["before.unread"]))

        # [MS-OXCDATA] 2.2.4.3 Store Object EntryID wrapped by emsmdb.dll
        store = bytes.fromhex(kv["store.store_entryid"])
        self.assertEqual(store[4:20], bytes.fromhex("38a1bb1005e5101aa1bb08002b2a56c2"))
        self.assertEqual(store[22:32], b"emsmdb.dll")
        self.assertEqual(store[56:60], b"\x0c\0\0\0")
        self.assertEqual(kv["store.store_record_key"], eid[4:20].hex())
        owner = bytes.fromhex(kv["store.owner_entryid"])
        self.assertEqual(owner[4:20], bytes.fromhex("dca740c8c042101ab4b908002b2fe182"))
        self.assertTrue(owner[28:].rstrip(b"\0").lower().endswith(
            ("/cn=%s" % ADMIN).lower().encode()))

    def test_search_folder(self):
        self.run_client("props", "--subject", "quince one")
        self.run_client("props", "--subject", "Quince two")
        self.run_client("props", "--subject", "pear")
        kv, rows = self.run_client("search", "quince")
        self.assertEqual(kv["search"], "0")
        # SEARCH_RUNNING | SEARCH_COMPLETE | SEARCH_RECURSIVE
        self.assertEqual(int(kv["search_flags"], 16), 0x1005)
        self.assertEqual(int(kv["search_count"]), 2)
        subjects = sorted(r.split(" ", 2)[2] for r in rows)
        self.assertEqual(subjects, ["Quince two", "quince one"])
        inbox = int(kv["inbox"], 16)
        for r in rows:
            self.assertEqual(int(r.split(" ")[1], 16), inbox)


if __name__ == "__main__":
    main()

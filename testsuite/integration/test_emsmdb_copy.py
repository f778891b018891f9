"""Issue 7 through a real Samba AD DC with the module loaded, driven by the
project's client (client/openchange-client, occ_cli_copy.c): a folder tree
copied with RopCopyFolder (WantRecursive) into another special folder and
seen from another session, then moved with RopMoveFolder; RopCopyTo of a
message with a file attachment and an embedded message; RopSetReadFlags
on 50 messages with the unread count before and after; the receive folder
table. Every client run is its own EcDoConnectEx session."""

import os
import subprocess
import tempfile

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

ecFolderCycle = 0x8004060B
ecDuplicateName = 0x80040604
ecAccessDenied = 0x80070005
PidTagMessageAttachments = "0e13000d"


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


class EmsmdbCopyTest(DCTestCase):
    dc_name = "copy"

    def client(self, *args, ok=True, timeout=300):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if ok:
            self.assertEqual(res.returncode, 0, "%s\nstdout:\n%s\nstderr:\n%s" %
                             (cmd, res.stdout, res.stderr))
        kv, lines = {}, res.stdout.splitlines()
        for line in lines:
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        return kv, lines

    def folders(self):
        kv, _ = self.client("logon")
        return int(kv["fid4"], 16), int(kv["fid7"], 16)

    def tree(self, fid):
        """{fid: (parent, name, messages, unread)} of the tree below fid"""
        kv, lines = self.client("tree", "0x%x" % fid)
        self.assertEqual(int(kv["tree"], 16), 0)
        nodes = {}
        for line in lines:
            if not line.startswith("node "):
                continue
            head, name = line.split(" name=", 1)
            f = dict(x.split("=", 1) for x in head.split()[1:])
            nodes[int(f["fid"], 16)] = (int(f["parent"], 16), name,
                                        int(f["messages"]), int(f["unread"]))
        return nodes

    def child(self, nodes, parent, name):
        found = [f for f, n in nodes.items() if n[0] == parent and n[1] == name]
        return found[0] if found else None

    def mkfolder(self, parent, name):
        kv, _ = self.client("mkfolder", "0x%x" % parent, name)
        return int(kv["folder_fid"], 16)

    def mkmsg(self, fid, subject, count=1):
        _, lines = self.client("mkmsg", "0x%x" % fid, subject, str(count))
        return [int(line.split("=", 1)[1], 16) for line in lines
                if line.startswith("mid=")]

    def test_copy_then_move_folder_tree(self):
        inbox, deleted = self.folders()
        tree = self.mkfolder(inbox, "Copy tree")
        sub = self.mkfolder(tree, "Sub")
        self.mkmsg(tree, "in tree", 2)
        self.mkmsg(sub, "in sub", 1)
        kv, _ = self.client("copy-folder", "0x%x" % inbox, "0x%x" % tree,
                            "0x%x" % deleted, "Tree copy", "--recursive")
        self.assertEqual(int(kv["copy_folder"], 16), 0)
        self.assertEqual(kv["partial"], "0")
        # another session sees the copy: new IDs, same shape and content
        nodes = self.tree(deleted)
        copy = self.child(nodes, deleted, "Tree copy")
        self.assertIsNotNone(copy)
        self.assertNotEqual(copy, tree)
        self.assertEqual(nodes[copy][2], 2)
        copy_sub = self.child(nodes, copy, "Sub")
        self.assertIsNotNone(copy_sub)
        self.assertNotEqual(copy_sub, sub)
        self.assertEqual(nodes[copy_sub][2], 1)
        # the source is untouched
        src = self.tree(tree)
        self.assertEqual(src[tree][2], 2)
        self.assertEqual(src[self.child(src, tree, "Sub")][2], 1)
        # the same name again: ecDuplicateName
        kv, _ = self.client("copy-folder", "0x%x" % inbox, "0x%x" % tree,
                            "0x%x" % deleted, "Tree copy", ok=False)
        self.assertEqual(int(kv["copy_folder"], 16), ecDuplicateName)
        # into its own subtree: ecFolderCycle; a special folder: ecAccessDenied
        kv, _ = self.client("move-folder", "0x%x" % inbox, "0x%x" % tree,
                            "0x%x" % sub, "Loop", ok=False)
        self.assertEqual(int(kv["move_folder"], 16), ecFolderCycle)
        root_kv, _ = self.client("logon")
        kv, _ = self.client("move-folder", root_kv["fid3"], "0x%x" % inbox,
                            "0x%x" % deleted, "Inbox2", ok=False)
        self.assertEqual(int(kv["move_folder"], 16), ecAccessDenied)
        # move within the Inbox's tree keeps the FID
        dest = self.mkfolder(inbox, "Move dest")
        kv, _ = self.client("move-folder", "0x%x" % inbox, "0x%x" % tree,
                            "0x%x" % dest, "Moved tree")
        self.assertEqual(int(kv["move_folder"], 16), 0)
        nodes = self.tree(inbox)
        self.assertIsNone(self.child(nodes, inbox, "Copy tree"))
        self.assertEqual(self.child(nodes, dest, "Moved tree"), tree)
        self.assertEqual(self.child(nodes, tree, "Sub"), sub)
        # and to Deleted Items (another backend root): recreated there
        kv, _ = self.client("move-folder", "0x%x" % dest, "0x%x" % tree,
                            "0x%x" % deleted, "Moved away")
        self.assertEqual(int(kv["move_folder"], 16), 0)
        nodes = self.tree(deleted)
        moved = self.child(nodes, deleted, "Moved away")
        self.assertIsNotNone(moved)
        self.assertEqual(nodes[moved][2], 2)
        self.assertEqual(nodes[self.child(nodes, moved, "Sub")][2], 1)
        self.assertIsNone(self.child(self.tree(dest), dest, "Moved tree"))

    def test_copy_to_message_with_attachments(self):
        inbox, _ = self.folders()
        data = bytes(range(256)) * 4
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "report.bin")
            with open(path, "wb") as f:
                f.write(data)
            put, _ = self.client("attach-put", "--file", path, "--subject", "original",
                                 "--inner-subject", "inner one")
        src_mid = int(put["mid"], 16)
        folder = int(put["folder"], 16)
        target = self.mkmsg(folder, "target")[0]
        kv, _ = self.client("copy-to", "0x%x" % folder, "0x%x" % src_mid,
                            "0x%x" % folder, "0x%x" % target, "--subobjects")
        self.assertEqual(int(kv["copy_to"], 16), 0)
        self.assertEqual(kv["problems"], "0")
        got, lines = self.client("attach-get", "0x%x" % folder, "0x%x" % target)
        self.assertEqual(got["has_attach"], "1")
        self.assertEqual(len([x for x in lines if x.startswith("attachment ")]), 2)
        self.assertEqual(got["data"], data.hex())
        self.assertEqual(got["embedded_subject"], "inner one")
        # without the attachments (excluded): properties only
        other = self.mkmsg(folder, "other")[0]
        kv, _ = self.client("copy-to", "0x%x" % folder, "0x%x" % src_mid,
                            "0x%x" % folder, "0x%x" % other, "--subobjects",
                            "--exclude", PidTagMessageAttachments)
        self.assertEqual(int(kv["copy_to"], 16), 0)
        got, lines = self.client("attach-get", "0x%x" % folder, "0x%x" % other)
        self.assertEqual(len([x for x in lines if x.startswith("attachment ")]), 0)

    def test_set_read_flags_fifty(self):
        inbox, _ = self.folders()
        fifty = self.mkfolder(inbox, "Fifty")
        mids = self.mkmsg(fifty, "unread at first", 50)
        self.assertEqual(len(mids), 50)
        self.assertEqual(self.tree(fifty)[fifty][2:], (50, 50))
        kv, _ = self.client("set-read-flags", "0x%x" % fifty, "00", "--all")
        self.assertEqual(int(kv["set_read_flags"], 16), 0)
        self.assertEqual(kv["count"], "50")
        self.assertEqual(kv["partial"], "0")
        self.assertEqual(self.tree(fifty)[fifty][2:], (50, 0))
        # rfClearReadFlag | rfSuppressReceipt on 20 of them
        kv, _ = self.client("set-read-flags", "0x%x" % fifty, "05",
                            *["0x%x" % m for m in mids[:20]])
        self.assertEqual(kv["partial"], "0")
        self.assertEqual(self.tree(fifty)[fifty][2:], (50, 20))
        # rfGenerateReceiptOnly changes nothing; an unknown MID is partial
        kv, _ = self.client("set-read-flags", "0x%x" % fifty, "10",
                            "0x%x" % mids[0], "0x7777000000000001")
        self.assertEqual(int(kv["set_read_flags"], 16), 0)
        self.assertEqual(kv["partial"], "1")
        self.assertEqual(self.tree(fifty)[fifty][2:], (50, 20))

    def test_receive_folder_table(self):
        inbox, _ = self.folders()
        kv, lines = self.client("receive-folders")
        self.assertEqual(int(kv["receive_folders"], 16), 0)
        rows = {}
        for line in lines:
            if line.startswith("rcv "):
                head, cls = line.split(" class=", 1)
                rows[cls] = int(head.split("fid=", 1)[1], 16)
        self.assertEqual(rows.get("IPM"), inbox)
        self.assertEqual(rows.get(""), inbox)
        self.assertIn("REPORT.IPM", rows)


if __name__ == "__main__":
    main()

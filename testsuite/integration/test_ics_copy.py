"""[MS-OXCFXICS] FastTransfer copy ROPs, their Move flag and
MetaTagFXDelProp on a folder target through a real Samba AD DC with the
module loaded, driven by the project's client (openchange-client raw /
fx-put / mkfolder / mkmsg / perm-add; each client run is its own session):

* download (2.2.3.1.1, 3.2.5.8.1): messages made by one session, then in
  another RopFastTransferSourceCopyMessages (messageList), CopyTo on the
  folder at Level 0 (folderContent) and CopyFolder with and without
  CopySubfolders (topFolder), each pulled with
  RopFastTransferSourceGetBuffer in 64-byte buffers and checked by
  ics_stream_check against its root; Move as the owner sends the same,
  Move as a read-only delegate sends no message (3.2.5.8.1.3), and
  CopyFolder with Move of the Inbox (a special folder) is refused;
* upload (2.2.3.1.2, 2.2.4.1.5.1): a folderContent put with CopyTo onto
  the Inbox whose MetaTagFXDelProp PidTagContainerContents precedes new
  messages: another session lists only the new ones, and an incremental
  ICS download from the state taken before reports exactly the old ones
  in MetaTagIdsetDeleted;
* the same stream from a delegate with Owner and Create but without
  frightsDeleteAny ([MS-OXCPERM]): ecAccessDenied, nothing deleted or
  added; with frightsDeleteAny it goes through.
"""

import contextlib
import re
import struct
import subprocess

from octest import ADMIN, DOMAIN, PASSWORD, main

from test_ics import get_buffer, globcnt, idset_globcnts, logon, open_folder, rop_buffer
import test_ics_upload as upload
from test_ics_upload import FXDelProp, copy_folder, copy_messages, copy_to, message, tool
import test_emsmdb_perm as perm
from test_emsmdb_perm import ADMIN_DN, BOB, BOB_DN, BOB_PASSWORD, REVIEWER, ecAccessDenied

PidTagContainerContents = 0x360F000D
# CopyFlags ([MS-OXCFXICS] 2.2.3.1.1.x): Move; CopyFolder's CopySubfolders
Move, CopySubfolders = 0x01, 0x10
# [MS-OXCPERM] 2.2.7 rights
frightsCreate, frightsDeleteAny, frightsCreateSubfolder, frightsOwner = 0x02, 0x40, 0x80, 0x100
EDITOR_NO_DELETE = REVIEWER | frightsCreate | frightsCreateSubfolder | frightsOwner


# the DC of test_emsmdb_perm.py (its setUpClass adds bob), not its test;
# modules, not classes, imported: unittest would run their tests here too
class IcsCopyTest(perm.EmsmdbPermTest):
    dc_name = "icscopy"
    test_delegate_reviewer = None
    user = (ADMIN, PASSWORD)

    # the helpers of test_ics_upload.py, on this class's DC
    kv = upload.IcsUploadTest.kv
    raw = upload.IcsUploadTest.raw
    check = upload.IcsUploadTest.check
    mailbox = upload.IcsUploadTest.mailbox
    fx_put = upload.IcsUploadTest.fx_put
    contents_sync = upload.IcsUploadTest.contents_sync

    def run_client(self, *args, ok=True):
        if self.user[0] == ADMIN:
            return upload.IcsUploadTest.run_client(self, *args, ok=ok)
        # bob: raw logs on to the owner's mailbox (logon() names it), fx-put
        # with --mailbox
        cmd = [tool("client", "openchange-client"), "-H", self.dc.ip, "-U",
               "%s%%%s" % self.user, "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if ok:
            self.assertEqual(res.returncode, 0, "%s\n%s\n%s" % (cmd, res.stdout, res.stderr))
        return res.stdout

    @contextlib.contextmanager
    def as_bob(self):
        self.user = (BOB, BOB_PASSWORD)
        try:
            yield
        finally:
            del self.user

    def grant_bob(self, folder, rights):
        """RopModifyPermissions by the owner; bob's mailbox is made first"""
        with self.as_bob():
            self.run_client("logon")
        kv = self.kv(self.run_client("perm-add", folder, BOB_DN, hex(rights)))
        self.assertEqual(kv["perm_add"], "0x00000000")

    def listing(self, fid):
        """{subject: MID} of a folder, read by another session"""
        out = self.run_client("messages", "0x%016x" % fid)
        res = {}
        for line in out.splitlines():
            mo = re.match(r"message .*674a0014=(0x[0-9a-f]+) 0037001f=(.*) 001a001f=", line)
            if mo:
                res[mo.group(2)] = int(mo.group(1), 16)
        return res

    def download(self, fid, copy_rop, root, calls=100, pieces_min=4):
        """@copy_rop on folder @fid in a new session, the stream pulled in
        64-byte GetBuffer calls: (ics_stream_check kv, strings)"""
        rops = [logon(), open_folder(fid), copy_rop] + [get_buffer(64, inp=2)] * calls
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 3))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        data, done, pieces = b"", False, 0
        for rop, _, f in out:
            if rop == 0x4E and not done:
                self.assertLessEqual(len(f["data"]), 64)
                data += f["data"]
                pieces += 1
                done = f["status"] == 3
        self.assertTrue(done, "the stream did not end in %d GetBuffer calls" % calls)
        self.assertGreaterEqual(pieces, pieces_min)
        return self.check(root, data)

    def copy_source(self):
        """A folder below the Inbox with three messages and a subfolder
        with one, made by one session: (fid, {subject: MID})"""
        kv = self.kv(self.run_client("mkfolder", "0x%016x" % self.mailbox(), "copy source"))
        src = int(kv["folder_fid"], 16)
        kv = self.kv(self.run_client("mkfolder", "0x%016x" % src, "copy child"))
        child = int(kv["folder_fid"], 16)
        for subject in ("copy one", "copy two", "copy three"):
            self.run_client("mkmsg", "0x%016x" % src, subject)
        self.run_client("mkmsg", "0x%016x" % child, "copy deep")
        mids = self.listing(src)
        self.assertEqual(sorted(mids), ["copy one", "copy three", "copy two"])
        return src, mids

    # ---- FastTransfer download: the copy ROPs ----
    def test_copy_sources(self):
        src, mids = self.copy_source()
        two = [mids["copy one"], mids["copy two"]]
        # CopyMessages: a messageList of exactly the two asked for, with
        # and without Move (the owner may delete everything)
        for flags in (0, Move):
            kv, strings = self.download(src, copy_messages(two, flags), "messagelist")
            self.assertEqual(int(kv["messages"]), 2, strings)
            self.assertIn("copy one", strings)
            self.assertIn("copy two", strings)
            self.assertNotIn("copy three", strings)
        # CopyTo on the folder, Level 0: folderContent with the messages
        # and the subfolder with its message
        for flags in (0, Move):
            kv, strings = self.download(src, copy_to(flags=flags), "foldercontent")
            self.assertEqual(int(kv["messages"]), 4, strings)
            for s in ("copy one", "copy two", "copy three", "copy child", "copy deep"):
                self.assertIn(s, strings)
        # CopyFolder: topFolder; the subfolder only with CopySubfolders
        kv, strings = self.download(src, copy_folder(CopySubfolders), "topfolder")
        self.assertEqual(int(kv["messages"]), 4, strings)
        for s in ("copy source", "copy one", "copy two", "copy three", "copy child",
                  "copy deep"):
            self.assertIn(s, strings)
        kv, strings = self.download(src, copy_folder(0), "topfolder")
        self.assertEqual(int(kv["messages"]), 3, strings)
        self.assertNotIn("copy child", strings)
        self.assertNotIn("copy deep", strings)
        kv, strings = self.download(src, copy_folder(CopySubfolders | Move), "topfolder")
        self.assertEqual(int(kv["messages"]), 4, strings)
        # Move of the Inbox: a special folder is never deleted (3.2.5.8.1.4)
        (out,) = self.raw(rop_buffer([logon(), open_folder(self.mailbox()),
                                      copy_folder(Move)], [0xFFFFFFFF] * 3))
        self.assertEqual(out[-1][1], ecAccessDenied)
        # a read-only delegate: the copy works, the Move sends nothing he
        # could not delete (3.2.5.8.1.3)
        self.grant_bob("0x%016x" % src, REVIEWER)
        with self.as_bob():
            kv, strings = self.download(src, copy_messages(two), "messagelist")
            self.assertEqual(int(kv["messages"]), 2, strings)
            kv, strings = self.download(src, copy_messages(two, Move), "messagelist",
                                        pieces_min=1)
            self.assertEqual(int(kv["messages"]), 0, strings)
            self.assertNotIn("copy one", strings)
            # CopyTo with Move: the folder's properties, no message, not the
            # subfolder (no frightsOwner there); CopyFolder with Move refused
            kv, strings = self.download(src, copy_to(flags=Move), "foldercontent",
                                        pieces_min=1)
            self.assertEqual(int(kv["messages"]), 0, strings)
            self.assertNotIn("copy child", strings)
            (out,) = self.raw(rop_buffer([logon(), open_folder(src), copy_folder(Move)],
                                         [0xFFFFFFFF] * 3))
            self.assertEqual(out[-1][1], ecAccessDenied)

    # ---- FastTransfer upload: MetaTagFXDelProp on a folder target ----
    def delprop_stream(self, *subjects):
        """folderContent: an empty propList, FXDelProp PidTagContainerContents
        and a messageList ([MS-OXCFXICS] 2.2.4.3.1, 3.2.5.10)"""
        return struct.pack("<II", FXDelProp, PidTagContainerContents) + \
            b"".join(message(s) for s in subjects)

    def test_delprop_delegate_denied(self):
        inbox = self.mailbox()
        self.run_client("mkmsg", "0x%016x" % inbox, "denied old")
        before = self.listing(inbox)
        self.assertIn("denied old", before)
        self.grant_bob("inbox", EDITOR_NO_DELETE)
        with self.as_bob():
            kv, out = self.fx_put(self.delprop_stream("denied new"), "--op", "1",
                                  "--mailbox", ADMIN_DN, ok=False)
        self.assertEqual(int(kv.get("fx_put", "-1"), 16), ecAccessDenied, out)
        # nothing deleted, nothing added
        self.assertEqual(self.listing(inbox), before)
        # with frightsDeleteAny the same stream goes through
        self.grant_bob("inbox", EDITOR_NO_DELETE | frightsDeleteAny)
        with self.as_bob():
            kv, out = self.fx_put(self.delprop_stream("denied new"), "--op", "1",
                                  "--mailbox", ADMIN_DN)
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertEqual(sorted(self.listing(inbox)), ["denied new"])

    def test_delprop_folder_target(self):
        inbox = self.mailbox()
        for subject in ("fxdel old 1", "fxdel old 2"):
            self.run_client("mkmsg", "0x%016x" % inbox, subject)
        old = self.listing(inbox)
        self.assertIn("fxdel old 2", old)
        _, _, _, st0 = self.contents_sync()
        kv, out = self.fx_put(self.delprop_stream("fxdel new 1", "fxdel new 2"),
                              "--op", "1", "--chunk", "100")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        # another session sees the new messages only
        now = self.listing(inbox)
        self.assertEqual(sorted(now), ["fxdel new 1", "fxdel new 2"])
        # the incremental download: the old ones deleted, the new ones changed
        kv, strings, _, _ = self.contents_sync(st0)
        self.assertEqual(int(kv["changes"]), 2, strings)
        self.assertEqual(sorted(s for s in strings if s.startswith("fxdel")),
                         ["fxdel new 1", "fxdel new 2"])
        self.assertEqual(int(kv["deletions"]), 1)
        deleted = idset_globcnts(bytes.fromhex(kv["IdsetDeleted"]))
        self.assertEqual(deleted, {globcnt(mid) for mid in old.values()})


if __name__ == "__main__":
    main()

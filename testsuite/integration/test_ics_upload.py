"""[MS-OXCFXICS] uploads through a real Samba AD DC with the module loaded,
driven by the project's client (openchange-client fx-put / raw; each
client run is its own session):

* FastTransfer upload (2.2.3.1.2, 3.2.5.8.2): a message with a 300 KB
  body, a recipient, a named property and a file attachment put with
  RopFastTransferDestinationPutBuffer / PutBufferExtended in pieces that
  cut values, read back by another session (stream-get, attach-get); a
  stream abandoned half way and a corrupted one leave nothing visible; a
  topFolder (CopyFolder) with a subfolder; messageContent onto a new
  message (CopyTo).
* client-chosen IDs (3.3.5.2.1): RopGetLocalReplicaIds, then
  RopSynchronizationImportMessageChange with a source key in that range;
  the collector's state taken into the next incremental download, which
  shows no duplicate; a full download shows the message under the
  client's ID and source key; an ID never reserved is refused.
* hierarchy synchronization after a folder move (ImportHierarchyChange
  with a new parent), and a contents download interrupted after a few
  buffers and resumed from its GetTransferState checkpoint in another
  session.
Every download stream is checked by ics_stream_check (ndr/fxics decoder +
grammar validator)."""

import os
import struct
import subprocess
import tempfile

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness
from test_ics import (CONTENTS_FLAGS, EXTRA_FLAGS, STATE_NAMES, configure, create_message,
                      get_buffer, get_transfer_state, import_message_change, logon,
                      open_collector, open_folder, rop_buffer, save_message, set_subject,
                      upload_state, utf16z, walk, xid)

ecInvalidParam = 0x80070057

# [MS-OXCFXICS] 2.2.4.1.4 markers, 2.2.4.1.5 meta-properties
StartTopFld, EndFolder, StartSubFld = 0x40090003, 0x400B0003, 0x400A0003
StartMessage, EndMessage = 0x400C0003, 0x400D0003
StartRecip, EndToRecip = 0x40030003, 0x40040003
NewAttach, EndAttach = 0x40000003, 0x400E0003
FXDelProp = 0x40160003
PSETID_Common = bytes.fromhex("0820060000000000c000000000000046")
CLIENT_GUID = bytes(range(0xD0, 0xE0))


def tool(*name):
    return os.path.join(ocharness.build_dir(), *name)


# ---- FastTransfer stream elements (2.2.4.1) ----
def m(tag):
    return struct.pack("<I", tag)


def p_i32(tag, v):
    return struct.pack("<II", tag, v)


def p_str(tag, text, name=b""):
    b = (text + "\0").encode("utf-16-le")
    return struct.pack("<I", tag) + name + struct.pack("<I", len(b)) + b


def p_bin(tag, data):
    return struct.pack("<II", tag, len(data)) + data


def message_content(subject, body="", attach=b""):
    out = p_str(0x0037001F, subject)
    if body:
        out += p_str(0x1000001F, body)
    out += p_str(0x8000001F, "named " + subject,
                 PSETID_Common + b"\x00" + struct.pack("<I", 0x8580))
    out += p_i32(FXDelProp, 0x0E12000D)
    out += (m(StartRecip) + p_i32(0x30000003, 0) + p_i32(0x0C150003, 1) +
            p_str(0x3001001F, "Bob") + m(EndToRecip))
    out += p_i32(FXDelProp, 0x0E13000D)
    if attach:
        out += (m(NewAttach) + p_i32(0x0E210003, 0) + p_i32(0x37050003, 1) +
                p_str(0x3707001F, "data.bin") + p_bin(0x37010102, attach) + m(EndAttach))
    return out


def message(subject, body="", attach=b""):
    return m(StartMessage) + message_content(subject, body, attach) + m(EndMessage)


# ---- more requests ([MS-OXCROPS] 2.2) ----
def get_local_replica_ids(count, inp=0):
    return bytes([0x7F, 0x00, inp]) + struct.pack("<I", count)


def tagged_bin(tag, data):
    return struct.pack("<IH", tag, len(data)) + data


def import_hierarchy_change(parent_sk, sk, ck, name, inp=4):
    vals = (tagged_bin(0x65E10102, parent_sk) + tagged_bin(0x65E00102, sk) +
            struct.pack("<IQ", 0x30080040, 0x01D0000000000000) +
            tagged_bin(0x65E20102, ck) + tagged_bin(0x65E30102, bytes([22]) + ck) +
            struct.pack("<I", 0x3001001F) + utf16z(name))
    return bytes([0x73, 0x00, inp]) + struct.pack("<H", 6) + vals + struct.pack("<H", 0)


def copy_messages(mids, flags=0, send=0x01, inp=1, out=2):
    """RopFastTransferSourceCopyMessages ([MS-OXCROPS] 2.2.12.6)"""
    return (bytes([0x4B, 0x00, inp, out]) + struct.pack("<H", len(mids)) +
            b"".join(struct.pack("<Q", mid) for mid in mids) + bytes([flags, send]))


def copy_folder(flags=0, send=0x01, inp=1, out=2):
    """RopFastTransferSourceCopyFolder (2.2.12.5)"""
    return bytes([0x4C, 0x00, inp, out, flags, send])


def copy_to(tags=(), level=0, flags=0, send=0x01, inp=1, out=2):
    """RopFastTransferSourceCopyTo (2.2.12.7): CopyFlags is 4 bytes here"""
    return (bytes([0x4D, 0x00, inp, out, level]) + struct.pack("<IBH", flags, send, len(tags)) +
            b"".join(struct.pack("<I", t) for t in tags))


class IcsUploadTest(DCTestCase):
    dc_name = "icsup"

    def run_client(self, *args, ok=True):
        cmd = [tool("client", "openchange-client"), "-H", self.dc.ip, "-U",
               "%s%%%s" % (ADMIN, PASSWORD), "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if ok:
            self.assertEqual(res.returncode, 0, "%s\n%s\n%s" % (cmd, res.stdout, res.stderr))
        return res.stdout

    def kv(self, text):
        out = {}
        for line in text.splitlines():
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                out.setdefault(k, v)
        return out

    def raw(self, *buffers):
        out = self.run_client("raw", *[b.hex() for b in buffers])
        outs = []
        for line in out.splitlines():
            if line.startswith("result="):
                self.assertEqual(int(line[7:], 16), 0, out)
            elif line.startswith("out="):
                outs.append(walk(bytes.fromhex(line[4:])))
        self.assertEqual(len(outs), len(buffers), out)
        return outs

    def check(self, root, data):
        res = subprocess.run([tool("server_module", "emsmdb", "ics_stream_check"), root,
                              data.hex()], capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        kv, strings = {}, []
        for line in res.stdout.splitlines():
            k, v = line.split("=", 1)
            if k == "string":
                strings.append(v)
            else:
                kv[k] = v
        self.assertEqual(kv["valid"], "yes")
        return kv, strings

    def mailbox(self):
        if getattr(type(self), "fids", None) is None:
            (out,) = self.raw(rop_buffer([logon()], [0xFFFFFFFF]))
            type(self).fids = out[0][2]["fids"]
            type(self).replguid = out[0][2]["replguid"]
        return self.fids[4]

    def messages(self):
        """{subject: mid} of the Inbox, read by another session."""
        out = self.run_client("messages", "0x%016x" % self.mailbox())
        res = {}
        for line in out.splitlines():
            if not line.startswith("message "):
                continue
            cols = dict(c.split("=", 1) for c in line.split(" ")[1:] if "=" in c)
            subject = line.split(" 0037001f=", 1)[1].split(" 001a001f=")[0] \
                if " 0037001f=" in line else ""
            res[subject] = cols.get("674a0014")
        return res

    def fx_put(self, stream, *args, ok=True):
        with tempfile.NamedTemporaryFile(suffix=".fx") as f:
            f.write(stream)
            f.flush()
            out = self.run_client("fx-put", "--file", f.name, *args, ok=ok)
        return self.kv(out), out

    # ---- FastTransfer upload ----
    def test_large_message_in_pieces(self):
        body = ("FastTransfer upload \u00e9\u4e2d " * 14000)[:300 * 1024]
        attach = bytes((i * 7) & 0xFF for i in range(6000))
        stream = message("fx big", body, attach)
        self.assertGreater(len(stream), 600000)
        kv, out = self.fx_put(stream, "--chunk", "7777")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertEqual(int(kv["puts"]), (len(stream) + 7776) // 7777)
        self.assertIn("status=1", out)
        msgs = self.messages()
        self.assertIn("fx big", msgs)
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "body")
            get = self.kv(self.run_client("stream-get", "0x%016x" % self.mailbox(),
                                          msgs["fx big"], "--out", dst))
            self.assertEqual(get["stream_get"], "0")
            with open(dst, "rb") as f:
                self.assertEqual(f.read(), body.encode("utf-16-le"))
        att = self.run_client("attach-get", "0x%016x" % self.mailbox(), msgs["fx big"])
        self.assertIn("data=" + attach.hex(), att)

    def test_cut_resumed_abandoned_corrupt(self):
        stream = message("fx cut", "x" * 5000)
        # cut inside values (every 333 bytes), continued by the next put
        kv, out = self.fx_put(stream, "--chunk", "333")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertIn("fx cut", self.messages())
        # abandoned in the middle of the body: nothing visible
        kv, out = self.fx_put(message("fx abandoned", "y" * 5000), "--stop", "3000",
                              "--chunk", "1000")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertNotIn("fx abandoned", self.messages())
        # a marker that cannot be there: refused, nothing visible
        good = message("fx corrupt", "z" * 2000)
        at = 4 + len(p_str(0x0037001F, "fx corrupt"))     # after the subject
        broken = good[:at] + m(EndFolder) + good[at:]
        kv, out = self.fx_put(broken, "--chunk", "1500", ok=False)
        self.assertEqual(int(kv["fx_put"], 16), ecInvalidParam, out)
        self.assertNotIn("fx corrupt", self.messages())

    def test_top_folder_and_message_target(self):
        stream = (m(StartTopFld) + p_str(0x3001001F, "fx folder") + message("fx in folder") +
                  m(StartSubFld) + p_str(0x3001001F, "fx child") + m(EndFolder) +
                  m(EndFolder))
        kv, out = self.fx_put(stream, "--op", "4", "--chunk", "100")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertIn("status=3", out)
        _, strings, _, _ = self.hierarchy_sync()
        self.assertIn("fx folder", strings)
        self.assertIn("fx child", strings)
        kv, out = self.fx_put(message_content("fx target", "body of the target"),
                              "--op", "1", "--message", "--chunk", "50")
        self.assertEqual(kv["fx_put"], "0x00000000", out)
        self.assertIn("mid", kv)
        read = self.run_client("read", "0x%016x" % self.mailbox(), kv["mid"])
        self.assertIn("fx target", read)
        self.assertIn("body of the target", read)

    # ---- ICS ----
    def contents_sync(self, state=None, calls=20, size=0xBABE, maximum=3000):
        inbox = self.mailbox()
        rops = [logon(), open_folder(inbox), configure()] + upload_state(state or {})
        rops += [get_buffer(size, maximum)] * calls
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 4))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        data, done = b"", False
        for rop, _, f in out:
            if rop == 0x4E and not done:
                data += f["data"]
                done = f["status"] == 3
        self.assertTrue(done)
        kv, strings = self.check("contents", data)
        return kv, strings, data, {n: bytes.fromhex(kv[n]) for n, _ in STATE_NAMES if n in kv}

    def test_client_id_no_duplicate(self):
        inbox = self.mailbox()
        kv, _, _, st1 = self.contents_sync()
        (out,) = self.raw(rop_buffer([logon(), get_local_replica_ids(16)], [0xFFFFFFFF]))
        self.assertEqual(out[1][1], 0)
        guid, first = out[1][2]["replguid"], out[1][2]["globcnt"]
        self.assertEqual(guid, self.replguid)
        sk = xid(guid, first + 2)
        ck = xid(CLIENT_GUID, 1)
        # upload through a collector with the client's state; its new state
        rops = [logon(), open_folder(inbox), open_collector()]
        rops += upload_state({k: v for k, v in st1.items() if k != "IdsetGiven"}, inp=4)
        rops += [import_message_change(sk, ck, bytes([22]) + ck),
                 set_subject("fx client id"), save_message(),
                 get_transfer_state(inp=4, out=3), get_buffer(0x4000, 0, inp=3)]
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 5))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        mid = [f for rop, _, f in out if rop == 0x0C][0]["mid"]
        # the MID is the client's: REPLID 1, the GLOBCNT bytes high-order first
        self.assertEqual(struct.pack("<Q", mid), b"\x01\x00" + (first + 2).to_bytes(6, "big"))
        state = [f for rop, _, f in out if rop == 0x4E][0]["data"]
        kv, _ = self.check("state", state)
        st2 = dict(st1)
        for name, _ in STATE_NAMES:
            if name in kv and name != "IdsetGiven":
                st2[name] = bytes.fromhex(kv[name])
        # the next incremental download: nothing new (no duplicate)
        kv, strings, _, _ = self.contents_sync(st2)
        self.assertEqual(int(kv["changes"]), 0, strings)
        self.assertNotIn("fx client id", strings)
        # a full download: the message under the client's ID and source key
        kv, strings, data, _ = self.contents_sync()
        self.assertEqual(strings.count("fx client id"), 1)
        self.assertIn(struct.pack("<II", 0x65E00102, 22) + sk, data)
        self.assertIn(struct.pack("<IQ", 0x674A0014, mid), data)
        # an ID never reserved is refused
        bad = xid(guid, first + 1000)
        (out,) = self.raw(rop_buffer([logon(), open_folder(inbox), open_collector(),
                                      import_message_change(bad, ck, bytes([22]) + ck)],
                                     [0xFFFFFFFF] * 5))
        self.assertEqual(out[-1][1], ecInvalidParam)

    def test_hierarchy_move(self):
        inbox = self.mailbox()
        # two folders created by the client under IDs it reserved
        (out,) = self.raw(rop_buffer([logon(), get_local_replica_ids(4)], [0xFFFFFFFF]))
        first = out[1][2]["globcnt"]
        ska, skb = xid(self.replguid, first), xid(self.replguid, first + 1)
        (out,) = self.raw(rop_buffer(
            [logon(), open_folder(inbox), open_collector(contents=False),
             import_hierarchy_change(b"", ska, xid(CLIENT_GUID, 201), "fx parent"),
             import_hierarchy_change(b"", skb, xid(CLIENT_GUID, 202), "fx moved")],
            [0xFFFFFFFF] * 5))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        kv, strings, st1, data = self.hierarchy_sync()
        self.assertIn("fx moved", strings)
        self.assertIn(struct.pack("<II", 0x65E00102, 22) + skb, data)
        (out,) = self.raw(rop_buffer(
            [logon(), open_folder(inbox), open_collector(contents=False),
             import_hierarchy_change(ska, skb, xid(CLIENT_GUID, 203), "fx moved")],
            [0xFFFFFFFF] * 5))
        self.assertEqual(out[-1][1], 0)
        kv, strings, _, data = self.hierarchy_sync(st1)
        self.assertEqual(int(kv["changes"]), 1, strings)
        self.assertIn("fx moved", strings)
        self.assertNotIn("fx parent", strings)
        # PidTagParentSourceKey of the moved folder is its new parent's
        self.assertIn(struct.pack("<II", 0x65E10102, 22) + ska, data)

    def hierarchy_sync(self, state=None, fid=None):
        """Hierarchy sync of folder @fid (default: the Inbox) from @state:
        the stream's key/values, strings, state and bytes."""
        if fid is None:
            fid = self.mailbox()
        rops = [logon(), open_folder(fid),
                configure(flags=0x0001, extra=0, sync_type=2)] + upload_state(state or {})
        rops += [get_buffer(0xBABE, 3000)] * 10
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 4))
        data, done = b"", False
        for rop, rv, f in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
            if rop == 0x4E and not done:
                data += f["data"]
                done = f["status"] == 3
        self.assertTrue(done)
        kv, strings = self.check("hierarchy", data)
        st = {n: bytes.fromhex(kv[n]) for n, _ in STATE_NAMES if n in kv}
        return kv, strings, st, data

    def interrupted_download(self, tag):
        """8 new messages; a download stopped after three 250-byte buffers,
        its GetTransferState checkpoint, and the download another session
        resumes from it: (subjects, bytes of part 1, resumed kv, strings)."""
        inbox = self.mailbox()
        _, _, _, st0 = self.contents_sync()
        subjects = ["fx %s %d %s" % (tag, i, "-" * 100) for i in range(8)]
        rops = [logon(), open_folder(inbox)]
        for s in subjects:
            rops += [create_message(inbox), set_subject(s), save_message()]
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 4))
        self.assertTrue(all(rv == 0 for _, rv, _ in out))
        rops = [logon(), open_folder(inbox), configure(CONTENTS_FLAGS, EXTRA_FLAGS)]
        rops += upload_state(st0)
        rops += [get_buffer(250, 0)] * 3
        rops += [get_transfer_state(), get_buffer(0x4000, 0, inp=3)]
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 4))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        parts = [f for rop, _, f in out if rop == 0x4E]
        self.assertEqual([p["status"] for p in parts[:3]], [1, 1, 1])
        first = b"".join(p["data"] for p in parts[:3])
        kv, _ = self.check("state", parts[3]["data"])
        checkpoint = {n: bytes.fromhex(kv[n]) for n, _ in STATE_NAMES if n in kv}
        kv, strings, _, _ = self.contents_sync(checkpoint)
        return subjects, first, kv, strings

    def test_interrupted_download_resumed(self):
        subjects, first, kv, strings = self.interrupted_download("resume")
        # the first message came whole before the interruption and does
        # not come again; the last ones come with the resumed download
        self.assertIn(utf16z(subjects[0]), first)
        self.assertNotIn(subjects[0], strings)
        self.assertLess(int(kv["changes"]), len(subjects))
        self.assertIn(subjects[-1], strings)

    def test_interrupted_download_loses_nothing(self):
        """The checkpoint (GetTransferState) counts a message only once its
        last byte was taken (ics_contents.c), so the message cut by the
        last GetBuffer before the interruption comes again on resume."""
        subjects, first, _, strings = self.interrupted_download("lossless")
        for s in subjects:
            self.assertTrue(s in strings or utf16z(s) in first, s)

    def test_import_move_client_id(self):
        """RopSynchronizationImportMessageMove ([MS-OXCFXICS] 2.2.3.2.4.4,
        3.2.5.9.4.4) whose DestinationMessageId is an ID reserved with
        RopGetLocalReplicaIds: the message moves from the Outbox into the
        Inbox under exactly that MID and source key (seen by other
        sessions); an ID of ours never reserved is refused and moves
        nothing; an ID given up with RopSetLocalReplicaMidsetDeleted is
        refused (ecObjectDeleted)."""
        inbox, outbox = self.mailbox(), self.fids[5]

        def globcnt(fmid):
            # [MS-OXCDATA] 2.2.1.1: REPLID in the first two bytes, then GLOBCNT
            return int.from_bytes(struct.pack("<Q", fmid)[2:], "big")

        def import_move(mid, dest):
            sfid, smid = xid(self.replguid, globcnt(outbox)), xid(self.replguid, globcnt(mid))
            cn = xid(CLIENT_GUID, 0x301)
            body = b"".join(struct.pack("<I", len(v)) + v for v in (sfid, smid, b"", dest, cn))
            return bytes([0x78, 0x00, 4]) + body

        def run_last(rops):
            # walk() does not know the last ROP's response (0x78, 0x93):
            # 14 bytes when it is a successful ImportMessageMove, else 6
            out = self.run_client("raw", rop_buffer(rops, [0xFFFFFFFF] * 5).hex())
            data = bytes.fromhex([l for l in out.splitlines() if l.startswith("out=")][0][4:])
            size = struct.unpack_from("<H", data)[0]
            last = 6
            if size >= 16 and data[size - 14] == 0x78 and \
                    struct.unpack_from("<I", data, size - 12)[0] == 0:
                last = 14
            head = walk(struct.pack("<H", size - last) + data[2:size - last])
            return head, data[size - last:size]

        def globcnt_mid(g):
            return struct.unpack("<Q", b"\x01\x00" + g.to_bytes(6, "big"))[0]

        subjects = ["fx move client id", "fx move refused", "fx move given up"]
        rops = [logon(), open_folder(outbox)]
        for subject in subjects:
            rops += [create_message(outbox), set_subject(subject), save_message()]
        (out,) = self.raw(rop_buffer(rops, [0xFFFFFFFF] * 4))
        mids = [f["mid"] for rop, _, f in out if rop == 0x0C]
        self.assertEqual(len(mids), 3)
        (out,) = self.raw(rop_buffer([logon(), get_local_replica_ids(8)], [0xFFFFFFFF]))
        first = out[1][2]["globcnt"]
        dest = xid(self.replguid, first + 3)

        head, tail = run_last([logon(), open_folder(inbox), open_collector(),
                               import_move(mids[0], dest)])
        self.assertTrue(all(rv == 0 for _, rv, _ in head), head)
        rop, _, rv, message_id = struct.unpack("<BBIQ", tail)
        self.assertEqual((rop, rv, message_id), (0x78, 0, 0))   # MessageId MUST be 0
        msgs = self.messages()
        self.assertIn(subjects[0], msgs)
        self.assertEqual(int(msgs[subjects[0]], 16), globcnt_mid(first + 3))
        kv, strings, data, _ = self.contents_sync()
        self.assertIn(struct.pack("<II", 0x65E00102, 22) + dest, data)
        self.assertNotIn(subjects[0], self.run_client("messages", "0x%016x" % outbox))

        # an ID of our replica never reserved: refused, the source stays
        head, tail = run_last([logon(), open_folder(inbox), open_collector(),
                               import_move(mids[1], xid(self.replguid, first + 5000))])
        self.assertEqual(struct.unpack("<BBI", tail)[2], ecInvalidParam)
        self.assertNotIn(subjects[1], self.messages())
        self.assertIn(subjects[1], self.run_client("messages", "0x%016x" % outbox))

        # given up (RopSetLocalReplicaMidsetDeleted on the folder): refused
        def ltid(g):
            return self.replguid + g.to_bytes(6, "big") + b"\x00\x00"

        give_up = bytes([0x93, 0x00, 1]) + struct.pack("<HI", 4 + 48, 1) + ltid(first + 6) + \
            ltid(first + 7)
        head, tail = run_last([logon(), open_folder(inbox), give_up, open_collector(),
                               import_move(mids[2], xid(self.replguid, first + 7))])
        self.assertEqual([rv for _, rv, _ in head], [0, 0, 0, 0], head)
        self.assertEqual(struct.unpack("<BBI", tail)[2], 0x8004010A)     # ecObjectDeleted
        self.assertNotIn(subjects[2], self.messages())
        self.assertIn(subjects[2], self.run_client("messages", "0x%016x" % outbox))

    def test_special_folder_property_change(self):
        """RopSetProperties on the Inbox (a special folder: openchangedb
        record over a backend root) in one session; another session's
        incremental hierarchy sync of the IPM subtree reports the Inbox
        once, with the new property, and the next one is quiet
        ([MS-OXCFXICS] 3.2.5.9.1, 3.1.5.3)."""
        self.mailbox()
        ipm, inbox = self.fids[3], self.fids[4]

        def sync(state=None):
            kv, strings, st, _ = self.hierarchy_sync(state, ipm)
            return kv, strings, st

        _, _, st0 = sync()
        comment = "cached mode view %d" % os.getpid()
        vals = struct.pack("<I", 0x3004001F) + utf16z(comment)     # PidTagComment
        set_props = bytes([0x0A, 0x00, 1]) + struct.pack("<HH", 2 + len(vals), 1) + vals
        (out,) = self.raw(rop_buffer([logon(), open_folder(inbox), set_props],
                                     [0xFFFFFFFF] * 2))
        self.assertEqual([rv for _, rv, _ in out], [0, 0, 0], out)
        kv, strings, st1 = sync(st0)
        self.assertEqual(int(kv["changes"]), 1, strings)
        self.assertIn(comment, strings)
        kv, strings, _ = sync(st1)
        self.assertEqual(int(kv["changes"]), 0, strings)


if __name__ == "__main__":
    main()

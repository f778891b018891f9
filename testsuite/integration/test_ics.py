"""[MS-OXCFXICS] ICS through a real Samba AD DC with the module loaded,
driven by the project's client (openchange-client raw: one EcDoRpcExt2
per ROP buffer). Every stream the server sends is decoded and checked
against the grammar of [MS-OXCFXICS] 2.2.4.2 by ics_stream_check
(ndr/fxics). Each client run is its own session, so every change below
is made by another session than the synchronization that sees it:
initial sync, incremental sync after adds, changes, deletions and
read-state changes, state upload and download, an upload of a new
message through the collector, a conflict refused, then resolved as a
conflict resolve message whose versions another session downloads as
separate messages, FAI messages, and a
transfer split across many small buffers."""

import os
import struct
import subprocess

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

ecSuccess = 0
ecSyncIgnore = 0x80040801
ecSyncConflict = 0x80040802
ORG_DN = "/o=First Organization/ou=First Administrative Group"

MetaTagIdsetGiven = 0x40170003
MetaTagCnsetSeen = 0x67960102
MetaTagCnsetSeenFAI = 0x67DA0102
MetaTagCnsetRead = 0x67D20102
STATE_NAMES = [("IdsetGiven", MetaTagIdsetGiven), ("CnsetSeen", MetaTagCnsetSeen),
               ("CnsetSeenFAI", MetaTagCnsetSeenFAI), ("CnsetRead", MetaTagCnsetRead)]
# Unicode | ReadState | FAI | Normal | Progress; Eid | MessageSize | Cn
CONTENTS_FLAGS = 0x0001 | 0x0008 | 0x0010 | 0x0020 | 0x8000
EXTRA_FLAGS = 0x7


def tool(name):
    return os.path.join(ocharness.build_dir(), *name)


def rop_buffer(rops, handles):
    body = b"".join(rops)
    return (struct.pack("<H", len(body) + 2) + body +
            b"".join(struct.pack("<I", h) for h in handles))


def utf16z(s):
    return s.encode("utf-16-le") + b"\x00\x00"


# ---- requests ([MS-OXCROPS] 2.2) ----
def logon():
    dn = (ORG_DN + "/cn=Recipients/cn=" + ADMIN).encode() + b"\x00"
    return (bytes([0xFE, 0x00, 0x00, 0x01]) + struct.pack("<II", 0x01000000, 0) +
            struct.pack("<H", len(dn)) + dn)


def open_folder(fid, inp=0, out=1):
    return bytes([0x02, 0x00, inp, out]) + struct.pack("<Q", fid) + b"\x00"


def create_message(fid, assoc=False, inp=1, out=2):
    return (bytes([0x06, 0x00, inp, out]) + struct.pack("<HQ", 0x0FFF, fid) +
            bytes([1 if assoc else 0]))


def open_message(fid, mid, inp=1, out=2):
    return (bytes([0x03, 0x00, inp, out]) + struct.pack("<HQ", 0x0FFF, fid) +
            b"\x01" + struct.pack("<Q", mid))


def set_subject(subject, inp=2):
    vals = struct.pack("<I", 0x0037001F) + utf16z(subject)
    return bytes([0x0A, 0x00, inp]) + struct.pack("<HH", 2 + len(vals), 1) + vals


def save_message(inp=2, resp=3):
    return bytes([0x0C, 0x00, resp, inp, 0x00])


def delete_messages(mids, inp=1):
    return (bytes([0x1E, 0x00, inp, 0, 0]) + struct.pack("<H", len(mids)) +
            b"".join(struct.pack("<Q", m) for m in mids))


def move_messages(mids, src, dst, copy=False):
    """RopMoveCopyMessages ([MS-OXCROPS] 2.2.4.6), synchronous."""
    return (bytes([0x33, 0x00, src, dst]) + struct.pack("<H", len(mids)) +
            b"".join(struct.pack("<Q", m) for m in mids) + bytes([0, 1 if copy else 0]))


def configure(flags=CONTENTS_FLAGS, extra=EXTRA_FLAGS, sync_type=1, inp=1, out=2):
    return (bytes([0x70, 0x00, inp, out, sync_type, 0x01]) +
            struct.pack("<HHIH", flags, 0, extra, 0))


def upload_state(state, inp=2):
    rops = []
    for name, tag in STATE_NAMES:
        data = state.get(name)
        if data is None:
            continue
        rops.append(bytes([0x75, 0x00, inp]) + struct.pack("<II", tag, len(data)))
        rops.append(bytes([0x76, 0x00, inp]) + struct.pack("<I", len(data)) + data)
        rops.append(bytes([0x77, 0x00, inp]))
    return rops


def get_buffer(size=0xBABE, maximum=3000, inp=2):
    req = bytes([0x4E, 0x00, inp]) + struct.pack("<H", size)
    return req + (struct.pack("<H", maximum) if size == 0xBABE else b"")


def open_collector(contents=True, inp=1, out=4):
    return bytes([0x7E, 0x00, inp, out, 1 if contents else 0])


def import_message_change(sk, ck, pcl, flags=0, inp=4, out=2):
    vals = (struct.pack("<IH", 0x65E00102, len(sk)) + sk +
            struct.pack("<IQ", 0x30080040, 0x01D0000000000000) +
            struct.pack("<IH", 0x65E20102, len(ck)) + ck +
            struct.pack("<IH", 0x65E30102, len(pcl)) + pcl)
    return bytes([0x72, 0x00, inp, out, flags]) + struct.pack("<H", 4) + vals


def import_read_states(states, inp=4):
    body = b"".join(struct.pack("<H", len(sk)) + sk + bytes([read])
                    for sk, read in states)
    return bytes([0x80, 0x00, inp]) + struct.pack("<H", len(body)) + body


def get_transfer_state(inp=2, out=3):
    return bytes([0x82, 0x00, inp, out])


# ---- responses ----
def typed_string(b, o):
    kind = b[o]
    o += 1
    if kind in (0x02, 0x03):
        return b.index(b"\x00", o) + 1
    if kind == 0x04:
        while b[o:o + 2] != b"\x00\x00":
            o += 2
        return o + 2
    return o


def walk(out):
    """[(RopId, ReturnValue, fields dict)] of a ROP output buffer."""
    size = struct.unpack_from("<H", out)[0]
    b, o, res = out[:size], 2, []
    while o < size:
        rop, rv = b[o], struct.unpack_from("<I", b, o + 2)[0]
        f = {}
        o += 6
        if rop == 0xFE and rv == 0:
            f["fids"] = list(struct.unpack_from("<13Q", b, o + 1))
            f["replguid"] = b[o + 1 + 104 + 1 + 16 + 2:o + 1 + 104 + 1 + 16 + 2 + 16]
            o += 160
        elif rop == 0x02 and rv == 0:
            o += 2
        elif rop == 0x06 and rv == 0:
            has = b[o]
            f["mid"] = struct.unpack_from("<Q", b, o + 1)[0] if has else 0
            o += 1 + (8 if has else 0)
        elif rop == 0x03 and rv == 0:
            o = typed_string(b, typed_string(b, o + 1))
            rcount, ccount = struct.unpack_from("<HH", b, o)
            assert rcount == 0 and ccount == 0
            o += 4 + 1
        elif rop == 0x0A and rv == 0:
            o += 2 + 10 * struct.unpack_from("<H", b, o)[0]
        elif rop == 0x0C and rv == 0:
            f["mid"] = struct.unpack_from("<Q", b, o + 1)[0]
            o += 9
        elif rop in (0x1E, 0x33):
            o += 1      # PartialCompletion
        elif rop == 0x4E and rv != 0x480:
            status, inprog, total, _, n = struct.unpack_from("<HHHBH", b, o)
            f.update(status=status, inprog=inprog, total=total, data=b[o + 9:o + 9 + n])
            o += 9 + n
        elif rop == 0x72 and rv == 0:
            f["mid"] = struct.unpack_from("<Q", b, o)[0]
            o += 8
        elif rop == 0x73 and rv == 0:
            f["fid"] = struct.unpack_from("<Q", b, o)[0]
            o += 8
        elif rop == 0x7F and rv == 0:
            f["replguid"] = b[o:o + 16]
            f["globcnt"] = int.from_bytes(b[o + 16:o + 22], "big")
            o += 22
        res.append((rop, rv, f))
    return res


def idset_globcnts(data):
    """The GLOBCNTs of a serialized IDSET with REPLIDs ([MS-OXCFXICS]
    2.2.2.4.2): REPLID, then a GLOBSET (2.2.2.6): Push 0x01-0x06, Pop
    0x50, Bitmask 0x42, Range 0x52, End 0x00."""
    out, o = set(), 0
    while o < len(data):
        o += 2                                  # REPLID
        stack = []                              # pushed byte strings
        while True:
            cmd = data[o]
            o += 1
            prefix = b"".join(stack)
            if cmd == 0x00:
                break
            if 1 <= cmd <= 6:
                stack.append(data[o:o + cmd])
                o += cmd
                if len(prefix) + cmd == 6:      # a whole GLOBCNT: implicitly popped
                    out.add(int.from_bytes(b"".join(stack), "big"))
                    stack.pop()
            elif cmd == 0x50:
                stack.pop()
            elif cmd == 0x42:                   # StartingValue, Bitmask
                start, mask = data[o], data[o + 1]
                o += 2
                for i in [-1] + [b for b in range(8) if mask & (1 << b)]:
                    out.add(int.from_bytes(prefix + bytes([start + i + 1]), "big"))
            elif cmd == 0x52:                   # LowValue, HighValue
                n = 6 - len(prefix)
                low = int.from_bytes(prefix + data[o:o + n], "big")
                high = int.from_bytes(prefix + data[o + n:o + 2 * n], "big")
                o += 2 * n
                out.update(range(low, high + 1))
            else:
                raise ValueError("GLOBSET command 0x%02x at %d" % (cmd, o - 1))
    return out


def globcnt(fmid):
    """[MS-OXCDATA] 2.2.1.1: REPLID in the first two bytes, then the GLOBCNT"""
    return int.from_bytes(struct.pack("<Q", fmid)[2:], "big")


def xid(guid, g):
    return guid + g.to_bytes(6, "big")


class IcsTest(DCTestCase):
    dc_name = "ics"

    def client(self, *buffers):
        cmd = [tool(("client", "openchange-client")), "-H", self.dc.ip, "-U",
               "%s%%%s" % (ADMIN, PASSWORD), "-W", DOMAIN, "raw"]
        cmd += [b.hex() for b in buffers]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        outs = []
        for line in res.stdout.splitlines():
            if line.startswith("result="):
                self.assertEqual(int(line[7:], 16), 0, res.stdout + res.stderr)
            elif line.startswith("out="):
                outs.append(walk(bytes.fromhex(line[4:])))
        self.assertEqual(len(outs), len(buffers), res.stdout + res.stderr)
        return outs

    def check(self, root, data):
        res = subprocess.run([tool(("server_module", "emsmdb", "ics_stream_check")),
                              root, data.hex()], capture_output=True, text=True,
                             timeout=60)
        kv, strings = {}, []
        for line in res.stdout.splitlines():
            k, v = line.split("=", 1)
            if k == "string":
                strings.append(v)
            else:
                kv[k] = v
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertEqual(kv["valid"], "yes")
        return kv, strings

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fids = None

    def mailbox(self):
        if self.fids is None:
            (out,) = self.client(rop_buffer([logon()], [0xFFFFFFFF]))
            type(self).fids = out[0][2]["fids"]
            type(self).replguid = out[0][2]["replguid"]
        return self.fids[4]

    def add_messages(self, subjects, assoc=False):
        inbox = self.mailbox()
        rops = [logon(), open_folder(inbox)]
        for s in subjects:
            rops += [create_message(inbox, assoc), set_subject(s), save_message()]
        (out,) = self.client(rop_buffer(rops, [0xFFFFFFFF] * 4))
        self.assertTrue(all(rv == 0 for _, rv, _ in out))
        return [f["mid"] for rop, _, f in out if rop == 0x0C]

    def sync(self, state=None, size=0xBABE, maximum=3000, calls=8, extra_rops=()):
        """A contents sync of the Inbox; the stream, its status, the state."""
        inbox = self.mailbox()
        rops = [logon(), open_folder(inbox), configure()]
        rops += upload_state(state or {})
        rops += list(extra_rops)
        rops += [get_buffer(size, maximum)] * calls
        (out,) = self.client(rop_buffer(rops, [0xFFFFFFFF] * 4))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        data, done = b"", False
        for rop, _, f in out:
            if rop == 0x4E and not done:
                self.assertLessEqual(len(f["data"]),
                                     maximum if size == 0xBABE else size)
                data += f["data"]
                done = f["status"] == 3
        self.assertTrue(done, "the stream did not end in %d GetBuffer calls" % calls)
        kv, strings = self.check("contents", data)
        new_state = {name: bytes.fromhex(kv[name]) for name, _ in STATE_NAMES
                     if name in kv}
        return kv, strings, new_state

    def test_contents_sync_round_trip(self):
        mids = self.add_messages(["ics one", "ics two", "ics three"])
        fai = self.add_messages(["ics view"], assoc=True)
        kv, strings, st1 = self.sync()
        self.assertGreaterEqual(int(kv["changes"]), 4)
        for s in ("ics one", "ics two", "ics three", "ics view"):
            self.assertIn(s, strings)
        self.assertEqual(sorted(st1), sorted(n for n, _ in STATE_NAMES))

        # nothing changed since: an empty incremental sync
        kv, strings, st2 = self.sync(st1)
        self.assertEqual(int(kv["changes"]), 0)
        self.assertEqual(int(kv["deletions"]), 0)

        # another session adds, changes, deletes
        self.add_messages(["ics four"])
        inbox = self.mailbox()
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), open_message(inbox, mids[1]),
             set_subject("ics two, edited"), save_message(),
             delete_messages([mids[2]])], [0xFFFFFFFF] * 4))
        self.assertTrue(all(rv == 0 for _, rv, _ in out))
        kv, strings, st3 = self.sync(st2)
        self.assertEqual(int(kv["changes"]), 2)
        self.assertIn("ics four", strings)
        self.assertIn("ics two, edited", strings)
        self.assertNotIn("ics one", strings)
        self.assertEqual(int(kv["deletions"]), 1)
        self.assertIn("IdsetDeleted", kv)
        del fai

        # a read-state change and a new message uploaded through a
        # collector by another session; the next sync sees both
        # a source key: REPLGUID + the GLOBCNT bytes of the MID (2.2.1.2.5)
        sk_one = self.replguid + struct.pack("<Q", mids[0])[2:8]
        client_guid = bytes(range(0xA0, 0xB0))
        ck = xid(client_guid, 5)
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), open_collector(),
             import_read_states([(sk_one, 1)]),
             import_message_change(xid(client_guid, 4), ck, bytes([22]) + ck),
             set_subject("ics uploaded"), save_message()], [0xFFFFFFFF] * 5))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        kv, strings, st4 = self.sync(st3)
        self.assertEqual(int(kv["changes"]), 1)
        self.assertIn("ics uploaded", strings)
        self.assertEqual(int(kv["reads"]), 1)
        self.assertIn("IdsetRead", kv)

        # a conflict: the client's PCL lacks the server's change
        ck = xid(client_guid, 6)
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), open_collector(),
             import_message_change(sk_one, ck, bytes([22]) + ck, flags=0x40)],
            [0xFFFFFFFF] * 5))
        self.assertEqual(out[-1][1], ecSyncConflict)
        # without FailOnConflict and no PidTagResolveMethod on the Inbox:
        # a conflict resolve message ([MS-OXCFXICS] 3.1.5.6.2.1). The
        # client's version (modified in 2014) loses to the server's, so
        # the message keeps "ics one" and carries both versions as
        # embedded messages. A resolve message is never synchronized as
        # such (3.1.5.6.2.1 MUST NOT): another session's next sync gets
        # each version as a message of its own (the same source key, the
        # version's change key and PCL), then nothing.
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), open_collector(),
             import_message_change(sk_one, ck, bytes([22]) + ck),
             set_subject("ics conflict, client"), save_message()],
            [0xFFFFFFFF] * 5))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        kv, strings, st5 = self.sync(st4)
        self.assertEqual(int(kv["changes"]), 2)
        self.assertEqual(strings.count("ics one"), 1)
        self.assertEqual(strings.count("ics conflict, client"), 1)
        kv, strings, _ = self.sync(st5)
        self.assertEqual(int(kv["changes"]), 0)
        # the client's change is integrated now: not a conflict again
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), open_collector(),
             import_message_change(sk_one, ck, bytes([22]) + ck, flags=0x40)],
            [0xFFFFFFFF] * 5))
        self.assertEqual(out[-1][1], ecSyncIgnore)

        # the state survives a GetTransferState round trip
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox), configure()] + upload_state(st4) +
            [get_transfer_state(), get_buffer(0x4000, 0, inp=3)], [0xFFFFFFFF] * 4))
        data = [f for rop, _, f in out if rop == 0x4E][0]["data"]
        kv, _ = self.check("state", data)
        for name, _ in STATE_NAMES:
            self.assertEqual(bytes.fromhex(kv[name]), st4[name])

    def test_incremental_after_moves(self):
        """Messages moved by another session (RopMoveCopyMessages): the
        next incremental sync of the Inbox reports the one moved out as
        deleted and the one moved in as a change, nothing else."""
        inbox = self.mailbox()
        sent = self.fids[6]
        mid_out, mid_stays = self.add_messages(["mv out", "mv stays"])
        (out,) = self.client(rop_buffer(
            [logon(), open_folder(sent), create_message(sent), set_subject("mv in"),
             save_message()], [0xFFFFFFFF] * 4))
        mid_in = [f["mid"] for rop, _, f in out if rop == 0x0C][0]
        _, _, st = self.sync()
        kv, _, st = self.sync(st)
        self.assertEqual(int(kv["changes"]), 0)

        (out,) = self.client(rop_buffer(
            [logon(), open_folder(inbox, 0, 1), open_folder(sent, 0, 2),
             move_messages([mid_out], 1, 2), move_messages([mid_in], 2, 1)],
            [0xFFFFFFFF] * 4))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        kv, strings, st2 = self.sync(st)
        self.assertEqual(int(kv["changes"]), 1)
        self.assertIn("mv in", strings)
        self.assertNotIn("mv stays", strings)
        self.assertNotIn("mv out", strings)
        self.assertEqual(int(kv["deletions"]), 1)
        self.assertEqual(idset_globcnts(bytes.fromhex(kv["IdsetDeleted"])),
                         {globcnt(mid_out)})
        kv, _, _ = self.sync(st2)
        self.assertEqual(int(kv["changes"]), 0)
        self.assertEqual(int(kv["deletions"]), 0)
        del mid_stays

    def test_split_across_small_buffers(self):
        self.add_messages(["split %d" % i for i in range(5)])
        kv, strings, _ = self.sync(size=64, calls=60)
        for i in range(5):
            self.assertIn("split %d" % i, strings)


if __name__ == "__main__":
    main()

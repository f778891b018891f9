#!/usr/bin/env python3
"""Seeds for fuzz_emsmdb_rpcext2 that reach the attachment handlers
(oxcmsg_attach.c): a message in the Inbox with a file attachment and an
embedded message, saved, then its attachment table, RopGetValidAttachments,
RopOpenAttachment, RopDeleteAttachment; an attachment released unsaved. Same seed format as
../fuzz/make_seeds.py (pulFlags byte, *pcbOut u16 LE, rgbIn).

usage: make_attach_seeds.py OUTDIR"""
import os
import struct
import sys

DN = (b"/o=First Organization/ou=First Administrative Group/"
      b"cn=Recipients/cn=alice\x00")
INBOX = 0x0e00000000000001     # the Inbox of a fresh openchangedb


def rops(body, handles):
    return struct.pack("<H", len(body) + 2) + body + b"".join(
        struct.pack("<I", h) for h in handles)


def ext(payload):
    return struct.pack("<HHHH", 0, 0x0004, len(payload), len(payload)) + payload


def utf16(s):
    return s.encode("utf-16-le") + b"\x00\x00"


def tpv(tag, value):
    return struct.pack("<I", tag) + value


def setprops(i, values):
    body = b"".join(values)
    return bytes([0x0A, 0, i]) + struct.pack("<HH", 2 + len(body), len(values)) + body


logon = bytes([0xFE, 0, 0, 0x01]) + struct.pack("<II", 0x01000000, 0) + \
    struct.pack("<H", len(DN)) + DN
openf = bytes([0x02, 0, 0, 1]) + struct.pack("<Q", INBOX) + b"\x00"
create = bytes([0x06, 0, 1, 2]) + struct.pack("<HQB", 0x0FFF, INBOX, 0)
create_att = lambda i, o: bytes([0x23, 0, i, o])
save_att = lambda r, i: bytes([0x25, 0, r, i, 0x00])
open_emb = lambda i, o, fl: bytes([0x46, 0, i, o]) + struct.pack("<HB", 0x0FFF, fl)
save_msg = lambda r, i: bytes([0x0C, 0, r, i, 0x02])
att_table = lambda i, o: bytes([0x21, 0, i, o, 0x40])
setcols = lambda i, tags: bytes([0x12, 0, i, 0]) + struct.pack("<H", len(tags)) + \
    b"".join(struct.pack("<I", t) for t in tags)
query = lambda i, n: bytes([0x15, 0, i, 0, 1]) + struct.pack("<H", n)
valid = lambda i: bytes([0x52, 0, i])
open_att = lambda i, o, aid, fl: bytes([0x22, 0, i, o, fl]) + struct.pack("<I", aid)
del_att = lambda i, aid: bytes([0x24, 0, i]) + struct.pack("<I", aid)
release = lambda i: bytes([0x01, 0, i])
gps = lambda i, tags: bytes([0x07, 0, i]) + struct.pack("<HHH", 0, 1, len(tags)) + \
    b"".join(struct.pack("<I", t) for t in tags)

FILE = [tpv(0x37050003, struct.pack("<I", 1)),
        tpv(0x3704001F, utf16("a.txt")),
        tpv(0x37010102, struct.pack("<H", 5) + b"hello")]
INNER = [tpv(0x0037001F, utf16("inner"))]
COLS = [0x0E210003, 0x37050003, 0x3704001F, 0x0E200003]


def main(out):
    os.makedirs(out, exist_ok=True)
    H = [0xFFFFFFFF] * 6
    build = (logon + openf + create + create_att(2, 3) + setprops(3, FILE) +
             save_att(2, 3) + create_att(2, 4) + open_emb(4, 5, 0x02) +
             setprops(5, INNER) + save_msg(5, 5) + save_att(2, 4) + save_msg(1, 2))
    read = (att_table(2, 3) + setcols(3, COLS) + query(3, 10) + valid(2) +
            open_att(2, 4, 0, 0x01) + gps(4, COLS + [0x37010102]) +
            open_att(2, 4, 1, 0x00) + open_emb(4, 5, 0x00) + gps(5, [0x0037001F]) +
            del_att(2, 0) + valid(2))
    unsaved = (logon + openf + create + create_att(2, 3) + setprops(3, FILE) +
               release(3) + valid(2) + save_msg(1, 2) + valid(2))
    seeds = {"attach_build": build, "attach_build_read": build + read,
             "attach_release_unsaved": unsaved}
    for name, body in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([3]) + struct.pack("<H", 0x8000) + ext(rops(body, H)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

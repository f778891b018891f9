#!/usr/bin/env python3
"""Write the seed corpus of fuzz_emsmdb_rpcext2 (run once; the seeds are
committed). Each seed: pulFlags byte, *pcbOut (u16 LE), rgbIn."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_emsmdb_rpcext2")
DN = (b"/o=First Organization/ou=First Administrative Group/"
      b"cn=Recipients/cn=alice\x00")
ROOT = 0x0a00000000000001      # the mailbox root of a fresh openchangedb
INBOX = 0x0e00000000000001

def rops(body, handles):
    return struct.pack("<H", len(body) + 2) + body + b"".join(
        struct.pack("<I", h) for h in handles)

def ext(payload, xor=False):
    flags = 0x0004 | (0x0002 if xor else 0)
    if xor:
        payload = bytes(b ^ 0xA5 for b in payload)
    return struct.pack("<HHHH", 0, flags, len(payload), len(payload)) + payload

def seed(name, rgbin, pulflags=3, cbout=0x8000):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([pulflags]) + struct.pack("<H", cbout & 0xFFFF) + rgbin)

logon = bytes([0xFE, 0, 0, 0x01]) + struct.pack("<II", 0x01000000, 0) + \
    struct.pack("<H", len(DN)) + DN
openf = lambda i, o, fid: bytes([0x02, 0, i, o]) + struct.pack("<Q", fid) + b"\x00"
hier = lambda i, o, fl: bytes([0x04, 0, i, o, fl])
cont = lambda i, o, fl: bytes([0x05, 0, i, o, fl])
setcols = lambda i, tags: bytes([0x12, 0, i, 0]) + struct.pack("<H", len(tags)) + \
    b"".join(struct.pack("<I", t) for t in tags)
query = lambda i, n: bytes([0x15, 0, i, 0, 1]) + struct.pack("<H", n)
gps = lambda i, tags: bytes([0x07, 0, i]) + struct.pack("<HHH", 0, 1, len(tags)) + \
    b"".join(struct.pack("<I", t) for t in tags)
create = lambda i, o, fid: bytes([0x06, 0, i, o]) + struct.pack("<HQB", 0x0FFF, fid, 0)
subject = "fuzz".encode("utf-16-le") + b"\x00\x00"
setprops = lambda i: bytes([0x0A, 0, i]) + struct.pack("<HH", 6 + len(subject), 1) + \
    struct.pack("<I", 0x0037001F) + subject
save = lambda r, i: bytes([0x0C, 0, r, i, 0x02])
release = lambda i: bytes([0x01, 0, i])
COLS = [0x67480014, 0x3001001F, 0x36020003, 0x66380003, 0x0037001F, 0x674A0014]

os.makedirs(OUT, exist_ok=True)
H = [0xFFFFFFFF] * 6
seed("logon", ext(rops(logon, H)))
seed("logon_xor", ext(rops(logon, H), xor=True), pulflags=0)
seed("hierarchy", ext(rops(logon + openf(0, 1, ROOT) + hier(1, 2, 0x04) +
                           setcols(2, COLS[:4]) + query(2, 50), H)))
seed("message", ext(rops(logon + openf(0, 1, INBOX) + create(1, 2, INBOX) +
                         setprops(2) + save(3, 2) + cont(1, 4, 0) +
                         setcols(4, COLS[4:]) + query(4, 10) +
                         gps(2, COLS), H)))
seed("props_logon", ext(rops(logon + gps(0, COLS) + release(0) + gps(0, COLS), H)))
seed("small_out", ext(rops(logon + openf(0, 1, ROOT) + hier(1, 2, 0x04) +
                           setcols(2, COLS[:4]) + query(2, 50), H)), cbout=120)
seed("two_chunks", ext(rops(release(0), H))[:0] +
     struct.pack("<HHHH", 0, 0, 5, 5) + rops(release(0), [])[:5] +
     ext(rops(logon, H)))
register = lambda i, o: bytes([0x29, 0, i, o, 0x1E, 0, 1])
seed("notify", ext(rops(logon + register(0, 5) + openf(0, 1, INBOX) +
                        create(1, 2, INBOX) + save(3, 2) + release(5), H)))
sort = lambda i: bytes([0x13, 0, i, 0]) + struct.pack("<HHH", 1, 0, 0) + \
    struct.pack("<HHB", 0x001F, 0x0037, 1)
res_eq = bytes([0x04, 0x04]) + struct.pack("<I", 0x0037001F) + \
    struct.pack("<I", 0x0037001F) + subject
restrict = lambda i: bytes([0x14, 0, i, 0]) + struct.pack("<H", len(res_eq)) + res_eq
recip = (struct.pack("<H", 0x0200 | 0x8000 | 0x0008 | 0x0010) +
         "SMTP".encode("utf-16-le") + b"\0\0" + "a@b.c".encode("utf-16-le") + b"\0\0" +
         "A".encode("utf-16-le") + b"\0\0" + struct.pack("<H", 0) + b"\x00")
modrcpt = lambda i: bytes([0x0E, 0, i]) + struct.pack("<HH", 0, 1) + \
    struct.pack("<IBH", 0, 1, len(recip)) + recip
readrcpt = lambda i: bytes([0x0F, 0, i]) + struct.pack("<IH", 0, 0)
seed("views_recipients", ext(rops(logon + openf(0, 1, INBOX) + create(1, 2, INBOX) +
                                  setprops(2) + modrcpt(2) + save(3, 2) +
                                  readrcpt(2) + cont(1, 4, 0) + setcols(4, COLS[4:]) +
                                  sort(4) + restrict(4) + query(4, 10), H)))
seed("unknown_rop", ext(rops(b"\x00\x00\x00", H)))
seed("no_handles", ext(rops(openf(0, 1, ROOT), [])))

# Outlook 2007's own requests (/work/shared/fixtures): rgbIn of the stubs
fixtures = "/work/shared/fixtures/outlook2007"
for name in sorted(os.listdir(fixtures)) if os.path.isdir(fixtures) else []:
    if not name.endswith(".dat"):
        continue
    stub = open(os.path.join(fixtures, name), "rb").read()
    flags = struct.unpack_from("<I", stub, 20)[0]
    cb = struct.unpack_from("<I", stub, 24)[0]
    seed("outlook2007_" + name[:3], stub[28:28 + cb], pulflags=flags)
print("seeds in", OUT)

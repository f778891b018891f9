#!/usr/bin/env python3
"""Write the seed corpus of fuzz_oxctabl_rops (run once; the seeds are
committed). Each seed: the output buffer size (u16 LE, 0 = 0x8000), then
a RopsList on handle 2 (categorized table) or 3 (flat table).
CA 7E CA 7E CA 7E CA 0N stands for the ID of category N."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_oxctabl_rops")
SUBJECT = 0x0037001F


def categ(n):
    return bytes([0xCA, 0x7E, 0xCA, 0x7E, 0xCA, 0x7E, 0xCA, n])


def query(h, forward=1, count=50, flags=0):
    return bytes([0x15, 0, h, flags, forward]) + struct.pack("<H", count)


def seek(h, origin, rows):
    return bytes([0x18, 0, h, origin]) + struct.pack("<iB", rows, 1)


def expand(h, n, maxrows=10):
    return bytes([0x59, 0, h]) + struct.pack("<H", maxrows) + categ(n)


def collapse(h, n):
    return bytes([0x5A, 0, h]) + categ(n)


def get_state(h, n):
    return bytes([0x6B, 0, h]) + categ(n) + struct.pack("<I", 0)


def set_state(h, blob):
    return bytes([0x6C, 0, h]) + struct.pack("<H", len(blob)) + blob


def res_subject(relop, value):
    v = value.encode("utf-16-le") + b"\0\0"
    return bytes([0x04, relop]) + struct.pack("<II", SUBJECT, SUBJECT) + v


def find(h, res, flags=0, origin=0, bookmark=b""):
    return (bytes([0x4F, 0, h, flags]) + struct.pack("<H", len(res)) + res +
            bytes([origin]) + struct.pack("<H", len(bookmark)) + bookmark)


def fractional(h, num, den):
    return bytes([0x1A, 0, h]) + struct.pack("<II", num, den)


def bookmark(h):
    return bytes([0x1B, 0, h])


def seek_bookmark(h, bm, rows=0):
    return bytes([0x19, 0, h]) + struct.pack("<H", len(bm)) + bm + struct.pack("<iB", rows, 1)


def sort(h, orders, categorized, expanded):
    b = bytes([0x13, 0, h, 0]) + struct.pack("<HHH", len(orders), categorized, expanded)
    for tag, order in orders:
        b += struct.pack("<HHB", tag & 0xFFFF, tag >> 16, order)
    return b


def seed(name, rops, out=0):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<H", out) + b"".join(rops))


os.makedirs(OUT, exist_ok=True)
blob = (b"OCCS\x01\x00" + struct.pack("<HHIQIH", 1, 0, 0, 0, 0, 1) +
        categ(1) + b"\x01")
seed("expand_collapse", [expand(2, 1), query(2), collapse(2, 1), query(2, 0)])
seed("expand_small_out", [expand(2, 0, 100), expand(2, 2, 100)], out=40)
seed("state_roundtrip", [expand(2, 2), get_state(2, 0), set_state(2, blob),
                         query(2)])
seed("find_categ", [expand(2, 0), find(2, res_subject(4, "a2")),
                    find(2, res_subject(1, "b1"), flags=1, origin=2)])
seed("find_flat", [find(3, res_subject(3, "b"), origin=0),
                   find(3, res_subject(0, "c"), flags=1, origin=1),
                   fractional(3, 1, 2), query(3, 0, 3)])
seed("bookmarks", [seek(2, 0, 1), bookmark(2), collapse(2, 0),
                   seek_bookmark(2, b"\x01\x00\x00\x00", 1), query(2, 1, 5, 1)])
seed("resort", [sort(2, [(0x001A001F, 0), (0x0037001F, 4), (0x0037001F, 1)], 1, 1),
                query(2), sort(3, [(0x001A001F, 0)], 1, 0), query(3, 0, 9)])
seed("backward_small", [seek(3, 2, 0), query(3, 0, 100)], out=30)

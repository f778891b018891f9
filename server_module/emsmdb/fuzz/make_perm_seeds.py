#!/usr/bin/python3
"""Seed corpus of fuzz_oxcperm.c: bytes 0-1 the output size (0: 0x8000),
then a RopsList on the prelude's handles (0 logon, 1 Inbox, 2 its
permissions table). ROP layouts: [MS-OXCROPS] 2.2.10.1 / 2.2.10.2,
2.2.5.1 RopSetColumns, 2.2.5.4 RopQueryRows; entry IDs [MS-OXCDATA]
2.2.5.2."""
import os
import struct
import sys

DN = b"/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
PROVIDER = bytes([0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                  0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82])
PidTagEntryId = 0x0FFF0102
PidTagMemberId = 0x66710014
PidTagMemberName = 0x6672001F
PidTagMemberRights = 0x66730003


def eid(account):
    return struct.pack("<I", 0) + PROVIDER + struct.pack("<II", 1, 0) + DN + account + b"\0"


def tpv_bin(tag, data):
    return struct.pack("<IH", tag, len(data)) + data


def tpv_i32(tag, v):
    return struct.pack("<II", tag, v)


def tpv_i64(tag, v):
    return struct.pack("<Iq", tag, v)


def pdata(flags, values):
    return struct.pack("<BH", flags, len(values)) + b"".join(values)


def modify(mflags, rows, index=1):
    return struct.pack("<BBBBH", 0x40, 0, index, mflags, len(rows)) + b"".join(rows)


def table(flags=0):
    cols = [PidTagMemberId, PidTagMemberName, PidTagMemberRights, PidTagEntryId]
    return (struct.pack("<BBBBB", 0x3E, 0, 1, 3, flags) +
            struct.pack("<BBBBH", 0x12, 0, 3, 0, len(cols)) +
            b"".join(struct.pack("<I", c) for c in cols) +
            struct.pack("<BBBBBH", 0x15, 0, 3, 0, 1, 20))


SEEDS = {
    "add_self": modify(0, [pdata(1, [tpv_bin(PidTagEntryId, eid(b"alice")),
                                     tpv_i32(PidTagMemberRights, 0x401)])]) + table(),
    "add_unknown": modify(0, [pdata(1, [tpv_bin(PidTagEntryId, eid(b"zed")),
                                        tpv_i32(PidTagMemberRights, 0x1)])]),
    "modify_default": modify(2, [pdata(2, [tpv_i64(PidTagMemberId, 0),
                                           tpv_i32(PidTagMemberRights, 0x1C01)])]) + table(2),
    "remove_anon": modify(0, [pdata(4, [tpv_i64(PidTagMemberId, -1)])]),
    "replace": modify(1, [pdata(1, [tpv_bin(PidTagEntryId, b""),
                                    tpv_i32(PidTagMemberRights, 0x400)])]) + table(),
    "bad_eid": modify(0, [pdata(1, [tpv_bin(PidTagEntryId, eid(b"alice")[:30]),
                                    tpv_i32(PidTagMemberRights, 0x1)])]),
    "table_only": table(),
    "on_table": modify(0, [pdata(4, [tpv_i64(PidTagMemberId, 1)])], index=2),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_oxcperm")
    os.makedirs(out, exist_ok=True)
    for name, body in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"\0\0" + body)
    with open(os.path.join(out, "entryid_alice"), "wb") as f:
        f.write(eid(b"alice"))


if __name__ == "__main__":
    main()

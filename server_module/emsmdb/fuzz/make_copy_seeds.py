#!/usr/bin/python3
"""Seeds of fuzz_oxc_copy (fuzz_oxc_copy.c): one file per scenario, each
two bytes of output buffer size (0: 0x8000) and a RopsList of the issue-7
ROPs ([MS-OXCROPS] 2.2) on the harness's prelude objects. The IDs are the
prelude's (FUZZ_OXC_COPY_IDS=1 ./fuzz_oxc_copy_replay DIR prints them);
they are the same for every input because each input starts a fresh
store. Usage: make_copy_seeds.py CORPUS-DIR"""

import os
import struct
import sys

INBOX, DELETED = 0x0e00000000000001, 0x1100000000000001
A, B = 0x1f00000000000001, 0x2100000000000001
M1, M2 = 0x2300000000000001, 0x2500000000000001
# handles: 0 logon, 1 Inbox, 2 A, 3 B, 4 Deleted Items, 5 M1, 6 M2, 7 attachment


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def name(s, unicode=True):
    return s.encode("utf-16-le") + b"\0\0" if unicode else s.encode() + b"\0"


def move_folder(src, dst, fid, n, unicode=1):
    return bytes([0x35, 0, src, dst, 1, unicode]) + u64(fid) + name(n, unicode)


def copy_folder(src, dst, fid, n, recursive=1, unicode=1):
    return bytes([0x36, 0, src, dst, 0, recursive, unicode]) + u64(fid) + name(n, unicode)


def copy_to(src, dst, sub, flags, tags=()):
    return bytes([0x39, 0, src, dst, 0, sub, flags]) + u16(len(tags)) + \
        b"".join(u32(t) for t in tags)


def copy_props(src, dst, flags, tags):
    return bytes([0x67, 0, src, dst, 0, flags]) + u16(len(tags)) + \
        b"".join(u32(t) for t in tags)


def read_flags(folder, flags, mids):
    return bytes([0x66, 0, folder, 1, flags]) + u16(len(mids)) + \
        b"".join(u64(m) for m in mids)


def save(h):
    return bytes([0x0C, 0, h, h, 0x02])


SEEDS = {
    "move_within": move_folder(1, 1, A, "A moved"),
    "move_across": move_folder(1, 4, A, "A away"),
    "move_cycle": move_folder(1, 3, A, "loop"),
    "move_8bit": move_folder(1, 4, A, "eight", unicode=0),
    "copy_recursive": copy_folder(1, 4, A, "A copy"),
    "copy_flat": copy_folder(1, 1, A, "A flat", recursive=0),
    "copy_then_move": copy_folder(1, 1, A, "C") + move_folder(1, 4, A, "D"),
    "copyto_msg": copy_to(5, 6, 1, 0) + save(6),
    "copyto_msg_excl": copy_to(5, 6, 1, 2, [0x0E13000D, 0x0037001F]) + save(6),
    "copyto_folder": copy_to(2, 4, 1, 0),
    "copyto_folder_cycle": copy_to(2, 3, 1, 0),
    "copyto_attach": copy_to(7, 7, 1, 0),
    "copyprops_msg": copy_props(5, 6, 1, [0x0037001F, 0x674A0014, 0x0E13000D, 0x6FF0001F]),
    "copyprops_folder": copy_props(2, 3, 2, [0x3001001F, 0x360F000D, 0x360E000D]),
    "readflags": read_flags(1, 0, [M1, M2]) + read_flags(1, 5, [M1, 0x7777]) +
    read_flags(1, 0x10, [M2]) + read_flags(1, 0x60, [M1]),
    "status": bytes([0x20, 0, 1]) + u64(M1) + u32(0x1000) + u32(0x1003) +
    bytes([0x1F, 0, 1]) + u64(M1) + bytes([0x1F, 0, 1]) + u64(0x42),
    "reload": bytes([0x10, 0, 5, 0, 0]) + bytes([0x10, 0, 1, 0, 0]),
    "rcvtable": bytes([0x68, 0, 0]),
    "peruserguid": bytes([0x61, 0, 0]) + bytes(range(24)),
    "progress": bytes([0x50, 0, 1, 0, 0x50, 0, 9, 1]),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for seed, rops in SEEDS.items():
        with open(os.path.join(out, seed), "wb") as f:
            f.write(b"\0\0" + rops)
    # a small output buffer: RopBufferTooSmall paths
    with open(os.path.join(out, "small_out"), "wb") as f:
        f.write(u16(40) + SEEDS["copyto_msg"] + SEEDS["rcvtable"])


if __name__ == "__main__":
    main()

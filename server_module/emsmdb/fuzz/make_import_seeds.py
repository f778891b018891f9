#!/usr/bin/python3
"""Seeds for fuzz_ics_import (see its header for the substitutions):
ImportMessageMove with a reserved, a foreign and an unreserved
DestinationMessageId; SetLocalReplicaMidsetDeleted then imports under a
given-up ID; ImportHierarchyChange with a client ID; GetLocalReplicaIds.
Usage: make_import_seeds.py CORPUS_DIR"""

import os
import struct
import sys

GUID = b"\xAA" * 16                       # the mailbox's replica GUID
CLIENT = bytes(range(0xC0, 0xD0))          # a foreign REPLGUID


def reserved(offset):
    return GUID + b"\xBB" * 4 + struct.pack(">H", offset)


MESSAGE = GUID + b"\xCC" * 6               # the Outbox message
OUTBOX = GUID + b"\xDD" * 6


def move(dest, inp=2):
    fields = (OUTBOX, MESSAGE, b"", dest, CLIENT + b"\x00\x00\x00\x00\x01\x01")
    return bytes([0x78, 0, inp]) + b"".join(struct.pack("<I", len(f)) + f for f in fields)


def give_up(ranges, inp=1):
    body = struct.pack("<I", len(ranges))
    for a, b in ranges:
        body += reserved(a) + b"\x00\x00" + reserved(b) + b"\x00\x00"
    return bytes([0x93, 0, inp]) + struct.pack("<H", len(body)) + body


def tagged_bin(tag, data):
    return struct.pack("<IH", tag, len(data)) + data


def import_change(sk, inp=2, out=5):
    ck = CLIENT + b"\x00\x00\x00\x00\x02\x02"
    vals = (tagged_bin(0x65E00102, sk) + struct.pack("<IQ", 0x30080040, 0x01D0000000000000) +
            tagged_bin(0x65E20102, ck) + tagged_bin(0x65E30102, bytes([22]) + ck))
    save = bytes([0x0C, 0, out, out, 0x02])
    return bytes([0x72, 0, inp, out, 0]) + struct.pack("<H", 4) + vals + save


def import_folder(sk, name, inp=4):
    ck = CLIENT + b"\x00\x00\x00\x00\x03\x03"
    vals = (tagged_bin(0x65E10102, b"") + tagged_bin(0x65E00102, sk) +
            struct.pack("<IQ", 0x30080040, 0x01D0000000000000) +
            tagged_bin(0x65E20102, ck) + tagged_bin(0x65E30102, bytes([22]) + ck) +
            struct.pack("<I", 0x3001001F) + (name + "\0").encode("utf-16-le"))
    return bytes([0x73, 0, inp]) + struct.pack("<H", 6) + vals + struct.pack("<H", 0)


SEEDS = {
    "move_client_id": move(reserved(3)),
    "move_foreign_id": move(CLIENT + b"\x00\x00\x00\x00\x00\x07"),
    "move_unreserved": move(reserved(5000)),
    "give_up_then_import": give_up([(5, 9), (10, 10)]) + import_change(reserved(7)) +
    import_change(reserved(11)),
    "give_up_then_move": give_up([(3, 3)]) + move(reserved(3)),
    "folder_client_id": import_folder(reserved(20), "fuzz folder"),
    "replica_ids": bytes([0x7F, 0, 0]) + struct.pack("<I", 16),
    "everything": give_up([(30, 40), (41, 41), (1, 2)]) + move(reserved(12)) +
    import_change(reserved(13)) + import_folder(reserved(14), "f") + move(reserved(12)),
}

if __name__ == "__main__":
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, rops in SEEDS.items():
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(b"\x00\x00" + rops)

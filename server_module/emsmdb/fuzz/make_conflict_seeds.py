#!/usr/bin/env python3
"""Seeds of fuzz_ics_conflict (the input layout is in its header comment):
the cases of tests/test_ics_conflict.c. Writes corpus/fuzz_ics_conflict/."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_ics_conflict")
CLIENT = bytes([0xC1, 0x1E, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
OTHER = bytes([0x0D, 0xDE, 0x47, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
PAST = 0x01C0000000000000
FUTURE = 0x0300000000000000


def xid(guid, g):
    return guid + g.to_bytes(6, "big")


def round_(flags, lmt, ck, pcl, subject):
    return (bytes([flags]) + struct.pack("<Q", lmt) + bytes([len(ck) - 17]) + ck +
            bytes([len(pcl)]) + pcl + bytes([len(subject)]) + subject)


def pcl_of(*keys):
    return b"".join(bytes([len(k)]) + k for k in keys)


def seed(opts, method, *rounds):
    return bytes([opts, method]) + b"".join(rounds)


def main():
    ck = xid(CLIENT, 300)
    ck2 = xid(OTHER, 7)
    seeds = {
        "default_client_wins": seed(0, 0, round_(0, FUTURE, ck, pcl_of(ck), b"client")),
        "default_server_wins": seed(0, 0, round_(0, PAST, ck, pcl_of(ck), b"client")),
        "third_version": seed(0, 0, round_(0, PAST, ck, pcl_of(ck), b"client"),
                              round_(0, FUTURE, ck2, pcl_of(ck2), b"other")),
        "last_writer_wins": seed(2, 1, round_(0, PAST, ck, pcl_of(ck), b"client")),
        "fai": seed(1, 0, round_(1, PAST, ck, pcl_of(ck), b"client fai")),
        "fail_on_conflict": seed(0, 0, round_(2, FUTURE, ck, pcl_of(ck), b"refused")),
        "no_conflict": seed(0, 0, round_(4, PAST, ck, pcl_of(ck), b"edit")),
        "released_then_saved": seed(0, 0, round_(8, FUTURE, ck, pcl_of(ck), b"gone"),
                                    round_(0, FUTURE, ck, pcl_of(ck), b"kept")),
        "replica_namespace": seed(0, 2, round_(0, FUTURE, b"\xAA" * 16 + bytes(6),
                                               pcl_of(ck), b"own")),
        "bad_pcl": seed(0, 0, round_(0, FUTURE, ck, b"\x05abc", b"bad")),
    }
    os.makedirs(OUT, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

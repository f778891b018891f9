"""[MS-OXCRPC] EMSMDB through a real Samba AD DC with the module loaded,
driven by the project's own client (client/openchange-client) over
ncacn_ip_tcp with NTLM: EcDoConnectEx and its refusals, EcDoRpcExt2
framing and the ROP dispatcher's error paths (unknown ROPs, unimplemented
ROPs, bad handles, RopRelease), EcDoDisconnect, EcDoAsyncConnectEx /
EcDoAsyncWaitEx, EcDummyRpc, and a connection dropped mid-session."""

import os
import struct
import subprocess
import time

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

ecSuccess = 0
ecNotSupported = 0x80040102
ecNotImplemented = 0x80040FFF
ecRpcFormat = 0x000004B6
ecNullObject = 0x000004B9
ecAccessDenied = 0x80070005
ecClientVerDisallowed = 0x000004DF
ecLoginPerm = 0x000003F2
ecNotFound = 0x8004010F
ecMaxObjsExceeded = 0x000004DE

ORG_DN = "/o=First Organization/ou=First Administrative Group"


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


def rop_buffer(rops, handles):
    """RopSize + RopsList + ServerObjectHandleTable ([MS-OXCROPS] 2.2.1)."""
    body = b"".join(rops)
    return (struct.pack("<H", len(body) + 2) + body +
            b"".join(struct.pack("<I", h) for h in handles))


def parse_responses(out):
    """(RopsList bytes, handle table) of a ROP output buffer."""
    size = struct.unpack_from("<H", out)[0]
    handles = [struct.unpack_from("<I", out, i)[0]
               for i in range(size, len(out), 4)]
    return out[2:size], handles


class EmsmdbTest(DCTestCase):
    dc_name = "emsmdb"
    extra_conf = {"dcerpc_mapiproxy:emsmdb_async_wait_timeout": "2",
                  "dcerpc_mapiproxy:emsmdb_max_objects": "16"}

    def run_client(self, *args, seal=True, expect=None, timeout=60):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN]
        if not seal:
            cmd.append("--sign")
        cmd += list(args)
        res = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=timeout)
        kv = {}
        lines = []
        for line in res.stdout.splitlines():
            lines.append(line)
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        if expect is not None:
            self.assertEqual(res.returncode, expect,
                             "%s\nstdout:\n%s\nstderr:\n%s" %
                             (cmd, res.stdout, res.stderr))
        return kv, lines, res

    def raw(self, *buffers, max_out=None):
        args = ["raw"]
        if max_out is not None:
            args += ["--max-out", str(max_out)]
        args += [b.hex() for b in buffers]
        kv, lines, res = self.run_client(*args)
        results = []
        for line in lines:
            if line.startswith("result="):
                results.append([int(line[7:], 16), None])
            elif line.startswith("out="):
                results[-1][1] = bytes.fromhex(line[4:])
        return results, res

    # -- EcDoConnectEx ------------------------------------------------------
    def test_connect(self):
        for seal in (True, False):
            with self.subTest(seal=seal):
                kv, _, _ = self.run_client("connect", seal=seal, expect=0)
                self.assertEqual(int(kv["connect"], 16), ecSuccess)
                self.assertEqual(int(kv["polls_max"]), 60000)
                self.assertEqual(int(kv["retry"]), 6)
                self.assertEqual(int(kv["retry_delay"]), 10000)
                self.assertGreater(int(kv["cxr"]), 0)
                self.assertEqual(kv["server_version"], "0e00,8064,0000")
                self.assertEqual(kv["best_version"], "0e00,9298,03e8")
                self.assertEqual(kv["dn_prefix"], ORG_DN +
                                 "/cn=Configuration/cn=Servers/cn=OCDC")
                self.assertEqual(kv["display_name"].lower(), "administrator")
                self.assertGreater(int(kv["aux_out"]), 8)
                self.assertEqual(int(kv["disconnect"], 16), 0)

    def test_connect_refused(self):
        cases = [
            (["--dn", ORG_DN + "/cn=Recipients/cn=someoneelse"], ecAccessDenied),
            (["--client-version", "0008,02b4,0003"], ecClientVerDisallowed),
            (["--connect-flags", "1"], ecLoginPerm),
        ]
        for args, ec in cases:
            with self.subTest(args=args):
                kv, _, _ = self.run_client(*(args + ["connect"]), expect=1)
                self.assertEqual(int(kv["connect"], 16), ec)
        kv, _, _ = self.run_client("--client-version", "0008,02b4,0003",
                                   "connect", expect=1)
        self.assertEqual(kv["best_version"], "0b00,8000,0000")

    def test_wrong_password(self):
        cmd = [client_path(), "-H", self.dc.ip, "-U", ADMIN + "%wrong",
               "-W", DOMAIN, "connect"]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 1)
        self.assertIn("connect=0xffff0001", res.stdout)

    # -- EcDoRpcExt2 and the dispatcher ----------------------------------------
    def test_unimplemented_rop_answers_its_error(self):
        # RopOpenFolder before any logon: known ROP, handle 0xFFFFFFFF
        open_folder = bytes([0x02, 0x00, 0x00, 0x01]) + struct.pack("<Q", 1) + b"\x00"
        results, _ = self.raw(rop_buffer([open_folder], [0xFFFFFFFF, 0xFFFFFFFF]))
        self.assertEqual(results[0][0], ecSuccess)
        rops, handles = parse_responses(results[0][1])
        self.assertEqual(rops[0], 0x02)
        self.assertEqual(rops[1], 0x01)   # OutputHandleIndex echoed
        self.assertIn(struct.unpack_from("<I", rops, 2)[0],
                      (ecNotImplemented, ecNullObject))
        self.assertEqual(handles, [0xFFFFFFFF, 0xFFFFFFFF])

    def test_unknown_rop_is_rpc_format(self):
        results, _ = self.raw(rop_buffer([b"\x00\x00\x00"], []))
        self.assertEqual(results[0][0], ecRpcFormat)
        # the session is still usable afterwards
        results, _ = self.raw(rop_buffer([b"\x00\x00\x00"], []),
                              rop_buffer([b"\x01\x00\x00"], [0x1234]))
        self.assertEqual(results[0][0], ecRpcFormat)
        self.assertEqual(results[1][0], ecSuccess)

    def test_release_has_no_response(self):
        results, _ = self.raw(rop_buffer([b"\x01\x00\x00", b"\x01\x00\x01"],
                                         [0x6F, 0x6E]))
        self.assertEqual(results[0][0], ecSuccess)
        rops, handles = parse_responses(results[0][1])
        self.assertEqual(rops, b"")
        self.assertEqual(handles, [0x6F, 0x6E])

    def test_truncated_rop_is_rpc_format(self):
        results, _ = self.raw(rop_buffer([b"\x02\x00\x00"], [0xFFFFFFFF]))
        self.assertEqual(results[0][0], ecRpcFormat)

    def test_output_buffer_too_small(self):
        open_folder = bytes([0x02, 0x00, 0x00, 0x01]) + struct.pack("<Q", 1) + b"\x00"
        buf = rop_buffer([open_folder] * 40, [0xFFFFFFFF, 0xFFFFFFFF])
        results, _ = self.raw(buf, max_out=40)
        self.assertEqual(results[0][0], 0x0000047D)   # ecBufferTooSmall
        results, _ = self.raw(buf, max_out=0x8000)
        self.assertEqual(results[0][0], ecSuccess)

    # -- handlers: logon, folders, messages ------------------------------------
    def logon_rop(self, dn=None):
        dn = (dn or ORG_DN + "/cn=Recipients/cn=" + ADMIN).encode() + b"\x00"
        return (bytes([0xFE, 0x00, 0x00, 0x01]) + struct.pack("<II", 0x01000000, 0) +
                struct.pack("<H", len(dn)) + dn)

    def test_logon(self):
        kv, _, _ = self.run_client("logon", expect=0)
        self.assertEqual(int(kv["logon"], 16), ecSuccess)
        fids = [int(kv["fid%d" % i], 16) for i in range(13)]
        self.assertEqual(len(set(fids)), 13)
        self.assertEqual(int(kv["replid"]), 1)
        # a second logon finds the same mailbox
        kv2, _, _ = self.run_client("logon", expect=0)
        self.assertEqual(kv2["fid4"], kv["fid4"])

    def test_folders(self):
        _, lines, _ = self.run_client("folders", expect=0)
        names = [l.split("3001001f=")[1].split(" 3602")[0]
                 for l in lines if l.startswith("folder ")]
        for name in ("Top of Information Store", "Inbox", "Outbox",
                     "Sent Items", "Deleted Items", "Calendar", "Contacts",
                     "Tasks", "Notes", "Drafts", "Journal"):
            self.assertIn(name, names)

    def test_send_and_list(self):
        kv, lines, _ = self.run_client("send", "--to", "bob@example.com",
                                       "--subject", "Greetings", "--body",
                                       "Hello Bob", expect=0)
        self.assertEqual(int(kv["send"], 16), ecSuccess)
        mid = kv["mid"]
        # the mailbox is on the local backend (the embedded default), which
        # keeps what other tests sent: find ours by its MID
        rows = [l for l in lines if l.startswith("message ") and
                ("674a0014=" + mid) in l]
        self.assertEqual(len(rows), 1)
        self.assertIn("0037001f=Greetings", rows[0])
        self.assertIn("001a001f=IPM.Note", rows[0])
        # and it is stored: a new session (a new client process) lists it
        kv2, _, _ = self.run_client("logon", expect=0)
        _, lines2, _ = self.run_client("messages", kv2["fid5"], expect=0)
        self.assertTrue(any(("674a0014=" + mid) in l and
                            "0037001f=Greetings" in l for l in lines2),
                        "message %s not found in a new session:\n%s"
                        % (mid, "\n".join(lines2)))

    def test_read_missing_message(self):
        kv, _, _ = self.run_client("logon", expect=0)
        kv, _, _ = self.run_client("read", kv["fid4"], "0x7f00000000000001",
                                   expect=1)
        self.assertEqual(int(kv["read"], 16), ecNotFound)

    def test_rop_error_paths(self):
        kv, _, _ = self.run_client("logon", expect=0)
        root = int(kv["fid0"], 16)
        H = [0xFFFFFFFF] * 4
        open_root = bytes([0x02, 0x00, 0x00, 0x01]) + struct.pack("<Q", root) + b"\x00"
        open_bad = bytes([0x02, 0x00, 0x00, 0x02]) + struct.pack("<Q", 0x7e00000000000001) + b"\x00"
        query_on_logon = bytes([0x15, 0x00, 0x00, 0x00, 0x01]) + struct.pack("<H", 1)
        results, _ = self.raw(rop_buffer([self.logon_rop(), open_root, open_bad,
                                          query_on_logon], H))
        self.assertEqual(results[0][0], ecSuccess)
        rops, handles = parse_responses(results[0][1])
        self.assertEqual(rops[0], 0xFE)
        self.assertEqual(struct.unpack_from("<I", rops, 2)[0], ecSuccess)
        self.assertNotEqual(handles[0], 0xFFFFFFFF)    # the logon
        self.assertNotEqual(handles[1], 0xFFFFFFFF)    # the root folder
        self.assertEqual(handles[2], 0xFFFFFFFF)       # unknown folder: none
        # the last two responses: ecNotFound, then a table ROP on a logon
        self.assertEqual(rops[-6:-4], bytes([0x15, 0x00]))
        self.assertEqual(struct.unpack_from("<I", rops, len(rops) - 4)[0],
                         ecNotSupported)
        self.assertEqual(struct.unpack_from("<I", rops, len(rops) - 10)[0],
                         ecNotFound)

    def test_logon_to_another_mailbox(self):
        results, _ = self.raw(rop_buffer(
            [self.logon_rop(ORG_DN + "/cn=Recipients/cn=Guest")], [0xFFFFFFFF]))
        rops, handles = parse_responses(results[0][1])
        self.assertEqual(struct.unpack_from("<I", rops, 2)[0], ecLoginPerm)
        self.assertEqual(handles, [0xFFFFFFFF])

    def test_handle_limit(self):
        kv, _, _ = self.run_client("logon", expect=0)
        root = int(kv["fid0"], 16)
        opens = [bytes([0x02, 0x00, 0x00, i]) + struct.pack("<Q", root) + b"\x00"
                 for i in range(1, 20)]
        results, _ = self.raw(rop_buffer([self.logon_rop()] + opens,
                                         [0xFFFFFFFF] * 20))
        rops, handles = parse_responses(results[0][1])
        # 16 objects per session (smb.conf): the logon and 15 folders
        self.assertEqual(sum(1 for h in handles if h != 0xFFFFFFFF), 16)
        self.assertEqual(struct.unpack_from("<I", rops, len(rops) - 4)[0],
                         ecMaxObjsExceeded)

    # -- the other operations --------------------------------------------------
    def emsmdb_dce(self):
        from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY
        return self.impacket_dce("exchange_emsmdb", RPC_C_AUTHN_LEVEL_PKT_PRIVACY)

    def fault_of(self, dce, opnum, stub):
        from impacket.dcerpc.v5.rpcrt import DCERPCException
        dce.call(opnum, stub)
        with self.assertRaises(DCERPCException) as cm:
            dce.recv()
        return str(cm.exception)

    def test_dummy_rpc_and_unused_opnums(self):
        dce = self.emsmdb_dce()
        dce.call(6, b"")
        self.assertEqual(dce.recv(), b"\x00\x00\x00\x00")
        for opnum in (0, 2, 3, 5, 7, 8, 9, 12, 13):
            with self.subTest(opnum=opnum):
                self.assertIn("nca_s_op_rng_error", self.fault_of(dce, opnum, b""))
        dce.disconnect()

    def test_rpcext2_with_unknown_handle_faults(self):
        dce = self.emsmdb_dce()
        stub = (b"\x00" * 4 + os.urandom(16) +      # CXH
                struct.pack("<I", 0) +               # pulFlags
                struct.pack("<I", 0) +               # rgbIn: conformance 0
                struct.pack("<I", 0) +               # cbIn
                struct.pack("<I", 0x8000) +          # pcbOut
                struct.pack("<I", 0) +               # rgbAuxIn conformance
                struct.pack("<I", 0) +               # cbAuxIn
                struct.pack("<I", 0))                # pcbAuxOut
        self.assertIn("context_mismatch", self.fault_of(dce, 11, stub))
        # EcDoDisconnect and EcDoAsyncConnectEx the same
        self.assertIn("context_mismatch",
                      self.fault_of(dce, 1, b"\x00" * 4 + os.urandom(16)))
        self.assertIn("context_mismatch",
                      self.fault_of(dce, 14, b"\x00" * 4 + os.urandom(16)))
        dce.disconnect()

    def test_async_wait_times_out(self):
        start = time.time()
        kv, _, _ = self.run_client("async-wait", expect=0)
        self.assertEqual(int(kv["async_wait"], 16), ecSuccess)
        self.assertEqual(int(kv["flags"], 16), 0)
        # parked on the server until the (configured) 2 s timeout
        self.assertGreaterEqual(time.time() - start, 1.5)

    def test_notification_reaches_another_session(self):
        """[MS-OXCNOTIF]: a session subscribed to the whole mailbox parks
        in EcDoAsyncWaitEx; another session's new message wakes it, and
        its next EcDoRpcExt2 carries RopNotify."""
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN, "notify-wait", "10"]
        waiter = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(waiter.stdout.readline().strip(), "subscribed=1")
            time.sleep(0.3)
            kv, _, _ = self.run_client("send", "--subject", "ping", expect=0)
            out, err = waiter.communicate(timeout=60)
        finally:
            if waiter.poll() is None:
                waiter.kill()
        self.assertEqual(waiter.returncode, 0, out + err)
        self.assertIn("flags=0x00000001", out)
        events = [l for l in out.splitlines() if l.startswith("event ")]
        # ObjectCreated (0x0004) with the message flag (0x8000), in the Outbox
        self.assertTrue(any("type=0x8004" in e and "mid=" + kv["mid"] in e
                            for e in events), out)

    def test_dropped_connection_frees_the_session(self):
        before = self.dc.log_text().count("(connection gone)") + \
            self.dc.log_text().count("emsmdb: session")
        kv, _, _ = self.run_client("drop", expect=0)
        self.assertEqual(kv["dropped"], "1")
        # the session's context handle runs down with the association group
        deadline = time.time() + 10
        while time.time() < deadline:
            if "ended" in self.dc.log_text():
                break
            time.sleep(0.2)
        self.assertIn("ended", self.dc.log_text())
        self.assertGreater(before, 0)
        # and the server keeps serving
        kv, _, _ = self.run_client("connect", expect=0)


if __name__ == "__main__":
    main()

"""The transport ([MS-OXOMSG] 3.2.5.1, doc/transport.md) through a real
Samba AD DC with the module loaded, driven by the project's client
(client/openchange-client): alice and bob are mailbox users made by
openchange_newuser; an SMTP sink (Python's smtpd, a separate process
started and stopped by pid) listens on 127.0.0.1 and is the DC's
mapiproxy:smtp_smarthost.

* alice -> bob (local, by SMTP address and by legacyExchangeDN): bob's
  notify-wait session is woken with NewMail in his Inbox, and a new bob
  session lists the message in his Inbox;
* alice -> an outside address: the sink receives the RFC 5322 message
  (From, To, Subject, the body with a lone "." line intact), and alice's
  copy is in Sent Items (PidTagSentMailSvrEID);
* a recipient the sink refuses: a non-delivery report in alice's Inbox;
* ICS: bob's incremental contents sync of his Inbox (state from before the
  delivery) reports the delivered message as one change.
"""

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from octest import DCTestCase, DOMAIN, main

import ocharness
import test_ics as ics
from test_provision_helpers import add_user, tool

DN_PREFIX = "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn="
USERS = {"alice": "Pass1234!x", "bob": "Pass1234!x"}
fnevNewMail = 0x0002

# The sink: every accepted message becomes OUTDIR/msg-N.eml with the
# envelope in front; a message for bounce@... is refused at DATA.
SINK = r'''
import os, sys, warnings
warnings.simplefilter("ignore")
import asyncore, smtpd
host, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Sink(smtpd.SMTPServer):
    n = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        if any(r.startswith("bounce@") for r in rcpttos):
            return "554 5.7.1 rejected by the test sink"
        Sink.n += 1
        path = os.path.join(outdir, "msg-%d.eml" % Sink.n)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Envelope-From: %s\nX-Envelope-To: %s\n"
                     % (mailfrom, ",".join(rcpttos))).encode())
            f.write(data)
        os.rename(path + ".tmp", path)
        return None

Sink((host, port), None, decode_data=False)
print("ready", flush=True)
asyncore.loop()
'''


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


def logon_as(user):
    """RopLogon of @user's private mailbox ([MS-OXCROPS] 2.2.3.1)."""
    dn = (DN_PREFIX + user).encode() + b"\x00"
    return (bytes([0xFE, 0x00, 0x00, 0x01]) + struct.pack("<II", 0x01000000, 0) +
            struct.pack("<H", len(dn)) + dn)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class DeliveryTest(DCTestCase):
    dc_name = "delivery"

    @classmethod
    def setUpClass(cls):
        cls.outdir = tempfile.mkdtemp(prefix="oc-smtp-sink-")
        cls.port = free_port()
        cls.sink = subprocess.Popen(
            ["/usr/bin/python3", "-c", SINK, "127.0.0.1", str(cls.port),
             cls.outdir], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        if cls.sink.stdout.readline().strip() != "ready":
            cls.stop_sink()
            raise RuntimeError("SMTP sink did not start")
        cls.extra_conf = {
            "mapiproxy:smtp_smarthost": "127.0.0.1:%d" % cls.port,
            "mapiproxy:smtp_helo_name": "ocdc.example.com",
        }
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            # the Exchange schema and two mailbox users (guide 6.2, 7)
            rc, out, err = tool("openchange_provision", "-s", cls.dc.smbconf,
                                "--standalone")
            if rc != 0:
                raise RuntimeError(out + err)
            for user in USERS:
                add_user(cls.dc, user)
                rc, out, err = tool("openchange_newuser", "-s",
                                    cls.dc.smbconf, "--create", user)
                if rc != 0:
                    raise RuntimeError(out + err)
            cls.dc.start_with_module(None, expect_loaded=True)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            cls.stop_sink()
            raise
        cls._failed = False

    @classmethod
    def stop_sink(cls):
        if cls.sink.poll() is None:
            os.kill(cls.sink.pid, signal.SIGTERM)
            try:
                cls.sink.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(cls.sink.pid, signal.SIGKILL)
                cls.sink.wait()
        cls.sink.stdout.close()
        cls.sink.stderr.close()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.stop_sink()
            shutil.rmtree(cls.outdir, ignore_errors=True)

    def client_cmd(self, user, *args):
        return [client_path(), "-H", self.dc.ip, "-U",
                "%s%%%s" % (user, USERS[user]), "-W", DOMAIN] + list(args)

    def client(self, user, *args, expect_rc=0):
        res = subprocess.run(self.client_cmd(user, *args), capture_output=True,
                             text=True, timeout=120)
        self.assertEqual(res.returncode, expect_rc,
                         "%s\nstdout:\n%s\nstderr:\n%s\nlog:\n%s"
                         % (args, res.stdout, res.stderr, self.dc.log_tail(40)))
        kv, lines = {}, res.stdout.splitlines()
        for line in lines:
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        return kv, lines

    def subjects(self, user, fid):
        _, lines = self.client(user, "messages", fid)
        return [l.split("0037001f=", 1)[1].split(" 001a001f=")[0]
                for l in lines if l.startswith("message ") and "0037001f=" in l]

    def classes(self, user, fid):
        _, lines = self.client(user, "messages", fid)
        return [l for l in lines if l.startswith("message ")]

    def wait_sink(self, subject, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for name in sorted(os.listdir(self.outdir)):
                if not name.endswith(".eml"):
                    continue
                with open(os.path.join(self.outdir, name), "rb") as f:
                    data = f.read().decode("utf-8", "replace")
                if ("Subject: %s\n" % subject) in data:
                    return data
            time.sleep(0.2)
        self.fail("the sink got no message '%s'; log:\n%s"
                  % (subject, self.dc.log_tail(40)))

    def test_local_delivery_wakes_the_recipient(self):
        bob, _ = self.client("bob", "logon")
        waiter = subprocess.Popen(self.client_cmd("bob", "notify-wait", "10"),
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(waiter.stdout.readline().strip(), "subscribed=1")
            time.sleep(0.3)
            kv, _ = self.client("alice", "mail", "--to", "bob@example.com",
                                "--subject", "Hello Bob", "--body", "Hi",
                                "--sent-items")
            self.assertEqual(int(kv["mail"], 16), 0)
            out, err = waiter.communicate(timeout=60)
        finally:
            if waiter.poll() is None:
                os.kill(waiter.pid, signal.SIGKILL)
                waiter.wait()
        self.assertEqual(waiter.returncode, 0, out + err)
        events = [l for l in out.splitlines() if l.startswith("event ")]
        self.assertTrue(any("type=0x%04x" % (0x8000 | fnevNewMail) in e and
                            ("fid=" + bob["fid4"]) in e for e in events)
                        or any("type=0x%04x" % fnevNewMail in e and
                               ("fid=" + bob["fid4"]) in e for e in events),
                        out)
        # a new session of bob's sees it in his Inbox
        self.assertIn("Hello Bob", self.subjects("bob", bob["fid4"]))
        # alice's copy went to Sent Items
        self.assertIn("Hello Bob", self.subjects("alice", kv["sent_items"]))

    def raw(self, user, buf):
        res = subprocess.run(self.client_cmd(user, "raw", buf.hex()),
                             capture_output=True, text=True, timeout=120)
        outs = [ics.walk(bytes.fromhex(l[4:])) for l in res.stdout.splitlines()
                if l.startswith("out=")]
        self.assertEqual(len(outs), 1, res.stdout + res.stderr)
        return outs[0]

    def ics_sync(self, user, inbox, state):
        """bob's contents sync of his Inbox: (kv, strings, new state)."""
        rops = [logon_as(user), ics.open_folder(inbox), ics.configure()]
        rops += ics.upload_state(state or {})
        rops += [ics.get_buffer()] * 8
        out = self.raw(user, ics.rop_buffer(rops, [0xFFFFFFFF] * 4))
        for rop, rv, _ in out:
            self.assertEqual(rv, 0, "ROP 0x%02x" % rop)
        data, done = b"", False
        for rop, _, f in out:
            if rop == 0x4E and not done:
                data += f["data"]
                done = f["status"] == 3
        self.assertTrue(done)
        res = subprocess.run([os.path.join(ocharness.build_dir(), "server_module",
                                           "emsmdb", "ics_stream_check"),
                              "contents", data.hex()],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        kv, strings = {}, []
        for line in res.stdout.splitlines():
            k, v = line.split("=", 1)
            if k == "string":
                strings.append(v)
            else:
                kv[k] = v
        self.assertEqual(kv["valid"], "yes")
        return kv, strings, {n: bytes.fromhex(kv[n]) for n, _ in ics.STATE_NAMES
                             if n in kv}

    def test_ics_sees_the_delivery(self):
        bob, _ = self.client("bob", "logon")
        inbox = int(bob["fid4"], 16)
        _, _, st1 = self.ics_sync("bob", inbox, None)
        kv, strings, _ = self.ics_sync("bob", inbox, st1)
        self.assertEqual(int(kv["changes"]), 0)
        kv, _ = self.client("alice", "mail", "--to", "bob@example.com",
                            "--subject", "Seen by ICS", "--body", "x")
        self.assertEqual(int(kv["mail"], 16), 0)
        kv, strings, _ = self.ics_sync("bob", inbox, st1)
        self.assertEqual(int(kv["changes"]), 1, strings)
        self.assertIn("Seen by ICS", strings)

    def test_local_delivery_by_legacy_dn(self):
        bob, _ = self.client("bob", "logon")
        kv, _ = self.client("alice", "mail", "--to", "EX:" + DN_PREFIX + "bob",
                            "--subject", "By DN", "--body", "x")
        self.assertEqual(int(kv["mail"], 16), 0)
        self.assertIn("By DN", self.subjects("bob", bob["fid4"]))

    def test_relay_to_the_smarthost(self):
        kv, _ = self.client("alice", "mail", "--to", "ext@remote.example",
                            "--cc", "bob@example.com", "--subject",
                            "Hi outside", "--body", "line one\n.\nend",
                            "--sent-items")
        self.assertEqual(int(kv["mail"], 16), 0)
        data = self.wait_sink("Hi outside")
        self.assertIn("X-Envelope-From: alice@example.com\n", data)
        # bob is local: only the outside address is relayed
        self.assertIn("X-Envelope-To: ext@remote.example\n", data)
        self.assertIn("\nFrom: ", data)
        self.assertIn("<alice@example.com>\n", data)
        self.assertIn("\nTo: ext@remote.example\n", data)
        self.assertIn("\nCc: bob@example.com\n", data)
        self.assertIn("\nMessage-ID: <", data)
        self.assertIn("\nDate: ", data)
        self.assertIn("MIME-Version: 1.0\n", data)
        # dot-stuffed on the wire, unstuffed by the sink
        self.assertIn("\n\nline one\n.\nend", data)
        self.assertIn("Hi outside", self.subjects("alice", kv["sent_items"]))
        self.assertNotIn("Hi outside", self.subjects("alice", kv["outbox"]))

    def test_refused_recipient_gets_an_ndr(self):
        kv, _ = self.client("alice", "mail", "--to", "bounce@remote.example",
                            "--subject", "Will bounce", "--body", "x",
                            "--delete-after")
        self.assertEqual(int(kv["mail"], 16), 0)
        rows = [l for l in self.classes("alice", kv["inbox"])
                if "Undeliverable: Will bounce" in l]
        self.assertEqual(len(rows), 1, self.classes("alice", kv["inbox"]))
        self.assertIn("001a001f=REPORT.IPM.Note.NDR", rows[0])
        # PidTagDeleteAfterSubmit: no copy anywhere
        self.assertNotIn("Will bounce", self.subjects("alice", kv["outbox"]))
        self.assertNotIn("Will bounce", self.subjects("alice", kv["sent_items"]))
        self.assertIn("rejected by the test sink", self.dc.log_text())


if __name__ == "__main__":
    sys.exit(main())

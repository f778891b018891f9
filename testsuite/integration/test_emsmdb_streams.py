"""[MS-OXCPRPT] streams and named properties through a real Samba AD DC
with the module loaded, driven by the project's client
(client/openchange-client): a 1 MB PidTagBody written through
RopOpenStream(Create) / RopWriteStream in pieces, committed and saved,
then read back through a read-only stream with RopReadStream's 0xBABE
ByteCount in pieces, each in its own EcDoRpcExt2; a string-named property
mapped with and without the create flag and read back."""

import os
import subprocess
import tempfile

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

ecWarnWithErrors = 0x00040380
PS_PUBLIC_STRINGS = "00020329-0000-0000-c000-000000000046"


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


class EmsmdbStreamsTest(DCTestCase):
    dc_name = "streams"

    def run_client(self, *args, timeout=300):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        self.assertEqual(res.returncode, 0, "%s\nstdout:\n%s\nstderr:\n%s" %
                         (cmd, res.stdout, res.stderr))
        kv = {}
        for line in res.stdout.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        return kv

    def test_large_body_through_streams(self):
        # 1 MiB of UTF-16LE text (512 Ki characters, some outside Latin-1)
        text = ("The quick brown fox \u00e9\u4e2d jumps. " * 20000)[:512 * 1024]
        body = text.encode("utf-16-le")
        self.assertEqual(len(body), 1 << 20)
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "body.bin")
            dst = os.path.join(tmp, "back.bin")
            with open(src, "wb") as f:
                f.write(body)
            put = self.run_client("stream-put", "--file", src,
                                  "--subject", "big body", "--chunk", "16000")
            self.assertEqual(put["stream_put"], "0")
            self.assertEqual(int(put["written"]), len(body))
            self.assertEqual(int(put["writes"]), (len(body) + 15999) // 16000)
            get = self.run_client("stream-get", put["folder"], put["mid"],
                                  "--out", dst, "--max", "0x10000")
            self.assertEqual(get["stream_get"], "0")
            self.assertEqual(int(get["stream_size"]), len(body))
            self.assertEqual(int(get["read"]), len(body))
            # read in pieces: each reply is bounded by the response buffer
            self.assertGreater(int(get["reads"]), 16)
            with open(dst, "rb") as f:
                back = f.read()
        self.assertEqual(back, body)

    def test_small_pieces(self):
        body = "h\u00e9llo w\u00f6rld".encode("utf-16-le")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "body.bin")
            dst = os.path.join(tmp, "back.bin")
            with open(src, "wb") as f:
                f.write(body)
            put = self.run_client("stream-put", "--file", src, "--chunk", "4")
            self.assertEqual(int(put["writes"]), (len(body) + 3) // 4)
            get = self.run_client("stream-get", put["folder"], put["mid"],
                                  "--out", dst, "--max", "6")
            self.assertEqual(int(get["reads"]), (len(body) + 5) // 6)
            with open(dst, "rb") as f:
                self.assertEqual(f.read(), body)

    def test_named_property(self):
        kv = self.run_client("named", PS_PUBLIC_STRINGS, "oc-streams-test")
        self.assertEqual(int(kv["nocreate_rv"], 16), ecWarnWithErrors)
        self.assertEqual(int(kv["nocreate_id"], 16), 0)
        pid = int(kv["id"], 16)
        self.assertGreaterEqual(pid, 0x8000)
        self.assertEqual(kv["name"], "oc-streams-test")
        self.assertGreaterEqual(int(kv["query_count"]), 1)
        # the mapping is the mailbox's: a new session finds the same ID
        again = self.run_client("named", PS_PUBLIC_STRINGS, "oc-streams-test")
        self.assertEqual(int(again["nocreate_rv"], 16), 0)
        self.assertEqual(int(again["nocreate_id"], 16), pid)
        self.assertEqual(int(again["id"], 16), pid)


if __name__ == "__main__":
    main()

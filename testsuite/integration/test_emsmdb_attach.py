"""[MS-OXCMSG] attachments and embedded messages through a real Samba AD
DC with the module loaded, driven by the project's client
(openchange-client attach-put / attach-get): a message with a file
attachment (afByValue, PidTagAttachDataBinary) and an embedded message
(RopOpenEmbeddedMessage Create) is saved in one session and read back in
a new session (a new client process): PidTagHasAttachments, the
attachment table, the file's bytes, the embedded message's subject."""

import os
import subprocess
import tempfile

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness

ecSuccess = 0


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


class EmsmdbAttachTest(DCTestCase):
    dc_name = "emsmdbatt"

    def run_client(self, *args, expect=None, timeout=60):
        cmd = [client_path(), "-H", self.dc.ip, "-U", "%s%%%s" % (ADMIN, PASSWORD),
               "-W", DOMAIN] + list(args)
        res = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=timeout)
        kv = {}
        lines = res.stdout.splitlines()
        for line in lines:
            if "=" in line and " " not in line.split("=", 1)[0]:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
        if expect is not None:
            self.assertEqual(res.returncode, expect,
                             "%s\nstdout:\n%s\nstderr:\n%s" %
                             (cmd, res.stdout, res.stderr))
        return kv, lines, res

    def test_file_and_embedded_message_roundtrip(self):
        data = bytes(range(256)) * 8 + b"end of file\n"
        with tempfile.NamedTemporaryFile(prefix="oc-attach-", suffix=".bin",
                                         delete=False) as f:
            f.write(data)
            path = f.name
        try:
            kv, _, _ = self.run_client("attach-put", "--file", path,
                                       "--subject", "with attachments",
                                       "--inner-subject", "forwarded item",
                                       expect=0)
        finally:
            os.unlink(path)
        self.assertEqual(int(kv["attach_put"], 16), ecSuccess)
        ids = [int(x) for x in kv["attach_ids"].split(",")]
        self.assertEqual(len(set(ids)), 2)
        mid, folder = kv["mid"], kv["folder"]
        self.assertNotEqual(int(mid, 16), 0)

        # a new session (a new client process) reads both back
        kv, lines, _ = self.run_client("attach-get", folder, mid, expect=0)
        self.assertEqual(int(kv["attach_get"], 16), ecSuccess)
        self.assertEqual(kv["has_attach"], "1")
        rows = [l for l in lines if l.startswith("attachment ")]
        self.assertEqual(len(rows), 2, "\n".join(lines))
        by_num = {}
        for row in rows:
            fields = dict(x.split("=", 1) for x in row.split()[1:])
            by_num[int(fields["num"])] = fields
        self.assertEqual(sorted(by_num), sorted(ids))
        file_row = by_num[ids[0]]
        self.assertEqual(file_row["method"], "1")           # afByValue
        self.assertEqual(file_row["name"], os.path.basename(path))
        self.assertGreaterEqual(int(file_row["size"]), len(data))
        self.assertEqual(by_num[ids[1]]["method"], "5")     # afEmbeddedMessage
        self.assertEqual(bytes.fromhex(kv["data"]), data)
        self.assertEqual(kv["embedded_subject"], "forwarded item")

    def test_message_without_attachments(self):
        # a message without attachments: has_attach 0, an empty table
        kv, _, _ = self.run_client("send", "--to", "bob@example.com",
                                   "--subject", "plain", "--body", "x",
                                   expect=0)
        kv2, lines, _ = self.run_client("attach-get", kv["folder"], kv["mid"],
                                        expect=0)
        self.assertEqual(kv2["has_attach"], "0")
        self.assertFalse([l for l in lines if l.startswith("attachment ")])


if __name__ == "__main__":
    main()

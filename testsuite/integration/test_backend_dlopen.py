"""A mapistore backend loaded from mapistore:backends_path serves a mailbox
through a real Samba (issue 5: the dlopen loader in the server).

The backend is testsuite/backends' `memtest.so`: the memory backend's
sources built once more as a loadable module, linked against the shared
libmapistore as a third-party backend is. It registers in the registry
that mapiproxy.so reads only because the module links that same shared
library (with mapistore linked statically into mapiproxy.so, the backend
registered in a second copy and the first logon failed: the negative
control this test was written against). The mailbox's special folders go
to it through mapistore:default_backend, and the indexing database shows
their URIs in its scheme."""

import os
import sqlite3

from octest import DCTestCase, main

import ocharness
import test_emsmdb


def backends_dir():
    return os.path.join(ocharness.build_dir(), "testsuite", "backends")


class BackendDlopenTest(DCTestCase):
    dc_name = "dlopen"
    extra_conf = {"mapistore:backends_path": backends_dir(),
                  "mapistore:default_backend": "memtest"}

    run_client = test_emsmdb.EmsmdbTest.run_client

    def indexed_uris(self):
        db = os.path.join(self.dc.dir, "private", "openchange.db")
        con = sqlite3.connect(db)
        try:
            return [r[0] for r in con.execute("SELECT uri FROM mstore_indexing")]
        finally:
            con.close()

    def test_loaded_and_serving(self):
        self.assertTrue(os.path.exists(os.path.join(backends_dir(), "memtest.so")))
        kv, lines, _ = self.run_client("send", "--to", "bob@example.com",
                                       "--subject", "Via memtest", "--body",
                                       "stored by a dlopen'd backend", expect=0)
        self.assertEqual(int(kv["send"], 16), test_emsmdb.ecSuccess)
        rows = [l for l in lines if l.startswith("message ") and
                ("674a0014=" + kv["mid"]) in l]
        self.assertEqual(len(rows), 1)
        self.assertIn("0037001f=Via memtest", rows[0])
        # the loader said so, at the level an admin reads
        self.dc.wait_log("1 mapistore backend(s) loaded, special folders in "
                         "'memtest'")
        uris = self.indexed_uris()
        self.assertTrue(uris, "no indexing rows")
        self.assertTrue(all(u.startswith("memtest://") for u in uris),
                        "special folders not in the loaded backend: %r" % uris)
        self.assertTrue(any("/Outbox" in u or "outbox" in u.lower() for u in uris),
                        uris)


if __name__ == "__main__":
    main()

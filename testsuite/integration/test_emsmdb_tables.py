"""[MS-OXCTABL] table ROPs through a real Samba AD DC with the module
loaded, driven by the project's client (`openchange-client tables`,
client/occ_cli_tables.c): a new folder of 30 messages "t00".."t29" in
three categories (PidTagMessageClass IPM.Note.CatA/B/C by i % 3); a
categorized RopSortTable (CategorizedCount 1, ExpandedCount 0), RopExpandRow
and RopCollapseRow, RopGetCollapseState / RopSetCollapseState across a
re-sort, a MaximumCategory order (categories by their largest subject);
then, sorted by subject, RopFindRow forward and backward,
RopSeekRowFractional and a backward RopQueryRows (doc/emsmdb-tables.md)."""

import os
import subprocess

from octest import DCTestCase, ADMIN, DOMAIN, PASSWORD, main

import ocharness


def client_path():
    return os.path.join(ocharness.build_dir(), "client", "openchange-client")


class EmsmdbTablesTest(DCTestCase):
    dc_name = "tables"

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

    def test_categories_and_find(self):
        kv = self.run_client("tables", "--count", "30")
        self.assertEqual(kv["tables"], "0x00000000")
        a = ["t%02d" % i for i in range(0, 30, 3)]
        b = ["t%02d" % i for i in range(1, 30, 3)]
        # three collapsed headers (ExpandedCount 0)
        self.assertEqual(kv["collapsed"], "A- B- C-")
        # expanding B: ten rows appear, the first four sent
        self.assertEqual(int(kv["expanded_count"]), 10)
        self.assertEqual(int(kv["expanded_rows"]), 4)
        self.assertEqual(kv["expanded_first"], b[0])
        self.assertEqual(kv["expanded"], " ".join(["A-", "B+"] + b + ["C-"]))
        self.assertEqual(int(kv["expanded_rows"]), 4)
        self.assertEqual(int(kv["collapsed_count"]), 10)
        # the state (A expanded) survives a re-sort through the blob
        self.assertEqual(int(kv["state_size"]), 28 + 9)
        self.assertEqual(kv["resorted"], "A- B- C-")
        self.assertEqual(kv["restored"], " ".join(["A+"] + a + ["B-", "C-"]))
        self.assertEqual(kv["bookmark_row"], "C")
        # MaximumCategory: C holds t29, the largest subject, then B (t28)
        self.assertEqual(kv["aggregated"], "C- B- A-")
        # the flat sort by subject
        self.assertEqual(kv["find_fwd"], "t17")
        self.assertEqual(int(kv["find_fwd_pos"]), 17)
        self.assertEqual(kv["find_back"], "t05")
        self.assertEqual(int(kv["find_back_pos"]), 5)
        self.assertEqual(int(kv["frac_num"]), 15)
        self.assertEqual(int(kv["frac_den"]), 30)
        self.assertEqual(int(kv["back_count"]), 5)
        self.assertEqual(kv["back_first"], "t25")
        self.assertEqual(int(kv["back_origin"]), 1)   # BOOKMARK_CURRENT
        self.assertEqual(int(kv["back_pos"]), 25)


if __name__ == "__main__":
    main()

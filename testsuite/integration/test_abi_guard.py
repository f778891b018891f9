"""The ABI guard: a module built against other Samba headers (simulated by a
test build with one struct size skewed) must refuse to register, say so in
one level-0 log line, and leave the DC running: Samba's own RPC services
still answer and the endpoint mapper does not list our interfaces."""

import os

from octest import DCTestCase, UUIDS, main
import ocharness

from impacket.dcerpc.v5 import epm
from impacket.uuid import uuidtup_to_bin


class AbiGuardTest(DCTestCase):
    dc_name = "abiguard"
    module_path = os.path.join(ocharness.build_dir(), "server_module",
                               "mapiproxy_abiskew.so")

    def test_refused_with_one_log_line(self):
        self.dc.wait_log("mapiproxy: NOT loaded: built against other Samba "
                         "headers", timeout=10)
        log = self.dc.log_text()
        self.assertEqual(log.count("mapiproxy: NOT loaded"), 1)
        self.assertIn("dcesrv_call_state", log)
        self.assertNotIn("mapiproxy: loaded", log)

    def test_dc_keeps_serving(self):
        ids = self.samba_mgmt().inq_if_ids()
        self.assertGreater(len(ids.if_id), 0)
        # the rpc task did not restart: samba's master is still our process
        self.assertIsNone(self.dc.proc.poll())
        self.assertNotIn("task_server_terminate", self.dc.log_text())

    def test_interfaces_not_registered(self):
        with self.assertRaises(Exception):
            epm.hept_map(self.dc.ip, uuidtup_to_bin(UUIDS["exchange_ds_rfr"]),
                         protocol="ncacn_ip_tcp")


if __name__ == "__main__":
    main()

"""The module's smb.conf options (doc/configuration.md), each through a real
DC: unknown interface names are logged and skipped without harming the DC,
dcerpc_mapiproxy:server = false serves nothing, and both forms of the
guide's `dcerpc endpoint servers` line load the module."""

from octest import DCTestCase, UUIDS, main

from impacket.dcerpc.v5 import epm, oxabref
from impacket.uuid import uuidtup_to_bin


def rfr_registered(ip):
    try:
        epm.hept_map(ip, uuidtup_to_bin(UUIDS["exchange_ds_rfr"]),
                     protocol="ncacn_ip_tcp")
        return True
    except Exception:
        return False


class UnknownInterfaceTest(DCTestCase):
    dc_name = "optunknown"
    extra_conf = {"dcerpc_mapiproxy:interfaces":
                  "exchange_ds_rfr, no_such_interface"}

    def test_logged_and_skipped(self):
        log = self.dc.log_text()
        self.assertIn("unknown interface 'no_such_interface'", log)
        self.assertIn("serving: exchange_ds_rfr", log)
        self.assertTrue(rfr_registered(self.dc.ip))
        self.assertGreater(len(self.samba_mgmt().inq_if_ids().if_id), 0)


class ServerDisabledTest(DCTestCase):
    dc_name = "optdisabled"
    extra_conf = {"dcerpc_mapiproxy:server": "false"}

    @classmethod
    def setUpClass(cls):
        # no "loaded" line is expected: start without waiting for it
        import ocharness
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf)
        cls.dc.prepare()
        cls.dc.start_with_module(expect_loaded=False)
        cls._failed = False

    def test_serves_nothing(self):
        self.dc.wait_log("disabled by dcerpc_mapiproxy:server = false")
        self.assertNotIn("mapiproxy: loaded", self.dc.log_text())
        self.assertFalse(rfr_registered(self.dc.ip))
        self.assertGreater(len(self.samba_mgmt().inq_if_ids().if_id), 0)


class GuideReplaceFormTest(DCTestCase):
    """Guide 6.2's first form replaces Samba's list of endpoint servers
    (doc/configuration.md explains why the '+' form is preferred)."""
    dc_name = "optguide"
    extra_conf = {"dcerpc endpoint servers": "epmapper, mapiproxy, dnsserver"}

    def test_module_serves(self):
        self.assertTrue(rfr_registered(self.dc.ip))
        dce = self.impacket_dce("exchange_ds_rfr")
        self.assertIn(self.dc.fqdn.lower(),
                      str(oxabref.hRfrGetNewDSA(dce)["ppszServer"]))


if __name__ == "__main__":
    main()

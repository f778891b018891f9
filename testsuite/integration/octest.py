"""Shared pieces of the integration tests: a unittest base class that runs
one throwaway DC (with the freshly built module installed) per test class,
and client factories for impacket and for Samba's Python bindings.

Every test file is run by meson as its own test, with Debian's
/usr/bin/python3 (the samba and impacket modules live there).
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ocharness  # noqa: E402

ADMIN = "Administrator"
DOMAIN = ocharness.DOMAIN
PASSWORD = ocharness.ADMINPASS

UUIDS = {
    "exchange_emsmdb": ("A4F1DB00-CA47-1067-B31F-00DD010662DA", "0.81"),
    "exchange_async_emsmdb": ("5261574A-4572-206E-B268-6B199213B4E4", "0.1"),
    "exchange_nsp": ("F5CC5A18-4264-101A-8C59-08002B2F8426", "56.0"),
    "exchange_ds_rfr": ("1544F5E0-613C-11D1-93DF-00C04FD7BD09", "1.0"),
    "mapiproxy_test": ("5c1a9f0e-6f3b-4c2e-9a57-0c68a3f7e201", "1.0"),
}


class DCTestCase(unittest.TestCase):
    """One DC for the whole class; its directory is kept if a test failed."""

    dc_name = "dc"
    extra_conf = {}
    services = "rpc"
    module_path = None   # None: the normal build of the module

    @classmethod
    def setUpClass(cls):
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            cls.dc.start_with_module(cls.module_path,
                                     expect_loaded=cls.module_path is None)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise
        cls._failed = False

    @classmethod
    def tearDownClass(cls):
        if cls._failed:
            cls.dc.keep = True
            print("samba log tail:\n" + cls.dc.log_tail(80), file=sys.stderr)
        cls.dc.cleanup()
        if cls.module_path is not None:
            # leave the normal module installed, not a test variant
            with ocharness.module_lock():
                ocharness.install_module()

    def run(self, result=None):
        result = super().run(result)
        if result is not None and (result.failures or result.errors):
            type(self)._failed = True
        return result

    # -- impacket ----------------------------------------------------------
    def impacket_dce(self, iface, auth_level=None, user=ADMIN,
                     password=PASSWORD, anonymous=False):
        """A bound impacket DCE/RPC connection to @iface over ncacn_ip_tcp,
        its port looked up in the endpoint mapper."""
        from impacket.dcerpc.v5 import transport, epm
        from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_INTEGRITY
        from impacket.uuid import uuidtup_to_bin
        uuid = uuidtup_to_bin(UUIDS[iface])
        binding = epm.hept_map(self.dc.ip, uuid, protocol="ncacn_ip_tcp")
        rpct = transport.DCERPCTransportFactory(binding)
        if not anonymous:
            rpct.set_credentials(user, password, DOMAIN)
        dce = rpct.get_dce_rpc()
        dce.set_auth_level(auth_level or RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
        dce.connect()
        dce.bind(uuid)
        return dce

    # -- Samba's python bindings ---------------------------------------------
    def samba_lp_creds(self):
        from samba import param, credentials
        lp = param.LoadParm()
        lp.load(self.dc.smbconf)
        creds = credentials.Credentials()
        creds.guess(lp)
        creds.set_username(ADMIN)
        creds.set_password(PASSWORD)
        creds.set_domain(DOMAIN)
        creds.set_kerberos_state(credentials.DONT_USE_KERBEROS)
        return lp, creds

    def samba_mgmt(self, options="sign"):
        from samba.dcerpc import mgmt
        lp, creds = self.samba_lp_creds()
        return mgmt.mgmt("ncacn_ip_tcp:%s[%s]" % (self.dc.ip, options), lp, creds)

    def samba_raw(self, iface, options="sign"):
        """A raw ClientConnection to one of our interfaces (request(opnum,
        bytes) -> bytes). python3-samba 4.17 segfaults without a
        basis_connection, so one is made with mgmt first."""
        from samba.dcerpc import base
        lp, creds = self.samba_lp_creds()
        basis = self.samba_mgmt(options)
        uuid, ver = UUIDS[iface]
        major = int(ver.split(".")[0])
        minor = int(ver.split(".")[1])
        conn = base.ClientConnection(
            "ncacn_ip_tcp:%s[%s]" % (self.dc.ip, options),
            (uuid, (minor << 16) | major), lp, creds,
            basis_connection=basis)
        # the basis connection must outlive the one built on it
        if not hasattr(self, "_keep_alive"):
            self._keep_alive = []
        self._keep_alive.append(basis)
        return conn


def main():
    unittest.main(verbosity=2)

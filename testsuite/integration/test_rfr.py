"""[MS-OXABREF] through a real Samba AD DC with the module loaded, driven by an
independent client: impacket's oxabref, over ncacn_ip_tcp with NTLM at
integrity and at privacy. Also: endpoint-mapper registration of all four
Exchange interfaces, the auth policy, and unknown opnums."""

import struct

from octest import DCTestCase, UUIDS, main

from impacket.dcerpc.v5 import oxabref, epm
from impacket.dcerpc.v5.rpcrt import (DCERPCException,
                                      RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                      RPC_C_AUTHN_LEVEL_CONNECT)
from impacket.uuid import uuidtup_to_bin

MAPI_E_NOT_FOUND = 0x8004010F
MAPI_E_INVALID_PARAMETER = 0x80070057

SERVER_DN = ("/o=First Organization/ou=First Administrative Group"
             "/cn=Configuration/cn=Servers/cn=OCDC")


class RfrTest(DCTestCase):
    dc_name = "rfr"

    def fqdn(self):
        return self.dc.fqdn.lower()

    def test_module_loaded_line(self):
        log = self.dc.log_text()
        self.assertIn("mapiproxy: loaded", log)
        self.assertIn("exchange_ds_rfr", log.split("mapiproxy: loaded")[1]
                      .splitlines()[0])

    def served(self):
        """The interfaces the module's load line says it serves."""
        line = self.dc.log_text().split("mapiproxy: loaded")[1].splitlines()[0]
        return [n.strip() for n in line.split("serving:")[1].split(",")]

    def test_endpoint_mapper_knows_what_is_served(self):
        served = self.served()
        self.assertIn("exchange_ds_rfr", served)
        for name in ("exchange_emsmdb", "exchange_async_emsmdb",
                     "exchange_nsp", "exchange_ds_rfr"):
            if name not in served:
                # doc/what-works.md: not served by this build yet
                continue
            with self.subTest(iface=name):
                binding = epm.hept_map(self.dc.ip,
                                       uuidtup_to_bin(UUIDS[name]),
                                       protocol="ncacn_ip_tcp")
                self.assertTrue(binding.startswith("ncacn_ip_tcp:%s[" %
                                                   self.dc.ip), binding)
                port = int(binding.split("[")[1].rstrip("]"))
                self.assertGreater(port, 1023)

    def _both_levels(self):
        return (("integrity", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY),
                ("privacy", RPC_C_AUTHN_LEVEL_PKT_PRIVACY))

    def test_get_new_dsa(self):
        for label, level in self._both_levels():
            with self.subTest(level=label):
                dce = self.impacket_dce("exchange_ds_rfr", level)
                resp = oxabref.hRfrGetNewDSA(dce, pUserDN="")
                self.assertEqual(resp["ppszServer"].decode()
                                 if isinstance(resp["ppszServer"], bytes)
                                 else resp["ppszServer"], self.fqdn())
                # with a user DN too
                resp = oxabref.hRfrGetNewDSA(
                    dce, pUserDN="/o=First Organization/ou=First "
                    "Administrative Group/cn=Recipients/cn=administrator")
                self.assertIn(self.fqdn(), str(resp["ppszServer"]))
                dce.disconnect()

    def test_get_fqdn_from_server_dn(self):
        for label, level in self._both_levels():
            with self.subTest(level=label):
                dce = self.impacket_dce("exchange_ds_rfr", level)
                for dn in (SERVER_DN, SERVER_DN.upper(),
                           SERVER_DN + "/cn=Microsoft Private MDB"):
                    resp = oxabref.hRfrGetFQDNFromServerDN(dce, dn)
                    self.assertEqual(resp["ErrorCode"], 0)
                    got = resp["ppszServerFQDN"]
                    got = got.decode() if isinstance(got, bytes) else got
                    self.assertEqual(got, self.fqdn())
                dce.disconnect()

    def _fqdn_error(self, dce, dn):
        with self.assertRaises(DCERPCException) as cm:
            oxabref.hRfrGetFQDNFromServerDN(dce, dn)
        return cm.exception.get_error_code()

    def test_get_fqdn_errors(self):
        dce = self.impacket_dce("exchange_ds_rfr")
        other = SERVER_DN.replace("cn=OCDC", "cn=ELSEWHERE")
        self.assertEqual(self._fqdn_error(dce, other), MAPI_E_NOT_FOUND)
        other_org = SERVER_DN.replace("First Organization", "Other Org")
        self.assertEqual(self._fqdn_error(dce, other_org), MAPI_E_NOT_FOUND)
        for bad in ("not a dn at all",
                    "/o=First Organization/ou=First Administrative Group",
                    "/o=First Organization/ou=First Administrative Group"
                    "/cn=Configuration/cn=Servers/cn=",
                    "/o=a/ou=b/cn=Configuration/cn=Servers/cn=c/cn=d/cn=e",
                    "/x=First Organization/ou=First Administrative Group"
                    "/cn=Configuration/cn=Servers/cn=OCDC"):
            with self.subTest(dn=bad):
                self.assertEqual(self._fqdn_error(dce, bad),
                                 MAPI_E_INVALID_PARAMETER)
        # the server still answers afterwards
        resp = oxabref.hRfrGetFQDNFromServerDN(dce, SERVER_DN)
        self.assertEqual(resp["ErrorCode"], 0)

    def test_fqdn_size_out_of_range_is_a_fault(self):
        """cbMailboxServerDN is [range(10,1024)]: outside it the request
        cannot be unmarshalled and gets an NDR fault."""
        dce = self.impacket_dce("exchange_ds_rfr")
        for cb, text in ((5, "/o=a\x00"), (2000, "/o=" + "a" * 1995 + "\x00")):
            with self.subTest(cb=cb):
                req = oxabref.RfrGetFQDNFromServerDN()
                req["ulFlags"] = 0
                req["szMailboxServerDN"] = text
                req["cbMailboxServerDN"] = cb
                with self.assertRaises(DCERPCException) as cm:
                    dce.request(req)
                # DCERPC_FAULT_NDR, 0x6f7, which impacket names after
                # RPC_X_BAD_STUB_DATA
                self.assertIn("rpc_x_bad_stub_data", str(cm.exception).lower())
        resp = oxabref.hRfrGetFQDNFromServerDN(dce, SERVER_DN)
        self.assertEqual(resp["ErrorCode"], 0)

    def test_unknown_opnum_faults_and_server_keeps_serving(self):
        dce = self.impacket_dce("exchange_ds_rfr")
        for opnum in (2, 7, 255):
            with self.subTest(opnum=opnum):
                with self.assertRaises(DCERPCException) as cm:
                    dce.call(opnum, struct.pack("<I", 0))
                    dce.recv()
                self.assertIn("nca_s_op_rng_error", str(cm.exception))
        resp = oxabref.hRfrGetNewDSA(dce)
        self.assertIn(self.fqdn(), str(resp["ppszServer"]))
        # and Samba's own interfaces are fine too
        self.assertTrue(len(self.samba_mgmt().inq_if_ids().if_id) > 0)

    def test_auth_policy(self):
        # CONNECT level is refused (doc/architecture.md, "Authentication")
        dce = self.impacket_dce("exchange_ds_rfr", RPC_C_AUTHN_LEVEL_CONNECT)
        with self.assertRaises(DCERPCException) as cm:
            oxabref.hRfrGetNewDSA(dce)
        self.assertIn("access_denied", str(cm.exception).lower())
        # unauthenticated is refused
        dce = self.impacket_dce("exchange_ds_rfr", anonymous=True)
        with self.assertRaises(DCERPCException) as cm:
            oxabref.hRfrGetNewDSA(dce)
        self.assertIn("access_denied", str(cm.exception).lower())
        # a wrong password never gets an answer (NTLM's AUTH3 has no
        # reply, so the failure shows on the first call at the latest)
        with self.assertRaises(Exception):
            dce = self.impacket_dce("exchange_ds_rfr", password="wrong")
            oxabref.hRfrGetNewDSA(dce)


class RfrPinnedPortTest(DCTestCase):
    """`rpc server port:exchange_ds_rfr = N` (Samba's own option) pins the
    interface's TCP port; the endpoint mapper then advertises that port."""
    dc_name = "rfrport"
    extra_conf = {"rpc server port:exchange_ds_rfr": "6100"}

    def test_pinned_port(self):
        binding = epm.hept_map(self.dc.ip,
                               uuidtup_to_bin(UUIDS["exchange_ds_rfr"]),
                               protocol="ncacn_ip_tcp")
        self.assertEqual(binding, "ncacn_ip_tcp:%s[6100]" % self.dc.ip)
        dce = self.impacket_dce("exchange_ds_rfr")
        resp = oxabref.hRfrGetNewDSA(dce)
        self.assertIn(self.dc.fqdn.lower(), str(resp["ppszServer"]))


if __name__ == "__main__":
    main()

"""Address book templates through a real DC: NspiGetTemplateInfo
([MS-OXNSPI] 3.1.4.1.18) for the display templates of [MS-OXOABKT] and
the address creation table of NspiGetSpecialTable (NspiAddressCreation-
Templates). The PidTagTemplateData blobs are parsed here by a parser
written from [MS-OXOABKT] 2.2.2.1 (TRowSet / TRow / CNTRL).
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from octest import DCTestCase, main   # noqa: E402
import ocharness                      # noqa: E402
import test_nspi                      # noqa: E402

from impacket.dcerpc.v5 import nspi                   # noqa: E402
from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_INTEGRITY  # noqa

Success = 0
InvalidCodepage = 0x8004011E
InvalidLocale = 0x8004011F

TI_TEMPLATE, TI_SCRIPT, TI_EMT = 0x1, 0x4, 0x10
TI_HELPFILE_NAME, TI_HELPFILE_CONTENTS = 0x20, 0x40
DT_MAILUSER, DT_DISTLIST, DT_FORUM = 0, 1, 2
DT_REMOTE_MAILUSER, DT_ADDRESS_TEMPLATE, DT_SEARCH = 6, 0x102, 0x200

PidTagTemplateData = 0x00010102
PidTagScriptData = 0x00040102
PidTagAddressType8 = 0x3002001E
PidTagAddressType = 0x3002001F
PidTagDisplayName = 0x3001001F
PidTagDisplayType = 0x39000003
PidTagEntryId = 0x0FFF0102
PidTagGivenName = 0x3A06001F
PidTagAddressBookMember = 0x8009000D
PidTagAddressBookManageDistributionList = 0x6704000D

# [MS-OXOABKT] 2.2.2.1.2 ControlType values and ControlFlags bits
CONTROL_TYPES = {0: "label", 1: "edit", 2: "listbox", 3: "combobox",
                 4: "dropdown", 5: "checkbox", 6: "groupbox", 7: "button",
                 8: "page", 9: "radio", 0xB: "mvlistbox", 0xC: "mvdropdown"}
CONTROL_FLAGS = 0x7F
# 2.2.2.1.3.x: longest string, NUL included, per control type
MAX_STRING = {0: 128, 5: 128, 6: 128, 7: 128, 8: 32, 1: 15}


def parse_template(blob, codepage="cp1252"):
    """[MS-OXOABKT] 2.2.2.1.1 TRowSet -> list of controls (dicts).
    Raises ValueError on anything the format does not allow."""
    if len(blob) < 8:
        raise ValueError("short TRowSet")
    rtype, rows = struct.unpack_from("<II", blob, 0)
    if rtype != 1:
        raise ValueError("TRowSet.Type %d" % rtype)
    if 8 + 36 * rows > len(blob):
        raise ValueError("cRows %d beyond the blob" % rows)
    out = []
    for i in range(rows):
        (x, dx, y, dy, ctype, flags, dw_type, ul_size,
         ul_string) = struct.unpack_from("<9I", blob, 8 + 36 * i)
        if ctype not in CONTROL_TYPES:
            raise ValueError("row %d: ControlType %#x" % (i, ctype))
        if ctype != 8 and flags & ~CONTROL_FLAGS:
            raise ValueError("row %d: ControlFlags %#x" % (i, flags))
        if not 8 + 36 * rows <= ul_string < len(blob):
            raise ValueError("row %d: ulString %d out of range" % (i, ul_string))
        end = blob.find(b"\x00", ul_string)
        if end < 0:
            raise ValueError("row %d: string not terminated" % i)
        raw = blob[ul_string:end]
        if len(raw) + 1 > MAX_STRING.get(ctype, 128):
            raise ValueError("row %d: string too long" % i)
        out.append({"type": CONTROL_TYPES[ctype], "x": x, "dx": dx, "y": y,
                    "dy": dy, "flags": flags, "prop": dw_type,
                    "size": ul_size, "text": raw.decode(codepage)})
    return out


class NspiTemplatesTest(DCTestCase):
    dc_name = "nspitpl"

    @classmethod
    def setUpClass(cls):
        cls.dc = ocharness.SambaDC(cls.dc_name, extra_conf=cls.extra_conf,
                                   services=cls.services)
        cls.dc.prepare()
        try:
            test_nspi.start_with_our_module(cls.dc)
        except Exception:
            cls.dc.keep = True
            cls.dc.cleanup()
            raise
        cls._failed = False

    def bind(self):
        dce = self.impacket_dce("exchange_nsp", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
        stat = nspi.STAT()
        stat['CodePage'] = 1252
        stat['TemplateLocale'] = stat['SortLocale'] = 0x409
        resp = nspi.hNspiBind(dce, stat)
        self.assertEqual(resp['ErrorCode'], Success)
        return dce, resp['contextHandle']

    def template_info(self, dce, h, ul_type, flags=TI_TEMPLATE,
                      codepage=1252, locale=0x409, dn=None):
        req = nspi.NspiGetTemplateInfo()
        req['hRpc'] = h
        req['dwFlags'] = flags
        req['ulType'] = ul_type
        req['pDN'] = nspi.NULL if dn is None else dn + "\x00"
        req['dwCodePage'] = codepage
        req['dwLocaleID'] = locale
        return dce.request(req, checkError=False)

    def values(self, resp):
        self.assertEqual(resp['ErrorCode'], Success)
        return nspi.simplifyPropertyRow(resp['ppData'])

    def columns(self, dce, h):
        resp = nspi.hNspiQueryColumns(dce, h)
        return {c['Data'] for c in resp['ppColumns']['aulPropTag']}

    def check_bound_properties(self, controls, served):
        """Every edit / list is bound to a property the server serves."""
        for c in controls:
            if c["type"] in ("edit", "listbox", "mvlistbox", "checkbox"):
                self.assertIn(c["prop"], served, c)

    def test_display_templates(self):
        dce, h = self.bind()
        served = self.columns(dce, h)
        for ul_type, must in ((DT_MAILUSER, PidTagGivenName),
                              (DT_DISTLIST, PidTagAddressBookMember),
                              (DT_REMOTE_MAILUSER, PidTagGivenName)):
            with self.subTest(ul_type=ul_type):
                # the flags Outlook sends ([MS-OXOABKT] 4.2): 0x61
                resp = self.template_info(dce, h, ul_type, flags=0x61)
                vals = self.values(resp)
                self.assertEqual(list(vals), [PidTagTemplateData])
                controls = parse_template(vals[PidTagTemplateData])
                self.assertEqual(controls[0]["type"], "page")
                self.assertEqual(controls[0]["text"], "General")
                self.assertIn(must, [c["prop"] for c in controls])
                self.check_bound_properties(controls, served)
        # the list template's members button ([MS-OXOABKT] 2.2.2.1.3.6)
        controls = parse_template(self.values(self.template_info(
            dce, h, DT_DISTLIST))[PidTagTemplateData])
        buttons = [c for c in controls if c["type"] == "button"]
        self.assertEqual([b["prop"] for b in buttons],
                         [PidTagAddressBookManageDistributionList])

    def test_locale_and_code_page(self):
        dce, h = self.bind()
        english = self.values(self.template_info(dce, h, DT_MAILUSER))
        # one language: the English template for any locale
        french = self.values(self.template_info(dce, h, DT_MAILUSER,
                                                locale=0x40C))
        self.assertEqual(french, english)
        # Teletex strings (20261) parse too
        t61 = self.values(self.template_info(dce, h, DT_MAILUSER,
                                             codepage=20261))
        controls = parse_template(t61[PidTagTemplateData], "latin-1")
        self.assertEqual(controls[0]["text"], "General")
        for cp in (1200, 1251):
            resp = self.template_info(dce, h, DT_MAILUSER, codepage=cp)
            self.assertEqual(resp['ErrorCode'], InvalidCodepage, cp)
            self.assertEqual(resp.fields['ppData'].fields['ReferentID'], 0)

    def test_unknown_display_type(self):
        dce, h = self.bind()
        for ul_type in (DT_FORUM, DT_SEARCH, 0x7777):
            resp = self.template_info(dce, h, ul_type)
            self.assertEqual(resp['ErrorCode'], InvalidLocale, ul_type)
            self.assertEqual(resp.fields['ppData'].fields['ReferentID'], 0)

    def test_script_flag(self):
        dce, h = self.bind()
        vals = self.values(self.template_info(dce, h, DT_MAILUSER,
                                              flags=TI_TEMPLATE | TI_SCRIPT))
        self.assertEqual(sorted(vals), [PidTagTemplateData, PidTagScriptData])
        self.assertEqual(vals[PidTagScriptData], b"")

    def test_address_creation_templates(self):
        dce, h = self.bind()
        resp = test_nspi.NspiTest.special_table(
            self, dce, h, flags=0x2 | nspi.NspiUnicodeStrings)
        self.assertEqual(resp['ErrorCode'], Success)
        rows = nspi.simplifyPropertyRowSet(resp['ppRows'])
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row[PidTagAddressType], "SMTP")
        self.assertEqual(row[PidTagDisplayName], "Internet Address")
        self.assertEqual(row[PidTagDisplayType], DT_ADDRESS_TEMPLATE)
        eid = row[PidTagEntryId]
        self.assertEqual(eid['DisplayType'], DT_ADDRESS_TEMPLATE)
        dn = eid['DistinguishedName']
        dn = dn.decode() if isinstance(dn, bytes) else dn
        dn = dn.rstrip("\x00")
        # the template by its DN: ulType and the locale do not matter
        resp = self.template_info(dce, h, 0x7777, flags=TI_TEMPLATE | TI_EMT,
                                  locale=0x407, dn=dn)
        vals = self.values(resp)
        self.assertEqual(vals[PidTagAddressType8], "SMTP")
        controls = parse_template(vals[PidTagTemplateData])
        edits = [c for c in controls if c["type"] == "edit"]
        self.assertEqual([c["prop"] for c in edits],
                         [PidTagDisplayName, 0x3003001F])
        self.assertTrue(all(c["flags"] & 0x2 for c in edits))   # editable
        resp = self.template_info(dce, h, 0, dn="/o=Nowhere/cn=nothing")
        self.assertEqual(resp['ErrorCode'], InvalidLocale)


if __name__ == "__main__":
    main()

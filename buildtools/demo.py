#!/usr/bin/python3
"""The README's run command, after the build: a Samba AD DC in DIR (made on
the first run, reused after), configured with the deployment guide's lines
(section 6.2), the freshly built module installed, a demo user, and samba
started in the foreground. Ctrl-C stops it.

Usage: buildtools/demo.py BUILD_DIR DIR [IP]
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "testsuite", "integration"))
import ocharness  # noqa: E402

DEMO_USER = "demo"
DEMO_PASS = "demo"


def main():
    build, target = sys.argv[1], os.path.abspath(sys.argv[2])
    ip = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    os.environ["OC_BUILD_DIR"] = build
    if not os.path.exists(os.path.join(target, ".ready")):
        print("provisioning a demo AD DC (realm %s) in %s ..."
              % (ocharness.REALM, target))
        ocharness.provision_dc(target)
        sam = os.path.join(target, "private", "sam.ldb")
        subprocess.run(["samba-tool", "user", "add", DEMO_USER, DEMO_PASS,
                        "-H", sam], check=True, capture_output=True)
        subprocess.run(["samba-tool", "user", "setexpiry", DEMO_USER,
                        "--noexpiry", "-H", sam], check=True,
                       capture_output=True)
    dc = ocharness.SambaDC("demo", directory=target, ip=ip)
    dc.configure()
    if not os.path.exists(os.path.join(target, ".oc-provisioned")):
        # guide 6.3 and 7: Exchange schema and configuration objects, then
        # the demo user's Exchange attributes (its mailbox folders are made
        # at first logon)
        tools = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "..", "provision")
        for cmd in (["openchange_provision", "--standalone"],
                    ["openchange_newuser", "--create", DEMO_USER]):
            print("running %s ..." % " ".join(cmd))
            subprocess.run(["/usr/bin/python3", os.path.join(tools, cmd[0])]
                           + cmd[1:] + ["-s", dc.smbconf], check=True)
        open(os.path.join(target, ".oc-provisioned"), "w").close()
    with ocharness.module_lock():
        path = ocharness.install_module()
    print("""
OpenChange demo
  module:       %(path)s
  smb.conf:     %(conf)s
  server:       %(fqdn)s on %(ip)s (ncacn_ip_tcp, endpoint mapper on port 135)
  users:        Administrator / %(adminpass)s, %(user)s / %(userpass)s (domain %(dom)s)
  try it:       /usr/bin/python3 -c "from impacket.dcerpc.v5 import transport, epm, oxabref; \\
    b = epm.hept_map('%(ip)s', oxabref.MSRPC_UUID_OXABREF, protocol='ncacn_ip_tcp'); \\
    t = transport.DCERPCTransportFactory(b); t.set_credentials('%(user)s', '%(userpass)s', '%(dom)s'); \\
    d = t.get_dce_rpc(); d.set_auth_level(5); d.connect(); d.bind(oxabref.MSRPC_UUID_OXABREF); \\
    print(oxabref.hRfrGetNewDSA(d)['ppszServer'])"
  mailbox:      %(build)s/client/openchange-client -H %(ip)s -U '%(user)s%%%(userpass)s' -W %(dom)s folders
  (doc/what-works.md lists what this build serves.) Starting samba in the foreground; Ctrl-C stops it.
""" % {"path": path, "conf": dc.smbconf, "fqdn": dc.fqdn, "ip": ip,
       "adminpass": ocharness.ADMINPASS, "user": DEMO_USER,
       "userpass": DEMO_PASS, "dom": ocharness.DOMAIN, "build": build})
    sys.stdout.flush()
    os.execvp("samba", ["samba", "-F", "--debug-stdout", "-d", "1",
                        "-s", dc.smbconf])


if __name__ == "__main__":
    main()

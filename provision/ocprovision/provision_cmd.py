"""openchange_provision: the deployment guide's section 6.3 commands.

  openchange_provision --standalone      schema + configuration + this server
  openchange_provision --deprovision     reverse it (not while users are homed)
  openchange_provision --openchangedb [--openchangedb-uri URI]
  openchange_provision --print-smbconf [--openchangedb-uri URI]
"""

from . import VERSION
from . import config as C
from .common import (OCError, Printer, get_creds, load_lp, make_parser,
                     open_samdb, schema_updates_allowed, mask_uri, EXIT_OK)
from .names import DEFAULT_FIRSTORG, DEFAULT_FIRSTOU, check_name
from . import ocdb as O
from . import schema as S

PROG = "openchange_provision"
USAGE = "%prog [--standalone | --deprovision | --openchangedb] [options]"
DESCRIPTION = (
    "Extend the Samba AD schema with the Exchange attributes and classes, "
    "create the Exchange organization, administrative group, this server, "
    "its stores and the address lists (--standalone); remove them "
    "(--deprovision); or create this server's openchangedb (--openchangedb). "
    "Needs 'dsdb:schema update allowed = true' in smb.conf for --standalone.")


def build_parser():
    parser, sambaopts, credopts = make_parser(PROG, USAGE, DESCRIPTION)
    parser.add_option("--standalone", action="store_true",
                      help="provision this DC as the organization's (only) "
                           "OpenChange server")
    parser.add_option("--deprovision", action="store_true",
                      help="remove what --standalone created (refused while "
                           "users are homed on this server)")
    parser.add_option("--openchangedb", action="store_true",
                      help="create and fill this server's openchangedb")
    parser.add_option("--openchangedb-uri", metavar="URI",
                      help="openchangedb location, e.g. mysql://user:pass@"
                           "host/openchange (default: SQLite in the private "
                           "dir)")
    parser.add_option("--print-smbconf", action="store_true",
                      help="print the smb.conf lines of guide section 6.3 "
                           "for --openchangedb-uri")
    parser.add_option("--show-password", action="store_true",
                      help="with --print-smbconf: print the real password")
    parser.add_option("--firstorg", default=DEFAULT_FIRSTORG, metavar="NAME",
                      help="organization name [default: %default]")
    parser.add_option("--firstou", default=DEFAULT_FIRSTOU, metavar="NAME",
                      help="administrative group name [default: %default]")
    parser.add_option("-q", "--quiet", action="store_true",
                      help="print errors only")
    parser.add_option("-V", "--version", action="store_true",
                      help="print the version")
    return parser, sambaopts, credopts


def _info(lp):
    realm = (lp.get("realm") or "").lower()
    netbios = (lp.get("netbios name") or "").upper()
    if not netbios:
        raise OCError("smb.conf has no netbios name")
    return {"netbios": netbios, "realm": realm, "version": VERSION,
            "fqdn": "%s.%s" % (netbios.lower(), realm) if realm
            else netbios.lower()}


def standalone(samdb, lp, opts, out):
    info = _info(lp)
    dns = C.make_dns(samdb, opts.firstorg, opts.firstou, info["netbios"])
    out.line("NOTE: This operation can take several minutes")
    plan = S.SchemaPlan(samdb)       # raises before any write on a conflict
    if not plan.complete:
        S.apply_schema(samdb, plan, out)
    C.check_organization(samdb, dns)
    generic = C.missing(samdb, dns, C.GENERIC)
    final = C.missing(samdb, dns, C.FINALIZE)
    register = C.missing(samdb, dns, C.REGISTER)
    main = C.main_server_missing(samdb, dns)
    if plan.complete and not (generic or final or register or main):
        out.line("[SUCCESS] Already provisioned: organization '%s', "
                 "administrative group '%s', server %s; nothing to do"
                 % (dns.org, dns.ou, dns.netbios))
        return EXIT_OK
    if plan.complete:
        out.line("[+] Exchange schema already present")
    out.step("Generic Exchange configuration objects")
    C.add_phase(samdb, dns, info, generic,
                "creating the generic Exchange configuration objects")
    out.step("Finalize generic Exchange configuration objects")
    C.add_phase(samdb, dns, info, final, "creating the address lists")
    out.success()
    out.reset()
    out.step("Exchange Samba registration")
    C.add_phase(samdb, dns, info, C.missing(samdb, dns, C.REGISTER),
                "registering server %s" % dns.netbios)
    out.success()
    out.reset()
    out.step("Register Exchange Samba as the main server")
    C.set_main_server(samdb, C.main_server_missing(samdb, dns))
    out.success()
    return EXIT_OK


def deprovision(samdb, lp, opts, out):
    info = _info(lp)
    dns = C.make_dns(samdb, opts.firstorg, opts.firstou, info["netbios"])
    users = C.homed_users(samdb, dns)
    if users:
        raise OCError("%d user(s) still have their mailbox on this server "
                      "(%s); run 'openchange_newuser --delete <user>' for "
                      "each first" % (len(users), ", ".join(users[:10])))
    out.step("Remove Exchange configuration objects")
    n = C.deprovision(samdb, dns)
    out.step("Restore the extended Samba classes")
    if S.extensions_in_use(samdb):
        out.line("    kept: some objects still carry Exchange recipient "
                 "attributes")
    else:
        S.remove_extensions(samdb)
    if n == 0:
        out.line("[SUCCESS] Not provisioned; nothing to remove")
    else:
        out.success("Removed %d configuration objects (the Exchange schema "
                    "definitions stay: Active Directory never deletes them)"
                    % n)
    return EXIT_OK


def openchangedb(lp, opts, out, samdb_opener):
    db = O.OpenchangeDB(opts.openchangedb_uri, lp.get("private dir"))
    org, ou = opts.firstorg, opts.firstou
    netbios = _info(lp)["netbios"]
    if not db.available():
        raise OCError("%s is not built or installed yet: the openchangedb "
                      "cannot be created" % O.TOOL)
    out.line("Setting up openchange db")
    db.init()
    try:
        text = db.provision_server(netbios, org, ou)
    except OCError as e:
        if not O.already_exists(e):
            raise
        out.line("[SUCCESS] The openchangedb (%s) is already provisioned; "
                 "nothing to do" % db.describe())
        return EXIT_OK
    for line in text.splitlines():
        out.line(line)
    return EXIT_OK


def main(argv):
    parser, sambaopts, credopts = build_parser()
    opts, args = parser.parse_args(argv)
    if opts.version:
        print(VERSION)
        return EXIT_OK
    if args:
        parser.error("unexpected argument '%s'" % args[0])
    modes = [m for m in ("standalone", "deprovision", "openchangedb",
                         "print_smbconf") if getattr(opts, m)]
    if len(modes) != 1:
        parser.error("give exactly one of --standalone, --deprovision, "
                     "--openchangedb, --print-smbconf")
    for what, value in (("--firstorg", opts.firstorg),
                        ("--firstou", opts.firstou)):
        try:
            check_name(what, value)
        except ValueError as e:
            raise OCError(str(e))
    O.check_uri(opts.openchangedb_uri)
    out = Printer(quiet=opts.quiet)
    if opts.print_smbconf:
        print(O.smbconf_lines(opts.openchangedb_uri, opts.show_password),
              end="")
        return EXIT_OK
    lp = load_lp(sambaopts)
    if opts.openchangedb:
        return openchangedb(lp, opts, out, None)
    creds = get_creds(credopts, lp)
    if not schema_updates_allowed(lp):
        # checked before opening anything: nothing is touched
        from .common import is_dc
        if is_dc(lp):
            raise OCError("schema updates are not allowed on this DC: add "
                          "'dsdb:schema update allowed = true' to the "
                          "[global] section of smb.conf and run again")
    samdb = open_samdb(lp, creds, opts.H)
    if opts.standalone:
        return standalone(samdb, lp, opts, out)
    return deprovision(samdb, lp, opts, out)


__all__ = ["main", "PROG", "mask_uri"]

"""openchange_newuser: the deployment guide's section 7.

  openchange_newuser --create <user> [--mail ADDRESS] [--mailbox]
  openchange_newuser --delete <user>
  openchange_newuser --enable <user> | --disable <user>
  openchange_newuser --mail ADDRESS <user>

Mailbox folders are created by the server at the user's first logon
(RopLogon).  --mailbox pre-creates them now through openchangedb_admin
mailbox-create; the directory change is rolled back if that fails.
"""

from .common import (OCError, Printer, get_creds, load_lp, make_parser,
                     open_samdb, EXIT_OK)
from . import ocdb as O
from . import user as U

PROG = "openchange_newuser"
USAGE = ("%prog --create|--delete|--enable|--disable <username> [options]\n"
         "       %prog --mail ADDRESS <username>")
DESCRIPTION = (
    "Give an existing AD user (made with 'samba-tool user add') the "
    "Exchange attributes of a mailbox on this server, or remove them. "
    "Run 'openchange_provision --standalone' first.")

ACTIONS = ("create", "delete", "enable", "disable")


def build_parser():
    parser, sambaopts, credopts = make_parser(PROG, USAGE, DESCRIPTION)
    parser.add_option("--create", action="store_true",
                      help="make the user a mailbox user of this server")
    parser.add_option("--delete", action="store_true",
                      help="remove the user's Exchange attributes")
    parser.add_option("--enable", action="store_true",
                      help="enable the mailbox (msExchUserAccountControl=0)")
    parser.add_option("--disable", action="store_true",
                      help="disable the mailbox (msExchUserAccountControl=2)")
    parser.add_option("--mail", metavar="ADDRESS",
                      help="primary e-mail address (default: the user's mail "
                           "attribute, else <user>@<realm>)")
    parser.add_option("--mailbox", action="store_true",
                      help="with --create: create the mailbox folders in the "
                           "openchangedb now instead of at first logon")
    parser.add_option("--openchangedb-uri", metavar="URI",
                      help="openchangedb for --mailbox (default: SQLite in "
                           "the private dir)")
    parser.add_option("-q", "--quiet", action="store_true",
                      help="print errors only")
    return parser, sambaopts, credopts


def _modify(samdb, m, after=None):
    """One transaction; @after runs before the commit (rollback on error)."""
    samdb.transaction_start()
    try:
        if len(m) > 0:
            samdb.modify(m)
        if after is not None:
            after()
        samdb.transaction_commit()
    except Exception:
        samdb.transaction_cancel()
        raise


def main(argv):
    parser, sambaopts, credopts = build_parser()
    opts, args = parser.parse_args(argv)
    actions = [a for a in ACTIONS if getattr(opts, a)]
    if len(args) != 1:
        parser.error("give exactly one user name")
    if len(actions) > 1 or (not actions and not opts.mail):
        parser.error("give one of --create, --delete, --enable, --disable "
                     "(or --mail alone)")
    if opts.mailbox and actions != ["create"]:
        parser.error("--mailbox goes with --create")
    username = args[0]
    O.check_uri(opts.openchangedb_uri)
    out = Printer(quiet=opts.quiet)
    lp = load_lp(sambaopts)
    samdb = open_samdb(lp, get_creds(credopts, lp), opts.H)
    netbios = (lp.get("netbios name") or "").upper()
    dns = U.find_server(samdb, netbios)
    msg = U.find_user(samdb, username)
    username = str(msg["sAMAccountName"][0])
    action = actions[0] if actions else "mail"

    if action == "create":
        return _create(samdb, lp, opts, dns, msg, username, out)
    if not U.is_mailbox_user(msg, dns):
        if action == "delete":
            out.line("[SUCCESS] %s has no mailbox on this server; nothing to "
                     "do" % username)
            return EXIT_OK
        raise OCError("%s has no mailbox on this server; run "
                      "'openchange_newuser --create %s' first"
                      % (username, username))
    if action == "delete":
        _modify(samdb, U.delete_changes(samdb, msg, dns))
        out.line("[+] Removed the Exchange attributes of %s" % username)
        out.line("    run 'openchange_user_cleanup %s' to remove its server "
                 "data too" % username)
    elif action in ("enable", "disable"):
        _modify(samdb, U.uac_changes(msg, action == "enable"))
        out.line("[+] Mailbox of %s %sd" % (username, action))
    else:
        _modify(samdb, U.mail_changes(msg, dns, opts.mail))
        out.line("[+] Primary address of %s is now %s" % (username, opts.mail))
    return EXIT_OK


def _create(samdb, lp, opts, dns, msg, username, out):
    realm = lp.get("realm") or ""
    if U.is_mailbox_user(msg, dns) and not opts.mail and not opts.mailbox:
        out.line("[SUCCESS] %s already has a mailbox on this server; nothing "
                 "to do" % username)
        return EXIT_OK
    try:
        m = U.create_changes(samdb, msg, dns, realm, opts.mail)
    except ValueError as e:
        raise OCError(str(e))
    after = None
    if opts.mailbox:
        db = O.OpenchangeDB(opts.openchangedb_uri, lp.get("private dir"))

        def after():
            try:
                db.mailbox_create(username)
            except OCError as e:
                if not O.already_exists(e):
                    raise
    _modify(samdb, m, after)
    out.line("[+] User %s is a mailbox user of %s" % (username, dns.netbios))
    out.line("    legacyExchangeDN: %s" % dns.user_legacy(username))
    if opts.mailbox:
        out.line("    mailbox folders created in the openchangedb")
    else:
        out.line("    mailbox folders will be created at first logon")
    return EXIT_OK

"""openchange_user_cleanup: the deployment guide's section 9.1.1.

  openchange_user_cleanup [--dry-run] [--local-store] <user>

Removes a user's server-side state so that a new Outlook profile starts
from scratch:
  1. openchangedb: mailbox, folders, their properties, receive folders,
     per-user data, ID index (indexing) and per-mailbox named-property rows
     (openchangedb_admin user-cleanup);
  2. backend caches: <private dir>/mapistore/<user>/cache/;
  3. with --local-store only: all of <private dir>/mapistore/<user>/
     (local store data and the IMAP password file of guide section 7).
The user's IMAP mail and SOGo data are never touched; the directory
entry and its Exchange attributes stay (openchange_newuser --delete).
"""

import os
import shutil

from .common import OCError, Printer, load_lp, EXIT_OK
from .common import OneLineParser
from . import ocdb as O

PROG = "openchange_user_cleanup"
USAGE = "%prog [--dry-run] [--local-store] [options] <username>"
DESCRIPTION = (
    "Remove every piece of OpenChange server-side state of a user "
    "(openchangedb rows, ID index, named-property mappings, backend caches; "
    "local store data with --local-store). The user's IMAP mail and SOGo "
    "data are never deleted.")


def build_parser():
    from samba import getopt as options
    parser = OneLineParser(prog=PROG, usage=USAGE, description=DESCRIPTION)
    sambaopts = options.SambaOptions(parser)
    parser.add_option_group(sambaopts)
    parser.add_option("-n", "--dry-run", action="store_true",
                      help="print what would be removed, change nothing")
    parser.add_option("--local-store", action="store_true",
                      help="also remove <private dir>/mapistore/<user>/ "
                           "(local store data, IMAP password file)")
    parser.add_option("--openchangedb-uri", metavar="URI",
                      help="openchangedb location (default: SQLite in the "
                           "private dir; use smb.conf's "
                           "mapiproxy:openchangedb value)")
    parser.add_option("--skip-openchangedb", action="store_true",
                      help="do not touch the openchangedb")
    return parser, sambaopts


def _check_username(name):
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise OCError("'%s' is not a valid user name" % name)
    return name


def _remove(path, dry_run, out, label):
    if not os.path.lexists(path):
        out.line("    %s: nothing at %s" % (label, path))
        return 0
    out.line("    %s %s: %s" % ("would remove" if dry_run else "removing",
                                label, path))
    if not dry_run:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    return 1


def main(argv):
    parser, sambaopts = build_parser()
    opts, args = parser.parse_args(argv)
    if len(args) != 1:
        parser.error("give exactly one user name")
    user = _check_username(args[0])
    uri = opts.openchangedb_uri
    O.check_uri(uri)
    lp = load_lp(sambaopts)
    if uri is None:
        conf = lp.get("mapiproxy:openchangedb")
        uri = O.check_uri(conf) if conf else None
    out = Printer()
    mode = "dry run: nothing is changed" if opts.dry_run else "removing"
    out.line("Cleaning up OpenChange data of user '%s' (%s)" % (user, mode))
    out.step("openchangedb: mailbox, folders, ID index, named properties")
    if opts.skip_openchangedb:
        out.line("    skipped (--skip-openchangedb)")
    else:
        db = O.OpenchangeDB(uri, lp.get("private dir"))
        text = db.user_cleanup(user, opts.dry_run)
        for line in text.splitlines():
            out.line("    " + line)
    store = os.path.join(lp.get("private dir"), "mapistore", user)
    out.step("backend caches")
    _remove(os.path.join(store, "cache"), opts.dry_run, out, "cache")
    out.step("local store data")
    if opts.local_store:
        _remove(store, opts.dry_run, out, "local store")
    else:
        out.line("    kept (use --local-store to remove %s)" % store)
    out.line("IMAP mail and SOGo data of '%s' are left untouched" % user)
    out.success("Dry run complete" if opts.dry_run else "Done!")
    return EXIT_OK

"""Shared plumbing of the three tools.

Contract (doc/provisioning.md, "Errors"): a tool never prints a traceback.
run_main() catches everything, prints exactly one sentence to stderr and
returns a non-zero exit code.  Passwords (credentials, MariaDB URIs) never
appear in any output: mask_uri() is applied to every URI we print.
"""

import optparse
import os
import re
import sys

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class OCError(Exception):
    """An expected failure: its message is one sentence for the admin."""


# scheme://user:password@ anywhere in a text (the password may contain
# anything but '@' and whitespace)
_URI_PASSWORD = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^@\s]*@")


def mask_uri(uri):
    """Replace the password of scheme://user:password@host/... by '***'."""
    if uri is None:
        return None
    return _URI_PASSWORD.sub(r"\1:***@", uri)


def _sentence(exc):
    text = str(exc).strip() or exc.__class__.__name__
    # ldb errors arrive as "(code, 'message')" tuples
    if isinstance(getattr(exc, "args", None), tuple) and len(exc.args) == 2 \
            and isinstance(exc.args[0], int):
        text = str(exc.args[1])
    text = " ".join(text.split())
    return mask_uri(text)


def run_main(prog, func, argv=None):
    """Call func(argv) and turn every failure into one line on stderr."""
    try:
        return func(sys.argv[1:] if argv is None else argv) or EXIT_OK
    except OCError as e:
        print("%s: %s" % (prog, _sentence(e)), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("%s: interrupted, nothing was committed by the step in progress"
              % prog, file=sys.stderr)
        return EXIT_ERROR
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    except Exception as e:  # noqa: BLE001 - the contract is "no traceback"
        print("%s: unexpected error: %s" % (prog, _sentence(e)),
              file=sys.stderr)
        if os.environ.get("OC_PROVISION_DEBUG"):
            import traceback
            traceback.print_exc()
        return EXIT_ERROR


class OneLineParser(optparse.OptionParser):
    """optparse, but a usage error is one line and exit code 2."""

    def error(self, msg):
        print("%s: %s (see --help)" % (self.get_prog_name(), msg),
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser(prog, usage, description):
    """A parser with Samba's usual -s/--option/-d and credential options."""
    from samba import getopt as options
    parser = OneLineParser(prog=prog, usage=usage, description=description)
    sambaopts = options.SambaOptions(parser)
    parser.add_option_group(sambaopts)
    credopts = options.CredentialsOptions(parser)
    parser.add_option_group(credopts)
    parser.add_option("-H", "--URL", dest="H", metavar="URL",
                      help="sam.ldb to modify (default: <private dir>/sam.ldb)")
    return parser, sambaopts, credopts


def load_lp(sambaopts):
    """The loaded smb.conf; a missing file is one sentence."""
    path = getattr(sambaopts, "_configfile", None)
    if path and not os.path.exists(path):
        raise OCError("the configuration file %s does not exist" % path)
    try:
        return sambaopts.get_loadparm()
    except Exception as e:  # samba raises RuntimeError for unreadable files
        raise OCError("cannot load the Samba configuration: %s" % _sentence(e))


def is_dc(lp):
    role = (lp.get("server role") or "").lower()
    return role in ("active directory domain controller", "dc",
                    "domain controller")


def schema_updates_allowed(lp):
    value = lp.get("dsdb:schema update allowed")
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("yes", "true", "1", "on")


def sam_path(lp, url=None):
    """The sam.ldb file path (url may carry a tdb:// or mdb:// prefix)."""
    if url:
        path = re.sub(r"^(tdb|mdb|ldb)://", "", url)
    else:
        path = os.path.join(lp.get("private dir"), "sam.ldb")
    return path


def open_samdb(lp, creds, url=None):
    """Open the DC's sam.ldb directly with the system session.

    Raises OCError("... is not an Active Directory domain controller ...")
    when the smb.conf role is not a DC or the sam.ldb does not exist: SamDB
    would otherwise create an empty database."""
    if not is_dc(lp):
        raise OCError("this server is not an Active Directory domain "
                      "controller (server role = %s); run this tool on the "
                      "Samba AD DC" % (lp.get("server role") or "unset"))
    path = sam_path(lp, url)
    if not os.path.isfile(path):
        raise OCError("this server is not an Active Directory domain "
                      "controller: %s does not exist" % path)
    from samba.samdb import SamDB
    from samba.auth import system_session
    try:
        return SamDB(url=path, session_info=system_session(), credentials=creds,
                     lp=lp)
    except Exception as e:
        raise OCError("cannot open %s: %s" % (path, _sentence(e)))


def get_creds(credopts, lp):
    try:
        return credopts.get_credentials(lp)
    except Exception as e:
        raise OCError("bad credential options: %s" % _sentence(e))


class Printer:
    """Step lines in the guide's format ("[+] Step N: ...")."""

    def __init__(self, out=None, quiet=False):
        self.out = out or sys.stdout
        self.quiet = quiet
        self.n = 0

    def reset(self):
        self.n = 0

    def step(self, text):
        self.n += 1
        self.line("[+] Step %d: %s" % (self.n, text))

    def line(self, text):
        if not self.quiet:
            print(text, file=self.out)
            self.out.flush()

    def success(self, text="Done!"):
        self.line("[SUCCESS] %s" % text)

"""The openchangedb, through mapistore's `openchangedb_admin` CLI.

The openchangedb schema belongs to mapistore (mapistore/schema/, versioned
migrations): these tools never issue SQL themselves.  The CLI's interface
(doc/mapistore.md):

  openchangedb_admin [--uri URI] [--private-dir DIR] init
  openchangedb_admin ... provision-server --server NAME --firstorg ORG
                                          --firstou OU
  openchangedb_admin ... mailbox-create --user U
  openchangedb_admin ... user-cleanup --user U [--dry-run]
  openchangedb_admin ... show

It is looked up as $OC_OPENCHANGEDB_ADMIN, then
$OC_BUILD_DIR/mapistore/openchangedb_admin (running from the build tree),
then `openchangedb_admin` in PATH.
"""

import os
import re
import shutil
import subprocess

from .common import OCError, mask_uri

TOOL = "openchangedb_admin"
_MYSQL_RE = re.compile(
    r"^mysql://(?P<user>[^:/@]+)(:(?P<password>[^@]*))?@"
    r"(?P<host>[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:]+\])(:(?P<port>[0-9]{1,5}))?"
    r"/(?P<db>[A-Za-z0-9_$-]+)(\?socket=/[^\s]+)?$")


def check_uri(uri):
    """Validate an openchangedb URI: mysql://user:pass@host[:port]/db,
    sqlite:///abs/path or /abs/path.  Raises OCError (password masked)."""
    if uri is None:
        return None
    if uri.startswith("mysql://"):
        m = _MYSQL_RE.match(uri)
        if m and (m.group("port") is None or 0 < int(m.group("port")) < 65536):
            return uri
    elif uri.startswith("sqlite://"):
        if uri.startswith("sqlite:///") and len(uri) > len("sqlite:///"):
            return uri
    elif uri.startswith("/"):
        return uri
    raise OCError("malformed openchangedb URI '%s': expected "
                  "mysql://user:password@host/database, sqlite:///path or an "
                  "absolute path" % mask_uri(uri))


def find_tool():
    """Path of openchangedb_admin, or None when it is not built/installed."""
    env = os.environ.get("OC_OPENCHANGEDB_ADMIN")
    if env:
        return env if os.access(env, os.X_OK) else None
    build = os.environ.get("OC_BUILD_DIR")
    if build:
        path = os.path.join(build, "mapistore", TOOL)
        if os.access(path, os.X_OK):
            return path
    return shutil.which(TOOL)


class OpenchangeDB:
    """One openchangedb location (URI, or the default SQLite file in the
    private dir) driven through the CLI."""

    def __init__(self, uri=None, private_dir=None, tool=None):
        self.uri = check_uri(uri)
        self.private_dir = private_dir
        self.tool = tool or find_tool()

    def available(self):
        return self.tool is not None

    def describe(self):
        if self.uri:
            return mask_uri(self.uri)
        return "the default SQLite database in %s" % self.private_dir

    def _argv(self, args):
        argv = [self.tool]
        if self.uri:
            argv += ["--uri", self.uri]
        if self.private_dir:
            argv += ["--private-dir", self.private_dir]
        return argv + list(args)

    def run(self, args, what):
        """Run one subcommand; returns its stdout.  A failure is one
        sentence built from the tool's last stderr line (password masked)."""
        if not self.available():
            raise OCError("%s is not built or installed, so the openchangedb "
                          "cannot be %s; build mapistore or put it in PATH"
                          % (TOOL, what))
        try:
            res = subprocess.run(self._argv(args), capture_output=True,
                                 text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise OCError("cannot run %s: %s" % (TOOL, e))
        if res.returncode != 0:
            lines = [ln.strip() for ln in res.stderr.splitlines() if ln.strip()]
            last = lines[-1] if lines else "exit status %d" % res.returncode
            last = re.sub(r"^%s:\s*" % re.escape(TOOL), "", last)
            err = OCError("the openchangedb (%s) could not be %s: %s"
                          % (self.describe(), what, mask_uri(last)))
            err.stderr = res.stderr
            raise err
        return res.stdout

    def init(self):
        return self.run(["init"], "initialised")

    def provision_server(self, server, org, ou):
        return self.run(["provision-server", "--server", server,
                         "--firstorg", org, "--firstou", ou], "provisioned")

    def mailbox_create(self, user):
        return self.run(["mailbox-create", "--user", user],
                        "given a mailbox for %s" % user)

    def user_cleanup(self, user, dry_run):
        args = ["user-cleanup", "--user", user]
        if dry_run:
            args.append("--dry-run")
        return self.run(args, "cleaned up for %s" % user)

    def show(self):
        return self.run(["show"], "read")


def already_exists(err):
    """Did a provision-server / mailbox-create fail because it was done?"""
    text = (getattr(err, "stderr", "") or str(err)).lower()
    return "already" in text or "exists" in text


SMBCONF_TEMPLATE = """\
mapistore:namedproperties = mysql
namedproperties:mysql_user = {user}
namedproperties:mysql_pass = {password}
namedproperties:mysql_host = {host}
namedproperties:mysql_db = {db}

mapistore:indexing_backend = {uri}
mapiproxy:openchangedb = {uri}
"""


def smbconf_lines(uri, show_password=False):
    """The guide's section 6.3 smb.conf lines for @uri (password masked
    unless @show_password: the admin copies them into smb.conf)."""
    if uri is None or not uri.startswith("mysql://"):
        where = uri or "the default SQLite database in the private dir"
        lines = "# openchangedb, indexing and named properties: %s\n" % where
        if uri:
            lines += ("mapistore:indexing_backend = %s\n"
                      "mapiproxy:openchangedb = %s\n" % (uri, uri))
        return lines
    m = _MYSQL_RE.match(uri)
    password = m.group("password") or ""
    shown = uri if show_password else mask_uri(uri)
    return SMBCONF_TEMPLATE.format(
        user=m.group("user"), password=password if show_password else "***",
        host=m.group("host"), db=m.group("db"), uri=shown)

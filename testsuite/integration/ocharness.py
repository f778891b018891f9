"""Throwaway Samba AD DCs for integration tests.

A DC is provisioned once per test run (``samba-tool domain provision
--dns-backend=NONE``, ~5 s) into a template directory, then copied for each
test group (``cp -a``, ~0.05 s), its smb.conf rewritten so that every path is
inside the copy, and started with ``samba -F`` on its own 127.0.0.N address,
with only the server services the test needs (never dns, nbt, wrepl or
dnsupdate: they would send traffic off the machine).  It is stopped by pid.

The freshly built module must be installed in Samba's dcerpc_server modules
directory before a DC starts (Samba loads every file there; no option moves
it): ``install_module()`` does that from the build tree.

Logs: every DC keeps its stdout/stderr in ``<dir>/samba.log``; a DC whose test
failed is left on disk (``keep=True``) and its path printed.

Run with Debian's /usr/bin/python3 (it has the samba bindings).
"""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time

REALM = "example.com"
DOMAIN = "EXAMPLE"
HOSTNAME = "ocdc"
ADMINPASS = "%1OpenChange"

# The guide's section 6.2 lines, in the "+" form of its sample smb.conf, which
# keeps Samba's own endpoint servers (lsarpc, samr, netlogon...) running.
GUIDE_LINES = {
    "dsdb:schema update allowed": "true",
    "dcerpc endpoint servers": "+epmapper, +mapiproxy",
    "dcerpc_mapiproxy:server": "true",
    "dcerpc_mapiproxy:interfaces": "exchange_emsmdb, exchange_nsp, exchange_ds_rfr",
}

MODULE_LOADED_LINE = "mapiproxy: loaded"


def _tmp_root():
    root = os.environ.get("OC_TEST_TMPDIR") or "/tmp/oc-test"
    os.makedirs(root, exist_ok=True)
    return root


def modules_dir():
    out = subprocess.run(["pkg-config", "--variable=modulesdir", "dcerpc_server"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out


def build_dir():
    """The meson build directory holding the module (OC_BUILD_DIR, or ./build)."""
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "build")
    return os.path.abspath(os.environ.get("OC_BUILD_DIR", default))


MODULE_LOCK = "/tmp/oc-test-ip-locks/module.lock"


class module_lock:
    """Machine-wide lock around "install the module, start samba until it
    has loaded it": Samba's modules directory is shared by every test run
    on the machine, so without it a concurrent run could swap mapiproxy.so
    between our install and our samba's dlopen."""

    def __enter__(self):
        os.makedirs(os.path.dirname(MODULE_LOCK), exist_ok=True)
        self.f = open(MODULE_LOCK, "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()
        return False


def install_module(src=None):
    """Copy the built mapiproxy.so into Samba's modules directory (atomic).
    Hold module_lock() from here until samba has loaded it."""
    src = src or os.path.join(build_dir(), "server_module", "mapiproxy.so")
    dst_dir = modules_dir()
    os.makedirs(dst_dir, exist_ok=True)
    dst = os.path.join(dst_dir, "mapiproxy.so")
    tmp = dst + ".tmp.%d" % os.getpid()
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o644)
    os.rename(tmp, dst)
    return dst


def provision_dc(target):
    """samba-tool domain provision into @target, then the guide's follow-up
    commands (6.2: no expiry for administrator; 7: relaxed password policy).
    Writes @target/.ready when done."""
    shutil.rmtree(target, ignore_errors=True)
    cmd = ["samba-tool", "domain", "provision", "--targetdir=" + target,
           "--realm=" + REALM, "--domain=" + DOMAIN,
           "--host-name=" + HOSTNAME, "--adminpass=" + ADMINPASS,
           "--server-role=dc", "--dns-backend=NONE", "--use-rfc2307"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("provision failed:\n" + res.stdout + res.stderr)
    sam = os.path.join(target, "private", "sam.ldb")
    for extra in (["user", "setexpiry", "administrator", "--noexpiry"],
                  ["domain", "passwordsettings", "set", "--complexity=off"],
                  ["domain", "passwordsettings", "set", "--min-pwd-length=1"]):
        res = subprocess.run(["samba-tool"] + extra + ["-H", sam],
                             capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError("samba-tool %s failed:\n%s%s"
                               % (extra, res.stdout, res.stderr))
    open(os.path.join(target, ".ready"), "w").close()


def template_dir():
    """Provision the template DC once (shared by every test in this run)."""
    root = _tmp_root()
    tdir = os.path.join(root, "template")
    lock = open(os.path.join(root, "template.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        if not os.path.exists(os.path.join(tdir, ".ready")):
            provision_dc(tdir)
        return tdir
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


IP_LOCK_DIR = "/tmp/oc-test-ip-locks"


def _free_ip():
    """Pick an unused 127.0.0.N (N >= 10) by taking a lock file for it.
    The locks live in one machine-wide directory, whatever OC_TEST_TMPDIR
    is, so concurrent test runs never pick the same address."""
    root = IP_LOCK_DIR
    os.makedirs(root, exist_ok=True)
    for n in range(10, 250):
        path = os.path.join(root, "ip-127.0.0.%d.lock" % n)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.%d" % n, 135))
        except OSError:
            s.close()
            os.close(fd)
            continue
        s.close()
        return "127.0.0.%d" % n, fd
    raise RuntimeError("no free 127.0.0.N address")


class SambaDC:
    """One running copy of the template DC.

    extra_conf: dict of [global] smb.conf lines added after the guide's lines
    (a value of None removes a guide line).  services: the 'server services'.
    """

    def __init__(self, name, extra_conf=None, services="rpc", guide_lines=True,
                 directory=None, ip=None):
        self.name = name
        self.extra_conf = extra_conf or {}
        self.services = services
        self.guide_lines = guide_lines
        self.proc = None
        self.keep = False
        if ip is not None:
            self.ip, self._ipfd = ip, None
        else:
            self.ip, self._ipfd = _free_ip()
        self.dir = directory or os.path.join(
            _tmp_root(), "dc-%s-%d-%s" % (name, os.getpid(),
                                          self.ip.split(".")[-1]))

    # -- paths -------------------------------------------------------------
    @property
    def smbconf(self):
        return os.path.join(self.dir, "etc", "smb.conf")

    @property
    def logfile(self):
        return os.path.join(self.dir, "samba.log")

    @property
    def samdb_path(self):
        return os.path.join(self.dir, "private", "sam.ldb")

    @property
    def fqdn(self):
        return "%s.%s" % (HOSTNAME, REALM)

    # -- lifecycle ---------------------------------------------------------
    def prepare(self):
        """Copy the template DC into self.dir (tests) and write smb.conf."""
        tdir = template_dir()
        shutil.rmtree(self.dir, ignore_errors=True)
        subprocess.run(["cp", "-a", tdir, self.dir], check=True)
        return self.configure()

    def configure(self):
        """Create the run-time directories and (re)write smb.conf."""
        for sub in ("cache", "run", "ncalrpc", "winbindd", "ntp_signd", "log"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        self.write_conf()
        return self

    def conf_lines(self):
        d = self.dir
        lines = {
            "netbios name": HOSTNAME.upper(),
            "workgroup": DOMAIN,
            "realm": REALM.upper(),
            "server role": "active directory domain controller",
            "private dir": d + "/private",
            "lock directory": d,
            "state directory": d + "/state",
            "cache directory": d + "/cache",
            "pid directory": d + "/run",
            "ncalrpc dir": d + "/ncalrpc",
            "winbindd socket directory": d + "/winbindd",
            "ntp signd socket directory": d + "/ntp_signd",
            "binddns dir": d + "/bind-dns",
            "log file": d + "/log/log.%m",
            "interfaces": self.ip + "/8",
            "bind interfaces only": "yes",
            "server services": self.services,
            "idmap_ldb:use rfc2307": "yes",
            "passdb backend": "samba_dsdb",
        }
        if self.guide_lines:
            lines.update(GUIDE_LINES)
        for k, v in self.extra_conf.items():
            if v is None:
                lines.pop(k, None)
            else:
                lines[k] = v
        return lines

    def write_conf(self):
        out = ["[global]"]
        out += ["\t%s = %s" % (k, v) for k, v in self.conf_lines().items()]
        out += ["", "[sysvol]", "\tpath = %s/state/sysvol" % self.dir,
                "\tread only = No", "", "[netlogon]",
                "\tpath = %s/state/sysvol/%s/scripts" % (self.dir, REALM),
                "\tread only = No", ""]
        with open(self.smbconf, "w") as f:
            f.write("\n".join(out))

    def start_with_module(self, module_path=None, expect_loaded=True, **kw):
        """Install the module (the normal build unless module_path) and start
        samba, holding the machine-wide module lock until it has loaded."""
        with module_lock():
            install_module(module_path)
            self.start(expect_loaded=expect_loaded, **kw)
            if not expect_loaded:
                # the rpc task loads modules before it listens
                self.wait_port(135)
        return self

    def start(self, debuglevel=3, timeout=30, expect_loaded=True):
        if self.proc is not None:
            raise RuntimeError("already started")
        log = open(self.logfile, "ab")
        self.proc = subprocess.Popen(
            ["samba", "-F", "--debug-stdout", "-d", str(debuglevel),
             "-s", self.smbconf],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        self.wait_port(135, timeout)
        if expect_loaded:
            self.wait_log(MODULE_LOADED_LINE, timeout)
        return self

    def wait_port(self, port, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("samba exited (%d); log %s:\n%s" %
                                   (self.proc.returncode, self.logfile,
                                    self.log_tail()))
            s = socket.socket()
            s.settimeout(0.5)
            try:
                s.connect((self.ip, port))
                return
            except OSError:
                time.sleep(0.1)
            finally:
                s.close()
        raise TimeoutError("port %s:%d not up; log:\n%s" %
                           (self.ip, port, self.log_tail()))

    def log_text(self):
        try:
            with open(self.logfile, "r", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n=60):
        return "\n".join(self.log_text().splitlines()[-n:])

    def wait_log(self, needle, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if needle in self.log_text():
                return True
            if self.proc is not None and self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise TimeoutError("log line %r not seen; log %s:\n%s" %
                           (needle, self.logfile, self.log_tail()))

    def pids(self):
        """The samba master and all its children (process group)."""
        if self.proc is None:
            return []
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)],
                             capture_output=True, text=True).stdout.split()
        return [int(p) for p in out]

    def stop(self, timeout=10):
        if self.proc is None:
            return
        pgid = self.proc.pid
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait()
        # children of the process group that outlived the master
        deadline = time.time() + timeout
        while time.time() < deadline:
            if subprocess.run(["pgrep", "-g", str(pgid)],
                              capture_output=True).returncode != 0:
                break
            time.sleep(0.1)
        else:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None

    def cleanup(self):
        self.stop()
        if self.keep:
            print("keeping DC directory (test failed): %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        if self._ipfd is not None:
            os.close(self._ipfd)
            self._ipfd = None

    def __enter__(self):
        self.prepare()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.keep = True
        self.cleanup()
        return False

    # -- clients -----------------------------------------------------------
    def binding(self, iface_port=None, options=""):
        b = "ncacn_ip_tcp:%s" % self.ip
        if iface_port:
            b += "[%d%s]" % (iface_port, ("," + options) if options else "")
        elif options:
            b += "[%s]" % options
        return b

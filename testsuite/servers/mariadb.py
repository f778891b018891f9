#!/usr/bin/python3
"""A throwaway MariaDB server for tests (stdlib only).

As a context manager::

    with MariaDB() as db:
        print(db.uri)          # mysql://openchange-user:openchange$123@127.0.0.1:PORT/openchange

As a command::

    mariadb.py run -- CMD ARGS...

starts the server, runs CMD with OC_TEST_MYSQL_URI, OC_TEST_MYSQL_SOCK,
OC_TEST_MYSQL_PORT (and OC_TEST_DB_URI = OC_TEST_MYSQL_URI) in its
environment, stops the server and exits with CMD's status.

The server keeps its grant tables (wrong-password tests need them). It
creates the `openchange` database and the configuration guide's user
'openchange-user'@'localhost' and @'127.0.0.1' with password
`openchange$123`. It runs as root with --user=root. The data directory
is removed afterwards unless start-up failed, in which case the log is
kept and its path printed.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

USER = "openchange-user"
PASSWORD = "openchange$123"
DATABASE = "openchange"

SERVER_CANDIDATES = ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"]
INSTALL_CANDIDATES = ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"]
CLIENT_CANDIDATES = ["/usr/bin/mariadb", "/usr/bin/mysql"]


def _find(candidates):
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    raise RuntimeError("none of %s is installed (apt-get install mariadb-server)"
                       % ", ".join(candidates))


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDB:
    """Start on __enter__/start(), stop on __exit__/stop()."""

    def __init__(self, startup_timeout=60):
        self.startup_timeout = startup_timeout
        self.tmpdir = None
        self.proc = None
        self.port = None
        self.failed = False

    @property
    def datadir(self):
        return os.path.join(self.tmpdir, "data")

    @property
    def sock(self):
        return os.path.join(self.tmpdir, "sock")

    @property
    def log(self):
        return os.path.join(self.tmpdir, "mariadb.log")

    @property
    def uri(self):
        return "mysql://%s:%s@127.0.0.1:%d/%s" % (USER, PASSWORD, self.port, DATABASE)

    def _user_args(self):
        return ["--user=root"] if os.geteuid() == 0 else []

    def _client(self, sql):
        """Run SQL as the server's root over the socket."""
        cmd = [_find(CLIENT_CANDIDATES), "--no-defaults", "--socket=" + self.sock,
               "-uroot", "--batch", "-e", sql]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=30)

    def start(self):
        self.tmpdir = tempfile.mkdtemp(prefix="oc-mariadb-")
        os.chmod(self.tmpdir, 0o755)
        try:
            with open(self.log, "w") as log:
                subprocess.run([_find(INSTALL_CANDIDATES), "--no-defaults",
                                "--datadir=" + self.datadir,
                                "--auth-root-authentication-method=normal",
                                "--skip-test-db"] + self._user_args(),
                               check=True, stdout=log, stderr=subprocess.STDOUT,
                               timeout=120)
            self.port = _free_port()
            with open(self.log, "a") as log:
                self.proc = subprocess.Popen(
                    [_find(SERVER_CANDIDATES), "--no-defaults",
                     "--datadir=" + self.datadir, "--socket=" + self.sock,
                     "--port=%d" % self.port, "--bind-address=127.0.0.1",
                     "--pid-file=" + os.path.join(self.tmpdir, "mariadbd.pid"),
                     "--skip-name-resolve", "--innodb-buffer-pool-size=32M",
                     "--innodb-log-file-size=16M", "--log-error=" + self.log]
                    + self._user_args(),
                    stdout=log, stderr=subprocess.STDOUT)
            self._wait_ready()
            self._client(
                "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
                "CREATE USER '%s'@'localhost' IDENTIFIED BY '%s';"
                "CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s';"
                "GRANT ALL PRIVILEGES ON %s.* TO '%s'@'localhost';"
                "GRANT ALL PRIVILEGES ON %s.* TO '%s'@'127.0.0.1';"
                "GRANT PROCESS, CONNECTION ADMIN ON *.* TO '%s'@'127.0.0.1';"
                "FLUSH PRIVILEGES;"
                % (DATABASE, USER, PASSWORD, USER, PASSWORD, DATABASE, USER,
                   DATABASE, USER, USER))
        except Exception:
            self.failed = True
            self.stop()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("mariadbd exited with %d; log: %s"
                                   % (self.proc.returncode, self.log))
            if os.path.exists(self.sock):
                try:
                    self._client("SELECT 1")
                    return
                except subprocess.CalledProcessError:
                    pass
            time.sleep(0.2)
        raise RuntimeError("mariadbd not ready after %ds; log: %s"
                           % (self.startup_timeout, self.log))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self.tmpdir is None:
            return
        if self.failed:
            sys.stderr.write("mariadb.py: server log kept in %s\n" % self.log)
        else:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.tmpdir = None

    def env(self):
        return {
            "OC_TEST_MYSQL_URI": self.uri,
            "OC_TEST_DB_URI": self.uri,
            "OC_TEST_MYSQL_SOCK": self.sock,
            "OC_TEST_MYSQL_PORT": str(self.port),
        }

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self.tmpdir is not None:
            self.failed = True
        self.stop()
        return False


def main(argv):
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        sys.stderr.write("usage: mariadb.py run -- CMD [ARGS...]\n")
        return 2
    cmd = argv[argv.index("--") + 1:]
    if not cmd:
        sys.stderr.write("mariadb.py: no command given\n")
        return 2
    with MariaDB() as db:
        env = dict(os.environ)
        env.update(db.env())
        rc = subprocess.call(cmd, env=env)
        if rc != 0:
            db.failed = True
            sys.stderr.write("mariadb.py: command failed (%d)\n" % rc)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))

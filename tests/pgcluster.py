"""A throwaway PostgreSQL cluster on loopback, for tests and benchmarks (stdlib only).

    with PgCluster() as pg:                 # initdb + pg_ctl start + createdb app
        run_app("-pg", pg.dsn)              # postgres://postgres@127.0.0.1:PORT/app?sslmode=disable
    # stopped (pg_ctl stop -m fast) and its directory removed

The cluster lives in a fresh temporary directory: data in ``data/``, the unix socket in
``sock/``, the server log in ``postgres.log``. It listens on 127.0.0.1 only, on a free port,
with ``trust`` authentication for the unix socket and 127.0.0.1 and nothing else. Durability
is switched off (fsync, synchronous_commit, full_page_writes): it is a scratch database.

initdb refuses to run as root, so as root every server-side command runs as the ``postgres``
system user (created by Debian's postgresql package) through ``runuser -u postgres --``, and
the temporary directory is handed to that user; as any other user they run as that user.

Binaries: ``$PG_BINDIR`` if set, else the newest ``/usr/lib/postgresql/<ver>/bin`` (Debian
keeps them off PATH), else ``initdb`` on PATH. `scripts/install-test-deps` installs them.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["PgCluster", "PgClusterError", "find_bindir"]

INSTALL_HINT = "install it with `bash scripts/install-test-deps` (Debian's postgresql package)"


class PgClusterError(RuntimeError):
    """The cluster could not be created or started (the message says why and what to do)."""


def _version_key(path: str) -> tuple:
    ver = Path(path).parent.parent.name  # /usr/lib/postgresql/<ver>/bin/initdb
    return tuple(int(p) if p.isdigit() else 0 for p in ver.split("."))


def find_bindir() -> Path:
    """The directory holding initdb, pg_ctl and createdb; PgClusterError if there is none."""
    env = os.environ.get("PG_BINDIR")
    if env:
        if not (Path(env) / "initdb").is_file():
            raise PgClusterError(f"PG_BINDIR={env} has no initdb; unset PG_BINDIR or {INSTALL_HINT}")
        return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PgClusterError(
        "PostgreSQL's initdb was not found (looked in $PG_BINDIR, /usr/lib/postgresql/*/bin "
        f"and PATH): {INSTALL_HINT}"
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class PgCluster:
    """A temporary PostgreSQL cluster; ``start()``/``stop()`` or a context manager."""

    def __init__(self, dbname: str = "app", *, user: str = "postgres", start_timeout: float = 60):
        self.dbname = dbname
        self.user = user  # the database superuser (initdb -U)
        self.start_timeout = start_timeout
        self.host = "127.0.0.1"
        self.port = 0
        self.root: Path | None = None
        self.bindir: Path | None = None
        self._as_root = os.geteuid() == 0
        self._running = False

    # ---------------------------------------------------------------- paths

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "sock"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "postgres.log"

    @property
    def dsn(self) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{self.dbname}?sslmode=disable"

    # ---------------------------------------------------------------- commands

    def _argv(self, tool: str, *args: str) -> list[str]:
        assert self.bindir is not None
        argv = [str(self.bindir / tool), *args]
        return ["runuser", "-u", "postgres", "--", *argv] if self._as_root else argv

    def _run(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C", TZ="UTC")
        try:
            proc = subprocess.run(self._argv(tool, *args), cwd=self.root, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise PgClusterError(f"{tool} {' '.join(args)}: no answer within {timeout:g}s") from e
        if proc.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-4000:] if self.log_file.exists() else ""
            raise PgClusterError(
                f"{tool} {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
                + (f"\nserver log ({self.log_file}):\n{log}" if log else "")
            )
        return proc

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> "PgCluster":
        if self._running:
            return self
        self.bindir = find_bindir()
        owner = None
        if self._as_root:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PgClusterError(
                    "running as root, but there is no `postgres` system user to run PostgreSQL "
                    f"as (initdb refuses root): {INSTALL_HINT}") from None
            if shutil.which("runuser") is None:
                raise PgClusterError("running as root, but `runuser` (util-linux) is missing")
        self.root = Path(tempfile.mkdtemp(prefix="toolweave-pg-"))
        atexit.register(self.stop)  # a crashed session must not leave a server behind
        try:
            self.socket_dir.mkdir()
            if owner is not None:
                for p in (self.root, self.socket_dir):
                    os.chown(p, owner.pw_uid, owner.pw_gid)
            self._initdb()
            self._start_server()
            self._run("createdb", "-h", str(self.socket_dir), "-p", str(self.port),
                      "-U", self.user, self.dbname)
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
        # Only what the tests need: no remote access, no other local users' connections.
        (self.data_dir / "pg_hba.conf").write_text(
            "# toolweave test cluster: trust on the unix socket and 127.0.0.1 only\n"
            "local all all               trust\n"
            "host  all all 127.0.0.1/32  trust\n"
        )
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# toolweave test cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 64MB\nmax_connections = 100\n"
                "logging_collector = off\n"
            )

    def _start_server(self) -> None:
        last: PgClusterError | None = None
        for _ in range(3):  # the free port can be taken between our probe and the server's bind
            self.port = free_port(self.host)
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                          "-o", f"-p {self.port}", "-w", "-t", str(int(self.start_timeout)),
                          "start", timeout=self.start_timeout + 30)
            except PgClusterError as e:
                last = e
                if "already in use" not in (self.log_file.read_text(errors="replace")
                                            if self.log_file.exists() else ""):
                    raise
                continue
            self._running = True
            self._wait_ready()
            return
        assert last is not None
        raise last

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise PgClusterError(f"PostgreSQL is not accepting connections on "
                                         f"{self.host}:{self.port}; log: {self.log_file}")
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the directory; safe to call again."""
        if self._running:
            self._running = False
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30", "stop",
                          timeout=60)
            except PgClusterError:
                self._kill_postmaster()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        try:
            atexit.unregister(self.stop)
        except Exception:
            pass

    def _kill_postmaster(self) -> None:
        pidfile = self.data_dir / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().split()[0])
            os.kill(pid, 9)  # the postmaster we started; its children exit with it
        except (OSError, ValueError, IndexError):
            pass

    def psql(self, sql: str) -> str:
        """Run SQL through psql on the unix socket (for checks); returns its output."""
        assert self.bindir is not None
        return self._run("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir),
                         "-p", str(self.port), "-U", self.user, "-d", self.dbname, "-c", sql).stdout

    def __enter__(self) -> "PgCluster":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":  # a manual check: start, print the DSN, stop
    with PgCluster() as pg:
        print(pg.dsn)
        print(pg.psql("SELECT version()").strip())

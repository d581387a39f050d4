"""Throwaway Redis servers for the go-redis tests: Debian's redis-server on free loopback
ports, in a temporary directory, no persistence; a plain server, a one-node Redis Cluster
(cluster mode, every slot assigned to itself) and a Sentinel that watches the plain server
as master "mymaster". Missing redis-server is a failure: scripts/install-test-deps installs it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class RedisError(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port: int, *args: str, timeout: float = 5) -> str:
    """One command in RESP over a socket (no client library): the start of the reply (its
    first line is the type and status; enough for the small replies waited for here)."""
    payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload.encode())
        return s.recv(65536).decode(errors="replace")


class RedisServers:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="toolweave-redis-"))
        self.procs: list[subprocess.Popen] = []
        self.plain = self.cluster = self.sentinel = 0

    def start_plain(self) -> "RedisServers":
        """The plain server alone (bench/ecobench.py)."""
        self.plain = self._server(self._binary(), "plain", [])
        return self

    def start(self) -> "RedisServers":
        self.start_plain()
        binary = self._binary()
        # The cluster bus port is the port + 10000 unless given: a free one of its own.
        self.cluster = self._server(binary, "cluster", ["--cluster-enabled", "yes", "--cluster-port", str(free_port()),
                                                        "--cluster-config-file", str(self.dir / "nodes.conf")])
        reply = command(self.cluster, "CLUSTER", "ADDSLOTSRANGE", "0", "16383")
        if not reply.startswith("+OK"):
            raise RedisError(f"cannot assign the cluster's slots: {reply}")
        self._wait(lambda: "cluster_state:ok" in command(self.cluster, "CLUSTER", "INFO"), "the cluster to be ok")
        conf = self.dir / "sentinel.conf"
        conf.write_text(f"sentinel monitor mymaster 127.0.0.1 {self.plain} 1\n")
        self.sentinel = self._server(binary, "sentinel", ["--sentinel"], config=conf)
        self._wait(lambda: command(self.sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").startswith("*2"),
                   "the sentinel to know its master")
        return self

    @staticmethod
    def _binary() -> str:
        binary = shutil.which("redis-server")
        if not binary:
            raise RedisError("redis-server is not installed: run `bash scripts/install-test-deps` (as root)")
        return binary

    def _server(self, binary: str, name: str, extra: list[str], config: Path | None = None) -> int:
        port = free_port()
        workdir = self.dir / name
        workdir.mkdir()
        argv = [binary, *([str(config)] if config else []), "--port", str(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(workdir), "--protected-mode", "no", *extra]
        log = open(workdir / "log", "wb")
        self.procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT))
        self._wait(lambda: command(port, "PING").startswith("+PONG"), f"redis {name} on port {port}")
        return port

    def _wait(self, ready, what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    raise RedisError(f"a redis-server exited ({p.returncode}) while waiting for {what}: "
                                     f"{' '.join(map(str, p.args))}")
            try:
                if ready():
                    return
            except OSError as err:
                last = err
            time.sleep(0.05)
        raise RedisError(f"timed out waiting for {what} ({last})")

    def env(self) -> dict[str, str]:
        return {"REDIS_ADDR": f"127.0.0.1:{self.plain}", "REDIS_CLUSTER_ADDR": f"127.0.0.1:{self.cluster}",
                "REDIS_SENTINEL_ADDR": f"127.0.0.1:{self.sentinel}"}

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

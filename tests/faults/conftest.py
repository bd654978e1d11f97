"""The fault suite: watwerkt served for real, then something breaks.

Each module gets its own database with the Antwerp demo, made with the
``watwerkt`` command: a SQLite file, or — when the suite runs on PostgreSQL
(``DATABASE_URL``) — a throwaway PostgreSQL database. Servers are
``watwerkt serve`` (granian, two worker processes), clients plain HTTP on
127.0.0.1, and the checks read the database directly, as an auditor would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

WATWERKT = str(Path(sys.executable).with_name("watwerkt"))
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
ORG = "antwerpen"
API = f"/api/v1/organisations/{ORG}"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(url: str, method: str = "GET", body: Any = None, **headers: str) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with OPENER.open(request, timeout=30) as response:
            return Answer(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, _lower(error.headers.items()), error.read())


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Site:
    """One database with the demo, and the environment that points watwerkt at it."""

    env: dict[str, str]
    var: Path
    database_url: str = ""  # PostgreSQL only
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def sqlite_file(self) -> Path:
        return self.var / "watwerkt.sqlite3"

    def run(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [WATWERKT, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check and done.returncode:
            raise AssertionError(f"watwerkt {' '.join(args)}: {done.stderr or done.stdout}")
        return done

    def token(self, role: str = "editor") -> str:
        if role not in self.tokens:
            out = self.run("token", "add", "--role", role, ORG, f"fault-{role}").stdout
            self.tokens[role] = next(
                line.split()[1] for line in out.splitlines() if line.startswith("Token:")
            )
        return self.tokens[role]

    def rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the database directly (``?`` placeholders), JSON columns decoded."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                found = conn.execute(query.replace("?", "%s"), params).fetchall()
        else:
            with sqlite3.connect(f"file:{self.sqlite_file}?mode=ro", uri=True) as conn:
                found = conn.execute(query, params).fetchall()
        return [tuple(_decoded(v) for v in row) for row in found]


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _admin(sql: str) -> None:
    import psycopg

    admin = urlparse(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "WATWERKT_VAR_DIR": str(var), "WATWERKT_SECURE_COOKIES": "false"}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    found = Site(env, var)
    name = ""
    if POSTGRES:
        name = f"watwerkt_fault_{uuid.uuid4().hex[:12]}"
        _admin(f"CREATE DATABASE {name}")
        found.database_url = urlparse(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
        env["DATABASE_URL"] = found.database_url
    try:
        found.run("migrate", "--noinput", "--verbosity", "0")
        found.run("demo")
        yield found
    finally:
        if name:
            _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, **headers: str) -> Answer:
        return fetch(self.url + path, **headers)

    def put(self, path: str, body: Any, token: str, **headers: str) -> Answer:
        return fetch(self.url + path, "PUT", body, Authorization=f"Bearer {token}", **headers)

    def kill(self, how: signal.Signals = signal.SIGKILL) -> None:
        try:
            os.killpg(self.process.pid, how)
        except ProcessLookupError:
            return
        self.process.wait(timeout=30)


@contextmanager
def serving(site: Site, workers: int = 2, port: int = 0, **env: str) -> Iterator[Server]:
    """``watwerkt serve`` on ``port`` (a free one by default) until the block ends (or
    the test kills it)."""
    port = port or free_port()
    log = site.var / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                WATWERKT,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                f"{port}",
                "--workers",
                f"{workers}",
            ],
            env={**site.env, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: granian's workers die with it
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _ready(server)
        yield server
    finally:
        server.kill(signal.SIGTERM)


def _ready(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"watwerkt serve stopped: {server.log.read_text()}")
        try:
            fetch(server.url + "/api/v1/")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"watwerkt serve did not answer: {server.log.read_text()}")


def redis_server() -> str:
    found = shutil.which("redis-server")
    if found is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    return found


class Proxy:
    """A TCP forwarder on loopback that can be cut: a database that stops answering."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.sockets: list[socket.socket] = [self.listener]
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse every new connection and drop the open ones."""
        with self.lock:
            for s in self.sockets:
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

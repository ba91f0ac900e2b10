"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` in a temporary directory,
``postgres`` on a free loopback port (and a unix socket in that directory), stopped and removed
at the end. Uses the Debian package's binaries (``/usr/lib/postgresql/<version>/bin``)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from callbox.testing.ports import free_port

SERVER_USER = "postgres"
"""PostgreSQL refuses to run as root; as root the server runs as this unprivileged user (the
Debian package creates it; created here, with no login, when it is missing)."""
SUPERUSER = "callbox"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


class PostgresServerError(Exception):
    """The throwaway server could not be set up, started or stopped; the message says why."""


def find_bindir() -> Path:
    """The directory of ``initdb`` and ``postgres``: the newest Debian-packaged version, else
    wherever ``initdb`` is on PATH."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    if versions:
        return versions[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresServerError(
        "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb and no initdb on PATH"
        " (bash scripts/setup installs Debian's postgresql package)"
    )


class TemporaryPostgres:
    """One PostgreSQL cluster for the life of this object (``with TemporaryPostgres() as pg``).

    ``durable=False`` turns off fsync: right for tests (the server itself is never killed, and
    what a killed *client* committed is safe in the server either way), wrong for benchmarks of
    commit rates, which use the default ``durable=True``.
    """

    def __init__(self, *, durable: bool = True) -> None:
        self.durable = durable
        self.bindir = find_bindir()
        self.port = 0
        self.directory: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._names = 0

    @property
    def url(self) -> str:
        """The URL of the ``postgres`` database, as the superuser, over loopback TCP."""
        return self.database_url("postgres")

    def database_url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @property
    def socket_directory(self) -> Path:
        assert self.directory is not None
        return self.directory / "socket"

    def __enter__(self) -> TemporaryPostgres:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="callbox-postgres-"))
        try:
            self._initdb()
            self._launch()
        except BaseException:
            self.stop()
            raise

    def create_database(self) -> str:
        """A new, empty database; returns its URL (~0.2 s: for a test suite, prefer
        ``create_schema``)."""
        name = self._new_name()
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.database_url(name)

    def create_schema(self) -> str:
        """A new, empty schema in the ``postgres`` database; returns a URL whose connections
        use it (``options=-csearch_path=...``), so that each test has its own tables."""
        name = self._new_name()
        self._execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url}?options=-csearch_path%3D{name}"

    def _new_name(self) -> str:
        self._names += 1
        return f"test_{os.getpid()}_{self._names}"

    def _execute(self, statement: str) -> None:
        import psycopg  # the postgres extra; imported here so that the module loads without it

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(statement.encode())

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # "fast" shutdown: ends sessions, checkpoints
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def _run(self, command: list[str], **options: Any) -> subprocess.Popen[bytes]:
        """Start ``command``, as an unprivileged user when we are root (the process is the
        server itself, not a runuser wrapper, so that signals reach it)."""
        if os.geteuid() == 0:
            account = pwd.getpwnam(server_user())
            options.update(user=account.pw_uid, group=account.pw_gid, extra_groups=[])
        return subprocess.Popen(command, **options)

    def _initdb(self) -> None:
        assert self.directory is not None
        self.socket_directory.mkdir()
        if os.geteuid() == 0:
            account = pwd.getpwnam(server_user())
            for path in (self.directory, self.socket_directory):
                os.chown(path, account.pw_uid, account.pw_gid)
        command = [
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.directory / "data"),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        ]
        initdb = self._run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = initdb.communicate()
        if initdb.returncode != 0:
            raise PostgresServerError(
                f"initdb failed (exit {initdb.returncode}): {output.decode(errors='replace')}"
            )

    def _launch(self) -> None:
        assert self.directory is not None
        for _attempt in range(3):
            self.port = free_port()
            command = [
                str(self.bindir / "postgres"),
                "-D",
                str(self.directory / "data"),
                "-p",
                str(self.port),
                "-k",
                str(self.socket_directory),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"fsync={'on' if self.durable else 'off'}",
                "-c",
                "max_connections=200",
            ]
            log = (self.directory / "server.log").open("wb")
            self._process = self._run(command, stdout=log, stderr=subprocess.STDOUT)
            log.close()
            if self._wait_until_ready():
                return
            output = (self.directory / "server.log").read_text(errors="replace")
            self._process = None
            if "could not bind" not in output and "Address already in use" not in output:
                raise PostgresServerError(f"postgres did not start: {output.strip()}")
        raise PostgresServerError("postgres did not start: no free loopback port after 3 tries")

    def _wait_until_ready(self) -> bool:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0):
                    pass
            except OSError:
                time.sleep(0.05)
                continue
            if self._accepts_queries():
                return True
            time.sleep(0.05)
        self._process.kill()
        self._process.wait()
        raise PostgresServerError(f"postgres did not accept connections in {START_TIMEOUT:.0f} s")

    def _accepts_queries(self) -> bool:
        ready = subprocess.run(
            [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
            check=False,
        )
        return ready.returncode == 0


def server_user() -> str:
    """The unprivileged account the server runs as when we are root (created when missing)."""
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        created = subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVER_USER,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if created.returncode != 0:
            raise PostgresServerError(
                f"postgres refuses to run as root and the user {SERVER_USER!r} is missing;"
                f" useradd failed: {created.stderr.strip()}"
            ) from None
    return SERVER_USER

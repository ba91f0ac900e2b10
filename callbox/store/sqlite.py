"""The SQLite store, callbox's default: one file, WAL journal, ``synchronous=FULL`` so that a
committed write survives a crash of the process or of the machine, migrations at open.
sqlite3 (the standard library's) runs in the store's writer thread and reader threads."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from callbox.store import migrations
from callbox.store.base import StoreError, StoreUrlError
from callbox.store.connections import ReaderPool, Transactions, WriterThread
from callbox.store.sql import SqlDialect, SqlStore

SYNCHRONOUS = ("full", "normal")
"""``full`` (default): a commit is on disk before it returns. ``normal``: faster; in WAL mode a
commit still survives the process being killed, but not the machine losing power."""
BUSY_TIMEOUT = 30.0
"""Seconds a connection waits for another process's lock on the file before it gives up."""
READERS = 4

DIALECT = SqlDialect(
    placeholder="?",
    json_parameter="?",
    json_text=lambda field: f"json_extract(data, '$.{field}')",
    load_json=lambda value: json.loads(value),
    violated_key=lambda error: violated_key(error),
)
TRANSACTIONS = Transactions(begin_write="BEGIN IMMEDIATE", begin_read="BEGIN")


def violated_key(error: BaseException) -> str | None:
    """``UNIQUE constraint failed: records.kind, records.sid`` names the column last."""
    if not isinstance(error, sqlite3.IntegrityError):
        return None
    found = re.match(r"UNIQUE constraint failed: .*\brecords\.(\w+)$", str(error))
    return found[1] if found else None


def parse_location(location: str) -> tuple[Path, str]:
    """The file and ``synchronous`` setting of a SQLite location: ``sqlite:///abs/path.db``
    (like a file: URL), ``sqlite:relative.db``, or a bare path; ``?synchronous=normal``."""
    if not location.startswith("sqlite:"):
        return Path(location).expanduser(), "full"
    parts = urlsplit(location)
    if parts.netloc:
        raise StoreUrlError(
            f"a SQLite store location names a file, not a host: {location!r}"
            " (sqlite:///absolute/path.db, sqlite:relative.db or a bare path)"
        )
    path = unquote(parts.path)
    if not path:
        raise StoreUrlError(f"a SQLite store location needs a file: {location!r}")
    synchronous = "full"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key != "synchronous":
            raise StoreUrlError(f"unknown SQLite store setting {key!r} in {location!r}")
        if value.lower() not in SYNCHRONOUS:
            raise StoreUrlError(
                f"synchronous must be one of {', '.join(SYNCHRONOUS)}, not {value!r}"
            )
        synchronous = value.lower()
    return Path(path).expanduser(), synchronous


class SqliteStore(SqlStore):
    """The Store protocol in one SQLite file (created, with its schema, when missing)."""

    def __init__(self, path: Path | str, *, synchronous: str = "full") -> None:
        self.path = Path(path)
        self.synchronous = synchronous
        if synchronous not in SYNCHRONOUS:
            raise StoreUrlError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}")
        if not self.path.parent.is_dir():
            raise StoreError(
                f"cannot open the SQLite store {self.path}: no directory {self.path.parent}"
            )
        first = self._connect()
        try:
            first.execute("PRAGMA journal_mode = WAL")
            migrations.migrate(first, migrations.SQLITE, database=str(self.path))
        except sqlite3.Error as error:
            first.close()
            raise StoreError(f"cannot open the SQLite store {self.path}: {error}") from error
        except BaseException:
            first.close()
            raise
        first.close()
        super().__init__(
            WriterThread(self._connect, TRANSACTIONS, name=f"callbox-store-writer {self.path}"),
            ReaderPool(self._connect, TRANSACTIONS, size=READERS),
            DIALECT,
            name=str(self.path),
        )

    @classmethod
    def open(cls, location: str) -> SqliteStore:
        path, synchronous = parse_location(location)
        return cls(path, synchronous=synchronous)

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            connection.execute(f"PRAGMA synchronous = {self.synchronous.upper()}")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the SQLite store {self.path}: {error}") from error
        return connection

    def settings(self) -> dict[str, Any]:
        """The pragmas in force on a connection (for ``callbox serve`` to show, and for tests)."""

        def job(connection: Any) -> dict[str, Any]:
            journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
            synchronous = connection.execute("PRAGMA synchronous").fetchone()[0]
            return {
                "journal_mode": journal,
                "synchronous": ["off", "normal", "full", "extra"][synchronous],
            }

        return self._readers.run(job)

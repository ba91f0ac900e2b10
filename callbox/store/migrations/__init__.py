"""Schema migrations: numbered SQL files beside this module, applied in order when a store opens.

``0001_initial.sql`` is portable SQL for every dialect; ``0002_x.postgres.sql`` and
``0002_x.sqlite.sql`` are the form for a step whose SQL differs. The table ``schema_version``
records each applied step (version, name, time). Applying is idempotent and safe when several
processes open one database at once; a database newer than the code is refused."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Protocol

from callbox.store.base import StoreError


class SchemaError(StoreError):
    """The database's schema is not one this callbox can use (newer than the code, or migrated by
    a different history), or a migration failed or is malformed; the message says which."""


FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)(?:\.(?P<dialect>[a-z]+))?\.sql$")
DIALECTS = ("sqlite", "postgres")


class Connection(Protocol):
    """The part of a DB-API connection (sqlite3's or psycopg's) that migrating uses. It must be
    in autocommit mode: the steps open and commit their own transactions."""

    def cursor(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between the databases as far as migrating goes."""

    name: str
    placeholder: str
    begin: str
    """Starts a transaction that holds the database's write lock until it ends, so that two
    processes opening one database apply each step once."""
    lock: str | None = None


SQLITE = Dialect("sqlite", "?", "BEGIN IMMEDIATE")
POSTGRES = Dialect(
    "postgres",
    "%s",
    "BEGIN",
    # one constant key for "callbox schema migrations" (the bytes of "callbox" as a number)
    lock="SELECT pg_advisory_xact_lock(27988174223650680)",
)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        return split_statements(self.sql)


def split_statements(sql: str) -> list[str]:
    """The statements of a SQL file, each complete (SQLite's own test of completeness, which
    knows quotes, comments and trigger bodies), without the comment-only remainders."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if strip_comments(pending):
        raise SchemaError(f"migration SQL ends with an incomplete statement: {pending.strip()!r}")
    return [statement for statement in statements if strip_comments(statement)]


def strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines()).strip()


def load(dialect: str, directory: Traversable | None = None) -> list[Migration]:
    """The steps for ``dialect``, in order, from ``directory`` (default: this package)."""
    if dialect not in DIALECTS:
        raise SchemaError(f"no migrations for dialect {dialect!r}; known: {', '.join(DIALECTS)}")
    folder = directory if directory is not None else resources.files(__package__)
    portable: dict[int, Migration] = {}
    specific: dict[int, Migration] = {}
    seen: dict[int, set[str]] = {}
    for entry in folder.iterdir():
        match = FILE_NAME.match(entry.name)
        if match is None:
            if entry.name.endswith(".sql"):
                raise SchemaError(
                    f"migration file {entry.name!r} is not named NNNN_name[.dialect].sql"
                )
            continue
        version = int(match["version"])
        file_dialect = match["dialect"]
        if file_dialect is not None and file_dialect not in DIALECTS:
            raise SchemaError(f"migration file {entry.name!r} names an unknown dialect")
        names = seen.setdefault(version, set())
        names.add(match["name"])
        if len(names) > 1:
            raise SchemaError(f"migration {version:04d} has several names: {sorted(names)}")
        migration = Migration(version, match["name"], entry.read_text(encoding="utf-8"))
        if file_dialect is None:
            portable[version] = migration
        elif file_dialect == dialect:
            specific[version] = migration
    steps = portable | specific
    versions = sorted(seen)
    if versions != list(range(1, len(versions) + 1)):
        raise SchemaError(f"migration versions must run 1, 2, 3... with no gap; found {versions}")
    missing = [version for version in versions if version not in steps]
    if missing:
        raise SchemaError(f"migrations {missing} have no file for dialect {dialect!r}")
    return [steps[version] for version in versions]


def applied(connection: Connection, dialect: Dialect) -> dict[int, str]:
    """The steps the database records as applied (version -> name); empty for a new database."""
    cursor = connection.cursor()
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    cursor.execute("SELECT version, name FROM schema_version ORDER BY version")
    return {int(version): str(name) for version, name in cursor.fetchall()}


def migrate(
    connection: Connection,
    dialect: Dialect,
    migrations: Iterable[Migration] | None = None,
    *,
    database: str = "the database",
) -> int:
    """Bring the database up to the newest step; returns its schema version.

    Each step runs in its own transaction with the row that records it, so a step that fails
    leaves the database at the version before it. ``database`` names it in errors."""
    steps = list(migrations) if migrations is not None else load(dialect.name)
    code_version = steps[-1].version if steps else 0
    cursor = connection.cursor()
    cursor.execute(dialect.begin)
    try:
        if dialect.lock:
            cursor.execute(dialect.lock)
        done = applied(connection, dialect)
        check_history(done, steps, code_version, database)
        cursor.execute("COMMIT")
    except BaseException:
        rollback(cursor)
        raise
    for step in steps:
        if step.version in done:
            continue
        cursor.execute(dialect.begin)
        try:
            if dialect.lock:
                cursor.execute(dialect.lock)
            if step.version in applied(connection, dialect):
                cursor.execute("COMMIT")  # another process applied it meanwhile
                continue
            for statement in step.statements():
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES"
                f" ({dialect.placeholder}, {dialect.placeholder}, {dialect.placeholder})",
                (step.version, step.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            cursor.execute("COMMIT")
        except BaseException as error:
            rollback(cursor)
            if isinstance(error, SchemaError):
                raise
            raise SchemaError(
                f"migration {step.version:04d}_{step.name} failed on {database}: {error}"
            ) from error
    return code_version


def rollback(cursor: Any) -> None:
    """End the failed transaction; the error that failed it is what the caller reports (SQLite
    may have rolled back already, and then ROLLBACK itself fails)."""
    with contextlib.suppress(Exception):
        cursor.execute("ROLLBACK")


def check_history(
    done: dict[int, str], steps: Sequence[Migration], code_version: int, database: str
) -> None:
    """Refuse a database that is newer than the code or whose past steps are not the code's."""
    newest = max(done, default=0)
    if newest > code_version:
        raise SchemaError(
            f"{database} has schema version {newest}, newer than this callbox knows"
            f" (up to {code_version}): upgrade callbox, or open another database"
        )
    names = {step.version: step.name for step in steps}
    for version, name in sorted(done.items()):
        if names.get(version) != name:
            raise SchemaError(
                f"{database} recorded migration {version:04d} as {name!r}, but this callbox's"
                f" is {names.get(version)!r}: it was made by a different callbox"
            )

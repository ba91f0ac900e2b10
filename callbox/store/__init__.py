"""Where the platform keeps its records: the Store protocol and the backends behind it.

``open_store(location)`` picks a backend by location: ``memory`` (or ``memory:``) for the
in-memory store, ``sqlite:///abs/path.db``, ``sqlite:relative.db`` or a bare path for SQLite, and
``postgresql://...`` (or ``postgres://...``) for PostgreSQL. docs/store.md has every setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from callbox.store.base import (
    Condition,
    CursorError,
    DuplicateRecordError,
    Op,
    Page,
    Query,
    QueryError,
    RecordNotFoundError,
    Store,
    StoreError,
    StoreUrlError,
)
from callbox.store.memory import MemoryStore

__all__ = [
    "BACKENDS",
    "Condition",
    "CursorError",
    "DuplicateRecordError",
    "MemoryStore",
    "Op",
    "Page",
    "Query",
    "QueryError",
    "RecordNotFoundError",
    "Store",
    "StoreError",
    "StoreUrlError",
    "open_store",
]

SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _sqlite(location: str) -> Store:
    from callbox.store.sqlite import SqliteStore

    return SqliteStore.open(location)


def _postgres(location: str) -> Store:
    from callbox.store.postgres import PostgresStore  # imports psycopg only when asked for

    return PostgresStore.open(location)


# Scheme (the part of the location before ":") -> a function opening a store at that location.
BACKENDS: dict[str, Callable[[str], Store]] = {
    "memory": lambda location: MemoryStore(),
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "postgres": _postgres,
}


def open_store(location: str) -> Store:
    """The store at ``location``: a scheme registered in BACKENDS, or a bare path (SQLite)."""
    if location.strip() == "":
        raise StoreUrlError("the store location is empty (a path, sqlite:..., postgresql://...)")
    if location.lower() == "memory":
        return MemoryStore()
    scheme = SCHEME.match(location)
    if scheme is None:
        return _sqlite(location)
    opener = BACKENDS.get(scheme[1].lower())
    if opener is None:
        known = ", ".join(f"{name}:" for name in sorted(BACKENDS))
        raise StoreUrlError(
            f"no store backend for {location!r} (known: {known} or a file path for SQLite)"
        )
    return opener(location)

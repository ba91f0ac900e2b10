"""Where the platform keeps its records: the Store protocol and the backends behind it.

``open_store(location)`` picks a backend by location: ``memory`` for the in-memory store; the
durable backends (SQLite by default, PostgreSQL) register their schemes in ``BACKENDS``.
"""

from __future__ import annotations

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

# Scheme (the part of the location before ":") -> a function opening a store at that location.
BACKENDS: dict[str, Callable[[str], Store]] = {"memory": lambda location: MemoryStore()}


def open_store(location: str) -> Store:
    """The store at ``location`` (``memory``, or a scheme a backend registered in BACKENDS)."""
    scheme = location.split(":", 1)[0].lower()
    opener = BACKENDS.get(scheme)
    if opener is None:
        known = ", ".join(sorted(BACKENDS))
        raise StoreUrlError(f"no store backend for {location!r} (known: {known})")
    return opener(location)

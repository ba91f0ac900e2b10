"""The Store protocol every backend implements, with its queries, pages and errors.

The store is synchronous and thread-safe: a call returns when its work is done, and for a write that
means committed durably (a record a REST response reported as created survives ``kill -9`` right
after). Async code calls it directly for cheap backends or through ``anyio.to_thread`` for slow ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from callbox.records import Record

R = TypeVar("R", bound=Record)


class StoreError(Exception):
    """Base of everything a store raises."""


class DuplicateRecordError(StoreError):
    """A create whose SID (or, for an IncomingPhoneNumber, phone number) is already stored."""


class RecordNotFoundError(StoreError):
    """An update of a record the store does not hold."""


class CursorError(StoreError):
    """A page cursor this store did not hand out, or one for another kind of record."""


class QueryError(StoreError):
    """A condition on a field the kind of record does not have."""


class StoreUrlError(StoreError):
    """A ``--store`` location no backend understands."""


class Op(StrEnum):
    """How a condition compares a record's field with its value."""

    EQ = "eq"
    CONTAINS = "contains"  # substring of a string field
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"


FieldValue = str | int | bool | datetime | None


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter on a record attribute, by its Python name (``from_``, ``start_time``).

    Comparisons with a field that is ``None`` never match, except ``EQ None``. Enum fields compare
    by their wire string; datetimes are UTC-aware.
    """

    field: str
    op: Op
    value: FieldValue


@dataclass(frozen=True, slots=True)
class Query(Generic[R]):
    """Which records to list: of one kind, optionally of one account, matching every condition."""

    kind: type[R]
    account_sid: str | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One page of a listing, newest created first; ``next_cursor`` is ``None`` on the last page."""

    records: Sequence[R]
    next_cursor: str | None


class Store(Protocol):
    """Where the platform keeps its records.

    Records are keyed by SID, unique per kind. Listings are ordered newest created first (by the
    order in which ``create`` was called, not by ``date_created``, so records created within the
    same second keep their order) and paged by an opaque cursor that stays valid while records are
    added, updated or deleted: a page never repeats or skips a record that existed when the first
    page was read. ``IncomingPhoneNumber.phone_number`` is unique across the store.
    """

    def create(self, record: R) -> R:
        """Store a new record and return it; DuplicateRecordError if its SID is taken."""
        ...

    def get(self, kind: type[R], sid: str, *, account_sid: str | None = None) -> R | None:
        """The record of this kind with this SID (of this account, when one is given), or None."""
        ...

    def update(self, record: R) -> R:
        """Replace the stored record with the same kind and SID; RecordNotFoundError if none."""
        ...

    def delete(self, kind: type[Record], sid: str, *, account_sid: str | None = None) -> bool:
        """Remove a record (and a recording's audio); whether there was one to remove."""
        ...

    def list(self, query: Query[R], *, page_size: int = 50, cursor: str | None = None) -> Page[R]:
        """One page of the records ``query`` matches, after ``cursor`` (from a previous page)."""
        ...

    def put_recording_audio(self, recording_sid: str, wav: bytes) -> None:
        """Keep a recording's audio (a WAV file's bytes), replacing any kept before."""
        ...

    def recording_audio(self, recording_sid: str) -> bytes | None:
        """A recording's audio as put, or None."""
        ...

    def close(self) -> None:
        """Release the store's connections; the store is not used afterwards."""
        ...

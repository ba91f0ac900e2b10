"""A complete store that keeps everything in the process's memory: for tests and ``--store memory``.

Nothing survives the process; otherwise it behaves as the durable backends do, and it is the
reference the shared store test suite holds them to.
"""

from __future__ import annotations

import threading
from dataclasses import fields
from datetime import datetime

from callbox.records import IncomingPhoneNumber, Record
from callbox.store.base import (
    Condition,
    CursorError,
    DuplicateRecordError,
    Op,
    Page,
    Query,
    QueryError,
    R,
    RecordNotFoundError,
)


def field_names(kind: type[object]) -> frozenset[str]:
    """The attribute names a condition on this kind of record may use."""
    return frozenset(f.name for f in fields(kind)) | {"account_sid"}  # type: ignore[arg-type]


def matches(record: Record, condition: Condition) -> bool:
    """Whether the record's field satisfies the condition (the semantics every backend follows)."""
    actual = getattr(record, condition.field)
    expected = condition.value
    if condition.op is Op.EQ:
        return bool(actual == expected)
    if actual is None or expected is None:
        return False
    if condition.op is Op.CONTAINS:
        return isinstance(actual, str) and str(expected) in actual
    if isinstance(actual, datetime) != isinstance(expected, datetime):
        return False
    try:
        if condition.op is Op.LT:
            return bool(actual < expected)
        if condition.op is Op.LE:
            return bool(actual <= expected)
        if condition.op is Op.GT:
            return bool(actual > expected)
        return bool(actual >= expected)
    except TypeError:
        return False


def encode_cursor(kind: type[object], position: int) -> str:
    return f"{kind.__name__}.{position}"


def decode_cursor(kind: type[object], cursor: str) -> int:
    """The position a cursor from ``encode_cursor`` names; CursorError for anything else."""
    name, _, position = cursor.partition(".")
    if name != kind.__name__ or not position.isascii() or not position.isdigit():
        raise CursorError(f"not a page cursor for {kind.__name__}: {cursor!r}")
    return int(position)


class MemoryStore:
    """The Store protocol over dictionaries, guarded by one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[type[object], dict[str, tuple[int, Record]]] = {}
        self._audio: dict[str, bytes] = {}
        self._next_position = 1

    def _table(self, kind: type[object]) -> dict[str, tuple[int, Record]]:
        return self._records.setdefault(kind, {})

    def create(self, record: R) -> R:
        with self._lock:
            table = self._table(type(record))
            if record.sid in table:
                raise DuplicateRecordError(f"{type(record).__name__} {record.sid} exists")
            if isinstance(record, IncomingPhoneNumber) and any(
                number.phone_number == record.phone_number
                for _, number in table.values()
                if isinstance(number, IncomingPhoneNumber)
            ):
                raise DuplicateRecordError(f"phone number {record.phone_number} exists")
            table[record.sid] = (self._next_position, record)
            self._next_position += 1
            return record

    def get(self, kind: type[R], sid: str, *, account_sid: str | None = None) -> R | None:
        with self._lock:
            entry = self._table(kind).get(sid)
        if entry is None:
            return None
        record = entry[1]
        if account_sid is not None and record.account_sid != account_sid:
            return None
        assert isinstance(record, kind)
        return record

    def update(self, record: R) -> R:
        with self._lock:
            table = self._table(type(record))
            entry = table.get(record.sid)
            if entry is None:
                raise RecordNotFoundError(f"{type(record).__name__} {record.sid} is not stored")
            if isinstance(record, IncomingPhoneNumber) and any(
                number.phone_number == record.phone_number and number.sid != record.sid
                for _, number in table.values()
                if isinstance(number, IncomingPhoneNumber)
            ):
                raise DuplicateRecordError(f"phone number {record.phone_number} exists")
            table[record.sid] = (entry[0], record)
            return record

    def delete(self, kind: type[Record], sid: str, *, account_sid: str | None = None) -> bool:
        with self._lock:
            table = self._table(kind)
            entry = table.get(sid)
            if entry is None or (account_sid is not None and entry[1].account_sid != account_sid):
                return False
            del table[sid]
            self._audio.pop(sid, None)
            return True

    def list(self, query: Query[R], *, page_size: int = 50, cursor: str | None = None) -> Page[R]:
        if page_size < 1:
            raise QueryError(f"page size must be at least 1, not {page_size}")
        known = field_names(query.kind)
        for condition in query.conditions:
            if condition.field not in known:
                raise QueryError(f"{query.kind.__name__} has no field {condition.field!r}")
        after = decode_cursor(query.kind, cursor) if cursor is not None else None
        with self._lock:
            entries = sorted(self._table(query.kind).values(), key=lambda e: e[0], reverse=True)
        found: list[R] = []
        last = 0
        for position, record in entries:
            if after is not None and position >= after:
                continue
            if query.account_sid is not None and record.account_sid != query.account_sid:
                continue
            if not all(matches(record, c) for c in query.conditions):
                continue
            if len(found) == page_size:
                return Page(found, encode_cursor(query.kind, last))
            assert isinstance(record, query.kind)
            found.append(record)
            last = position
        return Page(found, None)

    def put_recording_audio(self, recording_sid: str, wav: bytes) -> None:
        with self._lock:
            self._audio[recording_sid] = bytes(wav)

    def recording_audio(self, recording_sid: str) -> bytes | None:
        with self._lock:
            return self._audio.get(recording_sid)

    def close(self) -> None:
        with self._lock:
            self._records.clear()
            self._audio.clear()

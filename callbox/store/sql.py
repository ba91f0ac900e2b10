"""The Store protocol over a SQL database, shared by the SQLite and PostgreSQL backends.

One ``records`` table holds every kind: the columns a lookup needs (kind, SID, account, the
position that orders listings, a unique key such as a number's E.164) and the whole record as
JSON. Listings push plain string equalities down to SQL (indexed for the fields Twilio's list
filters use) and then hold every row to the in-memory store's exact condition semantics."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from callbox.records import IncomingPhoneNumber, Record
from callbox.store.base import (
    Condition,
    DuplicateRecordError,
    Op,
    Page,
    Query,
    QueryError,
    R,
    RecordNotFoundError,
)
from callbox.store.codec import from_dict, to_dict
from callbox.store.connections import Connection, ReaderPool, WriterThread
from callbox.store.memory import decode_cursor, encode_cursor, field_names, matches

MAX_SCAN = 1000
"""Rows fetched per round while a listing looks for ``page_size`` matches."""


@dataclass(frozen=True, slots=True)
class SqlDialect:
    """What the SQL differs in between the backends."""

    placeholder: str
    json_parameter: str
    """How a JSON document is passed into the ``data`` column (``?``, ``CAST(%s AS JSONB)``)."""
    json_text: Callable[[str], str]
    """The SQL expression for a top-level field of ``data`` as text (must match the indexes)."""
    load_json: Callable[[Any], dict[str, Any]]
    violated_key: Callable[[BaseException], str | None]
    """For an error that broke a unique index, the column (``sid``, ``unique_key``); else None."""


def unique_key(record: Record) -> str | None:
    """The value that must be unique among records of its kind, besides the SID."""
    return record.phone_number if isinstance(record, IncomingPhoneNumber) else None


def pushed_down(condition: Condition) -> bool:
    """Whether SQL can pre-select rows for this condition (a string equality: the JSON text of
    the field equals it exactly when the record's field does); Python then checks every row."""
    return condition.op is Op.EQ and isinstance(condition.value, str)


class SqlStore:
    """The Store protocol over a writer thread and a pool of readers on one database."""

    def __init__(
        self, writer: WriterThread, readers: ReaderPool, dialect: SqlDialect, *, name: str
    ) -> None:
        self._writer = writer
        self._readers = readers
        self._dialect = dialect
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._dialect.placeholder)

    def _execute(self, connection: Connection, statement: str, parameters: Sequence[Any]) -> Any:
        cursor = connection.cursor()
        cursor.execute(self._sql(statement), tuple(parameters))
        return cursor

    def create(self, record: R) -> R:
        kind = type(record).__name__
        data = json.dumps(to_dict(record), separators=(",", ":"))
        insert = (
            "INSERT INTO records (kind, sid, account_sid, unique_key, data)"
            f" VALUES (?, ?, ?, ?, {self._dialect.json_parameter})"
        )

        def job(connection: Connection) -> None:
            try:
                self._execute(
                    connection,
                    insert,
                    (kind, record.sid, record.account_sid, unique_key(record), data),
                )
            except Exception as error:
                raise self._duplicate(error, record) from None

        self._writer.run(job)
        return record

    def _duplicate(self, error: Exception, record: Record) -> Exception:
        """The DuplicateRecordError for a write that broke a unique index; else ``error``."""
        key = self._dialect.violated_key(error)
        if key is None:
            return error
        if key == "unique_key" and isinstance(record, IncomingPhoneNumber):
            return DuplicateRecordError(f"phone number {record.phone_number} exists")
        return DuplicateRecordError(f"{type(record).__name__} {record.sid} exists")

    def get(self, kind: type[R], sid: str, *, account_sid: str | None = None) -> R | None:
        statement = "SELECT data FROM records WHERE kind = ? AND sid = ?"
        parameters: list[Any] = [kind.__name__, sid]
        if account_sid is not None:
            statement += " AND account_sid = ?"
            parameters.append(account_sid)

        def job(connection: Connection) -> list[Any]:
            rows: list[Any] = self._execute(connection, statement, parameters).fetchall()
            return rows

        rows = self._readers.run(job)
        if not rows:
            return None
        return from_dict(kind, self._dialect.load_json(rows[0][0]))

    def update(self, record: R) -> R:
        kind = type(record).__name__
        data = json.dumps(to_dict(record), separators=(",", ":"))
        statement = (
            f"UPDATE records SET account_sid = ?, unique_key = ?,"
            f" data = {self._dialect.json_parameter} WHERE kind = ? AND sid = ?"
        )

        def job(connection: Connection) -> None:
            try:
                cursor = self._execute(
                    connection,
                    statement,
                    (record.account_sid, unique_key(record), data, kind, record.sid),
                )
            except Exception as error:
                raise self._duplicate(error, record) from None
            if cursor.rowcount == 0:
                raise RecordNotFoundError(f"{kind} {record.sid} is not stored")

        self._writer.run(job)
        return record

    def delete(self, kind: type[Record], sid: str, *, account_sid: str | None = None) -> bool:
        statement = "DELETE FROM records WHERE kind = ? AND sid = ?"
        parameters: list[Any] = [kind.__name__, sid]
        if account_sid is not None:
            statement += " AND account_sid = ?"
            parameters.append(account_sid)

        def job(connection: Connection) -> bool:
            removed: bool = self._execute(connection, statement, parameters).rowcount > 0
            if removed:
                self._execute(
                    connection, "DELETE FROM recording_audio WHERE recording_sid = ?", (sid,)
                )
            return removed

        return self._writer.run(job)

    def list(self, query: Query[R], *, page_size: int = 50, cursor: str | None = None) -> Page[R]:
        if page_size < 1:
            raise QueryError(f"page size must be at least 1, not {page_size}")
        known = field_names(query.kind)
        for condition in query.conditions:
            if condition.field not in known:
                raise QueryError(f"{query.kind.__name__} has no field {condition.field!r}")
        after = decode_cursor(query.kind, cursor) if cursor is not None else None
        where = ["kind = ?"]
        parameters: list[Any] = [query.kind.__name__]
        if query.account_sid is not None:
            where.append("account_sid = ?")
            parameters.append(query.account_sid)
        for condition in query.conditions:
            if pushed_down(condition):
                where.append(f"{self._column(condition.field)} = ?")
                parameters.append(str(condition.value))
        return self._readers.run(
            lambda connection: self._page(connection, query, where, parameters, page_size, after)
        )

    def _column(self, field: str) -> str:
        if field in ("sid", "account_sid"):
            return field
        return self._dialect.json_text(field)

    def _page(
        self,
        connection: Connection,
        query: Query[R],
        where: Sequence[str],
        parameters: Sequence[Any],
        page_size: int,
        after: int | None,
    ) -> Page[R]:
        found: list[R] = []
        last = 0
        scan = min(page_size + 1, MAX_SCAN)
        while True:
            bounded = [*where, "position < ?"] if after is not None else [*where]
            statement = (
                f"SELECT position, data FROM records WHERE {' AND '.join(bounded)}"
                f" ORDER BY position DESC LIMIT {scan}"
            )
            rows = self._execute(
                connection, statement, [*parameters, *([after] if after is not None else [])]
            ).fetchall()
            for position, data in rows:
                record = from_dict(query.kind, self._dialect.load_json(data))
                if not all(matches(record, condition) for condition in query.conditions):
                    continue
                if len(found) == page_size:
                    return Page(found, encode_cursor(query.kind, last))
                found.append(record)
                last = position
            if len(rows) < scan:
                return Page(found, None)
            after = rows[-1][0]
            scan = MAX_SCAN

    def put_recording_audio(self, recording_sid: str, wav: bytes) -> None:
        audio = bytes(wav)

        def job(connection: Connection) -> None:
            self._execute(
                connection, "DELETE FROM recording_audio WHERE recording_sid = ?", (recording_sid,)
            )
            self._execute(
                connection,
                "INSERT INTO recording_audio (recording_sid, wav) VALUES (?, ?)",
                (recording_sid, audio),
            )

        self._writer.run(job)

    def recording_audio(self, recording_sid: str) -> bytes | None:
        def job(connection: Connection) -> list[Any]:
            rows: list[Any] = self._execute(
                connection,
                "SELECT wav FROM recording_audio WHERE recording_sid = ?",
                (recording_sid,),
            ).fetchall()
            return rows

        rows = self._readers.run(job)
        return bytes(rows[0][0]) if rows else None

    def close(self) -> None:
        self._writer.close()
        self._readers.close()

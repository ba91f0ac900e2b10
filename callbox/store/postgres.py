"""The PostgreSQL store (``--store postgresql://user:password@host:5432/database``), for a
platform that outlives one machine's disk or that several tools read: the same records and
listings as the SQLite store, through psycopg 3 (``pip install "callbox[postgres]"``)."""

from __future__ import annotations

import json
import re
from typing import Any

from callbox.store import migrations
from callbox.store.base import StoreError, StoreUrlError
from callbox.store.connections import ReaderPool, Transactions, WriterThread
from callbox.store.sql import SqlDialect, SqlStore

SCHEMES = ("postgresql", "postgres")
READERS = 4
UNIQUE_VIOLATION = "23505"


def redacted(url: str) -> str:
    """The URL with its password replaced, for messages and logs."""
    return re.sub(r"^([a-z]+://[^:/@]*):[^@/]*@", r"\1:***@", url)


def load_json(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):  # psycopg reads JSONB as Python objects
        return value
    loaded: dict[str, Any] = json.loads(value)
    return loaded


INDEX_KEYS = {"records_by_sid": "sid", "records_by_unique_key": "unique_key"}


def violated_key(error: BaseException) -> str | None:
    if getattr(error, "sqlstate", None) != UNIQUE_VIOLATION:
        return None
    return INDEX_KEYS.get(getattr(getattr(error, "diag", None), "constraint_name", None) or "")


def is_broken(connection: Any) -> bool:
    return bool(connection.closed or connection.broken)


DIALECT = SqlDialect(
    placeholder="%s",
    json_parameter="CAST(%s AS JSONB)",
    json_text=lambda field: f"(data ->> '{field}')",
    load_json=load_json,
    violated_key=violated_key,
)
TRANSACTIONS = Transactions(begin_write="BEGIN", begin_read="BEGIN READ ONLY", is_broken=is_broken)


class PostgresStore(SqlStore):
    """The Store protocol in a PostgreSQL database (its tables are created when missing).

    ``url`` is a libpq connection URL; every libpq setting it carries applies (``sslmode``,
    ``connect_timeout``, ``application_name``, ``options=-csearch_path%3Dcallbox`` to keep the
    tables in a schema of their own...)."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "the PostgreSQL store needs psycopg: pip install 'callbox[postgres]'"
            ) from None
        if not url.startswith(tuple(f"{scheme}://" for scheme in SCHEMES)):
            raise StoreUrlError(f"not a PostgreSQL URL: {redacted(url)!r} (postgresql://...)")
        self.url = url
        self._psycopg = psycopg
        first = self._connect()
        try:
            migrations.migrate(first, migrations.POSTGRES, database=redacted(url))
        except psycopg.Error as error:
            raise StoreError(
                f"cannot open the PostgreSQL store {redacted(url)}: {error}"
            ) from error
        finally:
            first.close()
        super().__init__(
            WriterThread(self._connect, TRANSACTIONS, name="callbox-store-writer postgres"),
            ReaderPool(self._connect, TRANSACTIONS, size=READERS),
            DIALECT,
            name=redacted(url),
        )

    @classmethod
    def open(cls, location: str) -> PostgresStore:
        return cls(location)

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True)
        except self._psycopg.Error as error:
            raise StoreError(
                f"cannot connect to the PostgreSQL store {redacted(self.url)}: {error}"
            ) from error

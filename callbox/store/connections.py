"""The connections of a durable store: one writer thread that owns the writing connection and
commits the writes that arrive together in one transaction (group commit), and a small pool of
reading connections. Callers block until their work is done; a write, until it is committed."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from callbox.store.base import StoreError

T = TypeVar("T")
Connection = Any
"""A DB-API connection (sqlite3's or psycopg's) in autocommit mode: the jobs here open and end
their own transactions."""
Job = Callable[[Connection], T]


class StoreClosedError(StoreError):
    """Work asked of a store after ``close()``."""


def as_store_error(error: Exception, doing: str) -> StoreError:
    """``error`` itself when it is a StoreError; else a StoreError saying what failed."""
    if isinstance(error, StoreError):
        return error
    wrapped = StoreError(f"the store could not {doing}: {error}")
    wrapped.__cause__ = error
    return wrapped


@dataclass(frozen=True, slots=True)
class Transactions:
    """How the backend starts transactions and tells a connection that is past saving."""

    begin_write: str = "BEGIN"
    begin_read: str = "BEGIN"
    is_broken: Callable[[Connection], bool] = lambda connection: False


@dataclass(eq=False, slots=True)
class PendingWrite(Generic[T]):
    job: Job[T]
    future: Future[T]


_STOP = object()


class WriterThread:
    """Runs write jobs one after another on one connection, in a thread of its own.

    The jobs waiting when a commit ends go into the next transaction together, each under its
    own savepoint: a job that raises (a duplicate key...) is rolled back alone and its error
    goes to its caller; the others commit. ``run`` returns after the COMMIT returned, so with
    the backend's durable settings the write survives the process being killed right after."""

    def __init__(
        self,
        connect: Callable[[], Connection],
        transactions: Transactions,
        *,
        name: str,
        max_batch: int = 256,
    ) -> None:
        self._connect = connect
        self._transactions = transactions
        self._max_batch = max_batch
        self._connection: Connection | None = connect()
        self._queue: queue.SimpleQueue[PendingWrite[Any] | object] = queue.SimpleQueue()
        self._closed = False
        self._close_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def run(self, job: Job[T]) -> T:
        """Run ``job`` in a write transaction and return its result once committed."""
        if self._closed:
            raise StoreClosedError("the store is closed")
        pending: PendingWrite[T] = PendingWrite(job, Future())
        self._queue.put(pending)
        return pending.future.result()

    def close(self) -> None:
        """Commit what is queued, then stop the thread and close the connection."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._queue.put(_STOP)
        self._thread.join()

    def _serve(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            batch: list[PendingWrite[Any]] = []
            if first is _STOP:
                stopping = True
            else:
                assert isinstance(first, PendingWrite)
                batch.append(first)
            while len(batch) < self._max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stopping = True
                    continue
                assert isinstance(more, PendingWrite)
                batch.append(more)
            if batch:
                self._commit(batch)
        while True:  # writes that raced with close()
            try:
                late = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(late, PendingWrite):
                late.future.set_exception(StoreClosedError("the store is closed"))
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()

    def _commit(self, batch: list[PendingWrite[Any]]) -> None:
        if len(batch) == 1:
            self._commit_one(batch[0])
            return
        results: list[tuple[PendingWrite[Any], Any, BaseException | None]] = []
        try:
            connection = self._begun()
            cursor = connection.cursor()
            for index, pending in enumerate(batch):
                savepoint = f"write_{index}"
                cursor.execute(f"SAVEPOINT {savepoint}")
                try:
                    result = pending.job(connection)
                except Exception as error:
                    cursor.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    results.append((pending, None, as_store_error(error, "write")))
                else:
                    results.append((pending, result, None))
                cursor.execute(f"RELEASE SAVEPOINT {savepoint}")
            cursor.execute("COMMIT")
        except Exception as error:
            self._abandon_transaction()
            failure = as_store_error(error, "commit")
            for pending in batch:
                pending.future.set_exception(failure)
            return
        for pending, result, job_error in results:
            if job_error is None:
                pending.future.set_result(result)
            else:
                pending.future.set_exception(job_error)

    def _commit_one(self, pending: PendingWrite[Any]) -> None:
        """A write alone in its transaction needs no savepoint: if it fails, all is undone."""
        try:
            connection = self._begun()
        except Exception as error:
            self._abandon_transaction()
            pending.future.set_exception(as_store_error(error, "commit"))
            return
        try:
            result = pending.job(connection)
        except Exception as error:
            self._abandon_transaction()
            pending.future.set_exception(as_store_error(error, "write"))
            return
        try:
            connection.cursor().execute("COMMIT")
        except Exception as error:
            self._abandon_transaction()
            pending.future.set_exception(as_store_error(error, "commit"))
            return
        pending.future.set_result(result)

    def _begun(self) -> Connection:
        """The connection, in a new write transaction. A connection found dead at BEGIN (the
        server restarted, an idle connection was cut) did nothing yet: it is replaced, once."""
        connection = self._usable_connection()
        try:
            connection.cursor().execute(self._transactions.begin_write)
        except Exception:
            if not self._transactions.is_broken(connection):
                raise
            self._connection = None
            connection = self._usable_connection()
            connection.cursor().execute(self._transactions.begin_write)
        return connection

    def _usable_connection(self) -> Connection:
        if self._connection is None or self._transactions.is_broken(self._connection):
            if self._connection is not None:
                with contextlib.suppress(Exception):
                    self._connection.close()
            self._connection = None
            self._connection = self._connect()
        return self._connection

    def _abandon_transaction(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.cursor().execute("ROLLBACK")
        except Exception:
            if self._transactions.is_broken(self._connection):
                with contextlib.suppress(Exception):
                    self._connection.close()
                self._connection = None


class ReaderPool:
    """Up to ``size`` reading connections, opened when first needed, each used by one thread at
    a time; a thread asking for one when all are busy waits for the next to come back."""

    def __init__(
        self, connect: Callable[[], Connection], transactions: Transactions, *, size: int = 4
    ) -> None:
        self._connect = connect
        self._transactions = transactions
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._open: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def run(self, job: Job[T]) -> T:
        """Run ``job`` in a read transaction (one consistent view of the committed data).

        A connection that turns out dead is replaced and the read tried once more; errors of
        the database become StoreError."""
        for attempt in (1, 2):
            with self._connection() as connection:
                try:
                    return self._read(connection, job)
                except StoreError:
                    raise
                except Exception as error:
                    if attempt == 1 and self._transactions.is_broken(connection):
                        continue
                    raise as_store_error(error, "read") from error
        raise AssertionError("unreachable")

    def _read(self, connection: Connection, job: Job[T]) -> T:
        cursor = connection.cursor()
        cursor.execute(self._transactions.begin_read)
        try:
            return job(connection)
        finally:
            with contextlib.suppress(Exception):
                cursor.execute("COMMIT")

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self._closed:
            raise StoreClosedError("the store is closed")
        with self._slots:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                connection = self._connect()
                with self._lock:
                    self._open.append(connection)
            try:
                yield connection
            finally:
                if self._transactions.is_broken(connection) or self._closed:
                    self._discard(connection)
                else:
                    self._idle.put(connection)

    def _discard(self, connection: Connection) -> None:
        with self._lock:
            if connection in self._open:
                self._open.remove(connection)
        with contextlib.suppress(Exception):
            connection.close()

    def close(self) -> None:
        """Close the idle connections now and the busy ones as they come back."""
        self._closed = True
        with self._lock:
            connections, self._open = self._open, []
        for connection in connections:
            with contextlib.suppress(Exception):
                connection.close()

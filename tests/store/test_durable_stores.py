"""What the durable backends add to the shared suite: records outlive the store object, the
schema is checked at open, writes from many threads share commits without mixing up their
outcomes, and a closed store says so."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from callbox.records import Call, IncomingPhoneNumber
from callbox.store import DuplicateRecordError, Query, Store, StoreError
from callbox.store.connections import StoreClosedError
from callbox.store.migrations import SchemaError
from callbox.store.postgres import PostgresStore
from callbox.store.sqlite import SqliteStore
from callbox.testing.records import RecordMaker

Opener = Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgres"])
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens the same empty database each time it is called."""
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return lambda: PostgresStore(url)


def test_records_and_audio_survive_closing_and_reopening(reopen: Opener) -> None:
    make = RecordMaker()
    store = reopen()
    calls = [store.create(make.call(at=second)) for second in range(3)]
    recording = store.create(make.recording())
    store.put_recording_audio(recording.sid, b"RIFF\x00\x01wav")
    store.close()
    again = reopen()
    try:
        listed = again.list(Query(Call, make.account_sid)).records
        assert [call.sid for call in listed] == [call.sid for call in reversed(calls)]
        assert again.recording_audio(recording.sid) == b"RIFF\x00\x01wav"
    finally:
        again.close()


def test_two_stores_on_one_database_see_each_others_writes(reopen: Opener) -> None:
    make = RecordMaker()
    first, second = reopen(), reopen()
    try:
        call = first.create(make.call())
        assert second.get(Call, call.sid) == call
        with pytest.raises(DuplicateRecordError):
            second.create(call)
    finally:
        first.close()
        second.close()


def test_concurrent_writes_all_commit_and_a_failing_one_fails_alone(reopen: Opener) -> None:
    make = RecordMaker()
    store = reopen()
    taken = store.create(make.number())
    outcomes: dict[int, str] = {}

    def writer(index: int) -> None:
        try:
            if index % 10 == 0:  # the same phone number again: refused
                store.create(make.number(phone_number=taken.phone_number))
            else:
                store.create(make.call(at=index))
            outcomes[index] = "created"
        except DuplicateRecordError:
            outcomes[index] = "duplicate"

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(i for i, outcome in outcomes.items() if outcome == "duplicate") == list(
            range(0, 60, 10)
        )
        assert len(store.list(Query(Call, make.account_sid), page_size=100).records) == 54
        assert len(store.list(Query(IncomingPhoneNumber), page_size=100).records) == 1
    finally:
        store.close()


def test_a_closed_store_refuses_work(reopen: Opener) -> None:
    make = RecordMaker()
    store = reopen()
    store.close()
    with pytest.raises(StoreClosedError, match="closed"):
        store.create(make.call())
    with pytest.raises(StoreClosedError, match="closed"):
        store.get(Call, make.call().sid)


def test_sqlite_runs_in_wal_mode_with_full_synchronous_by_default(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db")
    try:
        assert store.settings() == {"journal_mode": "wal", "synchronous": "full"}
    finally:
        store.close()
    normal = SqliteStore(tmp_path / "store.db", synchronous="normal")
    try:
        assert normal.settings()["synchronous"] == "normal"
    finally:
        normal.close()


def test_sqlite_in_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no directory .*nowhere"):
        SqliteStore(tmp_path / "nowhere" / "store.db")


def test_a_file_that_is_not_a_sqlite_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"cannot open the SQLite store .*notes.txt"):
        SqliteStore(path)
    assert path.read_text().startswith("these are my notes")


def test_sqlite_made_by_a_newer_callbox_is_refused_at_open(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "store.db").close()
    with sqlite3.connect(tmp_path / "store.db") as connection:
        connection.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    connection.close()
    with pytest.raises(SchemaError, match="schema version 99, newer than this callbox"):
        SqliteStore(tmp_path / "store.db")


def test_postgres_made_by_a_newer_callbox_is_refused_at_open(postgres_url: str) -> None:
    PostgresStore(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(SchemaError, match="schema version 99, newer than this callbox"):
        PostgresStore(postgres_url)


def test_postgres_that_cannot_be_reached_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot connect to the PostgreSQL store") as raised:
        PostgresStore("postgresql://callbox:s3cret@127.0.0.1:1/callbox?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
    assert "callbox:***@127.0.0.1:1" in str(raised.value)


def test_postgres_store_reconnects_after_its_connections_are_cut(postgres_url: str) -> None:
    make = RecordMaker()
    store = PostgresStore(postgres_url)
    try:
        first = store.create(make.call())
        assert store.get(Call, first.sid) == first
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE pid <> pg_backend_pid() AND datname = current_database()"
            )
        second = store.create(make.call())  # the cut connections are replaced
        assert store.get(Call, second.sid) == second
        assert store.get(Call, first.sid) == first
    finally:
        store.close()

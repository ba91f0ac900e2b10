"""``open_store`` picks the backend a ``--store`` location names, and explains a location it
cannot use instead of guessing."""

from __future__ import annotations

from pathlib import Path

import pytest

from callbox.store import MemoryStore, StoreUrlError, open_store
from callbox.store.postgres import PostgresStore
from callbox.store.sqlite import SqliteStore


@pytest.mark.parametrize("location", ["memory", "memory:", "MEMORY"])
def test_memory_names_the_in_memory_store(location: str) -> None:
    store = open_store(location)
    assert isinstance(store, MemoryStore)
    store.close()


def test_a_bare_path_is_a_sqlite_file(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "callbox.db"))
    assert isinstance(store, SqliteStore)
    assert store.path == tmp_path / "callbox.db"
    store.close()
    assert (tmp_path / "callbox.db").is_file()


def test_sqlite_urls_name_absolute_paths_with_three_slashes_and_relative_ones_with_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absolute = open_store(f"sqlite://{tmp_path}/absolute.db")
    assert isinstance(absolute, SqliteStore)
    assert absolute.path == tmp_path / "absolute.db"
    absolute.close()
    monkeypatch.chdir(tmp_path)
    relative = open_store("sqlite:relative.db?synchronous=normal")
    assert isinstance(relative, SqliteStore)
    assert (tmp_path / relative.path).is_file()
    assert relative.settings()["synchronous"] == "normal"
    relative.close()


def test_postgresql_urls_open_the_postgres_store(postgres_url: str) -> None:
    for location in (postgres_url, postgres_url.replace("postgresql://", "postgres://", 1)):
        store = open_store(location)
        assert isinstance(store, PostgresStore)
        store.close()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("", "empty"),
        ("mysql://localhost/callbox", r"no store backend for 'mysql://localhost/callbox'"),
        ("sqlite://server/callbox.db", "names a file, not a host"),
        ("sqlite:", "needs a file"),
        ("sqlite:callbox.db?journal=off", "unknown SQLite store setting 'journal'"),
        ("sqlite:callbox.db?synchronous=off", "synchronous must be one of full, normal"),
    ],
)
def test_a_location_no_backend_can_use_is_explained(location: str, message: str) -> None:
    with pytest.raises(StoreUrlError, match=message):
        open_store(location)

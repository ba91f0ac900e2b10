"""The shared store suite's fixtures: ``store`` runs each test on every backend, ``make`` builds records.

A backend joins the suite by adding an opener to ``BACKEND_OPENERS`` (its name, and a function of
the test's ``request`` that opens an empty store). Nothing is skipped: a backend that cannot open
(PostgreSQL that will not start...) fails its tests with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callbox.store import MemoryStore, Store
from callbox.store.postgres import PostgresStore
from callbox.store.sqlite import SqliteStore
from callbox.testing.records import RecordMaker


def tmp_path_of(request: pytest.FixtureRequest) -> Path:
    path: Path = request.getfixturevalue("tmp_path")
    return path


BACKEND_OPENERS: dict[str, Callable[[pytest.FixtureRequest], Store]] = {
    "memory": lambda request: MemoryStore(),
    "sqlite": lambda request: SqliteStore(tmp_path_of(request) / "store.db"),
    "postgres": lambda request: PostgresStore(request.getfixturevalue("postgres_url")),
}


@pytest.fixture(params=sorted(BACKEND_OPENERS))
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = BACKEND_OPENERS[request.param](request)
    yield opened
    opened.close()


@pytest.fixture
def make() -> RecordMaker:
    return RecordMaker()

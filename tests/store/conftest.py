"""The shared store suite's fixtures: ``store`` runs each test on every backend, ``make`` builds records.

A backend joins the suite by adding an opener to ``BACKEND_OPENERS`` (its name, and a function of
pytest's ``tmp_path`` that opens an empty store, calling ``pytest.skip`` when it is unavailable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from callbox.store import MemoryStore, Store
from callbox.testing.records import RecordMaker

BACKEND_OPENERS: dict[str, Callable[[Path], Store]] = {
    "memory": lambda tmp_path: MemoryStore(),
}


@pytest.fixture(params=sorted(BACKEND_OPENERS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = BACKEND_OPENERS[request.param](tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def make() -> RecordMaker:
    return RecordMaker()

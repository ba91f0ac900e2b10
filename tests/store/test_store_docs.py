"""docs/store.md keeps up with the store: it names every setting the SQLite location accepts and
every scheme open_store knows (tests/test_examples.py runs its Python example)."""

from __future__ import annotations

from pathlib import Path

from callbox.store import BACKENDS
from callbox.store.sqlite import SYNCHRONOUS

PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "store.md"


def test_every_scheme_and_sqlite_setting_is_documented() -> None:
    text = PAGE.read_text()
    assert [scheme for scheme in BACKENDS if f"`{scheme}:" not in text] == []
    assert [value for value in SYNCHRONOUS if f"`{value}`" not in text] == []

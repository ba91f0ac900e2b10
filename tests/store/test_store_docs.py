"""docs/store.md keeps up with the store: its Python example runs, and it names every setting
the SQLite location accepts and every scheme open_store knows."""

from __future__ import annotations

import re
from pathlib import Path

from callbox.store import BACKENDS
from callbox.store.sqlite import SYNCHRONOUS

PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "store.md"


def test_the_python_example_runs() -> None:
    [example] = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    exec(compile(example, str(PAGE), "exec"), {})


def test_every_scheme_and_sqlite_setting_is_documented() -> None:
    text = PAGE.read_text()
    assert [scheme for scheme in BACKENDS if f"`{scheme}:" not in text] == []
    assert [value for value in SYNCHRONOUS if f"`{value}`" not in text] == []

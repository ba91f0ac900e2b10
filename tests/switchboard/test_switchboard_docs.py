"""The Switchboard example of docs/call.md runs as written and prints what the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "call.md"


def test_the_switchboard_example_prints_what_the_page_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("To place many calls at once") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    said = re.search(r"It prints `([^`]*)`", section)
    assert code is not None and said is not None
    exec(compile(code.group(1), str(PAGE), "exec"), {"__name__": "docs_example"})
    assert capsys.readouterr().out.strip() == said.group(1)

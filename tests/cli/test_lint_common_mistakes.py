"""Every common mistake docs/lint.md lists is caught by default: ``callbox lint`` exits 1 on it,
with no configuration, reporting the code the page names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from callbox.cli.main import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "lint.md"
ROW = re.compile(
    r"^\| (?P<mistake>[^|]+) \| `(?P<example>[^`]+)`(?P<rest>[^|]*) \| (?P<code>\w+) \|$"
)


def mistakes() -> list[tuple[str, str, str]]:
    text = PAGE.read_text()
    section = text.split("## Common mistakes it catches by default", 1)[1].split("\n## ", 1)[0]
    rows = [ROW.match(line) for line in section.splitlines()]
    return [(m["mistake"].strip(), m["example"], m["code"]) for m in rows if m]


def document(mistake: str, example: str) -> tuple[str, bytes, list[str]]:
    """The file name, the bytes and the extra options that show the mistake."""
    if example.startswith("{{"):
        return "menu.xml.j2", f"<Response>\n  <Say>{example}</Say>\n</Response>\n".encode(), []
    if example == "<Message>":
        return "reply.xml", b"<Response><Message>" + b"x" * 1601 + b"</Message></Response>", []
    options = ["--no-base-url"] if "--no-base-url" in mistake else []
    return "flow.xml", f"<Response>\n  {example}\n</Response>\n".encode(), options


def test_the_page_lists_the_common_mistakes() -> None:
    assert len(mistakes()) >= 12


@pytest.mark.parametrize(("mistake", "example", "code"), mistakes())
def test_a_common_mistake_fails_the_run_by_default(
    mistake: str,
    example: str,
    code: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    name, data, options = document(mistake, example)
    (tmp_path / name).write_bytes(data)
    status = main(["lint", "--format", "json", *options, name])
    found = json.loads(capsys.readouterr().out)
    assert status == 1
    assert (code, "error") in [(d["code"], d["severity"]) for d in found]

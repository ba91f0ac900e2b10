"""Every code's fixtures: the bad one is caught with exactly that code at its line and column,
the good one never produces it.

A bad fixture declares what it must produce in ``<!-- expect: CODE LINE:COL -->`` comments after
the root element, or in a sidecar ``<name>.expected`` file (``CODE LINE:COL`` lines) when the body
is not XML; ``<!-- options: no-base-url dialect=voice -->`` sets how it is checked, and
``template`` makes it a flow template, rendered as ``callbox lint`` renders ``*.xml.j2`` files.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from callbox import codes
from callbox.cli.lint_templates import render
from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.lint import RUNTIME_ONLY

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lint"
EXPECT = re.compile(rb"<!--\s*expect:\s*(\S+)\s+(\d+):(\d+)\s*-->")
OPTIONS = re.compile(rb"<!--\s*options:([^>]*)-->")


@dataclass(frozen=True)
class Fixture:
    path: Path
    data: bytes
    expected: Counter[tuple[str, int, int]]
    dialect: Dialect
    base_url: str | None
    template: bool = False


def load(path: Path) -> Fixture:
    data = path.read_bytes()
    sidecar = path.with_suffix(".expected")
    if sidecar.exists():
        found = re.findall(rb"(\S+)\s+(\d+):(\d+)", sidecar.read_bytes())
    else:
        found = EXPECT.findall(data)
    expected = Counter((code.decode(), int(line), int(column)) for code, line, column in found)
    options = b" ".join(OPTIONS.findall(data)).decode().split()
    dialect = Dialect.AUTO
    for option in options:
        if option.startswith("dialect="):
            dialect = Dialect(option.partition("=")[2])
    base_url = None if "no-base-url" in options else path.as_uri()
    return Fixture(path, data, expected, dialect, base_url, "template" in options)


def run(fixture: Fixture) -> Counter[tuple[str, int, int]]:
    data = fixture.data
    if fixture.template:
        with tempfile.TemporaryDirectory() as directory:
            copy = Path(directory) / "flow.xml.j2"
            copy.write_bytes(data)
            rendered = render(copy, str(fixture.path))
        if rendered.failure is not None:
            failure = rendered.failure
            return Counter([(failure.code, failure.line, failure.column)])
        assert rendered.data is not None
        data = rendered.data
    result = check(data, str(fixture.path), dialect=fixture.dialect, base_url=fixture.base_url)
    return Counter((d.code, d.line, d.column) for d in result.diagnostics)


def cases(kind: str) -> list[object]:
    params: list[object] = []
    for code in sorted(codes.CODES):
        if code in RUNTIME_ONLY:
            continue
        for path in sorted((FIXTURES / code).glob(f"{kind}*.xml")):
            params.append(pytest.param(code, path, id=f"{code}/{path.name}"))
    return params


def test_fixtures_declare_an_expectation_for_their_code() -> None:
    undeclared = [
        str(path.relative_to(FIXTURES))
        for path in FIXTURES.glob("*/bad*.xml")
        if path.parent.name not in {code for code, _, _ in load(path).expected}
    ]
    assert undeclared == []


@pytest.mark.parametrize(("code", "path"), cases("bad"))
def test_bad_fixture_reports_its_code_at_the_declared_position(code: str, path: Path) -> None:
    fixture = load(path)
    found = run(fixture)
    assert +Counter({k: n for k, n in found.items() if k[0] == code}) == +Counter(
        {k: n for k, n in fixture.expected.items() if k[0] == code}
    )
    others = fixture.expected - Counter({k: n for k, n in fixture.expected.items() if k[0] == code})
    assert others - found == Counter()


@pytest.mark.parametrize(("code", "path"), cases("good"))
def test_good_fixture_never_reports_its_code(code: str, path: Path) -> None:
    found = run(load(path))
    assert [key for key in found if key[0] == code] == []


def test_good_fixtures_are_clean_of_every_code() -> None:
    dirty = {
        str(path.relative_to(FIXTURES)): sorted(found)
        for path in sorted(FIXTURES.glob("*/good*.xml"))
        if (found := run(load(path)))
    }
    assert dirty == {}

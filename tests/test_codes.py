"""The code registry: unique ids, kebab-case symbols, an explanation page for every code, and a
good and a bad fixture for every code a document can produce (runtime-only codes say why not).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from callbox import codes
from callbox.markup.lint import RULE_CODES, RULES, RUNTIME_ONLY

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HEADINGS = ("What it means", "Why it matters", "Example", "Fix")


def page(code: codes.Code) -> str:
    path = resources.files("callbox.explanations").joinpath(f"{code.id}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_ids_are_twilio_numbers_or_cf_codes() -> None:
    bad = [id for id in codes.CODES if not re.fullmatch(r"[0-9]{5}|CF[0-9]{3}", id)]
    assert bad == []


def test_symbols_are_unique_and_kebab_case() -> None:
    symbols = [code.symbol for code in codes.CODES.values()]
    assert len(symbols) == len(set(symbols))
    assert [s for s in symbols if not KEBAB.fullmatch(s)] == []


def test_every_rule_reports_a_registered_code_and_no_two_rules_share_one() -> None:
    ids = [rule.code.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(codes.CODES)


def test_runtime_only_codes_are_registered_and_no_rule_reports_them() -> None:
    assert set(RUNTIME_ONLY) <= set(codes.CODES)
    assert set(RUNTIME_ONLY) & RULE_CODES == set()
    assert all(len(reason) > 20 for reason in RUNTIME_ONLY.values())


@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_code_has_an_explanation_page_with_the_four_headings(code: str) -> None:
    text = page(codes.CODES[code])
    assert text.startswith(f"# {code} ")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == list(HEADINGS)
    assert f"[{codes.CODES[code].symbol}]" in text.splitlines()[0]


@pytest.mark.parametrize("code", sorted(set(codes.CODES) - set(RUNTIME_ONLY)))
def test_code_has_a_good_and_a_bad_fixture(code: str) -> None:
    directory = FIXTURES / code
    assert (directory / "bad.xml").is_file()
    assert (directory / "good.xml").is_file()


def test_runtime_only_codes_have_no_fixtures() -> None:
    assert [code for code in RUNTIME_ONLY if (FIXTURES / code).exists()] == []


def test_fixture_directories_are_registered_codes() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.name not in codes.CODES) == []

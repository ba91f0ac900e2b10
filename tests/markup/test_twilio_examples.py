"""TwiML as Twilio's own documentation writes it lints clean with ``callbox lint``'s defaults:
no false positive on unformatted US numbers, ``<Sip>`` addresses, Pay's error types, SSML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callbox.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "twilio-examples"
DOCUMENTS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".twiml", ".xml"))


def test_there_is_a_handful_of_examples() -> None:
    assert len(DOCUMENTS) >= 8


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_a_twilio_documentation_example_has_no_finding(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["lint", "--format", "json", str(path)])
    assert json.loads(capsys.readouterr().out) == []
    assert status == 0


def test_the_examples_directory_lints_clean_as_a_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(EXAMPLES)]) == 0
    assert capsys.readouterr().out == f"No problems in {len(DOCUMENTS)} files\n"

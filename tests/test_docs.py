"""The user docs keep up with the commands: every option of every subcommand is documented on its
page, and the README names every subcommand (tests/test_examples.py runs the pages' examples)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from callbox.cli.main import COMMANDS, build_parser

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"


def options_of(command: str) -> list[str]:
    parser = build_parser(command)
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub = subparsers.choices[command]
    return [
        max(action.option_strings, key=len)
        for action in sub._actions
        if action.option_strings and action.dest != "help"
    ]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_is_in_the_commands_page(command: str) -> None:
    page = (DOCS / f"{command}.md").read_text()
    options = options_of(command)
    assert options, command
    assert [option for option in options if f"`{option}" not in page] == []


def test_the_readme_names_every_subcommand() -> None:
    text = README.read_text()
    assert [name for name in COMMANDS if f"callbox {name}" not in text] == []

"""The user docs keep up with the commands: every option of every subcommand is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from callbox.cli.main import COMMANDS, build_parser

DOCS = Path(__file__).resolve().parent.parent / "docs"


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

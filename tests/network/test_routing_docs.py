"""docs/routing.md documents every key of the shipped carrier config, and the commands shown in
docs/routes.md run and print what the page shows."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from callbox.cli.main import main
from callbox.network.config import default_config_path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def keys(table: dict[str, Any], into: set[str]) -> set[str]:
    for key, value in table.items():
        if key.isdigit():  # deck zones and final-code weights are data, not keys
            continue
        into.add(key)
        if isinstance(value, dict):
            keys(value, into)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    keys(item, into)
    return into


def test_every_key_of_the_sample_config_is_documented() -> None:
    config = tomllib.loads(default_config_path().read_text())
    page = re.sub(r"```.*?```", "", (DOCS / "routing.md").read_text(), flags=re.S)
    spans = re.findall(r"`([^`]+)`", page) + re.findall(r"^#+ .*$", page, flags=re.M)
    documented = {word for span in spans for word in re.findall(r"[a-z_][a-z0-9_]*", span)}
    assert sorted(keys(config, set()) - documented) == []


def console_examples() -> list[tuple[str, str]]:
    page = (DOCS / "routes.md").read_text()
    examples = []
    for block in re.findall(r"```console\n(.*?)```", page, flags=re.S):
        command, _, output = block.partition("\n")
        examples.append((command.removeprefix("$ "), output))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples())
def test_routes_page_examples_print_what_the_page_shows(
    command: str, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(command)
    assert argv[0] == "callbox"
    assert main(argv[1:]) == 0
    printed = capsys.readouterr().out
    shown = [line for line in output.splitlines() if line != "..."]
    assert [line for line in shown if line not in printed.splitlines()] == []

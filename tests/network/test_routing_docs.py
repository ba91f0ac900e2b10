"""docs/routing.md documents every key of the shipped carrier config (tests/test_examples.py runs
the commands of docs/routes.md and checks what they print)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

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

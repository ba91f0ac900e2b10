"""docs/security.md keeps up with the code: each limit's default is the constant the code uses,
each option it names exists, and each code it names is registered."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from callbox import codes
from callbox.cli.main import build_parser
from callbox.cli.serve import MAX_CONNECTIONS
from callbox.interpreter.documents import COMPILE_TIMEOUT
from callbox.interpreter.fetch import FetchLimits
from callbox.interpreter.http.guard import BODY_SECONDS, MAX_REQUEST_BYTES
from callbox.interpreter.http.slow_clients import HEAD_SECONDS
from callbox.interpreter.http.templates import (
    MAX_TEMPLATE_OUTPUT,
    MAX_TEMPLATE_SECONDS,
    MAX_VALUE_SIZE,
)
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.schema import MAX_FINDINGS

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "security.md").read_text()
LIMITS = FetchLimits()


def row(label: str) -> list[str]:
    """The cells of the table row whose first cell starts with ``label``."""
    for line in PAGE.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label!r} in docs/security.md")


@pytest.mark.parametrize(
    ("label", "default"),
    [
        ("Document size", f"{MAX_DOCUMENT_BYTES:,} bytes"),
        ("Time to parse", f"{COMPILE_TIMEOUT:g} s"),
        ("Schema findings", f"{MAX_FINDINGS}"),
        ("Connect timeout", f"{LIMITS.connect_timeout:g} s, {LIMITS.retries + 1} attempts"),
        ("Read timeout", f"{LIMITS.read_timeout:g} s"),
        ("Total time per webhook", f"{LIMITS.total_timeout:g} s"),
        ("HTTP redirects", f"{LIMITS.max_redirects}"),
        ("`<Play>` file size", f"{LIMITS.media_cap // 2**20} MB"),
        ("Request body", f"{MAX_REQUEST_BYTES // 1024} KB"),
        ("Time to send a request body", f"{BODY_SECONDS:g} s"),
        ("Time to send a request's headers", f"{HEAD_SECONDS:g} s"),
        ("Connections served at once", f"{MAX_CONNECTIONS:,}"),
        ("Template output", f"{MAX_TEMPLATE_OUTPUT:,} characters"),
        ("Template render time", f"{MAX_TEMPLATE_SECONDS:g} s"),
        ("Numbers, strings and sequences", f"{MAX_VALUE_SIZE:,}"),
    ],
)
def test_each_limit_shows_the_default_the_code_uses(label: str, default: str) -> None:
    assert default in row(label)[1]


def options_of(command: str) -> set[str]:
    parser = build_parser(command)
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {
        option
        for action in subparsers.choices[command]._actions
        for option in action.option_strings
    }


def test_every_option_named_is_an_option_of_its_command() -> None:
    named = set(re.findall(r"(--[a-z][a-z-]+)", PAGE))
    assert {"--max-request-bytes", "--allow-loopback", "--check-signature"} <= named
    assert named - options_of("call") - options_of("serve") - options_of("lint") == set()


def test_every_code_named_is_registered() -> None:
    named = set(re.findall(r"\b(1\d{4}|CF\d{3})\b", PAGE))
    assert named >= {"11750", "12100", "11230", "CF601", "CF602", "CF603", "CF604"}
    assert named <= set(codes.CODES)

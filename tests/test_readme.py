"""The README's examples run: its pytest example against a real app, its lint commands on the samples."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.twiml.voice_response import Gather, VoiceResponse

from callbox.cli.main import main

README = Path(__file__).resolve().parent.parent / "README.md"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def sales_app() -> Starlette:
    async def voice(_request: Request) -> Response:
        response = VoiceResponse()
        gather = Gather(action="/choice", num_digits=1)
        gather.say("Welcome. Press 1 for sales, 2 for support.")
        response.append(gather)
        return Response(str(response), media_type="text/xml")

    async def choice(request: Request) -> Response:
        digits = (await request.form()).get("Digits")
        response = VoiceResponse()
        response.say("Connecting you to sales" if digits == "1" else "Goodbye")
        return Response(str(response), media_type="text/xml")

    return Starlette(
        routes=[
            Route("/voice", voice, methods=["POST"]),
            Route("/choice", choice, methods=["POST"]),
        ]
    )


def test_readme_pytest_example_passes_against_a_sales_menu(
    callbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    [example] = code_blocks("python")
    fake = ModuleType("myapp")
    fake.app = sales_app()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myapp", fake)
    namespace: dict[str, Any] = {}
    exec(compile(example, "README.md", "exec"), namespace)
    namespace["test_sales_menu"](callbox)


def test_readme_pytest_example_fails_when_the_app_says_something_else(
    callbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    [example] = code_blocks("python")
    fake = ModuleType("myapp")
    fake.app = sales_app()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "myapp", fake)
    namespace: dict[str, Any] = {}
    exec(compile(example.replace('press("1")', 'press("2")'), "README.md", "exec"), namespace)
    with pytest.raises(AssertionError):
        namespace["test_sales_menu"](callbox)


def test_readme_lint_commands_run_on_the_samples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(README.parent)
    assert main(["lint", "samples/"]) == 0
    assert main(["lint", "--explain", "12200"]) == 0
    assert "schema" in capsys.readouterr().out.lower()


def test_readme_names_every_subcommand() -> None:
    from callbox.cli.main import COMMANDS

    text = README.read_text()
    assert [name for name in COMMANDS if f"callbox {name}" not in text] == []

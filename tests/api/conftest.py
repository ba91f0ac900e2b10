"""Fixtures of the REST API tests: a platform over a memory store on the virtual clock, served
in-process, with the official twilio client and a raw HTTP client whose every response is held
to the strict twin of Twilio's OpenAPI spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.api import api_routes
from callbox.interpreter.transports import in_process
from callbox.store import MemoryStore
from callbox.testing.contract import StrictTwin, implemented
from callbox.testing.twilio_http import contract_hook, twilio_client
from callbox.testing.waivers import WAIVERS
from callbox.web.app import Platform

SAMPLES = Path(__file__).parents[2] / "samples"
BASE_URL = "http://testserver"


twin_seen: set[tuple[str, str]] = set()
"""The spec operations whose responses the suite validated, for the summary."""


@pytest.fixture(scope="session")
def twin() -> Iterator[StrictTwin]:
    loaded = StrictTwin.load()
    yield loaded
    twin_seen.update(loaded.seen)


fuzzed: dict[str, set[str]] = {"operations": set(), "waivers": set()}
"""The operations schemathesis exercised and the waivers it used, for the summary."""


@pytest.fixture(scope="session")
def fuzz_seen() -> dict[str, set[str]]:
    return fuzzed


@pytest.fixture
def platform() -> Platform:
    return Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=False)


@pytest.fixture
def http(platform: Platform, twin: StrictTwin) -> Iterator[TestClient]:
    yield from serve(platform, twin)


def serve(platform: Platform, twin: StrictTwin) -> Iterator[TestClient]:
    """The platform's app served in-process (its calls fetch from it too), with a client
    authenticated as its account whose every response is held to the strict twin."""
    app = platform.app()
    served = in_process(app, BASE_URL)  # calls fetch the hosted flows from this same app
    platform.client, platform.policy = served.client, served.policy
    account = platform.provisioned.account
    with TestClient(app, base_url=BASE_URL) as client:
        client.auth = (account.sid, account.auth_token)
        client.event_hooks["response"] = [contract_hook(twin)]
        yield client


@pytest.fixture
def client(http: TestClient, platform: Platform) -> Any:
    account = platform.provisioned.account
    return twilio_client(http, account.sid, account.auth_token, BASE_URL)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How much of Twilio's spec the API serves: operations implemented out of the spec's."""
    twin = StrictTwin.load()
    platform = Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=False)
    served, _ = implemented(twin, api_routes(platform.context))
    total = len(twin.operations)
    terminalreporter.write_line(
        f"Twilio 2010-04-01 operations implemented: {len(served)} of {total} "
        f"({100 * len(served) / total:.0f}%); validated against the strict twin: {len(twin_seen)}"
    )
    if fuzzed["operations"]:
        unused = sorted(w.name for w in WAIVERS if w.name not in fuzzed["waivers"])
        terminalreporter.write_line(
            f"schemathesis exercised {len(fuzzed['operations'])} of the spec's {total} operations "
            f"({len(served)} served); waivers used: {len(fuzzed['waivers'])} of {len(WAIVERS)}"
            + (f" (unused: {', '.join(unused)})" if unused else "")
        )

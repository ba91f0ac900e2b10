"""schemathesis fuzzes the REST API from Twilio's own OpenAPI spec, cut to the operations callbox
serves: no answer is a server error, every status is one the spec lists, every body holds to the
strict twin, data the spec allows is accepted and data it forbids refused. An answer a check
refuses passes only under a waiver of ``callbox.testing.waivers`` (tied to its Twilio code).

The budget is small and fixed (seed, derandomized, a few examples per operation) so every run
sends the same requests; the summary line says how many of the spec's operations were exercised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import strategies
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks
from starlette.testclient import TestClient

from callbox.api import api_routes
from callbox.interpreter.transports import in_process
from callbox.store import MemoryStore
from callbox.testing.contract import StrictTwin, served_spec
from callbox.testing.records import RecordMaker
from callbox.testing.waivers import Waiver, waiver_for
from callbox.web.app import Platform

try:  # Hypothesis internals (6.170 here): without them there are no local literals to turn off
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants
except ImportError:  # pragma: no cover - another Hypothesis
    providers = None  # type: ignore[assignment]

SAMPLES = Path(__file__).parents[2] / "samples"
BASE_URL = "http://testserver"
MAX_EXAMPLES = 12
SEED = 20100401

# Twilio's `phone-number` format is E.164; without a strategy the generator sends any string.
schemathesis.openapi.format("phone-number", strategies.from_regex(r"\A\+1555\d{7}\Z"))

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "base-url": BASE_URL,
        "generation": {
            "deterministic": True,
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "no-shrink": True,  # a failure is reported as found: shrinking would take minutes
            # Twilio ignores parameters it does not know, so extra ones are not invalid data
            "allow-extra-parameters": False,
            # the test sends the real account's credentials itself (Basic auth)
            "with-security-parameters": False,
        },
        # Same requests every run: nothing learnt from responses (their SIDs and dates vary).
        "phases": {
            "examples": {"extra-data-sources": {"responses": False}},
            "fuzzing": {
                "extra-data-sources": {"responses": False},
                "error-feedback": {"enabled": False},
            },
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)


def _schema() -> schemathesis.BaseSchema:
    platform = Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=False)
    spec = served_spec(StrictTwin.load(), api_routes(platform.context))
    return schemathesis.openapi.from_dict(spec, config=CONFIG)


schema = _schema()

CHECKS: tuple[Callable[..., Any], ...] = (
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.positive_data_acceptance,
    openapi_checks.negative_data_rejection,
)
"""schemathesis's checks; the response schema is the strict twin's (``twin_conformance``): the
loose spec's ``format: uri`` would refuse Twilio's relative ``uri`` fields."""


@pytest.fixture(autouse=True)
def same_draws_whatever_ran_before(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hypothesis mixes into its draws literals of the local modules imported so far, which
    depend on the tests that ran before: none here, so every run sends the same requests."""
    if providers is None or not hasattr(providers, "_get_local_constants"):
        yield
        return
    monkeypatch.setattr(providers, "_get_local_constants", Constants)
    providers.CONSTANTS_CACHE.cache.clear()
    yield
    providers.CONSTANTS_CACHE.cache.clear()


@pytest.fixture
def platform() -> Platform:
    return Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=False)


@pytest.fixture
def api(platform: Platform) -> Iterator[TestClient]:
    """The platform served in-process, authenticated as its account, server errors as 500s."""
    app = platform.app()
    served = in_process(app, BASE_URL)
    platform.client, platform.policy = served.client, served.policy
    account = platform.provisioned.account
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        client.auth = (account.sid, account.auth_token)
        yield client


@pytest.fixture
def seeded(platform: Platform, api: TestClient) -> dict[str, str]:
    """One record of each kind, by the path segment (or parameter) that names it: the SIDs the
    generated paths get, so operations reach real records rather than only 404s."""
    make = RecordMaker()
    make.account_sid = platform.provisioned.account.sid
    store = platform.store
    call = store.create(make.call())
    recording = store.create(make.recording(call.sid))
    notification = store.create(make.notification())
    queue = api.post(
        f"/2010-04-01/Accounts/{make.account_sid}/Queues.json", data={"FriendlyName": "support"}
    )
    return {
        "Accounts": make.account_sid,
        "Calls": call.sid,
        "Messages": store.create(make.message()).sid,
        "Applications": store.create(make.application()).sid,
        "Recordings": recording.sid,
        "Notifications": notification.sid,
        "IncomingPhoneNumbers": platform.provisioned.numbers[-1].sid,
        "Queues": queue.json()["sid"],
    }


def point_at_seeded(case: Any, seeded: dict[str, str]) -> None:
    """The case's path parameters set to the seeded records (and the real account)."""
    segments = case.path.split("/")
    for name in case.path_parameters or {}:
        if name == "Sid":
            collection = segments[segments.index("{Sid}.json") - 1]
        else:
            collection = {"AccountSid": "Accounts", "CallSid": "Calls", "QueueSid": "Queues"}.get(
                name, ""
            )
        if collection in seeded:
            case.path_parameters[name] = seeded[collection]
    case.meta  # noqa: B018  (reading it makes schemathesis re-check what is still invalid)


def wire_form(data: Any) -> bytes:
    """A form body as ``requests`` (schemathesis's own transport) would encode it."""
    pairs: list[tuple[str, Any]] = []
    for key, values in (data or {}).items():
        for value in values if isinstance(values, list) else [values]:
            if value is not None:
                pairs.append((key, value))
    return urlencode(pairs).encode()


def send(api: TestClient, case: Any) -> Any:
    """The case's request as schemathesis builds it, sent with the account's credentials."""
    sent = case.as_transport_kwargs(base_url=BASE_URL)
    headers = {k: v for k, v in sent["headers"].items() if k.lower() != "authorization"}
    content = wire_form(sent["data"]) if "data" in sent else None
    return api.request(
        sent["method"],
        sent["url"],
        params=sent.get("params") or None,
        headers=headers,
        content=content,
    )


def body_of(response: Any) -> Any:
    """A schemathesis response's JSON body (None when empty, the bytes when not JSON)."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return response.content


def waivable(check: Callable[..., Any], used: set[str]) -> Callable[..., Any]:
    """``check``, except that a failure a waiver covers passes (and is counted in ``used``)."""

    def run(ctx: Any, response: Any, case: Any) -> Any:
        try:
            return check(ctx, response, case)
        except AssertionError:
            waiver: Waiver | None = waiver_for(
                check.__name__, case.operation.label, response.status_code, body_of(response)
            )
            if waiver is None:
                raise
            used.add(waiver.name)
            return None

    run.__name__ = check.__name__
    return run


def twin_conformance(twin: StrictTwin) -> Callable[..., None]:
    """A check that the JSON body (or the empty 204) holds to the strict twin of the spec."""

    def twin_conformance(ctx: Any, response: Any, case: Any) -> None:
        path = response.request.path_url.partition("?")[0]
        kind = response.headers.get("content-type", [""])[0]
        if response.status_code == 204 or kind.startswith("application/json"):
            body = None if response.status_code == 204 else json.loads(response.content)
            twin.validate(case.method, path, response.status_code, body)

    return twin_conformance


@schema.parametrize()
def test_the_api_answers_twilios_spec_under_schemathesis(
    case: Any,
    api: TestClient,
    seeded: dict[str, str],
    twin: StrictTwin,
    fuzz_seen: dict[str, set[str]],
) -> None:
    point_at_seeded(case, seeded)
    response = send(api, case)
    fuzz_seen["operations"].add(case.operation.label)
    checks = [waivable(check, fuzz_seen["waivers"]) for check in CHECKS]
    case.validate_response(response, checks=[*checks, twin_conformance(twin)])

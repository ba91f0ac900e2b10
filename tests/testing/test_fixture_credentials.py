"""The ``callbox`` fixture signs with the app's auth token from the environment, and a test that
fails on a 403 says how to pass it."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from callbox.testing import CallSimulator

APP_TOKEN = "the-apps-own-auth-token"


def guarded_app() -> Starlette:
    """An app that checks ``X-Twilio-Signature`` with its token, as Twilio's docs teach."""

    async def voice(request: Request) -> Response:
        form = await request.form()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(APP_TOKEN).validate(str(request.url), form, signature):
            return Response("forbidden", status_code=403)
        body = '<Response><Gather numDigits="1"><Say>Welcome</Say></Gather></Response>'
        return Response(body, media_type="text/xml")

    return Starlette(routes=[Route("/voice", voice, methods=["POST"])])


@pytest.fixture
def twilio_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLBOX_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", APP_TOKEN)


@pytest.fixture
def both_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "a-stale-token")
    monkeypatch.setenv("CALLBOX_AUTH_TOKEN", APP_TOKEN)


@pytest.fixture
def no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("CALLBOX_AUTH_TOKEN", raising=False)


def test_the_fixture_signs_with_twilio_auth_token(
    twilio_token: None, callbox: CallSimulator
) -> None:
    callbox.call(guarded_app(), "/voice").expect_prompt("Welcome")


def test_callbox_auth_token_comes_before_twilio_auth_token(
    both_tokens: None, callbox: CallSimulator
) -> None:
    assert callbox.auth_token == APP_TOKEN
    callbox.call(guarded_app(), "/voice").expect_prompt("Welcome")


def test_a_403_failure_says_how_to_pass_the_apps_token(
    no_tokens: None, callbox: CallSimulator
) -> None:
    call = callbox.call(guarded_app(), "/voice")
    with pytest.raises(AssertionError) as failed:
        call.expect_prompt("Welcome")
    message = str(failed.value)
    assert "403 Forbidden" in message
    assert "CALLBOX_AUTH_TOKEN" in message and "CallSimulator(auth_token=...)" in message

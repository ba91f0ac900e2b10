"""In-process apps: ASGI and WSGI apps driven through the fetcher with no server."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import flask
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from callbox.interpreter.fetch import HttpFetcher
from callbox.interpreter.transports import (
    AppKindError,
    AsyncWSGITransport,
    app_kind,
    in_process,
    transport_for,
)
from callbox.interpreter.webhook import WebhookRequest

pytestmark = pytest.mark.anyio

TOKEN = "in-process-token"
PARAMS: dict[str, str | list[str]] = {
    "CallSid": "CA" + "1" * 32,
    "Digits": "42",
    "StatusCallbackEvent": ["a", "b"],
}


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def flask_app(threads: list[str]) -> flask.Flask:
    app = flask.Flask("voice")

    @app.route("/voice", methods=["GET", "POST"])
    def voice() -> flask.Response:
        threads.append(threading.current_thread().name)
        signature = flask.request.headers.get("X-Twilio-Signature", "")
        valid = RequestValidator(TOKEN).validate(flask.request.url, flask.request.form, signature)
        digits = flask.request.values.get("Digits", "")
        body = f"<Response><Say>{'valid' if valid else 'INVALID'} {digits}</Say></Response>"
        response = flask.Response(body, mimetype="text/xml")
        response.set_cookie("visit", "1")
        return response

    return app


def starlette_app() -> Starlette:
    async def voice(request: Request) -> Response:
        form = await request.form()
        signature = request.headers.get("x-twilio-signature", "")
        valid = RequestValidator(TOKEN).validate(str(request.url), form, signature)
        digits = form.get("Digits", request.query_params.get("Digits", ""))
        cookie = request.cookies.get("visit", "none")
        return Response(
            f"<Response><Say>{'valid' if valid else 'INVALID'} {digits} {cookie}</Say></Response>",
            media_type="text/xml",
            headers={"set-cookie": "visit=1; Path=/"},
        )

    return Starlette(routes=[Route("/voice", voice, methods=["GET", "POST"])])


def test_apps_are_told_apart_as_asgi_or_wsgi() -> None:
    async def asgi_function(scope: Any, receive: Any, send: Any) -> None: ...

    def wsgi_function(environ: Any, start_response: Any) -> list[bytes]:
        return []

    assert app_kind(starlette_app()) == "asgi"
    assert app_kind(asgi_function) == "asgi"
    assert app_kind(flask_app([])) == "wsgi"
    assert app_kind(wsgi_function) == "wsgi"
    assert isinstance(transport_for(flask_app([])), AsyncWSGITransport)
    with pytest.raises(AppKindError):
        app_kind("not an app")
    with pytest.raises(AppKindError):
        app_kind(lambda only_one: None)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_flask_app_runs_in_a_worker_thread_and_accepts_the_signature(method: str) -> None:
    threads: list[str] = []
    served = in_process(flask_app(threads))
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        result = await fetcher.fetch_document(WebhookRequest(served.url("/voice"), method, PARAMS))
    assert result.ok, result.message
    assert result.body == b"<Response><Say>valid 42</Say></Response>"
    assert threads and threads[0] != threading.current_thread().name


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_starlette_app_is_reached_at_testserver_and_keeps_cookies(method: str) -> None:
    served = in_process(starlette_app())
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        first = await fetcher.fetch_document(WebhookRequest(served.url("/voice"), method, PARAMS))
        second = await fetcher.fetch_document(WebhookRequest(served.url("/voice"), method, PARAMS))
    assert first.body == b"<Response><Say>valid 42 none</Say></Response>"
    assert second.body == b"<Response><Say>valid 42 1</Say></Response>"


async def test_a_custom_base_url_serves_the_app_and_the_policy_trusts_its_host() -> None:
    served = in_process(starlette_app(), "https://voice.internal:8443")
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        result = await fetcher.fetch_document(WebhookRequest(served.url("/voice"), "POST", PARAMS))
    assert served.url("/voice") == "https://voice.internal:8443/voice"
    assert result.ok, result.message
    assert b"valid 42" in result.body


async def test_a_blocking_wsgi_app_does_not_block_the_event_loop() -> None:
    gate = threading.Event()
    opened: list[bool] = []

    def slow(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        opened.append(gate.wait(2))  # only the event loop, still running, can open the gate
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response/>"]

    served = in_process(slow)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        for _ in range(5):
            await anyio.sleep(0.01)
            ticks += 1
        gate.set()

    async with served.client, anyio.create_task_group() as group:
        group.start_soon(tick)
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        result = await fetcher.fetch_document(WebhookRequest(served.url("/"), "POST", PARAMS))
    assert result.ok
    assert opened == [True]
    assert ticks == 5


def test_a_base_url_must_be_absolute_http() -> None:
    with pytest.raises(ValueError, match="absolute"):
        in_process(starlette_app(), "testserver")

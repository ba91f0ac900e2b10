"""Test hooks a running server offers beside Twilio's API (no Twilio client calls them): place an
inbound call to one of the platform's numbers, as a phone would, and get its result.

``POST /callbox/inbound-calls`` with ``To`` (a platform number), ``From``, and what the caller
does: a ``Script`` (``callbox call --script`` syntax, its ``dial`` lines included), then ``Press``
(repeatable, answering the prompts in order), then ``Say`` (repeatable), ``HangupAfter``
(seconds). It answers when the call has ended, with the call's record and its result (timeline,
requests, callbacks); asked with ``Accept: application/x-ndjson`` it streams one JSON line as
the call starts (``{"call": ...}``), one per timeline event as it happens (``{"event": ...}``)
and the record and result at the end, and a client that goes away hangs the call up (the call
is still recorded). Like the recording routes it needs no credentials (the server listens on
loopback by default); credentials given must be an account's, owning the number.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from callbox.api.auth import authenticate, credentials
from callbox.api.errors import TO_CANNOT_BE_REACHED, ApiError, invalid
from callbox.api.forms import Params
from callbox.api.resources.calls import call_json
from callbox.interpreter.caller import CallerAction, Press, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.script import Script, ScriptError, parse_script
from callbox.interpreter.session import CallSession
from callbox.network.errors import ExchangeError
from callbox.network.exchange import Exchange
from callbox.records import Account, Call

INBOUND_PATH = "/callbox/inbound-calls"
MAX_SCRIPT = 64 * 1024
STREAM_TYPE = "application/x-ndjson"
"""Asked for in ``Accept``: the call streams as JSON lines while it runs."""


def caller_from(params: Params) -> tuple[ScriptedCaller, dict[str, ScriptedFarEnd]]:
    """The simulated caller a hook request describes, and the far ends its script sets."""
    hangup_after = params.get("HangupAfter")
    seconds: float | None = None
    if hangup_after:
        try:
            seconds = float(hangup_after)
        except ValueError:
            raise invalid("HangupAfter", f"{hangup_after!r} is not a number of seconds") from None
        if not 0 <= seconds <= 4 * 3600:
            raise invalid("HangupAfter", "between 0 and 14400 seconds")
    text = params.text("Script", max_length=MAX_SCRIPT)
    try:
        script = parse_script(text) if text else Script()
    except ScriptError as error:
        raise invalid("Script", str(error)) from None
    steps: list[CallerAction] = [Press(d) for d in params.all("Press") if d]
    steps += [Speak(text) for text in params.all("Say") if text]
    times = [t for t in (script.hangup_at, seconds) if t is not None]
    caller = ScriptedCaller(
        [*script.steps, *steps],
        when=script.when,
        timed=script.timed,
        hangup_after=min(times) if times else None,
    )
    return caller, script.far_ends


def _line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, default=str) + "\n").encode()


async def _stream(exchange: Exchange, call: Call, session: CallSession) -> AsyncIterator[bytes]:
    """The call as JSON lines while it runs in the exchange (not in this response: a client
    that goes away hangs it up, and its record is still written)."""
    send, receive = anyio.create_memory_object_stream[dict[str, Any]](math.inf)

    def forward(item: dict[str, Any]) -> None:
        with suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            send.send_nowait(item)  # a client gone away: the call goes on to its hang-up

    session.timeline.subscribe(lambda event: forward({"event": event.as_dict()}))

    async def run() -> None:
        with send:
            record, result = await exchange.run_inbound(call, session)
            forward({"call": call_json(record), "result": result.as_dict()})

    exchange.spawn(run)
    try:
        yield _line({"call": call_json(call)})
        with receive:
            async for item in receive:
                yield _line(item)
    finally:
        session.hangup()  # no-op once the call has ended


def _check_owner(request: Request, exchange: Exchange, to: str) -> None:
    """With credentials, the number must be their account's (or a subaccount's)."""
    if credentials(request) is None:
        return
    account = authenticate(request, exchange.store)
    number = exchange.number(to)
    if number is None:
        return  # the call reports it
    owner = exchange.store.get(Account, number.account_sid)
    if number.account_sid != account.sid and (
        owner is None or owner.owner_account_sid != account.sid
    ):
        raise ApiError(TO_CANNOT_BE_REACHED, f"{to} is not a number of account {account.sid}", 404)


def inbound_route(running: Callable[[], Exchange | None]) -> Route:
    """The inbound-call hook, placing calls through the exchange ``running()`` gives."""

    async def inbound(request: Request) -> Response:
        try:
            exchange = running()
            if exchange is None:
                raise ApiError(TO_CANNOT_BE_REACHED, "The platform is not running calls", 503)
            params = await Params.of(request)
            to = params.required("To", 21201, "A 'To' number (one of the platform's) is required.")
            from_ = (params.get("From") or "+15005550006").strip()
            caller, far_ends = caller_from(params)
            _check_owner(request, exchange, to)
            try:
                call, session = exchange.open_inbound(to, from_, caller, far_ends=far_ends)
            except ExchangeError as error:
                raise ApiError(TO_CANNOT_BE_REACHED, str(error), 404) from None
            if STREAM_TYPE in request.headers.get("accept", ""):
                return StreamingResponse(_stream(exchange, call, session), media_type=STREAM_TYPE)
            record, result = await exchange.run_inbound(call, session)
        except ApiError as error:
            return error.response()
        return JSONResponse({"call": call_json(record), "result": result.as_dict()})

    return Route(INBOUND_PATH, inbound, methods=["POST"])

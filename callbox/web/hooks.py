"""Test hooks a running server offers beside Twilio's API (no Twilio client calls them): place an
inbound call to one of the platform's numbers, as a phone would, and get its result.

``POST /callbox/inbound-calls`` with ``To`` (a platform number), ``From``, and what the caller
does: ``Press`` (repeatable, answering the prompts in order), then ``Say`` (repeatable), or a ``Script`` (``callbox call --script``
syntax), ``HangupAfter`` (seconds). It answers when the call has ended, with the call's record
and its result (timeline, requests, callbacks). Like the recording routes, it needs no credentials:
the server listens on loopback by default.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from callbox.api.errors import ApiError, invalid
from callbox.api.forms import Params
from callbox.api.resources.calls import call_json
from callbox.interpreter.caller import CallerAction, Press, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.script import ScriptError, parse_script
from callbox.network.exchange import Exchange, ExchangeError

INBOUND_PATH = "/callbox/inbound-calls"
MAX_SCRIPT = 64 * 1024


def caller_from(params: Params) -> ScriptedCaller:
    """The simulated caller a hook request describes."""
    hangup_after = params.get("HangupAfter")
    seconds: float | None = None
    if hangup_after:
        try:
            seconds = float(hangup_after)
        except ValueError:
            raise invalid("HangupAfter", f"{hangup_after!r} is not a number of seconds") from None
        if not 0 <= seconds <= 4 * 3600:
            raise invalid("HangupAfter", "between 0 and 14400 seconds")
    script = params.text("Script", max_length=MAX_SCRIPT)
    if script:
        try:
            return ScriptedCaller.from_script(parse_script(script), hangup_after=seconds)
        except ScriptError as error:
            raise invalid("Script", str(error)) from None
    steps: list[CallerAction] = [Press(d) for d in params.all("Press") if d]
    steps += [Speak(text) for text in params.all("Say") if text]
    return ScriptedCaller(steps, hangup_after=seconds)


def inbound_route(running: Callable[[], Exchange | None]) -> Route:
    """The inbound-call hook, placing calls through the exchange ``running()`` gives."""

    async def inbound(request: Request) -> Response:
        try:
            exchange = running()
            if exchange is None:
                raise ApiError(21214, "The platform is not running calls", 503)
            params = await Params.of(request)
            to = params.required("To", 21201, "A 'To' number (one of the platform's) is required.")
            from_ = (params.get("From") or "+15005550006").strip()
            caller = caller_from(params)
            try:
                call, result = await exchange.inbound(to, from_, caller)
            except ExchangeError as error:
                raise ApiError(21214, str(error), 404) from None
        except ApiError as error:
            return error.response()
        return JSONResponse({"call": call_json(call), "result": result.as_dict()})

    return Route(INBOUND_PATH, inbound, methods=["POST"])

"""A developer's voice app for the end-to-end tests, served by uvicorn in its own process.

Written the way a Twilio customer writes one: Starlette plus the ``twilio`` package's
``VoiceResponse``, and every request checked with ``RequestValidator``. A request that fails the
check is answered 403 and remembered; the tests read ``/_checks`` at the end and fail loudly.
Also hosts hostile endpoints (loops, a 10 MB body, a slow response, entities, non-XML).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

AUTH_TOKEN = os.environ.get("E2E_AUTH_TOKEN", "e2e-secret")
VALIDATOR = RequestValidator(AUTH_TOKEN)

checked: list[dict[str, Any]] = []
"""Every request the app received: path, method, whether its signature was valid, its params."""

Handler = Callable[[Request, dict[str, str]], Awaitable[Response]]


def twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="text/xml")


def validated(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Check the signature of every request, as the twilio docs tell app developers to."""

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        signature = request.headers.get("X-Twilio-Signature", "")
        valid = VALIDATOR.validate(str(request.url), form or {}, signature)
        params = dict(form) if form else dict(request.query_params)
        checked.append(
            {
                "path": request.url.path,
                "method": request.method,
                "valid": valid,
                "params": {k: str(v) for k, v in params.items()},
            }
        )
        if not valid:
            return Response(f"INVALID SIGNATURE for {request.url}", status_code=403)
        return await handler(request, {k: str(v) for k, v in params.items()})

    return endpoint


# --- IVR: nested menus, wrong input, timeouts, actionOnEmptyResult ---------------------------------
async def ivr_welcome(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    gather = Gather(action="/ivr/menu", num_digits=1, timeout=5)
    gather.say("Welcome to Acme. Press 1 for sales, 2 for support.")
    response.append(gather)
    response.say("We did not receive any input. Goodbye.")
    return twiml(response)


async def ivr_menu(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    digits = params.get("Digits", "")
    if digits == "1":
        gather = Gather(action="/ivr/sales", num_digits=1, timeout=3, action_on_empty_result=True)
        gather.say("Sales. Press 1 for new orders, 2 for existing orders.")
        response.append(gather)
    elif digits == "2":
        response.say("Support is closed. Goodbye.")
        response.hangup()
    else:
        response.say("Sorry, that is not a valid choice.")
        response.redirect("/ivr/welcome")
    return twiml(response)


async def ivr_sales(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    digits = params.get("Digits", "")
    if digits == "1":
        response.say("New orders: a representative will call you back.")
    elif digits == "2":
        response.say("Existing orders: please check your email.")
    else:
        response.say("You did not choose a sales option. Goodbye.")
    response.hangup()
    return twiml(response)


# --- Voicemail with Record -------------------------------------------------------------------------
async def voicemail(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    response.say("Please leave a message after the beep.")
    response.record(action="/voicemail/done", max_length=30, timeout=5, play_beep=True)
    response.say("We did not get a message.")
    return twiml(response)


async def voicemail_done(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    duration = params.get("RecordingDuration", "?")
    url_given = "with a recording" if params.get("RecordingUrl") else "without a recording"
    response.say(f"Thank you. Your message of {duration} seconds was saved {url_given}.")
    return twiml(response)


# --- Forwarding with Dial outcomes ----------------------------------------------------------------
async def forward(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    response.say("Connecting you now.")
    dial = Dial(action="/forward/done", timeout=20)
    dial.number("+15557654321")
    response.append(dial)
    return twiml(response)


async def forward_done(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    response.say(f"The call ended with status {params.get('DialCallStatus', 'unknown')}.")
    response.hangup()
    return twiml(response)


# --- Fallback URLs --------------------------------------------------------------------------------
async def broken(request: Request, params: dict[str, str]) -> Response:
    return Response("Internal Server Error", status_code=500)


async def fallback(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    error = params.get("ErrorCode", "none")
    response.say(f"Fallback reached after error {error}.")
    return twiml(response)


# --- A patient menu: a 30-second Gather, three times ---------------------------------------------
async def patient(request: Request, params: dict[str, str]) -> Response:
    attempt = int(request.query_params.get("attempt", "1"))
    response = VoiceResponse()
    if attempt > 3:
        response.say("Still nothing after three tries. Goodbye.")
        return twiml(response)
    gather = Gather(action="/patient/choice", num_digits=1, timeout=30)
    gather.say(f"Attempt {attempt}. Press any key.")
    response.append(gather)
    response.redirect(f"/patient?attempt={attempt + 1}")
    return twiml(response)


async def status_callback(request: Request, params: dict[str, str]) -> Response:
    return Response(status_code=204)


# --- Hostile apps ----------------------------------------------------------------------------------
async def redirect_loop(request: Request, params: dict[str, str]) -> Response:
    response = VoiceResponse()
    response.redirect("/hostile/redirect-loop")
    return twiml(response)


async def http_loop(request: Request, params: dict[str, str]) -> Response:
    return RedirectResponse("/hostile/http-loop", status_code=302)


async def huge(request: Request, params: dict[str, str]) -> Response:
    async def ten_megabytes() -> AsyncIterator[bytes]:
        yield b"<Response><Say>"
        for _ in range(160):
            yield b"a" * 65536
        yield b"</Say></Response>"

    return StreamingResponse(ten_megabytes(), media_type="text/xml")


async def slow(request: Request, params: dict[str, str]) -> Response:
    await anyio.sleep(3)
    return twiml(VoiceResponse().say("Too late."))


async def entities(request: Request, params: dict[str, str]) -> Response:
    body = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        "<Response><Say>&lol3;</Say></Response>"
    )
    return Response(body, media_type="text/xml")


async def not_xml(request: Request, params: dict[str, str]) -> Response:
    return Response("<Response><Say>unclosed", media_type="text/xml")


async def json_body(request: Request, params: dict[str, str]) -> Response:
    return JSONResponse({"say": "hello"})


async def checks(request: Request) -> Response:
    """Not a webhook: the tests read what the app saw."""
    return JSONResponse(checked)


ROUTES = {
    "/ivr/welcome": ivr_welcome,
    "/ivr/menu": ivr_menu,
    "/ivr/sales": ivr_sales,
    "/voicemail": voicemail,
    "/voicemail/done": voicemail_done,
    "/forward": forward,
    "/forward/done": forward_done,
    "/broken": broken,
    "/patient": patient,
    "/status": status_callback,
    "/fallback": fallback,
    "/hostile/redirect-loop": redirect_loop,
    "/hostile/http-loop": http_loop,
    "/hostile/huge": huge,
    "/hostile/slow": slow,
    "/hostile/entities": entities,
    "/hostile/not-xml": not_xml,
    "/hostile/json": json_body,
}

app = Starlette(
    routes=[
        Route(path, validated(handler), methods=["GET", "POST"]) for path, handler in ROUTES.items()
    ]
    + [Route("/_checks", checks)]
)

"""A small Starlette voice app, the ``myapp`` of the README and docs/testing.md examples.

POST /voice asks "press 1 for sales, 2 for support"; POST /choice answers the key. Run it with
``uvicorn myapp:app --port 8000`` (from samples/) and call it with
``callbox call http://127.0.0.1:8000/voice --press 1``, or test it in-process with the ``callbox``
pytest fixture: ``callbox.call(app, "/voice")``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

MENU = (
    "<Response>"
    '<Gather action="/choice" numDigits="1" timeout="5">'
    "<Say>Welcome to Acme. Press 1 for sales, 2 for support.</Say>"
    "</Gather>"
    "<Say>Sorry, I did not get that.</Say>"
    '<Redirect method="POST">/voice</Redirect>'
    "</Response>"
)
CHOICES = {"1": "Connecting you to sales", "2": "Connecting you to support"}


def twiml(body: str) -> Response:
    return Response(body, media_type="text/xml")


async def voice(_request: Request) -> Response:
    return twiml(MENU)


async def choice(request: Request) -> Response:
    digits = str((await request.form()).get("Digits", ""))
    if digits in CHOICES:
        return twiml(f"<Response><Say>{CHOICES[digits]}</Say><Hangup/></Response>")
    return twiml(
        "<Response><Say>That is not an option.</Say>"
        '<Redirect method="POST">/voice</Redirect></Response>'
    )


app = Starlette(
    routes=[Route("/voice", voice, methods=["POST"]), Route("/choice", choice, methods=["POST"])]
)

"""A developer's app for the REST end-to-end tests, served by uvicorn in its own process: the
voice URLs the platform's calls fetch, and the status callbacks they post, every request checked
with the twilio package's ``RequestValidator`` against the platform account's auth token."""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

VALIDATOR = RequestValidator(os.environ.get("E2E_AUTH_TOKEN", ""))
seen: list[dict[str, Any]] = []
"""Every request: its path, its parameters and whether its signature was valid."""

DOCUMENTS = {
    "/voice": "<Response><Say>Hello from the app.</Say></Response>",
    "/hold": '<Response><Pause length="600"/></Response>',
    "/after": '<Response><Say>You were redirected.</Say><Pause length="600"/></Response>',
    "/record": '<Response><Say>Leave a message.</Say><Record maxLength="4" timeout="2" playBeep="false"/></Response>',
}


async def document(request: Request) -> Response:
    form = dict(await request.form()) if request.method == "POST" else {}
    params = {k: str(v) for k, v in form.items()}
    valid = VALIDATOR.validate(
        str(request.url), params, request.headers.get("X-Twilio-Signature", "")
    )
    seen.append({"path": request.url.path, "params": params, "valid": valid})
    if request.url.path == "/broken":
        return Response("<html>boom</html>", status_code=500, media_type="text/html")
    if request.url.path == "/status":
        return Response(status_code=204)
    return Response(DOCUMENTS[request.url.path], media_type="text/xml")


async def report(request: Request) -> Response:
    return JSONResponse(seen)


app = Starlette(
    routes=[
        *(
            Route(path, document, methods=["GET", "POST"])
            for path in [*DOCUMENTS, "/broken", "/status"]
        ),
        Route("/_seen", report),
    ]
)

"""An SMS bot written with twilio's MessagingResponse, as a developer writes one: it counts the
messages of a conversation in a cookie, answers keywords, and records every request it gets."""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse


def make_app(seen: list[dict[str, Any]] | None = None, auth_token: str | None = None) -> Starlette:
    """The bot; every request is recorded in ``seen`` (with whether twilio's ``RequestValidator``
    accepts its signature, when ``auth_token`` is given) and served back at ``/_seen``."""
    log = seen if seen is not None else []
    validator = RequestValidator(auth_token) if auth_token else None

    async def record(request: Request) -> dict[str, Any]:
        form = dict(await request.form())
        entry: dict[str, Any] = {
            "path": request.url.path,
            "form": form,
            "headers": dict(request.headers),
            "url": str(request.url),
        }
        if validator is not None:
            signature = request.headers.get("x-twilio-signature", "")
            entry["valid"] = validator.validate(str(request.url), form, signature)
        log.append(entry)
        return form

    async def sms(request: Request) -> Response:
        form = await record(request)
        count = int(request.cookies.get("count", "0")) + 1
        body = str(form.get("Body", "")).strip().lower()
        reply = MessagingResponse()
        if body == "plain":
            response: Response = PlainTextResponse("Plain text reply")
        elif body == "two":
            reply.message("First")
            reply.message("Second", action="/status")
            response = Response(str(reply), media_type="text/xml")
        elif body == "many":
            for index in range(11):
                reply.message(f"Reply {index}")
            response = Response(str(reply), media_type="text/xml")
        elif body == "redirect":
            reply.redirect("/menu")
            response = Response(str(reply), media_type="text/xml")
        elif body == "loop":
            reply.redirect("/sms")
            response = Response(str(reply), media_type="text/xml")
        elif body == "photo":
            message = reply.message("Here it is")
            message.media("https://example.com/cat.jpg")
            response = Response(str(reply), media_type="text/xml")
        elif body == "broken":
            response = Response("oops", status_code=500)
        else:
            reply.message(f"Message {count}: you said {form.get('Body', '')}")
            response = Response(str(reply), media_type="text/xml")
        response.set_cookie("count", str(count))
        return response

    async def menu(request: Request) -> Response:
        await record(request)
        reply = MessagingResponse()
        reply.message("Menu: reply 1 or 2")
        return Response(str(reply), media_type="text/xml")

    async def fallback(request: Request) -> Response:
        await record(request)
        reply = MessagingResponse()
        reply.message("Sorry, something went wrong")
        return Response(str(reply), media_type="text/xml")

    async def status(request: Request) -> Response:
        await record(request)
        return Response(status_code=204)

    async def seen_requests(request: Request) -> Response:
        return JSONResponse(log)

    return Starlette(
        routes=[
            Route("/_seen", seen_requests, methods=["GET"]),
            Route("/sms", sms, methods=["POST", "GET"]),
            Route("/menu", menu, methods=["POST"]),
            Route("/fallback", fallback, methods=["POST"]),
            Route("/status", status, methods=["POST"]),
        ]
    )


served = make_app(auth_token=os.environ.get("E2E_AUTH_TOKEN"))
"""What the end-to-end tests serve with uvicorn."""

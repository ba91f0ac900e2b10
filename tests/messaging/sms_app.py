"""An SMS bot written with twilio's MessagingResponse, as a developer writes one: it counts the
messages of a conversation in a cookie, answers keywords, and records every request it gets."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from twilio.twiml.messaging_response import MessagingResponse


def make_app(seen: list[dict[str, Any]] | None = None) -> Starlette:
    log = seen if seen is not None else []

    async def sms(request: Request) -> Response:
        form = dict(await request.form())
        log.append(
            {
                "path": request.url.path,
                "form": form,
                "headers": dict(request.headers),
                "url": str(request.url),
            }
        )
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
        form = dict(await request.form())
        log.append(
            {
                "path": request.url.path,
                "form": form,
                "headers": dict(request.headers),
                "url": str(request.url),
            }
        )
        reply = MessagingResponse()
        reply.message("Menu: reply 1 or 2")
        return Response(str(reply), media_type="text/xml")

    async def fallback(request: Request) -> Response:
        form = dict(await request.form())
        log.append(
            {
                "path": request.url.path,
                "form": form,
                "headers": dict(request.headers),
                "url": str(request.url),
            }
        )
        reply = MessagingResponse()
        reply.message("Sorry, something went wrong")
        return Response(str(reply), media_type="text/xml")

    async def status(request: Request) -> Response:
        form = dict(await request.form())
        log.append(
            {
                "path": request.url.path,
                "form": form,
                "headers": dict(request.headers),
                "url": str(request.url),
            }
        )
        return Response(status_code=204)

    return Starlette(
        routes=[
            Route("/sms", sms, methods=["POST", "GET"]),
            Route("/menu", menu, methods=["POST"]),
            Route("/fallback", fallback, methods=["POST"]),
            Route("/status", status, methods=["POST"]),
        ]
    )

"""The inbound-message test hook ``callbox serve`` offers beside Twilio's API: text one of the
platform's numbers as a phone would, and get what the app did.

``POST /callbox/inbound-messages`` with ``To`` (a platform number), ``From``, ``Body`` and
``MediaUrl`` (repeatable, up to 10). The number's SmsUrl runs (its Messaging Service's inbound
URL when it has one); the answer comes when the exchange is over, with the inbound message's
SID and the exchange (requests, replies, problems, timeline). The replies are then delivered on
the platform's clock, their records and status callbacks following. Like the inbound-call hook,
it needs no credentials: the server listens on loopback by default.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from callbox.api.errors import ApiError
from callbox.api.forms import Params
from callbox.messaging.messenger import Messenger
from callbox.messaging.validation import MAX_MEDIA

INBOUND_MESSAGES_PATH = "/callbox/inbound-messages"


def inbound_messages_route(running: Callable[[], Messenger | None]) -> Route:
    """The inbound-message hook, through the messenger ``running()`` gives."""

    async def inbound(request: Request) -> Response:
        try:
            messenger = running()
            if messenger is None:
                raise ApiError(21606, "The platform is not running messaging", 503)
            params = await Params.of(request)
            to = params.required("To", 21604, "A 'To' number (one of the platform's) is required.")
            from_ = (params.get("From") or "+15005550006").strip()
            body = params.get("Body") or ""
            media = [url for url in params.all("MediaUrl") if url]
            if len(media) > MAX_MEDIA:
                raise ApiError(21623, f"A message carries at most {MAX_MEDIA} media URLs.")
            if messenger.find_route is not None and messenger.find_route(to) is None:
                raise ApiError(21606, f"The platform has no number {to} with an SmsUrl", 404)
            result = await messenger.receive(from_, to, body, media)
        except ApiError as error:
            return error.response()
        return JSONResponse(result.as_dict())

    return Route(INBOUND_MESSAGES_PATH, inbound, methods=["POST"])

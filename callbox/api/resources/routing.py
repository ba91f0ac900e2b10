"""How the soft-switch routed a call or a message: the routing record kept on it (the deck
prefix matched, every candidate carrier with cost, score, quality and why it ranked where it
did, then every attempt with its SIP code and whether it failed over), served beside Twilio's
resources at ``/callbox/Accounts/{AccountSid}/Calls/{CallSid}/Routing.json`` (and ``Messages``).
The path is callbox's own, outside ``/2010-04-01``: Twilio has no such resource.
"""

from __future__ import annotations

import json as jsonlib
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import not_found
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.records import Call, Message

ROOT = "/callbox/Accounts/{account_sid}"


def _body(kind: str, sid: str, account_sid: str, routing: str | None) -> dict[str, Any]:
    return {
        "account_sid": account_sid,
        f"{kind}_sid": sid,
        "routing": None if routing is None else jsonlib.loads(routing),
    }


async def call_routing(request: ApiRequest) -> Response:
    call = request.context.store.get(Call, request.arg("call_sid"), account_sid=request.account.sid)
    if call is None or call.routing is None:
        raise not_found(request.path)
    return json(_body("call", call.sid, call.account_sid, call.routing))


async def message_routing(request: ApiRequest) -> Response:
    message = request.context.store.get(
        Message, request.arg("message_sid"), account_sid=request.account.sid
    )
    if message is None or message.routing is None:
        raise not_found(request.path)
    return json(_body("message", message.sid, message.account_sid, message.routing))


def routes(context: ApiContext) -> list[Route]:
    return [
        api_route(context, f"{ROOT}/Calls/{{call_sid}}/Routing.json", call_routing, ["GET"]),
        api_route(
            context, f"{ROOT}/Messages/{{message_sid}}/Routing.json", message_routing, ["GET"]
        ),
    ]

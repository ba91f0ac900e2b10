"""Notifications: every warning and error a call hit, with the request that led to it and the
response seen (the debugger users rely on): list and fetch, for the account and per call.

Lists show the summary fields; a fetch adds ``request_variables``, ``response_headers`` and
``response_body``, as Twilio's do.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import not_found
from callbox.api.forms import Params, date_window
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import account_path, rfc2822
from callbox.records import API_VERSION, Call, Notification, NotificationLog
from callbox.store import Condition, Op, Query

FILTER_KEYS = (
    "Log",
    "MessageDate",
    "MessageDate<",
    "MessageDate>",
    "MessageDate<=",
    "MessageDate>=",
)


def notification_json(notification: Notification, *, full: bool = False) -> dict[str, Any]:
    base = f"{account_path(notification.account_sid)}/Notifications/{notification.sid}"
    body: dict[str, Any] = {
        "account_sid": notification.account_sid,
        "api_version": API_VERSION,
        "call_sid": notification.call_sid,
        "date_created": rfc2822(notification.date_created),
        "date_updated": rfc2822(notification.date_updated),
        "error_code": notification.error_code,
        "log": notification.log.value,
        "message_date": rfc2822(notification.message_date),
        "message_text": notification.message_text,
        "more_info": notification.more_info,
        "request_method": notification.request_method.value
        if notification.request_method
        else None,
        "request_url": notification.request_url or "",
        "sid": notification.sid,
        "uri": f"{base}.json",
    }
    if full:
        body["request_variables"] = notification.request_variables
        body["response_body"] = notification.response_body
        body["response_headers"] = notification.response_headers
    return body


def _conditions(params: Params, call_sid: str | None) -> list[Condition]:
    conditions: list[Condition] = []
    if call_sid is not None:
        conditions.append(Condition("call_sid", Op.EQ, call_sid))
    log = params.get("Log")
    if log:
        level = params.integer("Log", 0, low=0, high=1)
        conditions.append(Condition("log", Op.EQ, NotificationLog(str(level)).value))
    conditions += date_window(params, "MessageDate", "message_date")
    return conditions


def _call_sid(request: ApiRequest) -> str | None:
    """The call of a per-call path (404 when the account has no such call), else None."""
    if "call_sid" not in request.http.path_params:
        return None
    call = request.context.store.get(Call, request.arg("call_sid"), account_sid=request.account.sid)
    if call is None:
        raise not_found(request.path)
    return call.sid


async def listing(request: ApiRequest) -> Response:
    query = Query(
        Notification, request.account.sid, tuple(_conditions(request.params, _call_sid(request)))
    )
    paging = PageRequest.of(request.params)
    page = read_page(request.context.store, query, paging)
    filters = [(k, v) for k in FILTER_KEYS for v in request.params.all(k)]
    return json(list_body(request.http, "notifications", page, paging, notification_json, filters))


def _stored(request: ApiRequest) -> Notification:
    call_sid = _call_sid(request)
    found = request.context.store.get(
        Notification, request.arg("sid"), account_sid=request.account.sid
    )
    if found is None or (call_sid is not None and found.call_sid != call_sid):
        raise not_found(request.path)
    return found


async def fetch(request: ApiRequest) -> Response:
    return json(notification_json(_stored(request), full=True))


def routes(context: ApiContext) -> list[Route]:
    account = "/2010-04-01/Accounts/{account_sid}/Notifications"
    call = "/2010-04-01/Accounts/{account_sid}/Calls/{call_sid}/Notifications"
    return [
        api_route(context, f"{account}.json", listing, ["GET"]),
        api_route(context, f"{account}/{{sid}}.json", fetch, ["GET"]),
        api_route(context, f"{call}.json", listing, ["GET"]),
        api_route(context, f"{call}/{{sid}}.json", fetch, ["GET"]),
    ]

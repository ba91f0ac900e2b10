"""Messages: create (checked with Twilio's codes, stored as ``queued``, or ``accepted`` through a
Messaging Service, then handed to the message hook that sends it), list with Twilio's filters,
fetch, redact (``Body=""``), cancel a scheduled one, delete."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, invalid, not_found
from callbox.api.forms import Params, date_window
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import account_path, count, price, rfc2822
from callbox.messaging.errors import MessageRefusedError
from callbox.messaging.segments import segment_count
from callbox.messaging.validation import check_new_message
from callbox.records import (
    API_VERSION,
    Message,
    MessageDirection,
    MessageStatus,
    SidPrefix,
    new_sid,
)
from callbox.store import Condition, Op, Query

FILTER_KEYS = ("To", "From", "DateSent", "DateSent<", "DateSent>", "DateSent<=", "DateSent>=")
CANCELABLE = (MessageStatus.SCHEDULED, MessageStatus.QUEUED, MessageStatus.ACCEPTED)


def message_json(message: Message) -> dict[str, Any]:
    base = f"{account_path(message.account_sid)}/Messages/{message.sid}"
    return {
        "body": message.body,
        "num_segments": count(message.num_segments),
        "direction": message.direction.value,
        "from": message.from_ or None,
        "to": message.to,
        "date_updated": rfc2822(message.date_updated),
        "price": price(message.price),
        "error_message": message.error_message,
        "uri": f"{base}.json",
        "account_sid": message.account_sid,
        "num_media": count(message.num_media),
        "status": message.status.value,
        "messaging_service_sid": message.messaging_service_sid,
        "sid": message.sid,
        "date_sent": rfc2822(message.date_sent),
        "date_created": rfc2822(message.date_created),
        "error_code": message.error_code,
        "price_unit": message.price_unit,
        "api_version": API_VERSION,
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
    }


def message_from_form(request: ApiRequest) -> Message:
    params = request.params
    to = (params.get("To") or "").strip()
    from_ = (params.get("From") or "").strip()
    body = params.get("Body") or ""
    service = (params.get("MessagingServiceSid") or "").strip() or None
    media = [url.strip() for url in params.all("MediaUrl") if url.strip()]
    try:
        check_new_message(to, from_ or None, body, media, messaging_service_sid=service)
    except MessageRefusedError as error:
        raise ApiError(error.code, error.message) from None
    for url in media:
        if params.url("MediaUrl") is None:
            raise ApiError(21620, f"Invalid media URL: {url}")
    when = request.context.now()
    return Message(
        sid=new_sid(SidPrefix.MMS if media else SidPrefix.SMS),
        account_sid=request.account.sid,
        to=to,
        from_=from_,
        body=body,
        status=MessageStatus.ACCEPTED if service else MessageStatus.QUEUED,
        direction=MessageDirection.OUTBOUND_API,
        date_created=when,
        date_updated=when,
        messaging_service_sid=service,
        num_segments=segment_count(body) if body else 1,
        num_media=len(media),
        media_urls=tuple(media),
        status_callback=params.url("StatusCallback"),
    )


async def create(request: ApiRequest) -> Response:
    store = request.context.store
    message = store.create(message_from_form(request))
    try:
        request.context.send_message(message)
    except MessageRefusedError as refused:  # found only by the sender: an opted-out recipient
        store.delete(Message, message.sid, account_sid=message.account_sid)
        raise ApiError(refused.code, refused.message, refused.status) from None
    return json(message_json(store.get(Message, message.sid) or message), 201)


def _conditions(params: Params) -> list[Condition]:
    conditions: list[Condition] = []
    for key, field in (("To", "to"), ("From", "from_")):
        value = params.get(key)
        if value:
            conditions.append(Condition(field, Op.EQ, value.strip()))
    conditions += date_window(params, "DateSent", "date_sent")
    return conditions


async def listing(request: ApiRequest) -> Response:
    query = Query(Message, request.account.sid, tuple(_conditions(request.params)))
    paging = PageRequest.of(request.params)
    page = read_page(request.context.store, query, paging)
    filters = [(k, v) for k in FILTER_KEYS for v in request.params.all(k)]
    return json(list_body(request.http, "messages", page, paging, message_json, filters))


def _stored(request: ApiRequest) -> Message:
    found = request.context.store.get(Message, request.arg("sid"), account_sid=request.account.sid)
    if found is None:
        raise not_found(request.path)
    return found


async def fetch(request: ApiRequest) -> Response:
    return json(message_json(_stored(request)))


async def update(request: ApiRequest) -> Response:
    """``Body=""`` redacts a message's text; ``Status=canceled`` cancels one not yet sent."""
    message = _stored(request)
    params = request.params
    changes: dict[str, Any] = {}
    if "Body" in params:
        if params.get("Body"):
            raise invalid("Body", "a message's body can only be redacted (set to an empty string)")
        changes["body"] = ""
    status = params.get("Status")
    if status:
        if status != MessageStatus.CANCELED.value:
            raise invalid("Status", f"{status!r} is not canceled")
        if message.status not in CANCELABLE:
            raise ApiError(
                30409, f"Message {message.sid} is {message.status.value}: too late to cancel"
            )
        changes["status"] = MessageStatus.CANCELED
    if changes:
        changed = dataclasses.replace(message, **changes, date_updated=request.context.now())
        message = request.context.store.update(changed)
    return json(message_json(message))


async def delete(request: ApiRequest) -> Response:
    message = _stored(request)
    request.context.store.delete(Message, message.sid)
    return Response(status_code=204)


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Messages"
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{base}.json", create, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", fetch, ["GET"]),
        api_route(context, f"{base}/{{sid}}.json", update, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", delete, ["DELETE"]),
    ]

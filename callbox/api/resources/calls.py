"""Calls: create (placed through the platform), list with Twilio's filters, fetch, update a live
call (redirect, hang up, cancel) and delete a finished call's record."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api import errors
from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, invalid, not_found
from callbox.api.forms import Params, date_window
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import E164, account_path, count, formatted_number, price, rfc2822
from callbox.records import (
    API_VERSION,
    Application,
    Call,
    CallDirection,
    CallEventName,
    CallStatus,
    SidPrefix,
    new_sid,
)
from callbox.store import Condition, Op, Query

MAX_TWIML = 4000
SEND_DIGITS = re.compile(r"^[0-9A-D#*wW]{1,32}$")
MACHINE_DETECTION = ("Enable", "DetectMessageEnd")
CALL_SUBRESOURCES = {
    "feedback": "Feedback",
    "user_defined_messages": "UserDefinedMessages",
    "notifications": "Notifications",
    "recordings": "Recordings",
    "streams": "Streams",
    "payments": "Payments",
    "user_defined_message_subscriptions": "UserDefinedMessageSubscriptions",
    "siprec": "Siprec",
    "events": "Events",
    "feedback_summaries": "FeedbackSummary",
    "transcriptions": "Transcriptions",
}
# Twilio's test numbers and the errors a call to or from them gets at creation.
MAGIC_TO = {
    "+15005550001": (
        errors.TO_NOT_VALID,
        "The phone number you are attempting to call, {}, is not valid.",
    ),
    "+15005550002": (
        errors.TO_CANNOT_BE_REACHED,
        "The 'To' phone number: {}, is not currently reachable.",
    ),
    "+15005550003": (
        errors.NO_INTERNATIONAL_PERMISSION,
        "Permission to call {} has not been enabled.",
    ),
    "+15005550004": (errors.TO_BLOCKED, "Call blocked: {} is on the account's block list."),
}
MAGIC_FROM = {
    "+15005550001": (
        errors.INVALID_FROM,
        "The 'From' phone number provided ({}) is not a valid phone number.",
    ),
    "+15005550007": (
        errors.FROM_NOT_VERIFIED,
        "The source phone number provided, {}, is not yet verified for your account.",
    ),
}
ADDRESS = re.compile(
    r"^(?:\+[1-9]\d{1,14}|client:[\w.@-]{1,256}|sips?:[^\s]{3,1024})$", re.IGNORECASE
)


def wire_status(status: CallStatus) -> str:
    """The REST API shows a call that is being dialed as ``queued``."""
    return CallStatus.QUEUED.value if status is CallStatus.INITIATED else status.value


def call_json(call: Call) -> dict[str, Any]:
    base = f"{account_path(call.account_sid)}/Calls/{call.sid}"
    return {
        "sid": call.sid,
        "date_created": rfc2822(call.date_created),
        "date_updated": rfc2822(call.date_updated),
        "parent_call_sid": call.parent_call_sid,
        "account_sid": call.account_sid,
        "to": call.to,
        "to_formatted": formatted_number(call.to),
        "from": call.from_,
        "from_formatted": formatted_number(call.from_),
        "phone_number_sid": call.phone_number_sid,
        "status": wire_status(call.status),
        "start_time": rfc2822(call.start_time),
        "end_time": rfc2822(call.end_time),
        "duration": count(call.duration),
        "price": price(call.price),
        "price_unit": call.price_unit,
        "direction": call.direction.value,
        "answered_by": call.answered_by.value if call.answered_by else None,
        "api_version": API_VERSION,
        "forwarded_from": call.forwarded_from,
        "group_sid": call.group_sid,
        "caller_name": call.caller_name,
        "queue_time": str(call.queue_time),
        "trunk_sid": call.trunk_sid,
        "uri": f"{base}.json",
        "subresource_uris": {k: f"{base}/{v}.json" for k, v in CALL_SUBRESOURCES.items()},
    }


def _address(params: Params, name: str, missing_code: int, message: str, bad_code: int) -> str:
    value = params.required(name, missing_code, message)
    if not ADDRESS.match(value):
        raise ApiError(bad_code, f"Invalid '{name}' Phone Number: {value}")
    return value


def _events(params: Params) -> tuple[CallEventName, ...]:
    names: list[CallEventName] = []
    for value in params.all("StatusCallbackEvent"):
        for word in value.replace(",", " ").split():
            try:
                event = CallEventName(word.lower())
            except ValueError:
                raise invalid(
                    "StatusCallbackEvent",
                    f"{word!r} is not one of initiated, ringing, answered, completed",
                ) from None
            if event not in names:
                names.append(event)
    return tuple(names) or (CallEventName.COMPLETED,)


def _twiml(params: Params) -> str | None:
    twiml = params.get("Twiml")
    if twiml is None or not twiml.strip():
        return None
    if len(twiml) > MAX_TWIML:
        raise ApiError(
            errors.INLINE_TWIML_TOO_LONG,
            f"Twiml is {len(twiml)} characters long; the limit is {MAX_TWIML}",
        )
    return twiml


def call_from_form(request: ApiRequest) -> Call:
    """The queued call a create request describes; ApiError with Twilio's code otherwise."""
    params = request.params
    to = _address(
        params, "To", errors.TO_REQUIRED, "A 'To' phone number is required.", errors.INVALID_TO
    )
    from_ = _address(
        params,
        "From",
        errors.FROM_REQUIRED,
        "A 'From' phone number is required.",
        errors.INVALID_FROM,
    )
    for table, number in ((MAGIC_TO, to), (MAGIC_FROM, from_)):
        if number in table:
            code, message = table[number]
            raise ApiError(code, message.format(number))
    if E164.match(to) and not E164.match(from_) and not from_.lower().startswith("client:"):
        raise ApiError(errors.INVALID_FROM, f"Invalid 'From' Phone Number: {from_}")
    twiml = _twiml(params)
    url = params.url("Url")
    application = None
    application_sid = params.get("ApplicationSid")
    if application_sid:
        application = request.context.store.get(
            Application, application_sid, account_sid=request.account.sid
        )
        if application is None:
            raise ApiError(
                errors.INVALID_APPLICATION_SID, f"ApplicationSid {application_sid} is not valid"
            )
    if twiml is None and url is None and application is None:
        raise ApiError(errors.URL_REQUIRED, "Either Url, Twiml or ApplicationSid is required.")
    send_digits = params.get("SendDigits") or None
    if send_digits is not None and not SEND_DIGITS.match(send_digits):
        raise invalid("SendDigits", "up to 32 of 0-9, A-D, #, * and w")
    machine_detection = params.get("MachineDetection") or None
    if machine_detection is not None and machine_detection not in MACHINE_DETECTION:
        raise invalid("MachineDetection", "Enable or DetectMessageEnd")
    when = request.context.now()
    call = Call(
        sid=new_sid(SidPrefix.CALL),
        account_sid=request.account.sid,
        to=to,
        from_=from_,
        status=CallStatus.QUEUED,
        direction=CallDirection.OUTBOUND_API,
        date_created=when,
        date_updated=when,
        url=url,
        method=params.method("Method"),
        twiml=twiml,
        fallback_url=params.url("FallbackUrl"),
        fallback_method=params.method("FallbackMethod"),
        status_callback=params.url("StatusCallback"),
        status_callback_method=params.method("StatusCallbackMethod"),
        status_callback_events=_events(params),
        timeout=params.integer("Timeout", 60, low=1, high=600),
        send_digits=send_digits,
        record=params.boolean("Record"),
        machine_detection=machine_detection,
    )
    if application is not None:  # the application's settings win, as on Twilio
        call = dataclasses.replace(
            call,
            application_sid=application.sid,
            url=application.voice_url if twiml is None else None,
            method=application.voice_method,
            fallback_url=application.voice_fallback_url,
            fallback_method=application.voice_fallback_method,
            status_callback=application.status_callback,
            status_callback_method=application.status_callback_method,
        )
    return call


async def create(request: ApiRequest) -> Response:
    call = call_from_form(request)
    stored = request.context.store.create(call)
    if request.context.calls is not None:
        request.context.calls.place(stored)
    return json(call_json(stored), 201)


FILTER_KEYS = (
    "To", "From", "ParentCallSid", "Status",
    "StartTime", "StartTime<", "StartTime>", "StartTime<=", "StartTime>=",
    "EndTime", "EndTime<", "EndTime>", "EndTime<=", "EndTime>=",
)  # fmt: skip


def call_conditions(params: Params) -> list[Condition]:
    conditions: list[Condition] = []
    for key, field in (("To", "to"), ("From", "from_"), ("ParentCallSid", "parent_call_sid")):
        value = params.get(key)
        if value:
            conditions.append(Condition(field, Op.EQ, value))
    status = params.choice("Status", CallStatus)
    if status is not None:
        conditions.append(Condition("status", Op.EQ, status.value))
    conditions += date_window(params, "StartTime", "start_time")
    conditions += date_window(params, "EndTime", "end_time")
    return conditions


async def listing(request: ApiRequest) -> Response:
    query = Query(Call, request.account.sid, tuple(call_conditions(request.params)))
    paging = PageRequest.of(request.params)
    page = read_page(request.context.store, query, paging)
    filters = [(k, v) for k in FILTER_KEYS for v in request.params.all(k)]
    return json(list_body(request.http, "calls", page, paging, call_json, filters))


def _stored_call(request: ApiRequest) -> Call:
    return request.found(
        request.context.store.get(Call, request.arg("sid"), account_sid=request.account.sid)
    )


async def fetch(request: ApiRequest) -> Response:
    return json(call_json(_stored_call(request)))


async def update(request: ApiRequest) -> Response:
    call = _stored_call(request)
    params = request.params
    control = request.context.calls
    live = control is not None and control.is_live(call.sid)
    status = params.get("Status")
    twiml = _twiml(params)
    url = params.url("Url")
    method = params.method("Method", call.method)
    fallback_method = params.method("FallbackMethod", call.fallback_method)
    status_callback_method = params.method("StatusCallbackMethod", call.status_callback_method)
    if status is not None:
        if status not in (CallStatus.CANCELED.value, CallStatus.COMPLETED.value):
            raise invalid("Status", f"{status!r} is not canceled or completed")
        wanted = CallStatus(status)
        if live and control is not None:
            if wanted is CallStatus.COMPLETED or call.status in (
                CallStatus.QUEUED,
                CallStatus.RINGING,
            ):
                control.end(call.sid, wanted)
        elif call.status is CallStatus.QUEUED:
            call = request.context.store.update(
                dataclasses.replace(
                    call, status=CallStatus.CANCELED, date_updated=request.context.now()
                )
            )
    elif url is not None or twiml is not None:
        if not live or control is None:
            raise ApiError(errors.CALL_NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.")
        control.redirect(call.sid, url, params.method("Method"), twiml)
    changed = dataclasses.replace(
        call,
        fallback_url=params.url("FallbackUrl") or call.fallback_url,
        fallback_method=fallback_method,
        status_callback=params.url("StatusCallback") or call.status_callback,
        status_callback_method=status_callback_method,
        method=method if url is not None else call.method,
    )
    if changed != call:
        call = request.context.store.update(
            dataclasses.replace(changed, date_updated=request.context.now())
        )
    latest = request.context.store.get(Call, call.sid) or call
    return json(call_json(latest))


async def delete(request: ApiRequest) -> Response:
    call = _stored_call(request)
    control = request.context.calls
    if control is not None and control.is_live(call.sid):
        raise ApiError(errors.CALL_NOT_IN_PROGRESS, "A call that is in progress cannot be deleted.")
    if not request.context.store.delete(Call, call.sid, account_sid=request.account.sid):
        raise not_found(request.path)
    return Response(status_code=204)


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Calls"
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{base}.json", create, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", fetch, ["GET"]),
        api_route(context, f"{base}/{{sid}}.json", update, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", delete, ["DELETE"]),
    ]


def ended(call: Call, status: CallStatus, at: datetime) -> Call:
    """The call record once it ended with ``status`` at ``at``."""
    return dataclasses.replace(call, status=status, end_time=at, date_updated=at)

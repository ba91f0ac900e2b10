"""IncomingPhoneNumbers: the numbers an account holds and where their calls and messages go
(VoiceUrl, SmsUrl, fallbacks, StatusCallback, applications): create, list, fetch, update, delete.

A number is created with ``PhoneNumber`` (E.164), or ``AreaCode`` for the first free number
``+1 AREA 555 01xx``. A number is held by one account at a time (21422 otherwise).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api import errors
from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, not_found
from callbox.api.forms import Params
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import E164, account_path, formatted_number, rfc2822
from callbox.records import (
    API_VERSION,
    Application,
    IncomingPhoneNumber,
    SidPrefix,
    VoiceReceiveMode,
    new_sid,
)
from callbox.store import Condition, DuplicateRecordError, Op, Query, Store

AREA_CODE = re.compile(r"^[2-9]\d\d$")
# Updatable fields: form parameter -> record field, with how each is read.
URL_FIELDS = {
    "VoiceUrl": "voice_url",
    "VoiceFallbackUrl": "voice_fallback_url",
    "SmsUrl": "sms_url",
    "SmsFallbackUrl": "sms_fallback_url",
    "StatusCallback": "status_callback",
}
METHOD_FIELDS = {
    "VoiceMethod": "voice_method",
    "VoiceFallbackMethod": "voice_fallback_method",
    "SmsMethod": "sms_method",
    "SmsFallbackMethod": "sms_fallback_method",
    "StatusCallbackMethod": "status_callback_method",
}
APPLICATION_FIELDS = {
    "VoiceApplicationSid": "voice_application_sid",
    "SmsApplicationSid": "sms_application_sid",
}
FILTER_KEYS = ("Beta", "FriendlyName", "PhoneNumber", "Origin")


def number_json(number: IncomingPhoneNumber) -> dict[str, Any]:
    base = f"{account_path(number.account_sid)}/IncomingPhoneNumbers/{number.sid}"
    caps = number.capabilities
    return {
        "account_sid": number.account_sid,
        "address_sid": number.address_sid,
        "address_requirements": number.address_requirements.value,
        "api_version": API_VERSION,
        "beta": number.beta,
        "capabilities": {"voice": caps.voice, "sms": caps.sms, "mms": caps.mms, "fax": caps.fax},
        "date_created": rfc2822(number.date_created),
        "date_updated": rfc2822(number.date_updated),
        "friendly_name": number.friendly_name,
        "identity_sid": number.identity_sid,
        "phone_number": number.phone_number,
        "origin": number.origin,
        "sid": number.sid,
        "sms_application_sid": number.sms_application_sid,
        "sms_fallback_method": number.sms_fallback_method.value,
        "sms_fallback_url": number.sms_fallback_url,
        "sms_method": number.sms_method.value,
        "sms_url": number.sms_url,
        "status_callback": number.status_callback,
        "status_callback_method": number.status_callback_method.value,
        "trunk_sid": number.trunk_sid,
        "uri": f"{base}.json",
        "voice_receive_mode": number.voice_receive_mode.value,
        "voice_application_sid": number.voice_application_sid,
        "voice_caller_id_lookup": number.voice_caller_id_lookup,
        "voice_fallback_method": number.voice_fallback_method.value,
        "voice_fallback_url": number.voice_fallback_url,
        "voice_method": number.voice_method.value,
        "voice_url": number.voice_url,
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "bundle_sid": number.bundle_sid,
        "status": number.status,
    }


def _free_number(store: Store, area_code: str) -> str:
    for line in range(100, 200):
        candidate = f"+1{area_code}55501{line - 100:02d}"
        query = Query(
            IncomingPhoneNumber, conditions=(Condition("phone_number", Op.EQ, candidate),)
        )
        if not store.list(query, page_size=1).records:
            return candidate
    raise ApiError(
        errors.NO_NUMBERS_IN_AREA_CODE, f"No phone numbers found in area code {area_code}"
    )


def _settings(request: ApiRequest, number: IncomingPhoneNumber) -> IncomingPhoneNumber:
    """The number with the settings the request's parameters change."""
    params: Params = request.params
    changes: dict[str, Any] = {}
    for key, field in URL_FIELDS.items():
        if key in params:
            changes[field] = params.url(key)
    for key, field in METHOD_FIELDS.items():
        if key in params:
            changes[field] = params.method(key)
    for key, field in APPLICATION_FIELDS.items():
        if key in params:
            sid = params.get(key) or None
            if (
                sid is not None
                and request.context.store.get(Application, sid, account_sid=request.account.sid)
                is None
            ):
                raise ApiError(errors.INVALID_APPLICATION_SID, f"{key} {sid} is not valid")
            changes[field] = sid
    if "FriendlyName" in params:
        changes["friendly_name"] = (
            params.text("FriendlyName", max_length=64) or number.friendly_name
        )
    if "VoiceCallerIdLookup" in params:
        changes["voice_caller_id_lookup"] = params.boolean("VoiceCallerIdLookup")
    mode = params.choice("VoiceReceiveMode", VoiceReceiveMode)
    if mode is not None:
        changes["voice_receive_mode"] = mode
    return dataclasses.replace(number, **changes) if changes else number


async def create(request: ApiRequest) -> Response:
    store = request.context.store
    phone_number = (request.params.get("PhoneNumber") or "").strip()
    area_code = (request.params.get("AreaCode") or "").strip()
    if phone_number:
        if not E164.match(phone_number):
            raise ApiError(
                errors.INVALID_PHONE_NUMBER, f"PhoneNumber {phone_number} is not valid (E.164)"
            )
    elif area_code:
        if not AREA_CODE.match(area_code):
            raise ApiError(errors.NO_NUMBERS_IN_AREA_CODE, f"AreaCode {area_code} is not valid")
        phone_number = _free_number(store, area_code)
    else:
        raise ApiError(errors.INVALID_PHONE_NUMBER, "A PhoneNumber or AreaCode is required.")
    when = request.context.now()
    number = IncomingPhoneNumber(
        sid=new_sid(SidPrefix.PHONE_NUMBER),
        account_sid=request.account.sid,
        phone_number=phone_number,
        friendly_name=formatted_number(phone_number),
        date_created=when,
        date_updated=when,
    )
    number = _settings(request, number)
    try:
        stored = store.create(number)
    except DuplicateRecordError:
        raise ApiError(
            errors.PHONE_NUMBER_NOT_AVAILABLE, f"Phone number {phone_number} is not available."
        ) from None
    return json(number_json(stored), 201)


def _stored(request: ApiRequest) -> IncomingPhoneNumber:
    return request.found(
        request.context.store.get(
            IncomingPhoneNumber, request.arg("sid"), account_sid=request.account.sid
        )
    )


async def fetch(request: ApiRequest) -> Response:
    return json(number_json(_stored(request)))


async def update(request: ApiRequest) -> Response:
    number = _stored(request)
    changed = _settings(request, number)
    if changed != number:
        changed = dataclasses.replace(changed, date_updated=request.context.now())
        number = request.context.store.update(changed)
    return json(number_json(number))


async def delete(request: ApiRequest) -> Response:
    number = _stored(request)
    if not request.context.store.delete(
        IncomingPhoneNumber, number.sid, account_sid=request.account.sid
    ):
        raise not_found(request.path)
    return Response(status_code=204)


async def listing(request: ApiRequest) -> Response:
    params = request.params
    conditions: list[Condition] = []
    if params.get("FriendlyName"):
        conditions.append(Condition("friendly_name", Op.EQ, params.get("FriendlyName")))
    if params.get("PhoneNumber"):
        pattern = (params.get("PhoneNumber") or "").replace("*", "").strip()
        conditions.append(Condition("phone_number", Op.CONTAINS, pattern))
    if params.get("Origin"):
        conditions.append(Condition("origin", Op.EQ, params.get("Origin")))
    if "Beta" in params:
        conditions.append(Condition("beta", Op.EQ, params.boolean("Beta")))
    paging = PageRequest.of(params)
    query = Query(IncomingPhoneNumber, request.account.sid, tuple(conditions))
    page = read_page(request.context.store, query, paging)
    filters = [(k, v) for k in FILTER_KEYS for v in params.all(k)]
    return json(
        list_body(request.http, "incoming_phone_numbers", page, paging, number_json, filters)
    )


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers"
    found = [
        api_route(context, f"{base}/{{sid}}.json", fetch, ["GET"]),
        api_route(context, f"{base}/{{sid}}.json", update, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", delete, ["DELETE"]),
    ]
    kinds = [
        route
        for kind in ("Local", "Mobile", "TollFree")
        for route in (
            api_route(context, f"{base}/{kind}.json", listing, ["GET"]),
            api_route(context, f"{base}/{kind}.json", create, ["POST"]),
        )
    ]
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{base}.json", create, ["POST"]),
        *kinds,
        *found,
    ]

"""Applications: reusable voice and messaging settings that numbers (``VoiceApplicationSid``) and
calls (``ApplicationSid``) point at: create, list (by ``FriendlyName``), fetch, update, delete."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import not_found
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import account_path, rfc2822
from callbox.records import API_VERSION, Application, SidPrefix, new_sid
from callbox.store import Condition, Op, Query

URL_FIELDS = {
    "VoiceUrl": "voice_url",
    "VoiceFallbackUrl": "voice_fallback_url",
    "StatusCallback": "status_callback",
    "SmsUrl": "sms_url",
    "SmsFallbackUrl": "sms_fallback_url",
    "SmsStatusCallback": "sms_status_callback",
    "MessageStatusCallback": "message_status_callback",
}
METHOD_FIELDS = {
    "VoiceMethod": "voice_method",
    "VoiceFallbackMethod": "voice_fallback_method",
    "StatusCallbackMethod": "status_callback_method",
    "SmsMethod": "sms_method",
    "SmsFallbackMethod": "sms_fallback_method",
}
FLAG_FIELDS = {
    "VoiceCallerIdLookup": "voice_caller_id_lookup",
    "PublicApplicationConnectEnabled": "public_application_connect_enabled",
}


def application_json(application: Application) -> dict[str, Any]:
    return {
        "account_sid": application.account_sid,
        "api_version": API_VERSION,
        "date_created": rfc2822(application.date_created),
        "date_updated": rfc2822(application.date_updated),
        "friendly_name": application.friendly_name,
        "message_status_callback": application.message_status_callback,
        "sid": application.sid,
        "sms_fallback_method": application.sms_fallback_method.value,
        "sms_fallback_url": application.sms_fallback_url,
        "sms_method": application.sms_method.value,
        "sms_status_callback": application.sms_status_callback,
        "sms_url": application.sms_url,
        "status_callback": application.status_callback,
        "status_callback_method": application.status_callback_method.value,
        "uri": f"{account_path(application.account_sid)}/Applications/{application.sid}.json",
        "voice_caller_id_lookup": application.voice_caller_id_lookup,
        "voice_fallback_method": application.voice_fallback_method.value,
        "voice_fallback_url": application.voice_fallback_url,
        "voice_method": application.voice_method.value,
        "voice_url": application.voice_url,
        "public_application_connect_enabled": application.public_application_connect_enabled,
    }


def _changed(request: ApiRequest, application: Application) -> Application:
    params = request.params
    changes: dict[str, Any] = {}
    for key, field in URL_FIELDS.items():
        if key in params:
            changes[field] = params.url(key)
    for key, field in METHOD_FIELDS.items():
        if key in params:
            changes[field] = params.method(key)
    for key, field in FLAG_FIELDS.items():
        if key in params:
            changes[field] = params.boolean(key)
    if "FriendlyName" in params:
        changes["friendly_name"] = params.text("FriendlyName", max_length=64) or ""
    return dataclasses.replace(application, **changes) if changes else application


async def create(request: ApiRequest) -> Response:
    when = request.context.now()
    application = Application(
        sid=new_sid(SidPrefix.APPLICATION),
        account_sid=request.account.sid,
        friendly_name="",
        date_created=when,
        date_updated=when,
    )
    application = _changed(request, application)
    return json(application_json(request.context.store.create(application)), 201)


def _stored(request: ApiRequest) -> Application:
    found = request.context.store.get(
        Application, request.arg("sid"), account_sid=request.account.sid
    )
    if found is None:
        raise not_found(request.path)
    return found


async def fetch(request: ApiRequest) -> Response:
    return json(application_json(_stored(request)))


async def update(request: ApiRequest) -> Response:
    application = _stored(request)
    changed = _changed(request, application)
    if changed != application:
        changed = dataclasses.replace(changed, date_updated=request.context.now())
        application = request.context.store.update(changed)
    return json(application_json(application))


async def delete(request: ApiRequest) -> Response:
    application = _stored(request)
    request.context.store.delete(Application, application.sid)
    return Response(status_code=204)


async def listing(request: ApiRequest) -> Response:
    conditions: list[Condition] = []
    name = request.params.get("FriendlyName")
    if name:
        conditions.append(Condition("friendly_name", Op.EQ, name))
    paging = PageRequest.of(request.params)
    query = Query(Application, request.account.sid, tuple(conditions))
    page = read_page(request.context.store, query, paging)
    filters = [("FriendlyName", v) for v in request.params.all("FriendlyName")]
    return json(list_body(request.http, "applications", page, paging, application_json, filters))


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Applications"
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{base}.json", create, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", fetch, ["GET"]),
        api_route(context, f"{base}/{{sid}}.json", update, ["POST"]),
        api_route(context, f"{base}/{{sid}}.json", delete, ["DELETE"]),
    ]

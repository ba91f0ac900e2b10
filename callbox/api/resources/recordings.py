"""Recordings: list and fetch for the account and per call, delete, and the audio itself at the
``RecordingUrl`` (``.wav`` or no suffix, ``.mp3`` made with ffmpeg), which needs no credentials,
as on Twilio. A recording ``callbox call`` made outside the platform (a WAV in the data
directory, with no record in the store) is still served, with its own metadata as ``.json``.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from callbox.api.auth import account_in_scope, authenticate
from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, not_found
from callbox.api.forms import Params, date_window
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import account_path, count, price, rfc2822
from callbox.interpreter.http.recordings import MP3_TYPE, WAV_TYPE, RecordingRoutes
from callbox.interpreter.media.recording import RecordingStore
from callbox.records import API_VERSION, Call, Recording
from callbox.store import Condition, Op, Query

RECORDING_NAME = re.compile(r"^(?P<sid>RE[0-9a-f]{32})(?:\.(?P<suffix>wav|mp3|json))?$")
FILTER_KEYS = ("DateCreated", "DateCreated<", "DateCreated>", "CallSid", "ConferenceSid")


def recording_json(recording: Recording, base_url: str) -> dict[str, Any]:
    uri = f"{account_path(recording.account_sid)}/Recordings/{recording.sid}"
    return {
        "account_sid": recording.account_sid,
        "api_version": API_VERSION,
        "call_sid": recording.call_sid,
        "conference_sid": recording.conference_sid,
        "date_created": rfc2822(recording.date_created),
        "date_updated": rfc2822(recording.date_updated),
        "start_time": rfc2822(recording.start_time),
        "duration": count(recording.duration),
        "sid": recording.sid,
        "price": price(recording.price),
        "price_unit": recording.price_unit,
        "status": recording.status.value,
        "channels": recording.channels,
        "source": recording.source.value,
        "error_code": recording.error_code,
        "uri": f"{uri}.json",
        "encryption_details": None,
        "subresource_uris": {
            "add_on_results": f"{uri}/AddOnResults.json",
            "transcriptions": f"{uri}/Transcriptions.json",
        },
        "media_url": f"{base_url}{uri}",
    }


def call_recording_json(recording: Recording) -> dict[str, Any]:
    uri = f"{account_path(recording.account_sid)}/Calls/{recording.call_sid}/Recordings"
    shown = _leg_recording_json(recording, uri)
    # Twilio's spec types a call recording's price as a number, a conference recording's as text
    shown["price"] = float(recording.price) if isinstance(recording.price, Decimal) else None
    return {**shown, "track": recording.track}


def conference_recording_json(recording: Recording) -> dict[str, Any]:
    uri = f"{account_path(recording.account_sid)}/Conferences/{recording.conference_sid}/Recordings"
    return _leg_recording_json(recording, uri)


def _leg_recording_json(recording: Recording, uri: str) -> dict[str, Any]:
    """A recording as a call's or a conference's subresource shows it (``uri`` the list's)."""
    return {
        "account_sid": recording.account_sid,
        "api_version": API_VERSION,
        "call_sid": recording.call_sid,
        "conference_sid": recording.conference_sid,
        "date_created": rfc2822(recording.date_created),
        "date_updated": rfc2822(recording.date_updated),
        "start_time": rfc2822(recording.start_time),
        "duration": count(recording.duration),
        "sid": recording.sid,
        "price": price(recording.price),
        "uri": f"{uri}/{recording.sid}.json",
        "encryption_details": None,
        "price_unit": recording.price_unit,
        "status": recording.status.value,
        "channels": recording.channels,
        "source": recording.source.value,
        "error_code": recording.error_code,
    }


def _conditions(params: Params, call_sid: str | None) -> list[Condition]:
    conditions: list[Condition] = []
    wanted_call = call_sid or params.get("CallSid")
    if wanted_call:
        conditions.append(Condition("call_sid", Op.EQ, wanted_call))
    if params.get("ConferenceSid"):
        conditions.append(Condition("conference_sid", Op.EQ, params.get("ConferenceSid")))
    conditions += date_window(params, "DateCreated", "date_created")
    params.boolean("IncludeSoftDeleted")  # callbox deletes at once: nothing soft-deleted to add
    return conditions


def _call_sid(request: ApiRequest) -> str | None:
    if "call_sid" not in request.http.path_params:
        return None
    call = request.context.store.get(Call, request.arg("call_sid"), account_sid=request.account.sid)
    if call is None:
        raise not_found(request.path)
    return call.sid


async def listing(request: ApiRequest) -> Response:
    call_sid = _call_sid(request)
    query = Query(Recording, request.account.sid, tuple(_conditions(request.params, call_sid)))
    paging = PageRequest.of(request.params)
    page = read_page(request.context.store, query, paging)
    filters = [(k, v) for k in FILTER_KEYS for v in request.params.all(k)]
    base = request.base_url()
    if call_sid is not None:
        return json(list_body(request.http, "recordings", page, paging, call_recording_json))
    body = list_body(
        request.http, "recordings", page, paging, lambda r: recording_json(r, base), filters
    )
    return json(body)


def _stored(request: ApiRequest) -> Recording:
    call_sid = _call_sid(request)
    sid = request.arg("sid")
    found = request.context.store.get(Recording, sid, account_sid=request.account.sid)
    if found is None or (call_sid is not None and found.call_sid != call_sid):
        raise not_found(request.path)
    return found


async def fetch_for_call(request: ApiRequest) -> Response:
    return json(call_recording_json(_stored(request)))


async def delete(request: ApiRequest) -> Response:
    found = _stored(request)
    request.context.store.delete(Recording, found.sid)
    return Response(status_code=204)


async def to_mp3(wav: bytes) -> bytes | None:
    """The WAV as a 32 kbit/s MP3 made by ffmpeg, or None when ffmpeg is not installed."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    command = [
        ffmpeg,
        "-v",
        "error",
        "-f",
        "wav",
        "-i",
        "pipe:0",
        "-b:a",
        "32k",
        "-f",
        "mp3",
        "pipe:1",
    ]
    done = await anyio.run_process(command, input=wav, check=False)
    return done.stdout if done.returncode == 0 else None


def recording_route(context: ApiContext) -> Route:
    """``Recordings/{Sid}[.json|.wav|.mp3]``: the resource (with credentials) or its audio."""
    files = (
        RecordingRoutes(
            RecordingStore(context.recordings_dir, shutil.which("ffmpeg")), context.public_url
        )
        if context.recordings_dir is not None
        else None
    )

    async def endpoint(request: Request) -> Response:
        name: str = request.path_params["name"]
        found = RECORDING_NAME.match(name)
        try:
            record = context.store.get(Recording, found["sid"]) if found else None
            if found is None or (record is None and files is None):
                raise not_found(request.url.path)
            if record is None and files is not None:
                return await files.serve(request)
            assert record is not None
            if found["suffix"] == "json":
                caller = authenticate(request, context.store)
                Params(list(request.query_params.multi_items())).boolean("IncludeSoftDeleted")
                account = account_in_scope(
                    context.store, caller, request.path_params["account_sid"], request.url.path
                )
                if record.account_sid != account.sid:
                    raise not_found(request.url.path)
                base = (context.public_url or str(request.base_url)).rstrip("/")
                return json(recording_json(record, base))
            if record.account_sid != request.path_params["account_sid"]:
                raise not_found(request.url.path)
            audio = context.store.recording_audio(record.sid)
            if audio is None and files is not None:
                return await files.serve(request)
            if audio is None:
                raise not_found(request.url.path)
            if found["suffix"] == "mp3":
                mp3 = await to_mp3(audio)
                if mp3 is None:
                    return PlainTextResponse(
                        f"ffmpeg is not installed: ask for {record.sid}.wav", status_code=503
                    )
                return Response(mp3, media_type=MP3_TYPE)
            return Response(audio, media_type=WAV_TYPE)
        except ApiError as error:
            return error.response()

    return Route("/2010-04-01/Accounts/{account_sid}/Recordings/{name}", endpoint, methods=["GET"])


def routes(context: ApiContext) -> list[Route]:
    account = "/2010-04-01/Accounts/{account_sid}/Recordings"
    call = "/2010-04-01/Accounts/{account_sid}/Calls/{call_sid}/Recordings"
    return [
        api_route(context, f"{account}.json", listing, ["GET"]),
        api_route(context, f"{account}/{{sid}}.json", delete, ["DELETE"]),
        recording_route(context),
        api_route(context, f"{call}.json", listing, ["GET"]),
        api_route(context, f"{call}/{{sid}}.json", fetch_for_call, ["GET"]),
        api_route(context, f"{call}/{{sid}}.json", delete, ["DELETE"]),
    ]

"""Conferences and their Participants: the rooms ``<Dial><Conference>`` opens (list, fetch, end
or announce), and the calls in them (add one by dialing it in, list, fetch, mute, hold, coach,
remove)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, invalid, not_found
from callbox.api.forms import date_window, within
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.resources.recordings import conference_recording_json
from callbox.api.resources.rooms_listing import found, page_of, rooms_of
from callbox.api.wire import E164, account_path, rfc2822
from callbox.records import (
    API_VERSION,
    Call,
    CallDirection,
    CallStatus,
    HttpMethod,
    Recording,
    SidPrefix,
    new_sid,
)
from callbox.store import Condition, Op, Query
from callbox.switchboard.conferences import Conference, ConferenceStatus, Participant

STATUSES = (ConferenceStatus.INIT, ConferenceStatus.IN_PROGRESS, ConferenceStatus.COMPLETED)
FILTER_KEYS = ("Status", "FriendlyName", "DateCreated", "DateUpdated")
PARTICIPANT_OPTIONS = {
    "Muted": "muted",
    "Beep": "beep",
    "StartConferenceOnEnter": "startConferenceOnEnter",
    "EndConferenceOnExit": "endConferenceOnExit",
    "WaitUrl": "waitUrl",
    "WaitMethod": "waitMethod",
    "MaxParticipants": "maxParticipants",
    "ConferenceStatusCallback": "statusCallback",
    "ConferenceStatusCallbackMethod": "statusCallbackMethod",
    "ConferenceRecord": "record",
    "ConferenceTrim": "trim",
    "Region": "region",
    "Label": "participantLabel",
    "CallSidToCoach": "coach",
}
"""Participants-create parameters and the ``<Conference>`` attribute each one becomes."""


def conference_json(conference: Conference) -> dict[str, Any]:
    path = f"{account_path(conference.account_sid)}/Conferences/{conference.sid}"
    return {
        "account_sid": conference.account_sid,
        "api_version": API_VERSION,
        "call_sid_ending_conference": conference.call_sid_ending,
        "date_created": rfc2822(conference.date_created),
        "date_updated": rfc2822(conference.date_updated),
        "friendly_name": conference.friendly_name,
        "reason_conference_ended": conference.reason_ended,
        "region": conference.region,
        "sid": conference.sid,
        "status": conference.status,
        "subresource_uris": {
            "participants": f"{path}/Participants.json",
            "recordings": f"{path}/Recordings.json",
        },
        "uri": f"{path}.json",
    }


def participant_json(conference: Conference, participant: Participant) -> dict[str, Any]:
    path = f"{account_path(conference.account_sid)}/Conferences/{conference.sid}"
    return {
        "account_sid": conference.account_sid,
        "call_sid": participant.call_sid,
        "call_sid_to_coach": participant.call_sid_to_coach,
        "coaching": participant.coaching,
        "conference_sid": conference.sid,
        "date_created": rfc2822(participant.date_created),
        "date_updated": rfc2822(participant.date_updated),
        "end_conference_on_exit": participant.spec.end_on_exit,
        "hold": participant.hold,
        "label": participant.label,
        "muted": participant.muted,
        "queue_time": "0",
        "start_conference_on_enter": participant.spec.start_on_enter,
        "status": participant.status,
        "uri": f"{path}/Participants/{participant.call_sid}.json",
    }


def _conference(request: ApiRequest) -> Conference:
    return found(request, rooms_of(request).conferences.get(request.arg("sid")))


async def listing(request: ApiRequest) -> Response:
    params = request.params
    status = params.get("Status")
    if status is not None and status not in STATUSES:
        raise invalid("Status", f"{status!r} is not one of {', '.join(STATUSES)}")
    name = params.get("FriendlyName")
    created = date_window(params, "DateCreated", "date_created")
    updated = date_window(params, "DateUpdated", "date_updated")
    rooms = [
        room
        for room in reversed(rooms_of(request).conferences.values())  # newest first
        if (status is None or room.status == status)
        and (name is None or room.friendly_name == name)
        and within(room.date_created, created)
        and within(room.date_updated, updated)
    ]
    filters = [(k, v) for k in FILTER_KEYS for v in params.all(k)]
    return json(page_of(request, "conferences", rooms, conference_json, filters))


async def fetch(request: ApiRequest) -> Response:
    return json(conference_json(_conference(request)))


async def update(request: ApiRequest) -> Response:
    """``Status=completed`` ends the room; ``AnnounceUrl`` is told to each call in it."""
    conference = _conference(request)
    status = request.params.get("Status")
    if status is not None:
        if status != ConferenceStatus.COMPLETED:
            raise invalid("Status", "only completed ends a conference")
        conference.end()
    announce = request.params.url("AnnounceUrl")
    if announce is not None:
        conference.announce(announce, request.params.method("AnnounceMethod").value)
    return json(conference_json(conference))


def _participant(request: ApiRequest, conference: Conference) -> Participant:
    wanted = request.arg("call_sid")
    return found(request, conference.participants.get(wanted))


async def participants(request: ApiRequest) -> Response:
    conference = _conference(request)
    params = request.params
    present = list(conference.participants.values())
    for flag, attribute in (("Muted", "muted"), ("Hold", "hold"), ("Coaching", "coaching")):
        if flag in params:
            wanted = params.boolean(flag)
            present = [p for p in present if getattr(p, attribute) == wanted]
    return json(
        page_of(request, "participants", present, lambda p: participant_json(conference, p))
    )


async def participant(request: ApiRequest) -> Response:
    conference = _conference(request)
    return json(participant_json(conference, _participant(request, conference)))


async def modify(request: ApiRequest) -> Response:
    conference = _conference(request)
    chosen = _participant(request, conference)
    params = request.params
    muted = params.boolean("Muted") if "Muted" in params else None
    hold = params.boolean("Hold") if "Hold" in params else None
    hold_url = params.url("HoldUrl")
    music = (hold_url, params.method("HoldMethod", HttpMethod.GET).value) if hold_url else None
    conference.update(chosen.call_sid, muted=muted, hold=hold, hold_music=music)
    if "Coaching" in params or params.get("CallSidToCoach"):
        coaching = params.boolean("Coaching") if "Coaching" in params else None
        conference.modify(
            chosen.call_sid, coaching=coaching, call_sid_to_coach=params.get("CallSidToCoach")
        )
    announce = params.url("AnnounceUrl")
    if announce is not None:
        conference.announce(announce, params.method("AnnounceMethod").value, chosen.call_sid)
    return json(participant_json(conference, chosen))


async def remove(request: ApiRequest) -> Response:
    conference = _conference(request)
    chosen = _participant(request, conference)
    conference.kick(chosen.call_sid)
    return Response(status_code=204)


def participant_twiml(name: str, request: ApiRequest) -> str:
    """The document the new participant's call runs: a ``<Dial><Conference>`` with the options
    the request gave."""
    params = request.params
    attributes = []
    for key, attribute in PARTICIPANT_OPTIONS.items():
        value = params.get(key)
        if value:
            attributes.append(f" {attribute}={quoteattr(value)}")
    events = params.all("ConferenceStatusCallbackEvent")
    if events:
        attributes.append(f" statusCallbackEvent={quoteattr(' '.join(events))}")
    limit = params.get("TimeLimit")
    dial = f" timeLimit={quoteattr(limit)}" if limit else ""
    return (
        f"<Response><Dial{dial}><Conference{''.join(attributes)}>{escape(name)}</Conference>"
        "</Dial></Response>"
    )


async def add(request: ApiRequest) -> Response:
    """Dial ``To`` from ``From`` and bring the call into the room when it answers."""
    rooms = rooms_of(request)
    wanted = request.arg("sid")
    conference = rooms.conferences.get(wanted)
    if conference is None:  # a friendly name: Twilio creates the room on first use
        conference = rooms.conference(wanted)
    params = request.params
    to = params.required("To", 21201, "A 'To' phone number is required.")
    from_ = params.required("From", 21213, "A 'From' phone number is required.")
    if not E164.match(from_) and not from_.lower().startswith("client:"):
        raise ApiError(21212, f"Invalid 'From' Phone Number: {from_}")
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
        twiml=participant_twiml(conference.friendly_name, request),
        status_callback=params.url("StatusCallback"),
        status_callback_method=params.method("StatusCallbackMethod"),
        timeout=params.integer("Timeout", 30, low=5, high=600),
    )
    stored = request.context.store.create(call)
    if request.context.calls is not None:
        request.context.calls.place(stored)
    path = f"{account_path(request.account.sid)}/Conferences/{conference.sid}"
    return json(
        {
            "account_sid": request.account.sid,
            "call_sid": stored.sid,
            "call_sid_to_coach": params.get("CallSidToCoach"),
            "coaching": params.boolean("Coaching"),
            "conference_sid": conference.sid,
            "date_created": rfc2822(when),
            "date_updated": rfc2822(when),
            "end_conference_on_exit": params.boolean("EndConferenceOnExit"),
            "hold": False,
            "label": params.get("Label"),
            "muted": params.boolean("Muted"),
            "queue_time": "0",
            "start_conference_on_enter": params.boolean("StartConferenceOnEnter", True),
            "status": "queued",
            "uri": f"{path}/Participants/{stored.sid}.json",
        },
        201,
    )


def _recordings_query(request: ApiRequest, conference: Conference) -> Query[Recording]:
    return Query(
        Recording,
        request.account.sid,
        (Condition("conference_sid", Op.EQ, conference.sid),),
    )


async def recordings(request: ApiRequest) -> Response:
    """The room's ``record-from-start`` recordings, from the store."""
    conference = _conference(request)
    paging = PageRequest.of(request.params)
    page = read_page(request.context.store, _recordings_query(request, conference), paging)
    return json(list_body(request.http, "recordings", page, paging, conference_recording_json))


async def recording(request: ApiRequest) -> Response:
    conference = _conference(request)
    found = request.context.store.get(
        Recording, request.arg("recording_sid"), account_sid=request.account.sid
    )
    if found is None or found.conference_sid != conference.sid:
        raise not_found(request.path)
    return json(conference_recording_json(found))


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Conferences"
    one = f"{base}/{{sid}}"
    member = f"{one}/Participants/{{call_sid}}.json"
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{one}.json", fetch, ["GET"]),
        api_route(context, f"{one}.json", update, ["POST"]),
        api_route(context, f"{one}/Participants.json", participants, ["GET"]),
        api_route(context, f"{one}/Participants.json", add, ["POST"]),
        api_route(context, member, participant, ["GET"]),
        api_route(context, member, modify, ["POST"]),
        api_route(context, member, remove, ["DELETE"]),
        api_route(context, f"{one}/Recordings.json", recordings, ["GET"]),
        api_route(context, f"{one}/Recordings/{{recording_sid}}.json", recording, ["GET"]),
    ]
